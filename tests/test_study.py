"""The batch-size study, the timing study and ``python main.py study``."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from core import scenario as sc
from core.basins import Cancelled
from core.problem import Problem
from core.run import problem_of, simulate
from core.scenario import RunConfig
from core.study import (
    batch_size_study,
    cmd_study,
    parse_batch_sizes,
    study_scenario,
    timing_study,
    timing_table,
)
from core.surfaces import get_surface

ROOT = Path(__file__).resolve().parent.parent


def cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def strict_json(text: str):
    def bad(token):
        raise AssertionError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=bad)


@pytest.fixture(scope="module")
def saddle_study():
    return study_scenario(sc.load("lesson2_saddle"), "1,2,5,10,20", seeds=20)


def test_counts_and_shapes(saddle_study):
    r = saddle_study
    assert [b.batch_size for b in r.results] == [1, 2, 5, 10, 20]
    assert r.seeds == 20 and r.n == 20 and r.budget == "updates"
    assert len(r.minima) == 2 and len(r.saddles) == 1
    for b in r.results:
        assert b.final_theta.shape == (20, 2)
        for arr in (b.final_loss, b.sharpness, b.minimum, b.saddle, b.diverged, b.seeds):
            assert arr.shape == (20,)
        assert b.updates == 200 and b.updates_per_epoch == 20 // b.batch_size
        assert b.epochs == 200 / b.updates_per_epoch
        assert b.test_loss is None  # lesson 2 has no test shift
        shares = [b.fraction_in(j) for j in range(len(r.minima))] + [b.fraction_in(-1)]
        assert sum(shares) == pytest.approx(1.0)
    # the lecture's claim, on this scenario: the full batch stalls, small batches escape
    assert r.results[-1].fraction_at_saddle == 1.0
    for b in r.results[:-1]:
        assert b.fraction_escaped == 1.0 and b.fraction_in(-1) == 0.0
    assert "min1" in r.table() and "100%" in r.table()


def test_runs_equal_simulate(saddle_study):
    s = sc.load("lesson2_saddle")
    problem = problem_of(s)
    run = s.runs[0]
    for b in (saddle_study.results[0], saddle_study.results[2]):
        for k in (0, 7, 19):
            cfg = replace(run, batch_size=b.batch_size, seed=int(b.seeds[k]))
            (t,) = simulate(problem, [cfg])
            np.testing.assert_array_equal(b.final_theta[k], t.theta[-1])
            assert b.final_loss[k] == t.loss[-1]


def test_reproducible_and_seeded():
    s = sc.load("lesson2_saddle")
    a = study_scenario(s, [1, 5], seeds=5, run=1)
    b = study_scenario(s, [1, 5], seeds=5, run=1)
    for x, y in zip(a.results, b.results, strict=True):
        np.testing.assert_array_equal(x.final_theta, y.final_theta)
    assert a.to_dict()["batch_sizes"] == b.to_dict()["batch_sizes"]
    # other shuffle seeds (the run's seed + 0, 1, …) give other paths
    s2 = s.replace_run(1, replace(s.runs[1], seed=100))
    c = study_scenario(s2, [1, 5], seeds=5, run=1)
    assert c.results[0].seeds.tolist() == list(range(100, 105))
    assert not np.array_equal(a.results[0].final_theta, c.results[0].final_theta)


def test_epoch_budget_and_test_shift():
    s = sc.load("lesson5_sharp_flat")
    r = study_scenario(s, [1, 4, 20], seeds=3, budget="epochs")
    # the run: full batch, 600 updates = 600 epochs; every B gets 600 epochs
    assert [b.updates for b in r.results] == [12000, 3000, 600]
    assert all(b.epochs == 600 for b in r.results)
    assert r.test_shift == (0.2, 0.1)
    for b in r.results:
        assert b.test_loss is not None and np.all(np.isfinite(b.test_loss))
    full = r.results[-1]
    assert full.fraction_in(1) == 1.0  # the canyon
    assert np.all(full.test_loss - full.final_loss > 0.5)
    assert np.all(full.sharpness > 40)
    assert "test loss" in r.table()


def test_json_is_strict_with_diverging_runs():
    problem = Problem(get_surface("double_well"), examples=20, noise=0.1, seed=0)
    cfg = RunConfig(optimizer="gd", hyper=(("lr", 0.3),), batch_size=20, start=(2.0, 0.5),
                    steps=40)
    r = batch_size_study(problem, cfg, [1, 20], seeds=4, test_shift=(0.1, 0.0))
    assert r.results[-1].fraction_diverged == 1.0
    doc = strict_json(r.to_json())
    full = doc["batch_sizes"][1]
    assert full["final_loss"]["values"] == [None] * 4 and full["final_loss"]["median"] is None
    assert full["fraction_diverged"] == 1.0 and full["minimum"] == [-1] * 4
    assert doc["test_shift"] == [0.1, 0.0]


def test_progress_and_cancel():
    s = sc.load("lesson2_saddle")
    seen: list[float] = []
    study_scenario(s, [1, 20], seeds=3, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    with pytest.raises(Cancelled):
        study_scenario(s, [1, 20], seeds=3, should_stop=lambda: True)


def test_bad_arguments():
    s = sc.load("lesson2_saddle")
    for text, match in [("1,30", r"1\.\.20"), ("0", r"1\.\.20"), ("1,,2", "not a whole number"),
                        ("a", "not a whole number"), ("", "comma-separated"),
                        ("5,5", "twice"), ("1.5", "not a whole number")]:
        with pytest.raises(ValueError, match=match):
            parse_batch_sizes(text, 20)
    assert parse_batch_sizes("1, 2,full", 20) == (1, 2, 20)
    with pytest.raises(ValueError, match="--seeds"):
        study_scenario(s, [1], seeds=0)
    with pytest.raises(ValueError, match="--run"):
        study_scenario(s, [1], seeds=1, run=3)
    with pytest.raises(ValueError, match="budget"):
        study_scenario(s, [1], seeds=1, budget="hours")


def test_cli_table_and_json(tmp_path):
    r = cli("study", "lesson2_saddle", "--batch-sizes", "1,5,20", "--seeds", "4")
    assert r.returncode == 0, r.stderr
    assert "saddle" in r.stdout and "updates" in r.stdout
    r = cli("study", "lesson2_saddle", "--batch-sizes", "1,20", "--seeds", "3", "--run", "1",
            "--json", "-")
    assert r.returncode == 0, r.stderr
    doc = strict_json(r.stdout)
    assert [b["batch_size"] for b in doc["batch_sizes"]] == [1, 20]
    assert doc["run"]["label"] == "B = 5" and doc["seeds"] == 3
    out = tmp_path / "study.json"
    r = cli("study", "lesson2_saddle", "--seeds", "2", "--json", str(out))
    assert r.returncode == 0, r.stderr
    assert "min1" in r.stdout
    assert len(strict_json(out.read_text())["batch_sizes"]) == 5


@pytest.mark.parametrize("args, word", [
    (["--batch-sizes", "1,50"], "--batch-sizes"),
    (["--batch-sizes", "1,x"], "--batch-sizes"),
    (["--seeds", "0"], "--seeds"),
    (["--seeds", "-3"], "--seeds"),
    (["--run", "7"], "--run"),
])
def test_cli_bad_input_exits_2(args, word):
    r = cli("study", "lesson2_saddle", *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and word in lines[0], r.stderr


def test_cli_unknown_scenario_exits_2():
    r = cli("study", "no_such_scenario")
    assert r.returncode == 2 and "no such file" in r.stderr


def test_timing_study_small():
    seen: list[float] = []
    t = timing_study([1, 10, 100], n_examples=500, repeats=2, loop_subset=100,
                     progress=seen.append)
    assert t["batch_sizes"] == [1, 10, 100] and t["updates_per_epoch"] == [500, 50, 5]
    for mode in ("parallel", "no_parallel"):
        for key in ("update_s", "epoch_s"):
            v = t[mode][key]
            assert len(v) == 3 and all(x > 0 for x in v)
    assert "scaled by 5" in t["note"]
    # one example at a time: an update over 100 examples costs far more than over 1
    assert t["no_parallel"]["update_s"][2] > 10 * t["no_parallel"]["update_s"][0]
    assert seen[-1] == 1.0
    assert "no parallel" in timing_table(t)
    json.dumps(t, allow_nan=False)
    with pytest.raises(Cancelled):
        timing_study([1], n_examples=50, should_stop=lambda: True)
    with pytest.raises(ValueError, match=r"1\.\.50"):
        timing_study([100], n_examples=50)


def test_cmd_study_reads_the_timing_flag(monkeypatch, capsys):
    import core.study as study

    monkeypatch.setattr(study, "timing_study",
                        lambda: timing_study([1, 10], n_examples=100, repeats=1))
    args = argparse.Namespace(scenario="lesson2_saddle", batch_sizes="1,20", seeds=2, run=0,
                              json="-", timing=True)
    assert cmd_study(args) == 0
    doc = strict_json(capsys.readouterr().out)
    assert doc["timing"]["batch_sizes"] == [1, 10]
    args.json = None
    assert cmd_study(args) == 0
    assert "timing on this computer" in capsys.readouterr().out

"""The batch-size study, the timing study and ``python main.py study``."""

from __future__ import annotations

import argparse
import itertools
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
    claims_study,
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
    s = s.replace_run(0, replace(s.runs[0], steps=60))
    r = study_scenario(s, [1, 4, 16], seeds=3, budget="epochs")
    # the run: full batch (N = 16), 60 updates = 60 epochs; every B gets 60 epochs
    assert [b.updates for b in r.results] == [960, 240, 60]
    assert all(b.epochs == 60 for b in r.results)
    assert r.test_shift == (0.2, 0.1)
    for b in r.results:
        assert b.test_loss is not None and np.all(np.isfinite(b.test_loss))
    full = r.results[-1]
    assert full.fraction_in(0) == 1.0  # the canyon
    assert np.all(full.test_loss - full.final_loss > 0.2)
    assert np.all(full.sharpness > 20)
    assert "test loss" in r.table()


def test_lesson5_study_reports_minima_sharpness_and_where_runs_end():
    """The lesson's claim through the study: 100 seeds, B = 16 … 1 (measured: the full batch
    ends in the canyon in 100 %, B = 1 in the basin in 100 %)."""
    s = sc.load("lesson5_sharp_flat")
    r = study_scenario(s, "16,8,4,2,1", seeds=100)
    assert len(r.minima) == 2 and len(r.saddles) == 1
    canyon, basin = 0, 1  # the surface's known points come first, in their order
    assert r.minima_sharpness[canyon] > 20 * r.minima_sharpness[basin]
    assert r.minima[canyon].value < r.minima[basin].value  # the canyon trains lower
    full, *_, one = r.results
    assert full.fraction_in(canyon) == 1.0 and full.fraction_in(basin) <= 0.1
    assert one.fraction_in(basin) >= 0.9
    for b in r.results:
        total = (sum(b.fraction_in(j) for j in range(2)) + b.fraction_at_saddle
                 + b.fraction_in_none + b.fraction_diverged)
        assert total == pytest.approx(1.0)
    doc = strict_json(r.to_json())
    for m, sharp in zip(doc["minima"], r.minima_sharpness, strict=True):
        assert set(m) == {"theta", "loss", "sharpness"} and m["sharpness"] == sharp
    by_b = {b["batch_size"]: b for b in doc["batch_sizes"]}
    assert by_b[16]["fraction_in_minimum"] == [1.0, 0.0]
    assert by_b[1]["fraction_in_minimum"][basin] == one.fraction_in(basin)
    for b in doc["batch_sizes"]:
        for key in ("sharpness", "test_loss"):
            assert set(b[key]) == {"min", "median", "max", "values"}
            assert len(b[key]["values"]) == 100
        assert {"fraction_in_none", "fraction_at_saddle", "fraction_diverged",
                "fraction_in_no_minimum"} <= set(b)
    # the canyon's end points are sharp and rise under the shift; the basin's are flat
    assert by_b[16]["sharpness"]["median"] > 20 * by_b[1]["sharpness"]["median"]
    assert by_b[16]["test_loss"]["median"] > by_b[1]["test_loss"]["median"]


def test_custom_expression_study_finds_the_saddle_and_minima():
    """A custom expression has no known critical points: the study finds them itself, and the
    full batch that stalls at the saddle counts as "at a saddle", not "escaped"."""
    s = sc.loads("""
title = "custom saddle"
[surface]
expression = "0.5*x**2 + 0.25*y**4 - 0.5*y**2"
range = [[-2.0, 2.0], [-1.6, 1.6]]
examples = 20
noise = 0.3
[[runs]]
optimizer = "gd"
lr = 0.1
batch_size = 20
start = [1.8, 0.0]
steps = 200
""")
    r = study_scenario(s, [1, 20], seeds=10)
    assert len(r.minima) == 2 and len(r.saddles) == 1
    np.testing.assert_allclose(r.saddles[0].theta, (0.0, 0.0), atol=1e-12)
    for m in r.minima:
        assert abs(abs(m.theta[1]) - 0.94) < 0.01
    one, full = r.results
    assert full.fraction_at_saddle == 1.0 and full.fraction_escaped == 0.0
    assert one.fraction_at_saddle == 0.0 and one.fraction_in(-1) == 0.0
    assert all(v > 0 for v in r.minima_sharpness)


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


# ------------------------------------------------------------------ the lecture's claims


def test_claims_on_lesson5_small_batches_end_flat_and_test_lower():
    s = sc.load("lesson5_sharp_flat")
    r = study_scenario(s, [16, 4, 1], seeds=6, claims=True)
    c = r.claims
    assert c is not None and r.budget == "updates" and c.updates is r
    # equal updates: T for every B; equal epochs: those B = 1 makes in T updates
    assert [x.updates for x in c.updates.results] == [1500] * 3
    assert c.epochs_of == 1 and [x.updates for x in c.epochs.results] == [94, 375, 1500]
    assert [f for f, _ in c.lr] == [0.5, 1.0, 2.0]
    assert [st.config.lr for _, st in c.lr] == [0.025, 0.05, 0.1]
    # the flat minimum is the basin near (−1, 0), the sharp one the canyon
    assert c.n_minima == 2 and c.flat is not None and c.sharp is not None
    assert np.allclose(c.flat, (-1.0, 0.0), atol=0.05) and c.sharp[0] > 0.4
    assert c.sharp_sharpness > 20 * c.flat_sharpness
    flat = c.fraction_flat(r)
    assert flat[-1] == 1.0 and flat[0] == 0.0  # B = 1 flat, the full batch sharp
    assert np.mean(c.ends_sharp(r, r.results[0])) == 1.0
    v = {x.claim: x for x in c.verdicts}
    flat_v = v["small batches end in flatter minima"]
    assert flat_v.status == "supported"
    assert "B = 1 ends in the flat minimum" in flat_v.text and "B = 16: flat 0 %, sharp 100 %" \
        in flat_v.text
    assert v["small batches reach a lower testing loss"].status == "supported"
    # honest: the canyon is deeper, so the full batch ends with the lower training loss here
    assert v["small batches reach a lower training loss"].status == "opposite"
    doc = strict_json(r.to_json())
    assert {"batch_sizes", "minima", "budget", "seconds"} <= doc.keys()  # old keys kept
    cl = doc["claims"]
    assert cl["flat_minimum"]["sharpness"] == pytest.approx(c.flat_sharpness)
    assert [b["updates"] for b in cl["equal_epochs"]] == [94, 375, 1500]
    assert cl["equal_updates"][2]["fraction_flat"] == 1.0
    assert [x["factor"] for x in cl["lr_sweep"]] == [0.5, 1.0, 2.0]
    assert cl["lr_sweep"][0]["batch_sizes"][0]["lr_over_b"] == pytest.approx(0.025 / 16)
    assert cl["verdicts"][0]["status"] == "supported"
    assert "SUPPORTED" in r.table()


def test_claims_on_a_bowl_cannot_be_shown_with_one_minimum():
    problem = Problem(get_surface("quadratic"), examples=16, noise=0.1, seed=0)
    cfg = RunConfig(optimizer="gd", hyper=(("lr", 0.05),), batch_size=16, start=(2.0, 1.5),
                    steps=300)
    r = claims_study(problem, cfg, [1, 16], seeds=4)
    c = r.claims
    assert c is not None and c.n_minima == 1
    v = {x.claim: x for x in c.verdicts}
    flat_v = v["small batches end in flatter minima"]
    assert flat_v.status == "cannot be shown" and "only one minimum" in flat_v.text
    assert v["a larger η/B ends in the flat minimum more often"].status == "cannot be shown"
    assert v["small batches reach a lower testing loss"].status == "cannot be shown"
    assert "test_shift" in v["small batches reach a lower testing loss"].text


def test_claims_refuse_a_budget_and_report_progress():
    s = sc.load("lesson5_sharp_flat")
    with pytest.raises(ValueError, match="--claims"):
        study_scenario(s, [16, 1], seeds=2, claims=True, budget="epochs")
    seen: list[float] = []
    study_scenario(s, [16, 1], seeds=2, claims=True, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == pytest.approx(1.0)
    assert all(a <= b + 1e-12 for a, b in itertools.pairwise(seen))


def test_cli_claims_json_adds_keys():
    out = cli("study", "lesson5_sharp_flat", "--batch-sizes", "16,1", "--seeds", "3",
              "--claims", "--json", "-")
    assert out.returncode == 0, out.stderr
    doc = strict_json(out.stdout)
    assert "batch_sizes" in doc and doc["claims"]["verdicts"][0]["status"] == "supported"


def test_claims_with_equally_sharp_minima_and_the_gap_from_fewer_updates():
    """Lesson 2: B = 1 ends in either of two mirror-image minima (the same λ_max), so no
    minimum is flatter; the full batch stays at the saddle, and its training-loss gap at equal
    epochs is partly a matter of making fewer updates."""
    s = sc.load("lesson2_saddle")
    r = study_scenario(s, [1, 20], seeds=6, claims=True)
    c = r.claims
    assert c is not None and len(c.ended) == 2 and not c.has_choice
    v = {x.claim: x for x in c.verdicts}
    flat_v = v["small batches end in flatter minima"]
    assert flat_v.status == "cannot be shown" and "about as sharp" in flat_v.text
    train = v["small batches reach a lower training loss"]
    assert train.status == "supported" and "100 % of the seed pairs" in train.text
    assert [x.updates for x in c.epochs.results] == [200, 10]
    assert "at equal epochs (10: B = 20 makes 10 updates)" in train.text
    assert "closes" in train.text  # the gap shrinks with as many updates, measured

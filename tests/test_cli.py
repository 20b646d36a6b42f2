"""The headless command line: run, list, JSON/CSV output and exit code 2 on bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_list():
    r = cli("list")
    assert r.returncode == 0, r.stderr
    for word in ("rosenbrock", "himmelblau", "momentum", "adam", "saddle"):
        assert word in r.stdout


def test_run_table():
    r = cli("run", "saddle")
    assert r.returncode == 0, r.stderr
    assert "full batch GD" in r.stdout and "final loss" in r.stdout
    assert "stopped at a saddle point" in r.stdout


def test_run_json_schema_and_values():
    r = cli("run", "saddle", "--json", "-")
    assert r.returncode == 0, r.stderr
    assert "NaN" not in r.stdout and "Infinity" not in r.stdout
    doc = json.loads(r.stdout)
    assert set(doc["surface"]) == {"name", "expression", "examples", "noise", "range"}
    run = doc["runs"][2]
    assert set(run) == {"label", "optimizer", "hyper", "batch_size", "seed", "status", "message",
                        "theta", "loss", "grad", "movement", "batch_loss", "batch", "epoch"}
    T = len(run["grad"])
    assert len(run["theta"]) == len(run["loss"]) == T + 1
    assert len(run["movement"]) == len(run["batch"]) == len(run["epoch"]) == T
    assert run["batch_size"] == 1 and all(len(b) == 1 for b in run["batch"])
    theta = np.array(run["theta"])
    np.testing.assert_array_equal(np.diff(theta, axis=0), np.array(run["movement"]))
    # an epoch of batch size 1 over N = 20 sees each example once
    assert sorted(i for b in run["batch"][:20] for i in b) == list(range(20))
    assert run["epoch"][:21] == [0] * 20 + [1]
    # the numbers are the engine's, bit for bit
    from core import scenario
    from core.run import simulate_scenario

    _, trajs = simulate_scenario(scenario.load("saddle"))
    assert trajs[2].theta.tolist() == run["theta"]


def test_run_csv(tmp_path):
    out = tmp_path / "t.csv"
    r = cli("run", "saddle", "--csv", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[0]["label"] == "full batch GD" and rows[0]["t"] == "0"
    assert {r["label"] for r in rows} == {"full batch GD", "batch 5 SGD", "batch 1 SGD",
                                          "momentum λ=0.9, batch 5"}


def test_diverging_run_reported(tmp_path):
    f = tmp_path / "boom.toml"
    f.write_text('[surface]\nname = "rosenbrock"\n[[runs]]\nlabel = "big"\nlr = 0.5\n'
                 'start = [-1.5, 2.0]\nsteps = 100\n')
    r = cli("run", str(f), "--json", "-")
    assert r.returncode == 0, r.stderr
    run = json.loads(r.stdout)["runs"][0]
    assert run["status"] == "diverged" and "diverged at update" in run["message"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "nonexistent.toml"], "no such file or built-in scenario"),
        (["run"], "the following arguments are required"),
        (["run", "saddle", "--bogus"], "unrecognized arguments"),
        (["run", "saddle", "--json", "/nonexistent-dir/x.json"], "does not exist"),
    ],
)
def test_bad_input_exit_2(args, message):
    r = cli(*args)
    assert r.returncode == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[surface\n", "invalid TOML"),
        ('[surface]\nexpression = "__import__(\'os\').system(\'echo pwned\')"\n', "expression"),
        ('[surface]\nexpression = "x + z"\n', "unknown name 'z' at column 5"),
        ("[[runs]]\nlr = -1\n", "runs[0].lr"),
        ("[[runs]]\nbatch_size = 100\n", "runs[0].batch_size"),
    ],
)
def test_bad_files_exit_2(tmp_path, content, message):
    f = tmp_path / "s.toml"
    f.write_text(content)
    r = cli("run", str(f))
    assert r.returncode == 2, r.stdout
    assert message in r.stderr and "pwned" not in r.stdout
    assert len(r.stderr.strip().splitlines()) == 1


def test_headless_commands_do_not_import_qt():
    code = ("import sys, main; main.cli(['run', 'saddle']); "
            "assert not any(m.startswith(('PySide6', 'pyqtgraph', 'OpenGL')) for m in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert r.returncode == 0, r.stderr


def test_core_never_imports_qt():
    for path in (ROOT / "core").glob("*.py"):
        text = path.read_text()
        for lib in ("PySide6", "pyqtgraph", "OpenGL", "PyQt"):
            assert f"import {lib}" not in text and f"from {lib}" not in text, path


def test_no_display_is_named_as_such():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "descent-lab: error: no display: run it in a desktop session or under xvfb-run")


def test_display_missing_rules():
    from gui.app import display_missing

    assert display_missing({}) is sys.platform.startswith("linux")
    assert not display_missing({"DISPLAY": ":1"})
    assert not display_missing({"WAYLAND_DISPLAY": "wayland-0"})
    assert not display_missing({"QT_QPA_PLATFORM": "offscreen"})
    assert display_missing({"QT_QPA_PLATFORM": "xcb"}) is sys.platform.startswith("linux")

def test_run_accepts_runs_differing_only_in_a_flag(tmp_path):
    """Two RMSprop runs differing only in ``centered`` (and two Adam runs in ``amsgrad``) were
    refused with "runs grouped together disagree on centered"."""
    f = tmp_path / "flags.toml"
    run = '[[runs]]\noptimizer = "{}"\nlr = 0.01\n{} = {}\nstart = [1.5, 0.3]\nsteps = 40\n'
    f.write_text('[surface]\nname = "saddle"\n'
                 + run.format("rmsprop", "centered", "false")
                 + run.format("rmsprop", "centered", "true")
                 + run.format("adam", "amsgrad", "false")
                 + run.format("adam", "amsgrad", "true"))
    r = cli("run", str(f), "--json", "-")
    assert r.returncode == 0, r.stderr
    runs = json.loads(r.stdout)["runs"]
    assert [x["hyper"].get("centered", x["hyper"].get("amsgrad")) for x in runs] == [
        False, True, False, True]
    assert runs[0]["theta"] != runs[1]["theta"]  # (AMSGrad equals Adam while v only grows)


def test_start_outside_the_divergence_bound_exit_2(tmp_path):
    f = tmp_path / "far.toml"
    f.write_text('[surface]\nname = "saddle"\n[[runs]]\nlabel = "far"\nstart = [2500.0, 0.3]\n')
    r = cli("run", str(f))
    assert r.returncode == 2
    assert "outside the divergence bound" in r.stderr and "not finite" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_run_json_status_of_a_run_stopped_at_the_saddle():
    r = cli("run", "saddle", "--json", "-")
    assert r.returncode == 0, r.stderr
    full = json.loads(r.stdout)["runs"][0]
    assert full["status"] == "saddle"
    assert full["message"].startswith("stopped at a saddle point θ = (")
    assert "λ₁ = " in full["message"]

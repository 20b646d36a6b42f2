"""Memory of a run's record is bounded (issue 9 §3: 64 runs × 10⁶ updates needed about 6.4 GB).

A scenario may ask for at most :data:`core.limits.MAX_TOTAL_STEPS` updates over all its runs;
more is refused with one line (exit code 2 on the command line, a message in the window) before
anything is allocated. The memory a run needs grows with its updates: a child process under an
address-space limit (``RLIMIT_AS``) must finish a run of 64 × 20,000 updates.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from core import limits
from core import scenario as sc
from tests.test_cli_hostile import subprocess_env

ROOT = Path(__file__).resolve().parent.parent
#: Address space allowed to the child processes (measured: 64 × 20,000 updates ran within
#: 350 MB and failed at 250 MB with one BLAS thread here).
AS_LIMIT = 600 * 2**20


def _scenario_text(runs: int, steps: int) -> str:
    text = '[surface]\nname = "saddle"\nexamples = 20\nnoise = 0.3\n'
    for i in range(runs):
        text += (f'\n[[runs]]\nlabel = "r{i}"\noptimizer = "{"momentum" if i % 2 else "gd"}"\n'
                 f'lr = 0.01\nbatch_size = {(1, 5, 20, 4)[i % 4]}\nstart = [1.8, {0.01 * i}]\n'
                 f'steps = {steps}\nseed = {i}\n')
    return text


def _run_limited(path: Path, limit: int = AS_LIMIT) -> subprocess.CompletedProcess[str]:
    env = dict(subprocess_env(), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run([sys.executable, str(ROOT / "main.py"), "run", str(path)], cwd=ROOT,
                          env=env, preexec_fn=limited, capture_output=True, text=True,
                          timeout=300)


def test_total_updates_over_the_limit_are_refused() -> None:
    with pytest.raises(sc.ScenarioError, match=r"at most 10,000,000 updates over all runs "
                                               r"\(got 10,000,016;"):
        sc.loads(_scenario_text(16, limits.MAX_TOTAL_STEPS // 16 + 1))
    # at the limit: accepted
    ok = sc.loads(_scenario_text(10, limits.MAX_TOTAL_STEPS // 10))
    assert sum(r.steps for r in ok.runs) == limits.MAX_TOTAL_STEPS


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS") or os.name != "posix",
                    reason="needs POSIX address-space limits")
def test_64_runs_of_a_million_updates_are_refused_before_allocating(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(_scenario_text(64, 1_000_000), encoding="utf-8")
    r = _run_limited(path)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert "at most 10,000,000 updates over all runs (got 64,000,000" in lines[0]


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS") or os.name != "posix",
                    reason="needs POSIX address-space limits")
def test_a_large_run_fits_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.toml"
    path.write_text(_scenario_text(64, 20_000), encoding="utf-8")
    r = _run_limited(path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    assert r.stdout.count("r63") == 1  # the table names every run


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS") or os.name != "posix",
                    reason="needs POSIX address-space limits")
def test_out_of_memory_is_one_line(tmp_path: Path) -> None:
    """A run that does not fit a tight limit (ulimit -v) ends with one line, exit code 2."""
    path = tmp_path / "large.toml"
    path.write_text(_scenario_text(64, 100_000), encoding="utf-8")
    r = _run_limited(path, 300 * 2**20)
    assert r.returncode == 2, r.stderr[-2000:]
    assert r.stderr.splitlines() == [
        "descent-lab: error: out of memory (a smaller scenario needs less: fewer runs or "
        "updates)"], r.stderr[-2000:]

"""Engine benchmarks: print figures (with ratios against baselines measured in the same run).

    python benchmarks/bench_core.py

1. simulate the default scenario's 4 runs for 1,000 updates each; budget: well under
   one 60 Hz frame (16.7 ms). Baseline: the same 4 runs simulated one at a time.
2. updates per second for K = 10,000 runs stepping together, against K = 1 stepping alone.
3. a 256×256 grid of the full loss for N = 1,000 examples, against one row at a time.
4. a 100×100 basin map of 200 updates (budget 2 s), against one start at a time
   (from bench_lessons.py, which also times the study).
5. memory of a 1,000,000-update record.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import sampler
from core import scenario as sc
from core.problem import Problem
from core.run import simulate
from core.surfaces import get_surface


def best_of(fn, repeat: int = 7) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_default() -> None:
    s = sc.load("saddle")
    problem = Problem(s.surface.surface(), s.surface.examples, s.surface.noise, s.surface.seed)
    runs = [replace(r, steps=1000) for r in s.runs]
    assert len(runs) == 4
    # many repeats: the best of them is the machine's speed, not another process's load
    together = best_of(lambda: simulate(problem, runs), repeat=40)
    alone = best_of(lambda: [simulate(problem, [r]) for r in runs], repeat=15)
    # the shuffle tables are kept between simulations (as when the app re-simulates on every
    # control change); without them:
    cold = best_of(lambda: (sampler._tables.clear(), simulate(problem, runs)), repeat=20)
    print(f"simulate 4 runs x 1,000 updates (default scenario): {together * 1e3:.2f} ms "
          f"({together / (1 / 60):.2f} of a 60 Hz frame; new shuffle tables: "
          f"{cold * 1e3:.2f} ms); one run at a time: {alone * 1e3:.2f} ms "
          f"(x{alone / together:.2f})")


def bench_many_runs() -> None:
    problem = Problem(get_surface("saddle"), examples=20, noise=0.3, seed=0)
    base = sc.RunConfig(label="r", optimizer="momentum", hyper=(("lr", 0.02), ("momentum", 0.9)),
                        batch_size=5, start=(1.8, 0.0), steps=100, seed=0)
    rng = np.random.default_rng(0)
    k = 10_000
    starts = rng.uniform(-1.5, 1.5, (k, 2))
    many = [replace(base, start=(float(a), float(b))) for a, b in starts]
    t_many = best_of(lambda: simulate(problem, many), repeat=3)
    t_one = best_of(lambda: simulate(problem, [base]), repeat=7)
    ups_many = k * base.steps / t_many
    ups_one = base.steps / t_one
    print(f"K = {k:,} runs stepping together: {ups_many:,.0f} updates/s; "
          f"K = 1: {ups_one:,.0f} updates/s (x{ups_many / ups_one:.0f})")


def bench_grid() -> None:
    problem = Problem(get_surface("rosenbrock"), examples=1000, noise=0.1, seed=0)
    xs = np.linspace(-2, 2, 256)
    ys = np.linspace(-1, 3, 256)
    t_grid = best_of(lambda: problem.loss_grid(xs, ys), repeat=3)
    t_row = best_of(lambda: problem.loss_grid(xs[:1], ys), repeat=3)
    print(f"256x256 grid of the full loss, N = 1,000: {t_grid * 1e3:.0f} ms "
          f"(row by row: {t_row * 256 * 1e3:.0f} ms, x{t_row * 256 / t_grid:.2f})")


def bench_memory() -> None:
    """A 1,000,000-update run: its record's size, the peak RSS growth, and time.

    Measured in a fresh process, so that earlier benchmarks' peaks do not hide it
    (tracemalloc is not used: it slows the allocation-heavy stepping loop about fivefold).
    """
    import subprocess

    code = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from core.problem import Problem
from core.run import simulate
from core.scenario import RunConfig
from core.surfaces import get_surface

def peak_rss_kb():
    # VmHWM: this process's own peak (ru_maxrss would start from the parent's at fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

problem = Problem(get_surface("saddle"), examples=20, noise=0.3, seed=0)
cfg = RunConfig(label="long", optimizer="gd", hyper=(("lr", 0.01),), batch_size=1,
                start=(1.8, 0.0), steps=1_000_000)
before = peak_rss_kb()
t0 = time.perf_counter()
(tr,) = simulate(problem, [cfg])
dt = time.perf_counter() - t0
grown = peak_rss_kb() - before
kept = sum(a.nbytes for a in (tr.theta, tr.loss, tr.grad, tr.batch_loss, tr.epoch))
print(f"1,000,000 updates: record {{kept / 1e6:.0f}} MB, peak RSS grew by "
      f"{{grown / 1e3:.0f}} MB while simulating, {{dt:.1f}} s")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    print(out.stdout.strip())


if __name__ == "__main__":
    bench_default()
    bench_many_runs()
    bench_grid()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_lessons import bench_basins

    bench_basins(quick=True)
    if "--quick" not in sys.argv:
        bench_memory()

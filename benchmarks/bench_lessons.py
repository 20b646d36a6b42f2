"""Lesson benchmarks: basin maps, the batch-size study and the timing figure.

    python benchmarks/bench_lessons.py [--quick]

1. a 100 × 100 basin map (K = 10,000 starts) of 200 updates, for the lesson surfaces; budget:
   ≤ 2 s. Baseline: a loop over the starts one at a time — timed on a subset of 200 starts and
   scaled up to 10,000 (said in the output), once with ``simulate`` (the full record, as the
   window would) and once with a one-run ensemble (stepping only).
2. the batch-size study of lesson 2 (5 batch sizes × 20 seeds × 200 updates).
3. the lecture's timing figure on this computer (one update / one epoch against B).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import scenario as sc
from core.basins import Ensemble, basin_map
from core.run import problem_of, simulate
from core.study import study_scenario, timing_study, timing_table

SUBSET = 200
GRID = 100
STEPS = 200


def best_of(fn, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_basins(quick: bool) -> None:
    cases = [("lesson3_local_minimum", 0), ("lesson3_local_minimum", 1),
             ("lesson2_saddle", 0), ("lesson7_tiny_network", 2), ("lesson5_sharp_flat", 0)]
    if quick:
        cases = cases[:2]
    print(f"basin map {GRID}x{GRID} starts x {STEPS} updates (budget: <= 2 s)")
    for name, run in cases:
        s = sc.load(name)
        problem = problem_of(s)
        cfg = replace(s.runs[run], steps=STEPS)
        t_map = best_of(lambda p=problem, c=cfg: basin_map(p, c, grid=GRID), 1 if quick else 2)
        rng = np.random.default_rng(0)
        (x0, x1), (y0, y1) = problem.surface.range
        starts = np.column_stack([rng.uniform(x0, x1, SUBSET), rng.uniform(y0, y1, SUBSET)])
        configs = [replace(cfg, start=(float(a), float(b))) for a, b in starts]
        t0 = time.perf_counter()
        for c in configs:
            simulate(problem, [c])
        t_sim = (time.perf_counter() - t0) * (GRID * GRID / SUBSET)
        t0 = time.perf_counter()
        for c in configs:
            Ensemble.from_config(problem, c).run(STEPS)
        t_one = (time.perf_counter() - t0) * (GRID * GRID / SUBSET)
        print(f"  {name} run {run} ({cfg.optimizer}, B = {cfg.batch_size}, "
              f"{problem.surface.name}): {t_map:.2f} s"
              f" {'OK' if t_map <= 2.0 else 'OVER BUDGET'}; one start at a time "
              f"(timed on {SUBSET} starts, scaled x{GRID * GRID // SUBSET}): simulate "
              f"{t_sim:.1f} s (x{t_sim / t_map:.0f}), stepping only {t_one:.1f} s "
              f"(x{t_one / t_map:.0f})")


def bench_study() -> None:
    s = sc.load("lesson2_saddle")
    t = best_of(lambda: study_scenario(s, "1,2,5,10,20", seeds=20))
    print(f"batch-size study, lesson 2 (5 batch sizes x 20 seeds x 200 updates): {t * 1e3:.1f} ms")


def bench_timing() -> None:
    t0 = time.perf_counter()
    t = timing_study()
    print(timing_table(t))
    print(f"(timing study took {time.perf_counter() - t0:.2f} s)")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    bench_basins(quick)
    bench_study()
    bench_timing()

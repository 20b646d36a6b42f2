"""Batch-size study benchmark: 5 batch sizes × 100 seeds × 1,500 updates on N = 16 examples.

    python benchmarks/bench_study.py [--quick]

The study of lesson 5 (``python main.py study lesson5_sharp_flat --batch-sizes 16,8,4,2,1
--seeds 100``): 500 runs stepping together, then the critical points found by Newton's method
(from the 500 end points and a coarse grid), every end point labelled, its training and
testing loss and sharpness λ_max. Budget: ≤ 2 s. Also timed (no budget of its own): the same
with the lecture's claims (``--claims``: four studies). Baseline, measured in the same run: every
run simulated one at a time with ``simulate`` (the full record, as the window does), timed on
a subset of the runs and scaled up to 500 (said in the output). The best of several repeats
is printed: the machine is shared, and a busy neighbour makes any single timing slower.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import scenario as sc
from core.basins import find_critical_points
from core.run import problem_of, simulate
from core.study import study_scenario

SIZES = (16, 8, 4, 2, 1)
SEEDS = 100
BUDGET_S = 2.0


def best_of(fn, repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(quick: bool) -> None:
    s = sc.load("lesson5_sharp_flat")
    problem = problem_of(s)
    run = s.runs[0]
    assert problem.n == 16 and run.steps == 1500
    runs = len(SIZES) * SEEDS
    result = study_scenario(s, SIZES, SEEDS)  # warm-up (shuffle tables, compiled programs)
    t_study = best_of(lambda: study_scenario(s, SIZES, SEEDS), 2 if quick else 5)
    ends = result.results[0].final_theta
    t_find = best_of(lambda: find_critical_points(problem, ends), 3)
    subset = 10 if quick else 25
    configs = [replace(run, batch_size=b, seed=k) for b in SIZES for k in range(subset // 5)]
    t0 = time.perf_counter()
    for c in configs:
        simulate(problem, [c])
    t_alone = (time.perf_counter() - t0) * runs / len(configs)
    print(f"batch-size study, {len(SIZES)} batch sizes x {SEEDS} seeds x {run.steps:,} updates "
          f"(N = {problem.n}, lesson 5): {t_study:.2f} s "
          f"{'OK' if t_study <= BUDGET_S else 'OVER BUDGET'} (budget <= {BUDGET_S:g} s); "
          f"of which finding the critical points {t_find * 1e3:.0f} ms; "
          f"one run at a time with simulate (timed on {len(configs)} runs, scaled "
          f"x{runs / len(configs):g}): {t_alone:.1f} s (x{t_alone / t_study:.0f})")
    # the lecture's claims: the same study at equal epochs and at η/2 and 2η besides (four
    # studies; no run makes more than the 1,500 updates): no budget of its own, reported
    t_claims = best_of(lambda: study_scenario(s, SIZES, SEEDS, claims=True), 1 if quick else 3)
    print(f"with the lecture's claims (equal updates, equal epochs, η/2, 2η: {4 * runs} runs): "
          f"{t_claims:.2f} s (x{t_claims / t_study:.1f} the study)")


if __name__ == "__main__":
    main("--quick" in sys.argv)

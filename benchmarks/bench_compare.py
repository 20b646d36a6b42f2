"""The default scenario's simulation, this checkout against another commit, in one run.

    python benchmarks/bench_compare.py REV [--rounds 5]

Checks REV out into a temporary git worktree and times ``simulate`` of the default scenario's
4 runs × 1,000 updates (best of 40 per round) in a fresh process of each code, alternating
old and new for ``--rounds`` rounds so that a busy machine slows both alike. Prints the best
figure of each and the ratio new / old (goal: ≤ 1.0 within the noise).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent

_TIMER = r"""
import sys, time
from dataclasses import replace
sys.path.insert(0, sys.argv[1])
from core import scenario as sc
from core.problem import Problem
from core.run import simulate
s = sc.load("saddle")
problem = Problem(s.surface.surface(), s.surface.examples, s.surface.noise, s.surface.seed)
runs = [replace(r, steps=1000) for r in s.runs]
simulate(problem, runs)
best = float("inf")
for _ in range(40):
    t0 = time.perf_counter()
    simulate(problem, runs)
    best = min(best, time.perf_counter() - t0)
print(best)
"""


T = TypeVar("T")


def alternate(rev: str, rounds: int, measure: Callable[[Path], T]) -> tuple[list[T], list[T]]:
    """``measure`` of a temporary worktree of ``rev`` and of this checkout, alternating (old
    first) for ``rounds`` rounds, so that a busy machine slows both alike: (old, new)."""
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                        str(old_tree), rev], check=True)
        try:
            old, new = [], []
            for _ in range(rounds):
                old.append(measure(old_tree))
                new.append(measure(ROOT))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(old_tree)], check=False)
    return old, new


def _time(tree: Path) -> float:
    out = subprocess.run([sys.executable, "-c", _TIMER, str(tree)], check=True, text=True,
                         capture_output=True, cwd=tree)
    return float(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="the commit to compare with (e.g. HEAD~3)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    old, new = alternate(args.rev, args.rounds, _time)
    print(f"simulate 4 runs x 1,000 updates: this checkout {min(new) * 1e3:.2f} ms, "
          f"{args.rev} {min(old) * 1e3:.2f} ms (ratio {min(new) / min(old):.3f}, "
          f"best of {args.rounds} rounds x 40)")


if __name__ == "__main__":
    main()

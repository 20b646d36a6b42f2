"""Long engine computations stop soon after ``should_stop()`` says so (issue 9 §2.2): the
window abandons work whose result is no longer wanted instead of waiting for it."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest

from core import scenario as sc
from core.cancel import Cancelled
from core.present import surface_data
from core.problem import Problem
from core.run import simulate
from core.scenario import RunConfig
from core.study import study_scenario
from core.surfaces import get_surface


class _StopAfter:
    """``should_stop`` that turns True ``delay`` seconds after the first call; records when."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.first: float | None = None
        self.stopped_at: float | None = None

    def __call__(self) -> bool:
        now = time.perf_counter()
        if self.first is None:
            self.first = now
        if now - self.first >= self.delay:
            if self.stopped_at is None:
                self.stopped_at = now
            return True
        return False


def _latency(fn, stop: _StopAfter) -> float:
    with pytest.raises(Cancelled):
        fn()
    assert stop.stopped_at is not None
    return time.perf_counter() - stop.stopped_at


def test_large_study_stops_within_a_second() -> None:
    """N = 9,999 examples, 13 batch sizes × 20 seeds: gathering one block of batches used to
    take seconds between two checks (the window's close waited 53 s)."""
    s = sc.load("saddle")
    n = 9999
    s = replace(s, surface=replace(s.surface, examples=n),
                runs=tuple(replace(r, batch_size=min(r.batch_size, n)) for r in s.runs))
    sizes = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, n]
    stop = _StopAfter(0.3)
    assert _latency(lambda: study_scenario(s, sizes, 20, 0, should_stop=stop), stop) < 1.0


def test_simulate_and_grid_stop_between_chunks() -> None:
    p = Problem(get_surface("saddle"), examples=2000, noise=0.3)
    stop = _StopAfter(0.05)
    cfg = RunConfig(batch_size=7, steps=200_000, start=(0.5, 0.5),
                    hyper=(("lr", 1e-4),))
    assert _latency(lambda: simulate(p, [cfg], should_stop=stop), stop) < 0.5
    stop = _StopAfter(0.05)
    assert _latency(lambda: surface_data(p, 201, should_stop=stop), stop) < 0.5
    # not stopped: the same numbers as without should_stop
    small = replace(cfg, steps=300)
    (a,) = simulate(p, [small])
    (b,) = simulate(p, [small], should_stop=lambda: False)
    np.testing.assert_array_equal(a.theta, b.theta)

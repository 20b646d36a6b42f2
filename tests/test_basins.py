"""Basins of attraction and the vectorized ensemble: same bits as simulate, labels, cancel."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from core import scenario as sc
from core.basins import (
    BasinMap,
    Cancelled,
    Ensemble,
    basin_changes,
    basin_map,
    capture_radius,
    end_labels,
    find_critical_points,
    nearest_label,
)
from core.problem import CriticalPoint, Problem
from core.run import problem_of, simulate
from core.scenario import RunConfig
from core.surfaces import custom_surface, get_surface


@pytest.fixture(scope="module")
def well():
    s = sc.load("lesson3_local_minimum")
    return problem_of(s), s.runs


def _check_against_simulate(problem: Problem, bm: BasinMap, sample: int = 12) -> None:
    """Runs simulated one at a time end on exactly the same θ, with the same labels."""
    rng = np.random.default_rng(1)
    ii = rng.integers(0, len(bm.xs), sample)
    jj = rng.integers(0, len(bm.ys), sample)
    configs = [replace(bm.config, start=(float(bm.xs[i]), float(bm.ys[j])))
               for i, j in zip(ii, jj, strict=True)]
    for cfg, i, j in zip(configs, ii, jj, strict=True):
        (t,) = simulate(problem, [cfg])  # one run alone
        if t.status == "diverged":
            assert bm.labels[i, j] == -1 and bm.diverged[i, j]
            np.testing.assert_array_equal(bm.final_theta[i, j], t.theta[-1])  # last inside
            continue
        np.testing.assert_array_equal(bm.final_theta[i, j], t.theta[-1])
        assert bm.final_loss[i, j] == t.loss[-1]
        assert bm.labels[i, j] == end_labels(problem, t.theta[-1:]).minimum[0]


@pytest.mark.parametrize("which", [0, 1])  # gd, momentum
def test_basin_map_matches_single_runs(well, which):
    problem, runs = well
    bm = basin_map(problem, runs[which], grid=(40, 30), steps=120)
    assert bm.labels.shape == (40, 30) and bm.final_theta.shape == (40, 30, 2)
    assert bm.starts.shape == (40, 30, 2)
    assert bm.xs[0] == problem.surface.range[0][0] and bm.ys[-1] == problem.surface.range[1][1]
    assert set(np.unique(bm.labels)) <= {-1, 0, 1}
    assert sum(bm.fractions().values()) == pytest.approx(1.0)
    _check_against_simulate(problem, bm)


def test_basin_map_mini_batches_and_large_n():
    """Shuffled batches (shared by all starts) and an un-masked problem (N > 64)."""
    for n, bs in ((20, 5), (100, 7)):
        problem = Problem(get_surface("saddle"), examples=n, noise=0.3, seed=2)
        cfg = RunConfig(label="sgd", optimizer="momentum",
                        hyper=(("lr", 0.05), ("momentum", 0.8)), batch_size=bs, seed=3,
                        steps=60)
        bm = basin_map(problem, cfg, grid=12)
        _check_against_simulate(problem, bm, sample=6)


def test_momentum_changes_where_starts_end(well):
    problem, (gd, mom) = well
    a = basin_map(problem, gd, grid=(60, 6))
    b = basin_map(problem, mom, grid=(60, 6))
    changed = basin_changes(a, b)
    assert 0.05 < changed.mean() < 0.9
    # the lesson's start: gd ends in the shallow minimum (1), momentum in the deep one (0)
    assert a.label_at(*gd.start) == 1 and b.label_at(*mom.start) == 0
    # the double well is separable: where a start ends does not depend on y
    assert np.all(a.labels == a.labels[:, :1]) and np.all(b.labels == b.labels[:, :1])
    with pytest.raises(ValueError, match="same grid"):
        basin_changes(a, basin_map(problem, gd, grid=(10, 6)))


def test_progress_and_cancel(well):
    problem, (gd, _) = well
    seen: list[float] = []
    basin_map(problem, gd, grid=10, steps=50, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and len(seen) > 5
    assert all(b >= a for a, b in itertools.pairwise(seen))
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        basin_map(problem, gd, grid=10, steps=50, should_stop=stop)
    assert len(calls) == 4  # stopped after 3 updates, not at the end


def test_diverged_runs_are_labelled_minus_one():
    problem = Problem(get_surface("double_well"), examples=20, noise=0.1, seed=0)
    cfg = RunConfig(optimizer="gd", hyper=(("lr", 0.3),), batch_size=20, steps=40)
    bm = basin_map(problem, cfg, grid=15)
    assert bm.diverged.any() and not bm.diverged.all()
    assert np.all(bm.labels[bm.diverged] == -1)
    assert np.all(np.isnan(bm.final_loss[bm.diverged]))
    assert np.all(np.isfinite(bm.final_theta))  # the last θ inside the bound is kept
    _check_against_simulate(problem, bm, sample=15)


def test_bad_input():
    problem = Problem(get_surface("saddle"), examples=20)
    cfg = RunConfig()
    with pytest.raises(ValueError, match="grid"):
        basin_map(problem, cfg, grid=1)
    with pytest.raises(ValueError, match="batch size"):
        Ensemble(problem, "gd", {"lr": 0.1}, np.zeros((3, 2)), batch_sizes=21)
    with pytest.raises(ValueError, match="finite"):
        Ensemble(problem, "gd", {"lr": 0.1}, np.full((1, 2), np.nan), batch_sizes=1)
    with pytest.raises(ValueError, match="unknown optimizer"):
        Ensemble(problem, "sgdx", {"lr": 0.1}, np.zeros((1, 2)), batch_sizes=1)


def test_ensemble_per_run_step_counts():
    problem = Problem(get_surface("saddle"), examples=20, noise=0.3, seed=0)
    base = RunConfig(optimizer="gd", hyper=(("lr", 0.1),), batch_size=4, start=(1.0, 0.2))
    counts = np.array([0, 3, 17, 40])
    seeds = np.array([0, 1, 2, 3])
    res = Ensemble.from_config(problem, base, starts=np.tile(base.start, (4, 1)),
                               seeds=seeds).run(counts)
    for k in range(4):
        (t,) = simulate(problem, [replace(base, steps=int(counts[k]), seed=int(seeds[k]))])
        np.testing.assert_array_equal(res.theta[k], t.theta[-1])
    assert res.updates.tolist() == counts.tolist()


@pytest.mark.parametrize("n", [20, 100])  # masked weights over all N, and gathered batches
def test_ensemble_mixed_batch_sizes_and_seeds(n):
    problem = Problem(get_surface("neuron"), examples=n, noise=0.2, seed=1)
    base = RunConfig(optimizer="adam", hyper=(("lr", 0.05),), start=(0.3, -0.2), steps=45)
    sizes = np.array([3, 7, n, 3, 7, 1])
    seeds = np.array([0, 0, 0, 5, 5, 5])
    starts = np.random.default_rng(0).uniform(-1, 1, (6, 2))
    res = Ensemble.from_config(problem, base, starts=starts, seeds=seeds,
                               batch_sizes=sizes).run(45)
    for k in range(6):
        cfg = replace(base, start=tuple(starts[k]), batch_size=int(sizes[k]), seed=int(seeds[k]))
        (t,) = simulate(problem, [cfg])
        np.testing.assert_array_equal(res.theta[k], t.theta[-1])


def test_labels_and_radius():
    pts = [CriticalPoint((0.0, 0.0), "saddle", 0.0), CriticalPoint((0.0, 1.0), "minimum", -1.0),
           CriticalPoint((5.0, 0.0), "minimum", -2.0)]
    assert capture_radius(pts) == 0.25
    assert capture_radius(pts[:1]) == 0.25
    close = [CriticalPoint((0.0, 0.0), "minimum", 0.0), CriticalPoint((0.4, 0.0), "minimum", 0.0)]
    assert capture_radius(close) == pytest.approx(0.1)
    theta = np.array([[0.0, 0.9], [5.2, 0.1], [2.0, 2.0], [np.nan, 0.0]])
    assert nearest_label(pts[1:], theta, 0.25).tolist() == [0, 1, -1, -1]
    problem = Problem(get_surface("saddle"), examples=20, noise=0.3, seed=0)
    lab = end_labels(problem, np.array([[0.0, 0.0], [0.0, 0.94], [0.0, -0.94], [1.0, 0.5]]),
                     diverged=np.array([False, False, True, False]))
    assert lab.saddle.tolist() == [0, -1, -1, -1]
    assert lab.minimum.tolist() == [-1, 0, -1, -1]
    assert [m.kind for m in lab.minima] == ["minimum", "minimum"]


# -- critical points found on any surface ---------------------------------------------------


def test_refine_many_is_refine_point_by_point():
    problem = Problem(get_surface("himmelblau"), examples=6, noise=0.2, seed=3)
    starts = np.random.default_rng(0).uniform(-5, 5, (40, 2))
    points, ok = problem.refine_many(starts)
    for q, good, p in zip(starts, ok, points, strict=True):
        one = problem.refine(tuple(q))
        assert (one is not None) == good
        if good:
            np.testing.assert_array_equal(one, p)
    assert ok.sum() > 20


def test_find_critical_points_known_first_then_all_of_himmelblau():
    problem = Problem(get_surface("himmelblau"), examples=1, noise=0.0)
    known = problem.critical_points()
    found = find_critical_points(problem)
    assert found[: len(known)] == known
    kinds = [c.kind for c in found]
    assert (kinds.count("minimum"), kinds.count("saddle"), kinds.count("maximum")) == (4, 4, 1)
    for c in found:  # each is a critical point of the kind it claims
        assert np.linalg.norm(problem.grad(np.array(c.theta))) < 1e-8
        w = np.linalg.eigvalsh(problem.hessian(np.array(c.theta)))
        assert {"minimum": w[0] > 0, "saddle": w[0] < 0 < w[1], "maximum": w[1] < 0}[c.kind]


def test_find_critical_points_on_a_custom_expression():
    # no known points: sin(x)·cos(y) on [−3, 3]² has minima, maxima and saddles at known places
    problem = Problem(custom_surface("sin(x)*cos(y)"), examples=1, noise=0.0)
    assert problem.critical_points() == []
    found = find_critical_points(problem, starts=np.array([[np.nan, 0.0], [1.5, 0.1]]))
    mins = sorted((round(c.theta[0], 6), round(c.theta[1], 6)) for c in found
                  if c.kind == "minimum")
    assert (-1.570796, 0.0) in mins and (1.570796, -3.141593) in mins
    saddles = [c for c in found if c.kind == "saddle"]
    assert any(np.allclose(c.theta, (0.0, np.pi / 2)) for c in saddles)
    lab = end_labels(problem, np.array([[-1.57, 0.01], [0.0, 1.5708]]), points=found)
    assert lab.minimum[0] >= 0 and lab.saddle[1] >= 0

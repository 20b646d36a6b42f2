"""Surfaces and problems: exact derivatives, known critical points, data and offsets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.analysis import classify
from core.problem import Problem, offsets
from core.surfaces import BUILTINS, custom_surface, get_surface

NAMES = sorted(BUILTINS)


def _fd_grad(problem, p, h):
    e = np.eye(2) * h
    return np.array([(problem.loss(p + e[k]) - problem.loss(p - e[k])) / (2 * h)
                     for k in range(2)])


def _fd_hess(problem, p, h):
    e = np.eye(2) * h
    cols = [(problem.grad(p + e[k]) - problem.grad(p - e[k])) / (2 * h) for k in range(2)]
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("name", NAMES)
@given(fx=st.floats(0.05, 0.95), fy=st.floats(0.05, 0.95), noise=st.sampled_from([0.0, 0.2]))
@settings(max_examples=25, deadline=None)
def test_gradient_and_hessian_match_finite_differences(name, fx, fy, noise):
    surface = BUILTINS[name]
    problem = Problem(surface, examples=6, noise=noise, seed=1)
    (x0, x1), (y0, y1) = surface.range
    p = np.array([x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)])
    g = problem.grad(p)
    h = problem.hessian(p)
    scale = 1.0 + float(np.max(np.abs(g)))
    hscale = 1.0 + float(np.max(np.abs(h)))
    step = 1e-5 * max(1.0, float(np.max(np.abs(p))))
    fd_g = _fd_grad(problem, p, step)
    fd_h = _fd_hess(problem, p, step)
    assume(np.all(np.isfinite(fd_g)) and np.all(np.isfinite(fd_h)))
    np.testing.assert_allclose(g, fd_g, rtol=1e-5, atol=1e-5 * scale)
    np.testing.assert_allclose(h, fd_h, rtol=1e-5, atol=1e-5 * hscale)
    np.testing.assert_array_equal(h, h.swapaxes(-1, -2))


@pytest.mark.parametrize("name", NAMES)
def test_vectorized_shapes(name):
    problem = Problem(BUILTINS[name], examples=5, noise=0.1, seed=0)
    pts = np.random.default_rng(0).uniform(-1, 1, (3, 4, 2))
    assert problem.loss(pts).shape == (3, 4)
    assert problem.grad(pts).shape == (3, 4, 2)
    assert problem.hessian(pts).shape == (3, 4, 2, 2)
    assert problem.example_losses(pts).shape == (3, 4, 5)
    np.testing.assert_allclose(problem.loss(pts), problem.example_losses(pts).mean(-1),
                               rtol=1e-13, atol=1e-13)
    # one point at a time gives the same bits as the vectorized call
    assert problem.grad(pts[1, 2]).tolist() == problem.grad(pts)[1, 2].tolist()
    z = problem.loss_grid(np.linspace(-1, 1, 7), np.linspace(-1, 2, 5))
    assert z.shape == (7, 5)
    assert z[6, 4] == problem.loss(np.array([1.0, 2.0]))


def test_offsets_in_pairs_sum_to_zero():
    d = offsets(20, 0.5, np.random.default_rng(3))
    assert d.shape == (20, 2)
    np.testing.assert_allclose(d.sum(axis=0), 0.0, atol=1e-12)
    assert sorted(map(tuple, np.round(d, 12))) == sorted(map(tuple, np.round(-d, 12)))
    odd = offsets(7, 0.5, np.random.default_rng(3))
    assert (np.all(odd == 0, axis=1)).sum() == 1


def test_symmetric_surface_keeps_symmetry_in_full_loss():
    """Bounded saddle is even in x and in y; with ± paired offsets L(x, −y) = L(x, y)."""
    problem = Problem(get_surface("saddle"), examples=20, noise=0.3, seed=0)
    pts = np.random.default_rng(1).uniform(-1.5, 1.5, (50, 2))
    flipped = pts * np.array([1.0, -1.0])
    np.testing.assert_allclose(problem.loss(pts), problem.loss(flipped), rtol=1e-12)
    # the origin stays a critical point of L, and the ridge y = 0 carries no y-gradient
    np.testing.assert_allclose(problem.grad(np.zeros(2)), 0.0, atol=1e-15)
    ridge = np.column_stack([np.linspace(-1.5, 1.5, 9), np.zeros(9)])
    np.testing.assert_allclose(problem.grad(ridge)[:, 1], 0.0, atol=1e-15)


def test_noise_zero_every_batch_gradient_is_the_full_gradient():
    problem = Problem(get_surface("rosenbrock"), examples=10, noise=0.0)
    p = np.array([-0.7, 1.3])
    full = problem.grad(p)
    for batch in ([0], [3, 4], [1, 5, 9], list(range(10))):
        np.testing.assert_allclose(problem.grad(p, np.array(batch)), full, rtol=1e-15)
    np.testing.assert_array_equal(problem.loss(p), get_surface_value("rosenbrock", p))


def get_surface_value(name, p):
    x, y = p
    return {"rosenbrock": (1 - x) ** 2 + 100 * (y - x**2) ** 2}[name]


def test_batches_differ_where_full_gradient_vanishes():
    """The lecture: where L₁ is stuck (g = 0) L₂ usually is not."""
    problem = Problem(get_surface("saddle"), examples=20, noise=0.3, seed=0)
    origin = np.zeros(2)
    assert np.linalg.norm(problem.grad(origin)) < 1e-15
    per_example = [problem.grad(origin, np.array([i])) for i in range(20)]
    assert sum(np.linalg.norm(g) > 1e-3 for g in per_example) >= 18


@pytest.mark.parametrize(
    ("name", "theta", "kind", "value"),
    [
        ("rosenbrock", (1.0, 1.0), "minimum", 0.0),
        ("himmelblau", (3.0, 2.0), "minimum", 0.0),
        ("himmelblau", (-2.805118, 3.131312), "minimum", 0.0),
        ("himmelblau", (-3.779310, -3.283186), "minimum", 0.0),
        ("himmelblau", (3.584428, -1.848126), "minimum", 0.0),
        ("camel", (0.0898, -0.7126), "minimum", -1.0316),
        ("camel", (-0.0898, 0.7126), "minimum", -1.0316),
        ("beale", (3.0, 0.5), "minimum", 0.0),
        ("rastrigin", (0.0, 0.0), "minimum", 0.0),
        ("saddle", (0.0, 0.0), "saddle", 0.0),
        ("saddle", (0.0, 1.0), "minimum", -0.25),
        ("monkey", (0.0, 0.0), "degenerate", 0.0),
    ],
)
def test_literature_critical_points(name, theta, kind, value):
    problem = Problem(BUILTINS[name], examples=1, noise=0.0)
    p = problem.refine(theta)
    assert p is not None
    assert np.linalg.norm(p - np.array(theta)) < 1e-3
    a = classify(problem, p)
    assert a.kind == kind
    assert a.loss == pytest.approx(value, abs=5e-5)


@pytest.mark.parametrize("name", NAMES)
def test_listed_points_are_what_they_claim(name):
    """Every point a built-in lists is found again (Newton) with the same kind, noise-free."""
    surface = BUILTINS[name]
    problem = Problem(surface, examples=2, noise=0.0, seed=0)
    found = problem.critical_points()
    assert len(found) >= len(surface.points)
    for known in surface.points:
        assert any(np.linalg.norm(np.array(c.theta) - np.array(known.theta)) < 1e-3
                   for c in found), known
        if known.value is not None:
            match = min(found, key=lambda c: np.linalg.norm(np.array(c.theta)
                                                            - np.array(known.theta)))
            assert match.value == pytest.approx(known.value, abs=1e-6)


def test_neuron_saddle_between_two_symmetric_minima():
    problem = Problem(BUILTINS["neuron"], examples=40, noise=0.05, seed=2)
    assert classify(problem, (0.0, 0.0)).kind == "saddle"
    pts = problem.critical_points()
    minima = [c for c in pts if c.kind == "minimum"]
    assert len(minima) == 2
    a, b = (np.array(m.theta) for m in minima)
    np.testing.assert_allclose(a, -b, rtol=1e-8)
    assert minima[0].value == pytest.approx(minima[1].value, rel=1e-12)


def test_linreg_minimum_is_least_squares():
    problem = Problem(BUILTINS["linreg"], examples=30, noise=0.3, seed=5)
    a = np.column_stack([problem.u, np.ones(30)])
    w, *_ = np.linalg.lstsq(a, problem.v, rcond=None)
    mins = [c for c in problem.critical_points() if c.kind == "minimum"]
    assert len(mins) == 1
    np.testing.assert_allclose(mins[0].theta, w, rtol=1e-10)


def test_custom_surface():
    problem = Problem(custom_surface("x**2 + 3*y**2"), examples=4, noise=0.0)
    np.testing.assert_allclose(problem.grad(np.array([1.0, 2.0])), [2.0, 12.0])
    np.testing.assert_allclose(problem.hessian(np.array([1.0, 2.0])), [[2, 0], [0, 6]])


def test_quadratic_condition_number():
    problem = Problem(get_surface("quadratic", condition=50), examples=1)
    h = problem.hessian(np.array([0.3, -0.2]))
    w = np.linalg.eigvalsh(h)
    assert w[1] / w[0] == pytest.approx(50.0)
    with pytest.raises(ValueError, match="condition"):
        get_surface("quadratic", condition=0.5)
    with pytest.raises(ValueError, match="unknown surface"):
        get_surface("nope")


def test_classify_far_out_where_the_gradient_is_huge():
    """Found by the monkey test: the step inspector classifies θ far out on x**1000-like
    surfaces, where ‖g‖ > 1e154 made np.linalg.norm overflow (RuntimeWarning)."""
    from core.analysis import classify, kind_of

    assert kind_of(np.array([1e200, 1e200]), np.array([1.0, 2.0])) == "not critical"
    assert kind_of(np.array([0.0, 0.0]), np.array([1.0, 2.0])) == "minimum"
    p = Problem(get_surface("saddle"), examples=4)
    a = classify(p, (1e60, 1e60))  # L ~ 1e240, g ~ 1e180: no overflow warning
    assert np.isfinite(a.loss)


def test_saddle_search_far_out_does_not_overflow():
    """Found by the monkey test: Run → Escape is offered only at a saddle; checking a θ far out
    (|∇L| ~ 1e180) overflowed np.linalg.norm in Problem.refine and saddle_near."""
    from core.lessons import saddle_near

    p = Problem(get_surface("saddle"), examples=4)
    assert p.refine((1e60, -1e60)) is None
    with pytest.raises(ValueError, match="not at a saddle"):
        saddle_near(p, (1e60, 1e60))

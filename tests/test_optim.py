"""Tests for core.optim: hand-computed steps, torch reference, vectorization, purity, validation,
convergence and the step inspector."""

from __future__ import annotations

import inspect
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import optim
from core.optim import (
    OPTIMIZERS,
    AdamState,
    MomentumState,
    NesterovState,
    Optimizer,
    explain_step,
    make_optimizer,
)
from core.schedules import SCHEDULES, make_schedule

REFERENCE = Path(__file__).parent / "data" / "torch_reference.json"

# ---------------------------------------------------------------------------------------------
# Loss functions (gradients written out analytically)
# ---------------------------------------------------------------------------------------------

C = (2.0, 20.0)  # L(θ) = x² + 10 y²  ⇒  g = (2x, 20y): coordinate i has gᵢ = Cᵢ θᵢ
TH0 = (1.0, 0.5)


def quad_grad(theta: np.ndarray) -> np.ndarray:
    """∇(x² + 10y²) = (2x, 20y)."""
    return theta * np.array(C)


def rosenbrock_grad(theta: np.ndarray) -> np.ndarray:
    """∇ of (1 − x)² + 100 (y − x²)²; same expression as tests/data/make_torch_reference.py."""
    x, y = theta[:, 0], theta[:, 1]
    gx = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x)
    gy = 200.0 * (y - x * x)
    return np.stack([gx, gy], axis=1)


def trajectory(opt: Optimizer, theta0: Any, steps: int, grad=rosenbrock_grad) -> np.ndarray:
    """θ⁰ … θ^steps, shape (steps + 1, K, 2)."""
    theta = np.array(theta0, dtype=np.float64).reshape(-1, 2)
    state = opt.init(theta)
    path = [theta]
    for _ in range(steps):
        delta, state = opt.update(grad(theta), state, theta)
        theta = theta + delta
        path.append(theta)
    return np.array(path)


def three_steps(opt: Optimizer) -> np.ndarray:
    """θ¹, θ², θ³ of one run on x² + 10y² from TH0, shape (3, 2)."""
    return trajectory(opt, [TH0], 3, quad_grad)[1:, 0, :]


def per_coordinate(coord) -> np.ndarray:
    """Expected (3, 2) from a scalar function coord(c, θ⁰) -> [θ¹, θ², θ³] of one coordinate."""
    return np.array([coord(c, t0) for c, t0 in zip(C, TH0, strict=True)]).T


# ---------------------------------------------------------------------------------------------
# 1. Hand-computed three-step sequences (plain Python floats, one coordinate at a time)
# ---------------------------------------------------------------------------------------------


def test_gd_by_hand():
    lr = 0.0625

    def coord(c, th0):
        th1 = th0 - lr * (c * th0)  # θ¹ = θ⁰ − η g⁰
        th2 = th1 - lr * (c * th1)
        th3 = th2 - lr * (c * th2)
        return [th1, th2, th3]

    got = three_steps(optim.gd(lr=lr))
    assert np.array_equal(got, per_coordinate(coord))
    # x: 1 → 0.875 → 0.765625 → 0.669921875;  y: 0.5 → −0.125 → 0.03125 → −0.0078125
    assert got.tolist() == [[0.875, -0.125], [0.765625, 0.03125], [0.669921875, -0.0078125]]


def test_momentum_by_hand():
    lr, lam = 0.0625, 0.5

    def coord(c, th0):
        m0 = 0.0
        m1 = lam * m0 - lr * (c * th0)  # m¹ = λm⁰ − ηg⁰
        th1 = th0 + m1  # θ¹ = θ⁰ + m¹
        m2 = lam * m1 - lr * (c * th1)
        th2 = th1 + m2
        m3 = lam * m2 - lr * (c * th2)
        th3 = th2 + m3
        return [th1, th2, th3]

    got = three_steps(optim.momentum(lr=lr, momentum=lam))
    assert np.array_equal(got, per_coordinate(coord))
    # x: m = −0.125, −0.171875, −0.173828125;  y: m = −0.625, −0.15625, 0.2734375
    assert got.tolist() == [[0.875, -0.125], [0.703125, -0.28125], [0.529296875, -0.0078125]]


def test_nesterov_by_hand():
    lr, mu = 0.0625, 0.5

    def coord(c, th0):
        g0 = c * th0
        v1 = g0  # v¹ = g⁰
        th1 = th0 - lr * (g0 + mu * v1)  # θ¹ = θ⁰ − η(g⁰ + μv¹)
        g1 = c * th1
        v2 = mu * v1 + g1  # v² = μv¹ + g¹
        th2 = th1 - lr * (g1 + mu * v2)
        g2 = c * th2
        v3 = mu * v2 + g2
        th3 = th2 - lr * (g2 + mu * v3)
        return [th1, th2, th3]

    got = three_steps(optim.nesterov(lr=lr, momentum=mu))
    assert np.array_equal(got, per_coordinate(coord))


def test_nesterov_lecture_form_matches():
    """mᵗ = λmᵗ⁻¹ − ηgᵗ⁻¹, θᵗ = θᵗ⁻¹ + λmᵗ − ηgᵗ⁻¹ gives the same path up to rounding."""
    lr, lam = 0.01, 0.9
    theta = np.array([TH0])
    m = np.zeros((1, 2))
    for _ in range(20):
        g = quad_grad(theta)
        m = lam * m - lr * g
        theta = theta + lam * m - lr * g
    ours = trajectory(optim.nesterov(lr=lr, momentum=lam), [TH0], 20, quad_grad)[-1]
    np.testing.assert_allclose(ours, theta, rtol=1e-13)


def test_adagrad_by_hand():
    lr, decay, eps, s0 = 0.5, 0.1, 1e-10, 0.25

    def coord(c, th0):
        g0 = c * th0
        s1 = s0 + g0 * g0  # s¹ = s⁰ + (g⁰)²
        clr1 = lr / (1 + 0 * decay)  # η₁ = η / (1 + 0·decay)
        th1 = th0 + (-clr1 * g0) / (math.sqrt(s1) + eps)  # θ¹ = θ⁰ − η₁ g⁰ / (√s¹ + ε)
        g1 = c * th1
        s2 = s1 + g1 * g1
        clr2 = lr / (1 + 1 * decay)
        th2 = th1 + (-clr2 * g1) / (math.sqrt(s2) + eps)
        g2 = c * th2
        s3 = s2 + g2 * g2
        clr3 = lr / (1 + 2 * decay)
        th3 = th2 + (-clr3 * g2) / (math.sqrt(s3) + eps)
        return [th1, th2, th3]

    opt = optim.adagrad(lr=lr, lr_decay=decay, eps=eps, initial_accumulator_value=s0)
    assert np.array_equal(three_steps(opt), per_coordinate(coord))


def test_rmsprop_by_hand():
    lr, alpha, eps = 0.01, 0.9, 1e-8

    def coord(c, th0):
        g0 = c * th0
        sq1 = 0.0 * alpha + (1 - alpha) * g0 * g0  # σ²¹ = ασ²⁰ + (1−α)(g⁰)²
        th1 = th0 + (-lr * g0) / (math.sqrt(sq1) + eps)  # θ¹ = θ⁰ − ηg⁰/(√σ²¹ + ε)
        g1 = c * th1
        sq2 = sq1 * alpha + (1 - alpha) * g1 * g1
        th2 = th1 + (-lr * g1) / (math.sqrt(sq2) + eps)
        g2 = c * th2
        sq3 = sq2 * alpha + (1 - alpha) * g2 * g2
        th3 = th2 + (-lr * g2) / (math.sqrt(sq3) + eps)
        return [th1, th2, th3]

    got = three_steps(optim.rmsprop(lr=lr, alpha=alpha, eps=eps))
    assert np.array_equal(got, per_coordinate(coord))
    # the first RMSprop step is ±η/√(1−α) (up to ε) whatever the gradient's size
    np.testing.assert_allclose(got[0] - TH0, -lr / math.sqrt(1 - alpha), rtol=1e-7)


def test_rmsprop_momentum_by_hand():
    lr, alpha, eps, mu = 0.01, 0.9, 1e-8, 0.5

    def coord(c, th0):
        g0 = c * th0
        sq1 = 0.0 * alpha + (1 - alpha) * g0 * g0
        b1 = 0.0 * mu + g0 / (math.sqrt(sq1) + eps)  # b¹ = λb⁰ + g⁰/σ¹
        th1 = th0 + -lr * b1  # θ¹ = θ⁰ − ηb¹
        g1 = c * th1
        sq2 = sq1 * alpha + (1 - alpha) * g1 * g1
        b2 = b1 * mu + g1 / (math.sqrt(sq2) + eps)
        th2 = th1 + -lr * b2
        g2 = c * th2
        sq3 = sq2 * alpha + (1 - alpha) * g2 * g2
        b3 = b2 * mu + g2 / (math.sqrt(sq3) + eps)
        th3 = th2 + -lr * b3
        return [th1, th2, th3]

    got = three_steps(optim.rmsprop(lr=lr, alpha=alpha, eps=eps, momentum=mu))
    assert np.array_equal(got, per_coordinate(coord))


def test_rmsprop_centered_by_hand():
    # α = 0.3: the lerp weight 1 − α = 0.7 ≥ 0.5 takes torch's second lerp form
    lr, alpha, eps = 0.01, 0.3, 1e-8
    w = 1 - alpha

    def coord(c, th0):
        g0 = c * th0
        sq1 = 0.0 * alpha + (1 - alpha) * g0 * g0
        ga1 = g0 - (g0 - 0.0) * (1 - w)  # ḡ¹ = αḡ⁰ + (1−α)g⁰ (torch lerp, weight ≥ ½)
        sig1 = math.sqrt(sq1 - ga1 * ga1) + eps  # σ¹ = √(σ²¹ − (ḡ¹)²) + ε
        th1 = th0 + (-lr * g0) / sig1
        g1 = c * th1
        sq2 = sq1 * alpha + (1 - alpha) * g1 * g1
        ga2 = g1 - (g1 - ga1) * (1 - w)
        sig2 = math.sqrt(sq2 - ga2 * ga2) + eps
        th2 = th1 + (-lr * g1) / sig2
        g2 = c * th2
        sq3 = sq2 * alpha + (1 - alpha) * g2 * g2
        ga3 = g2 - (g2 - ga2) * (1 - w)
        sig3 = math.sqrt(sq3 - ga3 * ga3) + eps
        th3 = th2 + (-lr * g2) / sig3
        return [th1, th2, th3]

    got = three_steps(optim.rmsprop(lr=lr, alpha=alpha, eps=eps, centered=True))
    assert np.array_equal(got, per_coordinate(coord))


def test_adam_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    w = 1 - b1  # < ½: torch's lerp is m + w·(g − m)

    def coord(c, th0):
        g0 = c * th0
        m1 = 0.0 + w * (g0 - 0.0)  # m¹ = β₁m⁰ + (1−β₁)g⁰
        v1 = 0.0 * b2 + (1 - b2) * g0 * g0  # v¹ = β₂v⁰ + (1−β₂)(g⁰)²
        step1 = lr / (1 - b1**1)  # η / (1 − β₁¹)
        den1 = math.sqrt(v1) / (1 - b2**1) ** 0.5 + eps  # √v¹/√(1 − β₂¹) + ε
        th1 = th0 + (-step1 * m1) / den1
        g1 = c * th1
        m2 = m1 + w * (g1 - m1)
        v2 = v1 * b2 + (1 - b2) * g1 * g1
        step2 = lr / (1 - b1**2)
        den2 = math.sqrt(v2) / (1 - b2**2) ** 0.5 + eps
        th2 = th1 + (-step2 * m2) / den2
        g2 = c * th2
        m3 = m2 + w * (g2 - m2)
        v3 = v2 * b2 + (1 - b2) * g2 * g2
        step3 = lr / (1 - b1**3)
        den3 = math.sqrt(v3) / (1 - b2**3) ** 0.5 + eps
        th3 = th2 + (-step3 * m3) / den3
        return [th1, th2, th3]

    got = three_steps(optim.adam(lr=lr, beta1=b1, beta2=b2, eps=eps))
    assert np.array_equal(got, per_coordinate(coord))
    # Adam's first step is −η·sign(g) (up to ε)
    np.testing.assert_allclose(got[0] - TH0, -lr, rtol=1e-7)


def test_adam_amsgrad_by_hand():
    # β₁ = 0.3: lerp weight 0.7 ≥ ½ uses g − (g − m)·(1 − w); the gradient of y flips sign
    # and shrinks, so max(v) differs from v
    lr, b1, b2, eps = 0.3, 0.3, 0.5, 1e-8
    w = 1 - b1

    def coord(c, th0):
        g0 = c * th0
        m1 = g0 - (g0 - 0.0) * (1 - w)
        v1 = 0.0 * b2 + (1 - b2) * g0 * g0
        vmax1 = max(0.0, v1)  # amsgrad: the largest v so far
        th1 = th0 + (-(lr / (1 - b1**1)) * m1) / (math.sqrt(vmax1) / (1 - b2**1) ** 0.5 + eps)
        g1 = c * th1
        m2 = g1 - (g1 - m1) * (1 - w)
        v2 = v1 * b2 + (1 - b2) * g1 * g1
        vmax2 = max(vmax1, v2)
        th2 = th1 + (-(lr / (1 - b1**2)) * m2) / (math.sqrt(vmax2) / (1 - b2**2) ** 0.5 + eps)
        g2 = c * th2
        m3 = g2 - (g2 - m2) * (1 - w)
        v3 = v2 * b2 + (1 - b2) * g2 * g2
        vmax3 = max(vmax2, v3)
        th3 = th2 + (-(lr / (1 - b1**3)) * m3) / (math.sqrt(vmax3) / (1 - b2**3) ** 0.5 + eps)
        return [th1, th2, th3]

    opt = optim.adam(lr=lr, beta1=b1, beta2=b2, eps=eps, amsgrad=True)
    got = three_steps(opt)
    assert np.array_equal(got, per_coordinate(coord))
    plain = three_steps(optim.adam(lr=lr, beta1=b1, beta2=b2, eps=eps))
    assert not np.array_equal(got, plain)  # the max actually mattered


# ---------------------------------------------------------------------------------------------
# 2. torch.optim reference trajectories (tests/data/make_torch_reference.py; no torch needed)
# ---------------------------------------------------------------------------------------------


def _reference_cases() -> list[dict[str, Any]]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))["cases"]


def max_relative_difference(case: dict[str, Any]) -> float:
    """max |ours − torch| / |torch| over the case's trajectory (elementwise)."""
    ref = np.array(case["trajectory"])
    schedule = make_schedule(**case["schedule"]) if "schedule" in case else None
    opt = make_optimizer(case["optimizer"], schedule=schedule, **case["hyper"])
    ours = trajectory(opt, [case["start"]], len(ref) - 1)[:, 0, :]
    assert np.array_equal(ours[0], ref[0])
    return float(np.max(np.abs(ours - ref) / np.abs(ref)))


def test_torch_reference_covers_every_optimizer():
    cases = _reference_cases()
    assert {c["optimizer"] for c in cases} == set(OPTIMIZERS)
    assert REFERENCE.stat().st_size < 300_000
    # every optimizer but momentum (tested against the lecture's formula) under every schedule
    scheduled = {(c["optimizer"], c["schedule"]["kind"]) for c in cases if "schedule" in c}
    assert scheduled == {(o, k) for o in OPTIMIZERS if o != "momentum"
                         for k in SCHEDULES if k != "constant"}
    assert {c["optimizer"] for c in cases if c["hyper"].get("weight_decay")} == (
        set(OPTIMIZERS) - {"momentum"})
    labels = {c["label"] for c in cases}
    assert {"sgd", "sgd_momentum", "sgd_nesterov", "adagrad", "adagrad_decay", "rmsprop",
            "rmsprop_momentum", "rmsprop_centered", "adam", "adam_amsgrad"} <= labels


@pytest.mark.parametrize(
    "case", _reference_cases(), ids=lambda c: f"{c['label']}-{c['start']}"
)
def test_matches_torch(case):
    # torch fuses a·b + c into one FMA (add with alpha, addcmul, lerp) and NumPy cannot, so a
    # few trajectories differ in the last bits; momentum is the lecture's form on purpose.
    assert max_relative_difference(case) <= 1e-12


# ---------------------------------------------------------------------------------------------
# 3. Vectorization: K runs with per-run hyperparameters == K single runs, bit for bit
# ---------------------------------------------------------------------------------------------

STARTS = np.array([[-1.5, 2.0], [0.3, -0.4], [1.2, 1.1], [-0.5, 0.5], [0.0, 0.0]])

PER_RUN = {  # K = 5 values per hyperparameter (branch-mixing where the update has branches)
    "gd": {"lr": [1e-4, 5e-4, 1e-3, 2e-4, 7e-4]},
    "momentum": {"lr": [1e-4, 2e-4, 3e-4, 1e-4, 5e-5], "momentum": [0.0, 0.5, 0.9, 0.99, 0.3]},
    "nesterov": {"lr": [1e-4, 2e-4, 3e-4, 1e-4, 5e-5], "momentum": [0.0, 0.5, 0.9, 0.99, 0.3]},
    "adagrad": {"lr": [0.1, 0.2, 0.05, 0.3, 0.01], "lr_decay": [0.0, 0.1, 0.01, 0.5, 0.0],
                "eps": [1e-10, 1e-6, 0.0, 1e-3, 1e-8],
                "initial_accumulator_value": [0.0, 0.1, 1.0, 0.0, 5.0]},
    "rmsprop": {"lr": [1e-3, 2e-3, 5e-3, 1e-4, 1e-2], "alpha": [0.99, 0.9, 0.3, 0.5, 0.0],
                "eps": [1e-8, 1e-6, 1e-8, 1e-3, 1e-8], "momentum": [0.0, 0.9, 0.0, 0.5, 0.3]},
    "adam": {"lr": [1e-2, 2e-2, 5e-3, 1e-3, 5e-2], "beta1": [0.9, 0.3, 0.0, 0.5, 0.99],
             "beta2": [0.999, 0.9, 0.5, 0.0, 0.99], "eps": [1e-8, 1e-6, 1e-8, 1e-3, 0.0],
             "weight_decay": [0.0, 0.1, 0.0, 1e-3, 0.5]},
    "adamw": {"lr": [1e-2, 2e-2, 5e-3, 1e-3, 5e-2], "beta1": [0.9, 0.3, 0.0, 0.5, 0.99],
              "beta2": [0.999, 0.9, 0.5, 0.0, 0.99], "weight_decay": [0.01, 0.1, 0.0, 1.0, 0.5]},
}
FLAGS = {"rmsprop": [{}, {"centered": True}], "adam": [{}, {"amsgrad": True}],
         "adamw": [{}, {"amsgrad": True}]}


def _check_vectorized(name: str, values: dict[str, list[float]], flags: dict[str, bool],
                      starts: np.ndarray, steps: int) -> None:
    k = len(starts)
    arrays = {p: np.array(v, dtype=np.float64).reshape(k, 1) for p, v in values.items()}
    with np.errstate(all="ignore"):
        together = trajectory(make_optimizer(name, **arrays, **flags), starts, steps)
        for i in range(k):
            single = make_optimizer(name, **{p: v[i] for p, v in values.items()}, **flags)
            alone = trajectory(single, starts[i:i + 1], steps)
            assert np.array_equal(together[:, i], alone[:, 0], equal_nan=True), (name, i)


@pytest.mark.parametrize("name", list(PER_RUN))
def test_per_run_hyperparameters_equal_single_runs(name):
    for flags in FLAGS.get(name, [{}]):
        _check_vectorized(name, PER_RUN[name], flags, STARTS, 40)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_scalar_hyperparameters_rows_are_independent(name):
    opt = make_optimizer(name)
    together = trajectory(opt, STARTS, 20)
    for i in range(len(STARTS)):
        assert np.array_equal(together[:, i], trajectory(opt, STARTS[i:i + 1], 20)[:, 0])


_UNIT = st.floats(0.0, 0.999)


@settings(max_examples=20, deadline=None)
@given(
    name=st.sampled_from(list(PER_RUN)),
    k=st.integers(1, 4),
    flag=st.booleans(),
    data=st.data(),
)
def test_vectorization_property(name, k, flag, data):
    draws = {
        "lr": st.floats(1e-5, 1e-2),
        "momentum": _UNIT,
        "lr_decay": st.floats(0.0, 1.0),
        "eps": st.sampled_from([0.0, 1e-10, 1e-8, 1e-3]),
        "initial_accumulator_value": st.floats(0.0, 2.0),
        "alpha": st.floats(0.0, 1.0),
        "beta1": _UNIT,
        "beta2": _UNIT,
        "weight_decay": st.sampled_from([0.0, 0.0, 1e-3, 0.1]),
    }
    values = {p.name: data.draw(st.lists(draws[p.name], min_size=k, max_size=k), label=p.name)
              for p in OPTIMIZERS[name].params if p.kind == "float"}
    flags = {p.name: flag for p in OPTIMIZERS[name].params if p.kind == "bool"}
    _check_vectorized(name, values, flags, STARTS[:k], 8)


def test_hyperparameter_array_is_copied():
    lr = np.array([[0.1], [0.2]])
    opt = optim.gd(lr=lr)
    lr[:] = 5.0  # changing the caller's array later does not change the optimizer
    delta, _ = opt.update(np.ones((2, 2)), opt.init(np.zeros((2, 2))), np.zeros((2, 2)))
    assert delta.tolist() == [[-0.1, -0.1], [-0.2, -0.2]]


# ---------------------------------------------------------------------------------------------
# 4. Purity
# ---------------------------------------------------------------------------------------------

VARIANTS = [
    ("gd", {}),
    ("momentum", {}),
    ("nesterov", {}),
    ("adagrad", {"lr_decay": 0.1, "initial_accumulator_value": 0.5}),
    ("rmsprop", {}),
    ("rmsprop", {"momentum": 0.9, "centered": True}),
    ("rmsprop", {"momentum": np.array([[0.0], [0.5], [0.9]]), "alpha": np.array([[0.2], [0.9],
                                                                                     [0.6]])}),
    ("adam", {}),
    ("adam", {"amsgrad": True, "beta1": np.array([[0.2], [0.9], [0.6]])}),
]


def _arrays(x: Any) -> list[np.ndarray]:
    return [a for a in x if isinstance(a, np.ndarray)]


@pytest.mark.parametrize(("name", "hyper"), VARIANTS, ids=lambda v: str(v)[:40])
def test_update_is_pure(name, hyper):
    opt = make_optimizer(name, **hyper)
    theta = STARTS[:3].copy()
    state = opt.init(theta)
    for _ in range(3):  # a state with non-zero entries
        delta, state = opt.update(rosenbrock_grad(theta), state, theta)
        theta = theta + delta
    g = rosenbrock_grad(theta)
    inputs = [g, theta, *_arrays(state)]
    copies = [a.copy() for a in inputs]
    for a in inputs:
        a.flags.writeable = False  # any in-place write into an input raises
    delta, new_state = opt.update(g, state, theta)
    for a, c in zip(inputs, copies, strict=True):
        assert np.array_equal(a, c)
    assert new_state.t == state.t + 1
    # outputs never share memory with g or θ, so the caller may reuse those buffers
    for out in [delta, *_arrays(new_state)]:
        assert not np.shares_memory(out, g)
        assert not np.shares_memory(out, theta)
    # same inputs, same outputs: no hidden state in the closure
    delta2, state2 = opt.update(g, state, theta)
    assert np.array_equal(delta, delta2)
    for a, b in zip(_arrays(new_state), _arrays(state2), strict=True):
        assert np.array_equal(a, b)


def test_init_does_not_keep_theta():
    theta = np.array([[1.0, 2.0]])
    for name in OPTIMIZERS:
        state = make_optimizer(name).init(theta)
        assert all(not np.shares_memory(a, theta) for a in _arrays(state))
        assert state.t == 0


# ---------------------------------------------------------------------------------------------
# 5. Validation
# ---------------------------------------------------------------------------------------------

BAD = [
    (optim.gd, {"lr": -1.0}, "invalid learning rate η: -1.0 (must be > 0)"),
    (optim.gd, {"lr": 0.0}, "invalid learning rate η: 0.0 (must be > 0)"),
    (optim.gd, {"lr": math.nan}, "invalid learning rate η: nan (must be > 0)"),
    (optim.gd, {"lr": math.inf}, "invalid learning rate η: inf (must be > 0)"),
    (optim.gd, {"lr": "fast"}, "invalid learning rate η: 'fast' (must be a number > 0)"),
    (optim.gd, {"lr": True}, "invalid learning rate η: True (must be a number > 0)"),
    (optim.momentum, {"momentum": 1.0}, "invalid momentum λ: 1.0 (must be in [0, 1))"),
    (optim.momentum, {"momentum": -0.1}, "invalid momentum λ: -0.1 (must be in [0, 1))"),
    (optim.nesterov, {"momentum": 1.5}, "invalid momentum λ: 1.5 (must be in [0, 1))"),
    (optim.adagrad, {"eps": -1e-10}, "invalid epsilon ε: -1e-10 (must be >= 0)"),
    (optim.adagrad, {"lr_decay": -0.1}, "invalid lr_decay: -0.1 (must be >= 0)"),
    (optim.adagrad, {"initial_accumulator_value": -1.0},
     "invalid initial_accumulator_value: -1.0 (must be >= 0)"),
    (optim.rmsprop, {"alpha": 1.5}, "invalid alpha α: 1.5 (must be in [0, 1])"),
    (optim.rmsprop, {"momentum": 1.0}, "invalid momentum λ: 1.0 (must be in [0, 1))"),
    (optim.rmsprop, {"eps": -1.0}, "invalid epsilon ε: -1.0 (must be >= 0)"),
    (optim.rmsprop, {"centered": 2}, "invalid centered: 2 (must be a bool: True/False or 0/1)"),
    (optim.adam, {"beta1": 1.0}, "invalid beta1 β₁: 1.0 (must be in [0, 1))"),
    (optim.adam, {"beta2": -0.1}, "invalid beta2 β₂: -0.1 (must be in [0, 1))"),
    (optim.adam, {"amsgrad": "yes"}, "invalid amsgrad: 'yes' (must be a bool: True/False or 0/1)"),
    (optim.adam, {"lr": np.array([[0.1], [-0.2]])},
     "invalid learning rate η: -0.2 in run 1 (must be > 0)"),
    (optim.momentum, {"momentum": np.array([[0.5], [0.9], [1.0]])},
     "invalid momentum λ: 1.0 in run 2 (must be in [0, 1))"),
    (optim.gd, {"lr": np.array([0.1, 0.2])},
     "invalid learning rate η: an array must have shape (K, 1) or (K, 2), got (2,)"),
]


@pytest.mark.parametrize(("factory", "kwargs", "message"), BAD, ids=lambda v: str(v)[:30])
def test_invalid_hyperparameters(factory, kwargs, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        factory(**kwargs)


def test_flags_accept_bool_or_zero_one():
    for value in (True, False, 0, 1, 0.0, 1.0, np.bool_(True)):
        optim.rmsprop(centered=value)
        optim.adam(amsgrad=value)
    a = trajectory(optim.rmsprop(centered=1.0), STARTS, 5)
    b = trajectory(optim.rmsprop(centered=True), STARTS, 5)
    assert np.array_equal(a, b)


def test_edges_of_ranges_are_accepted():
    optim.rmsprop(alpha=0.0, eps=0.0, momentum=0.0)
    optim.rmsprop(alpha=1.0)
    optim.adam(beta1=0.0, beta2=0.0, eps=0.0)
    optim.momentum(momentum=0.0)
    optim.gd(lr=np.float64(0.1))  # a NumPy scalar is a float


def test_init_checks_theta_and_k():
    with pytest.raises(ValueError, match=re.escape("θ must have shape (K, 2), got (2,)")):
        optim.gd().init(np.zeros(2))
    opt = optim.momentum(lr=np.full((3, 1), 0.1))
    with pytest.raises(ValueError, match="has 3 rows but θ has K = 2 runs"):
        opt.init(np.zeros((2, 2)))


def test_make_optimizer_errors():
    with pytest.raises(ValueError, match=re.escape(
        "unknown optimizer 'sgd' (choose one of: gd, momentum, nesterov, adagrad, rmsprop, adam, "
        "adamw)"
    )):
        make_optimizer("sgd")
    with pytest.raises(ValueError, match=re.escape(
        "unknown hyperparameter 'momentum' for optimizer 'adam' "
        "(allowed: lr, beta1, beta2, eps, amsgrad, weight_decay)"
    )):
        make_optimizer("adam", momentum=0.9)
    with pytest.raises(ValueError, match=re.escape("invalid momentum λ: 1.2 (must be in [0, 1))")):
        make_optimizer("momentum", momentum=1.2)
    for call in (lambda: make_optimizer("x"), lambda: make_optimizer("gd", lr=-1),
                 lambda: make_optimizer("gd", beta1=0.5)):
        with pytest.raises(ValueError) as err:
            call()
        assert "\n" not in str(err.value)


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------


def test_registry_matches_factories():
    assert list(OPTIMIZERS) == ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam",
                                "adamw"]
    for key, info in OPTIMIZERS.items():
        assert info.name == key
        assert info.params[0].name == "lr"
        sig = inspect.signature(info.factory)
        positional = [n for n, p in sig.parameters.items() if p.kind != p.KEYWORD_ONLY]
        assert [p.name for p in info.params] == positional
        assert "schedule" in sig.parameters
        assert info.torch and info.explain is not None
        assert info.movement in ("gradient", "momentum", "lookahead", "adaptive")
        for p in info.params:
            assert float(sig.parameters[p.name].default) == p.default, (key, p.name)
            assert p.kind in ("float", "bool")
            assert p.low <= p.ui_low < p.ui_high <= p.high
            assert p.symbol and p.help
            assert info.param(p.name) is p
        assert "θᵗ" in info.update_rule_text
        opt = make_optimizer(key)
        assert opt.name == key
        assert make_optimizer(key, **info.defaults()).name == key


def test_torch_defaults():
    o = OPTIMIZERS
    wd = {"weight_decay": 0.0}
    assert o["momentum"].defaults() == {"lr": 1e-3, "momentum": 0.9} | wd
    assert o["nesterov"].defaults() == {"lr": 1e-3, "momentum": 0.9} | wd
    assert o["adagrad"].defaults() == {"lr": 1e-2, "lr_decay": 0.0, "eps": 1e-10,
                                       "initial_accumulator_value": 0.0} | wd
    assert o["rmsprop"].defaults() == {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "momentum": 0.0,
                                       "centered": 0.0} | wd
    assert o["adam"].defaults() == {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
                                    "amsgrad": 0.0} | wd
    assert o["adamw"].defaults() == {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
                                     "amsgrad": 0.0, "weight_decay": 1e-2}
    assert o["rmsprop"].param("centered").kind == "bool"
    assert o["adam"].param("amsgrad").kind == "bool"


def test_momentum_zero_is_gd_and_states():
    a = trajectory(optim.momentum(lr=1e-3, momentum=0.0), STARTS, 30)
    b = trajectory(optim.nesterov(lr=1e-3, momentum=0.0), STARTS, 30)
    c = trajectory(optim.gd(lr=1e-3), STARTS, 30)
    assert np.array_equal(a, c) and np.array_equal(b, c)
    opt = optim.nesterov(lr=0.01, momentum=0.9)
    theta = STARTS.copy()
    state = opt.init(theta)
    for _ in range(3):
        delta, state = opt.update(rosenbrock_grad(theta), state, theta)
        theta = theta + delta
    assert isinstance(state, NesterovState)
    assert np.array_equal(state.m, -0.01 * state.v)  # the lecture's m = −η·v


# ---------------------------------------------------------------------------------------------
# 6. Convergence sanity
# ---------------------------------------------------------------------------------------------

SENSIBLE = [  # (name, hyperparameters, steps) for Rosenbrock from (0, 0) and (−1.2, 1)
    ("gd", {"lr": 1.8e-3}, 5000),
    ("momentum", {"lr": 1e-3, "momentum": 0.9}, 2000),
    ("nesterov", {"lr": 1e-3, "momentum": 0.9}, 2000),
    ("adagrad", {"lr": 0.5}, 5000),
    ("rmsprop", {"lr": 1e-3}, 5000),
    ("rmsprop", {"lr": 3e-4, "momentum": 0.9}, 2000),
    ("rmsprop", {"lr": 1e-3, "centered": True}, 4000),
    ("adam", {"lr": 0.02}, 3000),
    ("adam", {"lr": 0.05, "amsgrad": True}, 3000),
]


QUADRATIC = [  # for x² + 10y² (curvatures 2 and 20)
    ("gd", {"lr": 0.04}),
    ("momentum", {"lr": 0.02, "momentum": 0.9}),
    ("nesterov", {"lr": 0.02, "momentum": 0.9}),
    ("adagrad", {"lr": 0.5}),
    ("rmsprop", {"lr": 0.01}),
    ("rmsprop", {"lr": 0.003, "momentum": 0.9, "centered": True}),
    ("adam", {"lr": 0.05}),
    ("adam", {"lr": 0.05, "amsgrad": True}),
]


@pytest.mark.parametrize(("name", "hyper"), QUADRATIC, ids=lambda v: str(v))
def test_converges_on_convex_quadratic(name, hyper):
    path = trajectory(make_optimizer(name, **hyper), [[1.5, -1.0], [-2.0, 0.7]], 1000, quad_grad)
    assert np.abs(path[-1]).max() < 1e-4
    loss = (path[..., 0] ** 2 + 10 * path[..., 1] ** 2).max(axis=1)
    assert loss[-1] < 1e-6 * loss[0]


@pytest.mark.parametrize(("name", "hyper", "steps"), SENSIBLE, ids=lambda v: str(v))
def test_gets_close_to_rosenbrock_minimum(name, hyper, steps):
    path = trajectory(make_optimizer(name, **hyper), [[0.0, 0.0], [-1.2, 1.0]], steps)
    assert np.abs(path[-1] - 1.0).max() < 0.05


# ---------------------------------------------------------------------------------------------
# Step inspector
# ---------------------------------------------------------------------------------------------


def _one_step(name: str, hyper: dict[str, Any], steps: int = 4):
    opt = make_optimizer(name, **hyper)
    theta = STARTS[:3].copy()
    state = opt.init(theta)
    for _ in range(steps):
        g = rosenbrock_grad(theta)
        before, theta_before = state, theta
        delta, state = opt.update(g, state, theta)
        theta = theta + delta
    return g, before, state, theta_before, theta


def test_explain_momentum():
    hyper = {"lr": 1e-3, "momentum": np.array([[0.5], [0.9], [0.0]])}
    g, s0, s1, th0, th1 = _one_step("momentum", hyper)
    assert isinstance(s0, MomentumState)
    rows = explain_step("momentum", hyper, g, s0, s1, th0, th1, run=1)
    labels = [label for label, _ in rows]
    assert labels[-4:] == ["λmᵗ⁻¹", "−ηgᵗ⁻¹", "mᵗ = λmᵗ⁻¹ − ηgᵗ⁻¹", "θᵗ = θᵗ⁻¹ + mᵗ"]
    v = dict(rows)
    assert np.array_equal(v["λmᵗ⁻¹"], 0.9 * s0.m[1])
    assert np.array_equal(v["λmᵗ⁻¹"] + v["−ηgᵗ⁻¹"], s1.m[1])  # the terms add up exactly
    assert np.array_equal(v["θᵗ⁻¹"] + v["mᵗ = λmᵗ⁻¹ − ηgᵗ⁻¹"], v["θᵗ = θᵗ⁻¹ + mᵗ"])
    assert np.array_equal(v["θᵗ = θᵗ⁻¹ + mᵗ"], th1[1])


@pytest.mark.parametrize(("name", "hyper"), VARIANTS, ids=lambda v: str(v)[:40])
def test_explain_every_optimizer(name, hyper):
    g, s0, s1, th0, th1 = _one_step(name, hyper)
    for run in range(3):
        rows = explain_step(name, hyper, g, s0, s1, th0, th1, run=run)
        assert rows[0][0] == "θᵗ⁻¹" and np.array_equal(rows[0][1], th0[run])
        assert np.array_equal(rows[1][1], g[run])
        assert rows[-1][0].startswith("θᵗ = ") and np.array_equal(rows[-1][1], th1[run])
        assert all(isinstance(v, np.ndarray) and v.shape == (2,) for _, v in rows)
        if name != "nesterov":  # the second-to-last term is the step itself: θᵗ⁻¹ + it = θᵗ
            assert np.array_equal(th0[run] + rows[-2][1], th1[run]), rows[-2][0]
        else:
            np.testing.assert_allclose(th0[run] + rows[-2][1] + rows[-4][1], th1[run],
                                       rtol=1e-14)


def test_explain_adam_shows_bias_correction():
    g, s0, s1, th0, th1 = _one_step("adam", {"lr": 0.01}, steps=1)
    assert isinstance(s1, AdamState) and s1.t == 1
    v = dict(explain_step("adam", {"lr": 0.01}, g[:1][0], s0, s1, th0[0], th1[0]))
    assert np.array_equal(v["m̂ᵗ = mᵗ/(1−β₁ᵗ)"], s1.exp_avg[0] / (1 - 0.9))
    np.testing.assert_allclose(v["m̂ᵗ = mᵗ/(1−β₁ᵗ)"], g[0], rtol=1e-14)  # m̂¹ = g⁰
    np.testing.assert_allclose(v["v̂ᵗ = vᵗ/(1−β₂ᵗ)"], g[0] ** 2, rtol=1e-12)


def test_explain_rejects_bad_input():
    g, s0, s1, th0, th1 = _one_step("gd", {})
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'"):
        explain_step("sgd", {}, g, s0, s1, th0, th1)
    with pytest.raises(ValueError, match="invalid learning rate η"):
        explain_step("gd", {"lr": -1.0}, g, s0, s1, th0, th1)


@pytest.mark.parametrize("name", ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_hyperparameters_shaped_like_theta_give_the_same_bits(name):
    """(K, 2) hyperparameter arrays (what the run kernel passes) equal (K, 1) ones exactly."""
    rng = np.random.default_rng(0)
    theta = rng.normal(size=(3, 2))
    lr = np.array([[0.01], [0.02], [0.05]])
    a = make_optimizer(name, lr=lr)
    b = make_optimizer(name, lr=np.repeat(lr, 2, axis=1))
    sa, sb, ta, tb = a.init(theta), b.init(theta), theta, theta
    for _ in range(5):
        g = rng.normal(size=(3, 2))
        da, sa = a.update(g, sa, ta)
        db, sb = b.update(g, sb, tb)
        ta, tb = ta + da, tb + db
    np.testing.assert_array_equal(ta, tb)


KERNEL_VARIANTS = [
    ("momentum", {}),
    ("momentum", {"momentum": 0.0, "lr": 1e-4}),  # gd steps as momentum with λ = 0
    ("momentum", {"lr": np.array([[1e-4, 1e-4], [1e-5, 1e-5], [1e-3, 1e-3]]),
                  "momentum": np.array([[0.0, 0.0], [0.5, 0.5], [0.99, 0.99]])}),
]


@pytest.mark.parametrize(("name", "hyper"), KERNEL_VARIANTS + VARIANTS, ids=lambda v: str(v)[:40])
def test_kernel_gives_the_bits_of_update(name, hyper):
    """The in-place kernel the stepping loop uses makes exactly update's roundings."""
    opt = make_optimizer(name, **hyper)
    if name == "momentum":  # momentum (and gd through it) steps in place; others via update
        assert opt.kernel is not None
    theta = STARTS[:3].copy()
    state = opt.init(theta)
    for _ in range(2):  # start the kernel from a state with non-zero entries
        delta, state = opt.update(rosenbrock_grad(theta), state, theta)
        theta = theta + delta
    kernel = opt.stepper(state)
    start_state = state
    kept = [a.copy() for a in _arrays(start_state)]
    th_pure, th_kernel = theta.copy(), theta.copy()
    for _ in range(20):
        delta, state = opt.update(rosenbrock_grad(th_pure), state, th_pure)
        th_pure = th_pure + delta
        th_kernel = th_kernel + kernel.step(rosenbrock_grad(th_kernel), th_kernel)
        np.testing.assert_array_equal(th_kernel, th_pure)
    snapshot = kernel.state()
    assert snapshot.t == state.t
    for a, b in zip(_arrays(snapshot), _arrays(state), strict=True):
        np.testing.assert_array_equal(a, b)
    # the kernel steps its own copies: the state it started from and its snapshots stay put
    frozen = [a.copy() for a in _arrays(snapshot)]
    kernel.step(rosenbrock_grad(th_kernel), th_kernel)
    for a, b in zip(_arrays(start_state), kept, strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(_arrays(snapshot), frozen, strict=True):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------------------------
# Schedules and weight decay
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [k for k in SCHEDULES if k != "constant"])
def test_momentum_under_a_schedule_is_the_lectures_formula(kind):
    """mᵗ = λmᵗ⁻¹ − η_{t−1}gᵗ⁻¹, θᵗ = θᵗ⁻¹ + mᵗ in Python floats, bit for bit."""
    sched = make_schedule(kind)
    lr, lam, wd = 2e-4, 0.9, 0.05
    opt = make_optimizer("momentum", lr=lr, momentum=lam, weight_decay=wd, schedule=sched)
    ours = trajectory(opt, [(-1.5, 2.0)], 60)[:, 0, :]
    x, y, mx, my = -1.5, 2.0, 0.0, 0.0
    for t in range(60):
        gx = -2 * (1 - x) - 400 * x * (y - x * x) + wd * x
        gy = 200 * (y - x * x) + wd * y
        eta = sched(lr, t)
        mx, my = lam * mx - eta * gx, lam * my - eta * gy
        x, y = x + mx, y + my
        assert (ours[t + 1] == (x, y)).all(), t


def test_scheduled_runs_grouped_equal_single_runs():
    scheds = [make_schedule("cosine", t_max=7), make_schedule("step", step_size=3, gamma=0.5),
              make_schedule(), make_schedule("warmup_cosine", warmup=4, t_max=9),
              make_schedule("cosine", t_max=7)]
    lrs = [1e-3, 2e-3, 5e-4, 1e-3, 1e-3]
    for name in OPTIMIZERS:
        lr = np.array(lrs).reshape(-1, 1)
        together = trajectory(make_optimizer(name, lr=lr, schedule=scheds), STARTS, 30)
        for i in range(len(STARTS)):
            alone = trajectory(make_optimizer(name, lr=lrs[i], schedule=scheds[i]),
                               STARTS[i:i + 1], 30)
            assert np.array_equal(together[:, i], alone[:, 0]), (name, i)


def test_schedule_and_weight_decay_validation():
    with pytest.raises(ValueError, match=r"invalid weight decay: -0\.1"):
        make_optimizer("adam", weight_decay=-0.1)
    with pytest.raises(ValueError, match="schedule: 2 schedules for K = 3 runs"):
        make_optimizer("gd", lr=np.full((3, 1), 0.1),
                       schedule=[make_schedule(), make_schedule()]).init(np.zeros((3, 2)))


def test_explain_step_writes_eta_t_and_weight_decay():
    sched = make_schedule("step", step_size=2, gamma=0.5)
    opt = make_optimizer("momentum", lr=0.1, weight_decay=0.5, schedule=sched)
    theta = np.array([[1.0, 2.0]])
    state = opt.init(theta)
    for _ in range(2):
        delta, state = opt.update(np.array([[0.5, -1.0]]), state, theta)
        theta = theta + delta
    g = np.array([[0.25, 0.75]])
    delta, after = opt.update(g, state, theta)
    terms = dict(explain_step("momentum", {"lr": 0.1, "weight_decay": 0.5}, g, state, after,
                              theta, theta + delta, schedule=sched))
    assert float(terms["ηᵗ⁻¹  (the schedule's η for this update)"]) == 0.05
    assert np.array_equal(terms["gᵗ⁻¹ + wd·θᵗ⁻¹  (weight decay)"], g[0] + 0.5 * theta[0])
    assert np.array_equal(terms["λmᵗ⁻¹"] + terms["−ηgᵗ⁻¹"], terms["mᵗ = λmᵗ⁻¹ − ηgᵗ⁻¹"])

"""Optimizers as pure functions with explicit state, vectorized over K runs (optax style).

Notation (Hung-yi Lee, "batch and momentum"): θ parameters, g gradient, m movement, λ momentum,
η learning rate. Superscripts count steps: gᵗ⁻¹ = ∇L_b(θᵗ⁻¹) is the batch gradient at the point the
step starts from, and step t turns θᵗ⁻¹ into θᵗ.

Every optimizer is an :class:`Optimizer`, a pair of pure functions::

    opt = make_optimizer("momentum", lr=0.1, momentum=0.9)
    state = opt.init(theta)                     # θ: (K, 2), one row per run
    for _ in range(steps):
        g = grad(theta)                         # (K, 2)
        delta, state = opt.update(g, state, theta)
        theta = theta + delta                   # the caller applies the step

``update`` never writes into ``g``, ``state`` or ``θ``: every array it returns is newly allocated
or (for a state field that did not change) the same object as in the old state. Treat returned
arrays as read-only: ``delta`` may be the very array stored in the new state (for ``momentum``
``delta is new_state.m``).

Hyperparameters are Python floats, or NumPy arrays of shape (K, 1) holding one value per run
so that K runs with different settings step together; the arithmetic of each row is then
exactly that of a single run with the row's value as a float (the boolean ``centered`` and
``amsgrad`` are one value for all runs).

The update rules, the hyperparameter names and defaults follow ``torch.optim`` (single-tensor,
``foreach=False``, float64), including the order of floating-point operations, except
``momentum``, which is written in the lecture's form (see :func:`momentum`). Two things keep
the match from being bit for bit: torch's CPU kernels evaluate a + s·b as one fused
multiply-add (``add_(.., alpha=)``, ``addcmul_``, ``lerp_``), which NumPy cannot express, and
``momentum``'s lecture form. Over 50 Rosenbrock steps trajectories agree with torch 2.13 to a
relative 2e-13 or better (``tests/data/torch_reference.json``).

β₁ᵗ, β₂ᵗ and (1−β₂ᵗ)^½ are computed with C ``pow`` like torch's Python ``**``, for arrays too:
once per distinct value with Python ``**`` (never ``np.power``, whose SIMD ``pow`` on AVX-512
CPUs differs in the last bit), so a run's numbers are the same alone or grouped on every CPU.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeAlias

import numpy as np

from core.texts import Text, template, text

__all__ = [
    "OPTIMIZERS",
    "AdagradState",
    "AdamState",
    "GDState",
    "HyperParam",
    "Kernel",
    "MomentumState",
    "NesterovState",
    "Optimizer",
    "OptimizerInfo",
    "RMSpropState",
    "State",
    "adagrad",
    "adam",
    "explain_step",
    "gd",
    "make_optimizer",
    "momentum",
    "nesterov",
    "rmsprop",
    "role",
]

Hyper: TypeAlias = float | np.ndarray
"""A hyperparameter: a float, or an array of shape (K, 1) with one value per run."""

State: TypeAlias = tuple[Any, ...]
"""An optimizer state: one of the NamedTuples below ((K, 2) arrays and the step count t)."""


class Optimizer(NamedTuple):
    """A pure optimizer: ``init(θ) -> state``; ``update(g, state, θ) -> (delta, new_state)``.

    The caller does θ ← θ + delta. All arrays have shape (K, 2): K runs stepping together.
    """

    name: str
    init: Callable[[np.ndarray], State]
    update: Callable[[np.ndarray, State, np.ndarray], tuple[np.ndarray, State]]
    kernel: Callable[[State], Kernel] | None = None
    """Optional in-place form of ``update`` for a stepping loop: ``kernel(state)`` gives a
    :class:`Kernel` that owns copies of the state's arrays and updates them in place, with
    the very same floating-point operations as ``update`` (tests pin the bits)."""

    def stepper(self, state: State) -> Kernel:
        """A :class:`Kernel` starting from ``state``: :attr:`kernel`'s, or one that calls
        ``update`` for optimizers without an in-place form."""
        if self.kernel is not None:
            return self.kernel(state)
        current = [state]
        update = self.update

        def step(g: np.ndarray, theta: np.ndarray) -> np.ndarray:
            delta, current[0] = update(g, current[0], theta)
            return delta

        return Kernel(step, lambda: current[0])


class Kernel(NamedTuple):
    """An optimizer stepping in place: ``step(g, θ) -> delta`` (possibly a buffer overwritten
    by the next step) and ``state() -> State`` (a snapshot, safe to keep)."""

    step: Callable[[np.ndarray, np.ndarray], np.ndarray]
    state: Callable[[], State]


# ---------------------------------------------------------------------------------------------
# States
# ---------------------------------------------------------------------------------------------


class GDState(NamedTuple):
    """Gradient descent keeps only the step count t (steps taken so far)."""

    t: int


class MomentumState(NamedTuple):
    """m: the movement mᵗ (last step taken, m⁰ = 0); t: steps taken."""

    m: np.ndarray
    t: int


class NesterovState(NamedTuple):
    """v: torch's momentum buffer vᵗ; m = −η·vᵗ: the lecture's movement mᵗ; t: steps taken."""

    v: np.ndarray
    m: np.ndarray
    t: int


class AdagradState(NamedTuple):
    """state_sum: sᵗ = s⁰ + Σ (gᵏ)², the running sum of squared gradients; t: steps taken."""

    state_sum: np.ndarray
    t: int


class RMSpropState(NamedTuple):
    """square_avg: σ²ᵗ, the running mean of g²; grad_avg: ḡᵗ, running mean of g (centered,
    zeros otherwise); momentum_buffer: bᵗ (momentum > 0, zeros otherwise); t: steps taken."""

    square_avg: np.ndarray
    grad_avg: np.ndarray
    momentum_buffer: np.ndarray
    t: int


class AdamState(NamedTuple):
    """exp_avg: mᵗ (mean of g); exp_avg_sq: vᵗ (mean of g²); max_exp_avg_sq: max over steps of
    vᵗ (amsgrad, zeros otherwise); t: steps taken."""

    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray
    max_exp_avg_sq: np.ndarray
    t: int


# ---------------------------------------------------------------------------------------------
# Hyperparameter registry
# ---------------------------------------------------------------------------------------------


_T_BOOL = template("a bool: True/False or 0/1")
_T_IN = template("in {interval}")


@dataclass(frozen=True)
class HyperParam:
    """One hyperparameter as scenario files and the GUI see it.

    ``low``/``high`` (with ``*_inclusive``) are the values the optimizer accepts (``high`` may be
    ``math.inf``); ``ui_low``/``ui_high`` is a sensible finite slider range inside them.
    ``kind`` is ``"float"`` or ``"bool"`` (a bool is given as True/False or 0/1).
    """

    name: str
    default: float
    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool
    log_scale: bool
    symbol: str
    help: str
    kind: str = "float"
    ui_low: float = 0.0
    ui_high: float = 1.0

    def range_text(self) -> str:
        """The accepted values as text: ``> 0``, ``>= 0``, ``in [0, 1)``, ..."""
        return str(self.range_sentence())

    def range_sentence(self) -> Text:
        """:meth:`range_text` as a :class:`core.texts.Text` (the window translates it)."""
        if self.kind == "bool":
            return text(_T_BOOL)
        if math.isinf(self.high):
            return text("{op} {low}", op=">=" if self.low_inclusive else ">", low=f"{self.low:g}")
        return text(_T_IN, interval=f"{'[' if self.low_inclusive else '('}{self.low:g}, "
                                    f"{self.high:g}{']' if self.high_inclusive else ')'}")


@dataclass(frozen=True)
class OptimizerInfo:
    """A registry entry: everything the app knows about one optimizer.

    ``factory(**hyper, schedule=...)`` builds it; ``params`` (lr first) are its
    hyperparameters with ranges, defaults and help; ``update_rule_text`` is its rule in the
    lecture's notation; ``torch`` its ``torch.optim`` equivalent; ``explain`` writes one step
    term by term for the inspector (see :func:`explain_step`); ``movement`` says which parts of
    the movement the contour view draws as vectors: ``"gradient"`` (only −ηg: the movement is
    −ηg), ``"momentum"`` (λmᵗ⁻¹ and −ηgᵗ⁻¹ tip to tail, summing to mᵗ), ``"lookahead"``
    (−ηg and Nesterov's look-ahead λmᵗ) or ``"adaptive"`` (−ηg and the movement, which a
    per-coordinate step size makes point elsewhere). ``steps_with``: the optimizer whose group
    this one steps in (gd steps as momentum with λ = 0, bit for bit), with the values of that
    optimizer's hyperparameters it lacks in ``steps_with_params``; ``coupled_decay``: weight
    decay is added to the gradient (False: decoupled, θ shrinks, as AdamW).
    """

    name: str
    title: str
    factory: Callable[..., Optimizer]
    params: tuple[HyperParam, ...]
    update_rule_text: str
    torch: str = ""
    explain: Callable[..., list[tuple[str, np.ndarray]]] | None = None
    movement: str = "adaptive"
    steps_with: str | None = None
    steps_with_params: tuple[tuple[str, float], ...] = ()
    coupled_decay: bool = True

    def symbol(self, name: str) -> str:
        """The hyperparameter's symbol in the lecture's notation (η, λ, β₁, …)."""
        return self.param(name).symbol


    def param(self, name: str) -> HyperParam:
        """The hyperparameter called ``name`` (KeyError if this optimizer has none)."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict[str, float]:
        """``{name: default}`` for every hyperparameter."""
        return {p.name: p.default for p in self.params}


def role(movement: str) -> OptimizerInfo:
    """The first registered optimizer whose movement is of kind ``movement`` (e.g. the plain
    gradient step, or the lecture's momentum), for comparisons made by role, not by name."""
    return next(i for i in OPTIMIZERS.values() if i.movement == movement)


_INF = math.inf

# How a hyperparameter is named in error messages.
_LABELS = {
    "lr": "learning rate η",
    "momentum": "momentum λ",
    "eps": "epsilon ε",
    "beta1": "beta1 β₁",
    "beta2": "beta2 β₂",
    "alpha": "alpha α",
    "lr_decay": "lr_decay",
    "initial_accumulator_value": "initial_accumulator_value",
    "centered": "centered",
    "amsgrad": "amsgrad",
    "weight_decay": "weight decay",
}


def _lr(default: float) -> HyperParam:
    return HyperParam("lr", default, 0.0, _INF, False, False, True, "η",
                      "learning rate: how far each step moves along −g", ui_low=1e-5, ui_high=10.0)


def _momentum(default: float, help_: str) -> HyperParam:
    return HyperParam("momentum", default, 0.0, 1.0, True, False, False, "λ", help_,
                      ui_low=0.0, ui_high=0.999)


def _eps(default: float) -> HyperParam:
    return HyperParam("eps", default, 0.0, _INF, True, False, True, "ε",
                      "added to the denominator so it is never 0", ui_low=1e-12, ui_high=1.0)


def _weight_decay(default: float = 0.0, decoupled: bool = False) -> HyperParam:
    how = ("θ shrinks by the factor (1 − η·wd) before each step (decoupled)" if decoupled
           else "adds wd·θ to the gradient: g ← g + wd·θ (an L2 penalty ½·wd·‖θ‖²)")
    return HyperParam("weight_decay", default, 0.0, _INF, True, False, False, "wd",
                      f"weight decay: {how}", ui_low=0.0, ui_high=1.0)


def _flag(name: str, help_: str) -> HyperParam:
    return HyperParam(name, 0.0, 0.0, 1.0, True, True, False, name, help_, kind="bool",
                      ui_low=0.0, ui_high=1.0)


_GD_PARAMS = (_lr(1e-3), _weight_decay())
_MOMENTUM_PARAMS = (
    _lr(1e-3),
    _momentum(0.9, "momentum λ: the share of the last movement kept in the next one"),
    _weight_decay(),
)
_NESTEROV_PARAMS = (
    _lr(1e-3),
    _momentum(0.9, "momentum λ: the share of the movement kept; the gradient looks ahead"),
    _weight_decay(),
)
_ADAGRAD_PARAMS = (
    _lr(1e-2),
    HyperParam("lr_decay", 0.0, 0.0, _INF, True, False, False, "lr_decay",
               "learning-rate decay: ηₜ = η / (1 + (t−1)·lr_decay)", ui_low=0.0, ui_high=1.0),
    _eps(1e-10),
    HyperParam("initial_accumulator_value", 0.0, 0.0, _INF, True, False, False, "s⁰",
               "starting value s⁰ of the sum of squared gradients", ui_low=0.0, ui_high=10.0),
    _weight_decay(),
)
_RMSPROP_PARAMS = (
    _lr(1e-2),
    HyperParam("alpha", 0.99, 0.0, 1.0, True, True, False, "α",
               "smoothing constant: σ² keeps the share α of its old value", ui_low=0.0,
               ui_high=0.9999),
    _eps(1e-8),
    _momentum(0.0, "momentum λ applied to the normalised gradient g/σ (0 = none)"),
    _flag("centered", "divide by the standard deviation of g instead of its root mean square"),
    _weight_decay(),
)
_ADAM_COMMON = (
    _lr(1e-3),
    HyperParam("beta1", 0.9, 0.0, 1.0, True, False, False, "β₁",
               "decay of the running mean m of g (the momentum part)", ui_low=0.0,
               ui_high=0.999),
    HyperParam("beta2", 0.999, 0.0, 1.0, True, False, False, "β₂",
               "decay of the running mean v of g² (the RMSprop part)", ui_low=0.0,
               ui_high=0.99999),
    _eps(1e-8),
    _flag("amsgrad", "divide by the largest v seen so far (AMSGrad)"),
)
_ADAM_PARAMS = (*_ADAM_COMMON, _weight_decay())
_ADAMW_PARAMS = (*_ADAM_COMMON, _weight_decay(1e-2, decoupled=True))
_PARAMS = {
    "gd": _GD_PARAMS,
    "momentum": _MOMENTUM_PARAMS,
    "nesterov": _NESTEROV_PARAMS,
    "adagrad": _ADAGRAD_PARAMS,
    "rmsprop": _RMSPROP_PARAMS,
    "adam": _ADAM_PARAMS,
    "adamw": _ADAMW_PARAMS,
}


def _spec(optimizer: str, name: str) -> HyperParam:
    for p in _PARAMS[optimizer]:
        if p.name == name:
            return p
    raise KeyError(name)  # pragma: no cover - internal misuse


def _hyper(optimizer: str, name: str, value: Any) -> Hyper:
    """Validate one numeric hyperparameter: a float (returned as float) or a (K, 1) array."""
    spec = _spec(optimizer, name)
    label = _LABELS[name]
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"invalid {label}: {value!r} (must be a number {spec.range_text()})")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"invalid {label}: {value!r} (must be a number {spec.range_text()})"
        ) from None
    if arr.ndim == 0:
        x = float(arr)
        if not _in_range(np.float64(x), spec):
            raise ValueError(f"invalid {label}: {x!r} (must be {spec.range_text()})")
        return x
    if arr.ndim != 2 or arr.shape[1] not in (1, 2) or arr.shape[0] == 0:
        raise ValueError(
            f"invalid {label}: an array must have shape (K, 1) or (K, 2), got {arr.shape}"
        )
    ok = _in_range(arr, spec)
    if not ok.all():
        k = int(np.argmin(ok[:, 0]))
        raise ValueError(
            f"invalid {label}: {float(arr[k, 0])!r} in run {k} (must be {spec.range_text()})"
        )
    out = np.array(arr, dtype=np.float64, order="C", copy=True)
    out.flags.writeable = False
    return out


def _in_range(x: np.ndarray, spec: HyperParam) -> np.ndarray:
    lo = x >= spec.low if spec.low_inclusive else x > spec.low
    hi = x <= spec.high if spec.high_inclusive else x < spec.high
    return np.logical_and(lo, hi)


def _flag_value(name: str, value: Any) -> bool:
    """Validate a boolean hyperparameter given as a bool or the number 0 or 1."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating) and value in (0, 1):
        return bool(value)
    raise ValueError(f"invalid {name}: {value!r} (must be a bool: True/False or 0/1)")


def _check_theta(theta: np.ndarray, hypers: tuple[Hyper, ...]) -> tuple[int, int]:
    """θ must be (K, D); every per-run hyperparameter array must have K (or 1) rows."""
    theta = np.asarray(theta)
    if theta.ndim != 2:
        raise ValueError(f"θ must have shape (K, 2), got {theta.shape}")
    k = theta.shape[0]
    for h in hypers:
        if isinstance(h, np.ndarray) and h.shape[0] not in (1, k):
            raise ValueError(
                f"a hyperparameter array has {h.shape[0]} rows but θ has K = {k} runs"
            )
    return (k, theta.shape[1])


def _zeros(shape: tuple[int, int]) -> np.ndarray:
    return np.zeros(shape, dtype=np.float64)


def _per_value_of(base: Hyper, fn: Callable[[float, float], float]) -> Callable[[int], Hyper]:
    """t ↦ fn(b, t) for a float b, or for each distinct value b of a (K, c) array.

    Arrays never go through NumPy's transcendental ufuncs here: ``np.power`` dispatches a SIMD
    ``pow`` on some CPUs (AVX-512) that differs from C ``pow`` in the last bit, which would make
    a run's numbers depend on the CPU and on whether it steps alone or grouped with others.
    Each distinct value is computed with Python's ``**`` (C ``pow``, as torch's Python
    ``beta ** step``) and scattered back, so a row equals the float run bit for bit.
    """
    if not isinstance(base, np.ndarray):
        return lambda t: fn(base, float(t))
    values, inverse = np.unique(base, return_inverse=True)
    listed, inverse = values.tolist(), inverse.reshape(base.shape)

    def per_value(t: int) -> np.ndarray:
        e = float(t)
        return np.array([fn(b, e) for b in listed], dtype=np.float64)[inverse]

    return per_value


class _Lerp:
    """torch's ``start.lerp(end, w)`` for a fixed weight w (float or (K, 1) array).

    torch computes start + w·(end − start) when |w| < 0.5, else end − (end − start)·(1 − w).
    For a (K, 1) array of weights on both sides of 0.5 the second form is written as
    end + (w − 1)·(end − start), which rounds identically (w − 1 = −(1 − w) exactly).
    """

    __slots__ = ("coeff", "mode", "small")

    def __init__(self, w: Hyper) -> None:
        small = np.abs(np.asarray(w)) < 0.5
        if small.all():
            self.mode, self.coeff = 0, w
        elif not small.any():
            self.mode, self.coeff = 1, 1 - w
        else:
            self.mode, self.coeff = 2, np.where(small, w, w - 1.0)
        self.small = small

    def __call__(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        d = end - start
        if self.mode == 0:
            d *= self.coeff
            d += start
            return d
        if self.mode == 1:
            d *= self.coeff
            return np.subtract(end, d, out=d)
        base = np.where(self.small, start, end)
        d *= self.coeff
        d += base
        return d



# ---------------------------------------------------------------------------------------------
# Parts shared by the optimizers: the learning rate (a number or a schedule) and weight decay
# ---------------------------------------------------------------------------------------------


class LearningRate:
    """η as a number or a schedule η_t (optax's ``ScalarOrSchedule``), for K runs.

    ``at(t)`` is the learning rate of update t (t = 0 turns θ⁰ into θ¹): η itself when every
    run's schedule is constant (no work per update), otherwise η_t = schedule_k(η_k, t) of
    each run k from the schedule's closed form in Python floats (:mod:`core.schedules`), so a
    run's η_t is the same bits alone or grouped. For K runs η_t is an array shaped like η.
    """

    __slots__ = ("_cache", "_inverse", "_pairs", "_shape", "constant", "value")

    #: Updates whose η_t are computed in one go for grouped runs.
    CHUNK = 256

    def __init__(self, value: Hyper, schedule: Any = None) -> None:
        self.value = value
        schedules = _schedules(schedule, value)
        self.constant = all(s.is_constant for s in schedules)
        self._cache: tuple[int, np.ndarray] | None = None
        if self.constant:
            return
        if not isinstance(value, np.ndarray):
            self._pairs = [(float(value), schedules[0])]
            self._inverse = None
            self._shape = None
            return
        rows = value[:, 0].tolist()
        if len(schedules) == 1:
            schedules = schedules * len(rows)
        index: dict[tuple[float, Any], int] = {}
        inverse = [index.setdefault((eta, sch), len(index)) for eta, sch in
                   zip(rows, schedules, strict=True)]
        self._pairs = list(index)
        self._inverse = np.array(inverse, dtype=np.intp)
        self._shape = value.shape

    def at(self, t: int) -> Hyper:
        """η_t: the learning rate of update t (a float, or an array shaped like η)."""
        if self.constant:
            return self.value
        if self._inverse is None:
            eta, sch = self._pairs[0]
            return sch(eta, t)
        cache = self._cache
        if cache is None or not cache[0] <= t < cache[0] + len(cache[1]):
            table = np.array([sch.rates(eta, self.CHUNK, start=t) for eta, sch in self._pairs]).T
            cache = self._cache = (t, table)
        row = cache[1][t - cache[0]][self._inverse]
        return np.repeat(row[:, None], self._shape[1], axis=1)


def _schedules(schedule: Any, value: Hyper) -> list[Any]:
    """The schedules of the runs: one for all (None: constant) or one per run."""
    from core.schedules import CONSTANT, Schedule

    if schedule is None:
        return [CONSTANT]
    if isinstance(schedule, Schedule):
        return [schedule]
    out = list(schedule)
    if not all(isinstance(s, Schedule) for s in out):
        raise ValueError("schedule: must be a Schedule or one Schedule per run")
    k = value.shape[0] if isinstance(value, np.ndarray) else 1
    if len(out) not in (1, k):
        raise ValueError(f"schedule: {len(out)} schedules for K = {k} runs")
    return out


def _decay(wd: Hyper) -> Callable[[np.ndarray, np.ndarray], np.ndarray] | None:
    """Coupled weight decay as torch adds it to the gradient: g ← g + wd·θ (None: wd = 0)."""
    if not np.any(np.asarray(wd)):
        return None

    def add(g: np.ndarray, theta: np.ndarray) -> np.ndarray:
        return g + wd * theta  # grad.add(param, alpha=weight_decay)

    return add


# ---------------------------------------------------------------------------------------------
# Factories
# ---------------------------------------------------------------------------------------------


def gd(lr: Hyper = 1e-3, weight_decay: Hyper = 0.0, *, schedule: Any = None) -> Optimizer:
    """Plain gradient descent (torch ``SGD(momentum=0, weight_decay)``).

    θᵗ = θᵗ⁻¹ − η_{t−1} gᵗ⁻¹;  delta = −η gᵗ⁻¹, computed as (−η)·g like torch's
    ``param.add_(grad, alpha=-lr)``. With weight decay g ← g + wd·θᵗ⁻¹ first.
    """
    rate = LearningRate(_hyper("gd", "lr", lr), schedule)
    eta = rate.value
    decay = _decay(_hyper("gd", "weight_decay", weight_decay))
    neg_eta = -eta

    def init(theta: np.ndarray) -> GDState:
        _check_theta(theta, (eta,))
        return GDState(0)

    def update(g: np.ndarray, state: GDState, theta: np.ndarray) -> tuple[np.ndarray, GDState]:
        if decay is not None:
            g = decay(g, theta)
        step = neg_eta if rate.constant else -rate.at(state.t)
        return step * g, GDState(state.t + 1)

    return Optimizer("gd", init, update)


def momentum(lr: Hyper = 1e-3, momentum: Hyper = 0.9, weight_decay: Hyper = 0.0, *,
             schedule: Any = None) -> Optimizer:
    """Gradient descent with momentum, exactly in the lecture's form.

    m⁰ = 0,  mᵗ = λ mᵗ⁻¹ − η_{t−1} gᵗ⁻¹,  θᵗ = θᵗ⁻¹ + mᵗ;  delta = mᵗ (the state holds m).
    With weight decay g ← g + wd·θᵗ⁻¹ first.

    With a constant η this equals torch ``SGD(momentum=μ, dampening=0, nesterov=False)``, which
    keeps v₁ = g₀, vₜ = μ vₜ₋₁ + gₜ and steps θ ← θ − lr·v: with λ = μ, η = lr and m = −η·v the
    two recursions are mathematically identical. Floating-point rounding differs at the
    last-bit level (λm − ηg is not rounded like −η(μv + g)), so trajectories agree with torch to
    ~1e-15 relative per step rather than bit for bit. Once η varies (a schedule) they differ:
    here η_t is inside the movement (past movements keep the η they were made with), while
    torch multiplies the whole buffer v by the current η_t.
    """
    rate = LearningRate(_hyper("momentum", "lr", lr), schedule)
    eta = rate.value
    lam = _hyper("momentum", "momentum", momentum)
    decay = _decay(_hyper("momentum", "weight_decay", weight_decay))

    def init(theta: np.ndarray) -> MomentumState:
        shape = _check_theta(theta, (eta, lam))
        return MomentumState(_zeros(shape), 0)

    def update(
        g: np.ndarray, state: MomentumState, theta: np.ndarray
    ) -> tuple[np.ndarray, MomentumState]:
        if decay is not None:
            g = decay(g, theta)
        m = lam * state.m  # λ mᵗ⁻¹
        m -= rate.at(state.t) * g  # − η gᵗ⁻¹
        return m, MomentumState(m, state.t + 1)

    def kernel(state: MomentumState) -> Kernel:
        m, scratch, steps = state.m.copy(), np.empty_like(state.m), [state.t]
        mul, sub = np.multiply, np.subtract
        if decay is None and rate.constant:  # the common case: two ufunc calls per update

            def step(g: np.ndarray, theta: np.ndarray) -> np.ndarray:
                mul(lam, m, m)  # λ mᵗ⁻¹
                sub(m, mul(eta, g, scratch), m)  # − η gᵗ⁻¹
                steps[0] += 1
                return m

        else:

            def step(g: np.ndarray, theta: np.ndarray) -> np.ndarray:
                if decay is not None:
                    g = decay(g, theta)
                mul(lam, m, m)  # λ mᵗ⁻¹
                sub(m, mul(rate.at(steps[0]), g, scratch), m)  # − η_t gᵗ⁻¹
                steps[0] += 1
                return m

        return Kernel(step, lambda: MomentumState(m.copy(), steps[0]))

    return Optimizer("momentum", init, update, kernel)


def nesterov(lr: Hyper = 1e-3, momentum: Hyper = 0.9, weight_decay: Hyper = 0.0, *,
             schedule: Any = None) -> Optimizer:
    """Nesterov momentum, as torch ``SGD(momentum=μ, nesterov=True)`` computes it.

    torch: v¹ = g⁰, vᵗ = μ vᵗ⁻¹ + gᵗ⁻¹,  θᵗ = θᵗ⁻¹ − η (gᵗ⁻¹ + μ vᵗ).

    Lecture notation, with λ = μ and the movement m = −η·v (m⁰ = 0):
    mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹,  θᵗ = θᵗ⁻¹ + λ mᵗ − η gᵗ⁻¹,
    i.e. the momentum step mᵗ followed by a second look-ahead push λmᵗ, with the gradient taken
    at θᵗ⁻¹ (the "look-ahead point" of the classic form θ + λm, re-parametrised). The state keeps
    torch's v (used for the arithmetic) and m = −η·v for display. λ = 0 gives plain GD.
    With a schedule η_t replaces η (as torch's scheduler sets ``lr``); with weight decay
    g ← g + wd·θᵗ⁻¹ first.
    """
    rate = LearningRate(_hyper("nesterov", "lr", lr), schedule)
    eta = rate.value
    mu = _hyper("nesterov", "momentum", momentum)
    decay = _decay(_hyper("nesterov", "weight_decay", weight_decay))

    def init(theta: np.ndarray) -> NesterovState:
        shape = _check_theta(theta, (eta, mu))
        return NesterovState(_zeros(shape), _zeros(shape), 0)

    def update(
        g: np.ndarray, state: NesterovState, theta: np.ndarray
    ) -> tuple[np.ndarray, NesterovState]:
        if decay is not None:
            g = decay(g, theta)
        neg_eta = -rate.at(state.t)
        v = mu * state.v  # buf.mul_(μ)   (v⁰ = 0 makes v¹ = g⁰ exactly)
        v += g  # .add_(g)
        d = mu * v  # g.add(buf, alpha=μ)
        d += g
        d *= neg_eta  # param.add_(d, alpha=-lr)
        return d, NesterovState(v, neg_eta * v, state.t + 1)

    return Optimizer("nesterov", init, update)


def adagrad(
    lr: Hyper = 1e-2,
    lr_decay: Hyper = 0.0,
    eps: Hyper = 1e-10,
    initial_accumulator_value: Hyper = 0.0,
    weight_decay: Hyper = 0.0,
    *,
    schedule: Any = None,
) -> Optimizer:
    """Adagrad (torch ``Adagrad``): each coordinate gets its own step size η/√sᵗ.

    s⁰ = initial_accumulator_value,  sᵗ = sᵗ⁻¹ + (gᵗ⁻¹)²,
    ηₜ = η / (1 + (t−1)·lr_decay),   θᵗ = θᵗ⁻¹ − ηₜ gᵗ⁻¹ / (√sᵗ + ε).

    (The lecture's σᵗ = √(mean of (gᵏ)²) with ηᵗ = η/√(t+1) gives the same η/√(Σ(gᵏ)²).)
    With a schedule η_{t−1} replaces η; with weight decay g ← g + wd·θᵗ⁻¹ first.
    """
    rate = LearningRate(_hyper("adagrad", "lr", lr), schedule)
    eta = rate.value
    wd = _decay(_hyper("adagrad", "weight_decay", weight_decay))
    decay = _hyper("adagrad", "lr_decay", lr_decay)
    epsilon = _hyper("adagrad", "eps", eps)
    s0 = _hyper("adagrad", "initial_accumulator_value", initial_accumulator_value)

    def init(theta: np.ndarray) -> AdagradState:
        shape = _check_theta(theta, (eta, decay, epsilon, s0))
        return AdagradState(np.full(shape, 0.0) + s0, 0)

    def update(
        g: np.ndarray, state: AdagradState, theta: np.ndarray
    ) -> tuple[np.ndarray, AdagradState]:
        if wd is not None:
            g = wd(g, theta)
        t = state.t + 1
        clr = rate.at(state.t) / (1 + (t - 1) * decay)
        s = g * g
        s += state.state_sum  # state_sum.addcmul_(g, g)
        std = np.sqrt(s)
        std += epsilon
        d = -clr * g  # param.addcdiv_(g, std, value=-clr)
        d /= std
        return d, AdagradState(s, t)

    return Optimizer("adagrad", init, update)


def rmsprop(
    lr: Hyper = 1e-2,
    alpha: Hyper = 0.99,
    eps: Hyper = 1e-8,
    momentum: Hyper = 0.0,
    centered: bool | float = False,
    weight_decay: Hyper = 0.0,
    *,
    schedule: Any = None,
) -> Optimizer:
    """RMSprop (torch ``RMSprop``), with its momentum and centered variants.

    σ²ᵗ = α σ²ᵗ⁻¹ + (1−α)(gᵗ⁻¹)²                       (σ²⁰ = 0)
    centered:  ḡᵗ = α ḡᵗ⁻¹ + (1−α) gᵗ⁻¹,  σᵗ = √(σ²ᵗ − (ḡᵗ)²) + ε;   else σᵗ = √σ²ᵗ + ε
    λ = 0:     θᵗ = θᵗ⁻¹ − η gᵗ⁻¹ / σᵗ
    λ > 0:     bᵗ = λ bᵗ⁻¹ + gᵗ⁻¹/σᵗ (b⁰ = 0),  θᵗ = θᵗ⁻¹ − η bᵗ

    (ḡ is updated with torch's ``lerp``; with per-run λ arrays each row follows the branch its
    own λ selects.) With a schedule η_{t−1} replaces η; with weight decay g ← g + wd·θᵗ⁻¹ first.
    """
    rate = LearningRate(_hyper("rmsprop", "lr", lr), schedule)
    eta = rate.value
    decay = _decay(_hyper("rmsprop", "weight_decay", weight_decay))
    a = _hyper("rmsprop", "alpha", alpha)
    epsilon = _hyper("rmsprop", "eps", eps)
    mu = _hyper("rmsprop", "momentum", momentum)
    is_centered = _flag_value("centered", centered)
    one_m_a = 1 - a
    lerp = _Lerp(one_m_a)
    use_mom = np.asarray(mu) > 0
    mode = "all" if use_mom.all() else ("none" if not use_mom.any() else "mixed")

    def init(theta: np.ndarray) -> RMSpropState:
        shape = _check_theta(theta, (eta, a, epsilon, mu))
        return RMSpropState(_zeros(shape), _zeros(shape), _zeros(shape), 0)

    def update(
        g: np.ndarray, state: RMSpropState, theta: np.ndarray
    ) -> tuple[np.ndarray, RMSpropState]:
        if decay is not None:
            g = decay(g, theta)
        neg_eta = -rate.at(state.t)
        sq = state.square_avg * a  # square_avg.mul_(α)
        sq += one_m_a * g * g  # .addcmul_(g, g, value=1-α)
        if is_centered:
            ga = lerp(state.grad_avg, g)  # grad_avg.lerp_(g, 1-α)
            avg = ga * ga
            np.subtract(sq, avg, out=avg)  # square_avg.addcmul(ga, ga, value=-1)
            np.sqrt(avg, out=avg)
        else:
            ga = state.grad_avg
            avg = np.sqrt(sq)
        avg += epsilon
        buf = state.momentum_buffer
        if mode == "none":
            d = neg_eta * g  # param.addcdiv_(g, avg, value=-lr)
            d /= avg
        else:
            new_buf = g / avg  # buf.mul_(μ).addcdiv_(g, avg)
            new_buf += mu * buf
            d = neg_eta * new_buf  # param.add_(buf, alpha=-lr)
            if mode == "all":
                buf = new_buf
            else:
                plain = neg_eta * g
                plain /= avg
                d = np.where(use_mom, d, plain)
                buf = np.where(use_mom, new_buf, buf)
        return d, RMSpropState(sq, ga, buf, state.t + 1)

    return Optimizer("rmsprop", init, update)


def adam(
    lr: Hyper = 1e-3,
    beta1: Hyper = 0.9,
    beta2: Hyper = 0.999,
    eps: Hyper = 1e-8,
    amsgrad: bool | float = False,
    weight_decay: Hyper = 0.0,
    *,
    schedule: Any = None,
    decoupled: bool = False,
) -> Optimizer:
    """Adam (torch ``Adam(betas=(beta1, beta2))``), optionally AMSGrad: momentum + RMSprop.

    mᵗ = β₁ mᵗ⁻¹ + (1−β₁) gᵗ⁻¹,   vᵗ = β₂ vᵗ⁻¹ + (1−β₂)(gᵗ⁻¹)²    (m⁰ = v⁰ = 0)
    m̂ᵗ = mᵗ/(1−β₁ᵗ),  v̂ᵗ = vᵗ/(1−β₂ᵗ)   (bias correction; amsgrad uses max(v¹…vᵗ) for vᵗ)
    θᵗ = θᵗ⁻¹ − η m̂ᵗ / (√v̂ᵗ + ε)

    Here m is Adam's running mean of g (not the lecture's movement). Arithmetic as torch:
    m via ``lerp(g, 1−β₁)``, v = v·β₂ + (1−β₂)·g·g, step_size = η/(1−β₁ᵗ),
    denom = √v / (1−β₂ᵗ)^½ + ε, delta = (−step_size·m) / denom. With a schedule η_{t−1}
    replaces η. Weight decay: g ← g + wd·θᵗ⁻¹ first (torch ``Adam``), or with ``decoupled``
    (:func:`adamw`) θ shrinks by the factor (1 − η·wd) before the Adam step.
    """
    name = "adamw" if decoupled else "adam"
    rate = LearningRate(_hyper(name, "lr", lr), schedule)
    eta = rate.value
    b1 = _hyper(name, "beta1", beta1)
    b2 = _hyper(name, "beta2", beta2)
    epsilon = _hyper(name, "eps", eps)
    use_max = _flag_value("amsgrad", amsgrad)
    wd = _hyper(name, "weight_decay", weight_decay)
    coupled = None if decoupled else _decay(wd)
    shrink = decoupled and bool(np.any(np.asarray(wd)))
    lerp = _Lerp(1 - b1)
    one_m_b2 = 1 - b2
    bias1 = _per_value_of(b1, lambda b, t: 1 - b**t)  # 1 − β₁ᵗ
    bias2_sqrt = _per_value_of(b2, lambda b, t: (1 - b**t) ** 0.5)  # (1 − β₂ᵗ)^½ (C pow)

    def init(theta: np.ndarray) -> AdamState:
        shape = _check_theta(theta, (eta, b1, b2, epsilon))
        return AdamState(_zeros(shape), _zeros(shape), _zeros(shape), 0)

    def update(
        g: np.ndarray, state: AdamState, theta: np.ndarray
    ) -> tuple[np.ndarray, AdamState]:
        if coupled is not None:
            g = coupled(g, theta)
        t = state.t + 1
        eta_t = rate.at(state.t)
        m = lerp(state.exp_avg, g)  # exp_avg.lerp_(g, 1-β₁)
        v = state.exp_avg_sq * b2  # exp_avg_sq.mul_(β₂)
        v += one_m_b2 * g * g  # .addcmul_(g, g, value=1-β₂)
        step_size = eta_t / bias1(t)
        if use_max:
            vmax = np.maximum(state.max_exp_avg_sq, v)
            denom = np.sqrt(vmax)
        else:
            vmax = state.max_exp_avg_sq
            denom = np.sqrt(v)
        denom /= bias2_sqrt(t)
        denom += epsilon
        d = -step_size * m  # param.addcdiv_(m, denom, value=-step_size)
        d /= denom
        if shrink:  # AdamW: param.mul_(1 - lr * weight_decay) before the step
            d += theta * (1 - eta_t * wd) - theta
        return d, AdamState(m, v, vmax, t)

    return Optimizer(name, init, update)


def adamw(
    lr: Hyper = 1e-3,
    beta1: Hyper = 0.9,
    beta2: Hyper = 0.999,
    eps: Hyper = 1e-8,
    amsgrad: bool | float = False,
    weight_decay: Hyper = 1e-2,
    *,
    schedule: Any = None,
) -> Optimizer:
    """AdamW (torch ``AdamW``): Adam with decoupled weight decay.

    θ̃ = θᵗ⁻¹ (1 − η·wd),  then the Adam step of :func:`adam` from θ̃ with the gradient
    gᵗ⁻¹ = ∇L_b(θᵗ⁻¹) (the decay never enters m or v). delta = (θ̃ − θᵗ⁻¹) + Adam's step.
    """
    return adam(lr, beta1, beta2, eps, amsgrad, weight_decay, schedule=schedule,
                decoupled=True)


# ---------------------------------------------------------------------------------------------
# Step inspector: one function per optimizer, registered below
# ---------------------------------------------------------------------------------------------

Terms = list[tuple[str, np.ndarray]]


def _row(x: Any, run: int) -> np.ndarray:
    """The (2,) slice of run ``run`` from a (K, 2) array (a (2,) array is returned as is)."""
    a = np.asarray(x, dtype=np.float64)
    return a[run] if a.ndim == 2 else a


def _scalar(x: Hyper, run: int) -> float:
    """The value of a hyperparameter for run ``run``."""
    if isinstance(x, np.ndarray):
        return float(x[run, 0] if x.shape[0] > 1 else x[0, 0])
    return float(x)


@dataclass(frozen=True)
class _Step:
    """One update of one run as the explain functions see it (everything a (2,) row)."""

    h: dict[str, Any]  # hyperparameters (floats and bools); h["lr"] is η_t of this update
    g: np.ndarray  # gᵗ⁻¹ after weight decay (the gradient the rule uses)
    before: State
    after: State
    theta: np.ndarray  # θᵗ
    run: int
    theta_before: np.ndarray  # θᵗ⁻¹

    def row(self, x: Any) -> np.ndarray:
        return _row(x, self.run)


def _explain_gd(s: _Step) -> Terms:
    return [("−ηgᵗ⁻¹", -s.h["lr"] * s.g), ("θᵗ = θᵗ⁻¹ − ηgᵗ⁻¹", s.theta)]


def _explain_momentum(s: _Step) -> Terms:
    lr, lam, m0 = s.h["lr"], s.h["momentum"], s.row(s.before.m)
    return [("mᵗ⁻¹", m0), ("λmᵗ⁻¹", lam * m0), ("−ηgᵗ⁻¹", -lr * s.g),
            ("mᵗ = λmᵗ⁻¹ − ηgᵗ⁻¹", s.row(s.after.m)), ("θᵗ = θᵗ⁻¹ + mᵗ", s.theta)]


def _explain_nesterov(s: _Step) -> Terms:
    lr, lam, m0, m1 = s.h["lr"], s.h["momentum"], s.row(s.before.m), s.row(s.after.m)
    return [("mᵗ⁻¹", m0), ("λmᵗ⁻¹", lam * m0), ("−ηgᵗ⁻¹", -lr * s.g),
            ("mᵗ = λmᵗ⁻¹ − ηgᵗ⁻¹", m1), ("λmᵗ (look-ahead)", lam * m1),
            ("θᵗ = θᵗ⁻¹ + λmᵗ − ηgᵗ⁻¹", s.theta)]


def _explain_adagrad(s: _Step) -> Terms:
    h, gr, t = s.h, s.g, s.after.t
    clr = h["lr"] / (1 + (t - 1) * h["lr_decay"])
    ssum = s.row(s.after.state_sum)
    std = np.sqrt(ssum) + h["eps"]
    return [("(gᵗ⁻¹)²", gr * gr), ("sᵗ = sᵗ⁻¹ + (gᵗ⁻¹)²", ssum), ("√sᵗ + ε", std),
            ("ηₜ/(√sᵗ + ε)  (per-coordinate step size)", clr / std),
            ("−ηₜgᵗ⁻¹/(√sᵗ + ε)", -clr * gr / std), ("θᵗ = θᵗ⁻¹ − ηₜgᵗ⁻¹/(√sᵗ + ε)", s.theta)]


def _explain_rmsprop(s: _Step) -> Terms:
    h, gr, lr = s.h, s.g, s.h["lr"]
    sq = s.row(s.after.square_avg)
    out: Terms = [("σ²ᵗ = ασ²ᵗ⁻¹ + (1−α)(gᵗ⁻¹)²", sq)]
    if h["centered"]:
        ga = s.row(s.after.grad_avg)
        sigma = np.sqrt(sq - ga * ga) + h["eps"]
        out += [("ḡᵗ = αḡᵗ⁻¹ + (1−α)gᵗ⁻¹", ga), ("σᵗ = √(σ²ᵗ − (ḡᵗ)²) + ε", sigma)]
    else:
        sigma = np.sqrt(sq) + h["eps"]
        out.append(("σᵗ = √σ²ᵗ + ε", sigma))
    if h["momentum"] > 0:
        b = s.row(s.after.momentum_buffer)
        return [*out, ("gᵗ⁻¹/σᵗ", gr / sigma), ("bᵗ = λbᵗ⁻¹ + gᵗ⁻¹/σᵗ", b),
                ("−ηbᵗ", -lr * b), ("θᵗ = θᵗ⁻¹ − ηbᵗ", s.theta)]
    return [*out, ("−ηgᵗ⁻¹/σᵗ", -lr * gr / sigma), ("θᵗ = θᵗ⁻¹ − ηgᵗ⁻¹/σᵗ", s.theta)]


def _explain_adam(s: _Step) -> Terms:
    h, t, lr = s.h, s.after.t, s.h["lr"]
    b1, b2, eps, ams = h["beta1"], h["beta2"], h["eps"], h["amsgrad"]
    bc1 = 1 - b1 ** float(t)
    bc2 = 1 - b2 ** float(t)
    m, v = s.row(s.after.exp_avg), s.row(s.after.exp_avg_sq)
    v_used = s.row(s.after.max_exp_avg_sq) if ams else v
    denom = np.sqrt(v_used) / bc2**0.5 + eps
    out: Terms = [("mᵗ = β₁mᵗ⁻¹ + (1−β₁)gᵗ⁻¹", m), ("vᵗ = β₂vᵗ⁻¹ + (1−β₂)(gᵗ⁻¹)²", v)]
    if ams:
        out.append(("max(v¹…vᵗ)  (amsgrad)", v_used))
    return [
        *out,
        ("m̂ᵗ = mᵗ/(1−β₁ᵗ)", m / bc1),
        ("v̂ᵗ = max(v¹…vᵗ)/(1−β₂ᵗ)" if ams else "v̂ᵗ = vᵗ/(1−β₂ᵗ)", v_used / bc2),
        ("√v̂ᵗ + ε", denom),
        ("−ηm̂ᵗ/(√v̂ᵗ + ε)", -(lr / bc1) * m / denom),
        ("θᵗ = θᵗ⁻¹ − ηm̂ᵗ/(√v̂ᵗ + ε)", s.theta),
    ]


def _explain_adamw(s: _Step) -> Terms:
    wd = s.h["weight_decay"]
    terms = _explain_adam(s)
    shrink = ("−η·wd·θᵗ⁻¹  (decoupled weight decay)", -(s.h["lr"] * wd) * s.theta_before)
    return [*terms[:-1], shrink, ("θᵗ = θᵗ⁻¹(1 − η·wd) − ηm̂ᵗ/(√v̂ᵗ + ε)", s.theta)]


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------

OPTIMIZERS: dict[str, OptimizerInfo] = {
    "gd": OptimizerInfo(
        "gd", "Gradient descent", gd, _GD_PARAMS,
        "θᵗ = θᵗ⁻¹ − η gᵗ⁻¹\n"
        "(gᵗ⁻¹ = ∇L_b(θᵗ⁻¹): the gradient of the batch's loss at θᵗ⁻¹)",
        torch="SGD(lr)", explain=_explain_gd, movement="gradient", steps_with="momentum",
        steps_with_params=(("momentum", 0.0),),
    ),
    "momentum": OptimizerInfo(
        "momentum", "Gradient descent + momentum", momentum, _MOMENTUM_PARAMS,
        "m⁰ = 0\n"
        "mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹\n"
        "θᵗ = θᵗ⁻¹ + mᵗ\n"
        "(movement = last movement × λ minus the gradient × η;\n"
        " mᵗ = −η Σₖ λᵗ⁻¹⁻ᵏ gᵏ: a weighted sum of all past gradients)",
        torch="SGD(lr, momentum) with m = −η·v (the same only while η is constant)",
        explain=_explain_momentum, movement="momentum",
    ),
    "nesterov": OptimizerInfo(
        "nesterov", "Nesterov momentum", nesterov, _NESTEROV_PARAMS,
        "m⁰ = 0\n"
        "mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹\n"
        "θᵗ = θᵗ⁻¹ + λ mᵗ − η gᵗ⁻¹\n"
        "(the momentum step, then one more λmᵗ: a look ahead along the movement;\n"
        " torch: vᵗ = λ vᵗ⁻¹ + gᵗ⁻¹, θᵗ = θᵗ⁻¹ − η(gᵗ⁻¹ + λ vᵗ), m = −η v)",
        torch="SGD(lr, momentum, nesterov=True)", explain=_explain_nesterov,
        movement="lookahead",
    ),
    "adagrad": OptimizerInfo(
        "adagrad", "Adagrad", adagrad, _ADAGRAD_PARAMS,
        "sᵗ = sᵗ⁻¹ + (gᵗ⁻¹)²            (per coordinate; s⁰ = initial_accumulator_value)\n"
        "ηₜ = η / (1 + (t−1)·lr_decay)\n"
        "θᵗ = θᵗ⁻¹ − ηₜ gᵗ⁻¹ / (√sᵗ + ε)\n"
        "(steep coordinates get small steps, flat ones large steps)",
        torch="Adagrad(lr, lr_decay, weight_decay, initial_accumulator_value, eps)",
        explain=_explain_adagrad,
    ),
    "rmsprop": OptimizerInfo(
        "rmsprop", "RMSprop", rmsprop, _RMSPROP_PARAMS,
        "σ²ᵗ = α σ²ᵗ⁻¹ + (1−α)(gᵗ⁻¹)²     (per coordinate; σ²⁰ = 0)\n"
        "σᵗ = √σ²ᵗ + ε                  (centered: ḡᵗ = α ḡᵗ⁻¹ + (1−α) gᵗ⁻¹,"
        " σᵗ = √(σ²ᵗ − (ḡᵗ)²) + ε)\n"
        "θᵗ = θᵗ⁻¹ − η gᵗ⁻¹ / σᵗ\n"
        "(with momentum λ > 0: bᵗ = λ bᵗ⁻¹ + gᵗ⁻¹/σᵗ, θᵗ = θᵗ⁻¹ − η bᵗ)",
        torch="RMSprop(lr, alpha, eps, weight_decay, momentum, centered)",
        explain=_explain_rmsprop,
    ),
    "adam": OptimizerInfo(
        "adam", "Adam", adam, _ADAM_PARAMS,
        "mᵗ = β₁ mᵗ⁻¹ + (1−β₁) gᵗ⁻¹      (momentum: running mean of g)\n"
        "vᵗ = β₂ vᵗ⁻¹ + (1−β₂)(gᵗ⁻¹)²    (RMSprop: running mean of g²)\n"
        "m̂ᵗ = mᵗ / (1−β₁ᵗ),  v̂ᵗ = vᵗ / (1−β₂ᵗ)   (bias correction)\n"
        "θᵗ = θᵗ⁻¹ − η m̂ᵗ / (√v̂ᵗ + ε)\n"
        "(amsgrad: vᵗ replaced by max(v¹, …, vᵗ))",
        torch="Adam(lr, betas=(beta1, beta2), eps, weight_decay, amsgrad)",
        explain=_explain_adam,
    ),
    "adamw": OptimizerInfo(
        "adamw", "AdamW (decoupled weight decay)", adamw, _ADAMW_PARAMS,
        "θ̃ = θᵗ⁻¹ (1 − η·wd)             (decoupled weight decay)\n"
        "mᵗ, vᵗ, m̂ᵗ, v̂ᵗ as in Adam (from gᵗ⁻¹ = ∇L_b(θᵗ⁻¹))\n"
        "θᵗ = θ̃ − η m̂ᵗ / (√v̂ᵗ + ε)",
        torch="AdamW(lr, betas=(beta1, beta2), eps, weight_decay, amsgrad)",
        explain=_explain_adamw, coupled_decay=False,
    ),
}


def make_optimizer(name: str, schedule: Any = None, **hyper: Any) -> Optimizer:
    """Build the optimizer registered as ``name`` with the given hyperparameters.

    ``schedule``: η as a schedule (a :class:`core.schedules.Schedule`, or one per run); None
    keeps η constant. Missing hyperparameters take their defaults. An unknown optimizer, an
    unknown hyperparameter or a value out of range raises ``ValueError`` with one line naming
    it and the allowed names or range.
    """
    info = OPTIMIZERS.get(name) if isinstance(name, str) else None
    if info is None:
        raise ValueError(f"unknown optimizer {name!r} (choose one of: {', '.join(OPTIMIZERS)})")
    allowed = [p.name for p in info.params]
    for key in hyper:
        if key not in allowed:
            raise ValueError(
                f"unknown hyperparameter {key!r} for optimizer {name!r} "
                f"(allowed: {', '.join(allowed)})"
            )
    return info.factory(**hyper, schedule=schedule)


def explain_step(
    name: str,
    hyper: Mapping[str, Any],
    g: np.ndarray,
    state_before: State,
    state_after: State,
    theta_before: np.ndarray,
    theta_after: np.ndarray,
    *,
    run: int = 0,
    schedule: Any = None,
) -> list[tuple[str, np.ndarray]]:
    """One step written out term by term, for the step inspector: ``[(label, value (2,)), ...]``.

    ``g``, the states and θ are those of one ``update`` call (arrays (K, 2) or (2,)); ``run``
    picks the row; ``schedule`` (as for :func:`make_optimizer`) gives η_t of this update
    (shown as the line ``η_t``). Terms stored in the states (m, v, s, σ², ...) and θᵗ are read
    from them; the intermediate terms are computed with the same arithmetic as ``update``, so
    e.g. for momentum λmᵗ⁻¹ + (−ηgᵗ⁻¹) equals the shown mᵗ bit for bit. Missing
    hyperparameters take their defaults; invalid ones raise ``ValueError`` like
    :func:`make_optimizer`.
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r} (choose one of: {', '.join(OPTIMIZERS)})")
    info = OPTIMIZERS[name]
    make_optimizer(name, **hyper)  # validates names and ranges
    h: dict[str, Any] = info.defaults() | dict(hyper)
    for p in info.params:
        if p.kind == "bool":
            h[p.name] = _flag_value(p.name, h[p.name])
        else:
            h[p.name] = _scalar(_hyper(name, p.name, h[p.name]), run)
    update_index = state_after.t - 1
    rate = LearningRate(h["lr"], _schedules(schedule, np.zeros((run + 1, 1)))[
        run if isinstance(schedule, list | tuple) and len(schedule) > 1 else 0])
    h["lr"] = rate.at(update_index)
    gr = _row(g, run)
    th0 = _row(theta_before, run)
    out: Terms = [("θᵗ⁻¹", th0), ("gᵗ⁻¹ = ∇L_b(θᵗ⁻¹)", gr)]
    wd = h.get("weight_decay", 0.0)
    if wd and info.coupled_decay:
        gr = gr + wd * th0
        out.append(("gᵗ⁻¹ + wd·θᵗ⁻¹  (weight decay)", gr))
    if not rate.constant:
        out.append(("ηᵗ⁻¹  (the schedule's η for this update)", np.asarray(h["lr"])))
    assert info.explain is not None
    return out + info.explain(_Step(h, gr, state_before, state_after, _row(theta_after, run),
                                    run, th0))

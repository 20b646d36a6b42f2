"""Learning-rate schedules η_t: ``torch.optim.lr_scheduler``'s closed forms, one registry.

A schedule maps the base learning rate η and the update index t (0 for the first update, which
turns θ⁰ into θ¹) to the learning rate η_t that update uses; torch's scheduler is stepped once
per update, so torch's ``last_epoch`` is our t. Every formula is torch's
``_get_closed_form_lr`` written with the same floating-point operations in the same order, so
η_t equals torch's closed form bit for bit (``tests/test_schedules.py`` against stored torch
values)::

    constant        η_t = η
    step            η_t = η · γ^⌊t / step_size⌋                       (StepLR)
    exponential     η_t = η · γ^t                                     (ExponentialLR)
    cosine          η_t = η_min + (η − η_min)(1 + cos(π t / t_max)) / 2  (CosineAnnealingLR)
    warmup_cosine   t < warmup: η_t = η (f₀ + (1 − f₀) t / warmup)    (LinearLR(f₀, 1, warmup))
                    t ≥ warmup: cosine with t − warmup                (SequentialLR)

Beyond ``t_max`` the cosine form goes on periodically (η rises again), as torch's does.

Adding a schedule is one :class:`ScheduleInfo` in :data:`SCHEDULES`: its parameters (with
ranges, defaults and help), its torch equivalent and its closed form.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.texts import Text, TextError, template, text

__all__ = ["CONSTANT", "SCHEDULES", "Schedule", "ScheduleInfo", "ScheduleParam", "make_schedule"]


_S_INTEGER = template("an integer >= {low}")
_S_IN = template("in {interval}")
_S_MUST_BE = template("must be {range} (got {value})")
_S_KIND = template("kind: must be one of {kinds} (got {value})")
_S_NONE = template("none")
_S_NOT_A_PARAMETER = template("{name}: not a parameter of the {kind} schedule (allowed: {allowed})")


@dataclass(frozen=True)
class ScheduleParam:
    """One schedule parameter: an integer (``kind="int"``, ≥ ``low``) or a float in a range."""

    name: str
    default: float
    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool
    help: str
    kind: str = "float"

    def range_text(self) -> str:
        """The accepted values as text: ``an integer >= 1``, ``in (0, 1]``, ``>= 0``."""
        return str(self.range_sentence())

    def range_sentence(self) -> Text:
        """:meth:`range_text` as a :class:`core.texts.Text` (the window translates it)."""
        if self.kind == "int":
            return text(_S_INTEGER, low=f"{self.low:g}")
        if math.isinf(self.high):
            return text("{op} {low}", op=">=" if self.low_inclusive else ">",
                        low=f"{self.low:g}")
        return text(_S_IN, interval=f"{'[' if self.low_inclusive else '('}{self.low:g}, "
                                    f"{self.high:g}{']' if self.high_inclusive else ')'}")

    def validate(self, value: Any) -> float | int:
        """The value as int or float, or :class:`core.texts.TextError` naming the range."""
        def bad() -> TextError:
            return TextError(text(_S_MUST_BE, range=self.range_sentence(), value=repr(value)))

        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad()
        if self.kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise bad()
            if not math.isfinite(value) or value < self.low or value > 10**12:
                raise bad()
            return int(value)
        x = float(value)
        lo = x >= self.low if self.low_inclusive else x > self.low
        hi = x <= self.high if self.high_inclusive else x < self.high
        if not (math.isfinite(x) and lo and hi):
            raise bad()
        return x


@dataclass(frozen=True)
class ScheduleInfo:
    """A registry entry: kind, title, torch equivalent, parameters and the closed form
    ``rate(η, t, **params) -> η_t``."""

    kind: str
    title: str
    torch: str
    params: tuple[ScheduleParam, ...]
    rate: Callable[..., float]
    formula: str

    def defaults(self) -> dict[str, float | int]:
        """``{name: default}`` for every parameter."""
        return {p.name: (int(p.default) if p.kind == "int" else p.default) for p in self.params}


def _constant(eta: float, t: int) -> float:
    return eta


def _step(eta: float, t: int, *, step_size: int, gamma: float) -> float:
    # StepLR._get_closed_form_lr: base_lr * gamma ** (last_epoch // step_size)
    return eta * gamma ** (t // step_size)


def _exponential(eta: float, t: int, *, gamma: float) -> float:
    # ExponentialLR._get_closed_form_lr: base_lr * gamma ** last_epoch
    return eta * gamma**t


def _cosine(eta: float, t: int, *, t_max: int, eta_min: float) -> float:
    # CosineAnnealingLR._get_closed_form_lr
    return eta_min + (eta - eta_min) * (1 + math.cos(math.pi * t / t_max)) / 2


def _warmup_cosine(eta: float, t: int, *, warmup: int, start_factor: float, t_max: int,
                   eta_min: float) -> float:
    if t < warmup:
        # LinearLR._get_closed_form_lr with end_factor = 1, total_iters = warmup
        return eta * (start_factor + (1.0 - start_factor) * min(warmup, t) / warmup)
    return _cosine(eta, t - warmup, t_max=t_max, eta_min=eta_min)


_INF = math.inf
_T_MAX = ScheduleParam("t_max", 100, 1, _INF, True, False,
                       "updates from η down to η_min (half a cosine period)", kind="int")
_ETA_MIN = ScheduleParam("eta_min", 0.0, 0.0, _INF, True, False,
                         "the smallest learning rate η_min, reached after t_max updates")

SCHEDULES: dict[str, ScheduleInfo] = {
    "constant": ScheduleInfo("constant", "Constant", "no scheduler", (), _constant, "η_t = η"),
    "step": ScheduleInfo(
        "step", "Step decay", "StepLR(step_size, gamma)",
        (ScheduleParam("step_size", 50, 1, _INF, True, False,
                       "updates between two multiplications by γ", kind="int"),
         ScheduleParam("gamma", 0.5, 0.0, 1.0, False, True,
                       "factor γ by which η is multiplied every step_size updates")),
        _step, "η_t = η·γ^⌊t/step_size⌋"),
    "exponential": ScheduleInfo(
        "exponential", "Exponential decay", "ExponentialLR(gamma)",
        (ScheduleParam("gamma", 0.99, 0.0, 1.0, False, True,
                       "factor γ by which η is multiplied after every update"),),
        _exponential, "η_t = η·γ^t"),
    "cosine": ScheduleInfo(
        "cosine", "Cosine annealing", "CosineAnnealingLR(T_max, eta_min)", (_T_MAX, _ETA_MIN),
        _cosine, "η_t = η_min + (η − η_min)(1 + cos(πt/t_max))/2"),
    "warmup_cosine": ScheduleInfo(
        "warmup_cosine", "Warm-up, then cosine",
        "SequentialLR([LinearLR(start_factor, 1, warmup), CosineAnnealingLR(t_max, eta_min)], "
        "milestones=[warmup])",
        (ScheduleParam("warmup", 10, 1, _INF, True, False,
                       "updates of linear warm-up from start_factor·η to η", kind="int"),
         ScheduleParam("start_factor", 0.1, 0.0, 1.0, False, True,
                       "η_0 = start_factor·η at the first update"),
         _T_MAX, _ETA_MIN),
        _warmup_cosine,
        "t < warmup: η_t = η(f₀ + (1 − f₀)t/warmup); then cosine from η to η_min over t_max"),
}


@dataclass(frozen=True)
class Schedule:
    """A validated schedule: ``kind`` and its parameters; ``schedule(η, t) -> η_t``."""

    kind: str = "constant"
    params: Mapping[str, float | int] = field(default_factory=dict)

    @property
    def info(self) -> ScheduleInfo:
        return SCHEDULES[self.kind]

    @property
    def is_constant(self) -> bool:
        return self.kind == "constant"

    def __call__(self, eta: float, t: int) -> float:
        """η_t: the learning rate of update t (t = 0 is the first update)."""
        return self.info.rate(eta, t, **self.params)

    def rates(self, eta: float, steps: int, start: int = 0) -> np.ndarray:
        """η_start … η_{start+steps−1} as a float64 array (each from the closed form, in
        Python floats: the same bits as :meth:`__call__`)."""
        rate, params = self.info.rate, self.params
        return np.array([rate(eta, t, **params) for t in range(start, start + steps)],
                        dtype=np.float64)

    def sample(self, eta: float, steps: int, points: int = 512) -> tuple[np.ndarray, np.ndarray]:
        """At most ``points`` updates t spread over 0 … steps−1 (the first and last included)
        and their η_t, for drawing: O(points), however many updates a run makes."""
        if steps <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0)
        t = np.unique(np.linspace(0, steps - 1, min(steps, points)).round().astype(np.int64))
        rate, params = self.info.rate, self.params
        return t, np.array([rate(eta, int(k), **params) for k in t.tolist()], dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        """The scenario file's ``[runs.schedule]`` table."""
        return {"kind": self.kind, **dict(self.params)}

    def __hash__(self) -> int:
        return hash((self.kind, tuple(sorted(self.params.items()))))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Schedule) and self.kind == other.kind
                and dict(self.params) == dict(other.params))


CONSTANT = Schedule()


def make_schedule(kind: str = "constant", **params: Any) -> Schedule:
    """A validated :class:`Schedule`; missing parameters take their defaults.

    ValueError names the key and the allowed range: ``t_max: must be an integer >= 1 (got 0)``.
    """
    if not isinstance(kind, str) or kind not in SCHEDULES:
        raise TextError(text(_S_KIND, kinds=", ".join(SCHEDULES), value=repr(kind)))
    info = SCHEDULES[kind]
    names = {p.name for p in info.params}
    unknown = sorted(set(params) - names)
    if unknown:
        allowed: Text | str = ", ".join(sorted(names)) or text(_S_NONE)
        raise TextError(text(_S_NOT_A_PARAMETER, name=unknown[0], kind=kind, allowed=allowed))
    values: dict[str, float | int] = info.defaults()
    for p in info.params:
        if p.name in params:
            try:
                values[p.name] = p.validate(params[p.name])
            except TextError as err:
                raise TextError(text("{name}: {why}", name=p.name, why=err.sentence)) from None
    return Schedule(kind, values)

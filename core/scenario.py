"""Scenario files: a surface, its data, and the runs to compare, in TOML.

Read with :mod:`tomllib`, written with :mod:`tomli_w`, validated into frozen dataclasses. Every
problem is reported as ONE line naming the key and the allowed range, e.g.
``runs[1].lr: must be > 0 (got -0.1)``.

.. code-block:: toml

    title = "A saddle point"
    [surface]
    name = "saddle"            # a built-in, or instead: expression = "x**2 - y**2"
    range = [[-2.0, 2.0], [-1.6, 1.6]]
    examples = 20              # N
    noise = 0.3                # spread of the per-example offsets
    seed = 0                   # data seed

    [[runs]]
    label = "momentum"
    optimizer = "momentum"     # gd | momentum | nesterov | adagrad | rmsprop | adam | adamw
    lr = 0.1                   # η (the base learning rate of the schedule)
    momentum = 0.9             # λ
    batch_size = 20            # 1..N, or "full"
    start = [1.8, 0.0]
    steps = 100
    seed = 0                   # shuffle seed
    [runs.schedule]            # optional: η_t (core/schedules.py); default constant
    kind = "cosine"
    t_max = 100
"""

from __future__ import annotations

import errno
import math
import os
import re
import reprlib
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from core import expr
from core.files import atomic_write_text
from core.limits import (
    MAX_EXAMPLES,
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_RUNS,
    MAX_STEPS,
    MAX_TOTAL_STEPS,
)
from core.netsettings import NetworkSettings
from core.netsettings import from_table as network_settings
from core.netsettings import to_table as network_table
from core.optim import OPTIMIZERS
from core.schedules import CONSTANT, Schedule, make_schedule
from core.surfaces import BUILTINS, Range, Surface, custom_surface, get_surface
from core.texts import Text, TextError, template
from core.texts import text as _sentence

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "resources" / "scenarios"


class ScenarioError(ValueError):
    """A scenario file or value that cannot be used; ``str()`` is one clear line, ``sentence``
    the same as a :class:`core.texts.Text` (the window translates the file-level ones)."""

    def __init__(self, message: str | Text) -> None:
        super().__init__(str(message))
        self.sentence = message if isinstance(message, Text) else _sentence("{m}", m=message)


# The file-level messages (core.texts: the window translates them)
_E_NOT_FILE = template("{path}: is not a file ({kind})")
_E_FOLDER = template("a folder")
_E_NOT_REGULAR = template("not a regular file")
_E_NO_SUCH = template("{name}: no such file or built-in scenario (built-ins: {names})")
_E_CANNOT_READ = template("{path}: cannot read ({why})")
_E_TOO_LARGE = template("{path}: too large for a scenario file ({size} bytes; at most {most})")
_E_GREW = template("{path}: too large for a scenario file (more than {most} bytes)")
_E_NOT_UTF8 = template("{path}: not a UTF-8 text file")
_E_BINARY = template("{path}: a binary file, not a scenario (TOML text) file")
_E_TOML = template("invalid TOML: {detail}")

# The values' messages (``where`` names the TOML key, e.g. runs[0].lr)
_V_NUMBER = template("{where}: must be a number (got {type} {value})")
_V_FINITE = template("{where}: must be finite (got {value})")
_V_IN = template("{where}: must be in {interval} (got {value})")
_V_WHOLE = template("{where}: must be a whole number in {low}..{high} (got {value})")
_V_BOOL = template("{where}: must be true or false (got {value})")
_V_TEXT = template("{where}: must be text (got {type} {value})")
_V_TOO_LONG = template("{where}: must be at most {most} characters (got {n})")
_V_PAIR = template("{where}: must be a pair [x, y] of numbers (got {value})")
_V_TABLE = template("{where}: must be a table (got {type})")
_V_UNKNOWN = template("{where}: unknown key {key} (allowed: {allowed})")
_V_RANGE = template("{where}: must be [[xmin, xmax], [ymin, ymax]] (got {value})")
_V_ORDER = template("{where}: {axis}min must be < {axis}max (got [{lo}, {hi}])")
_V_WITHIN = template("{where}: must lie within ±1e6 (got [{lo}, {hi}])")
_V_EXPRESSION = template("surface.expression: {why}")
_V_NAME_OR_EXPRESSION = template("surface: give either name or expression, not both")
_V_UNKNOWN_SURFACE = template("surface.name: unknown surface {name} (built-ins: {names})")
_V_CONDITION = template("surface.condition: only the 'quadratic' surface has a condition")
_V_SCHEDULE = template("{where}.schedule.{why}")
_V_UNKNOWN_HYPER = template("{where}: unknown key {key} for optimizer {optimizer}{hint}; "
                            "allowed: {allowed}")
_V_BELONGS = template(" (it belongs to {names})")
_V_UNKNOWN_OPTIMIZER = template("{where}.optimizer: unknown optimizer {name} (choose {names})")
_V_BATCH = template('{where}.batch_size: must be in 1..{n} (N = {n}) or "full" (got {value})')
_V_COLOUR = template('{where}.color: must be a colour like "#1f77b4" (got {value})')
_V_RUNS_ARRAY = template("runs: must be an array of tables ([[runs]])")
_V_RUNS_MOST = template("runs: at most {most} runs (got {n})")
_V_UPDATES_MOST = template("runs: at most {most} updates over all runs (got {n}; the record "
                           "takes about 100 bytes per update)")


@dataclass(frozen=True)
class SurfaceConfig:
    """The ``[surface]`` table: which loss, its display range and its N examples."""

    name: str | None = "saddle"
    expression: str | None = None
    range: Range | None = None
    examples: int = 20
    noise: float = 0.0
    seed: int = 0
    condition: float | None = None  # only for name = "quadratic"

    def surface(self) -> Surface:
        """The :class:`Surface` this table describes (a built-in or the custom expression)."""
        if self.expression is not None:
            s = custom_surface(self.expression, self.range)
        else:
            params = {} if self.condition is None else {"condition": self.condition}
            s = get_surface(self.name or "saddle", **params)
        return replace(s, range=self.range) if self.range is not None else s

    @property
    def display_range(self) -> Range:
        return self.surface().range


@dataclass(frozen=True)
class RunConfig:
    """One ``[[runs]]`` entry: an optimizer, its hyperparameters, batch size, start and steps.

    ``hyper`` holds η (``lr``) and the optimizer's own hyperparameters (λ as ``momentum``;
    torch's names for the rest). ``batch_size`` is resolved (``"full"`` → N).
    """

    label: str = "run"
    optimizer: str = "gd"
    hyper: tuple[tuple[str, float], ...] = (("lr", 0.1),)
    batch_size: int = 20
    drop_last: bool = False
    start: tuple[float, float] = (0.0, 0.0)
    steps: int = 100
    seed: int = 0
    color: str | None = None
    visible: bool = True
    schedule: Schedule = CONSTANT

    @property
    def params(self) -> dict[str, float]:
        """Every hyperparameter of the optimizer, defaults filled in."""
        info = OPTIMIZERS[self.optimizer]
        given = dict(self.hyper)
        return {p.name: given.get(p.name, p.default) for p in info.params}

    @property
    def lr(self) -> float:
        """The base learning rate η (update t uses :meth:`lr_at`)."""
        return float(self.params["lr"])

    def lr_at(self, t: int) -> float:
        """η_t: the learning rate of update t (t = 0 is the first) under the run's schedule."""
        return self.schedule(self.lr, t)

    def lr_values(self, steps: int) -> np.ndarray:
        """η_0 … η_{steps−1} (the schedule's closed form; constant: η repeated)."""
        return self.schedule.rates(self.lr, steps)

    @property
    def momentum(self) -> float | None:
        return self.params.get("momentum")

    def with_param(self, name: str, value: float) -> RunConfig:
        """A copy with one hyperparameter changed (validated later with the scenario)."""
        given = dict(self.hyper)
        given[name] = value
        return replace(self, hyper=tuple(sorted(given.items())))


@dataclass(frozen=True)
class LessonConfig:
    """The ``[lesson]`` table of a guided scenario: what to watch for and the equation."""

    title: str = ""
    text: str = ""
    watch: str = ""
    equation: str = ""


@dataclass(frozen=True)
class ViewConfig:
    """The ``[view]`` table: how the scenario opens in the window."""

    batch_surface: bool = False
    test_shift: tuple[float, float] | None = None
    show_vectors: bool = True
    show_hessian: bool = False
    grid: int = 101


_FULL_BATCH_GD = template("full batch GD")
_FULL_BATCH = template("full batch")
_BATCH = template("batch {b}")
_SGD = template("{which} SGD")
_MOMENTUM = template("momentum λ={lam}, {which}")
_OTHER = template("{optimizer}, {which}")


def label_text(run: RunConfig, examples: int) -> Text:
    """The name a run gets from its settings, as a :class:`core.texts.Text` (the window
    translates it): "full batch GD", "batch 5 SGD", "momentum λ=0.9, batch 5", "Adam, full
    batch" (``examples``: N)."""
    full = run.batch_size >= examples
    batch = _sentence(_FULL_BATCH) if full else _sentence(_BATCH, b=str(run.batch_size))
    if run.optimizer == "gd":
        return _sentence(_FULL_BATCH_GD) if full else _sentence(_SGD, which=batch)
    if run.optimizer == "momentum":
        return _sentence(_MOMENTUM, lam=f"{run.momentum:g}", which=batch)
    return _sentence(_OTHER, optimizer=Text(OPTIMIZERS[run.optimizer].title), which=batch)


def auto_label(run: RunConfig, examples: int,
               translate: Callable[[str], str] | None = None) -> str:
    """:func:`label_text` as a string, its templates passed through ``translate`` (the
    window's language; None: English)."""
    return label_text(run, examples).render(translate)


def follow_label(old: RunConfig, old_examples: int, new: RunConfig, new_examples: int,
                 translate: Callable[[str], str] | None = None) -> str:
    """``new``'s label after its settings changed from ``old``'s: a label made from the old
    settings (:func:`auto_label` in English or, with ``translate``, in the window's language;
    maybe followed by `` (copy)`` or other words in brackets) names the new settings in the
    same language; a label the person typed stays as typed."""
    if new.label != old.label:  # renamed in this very edit
        return new.label
    for tr in (None, translate) if translate is not None else (None,):
        before = auto_label(old, old_examples, tr)
        rest = old.label[len(before):]
        if old.label.startswith(before) and (not rest or rest.startswith(" (")):
            return (auto_label(new, new_examples, tr) + rest)[:80]
    return old.label


@dataclass(frozen=True)
class Scenario:
    """A whole scenario: surface, runs, and optional lesson and view settings."""

    surface: SurfaceConfig = field(default_factory=SurfaceConfig)
    runs: tuple[RunConfig, ...] = ()
    title: str = ""
    description: str = ""
    lesson: LessonConfig | None = None
    view: ViewConfig = field(default_factory=ViewConfig)
    #: a lesson on the real network: the ``[network]`` table (opens the network window)
    network: NetworkSettings | None = None
    #: the ``[translations.LANG]`` tables: language code → field (:data:`TRANSLATED_FIELDS`)
    #: → text, e.g. ``{"zh_TW": {"title": "鞍點：…"}}`` (the window shows them in that language)
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)

    def replace_run(self, index: int, run: RunConfig) -> Scenario:
        runs = list(self.runs)
        runs[index] = run
        return replace(self, runs=tuple(runs))


# --------------------------------------------------------------------------------------------
# validation helpers


#: Values quoted in error messages: short, and safe for deeply nested tables.
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlong = 3, 60, 60, 40
_REPR.maxlist = _REPR.maxdict = _REPR.maxtuple = _REPR.maxset = 6


def _show(value: Any) -> str:
    """``repr(value)`` cut short (one line of an error message, whatever the file holds)."""
    return _REPR.repr(value)


def _type_name(value: Any) -> str:
    return type(value).__name__.replace("str", "text").replace("float", "number")


def _number(where: str, value: Any, *, low: float | None = None, high: float | None = None,
            low_open: bool = False, high_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(_sentence(_V_NUMBER, where=where, type=_type_name(value),
                                      value=_show(value)))
    v = float(value)
    if not math.isfinite(v):
        raise ScenarioError(_sentence(_V_FINITE, where=where, value=_show(value)))
    lo_ok = low is None or (v > low if low_open else v >= low)
    hi_ok = high is None or (v < high if high_open else v <= high)
    if not (lo_ok and hi_ok):
        lo = "-∞" if low is None else f"{low:g}"
        hi = "∞" if high is None else f"{high:g}"
        left = "(" if low_open or low is None else "["
        right = ")" if high_open or high is None else "]"
        interval = f"{left}{lo}, {hi}{right}"
        raise ScenarioError(_sentence(_V_IN, where=where, interval=interval, value=_show(value)))
    return v


def _integer(where: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(_sentence(_V_WHOLE, where=where, low=str(low), high=str(high),
                                      value=_show(value)))
    if not low <= value <= high:
        raise ScenarioError(_sentence(_V_IN, where=where, interval=f"{low}..{high}",
                                      value=str(value)))
    return int(value)


def _bool(where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(_sentence(_V_BOOL, where=where, value=_show(value)))
    return value


def _text(where: str, value: Any, max_len: int = 2000) -> str:
    if not isinstance(value, str):
        raise ScenarioError(_sentence(_V_TEXT, where=where, type=_type_name(value),
                                      value=_show(value)))
    if len(value) > max_len:
        raise ScenarioError(_sentence(_V_TOO_LONG, where=where, most=str(max_len),
                                      n=str(len(value))))
    return value


def _pair(where: str, value: Any) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ScenarioError(_sentence(_V_PAIR, where=where, value=_show(value)))
    return (_number(f"{where}[0]", value[0]), _number(f"{where}[1]", value[1]))


def _table(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(_sentence(_V_TABLE, where=where, type=_type_name(value)))
    return value


def _no_unknown(where: str, table: dict[str, Any], allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise ScenarioError(_sentence(_V_UNKNOWN, where=where, key=_show(key),
                                          allowed=", ".join(sorted(allowed))))


def _range(where: str, value: Any) -> Range:
    if not isinstance(value, list) or len(value) != 2:
        raise ScenarioError(_sentence(_V_RANGE, where=where, value=_show(value)))
    out = []
    for k, axis in enumerate("xy"):
        lo, hi = _pair(f"{where}[{k}]", value[k])
        if not lo < hi:
            raise ScenarioError(_sentence(_V_ORDER, where=f"{where}[{k}]", axis=axis, lo=str(lo),
                                          hi=str(hi)))
        if max(abs(lo), abs(hi)) > 1e6:
            raise ScenarioError(_sentence(_V_WITHIN, where=f"{where}[{k}]", lo=str(lo), hi=str(hi)))
        out.append((lo, hi))
    return (out[0], out[1])


_SURFACE_KEYS = {"name", "expression", "range", "examples", "noise", "seed", "condition"}
_RUN_KEYS = {"label", "optimizer", "batch_size", "drop_last", "start", "steps", "seed", "color",
             "visible", "schedule"}
_LESSON_KEYS = {"title", "text", "watch", "equation"}
_VIEW_KEYS = {"batch_surface", "test_shift", "show_vectors", "show_hessian", "grid"}
#: The texts a ``[translations.LANG]`` table may translate: the scenario's title and
#: description and its lesson's title, text, what to watch and equation (``lesson_`` + the
#: lesson's key); ``run_labels`` (a list, one per run) names the runs.
TRANSLATED_FIELDS = ("title", "description", "lesson_title", "lesson_text", "lesson_watch",
                     "lesson_equation")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Z][A-Za-z]{1,3})?")


def _translations(table: dict[str, Any]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for lang, texts in table.items():
        if not _LANGUAGE_CODE.fullmatch(str(lang)):
            raise ScenarioError(f"translations: {_show(lang)} is not a language code "
                                "such as zh_TW")
        where = f"translations.{lang}"
        t = _table(where, texts)
        _no_unknown(where, t, {*TRANSLATED_FIELDS, "run_labels"})
        out[lang] = {k: _text(f"{where}.{k}", v, 200 if k == "title" else 4000)
                     for k, v in t.items() if k != "run_labels"}
        if "run_labels" in t:
            labels = t["run_labels"]
            if not isinstance(labels, list) or len(labels) > MAX_RUNS:
                raise ScenarioError(f"{where}.run_labels: must be a list of at most {MAX_RUNS} "
                                    "texts, one per run")
            out[lang]["run_labels"] = [_text(f"{where}.run_labels[{i}]", s, 80)
                                       for i, s in enumerate(labels)]
    return out


def _surface(table: dict[str, Any]) -> SurfaceConfig:
    _no_unknown("surface", table, _SURFACE_KEYS)
    name = table.get("name")
    expression = table.get("expression")
    if name is not None and expression is not None:
        raise ScenarioError(_sentence(_V_NAME_OR_EXPRESSION))
    if name is not None:
        name = _text("surface.name", name, 100)
        if name not in BUILTINS:
            raise ScenarioError(_sentence(_V_UNKNOWN_SURFACE, name=_show(name),
                                          names=", ".join(BUILTINS)))
    if expression is not None:
        expression = _text("surface.expression", expression, 500)
        try:
            expr.parse(expression)
        except expr.ExpressionError as err:
            raise ScenarioError(_sentence(_V_EXPRESSION, why=err.sentence)) from None
    if name is None and expression is None:
        name = "saddle"
    condition = None
    if "condition" in table:
        if name != "quadratic":
            raise ScenarioError(_sentence(_V_CONDITION))
        condition = _number("surface.condition", table["condition"], low=1.0, high=1e6)
    rng = _range("surface.range", table["range"]) if "range" in table else None
    return SurfaceConfig(
        name=None if expression is not None else name,
        expression=expression,
        range=rng,
        examples=_integer("surface.examples", table.get("examples", 20), 1, MAX_EXAMPLES),
        noise=_number("surface.noise", table.get("noise", 0.0), low=0.0, high=100.0),
        seed=_integer("surface.seed", table.get("seed", 0), 0, 2**63 - 1),
        condition=condition,
    )


def _hyper_value(where: str, param, value: Any) -> float:
    if param.kind == "bool":
        return bool(_bool(where, value))
    return _number(where, value, low=param.low, high=param.high,
                   low_open=not param.low_inclusive, high_open=not param.high_inclusive)


def _run(index: int, table: dict[str, Any], n: int) -> RunConfig:
    where = f"runs[{index}]"
    opt = table.get("optimizer", "gd")
    if not isinstance(opt, str) or opt not in OPTIMIZERS:
        raise ScenarioError(_sentence(_V_UNKNOWN_OPTIMIZER, where=where, name=_show(opt),
                                      names=" | ".join(OPTIMIZERS)))
    info = OPTIMIZERS[opt]
    pnames = {p.name: p for p in info.params}
    allowed = _RUN_KEYS | set(pnames)
    for key in table:
        if key not in allowed:
            others = [o for o, i in OPTIMIZERS.items() if key in {p.name for p in i.params}]
            hint = _sentence(_V_BELONGS, names=", ".join(others)) if others else ""
            raise ScenarioError(_sentence(_V_UNKNOWN_HYPER, where=where, key=_show(key),
                                          optimizer=_show(opt), hint=hint,
                                          allowed=", ".join(sorted(allowed))))
    hyper = {name: _hyper_value(f"{where}.{name}", p, table[name])
             for name, p in pnames.items() if name in table}
    bs = table.get("batch_size", n)
    if bs == "full":
        bs = n
    if isinstance(bs, bool) or not isinstance(bs, int) or not 1 <= bs <= n:
        raise ScenarioError(_sentence(_V_BATCH, where=where, n=str(n), value=_show(bs)))
    color = table.get("color")
    if color is not None:
        color = _text(f"{where}.color", color, 20)
        if not (color.startswith("#") and len(color) in (4, 7)
                and all(c in "0123456789abcdefABCDEF" for c in color[1:])):
            raise ScenarioError(_sentence(_V_COLOUR, where=where, value=_show(color)))
    schedule = CONSTANT
    if "schedule" in table:
        st = table["schedule"]
        if not isinstance(st, dict):
            raise ScenarioError(f"{where}.schedule: must be a table ([runs.schedule]) with a "
                                f"kind (got {_show(st)})")
        try:
            schedule = make_schedule(**{str(k): v for k, v in st.items()})
        except TextError as err:
            raise ScenarioError(_sentence(_V_SCHEDULE, where=where, why=err.sentence)) from None
        except (TypeError, ValueError) as err:
            raise ScenarioError(f"{where}.schedule.{err}") from None
    return RunConfig(
        schedule=schedule,
        label=_text(f"{where}.label", table.get("label", f"{opt} {index + 1}"), 80),
        optimizer=opt,
        hyper=tuple(sorted(hyper.items())),
        batch_size=bs,
        drop_last=_bool(f"{where}.drop_last", table.get("drop_last", False)),
        start=_pair(f"{where}.start", table.get("start", [0.0, 0.0])),
        steps=_integer(f"{where}.steps", table.get("steps", 100), 0, MAX_STEPS),
        seed=_integer(f"{where}.seed", table.get("seed", 0), 0, 2**63 - 1),
        color=color,
        visible=_bool(f"{where}.visible", table.get("visible", True)),
    )


def from_dict(data: dict[str, Any]) -> Scenario:
    """Validate a parsed TOML document into a :class:`Scenario` (raises ScenarioError)."""
    _no_unknown("scenario", data,
                {"title", "description", "surface", "runs", "lesson", "view", "network",
                 "translations"})
    surface = _surface(_table("surface", data.get("surface", {})))
    runs_raw = data.get("runs", [])
    if not isinstance(runs_raw, list):
        raise ScenarioError(_sentence(_V_RUNS_ARRAY))
    if len(runs_raw) > MAX_RUNS:
        raise ScenarioError(_sentence(_V_RUNS_MOST, most=str(MAX_RUNS), n=str(len(runs_raw))))
    runs = tuple(_run(i, _table(f"runs[{i}]", r), surface.examples)
                 for i, r in enumerate(runs_raw))
    total = sum(r.steps for r in runs)
    if total > MAX_TOTAL_STEPS:
        raise ScenarioError(_sentence(_V_UPDATES_MOST, most=f"{MAX_TOTAL_STEPS:,}",
                                      n=f"{total:,}"))
    lesson = None
    if "lesson" in data:
        lt = _table("lesson", data["lesson"])
        _no_unknown("lesson", lt, _LESSON_KEYS)
        lesson = LessonConfig(**{k: _text(f"lesson.{k}", v, 4000) for k, v in lt.items()})
    view = ViewConfig()
    if "view" in data:
        vt = _table("view", data["view"])
        _no_unknown("view", vt, _VIEW_KEYS)
        view = ViewConfig(
            batch_surface=_bool("view.batch_surface", vt.get("batch_surface", False)),
            test_shift=_pair("view.test_shift", vt["test_shift"]) if "test_shift" in vt else None,
            show_vectors=_bool("view.show_vectors", vt.get("show_vectors", True)),
            show_hessian=_bool("view.show_hessian", vt.get("show_hessian", False)),
            grid=_integer("view.grid", vt.get("grid", 101), 11, 501),
        )
    network = None
    if "network" in data:
        try:
            network = network_settings(_table("network", data["network"]))
        except ValueError as err:
            raise ScenarioError(str(err)) from None
    return Scenario(
        surface=surface,
        runs=runs,
        title=_text("title", data.get("title", ""), 200),
        description=_text("description", data.get("description", ""), 4000),
        lesson=lesson,
        view=view,
        network=network,
        translations=_translations(_table("translations", data["translations"]))
        if "translations" in data else {},
    )


def validate(scenario: Scenario) -> Scenario:
    """Re-validate a scenario built in code (e.g. edited in the window)."""
    return from_dict(to_dict(scenario))


#: Tokens of the nesting pre-scan: string openers, comments, brackets, separators, dots.
_SCAN_TOKEN = re.compile(r"\"\"\"|'''|[\"'#\[\]{}=,\n.]")
#: The rest of a basic string, a multi-line basic string (escapes skipped).
_BASIC_END = re.compile(r'(?:[^"\\\n]++|\\.)*+"')
_ML_BASIC_END = re.compile(r'(?:[^"\\]++|\\.|"(?!""))*+"""', re.DOTALL)


def check_nesting(text: str, limit: int | None = None) -> None:
    """Raise ScenarioError if arrays/inline tables nest, or a dotted key has parts, deeper
    than ``limit`` (default :data:`MAX_NESTING`) levels.

    A linear pre-scan run before :mod:`tomllib` (which recurses once per level: a file of
    nested ``[[[[…`` overflows the Python stack, and a key ``a.a.a…`` of 20,000 parts takes
    seconds). It skips strings and comments; it is not a TOML parser, so an invalid file it lets
    through is reported by tomllib.
    """
    limit = MAX_NESTING if limit is None else limit
    depth = dots = 0
    line = 1
    pos, n = 0, len(text)

    def too_deep() -> ScenarioError:
        return ScenarioError(f"line {line}: nesting deeper than {limit} levels")

    while pos < n:
        m = _SCAN_TOKEN.search(text, pos)
        if m is None:
            break
        tok = m.group()
        pos = m.end()
        if tok in ("[", "{"):
            depth += 1
            dots = 0
            if depth > limit:
                raise too_deep()
        elif tok in ("]", "}"):
            depth = max(depth - 1, 0)
            dots = 0
        elif tok == ".":
            dots += 1  # a key of k parts has k − 1 dots; a number at most one
            if dots >= limit:
                raise too_deep()
        elif tok in ("=", ","):
            dots = 0
        elif tok == "\n":
            line += 1
            dots = 0
        elif tok == "#":
            end = text.find("\n", pos)
            pos = n if end < 0 else end
        else:  # a string: skip to its end (dots and brackets in it do not count)
            end = _string_end(text, pos, tok)
            if end < 0:  # unterminated: tomllib reports it
                return
            line += text.count("\n", pos, end)
            pos = end


def _string_end(text: str, pos: int, quote: str) -> int:
    """Index just after the string opened by ``quote`` before ``pos`` (−1: unterminated)."""
    if quote == '"':
        m = _BASIC_END.match(text, pos)
        return -1 if m is None else m.end()
    if quote == "'":
        end = text.find("'", pos)
        if end < 0 or "\n" in text[pos:end]:
            return -1
        return end + 1
    if quote == '"""':
        m = _ML_BASIC_END.match(text, pos)
        end = -1 if m is None else m.end()
    else:
        end = text.find("'''", pos)
        end = -1 if end < 0 else end + 3
    extra = 0
    while 0 <= end < len(text) and text[end] == quote[0] and extra < 2:
        end += 1  # up to two quotes may end the content: ''''' or """""
        extra += 1
    return end


def loads(text: str) -> Scenario:
    """Parse and validate TOML text (a byte-order mark is ignored; nesting is bounded)."""
    text = text.removeprefix("\ufeff")
    check_nesting(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(_sentence(_E_TOML, detail=str(err))) from None
    except RecursionError:  # belt and braces: check_nesting should have refused it
        raise ScenarioError(f"nesting deeper than {MAX_NESTING} levels") from None
    return from_dict(data)


def builtin_names() -> list[str]:
    """Names of the scenarios shipped in ``resources/scenarios``."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def resolve(name_or_path: str | Path) -> Path:
    """A scenario file path: an existing file, or the name of a built-in scenario."""
    text = str(name_or_path)
    if not text:
        raise ScenarioError("no scenario given (an empty file name)")
    p = Path(name_or_path)
    try:
        st = os.stat(p)
    except (OSError, ValueError) as err:
        code = getattr(err, "errno", None)
        if code == errno.ELOOP:
            raise ScenarioError(
                f"{p}: symbolic link loop (too many levels of symbolic links)") from None
        if isinstance(err, OSError) and code not in (errno.ENOENT, errno.ENOTDIR):
            raise ScenarioError(_sentence(_E_CANNOT_READ, path=str(p),
                                          why=str(err.strerror or err))) from None
    else:
        if stat.S_ISREG(st.st_mode):
            return p
        kind = _E_FOLDER if stat.S_ISDIR(st.st_mode) else _E_NOT_REGULAR
        raise ScenarioError(_sentence(_E_NOT_FILE, path=str(p), kind=_sentence(kind)))
    if "\0" not in text and p.parent == Path("."):
        builtin = SCENARIO_DIR / f"{p.stem if p.suffix == '.toml' else p.name}.toml"
        if builtin.is_file():
            return builtin
    names = ", ".join(builtin_names())
    raise ScenarioError(_sentence(_E_NO_SUCH, name=str(name_or_path), names=names))


def read_text(path: str | Path) -> str:
    """The text of a scenario file: the size is checked before reading and at most
    :data:`MAX_FILE_BYTES` + 1 bytes are read; UTF-8, a byte-order mark is dropped.
    ScenarioError otherwise (binary, too large, unreadable)."""
    try:
        # O_NONBLOCK: a named pipe put in place of the file cannot make this wait
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise ScenarioError(_sentence(_E_NOT_FILE, path=str(path),
                                              kind=_sentence(_E_NOT_REGULAR)))
            if st.st_size > MAX_FILE_BYTES:
                raise ScenarioError(_sentence(_E_TOO_LARGE, path=str(path),
                                              size=str(st.st_size), most=str(MAX_FILE_BYTES)))
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ScenarioError(_sentence(_E_CANNOT_READ, path=str(path),
                                      why=str(err.strerror or err))) from None
    if len(raw) > MAX_FILE_BYTES:  # it grew while being read
        raise ScenarioError(_sentence(_E_GREW, path=str(path), most=str(MAX_FILE_BYTES)))
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(_sentence(_E_NOT_UTF8, path=str(path))) from None
    if "\0" in body:
        raise ScenarioError(_sentence(_E_BINARY, path=str(path)))
    return body.removeprefix("\ufeff")


def load(name_or_path: str | Path) -> Scenario:
    """Read and validate a scenario file (or a built-in by name); errors name the file.

    Hostile files are refused with one ScenarioError line before they can cost time or memory:
    a missing file, a folder, more than :data:`MAX_FILE_BYTES` (checked before reading), binary
    or not UTF-8, nested deeper than :data:`MAX_NESTING` levels (:func:`check_nesting`). A file
    without runs loads (the window opens it); the commands that need runs refuse it."""
    path = resolve(name_or_path)
    body = read_text(path)
    try:
        return loads(body)
    except ScenarioError as err:
        raise ScenarioError(_sentence("{name}: {message}", name=path.name,
                                      message=err.sentence)) from None


def to_dict(scenario: Scenario) -> dict[str, Any]:
    """The TOML document of a scenario (only non-default optional keys are written)."""
    doc: dict[str, Any] = {}
    if scenario.title:
        doc["title"] = scenario.title
    if scenario.description:
        doc["description"] = scenario.description
    s = scenario.surface
    st: dict[str, Any] = {}
    if s.expression is not None:
        st["expression"] = s.expression
    else:
        st["name"] = s.name
    if s.condition is not None:
        st["condition"] = s.condition
    if s.range is not None:
        st["range"] = [list(s.range[0]), list(s.range[1])]
    st.update(examples=s.examples, noise=s.noise, seed=s.seed)
    doc["surface"] = st
    runs = []
    for r in scenario.runs:
        rt: dict[str, Any] = {"label": r.label, "optimizer": r.optimizer}
        rt.update(dict(r.hyper))
        rt.update(batch_size=r.batch_size, drop_last=r.drop_last, start=list(r.start),
                  steps=r.steps, seed=r.seed)
        if r.color is not None:
            rt["color"] = r.color
        if not r.visible:
            rt["visible"] = False
        if not r.schedule.is_constant:
            rt["schedule"] = r.schedule.to_dict()
        runs.append(rt)
    doc["runs"] = runs
    if scenario.lesson is not None:
        doc["lesson"] = {k: v for k, v in vars(scenario.lesson).items() if v}
    v = scenario.view
    if v != ViewConfig():
        vt: dict[str, Any] = {"batch_surface": v.batch_surface, "show_vectors": v.show_vectors,
                              "show_hessian": v.show_hessian, "grid": v.grid}
        if v.test_shift is not None:
            vt["test_shift"] = list(v.test_shift)
        doc["view"] = vt
    if scenario.network is not None:
        doc["network"] = network_table(scenario.network)
    if scenario.translations:
        doc["translations"] = {lang: dict(texts) for lang, texts in scenario.translations.items()}
    return doc


def dumps(scenario: Scenario) -> str:
    """TOML text of a scenario; ``loads(dumps(s)) == s``."""
    return tomli_w.dumps(to_dict(scenario))


def save(scenario: Scenario, path: str | Path) -> None:
    """Write atomically: a temporary file in the same folder, then rename."""
    atomic_write_text(path, dumps(scenario))


def need_runs(scenario: Scenario, name: str, command: str) -> None:
    """ValueError when the scenario has no runs (the window opens such a file; the commands
    ``run``, ``export`` and ``study`` have nothing to do)."""
    if not scenario.runs:
        raise ValueError(f"{name}: the scenario has no runs (add a [[runs]] table); "
                         f"nothing to {command}")

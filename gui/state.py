"""The window's single source of truth: the scenario, its records, the current update, options.

Widgets never change each other: they call :class:`AppState`'s editing methods, and follow its
signals (one per field). Every edit is validated by the engine (:func:`core.scenario.validate`);
a bad value emits ``errorChanged`` with the engine's one-line message and changes nothing else.

Recomputation follows what changed: a run's settings → only that run is simulated again; the
surface (built-in, expression, N, noise, data seed, condition) → a new problem, its grid and
every run; the grid resolution → only the grid. The current update t is kept (clamped to the
new T). Work predicted to take less than :data:`SYNC_BUDGET` (from measured costs) is done at
once, so dragging a slider feels live; anything longer runs on the worker thread
(:class:`gui.workers.JobRunner`), where a newer request replaces a waiting one and results for
settings that changed meanwhile are dropped.

Notation: θ parameters, g batch gradient, m movement, λ momentum, η learning rate.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QSaveFile, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core import scenario as sc
from core.cancel import StopFn
from core.expr import ExpressionError, parse
from core.optim import OPTIMIZERS
from core.present import SurfaceData, max_updates, surface_data
from core.problem import Problem
from core.run import Trajectory, problem_of, simulate
from core.scenario import RunConfig, Scenario, ScenarioError, SurfaceConfig, ViewConfig
from core.surfaces import BUILTINS
from gui.i18n import core_text, error_text, label_translator, run_message
from gui.theme import RUN_COLORS
from gui.views.scene import SceneOptions
from gui.workers import JobRunner

__all__ = ["MERGE_SECONDS", "SYNC_BUDGET", "AppState", "ViewOptions"]

#: Work predicted below this many seconds is done at once on the GUI thread.
SYNC_BUDGET = 0.008
#: Edits of the same setting closer than this (a slider drag, arrows held) undo as one.
MERGE_SECONDS = 1.5

#: RunConfig fields that do not change the numbers of a run.
_COSMETIC = {"label": "", "color": None, "visible": True}


def _never() -> bool:
    """``should_stop`` of work done at once on the GUI thread (never cancelled)."""
    return False


def _sim_key(cfg: RunConfig) -> RunConfig:
    """The part of a run's settings that decides its numbers (label, colour, visibility don't)."""
    return replace(cfg, **_COSMETIC)


@dataclass(frozen=True)
class ViewOptions(SceneOptions):
    """How the window shows the scenario: what the views show (:class:`SceneOptions`, so a
    ``ViewOptions`` is given to ``Scene.set_options`` as it is), the surface grid's points per
    axis and the theme.

    The part saved with the scenario is its ``[view]`` table (:class:`core.scenario.ViewConfig`,
    whose names differ): :meth:`from_view` and :meth:`to_view` are the one mapping."""

    grid: int = 101
    theme: str = "dark"

    def from_view(self, view: ViewConfig, test_shift: bool | None = None) -> ViewOptions:
        """These options with the ``[view]`` table's settings (the testing loss is shown when
        the table gives a shift, unless ``test_shift`` says otherwise)."""
        test = view.test_shift is not None if test_shift is None else test_shift
        return replace(self, batch_surface=view.batch_surface, test_loss=test,
                       hessian=view.show_hessian, vectors=view.show_vectors, grid=view.grid)

    def to_view(self, view: ViewConfig) -> ViewConfig:
        """``view`` with these options' saved settings (the shift itself is scenario data)."""
        return replace(view, batch_surface=self.batch_surface, show_vectors=self.vectors,
                       show_hessian=self.hessian, grid=self.grid)


@dataclass(frozen=True)
class _RunResult:
    index: int
    config: RunConfig
    trajectory: Trajectory | None
    error: str


def _simulate_runs(problem: Problem, items: Sequence[tuple[int, RunConfig]],
                   should_stop: StopFn | None = None) -> list[_RunResult]:
    """Simulate runs; a run that cannot start (θ⁰ outside the divergence bound, or the loss not
    finite there) gets an error instead.

    ``should_stop``: the worker's cancel flag (:class:`core.cancel.Cancelled` when set)."""
    if not items:
        return []
    cfgs = [c for _, c in items]
    try:
        trajs = simulate(problem, cfgs, should_stop=should_stop)
        return [_RunResult(i, c, tr, "") for (i, c), tr in zip(items, trajs, strict=True)]
    except ValueError:
        pass
    out = []
    for i, c in items:
        try:
            (tr,) = simulate(problem, [c], should_stop=should_stop)
            out.append(_RunResult(i, c, tr, ""))
        except ValueError as err:
            out.append(_RunResult(i, c, None, error_text(err)))
    return out


def _follow_labels(old: Scenario, new: Scenario) -> Scenario:
    """Runs named after their settings ("momentum λ=0.9, batch 5") are renamed when the
    settings change (:func:`core.scenario.follow_label`); typed names stay. Only when the
    runs are the same ones (no run added or removed)."""
    if len(old.runs) != len(new.runs):
        return new
    n0, n1 = old.surface.examples, new.surface.examples
    runs = tuple(replace(b, label=sc.follow_label(a, n0, b, n1, label_translator()))
                 if a != b or n0 != n1 else b
                 for a, b in zip(old.runs, new.runs, strict=True))
    return new if runs == new.runs else replace(new, runs=runs)


class _Edit(QUndoCommand):
    """One edit of the scenario on the undo stack: ``old`` → ``new``. Edits with the same
    ``key`` (e.g. ``("hyper", 0, "lr")``) less than :data:`MERGE_SECONDS` apart merge, so a
    slider drag is undone in one step; ``key`` None never merges."""

    def __init__(self, state: AppState, old: Scenario, new: Scenario, text: str,
                 key: tuple[Any, ...] | None) -> None:
        super().__init__(text)
        self._state = state
        self.old, self.new, self.key = old, new, key
        self.time = time.monotonic()

    def id(self) -> int:
        return 1 if self.key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _Edit) or other.key is None or other.key != self.key:
            return False
        if other.time - self.time > MERGE_SECONDS:
            return False
        self.new, self.time = other.new, other.time
        if self.new == self.old:  # dragged back to where it began: nothing to undo
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        self._state._install(self.new)

    def undo(self) -> None:
        self._state._install(self.old)


class _Costs:
    """Measured costs (exponential moving averages) that predict how long a job takes."""

    def __init__(self) -> None:
        self.per_update = 1.2e-4  # seconds per simulated update
        self.per_cell = 1.0e-7  # seconds per grid point and example
        self.build = 0.012  # seconds to build a problem (parse, differentiate, compile)

    @staticmethod
    def _mix(old: float, new: float) -> float:
        return 0.6 * old + 0.4 * new if math.isfinite(new) and new > 0 else old

    def runs(self, items: Sequence[tuple[int, RunConfig]]) -> float:
        return self.per_update * sum(max(c.steps, 1) for _, c in items)

    def grid(self, n: int, examples: int) -> float:
        return self.per_cell * n * n * max(examples, 1)

    def learn_runs(self, items: Sequence[tuple[int, RunConfig]], seconds: float) -> None:
        total = sum(max(c.steps, 1) for _, c in items)
        if total >= 20:
            self.per_update = self._mix(self.per_update, seconds / total)


class AppState(QObject):
    """Scenario, problem, records, current update t, selected run and view options.

    Signals (one per field): ``scenarioChanged`` (any setting), ``surfaceChanged`` (problem and
    grid replaced), ``runsChanged`` (the list of runs: count, labels, colours, visibility),
    ``trajectoriesChanged`` (records replaced), ``currentChanged(t)``, ``selectionChanged(i)``,
    ``optionsChanged``, ``errorChanged(message)`` ("" clears), ``busyChanged(bool)``,
    ``fileChanged(path)``, ``modifiedChanged(bool)``.
    """

    scenarioChanged = Signal()
    surfaceChanged = Signal()
    runsChanged = Signal()
    trajectoriesChanged = Signal()
    currentChanged = Signal(int)
    selectionChanged = Signal(int)
    optionsChanged = Signal()
    errorChanged = Signal(str)
    busyChanged = Signal(bool)
    fileChanged = Signal(str)
    modifiedChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scenario = Scenario()
        self._loaded = self._scenario
        self._path: Path | None = None
        self._modified = False
        self._problem: Problem | None = None
        self._surface: SurfaceData | None = None
        self._have: tuple[SurfaceConfig, int] | None = None  # what problem/grid were made from
        self._trajs: list[Trajectory | None] = []
        self._failed: list[tuple[RunConfig, str] | None] = []
        self._t = 0
        self._selected = 0
        self._options = ViewOptions()
        self._error = ""
        self._costs = _Costs()
        self._jobs = JobRunner(self)
        self._jobs.busyChanged.connect(self._on_busy)
        self._inflight_surface: tuple[SurfaceConfig, int] | None = None
        self._inflight_runs: dict[int, RunConfig] = {}
        self._busy = False
        #: every edit of the scenario (undo/redo); its clean index is the saved state
        self.undo_stack = QUndoStack(self)
        self._view_modified = False  # view options written into the scenario since saved
        # a bound method (not a lambda): disconnected before the stack dies with the state
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)

    # ------------------------------------------------------------------ reading
    @property
    def scenario(self) -> Scenario:
        return self._scenario

    @property
    def loaded_scenario(self) -> Scenario:
        """The scenario as it was opened (its lesson text describes that surface)."""
        return self._loaded

    @property
    def path(self) -> Path | None:
        """The file the scenario was opened from or saved to (None: not saved)."""
        return self._path

    @property
    def modified(self) -> bool:
        return self._modified

    @property
    def problem(self) -> Problem | None:
        return self._problem

    @property
    def surface_data(self) -> SurfaceData | None:
        """The full loss on the grid and the critical points (None until computed)."""
        return self._surface

    @property
    def trajectories(self) -> list[Trajectory | None]:
        """One record per run, in the scenario's order (None while not computed or failed)."""
        return list(self._trajs)

    def trajectory(self, index: int) -> Trajectory | None:
        return self._trajs[index] if 0 <= index < len(self._trajs) else None

    def run_error(self, index: int) -> str:
        """Why run ``index`` has no record ("" if it has one)."""
        f = self._failed[index] if 0 <= index < len(self._failed) else None
        return f[1] if f is not None else ""

    @property
    def current(self) -> int:
        """The update t shown: 0 (start) … T."""
        return self._t

    @property
    def t_max(self) -> int:
        """T: the most updates any run made (all runs share the timeline)."""
        return max_updates(self._trajs)

    @property
    def selected(self) -> int:
        return self._selected

    @property
    def options(self) -> ViewOptions:
        return self._options

    @property
    def error(self) -> str:
        return self._error

    @property
    def busy(self) -> bool:
        """True while work is running or waiting on the worker thread."""
        return self._jobs.busy

    def is_current(self) -> bool:
        """True when every record and the grid match the settings (nothing left to compute)."""
        if self._have != (self._scenario.surface, self._options.grid):
            return False
        return not self._dirty_runs()

    def run_color(self, index: int) -> str:
        """The colour run ``index`` is drawn in."""
        cfg = self._scenario.runs[index]
        return cfg.color or RUN_COLORS[index % len(RUN_COLORS)]

    def status_text(self) -> str:
        """"all runs ok · t / T", "no runs", or the first run's that cannot start or
        diverged message."""
        if not self._scenario.runs:
            return self.tr("no runs")
        for i, tr in enumerate(self._trajs):
            label = self._scenario.runs[i].label if i < len(self._scenario.runs) else ""
            if tr is None and self.run_error(i):
                return self.tr("⚠ {run} cannot start: {error}").format(
                    run=label, error=self.run_error(i))
            if tr is not None and tr.status == "diverged":
                return f"⚠ {label}: {run_message(tr)}"
        return self.tr("all runs ok · {t} / {T}").format(t=self._t, T=self.t_max)

    # ---------------------------------------------------------------- scenario
    def load_scenario(self, scenario: Scenario, path: str | Path | None = None,
                      sync: bool = False) -> None:
        """Replace the whole scenario (records are recomputed; t goes back to 0).

        ``sync``: compute at once (used at start-up so the first frame has data)."""
        scenario = sc.validate(scenario)
        self._scenario = scenario
        self._loaded = scenario
        self._path = Path(path) if path is not None else None
        self._trajs = [None] * len(scenario.runs)
        self._failed = [None] * len(scenario.runs)
        self._options = self._options.from_view(scenario.view)
        self._t = 0
        self._selected = 0
        self.undo_stack.clear()
        self._set_modified(False)
        self._set_error("")
        self.scenarioChanged.emit()
        self.runsChanged.emit()
        self.optionsChanged.emit()
        self.selectionChanged.emit(0)
        self.currentChanged.emit(0)
        self.fileChanged.emit(str(self._path) if self._path else "")
        self._reconcile(force_sync=sync)

    def open_file(self, path: str | Path) -> None:
        """Read a scenario file; raises :class:`ScenarioError` (the current one is kept)."""
        scenario = sc.load(path)
        self.load_scenario(scenario, Path(path))

    def save(self, path: str | Path | None = None) -> Path:
        """Write the scenario atomically (``QSaveFile``); returns the path written.

        Raises ``OSError`` with the reason when the file cannot be written."""
        target = Path(path) if path is not None else self._path
        if target is None:
            raise OSError("no file name given")
        text = sc.dumps(self._scenario)
        f = QSaveFile(str(target))
        if not f.open(QSaveFile.OpenModeFlag.WriteOnly):
            raise OSError(f"{target}: cannot write ({f.errorString()})")
        f.write(text.encode("utf-8"))
        if not f.commit():
            raise OSError(f"{target}: cannot write ({f.errorString()})")
        self._path = target
        self._set_modified(False)
        self.fileChanged.emit(str(target))
        return target

    # ------------------------------------------------------------------ surface
    def set_surface_builtin(self, name: str) -> bool:
        """Switch to a built-in surface; runs restart from its suggested start θ⁰."""
        if name not in BUILTINS:
            return self._set_error(f"surface: unknown surface {name!r}")
        s = self._scenario.surface
        cond = (s.condition or 10.0) if name == "quadratic" else None
        surface = replace(s, name=name, expression=None, range=None, condition=cond)
        start = BUILTINS[name].default_start
        runs = tuple(replace(r, start=start) for r in self._scenario.runs)
        return self._commit(replace(self._scenario, surface=surface, runs=runs),
                            text=self.tr("surface {name}").format(
                                name=core_text(BUILTINS[name].title)))

    def set_expression(self, text: str) -> bool:
        """Use a custom expression f(x, y) as the surface (bad text: error, nothing changes)."""
        try:
            parse(text)
        except ExpressionError as err:
            return self._set_error(self.tr("expression: {message}").format(
                message=error_text(err)))
        s = self._scenario.surface
        surface = replace(s, name=None, expression=text.strip(), condition=None)
        return self._commit(replace(self._scenario, surface=surface),
                            text=self.tr("expression"))

    def set_surface_value(self, name: str, value: Any) -> bool:
        """Change ``examples`` (N), ``noise``, ``seed`` (data seed) or ``condition``.

        When N changes, full-batch runs stay full-batch and other batch sizes are capped at N."""
        if name not in {"examples", "noise", "seed", "condition"}:
            return self._set_error(f"surface: no setting {name!r}")
        s = self._scenario.surface
        scenario = replace(self._scenario, surface=replace(s, **{name: value}))
        if name == "examples" and isinstance(value, int) and value >= 1:
            runs = tuple(replace(r, batch_size=value if r.batch_size == s.examples
                                 else min(r.batch_size, value))
                         for r in self._scenario.runs)
            scenario = replace(scenario, runs=runs)
        return self._commit(scenario, text=name, key=("surface", name))

    # --------------------------------------------------------------------- runs
    def update_run(self, index: int, **changes: Any) -> bool:
        """Change fields of run ``index`` (``batch_size``, ``start``, ``steps``, ``seed``,
        ``label``, ``color``, ``visible``, ``drop_last``)."""
        if not 0 <= index < len(self._scenario.runs):
            return self._set_error(f"runs[{index}]: no such run")
        run = replace(self._scenario.runs[index], **changes)
        fields = tuple(sorted(changes))
        return self._commit(self._scenario.replace_run(index, run),
                            text=self.tr("{what} of {run}").format(what=", ".join(fields),
                                                                  run=run.label),
                            key=("run", index, fields))

    def set_hyper(self, index: int, name: str, value: float) -> bool:
        """Change one hyperparameter of run ``index`` (η is ``lr``, λ is ``momentum``)."""
        if not 0 <= index < len(self._scenario.runs):
            return self._set_error(f"runs[{index}]: no such run")
        run = self._scenario.runs[index].with_param(name, value)
        return self._commit(self._scenario.replace_run(index, run),
                            text=self.tr("{what} of {run}").format(what=name, run=run.label),
                            key=("hyper", index, name))

    def set_optimizer(self, index: int, name: str) -> bool:
        """Change run ``index``'s optimizer, keeping η and every hyperparameter the new one
        shares with the old (λ, weight decay, …) that the run set; the schedule stays."""
        if name not in OPTIMIZERS:
            return self._set_error(f"runs[{index}].optimizer: unknown optimizer {name!r}")
        old = self._scenario.runs[index]
        names = {p.name for p in OPTIMIZERS[name].params}
        given = dict(old.hyper) | {"lr": old.lr}
        hyper = tuple(sorted((k, v) for k, v in given.items() if k in names))
        run = replace(old, optimizer=name, hyper=hyper)
        return self._commit(self._scenario.replace_run(index, run),
                            text=self.tr("optimizer of {run}").format(run=run.label))

    def set_start(self, index: int, x: float, y: float) -> bool:
        """Move run ``index``'s start θ⁰."""
        return self.update_run(index, start=(float(x), float(y)))

    def add_run(self, config: RunConfig | None = None) -> bool:
        """Append a run (by default: momentum λ = 0.9 from the selected run's start)."""
        runs = self._scenario.runs
        if config is None:
            base = runs[self._selected] if runs else None
            n = self._scenario.surface.examples
            start = base.start if base else self._scenario.surface.surface().default_start
            config = RunConfig(
                label="", optimizer="momentum",
                hyper=(("lr", self.suggested_lr(start)), ("momentum", 0.9)),
                batch_size=n, start=start, steps=base.steps if base else 200, seed=0)
        if not config.label:  # named after its settings (and renamed when they change)
            config = replace(config, label=sc.auto_label(
                config, self._scenario.surface.examples, label_translator()))
        config = replace(config, color=config.color or self._free_color())
        ok = self._commit(replace(self._scenario, runs=(*runs, config)), structure=True,
                          text=self.tr("add {run}").format(run=config.label))
        if ok:
            self.set_selected(len(self._scenario.runs) - 1)
        return ok

    def suggested_lr(self, start: tuple[float, float]) -> float:
        """An η that suits the surface at ``start``: 1/λ_max of the Hessian of L there (a
        step of η along the steepest curvature goes no further than its minimum), clamped
        to [1e-4, 0.1]; 0.05 while no surface is computed or the curvature is not finite."""
        problem = self._problem
        if problem is None:
            return 0.05
        try:
            with np.errstate(all="ignore"):
                h = np.asarray(problem.hessian(np.asarray(start, dtype=float)), dtype=float)
                lam = float(np.max(np.abs(np.linalg.eigvalsh((h + h.T) / 2))))
        except (ValueError, ArithmeticError, np.linalg.LinAlgError):
            return 0.05
        if not math.isfinite(lam):
            return 0.05
        lr = 1.0 / lam if lam > 0 else 0.1
        return float(f"{min(max(lr, 1e-4), 0.1):.2g}")

    def duplicate_run(self, index: int) -> bool:
        """Append a copy of run ``index`` in a new colour."""
        if not 0 <= index < len(self._scenario.runs):
            return self._set_error(f"runs[{index}]: no such run")
        src = self._scenario.runs[index]
        label = self.tr("{run} (copy)").format(run=src.label)[:80]
        return self.add_run(replace(src, label=label, color=None, visible=True))

    def remove_run(self, index: int) -> bool:
        """Remove run ``index``; the other runs keep their colours."""
        runs = self._scenario.runs
        if not 0 <= index < len(runs):
            return self._set_error(f"runs[{index}]: no such run")
        kept = []
        for i, r in enumerate(runs):
            if i != index:
                kept.append(r if r.color else replace(r, color=self.run_color(i)))
        ok = self._commit(replace(self._scenario, runs=tuple(kept)), structure=True,
                          text=self.tr("remove {run}").format(run=runs[index].label))
        if ok:
            self.set_selected(min(self._selected, max(len(kept) - 1, 0)), force=True)
        return ok

    def _free_color(self) -> str:
        used = {self.run_color(i).upper() for i in range(len(self._scenario.runs))}
        for c in RUN_COLORS:
            if c.upper() not in used:
                return c
        return RUN_COLORS[len(self._scenario.runs) % len(RUN_COLORS)]

    # --------------------------------------------------------- t, selection, options
    def set_current(self, t: int) -> None:
        """Show update t (clamped to 0 … T)."""
        t = max(0, min(int(t), self.t_max))
        if t != self._t:
            self._t = t
            self.currentChanged.emit(t)

    def step(self, delta: int = 1) -> None:
        """Move t by ``delta`` updates (clamped)."""
        self.set_current(self._t + int(delta))

    def set_selected(self, index: int, force: bool = False) -> None:
        """Select run ``index`` (its step, batch and Hessian are shown)."""
        n = len(self._scenario.runs)
        index = max(0, min(int(index), n - 1)) if n else 0
        if index != self._selected or force:
            self._selected = index
            self.selectionChanged.emit(index)

    def set_options(self, **changes: Any) -> bool:
        """Change view options (see :class:`ViewOptions`); the grid is recomputed if needed."""
        unknown = set(changes) - set(ViewOptions.__dataclass_fields__)
        if unknown:
            return self._set_error(f"options: unknown option {sorted(unknown)[0]!r}")
        grid = int(changes.get("grid", self._options.grid))
        if not 11 <= grid <= 501:
            return self._set_error(f"view.grid: must be in 11..501 (got {grid})")
        opts = replace(self._options, **changes)
        if opts == self._options:
            return True
        self._options = opts
        v = self._scenario.view
        view = opts.to_view(v)
        if view != v:
            self._scenario = replace(self._scenario, view=view)
            self._set_modified(True)
        self.optionsChanged.emit()
        self._reconcile()
        return True

    # ------------------------------------------------------------------ editing
    def report_error(self, message: str) -> bool:
        """Show a message about an edit that was refused (the scenario stays as it was)."""
        return self._set_error(message)

    def _set_error(self, message: str) -> bool:
        if message != self._error:
            self._error = message
            self.errorChanged.emit(message)
        return not message

    def _set_modified(self, value: bool) -> None:
        """``False``: the scenario is saved (or freshly loaded): the undo stack's clean
        state; ``True``: a view option written into the scenario (not on the undo stack)."""
        if value:
            self._view_modified = True
        else:
            self._view_modified = False
            self.undo_stack.setClean()
        self._emit_modified()

    def _on_clean_changed(self, _clean: bool) -> None:
        self._emit_modified()

    def _emit_modified(self) -> None:
        value = self._view_modified or not self.undo_stack.isClean()
        if value != self._modified:
            self._modified = value
            self.modifiedChanged.emit(value)

    def _commit(self, scenario: Scenario, structure: bool = False, text: str = "edit",
                key: tuple[Any, ...] | None = None) -> bool:
        """Validate an edited scenario and push it on the undo stack (which installs it).

        ``text`` names the edit in Edit → Undo; edits with the same ``key`` in a row merge
        (see :class:`_Edit`). ``structure`` is kept for callers: runs are matched to their
        records by settings, whatever moved."""
        del structure
        try:
            scenario = sc.validate(scenario)
        except ScenarioError as err:
            return self._set_error(str(err))
        old = self._scenario
        if scenario == old:
            self._set_error("")
            return True
        scenario = _follow_labels(old, scenario)
        self._set_error("")
        self.undo_stack.push(_Edit(self, old, scenario, text, key))
        return True

    def undo(self) -> None:
        """Undo the last edit of the scenario."""
        self.undo_stack.undo()

    def redo(self) -> None:
        """Redo the last undone edit."""
        self.undo_stack.redo()

    def _install(self, scenario: Scenario) -> None:
        """Make ``scenario`` the current one (an edit, its undo or its redo): records are
        kept for runs whose numbers did not change (matched by settings, so removing or
        re-adding a run keeps the others' paths), then what is missing is recomputed. The
        view options stay as they are (they are not on the undo stack)."""
        old = self._scenario
        scenario = replace(scenario, view=self._options.to_view(scenario.view))
        self._scenario = scenario
        self._realign(scenario.runs)
        self.scenarioChanged.emit()
        if [(r.label, r.color, r.visible) for r in old.runs] != [
                (r.label, r.color, r.visible) for r in scenario.runs]:
            self.runsChanged.emit()
        n = len(scenario.runs)
        if self._selected >= n:
            self.set_selected(max(n - 1, 0), force=True)
        self._reconcile()
        t = min(self._t, self.t_max)  # (every run removed: T = 0)
        if t != self._t:
            self._t = t
            self.currentChanged.emit(t)

    def _realign(self, runs: Sequence[RunConfig]) -> None:
        """Give each run the record (or failure) made from its settings, if there is one;
        else keep the one at its place (stale: recomputed) or none."""
        trajs, failed = self._trajs, self._failed
        used: set[int] = set()

        def made_from(j: int, key: RunConfig) -> bool:
            tr, f = trajs[j], failed[j]
            if tr is not None:
                return _sim_key(tr.config) == key
            return f is not None and _sim_key(f[0]) == key

        new_t: list[Trajectory | None] = []
        new_f: list[tuple[RunConfig, str] | None] = []
        for i, cfg in enumerate(runs):
            key = _sim_key(cfg)
            order = ([i] if i < len(trajs) else []) + [j for j in range(len(trajs)) if j != i]
            pick = next((j for j in order if j not in used and made_from(j, key)), None)
            if pick is not None:
                used.add(pick)
                tr = trajs[pick]  # cosmetic changes (label, colour, visibility) keep it
                new_t.append(replace(tr, config=cfg) if tr is not None and tr.config != cfg
                             else tr)
                new_f.append(failed[pick])
            elif i < len(trajs) and i not in used and len(runs) == len(trajs):
                used.add(i)  # the same run with new settings: its old path (stale, keeping
                new_t.append(trajs[i])  # its old config) shows until the new one comes
                new_f.append(failed[i])
            else:
                new_t.append(None)
                new_f.append(None)
        self._trajs, self._failed = new_t, new_f

    # ------------------------------------------------------------ recomputation
    def _dirty_runs(self) -> list[tuple[int, RunConfig]]:
        out = []
        for i, cfg in enumerate(self._scenario.runs):
            tr = self._trajs[i] if i < len(self._trajs) else None
            if tr is not None and _sim_key(tr.config) == _sim_key(cfg):
                continue
            f = self._failed[i] if i < len(self._failed) else None
            if tr is None and f is not None and _sim_key(f[0]) == _sim_key(cfg):
                continue
            out.append((i, cfg))
        return out

    def _reconcile(self, force_sync: bool = False) -> None:
        """Start whatever computation brings the records and grid up to the settings."""
        want = (self._scenario.surface, self._options.grid)
        if self._have is None or self._have[0] != want[0]:
            self._request_surface(want, rebuild=True, sync=force_sync)
            return
        if self._have[1] != want[1]:
            self._request_surface(want, rebuild=False, sync=force_sync)
            return
        if self._inflight_surface is not None:
            self._jobs.cancel("surface")
            self._inflight_surface = None
        dirty = self._dirty_runs()
        pending = [(i, c) for i, c in dirty
                   if i not in self._inflight_runs or self._inflight_runs[i] != _sim_key(c)]
        if pending:
            self._request_runs(dirty, sync=force_sync)

    def _request_surface(self, want: tuple[SurfaceConfig, int], rebuild: bool,
                         sync: bool) -> None:
        if self._inflight_surface == want:
            return
        self._jobs.cancel("runs")
        self._inflight_runs = {}
        self._inflight_surface = want
        items = list(enumerate(self._scenario.runs)) if rebuild else []
        old_problem, old_data = self._problem, self._surface
        scenario = self._scenario

        def job(should_stop: StopFn) -> tuple[Problem, SurfaceData, list[_RunResult]]:
            problem = problem_of(scenario) if rebuild or old_problem is None else old_problem
            if rebuild or old_data is None:
                data = surface_data(problem, want[1], should_stop=should_stop)
            else:
                fresh = surface_data(problem, want[1], critical=False, should_stop=should_stop)
                data = replace(fresh, critical=old_data.critical)
            return problem, data, _simulate_runs(problem, items, should_stop)

        def done(result: tuple[Problem, SurfaceData, list[_RunResult]], seconds: float) -> None:
            if self._inflight_surface != want:
                return
            self._inflight_surface = None
            if rebuild:
                self._costs.build = _Costs._mix(self._costs.build, seconds)
            self._install_surface(want, *result)

        def failed(err: BaseException) -> None:
            if self._inflight_surface != want:
                return
            self._inflight_surface = None
            self._surface_failed(want, err)

        estimate = self._costs.grid(want[1], want[0].examples) + self._costs.runs(items)
        estimate += self._costs.build if rebuild else 0.0
        self._run("surface", job, done, failed, sync or estimate < SYNC_BUDGET)

    def _request_runs(self, items: list[tuple[int, RunConfig]], sync: bool) -> None:
        problem = self._problem
        if problem is None:
            return
        self._inflight_runs = {i: _sim_key(c) for i, c in items}
        expected = dict(self._inflight_runs)

        def job(should_stop: StopFn) -> list[_RunResult]:
            return _simulate_runs(problem, items, should_stop)

        def done(results: list[_RunResult], seconds: float) -> None:
            if self._inflight_runs == expected:
                self._inflight_runs = {}
            self._costs.learn_runs(items, seconds)
            if problem is self._problem:
                self._install_runs(results)
            self._reconcile()

        def failed(err: BaseException) -> None:
            if self._inflight_runs == expected:
                self._inflight_runs = {}
            self._set_error(f"simulation failed: {err}")

        self._run("runs", job, done, failed, sync or self._costs.runs(items) < SYNC_BUDGET)

    def _run(self, key: str, job: Callable[[StopFn], Any], done: Callable[[Any, float], None],
             failed: Callable[[BaseException], None], sync: bool) -> None:
        """Do ``job`` now (predicted under :data:`SYNC_BUDGET` and the worker idle) or on the
        worker thread; either way ``done``/``failed`` run on the GUI thread."""
        if sync and not self._jobs.busy:
            self._jobs.cancel(key)
            t0 = time.perf_counter()
            try:
                result = job(_never)
            except Exception as err:  # shown as the error line, like a worker failure
                failed(err)
                return
            done(result, time.perf_counter() - t0)
        else:
            self._jobs.submit(key, job, done, failed)

    def _install_surface(self, have: tuple[SurfaceConfig, int], problem: Problem,
                         data: SurfaceData, results: list[_RunResult]) -> None:
        new_problem = problem is not self._problem
        self._problem, self._surface, self._have = problem, data, have
        if new_problem:
            self._trajs = [None] * len(self._scenario.runs)
            self._failed = [None] * len(self._scenario.runs)
        self.surfaceChanged.emit()
        if results or new_problem:
            self._install_runs(results)
        self._reconcile()

    def _surface_failed(self, want: tuple[SurfaceConfig, int], err: BaseException) -> None:
        """A surface that cannot be computed: go back to the one shown, and say why."""
        if self._have is not None and self._have[0] != want[0]:
            self._scenario = replace(self._scenario, surface=self._have[0])
            self.scenarioChanged.emit()
        self._set_error(f"surface: {err}")

    def _install_runs(self, results: list[_RunResult]) -> None:
        runs = self._scenario.runs
        for r in results:
            if r.index >= len(runs) or _sim_key(runs[r.index]) != _sim_key(r.config):
                continue  # the settings changed meanwhile: a newer job will come
            cfg = runs[r.index]
            self._trajs[r.index] = (replace(r.trajectory, config=cfg)
                                    if r.trajectory is not None else None)
            self._failed[r.index] = (cfg, r.error) if r.error else None
        self.trajectoriesChanged.emit()
        t = min(self._t, self.t_max)
        if t != self._t:
            self._t = t
            self.currentChanged.emit(t)

    def _on_busy(self, busy: bool) -> None:
        self.busyChanged.emit(busy)

    def shutdown(self) -> None:
        """Abandon every computation (call when closing): returns at once, never waits for the
        worker thread; the running job stops at the engine's next check."""
        self._jobs.shutdown()
        self._inflight_surface = None
        self._inflight_runs = {}

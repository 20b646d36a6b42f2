"""The three synchronized views of one scenario: 3D surface, contour map and loss plot.

A :class:`Scene` knows nothing about the main window or :class:`gui.state.AppState`: it is given
a problem, its surface grid and the runs' records, and a current update t, and it keeps the
views in step. The window connects the state to it; the exporter builds one offscreen, calls
:meth:`Scene.set_data` and :meth:`Scene.set_current` and grabs frames identical to the window's.

Notation: update t (1 … T) turns θᵗ⁻¹ into θᵗ with the batch gradient gᵗ⁻¹; at t the views
draw every path up to θᵗ, the selected run's step vectors λmᵗ⁻¹ (dashed), −ηgᵗ⁻¹ (thin, from
the tip of λmᵗ⁻¹) and mᵗ (bold), and optionally the Hessian's eigenvectors at θᵗ.

Work per frame is slicing and ``setData``: grids, step vectors and Hessian eigenvectors are
computed once per surface or record change. Only the batch surface (an option) evaluates
L_b on the grid, once per change of the shown update.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QWidget

from core.present import (
    StepVectors,
    SurfaceData,
    batch_caption,
    hessian_path,
    max_updates,
    step_vectors,
    surface_data,
    testing_shift,
)
from core.problem import Problem
from core.run import Trajectory
from core.scenario import RunConfig
from gui.theme import DARK, RUN_COLORS, RunStyle, Theme
from gui.views import ContourView, LossPlot, SurfaceView3D
from gui.views._display import format_value

__all__ = ["RUNS_PER_TURN", "Scene", "SceneOptions", "run_styles"]

#: Runs whose plot items the window's views make per event-loop turn when many runs come at
#: once (a file of 48 runs): each turn stays short and the views show the first runs early.
RUNS_PER_TURN = 4

#: The Hessians of a path are computed this many points at a time (when first shown).
HESSIAN_BLOCK = 1024
#: Most example-loss evaluations of one batch-loss map (computed on the GUI thread at every
#: update while playing: ~10–20 ms here) or testing-loss map (all N examples). A larger batch
#: gets a coarser grid over the same area.
BATCH_GRID_BUDGET = 2_000_000


def batch_grid_axes(xs: np.ndarray, ys: np.ndarray, batch_size: int,
                    budget: int = BATCH_GRID_BUDGET) -> tuple[np.ndarray, np.ndarray]:
    """Grid axes for the batch loss L_b: ``xs``, ``ys`` when ``len(xs)·len(ys)·|b|`` fits in
    ``budget``, else fewer cells (at least 11 per axis) covering the same area (the image's
    extent, cell centres ± half a cell, is unchanged, so the view keeps its zoom)."""
    nx, ny = len(xs), len(ys)
    if nx * ny * max(batch_size, 1) <= budget or nx < 3 or ny < 3:
        return xs, ys
    f = math.sqrt(budget / (nx * ny * max(batch_size, 1)))

    def axis(a: np.ndarray, n: int) -> np.ndarray:
        m = max(11, min(n, int(n * f)))
        if m >= n:
            return a
        half = (a[-1] - a[0]) / (n - 1) / 2
        lo, hi = a[0] - half, a[-1] + half
        return lo + (np.arange(m) + 0.5) * (hi - lo) / m

    return axis(xs, nx), axis(ys, ny)


_KINDS = {"minimum": "minimum", "saddle": "saddle", "maximum": "maximum",
          "degenerate": "saddle"}


def batch_caption_words() -> dict[str, str]:
    """:data:`core.present.BATCH_CAPTION_WORDS` in the window's language."""
    return {
        "none": QCoreApplication.translate("views", "batch loss L_b"),
        "caption": QCoreApplication.translate("views", "batch loss L_b, update {t} ({listed})"),
        "all": QCoreApplication.translate("views", "all {n} examples"),
        "some": QCoreApplication.translate("views", "examples {shown}"),
        "more": QCoreApplication.translate("views", "examples {shown}, … ({n} in all)"),
    }


@dataclass(frozen=True)
class SceneOptions:
    """What the views show besides the surface and paths.

    ``batch_surface``: the contour map shows L_b of the selected run's current batch;
    ``test_loss``: the contour map shows the testing loss (L shifted, see
    :func:`core.present.testing_shift`); ``hessian``: eigenvectors of ∇²L at the selected run's
    current θ; ``vectors``: the selected run's step vectors; ``eta_axis``: the loss plot shows
    every run's η_t on a second axis.
    """

    batch_surface: bool = False
    test_loss: bool = False
    hessian: bool = False
    vectors: bool = True
    eta_axis: bool = False


def run_styles(configs: Sequence[RunConfig]) -> list[RunStyle]:
    """One :class:`RunStyle` per run: its own colour, or the palette's colour for its index."""
    return [RunStyle(c.label, c.color or RUN_COLORS[i % len(RUN_COLORS)], c.visible)
            for i, c in enumerate(configs)]


class Scene:
    """Owns a :class:`SurfaceView3D`, a :class:`ContourView` and a :class:`LossPlot` and keeps
    them in sync.

    Public attributes: ``surface`` (3D view), ``contour``, ``loss`` (loss plot). The views are
    plain widgets without parents: put them into a layout, or resize and show them offscreen.
    """

    def __init__(self, theme: Theme = DARK, parent: QWidget | None = None) -> None:
        self.surface = SurfaceView3D(parent, theme=theme)
        self.contour = ContourView(parent, theme=theme)
        self.loss = LossPlot(parent, theme=theme)
        self._theme = theme
        self._problem: Problem | None = None
        self._data: SurfaceData | None = None
        self._shift: tuple[float, float] | None = None
        self._trajs: list[Trajectory | None] = []
        # what _display made of each record (kept while the record is the same object)
        self._shown_runs: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        self._styles: list[RunStyle] = []
        self._vectors: list[StepVectors | None] = []
        # (run, block) → eigenvalues and eigenvectors of HESSIAN_BLOCK points of its path
        self._eigen: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._options = SceneOptions()
        self._selected = 0
        self._t = 0
        self._log: bool | None = None
        self._shown: tuple = ("none",)  # what the contour map currently shows
        self._test_z: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # xs, ys, L(θ−s)
        #: Runs whose plot items the views make per event-loop turn when more are added at
        #: once (None: all at once, as the exporter needs). Making 48 runs' items took
        #: ~0.5 s in one turn here; the window sets :data:`RUNS_PER_TURN`.
        self.runs_per_turn: int | None = None
        self._view_runs = 0  # the first runs the views draw (all but while items are made)
        self._pushed_styles: list[RunStyle] = []  # the styles the views were given
        self._grow = QTimer(self.contour)  # the next runs' items, after a repaint
        self._grow.setSingleShot(True)
        self._grow.setInterval(0)
        self._grow.timeout.connect(self._grow_views)

    # ----------------------------------------------------------------- access
    @property
    def views(self) -> tuple[SurfaceView3D, ContourView, LossPlot]:
        """(3D view, contour view, loss plot)."""
        return (self.surface, self.contour, self.loss)

    @property
    def current(self) -> int:
        """The update t shown (0 = the start)."""
        return self._t

    @property
    def runs_drawn(self) -> int:
        """How many of the runs (the first ones) the views draw: all of them, except for a
        few event-loop turns after many runs were added at once (see ``runs_per_turn``)."""
        return self._view_runs

    @property
    def t_max(self) -> int:
        """T: the most updates any run made."""
        return max_updates(self._trajs)

    @property
    def options(self) -> SceneOptions:
        return self._options

    @property
    def selected(self) -> int:
        return self._selected

    @property
    def surface_data(self) -> SurfaceData | None:
        return self._data

    # ------------------------------------------------------------------- data
    def set_data(
        self,
        problem: Problem,
        trajectories: Sequence[Trajectory | None],
        styles: Sequence[RunStyle] | None = None,
        surface: SurfaceData | None = None,
        grid: int = 101,
        test_shift: tuple[float, float] | None = None,
    ) -> None:
        """Show a problem and its runs' records.

        ``surface``: the precomputed grid (else computed here with ``grid`` points per axis);
        ``styles``: the runs' colours/labels/visibility (else from the records' configs);
        ``test_shift``: the testing loss's shift (else the default for the window).
        """
        if surface is None:
            surface = surface_data(problem, grid)
        self.set_surface(problem, surface, test_shift)
        self.set_trajectories(trajectories, styles)

    def set_surface(self, problem: Problem, data: SurfaceData,
                    test_shift: tuple[float, float] | None = None) -> None:
        """A new problem and its grid: redraw the surfaces and critical points (once)."""
        self._problem = problem
        self._data = data
        self._shift = testing_shift(problem.surface.range, test_shift)
        self._test_z = None
        self._eigen.clear()
        self.surface.set_surface(data.xs, data.ys, data.z)
        pts = [c for c in data.critical if c.kind in _KINDS]
        self.surface.set_critical_points(
            [(c.theta[0], c.theta[1], _KINDS[c.kind], c.value) for c in pts])
        self.contour.set_critical_points([(c.theta[0], c.theta[1], _KINDS[c.kind]) for c in pts])
        self._shown_runs = []  # diverged runs are cut at the new window
        self._shown = ("none",)
        self._log = None
        self._refresh_contour_surface(force=True)
        # the records were made on the old problem: their heights must follow the new scale
        if self._trajs:
            self._push_paths()

    def set_trajectories(self, trajectories: Sequence[Trajectory | None],
                         styles: Sequence[RunStyle] | None = None,
                         current: int | None = None) -> None:
        """New records (and styles) for the runs; a None record draws nothing; ``current``:
        the update t to show with them (else the one shown, clamped to the new T).

        Only what changed is redrawn: runs whose record is the same object keep their drawn
        path (an η change re-draws one run), and unchanged styles are not applied again."""
        if current is not None:
            self._t = max(int(current), 0)  # (clamped by _push_paths)
        trajs = list(trajectories)
        if styles is None:
            styles = run_styles([t.config if t is not None else RunConfig() for t in trajs])
        styles = list(styles)
        if len(styles) != len(trajs):
            raise ValueError(f"got {len(styles)} styles for {len(trajs)} runs")
        old = self._trajs
        self._trajs = trajs
        self._vectors = [
            (self._vectors[i] if i < len(old) and old[i] is tr and i < len(self._vectors)
             else (step_vectors(tr) if tr is not None else None))
            for i, tr in enumerate(trajs)
        ]
        self._eigen = {(i, b): e for (i, b), e in self._eigen.items()
                       if i < len(trajs) and i < len(old) and old[i] is trajs[i]}
        self._shown_runs = [
            (self._shown_runs[i] if i < len(old) and old[i] is tr and i < len(self._shown_runs)
             else self._display(tr))
            for i, tr in enumerate(trajs)
        ]
        self._styles = styles
        self._push_styles()
        self._selected = min(self._selected, max(len(trajs) - 1, 0))
        self._push_paths()

    def shows(self, trajectories: Sequence[Trajectory | None]) -> bool:
        """Whether the scene draws these records' paths already (the same runs in the same
        order; a record copied with a new label or colour counts as the same)."""
        if len(trajectories) != len(self._trajs):
            return False
        return all((a is None and b is None)
                   or (a is not None and b is not None and a.theta is b.theta)
                   for a, b in zip(trajectories, self._trajs, strict=True))

    def set_styles(self, styles: Sequence[RunStyle]) -> None:
        """Only colours, labels or visibility changed."""
        styles = list(styles)
        if len(styles) != len(self._trajs):
            raise ValueError(f"got {len(styles)} styles for {len(self._trajs)} runs")
        self._styles = styles
        self._push_styles()
        self._push_paths()

    def _push_styles(self) -> None:
        """Give the views the runs' styles: their items are made for new runs, at most
        ``runs_per_turn`` more per event-loop turn (the rest after the views repainted)."""
        n = len(self._styles)
        m = n
        step = self.runs_per_turn
        if step is not None and n - self._view_runs > step:
            m = self._view_runs + step
            self._grow.start()
        self._view_runs = m
        styles = self._styles[:m]
        if styles != self._pushed_styles:  # (unchanged styles are not applied again)
            self._pushed_styles = styles
            for view in self.views:
                view.set_runs(styles)

    def _grow_views(self) -> None:
        if self._view_runs < len(self._styles):
            self._push_styles()
            self._push_paths()

    def _display(self, tr: Trajectory | None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(path, loss, batch loss) as drawn. A diverged run is cut where it leaves the window
        (padded by one window size) and its losses above the surface's highest value on the
        grid are not plotted, so it neither leaves the 3D box nor squashes the loss plot."""
        if tr is None:
            return np.full((1, 2), np.nan), np.full(1, np.nan), None
        if tr.status != "diverged" or self._data is None:
            return tr.theta, tr.loss, tr.batch_loss
        d = self._data
        x0, x1, y0, y1 = d.xs[0], d.xs[-1], d.ys[0], d.ys[-1]
        wx, wy = x1 - x0, y1 - y0
        th = tr.theta
        inside = ((th[:, 0] >= x0 - wx) & (th[:, 0] <= x1 + wx)
                  & (th[:, 1] >= y0 - wy) & (th[:, 1] <= y1 + wy))
        n = int(np.argmin(inside)) if not inside.all() else len(th)
        n = max(n, 1)
        finite = d.z[np.isfinite(d.z)]
        # a surface with no finite value on the grid (e.g. "nan", log(x) left of 0): no cap
        top = float(finite.max()) if finite.size else math.inf
        loss = np.where(tr.loss <= top, tr.loss, np.nan)
        batch = np.where(tr.batch_loss <= top, tr.batch_loss, np.nan)
        return th[:n], loss[:n], batch[: max(n - 1, 0)]

    def _shown_paths(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
        """(path, loss, batch loss) of every run as drawn (made once per record)."""
        if len(self._shown_runs) != len(self._trajs):
            self._shown_runs = [self._display(tr) for tr in self._trajs]
        return self._shown_runs

    def _push_paths(self) -> None:
        shown = self._shown_paths()[: self._view_runs]
        paths = [p for p, _, _ in shown]
        losses = [lo for _, lo, _ in shown]
        self.contour.set_paths(paths)
        self.surface.set_paths(paths, losses)
        self.loss.set_losses(losses, [b for _, _, b in shown], self._epoch_starts())
        self._push_etas()
        self._t = min(self._t, self.t_max)
        self.set_current(self._t)

    def _push_etas(self) -> None:
        """η_t of every run's updates on the loss plot's second axis (when shown)."""
        if not self._options.eta_axis:
            self.loss.set_etas(None)
            return
        self.loss.set_etas([tr.config.schedule.sample(tr.config.lr, tr.updates)
                            if tr is not None else None
                            for tr in self._trajs[: self._view_runs]])

    def _epoch_starts(self) -> list[int]:
        tr = self._selected_traj()
        if tr is None:
            return []
        bpe = tr.schedule.batches_per_epoch
        return list(range(bpe, tr.updates + 1, bpe))

    def _selected_traj(self) -> Trajectory | None:
        if 0 <= self._selected < len(self._trajs):
            return self._trajs[self._selected]
        return None

    # ---------------------------------------------------------------- options
    def set_options(self, options: SceneOptions | None = None, **changes: bool) -> None:
        """Change what is shown (see :class:`SceneOptions`)."""
        opts = options if options is not None else self._options
        opts = replace(opts, **changes) if changes else opts
        if opts == self._options:
            return
        self._options = opts
        self._push_etas()
        self.set_current(self._t)

    def set_selected(self, index: int) -> None:
        """The run whose step vectors, batch and Hessian are shown."""
        self._selected = int(index)
        shown = self._shown_paths()[: self._view_runs]
        self.loss.set_losses([lo for _, lo, _ in shown], [b for _, _, b in shown],
                             self._epoch_starts())
        self.set_current(self._t)

    def set_theme(self, theme: Theme) -> None:
        """Light or dark colours in every view."""
        self._theme = theme
        for view in self.views:
            view.set_theme(theme)

    def reset_camera(self) -> None:
        """The 3D view's default camera."""
        self.surface.reset_camera()

    # ------------------------------------------------------------------ frame
    def set_current(self, t: int) -> None:
        """Show update t (clamped to 0 … T) in every view: only slicing and ``setData``."""
        t = int(np.clip(int(t), 0, self.t_max))
        self._t = t
        self.contour.set_current(t)
        self.surface.set_current(t)
        self.loss.set_current(t)
        self._refresh_contour_surface()
        self._refresh_vectors()
        self._refresh_hessian()

    def _refresh_vectors(self) -> None:
        i = self._selected
        vec = self._vectors[i] if 0 <= i < len(self._vectors) else None
        style = self._styles[i] if 0 <= i < len(self._styles) else None
        step = vec.at(self._t) if vec is not None else None
        if not self._options.vectors or step is None or style is None or not style.visible:
            self.contour.clear_step_vectors()
            return
        origin, lam_m, neg_eta_g, movement = step
        self.contour.set_step_vectors(origin, lam_m, neg_eta_g, movement, style.qcolor())

    def _current_point(self) -> tuple[int, np.ndarray] | None:
        tr = self._selected_traj()
        if tr is None or len(tr.theta) == 0:
            return None
        k = min(self._t, len(tr.theta) - 1)
        return k, tr.theta[k]

    def _refresh_hessian(self) -> None:
        tr = self._selected_traj()
        cur = self._current_point()
        style = self._styles[self._selected] if 0 <= self._selected < len(self._styles) else None
        if (not self._options.hessian or tr is None or cur is None or self._problem is None
                or style is None or not style.visible):
            self.contour.clear_eigenvectors()
            return
        k, point = cur
        # the path's Hessians a block at a time: a run of a million updates took 24 s here
        b, r = divmod(k, HESSIAN_BLOCK)
        eig = self._eigen.get((self._selected, b))
        if eig is None:
            eig = self._eigen[(self._selected, b)] = hessian_path(
                self._problem, tr.theta[b * HESSIAN_BLOCK : (b + 1) * HESSIAN_BLOCK])
        vals, vecs = eig[0][r], eig[1][r]
        if not np.all(np.isfinite(vals)):
            self.contour.clear_eigenvectors()
            return
        self.contour.set_eigenvectors(point, vecs, vals)

    def _refresh_contour_surface(self, force: bool = False) -> None:
        """Put the right loss on the contour map: L, the testing loss, or L_b of the batch."""
        data, problem = self._data, self._problem
        if data is None or problem is None:
            return
        opts = self._options
        tr = self._selected_traj()
        # a record still shown from the previous problem (another N) has batches of that N:
        # its L_b cannot be drawn on this problem, the full loss is shown until the new record
        if (opts.batch_surface and tr is not None and tr.updates > 0
                and tr.schedule.n == problem.n):
            k = min(max(self._t - 1, 0), tr.updates - 1)
            batch = tr.batch(k)
            key: tuple = ("batch", id(tr), tuple(batch.tolist()))
            if key != self._shown or force:
                xs, ys = batch_grid_axes(data.xs, data.ys, len(batch))
                with np.errstate(all="ignore"):
                    z = problem.loss_grid(xs, ys, batch=batch)
                self.contour.set_surface(xs, ys, z, log_scale=self._full_log())
            self.contour.set_surface_label(batch_caption(tr, self._t, words=batch_caption_words()))
            self._shown = key
            return
        if opts.test_loss:
            key = ("test", id(data))
            if key != self._shown or force:
                if self._test_z is None:
                    # all N examples per cell, on the GUI thread: a coarser grid for a large N
                    # (N = 10,000 on 101 × 101 took 0.4 s; issue 9 saw a 2.2 s stall)
                    xs, ys = batch_grid_axes(data.xs, data.ys, problem.n)
                    with np.errstate(all="ignore"):
                        self._test_z = (xs, ys, problem.loss_grid(xs, ys, shift=self._shift))
                xs, ys, z = self._test_z
                self.contour.set_surface(xs, ys, z, log_scale=self._full_log())
                dx, dy = self._shift or (0.0, 0.0)
                self.contour.set_surface_label(
                    QCoreApplication.translate("views", "testing loss: L shifted by ({dx}, {dy})")
                    .format(dx=format_value(dx), dy=format_value(dy)))
            self._shown = key
            return
        key = ("full", id(data))
        if key != self._shown or force:
            self.contour.set_surface(data.xs, data.ys, data.z)
            self.contour.set_surface_label("")
            scale = self.contour.surface_scale()
            self._log = scale.log if scale is not None else None
        self._shown = key

    def _full_log(self) -> bool | None:
        """The full loss's log/linear decision, kept for L_b and the testing loss."""
        if self._log is None and self._data is not None:
            from gui.views._display import spans_decades

            self._log = spans_decades(self._data.z)
        return self._log

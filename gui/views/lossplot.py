"""Loss per update: full loss (solid), mini-batch loss (dim), epoch boundaries and a cursor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QWidget

from gui.theme import DARK, RunStyle, Theme, style_axes
from gui.views._common import grab_widget
from gui.views._display import DECADES_RATIO, safe_range

__all__ = ["MAX_EPOCH_LINES", "LossPlot"]

#: Epoch boundaries are drawn only up to this many (more would fill the plot).
MAX_EPOCH_LINES = 300
#: Up to this many runs the full-loss curves are 2 px wide; with more, 1 px: Qt strokes a wider
#: antialiased line ~8× slower than a 1-px one (48 runs × 400 updates: ~150 ms per repaint of
#: the plot against ~25 ms), and many thin curves overlap less.
WIDE_CURVES_MAX_RUNS = 8
#: New data keep the loss plot's y range while their fitted range fills at least this share
#: of it (see ``LossPlot._fit_range``).
KEEP_RANGE_FILL = 0.8
#: Most points of one drawn loss curve (a plot is a few thousand pixels wide at most).
MAX_CURVE_POINTS = 4000


#: A curve whose points sweep its own height more than this many times in all (a noisy
#: mini-batch loss) is drawn without antialiasing: Qt strokes a wide antialiased zigzag as one
#: self-overlapping outline, 0.2–1.2 s per curve of 1,500 updates here (issue 9: the window
#: stalled 8.7 s after a run was duplicated in lesson 5); without, ~10 ms.
MAX_AA_SWEEPS = 50.0


def sweeps(y: np.ndarray) -> float:
    """Σ|yₖ₊₁ − yₖ| / (max y − min y) over the finite values: how often the curve crosses its
    own height (1 for a monotone curve)."""
    f = y[np.isfinite(y)]
    if f.size < 3:
        return 0.0
    span = float(f.max() - f.min())
    if not span > 0 or not np.isfinite(span):
        return 0.0
    return float(np.sum(np.abs(np.diff(f))) / span)


def peak_decimate(y: np.ndarray, limit: int = MAX_CURVE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of a curve y[t] at t = 0 … n−1 with at most about ``limit`` points: per bin of
    consecutive updates its lowest and highest value (the curve's envelope stays exact; NaN
    stays NaN, so ``connect="finite"`` still breaks the line). A million updates drawn in full
    took seconds per repaint."""
    n = len(y)
    if n <= limit:
        return np.arange(n), y
    s = -(-n // (limit // 2))
    m = n // s * s
    blocks = y[:m].reshape(-1, s)
    nan = np.isnan(blocks)
    lo = np.where(nan, np.inf, blocks).argmin(axis=1)
    hi = np.where(nan, -np.inf, blocks).argmax(axis=1)
    idx = np.sort(np.stack([lo, hi], axis=1), axis=1) + (np.arange(len(blocks)) * s)[:, None]
    idx = np.unique(np.concatenate([[0], idx.ravel(), np.arange(m, n), [n - 1]]))
    return idx, y[idx]


@dataclass
class _RunCurves:
    """Curves of one run (created once per run count)."""

    full: pg.PlotDataItem
    batch: pg.PlotDataItem
    # what they show: unchanged curves keep their cached drawing when one run changes
    style: RunStyle | None = None
    width: float = 0.0  # of the full-loss curve's pen
    full_src: object = None  # the arrays given to set_losses
    batch_src: object = None


class LossPlot(pg.PlotWidget):
    """Loss per update for every run, with epoch boundaries and a draggable cursor.

    Signals:
        cursorMoved(int): the user clicked the plot or dragged the cursor to update ``t``.
    """

    cursorMoved = Signal(int)

    def __init__(self, parent: QWidget | None = None, theme: Theme = DARK) -> None:
        # (no context menus: not built at all, ~2.5 ms of each plot's construction here)
        super().__init__(parent=parent, enableMenu=False)
        self._theme = theme
        self._runs: list[RunStyle] = []
        self._curves: list[_RunCurves] = []
        self._epoch_x = np.empty(0)
        self._log_setting: bool | None = None
        self._log = False
        self._t_max = 0
        self._last_emitted: int | None = None
        self._values = np.empty(0)

        plot = self.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        self._vb: pg.ViewBox = plot.getViewBox()
        self._vb.setMouseEnabled(x=True, y=False)
        # the view is fitted to the data by _fit_range only: pyqtgraph's auto-range of curves
        # with values near ±1e308 pads them to ±inf ("Cannot set range [-inf, inf]")
        self._vb.disableAutoRange()
        # No SI prefix on the axis labels: a loss has no unit ("(T)" or "(×1e-320)" would be
        # noise), and the prefix changing with the range made the label re-lay out the plot
        # under ViewBox.resizeEvent (issue 9 §2.1: the window spun in updateAutoSIPrefix).
        for name in ("left", "bottom"):
            plot.getAxis(name).enableAutoSIPrefix(False)
        self._legend = plot.addLegend(offset=(-6, 6), labelTextSize="8.5pt", verSpacing=-6)

        self._epochs = pg.PlotCurveItem(connect="pairs")
        self._epochs.setZValue(-10)
        plot.addItem(self._epochs, ignoreBounds=True)

        # The cursor is drawn over the plot by drawForeground and moved by repainting two thin
        # strips of the viewport: moving a scene item would make the scene sync the window's
        # backing store on its own, i.e. one more whole-window flush per animation frame.
        # The InfiniteLine (no pen) is kept for dragging; it follows the cursor when the mouse
        # is over the plot, and shows its hover pen.
        self._t_shown = 0
        self._drawn_strip: QRect | None = None  # viewport pixels of the cursor last drawn
        self._cursor_pen = QPen()
        self._cursor = pg.InfiniteLine(pos=0, angle=90, movable=True)
        self._cursor.setZValue(50)
        plot.addItem(self._cursor, ignoreBounds=True)
        self._cursor.sigDragged.connect(self._on_cursor_dragged)
        # a new transform moves the cursor: repaint its strip (the items under the view box
        # repaint themselves; a whole-viewport update here, emitted while pyqtgraph
        # applies a deferred range during a paint, cost a second full paint)
        self._vb.sigTransformChanged.connect(self._update_cursor_strip)
        self._vb.sigYRangeChanged.connect(self._update_epoch_lines)
        self.scene().sigMouseClicked.connect(self._on_scene_click)

        # η_t of every run on a second axis (right), in a view box of its own, made when first
        # shown (see set_etas)
        self._eta_vb: pg.ViewBox | None = None
        self._eta_curves: list[pg.PlotDataItem] = []
        self._eta_shown = False
        self.set_theme(theme)

    # ------------------------------------------------------------------ theme
    def set_theme(self, theme: Theme) -> None:
        """Apply the colours of ``theme``."""
        self._theme = theme
        self.setBackground(theme.background)
        plot = self.getPlotItem()
        style_axes(plot, theme, QCoreApplication.translate("views", "update t"),
                   QCoreApplication.translate("views", "loss L(θ)"), label_pt=9.5)
        plot.showGrid(x=False, y=True, alpha=0.25)
        self._epochs.setPen(
            pg.mkPen(theme.color("muted", 0.45), width=1.0, style=Qt.PenStyle.DotLine)
        )
        self._cursor_pen = pg.mkPen(theme.color("foreground", 0.85), width=1.5)
        self._cursor.setPen(pg.mkPen(None))
        self.viewport().update()
        self._cursor.setHoverPen(pg.mkPen(theme.foreground, width=3.0))
        self._legend.setBrush(pg.mkBrush(theme.color("background", 0.8)))
        self._legend.setPen(pg.mkPen(theme.color("grid", 0.8)))
        self._legend.setLabelTextColor(theme.foreground)
        # LegendItem colours only labels added later: recolour the existing ones
        for _sample, label in self._legend.items:
            label.setText(label.text, color=theme.foreground)
        if self._eta_vb is not None:
            self._style_eta_axis()

    # ------------------------------------------------------------------- runs
    def set_runs(self, runs: Sequence[RunStyle]) -> None:
        """Set the runs' styles; curves are created only when the run count changes."""
        runs = list(runs)
        plot = self.getPlotItem()
        if len(runs) != len(self._curves):
            # only the runs removed or added at the end: removing and re-adding every curve
            # and legend row took ~0.17 s per change with many runs (issue 9 §2.2)
            # the legend re-measures all its rows after each row added or removed (O(n²):
            # ~0.15 s for 48 runs): once, after the loops
            self._legend.updateSize = lambda: None
            try:
                for c in self._curves[len(runs):]:
                    plot.removeItem(c.full)
                    plot.removeItem(c.batch)  # (and its legend row)
                self._curves = self._curves[: len(runs)]
                self._add_curves(runs)
            finally:
                del self._legend.updateSize
                self._legend.updateSize()
            for sample, _label in self._legend.items:
                # the app owns visibility: legend clicks must not toggle curves
                sample.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._runs = runs
        width = 2.0 if len(runs) <= WIDE_CURVES_MAX_RUNS else 1.0
        for style, c, (_sample, label) in zip(runs, self._curves, self._legend.items, strict=True):
            if style == c.style and width == c.width:
                continue
            c.style, c.width = style, width
            c.full.setPen(pg.mkPen(style.qcolor(), width=width))
            c.batch.setPen(pg.mkPen(style.qcolor(0.35), width=1.0))
            c.full.opts["name"] = style.label
            label.setText(style.label, color=self._theme.foreground)
            c.full.setVisible(style.visible)
            c.batch.setVisible(style.visible)

    def _add_curves(self, runs: list[RunStyle]) -> None:
        """Curves (and legend rows) for the runs after the existing ones."""
        plot = self.getPlotItem()
        for i in range(len(self._curves), len(runs)):
            style = runs[i]
            batch = pg.PlotDataItem(antialias=True)
            full = pg.PlotDataItem(antialias=True, name=style.label)
            # the curves change only with the records: cache them, the cursor moves
            batch.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            full.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            batch.setZValue(1 + i * 0.01)
            full.setZValue(5 + i * 0.01)
            plot.addItem(batch)
            plot.addItem(full)
            self._curves.append(_RunCurves(full, batch))

    def run_items(self, index: int) -> tuple[pg.PlotDataItem, pg.PlotDataItem]:
        """The curves of run ``index``: (full loss, batch loss)."""
        c = self._curves[index]
        return (c.full, c.batch)

    def set_losses(
        self,
        full: Sequence[np.ndarray],
        batch: Sequence[np.ndarray | None] | None = None,
        epoch_starts: Sequence[int] = (),
    ) -> None:
        """Set the loss curves.

        Args:
            full: per run, full-data loss ``L(θᵗ)`` for t = 0 … T, shape ``(T+1,)``.
            batch: per run (or None), loss of the mini-batch used by update t+1, evaluated at
                ``θᵗ``, shape ``(T,)``; drawn at x = t next to the full loss at the same point.
            epoch_starts: update indices where epochs begin (faint vertical lines). Not drawn
                when every update starts an epoch (full batch), which would carry no information,
                nor when there are more than :data:`MAX_EPOCH_LINES`.
        """
        if len(full) > len(self._curves):
            raise ValueError(f"set_losses got {len(full)} loss arrays for {len(self._curves)} runs")
        batch_list: list[np.ndarray | None] = list(batch) if batch is not None else []
        values = []
        t_max = 0
        for i, c in enumerate(self._curves):
            src = full[i] if i < len(full) else None
            f = np.asarray(src, dtype=np.float64).ravel() if src is not None else np.empty(0)
            if src is None or src is not c.full_src:  # else drawn already
                x, y = peak_decimate(f)
                c.full.setData(x, y, connect="finite", antialias=sweeps(y) <= MAX_AA_SWEEPS)
                c.full_src = src
            values.append(f)
            t_max = max(t_max, f.size - 1)
            b = batch_list[i] if i < len(batch_list) else None
            c.batch_src, old_batch = b, c.batch_src
            if b is None:
                if old_batch is not None:
                    c.batch.setData([], [])
            else:
                bv = np.asarray(b, dtype=np.float64).ravel()
                if b is not old_batch:
                    x, y = peak_decimate(bv)
                    c.batch.setData(x, y, connect="finite", antialias=sweeps(y) <= MAX_AA_SWEEPS)
                values.append(bv)
        self._t_max = max(t_max, 0)
        self._values = np.concatenate(values) if values else np.empty(0)
        self._apply_log()

        e = np.unique(np.asarray(list(epoch_starts), dtype=np.float64))
        e = e[(e > 0) & (e <= self._t_max)]
        if e.size and np.all(np.diff(np.concatenate(([0.0], e))) <= 1.0):
            e = np.empty(0)
        if e.size > MAX_EPOCH_LINES:  # a solid fill, not lines (50,000 lines took 43 s to paint)
            e = np.empty(0)
        self._epoch_x = e
        self._cursor.setBounds((0, max(self._t_max, 0)))
        self._fit_range()

    # ------------------------------------------------------------------- η_t
    def set_etas(self, etas: Sequence[tuple[np.ndarray, np.ndarray] | None] | None) -> None:
        """The learning rate η_t of update t per run on a second (right) axis, dashed in the
        run's colour; ``None`` hides the axis. ``etas[i]`` is (t, η_t) (None: no curve)."""
        plot = self.getPlotItem()
        if etas is None:
            if self._eta_shown and self._eta_vb is not None:
                plot.hideAxis("right")
                self._eta_vb.setVisible(False)
                self._eta_shown = False
            return
        if self._eta_vb is None:
            self._make_eta_box()
        assert self._eta_vb is not None
        while len(self._eta_curves) < len(self._runs):
            curve = pg.PlotDataItem(antialias=True)
            self._eta_vb.addItem(curve)
            self._eta_curves.append(curve)
        values = []
        for i, curve in enumerate(self._eta_curves):
            e = etas[i] if i < len(etas) and i < len(self._runs) else None
            if e is None:
                curve.setData([], [])
                continue
            t, v = (np.asarray(a, dtype=np.float64).ravel() for a in e)
            curve.setData(t, v, connect="finite")
            style = self._runs[i]
            curve.setPen(pg.mkPen(style.qcolor(), width=1.5, style=Qt.PenStyle.DashLine))
            curve.setVisible(style.visible)
            if style.visible:
                values.append(v[np.isfinite(v)])
        if not self._eta_shown:
            plot.showAxis("right")
            self._eta_vb.setVisible(True)
            self._eta_shown = True
            self._sync_eta_x()
        v = np.concatenate(values) if values else np.empty(0)
        lo, hi = safe_range(0.0, float(v.max()) if v.size else 1.0)
        self._eta_vb.setYRange(lo, hi + 0.06 * (hi - lo), padding=0.0)
        self._sync_eta_box()

    def eta_curves(self) -> list[pg.PlotDataItem]:
        """The η_t curves (one per run; empty data for runs without)."""
        return self._eta_curves

    def _make_eta_box(self) -> None:
        """The right axis's view box: over the plot's, its x range copied one way from the
        main view box (a two-way link can ping-pong during a resize), ranges set only from the
        data, no SI prefix (issue 9 §2.1)."""
        plot = self.getPlotItem()
        vb = pg.ViewBox(enableMouse=False)
        vb.disableAutoRange()
        plot.scene().addItem(vb)
        right = plot.getAxis("right")
        right.linkToView(vb)
        right.enableAutoSIPrefix(False)
        self._eta_vb = vb
        self._vb.sigResized.connect(self._sync_eta_box)
        self._vb.sigXRangeChanged.connect(self._sync_eta_x)
        self._style_eta_axis()
        self._sync_eta_box()

    def _style_eta_axis(self) -> None:
        plot = self.getPlotItem()
        right = plot.getAxis("right")
        right.setPen(pg.mkPen(self._theme.muted))
        right.setTextPen(pg.mkPen(self._theme.foreground))
        plot.setLabel("right", "η_t (dashed)", color=self._theme.foreground)
        if not self._eta_shown:  # setLabel shows the axis
            plot.hideAxis("right")

    def _sync_eta_box(self, *_: object) -> None:
        if self._eta_vb is not None:
            self._eta_vb.setGeometry(self._vb.sceneBoundingRect())

    def _sync_eta_x(self, *_: object) -> None:
        if self._eta_vb is not None and self._eta_shown:
            x0, x1 = self._vb.viewRange()[0]
            self._eta_vb.setXRange(x0, x1, padding=0.0)

    # ---------------------------------------------------------------- log axis
    def set_log_y(self, mode: bool | None) -> None:
        """Log y-axis on (True), off (False) or automatic (None: when all losses are positive
        and span more than two decades)."""
        self._log_setting = mode
        self._apply_log()

    def is_log_y(self) -> bool:
        """Whether the y-axis is currently logarithmic."""
        return self._log

    @staticmethod
    def auto_log(values: np.ndarray) -> bool:
        """The automatic rule: finite values all positive, max/min > ``DECADES_RATIO``."""
        v = np.asarray(values, dtype=np.float64)
        v = v[np.isfinite(v)]
        if v.size < 2 or np.any(v <= 0):
            return False
        with np.errstate(over="ignore"):  # 1e300 / 1e-320 is inf: spans decades
            return bool(v.max() / v.min() > DECADES_RATIO)

    def _apply_log(self) -> None:
        values = self._values
        # forced on with non-positive values: pyqtgraph leaves those points out
        log = self.auto_log(values) if self._log_setting is None else bool(self._log_setting)
        if log != self._log:
            self._log = log
            self.getPlotItem().setLogMode(x=False, y=log)
            self._fit_range(force=True)

    def _fit_range(self, force: bool = False) -> None:
        """Fit the view to the data once. Auto-range stays off: with it on, every cursor move
        re-ranges the view and repaints all curves (~30 ms for 7 runs × 1000 updates).

        Unless ``force``d, the y range is kept while the fitted range lies inside it and fills
        at least :data:`KEEP_RANGE_FILL` of it: a new range repaints every curve and both
        axes, which made an η change repaint the whole plot instead of one run's curves."""
        v = self._values[np.isfinite(self._values)]
        if self._log:
            v = np.log10(v[v > 0])
        lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        # finite, not absurd, not a subnormal span (issue 9 §2.1: pyqtgraph's axes spun)
        lo, hi = safe_range(lo, hi)
        pad = 0.06 * (hi - lo)
        lo, hi = safe_range(lo - pad, hi + pad)
        x_range = (0, max(self._t_max, 1))
        (x0, x1), (y0, y1) = self._vb.viewRange()
        if (not force and (x0, x1) == x_range and y0 <= lo and hi <= y1
                and hi - lo >= KEEP_RANGE_FILL * (y1 - y0)):
            self._update_epoch_lines()
            return
        self._vb.setRange(xRange=x_range, yRange=(lo, hi), padding=0.0)
        # apply the range now: pyqtgraph defers it to the next paint, where the new transform
        # marks every curve dirty again and the plot paints twice (once for nothing)
        self._vb.updateMatrix()
        self._update_epoch_lines()

    # ----------------------------------------------------------------- cursor
    def set_current(self, t: int) -> None:
        """Move the cursor to update ``t`` (does not emit ``cursorMoved``)."""
        self._show_cursor(int(t))
        if self.underMouse():
            self._sync_cursor_item()

    def cursor_value(self) -> int:
        """Update index under the cursor."""
        return self._t_shown

    def _show_cursor(self, t: int) -> None:
        if t == self._t_shown:
            return
        old, self._t_shown = self._t_shown, t
        for v in (old, t):
            strip = self._cursor_strip(v)
            if strip is not None:
                self.viewport().update(strip)

    def _update_cursor_strip(self, *_: object) -> None:
        """Repaint where the cursor was last drawn and where it is now, through the scene: a
        new transform also repaints the items, and a viewport update of its own came as a
        paint before theirs (two paints instead of one)."""
        for strip in (self._drawn_strip, self._cursor_strip(self._t_shown)):
            if strip is not None:
                self.scene().update(self.mapToScene(strip).boundingRect())

    def _cursor_scene_x(self, t: float) -> float:
        return float(self._vb.mapViewToScene(QPointF(float(t), 0.0)).x())

    def _cursor_strip(self, t: int) -> QRect | None:
        """Viewport pixels the cursor line at ``t`` covers (with a margin)."""
        area = self._vb.sceneBoundingRect()
        x = self.mapFromScene(QPointF(self._cursor_scene_x(t), area.top())).x()
        top = self.mapFromScene(area.topLeft()).y()
        bottom = self.mapFromScene(area.bottomLeft()).y()
        w = int(self._cursor_pen.widthF()) + 4
        return QRect(x - w, top - 1, 2 * w + 1, bottom - top + 3)

    def _sync_cursor_item(self) -> None:
        """Put the (invisible) draggable line where the cursor is drawn."""
        if round(float(self._cursor.value())) != self._t_shown:
            self._cursor.setValue(self._t_shown)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """Draw the cursor (scene coordinates), clipped to the plot area, under the legend."""
        super().drawForeground(painter, rect)
        area = self._vb.sceneBoundingRect()
        x = self._cursor_scene_x(self._t_shown)
        self._drawn_strip = self._cursor_strip(self._t_shown)
        if not (area.left() <= x <= area.right()):
            return
        painter.save()
        try:
            painter.setClipRect(area)
            legend = self._legend.sceneBoundingRect()
            if self._legend.isVisible() and legend.left() <= x <= legend.right():
                painter.setClipRect(
                    QRectF(
                        area.left(), area.top(), area.width(), max(legend.top() - area.top(), 0.0)
                    )
                )
                painter.setPen(self._cursor_pen)
                painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
                painter.setClipRect(
                    QRectF(
                        area.left(),
                        legend.bottom(),
                        area.width(),
                        max(area.bottom() - legend.bottom(), 0.0),
                    )
                )
            painter.setPen(self._cursor_pen)
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
        finally:
            painter.restore()

    def enterEvent(self, event: QEvent) -> None:
        """The mouse may grab the cursor: put the draggable line under it."""
        self._sync_cursor_item()
        super().enterEvent(event)

    def _on_cursor_dragged(self, line: pg.InfiniteLine) -> None:
        t = int(np.clip(round(float(line.value())), 0, self._t_max))
        self._show_cursor(t)
        if t != self._last_emitted:
            self._last_emitted = t
            self.cursorMoved.emit(t)

    def _on_scene_click(self, ev: object) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.isAccepted():
            return
        pos = ev.scenePos()
        if not self._vb.sceneBoundingRect().contains(pos):
            return
        t = int(np.clip(round(self._vb.mapSceneToView(pos).x()), 0, self._t_max))
        self._show_cursor(t)
        self._cursor.setValue(t)
        self._last_emitted = t
        self.cursorMoved.emit(t)

    def _update_epoch_lines(self, *_: object) -> None:
        if self._epoch_x.size == 0:
            self._epochs.setData([], [])
            return
        y0, y1 = self._vb.viewRange()[1]
        xs = np.repeat(self._epoch_x, 2)
        ys = np.tile([y0, y1], self._epoch_x.size)
        self._epochs.setData(xs, ys, connect="pairs")

    # ----------------------------------------------------------------- export
    def grab_image(self) -> np.ndarray:
        """The widget as an ``(h, w, 3) uint8`` RGB array."""
        return grab_widget(self)

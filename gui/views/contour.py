"""Contour map of the loss with optimiser paths, step vectors and Hessian eigen-directions.

All graphics items are created once (per run count) and updated with ``setData``/``setPos``
afterwards; painting never computes. Screen-space quantities (arrow-head angles, label offsets,
eigenvector lengths) are recomputed only when the view transform changes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import contourpy
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QWidget

from gui.theme import (
    CRITICAL_POINT_GLYPHS,
    CRITICAL_POINT_SYMBOLS,
    DARK,
    EIGEN_NEGATIVE,
    EIGEN_POSITIVE,
    RunStyle,
    Theme,
    critical_point_label,
    style_axes,
    surface_lut,
    ui_font,
)
from gui.views._common import (
    antialias_for,
    as_grid,
    as_path,
    decimate,
    finite_length,
    grab_widget,
)
from gui.views._display import LossScale, comparable_ranges, format_value

__all__ = ["ContourView"]

#: Number of contour levels drawn.
N_LEVELS = 15
_HALO = (0, 0, 0, 150)
#: Items that change only with the surface or a run's record (image, contour lines, whole
#: paths) keep a device-pixel cache, so an animation frame does not re-rasterize them.
_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache
#: A travelled path is drawn in two parts: its completed chunks of ``TRAIL_CHUNK`` updates
#: (cached, re-rasterized once per chunk) and the live tail since the last chunk (at most
#: ``TRAIL_CHUNK`` segments), so a frame repaints only the tails' small region.
TRAIL_CHUNK = 32


#: Step vectors smaller than this factor below a readable length are not drawn.
MAX_VECTOR_MAGNIFICATION = 1000.0


@dataclass
class _RunItems:
    """The graphics items of one run (created once, restyled on ``set_runs``)."""

    full: pg.PlotCurveItem
    trail: pg.PlotCurveItem  # travelled path: live tail (line)
    current: pg.ScatterPlotItem  # one spot at (0, 0), moved with setPos
    start: pg.TargetItem
    trail_done: pg.PlotCurveItem  # travelled path: completed chunks (line, cached)
    halo: pg.PlotCurveItem  # dark halo under the live tail
    halo_done: pg.PlotCurveItem  # dark halo under the completed chunks (cached)
    done_upto: int = -1  # the completed part is path[: done_upto + 1] (-1: not set)
    current_pos: tuple[float, float] | None = None
    # what the items show: a run whose style and path did not change keeps its cached
    # drawing (restyling and re-setting all 48 runs' curves for one added run cost ~0.5 s)
    style: RunStyle | None = None
    source: np.ndarray | None = None  # the path given to set_paths
    cell: tuple[float, float] | None = None  # the decimation cell it was drawn with

    def graphics(self) -> tuple[pg.GraphicsObject, ...]:
        return (
            self.full,
            self.halo_done,
            self.trail_done,
            self.halo,
            self.trail,
            self.current,
            self.start,
        )


@dataclass
class _Vector:
    """One step vector: shaft, arrow head and label."""

    shaft: pg.PlotCurveItem
    head: pg.ArrowItem
    label: pg.TextItem
    text: str
    head_len: float = 10.0
    base: np.ndarray | None = None  # θᵗ⁻¹
    tail_off: np.ndarray | None = None  # tail = base + factor · tail_off
    vec: np.ndarray | None = None  # None: hidden
    style_key: tuple | None = None  # (colour, pen) last applied: restyle only on change


class ContourView(pg.PlotWidget):
    """2D contour map of a loss surface with optimiser paths.

    Signals:
        pointClicked(float, float): left click on empty plot area, data coordinates.
        startDragged(int, float, float): live while the start marker of run ``i`` is dragged.
        startDragFinished(int, float, float): start marker released.
        hovered(float, float): mouse moved over the plot area, data coordinates.
    """

    pointClicked = Signal(float, float)
    startDragged = Signal(int, float, float)
    startDragFinished = Signal(int, float, float)
    hovered = Signal(float, float)

    def __init__(self, parent: QWidget | None = None, theme: Theme = DARK) -> None:
        super().__init__(parent=parent)
        self._theme = theme
        self._runs: list[RunStyle] = []
        self._items: list[_RunItems] = []
        self._paths: list[np.ndarray] = []
        self._given: list[np.ndarray] = []  # the arrays set_paths got last time
        self._valid: list[int] = []
        self._t = 0
        self._scale: LossScale | None = None
        self._extent: tuple[float, float, float, float] | None = None  # framed grid extent
        self._programmatic = False
        self._starts_movable = True

        plot = self.getPlotItem()
        plot.hideButtons()
        plot.setLabel("bottom", "θ₁ (x)")
        plot.setLabel("left", "θ₂ (y)")
        self._vb: pg.ViewBox = plot.getViewBox()
        self._vb.setDefaultPadding(0.0)
        # a zoom or resize changes the pixel size: the full paths are decimated anew once the
        # view has settled (not on every range change of a drag, not on a restyle)
        self._recell = QTimer(self, singleShot=True, interval=150)
        self._recell.timeout.connect(self._redraw_full_paths)
        self._vb.sigRangeChanged.connect(self._recell.start)
        self._vb.sigResized.connect(self._recell.start)

        self._image = pg.ImageItem(axisOrder="col-major")
        self._image.setZValue(-100)
        self.addItem(self._image)
        # static layers are painted once into pixmaps; a frame only blits them (see _CACHE)
        self._image.setCacheMode(_CACHE)

        self._contours = pg.PlotCurveItem(connect="finite", antialias=True)
        self._contours.setZValue(-50)
        self.addItem(self._contours)
        self._contours.setCacheMode(_CACHE)
        # static layers: keep their rendering in a pixmap (export/full repaints ~25 % faster)
        for item in (self._image, self._contours):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

        self._critical = pg.ScatterPlotItem(
            size=15, pxMode=True, hoverable=True, tip=self._critical_tip, antialias=True
        )
        self._critical.setZValue(20)
        self.addItem(self._critical)

        # Hessian eigen-directions: two segments and two labels
        self._eig_point: np.ndarray | None = None
        self._eig_vecs: np.ndarray | None = None
        self._eig_vals: np.ndarray | None = None
        self._eig_lines = [pg.PlotCurveItem(antialias=True) for _ in range(2)]
        self._eig_labels = [pg.TextItem(anchor=(0.5, 0.5)) for _ in range(2)]
        for item in (*self._eig_lines, *self._eig_labels):
            item.setZValue(25)
            item.setVisible(False)
            self.addItem(item, ignoreBounds=True)

        # step vectors, tip to tail: λm (dashed), −ηg (thin), m (bold)
        self._vectors: dict[str, _Vector] = {}
        for name, text in (("lam_m", "λm"), ("neg_eta_g", "−ηg"), ("movement", "m")):
            shaft = pg.PlotCurveItem(antialias=True)
            head = pg.ArrowItem(pxMode=True, tailLen=None)
            label = pg.TextItem(text=text, anchor=(0.5, 0.5))
            label.setFont(ui_font(9.5, bold=True))
            for z, item in ((30, shaft), (31, head), (32, label)):
                item.setZValue(z)
                item.setVisible(False)
                self.addItem(item, ignoreBounds=True)
            self._vectors[name] = _Vector(shaft, head, label, text)
        self._vec_mag: float | None = None
        self._vec_factor = 1.0

        # caption in the top-left corner of the plot area (does not move with the data)
        self._caption = pg.TextItem(anchor=(0, 0))
        self._caption.setParentItem(self._vb)
        self._caption.setPos(6, 4)
        self._caption.setFont(ui_font(9))
        self._caption.setZValue(100)
        self._caption.setVisible(False)

        self._vb.sigTransformChanged.connect(self._update_screen_geometry)
        self._vb.sigResized.connect(self._update_screen_geometry)
        self.scene().sigMouseClicked.connect(self._on_scene_click)
        self.scene().sigMouseMoved.connect(self._on_scene_move)
        self.set_theme(theme)

    # ------------------------------------------------------------------ theme
    def set_theme(self, theme: Theme) -> None:
        """Apply background/foreground colours of ``theme``."""
        self._theme = theme
        self.setBackground(theme.background)
        style_axes(self.getPlotItem(), theme, "θ₁ (x)", "θ₂ (y)", label_pt=10.0)
        self._contours.setPen(pg.mkPen(QColor(255, 255, 255, 80), width=1.0))
        self._caption.fill = pg.mkBrush(QColor(17, 18, 22, 190))
        self._caption.setColor(QColor("#F0F0F0"))
        for v in self._vectors.values():
            v.label.fill = pg.mkBrush(QColor(17, 18, 22, 170))
        for lab in self._eig_labels:
            lab.fill = pg.mkBrush(QColor(17, 18, 22, 170))
        self._critical.setPen(pg.mkPen(QColor(20, 20, 20), width=1.2))
        self._critical.setBrush(pg.mkBrush("#FFFFFF"))

    # ---------------------------------------------------------------- surface
    def set_surface(
        self,
        x: np.ndarray,
        y: np.ndarray,
        z: np.ndarray,
        log_scale: bool | None = None,
    ) -> None:
        """Show the loss ``z[i, j] = L(x[i], y[j])`` as a colour image with contour lines.

        Args:
            x: grid abscissae ``(nx,)``, increasing and (about) evenly spaced.
            y: grid ordinates ``(ny,)``.
            z: loss values ``(nx, ny)`` (``meshgrid(..., indexing="ij")``); NaN/inf are masked.
            log_scale: log-spaced levels/colours (True), linear (False) or automatic (None:
                logarithmic when ``L − Lmin`` spans more than two decades).
        """
        x, y, z = as_grid(x, y, z)
        scale = LossScale.from_values(z, log_scale)
        self._scale = scale

        unit = scale.unit(z)  # (nx, ny) in [0, 1], NaN where z is not finite
        finite = np.isfinite(unit)
        lut = surface_lut()
        idx = np.zeros(unit.shape, dtype=np.intp)
        np.multiply(unit, lut.shape[0] - 1, out=unit, where=finite)
        np.rint(unit, out=unit, where=finite)
        idx[finite] = unit[finite].astype(np.intp)
        rgba = lut[idx]
        rgba[~finite] = 0  # masked: transparent
        self._image.setImage(rgba, autoLevels=False, levels=None)

        dx = (x[-1] - x[0]) / (x.size - 1)
        dy = (y[-1] - y[0]) / (y.size - 1)
        x0, x1 = x[0] - dx / 2, x[-1] + dx / 2
        y0, y1 = y[0] - dy / 2, y[-1] + dy / 2
        self._image.setRect(x0, y0, x1 - x0, y1 - y0)

        self._contours.setData(*_contour_lines(x, y, z, scale.levels(N_LEVELS)), connect="finite")

        # frame the grid only when its extent changes: the batch surface is re-set on every
        # update and must keep the user's zoom/pan
        extent = (float(x0), float(x1), float(y0), float(y1))
        if extent != self._extent:
            self._extent = extent
            self._vb.setAspectLocked(comparable_ranges(x1 - x0, y1 - y0), ratio=1.0)
            self._vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.0)
            self._vb.updateMatrix()  # now, not during the next paint (which then paints twice)

    def surface_scale(self) -> LossScale | None:
        """The display scale chosen by the last :meth:`set_surface` (None before)."""
        return self._scale

    def set_surface_label(self, text: str) -> None:
        """Caption in the top-left corner, e.g. ``"batch loss L₃ (update 37)"``; ``""`` hides it."""
        self._caption.setText(text)
        self._caption.setVisible(bool(text))

    def set_critical_points(self, points: Sequence[tuple[float, float, str]]) -> None:
        """Mark critical points ``(x, y, kind)``, kind ∈ {"minimum", "saddle", "maximum"}."""
        spots = []
        for px, py, kind in points:
            if kind not in CRITICAL_POINT_SYMBOLS:
                raise ValueError(f"unknown critical point kind: {kind!r}")
            spots.append(
                {
                    "pos": (float(px), float(py)),
                    "symbol": CRITICAL_POINT_SYMBOLS[kind],
                    "size": 17 if kind == "minimum" else 13,
                    "data": kind,
                }
            )
        self._critical.setData(spots)

    @staticmethod
    def _critical_tip(x: float, y: float, data: object) -> str:
        kind = str(data)
        glyph = CRITICAL_POINT_GLYPHS.get(kind, "")
        return (
            f"{glyph} {critical_point_label(kind)}  "
            f"θ = ({format_value(x)}, {format_value(y)})\n"
            + QCoreApplication.translate("views", "★ minimum   ✕ saddle   ▲ maximum")
        )

    # ------------------------------------------------------------------- runs
    def set_runs(self, runs: Sequence[RunStyle]) -> None:
        """Set the runs' styles. Items are created only when the number of runs changes."""
        runs = list(runs)
        if len(runs) != len(self._items):
            # only the runs added or removed at the end: rebuilding every run's items took
            # ~0.1 s per change with 16 runs (issue 9 §2.2)
            for items in self._items[len(runs):]:
                for item in items.graphics():
                    self.removeItem(item)
            self._items = self._items[: len(runs)] + [
                self._make_run_items(i) for i in range(len(self._items), len(runs))]
            self._paths = [p for p in self._paths[: len(runs)]]
            self._valid = self._valid[: len(runs)]
        self._runs = runs
        for style, items in zip(runs, self._items, strict=True):
            if items.style != style:
                self._style_run(style, items)
                items.style = style
        self._refresh_visibility()

    def _make_run_items(self, index: int) -> _RunItems:
        full = pg.PlotCurveItem(antialias=True, connect="finite")
        full.setCacheMode(_CACHE)
        # the travelled path: halos under lines, per run (run i+1's halo covers run i's line
        # where they cross, as one curve with a shadow pen would)
        halo_done = pg.PlotCurveItem(antialias=True, connect="finite")
        trail_done = pg.PlotCurveItem(antialias=True, connect="finite")
        halo = pg.PlotCurveItem(antialias=True, connect="finite")
        trail = pg.PlotCurveItem(antialias=True, connect="finite")
        for item in (halo_done, trail_done):
            item.setCacheMode(_CACHE)
        current = pg.ScatterPlotItem(size=12, symbol="o", pxMode=True, antialias=True)
        start = pg.TargetItem(pos=(0.0, 0.0), size=13, symbol="o",
                              movable=self._starts_movable)
        start.setToolTip(QCoreApplication.translate("views", "drag to move the start point"))
        for z, item in (
            (10, full),
            (11, halo_done),
            (11.001, halo),
            (11.002, trail_done),
            (11.003, trail),
            (13, start),
            (14, current),
        ):
            item.setZValue(z + index * 0.01)
            item.setVisible(False)
            self.addItem(item, ignoreBounds=True)
        start.sigPositionChanged.connect(lambda item, i=index: self._on_start_moved(i, item))
        start.sigPositionChangeFinished.connect(
            lambda item, i=index: self._on_start_finished(i, item)
        )
        return _RunItems(full, trail, current, start, trail_done, halo, halo_done)

    def set_starts_movable(self, movable: bool) -> None:
        """Whether the start markers can be dragged (True by default; False where θ⁰ is not
        an input, e.g. a projected path on the network's plane)."""
        self._starts_movable = bool(movable)
        for style, items in zip(self._runs, self._items, strict=False):
            items.start.movable = self._starts_movable
            self._style_run(style, items)

    def _style_run(self, style: RunStyle, items: _RunItems) -> None:
        col = style.qcolor()
        # 1 px: Qt's fast antialiased stroke (1.2 px took ~2.4 ms per 400-point path, 1 px
        # ~0.3 ms; 48 runs' full paths were ~230 ms of every repaint of the map)
        items.full.setPen(pg.mkPen(style.qcolor(0.45), width=1.0))
        for item in (items.trail, items.trail_done):
            item.setPen(pg.mkPen(col, width=2.4))
        for item in (items.halo, items.halo_done):
            item.setPen(pg.mkPen(QColor(*_HALO), width=5.0))
        items.current.setPen(pg.mkPen("#FFFFFF", width=1.8))
        items.current.setBrush(pg.mkBrush(col))
        items.start.setPen(pg.mkPen(col, width=2.6))
        items.start.setBrush(pg.mkBrush(QColor(*_HALO)))
        items.start.setHoverPen(pg.mkPen("#FFFFFF", width=2.6))
        items.start.setHoverBrush(pg.mkBrush(col))
        tip = (QCoreApplication.translate("views", "start of “{run}” — drag to move")
               if self._starts_movable
               else QCoreApplication.translate("views", "start of “{run}”"))
        items.start.setToolTip(tip.format(run=style.label))

    def set_paths(self, paths: Sequence[np.ndarray]) -> None:
        """Set the runs' paths ``(T_k+1, 2)`` (θ⁰ … θᵀ). NaN rows (divergence) end a path."""
        if len(paths) > len(self._items):
            raise ValueError(f"set_paths got {len(paths)} paths for {len(self._items)} runs")
        # a path given as the same array as last time is drawn already (an η change redraws
        # only its run)
        given = self._given
        same = [i < len(given) and p is given[i] and i < len(self._paths)
                for i, p in enumerate(paths)]
        self._given = list(paths)
        self._paths = [self._paths[i] if same[i] else as_path(p, i) for i, p in enumerate(paths)]
        self._valid = [finite_length(p) for p in self._paths]
        self._programmatic = True
        try:
            self._draw_full_paths(only_new=True)
            for path, items in zip(self._paths, self._items, strict=False):
                if np.all(np.isfinite(path[0])):
                    items.start.setPos(float(path[0, 0]), float(path[0, 1]))
        finally:
            self._programmatic = False
        self._refresh_visibility()
        self.set_current(self._t)

    def _draw_full_paths(self, only_new: bool) -> None:
        """Set the full paths' data, decimated to the current pixel size: the paths not drawn
        yet (``only_new``) or those drawn with another pixel size."""
        cell = self._pixel_cell()
        for path, items in zip(self._paths, self._items, strict=False):
            if path is items.source and (only_new or cell == items.cell):
                continue  # drawn already
            items.source, items.cell = path, cell
            shown = decimate(path, cell=cell)
            items.full.setData(shown[:, 0], shown[:, 1], connect="finite",
                               antialias=antialias_for(shown))
            items.done_upto = -1  # redraw its completed part too

    def _redraw_full_paths(self) -> None:
        self._draw_full_paths(only_new=False)
        self.set_current(self._t)

    def set_current(self, t: int) -> None:
        """Draw each path up to update ``t`` and put its current marker on ``path[min(t, T_k)]``."""
        self._t = max(int(t), 0)
        cell = self._pixel_cell()
        for path, n_ok, items in zip(self._paths, self._valid, self._items, strict=False):
            k = min(self._t, path.shape[0] - 1)
            d = (k // TRAIL_CHUNK) * TRAIL_CHUNK
            if d != items.done_upto:
                items.done_upto = d
                for item in (items.halo_done, items.trail_done):
                    _set_polyline(item, path, 0, d if d > 0 else -1, n_ok, cell)
            for item in (items.halo, items.trail):
                _set_polyline(item, path, d, k, n_ok, cell)
            j = min(k, n_ok - 1)
            if j >= 0:
                if items.current_pos is None:
                    items.current.setData([0.0], [0.0])
                pos = (float(path[j, 0]), float(path[j, 1]))
                if pos != items.current_pos:
                    items.current.setPos(*pos)  # moving the item: no data rebuild
                    items.current_pos = pos
            elif items.current_pos is not None:
                items.current.setData([], [])
                items.current_pos = None

    def _pixel_cell(self) -> tuple[float, float] | None:
        """Half a pixel in data units (for decimating long paths), None before layout."""
        (x0, x1), (y0, y1) = self._vb.viewRange()
        rect = self._vb.boundingRect()
        if rect.width() < 2 or rect.height() < 2:
            return None
        # a zoom later shows more detail only after the next redraw of the path
        return ((x1 - x0) / rect.width() / 2, (y1 - y0) / rect.height() / 2)

    def current_positions(self) -> list[tuple[float, float] | None]:
        """Data position of each run's current marker (None when it has none)."""
        return [items.current_pos for items in self._items]

    def run_items(self, index: int) -> tuple[pg.GraphicsObject, ...]:
        """The items of run ``index``: (full path, travelled path, current marker, start marker).

        The travelled path is the line of its live tail (it ends at the current marker)."""
        it = self._items[index]
        return (it.full, it.trail, it.current, it.start)

    def _refresh_visibility(self) -> None:
        for i, (style, items) in enumerate(zip(self._runs, self._items, strict=True)):
            has_path = i < len(self._paths)
            show = style.visible and has_path
            for item in items.graphics():
                item.setVisible(show)

    # ------------------------------------------------------------ step vectors
    def set_step_vectors(
        self,
        origin: np.ndarray,
        lam_m: np.ndarray | None,
        neg_eta_g: np.ndarray,
        movement: np.ndarray,
        colour: str | QColor,
    ) -> None:
        """Draw one update tip to tail: ``λm`` (dashed) from ``θᵗ⁻¹``, ``−ηg`` (thin) from the
        tip of ``λm``, and their sum ``m`` (bold) from ``θᵗ⁻¹``.

        Shafts are in data coordinates. When the vectors would be too short to read at the
        current zoom they are magnified by a round factor, shown in the labels ("×20"); see
        :meth:`set_vector_magnification`. Without momentum (``lam_m is None``) and
        ``m == −ηg`` only ``m`` is drawn, labelled ``m = −ηg``.
        """
        o = np.asarray(origin, dtype=np.float64).reshape(2)
        g = np.asarray(neg_eta_g, dtype=np.float64).reshape(2)
        m = np.asarray(movement, dtype=np.float64).reshape(2)
        col = QColor(colour)
        light = QColor(col).lighter(130)
        plain = lam_m is None and bool(np.allclose(g, m))
        zero = np.zeros(2)
        lm = None if lam_m is None else np.asarray(lam_m, dtype=np.float64).reshape(2)
        spec = {
            "lam_m": (zero, lm, pg.mkPen(light, width=2.0, style=Qt.PenStyle.DashLine), 10.0),
            "neg_eta_g": (
                zero if lm is None else lm,
                None if plain else g,
                pg.mkPen(light, width=1.5),
                10.0,
            ),
            "movement": (zero, m, pg.mkPen(col, width=3.2), 14.0),
        }
        ok_origin = bool(np.all(np.isfinite(o)))
        for name, (tail_off, vec, pen, head_len) in spec.items():
            v = self._vectors[name]
            if vec is None or not ok_origin or not np.all(np.isfinite(vec)):
                v.vec = None
                for item in (v.shaft, v.head, v.label):
                    item.setVisible(False)
                continue
            v.base, v.tail_off, v.vec, v.head_len = o, tail_off.copy(), vec.copy(), head_len
            key = (pen.color().rgba(), pen.widthF(), int(pen.style().value))
            if key != v.style_key:  # same run, same look: nothing to restyle per frame
                v.style_key = key
                v.shaft.setPen(pen)
                v.shaft.setShadowPen(pg.mkPen(QColor(*_HALO), width=pen.widthF() + 2.5))
                v.head.setStyle(
                    headLen=head_len,
                    headWidth=head_len * 0.45,
                    pen=pg.mkPen(QColor(*_HALO), width=1.0),
                    brush=pg.mkBrush(pen.color()),
                )
                v.label.setColor(pen.color())
            for item in (v.shaft, v.head, v.label):
                if not item.isVisible():
                    item.setVisible(True)
        self._vectors["movement"].text = "m = −ηg" if plain else "m"
        self._update_screen_geometry()

    def clear_step_vectors(self) -> None:
        """Hide the step vectors."""
        for v in self._vectors.values():
            v.vec = None
            for item in (v.shaft, v.head, v.label):
                item.setVisible(False)

    def set_vector_magnification(self, factor: float | None) -> None:
        """Step-vector scale: a fixed factor (1 = true data length) or None (automatic: the
        smallest round factor 1, 2, 5, 10, … that makes the longest vector readable)."""
        if factor is not None and not factor > 0:
            raise ValueError(f"magnification must be positive, got {factor}")
        self._vec_mag = factor
        self._update_screen_geometry()

    def vector_magnification(self) -> float:
        """The magnification currently applied to the step vectors."""
        return self._vec_factor

    # ----------------------------------------------------------- eigenvectors
    def set_eigenvectors(
        self, point: np.ndarray, vecs: np.ndarray, eigenvalues: np.ndarray
    ) -> None:
        """Hessian eigen-directions at ``point``: ``vecs[:, k]`` with eigenvalue
        ``eigenvalues[k]``; negative curvature (the escape direction) red, positive pale blue.
        Segments are drawn with a fixed on-screen length.
        """
        p = np.asarray(point, dtype=np.float64).reshape(2)
        v = np.asarray(vecs, dtype=np.float64).reshape(2, 2)
        ev = np.asarray(eigenvalues, dtype=np.float64).reshape(2)
        if not (np.all(np.isfinite(p)) and np.all(np.isfinite(v))):
            self.clear_eigenvectors()
            return
        self._eig_point, self._eig_vecs, self._eig_vals = p, v, ev
        for k in range(2):
            colour = QColor(EIGEN_NEGATIVE if ev[k] < 0 else EIGEN_POSITIVE)
            self._eig_lines[k].setPen(pg.mkPen(colour, width=2.0, style=Qt.PenStyle.DashDotLine))
            self._eig_lines[k].setShadowPen(pg.mkPen(QColor(*_HALO), width=4.0))
            sub = "₁₂"[k]
            self._eig_labels[k].setText(f"λ{sub} = {format_value(float(ev[k]), 2)}")
            self._eig_labels[k].setColor(colour)
        self._update_screen_geometry()

    def clear_eigenvectors(self) -> None:
        """Hide the eigen-directions."""
        self._eig_point = None
        for item in (*self._eig_lines, *self._eig_labels):
            item.setVisible(False)

    # ------------------------------------------------------- screen geometry
    def _update_screen_geometry(self, *_: object) -> None:
        """Recompute what depends on the data→pixel transform: arrow-head angles, label
        offsets, vector magnification and eigenvector lengths (x and y scales may differ)."""
        px, py = self._vb.viewPixelSize()
        if not (px > 0 and py > 0 and math.isfinite(px) and math.isfinite(py)):
            return
        placed: list[QRectF] = []
        self._layout_vectors(px, py, placed)
        self._layout_eigen(px, py, placed)

    def _layout_vectors(self, px: float, py: float, placed: list[QRectF]) -> None:
        shown = [(k, v) for k, v in self._vectors.items() if v.vec is not None]
        if not shown:
            return
        # magnification: longest vector about 16 % of the plot's smaller side
        tiny = False
        if self._vec_mag is not None:
            f = float(self._vec_mag)
        else:
            longest = max(float(np.hypot(*_to_px(v.vec, px, py))) for _, v in shown)
            target = 0.16 * min(self._vb.width(), self._vb.height())
            tiny = longest * MAX_VECTOR_MAGNIFICATION < target
            f = _round_factor(target / longest) if longest > 0 and not tiny else 1.0
        for _, v in shown:  # a step too small to show honestly (e.g. stalled) is hidden
            for item in (v.shaft, v.head, v.label):
                item.setVisible(not tiny)
        if tiny:
            return
        self._vec_factor = f
        suffix = f" (×{format_value(f)})" if f != 1.0 else ""
        tips = []
        for _, v in shown:
            tail = v.base + f * v.tail_off
            tips.extend((tail, tail + f * v.vec))
        centroid = np.mean(tips, axis=0)
        for name, v in shown:
            tail = v.base + f * v.tail_off
            vec = f * v.vec
            tip = tail + vec
            v.shaft.setData([tail[0], tip[0]], [tail[1], tip[1]])
            v.head.setPos(float(tip[0]), float(tip[1]))
            s = _to_px(vec, px, py)
            length = float(np.hypot(*s))
            if length < 2.0:
                v.head.setVisible(False)
            else:
                v.head.setVisible(True)
                hl = min(v.head_len, 0.6 * length)
                angle = math.degrees(math.atan2(-s[1], -s[0]))
                v.head.setStyle(angle=angle, headLen=hl, headWidth=hl * 0.45)
            text = v.text + (suffix if name == "movement" else "")
            if v.label.toPlainText() != text:  # re-laying out the same text costs per frame
                v.label.setText(text)
            # beside the shaft's midpoint, away from the triangle's centroid, not on another label
            mid = tail + 0.5 * vec
            u = s / length if length > 0 else np.array([1.0, 0.0])
            normal = np.array([-u[1], u[0]])
            if float(np.dot(normal, _to_px(mid - centroid, px, py))) < 0:
                normal = -normal
            self._place_label(v.label, mid, normal, px, py, placed)

    def _place_label(
        self,
        label: pg.TextItem,
        anchor_data: np.ndarray,
        direction: np.ndarray,
        px: float,
        py: float,
        placed: list[QRectF],
        distances: tuple[float, ...] = (4.0, 16.0, 30.0),
    ) -> None:
        """Put ``label`` next to ``anchor_data`` on the side ``direction`` (screen, y down),
        trying farther/other-side positions until it overlaps no label in ``placed``."""
        br = label.boundingRect()
        w, h = br.width(), br.height()
        centre_px = np.array([anchor_data[0] / px, -anchor_data[1] / py])
        d = direction / (float(np.hypot(*direction)) or 1.0)
        half = 0.5 * (abs(d[0]) * w + abs(d[1]) * h)  # centre offset to clear the anchor
        best = None
        for sign in (1.0, -1.0):
            for dist in distances:
                c = centre_px + sign * d * (dist + half)
                rect = QRectF(c[0] - w / 2, c[1] - h / 2, w, h)
                if best is None:
                    best = (c, rect)
                if not any(rect.intersects(r) for r in placed):
                    best = (c, rect)
                    break
            else:
                continue
            break
        assert best is not None
        c, rect = best
        placed.append(rect)
        label.setAnchor((0.5, 0.5))
        label.setPos(float(c[0] * px), float(-c[1] * py))

    def _layout_eigen(self, px: float, py: float, placed: list[QRectF]) -> None:
        if self._eig_point is None or self._eig_vecs is None:
            return
        view = self._vb.viewRect()
        target = 0.14 * min(self._vb.width(), self._vb.height())
        for k in range(2):
            d = self._eig_vecs[:, k]
            s = _to_px(d, px, py)
            n = float(np.hypot(*s))
            ok = n > 0 and math.isfinite(n) and target > 0
            self._eig_lines[k].setVisible(ok)
            self._eig_labels[k].setVisible(ok)
            if not ok:
                continue
            half = d * (target / n)
            ends = (self._eig_point + half, self._eig_point - half)
            self._eig_lines[k].setData([ends[1][0], ends[0][0]], [ends[1][1], ends[0][1]])
            # label beyond the end that lies inside the view (prefer the right/upper end)
            order = sorted(range(2), key=lambda j: -(ends[j][0] + ends[j][1] * 1e-3))
            j = next((j for j in order if view.contains(QPointF(*ends[j]))), order[0])
            u = s / n * (1.0 if j == 0 else -1.0)
            self._place_label(self._eig_labels[k], ends[j], u, px, py, placed, (3.0, 14.0))

    # ------------------------------------------------------------------ mouse
    def _on_start_moved(self, index: int, item: pg.TargetItem) -> None:
        if self._programmatic:
            return
        p = item.pos()
        self.startDragged.emit(index, float(p.x()), float(p.y()))

    def _on_start_finished(self, index: int, item: pg.TargetItem) -> None:
        p = item.pos()
        self.startDragFinished.emit(index, float(p.x()), float(p.y()))

    def _on_scene_click(self, ev: object) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.isAccepted() or ev.double():
            return
        pos = ev.scenePos()
        if not self._vb.sceneBoundingRect().contains(pos):
            return
        starts = {id(it.start) for it in self._items}
        if any(id(item) in starts for item in self.scene().items(pos)):
            return
        p = self._vb.mapSceneToView(pos)
        self.pointClicked.emit(float(p.x()), float(p.y()))

    def _on_scene_move(self, pos: QPointF) -> None:
        if self._vb.sceneBoundingRect().contains(pos):
            p = self._vb.mapSceneToView(pos)
            self.hovered.emit(float(p.x()), float(p.y()))

    def data_to_widget(self, x: float, y: float) -> QPointF:
        """Widget (viewport) pixel position of data point ``(x, y)`` (for tests and overlays)."""
        scene = self._vb.mapViewToScene(QPointF(x, y))
        return self.mapFromScene(scene).toPointF()

    # ----------------------------------------------------------------- export
    def grab_image(self) -> np.ndarray:
        """The widget as an ``(h, w, 3) uint8`` RGB array."""
        return grab_widget(self)


def _contour_lines(
    x: np.ndarray, y: np.ndarray, z: np.ndarray, levels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """All contour lines of ``z (nx, ny)`` at ``levels`` as one NaN-separated polyline."""
    finite = np.isfinite(z)
    zt = z.T  # contourpy wants (ny, nx)
    if finite.all():
        zz: np.ndarray = zt
    else:
        zz = np.ma.masked_array(np.where(finite, z, 0.0).T, mask=~finite.T)
    gen = contourpy.contour_generator(x, y, zz, line_type="ChunkCombinedNan")
    parts: list[np.ndarray] = []
    sep = np.full((1, 2), np.nan)
    for lines in gen.multi_lines(levels):
        for pts in lines[0]:
            if pts is not None and len(pts):
                parts.append(pts)
                parts.append(sep)
    if not parts:
        return np.empty(0), np.empty(0)
    allpts = np.concatenate(parts)
    return allpts[:, 0], allpts[:, 1]


def _set_polyline(item: pg.PlotCurveItem, path: np.ndarray, i0: int, i1: int, n_ok: int,
                  cell: tuple[float, float] | None = None) -> None:
    """Draw ``path[i0 : i1 + 1]`` (nothing when ``i1 < i0``); rows from ``n_ok`` on may be NaN.
    A long path is decimated to the pixels (``cell``: a pixel in data units)."""
    if i1 < i0:
        item.setData(np.empty(0), np.empty(0))
        return
    seg = decimate(path[i0 : i1 + 1], cell=cell)
    aa = antialias_for(seg)
    if i1 < n_ok:  # all finite: skip pyqtgraph's finite checks
        item.setData(seg[:, 0], seg[:, 1], connect="all", skipFiniteCheck=True, antialias=aa)
    else:
        item.setData(seg[:, 0], seg[:, 1], connect="finite", antialias=aa)


def _to_px(v: np.ndarray, px: float, py: float) -> np.ndarray:
    """Data vector → screen vector in pixels (y pointing down)."""
    return np.array([v[0] / px, -v[1] / py])


def _round_factor(ratio: float) -> float:
    """The 1–2–5 factor (1, 2, 5, 10, 20, …) nearest to ``ratio`` in log scale; 1 if ratio ≤ 1."""
    if not ratio > 1.0 or not math.isfinite(ratio):
        return 1.0
    candidates = [m * 10.0**k for k in range(int(math.log10(ratio)) + 2) for m in (1.0, 2.0, 5.0)]
    return min(candidates, key=lambda c: abs(math.log(c / ratio)))

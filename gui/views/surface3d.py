"""3D loss surface (pyqtgraph.opengl) with optimiser paths drawn on it.

Display transforms (no optimisation maths):

* world x/y: the data window is centred and scaled so that its longer side is 2 units
  (each axis scaled separately when the two spans are not comparable);
* world z: ``height_transform(L) = H · h(L) / h_cap`` where ``h`` is ``L − Lmin`` or
  ``log10(1 + (L − Lmin)/s)`` when the loss spans decades, clipped at the 99.5th percentile.

The surface is shaded once per :meth:`SurfaceView3D.set_surface`: a Lambert term computed from
the displayed mesh's normals is baked into the vertex colours, so the per-frame cost is only the
path/marker updates (``computeNormals=False``, default vertex-colour shader).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph.opengl as gl
from OpenGL import GL
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMatrix4x4,
    QPainter,
    QPainterPath,
    QPen,
    QResizeEvent,
    QVector3D,
)
from PySide6.QtOpenGL import QOpenGLPaintDevice
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.theme import CRITICAL_POINT_GLYPHS, DARK, RunStyle, Theme, surface_lut, ui_font
from gui.views._common import as_grid, as_path, decimate, finite_length, qimage_to_rgb
from gui.views._display import (
    LossScale,
    comparable_ranges,
    finite_values,
    format_value,
    nice_ticks,
)
from gui.views.glcanvas import LayeredGLView

__all__ = ["SurfaceView3D"]

#: Height of the displayed surface box (world units; the longer x/y side is 2).
HEIGHT = 0.95
#: Paths float this far (world units) above the surface so they are not hidden in it.
LIFT = 0.02
#: Target number of wireframe lines per direction.
WIRE_LINES = 18

_TRANSLUCENT_NO_DEPTH = {
    GL.GL_DEPTH_TEST: False,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    "glBlendFuncSeparate": (
        GL.GL_SRC_ALPHA,
        GL.GL_ONE_MINUS_SRC_ALPHA,
        GL.GL_ONE,
        GL.GL_ONE_MINUS_SRC_ALPHA,
    ),
}
_SURFACE_GL = {
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: False,
    GL.GL_CULL_FACE: False,
    # push the filled surface back so wireframe and paths on it win the depth test
    GL.GL_POLYGON_OFFSET_FILL: True,
    "glPolygonOffset": (1.0, 1.0),
}


@dataclass
class _Label:
    """A text label: at a 3D world position (``screen=False``) or at a pixel offset from the
    widget's top-left corner (``screen=True``)."""

    pos: tuple[float, float, float]
    text: str
    color: QColor
    font: QFont
    align: str = "center"  # "center", "left" or "right" of the anchor point
    halo: QColor | None = None  # outline colour for legibility on the surface
    screen: bool = False


class _Labels(gl.GLGraphicsItem.GLGraphicsItem):
    """All text of the 3D view, drawn with ONE QPainter per frame (a ``GLTextItem`` per label
    would open a QPainter each).

    The labels are rasterized into a transparent image when they, the camera or the viewport
    change; a frame only draws that image (a cached texture), not the text and its halos."""

    def __init__(self) -> None:
        super().__init__()
        self.setGLOptions("additive")
        self.labels: list[_Label] = []
        self._image: QImage | None = None
        self._image_key: tuple | None = None
        self._rects: list[QRectF] = []  # where the image has text (logical pixels)

    def set_labels(self, labels: list[_Label]) -> None:
        """Replace the labels (cheap: only stores them)."""
        self.labels = labels
        self._image_key = None
        self.update()

    def paint(self) -> None:
        """Project and draw the labels.

        The painter targets the bound framebuffer through a ``QOpenGLPaintDevice``: painting on
        the widget itself would be redirected (and then covered by the GL image) when the
        widget is captured with ``QWidget.grab()``."""
        if not self.labels:
            return
        self.setupGLState()
        view = self.view()
        rect = QRectF(view.rect())
        mvp = self.mvpMatrix()
        w, h, dpr = view.deviceWidth(), view.deviceHeight(), view.devicePixelRatioF()
        key = (tuple(mvp.data()), w, h, dpr, rect.width(), rect.height())
        if self._image is None or key != self._image_key:
            self._image, self._rects = self._render(rect, mvp, w, h, dpr)
            self._image_key = key
        device = QOpenGLPaintDevice(w, h)
        device.setDevicePixelRatio(dpr)
        painter = QPainter(device)
        try:
            for r in self._rects:  # only the labels' pixels, not a full-view quad
                src = QRectF(r.x() * dpr, r.y() * dpr, r.width() * dpr, r.height() * dpr)
                painter.drawImage(r, self._image, src)
        finally:
            painter.end()

    def _render(
        self, rect: QRectF, mvp: QMatrix4x4, w: int, h: int, dpr: float
    ) -> tuple[QImage, list[QRectF]]:
        """The labels on a transparent ``w × h`` (device pixels) image, and their rectangles."""
        ndc_to_viewport = QMatrix4x4()
        ndc_to_viewport.viewport(rect.left(), rect.bottom(), rect.width(), -rect.height())
        project = ndc_to_viewport * mvp
        image = QImage(max(w, 1), max(h, 1), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(dpr)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        rects: list[QRectF] = []
        bounds = QRectF(0.0, 0.0, w / dpr, h / dpr)
        try:
            painter.setRenderHints(
                QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
            )
            for lab in self.labels:
                if lab.screen:
                    p = QPointF(lab.pos[0], lab.pos[1])
                else:
                    clip = mvp.map(QVector3D(*lab.pos))  # behind the camera: skip
                    if clip.z() > 1.0:
                        continue
                    p = project.map(QVector3D(*lab.pos)).toPointF()
                r = self._draw(painter, p, lab).intersected(bounds)
                if not r.isEmpty():
                    rects.append(r)
        finally:
            painter.end()
        return image, rects

    @staticmethod
    def _draw(painter: QPainter, p: QPointF, lab: _Label) -> QRectF:
        fm = QFontMetricsF(lab.font)
        w = fm.horizontalAdvance(lab.text)
        if lab.screen:
            x = p.x()
            y = p.y() + fm.ascent()
        else:
            x = p.x() - (w / 2 if lab.align == "center" else (w if lab.align == "right" else 0))
            y = p.y() + (fm.ascent() - fm.descent()) / 2
        if lab.halo is not None:
            path = QPainterPath()
            path.addText(QPointF(x, y), lab.font, lab.text)
            painter.strokePath(path, QPen(lab.halo, 3.6))  # antialiased: a bit wider
            painter.fillPath(path, lab.color)
        else:
            painter.setPen(lab.color)
            painter.setFont(lab.font)
            painter.drawText(QPointF(x, y), lab.text)
        # the pixels drawn (halo and antialiasing included), aligned to whole pixels
        r = QRectF(x - 3.0, y - fm.ascent() - 3.0, w + 6.0, fm.ascent() + fm.descent() + 6.0)
        return QRectF(r.toAlignedRect())


@dataclass
class _Run3D:
    """GL items of one run (created once per run count)."""

    ghost: gl.GLLinePlotItem  # whole travelled path, no depth test, faint
    line: gl.GLLinePlotItem  # travelled path, depth tested


class SurfaceView3D(QWidget):
    """Shaded 3D loss surface with optimiser paths; orbit/zoom with the mouse."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = DARK) -> None:
        super().__init__(parent)
        self._theme = theme
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = LayeredGLView()
        self.view.setMinimumSize(200, 150)
        layout.addWidget(self.view)

        # world transform of the current surface
        self._cx = self._cy = 0.0
        self._kx = self._ky = 1.0
        self._x: np.ndarray | None = None
        self._y: np.ndarray | None = None
        self._zw: np.ndarray | None = None  # displayed heights of the grid (world units)
        self._scale = LossScale(0.0, 1.0, False, 1.0)
        self._zfactor = HEIGHT
        self._xdata = (0.0, 1.0)
        self._ydata = (0.0, 1.0)
        self._fitted_camera: tuple[float, float, float] | None = None

        self._surface = gl.GLSurfacePlotItem(
            computeNormals=False, smooth=True, glOptions=_SURFACE_GL
        )
        self._surface.setDepthValue(0)
        self._wire = gl.GLLinePlotItem(mode="lines", glOptions="translucent", antialias=True)
        self._wire.setDepthValue(1)
        self._floor = gl.GLLinePlotItem(mode="lines", glOptions="translucent", antialias=True)
        self._floor.setDepthValue(-1)
        # markers are always visible (no depth test): halo first, then the coloured dot
        self._current = gl.GLScatterPlotItem(glOptions=_TRANSLUCENT_NO_DEPTH, pxMode=True)
        self._current_halo = gl.GLScatterPlotItem(glOptions=_TRANSLUCENT_NO_DEPTH, pxMode=True)
        self._start = gl.GLScatterPlotItem(glOptions=_TRANSLUCENT_NO_DEPTH, pxMode=True)
        self._start_halo = gl.GLScatterPlotItem(glOptions=_TRANSLUCENT_NO_DEPTH, pxMode=True)
        for depth, item in (
            (7, self._start_halo),
            (8, self._start),
            (9, self._current_halo),
            (10, self._current),
        ):
            item.setDepthValue(depth)
        self._labels = _Labels()
        self._labels.setDepthValue(100)
        for item in (
            self._floor,
            self._surface,
            self._wire,
            self._current,
            self._current_halo,
            self._start,
            self._start_halo,
            self._labels,
        ):
            self.view.addItem(item)
        self._surface.setVisible(False)
        # the surface, its wireframe and the floor grid change only with the surface, the theme
        # or the camera: they are drawn from a cached layer while the paths animate
        self.view.set_static_items([self._floor, self._surface, self._wire])

        self._runs: list[RunStyle] = []
        self._items: list[_Run3D] = []
        self._verts: list[np.ndarray] = []
        # the (path, loss) arrays the vertices were made from (set_paths reuses them)
        self._given: list[tuple[np.ndarray, np.ndarray]] = []
        self._start_markers: tuple[np.ndarray, np.ndarray, float] | None = None
        self._t = 0
        self._axis_labels: list[_Label] = []
        self._crit_labels: list[_Label] = []
        self._caption: list[_Label] = []
        self._caption_text: str | None = None
        self._axis_titles = ("θ₁", "θ₂")
        self._crit_points: list[tuple[float, ...]] = []
        self.set_theme(theme)
        self.reset_camera()

    # ------------------------------------------------------------------ theme
    def set_theme(self, theme: Theme) -> None:
        """Apply the background and grid colours of ``theme``."""
        self._theme = theme
        self.view.setBackgroundColor(theme.background)
        self._rebuild_axes()
        self._update_caption()

    # -------------------------------------------------------------- transforms
    def data_to_world(self, xy: np.ndarray) -> np.ndarray:
        """Data ``(…, 2)`` → world x/y ``(…, 2)``."""
        a = np.asarray(xy, dtype=np.float64)
        out = np.empty(a.shape, dtype=np.float64)
        out[..., 0] = (a[..., 0] - self._cx) * self._kx
        out[..., 1] = (a[..., 1] - self._cy) * self._ky
        return out

    def height_transform(self, loss: np.ndarray | float) -> np.ndarray:
        """Displayed height (world z) of loss values; the surface and paths both use it.

        Non-finite losses map to the top of the box (the clip)."""
        return self._scale.height(loss) * self._zfactor

    def world_to_widget(self, points: np.ndarray) -> np.ndarray:
        """Project world points ``(N, 3)`` to view-widget pixels ``(N, 2)`` (x right, y down)."""
        pts = np.atleast_2d(np.asarray(points, dtype=np.float64))
        w, h = self.view.deviceWidth(), self.view.deviceHeight()
        region = (0, 0, w, h)
        mvp = self.view.projectionMatrix(region, region) * self.view.viewMatrix()
        out = np.empty((pts.shape[0], 2))
        for i, p in enumerate(pts):
            ndc = mvp.map(QVector3D(float(p[0]), float(p[1]), float(p[2])))
            out[i] = ((ndc.x() + 1) / 2 * self.view.width(), (1 - ndc.y()) / 2 * self.view.height())
        return out

    def loss_scale(self) -> LossScale:
        """The display scale of the current surface."""
        return self._scale

    # ---------------------------------------------------------------- surface
    def set_surface(
        self,
        x: np.ndarray,
        y: np.ndarray,
        z: np.ndarray,
        log_scale: bool | None = None,
    ) -> None:
        """Show the loss ``z[i, j] = L(x[i], y[j])`` as a shaded, colour-mapped surface.

        Args:
            x, y: grid coordinates ``(nx,)``, ``(ny,)``, increasing.
            z: loss ``(nx, ny)`` (``indexing="ij"``); NaN/inf are drawn grey at the top clip.
            log_scale: logarithmic height/colour (True), linear (False), automatic (None).
        """
        x, y, z = as_grid(x, y, z)
        xspan, yspan = float(x[-1] - x[0]), float(y[-1] - y[0])
        self._cx, self._cy = float(x[0] + xspan / 2), float(y[0] + yspan / 2)
        if comparable_ranges(xspan, yspan):
            self._kx = self._ky = 2.0 / max(xspan, yspan)
        else:
            self._kx, self._ky = 2.0 / xspan, 2.0 / yspan
        v = finite_values(z)  # clipped: differences of any two stay finite
        d = v - v.min() if v.size else v
        offset = None
        if d.size:
            # gentler log than the contour map's: 3D heights should keep the basin's shape
            p10 = float(np.percentile(d, 10.0))
            offset = p10 if p10 > 0 else None
        scale = LossScale.from_values(z, log_scale, offset=offset)
        self._scale = scale
        self._zfactor = HEIGHT / scale.h_cap if scale.h_cap > 0 else HEIGHT
        xw = (x - self._cx) * self._kx
        yw = (y - self._cy) * self._ky
        zw = self.height_transform(z)
        self._x, self._y, self._zw = xw, yw, zw
        self._given = []  # new heights and world scale: every path is transformed again

        colors = _shaded_colors(xw, yw, zw, scale.unit(z))
        self._surface.setData(
            x=xw.astype(np.float32),
            y=yw.astype(np.float32),
            z=zw.astype(np.float32),
            colors=colors.reshape(-1, 4),
        )
        self._surface.setVisible(True)
        self._wire.setData(pos=_wire_segments(xw, yw, zw), color=(0.0, 0.0, 0.0, 0.16), width=1.0)
        self.view.invalidate_static()
        self._xdata = (float(x[0]), float(x[-1]))
        self._ydata = (float(y[0]), float(y[-1]))
        self._rebuild_axes()
        self._rebuild_critical()
        self._update_caption()
        self.reset_camera()

    def _rebuild_axes(self) -> None:
        """Floor grid at tick values, tick labels and axis titles (on surface change/theme)."""
        theme = self._theme
        fg = QColor(theme.foreground)
        muted = QColor(theme.muted)
        grid = QColor(theme.grid)
        if self._x is None or self._y is None:
            self._floor.setData(pos=np.zeros((0, 3), np.float32))
            self.view.invalidate_static()
            self._axis_labels = []
            self._push_labels()
            return
        (x0, x1), (y0, y1) = self._xdata, self._ydata
        wx0, wx1 = (x0 - self._cx) * self._kx, (x1 - self._cx) * self._kx
        wy0, wy1 = (y0 - self._cy) * self._ky, (y1 - self._cy) * self._ky
        zf = -0.04
        segs: list[tuple[float, float, float]] = []

        def seg(a: tuple[float, float, float], b: tuple[float, float, float]) -> None:
            segs.extend((a, b))

        xt = nice_ticks(x0, x1, 5)
        yt = nice_ticks(y0, y1, 5)
        for t in xt:
            wx = (t - self._cx) * self._kx
            seg((wx, wy0, zf), (wx, wy1, zf))
        for t in yt:
            wy = (t - self._cy) * self._ky
            seg((wx0, wy, zf), (wx1, wy, zf))
        # border and vertical loss axis at the left corner
        seg((wx0, wy0, zf), (wx1, wy0, zf))
        seg((wx1, wy0, zf), (wx1, wy1, zf))
        seg((wx1, wy1, zf), (wx0, wy1, zf))
        seg((wx0, wy1, zf), (wx0, wy0, zf))
        seg((wx0, wy0, zf), (wx0, wy0, HEIGHT))
        zticks = self._z_ticks()
        for _, h in zticks:
            seg((wx0, wy0, h), (wx0 - 0.04, wy0 - 0.04, h))
        col = (grid.redF(), grid.greenF(), grid.blueF(), 0.85)
        self._floor.setData(pos=np.asarray(segs, dtype=np.float32), color=col, width=1.0)
        self.view.invalidate_static()

        tick_font = ui_font(8)
        title_font = ui_font(11, bold=True)
        labels: list[_Label] = []
        off = 0.13
        for t in xt:
            wx = (t - self._cx) * self._kx
            labels.append(_Label((wx, wy0 - off, zf), format_value(float(t)), muted, tick_font))
        for t in yt:
            wy = (t - self._cy) * self._ky
            labels.append(
                _Label((wx1 + off * 0.6, wy, zf), format_value(float(t)), muted, tick_font, "left")
            )
        labels.append(_Label(((wx0 + wx1) / 2, wy0 - 2.4 * off, zf), self._axis_titles[0], fg,
                              title_font))
        labels.append(_Label((wx1 + 2.6 * off, (wy0 + wy1) / 2, zf), self._axis_titles[1], fg,
                              title_font))
        for val, h in zticks:
            labels.append(
                _Label((wx0 - 0.1, wy0 + 0.04, h), format_value(val, 2), muted, tick_font, "right")
            )
        labels.append(_Label((wx0, wy0, HEIGHT + 0.12), "L", fg, title_font))
        self._axis_labels = labels
        self._push_labels()

    def _z_ticks(self) -> list[tuple[float, float]]:
        """Loss tick values and their world heights: round numbers in loss units
        (``Lmin + 10^k`` on a log height scale)."""
        sc = self._scale
        if sc.log:
            lo = math.floor(math.log10(sc.offset))
            hi = math.floor(math.log10(sc.d_cap))
            ks = list(range(lo, hi + 1))
            while len(ks) > 4:
                ks = ks[1::2] if len(ks) % 2 == 0 else ks[::2]
            ds = [0.0] + [10.0**k for k in ks]
            vals = [sc.zmin + d for d in ds]
        else:
            vals = list(nice_ticks(sc.zmin, sc.zmin + sc.d_cap, 3))
        out: list[tuple[float, float]] = []
        for v in vals:
            h = float(self.height_transform(v))
            if -1e-9 <= h <= HEIGHT * 1.0001 and (not out or h - out[-1][1] > 0.12 * HEIGHT):
                out.append((float(v), h))
        return out

    def set_axis_titles(self, x: str, y: str) -> None:
        """The floor axes' titles (default θ₁, θ₂), e.g. ``("a", "b")`` for a plane's
        coordinates."""
        self._axis_titles = (x, y)
        self._rebuild_axes()

    def set_caption(self, text: str | None = None) -> None:
        """Caption in the top-left corner; None (default) describes the height scale,
        ``""`` hides it."""
        self._caption_text = text
        self._update_caption()

    def caption(self) -> str:
        """The caption currently shown."""
        return self._caption[0].text if self._caption else ""

    def _update_caption(self) -> None:
        text = self._caption_text
        if text is None:
            sc = self._scale
            text = (QCoreApplication.translate("views", "height ∝ log(1 + (L − Lmin)/s)")
                    if sc.log else QCoreApplication.translate("views", "height ∝ L − Lmin"))
            if sc.clipped:
                text = QCoreApplication.translate("views", "{scale}, clipped above L = {z}").format(
                    scale=text, z=format_value(sc.zmin + sc.d_cap, 2))
            if self._x is None:
                text = ""
        fg = QColor(self._theme.muted)
        self._caption = (
            [_Label((8.0, 6.0, 0.0), text, fg, ui_font(8.5), screen=True)] if text else []
        )
        self._push_labels()

    def _push_labels(self) -> None:
        self._labels.set_labels(self._axis_labels + self._crit_labels + self._caption)

    # -------------------------------------------------------- critical points
    def set_critical_points(self, points: Sequence[tuple[float, ...]]) -> None:
        """Mark critical points ``(x, y, kind)`` or ``(x, y, kind, loss)`` with ★ ✕ ▲.

        Without a loss the height is read off the displayed mesh (bilinear)."""
        for p in points:
            if len(p) < 3 or p[2] not in CRITICAL_POINT_GLYPHS:
                raise ValueError(f"critical point must be (x, y, kind[, loss]), got {p!r}")
        self._crit_points = [tuple(p) for p in points]
        self._rebuild_critical()

    def _rebuild_critical(self) -> None:
        labels: list[_Label] = []
        if self._x is not None and self._y is not None and self._zw is not None:
            for p in self._crit_points:
                px, py, kind = float(p[0]), float(p[1]), str(p[2])
                wx, wy = self.data_to_world(np.array([px, py]))
                if len(p) > 3:
                    wz = float(self.height_transform(float(p[3])))
                else:
                    wz = _bilinear(self._x, self._y, self._zw, wx, wy)
                if not math.isfinite(wz):
                    continue
                size = 15 if kind == "minimum" else 12
                labels.append(
                    _Label(
                        (float(wx), float(wy), wz + LIFT),
                        CRITICAL_POINT_GLYPHS[kind],
                        QColor("#FFFFFF"),
                        ui_font(size),
                        halo=QColor(0, 0, 0, 200),
                    )
                )
        self._crit_labels = labels
        self._push_labels()

    # ------------------------------------------------------------------- runs
    def set_runs(self, runs: Sequence[RunStyle]) -> None:
        """Set the runs' styles; GL items are created only when the run count changes."""
        runs = list(runs)
        if len(runs) != len(self._items):
            for it in self._items[len(runs):]:  # only the runs removed or added at the end
                self.view.removeItem(it.ghost)
                self.view.removeItem(it.line)
            self._items = self._items[: len(runs)]
            for i in range(len(self._items), len(runs)):
                ghost = gl.GLLinePlotItem(glOptions=_TRANSLUCENT_NO_DEPTH, antialias=True)
                ghost.setDepthValue(5 + i * 0.01)
                line = gl.GLLinePlotItem(glOptions="translucent", antialias=True)
                line.setDepthValue(6 + i * 0.01)
                self.view.addItem(ghost)
                self.view.addItem(line)
                self._items.append(_Run3D(ghost, line))
            self._verts = self._verts[: len(runs)]
        self._runs = runs
        px = self.view.devicePixelRatioF()  # GL widths and point sizes are device pixels
        for style, it in zip(runs, self._items, strict=True):
            it.ghost.setData(color=style.rgba_f(0.35), width=2.0 * px)
            it.line.setData(color=style.rgba_f(1.0), width=3.0 * px)
        self._refresh_visibility()
        self._update_markers()

    def run_items(self, index: int) -> tuple[gl.GLLinePlotItem, gl.GLLinePlotItem]:
        """The GL items of run ``index``: (occluded-part ghost line, path line)."""
        it = self._items[index]
        return (it.ghost, it.line)

    def set_paths(self, paths: Sequence[np.ndarray], losses: Sequence[np.ndarray]) -> None:
        """Set the runs' paths ``(T_k+1, 2)`` and their losses ``(T_k+1,)`` (heights).

        Vertices are transformed once here; :meth:`set_current` only slices them."""
        if len(paths) != len(losses):
            raise ValueError(f"got {len(paths)} paths but {len(losses)} loss arrays")
        if len(paths) > len(self._items):
            raise ValueError(f"set_paths got {len(paths)} paths for {len(self._items)} runs")
        verts = []
        given = self._given
        self._given = [(p, loss) for p, loss in zip(paths, losses, strict=True)]
        for i, (p, loss) in enumerate(zip(paths, losses, strict=True)):
            if (i < len(given) and i < len(self._verts) and given[i][0] is p
                    and given[i][1] is loss):
                verts.append(self._verts[i])  # the same arrays: transformed already
                continue
            path = as_path(p, i)
            lv = np.asarray(loss, dtype=np.float64).ravel()
            if lv.shape[0] != path.shape[0]:
                raise ValueError(f"losses {i} has {lv.shape[0]} values for {path.shape[0]} points")
            n = finite_length(path)
            v = np.empty((n, 3), dtype=np.float32)
            v[:, :2] = self.data_to_world(path[:n])
            v[:, 2] = self.height_transform(lv[:n]) + LIFT
            verts.append(v)
        self._verts = verts
        self._refresh_visibility()
        self.set_current(self._t)

    def set_current(self, t: int) -> None:
        """Draw each path up to update ``t``; the current marker sits on ``path[min(t, T_k)]``."""
        self._t = max(int(t), 0)
        for v, it in zip(self._verts, self._items, strict=False):
            k = min(self._t, v.shape[0] - 1)
            seg = decimate(v[: k + 1])
            it.line.setData(pos=seg)
            it.ghost.setData(pos=seg)
        self._update_markers()

    def current_positions(self) -> list[np.ndarray | None]:
        """World position ``(3,)`` of each run's current point (None when it has none)."""
        out: list[np.ndarray | None] = []
        for i in range(len(self._items)):
            if i < len(self._verts) and self._verts[i].shape[0]:
                v = self._verts[i]
                out.append(v[min(self._t, v.shape[0] - 1)].copy())
            else:
                out.append(None)
        return out

    def _update_markers(self) -> None:
        cur, cur_col, start, start_col = [], [], [], []
        for i, (style, v) in enumerate(zip(self._runs, self._verts, strict=False)):
            if not style.visible or v.shape[0] == 0 or i >= len(self._items):
                continue
            cur.append(v[min(self._t, v.shape[0] - 1)])
            cur_col.append(style.rgba_f(1.0))
            start.append(v[0])
            start_col.append(style.rgba_f(1.0))
        if cur:
            px = self.view.devicePixelRatioF()  # point sizes are device pixels
            cp = np.asarray(cur, dtype=np.float32)
            sp = np.asarray(start, dtype=np.float32)
            self._current.setData(pos=cp, color=np.asarray(cur_col, np.float32), size=13.0 * px)
            self._current_halo.setData(pos=cp, color=(1.0, 1.0, 1.0, 1.0), size=17.0 * px)
            sc = np.asarray(start_col, np.float32)
            prev = self._start_markers
            if prev is None or not (np.array_equal(prev[0], sp) and np.array_equal(prev[1], sc)
                                    and prev[2] == px):
                # start markers change with the paths or styles, not with t
                self._start_markers = (sp, sc, px)
                self._start.setData(pos=sp, color=sc, size=8.0 * px)
                self._start_halo.setData(pos=sp, color=(0.05, 0.05, 0.06, 1.0), size=12.0 * px)
        for item in (self._current, self._current_halo, self._start, self._start_halo):
            if item.visible() != bool(cur):
                item.setVisible(bool(cur))

    def _refresh_visibility(self) -> None:
        for i, (style, it) in enumerate(zip(self._runs, self._items, strict=True)):
            show = style.visible and i < len(self._verts)
            it.ghost.setVisible(show)
            it.line.setVisible(show)

    # ----------------------------------------------------------------- camera
    def reset_camera(self) -> None:
        """Default view: elevation 30°, azimuth −60°, distance fitted to the surface box."""
        w = max(self.view.width(), 1)
        h = max(self.view.height(), 1)
        hfov = math.radians(self.view.opts.get("fov", 60))
        vfov = 2 * math.atan(math.tan(hfov / 2) * h / w)
        radius = math.sqrt(1.0 + 1.0 + (HEIGHT / 2) ** 2)
        dist = radius / math.sin(min(hfov, vfov) / 2) * 1.12
        self.view.setCameraPosition(
            pos=QVector3D(0.0, 0.0, HEIGHT * 0.38), distance=dist, elevation=30, azimuth=-60
        )
        self._fitted_camera = self._camera_key()

    def _camera_key(self) -> tuple[float, float, float]:
        o = self.view.opts
        return (float(o["distance"]), float(o["elevation"]), float(o["azimuth"]))

    def set_azimuth(self, deg: float) -> None:
        """Rotate the camera about the vertical axis (for exported orbits)."""
        self.view.setCameraPosition(azimuth=float(deg))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the default camera fitted to the new size while the user has not moved it."""
        super().resizeEvent(event)
        if self._fitted_camera is not None and self._camera_key() == self._fitted_camera:
            self.reset_camera()

    # ----------------------------------------------------------------- export
    def grab_image(self) -> np.ndarray:
        """The rendered view (labels included) as an ``(h, w, 3) uint8`` RGB array, in device
        pixels (``GLViewWidget.grabFramebuffer``; not the slow ``renderToArray``)."""
        return qimage_to_rgb(self.view.grabFramebuffer())

    def render_now(self) -> None:
        """Render one frame synchronously (benchmarks, tests): ``paintGL`` runs now, with the
        view's context and framebuffer bound, and the image painted next is this frame."""
        self.view.render_frame()


def _shaded_colors(xw: np.ndarray, yw: np.ndarray, zw: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Vertex colours ``(nx, ny, 4) float32``: colour map × baked Lambert shading.

    Normals come from the displayed mesh (world units), so the shading matches what is seen."""
    lut = surface_lut().astype(np.float32) / 255.0
    finite = np.isfinite(unit)
    idx = np.zeros(unit.shape, dtype=np.intp)
    idx[finite] = np.rint(unit[finite] * (lut.shape[0] - 1)).astype(np.intp)
    rgb = lut[idx, :3].copy()
    rgb[~finite] = (0.55, 0.55, 0.57)
    gx = np.gradient(zw, xw, axis=0)
    gy = np.gradient(zw, yw, axis=1)
    norm = np.sqrt(gx * gx + gy * gy + 1.0)
    light = np.array([-0.35, -0.55, 1.0])
    light /= np.linalg.norm(light)
    lambert = np.clip((-gx * light[0] - gy * light[1] + light[2]) / norm, 0.0, 1.0)
    shade = 0.42 + 0.58 * lambert
    out = np.empty((*unit.shape, 4), dtype=np.float32)
    out[..., :3] = np.clip(rgb * shade[..., None], 0.0, 1.0)
    out[..., 3] = 1.0
    return out


def _wire_segments(xw: np.ndarray, yw: np.ndarray, zw: np.ndarray) -> np.ndarray:
    """Line segments ``(2K, 3) float32`` of every k-th grid row and column of the mesh."""
    nx, ny = zw.shape
    si = max(1, round((nx - 1) / WIRE_LINES))
    sj = max(1, round((ny - 1) / WIRE_LINES))
    lift = 0.002
    X, Y = np.meshgrid(xw, yw, indexing="ij")
    P = np.stack((X, Y, zw + lift), axis=-1).astype(np.float32)  # (nx, ny, 3)
    rows = P[::si, :, :]  # lines of constant x
    cols = P[:, ::sj, :].transpose(1, 0, 2)  # lines of constant y
    segs = [np.stack((L[:, :-1], L[:, 1:]), axis=2).reshape(-1, 3) for L in (rows, cols)]
    return np.ascontiguousarray(np.concatenate(segs))


def _bilinear(xs: np.ndarray, ys: np.ndarray, zs: np.ndarray, x: float, y: float) -> float:
    """Bilinear sample of the displayed grid ``zs (nx, ny)`` at world ``(x, y)``."""
    if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
        return float("nan")
    i = int(np.clip(np.searchsorted(xs, x) - 1, 0, xs.size - 2))
    j = int(np.clip(np.searchsorted(ys, y) - 1, 0, ys.size - 2))
    tx = (x - xs[i]) / (xs[i + 1] - xs[i])
    ty = (y - ys[j]) / (ys[j + 1] - ys[j])
    z00, z10, z01, z11 = zs[i, j], zs[i + 1, j], zs[i, j + 1], zs[i + 1, j + 1]
    return float(
        (1 - tx) * (1 - ty) * z00 + tx * (1 - ty) * z10 + (1 - tx) * ty * z01 + tx * ty * z11
    )

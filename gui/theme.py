"""Colours, colour map, marker symbols and fonts shared by every view.

One colour per run, used the same way in the 3D surface, the contour map and the loss plot.
The run palette is Okabe–Ito without black (colour-blind safe); its order is chosen so the
first runs contrast with the surface colour map (``cividis``: navy → grey → yellow), where
the yellow run comes last because it vanishes on the colour map's high end and on white.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QGraphicsItem, QLabel

from gui.i18n import with_cjk

__all__ = [
    "CRITICAL_POINT_GLYPHS",
    "CRITICAL_POINT_LABELS",
    "CRITICAL_POINT_SYMBOLS",
    "DARK",
    "EIGEN_NEGATIVE",
    "EIGEN_POSITIVE",
    "LIGHT",
    "RUN_COLORS",
    "SURFACE_COLORMAP",
    "RunStyle",
    "Theme",
    "critical_point_label",
    "mono_font",
    "run_color",
    "surface_colormap",
    "surface_lut",
    "theme_named",
    "ui_font",
]

#: Okabe–Ito palette without black, ordered for contrast against ``cividis``.
RUN_COLORS: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion (after blue: next to the orange it is the pair most alike)
    "#F0E442",  # yellow
)

#: Perceptually uniform, colour-vision-deficiency friendly surface colour map.
SURFACE_COLORMAP = "cividis"

#: Hessian eigen-directions: negative curvature (escape direction) and positive curvature.
EIGEN_NEGATIVE = "#FF453A"
EIGEN_POSITIVE = "#B4D7FF"

#: pyqtgraph ``ScatterPlotItem`` symbols per critical-point kind.
CRITICAL_POINT_SYMBOLS: dict[str, str] = {"minimum": "star", "saddle": "x", "maximum": "t1"}
#: Unicode glyphs with the same shapes (3D view and legends).
CRITICAL_POINT_GLYPHS: dict[str, str] = {"minimum": "★", "saddle": "✕", "maximum": "▲"}
#: Human readable names.
CRITICAL_POINT_LABELS: dict[str, str] = {
    "minimum": QT_TRANSLATE_NOOP("views", "local minimum"),
    "saddle": QT_TRANSLATE_NOOP("views", "saddle point"),
    "maximum": QT_TRANSLATE_NOOP("views", "local maximum"),
}


def critical_point_label(kind: str) -> str:
    """The name of a critical point's kind, in the window's language."""
    name = CRITICAL_POINT_LABELS.get(kind)
    return QCoreApplication.translate("views", name) if name else kind


def run_color(index: int) -> QColor:
    """Colour of run ``index`` (cycles through :data:`RUN_COLORS`)."""
    return QColor(RUN_COLORS[index % len(RUN_COLORS)])


@dataclass(frozen=True)
class RunStyle:
    """How one optimiser run is drawn in every view.

    Attributes:
        label: Legend text, e.g. ``"momentum λ=0.9"``.
        color: Hex string (``"#E69F00"``) or anything ``QColor`` accepts.
        visible: Whether the run is drawn at all.
    """

    label: str
    color: str | QColor
    visible: bool = True

    def qcolor(self, alpha: float = 1.0) -> QColor:
        """The run colour as a new ``QColor`` with opacity ``alpha`` (0–1)."""
        c = QColor(self.color)
        c.setAlphaF(float(alpha))
        return c

    def rgba_f(self, alpha: float = 1.0) -> tuple[float, float, float, float]:
        """The run colour as an RGBA float tuple in 0–1 (OpenGL items)."""
        c = QColor(self.color)
        return (c.redF(), c.greenF(), c.blueF(), float(alpha))


@dataclass(frozen=True)
class Theme:
    """Background/foreground colours of one UI theme (hex strings)."""

    name: str
    background: str
    foreground: str
    grid: str
    muted: str
    contour: str = "#FFFFFF"
    halo: str = "#000000"
    label_fill: str = "#000000"

    def color(self, name: str, alpha: float = 1.0) -> QColor:
        """Named theme colour (``"background"``, ``"grid"``, …) with opacity ``alpha``."""
        c = QColor(getattr(self, name))
        c.setAlphaF(float(alpha))
        return c


LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    foreground="#202124",
    grid="#C8CCD2",
    muted="#6B7078",
    label_fill="#1E1F24",
)

DARK = Theme(
    name="dark",
    background="#1E1F24",
    foreground="#E6E6E6",
    grid="#4A4E57",
    muted="#9AA0A8",
    label_fill="#111216",
)


def theme_named(name: str) -> Theme:
    """The theme called ``"light"`` or ``"dark"``."""
    return LIGHT if name == "light" else DARK


def _luminance(c: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: str | QColor, b: str | QColor) -> float:
    """WCAG 2 contrast ratio of two colours, 1 … 21."""
    la, lb = sorted((_luminance(QColor(a)), _luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@lru_cache(maxsize=256)
def readable(color: str, background: str, ratio: float = 4.5) -> str:
    """``color`` as text on ``background``: its hue kept, made darker on a light background
    (lighter on a dark one) until the contrast is at least ``ratio`` (4.5: WCAG's level for
    normal text). Run colours stay recognisable and become legible in both themes."""
    c = QColor(color)
    h, s, lightness, _ = c.getHslF()
    toward_dark = _luminance(QColor(background)) > 0.18
    step = -0.02 if toward_dark else 0.02
    while contrast(c, background) < ratio and 0.0 < lightness < 1.0:
        lightness = min(1.0, max(0.0, lightness + step))
        c = QColor.fromHslF(max(h, 0.0), s, lightness)
    return c.name()


@lru_cache(maxsize=4)
def surface_colormap(name: str = SURFACE_COLORMAP) -> pg.ColorMap:
    """The surface colour map (shared by the 3D and contour views)."""
    cmap = pg.colormap.get(name)
    if cmap is None:  # pragma: no cover - bundled with pyqtgraph
        raise ValueError(f"Unknown colour map: {name!r}")
    return cmap


@lru_cache(maxsize=4)
def surface_lut(n: int = 256, name: str = SURFACE_COLORMAP) -> np.ndarray:
    """Lookup table ``(n, 4) uint8`` RGBA of the surface colour map (read-only)."""
    lut = np.asarray(surface_colormap(name).getLookupTable(nPts=n, alpha=True), dtype=np.uint8)
    lut = np.ascontiguousarray(lut.reshape(n, 4))
    lut.setflags(write=False)
    return lut


def ui_font(point_size: float = 9.0, bold: bool = False) -> QFont:
    """Proportional UI font (DejaVu Sans has θ, subscripts, ★ ✕ ▲)."""
    f = QFont("DejaVu Sans")
    f.setPointSizeF(point_size)
    f.setBold(bold)
    return with_cjk(f)


def style_axes(plot: pg.PlotItem, theme: Theme, x_label: str, y_label: str,
               label_pt: float = 10.0) -> None:
    """Theme the bottom and left axes of a 2D plot and set their labels.

    The axes are drawn from a cached pixmap: replaying an axis's ticks, labels and grid took
    ~2 ms per axis in every repaint that touched it (a curve changing anywhere in the plot)."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.setPen(pg.mkPen(theme.muted))
        axis.setTextPen(pg.mkPen(theme.foreground))
        axis.setTickFont(ui_font(8.5))
        axis.label.setFont(ui_font(label_pt))
    plot.setLabel("bottom", x_label, color=theme.foreground)
    plot.setLabel("left", y_label, color=theme.foreground)


def mute(label: QLabel) -> QLabel:
    """A secondary text, drawn in the palette's placeholder colour (the theme's muted colour,
    see ``gui.windows.mainwindow``): it follows a theme change with the palette. (A window
    style sheet for it had every widget re-polished on each theme change, and without that
    re-polish its widgets kept the old palette.)"""
    label.setObjectName("muted")
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def mono_font(point_size: float = 9.0) -> QFont:
    """Monospaced font for numbers (inspector, captions)."""
    f = QFont("DejaVu Sans Mono")
    f.setStyleHint(QFont.StyleHint.Monospace)
    f.setPointSizeF(point_size)
    return with_cjk(f)

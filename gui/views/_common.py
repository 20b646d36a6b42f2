"""Small helpers shared by the view widgets (input validation, frame capture)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget


def as_grid(
    x: np.ndarray, y: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a surface grid ``x (nx,)``, ``y (ny,)``, ``z (nx, ny)`` (``indexing="ij"``).

    Returns float64 copies-or-views. Raises ``ValueError`` with a specific message otherwise.
    """
    xa = np.asarray(x, dtype=np.float64).ravel()
    ya = np.asarray(y, dtype=np.float64).ravel()
    za = np.asarray(z, dtype=np.float64)
    if xa.size < 2 or ya.size < 2:
        raise ValueError(f"surface grid needs at least 2×2 points, got x={xa.size}, y={ya.size}")
    if za.shape != (xa.size, ya.size):
        raise ValueError(
            f"z must have shape (len(x), len(y)) = {(xa.size, ya.size)} (indexing='ij'), "
            f"got {za.shape}"
        )
    if not (np.all(np.isfinite(xa)) and np.all(np.isfinite(ya))):
        raise ValueError("surface x/y coordinates must be finite")
    if not (np.all(np.diff(xa) > 0) and np.all(np.diff(ya) > 0)):
        raise ValueError("surface x/y coordinates must be strictly increasing")
    return xa, ya, za


def as_path(path: np.ndarray, index: int) -> np.ndarray:
    """Validate one optimiser path ``(T+1, 2)``; returns a float64 array."""
    p = np.asarray(path, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 2 or p.shape[0] < 1:
        raise ValueError(f"path {index} must have shape (T+1, 2), got {p.shape}")
    return p


#: Most points of one drawn polyline: a path of a million updates drawn in full took seconds
#: per repaint (software OpenGL, QPainter); a plot is at most a few thousand pixels wide.
MAX_DRAWN = 20_000


def decimate(points: np.ndarray, limit: int = MAX_DRAWN,
             cell: tuple[float, float] | None = None) -> np.ndarray:
    """At most ``limit`` rows of ``points`` for drawing, always with the first and the last
    (the current point stays exact); ``points`` itself when short enough.

    ``cell`` (the size of a pixel in data units): long paths first drop the points that stay in
    the pixel of the point before them (a converged run's last 100,000 points are one pixel);
    then evenly strided rows down to ``limit``."""
    n = len(points)
    if n <= 2:
        return points
    if cell is not None and n > 1000 and cell[0] > 0 and cell[1] > 0:
        with np.errstate(all="ignore"):
            q = np.floor(points[:, :2] / np.asarray(cell, dtype=float))
        moved = np.ones(n, dtype=bool)
        moved[1:] = np.any(q[1:] != q[:-1], axis=1)  # NaN rows compare unequal: kept
        moved[-1] = True
        points = points[moved]
        n = len(points)
    if n <= limit:
        return points
    idx = np.unique(np.linspace(0, n - 1, limit).round().astype(np.intp))
    return points[idx]


#: Most points of a polyline drawn with antialiasing (after :func:`decimate` dropped the
#: points that stay in their pixel: a smooth path keeps about one point per pixel it crosses).
#: Qt strokes a wide antialiased polyline as one self-overlapping outline: the noisy SGD paths
#: of lesson 5 (~1,400 points each) took 0.56–0.64 s per repaint of the contour map here,
#: 0.05–0.10 s without antialiasing (issue 9).
MAX_AA_POINTS = 1000


def antialias_for(points: np.ndarray) -> bool:
    """Whether to antialias a polyline ``(n, 2)`` as drawn: at most :data:`MAX_AA_POINTS`."""
    return len(points) <= MAX_AA_POINTS


def finite_length(path: np.ndarray) -> int:
    """Number of leading rows of ``path`` that are finite (a diverged run stops there)."""
    bad = ~np.all(np.isfinite(path.reshape(path.shape[0], -1)), axis=1)
    return int(np.argmax(bad)) if bad.any() else int(path.shape[0])


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """``QImage`` → ``(h, w, 3) uint8`` RGB copy (row padding of RGB888 images removed)."""
    img = image.convertToFormat(QImage.Format.Format_RGB888)
    return pg.functions.ndarray_from_qimage(img).copy()


def grab_widget(widget: QWidget) -> np.ndarray:
    """Render ``widget`` (GL content included) to an ``(h, w, 3) uint8`` RGB array."""
    return qimage_to_rgb(widget.grab().toImage())

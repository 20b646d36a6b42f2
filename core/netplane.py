"""The network's path drawn on a plane through parameter space (Li et al. 2018).

θ ∈ ℝᴾ has thousands of coordinates; a picture has two. A plane through parameter space is
an origin o and two orthonormal directions d₁, d₂ (d₁·d₁ = d₂·d₂ = 1, d₁·d₂ = 0); its point
with coordinates (a, b) is θ(a, b) = o + a·d₁ + b·d₂, and the loss over the plane is
L(a, b) = L(o + a·d₁ + b·d₂) — a 2-D surface the app's contour and 3D views can show.

* :func:`pca_plane` — o = θ_final of a reference run, d₁, d₂ = the first two principal
  directions of the deviations θᵗ − θ_final along the paths (the right singular vectors of the
  matrix whose rows are θᵗ − θ_final, largest singular values first). ``explained`` = the
  share of Σₜ‖θᵗ − θ_final‖² each direction captures.
* :func:`endpoint_plane` — the plane through three points: the start θ⁰ (o) and two end points
  θ_A, θ_B: d₁ = (θ_A − θ⁰)/‖θ_A − θ⁰‖, d₂ = the part of θ_B − θ⁰ orthogonal to d₁, normed.
* :func:`project` — a path's coordinates on the plane, (a, b) = ((θ − o)·d₁, (θ − o)·d₂), and
  its distance from the plane ‖θ − o − a·d₁ − b·d₂‖: a projected point need not lie on the
  drawn surface (its loss L(θ) is the path's own, not L(a, b)).
* :func:`loss_grid` — L(a, b) on a grid (with progress and cancel).

Pure NumPy; nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.basins import Cancelled

__all__ = ["Plane", "endpoint_plane", "grid_range", "loss_grid", "pca_plane", "project"]


@dataclass(frozen=True)
class Plane:
    """o + a·d₁ + b·d₂: ``origin`` o, orthonormal ``d1``, ``d2`` (each (P,)), a ``kind``
    ("pca" or "endpoints"), a one-line ``description`` and, for PCA, ``explained`` (the
    shares of the deviations' squared length along d₁ and d₂)."""

    origin: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    kind: str
    description: str
    explained: tuple[float, float] | None = None

    def point(self, a: float, b: float) -> np.ndarray:
        """θ(a, b) = o + a·d₁ + b·d₂."""
        return self.origin + a * self.d1 + b * self.d2


def _unit(v: np.ndarray, what: str) -> np.ndarray:
    n = float(np.linalg.norm(v))
    if not np.isfinite(n) or n <= 1e-12 * max(1.0, float(np.max(np.abs(v), initial=0.0))):
        raise ValueError(f"{what}: the points do not span a plane (a direction has length 0)")
    return v / n


def pca_plane(paths: Sequence[np.ndarray], final: np.ndarray, label: str = "") -> Plane:
    """The plane through ``final`` spanned by the first two principal directions of θᵗ − θ_final.

    ``paths``: arrays (Tₖ, P) of θᵗ (one or more runs); the rows θᵗ − θ_final are stacked into a
    matrix M; M = U Σ Vᵀ, d₁, d₂ = the first two rows of Vᵀ (unit length, orthogonal), each
    signed so that the first path's start has a ≥ 0 and b ≥ 0 (a reproducible sign). Raises
    ValueError when the deviations do not span two directions.
    """
    o = np.asarray(final, dtype=np.float64).reshape(-1)
    rows = [np.asarray(p, dtype=np.float64).reshape(-1, o.size) for p in paths]
    m = np.concatenate(rows, axis=0) - o
    m = m[np.all(np.isfinite(m), axis=1)]
    if m.shape[0] < 2:
        raise ValueError("a PCA plane needs a path of at least 2 points")
    _, s, vt = np.linalg.svd(m, full_matrices=False)
    if s.size < 2 or s[1] <= 1e-12 * s[0]:
        raise ValueError("the path moves along one direction only: no second PCA direction")
    d1, d2 = vt[0].copy(), vt[1].copy()
    first = rows[0][0] - o
    if first @ d1 < 0:
        d1 = -d1
    if first @ d2 < 0:
        d2 = -d2
    total = float(np.sum(s**2))
    explained = (float(s[0] ** 2 / total), float(s[1] ** 2 / total))
    desc = (f"the plane through the end point θ_final{label} spanned by the first two PCA "
            f"directions of θᵗ − θ_final ({100 * explained[0]:.0f} % and "
            f"{100 * explained[1]:.0f} % of the path's variation)")
    return Plane(o, d1, d2, "pca", desc, explained)


def endpoint_plane(start: np.ndarray, end_a: np.ndarray, end_b: np.ndarray,
                   names: tuple[str, str] = ("A", "B")) -> Plane:
    """The plane through θ⁰ = ``start`` and the end points θ_A, θ_B (Gram–Schmidt)."""
    o = np.asarray(start, dtype=np.float64).reshape(-1)
    u = np.asarray(end_a, dtype=np.float64).reshape(-1) - o
    v = np.asarray(end_b, dtype=np.float64).reshape(-1) - o
    d1 = _unit(u, "end-point plane")
    d2 = _unit(v - (v @ d1) * d1, "end-point plane")
    desc = (f"the plane through the start θ⁰ (at (0, 0)) and the end points of {names[0]} "
            f"(on the a axis) and {names[1]}")
    return Plane(o, d1, d2, "endpoints", desc)


def project(plane: Plane, thetas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """((n, 2) coordinates (a, b), (n,) distances from the plane) of the rows of ``thetas``."""
    th = np.asarray(thetas, dtype=np.float64).reshape(-1, plane.origin.size)
    dev = th - plane.origin
    ab = np.stack([dev @ plane.d1, dev @ plane.d2], axis=1)
    rest = dev - ab[:, :1] * plane.d1 - ab[:, 1:] * plane.d2
    return ab, np.linalg.norm(rest, axis=1)


def grid_range(points: np.ndarray, margin: float = 0.25) -> tuple[tuple[float, float],
                                                                  tuple[float, float]]:
    """(a range, b range) covering ``points`` (n, 2) with ``margin`` of the span added on each
    side; both ranges get the larger span so the picture keeps its proportions."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    p = p[np.all(np.isfinite(p), axis=1)]
    if not len(p):
        return (-1.0, 1.0), (-1.0, 1.0)
    lo, hi = p.min(axis=0), p.max(axis=0)
    span = max(float(np.max(hi - lo)), 1e-6)
    mid = (lo + hi) / 2
    half = span / 2 + margin * span
    return ((float(mid[0] - half), float(mid[0] + half)),
            (float(mid[1] - half), float(mid[1] + half)))


def loss_grid(loss: Callable[[np.ndarray], float], plane: Plane, a: np.ndarray, b: np.ndarray,
              *, progress: Callable[[float], None] | None = None,
              should_stop: Callable[[], bool] | None = None) -> np.ndarray:
    """z[i, j] = L(o + a[i]·d₁ + b[j]·d₂) (``indexing="ij"``), NaN where not finite.

    ``loss(θ)`` evaluates one flat θ. At (a, b) = (0, 0) the point is o itself, bit for bit.
    Raises :class:`core.basins.Cancelled` when ``should_stop()`` turns true (checked per row).
    """
    av = np.asarray(a, dtype=np.float64).reshape(-1)
    bv = np.asarray(b, dtype=np.float64).reshape(-1)
    z = np.empty((av.size, bv.size))
    with np.errstate(all="ignore"):
        for i, ai in enumerate(av):
            if should_stop is not None and should_stop():
                raise Cancelled
            row = plane.origin + ai * plane.d1
            for j, bj in enumerate(bv):
                v = loss(row + bj * plane.d2)
                z[i, j] = v if np.isfinite(v) else np.nan
            if progress is not None:
                progress((i + 1) / av.size)
    return z

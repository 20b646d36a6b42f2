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
* :func:`compute_paths` — all of it for a :class:`core.netcli.Comparison`: the plane, the loss
  over it and the projected paths of the chosen runs with L, accuracy and ‖g‖ at every θᵗ
  (:class:`PathData`); :func:`path_point` is what the inspector and an export's overlay say
  about one run at one path point.

Pure NumPy; nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from core.cancel import StopFn, check
from core.netsettings import PLANES, RUN_SETS, batch_text, run_text
from core.texts import Text, Value, template, text

if TYPE_CHECKING:
    from core.netcli import Comparison

__all__ = [
    "PathData",
    "PathPoint",
    "Plane",
    "batch_name",
    "batch_text",
    "compute_paths",
    "endpoint_plane",
    "grid_range",
    "loss_grid",
    "path_point",
    "pca_plane",
    "project",
    "run_text",
]

_T_PCA = template("the plane through the end point θ_final{label} spanned by the first two PCA "
                  "directions of θᵗ − θ_final ({p1} and {p2} of the path's variation)")
_T_OF_RUN = template(" of {run}")
_T_ENDPOINTS = template("the plane through the start θ⁰ (at (0, 0)) and the end points of {a} "
                        "(on the a axis) and {b}")
_T_SEED_OF = template("{size} (seed {seed})")


@dataclass(frozen=True)
class Plane:
    """o + a·d₁ + b·d₂: ``origin`` o, orthonormal ``d1``, ``d2`` (each (P,)), a ``kind``
    ("pca" or "endpoints"), a one-line ``sentence`` (:class:`core.texts.Text`; its English:
    ``description``) and, for PCA, ``explained`` (the shares of the deviations' squared length
    along d₁ and d₂)."""

    origin: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    kind: str
    sentence: Text
    explained: tuple[float, float] | None = None

    @property
    def description(self) -> str:
        return str(self.sentence)

    def point(self, a: float, b: float) -> np.ndarray:
        """θ(a, b) = o + a·d₁ + b·d₂."""
        return self.origin + a * self.d1 + b * self.d2


def _unit(v: np.ndarray, what: str) -> np.ndarray:
    n = float(np.linalg.norm(v))
    if not np.isfinite(n) or n <= 1e-12 * max(1.0, float(np.max(np.abs(v), initial=0.0))):
        raise ValueError(f"{what}: the points do not span a plane (a direction has length 0)")
    return v / n


def pca_plane(paths: Sequence[np.ndarray], final: np.ndarray, label: Value = "") -> Plane:
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
    desc = text(_T_PCA, label=label, p1=f"{100 * explained[0]:.0f} %",
                p2=f"{100 * explained[1]:.0f} %")
    return Plane(o, d1, d2, "pca", desc, explained)


def endpoint_plane(start: np.ndarray, end_a: np.ndarray, end_b: np.ndarray,
                   names: tuple[Value, Value] = ("A", "B")) -> Plane:
    """The plane through θ⁰ = ``start`` and the end points θ_A, θ_B (Gram–Schmidt)."""
    o = np.asarray(start, dtype=np.float64).reshape(-1)
    u = np.asarray(end_a, dtype=np.float64).reshape(-1) - o
    v = np.asarray(end_b, dtype=np.float64).reshape(-1) - o
    d1 = _unit(u, "end-point plane")
    d2 = _unit(v - (v @ d1) * d1, "end-point plane")
    desc = text(_T_ENDPOINTS, a=names[0], b=names[1])
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
    Raises :class:`core.cancel.Cancelled` when ``should_stop()`` turns true (checked per row).
    """
    av = np.asarray(a, dtype=np.float64).reshape(-1)
    bv = np.asarray(b, dtype=np.float64).reshape(-1)
    z = np.empty((av.size, bv.size))
    with np.errstate(all="ignore"):
        for i, ai in enumerate(av):
            check(should_stop)
            row = plane.origin + ai * plane.d1
            for j, bj in enumerate(bv):
                v = loss(row + bj * plane.d2)
                z[i, j] = v if np.isfinite(v) else np.nan
            if progress is not None:
                progress((i + 1) / av.size)
    return z


# ---------------------------------------------------------------------------------------------
# A comparison's paths on a plane
# ---------------------------------------------------------------------------------------------


def batch_name(b: int, n_train: int) -> str:
    """:func:`batch_text` in English."""
    return str(batch_text(b, n_train))


@dataclass
class PathData:
    """The plane, the loss over it and the shown runs' projected paths.

    ``a``, ``b``: grid coordinates; ``z[i, j]`` = L(o + a[i]·d₁ + b[j]·d₂); per shown run
    (``keys`` = [(B, seed)], sorted by B then seed) ``coords`` (n, 2) = (a, b) of θᵗ,
    ``distance`` (n,) from the plane, ``updates`` (n,) = t, and at every θᵗ the training
    ``loss``, ``accuracy`` and the full gradient's length ``gnorm`` = ‖∇L(θᵗ)‖.
    ``batch_sizes``: every B of the comparison (ascending: a run's colour is its B's index);
    ``ref``: the run that defines the plane; ``n_train`` N; ``batches_per_epoch[B]`` = ⌈N/B⌉.
    """

    plane: Plane
    a: np.ndarray
    b: np.ndarray
    z: np.ndarray
    ref: tuple[int, int]
    batch_sizes: tuple[int, ...]
    n_train: int
    batches_per_epoch: dict[int, int]
    keys: list[tuple[int, int]] = field(default_factory=list)
    coords: list[np.ndarray] = field(default_factory=list)
    distance: list[np.ndarray] = field(default_factory=list)
    updates: list[np.ndarray] = field(default_factory=list)
    loss: list[np.ndarray] = field(default_factory=list)
    accuracy: list[np.ndarray] = field(default_factory=list)
    gnorm: list[np.ndarray] = field(default_factory=list)

    @property
    def steps(self) -> int:
        """The number of path points of the longest run."""
        return max((len(c) for c in self.coords), default=0)

    @property
    def path_every(self) -> int:
        """K: θᵗ was kept every K updates (1 for a path of one point)."""
        u = next((u for u in self.updates if len(u) >= 2), None)
        return 1 if u is None else int(u[1] - u[0])

    @property
    def t_max(self) -> int:
        """The last update of the longest path."""
        return max((int(u[-1]) for u in self.updates if len(u)), default=0)

    def label_text(self, i: int) -> Text:
        """``"B = 16, seed 0"`` of shown run ``i`` (:func:`run_text`)."""
        b, seed = self.keys[i]
        return run_text(b, seed, self.n_train)

    def label(self, i: int) -> str:
        """:meth:`label_text` in English."""
        return str(self.label_text(i))

    def size_index(self, i: int) -> int:
        """The index of shown run ``i``'s B among :attr:`batch_sizes` (its colour)."""
        return self.batch_sizes.index(self.keys[i][0])

    def index_at(self, t: int) -> int:
        """The path point k shown at update ``t``: the last k whose update (in the longest
        path) is ≤ t, i.e. ⌊t/K⌋ (0 ≤ k < steps)."""
        if not self.updates:
            return 0
        longest = max(self.updates, key=len)
        return max(0, int(np.searchsorted(longest, int(t), side="right")) - 1)


@dataclass(frozen=True)
class PathPoint:
    """One shown run at path point k: ``t`` = the update, ``epoch`` (done) and ``batch`` (of
    ``per_epoch``) = t's position in the epochs, L(θᵗ), accuracy, ‖g‖ = ‖∇L(θᵗ)‖ (full
    training set), the plane coordinates (a, b), the distance of θᵗ from the plane and
    ``ended``: the run has no point k (it stopped earlier; its last point is shown)."""

    t: int
    epoch: int
    batch: int
    per_epoch: int
    loss: float
    accuracy: float
    gnorm: float
    a: float
    b: float
    distance: float
    ended: bool


def path_point(d: PathData, i: int, k: int) -> PathPoint:
    """Shown run ``i`` at path point min(k, its last)."""
    j = max(0, min(int(k), len(d.coords[i]) - 1))
    t = int(d.updates[i][j])
    bpe = d.batches_per_epoch[d.keys[i][0]]
    a_, b_ = d.coords[i][j]
    return PathPoint(t, t // bpe, t % bpe, bpe, float(d.loss[i][j]), float(d.accuracy[i][j]),
                     float(d.gnorm[i][j]), float(a_), float(b_), float(d.distance[i][j]),
                     j < k)


def compute_paths(comp: Comparison, plane_kind: str, ref: tuple[int, int], grid: int,
                  runs: str = "seed", progress: Callable[[float], None] | None = None,
                  should_stop: StopFn | None = None) -> PathData:
    """The plane, the loss on a ``grid`` × ``grid`` grid over it and the projected paths.

    ``plane_kind``: ``"pca"`` (through the end point of run ``ref`` = (B, seed), the PCA of
    its path) or ``"endpoints"`` (through θ⁰ and the end points of the smallest and the largest
    B of ``ref``'s seed). ``runs``: ``"seed"`` draws every B of ``ref``'s seed (one θ⁰),
    ``"all"`` every run of the comparison (other seeds start elsewhere: their paths may lie far
    from the plane, which :attr:`PathData.distance` says). The grid covers every drawn path.
    Raises ValueError without kept paths, :class:`core.cancel.Cancelled` on ``should_stop``.
    """
    if plane_kind not in PLANES:
        raise ValueError(f"plane: choose {' or '.join(PLANES)} (got {plane_kind!r})")
    if runs not in RUN_SETS:
        raise ValueError(f"runs: choose {' or '.join(RUN_SETS)} (got {runs!r})")
    net, data = comp.net, comp.data
    if not comp.paths:
        raise ValueError("no paths were kept: run the comparison again")
    ref = (int(ref[0]), int(ref[1])) if tuple(ref) in comp.paths else next(iter(comp.paths))
    seed = ref[1]
    keys = sorted(k for k in comp.paths if runs == "all" or k[1] == seed)
    paths = {k: np.array([th for _, th in comp.paths[k]]) for k in keys}
    n = data.n_train
    if plane_kind == "pca":
        plane = pca_plane([paths[ref]], comp.ends[ref],
                          text(_T_OF_RUN, run=run_text(ref[0], seed, n)))
    else:
        mine = sorted(k for k in comp.paths if k[1] == seed)
        small, large = mine[0], mine[-1]
        if small == large:
            raise ValueError("the end-point plane needs two batch sizes")
        plane = endpoint_plane(comp.paths[small][0][1], comp.ends[small], comp.ends[large],
                               (batch_text(small[0], n),
                                text(_T_SEED_OF, size=batch_text(large[0], n), seed=str(seed))))
    coords = {k: project(plane, p) for k, p in paths.items()}
    (a0, a1), (b0, b1) = grid_range(np.concatenate([c[0] for c in coords.values()]))
    a = np.linspace(a0, a1, grid)
    b = np.linspace(b0, b1, grid)
    # the grid should contain (0, 0) exactly: the plane's origin (the end point for PCA)
    a[np.argmin(np.abs(a))] = 0.0
    b[np.argmin(np.abs(b))] = 0.0
    a.sort()
    b.sort()
    x, y = data.x_train, data.y_train

    def loss(th: np.ndarray) -> float:
        return net.loss_value(th, x, y)

    total_points = sum(len(p) for p in paths.values())
    share = grid * grid / (grid * grid + 2 * total_points)

    def grid_progress(f: float) -> None:
        if progress is not None:
            progress(share * f)

    z = loss_grid(loss, plane, a, b, progress=grid_progress, should_stop=should_stop)
    sizes = tuple(sorted({k[0] for k in comp.ends}))
    out = PathData(plane, a, b, z, ref, sizes, n, dict(comp.batches_per_epoch))
    done = 0
    for k in keys:
        ls, acc, gn = [], [], []
        for th in paths[k]:
            check(should_stop)
            with np.errstate(all="ignore"):
                lv, av = net.evaluate(th, x, y)
                _, g = net.loss_grad(th, x, y)
            ls.append(lv)
            acc.append(av)
            gn.append(float(np.linalg.norm(g)))
            done += 1
            if progress is not None:
                progress(share + (1 - share) * done / total_points)
        out.keys.append(k)
        out.coords.append(coords[k][0])
        out.distance.append(coords[k][1])
        out.updates.append(np.array([t for t, _ in comp.paths[k]]))
        out.loss.append(np.array(ls))
        out.accuracy.append(np.array(acc))
        out.gnorm.append(np.array(gn))
    return out

"""Many runs at once: the vectorized ensemble, where runs end, and basins of attraction.

:class:`Ensemble` steps K runs of ONE optimizer (one η, λ, …) as a ``(K, 2)`` array θ, each run
with its own start θ⁰, batch size and shuffle seed. It keeps only the current θ (no record), so
K = 10,000 runs cost memory for K points, not K trajectories. Its arithmetic is exactly that of
:func:`core.run.simulate`: update t of run k takes the batch bᵗ of the run's
:class:`~core.sampler.BatchSchedule`, computes g = Σᵢ wᵢ ∇ℓᵢ(θ) with the problem's weights
(:meth:`core.problem.Problem.batch_grad_block`; wᵢ = 1/|b| on the batch), and lets the optimizer
move, θᵗ⁺¹ = θᵗ + Δᵗ — so every run ends on the same bits as when simulated alone.

Where does a run end? :func:`end_labels` gives, for final points θ, the index of the minimum of
L (``problem.critical_points()``, kind "minimum", in that order) that θ lies within
:func:`capture_radius` of, or −1 (near no minimum, or diverged). A run "ends in minimum j" when
``label == j``; it is "stuck at a saddle" when it ends within the same radius of a saddle point.

:func:`basin_map` runs the selected run's optimizer and settings from every point of a grid of
starts (e.g. 100 × 100, K = 10,000 runs at once) and labels each start by the minimum its run
ends in: the basins of attraction. Comparing GD with momentum shows how momentum changes where a
start ends (:func:`basin_changes`).

Long computations take ``progress(fraction)`` and ``should_stop()`` callables (the window runs
them off its GUI thread) and raise :class:`Cancelled` when ``should_stop()`` returns True.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from core.analysis import eigen, kind_of
from core.cancel import Cancelled
from core.cancel import check as _check
from core.optim import OPTIMIZERS, make_optimizer
from core.problem import CriticalPoint, Problem
from core.run import divergence_bound
from core.sampler import BatchSchedule
from core.scenario import RunConfig

#: Longest time between two progress reports of :meth:`Ensemble.run` (when updates are slow).
REPORT_SECONDS = 0.5

ProgressFn = Callable[[float], None]
"""Called with the fraction of the work done, in [0, 1]."""
StopFn = Callable[[], bool]
"""Returns True when the caller wants the computation to stop (then :class:`Cancelled`)."""

#: Elements (rows × batch width) of one gradient evaluation: chunks of θ stay in the CPU cache.
CHUNK_ELEMENTS = 1 << 14
#: Elements (updates × runs × width) of the batch weights gathered per block.
BLOCK_ELEMENTS = 1 << 22
#: Longest block of updates whose batches are gathered at once.
MAX_BLOCK = 512
#: Upper limit of :func:`capture_radius`.
MAX_RADIUS = 0.25
#: The largest basin map: grid × grid starts.
MAX_GRID = 400


# ---------------------------------------------------------------------------------------------
# The ensemble: K runs stepping together
# ---------------------------------------------------------------------------------------------


@dataclass
class EnsembleResult:
    """Where K runs ended.

    ``theta``: (K, 2) the final θ (for a diverged run: its last finite θ inside the bound);
    ``updates``: (K,) updates made (a diverged run: the updates before it left the bound);
    ``diverged``: (K,) True where θ or g became non-finite or |θ| left the divergence bound.
    """

    theta: np.ndarray
    updates: np.ndarray
    diverged: np.ndarray


class Ensemble:
    """K runs of one optimizer, stepping together on mini-batches (vectorized over K).

    ``starts``: (K, 2) θ⁰ of every run; ``batch_sizes`` and ``seeds``: one value for all runs
    or one per run. ``hyper``: the optimizer's hyperparameters (η as ``lr``, λ as
    ``momentum``, …), the same for every run; ``schedule``: η_t (None: constant). Runs
    sharing (batch size, seed) share their
    batches, which are then gathered once for all of them.
    """

    def __init__(
        self,
        problem: Problem,
        optimizer: str,
        hyper: Mapping[str, Any],
        starts: np.ndarray,
        batch_sizes: int | Sequence[int] | np.ndarray,
        seeds: int | Sequence[int] | np.ndarray = 0,
        drop_last: bool = False,
        bound: float | None = None,
        schedule: Any = None,
    ) -> None:
        theta = np.array(starts, dtype=float).reshape(-1, 2)
        k = len(theta)
        if k == 0:
            raise ValueError("an ensemble needs at least one run")
        if not np.all(np.isfinite(theta)):
            raise ValueError("every start θ⁰ must be finite")
        sizes = np.broadcast_to(np.asarray(batch_sizes, dtype=np.int64), (k,))
        seed_arr = np.broadcast_to(np.asarray(seeds, dtype=np.int64), (k,))
        n = problem.n
        bad = sizes[(sizes < 1) | (sizes > n)]
        if len(bad):
            raise ValueError(f"batch size must be in 1..{n} (N = {n}) (got {int(bad[0])})")
        self.problem = problem
        self.k = k
        self.optimizer_name = optimizer
        self.optimizer = make_optimizer(optimizer, schedule=schedule, **dict(hyper))
        self.theta = theta
        self.state = self.optimizer.init(theta)
        self.t = 0
        self.bound = divergence_bound(problem) if bound is None else float(bound)
        self.alive = np.ones(k, dtype=bool)
        self.last_good = theta.copy()
        self.bad_at = np.full(k, -1, dtype=np.int64)
        # Runs sharing a schedule: (batch size, seed) -> rows.
        keys: dict[tuple[int, int], list[int]] = {}
        for r, (b, s) in enumerate(zip(sizes.tolist(), seed_arr.tolist(), strict=True)):
            keys.setdefault((b, s), []).append(r)
        self._schedules = {key: BatchSchedule(n, key[0], key[1], drop_last) for key in keys}
        # Gradient groups: rows evaluated with one batch width.
        self._groups: list[_GradGroup] = []
        if problem.masked:
            self._groups.append(_GradGroup(n, list(keys.items())))
        else:
            by_size: dict[int, list[tuple[tuple[int, int], list[int]]]] = {}
            for key, rows in keys.items():
                by_size.setdefault(key[0], []).append((key, rows))
            for b, members in by_size.items():
                self._groups.append(_GradGroup(b, members))
        self.batches_per_epoch = np.array(
            [self._schedules[(int(b), int(s))].batches_per_epoch
             for b, s in zip(sizes, seed_arr, strict=True)], dtype=np.int64)

    @classmethod
    def from_config(cls, problem: Problem, config: RunConfig, starts: np.ndarray | None = None,
                    seeds: int | Sequence[int] | np.ndarray | None = None,
                    batch_sizes: int | Sequence[int] | np.ndarray | None = None,
                    bound: float | None = None) -> Ensemble:
        """Runs with ``config``'s optimizer and hyperparameters (η, λ, …).

        Start, seed and batch size default to the config's; give arrays to vary them.
        """
        return cls(
            problem, config.optimizer, config.params,
            np.array([config.start], float) if starts is None else starts,
            config.batch_size if batch_sizes is None else batch_sizes,
            config.seed if seeds is None else seeds,
            config.drop_last, bound, config.schedule,
        )

    # -- one update ----------------------------------------------------------------------------
    def step(self, should_stop: StopFn | None = None) -> np.ndarray:
        """Update t for all K runs; returns the batch gradients gᵗ (K, 2).

        ``should_stop`` is also asked between the blocks of batches loaded (a block of a large
        ensemble takes seconds to gather): :class:`Cancelled` when it returns True."""
        t = self.t
        g = np.empty((self.k, 2))
        th = self.theta
        problem = self.problem
        with np.errstate(all="ignore"):
            for grp in self._groups:
                if not grp.covers(t):
                    _check(should_stop)
                    grp.load(problem, self._schedules, t, should_stop)
                grp.grad(problem, th, t, g)
            delta, self.state = self.optimizer.update(g, self.state, th)
            new = th + delta
            # |θ| ≤ bound is False for NaN and ±inf too
            ok = (np.abs(new) <= self.bound).all(axis=1) & np.isfinite(g).all(axis=1)
        broke = self.alive & ~ok
        if broke.any():
            self.last_good[broke] = th[broke]
            self.bad_at[broke] = t
            self.alive &= ok
        self.theta = new
        self.t = t + 1
        return g

    def run(self, steps: int | Sequence[int] | np.ndarray, progress: ProgressFn | None = None,
            should_stop: StopFn | None = None) -> EnsembleResult:
        """Make ``steps`` updates (one count for all, or one per run) and say where runs end.

        A run with fewer steps than the others stops moving in the result at its own count
        (the ensemble keeps stepping it; its θ after ``steps[k]`` updates is what is kept).
        """
        counts = np.broadcast_to(np.asarray(steps, dtype=np.int64), (self.k,))
        if np.any(counts < 0):
            raise ValueError("the number of updates must be ≥ 0")
        total = int(counts.max()) if self.k else 0
        final = self.theta.copy()
        final_alive = self.alive.copy()
        report_every = max(1, total // 200)
        if progress is not None:
            progress(0.0)
        reported = time.monotonic()  # also report every REPORT_SECONDS (slow updates)
        t0 = self.t
        while self.t < t0 + total:
            if should_stop is not None and should_stop():
                raise Cancelled("stopped before the end")
            self.step(should_stop)
            ended = counts == self.t - t0
            if ended.any():
                final[ended] = self.theta[ended]
                final_alive[ended] = self.alive[ended]
            if progress is not None and ((self.t - t0) % report_every == 0
                                         or time.monotonic() - reported > REPORT_SECONDS):
                reported = time.monotonic()
                progress((self.t - t0) / total)
        theta = np.where(final_alive[:, None], final, self.last_good)
        updates = np.where(final_alive, counts, np.maximum(self.bad_at, 0))
        if progress is not None:
            progress(1.0)
        return EnsembleResult(theta, updates.astype(np.int64), ~final_alive)


class _GradGroup:
    """Rows of an ensemble whose batch gradients are computed with one batch width.

    Masked problems (small N) use weights over all N examples for every batch size; otherwise
    one group per batch size gathers the batch's examples.
    """

    def __init__(self, width: int, members: list[tuple[tuple[int, int], list[int]]]) -> None:
        self.width = width
        self.members = members
        rows = np.concatenate([np.asarray(r, dtype=np.intp) for _, r in members])
        order = np.sort(rows)
        self.rows: slice | np.ndarray
        if len(order) and np.array_equal(order, np.arange(order[0], order[0] + len(order))):
            self.rows = slice(int(order[0]), int(order[0]) + len(order))
            self.row_index = order
        else:
            self.rows = order
            self.row_index = order
        self.shared = len(members) == 1
        self.start = -1
        self.length = 0
        self.data: tuple[np.ndarray, ...] = ()

    def covers(self, t: int) -> bool:
        return self.start >= 0 and self.start <= t < self.start + self.length

    def load(self, problem: Problem, schedules: Mapping[tuple[int, int], BatchSchedule],
             start: int, should_stop: StopFn | None = None) -> None:
        """Gather the batches (as weights, or as gathered examples) of a block of updates
        (asking ``should_stop`` between the schedules: :class:`Cancelled`)."""
        k = len(self.row_index)
        per_update = self.width if self.shared else k * self.width
        length = int(np.clip(BLOCK_ELEMENTS // max(1, per_update), 1, MAX_BLOCK))
        stop = start + length
        n = problem.n
        pos = {int(r): i for i, r in enumerate(self.row_index)} if not self.shared else {}
        if problem.masked:
            if self.shared:
                (key, _), = self.members
                idx, sizes = schedules[key].index_block(start, stop)
                w = np.zeros((length, n))
                np.put_along_axis(w, idx, (1.0 / sizes)[:, None], axis=1)
                self.data = (w,)
            else:
                w = np.zeros((length, k, n))
                for key, rows in self.members:
                    _check(should_stop)
                    idx, sizes = schedules[key].index_block(start, stop)
                    ws = np.zeros((length, n))
                    np.put_along_axis(ws, idx, (1.0 / sizes)[:, None], axis=1)
                    w[:, [pos[r] for r in rows], :] = ws[:, None, :]
                self.data = (w,)
        else:
            if self.shared:
                (key, _), = self.members
                idx, sizes = schedules[key].index_block(start, stop)
                self.data = (problem.batch_examples(idx), sizes)
            else:
                ind = np.empty((length, k, self.width), dtype=np.intp)
                sizes = np.empty(length, dtype=np.intp)
                for key, rows in self.members:
                    _check(should_stop)
                    idx, sizes = schedules[key].index_block(start, stop)
                    ind[:, [pos[r] for r in rows], :] = idx[:, None, :]
                self.data = (problem.batch_examples(ind), sizes)
        self.start = start
        self.length = length

    def grad(self, problem: Problem, theta: np.ndarray, t: int, out: np.ndarray) -> None:
        """Write the batch gradients of update t of this group's rows into ``out``."""
        r = t - self.start
        th = theta[self.rows]
        k = len(th)
        g = np.empty((k, 2)) if not isinstance(self.rows, slice) else out[self.rows]
        if problem.masked:
            (w,) = self.data
            e = problem.examples
            wr = w[r]
            step = max(1, CHUNK_ELEMENTS // problem.n)
            for s in range(0, k, step):
                wc = wr if self.shared else wr[s : s + step]
                problem.batch_grad_block(th[s : s + step], e, wc, g[s : s + step])
        else:
            eb, sizes = self.data
            size = int(sizes[r])
            er = eb[:, r]
            if er.shape[-1] != size:
                er = er[..., :size]
            w = 1.0 / size
            step = max(1, CHUNK_ELEMENTS // size)
            for s in range(0, k, step):
                ec = er if self.shared else er[:, s : s + step]
                problem.batch_grad_block(th[s : s + step], ec, w, g[s : s + step])
        if not isinstance(self.rows, slice):
            out[self.rows] = g


# ---------------------------------------------------------------------------------------------
# Where runs end
# ---------------------------------------------------------------------------------------------


def minima_of(problem: Problem) -> list[CriticalPoint]:
    """The minima of L, in the order of ``problem.critical_points()`` (labels index these)."""
    return [c for c in problem.critical_points() if c.kind == "minimum"]


def saddles_of(problem: Problem) -> list[CriticalPoint]:
    """The saddle points of L, in the order of ``problem.critical_points()``."""
    return [c for c in problem.critical_points() if c.kind == "saddle"]


def capture_radius(points: Sequence[CriticalPoint]) -> float:
    """How close a final θ must be to a critical point to count as "ending" there.

    A quarter of the smallest distance between two known critical points, at most
    :data:`MAX_RADIUS` (0.25); so the discs around the points never overlap.
    """
    pts = np.array([c.theta for c in points], dtype=float).reshape(-1, 2)
    if len(pts) < 2:
        return MAX_RADIUS
    d = np.linalg.norm(pts[:, None, :] - pts[None, :, :], axis=-1)
    d[np.diag_indices(len(pts))] = np.inf
    return float(min(MAX_RADIUS, 0.25 * d.min()))


def nearest_label(points: Sequence[CriticalPoint], theta: np.ndarray, radius: float
                  ) -> np.ndarray:
    """Index j of the point with ‖θ − θ_j‖ ≤ radius for every θ of shape (..., 2), else −1."""
    theta = np.asarray(theta, dtype=float)
    labels = np.full(theta.shape[:-1], -1, dtype=np.int64)
    if not points:
        return labels
    pts = np.array([c.theta for c in points], dtype=float)
    with np.errstate(all="ignore"):
        d = np.linalg.norm(theta[..., None, :] - pts, axis=-1)  # (..., P)
    d = np.where(np.isfinite(d), d, np.inf)
    j = np.argmin(d, axis=-1)
    near = np.take_along_axis(d, j[..., None], axis=-1)[..., 0] <= radius
    labels[near] = j[near]
    return labels


@dataclass(frozen=True)
class EndLabels:
    """Where final points lie: ``minimum`` indexes :attr:`minima` (−1: none), ``saddle``
    indexes :attr:`saddles` (−1: none); ``radius`` is the capture radius used."""

    minimum: np.ndarray
    saddle: np.ndarray
    minima: tuple[CriticalPoint, ...]
    saddles: tuple[CriticalPoint, ...]
    radius: float


def end_labels(problem: Problem, theta: np.ndarray, diverged: np.ndarray | None = None,
               radius: float | None = None,
               points: Sequence[CriticalPoint] | None = None) -> EndLabels:
    """Label final points θ (..., 2) by the minimum and the saddle point they lie near.

    ``points``: the critical points to use (default: the known ones,
    ``problem.critical_points()``; :func:`find_critical_points` finds them on any surface).
    ``radius`` defaults to :func:`capture_radius` of those points; diverged runs (and
    non-finite θ) get −1 for both.
    """
    crit = list(problem.critical_points() if points is None else points)
    minima = tuple(c for c in crit if c.kind == "minimum")
    saddles = tuple(c for c in crit if c.kind == "saddle")
    r = capture_radius(crit) if radius is None else float(radius)
    mins = nearest_label(minima, theta, r)
    sads = nearest_label(saddles, theta, r)
    if diverged is not None:
        mins[np.asarray(diverged, bool)] = -1
        sads[np.asarray(diverged, bool)] = -1
    return EndLabels(mins, sads, minima, saddles, r)


#: Starts a side of the coarse grid from which :func:`find_critical_points` runs Newton's method.
FIND_GRID = 24
#: Cells a side in which :func:`find_critical_points` keeps one of the given starts.
FIND_CELLS = 200
#: Kinds of critical points :func:`find_critical_points` keeps (degenerate ones cannot be told).
FOUND_KINDS = ("minimum", "saddle", "maximum")


def find_critical_points(
    problem: Problem,
    starts: np.ndarray | None = None,
    grid: int = FIND_GRID,
    range_: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> list[CriticalPoint]:
    """The critical points of L (∇L(θ) = 0) near the display range, found on any surface.

    Newton's method θ ← θ − H⁻¹∇L with the exact gradient and Hessian
    (:meth:`Problem.refine_many`) from every point of a ``grid`` × ``grid`` grid over
    ``range_`` (default: the surface's display range) and from ``starts`` (e.g. the end
    points of runs, (M, 2); one per cell of a 200 × 200 grid over the range). Converged
    points within the range widened by half its size on each side are de-duplicated (closer
    than 10⁻⁶ of the range's size) and classified by the Hessian's eigenvalues
    (:func:`core.analysis.kind_of`: both > 0 minimum, both < 0 maximum, mixed signs saddle;
    degenerate ones are dropped). The surface's known points (``problem.critical_points()``)
    come first, in their order, so labels keep their meaning; the points found besides them
    follow, ordered by kind (minima, saddles, maxima), then by loss and θ.
    """
    (x0, x1), (y0, y1) = range_ or problem.surface.range
    gx, gy = np.meshgrid(np.linspace(x0, x1, int(grid)), np.linspace(y0, y1, int(grid)),
                         indexing="ij")
    seeds = [np.column_stack([gx.ravel(), gy.ravel()])]
    if starts is not None:
        s = np.asarray(starts, dtype=float).reshape(-1, 2)
        s = s[np.all(np.isfinite(s), axis=1)]
        # one start per cell of 1/FIND_CELLS of the range: end points crowd around the same
        # few points, and Newton's method from neighbours finds the same critical point
        cell = np.floor((s - (x0, y0)) / ((x1 - x0) / FIND_CELLS, (y1 - y0) / FIND_CELLS))
        _, first = np.unique(cell, axis=0, return_index=True)
        seeds.append(s[np.sort(first)])
    p, ok = problem.refine_many(np.concatenate(seeds))
    wx, wy = 0.5 * (x1 - x0), 0.5 * (y1 - y0)
    inside = ((p[:, 0] >= x0 - wx) & (p[:, 0] <= x1 + wx)
              & (p[:, 1] >= y0 - wy) & (p[:, 1] <= y1 + wy))
    p = p[ok & inside]
    known = list(problem.critical_points())
    tol = 1e-6 * max(1.0, x1 - x0, y1 - y0)
    kept: list[np.ndarray] = [np.array(c.theta) for c in known]
    new: list[np.ndarray] = []
    for q in p[np.lexsort((p[:, 1], p[:, 0]))]:
        if kept and np.min(np.linalg.norm(np.array(kept) - q, axis=1)) <= tol:
            continue
        kept.append(q)
        new.append(q)
    if not new:
        return known
    pts = np.array(new)
    with np.errstate(all="ignore"):
        loss = problem.loss(pts)
        grad = problem.grad(pts)
        hess = problem.hessian(pts)
    found = []
    for k, q in enumerate(pts):
        if not np.all(np.isfinite(hess[k])) or not np.isfinite(loss[k]):
            continue
        kind = kind_of(grad[k], eigen(hess[k])[0], float(loss[k]))
        if kind in FOUND_KINDS:
            found.append(CriticalPoint((float(q[0]), float(q[1])), kind, float(loss[k])))
    found.sort(key=lambda c: (FOUND_KINDS.index(c.kind), c.value, c.theta))
    return known + found


# ---------------------------------------------------------------------------------------------
# Basins of attraction
# ---------------------------------------------------------------------------------------------


@dataclass
class BasinMap:
    """Which minimum the run from every start of a grid ends in.

    Arrays are indexed ``[i, j]`` for the start (xs[i], ys[j]) like
    :meth:`Problem.loss_grid`. ``labels``: index into :attr:`minima`, −1 for none or diverged;
    ``final_theta``: (nx, ny, 2); ``final_loss``: L at the final θ (NaN where diverged).
    """

    config: RunConfig
    xs: np.ndarray
    ys: np.ndarray
    labels: np.ndarray
    final_theta: np.ndarray
    final_loss: np.ndarray
    diverged: np.ndarray
    minima: tuple[CriticalPoint, ...]
    radius: float
    steps: int
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def starts(self) -> np.ndarray:
        """(nx, ny, 2): the start θ⁰ of every run."""
        gx, gy = np.meshgrid(self.xs, self.ys, indexing="ij")
        return np.stack([gx, gy], axis=-1)

    def fractions(self) -> dict[int, float]:
        """Share of the starts ending in each minimum (key −1: none/diverged)."""
        total = self.labels.size
        keys = [*range(len(self.minima)), -1]
        return {j: float(np.count_nonzero(self.labels == j)) / total for j in keys}

    def label_at(self, x: float, y: float) -> int:
        """The label of the grid start nearest to (x, y)."""
        i = int(np.argmin(np.abs(self.xs - x)))
        j = int(np.argmin(np.abs(self.ys - y)))
        return int(self.labels[i, j])


def basin_map(
    problem: Problem,
    config: RunConfig,
    grid: int | tuple[int, int] = 100,
    range_: tuple[tuple[float, float], tuple[float, float]] | None = None,
    steps: int | None = None,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    radius: float | None = None,
) -> BasinMap:
    """Run ``config`` (optimizer, η, λ, batch size, shuffle seed) from every start of a grid.

    The grid has ``grid`` × ``grid`` starts (or (nx, ny)) spanning ``range_`` (default: the
    surface's display range), endpoints included; every run makes ``steps`` updates (default:
    ``config.steps``). All runs step together; run k's final θ has exactly the bits of
    ``simulate(problem, [replace(config, start=start_k)])``. Raises :class:`Cancelled`.
    """
    import time

    nx, ny = (grid, grid) if isinstance(grid, int) else grid
    for n_ in (nx, ny):
        if not 2 <= int(n_) <= MAX_GRID:
            raise ValueError(f"the basin grid must have 2..{MAX_GRID} points a side (got {n_})")
    if config.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {config.optimizer!r}")
    (x0, x1), (y0, y1) = range_ or problem.surface.range
    xs = np.linspace(x0, x1, int(nx))
    ys = np.linspace(y0, y1, int(ny))
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    starts = np.column_stack([gx.ravel(), gy.ravel()])
    n_steps = config.steps if steps is None else int(steps)
    t_start = time.perf_counter()
    ens = Ensemble.from_config(problem, config, starts=starts)
    res = ens.run(n_steps, progress=progress, should_stop=should_stop)
    with np.errstate(all="ignore"):
        loss = problem.loss(res.theta)
    diverged = res.diverged | ~np.isfinite(loss)
    loss = np.where(diverged, np.nan, loss)
    labels = end_labels(problem, res.theta, diverged, radius)
    shape = (len(xs), len(ys))
    return BasinMap(
        config=replace(config, steps=n_steps),
        xs=xs, ys=ys,
        labels=labels.minimum.reshape(shape),
        final_theta=res.theta.reshape((*shape, 2)),
        final_loss=loss.reshape(shape),
        diverged=diverged.reshape(shape),
        minima=labels.minima,
        radius=labels.radius,
        steps=n_steps,
        seconds=time.perf_counter() - t_start,
    )


def basin_changes(a: BasinMap, b: BasinMap) -> np.ndarray:
    """Boolean (nx, ny): starts whose run ends in a different minimum in ``b`` than in ``a``
    (e.g. GD against momentum on the same grid)."""
    if a.labels.shape != b.labels.shape or not (
        np.array_equal(a.xs, b.xs) and np.array_equal(a.ys, b.ys)):
        raise ValueError("the two basin maps must use the same grid of starts")
    return a.labels != b.labels

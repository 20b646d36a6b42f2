"""Display data for the window and the exporter, computed from the engine's records (no Qt).

Notation (Hung-yi Lee, "batch and momentum"): θ parameters, g = ∇L_b(θ) the batch gradient,
m the movement, λ momentum, η learning rate. The window numbers updates 1 … T: update t turns
θᵗ⁻¹ into θᵗ with the gradient gᵗ⁻¹ of the batch bᵗ⁻¹. The engine's records are indexed from 0
(``Trajectory.grad[k]`` is the gradient of update k + 1), so update t reads row ``t − 1``.

Everything here is pure NumPy on finished records: grids of the loss, the step vectors of every
update (λmᵗ⁻¹, −ηgᵗ⁻¹, mᵗ), the Hessian's eigen-decomposition along a path, the terms of one
update for the step inspector, and short captions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.analysis import eigen
from core.cancel import StopFn, check
from core.optim import OPTIMIZERS, explain_step
from core.problem import CriticalPoint, Problem
from core.run import Trajectory
from core.surfaces import Range

__all__ = [
    "BATCH_CAPTION_WORDS",
    "DEFAULT_TEST_SHIFT",
    "StepVectors",
    "SurfaceData",
    "batch_caption",
    "grid_axes",
    "hessian_path",
    "max_updates",
    "step_terms",
    "step_vectors",
    "surface_data",
    "testing_shift",
]

#: The testing loss is the training loss moved by this much on a window 4 units wide/high
#: (scaled with the window: (0.15, 0.1) on the saddle's x range of width 4).
DEFAULT_TEST_SHIFT = (0.15, 0.1)
_REFERENCE_SPAN = 4.0


@dataclass(frozen=True)
class SurfaceData:
    """The full loss L on a grid: ``z[i, j] = L(xs[i], ys[j])`` (indexing "ij"), and the
    surface's critical points."""

    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray
    critical: tuple[CriticalPoint, ...] = ()

    @property
    def resolution(self) -> int:
        """Points per axis (the larger of the two)."""
        return max(self.xs.size, self.ys.size)


def grid_axes(range_: Range, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` evenly spaced points along each axis of the window ``((x0, x1), (y0, y1))``."""
    (x0, x1), (y0, y1) = range_
    n = max(int(n), 2)
    return np.linspace(x0, x1, n), np.linspace(y0, y1, n)


def surface_data(problem: Problem, n: int, critical: bool = True,
                 should_stop: StopFn | None = None) -> SurfaceData:
    """L on an ``n × n`` grid over the surface's window, and (optionally) its critical points.

    ``should_stop`` is asked between chunks of the grid (:class:`core.cancel.Cancelled`)."""
    xs, ys = grid_axes(problem.surface.range, n)
    with np.errstate(all="ignore"):
        z = problem.loss_grid(xs, ys, should_stop=should_stop)
    check(should_stop)
    points = tuple(problem.critical_points()) if critical else ()
    return SurfaceData(xs, ys, z, points)


def testing_shift(range_: Range, shift: tuple[float, float] | None = None) -> tuple[float, float]:
    """The shift of the testing loss: the scenario's ``view.test_shift``, or the default
    (0.15, 0.1) scaled from a 4-unit window to this one."""
    if shift is not None:
        return (float(shift[0]), float(shift[1]))
    (x0, x1), (y0, y1) = range_
    return (
        DEFAULT_TEST_SHIFT[0] * (x1 - x0) / _REFERENCE_SPAN,
        DEFAULT_TEST_SHIFT[1] * (y1 - y0) / _REFERENCE_SPAN,
    )


@dataclass(frozen=True)
class StepVectors:
    """The vectors of every update of one run, row ``t − 1`` for update t (shape (T, 2)).

    ``lam_m``: λmᵗ⁻¹ (None for optimizers without momentum); ``neg_eta_g``: −ηgᵗ⁻¹;
    ``movement``: θᵗ − θᵗ⁻¹ (= mᵗ for momentum, so λmᵗ⁻¹ + (−ηgᵗ⁻¹) = mᵗ up to rounding).
    For Nesterov, ``lam_m`` is the look-ahead λmᵗ = movement − (−ηgᵗ⁻¹).
    """

    origin: np.ndarray
    lam_m: np.ndarray | None
    neg_eta_g: np.ndarray
    movement: np.ndarray

    def at(self, t: int) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray] | None:
        """(θᵗ⁻¹, λmᵗ⁻¹ or None, −ηgᵗ⁻¹, mᵗ) of update t (1 … T), None outside."""
        k = int(t) - 1
        if not 0 <= k < len(self.movement):
            return None
        lam = None if self.lam_m is None else self.lam_m[k]
        return self.origin[k], lam, self.neg_eta_g[k], self.movement[k]


def step_vectors(traj: Trajectory) -> StepVectors:
    """λmᵗ⁻¹, −η_{t−1}gᵗ⁻¹ and mᵗ of every update of a run (vectorized, once per record).

    Which vectors an optimizer has comes from its registry entry (``movement``); η_t from the
    run's schedule; g is the recorded batch gradient (with weight decay: plus wd·θᵗ⁻¹).
    """
    cfg = traj.config
    params = cfg.params
    steps = traj.updates
    move = traj.movement[:steps]
    g = traj.grad
    wd = float(params.get("weight_decay", 0.0))
    if wd and OPTIMIZERS[cfg.optimizer].coupled_decay:
        g = g + wd * traj.theta[:steps]
    eta = cfg.lr_values(steps)[:, None] if not cfg.schedule.is_constant else float(params["lr"])
    neg = -eta * g
    lam_m: np.ndarray | None = None
    kind = OPTIMIZERS[cfg.optimizer].movement
    if kind == "momentum":
        lam = float(params["momentum"])
        prev = np.zeros_like(move)
        prev[1:] = move[:-1]
        lam_m = lam * prev
    elif kind == "lookahead":
        lam_m = move - neg
    return StepVectors(traj.theta[:steps], lam_m, neg, move)


def hessian_path(problem: Problem, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (K, 2) ascending and unit eigenvectors (K, 2, 2) (columns) of the full
    loss's Hessian at every point of ``theta`` (K, 2); NaN where the Hessian is not finite."""
    pts = np.asarray(theta, dtype=float).reshape(-1, 2)
    with np.errstate(all="ignore"):
        h = problem.hessian(pts)
    ok = np.all(np.isfinite(h), axis=(1, 2))
    vals = np.full((len(pts), 2), np.nan)
    vecs = np.full((len(pts), 2, 2), np.nan)
    if ok.any():
        w, v = eigen(h[ok])
        vals[ok], vecs[ok] = w, v
    return vals, vecs


def step_terms(traj: Trajectory, t: int) -> list[tuple[str, np.ndarray]]:
    """Update t (1 … T) written out term by term (:func:`core.optim.explain_step`)."""
    k = int(t) - 1
    if not 0 <= k < traj.updates:
        raise IndexError(f"update {t} out of range 1..{traj.updates}")
    cfg = traj.config
    from core.optim import make_optimizer

    before = traj.state_before(k)
    opt = make_optimizer(cfg.optimizer, schedule=cfg.schedule, **cfg.params)
    g = traj.grad[k : k + 1]
    with np.errstate(all="ignore"):  # a diverging run's values overflow, as when simulated
        _, after = opt.update(g, before, traj.theta[k : k + 1])
        return explain_step(cfg.optimizer, cfg.params, g, before, after,
                            traj.theta[k : k + 1], traj.theta[k + 1 : k + 2],
                            schedule=cfg.schedule)


#: The words of :func:`batch_caption` (``str.format`` templates; the window passes them in
#: its own language).
BATCH_CAPTION_WORDS = {
    "none": "batch loss L_b",
    "caption": "batch loss L_b, update {t} ({listed})",
    "all": "all {n} examples",
    "some": "examples {shown}",
    "more": "examples {shown}, … ({n} in all)",
}


def batch_caption(traj: Trajectory, t: int, max_listed: int = 8,
                  words: dict[str, str] | None = None) -> str:
    """``"batch loss L_b, update 37 (examples 3, 11, 14, 19)"`` for the batch of update t
    (at t = 0: the batch of the next update). Long batches are cut with "…". ``words``: the
    templates of :data:`BATCH_CAPTION_WORDS` in another language."""
    w = BATCH_CAPTION_WORDS if words is None else words
    k = min(max(int(t) - 1, 0), traj.updates - 1)
    if k < 0:
        return w["none"]
    idx = traj.batch(k).tolist()
    if len(idx) == traj.schedule.n:
        listed = w["all"].format(n=len(idx))
    else:
        shown = ", ".join(str(i) for i in idx[:max_listed])
        listed = w["more" if len(idx) > max_listed else "some"].format(shown=shown, n=len(idx))
    return w["caption"].format(t=k + 1, listed=listed)


def max_updates(trajectories: Sequence[Trajectory | None]) -> int:
    """T of the shared timeline: the most updates any run made (0 without runs)."""
    return max((tr.updates for tr in trajectories if tr is not None), default=0)

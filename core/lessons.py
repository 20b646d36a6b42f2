"""The guided lessons: their catalogue, and the engine functions the lessons show.

Lessons are built-in scenarios ``resources/scenarios/lesson*.toml`` (see :data:`LESSONS`), each
with a ``[lesson]`` table (what to watch for, the equation) and ``[view]`` settings. This module
adds what the lessons need beyond simulating runs (notation of the lecture: θ parameters, g
gradient, m movement, λ momentum, η learning rate):

* :func:`momentum_sum` — the movement as a weighted sum of all past gradients,
  mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹ = −η Σᵢ₌₀ᵗ⁻¹ λᵗ⁻¹⁻ⁱ gⁱ (lesson 4, the step inspector);
* :func:`testing_loss`, :func:`sharpness`, :func:`end_report` — training loss L(θ), testing
  loss L_test(θ) = L(θ − s) and the largest Hessian eigenvalue at end points (lesson 5);
* :func:`batch_gradient_spread`, :func:`batch_stability` — why the batch size B decides between
  a sharp and a flat minimum at one η (lesson 5): the spread of the batch gradient g about ∇L
  (variance ∝ 1/B, a kick of about η·σ_g/√B per update), and the linear stability of
  mini-batch GD at a minimum, ρ(E[(I − ηH_b)²]) ≤ 1 (η·λ_max ≤ 2 for the full batch);
* :func:`escape_and_continue` — one step along the Hessian's eigenvector of a negative
  eigenvalue at a saddle point, then the run continues from there (lesson 6);
* :func:`ridge_start` — a start on the boundary between two basins, i.e. on the ridge that
  leads gradient descent into a saddle point (lesson 7).

Lessons 9 and 10 are about a real network: their ``[network]`` table
(:class:`core.netsettings.NetworkSettings`) opens the network window with those settings and
runs :func:`core.netcli.compare` there; the 2-D surface is a picture for comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from core import scenario as sc
from core.analysis import PointAnalysis, classify, escape_step, vector_norm
from core.basins import Ensemble, end_labels
from core.problem import Problem
from core.run import Trajectory, simulate
from core.scenario import RunConfig
from core.texts import TextError, template, text

#: The lessons, in teaching order (scenario names in ``resources/scenarios``).
LESSONS: tuple[str, ...] = (
    "lesson1_epochs",
    "lesson2_saddle",
    "lesson3_local_minimum",
    "lesson4_momentum_sum",
    "lesson5_sharp_flat",
    "lesson6_hessian_escape",
    "lesson7_tiny_network",
    "lesson8_learning_rate",
    "lesson9_real_network",
    "lesson10_edge_of_stability",
)


def lesson_names() -> list[str]:
    """The built-in lesson scenarios that exist, in teaching order."""
    present = set(sc.builtin_names())
    return [name for name in LESSONS if name in present]


def load_lesson(which: int | str) -> sc.Scenario:
    """Lesson ``which``: its 1-based number, or its scenario name."""
    if isinstance(which, int) and not isinstance(which, bool):
        if not 1 <= which <= len(LESSONS):
            raise ValueError(f"lesson number must be in 1..{len(LESSONS)} (got {which})")
        return sc.load(LESSONS[which - 1])
    if which not in LESSONS:
        raise ValueError(f"unknown lesson {which!r} (lessons: {', '.join(LESSONS)})")
    return sc.load(which)


# ---------------------------------------------------------------------------------------------
# Lesson 4: momentum is a weighted sum of past gradients
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MomentumSum:
    """mᵗ written out: ``terms[i] = weights[i] · gⁱ`` with ``weights[i] = −η λᵗ⁻¹⁻ⁱ``.

    ``total`` = Σᵢ terms[i] = mᵗ, the movement of step t (θᵗ = θᵗ⁻¹ + mᵗ); m⁰ = 0.
    """

    t: int
    lr: float
    momentum: float
    weights: np.ndarray  # (t,)
    grads: np.ndarray  # (t, 2): g⁰ … gᵗ⁻¹
    terms: np.ndarray  # (t, 2)
    total: np.ndarray  # (2,)

    def text(self, digits: int = 3) -> str:
        """The sum as a line of text, e.g. ``m³ = −η(λ²g⁰ + λg¹ + g²) = (…, …)``."""
        sup = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
        if self.t == 0:
            return "m⁰ = 0"
        parts = []
        for i in range(self.t):
            p = self.t - 1 - i
            lam = "" if p == 0 else ("λ" if p == 1 else f"λ{str(p).translate(sup)}")
            parts.append(f"{lam}g{str(i).translate(sup)}")
        x, y = (f"{v:.{digits}g}" for v in self.total)
        return f"m{str(self.t).translate(sup)} = −η({' + '.join(parts)}) = ({x}, {y})"


def momentum_sum(grads: np.ndarray, lr: float, momentum: float, t: int) -> MomentumSum:
    """Expand mᵗ = −η Σᵢ₌₀ᵗ⁻¹ λᵗ⁻¹⁻ⁱ gⁱ from the recorded gradients ``grads`` (T, 2), t ≤ T.

    This is the recursion m⁰ = 0, mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹ unrolled: the movement is a weighted
    sum of all previous gradients, the newest with weight −η, older ones shrunk by λ per step.
    """
    g = np.asarray(grads, dtype=float).reshape(-1, 2)
    if not 0 <= t <= len(g):
        raise ValueError(f"t must be in 0..{len(g)} (got {t})")
    powers = np.arange(t - 1, -1, -1, dtype=float)
    weights = -float(lr) * float(momentum) ** powers
    terms = weights[:, None] * g[:t]
    return MomentumSum(int(t), float(lr), float(momentum), weights, g[:t].copy(), terms,
                       terms.sum(axis=0) if t else np.zeros(2))


def is_momentum_sum(cfg: RunConfig) -> bool:
    """True when a run's movement is mᵗ = −η Σᵢ λᵗ⁻¹⁻ⁱ gⁱ: gd (λ = 0) and momentum (the
    registry's ``movement``), with a constant η and no weight decay."""
    from core.optim import OPTIMIZERS

    return (OPTIMIZERS[cfg.optimizer].movement in ("gradient", "momentum")
            and cfg.schedule.is_constant and not float(cfg.params.get("weight_decay", 0.0)))


def trajectory_momentum_sum(traj: Trajectory, t: int) -> MomentumSum:
    """:func:`momentum_sum` for step t of a recorded run (``gd`` counts as λ = 0).

    The recorded movement of that step is ``traj.movement[t - 1]`` (θᵗ − θᵗ⁻¹).
    """
    cfg = traj.config
    if not is_momentum_sum(cfg):
        raise ValueError(
            f"the movement of {cfg.optimizer!r} is not a weighted sum −ηλᵗ⁻¹⁻ⁱgⁱ of past "
            "gradients (only gd and momentum, with a constant η and no weight decay)"
        )
    lam = float(cfg.params.get("momentum", 0.0))
    return momentum_sum(traj.grad, cfg.lr, lam, t)


# ---------------------------------------------------------------------------------------------
# Lesson 5: training and testing loss, sharp and flat minima
# ---------------------------------------------------------------------------------------------


def testing_loss(problem: Problem, theta: np.ndarray, shift: Sequence[float]) -> np.ndarray:
    """The lecture's testing loss: the training loss shifted, L_test(θ) = L(θ − s).

    ``theta`` of shape (..., 2); the same convention as ``Problem.loss_grid(shift=s)``.
    """
    th = np.asarray(theta, dtype=float)
    s = np.asarray(shift, dtype=float).reshape(2)
    with np.errstate(all="ignore"):
        return problem.loss(th - s)


def sharpness(problem: Problem, theta: np.ndarray) -> np.ndarray:
    """The largest eigenvalue of the Hessian ∇²L(θ) at every θ (..., 2): the curvature of the
    steepest direction. Large at the bottom of a narrow canyon (sharp), small in a wide basin
    (flat). NaN where the Hessian is not finite."""
    th = np.asarray(theta, dtype=float)
    with np.errstate(all="ignore"):
        h = problem.hessian(th)
    ok = np.all(np.isfinite(h), axis=(-2, -1))
    out = np.full(th.shape[:-1], np.nan)
    if np.any(ok):
        out[ok] = np.linalg.eigvalsh(h[ok])[..., -1]
    return out


def batch_gradient_spread(problem: Problem, theta: Sequence[float],
                          batch_sizes: Sequence[int]) -> np.ndarray:
    """The spread of the batch gradient g = ∇L_b(θ) about ∇L(θ), for every batch size B.

    With per-example gradients gᵢ = ∇ℓᵢ(θ), their spread σ_g² = (1/N) Σᵢ ‖gᵢ − ∇L(θ)‖², and a
    batch of B examples drawn without replacement (a shuffled epoch split into batches):
    E‖g − ∇L‖² = (σ_g²/B)·(N − B)/(N − 1). Returns that root mean square, shape (len(B),):
    σ_g for B = 1, 0 for the full batch, shrinking like 1/√B in between. An update moves
    θ by −ηg, so η times this is the random "kick" on top of the step −η∇L (its variance
    η²σ_g²/B: the noise scale η/B of SGD).
    """
    p = np.asarray(theta, dtype=float).reshape(2)
    n = problem.n
    with np.errstate(all="ignore"):
        g_i = np.stack([problem.grad(p, np.array([i])) for i in range(n)])
        g = problem.grad(p)
    var = float(np.mean(np.sum((g_i - g) ** 2, axis=1)))
    b = np.asarray(batch_sizes, dtype=float)
    if np.any((b < 1) | (b > n)):
        raise ValueError(f"batch sizes must be in 1..{n}")
    factor = (n - b) / (b * (n - 1)) if n > 1 else np.zeros_like(b)
    return np.sqrt(var * factor)


def batch_stability(problem: Problem, theta: Sequence[float], lr: float,
                    batch_sizes: Sequence[int]) -> np.ndarray:
    """Linear (mean-square) stability of mini-batch GD at a minimum θ*, for every B.

    Near θ* an update on batch b is θ − θ* ← (I − ηH_b)(θ − θ*) (+ the batch's own gradient at
    θ*), with H_b = ∇²L_b(θ*). Deviations stay bounded on average only if the spectral radius
    ρ_B of E_b[(I − ηH_b)²] = (I − ηH)² + η²·(N − B)/(B(N − 1))·(1/N) Σᵢ (Hᵢ − H)² is ≤ 1
    (Wu, Ma & E 2018), with H = ∇²L(θ*) and Hᵢ = ∇²ℓᵢ(θ*). For the full batch this is
    |1 − ηλ| ≤ 1 for every eigenvalue λ of H, i.e. η·λ_max ≤ 2; smaller batches add the
    scatter of the per-example Hessians, scaled by 1/B: SGD needs flatter minima.
    Returns ρ_B, shape (len(batch_sizes),).
    """
    p = np.asarray(theta, dtype=float).reshape(2)
    n = problem.n
    b = np.asarray(batch_sizes, dtype=float)
    if np.any((b < 1) | (b > n)):
        raise ValueError(f"batch sizes must be in 1..{n}")
    with np.errstate(all="ignore"):
        h = problem.hessian(p)
        h_i = np.stack([problem.hessian(p, np.array([i])) for i in range(n)])
    d = h_i - h
    scatter = np.mean(d @ d, axis=0)
    a = np.eye(2) - float(lr) * h
    factor = (n - b) / (b * (n - 1)) if n > 1 else np.zeros_like(b)
    m = a @ a + (float(lr) ** 2 * factor)[:, None, None] * scatter
    return np.max(np.abs(np.linalg.eigvalsh(m)), axis=-1)


@dataclass(frozen=True)
class EndPoint:
    """Where one run ended: training loss L(θ), testing loss L(θ − s), their difference (how
    much the loss rises under the shift), the sharpness λ_max(∇²L(θ)), and which minimum
    (index into ``problem.critical_points()`` minima, −1 for none)."""

    label: str
    theta: tuple[float, float]
    train_loss: float
    test_loss: float | None
    rise: float | None
    sharpness: float
    minimum: int


def end_report(problem: Problem, trajectories: Sequence[Trajectory],
               shift: Sequence[float] | None) -> list[EndPoint]:
    """Training and testing loss, sharpness and minimum at the end point of every run."""
    if not trajectories:
        return []
    ends = np.array([t.theta[-1] for t in trajectories], dtype=float)
    diverged = np.array([t.status == "diverged" for t in trajectories])
    with np.errstate(all="ignore"):
        train = problem.loss(ends)
    test = testing_loss(problem, ends, shift) if shift is not None else None
    sharp = sharpness(problem, ends)
    labels = end_labels(problem, ends, diverged).minimum
    out = []
    for k, tr in enumerate(trajectories):
        te = None if test is None else float(test[k])
        out.append(EndPoint(
            label=tr.config.label,
            theta=(float(ends[k, 0]), float(ends[k, 1])),
            train_loss=float(train[k]),
            test_loss=te,
            rise=None if te is None else te - float(train[k]),
            sharpness=float(sharp[k]),
            minimum=int(labels[k]),
        ))
    return out


# ---------------------------------------------------------------------------------------------
# Lesson 6: escaping a saddle point along the Hessian
# ---------------------------------------------------------------------------------------------

#: How far from θ Newton's method may move to find the saddle a stalled run sits at.
SNAP_DISTANCE = 0.05


@dataclass
class EscapeResult:
    """One step along the escape direction at a saddle point, and the run continued.

    ``saddle``: the saddle θ (the run's end point, or the saddle it had stalled next to);
    ``analysis``: its Hessian eigen-analysis (λ₁ < 0 < λ₂); ``direction``: the unit eigenvector
    u of λ₁, signed the way the step went; ``escaped`` = saddle + distance·u (L is lower there:
    L(θ + εu) ≈ L(θ) + ½λ₁ε²); ``config``: the run continued from ``escaped`` (same optimizer,
    η, λ, batch size, seed; its optimizer state starts afresh, m⁰ = 0); ``trajectory``: that
    run simulated (None if not asked for).
    """

    saddle: np.ndarray
    analysis: PointAnalysis
    direction: np.ndarray
    escaped: np.ndarray
    distance: float
    config: RunConfig
    trajectory: Trajectory | None = None


_T_NOT_SADDLE = template("θ = ({x}, {y}) is not at a saddle point ({kind}, ‖g‖ = {g}); let the "
                         "run stall at the saddle first")
_KINDS = {"not critical": template("not critical"), "minimum": template("minimum"),
          "maximum": template("maximum"), "degenerate": template("degenerate")}


def saddle_near(problem: Problem, theta: np.ndarray,
                snap: float = SNAP_DISTANCE) -> tuple[np.ndarray, PointAnalysis]:
    """The saddle point θ lies at (or within ``snap`` of, found by Newton's method).

    Raises ValueError with one line if there is none: e.g. the run has not stalled yet.
    """
    p = np.asarray(theta, dtype=float).reshape(2)
    a = classify(problem, p)
    if a.kind == "saddle":
        return p, a
    q = problem.refine((float(p[0]), float(p[1])))
    if q is not None and vector_norm(q - p) <= snap:
        b = classify(problem, q)
        if b.kind == "saddle":
            return q, b
    gnorm = vector_norm(a.grad)
    kind = _KINDS.get(a.kind)
    raise TextError(text(_T_NOT_SADDLE, x=f"{p[0]:.4g}", y=f"{p[1]:.4g}",
                         kind=text(kind) if kind else a.kind, g=f"{gnorm:.2g}"))


def escape_and_continue(problem: Problem, config: RunConfig, theta: np.ndarray,
                        distance: float = 0.1, steps: int | None = None,
                        run: bool = True, suffix: str = " (escaped)") -> EscapeResult:
    """At the saddle θ (e.g. where a run stalled), step ``distance`` along the Hessian's
    eigenvector of its negative eigenvalue and continue the run from there.

    Uses :func:`core.analysis.escape_step` (the sign with the lower L). The continued run is
    ``config`` started at the escaped point, making ``steps`` updates (default:
    ``config.steps``), named ``config.label + suffix``; with ``run`` it is simulated too.
    """
    if not np.isfinite(distance) or distance <= 0:
        raise ValueError(f"the escape distance must be > 0 (got {distance!r})")
    saddle, analysis = saddle_near(problem, theta)
    escaped = np.asarray(escape_step(problem, saddle, distance), dtype=float)
    direction = (escaped - saddle) / float(distance)
    label = config.label if config.label.endswith(suffix) else config.label + suffix
    new = replace(config, start=(float(escaped[0]), float(escaped[1])), label=label,
                  steps=config.steps if steps is None else int(steps))
    traj = simulate(problem, [new])[0] if run else None
    return EscapeResult(saddle, analysis, direction, escaped, float(distance), new, traj)


# ---------------------------------------------------------------------------------------------
# Lesson 7: a start on the ridge that leads into the saddle point
# ---------------------------------------------------------------------------------------------


def ridge_start(problem: Problem, config: RunConfig, a: Sequence[float], b: Sequence[float],
                steps: int = 2000, points: int = 33, rounds: int = 12) -> np.ndarray:
    """A start on the segment a–b on the boundary between two basins of ``config``.

    Runs from ``a`` and ``b`` must end in different minima; the boundary between their
    basins is the ridge (the stable manifold) of a saddle point: a run started on it goes
    into the saddle, where g = 0, and stalls there until rounding errors grow. Found by
    repeated sections of the bracket (``points`` runs at once per round) to the last bit.
    """
    lo, hi = np.asarray(a, dtype=float), np.asarray(b, dtype=float)

    def ends(starts: np.ndarray) -> np.ndarray:
        ens = Ensemble.from_config(problem, config, starts=starts)
        res = ens.run(steps)
        return end_labels(problem, res.theta, res.diverged).minimum

    la, lb = ends(np.array([lo, hi]))
    if la == lb or la < 0 or lb < 0:
        raise ValueError("runs from a and b must end in two different minima")
    for _ in range(rounds):
        s = np.linspace(0.0, 1.0, points)[:, None]
        cand = lo + s * (hi - lo)
        labels = ends(cand)
        same = labels == la
        k = max(1, int(np.argmin(same)) if not same.all() else points - 1)
        new_lo, new_hi = cand[k - 1], cand[k]
        if np.array_equal(new_lo, lo) and np.array_equal(new_hi, hi):
            break
        lo, hi = new_lo, new_hi
    return lo

"""Runs: an optimizer stepping on mini-batches, recorded update by update.

Update t (t = 0, 1, …) takes the batch bᵗ of the run's schedule, computes the batch gradient
gᵗ = ∇L_{bᵗ}(θᵗ) and lets the optimizer move: θᵗ⁺¹ = θᵗ + Δᵗ (for momentum Δᵗ = mᵗ⁺¹ =
λmᵗ − ηgᵗ). The record keeps, per update, θ, the full loss L(θ), the batch loss, g, the
movement θᵗ⁺¹ − θᵗ, the batch's example indices (recomputed from the schedule on demand) and
the epoch.

Runs with the same optimizer, boolean options (``centered``, ``amsgrad``) and batch size step
together as one ``(K, 2)`` array. Each run's numbers do not depend on which runs it is grouped
with, and :class:`Stepper` (one update at a time, as the window steps) calls the very same
kernel, so both give identical bits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from core.cancel import StopFn, check
from core.optim import OPTIMIZERS, make_optimizer
from core.problem import Problem
from core.sampler import BatchSchedule
from core.scenario import RunConfig, Scenario
from core.texts import Text, TextError, template, text

#: Updates simulated between checks for divergence.
BLOCK = 512
#: Elements of one intermediate array of the bulk loss evaluation: under glibc's 128 KiB mmap
#: threshold (no page faults per allocation) and cache-sized, ~2× faster than 256 KiB pieces.
PIECE_ELEMENTS = 15_000
#: Most updates whose batches (weights or gathered examples) are prepared in one go.
BATCH_BLOCK = 2048
#: A run whose θ leaves ``BOUND_FACTOR × (size of the display range)`` has diverged.
BOUND_FACTOR = 1e3
#: ‖∇L‖ at the final θ below which a run has stopped (the Hessian then says where: see
#: :func:`_stopped`).
CONVERGED_TOL = 1e-6
#: A run's status: ``ok`` (made its updates, still moving), ``converged`` (stopped at a
#: minimum: ∇L ≈ 0 and H positive definite), ``saddle`` (stopped at a saddle point: H has
#: eigenvalues of both signs), ``stalled`` (stopped at another point with ∇L ≈ 0: a maximum,
#: or degenerate, H with an eigenvalue ≈ 0), ``diverged`` (cut where it left the bound or
#: overflowed).
STATUSES = ("ok", "converged", "saddle", "stalled", "diverged")


def divergence_bound(problem: Problem, range_=None) -> float:
    """|θ| beyond which a run is declared diverged (generous: 1000× the plotted range)."""
    (x0, x1), (y0, y1) = range_ or problem.surface.range
    return BOUND_FACTOR * max(abs(x0), abs(x1), abs(y0), abs(y1), 1.0)


@dataclass
class Trajectory:
    """The record of one run. T = number of updates actually made.

    ``theta``: (T+1, 2), θ⁰ = start; ``loss``: (T+1,) full loss L(θᵗ); ``grad``: (T, 2) the
    batch gradient used by update t; ``batch_loss``: (T,) L_{bᵗ}(θᵗ); ``epoch``: (T,) 0-based.
    """

    config: RunConfig
    schedule: BatchSchedule
    theta: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    batch_loss: np.ndarray
    epoch: np.ndarray
    status: str = "ok"  # one of STATUSES
    message: str = ""
    #: the message's template and values (:func:`run_message`): the window words it in its
    #: own language
    message_args: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _states: dict[int, object] = field(default_factory=dict, repr=False)

    @property
    def updates(self) -> int:
        return len(self.grad)

    @property
    def epochs(self) -> float:
        """Epochs done: updates / updates per epoch."""
        return self.updates / self.schedule.batches_per_epoch

    @property
    def movement(self) -> np.ndarray:
        """(T, 2): θᵗ⁺¹ − θᵗ (for momentum, this is m)."""
        return np.diff(self.theta, axis=0)

    def batch(self, t: int) -> np.ndarray:
        """Sorted example indices of update t's batch."""
        if not 0 <= t < self.updates:
            raise IndexError(f"update {t} out of range 0..{self.updates - 1}")
        return self.schedule.batch(t)

    def batch_position(self, t: int) -> tuple[int, int, int]:
        """(epoch, batch number within the epoch (1-based), batches per epoch) of update t."""
        bpe = self.schedule.batches_per_epoch
        return t // bpe, t % bpe + 1, bpe

    def batches(self) -> list[list[int]]:
        return [self.schedule.batch(t).tolist() for t in range(self.updates)]

    def replay_cost(self, t: int) -> int:
        """Updates :meth:`state_before` (t) would replay (from its nearest saved state)."""
        keys = [k for k in self._states if k <= t]
        return int(t) - (max(keys) if keys else 0)

    def state_before(self, t: int):
        """The optimizer state before update t (replayed from the recorded gradients)."""
        opt = make_optimizer(self.config.optimizer, schedule=self.config.schedule,
                             **self.config.params)
        keys = [k for k in self._states if k <= t]
        k0 = max(keys) if keys else 0
        state = self._states[k0] if keys else opt.init(self.theta[0:1])
        with np.errstate(all="ignore"):  # as simulated: a diverging run's values overflow
            for k in range(k0, t):
                _, state = opt.update(self.grad[k : k + 1], state, self.theta[k : k + 1])
                if (k + 1) % 256 == 0:
                    self._states[k + 1] = state
        return state




def _family(optimizer: str) -> str:
    """The optimizer a run steps as (the registry's ``steps_with``: gd is momentum with λ = 0,
    bit for bit: 0·m − η·g = −η·g), so the default scenario's runs all step together."""
    return OPTIMIZERS[optimizer].steps_with or optimizer

#: Elements of the per-block batch arrays (bounds memory for many runs).
_BLOCK_ELEMENTS = 1 << 22


def _group_key(problem: Problem, cfg: RunConfig) -> tuple:
    """Which runs may step together: same optimizer family, same structural options.

    A group steps with one optimizer whose float hyperparameters are (K, 2) arrays (one row
    per run), but whose boolean options (RMSprop's ``centered``, Adam's ``amsgrad``) choose
    the update's formula and are one value for the whole group (:func:`make_params`); so they
    are part of the key. Gathered batches are (K, |b|) arrays: batch size and ``drop_last``
    too.
    """
    family = _family(cfg.optimizer)
    given = cfg.params
    flags = tuple((p.name, bool(given.get(p.name, p.default)))
                  for p in OPTIMIZERS[family].params if p.kind == "bool")
    if problem.masked:
        return (family, flags)
    return (family, flags, cfg.batch_size, cfg.drop_last)


class _Group:
    """K runs stepping together: the one stepping kernel used by simulate and Stepper.

    Update t of run k: g = Σᵢ wᵢ ∇ℓᵢ(θ_k) over its batch (:meth:`Problem.batch_grad_block`),
    then (delta, state) = optimizer.update(g, state, θ) (or the optimizer's in-place kernel,
    same bits) and θ ← θ + delta. The batches of many updates are prepared at once: as weights
    wᵢ over all N examples (masked) or as the gathered examples of each batch.
    """

    def __init__(self, problem: Problem, configs: Sequence[RunConfig]) -> None:
        self.problem = problem
        self.configs = list(configs)
        n = problem.n
        self.schedules = [BatchSchedule(n, c.batch_size, c.seed, c.drop_last) for c in configs]
        first = self.configs[0]
        name = _family(first.optimizer)
        info_params = make_params(name, self.configs)
        self.optimizer = make_optimizer(name, schedule=[c.schedule for c in self.configs],
                                        **info_params)
        self.theta = np.array([c.start for c in configs], dtype=float)
        self.state = self.optimizer.init(self.theta)
        self.t = 0
        k = len(configs)
        width = n if problem.masked else first.batch_size
        self._block_len = int(np.clip(_BLOCK_ELEMENTS // max(1, k * width), 1, BATCH_BLOCK))
        # offset surface, masked batches, gradient program that can overwrite its inputs:
        # ∇ℓᵢ is written over θ − δᵢ and weighted with one multiplication by (2, K, N) weights
        self._in_place = problem.masked and problem.shifted and problem._grad.in_place
        self._block_start = self._block_stop = -1
        self._block: tuple[np.ndarray, ...] = ()

    def _load_block(self, start: int, wanted: int) -> None:
        """Gather the batches of ``wanted`` updates from ``start`` (at least 64, at most a block)
        for all runs."""
        stop = start + int(np.clip(wanted, 64, self._block_len))
        problem = self.problem
        k = len(self.configs)
        shared: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        rows: dict[tuple, list[int]] = {}
        for r, s in enumerate(self.schedules):
            key = (s.seed, s.batch_size, s.drop_last)
            if key not in shared:
                shared[key] = s.index_block(start, stop)
            rows.setdefault(key, []).append(r)
        if problem.masked:
            # (block, 2, K, N) with both coordinates' weights when stepping in place
            n = problem.n
            shape = (stop - start, 2, k, n) if self._in_place else (stop - start, k, n)
            w = np.zeros(shape)
            row_step = w.strides[0] // w.itemsize  # flat index of (update, [0,] run r, example)
            first = np.arange(stop - start)[:, None] * row_step
            for key, (idx, sizes) in shared.items():
                value = np.broadcast_to((1.0 / sizes)[:, None], idx.shape)
                for r in rows[key]:
                    # padded entries repeat the batch's first index with the same weight 1/|b|
                    w.put(first + (r * n + idx), value)
            if self._in_place:
                w[:, 1] = w[:, 0]
            self._block = (w,)
        else:
            width = self.schedules[0].batch_size
            ind = np.empty((stop - start, k, width), dtype=np.intp)
            sizes = None
            for key, (idx, sz) in shared.items():
                ind[:, rows[key], :] = idx[:, None, :]
                sizes = sz
            assert sizes is not None
            # (block, 2, K, |b|): each update's examples coordinate-first and contiguous
            self._block = (np.ascontiguousarray(np.moveaxis(problem.batch_examples(ind), 0, 1)),
                           sizes)
        self._block_start = start
        self._block_stop = stop

    def batch_weights(self, start: int, stop: int) -> np.ndarray:
        """The batch weights wᵢ (stop − start, K, N) of updates start..stop−1 (masked only)."""
        assert self.problem.masked
        if not (0 <= self._block_start <= start and stop <= self._block_stop):
            if stop - start > self._block_len:  # longer than one block
                parts = [self.batch_weights(a, min(stop, a + self._block_len))
                         for a in range(start, stop, self._block_len)]
                return np.concatenate(parts)
            self._load_block(start, stop - start)
        b0 = self._block_start
        w = self._block[0][start - b0 : stop - b0]
        return w[:, 0] if self._in_place else w

    def step(self) -> np.ndarray:
        """One update for all K runs; returns the batch gradients g (K, 2) (a new array)."""
        return self.advance(1)[1][0]

    def advance(self, count: int, theta_out: np.ndarray | None = None,
                grad_out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Make ``count`` updates; θ after each goes to ``theta_out[i]``, g to ``grad_out[i]``.

        The loop is the arithmetic of :meth:`Problem.batch_grad_block` written inline (one
        Python frame per update instead of four, buffers allocated once, every NumPy call on
        contiguous same-shape arrays where possible): θ − δᵢ for both coordinates in one
        subtraction, the outputs ∂₁ℓᵢ, ∂₂ℓᵢ weighted into one (2, K, N) array and summed,
        g = Σᵢ wᵢ ∇ℓᵢ, then the optimizer's update and θ ← θ + delta: about eight NumPy calls
        per update for the default scenario. The caller holds ``np.errstate``.
        """
        k = len(self.configs)
        if theta_out is None:
            theta_out = np.empty((count, k, 2))
        if grad_out is None:
            grad_out = np.empty((count, k, 2))
        problem = self.problem
        raw = problem._grad.raw
        in_place = self._in_place
        kernel = self.optimizer.stepper(self.state)
        step = kernel.step
        mul, sub, red, add = np.multiply, np.subtract, np.add.reduce, np.add
        masked, shifted = problem.masked, problem.shifted
        n = problem.n if masked else self.schedules[0].batch_size
        # coordinate-first buffers (2, K, n): every coordinate's (K, n) block is contiguous
        prod = np.empty((2, k, n))
        p0, p1 = prod[0], prod[1]
        diff = np.empty((2, k, n))  # θ − δᵢ (offset surfaces)
        d0, d1 = diff
        if masked:  # every example, repeated for the K runs
            e = np.ascontiguousarray(np.broadcast_to(problem.examples[:, None, :], (2, k, n)))
        u, v = problem.u, problem.v
        # θ after each update seen coordinate-first and repeated along the examples (a
        # read-only view, stride 0: same-shape subtractions are cheaper than broadcasting),
        # and g coordinate-first (count, 2, K)
        th_wide = np.broadcast_to(theta_out.transpose(0, 2, 1)[..., None], (count, 2, k, n))
        g_rows = grad_out.transpose(0, 2, 1)
        th, t = self.theta, self.t
        th_w = np.broadcast_to(th.T[:, :, None], (2, k, n))
        # ∂₁ℓᵢ, ∂₂ℓᵢ written over θ − δᵢ in diff, temporaries in buffers of their own
        grad_in_place = problem._grad.bind_in_place(d0, d1) if in_place else None
        i = 0
        while i < count:
            r = t - self._block_start
            if self._block_start < 0 or t >= self._block_stop:
                self._load_block(t, count - i)
                r = 0
            j = min(count, i + self._block_stop - t)  # updates i..j-1 use this block
            if masked:  # per update: the batch weights (K, n)
                items, sizes = self._block[0][r : r + j - i], repeat(n, j - i)
            else:  # per update: the batch's examples (2, K, n) and its size
                items, sizes = self._block[0][r : r + j - i], self._block[1][r : r + j - i]
            if grad_in_place is not None:
                # the common case (offset surface, N ≤ 64): the loop below with one
                # multiplication for both coordinates and no branches
                for w, g_row, g, out, nxt in zip(
                    items, g_rows[i:j], grad_out[i:j], theta_out[i:j], th_wide[i:j],
                    strict=True,
                ):
                    sub(th_w, e, diff)  # (ufuncs get out= positionally: cheaper per call)
                    grad_in_place()
                    red(mul(diff, w, prod), -1, None, g_row)
                    th = add(th, step(g, th), out)
                    th_w = nxt
                t += j - i
                i = j
                continue
            for item, size, g_row, g, out, nxt in zip(
                items, sizes, g_rows[i:j], grad_out[i:j], theta_out[i:j], th_wide[i:j],
                strict=True,
            ):
                if masked:
                    w = item
                    if shifted:
                        gx, gy = raw(*sub(th_w, e, diff))
                    else:
                        gx, gy = raw(th[:, 0:1], th[:, 1:2], u, v)
                elif size == n:
                    w = 1.0 / size
                    if shifted:
                        gx, gy = raw(*sub(th_w, item, diff))
                    else:
                        gx, gy = raw(th[:, 0:1], th[:, 1:2], item[0], item[1])
                else:  # an epoch's smaller last batch
                    w = None
                    problem.batch_grad_block(th, item[..., :size], 1.0 / int(size), g)
                if w is not None:
                    mul(gx, w, p0)
                    mul(gy, w, p1)
                    red(prod, -1, None, g_row)
                th = add(th, step(g, th), out)  # the record is the gradient the update uses
                th_w = nxt
            t += j - i
            i = j
        self.theta, self.state, self.t = th, kernel.state(), t
        return theta_out, grad_out


def make_params(name: str, configs: Sequence[RunConfig]) -> dict[str, object]:
    """Hyperparameters of K runs as (K, 1) arrays (booleans: one value for all); a run of
    another optimizer that steps as ``name`` (gd as momentum) gives the values that make it
    itself (the registry's ``steps_with_params``: λ = 0)."""
    out: dict[str, object] = {}
    for p in OPTIMIZERS[name].params:
        values = [c.params.get(p.name, dict(OPTIMIZERS[c.optimizer].steps_with_params).get(
            p.name, p.default)) for c in configs]
        if p.kind == "bool":
            if len({bool(v) for v in values}) > 1:
                raise ValueError(f"runs grouped together disagree on {p.name}")
            out[p.name] = bool(values[0])
        else:
            # (K, 2) like θ: same-shape NumPy operations are ~3× cheaper than (K, 1) broadcasts
            out[p.name] = np.repeat(np.array(values, dtype=float).reshape(-1, 1), 2, axis=1)
    return out


def _bad_points(theta: np.ndarray, grad: np.ndarray, loss: np.ndarray, bound: float
                ) -> np.ndarray:
    """Which θᵗ are bad (non-finite θ, L or the g that led there, or |θ| > bound): θ (T+1, ..., 2),
    g (T, ..., 2), L (T+1, ...) give (T+1, ...)."""
    with np.errstate(all="ignore"):
        bad = ~np.isfinite(theta).all(axis=-1) | (np.abs(theta) > bound).any(axis=-1)
        bad |= ~np.isfinite(loss)
        bad[1:] |= ~np.isfinite(grad).all(axis=-1)
    return bad


_START_NOT_FINITE = template("the start θ = ({x}, {y}) is not finite")
_START_OUTSIDE = template(
    "the start θ = ({x}, {y}) lies outside the divergence bound |θ₁|, |θ₂| ≤ {bound} "
    "({factor} × the display range's largest |coordinate|; L there = {loss})")
_START_LOSS = template("the loss is not finite at the start θ = ({x}, {y}) (L = {loss})")
_RUN_CANNOT_START = template("run {run}: {why}")


def _bad_start(theta: np.ndarray, loss: float, bound: float) -> Text:
    """Why the start θ⁰ is a bad point of :func:`_bad_points`, in its own criterion: θ⁰ not
    finite, θ⁰ outside the divergence bound max(|θ₁|, |θ₂|) ≤ bound, or L(θ⁰) not finite."""
    x, y = f"{theta[0]:.6g}", f"{theta[1]:.6g}"
    if not np.all(np.isfinite(theta)):
        return text(_START_NOT_FINITE, x=x, y=y)
    if np.any(np.abs(theta) > bound):
        return text(_START_OUTSIDE, x=x, y=y, bound=f"{bound:.6g}", factor=f"{BOUND_FACTOR:g}",
                    loss=f"{loss:.6g}")
    return text(_START_LOSS, x=x, y=y, loss=f"{loss}")


#: The status of a run that stopped (‖∇L‖ < CONVERGED_TOL) at a point of each Hessian kind.
_STOPPED_STATUS = {"minimum": "converged", "saddle": "saddle"}

#: The words of a run's message (``str.format`` templates; a value named ``…_key`` in the
#: message's values names another template here). The window passes them in its language.
MESSAGE_WORDS = {
    "stopped": "stopped at {where_key} θ = ({x}, {y}): ‖∇L‖ = {gnorm} after {steps} updates; "
               "{eig_key}{note_key}",
    "eig": "Hessian eigenvalues λ₁ = {l1}, λ₂ = {l2}",
    "eig not finite": "the Hessian is not finite",
    "note saddle": " (L decreases along the eigenvector of λ₁ < 0)",
    "note degenerate": " (an eigenvalue ≈ 0: the Hessian cannot tell its kind)",
    "note none": "",
    "where minimum": "a minimum",
    "where maximum": "a maximum",
    "where saddle": "a saddle point",
    "where degenerate": "a degenerate critical point",
    "where other": "a critical point",
    "diverged": "diverged at update {broke}: {why_key} (η = {lr} may be too large); {kept_key}",
    "why bound": "|θ| > {bound}",
    "why overflow": "a value overflowed to inf/NaN",
    "kept": "kept updates 0..{last}",
    "kept start": "kept only the start",
}


def run_message(args: dict[str, str], words: dict[str, str] | None = None) -> str:
    """A run's message from its values (``args["key"]``: the template of :data:`MESSAGE_WORDS`;
    ``…_key`` values: other templates, filled with the same values)."""
    w = MESSAGE_WORDS if words is None else words
    if not args:
        return ""
    values = dict(args)
    for name, key in args.items():
        if name.endswith("_key"):
            values[name] = w[key].format(**args)
    return w[args["key"]].format(**values)


def _stopped(problem: Problem, theta: np.ndarray, gnorm: float, steps: int) -> tuple[str, str]:
    """Status and message of a run whose last θ has ‖∇L(θ)‖ = ``gnorm`` < CONVERGED_TOL.

    The Hessian H = ∇²L(θ) decides (:func:`core.analysis.classify`, eigenvalues λ₁ ≤ λ₂):
    ``converged`` only at a minimum (λ₁ > 0); ``saddle`` where λ₁ < 0 < λ₂ (the run stalled
    where g = 0 but L(θ + εu) ≈ L(θ) + ½λ₁ε² < L(θ) along the eigenvector u of λ₁);
    ``stalled`` anywhere else (a maximum, λ₂ < 0; a degenerate point, an eigenvalue ≈ 0, where
    the second-order test cannot tell; or a Hessian that is not finite). The message names θ
    and the eigenvalues.
    """
    from core.analysis import classify

    a = classify(problem, theta)
    status = _STOPPED_STATUS.get(a.kind, "stalled")
    where = a.kind if a.kind in ("minimum", "maximum", "saddle", "degenerate") else "other"
    l1, l2 = a.eigenvalues
    note = ("saddle" if status == "saddle" else
            "degenerate" if status == "stalled" and a.kind == "degenerate" else "none")
    args = {"key": "stopped", "where_key": f"where {where}", "x": f"{theta[0]:.6g}",
            "y": f"{theta[1]:.6g}", "gnorm": f"{gnorm:.2g}", "steps": str(steps),
            "eig_key": "eig" if np.all(np.isfinite(a.eigenvalues)) else "eig not finite",
            "l1": f"{l1:.4g}", "l2": f"{l2:.4g}", "note_key": f"note {note}"}
    return status, args


def _finish(problem: Problem, cfg: RunConfig, schedule: BatchSchedule, theta: np.ndarray,
            grad: np.ndarray, bound: float, loss: np.ndarray, batch_loss: np.ndarray,
            bad: np.ndarray, gnorm: float) -> Trajectory:
    """Cut at divergence (``bad``: from :func:`_bad_points`) and decide the status (``gnorm``:
    ‖∇L‖ at the last θ)."""
    steps = len(grad)
    status, args = "ok", {}
    if bad[0]:
        raise TextError(text(_RUN_CANNOT_START, run=repr(cfg.label),
                             why=_bad_start(theta[0], float(loss[0]), bound)))
    if bad.any():
        first = int(np.argmax(bad))  # θ^first is the first bad point: update first-1 broke it
        why = ("why bound" if np.all(np.isfinite(theta[first])) and np.isfinite(loss[first])
               and np.any(np.abs(theta[first]) > bound) else "why overflow")
        broke = first - 1  # update t moves θᵗ to θᵗ⁺¹: update first−1 produced the bad point
        args = {"key": "diverged", "broke": str(broke), "why_key": why, "bound": f"{bound:.3g}",
                "lr": f"{cfg.lr:g}", "kept_key": "kept" if broke > 0 else "kept start",
                "last": str(broke - 1)}
        status = "diverged"
        theta, loss, grad = theta[:first], loss[:first], grad[: first - 1]
        steps = first - 1
    batch_loss = batch_loss[:steps]
    epoch = (np.arange(steps) // schedule.batches_per_epoch).astype(np.int32)
    if status == "ok" and steps > 0 and gnorm < CONVERGED_TOL:
        status, args = _stopped(problem, theta[-1], gnorm, steps)
    return Trajectory(cfg, schedule, theta, loss, grad, batch_loss, epoch, status,
                      run_message(args), args)


def losses(problem: Problem, schedules: Sequence[BatchSchedule], theta: np.ndarray,
           batch_weights: Callable[[int, int], np.ndarray],
           progress: Callable[[int], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """L(θᵗ) and L_{bᵗ}(θᵗ) of K runs, θ: (T+1, K, 2), from one evaluation of every ℓᵢ.

    Returns the full loss (T+1, K) and the batch losses (T, K) of updates 0..T−1 (run k's
    batches from ``schedules[k]``), with the arithmetic of :meth:`Problem.loss`: each is
    Σᵢ wᵢ ℓᵢ(θ) summed along the examples, wᵢ = 1/N, or 1/|b| on the batch (0 off it when
    masked). ``batch_weights(start, stop)`` gives the masked weights (stop − start, K, N)
    prepared for stepping (:meth:`_Group.batch_weights`; unused when batches are gathered).
    ``progress(t)`` is told the θᵗ done so far now and then.
    """
    t1, k = theta.shape[:2]
    n = problem.n
    full = np.empty((t1, k))
    batch = np.empty((t1 - 1, k))
    w_full = problem.weights(None)
    piece = max(1, PIECE_ELEMENTS // (n * k))  # evaluated in cache-sized pieces
    with np.errstate(all="ignore"):
        if problem.masked:
            diff = np.empty((2, min(piece, t1), k, n)) if problem.shifted else None
            for a in range(0, t1, piece):
                b = min(t1, a + piece)
                (v,) = problem.per_example(problem._loss, theta[a:b], problem.examples, diff)
                v = np.broadcast_to(v, (b - a, k, n))
                np.add.reduce(v * w_full, axis=-1, out=full[a:b])
                b1 = min(b, t1 - 1)
                if b1 > a:
                    np.add.reduce(v[: b1 - a] * batch_weights(a, b1), axis=-1, out=batch[a:b1])
                if progress is not None:
                    progress(b)
            return full, batch
        block = max(1, _BLOCK_ELEMENTS // (4 * n * k))  # ℓᵢ(θᵗ) kept for one block: ≤ 8 MB
        for start in range(0, t1, block):
            stop = min(t1, start + block)
            vals = np.empty((stop - start, k, n))
            for a in range(start, stop, piece):
                b = min(stop, a + piece)
                (v,) = problem.per_example(problem._loss, theta[a:b], problem.examples)
                vals[a - start : b - start] = v
                np.add.reduce(vals[a - start : b - start] * w_full, axis=-1, out=full[a:b])
            stop_b = min(stop, t1 - 1)
            if stop_b <= start:
                continue
            for r, sched in enumerate(schedules):
                v = vals[: stop_b - start, r]
                if sched.full_batch:  # the batch is every example: L_b = L
                    batch[start:stop_b, r] = full[start:stop_b, r]
                    continue
                idx, sizes = sched.index_block(start, stop_b)
                picked = np.take_along_axis(v, idx, axis=-1)
                out = batch[start:stop_b, r]
                for size in np.unique(sizes):
                    sel = sizes == size
                    out[sel] = np.add.reduce(picked[sel, :size] * (1.0 / size), axis=-1)
            if progress is not None:
                progress(stop)
    return full, batch


def simulate(problem: Problem, configs: Sequence[RunConfig], bound: float | None = None,
             progress: Callable[[int, int], None] | None = None,
             should_stop: StopFn | None = None) -> list[Trajectory]:
    """Simulate every run; runs sharing optimizer and batch size step together (vectorized).

    Each run makes ``config.steps`` updates, or stops early when it diverges (non-finite values
    or |θ| beyond ``bound``): it keeps its finite prefix and is marked ``diverged``.

    ``progress(done, total)``, if given, is called between blocks of updates with the work done
    so far (stepping and then evaluating the losses; arbitrary units, ``done`` ≤ ``total``); it
    may raise to stop the computation (e.g. on Ctrl-C).
    ``should_stop`` is asked between blocks of updates (:class:`core.cancel.Cancelled`).
    """
    bound = divergence_bound(problem) if bound is None else bound
    out: list[Trajectory | None] = [None] * len(configs)
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(configs):
        groups.setdefault(_group_key(problem, c), []).append(i)
    work = [max(configs[i].steps for i in m) + 1 for m in groups.values()]
    total, base = 2 * sum(work), 0

    def tell(done: int) -> None:
        if progress is not None:
            progress(min(base + done, total), total)

    tell(0)
    for members, w in zip(groups.values(), work, strict=True):
        cfgs = [configs[i] for i in members]
        T = max(c.steps for c in cfgs)
        grp = _Group(problem, cfgs)
        grp._load_block(0, T)  # batches for all T updates at once when they fit in a block
        K = len(cfgs)
        theta = np.empty((T + 1, K, 2))
        grad = np.empty((T, K, 2))
        theta[0] = grp.theta
        with np.errstate(all="ignore"):
            t = 0
            while t < T:
                check(should_stop)
                stop = min(T, t + BLOCK)
                grp.advance(stop - t, theta[t + 1 : stop + 1], grad[t:stop])
                t = stop
                tell(t)
                alive = np.all(np.isfinite(grp.theta), axis=1) & np.all(
                    np.abs(grp.theta) <= bound, axis=1)
                if not alive.any():
                    theta, grad = theta[: t + 1], grad[:t]
                    break
        check(should_stop)
        # every ℓᵢ(θᵗ) evaluated once; masked batch weights reused from stepping
        base += w
        full, batch = losses(problem, grp.schedules, theta, grp.batch_weights, tell)
        base += w
        tell(0)
        bad = _bad_points(theta, grad, full, bound)
        last = [min(configs[i].steps, len(grad)) for i in members]
        with np.errstate(all="ignore"):  # ‖∇L‖ at every run's last θ, in one call
            gnorm = np.linalg.norm(problem.grad(theta[last, np.arange(K)]), axis=-1)
        for k, i in enumerate(members):
            steps = last[k]
            th_k, g_k = theta[: steps + 1, k], grad[:steps, k]
            loss_k, bl_k = full[: steps + 1, k], batch[:steps, k]
            if len(members) > 1:  # a single run keeps its arrays: no copy, half the peak memory
                th_k, g_k, loss_k, bl_k = th_k.copy(), g_k.copy(), loss_k.copy(), bl_k.copy()
            out[i] = _finish(problem, configs[i], grp.schedules[k], th_k, g_k, bound, loss_k,
                             bl_k, bad[: steps + 1, k], float(gnorm[k]))
    return [o for o in out if o is not None]


class Stepper:
    """One run advanced one update at a time with the same kernel as :func:`simulate`."""

    def __init__(self, problem: Problem, config: RunConfig) -> None:
        self._group = _Group(problem, [config])
        self.problem = problem
        self.config = config

    @property
    def t(self) -> int:
        return self._group.t

    @property
    def theta(self) -> np.ndarray:
        return self._group.theta[0].copy()

    @property
    def state(self):
        return self._group.state

    def step(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Make update t: returns (θᵗ, gᵗ, θᵗ⁺¹)."""
        before = self._group.theta[0].copy()
        with np.errstate(all="ignore"):
            g = self._group.step()[0]
        return before, g.copy(), self._group.theta[0].copy()


def problem_of(scenario: Scenario) -> Problem:
    """The :class:`Problem` of a scenario's ``[surface]``."""
    s = scenario.surface
    return Problem(s.surface(), s.examples, s.noise, s.seed)


def simulate_scenario(scenario: Scenario, progress: Callable[[int, int], None] | None = None
                      ) -> tuple[Problem, list[Trajectory]]:
    """Build the problem and simulate every run of a scenario (``progress``: see
    :func:`simulate`)."""
    problem = problem_of(scenario)
    return problem, simulate(problem, scenario.runs, progress=progress)

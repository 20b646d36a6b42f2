"""A training problem: a surface, its N examples, and exact losses, gradients and Hessians.

The loss is a mean over the N examples, L(θ) = (1/N) Σᵢ ℓᵢ(θ); a mini-batch b has the loss
L_b(θ) = (1/|b|) Σ_{i∈b} ℓᵢ(θ) and the gradient g = ∇L_b(θ). For an analytic surface f,
ℓᵢ(θ) = f(θ − δᵢ) with offsets δᵢ ~ Normal(0, noise²) drawn in ± pairs, so Σᵢ δᵢ = 0 and a
symmetric f keeps its symmetry in L; with noise = 0 every batch's gradient equals ∇L(θ).

All evaluations are vectorized over points θ of shape ``(..., 2)``, and every mean is taken
the same way (``sum over the batch / |b|``, summed in sorted index order), so the full-batch
gradient used by an update and :meth:`Problem.grad` agree to the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core import expr
from core.cancel import StopFn, check
from core.surfaces import DATA_VARS, KnownPoint, Surface

#: Elements of one intermediate array when evaluating many points (grids): large enough that
#: the per-chunk Python overhead is small, small enough to keep memory to a few MB.
CHUNK_ELEMENTS = 1 << 16
#: Up to this many examples, batch means are masked sums over all N (see Problem.masked).
MASK_MAX_N = 64
VARIABLES = ("x", "y", *DATA_VARS)


def offsets(n: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Per-example offsets δᵢ ~ Normal(0, noise²) in ± pairs: shape (n, 2), Σᵢ δᵢ = 0.

    With odd n the last example gets δ = 0. The pairs are interleaved in a random order.
    """
    half = rng.standard_normal((n // 2, 2)) * noise
    out = np.zeros((n, 2))
    out[0 : 2 * (n // 2) : 2] = half
    out[1 : 2 * (n // 2) : 2] = -half
    return out[rng.permutation(n)]


@dataclass(frozen=True)
class CriticalPoint:
    """A critical point of the full loss L (refined by Newton's method on exact derivatives)."""

    theta: tuple[float, float]
    kind: str
    value: float


class Problem:
    """A surface with its N examples: exact ℓᵢ, L, L_b, ∇ and Hessians on any points.

    ``data`` has shape (N, 2): the offsets δᵢ of an analytic surface, or the examples (uᵢ, vᵢ)
    of a data surface.
    """

    def __init__(
        self,
        surface: Surface,
        examples: int = 20,
        noise: float = 0.0,
        seed: int = 0,
        node: expr.Node | None = None,
    ) -> None:
        if examples < 1:
            raise ValueError(f"the number of examples N must be ≥ 1 (got {examples})")
        self.surface = surface
        self.n = int(examples)
        self.noise = float(noise)
        self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        if surface.is_data:
            assert surface.make_data is not None
            self.data = np.ascontiguousarray(surface.make_data(self.n, self.noise, rng), float)
            base = node if node is not None else expr.parse(surface.expression, VARIABLES)
            example = base
            variables: tuple[str, ...] = VARIABLES
        else:
            self.data = offsets(self.n, self.noise, rng)
            base = node if node is not None else expr.parse(surface.expression, ("x", "y"))
            x, y, u, v = (expr.var(n) for n in VARIABLES)
            example = expr.substitute(base, {"x": x - u, "y": y - v})
            variables = ("x", "y")
        #: ℓᵢ(θ) = f(θ − δᵢ): the programs below are f's, evaluated at the differences θ − δᵢ.
        self.shifted = not surface.is_data
        self.f_node = base
        self.example_node = example
        dx = expr.diff(base, "x")
        dy = expr.diff(base, "y")
        self._loss = expr.compile_outputs([base], variables)
        self._grad = expr.compile_outputs([dx, dy], variables)
        self._hess = expr.compile_outputs(
            [expr.diff(dx, "x"), expr.diff(dx, "y"), expr.diff(dy, "y")], variables
        )
        #: The examples as rows: E = (u; v), shape (2, N) (u = δ₁, v = δ₂ for offsets).
        self.examples = np.ascontiguousarray(self.data.T)
        self.u = self.examples[0]
        self.v = self.examples[1]

    # -- raw per-example evaluation -------------------------------------------------------
    @property
    def masked(self) -> bool:
        """True when batch means are taken over all N examples with weights (N ≤ MASK_MAX_N).

        Either way a batch mean is Σᵢ wᵢ·ℓᵢ summed along one contiguous axis, with wᵢ = 1/|b|
        for the batch's examples; masked, the others enter with wᵢ = 0. Which arithmetic is used
        depends on N only, so a run's numbers never depend on the runs it is simulated with.
        """
        return self.n <= MASK_MAX_N

    def check_batch(self, batch: np.ndarray | Sequence[int]) -> np.ndarray:
        """A batch's example indices as an int array; ``ValueError`` unless it is a non-empty
        set of indices in 0..N−1 (a batch of a run made with another N, or larger than N)."""
        b = np.asarray(batch)
        if b.ndim != 1 or b.size == 0 or not np.issubdtype(b.dtype, np.integer):
            raise ValueError(f"a batch must be a non-empty list of example indices "
                             f"(got shape {b.shape}, {b.dtype})")
        if b.size > self.n or b.min() < 0 or b.max() >= self.n:
            raise ValueError(f"a batch must hold at most N = {self.n} example indices in "
                             f"0..{self.n - 1} (got {b.size} in {b.min()}..{b.max()})")
        return b

    def weights(self, batch: np.ndarray | None) -> np.ndarray:
        """The weights wᵢ of a batch mean: (N,) if masked (or for the full batch), else (|b|,).

        Raises ``ValueError`` for a batch that is not one of this problem's (:meth:`check_batch`).
        """
        if batch is None:
            return np.full(self.n, 1.0 / self.n)
        batch = self.check_batch(batch)
        if self.masked:
            w = np.zeros(self.n)
            w[batch] = 1.0 / len(batch)
            return w
        return np.full(len(batch), 1.0 / len(batch))

    def batch_examples(self, idx: np.ndarray) -> np.ndarray:
        """The examples of gathered batches: ``idx`` (..., |b|) gives E of shape (2, ..., |b|)."""
        return np.ascontiguousarray(np.moveaxis(self.data[idx], -1, 0))

    def per_example(self, program: expr.Program, theta: np.ndarray, examples: np.ndarray,
                    buffer: np.ndarray | None = None) -> tuple[np.ndarray | float, ...]:
        """A program's outputs at every θ (..., 2) and every example of E: (2, N), (2, ..., B).

        Offset surfaces evaluate f at the differences θ − δᵢ, computed for both coordinates in
        one subtraction into a coordinate-first array (2, ..., N) so that each coordinate is
        contiguous (into ``buffer[:, :len(θ)]`` when given, to reuse memory across chunks);
        data surfaces evaluate ℓ(x, y, uᵢ, vᵢ). Outputs come from :meth:`Program.raw`: not
        broadcast to a common shape, and to be consumed before the next call. The caller holds
        ``np.errstate``.
        """
        lead = theta.shape[:-1]
        if examples.ndim == 2:  # the same examples for every θ
            examples = examples.reshape((2,) + (1,) * len(lead) + examples.shape[-1:])
        if self.shifted:
            out = None if buffer is None else buffer[:, : lead[0]]
            d = np.subtract(np.moveaxis(theta, -1, 0)[..., None], examples, out=out)
            return program.raw(d[0], d[1])
        return program.raw(theta[..., 0:1], theta[..., 1:2], examples[0], examples[1])

    def _reduce(self, program: expr.Program, theta: np.ndarray, batch: np.ndarray | None,
                should_stop: StopFn | None = None):
        """Σᵢ wᵢ·(each output at example i) at every θ of shape (..., 2), chunked over θ
        (``should_stop`` is asked before every chunk: :class:`core.cancel.Cancelled`).

        The products wᵢ·vᵢ of all outputs go into one array (outputs, M, N) summed along its
        last axis in one call, as the stepping loop does.
        """
        theta = np.asarray(theta, dtype=float)
        if batch is not None:
            batch = self.check_batch(batch)
        gathered = batch is not None and not self.masked
        e = self.examples[:, batch] if gathered else self.examples
        w = self.weights(batch)
        lead = theta.shape[:-1]
        flat = theta.reshape(-1, 2)
        k_out = program.n_outputs
        out = np.empty((k_out, len(flat)))
        width = e.shape[-1]
        step = min(len(flat), max(1, CHUNK_ELEMENTS // max(width, 1)))
        # buffers reused by every chunk (fresh large arrays cost page faults)
        diff = np.empty((2, step, width)) if self.shifted else None
        products = np.empty((k_out, step, width))
        with np.errstate(all="ignore"):
            for s in range(0, len(flat), step):
                check(should_stop)
                part = flat[s : s + step]
                prod = products[:, : len(part)]
                for k, val in enumerate(self.per_example(program, part, e, diff)):
                    np.multiply(val, w, out=prod[k])
                np.add.reduce(prod, axis=-1, out=out[:, s : s + step])
        return out.reshape((k_out, *lead))

    def example_losses(self, theta: np.ndarray) -> np.ndarray:
        """ℓᵢ(θ) for every example: shape (..., N)."""
        theta = np.asarray(theta, dtype=float)
        with np.errstate(all="ignore"):
            (vals,) = self.per_example(self._loss, theta, self.examples)
            return np.broadcast_to(vals, (*theta.shape[:-1], self.n)).copy()

    # -- the losses ---------------------------------------------------------------------------
    def loss(self, theta: np.ndarray, batch: np.ndarray | None = None) -> np.ndarray:
        """L(θ) (``batch=None``) or the batch loss L_b(θ) = (1/|b|) Σ_{i∈b} ℓᵢ(θ)."""
        return self._reduce(self._loss, theta, batch)[0]

    def grad(self, theta: np.ndarray, batch: np.ndarray | None = None) -> np.ndarray:
        """g = ∇L(θ) or ∇L_b(θ), exact: shape (..., 2)."""
        gx, gy = self._reduce(self._grad, theta, batch)
        return np.stack([gx, gy], axis=-1)

    def hessian(self, theta: np.ndarray, batch: np.ndarray | None = None) -> np.ndarray:
        """∇²L(θ) or ∇²L_b(θ), exact: shape (..., 2, 2)."""
        hxx, hxy, hyy = self._reduce(self._hess, theta, batch)
        return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)

    def loss_grid(
        self,
        xs: np.ndarray,
        ys: np.ndarray,
        batch: np.ndarray | None = None,
        shift: tuple[float, float] = (0.0, 0.0),
        should_stop: StopFn | None = None,
    ) -> np.ndarray:
        """L on the grid ``z[i, j] = L(xs[i] − shift₁, ys[j] − shift₂)`` (indexing "ij").

        A non-zero ``shift`` gives the lecture's "testing loss": the training loss moved a
        little. ``should_stop`` is asked between chunks (:class:`core.cancel.Cancelled`).
        """
        gx, gy = np.meshgrid(np.asarray(xs, float) - shift[0], np.asarray(ys, float) - shift[1],
                             indexing="ij")
        return self._reduce(self._loss, np.stack([gx, gy], axis=-1), batch, should_stop)[0]

    # -- the stepping kernel --------------------------------------------------------------------
    def batch_grad_block(self, theta: np.ndarray, examples: np.ndarray, w: np.ndarray | float,
                         out: np.ndarray) -> np.ndarray:
        """Batch gradients g of K runs at once, written into ``out`` (K, 2).

        θ: (K, 2); E: the examples, (2, N) when masked or (2, K, |b|) gathered; w: the weights
        (K, N), (N,) or a number 1/|b|. g_k = Σᵢ wₖᵢ ∇ℓᵢ(θ_k), the arithmetic of :meth:`grad`.
        The caller holds ``np.errstate(all="ignore")``.
        """
        gx, gy = self.per_example(self._grad, theta, examples)
        prod = np.empty((2, len(theta), examples.shape[-1]))
        np.multiply(gx, w, out=prod[0])
        np.multiply(gy, w, out=prod[1])
        np.add.reduce(prod, axis=-1, out=out.T)
        return out

    # -- critical points -------------------------------------------------------------------------
    def refine(self, theta: tuple[float, float], iterations: int = 50) -> np.ndarray | None:
        """Newton's method θ ← θ − H⁻¹∇L on the full loss; None if it does not converge."""
        p, ok = self.refine_many(np.array([theta], dtype=float), iterations)
        return p[0] if ok[0] else None

    def refine_many(self, theta: np.ndarray, iterations: int = 50
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Newton's method θ ← θ − H⁻¹∇L (exact ∇L and H = ∇²L) from M starts at once.

        ``theta``: (M, 2). Each point iterates until its step is below 1e-15·(1 + ‖θ‖), its
        Hessian is singular or not finite, or ``iterations`` steps are made. Returns the
        points (M, 2) and whether each converged to a critical point (‖∇L‖ < 1e-8, finite):
        the arithmetic per point is that of one point alone.
        """
        p = np.array(theta, dtype=float).reshape(-1, 2)
        active = np.all(np.isfinite(p), axis=1)
        failed = ~active
        with np.errstate(all="ignore"):
            for _ in range(iterations):
                rows = np.flatnonzero(active)
                if not len(rows):
                    break
                q = p[rows]
                g = self.grad(q)
                h = self.hessian(q)
                usable = np.all(np.isfinite(h), axis=(1, 2))
                usable[usable] = np.abs(np.linalg.det(h[usable])) >= 1e-300
                active[rows[~usable]] = False
                rows, q, g, h = rows[usable], q[usable], g[usable], h[usable]
                step = np.linalg.solve(h, g[..., None])[..., 0]
                q = q - step
                p[rows] = q
                bad = ~np.all(np.isfinite(q), axis=1)
                failed[rows[bad]] = True
                done = bad | (np.linalg.norm(step, axis=1)
                              <= 1e-15 * (1.0 + np.linalg.norm(q, axis=1)))
                active[rows[done]] = False
            g = self.grad(p)
            # in errstate: ‖g‖ far out overflows (inf: not converged, found by the monkey test)
            ok = ~failed & np.all(np.isfinite(g), axis=1) & (np.linalg.norm(g, axis=1) < 1e-8)
        return p, ok

    def critical_points(self) -> list[CriticalPoint]:
        """The known critical points of the surface, moved to where L's really are.

        Noise shifts L's critical points away from f's; each known point is refined by Newton's
        method and kept if it stays nearby and keeps its kind. For data surfaces the least
        squares / symmetric minima are found the same way from the surface's known points.
        """
        from core.analysis import classify  # local: analysis imports problem

        found: list[CriticalPoint] = []
        for known in self._seeds():
            p = self.refine(known.theta)
            if p is None:
                continue
            if np.linalg.norm(p - np.array(known.theta)) > 0.5 + 2 * self.noise:
                continue
            kind = classify(self, p).kind
            if kind != known.kind and not (known.note == "degenerate" and kind == "degenerate"):
                continue
            if any(np.linalg.norm(p - np.array(c.theta)) < 1e-6 for c in found):
                continue
            found.append(CriticalPoint((float(p[0]), float(p[1])), kind, float(self.loss(p))))
        return found

    def _seeds(self) -> list[KnownPoint]:
        points = list(self.surface.points)
        if self.surface.data_points is not None:
            points += self.surface.data_points(self.data)
        return points

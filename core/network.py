"""A real network on real data: scikit-learn's digits and a fully connected net in NumPy.

Notation (Hung-yi Lee, "batch and momentum"): θ the parameters (one flat float64 vector of P
numbers), g = ∇L_b(θ) the gradient of a batch's loss, m the movement, λ momentum, η learning
rate, B the batch size, N the number of training examples.

**Data** (:func:`load_digits_split`): the 1,797 8×8 digits bundled with scikit-learn (no
download), pixel values ∈ 0..16 scaled by 1/16, split 80/20 stratified by class with
``train_test_split(stratify=y, random_state=seed)``.

**Model** (:class:`Network`): layers d₀ → d₁ → … → d_L (default 64 → 32 → 10),
a₀ = x,  z_k = a_{k−1} W_k + b_k,  a_k = σ(z_k) for the hidden layers (σ = tanh or relu) and
the output o = z_L (no activation). θ = [vec W₁, b₁, vec W₂, b₂, …] with W_k of shape
(d_{k−1}, d_k) stored row-major; :meth:`Network.unflatten` returns views into θ. The loss of a
batch b of examples (xᵢ, yᵢ) is a mean, L_b(θ) = (1/|b|) Σ_{i∈b} ℓ(oᵢ, yᵢ), with

* ``cross_entropy``: ℓ = log Σₖ exp(oₖ) − o_y (softmax cross-entropy);
* ``mse``: ℓ = ½ Σₖ (oₖ − onehot(y)ₖ)².

Weights start N(0, 1/d_{k−1}), biases 0, drawn from a seeded ``np.random.Generator``.

**Derivatives** are exact, vectorized over the batch. The gradient by backpropagation: with
δ_L = ∂L_b/∂z_L = (softmax(o) − onehot(y))/|b| (cross-entropy) or (o − onehot(y))/|b| (mse),
∂L_b/∂W_k = a_{k−1}ᵀ δ_k, ∂L_b/∂b_k = Σᵢ δ_k,ᵢ, δ_{k−1} = (δ_k W_kᵀ) ⊙ σ′(z_{k−1}).
The Hessian-vector product H v = ∇²L_b(θ) v by Pearlmutter's R-operator (R{·} = d/dr (·)(θ + r v)
at r = 0; one forward and one backward pass): with v = [V_k, c_k],
R{a₀} = 0, R{z_k} = R{a_{k−1}} W_k + a_{k−1} V_k + c_k, R{a_k} = σ′(z_k) ⊙ R{z_k};
R{δ_L} = (p ⊙ R{o} − p (pᵀR{o}))/|b| with p = softmax(o) (cross-entropy) or R{o}/|b| (mse);
R{δ_{k−1}} = (R{δ_k} W_kᵀ + δ_k V_kᵀ) ⊙ σ′(z_{k−1}) + (δ_k W_kᵀ) ⊙ σ″(z_{k−1}) ⊙ R{z_{k−1}};
(H v)_{W_k} = R{a_{k−1}}ᵀ δ_k + a_{k−1}ᵀ R{δ_k}, (H v)_{b_k} = Σᵢ R{δ_k}ᵢ.

**Training** (:func:`train`) uses the project's optimizers (:mod:`core.optim`: momentum is the
lecture's m = λm − ηg, θ = θ + m) on θ of shape (1, P) and the project's sampler
(:class:`core.sampler.BatchSchedule`: the N examples are shuffled every epoch).

**Sharpness** (:func:`top_eigenvalue`, :func:`epsilon_sharpness`): the largest eigenvalue of
∇²L(θ) over the training set from Hessian-vector products (Lanczos, ``scipy.sparse.linalg.eigsh``),
and Keskar et al.'s ε-sharpness with A = identity.

Nothing here imports Qt.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from core.cancel import StopFn, check
from core.optim import make_optimizer
from core.sampler import BatchSchedule

if TYPE_CHECKING:  # SciPy is imported where it is used: the window opens without it (~1 s)
    from scipy.sparse.linalg import LinearOperator

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "Dataset",
    "Network",
    "ProgressFn",
    "TrainResult",
    "epsilon_sharpness",
    "hessian_operator",
    "interpolate",
    "load_digits_split",
    "top_eigenvalue",
    "train",
]

ACTIVATIONS = ("tanh", "relu")
LOSSES = ("cross_entropy", "mse")


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """A train/test split. ``*_indices`` index into ``sklearn.datasets.load_digits()``'s order."""

    name: str
    input_scale: float
    split_seed: int
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    train_indices: np.ndarray
    test_indices: np.ndarray
    classes: int

    @property
    def n_train(self) -> int:
        """N: the number of training examples."""
        return int(self.x_train.shape[0])

    @property
    def n_test(self) -> int:
        """The number of test examples."""
        return int(self.x_test.shape[0])

    @property
    def inputs(self) -> int:
        """d₀: the number of inputs per example."""
        return int(self.x_train.shape[1])


def load_digits_split(seed: int = 0, test_fraction: float = 0.2) -> Dataset:
    """scikit-learn's digits (8×8 images, inputs x = pixels/16 ∈ [0, 1]) split stratified.

    ``train_test_split(arange(1797), stratify=y, test_size=test_fraction, random_state=seed)``:
    the same seed gives the same split on every computer.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test fraction must be in (0, 1) (got {test_fraction!r})")
    digits = load_digits()
    x = np.asarray(digits.data, dtype=np.float64) / 16.0
    y = np.asarray(digits.target, dtype=np.intp)
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=test_fraction, stratify=y, random_state=seed)
    tr, te = np.asarray(tr, dtype=np.intp), np.asarray(te, dtype=np.intp)
    return Dataset("digits", 1.0 / 16.0, int(seed), np.ascontiguousarray(x[tr]), y[tr],
                   np.ascontiguousarray(x[te]), y[te], tr, te, int(y.max()) + 1)


# ---------------------------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------------------------


def _act(name: str, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    if name == "tanh":
        return np.tanh(z, out=out)
    return np.maximum(z, 0.0, out=out)


def _dact(name: str, a: np.ndarray) -> np.ndarray:
    """σ′(z) from a = σ(z): 1 − a² (tanh) or 1[z > 0] (relu)."""
    if name == "tanh":
        d = a * a
        np.subtract(1.0, d, out=d)
        return d
    return (a > 0.0).astype(np.float64)


def _ddact(name: str, a: np.ndarray, da: np.ndarray) -> np.ndarray | None:
    """σ″(z) from a = σ(z) and σ′: −2a(1 − a²) (tanh); relu's is 0 almost everywhere (None)."""
    if name == "tanh":
        return -2.0 * a * da
    return None


@dataclass(frozen=True)
class Network:
    """A fully connected network d₀ → d₁ → … → d_L with a flat parameter vector θ.

    ``layers`` = (d₀, …, d_L); ``activation`` σ of the hidden layers; ``loss`` ℓ (see the module
    docstring). All methods take θ as a flat (P,) float64 array (or (1, P)).
    """

    layers: tuple[int, ...] = (64, 32, 10)
    activation: str = "tanh"
    loss: str = "cross_entropy"
    _slices: tuple[tuple[slice, slice], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        layers = tuple(int(d) for d in self.layers)
        if len(layers) < 2 or any(d < 1 for d in layers):
            raise ValueError(f"layers must be ≥ 2 positive sizes (got {list(self.layers)})")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r} "
                             f"(choose one of: {', '.join(ACTIVATIONS)})")
        if self.loss not in LOSSES:
            raise ValueError(f"unknown loss {self.loss!r} (choose one of: {', '.join(LOSSES)})")
        object.__setattr__(self, "layers", layers)
        slices = []
        at = 0
        for fan_in, fan_out in itertools.pairwise(layers):
            w = slice(at, at + fan_in * fan_out)
            at += fan_in * fan_out
            b = slice(at, at + fan_out)
            at += fan_out
            slices.append((w, b))
        object.__setattr__(self, "_slices", tuple(slices))

    @property
    def n_params(self) -> int:
        """P = Σ_k (d_{k−1} + 1)·d_k."""
        return self._slices[-1][1].stop

    @property
    def depth(self) -> int:
        """L: the number of weight layers."""
        return len(self._slices)

    def unflatten(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(W_k, b_k)] as views into θ: W_k (d_{k−1}, d_k), b_k (d_k,)."""
        flat = np.asarray(theta).reshape(-1)
        if flat.shape[0] != self.n_params:
            raise ValueError(f"θ must have P = {self.n_params} entries (got {flat.shape[0]})")
        out = []
        for (w, b), fan_in, fan_out in zip(self._slices, self.layers[:-1], self.layers[1:],
                                           strict=True):
            out.append((flat[w].reshape(fan_in, fan_out), flat[b]))
        return out

    def init(self, rng: np.random.Generator) -> np.ndarray:
        """θ⁰: W_k ~ N(0, 1/d_{k−1}) entry by entry (layer by layer, row-major), b_k = 0."""
        theta = np.zeros(self.n_params)
        for (w, _), fan_in in zip(self._slices, self.layers[:-1], strict=True):
            theta[w] = rng.normal(0.0, 1.0 / math.sqrt(fan_in), w.stop - w.start)
        return theta

    # -- forward ---------------------------------------------------------------------------

    def _forward(self, params: list[tuple[np.ndarray, np.ndarray]],
                 x: np.ndarray) -> list[np.ndarray]:
        """[a₀, a₁, …, a_{L−1}, o]: activations of every layer (o = z_L)."""
        acts = [x]
        a = x
        last = len(params) - 1
        for k, (w, b) in enumerate(params):
            z = a @ w
            z += b
            a = z if k == last else _act(self.activation, z, out=z)
            acts.append(a)
        return acts

    def outputs(self, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
        """o: the network's outputs (logits for cross-entropy), shape (n, d_L)."""
        return self._forward(self.unflatten(theta), x)[-1]

    def _loss_and_delta(self, o: np.ndarray, y: np.ndarray,
                        need_delta: bool = True) -> tuple[float, np.ndarray | None, Any]:
        """L_b, δ_L = ∂L_b/∂o and what the R-pass needs (p = softmax(o) for cross-entropy)."""
        n = o.shape[0]
        rows = np.arange(n)
        if self.loss == "cross_entropy":
            shift = o.max(axis=1, keepdims=True)
            e = o - shift
            np.exp(e, out=e)
            s = e.sum(axis=1, keepdims=True)
            logz = np.log(s) + shift
            loss = float((logz[:, 0] - o[rows, y]).sum() / n)
            if not need_delta:
                return loss, None, None
            p = e
            p /= s
            delta = p.copy()
            delta[rows, y] -= 1.0
            delta /= n
            return loss, delta, p
        r = o.copy()
        r[rows, y] -= 1.0
        loss = float(0.5 * np.einsum("ij,ij->", r, r) / n)
        if not need_delta:
            return loss, None, None
        r /= n
        return loss, r, None

    def loss_value(self, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
        """L_b(θ) = (1/n) Σᵢ ℓ(o(xᵢ), yᵢ)."""
        o = self._forward(self.unflatten(theta), x)[-1]
        return self._loss_and_delta(o, y, need_delta=False)[0]

    def evaluate(self, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """(L(θ), accuracy): the mean loss and the share of examples with argmax o = y."""
        o = self._forward(self.unflatten(theta), x)[-1]
        acc = float(np.mean(np.argmax(o, axis=1) == y))
        return self._loss_and_delta(o, y, need_delta=False)[0], acc

    # -- gradient ----------------------------------------------------------------------------

    def loss_grad(self, theta: np.ndarray, x: np.ndarray, y: np.ndarray,
                  out: np.ndarray | None = None) -> tuple[float, np.ndarray]:
        """(L_b(θ), g = ∇L_b(θ)) by backpropagation; g is written into ``out`` when given."""
        params = self.unflatten(theta)
        acts = self._forward(params, x)
        loss, delta, _ = self._loss_and_delta(acts[-1], y)
        g = np.empty(self.n_params) if out is None else out.reshape(-1)
        grads = self.unflatten(g)
        for k in range(self.depth - 1, -1, -1):
            gw, gb = grads[k]
            np.matmul(acts[k].T, delta, out=gw)
            np.sum(delta, axis=0, out=gb)
            if k:
                d = delta @ params[k][0].T
                d *= _dact(self.activation, acts[k])
                delta = d
        return loss, g

    # -- Hessian-vector product ------------------------------------------------------------

    def hvp(self, theta: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """H v = ∇²L_b(θ) v, exactly, by the R-operator (one forward and one backward pass)."""
        params = self.unflatten(theta)
        vparams = self.unflatten(np.asarray(v, dtype=np.float64))
        n = x.shape[0]
        act = self.activation
        last = self.depth - 1
        # forward: a_k, σ′(z_k), R{z_k}, R{a_k}
        acts, dacts, rzs, racts = [x], [None], [None], [None]
        a, ra = x, None
        for k, ((w, b), (vw, vb)) in enumerate(zip(params, vparams, strict=True)):
            z = a @ w
            z += b
            rz = a @ vw
            rz += vb
            if ra is not None:
                rz += ra @ w
            if k == last:
                a, ra, da = z, rz, None
            else:
                a = _act(act, z, out=z)
                da = _dact(act, a)
                ra = da * rz
            acts.append(a)
            dacts.append(da)
            rzs.append(rz)
            racts.append(ra)
        o, ro = acts[-1], racts[-1]
        _, delta, p = self._loss_and_delta(o, y)
        assert delta is not None and ro is not None
        if self.loss == "cross_entropy":
            pr = p * ro
            rdelta = pr - p * pr.sum(axis=1, keepdims=True)
            rdelta /= n
        else:
            rdelta = ro / n
        # backward: δ_k and R{δ_k}
        hv = np.empty(self.n_params)
        hparams = self.unflatten(hv)
        for k in range(last, -1, -1):
            hw, hb = hparams[k]
            np.matmul(acts[k].T, rdelta, out=hw)
            if racts[k] is not None:
                hw += racts[k].T @ delta
            np.sum(rdelta, axis=0, out=hb)
            if k:
                w, vw = params[k][0], vparams[k][0]
                da = dacts[k]
                back = delta @ w.T  # δ_{k+1} W_{k+1}ᵀ (0-based k)
                nrd = rdelta @ w.T
                nrd += delta @ vw.T
                nrd *= da
                dd = _ddact(act, acts[k], da)
                if dd is not None:
                    dd *= back
                    dd *= rzs[k]
                    nrd += dd
                back *= da
                delta, rdelta = back, nrd
        return hv

    def hessian(self, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The dense P×P Hessian from P Hessian-vector products (for small networks and tests)."""
        p = self.n_params
        eye = np.eye(p)
        h = np.stack([self.hvp(theta, eye[j], x, y) for j in range(p)], axis=1)
        return 0.5 * (h + h.T)


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------

ProgressFn = Callable[[int, int, float], None]
"""``progress(updates, epochs, training loss)``: called at the end of every epoch."""


@dataclass
class TrainResult:
    """One training run's end point and how it got there.

    ``stopped``: ``"until_loss"`` (L(θ) ≤ the target, checked at every epoch's end),
    ``"epochs"``, ``"updates"`` or ``"diverged"`` (L(θ) not finite).
    ``sharpness_trace``: [(t, λ_max(∇²L(θᵗ)))] for t = 0, K, 2K, … (with ``sharpness_every``).
    ``loss_trace``: [(t, L(θᵗ))] at the end of every epoch (and at t = 0).
    ``path``: [(t, θᵗ)] for t = 0, K, 2K, … and the last update (with ``path_every`` = K).
    """

    theta: np.ndarray
    updates: int
    batches_per_epoch: int
    train_loss: float
    stopped: str
    seconds: float
    sharpness_trace: list[tuple[int, float]]
    loss_trace: list[tuple[int, float]]
    path: list[tuple[int, np.ndarray]] = field(default_factory=list)

    @property
    def epochs(self) -> float:
        """Epochs made: updates / ⌈N/B⌉ (fractional when a run stops inside an epoch)."""
        return self.updates / self.batches_per_epoch


def train(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    theta0: np.ndarray,
    batch_size: int,
    optimizer: str = "momentum",
    hyper: dict[str, Any] | None = None,
    *,
    seed: int = 0,
    until_loss: float | None = None,
    max_epochs: int | None = None,
    max_updates: int | None = None,
    sharpness_every: int | None = None,
    path_every: int | None = None,
    progress: ProgressFn | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Train from θ⁰ on (x, y) with mini-batches of B examples, shuffled every epoch.

    Update t: b = the t-th batch of :class:`core.sampler.BatchSchedule` (N, B, seed),
    gᵗ = ∇L_b(θᵗ), θᵗ⁺¹ = θᵗ + delta with delta from :mod:`core.optim`'s rule (momentum:
    mᵗ⁺¹ = λmᵗ − ηgᵗ, θᵗ⁺¹ = θᵗ + mᵗ⁺¹). Stops at the first of: the training loss L(θ) over all
    N examples ≤ ``until_loss`` (checked at t = 0 and at the end of every epoch; for B = N
    that is every update), ``max_epochs`` epochs, ``max_updates`` updates. At least one limit
    must be given. With ``path_every`` = K, θᵗ is kept for t = 0, K, 2K, … and the last t
    (the path drawn on a plane by :mod:`core.netplane`). ``progress`` may raise (e.g.
    :class:`core.cancel.Cancelled`) to stop the run; ``should_stop()`` is asked after every
    update and raises :class:`core.cancel.Cancelled` when true. Raises ValueError for bad
    settings.
    """
    n = x.shape[0]
    if until_loss is None and max_epochs is None and max_updates is None:
        raise ValueError("give a training-loss target, a number of epochs or of updates")
    sched = BatchSchedule(n, int(batch_size), seed=int(seed))
    bpe = sched.batches_per_epoch
    limit = math.inf
    if max_epochs is not None:
        limit = max_epochs * bpe
    if max_updates is not None:
        limit = min(limit, max_updates)
    opt = make_optimizer(optimizer, **(hyper or {}))
    theta = np.array(theta0, dtype=np.float64).reshape(1, -1)
    if theta.shape[1] != net.n_params:
        raise ValueError(f"θ⁰ must have P = {net.n_params} entries (got {theta.shape[1]})")
    step = opt.stepper(opt.init(theta)).step
    g = np.empty_like(theta)
    t0 = time.perf_counter()
    sharp: list[tuple[int, float]] = []
    losses: list[tuple[int, float]] = []
    path: list[tuple[int, np.ndarray]] = []

    def eig(t: int) -> None:
        check(should_stop)
        if sharpness_every and t % sharpness_every == 0:
            sharp.append((t, top_eigenvalue(net, theta, x, y, should_stop=should_stop)))
        if path_every and t % path_every == 0:
            path.append((t, theta.reshape(-1).copy()))

    def reached(loss: float) -> str | None:
        if not math.isfinite(loss):
            return "diverged"
        if until_loss is not None and loss <= until_loss:
            return "until_loss"
        return None

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        t, stopped, train_loss = _loop(net, x, y, theta, g, step, sched, limit, max_updates,
                                       reached, eig, losses, progress)
    if path_every and (not path or path[-1][0] != t):
        path.append((t, theta.reshape(-1).copy()))
    return TrainResult(theta.reshape(-1).copy(), t, bpe, float(train_loss), stopped,
                       time.perf_counter() - t0, sharp, losses, path)


def _loop(net: Network, x: np.ndarray, y: np.ndarray, theta: np.ndarray, g: np.ndarray,
          step: Callable[[np.ndarray, np.ndarray], np.ndarray], sched: BatchSchedule,
          limit: float, max_updates: int | None, reached: Callable[[float], str | None],
          eig: Callable[[int], None], losses: list[tuple[int, float]],
          progress: ProgressFn | None) -> tuple[int, str, float]:
    """The stepping loop of :func:`train`: (updates, why it stopped, final training loss)."""
    bpe = sched.batches_per_epoch
    t = 0
    eig(0)
    stopped = ""
    if sched.full_batch:
        loss = math.nan
        while True:
            loss, _ = net.loss_grad(theta, x, y, out=g)
            losses.append((t, loss))
            if progress is not None:
                progress(t, t, loss)
            why = reached(loss)
            if why is not None or t >= limit:
                stopped = why or ("updates" if max_updates is not None and t >= max_updates
                                  else "epochs")
                break
            theta += step(g, theta)
            t += 1
            eig(t)
        train_loss = loss
    else:
        train_loss = net.loss_value(theta, x, y)
        losses.append((0, train_loss))
        epoch = 0
        while True:
            why = reached(train_loss)
            if why is not None or t >= limit:
                stopped = why or ("updates" if max_updates is not None and t >= max_updates
                                  else "epochs")
                break
            idx, sizes = sched.index_block(epoch * bpe, (epoch + 1) * bpe)
            xs, ys = x[idx], y[idx]
            for j in range(bpe):
                if t >= limit:
                    break
                s = int(sizes[j])
                batch_loss, _ = net.loss_grad(theta, xs[j, :s], ys[j, :s], out=g)
                if not math.isfinite(batch_loss):  # diverged inside the epoch
                    break
                theta += step(g, theta)
                t += 1
                eig(t)
            epoch += 1
            train_loss = net.loss_value(theta, x, y)
            losses.append((t, train_loss))
            if progress is not None:
                progress(t, epoch, train_loss)
    return t, stopped, train_loss


# ---------------------------------------------------------------------------------------------
# Sharpness
# ---------------------------------------------------------------------------------------------


def hessian_operator(net: Network, theta: np.ndarray, x: np.ndarray,
                     y: np.ndarray) -> LinearOperator:
    """∇²L(θ) over (x, y) as a SciPy LinearOperator (P×P) whose matvec is :meth:`Network.hvp`."""
    from scipy.sparse.linalg import LinearOperator

    th = np.array(theta, dtype=np.float64).reshape(-1)
    p = net.n_params
    return LinearOperator((p, p), matvec=lambda v: net.hvp(th, np.ravel(v), x, y),
                          dtype=np.float64)


def top_eigenvalue(net: Network, theta: np.ndarray, x: np.ndarray, y: np.ndarray,
                   *, tol: float = 1e-6, seed: int = 0,
                   should_stop: StopFn | None = None) -> float:
    """λ_max(∇²L(θ)): the largest (algebraic) eigenvalue of the loss's Hessian over (x, y).

    Lanczos (``eigsh(k=1, which="LA")``) on Hessian-vector products, started from a seeded
    random vector so the figure is reproducible; ``tol`` is the relative accuracy asked of
    ARPACK. ``should_stop()`` is asked before every Hessian-vector product: True raises
    :class:`core.cancel.Cancelled` out of the iteration.
    """
    from scipy.sparse.linalg import LinearOperator, eigsh

    th = np.array(theta, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(th)):
        return math.nan

    def matvec(v: np.ndarray) -> np.ndarray:
        check(should_stop)
        hv = net.hvp(th, np.ravel(v), x, y)
        if not np.all(np.isfinite(hv)):
            raise _NotFinite
        return hv

    p = net.n_params
    op = LinearOperator((p, p), matvec=matvec, dtype=np.float64)
    v0 = np.random.default_rng(seed).standard_normal(p)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            vals = eigsh(op, k=1, which="LA", tol=tol, v0=v0, return_eigenvectors=False)
    except _NotFinite:
        return math.nan
    return float(vals[0])


class _NotFinite(ArithmeticError):
    """A Hessian-vector product overflowed (θ far out after a diverging run)."""


def epsilon_sharpness(net: Network, theta: np.ndarray, x: np.ndarray, y: np.ndarray,
                      *, eps: float = 1e-3, maxiter: int = 100,
                      should_stop: StopFn | None = None) -> float:
    """Keskar et al.'s ε-sharpness with A = identity, in percent.

    C_ε = {z : |zᵢ| ≤ ε(|θᵢ| + 1)},  φ(ε) = 100 · (max_{z∈C_ε} L(θ + z) − L(θ)) / (1 + L(θ)).
    The maximum is found approximately by L-BFGS-B (minimizing −L(θ + z) with the exact
    gradient, bounds = the box, from z = 0, at most ``maxiter`` iterations); it is never taken
    below L(θ) (z = 0 is in the box), so φ ≥ 0. ``should_stop()`` is asked at every
    evaluation of L(θ + z): True raises :class:`core.cancel.Cancelled` out of L-BFGS-B (SciPy
    lets an exception of the objective through), so a window's Cancel stops the measurement
    within one evaluation (about a millisecond on digits).
    """
    from scipy import optimize

    th = np.array(theta, dtype=np.float64).reshape(-1)
    with np.errstate(over="ignore", invalid="ignore"):
        f0 = net.loss_value(th, x, y) if np.all(np.isfinite(th)) else math.nan
    if not math.isfinite(f0):
        return math.nan
    half = eps * (np.abs(th) + 1.0)

    def neg(z: np.ndarray) -> tuple[float, np.ndarray]:
        check(should_stop)
        loss, g = net.loss_grad(th + z, x, y)
        return -loss, -g

    res = optimize.minimize(neg, np.zeros_like(th), jac=True, method="L-BFGS-B",
                            bounds=optimize.Bounds(-half, half),
                            options={"maxiter": int(maxiter)})
    fmax = max(-float(res.fun), f0)
    return 100.0 * (fmax - f0) / (1.0 + f0)


def interpolate(net: Network, theta_a: np.ndarray, theta_b: np.ndarray,
                data: Dataset, alphas: Sequence[float]) -> dict[str, list[float]]:
    """Keskar's Figure 3: loss and accuracy along θ(α) = (1 − α)·θ_a + α·θ_b, train and test."""
    a = np.asarray(theta_a, dtype=np.float64).reshape(-1)
    b = np.asarray(theta_b, dtype=np.float64).reshape(-1)
    out: dict[str, list[float]] = {"alpha": [], "train_loss": [], "test_loss": [],
                                   "train_accuracy": [], "test_accuracy": []}
    for alpha in alphas:
        th = (1.0 - alpha) * a + alpha * b
        trl, tra = net.evaluate(th, data.x_train, data.y_train)
        tel, tea = net.evaluate(th, data.x_test, data.y_test)
        out["alpha"].append(float(alpha))
        out["train_loss"].append(trl)
        out["test_loss"].append(tel)
        out["train_accuracy"].append(tra)
        out["test_accuracy"].append(tea)
    return out

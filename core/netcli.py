"""``python main.py network``: small against large batches on a real network (no Qt).

For every batch size B and seed s (s = 0 … seeds−1) it trains the network of
:mod:`core.network` on the digits' training set from θ⁰ drawn with seed s (the same θ⁰ for every
B), the batches shuffled every epoch with seed s, until the training loss L(θ) ≤ the target
(``--until-loss``, checked at every epoch's end; at most ``--max-epochs``), or for ``--epochs``
epochs or ``--updates`` updates. At the end point it measures the training and test loss and
accuracy, the sharpness λ_max(∇²L(θ)) of the training loss and Keskar's ε-sharpness φ(ε).
Per batch size: the mean and a Student-t 95 % confidence interval over the seeds,
mean ± t₀.₉₇₅,ₙ₋₁ · s/√n. Keskar's Figure 3: L and accuracy along (1 − α)·θ_SB + α·θ_LB,
α ∈ [−0.5, 1.5], between the smallest and the largest batch's end points of seed 0.
``--same-updates`` (Hoffer et al. 2017): every larger batch makes exactly as many updates as
the smallest batch made with the same seed (no loss target, no epoch limit).

The arithmetic runs with one BLAS thread: the matrices are small (≤ 1,437 × 64), and on this
project's shared 2-core machine one thread measured 3.5–7× faster than OpenBLAS's default.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.files import atomic_write_bytes
from core.netsettings import PLANES, RUN_SETS, batch_text, run_text
from core.network import (
    ACTIVATIONS,
    LOSSES,
    Dataset,
    Network,
    TrainResult,
    epsilon_sharpness,
    interpolate,
    load_digits_split,
    top_eigenvalue,
    train,
)
from core.optim import OPTIMIZERS
from core.texts import Text, Value, template, text

__all__ = ["Comparison", "add_parser", "cmd_network", "compare", "confidence", "network_study",
           "parse_plane_run", "run_and_report", "stability_verdict", "stop_text", "verdict",
           "verdict_texts"]

#: α values of Keskar's Figure 3.
ALPHAS = tuple(np.round(np.linspace(-0.5, 1.5, 21), 10).tolist())
DEFAULT_UNTIL_LOSS = 0.02
DEFAULT_MAX_EPOCHS = 5000
EPSILON = 1e-3


def add_parser(sub: Any) -> None:
    """Add the ``network`` subcommand to main.py's subparsers."""
    p = sub.add_parser("network", help="small vs large batches on a real network (digits)")
    p.add_argument("--data", choices=["digits"], default="digits")
    p.add_argument("--hidden", default="32", help="hidden layer sizes, e.g. 32 or 64,32")
    p.add_argument("--activation", choices=list(ACTIVATIONS), default="tanh")
    p.add_argument("--optimizer", choices=list(OPTIMIZERS), default="momentum")
    p.add_argument("--lr", type=float, default=0.1, help="learning rate η")
    p.add_argument("--momentum", type=float, default=None,
                   help="momentum λ (momentum, nesterov, rmsprop; default 0.9, rmsprop 0)")
    p.add_argument("--loss", choices=list(LOSSES), default="cross_entropy")
    p.add_argument("--batch-sizes", required=True, help="e.g. 16,128,full")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--split-seed", type=int, default=0, help="random_state of the split")
    p.add_argument("--until-loss", type=float, default=None,
                   help=f"stop at this training loss (default {DEFAULT_UNTIL_LOSS} unless "
                        "--epochs or --updates is given)")
    p.add_argument("--max-epochs", type=int, default=None,
                   help=f"most epochs with --until-loss (default {DEFAULT_MAX_EPOCHS})")
    p.add_argument("--epochs", type=int, default=None, help="train exactly this many epochs")
    p.add_argument("--updates", type=int, default=None, help="train exactly this many updates")
    p.add_argument("--same-updates", action="store_true",
                   help="every batch size makes the updates the smallest batch made")
    p.add_argument("--sharpness-every", type=int, default=None, metavar="K",
                   help="also record λ_max every K updates")
    p.add_argument("--save", metavar="DIR", help="write each end point's weights as .npz here")
    p.add_argument("--json", metavar="PATH", help="write the record as JSON ('-': stdout)")
    e = p.add_argument_group(
        "the path on a plane, exported like a scenario (renders frames: needs Qt; the 3D view "
        "needs an X server)")
    e.add_argument("--export-plane", metavar="OUT",
                   help="render the runs' paths on a plane: OUT.mp4, OUT.gif or a folder of "
                        "PNG frames")
    e.add_argument("--plane", choices=list(PLANES), default="pca",
                   help="pca: through the reference run's end point, its path's first two PCA "
                        "directions; endpoints: through θ⁰ and the smallest and largest B's "
                        "end points")
    e.add_argument("--plane-run", default=None, metavar="B[,SEED]",
                   help="the reference run (default: the smallest B, seed 0)")
    e.add_argument("--plane-runs", choices=list(RUN_SETS), default="seed",
                   help="seed: every B of the reference run's seed; all: every run")
    e.add_argument("--path-every", type=int, default=10, metavar="K",
                   help="keep θᵗ every K updates for the path (default 10)")
    e.add_argument("--grid", type=int, default=31, help="grid points per side (11..101)")
    e.add_argument("--view", choices=["contour", "surface", "both"], default="both")
    e.add_argument("--size", default="1280x720", help="frame size WxH")
    e.add_argument("--fps", type=float, default=20.0)
    e.add_argument("--frames", type=int, default=None,
                   help="number of frames (default: one per kept θᵗ, at most 300)")


# ---------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------


def confidence(values: list[float]) -> dict[str, float | None]:
    """{"mean", "ci95"}: the mean and the half-width t₀.₉₇₅,ₙ₋₁ · s/√n (None for n < 2)."""
    from scipy import stats

    v = np.asarray([x for x in values if x is not None and math.isfinite(x)], dtype=float)
    if v.size == 0:
        return {"mean": None, "ci95": None}
    mean = float(v.mean())
    if v.size < 2:
        return {"mean": mean, "ci95": None}
    half = float(stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size))
    return {"mean": mean, "ci95": half}


# ---------------------------------------------------------------------------------------------
# The study
# ---------------------------------------------------------------------------------------------


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _parse_hidden(text: str) -> tuple[int, ...]:
    out = []
    for item in str(text).split(","):
        try:
            value = int(item.strip(), 10)
        except ValueError:
            raise ValueError(f"--hidden: {item.strip()!r} is not a whole number "
                             "(give sizes such as 32 or 64,32)") from None
        if not 1 <= value <= 4096:
            raise ValueError(f"--hidden: a layer size must be in 1..4096 (got {value})")
        out.append(value)
    return tuple(out)


def _hyper(args: Any) -> dict[str, float]:
    """The optimizer's hyperparameters: η, and λ for the optimizers that have one."""
    info = OPTIMIZERS[args.optimizer]
    names = [p.name for p in info.params]
    hyper: dict[str, float] = {"lr": args.lr}
    if args.momentum is not None:
        if "momentum" not in names:
            raise ValueError(f"--momentum: the optimizer {args.optimizer!r} has no momentum λ")
        hyper["momentum"] = args.momentum
    # the record states every value used, defaults included
    return info.defaults() | hyper


def _check_output(args: Any) -> None:
    """Fail before training, not after it, on an output that cannot be written."""
    if getattr(args, "json", None) and args.json != "-":
        p = Path(args.json)
        if p.is_dir():
            raise ValueError(f"{args.json}: is a folder, not a file")
        if not (p.parent if str(p.parent) else Path(".")).is_dir():
            raise ValueError(f"{args.json}: the folder {p.parent} does not exist")
    if getattr(args, "save", None):
        d = Path(args.save)
        if d.exists() and not d.is_dir():
            raise ValueError(f"--save: {args.save} is not a folder")
        if not d.exists():
            if not d.parent.is_dir():
                raise ValueError(f"--save: the folder {d.parent} does not exist")
            d.mkdir()


def save_weights(path: Path, net: Network, theta: np.ndarray) -> None:
    """``W0, b0, W1, b1, …`` (W_k of shape (fan_in, fan_out)) as an .npz, written atomically."""
    arrays: dict[str, np.ndarray] = {}
    for k, (w, b) in enumerate(net.unflatten(theta)):
        arrays[f"W{k}"] = np.array(w)
        arrays[f"b{k}"] = np.array(b)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())


class _Progress:
    """One self-overwriting status line on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.last = 0.0
        self.dirty = False

    def show(self, text: str, force: bool = False) -> None:
        if not self.on:
            return
        now = time.monotonic()
        if force or now - self.last > 0.1:
            sys.stderr.write("\r\033[K" + text)
            sys.stderr.flush()
            self.last = now
            self.dirty = True

    def end(self) -> None:
        if self.on and self.dirty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.dirty = False


def _run_record(net: Network, data: Dataset, res: TrainResult, b: int, seed: int,
                optimizer: str, hyper: dict[str, float], weights: str | None,
                should_stop: Callable[[], bool] | None = None) -> dict[str, Any]:
    x, y = data.x_train, data.y_train
    train_loss, train_acc = net.evaluate(res.theta, x, y)
    test_loss, test_acc = net.evaluate(res.theta, data.x_test, data.y_test)
    finite = bool(np.all(np.isfinite(res.theta))) and math.isfinite(train_loss)
    sharp = top_eigenvalue(net, res.theta, x, y, should_stop=should_stop) if finite else math.nan
    eps_sharp = (epsilon_sharpness(net, res.theta, x, y, eps=EPSILON, should_stop=should_stop)
                 if finite else math.nan)
    return {
        "batch_size": int(b),
        "seed": int(seed),
        "optimizer": optimizer,
        "hyper": hyper,
        "updates": res.updates,
        "epochs": res.epochs,
        "stopped": res.stopped,
        "train_loss": _finite(train_loss),
        "test_loss": _finite(test_loss),
        "train_accuracy": train_acc,
        "test_accuracy": test_acc,
        "sharpness": _finite(sharp),
        "epsilon_sharpness": _finite(eps_sharp),
        "seconds": res.seconds,
        "weights": weights,
        "sharpness_trace": None if not res.sharpness_trace else [
            {"update": t, "sharpness": _finite(s)} for t, s in res.sharpness_trace],
    }


@dataclass
class Comparison:
    """What :func:`compare` computed: the JSON document and the arrays it leaves out.

    ``ends[(B, seed)]`` = θ at the end of that run; ``paths[(B, seed)]`` = [(t, θᵗ)] (with
    ``path_every``); ``batches_per_epoch[B]`` = ⌈N/B⌉.
    """

    doc: dict[str, Any]
    net: Network
    data: Dataset
    ends: dict[tuple[int, int], np.ndarray]
    paths: dict[tuple[int, int], list[tuple[int, np.ndarray]]]
    batches_per_epoch: dict[int, int]


ReportFn = Callable[[float, Text], None]
_T_PROGRESS = template("{run}: update {t}, epoch {epoch}, loss {loss}")
_T_TRAINING = template("{run}: training")
_T_SHARPNESS = template("{run}: sharpness λ_max and φ(ε)")
_T_LINE = template("loss along the line between the end points")
"""``report(fraction done ∈ [0, 1], what runs now)``; may raise to stop the computation."""


def network_study(args: Any, path_every: int | None = None) -> Comparison:
    """Run the whole ``network`` command's computation (progress on stderr when it is a
    terminal); its :attr:`Comparison.doc` is the JSON document (strict: no NaN)."""
    progress = _Progress()
    try:
        return compare(args, report=lambda _f, what: progress.show(str(what)),
                       path_every=path_every)
    finally:
        progress.end()


def _within(t: int, loss: float, limit: float, start_loss: float, until: float | None) -> float:
    """How far one run has got, ∈ [0, 1]: t/limit, or log(L⁰/L)/log(L⁰/target) if larger."""
    frac = t / limit if math.isfinite(limit) and limit > 0 else 0.0
    if until is not None and math.isfinite(loss) and loss > 0 and start_loss > until:
        frac = max(frac, math.log(start_loss / max(loss, until)) / math.log(start_loss / until))
    return min(max(frac, 0.0), 1.0)


def compare(args: Any, *, report: ReportFn | None = None,
            should_stop: Callable[[], bool] | None = None,
            path_every: int | None = None) -> Comparison:
    """Every batch size × seed trained and measured (the ``network`` command's computation).

    ``args`` has the command's option names (an ``argparse.Namespace`` or
    :meth:`core.netsettings.NetworkSettings.to_args`). ``report(fraction, text)`` is called at
    every epoch's end; when ``should_stop()`` turns true the computation raises
    :class:`core.cancel.Cancelled` at the next epoch's end (or between measurements).
    With ``path_every`` = K every run keeps θᵗ every K updates (see :func:`core.network.train`).
    """
    from core.cancel import Cancelled
    from core.study import parse_batch_sizes

    def check() -> None:
        if should_stop is not None and should_stop():
            raise Cancelled

    if args.seeds is None or not 1 <= args.seeds <= 1000:
        raise ValueError(f"--seeds: must be in 1..1000 (got {args.seeds})")
    if not (math.isfinite(args.lr) and args.lr > 0):
        raise ValueError(f"--lr: the learning rate η must be > 0 (got {args.lr})")
    for name in ("max_epochs", "epochs", "updates", "sharpness_every"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ValueError(f"--{name.replace('_', '-')}: must be ≥ 1 (got {value})")
    if args.until_loss is not None and not (math.isfinite(args.until_loss)
                                            and args.until_loss > 0):
        raise ValueError(f"--until-loss: must be > 0 (got {args.until_loss})")
    if args.epochs is not None and args.max_epochs is not None:
        raise ValueError("--epochs and --max-epochs: give one of them")
    hidden = _parse_hidden(args.hidden)
    hyper = _hyper(args)
    # validates the optimizer's ranges now, with a one-line message
    from core.optim import make_optimizer

    make_optimizer(args.optimizer, **hyper)
    until = args.until_loss
    if until is None and args.epochs is None and args.updates is None:
        until = DEFAULT_UNTIL_LOSS
    max_epochs = args.epochs if args.epochs is not None else args.max_epochs
    if until is not None and max_epochs is None and args.updates is None:
        max_epochs = DEFAULT_MAX_EPOCHS
    _check_output(args)

    data = load_digits_split(args.split_seed)
    sizes = sorted(parse_batch_sizes(args.batch_sizes, data.n_train))
    net = Network((data.inputs, *hidden, data.classes), args.activation, args.loss)
    runs: list[dict[str, Any]] = []
    ends: dict[tuple[int, int], np.ndarray] = {}
    paths: dict[tuple[int, int], list[tuple[int, np.ndarray]]] = {}
    bpes: dict[int, int] = {}
    total = len(sizes) * args.seeds
    done = 0
    save = getattr(args, "save", None)
    for seed in range(args.seeds):
        theta0 = net.init(np.random.default_rng(seed))
        start_loss = net.loss_value(theta0, data.x_train, data.y_train)
        budget: int | None = None
        for b in sizes:
            label = run_text(b, seed, data.n_train)
            if budget is not None:  # --same-updates: the smallest batch's updates
                limits = {"until_loss": None, "max_epochs": None, "max_updates": budget}
            else:
                limits = {"until_loss": until, "max_epochs": max_epochs,
                          "max_updates": args.updates}
            bpe = -(-data.n_train // b)
            bpes[b] = bpe
            cap = min(math.inf if limits["max_epochs"] is None else limits["max_epochs"] * bpe,
                      math.inf if limits["max_updates"] is None else limits["max_updates"])

            def show(t: int, epoch: int, loss: float, label: Text = label, cap: float = cap,
                     target: float | None = limits["until_loss"], start: float = start_loss,
                     done: int = done) -> None:
                check()
                if report is not None:
                    frac = (done + 0.9 * _within(t, loss, cap, start, target)) / total
                    report(frac, text(_T_PROGRESS, run=label, t=str(t), epoch=str(epoch),
                                      loss=f"{loss:.4g}"))

            if report is not None:
                report(done / total, text(_T_TRAINING, run=label))
            res = train(net, data.x_train, data.y_train, theta0, b, args.optimizer, hyper,
                        seed=seed, sharpness_every=args.sharpness_every, progress=show,
                        path_every=path_every, should_stop=should_stop, **limits)
            if args.same_updates and budget is None:
                budget = res.updates
            check()
            if report is not None:
                report((done + 0.9) / total, text(_T_SHARPNESS, run=label))
            weights = None
            if save:
                path = Path(save) / f"network-B{b}-seed{seed}.npz"
                save_weights(path, net, res.theta)
                weights = str(path)
            runs.append(_run_record(net, data, res, b, seed, args.optimizer, hyper, weights,
                                    should_stop))
            ends[(b, seed)] = res.theta
            if path_every:
                paths[(b, seed)] = res.path
            done += 1

    summary = []
    for b in sizes:
        mine = [r for r in runs if r["batch_size"] == b]
        summary.append({
            "batch_size": b,
            "test_accuracy": confidence([r["test_accuracy"] for r in mine]),
            "train_accuracy": confidence([r["train_accuracy"] for r in mine]),
            "sharpness": confidence([r["sharpness"] for r in mine]),
            "epsilon_sharpness": confidence([r["epsilon_sharpness"] for r in mine]),
            "test_loss": confidence([r["test_loss"] for r in mine]),
            "updates": confidence([float(r["updates"]) for r in mine]),
        })
    line = None
    if len(sizes) >= 2:
        check()
        if report is not None:
            report(1.0, text(_T_LINE))
        small, large = ends[(sizes[0], 0)], ends[(sizes[-1], 0)]
        line = {"seed": 0, "small_batch": sizes[0], "large_batch": sizes[-1]}
        line |= interpolate(net, small, large, data, ALPHAS)
    doc = {
        "data": {
            "name": data.name,
            "input_scale": data.input_scale,
            "n_train": data.n_train,
            "n_test": data.n_test,
            "split_seed": data.split_seed,
            "train_indices": data.train_indices.tolist(),
            "test_indices": data.test_indices.tolist(),
        },
        "model": {"layers": list(net.layers), "activation": net.activation, "loss": net.loss,
                  "parameters": net.n_params},
        "protocol": {"until_loss": until, "max_epochs": max_epochs, "updates": args.updates,
                     "same_updates": bool(args.same_updates), "epsilon": EPSILON,
                     "sharpness_every": args.sharpness_every},
        "runs": runs,
        "summary": summary,
        "interpolation": line,
    }
    return Comparison(_clean(doc), net, data, ends, paths, bpes)


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def _f(x: float | None, spec: str = ".4g") -> str:
    return "—" if x is None else format(x, spec)


def mean_ci(c: dict[str, float | None], fmt: Callable[[float], str]) -> str:
    """``"mean ± ci95"`` of a summary entry (``—`` without a mean; the mean alone without a
    confidence interval), each number written by ``fmt``."""
    if c["mean"] is None:
        return "—"
    if c["ci95"] is None:
        return fmt(c["mean"])
    return f"{fmt(c['mean'])} ± {fmt(c['ci95'])}"


def _pm(c: dict[str, float | None], spec: str) -> str:
    return mean_ci(c, lambda x: format(x, spec))


def _grid(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(head)]
    out = ["  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True))]
    out += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return out


def table(doc: dict[str, Any]) -> str:
    """The readable report: every run, the summary per batch size and the interpolation."""
    n = doc["data"]["n_train"]
    m = doc["model"]

    def bs(b: int) -> str:
        return "full" if b == n else str(b)

    lines = [f"digits: {n} training / {doc['data']['n_test']} test examples; network "
             f"{'→'.join(map(str, m['layers']))} {m['activation']}, loss {m['loss']}, "
             f"P = {m['parameters']}"]
    head = ["B", "seed", "updates", "epochs", "stopped", "train loss", "test loss",
            "train acc", "test acc", "λ_max", "φ(1e-3)", "seconds"]
    rows = [[bs(r["batch_size"]), str(r["seed"]), str(r["updates"]), f"{r['epochs']:.4g}",
             r["stopped"], _f(r["train_loss"]), _f(r["test_loss"]),
             _f(r["train_accuracy"], ".4f"), _f(r["test_accuracy"], ".4f"),
             _f(r["sharpness"]), _f(r["epsilon_sharpness"]), f"{r['seconds']:.2f}"]
            for r in doc["runs"]]
    lines += ["", *_grid(head, rows)]
    lines += ["", "per batch size (mean ± 95% CI over seeds, Student t):"]
    rows = [[bs(s["batch_size"]), _pm(s["test_accuracy"], ".4f"), _pm(s["train_accuracy"], ".4f"),
             _pm(s["sharpness"], ".4g"), _pm(s["epsilon_sharpness"], ".3g"),
             _pm(s["updates"], ".0f")] for s in doc["summary"]]
    lines += _grid(["B", "test accuracy", "train accuracy", "λ_max", "φ(1e-3)", "updates"],
                   rows)
    for r in doc["runs"]:
        if r["sharpness_trace"]:
            vals = " ".join(f"{p['update']}:{_f(p['sharpness'], '.3g')}"
                            for p in r["sharpness_trace"])
            lines.append(f"λ_max trace B={bs(r['batch_size'])} seed {r['seed']}: {vals}")
    line = doc["interpolation"]
    if line:
        lines += ["", f"along (1 − α)·θ(B={bs(line['small_batch'])}) + α·θ(B="
                      f"{bs(line['large_batch'])}), seed {line['seed']}:"]
        rows = [[f"{a:+.1f}", _f(trl), _f(tel), _f(tra, ".4f"), _f(tea, ".4f")]
                for a, trl, tel, tra, tea in zip(line["alpha"], line["train_loss"],
                                                 line["test_loss"], line["train_accuracy"],
                                                 line["test_accuracy"], strict=True)]
        lines += _grid(["α", "train loss", "test loss", "train acc", "test acc"], rows)
    return "\n".join(lines)


def run_and_report(args: argparse.Namespace, path_every: int | None = None) -> Comparison:
    """The ``network`` command's work: the comparison (one BLAS thread), ``--json`` written and
    the table printed (unless the JSON goes to stdout). Bad input → ValueError."""
    from threadpoolctl import threadpool_limits

    from core.cli import write_text

    # a diverging run overflows on purpose: it is reported as "stopped": "diverged" with nulls
    with threadpool_limits(limits=1, user_api="blas"), np.errstate(all="ignore"):
        comp = network_study(args, path_every)
    doc = comp.doc
    if args.json:
        write_text(args.json, json.dumps(doc, allow_nan=False, ensure_ascii=False))
    if args.json != "-":
        print(table(doc))
    return comp


def cmd_network(args: argparse.Namespace) -> int:
    """``python main.py network --batch-sizes 16,128,full [...]``; bad input → ValueError."""
    run_and_report(args)
    return 0


def parse_plane_run(text: str | None, sizes: str, n_train: int,
                    seeds: int) -> tuple[int, int]:
    """``--plane-run B[,SEED]`` → (B, seed); B one of ``sizes`` (``--batch-sizes``, ``full`` =
    N), 0 ≤ seed < ``seeds``; default the smallest B, seed 0. ValueError with one line
    otherwise."""
    from core.study import parse_batch_sizes

    allowed = sorted(parse_batch_sizes(sizes, n_train))
    if text is None:
        return allowed[0], 0
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) > 2 or not parts[0]:
        raise ValueError(f"--plane-run: give B or B,SEED such as 16,0 (got {text!r})")
    b = n_train if parts[0].lower() == "full" else None
    try:
        b = int(parts[0], 10) if b is None else b
        seed = int(parts[1], 10) if len(parts) == 2 else 0
    except ValueError:
        raise ValueError(f"--plane-run: give B or B,SEED such as 16,0 (got {text!r})") from None
    if b not in allowed:
        raise ValueError(f"--plane-run: B = {b} is not one of --batch-sizes ({sizes})")
    if not 0 <= seed < seeds:
        raise ValueError(f"--plane-run: the seed must be in 0..{seeds - 1} (got {seed})")
    return b, seed


# ---------------------------------------------------------------------------------------------
# The verdict in plain words
# ---------------------------------------------------------------------------------------------


def stability_threshold(optimizer: str, hyper: dict[str, float]) -> float | None:
    """The edge of stability of full-batch training: GD stays at a minimum only while
    η·λ_max ≤ 2, i.e. λ_max ≤ 2/η; heavy-ball momentum λ: λ_max ≤ (2 + 2λ)/η (Cohen et al.
    2021). None for optimizers without such a fixed threshold (adaptive steps)."""
    lr = float(hyper.get("lr", math.nan))
    if not (math.isfinite(lr) and lr > 0):
        return None
    if optimizer == "gd":
        return 2.0 / lr
    if optimizer == "momentum":
        return (2.0 + 2.0 * float(hyper.get("momentum", 0.0))) / lr
    return None


def _overlap(a: dict[str, float | None], b: dict[str, float | None]) -> bool | None:
    """Whether two mean ± CI intervals overlap (None when a CI is missing)."""
    if a["mean"] is None or b["mean"] is None or a["ci95"] is None or b["ci95"] is None:
        return None
    return not (a["mean"] + a["ci95"] < b["mean"] - b["ci95"]
                or b["mean"] + b["ci95"] < a["mean"] - a["ci95"])


def trace_levels(doc: dict[str, Any], start_fraction: float = 0.5) -> dict[int, float]:
    """Per batch size: the mean λ_max of the sharpness traces over their last part (updates
    t ≥ start_fraction · the run's last traced t), over all seeds. Empty without traces."""
    out: dict[int, list[float]] = {}
    for r in doc["runs"]:
        tr = [p for p in (r.get("sharpness_trace") or []) if p["sharpness"] is not None]
        if len(tr) < 2:
            continue
        last = tr[-1]["update"]
        vals = [p["sharpness"] for p in tr if p["update"] >= start_fraction * last]
        out.setdefault(r["batch_size"], []).extend(vals)
    return {b: float(np.mean(v)) for b, v in out.items() if v}


#: Why a network run stopped (``core.network.train``'s ``stopped``), in words.
STOP_TEXTS = {"until_loss": template("loss target reached"), "updates": template("update limit"),
              "epochs": template("epoch limit"), "diverged": template("diverged")}


def stop_text(code: str) -> Text:
    """Why a run stopped (:data:`STOP_TEXTS`; an unknown code as it is)."""
    return text(STOP_TEXTS[code]) if code in STOP_TEXTS else text("{code}", code=code)


_T_RISES = template("λ_max rises with B: {word} ({chain}, {first} → {last}).")
_T_YES = template("yes")
_T_MOSTLY = template("mostly (not at every step)")
_T_NO = template("NO")
_T_ONE_SEED = template("one seed: no confidence interval")
_T_OVERLAP = template("CIs overlap")
_T_APART = template("CIs do not overlap")
_T_ACCURACY = template("Test accuracy, {first} vs {last}: {word} ({a} vs {b}, {ci}).")
_T_BETTER = template("small batches ARE better here, as in the lecture")
_T_SLIGHTLY = template("small batches are slightly better here, but not clearly (the difference "
                       "is within the noise of the seeds)")
_T_LARGE_BETTER = template("small batches are NOT better here: the large batch is clearly better "
                           "— the opposite of the lecture's table (Keskar et al.)")
_T_NOT_BETTER = template("small batches are NOT better here — the lecture's table (Keskar et "
                         "al.: small batches test better) is not seen in these numbers")
_T_TEST_LOSS = template("Test loss: {a} ({first}) vs {b} ({last}).")
_T_UPDATES = template("Updates made: {a} ({first}) vs {b} ({last}) on average.")
_T_MISSED = template("{missed} of {runs} runs did not reach the training-loss target {target} "
                     "(stopped: {stops}): their end points are not equally trained.")
_T_LEVELS = template("λ_max over the second half of training: {levels}{edge}.")
_T_EDGE = template("; the edge of stability is {thr}{where}{lower}")
_T_FULL_IS = template(": the full batch is {where}")
_T_AT_EDGE = template("at the edge (within 10 %)")
_T_BELOW_EDGE = template("below the edge")
_T_ABOVE_EDGE = template("above the edge")
_T_LOWER = template("; smaller batches settle lower")
_T_NOT_LOWER = template("; smaller batches do NOT all settle lower")


def verdict(doc: dict[str, Any]) -> list[str]:
    """The :func:`verdict_texts` in English."""
    return [str(t) for t in verdict_texts(doc)]


def stability_verdict(doc: dict[str, Any]) -> Text | None:
    """With sharpness traces: where λ_max settled (:func:`trace_levels`) against the edge of
    stability 2/η (:func:`stability_threshold`); None without traces."""
    n = doc["data"]["n_train"]
    levels = trace_levels(doc)
    runs = doc["runs"]
    if not (levels and runs):
        return None
    thr = stability_threshold(runs[0]["optimizer"], runs[0]["hyper"])
    parts = tuple(text("{b} {v}", b=batch_text(b, n), v=f"{v:.3g}")
                  for b, v in sorted(levels.items()))
    edge: Value = ""
    if thr is not None:
        where: Value = ""
        lower: Value = ""
        full = levels.get(n)
        if full is not None:
            rel = full / thr
            where = text(_T_FULL_IS, where=text(
                _T_AT_EDGE if 0.9 <= rel <= 1.1 else _T_BELOW_EDGE if rel < 0.9
                else _T_ABOVE_EDGE))
        small = [v for b, v in levels.items() if b != n]
        if small and full is not None:
            lower = text(_T_LOWER if all(v < full for v in small) else _T_NOT_LOWER)
        edge = text(_T_EDGE, thr=f"{thr:.3g}", where=where, lower=lower)
    return text(_T_LEVELS, levels=parts, edge=edge)


def verdict_texts(doc: dict[str, Any]) -> list[Text]:
    """Plain sentences computed from a :func:`compare` document (:class:`core.texts.Text`: the
    window shows them in its language): does λ_max rise with B, are small batches better on the
    test set (the lecture's claim), how far apart the runs ended, and — with sharpness traces —
    where λ_max settled against 2/η (:func:`stability_verdict`)."""
    n = doc["data"]["n_train"]
    summ = doc["summary"]
    out: list[Text] = []
    if not summ:
        return out
    first, last = summ[0], summ[-1]
    ends = {"first": batch_text(first["batch_size"], n),
            "last": batch_text(last["batch_size"], n)}
    sharp = [s["sharpness"]["mean"] for s in summ]
    if len(summ) >= 2 and all(v is not None for v in sharp):
        chain = " → ".join(f"{v:.3g}" for v in sharp)
        if all(b > a for a, b in itertools.pairwise(sharp)):
            word = _T_YES
        elif sharp[-1] > sharp[0]:
            word = _T_MOSTLY
        else:
            word = _T_NO
        out.append(text(_T_RISES, word=text(word), chain=chain, **ends))
    a, b = first["test_accuracy"], last["test_accuracy"]
    if len(summ) >= 2 and a["mean"] is not None and b["mean"] is not None:
        ov = _overlap(a, b)
        ci = _T_ONE_SEED if ov is None else _T_OVERLAP if ov else _T_APART
        if a["mean"] > b["mean"] and ov is False:
            word = _T_BETTER
        elif a["mean"] > b["mean"]:
            word = _T_SLIGHTLY
        elif ov is False:
            word = _T_LARGE_BETTER
        else:
            word = _T_NOT_BETTER
        out.append(text(_T_ACCURACY, word=text(word), a=f"{a['mean']:.3f}",
                        b=f"{b['mean']:.3f}", ci=text(ci), **ends))
    tl = [s["test_loss"]["mean"] for s in summ]
    if len(summ) >= 2 and tl[0] is not None and tl[-1] is not None:
        out.append(text(_T_TEST_LOSS, a=f"{tl[0]:.3g}", b=f"{tl[-1]:.3g}", **ends))
    up = [s["updates"]["mean"] for s in summ]
    if len(summ) >= 2 and up[0] is not None and up[-1] is not None:
        out.append(text(_T_UPDATES, a=f"{up[0]:.0f}", b=f"{up[-1]:.0f}", **ends))
    runs = doc["runs"]
    stops = sorted({r["stopped"] for r in runs})
    if doc["protocol"]["until_loss"] is not None and stops != ["until_loss"]:
        missed = sum(r["stopped"] != "until_loss" for r in runs)
        out.append(text(_T_MISSED, missed=str(missed), runs=str(len(runs)),
                        target=f"{doc['protocol']['until_loss']:g}",
                        stops=tuple(stop_text(s) for s in stops)))
    stability = stability_verdict(doc)
    if stability is not None:
        out.append(stability)
    return out

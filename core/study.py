"""The batch-size study, and the lecture's timing figure measured on this computer.

**Batch-size study** (:func:`batch_size_study`, ``python main.py study SCENARIO``): for the
scenario's surface and one of its runs (start θ⁰, optimizer, η, λ, …), run ``seeds`` shuffle
seeds for every batch size B — all B × seeds runs stepping together in one vectorized
computation (:class:`core.basins.Ensemble`, the arithmetic of :func:`core.run.simulate`). The
critical points are found on every surface, custom expressions included
(:func:`core.basins.find_critical_points`: Newton's method with the exact Hessian from the runs'
end points and a coarse grid, de-duplicated, classified by the Hessian's eigenvalues; the
surface's known points first). Per batch size it reports the final training loss L(θ) (min /
median / max and every value), the share of runs that end in each minimum (within
:func:`core.basins.capture_radius` of it), that stay stuck at a saddle point (within the same
radius of one), that end near none, or diverge, the sharpness λ_max(∇²L(θ)) at the end points,
the testing loss L(θ − s) when the scenario's ``[view]`` has a ``test_shift`` s, and the updates
and epochs used. Every minimum is reported with its sharpness λ_max(∇²L).

By default every batch size makes the run's number of updates (``budget="updates"``: the
lecture's "same number of updates"; with parallel hardware one update costs about the same for
every B); ``budget="epochs"`` gives every B the same number of epochs instead (the run's updates
÷ its updates per epoch), so small batches make more updates.

**Timing** (:func:`timing_study`): the time of one update and of one epoch against the batch
size, for a real gradient computation — a network with one hidden layer of tanh units, forward
and backward written out in NumPy, on generated examples — once vectorized over the batch
("parallel") and once one example at a time in a Python loop ("no parallel").
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from core import limits
from core import scenario as sc
from core.basins import (
    Cancelled,
    Ensemble,
    ProgressFn,
    StopFn,
    end_labels,
    find_critical_points,
)
from core.lessons import sharpness, testing_loss
from core.problem import CriticalPoint, Problem
from core.run import problem_of
from core.sampler import BatchSchedule
from core.scenario import RunConfig

__all__ = [
    "BatchSizeResult",
    "Cancelled",
    "StudyResult",
    "batch_size_study",
    "cmd_study",
    "parse_batch_sizes",
    "study_scenario",
    "timing_study",
]

#: Most seeds per batch size, and most runs in one study.
MAX_SEEDS = limits.MAX_SEEDS
MAX_RUNS = limits.MAX_STUDY_RUNS
BUDGETS = ("updates", "epochs")


def parse_batch_sizes(text: str | Sequence[int], n: int) -> tuple[int, ...]:
    """Batch sizes from ``"1,2,5,10,20"`` (or a sequence); each in 1..N, ``full`` = N.

    Raises ValueError with one line for a malformed list, a size out of range or a repeat.
    """
    items: list[Any]
    if isinstance(text, str):
        if not text.strip():
            raise ValueError("--batch-sizes: give a comma-separated list such as 1,2,5,10,20")
        items = [p.strip() for p in text.split(",")]
    else:
        items = list(text)
    out: list[int] = []
    for item in items:
        if isinstance(item, str):
            if item.lower() == "full":
                value = n
            else:
                try:
                    value = int(item, 10)
                except ValueError:
                    raise ValueError(
                        f"--batch-sizes: {item!r} is not a whole number "
                        "(give a comma-separated list such as 1,2,5,10,20)"
                    ) from None
        elif isinstance(item, bool) or not isinstance(item, int | np.integer):
            raise ValueError(f"--batch-sizes: {item!r} is not a whole number")
        else:
            value = int(item)
        if not 1 <= value <= n:
            raise ValueError(f"--batch-sizes: batch size must be in 1..{n} (N = {n}) (got {value})")
        if value in out:
            raise ValueError(f"--batch-sizes: batch size {value} is listed twice")
        out.append(value)
    if not out:
        raise ValueError("--batch-sizes: give at least one batch size")
    return tuple(out)


def _summary(values: np.ndarray) -> dict[str, Any]:
    """min / median / max over the finite values, and all values (non-finite → None)."""
    v = np.asarray(values, dtype=float)
    fin = v[np.isfinite(v)]
    stats = ({"min": float(fin.min()), "median": float(np.median(fin)), "max": float(fin.max())}
             if len(fin) else {"min": None, "median": None, "max": None})
    stats["values"] = [float(x) if math.isfinite(x) else None for x in v.tolist()]
    return stats


@dataclass
class BatchSizeResult:
    """All seeds of one batch size B. Arrays have one entry per seed.

    ``minimum``: index into the study's minima (−1: near none, or diverged); ``saddle``: index
    into its saddles (−1: not stuck at one); ``updates``/``epochs``: planned for every seed (a
    diverged run stops earlier: ``updates_done``).
    """

    batch_size: int
    seeds: np.ndarray
    final_theta: np.ndarray
    final_loss: np.ndarray
    test_loss: np.ndarray | None
    sharpness: np.ndarray
    minimum: np.ndarray
    saddle: np.ndarray
    diverged: np.ndarray
    updates_done: np.ndarray
    updates: int
    updates_per_epoch: int

    @property
    def epochs(self) -> float:
        return self.updates / self.updates_per_epoch

    def fraction_in(self, j: int) -> float:
        """Share of the seeds that end in minimum j (−1: in no minimum)."""
        return float(np.mean(self.minimum == j))

    @property
    def fraction_at_saddle(self) -> float:
        """Share of the seeds still at a saddle point at the end (stuck: g ≈ 0 there)."""
        return float(np.mean(self.saddle >= 0))

    @property
    def fraction_escaped(self) -> float:
        """Share of the seeds that end away from every saddle point and did not diverge."""
        return float(np.mean((self.saddle < 0) & ~self.diverged))

    @property
    def fraction_diverged(self) -> float:
        return float(np.mean(self.diverged))

    @property
    def fraction_in_none(self) -> float:
        """Share of the seeds that end near no minimum and no saddle point, not diverged."""
        return float(np.mean((self.minimum < 0) & (self.saddle < 0) & ~self.diverged))

    def to_dict(self, n_minima: int) -> dict[str, Any]:
        return {
            "batch_size": self.batch_size,
            "updates": self.updates,
            "updates_per_epoch": self.updates_per_epoch,
            "epochs": self.epochs,
            "seeds": [int(s) for s in self.seeds],
            "final_loss": _summary(self.final_loss),
            "fraction_in_minimum": [self.fraction_in(j) for j in range(n_minima)],
            "fraction_in_no_minimum": self.fraction_in(-1),
            "fraction_at_saddle": self.fraction_at_saddle,
            "fraction_in_none": self.fraction_in_none,
            "fraction_escaped": self.fraction_escaped,
            "fraction_diverged": self.fraction_diverged,
            "sharpness": _summary(self.sharpness),
            "test_loss": None if self.test_loss is None else _summary(self.test_loss),
            "minimum": [int(v) for v in self.minimum],
            "final_theta": [[float(a) if math.isfinite(a) else None for a in row]
                            for row in self.final_theta.tolist()],
            "updates_done": [int(v) for v in self.updates_done],
        }


@dataclass
class StudyResult:
    """The whole study: the run varied, the critical points found, one result per B.

    ``minima_sharpness`` / ``saddles_sharpness``: λ_max(∇²L) at each minimum / saddle point.
    """

    config: RunConfig
    n: int
    seeds: int
    budget: str
    minima: tuple[CriticalPoint, ...]
    saddles: tuple[CriticalPoint, ...]
    radius: float
    test_shift: tuple[float, float] | None
    results: list[BatchSizeResult]
    seconds: float
    title: str = ""
    surface: dict[str, Any] | None = None
    minima_sharpness: tuple[float, ...] = ()
    saddles_sharpness: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document (non-finite numbers as None)."""
        c = self.config

        def point(p: CriticalPoint, sharp: float | None) -> dict[str, Any]:
            return {"theta": list(p.theta), "loss": p.value, "sharpness": sharp}

        def sharp_of(values: tuple[float, ...], k: int) -> float | None:
            return values[k] if k < len(values) else None

        doc = {
            "title": self.title,
            "surface": self.surface or {},
            "run": {"label": c.label, "optimizer": c.optimizer, "hyper": c.params,
                    "start": list(c.start), "steps": c.steps, "seed": c.seed,
                    "drop_last": c.drop_last},
            "examples": self.n,
            "seeds": self.seeds,
            "budget": self.budget,
            "capture_radius": self.radius,
            "minima": [point(p, sharp_of(self.minima_sharpness, k))
                       for k, p in enumerate(self.minima)],
            "saddles": [point(p, sharp_of(self.saddles_sharpness, k))
                        for k, p in enumerate(self.saddles)],
            "test_shift": None if self.test_shift is None else list(self.test_shift),
            "batch_sizes": [r.to_dict(len(self.minima)) for r in self.results],
            "seconds": self.seconds,
        }
        return _clean(doc)

    def to_json(self) -> str:
        """Strict JSON (no NaN/Infinity tokens)."""
        return json.dumps(self.to_dict(), allow_nan=False, ensure_ascii=False)

    def table(self) -> str:
        """A readable table, one row per batch size (columns for the minima some run ends in)."""
        shown = [j for j in range(len(self.minima))
                 if any(r.fraction_in(j) > 0 for r in self.results)]
        if len(self.minima) <= 6:
            shown = list(range(len(self.minima)))
        mins = [f"min{j + 1}" for j in shown]
        head = ["B", "updates", "epochs", "loss min", "median", "max", *mins,
                "saddle", "none", "diverged", "sharpness"]
        if self.test_shift is not None:
            head.append("test loss")
        rows = []
        for r in self.results:
            s = _summary(r.final_loss)
            row = [str(r.batch_size), str(r.updates), f"{r.epochs:g}",
                   _fmt(s["min"]), _fmt(s["median"]), _fmt(s["max"])]
            row += [f"{100 * r.fraction_in(j):.0f}%" for j in shown]
            row += [f"{100 * r.fraction_at_saddle:.0f}%", f"{100 * r.fraction_in_none:.0f}%",
                    f"{100 * r.fraction_diverged:.0f}%", _fmt(_summary(r.sharpness)["median"])]
            if self.test_shift is not None and r.test_loss is not None:
                row.append(_fmt(_summary(r.test_loss)["median"]))
            rows.append(row)
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
        c = self.config
        hyper = ", ".join(f"{k}={v:g}" for k, v in c.params.items()
                          if not isinstance(v, bool))
        lines = [
            f"{self.title or 'batch-size study'}: run {c.label!r} ({c.optimizer}, {hyper}), "
            f"start θ⁰ = ({c.start[0]:g}, {c.start[1]:g}), N = {self.n}, "
            f"{self.seeds} shuffle seeds per batch size, same number of {self.budget}",
        ]
        for j in shown:
            p = self.minima[j]
            sharp = (f", sharpness λ_max = {self.minima_sharpness[j]:.4g}"
                     if j < len(self.minima_sharpness) else "")
            lines.append(f"  min{j + 1}: θ = ({p.theta[0]:.4g}, {p.theta[1]:.4g}), "
                         f"L = {p.value:.4g}{sharp}")
        if len(shown) < len(self.minima):
            lines.append(f"  ({len(self.minima) - len(shown)} more minima found, in which no "
                         "run ends)")
        for p in self.saddles[:6]:
            lines.append(f"  saddle: θ = ({p.theta[0]:.4g}, {p.theta[1]:.4g}), L = {p.value:.4g}")
        if len(self.saddles) > 6:
            lines.append(f"  ({len(self.saddles) - 6} more saddle points found)")
        lines.append(f"  a run ends in a minimum / at a saddle when its final θ is within "
                     f"{self.radius:.3g} of it; loss = final training loss L(θ); sharpness = "
                     f"median largest Hessian eigenvalue at the end"
                     + ("; test loss = median L(θ − s)" if self.test_shift is not None else ""))
        lines.append("  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)))
        lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
        lines.append(f"({len(self.results) * self.seeds} runs in {self.seconds:.2f} s)")
        return "\n".join(lines)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.4g}"


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def batch_size_study(
    problem: Problem,
    config: RunConfig,
    batch_sizes: Sequence[int],
    seeds: int = 20,
    *,
    test_shift: Sequence[float] | None = None,
    budget: str = "updates",
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> StudyResult:
    """Run ``config`` with every batch size and ``seeds`` shuffle seeds (config.seed + 0, 1, …).

    All runs step together (one :class:`~core.basins.Ensemble`); each run's final θ has the
    bits of ``simulate(problem, [replace(config, batch_size=B, seed=s)])``. ``progress(f)`` is
    called with the fraction done; ``should_stop()`` → :class:`Cancelled`.
    """
    sizes = parse_batch_sizes(list(batch_sizes), problem.n)
    if isinstance(seeds, bool) or not isinstance(seeds, int | np.integer) or seeds < 1:
        raise ValueError(f"--seeds: must be a whole number ≥ 1 (got {seeds!r})")
    if seeds > MAX_SEEDS:
        raise ValueError(f"--seeds: at most {MAX_SEEDS} (got {seeds})")
    if len(sizes) * seeds > MAX_RUNS:
        raise ValueError(f"too many runs: {len(sizes)} batch sizes × {seeds} seeds > {MAX_RUNS}")
    if budget not in BUDGETS:
        raise ValueError(f"budget must be one of {', '.join(BUDGETS)} (got {budget!r})")
    shift = None
    if test_shift is not None:
        shift = (float(test_shift[0]), float(test_shift[1]))
    t0 = time.perf_counter()
    s = int(seeds)
    seed_values = config.seed + np.arange(s, dtype=np.int64)
    bpe = {b: BatchSchedule(problem.n, b, 0, config.drop_last).batches_per_epoch for b in sizes}
    base_bpe = BatchSchedule(problem.n, config.batch_size, 0, config.drop_last).batches_per_epoch
    if budget == "updates":
        counts = {b: config.steps for b in sizes}
    else:
        epochs = config.steps / base_bpe
        counts = {b: math.ceil(epochs * bpe[b] - 1e-9) for b in sizes}
    run_sizes = np.repeat(np.array(sizes, dtype=np.int64), s)
    run_seeds = np.tile(seed_values, len(sizes))
    run_counts = np.repeat(np.array([counts[b] for b in sizes], dtype=np.int64), s)
    starts = np.tile(np.array(config.start, dtype=float), (len(run_sizes), 1))
    ens = Ensemble.from_config(problem, config, starts=starts, seeds=run_seeds,
                               batch_sizes=run_sizes)
    res = ens.run(run_counts, progress=progress, should_stop=should_stop)
    with np.errstate(all="ignore"):
        loss = problem.loss(res.theta)
    diverged = res.diverged | ~np.isfinite(loss)
    loss = np.where(diverged, np.nan, loss)
    test = None
    if shift is not None:
        test = np.where(diverged, np.nan, testing_loss(problem, res.theta, shift))
    sharp = np.where(diverged, np.nan, sharpness(problem, res.theta))
    points = find_critical_points(problem, res.theta[~diverged])
    labels = end_labels(problem, res.theta, diverged, points=points)
    min_sharp = sharpness(problem, np.array([p.theta for p in labels.minima]).reshape(-1, 2))
    sad_sharp = sharpness(problem, np.array([p.theta for p in labels.saddles]).reshape(-1, 2))
    results = []
    for i, b in enumerate(sizes):
        sl = slice(i * s, (i + 1) * s)
        results.append(BatchSizeResult(
            batch_size=b,
            seeds=seed_values.copy(),
            final_theta=res.theta[sl].copy(),
            final_loss=loss[sl].copy(),
            test_loss=None if test is None else test[sl].copy(),
            sharpness=sharp[sl].copy(),
            minimum=labels.minimum[sl].copy(),
            saddle=labels.saddle[sl].copy(),
            diverged=diverged[sl].copy(),
            updates_done=res.updates[sl].copy(),
            updates=counts[b],
            updates_per_epoch=bpe[b],
        ))
    return StudyResult(
        config=config, n=problem.n, seeds=s, budget=budget, minima=labels.minima,
        saddles=labels.saddles, radius=labels.radius, test_shift=shift, results=results,
        seconds=time.perf_counter() - t0,
        minima_sharpness=tuple(float(v) for v in min_sharp),
        saddles_sharpness=tuple(float(v) for v in sad_sharp),
    )


def study_scenario(
    scenario: sc.Scenario,
    batch_sizes: str | Sequence[int] = (1, 2, 5, 10, 20),
    seeds: int = 20,
    run: int = 0,
    *,
    budget: str = "updates",
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> StudyResult:
    """:func:`batch_size_study` of run ``run`` of a scenario, with its ``[view]`` test shift."""
    if not scenario.runs:
        raise ValueError("the scenario has no runs to study")
    if isinstance(run, bool) or not isinstance(run, int) or not 0 <= run < len(scenario.runs):
        raise ValueError(f"--run: must be in 0..{len(scenario.runs) - 1} (got {run!r})")
    n = scenario.surface.examples
    sizes = parse_batch_sizes(batch_sizes, n)
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ValueError(f"--seeds: must be a whole number ≥ 1 (got {seeds!r})")
    problem = problem_of(scenario)
    result = batch_size_study(problem, scenario.runs[run], sizes, seeds,
                              test_shift=scenario.view.test_shift, budget=budget,
                              progress=progress, should_stop=should_stop)
    s = scenario.surface
    result.title = scenario.title
    result.surface = {"name": s.name if s.expression is None else "custom",
                      "expression": problem.surface.expression, "examples": s.examples,
                      "noise": s.noise, "seed": s.seed}
    return result


# ---------------------------------------------------------------------------------------------
# Timing: one update and one epoch against the batch size
# ---------------------------------------------------------------------------------------------


class _Net:
    """ŷ = W₂ tanh(W₁x + b₁) + b₂ with squared error; forward + backward written out."""

    def __init__(self, inputs: int, hidden: int, rng: np.random.Generator) -> None:
        self.w1 = rng.standard_normal((inputs, hidden)) / math.sqrt(inputs)
        self.b1 = np.zeros(hidden)
        self.w2 = rng.standard_normal((hidden, 1)) / math.sqrt(hidden)
        self.b2 = np.zeros(1)

    def grads(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        """Gradients of the batch loss (1/|b|) Σ (ŷᵢ − yᵢ)², x: (B, d), y: (B, 1)."""
        a = np.tanh(x @ self.w1 + self.b1)  # (B, H)
        err = a @ self.w2 + self.b2 - y  # (B, 1)
        d_out = (2.0 / len(x)) * err
        gw2 = a.T @ d_out
        gb2 = d_out.sum(axis=0)
        d_a = (d_out @ self.w2.T) * (1.0 - a * a)
        gw1 = x.T @ d_a
        gb1 = d_a.sum(axis=0)
        return gw1, gb1, gw2, gb2

    def grads_one(self, x: np.ndarray, y: float) -> tuple[np.ndarray, ...]:
        """Gradients of one example's loss (x: (d,)): no batch dimension to parallelize over."""
        a = np.tanh(x @ self.w1 + self.b1)  # (H,)
        err = float(a @ self.w2[:, 0] + self.b2[0] - y)
        d_out = 2.0 * err
        d_a = d_out * self.w2[:, 0] * (1.0 - a * a)
        return np.outer(x, d_a), d_a, (d_out * a)[:, None], np.array([d_out])

    def apply(self, g: tuple[np.ndarray, ...], lr: float) -> None:
        self.w1 -= lr * g[0]
        self.b1 -= lr * g[1]
        self.w2 -= lr * g[2]
        self.b2 -= lr * g[3]


def timing_study(
    batch_sizes: Sequence[int] = (1, 10, 100, 1000, 10_000),
    n_examples: int = 10_000,
    repeats: int = 5,
    should_stop: StopFn | None = None,
    progress: ProgressFn | None = None,
    *,
    hidden: int = 32,
    inputs: int = 10,
    loop_subset: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Time one update and one epoch against the batch size B, "parallel" and "no parallel".

    The model: one hidden layer of ``hidden`` tanh units on ``n_examples`` generated examples
    with ``inputs`` features; an update = forward + backward on one batch + a GD step.

    * parallel: the batch is one (B, d) array — matrix products over the whole batch; one
      update and one epoch (shuffle, then ⌈N/B⌉ updates) are each the best of up to
      ``repeats`` timings (fewer where one takes long; the total stays a few seconds).
    * no parallel: a Python loop over the batch's examples, one at a time, summing their
      gradients; one update is timed the same way, one epoch is timed on the first
      ``loop_subset`` examples and scaled by N / ``loop_subset`` (said in ``note``).

    Returns a dict of lists (seconds), one entry per batch size, ready to plot on log axes.
    """
    n = int(n_examples)
    if n < 1:
        raise ValueError(f"n_examples must be ≥ 1 (got {n_examples})")
    sizes = parse_batch_sizes(list(batch_sizes), n)
    if repeats < 1:
        raise ValueError(f"repeats must be ≥ 1 (got {repeats})")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, inputs))
    y = np.sin(x[:, :1]) + 0.1 * rng.standard_normal((n, 1))
    subset = min(n, int(loop_subset))
    lr = 1e-3
    steps_total = len(sizes) * 4
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if should_stop is not None and should_stop():
            raise Cancelled("timing stopped")
        if progress is not None:
            progress(done / steps_total)

    def best(fn, k: int) -> float:
        out = math.inf
        for _ in range(k):
            t = time.perf_counter()
            fn()
            out = min(out, time.perf_counter() - t)
        return out

    def tries(estimate: float) -> int:
        """Repeats affordable within ~0.25 s (at least 1, or 3 for timings under 0.1 s; at
        most ``repeats``): the best of several timings filters out pauses caused by other
        programs (e.g. BLAS threads waiting for a core that another process holds)."""
        floor = 3 if estimate < 0.1 else 1
        return int(max(1, min(repeats, max(floor, 0.25 // max(estimate, 1e-9)))))

    net = _Net(inputs, hidden, rng)
    out: dict[str, Any] = {
        "batch_sizes": list(sizes),
        "n_examples": n,
        "model": f"{inputs} inputs → {hidden} tanh units → 1 output, squared error",
        "updates_per_epoch": [math.ceil(n / b) for b in sizes],
        "parallel": {"update_s": [], "epoch_s": []},
        "no_parallel": {"update_s": [], "epoch_s": [], "epoch_measured_examples": subset},
        "repeats": int(repeats),
        "note": (f"no-parallel epoch times were measured on {subset} of the {n} examples and "
                 f"scaled by {n / subset:g}" if subset < n else
                 "all times measured on the full data set"),
    }
    if progress is not None:
        progress(0.0)
    for b in sizes:
        idx = rng.choice(n, size=b, replace=False)
        xb, yb = x[idx], y[idx]

        def par_update(xb=xb, yb=yb) -> None:
            net.apply(net.grads(xb, yb), lr)

        first = min(best(par_update, 1), best(par_update, 1))  # the first also warms up
        t_update = min(first, best(par_update, tries(first)))
        out["parallel"]["update_s"].append(t_update)
        tick()

        def par_epoch(b=b) -> None:
            perm = rng.permutation(n)
            for s in range(0, n, b):
                part = perm[s : s + b]
                net.apply(net.grads(x[part], y[part]), lr)

        out["parallel"]["epoch_s"].append(best(par_epoch, tries(t_update * math.ceil(n / b))))
        tick()

        def loop_update(xb=xb, yb=yb) -> None:
            acc = [np.zeros_like(p) for p in (net.w1, net.b1, net.w2, net.b2)]
            for i in range(len(xb)):
                for a_, g_ in zip(acc, net.grads_one(xb[i], float(yb[i, 0])), strict=True):
                    a_ += g_
            net.apply(tuple(a_ / len(xb) for a_ in acc), lr)

        first = best(loop_update, 1)
        t_loop = min(first, best(loop_update, tries(first)))
        out["no_parallel"]["update_s"].append(t_loop)
        tick()

        def loop_epoch(b=b) -> None:
            perm = rng.permutation(n)[:subset]
            for s in range(0, subset, b):
                part = perm[s : s + b]
                acc = [np.zeros_like(p) for p in (net.w1, net.b1, net.w2, net.b2)]
                for i in part:
                    for a_, g_ in zip(acc, net.grads_one(x[i], float(y[i, 0])), strict=True):
                        a_ += g_
                net.apply(tuple(a_ / len(part) for a_ in acc), lr)

        estimate = t_loop / b * subset
        out["no_parallel"]["epoch_s"].append(best(loop_epoch, tries(estimate)) * n / subset)
        tick()
    return out


def timing_table(t: dict[str, Any]) -> str:
    """The timing figures as a readable table."""
    head = ["B", "updates/epoch", "update (parallel)", "epoch (parallel)",
            "update (no parallel)", "epoch (no parallel)"]
    rows = []
    for i, b in enumerate(t["batch_sizes"]):
        rows.append([str(b), str(t["updates_per_epoch"][i]),
                     _secs(t["parallel"]["update_s"][i]), _secs(t["parallel"]["epoch_s"][i]),
                     _secs(t["no_parallel"]["update_s"][i]),
                     _secs(t["no_parallel"]["epoch_s"][i])])
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(head)]
    lines = [f"timing on this computer: {t['model']}, N = {t['n_examples']}"]
    lines.append("  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)))
    lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    lines.append(f"({t['note']})")
    return "\n".join(lines)


def _secs(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def cmd_study(args: Any) -> int:
    """``python main.py study SCENARIO --batch-sizes 1,2,5 --seeds 20 [--run 0] [--json P]``.

    Bad input raises ValueError (one line; main.py exits with code 2).
    """
    from core.files import check_output, need_runs, output, printable
    from core.progress import ProgressLine

    json_path = getattr(args, "json", None)
    check_output(json_path, "--json")
    scenario = sc.load(args.scenario)
    seeds = args.seeds
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ValueError(f"--seeds: must be a whole number ≥ 1 (got {seeds!r})")
    need_runs(scenario, args.scenario, "study")
    run = getattr(args, "run", 0)
    if not isinstance(run, int) or not 0 <= run < len(scenario.runs):
        raise ValueError(f"--run: must be in 0..{len(scenario.runs) - 1} (got {run!r})")
    sizes = parse_batch_sizes(args.batch_sizes, scenario.surface.examples)
    budget = getattr(args, "budget", None) or "updates"
    line = ProgressLine("studying")
    try:
        result = study_scenario(scenario, sizes, seeds, run, budget=budget,
                                progress=lambda f: line(f, 1.0))
    finally:
        line.clear()
    timing = timing_study() if getattr(args, "timing", False) else None
    if json_path:
        doc = result.to_dict()
        if timing is not None:
            doc["timing"] = _clean(timing)
        text = json.dumps(doc, allow_nan=False, ensure_ascii=False)
        with output(json_path) as fh:
            fh.write(text)
    if json_path != "-":
        print(printable(result.table(), newlines=True))
        if timing is not None:
            print()
            print(timing_table(timing))
    return 0

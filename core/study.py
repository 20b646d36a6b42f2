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
from core.texts import Text, TextError, template, text

__all__ = [
    "BatchSizeResult",
    "Cancelled",
    "Claims",
    "StudyResult",
    "Verdict",
    "batch_size_study",
    "claims_study",
    "cmd_study",
    "parse_batch_sizes",
    "study_scenario",
    "timing_study",
]

#: Most seeds per batch size, and most runs in one study.
MAX_SEEDS = limits.MAX_SEEDS
MAX_RUNS = limits.MAX_STUDY_RUNS
BUDGETS = ("updates", "epochs")


_E_SIZES_LIST = template("give a comma-separated list such as 1,2,5,10,20")
_E_SIZES_WHOLE_LIST = template("{item} is not a whole number (give a "
                               "comma-separated list such as 1,2,5,10,20)")
_E_SIZES_WHOLE = template("{item} is not a whole number")
_E_SIZES_RANGE = template("batch size must be in 1..{n} (N = {n}) (got {value})")
_E_SIZES_TWICE = template("batch size {value} is listed twice")
_E_SIZES_NONE = template("give at least one batch size")


def _sizes_error(sentence: Text) -> TextError:
    return TextError(text("--batch-sizes: {message}", message=sentence))


def parse_batch_sizes(text: str | Sequence[int], n: int) -> tuple[int, ...]:
    """Batch sizes from ``"1,2,5,10,20"`` (or a sequence); each in 1..N, ``full`` = N.

    Raises ValueError with one line for a malformed list, a size out of range or a repeat.
    """
    items: list[Any]
    if isinstance(text, str):
        if not text.strip():
            raise _sizes_error(Text(_E_SIZES_LIST))
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
                    raise _sizes_error(Text(_E_SIZES_WHOLE_LIST, {"item": repr(item)})) from None
        elif isinstance(item, bool) or not isinstance(item, int | np.integer):
            raise _sizes_error(Text(_E_SIZES_WHOLE, {"item": repr(item)}))
        else:
            value = int(item)
        if not 1 <= value <= n:
            raise _sizes_error(Text(_E_SIZES_RANGE, {"n": str(n), "value": str(value)}))
        if value in out:
            raise _sizes_error(Text(_E_SIZES_TWICE, {"value": str(value)}))
        out.append(value)
    if not out:
        raise _sizes_error(Text(_E_SIZES_NONE))
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
    claims: Claims | None = None

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
        if self.claims is not None:
            doc["claims"] = self.claims.to_dict()
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
        if self.claims is not None:
            c = self.claims
            lines.append(f"The lecture's claims (flat minimum = the one with the smallest λ_max "
                         f"among those runs end in; equal epochs = those B = {c.epochs_of} makes "
                         f"in {c.updates.results[0].updates} updates):")
            for label, st in (("equal updates", c.updates), ("equal epochs", c.epochs),
                              *((f"η = {st.config.lr:g}, equal updates", st)
                                for f, st in c.lr if f != 1.0)):
                flat = c.fraction_flat(st)
                lines.append(f"  {label}: " + ", ".join(
                    f"B = {r.batch_size}: {r.updates} updates, "
                    f"median L {_fmt(_median(r.final_loss))}, flat {100 * flat[k]:.0f}%"
                    for k, r in enumerate(st.results)))
            lines += c.lines()
            runs = len(self.results) * self.seeds * len(c.studies())
            lines.append(f"({runs} runs in {self.seconds:.2f} s)")
            return "\n".join(lines)
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


def _sharpness_at(problem: Problem, points: Sequence[CriticalPoint]) -> np.ndarray:
    """λ_max(∇²L) at each point (none: an empty array; a surface such as the bowl has no
    saddle point, and the Hessian of zero points is not computed)."""
    if not points:
        return np.empty(0)
    return sharpness(problem, np.array([p.theta for p in points], dtype=float).reshape(-1, 2))


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
    epochs_of: int | None = None,
) -> StudyResult:
    """Run ``config`` with every batch size and ``seeds`` shuffle seeds (config.seed + 0, 1, …).

    ``budget="epochs"``: every B trains for the epochs that batch size ``epochs_of`` (default:
    the run's own B) makes in the run's T updates, i.e. ⌈T / ⌈N/B_of⌉ · ⌈N/B⌉⌉ updates.

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
    base_bpe = BatchSchedule(problem.n, config.batch_size if epochs_of is None else int(epochs_of),
                             0, config.drop_last).batches_per_epoch
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
    min_sharp = _sharpness_at(problem, labels.minima)
    sad_sharp = _sharpness_at(problem, labels.saddles)
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


# ---------------------------------------------------------------------------------------------
# The lecture's batch claims, checked on the study's numbers
# ---------------------------------------------------------------------------------------------

#: η factors of the learning-rate sweep (besides the run's own η, factor 1).
LR_FACTORS = (0.5, 2.0)


@dataclass(frozen=True)
class Verdict:
    """One claim of the lecture checked on the numbers.

    ``status``: ``"supported"``, ``"not supported"`` (no difference), ``"opposite"`` (the
    numbers go the other way) or ``"cannot be shown"`` (the surface lacks what the claim needs,
    e.g. a second minimum or a testing loss). ``sentence``: one plain sentence with the numbers
    (:class:`core.texts.Text`; ``text`` is its English).
    """

    claim: str
    status: str
    sentence: Text

    @property
    def text(self) -> str:
        """The sentence in English (the window translates :attr:`sentence`)."""
        return str(self.sentence)

    def to_dict(self) -> dict[str, str]:
        return {"claim": self.claim, "status": self.status, "text": self.text}


@dataclass
class Claims:
    """The lecture's batch claims measured on one surface: the same B × seeds with

    * ``updates``: equal updates — every B makes the run's T updates at the run's η;
    * ``epochs``: equal epochs — every B trains for the epochs the smallest B (``epochs_of``)
      makes in T updates, so a batch B makes ⌈N/B⌉ / ⌈N/B_min⌉ as many updates (Hoffer et al.
      2017: much of a large batch's gap comes from making fewer updates);
    * ``lr``: (factor, study) at equal updates with η × factor (factor 1 is ``updates``).

    The **flat minimum** is, among the minima in which at least one run of any of these studies
    ends, the one with the smallest sharpness λ_max(∇²L); the **sharp minimum** the one with the
    largest. Two minima of different studies are the same when their θ are within the capture
    radius. ``n_minima``: distinct minima found on the surface (by any study).
    """

    updates: StudyResult
    epochs: StudyResult
    lr: tuple[tuple[float, StudyResult], ...]
    epochs_of: int
    n_minima: int
    flat: tuple[float, float] | None
    flat_sharpness: float | None
    sharp: tuple[float, float] | None
    sharp_sharpness: float | None
    verdicts: tuple[Verdict, ...] = ()
    #: (θ, λ_max) of every distinct minimum in which some run ends
    ended: tuple[tuple[tuple[float, float], float], ...] = ()

    @property
    def has_choice(self) -> bool:
        """Runs end in at least two minima whose sharpness differs by more than 1 %: there is
        a flat and a sharp minimum to choose between."""
        return (self.flat_sharpness is not None and self.sharp_sharpness is not None
                and self.sharp_sharpness > 1.01 * self.flat_sharpness)

    def no_choice_reason(self) -> Text:
        """Why the flat-minimum claim cannot be shown here (empty when it can)."""
        if self.has_choice:
            return text("")
        if self.n_minima < 2:
            if self.flat_sharpness is None:
                return text(_T_ONE_MINIMUM)
            return text(_T_ONE_MINIMUM_LAM, lam=f"{self.flat_sharpness:.3g}")
        if len(self.ended) < 2:
            return text(_T_SAME_MINIMUM, n=str(self.n_minima))
        return text(_T_ALIKE_MINIMA, n=str(len(self.ended)),
                    lams=tuple(f"{lam:.3g}" for _, lam in self.ended[:6]))

    @property
    def radius(self) -> float:
        return max(st.radius for st in self.studies())

    def studies(self) -> list[StudyResult]:
        """Every study of the claims (equal updates first)."""
        return [self.updates, self.epochs, *(st for f, st in self.lr if f != 1.0)]

    def _in(self, study: StudyResult, r: BatchSizeResult,
            point: tuple[float, float] | None) -> np.ndarray:
        """Per seed: does the run end in the minimum at ``point``?"""
        if point is None:
            return np.zeros(len(r.seeds), bool)
        near = np.array([math.dist(p.theta, point) <= self.radius for p in study.minima] + [False])
        return near[np.where(r.minimum >= 0, r.minimum, len(study.minima))] & ~r.diverged

    def ends_flat(self, study: StudyResult, r: BatchSizeResult) -> np.ndarray:
        """Per seed of batch size ``r`` of ``study``: ends in the flat minimum."""
        return self._in(study, r, self.flat)

    def ends_sharp(self, study: StudyResult, r: BatchSizeResult) -> np.ndarray:
        """Per seed: ends in the sharp minimum."""
        return self._in(study, r, self.sharp)

    def fraction_flat(self, study: StudyResult) -> np.ndarray:
        """Share of the seeds ending in the flat minimum, one value per batch size."""
        return np.array([float(np.mean(self.ends_flat(study, r))) for r in study.results])

    def to_dict(self) -> dict[str, Any]:
        def point(theta: tuple[float, float] | None, lam: float | None) -> Any:
            return None if theta is None else {"theta": list(theta), "sharpness": lam}

        def per_b(study: StudyResult) -> list[dict[str, Any]]:
            flat = self.fraction_flat(study)
            out = []
            for k, r in enumerate(study.results):
                out.append({
                    "batch_size": r.batch_size, "updates": r.updates, "epochs": r.epochs,
                    "lr": study.config.lr, "lr_over_b": study.config.lr / r.batch_size,
                    "final_loss": [float(v) for v in r.final_loss],
                    "test_loss": (None if r.test_loss is None
                                  else [float(v) for v in r.test_loss]),
                    "fraction_flat": float(flat[k]),
                    "fraction_sharp": float(np.mean(self.ends_sharp(study, r))),
                })
            return out

        return {
            "flat_minimum": point(self.flat, self.flat_sharpness),
            "sharp_minimum": point(self.sharp, self.sharp_sharpness),
            "distinct_minima": self.n_minima,
            "epochs_of_batch_size": self.epochs_of,
            "equal_updates": per_b(self.updates),
            "equal_epochs": per_b(self.epochs),
            "lr_sweep": [{"factor": f, "lr": st.config.lr, "batch_sizes": per_b(st)}
                         for f, st in self.lr],
            "verdicts": [v.to_dict() for v in self.verdicts],
        }

    def lines(self) -> list[str]:
        """The verdicts as text lines."""
        return [f"  {v.claim}: {v.status.upper()} — {v.text}" for v in self.verdicts]


def _median(v: np.ndarray | None) -> float | None:
    if v is None:
        return None
    fin = np.asarray(v, float)[np.isfinite(v)]
    return float(np.median(fin)) if len(fin) else None


def _distinct_minima(studies: Sequence[StudyResult], radius: float,
                     ended_only: bool) -> list[tuple[tuple[float, float], float]]:
    """(θ, λ_max) of the distinct minima over the studies (optionally: only those some run
    ends in), merging minima within ``radius`` of each other."""
    out: list[tuple[tuple[float, float], float]] = []
    for st in studies:
        used = set()
        for r in st.results:
            used.update(int(j) for j in r.minimum[(r.minimum >= 0) & ~r.diverged])
        for j, p in enumerate(st.minima):
            if ended_only and j not in used:
                continue
            theta = (float(p.theta[0]), float(p.theta[1]))
            lam = st.minima_sharpness[j] if j < len(st.minima_sharpness) else math.nan
            if all(math.dist(theta, q) > radius for q, _ in out) and math.isfinite(lam):
                out.append((theta, float(lam)))
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (average ranks for ties); NaN when either is constant."""
    def ranks(v: np.ndarray) -> np.ndarray:
        order = np.argsort(v, kind="stable")
        r = np.empty(len(v))
        r[order] = np.arange(len(v), dtype=float)
        for val in np.unique(v):  # ties: average rank
            r[v == val] = r[v == val].mean()
        return r

    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan
    return float(np.corrcoef(ranks(x), ranks(y))[0, 1])


def _lead(status: str, detail: Text, opposite: str) -> Text:
    """A loss verdict's text, led by what its status means ("no clear difference" or the
    ``opposite`` finding: a template with ``{detail}``)."""
    if status == "not supported":
        return text(_T_NO_CLEAR, detail=detail)
    if status == "opposite":
        return text(opposite, detail=detail)
    return detail


def _pair_share(a: np.ndarray | None, b: np.ndarray | None) -> float | None:
    """Share of the (seed of a, seed of b) pairs with a's value below b's (ties count half);
    None when either has no finite value."""
    if a is None or b is None:
        return None
    x, y = np.asarray(a, float), np.asarray(b, float)
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if not len(x) or not len(y):
        return None
    d = x[:, None] - y[None, :]
    tol = 1e-12 * max(1.0, float(np.abs(x).max()), float(np.abs(y).max()))
    return float(np.mean(np.where(np.abs(d) <= tol, 0.5, d < 0)))


#: The claims :func:`check_claims` checks (a verdict's ``claim``) and the verdicts' statuses.
CLAIMS = ("small vs large batches", "small batches end in flatter minima",
          "small batches reach a lower training loss", "small batches reach a lower testing loss",
          "a larger η/B ends in the flat minimum more often")
VERDICT_STATUSES = ("supported", "not supported", "opposite", "cannot be shown")

#: A loss claim is "supported" when the small batch is lower in at least this share of the
#: (seed, seed) pairs, the "opposite" when in at most 1 − this; in between: no clear difference.
CLEAR_SHARE = 0.75


# The verdicts' sentences (core.texts: the window translates them, with the same numbers)
_T_ONE_MINIMUM = template("the surface has only one minimum: there is no flat and sharp minimum "
                          "to choose between")
_T_ONE_MINIMUM_LAM = template("the surface has only one minimum (λ_max = {lam}): there is no "
                              "flat and sharp minimum to choose between")
_T_SAME_MINIMUM = template("{n} minima were found, but every run that ends in a minimum ends in "
                           "the same one: no run shows a choice between a flat and a sharp "
                           "minimum")
_T_ALIKE_MINIMA = template("the runs end in {n} minima, all about as sharp (λ_max = {lams}): "
                           "none is flatter than another")
_T_SENTENCE = template("{reason}.")
_T_ONE_B = template("the study has one batch size only: give two or more.")
_T_FLAT = template("at η = {eta}, equal updates: B = {bs} ends in the flat minimum (λ_max = "
                   "{flat}) in {ff_s} of the seeds and in the sharp one (λ_max = {sharp}) in "
                   "{fs_s}; B = {bl}: flat {ff_l}, sharp {fs_l}.")
_T_FLAT_OPPOSITE = template("the large batch ends flat more often: {detail}")
_T_NO_DIFFERENCE = template("no difference: {detail}")
_T_NO_CLEAR = template("no clear difference: {detail}")
_T_ALL_DIVERGED = template("some batch size has no finite end (every seed diverged).")
_T_TRAIN = template("median final L(θ) at equal updates ({updates_s}): B = {bs} {ls}, B = {bl} "
                    "{ll} (B = {bs} lower in {share} of the seed pairs); at equal epochs "
                    "({epochs}: B = {bl} makes {updates_l}): B = {bs} {es}, B = {bl} "
                    "{el}.{gap}")
_T_UPDATE = template("{n} update")
_T_UPDATES = template("{n} updates")
_T_GAP_GONE = template(" The large batch's gap of {gap_e} at equal epochs is gone at equal "
                       "updates: it came from making fewer updates.")
_T_GAP_CLOSED = template(" The large batch's gap of {gap_e} at equal epochs is {gap_u} at equal "
                         "updates: making as many updates closes {closed} of it.")
_T_NOT_BEHIND = template(" At equal epochs the large batch is not behind.")
_T_TRAIN_OPPOSITE = template("the large batch ends lower: {detail}")
_T_NO_TEST = template("the scenario has no testing loss (no test_shift in its [view]).")
_T_NO_END = template("some batch size has no finite end.")
_T_TEST = template("median testing loss L(θ − s) at equal updates: B = {bs} {ts}, B = {bl} {tl} "
                   "(B = {bs} lower in {share} of the seed pairs).")
_T_TEST_OPPOSITE = template("the large batch's testing loss is lower: {detail}")
_T_NO_CHOICE = template("no run chooses between a flat and a sharp minimum.")
_T_SAME_SHARE = template("the share ending flat is the same ({share}) for every η/B tried.")
_T_RHO = template("rank correlation between η/B and the share ending flat over {n} (η, B) "
                  "pairs: ρ = {rho}.")


def _updates(n: int) -> Text:
    return text(_T_UPDATE if n == 1 else _T_UPDATES, n=str(n))


def _verdicts(c: Claims, test: bool) -> tuple[Verdict, ...]:
    """Every claim checked on the numbers, smallest against largest batch size. The losses
    are compared seed against seed: the share of the pairs in which the small batch ends
    lower (:data:`CLEAR_SHARE` decides), so a difference smaller than the seeds' spread is
    no difference."""
    up, ep = c.updates, c.epochs
    sizes = [r.batch_size for r in up.results]
    k_s, k_l = int(np.argmin(sizes)), int(np.argmax(sizes))
    small, large = up.results[k_s], up.results[k_l]
    bs, bl = small.batch_size, large.batch_size
    eta = up.config.lr
    out: list[Verdict] = []
    if bs == bl:
        return (Verdict(CLAIMS[0], "cannot be shown", text(_T_ONE_B)),)

    def status_of(share: float) -> str:
        return ("supported" if share >= CLEAR_SHARE else "opposite"
                if share <= 1 - CLEAR_SHARE else "not supported")

    # 1. small batches end in the flat minimum, large ones in the sharp one
    claim = CLAIMS[1]
    if not c.has_choice:
        out.append(Verdict(claim, "cannot be shown",
                           text(_T_SENTENCE, reason=c.no_choice_reason())))
    else:
        ff = c.fraction_flat(up)
        fs_l = float(np.mean(c.ends_sharp(up, large)))
        fs_s = float(np.mean(c.ends_sharp(up, small)))
        detail = text(_T_FLAT, eta=f"{eta:g}", bs=str(bs), flat=f"{c.flat_sharpness:.3g}",
                      ff_s=_pct(ff[k_s]), sharp=f"{c.sharp_sharpness:.3g}", fs_s=_pct(fs_s),
                      bl=str(bl), ff_l=_pct(ff[k_l]), fs_l=_pct(fs_l))
        if ff[k_s] > ff[k_l]:
            out.append(Verdict(claim, "supported", detail))
        elif ff[k_s] < ff[k_l]:
            out.append(Verdict(claim, "opposite", text(_T_FLAT_OPPOSITE, detail=detail)))
        else:
            out.append(Verdict(claim, "not supported", text(_T_NO_DIFFERENCE, detail=detail)))

    # 2. small batches reach a lower training loss; the large batch's gap at equal epochs vs
    #    equal updates (Hoffer et al. 2017)
    claim = CLAIMS[2]
    e_small, e_large = ep.results[k_s], ep.results[k_l]
    meds = [_median(r.final_loss) for r in (small, large, e_small, e_large)]
    share = _pair_share(small.final_loss, large.final_loss)
    if share is None or any(m is None for m in meds):
        out.append(Verdict(claim, "cannot be shown", text(_T_ALL_DIVERGED)))
    else:
        ls, ll, es, el = (float(m) for m in meds if m is not None)
        status = status_of(share)
        gap_u, gap_e = ll - ls, el - es
        tol = 1e-9 * max(1.0, abs(es), abs(el))
        if gap_e > tol:
            gap = (text(_T_GAP_GONE, gap_e=f"{gap_e:.3g}") if gap_u <= tol else
                   text(_T_GAP_CLOSED, gap_e=f"{gap_e:.3g}", gap_u=f"{gap_u:.3g}",
                        closed=_pct(max(0.0, 1.0 - gap_u / gap_e))))
        else:
            gap = text(_T_NOT_BEHIND)
        detail = text(_T_TRAIN, updates_s=_updates(small.updates), bs=str(bs), ls=f"{ls:.4g}",
                      bl=str(bl), ll=f"{ll:.4g}", share=_pct(share),
                      epochs=f"{e_small.epochs:g}", updates_l=_updates(e_large.updates),
                      es=f"{es:.4g}", el=f"{el:.4g}", gap=gap)
        out.append(Verdict(claim, status, _lead(status, detail, _T_TRAIN_OPPOSITE)))

    # 3. small batches generalize better: lower testing loss
    claim = CLAIMS[3]
    if not test:
        out.append(Verdict(claim, "cannot be shown", text(_T_NO_TEST)))
    else:
        ts, tl = _median(small.test_loss), _median(large.test_loss)
        share = _pair_share(small.test_loss, large.test_loss)
        if ts is None or tl is None or share is None:
            out.append(Verdict(claim, "cannot be shown", text(_T_NO_END)))
        else:
            status = status_of(share)
            detail = text(_T_TEST, bs=str(bs), ts=f"{ts:.4g}", bl=str(bl), tl=f"{tl:.4g}",
                          share=_pct(share))
            out.append(Verdict(claim, status, _lead(status, detail, _T_TEST_OPPOSITE)))

    # 4. the noise scale η/B: a larger η/B ends flat more often
    claim = CLAIMS[4]
    if not c.has_choice:
        out.append(Verdict(claim, "cannot be shown", text(_T_NO_CHOICE)))
    else:
        xs, ys = [], []
        for _, st in c.lr:
            xs += [st.config.lr / r.batch_size for r in st.results]
            ys += list(c.fraction_flat(st))
        rho = _spearman(np.array(xs), np.array(ys))
        if not math.isfinite(rho):
            out.append(Verdict(claim, "not supported", text(_T_SAME_SHARE, share=_pct(ys[0]))))
        else:
            status = "supported" if rho >= 0.5 else "opposite" if rho <= -0.5 else \
                "not supported"
            out.append(Verdict(claim, status, text(_T_RHO, n=str(len(xs)), rho=f"{rho:.2f}")))
    return tuple(out)


def claims_study(
    problem: Problem,
    config: RunConfig,
    batch_sizes: Sequence[int],
    seeds: int = 20,
    *,
    test_shift: Sequence[float] | None = None,
    lr_factors: Sequence[float] = LR_FACTORS,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> StudyResult:
    """The equal-updates study with :class:`Claims` attached (``result.claims``): the same
    batch sizes and seeds at equal epochs, and at η × each of ``lr_factors``; the flat and sharp
    minimum, and every claim's :class:`Verdict`. No run makes more than the run's T updates.
    """
    sizes = parse_batch_sizes(list(batch_sizes), problem.n)
    factors = [float(f) for f in lr_factors if float(f) != 1.0]
    if any(not math.isfinite(f) or f <= 0 for f in factors):
        raise ValueError(f"lr_factors must be > 0 (got {list(lr_factors)})")
    total = 2 + len(factors)
    done = [0]

    def part(f: float) -> None:
        if progress is not None:
            progress((done[0] + f) / total)

    t0 = time.perf_counter()
    kw: dict[str, Any] = {"test_shift": test_shift, "progress": part, "should_stop": should_stop}
    up = batch_size_study(problem, config, sizes, seeds, budget="updates", **kw)
    done[0] += 1
    b_min = min(sizes)
    ep = batch_size_study(problem, config, sizes, seeds, budget="epochs", epochs_of=b_min, **kw)
    done[0] += 1
    lr: list[tuple[float, StudyResult]] = [(1.0, up)]
    for f in factors:
        cfg = config.with_param("lr", config.lr * f)
        lr.append((f, batch_size_study(problem, cfg, sizes, seeds, budget="updates", **kw)))
        done[0] += 1
    lr.sort(key=lambda item: item[0])
    studies = [up, ep, *(st for f, st in lr if f != 1.0)]
    radius = max(st.radius for st in studies)
    every = _distinct_minima(studies, radius, ended_only=False)
    ended = _distinct_minima(studies, radius, ended_only=True)
    flat = min(ended, key=lambda m: m[1]) if ended else None
    sharp = max(ended, key=lambda m: m[1]) if ended else None
    claims = Claims(
        updates=up, epochs=ep, lr=tuple(lr), epochs_of=b_min, n_minima=len(every),
        flat=None if flat is None else flat[0], flat_sharpness=None if flat is None else flat[1],
        sharp=None if sharp is None else sharp[0],
        sharp_sharpness=None if sharp is None else sharp[1], ended=tuple(ended))
    claims.verdicts = _verdicts(claims, up.test_shift is not None)
    up.claims = claims
    up.seconds = time.perf_counter() - t0
    return up


def study_scenario(
    scenario: sc.Scenario,
    batch_sizes: str | Sequence[int] = (1, 2, 5, 10, 20),
    seeds: int = 20,
    run: int = 0,
    *,
    budget: str = "updates",
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    claims: bool = False,
) -> StudyResult:
    """:func:`batch_size_study` of run ``run`` of a scenario, with its ``[view]`` test shift
    (``claims=True``: :func:`claims_study`, equal updates with the claims attached)."""
    if not scenario.runs:
        raise ValueError("the scenario has no runs to study")
    if isinstance(run, bool) or not isinstance(run, int) or not 0 <= run < len(scenario.runs):
        raise ValueError(f"--run: must be in 0..{len(scenario.runs) - 1} (got {run!r})")
    n = scenario.surface.examples
    sizes = parse_batch_sizes(batch_sizes, n)
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ValueError(f"--seeds: must be a whole number ≥ 1 (got {seeds!r})")
    problem = problem_of(scenario)
    if claims:
        if budget != "updates":
            raise ValueError("--claims compares both budgets itself: leave out --budget")
        result = claims_study(problem, scenario.runs[run], sizes, seeds,
                              test_shift=scenario.view.test_shift, progress=progress,
                              should_stop=should_stop)
    else:
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
    from core.files import check_output, output, printable
    from core.progress import ProgressLine
    from core.scenario import need_runs

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
                                progress=lambda f: line(f, 1.0),
                                claims=bool(getattr(args, "claims", False)))
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

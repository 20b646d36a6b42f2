"""The headless commands ``run``, ``list`` and ``study`` (no Qt), and the trajectory formats.

JSON follows the ``run --json`` schema (strict JSON: no NaN/Infinity tokens; floats are written
with ``repr`` so they round-trip exactly). CSV has one row per run and θᵗ.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import numpy as np

from core import scenario as sc
from core.files import (  # (re-exported: the commands' output helpers live in core.files)
    atomic_write_text,
    check_output,
    output,
    printable,
)
from core.limits import MAX_BATCH_INDICES
from core.optim import OPTIMIZERS
from core.problem import Problem
from core.progress import ProgressLine
from core.run import Trajectory, simulate_scenario
from core.schedules import SCHEDULES
from core.surfaces import BUILTINS


def _clean(value: Any) -> Any:
    """Replace non-finite floats by None so the output is strict JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def trajectory_record(traj: Trajectory) -> dict[str, Any]:
    """One run in the ``run --json`` schema (``status``: one of :data:`core.run.STATUSES`)."""
    c = traj.config
    return {
        "label": c.label,
        "optimizer": c.optimizer,
        "hyper": c.params,
        "batch_size": c.batch_size,
        "seed": c.seed,
        "status": traj.status,
        "message": traj.message,
        "theta": traj.theta.tolist(),
        "loss": traj.loss.tolist(),
        "grad": traj.grad.tolist(),
        "movement": traj.movement.tolist(),
        "batch_loss": traj.batch_loss.tolist(),
        "batch": traj.batches(),
        "epoch": traj.epoch.tolist(),
    }


def scenario_record(scenario: sc.Scenario, problem: Problem,
                    trajectories: Sequence[Trajectory]) -> dict[str, Any]:
    """The whole ``run --json`` document."""
    s = scenario.surface
    rng = problem.surface.range
    doc = {
        "surface": {
            "name": s.name if s.expression is None else "custom",
            "expression": problem.surface.expression,
            "examples": s.examples,
            "noise": s.noise,
            "range": [list(rng[0]), list(rng[1])],
        },
        "runs": [trajectory_record(t) for t in trajectories],
    }
    return _clean(doc)


def to_json(doc: dict[str, Any]) -> str:
    """A ``run --json`` document as text (see :func:`write_json` for a streamed one)."""
    return json.dumps(doc, allow_nan=False, ensure_ascii=False)


def _dumps(value: Any) -> str:
    return json.dumps(_clean(value), allow_nan=False, ensure_ascii=False)


#: Elements (numbers or example indices) per piece of a streamed array.
PIECE = 1 << 16


def _write_array(fh: TextIO, a: np.ndarray,
                 tick: Callable[[int], None] | None = None) -> None:
    """``json.dumps(_clean(a.tolist()))`` written piece by piece (same bytes); ``tick(k)``:
    k more rows written (a caller's progress, which may raise to stop)."""
    rows = len(a)
    if rows == 0:
        fh.write("[]")
        return
    step = max(1, PIECE // max(1, a[0].size))
    fh.write("[")
    for start in range(0, rows, step):
        part = a[start : start + step]
        values = part.tolist()
        if part.dtype.kind == "f" and not np.isfinite(part).all():
            values = _clean(values)
        if start:
            fh.write(", ")
        fh.write(json.dumps(values, allow_nan=False, ensure_ascii=False)[1:-1])
        if tick is not None:
            tick(len(part))
    fh.write("]")


def _write_batches(fh: TextIO, traj: Trajectory, tick: Callable[[int], None]) -> None:
    """``json.dumps(traj.batches())`` written piece by piece (same bytes); ``tick(k)``: k more
    updates written."""
    sched, total = traj.schedule, traj.updates
    if total == 0:
        fh.write("[]")
        return
    step = max(1, PIECE // max(1, sched.batch_size))
    fh.write("[")
    for start in range(0, total, step):
        stop = min(total, start + step)
        idx, sizes = sched.index_block(start, stop)
        rows = [row[:size] for row, size in zip(idx.tolist(), sizes.tolist(), strict=True)]
        if start:
            fh.write(", ")
        fh.write(json.dumps(rows)[1:-1])
        tick(stop - start)
    fh.write("]")


def write_json(fh: TextIO, scenario: sc.Scenario, problem: Problem,
               trajectories: Sequence[Trajectory], batches: bool = True,
               progress: Callable[[int, int], None] | None = None) -> None:
    """Write the ``run --json`` document to ``fh``, run by run and array by array: memory does
    not grow with the output. The bytes are those of ``to_json(scenario_record(…))``;
    ``batches=False`` leaves out every run's ``batch`` (the example indices of each update).
    ``progress(done, total)`` is told the work done (numbers written) now and then."""
    cost = [(t.updates + 1) * (8 + (t.schedule.batch_size if batches else 0))
            for t in trajectories]
    total, done = max(sum(cost), 1), [0]

    def tick(k: int, per: int) -> None:
        done[0] += k * per
        if progress is not None:
            progress(min(done[0], total), total)

    head = scenario_record(scenario, problem, [])
    fh.write(f'{{"surface": {_dumps(head["surface"])}, "runs": [')
    for k, traj in enumerate(trajectories):
        c = traj.config
        fh.write(", {" if k else "{")
        fields = {"label": c.label, "optimizer": c.optimizer, "hyper": c.params,
                  "batch_size": c.batch_size, "seed": c.seed, "status": traj.status,
                  "message": traj.message}
        fh.write(", ".join(f"{_dumps(key)}: {_dumps(v)}" for key, v in fields.items()))
        arrays = {"theta": traj.theta, "loss": traj.loss, "grad": traj.grad,
                  "movement": traj.movement, "batch_loss": traj.batch_loss}
        for key, a in arrays.items():
            fh.write(f', "{key}": ')
            _write_array(fh, a, lambda n: tick(n, 1))
        tick(traj.updates + 1, 2)
        if batches:
            fh.write(', "batch": ')
            _write_batches(fh, traj, lambda n, b=traj.schedule.batch_size: tick(n, b))
        fh.write(', "epoch": ')
        _write_array(fh, traj.epoch)
        tick(traj.updates + 1, 1)
        fh.write("}")
    fh.write("]}")


def write_csv(fh: TextIO, trajectories: Sequence[Trajectory], batches: bool = True,
              progress: Callable[[int, int], None] | None = None) -> None:
    """One row per run and θᵗ (t = 0..T); the update columns are empty on the last row.
    ``batches=False`` leaves out the ``batch`` column. Streamed row by row; ``progress(done,
    total)`` is told the rows written now and then."""
    total, done = sum(t.updates + 1 for t in trajectories), 0
    w = csv.writer(fh, lineterminator="\n")
    head = ["label", "t", "epoch", "theta_x", "theta_y", "loss", "grad_x", "grad_y",
            "move_x", "move_y", "batch_loss"]
    w.writerow([*head, "batch"] if batches else head)
    for tr in trajectories:
        mv = tr.movement
        for t in range(tr.updates + 1):
            row = [tr.config.label, t]
            if t < tr.updates:
                row += [int(tr.epoch[t])]
            else:
                row += [""]
            row += [repr(float(tr.theta[t, 0])), repr(float(tr.theta[t, 1])),
                    repr(float(tr.loss[t]))]
            if t < tr.updates:
                row += [repr(float(v)) for v in (*tr.grad[t], *mv[t], tr.batch_loss[t])]
                if batches:
                    row += [" ".join(str(i) for i in tr.batch(t))]
            else:
                row += [""] * (6 if batches else 5)
            w.writerow(row)
            done += 1
            if progress is not None and done % 4096 == 0:
                progress(done, total)


def to_csv(trajectories: Sequence[Trajectory], batches: bool = True) -> str:
    """:func:`write_csv` as text."""
    out = io.StringIO()
    write_csv(out, trajectories, batches)
    return out.getvalue()


def write_text(path: str, text: str) -> None:
    """Write to a file atomically, or to stdout for ``-``."""
    if path == "-":
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    check_output(path, "output")
    try:
        atomic_write_text(path, text)
    except OSError as err:
        raise ValueError(f"{path}: cannot write ({err.strerror or err})") from None


def check_batch_output(scenario: sc.Scenario, batches: bool) -> None:
    """ValueError when writing every update's batch would exceed :data:`MAX_BATCH_INDICES`
    example indices (counted before simulating, from the runs' updates and batch sizes)."""
    if not batches:
        return
    count = sum(r.steps * r.batch_size for r in scenario.runs)
    if count > MAX_BATCH_INDICES:
        raise ValueError(
            f"the batches of every update would be {count:,} example indices (at most "
            f"{MAX_BATCH_INDICES:,} in one output); add --no-batches to leave them out")


def _fmt(x: float) -> str:
    return f"{x:.6g}" if math.isfinite(x) else str(x)


def table(trajectories: Sequence[Trajectory]) -> str:
    """A short text table: label, optimizer, updates, epochs, final θ, final loss, status."""
    head = ("label", "optimizer", "updates", "epochs", "final θ", "final loss", "status")
    rows = []
    for t in trajectories:
        th = t.theta[-1]
        rows.append((printable(t.config.label), t.config.optimizer, str(t.updates), f"{t.epochs:g}",
                     f"({_fmt(th[0])}, {_fmt(th[1])})", _fmt(float(t.loss[-1])), t.status))
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    for t in trajectories:
        if t.message:
            lines.append(printable(f"{t.config.label}: {t.message}"))
    return "\n".join(lines)


def cmd_run(args: Any) -> int:
    """``run SCENARIO [--json PATH|-] [--csv PATH|-] [--no-batches]``: simulate, write, and
    print a table. Progress (with the time left) goes to stderr when it is a terminal."""
    batches = not getattr(args, "no_batches", False)
    check_output(args.json, "--json")
    check_output(args.csv, "--csv")
    scenario = sc.load(args.scenario)
    sc.need_runs(scenario, args.scenario, "run")
    if args.json or args.csv:
        check_batch_output(scenario, batches)
    line = ProgressLine("simulating")
    try:
        problem, trajs = simulate_scenario(scenario, progress=line)
    finally:
        line.clear()
    if args.json:
        line = ProgressLine(f"writing {printable(args.json)}")
        try:
            with output(args.json) as fh:
                write_json(fh, scenario, problem, trajs, batches, progress=line)
        finally:
            line.clear()
    if args.csv:
        line = ProgressLine(f"writing {printable(args.csv)}")
        try:
            with output(args.csv, end="") as fh:
                write_csv(fh, trajs, batches, progress=line)
        finally:
            line.clear()
    if args.json != "-" and args.csv != "-":
        print(printable(table(trajs), newlines=True))
    return 0


def cmd_list(args) -> int:
    print("surfaces:")
    for name, s in BUILTINS.items():
        print(f"  {name:<12} {s.title}: {s.description}")
    print("optimizers (torch.optim equivalent):")
    for name, info in OPTIMIZERS.items():
        params = ", ".join(f"{p.name}={p.default:g}" for p in info.params)
        print(f"  {name:<12} {info.title} ({params})\n{'':15}torch: {info.torch}")
    print("learning-rate schedules ([runs.schedule] kind; torch.optim.lr_scheduler):")
    for kind, sinfo in SCHEDULES.items():
        params = ", ".join(f"{p.name}={p.default:g}" for p in sinfo.params) or "no parameters"
        print(f"  {kind:<14} {sinfo.formula} ({params})\n{'':15}torch: {sinfo.torch}")
    print("scenarios:")
    for name in sc.builtin_names():
        try:
            title = sc.load(name).title
        except sc.ScenarioError as err:  # a broken built-in is a bug; show it, don't hide it
            title = f"(invalid: {err})"
        print(f"  {name:<24} {title}")
    return 0


def cmd_study(args) -> int:
    from core.study import cmd_study as run_study

    return run_study(args)

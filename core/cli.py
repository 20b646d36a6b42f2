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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core import scenario as sc
from core.files import atomic_write_text
from core.optim import OPTIMIZERS
from core.problem import Problem
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
    return json.dumps(doc, allow_nan=False, ensure_ascii=False)


def to_csv(trajectories: Sequence[Trajectory]) -> str:
    """One row per run and θᵗ (t = 0..T); the update columns are empty on the last row."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["label", "t", "epoch", "theta_x", "theta_y", "loss", "grad_x", "grad_y",
                "move_x", "move_y", "batch_loss", "batch"])
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
                row += [" ".join(str(i) for i in tr.batch(t))]
            else:
                row += [""] * 6
            w.writerow(row)
    return out.getvalue()


def write_text(path: str, text: str) -> None:
    """Write to a file atomically, or to stdout for ``-``."""
    if path == "-":
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    p = Path(path)
    if p.is_dir():
        raise ValueError(f"{path}: is a folder, not a file")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"{path}: the folder {parent} does not exist")
    try:
        atomic_write_text(p, text)
    except OSError as err:
        raise ValueError(f"{path}: cannot write ({err.strerror or err})") from None


def _fmt(x: float) -> str:
    return f"{x:.6g}" if math.isfinite(x) else str(x)


def table(trajectories: Sequence[Trajectory]) -> str:
    """A short text table: label, optimizer, updates, epochs, final θ, final loss, status."""
    head = ("label", "optimizer", "updates", "epochs", "final θ", "final loss", "status")
    rows = []
    for t in trajectories:
        th = t.theta[-1]
        rows.append((t.config.label, t.config.optimizer, str(t.updates), f"{t.epochs:g}",
                     f"({_fmt(th[0])}, {_fmt(th[1])})", _fmt(float(t.loss[-1])), t.status))
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    for t in trajectories:
        if t.message:
            lines.append(f"{t.config.label}: {t.message}")
    return "\n".join(lines)


def cmd_run(args) -> int:
    scenario = sc.load(args.scenario)
    problem, trajs = simulate_scenario(scenario)
    if args.json:
        write_text(args.json, to_json(scenario_record(scenario, problem, trajs)))
    if args.csv:
        write_text(args.csv, to_csv(trajs))
    if args.json != "-" and args.csv != "-":
        print(table(trajs))
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

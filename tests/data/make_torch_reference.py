"""Write ``torch_reference.json``: torch.optim trajectories on the Rosenbrock function.

Run it with a Python that has torch (the tests themselves never need torch)::

    python -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python tests/data/make_torch_reference.py

Cases with a ``schedule`` set the learning rate of update t to the schedule's closed form
(torch.optim.lr_scheduler's ``_get_closed_form_lr`` with ``last_epoch = t``) before each
``step()``: a scheduler stepped once per update. Every case runs ``STEPS`` steps of a torch
optimizer (float64, ``foreach=False``: the single-tensor code path) from each start in
``STARTS``. The gradient of L(x, y) = (1 − x)² + 100 (y − x²)² is computed in plain Python
floats with exactly the expression that ``tests/test_optim.py`` evaluates in NumPy, so both
sides feed their optimizer bit-identical gradients for bit-identical θ. ``hyper`` holds our
(``core.optim``) names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch.optim import lr_scheduler as ls

STEPS = 50
STARTS = [(-1.5, 2.0), (0.3, -0.4)]
OUT = Path(__file__).with_name("torch_reference.json")

# (label, our optimizer, our hyperparameters, torch class name, torch keyword arguments)
CASES: list[tuple[str, str, dict[str, Any], str, dict[str, Any]]] = [
    ("sgd", "gd", {"lr": 5e-4}, "SGD", {"lr": 5e-4}),
    ("sgd_momentum", "momentum", {"lr": 2e-4, "momentum": 0.9},
     "SGD", {"lr": 2e-4, "momentum": 0.9}),
    ("sgd_nesterov", "nesterov", {"lr": 2e-4, "momentum": 0.9},
     "SGD", {"lr": 2e-4, "momentum": 0.9, "nesterov": True}),
    ("adagrad", "adagrad", {"lr": 0.1}, "Adagrad", {"lr": 0.1}),
    ("adagrad_decay", "adagrad",
     {"lr": 0.2, "lr_decay": 0.05, "initial_accumulator_value": 0.1, "eps": 1e-6},
     "Adagrad", {"lr": 0.2, "lr_decay": 0.05, "initial_accumulator_value": 0.1, "eps": 1e-6}),
    ("rmsprop", "rmsprop", {"lr": 0.01}, "RMSprop", {"lr": 0.01}),
    ("rmsprop_momentum", "rmsprop", {"lr": 0.002, "momentum": 0.8},
     "RMSprop", {"lr": 0.002, "momentum": 0.8}),
    ("rmsprop_centered", "rmsprop", {"lr": 0.005, "alpha": 0.9, "centered": True},
     "RMSprop", {"lr": 0.005, "alpha": 0.9, "centered": True}),
    ("rmsprop_centered_momentum", "rmsprop",
     {"lr": 0.002, "alpha": 0.95, "momentum": 0.5, "centered": True},
     "RMSprop", {"lr": 0.002, "alpha": 0.95, "momentum": 0.5, "centered": True}),
    ("adam", "adam", {"lr": 0.05}, "Adam", {"lr": 0.05}),
    ("adam_amsgrad", "adam", {"lr": 0.05, "beta1": 0.8, "beta2": 0.99, "amsgrad": True},
     "Adam", {"lr": 0.05, "betas": (0.8, 0.99), "amsgrad": True}),
    ("adam_small_beta1", "adam", {"lr": 0.02, "beta1": 0.3},
     "Adam", {"lr": 0.02, "betas": (0.3, 0.999)}),
]


# Non-constant schedules, in our names: (kind, parameters) and torch's scheduler for it.
SCHEDULES: list[tuple[dict[str, Any], Any]] = [
    ({"kind": "step", "step_size": 10, "gamma": 0.5}, lambda o: ls.StepLR(o, 10, 0.5)),
    ({"kind": "exponential", "gamma": 0.95}, lambda o: ls.ExponentialLR(o, 0.95)),
    ({"kind": "cosine", "t_max": 30, "eta_min": 1e-5}, lambda o: ls.CosineAnnealingLR(o, 30, 1e-5)),
    ({"kind": "warmup_cosine", "warmup": 10, "start_factor": 0.1, "t_max": 40, "eta_min": 0.0},
     None),
]

# Weight decay (coupled: g + wd·θ; AdamW decoupled) and AdamW.
CASES += [
    ("sgd_wd", "gd", {"lr": 5e-4, "weight_decay": 0.1}, "SGD", {"lr": 5e-4, "weight_decay": 0.1}),
    ("sgd_nesterov_wd", "nesterov", {"lr": 2e-4, "momentum": 0.9, "weight_decay": 0.05},
     "SGD", {"lr": 2e-4, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
    ("adagrad_wd", "adagrad", {"lr": 0.1, "weight_decay": 0.2},
     "Adagrad", {"lr": 0.1, "weight_decay": 0.2}),
    ("rmsprop_wd", "rmsprop", {"lr": 0.01, "weight_decay": 0.3},
     "RMSprop", {"lr": 0.01, "weight_decay": 0.3}),
    ("adam_wd", "adam", {"lr": 0.05, "weight_decay": 0.1},
     "Adam", {"lr": 0.05, "weight_decay": 0.1}),
    ("adamw", "adamw", {"lr": 0.05}, "AdamW", {"lr": 0.05}),
    ("adamw_amsgrad", "adamw", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True},
     "AdamW", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True}),
]
# Every optimizer but momentum (the lecture's form puts η inside m: tested against its formula)
# under every schedule, from the first start only.
SCHEDULED = ["sgd", "sgd_nesterov", "adagrad_decay", "rmsprop_centered_momentum", "adam",
             "adamw_amsgrad"]


def closed_form(schedule: dict[str, Any], make: Any, lr: float, t: int) -> float:
    """η_t of a schedule by torch's closed form (``last_epoch = t``)."""
    def closed(mk: Any, tt: int) -> float:
        o = torch.optim.SGD([torch.zeros(1)], lr=lr)
        sch = mk(o)
        sch.last_epoch = tt
        return float(sch._get_closed_form_lr()[0])

    if schedule["kind"] == "warmup_cosine":
        w, f0 = schedule["warmup"], schedule["start_factor"]
        if t < w:
            return closed(lambda o: ls.LinearLR(o, f0, 1.0, w), t)
        return closed(lambda o: ls.CosineAnnealingLR(o, schedule["t_max"], schedule["eta_min"]),
                      t - w)
    return closed(make, t)


def rosenbrock_grad(x: float, y: float) -> tuple[float, float]:
    """∇L for L = (1 − x)² + 100 (y − x²)² (same expression as the test's NumPy version)."""
    gx = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x)
    gy = 200.0 * (y - x * x)
    return gx, gy


def trajectory(cls_name: str, kwargs: dict[str, Any], start: tuple[float, float],
               schedule: tuple[dict[str, Any], Any] | None = None) -> list:
    """θ⁰ … θ^STEPS of one torch optimizer run (η_t set from ``schedule`` before each step)."""
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, cls_name)([p], foreach=False, **kwargs)
    path = [list(start)]
    for t in range(STEPS):
        if schedule is not None:
            opt.param_groups[0]["lr"] = closed_form(*schedule, kwargs["lr"], t)
        x, y = p.detach().tolist()
        p.grad = torch.tensor(rosenbrock_grad(x, y), dtype=torch.float64)
        opt.step()
        path.append(p.detach().tolist())
    return path


def main() -> None:
    torch.set_default_dtype(torch.float64)
    cases = []
    for label, name, hyper, cls_name, kwargs in CASES:
        for start in STARTS:
            cases.append({
                "label": label,
                "optimizer": name,
                "hyper": hyper,
                "torch": f"torch.optim.{cls_name}({kwargs}, foreach=False)",
                "start": list(start),
                "trajectory": trajectory(cls_name, kwargs, start),
            })
        if label in SCHEDULED:
            for sched in SCHEDULES:
                cases.append({
                    "label": f"{label}_{sched[0]['kind']}",
                    "optimizer": name,
                    "hyper": hyper,
                    "schedule": sched[0],
                    "torch": f"torch.optim.{cls_name}({kwargs}, foreach=False), lr = closed form",
                    "start": list(STARTS[0]),
                    "trajectory": trajectory(cls_name, kwargs, STARTS[0], sched),
                })
    doc = {
        "generator": "tests/data/make_torch_reference.py",
        "torch_version": torch.__version__,
        "steps": STEPS,
        "gradient": "gx = -2.0*(1.0-x) - 400.0*x*(y-x*x); gy = 200.0*(y-x*x)",
        "cases": cases,
    }
    # One case per line: small, and diffs stay readable.
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"}, ensure_ascii=False)
    body = ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases)
    OUT.write_text(f'{head[:-1]}, "cases": [\n{body}\n]}}\n', encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} trajectories)")


if __name__ == "__main__":
    main()

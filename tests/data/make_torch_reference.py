"""Write ``torch_reference.json``: torch.optim trajectories on the Rosenbrock function.

Run it with a Python that has torch (the tests themselves never need torch)::

    python -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python tests/data/make_torch_reference.py

Every case runs ``STEPS`` steps of a torch optimizer (float64, ``foreach=False``: the
single-tensor code path) from each start in ``STARTS``. The gradient of
L(x, y) = (1 − x)² + 100 (y − x²)² is computed in plain Python floats with exactly the
expression that ``tests/test_optim.py`` evaluates in NumPy, so both sides feed their optimizer
bit-identical gradients for bit-identical θ. ``hyper`` holds our (``core.optim``) names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

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


def rosenbrock_grad(x: float, y: float) -> tuple[float, float]:
    """∇L for L = (1 − x)² + 100 (y − x²)² (same expression as the test's NumPy version)."""
    gx = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x)
    gy = 200.0 * (y - x * x)
    return gx, gy


def trajectory(cls_name: str, kwargs: dict[str, Any], start: tuple[float, float]) -> list:
    """θ⁰ … θ^STEPS of one torch optimizer run."""
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, cls_name)([p], foreach=False, **kwargs)
    path = [list(start)]
    for _ in range(STEPS):
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

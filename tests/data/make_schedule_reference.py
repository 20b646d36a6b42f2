"""Write ``schedule_reference.json``: torch.optim.lr_scheduler's closed-form learning rates.

Run it with a Python that has torch (the tests themselves never need torch)::

    python -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchenv/bin/python tests/data/make_schedule_reference.py

For each case, η_t for t = 0 … T−1 is torch's ``_get_closed_form_lr()`` with ``last_epoch = t``
(a scheduler stepped once per update: update t uses η_t). ``warmup_cosine`` is torch's
SequentialLR of LinearLR(start_factor, 1, warmup) and CosineAnnealingLR(t_max, eta_min),
each in its closed form, the cosine counting from the end of the warm-up.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch.optim import lr_scheduler as ls

T = 240
OUT = Path(__file__).with_name("schedule_reference.json")


def _closed(make, lr: float, t: int) -> float:
    opt = torch.optim.SGD([torch.zeros(1, dtype=torch.float64)], lr=lr)
    sched = make(opt)
    sched.last_epoch = t
    return float(sched._get_closed_form_lr()[0])


def _warmup_cosine(lr, t, warmup, start_factor, t_max, eta_min):
    if t < warmup:
        return _closed(lambda o: ls.LinearLR(o, start_factor, 1.0, warmup), lr, t)
    return _closed(lambda o: ls.CosineAnnealingLR(o, t_max, eta_min), lr, t - warmup)


CASES = [
    ("constant", "constant", 0.1, {}, lambda lr, t: lr),
    ("step", "step", 0.3, {"step_size": 25, "gamma": 0.7},
     lambda lr, t: _closed(lambda o: ls.StepLR(o, 25, 0.7), lr, t)),
    ("step_1", "step", 0.01, {"step_size": 1, "gamma": 0.9},
     lambda lr, t: _closed(lambda o: ls.StepLR(o, 1, 0.9), lr, t)),
    ("exponential", "exponential", 0.05, {"gamma": 0.98},
     lambda lr, t: _closed(lambda o: ls.ExponentialLR(o, 0.98), lr, t)),
    ("cosine", "cosine", 0.1, {"t_max": 100, "eta_min": 0.001},
     lambda lr, t: _closed(lambda o: ls.CosineAnnealingLR(o, 100, 0.001), lr, t)),
    ("cosine_short", "cosine", 2.0, {"t_max": 7, "eta_min": 0.0},
     lambda lr, t: _closed(lambda o: ls.CosineAnnealingLR(o, 7, 0.0), lr, t)),
    ("warmup_cosine", "warmup_cosine", 0.2,
     {"warmup": 20, "start_factor": 0.1, "t_max": 150, "eta_min": 0.002},
     lambda lr, t: _warmup_cosine(lr, t, 20, 0.1, 150, 0.002)),
    ("warmup_cosine_3", "warmup_cosine", 0.03,
     {"warmup": 3, "start_factor": 0.5, "t_max": 40, "eta_min": 0.0},
     lambda lr, t: _warmup_cosine(lr, t, 3, 0.5, 40, 0.0)),
]


def main() -> None:
    cases = [{"label": label, "kind": kind, "lr": lr, "params": params,
              "lrs": [fn(lr, t) for t in range(T)]}
             for label, kind, lr, params, fn in CASES]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}) + "\n")


if __name__ == "__main__":
    main()

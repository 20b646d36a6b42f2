"""The engine's numbers do not depend on which SIMD kernels NumPy dispatches on this CPU.

NumPy picks its ufunc kernels at import from the CPU's features; with AVX-512 its ``pow`` (and
``exp``, ``log``, …) differ from C's in the last bit. The optimizers and the stepping loop use
only IEEE-exact operations (+, −, ×, ÷, √) and C ``pow`` through Python's ``**``, so a child
process with NumPy's AVX-512 kernels switched off (``NPY_DISABLE_CPU_FEATURES``) must produce the
same bits. On a CPU without AVX-512 both processes run the same kernels and the test still checks
that the numbers are reproducible across processes.

Surfaces here are polynomials: a surface *expression* that calls ``exp`` or ``log`` is evaluated
with NumPy's ufuncs, whose last bit is the CPU's (documented in the README).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISABLE = "X86_V4 AVX512_ICL AVX512_SPR"

_PROBE = r"""
import hashlib, json
import numpy as np
from dataclasses import replace
from core.basins import Ensemble
from core.optim import OPTIMIZERS, make_optimizer
from core.problem import Problem
from core.run import RunConfig, simulate
from core.surfaces import get_surface

def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
    return h.hexdigest()

out = {}
rng = np.random.default_rng(7)
starts = rng.uniform(-1.5, 1.5, (5, 2))
values = {p.name: rng.uniform(0.0, 0.95, (5, 1)) if p.name != "lr" else
          rng.uniform(1e-3, 2e-2, (5, 1))
          for name in OPTIMIZERS for p in OPTIMIZERS[name].params if p.kind == "float"}
for name, info in OPTIMIZERS.items():
    hyper = {p.name: values[p.name] for p in info.params if p.kind == "float"
             and p.name not in ("eps", "initial_accumulator_value", "lr_decay")}
    for flag in (False, True):
        flags = {p.name: flag for p in info.params if p.kind == "bool"}
        opt = make_optimizer(name, **hyper, **flags)
        theta = starts.copy()
        state = opt.init(theta)
        path = [theta]
        for _ in range(60):  # Rosenbrock's exact gradient
            x, y = theta[:, :1], theta[:, 1:]
            g = np.hstack([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])
            delta, state = opt.update(g, state, theta)
            theta = theta + delta
            path.append(theta)
        out[f"{name}-{flag}"] = digest(*path)

for surface in ("saddle", "rosenbrock", "neuron"):
    problem = Problem(get_surface(surface), examples=20, noise=0.2, seed=1)
    for name in OPTIMIZERS:
        base = RunConfig(optimizer=name, hyper=(("lr", 0.01),), start=(0.3, -0.2),
                         steps=80, batch_size=3)
        (t,) = simulate(problem, [base])
        sizes = np.array([3, 7, 20, 1])
        res = Ensemble.from_config(problem, base, starts=np.tile(base.start, (4, 1)),
                                   seeds=np.array([0, 1, 2, 3]), batch_sizes=sizes).run(80)
        out[f"{surface}-{name}"] = digest(t.theta, t.loss, t.grad, res.theta)
print(json.dumps(out))
"""


def _probe(disable: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NPY_DISABLE_CPU_FEATURES", None)
    if disable:
        env["NPY_DISABLE_CPU_FEATURES"] = disable
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_optimizers_and_runs_are_the_same_bits_with_and_without_avx512():
    full, baseline = _probe(None), _probe(DISABLE)
    assert full.keys() == baseline.keys()
    differ = sorted(k for k in full if full[k] != baseline[k])
    assert not differ, f"these depend on NumPy's SIMD dispatch: {differ}"

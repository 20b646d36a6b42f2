"""Write ``network_reference.json``: loss, gradient and Hessian-vector products by torch autograd.

Run it once with a Python that has torch (the tests themselves never need torch)::

    /tmp/torchenv/bin/python tests/data/make_network_reference.py

For a small fully connected network (layers ``LAYERS``, the layout of ``core.network``:
θ = [vec W₁, b₁, vec W₂, b₂, …], W_k of shape (fan_in, fan_out) row-major, z = a W + b), both
activations (tanh, relu) and both losses (softmax cross-entropy; mse = ½·Σₖ(oₖ − onehotₖ)²
averaged over the examples), at ``POINTS`` random points θ with a random direction v, it stores
L(θ), g = ∇L(θ) and H v = ∇(g·v) computed by torch autograd in float64. The inputs x, labels y,
θ and v are generated here (NumPy, seeded) and stored too, so the test feeds the very same
numbers to the NumPy network.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import torch

LAYERS = [6, 5, 4, 3]
EXAMPLES = 9
POINTS = 2
OUT = Path(__file__).with_name("network_reference.json")


def forward(theta: torch.Tensor, x: torch.Tensor, activation: str) -> torch.Tensor:
    """o: the network's outputs (no activation on the last layer)."""
    at = 0
    a = x
    pairs = list(itertools.pairwise(LAYERS))
    for k, (fan_in, fan_out) in enumerate(pairs):
        w = theta[at:at + fan_in * fan_out].reshape(fan_in, fan_out)
        at += fan_in * fan_out
        b = theta[at:at + fan_out]
        at += fan_out
        a = a @ w + b
        if k < len(pairs) - 1:
            a = torch.tanh(a) if activation == "tanh" else torch.relu(a)
    return a


def loss_fn(o: torch.Tensor, y: torch.Tensor, loss: str) -> torch.Tensor:
    """Mean loss over the examples."""
    if loss == "cross_entropy":
        return torch.nn.functional.cross_entropy(o, y)
    onehot = torch.nn.functional.one_hot(y, o.shape[1]).to(o.dtype)
    return 0.5 * ((o - onehot) ** 2).sum(dim=1).mean()


def main() -> None:
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(2026)
    n_params = sum((a + 1) * b for a, b in itertools.pairwise(LAYERS))
    x = rng.uniform(0.0, 1.0, (EXAMPLES, LAYERS[0]))
    y = rng.integers(0, LAYERS[-1], EXAMPLES)
    cases = []
    for activation in ("tanh", "relu"):
        for loss in ("cross_entropy", "mse"):
            for point in range(POINTS):
                theta = rng.normal(0.0, 0.7, n_params)
                v = rng.normal(0.0, 1.0, n_params)
                th = torch.tensor(theta, requires_grad=True)
                value = loss_fn(forward(th, torch.tensor(x), activation), torch.tensor(y), loss)
                (g,) = torch.autograd.grad(value, th, create_graph=True)
                (hv,) = torch.autograd.grad(g @ torch.tensor(v), th)
                cases.append({"activation": activation, "loss": loss, "point": point,
                              "theta": theta.tolist(), "v": v.tolist(),
                              "value": float(value.detach()), "grad": g.detach().tolist(),
                              "hvp": hv.tolist()})
    doc = {"generator": "tests/data/make_network_reference.py", "torch_version": torch.__version__,
           "layers": LAYERS, "x": x.tolist(), "y": y.tolist(), "cases": cases}
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"})
    body = ",\n".join(json.dumps(c) for c in cases)
    OUT.write_text(f'{head[:-1]}, "cases": [\n{body}\n]}}\n', encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()

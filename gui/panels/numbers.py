"""Numbers written in fixed widths with true minus signs (the step inspector and the lesson
panels: one module both use, so neither imports the other for them)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["fmt_number", "fmt_vector"]


def fmt_number(v: float, width: int = 9) -> str:
    """A number in a fixed width: ``  0.01234``, ``−1.5e−07`` (true minus signs)."""
    if not math.isfinite(v):
        s = "∞" if v > 0 else ("−∞" if v < 0 else "NaN")
    elif v == 0 or 1e-3 <= abs(v) < 1e5:
        s = f"{v:.4f}" if abs(v) < 10 else f"{v:.5g}"
    else:
        s = f"{v:.2e}"
    return s.replace("-", "−").rjust(width)


def fmt_vector(v: np.ndarray) -> str:
    """``( 0.0120,  0.3040)`` with both components aligned (a scalar: the number alone)."""
    a = np.asarray(v, dtype=float).reshape(-1)
    if a.size == 1:
        return fmt_number(float(a[0]))
    return "(" + ", ".join(fmt_number(float(x)) for x in a) + ")"

"""Display transforms shared by the views (no optimisation maths here).

``LossScale`` maps loss values to a display coordinate ``h`` (linear, or logarithmic when the
loss spans decades) with a robust upper clip, so that colour maps, contour levels and 3D heights
stay readable on surfaces such as Rosenbrock (0 … 2500 on the usual window).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: A loss "spans decades" when its 99th percentile above the minimum is this many times larger
#: than its 10th percentile above the minimum (Rosenbrock: ~240, Beale: ~10⁴, x²+10y²: ~55).
DECADES_RATIO = 100.0
#: Linear scale: ``L − Lmin`` above ``CLIP_FACTOR`` × its 75th percentile is clipped (never below
#: the 90th percentile): Rosenbrock's corners (2500 where most of the window is < 500) are cut,
#: a bowl is not.
CLIP_FACTOR = 4.0
#: Log scale: only values above ``LOG_CLIP_FACTOR`` × the 90th percentile are clipped (poles).
LOG_CLIP_FACTOR = 1000.0
#: Log scale: the offset is at least this fraction of the clipped range (12 decades).
MIN_OFFSET_FRACTION = 1e-12


#: Display transforms clip losses to ±this: differences and ratios of any two stay finite
#: (a surface from −1e308 to 1e308 overflowed ``L − Lmin`` and ``p99 / p10`` to inf).
VALUE_LIMIT = 1e150


def finite_values(z: np.ndarray) -> np.ndarray:
    """The finite entries of ``z`` as a flat float64 array, clipped to ±:data:`VALUE_LIMIT`."""
    a = np.asarray(z, dtype=np.float64).ravel()
    return np.clip(a[np.isfinite(a)], -VALUE_LIMIT, VALUE_LIMIT)


def spans_decades(z: np.ndarray) -> bool:
    """Whether the finite values of ``z`` above their minimum spread over two decades or more."""
    v = finite_values(z)
    if v.size < 4:
        return False
    d = v - v.min()
    p10, p99 = np.percentile(d, [10.0, 99.0])
    if p99 <= 0.0:
        return False
    if p10 <= 0.0:
        # at least 10 % of the samples sit at the minimum: use the smallest positive value
        pos = d[d > 0.0]
        p10 = float(pos.min()) if pos.size else 0.0
        if p10 <= 0.0:
            return False
    with np.errstate(over="ignore"):  # e.g. 1e150 / 1e-300: inf, i.e. decades
        return bool(p99 / p10 > DECADES_RATIO)


@dataclass(frozen=True)
class LossScale:
    """Monotonic display transform ``h(L)`` of a loss, with ``0 ≤ h ≤ h_cap``.

    Linear: ``h = L − Lmin``. Logarithmic: ``h = log10(1 + (L − Lmin) / offset)``.
    ``L − Lmin`` above ``d_cap`` (``CLIP_FACTOR``, ``LOG_CLIP_FACTOR``) is clipped: ``h ≤ h_cap``;
    non-finite values map to ``h_cap`` (:meth:`height`) or NaN (:meth:`unit`).
    """

    zmin: float
    d_cap: float
    log: bool
    offset: float
    clipped: bool = False

    @classmethod
    def from_values(
        cls, z: np.ndarray, log_scale: bool | None = None, offset: float | None = None
    ) -> LossScale:
        """Build the scale of surface values ``z`` (any shape, NaN/inf ignored).

        Args:
            z: loss values of the surface grid.
            log_scale: force linear (False) / logarithmic (True); None decides automatically.
            offset: log offset (in loss units); default ``1e-4`` of the clipped range.
        """
        v = finite_values(z)
        if v.size == 0:
            return cls(0.0, 1.0, False, 1.0)
        zmin = float(v.min())
        d = v - zmin
        d_max = float(d.max())
        p75, p90 = (float(q) for q in np.percentile(d, [75.0, 90.0]))
        log = spans_decades(v) if log_scale is None else bool(log_scale)
        if log:
            d_cap = min(d_max, LOG_CLIP_FACTOR * p90)
        else:
            d_cap = min(d_max, max(CLIP_FACTOR * p75, p90))
        if not d_cap > 0.0:
            d_cap = d_max if d_max > 0.0 else 1.0
        clipped = bool(d_max > d_cap)
        if offset is None or not offset > 0.0:
            offset = d_cap * 1e-4
        # at most 12 decades between the offset and the clip: d / offset stays finite (a p10
        # of 1e-300 under a clip of 1e150 overflowed; found by the monkey test)
        offset = max(float(offset), d_cap * MIN_OFFSET_FRACTION)
        return cls(zmin, d_cap, log, offset, clipped)

    @property
    def h_cap(self) -> float:
        """Largest display value (the clip)."""
        return float(self._h(np.float64(self.d_cap)))

    def _h(self, d: np.ndarray) -> np.ndarray:
        if self.log:
            return np.log10(1.0 + d / self.offset)
        return d

    def height(self, z: np.ndarray | float) -> np.ndarray:
        """``h(z)`` clipped to ``[0, h_cap]``; non-finite values give ``h_cap``."""
        a = np.asarray(z, dtype=np.float64)
        d = np.where(np.isfinite(a), a - self.zmin, self.d_cap)
        d = np.clip(d, 0.0, self.d_cap)
        return self._h(d)

    def unit(self, z: np.ndarray | float) -> np.ndarray:
        """``h(z) / h_cap`` in ``[0, 1]``; non-finite values give NaN."""
        a = np.asarray(z, dtype=np.float64)
        u = self.height(a) / self.h_cap
        return np.where(np.isfinite(a), u, np.nan)

    def inverse(self, h: np.ndarray | float) -> np.ndarray:
        """Loss value whose display value is ``h``."""
        h = np.asarray(h, dtype=np.float64)
        d = self.offset * (10.0**h - 1.0) if self.log else h
        return self.zmin + d

    def levels(self, n: int) -> np.ndarray:
        """``n`` contour levels (loss values) evenly spaced in display space, extremes excluded."""
        h = np.linspace(0.0, self.h_cap, n + 2)[1:-1]
        return self.inverse(h)


#: Axis ranges handed to pyqtgraph stay within ±this (its padding and tick arithmetic then
#: never overflow to inf/NaN: "Not setting range to [nan, nan]").
RANGE_LIMIT = 1e300
#: The smallest span of an axis range: relative to the values' magnitude (float64 resolves
#: ~1e-16 of it) and absolute (subnormal spans such as 1e-320 made pyqtgraph's tick and SI
#: prefix arithmetic on log10 of the span degenerate).
MIN_RELATIVE_SPAN = 1e-9
MIN_ABSOLUTE_SPAN = 1e-150


def safe_range(lo: float, hi: float) -> tuple[float, float]:
    """A range pyqtgraph can always show: finite, within ±:data:`RANGE_LIMIT`, ordered and at
    least :data:`MIN_RELATIVE_SPAN` × magnitude (and :data:`MIN_ABSOLUTE_SPAN`) wide, centred
    on the data. Non-finite ends are replaced by the other end (or 0 … 1 when both are)."""
    lo_ok, hi_ok = math.isfinite(lo), math.isfinite(hi)
    if not lo_ok and not hi_ok:
        return 0.0, 1.0
    if not lo_ok:
        lo = hi
    if not hi_ok:
        hi = lo
    lo, hi = sorted((min(max(float(lo), -RANGE_LIMIT), RANGE_LIMIT),
                     min(max(float(hi), -RANGE_LIMIT), RANGE_LIMIT)))
    magnitude = max(abs(lo), abs(hi))
    min_span = max(MIN_RELATIVE_SPAN * magnitude, MIN_ABSOLUTE_SPAN)
    if hi - lo < min_span:
        mid = lo / 2 + hi / 2
        mid = min(max(mid, -RANGE_LIMIT + min_span), RANGE_LIMIT - min_span)
        lo, hi = mid - min_span / 2, mid + min_span / 2
    return lo, hi


def nice_step(span: float, target: int = 5) -> float:
    """A 1–2–5 step giving about ``target`` intervals over ``span``."""
    if not span > 0.0 or not math.isfinite(span):
        return 1.0
    raw = span / max(target, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * mag * 1.0001:
            return m * mag
    return 10.0 * mag


def nice_ticks(lo: float, hi: float, target: int = 5) -> np.ndarray:
    """Round tick values inside ``[lo, hi]``."""
    step = nice_step(hi - lo, target)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = np.arange(first, hi + step * 1e-6, step)
    ticks[np.abs(ticks) < step * 1e-9] = 0.0
    return ticks


def format_value(v: float, digits: int = 3) -> str:
    """Compact number: ``0.5``, ``12``, ``2.5e+03`` (minus sign as U+2212)."""
    if not math.isfinite(v):
        return "∞" if v > 0 else ("−∞" if v < 0 else "NaN")
    a = abs(v)
    s = f"{v:.{digits}g}" if a == 0 or 1e-3 <= a < 1e4 else f"{v:.{max(digits - 1, 1)}e}"
    if "e" in s:
        mant, exp = s.split("e")
        s = f"{mant}e{int(exp)}"
    return s.replace("-", "−")


def comparable_ranges(xspan: float, yspan: float, ratio: float = 3.0) -> bool:
    """Whether two axis spans are close enough (within ``ratio``) to lock the aspect 1:1."""
    if not (xspan > 0.0 and yspan > 0.0):
        return False
    r = xspan / yspan
    return 1.0 / ratio <= r <= ratio

"""Built-in loss surfaces.

Every surface is a mean over N examples, L(θ) = (1/N) Σᵢ ℓᵢ(θ) (see :mod:`core.problem`). A
surface here is the *recipe* for ℓᵢ:

* an **analytic** surface f(x, y) gives ℓᵢ(θ) = f(θ − δᵢ), with per-example offsets δᵢ;
* a **data** surface gives ℓᵢ(θ) = ℓ(θ; uᵢ, vᵢ) over generated examples (uᵢ, vᵢ), e.g. the
  squared error of linear regression ŷ = θ₁·u + θ₂ or of one neuron ŷ = θ₂·tanh(θ₁·u).

Both are written as expressions in the engine's own safe grammar (:mod:`core.expr`), so the
gradient and the Hessian are exact symbolic derivatives, never finite differences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Range = tuple[tuple[float, float], tuple[float, float]]

#: Names of the data columns a per-example loss may use (never typed by users).
DATA_VARS = ("u", "v")


@dataclass(frozen=True)
class KnownPoint:
    """A critical point of the noise-free surface: θ, its kind and (where known) its loss."""

    theta: tuple[float, float]
    kind: str  # "minimum" | "saddle" | "maximum"
    value: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Surface:
    """The recipe of a loss surface.

    ``expression`` is f(x, y) for an analytic surface (ℓᵢ(θ) = f(θ − δᵢ)); for a data surface
    it is the per-example loss in x, y (θ₁, θ₂) and the data columns u, v, and ``make_data``
    draws the N examples.
    """

    name: str
    title: str
    description: str
    expression: str
    range: Range
    points: tuple[KnownPoint, ...] = ()
    kind: str = "analytic"  # "analytic" | "data" | "custom"
    make_data: Callable[[int, float, np.random.Generator], np.ndarray] | None = field(
        default=None, compare=False, repr=False
    )
    #: Critical points that depend on the drawn examples (u, v columns), e.g. least squares.
    data_points: Callable[[np.ndarray], list[KnownPoint]] | None = field(
        default=None, compare=False, repr=False
    )
    noise_help: str = "spread σ of the per-example offsets δᵢ ~ Normal(0, σ²)"
    default_start: tuple[float, float] = (0.0, 0.0)
    params: tuple[tuple[str, float], ...] = ()

    @property
    def is_data(self) -> bool:
        return self.kind == "data"

    @property
    def minima(self) -> tuple[KnownPoint, ...]:
        return tuple(p for p in self.points if p.kind == "minimum")

    @property
    def saddles(self) -> tuple[KnownPoint, ...]:
        return tuple(p for p in self.points if p.kind == "saddle")


def _quadratic(condition: float = 10.0) -> Surface:
    c = float(condition)
    return Surface(
        name="quadratic",
        title=f"Ill-conditioned bowl (κ = {c:g})",
        description=(
            f"L = (x² + κ·y²)/2 with condition number κ = {c:g}: GD zig-zags across the narrow "
            "valley, momentum damps the zig-zag."
        ),
        expression=f"0.5*(x**2 + {c!r}*y**2)",
        range=((-3.0, 3.0), (-3.0, 3.0)),
        points=(KnownPoint((0.0, 0.0), "minimum", 0.0),),
        default_start=(-2.5, 1.5),
        params=(("condition", c),),
    )


def _linreg_data(n: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    u = rng.uniform(-2.0, 2.0, n)
    v = 1.5 * u - 0.5 + noise * rng.standard_normal(n)
    return np.column_stack([u, v])


def _linreg_minimum(data: np.ndarray) -> list[KnownPoint]:
    """The least-squares fit (θ₁, θ₂) of v ≈ θ₁·u + θ₂: the bowl's one minimum."""
    a = np.column_stack([data[:, 0], np.ones(len(data))])
    w, *_ = np.linalg.lstsq(a, data[:, 1], rcond=None)
    return [KnownPoint((float(w[0]), float(w[1])), "minimum")]


def _neuron_data(n: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    u = rng.uniform(-2.0, 2.0, n)
    v = 1.5 * np.tanh(1.0 * u) + noise * rng.standard_normal(n)
    return np.column_stack([u, v])


_BUILTINS: tuple[Surface, ...] = (
    Surface(
        name="saddle",
        title="Bounded saddle",
        description=(
            "A saddle point at the origin with a minimum on either side: full-batch GD started "
            "on the ridge stalls at the saddle (g = 0); noisy mini-batch steps fall off it."
        ),
        expression="0.5*x**2 + 0.25*y**4 - 0.5*y**2",
        range=((-2.0, 2.0), (-1.6, 1.6)),
        points=(
            KnownPoint((0.0, 0.0), "saddle", 0.0),
            KnownPoint((0.0, 1.0), "minimum", -0.25),
            KnownPoint((0.0, -1.0), "minimum", -0.25),
        ),
        default_start=(1.8, 0.0),
    ),
    _quadratic(),
    Surface(
        name="monkey",
        title="Monkey saddle",
        description=(
            "L = x³ − 3xy²: a degenerate saddle (Hessian 0) with three valleys; unbounded below, "
            "so runs that leave the plot diverge."
        ),
        expression="x**3 - 3*x*y**2",
        range=((-1.5, 1.5), (-1.5, 1.5)),
        points=(KnownPoint((0.0, 0.0), "saddle", 0.0, "degenerate"),),
        default_start=(0.9, 0.05),
    ),
    Surface(
        name="plateau",
        title="Plateau around a well",
        description=(
            "L = 1 − exp(−(x² + y²)/2): far from the well the loss is flat (g ≈ 0) and GD crawls;"
            " momentum keeps the movement of earlier steps."
        ),
        expression="1 - exp(-(x**2 + y**2)/2)",
        range=((-4.0, 4.0), (-4.0, 4.0)),
        points=(KnownPoint((0.0, 0.0), "minimum", 0.0),),
        default_start=(3.2, 2.2),
    ),
    Surface(
        name="rosenbrock",
        title="Rosenbrock",
        description="L = (1 − x)² + 100(y − x²)²: a curved narrow valley; minimum 0 at (1, 1).",
        expression="(1 - x)**2 + 100*(y - x**2)**2",
        range=((-2.0, 2.0), (-1.0, 3.0)),
        points=(KnownPoint((1.0, 1.0), "minimum", 0.0),),
        default_start=(-1.5, 2.0),
    ),
    Surface(
        name="himmelblau",
        title="Himmelblau",
        description="(x² + y − 11)² + (x + y² − 7)²: four minima of equal loss 0.",
        expression="(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
        range=((-5.0, 5.0), (-5.0, 5.0)),
        points=(
            KnownPoint((3.0, 2.0), "minimum", 0.0),
            KnownPoint((-2.805118086952745, 3.131312518250573), "minimum", 0.0),
            KnownPoint((-3.779310253377747, -3.283185991286170), "minimum", 0.0),
            KnownPoint((3.584428340330492, -1.848126526964404), "minimum", 0.0),
            KnownPoint((-0.270844590667, -0.923038556480), "maximum", 181.61652152),
            KnownPoint((3.385154, 0.073852), "saddle"),
            KnownPoint((-0.127961, -1.953715), "saddle"),
            KnownPoint((-3.073026, -0.081353), "saddle"),
            KnownPoint((0.086678, 2.884255), "saddle"),
        ),
        default_start=(0.0, 0.0),
    ),
    Surface(
        name="beale",
        title="Beale",
        description=(
            "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: flat ridges and steep "
            "walls spanning decades; minimum 0 at (3, 0.5)."
        ),
        expression="(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2",
        range=((-4.5, 4.5), (-4.5, 4.5)),
        points=(KnownPoint((3.0, 0.5), "minimum", 0.0),),
        default_start=(-1.0, 1.5),
    ),
    Surface(
        name="rastrigin",
        title="Rastrigin",
        description=(
            "20 + x² − 10cos(2πx) + y² − 10cos(2πy): a bowl covered in local minima; global "
            "minimum 0 at the origin."
        ),
        expression="20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)",
        range=((-5.12, 5.12), (-5.12, 5.12)),
        points=(KnownPoint((0.0, 0.0), "minimum", 0.0),),
        default_start=(3.1, -2.2),
    ),
    Surface(
        name="camel",
        title="Six-hump camel",
        description=(
            "(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²: six minima, the two global ones "
            "−1.0316 at (±0.0898, ∓0.7126)."
        ),
        expression="(4 - 2.1*x**2 + x**4/3)*x**2 + x*y + (-4 + 4*y**2)*y**2",
        range=((-2.0, 2.0), (-1.1, 1.1)),
        points=(
            KnownPoint((0.08984201368301331, -0.7126564032704135), "minimum", -1.031628453489877),
            KnownPoint((-0.08984201368301331, 0.7126564032704135), "minimum", -1.031628453489877),
            KnownPoint((-1.703606715, 0.7960835682), "minimum", -0.2154638244),
            KnownPoint((1.703606715, -0.7960835682), "minimum", -0.2154638244),
            KnownPoint((-1.607104753, -0.5686514994), "minimum", 2.104250310),
            KnownPoint((1.607104753, 0.5686514994), "minimum", 2.104250310),
        ),
        default_start=(-1.6, 0.9),
    ),
    Surface(
        name="double_well",
        title="Tilted double well",
        description=(
            "L = (x² − 1)² + 0.5x + y²/2: a shallow local minimum near x = +0.93 next to the "
            "global one near x = −1.06; GD stops in the first, momentum can roll over the hill."
        ),
        expression="(x**2 - 1)**2 + 0.5*x + 0.5*y**2",
        range=((-2.0, 2.2), (-1.5, 1.5)),
        points=(
            KnownPoint((-1.057453770738378, 0.0), "minimum", -0.5147536412757056),
            KnownPoint((0.9304029265558517, 0.0), "minimum", 0.4832514917147508),
            KnownPoint((0.1270508441825262, 0.0), "saddle", 1.0315021495609549),
        ),
        default_start=(2.0, 0.8),
    ),
    Surface(
        name="sharp_flat",
        title="Sharp and flat minima",
        description=(
            "A narrow deep canyon (sharp minimum) and a wide shallow basin (flat minimum): "
            "shifting the loss a little (the testing loss) lifts the canyon's minimum a lot."
        ),
        expression=(
            "1 - exp(-((x + 1.2)**2 + (y + 0.4)**2)/1.6)"
            " - 1.1*exp(-((x - 1.3)**2/0.03 + (y - 0.7)**2/0.5))"
        ),
        range=((-3.0, 3.0), (-2.5, 2.5)),
        points=(
            KnownPoint((-1.2, -0.4), "minimum", 0.0),
            KnownPoint((1.2995955138728381, 0.6970412681343726), "minimum", -0.1094680014092475),
        ),
        default_start=(0.2, 2.0),
    ),
    Surface(
        name="canyon_basin",
        title="A canyon in the wall of a basin",
        description=(
            "A wide shallow basin (flat minimum at (−1, 0), λ_max ≈ 1) with a narrow deep "
            "canyon in its wall (sharp minimum near (0.49, 0.50), λ_max ≈ 67, lower loss): "
            "with one η, the full batch stays in the canyon while single-example steps are "
            "kicked out of it into the basin."
        ),
        expression=(
            "1 - exp(-((x + 1)**2 + y**2)/2)"
            " - 1.5*exp(-((x - 0.5)**2 + (y - 0.5)**2)/0.045)"
        ),
        range=((-3.0, 2.0), (-2.0, 2.0)),
        points=(
            KnownPoint((0.4935050889134258, 0.4978350296378086), "minimum",
                       -0.7880546759554519),
            KnownPoint((-1.0, 0.0), "minimum", 0.0),
            KnownPoint((0.10518110127273174, 0.3683937004242439), "saddle", 0.4607042784254394),
        ),
        default_start=(0.7, 0.7),
    ),
    Surface(
        name="linreg",
        title="Linear regression",
        description=(
            "Squared error of ŷ = θ₁·u + θ₂ over N generated examples (u, v): a convex bowl "
            "whose minimum is the least-squares fit."
        ),
        expression="(x*u + y - v)**2",
        range=((-1.0, 4.0), (-3.0, 2.0)),
        kind="data",
        make_data=_linreg_data,
        data_points=_linreg_minimum,
        noise_help="standard deviation of the label noise in v = 1.5u − 0.5 + noise",
        default_start=(3.5, 1.5),
    ),
    Surface(
        name="neuron",
        title="One-neuron network",
        description=(
            "Squared error of ŷ = θ₂·tanh(θ₁·u): a saddle at the origin between two symmetric "
            "minima — training a tiny network gets stuck near θ = 0."
        ),
        expression="(y*tanh(x*u) - v)**2",
        range=((-2.5, 2.5), (-2.5, 2.5)),
        points=(
            KnownPoint((0.0, 0.0), "saddle"),
            KnownPoint((1.0, 1.5), "minimum", note="exact without label noise"),
            KnownPoint((-1.0, -1.5), "minimum", note="exact without label noise"),
        ),
        kind="data",
        make_data=_neuron_data,
        noise_help="standard deviation of the label noise in v = 1.5·tanh(u) + noise",
        default_start=(0.05, 0.02),
    ),
)

BUILTINS: dict[str, Surface] = {s.name: s for s in _BUILTINS}


def get_surface(name: str, **params: float) -> Surface:
    """The built-in surface ``name`` (``params``: e.g. ``condition`` for ``quadratic``)."""
    if name == "quadratic":
        unknown = set(params) - {"condition"}
        if unknown:
            raise ValueError(f"surface 'quadratic' has no parameter {sorted(unknown)[0]!r}")
        cond = float(params.get("condition", 10.0))
        if not 1.0 <= cond <= 1e6:
            raise ValueError(f"surface.condition must be in [1, 1e6] (got {cond:g})")
        return _quadratic(cond)
    try:
        surface = BUILTINS[name]
    except KeyError:
        raise ValueError(
            f"unknown surface {name!r} (built-ins: {', '.join(BUILTINS)})"
        ) from None
    if params:
        raise ValueError(f"surface {name!r} has no parameter {sorted(params)[0]!r}")
    return surface


def custom_surface(expression: str, range_: Range | None = None) -> Surface:
    """A user's expression f(x, y) as an analytic surface (parsed later, in the problem)."""
    return Surface(
        name="custom",
        title="Custom expression",
        description=f"L = {expression}",
        expression=expression,
        range=range_ or ((-3.0, 3.0), (-3.0, 3.0)),
        kind="custom",
        default_start=(1.0, 1.0),
    )

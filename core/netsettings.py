"""Settings of a real-network comparison, as a lesson's ``[network]`` table or the window's form.

:class:`NetworkSettings` holds what ``python main.py network`` takes as options (hidden sizes,
activation σ, loss ℓ, optimizer, η, momentum λ, batch sizes B, seeds, the stop rule) plus the
plane of the path view. :func:`from_table` validates a TOML table with one-line messages;
:meth:`NetworkSettings.to_args` gives the namespace :func:`core.netcli.compare` reads.
Nothing heavy is imported here (no SciPy, no scikit-learn): scenarios load it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from types import SimpleNamespace
from typing import Any

from core.optim import OPTIMIZERS
from core.texts import Text, TextError, template, text

__all__ = ["PLANES", "RUN_SETS", "STOPS", "TABS", "NetworkSettings", "batch_text", "from_table",
           "run_text", "to_table"]

#: The stop rules: until the training loss ≤ a target, a number of epochs, of updates.
STOPS = ("until_loss", "epochs", "updates")
#: The planes a person can pick: key → what it is.
PLANES = {"pca": "PCA of the run's path, through its end point",
          "endpoints": "through θ⁰ and the smallest and largest B's end points"}
#: Which runs are drawn on the plane: key → what it is.
RUN_SETS = {"seed": "every B of the run's seed", "all": "every run (all B × seeds)"}
#: The network window's tabs a lesson can open on.
TABS = ("results", "line", "sharpness", "plane")
_ACTIVATIONS = ("tanh", "relu")
_LOSSES = ("cross_entropy", "mse")


@dataclass(frozen=True)
class NetworkSettings:
    """One comparison: the network d₀ → hidden → 10, how it is trained and when it stops.

    ``stop`` picks the rule and ``stop_value`` its number (training-loss target, epochs or
    updates); ``max_epochs`` caps an until-loss run; ``same_updates``: every larger B makes
    the updates the smallest B made (Hoffer et al. 2017); ``sharpness_every`` = K records
    λ_max(∇²L(θᵗ)) every K updates; ``path_every`` = K keeps θᵗ every K updates for the plane;
    ``tab``: the window's tab shown when a lesson opens it.
    """

    hidden: str = "32"
    activation: str = "tanh"
    loss: str = "cross_entropy"
    optimizer: str = "momentum"
    lr: float = 0.1
    momentum: float | None = 0.9
    batch_sizes: str = "16,full"
    seeds: int = 3
    stop: str = "until_loss"
    stop_value: float = 0.02
    max_epochs: int = 2000
    same_updates: bool = False
    sharpness_every: int | None = None
    path_every: int = 10
    plane: str = "pca"
    split_seed: int = 0
    tab: str = "results"

    def __post_init__(self) -> None:
        _check(self)

    def to_args(self) -> SimpleNamespace:
        """The option namespace of :func:`core.netcli.compare`."""
        return SimpleNamespace(
            hidden=self.hidden, activation=self.activation, loss=self.loss,
            optimizer=self.optimizer, lr=float(self.lr),
            momentum=self.momentum if _has_momentum(self.optimizer) else None,
            batch_sizes=self.batch_sizes, seeds=int(self.seeds), split_seed=self.split_seed,
            until_loss=float(self.stop_value) if self.stop == "until_loss" else None,
            max_epochs=int(self.max_epochs) if self.stop == "until_loss" else None,
            epochs=int(self.stop_value) if self.stop == "epochs" else None,
            updates=int(self.stop_value) if self.stop == "updates" else None,
            same_updates=bool(self.same_updates), sharpness_every=self.sharpness_every,
            save=None, json=None)

    def describe(self) -> str:
        """:meth:`description` in English."""
        return str(self.description())

    def description(self) -> Text:
        """One line: network, optimizer, η, λ, batch sizes, seeds and the stop rule."""
        opt = f"{self.optimizer}, η = {self.lr:g}"
        if _has_momentum(self.optimizer) and self.momentum is not None:
            opt += f", λ = {self.momentum:g}"
        value = f"{self.stop_value:g}"
        stop = {"until_loss": text(_T_UNTIL, loss=value, epochs=str(self.max_epochs)),
                "epochs": text(_T_EPOCHS, n=value),
                "updates": text(_T_UPDATES, n=value)}[self.stop]
        return text(_T_DESCRIPTION, layers=f"64 → {self.hidden.replace(',', ' → ')} → 10",
                    activation=self.activation, loss=self.loss, opt=opt,
                    sizes=self.batch_sizes, seeds=text(_T_SEEDS if self.seeds != 1 else _T_SEED,
                                                       n=str(self.seeds)),
                    stop=stop, same=text(_T_SAME) if self.same_updates else "")


def _has_momentum(optimizer: str) -> bool:
    info = OPTIMIZERS.get(optimizer)
    return info is not None and any(p.name == "momentum" for p in info.params)


_T_FULL_BATCH = template("full batch")
_T_RUN = template("{size}, seed {seed}")


def batch_text(b: int, n_train: int) -> Text:
    """``"full batch"`` for B = N, else ``"B = b"`` (:class:`core.texts.Text`)."""
    return text(_T_FULL_BATCH) if b == n_train else text("B = {b}", b=str(b))


def run_text(b: int, seed: int, n_train: int) -> Text:
    """``"B = 16, seed 0"``: a run of a comparison (:class:`core.texts.Text`)."""
    return text(_T_RUN, size=batch_text(b, n_train), seed=str(seed))


_T_DESCRIPTION = template("{layers} ({activation}, loss {loss}), {opt}; B ∈ {{{sizes}}}, "
                          "{seeds}; trained {stop}{same}")
_T_SEED = template("{n} seed")
_T_SEEDS = template("{n} seeds")
_T_UNTIL = template("until the training loss ≤ {loss} (at most {epochs} epochs)")
_T_EPOCHS = template("for {n} epochs")
_T_UPDATES = template("for {n} updates")
_T_SAME = template("; every larger B then makes as many updates as the smallest B made")
_E_HIDDEN = template("give sizes in 1..4096 such as 32 or 64,32 (got {got})")
_E_LR = template("the learning rate η must be > 0 (got {got})")
_E_SIZES = template("give a list such as 16,128,full")


def _check(s: NetworkSettings) -> None:
    """Raise ValueError (one line, naming the field) for a setting out of range."""
    parts = [p.strip() for p in str(s.hidden).split(",")]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= 4096 for p in parts):
        raise TextError(text("network.hidden: {message}", message=text(
            _E_HIDDEN, got=repr(s.hidden))))
    if s.activation not in _ACTIVATIONS:
        raise ValueError(f"network.activation: one of {', '.join(_ACTIVATIONS)} "
                         f"(got {s.activation!r})")
    if s.loss not in _LOSSES:
        raise ValueError(f"network.loss: one of {', '.join(_LOSSES)} (got {s.loss!r})")
    if s.optimizer not in OPTIMIZERS:
        raise ValueError(f"network.optimizer: one of {', '.join(OPTIMIZERS)} "
                         f"(got {s.optimizer!r})")
    if not (isinstance(s.lr, int | float) and math.isfinite(s.lr) and s.lr > 0):
        raise TextError(text("network.lr: {message}", message=text(_E_LR, got=repr(s.lr))))
    if s.momentum is not None and not (isinstance(s.momentum, int | float)
                                       and 0.0 <= s.momentum < 1.0):
        raise ValueError(f"network.momentum: λ must be in [0, 1) (got {s.momentum!r})")
    if not str(s.batch_sizes).strip():
        raise TextError(text("network.batch_sizes: {message}", message=text(_E_SIZES)))
    if not (isinstance(s.seeds, int) and 1 <= s.seeds <= 1000):
        raise ValueError(f"network.seeds: must be in 1..1000 (got {s.seeds!r})")
    if s.stop not in STOPS:
        raise ValueError(f"network.stop: one of {', '.join(STOPS)} (got {s.stop!r})")
    if not (isinstance(s.stop_value, int | float) and math.isfinite(s.stop_value)
            and s.stop_value > 0):
        raise ValueError(f"network.stop_value: must be > 0 (got {s.stop_value!r})")
    if s.stop != "until_loss" and float(s.stop_value) != int(s.stop_value):
        raise ValueError(f"network.stop_value: {s.stop} must be a whole number "
                         f"(got {s.stop_value!r})")
    for name in ("max_epochs", "path_every"):
        v = getattr(s, name)
        if not (isinstance(v, int) and v >= 1):
            raise ValueError(f"network.{name}: must be a whole number ≥ 1 (got {v!r})")
    if s.sharpness_every is not None and not (isinstance(s.sharpness_every, int)
                                              and s.sharpness_every >= 1):
        raise ValueError(f"network.sharpness_every: must be ≥ 1 (got {s.sharpness_every!r})")
    if s.plane not in PLANES:
        raise ValueError(f"network.plane: one of {', '.join(PLANES)} (got {s.plane!r})")
    if s.tab not in TABS:
        raise ValueError(f"network.tab: one of {', '.join(TABS)} (got {s.tab!r})")
    if not isinstance(s.same_updates, bool):
        raise ValueError(f"network.same_updates: true or false (got {s.same_updates!r})")


def from_table(table: dict[str, Any]) -> NetworkSettings:
    """A lesson's ``[network]`` table validated into settings (ValueError: one line)."""
    if not isinstance(table, dict):
        raise ValueError("network: must be a table ([network])")
    known = {f.name for f in fields(NetworkSettings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"network: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    return NetworkSettings(**{str(k): v for k, v in table.items()})


def to_table(settings: NetworkSettings) -> dict[str, Any]:
    """The ``[network]`` table of settings (None values left out); from_table inverts it."""
    return {k: v for k, v in asdict(settings).items() if v is not None}

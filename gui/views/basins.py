"""Basins of attraction on the contour map: where the selected run would end from every start.

:class:`BasinOverlay` runs the selected run's settings (optimizer, η, λ, batch size, shuffle
seed, number of updates) from every start θ⁰ of a grid (:func:`core.basins.basin_map`) off the
GUI thread, with progress and Cancel, and paints the answer on a
:class:`~gui.views.ContourView` as one semi-transparent image behind the paths:

* ``"basins"`` — one muted colour per minimum of L (the minimum the run from that start ends
  in), grey where it ends near none, dark grey where it diverges;
* ``"loss"`` — the final loss L(θᵀ) of the run from every start;
* compare — the same grid run a second time with GD ↔ momentum swapped (or λ = 0 for the
  selected momentum run, :func:`comparison_config`); only the starts whose run ends in a
  different minimum are coloured, by where the second run ends
  (:func:`core.basins.basin_changes`).

The image and the legend are created once; a new result only calls ``setImage``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QColor

from core.basins import BasinMap, basin_changes, basin_map
from core.optim import OPTIMIZERS, role
from core.problem import Problem
from core.scenario import RunConfig
from gui.tasks import BackgroundTask
from gui.views import ContourView

__all__ = [
    "BASIN_COLORS",
    "DIVERGED_COLOR",
    "NONE_COLOR",
    "BasinOverlay",
    "BasinResult",
    "comparison_config",
    "describe_config",
    "fmt_point",
    "label_rgba",
]

#: One muted colour per minimum (index = label), distinct from the run palette and readable
#: over the ``cividis`` surface.
BASIN_COLORS: tuple[str, ...] = ("#E07A8B", "#4FC1A6", "#B194E8", "#E3BD6A", "#7FB2E5",
                                 "#C9A0A0")
#: Starts whose run ends near no minimum, and starts whose run diverges.
NONE_COLOR = "#9A9A9A"
DIVERGED_COLOR = "#2C2C2C"
#: Opacity of the basin colours over the surface, and of unchanged starts in compare mode.
BASIN_ALPHA = 0.5
COMPARE_ALPHA = 0.8
UNCHANGED_ALPHA = 0.1
#: Default starts per side of the grid.
DEFAULT_GRID = 80
MODES = ("basins", "loss")


def describe_config(cfg: RunConfig) -> str:
    """A run's settings in a few words: ``momentum η = 0.02, λ = 0.9, B = 20``."""
    info = OPTIMIZERS[cfg.optimizer]
    text = f"{cfg.optimizer} η = {cfg.lr:g}"
    if "momentum" in cfg.params:
        text += f", {info.symbol('momentum')} = {float(cfg.params['momentum']):g}"
    return text + f", B = {cfg.batch_size}"


def comparison_config(config: RunConfig) -> tuple[RunConfig, str]:
    """The run to compare the selected run's basins with, and its name.

    Chosen by the registry's roles: a momentum run (the lecture's momentum or Nesterov's) → the
    same run with λ = 0, i.e. the plain gradient step; the plain gradient step → the same run
    with the lecture's momentum λ = 0.9; any other optimizer → the plain gradient step with its
    η. The schedule and weight decay stay.
    """
    lr, kind = config.lr, OPTIMIZERS[config.optimizer].movement
    plain, heavy = role("gradient"), role("momentum")
    wd = tuple((k, v) for k, v in config.hyper if k == "weight_decay")
    if kind == "gradient":
        other = replace(config, optimizer=heavy.name,
                        hyper=tuple(sorted((("lr", lr), ("momentum", 0.9), *wd))),
                        label="momentum λ = 0.9")
        return other, QCoreApplication.translate("basins", "momentum λ = 0.9")
    other = replace(config, optimizer=plain.name, hyper=tuple(sorted((("lr", lr), *wd))),
                    label="GD (λ = 0)")
    if kind in ("momentum", "lookahead"):
        return other, "GD (λ = 0)"
    return other, "GD"


def label_rgba(labels: np.ndarray, diverged: np.ndarray | None = None,
               alpha: float = BASIN_ALPHA) -> np.ndarray:
    """(nx, ny, 4) uint8 colours of basin labels: :data:`BASIN_COLORS` [label], grey for −1,
    dark grey where ``diverged``."""
    lab = np.asarray(labels)
    table = np.array([_rgba(c, alpha) for c in BASIN_COLORS], dtype=np.uint8)
    out = np.empty((*lab.shape, 4), dtype=np.uint8)
    out[...] = _rgba(NONE_COLOR, alpha)
    ok = lab >= 0
    out[ok] = table[lab[ok] % len(table)]
    if diverged is not None:
        out[np.asarray(diverged, bool)] = _rgba(DIVERGED_COLOR, alpha)
    return out


def _rgba(color: str, alpha: float) -> tuple[int, int, int, int]:
    c = QColor(color)
    return (c.red(), c.green(), c.blue(), round(255 * alpha))


def _swatch(color: str) -> str:
    return f"<span style='color:{color}; font-size:12pt'>■</span>"


@dataclass(frozen=True)
class BasinResult:
    """A computed overlay: the selected run's map, and for compare mode the second map, its
    name and the starts that end in a different minimum."""

    base: BasinMap
    base_name: str
    other: BasinMap | None = None
    other_name: str = ""

    @property
    def changes(self) -> np.ndarray | None:
        """(nx, ny) True where the two runs end in different minima (compare mode)."""
        return None if self.other is None else basin_changes(self.base, self.other)


class BasinOverlay(QObject):
    """Basins of attraction of the selected run, painted on a contour view.

    Signals: ``finished(BasinResult)``, ``progress(fraction)``, ``failed(message)``,
    ``cancelled()``, ``busyChanged(bool)``.
    """

    finished = Signal(object)
    progress = Signal(float)
    failed = Signal(str)
    cancelled = Signal()
    busyChanged = Signal(bool)

    def __init__(self, view: ContourView, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else view)
        self.view = view
        self._vb = view.getPlotItem().getViewBox()
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-75)  # over the surface image (−100), under contour lines (−50)
        self.image.setVisible(False)
        view.addItem(self.image, ignoreBounds=True)
        self.legend = pg.TextItem(anchor=(0, 1))
        self.legend.setParentItem(self._vb)
        self.legend.fill = pg.mkBrush(QColor(17, 18, 22, 200))
        self.legend.setColor(QColor("#F0F0F0"))
        self.legend.setZValue(100)
        self.legend.setVisible(False)
        self._vb.sigResized.connect(self._place_legend)
        self._task = BackgroundTask(self)
        self._task.progress.connect(self._on_progress)
        self._task.finished.connect(self._on_finished)
        self._task.failed.connect(self._on_failed)
        self._task.cancelled.connect(self._on_cancelled)
        self._task.runningChanged.connect(self.busyChanged)
        self._visible = False
        self._mode = "basins"
        self._result: BasinResult | None = None
        self._key: tuple | None = None
        self._pending: tuple | None = None
        self._rgba: np.ndarray | None = None
        self._place_legend()

    # -------------------------------------------------------------------- reading
    @property
    def result(self) -> BasinResult | None:
        """The result shown (None before the first)."""
        return self._result

    @property
    def busy(self) -> bool:
        return self._task.running

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def visible(self) -> bool:
        return self._visible

    def rgba(self) -> np.ndarray | None:
        """The (nx, ny, 4) uint8 image drawn, indexed like the basin map ``[i, j]``."""
        return None if self._rgba is None else self._rgba.copy()

    # -------------------------------------------------------------------- control
    def compute(self, problem: Problem, config: RunConfig, grid: int = DEFAULT_GRID,
                steps: int | None = None, compare: bool = False, name: str = "") -> bool:
        """Compute the basins of ``config`` on ``grid`` × ``grid`` starts off the GUI thread
        (and, with ``compare``, of :func:`comparison_config`). A request equal to the one
        shown or running is ignored (returns False)."""
        key = (id(problem), replace(config, label="", color=None, visible=True), int(grid),
               steps, bool(compare))
        if key == self._key or (key == self._pending and self._task.running):
            return False
        self._pending = key
        base_name = name or config.label
        other, other_name = comparison_config(config) if compare else (None, "")

        def job(progress, should_stop) -> BasinResult:
            share = 0.5 if other is not None else 1.0
            a = basin_map(problem, config, grid=grid, steps=steps,
                          progress=lambda f: progress(share * f), should_stop=should_stop)
            b = None
            if other is not None:
                b = basin_map(problem, other, grid=grid, steps=steps,
                              progress=lambda f: progress(0.5 + 0.5 * f),
                              should_stop=should_stop)
            return BasinResult(a, base_name, b, other_name)

        self._task.start(job)
        self._show_legend_text(self.tr(
            "computing basins of attraction ({n} × {n} starts)… 0 %").format(n=grid))
        return True

    def cancel(self) -> None:
        """Stop a computation in progress (the last result stays)."""
        self._task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Cancel and wait for the worker (at most ``msecs``; tests)."""
        return self._task.wait(msecs)

    def abandon(self) -> None:
        """Cancel at once without waiting (the window is closing); the last result stays."""
        self._pending = None
        self._task.abandon()

    def set_visible(self, on: bool) -> None:
        """Show or hide the overlay and its legend (the result is kept)."""
        self._visible = bool(on)
        self.image.setVisible(self._visible and self._rgba is not None)
        self.legend.setVisible(self._visible and bool(self.legend.textItem.toPlainText()))
        if not self._visible:
            self.cancel()

    def set_mode(self, mode: str) -> None:
        """``"basins"`` (colour = the minimum reached) or ``"loss"`` (colour = final loss)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)} (got {mode!r})")
        self._mode = mode
        self._paint()

    def clear(self) -> None:
        """Forget the result (e.g. the surface changed) and hide the image."""
        self.cancel()
        self._result = None
        self._key = None
        self._rgba = None
        self.image.setVisible(False)
        self._show_legend_text("")

    def set_result(self, result: BasinResult) -> None:
        """Show a computed result (what the worker delivers; also usable directly)."""
        self._result = result
        self._paint()

    # ------------------------------------------------------------------ painting
    def _paint(self) -> None:
        r = self._result
        if r is None:
            return
        m = r.base
        if r.other is not None:
            changes = basin_changes(m, r.other)
            rgba = label_rgba(m.labels, m.diverged, UNCHANGED_ALPHA)
            moved = label_rgba(r.other.labels, r.other.diverged, COMPARE_ALPHA)
            rgba[changes] = moved[changes]
        elif self._mode == "loss":
            rgba = self._loss_rgba(m)
        else:
            rgba = label_rgba(m.labels, m.diverged)
        self._rgba = rgba
        self.image.setImage(rgba, autoLevels=False, levels=None)
        xs, ys = m.xs, m.ys
        dx = (xs[-1] - xs[0]) / (len(xs) - 1)
        dy = (ys[-1] - ys[0]) / (len(ys) - 1)
        self.image.setRect(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx,
                           ys[-1] - ys[0] + dy)
        self.image.setVisible(self._visible)
        self._show_legend_text(self._legend_html(r))

    @staticmethod
    def _loss_rgba(m: BasinMap) -> np.ndarray:
        loss = m.final_loss
        ok = np.isfinite(loss)
        out = np.empty((*loss.shape, 4), dtype=np.uint8)
        out[...] = _rgba(DIVERGED_COLOR, BASIN_ALPHA)
        if ok.any():
            lo, hi = float(loss[ok].min()), float(loss[ok].max())
            unit = (loss[ok] - lo) / (hi - lo) if hi > lo else np.zeros(int(ok.sum()))
            lut = pg.colormap.get("magma").getLookupTable(nPts=256, alpha=False)
            rgb = np.asarray(lut, dtype=np.uint8)[np.rint(unit * 255).astype(int)]
            out[ok, :3] = rgb
            out[ok, 3] = round(255 * 0.6)
        return out

    def _legend_html(self, r: BasinResult) -> str:
        m = r.base
        grid = self.tr("{run} · {nx} × {ny} starts, {steps} updates each").format(
            run=describe_config(m.config), nx=len(m.xs), ny=len(m.ys), steps=m.steps)
        rows: list[str] = []
        if r.other is not None:
            changes = basin_changes(m, r.other)
            share = 100.0 * float(changes.mean())
            rows.append(self.tr("<b>Where {other} ends elsewhere than “{base}”</b> ({share} % of "
                                "the starts)").format(other=html.escape(r.other_name),
                                                      base=html.escape(r.base_name),
                                                      share=f"{share:.0f}"))
            present = np.unique(r.other.labels[changes]) if changes.any() else []
            for j in present:
                j = int(j)
                color = BASIN_COLORS[j % len(BASIN_COLORS)] if j >= 0 else NONE_COLOR
                target = (self.tr("minimum {k} {point}").format(k=j + 1, point=_point(m, j))
                          if j >= 0 else self.tr("no minimum / diverges"))
                rows.append(f"{_swatch(color)} {html.escape(r.other_name)} → "
                            f"{html.escape(target)}")
            if not changes.any():
                rows.append(self.tr("no start ends differently"))
        elif self._mode == "loss":
            rows.append(self.tr("<b>Final loss L(θᵀ) of {run}</b>").format(
                run=html.escape(r.base_name)))
            rows.append(self.tr("{low} low … {high} high, {diverged} diverges").format(
                low=_swatch("#000004"), high=_swatch("#FCFDBF"),
                diverged=_swatch(DIVERGED_COLOR)))
        else:
            rows.append(self.tr("<b>Basins of “{run}”</b>: where the run from each start "
                                "ends").format(run=html.escape(r.base_name)))
            frac = m.fractions()
            for j in range(len(m.minima)):
                rows.append(_swatch(BASIN_COLORS[j % len(BASIN_COLORS)]) + " " + self.tr(
                    "minimum {k} {point}  {share} %").format(
                        k=j + 1, point=_point(m, j), share=f"{100 * frac[j]:.0f}"))
            none = float(np.mean((m.labels < 0) & ~m.diverged))
            div = float(np.mean(m.diverged))
            if none > 0:
                rows.append(_swatch(NONE_COLOR) + " " + self.tr(
                    "near no minimum  {share} %").format(share=f"{100 * none:.0f}"))
            if div > 0:
                rows.append(_swatch(DIVERGED_COLOR) + " " + self.tr(
                    "diverges  {share} %").format(share=f"{100 * div:.0f}"))
        rows.append(f"<span style='color:#B0B4BA'>{html.escape(grid)}</span>")
        return "<br/>".join(rows)

    def _show_legend_text(self, text: str) -> None:
        self.legend.setHtml(f"<div style='font-size:9pt'>{text}</div>" if text else "")
        self.legend.setVisible(self._visible and bool(text))
        self._place_legend()

    def _place_legend(self, *_: object) -> None:
        """Bottom-left corner of the plot area, wrapped to fit its width."""
        rect = self._vb.boundingRect()
        avail = max(160.0, rect.width() - 12)
        self.legend.setTextWidth(-1)  # natural width first; wrap only when it does not fit
        if self.legend.textItem.boundingRect().width() > avail:
            self.legend.setTextWidth(avail)
        self.legend.setPos(6, max(0.0, rect.height() - 6))

    # ------------------------------------------------------------------ outcomes
    def _on_progress(self, fraction: float) -> None:
        self.progress.emit(fraction)
        self._show_legend_text(self.tr("computing basins of attraction… {percent} %").format(
            percent=f"{100 * fraction:.0f}"))

    def _on_finished(self, result: object) -> None:
        assert isinstance(result, BasinResult)
        self._key, self._pending = self._pending, None
        self.set_result(result)
        self.finished.emit(result)

    def _on_failed(self, message: str) -> None:
        self._pending = None
        self._show_legend_text(self.tr("basins: {message}").format(
            message=html.escape(message)))
        self.failed.emit(message)

    def _on_cancelled(self) -> None:
        self._pending = None
        if self._result is not None:
            self._show_legend_text(self._legend_html(self._result))
        else:
            self._show_legend_text("")
        self.cancelled.emit()


def _point(m: BasinMap, j: int) -> str:
    return fmt_point(m.minima[j].theta)


def fmt_point(theta: tuple[float, float] | np.ndarray) -> str:
    """A critical point for people: ``(−1.2, 0.94)`` (round-off like 7e−18 shown as 0)."""
    parts = []
    for v in (float(theta[0]), float(theta[1])):
        v = 0.0 if abs(v) < 5e-4 else v
        parts.append(f"{v:.3g}".replace("-", "−"))
    return f"({parts[0]}, {parts[1]})"

"""The batch-size study and the lecture's timing figure, in a window of their own.

**Batch-size study** (:func:`core.study.study_scenario`): the selected run (start θ⁰, optimizer,
η, λ) is run with every batch size B and many shuffle seeds — all runs stepping together, off
the GUI thread, with progress and Cancel. Per batch size the window draws

* the final training loss L(θ) of every seed (a strip plot with jitter, the median as a bar),
  and beside it the testing loss L(θ − s) when the scenario has a test shift s;
* where the runs end (stacked bars): in each minimum, stuck at a saddle point, elsewhere,
  diverged — the minima in the colours of the basin overlay;
* the sharpness λ_max(∇²L(θ)) at the end points;

and a table with the updates and epochs every B used. "Same number of updates" is the
lecture's comparison (with parallel hardware one update costs about the same for every B);
"same number of epochs" gives small batches more updates.

**Timing** (:func:`core.study.timing_study`): the time for one update and for one epoch
against B, "parallel" (the batch as one array) and "no parallel" (one example at a time), on
log–log axes — measured on this computer.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.optim import OPTIMIZERS
from core.scenario import Scenario
from core.study import BatchSizeResult, StudyResult, parse_batch_sizes, study_scenario, timing_study
from gui.basins import BASIN_COLORS, DIVERGED_COLOR, NONE_COLOR, fmt_point
from gui.tasks import BackgroundTask
from gui.theme import DARK, Theme, ui_font

__all__ = ["StudyWindow", "default_batch_sizes", "end_categories"]

#: Colour of the training loss points, the testing loss points and of "stuck at a saddle".
TRAIN_COLOR = "#56B4E9"
TEST_COLOR = "#E69F00"
SADDLE_COLOR = "#FF6F59"
#: Largest seeds per batch size offered in the window.
MAX_SEEDS = 2000
#: Default batch sizes of the timing figure and its number of examples.
TIMING_SIZES = "1, 10, 100, 1000, 10000"
TIMING_EXAMPLES = 10_000


def default_batch_sizes(n: int, scenario: Scenario | None = None) -> tuple[int, ...]:
    """The batch sizes of the scenario's runs when they differ (e.g. lesson 5: 1, 2, 4, 8, 16),
    else 1, 2, 5, 10, 20, 50, … below N, and N (the full batch)."""
    if scenario is not None:
        own = sorted({r.batch_size for r in scenario.runs if 1 <= r.batch_size <= n})
        if len(own) >= 2:
            return tuple(own)
    out = [b for b in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if b < n]
    return (*out, n)


def minimum_name(study: StudyResult, j: int) -> str:
    """"minimum j+1 (x, y)", with its sharpness λ_max(∇²L) when the study has it."""
    name = f"minimum {j + 1} {fmt_point(study.minima[j].theta)}"
    if j < len(study.minima_sharpness) and np.isfinite(study.minima_sharpness[j]):
        name += f", λ_max = {_fmt(study.minima_sharpness[j], 3)}"
    return name


def shown_minima(study: StudyResult, most: int = 6) -> list[int]:
    """The minima to give a column and a legend entry: all of up to ``most``, else those in
    which some run ends (a surface such as Rastrigin's has dozens)."""
    if len(study.minima) <= most:
        return list(range(len(study.minima)))
    return [j for j in range(len(study.minima))
            if any(np.any(r.minimum == j) for r in study.results)]


def end_categories(study: StudyResult, r: BatchSizeResult) -> list[tuple[str, str, float]]:
    """Where the seeds of one batch size end, as (name, colour, share) adding up to 1:
    each minimum (of :func:`shown_minima`; the others end "elsewhere" only if no run of the
    study ends there, so no share is lost), stuck at a saddle point, elsewhere, diverged."""
    div = r.diverged
    sad = (r.saddle >= 0) & ~div
    out = []
    for j in shown_minima(study):
        share = float(np.mean((r.minimum == j) & ~sad & ~div))
        out.append((minimum_name(study, j), BASIN_COLORS[j % len(BASIN_COLORS)], share))
    out.append(("stuck at a saddle point", SADDLE_COLOR, float(np.mean(sad))))
    out.append(("elsewhere", NONE_COLOR, float(np.mean((r.minimum < 0) & ~sad & ~div))))
    out.append(("diverged", DIVERGED_COLOR, float(np.mean(div))))
    return out


def _fmt(v: float | None, digits: int = 4) -> str:
    if v is None or not np.isfinite(v):
        return "—"
    return f"{v:.{digits}g}".replace("-", "−")


def _secs(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.3g} µs"
    if s < 1:
        return f"{s * 1e3:.3g} ms"
    return f"{s:.3g} s"


def _jitter(n: int, seed: int, width: float) -> np.ndarray:
    """Deterministic horizontal offsets in [−width, width] for a strip plot."""
    return np.random.default_rng(seed).uniform(-width, width, n)


class _Plot(pg.PlotWidget):
    """A themed plot with a categorical x axis (one tick per batch size)."""

    def __init__(self, title: str, y_label: str, theme: Theme) -> None:
        super().__init__()
        plot = self.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.getViewBox().setMouseEnabled(x=False, y=True)
        plot.showGrid(x=False, y=True, alpha=0.25)
        self.setBackground(theme.background)
        plot.setTitle(f"<span style='color:{theme.foreground}; font-size:10pt'>"
                      f"{html.escape(title)}</span>")
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(theme.muted))
            axis.setTextPen(pg.mkPen(theme.foreground))
            axis.setTickFont(ui_font(8.5))
        plot.setLabel("left", y_label, color=theme.foreground)
        plot.setLabel("bottom", "batch size B", color=theme.foreground)
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.setMinimumSize(260, 220)
        self.theme = theme
        # the legend is a line of rich text under the plot: it never hides data
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.box = QWidget()
        lay = QVBoxLayout(self.box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self, 1)
        lay.addWidget(self.legend)

    def set_legend(self, entries: list[tuple[str, str, str]]) -> None:
        """Legend entries (colour, glyph, text), e.g. ``("#56B4E9", "●", "training loss")``."""
        self.legend.setText("&nbsp;&nbsp;&nbsp; ".join(
            f"<span style='white-space:nowrap'><span style='color:{c}; font-size:11pt'>{g}"
            f"</span>&nbsp;{html.escape(t)}</span>" for c, g, t in entries))
        self.legend.setVisible(bool(entries))

    def clear_plot(self) -> None:
        self.getPlotItem().clear()
        self.set_legend([])

    def set_categories(self, labels: list[str]) -> None:
        axis = self.getPlotItem().getAxis("bottom")
        axis.setTicks([[(float(k), lab) for k, lab in enumerate(labels)]])
        self.getPlotItem().setXRange(-0.6, len(labels) - 0.4, padding=0)


class StudyWindow(QWidget):
    """Batch-size study of a scenario's run, and the timing figure (two tabs).

    Signals: ``studyFinished(StudyResult)``, ``timingFinished(dict)``. The inputs are public
    attributes (``run_combo``, ``sizes_edit``, ``seeds_spin``, ``budget_combo``; ``t_sizes_edit``,
    ``t_examples_spin``, ``t_repeats_spin``) so tests and the window can set them.
    """

    studyFinished = Signal(object)
    timingFinished = Signal(object)

    def __init__(self, scenario: Scenario, run: int = 0, parent: QWidget | None = None,
                 theme: Theme = DARK) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.theme = theme
        self.scenario = scenario
        self.result: StudyResult | None = None
        self.timing: dict[str, Any] | None = None
        self.study_task = BackgroundTask(self)
        self.timing_task = BackgroundTask(self)
        self.resize(1360, 860)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_study_tab(), "Batch-size study")
        self.tabs.addTab(self._build_timing_tab(), "Time per update and per epoch")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.tabs)
        self._connect_task(self.study_task, self.study_progress, self.study_status,
                           self.study_button, self.study_cancel, self._on_study_done)
        self._connect_task(self.timing_task, self.timing_progress, self.timing_status,
                           self.timing_button, self.timing_cancel, self._on_timing_done)
        self.set_scenario(scenario, run)

    # ------------------------------------------------------------------ layout
    def _build_study_tab(self) -> QWidget:
        self.run_combo = QComboBox()
        self.run_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sizes_edit = QLineEdit()
        self.sizes_edit.setToolTip("Comma-separated batch sizes, each in 1..N (“full” = N)")
        self.sizes_edit.setMinimumWidth(160)
        self.seeds_spin = QSpinBox()
        self.seeds_spin.setRange(1, MAX_SEEDS)
        self.seeds_spin.setValue(20)
        self.seeds_spin.setToolTip("Shuffle seeds per batch size: each seed shuffles the "
                                   "examples differently every epoch")
        self.budget_combo = QComboBox()
        self.budget_combo.addItem("same number of updates", "updates")
        self.budget_combo.addItem("same number of epochs", "epochs")
        self.study_button = QPushButton("Run study")
        self.study_button.setDefault(True)
        self.study_cancel = QPushButton("Cancel")
        self.study_progress = QProgressBar()
        self.study_progress.setRange(0, 1000)
        self.study_progress.setTextVisible(False)
        self.study_progress.setMaximumWidth(200)
        self.study_status = QLabel()
        self.study_status.setWordWrap(True)
        self.study_button.clicked.connect(self.run_study)
        self.study_cancel.clicked.connect(self.study_task.cancel)
        self.sizes_edit.returnPressed.connect(self.run_study)

        row = QHBoxLayout()
        for text, w in (("Run", self.run_combo), ("batch sizes B", self.sizes_edit),
                        ("seeds per B", self.seeds_spin), ("budget", self.budget_combo)):
            label = QLabel(text)
            label.setBuddy(w)
            row.addWidget(label)
            row.addWidget(w)
            row.addSpacing(8)
        row.addWidget(self.study_button)
        row.addWidget(self.study_cancel)
        row.addWidget(self.study_progress)
        row.addStretch(1)

        self.study_caption = QLabel()
        self.study_caption.setWordWrap(True)
        self.loss_plot = _Plot("Final loss of every seed (bar: median)", "loss", self.theme)
        self.end_plot = _Plot("Where the runs end", "share of the seeds (%)", self.theme)
        self.sharp_plot = _Plot("Sharpness at the end point", "λ_max(∇²L(θ))", self.theme)
        plots = QHBoxLayout()
        for p in (self.loss_plot, self.end_plot, self.sharp_plot):
            p.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            plots.addWidget(p.box, 1)
        self.table = QTableWidget(0, 0)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setMaximumHeight(120)

        tab = QWidget()
        lay = QVBoxLayout(tab)
        lay.addLayout(row)
        lay.addWidget(self.study_status)
        lay.addWidget(self.study_caption)
        lay.addLayout(plots, 1)
        lay.addWidget(self.table)
        return tab

    def _build_timing_tab(self) -> QWidget:
        self.t_sizes_edit = QLineEdit(TIMING_SIZES)
        self.t_sizes_edit.setMinimumWidth(200)
        self.t_examples_spin = QSpinBox()
        self.t_examples_spin.setRange(1, 1_000_000)
        self.t_examples_spin.setValue(TIMING_EXAMPLES)
        self.t_examples_spin.setSingleStep(1000)
        self.t_repeats_spin = QSpinBox()
        self.t_repeats_spin.setRange(1, 50)
        self.t_repeats_spin.setValue(5)
        self.t_repeats_spin.setToolTip("Each time is the best of up to this many measurements")
        self.timing_button = QPushButton("Measure")
        self.timing_cancel = QPushButton("Cancel")
        self.timing_progress = QProgressBar()
        self.timing_progress.setRange(0, 1000)
        self.timing_progress.setTextVisible(False)
        self.timing_progress.setMaximumWidth(200)
        self.timing_status = QLabel()
        self.timing_status.setWordWrap(True)
        self.timing_button.clicked.connect(self.run_timing)
        self.timing_cancel.clicked.connect(self.timing_task.cancel)
        row = QHBoxLayout()
        for text, w in (("batch sizes B", self.t_sizes_edit), ("examples N", self.t_examples_spin),
                        ("repeats", self.t_repeats_spin)):
            label = QLabel(text)
            label.setBuddy(w)
            row.addWidget(label)
            row.addWidget(w)
            row.addSpacing(8)
        row.addWidget(self.timing_button)
        row.addWidget(self.timing_cancel)
        row.addWidget(self.timing_progress)
        row.addStretch(1)
        intro = QLabel(
            "The lecture: with parallel hardware, the time for <b>one update</b> hardly grows "
            "with B (until B is very large), so <b>one epoch</b> — ⌈N/B⌉ updates — is faster "
            "with large batches. Without parallelism one update costs B times one example. "
            "Here a network with one hidden layer computes forward and backward passes; "
            "“parallel” hands the whole batch to NumPy as one array, “no parallel” loops over "
            "the examples one at a time.")
        intro.setWordWrap(True)
        self.update_time_plot = _Plot("Time for one update", "seconds", self.theme)
        self.epoch_time_plot = _Plot("Time for one epoch", "seconds", self.theme)
        plots = QHBoxLayout()
        for p in (self.update_time_plot, self.epoch_time_plot):
            p.getPlotItem().setLogMode(x=True, y=True)
            p.getPlotItem().showGrid(x=True, y=True, alpha=0.25)
            p.getPlotItem().getViewBox().setMouseEnabled(x=True, y=True)
            plots.addWidget(p.box, 1)
        self.timing_note = QLabel()
        self.timing_note.setWordWrap(True)
        self.timing_note.setObjectName("muted")
        tab = QWidget()
        lay = QVBoxLayout(tab)
        lay.addLayout(row)
        lay.addWidget(self.timing_status)
        lay.addWidget(intro)
        lay.addLayout(plots, 1)
        lay.addWidget(self.timing_note)
        return tab

    def _connect_task(self, task: BackgroundTask, bar: QProgressBar, status: QLabel,
                      start: QPushButton, cancel: QPushButton, done) -> None:
        cancel.setEnabled(False)
        task.progress.connect(lambda f: bar.setValue(round(1000 * f)))
        task.finished.connect(done)

        keep = bar.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        bar.setSizePolicy(keep)
        bar.setVisible(False)

        def running(on: bool) -> None:
            start.setEnabled(not on)
            cancel.setEnabled(on)
            bar.setValue(0)
            bar.setVisible(on)

        def cancelled() -> None:
            self._status(status, "Cancelled.")

        task.runningChanged.connect(running)
        task.failed.connect(lambda msg: self._status(status, msg, error=True))
        task.cancelled.connect(cancelled)

    @staticmethod
    def _status(label: QLabel, text: str, error: bool = False) -> None:
        label.setStyleSheet("color: #FF6B6B;" if error else "")
        label.setText(text)

    # ------------------------------------------------------------------ inputs
    def set_scenario(self, scenario: Scenario, run: int = 0) -> None:
        """Study run ``run`` of ``scenario`` (the inputs are reset to its defaults)."""
        self.scenario = scenario
        self.setWindowTitle(f"Batch-size study — {scenario.title or 'scenario'}")
        self.run_combo.clear()
        for i, r in enumerate(scenario.runs):
            self.run_combo.addItem(f"{i + 1}. {r.label}", i)
        if scenario.runs:
            self.run_combo.setCurrentIndex(max(0, min(run, len(scenario.runs) - 1)))
        n = scenario.surface.examples
        self.sizes_edit.setText(", ".join(str(b) for b in default_batch_sizes(n, scenario)))
        self.study_button.setEnabled(bool(scenario.runs) and not self.study_task.running)

    def selected_run(self) -> int:
        return int(self.run_combo.currentData() or 0)

    # --------------------------------------------------------------- the study
    def run_study(self) -> None:
        """Start the batch-size study with the inputs (off the GUI thread)."""
        s = self.scenario
        if not s.runs:
            self._status(self.study_status, "The scenario has no runs to study.", error=True)
            return
        try:
            sizes = parse_batch_sizes(self.sizes_edit.text(), s.surface.examples)
        except ValueError as err:
            self._status(self.study_status, str(err).removeprefix("--batch-sizes: "), error=True)
            return
        seeds = int(self.seeds_spin.value())
        run = self.selected_run()
        budget = str(self.budget_combo.currentData())
        cfg = s.runs[run]
        self._status(self.study_status,
                     f"Running {len(sizes) * seeds} runs ({len(sizes)} batch sizes × {seeds} "
                     f"seeds) of “{cfg.label}”…")

        def job(progress, should_stop) -> StudyResult:
            return study_scenario(s, sizes, seeds, run, budget=budget, progress=progress,
                                  should_stop=should_stop)

        self.study_task.start(job)

    def _on_study_done(self, result: object) -> None:
        assert isinstance(result, StudyResult)
        self.result = result
        self.show_study(result)
        self._status(self.study_status,
                     f"{len(result.results) * result.seeds} runs in {result.seconds:.2f} s.")
        self.studyFinished.emit(result)

    def show_study(self, study: StudyResult) -> None:
        """Draw a study's results (plots and table)."""
        c = study.config
        info = OPTIMIZERS[c.optimizer]
        hyper = ", ".join(f"{info.symbol(k)} = {v:g}"
                          for k, v in c.params.items() if not isinstance(v, bool))
        budget = ("every B makes the same number of updates" if study.budget == "updates"
                  else "every B trains for the same number of epochs")
        self.study_caption.setText(
            f"Run “{html.escape(c.label)}” ({c.optimizer}, {hyper}) from θ⁰ = ({c.start[0]:g}, "
            f"{c.start[1]:g}), N = {study.n} examples, {study.seeds} shuffle seeds per batch "
            f"size; {budget}. A run ends in a minimum or at a saddle point when its final θ is "
            f"within {study.radius:.2g} of it.")
        labels = [f"{r.batch_size}" for r in study.results]
        self._plot_losses(study, labels)
        self._plot_ends(study, labels)
        self._plot_sharpness(study, labels)
        self._fill_table(study)

    def _plot_losses(self, study: StudyResult, labels: list[str]) -> None:
        p = self.loss_plot
        p.clear_plot()
        series = [("training loss L(θ)", TRAIN_COLOR, "train")]
        if study.test_shift is not None:
            series.append((f"testing loss L(θ − s), s = ({study.test_shift[0]:g}, "
                           f"{study.test_shift[1]:g})", TEST_COLOR, "test"))
        legend: list[tuple[str, str, str]] = []
        side = 0.18 if len(series) == 2 else 0.0
        width = 0.12 if len(series) == 2 else 0.25
        for n, (name, color, which) in enumerate(series):
            xs, ys, mx, my = [], [], [], []
            dx = (n - (len(series) - 1) / 2) * 2 * side
            for k, r in enumerate(study.results):
                v = r.final_loss if which == "train" else r.test_loss
                if v is None:
                    continue
                v = v[np.isfinite(v)]
                if not len(v):
                    continue
                xs.append(k + dx + _jitter(len(v), 7 * k + n, width))
                ys.append(v)
                med = float(np.median(v))
                mx += [k + dx - width - 0.05, k + dx + width + 0.05]
                my += [med, med]
            if not xs:
                continue
            pts = pg.PlotDataItem(np.concatenate(xs), np.concatenate(ys), pen=None,
                                  symbol="o", symbolSize=6, symbolPen=None,
                                  symbolBrush=pg.mkBrush(_alpha(color, 0.6)))
            p.addItem(pts)
            med_item = pg.PlotDataItem(np.array(mx), np.array(my), connect="pairs",
                                       pen=pg.mkPen(color, width=3.5))
            p.addItem(med_item)
            legend.append((color, "●", name))
        legend.append(("#9AA0A8", "━", "median"))
        p.set_legend(legend)
        p.set_categories(labels)
        p.getPlotItem().enableAutoRange(axis="y")

    def _plot_ends(self, study: StudyResult, labels: list[str]) -> None:
        p = self.end_plot
        p.clear_plot()
        cats = [end_categories(study, r) for r in study.results]
        x = np.arange(len(study.results), dtype=float)
        bottom = np.zeros(len(x))
        legend: list[tuple[str, str, str]] = []
        for c in range(len(cats[0]) if cats else 0):
            name, color, _ = cats[0][c]
            h = np.array([100.0 * cat[c][2] for cat in cats])
            if not np.any(h > 0):
                continue
            bars = pg.BarGraphItem(x=x, height=h, y0=bottom.copy(), width=0.62,
                                   brush=pg.mkBrush(color), pen=pg.mkPen(self.theme.background))
            p.addItem(bars)
            legend.append((color, "■", name))
            bottom += h
        p.set_legend(legend)
        p.set_categories(labels)
        p.getPlotItem().setYRange(0, 100, padding=0.02)

    def _plot_sharpness(self, study: StudyResult, labels: list[str]) -> None:
        p = self.sharp_plot
        p.clear_plot()
        xs, ys, mx, my = [], [], [], []
        for k, r in enumerate(study.results):
            v = r.sharpness[np.isfinite(r.sharpness)]
            if not len(v):
                continue
            xs.append(k + _jitter(len(v), 11 * k, 0.25))
            ys.append(v)
            med = float(np.median(v))
            mx += [k - 0.3, k + 0.3]
            my += [med, med]
        values = np.concatenate(ys) if ys else np.empty(0)
        log = bool(len(values) and values.min() > 0 and values.max() / values.min() > 20)
        p.getPlotItem().setLogMode(x=False, y=log)
        p.getPlotItem().getAxis("left").setTicks(_decade_ticks(values, _plain) if log else None)
        if xs:
            p.addItem(pg.PlotDataItem(np.concatenate(xs), values, pen=None, symbol="o",
                                      symbolSize=6, symbolPen=None,
                                      symbolBrush=pg.mkBrush(_alpha("#CC79A7", 0.65))))
            p.addItem(pg.PlotDataItem(np.array(mx), np.array(my), connect="pairs",
                                      pen=pg.mkPen("#CC79A7", width=3.5)))
            p.set_legend([("#CC79A7", "●", "largest Hessian eigenvalue at the end point θ"),
                          ("#CC79A7", "━", "median")]
                         + ([(self.theme.muted, "", "(log scale)")] if log else []))
        p.set_categories(labels)
        p.getPlotItem().enableAutoRange(axis="y")

    def _fill_table(self, study: StudyResult) -> None:
        mins = [f"in min {j + 1}" + (f" (λ_max {_fmt(study.minima_sharpness[j], 3)})"
                                     if j < len(study.minima_sharpness) else "")
                for j in shown_minima(study)]
        head = ["B", "updates", "epochs", "median loss", "loss min … max"]
        if study.test_shift is not None:
            head += ["median test loss", "median rise"]
        head += [*mins, "at a saddle", "elsewhere", "diverged", "median sharpness"]
        t = self.table
        t.clear()
        t.setColumnCount(len(head))
        t.setHorizontalHeaderLabels(head)
        t.setRowCount(len(study.results))
        for row, r in enumerate(study.results):
            fin = r.final_loss[np.isfinite(r.final_loss)]
            med = float(np.median(fin)) if len(fin) else None
            values = [str(r.batch_size), str(r.updates), f"{r.epochs:g}", _fmt(med),
                      f"{_fmt(fin.min() if len(fin) else None)} … "
                      f"{_fmt(fin.max() if len(fin) else None)}"]
            if study.test_shift is not None:
                tl = r.test_loss if r.test_loss is not None else np.full(len(r.seeds), np.nan)
                ok = np.isfinite(tl) & np.isfinite(r.final_loss)
                values += [_fmt(float(np.median(tl[ok])) if ok.any() else None),
                           _fmt(float(np.median(tl[ok] - r.final_loss[ok])) if ok.any()
                                else None)]
            cats = end_categories(study, r)
            values += [f"{100 * share:.0f} %" for _, _, share in cats]
            sh = r.sharpness[np.isfinite(r.sharpness)]
            values.append(_fmt(float(np.median(sh)) if len(sh) else None))
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(row, col, item)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.resizeRowsToContents()
        height = t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth() + sum(
            t.rowHeight(r) for r in range(t.rowCount()))
        t.setMaximumHeight(min(height + 2, 260))

    # -------------------------------------------------------------- the timing
    def run_timing(self) -> None:
        """Measure one update and one epoch against B (off the GUI thread)."""
        n = int(self.t_examples_spin.value())
        try:
            sizes = parse_batch_sizes(self.t_sizes_edit.text(), n)
        except ValueError as err:
            self._status(self.timing_status, str(err).removeprefix("--batch-sizes: "),
                         error=True)
            return
        repeats = int(self.t_repeats_spin.value())
        self._status(self.timing_status, "Measuring…")

        def job(progress, should_stop) -> dict[str, Any]:
            return timing_study(sizes, n_examples=n, repeats=repeats, progress=progress,
                                should_stop=should_stop)

        self.timing_task.start(job)

    def _on_timing_done(self, result: object) -> None:
        assert isinstance(result, dict)
        self.timing = result
        self.show_timing(result)
        self._status(self.timing_status, f"Measured in {self.timing_task.seconds:.2f} s.")
        self.timingFinished.emit(result)

    def show_timing(self, t: dict[str, Any]) -> None:
        """Draw timing figures (the dict of :func:`core.study.timing_study`)."""
        b = np.asarray(t["batch_sizes"], dtype=float)
        series = (("parallel (whole batch at once)", "parallel", TRAIN_COLOR,
                   Qt.PenStyle.SolidLine, "o", "━●"),
                  ("no parallel (one example at a time)", "no_parallel", TEST_COLOR,
                   Qt.PenStyle.DashLine, "t", "╌▼"))
        for plot, key in ((self.update_time_plot, "update_s"), (self.epoch_time_plot, "epoch_s")):
            plot.clear_plot()
            ys = []
            for name, which, color, style, symbol, _ in series:
                y = np.asarray(t[which][key], dtype=float)
                ys.append(y)
                plot.addItem(pg.PlotDataItem(b, y, pen=pg.mkPen(color, width=2.2, style=style),
                                             symbol=symbol, symbolSize=8, symbolBrush=color,
                                             symbolPen=None, name=name))
            item = plot.getPlotItem()
            item.setLabel("bottom", "batch size B")
            item.setLabel("left", "time")
            item.getAxis("bottom").setTicks(_decade_ticks(b, _count))
            item.getAxis("left").setTicks(_decade_ticks(np.concatenate(ys), _secs))
            item.enableAutoRange()
            plot.set_legend([(c, g, n) for n, _, c, _, _, g in series])
        par, seq = t["parallel"], t["no_parallel"]
        first, last = int(b[0]), int(b[-1])
        self.timing_note.setText(
            f"Measured on this computer just now — your numbers will differ. Model: "
            f"{html.escape(str(t['model']))}; N = {t['n_examples']} examples. From B = {first} "
            f"to B = {last}: one update (parallel) {_secs(par['update_s'][0])} → "
            f"{_secs(par['update_s'][-1])}, one epoch (parallel) {_secs(par['epoch_s'][0])} → "
            f"{_secs(par['epoch_s'][-1])}; no parallel: one update "
            f"{_secs(seq['update_s'][0])} → {_secs(seq['update_s'][-1])}. "
            f"({html.escape(str(t['note']))}.)")

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        """Abandon both computations at once (their threads stop at the next check; closing
        never waits for them: a large study blocked the window 53 s)."""
        for task, status in ((self.study_task, self.study_status),
                             (self.timing_task, self.timing_status)):
            if task.running:
                task.abandon()
                self._status(status, "Cancelled (the window was closed).")
        super().closeEvent(event)


def _plain(v: float) -> str:
    return f"{v:g}"


def _count(v: float) -> str:
    return f"{v:,.0f}".replace(",", "\u2009")


def _decade_ticks(values: np.ndarray, fmt) -> list[list[tuple[float, str]]]:
    """Ticks of a log axis (positions are log₁₀): labelled decades, unlabelled 2× and 5×."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if not len(v):
        return [[], []]
    lo, hi = int(np.floor(np.log10(v.min()))), int(np.ceil(np.log10(v.max())))
    major = [(float(e), fmt(10.0**e)) for e in range(lo, hi + 1)]
    # few decades: label 2× and 5× too, so a short axis still has numbers on it
    label = hi - lo <= 2
    minor = [(float(np.log10(m * 10.0**e)), fmt(m * 10.0**e) if label else "")
             for e in range(lo, hi) for m in (2, 5)]
    return [major, minor]


def _alpha(color: str, alpha: float) -> QColor:
    c = QColor(color)
    c.setAlphaF(alpha)
    return c

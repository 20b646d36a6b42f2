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

**The lecture's claims** (:func:`core.study.claims_study`, on by default): the same B × seeds
at equal updates and at equal epochs (those the smallest B makes in the run's T updates), and
at η/2 and 2η; the window draws the final training loss of both budgets side by side, the share
of the seeds ending in the flat minimum (smallest λ_max among the minima runs end in) against B
and against η/B, and the testing against the training loss of every end point, coloured by B.
One verdict line per claim is computed from these numbers (supported, not supported, the
opposite, or cannot be shown on this surface). Clicking a point (a batch size B, a seed and a
budget) emits :attr:`StudyWindow.runRequested` with that run's :class:`RunConfig`; the main
window adds it as a new run, so the kick that leaves the canyon can be watched.

The window sizes itself to the screen's available geometry and remembers its size (given a
QSettings); the plots scroll, the verdicts and the table stay visible.

**Timing** (:func:`core.study.timing_study`): the time for one update and for one epoch
against B, "parallel" (the batch as one array) and "no parallel" (one example at a time), on
log–log axes — measured on this computer.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRect, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.optim import OPTIMIZERS
from core.scenario import RunConfig, Scenario
from core.study import (
    BatchSizeResult,
    Claims,
    StudyResult,
    parse_batch_sizes,
    study_scenario,
    timing_study,
)
from gui.i18n import core_sentence, core_text, error_text, scenario_text
from gui.tasks import BackgroundTask, connect_controls, show_status
from gui.theme import DARK, Theme, mute, ui_font
from gui.views.basins import BASIN_COLORS, DIVERGED_COLOR, NONE_COLOR, fmt_point

__all__ = ["StudyWindow", "default_batch_sizes", "end_categories", "fit_rect", "study_run_config"]

#: Colour of the training loss points, the testing loss points and of "stuck at a saddle".
TRAIN_COLOR = "#56B4E9"
TEST_COLOR = "#E69F00"
SADDLE_COLOR = "#FF6F59"
EPOCHS_COLOR = "#009E73"
#: One colour per η of the sweep (η/2, η, 2η) and per batch size (the scatter).
LR_COLORS = ("#7FB2E5", "#F0E442", "#D55E00")
B_COLORS = ("#E07A8B", "#E3BD6A", "#4FC1A6", "#7FB2E5", "#B194E8", "#F28E2B", "#9AA0A8",
            "#59A14F")
#: Colour of a verdict's status.
STATUS_COLORS = {"supported": "#4FC1A6", "not supported": "#E3BD6A", "opposite": "#FF6B6B",
                 "cannot be shown": "#9AA0A8"}
#: The window's preferred size (it is fitted into the screen's available geometry).
PREFERRED_SIZE = QSize(1500, 960)
SIZE_KEY = "study/size"
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


def fit_rect(available: QRect, wanted: QSize | None = None) -> QRect:
    """The window's rectangle: ``wanted`` (the remembered size; default
    :data:`PREFERRED_SIZE`) shrunk to fit ``available`` (QScreen.availableGeometry, leaving
    room for the frame), centred in it."""
    want = wanted if wanted is not None and wanted.isValid() else PREFERRED_SIZE
    w = max(200, min(want.width(), available.width() - 16))
    h = max(200, min(want.height(), available.height() - 40))
    x = available.x() + (available.width() - w) // 2
    y = available.y() + max(0, (available.height() - h - 30) // 2)
    return QRect(x, y, w, h)


def study_run_config(study: StudyResult, batch_size: int, seed: int) -> RunConfig:
    """The run behind one point of ``study``: its configuration with batch size B, shuffle
    seed ``seed`` and that budget's number of updates (the same θ path, bit for bit)."""
    r = next(x for x in study.results if x.batch_size == batch_size)
    c = study.config
    budget = (QCoreApplication.translate("StudyWindow", "equal updates")
              if study.budget == "updates"
              else QCoreApplication.translate("StudyWindow", "equal epochs"))
    label = QCoreApplication.translate(
        "StudyWindow", "study: B = {b}, seed {seed}, η = {lr}, {budget}").format(
            b=batch_size, seed=seed, lr=f"{c.lr:g}", budget=budget)
    return replace(c, batch_size=int(batch_size), seed=int(seed), steps=int(r.updates),
                   label=label[:80], color=None, visible=True)


def minimum_name(study: StudyResult, j: int) -> str:
    """"minimum j+1 (x, y)", with its sharpness λ_max(∇²L) when the study has it."""
    name = QCoreApplication.translate("StudyWindow", "minimum {k} {point}").format(
        k=j + 1, point=fmt_point(study.minima[j].theta))
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
    out.append((QCoreApplication.translate("StudyWindow", "stuck at a saddle point"),
                SADDLE_COLOR, float(np.mean(sad))))
    out.append((QCoreApplication.translate("StudyWindow", "elsewhere"), NONE_COLOR,
                float(np.mean((r.minimum < 0) & ~sad & ~div))))
    out.append((QCoreApplication.translate("StudyWindow", "diverged"), DIVERGED_COLOR,
                float(np.mean(div))))
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
        super().__init__(enableMenu=False)  # (no menus built: ~2.5 ms of 7 plots each)
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
        plot.setLabel("bottom", QCoreApplication.translate("StudyWindow", "batch size B"),
                      color=theme.foreground)
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.setMinimumSize(230, 220)
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

    def sizeHint(self) -> QSize:
        """Small: in the scroll area the grid's height follows the plots' size hints (a
        QGraphicsView's default of 640 × 480 made every plot twice as tall as the screen)."""
        return QSize(320, 250)

    def set_legend(self, entries: list[tuple[str, str, str]]) -> None:
        """Legend entries (colour, glyph, text), e.g. ``("#56B4E9", "●", "training loss")``."""
        # short entries never break inside; long ones wrap (a nowrap span as wide as the text
        # would make the plot, and the window, that wide)
        self.legend.setText("&nbsp;&nbsp;&nbsp; ".join(
            f"<span style='white-space:{'nowrap' if len(t) <= 40 else 'normal'}'>"
            f"<span style='color:{c}; font-size:11pt'>{g}</span>&nbsp;{html.escape(t)}</span>"
            for c, g, t in entries))
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
    #: A clicked point's run (a :class:`RunConfig`) to add to the main window.
    runRequested = Signal(object)

    def __init__(self, scenario: Scenario, run: int = 0, parent: QWidget | None = None,
                 theme: Theme = DARK, settings: QSettings | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.theme = theme
        self.settings = settings
        self.scenario = scenario
        self.result: StudyResult | None = None
        #: the studies the points come from, by key ("main", "updates", "epochs", "lr0.5", …)
        self.studies: dict[str, StudyResult] = {}
        self.timing: dict[str, Any] | None = None
        self.study_task = BackgroundTask(self)
        self.timing_task = BackgroundTask(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_study_tab(), self.tr("Batch-size study"))
        self.tabs.addTab(self._build_timing_tab(), self.tr("Time per update and per epoch"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.tabs)
        connect_controls(self.study_task, self.study_progress, self.study_status,
                         self.study_button, self.study_cancel, self._on_study_done)
        connect_controls(self.timing_task, self.timing_progress, self.timing_status,
                         self.timing_button, self.timing_cancel, self._on_timing_done)
        self.set_scenario(scenario, run)
        self.fit_screen()

    def fit_screen(self, available: QRect | None = None) -> None:
        """Size the window to the screen's available geometry (or ``available``), at most the
        remembered size."""
        if available is None:
            screen = self.screen() or QGuiApplication.primaryScreen()
            available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366,
                                                                                     768)
        wanted = None
        if self.settings is not None:
            v = self.settings.value(SIZE_KEY)
            if isinstance(v, QSize):
                wanted = v
        self.setGeometry(fit_rect(available, wanted))

    # ------------------------------------------------------------------ layout
    def _build_study_tab(self) -> QWidget:
        self.run_combo = QComboBox()
        self.run_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.run_combo.setMinimumContentsLength(16)
        self.sizes_edit = QLineEdit()
        self.sizes_edit.setToolTip(self.tr(
            "Comma-separated batch sizes, each in 1..N (“full” = N)"))
        self.sizes_edit.setMinimumWidth(110)
        self.seeds_spin = QSpinBox()
        self.seeds_spin.setRange(1, MAX_SEEDS)
        self.seeds_spin.setValue(20)
        self.seeds_spin.setToolTip(self.tr("Shuffle seeds per batch size: each seed shuffles the "
                                   "examples differently every epoch"))
        self.budget_combo = QComboBox()
        self.budget_combo.addItem(self.tr("same number of updates"), "updates")
        self.budget_combo.addItem(self.tr("same number of epochs"), "epochs")
        self.claims_check = QCheckBox(self.tr("check the lecture's claims"))
        self.claims_check.setChecked(True)
        self.claims_check.setToolTip(self.tr(
            "Also run the same batch sizes and seeds at equal epochs "
                                     "and at η/2 and 2η (about 4× the time): both budgets side "
                                     "by side, the flat minimum against B and η/B, a verdict "
                                     "per claim"))
        self.study_button = QPushButton(self.tr("Run study"))
        self.study_button.setDefault(True)
        self.study_cancel = QPushButton(self.tr("Cancel"))
        self.study_progress = QProgressBar()
        self.study_progress.setRange(0, 1000)
        self.study_progress.setTextVisible(False)
        self.study_progress.setMaximumWidth(120)
        self.study_status = QLabel()
        self.study_status.setWordWrap(True)
        self.study_button.clicked.connect(self.run_study)
        self.study_cancel.clicked.connect(self.study_task.cancel)
        self.sizes_edit.returnPressed.connect(self.run_study)

        row = QHBoxLayout()
        for text, w in ((self.tr(
            "Run"), self.run_combo), (self.tr("batch sizes B"), self.sizes_edit),
                        (self.tr("seeds per B"), self.seeds_spin),
                        (self.tr("budget"), self.budget_combo)):
            label = QLabel(text)
            label.setBuddy(w)
            row.addWidget(label)
            row.addWidget(w)
            row.addSpacing(8)
        row.addStretch(1)
        # the buttons share a line with the status: the window stays narrow (1,024 px screens)
        row2 = QHBoxLayout()
        row2.addWidget(self.claims_check)
        row2.addWidget(self.study_button)
        row2.addWidget(self.study_cancel)
        row2.addWidget(self.study_progress)
        row2.addSpacing(8)
        row2.addWidget(self.study_status, 1)

        self.study_caption = QLabel()
        self.study_caption.setWordWrap(True)
        self.loss_plot = _Plot(self.tr(
            "Final loss of every seed (bar: median)"), self.tr("loss"), self.theme)
        self.end_plot = _Plot(self.tr(
            "Where the runs end"), self.tr("share of the seeds (%)"), self.theme)
        self.sharp_plot = _Plot(self.tr("Sharpness at the end point"), "λ_max(∇²L(θ))", self.theme)
        self.budget_plot = _Plot(self.tr("Training loss by budget"),
                                 self.tr("loss L(θ)"), self.theme)
        self.flat_b_plot = _Plot(self.tr("Ending in the flat minimum"),
                                 self.tr("share of the seeds (%)"), self.theme)
        self.flat_nb_plot = _Plot(self.tr(
            "Flat minimum against η/B"), self.tr("share of the seeds (%)"), self.theme)
        self.flat_nb_plot.getPlotItem().setLabel("bottom", "η/B", color=self.theme.foreground)
        self.scatter_plot = _Plot(self.tr("Testing vs training loss"),
                                  self.tr("testing loss L(θ − s)"), self.theme)
        self.scatter_plot.getPlotItem().setLabel("bottom", self.tr("training loss L(θ)"),
                                                 color=self.theme.foreground)
        self.scatter_plot.getPlotItem().getViewBox().setMouseEnabled(x=True, y=True)
        self.scatter_plot.getPlotItem().showGrid(x=True, y=True, alpha=0.25)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        layout = ((self.loss_plot, 0, 0), (self.end_plot, 0, 1), (self.sharp_plot, 0, 2),
                  (self.scatter_plot, 0, 3), (self.budget_plot, 1, 0),
                  (self.flat_b_plot, 1, 1), (self.flat_nb_plot, 1, 2))
        for p, r, c in layout:
            p.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            grid.addWidget(p.box, r, c)
        self.click_hint = QLabel(self.tr(
            "Click a point (a batch size B and a seed) to add that run to "
                                 "the main window and watch it."))
        self.click_hint.setWordWrap(True)
        mute(self.click_hint)
        grid.addWidget(self.click_hint, 1, 3, Qt.AlignmentFlag.AlignTop)
        for c in range(4):
            grid.setColumnStretch(c, 1)
        inner = QWidget()
        inner.setLayout(grid)
        inner.setMinimumHeight(2 * 300)
        self.plots_area = QScrollArea()
        self.plots_area.setWidgetResizable(True)
        self.plots_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plots_area.setFrameShape(QFrame.Shape.NoFrame)
        self.plots_area.setWidget(inner)
        self.plots_area.setMinimumHeight(160)
        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.verdict_label.setVisible(False)
        self.table = QTableWidget(0, 0)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setMaximumHeight(120)

        tab = QWidget()
        lay = QVBoxLayout(tab)
        lay.addLayout(row)
        lay.addLayout(row2)
        lay.addWidget(self.study_caption)
        lay.addWidget(self.verdict_label)
        lay.addWidget(self.plots_area, 1)
        lay.addWidget(self.table)
        self.table.setMinimumHeight(90)
        return tab

    def _build_timing_tab(self) -> QWidget:
        tab = QWidget()
        self.t_sizes_edit = QLineEdit(TIMING_SIZES)
        self.t_sizes_edit.setMinimumWidth(200)
        self.t_examples_spin = QSpinBox()
        self.t_examples_spin.setRange(1, 1_000_000)
        self.t_examples_spin.setValue(TIMING_EXAMPLES)
        self.t_examples_spin.setSingleStep(1000)
        self.t_repeats_spin = QSpinBox()
        self.t_repeats_spin.setRange(1, 50)
        self.t_repeats_spin.setValue(5)
        self.t_repeats_spin.setToolTip(self.tr(
            "Each time is the best of up to this many measurements"))
        self.timing_button = QPushButton(self.tr("Measure"))
        self.timing_cancel = QPushButton(self.tr("Cancel"))
        self.timing_progress = QProgressBar()
        self.timing_progress.setRange(0, 1000)
        self.timing_progress.setTextVisible(False)
        self.timing_progress.setMaximumWidth(200)
        self.timing_status = QLabel()
        self.timing_status.setWordWrap(True)
        self.timing_button.clicked.connect(self.run_timing)
        self.timing_cancel.clicked.connect(self.timing_task.cancel)
        row = QHBoxLayout()
        for text, w in ((self.tr("batch sizes B"), self.t_sizes_edit),
                        (self.tr("examples N"), self.t_examples_spin),
                        (self.tr("repeats"), self.t_repeats_spin)):
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
            self.tr(
                "The lecture: with parallel hardware, the time for <b>one update</b> hardly grows "
            "with B (until B is very large), so <b>one epoch</b> — ⌈N/B⌉ updates — is faster "
            "with large batches. Without parallelism one update costs B times one example. "
            "Here a network with one hidden layer computes forward and backward passes; "
            "“parallel” hands the whole batch to NumPy as one array, “no parallel” loops over "
            "the examples one at a time."))
        intro.setWordWrap(True)
        # the two plots are built when first shown or drawn (opening the window stalled the
        # event loop 0.2–0.4 s building nine plots; issue 9 §2.2)
        self._timing_plots: tuple[_Plot, _Plot] | None = None
        self._timing_row = plots = QHBoxLayout()
        self.tabs.currentChanged.connect(
            lambda i: self._timing_plot_pair() if self.tabs.widget(i) is tab else None)
        self.timing_note = QLabel()
        self.timing_note.setWordWrap(True)
        mute(self.timing_note)
        lay = QVBoxLayout(tab)
        lay.addLayout(row)
        lay.addWidget(self.timing_status)
        lay.addWidget(intro)
        lay.addLayout(plots, 1)
        lay.addWidget(self.timing_note)
        return tab

    def _timing_plot_pair(self) -> tuple[_Plot, _Plot]:
        """The timing tab's plots (one update, one epoch), built on first use."""
        if self._timing_plots is None:
            pair = (_Plot(self.tr("Time for one update"), self.tr("seconds"), self.theme),
                    _Plot(self.tr("Time for one epoch"), self.tr("seconds"), self.theme))
            for p in pair:
                p.getPlotItem().setLogMode(x=True, y=True)
                p.getPlotItem().showGrid(x=True, y=True, alpha=0.25)
                p.getPlotItem().getViewBox().setMouseEnabled(x=True, y=True)
                self._timing_row.addWidget(p.box, 1)
            self._timing_plots = pair
        return self._timing_plots

    @property
    def update_time_plot(self) -> _Plot:
        """Time for one update against B."""
        return self._timing_plot_pair()[0]

    @property
    def epoch_time_plot(self) -> _Plot:
        """Time for one epoch against B."""
        return self._timing_plot_pair()[1]

    @staticmethod
    def _status(label: QLabel, text: str, error: bool = False) -> None:
        show_status(label, text, error)

    # ------------------------------------------------------------------ inputs
    def set_scenario(self, scenario: Scenario, run: int = 0) -> None:
        """Study run ``run`` of ``scenario`` (the inputs are reset to its defaults)."""
        self.scenario = scenario
        self.setWindowTitle(self.tr("Batch-size study — {scenario}").format(
            scenario=scenario_text(scenario, "title") or self.tr("scenario")))
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
            self._status(self.study_status, self.tr("The scenario has no runs to study."),
                         error=True)
            return
        try:
            sizes = parse_batch_sizes(self.sizes_edit.text(), s.surface.examples)
        except ValueError as err:
            self._status(self.study_status, error_text(err).removeprefix("--batch-sizes: "),
                         error=True)
            return
        seeds = int(self.seeds_spin.value())
        run = self.selected_run()
        budget = str(self.budget_combo.currentData())
        cfg = s.runs[run]
        self._status(self.study_status,
                     self.tr("Running {runs} runs ({sizes} batch sizes × {seeds} seeds) of "
                             "“{run}”…").format(runs=len(sizes) * seeds, sizes=len(sizes),
                                               seeds=seeds, run=cfg.label))

        claims = self.claims_check.isChecked()

        def job(progress, should_stop) -> StudyResult:
            if not claims:
                return study_scenario(s, sizes, seeds, run, budget=budget, progress=progress,
                                      should_stop=should_stop)
            if budget == "updates":
                return study_scenario(s, sizes, seeds, run, claims=True, progress=progress,
                                      should_stop=should_stop)
            main = study_scenario(s, sizes, seeds, run, budget=budget,
                                  progress=lambda f: progress(0.25 * f), should_stop=should_stop)
            both = study_scenario(s, sizes, seeds, run, claims=True,
                                  progress=lambda f: progress(0.25 + 0.75 * f),
                                  should_stop=should_stop)
            main.claims = both.claims
            main.seconds += both.seconds
            return main

        self.study_task.start(job)

    def _on_study_done(self, result: object) -> None:
        assert isinstance(result, StudyResult)
        self.result = result
        self.show_study(result)
        runs = len(result.results) * result.seeds
        if result.claims is not None:
            runs *= len(result.claims.studies()) + (result.claims.updates is not result)
        self._status(self.study_status, self.tr("{runs} runs in {seconds} s.").format(
            runs=runs, seconds=f"{result.seconds:.2f}"))
        self.studyFinished.emit(result)

    def show_study(self, study: StudyResult) -> None:
        """Draw a study's results (plots and table)."""
        c = study.config
        info = OPTIMIZERS[c.optimizer]
        hyper = ", ".join(f"{info.symbol(k)} = {v:g}"
                          for k, v in c.params.items() if not isinstance(v, bool))
        budget = (self.tr("every B makes the same number of updates")
                  if study.budget == "updates"
                  else self.tr("every B trains for the same number of epochs"))
        self.study_caption.setText(self.tr(
            "Run “{run}” ({optimizer}, {hyper}) from θ⁰ = ({x}, {y}), N = {n} examples, "
            "{seeds} shuffle seeds per batch size; {budget}. A run ends in a minimum or at a "
            "saddle point when its final θ is within {radius} of it.").format(
                run=html.escape(c.label), optimizer=c.optimizer, hyper=hyper,
                x=f"{c.start[0]:g}", y=f"{c.start[1]:g}", n=study.n, seeds=study.seeds,
                budget=budget, radius=f"{study.radius:.2g}"))
        labels = [f"{r.batch_size}" for r in study.results]
        self.studies = {"main": study}
        c = study.claims
        if c is not None:
            self.studies["updates"] = c.updates
            self.studies["epochs"] = c.epochs
            for f, st in c.lr:
                self.studies[f"lr{f:g}"] = st
        self._plot_losses(study, labels)
        self._plot_ends(study, labels)
        self._plot_sharpness(study, labels)
        self._plot_scatter(study)
        self._plot_budgets(c, labels)
        self._plot_flat(c, labels)
        self._show_verdicts(c)
        self._fill_table(study)

    # ------------------------------------------------------------ clicked points
    def _points(self, plot: _Plot, x: np.ndarray, y: np.ndarray, color: str | QColor,
                keys: list[tuple[str, int, int]], symbol: str = "o",
                size: float = 7) -> pg.ScatterPlotItem:
        """Clickable points; each carries (study key, B, seed)."""
        data = np.empty(len(keys), dtype=object)
        data[:] = keys
        item = pg.ScatterPlotItem(x=np.asarray(x, float), y=np.asarray(y, float), data=data,
                                  pen=None, brush=pg.mkBrush(color), size=size, symbol=symbol,
                                  hoverable=True, hoverSize=size + 4, tip=None)
        item.sigClicked.connect(self._on_points_clicked)
        plot.addItem(item)
        return item

    def _on_points_clicked(self, _item: object, points: Any, _ev: object = None) -> None:
        if points is None or len(points) == 0:
            return
        key, b, seed = points[0].data()
        self.open_run(str(key), int(b), int(seed))

    def open_run(self, key: str, batch_size: int, seed: int) -> RunConfig | None:
        """Emit :attr:`runRequested` with the run behind a point: study ``key`` ("main",
        "updates", "epochs", "lr0.5", …), batch size B and shuffle seed."""
        study = self.studies.get(key)
        if study is None:
            return None
        cfg = study_run_config(study, batch_size, seed)
        self.runRequested.emit(cfg)
        self._status(self.study_status, self.tr(
            "Added “{run}” ({steps} updates) to the main window.").format(
                run=html.escape(cfg.label), steps=cfg.steps))
        return cfg

    def _plot_losses(self, study: StudyResult, labels: list[str]) -> None:
        p = self.loss_plot
        p.clear_plot()
        series = [(self.tr("training loss L(θ)"), TRAIN_COLOR, "train")]
        if study.test_shift is not None:
            series.append((self.tr("testing loss L(θ − s), s = ({sx}, {sy})").format(
                sx=f"{study.test_shift[0]:g}", sy=f"{study.test_shift[1]:g}"), TEST_COLOR,
                "test"))
        legend: list[tuple[str, str, str]] = []
        side = 0.18 if len(series) == 2 else 0.0
        width = 0.12 if len(series) == 2 else 0.25
        for n, (name, color, which) in enumerate(series):
            xs, ys, mx, my = [], [], [], []
            keys: list[tuple[str, int, int]] = []
            dx = (n - (len(series) - 1) / 2) * 2 * side
            for k, r in enumerate(study.results):
                v = r.final_loss if which == "train" else r.test_loss
                if v is None:
                    continue
                ok = np.isfinite(v)
                v = v[ok]
                if not len(v):
                    continue
                xs.append(k + dx + _jitter(len(v), 7 * k + n, width))
                ys.append(v)
                keys += [("main", r.batch_size, int(sd)) for sd in r.seeds[ok]]
                med = float(np.median(v))
                mx += [k + dx - width - 0.05, k + dx + width + 0.05]
                my += [med, med]
            if not xs:
                continue
            self._points(p, np.concatenate(xs), np.concatenate(ys), _alpha(color, 0.6), keys,
                         size=6)
            med_item = pg.PlotDataItem(np.array(mx), np.array(my), connect="pairs",
                                       pen=pg.mkPen(color, width=3.5))
            p.addItem(med_item)
            legend.append((color, "●", name))
        legend.append(("#9AA0A8", "━", self.tr("median")))
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
        keys: list[tuple[str, int, int]] = []
        for k, r in enumerate(study.results):
            ok = np.isfinite(r.sharpness)
            v = r.sharpness[ok]
            if not len(v):
                continue
            keys += [("main", r.batch_size, int(sd)) for sd in r.seeds[ok]]
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
            # in log mode the item's data are log₁₀ λ (a ScatterPlotItem is not transformed)
            self._points(p, np.concatenate(xs), np.log10(values) if log else values,
                         _alpha("#CC79A7", 0.65), keys, size=6)
            p.addItem(pg.PlotDataItem(np.array(mx), np.array(my), connect="pairs",
                                      pen=pg.mkPen("#CC79A7", width=3.5)))
            p.set_legend([("#CC79A7", "●", self.tr(
                "largest Hessian eigenvalue at the end point θ")),
                          ("#CC79A7", "━", self.tr("median"))]
                         + ([(self.theme.muted, "", self.tr("(log scale)"))] if log else []))
        p.set_categories(labels)
        p.getPlotItem().enableAutoRange(axis="y")

    def _plot_scatter(self, study: StudyResult) -> None:
        """Testing against training loss of every end point (equal updates), coloured by B."""
        p = self.scatter_plot
        p.clear_plot()
        if study.test_shift is None:
            p.set_legend([(self.theme.muted, "", self.tr("The scenario has no testing loss (no "
                           "test_shift in its [view]): nothing to draw."))])
            return
        legend: list[tuple[str, str, str]] = []
        lo, hi = np.inf, -np.inf
        for k, r in enumerate(study.results):
            if r.test_loss is None:
                continue
            ok = np.isfinite(r.final_loss) & np.isfinite(r.test_loss)
            if not ok.any():
                continue
            color = B_COLORS[k % len(B_COLORS)]
            x, y = r.final_loss[ok], r.test_loss[ok]
            lo, hi = min(lo, x.min(), y.min()), max(hi, x.max(), y.max())
            self._points(p, x, y, _alpha(color, 0.75),
                         [("main", r.batch_size, int(sd)) for sd in r.seeds[ok]], size=8)
            legend.append((color, "●", f"B = {r.batch_size}"))
        if np.isfinite(lo):
            p.addItem(pg.PlotDataItem([lo, hi], [lo, hi], pen=pg.mkPen(
                self.theme.muted, width=1, style=Qt.PenStyle.DashLine)))
            legend.append((self.theme.muted, "╌", self.tr("testing = training")))
        p.set_legend(legend)
        p.getPlotItem().enableAutoRange()

    def _plot_budgets(self, c: Claims | None, labels: list[str]) -> None:
        """Final training loss at equal updates (left) and equal epochs (right) per B."""
        p = self.budget_plot
        p.clear_plot()
        if c is None:
            p.set_legend([(self.theme.muted, "", self.tr(
                "Tick “check the lecture's claims” to compare "
                           "both budgets."))])
            return
        legend: list[tuple[str, str, str]] = []
        for n, (key, st, color, symbol) in enumerate((
                ("updates", c.updates, TRAIN_COLOR, "o"),
                ("epochs", c.epochs, EPOCHS_COLOR, "t"))):
            dx = -0.2 if n == 0 else 0.2
            xs, ys, mx, my = [], [], [], []
            keys: list[tuple[str, int, int]] = []
            for k, r in enumerate(st.results):
                ok = np.isfinite(r.final_loss)
                if not ok.any():
                    continue
                xs.append(k + dx + _jitter(int(ok.sum()), 13 * k + n, 0.12))
                ys.append(r.final_loss[ok])
                keys += [(key, r.batch_size, int(sd)) for sd in r.seeds[ok]]
                med = float(np.median(r.final_loss[ok]))
                mx += [k + dx - 0.17, k + dx + 0.17]
                my += [med, med]
            if xs:
                self._points(p, np.concatenate(xs), np.concatenate(ys), _alpha(color, 0.6),
                             keys, symbol=symbol, size=6)
                p.addItem(pg.PlotDataItem(np.array(mx), np.array(my), connect="pairs",
                                          pen=pg.mkPen(color, width=3.5)))
            ups = [r.updates for r in st.results]
            if key == "updates":
                text = self.tr("equal updates (T = {T} for every B)").format(T=ups[0])
            else:
                text = self.tr("equal epochs ({epochs}: {updates} updates)").format(
                    epochs=f"{st.results[0].epochs:g}",
                    updates=", ".join(f"B = {r.batch_size}: {r.updates}" for r in st.results))
            legend.append((color, "●" if symbol == "o" else "▲", text))
        legend.append(("#9AA0A8", "━", self.tr("median")))
        p.set_legend(legend)
        p.set_categories(labels)
        p.getPlotItem().enableAutoRange(axis="y")

    def _plot_flat(self, c: Claims | None, labels: list[str]) -> None:
        """The share of the seeds ending in the flat minimum against B and against η/B."""
        pb, pn = self.flat_b_plot, self.flat_nb_plot
        pb.clear_plot()
        pn.clear_plot()
        pn.getPlotItem().setLogMode(x=False, y=False)
        if c is None:
            pb.set_legend([(self.theme.muted, "", self.tr(
                "Tick “check the lecture's claims” to draw "
                            "this."))])
            return
        if not c.has_choice or c.flat is None or c.sharp is None:
            reason = core_sentence(c.no_choice_reason())
            pb.set_legend([(self.theme.muted, "", self.tr(
                "Nothing to draw: {reason}.").format(reason=reason))])
            pn.set_legend([(self.theme.muted, "", self.tr("Nothing to draw (see the left)."))])
            pb.set_categories(labels)
            return
        x = np.arange(len(labels), dtype=float)
        legend: list[tuple[str, str, str]] = []
        all_nb: list[float] = []
        for i, (f, st) in enumerate(c.lr):
            color = LR_COLORS[i % len(LR_COLORS)]
            flat = 100.0 * c.fraction_flat(st)
            pb.addItem(pg.PlotDataItem(x, flat, pen=pg.mkPen(color, width=2), symbol="o",
                                       symbolSize=8, symbolBrush=color, symbolPen=None))
            nb = np.array([st.config.lr / r.batch_size for r in st.results])
            all_nb += nb.tolist()
            order = np.argsort(nb)
            pn.addItem(pg.PlotDataItem(nb[order], flat[order], pen=pg.mkPen(color, width=2),
                                       symbol="o", symbolSize=8, symbolBrush=color,
                                       symbolPen=None))
            legend.append((color, "━●", (self.tr("η = {lr} (the run's), equal updates")
                                         if f == 1.0 else
                                         self.tr("η = {lr}, equal updates")).format(
                                             lr=f"{st.config.lr:g}")))
        flat_e = 100.0 * c.fraction_flat(c.epochs)
        pb.addItem(pg.PlotDataItem(x, flat_e, pen=pg.mkPen(EPOCHS_COLOR, width=2,
                                                           style=Qt.PenStyle.DashLine),
                                   symbol="t", symbolSize=8, symbolBrush=EPOCHS_COLOR,
                                   symbolPen=None))
        assert c.flat_sharpness is not None and c.sharp_sharpness is not None
        info = self.tr("flat minimum {flat} (λ_max = {lf}; the sharp one: {sharp}, λ_max = "
                       "{ls})").format(flat=fmt_point(c.flat), lf=_fmt(c.flat_sharpness, 3),
                                      sharp=fmt_point(c.sharp), ls=_fmt(c.sharp_sharpness, 3))
        pb.set_legend([*legend, (EPOCHS_COLOR, "╌▲", self.tr("η = {lr}, equal epochs").format(
            lr=f"{c.updates.config.lr:g}")), (self.theme.muted, "", info)])
        pn.set_legend([*legend, (self.theme.muted, "", self.tr("(log scale)"))])
        pb.set_categories(labels)
        for p in (pb, pn):
            p.getPlotItem().setYRange(0, 100, padding=0.04)
        item = pn.getPlotItem()
        item.setLogMode(x=True, y=False)
        item.getAxis("bottom").setTicks(_decade_ticks(np.array(all_nb), _plain))
        item.enableAutoRange(axis="x")

    def _show_verdicts(self, c: Claims | None) -> None:
        """One line per claim, computed from the numbers (:func:`core.study._verdicts`)."""
        if c is None:
            self.verdict_label.setVisible(False)
            self.verdict_label.clear()
            return
        lines = []
        for v in c.verdicts:
            color = STATUS_COLORS.get(v.status, self.theme.foreground)
            lines.append(f"<span style='color:{color}'>●</span> "
                         f"<b>{html.escape(core_text(v.claim))}</b>"
                         f" — <b style='color:{color}'>{html.escape(core_text(v.status))}</b>: "
                         f"{html.escape(core_sentence(v.sentence))}")
        head = self.tr("<b>The lecture's claims, checked on these numbers</b> (smallest "
                       "against largest B; the flat minimum is the one with the smallest "
                       "λ_max among those the runs end in):")
        self.verdict_label.setText(head + "<br>" + "<br>".join(lines))
        self.verdict_label.setVisible(True)

    def _fill_table(self, study: StudyResult) -> None:
        mins = [self.tr("in min {k}").format(k=j + 1)
                + (f" (λ_max {_fmt(study.minima_sharpness[j], 3)})"
                   if j < len(study.minima_sharpness) else "")
                for j in shown_minima(study)]
        head = ["B", self.tr("updates"), self.tr("epochs"), self.tr("median loss"),
                self.tr("loss min … max")]
        if study.test_shift is not None:
            head += [self.tr("median test loss"), self.tr("median rise")]
        head += [*mins, self.tr("at a saddle"), self.tr("elsewhere"), self.tr("diverged"),
                 self.tr("median sharpness")]
        c = study.claims
        if c is not None:
            head += [self.tr("in the flat min"), self.tr("equal epochs: updates"),
                     self.tr("equal epochs: median loss"), self.tr("equal epochs: in the flat min")]
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
            if c is not None:
                e = c.epochs.results[row]
                flat = c.fraction_flat(study)[row] if c.has_choice else None
                flat_e = c.fraction_flat(c.epochs)[row] if c.has_choice else None
                ef = e.final_loss[np.isfinite(e.final_loss)]
                values += ["—" if flat is None else f"{100 * flat:.0f} %", str(e.updates),
                           _fmt(float(np.median(ef)) if len(ef) else None),
                           "—" if flat_e is None else f"{100 * flat_e:.0f} %"]
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(row, col, item)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.resizeRowsToContents()
        height = t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth() + sum(
            t.rowHeight(r) for r in range(t.rowCount()))
        t.setMaximumHeight(min(height + 2, 260))
        # every row stays visible (up to 6): the plots above scroll instead
        t.setMinimumHeight(min(height + 2 + t.horizontalScrollBar().sizeHint().height(), 200))

    # -------------------------------------------------------------- the timing
    def run_timing(self) -> None:
        """Measure one update and one epoch against B (off the GUI thread)."""
        n = int(self.t_examples_spin.value())
        try:
            sizes = parse_batch_sizes(self.t_sizes_edit.text(), n)
        except ValueError as err:
            self._status(self.timing_status, error_text(err).removeprefix("--batch-sizes: "),
                         error=True)
            return
        repeats = int(self.t_repeats_spin.value())
        self._status(self.timing_status, self.tr("Measuring…"))

        def job(progress, should_stop) -> dict[str, Any]:
            return timing_study(sizes, n_examples=n, repeats=repeats, progress=progress,
                                should_stop=should_stop)

        self.timing_task.start(job)

    def _on_timing_done(self, result: object) -> None:
        assert isinstance(result, dict)
        self.timing = result
        self.show_timing(result)
        self._status(self.timing_status, self.tr("Measured in {seconds} s.").format(
            seconds=f"{self.timing_task.seconds:.2f}"))
        self.timingFinished.emit(result)

    def show_timing(self, t: dict[str, Any]) -> None:
        """Draw timing figures (the dict of :func:`core.study.timing_study`)."""
        b = np.asarray(t["batch_sizes"], dtype=float)
        series = ((self.tr("parallel (whole batch at once)"), "parallel", TRAIN_COLOR,
                   Qt.PenStyle.SolidLine, "o", "━●"),
                  (self.tr("no parallel (one example at a time)"), "no_parallel", TEST_COLOR,
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
            item.setLabel("bottom", self.tr("batch size B"))
            item.setLabel("left", self.tr("time"))
            item.getAxis("bottom").setTicks(_decade_ticks(b, _count))
            item.getAxis("left").setTicks(_decade_ticks(np.concatenate(ys), _secs))
            item.enableAutoRange()
            plot.set_legend([(c, g, n) for n, _, c, _, _, g in series])
        par, seq = t["parallel"], t["no_parallel"]
        first, last = int(b[0]), int(b[-1])
        self.timing_note.setText(self.tr(
            "Measured on this computer just now — your numbers will differ. Model: {model}; "
            "N = {n} examples. From B = {first} to B = {last}: one update (parallel) {u0} → "
            "{u1}, one epoch (parallel) {e0} → {e1}; no parallel: one update {s0} → {s1}. "
            "({note}.)").format(
                model=html.escape(str(t["model"])), n=t["n_examples"], first=first, last=last,
                u0=_secs(par["update_s"][0]), u1=_secs(par["update_s"][-1]),
                e0=_secs(par["epoch_s"][0]), e1=_secs(par["epoch_s"][-1]),
                s0=_secs(seq["update_s"][0]), s1=_secs(seq["update_s"][-1]),
                note=html.escape(str(t["note"]))))

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        """Abandon both computations at once (their threads stop at the next check; closing
        never waits for them: a large study blocked the window 53 s)."""
        if self.settings is not None:
            self.settings.setValue(SIZE_KEY, self.size())
        for task, status in ((self.study_task, self.study_status),
                             (self.timing_task, self.timing_status)):
            if task.running:
                task.abandon()
                self._status(status, self.tr("Cancelled (the window was closed)."))
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

"""Tools → Real network: small vs large batches — a real network trained in a window.

The computation is :func:`core.netcli.compare` (the ``network`` command's): the digits
network d₀ → hidden → 10 trained from the same θ⁰ per seed with every batch size B, until the
training loss L(θ) ≤ a target, for a number of epochs or of updates (optionally the same
number of updates for every B, Hoffer et al. 2017). It runs off the GUI thread with a progress
bar that says what runs, and Cancel; closing the window abandons it.

Four tabs show the result:

* **Results** — a plain-language verdict computed from the numbers (does λ_max rise with B,
  are small batches better on the test set as the lecture says), a table per batch size and
  seed and per batch size the mean ± 95 % confidence interval (Student t over the seeds);
* **Along the line** — Keskar et al.'s Figure 3: L and accuracy, training and test, along
  θ(α) = (1 − α)·θ_SB + α·θ_LB, α ∈ [−0.5, 1.5] (seed 0);
* **Sharpness during training** — λ_max(∇²L(θᵗ)) every K updates against the edge of
  stability 2/η (heavy ball: (2 + 2λ)/η);
* **Path on a plane** — the loss over a 2-D plane through parameter space (Li et al. 2018,
  :mod:`core.netplane`) in the app's contour and 3D views, the runs' paths projected onto
  it, animated and stepped with an inspector.

Notation of the lecture: θ parameters, g gradient, m movement, λ momentum, η learning rate,
B batch size.
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.netcli import (
    Comparison,
    compare,
    mean_ci,
    stability_threshold,
    stability_verdict,
    stop_text,
    verdict_texts,
)
from core.netplane import PathData, batch_text, compute_paths, path_point
from core.netsettings import TABS, NetworkSettings
from core.optim import OPTIMIZERS
from core.texts import Text
from gui.export.network import CAPTION_3D, PlaneSpec, draw_plane, plane_styles
from gui.i18n import core_sentence, error_text
from gui.tasks import BackgroundTask, connect_controls, show_status
from gui.theme import DARK, RUN_COLORS, Theme, mute, style_axes
from gui.views.contour import ContourView
from gui.views.surface3d import SurfaceView3D

__all__ = ["NetworkWindow"]

#: Interval between two animation frames of the path (ms).
FRAME_MS = 60
TRAIN_COLOR = "#56B4E9"
TEST_COLOR = "#E69F00"
EDGE_COLOR = "#FF6F59"


def _f(v: float | None, spec: str = ".4g") -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return format(v, spec).replace("-", "−")


def _pm(c: dict[str, float | None], spec: str) -> str:
    return mean_ci(c, lambda x: _f(x, spec))


class _Plot(pg.PlotWidget):
    """A themed line plot with its legend as a line of text under it (never over the data)."""

    def __init__(self, title: str, x_label: str, y_label: str, theme: Theme) -> None:
        super().__init__(enableMenu=False)  # (no menus built)
        item = self.getPlotItem()
        item.hideButtons()
        item.setMenuEnabled(False)
        item.showGrid(x=True, y=True, alpha=0.2)
        self.setBackground(theme.background)
        item.setTitle(f"<span style='color:{theme.foreground}; font-size:10pt'>"
                      f"{html.escape(title)}</span>")
        style_axes(item, theme, x_label, y_label, label_pt=9.5)
        item.getAxis("left").enableAutoSIPrefix(False)
        item.getAxis("bottom").enableAutoSIPrefix(False)
        self.setMinimumSize(240, 200)
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
        """(colour, glyph, text) entries."""
        self.legend.setText("&nbsp;&nbsp; ".join(
            f"<span style='white-space:nowrap'><span style='color:{c}'>{g}</span>&nbsp;"
            f"{html.escape(t)}</span>" for c, g, t in entries))


def _table() -> QTableWidget:
    t = QTableWidget(0, 0)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    return t


def _fill(t: QTableWidget, head: list[str], rows: list[list[str]], most: int = 400) -> None:
    t.clear()
    t.setColumnCount(len(head))
    t.setHorizontalHeaderLabels(head)
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            item = QTableWidgetItem(v)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            t.setItem(r, c, item)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.resizeRowsToContents()
    height = t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth() + sum(
        t.rowHeight(r) for r in range(t.rowCount()))
    extra = t.horizontalScrollBar().sizeHint().height()
    t.setMinimumHeight(min(height + extra + 2, most))
    t.setMaximumHeight(height + extra + 2)


def batch_name(b: int, n: int) -> str:
    """"full batch" for B = N, else "B = b" (legends, tables), in the window's language."""
    return core_sentence(batch_text(b, n))


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


class NetworkWindow(QWidget):
    """The real network: small against large batches (see the module docstring).

    Signals: ``comparisonFinished(Comparison)``, ``pathsFinished(PathData)``. The inputs are
    public attributes so lessons and tests can set them; :meth:`set_settings` fills them all,
    :meth:`settings` reads them back (ValueError for bad input).
    """

    comparisonFinished = Signal(object)
    pathsFinished = Signal(object)

    def __init__(self, settings: NetworkSettings | None = None, parent: QWidget | None = None,
                 theme: Theme = DARK) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Real network: small vs large batches"))
        self.theme = theme
        self.result: Comparison | None = None
        self.paths: PathData | None = None
        self._export_dialog: QWidget | None = None
        self.lesson_title = ""
        self.task = BackgroundTask(self)
        self.path_task = BackgroundTask(self)
        self._text: dict[str, Any] = {"run": Text(""), "path": ""}
        self._k = 0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._tick)

        form = self._build_form()
        self.tabs = QTabWidget()
        self.tabs.addTab(_scroll(self._build_results()), self.tr("Results"))
        self.tabs.addTab(self._build_line(), self.tr("Along the line (Keskar Fig. 3)"))
        self.tabs.addTab(self._build_sharpness(), self.tr("Sharpness during training"))
        self.tabs.addTab(self._build_plane(), self.tr("Path on a plane"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(form)
        lay.addWidget(self.tabs, 1)
        connect_controls(self.task, self.progress, self.status, self.run_button,
                         self.cancel_button, self._on_done,
                         lambda: core_sentence(self._text["run"]))
        connect_controls(self.path_task, self.path_progress, self.path_status,
                         self.plane_button, self.path_cancel, self._on_paths,
                         lambda: self._text["path"])
        self.set_settings(settings or NetworkSettings())
        self._fit_screen()

    # ------------------------------------------------------------------ layout
    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 800)
            return
        g = screen.availableGeometry()
        self.resize(min(1560, g.width() - 24), min(980, g.height() - 48))

    def _build_form(self) -> QWidget:
        self.hidden_edit = QLineEdit()
        self.hidden_edit.setToolTip(self.tr(
            "Hidden layer sizes, e.g. 32 or 64,32 (inputs 64, outputs 10)"))
        self.hidden_edit.setMaximumWidth(90)
        self.activation_combo = QComboBox()
        self.activation_combo.addItems(["tanh", "relu"])
        self.loss_combo = QComboBox()
        self.loss_combo.addItem(self.tr("cross-entropy"), "cross_entropy")
        self.loss_combo.addItem(self.tr("squared error (mse)"), "mse")
        self.optimizer_combo = QComboBox()
        for name in OPTIMIZERS:
            self.optimizer_combo.addItem(name, name)
        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(4)
        self.lr_spin.setRange(1e-4, 10.0)
        self.lr_spin.setSingleStep(0.01)
        self.momentum_spin = QDoubleSpinBox()
        self.momentum_spin.setDecimals(3)
        self.momentum_spin.setRange(0.0, 0.999)
        self.momentum_spin.setSingleStep(0.05)
        self.sizes_edit = QLineEdit()
        self.sizes_edit.setToolTip(self.tr("Comma-separated batch sizes B, each in 1..N; full = N"))
        self.sizes_edit.setMinimumWidth(110)
        self.seeds_spin = QSpinBox()
        self.seeds_spin.setRange(1, 100)
        self.seeds_spin.setToolTip(self.tr(
            "Seeds per batch size: seed s draws θ⁰ (the same for every "
                                   "B) and shuffles the batches"))
        self.stop_combo = QComboBox()
        self.stop_combo.addItem(self.tr("until training loss ≤"), "until_loss")
        self.stop_combo.addItem(self.tr("epochs"), "epochs")
        self.stop_combo.addItem(self.tr("updates"), "updates")
        self.stop_spin = QDoubleSpinBox()
        self.stop_spin.setDecimals(4)
        self.stop_spin.setRange(1e-4, 1e6)
        self.max_epochs_spin = QSpinBox()
        self.max_epochs_spin.setRange(1, 100_000)
        self.max_epochs_spin.setToolTip(self.tr(
            "Most epochs of a run that trains until the loss target"))
        self.same_check = QCheckBox(self.tr("same updates for every B"))
        self.same_check.setToolTip(self.tr(
            "Every larger batch makes as many updates as the smallest "
                                   "batch made with the same seed (Hoffer et al. 2017)"))
        self.sharp_spin = QSpinBox()
        self.sharp_spin.setRange(0, 100_000)
        self.sharp_spin.setSpecialValueText(self.tr("off"))
        self.sharp_spin.setToolTip(self.tr("Record λ_max(∇²L(θᵗ)) every K updates (0: off)"))
        self.path_spin = QSpinBox()
        self.path_spin.setRange(1, 100_000)
        self.path_spin.setToolTip(self.tr("Keep θᵗ every K updates for the path on a plane"))
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(260)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.task.cancel)
        self.stop_combo.currentIndexChanged.connect(self._stop_changed)
        self.optimizer_combo.currentIndexChanged.connect(self._optimizer_changed)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)

        def put(row: int, items: list[tuple[str, QWidget]]) -> None:
            line = QHBoxLayout()
            line.setSpacing(4)
            for text, w in items:
                if text:
                    label = QLabel(text)
                    label.setBuddy(w)
                    line.addWidget(label)
                line.addWidget(w)
                line.addSpacing(8)
            line.addStretch(1)
            grid.addLayout(line, row, 0)

        put(0, [(self.tr("hidden"), self.hidden_edit), ("σ", self.activation_combo),
                (self.tr("loss"), self.loss_combo), (self.tr("optimizer"), self.optimizer_combo),
                ("η", self.lr_spin), ("λ", self.momentum_spin),
                (self.tr("batch sizes B"), self.sizes_edit), (self.tr("seeds"), self.seeds_spin)])
        put(1, [(self.tr("stop"), self.stop_combo), ("", self.stop_spin),
                (self.tr("max epochs"), self.max_epochs_spin), ("", self.same_check),
                (self.tr(
                    "λ_max every K"), self.sharp_spin), (self.tr("θ every K"), self.path_spin)])
        run = QHBoxLayout()
        run.addWidget(self.run_button)
        run.addWidget(self.cancel_button)
        run.addWidget(self.progress, 1)
        grid.addLayout(run, 2, 0)
        grid.addWidget(self.status, 3, 0)
        box = QWidget()
        box.setLayout(grid)
        return box

    def _build_results(self) -> QWidget:
        self.lesson_label = QLabel()
        self.lesson_label.setWordWrap(True)
        self.lesson_label.setTextFormat(Qt.TextFormat.RichText)
        self.lesson_label.setVisible(False)
        self.verdict_label = QLabel(self.tr("Press Run: every batch size and seed is trained and "
                                    "measured here, on this computer."))
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        mute(self.caption)
        self.summary_table = _table()
        self.runs_table = _table()
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(self.lesson_label)
        lay.addWidget(self.verdict_label)
        lay.addWidget(self.caption)
        lay.addWidget(QLabel(self.tr(
            "<b>Per batch size</b> (mean ± 95 % confidence interval over the "
                             "seeds, Student t)")))
        lay.addWidget(self.summary_table)
        lay.addWidget(QLabel(self.tr("<b>Every run</b> (measured at its end point θ)")))
        lay.addWidget(self.runs_table)
        lay.addStretch(1)
        return w

    def _build_line(self) -> QWidget:
        self.line_caption = QLabel()
        self.line_caption.setWordWrap(True)
        self.line_loss = _Plot(self.tr("Loss along the line"), "α", self.tr("loss L"), self.theme)
        self.line_acc = _Plot(self.tr(
            "Accuracy along the line"), "α", self.tr("accuracy"), self.theme)
        plots = QHBoxLayout()
        plots.addWidget(self.line_loss.box, 1)
        plots.addWidget(self.line_acc.box, 1)
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(self.line_caption)
        lay.addLayout(plots, 1)
        return w

    def _build_sharpness(self) -> QWidget:
        self.sharp_caption = QLabel(self.tr(
            "Set “λ_max every K” to a number of updates K and press "
                                    "Run to record the sharpness during training."))
        self.sharp_caption.setWordWrap(True)
        self.sharp_plot = _Plot(self.tr("Sharpness during training"), self.tr("update t"),
                                "λ_max(∇²L(θᵗ))", self.theme)
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(self.sharp_caption)
        lay.addWidget(self.sharp_plot.box, 1)
        return w

    def _build_plane(self) -> QWidget:
        self.plane_combo = QComboBox()
        self.plane_combo.addItem(self.tr("PCA of the run's path, through its end point"), "pca")
        self.plane_combo.addItem(self.tr("through θ⁰ and the smallest and largest B's end "
                                         "points"), "endpoints")
        self.ref_combo = QComboBox()
        self.ref_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.ref_combo.setToolTip(self.tr("The run that defines the plane (PCA: its path; end "
                                          "points: its seed's θ⁰)"))
        self.runs_combo = QComboBox()
        self.runs_combo.addItem(self.tr("every B of the run's seed"), "seed")
        self.runs_combo.addItem(self.tr("every run (all B × seeds)"), "all")
        self.runs_combo.setToolTip(self.tr("Which runs are projected onto the plane; the colour "
                                           "of a path is its batch size B"))
        self.grid_spin = QSpinBox()
        self.grid_spin.setRange(11, 101)
        self.grid_spin.setValue(31)
        self.grid_spin.setToolTip(self.tr("Grid points per side: the loss is evaluated grid² "
                                          "times"))
        self.plane_button = QPushButton(self.tr("Draw the plane"))
        self.path_cancel = QPushButton(self.tr("Cancel"))
        self.path_progress = QProgressBar()
        self.path_progress.setRange(0, 1000)
        self.path_progress.setTextVisible(True)
        self.path_progress.setMinimumWidth(120)
        self.path_status = QLabel()
        self.path_status.setWordWrap(True)
        self.plane_button.clicked.connect(self.compute_plane)
        self.path_cancel.clicked.connect(self.path_task.cancel)
        top = QHBoxLayout()
        for text, wdg in ((self.tr("plane"), self.plane_combo), (self.tr("run"), self.ref_combo),
                          (self.tr("draw"), self.runs_combo), (self.tr("grid"), self.grid_spin)):
            label = QLabel(text)
            label.setBuddy(wdg)
            top.addWidget(label)
            top.addWidget(wdg)
        top.addWidget(self.plane_button)
        top.addWidget(self.path_cancel)
        top.addWidget(self.path_progress, 1)
        self.plane_caption = QLabel(self.tr("Run the comparison, then draw the plane."))
        self.plane_caption.setWordWrap(True)
        self.plane_legend = QLabel()
        self.plane_legend.setTextFormat(Qt.TextFormat.RichText)
        self.contour = ContourView(theme=self.theme)
        self.surface = SurfaceView3D(theme=self.theme)
        self.contour.setMinimumSize(280, 220)
        self.surface.setMinimumSize(280, 220)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.contour)
        split.addWidget(self.surface)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 480])
        self.back_button = QPushButton("◀")
        self.back_button.setToolTip(self.tr("Step back"))
        self.play_button = QPushButton(self.tr("Play"))
        self.step_button = QPushButton("▶")
        self.step_button.setToolTip(self.tr("Step forward"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.inspect_combo = QComboBox()
        self.inspect_combo.setToolTip(self.tr("The run the inspector shows (drawn in full "
                                              "colour)"))
        self.inspect_combo.setMinimumContentsLength(18)
        self.back_button.clicked.connect(lambda: self.set_step(self._k - 1))
        self.step_button.clicked.connect(lambda: self.set_step(self._k + 1))
        self.play_button.clicked.connect(self.toggle_play)
        self.slider.valueChanged.connect(self.set_step)
        self.inspect_combo.currentIndexChanged.connect(self.select_run)
        play = QHBoxLayout()
        for b in (self.back_button, self.play_button, self.step_button):
            play.addWidget(b)
        play.addWidget(self.slider, 1)
        inspect_label = QLabel(self.tr("inspect"))
        inspect_label.setBuddy(self.inspect_combo)
        play.addWidget(inspect_label)
        play.addWidget(self.inspect_combo)
        self.export_button = QPushButton(self.tr("Export animation…"))
        self.export_button.setToolTip(self.tr("The plane view as MP4, GIF or PNG frames, as a "
                                              "scenario is exported"))
        self.export_button.clicked.connect(self.open_export_dialog)
        play.addWidget(self.export_button)
        self.inspector = QLabel()
        self.inspector.setWordWrap(True)
        self.inspector.setTextFormat(Qt.TextFormat.RichText)
        self.inspector.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for wdg in (self.back_button, self.play_button, self.step_button, self.slider,
                    self.inspect_combo, self.export_button):
            wdg.setEnabled(False)
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addLayout(top)
        lay.addWidget(self.path_status)
        lay.addWidget(self.plane_caption)
        lay.addWidget(self.plane_legend)
        lay.addWidget(split, 1)
        lay.addLayout(play)
        lay.addWidget(self.inspector)
        return w

    @staticmethod
    def _status(label: QLabel, text: str, error: bool = False) -> None:
        show_status(label, text, error)

    # ------------------------------------------------------------------ inputs
    def _stop_changed(self) -> None:
        until = self.stop_combo.currentData() == "until_loss"
        self.max_epochs_spin.setEnabled(until)
        self.stop_spin.setDecimals(4 if until else 0)

    def _optimizer_changed(self) -> None:
        info = OPTIMIZERS[str(self.optimizer_combo.currentData())]
        self.momentum_spin.setEnabled(any(p.name == "momentum" for p in info.params))

    def set_settings(self, s: NetworkSettings) -> None:
        """Fill the inputs from ``s``."""
        self.hidden_edit.setText(s.hidden)
        self.activation_combo.setCurrentText(s.activation)
        self.loss_combo.setCurrentIndex(max(0, self.loss_combo.findData(s.loss)))
        self.optimizer_combo.setCurrentIndex(max(0, self.optimizer_combo.findData(s.optimizer)))
        self.lr_spin.setValue(s.lr)
        self.momentum_spin.setValue(0.0 if s.momentum is None else s.momentum)
        self.sizes_edit.setText(s.batch_sizes)
        self.seeds_spin.setValue(s.seeds)
        self.stop_combo.setCurrentIndex(max(0, self.stop_combo.findData(s.stop)))
        self._stop_changed()
        self.stop_spin.setValue(s.stop_value)
        self.max_epochs_spin.setValue(s.max_epochs)
        self.same_check.setChecked(s.same_updates)
        self.sharp_spin.setValue(s.sharpness_every or 0)
        self.path_spin.setValue(s.path_every)
        self.plane_combo.setCurrentIndex(max(0, self.plane_combo.findData(s.plane)))
        self._optimizer_changed()
        self.tabs.setCurrentIndex(TABS.index(s.tab))

    def settings(self) -> NetworkSettings:
        """The inputs as settings (ValueError with one line for bad input)."""
        opt = str(self.optimizer_combo.currentData())
        has_m = self.momentum_spin.isEnabled()
        return NetworkSettings(
            hidden=self.hidden_edit.text().strip().replace(" ", ""),
            activation=self.activation_combo.currentText(),
            loss=str(self.loss_combo.currentData()), optimizer=opt,
            lr=float(self.lr_spin.value()),
            momentum=float(self.momentum_spin.value()) if has_m else None,
            batch_sizes=self.sizes_edit.text().strip(), seeds=int(self.seeds_spin.value()),
            stop=str(self.stop_combo.currentData()), stop_value=float(self.stop_spin.value()),
            max_epochs=int(self.max_epochs_spin.value()),
            same_updates=self.same_check.isChecked(),
            sharpness_every=int(self.sharp_spin.value()) or None,
            path_every=int(self.path_spin.value()),
            plane=str(self.plane_combo.currentData()), tab=TABS[self.tabs.currentIndex()])

    def set_lesson(self, title: str, text_html: str) -> None:
        """Show a lesson's title and text above the results ("" hides it)."""
        self.lesson_title = title
        self.lesson_label.setText(f"<p style='font-size:12pt; font-weight:600'>"
                                  f"{html.escape(title)}</p>{text_html}" if title else "")
        self.lesson_label.setVisible(bool(title))

    # --------------------------------------------------------------- the run
    def run(self) -> bool:
        """Start the comparison with the inputs (off the GUI thread); False on bad input."""
        try:
            s = self.settings()
        except ValueError as err:
            self._status(self.status, error_text(err), error=True)
            return False
        args = s.to_args()
        self._status(self.status, self.tr("Running: {what}.").format(
            what=html.escape(core_sentence(s.description()))))
        self.timer.stop()
        if s.sharpness_every:  # (the traces come with the result)
            self.sharp_caption.setText(self.tr(
                "Training: λ_max is recorded every {k} updates; the traces appear here when the "
                "comparison ends.").format(k=s.sharpness_every))
        text = self._text

        def job(progress, should_stop) -> Comparison:
            from threadpoolctl import threadpool_limits

            def report(f: float, what: Text) -> None:
                text["run"] = what
                progress(f)

            # one BLAS thread: several times faster on these small matrices (see core.netcli)
            with threadpool_limits(limits=1, user_api="blas"), np.errstate(all="ignore"):
                return compare(args, report=report, should_stop=should_stop,
                               path_every=s.path_every)

        self.task.start(job)
        return True

    def _on_done(self, result: object) -> None:
        assert isinstance(result, Comparison)
        self.result = result
        n = len(result.doc["runs"])
        self._status(self.status, self.tr(
            "{n} runs trained and measured in {seconds} s on this computer.").format(
                n=n, seconds=f"{self.task.seconds:.1f}"))
        self.show_result(result)
        self.comparisonFinished.emit(result)
        if result.paths:
            self.compute_plane()

    def verdict_lines(self) -> list[str]:
        """The verdict of the last result (empty before one)."""
        if self.result is None:
            return []
        return [core_sentence(t) for t in verdict_texts(self.result.doc)]

    def show_result(self, comp: Comparison) -> None:
        """Fill the verdict, the tables and the plots from a comparison."""
        doc = comp.doc
        n = doc["data"]["n_train"]

        def bs(b: int) -> str:
            return self.tr("full") if b == n else str(b)

        m = doc["model"]
        p = doc["protocol"]
        rule = (self.tr("until the training loss ≤ {loss} (at most {epochs} epochs)").format(
                    loss=f"{p['until_loss']:g}", epochs=p["max_epochs"])
                if p["until_loss"] is not None else
                self.tr("for {epochs} epochs").format(epochs=p["max_epochs"])
                if p["max_epochs"] is not None else
                self.tr("for {updates} updates").format(updates=p["updates"]))
        if p["same_updates"]:
            rule = self.tr("the smallest B {rule}, every larger B for as many updates as it "
                           "made").format(rule=rule)
        self.caption.setText(self.tr(
            "digits: {n} training / {n_test} test examples; network {layers} ({activation}, "
            "loss {loss}, P = {parameters}); {optimizer} {hyper}; trained {rule}. λ_max: the "
            "largest eigenvalue of ∇²L(θ) on the training set; φ(ε): Keskar's ε-sharpness "
            "(ε = {epsilon}, in %).").format(
                n=n, n_test=doc["data"]["n_test"], layers=" → ".join(map(str, m["layers"])),
                activation=m["activation"], loss=m["loss"], parameters=m["parameters"],
                optimizer=doc["runs"][0]["optimizer"],
                hyper=", ".join(f"{k} = {v:g}" for k, v in doc["runs"][0]["hyper"].items()),
                rule=rule, epsilon=f"{p['epsilon']:g}"))
        lines = [core_sentence(t) for t in verdict_texts(doc)]
        self.verdict_label.setText(
            "<p style='font-size:11pt; font-weight:600; margin:0'>"
            + self.tr("Verdict (measured on this computer just now)")
            + "</p><ul style='margin:2px 0'>"
            + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>")
        _fill(self.summary_table,
              ["B", self.tr("test accuracy"), self.tr("train accuracy"), self.tr("test loss"),
               "λ_max", "φ(ε) %", self.tr("updates")],
              [[bs(s["batch_size"]), _pm(s["test_accuracy"], ".4f"),
                _pm(s["train_accuracy"], ".4f"), _pm(s["test_loss"], ".4g"),
                _pm(s["sharpness"], ".4g"), _pm(s["epsilon_sharpness"], ".3g"),
                _pm(s["updates"], ".0f")] for s in doc["summary"]])
        _fill(self.runs_table,
              ["B", self.tr("seed"), self.tr("stopped"), self.tr("updates"), self.tr("epochs"),
               self.tr("train loss"), self.tr("test loss"), self.tr("train acc"),
               self.tr("test acc"), "λ_max", "φ(ε) %", self.tr("seconds")],
              [[bs(r["batch_size"]), str(r["seed"]), core_sentence(stop_text(r["stopped"])),
                str(r["updates"]),
                _f(r["epochs"], ".4g"), _f(r["train_loss"]), _f(r["test_loss"]),
                _f(r["train_accuracy"], ".4f"), _f(r["test_accuracy"], ".4f"),
                _f(r["sharpness"]), _f(r["epsilon_sharpness"], ".3g"),
                f"{r['seconds']:.2f}"] for r in doc["runs"]], most=300)
        self._plot_line(doc)
        self._plot_sharpness(doc)
        self.ref_combo.clear()
        for r in doc["runs"]:
            self.ref_combo.addItem(self.tr("B = {b}, seed {seed}").format(
                b=bs(r["batch_size"]), seed=r["seed"]),
                                   (r["batch_size"], r["seed"]))

    def _plot_line(self, doc: dict[str, Any]) -> None:
        line = doc["interpolation"]
        for p in (self.line_loss, self.line_acc):
            p.getPlotItem().clear()
            p.set_legend([])
        if not line:
            self.line_caption.setText(self.tr(
                "Give at least two batch sizes to draw the line between "
                                      "a small and a large batch's end points."))
            return
        n = doc["data"]["n_train"]
        sb = batch_name(line["small_batch"], n)
        lb = batch_name(line["large_batch"], n)
        alpha = np.asarray(line["alpha"], dtype=float)

        def arr(key: str) -> np.ndarray:
            return np.array([np.nan if v is None else v for v in line[key]], dtype=float)

        for plot, keys in ((self.line_loss, ("train_loss", "test_loss")),
                           (self.line_acc, ("train_accuracy", "test_accuracy"))):
            for key, color, style in ((keys[0], TRAIN_COLOR, Qt.PenStyle.SolidLine),
                                      (keys[1], TEST_COLOR, Qt.PenStyle.DashLine)):
                plot.addItem(pg.PlotDataItem(alpha, arr(key), pen=pg.mkPen(color, width=2.2,
                                                                            style=style),
                                             symbol="o", symbolSize=5, symbolBrush=color,
                                             symbolPen=None, connect="finite"))
            for x, text in ((0.0, sb), (1.0, lb)):
                plot.addItem(pg.InfiniteLine(pos=x, angle=90, pen=pg.mkPen(
                    self.theme.muted, width=1, style=Qt.PenStyle.DotLine),
                    label=text, labelOpts={"position": 0.92, "color": self.theme.foreground}))
            plot.set_legend([(TRAIN_COLOR, "━", self.tr("training")),
                             (TEST_COLOR, "╌", self.tr("test"))])
        losses = np.concatenate([arr("train_loss"), arr("test_loss")])
        fin = losses[np.isfinite(losses) & (losses > 0)]
        log = bool(fin.size and fin.max() / fin.min() > 50)
        self.line_loss.getPlotItem().setLogMode(x=False, y=log)
        self.line_caption.setText(self.tr(
            "Keskar et al.'s Figure 3: L and accuracy at θ(α) = (1 − α)·θ_SB + α·θ_LB, with "
            "θ_SB the end point of {sb} and θ_LB that of {lb} (seed {seed}); α = 0 is {sb}'s "
            "end point, α = 1 {lb}'s. A sharp minimum shows as a steep rise of the loss on its "
            "side of the line{log}.").format(
                sb=sb, lb=lb, seed=line["seed"], log=self.tr(" (log scale)") if log else ""))

    def _plot_sharpness(self, doc: dict[str, Any]) -> None:
        p = self.sharp_plot
        p.getPlotItem().clear()
        p.set_legend([])
        n = doc["data"]["n_train"]
        sizes = [s["batch_size"] for s in doc["summary"]]
        legend: list[tuple[str, str, str]] = []
        any_trace = False
        for r in doc["runs"]:
            tr = r["sharpness_trace"] or []
            if not tr:
                continue
            any_trace = True
            color = RUN_COLORS[sizes.index(r["batch_size"]) % len(RUN_COLORS)]
            t = np.array([q["update"] for q in tr], dtype=float)
            v = np.array([np.nan if q["sharpness"] is None else q["sharpness"] for q in tr])
            p.addItem(pg.PlotDataItem(t, v, pen=pg.mkPen(color, width=1.8), connect="finite"))
            name = batch_name(r["batch_size"], n)
            if not any(e[2] == name for e in legend):
                legend.append((color, "━", name))
        if not any_trace:
            self.sharp_caption.setText(self.tr(
                "No sharpness was recorded: set “λ_max every K” to a "
                                       "number of updates K and press Run."))
            return
        run0 = doc["runs"][0]
        thr = stability_threshold(run0["optimizer"], run0["hyper"])
        if thr is not None:
            label = ("2/η" if run0["optimizer"] == "gd" else "(2 + 2λ)/η") + f" = {thr:.3g}"
            p.addItem(pg.InfiniteLine(pos=thr, angle=0, pen=pg.mkPen(
                EDGE_COLOR, width=1.6, style=Qt.PenStyle.DashLine), label=label,
                labelOpts={"position": 0.06, "color": EDGE_COLOR, "anchors": [(0, 1), (0, 1)]}))
            legend.append((EDGE_COLOR, "╌", self.tr("edge of stability {threshold}").format(
                threshold=label)))
        p.set_legend(legend)
        p.getPlotItem().enableAutoRange()
        stability = stability_verdict(doc)
        extra = ("" if thr is not None else self.tr(
            " This optimizer adapts its steps: it has no fixed threshold 2/η."))
        self.sharp_caption.setText(self.tr(
            "λ_max(∇²L(θᵗ)) of the training loss, measured every {k} updates (Lanczos on exact "
            "Hessian-vector products). Full-batch GD can only stay where η·λ_max ≤ 2 "
            "(heavy-ball momentum: η·λ_max ≤ 2 + 2λ); Cohen et al. 2021: the sharpness rises to "
            "that edge and hovers there, and smaller batches settle lower. Measured here: "
            "{measured}").format(
                k=doc["protocol"]["sharpness_every"],
                measured=core_sentence(stability) if stability is not None else "")
            + extra)

    # ------------------------------------------------------------- the plane
    def compute_plane(self) -> bool:
        """Evaluate the loss over the chosen plane and project the paths (off the GUI thread)."""
        comp = self.result
        if comp is None or not comp.paths:
            self._status(self.path_status, self.tr("Run the comparison first."), error=True)
            return False
        ref = self.ref_combo.currentData()
        ref = tuple(ref) if ref is not None else next(iter(comp.paths))
        kind = str(self.plane_combo.currentData())
        runs = str(self.runs_combo.currentData())
        grid = int(self.grid_spin.value())
        text = self._text
        self.timer.stop()
        what = self.tr("loss on a {n} × {n} grid, then the paths").format(n=grid)

        def job(progress, should_stop) -> PathData:
            from threadpoolctl import threadpool_limits

            text["path"] = what
            with threadpool_limits(limits=1, user_api="blas"):
                return compute_paths(comp, kind, ref, grid, runs, progress, should_stop)

        self._status(self.path_status, self.tr("Evaluating the loss at {n} points of the "
                                               "plane…").format(n=grid * grid))
        self.path_task.start(job)
        return True

    def _on_paths(self, result: object) -> None:
        assert isinstance(result, PathData) and self.result is not None
        self.paths = d = result
        draw_plane(self.contour, self.surface, d, 0, self.theme, self._caption_3d())
        self.plane_caption.setText(self.plane_description(d))
        self.plane_caption.setTextFormat(Qt.TextFormat.RichText)
        self.plane_legend.setText(self.tr("colour = batch size:") + " " + "&nbsp;&nbsp; ".join(
            f"<span style='color:{RUN_COLORS[j % len(RUN_COLORS)]}'>━</span>&nbsp;"
            f"{html.escape(batch_name(b, d.n_train))}" for j, b in enumerate(d.batch_sizes)
            if any(k[0] == b for k in d.keys)))
        self._status(self.path_status, self.tr("Plane drawn in {s:.1f} s.").format(
            s=self.path_task.seconds))
        steps = d.steps
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(steps - 1, 0))
        self.slider.blockSignals(False)
        self.inspect_combo.blockSignals(True)
        self.inspect_combo.clear()
        for i in range(len(d.keys)):
            self.inspect_combo.addItem(core_sentence(d.label_text(i)), d.keys[i])
        self.inspect_combo.setCurrentIndex(max(0, d.keys.index(d.ref)) if d.ref in d.keys
                                           else 0)
        self.inspect_combo.blockSignals(False)
        for wdg in (self.back_button, self.play_button, self.step_button, self.slider):
            wdg.setEnabled(steps > 1)
        self.inspect_combo.setEnabled(len(d.keys) > 1)
        self.export_button.setEnabled(True)
        self.select_run(self.inspect_combo.currentIndex())
        self.set_step(steps - 1)
        self.pathsFinished.emit(result)

    def _caption_3d(self) -> str:
        return QCoreApplication.translate("overlay", CAPTION_3D)

    def plane_spec(self) -> PlaneSpec | None:
        """What an export of the plane view renders: the drawn paths, the inspected run, the
        theme and the 3D view's camera (None before the plane is drawn)."""
        if self.paths is None:
            return None
        from gui.export import CameraPose

        return PlaneSpec(self.paths, self.selected_run, self.theme, CameraPose.of(self.surface),
                         self._caption_3d())

    def open_export_dialog(self) -> Any:
        """The export dialog of a scenario, given the plane view (:meth:`plane_spec`): the
        contour, 3D or both views rendered offscreen, or this window stepped through the
        updates ("Whole window") and put back at its path point afterwards. Returns the dialog
        (shown, not modal); None before the plane is drawn."""
        spec = self.plane_spec()
        if spec is None:
            return None
        from gui.export.dialog import ExportDialog

        self.timer.stop()
        d = spec.paths

        def step(t: int) -> None:
            self.set_step(d.index_at(t))

        shown = self._k
        dialog = ExportDialog(self, spec, window=self, step=step,
                              restore=lambda: self.set_step(shown), name="network-plane")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self._export_dialog is not None:
            self._export_dialog.close()
        self._export_dialog = dialog
        dialog.destroyed.connect(lambda: setattr(self, "_export_dialog", None))
        dialog.show()
        return dialog

    def plane_description(self, d: PathData) -> str:
        """Which plane, which runs, and that the paths are projections (rich text)."""
        dist = max(float(np.nanmax(x)) for x in d.distance)
        seeds = sorted({k[1] for k in d.keys})
        shown = (self.tr("every B of seed {seed} (same θ⁰)").format(seed=seeds[0])
                 if len(seeds) == 1 else
                 self.tr("every run: {n} batch sizes × {m} seeds (each seed its own θ⁰)")
                 .format(n=len({k[0] for k in d.keys}), m=len(seeds)))
        return self.tr(
            "<b>Plane:</b> {plane}; θ(a, b) = o + a·d₁ + b·d₂ with orthonormal d₁, d₂. The "
            "surface is L(a, b) over this plane; drawn: {shown}, θᵗ every {k} updates. <b>The "
            "paths are projections</b>: θᵗ itself lies up to {dist} away from the plane (in ‖·‖ "
            "over all P parameters), so its points need not lie on the drawn surface — the 3D "
            "view draws them at their own loss L(θᵗ).").format(
                plane=html.escape(core_sentence(d.plane.sentence)), shown=html.escape(shown),
                k=d.path_every, dist=_f(dist, ".3g"))

    @property
    def selected_run(self) -> int:
        """The index (in ``paths.keys``) of the run the inspector shows."""
        return max(self.inspect_combo.currentIndex(), 0)

    def select_run(self, i: int) -> None:
        """Inspect shown run ``i`` and draw it in full colour (the others fainter)."""
        d = self.paths
        if d is None or not 0 <= i < len(d.keys):
            return
        if self.inspect_combo.currentIndex() != i:
            self.inspect_combo.setCurrentIndex(i)  # comes back here through the signal
            return
        styles = plane_styles(d, i)
        self.contour.set_runs(styles)
        self.surface.set_runs(styles)
        self.inspector.setText(self.inspect(self._k))

    def set_step(self, k: int) -> None:
        """Show every path up to its point k (θ at update k·K) and inspect it."""
        d = self.paths
        if d is None:
            return
        k = max(0, min(int(k), d.steps - 1))
        self._k = k
        if self.slider.value() != k:
            self.slider.blockSignals(True)
            self.slider.setValue(k)
            self.slider.blockSignals(False)
        self.contour.set_current(k)
        self.surface.set_current(k)
        self.inspector.setText(self.inspect(k))

    @property
    def step_index(self) -> int:
        """The path point shown (0 = θ⁰)."""
        return self._k

    def inspect(self, k: int) -> str:
        """The selected run at its path point min(k, last): update t, epoch and batch, L(θᵗ),
        accuracy, ‖g‖ = ‖∇L(θᵗ)‖ (full training set), the plane coordinates (a, b) and the
        distance of θᵗ from the plane."""
        d = self.paths
        if d is None or not d.keys:
            return ""
        i = min(self.selected_run, len(d.keys) - 1)
        p = path_point(d, i, k)
        color = RUN_COLORS[d.size_index(i) % len(RUN_COLORS)]
        ended = self.tr(" (ended)") if p.ended else ""
        label = html.escape(core_sentence(d.label_text(i)))
        cells = [
            f"<span style='color:{color}'>━</span> <b>{label}</b>{ended}",
            f"t = {p.t}",
            self.tr("epoch {e} + batch {b}/{n}").format(e=p.epoch, b=p.batch, n=p.per_epoch),
            f"L(θᵗ) = {_f(p.loss)}",
            self.tr("accuracy {a}").format(a=_f(p.accuracy, ".4f")),
            f"‖g‖ = ‖∇L(θᵗ)‖ = {_f(p.gnorm, '.3g')}",
            f"(a, b) = ({_f(p.a, '.3g')}, {_f(p.b, '.3g')})",
            self.tr("off the plane {d}").format(d=_f(p.distance, ".3g")),
        ]
        return ("<table cellspacing='0' cellpadding='2'><tr>"
                + "".join(f"<td>{c}&nbsp;&nbsp;</td>" for c in cells) + "</tr></table>")

    def toggle_play(self) -> None:
        """Play / pause the paths (from θ⁰ again when at the end)."""
        if self.timer.isActive():
            self.timer.stop()
            self.play_button.setText(self.tr("Play"))
            return
        if self.paths is None:
            return
        if self._k >= self.paths.steps - 1:
            self.set_step(0)
        self.play_button.setText(self.tr("Pause"))
        self.timer.start()

    def _tick(self) -> None:
        if self.paths is None or self._k >= self.paths.steps - 1:
            self.timer.stop()
            self.play_button.setText(self.tr("Play"))
            return
        self.set_step(self._k + 1)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        """Abandon the computations at once (their late results are dropped); an export
        dialog closes too (cancelling its export: nothing partial is left)."""
        self.timer.stop()
        self.task.cancel()
        self.path_task.cancel()
        if self._export_dialog is not None:
            self._export_dialog.close()
        super().closeEvent(event)

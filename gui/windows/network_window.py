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

from core.netcli import Comparison, compare, mean_ci, stability_threshold, verdict
from core.netplane import Plane, endpoint_plane, grid_range, loss_grid, pca_plane, project
from core.netsettings import TABS, NetworkSettings
from core.optim import OPTIMIZERS
from gui.tasks import BackgroundTask, connect_controls, show_status
from gui.theme import DARK, RUN_COLORS, RunStyle, Theme, style_axes
from gui.views.contour import ContourView
from gui.views.surface3d import SurfaceView3D

__all__ = ["NetworkWindow", "PathData"]

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


class PathData:
    """The plane, the loss over it and the runs' projected paths (computed off the GUI thread).

    ``a``, ``b``: grid coordinates; ``z[i, j]`` = L(o + a[i]·d₁ + b[j]·d₂); per shown run
    (``keys`` = [(B, seed)]) ``coords`` (n, 2) = (a, b) of θᵗ, ``distance`` (n,) from the
    plane, ``updates`` (n,) = t, and at every θᵗ the training ``loss``, ``accuracy`` and the
    full gradient's length ``gnorm`` = ‖∇L(θᵗ)‖.
    """

    def __init__(self, plane: Plane, a: np.ndarray, b: np.ndarray, z: np.ndarray) -> None:
        self.plane = plane
        self.a, self.b, self.z = a, b, z
        self.keys: list[tuple[int, int]] = []
        self.coords: list[np.ndarray] = []
        self.distance: list[np.ndarray] = []
        self.updates: list[np.ndarray] = []
        self.loss: list[np.ndarray] = []
        self.accuracy: list[np.ndarray] = []
        self.gnorm: list[np.ndarray] = []

    @property
    def steps(self) -> int:
        """The number of path points of the longest run."""
        return max((len(c) for c in self.coords), default=0)


def compute_paths(comp: Comparison, plane_kind: str, ref: tuple[int, int], grid: int,
                  progress=None, should_stop=None) -> PathData:
    """The plane (``"pca"`` through the end point of run ``ref``, or ``"endpoints"`` through
    θ⁰ and the end points of the smallest and the largest B of ``ref``'s seed), the loss on a
    ``grid`` × ``grid`` grid over it and the projected paths of every B of that seed."""
    net, data = comp.net, comp.data
    seed = ref[1]
    keys = sorted(k for k in comp.paths if k[1] == seed)
    if not keys:
        raise ValueError("no paths were kept: run the comparison again")
    paths = {k: np.array([th for _, th in comp.paths[k]]) for k in keys}
    n = data.n_train

    def name(b: int) -> str:
        return batch_name(b, n)

    if plane_kind == "pca":
        plane = pca_plane([paths[ref]], comp.ends[ref], QCoreApplication.translate(
            "NetworkWindow", " of {run}, seed {seed}").format(run=name(ref[0]), seed=seed))
    else:
        small, large = keys[0], keys[-1]
        if small == large:
            raise ValueError("the end-point plane needs two batch sizes")
        plane = endpoint_plane(paths[small][0], comp.ends[small], comp.ends[large],
                               (name(small[0]), QCoreApplication.translate(
                                   "NetworkWindow", "{run} (seed {seed})").format(
                                       run=name(large[0]), seed=seed)))
    coords = {k: project(plane, p) for k, p in paths.items()}
    (a0, a1), (b0, b1) = grid_range(np.concatenate([c[0] for c in coords.values()]))
    a = np.linspace(a0, a1, grid)
    b = np.linspace(b0, b1, grid)
    # the grid should contain (0, 0) exactly: the plane's origin (the end point for PCA)
    a[np.argmin(np.abs(a))] = 0.0
    b[np.argmin(np.abs(b))] = 0.0
    a.sort()
    b.sort()
    x, y = data.x_train, data.y_train

    def loss(th: np.ndarray) -> float:
        return net.loss_value(th, x, y)

    total_points = sum(len(p) for p in paths.values())
    share = grid * grid / (grid * grid + 2 * total_points)

    def grid_progress(f: float) -> None:
        if progress is not None:
            progress(share * f)

    z = loss_grid(loss, plane, a, b, progress=grid_progress, should_stop=should_stop)
    out = PathData(plane, a, b, z)
    done = 0
    for k in keys:
        p = paths[k]
        ls, acc, gn = [], [], []
        for th in p:
            if should_stop is not None and should_stop():
                from core.basins import Cancelled

                raise Cancelled
            with np.errstate(all="ignore"):
                lv, av = net.evaluate(th, x, y)
                _, g = net.loss_grad(th, x, y)
            ls.append(lv)
            acc.append(av)
            gn.append(float(np.linalg.norm(g)))
            done += 1
            if progress is not None:
                progress(share + (1 - share) * done / total_points)
        out.keys.append(k)
        out.coords.append(coords[k][0])
        out.distance.append(coords[k][1])
        out.updates.append(np.array([t for t, _ in comp.paths[k]]))
        out.loss.append(np.array(ls))
        out.accuracy.append(np.array(acc))
        out.gnorm.append(np.array(gn))
    return out


class _Plot(pg.PlotWidget):
    """A themed line plot with its legend as a line of text under it (never over the data)."""

    def __init__(self, title: str, x_label: str, y_label: str, theme: Theme) -> None:
        super().__init__()
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
    """"full batch" for B = N, else "B = b" (legends, tables, the plane's description)."""
    return QCoreApplication.translate("NetworkWindow", "full batch") if b == n else f"B = {b}"


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
        self.lesson_title = ""
        self.task = BackgroundTask(self)
        self.path_task = BackgroundTask(self)
        self._text = {"run": "", "path": ""}
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
                         self.cancel_button, self._on_done, lambda: self._text["run"])
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
        self.caption.setObjectName("muted")
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
        self.plane_combo.addItem(self.tr("through θ⁰ and the smallest and largest B's end points"),
                                 "endpoints")
        self.ref_combo = QComboBox()
        self.ref_combo.setToolTip(self.tr(
            "The run whose path defines the PCA plane; every B of its "
                                  "seed is drawn"))
        self.grid_spin = QSpinBox()
        self.grid_spin.setRange(11, 101)
        self.grid_spin.setValue(31)
        self.grid_spin.setToolTip(self.tr(
            "Grid points per side: the loss is evaluated grid² times"))
        self.plane_button = QPushButton(self.tr("Draw the plane"))
        self.path_cancel = QPushButton(self.tr("Cancel"))
        self.path_progress = QProgressBar()
        self.path_progress.setRange(0, 1000)
        self.path_progress.setTextVisible(True)
        self.path_progress.setMinimumWidth(160)
        self.path_status = QLabel()
        self.path_status.setWordWrap(True)
        self.plane_button.clicked.connect(self.compute_plane)
        self.path_cancel.clicked.connect(self.path_task.cancel)
        top = QHBoxLayout()
        for text, wdg in ((self.tr("plane"), self.plane_combo), (self.tr("run"), self.ref_combo),
                          (self.tr("grid"), self.grid_spin)):
            label = QLabel(text)
            label.setBuddy(wdg)
            top.addWidget(label)
            top.addWidget(wdg)
        top.addWidget(self.plane_button)
        top.addWidget(self.path_cancel)
        top.addWidget(self.path_progress, 1)
        self.plane_caption = QLabel(self.tr("Run the comparison, then draw the plane."))
        self.plane_caption.setWordWrap(True)
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
        self.back_button.clicked.connect(lambda: self.set_step(self._k - 1))
        self.step_button.clicked.connect(lambda: self.set_step(self._k + 1))
        self.play_button.clicked.connect(self.toggle_play)
        self.slider.valueChanged.connect(self.set_step)
        play = QHBoxLayout()
        for b in (self.back_button, self.play_button, self.step_button):
            play.addWidget(b)
        play.addWidget(self.slider, 1)
        self.inspector = QLabel()
        self.inspector.setWordWrap(True)
        self.inspector.setTextFormat(Qt.TextFormat.RichText)
        self.inspector.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for wdg in (self.back_button, self.play_button, self.step_button, self.slider):
            wdg.setEnabled(False)
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addLayout(top)
        lay.addWidget(self.path_status)
        lay.addWidget(self.plane_caption)
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
            self._status(self.status, str(err), error=True)
            return False
        args = s.to_args()
        self._status(self.status, self.tr("Running: {what}.").format(
            what=html.escape(s.describe())))
        self.timer.stop()
        text = self._text

        def job(progress, should_stop) -> Comparison:
            from threadpoolctl import threadpool_limits

            def report(f: float, what: str) -> None:
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
        return verdict(self.result.doc) if self.result is not None else []

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
        lines = verdict(doc)
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
              [[bs(r["batch_size"]), str(r["seed"]), r["stopped"], str(r["updates"]),
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
        lb = "full batch" if line["large_batch"] == n else f"B = {line['large_batch']}"
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
        extra = ("" if thr is not None else self.tr(
            " This optimizer adapts its steps: it has no fixed threshold 2/η."))
        self.sharp_caption.setText(self.tr(
            "λ_max(∇²L(θᵗ)) of the training loss, measured every {k} updates (Lanczos on exact "
            "Hessian-vector products). Full-batch GD can only stay where η·λ_max ≤ 2 "
            "(heavy-ball momentum: η·λ_max ≤ 2 + 2λ); Cohen et al. 2021: the sharpness rises to "
            "that edge and hovers there, and smaller batches settle lower. Measured here: "
            "{measured}").format(
                k=doc["protocol"]["sharpness_every"],
                measured=" ".join(x for x in verdict(doc) if x.startswith("λ_max over")))
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
        grid = int(self.grid_spin.value())
        text = self._text
        self.timer.stop()

        def job(progress, should_stop) -> PathData:
            from threadpoolctl import threadpool_limits

            text["path"] = f"loss on a {grid} × {grid} grid, then the paths"
            with threadpool_limits(limits=1, user_api="blas"):
                return compute_paths(comp, kind, ref, grid, progress, should_stop)

        self._status(self.path_status, self.tr(
            "Evaluating the loss at {points} points of the plane…").format(points=grid * grid))
        self.path_task.start(job)
        return True

    def _on_paths(self, result: object) -> None:
        assert isinstance(result, PathData) and self.result is not None
        self.paths = result
        d = result
        n = self.result.data.n_train
        styles = [RunStyle(batch_name(b, n),
                           RUN_COLORS[k % len(RUN_COLORS)]) for k, (b, _) in enumerate(d.keys)]
        for view in (self.contour, self.surface):
            view.set_surface(d.a, d.b, d.z)
            view.set_runs(styles)
        style_axes(self.contour.getPlotItem(), self.theme, self.tr("a (along d₁)"),
                   self.tr("b (along d₂)"))
        self.contour.set_paths(d.coords)
        self.surface.set_paths(d.coords, d.loss)
        self.surface.set_axis_titles("a", "b")
        self.surface.set_caption(self.tr(
            "height: L(a, b) on the plane; paths at their own L(θᵗ)"))
        dist = max(float(np.nanmax(x)) for x in d.distance)
        self.plane_caption.setText(self.tr(
            "<b>Plane:</b> {plane}; θ(a, b) = o + a·d₁ + b·d₂ with orthonormal d₁, d₂. The "
            "surface is L(a, b) over this plane; drawn: every B of seed {seed} (same θ⁰), θᵗ "
            "every {k} updates. <b>The paths are projections</b>: θᵗ itself lies up to {dist} "
            "away from the plane (in ‖·‖ over all P parameters), so its points need not lie on "
            "the drawn surface — the 3D view draws them at their own loss L(θᵗ).").format(
                plane=html.escape(d.plane.description), seed=d.keys[0][1],
                k=self._path_every(), dist=f"{dist:.3g}"))
        self.plane_caption.setTextFormat(Qt.TextFormat.RichText)
        self._status(self.path_status, self.tr("Plane drawn in {seconds} s.").format(
            seconds=f"{self.path_task.seconds:.1f}"))
        steps = d.steps
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(steps - 1, 0))
        self.slider.blockSignals(False)
        for wdg in (self.back_button, self.play_button, self.step_button, self.slider):
            wdg.setEnabled(steps > 1)
        self.set_step(steps - 1)
        self.pathsFinished.emit(result)

    def _path_every(self) -> int:
        d = self.paths
        if d is None or not d.updates or len(d.updates[0]) < 2:
            return int(self.path_spin.value())
        return int(d.updates[0][1] - d.updates[0][0])

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
        """Per shown run at its path point min(k, last): update, epoch, batch, L, accuracy,
        ‖g‖ = ‖∇L(θᵗ)‖ (full training set) and the plane coordinates (a, b)."""
        d = self.paths
        if d is None or self.result is None:
            return ""
        n = self.result.data.n_train
        rows = []
        for i, (b, seed) in enumerate(d.keys):
            j = min(k, len(d.coords[i]) - 1)
            t = int(d.updates[i][j])
            bpe = self.result.batches_per_epoch[b]
            a_, b_ = d.coords[i][j]
            name = batch_name(b, n)
            color = RUN_COLORS[i % len(RUN_COLORS)]
            run = (self.tr("{run}, seed {seed} (ended)") if j < k
                   else self.tr("{run}, seed {seed}")).format(run=name, seed=seed)
            epoch = self.tr("epoch {e} + batch {b}/{per}").format(e=t // bpe, b=t % bpe, per=bpe)
            accuracy = self.tr("accuracy {value}").format(
                value=_f(float(d.accuracy[i][j]), ".4f"))
            off = self.tr("off the plane {value}").format(value=_f(float(d.distance[i][j]), ".3g"))
            rows.append(
                f"<tr><td style='color:{color}'>━ {run}</td>"
                f"<td>t = {t}</td><td>{epoch}</td>"
                f"<td>L(θᵗ) = {_f(float(d.loss[i][j]))}</td>"
                f"<td>{accuracy}</td>"
                f"<td>‖g‖ = ‖∇L(θᵗ)‖ = {_f(float(d.gnorm[i][j]), '.3g')}</td>"
                f"<td>(a, b) = ({_f(float(a_), '.3g')}, {_f(float(b_), '.3g')})</td>"
                f"<td>{off}</td></tr>")
        return ("<table cellspacing='0' cellpadding='2'>" + "".join(rows) + "</table>")

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
        """Abandon the computations at once (their late results are dropped)."""
        self.timer.stop()
        self.task.cancel()
        self.path_task.cancel()
        super().closeEvent(event)

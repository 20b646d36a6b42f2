"""The right column's controls: surface, run list, run editor and view options.

Two-way binding with :class:`gui.state.AppState`: a widget the person moves calls one editing
method of the state (widget → model); every state signal refreshes the widgets with their
signals blocked (model → widget), so a refresh never edits the model again. Sliders update the
model while they are dragged.

Notation: η learning rate (log-scale slider), λ momentum, B batch size out of N examples.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.expr import ExpressionError, parse
from core.optim import OPTIMIZERS, HyperParam
from core.scenario import MAX_STEPS, RunConfig
from core.schedules import SCHEDULES, make_schedule
from core.surfaces import BUILTINS, get_surface
from gui.i18n import core_sentence, core_text, error_text, run_message
from gui.panels.inspector import THROTTLE_MS
from gui.qtutil import Throttle, signals_blocked
from gui.state import AppState
from gui.theme import mute, readable, theme_named
from gui.views._display import safe_range

__all__ = [
    "ControlsPanel",
    "NumberBox",
    "ParamRow",
    "RunEditor",
    "RunList",
    "SurfacePanel",
    "ViewPanel",
]

ERROR_COLOR = "#FF6B6B"
#: Largest seed the spin boxes offer (files may hold larger ones).
MAX_SEED = 999_999
_SLIDER_STEPS = 1000


@functools.lru_cache(maxsize=256)
def color_icon(color: str, size: int = 14) -> QIcon:
    """A filled square of the run's colour (its swatch in the run list; made once per
    colour: the list is refreshed on every edit)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(color))
    p.setPen(QColor(0, 0, 0, 160))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    p.end()
    return QIcon(pix)


# ---------------------------------------------------------------------------------------------
# number entry


class NumberBox(QDoubleSpinBox):
    """A spin box for exact values: shows ``%.6g``, accepts ``1e-4``; arrows multiply by
    10^0.1 on a log scale. Commits on Enter, focus loss or arrows (no keyboard tracking)."""

    def __init__(self, low: float, high: float, log_scale: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._log = log_scale
        self.setDecimals(12)
        self.setRange(low, high)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        self.setMinimumWidth(84)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.UpDownArrows)

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def parse(self, text: str) -> float | None:
        """The value a text means, as the box would hold it: rounded to the box's decimals
        (``1e-320`` is 0, never a subnormal number reaching the model and the plots); None
        for text that is no finite number (``nan``, ``inf``, ``((``)."""
        try:
            v = float(text.strip().replace("−", "-"))
        except ValueError:
            return None
        if not math.isfinite(v):
            return None
        return round(v, self.decimals()) + 0.0  # + 0.0: no −0

    def valueFromText(self, text: str) -> float:
        v = self.parse(text)
        if v is None:
            return self.value()
        return min(max(v, self.minimum()), self.maximum())

    def validate(self, text: str, pos: int) -> object:
        t = text.strip().replace("−", "-")
        v = self.parse(t)
        if v is None:
            ok_prefix = t == "" or all(c in "0123456789.eE+-" for c in t)
            return QValidator.State.Intermediate if ok_prefix else QValidator.State.Invalid
        if self.minimum() <= v <= self.maximum():
            return QValidator.State.Acceptable
        return QValidator.State.Intermediate

    def fixup(self, text: str) -> str:
        return self.textFromValue(self.value())

    def stepBy(self, steps: int) -> None:
        if self._log and self.value() > 0:
            self.setValue(self.value() * 10.0 ** (0.1 * steps))
        else:
            super().stepBy(steps)


class ParamRow(QWidget):
    """A slider (log or linear over ``[ui_low, ui_high]``) beside an exact :class:`NumberBox`.

    ``valueChanged(float)`` is emitted live while the slider is dragged and when an exact value
    is entered. While the slider is held down, the moves that arrive before the event loop is
    free again make ONE emission of the latest value (a drag faster than the views repaint
    recomputes once per frame, not once per mouse move); keys and ``setValue`` emit at once."""

    valueChanged = Signal(float)

    def __init__(self, low: float, high: float, ui_low: float, ui_high: float,
                 log_scale: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lo, self._hi, self._log = ui_low, ui_high, log_scale
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, _SLIDER_STEPS)
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.box = NumberBox(low, high, log_scale)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.box)
        self.slider.valueChanged.connect(self._from_slider)
        self.slider.sliderReleased.connect(self._flush)
        self.box.valueChanged.connect(self._from_box)
        self._coalesce = QTimer(self)  # a drag's moves, emitted once the event loop is free
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(0)
        self._coalesce.timeout.connect(self._flush)

    @classmethod
    def for_param(cls, p: HyperParam, parent: QWidget | None = None) -> ParamRow:
        """A row for one optimizer hyperparameter (its accepted and slider ranges)."""
        low = p.low if p.low_inclusive else (p.low + (1e-12 if p.log_scale else 0.0))
        if p.log_scale and low <= 0:
            low = 1e-12
        high = p.high if math.isfinite(p.high) else 1e6
        if not p.high_inclusive and math.isfinite(p.high):
            high = p.high - 1e-9
        row = cls(low, high, p.ui_low if not p.log_scale else max(p.ui_low, 1e-12),
                  p.ui_high, p.log_scale, parent)
        row.setToolTip(QCoreApplication.translate("RunEditor",
            "{symbol}: {help} (accepted: {range})")
                       .format(symbol=p.symbol, help=core_text(p.help),
                               range=core_sentence(p.range_sentence())))
        return row

    def _to_slider(self, v: float) -> int:
        if self._log:
            v = min(max(v, self._lo), self._hi)
            lo, hi = math.log10(self._lo), math.log10(self._hi)
            f = (math.log10(v) - lo) / (hi - lo)
        else:
            f = (v - self._lo) / (self._hi - self._lo)
        return round(min(max(f, 0.0), 1.0) * _SLIDER_STEPS)

    def _from_position(self, pos: int) -> float:
        f = pos / _SLIDER_STEPS
        if self._log:
            lo, hi = math.log10(self._lo), math.log10(self._hi)
            v = 10.0 ** (lo + f * (hi - lo))
            return float(f"{v:.3g}")  # round numbers while dragging: 0.0251, not 0.02511886…
        return float(f"{self._lo + f * (self._hi - self._lo):.4g}")

    def value(self) -> float:
        return float(self.box.value())

    def set_value(self, v: float) -> None:
        """Model → widget (no signal)."""
        with signals_blocked(self.slider, self.box):
            self.box.setValue(v)
            self.slider.setValue(self._to_slider(v))

    def _from_slider(self, pos: int) -> None:
        v = self._from_position(pos)
        with signals_blocked(self.box):
            self.box.setValue(v)
        if self.slider.isSliderDown():
            self._coalesce.start()  # (restarting keeps one pending emission)
        else:
            self._coalesce.stop()
            self.valueChanged.emit(self.box.value())

    def _flush(self) -> None:
        """Emit the value a drag left pending (timer, or the slider released)."""
        if self._coalesce.isActive() or self.sender() is self._coalesce:
            self._coalesce.stop()
            self.valueChanged.emit(self.box.value())

    def _from_box(self, v: float) -> None:
        with signals_blocked(self.slider):
            self.slider.setValue(self._to_slider(v))
        self.valueChanged.emit(float(v))


def _spin(low: int, high: int, tip: str = "") -> QSpinBox:
    s = QSpinBox()
    s.setRange(low, high)
    s.setKeyboardTracking(False)
    s.setAlignment(Qt.AlignmentFlag.AlignRight)
    if tip:
        s.setToolTip(tip)
    return s


def _section(title: str) -> QGroupBox:
    box = QGroupBox(title)
    box.setFlat(False)
    return box


# ---------------------------------------------------------------------------------------------
# surface


class SurfacePanel(QGroupBox):
    """Which loss: a built-in surface or a custom expression f(x, y); N, noise, data seed."""

    CUSTOM = "__custom__"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Surface"), parent)
        self.state = state
        self.combo = QComboBox()
        for name, s in BUILTINS.items():
            self.combo.addItem(core_text(s.title), name)
            self.combo.setItemData(self.combo.count() - 1, core_text(s.description),
                                   Qt.ItemDataRole.ToolTipRole)
        self.combo.addItem(self.tr("Custom expression"), self.CUSTOM)
        self.expression = QLineEdit()
        self.expression.setPlaceholderText(self.tr(
            "f(x, y), e.g. x**2 - y**2 + 0.2*y**4   (Enter applies)"))
        self._expression_tip = self.tr(
            "Loss of one example: ℓᵢ(θ) = f(θ − δᵢ). Press Enter to apply.")
        self._expression_message = ""
        self.expression.setToolTip(self._expression_tip)
        self.expression_error = QLabel()
        self.expression_error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.expression_error.setWordWrap(True)
        self.expression_error.setVisible(False)
        self.examples = _spin(1, 9_999, self.tr("N: the number of training examples"))
        self.noise = NumberBox(0.0, 100.0)
        self.noise.setSingleStep(0.05)
        self.data_seed = _spin(0, MAX_SEED, self.tr("seed of the random examples"))
        self.condition = NumberBox(1.0, 1e6, log_scale=True)
        self.condition.setToolTip(self.tr("condition number κ of the quadratic: its valley is κ× "
                                  "steeper across than along"))
        self.condition_label = QLabel(self.tr("condition κ"))
        self.description = QLabel()
        self.description.setWordWrap(True)
        mute(self.description)

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("loss"), self.combo)
        form.addRow("f(x, y)", self.expression)
        form.addRow("", self.expression_error)
        row = QGridLayout()
        row.addWidget(self.examples, 0, 0)
        row.addWidget(QLabel(self.tr("noise")), 0, 1, Qt.AlignmentFlag.AlignRight)
        row.addWidget(self.noise, 0, 2)
        row.addWidget(QLabel(self.tr("data seed")), 1, 1, Qt.AlignmentFlag.AlignRight)
        row.addWidget(self.data_seed, 1, 2)
        row.setColumnStretch(0, 1)
        row.setColumnStretch(2, 1)
        form.addRow("N", row)
        form.addRow(self.condition_label, self.condition)
        form.addRow(self.description)

        self.combo.activated.connect(self._on_combo)
        self.expression.textEdited.connect(self._on_expression_edited)
        self.expression.returnPressed.connect(self._apply_expression)
        self.examples.valueChanged.connect(lambda v: state.set_surface_value("examples", int(v)))
        self.noise.valueChanged.connect(lambda v: state.set_surface_value("noise", float(v)))
        self.data_seed.valueChanged.connect(lambda v: state.set_surface_value("seed", int(v)))
        self.condition.valueChanged.connect(
            lambda v: state.set_surface_value("condition", float(v)))
        state.scenarioChanged.connect(self.refresh)
        self.refresh()

    def _on_combo(self, index: int) -> None:
        name = self.combo.itemData(index)
        if name == self.CUSTOM:
            text = self.expression.text().strip() or "x**2 - y**2 + 0.25*y**4"
            self.expression.setText(text)
            self._apply_expression()
            self.expression.setFocus()
        else:
            self.state.set_surface_builtin(name)

    def _on_expression_edited(self, text: str) -> None:
        """Live validation: the parser's message beside the field, in red."""
        message = ""
        if text.strip():
            try:
                parse(text)
            except ExpressionError as err:
                message = error_text(err)
        self._show_expression_error(message, line=True)

    def _show_expression_error(self, message: str, line: bool) -> None:
        """The field keeps showing that its text is invalid (red border, the message as its
        tooltip) for as long as the text is; the red message line while it is typed, and
        afterwards only while the custom expression is the chosen loss (after switching to a
        built-in surface the bad text is no error of the window)."""
        self._expression_message = message
        self.expression_error.setText(message)
        self.expression_error.setVisible(bool(message) and line)
        border = f"border: 1px solid {ERROR_COLOR};" if message else ""
        if border != self.expression.styleSheet():
            self.expression.setStyleSheet(border)
        self.expression.setToolTip(self.tr("invalid: {message}").format(message=message)
                                   if message else self._expression_tip)

    def _apply_expression(self) -> None:
        text = self.expression.text()
        self._on_expression_edited(text)
        if self._expression_message or not text.strip():
            return
        if not self.state.set_expression(text):
            self._show_expression_error(self.state.error, line=True)

    def refresh(self) -> None:
        """Model → widgets."""
        s = self.state.scenario.surface
        widgets = (self.combo, self.expression, self.examples, self.noise, self.data_seed,
                   self.condition)
        with signals_blocked(*widgets):
            key = self.CUSTOM if s.expression is not None else s.name
            self.combo.setCurrentIndex(max(self.combo.findData(key), 0))
            if s.expression is not None and self.expression.text().strip() != s.expression:
                self.expression.setText(s.expression)
                self._on_expression_edited(s.expression)
            self.examples.setValue(s.examples)
            self.noise.setValue(s.noise)
            self.data_seed.setValue(min(s.seed, MAX_SEED))
            quad = s.expression is None and s.name == "quadratic"
            self.condition.setVisible(quad)
            self.condition_label.setVisible(quad)
            if quad:
                self.condition.setValue(s.condition or 10.0)
                # the item names κ: say the scenario's, not the built-in default's
                self.combo.setItemText(self.combo.findData("quadratic"), get_surface(
                    "quadratic", condition=s.condition or 10.0).title)
        self._show_expression_error(self._expression_message,
                                    line=self.combo.currentData() == self.CUSTOM)
        surface = BUILTINS.get(s.name or "") if s.expression is None else None
        self.noise.setToolTip(core_text(surface.noise_help) if surface else
                              self.tr("spread σ of the per-example offsets δᵢ ~ Normal(0, σ²)"))
        self.description.setText(core_text(surface.description) if surface else
                                 self.tr("Each example's loss is f moved by its offset δᵢ."))


# ---------------------------------------------------------------------------------------------
# runs


class RunList(QWidget):
    """The runs: colour swatch, name, show/hide checkbox, ⚠ for a diverged run; add,
    duplicate, remove."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.list = QListWidget()
        self.list.setIconSize(QSize(14, 14))
        self.list.setMinimumHeight(70)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.add_button = QToolButton(text="+")
        self.add_button.setToolTip(self.tr("add a run (momentum λ = 0.9, full batch)"))
        self.duplicate_button = QToolButton(text="❐")
        self.duplicate_button.setToolTip(self.tr("duplicate the selected run"))
        self.remove_button = QToolButton(text="−")
        self.remove_button.setToolTip(self.tr("remove the selected run"))
        buttons = QVBoxLayout()
        for b in (self.add_button, self.duplicate_button, self.remove_button):
            b.setFixedWidth(28)
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list, 1)
        lay.addLayout(buttons)

        self.add_button.clicked.connect(lambda: state.add_run())
        self.duplicate_button.clicked.connect(lambda: state.duplicate_run(state.selected))
        self.remove_button.clicked.connect(lambda: state.remove_run(state.selected))
        self.list.currentRowChanged.connect(self._on_row)
        self.list.itemChanged.connect(self._on_item_changed)
        for sig in (state.scenarioChanged, state.runsChanged, state.trajectoriesChanged,
                    state.optionsChanged):  # (the theme sets the text colours)
            sig.connect(self.refresh)
        state.selectionChanged.connect(self._on_selection)
        self.refresh()

    def _on_row(self, row: int) -> None:
        if row >= 0:
            self.state.set_selected(row)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        visible = item.checkState() == Qt.CheckState.Checked
        if 0 <= row < len(self.state.scenario.runs) and \
                self.state.scenario.runs[row].visible != visible:
            self.state.update_run(row, visible=visible)

    def _on_selection(self, index: int) -> None:
        with signals_blocked(self.list):
            self.list.setCurrentRow(index)

    def item_status(self, index: int) -> tuple[bool, str]:
        """(warning?, tooltip) of run ``index``: diverged runs and runs that cannot start."""
        tr = self.state.trajectory(index)
        err = self.state.run_error(index)
        if err:
            return True, self.tr("cannot start: {error}").format(error=err)
        if tr is not None and tr.status == "diverged":
            return True, run_message(tr)
        if tr is not None and tr.message:
            return False, run_message(tr)
        return False, ""

    def refresh(self) -> None:
        """Model → widget."""
        runs = self.state.scenario.runs
        warn_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        with signals_blocked(self.list):
            while self.list.count() > len(runs):
                self.list.takeItem(self.list.count() - 1)
            while self.list.count() < len(runs):
                item = QListWidgetItem()
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.list.addItem(item)
            for i, cfg in enumerate(runs):
                item = self.list.item(i)
                warn, tip = self.item_status(i)
                mark = (self.tr("  ⚠ cannot start") if self.state.run_error(i)
                        else self.tr("  ⚠ diverged"))
                text = cfg.label + (mark if warn else "")
                if item.text() != text:
                    item.setText(text)
                item.setIcon(warn_icon if warn else color_icon(self.state.run_color(i)))
                background = theme_named(self.state.options.theme).background
                item.setForeground(QColor(readable(self.state.run_color(i), background))
                                   if not warn else QColor(ERROR_COLOR))
                tip = tip or f"{cfg.label}: {core_text(OPTIMIZERS[cfg.optimizer].title)}"
                item.setToolTip(self.tr("{tip}\n(tick: show on the plots)").format(tip=tip))
                item.setData(Qt.ItemDataRole.UserRole, warn)
                item.setCheckState(Qt.CheckState.Checked if cfg.visible
                                   else Qt.CheckState.Unchecked)
            self.list.setCurrentRow(self.state.selected)
        self.remove_button.setEnabled(len(runs) > 0)
        self.duplicate_button.setEnabled(len(runs) > 0)
        rows = max(3, min(len(runs), 6))
        self.list.setFixedHeight(rows * 22 + 8)


class RunEditor(QGroupBox):
    """The selected run's settings: optimizer, η, λ, batch size B, start θ⁰, steps, shuffle
    seed, and the optimizer's other hyperparameters."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Selected run"), parent)
        self.state = state
        self.label = QLineEdit()
        self.label.setMaxLength(80)
        self.color_button = QPushButton()
        self.color_button.setFixedSize(28, 22)
        self.color_button.setToolTip(self.tr("colour of this run in every view"))
        self.optimizer = QComboBox()
        for name, info in OPTIMIZERS.items():
            self.optimizer.addItem(core_text(info.title), name)
        self.lr = ParamRow.for_param(OPTIMIZERS["gd"].param("lr"))
        self.momentum = ParamRow.for_param(OPTIMIZERS["momentum"].param("momentum"))
        self.momentum_label = QLabel("λ")
        self.batch = QSlider(Qt.Orientation.Horizontal)
        self.batch.setRange(1, 20)
        self.batch.setToolTip(self.tr("batch size B: examples per update"))
        self.batch_box = _spin(1, 20, self.tr("batch size B"))
        self.full_batch = QCheckBox(self.tr("full batch"))
        self.full_batch.setToolTip(self.tr(
            "B = N: every update uses all examples (gradient descent)"))
        self.batch_info = QLabel()
        mute(self.batch_info)
        self.start_x = NumberBox(-1e6, 1e6)
        self.start_y = NumberBox(-1e6, 1e6)
        for b in (self.start_x, self.start_y):
            b.setSingleStep(0.05)
            b.setToolTip(self.tr("start θ⁰ (or click the contour map; drag the start marker)"))
        self.steps = _spin(0, MAX_STEPS, self.tr("number of updates"))
        self.steps.setSingleStep(50)
        self.seed = _spin(0, MAX_SEED, self.tr("shuffle seed: which examples go into which batch"))
        self._extra_rows: dict[str, QWidget] = {}
        self._extra_optimizer: str | None = None
        self.extra = QWidget()
        self.extra_form = QFormLayout(self.extra)
        self.extra_form.setContentsMargins(0, 0, 0, 0)

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        name_row = QHBoxLayout()
        name_row.addWidget(self.label, 1)
        name_row.addWidget(self.color_button)
        form.addRow(self.tr("name"), name_row)
        form.addRow(self.tr("optimizer"), self.optimizer)
        lr_label = QLabel("η")
        lr_label.setToolTip(self.tr("learning rate η (log scale)"))
        form.addRow(lr_label, self.lr)
        form.addRow(self.momentum_label, self.momentum)
        batch_row = QGridLayout()
        batch_row.addWidget(self.batch, 0, 0)
        batch_row.addWidget(self.batch_box, 0, 1)
        batch_row.addWidget(self.full_batch, 1, 0)
        batch_row.addWidget(self.batch_info, 1, 0, 1, 2, Qt.AlignmentFlag.AlignRight)
        batch_row.setColumnStretch(0, 1)
        form.addRow("B", batch_row)
        start_row = QHBoxLayout()
        start_row.addWidget(QLabel("x"))
        start_row.addWidget(self.start_x, 1)
        start_row.addWidget(QLabel("y"))
        start_row.addWidget(self.start_y, 1)
        form.addRow("θ⁰", start_row)
        steps_row = QHBoxLayout()
        steps_row.addWidget(self.steps, 1)
        steps_row.addWidget(QLabel(self.tr("seed")))
        steps_row.addWidget(self.seed, 1)
        form.addRow(self.tr("steps"), steps_row)
        form.addRow(self.extra)

        sel = lambda: state.selected  # noqa: E731
        self.label.editingFinished.connect(
            lambda: self._has_run() and state.update_run(sel(), label=self.label.text()))
        self.color_button.clicked.connect(self._pick_color)
        self.optimizer.activated.connect(
            lambda i: self._has_run() and state.set_optimizer(sel(), self.optimizer.itemData(i)))
        self.lr.valueChanged.connect(lambda v: self._has_run() and state.set_hyper(sel(), "lr", v))
        self.momentum.valueChanged.connect(
            lambda v: self._has_run() and state.set_hyper(sel(), "momentum", v))
        self.batch.valueChanged.connect(self._set_batch)
        self.batch_box.valueChanged.connect(self._set_batch)
        self.full_batch.toggled.connect(self._on_full)
        self.start_x.valueChanged.connect(self._set_start)
        self.start_y.valueChanged.connect(self._set_start)
        self.steps.valueChanged.connect(
            lambda v: self._has_run() and state.update_run(sel(), steps=int(v)))
        self.seed.valueChanged.connect(
            lambda v: self._has_run() and state.update_run(sel(), seed=int(v)))
        state.scenarioChanged.connect(self.refresh)
        state.selectionChanged.connect(self.refresh)
        self.refresh()

    def _has_run(self) -> bool:
        return 0 <= self.state.selected < len(self.state.scenario.runs)

    def _set_batch(self, value: int) -> None:
        if self._has_run():
            self.state.update_run(self.state.selected, batch_size=int(value))

    def _on_full(self, checked: bool) -> None:
        if not self._has_run():
            return
        n = self.state.scenario.surface.examples
        if checked:
            self.state.update_run(self.state.selected, batch_size=n)
        else:
            self.state.update_run(self.state.selected, batch_size=max(1, min(n - 1, n // 4 or 1)))

    def _set_start(self, _value: float) -> None:
        if self._has_run():
            self.state.set_start(self.state.selected, self.start_x.value(), self.start_y.value())

    def _pick_color(self) -> None:
        if not self._has_run():
            return
        i = self.state.selected
        c = QColorDialog.getColor(QColor(self.state.run_color(i)), self, self.tr("Run colour"))
        if c.isValid():
            self.state.update_run(i, color=c.name())

    def _rebuild_extra(self, optimizer: str) -> None:
        """Rows for the optimizer's own hyperparameters (other than η and λ)."""
        if optimizer == self._extra_optimizer:
            return
        self._extra_optimizer = optimizer
        while self.extra_form.rowCount():
            self.extra_form.removeRow(0)
        self._extra_rows = {}
        for p in OPTIMIZERS[optimizer].params:
            if p.name in ("lr", "momentum"):
                continue
            if p.kind == "bool":
                w: QWidget = QCheckBox()
                w.setToolTip(core_text(p.help))
                w.toggled.connect(self._extra_setter(p.name, lambda v: bool(v)))
            else:
                w = ParamRow.for_param(p)
                w.valueChanged.connect(self._extra_setter(p.name, float))
            label = QLabel(p.symbol)
            label.setToolTip(core_text(p.help))
            self.extra_form.addRow(label, w)
            self._extra_rows[p.name] = w
        self.extra.setVisible(bool(self._extra_rows))

    def _extra_setter(self, name: str, cast: Callable[[object], object]) -> Callable[..., None]:
        def setter(value: object) -> None:
            if self._has_run():
                self.state.set_hyper(self.state.selected, name, cast(value))
        return setter

    def refresh(self) -> None:
        """Model → widgets."""
        runs = self.state.scenario.runs
        self.setEnabled(bool(runs))
        if not runs:
            return
        i = min(self.state.selected, len(runs) - 1)
        cfg = runs[i]
        n = self.state.scenario.surface.examples
        self.setTitle(self.tr("Selected run: {label}").format(label=cfg.label))
        params = cfg.params
        widgets = (self.label, self.optimizer, self.batch, self.batch_box, self.full_batch,
                   self.start_x, self.start_y, self.steps, self.seed)
        with signals_blocked(*widgets):
            if not self.label.hasFocus() and self.label.text() != cfg.label:
                self.label.setText(cfg.label)
            self.optimizer.setCurrentIndex(max(self.optimizer.findData(cfg.optimizer), 0))
            self.batch.setRange(1, n)
            self.batch_box.setRange(1, n)
            self.batch.setValue(cfg.batch_size)
            self.batch_box.setValue(cfg.batch_size)
            self.full_batch.setChecked(cfg.batch_size == n)
            self.start_x.setValue(cfg.start[0])
            self.start_y.setValue(cfg.start[1])
            self.steps.setValue(cfg.steps)
            self.seed.setValue(min(cfg.seed, MAX_SEED))
        self.lr.set_value(params["lr"])
        has_m = "momentum" in params
        self.momentum.setVisible(has_m)
        self.momentum_label.setVisible(has_m)
        if has_m:
            self.momentum.set_value(float(params["momentum"]))
        per_epoch = -(-n // cfg.batch_size) if not cfg.drop_last else n // cfg.batch_size
        self.batch_info.setText((self.tr("B = {b} → 1 update/epoch") if per_epoch == 1 else
                                 self.tr("B = {b} → {n} updates/epoch")).format(
                                     b=cfg.batch_size, n=per_epoch))
        swatch = (f"background-color: {self.state.run_color(i)}; border: 1px solid #222;"
                  " border-radius: 3px;")
        if swatch != self.color_button.styleSheet():  # (a style sheet costs ~7 ms to apply)
            self.color_button.setStyleSheet(swatch)
        self._rebuild_extra(cfg.optimizer)
        for name, w in self._extra_rows.items():
            if isinstance(w, QCheckBox):
                with signals_blocked(w):
                    w.setChecked(bool(params[name]))
            elif isinstance(w, ParamRow):
                w.set_value(float(params[name]))


# ---------------------------------------------------------------------------------------------
# view options


class ViewPanel(QGroupBox):
    """What the views show: step vectors, Hessian, batch surface, testing loss; grid size."""

    GRIDS = (51, 101, 201)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Show"), parent)
        self.state = state
        self.vectors = QCheckBox(self.tr("step vectors λm, −ηg, m"))
        self.vectors.setToolTip(self.tr(
            "the selected run's update drawn tip to tail on the contour map"))
        self.hessian = QCheckBox(self.tr("Hessian eigenvectors"))
        self.hessian.setToolTip(self.tr("eigen-directions of ∇²L at the selected run's θ; red: "
                                "negative curvature (the escape direction at a saddle)"))
        self.batch_surface = QCheckBox(self.tr("batch loss L_b"))
        self.batch_surface.setToolTip(self.tr(
            "the contour map shows the loss of the selected run's "
                                      "current mini-batch: the loss its update really follows"))
        self.eta_axis = QCheckBox(self.tr("η_t on the loss plot"))
        self.eta_axis.setToolTip(self.tr(
            "every run's learning rate η_t per update on a second axis of "
                                 "the loss plot (dashed)"))
        self.test_loss = QCheckBox(self.tr("testing loss"))
        self.test_loss.setToolTip(self.tr(
            "the contour map shows the training loss shifted a little: "
                                  "flat minima stay low, sharp minima do not"))
        self.grid = QComboBox()
        for n in self.GRIDS:
            self.grid.addItem(f"{n} × {n}", n)
        self.grid.setToolTip(self.tr(
            "points per axis of the surface grid (finer is slower to draw)"))
        lay = QGridLayout(self)
        lay.addWidget(self.vectors, 0, 0)
        lay.addWidget(self.hessian, 0, 1)
        lay.addWidget(self.batch_surface, 1, 0)
        lay.addWidget(self.test_loss, 1, 1)
        lay.addWidget(self.eta_axis, 2, 0)
        lay.addWidget(QLabel(self.tr("grid")), 3, 0, Qt.AlignmentFlag.AlignRight)
        lay.addWidget(self.grid, 3, 1)
        self.vectors.toggled.connect(lambda v: state.set_options(vectors=v))
        self.hessian.toggled.connect(lambda v: state.set_options(hessian=v))
        self.batch_surface.toggled.connect(lambda v: state.set_options(batch_surface=v))
        self.test_loss.toggled.connect(lambda v: state.set_options(test_loss=v))
        self.eta_axis.toggled.connect(lambda v: state.set_options(eta_axis=v))
        self.grid.activated.connect(lambda i: state.set_options(grid=self.grid.itemData(i)))
        state.optionsChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Model → widgets."""
        o = self.state.options
        boxes = (self.vectors, self.hessian, self.batch_surface, self.test_loss, self.eta_axis,
                 self.grid)
        with signals_blocked(*boxes):
            self.eta_axis.setChecked(o.eta_axis)
            self.vectors.setChecked(o.vectors)
            self.hessian.setChecked(o.hessian)
            self.batch_surface.setChecked(o.batch_surface)
            self.test_loss.setChecked(o.test_loss)
            idx = self.grid.findData(o.grid)
            if idx < 0:
                self.grid.addItem(f"{o.grid} × {o.grid}", o.grid)
                idx = self.grid.count() - 1
            self.grid.setCurrentIndex(idx)


class ScheduleEditor(QGroupBox):
    """The selected run's learning-rate schedule η_t (:mod:`core.schedules`): its kind and
    parameters, built from the registry, and a small plot of η_t over the run's updates with
    the current update marked."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Learning rate η_t"), parent)
        import pyqtgraph as pg

        self.state = state
        self.kind = QComboBox()
        for kind, info in SCHEDULES.items():
            self.kind.addItem(core_text(info.title), kind)
            self.kind.setItemData(self.kind.count() - 1,
                                  f"{info.formula}\ntorch: {info.torch}",
                                  Qt.ItemDataRole.ToolTipRole)
        self.kind.setToolTip(self.tr(
            "how η changes from update to update (torch.optim.lr_scheduler)"))
        self.params = QWidget()
        self.params_form = QFormLayout(self.params)
        self.params_form.setContentsMargins(0, 0, 0, 0)
        self._rows: dict[str, QWidget] = {}
        self._rows_kind: str | None = None
        self.plot = pg.PlotWidget()
        self.plot.setFixedHeight(84)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        # ranges set from the data only (safe_range), no SI prefix: pyqtgraph's auto-range and
        # prefix labels spun on absurd values (issue 9 §2.1)
        self.plot.getPlotItem().getViewBox().disableAutoRange()
        self.plot.getPlotItem().hideAxis("bottom")
        self.plot.getPlotItem().getAxis("left").setWidth(42)
        self.plot.getPlotItem().getAxis("left").enableAutoSIPrefix(False)
        self.plot.setToolTip(self.tr(
            "η_t over the selected run's updates; the line: the current update"))
        self.curve = self.plot.plot([], [])
        self.cursor = pg.InfiniteLine(0, angle=90, movable=False)
        self.plot.addItem(self.cursor, ignoreBounds=True)
        lay = QFormLayout(self)
        lay.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        lay.addRow(self.tr("schedule"), self.kind)
        lay.addRow(self.params)
        lay.addRow(self.plot)
        self.kind.activated.connect(lambda _i: self._commit())
        self.plot_soon = Throttle(self._plot_eta, THROTTLE_MS, self)
        state.scenarioChanged.connect(self.refresh)
        state.selectionChanged.connect(self.refresh)
        state.currentChanged.connect(self._move_cursor)
        state.optionsChanged.connect(self._restyle)
        self._restyle()
        self.refresh()

    def _run(self) -> RunConfig | None:
        runs = self.state.scenario.runs
        return runs[min(self.state.selected, len(runs) - 1)] if runs else None

    def _rebuild(self, kind: str) -> None:
        if kind == self._rows_kind:
            return
        self._rows_kind = kind
        while self.params_form.rowCount():
            self.params_form.removeRow(0)
        self._rows = {}
        for p in SCHEDULES[kind].params:
            if p.kind == "int":
                w: QWidget = _spin(int(p.low), MAX_STEPS, p.help)
                w.valueChanged.connect(lambda _v: self._commit())
            else:
                w = NumberBox(p.low, p.high if math.isfinite(p.high) else 1e6)
                w.setToolTip(core_text(p.help))
                w.valueChanged.connect(lambda _v: self._commit())
            label = QLabel(p.name)
            label.setToolTip(core_text(p.help))
            self.params_form.addRow(label, w)
            self._rows[p.name] = w
        self.params.setVisible(bool(self._rows))

    def _values(self) -> dict[str, float | int]:
        return {name: (w.value() if isinstance(w, QSpinBox | QDoubleSpinBox) else 0)
                for name, w in self._rows.items()}

    def _commit(self) -> None:
        """Widgets → model: the run's new schedule (invalid values are reported, not kept)."""
        cfg = self._run()
        if cfg is None:
            return
        kind = self.kind.currentData()
        self._rebuild(kind)
        values = self._values() if kind == cfg.schedule.kind else {}
        try:
            schedule = make_schedule(kind, **values)
        except ValueError as err:
            self.state.report_error(f"runs[{self.state.selected}].schedule.{err}")
            return
        if schedule != cfg.schedule:
            self.state.update_run(self.state.selected, schedule=schedule)

    def refresh(self) -> None:
        """Model → widgets and the η_t plot."""
        cfg = self._run()
        self.setEnabled(cfg is not None)
        if cfg is None:
            self.curve.setData([], [])
            return
        with signals_blocked(self.kind):
            self.kind.setCurrentIndex(max(self.kind.findData(cfg.schedule.kind), 0))
        self._rebuild(cfg.schedule.kind)
        for name, w in self._rows.items():
            with signals_blocked(w):
                w.setValue(cfg.schedule.params[name])
        self.plot_soon()
        self._move_cursor(self.state.current)

    def _plot_eta(self) -> None:
        """The selected run's η_t (display only: merged by :attr:`plot_soon` while η is
        dragged, so its repaint does not add to every move's frame)."""
        cfg = self._run()
        if cfg is None:
            return
        steps = max(cfg.steps, 1)
        t, eta = cfg.schedule.sample(cfg.lr, steps)  # ≤ 512 points
        self.curve.setData(t, eta)
        lo, hi = safe_range(0.0, float(np.max(eta)) if eta.size else 1.0)
        self.plot.getPlotItem().getViewBox().setRange(
            xRange=safe_range(0.0, float(steps)), yRange=(lo, hi + 0.06 * (hi - lo)), padding=0.0)

    def _move_cursor(self, t: int) -> None:
        self.cursor.setValue(max(int(t) - 1, 0))  # update t uses η_{t−1}

    def _restyle(self) -> None:
        import pyqtgraph as pg

        theme = theme_named(self.state.options.theme)
        self.plot.setBackground(theme.background)
        axis = self.plot.getPlotItem().getAxis("left")
        axis.setPen(pg.mkPen(theme.muted))
        axis.setTextPen(pg.mkPen(theme.foreground))
        self.curve.setPen(pg.mkPen(theme.foreground, width=1.5))
        self.cursor.setPen(pg.mkPen(theme.muted, width=1, style=Qt.PenStyle.DashLine))


class ControlsPanel(QWidget):
    """Surface, runs, selected run and view options stacked in one column."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.surface = SurfacePanel(state)
        self.runs = RunList(state)
        self.editor = RunEditor(state)
        self.schedule = ScheduleEditor(state)
        self.view = ViewPanel(state)
        runs_box = _section(self.tr("Runs"))
        QVBoxLayout(runs_box).addWidget(self.runs)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        # the runs and the selected run's η, λ, B first: seen without scrolling
        for w in (runs_box, self.editor, self.surface, self.schedule, self.view):
            lay.addWidget(w)

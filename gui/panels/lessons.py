"""The guided lessons in the window: the lesson panel, the gallery, and what lessons 4–6 add.

* :class:`LessonPanel` — the current scenario's ``[lesson]`` (title, text, the equation, what to
  watch) as readable rich text, with ◀ / ▶ to the previous and next lesson.
* :class:`LessonGallery` — the lessons (:data:`core.lessons.LESSONS`) with a one-line
  description each; returns / emits the chosen lesson's scenario name.
* :func:`momentum_sum_html` (lesson 4) — the movement written out as a weighted sum of all past
  gradients, mᵗ = −η Σᵢ₌₀ᵗ⁻¹ λᵗ⁻¹⁻ⁱ gⁱ, with the numbers of a recorded run.
* :class:`EndPointTable` (lesson 5) — training loss L(θ), testing loss L(θ − s), the rise and
  the sharpness λ_max(∇²L(θ)) at every run's end point (:func:`core.lessons.end_report`).
* :func:`saddle_at`, :func:`escape_run` (lesson 6) — at a saddle point, one step along the
  eigenvector of the Hessian's negative eigenvalue, and the run continued from there
  (:func:`core.lessons.escape_and_continue`) for the state to add as a new run.

Notation of the lecture: θ parameters, g gradient, m movement, λ momentum, η learning rate.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import lessons as core_lessons
from core.lessons import EndPoint, EscapeResult, escape_and_continue, saddle_near
from core.problem import Problem
from core.run import Trajectory
from core.scenario import LessonConfig, Scenario, ScenarioError
from gui.i18n import current_language, scenario_text
from gui.panels.numbers import fmt_number, fmt_vector
from gui.theme import mute

__all__ = [
    "EndPointTable",
    "LessonEntry",
    "LessonGallery",
    "LessonPanel",
    "escape_run",
    "lesson_catalogue",
    "lesson_html",
    "lesson_html_text",
    "lesson_number_of",
    "measured_html",
    "momentum_sum_html",
    "rich",
    "saddle_at",
]

_SUP = str.maketrans("0123456789-−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")


def _sup(n: int | str) -> str:
    return str(n).translate(_SUP)


def _num(v: float) -> str:
    """A number for running text: ``0.2``, ``0.0123``, ``−1.5e−07`` (true minus signs)."""
    return f"{float(v):.4g}".replace("-", "−")


def _cell(v: float) -> str:
    """A number for a table column (fixed decimals, no padding): ``0.0123``, ``57.226``."""
    return fmt_number(float(v), 0).strip()


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------

_P = "<p style='margin:0 0 6px 0'>"
_SUBSCRIPT = re.compile(r"_\{([^{}]*)\}|_([A-Za-z0-9]+)")
_QUOTED = re.compile(r'"([^"\n]*)"')


def _inline(text: str) -> str:
    """One paragraph of plain lesson text → HTML (see :func:`rich`)."""
    s = " ".join(text.split())
    s = _QUOTED.sub(lambda m: f"“{m.group(1)}”", s)
    s = html.escape(s, quote=False)
    return _SUBSCRIPT.sub(lambda m: f"<sub>{m.group(1) or m.group(2)}</sub>", s)


def rich(text: str) -> str:
    """Plain lesson text → HTML: escaped, paragraphs kept, ``L_b``/``L_{bᵗ}`` as subscripts,
    "quoted" with typographic quotes."""
    paras = [_inline(p) for p in re.split(r"\n\s*\n", text.strip())]
    return "".join(f"{_P}{p}</p>" for p in paras if p)


def _equation(text: str) -> str:
    """An equation line → HTML (escaped, ``_b``/``_{…}`` as subscripts)."""
    eq = html.escape(" ".join(text.split()), quote=False)
    return _SUBSCRIPT.sub(lambda m: f"<sub>{m.group(1) or m.group(2)}</sub>", eq)


@dataclass(frozen=True)
class LessonEntry:
    """One lesson of the gallery: its number (1-based), scenario name, the short title
    ("A saddle point: the full batch stalls, small batches escape"), a one-line description
    and the whole ``[lesson]`` table."""

    number: int
    name: str
    title: str
    summary: str
    description: str
    lesson: LessonConfig | None
    scenario_title: str = ""
    #: the lesson's title and text in the window's language
    lesson_title: str = ""
    lesson_text: str = ""
    lesson_equation: str = ""


def _first_sentence(text: str) -> str:
    s = " ".join(text.split())
    m = re.search(r"(?<=[.!?])\s+(?=[A-ZΑ-Ωθ])|(?<=。)", s)
    return s[: m.start()] if m else s


def _short_title(scenario: Scenario, number: int) -> str:
    title = scenario_text(scenario, "title") or scenario_text(scenario, "lesson_title")
    return (re.sub(rf"^\s*(Lesson\s+{number}|第\s*{number}\s*課)\s*[·:.\-–—：]\s*", "",
                   title).strip()
            or QCoreApplication.translate("lessons", "Lesson {number}").format(number=number))


def lesson_catalogue() -> list[LessonEntry]:
    """The built-in lessons in teaching order, read from their scenario files (once)."""
    return list(_catalogue(current_language()))


@lru_cache(maxsize=2)
def _catalogue(language: str) -> tuple[LessonEntry, ...]:
    """(``language``: the cache's key; the texts are in the window's language.)"""
    out = []
    present = set(core_lessons.lesson_names())
    for k, name in enumerate(core_lessons.LESSONS, start=1):
        if name not in present:
            continue
        try:
            s = core_lessons.load_lesson(name)
        except (ScenarioError, ValueError):
            continue
        description = scenario_text(s, "description")
        out.append(LessonEntry(k, name, _short_title(s, k), _first_sentence(description),
                               " ".join(description.split()), s.lesson, s.title,
                               scenario_text(s, "lesson_title"),
                               scenario_text(s, "lesson_text"),
                               scenario_text(s, "lesson_equation")))
    return tuple(out)


def lesson_number_of(scenario: Scenario) -> int | None:
    """The lesson number (1, 2, …) of a scenario opened from a lesson file, else None."""
    if scenario.lesson is None:
        return None
    for e in _catalogue(current_language()):
        if e.lesson == scenario.lesson and e.scenario_title == scenario.title:
            return e.number
    return None


def lesson_html(scenario: Scenario, *, equation_bg: str = "#2F3138", muted: str = "#9AA0A8",
                number: int | None = None) -> str:
    """The ``[lesson]`` of ``scenario`` as HTML: title, text, the equation, what to watch.

    Without a lesson: the scenario's description (empty if there is none)."""
    lesson = scenario.lesson
    description = scenario_text(scenario, "description")
    if lesson is None:
        return rich(description) if description.strip() else ""
    text, watch = scenario_text(scenario, "lesson_text"), scenario_text(scenario, "lesson_watch")
    head = html.escape(scenario_text(scenario, "lesson_title") or scenario_text(scenario, "title"))
    if number is not None:
        head = f"<span style='color:{muted}'>{number} · </span>{head}"
    parts = [f"<p style='font-size:12pt; font-weight:600; margin:0 0 6px 0'>{head}</p>"]
    if text:
        parts.append(rich(text))
    if lesson.equation:
        eq = _equation(scenario_text(scenario, "lesson_equation"))
        parts.append(
            "<table width='100%' cellpadding='6' style='margin:2px 0 8px 0'>"
            f"<tr><td style='background-color:{equation_bg}; font-family:\"DejaVu Sans\";"
            f" font-size:10.5pt'>{eq}</td></tr></table>")
    if watch:
        parts.append(_watch_head())
        parts.append(rich(watch))
    return "".join(parts)


def _watch_head() -> str:
    return ("<p style='font-weight:600; margin:4px 0 2px 0'>"
            + QCoreApplication.translate("lessons", "What to watch") + "</p>")


def lesson_html_text(scenario: Scenario) -> str:
    """The lesson's text and what to watch as HTML, without its title (the network window
    shows it above its results)."""
    lesson = scenario.lesson
    if lesson is None:
        return ""
    text, watch = scenario_text(scenario, "lesson_text"), scenario_text(scenario, "lesson_watch")
    parts = [rich(text)] if text else []
    if watch:
        parts.append(_watch_head())
        parts.append(rich(watch))
    return "".join(parts)


def measured_html(lines: Sequence[str], status: str = "") -> str:
    """A network lesson's measured verdict as HTML: one bullet per sentence."""
    if not lines:
        return ""
    head = QCoreApplication.translate("lessons", "Measured on this computer just now")
    if status:
        head = QCoreApplication.translate("lessons", "{measured} ({status})").format(
            measured=head, status=html.escape(status.rstrip('.')))
    return (f"<p style='font-weight:600; margin:6px 0 2px 0'>{head}</p><ul style='margin:0'>"
            + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>")


# ---------------------------------------------------------------------------------------------
# The lesson panel
# ---------------------------------------------------------------------------------------------


class LessonPanel(QWidget):
    """The current scenario's lesson as rich text, with ◀ / ▶ to the neighbouring lessons.

    ``lessonRequested(name)`` is emitted by the arrows with the scenario name of the lesson to
    open. :meth:`has_lesson` says whether the scenario has a ``[lesson]`` (the window shows the
    panel only then).
    """

    lessonRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scenario: Scenario | None = None
        self._number: int | None = None
        self._measured = ""
        self.text = QLabel()
        self.text.setObjectName("lessonText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.prev_button = QToolButton()
        self.prev_button.setText(self.tr("◀ previous"))
        self.next_button = QToolButton()
        self.next_button.setText(self.tr("next ▶"))
        self.position = QLabel()
        mute(self.position)
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prev_button.clicked.connect(lambda: self._go(-1))
        self.next_button.clicked.connect(lambda: self._go(+1))
        nav = QHBoxLayout()
        nav.setContentsMargins(0, 0, 0, 0)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.position, 1)
        nav.addWidget(self.next_button)
        self.nav = QWidget()
        self.nav.setLayout(nav)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(4)
        lay.addWidget(self.text)
        lay.addWidget(self.nav)
        self.set_scenario(None)

    @property
    def lesson_number(self) -> int | None:
        """1, 2, … when the shown scenario is one of the built-in lessons."""
        return self._number

    def has_lesson(self) -> bool:
        """True when the scenario shown has a ``[lesson]`` table."""
        return self._scenario is not None and self._scenario.lesson is not None

    def set_scenario(self, scenario: Scenario | None) -> None:
        """Show ``scenario``'s lesson (None: nothing). Cheap when the text is unchanged (the
        window calls it on every edit)."""
        old = self._scenario
        if (old is not None and scenario is not None and old.lesson == scenario.lesson
                and old.title == scenario.title and old.description == scenario.description):
            self._scenario = scenario
            return
        self._scenario = scenario
        self._number = lesson_number_of(scenario) if scenario is not None else None
        self._measured = ""
        self._render()

    def set_measured(self, text_html: str) -> None:
        """Numbers measured for this lesson (a network lesson's verdict), shown under its
        text until another scenario is opened; ``""`` removes them."""
        self._measured = text_html
        self._render()

    @property
    def measured(self) -> str:
        """The measured part shown (HTML; empty when none)."""
        return self._measured

    def _render(self) -> None:
        s = self._scenario
        pal = self.palette()
        window = pal.color(QPalette.ColorRole.Window)
        eq = QColor(window).lighter(125) if window.lightness() < 128 else QColor(window).darker(108)
        muted = pal.color(QPalette.ColorRole.PlaceholderText).name()
        self.text.setText("" if s is None else lesson_html(
            s, equation_bg=eq.name(), muted=muted, number=self._number) + self._measured)
        n = len(core_lessons.LESSONS)
        k = self._number
        self.nav.setVisible(k is not None)
        if k is not None:
            self.position.setText(self.tr("lesson {k} of {n}").format(k=k, n=n))
            self.prev_button.setEnabled(k > 1)
            self.next_button.setEnabled(k < n)

    def _go(self, delta: int) -> None:
        if self._number is None:
            return
        k = self._number + delta
        if 1 <= k <= len(core_lessons.LESSONS):
            self.lessonRequested.emit(core_lessons.LESSONS[k - 1])

    def changeEvent(self, event: QEvent) -> None:
        """Re-render with the new colours when the theme (palette) changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render()


# ---------------------------------------------------------------------------------------------
# The gallery
# ---------------------------------------------------------------------------------------------


_HTML_ROLE = Qt.ItemDataRole.UserRole + 1


class _LessonDelegate(QStyledItemDelegate):
    """Draws a gallery row as rich text: the title in bold, the description beneath it."""

    PAD = 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # (html, width, font) → size: Qt asks for every row's size again and again (restyling
        # the window for a theme called this for seconds; issue 9 §2.2)
        self._sizes: dict[tuple[str, int, str], QSize] = {}

    def _document(self, option: QStyleOptionViewItem, index, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(str(index.data(_HTML_ROLE) or ""))
        doc.setTextWidth(max(50.0, width - 2 * self.PAD))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index, option.rect.width())
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.left() + self.PAD, option.rect.top() + self.PAD)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        view = self.parent()
        width = (view.viewport().width() - 2 * view.spacing() if isinstance(view, QListWidget)
                 else 400)
        key = (str(index.data(_HTML_ROLE) or ""), int(width), option.font.key())
        size = self._sizes.get(key)
        if size is None:
            doc = self._document(option, index, width)
            size = self._sizes[key] = QSize(int(width), int(doc.size().height()) + 2 * self.PAD)
        return QSize(size)


class LessonGallery(QDialog):
    """Help → Lessons: the lessons with a one-line description; the highlighted one is
    described in full beside the list.

    Open (button, double click, Enter) emits ``lessonChosen(name)`` and accepts;
    :attr:`chosen` is the scenario name (None when closed without choosing). The
    "show at start" box is read by the window (:attr:`show_at_start`).
    """

    lessonChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, current: str | None = None,
                 show_at_start: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lessons — Descent Lab"))
        self.resize(940, 640)
        self.entries = lesson_catalogue()
        self.chosen: str | None = None

        intro = QLabel(self.tr(
            "{n} short lessons from the lecture “When a neural network won't train (2): batch "
            "and momentum”. Each opens a scenario with its runs ready: press ▶ (Space) and "
            "watch; the real-network lessons train and measure on this computer.",
        ).format(n=len(self.entries)))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setItemDelegate(_LessonDelegate(self.list))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for e in self.entries:
            item = QListWidgetItem(f"{e.number}. {e.title}")
            item.setData(Qt.ItemDataRole.UserRole, e.name)
            item.setData(_HTML_ROLE, (
                f"<div style='font-weight:600'>{e.number}.&nbsp; "
                f"{html.escape(e.title)}</div><div style='margin-left:18px'>"
                f"{_inline(e.summary)}</div>"))
            item.setToolTip(e.description)
            self.list.addItem(item)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([520, 360])
        split.setChildrenCollapsible(False)

        self.show_at_start_box = QCheckBox(self.tr("Show the lessons when Descent Lab starts"))
        self.show_at_start_box.setChecked(show_at_start)
        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton(self.tr("Open lesson"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.open_selected)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_at_start_box)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)

        self.list.currentRowChanged.connect(self._on_row)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        names = [e.name for e in self.entries]
        self.list.setCurrentRow(names.index(current) if current in names else 0)
        self.list.setFocus()

    @property
    def show_at_start(self) -> bool:
        return self.show_at_start_box.isChecked()

    def names(self) -> list[str]:
        """The scenario names listed, in order."""
        return [e.name for e in self.entries]

    def select(self, name: str) -> None:
        """Highlight lesson ``name``."""
        self.list.setCurrentRow(self.names().index(name))

    def _on_row(self, row: int) -> None:
        self.open_button.setEnabled(0 <= row < len(self.entries))
        if not 0 <= row < len(self.entries):
            self.detail.clear()
            return
        e = self.entries[row]
        head = self.tr("Lesson {number} · {title}").format(number=e.number,
                                                           title=html.escape(e.title))
        text = [f"<h3 style='margin-top:0'>{head}</h3>", rich(e.description)]
        if e.lesson is not None:
            if e.lesson_title:
                text.append(f"<p><b>{html.escape(e.lesson_title)}.</b> "
                            f"{_inline(e.lesson_text)}</p>")
            if e.lesson.equation:
                text.append(f"<p style='font-family:\"DejaVu Sans\"'>"
                            f"{_equation(e.lesson_equation)}</p>")
        self.detail.setHtml("".join(text))

    def open_selected(self) -> None:
        """Choose the highlighted lesson and close."""
        row = self.list.currentRow()
        if not 0 <= row < len(self.entries):
            return
        self.chosen = self.entries[row].name
        self.lessonChosen.emit(self.chosen)
        self.accept()

    @classmethod
    def choose(cls, parent: QWidget | None = None, current: str | None = None) -> str | None:
        """Show the gallery modally; the chosen lesson's scenario name, or None."""
        dialog = cls(parent, current)
        dialog.exec()
        return dialog.chosen


# ---------------------------------------------------------------------------------------------
# Lesson 4: the movement as a weighted sum of past gradients
# ---------------------------------------------------------------------------------------------


def momentum_sum_html(traj: Trajectory, t: int, color: str = "#E6E6E6",
                      newest: int = 5) -> str:
    """Rich text of mᵗ = −η Σᵢ₌₀ᵗ⁻¹ λᵗ⁻¹⁻ⁱ gⁱ for update t of a gd or momentum run.

    Lists the ``newest`` terms −ηλᵗ⁻¹⁻ⁱ·gⁱ (weight and term), lumps the older ones into one
    row, and ends with the sum next to the recorded movement θᵗ − θᵗ⁻¹.
    Returns "" for other optimizers and for t = 0 (m⁰ = 0).
    """
    cfg = traj.config
    if not core_lessons.is_momentum_sum(cfg) or t <= 0:
        return ""
    t = min(int(t), traj.updates)
    ms = core_lessons.trajectory_momentum_sum(traj, t)
    mono = f"font-family:\"DejaVu Sans Mono\",monospace; color:{color}; white-space:pre"
    title = QCoreApplication.translate("lessons", "Movement as a sum of all past gradients")
    head = (f"<p style='margin:8px 0 2px 0'><b>{title}</b><br/>"
            f"m{_sup(t)} = −η Σ<sub>i=0</sub><sup>{t - 1}</sup> λ<sup>{t - 1}−i</sup> g<sup>i</sup>"
            f"  (η = {_num(ms.lr)}, λ = {_num(ms.momentum)})</p>")
    if ms.momentum == 0.0:
        return ("<p style='margin:6px 0 0 0'>" + QCoreApplication.translate(
            "lessons", "Gradient descent is momentum with λ = 0: {m} = −η {g}, every older "
            "gradient has weight 0 — the step forgets the past.",
        ).format(m=f"m{_sup(t)}", g=f"g{_sup(t - 1)}") + "</p>")
    rows = []
    cell = "style='padding:0 8px 0 0; white-space:nowrap'"
    gradient = QCoreApplication.translate("lessons", "gradient")
    weight = QCoreApplication.translate("lessons", "weight")
    rows.append(f"<tr><td {cell}>{gradient}</td><td {cell}>{weight} −ηλ<sup>{t - 1}−i</sup></td>"
                f"<td {cell}>{weight} · g<sup>i</sup></td></tr>")
    shown = list(range(max(0, t - newest), t))
    older = shown[0] if shown else 0
    if older > 0:
        rest = ms.terms[:older].sum(axis=0)
        label = "g⁰" if older == 1 else f"g⁰ … g{_sup(older - 1)}"
        weights = (_num(ms.weights[0]) if older == 1
                   else f"{_num(ms.weights[0])} … {_num(ms.weights[older - 1])}")
        rows.append(
            f"<tr><td {cell}>{label}</td><td {cell}><i>{weights}</i></td>"
            f"<td style='{mono}'>{html.escape(fmt_vector(rest))}</td></tr>")
    for i in shown:
        rows.append(
            f"<tr><td {cell}>g{_sup(i)}</td>"
            f"<td style='{mono}'>{html.escape(fmt_number(ms.weights[i]))}</td>"
            f"<td style='{mono}'>{html.escape(fmt_vector(ms.terms[i]))}</td></tr>")
    recorded = traj.movement[t - 1]
    rows.append(
        f"<tr><td {cell} colspan='2'><b>"
        + QCoreApplication.translate("lessons", "sum = {m}").format(m=f"m{_sup(t)}")
        + "</b></td>"
        f"<td style='{mono}'><b>{html.escape(fmt_vector(ms.total))}</b></td></tr>")
    rows.append(
        f"<tr><td {cell} colspan='2'>"
        + QCoreApplication.translate("lessons", "recorded {step}").format(
            step=f"θ{_sup(t)} − θ{_sup(t - 1)}") + "</td>"
        f"<td style='{mono}'>{html.escape(fmt_vector(recorded))}</td></tr>")
    note = ("<p style='margin:2px 0 0 0'><i>" + QCoreApplication.translate(
        "lessons", "The {n} oldest terms are summed in one row.").format(n=older) + "</i></p>"
        if older > 1 else "")
    return head + f"<table cellspacing='0' cellpadding='1'>{''.join(rows)}</table>" + note


# ---------------------------------------------------------------------------------------------
# Lesson 5: end points, training and testing loss, sharpness
# ---------------------------------------------------------------------------------------------


class EndPointTable(QWidget):
    """Where every run ended: training loss L(θ), testing loss L(θ − s), the rise, the
    sharpness λ_max(∇²L(θ)) and the minimum (lesson 5; :func:`core.lessons.end_report`)."""

    COLUMNS = (QT_TRANSLATE_NOOP("EndPointTable", "run"), "L(θ)", "L(θ − s)",
               QT_TRANSLATE_NOOP("EndPointTable", "rise"), "λ_max",
               QT_TRANSLATE_NOOP("EndPointTable", "ends in"))
    #: the columns' full names (their header tooltips)
    TIPS = (QT_TRANSLATE_NOOP("EndPointTable", "the run"),
            QT_TRANSLATE_NOOP("EndPointTable", "training loss at the end point"),
            QT_TRANSLATE_NOOP("EndPointTable", "testing loss: L shifted by s"),
            QT_TRANSLATE_NOOP("EndPointTable", "rise = L(θ − s) − L(θ)"),
            QT_TRANSLATE_NOOP("EndPointTable", "sharpness: the largest Hessian eigenvalue at θ"),
            QT_TRANSLATE_NOOP("EndPointTable", "the minimum the run ends in"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        for c, tip in enumerate(self.TIPS):
            header = self.table.horizontalHeaderItem(c)
            if header is not None:
                header.setToolTip(self.tr(tip))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(self.COLUMNS)):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.caption)
        lay.addWidget(self.table)
        self.points: list[EndPoint] = []

    def set_runs(self, problem: Problem, trajectories: Sequence[Trajectory | None],
                 shift: Sequence[float] | None, colors: Sequence[str] | None = None) -> None:
        """Compute :func:`core.lessons.end_report` for the runs that have a record and show it."""
        keep = [(k, tr) for k, tr in enumerate(trajectories) if tr is not None]
        points = core_lessons.end_report(problem, [tr for _, tr in keep], shift)
        cols = [colors[k] if colors is not None and k < len(colors) else None for k, _ in keep]
        self.set_report(points, cols, shift)

    def set_report(self, points: Sequence[EndPoint], colors: Sequence[str | None] | None = None,
                   shift: Sequence[float] | None = None) -> None:
        """Show end points (one row each)."""
        self.points = list(points)
        if shift is not None:
            self.caption.setText(self.tr(
                "End points. Testing loss = training loss shifted by s = ({sx}, {sy}); rise = "
                "L(θ − s) − L(θ); sharpness λ_max = largest Hessian eigenvalue (large: a narrow "
                "canyon, small: a wide basin).").format(sx=_num(shift[0]), sy=_num(shift[1])))
        else:
            self.caption.setText(self.tr(
                "End points (no testing shift in this scenario); sharpness = largest Hessian "
                "eigenvalue."))
        self.table.setRowCount(len(self.points))
        for r, p in enumerate(self.points):
            where = (self.tr("min {k}").format(k=p.minimum + 1) if p.minimum >= 0
                     else self.tr("none"))
            values = ["● " + p.label, _cell(p.train_loss),
                      "—" if p.test_loss is None else _cell(p.test_loss),
                      "—" if p.rise is None else ("+" if p.rise > 0 else "") + _cell(p.rise),
                      _cell(p.sharpness), where]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                if c == 0:
                    item.setToolTip(p.label)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if c == 0 and colors is not None and r < len(colors) and colors[r]:
                    item.setForeground(QColor(str(colors[r])))
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        # every row shown: the height holds the header, the rows and a horizontal scroll
        # bar's room (a narrow panel may need one; it must not cover the last row)
        h = self.table.horizontalHeader().height() + sum(
            self.table.rowHeight(r) for r in range(self.table.rowCount())) + 4
        bar = self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(h + bar)


# ---------------------------------------------------------------------------------------------
# Lesson 6: escape a saddle point along the Hessian
# ---------------------------------------------------------------------------------------------


def saddle_at(problem: Problem, theta: np.ndarray) -> np.ndarray | None:
    """The saddle point θ sits at (or has stalled next to), else None."""
    th = np.asarray(theta, dtype=float).reshape(-1)
    if th.shape != (2,) or not np.all(np.isfinite(th)):
        return None
    try:
        point, _ = saddle_near(problem, th)
    except ValueError:
        return None
    return point


def escape_run(problem: Problem, traj: Trajectory, t: int | None = None,
               distance: float = 0.1) -> EscapeResult:
    """Lesson 6 for the selected run: from θᵗ (default: its end point), at a saddle point,
    step ``distance`` along the Hessian's eigenvector u of the negative eigenvalue λ₁ and
    continue the run from there (same optimizer, η, λ, batch size, seed; m⁰ = 0).

    The result's ``config`` (labelled "… (escaped)") is the run for the state to add, and its
    ``trajectory`` the continued run simulated. Raises ValueError (one line) when θᵗ is not at
    a saddle point.
    """
    k = traj.updates if t is None else max(0, min(int(t), traj.updates))
    return escape_and_continue(problem, traj.config, traj.theta[k], distance=distance,
                               suffix=QCoreApplication.translate("lessons", " (escaped)"))

"""Playback: play/pause, step, step back, reset, a timeline to scrub, speed in updates/s.

All runs share one timeline, t = 0 … T (T = the most updates any run made). A ``QTimer`` drives
play and is stopped whenever playback pauses, so a paused window does no work at all. Each tick
advances t by the number of updates due at the chosen speed since the last tick (measured with
``QElapsedTimer``), so the speed holds even when a frame takes longer than the tick.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QWidget,
)

from gui.panels.labels import SteadyLabel
from gui.qtutil import signals_blocked
from gui.state import AppState
from gui.theme import theme_named

__all__ = ["MEDIA_ICONS", "PlaybackBar", "PlaybackController", "media_icon"]

#: The playback buttons' glyphs: "|" a bar, ">" / "<" a triangle pointing right / left.
MEDIA_ICONS = {
    "reset": "|<<", "back": "<", "play": ">", "pause": "||", "step": ">", "end": ">>|",
}
_ICON_PX = 18


def media_icon(kind: str, color: str, size: int = _ICON_PX) -> QIcon:
    """A playback glyph (see :data:`MEDIA_ICONS`) drawn in ``color`` — the theme's text
    colour, so it reads on the dark and on the light theme (the style's own media icons are
    dark grey, invisible on a dark background). Drawn at 2× for sharp high-DPI screens."""
    scale = 2
    px = size * scale
    pix = QPixmap(px, px)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(color))
    glyphs = MEDIA_ICONS[kind]
    h = px * 0.62
    top = (px - h) / 2
    bar = px * 0.13
    tri = h * 0.62 if len(glyphs) > 1 else h * 0.8
    widths = [bar if g == "|" else tri for g in glyphs]
    if kind == "pause":
        widths = [bar * 1.3, bar * 1.3]
    gap = px * 0.08 if kind == "pause" else 0.0
    total = sum(widths) + gap * (len(widths) - 1)
    x = (px - total) / 2
    path = QPainterPath()
    for g, w in zip(glyphs, widths, strict=True):
        if g == "|":
            path.addRect(QRectF(x, top, w, h))
        else:
            tip, back = (x + w, x) if g == ">" else (x, x + w)
            path.addPolygon(QPolygonF([QPointF(back, top), QPointF(tip, top + h / 2),
                                       QPointF(back, top + h)]))
            path.closeSubpath()
        x += w + gap
    p.drawPath(path)
    p.end()
    pix.setDevicePixelRatio(scale)
    return QIcon(pix)

#: Shortest timer interval (about 60 frames per second).
MIN_INTERVAL_MS = 16


class PlaybackController(QObject):
    """Moves ``state.current`` through time. ``playingChanged(bool)`` follows play/pause."""

    playingChanged = Signal(bool)

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        self._carry = 0.0
        self._speed = 20.0

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    @property
    def speed(self) -> float:
        """Updates per second."""
        return self._speed

    def set_speed(self, updates_per_second: float) -> None:
        self._speed = max(float(updates_per_second), 0.1)
        self.timer.setInterval(max(MIN_INTERVAL_MS, round(1000.0 / self._speed)))

    def play(self) -> None:
        """Start (from 0 again when at the end)."""
        if self.playing:
            return
        if self.state.current >= self.state.t_max:
            self.state.set_current(0)
        self.set_speed(self._speed)
        self._carry = 0.0
        self._clock.start()
        self.timer.start()
        self.playingChanged.emit(True)

    def pause(self) -> None:
        """Stop the timer: nothing runs while paused."""
        if self.timer.isActive():
            self.timer.stop()
            self.playingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def step(self) -> None:
        """One update forward (pauses)."""
        self.pause()
        self.state.step(1)

    def step_back(self) -> None:
        """One update back (pauses)."""
        self.pause()
        self.state.step(-1)

    def reset(self) -> None:
        """Back to t = 0 (pauses)."""
        self.pause()
        self.state.set_current(0)

    def to_end(self) -> None:
        """Jump to t = T (pauses)."""
        self.pause()
        self.state.set_current(self.state.t_max)

    def _tick(self) -> None:
        elapsed = self._clock.restart() / 1000.0
        self._carry += elapsed * self._speed
        n = int(self._carry)
        if n < 1:
            return
        self._carry -= n
        self.state.step(n)
        if self.state.current >= self.state.t_max:
            self.pause()


class PlaybackBar(QWidget):
    """⏮ ◀ ▶/⏸ ▶| ⏭, the timeline slider, "update t / T · epoch e · batch b of B", speed."""

    def __init__(self, state: AppState, controller: PlaybackController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.controller = controller
        self._icons: dict[QToolButton, str] = {}

        def button(icon: str, tip: str) -> QToolButton:
            b = QToolButton()
            self._icons[b] = icon
            b.setIconSize(QSize(_ICON_PX, _ICON_PX))
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            return b

        self.reset_button = button("reset", self.tr("reset to t = 0 (Home)"))
        self.back_button = button("back", self.tr("step back (←)"))
        self.play_button = button("play", self.tr("play / pause (Space)"))
        self.step_button = button("step", self.tr("step (→)"))
        self.end_button = button("end", self.tr("jump to the end (End)"))
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.timeline.setToolTip(self.tr("scrub through the updates"))
        self.counter = SteadyLabel()  # changes every frame: must not re-lay out the bar
        self.counter.setMinimumWidth(250)
        self.counter.setTextFormat(Qt.TextFormat.PlainText)
        self.speed = QSpinBox()
        self.speed.setRange(1, 2000)
        self.speed.setSuffix(self.tr(" updates/s"))
        self.speed.setValue(round(controller.speed))
        self.speed.setKeyboardTracking(False)
        self.speed.setToolTip(self.tr("playback speed"))

        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        for b in (self.reset_button, self.back_button, self.play_button, self.step_button,
                  self.end_button):
            lay.addWidget(b)
        lay.addWidget(self.timeline, 1)
        lay.addWidget(self.counter)
        lay.addWidget(self.speed)

        self.reset_button.clicked.connect(controller.reset)
        self.back_button.clicked.connect(controller.step_back)
        self.play_button.clicked.connect(controller.toggle)
        self.step_button.clicked.connect(controller.step)
        self.end_button.clicked.connect(controller.to_end)
        self.timeline.valueChanged.connect(self._on_scrub)
        self.speed.valueChanged.connect(lambda v: controller.set_speed(float(v)))
        controller.playingChanged.connect(self._on_playing)
        state.currentChanged.connect(self.refresh)
        state.trajectoriesChanged.connect(self.refresh)
        state.selectionChanged.connect(self.refresh)
        state.optionsChanged.connect(self._restyle)
        self._theme = ""
        self._restyle()
        self.refresh()

    def _restyle(self) -> None:
        """The buttons' glyphs in the theme's text colour (redrawn when the theme changes)."""
        theme = self.state.options.theme
        if theme == self._theme:
            return
        self._theme = theme
        color = theme_named(theme).foreground
        for b, kind in self._icons.items():
            b.setIcon(media_icon(kind, color))

    def _on_scrub(self, value: int) -> None:
        self.controller.pause()
        self.state.set_current(value)

    def _on_playing(self, playing: bool) -> None:
        self._icons[self.play_button] = "pause" if playing else "play"
        self.play_button.setIcon(media_icon(self._icons[self.play_button],
                                            theme_named(self.state.options.theme).foreground))

    def counter_text(self) -> str:
        """"update t / T · epoch e · batch b of B" for the selected run."""
        if not self.state.scenario.runs:
            return self.tr("no runs")
        t, T = self.state.current, self.state.t_max
        tr = self.state.trajectory(self.state.selected)
        if tr is not None and t > tr.updates:
            return self.tr("update {t} / {T} · selected run stopped after {n}").format(
                t=t, T=T, n=tr.updates)
        if tr is not None and t > 0:
            epoch, b, per = tr.batch_position(t - 1)
            return self.tr("update {t} / {T} · epoch {epoch} · batch {b} of {per}").format(
                t=t, T=T, epoch=epoch + 1, b=b, per=per)
        return self.tr("update {t} / {T}").format(t=t, T=T)

    def refresh(self) -> None:
        """Model → widgets."""
        with signals_blocked(self.timeline):
            self.timeline.setRange(0, self.state.t_max)
            self.timeline.setValue(self.state.current)
        self.counter.setText(self.counter_text())

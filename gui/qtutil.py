"""Small Qt helpers shared by the panels and windows."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QWidget

__all__ = ["Throttle", "available_area", "fit_to_screen", "signals_blocked", "window_action"]


@contextmanager
def signals_blocked(*widgets: QWidget) -> Iterator[None]:
    """Block the widgets' signals while the model updates them (restores the old state)."""
    old = [w.blockSignals(True) for w in widgets]
    try:
        yield
    finally:
        for w, b in zip(widgets, old, strict=True):
            w.blockSignals(b)


class Throttle(QObject):
    """Calls ``fn`` at most once per ``interval_ms``: a call after a quiet interval runs at
    once; calls that follow it sooner (a slider dragged, playback) are merged into one call
    when the interval has passed since the last run, so the last state is always shown.

    The views repaint between these calls: a display-only panel (the step inspector, the
    η_t plot) costs no time in a dragged slider's frames but its first and last position."""

    def __init__(self, fn: Callable[[], Any], interval_ms: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._interval = interval_ms / 1000.0
        self._last = -float("inf")  # perf_counter of the last run
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)

    @property
    def pending(self) -> bool:
        """Whether a merged call is waiting for its turn."""
        return self._timer.isActive()

    def __call__(self, *_: object) -> None:
        wait = self._last + self._interval - time.perf_counter()
        if wait <= 0 and not self._timer.isActive():
            self._run()
        elif not self._timer.isActive():
            self._timer.start(max(round(wait * 1000), 0))

    def flush(self) -> None:
        """Run a pending call now (e.g. when the caller needs the panel up to date)."""
        if self._timer.isActive():
            self._run()

    def _run(self) -> None:
        self._timer.stop()
        self._last = time.perf_counter()
        self._fn()


def window_action(window: QWidget, text: str, slot: Callable[..., Any],
                  shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
                  checkable: bool = False, tip: str = "") -> QAction:
    """A window-wide action of ``window`` (its shortcut works wherever the focus is in it)."""
    a = QAction(text, window)
    if shortcut is not None:
        a.setShortcut(QKeySequence(shortcut))
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    a.setCheckable(checkable)
    if tip:
        a.setStatusTip(tip)
        a.setToolTip(tip)
    a.triggered.connect(slot)
    window.addAction(a)
    return a


def available_area(window: QWidget) -> QRect:
    """The available geometry of the screen ``window`` is on (empty without a screen)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect()


def fit_to_screen(window: QWidget, margin: int = 8) -> None:
    """Shrink ``window`` (and move it) so that it lies inside the available area of its
    screen (``QScreen.availableGeometry``: without task bars and docks); a maximized window
    is left to the window manager."""
    if window.isMaximized() or window.isFullScreen():
        return
    area = available_area(window)
    if area.isEmpty():
        return
    # the frame (title bar) of the window manager is not part of the window's size
    # (unknown before the window is shown: room for a title bar is kept then)
    frame_w = max(window.frameGeometry().width() - window.width(), 0)
    frame_h = max(window.frameGeometry().height() - window.height(), 0)
    if not window.isVisible():
        frame_h = max(frame_h, 32)
    w = min(window.width(), area.width() - frame_w - margin)
    h = min(window.height(), area.height() - frame_h - margin)
    w = max(w, window.minimumWidth())
    h = max(h, window.minimumHeight())
    if (w, h) != (window.width(), window.height()):
        window.resize(w, h)
    x = min(max(window.x(), area.left()), area.right() + 1 - w - frame_w)
    y = min(max(window.y(), area.top()), area.bottom() + 1 - h - frame_h)
    if (x, y) != (window.x(), window.y()):
        window.move(max(x, area.left()), max(y, area.top()))

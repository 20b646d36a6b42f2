"""Small Qt helpers shared by the panels and windows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

__all__ = ["signals_blocked", "window_action"]


@contextmanager
def signals_blocked(*widgets: QWidget) -> Iterator[None]:
    """Block the widgets' signals while the model updates them (restores the old state)."""
    old = [w.blockSignals(True) for w in widgets]
    try:
        yield
    finally:
        for w, b in zip(widgets, old, strict=True):
            w.blockSignals(b)


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

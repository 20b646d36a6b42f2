"""Issue 9 §2: the window never hangs, never freezes, and no exception escapes a slot.

Regression tests for what the monkey test (tests/test_monkey.py) and people found: extreme
numbers typed into the boxes, N = 1, hostile files, long computations abandoned at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.mainwindow import MainWindow


def wait_idle(qtbot, window: MainWindow, timeout: int = 15000) -> None:
    st = window.state
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=timeout)


def type_into(qtbot, box, text: str) -> None:
    """Select a spin box's text, type ``text`` and press Enter (what a person does)."""
    edit = box.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_one_example_from_the_surface_controls(app_window: MainWindow, qtbot) -> None:
    """§2.4: N = 1 typed into the N box while the contour map shows the batch loss L_b (the
    records of N = 20 are still shown while the new ones are computed) raised IndexError."""
    w = app_window
    w.state.set_options(batch_surface=True)
    w.state.set_current(5)
    type_into(qtbot, w.controls.surface.examples, "1")
    wait_idle(qtbot, w)
    assert w.state.scenario.surface.examples == 1
    assert all(r.batch_size == 1 for r in w.state.scenario.runs)
    assert all(tr is not None for tr in w.state.trajectories)
    w.state.set_current(3)  # L_b of the new records: batch [0]
    assert w.state.error == ""

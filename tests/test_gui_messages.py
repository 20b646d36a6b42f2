"""Messages that are true (issue 13 §4): an invalid expression after going back to a built-in
surface, a run that cannot start, no runs, the default new run on every surface, the palette."""

from __future__ import annotations

from PySide6.QtGui import QColor

from core.surfaces import BUILTINS
from gui.theme import RUN_COLORS
from gui.windows.mainwindow import MainWindow
from tests.test_gui_robust import type_text


def wait_idle(qtbot, window: MainWindow) -> None:
    st = window.state
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=15000)


def test_a_bad_expression_is_no_error_once_a_builtin_is_chosen(app_window: MainWindow,
                                                               qtbot) -> None:
    w = app_window
    panel = w.controls.surface
    panel.combo.setCurrentIndex(panel.combo.findData(panel.CUSTOM))
    panel._on_combo(panel.combo.currentIndex())
    wait_idle(qtbot, w)
    panel.expression.clear()
    type_text(panel.expression, "x +* y")
    assert panel.expression_error.isVisible() and "border" in panel.expression.styleSheet()
    index = panel.combo.findData("quadratic")
    panel.combo.setCurrentIndex(index)
    panel._on_combo(index)
    wait_idle(qtbot, w)
    # the error is gone from the panel, the status bar and the window's picture …
    assert not panel.expression_error.isVisible()
    assert w.state.error == "" and w.error_label.text() == ""
    # … but the field still says its text is invalid
    assert "border" in panel.expression.styleSheet()
    assert panel.expression.toolTip().startswith("invalid:")
    # back to the custom expression: the message is shown again
    custom = panel.combo.findData(panel.CUSTOM)
    panel.combo.setCurrentIndex(custom)
    panel._on_combo(custom)
    assert panel.expression_error.isVisible()
    # fixed text: nothing red
    panel.expression.selectAll()
    type_text(panel.expression, "x**2 + y**2")
    assert not panel.expression_error.isVisible() and panel.expression.styleSheet() == ""


def test_a_run_that_cannot_start_says_so(app_window: MainWindow, qtbot) -> None:
    w = app_window
    st = w.state
    assert st.set_expression("log(x)")
    st.set_start(0, -1.0, 0.5)
    wait_idle(qtbot, w)
    assert st.run_error(0)
    item = w.controls.runs.list.item(0)
    assert "cannot start" in item.text() and "diverged" not in item.text()
    assert item.toolTip().startswith("cannot start")
    assert "cannot start" in w.run_status.text()


def test_no_runs_says_no_runs(app_window: MainWindow, qtbot) -> None:
    w = app_window
    st = w.state
    st.set_current(st.t_max)
    while st.scenario.runs:
        st.remove_run(0)
    assert st.current == 0
    assert w.run_status.text() == "no runs"
    assert w.playback.counter.text() == "no runs"


def test_the_default_new_run_suits_every_bounded_surface(app_window: MainWindow, qtbot) -> None:
    """The added run's η comes from the curvature at its start; it diverged on 4 of the
    surfaces with η = 0.1. The monkey saddle is unbounded below: every run leaves it."""
    st = app_window.state
    diverged = []
    for name in BUILTINS:
        st.set_surface_builtin(name)
        wait_idle(qtbot, app_window)
        assert st.add_run()
        wait_idle(qtbot, app_window)
        tr = st.trajectory(len(st.scenario.runs) - 1)
        assert tr is not None
        if tr.status == "diverged":
            diverged.append(name)
        st.remove_run(len(st.scenario.runs) - 1)
    assert diverged == ["monkey"]


def test_new_run_colours_are_far_from_the_ones_in_use() -> None:
    """Okabe–Ito; the orange and the vermillion (the closest pair) are not neighbours."""
    assert len(set(RUN_COLORS)) == len(RUN_COLORS) == 7
    orange, vermillion = RUN_COLORS.index("#E69F00"), RUN_COLORS.index("#D55E00")
    assert vermillion >= 5 and orange == 0

    def distance(a: str, b: str) -> float:
        ca, cb = QColor(a), QColor(b)
        return sum((x - y) ** 2 for x, y in zip(ca.getRgb()[:3], cb.getRgb()[:3],
                                                strict=True)) ** 0.5

    # the fifth run (the first added to a four-run lesson) is further from the first four
    # than the vermillion (next to the orange) was
    fifth = min(distance(RUN_COLORS[4], c) for c in RUN_COLORS[:4])
    assert fifth > distance("#D55E00", "#E69F00") + 5

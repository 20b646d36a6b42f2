"""Issue 9 §2: the window never hangs, never freezes, and no exception escapes a slot.

Regression tests for what the monkey test (tests/test_monkey.py) and people found: extreme
numbers typed into the boxes, N = 1, hostile files, long computations abandoned at once.
"""

from __future__ import annotations

import faulthandler
import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator

from gui.windows.mainwindow import MainWindow


def wait_idle(qtbot, window: MainWindow, timeout: int = 15000) -> None:
    st = window.state
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=timeout)


def type_text(widget, text: str) -> None:
    """Key presses typing ``text`` into ``widget``, any characters (QTest.keyClicks aborts
    the process on characters outside Latin-1, e.g. '٣' or '１２')."""
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        key = ord(ch.upper()) if ch.isascii() and ch.isprintable() else 0
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     ch))


def type_into(qtbot, box, text: str) -> None:
    """Select a spin box's text, type ``text`` and press Enter (what a person does)."""
    edit = box.lineEdit()
    edit.selectAll()
    type_text(edit, text)
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


def _record_boxes(monkeypatch) -> list[tuple[str, str]]:
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def fake(kind):
        def box(_parent, title, text, *args, **kwargs):
            shown.append((kind, f"{title}: {text}"))
            return QMessageBox.StandardButton.Ok
        return box

    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    return shown


def test_open_deeply_nested_toml_shows_a_message(app_window: MainWindow, qtbot, tmp_path,
                                                monkeypatch) -> None:
    """§2.3: File → Open of a deeply nested TOML raised RecursionError in the slot (tomllib
    recurses once per level). Every loader error is a message box; the scenario is kept."""
    from PySide6.QtWidgets import QFileDialog

    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)) * 4)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    shown = _record_boxes(monkeypatch)
    before = app_window.state.scenario
    for path in (deep, binary, folder, tmp_path / "missing.toml"):
        monkeypatch.setattr(QFileDialog, "getOpenFileName",
                            lambda *a, p=path, **k: (str(p), ""))
        app_window.open_action.trigger()
        assert shown and shown[-1][0] == "critical"
        assert path.name in shown[-1][1]
    assert len(shown) == 4
    assert "nested" in shown[0][1] or "deep" in shown[0][1]
    assert app_window.state.scenario == before


# ------------------------------------------------------------------------------------------
# §2.2: long computations run off the GUI thread and are abandoned at once


def _measure(qtbot, action, settle_ms: int = 400) -> float:
    """The longest event-loop stall (seconds) while ``action()`` runs and for ``settle_ms``
    after it (a 5 ms QTimer; a gap between its ticks is time the loop could not run)."""
    from gui.stallmeter import StallMeter

    meter = StallMeter(interval_ms=5)
    meter.start()
    try:
        qtbot.wait(50)
        meter.reset()
        action()
        qtbot.wait(settle_ms)
        qtbot.waitUntil(lambda: meter.ticks >= 2, timeout=5000)  # the timer really ran
    finally:
        meter.stop()
    return meter.longest


#: A stall that fails the tests: far below the freezes the issue reports (26 s, 53 s) and above
#: what a busy 2-core machine adds to an idle loop (bench_gui.py measures the real figure).
STALL_LIMIT = 1.0


def test_closing_a_large_study_does_not_block(app_window: MainWindow, qtbot) -> None:
    """Closing the study window while a large study runs blocked the window 53 s (closeEvent
    waited for the worker). Now it returns at once and the worker stops within a second."""
    from dataclasses import replace

    st = app_window.state
    s = st.scenario
    n = 9999
    scenario = replace(s, surface=replace(s.surface, examples=n),
                       runs=tuple(replace(r, batch_size=min(r.batch_size, n)) for r in s.runs))
    from gui.windows.study_window import StudyWindow

    study = StudyWindow(scenario, 0, app_window)
    qtbot.addWidget(study)
    study.seeds_spin.setValue(100)
    study.show()
    progressed = []
    study.study_task.progress.connect(progressed.append)
    study.run_study()
    qtbot.waitUntil(lambda: bool(progressed), timeout=20000)
    assert study.study_task.running
    pool = study.study_task._pool
    stall = _measure(qtbot, study.close)
    assert stall < STALL_LIMIT, f"closing the study stalled the event loop {stall * 1e3:.0f} ms"
    assert not study.study_task.running
    qtbot.waitUntil(lambda: pool.activeThreadCount() == 0, timeout=2000)  # worker stopped


def test_toggling_the_3d_view_and_big_settings_do_not_block(app_window: MainWindow,
                                                           qtbot) -> None:
    """Toggling the 3D view took 26 s; a surface with N = 9,999 examples on a 201 × 201 grid is
    computed off the GUI thread and abandoned when the setting changes again."""
    w = app_window
    st = w.state
    stalls = []
    st.set_options(grid=201)
    stalls.append(_measure(qtbot, lambda: st.set_surface_value("examples", 9999), 200))
    for _ in range(2):
        stalls.append(_measure(qtbot, w.panel_actions["surface"].trigger, 200))
    stalls.append(_measure(qtbot, lambda: st.set_surface_value("examples", 30), 200))
    wait_idle(qtbot, w, timeout=30000)
    assert st.scenario.surface.examples == 30 and st.problem is not None
    assert st.problem.n == 30
    stalls.append(_measure(qtbot, lambda: st.set_options(batch_surface=True), 200))
    stalls.append(_measure(qtbot, lambda: st.set_surface_value("examples", 9999), 200))
    stalls.append(_measure(qtbot, lambda: st.set_surface_value("examples", 20), 200))
    wait_idle(qtbot, w, timeout=30000)
    print("stalls (ms):", [round(s * 1e3) for s in stalls])
    assert max(stalls) < STALL_LIMIT, [f"{s * 1e3:.0f} ms" for s in stalls]


def test_shutdown_does_not_wait_for_a_long_job(qtbot) -> None:
    """AppState.shutdown (the window closing, quit) cancels the running job and returns."""
    import time

    from core import scenario as sc
    from gui.state import AppState

    st = AppState()
    st.load_scenario(sc.load("saddle"), sync=True)
    st.set_options(grid=201)
    st.update_run(0, steps=1_000_000)  # seconds of simulation on the worker
    assert st.busy
    t0 = time.perf_counter()
    st.shutdown()
    assert time.perf_counter() - t0 < STALL_LIMIT  # the job would take seconds
    assert not st.busy
    qtbot.waitUntil(lambda: st._jobs._pool.activeThreadCount() == 0, timeout=2000)


# ------------------------------------------------------------------------------------------
# §2.1: extreme numbers never reach pyqtgraph's axes as absurd ranges


@pytest.fixture
def watchdog():
    """Kill the test run with every thread's stack when the GUI thread hangs (a spin in
    pyqtgraph's axis code never returns to the event loop, so pytest's own timeout is the
    only other way out)."""
    faulthandler.dump_traceback_later(60, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def _assert_sane_ranges(window: MainWindow) -> None:
    for plot in (window.scene.loss, window.scene.contour):
        for lo, hi in plot.getPlotItem().getViewBox().viewRange():
            assert math.isfinite(lo) and math.isfinite(hi) and hi > lo
            assert hi - lo >= 1e-9 * max(abs(lo), abs(hi)) and hi - lo >= 1e-150


@pytest.mark.parametrize("values", [
    [1e-320, 2e-320, 3e-320], [0.0, 1e-320], [-1e-320, -2e-320], [1.0, 1.0 + 2e-16],
    [-1e308, 1e308], [1e-320, 1e300], [6.8e11, 6.8e11, 6.8e11 * (1 + 1e-15)],
    [np.nan, np.inf, -np.inf], [np.nan], [5e-324] * 3, [1e308] * 3,
])
def test_loss_plot_range_is_sane_for_extreme_losses(qtbot, values, watchdog) -> None:
    from gui.theme import RunStyle
    from gui.views.lossplot import LossPlot

    lp = LossPlot()
    qtbot.addWidget(lp)
    lp.set_runs([RunStyle(label="a", color="#ff0000")])
    lp.resize(600, 200)
    lp.set_losses([np.array(values)], [np.array(values[:-1])])
    with qtbot.waitExposed(lp):
        lp.show()
    for h in (150, 260, 90):
        lp.resize(640, h)
        qtbot.wait(20)
    for lo, hi in lp.getPlotItem().getViewBox().viewRange():
        assert math.isfinite(lo) and math.isfinite(hi) and hi > lo


def test_number_boxes_never_pass_subnormal_or_non_finite_values(qtbot) -> None:
    """``1e-320`` typed into a box reached the model (the box showed 0); ``nan`` and ``inf``
    are not numbers a box accepts."""
    from gui.panels.controls import NumberBox

    box = NumberBox(-1e6, 1e6)
    qtbot.addWidget(box)
    box.setValue(0.5)
    got: list[float] = []
    box.valueChanged.connect(got.append)
    box.show()
    for text, expected in (("1e-320", 0.0), ("-824553", -824553.0), ("１２", 12.0),
                           ("٣", 3.0), ("-1e-13", 0.0), ("2.5", 2.5)):
        type_into(qtbot, box, text)
        assert box.value() == expected, text
    assert all(v == 0.0 or abs(v) >= 1e-12 for v in got)
    for text in ("nan", "inf", "-inf", "1e999", "(((("):
        assert box.parse(text) is None
        assert box.validate(text, 0) in (QValidator.State.Invalid,
                                         QValidator.State.Intermediate)


def test_extreme_start_and_tiny_values_then_show_the_loss_plot(app_window: MainWindow, qtbot,
                                                               watchdog) -> None:
    """§2.1 (a): θ⁰ = −824553, then ``1e-320`` typed into a number box, then the loss plot
    shown: the GUI thread spun in AxisItem.updateAutoSIPrefix under ViewBox.resizeEvent."""
    from gui.panels.controls import NumberBox

    w = app_window
    ed = w.controls.editor
    for sel in range(len(w.state.scenario.runs)):
        w.state.set_selected(sel)
        w.panel_actions["loss"].trigger()  # hide
        assert not w.scene.loss.isVisible()
        type_into(qtbot, ed.start_x, "-824553")
        for box in w.findChildren(NumberBox):
            if box.isVisible():
                type_into(qtbot, box, "1e-320")
        wait_idle(qtbot, w)
        w.panel_actions["loss"].trigger()  # show: the ViewBox is resized
        qtbot.waitUntil(w.scene.loss.isVisible)
        qtbot.wait(30)
        _assert_sane_ranges(w)
    s = w.state.scenario
    values = [*s.surface.__dict__.values()] + [v for r in s.runs for v in (*r.start, *[
        p for p in r.params.values() if isinstance(p, float)])]
    for v in values:
        if isinstance(v, float):
            assert v == 0.0 or abs(v) >= 1e-12, s


def test_lesson_6_after_a_sequence_of_edits(app_window: MainWindow, qtbot, watchdog) -> None:
    """§2.1 (b): opening lesson 6 after edits (extreme start, tiny η, N = 1, an expression)
    spun in the same axis code."""
    w = app_window
    ed = w.controls.editor
    type_into(qtbot, ed.start_x, "-824553")
    type_into(qtbot, ed.start_y, "1e-320")
    type_into(qtbot, ed.lr.box, "1e-320")
    type_into(qtbot, w.controls.surface.noise, "1e-320")
    type_into(qtbot, w.controls.surface.examples, "1")
    w.controls.surface.expression.setText("x**2+y")
    qtbot.keyClick(w.controls.surface.expression, Qt.Key.Key_Return)
    wait_idle(qtbot, w)
    w.lessons.lesson_actions["lesson6_hessian_escape"].trigger()
    wait_idle(qtbot, w)
    for sizes in ([300, 100], [600, 40], [560, 190]):
        w.view_split.setSizes(sizes)
        qtbot.wait(30)
    _assert_sane_ranges(w)
    assert w.state.scenario.lesson is not None


def test_diverged_run_over_a_surface_with_no_finite_value(app_window: MainWindow,
                                                          qtbot) -> None:
    """Found by the monkey test (seed 3): noise 12, then the expression x**1000 gives a grid
    with no finite loss; drawing a diverged run over it warned "All-NaN slice" in the slot."""
    w = app_window
    st = w.state
    st.set_hyper(0, "lr", 50.0)  # diverges
    wait_idle(qtbot, w)
    assert st.trajectory(0) is not None and st.trajectory(0).status == "diverged"
    st.set_surface_value("noise", 12.0)
    wait_idle(qtbot, w)
    st.set_expression("x**1000")
    wait_idle(qtbot, w)
    assert st.surface_data is not None
    assert not np.isfinite(st.surface_data.z).any()


def test_inspector_replays_a_long_run_in_chunks(app_window: MainWindow, qtbot) -> None:
    """Jumping to the end of a run of 200,000 updates replayed the optimizer state from the
    start in one slot (a million updates: 17 s); now a chunk per event-loop turn."""
    from gui.panels.inspector import REPLAY_CHUNK

    w = app_window
    st = w.state
    st.set_selected(3)  # momentum
    st.update_run(3, steps=200_000)
    wait_idle(qtbot, w, timeout=60000)
    tr = st.trajectory(3)
    assert tr is not None and tr.updates == 200_000
    stall = _measure(qtbot, w.end_action.trigger, 400)
    assert stall < 0.5, f"{stall * 1e3:.0f} ms"
    qtbot.waitUntil(lambda: bool(w.inspector.terms), timeout=60000)
    assert tr.replay_cost(tr.updates - 1) <= 256
    # the numbers are the engine's: the replayed state equals a replay in one go
    from core.present import step_terms

    fresh = type(tr)(**{f: getattr(tr, f) for f in ("config", "schedule", "theta", "loss",
                                                     "grad", "batch_loss", "epoch")})
    for (a, va), (b, vb) in zip(w.inspector.terms, step_terms(fresh, tr.updates), strict=True):
        assert a == b
        np.testing.assert_array_equal(va, vb)
    assert REPLAY_CHUNK >= 1000


def test_loss_plot_of_a_million_updates_paints_quickly(qtbot) -> None:
    """A run of 1,000,000 updates with an epoch every 20: 50,000 epoch lines and 2 million
    curve points took 43 s to paint when the run was selected; now epoch lines are left out
    above MAX_EPOCH_LINES and curves are downsampled to the pixels."""
    import time

    from gui.theme import RunStyle
    from gui.views.lossplot import MAX_EPOCH_LINES, LossPlot

    lp = LossPlot()
    qtbot.addWidget(lp)
    lp.resize(800, 220)
    lp.set_runs([RunStyle(label="a", color="#ff0000")])
    n = 1_000_000
    full = 1.0 + np.sin(np.arange(n + 1) / 1000.0) ** 2
    lp.set_losses([full], [full[:-1] * 1.1], range(20, n + 1, 20))
    assert lp._epoch_x.size == 0
    with qtbot.waitExposed(lp):
        lp.show()
    t0 = time.perf_counter()
    lp.grab()
    assert time.perf_counter() - t0 < 2.0
    lp.set_losses([full[:2001]], [None], range(20, 2001, 20))
    assert 0 < lp._epoch_x.size <= MAX_EPOCH_LINES


def test_save_as_answered_with_a_folder(app_window: MainWindow, tmp_path, monkeypatch) -> None:
    """Found by the monkey test: Save as answered with "." wrote "..toml" in the working folder
    ("." has no suffix, so ".toml" was appended). A folder is refused with a message."""
    from PySide6.QtWidgets import QFileDialog

    shown = _record_boxes(monkeypatch)
    tmp_path = tmp_path / "work"  # (tmp_path holds the window's settings file)
    tmp_path.mkdir()
    monkeypatch.chdir(tmp_path)
    for answer in (".", "/", str(tmp_path), ".."):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, p=answer, **k: (p, ""))
        assert not app_window.save_as()
        assert "folder" in shown[-1][1]
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "plain"), ""))
    assert app_window.save_as()
    assert (tmp_path / "plain.toml").is_file()

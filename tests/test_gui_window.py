"""The main window: playback against the engine's numbers, mouse on the contour map, files,
divergence, frames; ``python main.py`` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from core import scenario as sc
from core.optim import explain_step, make_optimizer
from core.run import simulate_scenario
from gui.windows.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parent.parent
_NOT_ACCEPTED = pytest.mark.qt_log_ignore(r"Mouse event .* not accepted by receiving widget")


def wait_idle(qtbot, window: MainWindow, timeout: int = 15000) -> None:
    st = window.state
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=timeout)


def _send_mouse(widget: QWidget, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    ev = QMouseEvent(kind, pos, QPointF(widget.mapToGlobal(pos.toPoint())), button, buttons,
                     Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, ev)


@pytest.fixture(scope="module")
def reference():
    return simulate_scenario(sc.load("saddle"))


def test_window_opens_with_the_default_scenario(app_window: MainWindow, reference) -> None:
    _, trajs = reference
    st = app_window.state
    assert "Descent Lab" in app_window.windowTitle()
    assert len(st.scenario.runs) == len(trajs)
    assert app_window.scene.t_max == max(t.updates for t in trajs)
    assert app_window.controls.runs.list.count() == len(trajs)
    assert app_window.run_status.text() == f"all runs ok · 0 / {st.t_max}"
    for pos, tr in zip(app_window.scene.contour.current_positions(), trajs, strict=True):
        assert pos == pytest.approx(tuple(tr.theta[0]))


def test_step_keys_and_timeline_agree_with_the_engine(app_window: MainWindow, qtbot,
                                                      reference) -> None:
    _, trajs = reference
    st, scene = app_window.state, app_window.scene
    st.set_selected(len(trajs) - 1)  # the momentum run
    for _ in range(3):
        qtbot.keyClick(app_window, Qt.Key.Key_Right)
    assert st.current == 3
    qtbot.keyClick(app_window, Qt.Key.Key_Left)
    assert st.current == 2
    app_window.playback.timeline.setValue(37)
    assert st.current == 37 and scene.current == 37
    assert scene.loss.cursor_value() == 37
    for pos, tr in zip(scene.contour.current_positions(), trajs, strict=True):
        k = min(37, tr.updates)
        assert pos == pytest.approx(tuple(tr.theta[k]), abs=1e-12)
    world = scene.surface.current_positions()
    for w, tr in zip(world, trajs, strict=True):
        np.testing.assert_allclose(w[:2], scene.surface.data_to_world(tr.theta[37]), atol=1e-6)
    # the inspector's numbers are the engine's
    tr = trajs[-1]
    cfg = tr.config
    opt = make_optimizer(cfg.optimizer, **cfg.params)
    before = tr.state_before(36)
    _, after = opt.update(tr.grad[36:37], before, tr.theta[36:37])
    expected = explain_step(cfg.optimizer, cfg.params, tr.grad[36:37], before, after,
                            tr.theta[36:37], tr.theta[37:38])
    terms = app_window.inspector.terms
    assert [label for label, _ in terms] == [label for label, _ in expected]
    for (_, mine), (_, ref) in zip(terms, expected, strict=True):
        np.testing.assert_array_equal(mine, ref)
    text = app_window.inspector.text.text()
    assert "m³⁷&nbsp;=&nbsp;λm³⁶&nbsp;−&nbsp;ηg³⁶" in text and "θ³⁷" in text
    assert "Hessian" in text
    assert "update 37 / " in app_window.playback.counter.text()
    qtbot.keyClick(app_window, Qt.Key.Key_Home)
    assert st.current == 0


def test_play_advances_and_pause_stops_the_timer(app_window: MainWindow, qtbot) -> None:
    ctl = app_window.controller
    ctl.set_speed(400)
    qtbot.keyClick(app_window, Qt.Key.Key_Space)
    assert ctl.playing and ctl.timer.isActive()
    qtbot.waitUntil(lambda: app_window.state.current >= 10, timeout=5000)
    qtbot.keyClick(app_window, Qt.Key.Key_Space)
    assert not ctl.timer.isActive()
    t = app_window.state.current
    qtbot.wait(50)
    assert app_window.state.current == t


@_NOT_ACCEPTED
def test_click_on_contour_sets_the_start(app_window: MainWindow, qtbot) -> None:
    contour = app_window.scene.contour
    st = app_window.state
    st.set_selected(1)
    p = contour.data_to_widget(0.5, 0.75)
    qtbot.mouseClick(contour.viewport(), Qt.MouseButton.LeftButton, pos=p.toPoint())
    px, py = contour.getPlotItem().getViewBox().viewPixelSize()
    x, y = st.scenario.runs[1].start
    assert abs(x - 0.5) <= 1.5 * px and abs(y - 0.75) <= 1.5 * py
    wait_idle(qtbot, app_window)
    path = contour.run_items(1)[0]
    assert path.xData[0] == pytest.approx(x) and path.yData[0] == pytest.approx(y)


def test_dragging_the_start_marker_moves_the_path(app_window: MainWindow, qtbot) -> None:
    contour = app_window.scene.contour
    st = app_window.state
    for i in range(len(st.scenario.runs) - 1):  # only the last run's marker on top
        st.update_run(i, visible=False)
    last = len(st.scenario.runs) - 1
    start = st.scenario.runs[last].start
    vp = contour.viewport()
    p0 = contour.data_to_widget(*start)
    _send_mouse(vp, QEvent.Type.MouseMove, p0, Qt.MouseButton.NoButton)
    qtbot.wait(15)
    _send_mouse(vp, QEvent.Type.MouseButtonPress, p0, Qt.MouseButton.LeftButton)
    seen = []
    for k in range(1, 6):
        qtbot.wait(15)
        _send_mouse(vp, QEvent.Type.MouseMove, QPointF(p0.x() - 12 * k, p0.y() + 8 * k),
                    Qt.MouseButton.LeftButton)
        seen.append(st.scenario.runs[last].start)
    _send_mouse(vp, QEvent.Type.MouseButtonRelease, QPointF(p0.x() - 60, p0.y() + 40),
                Qt.MouseButton.NoButton)
    assert len(set(seen)) >= 3, "the start did not follow the drag live"
    assert st.selected == last
    x, y = st.scenario.runs[last].start
    assert x < start[0] and y < start[1]
    wait_idle(qtbot, app_window)
    full = contour.run_items(last)[0]
    assert (full.xData[0], full.yData[0]) == pytest.approx((x, y))
    np.testing.assert_array_equal(st.trajectories[last].theta[0], [x, y])


def test_save_and_open_round_trip(app_window: MainWindow, qtbot, tmp_path, monkeypatch) -> None:
    st = app_window.state
    st.set_hyper(0, "lr", 0.07)
    target = tmp_path / "round.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    app_window.save_as()
    assert target.is_file() and not st.modified
    assert str(target) in app_window.recent_files()
    saved = st.scenario
    st.set_hyper(0, "lr", 0.2)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    app_window.open_dialog()
    wait_idle(qtbot, app_window)
    assert st.scenario == saved and st.path == target
    assert "round.toml" in app_window.windowTitle()
    # Ctrl+S writes to the same file again
    st.set_hyper(0, "lr", 0.03)
    qtbot.keyClick(app_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert sc.load(target).runs[0].lr == 0.03


def test_malformed_file_shows_the_message_and_keeps_the_scenario(
        app_window: MainWindow, tmp_path, monkeypatch) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[surface]\nname = "saddle"\n[[runs]]\nlr = -1\n', encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: shown.append(text))
    before = app_window.state.scenario
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    app_window.open_dialog()
    assert len(shown) == 1 and "bad.toml" in shown[0] and "lr" in shown[0]
    assert app_window.state.scenario == before
    assert app_window.state.path is None


def test_diverging_run_is_marked_and_the_app_survives(app_window: MainWindow, qtbot) -> None:
    st = app_window.state
    st.set_hyper(0, "lr", 1e6)
    wait_idle(qtbot, app_window)
    assert st.trajectories[0].status == "diverged"
    item = app_window.controls.runs.list.item(0)
    assert "diverged" in item.text() and "diverged" in item.toolTip()
    assert "diverged" in app_window.run_status.text()
    st.set_selected(0)
    for _ in range(5):
        app_window.controller.step()
    app_window.controller.to_end()
    assert st.current == st.t_max
    assert "diverged" in app_window.inspector.text.text()


def test_view_grabs_are_not_blank(app_window: MainWindow, qtbot) -> None:
    app_window.state.set_current(40)
    for img in (app_window.scene.surface.grab_image(), app_window.scene.contour.grab_image()):
        assert img.ndim == 3 and img.shape[0] > 100
        assert np.unique(img.reshape(-1, 3), axis=0).shape[0] > 50
        assert img.std() > 10


def test_options_draw_batch_surface_and_hessian(app_window: MainWindow, qtbot) -> None:
    st, scene = app_window.state, app_window.scene
    st.set_selected(1)
    st.set_current(12)
    app_window.option_actions["batch_surface"].trigger()
    assert st.options.batch_surface and scene.options.batch_surface
    caption = scene.contour._caption.toPlainText()
    batch = st.trajectories[1].batch(11).tolist()
    assert caption.startswith("batch loss L_b, update 12 (examples ")
    assert ", ".join(map(str, batch[:3])) in caption
    st.set_options(batch_surface=False, test_loss=True, hessian=True)
    assert "testing loss" in scene.contour._caption.toPlainText()
    assert scene.contour._eig_lines[0].isVisible()
    st.set_options(vectors=False)
    assert not scene.contour._vectors["movement"].shaft.isVisible()


def test_export_trajectories_and_animation_placeholder(app_window: MainWindow, tmp_path,
                                                       monkeypatch, qtbot) -> None:
    out = tmp_path / "t.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    task = app_window._file_task
    with qtbot.waitSignal(task.finished, timeout=20000):  # written off the GUI thread
        assert app_window.export_trajectories("csv")
    assert out.read_text(encoding="utf-8").startswith("label,t,epoch")
    out = tmp_path / "t.json"
    with qtbot.waitSignal(task.finished, timeout=20000):
        assert app_window.export_trajectories("json")
    assert '"runs"' in out.read_text(encoding="utf-8")
    # a long record: cancelled while writing, nothing is left and the old file stays
    app_window.state.update_run(0, steps=50_000)
    qtbot.waitUntil(lambda: app_window.state.is_current() and not app_window.state.busy,
                    timeout=60000)
    out.write_text("old")
    assert app_window.export_trajectories("json")
    qtbot.waitUntil(lambda: task.running, timeout=5000)
    task.abandon()
    qtbot.waitUntil(lambda: task._pool.activeThreadCount() == 0, timeout=20000)
    assert out.read_text() == "old"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.setitem(sys.modules, "gui.export.dialog", None)  # as if not there yet
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    app_window.export_action.trigger()
    assert told


def test_main_starts_and_stays_up() -> None:
    env = dict(os.environ, XDG_CONFIG_HOME=str(ROOT / ".pytest_cache" / "cfg"))
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=3)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "Traceback" not in err


def test_main_with_a_bad_scenario_exits_2_without_a_window(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("title = 3\n", encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), str(bad)], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "title" in r.stderr

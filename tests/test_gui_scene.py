"""Scene without a window (as the exporter uses it), idle behaviour, status bar, help, settings."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QWidget

from core import scenario as sc
from core.optim import OPTIMIZERS
from core.present import step_vectors
from core.run import simulate_scenario
from gui.state import AppState
from gui.views.scene import Scene, SceneOptions, run_styles
from gui.windows.help import update_rules_html
from gui.windows.mainwindow import MainWindow


@pytest.fixture
def scene(qtbot):
    scenario = sc.load("saddle")
    problem, trajs = simulate_scenario(scenario)
    s = Scene()
    for view in s.views:
        qtbot.addWidget(view)
        view.resize(480, 360)
    s.set_data(problem, trajs, run_styles(scenario.runs), grid=61)
    for view in s.views:
        with qtbot.waitExposed(view):
            view.show()
    return s, problem, trajs


def test_scene_offscreen_set_data_and_frames(scene, qtbot) -> None:
    s, _problem, trajs = scene
    assert s.surface_data.z.shape == (61, 61)
    assert s.t_max == max(t.updates for t in trajs)
    s.set_current(10**6)
    assert s.current == s.t_max
    s.set_current(25)
    for pos, tr in zip(s.contour.current_positions(), trajs, strict=True):
        assert pos == pytest.approx(tuple(tr.theta[min(25, tr.updates)]))
    frames = [v.grab_image() for v in (s.surface, s.contour, s.loss)]
    for img in frames:
        assert img.std() > 5 and np.unique(img.reshape(-1, 3), axis=0).shape[0] > 30


def test_scene_step_vectors_are_the_runs_update(scene) -> None:
    s, _problem, trajs = scene
    i = len(trajs) - 1  # momentum: λm, −ηg and m drawn tip to tail
    s.set_selected(i)
    s.set_current(30)
    vec = step_vectors(trajs[i])
    origin, lam_m, neg, move = vec.at(30)
    np.testing.assert_array_equal(origin, trajs[i].theta[29])
    np.testing.assert_allclose(lam_m + neg, move, atol=1e-15)
    drawn = s.contour._vectors
    assert all(drawn[k].shaft.isVisible() for k in ("lam_m", "neg_eta_g", "movement"))
    np.testing.assert_allclose(drawn["movement"].vec, move)
    np.testing.assert_allclose(drawn["neg_eta_g"].tail_off, lam_m)
    s.set_current(0)  # no update yet: nothing to draw
    assert not drawn["movement"].shaft.isVisible()
    s.set_options(SceneOptions(vectors=False))
    s.set_current(30)
    assert not drawn["movement"].shaft.isVisible()


def test_scene_batch_surface_caption_and_testing_loss(scene) -> None:
    s, problem, trajs = scene
    s.set_selected(1)
    s.set_options(batch_surface=True)
    s.set_current(7)
    batch = trajs[1].batch(6)
    caption = s.contour._caption.toPlainText()
    assert caption.startswith("batch loss L_b, update 7")
    listed = "all" if len(batch) == problem.n else ", ".join(map(str, batch[:2]))
    assert listed in caption
    s.set_options(batch_surface=False, test_loss=True)
    assert s.contour._caption.toPlainText().startswith("testing loss: L shifted by (0.15, 0.08")
    s.set_options(test_loss=False)
    assert not s.contour._caption.isVisible()


class _PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_paused_window_paints_nothing(app_window: MainWindow, qtbot) -> None:
    app_window.state.set_current(20)
    qtbot.wait(100)  # let the frame for t = 20 finish
    counter = _PaintCounter()
    widgets: list[QWidget] = [app_window.scene.surface.view, app_window.scene.contour.viewport(),
                              app_window.scene.loss.viewport(), app_window.inspector.text]
    for w in widgets:
        w.installEventFilter(counter)
    qtbot.wait(300)
    for w in widgets:
        w.removeEventFilter(counter)
    assert counter.count == 0
    assert not app_window.controller.timer.isActive()


def test_hover_shows_theta_and_loss(app_window: MainWindow) -> None:
    app_window.scene.contour.hovered.emit(0.5, -0.25)
    text = app_window.hover_label.text()
    loss = float(app_window.state.problem.loss(np.array([0.5, -0.25])))
    assert text.startswith("θ = (0.5, −0.25)")
    assert f"{loss:.4g}".replace("-", "−") in text


def test_space_in_a_text_field_types_instead_of_playing(app_window: MainWindow, qtbot) -> None:
    field = app_window.controls.surface.expression
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    qtbot.keyClicks(field, "x")
    qtbot.keyClick(field, Qt.Key.Key_Space)
    assert field.text() == "x " and not app_window.controller.playing


def test_help_lists_every_update_rule() -> None:
    page = update_rules_html()
    for info in OPTIMIZERS.values():
        assert info.title in page
    assert "mᵗ = λ mᵗ⁻¹ − η gᵗ⁻¹" in page


def test_settings_keep_geometry_recent_files_and_theme(qtbot, tmp_path) -> None:
    ini = str(tmp_path / "s.ini")
    path = tmp_path / "a.toml"
    sc.save(sc.load("saddle"), path)
    state = AppState()
    state.load_scenario(sc.load("saddle"), sync=True)
    win = MainWindow(state, QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1100, 700)
    assert win.open_path(path)
    state.set_options(theme="light")
    win.close()
    state2 = AppState()
    state2.load_scenario(sc.load("saddle"), sync=True)
    win2 = MainWindow(state2, QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(win2)
    assert win2.recent_files() == [str(path)]
    assert win2.size().width() == 1100
    assert state2.options.theme == "light"
    assert win2.settings.value("last_folder") == str(tmp_path)
    state2.set_options(theme="dark")
    win2.close()


def test_testing_loss_of_many_examples_is_drawn_on_a_coarser_grid(qtbot) -> None:
    """The testing loss L(θ − s) is evaluated on the GUI thread with all N examples per cell:
    for a large N on a coarser grid over the same area (issue 9: a 2.2 s stall), exact L
    there."""
    from dataclasses import replace

    from gui.views.scene import BATCH_GRID_BUDGET

    base = sc.load("saddle")
    scenario = replace(base, surface=replace(base.surface, examples=2000))
    problem, trajs = simulate_scenario(replace(scenario, runs=scenario.runs[:1]))
    s = Scene()
    for view in s.views:
        qtbot.addWidget(view)
    s.set_data(problem, trajs, grid=101)
    extent = s.contour._extent
    s.set_options(test_loss=True)
    xs, ys, z = s._test_z
    assert len(xs) * len(ys) * problem.n <= BATCH_GRID_BUDGET
    assert len(xs) < 101 and z.shape == (len(xs), len(ys))
    assert s.contour._image.image.shape[:2] == z.shape  # what the map shows
    assert s.contour._extent == pytest.approx(extent)  # the same area: the zoom is kept
    shift = np.asarray(s._shift)
    i, j = 3, len(ys) - 4
    expected = problem.loss(np.array([[xs[i], ys[j]]]) - shift)[0]
    assert z[i, j] == pytest.approx(expected, rel=1e-12)


def test_many_runs_get_their_items_over_a_few_event_loop_turns(scene, qtbot) -> None:
    """A scene with ``runs_per_turn`` (the window's) gives the views at most that many new
    runs per turn, the rest after a repaint, and then draws what a scene without it draws
    (the exporter's: every run at once)."""
    from dataclasses import replace as dc_replace

    s, problem, _trajs = scene
    base = sc.load("saddle")
    runs = tuple(dc_replace(base.runs[0], label=f"run {i}", start=(1.5, 0.1 * i))
                 for i in range(11))
    _, trajs = simulate_scenario(dc_replace(base, runs=runs))
    styles = run_styles(runs)
    s.runs_per_turn = 4
    before = s.runs_drawn
    s.set_trajectories(trajs, styles, current=30)
    assert s.runs_drawn == before + 4 < len(trajs)
    assert len(s.contour._items) == len(s.loss._curves) == len(s.surface._items) == s.runs_drawn
    qtbot.waitUntil(lambda: s.runs_drawn == len(trajs), timeout=5_000)
    assert len(s.contour._items) == len(s.loss._curves) == len(s.surface._items) == len(trajs)
    whole = Scene()  # runs_per_turn None: all at once
    for view in whole.views:
        qtbot.addWidget(view)
    whole.set_data(problem, trajs, styles, surface=s.surface_data)
    assert whole.runs_drawn == len(trajs)
    whole.set_current(30)
    assert s.contour.current_positions() == whole.contour.current_positions()
    assert [c.style for c in s.loss._curves] == [c.style for c in whole.loss._curves]
    # fewer runs again: at once
    s.set_trajectories(trajs[:2], styles[:2])
    assert s.runs_drawn == 2 and len(s.contour._items) == 2

"""Two-way bindings: every control edits the scenario (and the views follow), and every model
change shows in the controls."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from core.optim import OPTIMIZERS
from gui.panels.controls import ParamRow
from gui.windows.mainwindow import MainWindow


def wait_idle(qtbot, window: MainWindow, timeout: int = 15000) -> None:
    st = window.state
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=timeout)


def _full_path(window: MainWindow, i: int) -> np.ndarray:
    item = window.scene.contour.run_items(i)[0]
    return np.column_stack([item.xData, item.yData])


def test_eta_slider_and_entry(app_window: MainWindow, qtbot) -> None:
    st, ed = app_window.state, app_window.controls.editor
    st.set_selected(1)
    before = _full_path(app_window, 1)
    ed.lr.slider.setValue(ed.lr.slider.value() - 150)  # as if dragged to the left
    lr = st.scenario.runs[1].lr
    assert lr < 0.1 and lr == pytest.approx(ed.lr.value())
    wait_idle(qtbot, app_window)
    after = _full_path(app_window, 1)
    assert after.shape != before.shape or not np.allclose(after, before)
    np.testing.assert_array_equal(after, st.trajectories[1].theta)
    ed.lr.box.setValue(0.0123)
    assert st.scenario.runs[1].lr == 0.0123
    # model → widget
    st.set_hyper(1, "lr", 0.5)
    assert ed.lr.value() == 0.5
    assert ed.lr.slider.value() == ed.lr._to_slider(0.5)


def test_momentum_batch_start_steps_seed(app_window: MainWindow, qtbot) -> None:
    st, ed = app_window.state, app_window.controls.editor
    last = len(st.scenario.runs) - 1
    st.set_selected(last)
    assert ed.momentum.isVisible()
    ed.momentum.slider.setValue(500)
    assert st.scenario.runs[last].momentum == pytest.approx(0.4995, abs=1e-3)
    ed.momentum.box.setValue(0.8)
    assert st.scenario.runs[last].momentum == 0.8
    ed.batch.setValue(4)
    assert st.scenario.runs[last].batch_size == 4
    assert ed.batch_info.text() == "B = 4 → 5 updates/epoch"
    assert ed.batch_box.value() == 4
    ed.full_batch.setChecked(True)
    assert st.scenario.runs[last].batch_size == 20 and ed.batch.value() == 20
    assert ed.batch_info.text() == "B = 20 → 1 update/epoch"
    ed.start_x.setValue(-1.25)
    ed.start_y.setValue(0.5)
    assert st.scenario.runs[last].start == (-1.25, 0.5)
    ed.steps.setValue(60)
    assert st.scenario.runs[last].steps == 60
    ed.seed.setValue(9)
    assert st.scenario.runs[last].seed == 9
    ed.label.setText("mine")
    ed.label.editingFinished.emit()
    assert st.scenario.runs[last].label == "mine"
    wait_idle(qtbot, app_window)
    tr = st.trajectories[last]
    assert tr.updates == 60 and tuple(tr.theta[0]) == (-1.25, 0.5)
    # model → widgets
    st.update_run(last, batch_size=7, steps=80, seed=3, start=(0.25, -0.5))
    assert (ed.batch.value(), ed.batch_box.value(), ed.full_batch.isChecked()) == (7, 7, False)
    assert (ed.steps.value(), ed.seed.value()) == (80, 3)
    assert (ed.start_x.value(), ed.start_y.value()) == (0.25, -0.5)
    assert ed.batch_info.text() == "B = 7 → 3 updates/epoch"


def test_optimizer_and_its_hyperparameters(app_window: MainWindow, qtbot) -> None:
    st, ed = app_window.state, app_window.controls.editor
    st.set_selected(0)
    i = ed.optimizer.findData("adam")
    ed.optimizer.setCurrentIndex(i)
    ed.optimizer.activated.emit(i)
    cfg = st.scenario.runs[0]
    assert cfg.optimizer == "adam" and cfg.lr == 0.1  # η is kept
    assert not ed.momentum.isVisibleTo(ed)
    names = [p.name for p in OPTIMIZERS["adam"].params if p.name != "lr"]
    assert list(ed._extra_rows) == names
    beta1 = ed._extra_rows["beta1"]
    assert isinstance(beta1, ParamRow)
    beta1.box.setValue(0.8)
    assert st.scenario.runs[0].params["beta1"] == 0.8
    ed._extra_rows["amsgrad"].setChecked(True)
    assert st.scenario.runs[0].params["amsgrad"] is True
    wait_idle(qtbot, app_window)
    assert st.trajectories[0].config.optimizer == "adam"
    # model → widget
    st.set_hyper(0, "beta2", 0.95)
    assert ed._extra_rows["beta2"].value() == 0.95
    st.set_optimizer(0, "momentum")
    assert ed.optimizer.currentData() == "momentum" and ed.momentum.isVisibleTo(ed)


def test_surface_panel(app_window: MainWindow, qtbot) -> None:
    st, sp = app_window.state, app_window.controls.surface
    i = sp.combo.findData("himmelblau")
    sp.combo.setCurrentIndex(i)
    sp.combo.activated.emit(i)
    assert st.scenario.surface.name == "himmelblau"
    wait_idle(qtbot, app_window)
    assert st.problem.surface.name == "himmelblau"
    data = app_window.scene.surface_data
    assert data is st.surface_data and data.xs[0] == -5.0
    assert all(r.start == (0.0, 0.0) for r in st.scenario.runs)  # the surface's start
    sp.examples.setValue(10)
    assert st.scenario.surface.examples == 10
    sp.noise.setValue(0.1)
    assert st.scenario.surface.noise == 0.1
    sp.data_seed.setValue(4)
    assert st.scenario.surface.seed == 4
    wait_idle(qtbot, app_window)
    assert st.problem.n == 10 and st.problem.seed == 4
    q = sp.combo.findData("quadratic")
    sp.combo.setCurrentIndex(q)
    sp.combo.activated.emit(q)
    assert sp.condition.isVisibleTo(sp)
    sp.condition.setValue(50.0)
    assert st.scenario.surface.condition == 50.0
    # model → widgets
    st.set_surface_value("examples", 12)
    assert sp.examples.value() == 12
    st.set_surface_builtin("saddle")
    assert sp.combo.currentData() == "saddle" and not sp.condition.isVisibleTo(sp)


def test_expression_error_is_shown_and_nothing_else_changes(app_window: MainWindow,
                                                            qtbot) -> None:
    st, sp = app_window.state, app_window.controls.surface
    before, trajs = st.scenario, st.trajectories
    problem = st.problem
    qtbot.keyClicks(sp.expression, "x**2 + z")
    assert sp.expression_error.isVisibleTo(sp)
    assert "unknown name 'z'" in sp.expression_error.text()
    qtbot.keyClick(sp.expression, Qt.Key.Key_Return)
    assert st.scenario == before and st.trajectories == trajs and st.problem is problem
    sp.expression.clear()
    qtbot.keyClicks(sp.expression, "x**2 - y**2 + 0.25*y**4")
    assert not sp.expression_error.isVisibleTo(sp)
    qtbot.keyClick(sp.expression, Qt.Key.Key_Return)
    assert st.scenario.surface.expression == "x**2 - y**2 + 0.25*y**4"
    assert sp.combo.currentData() == sp.CUSTOM
    wait_idle(qtbot, app_window)
    assert st.problem.surface.kind == "custom"


def test_run_list_buttons_and_visibility(app_window: MainWindow, qtbot) -> None:
    st, rl = app_window.state, app_window.controls.runs
    n = len(st.scenario.runs)
    rl.add_button.click()
    assert len(st.scenario.runs) == n + 1 and rl.list.count() == n + 1
    assert st.selected == n and rl.list.currentRow() == n
    rl.duplicate_button.click()
    assert len(st.scenario.runs) == n + 2
    assert st.scenario.runs[-1].label.endswith("(copy)")
    wait_idle(qtbot, app_window)
    assert len(app_window.scene.contour.current_positions()) == n + 2
    rl.remove_button.click()
    assert len(st.scenario.runs) == n + 1 and rl.list.count() == n + 1
    rl.list.setCurrentRow(1)
    assert st.selected == 1
    rl.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert not st.scenario.runs[1].visible
    assert not any(item.isVisible() for item in app_window.scene.contour.run_items(1))
    # model → widget
    st.update_run(1, visible=True, label="back")
    assert rl.list.item(1).checkState() == Qt.CheckState.Checked
    assert rl.list.item(1).text() == "back"
    st.set_selected(0)
    assert rl.list.currentRow() == 0


def test_view_panel_and_menu_stay_in_sync(app_window: MainWindow, qtbot) -> None:
    st, vp = app_window.state, app_window.controls.view
    vp.hessian.setChecked(True)
    assert st.options.hessian and app_window.option_actions["hessian"].isChecked()
    app_window.option_actions["hessian"].trigger()
    assert not st.options.hessian and not vp.hessian.isChecked()
    vp.test_loss.setChecked(True)
    assert st.options.test_loss and app_window.scene.options.test_loss
    i = vp.grid.findData(51)
    vp.grid.setCurrentIndex(i)
    vp.grid.activated.emit(i)
    assert st.options.grid == 51 and app_window.grid_actions[51].isChecked()
    wait_idle(qtbot, app_window)
    assert st.surface_data.z.shape == (51, 51)
    app_window.theme_actions["light"].trigger()
    assert st.options.theme == "light"
    assert app_window.scene.contour.backgroundBrush().color().name() == "#ffffff"
    st.set_options(vectors=False)
    assert not vp.vectors.isChecked()


def test_run_list_text_is_readable_in_the_light_theme(app_window, qtbot) -> None:
    from gui.theme import LIGHT, contrast

    st = app_window.state
    st.set_options(theme="light")
    runs = app_window.findChild(QListWidget)
    assert runs is not None and runs.count() == len(st.scenario.runs)
    for i in range(runs.count()):
        fg = runs.item(i).foreground().color()
        assert contrast(fg, LIGHT.background) >= 4.5, (i, fg.name())
    st.set_options(theme="dark")


def test_schedule_editor_edits_the_run_and_plots_eta_t(app_window: MainWindow, qtbot) -> None:
    from core.schedules import make_schedule

    st, ed = app_window.state, app_window.controls.schedule
    st.set_selected(1)
    assert ed.kind.currentData() == "constant" and ed.params.isHidden()
    ed.kind.setCurrentIndex(ed.kind.findData("cosine"))
    ed.kind.activated.emit(ed.kind.currentIndex())
    run = st.scenario.runs[1]
    assert run.schedule == make_schedule("cosine")
    ed._rows["t_max"].setValue(40)
    ed._rows["eta_min"].setValue(0.001)
    run = st.scenario.runs[1]
    assert run.schedule == make_schedule("cosine", t_max=40, eta_min=0.001)
    qtbot.waitUntil(lambda: not ed.plot_soon.pending, timeout=5000)  # (merged edits)
    x, y = ed.curve.getData()
    assert len(x) <= 512 and x[0] == 0 and x[-1] == run.steps - 1
    np.testing.assert_array_equal(y, [run.lr_at(int(t)) for t in x])
    wait_idle(qtbot, app_window)
    # the window's numbers follow the schedule: −η_t g of update 10 in the inspector
    st.set_current(10)
    assert ed.cursor.value() == 9
    terms = dict(app_window.inspector.terms)
    assert float(terms["ηᵗ⁻¹  (the schedule's η for this update)"]) == run.lr_at(9)
    # model → widgets: another run's schedule shows when it is selected
    st.update_run(0, schedule=make_schedule("step", step_size=7, gamma=0.25))
    st.set_selected(0)
    assert ed.kind.currentData() == "step" and ed._rows["step_size"].value() == 7
    assert ed._rows["gamma"].value() == 0.25


def test_loss_plot_shows_eta_t_on_a_second_axis(app_window: MainWindow, qtbot) -> None:
    from core.schedules import make_schedule

    st, view, loss = app_window.state, app_window.controls.view, app_window.scene.loss
    plot = loss.getPlotItem()
    assert not plot.getAxis("right").isVisible()
    st.update_run(1, schedule=make_schedule("cosine", t_max=50))
    wait_idle(qtbot, app_window)
    view.eta_axis.setChecked(True)
    assert st.options.eta_axis and plot.getAxis("right").isVisible()
    for i, tr in enumerate(st.trajectories):
        x, y = loss.eta_curves()[i].getData()
        np.testing.assert_array_equal(y, [tr.config.lr_at(int(t)) for t in x])
    x, y = loss.eta_curves()[1].getData()
    assert y[0] == st.scenario.runs[1].lr and y[list(x).index(50)] < 1e-12 * y[0] + 1e-300
    # the second axis shares the updates' x range and lies over the plot
    assert loss._eta_vb.viewRange()[0] == pytest.approx(loss._vb.viewRange()[0])
    assert loss._eta_vb.geometry() == loss._vb.sceneBoundingRect()
    view.eta_axis.setChecked(False)
    assert not plot.getAxis("right").isVisible()


def test_eta_plots_stay_sane_for_extreme_runs(app_window: MainWindow, qtbot) -> None:
    """η_t of a run with 10⁶ updates and η = 1e-300: at most 512 points drawn, finite ranges
    (pyqtgraph's axes spun on absurd ranges: issue 9 §2.1)."""
    from core.schedules import make_schedule

    st = app_window.state
    st.set_options(eta_axis=True)
    st.set_selected(0)
    st.update_run(0, steps=1_000_000, schedule=make_schedule("cosine", t_max=10))
    st.set_hyper(0, "lr", 1e-300)
    ed = app_window.controls.schedule
    qtbot.waitUntil(lambda: not ed.plot_soon.pending, timeout=5000)  # (merged edits)
    x, _ = ed.curve.getData()
    assert len(x) <= 512 and x[-1] == 999_999
    for vb in (ed.plot.getPlotItem().getViewBox(), app_window.scene.loss._eta_vb):
        for lo, hi in vb.viewRange():
            assert np.isfinite(lo) and np.isfinite(hi) and hi > lo
    st.update_run(0, steps=200)
    wait_idle(qtbot, app_window)

"""The lessons in the window: gallery, lesson panel, batch-size study and timing windows, the
basin overlay, and what lessons 4–6 add (momentum sum, end-point table, escape along the
Hessian). Long computations run off the GUI thread; tests wait on signals, never sleep."""

from __future__ import annotations

import numpy as np
import pytest

from core import lessons as core_lessons
from core.basins import basin_changes, basin_map
from core.run import simulate, simulate_scenario
from gui.panels.inspector import fmt_number, fmt_vector


def _lesson(name: str):
    return core_lessons.load_lesson(name)


# ------------------------------------------------------------------------ gallery and panel


def test_gallery_lists_the_lessons_and_opening_one_loads_it(qtbot):
    from gui.panels.lessons import LessonGallery, LessonPanel
    from gui.state import AppState

    gallery = LessonGallery()
    qtbot.addWidget(gallery)
    assert gallery.list.count() == len(core_lessons.LESSONS) == 10
    assert gallery.names() == list(core_lessons.LESSONS)
    for k, e in enumerate(gallery.entries, start=1):
        assert e.number == k and e.title and e.summary
        assert not e.title.startswith("Lesson")  # "Lesson 3 · " is stripped
    assert gallery.entries[1].title.startswith("A saddle point")

    gallery.select("lesson3_local_minimum")
    assert "Lesson 3" in gallery.detail.toPlainText()
    with qtbot.waitSignal(gallery.lessonChosen) as blocker:
        gallery.open_button.click()
    assert blocker.args == ["lesson3_local_minimum"]
    assert gallery.chosen == "lesson3_local_minimum"

    state = AppState()
    state.load_scenario(core_lessons.load_lesson(gallery.chosen), sync=True)
    panel = LessonPanel()
    qtbot.addWidget(panel)
    panel.set_scenario(state.scenario)
    assert panel.has_lesson() and panel.lesson_number == 3
    assert "Momentum rolls over the hill" in panel.text.text()
    assert "What to watch" in panel.text.text()
    assert [r.label for r in state.scenario.runs] == ["gradient descent", "momentum λ = 0.9"]
    state.shutdown()


def test_lesson_panel_renders_subscripts_and_walks_through_the_lessons(qtbot):
    from core.scenario import Scenario
    from gui.panels.lessons import LessonPanel, rich

    panel = LessonPanel()
    qtbot.addWidget(panel)
    panel.set_scenario(_lesson("lesson1_epochs"))
    html = panel.text.text()
    assert "L<sub>b</sub>" in html and "L<sub>bᵗ</sub>" in html  # L_b, L_{bᵗ}
    assert "“long wind-up, powerful strike”" in html
    assert not panel.prev_button.isEnabled() and panel.next_button.isEnabled()
    with qtbot.waitSignal(panel.lessonRequested) as blocker:
        panel.next_button.click()
    assert blocker.args == ["lesson2_saddle"]
    panel.set_scenario(_lesson("lesson7_tiny_network"))
    assert panel.position.text() == "lesson 7 of 10" and panel.next_button.isEnabled()
    panel.set_scenario(_lesson("lesson8_learning_rate"))
    assert panel.position.text() == "lesson 8 of 10" and panel.next_button.isEnabled()
    panel.set_scenario(_lesson("lesson10_edge_of_stability"))
    assert panel.position.text() == "lesson 10 of 10" and not panel.next_button.isEnabled()
    panel.set_scenario(Scenario(description="just a surface"))
    assert not panel.has_lesson() and panel.lesson_number is None
    assert panel.nav.isHidden()
    assert rich("a < b\n\nL_test") == (
        "<p style='margin:0 0 6px 0'>a &lt; b</p><p style='margin:0 0 6px 0'>L<sub>test</sub></p>")


# --------------------------------------------------------------------------- the study


def test_study_window_runs_a_small_study_and_shows_it(qtbot):
    from gui.windows.study_window import StudyWindow, default_batch_sizes, end_categories

    window = StudyWindow(_lesson("lesson2_saddle"), run=0)
    qtbot.addWidget(window)
    assert window.sizes_edit.text() == "1, 5, 20"  # the batch sizes the lesson compares
    window.set_scenario(_lesson("lesson6_hessian_escape"))  # one run: 1, 2, 5, … and N
    assert window.sizes_edit.text() == ", ".join(
        str(b) for b in default_batch_sizes(window.scenario.surface.examples))
    assert window.sizes_edit.text().startswith("1, 2, 5")
    window.set_scenario(_lesson("lesson2_saddle"))
    window.sizes_edit.setText("1, 5, 20")
    window.seeds_spin.setValue(4)
    with qtbot.waitSignal(window.studyFinished, timeout=20_000) as blocker:
        window.run_study()
    study = blocker.args[0]
    assert window.result is study
    assert [r.batch_size for r in study.results] == [1, 5, 20]
    assert all(len(r.seeds) == 4 for r in study.results)
    # the full batch stalls at the saddle, B = 1 falls off the ridge (lesson 2)
    full = study.results[-1]
    assert full.fraction_at_saddle == 1.0
    assert study.results[0].fraction_at_saddle == 0.0
    shares = end_categories(study, full)
    assert abs(sum(s for _, _, s in shares) - 1.0) < 1e-12
    t = window.table
    assert t.rowCount() == 3
    head = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert t.item(2, head.index("at a saddle")).text() == "100 %"
    assert t.item(0, head.index("updates")).text() == "200"
    assert t.item(0, head.index("epochs")).text() == "10"  # B = 1: 20 updates per epoch
    assert window.loss_plot.getPlotItem().listDataItems()
    assert "stuck at a saddle point" in window.end_plot.legend.text()
    assert "runs in" in window.study_status.text()
    assert window.study_button.isEnabled() and not window.study_cancel.isEnabled()


def test_study_window_reports_bad_input_and_testing_loss(qtbot):
    from gui.windows.study_window import StudyWindow

    window = StudyWindow(_lesson("lesson5_sharp_flat"), run=4)
    qtbot.addWidget(window)
    window.sizes_edit.setText("1, 99")
    window.run_study()
    assert "1..16" in window.study_status.text() and not window.study_task.running
    window.sizes_edit.setText("4, 16")
    window.seeds_spin.setValue(3)
    window.budget_combo.setCurrentIndex(1)  # same number of epochs
    with qtbot.waitSignal(window.studyFinished, timeout=20_000) as blocker:
        window.run_study()
    study = blocker.args[0]
    assert study.budget == "epochs" and study.config.label == "B = 1"
    # B = 1: 1,500 updates = 93.75 epochs; as many epochs of 4 and of 1 update
    assert [r.updates for r in study.results] == [375, 94]
    head = [window.table.horizontalHeaderItem(c).text()
            for c in range(window.table.columnCount())]
    assert "median test loss" in head
    # each minimum's column names its sharpness: the canyon's is far larger than the basin's
    sharp = [h for h in head if h.startswith("in min")]
    assert len(sharp) == 2 and all("λ_max" in h for h in sharp)
    assert study.minima_sharpness[0] > 20 * study.minima_sharpness[1]
    assert "λ_max = " in window.end_plot.legend.text()  # the legend names it too
    assert "testing loss" in window.loss_plot.legend.text()


def test_study_cancel_stops_the_computation(qtbot):
    from gui.windows.study_window import StudyWindow

    window = StudyWindow(_lesson("lesson5_sharp_flat"), run=0)
    qtbot.addWidget(window)
    window.seeds_spin.setValue(2000)  # 10,000 runs of 600 updates: seconds of work
    with qtbot.waitSignal(window.study_task.cancelled, timeout=20_000):
        window.run_study()
        assert window.study_task.running and window.study_cancel.isEnabled()
        window.study_cancel.click()
    assert window.result is None
    assert window.study_status.text() == "Cancelled."
    assert window.study_button.isEnabled() and not window.study_task.running


def _clickable(plot):
    """The plot's clickable point sets (pyqtgraph ScatterPlotItems carrying run keys)."""
    import pyqtgraph as pg

    return [i for i in plot.getPlotItem().items if isinstance(i, pg.ScatterPlotItem)]


def test_study_window_claims_plots_verdicts_and_a_click_opens_the_run(qtbot):
    from PySide6.QtCore import QPoint, QPointF, Qt

    from core.run import problem_of
    from gui.windows.study_window import StudyWindow

    scenario = _lesson("lesson5_sharp_flat")
    window = StudyWindow(scenario, run=0)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.sizes_edit.setText("1, 16")
    window.seeds_spin.setValue(3)
    assert window.claims_check.isChecked()
    with qtbot.waitSignal(window.studyFinished, timeout=30_000) as blocker:
        window.run_study()
    study = blocker.args[0]
    c = study.claims
    assert c is not None and [r.updates for r in c.epochs.results] == [1500, 94]
    # the verdicts come from the numbers: B = 1 flat, the full batch sharp, test loss lower
    text = window.verdict_label.text()
    assert window.verdict_label.isVisible()
    assert "small batches end in flatter minima" in text and "supported" in text
    assert "B = 16: flat 0 %, sharp 100 %" in text
    head = [window.table.horizontalHeaderItem(k).text()
            for k in range(window.table.columnCount())]
    assert "equal epochs: updates" in head and "in the flat min" in head
    col = head.index("equal epochs: updates")
    assert [window.table.item(r, col).text() for r in range(2)] == ["1500", "94"]
    # every new plot has data: both budgets, the flat share per η, the scatter per B
    assert len(_clickable(window.budget_plot)) == 2
    assert len(window.flat_b_plot.getPlotItem().listDataItems()) == 4  # 3 η + equal epochs
    assert len(window.flat_nb_plot.getPlotItem().listDataItems()) == 3
    assert len(_clickable(window.scatter_plot)) == 2  # B = 1, B = 16
    # a real mouse click on the equal-epochs point set's first point
    window.plots_area.ensureWidgetVisible(window.budget_plot)
    vp = window.plots_area.viewport()
    qtbot.waitUntil(lambda: vp.rect().contains(window.budget_plot.mapTo(vp, QPoint(0, 0))))
    item = _clickable(window.budget_plot)[1]
    pt = item.points()[0]
    key, b, seed = pt.data()
    view = window.budget_plot
    view.grab()  # a paint: pyqtgraph sets the view's final range and transform before one
    pos = view.mapFromScene(item.mapToScene(QPointF(pt.pos())))
    with qtbot.waitSignal(window.runRequested, timeout=5_000) as clicked:
        # press, then release a little later: pyqtgraph's scene makes a click of the pair
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=pos, delay=50)
    cfg = clicked.args[0]
    assert key == "epochs" and (cfg.batch_size, cfg.seed) == (b, seed)
    r = next(x for x in c.epochs.results if x.batch_size == b)
    assert cfg.steps == r.updates and "equal epochs" in cfg.label
    # the run added is the study's run: the same end point, bit for bit
    theta = simulate(problem_of(scenario), [cfg])[0].theta[-1]
    k = list(r.seeds).index(seed)
    assert np.array_equal(theta, r.final_theta[k])
    assert "Added" in window.study_status.text()
    # the slot behind a click, for an η-sweep point
    with qtbot.waitSignal(window.runRequested, timeout=5_000) as sweep:
        window.open_run("lr2", 16, int(study.results[-1].seeds[1]))
    assert sweep.args[0].lr == pytest.approx(0.1) and sweep.args[0].steps == 1500


def test_study_window_says_when_a_claim_cannot_be_shown(qtbot):
    from gui.windows.study_window import StudyWindow

    window = StudyWindow(_lesson("lesson1_epochs"), run=0)  # one minimum, no testing loss
    qtbot.addWidget(window)
    window.sizes_edit.setText("1, 20")
    window.seeds_spin.setValue(3)
    with qtbot.waitSignal(window.studyFinished, timeout=30_000):
        window.run_study()
    text = window.verdict_label.text()
    assert "cannot be shown" in text and "only one minimum" in text
    assert "no testing loss" in text
    assert "Nothing to draw" in window.flat_b_plot.legend.text()
    assert "no testing loss" in window.scatter_plot.legend.text()
    assert not window.flat_b_plot.getPlotItem().listDataItems()
    head = [window.table.horizontalHeaderItem(k).text()
            for k in range(window.table.columnCount())]
    col = head.index("in the flat min")
    assert {window.table.item(r, col).text() for r in range(2)} == {"—"}
    window.claims_check.setChecked(False)  # without the claims: the study alone
    with qtbot.waitSignal(window.studyFinished, timeout=30_000) as blocker:
        window.run_study()
    assert blocker.args[0].claims is None and not window.verdict_label.isVisible()
    assert "Tick" in window.budget_plot.legend.text()


def test_study_window_fits_1366x768_and_remembers_its_size(qtbot, gui_settings):
    from PySide6.QtCore import QPoint, QRect, QSize
    from PySide6.QtWidgets import QWidget

    from gui.windows.study_window import StudyWindow

    screen = QRect(0, 0, 1366, 768)
    window = StudyWindow(_lesson("lesson5_sharp_flat"), run=0, settings=gui_settings)
    qtbot.addWidget(window)
    window.fit_screen(screen)
    window.show()
    qtbot.waitExposed(window)
    window.seeds_spin.setValue(3)
    with qtbot.waitSignal(window.studyFinished, timeout=30_000):
        window.run_study()
    qtbot.waitUntil(lambda: window.table.height() >= window.table.minimumHeight())
    assert screen.contains(window.frameGeometry())
    inner = window.plots_area.widget()
    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window) or w.width() == 0:
            continue
        rect = QRect(w.mapToGlobal(QPoint(0, 0)), w.size())
        if inner.isAncestorOf(w):  # scrolls vertically, never sideways
            area = QRect(window.plots_area.mapToGlobal(QPoint(0, 0)), window.plots_area.size())
            assert area.left() <= rect.left() and rect.right() <= area.right(), w
        else:
            assert screen.contains(rect), (w, rect)
    # the table shows every batch size's row; the verdicts are on screen
    t = window.table
    rows = sum(t.rowHeight(r) for r in range(t.rowCount()))
    assert t.viewport().height() >= rows and t.rowCount() == 5
    assert window.verdict_label.isVisible() and window.verdict_label.height() > 0
    window.resize(1200, 700)
    window.close()
    again = StudyWindow(_lesson("lesson5_sharp_flat"), settings=gui_settings)
    qtbot.addWidget(again)
    again.fit_screen(screen)
    assert again.size() == QSize(1200, 700)
    again.fit_screen(QRect(0, 0, 1024, 600))  # a smaller screen: shrunk to fit
    assert again.width() <= 1024 and again.height() <= 600


def test_timing_tab_measures_tiny_sizes_and_cancels(qtbot):
    from gui.windows.study_window import StudyWindow

    window = StudyWindow(_lesson("lesson1_epochs"))
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(1)
    window.t_sizes_edit.setText("1, 10, 50")
    window.t_examples_spin.setValue(50)
    window.t_repeats_spin.setValue(1)
    with qtbot.waitSignal(window.timingFinished, timeout=20_000) as blocker:
        window.run_timing()
    t = blocker.args[0]
    assert t["batch_sizes"] == [1, 10, 50] and t["updates_per_epoch"] == [50, 5, 1]
    for plot in (window.update_time_plot, window.epoch_time_plot):
        items = plot.getPlotItem().listDataItems()
        assert len(items) == 2  # parallel, no parallel
        assert plot.getPlotItem().getAxis("bottom").logMode
        assert "no parallel" in plot.legend.text()
    assert "this computer" in window.timing_note.text()

    window.t_sizes_edit.setText("1, 10, 100, 1000")
    window.t_examples_spin.setValue(100_000)
    with qtbot.waitSignal(window.timing_task.cancelled, timeout=20_000):
        window.run_timing()
        window.timing_cancel.click()
    assert window.timing is t  # the last result stays


# ------------------------------------------------------------------------------ basins


@pytest.fixture
def contour(qtbot):
    from gui.views import ContourView

    view = ContourView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    return view


def test_basin_overlay_image_agrees_with_basin_map(qtbot, contour):
    from gui.views.basins import BasinOverlay, label_rgba

    s = _lesson("lesson3_local_minimum")
    problem, _ = simulate_scenario(s)
    cfg = s.runs[0]
    overlay = BasinOverlay(contour)
    overlay.set_visible(True)
    image = overlay.image
    with qtbot.waitSignal(overlay.finished, timeout=20_000) as blocker:
        assert overlay.compute(problem, cfg, grid=30)
    assert not overlay.compute(problem, cfg, grid=30)  # the same request: nothing to do
    result = blocker.args[0]
    direct = basin_map(problem, cfg, grid=30)
    np.testing.assert_array_equal(result.base.labels, direct.labels)
    assert set(np.unique(direct.labels)) == {0, 1}
    rgba = overlay.rgba()
    assert rgba.shape == (30, 30, 4)
    np.testing.assert_array_equal(rgba, label_rgba(direct.labels, direct.diverged))
    assert overlay.image is image and image.isVisible()  # created once, setImage only
    assert np.array_equal(image.image, rgba)
    # the image covers the grid of starts, half a cell beyond the outer starts
    rect = image.mapRectToView(image.boundingRect())
    dx = direct.xs[1] - direct.xs[0]
    assert rect.left() == pytest.approx(direct.xs[0] - dx / 2)
    assert "minimum 1" in overlay.legend.textItem.toPlainText()

    overlay.set_mode("loss")
    assert not np.array_equal(overlay.rgba(), rgba)
    overlay.set_visible(False)
    assert not image.isVisible()
    overlay.wait()


def test_basin_overlay_compare_mode_shows_where_momentum_ends_differently(qtbot, contour):
    from gui.views.basins import COMPARE_ALPHA, BasinOverlay, comparison_config

    s = _lesson("lesson3_local_minimum")
    problem, _ = simulate_scenario(s)
    gd = s.runs[0]
    other, name = comparison_config(gd)
    assert other.optimizer == "momentum" and other.params["momentum"] == 0.9
    assert comparison_config(s.runs[1])[0].optimizer == "gd"
    overlay = BasinOverlay(contour)
    overlay.set_visible(True)
    with qtbot.waitSignal(overlay.finished, timeout=20_000) as blocker:
        overlay.compute(problem, gd, grid=30, compare=True)
    result = blocker.args[0]
    changes = basin_changes(basin_map(problem, gd, grid=30), basin_map(problem, other, grid=30))
    np.testing.assert_array_equal(result.changes, changes)
    assert 0 < changes.sum() < changes.size
    alpha = overlay.rgba()[..., 3]
    assert np.all(alpha[changes] == round(255 * COMPARE_ALPHA))
    assert np.all(alpha[~changes] < alpha[changes].min())
    assert name in overlay.legend.textItem.toPlainText()
    overlay.wait()


def test_basin_overlay_cancel_keeps_nothing(qtbot, contour):
    from gui.views.basins import BasinOverlay

    s = _lesson("lesson5_sharp_flat")
    problem, _ = simulate_scenario(s)
    overlay = BasinOverlay(contour)
    with qtbot.waitSignal(overlay.cancelled, timeout=20_000):
        overlay.compute(problem, s.runs[0], grid=300)
        assert overlay.busy
        overlay.cancel()
    assert overlay.result is None and overlay.rgba() is None and not overlay.busy
    overlay.wait()


# ----------------------------------------------------------------- lessons 4, 5 and 6


def test_momentum_sum_text_has_the_numbers():
    from gui.panels.lessons import momentum_sum_html

    s = _lesson("lesson4_momentum_sum")
    problem, (gd, mom) = simulate_scenario(s)
    t = 4
    ms = core_lessons.trajectory_momentum_sum(mom, t)
    text = momentum_sum_html(mom, t)
    assert "m⁴" in text and "λ = 0.9" in text and "η = 1" in text
    for i in range(t):
        assert fmt_number(ms.weights[i]) in text  # −ηλ³, −ηλ², −ηλ, −η
        assert fmt_vector(ms.terms[i]) in text  # −ηλ³⁻ⁱ gⁱ
    np.testing.assert_allclose(ms.terms, ms.weights[:, None] * mom.grad[:t])
    assert fmt_vector(ms.total) in text
    assert fmt_vector(mom.movement[t - 1]) in text  # the recorded θ⁴ − θ³
    assert fmt_number(-0.729) in text  # −η λ³ with η = 1, λ = 0.9

    late = momentum_sum_html(mom, 40, newest=5)
    ms40 = core_lessons.trajectory_momentum_sum(mom, 40)
    assert "35 oldest terms" in late and "g⁰ … g³⁴" in late
    assert fmt_vector(ms40.terms[:35].sum(axis=0)) in late
    assert fmt_vector(ms40.total) in late

    plain = momentum_sum_html(gd, 3)
    assert "λ = 0" in plain and "m³ = −η g²" in plain and "forgets the past" in plain
    assert momentum_sum_html(mom, 0) == ""
    from dataclasses import replace

    adam = simulate(problem, [replace(s.runs[0], optimizer="adam")])[0]
    assert momentum_sum_html(adam, 3) == ""


def test_end_point_table_shows_training_and_testing_loss(qtbot):
    from gui.panels.lessons import EndPointTable

    s = _lesson("lesson5_sharp_flat")
    problem, trajs = simulate_scenario(s)
    table = EndPointTable()
    qtbot.addWidget(table)
    # the full batch and B = 1 (the first and the last run)
    table.set_runs(problem, [trajs[0], None, trajs[-1]], s.view.test_shift,
                   ["#E69F00", "#56B4E9", "#CC79A7"])
    report = core_lessons.end_report(problem, [trajs[0], trajs[-1]], s.view.test_shift)
    t = table.table
    assert t.rowCount() == 2
    for r, p in enumerate(report):
        assert t.item(r, 0).text() == "● " + p.label
        assert t.item(r, 1).text() == fmt_number(p.train_loss, 0).strip()
        assert t.item(r, 2).text() == fmt_number(p.test_loss, 0).strip()
        assert t.item(r, 4).text() == fmt_number(p.sharpness, 0).strip()
    # the full batch's canyon rises far more under the shift than B = 1's basin (lesson 5)
    assert report[0].rise > 0.2 > 0.05 > report[1].rise
    assert t.item(0, 5).text() == "min 1" and t.item(1, 5).text() == "min 2"
    assert t.item(1, 0).foreground().color().name() == "#cc79a7"
    assert "s = (0.2, 0.1)" in table.caption.text()


def test_escape_along_the_hessian_continues_the_run():
    from gui.panels.lessons import escape_run, saddle_at

    s = _lesson("lesson6_hessian_escape")
    problem, (traj,) = simulate_scenario(s)
    assert saddle_at(problem, traj.theta[0]) is None
    saddle = saddle_at(problem, traj.theta[-1])
    assert saddle is not None and np.linalg.norm(saddle) < 0.05
    with pytest.raises(ValueError, match="not at a saddle point"):
        escape_run(problem, traj, t=0)
    res = escape_run(problem, traj)
    assert res.config.label == "full batch GD (escaped)"
    assert np.linalg.norm(np.array(res.config.start) - res.saddle) == pytest.approx(0.1)
    assert res.analysis.eigenvalues[0] < 0 < res.analysis.eigenvalues[1]
    assert res.trajectory is not None
    assert res.trajectory.loss[-1] < traj.loss[-1] - 0.1  # down into a minimum


# ------------------------------------------------------------------- in the main window


def _wait_idle(qtbot, window, timeout: int = 15_000) -> None:
    st = window.state
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=timeout)


def _open(qtbot, window, name: str) -> None:
    window.lessons.lesson_actions[name].trigger()
    _wait_idle(qtbot, window)


def test_lessons_menu_and_gallery_open_lessons(app_window, qtbot):
    lt = app_window.lessons
    assert list(lt.lesson_actions) == list(core_lessons.LESSONS)
    assert lt.lesson_actions["lesson2_saddle"].text().startswith("&2. A saddle point")
    _open(qtbot, app_window, "lesson2_saddle")
    st = app_window.state
    assert st.scenario.title == _lesson("lesson2_saddle").title
    assert app_window.lesson.isVisibleTo(app_window) and app_window.lesson.title() == "Lesson"
    assert lt.lesson_panel.lesson_number == 2
    assert "A saddle point" in lt.lesson_panel.text.text()

    assert lt.show_lessons_at_start()  # first start: never seen
    gallery = lt.gallery
    assert gallery is not None and gallery.isVisible()
    assert gallery.list.currentRow() == 1  # the lesson that is open
    gallery.select("lesson4_momentum_sum")
    gallery.open_button.click()
    _wait_idle(qtbot, app_window)
    assert st.scenario.title == _lesson("lesson4_momentum_sum").title
    assert not gallery.isVisible()
    assert not lt.show_lessons_at_start()  # seen, and "show at start" left unticked
    with qtbot.waitSignal(lt.lesson_panel.lessonRequested):
        lt.lesson_panel.next_button.click()
    _wait_idle(qtbot, app_window)
    assert lt.lesson_panel.lesson_number == 5


def test_basins_toggle_follows_the_selected_run(app_window, qtbot):
    lt = app_window.lessons
    _open(qtbot, app_window, "lesson3_local_minimum")
    st = app_window.state
    with qtbot.waitSignal(lt.basins.finished, timeout=20_000) as blocker:
        lt.basins_action.trigger()
    result = blocker.args[0]
    assert result.base.config.optimizer == "gd" and result.other is None
    assert lt.basins.image.isVisible()
    np.testing.assert_array_equal(
        result.base.labels, basin_map(st.problem, st.scenario.runs[0], grid=80).labels)
    with qtbot.waitSignal(lt.basins.finished, timeout=20_000) as blocker:
        st.set_selected(1)  # the momentum run
    assert blocker.args[0].base.config.optimizer == "momentum"
    with qtbot.waitSignal(lt.basins.finished, timeout=20_000) as blocker:
        lt.basins_compare_action.trigger()
    result = blocker.args[0]
    assert result.other is not None and result.other.config.optimizer == "gd"
    assert "λ = 0" in lt.basins.legend.textItem.toPlainText()
    lt.basins_action.trigger()  # off: the overlay hides, compare goes off too
    assert not lt.basins.image.isVisible() and not lt.basins_compare_action.isChecked()


def test_testing_loss_toggle_shows_the_end_point_table(app_window, qtbot):
    lt = app_window.lessons
    assert lt.end_box.isHidden()  # the default scenario opens without the testing loss
    _open(qtbot, app_window, "lesson5_sharp_flat")
    assert app_window.state.options.test_loss
    assert lt.end_box.isVisibleTo(app_window)
    assert lt.end_points.table.rowCount() == 5  # B = 16, 8, 4, 2, 1
    assert "full batch" in lt.end_points.table.item(0, 0).text()
    assert "B = 1" in lt.end_points.table.item(4, 0).text()
    app_window.option_actions["test_loss"].trigger()
    assert lt.end_box.isHidden()


def test_escape_along_the_hessian_adds_the_continued_run(app_window, qtbot):
    lt = app_window.lessons
    _open(qtbot, app_window, "lesson6_hessian_escape")
    st = app_window.state
    assert not lt.escape_action.isEnabled()  # t = 0: not at the saddle yet
    st.set_current(st.t_max)
    qtbot.waitUntil(lt.escape_action.isEnabled)  # checked once the state settles
    lt.escape_action.trigger()
    _wait_idle(qtbot, app_window)
    assert [r.label for r in st.scenario.runs] == ["full batch GD", "full batch GD (escaped)"]
    assert st.selected == 1
    old, new = st.trajectory(0), st.trajectory(1)
    assert new.loss[-1] < old.loss[-1] - 0.1
    assert "escaped along u" in app_window.statusBar().currentMessage()


def test_inspector_writes_the_momentum_sum(app_window, qtbot):
    _open(qtbot, app_window, "lesson4_momentum_sum")
    st = app_window.state
    st.set_selected(1)
    st.set_current(6)
    text = app_window.inspector.text.text()
    ms = core_lessons.trajectory_momentum_sum(st.trajectory(1), 6)
    assert "Movement as a sum of all past gradients" in text
    assert fmt_vector(ms.total) in text and fmt_number(ms.weights[1]) in text
    assert "<td style='padding:0 8px 0 0; white-space:nowrap'>g⁰</td>" in text  # lumped
    st.set_selected(0)  # gradient descent: λ = 0
    assert "the step forgets the past" in app_window.inspector.text.text()


def test_lesson8_inspector_shows_lambda_max_against_two_over_eta_and_eta_t(app_window, qtbot):
    _open(qtbot, app_window, "lesson8_learning_rate")
    st = app_window.state
    st.set_selected(1)  # η = 0.21
    st.set_current(3)
    text = app_window.inspector.text.text()
    assert "λ_max = " + fmt_number(10.0, 0).strip() in text
    assert "2/η = " + fmt_number(2 / 0.21, 0).strip() in text
    assert "η·λ_max ≥ 2: GD is unstable here" in text
    st.set_selected(0)  # η = 0.19
    assert "(η·λ_max &lt; 2)" in app_window.inspector.text.text()
    st.set_selected(2)  # warm-up + cosine: the inspector writes η_t of the update
    terms = dict(app_window.inspector.terms)
    eta_t = st.scenario.runs[2].lr_at(2)
    assert float(terms["ηᵗ⁻¹  (the schedule's η for this update)"]) == eta_t
    assert np.array_equal(terms["−ηgᵗ⁻¹"], -eta_t * st.trajectory(2).grad[2])


def test_study_action_opens_the_study_for_the_selected_run(app_window, qtbot):
    lt = app_window.lessons
    _open(qtbot, app_window, "lesson2_saddle")
    app_window.state.set_selected(2)
    study = lt.open_study()  # runs at once with the defaults
    qtbot.waitUntil(lambda: study.result is not None, timeout=20_000)
    assert study.isVisible() and study.selected_run() == 2
    assert study.result.config.label == "B = 1"
    assert "Lesson 2" in study.windowTitle()
    app_window.state.set_selected(0)
    with qtbot.waitSignal(study.studyFinished, timeout=20_000) as blocker:
        assert lt.open_study() is study
    assert study.selected_run() == 0 and blocker.args[0].config.label == "full batch (B = 20)"
    # a clicked point becomes a new run of the main window, selected
    runs = len(app_window.state.scenario.runs)
    seed = int(blocker.args[0].results[0].seeds[0])
    cfg = study.open_run("main", 1, seed)
    assert cfg is not None
    _wait_idle(qtbot, app_window)
    st = app_window.state
    assert len(st.scenario.runs) == runs + 1 and st.selected == runs
    assert st.scenario.runs[-1].label == cfg.label and st.scenario.runs[-1].batch_size == 1
    study.close()



def test_inspector_two_over_eta_when_a_schedule_reaches_zero(app_window, qtbot):
    """Found by the monkey test: cosine to η_min = 0 gives η_t = 0 (2/η = ∞, no division)."""
    from core.schedules import make_schedule

    st = app_window.state
    st.update_run(0, schedule=make_schedule("cosine", t_max=10, eta_min=0.0), steps=30)
    _wait_idle(qtbot, app_window)
    st.set_selected(0)
    st.set_current(10)  # the next update uses η_10 = 0
    assert "2/η = ∞" in app_window.inspector.text.text()


def test_gallery_counts_its_lessons(qtbot):
    from gui.panels.lessons import LessonGallery

    gallery = LessonGallery()
    qtbot.addWidget(gallery)
    from PySide6.QtWidgets import QLabel

    texts = [w.text() for w in gallery.findChildren(QLabel)]
    assert any(t.startswith(f"{len(core_lessons.LESSONS)} short lessons") for t in texts)


def test_lesson10_window_names_the_bowls_kappa_and_the_lessons_edge(qtbot, app_window):
    """The surface box names the scenario's κ (19), not the built-in default's, and the step
    inspector's 2/η is the lesson's edge 2/η = 20."""
    from dataclasses import replace

    s10 = replace(_lesson("lesson10_edge_of_stability"), network=None)
    app_window.state.load_scenario(s10, sync=True)
    panel = app_window.controls.surface
    assert panel.combo.currentText() == "Ill-conditioned bowl (κ = 19)"
    app_window.state.set_current(3)
    qtbot.waitUntil(lambda: "2/η = 20" in app_window.inspector.text.text(), timeout=5000)
    assert "λ_max = 19" in app_window.inspector.text.text()

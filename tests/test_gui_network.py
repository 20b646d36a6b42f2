"""The real-network window (gui/windows/network_window.py): run, progress, cancel, close, the
tables, Keskar's line, the sharpness plot and the path on a plane (tiny settings: hidden 8)."""

from __future__ import annotations

import pytest

from core.netsettings import NetworkSettings

TINY = NetworkSettings(hidden="8", batch_sizes="64,full", seeds=2, stop="updates",
                       stop_value=12, path_every=3, sharpness_every=4, lr=0.1)


@pytest.fixture
def netwin(qtbot):
    from gui.windows.network_window import NetworkWindow

    w = NetworkWindow(TINY)
    qtbot.addWidget(w)
    w.resize(1280, 760)
    w.grid_spin.setValue(11)
    yield w
    w.close()
    qtbot.waitUntil(lambda: not w.task.running and not w.path_task.running, timeout=20000)


def test_run_fills_tables_plots_and_plane(qtbot, netwin):
    w = netwin
    with qtbot.waitSignal(w.pathsFinished, timeout=60000):
        assert w.run()
        # while it trains, the sharpness tab says the traces come with the result
        assert "every 4 updates" in w.sharp_caption.text()
        assert "when the comparison ends" in w.sharp_caption.text()
    doc = w.result.doc
    assert w.runs_table.rowCount() == 4 and w.summary_table.rowCount() == 2
    assert "when the comparison ends" not in w.sharp_caption.text()
    # the verdict quotes the measured numbers
    s = doc["summary"]
    text = w.verdict_label.text()
    assert f"{s[0]['test_accuracy']['mean']:.3f} vs {s[-1]['test_accuracy']['mean']:.3f}" in text
    assert "measured on this computer" in text
    # Keskar's line: training and test curves on both plots
    assert len(w.line_loss.getPlotItem().listDataItems()) == 2
    assert len(w.line_acc.getPlotItem().listDataItems()) == 2
    # the sharpness traces and the edge of stability (momentum: (2 + 2λ)/η = 38)
    assert len(w.sharp_plot.getPlotItem().listDataItems()) == 4
    assert "(2 + 2λ)/η = 38" in w.sharp_plot.legend.text()
    # the plane: which one, and that the path is a projection
    assert "PCA" in w.plane_caption.text() and "projections" in w.plane_caption.text()
    d = w.paths
    assert d.steps == 5 and w.step_index == 4
    w.back_button.click()
    assert w.step_index == 3 and "t = 9" in w.inspector.text()
    w.step_button.click()
    assert w.step_index == 4 and "(a, b) = (0, 0)" in w.inspector.text()
    w.set_step(0)
    w.toggle_play()
    qtbot.waitUntil(lambda: not w.timer.isActive(), timeout=5000)
    assert w.step_index == 4


def test_plane_shows_every_run_coloured_by_batch_size(qtbot, netwin):
    from PySide6.QtGui import QColor

    from gui.export.network import plane_styles

    w = netwin
    w.runs_combo.setCurrentIndex(w.runs_combo.findData("all"))
    with qtbot.waitSignal(w.pathsFinished, timeout=60000):
        w.run()
    d = w.paths
    n = w.result.data.n_train
    assert d.keys == [(64, 0), (64, 1), (n, 0), (n, 1)]
    assert "2 batch sizes × 2 seeds" in w.plane_caption.text()
    assert "full batch" in w.plane_legend.text() and "B = 64" in w.plane_legend.text()
    styles = plane_styles(d, 1)
    rgb = [QColor(s.color).rgb() for s in styles]
    assert rgb[0] == rgb[1] != rgb[2] == rgb[3]  # the colour is the batch size
    assert QColor(styles[1].color).alphaF() == 1.0 > QColor(styles[0].color).alphaF()
    # the inspector follows the chosen run, stepped back and forward
    assert w.inspect_combo.count() == 4 and w.inspect_combo.isEnabled()
    w.inspect_combo.setCurrentIndex(3)
    assert w.selected_run == 3 and "full batch, seed 1" in w.inspector.text()
    w.set_step(2)
    assert "t = 6" in w.inspector.text() and "epoch 6 + batch 0/1" in w.inspector.text()
    w.back_button.click()
    assert w.step_index == 1 and "t = 3" in w.inspector.text()
    w.step_button.click()
    assert w.step_index == 2 and "‖g‖" in w.inspector.text() and "(a, b) = (" in w.inspector.text()
    # the projected θ⁰ is not an input: its marker cannot be dragged
    assert not any(w.contour.run_items(i)[-1].movable for i in range(4))


def test_endpoint_plane(qtbot, netwin):
    w = netwin
    w.plane_combo.setCurrentIndex(w.plane_combo.findData("endpoints"))
    with qtbot.waitSignal(w.pathsFinished, timeout=60000):
        w.run()
    assert "start θ⁰" in w.plane_caption.text()
    first = w.paths.coords[0]
    assert abs(first[0][0]) < 1e-9 and abs(first[0][1]) < 1e-9


def test_plane_grid_cancels_and_window_fits_the_screen(qtbot, netwin):
    w = netwin
    avail = w.screen().availableGeometry()
    assert w.width() <= avail.width() and w.height() <= avail.height()
    with qtbot.waitSignal(w.pathsFinished, timeout=60000):
        w.run()
    w.grid_spin.setValue(101)
    with qtbot.waitSignal(w.path_task.cancelled, timeout=20000):
        assert w.compute_plane()
        w.path_cancel.click()
    assert w.path_status.text() == "Cancelled."


def test_bad_input_says_so(netwin):
    netwin.hidden_edit.setText("eight")
    assert not netwin.run()
    assert "network.hidden" in netwin.status.text()


def test_cancel_and_close_abandon_the_run(qtbot, netwin):
    w = netwin
    w.set_settings(NetworkSettings(hidden="8", batch_sizes="1,full", seeds=3, stop="epochs",
                                   stop_value=500))
    with qtbot.waitSignal(w.task.cancelled, timeout=20000):
        w.run()
        qtbot.waitUntil(lambda: w.progress.value() > 0 or "update" in w.progress.format(),
                        timeout=20000)
        w.cancel_button.click()
    assert w.status.text() == "Cancelled." and w.result is None
    w.run()
    with qtbot.waitSignal(w.task.cancelled, timeout=20000):
        w.close()
    assert w.result is None


def test_tools_menu_opens_the_window(qtbot, app_window):
    win = app_window.lessons.open_network()
    assert win.isVisible()
    action = app_window.lessons.network_action
    assert action.text().replace("&", "").startswith("Real network: small vs large batches")
    tools = next(a.menu() for a in app_window.menuBar().actions()
                 if a.text().replace("&", "") == "Tools")
    assert action in tools.actions()
    win.close()


def test_network_lesson_opens_the_window_runs_and_quotes_the_numbers(qtbot, app_window):
    from core import scenario as sc

    lt = app_window.lessons
    # lesson 9 opens the window with its settings and starts at once (cancelled here: the
    # test below runs a tiny lesson to the end)
    lt.lesson_actions["lesson9_real_network"].trigger()
    qtbot.waitUntil(lambda: lt.network is not None and lt.network.task.running, timeout=10000)
    w = lt.network
    assert w.settings().batch_sizes == "16,full" and w.settings().seeds == 3
    assert "A real network" in w.lesson_label.text()
    with qtbot.waitSignal(w.task.cancelled, timeout=20000):
        w.cancel_button.click()

    tiny = sc.load("lesson10_edge_of_stability")
    from dataclasses import replace

    tiny = replace(tiny, network=replace(TINY, loss="mse", optimizer="gd", tab="sharpness"))
    with qtbot.waitSignal(w.comparisonFinished, timeout=60000):
        app_window.state.load_scenario(tiny, sync=True)
    assert w.tabs.currentIndex() == 2
    measured = lt.lesson_panel.text.text()
    assert "Measured on this computer just now" in measured
    s = w.result.doc["summary"]
    assert f"{s[0]['sharpness']['mean']:.3g}" in measured
    assert "edge of stability is 20" in measured
    qtbot.waitUntil(lambda: not w.path_task.running, timeout=30000)


def test_cancel_stops_the_epsilon_sharpness_mid_measurement(qtbot, netwin, monkeypatch):
    """Cancel while L-BFGS-B maximizes φ(ε): the measurement itself stops (Cancelled comes out
    of SciPy at its next evaluation), not only the next run."""
    import threading

    import core.netcli
    from core.cancel import Cancelled
    from core.network import epsilon_sharpness

    inside = threading.Event()
    go_on = threading.Event()
    seen: dict[str, object] = {"evaluations": 0}

    def measured(*args, should_stop=None, **kwargs):
        def stop() -> bool:
            seen["evaluations"] += 1
            if seen["evaluations"] == 2:  # mid-way: let the test press Cancel
                inside.set()
                go_on.wait(10)
            return should_stop()

        try:
            return epsilon_sharpness(*args, should_stop=stop, **kwargs)
        except Cancelled:
            seen["raised"] = True
            raise

    monkeypatch.setattr(core.netcli, "epsilon_sharpness", measured)
    w = netwin
    with qtbot.waitSignal(w.task.cancelled, timeout=20000):
        assert w.run()
        qtbot.waitUntil(inside.is_set, timeout=20000)
        w.cancel_button.click()
        go_on.set()
    assert seen.get("raised") and seen["evaluations"] == 2
    assert w.status.text() == "Cancelled." and w.result is None

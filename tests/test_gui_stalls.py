"""Work the GUI thread is spared (issue 9 §2.2: the event loop never stalls over 100 ms).

The figures are in ``benchmarks/bench_gui.py --session``; these tests pin the mechanisms.
"""

from __future__ import annotations

from core import scenario as sc
from gui.windows.study_window import StudyWindow


def test_study_window_builds_the_timing_plots_when_first_shown(qtbot) -> None:
    w = StudyWindow(sc.load("saddle"))
    qtbot.addWidget(w)
    assert w._timing_plots is None  # opening the window builds 7 plots, not 9
    w.tabs.setCurrentIndex(1)
    assert w._timing_plots is not None
    update, epoch = w._timing_plots
    assert w.update_time_plot is update and w.epoch_time_plot is epoch
    assert update.box.parent() is w.tabs.widget(1) and epoch.box.parent() is w.tabs.widget(1)


def test_lesson_gallery_rows_are_measured_once_per_width(qtbot, monkeypatch) -> None:
    """Qt asks the gallery's delegate for every row's size again and again (restyling the
    window for a theme spent seconds laying out rich text): one layout per row and width."""
    from gui.panels import lessons

    gallery = lessons.LessonGallery(None, None, False)
    qtbot.addWidget(gallery)
    delegate = gallery.list.itemDelegate()
    calls = []
    original = delegate._document

    def counted(option, index, width):
        calls.append((index.row(), width))
        return original(option, index, width)

    monkeypatch.setattr(delegate, "_document", counted)
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.font = gallery.list.font()
    index = gallery.list.model().index(0, 0)
    first = delegate.sizeHint(option, index)
    for _ in range(5):
        assert delegate.sizeHint(option, index) == first
    assert len(calls) == 1 and first.height() > 2 * delegate.PAD


def test_garbage_is_collected_on_the_gui_thread_only(qtbot) -> None:
    """Automatic collection is off (any allocating thread could run it and deadlock with the
    GUI thread over a Qt object's connections); the GUI thread's timer collects cycles."""
    import gc
    import threading
    import weakref

    from PySide6.QtCore import QObject

    from gui import workers
    from gui.workers import collect_garbage_on_gui_thread

    collect_garbage_on_gui_thread()
    assert not gc.isenabled()
    assert workers._COLLECTOR is not None and workers._COLLECTOR.timer.isActive()

    class Holder:
        pass

    def make_cycle() -> weakref.ref:
        h = Holder()
        h.me = h
        h.qobject = QObject()  # a Qt object in a cycle, as pyqtgraph's items often are
        return weakref.ref(h)

    collected_by: list[str] = []
    ref = make_cycle()
    # a worker thread allocating a lot does not collect it
    worker = threading.Thread(target=lambda: [[] for _ in range(200_000)] and None)
    worker.start()
    worker.join()
    assert ref() is not None
    gc.callbacks.append(lambda phase, _info: collected_by.append(threading.current_thread().name)
                        if phase == "stop" else None)
    try:
        # more live objects than the first generation's threshold, as a busy window makes
        keep = [[] for _ in range(2 * gc.get_threshold()[0])]
        workers._COLLECTOR.collection.check()  # what its timer does every 500 ms
        assert ref() is None
        del keep
    finally:
        gc.callbacks.pop()
    assert collected_by and set(collected_by) == {threading.main_thread().name}


def test_network_lesson_builds_its_window_after_the_lesson_is_shown(app_window, qtbot) -> None:
    """Opening lesson 9 loads the lesson at once and builds the network window in a later pass
    of the event loop (not within the same stall); a lesson left before then opens none."""
    from PySide6.QtCore import QCoreApplication

    lt = app_window.lessons
    assert lt.network is None
    lt.lesson_actions["lesson9_real_network"].trigger()
    assert app_window.state.scenario.network is not None and lt.network is None
    lt.lesson_actions["lesson1_epochs"].trigger()  # left before the window is built
    with qtbot.waitSignal(lt._network_timer.timeout, timeout=5000):
        pass
    QCoreApplication.processEvents()
    assert lt.network is None
    lt.lesson_actions["lesson9_real_network"].trigger()
    qtbot.waitUntil(lambda: lt.network is not None and lt.network.task.running, timeout=10000)
    with qtbot.waitSignal(lt.network.task.cancelled, timeout=20000):
        lt.network.cancel_button.click()


def test_network_lesson_imports_builds_runs_and_shows_its_window_in_separate_passes(
        app_window, qtbot, monkeypatch) -> None:
    """The first network lesson spreads its window over four passes of the event loop: the
    module imported, then the window built (hidden, nothing run), then set and run, then
    shown; none while the lesson's own surface or paths are still being computed."""
    import sys

    lt = app_window.lessons
    monkeypatch.delitem(sys.modules, "gui.windows.network_window")
    lt.lesson_actions["lesson9_real_network"].trigger()
    lt._network_timer.stop()
    qtbot.waitUntil(lambda: not app_window.state.busy, timeout=10000)
    busy = type(app_window.state).busy
    monkeypatch.setattr(type(app_window.state), "busy", property(lambda _s: True))
    lt._open_network_lesson()  # the lesson's surface or paths still computing: later
    assert lt.network is None and lt._network_timer.isActive()
    monkeypatch.setattr(type(app_window.state), "busy", busy)
    lt._network_timer.stop()
    lt._network_armed -= 1.0  # the timer a second late: the loop was stalled, wait again
    lt._open_network_lesson()
    assert lt.network is None and lt._network_timer.isActive()
    lt._network_timer.stop()
    lt._open_network_lesson()  # first pass: the import only
    assert "gui.windows.network_window" in sys.modules and lt.network is None
    assert lt._network_timer.isActive()
    lt._network_timer.stop()
    lt._open_network_lesson()  # second pass: built, not shown, nothing started
    assert lt.network is not None and not lt.network.isVisible()
    assert not lt.network.task.running and lt._network_timer.isActive()
    lt._network_timer.stop()
    lt._open_network_lesson()  # third: the lesson's settings set and its comparison run
    assert not lt.network.isVisible() and lt.network.task.running
    assert lt._network_timer.isActive()
    lt._network_timer.stop()
    lt._open_network_lesson()  # fourth: shown
    assert lt.network.isVisible() and lt.network.task.running
    with qtbot.waitSignal(lt.network.task.cancelled, timeout=20000):
        lt.network.cancel_button.click()


def test_the_network_window_does_not_load_the_exporters() -> None:
    """``gui.export`` re-exports its modules' names lazily: the network window's plane drawing
    (``gui.export.network``) does not import the encoders, PIL or the export pipeline."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; import gui.export.network; from gui.export import ExportSettings; "
            "print(sorted(m for m in ('PIL', 'gui.export.encoders', 'gui.export.pipeline', "
            "'gui.export.cli') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_menuless_plots_build_no_menus(qtbot, monkeypatch) -> None:
    """The loss plot and the study/network windows' plots have no context menu: none is built
    (a view-box menu and its forms were ~2.5 ms of each plot's construction)."""
    import importlib

    from gui.theme import DARK
    from gui.views import LossPlot
    from gui.windows import network_window, study_window

    # (the package's ``ViewBox`` attribute is the class: the module from importlib)
    vb_module = importlib.import_module("pyqtgraph.graphicsItems.ViewBox.ViewBox")
    built = []
    original = vb_module.ViewBoxMenu
    monkeypatch.setattr(vb_module, "ViewBoxMenu", lambda vb: built.append(vb) or original(vb))
    plots = [LossPlot(), study_window._Plot("t", "y", DARK),
             network_window._Plot("t", "x", "y", DARK)]
    for p in plots:
        qtbot.addWidget(p)
        assert p.getPlotItem().getViewBox().menu is None
    assert built == []

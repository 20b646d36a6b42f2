"""Work the GUI thread is spared (issue 9 §2.2: the event loop never stalls over 100 ms).

The figures are in ``benchmarks/bench_gui.py --session``; these tests pin the mechanisms.
"""

from __future__ import annotations

from core import scenario as sc
from gui.study_window import StudyWindow


def test_study_window_builds_the_timing_plots_when_first_shown(qtbot) -> None:
    w = StudyWindow(sc.load("saddle"))
    qtbot.addWidget(w)
    assert w._timing_plots is None  # opening the window builds 7 plots, not 9
    w.tabs.setCurrentIndex(1)
    assert w._timing_plots is not None
    update, epoch = w._timing_plots
    assert w.update_time_plot is update and w.epoch_time_plot is epoch
    assert update.box.parent() is w.tabs.widget(1) and epoch.box.parent() is w.tabs.widget(1)

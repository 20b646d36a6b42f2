"""Test set-up: OpenGL context sharing before any QApplication, and no leaked windows/timers.

pyqtgraph caches shader programs per module; without ``AA_ShareOpenGLContexts`` a second GL
widget fails with GLError 1281 (pyqtgraph #2618). It must be set before the QApplication that
pytest-qt creates, so it is set at import time of this conftest.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def _share_gl_contexts() -> None:
    try:
        from PySide6.QtCore import QCoreApplication, Qt
    except ImportError:  # core-only environments
        return
    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


_share_gl_contexts()


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_gui_thread(request):
    """As in the app (gui/app.py): Python's garbage collection runs on the GUI thread only
    (collecting Qt objects on a worker thread deadlocked with the GUI thread)."""
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        return
    from gui.workers import collect_garbage_on_gui_thread

    request.getfixturevalue("qapp")
    collect_garbage_on_gui_thread()


@pytest.fixture(autouse=True)
def _unsaved_edits_are_discarded(monkeypatch):
    """Closing a window with unsaved edits asks Save / Discard / Cancel in a modal box: in
    tests it answers Discard (tests of the question patch ``ask_unsaved`` themselves)."""
    try:
        from PySide6.QtWidgets import QMessageBox

        from gui.windows import mainwindow
    except ImportError:  # core-only environments
        return
    monkeypatch.setattr(mainwindow, "ask_unsaved",
                        lambda *_a: QMessageBox.StandardButton.Discard)


def _idle(pool) -> bool:
    """A worker pool has no running job (a pool deleted with its window is idle)."""
    try:
        return pool.activeThreadCount() == 0
    except RuntimeError:  # its C++ object went with a closed window
        return True


@pytest.fixture
def settings_dir(tmp_path, monkeypatch):
    """Isolated QSettings/config folder so tests never touch the user's settings."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


@pytest.fixture
def gui_settings(tmp_path):
    """A QSettings in an INI file of its own (the window's geometry, recent files, theme)."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "descent-lab.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def state(qtbot):
    """An AppState on the default scenario (computed at once), without a window."""
    from core import scenario as sc
    from gui.state import AppState

    s = AppState()
    s.load_scenario(sc.load("saddle"), sync=True)
    yield s
    s.shutdown()


@pytest.fixture
def app_window(qtbot, gui_settings, settings_dir):
    """The main window on the default scenario (computed at once), shown at 1280×800."""
    from core import scenario as sc
    from gui.state import AppState
    from gui.windows.mainwindow import MainWindow

    state = AppState()
    state.load_scenario(sc.load("saddle"), sync=True)
    window = MainWindow(state, gui_settings)
    state.setParent(window)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)  # window shortcuts need it
    yield window
    window.controller.pause()
    window.state.shutdown()  # abandons work without waiting: wait here, so no worker of this
    pools = [window.state._jobs._pool, window.lessons.basins._task._pool]  # test runs on
    if window.lessons.study is not None:
        pools += [window.lessons.study.study_task._pool, window.lessons.study.timing_task._pool]
        window.lessons.study.close()
    window.lessons.shutdown()
    qtbot.waitUntil(lambda: all(_idle(p) for p in pools), timeout=10000)


@pytest.fixture
def language(request, qapp):
    """The window's language: ``en`` unless parametrized (``indirect=True``) with ``zh_TW``,
    whose catalogue and Qt's own are installed for the test and removed after it."""
    from gui import i18n

    lang = getattr(request, "param", "en")
    translators = i18n.install_language(qapp, lang)
    assert i18n.current_language() == lang  # the catalogue really loaded
    yield lang
    i18n.uninstall_language(qapp, translators)

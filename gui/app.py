"""Start the desktop app: ``run_app(scenario) -> exit code``.

``AA_ShareOpenGLContexts`` is set before the QApplication exists (pyqtgraph caches shader
programs per module; without sharing, a second GL widget fails with GLError 1281). A scenario
that cannot be read is reported on stderr with exit code 2 before any window opens.
"""

from __future__ import annotations

import os
import sys

from core import scenario as sc

__all__ = ["EXIT_BAD_INPUT", "run_app"]

EXIT_BAD_INPUT = 2
DEFAULT_SCENARIO = "saddle"


NO_DISPLAY = "no display: run it in a desktop session or under xvfb-run"


def display_missing(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """True on Linux when Qt would look for an X or Wayland display and none is set.

    Qt's own message in that case ("xcb-cursor0 is needed …", then an abort) names the wrong
    cause; the offscreen/minimal/vnc platforms need no display.
    """
    if not sys.platform.startswith("linux"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return False
    return not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def run_app(scenario: str | None = None, argv: list[str] | None = None,
            lang: str | None = None) -> int:
    """Open the window with ``scenario`` (a file or a built-in's name; default: the saddle),
    in the language ``lang`` (``--lang``; default: the remembered choice, else the system's,
    see :func:`gui.i18n.chosen_language`)."""
    if display_missing():
        print(f"descent-lab: error: {NO_DISPLAY}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        loaded = sc.load(scenario or DEFAULT_SCENARIO)
        path = sc.resolve(scenario) if scenario else None
    except sc.ScenarioError as err:
        print(f"descent-lab: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT

    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Descent Lab")
    app.setOrganizationName("DescentLab")
    app.setApplicationDisplayName("Descent Lab")
    app.setStyle("Fusion")
    from gui.workers import collect_garbage_on_gui_thread

    collect_garbage_on_gui_thread()  # never on a worker thread: see its docstring

    from PySide6.QtCore import QSettings

    from gui.i18n import chosen_language, install_language, localized
    from gui.windows.mainwindow import APP_NAME, ORGANIZATION

    install_language(app, chosen_language(lang, QSettings(ORGANIZATION, APP_NAME)))
    from gui.state import AppState
    from gui.windows.mainwindow import MainWindow

    state = AppState()
    # a built-in scenario opens without a file name: Save asks where (never over the built-in)
    own_file = path if path is not None and path.parent != sc.SCENARIO_DIR else None
    state.load_scenario(loaded if own_file else localized(loaded), own_file, sync=True)
    window = MainWindow(state)
    state.setParent(window)
    window.show()
    if scenario is None and not os.environ.get("DESCENT_LAB_QUIT_WHEN_SHOWN"):
        from PySide6.QtCore import QTimer

        # the lesson gallery on the first start
        QTimer.singleShot(0, window.lessons.show_lessons_at_start)
    if os.environ.get("DESCENT_LAB_QUIT_WHEN_SHOWN"):  # start-up benchmark: time to a window
        from PySide6.QtCore import QTimer

        def shown() -> None:
            print("shown", flush=True)
            window.close()

        QTimer.singleShot(0, shown)
    return int(app.exec())

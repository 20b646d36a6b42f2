"""Quitting while computations run ends the program at once and cleanly (issue 9 §2).

Jobs abandoned when their window closed may still run when the program ends. A pool thread
still running Python code while the interpreter shuts down was ended inside Qt's thread pool
("Qt Concurrent has caught an exception" after the test suite), and a pool destroyed at exit
waited for its job to end by itself. :func:`gui.workers.stop_all_workers` (run at exit) asks
every running job to stop and waits for the threads.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.test_cli_hostile import subprocess_env

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QApplication
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication([])
    from core import scenario as sc
    from core.cancel import Cancelled
    from gui.state import AppState
    from gui.tasks import BackgroundTask
    from gui.workers import JobRunner

    def endless(should_stop):
        # stops only when asked (a computation checking its flag between chunks); if nobody
        # asks, it outlives the test's timeout
        t0 = time.monotonic()
        while time.monotonic() - t0 < 600:
            sum(range(20000))
            if should_stop():
                raise Cancelled()
        return "done"

    state = AppState()
    state.load_scenario(sc.load("saddle"), sync=True)
    task = BackgroundTask()
    runner = JobRunner()
    started = []

    def start():
        state.update_run(0, steps=1_000_000)  # seconds of simulation on the state's worker
        task.start(lambda progress, should_stop: endless(should_stop))
        runner.submit("endless", endless, lambda *_: None, lambda *_: None)
        started.append(state.busy and task.running and runner.busy)

    QTimer.singleShot(50, start)
    QTimer.singleShot(500, app.quit)
    code = app.exec()
    print("quit", code, started, flush=True)
    sys.exit(code)
""")


def test_quit_while_computations_run_exits_cleanly() -> None:
    r = subprocess.run([sys.executable, "-c", SCRIPT.format(root=str(ROOT))], cwd=ROOT,
                       env=subprocess_env(offscreen=True), capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip() == "quit 0 [True]", (r.stdout, r.stderr[-3000:])
    assert "caught an exception" not in r.stderr, r.stderr[-3000:]
    assert "Traceback" not in r.stderr, r.stderr[-3000:]

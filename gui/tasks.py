"""Long computations off the GUI thread, with progress and Cancel.

The engine's long functions (:func:`core.study.batch_size_study`, :func:`core.study.timing_study`,
:func:`core.basins.basin_map`) take ``progress(fraction)`` and ``should_stop()`` callables and
raise :class:`core.basins.Cancelled` when asked to stop. :class:`BackgroundTask` runs one such
function at a time on a private thread pool and brings its outcome back to the GUI thread
through queued signals; the function never touches a widget.

Starting a new computation while one runs cancels the old one; its late result is dropped
(every start has its own token). :meth:`BackgroundTask.abandon` (a window closing) cancels
without waiting: nothing here blocks the GUI thread on the worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from core.basins import Cancelled
from gui.workers import deliver, track_pool

__all__ = ["BackgroundTask", "TaskFn", "connect_controls", "show_status"]

TaskFn = Callable[[Callable[[float], None], Callable[[], bool]], Any]
"""``fn(progress, should_stop) -> result``: the computation (runs on the worker thread)."""

#: Shortest interval between two progress reports sent to the GUI thread (seconds).
PROGRESS_INTERVAL = 0.05


class _Relay(QObject):
    """Lives on the GUI thread: signals emitted by the worker are queued to it."""

    progress = Signal(int, float)
    finished = Signal(int, object, float)
    failed = Signal(int, str)
    cancelled = Signal(int)


class _Runnable(QRunnable):
    def __init__(self, token: int, fn: TaskFn, relay: _Relay, stop: threading.Event) -> None:
        super().__init__()
        self.token = token
        self.fn = fn
        self.relay = relay
        self.stop = stop
        self.setAutoDelete(True)

    def run(self) -> None:
        token, relay, stop = self.token, self.relay, self.stop
        last = [0.0]

        def progress(fraction: float) -> None:
            now = time.perf_counter()
            if fraction >= 1.0 or now - last[0] >= PROGRESS_INTERVAL:
                last[0] = now
                deliver(relay.progress, token, float(fraction))

        t0 = time.perf_counter()
        try:
            result = self.fn(progress, stop.is_set)
        except Cancelled:
            deliver(relay.cancelled, token)
        except Exception as err:  # shown to the person on the GUI thread
            deliver(relay.failed, token, str(err) or type(err).__name__)
        else:
            if stop.is_set():
                deliver(relay.cancelled, token)
            else:
                deliver(relay.finished, token, result, time.perf_counter() - t0)


class BackgroundTask(QObject):
    """One cancellable computation at a time, on its own worker thread.

    Signals (all on the GUI thread): ``progress(fraction)``, ``finished(result)``,
    ``failed(message)``, ``cancelled()``, ``runningChanged(bool)``. ``seconds`` is the
    duration of the last finished computation.
    """

    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    runningChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._relay.cancelled.connect(self._on_cancelled)
        self._token = 0
        self._stop: threading.Event | None = None
        self._running = False
        self.seconds = 0.0
        track_pool(self)

    @property
    def running(self) -> bool:
        """True from :meth:`start` until the result, failure or cancellation arrives."""
        return self._running

    def start(self, fn: TaskFn) -> None:
        """Run ``fn(progress, should_stop)`` on the worker thread (cancelling a running one)."""
        if self._stop is not None:
            self._stop.set()
        self._token += 1
        self._stop = threading.Event()
        self._set_running(True)
        self._pool.start(_Runnable(self._token, fn, self._relay, self._stop))

    def cancel(self) -> None:
        """Ask the running computation to stop; ``cancelled`` follows when it has."""
        if self._stop is not None:
            self._stop.set()

    def abandon(self) -> None:
        """Cancel and forget the running computation at once (a window closing): no signal of
        it follows (``runningChanged(False)`` is emitted now) and nothing waits for the worker,
        which stops at the engine's next ``should_stop`` check."""
        if self._stop is not None:
            self._stop.set()
        self._token += 1  # its late progress, result or cancellation is ignored
        self._finish()

    def _stop_now(self) -> None:
        """The program ends: the running computation is asked to stop (no signal here)."""
        if self._stop is not None:
            self._stop.set()

    def wait(self, msecs: int = -1) -> bool:
        """Cancel and block until the worker thread is idle (at most ``msecs``; tests)."""
        self.cancel()
        return self._pool.waitForDone(msecs)

    # ---------------------------------------------------------------- internal
    def _current(self, token: int) -> bool:
        return token == self._token

    def _finish(self) -> None:
        self._stop = None
        self._set_running(False)

    def _on_progress(self, token: int, fraction: float) -> None:
        if self._current(token) and self._running:
            self.progress.emit(fraction)

    def _on_finished(self, token: int, result: object, seconds: float) -> None:
        if self._current(token):
            self.seconds = seconds
            self._finish()
            self.finished.emit(result)

    def _on_failed(self, token: int, message: str) -> None:
        if self._current(token):
            self._finish()
            self.failed.emit(message)

    def _on_cancelled(self, token: int) -> None:
        if self._current(token):
            self._finish()
            self.cancelled.emit()

    def _set_running(self, on: bool) -> None:
        if on != self._running:
            self._running = on
            self.runningChanged.emit(on)


def connect_controls(task: BackgroundTask, bar: QProgressBar, status: QLabel,
                     start: QPushButton, cancel: QPushButton,
                     done: Callable[[Any], None],
                     describe: Callable[[], str] | None = None) -> None:
    """Wire a window's Run / Cancel buttons, progress bar and status line to ``task``.

    Run is enabled while idle and Cancel while running; ``done(result)`` gets the result; a
    failure shows in red in ``status``, a cancellation as "Cancelled.". With ``describe`` the
    bar stays in place and says ``"<describe()> — 40 %"``; without, it shows only while the
    task runs (keeping its room in the layout).
    """
    cancel.setEnabled(False)
    if describe is None:
        keep = bar.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        bar.setSizePolicy(keep)
        bar.setVisible(False)
    else:
        bar.setFormat("")

    def progress(f: float) -> None:
        bar.setValue(round(1000 * f))
        if describe is not None:
            bar.setFormat(f"{describe()} — {100 * f:.0f} %")

    def running(on: bool) -> None:
        start.setEnabled(not on)
        cancel.setEnabled(on)
        bar.setValue(0)
        if describe is None:
            bar.setVisible(on)
        else:
            bar.setFormat(QCoreApplication.translate("tasks", "starting…") if on else "")

    task.progress.connect(progress)
    task.finished.connect(done)
    task.runningChanged.connect(running)
    task.failed.connect(lambda msg: show_status(status, msg, error=True))
    task.cancelled.connect(lambda: show_status(
        status, QCoreApplication.translate("tasks", "Cancelled.")))


def show_status(label: QLabel, text: str, error: bool = False) -> None:
    """A window's status line: ``text``, in red for an error."""
    label.setStyleSheet("color: #FF6B6B;" if error else "")
    label.setText(text)

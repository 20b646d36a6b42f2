"""Work off the GUI thread: one worker thread, at most one waiting job per kind, latest wins.

A job is a function ``fn(should_stop)`` that computes with NumPy and returns a value; it must
not touch widgets, and should pass ``should_stop`` to the engine (which then raises
:class:`core.cancel.Cancelled` soon after the job is cancelled). Its result comes back through a
queued signal and is handed to the job's callback on the GUI thread. Submitting a job of a kind
that is already waiting replaces the waiting one (a slider dragged through twenty values
computes the first and the last) and cancels a running one of that kind: its result would be
dropped anyway. Nothing here ever waits for the worker thread on the GUI thread.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from core.cancel import Cancelled, StopFn

__all__ = ["JobRunner", "collect_garbage_on_gui_thread", "deliver", "stop_all_workers",
           "track_pool"]

#: Longest wait at exit for the running jobs to reach their next stop check (seconds).
EXIT_WAIT = 5.0

#: Owners of worker pools (JobRunner, gui.tasks.BackgroundTask): ``_pool`` and ``_stop_now()``.
_OWNERS: weakref.WeakSet[QObject] = weakref.WeakSet()


class _GuiThreadCollector(QObject):
    """Python's cyclic garbage collection, run by a timer on the GUI thread only."""

    #: Least time between two full collections (seconds): a full one walks every object
    #: (CPython's own rule, "a quarter of the long-lived objects are new", is not visible
    #: from Python).
    FULL_INTERVAL = 20.0

    def __init__(self, interval_ms: int) -> None:
        super().__init__()
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)
        self._last_full = time.monotonic()

    def check(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        c0, c1, c2 = gc.get_count()
        t0, t1, t2 = self.threshold
        if c0 <= t0:
            return
        now = time.monotonic()
        if c1 > t1 and c2 > t2 and now - self._last_full >= self.FULL_INTERVAL:
            self._last_full = now
            gc.collect(2)
        else:
            gc.collect(1 if c1 > t1 else 0)


_COLLECTOR: _GuiThreadCollector | None = None


def collect_garbage_on_gui_thread(interval_ms: int = 500) -> None:
    """Turn Python's automatic garbage collection off and collect on a GUI-thread timer
    instead (call once, on the GUI thread, when the QApplication exists).

    Any thread that allocates can run the collector, and collecting a cycle that holds a Qt
    object calls ``QObject::disconnect``, which takes one of Qt's connection mutexes and then
    asks for the GIL. On a worker thread (or the stall meter's watcher) that deadlocked with the
    GUI thread, which held the GIL and waited for the same mutex (found in the test suite,
    issue 9 §2.1: the window froze in ``AxisItem._updateLabel``/``setHtml``, 0 % CPU)."""
    global _COLLECTOR
    if _COLLECTOR is None:
        _COLLECTOR = _GuiThreadCollector(interval_ms)
        gc.disable()


def track_pool(owner: QObject) -> None:
    """Have :func:`stop_all_workers` stop ``owner``'s jobs at exit (``owner._stop_now()`` asks
    its running job to stop, ``owner._pool`` is its QThreadPool)."""
    _OWNERS.add(owner)


@atexit.register
def stop_all_workers(wait: float = EXIT_WAIT) -> bool:
    """The program ends: ask every running job to stop and wait (at most ``wait`` seconds in
    all) until the worker threads are idle. A job still running Python code while the
    interpreter shuts down has its thread ended inside Qt's thread pool, which prints "Qt
    Concurrent has caught an exception" (and a pool destroyed at exit waits for the job to end
    by itself: seconds for a long run). True when every pool is idle."""
    owners = list(_OWNERS)
    for owner in owners:
        with contextlib.suppress(RuntimeError):  # its C++ object was deleted already
            owner._stop_now()
    deadline = time.monotonic() + wait
    idle = True
    for owner in owners:
        with contextlib.suppress(RuntimeError):
            left = max(0, round(1000 * (deadline - time.monotonic())))
            idle = owner._pool.waitForDone(left) and idle
    return idle


@dataclass
class _Job:
    key: str
    fn: Callable[[StopFn], Any]
    done: Callable[[Any, float], None]
    failed: Callable[[BaseException], None]
    token: int = 0
    stop: threading.Event = field(default_factory=threading.Event)


def deliver(signal: Any, *args: Any) -> None:
    """Emit a relay's signal from the worker thread. A job abandoned when its window closed
    may end after the relay was deleted: its outcome is dropped (an exception must not reach
    Qt's thread pool)."""
    with contextlib.suppress(RuntimeError):  # "Internal C++ object … already deleted"
        signal.emit(*args)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to the GUI thread."""

    finished = Signal(int, object, float)
    crashed = Signal(int, object)


class JobRunner(QObject):
    """Runs jobs on a private one-thread pool.

    ``submit(key, fn, done, failed)``: ``done(result, seconds)`` or ``failed(exception)`` is
    called on the GUI thread. ``busy`` is True while a job runs or waits.
    """

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._relay.crashed.connect(self._on_crashed)
        self._running: _Job | None = None
        self._waiting: dict[str, _Job] = {}
        self._cancelled: set[int] = set()
        self._tokens = 0
        self._busy = False
        self._closed = False
        track_pool(self)

    @property
    def busy(self) -> bool:
        """True while a job runs or waits."""
        return self._running is not None or bool(self._waiting)

    def running_key(self) -> str | None:
        """The kind of the running job (None when idle)."""
        return self._running.key if self._running is not None else None

    def submit(self, key: str, fn: Callable[[StopFn], Any], done: Callable[[Any, float], None],
               failed: Callable[[BaseException], None]) -> None:
        """Queue ``fn(should_stop)``; a waiting job of the same ``key`` is replaced, a running
        one is cancelled. Ignored after :meth:`shutdown`."""
        if self._closed:
            return
        self._tokens += 1
        self._cancel_running(key)
        self._waiting.pop(key, None)
        self._waiting[key] = _Job(key, fn, done, failed, self._tokens)
        self._start_next()

    def cancel(self, key: str) -> None:
        """Drop the waiting job of ``key`` and ignore the result of a running one."""
        self._waiting.pop(key, None)
        self._cancel_running(key)
        self._update_busy()

    def cancel_all(self) -> None:
        """Drop every waiting job and cancel the running one (when closing): returns at once;
        the worker stops at the engine's next check and its result is dropped."""
        self._waiting.clear()
        if self._running is not None:
            self._cancel_running(self._running.key)
        self._update_busy()

    def shutdown(self) -> None:
        """Cancel everything and accept no more jobs (the window is closing): a job that ends
        later delivers nothing, even when this object is deleted by then."""
        if self._closed:
            return
        self._closed = True
        self._waiting.clear()
        if self._running is not None:
            self._running.stop.set()
            self._running = None  # abandoned: its outcome is never delivered
        self._relay.finished.disconnect(self._on_finished)
        self._relay.crashed.disconnect(self._on_crashed)
        self._update_busy()

    def _stop_now(self) -> None:
        """The program ends: the running job is asked to stop (no signal, nothing queued)."""
        job = self._running
        if job is not None:
            job.stop.set()

    def wait(self, msecs: int = -1) -> bool:
        """Cancel everything and block until the worker thread is idle (at most ``msecs``)."""
        self.cancel_all()
        return self._pool.waitForDone(msecs)

    def _cancel_running(self, key: str) -> None:
        job = self._running
        if job is not None and job.key == key:
            self._cancelled.add(job.token)
            job.stop.set()

    # ----------------------------------------------------------------- internal
    def _start_next(self) -> None:
        if self._running is None and self._waiting:
            key = next(iter(self._waiting))
            job = self._running = self._waiting.pop(key)
            relay = self._relay

            def work() -> None:
                t0 = time.perf_counter()
                try:
                    result = job.fn(job.stop.is_set)
                except Cancelled:  # nobody wants the result: only free the worker
                    deliver(relay.finished, job.token, None, time.perf_counter() - t0)
                except Exception as err:  # delivered to the GUI thread, shown there
                    deliver(relay.crashed, job.token, err)
                else:
                    deliver(relay.finished, job.token, result, time.perf_counter() - t0)

            self._pool.start(work)
        self._update_busy()

    def _take(self, token: int) -> _Job | None:
        job = self._running
        self._running = None
        if job is None or job.token != token or token in self._cancelled:
            self._cancelled.discard(token)
            return None
        return job

    def _on_finished(self, token: int, result: object, seconds: float) -> None:
        job = self._take(token)
        try:
            if job is not None:
                job.done(result, seconds)
        finally:
            self._start_next()

    def _on_crashed(self, token: int, err: object) -> None:
        job = self._take(token)
        try:
            if job is not None:
                job.failed(err if isinstance(err, BaseException) else RuntimeError(str(err)))
        finally:
            self._start_next()

    def _update_busy(self) -> None:
        busy = self.busy
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

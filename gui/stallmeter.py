"""Measure how long the GUI thread's event loop stalls (issue 9: the window never freezes).

:class:`StallMeter` runs a :class:`~PySide6.QtCore.QTimer` every ``interval_ms`` on the GUI
thread and records the gaps between its ticks: a gap much longer than the interval is time the
event loop could not run (a slot computing, a blocking ``wait()``). A watcher thread also takes
a snapshot of the GUI thread's Python stack when no tick came for ``snapshot_after`` seconds,
so a long stall names the code that caused it (:attr:`StallMeter.worst_stack`).

Used by ``tests/test_gui_robust.py``, ``tests/test_monkey.py`` and ``benchmarks/bench_gui.py``.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback

from PySide6.QtCore import QObject, QTimer

__all__ = ["StallMeter"]


class StallMeter(QObject):
    """Longest gap between ticks of a GUI-thread timer while started.

    ``longest`` (seconds) is the longest gap since :meth:`start` or :meth:`reset`, ``label`` the
    label (see :meth:`mark`) current when it ended, ``worst_stack`` the GUI thread's stack
    sampled during it (empty when no stall exceeded ``snapshot_after``).
    """

    def __init__(self, interval_ms: int = 5, snapshot_after: float = 0.15,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._snapshot_after = snapshot_after
        self._gui_ident = threading.get_ident()
        self._lock = threading.Lock()
        self._last = 0.0
        self._label = ""
        self._stop = threading.Event()
        self._watch: threading.Thread | None = None
        self._sample: tuple[float, str] | None = None  # (tick time it belongs to, stack)
        self.longest = 0.0
        self.label = ""
        self.worst_stack = ""
        self.ticks = 0

    def start(self) -> None:
        """Start measuring (on the GUI thread)."""
        self.reset()
        self._timer.start()
        self._stop.clear()
        self._watch = threading.Thread(target=self._watcher, name="stall-watch", daemon=True)
        self._watch.start()

    def stop(self) -> None:
        """Stop measuring (the figures are kept)."""
        self._timer.stop()
        self._stop.set()
        if self._watch is not None:
            self._watch.join(1.0)
            self._watch = None

    def reset(self) -> None:
        """Forget the figures (keeps running)."""
        with self._lock:
            self._last = time.perf_counter()
            self._sample = None
        self.longest = 0.0
        self.label = ""
        self.worst_stack = ""
        self.ticks = 0

    def mark(self, label: str) -> None:
        """Name what the GUI thread does next (reported with the longest stall)."""
        self._label = label

    def current_gap(self) -> float:
        """Seconds since the last tick (a stall in progress when large)."""
        return time.perf_counter() - self._last

    def _tick(self) -> None:
        now = time.perf_counter()
        with self._lock:
            gap = now - self._last
            sample = self._sample
            self._last = now
            self._sample = None
        self.ticks += 1
        if gap > self.longest:
            self.longest = gap
            self.label = self._label
            self.worst_stack = sample[1] if sample is not None else ""

    def _watcher(self) -> None:
        while not self._stop.wait(self._snapshot_after / 3):
            with self._lock:
                last = self._last
                if self._sample is not None and self._sample[0] == last:
                    continue
            if time.perf_counter() - last < self._snapshot_after:
                continue
            frame = sys._current_frames().get(self._gui_ident)
            if frame is None:
                continue
            stack = "".join(traceback.format_stack(frame))
            with self._lock:
                if self._last == last:  # still the same stall
                    self._sample = (last, stack)

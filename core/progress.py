"""Long commands on a terminal: a progress line with the time left, and a clean stop on Ctrl-C
(exit code 130) or SIGTERM (143). No Qt.

:func:`stop_on_signals` installs handlers for SIGINT and SIGTERM. In ``"raise"`` mode (pure
Python/NumPy work) the handler raises :class:`Interrupted` at once; in ``"flag"`` mode (while Qt
or pyqtgraph may be running C++ code that calls back into Python, where an exception raised by
a signal handler crashes or is swallowed) it only records the signal, and the work loop calls
:func:`check` between frames. A second signal is ignored (the clean-up finishes); a third
leaves at once (``os._exit``), in case the clean-up is stuck. ``main.py`` turns
:class:`Interrupted` into one line on stderr and the exit code 128 + signal number.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import TextIO

__all__ = ["Interrupted", "ProgressLine", "check", "duration", "stop_on_signals"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_pending: list[int] = []
_raise_now = [True]


class Interrupted(BaseException):
    """The user stopped the command (Ctrl-C or SIGTERM); ``exit_code`` is 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def __str__(self) -> str:
        return "interrupted" if self.signum == signal.SIGINT else "terminated"


def _handler(signum: int, frame: object) -> None:
    _pending.append(signum)
    if len(_pending) >= 3:  # the clean-up seems stuck and the user insists: leave now
        os._exit(128 + signum)
    if len(_pending) == 1 and _raise_now[0]:  # a second one lets the clean-up finish
        raise Interrupted(signum)


def check() -> None:
    """Raise :class:`Interrupted` if a signal arrived (flag mode)."""
    if _pending:
        raise Interrupted(_pending[0])


def pending() -> bool:
    """Whether SIGINT or SIGTERM arrived since the handlers were installed."""
    return bool(_pending)


@contextlib.contextmanager
def stop_on_signals(mode: str = "raise") -> Iterator[None]:
    """Handle SIGINT and SIGTERM inside the block (``mode``: ``"raise"`` or ``"flag"``, see the
    module docstring); the previous handlers come back afterwards. Nested blocks switch the
    mode. Outside the main thread it does nothing (signals are delivered to the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old_mode = _raise_now[0]
    old = {s: signal.getsignal(s) for s in _SIGNALS}
    _raise_now[0] = mode == "raise"
    for s in _SIGNALS:
        signal.signal(s, _handler)
    try:
        if _raise_now[0]:
            check()  # a signal that arrived in flag mode
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h if h is not None else signal.SIG_DFL)
        _raise_now[0] = old_mode
        if old.get(signal.SIGINT) is not _handler:
            _pending.clear()


def duration(seconds: float) -> str:
    """``"42 s"``, ``"3 min 05 s"``, ``"2 h 07 min"``."""
    s = max(round(seconds), 0)
    if s >= 3600:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s"


class ProgressLine:
    """One updating line on stderr (only when it is a terminal), at most 10 updates a second:
    ``simulating: 42% · 1 min 20 s left``. :meth:`clear` erases it."""

    def __init__(self, what: str, stream: TextIO | None = None, min_seconds: float = 0.5
                 ) -> None:
        self.what = what
        self.stream = sys.stderr if stream is None else stream
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False
        self.started = time.monotonic()
        self.min_seconds = min_seconds  # quick work shows nothing
        self._last = 0.0
        self._shown = False

    def __call__(self, done: float, total: float, detail: str = "") -> None:
        """Show ``done`` of ``total`` (any units) and the time left at the pace so far."""
        if not self.tty:
            return
        now = time.monotonic()
        elapsed = now - self.started
        if elapsed < self.min_seconds or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        frac = min(max(done / total, 0.0), 1.0) if total > 0 else 1.0
        left = f" · {duration(elapsed / frac * (1 - frac))} left" if frac > 0 else ""
        pct = f"{100 * frac:.1f}" if frac < 0.1 else f"{100 * frac:.0f}"
        extra = f" {detail}" if detail else ""
        self.stream.write(f"\r\033[K{self.what}:{extra} {pct}%{left}")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        """Erase the line (if it was shown)."""
        if self._shown:
            with contextlib.suppress(OSError, ValueError):
                self.stream.write("\r\033[K")
                self.stream.flush()
            self._shown = False

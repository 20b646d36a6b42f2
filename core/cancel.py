"""Cancelling long computations: ``should_stop()`` callables and :class:`Cancelled`.

A long engine function takes ``should_stop`` (a callable of no arguments, or None) and calls
:func:`check` between chunks of its work, so a window can abandon a computation whose result is
no longer wanted within a fraction of a second (issue 9: the window never waits on a long job).
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Cancelled", "StopFn", "check"]

StopFn = Callable[[], bool]


class Cancelled(Exception):
    """Raised by a long computation when its ``should_stop()`` returned True."""


def check(should_stop: StopFn | None) -> None:
    """Raise :class:`Cancelled` when ``should_stop()`` says so (None: never)."""
    if should_stop is not None and should_stop():
        raise Cancelled("stopped before the end")

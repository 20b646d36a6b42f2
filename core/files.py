"""Writing files safely: a temporary file in the same folder, then an atomic rename.

:func:`atomic_writer` is the one writer of the project's output files (scenarios, ``run
--json``/``--csv``, ``study --json``): the text goes to a hidden temporary file next to the
target, is flushed to disk (``fsync``) and renamed over the target, so readers see the old file
or the whole new one. On any failure, KeyboardInterrupt included, the temporary file is removed
and the target is untouched.

The target is the file a symbolic link points to (the link itself stays a link); an existing
target keeps its permissions and a new one gets the usual ``0666 & ~umask``; a read-only target
is refused (as the window refuses it), and so is a folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

__all__ = ["atomic_write_bytes", "atomic_write_text", "atomic_writer", "check_output",
           "output", "printable", "read_umask", "write_target"]


def read_umask() -> int:
    """The process's umask, read without changing it where possible (``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _loop_error(path: str | Path) -> OSError:
    return OSError(errno.ELOOP, "symbolic link loop (too many levels of symbolic links)",
                   str(path))


def write_target(path: str | Path) -> tuple[Path, int]:
    """The file that writing ``path`` replaces, and the mode to give it.

    A symbolic link is followed to its target (which may not exist yet). Raises OSError with a
    clear ``strerror`` for a symbolic link loop, a folder, a read-only file or a missing folder.
    """
    p = Path(path)
    try:
        os.stat(p)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _loop_error(path) from None
    real = Path(os.path.realpath(p))
    try:
        st = os.stat(real)
    except (FileNotFoundError, NotADirectoryError):
        parent = real.parent
        if parent.exists() and not parent.is_dir():
            raise OSError(errno.ENOTDIR, f"{parent} is not a folder", str(path)) from None
        if not parent.is_dir():
            raise OSError(errno.ENOENT, f"the folder {parent} does not exist", str(path)) from None
        return real, 0o666 & ~read_umask()
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _loop_error(path) from None
        raise
    if stat.S_ISDIR(st.st_mode):
        raise OSError(errno.EISDIR, "is a folder, not a file", str(path))
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "is not a regular file (it cannot be replaced)", str(path))
    # as root, access() always allows writing: a file without any write permission bit is
    # read-only too (the window refuses it; so does the command line)
    if not st.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise OSError(errno.EACCES, "is read-only (not replaced)", str(path))
    return real, stat.S_IMODE(st.st_mode)


@contextlib.contextmanager
def atomic_writer(path: str | Path, binary: bool = False) -> Iterator[IO[Any]]:
    """A UTF-8 text file (``binary``: a bytes file) that replaces ``path`` atomically when the
    ``with`` block ends.

    Streams: whatever is written goes to the temporary file at once (memory does not grow
    with the output). If the block raises (anything, KeyboardInterrupt included) the temporary
    file is deleted and ``path`` is untouched. Raises OSError (see :func:`write_target`).
    """
    target, mode = write_target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        fh: IO[Any]
        with (os.fdopen(fd, "wb") if binary
              else os.fdopen(fd, "w", encoding="utf-8", newline="")) as fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the whole new one.

    Raises OSError; nothing is left behind on failure.
    """
    with atomic_writer(path) as fh:
        fh.write(text)


def printable(text: object, newlines: bool = False) -> str:
    """``text`` safe to print on a terminal: control characters (escape sequences, carriage
    returns, …) and other non-printing code points become ``\\xNN``/``\\uNNNN`` escapes.
    Newlines are kept only when ``newlines`` is True."""
    s = str(text)
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if ch.isprintable() or (newlines and ch == "\n"):
            out.append(ch)
        elif unicodedata.category(ch) == "Zs":  # other spaces (no-break, …) are harmless
            out.append(" ")
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one
    (:func:`atomic_writer` in binary mode)."""
    with atomic_writer(path, binary=True) as fh:
        fh.write(data)


def check_output(path: str | None, option: str) -> None:
    """ValueError unless ``path`` (an output option's value; None: not given) is ``-`` or a
    file that can be written (checked before any work is done)."""
    if path is None or path == "-":
        return
    if not path:
        raise ValueError(f"{option}: empty file name (give a file name, or - for stdout)")
    try:
        write_target(path)
    except OSError as err:
        raise ValueError(f"{path}: {err.strerror or err}") from None


@contextlib.contextmanager
def output(path: str, end: str = "\n") -> Iterator[TextIO]:
    """Where a command writes ``path``: stdout for ``-`` (``end`` is added at the end), or a
    file replaced atomically when the block ends (nothing is left behind on failure or
    Ctrl-C). Errors become one-line ValueErrors naming the file."""
    if path == "-":
        yield sys.stdout
        sys.stdout.write(end)
        sys.stdout.flush()
        return
    check_output(path, "output")
    try:
        with atomic_writer(path) as fh:
            yield fh
    except OSError as err:
        raise ValueError(f"{path}: cannot write ({err.strerror or err})") from None

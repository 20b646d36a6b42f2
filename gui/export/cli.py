"""``descent-lab export``: the command line of the export (platform, progress, checks)."""

from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
)
from PySide6.QtGui import (
    QGuiApplication,
    QOpenGLContext,
)
from PySide6.QtWidgets import QApplication

from core import scenario as sc
from core.files import printable, write_target
from core.limits import MAX_EXPORT_PIXELS
from core.progress import ProgressLine, stop_on_signals
from core.progress import check as check_signals
from core.run import simulate_scenario
from gui.export.encoders import PNG_RE, FrameWriter, check_png_folder, open_writer
from gui.export.frames import spec_from_scenario
from gui.export.pipeline import export_animation, make_renderer
from gui.export.settings import (
    MAX_FRAMES,
    ExportError,
    ExportSettings,
    even_size,
    frame_updates,
    output_format,
    parse_size,
)

# Importing Qt creates no QApplication: cmd_export still picks the platform before that.

if TYPE_CHECKING:
    pass

NO_X_SERVER = (
    "the 3D view needs an X server (e.g. run under xvfb-run); "
    "use --view contour with QT_QPA_PLATFORM=offscreen"
)


# =============================================================================================
# command line


def _x_display() -> bool:
    """Whether an X (or Wayland) display looks reachable (a stale ``DISPLAY`` would make Qt
    abort, so local displays are checked for their socket)."""
    if os.environ.get("WAYLAND_DISPLAY"):
        return True
    display = os.environ.get("DISPLAY", "")
    if not display:
        return False
    m = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display)
    if m is None:
        return True  # host:n — cannot cheaply check, let Qt try
    return Path(f"/tmp/.X11-unix/X{m.group(1)}").exists()


def _choose_platform(view: str) -> None:
    """Pick the Qt platform before the QApplication exists; ExportError when the 3D view
    cannot be drawn here."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    needs_gl = view in ("surface", "both")
    if needs_gl:
        if platform.split(":")[0] in ("offscreen", "minimal", "vnc") or (
            not platform and not _x_display()
        ):
            raise ExportError(NO_X_SERVER)
        return
    if not platform and not _x_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _application(view: str) -> Any:
    """The QApplication (created with shared GL contexts if none exists)."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication([sys.argv[0] if sys.argv else "descent-lab"])
    if view in ("surface", "both"):

        if QGuiApplication.platformName() in ("offscreen", "minimal", "vnc"):
            raise ExportError(NO_X_SERVER)
        ctx = QOpenGLContext()
        if not ctx.create():
            raise ExportError("cannot create an OpenGL context on this display; " + NO_X_SERVER)
    return app


@dataclass
class _Progress:
    """Progress on stderr when it is a terminal (at most 10 updates per second)."""

    tty: bool = field(default_factory=lambda: sys.stderr.isatty())
    last: float = 0.0

    def __call__(self, done: int, total: int, left: float | None) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        pct = 100 * done // max(total, 1)
        eta = "" if left is None else f" · {_duration(left)} left"
        sys.stderr.write(f"\r\033[Kexporting: frame {done}/{total} ({pct}%){eta}")
        sys.stderr.flush()

    def clear(self) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _duration(seconds: float) -> str:
    s = max(round(seconds), 0)
    return f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s"


def _bytes(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def _size_on_disk(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.iterdir() if PNG_RE.match(f.name))
    return path.stat().st_size


def check_target(path: str | Path) -> Path:
    """Raise ExportError unless ``path`` can be written: a new or empty folder for PNG frames;
    for a file, its folder exists and accepts a temporary file (removed at once) and the file,
    if it exists, is not read-only. Returns the path to write (a symbolic link's target)."""
    out = Path(path)
    fmt = output_format(out)
    if fmt == "png":
        out = Path(os.path.abspath(out))
        check_png_folder(out)
    else:
        try:
            out = write_target(out)[0]
        except OSError as err:
            raise ExportError(f"{path}: {err.strerror or err}") from None
    probe = FrameWriter(out, (2, 2), 1.0)
    probe.temp = probe._temp_file()
    probe.abort()
    return out


def check_work(frames: int, size: tuple[int, int]) -> None:
    """ExportError when ``frames`` frames of ``size`` exceed :data:`MAX_EXPORT_PIXELS`."""
    pixels = frames * size[0] * size[1]
    if pixels > MAX_EXPORT_PIXELS:
        raise ExportError(
            f"{frames} frames of {size[0]}x{size[1]} is too much to render: at most "
            f"{MAX_EXPORT_PIXELS:,} pixels in all (frames × width × height); use fewer "
            "--frames or a smaller --size")


def cmd_export(args: Any) -> int:
    """``descent-lab export SCENARIO -o OUT [--view …] [--frames N] [--fps F] [--size WxH]
    [--overlay/--no-overlay]``: render without showing a window.

    Bad arguments, an unwritable target, a scenario without runs, too much work
    (:func:`check_work`) or a missing X server (3D view) raise ExportError (a ValueError:
    main.py prints one line and exits 2); nothing partial is left behind. Progress goes to
    stderr when it is a terminal; one line on stdout says what was written.

    Ctrl-C and SIGTERM stop between frames: once Qt renders, the signal handlers only set a
    flag (an exception raised inside a Qt or pyqtgraph callback would crash or be swallowed),
    checked between frames; the temporary output is deleted, the old target kept, and
    :class:`core.progress.Interrupted` gives the exit code 130 or 143."""
    t_start = time.perf_counter()
    if not str(args.output):
        raise ExportError("-o/--output: empty file name")
    out = Path(args.output)
    fmt = output_format(out)
    size = parse_size(args.size)
    note = ""
    if fmt == "mp4" and (size[0] % 2 or size[1] % 2):
        size, old = even_size(size), size
        note = f" (size {old[0]}x{old[1]} rounded down to even for H.264)"
    if args.frames is not None and not 1 <= args.frames <= MAX_FRAMES:
        raise ExportError(f"--frames must be between 1 and {MAX_FRAMES}, got {args.frames}")
    if args.frames is not None:
        check_work(args.frames, size)
    fps = float(args.fps)
    ExportSettings(out, args.view, size, fps, (0,), bool(args.overlay)).validate()
    scenario = sc.load(args.scenario)
    sc.need_runs(scenario, args.scenario, "export")
    target = check_target(out)  # before simulating and rendering
    _choose_platform(args.view)
    _application(args.view)
    line = ProgressLine("simulating")
    try:  # pure NumPy: Ctrl-C raises at once (main.py's handlers)
        problem, trajs = simulate_scenario(scenario, progress=line)
    finally:
        line.clear()
    spec = spec_from_scenario(scenario, problem, trajs)
    updates = frame_updates(spec.t_max, frames=args.frames)
    check_work(len(updates), size)
    settings = ExportSettings(target, args.view, size, fps, tuple(int(t) for t in updates),
                              bool(args.overlay)).validate()
    progress = _Progress()
    with stop_on_signals("flag"):
        renderer = make_renderer(settings, spec)
        try:
            writer = open_writer(target, size, fps)
            try:
                try:
                    export_animation(renderer, writer, settings.updates, progress,
                                     check_signals)
                except Exception:
                    check_signals()  # failed because of Ctrl-C (e.g. a child stopped): say so
                    raise
            finally:
                progress.clear()
        finally:
            renderer.close()
    seconds = time.perf_counter() - t_start
    kind = {"mp4": "H.264 MP4", "gif": "looping GIF", "png": "PNG frames"}[fmt]
    print(f"wrote {printable(out)}: {len(updates)} frames, {size[0]}x{size[1]}, {fps:g} fps, "
          f"{kind}, {_bytes(_size_on_disk(target))} in {seconds:.1f} s{note}")
    return 0

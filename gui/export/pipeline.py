"""Export: animations (MP4, GIF, PNG frames), snapshots and trajectories.

Pipeline of an animation export::

    update t ──► FrameSource (an offscreen Scene, or the window) ──► QImage
             ──► overlay (QPainter) ──► RGB array ──► bounded queue ──► encoder thread ──► writer

* **Frames are the window's pixels.** :class:`SceneFrames` builds a :class:`gui.views.scene.Scene`
  from a :class:`SceneSpec` (the same problem, records, styles, options, theme and camera as the
  window) and grabs its views with ``QWidget.grab()``, exactly as the views' ``grab_image`` do.
  2D views are grabbed hidden (also on ``QT_QPA_PLATFORM=offscreen``); the 3D view is shown with
  ``WA_DontShowOnScreen`` (OpenGL needs a window on an X server: Xvfb is fine) so nothing
  appears on the user's screen.
* **One frame at a time.** Rendering happens on the GUI thread (widgets and GL cannot be touched
  from other threads); encoding runs in a worker thread fed by a queue of at most
  :data:`QUEUE_FRAMES` frames, so memory does not grow with the number of frames. In the
  window, :class:`ExportJob` renders in slices of about :data:`SLICE_SECONDS` driven by a
  ``QTimer`` so the window stays responsive; the command line renders in a loop.
* **Safe files.** Every writer writes to a hidden temporary name in the target folder and
  renames it when complete; a cancelled or failed export leaves nothing behind.
* **Writers.** MP4: H.264 through the ``ffmpeg`` binary shipped by imageio-ffmpeg, frames piped
  as raw RGB. This uses the same command line as ``imageio_ffmpeg.write_frames`` but its own
  ``subprocess`` because ``write_frames`` ignores ffmpeg's exit status (a full disk during the
  final mux would leave a broken file that we would rename into place), lets ffmpeg's messages
  through to the terminal instead of into our error message, and waits for ffmpeg to finish
  encoding on cancel instead of stopping it. Sizes must be even (``yuv420p``): the command line
  rounds odd sizes down and says so. GIF: streamed by our own writer on top of Pillow's GIF
  encoder (``GifImagePlugin.getheader``/``getdata``): each frame's changed rectangle is quantized
  with ``FASTOCTREE`` and written at once with its own colour table, so only the previous frame
  is kept (Pillow's ``save_all`` keeps every frame until the end). PNG: numbered files
  ``frame_00000.png`` … in a folder.

Default frames (command line): one per update from 0 to T (the longest run), at most
:data:`DEFAULT_MAX_FRAMES`; beyond that, updates are sampled evenly (first and last included).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QObject,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QImage,
    QPainter,
)
from PySide6.QtWidgets import QWidget

from core import cli
from gui.export.encoders import FrameWriter, open_writer
from gui.export.frames import (
    FrameRenderer,
    FrameSource,
    SceneFrames,
    SceneSpec,
    WindowFrames,
    widget_image,
)
from gui.export.settings import ExportError, ExportSettings
from gui.theme import DARK

if TYPE_CHECKING:
    from core.problem import Problem
    from core.run import Trajectory
    from core.scenario import Scenario

#: Frames waiting for the encoder at most (bounded memory).
QUEUE_FRAMES = 3
#: The window renders frames for about this long per timer tick.
SLICE_SECONDS = 0.03


# =============================================================================================
# the pipeline


_END = object()


class _Encoder(threading.Thread):
    """Takes frames from a bounded queue and writes them; on the end marker finishes the
    writer. Errors are kept in ``error`` (the writer is then aborted)."""

    def __init__(self, writer: FrameWriter, maxsize: int = QUEUE_FRAMES) -> None:
        super().__init__(name="descent-lab-encoder", daemon=True)
        self.writer = writer
        self.queue: queue.Queue[Any] = queue.Queue(maxsize)
        self.written = 0
        self.error: BaseException | None = None
        self.cancelled = threading.Event()
        self.encode_seconds = 0.0

    def run(self) -> None:
        try:
            while not self.cancelled.is_set():
                try:
                    item = self.queue.get(timeout=0.05)
                except queue.Empty:
                    continue
                if item is _END:
                    t0 = time.perf_counter()
                    self.writer.close()
                    self.encode_seconds += time.perf_counter() - t0
                    return
                t0 = time.perf_counter()
                self.writer.write(item)
                self.encode_seconds += time.perf_counter() - t0
                self.written += 1
            self.writer.abort()
        except BaseException as err:  # handed to the GUI/main thread, shown there
            self.error = err
            self.writer.abort()


class ExportRun:
    """One animation export, stepped by its owner (the command line's loop or the window's
    timer): renders frames on the calling thread and hands them to the encoder thread.

    ``pump(budget, block)`` renders frames for about ``budget`` seconds (None: until all are
    handed off), waiting for room in the queue only when ``block``. After the last frame it
    sends the end marker; :attr:`finished` becomes True when the writer is done; then
    :meth:`commit`. :meth:`cancel` stops everything and deletes the temporary output.
    """

    def __init__(self, renderer: FrameRenderer, writer: FrameWriter,
                 updates: Sequence[int]) -> None:
        self.renderer = renderer
        self.writer = writer
        self.updates = [int(t) for t in updates]
        self.total = len(self.updates)
        self._next = 0
        self._pending: np.ndarray | None = None
        self._encoder = _Encoder(writer)
        self._ended = False
        self.render_seconds = 0.0
        self.started = time.perf_counter()
        self._encoder.start()

    @property
    def written(self) -> int:
        """Frames encoded so far."""
        return self._encoder.written

    @property
    def rendered(self) -> int:
        """Frames rendered so far."""
        return self._next

    @property
    def ended(self) -> bool:
        """True once every frame and the end marker were handed to the encoder."""
        return self._ended

    @property
    def finished(self) -> bool:
        """True when the encoder thread has stopped (done, failed or cancelled)."""
        return self._ended and not self._encoder.is_alive()

    @property
    def encode_seconds(self) -> float:
        """Time the encoder thread spent writing (overlaps rendering)."""
        return self._encoder.encode_seconds

    def error(self) -> BaseException | None:
        """The encoder's error, if it failed."""
        return self._encoder.error

    def seconds_left(self) -> float | None:
        """Estimated time to finish from the pace so far (None before the first frame)."""
        done = self.written
        if done == 0:
            return None
        elapsed = time.perf_counter() - self.started
        return elapsed / done * (self.total - done)

    def _offer(self, frame: np.ndarray, block: bool) -> bool:
        enc = self._encoder
        while True:
            if enc.error is not None:
                raise enc.error
            if not enc.is_alive():
                raise ExportError(f"{self.writer.path}: the encoder stopped")
            try:
                enc.queue.put(frame, timeout=0.05 if block else None, block=block)
                return True
            except queue.Full:
                if not block:
                    return False

    def pump(self, budget: float | None = None, block: bool = True) -> None:
        """Render and hand off frames (see the class docstring)."""
        if self._ended:
            if self._encoder.error is not None:
                raise self._encoder.error
            return
        t_end = None if budget is None else time.perf_counter() + budget
        while True:
            if self._pending is None:
                if self._next >= self.total:
                    break
                t0 = time.perf_counter()
                self._pending = self.renderer.render(self._next, self.updates[self._next])
                self.render_seconds += time.perf_counter() - t0
                self._next += 1
            if not self._offer(self._pending, block):
                return
            self._pending = None
            if t_end is not None and time.perf_counter() >= t_end:
                return
        if self._offer(_END, block):  # type: ignore[arg-type]
            self._ended = True

    def wait(self, timeout: float | None = None) -> None:
        """Block until the encoder is done; re-raise its error."""
        self._encoder.join(timeout)
        if self._encoder.error is not None:
            raise self._encoder.error

    def commit(self) -> Path:
        """Rename the finished output into place."""
        err = self._encoder.error
        if err is not None:
            raise err
        if not self.finished:
            raise ExportError("the export is not finished")
        return self.writer.commit()

    def cancel(self) -> None:
        """Stop encoding and delete the temporary output (waits for the encoder thread)."""
        self._encoder.cancelled.set()
        self._ended = True
        self._pending = None
        self._encoder.join()
        self.writer.abort()


def export_animation(renderer: FrameRenderer, writer: FrameWriter, updates: Sequence[int],
                     progress: Callable[[int, int, float | None], None] | None = None,
                     check: Callable[[], None] | None = None) -> Path:
    """Render every frame, encode, and commit; blocking (command line, benchmarks, tests).

    ``progress(done, total, seconds_left)`` is called after each frame. ``check()`` is called
    between frames and before the commit; it raises to stop (the command line's Ctrl-C). On any
    error or KeyboardInterrupt the temporary output is deleted and the error re-raised (the
    target is untouched)."""
    run = ExportRun(renderer, writer, updates)
    try:
        while not run.finished:
            if check is not None:
                check()
            run.pump(budget=0.1, block=True)
            if progress is not None:
                progress(run.written, run.total, run.seconds_left())
            if run.ended:
                run.wait(0.05)
        run.wait()
        if check is not None:
            check()
        path = run.commit()
    except BaseException:
        run.cancel()
        raise
    if progress is not None:
        progress(run.total, run.total, 0.0)
    return path


def make_renderer(settings: ExportSettings, spec: SceneSpec | None,
                  window: QWidget | None = None,
                  step: Callable[[int], None] | None = None,
                  restore: Callable[[], None] | None = None) -> FrameRenderer:
    """The renderer for ``settings``: an offscreen scene of ``spec``, or the window."""
    if settings.view == "window":
        if window is None or step is None:
            raise ExportError("exporting the whole window needs the window")
        theme = spec.theme if spec is not None and spec.theme is not None else DARK
        source: FrameSource = WindowFrames(window, step, settings.size, theme.background,
                                           restore)
        # the window draws its own numbers (inspector, status bar): no overlay
        return FrameRenderer(source)
    if spec is None:
        raise ExportError("nothing to export")
    source = SceneFrames(spec, settings.view, settings.size, settings.orbit,
                         len(settings.updates))
    return FrameRenderer(source, spec.trajectories, spec.run_styles(), settings.overlay)


# =============================================================================================
# the window: a job driven by a timer


class ExportJob(QObject):
    """An animation export that never freezes the window.

    Frames are rendered on the GUI thread in slices of about :data:`SLICE_SECONDS` driven by a
    zero-interval ``QTimer``; encoding runs on a worker thread. Signals:
    ``progress(done, total, seconds_left)`` (``seconds_left`` < 0: unknown yet),
    ``finished(path)``, ``failed(message)``, ``cancelled()``.

    Example::

        job = ExportJob(settings, spec)
        job.finished.connect(...)
        job.start()
    """

    progress = Signal(int, int, float)
    finished = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, settings: ExportSettings, spec: SceneSpec | None,
                 window: QWidget | None = None, step: Callable[[int], None] | None = None,
                 restore: Callable[[], None] | None = None, parent: Any = None) -> None:

        super().__init__(parent)
        self.settings = settings
        self.spec = spec
        self._window = window
        self._step = step
        self._restore = restore
        self._run: ExportRun | None = None
        self._renderer: FrameRenderer | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)
        self._cancel = False
        self.result: Path | None = None
        self.message = ""
        self.state = "idle"  # idle | running | done | failed | cancelled

    @property
    def running(self) -> bool:
        """True between :meth:`start` and the end signal."""
        return self.state == "running"

    def start(self) -> None:
        """Validate, build the scene, open the writer and start the timer. Problems found here
        are reported through ``failed`` too (and also raised as ExportError)."""
        if self.state == "running":
            return
        self.state = "running"
        self._cancel = False
        writer: FrameWriter | None = None
        try:
            s = self.settings.validate()
            writer = open_writer(s.path, s.size, s.fps)
            self._renderer = make_renderer(s, self.spec, self._window, self._step,
                                           self._restore)
            self._run = ExportRun(self._renderer, writer, s.updates)
        except (ExportError, OSError) as err:
            if writer is not None:
                writer.abort()
            self._end_failed(str(err) if isinstance(err, ExportError) else _os_message(err))
            raise ExportError(self.message) from None
        self.progress.emit(0, len(s.updates), -1.0)
        self._timer.start()

    def cancel(self) -> None:
        """Stop: the temporary output is deleted, then ``cancelled`` is emitted."""
        if self.state != "running":
            return
        self._cancel = True
        self._timer.stop()
        if self._run is not None:
            self._run.cancel()
        self._close_renderer()
        self.state = "cancelled"
        self.cancelled.emit()

    def _tick(self) -> None:
        run = self._run
        if run is None or self._cancel:
            return
        try:
            run.pump(budget=SLICE_SECONDS, block=False)
            left = run.seconds_left()
            self.progress.emit(run.written, run.total, -1.0 if left is None else left)
            if run.finished:
                self._timer.stop()
                self.result = run.commit()
                self._close_renderer()
                self.state = "done"
                self.progress.emit(run.total, run.total, 0.0)
                self.finished.emit(str(self.result))
        except (ExportError, OSError) as err:
            self._timer.stop()
            run.cancel()
            self._end_failed(str(err) if isinstance(err, ExportError) else _os_message(err))
        except Exception as err:  # a bug while rendering: shown, never swallowed silently
            self._timer.stop()
            run.cancel()
            self._end_failed(f"export failed: {type(err).__name__}: {err}")
            raise

    def _close_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None

    def _end_failed(self, message: str) -> None:
        self._close_renderer()
        self.message = message
        self.state = "failed"
        self.failed.emit(message)


def _os_message(err: OSError) -> str:
    name = f"{err.filename}: " if getattr(err, "filename", None) else ""
    return f"{name}{err.strerror or err}"


# =============================================================================================
# snapshots and trajectories


def save_snapshot(target: Any, path: str | Path, view: str = "contour") -> Path:
    """Save a picture of a view: PNG for any widget (GL included), SVG for the 2D views.

    ``target``: a widget (``ContourView``, ``LossPlot``, ``SurfaceView3D``, the window, …) or a
    :class:`gui.views.scene.Scene` (then ``view`` picks ``"contour"``, ``"surface"``, ``"loss"`` or
    ``"both"``: 3D and contour side by side, PNG only). Written atomically; ExportError with a
    clear message otherwise."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in (".png", ".svg"):
        raise ExportError(f"{path}: save a snapshot as .png or .svg")
    widgets: list[Any]
    if hasattr(target, "contour") and hasattr(target, "surface") and hasattr(target, "views"):
        choice = {"contour": [target.contour], "surface": [target.surface],
                  "loss": [target.loss], "both": [target.surface, target.contour]}
        if view not in choice:
            raise ExportError(f"unknown view {view!r} (contour, surface, loss or both)")
        widgets = choice[view]
    else:
        widgets = [target]
    writer = _SnapshotFile(p)
    try:
        if ext == ".svg":
            if len(widgets) != 1 or not isinstance(widgets[0], pg.PlotWidget):
                raise ExportError(
                    f"{path}: SVG is available for the 2D views (contour map, loss plot); "
                    "save the 3D view as PNG")
            _save_svg(widgets[0], writer.temp)
        else:
            images = [widget_image(getattr(w, "view", w) if hasattr(w, "grab_image") else w)
                      for w in widgets]
            if len(images) == 1:
                img = images[0]
            else:
                img = QImage(sum(i.width() for i in images), max(i.height() for i in images),
                             QImage.Format.Format_RGB32)
                img.fill(0)
                painter = QPainter(img)
                x = 0
                for i in images:
                    painter.drawImage(x, 0, i)
                    x += i.width()
                painter.end()
            if not img.save(str(writer.temp), "PNG"):
                raise ExportError(f"{path}: cannot write the PNG")
        return writer.commit()
    finally:
        writer.abort()


def _save_svg(plot: pg.PlotWidget, path: Path) -> None:
    """A 2D view as SVG: pyqtgraph's SVGExporter; where pyqtgraph 0.14.0 fails on paths with a
    "Z" (closepath) command (fixed upstream after 0.14.0, commit 1b84c2b2), Qt's QSvgGenerator
    draws the widget instead (vector paths and text, the colour image embedded)."""
    from pyqtgraph.exporters import SVGExporter
    from PySide6.QtSvg import QSvgGenerator

    try:
        SVGExporter(plot.getPlotItem()).export(fileName=str(path))
        return
    except ValueError:
        pass
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(plot.size())
    gen.setViewBox(plot.rect())
    gen.setTitle("Descent Lab")
    gen.setResolution(plot.logicalDpiX())  # fonts in points keep the size they have on screen
    painter = QPainter()
    if not painter.begin(gen):
        raise ExportError(f"{path}: cannot write the SVG")
    try:
        plot.render(painter)
    finally:
        painter.end()


class _SnapshotFile(FrameWriter):
    """A temporary file next to ``path``, renamed on commit."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, (1, 1), 1.0)
        self.ext = path.suffix
        if path.is_dir():
            raise ExportError(f"{path}: is a folder")
        self.temp = self._temp_file()


def save_trajectories(path: str | Path, scenario: Scenario, problem: Problem,
                      trajectories: Sequence[Trajectory | None]) -> Path:
    """Write the runs' records as CSV (one row per run and θᵗ) or JSON (the ``run --json``
    schema), chosen by the extension; atomic. Runs without a record are left out."""
    p = Path(path)
    trajs = [t for t in trajectories if t is not None]
    ext = p.suffix.lower()
    if ext not in (".csv", ".json"):
        raise ExportError(f"{path}: save trajectories as .csv or .json")
    with cli.output(str(p)) as fh:
        if ext == ".csv":
            cli.write_csv(fh, trajs)
        else:
            cli.write_json(fh, scenario, problem, trajs)
    return p

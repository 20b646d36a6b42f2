"""Export: animations (MP4, GIF, PNG frames), snapshots and trajectories.

Pipeline of an animation export::

    update t ──► FrameSource (an offscreen Scene, or the window) ──► QImage
             ──► overlay (QPainter) ──► RGB array ──► bounded queue ──► encoder thread ──► writer

* **Frames are the window's pixels.** :class:`SceneFrames` builds a :class:`gui.scene.Scene`
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

import contextlib
import errno
import functools
import math
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

import numpy as np
import pyqtgraph as pg
from PIL import GifImagePlugin, Image
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QOpenGLContext,
    QPainter,
    QPainterPath,
    QVector3D,
)
from PySide6.QtWidgets import QApplication, QWidget

from core import cli, limits
from core import scenario as sc
from core.files import printable, read_umask, write_target
from core.limits import MAX_EXPORT_PIXELS
from core.progress import ProgressLine, stop_on_signals
from core.progress import check as check_signals
from core.run import simulate_scenario
from core.scenario import RunConfig
from gui.theme import DARK, RunStyle, Theme
from gui.views._display import format_value
from gui.views.scene import Scene, SceneOptions, run_styles, theme_named

# Importing Qt creates no QApplication: cmd_export still picks the platform before that.

if TYPE_CHECKING:
    from core.present import SurfaceData
    from core.problem import Problem
    from core.run import Trajectory
    from core.scenario import Scenario

__all__ = [
    "DEFAULT_MAX_FRAMES",
    "SIZE_PRESETS",
    "VIEWS",
    "CameraPose",
    "ExportError",
    "ExportJob",
    "ExportSettings",
    "FrameRenderer",
    "FrameSource",
    "FrameWriter",
    "GifWriter",
    "Mp4Writer",
    "OverlayLayout",
    "PngFolderWriter",
    "SceneFrames",
    "SceneSpec",
    "WindowFrames",
    "cmd_export",
    "draw_overlay",
    "export_animation",
    "frame_updates",
    "open_writer",
    "output_format",
    "overlay_layout",
    "overlay_lines",
    "parse_size",
    "save_snapshot",
    "save_trajectories",
    "spec_from_scenario",
    "spec_from_window",
]

#: Default number of frames at most (command line and dialog): updates are sampled evenly.
DEFAULT_MAX_FRAMES = 300
#: Hard limits of the inputs.
MAX_FRAMES = limits.MAX_FRAMES
MIN_SIDE = limits.MIN_SIDE
MAX_SIDE = limits.MAX_SIDE
MAX_FPS = limits.MAX_FPS
#: GIF delays are whole hundredths of a second and browsers slow down delays below 0.02 s.
GIF_MAX_FPS = limits.GIF_MAX_FPS
#: Size presets offered by the dialog.
SIZE_PRESETS: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720), (1920, 1080))
#: What can be exported: the 3D view, the contour map, both side by side, the whole window.
VIEWS: tuple[str, ...] = ("surface", "contour", "both", "window")
#: Frames waiting for the encoder at most (bounded memory).
QUEUE_FRAMES = 3
#: The window renders frames for about this long per timer tick.
SLICE_SECONDS = 0.03
#: H.264 settings: constant quality (lower is better; 18–23 is visually lossless for plots).
H264_CRF = 20
H264_PRESET = "veryfast"
#: GIF: a new palette is made when a pixel would be this far (0–255) from its colour.
PALETTE_MAX_ERROR = 48
PALETTE_BAD_SHARE = 0.002
#: Pixels kept free at the top of the 3D view for its caption ("height ∝ L − Lmin").
CAPTION_3D = 20
#: The overlay's font (DejaVu Sans has θ, η, λ and the subscripts).
OVERLAY_FONT = "DejaVu Sans"
#: PNG compression (0–9): 1 is several times faster than Pillow's default 6, files ~20 % larger.
PNG_COMPRESS = 1
#: Names of PNG frames.
PNG_PATTERN = "frame_{:05d}.png"
_PNG_RE = re.compile(r"^frame_\d{5,}\.png$")
NO_X_SERVER = (
    "the 3D view needs an X server (e.g. run under xvfb-run); "
    "use --view contour with QT_QPA_PLATFORM=offscreen"
)


_UMASK = read_umask()  # temporary files are private; results get the usual mode


class ExportError(ValueError):
    """An export that cannot be done or failed; ``str()`` is one clear line for the user."""


# =============================================================================================
# settings


def parse_size(text: str) -> tuple[int, int]:
    """``"640x480"`` (also ``×``, ``X``, spaces) → ``(640, 480)``; ExportError otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*[x×X]\s*(\d+)\s*", str(text))
    if m is None:
        raise ExportError(f"--size: expected WIDTHxHEIGHT such as 800x600, got {text!r}")
    size = (int(m.group(1)), int(m.group(2)))
    check_size(size)
    return size


def check_size(size: tuple[int, int]) -> None:
    """Raise ExportError unless both sides are within ``MIN_SIDE … MAX_SIDE`` pixels."""
    w, h = size
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise ExportError(
            f"size {w}x{h}: width and height must be between {MIN_SIDE} and {MAX_SIDE} pixels"
        )


def output_format(path: str | Path) -> str:
    """``"mp4"``, ``"gif"`` or ``"png"`` (a folder: an existing folder or a path without an
    extension), from the output path; ExportError for anything else."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".mp4":
        fmt = "mp4"
    elif suffix == ".gif":
        fmt = "gif"
    elif p.is_dir() or suffix == "":
        return "png"
    else:
        raise ExportError(
            f"{path}: unknown extension {p.suffix!r} "
            "(use .mp4, .gif, or a folder name without extension for PNG frames)"
        )
    if p.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name ending in .{fmt}")
    return fmt


def even_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size rounded down to even sides (H.264 with 4:2:0 chroma needs them)."""
    return (size[0] - size[0] % 2, size[1] - size[1] % 2)


def frame_updates(
    t_max: int,
    frames: int | None = None,
    start: int = 0,
    stop: int | None = None,
    every: int | None = None,
    cap: int = DEFAULT_MAX_FRAMES,
) -> np.ndarray:
    """The update shown by each frame, as an int array.

    Args:
        t_max: T, the last update of the longest run.
        frames: exactly this many frames, updates spread evenly over ``start … stop`` (an update
            may repeat when there are more frames than updates).
        start, stop: the range of updates (``stop`` defaults to T; both clamped to 0 … T).
        every: updates per frame (``start, start + every, …``, always ending on ``stop``);
            ignored when ``frames`` is given.
        cap: without ``frames`` and ``every``: one frame per update, at most ``cap`` frames.
    """
    t_max = max(int(t_max), 0)
    lo = min(max(int(start), 0), t_max)
    hi = t_max if stop is None else min(max(int(stop), 0), t_max)
    if hi < lo:
        raise ExportError(f"the range of updates is empty ({start} … {stop})")
    if frames is not None:
        if not 1 <= frames <= MAX_FRAMES:
            raise ExportError(f"--frames must be between 1 and {MAX_FRAMES}, got {frames}")
        if frames == 1:
            return np.array([hi], dtype=np.int64)
        return np.rint(np.linspace(lo, hi, frames)).astype(np.int64)
    if every is not None:
        if every < 1:
            raise ExportError(f"updates per frame must be at least 1, got {every}")
        ts = np.arange(lo, hi + 1, int(every), dtype=np.int64)
        if ts[-1] != hi:
            ts = np.append(ts, hi)
        if ts.size > MAX_FRAMES:
            raise ExportError(f"{ts.size} frames is too many (at most {MAX_FRAMES})")
        return ts
    n = min(hi - lo + 1, max(int(cap), 1))
    return np.rint(np.linspace(lo, hi, n)).astype(np.int64) if n > 1 else np.array([lo])


@dataclass(frozen=True)
class ExportSettings:
    """One animation export: where, what and how.

    ``view``: one of :data:`VIEWS`; ``size``: ``(width, height)`` of the frames; ``updates``:
    the update shown by each frame (:func:`frame_updates`); ``orbit``: degrees the 3D camera
    turns about the vertical axis over the whole animation (0: fixed camera).
    """

    path: Path
    view: str = "contour"
    size: tuple[int, int] = (800, 600)
    fps: float = 20.0
    updates: tuple[int, ...] = (0,)
    overlay: bool = True
    orbit: float = 0.0

    @property
    def format(self) -> str:
        """``"mp4"``, ``"gif"`` or ``"png"``."""
        return output_format(self.path)

    def validate(self) -> ExportSettings:
        """Raise ExportError with a clear message for any bad value; returns self."""
        if self.view not in VIEWS:
            raise ExportError(f"unknown view {self.view!r} (choose {', '.join(VIEWS)})")
        check_size(self.size)
        fmt = self.format
        if not (isinstance(self.fps, int | float) and math.isfinite(self.fps) and self.fps > 0):
            raise ExportError(f"--fps must be a positive number, got {self.fps}")
        top = GIF_MAX_FPS if fmt == "gif" else MAX_FPS
        if self.fps > top:
            why = " (GIF delays are in 1/100 s)" if fmt == "gif" else ""
            raise ExportError(f"--fps must be at most {top:g} for {fmt.upper()}{why}")
        if fmt == "mp4" and (self.size[0] % 2 or self.size[1] % 2):
            raise ExportError(f"MP4 (H.264) needs an even width and height, got {self.size}")
        if not 1 <= len(self.updates) <= MAX_FRAMES:
            raise ExportError(f"the number of frames must be between 1 and {MAX_FRAMES}")
        return self


# =============================================================================================
# what the window shows


@dataclass(frozen=True)
class CameraPose:
    """The 3D view's camera (``GLViewWidget.opts``): centre, distance, angles, field of view."""

    center: tuple[float, float, float]
    distance: float
    elevation: float
    azimuth: float
    fov: float = 60.0

    @classmethod
    def of(cls, view3d: Any) -> CameraPose:
        """The camera of a :class:`gui.views.SurfaceView3D`."""
        o = view3d.view.opts
        c = o["center"]
        return cls((float(c.x()), float(c.y()), float(c.z())), float(o["distance"]),
                   float(o["elevation"]), float(o["azimuth"]), float(o.get("fov", 60.0)))

    def apply(self, view3d: Any) -> None:
        """Put this camera on a :class:`gui.views.SurfaceView3D`."""
        view3d.view.opts["fov"] = self.fov
        view3d.view.setCameraPosition(pos=QVector3D(*self.center), distance=self.distance,
                                      elevation=self.elevation, azimuth=self.azimuth)


@dataclass(frozen=True)
class SceneSpec:
    """Everything needed to rebuild the window's scene offscreen (see :func:`build_scene`).

    ``trajectories``: one record per run (None draws nothing); ``styles``: the runs' labels,
    colours and visibility (None: from the records); ``surface``: the window's precomputed grid
    (None: computed with ``grid`` points per axis); ``camera``: the 3D camera (None: the default
    camera fitted to the export size); ``current``: the window's update t (snapshots).
    """

    problem: Problem
    trajectories: tuple[Trajectory | None, ...]
    styles: tuple[RunStyle, ...] | None = None
    surface: SurfaceData | None = None
    grid: int = 101
    test_shift: tuple[float, float] | None = None
    options: SceneOptions | None = None
    selected: int = 0
    theme: Theme | None = None
    camera: CameraPose | None = None
    scenario: Scenario | None = None
    current: int = 0

    @property
    def t_max(self) -> int:
        """T: the most updates any run made."""
        return max((t.updates for t in self.trajectories if t is not None), default=0)

    def run_styles(self) -> list[RunStyle]:
        """The styles of the runs (given, or the scene's default from the records' configs)."""
        if self.styles is not None:
            return list(self.styles)
        return run_styles([t.config if t is not None else RunConfig() for t in self.trajectories])


def spec_from_scenario(
    scenario: Scenario,
    problem: Problem | None = None,
    trajectories: Sequence[Trajectory | None] | None = None,
    theme: str = "dark",
) -> SceneSpec:
    """The scene the window opens with for ``scenario`` (simulated here unless given):
    the same options as ``AppState.load_scenario`` derives from the scenario's ``[view]``."""
    if problem is None or trajectories is None:
        problem, trajectories = simulate_scenario(scenario)
    v = scenario.view
    options = SceneOptions(batch_surface=v.batch_surface, test_loss=v.test_shift is not None,
                           hessian=v.show_hessian, vectors=v.show_vectors)
    return SceneSpec(
        problem=problem,
        trajectories=tuple(trajectories),
        styles=tuple(run_styles(scenario.runs)),
        grid=v.grid,
        test_shift=v.test_shift,
        options=options,
        theme=theme_named(theme),
        scenario=scenario,
    )


def spec_from_window(window: Any, use_camera: bool = True) -> SceneSpec:
    """The scene of a :class:`gui.mainwindow.MainWindow` (``window.state``, ``window.scene``).

    Raises ExportError while the runs are still being computed or a run has no record."""
    st = window.state
    if st.problem is None or st.surface_data is None:
        raise ExportError("the surface is still being computed; try again in a moment")
    trajs = st.trajectories
    if not trajs or all(t is None for t in trajs):
        raise ExportError("there is no run to export yet")
    o = st.options
    return SceneSpec(
        problem=st.problem,
        trajectories=tuple(trajs),
        styles=tuple(run_styles(st.scenario.runs)),
        surface=st.surface_data,
        grid=o.grid,
        test_shift=st.scenario.view.test_shift,
        options=SceneOptions(batch_surface=o.batch_surface, test_loss=o.test_loss,
                             hessian=o.hessian, vectors=o.vectors, eta_axis=o.eta_axis),
        selected=st.selected,
        theme=theme_named(o.theme),
        camera=CameraPose.of(window.scene.surface) if use_camera else None,
        scenario=st.scenario,
        current=st.current,
    )


def build_scene(spec: SceneSpec) -> Scene:
    """A new :class:`gui.scene.Scene` showing ``spec`` (its views are parentless and hidden)."""
    scene = Scene(spec.theme or DARK)
    scene.set_data(spec.problem, list(spec.trajectories), spec.run_styles(), spec.surface,
                   spec.grid, spec.test_shift)
    scene.set_selected(spec.selected)
    if spec.options is not None:
        scene.set_options(spec.options)
    scene.set_current(spec.current)
    return scene


def close_scene(scene: Scene) -> None:
    """Close and delete the views of a scene made by :func:`build_scene`."""
    for view in scene.views:
        view.close()
        view.deleteLater()


# =============================================================================================
# frame sources


class FrameSource(Protocol):
    """Gives the picture of frame ``index`` showing update ``t`` as a QImage of ``size``."""

    size: tuple[int, int]

    def frame(self, index: int, t: int) -> QImage:
        """Render and return the frame (on the GUI thread)."""
        ...

    def close(self) -> None:
        """Release widgets (the source is not used afterwards)."""
        ...


def _grab(widget: QWidget) -> QImage:
    """The widget's pixels (GL content included), as ``grab_image`` of the views takes them."""
    return widget.grab().toImage()


def _fit(image: QImage, size: tuple[int, int], background: str | None = None) -> QImage:
    """``image`` at exactly ``size``: unchanged if it already is, else scaled smoothly (kept
    aspect with ``background`` bars when given, stretched otherwise — only for HiDPI grabs)."""
    w, h = size
    if image.width() == w and image.height() == h:
        return image
    out = QImage(w, h, QImage.Format.Format_RGB32)
    out.fill(QColor(background or "#000000"))
    p = QPainter(out)
    try:
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if background is None:
            p.drawImage(QRect(0, 0, w, h), image)
        else:
            scaled = image.scaled(w, h, Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
            p.drawImage((w - scaled.width()) // 2, (h - scaled.height()) // 2, scaled)
    finally:
        p.end()
    return out


def _mute(view: QWidget) -> None:
    """Make ``view.set_current`` a no-op on this instance (a view no frame shows)."""

    def ignore(t: int) -> None:
        return None

    view.set_current = ignore  # type: ignore[method-assign]


class SceneFrames:
    """Frames of an offscreen :class:`gui.scene.Scene` built from a :class:`SceneSpec`.

    ``view``: ``"contour"``, ``"surface"`` or ``"both"`` (3D left, contour right, as in the
    window); ``orbit``: degrees the 3D camera turns over ``n_frames`` frames.
    """

    def __init__(self, spec: SceneSpec, view: str, size: tuple[int, int], orbit: float = 0.0,
                 n_frames: int = 1) -> None:

        if view not in ("contour", "surface", "both"):
            raise ExportError(f"a scene cannot render the view {view!r}")
        self.size = size
        self.view = view
        self.spec = spec
        self._orbit = float(orbit) if view != "contour" else 0.0
        self._n = max(int(n_frames), 1)
        self.scene = build_scene(spec)
        # views that are not exported need not follow the update (about 1/4 of the time per
        # frame for a contour export); this scene is private to the export
        _mute(self.scene.loss)
        if view == "contour":
            _mute(self.scene.surface)
        elif view == "surface":
            _mute(self.scene.contour)
        w, h = size
        self._slots: list[tuple[QWidget, tuple[int, int], tuple[int, int]]] = []
        if view == "both":
            left = w // 2
            self._slots = [(self.scene.surface.view, (0, 0), (left, h)),
                           (self.scene.contour, (left, 0), (w - left, h))]
        elif view == "surface":
            self._slots = [(self.scene.surface.view, (0, 0), (w, h))]
        else:
            self._slots = [(self.scene.contour, (0, 0), (w, h))]
        self._azimuth = 0.0
        if view in ("surface", "both"):
            s3 = self.scene.surface
            s3.setMinimumSize(1, 1)
            s3.view.setMinimumSize(1, 1)
            s3.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            s3.resize(*self._slots[0][2])
            s3.show()
            if spec.camera is not None:
                spec.camera.apply(s3)
            self._azimuth = float(s3.view.opts["azimuth"])
        if view in ("contour", "both"):
            self.scene.contour.setMinimumSize(1, 1)
            self.scene.contour.resize(*self._slots[-1][2])

    def frame(self, index: int, t: int) -> QImage:
        """Show update ``t`` (and the orbit's camera angle of frame ``index``) and grab."""
        self.scene.set_current(int(t))
        if self._orbit:
            step = self._orbit * index / max(self._n - 1, 1)
            self.scene.surface.set_azimuth(self._azimuth + step)
        if len(self._slots) == 1:
            widget, _, size = self._slots[0]
            return _fit(_grab(widget), size)
        out = QImage(self.size[0], self.size[1], QImage.Format.Format_RGB32)
        p = QPainter(out)
        try:
            for widget, (x, y), size in self._slots:
                p.drawImage(x, y, _fit(_grab(widget), size))
        finally:
            p.end()
        return out

    def overlay_area(self) -> QRect:
        """Where the overlay goes: the 3D view's part when it is shown (the top right of the 3D
        view is empty sky), else the whole frame."""
        _, (x, y), (w, h) = self._slots[0]
        if self.view != "contour":  # below the 3D view's caption (top left, one line)
            return QRect(x, y + CAPTION_3D, w, h - CAPTION_3D)
        return QRect(x, y, w, h)

    def background(self) -> str:
        """The theme's background colour."""
        return (self.spec.theme or DARK).background

    def close(self) -> None:
        """Delete the offscreen views."""
        close_scene(self.scene)


class WindowFrames:
    """Frames of the whole window: ``step(t)`` moves the window to update t (e.g.
    ``window.state.set_current``), then the window is grabbed and fitted into ``size`` (aspect
    kept, bars in ``background``). ``restore`` is called with nothing on close."""

    def __init__(self, window: QWidget, step: Callable[[int], None], size: tuple[int, int],
                 background: str = "#1E1F24", restore: Callable[[], None] | None = None) -> None:
        self.size = size
        self._window = window
        self._step = step
        self._background = background
        self._restore = restore

    def frame(self, index: int, t: int) -> QImage:
        """Step the window to ``t`` and grab it."""
        self._step(int(t))
        return _fit(_grab(self._window), self.size, self._background)

    def close(self) -> None:
        """Put the window back where it was."""
        if self._restore is not None:
            self._restore()


# =============================================================================================
# overlay


@dataclass(frozen=True)
class OverlayLine:
    """One line of the overlay: cells (aligned in columns) in one colour (None: theme text)."""

    cells: tuple[str, ...]
    color: str | None = None


def _short(value: float) -> str:

    return format_value(float(value), 3)


def overlay_lines(trajectories: Sequence[Trajectory | None], styles: Sequence[RunStyle],
                  t: int) -> list[OverlayLine]:
    """The overlay's text at update ``t``: a header with the update counter, then one line per
    visible run: label, optimizer, η (under a schedule: η_t of the update that led to θᵗ, or of
    the first at t = 0), λ, batch size, epoch counter and current loss L(θᵗ).

    A run that stopped before ``t`` shows its last point and why it stopped."""
    t = max(int(t), 0)
    t_max = max((tr.updates for tr in trajectories if tr is not None), default=0)
    lines = [OverlayLine((f"update {t} / {t_max}",))]
    for tr, style in zip(trajectories, styles, strict=False):
        if tr is None or not style.visible:
            continue
        cfg = tr.config
        k = min(t, tr.updates)
        lam = cfg.momentum
        bpe = tr.schedule.batches_per_epoch
        if k == 0:
            epoch = "epoch 0"
        elif bpe == 1:
            epoch = f"epoch {k}"
        else:
            e, b, n = tr.batch_position(k - 1)
            epoch = f"epoch {e + 1} · {b}/{n}"
        loss = float(tr.loss[k]) if len(tr.loss) else float("nan")
        end = ""
        if t > tr.updates:
            end = "diverged" if tr.status == "diverged" else f"stopped at {tr.updates}"
        cells = (
            cfg.label,
            cfg.optimizer,
            f"η={_short(cfg.lr)}" if cfg.schedule.is_constant
            else f"η_t={_short(cfg.lr_at(max(k - 1, 0)))}",
            f"λ={_short(lam)}" if lam is not None else "",
            f"B={cfg.batch_size}",
            epoch,
            f"L={_short(loss)}",
            end,
        )
        lines.append(OverlayLine(cells, style.qcolor().name()))
    return lines


def max_share(width: int) -> float:
    """Widest overlay box in pixels: 70 % of a narrow frame, 55 % of a wide one."""
    return width * (0.70 if width < 900 else 0.55)


@functools.lru_cache(maxsize=16)
def _metrics(pixel_size: int, bold: bool = False) -> QFontMetricsF:
    font = QFont(OVERLAY_FONT)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return QFontMetricsF(font)


@functools.lru_cache(maxsize=8192)
def _advance(pixel_size: int, text: str, bold: bool = False) -> float:
    """Width of ``text`` in the overlay font (cached: labels and most numbers repeat)."""
    return _metrics(pixel_size, bold).horizontalAdvance(text)


def _columns(rows: Sequence[Sequence[str]], ncol: int, px: int,
             gap: float) -> tuple[list[float], float]:
    """Width of each column of ``rows`` and of the whole table (empty columns take no gap)."""
    widths = [max((_advance(px, r[c]) for r in rows if c < len(r)), default=0.0)
              for c in range(ncol)]
    used = [x for x in widths if x > 0]
    return widths, sum(used) + gap * max(len(used) - 1, 0)


@dataclass(frozen=True)
class OverlayLayout:
    """Where and how big the overlay is drawn: ``box`` (within the area), the text's pixel
    size, the table (``rows`` of cells, column ``widths``), ``lines`` (the header, then the
    lines drawn: a run may take two) and which of them start a run (``dots``)."""

    box: QRectF
    px: int
    scale: float
    lines: tuple[OverlayLine, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    dots: tuple[bool, ...]


def _two_line(lines: Sequence[OverlayLine]) -> tuple[list[OverlayLine], list[bool]]:
    """Each run on two lines: its name, optimizer and end; then its numbers (indented)."""
    out: list[OverlayLine] = [lines[0]]
    dots: list[bool] = []
    for line in lines[1:]:
        c = line.cells
        out.append(OverlayLine((c[0], *c[1:2], *c[7:8]), line.color))
        out.append(OverlayLine(tuple(c[2:7]), line.color))
        dots += [True, False]
    return out, dots


def overlay_layout(lines: Sequence[OverlayLine], area: QRect) -> OverlayLayout:
    """Fit the overlay into ``area``: the largest text with one line per run that fits; if
    none does, two lines per run (name; numbers); long names are cut with "…" last. The box
    never leaves ``area`` (less its margins) unless even 8-pixel text cannot fit."""
    w, h = area.width(), area.height()
    scale = min(max(min(h / 480.0, w / 520.0), 0.75), 3.0)
    pad, gap, margin = 6.0 * scale, 8.0 * scale, 8.0 * scale
    base = 12.0 * scale
    header = lines[0].cells[0] if lines[0].cells else ""
    # the largest text that fits: long labels are cut to 14 characters, then the text shrinks
    # (to 70 %), then the box may take the whole width, then a run takes two lines, and only
    # then labels are cut shorter and the text shrinks to 8 px
    one = (list(lines), [True] * (len(lines) - 1))
    two = _two_line(lines)
    wide = w - 2 * margin
    steps = ((one, 1.0, 14, max_share(w)), (one, 0.9, 14, max_share(w)),
             (one, 0.8, 14, max_share(w)), (one, 0.8, 14, wide), (one, 0.7, 14, wide),
             (two, 0.9, 14, max_share(w)), (two, 0.8, 14, wide), (two, 0.7, 14, wide),
             (two, 0.7, 8, wide), (two, 0.6, 6, wide))
    for (cand, dots), factor, keep_chars, share in steps:
        px = max(round(base * factor), 8)
        fm = _metrics(px)
        dot = fm.height() * 0.55
        avail = min(share, wide) - 2 * pad - dot - 0.6 * gap
        ncol = max((len(line.cells) for line in cand[1:]), default=0)
        rows = [list(line.cells) for line in cand[1:]]
        widths, total = _columns(rows, ncol, px, gap)
        if total > avail and rows:
            keep = max(avail - (total - widths[0]), _advance(px, "M" * keep_chars) * 0.8)
            for r, line, d in zip(rows, cand[1:], dots, strict=True):
                if d:  # only the names are cut
                    r[0] = fm.elidedText(line.cells[0], Qt.TextElideMode.ElideRight, keep)
            widths, total = _columns(rows, ncol, px, gap)
        height = fm.height() * len(cand) + 2 * pad
        if (total <= avail and _advance(px, header, True) <= avail + dot + 0.6 * gap
                and height <= h - 2 * margin):
            break
    text_w = max(dot + 0.6 * gap + total, _advance(px, header, True))
    box = QRectF(0, 0, text_w + 2 * pad, fm.height() * len(cand) + 2 * pad)
    box.moveLeft(area.left() + max(w - box.width() - margin, 0.0))
    box.moveTop(area.top() + margin)
    return OverlayLayout(box, px, scale, tuple(cand), tuple(tuple(r) for r in rows),
                         tuple(widths), tuple(dots))


def draw_overlay(image: QImage, lines: Sequence[OverlayLine], corner: str = "top-right",
                 area: QRect | None = None) -> None:
    """Draw ``lines`` onto ``image`` (in place) in a rounded, semi-transparent dark box in a
    corner: the first line bold, the others in columns, each run in its colour after a dot.

    Sizes follow the frame (12 px text at 480 px high, up to 3× that); long run labels are
    shortened with "…" and the text shrinks so that the box stays within
    :func:`max_share` of the width. ``area``: the part of the image to place it in (default:
    all of it)."""
    if not lines:
        return
    area = area if area is not None else image.rect()
    lay = overlay_layout(lines, area)
    box, px, rows, widths, dots = QRectF(lay.box), lay.px, lay.rows, lay.widths, lay.dots
    lines = lay.lines
    scale = lay.scale
    pad, gap, margin = 6.0 * scale, 8.0 * scale, 8.0 * scale
    if "left" in corner:
        box.moveLeft(area.left() + margin)
    if "bottom" in corner:
        box.moveTop(area.top() + max(area.height() - box.height() - margin, 0.0))
    font = QFont(OVERLAY_FONT)
    font.setPixelSize(px)
    fm = _metrics(px)
    dot = fm.height() * 0.55
    line_h = fm.height()
    text_w = box.width() - 2 * pad
    bold = QFont(font)
    bold.setBold(True)
    header = lines[0].cells[0] if lines[0].cells else ""

    left_middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    p = QPainter(image)
    try:
        p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        path = QPainterPath()
        path.addRoundedRect(box, 5 * scale, 5 * scale)
        p.fillPath(path, QColor(14, 15, 19, 200))
        p.setPen(QColor(255, 255, 255, 45))
        p.drawPath(path)
        x0, top = box.left() + pad, box.top() + pad
        p.setFont(bold)
        p.setPen(QColor("#F2F2F2"))
        p.drawText(QRectF(x0, top, text_w, line_h), left_middle, header)
        p.setFont(font)
        for line, cells, with_dot in zip(lines[1:], rows, dots, strict=True):
            top += line_h
            colour = QColor(line.color or "#F2F2F2")
            if with_dot:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colour)
                p.drawEllipse(QRectF(x0, top + (line_h - dot) / 2, dot, dot))
            p.setPen(colour)
            x = x0 + dot + 0.6 * gap
            for text, cw in zip(cells, widths, strict=False):
                if cw > 0:
                    p.drawText(QRectF(x, top, cw + 2, line_h), left_middle, text)
                    x += cw + gap
    finally:
        p.end()


class FrameRenderer:
    """Frame ``index`` showing update ``t`` as an ``(h, w, 3) uint8`` RGB array: the source's
    picture plus, with ``overlay``, the counters and every run's settings and loss."""

    def __init__(self, source: FrameSource, trajectories: Sequence[Trajectory | None] = (),
                 styles: Sequence[RunStyle] = (), overlay: bool = False) -> None:
        self.source = source
        self.size = source.size
        self._trajs = list(trajectories)
        self._styles = list(styles)
        self.overlay = bool(overlay)

    def render(self, index: int, t: int) -> np.ndarray:
        """Render one frame (GUI thread)."""
        img = self.source.frame(index, t)
        if self.overlay:
            if img.format() not in (QImage.Format.Format_RGB32,
                                    QImage.Format.Format_ARGB32_Premultiplied):
                img = img.convertToFormat(QImage.Format.Format_RGB32)
            area = getattr(self.source, "overlay_area", None)
            draw_overlay(img, overlay_lines(self._trajs, self._styles, t),
                         area=area() if callable(area) else None)
        return qimage_to_rgb(img)

    def close(self) -> None:
        """Close the source."""
        self.source.close()


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """A QImage as a new C-contiguous ``(h, w, 3) uint8`` RGB array (row padding removed)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    # a view on the QImage's memory: copy before the QImage goes away (always, even when the
    # view is already contiguous)
    return pg.functions.ndarray_from_qimage(rgb).copy(order="C")


# =============================================================================================
# writers


class FrameWriter:
    """Base of the writers: frames go to a hidden temporary file (or folder) next to ``path``;
    :meth:`close` finishes encoding, :meth:`commit` renames into place, :meth:`abort` deletes.

    ``write``/``close`` may run on a worker thread; ``commit``/``abort`` on any thread once the
    worker is done. Use as a context manager: leaving it without commit aborts.
    """

    ext = ""

    def __init__(self, path: str | Path, size: tuple[int, int], fps: float) -> None:
        self.path = Path(path)
        self.size = (int(size[0]), int(size[1]))
        self.fps = float(fps)
        self.frames = 0
        self.temp: Path | None = None
        self._done = False

    # -- helpers
    def _folder(self) -> Path:
        parent = self.path.parent if str(self.path.parent) else Path(".")
        if parent.exists() and not parent.is_dir():
            raise ExportError(f"{self.path}: {parent} is not a folder")
        if not parent.is_dir():
            raise ExportError(f"{self.path}: the folder {parent} does not exist")
        return parent

    def _temp_file(self) -> Path:
        parent = self._folder()
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=f".part{self.ext}",
                                        dir=parent)
        except OSError as err:
            raise ExportError(
                f"{self.path}: cannot write in {parent} ({err.strerror or err})") from None
        os.close(fd)
        os.chmod(name, 0o666 & ~_UMASK)
        return Path(name)

    def _check(self, frame: np.ndarray) -> np.ndarray:
        a = np.ascontiguousarray(frame, dtype=np.uint8)
        if a.shape != (self.size[1], self.size[0], 3):
            raise ExportError(f"frame of shape {a.shape}, expected "
                              f"{(self.size[1], self.size[0], 3)} (h, w, RGB)")
        return a

    def _fail(self, err: OSError) -> ExportError:
        return ExportError(f"{self.path}: cannot write ({err.strerror or err})")

    # -- API
    def write(self, frame: np.ndarray) -> None:
        """Encode one ``(h, w, 3) uint8`` RGB frame."""
        raise NotImplementedError

    def close(self) -> None:
        """Finish encoding (the temporary file is complete afterwards)."""
        raise NotImplementedError

    def commit(self) -> Path:
        """Rename the finished temporary file to ``path``; returns ``path``."""
        if self.temp is None:
            raise ExportError(f"{self.path}: nothing was written")
        try:
            os.replace(self.temp, self.path)
        except OSError as err:
            self.abort()
            raise self._fail(err) from None
        self.temp = None
        self._done = True
        return self.path

    def abort(self) -> None:
        """Stop and delete the temporary file (idempotent)."""
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)
            self.temp = None

    def __enter__(self) -> FrameWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:
            self.abort()


class Mp4Writer(FrameWriter):
    """H.264 MP4 (``yuv420p``, ``+faststart``) by piping raw RGB frames into ffmpeg."""

    ext = ".mp4"

    def __init__(self, path: str | Path, size: tuple[int, int], fps: float,
                 crf: int = H264_CRF, preset: str = H264_PRESET) -> None:
        super().__init__(path, size, fps)
        w, h = self.size
        if w % 2 or h % 2:
            raise ExportError(f"MP4 (H.264) needs an even width and height, got {w}x{h}")
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
        self.temp = self._temp_file()
        rate = Fraction(self.fps).limit_denominator(1001)
        cmd = [exe, "-y", "-hide_banner", "-loglevel", "error",
               "-f", "rawvideo", "-vcodec", "rawvideo", "-s", f"{w}x{h}", "-pix_fmt", "rgb24",
               "-r", str(rate), "-i", "-", "-an",
               "-vcodec", "libx264", "-pix_fmt", "yuv420p", "-preset", preset,
               "-crf", str(int(crf)), "-movflags", "+faststart", "-f", "mp4", str(self.temp)]
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close/abort
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log,
                process_group=0)  # Ctrl-C on the terminal reaches us only: we stop ffmpeg
        except OSError as err:
            self.abort()
            raise ExportError(f"cannot start the video encoder ffmpeg ({err})") from None

    def _ffmpeg_error(self, fallback: str) -> ExportError:
        text = ""
        with contextlib.suppress(OSError, ValueError):
            self._log.seek(0)
            text = self._log.read().decode("utf-8", "replace")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        why = lines[-1] if lines else fallback
        if "No space left" in text:
            why = "no space left on the device"
        return ExportError(f"{self.path}: the video encoder failed: {why}")

    def write(self, frame: np.ndarray) -> None:
        """Pipe one frame to ffmpeg."""
        a = self._check(frame)
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise ExportError(f"{self.path}: the video encoder is closed")
        try:
            proc.stdin.write(memoryview(a).cast("B"))
        except OSError as err:
            try:  # ffmpeg stopped (its message is in the log) or the pipe broke: stop it
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            raise self._ffmpeg_error(f"ffmpeg stopped ({err.strerror or err})") from None
        self.frames += 1

    def close(self) -> None:
        """Let ffmpeg finish; ExportError if it failed."""
        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
        except OSError:
            pass
        rc = proc.wait()
        self._proc = None
        if rc != 0:
            raise self._ffmpeg_error(f"ffmpeg exit code {rc}")
        if self.frames == 0:
            raise ExportError(f"{self.path}: no frames were written")
        self._log.close()

    def abort(self) -> None:
        """Stop ffmpeg at once and delete the temporary file."""
        proc = self._proc
        self._proc = None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            with contextlib.suppress(OSError):
                if proc.stdin is not None:
                    proc.stdin.close()
            proc.wait()
        with contextlib.suppress(OSError):
            self._log.close()
        super().abort()


def gif_delay(k: int, fps: float) -> int:
    """Delay of GIF frame ``k`` in 1/100 s: the running sum stays on the exact timeline
    (30 fps → 3, 4, 3, 3, 4, 3, …); at least 2 (browsers slow down shorter delays)."""
    return max(round((k + 1) * 100.0 / fps) - round(k * 100.0 / fps), 2)


class GifWriter(FrameWriter):
    """Looping GIF, streamed frame by frame.

    A palette of 255 colours is made from a whole frame with ``FASTOCTREE`` and kept while the
    next frames map onto it well (a new one is made when the content drifts, e.g. an orbiting
    camera); frames are quantized whole, so there are no seams between regions. Only the
    rectangle whose colours changed is written (with its colour table), unchanged pixels in it
    transparent (index 255), drawn over the previous frame (disposal 1). Memory: the previous
    frame only."""

    ext = ".gif"
    #: The colour index kept free for "unchanged" pixels.
    TRANSPARENT = 255

    def __init__(self, path: str | Path, size: tuple[int, int], fps: float,
                 loop: int = 0) -> None:
        super().__init__(path, size, fps)
        self.loop = int(loop)
        self.temp = self._temp_file()
        try:
            self._fp: IO[bytes] | None = open(self.temp, "wb")  # noqa: SIM115 - closed in close()
        except OSError as err:
            self.abort()
            raise self._fail(err) from None
        self._previous: np.ndarray | None = None  # colour indices of the last frame
        self._palette: np.ndarray | None = None
        self._codes = np.zeros(256, dtype=np.uint32)  # palette colours as 0xRRGGBB
        self._palette_image: Image.Image | None = None
        self._palette_error = 0.0
        self.palettes = 0  # palettes made (1 + the times the content drifted away)

    @staticmethod
    def _quantize(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Colour indices ``(h, w)`` and palette ``(256, 3)`` of an RGB frame (≤ 255 colours)."""
        im = Image.fromarray(a, "RGB").quantize(GifWriter.TRANSPARENT, Image.Quantize.FASTOCTREE)
        pal = np.zeros((256, 3), dtype=np.uint8)
        raw = np.asarray(im.getpalette() or [], dtype=np.uint8)
        n = min(raw.size // 3, GifWriter.TRANSPARENT)
        pal[:n] = raw[: 3 * n].reshape(n, 3)
        pal[n:] = pal[0]
        return np.asarray(im), pal

    def _map(self, a: np.ndarray) -> np.ndarray | None:
        """Indices of ``a`` in the current palette, if it still fits: few pixels (a share
        :data:`PALETTE_BAD_SHARE`) more than :data:`PALETTE_MAX_ERROR` off and the mean error at
        most 1.5× the palette's own + 0.5 (checked on every third pixel and row). Keeping one
        palette keeps unchanged pixels unchanged: small frames."""
        if self._palette is None or self._palette_image is None:
            return None
        im = Image.fromarray(a, "RGB").quantize(palette=self._palette_image,
                                                dither=Image.Dither.NONE)
        index = np.array(im)
        index[index == self.TRANSPARENT] = 0  # entry 255 repeats entry 0's colour
        err = self._error(a[::3, ::3], self._palette[index[::3, ::3]])
        bad = np.count_nonzero(err > PALETTE_MAX_ERROR)
        if bad > PALETTE_BAD_SHARE * err.size or err.mean() > 1.5 * self._palette_error + 0.5:
            return None
        return index

    @staticmethod
    def _error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Largest channel difference per pixel."""
        d = np.abs(a.astype(np.int16) - b)
        return np.maximum(np.maximum(d[..., 0], d[..., 1]), d[..., 2])

    def _new_palette(self, a: np.ndarray) -> np.ndarray:
        index, pal = self._quantize(a)
        self._palette = pal
        self._codes = (pal[:, 0].astype(np.uint32) << 16) | (pal[:, 1].astype(np.uint32) << 8) \
            | pal[:, 2]
        self._palette_image = Image.new("P", (1, 1))
        self._palette_image.putpalette(pal.tobytes())
        self._palette_error = float(self._error(a[::3, ::3], pal[index[::3, ::3]]).mean())
        self.palettes += 1
        return index

    def write(self, frame: np.ndarray) -> None:
        """Quantize one frame and write the part that changed."""
        a = self._check(frame)
        fp = self._fp
        if fp is None:
            raise ExportError(f"{self.path}: the GIF is closed")
        delay = gif_delay(self.frames, self.fps) * 10  # Pillow takes milliseconds
        old_codes = self._codes
        mapped = self._map(a)
        index = mapped if mapped is not None else self._new_palette(a)
        pal = self._palette
        assert pal is not None
        try:
            if self._previous is None:
                im = Image.fromarray(index, "P")
                im.putpalette(pal.tobytes())
                header, _ = GifImagePlugin.getheader(im, info={"loop": self.loop})
                chunks = [*header, *GifImagePlugin.getdata(im, (0, 0), duration=delay,
                                                           disposal=1)]
            else:
                if mapped is not None:  # same palette: compare indices
                    changed = index != self._previous
                else:  # compare colours
                    changed = self._codes[index] != old_codes[self._previous]
                rows = np.flatnonzero(changed.any(axis=1))
                if rows.size:
                    y0, y1 = int(rows[0]), int(rows[-1]) + 1
                    cols = np.flatnonzero(changed[y0:y1].any(axis=0))
                    x0, x1 = int(cols[0]), int(cols[-1]) + 1
                else:  # unchanged: a 1×1 transparent frame keeps the frame count and timing
                    y0, y1, x0, x1 = 0, 1, 0, 1
                crop = index[y0:y1, x0:x1].copy()
                crop[~changed[y0:y1, x0:x1]] = self.TRANSPARENT
                im = Image.fromarray(crop, "P")
                im.putpalette(pal.tobytes())
                chunks = GifImagePlugin.getdata(im, (x0, y0), duration=delay, disposal=1,
                                                transparency=self.TRANSPARENT,
                                                include_color_table=True)
            for chunk in chunks:
                fp.write(chunk)
        except OSError as err:
            raise self._fail(err) from None
        self._previous = index
        self.frames += 1

    def close(self) -> None:
        """Write the trailer and close the file."""
        fp = self._fp
        if fp is None:
            return
        try:
            fp.write(b";")
            fp.flush()
            os.fsync(fp.fileno())
        except OSError as err:
            raise self._fail(err) from None
        finally:
            self._fp = None
            self._previous = None
            fp.close()
        if self.frames == 0:
            raise ExportError(f"{self.path}: no frames were written")

    def abort(self) -> None:
        """Close and delete the temporary file."""
        fp, self._fp = self._fp, None
        if fp is not None:
            with contextlib.suppress(OSError):
                fp.close()
        self._previous = None
        super().abort()


class PngFolderWriter(FrameWriter):
    """Numbered PNG frames ``frame_00000.png`` … in the folder ``path``, a new or empty one.

    Frames go to a hidden temporary folder beside ``path``; on commit it is renamed to ``path``
    (rename replaces an empty folder atomically, and fails if files appeared in it meanwhile).
    No file the export did not create is ever deleted or replaced."""

    def __init__(self, path: str | Path, size: tuple[int, int], fps: float = 20.0) -> None:
        super().__init__(Path(os.path.abspath(path)), size, fps)
        check_png_folder(self.path)
        parent = self._folder()
        try:
            self.temp = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", suffix=".part",
                                              dir=parent))
            os.chmod(self.temp, 0o777 & ~_UMASK)
        except OSError as err:
            raise ExportError(
                f"{self.path}: cannot write in {parent} ({err.strerror or err})") from None

    def write(self, frame: np.ndarray) -> None:
        """Write the next numbered PNG."""
        a = self._check(frame)
        if self.temp is None:
            raise ExportError(f"{self.path}: the folder is closed")
        try:
            Image.fromarray(a, "RGB").save(self.temp / PNG_PATTERN.format(self.frames),
                                           compress_level=PNG_COMPRESS)
        except OSError as err:
            raise self._fail(err) from None
        self.frames += 1

    def close(self) -> None:
        """Nothing to flush: every PNG is complete when written."""
        if self.frames == 0:
            raise ExportError(f"{self.path}: no frames were written")

    def commit(self) -> Path:
        """Rename the temporary folder to ``path`` (new, or an empty folder it replaces)."""
        tmp = self.temp
        if tmp is None:
            raise ExportError(f"{self.path}: nothing was written")
        try:
            check_png_folder(self.path)
            os.rename(tmp, self.path)
        except (OSError, ExportError) as err:
            self.abort()
            if isinstance(err, ExportError):
                raise
            if err.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise ExportError(f"{self.path}: files appeared in the folder during the "
                                  "export; nothing was replaced") from None
            raise self._fail(err) from None
        self.temp = None
        self._done = True
        return self.path

    def abort(self) -> None:
        """Delete the temporary folder and its frames."""
        tmp, self.temp = self.temp, None
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def check_png_folder(path: Path) -> None:
    """ExportError unless ``path`` is new or an empty folder (PNG frames never mix with, nor
    replace, files that are already there)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise ExportError(f"{path}: exists and is not a folder (PNG frames go into a new or "
                          "empty folder)")
    if path.is_dir():
        try:
            with os.scandir(path) as it:
                busy = next(it, None) is not None
        except OSError as err:
            raise ExportError(f"{path}: cannot read the folder ({err.strerror or err})"
                              ) from None
        if busy:
            raise ExportError(f"{path}: the folder is not empty (PNG frames go into a new or "
                              "empty folder; nothing in it is replaced)")


def open_writer(path: str | Path, size: tuple[int, int], fps: float) -> FrameWriter:
    """The writer for ``path``'s format (see :func:`output_format`)."""
    fmt = output_format(path)
    if fmt == "mp4":
        return Mp4Writer(path, size, fps)
    if fmt == "gif":
        return GifWriter(path, size, fps)
    return PngFolderWriter(path, size, fps)


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
    :class:`gui.scene.Scene` (then ``view`` picks ``"contour"``, ``"surface"``, ``"loss"`` or
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
            images = [_grab(getattr(w, "view", w) if hasattr(w, "grab_image") else w)
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
        return sum(f.stat().st_size for f in path.iterdir() if _PNG_RE.match(f.name))
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
    cli.need_runs(scenario, args.scenario, "export")
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

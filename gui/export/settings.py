"""Export settings: sizes, formats, which updates the frames show, and their limits."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core import limits

if TYPE_CHECKING:
    pass

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

"""Exporting animations (MP4, GIF, PNG frames), snapshots and trajectories.

``settings`` (what to export) → ``frames`` (a scene rebuilt offscreen, or the window, rendered
to RGB arrays) + ``overlay`` (the counters drawn on each frame) → ``pipeline`` (a bounded queue
to an encoder thread; the window's timer-driven job) → ``encoders`` (the MP4, GIF and PNG
writers). ``cli`` is ``descent-lab export``; ``dialog`` is File → Export animation.
This package re-exports the public names of those modules.
"""

from gui.export.cli import check_target, cmd_export
from gui.export.encoders import (
    FrameWriter,
    GifWriter,
    Mp4Writer,
    PngFolderWriter,
    gif_delay,
    open_writer,
)
from gui.export.frames import (
    CameraPose,
    FrameRenderer,
    FrameSource,
    SceneFrames,
    SceneSpec,
    WindowFrames,
    build_scene,
    close_scene,
    spec_from_scenario,
    spec_from_window,
)
from gui.export.overlay import OverlayLayout, draw_overlay, overlay_layout, overlay_lines
from gui.export.pipeline import (
    ExportJob,
    ExportRun,
    export_animation,
    make_renderer,
    save_snapshot,
    save_trajectories,
)
from gui.export.settings import (
    DEFAULT_MAX_FRAMES,
    SIZE_PRESETS,
    VIEWS,
    ExportError,
    ExportSettings,
    frame_updates,
    output_format,
    parse_size,
)

__all__ = [
    "DEFAULT_MAX_FRAMES",
    "SIZE_PRESETS",
    "VIEWS",
    "CameraPose",
    "ExportError",
    "ExportJob",
    "ExportRun",
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
    "build_scene",
    "check_target",
    "close_scene",
    "cmd_export",
    "draw_overlay",
    "export_animation",
    "frame_updates",
    "gif_delay",
    "make_renderer",
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

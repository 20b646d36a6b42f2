"""Exporting animations (MP4, GIF, PNG frames), snapshots and trajectories.

``settings`` (what to export) → ``frames`` (a scene rebuilt offscreen, or the window, rendered
to RGB arrays) + ``overlay`` (the counters drawn on each frame) → ``pipeline`` (a bounded queue
to an encoder thread; the window's timer-driven job) → ``encoders`` (the MP4, GIF and PNG
writers). ``cli`` is ``descent-lab export``; ``dialog`` is File → Export animation.
This package re-exports the public names of those modules, each module imported when
one of its names is first used (PEP 562): ``gui.export.network`` alone (the network
window) no longer loads the encoders, PIL and the pipeline (~50 ms here).
"""

from __future__ import annotations

import importlib
from typing import Any

#: module → the public names it gives this package
_MODULES: dict[str, tuple[str, ...]] = {
    "cli": ("check_target", "cmd_export"),
    "encoders": (
        "FrameWriter", "GifWriter", "Mp4Writer", "PngFolderWriter", "gif_delay", "open_writer",
    ),
    "frames": (
        "CameraPose", "FrameRenderer", "FrameSource", "SceneFrames", "SceneSpec", "WindowFrames",
        "build_scene", "close_scene", "spec_from_scenario", "spec_from_window",
    ),
    "overlay": ("OverlayLayout", "draw_overlay", "overlay_layout", "overlay_lines"),
    "pipeline": (
        "ExportJob", "ExportRun", "export_animation", "make_renderer", "save_snapshot",
        "save_trajectories",
    ),
    "settings": (
        "DEFAULT_MAX_FRAMES", "SIZE_PRESETS", "VIEWS", "ExportError", "ExportSettings",
        "frame_updates", "output_format", "parse_size",
    ),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """A re-exported name: its module is imported on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

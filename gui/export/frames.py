"""Frame sources: the window's scene rebuilt offscreen (:class:`SceneFrames`) or the whole
window (:class:`WindowFrames`), and :class:`FrameRenderer` (source + overlay → RGB array)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from PySide6.QtCore import (
    QCoreApplication,
    QRect,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QVector3D,
)
from PySide6.QtWidgets import QWidget

from core.run import simulate_scenario
from core.scenario import RunConfig
from gui.export.overlay import OverlayLine, draw_overlay, overlay_lines
from gui.export.settings import ExportError
from gui.state import ViewOptions
from gui.theme import DARK, RunStyle, Theme, theme_named
from gui.views._common import qimage_to_rgb
from gui.views.scene import Scene, SceneOptions, run_styles

if TYPE_CHECKING:
    from core.present import SurfaceData
    from core.problem import Problem
    from core.run import Trajectory
    from core.scenario import Scenario

#: Pixels kept free at the top of the 3D view for its caption ("height ∝ L − Lmin").
CAPTION_3D = 20


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
    options = ViewOptions().from_view(v)
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
    """The scene of a :class:`gui.windows.mainwindow.MainWindow` (``window.state``,
    ``window.scene``).

    Raises ExportError while the runs are still being computed or a run has no record."""
    st = window.state
    if st.problem is None or st.surface_data is None:
        raise ExportError(QCoreApplication.translate(
            "ExportDialog", "the surface is still being computed; try again in a moment"))
    trajs = st.trajectories
    if not trajs or all(t is None for t in trajs):
        raise ExportError(QCoreApplication.translate(
            "ExportDialog", "there is no run to export yet"))
    o = st.options
    return SceneSpec(
        problem=st.problem,
        trajectories=tuple(trajs),
        styles=tuple(run_styles(st.scenario.runs)),
        surface=st.surface_data,
        grid=o.grid,
        test_shift=st.scenario.view.test_shift,
        options=o,
        selected=st.selected,
        theme=theme_named(o.theme),
        camera=CameraPose.of(window.scene.surface) if use_camera else None,
        scenario=st.scenario,
        current=st.current,
    )


def build_scene(spec: SceneSpec) -> Scene:
    """A new :class:`gui.views.scene.Scene` showing ``spec`` (its views are parentless and
    hidden)."""
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


def widget_image(widget: QWidget) -> QImage:
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
    """Frames of an offscreen :class:`gui.views.scene.Scene` built from a :class:`SceneSpec`.

    ``view``: ``"contour"``, ``"surface"`` or ``"both"`` (3D left, contour right, as in the
    window); ``orbit``: degrees the 3D camera turns over ``n_frames`` frames. A spec with a
    ``build_scene()`` method brings its own scene instead (its ``contour``, ``surface``,
    ``loss`` (or None), ``views`` and ``set_current(t)``, e.g. the network's plane,
    :class:`gui.export.network.PlaneSpec`); ``camera`` and ``theme`` are read from it as from a
    :class:`SceneSpec`.
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
        own = getattr(spec, "build_scene", None)
        self.scene = own() if own is not None else build_scene(spec)
        # views that are not exported need not follow the update (about 1/4 of the time per
        # frame for a contour export); this scene is private to the export
        if self.scene.loss is not None:
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
            return _fit(widget_image(widget), size)
        out = QImage(self.size[0], self.size[1], QImage.Format.Format_RGB32)
        p = QPainter(out)
        try:
            for widget, (x, y), size in self._slots:
                p.drawImage(x, y, _fit(widget_image(widget), size))
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
        return _fit(widget_image(self._window), self.size, self._background)

    def close(self) -> None:
        """Put the window back where it was."""
        if self._restore is not None:
            self._restore()


class FrameRenderer:
    """Frame ``index`` showing update ``t`` as an ``(h, w, 3) uint8`` RGB array: the source's
    picture plus, with ``overlay``, the counters and every run's settings and loss
    (:func:`gui.export.overlay.overlay_lines` of the records, or ``lines(t)`` when given)."""

    def __init__(self, source: FrameSource, trajectories: Sequence[Trajectory | None] = (),
                 styles: Sequence[RunStyle] = (), overlay: bool = False,
                 lines: Callable[[int], Sequence[OverlayLine]] | None = None) -> None:
        self.source = source
        self.size = source.size
        self._trajs = list(trajectories)
        self._styles = list(styles)
        self._lines = lines
        self.overlay = bool(overlay)

    def render(self, index: int, t: int) -> np.ndarray:
        """Render one frame (GUI thread)."""
        img = self.source.frame(index, t)
        if self.overlay:
            if img.format() not in (QImage.Format.Format_RGB32,
                                    QImage.Format.Format_ARGB32_Premultiplied):
                img = img.convertToFormat(QImage.Format.Format_RGB32)
            area = getattr(self.source, "overlay_area", None)
            lines = (self._lines(t) if self._lines is not None
                     else overlay_lines(self._trajs, self._styles, t))
            draw_overlay(img, lines, area=area() if callable(area) else None)
        return qimage_to_rgb(img)

    def close(self) -> None:
        """Close the source."""
        self.source.close()

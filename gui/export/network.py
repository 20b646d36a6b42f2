"""The network's path on its plane, exported like any scenario (MP4, GIF, PNG frames).

The plane view of :mod:`gui.windows.network_window` — the loss L(a, b) over a plane through
parameter space in the contour and 3D views, with the runs' projected paths
(:mod:`core.netplane`) — goes through the same pipeline as a scenario (:mod:`gui.export`): an
offscreen scene
(:class:`PlaneScene`, the same views the window shows) rendered frame by frame by
:class:`gui.export.SceneFrames`, the overlay of :func:`gui.export.draw_overlay`, the bounded
queue, the encoder thread and the safe writers. :class:`PlaneSpec` is what the export dialog
and :class:`gui.export.ExportJob` are given instead of a scenario's ``SceneSpec``.

A frame shows update t: every path up to its point k = ⌊t/K⌋ (θᵗ was kept every K updates,
:meth:`core.netplane.PathData.index_at`). The overlay says, per drawn run, its batch size and
seed, t, the epoch, L(θᵗ), the accuracy and ‖g‖ = ‖∇L(θᵗ)‖ (:func:`core.netplane.path_point`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.netplane import PathData, batch_text, path_point
from gui.i18n import core_sentence
from gui.theme import DARK, RUN_COLORS, RunStyle, Theme, style_axes
from gui.views.contour import ContourView
from gui.views.surface3d import SurfaceView3D

#: The 3D view's caption over the plane (the window translates it in the context "overlay").
CAPTION_3D = QT_TRANSLATE_NOOP("overlay", "height: L(a, b) on the plane; paths at their own L(θᵗ)")

__all__ = ["CAPTION_3D", "PlaneScene", "PlaneSpec", "draw_plane", "plane_overlay_lines",
           "plane_styles"]


def plane_styles(d: PathData, selected: int) -> list[RunStyle]:
    """The shown runs' styles: the colour says the batch size B (one colour per B, the same
    for every seed); the selected run is drawn in full colour, the others fainter when more
    than one seed is shown."""
    from PySide6.QtGui import QColor

    seeds = len({k[1] for k in d.keys})
    out = []
    for i in range(len(d.keys)):
        color = QColor(RUN_COLORS[d.size_index(i) % len(RUN_COLORS)])
        if seeds > 1 and i != selected:
            color.setAlphaF(0.45)
        out.append(RunStyle(core_sentence(d.label_text(i)), color))
    return out


def draw_plane(contour: ContourView, surface: SurfaceView3D, d: PathData, selected: int,
               theme: Theme, caption_3d: str) -> None:
    """Put the plane's surface and the projected paths into a contour and a 3D view."""
    styles = plane_styles(d, selected)
    contour.set_starts_movable(False)  # θ⁰ is projected here, not an input
    for view in (contour, surface):
        view.set_surface(d.a, d.b, d.z)
        view.set_runs(styles)
    style_axes(contour.getPlotItem(), theme,
               QCoreApplication.translate("overlay", "a (along d₁)"),
               QCoreApplication.translate("overlay", "b (along d₂)"))
    contour.set_paths(d.coords)
    surface.set_paths(d.coords, d.loss)
    surface.set_axis_titles("a", "b")
    surface.set_caption(caption_3d)


def plane_overlay_lines(d: PathData, t: int) -> list[Any]:
    """The export overlay at update ``t``: a header (update, path point, plane) and per drawn
    run its label, t, epoch, L(θᵗ), accuracy and ‖g‖, in its batch size's colour."""
    from gui.export.overlay import OverlayLine, _short

    k = d.index_at(t)
    pca = d.plane.kind == "pca"
    kind = (QCoreApplication.translate("overlay", "PCA plane") if pca else
            QCoreApplication.translate("overlay", "plane through θ⁰ and two end points"))
    head = QCoreApplication.translate("overlay", "update {t} / {T} · {kind}, paths projected")
    lines = [OverlayLine((head.format(t=int(max(d.updates, key=len)[k]), T=d.t_max,
                                      kind=kind),))]
    for i in range(len(d.keys)):
        p = path_point(d, i, k)
        epoch = QCoreApplication.translate("overlay", "epoch {e} + {b}/{n}")
        cells = (core_sentence(d.label_text(i)), f"t={p.t}",
                 epoch.format(e=p.epoch, b=p.batch, n=p.per_epoch), f"L={_short(p.loss)}",
                 QCoreApplication.translate("overlay", "acc={a}").format(
                     a=f"{p.accuracy:.3f}"), f"‖g‖={_short(p.gnorm)}",
                 QCoreApplication.translate("overlay", "ended") if p.ended else "")
        lines.append(OverlayLine(cells, RUN_COLORS[d.size_index(i) % len(RUN_COLORS)]))
    return lines


class PlaneScene:
    """The plane's contour and 3D views, parentless and hidden (an export's private scene,
    duck-typed like :class:`gui.views.scene.Scene` for :class:`gui.export.SceneFrames`):
    ``set_current(t)`` shows every path up to its point ⌊t/K⌋."""

    def __init__(self, d: PathData, selected: int = 0, theme: Theme = DARK,
                 caption_3d: str = "") -> None:
        self.paths = d
        self.surface = SurfaceView3D(theme=theme)
        self.contour = ContourView(theme=theme)
        self.loss = None  # no loss-curve view: nothing to mute
        draw_plane(self.contour, self.surface, d, selected, theme, caption_3d)

    @property
    def views(self) -> tuple[SurfaceView3D, ContourView]:
        """The views (closed by :func:`gui.export.close_scene`)."""
        return (self.surface, self.contour)

    def set_current(self, t: int) -> None:
        """Show update ``t`` (path point ⌊t/K⌋) in both views."""
        k = self.paths.index_at(t)
        self.contour.set_current(k)
        self.surface.set_current(k)


@dataclass(frozen=True)
class PlaneSpec:
    """What the export dialog and :class:`gui.export.ExportJob` render for the plane view:
    the computed :class:`core.netplane.PathData`, the selected run (full colour), the theme
    and the 3D camera (None: the default fitted to the frame)."""

    paths: PathData
    selected: int = 0
    theme: Theme | None = None
    camera: Any = None
    caption_3d: str = CAPTION_3D

    @property
    def t_max(self) -> int:
        """T: the last update of the longest path."""
        return self.paths.t_max

    @property
    def frame_every(self) -> int:
        """K: a new path point every K updates (fewer updates per frame repeat frames)."""
        return self.paths.path_every

    def build_scene(self) -> PlaneScene:
        """A new offscreen :class:`PlaneScene` of this spec."""
        return PlaneScene(self.paths, self.selected, self.theme or DARK, self.caption_3d)

    def overlay_lines(self, t: int) -> list[Any]:
        """The overlay's lines at update ``t`` (:func:`plane_overlay_lines`)."""
        return plane_overlay_lines(self.paths, t)

    def describe(self) -> str:
        """One line: which runs on which plane."""
        sizes = ", ".join(core_sentence(batch_text(b, self.paths.n_train))
                          for b in self.paths.batch_sizes)
        return QCoreApplication.translate("overlay", "{n} runs ({sizes}) on {plane}").format(
            n=len(self.paths.keys), sizes=sizes, plane=core_sentence(self.paths.plane.sentence))


def cmd_network_export(args: Any) -> int:
    """``python main.py network ... --export-plane OUT [--plane pca|endpoints] [--plane-run
    B[,SEED]] [--plane-runs seed|all] [--path-every K] [--grid N] [--view contour|surface|both]
    [--size WxH] [--fps F] [--frames N]``: the comparison (printed and written as the
    ``network`` command does), then the loss over the plane and the paths on it rendered
    offscreen through the scenario export's pipeline (:func:`gui.export.export_animation`).

    Everything that can be checked before training is (export settings, the target, the
    reference run, the grid, an X server for the 3D view): bad input raises ValueError (one
    line, exit 2) before any work; nothing partial is left behind."""
    import time
    from pathlib import Path

    from core.netcli import parse_plane_run, run_and_report
    from core.netplane import compute_paths
    from core.network import load_digits_split
    from gui.export import cli as ec
    from gui.export import settings as es

    t_start = time.perf_counter()
    if not str(args.export_plane):
        raise es.ExportError("--export-plane: empty file name")
    out = Path(args.export_plane)
    fmt = es.output_format(out)
    size, note = ec.checked_size(fmt, args.size, args.frames)
    if not 11 <= args.grid <= 101:
        raise ValueError(f"--grid: must be in 11..101 (got {args.grid})")
    if args.path_every < 1:
        raise ValueError(f"--path-every: must be ≥ 1 (got {args.path_every})")
    fps = float(args.fps)
    es.ExportSettings(out, args.view, size, fps, (0,), True).validate()
    if args.seeds is None or args.seeds < 1:
        raise ValueError(f"--seeds: must be in 1..1000 (got {args.seeds})")
    ref = parse_plane_run(args.plane_run, args.batch_sizes,
                          load_digits_split(args.split_seed).n_train, args.seeds)
    target = ec.check_target(out)
    ec._choose_platform(args.view)  # a missing X server for the 3D view is said before training
    comp = run_and_report(args, path_every=args.path_every)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        d = compute_paths(comp, args.plane, ref, args.grid, args.plane_runs)
    spec = PlaneSpec(d, d.keys.index(ref) if ref in d.keys else 0)
    if args.frames is not None:
        updates = es.frame_updates(d.t_max, frames=args.frames)
    elif d.steps <= es.DEFAULT_MAX_FRAMES:  # one frame per kept θᵗ
        updates = es.frame_updates(d.t_max, every=d.path_every)
    else:
        updates = es.frame_updates(d.t_max, frames=es.DEFAULT_MAX_FRAMES)
    ec.check_work(len(updates), size)
    settings = es.ExportSettings(target, args.view, size, fps, tuple(int(t) for t in updates),
                                 True).validate()
    ec._application(args.view)
    line = ec.render_to_target(settings, spec, t_start, note, what=spec.describe())
    import sys

    print(line, file=sys.stderr if args.json == "-" else sys.stdout)
    return 0

"""Tests of the display widgets in ``gui.views`` (pytest-qt, under pytest-xvfb).

The 3D view needs an X server with GLX (Xvfb + Mesa); ``tests/conftest.py`` sets
``AA_ShareOpenGLContexts`` before the QApplication exists. The guard below does the same when
this module is collected first and is a no-op otherwise.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

if QCoreApplication.instance() is None:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

from gui.theme import DARK, LIGHT, RUN_COLORS, RunStyle
from gui.views import ContourView, LossPlot, SurfaceView3D
from gui.views._display import LossScale, spans_decades
from gui.views.surface3d import LIFT

# --------------------------------------------------------------------------- data


def _grid(n: int = 61) -> tuple[np.ndarray, np.ndarray]:
    return np.linspace(-2.0, 2.0, n), np.linspace(-1.0, 3.0, n)


def _rosenbrock(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    X, Y = np.meshgrid(x, y, indexing="ij")
    return (1 - X) ** 2 + 100 * (Y - X**2) ** 2


def _bowl(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    X, Y = np.meshgrid(x, y, indexing="ij")
    return X**2 + 2 * (Y - 1) ** 2


def _paths() -> list[np.ndarray]:
    """Three straight-ish paths across the window (no optimiser needed for display tests)."""
    t = np.linspace(0.0, 1.0, 41)[:, None]
    a = np.array([-1.5, 2.5]) + t * np.array([2.5, -1.5])
    b = np.array([-1.5, -0.5]) + t * np.array([2.5, 1.5])
    c = np.array([1.5, 2.5]) + t * np.array([-3.0, -3.0])
    return [a, b, c]


def _runs(n: int = 3, visible: bool = True) -> list[RunStyle]:
    return [RunStyle(f"run {i}", RUN_COLORS[i], visible) for i in range(n)]


def _distinct_colours(img: np.ndarray) -> int:
    return int(np.unique(img.reshape(-1, 3), axis=0).shape[0])


def _has_colour_near(
    img: np.ndarray, x: float, y: float, colour: str, radius: int = 6, tol: int = 40
) -> bool:
    """Whether a pixel within ``radius`` of widget pixel (x, y) is within ``tol`` of ``colour``."""
    c = QColor(colour)
    target = np.array([c.red(), c.green(), c.blue()], dtype=np.int32)
    h, w = img.shape[:2]
    # grabs are in device pixels; positions in logical pixels
    xi, yi = round(x), round(y)
    patch = img[
        max(yi - radius, 0) : min(yi + radius + 1, h), max(xi - radius, 0) : min(xi + radius + 1, w)
    ]
    if patch.size == 0:
        return False
    d = np.abs(patch.astype(np.int32) - target).max(axis=-1)
    return bool((d <= tol).any())


def _send_mouse(widget: QWidget, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
    """Deliver a mouse event with explicit button state (QTest.mouseMove cannot hold a button)."""
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    global_pos = QPointF(widget.mapToGlobal(pos.toPoint()))
    ev = QMouseEvent(kind, pos, global_pos, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, ev)


# ------------------------------------------------------------------------ fixtures


@pytest.fixture
def contour(qtbot) -> ContourView:
    view = ContourView(theme=DARK)
    qtbot.addWidget(view)
    view.resize(640, 520)
    x, y = _grid()
    view.set_surface(x, y, _rosenbrock(x, y))
    view.set_runs(_runs())
    view.set_paths(_paths())
    view.set_current(20)
    with qtbot.waitExposed(view):
        view.show()
    return view


@pytest.fixture
def surface(qtbot) -> SurfaceView3D:
    view = SurfaceView3D(theme=DARK)
    qtbot.addWidget(view)
    view.resize(640, 480)
    x, y = _grid()
    view.set_surface(x, y, _bowl(x, y))
    view.set_runs(_runs())
    paths = _paths()
    view.set_paths(paths, [np.sum((p - [0.0, 1.0]) ** 2, axis=1) for p in paths])
    view.set_current(25)
    with qtbot.waitExposed(view):
        view.show()
    view.reset_camera()
    return view


@pytest.fixture
def lossplot(qtbot) -> LossPlot:
    view = LossPlot(theme=LIGHT)
    qtbot.addWidget(view)
    view.resize(640, 300)
    view.set_runs(_runs())
    t = np.arange(101)
    full = [10.0 * np.exp(-t / k) + 0.01 for k in (10.0, 20.0, 40.0)]
    batch = [f[:-1] * 1.2 for f in full]
    view.set_losses(full, batch, epoch_starts=list(range(0, 101, 10)))
    view.set_current(30)
    with qtbot.waitExposed(view):
        view.show()
    return view


# ------------------------------------------------------------------ contour view


def test_contour_grab_shows_surface_and_paths(contour: ContourView, qtbot) -> None:
    img = contour.grab_image()
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
    assert img.shape[0] >= 500 and img.shape[1] >= 600
    assert _distinct_colours(img) > 200
    for i, path in enumerate(_paths()):
        # travelled part (bold) drawn in the run colour around path[10]
        p = contour.data_to_widget(*path[10])
        assert _has_colour_near(img, p.x(), p.y(), RUN_COLORS[i]), f"run {i} colour missing"


def test_contour_set_runs_same_count_keeps_items(contour: ContourView) -> None:
    before = [contour.run_items(i) for i in range(3)]
    restyled = [RunStyle(f"renamed {i}", RUN_COLORS[(i + 3) % 7]) for i in range(3)]
    contour.set_runs(restyled)
    after = [contour.run_items(i) for i in range(3)]
    for b, a in zip(before, after, strict=True):
        assert all(x is y for x, y in zip(b, a, strict=True))
    # the new colour is applied to the same item
    assert after[0][1].opts["pen"].color().name() == QColor(RUN_COLORS[3]).name()
    # a run added or removed at the end: the other runs keep their items (rebuilding all of
    # them stalled the window with many runs)
    contour.set_runs(_runs(4))
    assert all(x is y for x, y in zip(before[0], contour.run_items(0), strict=True))
    added = contour.run_items(3)
    assert all(x.scene() is contour.scene() for x in added)
    contour.set_runs(_runs(2))
    assert all(x.scene() is None for x in (*before[2], *added))
    assert all(x is y for x, y in zip(before[1], contour.run_items(1), strict=True))


def test_contour_set_current_moves_marker(contour: ContourView) -> None:
    paths = _paths()
    for t in (0, 7, 40, 1000):
        contour.set_current(t)
        for path, pos in zip(paths, contour.current_positions(), strict=True):
            expected = path[min(t, len(path) - 1)]
            assert pos is not None
            assert pos == pytest.approx(tuple(expected))
    # the travelled curve ends at the marker
    x, y = contour.run_items(1)[1].getData()
    assert (x[-1], y[-1]) == pytest.approx(tuple(paths[1][-1]))


def test_contour_hidden_run_is_not_drawn(contour: ContourView) -> None:
    runs = _runs()
    runs[1] = RunStyle("hidden", RUN_COLORS[1], visible=False)
    contour.set_runs(runs)
    assert not any(item.isVisible() for item in contour.run_items(1))
    assert all(item.isVisible() for item in contour.run_items(0))


# pyqtgraph leaves a click on empty plot area unaccepted, so QTest warns about it
_QTEST_NOT_ACCEPTED = pytest.mark.qt_log_ignore(r"Mouse event .* not accepted by receiving widget")


@_QTEST_NOT_ACCEPTED
def test_contour_click_emits_data_coordinates(contour: ContourView, qtbot) -> None:
    target = (0.5, 0.25)
    p = contour.data_to_widget(*target)
    with qtbot.waitSignal(contour.pointClicked, timeout=2000) as blocker:
        qtbot.mouseClick(contour.viewport(), Qt.MouseButton.LeftButton, pos=p.toPoint())
    x, y = blocker.args
    px, py = contour.getPlotItem().getViewBox().viewPixelSize()
    assert abs(x - target[0]) <= 1.5 * px
    assert abs(y - target[1]) <= 1.5 * py


def test_contour_drag_start_marker(contour: ContourView, qtbot) -> None:
    start = _paths()[0][0]
    vp = contour.viewport()
    p0 = contour.data_to_widget(*start)
    moved: list[tuple[int, float, float]] = []
    contour.startDragged.connect(lambda i, x, y: moved.append((i, x, y)))
    clicks: list[tuple[float, float]] = []
    contour.pointClicked.connect(lambda x, y: clicks.append((x, y)))
    # hover first so pyqtgraph knows what is under the cursor, then press, move, release.
    # pyqtgraph drops mouse moves closer than 1/mouseRateLimit (10 ms): space them out.
    _send_mouse(vp, QEvent.Type.MouseMove, p0, Qt.MouseButton.NoButton)
    qtbot.wait(15)
    _send_mouse(vp, QEvent.Type.MouseButtonPress, p0, Qt.MouseButton.LeftButton)
    end = QPointF(p0.x() + 60, p0.y() + 40)
    with qtbot.waitSignal(contour.startDragFinished, timeout=2000) as finished:
        for k in range(1, 7):
            qtbot.wait(15)
            pos = QPointF(p0.x() + 10 * k, p0.y() + 40 * k / 6)
            _send_mouse(vp, QEvent.Type.MouseMove, pos, Qt.MouseButton.LeftButton)
        _send_mouse(vp, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    assert moved, "startDragged was not emitted while dragging"
    assert all(i == 0 for i, _, _ in moved)
    index, fx, fy = finished.args
    assert index == 0
    vb = contour.getPlotItem().getViewBox()
    px, py = vb.viewPixelSize()
    assert fx == pytest.approx(start[0] + 60 * px, abs=3 * px)
    assert fy == pytest.approx(start[1] - 40 * py, abs=3 * py)
    assert not clicks, "a drag must not count as a click"


def test_contour_nan_inf_surface_does_not_crash(contour: ContourView) -> None:
    x, y = _grid(41)
    z = _bowl(x, y)
    z[3:9, 5:12] = np.nan
    z[20, 20] = np.inf
    z[30, 2] = -np.inf
    contour.set_surface(x, y, z)
    contour.set_surface(x, y, np.full_like(z, np.nan))
    contour.set_surface(x, y, np.zeros_like(z))
    img = contour.grab_image()
    assert img.shape[2] == 3


def test_contour_log_scale_decision(contour: ContourView) -> None:
    x, y = _grid(41)
    contour.set_surface(x, y, _rosenbrock(x, y))
    scale = contour.surface_scale()
    assert scale is not None and scale.log
    levels = scale.levels(15)
    assert np.all(np.diff(levels) > 0)
    assert levels[1] - levels[0] < (levels[-1] - levels[-2]) / 100  # log-spaced
    contour.set_surface(x, y, _bowl(x, y))
    assert not contour.surface_scale().log
    contour.set_surface(x, y, _bowl(x, y), log_scale=True)
    assert contour.surface_scale().log
    contour.set_surface(x, y, _rosenbrock(x, y), log_scale=False)
    assert not contour.surface_scale().log


def test_contour_set_surface_keeps_zoom_on_same_extent(contour: ContourView) -> None:
    """The batch surface re-sets the surface on every update: the user's zoom must stay."""
    x, y = _grid()
    vb = contour.getPlotItem().getViewBox()
    vb.setRange(xRange=(-0.5, 0.5), yRange=(0.0, 1.0), padding=0.0)
    zoomed = np.array(vb.viewRange())
    contour.set_surface(x, y, 0.5 * _rosenbrock(x, y))  # same grid, other values
    assert np.allclose(vb.viewRange(), zoomed)
    x2, y2 = x * 2.0, y * 2.0  # a new extent is framed
    contour.set_surface(x2, y2, _rosenbrock(x2, y2))
    (vx0, vx1), (vy0, vy1) = vb.viewRange()
    assert vx0 <= x2[0] and vx1 >= x2[-1] and vy0 <= y2[0] and vy1 >= y2[-1]


def test_contour_travelled_path_is_cached_part_plus_live_tail(contour: ContourView) -> None:
    """The travelled path is drawn as completed chunks (cached) and a short live tail that
    together give exactly path[: t + 1]."""
    from gui.views.contour import TRAIL_CHUNK

    path = _paths()[0]
    items = contour._items[0]
    for t in (0, 5, TRAIL_CHUNK - 1, TRAIL_CHUNK, TRAIL_CHUNK + 3, 2 * TRAIL_CHUNK + 1):
        contour.set_current(t)
        k = min(t, len(path) - 1)
        dx, dy = items.trail_done.getData()
        lx, ly = items.trail.getData()
        done = np.column_stack([dx, dy]) if dx is not None and len(dx) else np.empty((0, 2))
        live = np.column_stack([lx, ly])
        assert len(live) <= TRAIL_CHUNK + 1
        joined = np.concatenate([done, live[1:]]) if len(done) else live
        assert np.allclose(joined, path[: k + 1])
        for line, halo in ((items.trail, items.halo), (items.trail_done, items.halo_done)):
            hx, _ = halo.getData()
            x, _ = line.getData()
            assert (0 if x is None else len(x)) == (0 if hx is None else len(hx))


def test_contour_rejects_wrong_shapes(contour: ContourView) -> None:
    x, y = _grid(41)
    with pytest.raises(ValueError, match="indexing='ij'"):
        contour.set_surface(x, y[:-1], _bowl(x, y))
    with pytest.raises(ValueError, match=r"\(T\+1, 2\)"):
        contour.set_paths([np.zeros((5, 3))])


def test_contour_step_vectors_point_along_screen_direction(contour: ContourView) -> None:
    origin = np.array([0.0, 1.0])
    lam_m = np.array([0.6, 0.0])
    neg_eta_g = np.array([0.0, 0.4])
    movement = lam_m + neg_eta_g
    contour.set_step_vectors(origin, lam_m, neg_eta_g, movement, RUN_COLORS[2])
    vectors = contour._vectors  # white-box: the items are private
    assert all(v.head.isVisible() for v in vectors.values())
    assert contour.vector_magnification() == 1.0
    # +x data points right on screen (ArrowItem angle 180), +y points up (angle 90)
    assert vectors["lam_m"].head.opts["angle"] == pytest.approx(180.0, abs=1e-6)
    assert vectors["neg_eta_g"].head.opts["angle"] == pytest.approx(90.0, abs=1e-6)
    # −ηg starts at the tip of λm; m ends where −ηg ends
    gx, gy = vectors["neg_eta_g"].shaft.getData()
    assert (gx[0], gy[0]) == pytest.approx((0.6, 1.0))
    mx, my = vectors["movement"].shaft.getData()
    assert (mx[-1], my[-1]) == pytest.approx((gx[-1], gy[-1]))
    # tiny vectors get a round magnification, shown in the label
    contour.set_step_vectors(origin, lam_m / 500, neg_eta_g / 500, movement / 500, "#FFFFFF")
    f = contour.vector_magnification()
    assert f > 1 and f in {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}
    assert f"×{f:g}" in vectors["movement"].label.toPlainText()
    # a step a million times below readable size (a stalled run) is not drawn at all
    contour.set_step_vectors(origin, lam_m / 1e7, neg_eta_g / 1e7, movement / 1e7, "#FFFFFF")
    assert not any(v.shaft.isVisible() or v.label.isVisible() for v in vectors.values())
    contour.set_step_vectors(origin, lam_m, neg_eta_g, movement, "#FFFFFF")
    assert all(v.shaft.isVisible() and v.label.isVisible() for v in vectors.values())
    contour.set_vector_magnification(1.0)
    assert contour.vector_magnification() == 1.0
    contour.clear_step_vectors()
    assert not any(v.shaft.isVisible() for v in vectors.values())


def test_contour_eigenvectors_fixed_screen_length(contour: ContourView) -> None:
    contour.set_eigenvectors(np.array([0.0, 1.0]), np.eye(2), np.array([-2.0, 3.0]))
    lines = contour._eig_lines
    assert all(line.isVisible() for line in lines)
    vb = contour.getPlotItem().getViewBox()
    px, py = vb.viewPixelSize()
    x, y = lines[0].getData()
    len_px_0 = math.hypot((x[1] - x[0]) / px, (y[1] - y[0]) / py)
    x, y = lines[1].getData()
    len_px_1 = math.hypot((x[1] - x[0]) / px, (y[1] - y[0]) / py)
    assert len_px_0 == pytest.approx(len_px_1, rel=1e-6)
    assert 20 < len_px_0 < 0.5 * min(vb.width(), vb.height())
    contour.clear_eigenvectors()
    assert not any(line.isVisible() for line in lines)


def test_contour_critical_points_and_caption(contour: ContourView) -> None:
    contour.set_critical_points([(1.0, 1.0, "minimum"), (0.0, 0.0, "saddle")])
    spots = contour._critical.points()
    assert [s.data() for s in spots] == ["minimum", "saddle"]
    assert "minimum" in contour._critical_tip(1.0, 1.0, "minimum")
    with pytest.raises(ValueError, match="kind"):
        contour.set_critical_points([(0.0, 0.0, "valley")])
    contour.set_surface_label("batch loss L₃ (update 37)")
    assert contour._caption.isVisible()
    contour.set_surface_label("")
    assert not contour._caption.isVisible()


# ---------------------------------------------------------------------- 3D view


def test_surface3d_grab_shows_shaded_surface_and_paths(surface: SurfaceView3D, qtbot) -> None:
    img = surface.grab_image()
    assert img.dtype == np.uint8 and img.shape == (
        surface.view.deviceHeight(),
        surface.view.deviceWidth(),
        3,
    )
    assert _distinct_colours(img) > 300  # colour map × shading
    dpr = surface.view.devicePixelRatioF()
    for i, pos in enumerate(surface.current_positions()):
        assert pos is not None
        (sx, sy) = surface.world_to_widget(pos)[0]
        assert _has_colour_near(img, sx * dpr, sy * dpr, RUN_COLORS[i], radius=4), f"run {i}"


def test_surface3d_set_runs_same_count_keeps_items(surface: SurfaceView3D) -> None:
    before = [surface.run_items(i) for i in range(3)]
    n_items = len(surface.view.items)
    surface.set_runs([RunStyle(f"x{i}", RUN_COLORS[6 - i]) for i in range(3)])
    after = [surface.run_items(i) for i in range(3)]
    for b, a in zip(before, after, strict=True):
        assert all(x is y for x, y in zip(b, a, strict=True))
    assert len(surface.view.items) == n_items
    # per frame: no GL item is added or removed
    for t in range(0, 40, 3):
        surface.set_current(t)
    assert len(surface.view.items) == n_items
    surface.set_runs(_runs(2))
    assert len(surface.view.items) == n_items - 2  # two GL items per run


def test_surface3d_set_current_uses_height_transform(surface: SurfaceView3D) -> None:
    paths = _paths()
    losses = [np.sum((p - [0.0, 1.0]) ** 2, axis=1) for p in paths]
    for t in (0, 10, 99):
        surface.set_current(t)
        for path, loss, pos in zip(paths, losses, surface.current_positions(), strict=True):
            k = min(t, len(path) - 1)
            assert pos is not None
            xy = surface.data_to_world(path[k])
            assert pos[:2] == pytest.approx(xy, abs=1e-5)
            assert pos[2] == pytest.approx(surface.height_transform(loss[k]) + LIFT, abs=1e-5)
        line = surface.run_items(0)[1]
        assert line.pos.shape[0] == min(t, len(paths[0]) - 1) + 1


def test_surface3d_height_transform_is_monotonic_and_clipped(surface: SurfaceView3D) -> None:
    x, y = _grid(41)
    surface.set_surface(x, y, _rosenbrock(x, y))
    assert surface.loss_scale().log
    h = surface.height_transform(np.array([0.0, 1.0, 10.0, 100.0, 1e3, 1e9, np.inf, np.nan]))
    assert np.all(np.diff(h[:5]) > 0)
    assert h[5] == pytest.approx(h.max()) and h[6] == pytest.approx(h.max())
    assert h.max() <= 1.0 + 1e-9
    surface.set_surface(x, y, _rosenbrock(x, y), log_scale=False)
    sc = surface.loss_scale()
    assert not sc.log and sc.clipped  # Rosenbrock's corners are cut in linear mode
    assert "clipped" in surface.caption()


def test_surface3d_nan_inf_surface_does_not_crash(surface: SurfaceView3D) -> None:
    x, y = _grid(31)
    z = _bowl(x, y)
    z[2:6, 2:6] = np.nan
    z[10, 10] = np.inf
    surface.set_surface(x, y, z)
    surface.set_critical_points([(0.0, 1.0, "minimum"), (5.0, 5.0, "saddle")])
    surface.render_now()
    assert surface.grab_image().shape[2] == 3
    surface.set_surface(x, y, np.full_like(z, np.nan))
    surface.render_now()


def test_surface3d_render_now_reaches_paintgl(surface: SurfaceView3D, monkeypatch) -> None:
    calls = []
    paint = surface.view.paintGL
    monkeypatch.setattr(surface.view, "paintGL", lambda: (calls.append(1), paint()))
    surface.render_now()
    assert calls, "render_now must render (paintGL), not only schedule a repaint"


def test_surface3d_cached_layer_draws_the_same_picture(surface: SurfaceView3D) -> None:
    """The surface/wireframe/floor layer is cached between frames; frames drawn from it
    match frames drawn in full, and it follows camera and surface changes."""
    view = surface.view
    for t in (10, 30):
        surface.set_current(t)
        cached = surface.grab_image().astype(int)
        assert view._layer_ok and view._layer_key is not None
        view._layer_ok = False
        full = surface.grab_image().astype(int)
        view._layer_ok = True
        assert np.mean(np.abs(cached - full).sum(axis=2) > 24) < 1e-3
    key = view._layer_key
    surface.set_azimuth(20.0)
    surface.grab_image()
    assert view._layer_key != key  # re-rendered for the new camera
    key = view._layer_key
    x, y = _grid(31)
    surface.set_surface(x, y, _rosenbrock(x, y))
    surface.grab_image()
    assert view._layer_key != key  # and for a new surface


def test_surface3d_camera(surface: SurfaceView3D) -> None:
    surface.set_azimuth(10.0)
    assert surface.view.opts["azimuth"] == pytest.approx(10.0)
    surface.reset_camera()
    assert surface.view.opts["azimuth"] == pytest.approx(-60.0)
    assert surface.view.opts["elevation"] == pytest.approx(30.0)


# -------------------------------------------------------------------- loss plot


def test_lossplot_grab_and_log_axis(lossplot: LossPlot) -> None:
    img = lossplot.grab_image()
    assert img.shape[2] == 3 and _distinct_colours(img) > 20
    colours = img.reshape(-1, 3).astype(np.int32)
    for i in range(3):
        c = QColor(RUN_COLORS[i])
        d = np.abs(colours - [c.red(), c.green(), c.blue()]).max(axis=1)
        assert (d < 30).sum() > 50, f"run {i} curve missing"
    assert lossplot.is_log_y()  # 10 … 0.01: three decades, all positive
    lossplot.set_log_y(False)
    assert not lossplot.is_log_y()
    lossplot.set_log_y(None)
    assert lossplot.is_log_y()
    lossplot.set_losses([np.linspace(1.0, -0.5, 30)] * 3)
    assert not lossplot.is_log_y()  # negative losses: linear


def test_lossplot_set_runs_same_count_keeps_items(lossplot: LossPlot) -> None:
    before = [lossplot.run_items(i) for i in range(3)]
    lossplot.set_runs([RunStyle(f"new {i}", RUN_COLORS[i]) for i in range(3)])
    after = [lossplot.run_items(i) for i in range(3)]
    for b, a in zip(before, after, strict=True):
        assert all(x is y for x, y in zip(b, a, strict=True))
    assert [label.text for _, label in lossplot._legend.items] == ["new 0", "new 1", "new 2"]
    # a run added, then two removed, at the end: the first runs keep their curves, the legend
    # has one row per run
    lossplot.set_runs([RunStyle(f"r{i}", RUN_COLORS[i]) for i in range(4)])
    assert lossplot.run_items(0)[0] is before[0][0]
    assert [label.text for _, label in lossplot._legend.items] == ["r0", "r1", "r2", "r3"]
    lossplot.set_runs(_runs(2))
    assert lossplot.run_items(1)[0] is before[1][0]
    assert before[2][0].scene() is None
    assert len(lossplot._legend.items) == 2


@_QTEST_NOT_ACCEPTED
def test_lossplot_cursor(lossplot: LossPlot, qtbot) -> None:
    assert lossplot.cursor_value() == 30
    vb = lossplot.getPlotItem().getViewBox()
    scene_pt = vb.mapViewToScene(
        QPointF(62.0, vb.viewRange()[1][0] * 0.5 + vb.viewRange()[1][1] * 0.5)
    )
    widget_pt = lossplot.mapFromScene(scene_pt)
    with qtbot.waitSignal(lossplot.cursorMoved, timeout=2000) as blocker:
        qtbot.mouseClick(
            lossplot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(widget_pt.x(), widget_pt.y())
        )
    assert blocker.args[0] == pytest.approx(62, abs=1)
    assert lossplot.cursor_value() == blocker.args[0]


# ---------------------------------------------------------------- display maths


def test_spans_decades() -> None:
    x, y = _grid(61)
    assert spans_decades(_rosenbrock(x, y))
    assert not spans_decades(_bowl(x, y))
    assert not spans_decades(np.zeros((5, 5)))
    assert not spans_decades(np.full((5, 5), np.nan))


def test_loss_scale_inverse_roundtrip() -> None:
    x, y = _grid(61)
    for z, log in ((_rosenbrock(x, y), None), (_bowl(x, y), None), (_bowl(x, y), True)):
        sc = LossScale.from_values(z, log)
        vals = np.linspace(sc.zmin, sc.zmin + sc.d_cap, 7)
        assert sc.inverse(sc.height(vals)) == pytest.approx(vals, rel=1e-9, abs=1e-9)


# ------------------------------------------------------------ diverged / empty runs


def test_views_accept_empty_and_diverged_paths(
    contour: ContourView, surface: SurfaceView3D, lossplot: LossPlot
) -> None:
    empty = np.full((1, 2), np.nan)
    diverged = _paths()[0].copy()
    diverged[15:] = np.nan
    paths = [empty, diverged, _paths()[2]]
    losses = [np.full(1, np.nan), np.sum(diverged**2, axis=1), np.ones(len(paths[2]))]
    contour.set_paths(paths)
    surface.set_paths(paths, losses)
    lossplot.set_losses(losses, [None, losses[1][:-1], None])
    for t in (0, 10, 30):
        contour.set_current(t)
        surface.set_current(t)
        lossplot.set_current(t)
        cur = contour.current_positions()
        assert cur[0] is None
        assert cur[1] == pytest.approx(tuple(diverged[min(t, 14)]))
        cur3 = surface.current_positions()
        assert cur3[0] is None and cur3[1] is not None
    surface.render_now()
    assert contour.grab_image().shape[2] == 3
    assert surface.grab_image().shape[2] == 3
    assert lossplot.grab_image().shape[2] == 3


def test_lossplot_legend_text_follows_the_theme(qtbot) -> None:
    """Labels created under one theme are redrawn in the new theme's text colour."""
    from PySide6.QtGui import QTextCursor

    view = LossPlot(theme=DARK)
    qtbot.addWidget(view)
    view.set_runs([RunStyle("gd", RUN_COLORS[0]), RunStyle("momentum", RUN_COLORS[1])])

    def drawn_colours() -> set[str]:
        """The colour each label's text is drawn in (from its text document)."""
        out = set()
        for _sample, label in view._legend.items:
            cursor = QTextCursor(label.item.document())
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
            out.add(cursor.charFormat().foreground().color().name())
        return out

    dark, light = QColor(DARK.foreground).name(), QColor(LIGHT.foreground).name()
    assert dark != light
    assert drawn_colours() == {dark}
    view.set_theme(LIGHT)
    assert drawn_colours() == {light}
    view.set_runs([RunStyle("gd", RUN_COLORS[0]), RunStyle("adam", RUN_COLORS[2])])
    assert drawn_colours() == {light}


def test_run_colours_as_text_are_readable_in_both_themes() -> None:
    from gui.theme import contrast, readable

    for theme in (LIGHT, DARK):
        for c in RUN_COLORS:
            r = readable(c, theme.background)
            assert contrast(r, theme.background) >= 4.5, (theme.name, c, r)
            if contrast(c, theme.background) >= 4.5:
                assert r == QColor(c).name()  # already readable: unchanged
            else:  # the same hue, only lighter or darker
                assert abs(QColor(r).hslHueF() - QColor(c).hslHueF()) < 0.02, (c, r)


def test_surface3d_markers_and_lines_keep_their_size_on_hidpi(surface: SurfaceView3D,
                                                               monkeypatch) -> None:
    """GL point sizes and line widths are device pixels: they scale with the pixel ratio."""
    _ghost, line = surface.run_items(0)
    base_marker, base_line = float(surface._current.size), float(line.width)
    monkeypatch.setattr(surface.view, "devicePixelRatioF", lambda: 2.0)
    surface.set_runs(_runs())
    surface.set_current(26)
    assert float(surface._current.size) == pytest.approx(2 * base_marker)
    assert float(line.width) == pytest.approx(2 * base_line)
    assert float(surface._start.size) == pytest.approx(2 * 8.0)


@pytest.mark.parametrize("z", [
    [-1e308, 1e308, 0.0, 1.0, 2.0], [0.0, 5e-324, 1e-320, 1e308, 1e300],
    [1e308] * 5, [-1e308, -1e308, 1e-300, 2e-300, 1e308],
])
def test_loss_scale_of_extreme_surfaces_is_finite(z) -> None:
    """A surface spanning the whole double range (found by the monkey test: an expression like
    exp(exp(exp(x)))) overflowed ``L − Lmin`` and ``p99 / p10`` (RuntimeWarning, inf scale)."""
    z = np.array(z, dtype=float)
    spans_decades(z)
    for log in (None, True, False):
        s = LossScale.from_values(z, log)
        assert math.isfinite(s.h_cap) and s.h_cap > 0
        u = s.unit(z)
        assert np.all((u >= 0) & (u <= 1))


@pytest.mark.parametrize("z", [
    [0.0, 1e-300, 2e-300, 3e-300, 1e150, 1e200, 1e308],
    [-1e308, -1e308, -1e308, 0.0, 1e308],
])
def test_3d_and_log_scale_with_a_tiny_offset_under_a_huge_range(qtbot, z) -> None:
    """Found by the monkey test (seed 3, x**1000 with noise): the 3D view's log offset (the
    10th percentile above the minimum, 1e-300) under a clip of 1e150 overflowed d / offset."""
    z = np.array(z, dtype=float)
    s = LossScale.from_values(z, True, offset=1e-300)
    assert math.isfinite(s.h_cap) and 0 < s.h_cap <= 13
    view = SurfaceView3D()
    qtbot.addWidget(view)
    x = np.linspace(-1, 1, len(z))
    view.set_surface(x, np.linspace(0, 1, 2), np.stack([z, z], axis=1))


def test_lossplot_noisy_curves_are_drawn_without_antialiasing(lossplot: LossPlot) -> None:
    """A wide antialiased zigzag took 0.2–1.2 s per repaint (issue 9, monkey seed 5): a curve
    sweeping its height more than MAX_AA_SWEEPS times is drawn without antialiasing; the
    values drawn are the same."""
    from gui.views.lossplot import MAX_AA_SWEEPS, sweeps

    t = np.arange(1501)
    smooth = np.exp(-t / 300.0)
    noisy = 1.0 + 0.5 * (-1.0) ** t  # 1, 0.5, 1, …: 1,500 sweeps
    assert sweeps(smooth) == pytest.approx(1.0)
    assert sweeps(noisy) == pytest.approx(1500.0)
    assert sweeps(np.array([np.nan, 1.0, np.inf, 2.0, 1.0])) == pytest.approx(2.0)
    assert sweeps(np.full(5, 3.0)) == 0.0
    lossplot.set_losses([smooth, noisy, smooth], [noisy[:-1], smooth[:-1], None])
    full = [lossplot.run_items(i)[0].curve for i in range(3)]
    batch = lossplot.run_items(0)[1].curve
    assert [c.opts["antialias"] for c in full] == [True, False, True]
    assert batch.opts["antialias"] is False and sweeps(noisy) > MAX_AA_SWEEPS
    np.testing.assert_array_equal(lossplot.run_items(1)[0].getOriginalDataset()[1], noisy)


def test_contour_dense_paths_are_drawn_without_antialiasing(contour: ContourView) -> None:
    """A wide antialiased zigzag of ~1,400 points took 0.56–0.64 s per repaint (lesson 5): a
    path that keeps more than MAX_AA_POINTS points on screen is drawn without antialiasing."""
    from gui.views._common import MAX_AA_POINTS

    t = np.arange(3001)
    zigzag = np.column_stack([np.cos(t * 2.1) * 2.0, np.sin(t * 3.7) * 1.5])
    short = np.column_stack([np.linspace(-2.0, 1.0, 40), np.linspace(1.0, -1.0, 40)])
    contour.set_paths([zigzag, short, short])
    contour.set_current(3000)
    dense, sparse = contour._items[0], contour._items[1]
    assert len(dense.trail_done.getData()[0]) > MAX_AA_POINTS
    assert not dense.trail_done.opts["antialias"] and not dense.halo_done.opts["antialias"]
    assert not dense.full.opts["antialias"]
    assert sparse.trail.opts["antialias"] and sparse.full.opts["antialias"]


def test_lossplot_keeps_its_range_for_a_small_change_of_one_run(lossplot: LossPlot) -> None:
    """An η step changes one run's curve a little: the y range (and so every other curve's
    drawing and the axes) stays; data leaving the range, or filling much less of it, refit."""
    lossplot.set_log_y(False)
    t = np.arange(101)
    full = [10.0 * np.exp(-t / k) + 1.0 for k in (10.0, 20.0, 40.0)]
    lossplot.set_losses(full)
    fitted = lossplot._vb.viewRange()[1]
    full[1] = 10.0 * np.exp(-t / 21.0) + 1.05  # inside the range, filling almost all of it
    lossplot.set_losses(full)
    assert lossplot._vb.viewRange()[1] == fitted
    full[1] = 10.0 * np.exp(-t / 21.0) - 3.0  # below the range: refit
    lossplot.set_losses(full)
    lo, hi = lossplot._vb.viewRange()[1]
    assert lo < -3.0 < fitted[0]
    lossplot.set_losses([f * 0.1 for f in full])  # a tenth of the span: refit, not kept
    assert lossplot._vb.viewRange()[1][1] < 0.5 * hi


def test_lossplot_new_range_is_applied_before_the_next_paint(lossplot: LossPlot) -> None:
    """A new range is in the view's transform at once (pyqtgraph defers it to the next paint,
    which then marks every curve dirty again and the plot paints a second time)."""
    lossplot.set_log_y(False)
    lossplot.set_losses([np.linspace(50.0, 40.0, 300)] * 3)
    vb = lossplot._vb
    (_x0, x1), (y0, _y1) = vb.viewRange()
    corner = vb.childGroup.mapToParent(QPointF(x1, y0))  # view → view box, by the transform
    assert corner.x() == pytest.approx(vb.width(), abs=0.5)
    assert corner.y() == pytest.approx(vb.height(), abs=0.5)


def test_plot_axes_are_drawn_from_a_cache(lossplot: LossPlot, contour: ContourView) -> None:
    from PySide6.QtWidgets import QGraphicsItem

    for view in (lossplot, contour):
        for name in ("left", "bottom"):
            axis = view.getPlotItem().getAxis(name)
            assert axis.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache


def test_many_runs_are_added_with_one_legend_measure_and_thin_curves(lossplot: LossPlot,
                                                                    monkeypatch) -> None:
    """Adding or removing runs measures the legend once (not once per row: O(n²)), and with
    more than WIDE_CURVES_MAX_RUNS runs the full-loss curves are 1 px (Qt's fast antialiased
    stroke)."""
    import pyqtgraph as pg

    from gui.views.lossplot import WIDE_CURVES_MAX_RUNS

    measured = []
    original = pg.LegendItem.updateSize
    monkeypatch.setattr(pg.LegendItem, "updateSize",
                        lambda self: (measured.append(1), original(self))[1])
    assert lossplot.run_items(0)[0].opts["pen"].widthF() == 2.0
    n = WIDE_CURVES_MAX_RUNS + 4
    lossplot.set_runs([RunStyle(f"r{i}", RUN_COLORS[i % len(RUN_COLORS)]) for i in range(n)])
    assert len(measured) == 1
    assert len(lossplot._legend.items) == n
    measured.clear()
    assert lossplot._legend.height() > 0
    assert {lossplot.run_items(i)[0].opts["pen"].widthF() for i in range(n)} == {1.0}
    lossplot.set_runs(_runs(3))  # removing rows: measured once too (48 → 16 runs: ~0.1 s)
    assert len(measured) == 1
    assert len(lossplot._legend.items) == 3
    assert lossplot.run_items(0)[0].opts["pen"].widthF() == 2.0


def test_contour_full_paths_are_one_pixel_wide(contour: ContourView) -> None:
    assert contour.run_items(0)[0].opts["pen"].widthF() == 1.0

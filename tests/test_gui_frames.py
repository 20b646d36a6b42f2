"""What an animation frame costs the window: no re-layout, no OpenGL composition of the whole
window; the 3D view (rendered offscreen, painted as an image) still orbits, zooms and shows in
grabs of the window."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtOpenGLWidgets import QOpenGLWidget
from PySide6.QtWidgets import QApplication, QWidget

from gui.panels.labels import SteadyLabel
from gui.views._common import qimage_to_rgb
from gui.windows.mainwindow import MainWindow


class _EventCounter(QObject):
    def __init__(self, kind: QEvent.Type) -> None:
        super().__init__()
        self.kind = kind
        self.count = 0
        self.seen: list[str] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == self.kind:
            self.count += 1
            self.seen.append(type(obj).__name__)
        return False


def test_no_widget_makes_qt_compose_the_window_through_opengl(app_window: MainWindow) -> None:
    # a QOpenGLWidget anywhere in the window makes every repaint a whole-window GL composition
    assert app_window.findChildren(QOpenGLWidget) == []


def test_frames_do_not_re_lay_out_the_window(app_window: MainWindow, qtbot) -> None:
    st = app_window.state
    frames = range(100, 130)
    for t in (st.t_max, *frames):  # the labels grow once to their longest texts
        st.set_current(t)
        qtbot.wait(1)  # the event loop paints the frame (and would lay out, if asked)
    qtbot.wait(50)
    counter = _EventCounter(QEvent.Type.LayoutRequest)
    watched: list[QWidget] = [app_window, app_window.playback, app_window.statusBar(),
                              app_window.main_split, app_window.view_split]
    for w in watched:
        w.installEventFilter(counter)
    try:
        for t in frames:
            st.set_current(t)
            qtbot.wait(1)
    finally:
        for w in watched:
            w.removeEventFilter(counter)
    assert counter.count == 0, counter.seen


def test_steady_label_grows_but_never_shrinks(qtbot) -> None:
    label = SteadyLabel()
    qtbot.addWidget(label)
    label.setText("short")
    w0 = label.width()
    assert label.minimumSize() == label.maximumSize()  # fixed: setText does not re-lay out
    label.setText("a much longer text than before")
    assert label.width() > w0
    w1 = label.width()
    label.setText("short")
    assert label.width() == w1 and label.text() == "short"


def test_window_grab_shows_the_3d_view(app_window: MainWindow, qtbot) -> None:
    app_window.state.set_current(40)
    view = app_window.scene.surface.view
    qtbot.wait(50)
    whole = qimage_to_rgb(app_window.grab().toImage())
    top_left = view.mapTo(app_window, QPoint(0, 0))
    dpr = view.devicePixelRatioF()
    x, y = round(top_left.x() * dpr), round(top_left.y() * dpr)
    own = app_window.scene.surface.grab_image()
    part = whole[y : y + own.shape[0], x : x + own.shape[1]]
    assert part.shape == own.shape
    assert np.unique(part.reshape(-1, 3), axis=0).shape[0] > 300  # the shaded surface
    assert np.mean(np.abs(part.astype(int) - own).sum(axis=2) > 24) < 1e-3


def test_3d_view_renders_on_changes_not_on_every_repaint(app_window: MainWindow, qtbot,
                                                         monkeypatch) -> None:
    view = app_window.scene.surface.view
    qtbot.wait(50)
    renders: list[int] = []
    render = view.render_frame
    monkeypatch.setattr(view, "render_frame", lambda: (renders.append(1), render())[1])
    view.repaint()  # exposure only: the last frame is painted again
    assert renders == []
    app_window.state.set_current(25)
    view.repaint()
    assert renders == [1]
    view.opts["azimuth"] += 20.0  # the camera edited without update(): still a new frame
    view.repaint()
    assert renders == [1, 1]


def test_3d_view_orbits_and_zooms_with_the_mouse(app_window: MainWindow, qtbot) -> None:
    view = app_window.scene.surface.view
    qtbot.wait(50)
    before = app_window.scene.surface.grab_image()
    azimuth, distance = view.opts["azimuth"], view.opts["distance"]
    c = QPointF(view.width() / 2, view.height() / 2)

    def mouse(kind: QEvent.Type, pos: QPointF, button: Qt.MouseButton,
              buttons: Qt.MouseButton) -> None:
        QApplication.sendEvent(view, QMouseEvent(kind, pos, QPointF(view.mapToGlobal(pos)),
                                                 button, buttons, Qt.KeyboardModifier.NoModifier))

    left = Qt.MouseButton.LeftButton
    mouse(QEvent.Type.MouseButtonPress, c, left, left)
    for k in range(1, 5):
        mouse(QEvent.Type.MouseMove, c + QPointF(12 * k, 0), Qt.MouseButton.NoButton, left)
    mouse(QEvent.Type.MouseButtonRelease, c + QPointF(48, 0), left, Qt.MouseButton.NoButton)
    assert view.opts["azimuth"] != azimuth
    orbited = app_window.scene.surface.grab_image()
    assert np.mean(np.any(orbited != before, axis=2)) > 0.01
    QApplication.sendEvent(view, QWheelEvent(c, QPointF(view.mapToGlobal(c)), QPoint(0, 0),
                                             QPoint(0, 240), Qt.MouseButton.NoButton,
                                             Qt.KeyboardModifier.NoModifier,
                                             Qt.ScrollPhase.NoScrollPhase, False))
    assert view.opts["distance"] < distance
    app_window.scene.reset_camera()
    assert np.array_equal(app_window.scene.surface.grab_image(), before)


def test_paused_window_paints_nothing_and_uses_no_cpu(app_window: MainWindow, qtbot) -> None:
    """After a few frames, a paused window repaints none of its views and the process is idle."""
    import time

    st = app_window.state
    app_window.controller.play()
    qtbot.waitUntil(lambda: st.current >= 3, timeout=5000)
    app_window.controller.pause()
    qtbot.wait(200)  # the last frame finishes painting
    scene = app_window.scene
    views = [scene.surface.view, scene.contour.viewport(), scene.loss.viewport()]
    counter = _EventCounter(QEvent.Type.Paint)
    for w in views:
        w.installEventFilter(counter)
    cpu0 = time.process_time()
    try:
        qtbot.wait(1000)  # the event loop runs; nothing should happen
    finally:
        for w in views:
            w.removeEventFilter(counter)
    cpu = time.process_time() - cpu0
    assert counter.count == 0, counter.seen
    assert cpu < 0.1, f"{cpu:.3f} s of CPU in 1 s while paused"

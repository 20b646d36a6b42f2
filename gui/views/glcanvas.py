"""The 3D view's canvas: pyqtgraph's ``GLViewMixin`` rendered offscreen, with a cached layer.

This is the one module that relies on how pyqtgraph's 3D view works inside: which methods of
``QOpenGLWidget`` ``GLViewMixin`` calls (this widget provides them), the ``opts`` keys of the
camera, and ``drawItemTree``/``setProjection``/``setModelview`` to draw a subset of the items.
``tests/test_glcanvas.py`` checks each of these against the installed pyqtgraph.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pyqtgraph.opengl as gl
from OpenGL import GL
from OpenGL.error import Error as GLError
from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QOffscreenSurface,
    QOpenGLContext,
    QPainter,
    QPaintEvent,
    QSurfaceFormat,
)
from PySide6.QtOpenGL import QOpenGLFramebufferObject
from PySide6.QtWidgets import QWidget

__all__ = ["LayeredGLView", "OffscreenGLView"]

_log = logging.getLogger(__name__)


class OffscreenGLView(GLViewMixin, QWidget):
    """pyqtgraph's 3D view (``GLViewMixin``) as a plain raster widget: the scene is rendered
    with its own OpenGL context into a framebuffer object, read back, and painted as an image.

    A ``QOpenGLWidget`` would make Qt compose the whole top-level window through OpenGL on
    every frame (under software rendering a fixed cost of a whole-window texture pass and
    present per frame, whatever changed); this widget repaints only its own rectangle like any
    other widget. ``QWidget.grab()`` of the view or the window includes the rendering as it
    is. The frame is re-rendered only after ``update()`` (items, camera, background) or a
    resize; other repaints (exposure) draw the last image.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # the image covers it all
        self._context: QOpenGLContext | None = None
        self._offscreen: QOffscreenSurface | None = None
        self._target: QOpenGLFramebufferObject | None = None
        self._frame: QImage | None = None
        self._frame_key_shown: tuple | None = None
        self._stale = True
        self._gl_failed = False

    # ---- the parts of QOpenGLWidget's interface that GLViewMixin and this module use
    def isValid(self) -> bool:
        """Whether the GL context exists (it is created on the first render)."""
        return self._context is not None

    def context(self) -> QOpenGLContext | None:
        """The view's own OpenGL context (shares resources with the application's)."""
        return self._context

    def format(self) -> QSurfaceFormat:
        """The context's surface format (the default format before it exists)."""
        return self._context.format() if self._context else QSurfaceFormat.defaultFormat()

    def defaultFramebufferObject(self) -> int:
        """The framebuffer object frames are rendered into."""
        return self._target.handle() if self._target is not None else 0

    def makeCurrent(self) -> bool:
        """Make the context current with the frame's framebuffer bound (created or resized
        to the widget's device-pixel size). False when OpenGL is not available."""
        if not self._ensure_context():
            return False
        assert self._context is not None and self._offscreen is not None
        if not self._context.makeCurrent(self._offscreen):
            return False
        w, h = max(self.deviceWidth(), 1), max(self.deviceHeight(), 1)
        if self._target is None or self._target.width() != w or self._target.height() != h:
            self._target = QOpenGLFramebufferObject(
                w, h, QOpenGLFramebufferObject.Attachment.CombinedDepthStencil
            )
        self._target.bind()
        return True

    def doneCurrent(self) -> None:
        """Release the context."""
        if self._context is not None:
            self._context.doneCurrent()

    def _ensure_context(self) -> bool:
        if self._context is not None:
            return True
        if self._gl_failed:
            return False
        ctx = QOpenGLContext()
        ctx.setFormat(QSurfaceFormat.defaultFormat())
        share = QOpenGLContext.globalShareContext()
        if share is not None:
            ctx.setShareContext(share)
        surface = QOffscreenSurface(self.screen())
        surface.setFormat(ctx.format())
        surface.create()
        if not ctx.create() or not surface.isValid() or not ctx.makeCurrent(surface):
            self._gl_failed = True
            return False
        self._context, self._offscreen = ctx, surface
        self.initializeGL()
        return True

    def update(self, *args: object) -> None:
        """Schedule a new frame (``QWidget.update``; the next paint renders)."""
        self._stale = True
        super().update(*args)

    def render_frame(self) -> QImage | None:
        """Render the scene now and keep the image (None without OpenGL)."""
        if not self.makeCurrent():
            return None
        try:
            GL.glViewport(0, 0, self._target.width(), self._target.height())
            self.paintGL()
            image = self._target.toImage()
        finally:
            self.doneCurrent()
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self._frame = image
        self._stale = False
        return image

    def grabFramebuffer(self) -> QImage:
        """A frame rendered now (as ``QOpenGLWidget.grabFramebuffer``), in device pixels."""
        frame = self.render_frame()
        return frame.copy() if frame is not None else QImage()

    def _frame_key(self) -> tuple:
        """What the last image depends on besides the items (they call ``update()``): the
        size, and the camera and background, in case ``opts`` was edited directly."""
        o = self.opts
        c = o["center"]
        return (
            self.deviceWidth(),
            self.deviceHeight(),
            self.devicePixelRatioF(),
            (c.x(), c.y(), c.z()),
            o["distance"],
            o["fov"],
            o.get("elevation"),
            o.get("azimuth"),
            o.get("rotation"),
            tuple(o["bgcolor"]),
        )

    def _current_frame(self) -> QImage | None:
        key = self._frame_key()
        if self._stale or self._frame is None or key != self._frame_key_shown:
            self._frame_key_shown = key
            return self.render_frame()
        return self._frame

    def paintEvent(self, event: QPaintEvent) -> None:
        frame = self._current_frame()
        painter = QPainter(self)
        try:
            if frame is None:
                painter.fillRect(self.rect(), QColor.fromRgbF(*self.opts["bgcolor"]))
            else:
                painter.drawImage(0, 0, frame)
        finally:
            painter.end()


class LayeredGLView(OffscreenGLView):
    """``GLViewWidget`` that keeps its static items (surface, wireframe, floor grid) rendered in
    a framebuffer object: a frame blits that layer's colour and depth, then draws only the
    other items (paths, markers, labels) on top, depth-tested against the surface as before.

    The layer is re-rendered when the camera, the viewport, the background or a static item
    (its data or visibility) changes. Items are drawn in the same depth order as without the
    cache, so the picture is identical; if the layer cannot be used (multisampled widget, GL
    error) every frame is drawn in full.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._static: list[gl.GLGraphicsItem.GLGraphicsItem] = []
        self._static_version = 0
        self._layer: QOpenGLFramebufferObject | None = None
        self._layer_key: tuple | None = None
        self._layer_ok = True

    def set_static_items(self, items: Sequence[gl.GLGraphicsItem.GLGraphicsItem]) -> None:
        """Items drawn into the cached layer: top-level items of this view with the lowest
        depth values and identity transforms (the scene is placed by the data, not by item
        transforms). Call :meth:`invalidate_static` after changing their data."""
        for item in items:
            if not item.transform().isIdentity():
                raise ValueError("a cached item must have an identity transform")
        self._static = list(items)
        self.invalidate_static()

    def invalidate_static(self) -> None:
        """The static items' data changed: the next frame renders the layer again (their
        visibility, the camera, the viewport and the background are checked every frame)."""
        self._static_version += 1
        self.update()

    def _key(self, region: tuple[int, int, int, int]) -> tuple:
        proj = self.projectionMatrix(region, region).data()
        view = self.viewMatrix().data()
        vis = tuple(item.visible() for item in self._static)
        return (
            tuple(region),
            tuple(proj),
            tuple(view),
            tuple(self.opts["bgcolor"]),
            self._static_version,
            vis,
        )

    def paintGL(self) -> None:
        region = tuple(self.getViewport())
        dynamic = [i for i in self.items if i.parentItem() is None and i not in self._static]
        if (
            not self._layer_ok
            or not self._static
            or self.format().samples() > 0
            or (
                dynamic
                and max(i.depthValue() for i in self._static)
                >= min(i.depthValue() for i in dynamic)
            )
        ):
            super().paintGL()
            return
        try:
            self._paint_layered(region, dynamic)
        except GLError as err:  # a GL failure: draw every frame in full from now on
            _log.warning("3D view: cached layer disabled after an OpenGL error: %s", err)
            self._layer_ok = False
            self._layer = None
            GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, self.defaultFramebufferObject())
            super().paintGL()

    def _paint_layered(self, region: tuple, dynamic: list) -> None:
        # ``region`` (logical pixels) sets the projection; the framebuffers are device pixels
        w, h = max(self.deviceWidth(), 1), max(self.deviceHeight(), 1)
        target = self.defaultFramebufferObject()
        key = self._key(region)
        if self._layer is None or self._layer.width() != w or self._layer.height() != h:
            self._layer = QOpenGLFramebufferObject(
                w, h, QOpenGLFramebufferObject.Attachment.CombinedDepthStencil
            )
            self._layer_key = None
        self.setProjection(region, region)
        self.setModelview()
        if key != self._layer_key:
            self._layer.bind()
            GL.glViewport(0, 0, w, h)
            GL.glClearColor(*self.opts["bgcolor"])
            GL.glClear(GL.GL_DEPTH_BUFFER_BIT | GL.GL_COLOR_BUFFER_BIT)
            self._draw_items(self._static)
            GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, target)
            GL.glViewport(0, 0, w, h)
            self._layer_key = key
        GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._layer.handle())
        GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, target)
        GL.glBlitFramebuffer(
            0, 0, w, h, 0, 0, w, h, GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT, GL.GL_NEAREST
        )
        GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, target)
        self._draw_items(dynamic)

    def _draw_items(self, items: list) -> None:
        """Draw top-level ``items`` (and their children) in depth order, as ``paint`` does
        (their transforms are the identity, so the model-view matrix stays as it is)."""
        for item in sorted(items, key=lambda i: i.depthValue()):
            if item.visible():
                self.drawItemTree(item)

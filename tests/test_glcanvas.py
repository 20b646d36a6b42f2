"""What ``gui/views/glcanvas.py`` relies on inside pyqtgraph's 3D view, checked against the
installed pyqtgraph: a change there fails here instead of as a blank or wrong 3D view."""

from __future__ import annotations

import ast
import inspect
import textwrap

import pyqtgraph.opengl as gl
from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from PySide6.QtOpenGL import QOpenGLFramebufferObject
from PySide6.QtOpenGLWidgets import QOpenGLWidget
from PySide6.QtWidgets import QWidget

from gui.views.glcanvas import LayeredGLView, OffscreenGLView


def _self_attributes(cls: type) -> set[str]:
    """Every ``self.<name>`` that the methods defined in ``cls`` itself use."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    return {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "self"}


def test_mixin_needs_only_what_the_canvas_provides() -> None:
    """GLViewMixin is written for QOpenGLWidget: the QOpenGLWidget methods it calls must all be
    implemented by OffscreenGLView (a plain QWidget)."""
    gl_only = {name for name in dir(QOpenGLWidget) if not hasattr(QWidget, name)}
    needed = _self_attributes(GLViewMixin) & gl_only
    assert needed, "the check sees no QOpenGLWidget call at all: the parse is broken"
    missing = {name for name in needed if name not in OffscreenGLView.__dict__}
    assert not missing, f"GLViewMixin now calls {sorted(missing)}: add them to OffscreenGLView"


def test_mixin_methods_the_layer_calls() -> None:
    signatures = {
        "drawItemTree": ["self", "item", "useItemNames"],
        "setProjection": ["self", "region", "viewport"],
        "projectionMatrix": ["self", "region", "viewport"],
        "setModelview": ["self"],
        "viewMatrix": ["self"],
        "getViewport": ["self"],
        "paintGL": ["self"],
        "initializeGL": ["self"],
        "deviceWidth": ["self"],
        "deviceHeight": ["self"],
    }
    for name, params in signatures.items():
        assert list(inspect.signature(getattr(GLViewMixin, name)).parameters) == params, name
    # drawItemTree(item) draws the item and its children without the item's own transform:
    # the layer relies on that with identity transforms
    source = inspect.getsource(GLViewMixin.drawItemTree)
    assert "items = item.childItems()" in source and "i.paint()" in source


def test_camera_options_the_frame_key_reads(qtbot) -> None:
    view = LayeredGLView()
    qtbot.addWidget(view)
    # ("rotation" exists only with rotationMethod="quaternion"; the key reads it with get)
    assert {"center", "distance", "fov", "elevation", "azimuth",
            "bgcolor"} <= set(view.opts)
    assert isinstance(view.items, list)


def test_static_items_must_not_be_moved(qtbot) -> None:
    view = LayeredGLView()
    qtbot.addWidget(view)
    item = gl.GLLinePlotItem()
    item.translate(1.0, 0.0, 0.0)
    view.addItem(item)
    try:
        view.set_static_items([item])
    except ValueError as err:
        assert "identity" in str(err)
    else:
        raise AssertionError("a moved item was accepted into the cached layer")


def test_invalidate_static_renders_the_layer_again(qtbot) -> None:
    view = LayeredGLView()
    qtbot.addWidget(view)
    view.resize(120, 90)
    item = gl.GLLinePlotItem(pos=[[0, 0, 0], [1, 1, 0]], color=(1, 0, 0, 1))
    view.addItem(item)
    view.set_static_items([item])
    assert view.render_frame() is not None
    assert isinstance(view._layer, QOpenGLFramebufferObject)
    key = view._layer_key
    view.render_frame()
    assert view._layer_key == key  # nothing changed: the layer is reused
    view.invalidate_static()
    view.render_frame()
    assert view._layer_key != key

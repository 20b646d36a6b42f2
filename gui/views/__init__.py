"""Reusable display widgets: 3D surface, contour map and loss plot.

Each widget creates its graphics items once and updates them with ``setData`` per frame.
"""

from gui.theme import RunStyle
from gui.views.contour import ContourView
from gui.views.lossplot import LossPlot
from gui.views.surface3d import SurfaceView3D

__all__ = ["ContourView", "LossPlot", "RunStyle", "SurfaceView3D"]

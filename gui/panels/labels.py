"""A label for text that changes every animation frame (the update counter, the status).

``QLabel.setText`` asks the parent layout to re-lay out (``updateGeometry``) unless the label's
size is fixed; a re-layout repaints the surrounding widgets, and with the 3D view in the window
every repaint is composed through OpenGL. :class:`SteadyLabel` keeps a fixed size that only
grows, so a new text of the same or smaller size repaints only the label itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

__all__ = ["SteadyLabel"]


class SteadyLabel(QLabel):
    """One-line label with a fixed size that grows to fit longer texts and never shrinks
    (so the layout around it does not move while the text changes)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)

    def setText(self, text: str) -> None:
        """Show ``text``; the size changes only when the text needs more room."""
        if text == self.text():
            return
        super().setText(text)
        hint = self.sizeHint()
        width = max(hint.width(), self.minimumWidth())
        height = max(hint.height(), self.minimumHeight())
        if width != self.maximumWidth() or height != self.maximumHeight():
            self.setFixedSize(width, height)

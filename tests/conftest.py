"""Test set-up: OpenGL context sharing before any QApplication, and no leaked windows/timers.

pyqtgraph caches shader programs per module; without ``AA_ShareOpenGLContexts`` a second GL
widget fails with GLError 1281 (pyqtgraph #2618). It must be set before the QApplication that
pytest-qt creates, so it is set at import time of this conftest.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def _share_gl_contexts() -> None:
    try:
        from PySide6.QtCore import QCoreApplication, Qt
    except ImportError:  # core-only environments
        return
    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


_share_gl_contexts()


@pytest.fixture
def settings_dir(tmp_path, monkeypatch):
    """Isolated QSettings/config folder so tests never touch the user's settings."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"

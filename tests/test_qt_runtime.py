"""The installed Qt binding must survive a long animation.

PySide6 6.12.0 lowers the reference count of ``None`` on every call of a Qt method returning
nothing; on Python 3.11 that aborts the process ("none_dealloc") after a few thousand calls,
i.e. a few hundred animation frames. pyproject.toml excludes it; this test fails if such a
binding is installed again.
"""

from __future__ import annotations

import subprocess
import sys

CODE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
before = sys.getrefcount(None)
for _ in range(30000):
    w.setVisible(False)
print(sys.getrefcount(None) - before)
"""


def test_none_refcount_survives_many_qt_calls():
    r = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert abs(int(r.stdout.strip().splitlines()[-1])) < 1000

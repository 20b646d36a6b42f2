"""``python main.py export …`` in a subprocess (a second QApplication in one process aborts).

The contour export must work on ``QT_QPA_PLATFORM=offscreen`` without an X server; bad
arguments and unwritable targets exit with code 2, one line on stderr, and leave nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _export(*args: str, display: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    if display:
        env = dict(os.environ)
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, "main.py", "export", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_contour_mp4_on_offscreen_platform(tmp_path: Path) -> None:
    out = tmp_path / "saddle.mp4"
    r = _export("saddle", "-o", str(out), "--size", "161x121", "--fps", "25")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no progress (not a terminal), no Qt warnings
    lines = r.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"wrote {out}: 201 frames, 160x120")
    assert "rounded down to even" in lines[0]
    n, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert n == 201  # one frame per update 0 … 200 (under the 300-frame cap)
    assert seconds == pytest.approx(201 / 25, abs=0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saddle.mp4"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/file.txt/a.mp4"], "not a folder"),
        (["-o", "{tmp}/missing/a.gif"], "does not exist"),
        (["-o", "{tmp}/a.avi"], "unknown extension"),
        (["-o", "{tmp}/a.gif", "--size", "big"], "WIDTHxHEIGHT"),
        (["-o", "{tmp}/a.gif", "--fps", "0"], "--fps"),
        (["-o", "{tmp}/a.gif", "--frames", "0"], "--frames"),
        (["-o", "{tmp}/a.mp4", "--view", "surface"], "needs an X server"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str):
    (tmp_path / "file.txt").write_text("not a folder")
    r = _export("saddle", *[a.format(tmp=tmp_path) for a in args])
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("descent-lab: error:"), r.stderr
    assert message in lines[0]
    assert r.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]

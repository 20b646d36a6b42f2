"""The network's path on its plane exported like a scenario: ``network --export-plane`` in a
subprocess (a second QApplication in one process aborts) and the window's Export button."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = ["--hidden", "8", "--batch-sizes", "64,full", "--seeds", "2", "--updates", "12",
        "--lr", "0.1"]


def _network(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, "main.py", "network", *TINY, *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=180)


def test_export_plane_gif_of_every_run(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "plane.gif"
    r = _network("--export-plane", str(out), "--plane-runs", "all", "--path-every", "3",
                 "--grid", "11", "--view", "contour", "--size", "320x240", "--json",
                 str(tmp_path / "doc.json"))
    assert r.returncode == 0, r.stderr
    last = r.stdout.splitlines()[-1]
    # one frame per kept θᵗ: updates 0, 3, …, 12
    assert last.startswith(f"wrote {out}: 5 frames, 320x240") and "4 runs" in last
    assert "per batch size" in r.stdout  # the comparison's table is printed as without export
    with Image.open(out) as im:
        assert im.n_frames == 5 and im.size == (320, 240)
        im.seek(4)
        last_frame = np.asarray(im.convert("RGB"), dtype=float)
        im.seek(0)
        first_frame = np.asarray(im.convert("RGB"), dtype=float)
    assert np.abs(last_frame - first_frame).mean() > 0.5  # the paths moved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.json", "plane.gif"]


def test_export_plane_mp4_frames(tmp_path: Path) -> None:
    out = tmp_path / "plane.mp4"
    r = _network("--export-plane", str(out), "--plane", "endpoints", "--plane-run", "full,1",
                 "--path-every", "4", "--grid", "11", "--view", "contour", "--size", "160x120",
                 "--frames", "7")
    assert r.returncode == 0, r.stderr
    n, _ = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert n == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--export-plane", "{tmp}/a.avi"], "unknown extension"),
        (["--export-plane", "{tmp}/a.gif", "--plane-run", "32"], "--plane-run"),
        (["--export-plane", "{tmp}/a.gif", "--plane-run", "64,5"], "seed"),
        (["--export-plane", "{tmp}/a.gif", "--grid", "5"], "--grid"),
        (["--export-plane", "{tmp}/a.gif", "--path-every", "0"], "--path-every"),
        (["--export-plane", "{tmp}/a.mp4", "--view", "surface"], "needs an X server"),
    ],
)
def test_bad_export_arguments_exit_2_before_training(tmp_path: Path, args, message):
    r = _network(*[a.format(tmp=tmp_path) for a in args])
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0], r.stderr
    assert r.stdout == ""  # nothing was trained (no table)
    assert list(tmp_path.iterdir()) == []


def test_window_exports_the_plane_with_progress_and_cancel(qtbot, tmp_path: Path) -> None:
    from PIL import Image

    from core.netsettings import NetworkSettings
    from gui.windows.network_window import NetworkWindow

    w = NetworkWindow(NetworkSettings(hidden="8", batch_sizes="64,full", seeds=2,
                                      stop="updates", stop_value=12, path_every=3, lr=0.1))
    qtbot.addWidget(w)
    w.grid_spin.setValue(11)
    assert not w.export_button.isEnabled()
    with qtbot.waitSignal(w.pathsFinished, timeout=60000):
        w.run()
    w.set_step(2)
    dialog = w.open_export_dialog()
    assert dialog.every_spin.value() == 3  # one frame per kept θᵗ
    assert dialog.updates() == [0, 3, 6, 9, 12]
    out = tmp_path / "plane.gif"
    dialog.view_box.setCurrentIndex(dialog.view_box.findData("contour"))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("gif"))
    dialog.path_edit.setText(str(out))
    dialog.size_box.setCurrentIndex(dialog.size_box.findData(None))
    dialog.width_spin.setValue(320)
    dialog.height_spin.setValue(240)
    dialog.start_export()
    qtbot.waitUntil(lambda: dialog.job.state == "done", timeout=60000)
    assert dialog.result == out and "Wrote" in dialog.status.text()
    with Image.open(out) as im:
        assert im.n_frames == 5 and im.size == (320, 240)
    assert w.step_index == 2  # an offscreen export leaves the window alone
    # the whole window, stepped through the updates and put back; cancelled mid-way
    dialog.view_box.setCurrentIndex(dialog.view_box.findData("window"))
    dialog.path_edit.setText(str(tmp_path / "window.gif"))
    dialog.start_export()
    with qtbot.waitSignal(dialog.job.cancelled, timeout=20000):
        dialog.cancel_button.click()
    assert "nothing was written" in dialog.status.text()
    assert not (tmp_path / "window.gif").exists() and w.step_index == 2
    dialog.start_export()
    qtbot.waitUntil(lambda: dialog.job.state == "done", timeout=60000)
    with Image.open(tmp_path / "window.gif") as im:
        assert im.n_frames == 5
    assert w.step_index == 2
    # closing the window closes its export dialog, cancelling a running export
    dialog.path_edit.setText(str(tmp_path / "late.gif"))
    dialog.start_export()
    with qtbot.waitSignal(dialog.job.cancelled, timeout=20000):
        w.close()
    assert not (tmp_path / "late.gif").exists()

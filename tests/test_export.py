"""Tests of ``gui.export`` and ``gui.export.dialog`` (pytest-qt, under pytest-xvfb).

Exported files are decoded again (imageio / imageio-ffmpeg / Pillow) and compared with a grab of
a Scene built independently for the same update: exactly for PNG, within a tolerance for the
lossy formats. Frames are small (320×240) and few to keep the module fast.
"""

from __future__ import annotations

import errno
import subprocess
import time
import tracemalloc
from pathlib import Path

import imageio.v3 as iio
import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, Qt, QTimer

if QCoreApplication.instance() is None:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

from core import cli
from core import scenario as sc
from gui import export as ex
from gui.export import encoders as ex_encoders
from gui.export import frames as ex_frames
from gui.export import overlay as ex_overlay
from gui.export.dialog import ExportDialog

SIZE = (320, 240)


@pytest.fixture(scope="module")
def spec() -> ex.SceneSpec:
    """The saddle scenario as the window opens it."""
    return ex.spec_from_scenario(sc.load("saddle"))


def _renderer(spec: ex.SceneSpec, view: str = "contour", overlay: bool = False,
              size: tuple[int, int] = SIZE, orbit: float = 0.0, n: int = 1) -> ex.FrameRenderer:
    settings = ex.ExportSettings(Path("x.mp4"), view, size, 20.0, tuple(range(n)), overlay, orbit)
    return ex.make_renderer(settings, spec)


def _reference(spec: ex.SceneSpec, ts: list[int], view: str = "contour") -> list[np.ndarray]:
    """Grabs of an independently built scene at the same size (what the window's views show)."""
    scene = ex.build_scene(spec)
    try:
        widget = scene.contour
        widget.resize(*SIZE)
        out = []
        for t in ts:
            scene.set_current(t)
            out.append(widget.grab_image())
        return out
    finally:
        ex.close_scene(scene)


def _export(spec: ex.SceneSpec, path: Path, ts: list[int], overlay: bool = False,
            view: str = "contour", fps: float = 20.0) -> Path:
    renderer = _renderer(spec, view, overlay, n=len(ts))
    try:
        return ex.export_animation(renderer, ex.open_writer(path, SIZE, fps), ts)
    finally:
        renderer.close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _mp4_frames(path: Path, size: tuple[int, int]) -> tuple[float, np.ndarray]:
    """(frames per second, decoded frames (n, h, w, 3)) with the same ffmpeg binary."""
    n, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    raw = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, size[1], size[0], 3)
    assert frames.shape[0] == n
    return n / seconds, frames


def _off(frame: np.ndarray, ref: np.ndarray) -> float:
    """Share of pixels more than 48 levels off in some channel: codec loss (yuv420p blurs the
    colour of thin lines, a palette rounds) stays under 1 %; a frame of another update gives
    3–9 % on these scenes."""
    err = np.abs(frame.astype(np.int16) - ref).max(axis=2)
    return float((err > 48).mean())


TS = [0, 20, 60, 120, 200]


# ------------------------------------------------------------------- pure helpers


def test_frame_updates_default_caps_and_samples_evenly() -> None:
    assert ex.frame_updates(10).tolist() == list(range(11))
    ts = ex.frame_updates(1000)
    assert ts.size == ex.DEFAULT_MAX_FRAMES and ts[0] == 0 and ts[-1] == 1000
    assert np.all(np.diff(ts) > 0)
    assert ex.frame_updates(200, frames=5).tolist() == [0, 50, 100, 150, 200]
    assert ex.frame_updates(10, start=2, stop=9, every=3).tolist() == [2, 5, 8, 9]
    assert ex.frame_updates(3, frames=7).size == 7  # updates repeat, the count is kept
    with pytest.raises(ex.ExportError, match="frames"):
        ex.frame_updates(10, frames=0)


def test_bad_arguments_have_clear_messages(tmp_path: Path) -> None:
    assert ex.parse_size("640x480") == (640, 480)
    assert ex.parse_size(" 800 × 600 ") == (800, 600)
    for bad in ("640", "axb", "10x10", "9000x100"):
        with pytest.raises(ex.ExportError, match="size"):
            ex.parse_size(bad)
    assert ex.output_format(tmp_path / "a.mp4") == "mp4"
    assert ex.output_format(tmp_path / "a.GIF") == "gif"
    assert ex.output_format(tmp_path / "frames") == "png"
    assert ex.output_format(tmp_path) == "png"
    with pytest.raises(ex.ExportError, match="unknown extension"):
        ex.output_format(tmp_path / "a.avi")
    base = ex.ExportSettings(tmp_path / "a.gif", "contour", SIZE, 20.0, (0,))
    for change, msg in ((dict(fps=0.0), "fps"), (dict(fps=60.0), "at most 50"),
                        (dict(view="top"), "unknown view"),
                        (dict(path=tmp_path / "a.mp4", size=(321, 240)), "even")):
        with pytest.raises(ex.ExportError, match=msg):
            ex.ExportSettings(**{**base.__dict__, **change}).validate()
    with pytest.raises(ex.ExportError, match="does not exist"):
        ex.check_target(tmp_path / "missing" / "a.mp4")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ex.ExportError, match="not a folder"):
        ex.check_target(tmp_path / "file" / "a.mp4")


def test_gif_delays_follow_the_timeline() -> None:
    d = [ex.gif_delay(k, 30.0) for k in range(30)]
    assert sum(d) == 100 and set(d) == {3, 4}
    assert [ex.gif_delay(k, 20.0) for k in range(3)] == [5, 5, 5]


def test_overlay_lines_name_every_setting(spec: ex.SceneSpec) -> None:
    lines = ex.overlay_lines(spec.trajectories, spec.run_styles(), 37)
    assert lines[0].cells[0] == f"update 37 / {spec.t_max}"
    text = [" ".join(line.cells) for line in lines[1:]]
    assert len(text) == len(spec.trajectories)
    mom = next(t for t in text if "momentum" in t)
    assert "η=0.02" in mom and "λ=0.9" in mom and "B=5" in mom and "epoch" in mom and "L=" in mom
    assert [line.color for line in lines[1:]] == [s.qcolor().name() for s in spec.run_styles()]


def test_overlay_writes_eta_t_of_a_scheduled_run(spec: ex.SceneSpec) -> None:
    from dataclasses import replace

    from core.schedules import make_schedule

    tr = spec.trajectories[0]
    sched = make_schedule("step", step_size=10, gamma=0.5)
    scheduled = replace(tr, config=replace(tr.config, schedule=sched))
    for t, eta in ((0, tr.config.lr), (10, tr.config.lr), (11, tr.config.lr / 2),
                   (37, tr.config.lr / 8)):
        (_, line) = ex.overlay_lines([scheduled], spec.run_styles()[:1], t)
        assert f"η_t={ex_overlay._short(eta)}" in line.cells, (t, line.cells)


# ------------------------------------------------------------------------ formats


def test_mp4_has_the_frames_and_matches_the_scene(qtbot, spec, tmp_path: Path) -> None:
    out = _export(spec, tmp_path / "anim.mp4", TS)
    assert _leftovers(tmp_path) == ["anim.mp4"]
    fps, frames = _mp4_frames(out, SIZE)
    assert len(frames) == len(TS)
    assert fps == pytest.approx(20.0)
    assert _off(frames[0], frames[1]) > 0.02  # it moves (t = 0 → 20: paths and step vectors)
    refs = _reference(spec, TS)
    for frame, ref in zip(frames, refs, strict=True):
        assert _off(frame, ref) < 0.015
    assert _off(frames[1], refs[2]) > 0.02  # and another update's picture is told apart


def test_gif_loops_and_matches_the_scene(qtbot, spec, tmp_path: Path) -> None:
    out = _export(spec, tmp_path / "anim.gif", TS, fps=10.0)
    assert _leftovers(tmp_path) == ["anim.gif"]
    frames = iio.imread(out, index=None)
    assert frames.shape == (len(TS), SIZE[1], SIZE[0], 3)
    with Image.open(out) as im:
        assert im.info["loop"] == 0 and im.info["duration"] == 100
    for frame, ref in zip(frames, _reference(spec, TS), strict=True):
        assert _off(frame, ref) < 0.01
        assert np.abs(frame.astype(int) - ref).mean() < 3.0  # 255-colour palette
    assert _off(frames[0], frames[1]) > 0.02  # it moves


def test_png_frames_are_exactly_the_scene(qtbot, spec, tmp_path: Path) -> None:
    out = _export(spec, tmp_path / "frames", TS)
    names = _leftovers(out)
    assert names == [f"frame_{k:05d}.png" for k in range(len(TS))]
    assert _leftovers(tmp_path) == ["frames"]
    for name, ref in zip(names, _reference(spec, TS), strict=True):
        np.testing.assert_array_equal(np.asarray(Image.open(out / name).convert("RGB")), ref)
    # a folder that holds files is refused: nothing in it is replaced or deleted
    (out / "notes.txt").write_text("mine")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(ex.ExportError, match="not empty"):
        _export(spec, out, TS[:2])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _leftovers(tmp_path) == ["frames"]


def test_overlay_is_drawn_in_a_corner(qtbot, spec) -> None:
    plain, over = _renderer(spec), _renderer(spec, overlay=True)
    try:
        a, b = plain.render(0, 120), over.render(0, 120)
    finally:
        plain.close()
        over.close()
    diff = np.any(a != b, axis=2)
    assert diff.any()
    ys, xs = np.nonzero(diff)
    h, w = diff.shape
    assert xs.max() >= w - 20 and ys.min() <= 20  # the top-right corner
    assert not diff[h // 2 :, : w // 4].any()  # the rest of the picture is untouched
    # the box is darker than the picture under it, the text lighter than the box
    box = b[ys.min() + 2 : ys.max() - 2, xs.min() + 2 : xs.max() - 2].astype(int)
    assert box.mean() < a[ys.min() : ys.max(), xs.min() : xs.max()].mean()
    assert box.max() > 150


def test_3d_frames_match_the_scene_and_orbit(qtbot, spec) -> None:
    r = _renderer(spec, "surface", n=3)
    orbit = _renderer(spec, "surface", orbit=90.0, n=3)
    scene = ex.build_scene(spec)
    try:
        f0, f2 = r.render(0, 0), r.render(2, 200)
        assert f0.shape == (SIZE[1], SIZE[0], 3)
        assert np.unique(f0.reshape(-1, 3), axis=0).shape[0] > 50  # a shaded surface
        assert np.abs(f0.astype(int) - f2).mean() > 0.1
        # the same picture as the Scene's 3D view shown at the same size
        scene.surface.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        scene.surface.resize(*SIZE)
        scene.surface.show()
        scene.set_current(200)
        ref = scene.surface.grab_image()
        assert np.abs(ref.astype(int) - f2).mean() < 1.0
        o0, o2 = orbit.render(0, 200), orbit.render(2, 200)
        assert np.abs(o0.astype(int) - f2).mean() < 1.0  # orbit starts at the camera
        assert np.abs(o2.astype(int) - o0).mean() > 2.0  # and turns
    finally:
        r.close()
        orbit.close()
        ex.close_scene(scene)


def test_both_views_side_by_side(qtbot, spec) -> None:
    r = _renderer(spec, "both", size=(480, 200))
    try:
        f = r.render(0, 50)
    finally:
        r.close()
    assert f.shape == (200, 480, 3)
    assert f[:, :240].std() > 5 and f[:, 240:].std() > 5


# ------------------------------------------------------------- safety and failures


def test_encoder_failure_is_reported_and_leaves_nothing(qtbot, spec, tmp_path, monkeypatch):
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: "/bin/false")
    with pytest.raises(ex.ExportError, match="video encoder failed"):
        _export(spec, tmp_path / "a.mp4", TS)
    assert _leftovers(tmp_path) == []


def test_full_disk_is_reported_and_leaves_nothing(qtbot, spec, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ex_encoders.GifImagePlugin, "getdata", full)
    with pytest.raises(ex.ExportError, match="No space left on device"):
        _export(spec, tmp_path / "a.gif", TS)
    assert _leftovers(tmp_path) == []


def test_cancelled_job_leaves_nothing(qtbot, spec, tmp_path: Path) -> None:
    settings = ex.ExportSettings(tmp_path / "a.mp4", "contour", SIZE, 20.0,
                                 tuple(ex.frame_updates(spec.t_max)))
    job = ex.ExportJob(settings, spec)
    with qtbot.waitSignal(job.progress, timeout=10_000,
                          check_params_cb=lambda done, total, left: done >= 2):
        job.start()
    assert [p for p in tmp_path.iterdir()]  # the temporary file exists meanwhile
    with qtbot.waitSignal(job.cancelled, timeout=5_000):
        job.cancel()
    assert job.state == "cancelled"
    assert _leftovers(tmp_path) == []


def test_writer_memory_does_not_grow_with_frames(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    base = rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)

    def peak(n: int, path: Path) -> int:
        tracemalloc.start()
        try:
            with ex.open_writer(path, (320, 240), 20.0) as w:
                for k in range(n):
                    f = base.copy()
                    f[k % 200 : k % 200 + 20, :40] = 255
                    w.write(f)
                w.close()
                w.commit()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    for ext in (".gif", ""):
        small, large = peak(20, tmp_path / f"s{ext}"), peak(120, tmp_path / f"l{ext}")
        assert large < small * 1.3 + 1_000_000, (ext, small, large)


# ------------------------------------------------------------------------- dialog


def _dialog(qtbot, spec, tmp_path: Path, fmt: str = "gif") -> ExportDialog:
    dlg = ExportDialog(None, spec, folder=tmp_path, name="anim")
    qtbot.addWidget(dlg)
    dlg.format_box.setCurrentIndex(dlg.format_box.findData(fmt))
    dlg.size_box.setCurrentIndex(dlg.size_box.findData(None))
    dlg.width_spin.setValue(SIZE[0])
    dlg.height_spin.setValue(SIZE[1])
    return dlg


def test_dialog_exports_without_freezing_the_window(qtbot, spec, tmp_path: Path) -> None:
    dlg = _dialog(qtbot, spec, tmp_path)
    dlg.every_spin.setValue(5)
    assert dlg.path_edit.text().endswith("anim.gif")
    assert dlg.view_box.model().item(dlg.view_box.findData("window")).isEnabled() is False
    n = len(dlg.updates())
    assert n == len(ex.frame_updates(spec.t_max, every=5))
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(tick)
    probe.start()
    try:
        dlg.start_export()
        assert dlg.job is not None
        with qtbot.waitSignal(dlg.job.finished, timeout=30_000):
            pass
    finally:
        probe.stop()
    assert dlg.result == tmp_path / "anim.gif"
    assert iio.improps(dlg.result, index=None).shape == (n, SIZE[1], SIZE[0], 3)
    assert "Wrote" in dlg.status.text()
    assert max(gaps[1:]) < 0.5  # the event loop kept running while exporting
    assert _leftovers(tmp_path) == ["anim.gif"]


def test_dialog_cancel_and_errors(qtbot, spec, tmp_path: Path) -> None:
    dlg = _dialog(qtbot, spec, tmp_path, "mp4")
    dlg.start_export()
    with qtbot.waitSignal(dlg.job.progress, timeout=10_000,
                          check_params_cb=lambda done, total, left: done >= 1):
        pass
    with qtbot.waitSignal(dlg.job.cancelled, timeout=5_000):
        dlg.cancel_button.click()
    assert "Cancelled" in dlg.status.text()
    assert _leftovers(tmp_path) == []
    dlg.path_edit.setText(str(tmp_path / "missing" / "anim.mp4"))
    dlg.start_export()
    assert "does not exist" in dlg.status.text()
    assert dlg.export_button.isEnabled()


# ------------------------------------------------------------ snapshots and records


def test_snapshots_and_trajectories(qtbot, spec, tmp_path: Path) -> None:
    scene = ex.build_scene(spec)
    try:
        scene.contour.resize(*SIZE)
        png = ex.save_snapshot(scene, tmp_path / "c.png")
        assert iio.imread(png).shape[:2] == (SIZE[1], SIZE[0])
        svg = ex.save_snapshot(scene.contour, tmp_path / "c.svg")
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
        with pytest.raises(ex.ExportError, match="SVG"):
            ex.save_snapshot(scene, tmp_path / "s.svg", view="surface")
    finally:
        ex.close_scene(scene)
    scenario = spec.scenario
    assert scenario is not None
    trajs = list(spec.trajectories)
    csv = ex.save_trajectories(tmp_path / "t.csv", scenario, spec.problem, trajs)
    assert csv.read_text(encoding="utf-8") == cli.to_csv(trajs)
    js = ex.save_trajectories(tmp_path / "t.json", scenario, spec.problem, trajs)
    assert js.read_text(encoding="utf-8") == cli.to_json(
        cli.scenario_record(scenario, spec.problem, trajs))
    with pytest.raises(ex.ExportError, match=r"csv or \.json"):
        ex.save_trajectories(tmp_path / "t.txt", scenario, spec.problem, trajs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.png", "c.svg", "t.csv", "t.json"]


# ------------------------------------------------------------------------ the window


def test_export_matches_the_window_and_restores_it(app_window, qtbot, tmp_path: Path) -> None:
    """The dialog the window opens (``ExportDialog(window)``) exports what the window shows."""
    win = app_window
    win.state.set_current(50)
    dlg = ExportDialog(win, folder=tmp_path, name="win")
    qtbot.addWidget(dlg)
    assert dlg.spec is not None and dlg.spec.current == 50
    contour = win.scene.contour
    size = (contour.width(), contour.height())
    expected = contour.grab_image()
    # the contour map alone, at the window's size: the same pixels as the window's view
    settings = ex.ExportSettings(tmp_path / "c", "contour", size, 20.0, (50,), False)
    renderer = ex.make_renderer(settings.validate(), dlg.spec)
    try:
        frame = renderer.render(0, 50)
    finally:
        renderer.close()
    np.testing.assert_array_equal(frame, expected)
    # the whole window, stepped through updates and put back afterwards
    assert dlg.view_box.model().item(dlg.view_box.findData("window")).isEnabled()
    dlg.view_box.setCurrentIndex(dlg.view_box.findData("window"))
    dlg.format_box.setCurrentIndex(dlg.format_box.findData("png"))
    dlg.size_box.setCurrentIndex(dlg.size_box.findData(None))
    dlg.width_spin.setValue(640)
    dlg.height_spin.setValue(400)
    dlg.start_spin.setValue(10)
    dlg.stop_spin.setValue(30)
    dlg.every_spin.setValue(10)
    dlg.start_export()
    with qtbot.waitSignal(dlg.job.finished, timeout=30_000):
        pass
    frames = sorted((tmp_path / "win").iterdir())
    assert [p.name for p in frames] == ["frame_00000.png", "frame_00001.png", "frame_00002.png"]
    first = np.asarray(Image.open(frames[0]).convert("RGB"))
    assert first.shape == (400, 640, 3)
    assert not np.array_equal(first, np.asarray(Image.open(frames[2]).convert("RGB")))
    assert win.state.current == 50


@pytest.mark.parametrize("answer", [".", "/", "folder", "movie", "movie.mp4"])
def test_dialog_browse_answered_with_a_folder(qtbot, spec, tmp_path: Path, monkeypatch,
                                              answer: str) -> None:
    """Found by the monkey test: Browse… answered with "." (or "/", a folder) raised
    ValueError in Path.with_suffix inside the slot. A folder is refused with a message."""
    from PySide6.QtWidgets import QFileDialog

    (tmp_path / "folder").mkdir()
    dlg = _dialog(qtbot, spec, tmp_path, "mp4")
    before = dlg.path_edit.text()
    path = answer if answer in (".", "/") else str(tmp_path / answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (path, ""))
    dlg._browse()
    if answer.startswith("movie"):
        assert dlg.path_edit.text() == str(tmp_path / "movie.mp4")
    else:
        assert dlg.path_edit.text() == before
        assert "folder" in dlg.status.text()


@pytest.mark.parametrize("size", ex.SIZE_PRESETS)
@pytest.mark.parametrize("view", ["both", "surface", "contour"])
@pytest.mark.parametrize("scenario", ["saddle", "lesson5_sharp_flat"])
def test_the_overlay_fits_every_preset(qtbot, size, view, scenario) -> None:
    """Issue 13 §5: at 640×480 the both-views export cut the update counter and the run
    names; now the box lies inside its area, names stay readable (≥ 6 characters) and the
    text is at least 8 px."""
    from PySide6.QtCore import QRect

    from core.run import simulate_scenario
    from gui.views.scene import run_styles

    s = sc.load(scenario)
    _problem, trajs = simulate_scenario(s)
    t = max(tr.updates for tr in trajs)
    lines = ex.overlay_lines(trajs, run_styles(s.runs), t)
    w, h = size
    width = w // 2 if view == "both" else w
    top = ex_frames.CAPTION_3D if view != "contour" else 0
    area = QRect(0, top, width, h - top)
    lay = ex.overlay_layout(lines, area)
    box = lay.box
    assert box.left() >= area.left() and box.right() <= area.right() + 1, (box, area)
    assert box.top() >= area.top() and box.bottom() <= area.bottom() + 1, (box, area)
    assert lay.px >= 8
    header = lay.lines[0].cells[0]
    assert header == f"update {t} / {t}"
    names = [r[0] for r, d in zip(lay.rows, lay.dots, strict=True) if d]
    assert len(names) == len(s.runs)
    for name, run in zip(names, s.runs, strict=True):
        assert name == run.label or (name.endswith("…") and len(name) >= 7), name
    # the numbers of every run are there (η, B, L)
    text = " ".join(" ".join(r) for r in lay.rows)
    assert text.count("B=") == len(s.runs) and text.count("L=") == len(s.runs)


def test_dialog_asks_before_replacing_a_file(qtbot, spec, tmp_path: Path, monkeypatch) -> None:
    """Issue 13 §5: the dialog overwrote an existing file silently."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    dlg = _dialog(qtbot, spec, tmp_path)
    dlg.every_spin.setValue(50)
    target = Path(dlg.path_edit.text())
    target.write_bytes(b"precious")
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    dlg.start_export()
    assert asked and str(target) in asked[0]
    assert dlg.job is None and target.read_bytes() == b"precious"
    answer[0] = QMessageBox.StandardButton.Yes
    dlg.start_export()
    assert dlg.job is not None
    with qtbot.waitSignal(dlg.job.finished, timeout=30_000):
        pass
    assert target.read_bytes() != b"precious" and len(asked) == 2
    # a path the file dialog returned was confirmed there: not asked again
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dlg._browse()
    dlg.start_export()
    assert len(asked) == 2
    with qtbot.waitSignal(dlg.job.finished, timeout=30_000):
        pass

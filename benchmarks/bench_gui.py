"""GUI benchmarks: print figures. Run under a display:

    xvfb-run -a python benchmarks/bench_gui.py


1. Time per animation frame of a :class:`gui.views.scene.Scene` with 4 runs on a 100×100 surface
   (``set_current``, then the event loop paints the three views) against pyqtgraph alone drawing
   the same items updated with ``setData``: the overhead ratio (goal ≤ 1.25×).
2. Frames per second of the whole window while it plays (scene, inspector, playback bar, status
   bar) with 7 runs on a 51×51 surface (goal ≥ 36 fps): updates shown that every view painted.
3. Latency from an η change to repainted paths.
4. Time from launching ``python main.py`` to a visible window (goal ≤ 1.5 s).
5. The longest event-loop stall during a scripted session (play, edit η, toggle the 3D view,
   open/close the study window, a large study closed while it runs, every lesson; goal under
   100 ms): a 5 ms QTimer's longest gap between ticks (:class:`gui.stallmeter.StallMeter`).
   ``--session`` runs only this one.

Software OpenGL (Mesa llvmpipe) on 2 cores here: a real GPU renders the 3D view far faster.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt  # noqa: E402

QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget  # noqa: E402

APP = QApplication.instance() or QApplication([])

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
import pyqtgraph.opengl as gl  # noqa: E402

from core import scenario as sc  # noqa: E402
from core.present import surface_data  # noqa: E402
from core.run import problem_of, simulate  # noqa: E402
from core.scenario import RunConfig  # noqa: E402
from gui.theme import RUN_COLORS, surface_lut  # noqa: E402
from gui.views.scene import Scene, run_styles  # noqa: E402

SIZE = (1000, 720)


def _scenario(runs: int, steps: int = 400) -> sc.Scenario:
    base = sc.load("saddle")
    cfgs = []
    for i in range(runs):
        cfgs.append(RunConfig(label=f"run {i}", optimizer="momentum" if i % 2 else "gd",
                              hyper=(("lr", 0.02 + 0.01 * i), ("momentum", 0.9)) if i % 2
                              else (("lr", 0.05 + 0.01 * i),),
                              batch_size=[20, 1, 5, 4, 2, 10, 3][i % 7],
                              start=(1.8, 0.05 * i), steps=steps, seed=i))
    return replace(base, runs=tuple(cfgs))


def _layout(surface: QWidget, contour: QWidget, loss: QWidget) -> QWidget:
    host = QWidget()
    v = QVBoxLayout(host)
    top = QHBoxLayout()
    top.addWidget(surface)
    top.addWidget(contour)
    v.addLayout(top, 3)
    v.addWidget(loss, 1)
    host.resize(*SIZE)
    host.show()
    for _ in range(20):
        APP.processEvents()  # benchmark only: let the window map and lay out
    return host


def _time_frames(frame, n: int) -> float:
    """Median seconds per frame over ``n`` frames (after 10 warm-up frames)."""
    for t in range(10):
        frame(t)
    times = []
    for t in range(n):
        t0 = time.perf_counter()
        frame(10 + t)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_scene_vs_pyqtgraph() -> None:
    scenario = _scenario(4)
    problem = problem_of(scenario)
    trajs = simulate(problem, scenario.runs)
    data = surface_data(problem, 100)

    scene = Scene()
    scene.set_data(problem, trajs, run_styles(scenario.runs), surface=data)
    host = _layout(scene.surface, scene.contour, scene.loss)

    def scene_frame(t: int) -> None:
        scene.set_current(t)
        APP.processEvents()  # paint what the frame made dirty, as the event loop would

    t_scene = _time_frames(scene_frame, 120)
    host.close()

    # pyqtgraph alone: the same kinds of items, created once, updated with setData
    glw = gl.GLViewWidget()
    xs, ys, z = data.xs, data.ys, data.z
    zn = (z - z.min()) / (np.ptp(z) or 1.0)
    lut = surface_lut().astype(np.float32) / 255.0
    colors = lut[np.clip((zn * 255).astype(int), 0, 255)].reshape(-1, 4)
    kx = 2.0 / np.ptp(xs)
    surf = gl.GLSurfacePlotItem(x=(xs * kx).astype(np.float32), y=(ys * kx).astype(np.float32),
                                z=(zn * 0.95).astype(np.float32), colors=colors,
                                computeNormals=False, glOptions="opaque")
    glw.addItem(surf)
    verts = []
    lines3d = []
    for tr in trajs:
        loss = (tr.loss - z.min()) / (np.ptp(z) or 1.0)
        v = np.column_stack([tr.theta * kx, loss * 0.95 + 0.02]).astype(np.float32)
        verts.append(v)
        for opts in ("translucent", "additive"):
            item = gl.GLLinePlotItem(pos=v[:1], glOptions=opts, width=2.0, antialias=True)
            glw.addItem(item)
            lines3d.append((item, v))
    markers3d = gl.GLScatterPlotItem(pos=np.zeros((4, 3)), size=12, pxMode=True)
    glw.addItem(markers3d)

    cw = pg.PlotWidget()
    img = pg.ImageItem(axisOrder="col-major")
    img.setImage(lut[np.clip((zn * 255).astype(int), 0, 255)])
    cw.addItem(img)
    cw.addItem(pg.PlotCurveItem(*_contour_xy(xs, ys, z), connect="finite"))
    trails, dots = [], []
    for i, tr in enumerate(trajs):
        pen = pg.mkPen(RUN_COLORS[i], width=2.4)
        cw.addItem(pg.PlotCurveItem(tr.theta[:, 0], tr.theta[:, 1], pen=pg.mkPen(RUN_COLORS[i])))
        trail = pg.PlotCurveItem(pen=pen, antialias=True)
        dot = pg.ScatterPlotItem(size=12)
        cw.addItem(trail)
        cw.addItem(dot)
        trails.append((trail, tr.theta))
        dots.append((dot, tr.theta))
    vec = [pg.PlotCurveItem() for _ in range(3)]
    heads = [pg.ArrowItem() for _ in range(3)]
    for it in (*vec, *heads):
        cw.addItem(it)
    lw = pg.PlotWidget()
    for i, tr in enumerate(trajs):
        lw.plot(tr.loss, pen=pg.mkPen(RUN_COLORS[i], width=2))
        lw.plot(tr.batch_loss, pen=pg.mkPen(RUN_COLORS[i]))
    cursor = pg.InfiniteLine(angle=90)
    lw.addItem(cursor)
    host = _layout(glw, cw, lw)

    def raw_frame(t: int) -> None:
        for item, v in lines3d:
            item.setData(pos=v[: t + 1])
        markers3d.setData(pos=np.array([v[min(t, len(v) - 1)] for v in verts]))
        for (trail, th), (dot, _) in zip(trails, dots, strict=True):
            k = min(t, len(th) - 1)
            trail.setData(th[: k + 1, 0], th[: k + 1, 1])
            dot.setData([th[k, 0]], [th[k, 1]])
        th = trajs[1].theta
        k = min(t, len(th) - 2)
        for j, it in enumerate(vec):
            it.setData([th[k, 0], th[k + 1, 0]], [th[k, 1], th[k + 1, 1] + 0.01 * j])
            heads[j].setPos(th[k + 1, 0], th[k + 1, 1])
        cursor.setValue(t)
        APP.processEvents()

    t_raw = _time_frames(raw_frame, 120)
    host.close()
    print(f"1. frame, 4 runs on 100×100: Scene {t_scene * 1e3:.1f} ms, pyqtgraph alone "
          f"{t_raw * 1e3:.1f} ms → overhead {t_scene / t_raw:.2f}× (goal ≤ 1.25×)")


def _contour_xy(xs, ys, z):
    from gui.views.contour import _contour_lines

    levels = np.linspace(z.min(), z.max(), 17)[1:-1]
    return _contour_lines(xs, ys, z, levels)


def _window(scenario: sc.Scenario, grid: int):
    from PySide6.QtWidgets import QMessageBox

    from gui.state import AppState
    from gui.windows import mainwindow
    from gui.windows.mainwindow import MainWindow

    # closing after edits asks Save / Discard / Cancel: the benchmark discards
    mainwindow.ask_unsaved = lambda *_a: QMessageBox.StandardButton.Discard

    state = AppState()
    state.load_scenario(replace(scenario, view=replace(scenario.view, grid=grid)), sync=True)
    settings = QSettings(str(Path("/tmp") / "descent-lab-bench.ini"), QSettings.Format.IniFormat)
    win = MainWindow(state, settings)
    win.resize(1280, 800)
    win.show()
    for _ in range(20):
        APP.processEvents()
    return win


class _FrameCounter(QObject):
    """Counts frames actually shown: updates of t after which every watched widget painted
    (before the next update)."""

    def __init__(self, widgets: list[QWidget]) -> None:
        super().__init__()
        self._ids = {id(w) for w in widgets}
        self._painted: set[int] | None = None  # widgets painted since the last update
        self.frames = 0
        self.updates = 0
        for w in widgets:
            w.installEventFilter(self)

    def new_update(self, *_: object) -> None:
        """t changed: count the previous update if every widget painted it."""
        self.close()
        self._painted = set()
        self.updates += 1

    def close(self) -> None:
        """Count the last update (call once when the measurement ends)."""
        if self._painted is not None and self._painted == self._ids:
            self.frames += 1
        self._painted = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        painted = self._painted
        if event.type() == QEvent.Type.Paint and painted is not None and id(obj) in self._ids:
            painted.add(id(obj))
        return False


def bench_window_fps(seconds: float = 3.0) -> None:
    """Play for a few seconds (a tick every 16 ms, at most 62.5 fps) and count the frames shown:
    updates that the 3D view, the contour map and the loss plot each painted."""
    from PySide6.QtCore import QEventLoop, QTimer

    win = _window(_scenario(7, steps=400), 51)
    st = win.state
    scene = win.scene
    counter = _FrameCounter([scene.surface.view, scene.contour.viewport(), scene.loss.viewport()])
    st.currentChanged.connect(counter.new_update)
    win.controller.set_speed(62.5)  # one update per 16 ms tick: frames are not skipped
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    t0 = time.perf_counter()
    win.controller.play()
    loop.exec()
    elapsed = time.perf_counter() - t0
    counter.close()
    win.controller.pause()
    fps = counter.frames / elapsed
    print(f"2. window playing, 7 runs on 51×51: {fps:.0f} fps, "
          f"{1e3 / max(fps, 1e-9):.1f} ms per frame, {counter.updates - counter.frames} of "
          f"{counter.updates} updates not painted by every view (goal ≥ 36 fps)")
    win.close()
    st.shutdown()


def bench_eta_latency() -> None:
    win = _window(_scenario(4, steps=200), 101)
    st = win.state
    st.set_selected(1)
    st.set_current(100)
    times = []
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    st.busyChanged.connect(lambda busy: None if busy else loop.quit())
    for k in range(12):
        lr = 0.02 + 0.002 * (k % 6)
        t0 = time.perf_counter()
        st.set_hyper(1, "lr", lr)
        if not st.is_current() or st.busy:
            loop.exec()  # until the worker's result is installed
        APP.processEvents()  # paint
        times.append(time.perf_counter() - t0)
    print(f"3. η change → repainted paths (4 runs × 200 updates): median "
          f"{statistics.median(times[2:]) * 1e3:.1f} ms, max {max(times[2:]) * 1e3:.1f} ms")
    win.close()
    st.shutdown()


def bench_startup() -> None:
    env = dict(os.environ, DESCENT_LAB_QUIT_WHEN_SHOWN="1",
               XDG_CONFIG_HOME=str(Path("/tmp") / "descent-lab-bench-config"))
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert p.stdout is not None
        line = p.stdout.readline()
        times.append(time.perf_counter() - t0)
        p.wait(timeout=30)
        if line.strip() != "shown":
            print(f"4. start-up: the window did not show (exit code {p.returncode})")
            return
    print(f"4. launch → visible window: best {min(times):.2f} s, median "
          f"{statistics.median(times):.2f} s (goal ≤ 1.5 s)")


def _run_loop(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def bench_session_stalls() -> float:
    """Scripted session; prints the longest stall per action and overall (returns it, s)."""
    from gui.stallmeter import StallMeter

    win = _window(sc.load("saddle"), 101)
    _run_loop(500)
    meter = StallMeter(interval_ms=5, snapshot_after=0.1)
    meter.start()
    rows: list[tuple[str, float, str]] = []

    def act(name: str, fn, settle_ms: int = 400) -> None:
        meter.reset()
        meter.mark(name)
        fn()
        _run_loop(settle_ms)
        where = ""
        if meter.worst_stack:
            frames = [ln.strip() for ln in meter.worst_stack.splitlines()
                      if ln.strip().startswith("File")]
            ours = [f for f in frames if str(ROOT) in f and "site-packages" not in f]
            where = " ← ".join(f.split(str(ROOT))[-1].strip('/",') for f in
                               ([frames[-1]] if frames and frames[-1] not in ours[-1:] else [])
                               + ours[-1:])
        rows.append((name, meter.longest, where))

    st = win.state
    act("play 1 s", win.controller.play, 1000)
    act("pause", win.controller.pause)
    for lr in (0.05, 0.2, 0.01, 0.1):
        act(f"η = {lr}", lambda lr=lr: st.set_hyper(st.selected, "lr", lr))
    for _ in range(2):
        act("hide the 3D view", win.panel_actions["surface"].trigger)
        act("show the 3D view", win.panel_actions["surface"].trigger)
    act("open the study", win.lessons.open_study, 1500)
    act("close the study", lambda: win.lessons.study.close())

    def large_study() -> None:
        s = win.lessons.open_study()
        s.seeds_spin.setValue(2000)
        s.run_study()

    act("start a large study", large_study, 1000)
    act("close it while it runs", lambda: win.lessons.study.close())
    for name, a in win.lessons.lesson_actions.items():
        act(f"open {name}", a.trigger, 800)
    act("play 1 s", win.controller.play, 1000)
    act("pause", win.controller.pause)
    meter.stop()
    worst = max(rows, key=lambda r: r[1])
    for name, longest, where in rows:
        print(f"   {name:32s} {longest * 1e3:6.0f} ms  {where}")
    print(f"5. longest event-loop stall of the session: {worst[1] * 1e3:.0f} ms ({worst[0]}); "
          f"median over the actions {statistics.median(r[1] for r in rows) * 1e3:.0f} ms "
          "(goal < 100 ms)")
    win.close()
    st.shutdown()
    return worst[1]


def main() -> None:
    if "--session" in sys.argv[1:]:
        bench_session_stalls()
        return
    bench_scene_vs_pyqtgraph()
    bench_window_fps()
    bench_eta_latency()
    bench_startup()
    bench_session_stalls()


if __name__ == "__main__":
    main()

"""GUI benchmarks: print figures. Run under a display:

    xvfb-run -a python benchmarks/bench_gui.py


1. Time per animation frame of a :class:`gui.views.scene.Scene` with 4 runs on a 100×100 surface
   (``set_current``, then the event loop paints the three views) against pyqtgraph alone drawing
   the same items updated with ``setData``: the overhead ratio (goal ≤ 1.25×).
2. Frames per second of the whole window while it plays (scene, inspector, playback bar, status
   bar) with 7 runs on a 51×51 surface (goal ≥ 36 fps): updates shown that every view painted.
3. Latency from an η slider move to the new path painted by all three views (goal ≤ 16.7 ms),
   and frames dropped while the slider is dragged. ``--eta`` runs only these;
   ``--eta-against REV [--rounds N]`` runs them on this checkout and on commit REV in one
   run (fresh processes, alternating; N rounds, default 2).
4. Time from launching ``python main.py`` to a visible window (goal ≤ 1.5 s).
5. The longest event-loop stall during a scripted session (play, edit η, toggle the 3D view,
   open/close the study window, a large study closed while it runs, every lesson, the theme
   switched, "testing loss" ticked with 16 runs and with N = 10,000, a run added to 16 and to
   48 runs; goal under 100 ms): a 5 ms QTimer's longest gap between ticks
   (:class:`gui.stallmeter.StallMeter`). ``--session`` runs only this one;
   ``--session-against REV [--rounds N]`` runs it on this checkout and on commit REV in one
   run (fresh processes, alternating) and prints each action's stall side by side.

3. also prints the floor: each view repainted with nothing changed (the 3D view rendering its
frame again), i.e. the least a change can cost before any data is touched.

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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# --eta-against runs this script on another commit's code (a worktree given here)
TREE = Path(os.environ.get("DESCENT_LAB_TREE", str(ROOT)))
sys.path.insert(0, str(TREE))

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt  # noqa: E402

QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget  # noqa: E402

APP = QApplication.instance() or QApplication([])

from gui.workers import collect_garbage_on_gui_thread  # noqa: E402

collect_garbage_on_gui_thread()  # as the app does

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
import pyqtgraph.opengl as gl  # noqa: E402

from core import scenario as sc  # noqa: E402
from core.present import surface_data  # noqa: E402
from core.run import problem_of, simulate  # noqa: E402
from core.scenario import RunConfig  # noqa: E402
from gui.theme import RUN_COLORS, surface_lut  # noqa: E402

try:
    from gui.views.scene import Scene, run_styles
except ImportError:  # a commit before gui/ had folders (--eta-against)
    from gui.scene import Scene, run_styles  # type: ignore[no-redef]

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

    try:
        from gui.windows import mainwindow
    except ImportError:  # a commit before gui/ had folders (--eta-against)
        from gui import mainwindow  # type: ignore[no-redef]
    MainWindow = mainwindow.MainWindow

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


class _Repainted(QObject):
    """Whether each watched widget painted since :meth:`reset`."""

    def __init__(self, widgets: list[QWidget]) -> None:
        super().__init__()
        self._ids = {id(w) for w in widgets}
        self._painted: set[int] = set()
        for w in widgets:
            w.installEventFilter(self)

    def reset(self) -> None:
        self._painted = set()

    @property
    def all(self) -> bool:
        return self._painted == self._ids

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and id(obj) in self._ids:
            self._painted.add(id(obj))
        return False


def _views(win) -> list[QWidget]:
    s = win.scene
    return [s.surface.view, s.contour.viewport(), s.loss.viewport()]


def _eta_window() -> tuple[Any, Any, Any]:
    """The η benchmarks' window: 4 runs × 200 updates, run 1 selected at update 100; returns
    (window, state, the η slider)."""
    win = _window(_scenario(4, steps=200), 101)
    st = win.state
    st.set_selected(1)
    st.set_current(100)
    APP.processEvents()
    return win, st, win.controls.editor.lr.slider


def bench_eta_latency(rounds: int = 12) -> float:
    """η of the selected run (4 runs × 200 updates) moved by one slider position: the time
    from the slider's value change until the new path is computed and all three views have
    painted. Returns the median (s)."""
    win, st, slider = _eta_window()
    seen = _Repainted(_views(win))
    # the scene's own work (what the state model decides), without painting
    scene_work: list[float] = []
    depth = [0]
    for name in ("set_trajectories", "set_styles", "set_current"):
        original = getattr(win.scene, name)

        def timed(*args, _original=original, **kwargs):
            depth[0] += 1
            t_in = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:  # (only the outermost call: they call each other)
                    scene_work.append(time.perf_counter() - t_in)

        setattr(win.scene, name, timed)
    times = []
    work = []
    for k in range(rounds + 2):
        trajs = list(st.trajectories)
        seen.reset()
        scene_work.clear()
        pos = slider.value() + (1 if k % 2 == 0 else -1)
        t0 = time.perf_counter()
        slider.setValue(pos)
        deadline = t0 + 10.0
        while time.perf_counter() < deadline and not (
                st.trajectories[1] is not trajs[1] and st.is_current() and not st.busy
                and seen.all):
            APP.processEvents()
        times.append(time.perf_counter() - t0)
        work.append(sum(scene_work))
    med = statistics.median(times[2:])
    print(f"3. η slider moved → new path painted by all 3 views (4 runs × 200 updates): median "
          f"{med * 1e3:.1f} ms, max {max(times[2:]) * 1e3:.1f} ms (goal ≤ 16.7 ms); "
          f"of it the scene's updates (no painting): median "
          f"{statistics.median(work[2:]) * 1e3:.1f} ms")
    floors = _repaint_floors(win, rounds)
    if floors:
        print("   floor, a repaint of each view with nothing changed (median): "
              + ", ".join(f"{k} {v * 1e3:.1f} ms" for k, v in floors.items())
              + f"; together {sum(floors.values()) * 1e3:.1f} ms")
    win.close()
    st.shutdown()
    return med


def _repaint_floors(win, rounds: int) -> dict[str, float]:
    """Median time for each view to repaint with nothing changed: the 3D view renders its
    frame again (cached surface layer, paths, labels: OpenGL, then read back), the 2D plots
    repaint their whole viewport (items drawn from their caches)."""
    s = win.scene
    if not hasattr(s.surface.view, "render_frame"):  # (a commit before the offscreen canvas)
        return {}
    views = {"3D view": (s.surface.view, s.surface.view.update),
             "contour": (s.contour.viewport(), s.contour.viewport().update),
             "loss plot": (s.loss.viewport(), s.loss.viewport().update)}
    out = {}
    for name, (widget, update) in views.items():
        seen = _Repainted([widget])
        times = []
        for _ in range(rounds + 2):
            seen.reset()
            t0 = time.perf_counter()
            update()
            deadline = t0 + 5.0
            while not seen.all and time.perf_counter() < deadline:
                APP.processEvents()
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times[2:])
    return out


def bench_eta_drag(seconds: float = 2.0, tick_ms: int = 16) -> tuple[int, int]:
    """The η slider dragged one position per ``tick_ms`` for ``seconds``: slider moves whose
    path all three views painted before the next move, and the moves (frames dropped = the
    difference). Returns (painted, moves)."""
    from PySide6.QtCore import QEventLoop, QTimer

    win, st, slider = _eta_window()
    counter = _FrameCounter(_views(win))
    slider.valueChanged.connect(counter.new_update)
    timer = QTimer()
    timer.setInterval(tick_ms)
    step = [1]

    def tick() -> None:
        if not slider.minimum() < slider.value() + step[0] < slider.maximum():
            step[0] = -step[0]
        slider.setValue(slider.value() + step[0])

    timer.timeout.connect(tick)
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    timer.start()
    loop.exec()
    timer.stop()
    counter.close()
    due = round(seconds * 1000 / tick_ms)
    print(f"3b. η slider dragged ({tick_ms} ms per move, {seconds:g} s): {counter.updates} of "
          f"{due} moves made, {counter.frames} painted by all 3 views: "
          f"{due - counter.frames} frames dropped")
    win.close()
    st.shutdown()
    return counter.frames, counter.updates


def eta_against(rev: str, rounds: int = 2) -> None:
    """The η figures of this checkout and of ``rev`` in one run: fresh processes, alternating."""
    import re

    def run(tree: Path) -> list[float]:
        env = dict(os.environ, DESCENT_LAB_TREE=str(tree))
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--eta"],
                             env=env, cwd=tree, text=True, capture_output=True, check=False)
        med = re.search(r"painted by all 3 views .*?: median ([0-9.]+) ms", out.stdout)
        work = re.search(r"no painting\): median ([0-9.]+) ms", out.stdout)
        drag = re.search(r"(\d+) of (\d+) moves made, (\d+) painted", out.stdout)
        if med is None or drag is None or work is None:
            raise SystemExit(f"unexpected output from {tree}:\n{out.stdout}{out.stderr}")
        floor = re.search(r"; together ([0-9.]+) ms", out.stdout)  # (not before 593301b)
        # [median ms, frames painted, moves due, scene work ms, floor ms or NaN]
        return [float(med.group(1)), int(drag.group(3)), int(drag.group(2)),
                float(work.group(1)), float(floor.group(1)) if floor else float("nan")]

    from bench_compare import alternate

    old, new = alternate(rev, rounds, run)
    res = {"new": new, "old": old}
    for name, label in (("new", "this checkout"), ("old", rev)):
        rows = res[name]
        meds = ", ".join(f"{r[0]:.1f}" for r in rows)
        drops = ", ".join(f"{int(r[2] - r[1])}/{int(r[2])}" for r in rows)
        works = ", ".join(f"{r[3]:.1f}" for r in rows)
        floors = ", ".join(f"{r[4]:.1f}" for r in rows)
        print(f"{label}: η change → painted, median per round {meds} ms (scene updates "
              f"{works} ms; the three views' repaint floor {floors} ms); drag: frames dropped "
              f"/ due per round {drops}")


def session_against(rev: str, rounds: int = 2) -> None:
    """The scripted session (5.) on this checkout and on ``rev`` in one run: fresh processes,
    alternating; each action's longest stall per round, side by side."""
    import re

    row = re.compile(r"^   (.+?)\s+(\d+) ms")

    def run(tree: Path) -> list[tuple[str, int]]:
        env = dict(os.environ, DESCENT_LAB_TREE=str(tree))
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--session"],
                             env=env, cwd=tree, text=True, capture_output=True, check=False)
        rows = [(m.group(1).strip(), int(m.group(2)))
                for m in map(row.match, out.stdout.splitlines()) if m]
        if not rows:
            raise SystemExit(f"unexpected output from {tree}:\n{out.stdout}{out.stderr}")
        return rows

    from bench_compare import alternate

    old, new = alternate(rev, rounds, run)
    res = {"new": new, "old": old}
    names = [name for name, _ in res["new"][0]]
    print(f"longest stall per action, ms per round: this checkout | {rev}")
    for k, name in enumerate(names):
        new = ", ".join(str(r[k][1]) for r in res["new"] if k < len(r))
        old = ", ".join(str(r[k][1]) for r in res["old"] if k < len(r) and r[k][0] == name)
        print(f"   {name:32s} {new:>16s} | {old}")
    for key, label in (("new", "this checkout"), ("old", rev)):
        worst = [max(ms for _, ms in r) for r in res[key]]
        med = [statistics.median(ms for _, ms in r) for r in res[key]]
        print(f"{label}: longest stall per round {', '.join(map(str, worst))} ms, median over "
              f"the actions {', '.join(f'{m:.0f}' for m in med)} ms (goal < 100 ms)")


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
    act("switch to the light theme", win.theme_actions["light"].trigger, 800)
    act("switch to the dark theme", win.theme_actions["dark"].trigger, 800)
    act("open 16 runs", lambda: st.load_scenario(_scenario(16)), 1500)
    act("tick testing loss (16 runs)", win.option_actions["test_loss"].trigger, 800)
    act("untick testing loss", win.option_actions["test_loss"].trigger, 800)
    act("N = 10,000 examples", lambda: st.set_surface_value("examples", 10_000), 4000)
    act("tick testing loss (N = 10,000)", win.option_actions["test_loss"].trigger, 800)
    act("untick testing loss", win.option_actions["test_loss"].trigger, 800)
    act("add a run (16 → 17)", st.add_run, 800)
    act("open 48 runs", lambda: st.load_scenario(_scenario(48)), 2500)
    act("add a run (48 → 49)", st.add_run, 800)
    act("remove a run (49 → 48)", lambda: st.remove_run(st.selected), 800)
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
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 2
    if "--session-against" in sys.argv[1:]:
        session_against(sys.argv[sys.argv.index("--session-against") + 1], rounds)
        return
    if "--session" in sys.argv[1:]:
        bench_session_stalls()
        return
    if "--eta" in sys.argv[1:]:
        bench_eta_latency()
        bench_eta_drag()
        return
    if "--eta-against" in sys.argv[1:]:
        eta_against(sys.argv[sys.argv.index("--eta-against") + 1], rounds)
        return
    bench_scene_vs_pyqtgraph()
    bench_window_fps()
    bench_eta_latency()
    bench_eta_drag()
    bench_startup()
    bench_session_stalls()


if __name__ == "__main__":
    main()

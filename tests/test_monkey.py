"""Monkey test (issue 9 §2.5): random actions on the real window until something breaks.

A seeded script builds the real :class:`~gui.windows.mainwindow.MainWindow` (like the ``app_window``
fixture) and performs random actions on its real widgets, menus and shortcuts: number boxes
typed with ``nan``, ``inf``, ``1e-320``, ``-824553``, huge values and non-ASCII digits; the
expression field with valid and invalid expressions; play, step, back and scrub; runs added,
removed and duplicated; every lesson; the study and basins windows opened and closed; file
dialogs answered with hostile paths (a deeply nested TOML, a binary file, a folder, a missing
file, a path in a read-only folder). Message boxes return at once and their texts are kept.

It fails on any exception reaching ``sys.excepthook`` or ``threading.excepthook`` (pytest-qt
also fails a test on exceptions in Qt virtual methods and slots), on any Qt warning or critical
message (``qt_log_level_fail = WARNING``), and when one action takes over
:data:`ACTION_LIMIT` seconds: a watchdog thread then prints the seed, the last actions and
every thread's stack, and ends the process (a spinning GUI thread never returns to pytest).

    DESCENT_MONKEY_ACTIONS=10000 DESCENT_MONKEY_SEED=7 python -m pytest tests/test_monkey.py -s

``DESCENT_MONKEY_ACTIONS`` (default 2000, the CI run), ``DESCENT_MONKEY_SEED`` (default 0),
``DESCENT_MONKEY_LOG`` (a file for the action log; default: pytest's tmp folder). The log names
every action with its arguments, so a failure is reproduced by running the same seed.
"""

from __future__ import annotations

import faulthandler
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QtMsgType
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QFileDialog,
    QMessageBox,
    QSlider,
    QSpinBox,
)

from gui.panels.controls import NumberBox
from gui.stallmeter import StallMeter
from gui.windows import mainwindow
from gui.windows.mainwindow import MainWindow
from tests.test_gui_robust import type_text

#: Longest time one action may take (seconds) before the watchdog reports a hang.
ACTION_LIMIT = 10.0

NUMBERS = ["nan", "inf", "-inf", "1e-320", "-1e-320", "-824553", "824553", "1e308", "-1e308",
           "1e999", "9" * 30, "0", "-0", "1", "0.5", "2", "20", "1e-4", "0.001", "0.9", "0.99",
           "-3.5", "1e6", "-1e6", "5e-324", "٣", "１２", "٠٫٥", "½", "1,5", "", "e", "-", ".",
           "1e", "0x10", " 7 ", "−2"]
EXPRESSIONS = ["x**2 + y**2", "x**2 - y**2 + 0.25*y**4", "log(x)", "x**2+y", "((((", "x/0",
               "sqrt(x)", "exp(x*y)", "exp(exp(exp(x)))", "sin(x)*cos(y)", "1/(x**2+y**2)",
               "x**1000", "abs(x) + abs(y)", "", "x +* y", "y", "0", "nan", "x**-1",
               "(1 - x)**2 + 100*(y - x**2)**2", "__import__('os')", "x" * 300, "x**2 + y**2 + z",
               "tanh(x)*y**2", "log(1 + x**2 + y**2)", "x**0.5 + y**0.5"]
STUDY_SIZES = ["1, 2, 5", "full", "0", "-3", "1,1,1", "abc", "", "1, 99999", "20, 10, 5, 1",
               "٣", "1e3"]


_FAILING = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


class Watchdog:
    """Ends the process with a report when one action runs longer than ``limit`` seconds."""

    def __init__(self, limit: float, report: Callable[[], str]) -> None:
        self.limit = limit
        self.report = report
        self._started: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="monkey-watchdog", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2.0)

    def begin(self) -> None:
        self._started = time.perf_counter()

    def end(self) -> None:
        self._started = None

    def _watch(self) -> None:
        while not self._stop.wait(0.25):
            started = self._started
            if started is not None and time.perf_counter() - started > self.limit:
                sys.stderr.write(f"\n\nmonkey: an action took over {self.limit:g} s "
                                 f"(the GUI thread hangs)\n{self.report()}\n\nstacks:\n")
                sys.stderr.flush()
                faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
                sys.stderr.flush()
                os._exit(3)


class Monkey:
    """Random actions on a window; every action is logged before it runs."""

    def __init__(self, window: MainWindow, qtbot, rng: random.Random, files: dict[str, str],
                 log_path: Path, seed: int) -> None:
        self.w = window
        self.qtbot = qtbot
        self.rng = rng
        self.files = files
        self.seed = seed
        self.log: list[str] = []
        self.log_file = log_path.open("w", encoding="utf-8")
        self.durations: list[tuple[float, str]] = []
        self.meter: StallMeter | None = None
        self.actions: list[tuple[str, int, Callable[[], str]]] = [
            ("number box", 14, self.number_box),
            ("spin box", 6, self.spin_box),
            ("expression", 5, self.expression),
            ("combo", 5, self.combo),
            ("checkbox", 4, self.checkbox),
            ("slider", 5, self.slider),
            ("playback", 10, self.playback),
            ("scrub", 4, self.scrub),
            ("runs", 6, self.runs),
            ("lesson", 2, self.lesson),
            ("study", 2, self.study),
            ("basins", 2, self.basins),
            ("file", 4, self.file),
            ("view", 5, self.view),
            ("contour click", 3, self.contour_click),
            ("key", 4, self.key),
            ("dialogs", 1, self.dialogs),
            ("wait", 4, self.wait),
        ]
        self.weights = [w for _, w, _ in self.actions]

    # ------------------------------------------------------------------ helpers
    def record(self, text: str) -> None:
        line = f"{len(self.log):6d} {text}"
        self.log.append(line)
        self.log_file.write(line + "\n")
        self.log_file.flush()

    def tail(self, n: int = 40) -> str:
        return (f"seed {self.seed}, {len(self.durations)} actions done, log "
                f"{self.log_file.name}\n"
                "last actions:\n" + "\n".join(self.log[-n:]))

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def visible(self, cls, root=None):
        root = root if root is not None else self.w
        return [x for x in root.findChildren(cls) if x.isVisible() and x.isEnabled()]

    def step(self) -> None:
        name, _, fn = self.rng.choices(self.actions, self.weights)[0]
        if self.meter is not None:
            self.meter.mark(f"action {len(self.durations)} ({name})")
        self.record(name + " …")
        at = len(self.log) - 1
        t0 = time.perf_counter()
        detail = fn()
        self.qtbot.wait(1)  # the event loop runs after every action: queued slots, painting
        dt = time.perf_counter() - t0
        self.log[at] = self.log[at].replace(" …", f": {detail}  [{dt * 1e3:.0f} ms]")
        self.log_file.write(f"       → {detail}  [{dt * 1e3:.0f} ms]\n")
        self.durations.append((dt, f"{name}: {detail}"))

    # ------------------------------------------------------------------ actions
    def number_box(self) -> str:
        roots = [self.w, *([self.w.lessons.study] if self.w.lessons.study is not None
                           and self.w.lessons.study.isVisible() else [])]
        boxes = [b for r in roots for b in self.visible(NumberBox, r)]
        if not boxes:
            return "no box"
        box = self.pick(boxes)
        text = self.pick(NUMBERS)
        edit = box.lineEdit()
        edit.selectAll()
        type_text(edit, text)
        how = self.rng.random()
        if how < 0.7:
            self.qtbot.keyClick(edit, Qt.Key.Key_Return)
        elif how < 0.85:
            self.qtbot.keyClick(edit, Qt.Key.Key_Up)
        else:
            box.clearFocus()
            box.editingFinished.emit()
        return f"{box.toolTip()[:30]!r} ← {text!r} → {box.value()!r}"

    def spin_box(self) -> str:
        roots = [self.w, *([self.w.lessons.study] if self.w.lessons.study is not None
                           and self.w.lessons.study.isVisible() else [])]
        boxes = [b for r in roots for b in self.visible(QSpinBox, r)]
        if not boxes:
            return "no box"
        box = self.pick(boxes)
        text = self.pick(["1", "0", "2", "5", "20", "9999", "100000", "-1", "٣", "１２", "1e3",
                          "nan", str(self.rng.randrange(1, 300)), "999999999999"])
        edit = box.lineEdit()
        edit.selectAll()
        type_text(edit, text)
        self.qtbot.keyClick(edit, Qt.Key.Key_Return)
        return f"{box.toolTip()[:30]!r} ← {text!r} → {box.value()}"

    def expression(self) -> str:
        edit = self.w.controls.surface.expression
        text = self.pick(EXPRESSIONS)
        edit.selectAll()
        if self.rng.random() < 0.5:
            edit.setText(text)
            edit.textEdited.emit(text)
        else:
            edit.clear()
            type_text(edit, text[:60])
        self.qtbot.keyClick(edit, Qt.Key.Key_Return)
        return repr(text[:60])

    def combo(self) -> str:
        combos = [c for c in self.visible(QComboBox) if c.count()]
        if not combos:
            return "no combo"
        c = self.pick(combos)
        i = self.rng.randrange(c.count())
        c.setCurrentIndex(i)
        c.activated.emit(i)
        return f"{c.toolTip()[:30]!r} → {c.itemText(i)!r}"

    def checkbox(self) -> str:
        boxes = self.visible(QCheckBox)
        if not boxes:
            return "no checkbox"
        b = self.pick(boxes)
        self.qtbot.mouseClick(b, Qt.MouseButton.LeftButton, pos=QPoint(8, b.height() // 2))
        return f"{b.text()!r} → {b.isChecked()}"

    def slider(self) -> str:
        sliders = self.visible(QSlider)
        if not sliders:
            return "no slider"
        s = self.pick(sliders)
        v = self.rng.randint(s.minimum(), s.maximum())
        if self.rng.random() < 0.3:  # a drag: several values
            for k in range(5):
                s.setValue(s.minimum() + (v - s.minimum()) * (k + 1) // 5)
        else:
            s.setValue(v)
        return f"{s.toolTip()[:30]!r} → {v}"

    def playback(self) -> str:
        a = self.pick([self.w.play_action, self.w.step_action, self.w.back_action,
                       self.w.reset_action, self.w.end_action, self.w.play_action])
        a.trigger()
        if self.w.controller.playing and self.rng.random() < 0.5:
            self.qtbot.wait(self.rng.randrange(20, 200))
        return a.text()

    def scrub(self) -> str:
        tl = self.w.playback.timeline
        v = self.rng.randint(tl.minimum(), max(tl.maximum(), tl.minimum()))
        tl.setValue(v)
        if self.rng.random() < 0.3:
            self.w.scene.loss.cursorMoved.emit(self.rng.randint(-5, v + 5))
        return f"t → {v}"

    def runs(self) -> str:
        rl = self.w.controls.runs
        what = self.pick(["add", "add", "duplicate", "remove", "remove", "select", "visible",
                          "Ctrl+N", "Ctrl+D"])
        if what == "add":
            rl.add_button.click()
        elif what == "duplicate":
            rl.duplicate_button.click()
        elif what == "remove":
            if rl.remove_button.isEnabled():
                rl.remove_button.click()
        elif what == "select":
            if rl.list.count():
                rl.list.setCurrentRow(self.rng.randrange(rl.list.count()))
        elif what == "visible":
            if rl.list.count():
                item = rl.list.item(self.rng.randrange(rl.list.count()))
                item.setCheckState(Qt.CheckState.Unchecked
                                   if item.checkState() == Qt.CheckState.Checked
                                   else Qt.CheckState.Checked)
        else:
            self.qtbot.keyClick(self.w, Qt.Key.Key_N if what == "Ctrl+N" else Qt.Key.Key_D,
                                Qt.KeyboardModifier.ControlModifier)
        return f"{what} → {len(self.w.state.scenario.runs)} runs"

    def lesson(self) -> str:
        actions = list(self.w.lessons.lesson_actions.values())
        if self.rng.random() < 0.15:
            g = self.w.lessons.show_lessons()
            self.qtbot.wait(20)
            if self.rng.random() < 0.5 and g.list.count():
                g.list.setCurrentRow(self.rng.randrange(g.list.count()))
                g.open_selected()
            else:
                g.reject()
            return "gallery"
        a = self.pick(actions)
        a.trigger()
        return a.text()

    def study(self) -> str:
        lt = self.w.lessons
        s = lt.study
        what = self.pick(["open", "open", "close", "run", "cancel", "timing", "sizes"])
        if what == "open" or s is None:
            lt.study_action.trigger()
            return "open"
        if what == "close":
            s.close()
        elif what == "run":
            s.study_button.click()
        elif what == "cancel":
            s.study_cancel.click()
            s.timing_cancel.click()
        elif what == "timing":
            s.t_examples_spin.setValue(self.pick([1, 100, 1000, 10000]))
            s.t_repeats_spin.setValue(1)
            s.timing_button.click()
        else:
            s.sizes_edit.setText(self.pick(STUDY_SIZES))
            s.seeds_spin.setValue(self.pick([1, 5, 20, 200, 2000]))
            s.sizes_edit.returnPressed.emit()
        return what

    def basins(self) -> str:
        a = self.pick([self.w.lessons.basins_action, self.w.lessons.basins_compare_action])
        a.trigger()
        if self.rng.random() < 0.3:
            self.w.lessons.update_basins()
        return f"{a.text()} → {a.isChecked()}"

    def file(self) -> str:
        what = self.pick(["open", "open", "save as", "save", "csv", "json", "recent", "new",
                          "undo", "undo", "redo"])
        path = self.pick(list(self.files.values()))
        self.files_next = path
        if what == "open":
            self.w.open_action.trigger()
        elif what == "save as":
            self.w.save_as_action.trigger()
        elif what == "save":
            self.w.save_action.trigger()
        elif what == "new":
            self.w.new_action.trigger()
        elif what == "undo":
            self.w.undo_action.trigger()
        elif what == "redo":
            self.w.redo_action.trigger()
        elif what == "recent":
            acts = self.w.recent_menu.actions()
            if acts:
                self.pick(acts).trigger()
        else:
            self.w.export_trajectories(what)
        return f"{what} {path}"

    def view(self) -> str:
        acts = [*self.w.option_actions.values(), *self.w.panel_actions.values(),
                *self.w.theme_actions.values(), *self.w.grid_actions.values()]
        a = self.pick(acts)
        a.trigger()
        return f"{a.text()} → {a.isChecked()}"

    def contour_click(self) -> str:
        c = self.w.scene.contour
        if not c.isVisible():
            return "hidden"
        vp = c.viewport()
        x, y = self.rng.randrange(vp.width()), self.rng.randrange(vp.height())
        self.qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
        self.qtbot.mouseMove(vp, QPoint(self.rng.randrange(vp.width()),
                                        self.rng.randrange(vp.height())))
        return f"({x}, {y})"

    def key(self) -> str:
        keys = [Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Home,
                Qt.Key.Key_End, Qt.Key.Key_V, Qt.Key.Key_H, Qt.Key.Key_B, Qt.Key.Key_T,
                Qt.Key.Key_A, Qt.Key.Key_E]
        k = self.pick(keys)
        self.w.activateWindow()
        self.qtbot.keyClick(self.w, k)
        return Qt.Key(k).name

    def dialogs(self) -> str:
        what = self.pick(["rules", "about", "export", "camera", "escape", "color"])
        if what == "rules":
            self.w.show_update_rules()
        elif what == "about":
            self.w.show_about()
        elif what == "export":
            self.w.open_export_dialog()
        elif what == "camera":
            self.w.scene.reset_camera()
        elif what == "escape":
            self.w.lessons.escape_action.trigger()
        else:
            self.w.controls.editor.color_button.click()
        return what

    def wait(self) -> str:
        ms = self.pick([5, 20, 50, 150])
        self.qtbot.wait(ms)
        return f"{ms} ms"


def _hostile_files(folder: Path) -> dict[str, str]:
    """The paths the file dialogs answer with ("" is Cancel)."""
    deep = folder / "deep.toml"
    deep.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    deep_tables = folder / "deep_tables.toml"
    deep_tables.write_text("a = " + "{b = " * 2000 + "1" + "}" * 2000 + "\n", encoding="utf-8")
    binary = folder / "binary.toml"
    binary.write_bytes(bytes(range(256)) * 64)
    good = folder / "good.toml"
    from core import scenario as sc

    good.write_text(sc.dumps(sc.load("saddle")), encoding="utf-8")
    bad = folder / "bad_values.toml"
    bad.write_text('[surface]\nexamples = 0\n[[runs]]\nlr = -1\nstart = [nan, inf]\n',
                   encoding="utf-8")
    a_dir = folder / "a_folder.toml"
    a_dir.mkdir()
    ro = folder / "read_only"
    ro.mkdir()
    ro.chmod(0o555)
    paths = {
        "deep": deep, "deep_tables": deep_tables, "binary": binary, "good": good,
        "bad_values": bad, "folder": a_dir, "missing": folder / "missing" / "nothing.toml",
        "read_only": ro / "scenario.toml",
        # root may write in a 0o555 folder: /proc refuses everyone
        "proc": Path("/proc/descent-lab/scenario.toml"),
        "no_suffix": folder / "plain",
        "root": Path("/"),
        "dot": Path("."),
    }
    return {**{k: str(v) for k, v in paths.items()}, "cancel": ""}


def test_monkey(app_window: MainWindow, qtbot, qtlog, tmp_path, monkeypatch,
                request) -> None:
    # pytest-qt fails the test on exceptions in Qt virtual methods and slots: keep it on
    assert not request.config.getini("qt_no_exception_capture")
    n_actions = _env_int("DESCENT_MONKEY_ACTIONS", 2000)
    seed = _env_int("DESCENT_MONKEY_SEED", 0)
    log_path = Path(os.environ.get("DESCENT_MONKEY_LOG") or tmp_path / "monkey.log")
    w = app_window
    files = _hostile_files(tmp_path)
    monkey = Monkey(w, qtbot, random.Random(seed), files, log_path, seed)
    monkey.files_next = ""
    request.addfinalizer(monkey.log_file.close)

    # dialogs answer at once: file dialogs with a hostile path, message boxes "OK"
    boxes: list[str] = []

    def message(kind: str):
        def box(_parent, title, text="", *args, **kwargs):
            boxes.append(f"{kind}: {title}: {text}")
            monkey.record(f"  message box {kind}: {title}: {str(text)[:160]!r}")
            return QMessageBox.StandardButton.Ok
        return box

    for kind in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, message(kind))
    answers = [QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard,
               QMessageBox.StandardButton.Cancel]

    def unsaved(_parent, name, action):  # the Save / Discard / Cancel question
        answer = monkey.pick(answers)
        monkey.record(f"  unsaved {name!r} before {action}: {answer.name}")
        return answer

    monkeypatch.setattr(mainwindow, "ask_unsaved", unsaved)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (monkey.files_next, ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (monkey.files_next, ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: monkey.files_next)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor(
        monkey.pick(["#FF0000", "#00ff00", "not a colour", "#123"])))

    def dialog_exec(dialog: QDialog) -> int:  # modal dialogs: shown, then closed
        dialog.show()
        qtbot.wait(10)
        for b in dialog.findChildren(QAbstractButton):
            if b.isVisible() and b.isEnabled() and monkey.rng.random() < 0.2:
                b.click()
        dialog.reject()
        return 0

    monkeypatch.setattr(QDialog, "exec", dialog_exec)

    # exceptions anywhere fail at once, naming the action
    errors: list[str] = []
    old_sys_hook = sys.excepthook

    def sys_hook(kind, value, tb):
        import traceback

        errors.append("".join(traceback.format_exception(kind, value, tb)))
        old_sys_hook(kind, value, tb)

    def thread_hook(args):
        import traceback

        errors.append(f"in thread {args.thread}: " + "".join(traceback.format_exception(
            args.exc_type, args.exc_value, args.exc_traceback)))

    monkeypatch.setattr(sys, "excepthook", sys_hook)
    monkeypatch.setattr(threading, "excepthook", thread_hook)

    # pytest's faulthandler_timeout (whole test) would dump stacks mid-run for 10,000 actions:
    # the per-action watchdog replaces it
    faulthandler.cancel_dump_traceback_later()
    watchdog = Watchdog(ACTION_LIMIT, monkey.tail)
    meter = StallMeter(interval_ms=10, snapshot_after=0.5)
    monkey.meter = meter
    watchdog.start()
    meter.start()
    t0 = time.perf_counter()
    try:
        for _ in range(n_actions):
            watchdog.begin()
            monkey.step()
            watchdog.end()
            if errors:
                pytest.fail(f"exception after an action\n{monkey.tail()}\n\n{errors[0]}")
            bad = [r for r in qtlog.records if r.type in _FAILING]
            if bad:
                pytest.fail(f"Qt message after an action: {bad[0].message}\n{monkey.tail()}")
        # whatever is still computing is abandoned at once (checked in the finally below)
    finally:
        meter.stop()
        watchdog.stop()
        monkey.log_file.flush()
        # the window is closed after the test: unsaved edits are discarded then (a random
        # Cancel would keep it, and its timers, alive through the next tests)
        monkeypatch.setattr(mainwindow, "ask_unsaved",
                            lambda *_a: QMessageBox.StandardButton.Discard)
        w.controller.pause()
        pools = [w.state._jobs._pool, w.lessons.basins._task._pool]
        if w.lessons.study is not None:
            study = w.lessons.study
            pools += [study.study_task._pool, study.timing_task._pool]
            study.close()
        if w.lessons.network is not None:
            net = w.lessons.network
            pools += [net.task._pool, net.path_task._pool]
            net.close()
        w.state.shutdown()
        w.lessons.shutdown()
        # abandoned computations stop soon (and no worker outlives the test: their shuffle
        # tables would land in the next test's cache, e.g. test_sampler's bounded-cache test)
        qtbot.waitUntil(lambda: all(p.activeThreadCount() == 0 for p in pools), timeout=30000)
    elapsed = time.perf_counter() - t0
    slowest = sorted(monkey.durations, reverse=True)[:5]
    summary = (f"monkey: seed {seed}, {n_actions} actions in {elapsed:.1f} s, "
               f"longest event-loop stall {meter.longest * 1e3:.0f} ms, "
               f"{len(boxes)} message boxes; slowest actions: "
               + "; ".join(f"{d * 1e3:.0f} ms {what[:60]}" for d, what in slowest))
    if meter.worst_stack:
        summary += ("\nlongest stall during: " + meter.label + "\n"
                    + "\n".join(meter.worst_stack.splitlines()[-16:]))
    print(summary)
    monkey.log_file.write(summary + "\n")
    assert not errors

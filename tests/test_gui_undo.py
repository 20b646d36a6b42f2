"""Never lose work: undo/redo of every scenario edit (slider drags merged), and Save / Discard /
Cancel before Quit, Open, New, a lesson or closing the window replaces unsaved edits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core import scenario as sc
from gui.state import AppState
from gui.windows import mainwindow
from gui.windows.mainwindow import MainWindow

B = QMessageBox.StandardButton


def wait_idle(qtbot, state: AppState) -> None:
    qtbot.waitUntil(lambda: state.is_current() and not state.busy, timeout=15000)


def test_undo_and_redo_every_kind_of_edit(state: AppState, qtbot) -> None:
    original = state.scenario
    trajs = state.trajectories
    assert not state.modified and not state.undo_stack.canUndo()
    edits = [lambda: state.set_hyper(0, "lr", 0.03),
             lambda: state.update_run(1, batch_size=2),
             lambda: state.set_optimizer(2, "adam"),
             lambda: state.add_run(),
             lambda: state.remove_run(0),
             lambda: state.set_surface_builtin("quadratic"),
             lambda: state.set_expression("x**2 + y**2"),
             lambda: state.set_surface_value("noise", 0.5)]
    seen = [state.scenario]
    for edit in edits:
        assert edit()
        seen.append(state.scenario)
    assert state.modified
    for expected in reversed(seen[:-1]):
        state.undo()
        assert state.scenario == expected
    assert not state.modified  # back at the saved state
    wait_idle(qtbot, state)
    assert state.scenario == original
    assert [t.theta.tolist() for t in state.trajectories] == [
        t.theta.tolist() for t in trajs]
    for expected in seen[1:]:
        state.redo()
        assert state.scenario == expected
    wait_idle(qtbot, state)
    assert all(t is not None for t in state.trajectories)


def test_removing_and_restoring_a_run_keeps_the_records(state: AppState) -> None:
    thetas = [t.theta for t in state.trajectories]
    assert state.remove_run(1)
    # nothing recomputed: the other runs keep their records (the colour is written out)
    assert [t.theta for t in state.trajectories] == [thetas[0], *thetas[2:]]
    assert state.is_current()
    state.undo()
    assert len(state.trajectories) == 4
    kept = [t is not None and t.theta is th for t, th in zip(state.trajectories, thetas,
                                                              strict=True)]
    assert kept[0] and kept[2] and kept[3]


def test_a_slider_drag_is_one_undo_step(state: AppState) -> None:
    before = state.scenario
    for lr in (0.11, 0.12, 0.13, 0.15, 0.2):
        assert state.set_hyper(0, "lr", lr)
    assert state.undo_stack.count() == 1
    state.undo()
    assert state.scenario == before
    # another setting is another step
    state.set_hyper(0, "lr", 0.2)
    state.update_run(0, seed=3)
    assert state.undo_stack.count() == 2


def test_saving_makes_the_state_clean(state: AppState, tmp_path) -> None:
    state.set_hyper(0, "lr", 0.05)
    assert state.modified
    state.save(tmp_path / "a.toml")
    assert not state.modified
    state.undo()
    assert state.modified  # the file holds η = 0.05
    state.redo()
    assert not state.modified


def test_ctrl_z_and_ctrl_shift_z_in_the_window(app_window: MainWindow, qtbot) -> None:
    st = app_window.state
    before = st.scenario
    st.set_hyper(0, "lr", 0.07)
    after = st.scenario
    app_window.scene.contour.setFocus()
    qtbot.keyClick(app_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert st.scenario == before
    qtbot.keyClick(app_window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert st.scenario == after
    assert app_window.controls.editor.lr.value() == pytest.approx(0.07)


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """Answers the unsaved-changes question with ``asked.answer``; records each action."""

    class Asked(list):
        answer = B.Cancel

    out = Asked()

    def ask(_parent, name, action):
        out.append(action)
        return out.answer

    monkeypatch.setattr(mainwindow, "ask_unsaved", ask)
    return out


@pytest.mark.parametrize("how", ["new", "open", "lesson", "recent", "close"])
def test_unsaved_edits_ask_before_they_are_replaced(app_window: MainWindow, qtbot, asked,
                                                    tmp_path, monkeypatch, how) -> None:
    w = app_window
    other = tmp_path / "other.toml"
    other.write_text(sc.dumps(sc.load("lesson1_epochs")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    w._remember(other)

    def act() -> None:
        if how == "new":
            w.new_action.trigger()
        elif how == "open":
            w.open_action.trigger()
        elif how == "lesson":
            w.open_builtin("lesson2_saddle")
        elif how == "recent":
            w.recent_menu.actions()[0].trigger()
        else:
            w.close()

    # nothing edited: no question
    if how != "close":
        act()
        assert asked == []
    w.state.set_hyper(0, "lr", 0.0123)
    edited = w.state.scenario
    asked.answer = B.Cancel
    act()
    assert len(asked) == 1 and w.state.scenario == edited and w.state.modified
    if how == "close":
        assert w.isVisible()
    # Save: asks for a file name, writes it, then goes on
    saved = tmp_path / "saved.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    saved = w.state.path or saved  # an opened file is saved in place
    asked.answer = B.Save
    act()
    assert saved.exists() and sc.load(saved).runs[0].lr == pytest.approx(0.0123)
    if how == "close":
        assert not w.isVisible()
        return
    assert not w.state.modified  # saved, then replaced by what the action opened
    # Discard: goes on without saving
    w.state.set_hyper(0, "lr", 0.0456)
    asked.answer = B.Discard
    act()
    assert w.state.scenario.runs[0].lr != pytest.approx(0.0456)
    assert not w.state.modified


def test_names_made_from_the_settings_follow_them(app_window: MainWindow, qtbot) -> None:
    """Issue 13 §3: after λ 0.9 → 0.99 and B 5 → 1 the run is "momentum λ=0.99, batch 1" in
    the run list, the legend, the inspector and the export overlay; typed names stay."""
    from gui.export.overlay import overlay_lines
    from gui.views.scene import run_styles

    w = app_window
    st = w.state
    assert st.scenario.runs[3].label == "momentum λ=0.9, batch 5"
    st.set_selected(3)
    st.set_hyper(3, "momentum", 0.99)
    st.update_run(3, batch_size=1)
    name = "momentum λ=0.99, batch 1"
    assert st.scenario.runs[3].label == name
    wait_idle(qtbot, st)
    assert w.controls.runs.list.item(3).text().startswith(name)
    assert w.controls.editor.title().endswith(name)
    assert name in [s.label for s in run_styles(st.scenario.runs)]
    assert st.trajectory(3).config.label == name
    st.set_current(5)
    assert any(name in line.cells for line in overlay_lines(st.trajectories,
                                                      run_styles(st.scenario.runs), 5))
    # full batch: N decides; a GD run follows B
    st.update_run(1, batch_size=20)
    assert st.scenario.runs[1].label == "full batch GD"
    # a typed name stays as typed, whatever changes
    st.update_run(0, label="my run")
    st.set_hyper(0, "lr", 0.02)
    assert st.scenario.runs[0].label == "my run"
    # undo brings the old name back with the old settings
    st.undo()
    st.undo()
    assert st.scenario.runs[0].label == "full batch GD"
    # a new run is named after its settings too
    st.add_run()
    assert st.scenario.runs[-1].label.startswith("momentum λ=0.9, ")

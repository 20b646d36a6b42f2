"""AppState: validation, what is recomputed after which edit, t kept, work off the GUI thread."""

from __future__ import annotations

import numpy as np
import pytest

from core import scenario as sc
from core.run import simulate, simulate_scenario
from gui.state import AppState


def wait_idle(qtbot, state: AppState, timeout: int = 15000) -> None:
    """Until every record and the grid match the settings and the worker is idle."""
    qtbot.waitUntil(lambda: state.is_current() and not state.busy, timeout=timeout)


def test_loaded_scenario_matches_the_engine(state: AppState) -> None:
    scenario = sc.load("saddle")
    _, trajs = simulate_scenario(scenario)
    assert state.is_current()
    assert len(state.trajectories) == len(scenario.runs)
    for mine, ref in zip(state.trajectories, trajs, strict=True):
        assert mine is not None
        np.testing.assert_array_equal(mine.theta, ref.theta)
    assert state.t_max == max(t.updates for t in trajs)
    assert state.surface_data is not None and state.surface_data.z.shape == (101, 101)


def test_bad_value_emits_error_and_changes_nothing(state: AppState, qtbot) -> None:
    before = state.scenario
    trajs = state.trajectories
    with qtbot.waitSignal(state.errorChanged, timeout=1000) as blocker:
        assert not state.set_hyper(0, "lr", -0.5)
    assert "lr" in blocker.args[0] and "-0.5" in blocker.args[0]
    assert state.scenario == before
    assert state.trajectories == trajs
    # a good edit clears the message
    with qtbot.waitSignal(state.errorChanged, timeout=1000) as cleared:
        assert state.set_hyper(0, "lr", 0.05)
    assert cleared.args == [""]


def test_run_edit_recomputes_only_that_run(state: AppState, qtbot) -> None:
    old = state.trajectories
    state.set_current(50)
    assert state.update_run(1, seed=7)
    wait_idle(qtbot, state)
    new = state.trajectories
    assert new[0] is old[0] and new[2] is old[2]
    assert new[1] is not old[1]
    (ref,) = simulate(state.problem, [state.scenario.runs[1]])
    np.testing.assert_array_equal(new[1].theta, ref.theta)
    assert state.current == 50  # t is kept


def test_cosmetic_edit_keeps_the_record(state: AppState, qtbot) -> None:
    old = state.trajectories[0]
    with qtbot.waitSignal(state.runsChanged, timeout=1000):
        state.update_run(0, label="renamed", color="#123456", visible=False)
    tr = state.trajectories[0]
    assert tr is not None and tr.theta is old.theta and tr.config.label == "renamed"


def test_surface_edit_recomputes_everything_and_clamps_t(state: AppState, qtbot) -> None:
    state.set_current(150)
    problem = state.problem
    for i in range(len(state.scenario.runs)):
        state.update_run(i, steps=100)
    wait_idle(qtbot, state)
    assert state.current == 100  # clamped to the new T
    with qtbot.waitSignal(state.surfaceChanged, timeout=15000):
        assert state.set_surface_value("noise", 0.5)
    wait_idle(qtbot, state)
    assert state.problem is not problem and state.problem.noise == 0.5
    _, ref = simulate_scenario(state.scenario)
    for mine, r in zip(state.trajectories, ref, strict=True):
        np.testing.assert_array_equal(mine.theta, r.theta)
    assert state.current == 100


def test_examples_change_keeps_full_batch_runs_full(state: AppState, qtbot) -> None:
    full = [r.batch_size == 20 for r in state.scenario.runs]
    assert state.set_surface_value("examples", 8)
    wait_idle(qtbot, state)
    for was_full, r in zip(full, state.scenario.runs, strict=True):
        assert r.batch_size == 8 if was_full else r.batch_size <= 8


def test_long_work_runs_off_the_gui_thread_and_latest_wins(state: AppState, qtbot) -> None:
    state.update_run(0, steps=20000)
    assert state.busy or state.is_current()
    # a burst of edits while the worker is busy: only the last one counts
    for lr in (0.01, 0.02, 0.03, 0.04):
        state.set_hyper(0, "lr", lr)
    wait_idle(qtbot, state, timeout=30000)
    tr = state.trajectories[0]
    assert tr is not None and tr.config.lr == 0.04 and tr.updates == 20000


def test_grid_option_recomputes_only_the_grid(state: AppState, qtbot) -> None:
    trajs = state.trajectories
    problem = state.problem
    with qtbot.waitSignal(state.surfaceChanged, timeout=15000):
        state.set_options(grid=51)
    wait_idle(qtbot, state)
    assert state.surface_data.z.shape == (51, 51)
    assert state.problem is problem
    assert state.trajectories == trajs
    assert not state.set_options(grid=5)


def test_add_duplicate_remove_keep_colours(state: AppState, qtbot) -> None:
    colours = [state.run_color(i) for i in range(len(state.scenario.runs))]
    assert state.duplicate_run(0)
    wait_idle(qtbot, state)
    n = len(state.scenario.runs)
    assert state.selected == n - 1
    assert state.run_color(n - 1) not in colours
    np.testing.assert_array_equal(state.trajectories[-1].theta, state.trajectories[0].theta)
    assert state.remove_run(0)
    wait_idle(qtbot, state)
    assert [state.run_color(i) for i in range(len(colours) - 1)] == colours[1:]


def test_expression_error_changes_nothing(state: AppState, qtbot) -> None:
    before = state.scenario
    with qtbot.waitSignal(state.errorChanged, timeout=1000) as blocker:
        assert not state.set_expression("x**2 + z")
    assert "unknown name 'z'" in blocker.args[0]
    assert state.scenario == before
    assert state.set_expression("x**2 - y**2 + 0.25*y**4")
    wait_idle(qtbot, state)
    assert state.problem.surface.expression == "x**2 - y**2 + 0.25*y**4"


def test_diverging_run_is_marked(state: AppState, qtbot) -> None:
    state.set_hyper(0, "lr", 1e5)
    wait_idle(qtbot, state)
    tr = state.trajectories[0]
    assert tr.status == "diverged"
    assert "diverged" in state.status_text()
    state.set_current(10**6)
    assert state.current == state.t_max


def test_run_that_cannot_start_reports_why(state: AppState, qtbot) -> None:
    assert state.set_expression("log(x)")
    wait_idle(qtbot, state)
    state.set_start(0, -1.0, 0.0)
    wait_idle(qtbot, state)
    assert state.trajectories[0] is None
    assert "not finite" in state.run_error(0)
    assert "not finite" in state.status_text()


def test_save_is_atomic_and_round_trips(state: AppState, tmp_path, qtbot) -> None:
    state.set_hyper(2, "momentum", 0.5)
    path = tmp_path / "mine.toml"
    state.save(path)
    assert not state.modified and state.path == path
    assert sc.load(path) == state.scenario
    assert not list(tmp_path.glob("*.tmp"))
    with pytest.raises(OSError):
        state.save(tmp_path / "no" / "such" / "dir.toml")

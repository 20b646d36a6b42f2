"""One kind of change, one kind of work: a colour change only restyles, an η change
re-simulates its run and redraws only its path (issue 13 §6)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest


def _count_calls(monkeypatch, obj, name: str, counter: Counter, key: object) -> None:
    original = getattr(obj, name)

    def counted(*args, **kwargs):
        counter[key] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, counted)


@pytest.fixture
def drawn(app_window, monkeypatch, qtbot):
    """Counts of path data set per run in the contour map, 3D view and loss plot."""
    scene = app_window.scene
    # the window has settled: the paths drawn before its layout are re-decimated for its size
    qtbot.waitUntil(lambda: not scene.contour._recell.isActive(), timeout=5_000)
    calls: Counter = Counter()
    for i, items in enumerate(scene.contour._items):
        _count_calls(monkeypatch, items.full, "setData", calls, ("contour", i))
    for i, curves in enumerate(scene.loss._curves):
        _count_calls(monkeypatch, curves.full, "setData", calls, ("loss", i))
    for name in ("set_trajectories", "set_styles"):
        _count_calls(monkeypatch, scene, name, calls, name)
    return calls


def test_colour_change_only_restyles(app_window, drawn) -> None:
    st = app_window.state
    verts = list(app_window.scene.surface._verts)
    assert st.update_run(1, color="#0072B2")
    assert drawn["set_styles"] == 1 and drawn["set_trajectories"] == 0
    assert not any(k for k in drawn if k[0] in ("contour", "loss"))
    assert all(a is b for a, b in zip(app_window.scene.surface._verts, verts, strict=True))
    assert app_window.scene.contour._runs[1].color.upper() == "#0072B2"


def test_eta_change_redraws_only_its_run(app_window, drawn, qtbot) -> None:
    st = app_window.state
    before = list(st.trajectories)
    verts = list(app_window.scene.surface._verts)
    with qtbot.waitSignal(st.trajectoriesChanged, timeout=10_000):
        assert st.set_hyper(1, "lr", st.scenario.runs[1].lr * 0.5)
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=10_000)
    after = st.trajectories
    assert after[1] is not before[1]  # re-simulated …
    assert all(after[i] is before[i] for i in range(len(before)) if i != 1)  # … alone
    assert drawn[("contour", 1)] >= 1 and drawn[("loss", 1)] >= 1
    others = [k for k in drawn if isinstance(k, tuple) and k[1] != 1]
    assert not others, f"redrawn though unchanged: {others}"
    new_verts = app_window.scene.surface._verts
    assert new_verts[1] is not verts[1]
    assert all(new_verts[i] is verts[i] for i in range(len(verts)) if i != 1)


def test_run_added_redraws_everything_it_must(app_window, qtbot) -> None:
    st = app_window.state
    n = len(st.scenario.runs)
    assert st.add_run()
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=10_000)
    assert len(app_window.scene.contour._items) == n + 1
    assert app_window.scene.shows(st.trajectories)


def test_dragged_slider_emits_once_per_event_loop_pass(qtbot) -> None:
    """Slider moves while it is held down are coalesced (latest value wins); released, or
    moved by keys or setValue, it emits at once."""
    from core.optim import OPTIMIZERS
    from gui.panels.controls import ParamRow

    row = ParamRow.for_param(OPTIMIZERS["gd"].param("lr"))
    qtbot.addWidget(row)
    got: list[float] = []
    row.valueChanged.connect(got.append)
    row.slider.setValue(100)
    assert len(got) == 1  # not held: at once
    row.slider.setSliderDown(True)
    for pos in (200, 300, 400):
        row.slider.setValue(pos)
    assert len(got) == 1  # held: nothing yet …
    qtbot.waitUntil(lambda: len(got) == 2)  # … then one emission, of the latest value
    assert got[-1] == pytest.approx(row._from_position(400))
    row.slider.setValue(500)
    row.slider.setSliderDown(False)  # released: the pending move is emitted now
    assert len(got) == 3 and got[-1] == pytest.approx(row._from_position(500))
    assert not row._coalesce.isActive()  # and not again by the timer


def test_view_options_one_mapping(app_window) -> None:
    """The window's options are the scene's (no copy field by field), and the ``[view]``
    table maps to them and back in one place."""
    from dataclasses import replace

    from core.scenario import ViewConfig
    from gui.state import ViewOptions

    st = app_window.state
    assert st.set_options(hessian=True, vectors=False, eta_axis=True)
    assert app_window.scene.options is st.options
    view = ViewConfig(batch_surface=True, test_shift=(0.1, 0.0), show_vectors=False,
                      show_hessian=True, grid=61)
    opts = ViewOptions().from_view(view)
    assert (opts.batch_surface, opts.test_loss, opts.hessian, opts.vectors, opts.grid) == (
        True, True, True, False, 61)
    assert opts.to_view(ViewConfig(test_shift=(0.1, 0.0))) == view
    assert replace(opts, grid=81).to_view(view).grid == 81


def test_computing_shows_only_for_a_long_computation(app_window, qtbot, monkeypatch) -> None:
    """A quick recomputation (an η change) does not flash "computing…" in the status bar;
    one that lasts longer than BUSY_SHOW_MS shows it."""
    from gui.state import AppState

    w = app_window
    texts: list[str] = []
    set_text = w.run_status.setText
    monkeypatch.setattr(w.run_status, "setText", lambda s: (texts.append(s), set_text(s)))
    busy = [True]
    monkeypatch.setattr(AppState, "busy", property(lambda _self: busy[0]))
    w._on_busy(True)
    w._update_status()  # a frame while it computes
    busy[0] = False
    w._on_busy(False)
    assert texts and not any("computing" in s for s in texts)
    busy[0] = True
    w._on_busy(True)
    qtbot.waitUntil(lambda: any("computing" in s for s in texts), timeout=5000)
    busy[0] = False
    w._on_busy(False)
    assert "computing" not in texts[-1]


def test_new_records_show_the_current_update_once(app_window, monkeypatch, qtbot) -> None:
    """An η change puts the views at t once (the scene is given t with the records), and the
    escape action's saddle test waits until the state settles."""
    st = app_window.state
    calls: Counter = Counter()
    _count_calls(monkeypatch, app_window.scene, "set_current", calls, "scene")
    _count_calls(monkeypatch, app_window.lessons, "update_escape", calls, "escape")
    st.set_current(3)
    calls.clear()
    with qtbot.waitSignal(st.trajectoriesChanged, timeout=10_000):
        assert st.set_hyper(1, "lr", st.scenario.runs[1].lr * 0.5)
    assert calls["scene"] == 1
    assert calls["escape"] == 0
    qtbot.waitUntil(lambda: calls["escape"] == 1, timeout=5_000)
    assert app_window.scene.current == 3


def test_theme_change_repalettes_every_widget_without_a_style_sheet(app_window, qtbot) -> None:
    """A theme change sets the application palette only: no window style sheet (re-setting
    one re-polished every widget; keeping one left the widgets with the old palette), every
    widget takes the theme's colours, and muted labels its muted colour."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QLabel, QListWidget

    from gui.theme import theme_named
    from gui.windows.mainwindow import _palette

    muted = [w for w in app_window.findChildren(QLabel) if w.objectName() == "muted"]
    runs = app_window.findChild(QListWidget)
    assert muted and runs is not None
    R = QPalette.ColorRole
    for name in ("light", "dark", "light"):
        app_window.theme_actions[name].trigger()
        assert app_window.styleSheet() == ""
        want = _palette(theme_named(name))
        qtbot.waitUntil(lambda want=want: all(  # (the palette change is delivered by events)
            w.palette().color(R.Window) == want.color(R.Window) for w in (app_window, runs)),
            timeout=5000)
        for widget in (app_window, runs, *muted):
            for role in (R.Window, R.Base, R.WindowText):
                assert widget.palette().color(role) == want.color(role), (widget, role)
        for label in muted:
            assert label.foregroundRole() == R.PlaceholderText
            assert label.palette().color(R.PlaceholderText).name().upper() == \
                theme_named(name).muted.upper()


def test_throttle_runs_once_then_merges_until_its_interval(qtbot) -> None:
    from gui.qtutil import Throttle

    seen: list[int] = []
    value = [0]
    throttle = Throttle(lambda: seen.append(value[0]), 40)
    for v in range(1, 6):
        value[0] = v
        throttle()
    assert seen == [1] and throttle.pending  # the first at once, the others merged
    qtbot.waitUntil(lambda: not throttle.pending, timeout=5_000)
    assert seen == [1, 5]  # one more call, with the last value
    value[0] = 6
    throttle.flush()  # (nothing pending: nothing to do)
    assert seen == [1, 5]


def test_dragged_eta_refreshes_the_display_panels_once_per_interval(
        app_window, monkeypatch, qtbot) -> None:
    """η moved 5 times in a row (a dragged slider): each move re-simulates the run and the
    views redraw it, but the step inspector and the η_t plot (display only) are refreshed at
    most twice meanwhile, and then show the last record."""
    st, ed, insp = app_window.state, app_window.controls.schedule, app_window.inspector
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=10_000)
    st.set_selected(1)
    st.set_current(5)
    calls: Counter = Counter()
    _count_calls(monkeypatch, insp, "refresh", calls, "inspector")
    _count_calls(monkeypatch, ed, "_plot_eta", calls, "eta_t")
    insp.soon._fn = insp.refresh  # (the throttle holds the method it was made with)
    ed.plot_soon._fn = ed._plot_eta
    lr = st.scenario.runs[1].lr
    for k in range(5):
        assert st.set_hyper(1, "lr", lr * (0.9 - 0.1 * k))
        qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=10_000)
    assert calls["inspector"] <= 2 and calls["eta_t"] <= 2
    qtbot.waitUntil(lambda: not insp.soon.pending and not ed.plot_soon.pending, timeout=5_000)
    tr = st.trajectory(1)
    assert tr is not None and tr.config.lr == pytest.approx(lr * 0.5)
    from core.present import step_terms

    want = step_terms(tr, 5)
    assert [name for name, _ in insp.terms] == [name for name, _ in want]
    for (_, got), (_, value) in zip(insp.terms, want, strict=True):
        np.testing.assert_array_equal(got, value)
    _, y = ed.curve.getData()
    assert y[0] == pytest.approx(lr * 0.5)

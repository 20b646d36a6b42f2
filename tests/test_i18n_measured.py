"""Issue 14: the sentences ``core`` writes from measured numbers (the study's and the network
comparison's verdicts, the plane's description, the runs' names) and its error messages appear
in Traditional Chinese under ``zh_TW`` — quoting the numbers measured in this run — and stay
English under ``en``."""

from __future__ import annotations

import html
import re

import pytest

from core import lessons as core_lessons
from core.netsettings import NetworkSettings
from core.texts import TEMPLATES, Text

ZH = "zh_TW"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _numbers(s: str) -> list[str]:
    return sorted(re.findall(r"\d+(?:\.\d+)?(?:e[+-]?\d+)?", s))


def _templates(t: Text) -> list[str]:
    """Every template of a sentence and of its parts."""
    out = [t.template]
    for v in t.args.values():
        for part in v if isinstance(v, tuple) else (v,):
            if isinstance(part, Text):
                out += _templates(part)
    return out


def _check(sentence: Text, shown: str, language: str) -> None:
    """``shown`` (a window's text) holds ``sentence`` in ``language`` with its numbers."""
    from gui.i18n import core_sentence

    rendered = core_sentence(sentence)
    assert rendered in shown or html.escape(rendered) in shown, (rendered, shown)
    assert _numbers(rendered) == _numbers(str(sentence))  # the numbers measured here
    if language == "en":
        assert rendered == str(sentence) and not HAN.search(rendered)
    else:
        assert HAN.search(rendered), rendered
        # every template with words is one the catalogue translates
        for t in _templates(sentence):
            assert t in TEMPLATES or not re.search(r"[a-z]{3}", re.sub(r"\{\w+\}", "", t)), t


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_the_study_verdicts_are_in_the_window_language(qtbot, language) -> None:
    from gui.windows.study_window import StudyWindow

    window = StudyWindow(core_lessons.load_lesson("lesson5_sharp_flat"), run=0)
    qtbot.addWidget(window)
    window.sizes_edit.setText("1, 16")
    window.seeds_spin.setValue(3)
    with qtbot.waitSignal(window.studyFinished, timeout=30_000) as blocker:
        window.run_study()
    c = blocker.args[0].claims
    assert c is not None and len(c.verdicts) == 4
    shown = window.verdict_label.text()
    for v in c.verdicts:
        _check(v.sentence, shown, language)
    # B = 16 always ends in the sharp minimum (lesson 5): the measured shares are quoted
    assert ("B = 16: flat 0 %, sharp 100 %" in shown) == (language == "en")
    assert ("B = 16：盆地 0 %，峽谷 100 %" in shown) == (language == ZH)
    # a bad batch size: the parser's message in the window's language
    window.sizes_edit.setText("1, 99")
    window.run_study()
    status = window.study_status.text()
    assert "1..16" in status and "99" in status
    assert bool(HAN.search(status)) == (language == ZH), status


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_the_network_verdict_plane_and_runs_are_in_the_window_language(qtbot,
                                                                       language) -> None:
    from core.netcli import verdict_texts
    from gui.export.network import PlaneSpec, plane_overlay_lines
    from gui.i18n import core_sentence
    from gui.windows.network_window import NetworkWindow

    w = NetworkWindow(NetworkSettings(hidden="8", batch_sizes="64,full", seeds=2,
                                      stop="updates", stop_value=12, path_every=3,
                                      sharpness_every=4, lr=0.1))
    qtbot.addWidget(w)
    w.grid_spin.setValue(11)
    with qtbot.waitSignal(w.pathsFinished, timeout=60_000):
        assert w.run()
    sentences = verdict_texts(w.result.doc)
    assert len(sentences) >= 4
    for s in sentences:
        _check(s, w.verdict_label.text(), language)
    assert w.verdict_lines() == [core_sentence(s) for s in sentences]  # quoted by lessons
    progress = core_sentence(w._text["run"])  # the progress bar's last words
    assert progress and bool(HAN.search(progress)) == (language == ZH), progress
    _check(w.paths.plane.sentence, w.plane_caption.text(), language)
    combo = [w.inspect_combo.itemText(i) for i in range(w.inspect_combo.count())]
    assert combo and all(bool(HAN.search(t)) == (language == ZH) for t in combo), combo
    full = "完整批次，種子 0" if language == ZH else "full batch, seed 0"
    assert full in combo
    head = plane_overlay_lines(w.paths, 0)[0].cells[0]  # the exported overlay
    assert bool(HAN.search(head)) == (language == ZH), head
    spec = PlaneSpec(w.paths, 0)
    assert bool(HAN.search(spec.describe())) == (language == ZH)
    w.hidden_edit.setText("eight")
    assert not w.run()
    assert "network.hidden" in w.status.text() and "'eight'" in w.status.text()
    assert bool(HAN.search(w.status.text())) == (language == ZH)
    w.close()
    qtbot.waitUntil(lambda: not w.task.running and not w.path_task.running, timeout=20_000)


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_an_expression_error_is_in_the_window_language(language, app_window) -> None:
    state = app_window.state
    assert not state.set_expression("x^2 + zz")
    message = app_window.error_label.text()
    assert "**" in message and "2" in message  # the column of '^'
    if language == "en":
        assert message == "expression: use ** for powers ('^' is not allowed) at column 2"
    else:
        assert HAN.search(message) and "'^'" in message, message
    assert not state.set_expression("x**2 + zz")
    message = app_window.error_label.text()
    assert "'zz'" in message and "8" in message and "pi" in message
    assert bool(HAN.search(message)) == (language == ZH), message


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_hyperparameter_ranges_are_in_the_window_language(qtbot, language) -> None:
    from core.optim import OPTIMIZERS
    from gui.i18n import core_sentence
    from gui.panels.controls import ParamRow

    for p in OPTIMIZERS["momentum"].params:  # η > 0, λ in [0, 1), wd >= 0
        row = ParamRow.for_param(p)
        qtbot.addWidget(row)
        tip = row.toolTip()
        assert p.symbol in tip and core_sentence(p.range_sentence()) in tip
        assert bool(HAN.search(tip)) == (language == ZH), tip
        if p.name == "momentum":
            assert ("in [0, 1)" in tip) == (language == "en")
            assert ("在 [0, 1) 之內" in tip) == (language == ZH)


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_the_saddle_escape_refusal_is_in_the_window_language(language) -> None:
    import numpy as np

    from core.lessons import saddle_near
    from core.run import problem_of
    from core.texts import TextError
    from gui.i18n import error_text

    s = core_lessons.load_lesson("lesson2_saddle")
    with pytest.raises(TextError) as caught:
        saddle_near(problem_of(s), np.array([1.8, 0.0]))  # the start: not at a saddle
    shown = error_text(caught.value)
    assert _numbers(shown) == _numbers(str(caught.value)) and "1.8" in shown
    assert (shown == str(caught.value)) == (language == "en")
    assert bool(HAN.search(shown)) == (language == ZH), shown


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_a_bad_scenario_file_is_refused_in_the_window_language(tmp_path, language) -> None:
    from core import scenario as sc
    from gui.windows.mainwindow import load_error_text

    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(sc.ScenarioError) as caught:
        sc.load(bad)
    shown = load_error_text(bad, caught.value)
    assert str(bad) in shown
    assert (shown == str(caught.value)) == (language == "en")
    assert bool(HAN.search(shown)) == (language == ZH), shown


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_names_made_from_the_settings_follow_them_in_the_window_language(language) -> None:
    """Issue 13 §3 in both languages: the default scenario opens with its runs named in the
    window's language, and those names follow the settings in that language."""
    from core import scenario as sc
    from gui.i18n import localized
    from gui.state import AppState

    st = AppState()
    st.load_scenario(localized(sc.load("saddle")), sync=True)
    zh = language == ZH
    assert st.scenario.runs[3].label == ("動量 λ=0.9，批次 5" if zh else "momentum λ=0.9, batch 5")
    st.set_hyper(3, "momentum", 0.99)
    st.update_run(3, batch_size=1)
    assert st.scenario.runs[3].label == ("動量 λ=0.99，批次 1" if zh
                                         else "momentum λ=0.99, batch 1")
    st.update_run(1, batch_size=20)
    assert st.scenario.runs[1].label == ("完整批次 GD" if zh else "full batch GD")
    st.duplicate_run(1)
    assert st.scenario.runs[-1].label == ("完整批次 GD (副本)" if zh else "full batch GD (copy)")
    st.update_run(len(st.scenario.runs) - 1, batch_size=5)
    assert st.scenario.runs[-1].label == ("批次 5 SGD (副本)" if zh else "batch 5 SGD (copy)")
    st.add_run()
    assert st.scenario.runs[-1].label.startswith("動量 λ=0.9，" if zh else "momentum λ=0.9, ")
    st.update_run(0, label="my run")
    st.set_hyper(0, "lr", 0.02)
    assert st.scenario.runs[0].label == "my run"  # typed: stays as typed


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_why_a_run_cannot_start_is_in_the_window_language(qtbot, language) -> None:
    """A start beyond the divergence bound: the run list's tooltip and the status bar say why,
    in the window's language, with the same numbers as the command line's English."""
    from core import scenario as sc
    from core.run import simulate
    from core.texts import TextError
    from gui.state import AppState

    st = AppState()
    st.load_scenario(sc.load("saddle"), sync=True)
    assert st.update_run(0, start=(9e5, 0.5))
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=10_000)
    error = st.run_error(0)
    with pytest.raises(TextError) as english:
        simulate(st.problem, [st.scenario.runs[0]])
    assert error and _numbers(error) == _numbers(str(english.value))
    assert "900000" in error and error in st.status_text()
    assert bool(HAN.search(error)) == (language == ZH), error
    if language == "en":
        assert error == str(english.value)


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
@pytest.mark.parametrize(("toml", "numbers"), [
    ('[[runs]]\nlr = "fast"\n', []),
    ("[[runs]]\nbatch_size = 99\n", ["20", "20", "99"]),
    ("[surface]\nrange = [[1, 0], [0, 1]]\n", ["0", "0", "1.0", "0.0"]),
    ("[[runs]]\ncolour = 1\n", []),
])
def test_a_bad_value_in_a_scenario_is_refused_in_the_window_language(
        tmp_path, language, toml, numbers) -> None:
    """The values' messages (a hand-edited file): the key named as in the file, the numbers
    as on the command line, the words in the window's language."""
    from core import scenario as sc
    from gui.windows.mainwindow import load_error_text

    bad = tmp_path / "bad.toml"
    bad.write_text(toml, encoding="utf-8")
    with pytest.raises(sc.ScenarioError) as caught:
        sc.load(bad)
    shown = load_error_text(bad, caught.value)
    english = str(caught.value)
    key = english.split(":")[0]
    assert key in shown
    assert all(n in shown for n in numbers)
    assert (english in shown) == (language == "en"), shown
    assert bool(HAN.search(shown)) == (language == ZH), shown


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_a_bad_schedule_is_refused_in_the_window_language(tmp_path, language) -> None:
    from core import scenario as sc
    from gui.windows.mainwindow import load_error_text

    bad = tmp_path / "bad.toml"
    bad.write_text('[[runs]]\n[runs.schedule]\nkind = "step"\nstep_size = 0\n',
                   encoding="utf-8")
    with pytest.raises(sc.ScenarioError) as caught:
        sc.load(bad)
    english = str(caught.value)
    assert english == "bad.toml: runs[0].schedule.step_size: must be an integer >= 1 (got 0)"
    shown = load_error_text(bad, caught.value)
    assert "runs[0].schedule.step_size" in shown and "1" in shown and "0" in shown
    assert (english in shown) == (language == "en"), shown
    assert bool(HAN.search(shown)) == (language == ZH), shown

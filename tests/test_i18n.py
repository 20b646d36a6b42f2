"""Issue 14: the window in Traditional Chinese (繁體中文) through Qt's translation system.

The kept catalogue must hold every text the code marks for translation (a fresh
``pyside6-lupdate`` run finds no text it lacks), every entry translated (no ``unfinished``),
with the same ``{placeholders}`` as the English and the lecture's terms (GLOSSARY.md); every
lesson has its texts in ``[translations.zh_TW]``; and the window really shows them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from core import scenario as sc
from core.lessons import LESSONS
from gui import i18n

ZH = "zh_TW"
HAN = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{[a-z_]*[^{}]*\}")
#: English term → the lecture's Chinese term (resources/i18n/GLOSSARY.md): a translated text
#: whose English has the term uses the Chinese one.
TERMS = {r"\bmomentum\b": "動量", r"\blearning rate\b": "學習率", r"\bsaddle points?\b": "鞍點",
         r"\bgradients?\b": "梯度", r"\blocal minim(um|a)\b": "局部最小值",
         r"\bbatch(es)?\b": "批次"}


def _messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [(ctx.findtext("name") or "", m.findtext("source") or "", m)
            for ctx in root.iter("context") for m in ctx.iter("message")]


@pytest.fixture(scope="module")
def committed() -> list[tuple[str, str, ET.Element]]:
    return _messages(i18n.catalogue(ZH))


def test_the_catalogue_holds_every_marked_text(tmp_path, committed) -> None:
    fresh = tmp_path / "fresh.ts"
    done = i18n.lupdate(fresh)
    assert done.returncode == 0, done.stderr
    found = {(c, s) for c, s, _ in _messages(fresh)}
    kept = {(c, s) for c, s, _ in committed}
    assert len(found) > 50  # lupdate really read the sources
    missing = sorted(found - kept)
    assert not missing, f"not in the catalogue (python -m gui.i18n): {missing[:20]}"
    stale = sorted(kept - found)
    assert not stale, f"no longer in the code (python -m gui.i18n): {stale[:20]}"


def test_every_text_is_translated(committed) -> None:
    unfinished = [(c, s) for c, s, m in committed
                  if m.find("translation").get("type") or not (m.findtext("translation") or "")]
    assert not unfinished, unfinished[:20]


def test_translations_keep_the_placeholders_and_the_lecture_terms(committed) -> None:
    for ctx, source, m in committed:
        zh = m.findtext("translation") or ""
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(zh)), \
            (ctx, source, zh)
        for term, chinese in TERMS.items():
            if re.search(term, source, re.IGNORECASE) and HAN.search(zh):
                assert chinese in zh, (ctx, source, zh, chinese)


def test_every_lesson_has_its_texts_in_traditional_chinese() -> None:
    for name in LESSONS:
        s = sc.load(name)
        zh = s.translations.get(ZH, {})
        wanted = ["title", "description", "lesson_title", "lesson_text", "lesson_watch"]
        for key in wanted:
            english = i18n.scenario_text(s, key) if s.lesson or not key.startswith("lesson_") \
                else ""
            if english:
                assert HAN.search(zh.get(key, "")), (name, key)
        assert "lesson_equation" in zh, name  # (maybe the same formula: no words to translate)
        labels = zh.get("run_labels")
        zh = {k: v for k, v in zh.items() if k != "run_labels"}
        assert labels is not None and len(labels) == len(s.runs), name
        for label, run in zip(labels, s.runs, strict=True):
            assert re.findall(r"\d+(?:\.\d+)?", label) == re.findall(r"\d+(?:\.\d+)?", run.label)
        for key, text in zh.items():  # the numbers of the English are the numbers shown
            english = (getattr(s.lesson, key[7:]) if key.startswith("lesson_")
                       else getattr(s, key))
            nums = lambda t: sorted(re.findall(r"\d+(?:[.,]\d+)*", t))  # noqa: E731
            assert nums(text) == nums(english), (name, key)
            for term, chinese in TERMS.items():  # the lecture's terms (GLOSSARY.md)
                if re.search(term, english, re.IGNORECASE) and HAN.search(text):
                    assert chinese in text, (name, key, chinese)


def test_the_glossary_names_the_lecture_terms() -> None:
    glossary = (i18n.CATALOGUE_DIR / "GLOSSARY.md").read_text(encoding="utf-8")
    for chinese in ("批次", "動量", "學習率", "鞍點", "局部最小值", "梯度", "峽谷", "盆地",
                    "Epoch", "shuffle"):
        rows = [r for r in glossary.splitlines() if r.startswith("|") and chinese in r]
        assert rows, chinese
        assert all(re.search(r"\|\s*\d+\s*\|", r) for r in rows), rows  # a line of the notes


def test_language_choice(gui_settings) -> None:
    from PySide6.QtCore import QLocale

    taiwan = QLocale(QLocale.Language.Chinese, QLocale.Script.TraditionalHanScript,
                     QLocale.Country.Taiwan)
    china = QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedHanScript,
                    QLocale.Country.China)
    assert i18n.system_language(taiwan) == ZH
    assert i18n.system_language(china) == "en"
    assert i18n.chosen_language(None, gui_settings, taiwan) == ZH
    gui_settings.setValue(i18n.SETTINGS_KEY, "en")
    assert i18n.chosen_language(None, gui_settings, taiwan) == "en"  # remembered choice wins
    assert i18n.chosen_language("zh-tw", gui_settings, taiwan) == ZH  # --lang wins over both
    assert i18n.normalize("fr") is None


def test_the_catalogue_compiles_once_per_content(tmp_path) -> None:
    qm = i18n.compiled_catalogue(ZH, tmp_path)
    assert qm.stat().st_size > 1000
    assert i18n.compiled_catalogue(ZH, tmp_path) == qm
    assert len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("language", [ZH], indirect=True)
def test_the_window_speaks_traditional_chinese(qtbot, gui_settings, settings_dir,
                                               language) -> None:
    from PySide6.QtCore import QCoreApplication

    from gui.state import AppState
    from gui.windows.mainwindow import MainWindow

    state = AppState()
    state.load_scenario(sc.load("lesson2_saddle"), sync=True)
    window = MainWindow(state, gui_settings)
    state.setParent(window)
    qtbot.addWidget(window)
    window.open_builtin("lesson2_saddle")  # a built-in opens with its runs' translated names
    assert window.state.scenario.runs[0].label == "完整批次 (B = 20)"
    assert not window.state.modified
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[0] == "檔案(&F)" and all(HAN.search(t) for t in menus), menus
    assert HAN.search(window.windowTitle()), window.windowTitle()
    assert window.bottom_tabs.tabText(1) == "步驟檢視器"
    # Han characters come from a Traditional Chinese font (.ci/setup installs fonts-noto-cjk)
    from PySide6.QtWidgets import QApplication

    assert "Noto Sans CJK TC" in QApplication.font().families()
    from gui.theme import ui_font

    assert "Noto Sans CJK TC" in ui_font().families()
    # Qt's own catalogue: the standard buttons of message boxes and file dialogs
    assert HAN.search(QCoreApplication.translate("QPlatformTheme", "Cancel"))
    window.language_actions["en"].trigger()
    assert gui_settings.value(i18n.SETTINGS_KEY) == "en"
    assert "English" in window.statusBar().currentMessage()
    window.close()


def test_in_english_the_texts_are_the_sources(app_window) -> None:
    assert i18n.current_language() == "en"
    assert app_window.menuBar().actions()[0].text() == "&File"


def test_lang_on_the_command_line_is_checked(capsys) -> None:
    import main

    assert main.cli(["--lang", "fr"]) == main.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "en or zh_TW" in err
    assert main.cli(["--lang"]) == main.EXIT_BAD_INPUT
    assert main._take_lang(["--lang=zh-tw", "saddle"]) == ("zh_TW", ["saddle"])
    assert main._take_lang(["saddle", "--lang", "en"]) == ("en", ["saddle"])


@pytest.mark.parametrize("lang", ["zh_TW", "en"])
def test_the_app_starts_in_the_language_asked_for(tmp_path, lang) -> None:
    """``python main.py --lang zh_TW`` opens the window (in a process of its own) with the
    compiled catalogue: nothing on stderr."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DESCENT_LAB_QUIT_WHEN_SHOWN": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "main.py", "--lang", lang, "saddle"],
                          cwd=Path(i18n.__file__).parent.parent, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "shown" in done.stdout and "cannot be loaded" not in done.stderr, done.stderr
    assert any(tmp_path.joinpath("descent-lab", "i18n").glob("*.qm")) == (lang == ZH)


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_run_messages_follow_the_language(language) -> None:
    from core.run import simulate_scenario

    s = sc.load("lesson2_saddle")
    full = simulate_scenario(s)[1][0]
    assert full.status == "saddle"
    text = i18n.run_message(full)
    if language == "en":
        assert text == full.message and text.startswith("stopped at a saddle point")
    else:
        assert text.startswith("停在鞍點") and "Hessian 的特徵值" in text, text
        # the numbers are the record's
        assert sorted(re.findall(r"\d+(?:\.\d+)?", text)) == sorted(
            re.findall(r"\d+(?:\.\d+)?", full.message))


def test_no_translate_under_another_name() -> None:
    """lupdate finds ``tr``/``translate`` calls only under their own names: an alias
    (``t = QCoreApplication.translate``) would hide its texts from the catalogue."""
    alias = re.compile(r"=\s*(QCoreApplication\.translate|self\.tr)\s*$", re.M)
    for path in i18n.source_files():
        assert not alias.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("language", ["en", ZH], indirect=True)
def test_exported_overlays_follow_the_language(language) -> None:
    from core.run import simulate_scenario
    from gui.export.overlay import overlay_lines
    from gui.views.scene import run_styles

    s = sc.load("lesson1_epochs")
    trajs = simulate_scenario(s)[1]
    lines = overlay_lines(trajs, run_styles(s.runs), 7)
    head, run = lines[0].cells[0], lines[2].cells  # B = 5: 4 batches per epoch
    if language == "en":
        assert head.startswith("update 7 / ") and "epoch 2 · 3/4" in run
    else:
        assert head.startswith("更新 7 / ") and "Epoch 2 · 3/4" in run

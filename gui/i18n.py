"""The window's language (issue 14): English, or Traditional Chinese (繁體中文, ``zh_TW``).

Every text of the window goes through Qt's translation system: ``self.tr("…")`` in a QObject,
``QCoreApplication.translate("context", "…")`` elsewhere and ``QT_TRANSLATE_NOOP`` for constants
(the forms ``pyside6-lupdate`` extracts). The catalogue ``resources/i18n/descentlab_zh_TW.ts``
is kept in the repository; :func:`compiled_catalogue` compiles it with ``pyside6-lrelease`` into
the user's cache folder (once per content of the ``.ts``: a clean clone needs no build step),
and :func:`install_language` loads it with a ``QTranslator``, together with Qt's own
``qtbase_zh_TW.qm`` (standard dialogs: file dialogs, message-box buttons). Lesson texts live in the
scenario files, translated in their ``[translations.zh_TW]`` tables (``core`` stays Qt-free).
Sentences ``core`` writes from measured numbers (the study's and the network's verdicts, the
plane's description, progress, error messages) are :class:`core.texts.Text`: an English template
and its values; :func:`core_sentence` and :func:`error_text` show them in the window's language
with the same numbers (the templates reach the catalogue through :func:`core_texts`).

The language is chosen by ``--lang`` on the command line, else the one chosen in View →
Language (``QSettings`` "language", applied at the next start), else the system's locale.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QStandardPaths,
    QTranslator,
)
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from core.run import Trajectory
from core.run import run_message as core_run_message
from core.scenario import Scenario
from core.texts import Text

__all__ = [
    "CATALOGUE_DIR",
    "CJK_FAMILIES",
    "LANGUAGES",
    "SETTINGS_KEY",
    "catalogue",
    "chosen_language",
    "compiled_catalogue",
    "core_sentence",
    "core_text",
    "core_texts",
    "current_language",
    "error_text",
    "install_language",
    "localized",
    "lupdate",
    "normalize",
    "run_message",
    "scenario_text",
    "source_files",
    "system_language",
    "uninstall_language",
    "with_cjk",
]

#: The languages of the window: code → its own name (as the View → Language menu shows it).
LANGUAGES: dict[str, str] = {"en": "English", "zh_TW": "繁體中文"}
SOURCE_LANGUAGE = "en"
#: The ``QSettings`` key of the language chosen in View → Language.
SETTINGS_KEY = "language"
CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
#: Fonts with Traditional Chinese glyphs, best first (Debian: fonts-noto-cjk).
CJK_FAMILIES = ("Noto Sans CJK TC", "Noto Sans TC", "Noto Sans CJK JP", "Noto Sans CJK SC",
                "WenQuanYi Zen Hei", "AR PL UMing TW", "Microsoft JhengHei", "PingFang TC")
_PROPERTY = "descentlab_language"


def normalize(code: str) -> str | None:
    """``"zh_TW"``, ``"zh-tw"``, ``"zh_Hant"`` → ``"zh_TW"``; ``"en_US"`` → ``"en"``; None when
    the app has no such language."""
    c = code.strip().replace("-", "_").lower()
    if c in ("zh_tw", "zh_hant", "zh_hant_tw", "zh_hk", "zh_mo"):
        return "zh_TW"
    if c == "en" or c.startswith("en_"):
        return "en"
    return None


def system_language(locale: QLocale | None = None) -> str:
    """``zh_TW`` for a Chinese locale in traditional script (Taiwan, Hong Kong, Macao), else
    English."""
    loc = locale if locale is not None else QLocale.system()
    traditional = (loc.script() == QLocale.Script.TraditionalHanScript
                   or loc.territory() in (QLocale.Country.Taiwan, QLocale.Country.HongKong,
                                          QLocale.Country.Macau))
    return "zh_TW" if loc.language() == QLocale.Language.Chinese and traditional else "en"


def chosen_language(cli: str | None = None, settings: QSettings | None = None,
                    locale: QLocale | None = None) -> str:
    """The language to start in: ``cli`` (``--lang``), else the remembered choice, else the
    system's locale."""
    if cli:
        lang = normalize(cli)
        if lang is not None:
            return lang
    if settings is not None:
        lang = normalize(str(settings.value(SETTINGS_KEY, "") or ""))
        if lang is not None:
            return lang
    return system_language(locale)


def catalogue(lang: str) -> Path:
    """The kept ``.ts`` catalogue of ``lang``."""
    return CATALOGUE_DIR / f"descentlab_{lang}.ts"


def _qt_tool(name: str) -> str:
    """PySide6's own ``lrelease`` / ``lupdate`` binary."""
    import PySide6

    return str(Path(PySide6.__file__).resolve().parent / (f"{name}.exe" if os.name == "nt"
                                                          else name))


def _lrelease() -> list[str]:
    """The command that compiles a ``.ts``."""
    return [_qt_tool("lrelease")]


def source_files() -> list[Path]:
    """The files whose texts the catalogue holds: every module of ``gui``."""
    root = CATALOGUE_DIR.parent.parent
    return sorted(p for p in (root / "gui").rglob("*.py") if "__pycache__" not in p.parts)


#: The context of the texts ``core`` shows in the window (:func:`core_texts`).
CORE_CONTEXT = "core"


def core_texts() -> list[str]:
    """The names and help texts of ``core``'s registries the window shows: optimizers and
    their hyperparameters, built-in surfaces, learning-rate schedules, the study's claims and
    verdicts, and the templates of the sentences ``core`` makes from measured numbers
    (:data:`core.texts.TEMPLATES`). ``core`` cannot mark
    them for ``lupdate`` (no Qt there), so :func:`lupdate` adds them to the catalogue in the
    context :data:`CORE_CONTEXT`, and :func:`core_text` translates them."""
    import importlib
    import pkgutil

    import core

    for module in pkgutil.iter_modules(core.__path__):  # every module's templates
        importlib.import_module(f"core.{module.name}")
    from core.optim import OPTIMIZERS
    from core.schedules import SCHEDULES
    from core.study import CLAIMS, VERDICT_STATUSES
    from core.surfaces import BUILTINS
    from core.texts import TEMPLATES

    texts: list[str] = []
    for o in OPTIMIZERS.values():
        texts += [o.title, o.update_rule_text]
        texts += [p.help for p in o.params]
    for s in BUILTINS.values():
        texts += [s.title, s.description, s.noise_help]
    texts += [k.title for k in SCHEDULES.values()]
    texts += [*CLAIMS, *VERDICT_STATUSES]
    texts += sorted(TEMPLATES)
    return list(dict.fromkeys(t for t in texts if t))


def core_text(text: str) -> str:
    """One of :func:`core_texts` in the window's language."""
    return QCoreApplication.translate(CORE_CONTEXT, text)


def core_sentence(sentence: Text) -> str:
    """A sentence ``core`` made from measured numbers (:class:`core.texts.Text`) in the
    window's language, with the same numbers."""
    if current_language() == SOURCE_LANGUAGE:
        return str(sentence)
    return sentence.render(core_text)


def label_translator() -> Callable[[str], str] | None:
    """What names a run after its settings in the window's language
    (:func:`core.scenario.auto_label`'s ``translate``); None in English."""
    return None if current_language() == SOURCE_LANGUAGE else core_text


def error_text(err: BaseException) -> str:
    """An error's one-line message in the window's language: a ``core`` error that carries
    its message as a :class:`core.texts.Text` (``err.sentence``: ``ExpressionError``,
    ``TextError``) is translated; any other keeps its English."""
    sentence = getattr(err, "sentence", None)
    return core_sentence(sentence) if isinstance(sentence, Text) else str(err)


def _core_context(old: str) -> str:
    """The ``.ts`` context of :func:`core_texts`, keeping the translations in ``old``."""
    from xml.sax.saxutils import escape

    kept: dict[str, str] = {}
    for m in re.finditer(r"<context>\s*<name>core</name>(.*?)</context>", old, re.S):
        for msg in re.finditer(r"<source>(.*?)</source>.*?<translation([^>]*)>(.*?)"
                               r"</translation>", m.group(1), re.S):
            if "unfinished" not in msg.group(2):
                kept[html.unescape(msg.group(1))] = html.unescape(msg.group(3))
    q = {'"': "&quot;", "'": "&apos;"}
    rows = []
    for text in core_texts():
        zh = kept.get(text)
        translation = (f"<translation>{escape(zh, q)}</translation>" if zh else
                       '<translation type="unfinished"></translation>')
        rows.append(f"    <message>\n        <source>{escape(text, q)}</source>\n"
                    f"        {translation}\n    </message>\n")
    return f"<context>\n    <name>{CORE_CONTEXT}</name>\n{''.join(rows)}</context>\n"


def lupdate(ts: Path) -> subprocess.CompletedProcess[str]:
    """Extract every ``tr``/``translate``/``QT_TRANSLATE_NOOP`` text of :func:`source_files`
    into ``ts`` (a new file, or merged into an existing one: its translations are kept, texts
    no longer in the sources dropped), and :func:`core_texts`. No line numbers, so edits
    elsewhere leave it alone."""
    old = ts.read_text(encoding="utf-8") if ts.is_file() else ""
    done = subprocess.run([_qt_tool("lupdate"), *map(str, source_files()), "-ts", str(ts),
                           "-locations", "none", "-no-obsolete", "-target-language", "zh_TW"],
                          capture_output=True, text=True, timeout=300, check=False)
    if done.returncode == 0:
        text = ts.read_text(encoding="utf-8")
        text = re.sub(r"<context>\s*<name>core</name>.*?</context>\n", "", text, flags=re.S)
        ts.write_text(text.replace("</TS>", _core_context(old) + "</TS>"), encoding="utf-8")
    return done


def _cache_dir() -> Path:
    where = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericCacheLocation)
    return Path(where or tempfile.gettempdir()) / "descent-lab" / "i18n"


def compiled_catalogue(lang: str, cache_dir: Path | None = None) -> Path:
    """The ``.qm`` of ``lang``'s catalogue, compiled by ``lrelease`` into the cache folder when
    that content was not compiled before (the file name carries a hash of the ``.ts``).

    Raises ``OSError`` when the catalogue is missing or cannot be compiled."""
    source = catalogue(lang)
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = cache_dir if cache_dir is not None else _cache_dir()
    target = folder / f"descentlab_{lang}-{digest}.qm"
    if target.is_file() and target.stat().st_size > 0:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".qm", dir=folder)
    os.close(fd)
    try:
        done = subprocess.run([*_lrelease(), "-silent", str(source), "-qm", tmp],
                              capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0 or os.path.getsize(tmp) == 0:
            raise OSError(f"lrelease could not compile {source.name}: "
                          f"{(done.stderr or done.stdout).strip()[:200]}")
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return target


def scenario_text(scenario: Scenario, key: str) -> str:
    """The scenario's text ``key`` (:data:`core.scenario.TRANSLATED_FIELDS`: ``title``,
    ``description``, ``lesson_title``, ``lesson_text``, ``lesson_watch``,
    ``lesson_equation``) in the window's
    language: its ``[translations.LANG]`` text when there is one, else the English."""
    translated = scenario.translations.get(current_language(), {}).get(key)
    if translated:
        return translated
    if key.startswith("lesson_"):
        return getattr(scenario.lesson, key[len("lesson_"):], "") if scenario.lesson else ""
    return str(getattr(scenario, key))


def run_message(traj: Trajectory) -> str:
    """Why a run stopped or diverged (:func:`core.run.run_message`), in the window's
    language."""
    if not traj.message_args or current_language() == SOURCE_LANGUAGE:
        return traj.message
    words = {  # (spelled out: lupdate reads these calls)
        "stopped": QCoreApplication.translate(
            "run", "stopped at {where_key} θ = ({x}, {y}): ‖∇L‖ = {gnorm} after {steps} "
            "updates; {eig_key}{note_key}"),
        "eig": QCoreApplication.translate("run", "Hessian eigenvalues λ₁ = {l1}, λ₂ = {l2}"),
        "eig not finite": QCoreApplication.translate("run", "the Hessian is not finite"),
        "note saddle": QCoreApplication.translate(
            "run", " (L decreases along the eigenvector of λ₁ < 0)"),
        "note degenerate": QCoreApplication.translate(
            "run", " (an eigenvalue ≈ 0: the Hessian cannot tell its kind)"),
        "note none": "",
        "where minimum": QCoreApplication.translate("run", "a minimum"),
        "where maximum": QCoreApplication.translate("run", "a maximum"),
        "where saddle": QCoreApplication.translate("run", "a saddle point"),
        "where degenerate": QCoreApplication.translate("run", "a degenerate critical point"),
        "where other": QCoreApplication.translate("run", "a critical point"),
        "diverged": QCoreApplication.translate(
            "run", "diverged at update {broke}: {why_key} (η = {lr} may be too large); "
            "{kept_key}"),
        "why bound": QCoreApplication.translate("run", "|θ| > {bound}"),
        "why overflow": QCoreApplication.translate("run", "a value overflowed to inf/NaN"),
        "kept": QCoreApplication.translate("run", "kept updates 0..{last}"),
        "kept start": QCoreApplication.translate("run", "kept only the start"),
    }
    try:
        return core_run_message(traj.message_args, words)
    except (KeyError, IndexError, ValueError):  # a translation with a wrong placeholder
        return traj.message


def localized(scenario: Scenario) -> Scenario:
    """A built-in scenario as it opens in the window's language: its runs named by its
    ``run_labels`` translation (one per run), when it has one."""
    labels = scenario.translations.get(current_language(), {}).get("run_labels")
    if not isinstance(labels, list) or len(labels) != len(scenario.runs):
        return scenario
    return replace(scenario, runs=tuple(replace(r, label=str(label))
                                        for r, label in zip(scenario.runs, labels, strict=True)))


def current_language() -> str:
    """The language the application's texts are in (set by :func:`install_language`)."""
    app = QCoreApplication.instance()
    lang = app.property(_PROPERTY) if app is not None else None
    return str(lang) if lang in LANGUAGES else SOURCE_LANGUAGE


def cjk_family() -> str | None:
    """The first installed font of :data:`CJK_FAMILIES`, if any."""
    families = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in families), None)


def with_cjk(font: QFont) -> QFont:
    """``font`` with the CJK font after its own families when the window's language needs
    one (Han characters then come from the Traditional Chinese font, not from whichever
    font fontconfig falls back to)."""
    if current_language() != "zh_TW":
        return font
    family = cjk_family()
    if family is not None and family not in font.families():
        font.setFamilies([*(font.families() or [font.family()]), family])
    return font


def install_language(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Load ``lang``'s catalogue and Qt's own into ``app`` (nothing for English), and give
    the application font a CJK fallback when the language needs one. Returns the installed
    translators (for :func:`uninstall_language`).

    A catalogue that cannot be loaded leaves the window in English with one line on stderr."""
    translators: list[QTranslator] = []
    app.setProperty(_PROPERTY, SOURCE_LANGUAGE)
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return translators
    qt_own = QTranslator(app)  # qt_zh_TW.qm only names qtbase_zh_TW.qm: load that one
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{lang}", folder) or qt_own.load(f"qt_{lang}", folder):
        app.installTranslator(qt_own)
        translators.append(qt_own)
    ours = QTranslator(app)
    try:
        path = compiled_catalogue(lang)
    except OSError as err:
        print(f"descent-lab: the {LANGUAGES[lang]} texts cannot be loaded: {err}",
              file=sys.stderr)
        return translators
    if not ours.load(str(path)):
        print(f"descent-lab: the {LANGUAGES[lang]} texts cannot be loaded from {path}",
              file=sys.stderr)
        return translators
    app.installTranslator(ours)
    translators.append(ours)
    app.setProperty(_PROPERTY, lang)
    if isinstance(app, QApplication):  # Latin stays as it was; Han from the CJK font
        app.setFont(with_cjk(QFont(app.font())))
    return translators


def uninstall_language(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Undo :func:`install_language` (tests switch languages in one process)."""
    for t in translators:
        app.removeTranslator(t)
    app.setProperty(_PROPERTY, SOURCE_LANGUAGE)
    if isinstance(app, QApplication):
        font = QFont(app.font())
        latin = [f for f in font.families() if f not in CJK_FAMILIES]
        if latin != font.families():
            font.setFamilies(latin or [QFont().family()])
            app.setFont(font)


if __name__ == "__main__":  # python -m gui.i18n: bring the catalogue up to date with the code
    done = lupdate(catalogue("zh_TW"))
    print(done.stdout.strip() or done.stderr.strip())
    sys.exit(done.returncode)

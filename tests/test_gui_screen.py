"""The window on a small screen (1366×768): sized to the available area, its size remembered,
the playback bar, the status bar and the selected run's η, λ, B on screen without scrolling,
readable playback icons, the title without the app name twice."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QWidget

from core import scenario as sc
from gui import qtutil
from gui.panels.labels import SteadyLabel
from gui.panels.playback import media_icon
from gui.state import AppState
from gui.theme import DARK, LIGHT
from gui.windows.mainwindow import MainWindow

SMALL = QRect(0, 0, 1366, 768)


def _open(qtbot, settings, scenario: str = "saddle") -> MainWindow:
    state = AppState()
    state.load_scenario(sc.load(scenario), sync=True)
    window = MainWindow(state, settings)
    state.setParent(window)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    return window


@pytest.fixture
def small_screen(monkeypatch):
    """The window believes its screen offers 1366×768."""
    monkeypatch.setattr(qtutil, "available_area", lambda _w: QRect(SMALL))
    return SMALL


def _on_window(window: MainWindow, w: QWidget) -> bool:
    """``w`` is shown and lies entirely inside the window's (and the screen's) area."""
    if not w.isVisible():
        return False
    top_left = w.mapTo(window, w.rect().topLeft())
    rect = QRect(top_left, w.size())
    return window.rect().contains(rect) and SMALL.contains(
        QRect(window.mapToGlobal(top_left) - window.mapToGlobal(window.rect().topLeft()),
              w.size()))


def _in_view(area: QAbstractScrollArea, w: QWidget) -> bool:
    """``w`` is visible in the scroll area's viewport without scrolling."""
    viewport = area.viewport()
    top_left = w.mapTo(viewport, w.rect().topLeft())
    return w.isVisible() and viewport.rect().contains(QRect(top_left, w.size()))


def _clipped(window: MainWindow) -> list[str]:
    """Texts drawn narrower or lower than they need: buttons, tick boxes, tabs and one-line
    labels shown in the window with less room than their size hint (issue 14: both
    languages)."""
    out = []
    for w in window.findChildren(QWidget):
        if not w.isVisible() or not w.isVisibleTo(window):
            continue
        if isinstance(w, QAbstractButton) and w.text():
            need = w.sizeHint()
        elif isinstance(w, QLabel) and w.text() and not w.wordWrap() and not isinstance(
                w, SteadyLabel) and w.textFormat() != Qt.TextFormat.RichText:
            need = w.minimumSizeHint()
        else:
            continue
        # (a box's own margins may shrink a little: the text's line must fit)
        if w.width() < need.width() - 1 or w.height() < w.fontMetrics().height():
            out.append(f"{type(w).__name__} {w.text()!r}: {w.width()}×{w.height()} < "
                       f"{need.width()}×{need.height()}")
    tabs = window.bottom_tabs.tabBar()
    for i in range(tabs.count()):
        if tabs.tabRect(i).width() < tabs.tabSizeHint(i).width():
            out.append(f"tab {tabs.tabText(i)!r}")
    return out


@pytest.mark.parametrize("language", ["en", "zh_TW"], indirect=True)
@pytest.mark.parametrize("scenario", ["saddle", "lesson5_sharp_flat", "lesson4_momentum_sum"])
def test_every_control_is_on_a_1366x768_screen(qtbot, gui_settings, settings_dir, small_screen,
                                               scenario, tmp_path, language) -> None:
    window = _open(qtbot, gui_settings, scenario)
    assert not _clipped(window), _clipped(window)
    assert window.width() <= SMALL.width() and window.height() <= SMALL.height() - 32
    pb = window.playback
    for w in (pb.reset_button, pb.back_button, pb.play_button, pb.step_button, pb.end_button,
              pb.timeline, pb.counter, pb.speed, window.statusBar(), window.run_status,
              window.scene.surface, window.scene.contour, window.scene.loss, window.menuBar(),
              window.bottom_tabs):
        assert _on_window(window, w), w
    ed = window.controls.editor
    area = window.controls_scroll
    # η, λ (when the optimizer has it) and B of the selected run need no scrolling
    for w in (window.controls.runs.list, ed.label, ed.optimizer, ed.lr, ed.batch, ed.batch_box):
        assert _in_view(area, w), w
    runs = window.state.scenario.runs
    momentum = next((i for i, r in enumerate(runs) if "momentum" in r.params), None)
    if momentum is not None:
        window.state.set_selected(momentum)
        assert _in_view(area, ed.momentum)
    shot = window.grab()  # the screenshot: the whole window is drawn, nothing blank
    assert (shot.width(), shot.height()) == (window.width(), window.height())
    shot.save(str(tmp_path / f"{scenario}-{language}.png"))
    image = shot.toImage()
    assert len({image.pixel(x, image.height() - 12) for x in range(0, image.width(), 7)}) > 1


def test_the_size_is_remembered_and_still_fitted(qtbot, gui_settings, settings_dir,
                                                 small_screen, monkeypatch) -> None:
    window = _open(qtbot, gui_settings)
    window.resize(1000, 600)
    window.close()
    again = _open(qtbot, gui_settings)
    assert (again.width(), again.height()) == (1000, 600)
    again.resize(1350, 730)
    again.close()
    smaller = QRect(0, 0, 1280, 720)  # a smaller screen than the remembered size
    monkeypatch.setattr(qtutil, "available_area", lambda _w: QRect(smaller))
    third = _open(qtbot, gui_settings)
    assert third.width() <= smaller.width() and third.height() <= smaller.height()


def test_title_names_the_app_once(app_window: MainWindow) -> None:
    title = app_window.windowTitle()
    assert title.count("Descent Lab") == 1 and title.endswith("— Descent Lab")
    app_window.state.set_hyper(0, "lr", 0.07)
    assert app_window.isWindowModified()


@pytest.mark.parametrize("theme", [DARK, LIGHT])
def test_playback_icons_contrast_with_the_theme(theme) -> None:
    for kind in ("reset", "back", "play", "pause", "step", "end"):
        image = media_icon(kind, theme.foreground).pixmap(36, 36).toImage()
        ink = [QColor(image.pixel(x, y)) for x in range(image.width())
               for y in range(image.height()) if QColor.fromRgba(image.pixel(x, y)).alpha() > 200]
        assert len(ink) > 40, kind
        bg = QColor(theme.background)
        assert all(abs(c.lightness() - bg.lightness()) > 120 for c in ink), kind


@pytest.mark.parametrize("language", ["en", "zh_TW"], indirect=True)
def test_lesson_5_end_points_show_every_row_and_column(qtbot, gui_settings, settings_dir,
                                                      small_screen, language) -> None:
    """Issue 13 §5: the table showed about one row, its columns cut."""
    window = _open(qtbot, gui_settings, "lesson5_sharp_flat")
    box, table = window.lessons.end_box, window.lessons.end_points.table
    assert window.bottom_tabs.currentWidget() is window.lesson_scroll
    qtbot.waitUntil(lambda: box.isVisible() and table.rowCount() == 5, timeout=5000)
    window.lesson_scroll.ensureWidgetVisible(table)
    qtbot.waitUntil(lambda: _in_view(window.lesson_scroll, table), timeout=3000)
    assert not table.horizontalScrollBar().isVisible()  # every column fits
    viewport = table.viewport().rect()
    for r in range(table.rowCount()):
        assert table.visualRect(table.model().index(r, 5)).bottom() <= viewport.bottom()
        assert table.visualRect(table.model().index(r, 5)).right() <= viewport.right()


def test_space_plays_in_number_boxes_but_types_in_text_fields(app_window: MainWindow,
                                                             qtbot) -> None:
    """Issue 13 §5: Space did nothing while a number box had the focus."""
    w = app_window
    ed = w.controls.editor
    box = ed.lr.box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    before = box.value()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert w.controller.playing
    ed.steps.setFocus()  # an integer box too
    qtbot.waitUntil(ed.steps.hasFocus, timeout=2000)
    qtbot.keyClick(ed.steps, Qt.Key.Key_Space)
    assert not w.controller.playing
    assert box.value() == before
    ed.label.setFocus()
    qtbot.waitUntil(ed.label.hasFocus, timeout=2000)
    ed.label.setText("a")
    ed.label.end(False)
    qtbot.keyClick(ed.label, Qt.Key.Key_Space)
    assert ed.label.text() == "a " and not w.controller.playing


def test_help_dialog_fits_the_screen(monkeypatch, qtbot) -> None:
    """The update rules (780×700 where there is room) fit an 800×600 screen."""
    from gui.windows.help import UpdateRulesDialog

    screen = QRect(0, 0, 800, 600)
    monkeypatch.setattr(qtutil, "available_area", lambda _w: QRect(screen))
    dialog = UpdateRulesDialog()
    qtbot.addWidget(dialog)
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height() - 32

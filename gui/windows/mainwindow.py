"""The main window: 3D | contour on top, the loss plot under them, the playback bar, and a
scrolling right column with the lesson, the controls and the step inspector.

The window wires :class:`gui.state.AppState` (the model) to :class:`gui.views.scene.Scene` (the
views) and to the controls; it owns the menus, the keys, the status bar and the settings
(window geometry, last folder, recent files in ``QSettings``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QKeyEvent,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import scenario as sc
from core.cancel import Cancelled
from core.files import atomic_writer
from core.scenario import ScenarioError
from gui.i18n import (
    LANGUAGES,
    SETTINGS_KEY,
    current_language,
    error_text,
    localized,
    scenario_text,
)
from gui.panels.controls import ControlsPanel
from gui.panels.inspector import StepInspector
from gui.panels.labels import SteadyLabel
from gui.panels.playback import PlaybackBar, PlaybackController
from gui.qtutil import fit_to_screen, window_action
from gui.state import AppState
from gui.tasks import BackgroundTask
from gui.theme import Theme, theme_named
from gui.views._display import format_value
from gui.views.scene import RUNS_PER_TURN, Scene, run_styles
from gui.windows.lesson_tools import LessonTools

__all__ = [
    "APP_NAME",
    "ORGANIZATION",
    "MainWindow",
    "ask_unsaved",
    "fit_to_screen",
    "load_error_text",
]

APP_NAME = "Descent Lab"
ORGANIZATION = "DescentLab"
MAX_RECENT = 8
#: The window's size on a first start (a remembered size wins; both are fitted to the screen).
DEFAULT_SIZE = (1400, 880)
#: "computing…" shows in the status bar only for a computation that lasts longer than this (ms):
#: a quick η change does not flash it and re-lay out the window twice.
BUSY_SHOW_MS = 250
#: File → New opens this built-in scenario.
DEFAULT_SCENARIO = "saddle"


def _palette(theme: Theme) -> QPalette:
    """A Qt palette matching the views' theme."""
    p = QPalette()
    dark = theme.name == "dark"
    bg = QColor("#2A2B31" if dark else "#F3F4F6")
    base = QColor("#1E1F24" if dark else "#FFFFFF")
    fg = QColor(theme.foreground)
    R = QPalette.ColorRole
    for role, color in (
        (R.Window, bg), (R.WindowText, fg), (R.Base, base), (R.AlternateBase, bg),
        (R.Text, fg), (R.Button, QColor("#34363D" if dark else "#E6E8EC")), (R.ButtonText, fg),
        (R.ToolTipBase, base), (R.ToolTipText, fg), (R.Highlight, QColor("#3D7BD9")),
        (R.HighlightedText, QColor("#FFFFFF")), (R.PlaceholderText, QColor(theme.muted)),
        (R.Link, QColor("#6CA8FF" if dark else "#1A5FB4")),
    ):
        p.setColor(role, color)
    p.setColor(QPalette.ColorGroup.Disabled, R.Text, QColor(theme.muted))
    p.setColor(QPalette.ColorGroup.Disabled, R.ButtonText, QColor(theme.muted))
    p.setColor(QPalette.ColorGroup.Disabled, R.WindowText, QColor(theme.muted))
    return p


class MainWindow(QMainWindow):
    """The Descent Lab window. ``state`` is the model; ``scene`` holds the three views."""

    def __init__(self, state: AppState | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state if state is not None else AppState(self)
        self.settings = settings if settings is not None else QSettings(ORGANIZATION, APP_NAME)
        theme_name = str(self.settings.value("theme", self.state.options.theme))
        if theme_name != self.state.options.theme:
            self.state.set_options(theme=theme_name)
        self.scene = Scene(theme_named(self.state.options.theme))
        self.scene.runs_per_turn = RUNS_PER_TURN  # many runs' items made over a few turns
        self.controller = PlaybackController(self.state, self)
        self._file_task = BackgroundTask(self)  # trajectory exports, written off the GUI thread
        self._busy_timer = QTimer(self)  # "computing…" only for a longer computation
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_SHOW_MS)
        self._busy_timer.timeout.connect(self._update_status)
        # lesson panel, basins, end points, escape, study and network windows
        self.lessons = LessonTools(self.state, self.scene.contour, self.controller,
                                   self.settings, self)
        self._build_layout()
        self._build_menus()
        self._build_status()
        self._connect()
        self._apply_theme()
        self._restore_size()
        self._sync_all()
        self._space = _SpacePlays(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus)

    def _on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A number box taking the focus lets Space reach play/pause (see _SpacePlays)."""
        if isinstance(new, QAbstractSpinBox) and self.isAncestorOf(new):
            new.installEventFilter(self._space)  # (installing again changes nothing)

    # ------------------------------------------------------------------ layout
    def _restore_size(self) -> None:
        """The remembered size (``QSettings`` "geometry"), else :data:`DEFAULT_SIZE`; either
        way no larger than the screen's available area, so the playback bar and the status
        bar are on screen."""
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(*DEFAULT_SIZE)
        fit_to_screen(self)

    def _build_layout(self) -> None:
        s = self.scene
        s.surface.setToolTip("")
        s.surface.setMinimumSize(260, 220)
        s.contour.setMinimumSize(260, 220)
        s.loss.setMinimumHeight(110)
        self.top_split = QSplitter(Qt.Orientation.Horizontal)
        self.top_split.addWidget(s.surface)
        self.top_split.addWidget(s.contour)
        self.top_split.setChildrenCollapsible(False)
        self.view_split = QSplitter(Qt.Orientation.Vertical)
        self.view_split.addWidget(self.top_split)
        self.view_split.addWidget(s.loss)
        self.view_split.setStretchFactor(0, 3)
        self.view_split.setStretchFactor(1, 1)
        self.view_split.setChildrenCollapsible(False)
        self.playback = PlaybackBar(self.state, self.controller)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(0)
        lv.addWidget(self.view_split, 1)
        lv.addWidget(self.playback)

        self.lesson = QGroupBox()
        QVBoxLayout(self.lesson).addWidget(self.lessons.lesson_panel)
        self.controls = ControlsPanel(self.state)
        self.inspector = StepInspector(self.state)
        # top of the right column: the runs and the selected run's η, λ, B first (seen
        # without scrolling on a 768-pixel screen), then the surface and the view options
        column = QWidget()
        cv = QVBoxLayout(column)
        cv.setContentsMargins(6, 6, 6, 6)
        cv.setSpacing(6)
        cv.addWidget(self.controls)
        cv.addStretch(1)
        self.controls_scroll = _scroll(column)
        # bottom: the lesson card (with the lesson's end-point table) and the step inspector
        # as tabs, so a lesson never pushes the controls below the fold
        lesson_page = QWidget()
        lp = QVBoxLayout(lesson_page)
        lp.setContentsMargins(4, 4, 4, 4)
        lp.setSpacing(6)
        lp.addWidget(self.lesson)
        lp.addWidget(self.lessons.end_box)
        lp.addStretch(1)
        self.lesson_scroll = _scroll(lesson_page)
        self.inspector_scroll = _scroll(self.inspector)
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.setDocumentMode(True)
        self.bottom_tabs.addTab(self.lesson_scroll, self.tr("Lesson"))
        self.bottom_tabs.addTab(self.inspector_scroll, self.tr("Step inspector"))
        self.bottom_tabs.setMinimumHeight(140)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.controls_scroll)
        self.right.addWidget(self.bottom_tabs)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)
        self.right.setChildrenCollapsible(False)
        self.right.setMinimumWidth(400)
        self.right.setMaximumWidth(560)

        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.addWidget(left)
        self.main_split.addWidget(self.right)
        self.main_split.setStretchFactor(0, 1)
        self.main_split.setStretchFactor(1, 0)
        self.main_split.setChildrenCollapsible(False)
        self.setCentralWidget(self.main_split)
        self.view_split.setSizes([560, 190])
        self.main_split.setSizes([1000, 420])
        self.top_split.setSizes([500, 500])
        self.right.setSizes([460, 300])

    def add_action(self, text: str, slot, shortcut: str | QKeySequence | None = None,
                   checkable: bool = False, tip: str = "") -> QAction:
        """A window-wide action (its shortcut works wherever the focus is in this window)."""
        return window_action(self, text, slot, shortcut, checkable, tip)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu(self.tr("&File"))
        self.new_action = self.add_action(self.tr("&New"), self.new_scenario,
                                          tip=self.tr("a new scenario (the default saddle)"))
        f.addAction(self.new_action)
        self.open_action = self.add_action(self.tr("&Open…"), self.open_dialog,
                                           QKeySequence.StandardKey.Open)
        self.save_action = self.add_action(self.tr("&Save"), self.save_file,
                                           QKeySequence.StandardKey.Save)
        self.save_as_action = self.add_action(self.tr("Save &as…"), self.save_as,
                                              QKeySequence.StandardKey.SaveAs)
        f.addAction(self.open_action)
        self.recent_menu = f.addMenu(self.tr("Open &recent"))
        f.addAction(self.save_action)
        f.addAction(self.save_as_action)
        f.addSeparator()
        f.addAction(self.add_action(self.tr("Export trajectories as &CSV…"),
                                    lambda: self.export_trajectories("csv")))
        f.addAction(self.add_action(self.tr("Export trajectories as &JSON…"),
                                    lambda: self.export_trajectories("json")))
        self.export_action = self.add_action(self.tr("Export &animation…"), self.open_export_dialog,
                                             "Ctrl+E")
        f.addAction(self.export_action)
        f.addSeparator()
        f.addAction(self.add_action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit))

        e = mb.addMenu(self.tr("&Edit"))
        stack = self.state.undo_stack
        self.undo_action = stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for a in (self.undo_action, self.redo_action):
            # window-wide; a text field with the focus undoes its own typing first
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(a)
            e.addAction(a)

        r = mb.addMenu(self.tr("&Run"))
        c = self.controller
        self.play_action = self.add_action(self.tr("&Play / pause"), c.toggle, "Space")
        self.step_action = self.add_action(self.tr("&Step"), c.step, "Right")
        self.back_action = self.add_action(self.tr("Step &back"), c.step_back, "Left")
        self.reset_action = self.add_action(self.tr("&Reset to t = 0"), c.reset, "Home")
        self.end_action = self.add_action(self.tr("Jump to the &end"), c.to_end, "End")
        for a in (self.play_action, self.step_action, self.back_action, self.reset_action,
                  self.end_action):
            r.addAction(a)
        r.addSeparator()
        r.addAction(self.add_action(self.tr("&Add run"), lambda: self.state.add_run(),
                                    "Ctrl+N"))
        r.addAction(self.add_action(self.tr("&Duplicate run"),
                                    lambda: self.state.duplicate_run(self.state.selected),
                                    "Ctrl+D"))
        r.addSeparator()
        r.addAction(self.lessons.escape_action)

        v = mb.addMenu(self.tr("&View"))
        panels = v.addMenu(self.tr("&Panels"))
        self.panel_actions: dict[str, QAction] = {}
        for key, text, widget in (("surface", self.tr("3D surface"), self.scene.surface),
                                  ("contour", self.tr("Contour map"), self.scene.contour),
                                  ("loss", self.tr("Loss plot"), self.scene.loss),
                                  ("controls", self.tr("Controls and inspector"), self.right)):
            a = self.add_action(text, lambda on, w=widget: w.setVisible(on), checkable=True)
            a.setChecked(True)
            panels.addAction(a)
            self.panel_actions[key] = a
        v.addSeparator()
        self.option_actions: dict[str, QAction] = {}
        for key, text, shortcut in (
                ("vectors", self.tr("Step &vectors"), "V"),
                ("hessian", self.tr("&Hessian eigenvectors"), "H"),
                ("batch_surface", self.tr("&Batch loss L_b on the contour map"), "B"),
                ("test_loss", self.tr("&Testing loss on the contour map"), "T")):
            a = self.add_action(text, lambda on, k=key: self.state.set_options(**{k: on}),
                                shortcut, checkable=True)
            v.addAction(a)
            self.option_actions[key] = a
        v.addSeparator()
        v.addAction(self.lessons.basins_action)
        v.addAction(self.lessons.basins_compare_action)
        v.addSeparator()
        theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name, text in (("dark", self.tr("Dark theme")), ("light", self.tr("Light theme"))):
            a = self.add_action(text,
                                lambda _on, n=name: self.state.set_options(theme=n), checkable=True)
            theme_group.addAction(a)
            v.addAction(a)
            self.theme_actions[name] = a
        grid_menu = v.addMenu(self.tr("&Grid resolution"))
        grid_group = QActionGroup(self)
        self.grid_actions: dict[int, QAction] = {}
        for n in (51, 101, 201):
            a = self.add_action(f"{n} × {n}", lambda _on, n=n: self.state.set_options(grid=n),
                                checkable=True)
            grid_group.addAction(a)
            grid_menu.addAction(a)
            self.grid_actions[n] = a
        v.addAction(self.add_action(self.tr("Reset &camera"), self.scene.reset_camera, "Ctrl+0"))
        v.addSeparator()
        # the language is applied at the next start (every text is translated when built)
        lang_menu = v.addMenu(self.tr("&Language (after a restart)"))
        lang_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        chosen = str(self.settings.value(SETTINGS_KEY, "") or current_language())
        for code, own_name in LANGUAGES.items():
            a = self.add_action(own_name, lambda _on, c=code: self.choose_language(c),
                                checkable=True)
            a.setChecked(code == chosen)
            lang_group.addAction(a)
            lang_menu.addAction(a)
            self.language_actions[code] = a

        tools = mb.addMenu(self.tr("&Tools"))
        tools.addAction(self.lessons.study_action)
        tools.addAction(self.lessons.network_action)
        self.lessons.fill_lessons_menu(mb.addMenu(self.tr("&Lessons")))

        h = mb.addMenu(self.tr("&Help"))
        h.addAction(self.lessons.gallery_action)
        h.addAction(self.add_action(self.tr("&Update rules"), self.show_update_rules, "F1"))
        h.addAction(self.add_action(self.tr("&About Descent Lab"), self.show_about))
        self._refresh_recent()

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.hover_label = SteadyLabel()  # follows the mouse
        self.hover_label.setMinimumWidth(260)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #FF6B6B;")
        self.run_status = SteadyLabel()  # changes every frame while playing
        sb.addWidget(self.hover_label)
        sb.addWidget(self.error_label, 1)
        sb.addPermanentWidget(self.run_status)

    # ------------------------------------------------------------------ wiring
    def _connect(self) -> None:
        st, scene = self.state, self.scene
        st.surfaceChanged.connect(self._on_surface)
        st.trajectoriesChanged.connect(self._on_trajectories)
        st.runsChanged.connect(self._on_runs)
        st.currentChanged.connect(self._on_current)
        st.selectionChanged.connect(scene.set_selected)
        st.optionsChanged.connect(self._on_options)
        st.errorChanged.connect(self.error_label.setText)
        st.busyChanged.connect(self._on_busy)
        st.fileChanged.connect(lambda _p: self._update_title())
        st.modifiedChanged.connect(lambda _m: self._update_title())
        st.scenarioChanged.connect(self._on_scenario)
        self.lessons.lessonRequested.connect(self.open_builtin)
        self.lessons.message.connect(self.statusBar().showMessage)
        self.lessons.endPointsToggled.connect(self.refresh_lesson_tab)
        scene.contour.pointClicked.connect(self._on_contour_click)
        scene.contour.startDragged.connect(self._on_start_drag)
        scene.contour.startDragFinished.connect(self._on_start_drag)
        scene.contour.hovered.connect(self._on_hover)
        scene.loss.cursorMoved.connect(self._on_cursor)
        self.controller.playingChanged.connect(self.inspector.set_throttled)

    def _sync_all(self) -> None:
        """Bring everything in line with the state (after construction)."""
        self._on_options()
        if self.state.problem is not None and self.state.surface_data is not None:
            self._on_surface()
        self._on_trajectories()
        self.scene.set_selected(self.state.selected)
        self._on_scenario()
        self.lessons.refresh_end_points()  # (a lesson opened at start-up shows its table)
        self._update_title()

    def _on_surface(self) -> None:
        st = self.state
        if st.problem is None or st.surface_data is None:
            return
        self.scene.set_surface(st.problem, st.surface_data, st.scenario.view.test_shift)

    def _on_trajectories(self) -> None:
        st = self.state
        self.scene.set_trajectories(st.trajectories, run_styles(st.scenario.runs), st.current)
        self._update_status()

    def _on_runs(self) -> None:
        """Labels, colours or visibility changed: only restyle (``Scene.set_styles``), unless
        the runs' records moved too (a run added or removed)."""
        st = self.state
        if self.scene.shows(st.trajectories):
            self.scene.set_styles(run_styles(st.scenario.runs))
            self._update_status()
        else:
            self._on_trajectories()

    def _on_current(self, t: int) -> None:
        self.scene.set_current(t)
        self._update_status()

    def _on_options(self) -> None:
        o = self.state.options
        self.scene.set_options(o)
        for key, a in self.option_actions.items():
            a.blockSignals(True)
            a.setChecked(bool(getattr(o, key)))
            a.blockSignals(False)
        for n, a in self.grid_actions.items():
            a.setChecked(n == o.grid)
        for name, a in self.theme_actions.items():
            a.setChecked(name == o.theme)
        if getattr(self, "_theme_name", None) != o.theme:
            self._apply_theme()

    def _apply_theme(self) -> None:
        name = self.state.options.theme
        self._theme_name = name
        theme = theme_named(name)
        self.scene.set_theme(theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(_palette(theme))
        # no window style sheet: the muted labels (gui.theme.mute) take the palette's
        # placeholder colour; re-setting a style sheet here re-polished every widget
        self.settings.setValue("theme", name)

    def _on_scenario(self) -> None:
        s = self.state.scenario
        lesson = s.lesson
        # the panel writes the lesson's own title; the box names a scenario without one
        self.lesson.setTitle(self.tr("Lesson") if lesson is not None
                             else (scenario_text(s, "title") or self.tr("Scenario")))
        self.lessons.show_scenario()
        # the text describes the surface the scenario came with: hide it once that changed
        self.lesson.setVisible(s.surface == self.state.loaded_scenario.surface)
        self.refresh_lesson_tab()
        self._update_title()

    def refresh_lesson_tab(self) -> None:
        """The Lesson tab is there while there is something to read in it (the lesson card or
        the end-point table); a newly opened scenario with a lesson shows it first (the
        inspector is one click away)."""
        on = ((not self.lesson.isHidden() and not self.lessons.lesson_panel.isHidden())
              or not self.lessons.end_box.isHidden())
        tabs = self.bottom_tabs
        tabs.setTabVisible(tabs.indexOf(self.lesson_scroll), on)
        scenario = self.state.loaded_scenario
        if on and getattr(self, "_lesson_for", None) is not scenario:
            tabs.setCurrentWidget(self.lesson_scroll)
        elif not on:
            tabs.setCurrentWidget(self.inspector_scroll)
        self._lesson_for = scenario

    def _on_contour_click(self, x: float, y: float) -> None:
        """A click on the map moves the selected run's start θ⁰ there."""
        if self.state.scenario.runs:
            self.state.set_start(self.state.selected, x, y)

    def _on_start_drag(self, index: int, x: float, y: float) -> None:
        """Dragging a start marker moves that run's θ⁰; the path follows live."""
        if index != self.state.selected:
            self.state.set_selected(index)
        self.state.set_start(index, x, y)

    def _on_hover(self, x: float, y: float) -> None:
        p = self.state.problem
        text = f"θ = ({format_value(x, 3)}, {format_value(y, 3)})"
        if p is not None:
            with np.errstate(all="ignore"):
                loss = float(p.loss(np.array([x, y])))
            text += f"   L = {format_value(loss, 4)}"
        self.hover_label.setText(text)

    def _on_cursor(self, t: int) -> None:
        self.controller.pause()
        self.state.set_current(t)

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self._update_status()

    def _update_status(self) -> None:
        text = self.state.status_text()
        if self.state.busy and not self._busy_timer.isActive():
            text = self.tr("computing…  {status}").format(status=text)
        # Per frame this must not re-lay out the status bar (that repaints the whole window
        # through OpenGL): the label's size only grows, its style changes only with the warning.
        label = self.run_status
        label.setText(text)
        style = "color: #FF6B6B;" if "⚠" in text else ""
        if style != label.styleSheet():
            label.setStyleSheet(style)

    def _update_title(self) -> None:
        path = self.state.path
        name = path.name if path else (scenario_text(self.state.scenario, "title")
                                        or self.tr("untitled"))
        # Qt appends the application's display name unless the title already ends with it
        # (QPlatformWindow::formatWindowTitle): ending with it, it is never doubled, and it is
        # there without a display name too. [*]: where Qt shows the modified mark.
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(self.state.modified)

    # -------------------------------------------------------------------- files
    def _last_folder(self) -> str:
        return str(self.settings.value("last_folder", str(Path.home())))

    def _remember(self, path: Path) -> None:
        self.settings.setValue("last_folder", str(path.parent))
        recent = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self._refresh_recent()

    def recent_files(self) -> list[str]:
        """Recently opened or saved scenario files, newest first."""
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for p in files:
            self.recent_menu.addAction(Path(p).name, lambda p=p: self.open_recent(p)).setToolTip(p)
        self.recent_menu.setEnabled(bool(files))

    def maybe_save(self, action: str) -> bool:
        """Before ``action`` ("quit", "open a file", …) replaces unsaved edits: ask Save /
        Discard / Cancel. True: go on (saved, or discarded); False: stay."""
        if not self.state.modified:
            return True
        self.controller.pause()
        name = self.state.path.name if self.state.path else (
            scenario_text(self.state.scenario, "title") or self.tr("untitled"))
        answer = ask_unsaved(self, name, action)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_file()
        return answer == QMessageBox.StandardButton.Discard

    def new_scenario(self) -> None:
        """File → New: the default scenario, without a file name."""
        if not self.maybe_save(self.tr("start a new scenario")):
            return
        self.controller.pause()
        self.state.load_scenario(localized(sc.load(DEFAULT_SCENARIO)), None)

    def open_dialog(self) -> None:
        """File → Open: choose a scenario file."""
        if not self.maybe_save(self.tr("open another scenario")):
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open scenario"), self._last_folder(),
                                              file_filter())
        if path:
            self.open_path(path)

    def open_recent(self, path: str) -> bool:
        """File → Open recent (asks about unsaved edits first)."""
        return self.maybe_save(self.tr("open another scenario")) and self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        """Open a scenario file; a bad one shows the engine's message and keeps the current.

        Any error of loading (not only :class:`ScenarioError`: e.g. a ``RecursionError`` of a
        deeply nested file) becomes a message box; none escapes the slot."""
        self.controller.pause()
        try:
            self.state.open_file(path)
        except Exception as err:  # every loader error is shown, the current scenario stays
            QMessageBox.critical(self, self.tr("Cannot open scenario"), load_error_text(path, err))
            return False
        self._remember(Path(path))
        return True

    def open_builtin(self, name: str) -> None:
        """Lessons menu: a scenario shipped with the app (saved elsewhere with Save as)."""
        if not self.maybe_save(self.tr("open the lesson")):
            return
        self.controller.pause()
        try:
            scenario = localized(sc.load(name))
            self.state.load_scenario(scenario, None)
        except Exception as err:  # as open_path: a message, never an escaping exception
            QMessageBox.critical(self, self.tr("Cannot open scenario"), load_error_text(name, err))

    def save_file(self) -> bool:
        """File → Save (Save as when the scenario has no file yet)."""
        if self.state.path is None:
            return self.save_as()
        return self._save_to(self.state.path)

    def save_as(self) -> bool:
        """File → Save as."""
        start = str(Path(self._last_folder()) / (self.state.path.name if self.state.path
                                                 else "scenario.toml"))
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save scenario"), start,
                                              file_filter())
        if not path:
            return False
        target = Path(path)
        if target.name in ("", ".", "..") or target.is_dir():  # "." became "..toml" in the cwd
            QMessageBox.critical(self, self.tr("Cannot save scenario"), self.tr(
                "{path}: a folder, not a file name; choose a file to write").format(path=path))
            return False
        if not target.suffix:
            target = target.with_name(target.name + ".toml")
        return self._save_to(target)

    def _save_to(self, path: Path) -> bool:
        try:
            written = self.state.save(path)
        except Exception as err:  # OSError, or anything else writing raised: a message
            QMessageBox.critical(self, self.tr("Cannot save scenario"),
                                 str(err) if isinstance(err, OSError) else
                                 load_error_text(path, err))
            return False
        self._remember(written)
        self.statusBar().showMessage(self.tr("saved {path}").format(path=written), 4000)
        return True

    def export_trajectories(self, kind: str) -> bool:
        """Write every run's record as CSV or JSON (the ``run`` command's formats)."""
        from core import cli

        st = self.state
        trajs = st.trajectories
        if st.problem is None or any(t is None for t in trajs):
            QMessageBox.warning(self, self.tr("Export"), self.tr(
                "The runs are still being computed, or a run could not start; try again when "
                "every run has a path."))
            return False
        base = (st.path.stem if st.path else self.tr("trajectories")) + f".{kind}"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export trajectories ({kind})").format(kind=kind.upper()),
            str(Path(self._last_folder()) / base),
            self.tr("{kind} (*.{ext});;All files (*)").format(kind=kind.upper(), ext=kind))
        if not path:
            return False
        runs = [t for t in trajs if t is not None]
        scenario, problem = st.scenario, st.problem

        def job(progress: Callable[[float], None], should_stop: Callable[[], bool]) -> str:
            """Stream the file on the worker thread (a long record takes seconds): the
            temporary file is removed when cancelled or failing, the target kept."""
            def tell(done: int, total: int) -> None:
                if should_stop():
                    raise Cancelled
                progress(done / max(total, 1))

            with atomic_writer(path) as fh:
                if kind == "csv":
                    cli.write_csv(fh, runs, progress=tell)
                else:
                    cli.write_json(fh, scenario, problem, runs, progress=tell)
            return path

        task = self._file_task
        dialog = QProgressDialog(self.tr("Writing {name}…").format(name=Path(path).name),
                                 self.tr("Cancel"), 0, 1000, self)
        dialog.setWindowTitle(self.tr("Export trajectories"))
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(task.abandon)

        def finish(*_: object) -> None:
            for sig in (task.progress, task.finished, task.failed, task.cancelled):
                sig.disconnect()
            dialog.close()
            dialog.deleteLater()

        def written(_result: object) -> None:
            finish()
            self.settings.setValue("last_folder", str(Path(path).parent))
            self.statusBar().showMessage(self.tr("exported {path}").format(path=path), 4000)

        def failed(message: str) -> None:
            finish()
            QMessageBox.critical(self, self.tr("Export"), self.tr(
                "{path}: cannot write ({message})").format(path=path, message=message))

        task.progress.connect(lambda f: dialog.setValue(int(f * 1000)))
        task.finished.connect(written)
        task.failed.connect(failed)
        task.cancelled.connect(finish)
        task.start(job)
        return True

    def open_export_dialog(self) -> None:
        """File → Export animation (the dialog of ``gui.export.dialog``, given this window)."""
        self.controller.pause()
        try:
            from gui.export.dialog import ExportDialog
        except ImportError:
            QMessageBox.information(self, self.tr("Export animation"), self.tr(
                "Exporting animations is not available in this version."))
            return
        dialog = ExportDialog(self)
        dialog.exec()

    def choose_language(self, code: str) -> None:
        """View → Language: remembered in the settings, applied at the next start."""
        self.settings.setValue(SETTINGS_KEY, code)
        self.settings.sync()
        self.statusBar().showMessage(self.tr(
            "The window will be in {language} after a restart.").format(
                language=LANGUAGES[code]), 8000)

    # --------------------------------------------------------------------- help
    def show_update_rules(self) -> None:
        from gui.windows.help import UpdateRulesDialog

        UpdateRulesDialog(self).exec()

    def show_about(self) -> None:
        from gui.windows.help import about_html

        QMessageBox.about(self, self.tr("About {app}").format(app=APP_NAME), about_html())

    # -------------------------------------------------------------------- close
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save(self.tr("close the window")):
            event.ignore()
            return
        self.controller.pause()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.sync()
        self.lessons.shutdown()
        self._file_task.abandon()  # an export still writing: its temporary file is removed
        self.state.shutdown()
        super().closeEvent(event)


class _SpacePlays(QObject):
    """Event filter of number boxes: Space is play/pause there too. A spin box claims every
    printable key (``ShortcutOverride``) for its text, but a space is never part of a
    number; text fields (names, expressions) keep their spaces."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Space
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.ignore()  # not claimed: the window's Space shortcut runs
            return True
        return False


def ask_unsaved(parent: QWidget, name: str, action: str) -> QMessageBox.StandardButton:
    """The question before unsaved edits would be lost: Save, Discard or Cancel."""
    return QMessageBox.question(
        parent, QCoreApplication.translate("MainWindow", "Unsaved changes"),
        QCoreApplication.translate(
            "MainWindow", "{name} has unsaved changes. Save them before you {action}?",
        ).format(name=name, action=action),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)


def _scroll(widget: QWidget) -> QScrollArea:
    """A vertical scroll area around ``widget`` (never a horizontal scroll bar)."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def load_error_text(path: str | Path, err: BaseException) -> str:
    """The message of a failed load or save: the engine's own for :class:`ScenarioError`,
    else the file's name, the kind of error and its text (a ``RecursionError`` has a terse
    one)."""
    if isinstance(err, ScenarioError):
        return error_text(err)
    name = Path(path).name or str(path)
    if isinstance(err, RecursionError):
        return QCoreApplication.translate(
            "MainWindow", "{name}: nested too deeply to be read ({error})",
        ).format(name=name, error=err)
    return f"{name}: {type(err).__name__}: {err}" if str(err) else f"{name}: {type(err).__name__}"


def file_filter() -> str:
    """The file dialogs' filter of scenario files."""
    return QCoreApplication.translate("MainWindow", "Scenarios (*.toml);;All files (*)")


def show_later(window: MainWindow, msecs: int, fn) -> None:
    """Run ``fn`` after ``msecs`` (used by scripts that screenshot the window)."""
    QTimer.singleShot(msecs, window, fn)

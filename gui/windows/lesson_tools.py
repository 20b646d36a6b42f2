"""What the lessons add to the main window, kept in one place.

:class:`LessonTools` belongs to :class:`gui.windows.mainwindow.MainWindow`, which gives it the
state, the contour view, the playback controller, the settings and itself as the parent of the
actions and windows, and connects its signals (``lessonRequested``, ``message``,
``endPointsToggled``). It owns:

* the :class:`~gui.panels.lessons.LessonPanel` (the scenario's ``[lesson]``, in the right column);
* the lessons menu entries and Help → Lessons (the :class:`~gui.panels.lessons.LessonGallery`, also
  shown on the first start);
* View → Basins of attraction (and the compare mode): a :class:`~gui.views.basins.BasinOverlay`
  on the contour map for the selected run, recomputed off the GUI thread when the run, the
  selection or the surface changes;
* the end-point table of lesson 5 (training loss L(θ), testing loss L(θ − s), rise,
  sharpness), shown while the testing loss is;
* Run → Escape along the eigenvector (lesson 6): enabled while the selected run's θᵗ is at a
  saddle point; adds the continued run to the scenario;
* Tools → Batch-size study… (the :class:`~gui.windows.study_window.StudyWindow`);
* Tools → Real network: small vs large batches… (the
  :class:`~gui.windows.network_window.NetworkWindow`), also opened — with the lesson's settings, and
  run at once — by a lesson with a ``[network]`` table; its measured verdict is added to the
  lesson panel.

It only reads :class:`~gui.state.AppState` and calls its editing methods, like every widget.
"""

from __future__ import annotations

import sys
import time
from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGroupBox, QMenu, QVBoxLayout, QWidget

from core import scenario as sc
from core.present import testing_shift
from gui.i18n import error_text, scenario_text
from gui.panels.lessons import (
    EndPointTable,
    LessonGallery,
    LessonPanel,
    escape_run,
    lesson_catalogue,
    lesson_html_text,
    measured_html,
    saddle_at,
)
from gui.qtutil import window_action
from gui.theme import theme_named
from gui.views._display import format_value
from gui.views.basins import BasinOverlay

if TYPE_CHECKING:
    from core.scenario import RunConfig
    from gui.panels.playback import PlaybackController
    from gui.state import AppState
    from gui.views.contour import ContourView
    from gui.windows.network_window import NetworkWindow
    from gui.windows.study_window import StudyWindow

__all__ = ["BASIN_DELAY_MS", "LessonTools"]

#: The basins are recomputed this long after the last change (a dragged slider: once).
BASIN_DELAY_MS = 250
#: The escape action is enabled or disabled this long after the state last changed.
ESCAPE_CHECK_MS = 60
#: A network lesson opens its window this long after the lesson itself.
NETWORK_DELAY_MS = 30
_NETWORK_MODULE = "gui.windows.network_window"


def _truthy(value: object) -> bool:
    """A QSettings boolean (the INI format gives the string "true")."""
    return str(value).lower() == "true"


class LessonTools(QObject):
    """The lessons' panel, menus, basin overlay, end-point table, escape and study actions.

    ``window``: the parent of the actions (window-wide shortcuts), the dialogs and the study and
    network windows."""

    #: A lesson or built-in scenario chosen (its name).
    lessonRequested = Signal(str)
    #: A status message and how long to show it (ms).
    message = Signal(str, int)
    #: The end-point table was shown or hidden.
    endPointsToggled = Signal()

    def __init__(self, state: AppState, contour: ContourView, controller: PlaybackController,
                 settings: QSettings, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.state = state
        self.controller = controller
        self.settings = settings
        st = self.state

        self.lesson_panel = LessonPanel()
        self.lesson_panel.lessonRequested.connect(self.lessonRequested)
        self.end_box = QGroupBox(self.tr("End points: training and testing loss"))
        self.end_points = EndPointTable()
        QVBoxLayout(self.end_box).addWidget(self.end_points)
        self.end_box.setVisible(False)

        self.basins = BasinOverlay(contour, self)
        self.basins.failed.connect(lambda msg: self.message.emit(
            self.tr("basins: {message}").format(message=msg), 6000))
        self._basin_timer = QTimer(self)
        self._basin_timer.setSingleShot(True)
        self._basin_timer.setInterval(BASIN_DELAY_MS)
        self._basin_timer.timeout.connect(self.update_basins)

        self.basins_action = window_action(
            self.window, self.tr("Basins of &attraction"), self._on_basins_toggled, "A",
            checkable=True, tip=self.tr("Colour every start by the minimum the selected run "
                                        "would end in from there"))
        self.basins_compare_action = window_action(
            self.window, self.tr("Basins: where &momentum changes the end"),
            self._on_compare_toggled, checkable=True,
            tip=self.tr("Only the starts whose run ends in another minimum with GD ↔ momentum "
                        "swapped (λ = 0 for a momentum run)"))
        self.escape_action = window_action(
            self.window, self.tr("&Escape along the eigenvector (Hessian)"), self.escape_saddle,
            "E", tip=self.tr("At a saddle point: one step along the eigenvector of the negative "
                             "eigenvalue, then the run continues (added as a new run)"))
        self.escape_action.setEnabled(False)
        self.study_action = window_action(
            self.window, self.tr("Batch-size &study…"), self.open_study,
            tip=self.tr("The selected run with many batch sizes and shuffle seeds; the time of "
                        "one update and of one epoch"))
        self.network_action = window_action(
            self.window, self.tr("Real &network: small vs large batches…"), self.open_network,
            tip=self.tr("A real network on the digits: every batch size and seed trained and "
                        "measured (accuracy, sharpness λ_max, Keskar's line, the path on a "
                        "plane)"))
        self.network: NetworkWindow | None = None
        self._network_preset: object = None
        self._network_started = False  # the lesson's comparison started (then shown)
        self._network_armed = 0.0  # when the network timer was last started (perf_counter)
        self._network_waited = False  # this stage already waited once for a late timer
        self.gallery_action = window_action(self.window, self.tr("&Lessons…"), self.show_lessons)
        self.lesson_actions: dict[str, QAction] = {}

        self.study: StudyWindow | None = None
        self.gallery: LessonGallery | None = None

        st.surfaceChanged.connect(self.basins.clear)
        for sig in (st.surfaceChanged, st.scenarioChanged, st.selectionChanged):
            sig.connect(self._schedule_basins)
        for sig in (st.trajectoriesChanged, st.surfaceChanged, st.optionsChanged):
            sig.connect(self.refresh_end_points)
        # the saddle test (~2 ms) runs once the state settles, not within every η step or
        # frame: it sat between an η slider move and the repaint of the views
        self._network_timer = QTimer(self, singleShot=True, interval=NETWORK_DELAY_MS)
        self._network_timer.timeout.connect(self._open_network_lesson)
        self._escape_timer = QTimer(self, singleShot=True, interval=ESCAPE_CHECK_MS)
        self._escape_timer.timeout.connect(self.update_escape)
        for sig in (st.currentChanged, st.selectionChanged, st.trajectoriesChanged,
                    st.surfaceChanged, controller.playingChanged):
            sig.connect(lambda *_: self._escape_timer.start())

    # ------------------------------------------------------------------ menus
    def fill_lessons_menu(self, menu: QMenu) -> None:
        """The lessons, the other built-in scenarios, and the gallery."""
        for e in lesson_catalogue():
            a = window_action(self.window,
                f"&{e.number}. {e.title}", lambda _=False, n=e.name: self.lessonRequested.emit(n),
                tip=e.summary)
            menu.addAction(a)
            self.lesson_actions[e.name] = a
        others = [n for n in sc.builtin_names() if n not in self.lesson_actions]
        if others:
            menu.addSeparator()
        for name in others:
            try:
                title = scenario_text(sc.load(name), "title") or name
            except sc.ScenarioError:
                continue
            menu.addAction(window_action(self.window,
                title, lambda _=False, n=name: self.lessonRequested.emit(n)))
        menu.addSeparator()
        menu.addAction(window_action(self.window, self.tr("All lessons…"), self.show_lessons))

    # ---------------------------------------------------------------- scenario
    def show_scenario(self) -> None:
        """The lesson panel follows the scenario (called by the window on every change)."""
        s = self.state.scenario
        self.lesson_panel.set_scenario(s)
        self.lesson_panel.setVisible(s.lesson is not None or bool(s.description.strip()))
        if s.network is None:
            self._network_preset = None
        elif s.network != self._network_preset:  # a network lesson was opened: run it
            self._network_preset = s.network
            self._network_started = False
            # a moment later: the lesson is drawn first (a queued call came before the paint),
            # and building the network window (~0.2 s the first time) is a stall of its own
            self._network_later()

    def _open_network_lesson(self) -> None:
        """Open and run the network window of the lesson still shown (if it still is).

        Over passes of the event loop, each a stall of its own: the first time its modules
        imported (~60 ms) and the window built (~90 ms); then its settings set (a tab shown
        for the first time paints in the next pass) and the comparison started; then the window
        shown and raised (a repaint of its own). Each stage waits until the lesson's own
        surface and paths are installed (the state not busy) and the timer came on time (a
        late one: the loop was stalled and a repaint waits), so it never adds to their
        stall."""
        network = self.state.scenario.network
        if network is None or network != self._network_preset:
            return
        if self.state.busy:
            self._network_later()
            return
        late = time.perf_counter() - self._network_armed > 2 * NETWORK_DELAY_MS / 1000
        if late and not self._network_waited:
            # the timer came late: the event loop was busy (the lesson loading); its repaint
            # is still waiting and goes first (once: a loop always late still gets on)
            self._network_later()
            self._network_waited = True
            return
        self._network_waited = False
        if self.network is None:
            if _NETWORK_MODULE not in sys.modules:
                import_module(_NETWORK_MODULE)
            else:
                self._make_network()
            self._network_later()  # the next stage a moment later
            return
        if not self._network_started:
            self._network_started = True
            self._run_network_lesson(self.network)
            self._network_later()
            return
        self._show_network(self.network)

    def _network_later(self) -> None:
        """The network lesson's next stage in :data:`NETWORK_DELAY_MS`."""
        self._network_armed = time.perf_counter()
        self._network_timer.start()

    def _make_network(self) -> NetworkWindow:
        """The network window (built once, hidden until :meth:`open_network` shows it)."""
        from gui.windows.network_window import NetworkWindow

        if self.network is None:
            st = self.state
            self.network = NetworkWindow(st.scenario.network, self.window,
                                         theme_named(st.options.theme))
            self.network.comparisonFinished.connect(self._network_measured)
        return self.network

    # ------------------------------------------------------------------ basins
    def _on_basins_toggled(self, on: bool) -> None:
        if not on:
            self.basins_compare_action.setChecked(False)
        self.basins.set_visible(on)
        self._schedule_basins()

    def _on_compare_toggled(self, on: bool) -> None:
        if on and not self.basins_action.isChecked():
            self.basins_action.setChecked(True)  # setChecked does not emit triggered
            self.basins.set_visible(True)
        self._schedule_basins()

    def _schedule_basins(self, *_: object) -> None:
        if self.basins_action.isChecked():
            self._basin_timer.start()

    def update_basins(self) -> bool:
        """Compute the selected run's basins now (off the GUI thread); False if nothing new."""
        st = self.state
        if not self.basins_action.isChecked() or st.problem is None or not st.scenario.runs:
            return False
        cfg = st.scenario.runs[min(st.selected, len(st.scenario.runs) - 1)]
        return self.basins.compute(st.problem, cfg, compare=self.basins_compare_action.isChecked(),
                                   name=cfg.label)

    # ------------------------------------------------------------- end points
    def refresh_end_points(self, *_: object) -> None:
        """Lesson 5: the end-point table is shown together with the testing loss."""
        st = self.state
        on = st.options.test_loss and st.problem is not None
        if on == self.end_box.isHidden():
            self.end_box.setVisible(on)
            self.endPointsToggled.emit()
        if on and st.problem is not None:
            shift = testing_shift(st.problem.surface.range, st.scenario.view.test_shift)
            self.end_points.set_runs(st.problem, st.trajectories, shift,
                                     [st.run_color(i) for i in range(len(st.scenario.runs))])

    # ------------------------------------------------------------------ escape
    def update_escape(self, *_: object) -> None:
        """Offer the escape while the selected run's θᵗ is at a saddle (not while playing)."""
        st = self.state
        tr = st.trajectory(st.selected)
        ok = False
        if tr is not None and st.problem is not None and not self.controller.playing:
            ok = saddle_at(st.problem, tr.theta[min(st.current, tr.updates)]) is not None
        self.escape_action.setEnabled(ok)

    def escape_saddle(self) -> bool:
        """Lesson 6: one step along the eigenvector u of the Hessian's negative eigenvalue at
        the saddle where the selected run is; the run continued from there is added (and
        selected)."""
        st = self.state
        tr = st.trajectory(st.selected)
        if tr is None or st.problem is None:
            return False
        try:
            res = escape_run(st.problem, tr, st.current)
        except ValueError as err:
            self.message.emit(error_text(err), 6000)
            return False
        if not st.add_run(res.config):
            return False
        u, p = res.direction, res.escaped
        self.message.emit(
            self.tr("escaped along u = ({u1}, {u2}) with λ₁ = {l1} < 0: “{label}” continues "
                    "from θ = ({x}, {y})").format(
                u1=format_value(u[0], 3), u2=format_value(u[1], 3),
                l1=format_value(res.analysis.eigenvalues[0], 3), label=res.config.label,
                x=format_value(p[0], 3), y=format_value(p[1], 3)), 10000)
        return True

    # ------------------------------------------------------------------- study
    def open_study(self) -> StudyWindow:
        """Tools → Batch-size study, for the current scenario and the selected run (started
        at once when either is new to the study window)."""
        from gui.windows.study_window import StudyWindow

        st = self.state
        fresh = self.study is None or (not self.study.study_task.running and (
            self.study.scenario != st.scenario or self.study.selected_run() != st.selected))
        if self.study is None:
            self.study = StudyWindow(st.scenario, st.selected, self.window,
                                     theme_named(st.options.theme),
                                     settings=self.settings)
            self.study.runRequested.connect(self.add_study_run)
        elif fresh:
            self.study.set_scenario(st.scenario, st.selected)
        if fresh:
            self.study.run_study()  # a second or less with the defaults: show results at once
        self.study.show()
        self.study.raise_()
        self.study.activateWindow()
        return self.study

    def add_study_run(self, config: RunConfig) -> bool:
        """A point clicked in the study window: add its run (batch size B, seed, the budget's
        updates) to the scenario, selected, and bring the main window forward to watch it."""
        ok = self.state.add_run(config)
        if ok:
            self.window.raise_()
            self.window.activateWindow()
            self.message.emit(
                self.tr("Added the study's run “{label}”").format(label=config.label), 8000)
        return ok

    # ------------------------------------------------------------- real network
    def open_network(self, run: bool = False) -> NetworkWindow:
        """Tools → Real network. With a lesson's ``[network]`` table: its settings, its text
        above the results, and (``run``) the comparison started at once; when it finishes the
        lesson panel quotes the verdict measured here."""
        w = self._make_network()
        if run:
            self._run_network_lesson(w)
        return self._show_network(w)

    def _run_network_lesson(self, w: NetworkWindow) -> None:
        """The scenario's ``[network]`` settings and lesson text in ``w``, and its comparison
        started."""
        s = self.state.scenario
        if s.network is None:
            return
        w.set_settings(s.network)
        lesson = s.lesson
        w.set_lesson(scenario_text(s, "lesson_title" if lesson else "title"),
                     lesson_html_text(s) if lesson else "")
        self.lesson_panel.set_measured("")
        w.run()

    @staticmethod
    def _show_network(w: NetworkWindow) -> NetworkWindow:
        w.show()
        w.raise_()
        w.activateWindow()
        return w

    def _network_measured(self, _result: object) -> None:
        """Quote the verdict in the lesson panel while the network lesson is open."""
        w = self.network
        if w is None or self.state.scenario.network is None:
            return
        self.lesson_panel.set_measured(measured_html(w.verdict_lines(), w.status.text()))

    # ----------------------------------------------------------------- gallery
    def show_lessons(self) -> LessonGallery:
        """Help → Lessons: the gallery (window-modal, not blocking); a choice opens the lesson."""
        if self.gallery is not None:
            self.gallery.close()
        s = self.state.scenario
        current = next((e.name for e in lesson_catalogue()
                        if e.lesson == s.lesson and e.scenario_title == s.title), None)
        settings = self.settings
        gallery = LessonGallery(self.window, current,
                                _truthy(settings.value("lessons/show_at_start", False)))
        gallery.lessonChosen.connect(self.lessonRequested)
        gallery.finished.connect(lambda _r: self._gallery_closed(gallery))
        self.gallery = gallery
        gallery.open()
        return gallery

    def _gallery_closed(self, gallery: LessonGallery) -> None:
        settings = self.settings
        settings.setValue("lessons/seen", True)
        settings.setValue("lessons/show_at_start", gallery.show_at_start)

    def show_lessons_at_start(self) -> bool:
        """The gallery on the first start (and on later ones if its box is ticked)."""
        settings = self.settings
        if (_truthy(settings.value("lessons/seen", False))
                and not _truthy(settings.value("lessons/show_at_start", False))):
            return False
        self.show_lessons()
        return True

    # ----------------------------------------------------------------- closing
    def shutdown(self) -> None:
        """Abandon the basin computation and close the study window (the window is closing):
        nothing waits for a worker thread."""
        self._basin_timer.stop()
        self.basins.abandon()
        if self.study is not None:
            self.study.close()
        if self.network is not None:
            self.network.close()

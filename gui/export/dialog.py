"""File → Export animation… (Ctrl+E): the dialog that exports the window's scene.

The window calls::

    ExportDialog(self).exec()

``self`` (the main window) gives ``state`` and ``scene``: the dialog copies what the window shows
(:func:`gui.export.spec_from_window`) and renders it offscreen, so the window is not touched
while exporting — except for "Whole window", which steps the window through the updates
(``state.set_current``) and puts it back afterwards. Any other owner can pass a
:class:`gui.export.SceneSpec` instead: ``ExportDialog(parent, spec)``.

Exporting never freezes the window: :class:`gui.export.ExportJob` renders a few frames per
timer tick and encodes on a worker thread; the dialog shows progress, time left and Cancel.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QStandardPaths, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.export.frames import SceneSpec, spec_from_window
from gui.export.pipeline import ExportJob
from gui.export.settings import (
    DEFAULT_MAX_FRAMES,
    GIF_MAX_FPS,
    MAX_FPS,
    MAX_SIDE,
    MIN_SIDE,
    SIZE_PRESETS,
    ExportError,
    ExportSettings,
    frame_updates,
)
from gui.theme import mute

__all__ = ["ExportDialog"]

_VIEW_ITEMS = (
    ("surface", QT_TRANSLATE_NOOP("ExportDialog", "3D surface")),
    ("contour", QT_TRANSLATE_NOOP("ExportDialog", "Contour map")),
    ("both", QT_TRANSLATE_NOOP("ExportDialog", "3D surface and contour map, side by side")),
    ("window", QT_TRANSLATE_NOOP("ExportDialog", "Whole window")),
)
_FORMAT_ITEMS = (
    ("mp4", QT_TRANSLATE_NOOP("ExportDialog", "MP4 video (H.264)"), ".mp4"),
    ("gif", QT_TRANSLATE_NOOP("ExportDialog", "GIF (looping)"), ".gif"),
    ("png", QT_TRANSLATE_NOOP("ExportDialog", "PNG frames (a folder of numbered images)"), ""),
)


def _default_folder() -> Path:
    for kind in (QStandardPaths.StandardLocation.MoviesLocation,
                 QStandardPaths.StandardLocation.PicturesLocation,
                 QStandardPaths.StandardLocation.HomeLocation):
        folder = QStandardPaths.writableLocation(kind)
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.cwd()


def _duration(seconds: float) -> str:
    s = max(round(seconds), 0)
    if s >= 60:
        return QCoreApplication.translate("ExportDialog", "{m} min {s} s").format(
            m=s // 60, s=f"{s % 60:02d}")
    return QCoreApplication.translate("ExportDialog", "{s} s").format(s=s)


class ExportDialog(QDialog):
    """Choose what and how to export, then export with a progress bar and Cancel.

    Args:
        parent: the main window (it must have ``state`` and ``scene`` when ``spec`` is None).
        spec: what to render (default: :func:`gui.export.spec_from_window` of ``parent``).
        window: the widget grabbed for "Whole window" (default: ``parent`` when it has a
            ``state``); ``step(t)`` moves it to update t (default: ``parent.state.set_current``)
            and it is put back at its update afterwards (``restore()``, when given, puts it
            back instead). A spec with ``frame_every`` (the network's plane: a path point every
            K updates) gets at least that many updates per frame by default.
        folder: where the file goes by default (default: the user's Videos folder, or home).
        name: the file's default name without extension (default: the scenario file's name).

    Attributes: ``job`` (the running/last :class:`gui.export.ExportJob`), ``result`` (the
    written path, None until an export succeeds).
    """

    def __init__(self, parent: QWidget | None = None, spec: SceneSpec | None = None, *,
                 window: QWidget | None = None, step: Callable[[int], None] | None = None,
                 restore: Callable[[], None] | None = None,
                 folder: str | Path | None = None, name: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export animation"))
        self.job: ExportJob | None = None
        self.result: Path | None = None
        self._problem = ""
        if spec is None:
            try:
                spec = spec_from_window(parent)
            except (ExportError, AttributeError) as err:
                self._problem = (str(err) if isinstance(err, ExportError)
                                 else self.tr("there is nothing to export"))
        self.spec = spec
        state = getattr(parent, "state", None)
        if window is None and state is not None:
            window = parent
        if step is None and state is not None and hasattr(state, "set_current"):
            step = state.set_current
        self._window = window
        self._step = step
        self._restore = restore
        self._started = 0.0
        self._confirmed_path: Path | None = None  # replacing it was agreed in the file dialog
        if name is None:
            path = getattr(state, "path", None)
            name = Path(path).stem if path else "descent-lab"
        self._build(Path(folder) if folder else _default_folder(), name)
        self._sync()

    # ------------------------------------------------------------------ build
    def _build(self, folder: Path, name: str) -> None:
        t_max = self.spec.t_max if self.spec is not None else 0
        self.view_box = QComboBox()
        for key, text in _VIEW_ITEMS:
            self.view_box.addItem(self.tr(text), key)
        if self._window is None or self._step is None:
            self._disable_item(self.view_box, "window", self.tr("needs the main window"))
        self.view_box.setCurrentIndex(self.view_box.findData("contour"))

        self.format_box = QComboBox()
        for key, text, _ in _FORMAT_ITEMS:
            self.format_box.addItem(self.tr(text), key)

        self.path_edit = QLineEdit(str(folder / f"{name}.mp4"))
        self.path_edit.setMinimumWidth(360)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.size_box = QComboBox()
        for w, h in SIZE_PRESETS:
            self.size_box.addItem(f"{w} × {h}", (w, h))
        self.size_box.addItem(self.tr("Custom"), None)
        self.size_box.setCurrentIndex(1)
        self.width_spin = QSpinBox()
        self.height_spin = QSpinBox()
        for spin, value in ((self.width_spin, 1280), (self.height_spin, 720)):
            spin.setRange(MIN_SIDE, MAX_SIDE)
            spin.setSingleStep(2)
            spin.setValue(value)
            spin.setSuffix(" px")
        size_row = QHBoxLayout()
        size_row.addWidget(self.size_box)
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_spin)
        size_row.addStretch(1)

        self.fps_spin = QDoubleSpinBox()
        self.fps_spin.setRange(1.0, MAX_FPS)
        self.fps_spin.setDecimals(1)
        self.fps_spin.setValue(20.0)
        self.fps_spin.setSuffix(self.tr(" frames/s"))

        self.start_spin = QSpinBox()
        self.stop_spin = QSpinBox()
        self.every_spin = QSpinBox()
        for spin in (self.start_spin, self.stop_spin):
            spin.setRange(0, max(t_max, 0))
        self.start_spin.setValue(0)
        self.stop_spin.setValue(t_max)
        self.every_spin.setRange(1, max(t_max, 1))
        self.every_spin.setValue(max(math.ceil((t_max + 1) / DEFAULT_MAX_FRAMES), 1,
                                     int(getattr(self.spec, "frame_every", 1))))
        range_row = QHBoxLayout()
        range_row.addWidget(QLabel(self.tr("from")))
        range_row.addWidget(self.start_spin)
        range_row.addWidget(QLabel(self.tr("to")))
        range_row.addWidget(self.stop_spin)
        range_row.addWidget(QLabel(self.tr("every")))
        range_row.addWidget(self.every_spin)
        range_row.addWidget(QLabel(self.tr("update(s) per frame")))
        range_row.addStretch(1)
        self.summary = QLabel()
        mute(self.summary)

        self.overlay_check = QCheckBox(
            self.tr("Overlay: update and epoch counters, each run's settings and loss"))
        self.overlay_check.setChecked(True)
        self.orbit_check = QCheckBox(self.tr("Slow camera orbit (3D)"))
        self.orbit_spin = QSpinBox()
        self.orbit_spin.setRange(10, 720)
        self.orbit_spin.setValue(90)
        self.orbit_spin.setSuffix(self.tr("° over the animation"))
        orbit_row = QHBoxLayout()
        orbit_row.addWidget(self.orbit_check)
        orbit_row.addWidget(self.orbit_spin)
        orbit_row.addStretch(1)

        form = QFormLayout()
        form.addRow(self.tr("Export"), self.view_box)
        form.addRow(self.tr("Format"), self.format_box)
        form.addRow(self.tr("Save to"), path_row)
        form.addRow(self.tr("Size"), size_row)
        form.addRow(self.tr("Speed"), self.fps_spin)
        form.addRow(self.tr("Updates"), range_row)
        form.addRow("", self.summary)
        form.addRow("", self.overlay_check)
        form.addRow("", orbit_row)
        self.form = QWidget()
        self.form.setLayout(form)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton(self.tr("Close"))
        self.cancel_button.clicked.connect(self._cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        for box in (self.view_box, self.format_box, self.size_box):
            box.currentIndexChanged.connect(self._sync)
        for spin in (self.start_spin, self.stop_spin, self.every_spin, self.width_spin,
                     self.height_spin):
            spin.valueChanged.connect(self._sync)
        self.fps_spin.valueChanged.connect(self._sync)
        self.orbit_check.toggled.connect(self._sync)
        self.path_edit.textEdited.connect(self._path_edited)
        if self._problem:
            self._show_error(self.tr("Cannot export: {problem}.").format(problem=self._problem))
            self.form.setEnabled(False)
            self.export_button.setEnabled(False)

    @staticmethod
    def _disable_item(box: QComboBox, key: str, why: str) -> None:
        model = box.model()
        item = model.item(box.findData(key)) if hasattr(model, "item") else None
        if item is not None:
            item.setEnabled(False)
            item.setToolTip(why)

    # ------------------------------------------------------------------- form
    def view(self) -> str:
        """The chosen view key (see :data:`gui.export.VIEWS`)."""
        return str(self.view_box.currentData())

    def format(self) -> str:
        """``"mp4"``, ``"gif"`` or ``"png"``."""
        return str(self.format_box.currentData())

    def frame_size(self) -> tuple[int, int]:
        """The frame size chosen (preset or custom); even for MP4."""
        preset = self.size_box.currentData()
        w, h = preset if preset is not None else (self.width_spin.value(),
                                                  self.height_spin.value())
        if self.format() == "mp4":
            w, h = w - w % 2, h - h % 2
        return int(w), int(h)

    def updates(self) -> list[int]:
        """The update shown by each frame."""
        t_max = self.spec.t_max if self.spec is not None else 0
        return frame_updates(t_max, start=self.start_spin.value(), stop=self.stop_spin.value(),
                             every=self.every_spin.value()).tolist()

    def settings(self) -> ExportSettings:
        """The export described by the form (ExportError if something is wrong)."""
        view = self.view()
        return ExportSettings(
            path=Path(self.path_edit.text().strip()).expanduser(),
            view=view,
            size=self.frame_size(),
            fps=float(self.fps_spin.value()),
            updates=tuple(self.updates()),
            overlay=self.overlay_check.isChecked() and view != "window",
            orbit=float(self.orbit_spin.value())
            if self.orbit_check.isChecked() and view in ("surface", "both") else 0.0,
        ).validate()

    def _path_edited(self) -> None:
        self.status.clear()

    def _sync(self) -> None:
        """Enable what applies, fix the path's extension, update the summary."""
        fmt, view = self.format(), self.view()
        custom = self.size_box.currentData() is None
        self.width_spin.setEnabled(custom)
        self.height_spin.setEnabled(custom)
        self.fps_spin.setMaximum(GIF_MAX_FPS if fmt == "gif" else MAX_FPS)
        self.overlay_check.setEnabled(view != "window")
        orbit_ok = view in ("surface", "both")
        self.orbit_check.setEnabled(orbit_ok)
        self.orbit_spin.setEnabled(orbit_ok and self.orbit_check.isChecked())
        ext = next(e for k, _, e in _FORMAT_ITEMS if k == fmt)
        text = self.path_edit.text().strip()
        if text:
            p = Path(text)
            if p.suffix.lower() in (".mp4", ".gif", ".png", "") and p.suffix.lower() != ext:
                self.path_edit.setText(str(p.with_suffix(ext)) if p.suffix or ext else str(p))
        if self.stop_spin.value() < self.start_spin.value():
            self.stop_spin.setValue(self.start_spin.value())
        try:
            n = len(self.updates())
        except ExportError as err:
            self.summary.setText(str(err))
            return
        seconds = n / max(self.fps_spin.value(), 1e-9)
        w, h = self.frame_size()
        self.summary.setText(self.tr("→ {n} frames of {w} × {h}, {seconds} s of animation").format(
            n=n, w=w, h=h, seconds=f"{seconds:.1f}"))

    def _browse(self) -> None:
        current = Path(self.path_edit.text().strip() or ".")
        if self.format() == "png":
            folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the PNG frames"),
                                                      str(current.parent))
            if folder:
                self.path_edit.setText(folder)
            return
        fmt = self.format()
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export animation"), str(current), f"{fmt.upper()} (*.{fmt})")
        if path:
            p = Path(path)
            if not p.name or p.is_dir():  # "/", "." or a folder: with_suffix would raise
                self._show_error(self.tr(
                    "{path}: a folder, not a file name; choose a file to write").format(path=path))
                return
            chosen = p if p.suffix.lower() == f".{fmt}" else p.with_suffix(f".{fmt}")
            self.path_edit.setText(str(chosen))
            if chosen == p:  # the file dialog asked about replacing this very file
                self._confirmed_path = chosen

    # ----------------------------------------------------------------- export
    def start_export(self) -> None:
        """Start exporting (errors are shown in the dialog)."""
        if self.job is not None and self.job.running:
            return
        try:
            settings = self.settings()
        except ExportError as err:
            self._show_error(str(err))
            return
        if not self.confirm_overwrite(settings.path):
            return
        restore = self._restore
        if settings.view == "window" and self._step is not None and restore is None:
            state = getattr(self.parent(), "state", None)
            original = int(getattr(state, "current", 0))
            step = self._step

            def restore() -> None:
                step(original)

        self.job = ExportJob(settings, self.spec, self._window, self._step, restore, self)
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)
        self.form.setEnabled(False)
        self.export_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Cancel"))
        self.progress.setRange(0, len(settings.updates))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Preparing…"))
        self._started = time.perf_counter()
        try:
            self.job.start()
        except ExportError:
            return  # reported through failed()

    def confirm_overwrite(self, path: Path) -> bool:
        """An existing file is replaced only when the person says so (the file dialog of
        Browse already asked for the path it returned)."""
        if not path.is_file() or path == self._confirmed_path:
            return True
        answer = QMessageBox.question(
            self, self.tr("Replace file?"),
            self.tr("{path} already exists. Replace it?").format(path=path),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            return True
        self.status.setStyleSheet("")
        self.status.setText(self.tr(
            "Not exported: choose another file name, or say Yes to replace."))
        return False

    def cancel_export(self) -> None:
        """Cancel a running export (its partial file is deleted)."""
        if self.job is not None and self.job.running:
            self.job.cancel()

    def _cancel_or_close(self) -> None:
        if self.job is not None and self.job.running:
            self.cancel_export()
        else:
            self.reject()

    def _on_progress(self, done: int, total: int, left: float) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.status.setText(
            self.tr("Frame {done} of {total} · about {left} left").format(
                done=done, total=total, left=_duration(left)) if left >= 0
            else self.tr("Frame {done} of {total}").format(done=done, total=total))

    def _on_finished(self, path: str) -> None:
        self.result = Path(path)
        seconds = time.perf_counter() - self._started
        self._idle()
        self.status.setText(self.tr("Wrote {path} in {seconds} s.").format(
            path=path, seconds=f"{seconds:.1f}"))
        self.cancel_button.setText(self.tr("Close"))

    def _on_failed(self, message: str) -> None:
        self._idle()
        self._show_error(self.tr("Export failed: {message}").format(message=message))

    def _on_cancelled(self) -> None:
        self._idle()
        self.progress.setVisible(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Cancelled; nothing was written."))

    def _idle(self) -> None:
        self.form.setEnabled(True)
        self.export_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Close"))
        self._sync()

    def _show_error(self, message: str) -> None:
        self.status.setStyleSheet("color: #E5534B;")
        self.status.setText(message)

    # ------------------------------------------------------------------ close
    def reject(self) -> None:
        """Esc / Close: cancel a running export first."""
        self.cancel_export()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the dialog cancels a running export."""
        self.cancel_export()
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc cancels a running export instead of closing the dialog."""
        if event.key() == Qt.Key.Key_Escape and self.job is not None and self.job.running:
            self.cancel_export()
            event.accept()
            return
        super().keyPressEvent(event)

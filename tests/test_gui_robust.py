"""Issue 9 §2: the window never hangs, never freezes, and no exception escapes a slot.

Regression tests for what the monkey test (tests/test_monkey.py) and people found: extreme
numbers typed into the boxes, N = 1, hostile files, long computations abandoned at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.mainwindow import MainWindow


def wait_idle(qtbot, window: MainWindow, timeout: int = 15000) -> None:
    st = window.state
    qtbot.waitUntil(lambda: st.is_current() and not st.busy, timeout=timeout)


def type_into(qtbot, box, text: str) -> None:
    """Select a spin box's text, type ``text`` and press Enter (what a person does)."""
    edit = box.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_one_example_from_the_surface_controls(app_window: MainWindow, qtbot) -> None:
    """§2.4: N = 1 typed into the N box while the contour map shows the batch loss L_b (the
    records of N = 20 are still shown while the new ones are computed) raised IndexError."""
    w = app_window
    w.state.set_options(batch_surface=True)
    w.state.set_current(5)
    type_into(qtbot, w.controls.surface.examples, "1")
    wait_idle(qtbot, w)
    assert w.state.scenario.surface.examples == 1
    assert all(r.batch_size == 1 for r in w.state.scenario.runs)
    assert all(tr is not None for tr in w.state.trajectories)
    w.state.set_current(3)  # L_b of the new records: batch [0]
    assert w.state.error == ""


def _record_boxes(monkeypatch) -> list[tuple[str, str]]:
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def fake(kind):
        def box(_parent, title, text, *args, **kwargs):
            shown.append((kind, f"{title}: {text}"))
            return QMessageBox.StandardButton.Ok
        return box

    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    return shown


def test_open_deeply_nested_toml_shows_a_message(app_window: MainWindow, qtbot, tmp_path,
                                                monkeypatch) -> None:
    """§2.3: File → Open of a deeply nested TOML raised RecursionError in the slot (tomllib
    recurses once per level). Every loader error is a message box; the scenario is kept."""
    from PySide6.QtWidgets import QFileDialog

    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)) * 4)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    shown = _record_boxes(monkeypatch)
    before = app_window.state.scenario
    for path in (deep, binary, folder, tmp_path / "missing.toml"):
        monkeypatch.setattr(QFileDialog, "getOpenFileName",
                            lambda *a, p=path, **k: (str(p), ""))
        app_window.open_action.trigger()
        assert shown and shown[-1][0] == "critical"
        assert path.name in shown[-1][1]
    assert len(shown) == 4
    assert "nested" in shown[0][1] or "deep" in shown[0][1]
    assert app_window.state.scenario == before

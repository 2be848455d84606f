"""Opening a database the window cannot edit, driven as a clerk would: the dialog says why and
what can still be done, Enter takes the safe choice (只读打开, or 取消 — never 恢复备份, which
replaces the file), and the window then works read-only or from a restored backup.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

from perfdesk import system
from perfdesk.domain.templates import new_report
from perfdesk.services import Workspace
from perfdesk.storage.backup import list_backups


def _db_with_a_backup(tmp_path: Path) -> Path:
    db = tmp_path / "perfdesk.db"
    ws = Workspace.open(db)
    ws.add_report(new_report("株洲市芦淞区民政局", 2024))
    ws.close()  # its exit backup
    return db


class Dialogs:
    """Acts on the modal dialogs the window opens, one after the other, as the clerk would."""

    def __init__(self, qtbot: Any, steps: list[Callable[[QDialog], None]]) -> None:
        self.qtbot = qtbot
        self.steps = list(steps)
        self.seen: list[dict[str, Any]] = []
        self.errors: list[BaseException] = []
        self._poll()

    def _poll(self) -> None:
        QTimer.singleShot(20, self._act)

    def _act(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or any(d["widget"] is dialog for d in self.seen if d["open"]):
            if self.steps:
                self._poll()
            return
        record: dict[str, Any] = {"widget": dialog, "open": True}
        if isinstance(dialog, QMessageBox):
            record.update(
                text=dialog.text(),
                info=dialog.informativeText(),
                buttons=[b.text() for b in dialog.buttons()],
                default=dialog.defaultButton().text() if dialog.defaultButton() else None,
            )
        self.seen.append(record)
        step = self.steps.pop(0)
        try:
            step(dialog)
        except BaseException as exc:  # noqa: BLE001 - reported by the test, not lost in Qt
            self.errors.append(exc)
            dialog.reject()
        record["open"] = False
        if self.steps:
            self._poll()


def press_enter(dialog: QDialog) -> None:
    QTest.keyClick(dialog, Qt.Key.Key_Return)


def click(label: str) -> Callable[[QDialog], None]:
    def step(dialog: QDialog) -> None:
        button = next(b for b in dialog.findChildren(QPushButton) if b.text() == label)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    return step


def _window(qtbot: Any, db: Path, steps: list[Callable[[QDialog], None]]) -> tuple[Any, Dialogs]:
    from perfdesk_ui.app import application, create_window

    application()
    dialogs = Dialogs(qtbot, steps)
    window = create_window(str(db))
    qtbot.addWidget(window)
    assert not dialogs.errors, dialogs.errors
    assert not dialogs.steps, "a dialog the clerk was to answer did not appear"
    return window, dialogs


def test_a_locked_database_opens_read_only_on_enter_and_never_offers_a_restore(
    qtbot: Any, tmp_path: Path
) -> None:
    db = _db_with_a_backup(tmp_path)
    holder = Workspace.open(db)  # the first window
    try:
        window, dialogs = _window(qtbot, db, [press_enter])
        [asked] = dialogs.seen
        assert "正在被另一个 perfdesk 使用" in asked["text"]
        assert asked["default"] == "只读打开"
        assert "恢复备份…" not in asked["buttons"] and "取消" in asked["buttons"]
        assert "不能修改" in asked["info"]
        assert window.doc is not None and window.doc.ws.readonly
        assert window.windowTitle().endswith("（只读）")
        assert window.doc.report.unit_name == "株洲市芦淞区民政局"
        window.shutdown()
    finally:
        holder.close()


def test_an_emptied_database_offers_its_backups_and_enter_changes_nothing(
    qtbot: Any, tmp_path: Path
) -> None:
    db = _db_with_a_backup(tmp_path)
    db.write_bytes(b"")  # a failed copy, a sync tool
    window, dialogs = _window(qtbot, db, [press_enter])
    [asked] = dialogs.seen
    assert "是空的（0 字节）" in asked["text"]
    assert "恢复备份…" in asked["buttons"] and "只读打开" not in asked["buttons"]
    assert asked["default"] == "取消"
    assert window.doc is None and db.stat().st_size == 0, "Enter must not touch the file"


def test_a_full_disk_opens_read_only_in_the_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfdesk.storage import lock

    db = _db_with_a_backup(tmp_path)

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(system.OS, "write", full)
    monkeypatch.setattr(lock.os, "write", full)
    window, dialogs = _window(qtbot, db, [press_enter])
    [asked] = dialogs.seen
    assert "空间已满" in asked["text"] and asked["default"] == "只读打开"
    assert window.doc is not None and window.doc.ws.readonly
    window.shutdown()


def test_opening_and_closing_the_window_without_an_edit_makes_no_exit_backup(
    qtbot: Any, tmp_path: Path
) -> None:
    db = _db_with_a_backup(tmp_path)
    before = list_backups(db)
    window, _ = _window(qtbot, db, [])
    assert window.doc is not None and not window.doc.ws.readonly
    window.close()
    assert list_backups(db) == before


def test_file_open_database_offers_read_only_and_restore_like_the_start(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfdesk_ui import safety

    for name in ("mine", "held", "emptied"):
        (tmp_path / name).mkdir()
    mine = _db_with_a_backup(tmp_path / "mine")
    from perfdesk_ui.app import application, create_window

    application()
    window = create_window(str(mine))
    qtbot.addWidget(window)
    # Another file, held by another perfdesk: 文件 → 打开数据库 answers as at start (Enter: 只读打开).
    held = _db_with_a_backup(tmp_path / "held")
    holder = Workspace.open(held)
    try:
        dialogs = Dialogs(qtbot, [press_enter])
        assert window.open_database(held)
        qtbot.waitUntil(lambda: not dialogs.steps)
        [asked] = dialogs.seen
        assert asked["default"] == "只读打开" and "恢复备份…" not in asked["buttons"]
        assert window.doc is not None and window.doc.ws.readonly
        assert Path(window.doc.ws.path) == held.resolve()
    finally:
        holder.close()
    # An emptied file: Enter (取消) keeps the window on what it had, the file untouched.
    emptied = _db_with_a_backup(tmp_path / "emptied")
    emptied.write_bytes(b"")
    dialogs = Dialogs(qtbot, [press_enter])
    assert not window.open_database(emptied)
    [asked] = dialogs.seen
    assert "恢复备份…" in asked["buttons"] and asked["default"] == "取消"
    assert emptied.stat().st_size == 0 and Path(window.doc.ws.path) == held.resolve()
    # …and 恢复备份 puts its backup back and opens it for editing.
    monkeypatch.setattr(safety.RestoreBackupDialog, "confirm", lambda self, b: True)

    def restore_newest(dialog: QDialog) -> None:
        QTest.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    dialogs = Dialogs(qtbot, [click("恢复备份…"), restore_newest])
    assert window.open_database(emptied)
    assert window.doc is not None and not window.doc.ws.readonly
    assert window.doc.report.unit_name == "株洲市芦淞区民政局"
    window.shutdown()


def _damage_a_value(db: Path) -> None:
    """A stored amount that does not decode (another program wrote text into it)."""
    import sqlite3

    con = sqlite3.connect(db)
    con.execute(
        "UPDATE budget_line SET executed = 'abc' WHERE id = (SELECT min(id) FROM budget_line)"
    )
    con.commit()
    con.close()


def test_a_value_that_does_not_read_opens_the_window_and_offers_its_backups(
    qtbot: Any, tmp_path: Path
) -> None:
    db = _db_with_a_backup(tmp_path)
    _damage_a_value(db)
    before = db.read_bytes()
    window, dialogs = _window(qtbot, db, [press_enter])
    [asked] = dialogs.seen
    assert "无法读取的数值或日期" in asked["text"]
    assert "恢复备份…" in asked["buttons"]
    assert asked["default"] == "取消"
    assert window.doc is None and db.read_bytes() == before, "Enter must not touch the file"


@pytest.mark.parametrize("spoiled", ["emptied", "a value that does not read"])
def test_a_spoiled_database_is_restored_from_the_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoiled: str
) -> None:
    from perfdesk_ui import safety

    db = _db_with_a_backup(tmp_path)
    [backup] = list_backups(db)
    if spoiled == "emptied":
        db.write_bytes(b"")  # a failed copy, a sync tool
    else:
        _damage_a_value(db)
    monkeypatch.setattr(safety.RestoreBackupDialog, "confirm", lambda self, b: True)

    def restore_newest(dialog: QDialog) -> None:
        assert isinstance(dialog, safety.RestoreBackupDialog)
        assert dialog.backups[0] == backup
        QTest.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    window, dialogs = _window(qtbot, db, [click("恢复备份…"), restore_newest])
    assert window.doc is not None and not window.doc.ws.readonly
    assert window.doc.report.unit_name == "株洲市芦淞区民政局"
    window.shutdown()

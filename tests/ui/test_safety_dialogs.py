"""The UI side of data safety: 恢复备份 and the dialog for unhandled exceptions."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from perfdesk_ui import safety
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from perfdesk import logging_setup
from perfdesk.domain.templates import new_report
from perfdesk.errors import NotPerfdeskDatabase
from perfdesk.services import Workspace
from perfdesk.storage.backup import list_backups
from perfdesk.storage.database import open_database


def _db_with_two_backups(tmp_path: Path) -> Path:
    db = tmp_path / "perfdesk.db"
    ws = Workspace.open(db)
    ws.add_report(new_report("株洲市芦淞区民政局", 2024))
    ws.close()  # an exit backup with one report
    ws = Workspace.open(db)
    ws.add_report(new_report("株洲市芦淞区民政局", 2025))
    ws.backup_now()  # a manual backup with two
    ws.close()
    return db


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PERFDESK_LOG_DIR", str(tmp_path / "logs"))
    hook, thread_hook = sys.excepthook, threading.excepthook
    logging_setup.setup_logging()
    yield tmp_path / "logs"
    logging_setup.teardown_logging()
    sys.excepthook, threading.excepthook = hook, thread_hook


def test_the_restore_dialog_lists_backups_with_date_kind_and_reports(qtbot, tmp_path: Path) -> None:
    db = _db_with_two_backups(tmp_path)
    dialog = safety.RestoreBackupDialog(db)
    qtbot.addWidget(dialog)
    backups = list_backups(db)
    assert dialog.windowTitle() == "恢复备份"
    assert dialog.table.rowCount() == len(backups) >= 2
    rows = [
        [dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
        for r in range(dialog.table.rowCount())
    ]
    by_kind = {row[1]: row for row in rows}
    assert by_kind["手动备份"][2].startswith(
        "2 份报告：2024年度 株洲市芦淞区民政局；2025年度 株洲市芦淞区民政局"
    )
    assert rows[0][0] == backups[0].created_text  # newest first, as listed
    assert dialog.restore_button.isEnabled()


def test_restoring_from_the_dialog_saves_the_current_file_first(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db_with_two_backups(tmp_path)
    dialog = safety.RestoreBackupDialog(db)
    qtbot.addWidget(dialog)
    one_report = next(r for r, b in enumerate(dialog.backups) if b.report_count == 1)
    dialog.table.selectRow(one_report)
    asked: list[str] = []
    monkeypatch.setattr(dialog, "confirm", lambda b: asked.append(b.kind) or True)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert asked == [dialog.backups[one_report].kind]
    assert dialog.saved_current is not None and dialog.saved_current.exists()
    ws = Workspace.open(db, readonly=True)
    try:
        assert [r.year for r in ws.list_reports()] == [2024]
    finally:
        ws.close()
    assert any(b.kind == "prerestore" and b.report_count == 2 for b in list_backups(db))


def test_declining_the_confirmation_changes_nothing(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db_with_two_backups(tmp_path)
    before = db.read_bytes()
    dialog = safety.RestoreBackupDialog(db)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "confirm", lambda b: False)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert db.read_bytes() == before


def test_with_no_backups_the_dialog_says_so(qtbot, tmp_path: Path) -> None:
    dialog = safety.RestoreBackupDialog(tmp_path / "perfdesk.db", message="数据库文件已损坏")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty_label.isVisible() and not dialog.table.isVisible()
    assert not dialog.restore_button.isEnabled()
    assert dialog.findChild(QWidget, "problem").text() == "数据库文件已损坏"


def test_a_damaged_file_offers_its_backups(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db_with_two_backups(tmp_path)
    db.write_text("坏了")
    with pytest.raises(NotPerfdeskDatabase) as info:
        open_database(db)
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text() + "\n" + box.informativeText())
        return 0  # closed without choosing 恢复备份

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert safety.offer_restore(None, info.value, db) is False
    assert (
        "不是 perfdesk 数据库" in shown[0] and f"找到 {len(info.value.backups)} 个备份" in shown[0]
    )


def test_enter_in_the_restore_offer_never_restores(qtbot, tmp_path: Path) -> None:
    """The safe choice is the default: Enter cancels, only a click on 恢复备份… replaces a file."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    db = _db_with_two_backups(tmp_path)
    db.write_text("坏了")
    with pytest.raises(NotPerfdeskDatabase) as info:
        open_database(db)
    defaults: list[str] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press_enter)
            return
        defaults.append(box.defaultButton().text())
        QTest.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(20, press_enter)
    assert safety.offer_restore(None, info.value, db) is False
    assert defaults == ["取消"] and db.read_text() == "坏了"


class _Emitter(QObject):
    fire = Signal()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_shown_and_the_program_runs_on(
    qtbot, log_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    safety.install_excepthook(window)

    emitter = _Emitter()

    def broken_slot() -> None:
        raise KeyError("不存在的列")

    emitter.fire.connect(broken_slot)
    emitter.fire.emit()  # PySide hands the exception to sys.excepthook and carries on
    emitter.fire.emit()

    assert len(boxes) == 2
    box = boxes[0]
    assert box.windowTitle() == "程序出错"
    assert "已保存的数据没有受到影响" in box.informativeText()
    assert str(log_folder / "perfdesk.log") in box.informativeText()
    # The kind of error and where, for the maintainer; not its message, which can quote the
    # clerk's data (the log has the whole traceback).
    assert "错误类型：KeyError" in box.detailedText() and "broken_slot" in box.detailedText()
    assert "不存在的列" not in box.detailedText() and "Traceback" not in box.detailedText()
    logging_setup.teardown_logging()
    assert "KeyError: '不存在的列'" in (log_folder / "perfdesk.log").read_text(encoding="utf-8")


def test_screenshot_of_the_restore_dialog(qtbot, tmp_path: Path) -> None:
    """Look at it: Chinese text must render (a missing CJK font shows empty boxes)."""
    db = _db_with_two_backups(tmp_path)
    dialog = safety.RestoreBackupDialog(
        db, message="数据库“perfdesk.db”已损坏（文件头不完整），文件未作任何改动"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    image = dialog.grab()
    assert image.save(str(tmp_path / "restore_dialog.png"))
    assert image.width() > 300
    # Missing CJK glyphs all draw as the same empty box: two different Chinese words would then
    # give the same picture. With a real font they differ (and differ from a word of boxes).
    from tests.ui.helpers import chinese_renders

    assert chinese_renders(dialog.font())


def test_a_failed_save_is_shown_as_not_saved(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db_with_two_backups(tmp_path)
    ws = Workspace.open(db, readonly=True)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text: shown.append((title, text))
    )
    try:
        ws.update("report", ws.list_reports()[0].id, {"preparer": "李四"})
    except Exception as exc:  # noqa: BLE001 - what the UI's undo command does
        safety.show_save_failure(None, exc)
    finally:
        ws.close()
    assert shown and shown[0][0] == "修改未保存" and "刚才的修改未保存" in shown[0][1]

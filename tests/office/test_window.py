"""The window's 文件 → 导出 / 导入 entries, driven as a clerk would: menu, dialog, 导入, 撤销."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox  # noqa: E402

from tests.office.conftest import cell_right_of, edited  # noqa: E402
from tests.ui.conftest import _shown_window, filled_report  # noqa: E402


@pytest.fixture
def window(qtbot: Any, db_path: Any) -> Any:
    from perfdesk.services import Workspace

    ws = Workspace.open(db_path)
    ws.add_report(filled_report())
    yield from _shown_window(qtbot, ws)


def _menu_action(window: Any, menu_title: str, text: str) -> Any:
    menu = window.import_menu if menu_title == "导入" else window.export_menu
    menu.aboutToShow.emit()
    return next(a for a in menu.actions() if a.text() == text)


def test_file_menu_offers_excel_and_word(window):
    file_menu = window.menuBar().actions()[0].menu()
    titles = [a.text() for a in file_menu.actions()]
    assert "导入" in titles and "导出" in titles
    assert [a.text() for a in window.export_menu.actions()] == [
        "JSON 交换文件…",
        "Excel 附件表…",
        "Word 文档…",
    ]
    assert [a.text() for a in window.import_menu.actions()] == ["JSON 交换文件…", "Excel 工作簿…"]


def test_export_excel_and_word_from_the_menu(window, tmp_path, monkeypatch):
    targets = iter([str(tmp_path / "附件表.xlsx"), str(tmp_path / "报告.docx")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (next(targets), ""))
    _menu_action(window, "导出", "Excel 附件表…").trigger()
    _menu_action(window, "导出", "Word 文档…").trigger()
    assert (tmp_path / "附件表.xlsx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "报告.docx").read_bytes()[:2] == b"PK"


def test_import_shows_every_change_then_stores_it_as_one_undo_step(
    window, qtbot, tmp_path, monkeypatch
):
    from perfdesk.office.xlsx_export import xlsx_bytes

    doc = window.doc
    report = doc.report
    data = edited(
        xlsx_bytes(report),
        lambda wb: setattr(cell_right_of(wb["附件1 基础数据表"], "3、公务接待", 3), "value", 2.5),
    )
    path = tmp_path / "改过的.xlsx"
    path.write_bytes(data)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    seen: list[Any] = []

    def click_import(dialog: QDialog) -> int:
        seen.append([dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())])
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    from perfdesk_ui import office

    monkeypatch.setattr(office.ImportPreviewDialog, "exec", click_import)
    _menu_action(window, "导入", "Excel 工作簿…").trigger()
    assert seen == [["2.50"]]
    qtbot.waitUntil(lambda: doc.report.control_line("three_public.reception").final == D("2.5"))
    assert doc.undo_stack.undoText().startswith("从 Excel 导入")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: doc.report.control_line("three_public.reception").final == D("1.00"))
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: doc.report.control_line("three_public.reception").final == D("2.5"))


def test_cancelled_import_stores_nothing(window, qtbot, tmp_path, monkeypatch):
    from perfdesk.office.xlsx_export import xlsx_bytes

    doc = window.doc
    before = doc.ws.load(doc.report_id)
    data = edited(
        xlsx_bytes(doc.report),
        lambda wb: setattr(cell_right_of(wb["附件1 基础数据表"], "3、公务接待", 3), "value", 9),
    )
    path = tmp_path / "改过的.xlsx"
    path.write_bytes(data)
    from perfdesk_ui import office

    def press_cancel(dialog: QDialog) -> int:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(office.ImportPreviewDialog, "exec", press_cancel)
    assert office.import_xlsx(window, path) is False
    assert doc.ws.load(doc.report_id) == before
    assert not doc.undo_stack.canUndo()


def test_bad_workbook_is_explained_in_a_message_and_nothing_changes(window, tmp_path, monkeypatch):
    doc = window.doc
    before = doc.ws.load(doc.report_id)
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    from perfdesk_ui import office

    assert office.import_xlsx(window, bad) is False
    assert "不是 Excel 工作簿" in shown[0] and "--" not in shown[0]
    assert doc.ws.load(doc.report_id) == before

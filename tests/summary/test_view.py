"""The 自评汇总 window, driven as the 主管部门's clerk would: opened from the 报告 menu, sorted by a
click on a column, filtered by typing, a double-click opening a unit's report, a folder gathered
with a progress bar, the 汇总分析 typed and undone, a 说明 added."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from perfdesk.exchange.jsonfile import dump_bytes
from perfdesk.services import Workspace
from tests.summary.conftest import unit
from tests.ui.conftest import _shown_window
from tests.ui.helpers import type_text


@pytest.fixture
def units_ws(db_path: Path) -> Workspace:
    ws = Workspace.open(db_path)
    ws.add_report(unit("株洲市芦淞区民政局", executed="90.00", score="5"))
    ws.add_report(unit("株洲市芦淞区财政局", executed=None, score="9"))
    ws.add_report(unit("株洲市芦淞区审计局", executed="70.00", score=None))
    ws.add_report(unit("株洲市芦淞区档案馆", executed="99.00", score="-40"))
    return ws


@pytest.fixture
def main_window(qtbot: Any, units_ws: Workspace) -> Any:
    yield from _shown_window(qtbot, units_ws)


def _summary_window(qtbot: Any, main_window: Any) -> Any:
    qtbot.keyClick(
        main_window,
        Qt.Key.Key_H,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: getattr(main_window, "summary_window", None) is not None)
    window = main_window.summary_window
    qtbot.waitUntil(window.isVisible)
    return window


def _names(window: Any) -> list[str]:
    proxy = window.proxy
    return [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())]


def _column(window: Any, key: str) -> list[str]:
    from perfdesk.summary.table import COLUMNS

    col = [c.key for c in COLUMNS].index(key)
    proxy = window.proxy
    return [proxy.data(proxy.index(r, col)) for r in range(proxy.rowCount())]


def _click_header(qtbot: Any, window: Any, key: str) -> None:
    from perfdesk.summary.table import COLUMNS

    header = window.table.horizontalHeader()
    col = [c.key for c in COLUMNS].index(key)
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().center().__class__(x, 5)
    )


def test_the_summary_is_a_window_of_its_own_from_the_report_menu(
    qtbot: Any, main_window: Any
) -> None:
    menu = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "报告")
    assert "自评汇总…" in [a.text() for a in menu.actions()]
    window = _summary_window(qtbot, main_window)
    assert window.isWindow() and window is not main_window
    assert main_window.tabs.count() == 6  # not a tab of one report
    assert len(_names(window)) == 4
    assert window.footer_model.data(window.footer_model.index(0, 3)) == "259.00 （3）"
    assert "共 4 个单位" in window.counts.text()
    window.act_refresh.trigger()  # 刷新 (F5)
    assert len(_names(window)) == 4


def test_sorting_by_a_column_puts_blanks_last_both_ways(qtbot: Any, main_window: Any) -> None:
    window = _summary_window(qtbot, main_window)
    _click_header(qtbot, window, "executed")
    first = _column(window, "executed")
    _click_header(qtbot, window, "executed")
    second = _column(window, "executed")
    ascending, descending = sorted([first, second], key=lambda col: col[0])
    assert ascending == ["70.00", "90.00", "99.00", ""]
    assert descending == ["99.00", "90.00", "70.00", ""]


def test_typing_a_name_or_choosing_a_grade_filters_the_units(qtbot: Any, main_window: Any) -> None:
    window = _summary_window(qtbot, main_window)
    window.filter_text.setFocus()
    type_text(qtbot, window.filter_text, "财政")
    assert _names(window) == ["株洲市芦淞区财政局"]
    window.filter_text.clear()
    window.filter_kind.setFocus()
    while window.filter_kind.currentText() != "未完成评分":
        qtbot.keyClick(window.filter_kind, Qt.Key.Key_Down)
    # 财政局 left 全年执行数 blank, so its 预算执行率 line has no score either
    assert _names(window) == ["株洲市芦淞区审计局", "株洲市芦淞区财政局"]
    assert "显示 2 / 4 个单位" in window.counts.text()


def test_a_double_click_opens_the_units_report(
    qtbot: Any, main_window: Any, units_ws: Workspace
) -> None:
    window = _summary_window(qtbot, main_window)
    row = _names(window).index("株洲市芦淞区档案馆")
    index = window.proxy.index(row, 0)
    rect = window.table.visualRect(index)
    QTest.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wanted = next(r.id for r in units_ws.list_reports() if r.unit_name == "株洲市芦淞区档案馆")
    qtbot.waitUntil(lambda: main_window.doc.report_id == wanted)
    assert main_window.report_combo.currentData() == wanted


def test_the_analysis_is_typed_stored_and_undone(
    qtbot: Any, main_window: Any, units_ws: Workspace
) -> None:
    window = _summary_window(qtbot, main_window)
    window.tabs.setCurrentIndex(2)
    window.analysis.setFocus()
    window.analysis.moveCursor(window.analysis.textCursor().MoveOperation.End)
    qtbot.keyClick(window.analysis, Qt.Key.Key_Return)
    type_text(qtbot, window.analysis, "以上情况特此报告。")
    qtbot.waitUntil(lambda: units_ws.summary_settings(2024).analysis is not None, timeout=3000)
    assert units_ws.summary_settings(2024).analysis.endswith("以上情况特此报告。")
    assert window.regenerate_button.isEnabled()
    window.act_undo.trigger()
    assert units_ws.summary_settings(2024).analysis is None
    assert "以上情况特此报告。" not in window.analysis.toPlainText()
    window.act_redo.trigger()
    assert units_ws.summary_settings(2024).analysis.endswith("以上情况特此报告。")


def test_a_note_accepts_a_cross_unit_finding(
    qtbot: Any, main_window: Any, units_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    window = _summary_window(qtbot, main_window)
    window.tabs.setCurrentIndex(1)
    [item] = [
        window.findings_list.item(i)
        for i in range(window.findings_list.count())
        if "审计局" in window.findings_list.item(i).text()
    ]
    window.findings_list.setCurrentItem(item)
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: ("评分表已另行补报", True)
    )
    QTest.mouseClick(window.explain_button, Qt.MouseButton.LeftButton)
    [note] = units_ws.summary_notes(2024)
    assert note.text == "评分表已另行补报"
    assert any(
        "已说明" in window.findings_list.item(i).text() for i in range(window.findings_list.count())
    )
    window.act_undo.trigger()
    assert units_ws.summary_notes(2024) == []


def test_gathering_a_folder_in_the_window_shows_each_files_result(
    qtbot: Any, main_window: Any, units_ws: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "收到的报告"
    folder.mkdir()
    (folder / "a.json").write_bytes(dump_bytes(unit("株洲市芦淞区统计局", executed="50.00")))
    (folder / "b.json").write_bytes(b"{ not json")
    window = _summary_window(qtbot, main_window)
    results = window.gather(folder)
    assert [r.outcome.value for r in results] == ["已导入", "未导入"]
    dialog = window.results_dialog
    assert dialog.isVisible() and dialog.table.rowCount() == 2
    assert dialog.table.item(1, 1).text() == "未导入"
    assert "已导入 1" in dialog.tally.text()
    assert "株洲市芦淞区统计局" in _names(window)
    labels = [main_window.report_combo.itemText(i) for i in range(main_window.report_combo.count())]
    assert any("株洲市芦淞区统计局" in label for label in labels)
    assert window.summary.totals["executed"].value == D("309.00")


def test_a_new_database_for_the_summary_is_made_when_the_summary_is_opened(
    qtbot: Any, tmp_path: Path
) -> None:
    from perfdesk_ui.app import application
    from perfdesk_ui.main_window import MainWindow

    application()
    main = MainWindow(None)
    qtbot.addWidget(main)
    path = tmp_path / "汇总.db"
    main.set_pending_database(path)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    assert main.act_summary.isEnabled() and not path.exists()
    main.act_summary.trigger()  # 报告 → 自评汇总… (the start page's buttons hold the focus)
    window = main.summary_window
    assert path.exists() and window.summary is None and window.empty.isVisible()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_bytes(dump_bytes(unit("株洲市芦淞区统计局")))
    window.gather(folder)
    assert _names(window) == ["株洲市芦淞区统计局"]
    qtbot.waitUntil(lambda: main.doc.report is not None)  # the start page gives way to the report
    assert main.doc.report.unit_name == "株洲市芦淞区统计局"
    main.close()

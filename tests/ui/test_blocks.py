"""Pasting blocks from Excel/WPS, copying out, clearing: all or nothing, named errors."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from perfdesk_ui.tabs.funds import FundsTab
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.helpers import col_of, row_of


def _select(view, row, col):
    view.selectionModel().setCurrentIndex(
        view.model().index(row, col), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def _funds(window):
    tab = window.tab(FundsTab)
    window.tabs.setCurrentWidget(tab)
    return tab


def test_pasting_a_block_fills_the_budget_grid_in_one_undo_step(
    qtbot, window, workspace, report_id
):
    tab = _funds(window)
    model, view = tab.budget_model, tab.budget_view
    top = row_of(model, "一般公共预算")
    _select(view, top, 0)
    # two rows × three columns as Excel puts them on the clipboard (CRLF, trailing newline)
    QGuiApplication.clipboard().setText(
        "1,000.00\t1,100.00\t1,050.50\r\n２００\t２００\t１９９．５\r\n"
    )
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    report = workspace.load(report_id)
    assert report.budget_line("income.general_public").executed == D("1050.50")
    assert report.budget_line("income.gov_fund").full_year_budget == D("200.00")
    assert report.budget_line("income.gov_fund").executed == D("199.50")
    assert (
        model.cell_text(row_of(model, "按收入性质分 合计"), col_of(model, "全年执行数"))
        == "1250.00"
    )
    assert "已粘贴 6 个单元格" in window.statusBar().currentMessage()
    assert window.doc.undo_stack.count() == 1
    window.undo()
    assert workspace.load(report_id).budget_line("income.general_public").executed is None


def test_a_bad_cell_in_a_pasted_block_stores_nothing_and_names_the_cell(
    qtbot, window, workspace, report_id
):
    tab = _funds(window)
    model, view = tab.budget_model, tab.budget_view
    _select(view, row_of(model, "一般公共预算"), 0)
    assert not view.paste_text("100\t100\t100\n200\t2OO\t200\n")
    report = workspace.load(report_id)
    assert report.budget_line("income.general_public").initial_budget is None
    message = window.statusBar().currentMessage()
    assert "“政府性基金拨款”行“全年预算数”" in message and "金额格式不正确" in message
    assert "整块未粘贴" in message


def test_a_paste_larger_than_a_fixed_grid_is_refused(qtbot, window, workspace, report_id):
    tab = _funds(window)
    model, view = tab.budget_model, tab.budget_view
    _select(view, model.rowCount() - 1, 0)
    assert not view.paste_text("1\n2\n3\n")
    assert "行数是固定的" in window.statusBar().currentMessage()
    _select(view, 0, 2)
    assert not view.paste_text("1\t2\t3\t4\n")
    assert "超出表格右边界" in window.statusBar().currentMessage()
    assert window.doc.undo_stack.count() == 0


def _thousand_buildings(bad_row: int | None) -> str:
    lines = []
    for i in range(1000):
        area = "12O" if i == bad_row else f"{100 + i}"
        lines.append(f"项目{i}\t{area}\t{100 + i}\t{i}.5\t{i}.25")
    return "\n".join(lines) + "\n"


def test_a_thousand_row_paste_with_one_bad_cell_stores_nothing(qtbot, window, workspace, report_id):
    tab = _funds(window)
    view = tab.buildings.view
    _select(view, 0, 0)
    assert not view.paste_text(_thousand_buildings(bad_row=777))
    assert workspace.load(report_id).buildings == []
    assert "第778行“批复规模（㎡）”" in window.statusBar().currentMessage()


@pytest.mark.slow
def test_a_thousand_row_paste_extends_a_row_table_and_one_undo_removes_it(
    qtbot, window, workspace, report_id
):
    tab = _funds(window)
    view = tab.buildings.view
    assert view.paste_text(_thousand_buildings(bad_row=None))
    buildings = workspace.load(report_id).buildings
    assert len(buildings) == 1000
    assert buildings[999].name == "项目999" and buildings[999].actual_investment == D("999.25")
    assert view.model().rowCount() == 1000
    window.undo()
    assert workspace.load(report_id).buildings == []
    window.redo()
    assert len(workspace.load(report_id).buildings) == 1000


def test_copy_gives_tab_separated_values_and_delete_clears(qtbot, window, workspace, report_id):
    tab = _funds(window)
    model, view = tab.budget_model, tab.budget_view
    row = row_of(model, "年度资金总额")
    sel = view.selectionModel()
    view.setFocus()
    _select(view, row, 0)
    sel.select(model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    for col in (1, 2):
        sel.select(model.index(row, col), QItemSelectionModel.SelectionFlag.Select)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "4572.76\t4532.05\t4500.00\n"
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    line = workspace.load(report_id).budget_line("total")
    assert (line.initial_budget, line.full_year_budget, line.executed) == (None, None, None)
    window.undo()
    assert workspace.load(report_id).budget_line("total").executed == D("4500.00")

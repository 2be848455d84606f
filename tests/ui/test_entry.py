"""Typing into the tabs as a clerk: values reach the database, computed cells follow, bad input
is named at the cell and nothing is stored."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from perfdesk_ui.tabs.funds import FundsTab
from perfdesk_ui.tabs.organisation import OrganisationTab
from perfdesk_ui.tabs.projects import ProjectsTab
from perfdesk_ui.tabs.scores import ScoresTab
from perfdesk_ui.tabs.sections import SectionsTab
from PySide6.QtCore import Qt

from tests.ui.helpers import col_of, row_of, type_into_cell, type_into_field, type_text


def _show(window: Any, cls: type) -> Any:
    tab = window.tab(cls)
    window.tabs.setCurrentWidget(tab)
    return tab


def test_amount_typed_in_budget_grid_is_stored_and_execution_rate_follows(
    qtbot, window, workspace, report_id
):
    tab = _show(window, FundsTab)
    model, view = tab.budget_model, tab.budget_view
    row = row_of(model, "年度资金总额")
    type_into_cell(qtbot, view, row, col_of(model, "全年执行数"), "4,532.05")
    stored = workspace.load(report_id).budget_line("total")
    assert stored.executed == D("4532.05")
    assert model.cell_text(row, col_of(model, "执行率")) == "100.00%"
    # Enter moved on to the next row, as in a spreadsheet
    assert view.currentIndex().row() == row + 1


def test_fullwidth_digits_and_wan_yuan_suffix_are_accepted(qtbot, window, workspace, report_id):
    tab = _show(window, FundsTab)
    model = tab.budget_model
    row = row_of(model, "一般公共预算")
    type_into_cell(qtbot, tab.budget_view, row, col_of(model, "全年执行数"), "１２３４．５６")
    type_into_cell(
        qtbot, tab.budget_view, row_of(model, "其他资金"), col_of(model, "全年执行数"), "10万元"
    )
    report = workspace.load(report_id)
    assert report.budget_line("income.general_public").executed == D("1234.56")
    assert report.budget_line("income.other").executed == D("10.00")
    subtotal = row_of(model, "按收入性质分 合计")
    assert model.cell_text(subtotal, col_of(model, "全年执行数")) == "1244.56"


def test_letters_in_an_amount_are_refused_at_the_cell_and_nothing_is_stored(
    qtbot, window, workspace, report_id
):
    tab = _show(window, FundsTab)
    model = tab.budget_model
    row, col = row_of(model, "年度资金总额"), col_of(model, "全年执行数")
    before = workspace.load(report_id).budget_line("total").executed
    type_into_cell(qtbot, tab.budget_view, row, col, "45x2")
    assert workspace.load(report_id).budget_line("total").executed == before
    message = model.errors[(row, col)]
    assert "“年度资金总额”行“全年执行数”" in message and "金额格式不正确" in message
    assert "金额格式不正确" in window.statusBar().currentMessage()
    assert model.data(model.index(row, col), Qt.ItemDataRole.ToolTipRole) == message
    assert window.doc.undo_stack.count() == 0


def test_three_public_parts_update_the_computed_total_rows(qtbot, window, workspace, report_id):
    tab = _show(window, FundsTab)
    model = tab.control_model
    final = col_of(model, "本年决算数")
    type_into_cell(qtbot, tab.control_view, row_of(model, "公车运行维护"), final, "3.5")
    total_row = row_of(model, "三公经费 合计")
    assert model.cell_text(total_row, final) == "4.50"  # 3.5 + 公务接待 1.00
    assert model.cell_text(row_of(model, "1、公务用车购置和维护经费"), final) == "3.50"
    assert not model.flags(model.index(total_row, final)) & Qt.ItemFlag.ItemIsEditable
    assert workspace.load(report_id).control_line("three_public.vehicle_operation").final == D(
        "3.50"
    )


def test_negative_count_is_refused_in_a_field(qtbot, window, workspace, report_id):
    tab = _show(window, OrganisationTab)
    type_into_field(qtbot, tab.actual_staff, "-3")
    assert workspace.load(report_id).actual_staff == 27
    assert "不能为负数" in tab.actual_staff.toolTip()
    type_into_field(qtbot, tab.actual_staff, "30")
    assert workspace.load(report_id).actual_staff == 30
    assert tab.control_rate.text() == "100.00%"  # 30 ÷ (20 + 10)


def test_staff_post_count_updates_establishment_total(qtbot, window, workspace, report_id):
    tab = _show(window, OrganisationTab)
    model = tab.posts.model
    type_into_cell(qtbot, tab.posts.view, 0, col_of(model, "编制数"), "25")
    assert workspace.load(report_id).posts[0].count == 25
    assert tab.establishment.text() == "35 人"


def test_project_amount_updates_its_execution_rate(qtbot, window, workspace, report_id):
    tab = _show(window, ProjectsTab)
    model = tab.table.model
    type_into_cell(qtbot, tab.table.view, 0, col_of(model, "执行数"), "1000")
    assert workspace.load(report_id).projects[0].executed == D("1000.00")
    assert model.cell_text(0, col_of(model, "执行率")) == "100.00%"


def test_indicator_actual_value_updates_suggested_score_and_total(
    qtbot, window, workspace, report_id
):
    tab = _show(window, ScoresTab)
    model = tab.editor.indicators.model
    type_into_cell(qtbot, tab.editor.indicators.view, 0, col_of(model, "实际值"), "50")
    assert workspace.load(report_id).indicators[0].actual_value == D("50")
    assert model.cell_text(0, col_of(model, "建议得分")) == "10"  # 50/100 × 20
    # 执行率 4500/4532.05 × 10 = 9.93, plus 10
    assert tab.editor.total_score.text() == "19.93"
    assert tab.editor.grade.text() == "差"


def test_section_text_is_committed_after_a_pause_as_one_undo_step(
    qtbot, window, workspace, report_id
):
    tab = _show(window, SectionsTab)
    tab.outline.setCurrentRow(1)
    tab.text.setFocus()
    tab.text.moveCursor(tab.text.textCursor().MoveOperation.End)
    type_text(qtbot, tab.text, "另设")
    qtbot.waitUntil(lambda: not tab.text.pending(), timeout=3000)
    type_text(qtbot, tab.text, "办公室。")
    qtbot.waitUntil(lambda: not tab.text.pending(), timeout=3000)
    assert workspace.load(report_id).sections[1].text == "本单位内设科室若干。另设办公室。"
    assert window.doc.undo_stack.count() == 1  # consecutive typing merged
    window.doc.undo_stack.undo()
    assert workspace.load(report_id).sections[1].text == "本单位内设科室若干。"
    assert tab.text.toPlainText() == "本单位内设科室若干。"


def test_heading_is_editable(qtbot, window, workspace, report_id):
    tab = _show(window, SectionsTab)
    tab.outline.setCurrentRow(0)
    type_into_field(qtbot, tab.heading, "单位基本情况")
    assert workspace.load(report_id).sections[0].heading == "单位基本情况"
    assert tab.outline.item(0).text() == "一、单位基本情况"

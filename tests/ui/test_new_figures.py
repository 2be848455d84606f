"""Fields for the figures real reports have: fund sections 有/无/未说明, free project categories
with suggestions, 项目支出 as a total beside the projects' sum, and blank shown apart from 0."""

from __future__ import annotations

from decimal import Decimal as D

from perfdesk_ui.tabs.funds import PROJECT_TOTAL_LABEL, PROJECTS_SUM_LABEL, FundsTab
from perfdesk_ui.tabs.organisation import OrganisationTab
from perfdesk_ui.tabs.projects import ProjectsTab
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from perfdesk.domain import model as m
from perfdesk.services import Workspace
from tests.ui.helpers import col_of, row_of, type_into_cell, type_into_field, type_text


def fresh(workspace, report_id) -> m.Report:
    """The report as stored, read by a second, read-only opener."""
    ws = Workspace.open(workspace.path, readonly=True)
    try:
        return ws.load(report_id)
    finally:
        ws.close()


def test_fund_status_is_chosen_by_keys_and_amounts_are_only_editable_for_has(
    qtbot, window, workspace, report_id
):
    funds = window.tab(FundsTab)
    window.tabs.setCurrentWidget(funds)
    status, initial, income, expenditure, usage = funds.fund_fields[m.SpecialFundKind.GOV_FUND]
    assert status.currentText() == "未说明（报告未提及）"
    assert not initial.isEnabled() and not usage.isEnabled()
    assert "不打印标准段落" in funds.fund_state[m.SpecialFundKind.GOV_FUND].text()

    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Down)  # → 有
    assert fresh(workspace, report_id).special_fund(m.SpecialFundKind.GOV_FUND).status == (
        m.FundStatus.HAS
    )
    assert initial.isEnabled() and income.isEnabled() and usage.isEnabled()
    type_into_field(qtbot, initial, "118.82")
    assert fresh(workspace, report_id).special_fund(m.SpecialFundKind.GOV_FUND).initial_budget == (
        D("118.82")
    )

    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Down)  # → 无
    fund = fresh(workspace, report_id).special_fund(m.SpecialFundKind.GOV_FUND)
    assert fund.status == m.FundStatus.NONE
    assert fund.initial_budget == D("118.82")  # kept, not thrown away
    assert not initial.isEnabled() and initial.text() == "118.82"  # greyed, still visible
    state = funds.fund_state[m.SpecialFundKind.GOV_FUND].text()
    assert "本部门无政府性基金预算安排" in state and "已填的金额保留" in state
    window.act_undo.trigger()
    assert fresh(workspace, report_id).special_fund(m.SpecialFundKind.GOV_FUND).status == (
        m.FundStatus.HAS
    )
    assert initial.isEnabled()


def _open_category(qtbot, view, row: int, col: int, text: str) -> QLineEdit:
    view.setFocus()
    view.setCurrentIndex(view.model().index(row, col))
    type_text(qtbot, view, text[0])
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    if len(text) > 1:
        type_text(qtbot, editor, text[1:])
    return editor


def test_project_category_is_free_text_with_suggestions_for_the_units_level(
    qtbot, window, workspace, report_id
):
    org = window.tab(OrganisationTab)
    window.tabs.setCurrentWidget(org)
    type_into_field(qtbot, org.header["unit_level"], "乡镇")

    tab = window.tab(ProjectsTab)
    window.tabs.setCurrentWidget(tab)
    view, model = tab.table.view, tab.table.model
    col = col_of(model, "类别")
    editor = _open_category(qtbot, view, 0, col, "专项")
    completer = editor.completer()
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    offered = [
        completer.completionModel().index(i, 0).data() for i in range(popup.model().rowCount())
    ]
    assert offered[0] == "乡镇专项资金"  # the unit's own level first
    assert "省级专项资金" in offered and "业务工作经费" not in offered
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=2000)
    assert fresh(workspace, report_id).projects[0].category == "乡镇专项资金"

    # anything else typed is kept as typed; blank is allowed
    type_into_cell(qtbot, view, 1, col, "上级补助项目")
    assert fresh(workspace, report_id).projects[1].category == "上级补助项目"
    view.setCurrentIndex(model.index(1, col))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert fresh(workspace, report_id).projects[1].category == ""


def test_project_expenditure_total_is_labelled_and_shown_beside_the_projects_sum(
    qtbot, window, workspace, report_id
):
    funds = window.tab(FundsTab)
    window.tabs.setCurrentWidget(funds)
    cm = funds.control_model
    total_row = row_of(cm, PROJECT_TOTAL_LABEL)
    sum_row = row_of(cm, PROJECTS_SUM_LABEL)
    assert sum_row == total_row + 1
    assert not cm.is_editable(sum_row, col_of(cm, "本年决算数"))
    # the projects: 城乡低保资金 (全年预算 1000, 执行 900) and 养老服务补贴 (blank)
    assert cm.cell_text(sum_row, col_of(cm, "本年决算数")) == "900.00"
    assert cm.cell_text(sum_row, col_of(cm, "本年预算数")) == "1000.00"
    assert cm.cell_text(sum_row, col_of(cm, "上年决算数")) == ""  # no project gives one
    type_into_cell(qtbot, funds.control_view, total_row, col_of(cm, "本年决算数"), "950")
    assert fresh(workspace, report_id).control_line("project").final == D("950.00")
    assert cm.cell_text(total_row, col_of(cm, "本年决算数")) == "950.00"

    bm = funds.budget_model
    project_row = row_of(bm, PROJECT_TOTAL_LABEL)
    bsum = row_of(bm, PROJECTS_SUM_LABEL)
    assert bm.rows[project_row].obj.key == "expense.project"
    assert bm.cell_text(bsum, col_of(bm, "全年执行数")) == "900.00"
    assert bm.cell_text(bsum, col_of(bm, "年初预算数")) == ""
    assert bm.cell_text(bsum, col_of(bm, "执行率")) == "90.00%"


def test_blank_and_zero_are_shown_differently_in_grids_and_computed_cells(
    qtbot, window, workspace, report_id
):
    funds = window.tab(FundsTab)
    window.tabs.setCurrentWidget(funds)
    bm, view = funds.budget_model, funds.budget_view
    row = row_of(bm, "基本支出")
    col = col_of(bm, "全年执行数")
    rate = col_of(bm, "执行率")
    assert bm.cell_text(row, col) == "" and bm.cell_text(row, rate) == ""
    type_into_cell(qtbot, view, row, col_of(bm, "全年预算数"), "0")
    type_into_cell(qtbot, view, row, col, "0")
    line = fresh(workspace, report_id).budget_line("expense.basic")
    assert (line.full_year_budget, line.executed) == (D("0"), D("0"))
    assert bm.cell_text(row, col) == "0.00"
    assert bm.cell_text(row, rate) == "0.00%"  # 0 of 0, as the forms print it
    type_into_cell(qtbot, view, row, col, "5")
    assert bm.cell_text(row, rate) == ""  # 5 of a zero budget: no rate, nothing invented
    view.setCurrentIndex(bm.index(row, col))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert fresh(workspace, report_id).budget_line("expense.basic").executed is None
    assert bm.cell_text(row, col) == "" and bm.cell_text(row, rate) == ""

    # a computed total: blank while every part is blank, 0.00 once a part is 0
    cm = funds.control_model
    three = row_of(cm, "三公经费 合计")
    vehicle = row_of(cm, "1、公务用车购置和维护经费")
    c = col_of(cm, "本年预算数")
    assert cm.cell_text(vehicle, c) == ""
    type_into_cell(qtbot, funds.control_view, row_of(cm, "公车购置"), c, "0")
    assert cm.cell_text(vehicle, c) == "0.00"
    assert cm.cell_text(three, c) == "1.50"  # 0 + the 1.50 of 公务接待

    # the computed labels beside the fields: blank stays blank
    assert funds.basic_parts.text() == ""  # 人员经费 and 公用经费 not given


def test_a_report_with_no_projects_and_no_indicators_shows_blanks_in_every_tab(qtbot, db_path):
    from perfdesk_ui.app import application
    from perfdesk_ui.main_window import MainWindow
    from perfdesk_ui.tabs.scores import ScoresTab
    from perfdesk_ui.tabs.sections import SectionsTab

    from perfdesk.domain.templates import new_report

    r = new_report("某某乡人民政府", 2025)
    r.projects, r.indicators, r.groups = [], [], []
    ws = Workspace.open(db_path)
    rid = ws.add_report(r)
    application()
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
    funds = window.tab(FundsTab)
    cm, bm = funds.control_model, funds.budget_model
    for c in range(3):
        assert cm.cell_text(row_of(cm, PROJECTS_SUM_LABEL), c) == ""
        assert bm.cell_text(row_of(bm, PROJECTS_SUM_LABEL), c) == ""
    assert funds.projects_total.text() == ""
    projects = window.tab(ProjectsTab)
    assert projects.table.model.rowCount() == 0
    assert projects.detail.tabText(0) == "项目概况：（没有项目）"
    scores = window.tab(ScoresTab)
    assert scores.editor.indicators.model.rowCount() == 0
    assert scores.editor.total_score.text() == "" and scores.editor.grade.text() == ""
    # the first project can be added from here
    window.tabs.setCurrentWidget(projects)
    qtbot.mouseClick(projects.table.buttons["insert"], Qt.MouseButton.LeftButton)
    assert [p.name for p in fresh(ws, rid).projects] == ["新项目"]
    assert window.tab(SectionsTab).outline.count() == len(r.sections)
    window.close()

"""Undo a clerk can predict (#14, points 2, 3 and 8), driven by the keys the clerk presses:

- in a text box Ctrl+Z / Ctrl+Y undo and redo that box's typing first, then the report's steps;
- a report step undone or redone brings its tab forward and selects the changed cell;
- the toolbar's labels never move; the step is named in the tooltip and the 编辑 menu.
"""

from __future__ import annotations

from decimal import Decimal as D

from perfdesk_ui.tabs.funds import FundsTab
from perfdesk_ui.tabs.organisation import OrganisationTab
from perfdesk_ui.tabs.projects import ProjectsTab
from perfdesk_ui.tabs.scores import ScoresTab
from perfdesk_ui.tabs.sections import SectionsTab
from PySide6.QtWidgets import QToolBar

from tests.ui.helpers import col_of, press, row_of, type_into_cell, type_into_field, type_text


def _show(window, cls):
    tab = window.tab(cls)
    window.tabs.setCurrentWidget(tab)
    return tab


def _typed_into_section(qtbot, tab, text: str) -> None:
    tab.text.setFocus()
    tab.text.moveCursor(tab.text.textCursor().MoveOperation.End)
    type_text(qtbot, tab.text, text)
    qtbot.waitUntil(lambda: not tab.text.pending(), timeout=3000)  # committed after the pause


def test_ctrl_z_in_a_text_box_undoes_its_typing_and_ctrl_y_brings_it_back(
    qtbot, window, workspace, report_id
):
    tab = _show(window, SectionsTab)
    tab.outline.setCurrentRow(1)
    _typed_into_section(qtbot, tab, "另设办公室。")
    assert workspace.load(report_id).sections[1].text == "本单位内设科室若干。另设办公室。"

    press(qtbot, "Ctrl+Z", tab.text)
    assert tab.text.toPlainText() == "本单位内设科室若干。"
    qtbot.waitUntil(lambda: not tab.text.pending(), timeout=3000)
    assert workspace.load(report_id).sections[1].text == "本单位内设科室若干。"
    assert tab.text.hasFocus()

    press(qtbot, "Ctrl+Y", tab.text)  # not greyed out: the typing comes back
    assert tab.text.toPlainText() == "本单位内设科室若干。另设办公室。"
    qtbot.waitUntil(lambda: not tab.text.pending(), timeout=3000)
    assert workspace.load(report_id).sections[1].text == "本单位内设科室若干。另设办公室。"

    press(qtbot, "Ctrl+Z", tab.text)  # Ctrl+Shift+Z works as redo too
    press(qtbot, "Ctrl+Shift+Z", tab.text)
    assert tab.text.toPlainText() == "本单位内设科室若干。另设办公室。"


def test_ctrl_z_in_a_text_box_with_nothing_typed_undoes_the_reports_last_step(
    qtbot, window, workspace, report_id
):
    funds = _show(window, FundsTab)
    m = funds.budget_model
    row, col = row_of(m, "年度资金总额"), col_of(m, "全年执行数")
    type_into_cell(qtbot, funds.budget_view, row, col, "4532.05")
    tab = _show(window, SectionsTab)
    tab.outline.setCurrentRow(1)
    tab.text.setFocus()  # a box without typing of its own
    press(qtbot, "Ctrl+Z", tab.text)
    assert workspace.load(report_id).budget_line("total").executed == D("4500.00")
    press(qtbot, "Ctrl+Y")
    assert workspace.load(report_id).budget_line("total").executed == D("4532.05")


def test_typing_then_ctrl_z_twice_undoes_the_box_then_the_step_before(
    qtbot, window, workspace, report_id
):
    org = _show(window, OrganisationTab)
    type_into_field(qtbot, org.header["preparer"], "李四")
    assert workspace.load(report_id).preparer == "李四"
    tab = _show(window, SectionsTab)
    tab.outline.setCurrentRow(1)
    _typed_into_section(qtbot, tab, "另设办公室。")
    press(qtbot, "Ctrl+Z", tab.text)  # the box's own typing
    qtbot.waitUntil(lambda: not tab.text.pending(), timeout=3000)
    assert workspace.load(report_id).sections[1].text == "本单位内设科室若干。"
    assert workspace.load(report_id).preparer == "李四"
    press(qtbot, "Ctrl+Z", tab.text)  # nothing left in the box: the step before, on its tab
    assert workspace.load(report_id).preparer == "张三"
    assert window.tabs.currentWidget() is org
    assert org.header["preparer"].hasFocus() and org.header["preparer"].text() == "张三"


def test_undo_and_redo_show_the_changed_cell_on_its_tab(qtbot, window, workspace, report_id):
    funds = _show(window, FundsTab)
    m = funds.budget_model
    row, col = row_of(m, "一般公共预算"), col_of(m, "全年预算数")
    type_into_cell(qtbot, funds.budget_view, row, col, "100")
    funds.budget_view.setCurrentIndex(m.index(0, 0))  # the cursor went on

    projects = _show(window, ProjectsTab)
    projects.table.view.setFocus()
    press(qtbot, "Ctrl+Z")
    assert workspace.load(report_id).budget_line("income.general_public").full_year_budget is None
    assert window.tabs.currentWidget() is funds
    index = funds.budget_view.currentIndex()
    assert (index.row(), index.column()) == (row, col)
    assert funds.budget_view.hasFocus()

    _show(window, ProjectsTab).table.view.setFocus()
    press(qtbot, "Ctrl+Y")
    assert window.tabs.currentWidget() is funds
    index = funds.budget_view.currentIndex()
    assert (index.row(), index.column()) == (row, col)
    assert m.cell_text(row, col) == "100.00"


def test_undo_of_an_edit_in_another_projects_indicators_selects_that_project_and_cell(
    qtbot, window, workspace, report_id
):
    projects = _show(window, ProjectsTab)
    view = projects.table.view
    view.setFocus()
    view.setCurrentIndex(projects.table.model.index(1, 0))  # 养老服务补贴
    assert projects.selected_project().name == "养老服务补贴"
    projects.detail.setCurrentIndex(1)
    ind_view = projects.indicators.indicators.view
    name_col = col_of(ind_view.model(), "三级指标")
    type_into_cell(qtbot, ind_view, 0, name_col, "服务人次")
    pid = projects.selected_project().id

    view.setCurrentIndex(projects.table.model.index(0, 0))  # back to the first project
    projects.detail.setCurrentIndex(0)
    _show(window, ScoresTab).editor.indicators.view.setFocus()
    press(qtbot, "Ctrl+Z")
    assert workspace.load(report_id).projects[1].indicators[0].name == ""
    assert window.tabs.currentWidget() is projects
    assert projects.selected_project().id == pid
    assert projects.detail.currentIndex() == 1
    index = ind_view.currentIndex()
    assert (index.row(), index.column()) == (0, name_col)


def test_undoing_a_row_insert_selects_where_the_row_was(qtbot, window, workspace, report_id):
    org = _show(window, OrganisationTab)
    duties = org.lists["duties"]
    duties.view.setFocus()
    duties.view.setCurrentIndex(duties.model.index(0, 0))
    duties.insert_row()
    assert len(workspace.load(report_id).list_items("duties")) == 3
    _show(window, FundsTab).budget_view.setFocus()
    press(qtbot, "Ctrl+Z")
    assert len(workspace.load(report_id).list_items("duties")) == 2
    assert window.tabs.currentWidget() is org
    assert duties.view.currentIndex().row() == 1 and duties.view.hasFocus()


def _toolbar_button(window, action):
    bar = window.findChild(QToolBar, "mainToolbar")
    return bar.widgetForAction(action)


def test_the_toolbar_does_not_move_and_names_the_step_in_its_tooltip_and_the_edit_menu(
    qtbot, window, workspace, report_id
):
    print_button = _toolbar_button(window, window.act_print)
    pdf_button = _toolbar_button(window, window.act_pdf)
    undo_button = _toolbar_button(window, window.act_undo)
    before = (print_button.x(), pdf_button.x(), undo_button.width())
    assert undo_button.text() == "撤销" and not undo_button.isEnabled()

    funds = _show(window, FundsTab)
    m = funds.budget_model
    type_into_cell(
        qtbot, funds.budget_view, row_of(m, "年度资金总额"), col_of(m, "年初预算数"), "4600"
    )
    qtbot.wait(10)
    assert undo_button.isEnabled() and undo_button.text() == "撤销"
    assert (print_button.x(), pdf_button.x(), undo_button.width()) == before
    assert "修改年初预算数" in undo_button.toolTip() and "Ctrl+Z" in undo_button.toolTip()
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "编辑")
    assert any("修改年初预算数" in a.text() for a in edit_menu.actions())

    press(qtbot, "Ctrl+Z")
    redo_button = _toolbar_button(window, window.act_redo)
    assert redo_button.text() == "重做" and "修改年初预算数" in redo_button.toolTip()
    assert (print_button.x(), pdf_button.x(), undo_button.width()) == before

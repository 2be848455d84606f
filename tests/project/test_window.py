"""A project report in the window: its own tabs, 新建报告 of either kind, made from the 项目 tab,
typing and pasting into its form with undo, the 审核 panel jumping into it, its preview."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from perfdesk_ui.tabs.organisation import OrganisationTab
from perfdesk_ui.tabs.project_form import ProjectFormTab, ProjectInfoTab
from perfdesk_ui.tabs.projects import ProjectsTab
from perfdesk_ui.tabs.sections import SectionsTab
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from perfdesk.domain.model import ReportKind
from perfdesk.services import Workspace
from tests.project.factory import project_report
from tests.ui.conftest import filled_report
from tests.ui.dialogs import answer, click, no_command_line_words, type_into
from tests.ui.helpers import audited, type_into_cell

DEPARTMENT_TABS = ["机构与人员", "收支情况", "项目", "绩效指标评分", "报告正文", "打印预览"]
PROJECT_TABS = ["项目与封面", "项目支出绩效自评表", "报告正文", "打印预览"]


@pytest.fixture
def workspace(db_path: Path) -> Any:
    ws = Workspace.open(db_path)
    ws.add_report(filled_report())  # 1: a department report
    ws.add_report(project_report())  # 2: 高龄补贴's project report
    yield ws


@pytest.fixture
def window(qtbot: Any, workspace: Any) -> Any:
    from tests.ui.conftest import _shown_window

    yield from _shown_window(qtbot, workspace)


def tab_titles(window: Any) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def switch_to(qtbot: Any, window: Any, label_part: str) -> None:
    """Pick a report in the toolbar's switcher, as the clerk does."""
    combo = window.report_combo
    index = next(i for i in range(combo.count()) if label_part in combo.itemText(i))
    combo.setCurrentIndex(index)
    qtbot.waitUntil(lambda: window.doc.report_id == combo.itemData(index), timeout=2000)


def stored(workspace: Any, rid: int) -> Any:
    ws = Workspace.open(workspace.path, readonly=True)
    try:
        return ws.load(rid)
    finally:
        ws.close()


def test_each_kind_of_report_shows_its_own_tabs(qtbot: Any, window: Any) -> None:
    switch_to(qtbot, window, "高龄补贴项目")
    assert tab_titles(window) == PROJECT_TABS
    info = window.tab(ProjectInfoTab)
    assert info.project_fields["name"].text() == "高龄补贴"
    assert info.report_fields["preparer"].text() == "王五"
    form = window.tab(ProjectFormTab)
    window.tabs.setCurrentWidget(form)
    assert (
        form.funds_model.cell_text(0, 2) == "699.14"
        and form.funds_model.cell_text(0, 3) == "97.10%"
    )
    assert form.indicators.total_score.text() == "98.39"
    switch_to(qtbot, window, "株洲市芦淞区民政局")
    assert tab_titles(window) == DEPARTMENT_TABS  # no project tabs on a department report
    switch_to(qtbot, window, "高龄补贴项目")
    assert tab_titles(window) == PROJECT_TABS  # and no staffing, 三公 or department funds here


def test_new_report_offers_the_kind_and_makes_a_project_report(
    qtbot: Any, window: Any, workspace: Any
) -> None:
    def new_report(dialog: Any) -> None:
        assert not dialog.project.isVisible()  # a department report has no 项目名称
        dialog.kind.setFocus()
        qtbot.keyClick(dialog.kind, Qt.Key.Key_Down)  # 项目支出绩效自评报告
        assert dialog.project.isVisible() and not dialog.level.isVisible()
        type_into(qtbot, dialog.unit_name, "某县财政局")
        type_into(qtbot, dialog.year, "2025")
        click(qtbot, dialog, "创建")
        assert dialog.isVisible() and dialog.error.text() == "请填写项目名称"
        type_into(qtbot, dialog.project, "乡村振兴衔接资金")
        click(qtbot, dialog, "创建")

    answers = answer(qtbot, new_report)
    window.act_new.trigger()
    answers.check()
    no_command_line_words(answers.shown)
    report = window.doc.report
    assert (
        report.kind == ReportKind.PROJECT
        and report.title == "2025年度乡村振兴衔接资金项目支出绩效自评报告"
    )
    assert stored(workspace, report.id).budget_lines == []  # nothing of a department report
    assert tab_titles(window) == PROJECT_TABS and window.tabs.currentIndex() == 0
    assert "2025年度 某县财政局 · 乡村振兴衔接资金项目" in window.report_combo.currentText()


def test_a_second_project_report_of_the_same_project_is_refused_in_the_dialog(
    qtbot: Any, window: Any
) -> None:
    def new_report(dialog: Any) -> None:
        qtbot.keyClick(dialog.kind, Qt.Key.Key_Down)
        type_into(qtbot, dialog.unit_name, "某区民政局")
        type_into(qtbot, dialog.year, "2024")
        type_into(qtbot, dialog.project, "高龄补贴")
        click(qtbot, dialog, "创建")
        assert dialog.isVisible()
        assert "已有报告“2024年度 某区民政局 · 高龄补贴项目”" in dialog.error.text()
        click(qtbot, dialog, "取消")

    answers = answer(qtbot, new_report)
    window.act_new.trigger()
    answers.check()


def test_a_project_report_is_made_from_the_project_tab(
    qtbot: Any, window: Any, workspace: Any
) -> None:
    switch_to(qtbot, window, "株洲市芦淞区民政局")
    tab = window.tab(ProjectsTab)
    window.tabs.setCurrentWidget(tab)
    tab.table.view.setCurrentIndex(tab.table.model.index(0, 0))  # 城乡低保资金
    qtbot.mouseClick(tab.make_report, Qt.MouseButton.LeftButton)
    report = window.doc.report
    assert report.kind == ReportKind.PROJECT and report.project_name == "城乡低保资金"
    assert (report.projects[0].full_year_budget, report.projects[0].executed) == (
        D("1000.00"),
        D("900.00"),
    )
    assert tab_titles(window) == PROJECT_TABS
    # asked again from the department report, the one already made is offered instead
    switch_to(qtbot, window, "株洲市芦淞区民政局")
    tab = window.tab(ProjectsTab)
    window.tabs.setCurrentWidget(tab)
    tab.table.view.setCurrentIndex(tab.table.model.index(0, 0))
    answers = answer(qtbot, lambda dialog: click(qtbot, dialog, "切换到该报告"))
    qtbot.mouseClick(tab.make_report, Qt.MouseButton.LeftButton)
    answers.check()
    assert "已有报告“2024年度 株洲市芦淞区民政局 · 城乡低保资金项目”" in answers.shown[0]
    no_command_line_words(answers.shown)
    assert window.doc.report_id == report.id
    assert len(workspace.list_reports()) == 3


def _form(qtbot: Any, window: Any) -> Any:
    switch_to(qtbot, window, "高龄补贴项目")
    form = window.tab(ProjectFormTab)
    window.tabs.setCurrentWidget(form)
    return form


def test_typing_and_pasting_into_the_form_are_stored_and_undone_step_by_step(
    qtbot: Any, window: Any, workspace: Any
) -> None:
    form = _form(qtbot, window)
    view, model = form.funds_view, form.funds_model
    type_into_cell(qtbot, view, 0, 2, "700")  # 年度资金总额 · 全年执行数
    assert stored(workspace, 2).projects[0].executed == D("700.00")
    assert model.cell_text(0, 3) == "97.22%"  # the grey 执行率 follows
    # two source rows × three columns as Excel puts them on the clipboard
    view.selectionModel().setCurrentIndex(
        model.index(1, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    QGuiApplication.clipboard().setText("600\t680\t670\r\n１０\t４０\t３０\r\n")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    sources = {s.key: s for s in stored(workspace, 2).projects[0].sources}
    assert (sources["current_appropriation"].executed, sources["prior_carryover"].executed) == (
        D("670.00"),
        D("30.00"),
    )
    assert model.cell_text(4, 2) == "700.00"  # 其中各项合计 now agrees with the total
    window.undo()  # the whole paste is one step
    sources = {s.key: s for s in stored(workspace, 2).projects[0].sources}
    assert sources["current_appropriation"].executed == D("680.00")
    window.undo()
    assert stored(workspace, 2).projects[0].executed == D("699.14")
    window.redo()
    assert stored(workspace, 2).projects[0].executed == D("700.00")


def test_the_audit_panel_lists_the_forms_findings_and_jumps_to_them(
    qtbot: Any, window: Any, workspace: Any
) -> None:
    form = _form(qtbot, window)
    type_into_cell(qtbot, form.funds_view, 0, 2, "0")  # 年度资金总额 0 above filled sources
    window.run_audit()
    findings = window.audit_dock.findings
    rules = {f.rule for f in findings}
    assert "sum.project_sources" in rules
    assert not any(r.startswith(("fund.", "range.staff", "range.three")) for r in rules)
    finding = next(f for f in findings if f.rule == "sum.project_sources")
    window.tabs.setCurrentIndex(0)
    assert window.jump_to_finding(finding)
    assert window.tabs.currentWidget() is form
    index = form.funds_view.currentIndex()
    assert form.funds_model.columns[index.column()].field == finding.place.field

    # a missing 填表人 opens 项目与封面 at the field
    info = window.tab(ProjectInfoTab)
    window.tabs.setCurrentWidget(info)
    info.report_fields["preparer"].setFocus()
    info.report_fields["preparer"].selectAll()
    qtbot.keyClick(info.report_fields["preparer"], Qt.Key.Key_Delete)
    qtbot.keyClick(info.report_fields["preparer"], Qt.Key.Key_Return)
    window.tabs.setCurrentWidget(form)
    header = next(f for f in audited(qtbot, window) if f.rule == "complete.header")
    assert window.jump_to_finding(header)
    assert window.tabs.currentWidget() is info and info.report_fields["preparer"].hasFocus()

    # a figure in the narrative that disagrees with the form opens 报告正文 on that section
    ws = window.doc.ws
    section = next(s for s in window.doc.report.sections if s.key == "project.funds.management")
    ws.update("section", section.id, {"text": "全年执行数650万元。"})
    window.doc.refresh()
    text = next(f for f in audited(qtbot, window) if f.rule == "text.project_amount")
    assert window.jump_to_finding(text)
    sections = window.tab(SectionsTab)
    assert window.tabs.currentWidget() is sections
    assert sections.text.textCursor().selectedText() == text.detail


def test_the_preview_shows_the_project_report(qtbot: Any, window: Any) -> None:
    switch_to(qtbot, window, "高龄补贴项目")
    window.show_preview()
    qtbot.waitUntil(lambda: window.preview.page_count() == 6, timeout=30000)
    assert "共 6 页" in window.preview.status.text()


def test_next_years_report_from_a_project_report_is_a_project_report(
    qtbot: Any, window: Any
) -> None:
    switch_to(qtbot, window, "高龄补贴项目")
    answers = answer(qtbot, lambda dialog: click(qtbot, dialog, "创建"))
    window.act_next_year.trigger()
    answers.check()
    report = window.doc.report
    assert report.kind == ReportKind.PROJECT and report.year == 2025
    assert report.projects[0].prior_final == D("699.14")
    assert tab_titles(window) == PROJECT_TABS
    assert not any(isinstance(t, OrganisationTab) for t in window.editor_tabs)

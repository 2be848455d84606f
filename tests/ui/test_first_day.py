"""A new clerk's first day, from an empty database file to next year's report, by keys and clicks.

The clerk starts perfdesk on a database file that does not exist yet, creates their unit's report
from the start page, types in every tab, looks at the sample and deletes it, corrects the unit's
name and the year, creates next year's report (confirming) and edits its outline. Afterwards the
database file is read by a fresh Workspace: everything typed is there.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from perfdesk_ui.tabs.funds import PROJECT_TOTAL_LABEL, FundsTab
from perfdesk_ui.tabs.organisation import OrganisationTab
from perfdesk_ui.tabs.projects import ProjectsTab
from perfdesk_ui.tabs.scores import ScoresTab
from perfdesk_ui.tabs.sections import SectionsTab
from PySide6.QtCore import Qt

from perfdesk.domain import model as m
from perfdesk.services import Workspace
from tests.ui.dialogs import answer, click, no_command_line_words, reactivate, type_into
from tests.ui.helpers import col_of, row_of, type_into_cell, type_into_field, type_text


def _type_text_field(qtbot, field, text: str) -> None:
    field.setFocus()
    field.moveCursor(field.textCursor().MoveOperation.End)
    type_text(qtbot, field, text)
    qtbot.waitUntil(lambda: not field.pending(), timeout=3000)


def _pick_section(qtbot, tab, row: int) -> None:
    rect = tab.outline.visualItemRect(tab.outline.item(row))
    qtbot.mouseClick(tab.outline.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_new_clerk_starts_their_own_report_and_nothing_typed_is_lost(qtbot, tmp_path: Path):
    from perfdesk_ui.app import application, create_window

    db = tmp_path / "乡政府.db"
    application()
    window = create_window(str(db))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    shown: list[str] = []

    # --- the start page: 新建报告 (a typo in the unit's name, the wrong year) -------------------
    assert window.pages.currentWidget() is window.start_page and not db.exists()

    def new_report(dialog):
        type_into(qtbot, dialog.unit_name, "某某乡人民政俯")
        type_into(qtbot, dialog.year, "2025")
        type_into(qtbot, dialog.level.lineEdit(), "乡镇")
        click(qtbot, dialog, "创建")

    answers = answer(qtbot, new_report)
    qtbot.mouseClick(window.start_page.buttons["new"], Qt.MouseButton.LeftButton)
    answers.check()
    shown += answers.shown
    first = window.doc.report_id
    assert db.exists() and window.pages.currentIndex() == 0

    # --- 机构与人员 ----------------------------------------------------------------------------
    org = window.tab(OrganisationTab)
    window.tabs.setCurrentWidget(org)
    type_into_field(qtbot, org.header["preparer"], "王五")
    type_into_field(qtbot, org.header["phone"], "0731-1234567")
    type_into_cell(qtbot, org.posts.view, 0, col_of(org.posts.model, "编制数"), "8")
    type_into_field(qtbot, org.actual_staff, "7")
    offices = org.lists["offices"]
    qtbot.mouseClick(offices.buttons["insert"], Qt.MouseButton.LeftButton)
    type_into_cell(qtbot, offices.view, 0, 0, "党政综合办公室")

    # --- 收支情况 ------------------------------------------------------------------------------
    funds = window.tab(FundsTab)
    window.tabs.setCurrentWidget(funds)
    bm, cm = funds.budget_model, funds.control_model
    type_into_cell(qtbot, funds.budget_view, 0, col_of(bm, "全年预算数"), "500")
    type_into_cell(qtbot, funds.budget_view, 0, col_of(bm, "全年执行数"), "480.5")
    type_into_cell(
        qtbot, funds.control_view, row_of(cm, PROJECT_TOTAL_LABEL), col_of(cm, "本年决算数"), "300"
    )
    status = funds.fund_fields[m.SpecialFundKind.GOV_FUND][0]
    status.setFocus()
    qtbot.keyClick(status, Qt.Key.Key_Down)
    qtbot.keyClick(status, Qt.Key.Key_Down)  # 未说明 → 有 → 无
    _type_text_field(qtbot, funds.frugality, "严格执行中央八项规定精神。")

    # --- 项目 ----------------------------------------------------------------------------------
    projects = window.tab(ProjectsTab)
    window.tabs.setCurrentWidget(projects)
    pm = projects.table.model
    qtbot.mouseClick(projects.table.buttons["insert"], Qt.MouseButton.LeftButton)
    type_into_cell(qtbot, projects.table.view, 0, col_of(pm, "项目名称"), "乡村道路维护")
    type_into_cell(qtbot, projects.table.view, 0, col_of(pm, "类别"), "运行维护经费")
    reactivate(qtbot, window)  # the suggestion list was shown while typing
    type_into_cell(qtbot, projects.table.view, 0, col_of(pm, "执行数"), "120")
    _type_text_field(qtbot, projects.text_fields[1], "完成道路维护12公里。")

    # --- 绩效指标评分 ----------------------------------------------------------------------------
    scores = window.tab(ScoresTab)
    window.tabs.setCurrentWidget(scores)
    im = scores.editor.indicators.model
    type_into_cell(qtbot, scores.editor.indicators.view, 0, col_of(im, "三级指标"), "道路完好率")
    type_into_cell(qtbot, scores.editor.indicators.view, 0, col_of(im, "分值"), "10")
    _type_text_field(qtbot, scores.goal_expected, "保障全乡道路畅通。")

    # --- 报告正文 ------------------------------------------------------------------------------
    sections = window.tab(SectionsTab)
    window.tabs.setCurrentWidget(sections)
    _pick_section(qtbot, sections, 1)
    _type_text_field(qtbot, sections.text, "本单位设党政综合办公室。")

    # --- the sample: opened to have a look, then deleted ---------------------------------------
    window.act_open_sample.trigger()
    assert window.doc.report.is_sample and window.sample_banner.isVisible()
    answers = answer(
        qtbot,
        lambda box: click(qtbot, box, "删除"),
        lambda box: qtbot.mouseClick(box.buttons()[0], Qt.MouseButton.LeftButton),
    )
    qtbot.mouseClick(window.sample_banner.delete_button, Qt.MouseButton.LeftButton)
    answers.check()
    shown += answers.shown
    assert window.doc.report_id == first and not window.sample_banner.isVisible()

    # --- 改正单位名称, then the year --------------------------------------------------------------
    def rename(dialog):
        type_into(qtbot, dialog.unit_name, "某某乡人民政府")
        click(qtbot, dialog, "改正")

    def correct_year(dialog):
        type_into(qtbot, dialog.year, "2024")
        click(qtbot, dialog, "改正")

    for fix in (rename, correct_year):
        answers = answer(qtbot, fix)
        window.act_rename.trigger()
        answers.check()
        shown += answers.shown
    assert window.report_combo.currentText() == "2024年度 某某乡人民政府"

    # --- 从上年报告创建 (confirmed) ------------------------------------------------------------------
    answers = answer(qtbot, lambda box: click(qtbot, box, "创建"))
    window.act_next_year.trigger()
    answers.check()
    shown += answers.shown
    second = window.doc.report_id
    assert second != first and window.report_combo.currentText() == "2025年度 某某乡人民政府"

    # --- the outline of the new report: add, rename, move, remove, undo/redo --------------------
    sections = window.tab(SectionsTab)
    window.tabs.setCurrentWidget(sections)
    last = sections.outline.count() - 1
    _pick_section(qtbot, sections, last)  # 十、其他需要说明的情况

    def add(dialog):
        type_into(qtbot, dialog.heading, "乡村振兴工作")
        click(qtbot, dialog, "添加")

    answers = answer(qtbot, add)
    qtbot.mouseClick(sections.outline_editor.buttons["add"], Qt.MouseButton.LeftButton)
    answers.check()
    shown += answers.shown
    qtbot.keyClick(sections.outline, Qt.Key.Key_F2)
    type_text(qtbot, sections.heading, "乡村振兴工作情况")
    qtbot.keyClick(sections.heading, Qt.Key.Key_Return)
    sections.outline.setFocus()
    qtbot.keyClick(sections.outline, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert sections.outline.item(last).text() == "十、乡村振兴工作情况"
    _pick_section(qtbot, sections, last + 1)  # 十一、其他需要说明的情况 (empty: no question)
    answers = answer(qtbot)
    qtbot.keyClick(sections.outline, Qt.Key.Key_Delete)
    answers.check()
    window.act_undo.trigger()  # the removal
    window.act_undo.trigger()  # the move
    window.act_redo.trigger()  # the move again
    window.close()
    no_command_line_words(shown)

    # --- everything typed is in the file ------------------------------------------------------
    ws = Workspace.open(db)
    try:
        reports = ws.list_reports()
        assert [(r.unit_name, r.year, r.is_sample) for r in reports] == [
            ("某某乡人民政府", 2024, False),
            ("某某乡人民政府", 2025, False),
        ]
        old, new = ws.load(first), ws.load(second)
    finally:
        ws.close()
    assert old.unit_level == "乡镇"
    assert (old.preparer, old.phone) == ("王五", "0731-1234567")
    assert old.posts[0].count == 8 and old.actual_staff == 7
    assert old.list_items("offices") == ["党政综合办公室"]
    total = old.budget_line("total")
    assert (total.full_year_budget, total.executed) == (D("500.00"), D("480.50"))
    assert old.control_line("project").final == D("300.00")
    assert old.special_fund(m.SpecialFundKind.GOV_FUND).status == m.FundStatus.NONE
    assert old.frugality_measures == "严格执行中央八项规定精神。"
    (project,) = old.projects
    assert (project.name, project.category, project.executed) == (
        "乡村道路维护",
        "运行维护经费",
        D("120.00"),
    )
    assert project.narrative == "完成道路维护12公里。"
    assert (old.indicators[0].name, old.indicators[0].weight) == ("道路完好率", D("10"))
    assert old.goal_expected == "保障全乡道路畅通。"
    assert old.sections[1].text == "本单位设党政综合办公室。"
    # next year's report: this year's 决算 moved to 上年决算, the texts carried over
    assert new.projects[0].prior_final == D("120.00") and new.projects[0].executed is None
    assert new.control_line("project").prior_final == D("300.00")
    assert new.sections[1].text == "本单位设党政综合办公室。"
    headings = [s.heading for s in new.sections]
    assert headings[-2:] == ["乡村振兴工作情况", "其他需要说明的情况"]

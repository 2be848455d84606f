"""Undo/redo across tabs (incl. row insert, delete, reorder) with Ctrl+Z / Ctrl+Y, switching
reports, next year's report, new reports, exchange files, a database that cannot be opened,
remembered geometry."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from perfdesk_ui.tabs.funds import FundsTab
from perfdesk_ui.tabs.organisation import OrganisationTab
from perfdesk_ui.tabs.projects import ProjectsTab

from tests.ui.conftest import filled_report
from tests.ui.dialogs import answer, click
from tests.ui.helpers import col_of, press, row_of, type_into_cell


def test_undo_and_redo_work_across_tabs_including_row_insert_delete_and_move(
    qtbot, window, workspace, report_id
):
    funds = window.tab(FundsTab)
    window.tabs.setCurrentWidget(funds)
    m = funds.budget_model
    type_into_cell(
        qtbot, funds.budget_view, row_of(m, "年度资金总额"), col_of(m, "全年执行数"), "4532.05"
    )

    org = window.tab(OrganisationTab)
    window.tabs.setCurrentWidget(org)
    duties = org.lists["duties"]
    duties.view.setCurrentIndex(duties.model.index(1, 0))
    duties.insert_row()  # a blank row after the second duty
    type_into_cell(qtbot, duties.view, 2, 0, "new duty")
    duties.view.setCurrentIndex(duties.model.index(0, 0))
    duties.move_current(1)  # first duty moves down
    texts = workspace.load(report_id).list_items("duties")
    assert texts == ["负责社会救助工作。", "贯彻执行民政工作的法律法规。", "new duty"]

    projects = window.tab(ProjectsTab)
    window.tabs.setCurrentWidget(projects)
    projects.table.view.setCurrentIndex(projects.table.model.index(0, 0))
    projects.table.delete_rows()
    assert [p.name for p in workspace.load(report_id).projects] == ["养老服务补贴"]

    stack = window.doc.undo_stack
    press(qtbot, "Ctrl+Z")  # the project comes back, with its indicators, under the same id
    # the status bar no longer says what the step did, but that it was undone
    assert window.statusBar().currentMessage().startswith("已撤销：")
    report = workspace.load(report_id)
    assert [p.name for p in report.projects] == ["城乡低保资金", "养老服务补贴"]
    assert report.projects[0].executed == D("900.00") and len(report.projects[0].indicators) > 0
    press(qtbot, "Ctrl+Z")  # move
    press(qtbot, "Ctrl+Z")  # typed text
    press(qtbot, "Ctrl+Z")  # inserted row
    assert workspace.load(report_id).list_items("duties") == [
        "贯彻执行民政工作的法律法规。",
        "负责社会救助工作。",
    ]
    press(qtbot, "Ctrl+Z")  # the amount on the other tab
    assert workspace.load(report_id).budget_line("total").executed == D("4500.00")
    assert not stack.canUndo()
    for _ in range(5):
        press(qtbot, "Ctrl+Y")
    assert window.statusBar().currentMessage().startswith("已重做：")
    report = workspace.load(report_id)
    assert report.budget_line("total").executed == D("4532.05")
    assert report.list_items("duties") == [
        "负责社会救助工作。",
        "贯彻执行民政工作的法律法规。",
        "new duty",
    ]
    assert [p.name for p in report.projects] == ["养老服务补贴"]


def test_consecutive_edits_of_one_cell_merge_into_one_undo_step(
    qtbot, window, workspace, report_id
):
    funds = window.tab(FundsTab)
    window.tabs.setCurrentWidget(funds)
    m = funds.budget_model
    row, col = row_of(m, "年度资金总额"), col_of(m, "全年执行数")
    type_into_cell(qtbot, funds.budget_view, row, col, "1")
    type_into_cell(qtbot, funds.budget_view, row, col, "2")
    assert window.doc.undo_stack.count() == 1
    press(qtbot, "Ctrl+Z")
    assert workspace.load(report_id).budget_line("total").executed == D("4500.00")


def test_adding_a_project_gives_it_sources_and_an_indicator_skeleton(
    qtbot, window, workspace, report_id
):
    projects = window.tab(ProjectsTab)
    window.tabs.setCurrentWidget(projects)
    projects.table.insert_row()
    report = workspace.load(report_id)
    new = report.projects[1]  # inserted after the current (first) project
    assert new.name == "新项目" and len(new.sources) == 3 and new.indicators
    assert projects.selected_project().id == new.id
    m = projects.sources_model
    type_into_cell(qtbot, projects.sources_view, 0, col_of(m, "全年执行数"), "12.5")
    assert workspace.load(report_id).projects[1].sources[0].executed == D("12.50")


def test_switching_reports_shows_the_other_report_and_keeps_each_ones_undo_history(
    qtbot, window, workspace, report_id
):
    other = workspace.add_report(filled_report("株洲市芦淞区财政局", 2024))
    window._fill_combo(report_id)
    funds = window.tab(FundsTab)
    m = funds.budget_model
    window.tabs.setCurrentWidget(funds)
    row, col = row_of(m, "年度资金总额"), col_of(m, "全年执行数")
    type_into_cell(qtbot, funds.budget_view, row, col, "1")
    window.report_combo.setCurrentIndex(window.report_combo.findData(other))
    assert window.doc.report_id == other
    window.tabs.setCurrentWidget(window.tab(OrganisationTab))  # hidden tabs refresh when shown
    assert window.tab(OrganisationTab).header["unit_name"].text() == "株洲市芦淞区财政局"
    assert not window.doc.undo_stack.canUndo()  # the other report has its own (empty) history
    window.tabs.setCurrentWidget(funds)
    assert m.cell_text(row, col) == "4500.00"
    type_into_cell(qtbot, funds.budget_view, row, col, "2")
    assert workspace.load(other).budget_line("total").executed == D("2.00")

    # back to the first report: its step is still there and Ctrl+Z undoes it
    window.report_combo.setCurrentIndex(window.report_combo.findData(report_id))
    assert window.doc.undo_stack.count() == 1
    assert window.act_undo.isEnabled() and "全年执行数" in window.act_undo.text()
    funds.budget_view.setFocus()
    press(qtbot, "Ctrl+Z")
    assert workspace.load(report_id).budget_line("total").executed == D("4500.00")
    assert workspace.load(other).budget_line("total").executed == D("2.00")  # untouched
    window.report_combo.setCurrentIndex(window.report_combo.findData(other))
    funds.budget_view.setFocus()
    press(qtbot, "Ctrl+Z")
    assert workspace.load(other).budget_line("total").executed == D("4500.00")


def test_creating_next_years_report_moves_this_years_figures(qtbot, window, workspace, report_id):
    rid = window.create_next_year()
    assert rid is not None and window.doc.report_id == rid
    new = workspace.load(rid)
    assert new.year == 2025
    assert new.control_line("three_public.reception").prior_final == D("1.00")
    assert new.projects[0].prior_final == D("900.00") and new.projects[0].executed is None
    assert new.list_items("duties") == ["贯彻执行民政工作的法律法规。", "负责社会救助工作。"]
    assert "2025年度" in window.report_combo.currentText()
    again = window.create_next_year()  # 2026 from 2025 works too
    assert again is not None and workspace.load(again).year == 2026
    assert workspace.load(again).projects[0].prior_final is None  # 2025 had no 执行数 yet


def test_new_report_and_json_round_trip(qtbot, window, workspace, tmp_path: Path):
    rid = window.create_report("某某县民政局", 2025)
    assert rid is not None and window.doc.report.unit_name == "某某县民政局"
    out = tmp_path / "r.json"
    assert window.export_file(out)
    workspace.delete_report(rid)
    new_id = window.import_file(out)
    assert workspace.load(new_id).unit_name == "某某县民政局"


def test_a_database_that_cannot_be_opened_is_explained_and_the_app_stays_up(
    qtbot, window, tmp_path
):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not a database" * 10)
    dialogs = answer(qtbot, lambda d: click(qtbot, d, "取消"))
    assert not window.open_database(bad)
    dialogs.check()
    assert "不是 perfdesk 数据库" in dialogs.shown[0]
    assert window.doc is not None and window.doc.report is not None  # the old database stays open
    assert bad.read_bytes() == b"this is not a database" * 10


def test_window_geometry_is_remembered(qtbot, workspace):
    from perfdesk_ui.main_window import MainWindow

    w = MainWindow(workspace)
    qtbot.addWidget(w)
    w.resize(700, 500)  # the offscreen screen is 800×600: Qt clamps to it
    w.show()
    size = (w.width(), w.height())
    w.close()
    w2 = MainWindow(None)
    qtbot.addWidget(w2)
    assert (w2.width(), w2.height()) == size != (1280, 800)

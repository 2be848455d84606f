"""The 审核 panel on the shipped sample report (the published 2024 report, whose faults are kept):
the findings listed, jumping to the exact cell, fixing or explaining a finding, and the question
before printing a report that still has errors."""

from __future__ import annotations

from pathlib import Path

from perfdesk_ui.tabs.projects import ProjectsTab
from perfdesk_ui.tabs.scores import ScoresTab
from perfdesk_ui.tabs.sections import SectionsTab
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from tests.ui.helpers import audited, press, type_into_cell


def double_click(qtbot, dock, finding) -> None:
    """Double-click the finding's line in the panel, as the clerk does."""
    assert dock.select(finding)
    item = dock.list.currentItem()
    dock.list.scrollToItem(item)
    rect = dock.list.visualItemRect(item)
    # a real double-click is a click followed by the double-click event
    qtbot.mouseClick(dock.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dock.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def first(dock, rule: str, words: str = ""):
    return next(f for f in dock.findings if f.rule == rule and words in f.message)


def test_sample_findings_are_listed_with_the_unresolved_count_in_the_status_bar(
    qtbot, sample_window
):
    w = sample_window
    w.run_audit()
    dock = w.audit_dock
    assert dock.isVisible()
    texts = [dock.list.item(i).text() for i in range(dock.list.count())]
    # the published report's income parts add up to 4482.29, not the 4532.05 total (checked by hand
    # against the reference text: 3863.79 + 618.50 = 4482.29)
    assert any(t.startswith("【错误】") and "4482.29" in t and "4532.05" in t for t in texts)
    assert any(t.startswith("【提示】") and "高龄补贴" in t for t in texts)
    errors = len(dock.open_errors())
    hints = len(dock.open_findings()) - errors
    assert errors > 0 and hints > 0
    assert w.findings_label.text() == f"审核：未处理错误 {errors} 项，提示 {hints} 项"


def test_double_click_on_a_deviation_reason_finding_selects_that_indicator_cell(
    qtbot, sample_window
):
    w = sample_window
    w.run_audit()
    finding = first(w.audit_dock, "complete.deviation_reason", "社会救助对象准确率")
    double_click(qtbot, w.audit_dock, finding)
    tab = w.tab(ScoresTab)
    assert w.tabs.currentWidget() is tab
    view = tab.editor.indicators.view
    index = view.currentIndex()
    assert index.row() == finding.place.row
    assert view.model().columns[index.column()].field == "deviation_reason"
    assert view.model().rows[index.row()].obj.name == "社会救助对象准确率"
    assert view.hasFocus()


def test_typing_a_deviation_reason_removes_the_finding(qtbot, sample_window, sample_workspace):
    w = sample_window
    w.run_audit()
    finding = first(w.audit_dock, "complete.deviation_reason", "社会救助对象准确率")
    before = len(w.audit_dock.open_errors())
    assert w.jump_to_finding(finding)
    view = w.tab(ScoresTab).editor.indicators.view
    index = view.currentIndex()
    type_into_cell(
        qtbot, view, index.row(), index.column(), "个别对象信息更新不及时，已建立月度核查机制"
    )
    # the 审核 follows once typing pauses
    assert not any(f.place_id == finding.place_id for f in audited(qtbot, w))
    assert len(w.audit_dock.open_errors()) == before - 1
    assert f"未处理错误 {before - 1} 项" in w.findings_label.text()
    # and the reason really is in the database
    stored = sample_workspace.load(w.doc.report_id).indicators[finding.place.row]
    assert stored.deviation_reason == "个别对象信息更新不及时，已建立月度核查机制"


def test_a_project_finding_selects_the_project_then_its_cell(qtbot, sample_window):
    w = sample_window
    w.run_audit()
    finding = first(w.audit_dock, "range.over_budget", "高龄补贴")
    double_click(qtbot, w.audit_dock, finding)
    tab = w.tab(ProjectsTab)
    assert w.tabs.currentWidget() is tab
    assert tab.selected_project().name == "高龄补贴"
    index = tab.table.view.currentIndex()
    assert index.row() == finding.place.project
    assert tab.table.model.columns[index.column()].field == "executed"


def test_a_text_finding_opens_the_section_and_selects_the_quoted_words(qtbot, sample_window):
    w = sample_window
    w.run_audit()
    finding = first(w.audit_dock, "text.project_amount", "高龄补贴项目支出395.26万元")
    assert w.jump_to_finding(finding)
    tab = w.tab(SectionsTab)
    assert w.tabs.currentWidget() is tab
    assert tab.current_section().key == "gpb.project"
    assert tab.text.textCursor().selectedText() == "高龄补贴项目支出395.26万元"


def test_adding_a_note_resolves_the_finding_and_undo_takes_it_back(
    qtbot, sample_window, sample_workspace, monkeypatch
):
    w = sample_window
    w.run_audit()
    dock = w.audit_dock
    finding = first(dock, "range.over_budget", "城乡最低生活保障")
    open_before = len(dock.open_findings())
    reason = "年中追加低保提标资金，全年执行数超过年初批复"
    asked = []
    monkeypatch.setattr(
        QInputDialog,
        "getMultiLineText",
        staticmethod(lambda *a, **k: (asked.append(a) or reason, True)),
    )
    assert dock.select(finding)
    assert dock.explain_button.isEnabled()
    qtbot.mouseClick(dock.explain_button, Qt.MouseButton.LeftButton)
    assert asked and finding.message in asked[0][2]  # the dialog says which finding
    resolved = first(dock, "range.over_budget", "城乡最低生活保障")
    assert resolved.resolved_by is not None and resolved.resolved_by.text == reason
    assert "已说明" in dock.list.currentItem().text() and reason in dock.list.currentItem().text()
    assert not dock.explain_button.isEnabled()  # already explained
    assert len(dock.open_findings()) == open_before - 1
    notes = sample_workspace.load(w.doc.report_id).notes
    assert [(n.rule, n.place, n.text) for n in notes] == [
        ("range.over_budget", finding.place_id, reason)
    ]
    dock.list.setFocus()
    press(qtbot, "Ctrl+Z")
    audited(qtbot, w)
    assert first(dock, "range.over_budget", "城乡最低生活保障").resolved_by is None
    assert len(dock.open_findings()) == open_before
    assert sample_workspace.load(w.doc.report_id).notes == []


def _answer_the_box(qtbot, button_text: str, seen: list[str]) -> None:
    """When the question box is up, read it and click the button ``button_text`` as a clerk does."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.windowTitle() + "|" + box.text() + "|" + box.informativeText())
        button = next(b for b in box.buttons() if b.text() == button_text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


def test_exporting_a_pdf_with_open_errors_refuses_the_final_copy_and_offers_a_draft(
    qtbot, sample_window, tmp_path: Path, monkeypatch
):
    from pypdf import PdfReader

    from perfdesk.report import DRAFT_MARK

    w = sample_window
    target = tmp_path / "report.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    seen: list[str] = []
    _answer_the_box(qtbot, "取消", seen)
    w.export_pdf()
    errors = len(w.audit_dock.open_errors())
    assert errors > 0
    assert seen and f"审核还有 {errors} 项错误没有改正或说明，现在不能导出PDF正式报告" in seen[0]
    assert "审核未通过 · 草稿" in seen[0] and "--" not in seen[0]  # plain words, no flags
    assert not target.exists()  # cancelled: nothing written
    _answer_the_box(qtbot, "导出PDF草稿", seen)
    w.export_pdf()
    reader = PdfReader(target)
    assert all(DRAFT_MARK in (page.extract_text() or "") for page in reader.pages)


def test_printing_with_open_errors_asks_first_and_cancel_stops_before_the_print_dialog(
    qtbot, sample_window, monkeypatch
):
    from PySide6.QtPrintSupport import QPrintDialog

    w = sample_window
    seen: list[str] = []
    _answer_the_box(qtbot, "取消", seen)
    opened: list[bool] = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: opened.append(True) or 0)
    w.print_report()
    assert seen and seen[0].startswith("打印|") and "打印草稿" in seen[0]
    assert opened == []


def test_a_report_without_errors_prints_without_asking(qtbot, window, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog

    w = window
    # the small filled-in report: explain every open finding, then nothing is left to ask about
    w.run_audit()
    for f in list(w.audit_dock.open_findings()):
        assert w.add_note(f, "已核实")
    assert w.audit_dock.open_errors() == []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *a: (_ for _ in ()).throw(AssertionError("asked"))),
    )
    opened: list[bool] = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: opened.append(True) or 0)
    w.print_report()
    assert opened == [True]


def test_a_budget_finding_selects_the_total_line_cell(qtbot, sample_window):
    from perfdesk_ui.tabs.funds import FundsTab

    w = sample_window
    w.run_audit()
    finding = first(w.audit_dock, "sum.income_parts", "4482.29")
    double_click(qtbot, w.audit_dock, finding)
    tab = w.tab(FundsTab)
    assert w.tabs.currentWidget() is tab
    index = tab.budget_view.currentIndex()
    assert tab.budget_model.rows[index.row()].label == "年度资金总额"
    assert tab.budget_model.columns[index.column()].field == "executed"

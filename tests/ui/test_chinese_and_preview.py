"""Chinese throughout and a preview one can read (#14, points 6, 7 and 9): Qt's own buttons and
dialogs in Chinese, the print preview's zoom and page jump, the window title, and 报告正文
showing the standard paragraph the program prints."""

from __future__ import annotations

import re
from typing import Any

import pytest
from perfdesk_ui.main_window import APP_TITLE
from perfdesk_ui.tabs.sections import SectionsTab
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from tests.ui.helpers import press, type_into_cell

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def _when_modal(qtbot: Any, act: Any) -> list[str]:
    """Run ``act(dialog)`` once a modal dialog is up (opened by the code under test); the dialog
    is closed afterwards whatever ``act`` did, so a failing check cannot leave the test hanging."""
    seen: list[str] = []

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, check)
            return
        try:
            seen.extend(b.text() for b in dialog.findChildren(QPushButton) if b.isVisible())
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, check)
    return seen


def test_yes_no_questions_are_asked_with_chinese_buttons(qtbot, window):
    def answer_no(box: Any) -> None:
        no = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.NoRole)
        qtbot.mouseClick(no, Qt.MouseButton.LeftButton)

    seen = _when_modal(qtbot, answer_no)
    # the very call the window makes for its yes/no questions (恢复备份, 自评汇总)
    answer = QMessageBox.question(window, "无法打开数据库", "要以只读方式打开查看吗？（不能修改）")
    assert answer == QMessageBox.StandardButton.No
    assert sorted(seen) == sorted(["是(&Y)", "否(&N)"])


def test_the_note_dialog_has_chinese_ok_and_cancel(qtbot, sample_window, sample_workspace):
    w = sample_window
    w.run_audit()
    finding = w.audit_dock.open_findings()[0]

    def cancel(dialog: Any) -> None:
        button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    seen = _when_modal(qtbot, cancel)
    w.explain_finding(finding)  # 添加说明…: Qt's input dialog
    assert "确定" in seen and "取消" in seen
    assert not any(ENGLISH_WORD.search(t) for t in seen)
    assert sample_workspace.load(w.doc.report_id).notes == []


def _english_in(dialog: QWidget) -> list[str]:
    texts = []
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, QLabel | QPushButton) and widget.isVisibleTo(dialog):
            texts.append(widget.text())
        if widget.isVisibleTo(dialog) and widget.toolTip():
            texts.append(widget.toolTip())
    return [t for t in texts if ENGLISH_WORD.search(t.replace("PDF", ""))]


def test_the_file_and_print_dialogs_speak_chinese(qtbot, window):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    files = QFileDialog(window, "导出PDF", "", "PDF 文件 (*.pdf)")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    files.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(files)
    assert _english_in(files) == []
    labels = [label.text() for label in files.findChildren(QLabel)]
    assert "文件类型(&T)：" in labels and "查找范围(&L)：" in labels
    printer = QPrinter()
    dialog = QPrintDialog(printer, window)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "打印"
    assert _english_in(dialog) == []


def test_preview_zooms_with_ctrl_wheel_and_keys_and_shows_a_whole_page(qtbot, sample_window):
    from PySide6.QtPdfWidgets import QPdfView

    w = sample_window
    preview = w.preview
    with qtbot.waitSignal(preview.rendered, timeout=30000):
        w.show_preview()
    view = preview.view
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth  # 适合宽度 at first
    assert preview.fit_width_button.isChecked()
    fitted = preview.zoom()

    center = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        center,
        QPointF(view.viewport().mapToGlobal(center.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoomMode() == QPdfView.ZoomMode.Custom and preview.zoom() > fitted
    assert preview.zoom_label.text() == f"{round(preview.zoom() * 100)}%"
    bigger = preview.zoom()
    view.setFocus()
    press(qtbot, "-", view)
    press(qtbot, "-", view)
    assert preview.zoom() < bigger
    smaller = preview.zoom()
    press(qtbot, "+", view)
    assert smaller < preview.zoom()

    qtbot.mouseClick(preview.whole_page_button, Qt.MouseButton.LeftButton)
    assert view.zoomMode() == QPdfView.ZoomMode.FitInView
    size = preview.pdf_document.pagePointSize(0)
    page_height = size.height() * preview.zoom() * view.logicalDpiY() / 72
    assert page_height <= view.viewport().height()  # a whole page in view
    qtbot.mouseClick(preview.fit_width_button, Qt.MouseButton.LeftButton)
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_preview_jumps_to_a_page_typed_in_the_page_box(qtbot, sample_window):
    w = sample_window
    preview = w.preview
    with qtbot.waitSignal(preview.rendered, timeout=30000) as blocker:
        w.show_preview()
    pages = blocker.args[0]
    assert f"共 {pages} 页" in preview.status.text()
    assert preview.pages_label.text() == f"/ {pages - 1} 页"
    box = preview.page_box
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "10")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert preview.view.pageNavigator().currentPage() == 10
    scrolled = preview.view.verticalScrollBar().value()
    assert scrolled > 0
    preview.view.setFocus()
    press(qtbot, "End", preview.view)
    assert preview.page() == pages - 1 and box.value() == pages - 1
    press(qtbot, "Home", preview.view)
    assert preview.page() == 0 and box.value() == 0


def test_the_page_box_says_the_page_numbers_printed_on_the_pages(qtbot, sample_window):
    """The cover has no 页码: it is 封面 in the box, and the box's N is the page printed 「— N —」."""
    import io

    from perfdesk_ui.pdfbuild import build_pdf_bytes
    from pypdf import PdfReader

    w = sample_window
    preview = w.preview
    with qtbot.waitSignal(preview.rendered, timeout=30000) as blocker:
        w.show_preview()
    pages = blocker.args[0]
    pdf = PdfReader(io.BytesIO(build_pdf_bytes(w.doc.report)))

    def printed(index: int) -> str:
        found = re.findall(r"— (\d+) —", pdf.pages[index].extract_text())
        return found[-1] if found else ""

    assert printed(0) == ""  # the cover: no 页码
    assert preview.page_box.text() == "封面" and preview.page_prefix.text() == ""
    for number in (1, 2, 10, pages - 1):
        preview.go_to_page(number)
        assert preview.page_box.text() == printed(number) == str(number)
        assert preview.page_prefix.text() == "第"
    assert preview.pages_label.text() == f"/ {printed(pages - 1)} 页"
    box = preview.page_box
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "0")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert preview.page() == 0 and box.text() == "封面"
    qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    assert preview.page() == 1 and box.text() == printed(1) == "1"


def test_the_window_title_names_the_report_and_the_program_once(qtbot, window):
    title = window.windowTitle()
    assert "2024年度" in title and "株洲市芦淞区民政局" in title and "test.db" in title
    # Qt adds the program's name (the application display name) after it, once
    assert QApplication.applicationDisplayName() == APP_TITLE
    assert APP_TITLE not in title


def test_report_text_shows_the_standard_paragraph_beside_the_clerks_text(
    qtbot, sample_window, sample_workspace
):
    from perfdesk.report import standard_paragraphs

    w = sample_window
    tab = w.tab(SectionsTab)
    w.tabs.setCurrentWidget(tab)
    sections = tab.report.sections
    row = next(i for i, s in enumerate(sections) if s.key == "gov_fund")
    tab.outline.setCurrentRow(row)
    written = standard_paragraphs(tab.report, sections[row])
    assert written and tab.generated.isVisible() and tab.generated.isReadOnly()
    assert tab.generated.toPlainText().strip() == written[0].strip()
    assert "205.49" in tab.generated.toPlainText()
    assert tab.generated is not tab.text and written[0] not in tab.text.toPlainText()

    # the paragraph follows the figures: change the fund's 决算支出 on 收支情况
    from perfdesk_ui.tabs.funds import FundsTab

    funds = w.tab(FundsTab)
    w.tabs.setCurrentWidget(funds)
    field = next(
        f
        for f in funds.fund_fields[next(iter(funds.fund_fields))]
        if getattr(f, "column", None) and f.column.field == "expenditure"
    )
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "210")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    w.tabs.setCurrentWidget(tab)
    assert "决算支出210.00万元" in tab.generated.toPlainText()

    # a section the program writes nothing for shows no such box
    plain = next(
        i
        for i, s in enumerate(sections)
        if not standard_paragraphs(tab.report, s) and s.kind.value != "list"
    )
    tab.outline.setCurrentRow(plain)
    assert not tab.generated.isVisible()


def test_typing_a_value_refreshes_the_standard_paragraph_in_project_text(qtbot, sample_window):
    """报告正文's 项目支出 paragraph is written from the projects' 执行数 (no retyping)."""
    from perfdesk_ui.tabs.projects import ProjectsTab

    w = sample_window
    projects = w.tab(ProjectsTab)
    w.tabs.setCurrentWidget(projects)
    col = next(i for i, c in enumerate(projects.table.model.columns) if c.field == "executed")
    type_into_cell(qtbot, projects.table.view, 0, col, "2500")
    tab = w.tab(SectionsTab)
    w.tabs.setCurrentWidget(tab)
    tab.outline.setCurrentRow(
        next(i for i, s in enumerate(tab.report.sections) if s.key == "gpb.project")
    )
    written = tab.generated.toPlainText()
    assert "城乡最低生活保障" in written and "2500.00万元" in written and "2535.32" not in written


def _shown_pages(view: Any) -> list[int]:
    from PySide6.QtCore import QRect

    seen = QRect(
        QPoint(view.horizontalScrollBar().value(), view.verticalScrollBar().value()),
        view.viewport().size(),
    )
    return [page for page, rect in view.page_geometries() if rect.intersects(seen)]


def test_reading_the_preview_through_keeps_only_the_pages_in_view(qtbot, sample_window):
    """QPdfView keeps its last 21 rendered pages (9 MB each at 适合宽度 in a 1280-pixel window):
    the preview keeps those in view and one more, whatever was read before."""
    from perfdesk_ui.tabs.preview import KEEP_PAGES

    w = sample_window
    w.resize(1280, 800)
    preview = w.preview
    with qtbot.waitSignal(preview.rendered, timeout=30000) as blocker:
        w.show_preview()
    view = preview.view
    for page in range(blocker.args[0]):
        preview.go_to_page(page)
        qtbot.waitUntil(lambda page=page: page in view.kept_pages(), timeout=10000)
        shown = _shown_pages(view)
        assert page in shown
        assert len(view.kept_pages()) <= len(shown) + KEEP_PAGES
    # the last page is drawn: its text is on screen, not a blank page
    image = view.viewport().grab().toImage()
    dark = sum(
        1
        for y in range(0, image.height(), 4)
        for x in range(0, image.width(), 4)
        if image.pixelColor(x, y).lightness() < 100
    )
    assert dark > 100


def test_the_preview_draws_the_pages_where_qpdfview_would(qtbot, sample_window):
    """The preview paints the pages itself (to keep few images) at QPdfView's own layout: the
    same pixels as a plain QPdfView of the same document, fitted, zoomed and scrolled."""
    from PySide6.QtPdfWidgets import QPdfView

    w = sample_window
    preview = w.preview
    with qtbot.waitSignal(preview.rendered, timeout=30000):
        w.show_preview()
    ours = preview.view
    plain = QPdfView()
    qtbot.addWidget(plain)
    plain.setDocument(preview.pdf_document)
    plain.setPageMode(ours.pageMode())
    plain.setPageSpacing(ours.pageSpacing())
    plain.resize(ours.size())
    plain.show()
    for mode, zoom, page in (
        (QPdfView.ZoomMode.FitToWidth, 1.0, 5),
        (QPdfView.ZoomMode.FitInView, 1.0, 1),
        (QPdfView.ZoomMode.Custom, 0.5, 10),
    ):
        for view in (ours, plain):
            view.setZoomMode(mode)
            view.setZoomFactor(zoom)
            navigator = view.pageNavigator()
            navigator.jump(page, QPointF(), navigator.currentZoom())
            view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 77)
        qtbot.waitUntil(
            lambda: ours.viewport().grab().toImage() == plain.viewport().grab().toImage(),
            timeout=10000,
        )
    # after an edit the new PDF is drawn, not the images of the last one
    import dataclasses

    for view in (ours, plain):
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.verticalScrollBar().setValue(700)  # the cover's 单位名称 line
    before = ours.viewport().grab().toImage()
    with qtbot.waitSignal(preview.rendered, timeout=30000):
        preview.refresh(dataclasses.replace(w.doc.report, unit_name="预览重建测试单位"))
    for view in (ours, plain):
        view.verticalScrollBar().setValue(700)
    qtbot.waitUntil(
        lambda: ours.viewport().grab().toImage() == plain.viewport().grab().toImage(),
        timeout=10000,
    )
    assert ours.viewport().grab().toImage() != before


def _page_at_the_top(preview) -> int:
    """The page whose rectangle holds the top of the view (what the clerk is reading)."""
    top = preview.view.verticalScrollBar().value() + 1
    for page, rect in preview.view.page_geometries():
        if rect.top() - preview.view.pageSpacing() <= top <= rect.bottom():
            return page
    return -1


@pytest.mark.parametrize("how", ["zoom in twice", "zoom out", "whole page", "fit width"])
def test_zooming_keeps_the_page_being_read(qtbot, sample_window, how):
    w = sample_window
    preview = w.preview
    with qtbot.waitSignal(preview.rendered, timeout=30000):
        w.show_preview()
    if how == "fit width":
        preview.whole_page()
    preview.go_to_page(5)
    qtbot.wait(50)
    assert _page_at_the_top(preview) == 5
    if how == "zoom in twice":
        preview.zoom_in()
        preview.zoom_in()
    elif how == "zoom out":
        preview.zoom_out()
    elif how == "whole page":
        preview.whole_page()
    else:
        preview.fit_width()
    qtbot.wait(50)
    assert preview.page() == 5 and preview.page_box.value() == 5
    assert _page_at_the_top(preview) == 5

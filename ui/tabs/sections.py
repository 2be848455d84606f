"""报告正文: the outline (add, rename, remove, move sections: :mod:`perfdesk_ui.tabs.outline`)
and the clerk's text under each; list sections (主要职责, 存在的问题, 改进措施) edit their list
here as well.

Beside each section's text the standard paragraph the program prints there (written from the
tables' figures, :func:`perfdesk.report.standard_paragraphs`) is shown read-only, so the clerk
writes only what adds to it.
"""

from __future__ import annotations

from typing import Any

from perfdesk_ui.fields import LineField, TextField
from perfdesk_ui.tables import Column, InsertSpec, Row, RowTableEditor
from perfdesk_ui.tabs.base import EditorTab, hint
from perfdesk_ui.tabs.outline import OutlineEditor, numbered_headings
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from perfdesk.domain import model as m

__all__ = ["SectionsTab", "numbered_headings", "standard_paragraphs"]


def standard_paragraphs(report: m.Report | None, section: m.Section | None) -> list[str]:
    """What the printout writes from the figures at ``section`` ([] when nothing)."""
    if report is None or section is None:
        return []
    try:
        from perfdesk.report import standard_paragraphs as written
    except ImportError:  # an installation without the printout: nothing to show
        return []
    try:
        return [p for p in written(report, section) if p]
    except Exception:  # noqa: BLE001 - a half-filled report must not break the editor
        return []


class SectionsTab(EditorTab):
    title = "报告正文"

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        self.section_id: int | None = None
        self.report: m.Report | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        layout.addWidget(split)
        self.outline_editor = self.wire(OutlineEditor(doc, split))
        self.outline = self.outline_editor.list
        self.outline.currentRowChanged.connect(self._outline_changed)
        self.outline_editor.chosen.connect(self.select_section)
        self.outline_editor.rename_requested.connect(self._rename)
        split.addWidget(self.outline_editor)

        right = QWidget(split)
        col = QVBoxLayout(right)
        col.setContentsMargins(6, 0, 0, 0)
        col.addWidget(QLabel("标题"))
        self.heading = self.wire(LineField(doc, "heading", "标题", "text", right))
        col.addWidget(self.heading)
        self.standard_label = QLabel(
            "程序根据表中数据写的标准段落（只读，打印在本节最前面；改表中数字它就跟着变）"
        )
        self.standard_label.setStyleSheet("color: #505050;")
        col.addWidget(self.standard_label)
        self.generated = QPlainTextEdit(right)
        self.generated.setReadOnly(True)
        self.generated.setAccessibleName("程序生成的标准段落")
        self.generated.setStyleSheet("QPlainTextEdit { background: #ececec; color: #303030; }")
        self.generated.setMaximumHeight(7 * self.fontMetrics().lineSpacing() + 14)
        col.addWidget(self.generated, 1)
        self.standard = hint("")
        col.addWidget(self.standard)
        self.list_label = QLabel()
        col.addWidget(self.list_label)
        self.list_editor = self.wire(
            RowTableEditor(
                doc,
                [Column("text", "内容（每行一条，打印时自动编号）", "text", 600, stretch=True)],
                right,
                row_noun="条",
                wrap_rows=True,
            )
        )
        self.list_editor.setMinimumHeight(200)
        col.addWidget(self.list_editor, 1)
        self.text_label = QLabel("正文")
        col.addWidget(self.text_label)
        self.text = self.wire(TextField(doc, "text", "正文", right, lines=6, grow=True))
        col.addWidget(self.text, 3)
        split.addWidget(right)
        split.setSizes([330, 900])

    def _outline_changed(self, row: int) -> None:
        self.outline_editor.update_buttons()
        if self.report is None or not 0 <= row < len(self.report.sections):
            return
        self.select_section(self.report.sections[row].id)

    def select_section(self, section_id: int) -> None:
        """Show section ``section_id`` (typing still pending in the text is stored first)."""
        if section_id != self.section_id:
            if self.text.pending():
                self.text.commit()
            self.section_id = section_id
        self.outline_editor.show_report(self.report, self.section_id)
        self._show_section()

    def _rename(self) -> None:
        self.heading.setFocus()
        self.heading.selectAll()

    def current_section(self) -> m.Section | None:
        if self.report is None:
            return None
        for s in self.report.sections:
            if s.id == self.section_id:
                return s
        return None

    def refresh(self, report: m.Report | None) -> None:
        previous = self.report
        self.report = report
        if report is None:
            return
        if self.current_section() is None:
            # the shown section is gone (deleted, undone): show its neighbour, else the first
            row = self.outline.currentRow()
            if previous is not None and previous.id != report.id:
                row = 0
            row = min(max(row, 0), len(report.sections) - 1)
            self.section_id = report.sections[row].id if report.sections else None
        self.outline_editor.show_report(report, self.section_id)
        self._show_section()

    def prepare(self, cell: Any) -> None:
        """Open the section a cell belongs to (its heading or text, or the list it edits)."""
        if self.report is None:
            return
        sections = self.report.sections
        wanted: list[int] = []
        if cell.entity == "section":
            wanted = [s.id for s in sections if s.id == cell.row_id]
        elif cell.entity == "list_item":
            keys = [
                k
                for k, items in self.report.lists.items()
                if any(i.id == cell.row_id for i in items)
            ]
            wanted = [s.id for s in sections if keys and s.list_key == keys[0]]
        if wanted and wanted[0] is not None and wanted[0] != self.section_id:
            self.select_section(wanted[0])

    def show_place(self, place: Any, detail: str = "") -> bool:
        """Open the section (or the list section) and select the quoted words or the list item."""
        from perfdesk_ui.locate import select_cell, select_words

        if self.report is None:
            return False
        sections = self.report.sections
        if place.entity == "sections" and place.row is not None and 0 <= place.row < len(sections):
            self.outline.setCurrentRow(place.row)
            self.text.setFocus()
            select_words(self.text, detail)
            return True
        if place.entity == "lists":
            rows = [i for i, s in enumerate(sections) if s.list_key == place.key]
            if rows:
                self.outline.setCurrentRow(rows[0])
                return select_cell(self.list_editor.view, place.row, "text")
        return super().show_place(place, detail)

    def _show_section(self) -> None:
        report, section = self.report, self.current_section()
        sid = section.id if section else None
        self.heading.show_row("section", sid, section)
        self.text.show_row("section", sid, section)
        is_list = (
            section is not None and section.kind == m.SectionKind.LIST and bool(section.list_key)
        )
        self.list_label.setVisible(is_list)
        self.list_editor.setVisible(is_list)
        if is_list and report is not None and section is not None:
            key = section.list_key
            self.list_label.setText(f"{m.LIST_KEYS.get(key, key)}（列表）")
            self.list_editor.set_rows(
                [Row("list_item", i.id, i) for i in report.lists.get(key, [])],
                InsertSpec("list_item", {"report_id": report.id, "list_key": key}),
            )
        paragraphs = standard_paragraphs(report, section)
        self.generated.setVisible(bool(paragraphs))
        self.standard_label.setVisible(bool(paragraphs))
        text = "\n".join("　　" + p.strip() for p in paragraphs if p.strip())
        if self.generated.toPlainText() != text:
            self.generated.setPlainText(text)
        if section is None:
            self.standard.setText("")
        elif is_list:
            self.standard.setText("本节先打印列表（自动编号），再打印下面的正文。")
        elif paragraphs:
            self.standard.setText("")
        else:
            self.standard.setText("本节没有程序生成的段落：打印的就是下面的正文。")
        self.standard.setVisible(bool(self.standard.text()))
        self.text_label.setText(
            "正文（接在上面的标准段落之后打印，只写补充的内容）" if paragraphs else "正文"
        )

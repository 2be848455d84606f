"""报告正文: the outline (add, rename, remove, move sections: :mod:`perfdesk_ui.tabs.outline`)
and the clerk's text under each; list sections (主要职责, 存在的问题, 改进措施) edit their list
here as well."""

from __future__ import annotations

from typing import Any

from perfdesk_ui.fields import LineField, TextField
from perfdesk_ui.tables import Column, InsertSpec, Row, RowTableEditor
from perfdesk_ui.tabs.base import EditorTab, hint
from perfdesk_ui.tabs.outline import OutlineEditor, numbered_headings
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from perfdesk.domain import model as m

__all__ = ["SectionsTab", "numbered_headings"]


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
        col.addWidget(QLabel("标题"))
        self.heading = self.wire(LineField(doc, "heading", "标题", "text", right))
        col.addWidget(self.heading)
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
        col.addWidget(QLabel("正文"))
        self.text = self.wire(TextField(doc, "text", "正文", right, lines=8, grow=True))
        col.addWidget(self.text, 2)
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
        self.standard.setText(
            ""
            if section is None
            else "本节先打印列表（自动编号），再打印下面的正文。"
            if is_list
            else "若本节有程序根据表中数据生成的标准段落，下面的正文接在其后打印。"
        )

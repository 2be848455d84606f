"""绩效指标评分: the report's overall indicator tree (附件2), goals, live 总分 and grade.

The goals sit beside the totals and the 一级指标 table, so the 三级指标 table below keeps the
tab's whole width and most of its height.
"""

from __future__ import annotations

from typing import Any

from perfdesk_ui.fields import TextField
from perfdesk_ui.tabs.base import EditorTab
from perfdesk_ui.tabs.indicators import IndicatorEditor, report_scope
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from perfdesk.domain import model as m


class ScoresTab(EditorTab):
    title = "绩效指标评分"

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.editor = self.wire(IndicatorEditor(doc, self))
        goals = QWidget(self.editor)
        grid = QGridLayout(goals)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(4)
        self.goal_expected = self.wire(
            TextField(doc, "goal_expected", "年度总体目标：预期目标", goals, lines=2)
        )
        self.goal_actual = self.wire(
            TextField(doc, "goal_actual", "年度总体目标：实际完成情况", goals, lines=2)
        )
        for row, (label, w) in enumerate(
            (("预期目标", self.goal_expected), ("实际完成\n情况", self.goal_actual))
        ):
            text = QLabel(label)
            text.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, row, 0)
            grid.addWidget(w, row, 1)
        grid.setColumnStretch(1, 1)
        self.editor.add_top(goals, 1)
        layout.addWidget(self.editor, 1)

    def refresh(self, report: m.Report | None) -> None:
        if report is None:
            return
        self.goal_expected.show_row("report", report.id, report)
        self.goal_actual.show_row("report", report.id, report)
        report_scope(self.editor, report)

    def show_place(self, place: Any, detail: str = "") -> bool:
        from perfdesk_ui.locate import select_cell

        if place.entity == "indicators":
            return select_cell(self.editor.indicators.view, place.row, place.field)
        if place.entity == "groups":
            return select_cell(self.editor.groups.view, place.row, place.field)
        return super().show_place(place, detail)

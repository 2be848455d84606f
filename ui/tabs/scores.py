"""绩效指标评分: the report's overall indicator tree (附件2), goals, live 总分 and grade."""

from __future__ import annotations

from typing import Any

from perfdesk_ui.fields import TextField
from perfdesk_ui.tabs.base import EditorTab
from perfdesk_ui.tabs.indicators import IndicatorEditor, report_scope
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from perfdesk.domain import model as m


class ScoresTab(EditorTab):
    title = "绩效指标评分"

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        goals = QHBoxLayout()
        self.goal_expected = self.wire(
            TextField(doc, "goal_expected", "年度总体目标：预期目标", self, lines=2)
        )
        self.goal_expected.setMaximumHeight(80)
        self.goal_actual = self.wire(
            TextField(doc, "goal_actual", "年度总体目标：实际完成情况", self, lines=2)
        )
        self.goal_actual.setMaximumHeight(80)
        for label, w in (("预期目标", self.goal_expected), ("实际完成情况", self.goal_actual)):
            col = QVBoxLayout()
            col.addWidget(QLabel(label))
            col.addWidget(w)
            goals.addLayout(col)
        layout.addLayout(goals)
        self.editor = self.wire(IndicatorEditor(doc, self))
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

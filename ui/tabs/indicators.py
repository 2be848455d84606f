"""The indicator tree editor shared by 绩效指标评分 (the report) and a project's own indicators.

一级指标 with weights, the 三级指标 rows with target/actual values, the suggested score (computed
by ``perfdesk.domain.scoring``, grey) beside the entered one, the 预算执行率 row, and the live
总分 and grade.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from perfdesk_ui.fields import ComputedLabel, LineField
from perfdesk_ui.tables import Column, InsertSpec, Row, RowTableEditor, enum_choices
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from perfdesk.domain import calc, scoring
from perfdesk.domain import model as m
from perfdesk.domain.numbers import format_plain

METHOD_LABELS = {
    m.Method.AT_LEAST: "正向（≥）",
    m.Method.AT_MOST: "反向（≤）",
    m.Method.EQUAL: "等于（=）",
    m.Method.QUALITATIVE: "定性",
}


def _suggested(ind: m.Indicator) -> str:
    return format_plain(scoring.indicator_score(ind).suggested)


INDICATOR_COLUMNS = [
    Column("level1", "一级指标", "text", 90),
    Column("level2", "二级指标", "text", 130),
    Column("name", "三级指标", "text", 170, stretch=True),
    Column("target_text", "年度指标值", "text", 110),
    Column("actual_text", "实际完成值", "text", 110),
    Column("method", "评分方法", "enum", 90, choices=enum_choices(m.Method, METHOD_LABELS)),
    Column("target_value", "目标值", "decimal", 70),
    Column("actual_value", "实际值", "decimal", 70),
    Column("unit", "单位", "text", 50),
    Column("grade", "定性等级", "enum", 130, choices=enum_choices(m.QualitativeGrade)),
    Column("weight", "分值", "decimal", 55),
    Column("", "建议得分", "decimal", 70, compute=_suggested),
    Column("score", "得分", "decimal", 60),
    Column("deviation_reason", "偏差原因分析及改进措施", "text", 220, stretch=True),
]

GROUP_COLUMNS = [
    Column("name", "一级指标", "text", 120),
    Column("weight", "分值", "decimal", 60),
]


class IndicatorEditor(QWidget):
    """Groups, indicators, 预算执行率 and totals of one scope (the report or one project)."""

    message = Signal(str)

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        top = QGridLayout()
        self.execution_weight = LineField(
            doc, "execution_weight", "预算执行率分值", "decimal", self
        )
        self.execution_score = LineField(doc, "execution_score", "预算执行率得分", "decimal", self)
        self.execution_suggested = ComputedLabel()
        self.execution_rate = ComputedLabel()
        self.total_weight = ComputedLabel()
        self.total_score = ComputedLabel()
        self.grade = ComputedLabel()
        for w in (self.execution_weight, self.execution_score):
            w.message.connect(self.message)
            w.setMaximumWidth(80)
        for col, (label, widget) in enumerate(
            (
                ("预算执行率", self.execution_rate),
                ("分值", self.execution_weight),
                ("建议得分", self.execution_suggested),
                ("得分", self.execution_score),
            )
        ):
            top.addWidget(QLabel(label), 0, col * 2)
            top.addWidget(widget, 0, col * 2 + 1)
        for col, (label, widget) in enumerate(
            (("分值合计", self.total_weight), ("总分", self.total_score), ("评价等级", self.grade))
        ):
            top.addWidget(QLabel(label), 1, col * 2)
            top.addWidget(widget, 1, col * 2 + 1)
        top.setColumnStretch(8, 1)
        self.total_score.setStyleSheet(self.total_score.styleSheet() + "font-weight: bold;")
        self.grade.setStyleSheet(self.grade.styleSheet() + "font-weight: bold;")
        layout.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.groups = RowTableEditor(
            doc,
            GROUP_COLUMNS
            + [
                Column("", "三级分值合计", "decimal", 90, compute=self._group_sum),
            ],
            split,
            row_noun="指标",
        )
        self.indicators = RowTableEditor(
            doc, INDICATOR_COLUMNS, split, row_noun="指标", wrap_rows=True
        )
        self.groups.message.connect(self.message)
        self.indicators.message.connect(self.message)
        split.addWidget(self.groups)
        split.addWidget(self.indicators)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([290, 960])
        self.groups.view.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(split, 1)
        self._indicators: list[m.Indicator] = []

    def _group_sum(self, group: m.IndicatorGroup) -> str:
        return format_plain(
            calc.indicator_weight_total(i for i in self._indicators if i.level1 == group.name)
        )

    def show_scope(
        self,
        entity: str,
        row_id: int | None,
        owner: Any,
        report_id: int | None,
        project_id: int | None,
        execution: scoring.Score,
        total: Any,
        weight: Any,
        rate: Any,
    ) -> None:
        """Show the indicators of ``owner`` (a Report or a Project)."""
        from perfdesk.domain.numbers import format_percent

        self._indicators = owner.indicators
        scope = {"report_id": report_id, "project_id": project_id}
        enabled = row_id is not None
        self.groups.set_rows(
            [Row("indicator_group", g.id, g) for g in owner.groups],
            InsertSpec("indicator_group", scope) if enabled else None,
        )
        self.indicators.set_rows(
            [Row("indicator", i.id, i) for i in owner.indicators],
            InsertSpec("indicator", scope) if enabled else None,
        )
        self.execution_weight.show_row(entity, row_id, owner)
        self.execution_score.show_row(entity, row_id, owner)
        self.execution_suggested.setText(format_plain(execution.suggested))
        self.execution_rate.setText(format_percent(rate, blank=""))
        self.total_weight.setText(format_plain(weight))
        self.total_score.setText(format_plain(total))
        self.grade.setText(calc.grade(total))


def report_scope(editor: IndicatorEditor, report: m.Report) -> None:
    editor.show_scope(
        "report",
        report.id,
        report,
        report.id,
        None,
        scoring.report_execution_score(report),
        scoring.report_total_score(report),
        scoring.report_total_weight(report),
        calc.report_execution_rate(report),
    )


def project_scope(editor: IndicatorEditor, report: m.Report, project: m.Project | None) -> None:
    if project is None:
        blank = m.Project("")
        editor.show_scope(
            "project", None, blank, report.id, None, scoring.Score(None, None), None, None, None
        )
        return
    editor.show_scope(
        "project",
        project.id,
        project,
        report.id,
        project.id,
        scoring.project_execution_score(project),
        scoring.project_total_score(project),
        scoring.project_total_weight(project),
        calc.project_execution_rate(project),
    )


ScopeShower = Callable[[IndicatorEditor, m.Report], None]

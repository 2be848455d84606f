"""The indicator tree editor shared by 绩效指标评分 (the report) and a project's own indicators.

一级指标 with weights, the 三级指标 rows with target/actual values, the suggested score (computed
by ``perfdesk.domain.scoring``, grey) beside the entered one, the 预算执行率 row, and the live
总分 and grade.

The 三级指标 table takes the editor's whole width (its fourteen columns are all in view at
1280×800 with the 审核 panel open); the 一级指标 table and the totals sit above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from perfdesk_ui.fields import ComputedLabel, LineField
from perfdesk_ui.tables import Column, InsertSpec, Row, RowTableEditor, enum_choices
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

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
    Column("level1", "一级指标", "text", 90, label="一级\n指标"),
    Column("level2", "二级指标", "text", 120, label="二级\n指标"),
    Column("name", "三级指标", "text", 220, stretch=True),
    Column("target_text", "年度指标值", "text", 120, label="年度\n指标值"),
    Column("actual_text", "实际完成值", "text", 120, label="实际\n完成值"),
    Column(
        "method",
        "评分方法",
        "enum",
        90,
        choices=enum_choices(m.Method, METHOD_LABELS),
        label="评分\n方法",
    ),
    Column("target_value", "目标值", "decimal", 70, label="目标\n值"),
    Column("actual_value", "实际值", "decimal", 70, label="实际\n值"),
    Column("unit", "单位", "text", 40),
    Column(
        "grade",
        "定性等级",
        "enum",
        110,
        choices=enum_choices(m.QualitativeGrade),
        label="定性\n等级",
    ),
    Column("weight", "分值", "decimal", 50),
    Column(
        "",
        "建议得分",
        "decimal",
        60,
        compute=_suggested,
        label="建议\n得分",
        why="按评分方法由目标值、实际值和分值算出；得分可另填",
    ),
    Column("score", "得分", "decimal", 50),
    Column(
        "deviation_reason",
        "偏差原因分析及改进措施",
        "text",
        260,
        stretch=True,
        label="偏差原因分析\n及改进措施",
    ),
]

GROUP_COLUMNS = [
    Column("name", "一级指标", "text", 120),
    Column("weight", "分值", "decimal", 50),
]


class IndicatorEditor(QWidget):
    """Groups, indicators, 预算执行率 and totals of one scope (the report or one project)."""

    message = Signal(str)

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        # above the table: [owner's widgets (the goals)] [预算执行率 and totals] [一级指标]
        self.top = QHBoxLayout()
        self.top.setSpacing(10)
        summary = QGridLayout()
        summary.setHorizontalSpacing(6)
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
            w.setMaximumWidth(70)
        for row, pairs in enumerate(
            (
                (("预算执行率", self.execution_rate), ("分值", self.execution_weight)),
                (("建议得分", self.execution_suggested), ("得分", self.execution_score)),
                (("分值合计", self.total_weight), ("总分", self.total_score)),
            )
        ):
            for k, (label, widget) in enumerate(pairs):
                summary.addWidget(QLabel(label), row, k * 2)
                summary.addWidget(widget, row, k * 2 + 1)
        summary.addWidget(QLabel("评价等级"), 3, 0)
        summary.addWidget(self.grade, 3, 1)
        summary.setRowStretch(4, 1)
        self.total_score.setStyleSheet(self.total_score.styleSheet() + "font-weight: bold;")
        self.grade.setStyleSheet(self.grade.styleSheet() + "font-weight: bold;")
        self.top.addLayout(summary, 0)

        self.groups = RowTableEditor(
            doc,
            GROUP_COLUMNS
            + [
                Column(
                    "",
                    "三级分值合计",
                    "decimal",
                    90,
                    compute=self._group_sum,
                    label="三级指标\n分值合计",
                    why="这个一级指标下各三级指标分值之和",
                ),
            ],
            self,
            row_noun="一级指标",
            buttons_beside=True,
            fit=True,
            min_rows=3,
        )
        self.groups.setMaximumWidth(460)
        self.top.addWidget(self.groups, 0)
        layout.addLayout(self.top)

        self.indicators = RowTableEditor(
            doc, INDICATOR_COLUMNS, self, row_noun="指标", wrap_rows=True
        )
        self.groups.message.connect(self.message)
        self.indicators.message.connect(self.message)
        layout.addWidget(self.indicators, 1)
        self._indicators: list[m.Indicator] = []

    def add_top(self, widget: QWidget, stretch: int = 1) -> None:
        """Put ``widget`` (a tab's own fields, e.g. the goals) left of the totals, above the table."""
        self.top.insertWidget(0, widget, stretch)

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
            InsertSpec("indicator", scope, inherit=("level1", "level2")) if enabled else None,
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

"""The tabs of a 项目支出绩效自评报告: what a project report has, and nothing of a department's.

A project report is one project's form (项目支出绩效自评表) and its narrative. Its window has

- **项目与封面** (:class:`ProjectInfoTab`): what the cover and the signature line print — the
  project's name, 主管部门 and 实施单位, the unit, 报告日期, 填表人, 联系电话, 单位负责人 — and the
  project's 类别 and 主要用于 (the 项目概况 paragraph states them);
- **项目支出绩效自评表** (:class:`ProjectFormTab`): the form as printed — 年度资金总额 and its
  其中 rows (年初预算数, 全年预算数, 全年执行数, 执行率), 上年决算数 and 结余结转, the 年度总体目标,
  and the indicator table with the 预算执行率 line, 总分 and grade;
- the department report's 报告正文 and 打印预览 tabs, which serve both kinds.

Every cell and field edits through the same undo commands and spreadsheet views as the department
report's tabs (paste from Excel, Delete, grey computed cells, refused values kept with the reason).
"""

from __future__ import annotations

from typing import Any

from perfdesk_ui.fields import ComputedLabel, DateField, LineField, TextField
from perfdesk_ui.tables import Column, RecordTableModel, Row, SheetView
from perfdesk_ui.tabs.base import EditorTab, group, hint, scrolling_page
from perfdesk_ui.tabs.indicators import IndicatorEditor, project_scope
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from perfdesk.domain import calc
from perfdesk.domain import model as m
from perfdesk.domain.numbers import format_percent

REPORT_FIELDS = (
    ("unit_name", "项目单位（单位名称）"),
    ("head", "单位负责人"),
    ("preparer", "填表人"),
    ("phone", "联系电话"),
)
PROJECT_FIELDS = (
    ("name", "项目名称"),
    ("category", "类别"),
    ("supervisor", "主管部门"),
    ("implementer", "实施单位"),
)
INFO_FIELDS = frozenset(
    {name for name, _ in REPORT_FIELDS}
    | {name for name, _ in PROJECT_FIELDS}
    | {"report_date", "purpose", "year"}
)
"""Fields shown on 项目与封面 (an audit finding about one of them opens that tab)."""


def _the_project(report: m.Report | None) -> m.Project | None:
    return report.projects[0] if report is not None and report.projects else None


class ProjectInfoTab(EditorTab):
    title = "项目与封面"

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        page = scrolling_page(self)

        box, lay = group("项目", self)
        grid = QGridLayout()
        self.project_fields: dict[str, LineField] = {}
        for i, (name, label) in enumerate(PROJECT_FIELDS):
            edit = self.wire(LineField(doc, name, label, "text", self))
            self.project_fields[name] = edit
            grid.addWidget(QLabel(label), i // 2, (i % 2) * 2)
            grid.addWidget(edit, i // 2, (i % 2) * 2 + 1)
        self.project_fields["category"].setToolTip(
            "如：区级专项资金、业务工作经费；印在“项目概况”中，可留空"
        )
        grid.addWidget(QLabel("主要用于"), 2, 0)
        self.purpose = self.wire(TextField(doc, "purpose", "主要用于", self, lines=2))
        grid.addWidget(self.purpose, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        lay.addLayout(grid)
        lay.addWidget(
            hint(
                "封面印项目名称、项目单位和主管部门；“项目概况”一段由主管部门、实施单位、类别和"
                "“主要用于”写成。"
            )
        )
        page.addWidget(box)

        box, lay = group("报告封面与落款", self)
        grid = QGridLayout()
        self.report_fields: dict[str, LineField] = {}
        for i, (name, label) in enumerate(REPORT_FIELDS):
            edit = self.wire(LineField(doc, name, label, "text", self))
            self.report_fields[name] = edit
            grid.addWidget(QLabel(label), i // 2, (i % 2) * 2)
            grid.addWidget(edit, i // 2, (i % 2) * 2 + 1)
        row = len(REPORT_FIELDS) // 2
        self.year_label = ComputedLabel()
        self.report_date = self.wire(DateField(doc, "report_date", "报告日期", self))
        grid.addWidget(QLabel("年度"), row, 0)
        grid.addWidget(self.year_label, row, 1)
        grid.addWidget(QLabel("报告日期"), row, 2)
        grid.addWidget(self.report_date, row, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        lay.addLayout(grid)
        lay.addWidget(
            hint(
                "单位名称和报告日期印在封面和正文落款；填表人、联系电话和单位负责人印在自评表下方。"
                "年度可在“报告 → 改正单位名称/年度”中改正。"
            )
        )
        page.addWidget(box)
        page.addStretch(1)

    def refresh(self, report: m.Report | None) -> None:
        if report is None:
            return
        for edit in self.report_fields.values():
            edit.show_row("report", report.id, report)
        self.report_date.show_row("report", report.id, report)
        self.year_label.setText(f"{report.year}年度")
        project = _the_project(report)
        pid = project.id if project is not None else None
        for edit in self.project_fields.values():
            edit.show_row("project", pid, project)
        self.purpose.show_row("project", pid, project)


FIGURE_COLUMNS = [
    Column("initial_budget", "年初预算数", "amount", 110),
    Column("full_year_budget", "全年预算数", "amount", 110),
    Column("executed", "全年执行数", "amount", 110),
    Column(
        "",
        "执行率",
        "percent",
        90,
        compute=lambda line: format_percent(
            calc.execution_rate(line.full_year_budget, line.executed), blank=""
        ),
    ),
]
"""The form's 项目资金 block: 年度资金总额 (the project) and its 其中 rows (the fund sources)."""

OTHER_COLUMNS = [
    Column("prior_final", "上年决算数", "amount", 110),
    Column("carryover", "结余结转", "amount", 110),
]

SOURCES_SUM = "其中各项合计"
"""The grey row under the sources: what they add up to, to set against 年度资金总额."""


def _sources_sum(project: m.Project) -> m.BudgetLine:
    """The fund sources added up, column by column (blank where none is given)."""
    return m.BudgetLine(
        "sources",
        *(
            calc.total(getattr(s, column) for s in project.sources)
            for column in ("initial_budget", "full_year_budget", "executed")
        ),
    )


class ProjectFormTab(EditorTab):
    title = "项目支出绩效自评表"

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        self.report: m.Report | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        split = QSplitter(Qt.Orientation.Vertical, self)
        layout.addWidget(split)

        top = QWidget(split)
        grid = QGridLayout(top)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("项目资金（万元）"), 0, 0)
        self.funds_model = RecordTableModel(doc, FIGURE_COLUMNS, top)
        self.funds_view = self.wire(SheetView(self.funds_model, top))
        grid.addWidget(self.funds_view, 1, 0, 2, 1)
        grid.addWidget(QLabel("其他（万元）"), 0, 1)
        self.other_model = RecordTableModel(doc, OTHER_COLUMNS, top)
        self.other_view = self.wire(SheetView(self.other_model, top))
        grid.addWidget(self.other_view, 1, 1)
        grid.addWidget(
            hint(
                "执行率 = 全年执行数 ÷ 全年预算数（灰色，自动计算）。"
                "“其中”各行是资金来源，合计应等于年度资金总额。"
            ),
            2,
            1,
        )
        goals = QGridLayout()
        self.goal_expected = self.wire(
            TextField(doc, "goal_expected", "年度总体目标：预期目标", top, lines=2)
        )
        self.goal_actual = self.wire(
            TextField(doc, "goal_actual", "年度总体目标：实际完成情况", top, lines=2)
        )
        goals.addWidget(QLabel("年度总体目标：预期目标"), 0, 0)
        goals.addWidget(QLabel("实际完成情况"), 0, 1)
        goals.addWidget(self.goal_expected, 1, 0)
        goals.addWidget(self.goal_actual, 1, 1)
        grid.addLayout(goals, 3, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(4, 1)  # spare height below the goals, not between the blocks
        split.addWidget(top)

        self.indicators = self.wire(IndicatorEditor(doc, split))
        split.addWidget(self.indicators)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 500])

    def project(self) -> m.Project | None:
        return _the_project(self.report)

    def refresh(self, report: m.Report | None) -> None:
        self.report = report
        if report is None:
            return
        project = self.project()
        pid = project.id if project is not None else None
        rows: list[Row] = []
        other: list[Row] = []
        if project is not None:
            rows.append(Row("project", pid, project, "年度资金总额"))
            lines = {s.key: s for s in project.sources}
            for i, (key, label) in enumerate(m.PROJECT_SOURCE_KEYS.items()):
                rows.append(
                    Row(
                        "project_source",
                        self.doc.fixed_id("project_source", key, pid),
                        lines.get(key, m.BudgetLine(key)),
                        ("其中：" if i == 0 else "　　　") + label,
                    )
                )
            rows.append(Row(None, None, _sources_sum(project), SOURCES_SUM))
            other.append(Row("project", pid, project, "本项目"))
        self.funds_model.set_rows(rows)
        self.funds_view.fit_height()
        self.other_model.set_rows(other)
        self.other_view.fit_height()
        self.goal_expected.show_row("project", pid, project)
        self.goal_actual.show_row("project", pid, project)
        project_scope(self.indicators, report, project)

    def show_place(self, place: Any, detail: str = "") -> bool:
        """The cell of the form a finding names: a figure, a source, an indicator or a goal."""
        from perfdesk_ui.locate import focus_field, select_cell

        if place.entity == "project_sources":
            line = place.key.rsplit("/", 1)[-1] if "/" in place.key else ""
            keys = list(m.PROJECT_SOURCE_KEYS)
            row = 1 + keys.index(line) if line in keys else 0
            return select_cell(self.funds_view, row, place.field)
        if place.entity == "project_indicators":
            return select_cell(self.indicators.indicators.view, place.row, place.field)
        if place.entity == "project_groups":
            return select_cell(self.indicators.groups.view, place.row, place.field)
        if place.field in {c.field for c in FIGURE_COLUMNS if c.field}:
            return select_cell(self.funds_view, 0, place.field)
        if place.field in {c.field for c in OTHER_COLUMNS}:
            return select_cell(self.other_view, 0, place.field)
        return focus_field(self, place.field, detail)


PROJECT_REPORT_TABS: tuple[type[EditorTab], ...] = (ProjectInfoTab, ProjectFormTab)
"""The tabs only a project report has (followed by 报告正文 and 打印预览)."""

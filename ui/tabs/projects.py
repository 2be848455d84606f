"""项目: the projects table (add, remove, reorder) and, for the selected project, its details,
its 资金来源 grid and its own indicator table (附件3)."""

from __future__ import annotations

from typing import Any

from perfdesk_ui.commands import AddProject
from perfdesk_ui.fields import LineField, TextField
from perfdesk_ui.tables import (
    Column,
    InsertSpec,
    RecordTableModel,
    Row,
    RowTableEditor,
    SheetView,
)
from perfdesk_ui.tabs.base import EditorTab, hint
from perfdesk_ui.tabs.indicators import IndicatorEditor, project_scope
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from perfdesk.domain import calc
from perfdesk.domain import model as m
from perfdesk.domain.numbers import format_percent

PROJECT_COLUMNS = [
    Column("name", "项目名称", "text", 230, stretch=True),
    Column("category", "类别", "text", 110),
    Column("prior_final", "上年决算数", "amount", 95),
    Column("initial_budget", "年初预算数", "amount", 95),
    Column("full_year_budget", "全年预算数", "amount", 95),
    Column("executed", "执行数", "amount", 95),
    Column("carryover", "结余结转", "amount", 90),
    Column(
        "",
        "执行率",
        "percent",
        80,
        compute=lambda p: format_percent(calc.project_execution_rate(p), blank=""),
    ),
]

SOURCE_COLUMNS = [
    Column("initial_budget", "年初预算数", "amount", 100),
    Column("full_year_budget", "全年预算数", "amount", 100),
    Column("executed", "全年执行数", "amount", 100),
]


class ProjectsTab(EditorTab):
    title = "项目"

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        self.project_id: int | None = None
        self.report: m.Report | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        split = QSplitter(Qt.Orientation.Vertical, self)
        layout.addWidget(split)

        self.table = self.wire(RowTableEditor(doc, PROJECT_COLUMNS, split, row_noun="项目"))
        self.table.inserter = self._add_project
        self.table.view.selectionModel().currentRowChanged.connect(self._current_changed)
        split.addWidget(self.table)

        self.detail = QTabWidget(split)
        split.addWidget(self.detail)
        split.setSizes([230, 470])

        page = QWidget()
        grid = QGridLayout(page)
        self.line_fields = []
        for i, (name, label) in enumerate(
            (("supervisor", "主管部门"), ("implementer", "实施单位"))
        ):
            f = self.wire(LineField(doc, name, label, "text", page))
            self.line_fields.append(f)
            grid.addWidget(QLabel(label), 0, i * 2)
            grid.addWidget(f, 0, i * 2 + 1)
        self.text_fields = []
        for i, (name, label) in enumerate(
            (
                ("purpose", "主要用于"),
                ("narrative", "项目实施及绩效情况"),
                ("goal_expected", "年度总体目标：预期目标"),
                ("goal_actual", "年度总体目标：实际完成情况"),
            )
        ):
            f = self.wire(TextField(doc, name, label, page, lines=3))
            self.text_fields.append(f)
            grid.addWidget(QLabel(label), 1 + (i // 2) * 2, (i % 2) * 2, 1, 2)
            grid.addWidget(f, 2 + (i // 2) * 2, (i % 2) * 2, 1, 2)
        self.sources_model = RecordTableModel(doc, SOURCE_COLUMNS, page)
        self.sources_view = self.wire(SheetView(self.sources_model, page))
        grid.addWidget(QLabel("项目资金其中（万元）"), 5, 0, 1, 2)
        grid.addWidget(self.sources_view, 6, 0, 1, 2)
        grid.addWidget(
            hint(
                "选中上表中的一个项目，在这里编辑它的情况；“项目绩效指标”页是它自己的指标表（附件3）。"
            ),
            6,
            2,
            1,
            2,
        )
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.detail.addTab(page, "项目概况")
        self.indicators = self.wire(IndicatorEditor(doc, self.detail))
        self.detail.addTab(self.indicators, "项目绩效指标")

    def _add_project(self, position: int) -> None:
        from perfdesk.domain.templates import new_project

        if self.report is None:
            return
        cmd = AddProject(self.doc, self.report.id, position, new_project("新项目"))
        self.doc.run(cmd)
        self.project_id = cmd.project_id
        self._show_project()

    def _current_changed(self, current: Any, _previous: Any) -> None:
        rows = self.table.model.rows
        if current.isValid() and current.row() < len(rows):
            pid = rows[current.row()].row_id
            if pid != self.project_id:
                self.project_id = pid
                self._show_project()

    def selected_project(self) -> m.Project | None:
        if self.report is None:
            return None
        for p in self.report.projects:
            if p.id == self.project_id:
                return p
        return None

    def refresh(self, report: m.Report | None) -> None:
        self.report = report
        if report is None:
            return
        self.table.set_rows(
            [Row("project", p.id, p) for p in report.projects],
            InsertSpec("project", {"report_id": report.id}),
        )
        if self.selected_project() is None:
            self.project_id = report.projects[0].id if report.projects else None
        self._show_project()

    def _show_project(self) -> None:
        report = self.report
        if report is None:
            return
        project = self.selected_project()
        pid = project.id if project else None
        for f in self.line_fields + self.text_fields:
            f.show_row("project", pid, project)
        rows = []
        if project is not None:
            lines = {s.key: s for s in project.sources}
            for key, label in m.PROJECT_SOURCE_KEYS.items():
                rows.append(
                    Row(
                        "project_source",
                        self.doc.fixed_id("project_source", key, pid),
                        lines.get(key, m.BudgetLine(key)),
                        label,
                    )
                )
        self.sources_model.set_rows(rows)
        self.sources_view.fit_height()
        project_scope(self.indicators, report, project)
        # keep the table's current row on the shown project
        for i, r in enumerate(self.table.model.rows):
            if r.row_id == pid and self.table.view.currentIndex().row() != i:
                col = max(0, self.table.view.currentIndex().column())
                self.table.view.setCurrentIndex(self.table.model.index(i, col))
                break
        name = project.name if project else "（没有项目）"
        self.detail.setTabText(0, f"项目概况：{name}")

    def show_place(self, place: Any, detail: str = "") -> bool:
        """Select the project first, then its cell, source row, indicator or text."""
        from perfdesk_ui.locate import focus_field, select_cell

        if self.report is None:
            return False
        index = place.project if place.project is not None else place.row
        if index is None or not 0 <= index < len(self.report.projects):
            return super().show_place(place, detail)
        self.project_id = self.report.projects[index].id
        self._show_project()
        if place.entity == "projects" and place.field in {
            c.field for c in PROJECT_COLUMNS if c.field
        }:
            return select_cell(self.table.view, index, place.field)
        if place.entity == "project_sources":
            self.detail.setCurrentIndex(0)
            line = place.key.rsplit("/", 1)[-1] if "/" in place.key else ""
            rows = [i for i, r in enumerate(self.sources_model.rows) if r.obj.key == line]
            return select_cell(self.sources_view, rows[0] if rows else 0, place.field)
        if place.entity == "project_indicators":
            self.detail.setCurrentIndex(1)
            return select_cell(self.indicators.indicators.view, place.row, place.field)
        if place.entity == "project_groups":
            self.detail.setCurrentIndex(1)
            return select_cell(self.indicators.groups.view, place.row, place.field)
        if place.field in ("execution_weight", "execution_score"):
            self.detail.setCurrentIndex(1)
            return focus_field(self.indicators, place.field)
        self.detail.setCurrentIndex(0)
        return focus_field(self.detail.widget(0), place.field, detail) or select_cell(
            self.table.view, index, "name"
        )

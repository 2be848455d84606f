"""项目: the projects table (add, remove, reorder) and, for the selected project, its details,
its 资金来源 grid and its own indicator table (附件3)."""

from __future__ import annotations

from typing import Any

from perfdesk_ui.commands import AddProject
from perfdesk_ui.fields import LineField, TextField
from perfdesk_ui.tables import (
    CellEditor,
    Column,
    InsertSpec,
    RecordTableModel,
    Row,
    RowTableEditor,
    SheetView,
)
from perfdesk_ui.tabs.base import EditorTab, hint
from perfdesk_ui.tabs.indicators import IndicatorEditor, project_scope
from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

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
        why="执行率 = 执行数 ÷ 全年预算数",
    ),
]

CATEGORY_TIP = (
    "附件1中项目所属的类别，可直接输入任何文字，也可从建议中选："
    "业务工作经费、运行维护经费、××级专项资金…；不分类的项目留空。"
)


class CategoryDelegate(QStyledItemDelegate):
    """The 类别 cell: free text with the usual categories suggested as the clerk types.

    The suggestions follow the report's 预算部门级次 (``templates.project_category_suggestions``);
    anything else typed is kept as typed.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.suggestions = QStringListModel(self)

    def set_level(self, unit_level: str) -> None:
        from perfdesk.domain.templates import project_category_suggestions

        self.suggestions.setStringList(project_category_suggestions(unit_level))

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:
        editor = CellEditor(parent, index)  # its own undo first, like every cell's editor
        completer = QCompleter(self.suggestions, editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # 专项 finds every 专项资金
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        editor.setCompleter(completer)
        editor.setToolTip(CATEGORY_TIP)

        def chosen(_text: str) -> None:
            # picking a suggestion (click or Enter in the list) stores it at once
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

        completer.activated.connect(chosen)
        return editor

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        super().setEditorData(editor, index)
        if isinstance(editor, QLineEdit):
            QTimer.singleShot(0, lambda: self._offer_all(editor))

    @staticmethod
    def _offer_all(editor: QLineEdit) -> None:
        # Opened on an empty cell with F2 or a double click: show every suggestion at once. (When
        # the cell was opened by typing, the typed text is there and the completer filters.)
        try:
            if editor.hasFocus() and not editor.text() and editor.completer() is not None:
                editor.completer().setCompletionPrefix("")
                editor.completer().complete()
        except RuntimeError:  # the editor was closed before the timer fired
            pass


SOURCE_COLUMNS = [
    Column("initial_budget", "年初预算数", "amount", 100),
    Column("full_year_budget", "全年预算数", "amount", 100),
    Column("executed", "全年执行数", "amount", 100),
]


class ProjectsTab(EditorTab):
    title = "项目"
    project_report_requested = Signal(str)  # 为此项目创建项目支出绩效自评报告: the project's name

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
        self.category_delegate = CategoryDelegate(self.table.view)
        category_col = next(i for i, c in enumerate(PROJECT_COLUMNS) if c.field == "category")
        self.table.view.setItemDelegateForColumn(category_col, self.category_delegate)
        self.table.view.selectionModel().currentRowChanged.connect(self._current_changed)
        split.addWidget(self.table)

        self.detail = QTabWidget(split)
        split.addWidget(self.detail)
        split.setSizes([200, 400])
        split.setChildrenCollapsible(False)

        # 项目概况: the two names on one line; the money grid left, the four texts right (2 × 2)
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setVerticalSpacing(4)
        self.line_fields = []
        names = QHBoxLayout()
        for name, label in (("supervisor", "主管部门"), ("implementer", "实施单位")):
            f = self.wire(LineField(doc, name, label, "text", page))
            self.line_fields.append(f)
            names.addWidget(QLabel(label))
            names.addWidget(f, 1)
        grid.addLayout(names, 0, 0, 1, 3)
        money = QVBoxLayout()
        money.addWidget(QLabel("项目资金其中（万元）"))
        self.sources_model = RecordTableModel(doc, SOURCE_COLUMNS, page)
        self.sources_view = self.wire(SheetView(self.sources_model, page, fit=True))
        money.addWidget(self.sources_view)
        money.addWidget(
            hint(
                "选中上表中的一个项目，在这里编辑它的情况；“项目绩效指标”页是它自己的指标表（附件3）。"
            )
        )
        self.make_report = QPushButton("为此项目创建项目支出绩效自评报告…", page)
        self.make_report.setToolTip(
            "另建一份该项目的项目支出绩效自评报告：数字、资金来源、指标和文字都复制过去，"
            "之后两份报告各自修改、互不影响"
        )
        self.make_report.clicked.connect(self._request_project_report)
        money.addWidget(self.make_report)
        money.addStretch(1)
        grid.addLayout(money, 1, 0, 4, 1)
        self.text_fields = []
        for i, (name, label) in enumerate(
            (
                ("purpose", "主要用于"),
                ("narrative", "项目实施及绩效情况"),
                ("goal_expected", "年度总体目标：预期目标"),
                ("goal_actual", "年度总体目标：实际完成情况"),
            )
        ):
            f = self.wire(TextField(doc, name, label, page, lines=2, grow=True))
            self.text_fields.append(f)
            grid.addWidget(QLabel(label), 1 + (i // 2) * 2, 1 + i % 2)
            grid.addWidget(f, 2 + (i // 2) * 2, 1 + i % 2)
        grid.setColumnStretch(0, 0)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(0, 360)
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

    def _request_project_report(self) -> None:
        project = self.selected_project()
        if project is None or not project.name.strip():
            self.message.emit("请先在上表中选中一个有名称的项目")
            return
        self.project_report_requested.emit(project.name)

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
        self.category_delegate.set_level(report.unit_level)
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
        project_scope(self.indicators, report, project)
        # keep the table's current row on the shown project
        for i, r in enumerate(self.table.model.rows):
            if r.row_id == pid and self.table.view.currentIndex().row() != i:
                col = max(0, self.table.view.currentIndex().column())
                self.table.view.setCurrentIndex(self.table.model.index(i, col))
                break
        name = project.name if project else "（没有项目）"
        self.detail.setTabText(0, f"项目概况：{name}")

    def prepare(self, cell: Any) -> None:
        """Select the project a cell belongs to (its details, sources or indicators)."""
        if self.report is None:
            return
        for p in self.report.projects:
            rows = {
                "project": [p.id],
                "project_source": [
                    self.doc.fixed_id("project_source", s.key, p.id) for s in p.sources
                ],
                "indicator": [i.id for i in p.indicators],
                "indicator_group": [g.id for g in p.groups],
            }.get(cell.entity, [])
            if cell.row_id in rows:
                if p.id != self.project_id:
                    self.project_id = p.id
                    self._show_project()
                return

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

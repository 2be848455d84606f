"""自评汇总: the 主管部门's window over many units' reports of one year.

A window of its own (报告 → 自评汇总…), not a tab of one report: the year's 汇总表 (one row per unit,
sortable by any column, filtered by name and by grade or open 错误, with 合计 and 平均 below it;
a double-click opens the unit's report in the main window), the cross-unit 汇总审核 with its 说明,
and the 汇总分析 the clerk edits. 汇集文件夹… imports a whole folder of exchange files with a
progress bar and shows what became of each file; 应报单位… keeps the list of expected units.
导出PDF / 导出Excel / 打印 give the 汇总分析 with the 汇总表 (landscape pages turned on the paper).

Every change here (应报单位, 主管部门, 汇总分析, 说明) is stored when made, as one step of this
window's own undo history (编辑 → 撤销/重做); the figures come from the units' reports and are
changed there.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from perfdesk_ui.commands import _ServiceCommand
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from perfdesk.domain.numbers import InputError
from perfdesk.summary.table import COLUMNS, Summary, UnitRow, cell_text, figure_text

ERROR_COLOUR = QColor("#a00000")
MUTED_COLOUR = QColor("#707070")
TEXT_IDLE_MS = 700
ANALYSIS_ID = 1801  # merges consecutive typing in the 汇总分析 into one undo step

VIEW_GROUPS = {"年度资金（万元）": "年度资金", "未处理的审核结果": "未处理"}
"""Shorter group headers for the window's single header row (the printout spans them); the
amounts' unit is said once, beside the unit count."""

FILTERS = (
    ("全部单位", None),
    ("等级：优", "优"),
    ("等级：良", "良"),
    ("等级：中", "中"),
    ("等级：差", "差"),
    ("未完成评分", "未完成评分"),
    ("有未处理错误", "errors"),
    ("有未处理提示", "hints"),
)


# --- the table -----------------------------------------------------------------------------------


def sort_key(row: UnitRow, key: str) -> Any:
    """What a column sorts by: numbers as numbers, text as text; ``None`` (blank) sorts last."""
    value = row.value(key)
    if key == "grade":
        order = ("优", "良", "中", "差", "未完成评分")
        return order.index(value) if value in order else len(order)
    return value


class SummaryModel(QAbstractTableModel):
    """The units of a :class:`Summary`, one row each; columns as :data:`COLUMNS`."""

    REPORT_ID = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[UnitRow] = []

    def set_rows(self, rows: list[UnitRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            c = COLUMNS[section]
            group = VIEW_GROUPS.get(c.group, c.group)
            header = c.header.replace("（万元）", "")
            return f"{group}\n{header}" if c.group else header
        return str(section + 1)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, c = self.rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(c.kind, row.value(c.key))
        if role == self.REPORT_ID:
            return row.report_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if c.kind == "text":
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            if c.kind in ("grade", "count"):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            f = row.facts
            if c.key == "open_errors" and f.open_errors:
                return QBrush(ERROR_COLOUR)
            if c.key == "grade" and not f.scored:
                return QBrush(MUTED_COLOUR)
            if c.key == "grade" and f.grade_text == "差":
                return QBrush(ERROR_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            f = row.facts
            if c.key == "grade" and not f.scored:
                return f"还有 {f.unscored_lines} 项未评分：不列总分，不计入平均分"
            if c.key == "open_errors" and f.open_errors:
                return "未处理的错误：" + "、".join(dict.fromkeys(f.error_titles))
            if c.key == "project_forms":
                return (
                    f"报告所附项目支出绩效自评表 {f.project_forms} 张，"
                    f"单独报送的项目支出绩效自评报告 {row.project_reports} 份"
                )
            if c.kind in ("amount", "rate") and row.value(c.key) is None:
                return "单位未填报（不作0计算）"
        return None


class SummaryProxy(QSortFilterProxyModel):
    """Sort by value (blanks last, either direction) and filter by name and by grade/findings."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.kind: str | None = None

    def set_filter(self, text: str, kind: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+: invalidateFilter is deprecated
            self.beginFilterChange()
            self.text, self.kind = text.strip(), kind
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.text, self.kind = text.strip(), kind
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        row: UnitRow = self.sourceModel().rows[source_row]
        if self.text and self.text not in row.unit_name:
            return False
        if self.kind == "errors":
            return row.facts.open_errors > 0
        if self.kind == "hints":
            return row.facts.open_hints > 0
        if self.kind is not None:
            return row.facts.grade_text == self.kind
        return True

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:  # noqa: N802
        rows = self.sourceModel().rows
        key = COLUMNS[left.column()].key
        a, b = sort_key(rows[left.row()], key), sort_key(rows[right.row()], key)
        if a is None or b is None:
            # blank last whichever way the column is sorted (Qt reverses lessThan for descending)
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            if a is None and b is None:
                return False
            return (a is None) if descending else (b is None)
        if isinstance(a, Decimal | int) and isinstance(b, Decimal | int):
            return a < b
        return str(a) < str(b)


class FooterModel(QAbstractTableModel):
    """合计 and 平均 under the table, column for column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.summary: Summary | None = None

    def set_summary(self, summary: Summary | None) -> None:
        self.beginResetModel()
        self.summary = summary
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.summary is None else 2

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return ("合计", "平均")[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.summary is None:
            return None
        c = COLUMNS[index.column()]
        figures = self.summary.totals if index.row() == 0 else self.summary.averages
        fig = figures.get(c.key)
        if role == Qt.ItemDataRole.DisplayRole:
            if c.key == "unit_name":
                n = self.summary.unit_count
                return f"共{n}个单位" if index.row() == 0 else "按填报了该项的单位平均"
            return figure_text(c.kind, fig).replace("\n", " ")
        if role == Qt.ItemDataRole.ToolTipRole and fig is not None and fig.partial:
            return f"只计填报了该项的 {fig.units} 个单位（共 {fig.of} 个）"
        if role == Qt.ItemDataRole.TextAlignmentRole and c.kind != "text":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# --- undo steps ----------------------------------------------------------------------------------


class _Step(_ServiceCommand):
    """A change stored through the services, as the report's own undo commands are; the first
    redo (from push) only refreshes the window."""

    def __init__(self, window: SummaryWindow, text: str) -> None:
        super().__init__(window, text)  # the window stands where a report's document would
        self.window = window


class SetExpectedUnits(_Step):
    def __init__(self, window: SummaryWindow, names: list[str]) -> None:
        super().__init__(window, "修改应报单位名单")
        self.after, self.before = names, []

    def _do(self) -> None:
        self.before = self.window.ws.set_expected_units(self.after)

    def _undo(self) -> None:
        self.window.ws.set_expected_units(self.before)


class SetSummaryField(_Step):
    """主管部门 or 汇总分析 of one year (``None`` analysis: back to the generated text)."""

    def __init__(self, window: SummaryWindow, year: int, field: str, value: str | None) -> None:
        label = {"analysis": "修改汇总分析", "supervisor": "修改主管部门"}[field]
        if field == "analysis" and value is None:
            label = "重新生成汇总分析"
        super().__init__(window, label)
        self.year, self.field, self.after = year, field, value
        self.before: Any = None

    def id(self) -> int:
        return ANALYSIS_ID if self.field == "analysis" and self.after is not None else -1

    def _do(self) -> None:
        previous = self.window.ws.update_summary_settings(self.year, **{self.field: self.after})
        self.before = previous[self.field]

    def _undo(self) -> None:
        self.window.ws.update_summary_settings(self.year, **{self.field: self.before})

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if not isinstance(other, SetSummaryField) or (other.year, other.field) != (
            self.year,
            self.field,
        ):
            return False
        if other.after is None:
            return False
        self.after = other.after
        return True


class AddNote(_Step):
    def __init__(self, window: SummaryWindow, year: int, finding: Any, text: str) -> None:
        super().__init__(window, "添加说明")
        self.year, self.rule, self.place, self.text = year, finding.rule, finding.place_id, text
        self.note_id: int | None = None

    def _do(self) -> None:
        self.note_id = self.window.ws.add_summary_note(
            self.year, self.rule, self.place, self.text, self.note_id
        )

    def _undo(self) -> None:
        assert self.note_id is not None
        self.window.ws.delete_summary_note(self.note_id)


class RemoveNote(_Step):
    def __init__(self, window: SummaryWindow, year: int, note: Any) -> None:
        super().__init__(window, "删除说明")
        self.year, self.note = year, note

    def _do(self) -> None:
        self.window.ws.delete_summary_note(self.note.id)

    def _undo(self) -> None:
        self.window.ws.add_summary_note(
            self.year, self.note.rule, self.note.place, self.note.text, self.note.id
        )


# --- dialogs -------------------------------------------------------------------------------------


class ExpectedUnitsDialog(QDialog):
    """应报单位: one unit a line (pasted from Excel works: one column of names)."""

    def __init__(self, parent: QWidget, names: list[str], reported: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("应报单位名单")
        self.resize(520, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "每行一个单位名称（可从 Excel 复制一列粘贴）。汇总时，名单中没有报告的单位列为"
                "“应报未报”，不在名单中的单位列为“不在应报名单”。名单对所有年度通用。"
            )
        )
        self.editor = QPlainTextEdit("\n".join(names))
        layout.addWidget(self.editor, 1)
        fill = QPushButton("用本年度已报单位填入")
        fill.setToolTip("把本年度已有报告的单位名称加到名单末尾（已在名单中的不重复）")
        fill.clicked.connect(lambda: self._add(reported))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(fill)
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)

    def _add(self, names: list[str]) -> None:
        present = set(self.names())
        extra = [n for n in names if n not in present]
        text = self.editor.toPlainText().rstrip("\n")
        self.editor.setPlainText("\n".join([text, *extra]) if text else "\n".join(extra))

    def names(self) -> list[str]:
        return [line.strip() for line in self.editor.toPlainText().splitlines() if line.strip()]


class GatherResultsDialog(QDialog):
    """What became of each file of a gathering (refused ones in red, with the reason)."""

    def __init__(self, parent: QWidget, results: list[Any], folder: Path) -> None:
        from perfdesk.summary.gather import Outcome, tally

        super().__init__(parent)
        self.setWindowTitle("汇集结果")
        self.resize(980, 560)
        layout = QVBoxLayout(self)
        self.tally = QLabel(f"{folder}\n{tally(results)}")
        layout.addWidget(self.tally)
        self.table = QTableWidget(len(results), 3, self)
        self.table.setHorizontalHeaderLabels(["文件", "结果", "说明"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for r, res in enumerate(results):
            cells = [str(res.path.relative_to(folder)), res.outcome.value, res.message]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if res.outcome == Outcome.REFUSED:
                    item.setForeground(QBrush(ERROR_COLOUR))
                elif res.outcome == Outcome.SKIPPED:
                    item.setForeground(QBrush(MUTED_COLOUR))
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


# --- the window ----------------------------------------------------------------------------------


class SummaryWindow(QMainWindow):
    """The 自评汇总 of the main window's database (it follows the database the main window has)."""

    open_report = Signal(int)  # a unit's report to show in the main window
    reports_added = Signal()  # a gathering stored new reports

    def __init__(self, main: Any) -> None:
        super().__init__(main, Qt.WindowType.Window)
        self.main = main
        self.setWindowTitle("自评汇总")
        self.setObjectName("summaryWindow")
        self.summary: Summary | None = None
        self.undo_stack = QUndoStack(self)
        self._ws_seen: Any = None
        self._refreshing = False

        self.year_combo = QComboBox()
        self.year_combo.setMinimumWidth(110)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.filter_text = QLineEdit()
        self.filter_text.setPlaceholderText("筛选单位名称")
        self.filter_text.setClearButtonEnabled(True)
        self.filter_kind = QComboBox()
        for label, _ in FILTERS:
            self.filter_kind.addItem(label)
        self.filter_text.textChanged.connect(self._filter)
        self.filter_kind.currentIndexChanged.connect(self._filter)

        self.model = SummaryModel(self)
        self.proxy = SummaryProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the 应报单位 order at first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(self._open_row)
        self.table.setToolTip("双击一行打开该单位的自评报告；点列标题排序")
        self.footer_model = FooterModel(self)
        self.footer = QTableView()
        self.footer.setModel(self.footer_model)
        self.footer.horizontalHeader().hide()
        self.footer.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.footer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().sectionResized.connect(
            lambda i, _old, new: self.footer.setColumnWidth(i, new)
        )
        self.table.horizontalScrollBar().valueChanged.connect(
            self.footer.horizontalScrollBar().setValue
        )
        self.table.verticalHeader().setMinimumWidth(44)
        self.footer.verticalHeader().setMinimumWidth(44)
        self.counts = QLabel("")

        table_page = QWidget()
        tl = QVBoxLayout(table_page)
        tl.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("筛选："))
        bar.addWidget(self.filter_text, 1)
        bar.addWidget(self.filter_kind)
        bar.addStretch(1)
        bar.addWidget(self.counts)
        tl.addLayout(bar)
        tl.addWidget(self.table, 1)
        tl.addWidget(self.footer)

        self.findings_list = QListWidget()
        self.findings_list.setWordWrap(True)
        self.findings_list.setAlternatingRowColors(True)
        self.findings_list.itemDoubleClicked.connect(self._show_finding)
        self.findings_list.currentItemChanged.connect(self._finding_buttons)
        self.findings_label = QLabel("")
        self.findings_label.setWordWrap(True)
        self.explain_button = QPushButton("添加说明…")
        self.explain_button.setToolTip("写一段说明接受这一项；说明随数据库保存，可撤销")
        self.explain_button.clicked.connect(self.explain_current)
        self.unexplain_button = QPushButton("删除说明")
        self.unexplain_button.clicked.connect(self.remove_current_note)
        findings_page = QWidget()
        fl = QVBoxLayout(findings_page)
        fl.addWidget(self.findings_label)
        fl.addWidget(self.findings_list, 1)
        fb = QHBoxLayout()
        fb.addWidget(self.explain_button)
        fb.addWidget(self.unexplain_button)
        fb.addStretch(1)
        fl.addLayout(fb)

        self.supervisor = QLineEdit()
        self.supervisor.setPlaceholderText("主管部门名称（留空则用多数单位报告中填写的主管部门）")
        self.supervisor.editingFinished.connect(self._supervisor_edited)
        self.analysis = QPlainTextEdit()
        self.analysis.textChanged.connect(self._analysis_typed)
        self.analysis_state = QLabel("")
        self.regenerate_button = QPushButton("重新生成")
        self.regenerate_button.setToolTip("放弃修改，改用程序根据当前数字生成的文字（可撤销）")
        self.regenerate_button.clicked.connect(self.regenerate_analysis)
        self._analysis_timer = QTimer(self)
        self._analysis_timer.setSingleShot(True)
        self._analysis_timer.setInterval(TEXT_IDLE_MS)
        self._analysis_timer.timeout.connect(self.commit_analysis)
        self._showing_analysis = False
        analysis_page = QWidget()
        al = QVBoxLayout(analysis_page)
        row = QHBoxLayout()
        row.addWidget(QLabel("主管部门："))
        row.addWidget(self.supervisor, 1)
        al.addLayout(row)
        al.addWidget(self.analysis, 1)
        row = QHBoxLayout()
        row.addWidget(self.analysis_state, 1)
        row.addWidget(self.regenerate_button)
        al.addLayout(row)

        self.tabs = QTabWidget()
        self.tabs.addTab(table_page, "汇总表")
        self.tabs.addTab(findings_page, "汇总审核")
        self.tabs.addTab(analysis_page, "汇总分析")
        self.empty = QLabel(
            "数据库中还没有部门整体支出绩效自评报告。\n"
            "点“汇集文件夹…”，选择存放各单位交换文件（.json）的文件夹，一次导入全部报告。"
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.tabs)
        cl.addWidget(self.empty)
        self.setCentralWidget(central)
        self._build_actions()
        self.resize(1280, 800)

    # --- set-up ---------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def act(text: str, slot: Any, tip: str = "", shortcut: Any = None) -> QAction:
            a = QAction(text, self)
            a.triggered.connect(slot)
            if tip:
                a.setStatusTip(tip)
                a.setToolTip(tip)
            if shortcut is not None:
                a.setShortcut(shortcut)
            return a

        self.act_gather = act(
            "汇集文件夹…", self.gather_dialog, "一次导入一个文件夹中各单位的交换文件（.json）"
        )
        self.act_units = act("应报单位…", self.edit_expected_units, "编辑应报单位名单")
        self.act_refresh = act("刷新", self.refresh, "重新读取各单位报告", QKeySequence("F5"))
        self.act_pdf = act("导出PDF…", self.export_pdf_dialog, "汇总分析报告及汇总表")
        self.act_xlsx = act("导出Excel…", self.export_xlsx_dialog, "汇总表、汇总分析、汇总审核")
        self.act_print = act("打印…", self.print_dialog, "打印汇总分析报告及汇总表")
        self.act_undo = self.undo_stack.createUndoAction(self, "撤销")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.undo_stack.createRedoAction(self, "重做")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        close = act("关闭", self.close, "", QKeySequence.StandardKey.Close)
        bar = self.menuBar()
        for title, actions in (
            (
                "汇总",
                [
                    self.act_gather,
                    self.act_units,
                    None,
                    self.act_pdf,
                    self.act_xlsx,
                    self.act_print,
                    None,
                    close,
                ],
            ),  # fmt: skip
            ("编辑", [self.act_undo, self.act_redo]),
            ("查看", [self.act_refresh]),
        ):
            menu = bar.addMenu(title)
            for a in actions:
                menu.addSeparator() if a is None else menu.addAction(a)
        tb = self.addToolBar("汇总")
        tb.setObjectName("summaryToolbar")
        tb.setMovable(False)
        tb.addWidget(QLabel(" 年度："))
        tb.addWidget(self.year_combo)
        tb.addSeparator()
        for a in (self.act_gather, self.act_units, None, self.act_pdf, self.act_xlsx,
                  self.act_print, None, self.act_refresh):  # fmt: skip
            tb.addSeparator() if a is None else tb.addAction(a)

    # --- the database ---------------------------------------------------------------------------

    @property
    def ws(self) -> Any:
        doc = getattr(self.main, "doc", None)
        return None if doc is None else doc.ws

    @property
    def year(self) -> int | None:
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def _fill_years(self) -> None:
        ws = self.ws
        years = ws.summary_years() if ws is not None else []
        current = self.year
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(f"{y}年度", y)
        if current in years:
            self.year_combo.setCurrentIndex(years.index(current))
        self.year_combo.blockSignals(False)

    def refresh(self, *, structure: bool = True) -> None:
        """Read the summary of the chosen year again (cheap: unchanged units come from the cache).
        ``structure`` is what an undo command passes a report's document; here it changes nothing."""
        ws = self.ws
        if ws is not self._ws_seen:  # another database was opened in the main window
            self._ws_seen = ws
            self.undo_stack.clear()
        self._fill_years()
        year = self.year
        has = ws is not None and year is not None
        self.tabs.setVisible(has)
        self.empty.setVisible(not has)
        writable = ws is not None and not ws.readonly
        for a in (self.act_gather, self.act_units):
            a.setEnabled(writable)
        for a in (self.act_pdf, self.act_xlsx, self.act_print):
            a.setEnabled(has)
        if not has:
            self.summary = None
            self.model.set_rows([])
            self.footer_model.set_summary(None)
            return
        progress = self._progress_dialog("正在计算各单位的汇总行…")
        self._refreshing = True
        try:
            self.summary = ws.summary(year, lambda done, total: self._step(progress, done, total))
        finally:
            progress.close()
            self._refreshing = False
        self._show(self.summary)

    def _show(self, summary: Summary) -> None:
        selected = self.selected_report_id()
        self.model.set_rows(summary.rows)
        self.footer_model.set_summary(summary)
        self.table.resizeColumnsToContents()
        metrics = self.footer.fontMetrics()
        for i in range(len(COLUMNS)):  # wide enough for the 合计/平均 under it too
            texts = [
                str(self.footer_model.data(self.footer_model.index(r, i)) or "") for r in (0, 1)
            ]
            under = max(metrics.horizontalAdvance(t) for t in texts) + 16
            wanted = max(self.table.columnWidth(i), under)
            self.table.setColumnWidth(i, max(wanted, 240) if i == 0 else wanted)
            self.footer.setColumnWidth(i, self.table.columnWidth(i))
        self.footer.setFixedHeight(self.footer.rowHeight(0) * 2 + 2 * self.footer.frameWidth() + 2)
        if selected is not None:
            self.select_report(selected)
        self._filter()
        self._show_findings(summary)
        self._show_analysis(summary)

    def _filter(self, *_: Any) -> None:
        self.proxy.set_filter(self.filter_text.text(), FILTERS[self.filter_kind.currentIndex()][1])
        if self.summary is not None:
            shown, total = self.proxy.rowCount(), self.summary.unit_count
            errors = len(self.summary.open_errors)
            head = f"显示 {shown} / {total} 个单位" if shown != total else f"共 {total} 个单位"
            self.counts.setText(f"{head}；汇总审核未处理错误 {errors} 项；金额单位：万元")

    # --- table ----------------------------------------------------------------------------------

    def selected_report_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.proxy.data(index, SummaryModel.REPORT_ID) if index.isValid() else None

    def select_report(self, report_id: int) -> bool:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if self.proxy.data(index, SummaryModel.REPORT_ID) == report_id:
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        return False

    def _open_row(self, index: QModelIndex) -> None:
        rid = self.proxy.data(index, SummaryModel.REPORT_ID)
        if rid is not None:
            self.open_report.emit(int(rid))

    # --- 汇总审核 ---------------------------------------------------------------------------------

    def _show_findings(self, summary: Summary) -> None:
        current = self.current_finding()
        keep = (current.rule, current.place_id) if current is not None else None
        self.findings_list.clear()
        for f in summary.findings:
            if f.resolved_by is None:
                text = f"【{f.severity.value}】{f.message}"
            else:
                text = f"【{f.severity.value}·已说明】{f.message}\n　说明：{f.resolved_by.text}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, f)
            if f.resolved_by is not None:
                item.setForeground(QBrush(MUTED_COLOUR))
            elif f.severity.value == "错误":
                item.setForeground(QBrush(ERROR_COLOUR))
            self.findings_list.addItem(item)
            if keep == (f.rule, f.place_id):
                self.findings_list.setCurrentItem(item)
        errors = len(summary.open_errors)
        hints = len(summary.open_findings) - errors
        if summary.findings:
            self.findings_label.setText(
                f"未处理：错误 {errors} 项，提示 {hints} 项。双击一项在汇总表中选中该单位；"
                "不需改正的可添加说明。"
            )
        else:
            self.findings_label.setText("汇总审核：没有发现问题。")
        self.tabs.setTabText(1, f"汇总审核（{errors}）" if errors else "汇总审核")
        self._finding_buttons()

    def current_finding(self) -> Any | None:
        item = self.findings_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _finding_buttons(self, *_: Any) -> None:
        f = self.current_finding()
        writable = self.ws is not None and not self.ws.readonly
        self.explain_button.setEnabled(writable and f is not None and f.resolved_by is None)
        self.unexplain_button.setEnabled(writable and f is not None and f.resolved_by is not None)

    def _show_finding(self, item: QListWidgetItem) -> None:
        f = item.data(Qt.ItemDataRole.UserRole)
        names = [f.place.key] if f.place.entity == "units" else f.place.key.split("｜")
        for row in self.model.rows:
            if row.unit_name in names:
                self.filter_text.clear()
                self.filter_kind.setCurrentIndex(0)
                self.tabs.setCurrentIndex(0)
                self.select_report(row.report_id)
                return
        if f.place.entity == "expected_units":
            self.edit_expected_units()

    def explain_current(self) -> None:
        f = self.current_finding()
        if f is None or self.year is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self, "添加说明", f"{f.message}\n\n请写明原因（随数据库保存，可撤销）：", ""
        )
        if ok and text.strip():
            self.add_note(f, text.strip())

    def add_note(self, finding: Any, text: str) -> bool:
        assert self.year is not None
        return self.run(AddNote(self, self.year, finding, text), "添加说明")

    def remove_current_note(self) -> None:
        f = self.current_finding()
        if f is not None and f.resolved_by is not None and self.year is not None:
            self.run(RemoveNote(self, self.year, f.resolved_by), "删除说明")

    # --- 汇总分析 ---------------------------------------------------------------------------------

    def _show_analysis(self, summary: Summary) -> None:
        if not self.supervisor.hasFocus():
            self.supervisor.setText(self.ws.summary_settings(summary.year).supervisor)
        if self._analysis_timer.isActive():
            return  # the clerk is typing: the text box is newer than the database
        self._showing_analysis = True
        if self.analysis.toPlainText() != summary.analysis:
            self.analysis.setPlainText(summary.analysis)
        self._showing_analysis = False
        edited = summary.analysis_edited is not None
        self.analysis_state.setText(
            "已修改（数字变化不会自动改写；可点“重新生成”）"
            if edited
            else "程序根据当前数字生成；直接修改即保存为本年度的汇总分析"
        )
        self.regenerate_button.setEnabled(edited and not self.ws.readonly)
        self.analysis.setReadOnly(self.ws.readonly)

    def _analysis_typed(self) -> None:
        if not self._showing_analysis:
            self._analysis_timer.start()

    def commit_analysis(self) -> None:
        """Store the 汇总分析 as typed (a pause in typing, leaving the window or printing)."""
        self._analysis_timer.stop()
        if self.summary is None or self.year is None or self.ws is None:
            return
        text = self.analysis.toPlainText()
        if text == self.summary.analysis:
            return
        self.run(SetSummaryField(self, self.year, "analysis", text), "汇总分析")

    def regenerate_analysis(self) -> None:
        if self.year is not None:
            self._analysis_timer.stop()
            self.run(SetSummaryField(self, self.year, "analysis", None), "重新生成")

    def _supervisor_edited(self) -> None:
        if self.year is None or self.ws is None:
            return
        text = self.supervisor.text().strip()
        if text != self.ws.summary_settings(self.year).supervisor:
            self.run(SetSummaryField(self, self.year, "supervisor", text), "主管部门")

    # --- actions --------------------------------------------------------------------------------

    def run(self, step: _Step, title: str) -> bool:
        """Store a change and put it on this window's undo stack (a refusal is a message)."""
        try:
            step.apply()
        except (InputError, OSError) as exc:
            QMessageBox.warning(self, title, str(exc))
            return False
        except Exception as exc:  # noqa: BLE001 - storage errors are Chinese sentences too
            QMessageBox.warning(self, title, f"未能保存：{exc}")
            return False
        self.undo_stack.push(step)
        return True

    def edit_expected_units(self) -> None:
        if self.ws is None:
            return
        reported = [r.unit_name for r in self.model.rows]
        dialog = ExpectedUnitsDialog(self, self.ws.expected_units(), reported)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_expected_units(dialog.names())

    def set_expected_units(self, names: list[str]) -> bool:
        return self.run(SetExpectedUnits(self, names), "应报单位")

    def gather_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择存放各单位交换文件的文件夹")
        if folder:
            self.gather(Path(folder))

    def gather(self, folder: Path) -> list[Any] | None:
        """汇集: import the folder with a progress bar, then show each file's result."""
        from perfdesk.summary.gather import gather_folder, prepare_summaries

        if self.ws is None:
            return None
        progress = self._progress_dialog("正在汇集各单位的交换文件…", cancel=True)
        try:
            results = gather_folder(
                self.ws,
                folder,
                lambda done, total, path: self._step(progress, done, total, path.name),
            )
            progress.setLabelText("正在计算各单位的汇总行…")
            prepare_summaries(self.ws, results, lambda d, t: self._step(progress, d, t))
        except (InputError, OSError) as exc:
            QMessageBox.warning(self, "汇集文件夹", str(exc))
            return None
        finally:
            progress.close()
        if any(r.report_id is not None for r in results):
            self.reports_added.emit()
        self.refresh()
        imported_years = [r.year for r in results if r.year is not None]
        if imported_years and self.year not in imported_years:
            i = self.year_combo.findData(max(imported_years))
            if i >= 0:
                self.year_combo.setCurrentIndex(i)
        self.results_dialog = GatherResultsDialog(self, results, folder)
        self.results_dialog.show()
        return results

    def _progress_dialog(self, text: str, *, cancel: bool = False) -> QProgressDialog:
        dialog = QProgressDialog(text, "取消" if cancel else "", 0, 0, self)
        if not cancel:
            dialog.setCancelButton(None)
        dialog.setWindowTitle("自评汇总")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        return dialog

    @staticmethod
    def _step(dialog: QProgressDialog, done: int, total: int, name: str = "") -> bool:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)  # also lets the window repaint (the dialog processes events)
        if name:
            dialog.setLabelText(f"正在汇集：{name}（{done + 1}/{total}）")
        return not dialog.wasCanceled()

    def _confirm(self, what: str) -> bool:
        if self.summary is None:
            return False
        self.commit_analysis()
        errors = self.summary.open_errors
        if not errors:
            return True
        answer = QMessageBox.question(
            self,
            what,
            f"汇总审核有 {len(errors)} 项错误尚未处理（见“汇总审核”）。仍要{what}吗？",
        )
        return answer == QMessageBox.StandardButton.Yes

    def export_pdf_dialog(self) -> None:
        if self.summary is None or not self._confirm("导出PDF"):
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "导出PDF", f"{self.summary.title}.pdf", "PDF 文件 (*.pdf)"
        )
        if path:
            self.export_pdf(Path(path))

    def export_pdf(self, path: Path) -> bool:
        from perfdesk.report.summary import write_summary_pdf

        assert self.summary is not None
        try:
            write_summary_pdf(self.summary, path)
        except (InputError, OSError) as exc:
            QMessageBox.warning(self, "导出PDF", str(exc))
            return False
        self.statusBar().showMessage(f"已导出PDF：{path}", 10000)
        return True

    def export_xlsx_dialog(self) -> None:
        if self.summary is None or not self._confirm("导出Excel"):
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "导出Excel", f"{self.summary.title}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.export_xlsx(Path(path))

    def export_xlsx(self, path: Path) -> bool:
        from perfdesk.summary.xlsx import write_summary_xlsx

        assert self.summary is not None
        try:
            write_summary_xlsx(self.summary, path)
        except (InputError, OSError) as exc:
            QMessageBox.warning(self, "导出Excel", str(exc))
            return False
        self.statusBar().showMessage(f"已导出Excel：{path}", 10000)
        return True

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.summary is None or not self._confirm("打印"):
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印汇总")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            pages = self.print_to(printer)
            if pages:
                self.statusBar().showMessage(f"已发送 {pages} 页到打印机（100% 比例）", 10000)

    def print_to(self, printer: Any) -> int:
        import io

        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtPdf import QPdfDocument

        from perfdesk.report.summary import build_summary_pdf

        assert self.summary is not None
        out = io.BytesIO()
        build_summary_pdf(self.summary, out)
        pdf = QPdfDocument(self)
        buffer = QBuffer(self)
        buffer.setData(QByteArray(out.getvalue()))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        pdf.load(buffer)
        try:
            return print_turning_pages(pdf, printer)
        except RuntimeError as exc:
            QMessageBox.warning(self, "打印", str(exc))
            return 0

    # --- window events --------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # Coming back from the main window (a unit's report edited there): show current figures.
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isActiveWindow()
            and self.isVisible()
            and not self._refreshing
            and QApplication.activeModalWidget() is None
        ):
            self.refresh()
        super().changeEvent(event)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.commit_analysis()
        self.supervisor.clearFocus()
        super().closeEvent(event)


def print_turning_pages(pdf_document: Any, printer: Any) -> int:
    """Print every page at 100 %, a landscape page turned a quarter onto portrait paper (its top
    to the left, as GB/T 9704 lays landscape tables), and a portrait page as it is."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter

    printer.setFullPage(True)
    device_dpi = printer.resolution()
    dpi = min(device_dpi, 300)
    paper = printer.pageLayout().fullRectPoints()
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("无法开始打印：打印机不可用")
    try:
        count = pdf_document.pageCount()
        for page in range(count):
            if page:
                printer.newPage()
            size = pdf_document.pagePointSize(page)
            image = pdf_document.render(
                page, QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi))
            )
            w, h = size.width() / 72 * device_dpi, size.height() / 72 * device_dpi
            turn = (size.width() > size.height()) != (paper.width() > paper.height())
            painter.save()
            if turn:
                painter.translate(0, paper.height() / 72 * device_dpi)
                painter.rotate(-90)
            painter.drawImage(QRectF(0, 0, w, h), image)
            painter.restore()
        return count
    finally:
        painter.end()

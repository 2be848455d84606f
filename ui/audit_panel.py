"""审核 panel: the audit's findings as a list, kept current while the clerk types.

The rules live in ``perfdesk.domain.audit`` (``audit(report, previous) -> list[Finding]``). The
window runs it once typing pauses (``AUDIT_DELAY_MS`` after the last edit, so an edit never waits
for it); on the sample report a run takes 1–3 ms, the texts' readings being remembered (only a
changed text is read again). Last year's report, which one rule compares with, is read once per
opened report and cached.
Double-click (or 定位) asks the window to show a finding's place; 添加说明 asks the window to store
a 说明 (a ``Note``) that accepts the finding, after which it is listed as 已说明.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

AUDIT_MISSING = "审核功能暂不可用：本版本尚未包含审核规则（perfdesk.domain.audit）。"
CELL_RULES = (
    "range.score_above_weight",
    "range.negative",
    "range.qualitative_band",
    "complete.deviation_reason",
)
"""Rules about one cell alone (a score above its 分值, a negative amount, a missing 偏差原因):
their findings colour that cell as soon as the audit finds them, not only the 审核 list."""
ERROR_COLOUR = QColor("#a00000")
RESOLVED_COLOUR = QColor("#707070")


def audit_function() -> Any | None:
    try:
        from perfdesk.domain import audit as audit_module
    except ImportError:
        return None
    return getattr(audit_module, "audit", None)


def severity_text(finding: Any) -> str:
    severity = getattr(finding, "severity", "")
    return str(getattr(severity, "value", severity))


def is_error(finding: Any) -> bool:
    return severity_text(finding) == "错误"


def is_open(finding: Any) -> bool:
    return getattr(finding, "resolved_by", None) is None


def finding_key(finding: Any) -> tuple[str, str]:
    """What identifies a finding across runs (its rule and place), to keep the selection."""
    return (finding.rule, finding.place_id)


def previous_report(ws: Any, report: Any) -> Any | None:
    """Last year's report of the same unit (and kind), if the database has it (some rules compare)."""
    return ws.previous_report(report)


def row_of_place(doc: Any, report: Any, place: Any) -> tuple[str, int | None] | None:
    """The (entity, row id) a finding's place names in the window's tables and fields."""
    entity, row = place.entity, place.row
    project = None
    if place.project is not None and 0 <= place.project < len(report.projects):
        project = report.projects[place.project]

    def nth(items: list[Any], i: int | None) -> int | None:
        return items[i].id if i is not None and 0 <= i < len(items) else None

    if entity == "report":
        return "report", report.id
    if entity == "projects":
        return ("project", project.id) if project is not None else None
    if entity == "indicators":
        return "indicator", nth(report.indicators, row)
    if entity == "groups":
        return "indicator_group", nth(report.groups, row)
    if entity == "project_indicators" and project is not None:
        return "indicator", nth(project.indicators, row)
    if entity == "project_groups" and project is not None:
        return "indicator_group", nth(project.groups, row)
    if entity == "budget_lines":
        return "budget_line", doc.fixed_id("budget_line", place.key)
    if entity == "control_lines":
        return "control_line", doc.fixed_id("control_line", place.key)
    if entity == "special_funds":
        return "special_fund", doc.fixed_id("special_fund", place.key)
    if entity == "buildings":
        return "building", nth(report.buildings, row)
    if entity == "posts":
        return "staff_post", nth(report.posts, row)
    if entity == "project_sources" and project is not None:
        line = place.key.rsplit("/", 1)[-1]
        return "project_source", doc.fixed_id("project_source", line, project.id)
    return None


def cell_marks(
    doc: Any, report: Any, findings: list[Any]
) -> dict[tuple[str, int | None, str], tuple[bool, str]]:
    """(entity, row id, field) → (is an error, message) for the open one-cell findings."""
    marks: dict[tuple[str, int | None, str], tuple[bool, str]] = {}
    for f in findings:
        if f.rule not in CELL_RULES or not is_open(f) or not getattr(f.place, "field", None):
            continue
        row = row_of_place(doc, report, f.place)
        if row is None or row[1] is None:
            continue
        key = (row[0], row[1], f.place.field)
        if key in marks and marks[key][0]:
            continue  # an error wins over a hint on the same cell
        marks[key] = (is_error(f), f.message)
    return marks


class AuditDock(QDockWidget):
    """Findings of the newest audit run; ``jump`` and ``explain`` ask the window to act."""

    jump = Signal(object)  # the Finding to show
    explain = Signal(object)  # the Finding to accept with a 说明
    counted = Signal(int, int)  # open errors, open hints

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("审核结果", parent)
        self.setObjectName("auditDock")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(2)
        # one line of summary and buttons above the list: the panel spends its height on findings
        top = QHBoxLayout()
        self.summary = QLabel("尚未审核。点“审核”检查报告中的数据是否相互一致。")
        self.summary.setWordWrap(True)
        top.addWidget(self.summary, 1)
        self.goto_button = QPushButton("定位", body)
        self.goto_button.setToolTip("跳到这一项所在的表格单元格或文字（也可双击该项）")
        self.goto_button.clicked.connect(lambda: self._activated(self.list.currentItem()))
        self.explain_button = QPushButton("添加说明…", body)
        self.explain_button.setToolTip(
            "写一段说明接受这一项（如超预算执行的原因）；说明随报告保存，可撤销"
        )
        self.explain_button.clicked.connect(self._explain)
        top.addWidget(self.goto_button)
        top.addWidget(self.explain_button)
        layout.addLayout(top)
        self.list = QListWidget(body)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(1)
        self.list.itemDoubleClicked.connect(self._activated)
        self.list.currentItemChanged.connect(self._update_buttons)
        layout.addWidget(self.list, 1)
        self.setWidget(body)
        self.findings: list[Any] = []
        self._previous: dict[int | None, Any] = {}  # report id -> last year's report (cached)
        self._update_buttons()

    def forget_previous(self) -> None:
        """Drop the cached last-year report (another report or database was opened)."""
        self._previous.clear()

    def run(self, ws: Any, report: Any) -> list[Any] | None:
        """Audit ``report`` and list the findings, keeping the selected one selected."""
        fn = audit_function()
        if fn is None:
            self.summary.setText(AUDIT_MISSING)
            self.findings = []
            self.list.clear()
            return None
        if report.id not in self._previous:
            self._previous[report.id] = previous_report(ws, report)
        self.findings = list(fn(report, self._previous[report.id]))
        current = self.list.currentItem()
        keep = finding_key(current.data(Qt.ItemDataRole.UserRole)) if current is not None else None
        self.list.blockSignals(True)
        self.list.clear()
        for f in self.findings:
            item = QListWidgetItem(self.item_text(f))
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setToolTip(f.message if is_open(f) else f"{f.message}\n说明：{f.resolved_by.text}")
            if not is_open(f):
                item.setForeground(QBrush(RESOLVED_COLOUR))
            elif is_error(f):
                item.setForeground(QBrush(ERROR_COLOUR))
            self.list.addItem(item)
            if keep is not None and finding_key(f) == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        errors = sum(1 for f in self.findings if is_error(f) and is_open(f))
        hints = sum(1 for f in self.findings if not is_error(f) and is_open(f))
        explained = sum(1 for f in self.findings if not is_open(f))
        if not self.findings:
            self.summary.setText("审核通过：没有发现问题。")
        else:
            done = f"，已说明 {explained} 项" if explained else ""
            self.summary.setText(
                f"未处理：错误 {errors} 项，提示 {hints} 项{done}。"
                "双击一项跳到相应位置；改正数据或添加说明后自动更新。"
            )
        self._update_buttons()
        self.counted.emit(errors, hints)
        return self.findings

    @staticmethod
    def item_text(f: Any) -> str:
        if is_open(f):
            return f"【{severity_text(f)}】{f.message}"
        return f"【{severity_text(f)}·已说明】{f.message}\n　说明：{f.resolved_by.text}"

    def open_errors(self) -> list[Any]:
        return [f for f in self.findings if is_error(f) and is_open(f)]

    def open_findings(self) -> list[Any]:
        return [f for f in self.findings if is_open(f)]

    def current_finding(self) -> Any | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self, finding: Any) -> bool:
        """Make ``finding`` (matched by rule and place) the current item."""
        for i in range(self.list.count()):
            if finding_key(self.list.item(i).data(Qt.ItemDataRole.UserRole)) == finding_key(
                finding
            ):
                self.list.setCurrentRow(i)
                return True
        return False

    def _update_buttons(self, *_: Any) -> None:
        f = self.current_finding()
        self.goto_button.setEnabled(f is not None)
        self.explain_button.setEnabled(f is not None and is_open(f))

    def _activated(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.jump.emit(item.data(Qt.ItemDataRole.UserRole))

    def _explain(self) -> None:
        f = self.current_finding()
        if f is not None and is_open(f):
            self.explain.emit(f)

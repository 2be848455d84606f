"""审核 panel: the audit's findings as a list; double-click jumps to the place.

The audit rules live in ``perfdesk.domain.audit`` (``audit(report, previous=None) -> list[Finding]``).
Until an installation has that module, the panel says so and everything else works.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

AUDIT_MISSING = "审核功能暂不可用：本版本尚未包含审核规则（perfdesk.domain.audit）。"


def audit_function() -> Any | None:
    try:
        from perfdesk.domain import audit as audit_module  # type: ignore[attr-defined]
    except ImportError:
        return None
    return getattr(audit_module, "audit", None)


def is_error(finding: Any) -> bool:
    return str(getattr(finding, "severity", "")).endswith("错误") or str(
        getattr(getattr(finding, "severity", None), "value", "")) == "错误"


def is_open(finding: Any) -> bool:
    return not getattr(finding, "resolved_by", None)


def previous_report(ws: Any, report: Any) -> Any | None:
    """Last year's report of the same unit, if the database has it (some rules compare)."""
    for summary in ws.list_reports():
        if summary.unit_name == report.unit_name and summary.year == report.year - 1:
            return ws.load(summary.id)
    return None


class AuditDock(QDockWidget):
    """Findings of the last 审核 run; ``jump`` asks the window to show a finding's place."""

    jump = Signal(object)  # the Finding
    counted = Signal(int, int)  # open errors, open hints

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("审核结果", parent)
        self.setObjectName("auditDock")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("尚未审核。点“审核”检查报告中的数据是否相互一致。")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.list = QListWidget(body)
        self.list.setWordWrap(True)
        self.list.itemDoubleClicked.connect(self._activated)
        layout.addWidget(self.list, 1)
        self.setWidget(body)
        self.findings: list[Any] = []

    def run(self, ws: Any, report: Any) -> list[Any] | None:
        fn = audit_function()
        if fn is None:
            self.summary.setText(AUDIT_MISSING)
            self.findings = []
            self.list.clear()
            return None
        self.findings = list(fn(report, previous_report(ws, report)))
        self.list.clear()
        for f in self.findings:
            severity = getattr(getattr(f, "severity", ""), "value", getattr(f, "severity", ""))
            state = "（已说明）" if not is_open(f) else ""
            item = QListWidgetItem(f"【{severity}】{getattr(f, 'message', f)}{state}")
            item.setData(Qt.ItemDataRole.UserRole, f)
            if is_error(f) and is_open(f):
                item.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(item)
        errors = sum(1 for f in self.findings if is_error(f) and is_open(f))
        hints = sum(1 for f in self.findings if not is_error(f) and is_open(f))
        self.summary.setText(f"错误 {errors} 项，提示 {hints} 项。双击一项可跳到相应位置。"
                             if self.findings else "审核通过：没有发现问题。")
        self.counted.emit(errors, hints)
        return self.findings

    def open_errors(self) -> list[Any]:
        return [f for f in self.findings if is_error(f) and is_open(f)]

    def _activated(self, item: QListWidgetItem) -> None:
        self.jump.emit(item.data(Qt.ItemDataRole.UserRole))

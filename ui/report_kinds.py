"""The window for each kind of report: which editor tabs it shows, and which tab a finding opens.

A department report (部门（单位）整体支出绩效自评报告) has 机构与人员, 收支情况, 项目, 绩效指标评分,
报告正文 and 打印预览. A project report (项目支出绩效自评报告) has only what it prints:
项目与封面, 项目支出绩效自评表, 报告正文 and 打印预览 (:mod:`perfdesk_ui.tabs.project_form`) — no
staffing, no 三公, no department funds. The main window asks :func:`tabs_for` when a report of
another kind is opened and builds that set of tabs.
"""

from __future__ import annotations

from typing import Any

from perfdesk_ui.tabs.base import EditorTab
from perfdesk_ui.tabs.funds import FundsTab
from perfdesk_ui.tabs.organisation import OrganisationTab
from perfdesk_ui.tabs.preview import PreviewTab
from perfdesk_ui.tabs.project_form import INFO_FIELDS, ProjectFormTab, ProjectInfoTab
from perfdesk_ui.tabs.projects import ProjectsTab
from perfdesk_ui.tabs.scores import ScoresTab
from perfdesk_ui.tabs.sections import SectionsTab

from perfdesk.domain.model import ReportKind

TABS: dict[ReportKind, tuple[type[EditorTab], ...]] = {
    ReportKind.DEPARTMENT: (
        OrganisationTab,
        FundsTab,
        ProjectsTab,
        ScoresTab,
        SectionsTab,
        PreviewTab,
    ),
    ReportKind.PROJECT: (ProjectInfoTab, ProjectFormTab, SectionsTab, PreviewTab),
}
"""The editor tabs of each kind, in order (the preview last: the window relies on it)."""

FIRST_TAB_HINT = {
    ReportKind.DEPARTMENT: "从“机构与人员”开始填写",
    ReportKind.PROJECT: "从“项目与封面”开始填写",
}


def kind_of(report: Any) -> ReportKind:
    """The kind of ``report`` (a department report's tabs when none is open)."""
    return ReportKind(getattr(report, "kind", ReportKind.DEPARTMENT) or ReportKind.DEPARTMENT)


def tabs_for(kind: ReportKind) -> tuple[type[EditorTab], ...]:
    return TABS[kind]


def place_tab(kind: ReportKind, place: Any) -> type[EditorTab] | None:
    """The tab of a project report that shows ``place``; ``None`` for a department report (the
    main window's own table answers there)."""
    if kind != ReportKind.PROJECT or place is None:
        return None
    if place.tab == "text":
        return SectionsTab
    if place.tab == "staffing" or (
        place.entity in ("report", "projects") and place.field in INFO_FIELDS
    ):
        return ProjectInfoTab
    return ProjectFormTab

"""Report templates: the outline, the indicator tree and the weights, as shipped data.

Provinces differ in weights and 二级 categories, so these are JSON files under
``resources/templates/`` rather than code. :func:`new_report` lays a template out as an empty
report a clerk can start typing into.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from perfdesk.domain.model import (
    BUDGET_LINE_KEYS,
    CONTROL_LINE_KEYS,
    PROJECT_SOURCE_KEYS,
    STANDARD_PROJECT_CATEGORIES,
    BudgetLine,
    ControlLine,
    Indicator,
    IndicatorGroup,
    Project,
    Report,
    ReportKind,
    Section,
    SectionKind,
    SpecialFund,
    SpecialFundKind,
    StaffPost,
)
from perfdesk.resources import load_json

DEFAULT_TEMPLATE = "hunan_department"
PROJECT_TEMPLATE = "national_project"


@dataclass(frozen=True)
class Template:
    """A parsed template file."""

    key: str
    name: str
    raw: dict[str, Any]

    @property
    def execution_weight(self) -> Decimal:
        return Decimal(self.raw.get("execution_weight", "10"))

    def groups(self) -> list[IndicatorGroup]:
        return [IndicatorGroup(g["name"], Decimal(g["weight"])) for g in self.raw["groups"]]

    def skeleton_indicators(self) -> list[Indicator]:
        """One empty row per 二级 category, so the table shows the whole tree from the start."""
        return [
            Indicator(level1=g["name"], level2=level2)
            for g in self.raw["groups"]
            for level2 in g["level2"]
        ]

    def outline(self) -> list[Section]:
        return [
            Section(
                key=s["key"],
                heading=s["heading"],
                level=int(s.get("level", 1)),
                kind=SectionKind(s.get("kind", "text")),
                list_key=s.get("list_key", ""),
            )
            for s in self.raw.get("outline", [])
        ]


def load_template(key: str) -> Template:
    """The shipped template ``key`` (``hunan_department``, ``national_project``)."""
    try:
        raw = load_json("templates", f"{key}.json")
    except FileNotFoundError as exc:
        raise KeyError(f"没有名为“{key}”的模板") from exc
    return Template(key=raw["key"], name=raw["name"], raw=raw)


def new_project(name: str, template_key: str = "national_project") -> Project:
    """An empty project laid out on the project template (附件3)."""
    template = load_template(template_key)
    return Project(
        name=name,
        execution_weight=template.execution_weight,
        sources=[BudgetLine(key) for key in PROJECT_SOURCE_KEYS],
        groups=template.groups(),
        indicators=template.skeleton_indicators(),
    )


def new_report(unit_name: str, year: int, template_key: str = DEFAULT_TEMPLATE) -> Report:
    """An empty report for ``unit_name`` and ``year`` laid out on a department template."""
    template = load_template(template_key)
    return Report(
        unit_name=unit_name,
        year=year,
        unit_level=template.raw.get("unit_level", ""),
        template=template.key,
        posts=[StaffPost("行政编制"), StaffPost("事业编制")],
        lists={},
        budget_lines=[BudgetLine(key) for key in BUDGET_LINE_KEYS],
        control_lines=[ControlLine(key) for key in CONTROL_LINE_KEYS],
        special_funds=[SpecialFund(kind) for kind in SpecialFundKind],
        execution_weight=template.execution_weight,
        groups=template.groups(),
        indicators=template.skeleton_indicators(),
        sections=template.outline(),
    )


def new_project_report(
    unit_name: str, year: int, project_name: str, template_key: str = PROJECT_TEMPLATE
) -> Report:
    """An empty 项目支出绩效自评报告: one project's form (附件) and the narrative outline."""
    template = load_template(template_key)
    return Report(
        unit_name=unit_name,
        year=year,
        kind=ReportKind.PROJECT,
        template=template.key,
        projects=[new_project(project_name, template_key)],
        sections=template.outline(),
    )


def project_category_suggestions(unit_level: str) -> list[str]:
    """What the 项目 category cell offers: 业务工作经费, 运行维护经费, {级次}专项资金 (free text too)."""
    levels = [unit_level] if unit_level else []
    levels += [lv for lv in ("中央", "省级", "市级", "县级", "区级", "乡镇") if lv != unit_level]
    return [*STANDARD_PROJECT_CATEGORIES, *(f"{lv}专项资金" for lv in levels)]

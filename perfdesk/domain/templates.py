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
    BudgetLine,
    ControlLine,
    Indicator,
    IndicatorGroup,
    Project,
    Report,
    Section,
    SectionKind,
    SpecialFund,
    SpecialFundKind,
    StaffPost,
)
from perfdesk.resources import load_json

DEFAULT_TEMPLATE = "hunan_department"


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

"""What every 审核 rule shares: findings and places, the rule registry, one audit run, helpers.

The rules themselves live beside this module, one module per kind (sums, formulas, ranges,
completeness, years, text); each registers its rules with :func:`_rule` when imported. The
package's ``__init__`` imports them in the order the audit runs them and the README lists them.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from perfdesk.domain.model import (
    LIST_KEYS,
    Indicator,
    IndicatorGroup,
    Note,
    Project,
    Report,
    ReportKind,
    Section,
    SpecialFundKind,
)
from perfdesk.domain.numbers import format_amount
from perfdesk.domain.textcheck import Reading, TextContext, TextReader, arithmetic

# --- findings ------------------------------------------------------------------------------------


class Severity(enum.StrEnum):
    """错误 must be fixed or explained before printing; 提示 may be accepted with a 说明."""

    ERROR = "错误"
    HINT = "提示"


TABS = ("staffing", "funds", "projects", "indicators", "text")
"""The editor tabs a :class:`Place` can point into."""


@dataclass(frozen=True)
class Place:
    """Where a finding is, for the UI to jump to.

    ``entity`` is the kind of row (``budget_lines``, ``control_lines``, ``projects``,
    ``indicators``, ``groups``, ``project_indicators``, ``project_groups``, ``project_sources``,
    ``sections``, ``lists``, ``special_funds``, ``buildings``, ``posts``, ``report``); ``key`` names
    the row (a line key, a section key, a project's name, an indicator's ``一级/二级/三级``, a report
    field); ``row`` is its index in its list; ``field`` the cell. ``project`` is the index of the
    project a project-level place belongs to.
    """

    tab: str
    entity: str
    key: str
    row: int | None = None
    field: str | None = None
    project: int | None = None


@dataclass(frozen=True)
class Finding:
    """One thing the audit found."""

    rule: str
    severity: Severity
    place: Place
    message: str
    detail: str = ""  # what tells this finding apart from others of its rule at the same place
    # the clerk's 说明 (a mutable Note): compared, but left out of the hash so findings stay hashable
    resolved_by: Note | None = dataclasses.field(default=None, hash=False)

    @property
    def place_id(self) -> str:
        """A stable string for the place (``budget_lines/total/executed``), kept in ``Note.place``."""
        parts = [self.place.entity, self.place.key]
        if self.place.field:
            parts.append(self.place.field)
        text = "/".join(parts)
        return f"{text}#{self.detail}" if self.detail else text

    @property
    def resolved(self) -> bool:
        return self.resolved_by is not None


BOTH_KINDS = frozenset(ReportKind)
DEPARTMENT_ONLY = frozenset({ReportKind.DEPARTMENT})
"""Rules about what only a department report has (附件1, 附件2's income and expense lines, sections
三–五, staffing, 三公, buildings) are not run on a 项目支出绩效自评报告."""


@dataclass(frozen=True)
class Rule:
    """A named check: its id, how serious its findings are, and what it checks (for the README)."""

    id: str
    severity: Severity
    title: str
    description: str
    check: Callable[[_Audit], Iterable[tuple[Place, str, str]]]
    kinds: frozenset[ReportKind] = BOTH_KINDS  # the kinds of report it applies to


RULES: list[Rule] = []
"""Every rule, in the order the audit runs them and the README lists them."""


def _rule(  # noqa: ANN202
    rule_id: str,
    severity: Severity,
    title: str,
    description: str,
    *,
    kinds: frozenset[ReportKind] = BOTH_KINDS,
):
    def register(check: Callable[[_Audit], Iterable[tuple[Place, str, str]]]):  # noqa: ANN202
        RULES.append(Rule(rule_id, severity, title, description, check, kinds))
        return check

    return register


def rule(rule_id: str) -> Rule:
    """The rule ``rule_id``."""
    for r in RULES:
        if r.id == rule_id:
            return r
    raise KeyError(rule_id)


# --- the audit -----------------------------------------------------------------------------------


class _Audit:
    """One run: the report, last year's, and what several rules share (the text reading)."""

    def __init__(self, report: Report, previous: Report | None) -> None:
        self.report = report
        self.previous = previous

    @cached_property
    def texts(self) -> list[tuple[Place, str, str, TextContext]]:
        """Every free text of the report (:func:`_texts`), listed once for the rules that read."""
        return list(_texts(self.report))

    @cached_property
    def text_mismatches(self) -> list[tuple[Place, str, Reading]]:
        reader = TextReader(self.report)
        out: list[tuple[Place, str, Reading]] = []
        for place, where, text, ctx in self.texts:
            if text.strip():
                out.extend((place, where, m) for m in reader.check(text, ctx))
        return out

    @cached_property
    def parts_sums(self) -> list[tuple[Place, str, arithmetic.PartsSum]]:
        """The 其中 lists of every text whose parts disagree with the whole before them."""
        return [
            (place, where, m)
            for place, where, text, _ctx in self.texts
            for m in arithmetic.check_parts_sums(text)
        ]

    @cached_property
    def change_rates(self) -> list[tuple[Place, str, arithmetic.ChangeRate]]:
        """Amount–change–rate triples of every text whose rate the amounts do not give."""
        return [
            (place, where, m)
            for place, where, text, _ctx in self.texts
            for m in arithmetic.check_change_rates(text)
        ]


# --- helpers -------------------------------------------------------------------------------------

BUDGET_COLUMNS = {
    "initial_budget": "年初预算数",
    "full_year_budget": "全年预算数",
    "executed": "全年执行数",
}

PROJECT_FIELDS = {
    "prior_final": "上年决算数",
    "initial_budget": "年初预算数",
    "full_year_budget": "全年预算数",
    "executed": "全年执行数",
    "carryover": "结余结转",
}


def _amt(value: Decimal) -> str:
    return f"{format_amount(value)} 万元"


def _differ(a: Decimal, b: Decimal) -> str:
    return f"（相差 {_amt(abs(a - b))}）"


def _budget_place(report: Report, key: str, column: str | None) -> Place:
    rows = [i for i, line in enumerate(report.budget_lines) if line.key == key]
    return Place("funds", "budget_lines", key, rows[0] if rows else None, column)


def _control_place(report: Report, key: str, column: str | None) -> Place:
    rows = [i for i, line in enumerate(report.control_lines) if line.key == key]
    return Place("funds", "control_lines", key, rows[0] if rows else None, column)


def _project_place(project: Project, index: int, field: str | None) -> Place:
    return Place("projects", "projects", project.name, index, field, index)


def _indicator_label(ind: Indicator) -> str:
    return "/".join([ind.level1, ind.level2, ind.name])


def _indicator_name(ind: Indicator) -> str:
    return f"“{ind.name or ind.level2 or ind.level1}”"


def _scoring_scopes(
    report: Report,
) -> Iterator[tuple[str, list[IndicatorGroup], list[Indicator], Project | None, int | None]]:
    """The report's own self-evaluation and each project's: (who, groups, indicators, project, index).

    A project report has no 部门整体支出绩效自评表: only its project's form is scored."""
    if report.kind == ReportKind.DEPARTMENT:
        yield "部门整体支出绩效自评表", report.groups, report.indicators, None, None
    for i, p in enumerate(report.projects):
        yield f"项目“{p.name}”的自评表", p.groups, p.indicators, p, i


def _indicator_place(
    ind: Indicator, row: int, project: Project | None, index: int | None, field: str
) -> Place:
    if project is None:
        return Place("indicators", "indicators", _indicator_label(ind), row, field)
    return Place(
        "projects",
        "project_indicators",
        f"{project.name}/{_indicator_label(ind)}",
        row,
        field,
        index,
    )


def section_label(report: Report, section: Section) -> str:
    """``二（二）项目支出情况``: a section as the printed outline numbers it."""
    numerals = "一二三四五六七八九十"

    def cn(n: int) -> str:
        if n <= 10:
            return numerals[n - 1]
        if n < 20:
            return "十" + (numerals[n - 11] if n > 10 else "")
        return str(n)

    top = sub = 0
    top_label = ""
    for s in report.sections:
        if s.level <= 1:
            top, sub = top + 1, 0
            top_label = f"{cn(top)}、"
            if s is section:
                return f"{top_label}{s.heading}"
        else:
            sub += 1
            if s is section:
                return f"{top_label.rstrip('、')}（{cn(sub)}）{s.heading}"
    return section.heading


TEXT_FIELDS = {
    "purpose": "项目支出用途",
    "narrative": "项目实施及绩效情况",
    "goal_expected": "年度总体目标（预期目标）",
    "goal_actual": "年度总体目标（实际完成情况）",
}


def _texts(report: Report) -> Iterator[tuple[Place, str, str, TextContext]]:
    """Every free text of the report: (place, how a message names it, text, reading context).

    In a project report every text is about its one project: a bare 执行数, 项目资金 or 执行率 there
    is that project's (the department report's own fields are not its texts)."""
    project = 0 if report.kind == ReportKind.PROJECT else None
    for i, s in enumerate(report.sections):
        yield (
            Place("text", "sections", s.key, i, "text"),
            section_label(report, s),
            s.text,
            TextContext(project=project, section=s.key),
        )
    for key, items in report.lists.items():
        for i, item in enumerate(items):
            label = f"{LIST_KEYS.get(key, key)}第 {i + 1} 条"
            yield (
                Place("text", "lists", key, i, "text"),
                label,
                item.text,
                TextContext(project=project),
            )
    yield from _department_texts(report) if project is None else ()
    for i, p in enumerate(report.projects):
        for name, label in TEXT_FIELDS.items():
            yield (
                _project_place(p, i, name),
                f"项目“{p.name}”的{label}",
                getattr(p, name),
                TextContext(project=i),
            )


def _department_texts(report: Report) -> Iterator[tuple[Place, str, str, TextContext]]:
    """The texts only a department report has (附件1, 附件2, sections 三–五)."""
    for name in ("goal_expected", "goal_actual"):
        yield (
            Place("indicators", "report", name, None, name),
            f"部门整体支出绩效自评表{TEXT_FIELDS[name]}",
            getattr(report, name),
            TextContext(),
        )
    yield (
        Place("funds", "report", "three_public_change_reason", None, "three_public_change_reason"),
        "三公经费变动原因",
        report.three_public_change_reason,
        TextContext(three_public=True),
    )
    yield (
        Place("funds", "report", "frugality_measures", None, "frugality_measures"),
        "厉行节约保障措施",
        report.frugality_measures,
        TextContext(),
    )
    for i, fund in enumerate(report.special_funds):
        yield (
            Place("funds", "special_funds", fund.kind.value, i, "usage"),
            _FUND_LABELS[fund.kind] + "用途",
            fund.usage,
            TextContext(),
        )


_FUND_LABELS = {
    SpecialFundKind.GOV_FUND: "政府性基金预算",
    SpecialFundKind.STATE_CAPITAL: "国有资本经营预算",
    SpecialFundKind.SOCIAL_INSURANCE: "社会保险基金预算",
}

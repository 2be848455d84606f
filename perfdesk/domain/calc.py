"""Derived values, computed once and used everywhere (app, PDF, CLI, audit).

Nothing here is stored: totals, rates, total scores and grades are always computed from the
report's entered figures, so the printed tables and the generated paragraphs cannot disagree.
Rates are computed from unrounded values and returned unrounded (``Decimal``); formatting rounds
half up to two places (:func:`perfdesk.domain.numbers.format_percent`).

Blank is not zero: a function returns ``None`` when a figure it needs is not given, never a 0 that
would print as if it had been. A rate from a zero base follows one rule everywhere (:func:`ratio`):
0 of 0 is 0 (nothing budgeted, nothing spent — the national forms print 执行率 0 there), anything
else of 0 has no rate (printed 上年为0 for a change, "—" elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from perfdesk.domain.model import (
    EXPENSE_KEYS,
    INCOME_KEYS,
    PUBLIC_PART_KEYS,
    STANDARD_PROJECT_CATEGORIES,
    THREE_PUBLIC_KEYS,
    BudgetLine,
    Building,
    ControlLine,
    Indicator,
    IndicatorGroup,
    Project,
    Report,
)
from perfdesk.domain.numbers import format_percent, round2


def total(values: Iterable[Decimal | None]) -> Decimal | None:
    """Sum of the filled cells; ``None`` when every cell is blank (a blank total prints blank).

    For a column total of rows that may simply not exist (三公 parts, projects): a blank row adds
    nothing. Where every part is needed for the sum to mean anything, use :func:`complete_sum`.
    """
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0))


def complete_sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """Sum of parts that must all be given; ``None`` as soon as one is blank (never a partial sum)."""
    values = list(values)
    if not values or any(v is None for v in values):
        return None
    return sum(values, Decimal(0))  # type: ignore[arg-type]


def ratio(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """``numerator ÷ denominator``; ``None`` when either is blank.

    From a zero base (docs/report-format.md §5, our choice): ``0 ÷ 0`` is 0 — nothing of nothing,
    as the national forms print a 执行率 of 0 under a 全年预算数 of 0 — and any other amount of 0
    has no rate (``None``): neither "100 %" nor infinity is a rate.
    """
    if numerator is None or denominator is None:
        return None
    if denominator == 0:
        return Decimal(0) if numerator == 0 else None
    return Decimal(numerator) / Decimal(denominator)


NO_RATE_FROM_ZERO = "上年为0"
"""What is printed instead of a 变动率 when last year's figure was zero (docs/report-format.md §5)."""


@dataclass(frozen=True)
class Change:
    """A change against last year: the difference and, unless last year was zero, the rate."""

    previous: Decimal
    current: Decimal

    @property
    def difference(self) -> Decimal:
        return self.current - self.previous

    @property
    def rate(self) -> Decimal | None:
        """变动率 (本年 − 上年) ÷ 上年; from a zero base there is no rate (``None``), unless nothing
        changed (0 → 0 is 0, :func:`ratio`)."""
        return ratio(self.difference, self.previous)

    @property
    def rate_text(self) -> str:
        """The rate as printed (``25.00%``), or ``上年为0`` from a zero base — never ``增长100%``."""
        rate = self.rate
        return NO_RATE_FROM_ZERO if rate is None else format_percent(rate)

    @property
    def direction(self) -> str:
        """增加 / 减少 / 持平."""
        if self.difference > 0:
            return "增加"
        if self.difference < 0:
            return "减少"
        return "持平"


def change(previous: Decimal | None, current: Decimal | None) -> Change | None:
    """The change from ``previous`` to ``current``; ``None`` if either is blank."""
    if previous is None or current is None:
        return None
    return Change(previous, current)


# --- budget execution ----------------------------------------------------------------------------


def execution_rate(full_year_budget: Decimal | None, executed: Decimal | None) -> Decimal | None:
    """执行率 = 全年执行数 ÷ 全年预算数 (never against 年初预算数)."""
    return ratio(executed, full_year_budget)


def line_execution_rate(line: BudgetLine) -> Decimal | None:
    """执行率 of any 年初/全年/执行 row (附件2 rows, a project's 其中 rows)."""
    return execution_rate(line.full_year_budget, line.executed)


def report_execution_rate(report: Report) -> Decimal | None:
    """执行率 of the 年度资金总额 row of 附件2."""
    line = report.budget_line("total")
    return execution_rate(line.full_year_budget, line.executed)


def project_execution_rate(project: Project) -> Decimal | None:
    return execution_rate(project.full_year_budget, project.executed)


def income_total(report: Report, column: str = "executed") -> Decimal | None:
    """按收入性质分 parts added up, for one column (``initial_budget``/``full_year_budget``/``executed``)."""
    return total(getattr(report.budget_line(k), column) for k in INCOME_KEYS)


def expense_total(report: Report, column: str = "executed") -> Decimal | None:
    """按支出性质分 parts added up, for one column."""
    return total(getattr(report.budget_line(k), column) for k in EXPENSE_KEYS)


# --- staffing ------------------------------------------------------------------------------------


def establishment_total(report: Report) -> int | None:
    """编制数: the 编制 of every kind added up."""
    counts = [p.count for p in report.posts if p.count is not None]
    return sum(counts) if counts else None


def control_rate(actual: Decimal | int | None, approved: Decimal | int | None) -> Decimal | None:
    """控制率 = 实际 ÷ 核定 (staffing, 楼堂馆所 规模 and 投资概算)."""
    return ratio(actual, approved)


def staff_control_rate(report: Report) -> Decimal | None:
    """控制率 of staffing = 实有在职人数 ÷ 编制数."""
    return control_rate(report.actual_staff, establishment_total(report))


def building_area_rate(building: Building) -> Decimal | None:
    """楼堂馆所 规模控制率 = 实际规模 ÷ 批复规模."""
    return control_rate(building.actual_area, building.approved_area)


def building_investment_rate(building: Building) -> Decimal | None:
    """楼堂馆所 投资概算控制率 = 实际投资 ÷ 预算投资."""
    return control_rate(building.actual_investment, building.budget_investment)


# --- 附件1 经费控制 --------------------------------------------------------------------------------

_COLUMNS = ("prior_final", "budget", "final")


def _sum_lines(lines: Iterable[ControlLine], key: str) -> ControlLine:
    lines = list(lines)
    return ControlLine(key, *(total(getattr(line, c) for line in lines) for c in _COLUMNS))


def vehicle_line(report: Report) -> ControlLine:
    """1、公务用车购置和维护经费 = 公车购置 + 公车运行维护."""
    return _sum_lines(
        (report.control_line(k) for k in THREE_PUBLIC_KEYS[:2]), "three_public.vehicle"
    )


def three_public_line(report: Report) -> ControlLine:
    """三公经费 = 公务用车购置和维护 + 出国 + 公务接待, for each of the three columns."""
    return _sum_lines((report.control_line(k) for k in THREE_PUBLIC_KEYS), "three_public")


def three_public_completion(report: Report) -> Decimal | None:
    """三公经费 完成预算% = 本年决算 ÷ 本年预算."""
    return completion_rate(three_public_line(report))


def three_public_change(report: Report) -> Change | None:
    """三公经费 本年决算 against 上年决算."""
    line = three_public_line(report)
    return change(line.prior_final, line.final)


def public_parts_line(report: Report) -> ControlLine:
    """公用经费's 其中 items added up (they need not make up the whole)."""
    return _sum_lines((report.control_line(k) for k in PUBLIC_PART_KEYS), "public.parts")


def basic_expense_parts(report: Report) -> Decimal | None:
    """人员经费 + 公用经费 (本年决算), which should equal 基本支出; ``None`` unless both are given
    (公用经费 alone is not 基本支出)."""
    return complete_sum([report.personnel_expense, report.control_line("public").final])


def completion_rate(line: ControlLine) -> Decimal | None:
    """完成预算% of a 附件1 row = 本年决算数 ÷ 本年预算数."""
    return ratio(line.final, line.budget)


def projects_of(report: Report, category: str) -> list[Project]:
    """The projects whose 附件1 group is ``category`` ("" = those given no group)."""
    return [p for p in report.projects if p.category.strip() == category]


def project_categories(report: Report) -> list[str]:
    """附件1's 项目支出 groups in print order: 业务工作经费, 运行维护经费, then the others as they
    first appear among the projects (a ``{级次}专项资金`` group is always shown, as on the form)."""
    found = [p.category.strip() for p in report.projects if p.category.strip()]
    groups = list(STANDARD_PROJECT_CATEGORIES)
    groups += [c for c in dict.fromkeys(found) if c not in groups]
    if not any(c.endswith("专项资金") for c in groups):
        groups.append(f"{report.unit_level}专项资金")
    return groups


def project_total_line(report: Report) -> ControlLine:
    """附件1's 项目支出 row: the total as the report gives it, else the itemised projects' sum,
    column by column (a total given and projects itemised are compared by the audit)."""
    given = report.control_line("project")
    summed = projects_line(report.projects, "project")
    return ControlLine(
        "project",
        given.prior_final if given.prior_final is not None else summed.prior_final,
        given.budget if given.budget is not None else summed.budget,
        given.final if given.final is not None else summed.final,
    )


def projects_line(projects: Iterable[Project], key: str = "projects") -> ControlLine:
    """Projects added up as a 附件1 row: 上年决算数, 本年预算数 (全年预算数), 本年决算数 (执行数).

    A project without a 上年决算数 (new this year) or a 全年预算数 (added in the year) adds
    nothing there, as on the published forms. But a project with a budget and no 执行数 has
    not been given its figure yet: the 执行数 column is then blank, never the sum of the others
    (the audit asks for it, sum.parts_missing)."""
    projects = list(projects)
    return ControlLine(
        key,
        total(p.prior_final for p in projects),
        total(p.full_year_budget for p in projects),
        _executed_total(projects),
    )


def executed_missing(project: Project) -> bool:
    """A project with a budget whose 执行数 is not given (0 is given: nothing spent)."""
    budgeted = project.initial_budget is not None or project.full_year_budget is not None
    return budgeted and project.executed is None


def _executed_total(projects: list[Project]) -> Decimal | None:
    if any(executed_missing(p) for p in projects):
        return None
    return total(p.executed for p in projects)


def project_executed_total(report: Report) -> Decimal | None:
    """All projects' 执行数 added up (to set against 项目支出); blank while one is missing."""
    return _executed_total(report.projects)


# --- scores --------------------------------------------------------------------------------------


def group_weight_total(groups: Iterable[IndicatorGroup]) -> Decimal | None:
    return total(g.weight for g in groups)


def indicator_weight_total(indicators: Iterable[Indicator]) -> Decimal | None:
    return total(i.weight for i in indicators)


GRADES = (
    (Decimal(90), "优"),
    (Decimal(80), "良"),
    (Decimal(60), "中"),
)


def grade(total_score: Decimal | None) -> str:
    """优 ≥ 90, 良 80–90, 中 60–80, 差 < 60; empty when there is no score.

    The band is read from the total as printed (two places, half up), so a total printed as
    ``90.00`` is never graded 良 because of an unseen 89.995.
    """
    if total_score is None:
        return ""
    shown = round2(total_score)
    for floor, name in GRADES:
        if shown >= floor:
            return name
    return "差"

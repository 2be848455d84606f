"""One unit's line of the 自评汇总, read from its department report: :class:`UnitFacts`.

Everything comes from the functions the report itself prints and audits with — 执行率 from
:mod:`perfdesk.domain.calc`, 总分 and the scoring state from :func:`scoring.report_scoring` (an
unscored report is 未完成评分, never 差), open 错误 and 提示 from :func:`perfdesk.domain.audit.audit`
with last year's report of the unit when the database has it — so the summary cannot disagree
with the unit's own printout and 审核 panel. A blank figure stays ``None``.

The facts are plain values, written to JSON (:func:`facts_to_json`) for the database's cache of
summary rows: the summary of hundreds of units opens without reading and auditing every report.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal

from perfdesk.domain import calc, scoring
from perfdesk.domain.audit import RULES, Severity, audit
from perfdesk.domain.model import Indicator, Project, Report

EXECUTION_CATEGORY = "预算执行率"
"""The deduction category of the 预算执行率 line (its points lost are deductions too)."""

FACTS_VERSION = "2"
"""Bumped whenever :class:`UnitFacts` or the way it is computed changes (cached facts go stale)."""


def rules_fingerprint() -> str:
    """The audit's rules as they are in this program: cached counts of other rules are stale."""
    return ",".join(f"{r.id}:{r.severity.value}" for r in RULES)


@dataclass(frozen=True)
class Deduction:
    """Points a unit lost under one category of indicator (its 二级指标, else its 一级指标)."""

    category: str
    points: Decimal


@dataclass(frozen=True)
class UnitFacts:
    """One unit's figures for the summary, from its 部门整体支出绩效自评报告."""

    unit_name: str
    supervisor: str = ""  # 主管部门 as the unit wrote it
    head: str = ""  # 单位负责人 (tells units apart: perfdesk.summary.names)
    phone: str = ""
    initial_budget: Decimal | None = None  # 年度资金总额 年初预算数
    full_year_budget: Decimal | None = None  # 全年预算数
    executed: Decimal | None = None  # 全年执行数
    total_score: Decimal | None = None  # 附件2 总分 (the scores there are, added up)
    scored: bool = (
        False  # fully scored (scoring.report_scoring(report).complete): total and grade count
    )
    grade_text: str = scoring.UNSCORED  # 优/良/中/差, or 未完成评分
    scored_lines: int = 0  # lines with a 分值
    unscored_lines: int = 0  # of those, lines without a score
    open_errors: int = 0  # 错误 neither fixed nor explained
    open_hints: int = 0  # 提示 without a 说明
    error_titles: tuple[str, ...] = ()  # the open 错误's rule titles, one per finding
    three_public_budget: Decimal | None = None  # 三公经费 本年预算数
    three_public_final: Decimal | None = None  # 三公经费 本年决算数
    project_count: int = 0  # projects in the report
    project_forms: int = 0  # 附件3 forms printed with the report (projects with indicators)
    deductions: tuple[Deduction, ...] = field(default=())

    # --- derived (never stored) --------------------------------------------------------------------

    @property
    def execution_rate(self) -> Decimal | None:
        """执行率 = 全年执行数 ÷ 全年预算数."""
        return calc.execution_rate(self.full_year_budget, self.executed)

    @property
    def score(self) -> Decimal | None:
        """自评总分 once the report is fully scored, else ``None`` (a partial sum is no score)."""
        return self.total_score if self.scored else None

    @property
    def three_public_completion(self) -> Decimal | None:
        """三公经费 完成率 = 本年决算 ÷ 本年预算."""
        return calc.ratio(self.three_public_final, self.three_public_budget)


def _deductions(report: Report) -> tuple[Deduction, ...]:
    lost: dict[str, Decimal] = {}

    def add(category: str, weight: Decimal | None, score: Decimal | None) -> None:
        if weight is None or score is None or score >= weight:
            return
        lost[category] = lost.get(category, Decimal(0)) + (weight - score)

    add(
        EXECUTION_CATEGORY,
        report.execution_weight,
        scoring.report_execution_score(report).value,
    )
    for ind in report.indicators:
        add(_category(ind), ind.weight, scoring.indicator_score(ind).value)
    return tuple(Deduction(c, p) for c, p in lost.items())


def _category(ind: Indicator) -> str:
    return (ind.level2 or ind.level1 or "其他指标").strip()


def has_form(project: Project) -> bool:
    """A project whose 附件3 form is printed: one with a named indicator (as the printout decides)."""
    return any(i.name.strip() for i in project.indicators)


def facts_of(report: Report, previous: Report | None = None) -> UnitFacts:
    """The summary line of ``report`` (a department report); ``previous`` is last year's report of
    the same unit, if known (the audit compares 上年决算数 with it)."""
    findings = audit(report, previous)
    open_findings = [f for f in findings if f.resolved_by is None]
    errors = [f for f in open_findings if f.severity == Severity.ERROR]
    state = scoring.report_scoring(report)
    total = report.budget_line("total")
    three = calc.three_public_line(report)
    return UnitFacts(
        unit_name=report.unit_name,
        supervisor=report.supervisor,
        head=report.head,
        phone=report.phone,
        initial_budget=total.initial_budget,
        full_year_budget=total.full_year_budget,
        executed=total.executed,
        total_score=state.total,
        scored=state.complete,
        grade_text=state.grade_text,
        scored_lines=state.lines,
        unscored_lines=state.unscored,
        open_errors=len(errors),
        open_hints=len(open_findings) - len(errors),
        error_titles=tuple(_rule_title(f.rule) for f in errors),
        three_public_budget=three.budget,
        three_public_final=three.final,
        project_count=len(report.projects),
        project_forms=sum(1 for p in report.projects if has_form(p)),
        deductions=_deductions(report),
    )


def _rule_title(rule_id: str) -> str:
    for r in RULES:
        if r.id == rule_id:
            return r.title
    return rule_id


# --- the cache's JSON ----------------------------------------------------------------------------

_DECIMALS = {f.name for f in fields(UnitFacts) if "Decimal" in str(f.type)}


def facts_to_json(facts: UnitFacts) -> str:
    raw = asdict(facts)
    for name in _DECIMALS:
        if raw[name] is not None:
            raw[name] = str(raw[name])
    raw["deductions"] = [[d.category, str(d.points)] for d in facts.deductions]
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))


def facts_from_json(text: str) -> UnitFacts:
    raw = json.loads(text)
    for name in _DECIMALS:
        if raw.get(name) is not None:
            raw[name] = Decimal(raw[name])
    raw["deductions"] = tuple(Deduction(c, Decimal(p)) for c, p in raw["deductions"])
    raw["error_titles"] = tuple(raw["error_titles"])
    return UnitFacts(**raw)

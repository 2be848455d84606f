"""Formulas: rates written in the text against the rates computed from the figures."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfdesk.domain import calc, scoring
from perfdesk.domain.audit.core import (
    Place,
    Severity,
    _amt,
    _Audit,
    _project_place,
    _rule,
)
from perfdesk.domain.model import ReportKind
from perfdesk.domain.numbers import format_amount, format_percent, format_plain

# --- formulas ------------------------------------------------------------------------------------


@_rule(
    "formula.execution_rate_text",
    Severity.ERROR,
    "文中执行率",
    "文字中“执行率”后写的百分比等于全年执行数 ÷ 全年预算数；若它其实是按年初预算数算的，会说明",
)
def _execution_rate_text(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, m in a.text_mismatches:
        if m.kind != "rate" or m.subject.rate is None:
            continue
        message = (
            f"{where}：“{m.written.quote}”与{m.subject.name}的执行率 {format_percent(m.subject.rate)}"
            "（全年执行数 ÷ 全年预算数）不一致"
        )
        alt = m.subject.initial_rate
        if alt is not None:
            shown = (alt * 100).quantize(Decimal(1).scaleb(-m.written.places))
            if abs(alt * 100 - m.written.value) <= Decimal("0.01") or shown == m.written.value:
                message += "：文中的数字是按年初预算数算的，执行率应以全年预算数为分母"
        yield place, message, m.written.quote


def _basis_message(
    who: str,
    weight: Decimal,
    entered: Decimal,
    suggested: Decimal,
    initial: Decimal,
    full: Decimal,
    executed: Decimal,
) -> str:
    rate = calc.execution_rate(full, executed)
    initial_rate = calc.execution_rate(initial, executed)
    return (
        f"{who}预算执行率得分录入 {format_plain(entered)} 分，按执行率 {format_percent(rate)}"
        f"（全年执行数 {format_amount(executed)} ÷ 全年预算数 {format_amount(full)}）应得 "
        f"{format_plain(suggested)} 分（分值 {format_plain(weight)}）；年初预算数 {_amt(initial)}与全年预算数不同，"
        f"按年初预算数算才是 {format_percent(initial_rate)}——执行率应以全年预算数为分母"
    )


@_rule(
    "formula.execution_basis",
    Severity.HINT,
    "执行率口径",
    "年初预算数与全年预算数不同，而录入的预算执行率得分低于按全年预算数算出的建议得分：执行率应以全年预算数为分母",
)
def _execution_basis(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    line = r.budget_line("total")
    score = scoring.report_execution_score(r)
    cases: list[
        tuple[
            Place,
            str,
            Decimal | None,
            scoring.Score,
            Decimal | None,
            Decimal | None,
            Decimal | None,
        ]
    ] = []
    if r.kind == ReportKind.DEPARTMENT:  # a project report has only its project's form
        cases.append(
            (
                Place("indicators", "report", "execution_score", None, "execution_score"),
                "部门整体支出绩效自评表",
                r.execution_weight,
                score,
                line.initial_budget,
                line.full_year_budget,
                line.executed,
            )
        )
    for i, p in enumerate(r.projects):
        cases.append(
            (
                _project_place(p, i, "execution_score"),
                f"项目“{p.name}”",
                p.execution_weight,
                scoring.project_execution_score(p),
                p.initial_budget,
                p.full_year_budget,
                p.executed,
            )
        )
    for place, who, weight, s, initial, full, executed in cases:
        if (
            s.entered is None
            or s.suggested is None
            or weight is None
            or initial is None
            or full is None
            or executed is None
            or initial == full
            or s.entered >= s.suggested
        ):
            continue
        yield (
            place,
            _basis_message(who, weight, s.entered, s.suggested, initial, full, executed),
            "",
        )


@_rule(
    "formula.growth_rate_text",
    Severity.ERROR,
    "文中增长率",
    "文字中写的增长率或下降率（如“增长31.39%”）等于按上年数算出的变动率：上年数取自上年决算数（本年决算数 ÷ "
    "上年决算数 − 1），或同一处写出的本年数和增减额（增减额 ÷ 上年数）",
)
def _growth_rate_text(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, m in a.text_mismatches:
        if m.kind != "growth_rate" or m.expected is None:
            continue
        s = m.subject
        direction = "增长" if m.expected >= 0 else "下降"
        yield (
            place,
            f"{where}：“{m.written.quote}”与{s.name}的变动不一致：本年 {_amt(s.current)}、上年 "  # type: ignore[arg-type]
            f"{_amt(s.prior)}，{direction} {format_percent(abs(m.expected))}",  # type: ignore[arg-type]
            m.written.quote,
        )
    for place, where, c in a.change_rates:
        direction = "增长" if c.increase else "下降"
        yield (
            place,
            f"{where}：“{c.quote}”——按写出的本年 {_amt(c.current.value)}、"
            f"{'增加' if c.increase else '减少'} {_amt(c.change.value)}，上年为 {_amt(c.previous)}，"
            f"{direction}率应为 {format_percent(c.expected)}",
            c.quote,
        )


@_rule(
    "formula.completion_rate_text",
    Severity.ERROR,
    "文中完成率",
    "文字中写的预算完成率（如三公经费“完成预算的43%”）等于本年决算数 ÷ 本年预算数（附件2的各行和项目为"
    "全年执行数 ÷ 全年预算数）",
)
def _completion_rate_text(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, m in a.text_mismatches:
        if m.kind != "completion" or m.expected is None:
            continue
        yield (
            place,
            f"{where}：“{m.written.quote}”与{m.subject.name}的预算完成率 {format_percent(m.expected)}"
            "（决算数 ÷ 预算数）不一致",
            m.written.quote,
        )

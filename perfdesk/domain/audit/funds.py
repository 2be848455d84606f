"""Funds of sections 三–五: what a section says (有 / 无 / 未说明) against the figures.

A report says of each of 政府性基金, 国有资本经营 and 社会保险基金预算 that it has one (with
figures), that it has none (printed 本部门××年度无…安排), or nothing (未说明: nothing is printed
as if it had said). Saying 无 while the figures show that money is a false statement in print;
saying 有 without a figure, or nothing while 附件2 shows 政府性基金拨款, leaves a gap to fill.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfdesk.domain.audit.core import (
    _FUND_LABELS,
    BUDGET_COLUMNS,
    DEPARTMENT_ONLY,
    Place,
    Severity,
    _amt,
    _Audit,
    _rule,
)
from perfdesk.domain.model import FundStatus, Report, SpecialFund, SpecialFundKind

_FUND_FIGURES = {"initial_budget": "年初预算", "income": "决算收入", "expenditure": "决算支出"}


def _fund_place(r: Report, fund: SpecialFund, field: str) -> Place:
    rows = [i for i, f in enumerate(r.special_funds) if f.kind == fund.kind]
    return Place("funds", "special_funds", fund.kind.value, rows[0] if rows else None, field)


def _income_side(r: Report, fund: SpecialFund) -> list[tuple[str, Decimal]]:
    """The 政府性基金拨款 of 附件2 above zero, by column (only that fund has an income line)."""
    if fund.kind != SpecialFundKind.GOV_FUND:
        return []
    line = r.budget_line("income.gov_fund")
    return [
        (label, value)
        for column, label in BUDGET_COLUMNS.items()
        if (value := getattr(line, column)) is not None and value > 0
    ]


def _own_figures(fund: SpecialFund) -> list[tuple[str, Decimal]]:
    return [
        (label, value)
        for name, label in _FUND_FIGURES.items()
        if (value := getattr(fund, name)) is not None and value > 0
    ]


def _funds(r: Report) -> Iterator[SpecialFund]:
    """Every fund of sections 三–五, those the report has no row for as 未说明."""
    for kind in SpecialFundKind:
        yield r.special_fund(kind)


@_rule(
    "fund.none_contradicted",
    Severity.ERROR,
    "基金“无”与数字矛盾",
    "第三至五部分选“无”（本部门无该项预算安排），而附件2的政府性基金拨款大于 0，或该部分自己填的年初预算、"
    "决算收入、决算支出大于 0",
    kinds=DEPARTMENT_ONLY,
)
def _none_contradicted(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    for fund in _funds(r):
        if fund.status != FundStatus.NONE:
            continue
        label = _FUND_LABELS[fund.kind]
        shown = [f"附件2政府性基金拨款（{col}）{_amt(v)}" for col, v in _income_side(r, fund)]
        shown += [f"{label}{what} {_amt(v)}" for what, v in _own_figures(fund)]
        if shown:
            yield (
                _fund_place(r, fund, "status"),
                f"{label}选了“无”，打印为“本部门无{label}安排”，但{'、'.join(shown)}：请改为“有”并填写，"
                "或改正数字",
                "",
            )


@_rule(
    "fund.figures_missing",
    Severity.HINT,
    "基金情况未填",
    "第三至五部分选“有”却没有填年初预算、决算收入、决算支出；或已填了数字、附件2有政府性基金拨款，"
    "而该部分“未说明”：请补充填写",
    kinds=DEPARTMENT_ONLY,
)
def _figures_missing(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    for fund in _funds(r):
        label = _FUND_LABELS[fund.kind]
        if fund.status == FundStatus.HAS and all(
            getattr(fund, name) is None for name in _FUND_FIGURES
        ):
            yield (
                _fund_place(r, fund, "initial_budget"),
                f"{label}选了“有”，但年初预算、决算收入、决算支出都未填写：请补充填写",
                "",
            )
        elif fund.status == FundStatus.UNSTATED and (own := _own_figures(fund)):
            shown = "、".join(f"{what} {_amt(v)}" for what, v in own)
            yield (
                _fund_place(r, fund, "status"),
                f"{label}已填{shown}，却“未说明”有无该项预算，打印时不会出现：请选“有”",
                "",
            )
        elif fund.status == FundStatus.UNSTATED and (income := _income_side(r, fund)):
            col, value = income[-1]
            yield (
                _fund_place(r, fund, "status"),
                f"附件2的政府性基金拨款（{col}）为 {_amt(value)}，而第三部分{label}支出情况“未说明”："
                "请选“有”并填写年初预算、决算收入、决算支出和用途",
                "",
            )

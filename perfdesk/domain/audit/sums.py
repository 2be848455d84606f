"""Sums: parts against their totals, weights against 100."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfdesk.domain import calc, scoring
from perfdesk.domain.audit.core import (
    BUDGET_COLUMNS,
    Place,
    Severity,
    _amt,
    _Audit,
    _budget_place,
    _differ,
    _rule,
    _scoring_scopes,
)
from perfdesk.domain.model import (
    EXPENSE_KEYS,
    INCOME_KEYS,
    PROJECT_SOURCE_KEYS,
)
from perfdesk.domain.numbers import amounts_agree, format_plain

# --- sums ----------------------------------------------------------------------------------------


def _parts_against_total(
    a: _Audit, keys: tuple[str, ...], what: str
) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    total_line = r.budget_line("total")
    for column, label in BUDGET_COLUMNS.items():
        parts = [getattr(r.budget_line(k), column) for k in keys]
        parts_sum = calc.total(parts)
        if parts_sum is None:
            continue
        total = getattr(total_line, column)
        place = _budget_place(r, "total", column)
        if total is None:
            yield place, f"{label}：{what}合计 {_amt(parts_sum)}，但年度资金总额未填写", column
        elif not amounts_agree(parts_sum, total):
            yield (
                place,
                f"{label}：{what}合计 {_amt(parts_sum)} ≠ 年度资金总额 {_amt(total)}{_differ(parts_sum, total)}",
                column,
            )


@_rule(
    "sum.income_parts",
    Severity.ERROR,
    "收入分项合计",
    "按收入性质分（一般公共预算、政府性基金拨款、纳入专户管理的非税收入拨款、其他资金）之和等于年度资金总额；"
    "年初预算数、全年预算数、全年执行数逐列检查，只查填了分项的列",
)
def _income_parts(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    yield from _parts_against_total(a, INCOME_KEYS, "按收入性质分")


@_rule(
    "sum.expense_parts",
    Severity.ERROR,
    "支出分项合计",
    "基本支出 + 项目支出等于年度资金总额，逐列检查",
)
def _expense_parts(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    yield from _parts_against_total(a, EXPENSE_KEYS, "按支出性质分")


@_rule(
    "sum.basic_expense",
    Severity.ERROR,
    "基本支出构成",
    "基本支出（全年执行数）等于人员经费 + 公用经费（本年决算数）",
)
def _basic_expense(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    basic = r.budget_line("expense.basic").executed
    personnel, public = r.personnel_expense, r.control_line("public").final
    if basic is None or personnel is None or public is None:
        return
    parts = personnel + public
    if not amounts_agree(basic, parts):
        yield (
            _budget_place(r, "expense.basic", "executed"),
            f"人员经费 {_amt(personnel)} + 公用经费 {_amt(public)} = {_amt(parts)} ≠ "
            f"基本支出（全年执行数）{_amt(basic)}{_differ(parts, basic)}",
            "",
        )


@_rule(
    "sum.project_rows", Severity.ERROR, "项目合计", "各项目全年执行数之和等于项目支出（全年执行数）"
)
def _project_rows(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    stated = r.budget_line("expense.project").executed
    rows = calc.project_executed_total(r)
    if stated is None or rows is None:
        return
    if not amounts_agree(stated, rows):
        count = sum(1 for p in r.projects if p.executed is not None)
        yield (
            _budget_place(r, "expense.project", "executed"),
            f"{count} 个项目的全年执行数合计 {_amt(rows)} ≠ 项目支出（全年执行数）{_amt(stated)}"
            f"{_differ(rows, stated)}",
            "",
        )


@_rule(
    "sum.project_sources",
    Severity.ERROR,
    "项目资金来源",
    "项目的当年财政拨款 + 上年结转资金 + 其他资金等于该项目的年度资金总额，逐列检查",
)
def _project_sources(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for i, p in enumerate(a.report.projects):
        for column, label in BUDGET_COLUMNS.items():
            parts = calc.total(
                getattr(s, column) for s in p.sources if s.key in PROJECT_SOURCE_KEYS
            )
            total = getattr(p, column)
            if parts is None or total is None or amounts_agree(parts, total):
                continue
            yield (
                Place("projects", "project_sources", p.name, i, column, i),
                f"项目“{p.name}”{label}：当年财政拨款、上年结转资金、其他资金合计 {_amt(parts)} ≠ "
                f"年度资金总额 {_amt(total)}{_differ(parts, total)}",
                column,
            )


@_rule(
    "sum.group_weights",
    Severity.ERROR,
    "一级指标分值",
    "每个一级指标下各指标分值之和等于该一级指标的分值（整体自评表和每个项目自评表）",
)
def _group_weights(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for who, groups, indicators, project, index in _scoring_scopes(a.report):
        for row, g in enumerate(groups):
            weights = [i.weight for i in indicators if i.level1 == g.name and i.weight is not None]
            if g.weight is None or not weights:
                continue
            got = sum(weights, Decimal(0))
            if got != g.weight:
                place = (
                    Place("indicators", "groups", g.name, row, "weight")
                    if project is None
                    else Place(
                        "projects",
                        "project_groups",
                        f"{project.name}/{g.name}",
                        row,
                        "weight",
                        index,
                    )
                )
                yield (
                    place,
                    f"{who}：{g.name}下各指标分值合计 {format_plain(got)} 分 ≠ {g.name}分值 "
                    f"{format_plain(g.weight)} 分",
                    "",
                )


@_rule("sum.total_weight", Severity.ERROR, "分值合计", "预算执行率分值 + 全部指标分值等于 100")
def _total_weight(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for who, _groups, indicators, project, index in _scoring_scopes(a.report):
        if not any(i.weight is not None for i in indicators):
            continue  # the table is not filled in yet
        total = (
            scoring.report_total_weight(a.report)
            if project is None
            else scoring.project_total_weight(project)
        )
        if total is not None and total != 100:
            execution = a.report.execution_weight if project is None else project.execution_weight
            place = (
                Place("indicators", "report", "weights", None, "weight")
                if project is None
                else Place("projects", "projects", project.name, index, "execution_weight", index)
            )
            yield (
                place,
                f"{who}：预算执行率分值 {format_plain(execution) if execution is not None else '（未填）'} 分"
                f"与各指标分值合计 {format_plain(total)} 分，应为 100 分",
                "",
            )

"""Sums: parts against their totals, weights against 100."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from perfdesk.domain import calc, scoring
from perfdesk.domain.audit.core import (
    BUDGET_COLUMNS,
    DEPARTMENT_ONLY,
    PROJECT_FIELDS,
    Place,
    Severity,
    _amt,
    _Audit,
    _budget_place,
    _control_place,
    _differ,
    _project_place,
    _rule,
    _scoring_scopes,
)
from perfdesk.domain.model import (
    BUDGET_LINE_KEYS,
    EXPENSE_KEYS,
    INCOME_KEYS,
    PROJECT_SOURCE_KEYS,
    Report,
    ReportKind,
)
from perfdesk.domain.numbers import amounts_agree, format_plain

# --- sums ----------------------------------------------------------------------------------------
#
# Blank is not zero. A part-sum is compared only with what is given: when a part every report has
# (基本支出, 项目支出, 人员经费, 公用经费) or the total itself is blank, there is nothing to hold the
# others against, and sum.parts_missing asks for it (a 提示) instead of reporting a difference that
# is only the blank cell. Parts that many units simply do not have (政府性基金拨款, 纳入专户…, 其他
# 资金; 上年结转资金…) are taken as none when blank. Given parts that already exceed their total
# are a 错误 whatever is missing: no blank part can make the whole smaller.


def _exceeds(parts_sum: Decimal, total: Decimal) -> bool:
    return parts_sum > total and not amounts_agree(parts_sum, total)


def _budget_cell(a: _Audit, key: str, column: str) -> Decimal | None:
    return getattr(a.report.budget_line(key), column)


@_rule(
    "sum.income_parts",
    Severity.ERROR,
    "收入分项合计",
    "按收入性质分（一般公共预算、政府性基金拨款、纳入专户管理的非税收入拨款、其他资金）之和等于年度资金总额；"
    "年初预算数、全年预算数、全年执行数逐列检查，只查填了分项的列，未填的分项视为没有该项收入",
    kinds=DEPARTMENT_ONLY,
)
def _income_parts(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    for column, label in BUDGET_COLUMNS.items():
        parts_sum = calc.total(_budget_cell(a, k, column) for k in INCOME_KEYS)
        total = _budget_cell(a, "total", column)
        if parts_sum is None or total is None or amounts_agree(parts_sum, total):
            continue
        yield (
            _budget_place(r, "total", column),
            f"{label}：按收入性质分合计 {_amt(parts_sum)} ≠ 年度资金总额 {_amt(total)}{_differ(parts_sum, total)}",
            column,
        )


@_rule(
    "sum.expense_parts",
    Severity.ERROR,
    "支出分项合计",
    "基本支出 + 项目支出等于年度资金总额，逐列检查；只填了其中一项时，该项不能超过年度资金总额",
    kinds=DEPARTMENT_ONLY,
)
def _expense_parts(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    for column, label in BUDGET_COLUMNS.items():
        total = _budget_cell(a, "total", column)
        parts = [_budget_cell(a, k, column) for k in EXPENSE_KEYS]
        given = [v for v in parts if v is not None]
        if total is None or not given:
            continue
        parts_sum = sum(given, Decimal(0))
        place = _budget_place(r, "total", column)
        if len(given) == len(parts):
            if not amounts_agree(parts_sum, total):
                yield (
                    place,
                    f"{label}：按支出性质分合计 {_amt(parts_sum)} ≠ 年度资金总额 {_amt(total)}"
                    f"{_differ(parts_sum, total)}",
                    column,
                )
        elif _exceeds(parts_sum, total):
            (key,) = [k for k, v in zip(EXPENSE_KEYS, parts, strict=True) if v is not None]
            yield (
                place,
                f"{label}：{BUDGET_LINE_KEYS[key]} {_amt(parts_sum)}已超过年度资金总额 {_amt(total)}"
                f"{_differ(parts_sum, total)}",
                column,
            )


BASIC_PARTS = {"personnel_expense": "人员经费", "public": "公用经费"}


def _basic_parts(r: Report) -> dict[str, Decimal | None]:
    return {"personnel_expense": r.personnel_expense, "public": r.control_line("public").final}


@_rule(
    "sum.basic_expense",
    Severity.ERROR,
    "基本支出构成",
    "基本支出（全年执行数）等于人员经费 + 公用经费（本年决算数）；只填了其中一项时，该项不能超过基本支出",
    kinds=DEPARTMENT_ONLY,
)
def _basic_expense(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    basic = r.budget_line("expense.basic").executed
    parts = _basic_parts(r)
    if basic is None or all(v is None for v in parts.values()):
        return
    place = _budget_place(r, "expense.basic", "executed")
    personnel, public = parts["personnel_expense"], parts["public"]
    if personnel is not None and public is not None:
        both = personnel + public
        if not amounts_agree(basic, both):
            yield (
                place,
                f"人员经费 {_amt(personnel)} + 公用经费 {_amt(public)} = {_amt(both)} ≠ "
                f"基本支出（全年执行数）{_amt(basic)}{_differ(both, basic)}",
                "",
            )
        return
    (name, value) = [(n, v) for n, v in parts.items() if v is not None][0]
    if value is not None and _exceeds(value, basic):
        yield (
            place,
            f"{BASIC_PARTS[name]} {_amt(value)}已超过基本支出（全年执行数）{_amt(basic)}"
            f"{_differ(value, basic)}",
            "",
        )


# 项目支出 against the itemised projects: (where the total is, its column, the projects' column).
# The 附件1 line ``project`` is compared column by column; 附件2's 项目支出 on its 全年执行数.
_PROJECT_TOTALS = (
    ("budget_lines", "executed", "executed", "项目支出（全年执行数）"),
    ("control_lines", "prior_final", "prior_final", "附件1项目支出（上年决算数）"),
    ("control_lines", "budget", "full_year_budget", "附件1项目支出（本年预算数）"),
    ("control_lines", "final", "executed", "附件1项目支出（本年决算数）"),
)


@dataclass(frozen=True)
class _ProjectSum:
    """Itemised projects against one 项目支出 total."""

    total_place: Place
    total_label: str
    total: Decimal
    column: str  # the projects' field
    given: Decimal  # the projects' figures there are, added up
    count: int  # projects with the figure
    missing: list[int]  # indices of projects whose figure is blank
    selection: bool  # the report gives 项目支出 as a total: the itemised projects may be some

    @property
    def detail(self) -> str:
        return "" if self.total_place.entity == "budget_lines" else self.total_place.field or ""


def _project_sums(r: Report) -> Iterator[_ProjectSum]:
    if not r.projects:
        return
    given_line = r.control_line("project")
    selection = any(
        v is not None for v in (given_line.prior_final, given_line.budget, given_line.final)
    )
    for entity, field, column, label in _PROJECT_TOTALS:
        if entity == "budget_lines":
            total = r.budget_line("expense.project").executed
            place = _budget_place(r, "expense.project", field)
        else:
            total = getattr(given_line, field)
            place = _control_place(r, "project", field)
        values = [getattr(p, column) for p in r.projects]
        present = [v for v in values if v is not None]
        if total is None or not present:
            continue
        yield _ProjectSum(
            place,
            label,
            total,
            column,
            sum(present, Decimal(0)),
            len(present),
            [i for i, v in enumerate(values) if v is None],
            selection,
        )


@_rule(
    "sum.project_rows",
    Severity.ERROR,
    "项目合计",
    "各项目全年执行数之和等于项目支出（全年执行数）；附件1的项目支出按总额填写时，各项目的上年决算数、"
    "全年预算数、全年执行数之和分别不超过它（未逐项列出的项目由 sum.parts_missing 提示）",
    kinds=DEPARTMENT_ONLY,
)
def _project_rows(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for s in _project_sums(a.report):
        complete_list = not s.missing and not s.selection
        if complete_list and not amounts_agree(s.given, s.total):
            yield (
                s.total_place,
                f"{s.count} 个项目的{PROJECT_FIELDS[s.column]}合计 {_amt(s.given)} ≠ {s.total_label}"
                f"{_amt(s.total)}{_differ(s.given, s.total)}",
                s.detail,
            )
        elif not complete_list and _exceeds(s.given, s.total):
            yield (
                s.total_place,
                f"已列出的 {s.count} 个项目的{PROJECT_FIELDS[s.column]}合计 {_amt(s.given)}已超过"
                f"{s.total_label}{_amt(s.total)}{_differ(s.given, s.total)}",
                s.detail,
            )


@_rule(
    "sum.project_total",
    Severity.ERROR,
    "两表项目支出",
    "附件1的项目支出（本年决算数）等于附件2的项目支出（全年执行数），两处都填了时",
    kinds=DEPARTMENT_ONLY,
)
def _project_total(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    first = r.control_line("project").final
    second = r.budget_line("expense.project").executed
    if first is None or second is None or amounts_agree(first, second):
        return
    yield (
        _control_place(r, "project", "final"),
        f"附件1项目支出（本年决算数）{_amt(first)} ≠ 附件2项目支出（全年执行数）{_amt(second)}"
        f"{_differ(first, second)}",
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


def _names(r: Report, indices: list[int]) -> str:
    shown = "、".join(f"“{r.projects[i].name}”" for i in indices[:3])
    return shown + ("等" if len(indices) > 3 else "")


@_rule(
    "sum.parts_missing",
    Severity.HINT,
    "分项未填",
    "合计与分项只填了一部分、无法核对时请补充填写：年度资金总额未填而收入或支出分项已填；基本支出、项目支出"
    "只填了一项；人员经费、公用经费只填了一项或基本支出未填；项目资金来源已填而年度资金总额未填；"
    "项目支出的合计多于已列出（或已填数字）的项目之和",
)
def _parts_missing(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    if r.kind == ReportKind.DEPARTMENT:
        yield from _department_parts_missing(r)
    for i, p in enumerate(r.projects):
        for column, label in BUDGET_COLUMNS.items():
            sources = calc.total(
                getattr(s, column) for s in p.sources if s.key in PROJECT_SOURCE_KEYS
            )
            if sources is not None and getattr(p, column) is None:
                yield (
                    _project_place(p, i, column),
                    f"项目“{p.name}”的资金来源（{label}）已填 {_amt(sources)}，而年度资金总额的{label}"
                    "未填写：请补充填写",
                    f"sources:{column}",
                )
    if r.kind == ReportKind.DEPARTMENT:
        yield from _projects_missing(r)
        yield from _executed_missing(r)


def _department_parts_missing(r: Report) -> Iterator[tuple[Place, str, str]]:
    """附件2's 年度资金总额 and its parts, 基本支出 and its parts (a department report's own)."""
    for column, label in BUDGET_COLUMNS.items():
        total = getattr(r.budget_line("total"), column)
        income = calc.total(getattr(r.budget_line(k), column) for k in INCOME_KEYS)
        expense = {k: getattr(r.budget_line(k), column) for k in EXPENSE_KEYS}
        spent = calc.total(expense.values())
        if total is None and (income is not None or spent is not None):
            given = "、".join(
                f"{what}合计 {_amt(v)}"
                for what, v in (("按收入性质分", income), ("按支出性质分", spent))
                if v is not None
            )
            yield (
                _budget_place(r, "total", column),
                f"年度资金总额（{label}）未填写，而{given}已填：请补充填写年度资金总额",
                f"total:{column}",
            )
        missing = [k for k, v in expense.items() if v is None]
        if total is not None and len(missing) == 1 and not _exceeds(spent, total):  # type: ignore[arg-type]
            (key,) = missing
            (other,) = [k for k in EXPENSE_KEYS if k != key]
            yield (
                _budget_place(r, key, column),
                f"{label}：{BUDGET_LINE_KEYS[other]} {_amt(expense[other])}已填，{BUDGET_LINE_KEYS[key]}"  # type: ignore[arg-type]
                f"未填写，无法与年度资金总额 {_amt(total)}核对：请补充填写{BUDGET_LINE_KEYS[key]}",
                f"expense:{column}",
            )

    basic = r.budget_line("expense.basic").executed
    parts = _basic_parts(r)
    blank = [n for n, v in parts.items() if v is None]
    places = {
        "personnel_expense": Place(
            "funds", "report", "personnel_expense", None, "personnel_expense"
        ),
        "public": _control_place(r, "public", "final"),
    }
    if basic is not None and len(blank) == 1:
        (name,) = blank
        (other,) = [n for n in parts if n != name]
        value = parts[other]
        if value is not None and not _exceeds(value, basic):
            yield (
                places[name],
                f"基本支出（全年执行数）{_amt(basic)}、{BASIC_PARTS[other]} {_amt(value)}已填，"
                f"{BASIC_PARTS[name]}未填写，无法核对基本支出的构成：请补充填写{BASIC_PARTS[name]}",
                "basic",
            )
    elif basic is None and not blank:
        both = calc.basic_expense_parts(r)
        yield (
            _budget_place(r, "expense.basic", "executed"),
            f"人员经费 + 公用经费 = {_amt(both)}（本年决算数），基本支出（全年执行数）未填写："  # type: ignore[arg-type]
            "请补充填写基本支出",
            "basic",
        )


def _executed_missing(r: Report) -> Iterator[tuple[Place, str, str]]:
    """Projects with a budget and no 执行数, when no 项目支出 total is given to set them against
    (then :func:`_projects_missing` names them): 项目支出 is not printed until they are given."""
    if (
        r.budget_line("expense.project").executed is not None
        or r.control_line("project").final is not None
    ):
        return
    missing = [i for i, p in enumerate(r.projects) if calc.executed_missing(p)]
    if not missing:
        return
    first = r.projects[missing[0]]
    budget = first.full_year_budget if first.full_year_budget is not None else first.initial_budget
    yield (
        _project_place(first, missing[0], "executed"),
        f"{len(missing)} 个项目（{_names(r, missing)}）有预算（如“{first.name}” {_amt(budget)}）"  # type: ignore[arg-type]
        "而全年执行数未填写，项目支出的执行数合计无法算出，暂不打印：请补充填写（未支出的填 0）",
        "projects:executed",
    )


def _projects_missing(r: Report) -> Iterator[tuple[Place, str, str]]:
    """项目支出 against the itemised projects, when some figures are not given."""
    for s in _project_sums(r):
        if _exceeds(s.given, s.total) or amounts_agree(s.given, s.total):
            continue
        what = PROJECT_FIELDS[s.column]
        if s.missing:
            yield (
                _project_place(r.projects[s.missing[0]], s.missing[0], s.column),
                f"{s.total_label}为 {_amt(s.total)}，{len(s.missing)} 个项目（{_names(r, s.missing)}）的"
                f"{what}未填写，已填的 {s.count} 个项目合计 {_amt(s.given)}，无法核对：请补充填写",
                f"projects:{s.detail or s.column}",
            )
        elif s.selection:
            yield (
                s.total_place,
                f"{s.total_label}为 {_amt(s.total)}，已列出的 {s.count} 个项目的{what}合计 "
                f"{_amt(s.given)}，其余 {_amt(s.total - s.given)}未逐项列出：如项目已全部列出，请核对",
                f"projects:{s.detail or s.column}",
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

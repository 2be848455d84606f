"""Ranges: scores within their weights, no negatives, figures within their budgets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from perfdesk.domain import calc, scoring
from perfdesk.domain.audit.core import (
    _FUND_LABELS,
    BUDGET_COLUMNS,
    DEPARTMENT_ONLY,
    PROJECT_FIELDS,
    Place,
    Severity,
    _amt,
    _Audit,
    _budget_place,
    _control_place,
    _indicator_name,
    _indicator_place,
    _project_place,
    _rule,
    _scoring_scopes,
)
from perfdesk.domain.model import (
    BUDGET_LINE_KEYS,
    CONTROL_LINE_KEYS,
    PROJECT_SOURCE_KEYS,
)
from perfdesk.domain.numbers import format_percent, format_plain

# --- ranges --------------------------------------------------------------------------------------


@_rule(
    "range.score_above_weight",
    Severity.ERROR,
    "得分超过分值",
    "任何得分（含预算执行率得分）不超过其分值",
)
def _score_above_weight(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    for who, _groups, indicators, project, index in _scoring_scopes(r):
        weight = r.execution_weight if project is None else project.execution_weight
        entered = r.execution_score if project is None else project.execution_score
        if weight is not None and entered is not None and entered > weight:
            place = (
                Place("indicators", "report", "execution_score", None, "execution_score")
                if project is None
                else _project_place(project, index or 0, "execution_score")
            )
            yield (
                place,
                f"{who}：预算执行率得分 {format_plain(entered)} 分超过分值 {format_plain(weight)} 分",
                "",
            )
        for row, ind in enumerate(indicators):
            if ind.weight is not None and ind.score is not None and ind.score > ind.weight:
                yield (
                    _indicator_place(ind, row, project, index, "score"),
                    f"{who}：指标{_indicator_name(ind)}得分 {format_plain(ind.score)} 分超过分值 "
                    f"{format_plain(ind.weight)} 分",
                    "",
                )


@_rule(
    "range.qualitative_band",
    Severity.HINT,
    "定性得分档次",
    "定性指标录入的得分落在所选评价档次之外（如“达成年度指标”却得分不足分值的 80%）",
)
def _qualitative_band(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for who, _groups, indicators, project, index in _scoring_scopes(a.report):
        for row, ind in enumerate(indicators):
            band = scoring.qualitative_range(ind)
            if band is None or ind.score is None or band[0] <= ind.score <= band[1]:
                continue
            yield (
                _indicator_place(ind, row, project, index, "score"),
                f"{who}：指标{_indicator_name(ind)}评为“{ind.grade.value}”（{format_plain(band[0])}–"  # type: ignore[union-attr]
                f"{format_plain(band[1])} 分），录入得分 {format_plain(ind.score)} 分不在此档内",
                "",
            )


_NEGATIVE_ALLOWED = {("control_lines", "basic_adjustment")}  # 预算调整 may be a reduction


def _negatives(obj: object, fields: Iterable[str]) -> Iterator[tuple[str, Decimal]]:
    for name in fields:
        value = getattr(obj, name, None)
        if isinstance(value, Decimal) and value < 0:
            yield name, value


_FIELD_LABELS = {
    **BUDGET_COLUMNS,
    **PROJECT_FIELDS,
    "budget": "本年预算数",
    "final": "本年决算数",
    "personnel_expense": "人员经费",
    "general_public_expenditure": "一般公共预算财政拨款支出",
    "project_carryover": "项目结余结转",
    "income": "决算收入",
    "expenditure": "决算支出",
    "approved_area": "批复规模",
    "actual_area": "实际规模",
    "budget_investment": "预算投资",
    "actual_investment": "实际投资",
    "weight": "分值",
    "score": "得分",
    "execution_weight": "预算执行率分值",
    "execution_score": "预算执行率得分",
}


@_rule(
    "range.negative",
    Severity.ERROR,
    "负数",
    "金额、分值、得分、面积不为负（部门基本支出预算调整除外）",
)
def _negative(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report

    def say(place: Place, what: str, value: Decimal) -> tuple[Place, str, str]:
        return place, f"{what}为负数（{format_plain(value)}），此处不能为负", place.field or ""

    for name, v in _negatives(
        r,
        (
            "personnel_expense",
            "general_public_expenditure",
            "project_carryover",
            "execution_weight",
            "execution_score",
        ),
    ):
        tab = "indicators" if name.startswith("execution") else "funds"
        yield say(Place(tab, "report", name, None, name), _FIELD_LABELS[name], v)
    for row, line in enumerate(r.budget_lines):
        for name, v in _negatives(line, BUDGET_COLUMNS):
            yield say(
                Place("funds", "budget_lines", line.key, row, name),
                f"{BUDGET_LINE_KEYS.get(line.key, line.key)}的{_FIELD_LABELS[name]}",
                v,
            )
    for row, cl in enumerate(r.control_lines):
        if ("control_lines", cl.key) in _NEGATIVE_ALLOWED:
            continue
        for name, v in _negatives(cl, ("prior_final", "budget", "final")):
            yield say(
                Place("funds", "control_lines", cl.key, row, name),
                f"{CONTROL_LINE_KEYS.get(cl.key, cl.key)}的{_FIELD_LABELS[name]}",
                v,
            )
    for row, fund in enumerate(r.special_funds):
        for name, v in _negatives(fund, ("initial_budget", "income", "expenditure")):
            yield say(
                Place("funds", "special_funds", fund.kind.value, row, name),
                f"{_FUND_LABELS[fund.kind]}的{_FIELD_LABELS[name]}",
                v,
            )
    for row, b in enumerate(r.buildings):
        for name, v in _negatives(
            b, ("approved_area", "actual_area", "budget_investment", "actual_investment")
        ):
            yield say(
                Place("funds", "buildings", b.name, row, name),
                f"楼堂馆所“{b.name}”的{_FIELD_LABELS[name]}",
                v,
            )
    for i, p in enumerate(r.projects):
        for name, v in _negatives(p, (*PROJECT_FIELDS, "execution_weight", "execution_score")):
            yield say(_project_place(p, i, name), f"项目“{p.name}”的{_FIELD_LABELS[name]}", v)
        for line in p.sources:
            for name, v in _negatives(line, BUDGET_COLUMNS):
                yield say(
                    Place("projects", "project_sources", f"{p.name}/{line.key}", i, name, i),
                    f"项目“{p.name}”{PROJECT_SOURCE_KEYS.get(line.key, line.key)}的{_FIELD_LABELS[name]}",
                    v,
                )
    for who, groups, indicators, project, index in _scoring_scopes(r):
        for row, g in enumerate(groups):
            for name, v in _negatives(g, ("weight",)):
                place = (
                    Place("indicators", "groups", g.name, row, name)
                    if project is None
                    else Place(
                        "projects", "project_groups", f"{project.name}/{g.name}", row, name, index
                    )
                )
                yield say(place, f"{who}“{g.name}”的分值", v)
        for row, ind in enumerate(indicators):
            for name, v in _negatives(ind, ("weight", "score")):
                yield say(
                    _indicator_place(ind, row, project, index, name),
                    f"{who}指标{_indicator_name(ind)}的{_FIELD_LABELS[name]}",
                    v,
                )


@_rule(
    "range.staff_control",
    Severity.HINT,
    "人员超编",
    "实有在职人数超过编制数（控制率超过 100%）须有说明",
    kinds=DEPARTMENT_ONLY,
)
def _staff_control(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    rate = calc.staff_control_rate(r)
    if rate is not None and rate > 1:
        yield (
            Place("staffing", "report", "actual_staff", None, "actual_staff"),
            f"实有在职人数 {r.actual_staff} 人超过编制数 {calc.establishment_total(r)} 人"
            f"（控制率 {format_percent(rate)}），请说明原因",
            "",
        )


@_rule(
    "range.three_public",
    Severity.HINT,
    "三公经费超预算",
    "三公经费本年决算超过本年预算（完成率超过 100%）须有说明",
    kinds=DEPARTMENT_ONLY,
)
def _three_public(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    line = calc.three_public_line(a.report)
    if line.final is None or line.budget is None or line.final <= line.budget:
        return
    rate = calc.three_public_completion(a.report)
    shown = f"完成预算的 {format_percent(rate)}" if rate is not None else "预算为0"
    yield (
        Place("funds", "control_lines", "three_public", None, "final"),
        f"三公经费本年决算 {_amt(line.final)}超过本年预算 {_amt(line.budget)}（{shown}），请说明原因",
        "",
    )


@_rule(
    "range.over_budget",
    Severity.HINT,
    "超预算执行",
    "年度资金总额、各分项或某个项目的全年执行数超过全年预算数（执行率超过 100%）须有说明",
)
def _over_budget(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    for line in r.budget_lines:
        if (
            line.executed is not None
            and line.full_year_budget is not None
            and line.executed > line.full_year_budget
        ):
            yield (
                _budget_place(r, line.key, "executed"),
                f"{BUDGET_LINE_KEYS.get(line.key, line.key)}全年执行数 {_amt(line.executed)}超过全年预算数 "
                f"{_amt(line.full_year_budget)}（执行率 {format_percent(calc.line_execution_rate(line))}），请说明原因",
                "",
            )
    for i, p in enumerate(r.projects):
        if (
            p.executed is not None
            and p.full_year_budget is not None
            and p.executed > p.full_year_budget
        ):
            yield (
                _project_place(p, i, "executed"),
                f"项目“{p.name}”全年执行数 {_amt(p.executed)}超过全年预算数 {_amt(p.full_year_budget)}"
                f"（执行率 {format_percent(calc.project_execution_rate(p))}），请说明原因",
                "",
            )


@_rule(
    "range.building",
    Severity.HINT,
    "楼堂馆所超标",
    "楼堂馆所实际规模或实际投资超过批复规模或预算投资须有说明",
    kinds=DEPARTMENT_ONLY,
)
def _building(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for row, b in enumerate(a.report.buildings):
        area = calc.building_area_rate(b)
        if area is not None and area > 1:
            yield (
                Place("funds", "buildings", b.name, row, "actual_area"),
                f"楼堂馆所“{b.name}”实际规模 {format_plain(b.actual_area)}㎡ 超过批复规模 "
                f"{format_plain(b.approved_area)}㎡（规模控制率 {format_percent(area)}），请说明原因",
                "actual_area",
            )
        money = calc.building_investment_rate(b)
        if money is not None and money > 1:
            yield (
                Place("funds", "buildings", b.name, row, "actual_investment"),
                f"楼堂馆所“{b.name}”实际投资 {_amt(b.actual_investment)}超过预算投资 "  # type: ignore[arg-type]
                f"{_amt(b.budget_investment)}（投资概算控制率 {format_percent(money)}），请说明原因",  # type: ignore[arg-type]
                "actual_investment",
            )


BUDGET_CHANGE_SHARE = Decimal("0.2")
"""A change of the budget is large above 20 % of its base (our choice, docs/report-format.md §5):
the provinces' 部门整体支出 indicator tables score 预算调整率 / 预算控制率 down to nothing between
10 % and 30 %, so a change of a fifth is one a reader of the report will ask about."""
BUDGET_CHANGE_MIN = Decimal("1")
"""…and of at least 1 万元, so that small lines (三公 0.3 → 0.13) do not count as large changes."""


def _large_change(before: Decimal | None, after: Decimal | None) -> bool:
    if before is None or after is None:
        return False
    difference = abs(after - before)
    if difference < BUDGET_CHANGE_MIN:
        return False
    return before == 0 or difference > BUDGET_CHANGE_SHARE * abs(before)


def _change_words(before: Decimal, after: Decimal) -> str:
    direction = "增加" if after > before else "减少"
    rate = calc.ratio(abs(after - before), before)
    share = f"（{format_percent(rate)}）" if rate is not None else "（从 0 起）"
    return f"{direction} {_amt(abs(after - before))}{share}"


@_rule(
    "range.budget_change",
    Severity.HINT,
    "预算调整较大",
    "全年预算数与年初预算数相差、或公用经费和项目支出的本年决算数与本年预算数相差超过 20%（且至少 1 万元），"
    "而“部门基本支出预算调整”未填写：请填写调整数并说明调整原因",
    kinds=DEPARTMENT_ONLY,
)
def _budget_change(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    adjustment = r.control_line("basic_adjustment")
    if adjustment.budget is not None or adjustment.final is not None:
        return  # the clerk has stated the adjustment; its reason is theirs to write
    place = _control_place(r, "basic_adjustment", "budget")
    total = r.budget_line("total")
    public = r.control_line("public")
    project = calc.project_total_line(r)
    cases = (
        (
            "total",
            "年度资金总额全年预算数",
            "年初预算数",
            total.initial_budget,
            total.full_year_budget,
        ),
        ("public", "公用经费本年决算数", "本年预算数", public.budget, public.final),
        ("project", "项目支出本年决算数", "本年预算数", project.budget, project.final),
    )
    for detail, what, base_name, before, after in cases:
        if not _large_change(before, after):
            continue
        yield (
            place,
            f"{what} {_amt(after)}比{base_name} {_amt(before)}{_change_words(before, after)}，"  # type: ignore[arg-type]
            "而“部门基本支出预算调整”未填写：请填写调整数，并在报告中说明调整原因",
            detail,
        )

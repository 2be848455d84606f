"""审核: the checks that a report's figures agree with each other, before it is printed.

:func:`audit` runs every rule on a report snapshot (and, for the across-years rule, last year's
report) and returns :class:`Finding` objects: which rule, how serious, where (a :class:`Place` the
UI jumps to), a plain Chinese message naming the place and the figures, and the clerk's 说明
(:class:`~perfdesk.domain.model.Note`) when one accepts it. A 错误 must be fixed or explained;
a 提示 may be accepted with a 说明 that is kept with the report. Sums tolerate the 0.01 万元 尾差.
Every figure comes from :mod:`perfdesk.domain.calc` and :mod:`perfdesk.domain.scoring`, the same
functions the app and the PDF print from.

The rules (this table is :func:`docs_table`; a test keeps the two identical):

| 规则 | 级别 | 名称 | 检查内容 |
|---|---|---|---|
| `sum.income_parts` | 错误 | 收入分项合计 | 按收入性质分（一般公共预算、政府性基金拨款、纳入专户管理的非税收入拨款、其他资金）之和等于年度资金总额；年初预算数、全年预算数、全年执行数逐列检查，只查填了分项的列 |
| `sum.expense_parts` | 错误 | 支出分项合计 | 基本支出 + 项目支出等于年度资金总额，逐列检查 |
| `sum.basic_expense` | 错误 | 基本支出构成 | 基本支出（全年执行数）等于人员经费 + 公用经费（本年决算数） |
| `sum.project_rows` | 错误 | 项目合计 | 各项目全年执行数之和等于项目支出（全年执行数） |
| `sum.project_sources` | 错误 | 项目资金来源 | 项目的当年财政拨款 + 上年结转资金 + 其他资金等于该项目的年度资金总额，逐列检查 |
| `sum.group_weights` | 错误 | 一级指标分值 | 每个一级指标下各指标分值之和等于该一级指标的分值（整体自评表和每个项目自评表） |
| `sum.total_weight` | 错误 | 分值合计 | 预算执行率分值 + 全部指标分值等于 100 |
| `formula.execution_rate_text` | 错误 | 文中执行率 | 文字中“执行率”后写的百分比等于全年执行数 ÷ 全年预算数；若它其实是按年初预算数算的，会说明 |
| `formula.execution_basis` | 提示 | 执行率口径 | 年初预算数与全年预算数不同，而录入的预算执行率得分低于按全年预算数算出的建议得分：执行率应以全年预算数为分母 |
| `range.score_above_weight` | 错误 | 得分超过分值 | 任何得分（含预算执行率得分）不超过其分值 |
| `range.qualitative_band` | 提示 | 定性得分档次 | 定性指标录入的得分落在所选评价档次之外（如“达成年度指标”却得分不足分值的 80%） |
| `range.negative` | 错误 | 负数 | 金额、分值、得分、面积不为负（部门基本支出预算调整除外） |
| `range.staff_control` | 提示 | 人员超编 | 实有在职人数超过编制数（控制率超过 100%）须有说明 |
| `range.three_public` | 提示 | 三公经费超预算 | 三公经费本年决算超过本年预算（完成率超过 100%）须有说明 |
| `range.over_budget` | 提示 | 超预算执行 | 年度资金总额、各分项或某个项目的全年执行数超过全年预算数（执行率超过 100%）须有说明 |
| `range.building` | 提示 | 楼堂馆所超标 | 楼堂馆所实际规模或实际投资超过批复规模或预算投资须有说明 |
| `complete.deviation_reason` | 错误 | 偏差原因 | 得分低于分值的指标须填写偏差原因分析及改进措施 |
| `complete.header` | 错误 | 报告信息 | 打印前须填写单位名称、年度、报告日期和填表人 |
| `years.prior_final` | 提示 | 上年决算数 | 经费控制表各行和各项目的上年决算数等于上年报告中的本年决算数（项目按名称对应） |
| `text.project_amount` | 错误 | 文中项目金额 | 文字中紧跟项目名称（或其简称）写的金额等于该项目的相应数字 |
| `text.total_amount` | 错误 | 文中合计金额 | 文字中紧跟合计名称（项目支出、基本支出、人员经费、公用经费、三公经费、财政拨款收入、年初预算等）写的金额等于该数字 |
| `text.growth_from_zero` | 错误 | 从零增长 | 上年为 0 的数字，文字中不能写增长百分比（如“增长100%”），应写“上年为0” |

Not rules, because the program computes the figure and so it cannot disagree: 三公经费 = its parts,
总分 = the sum of the scores, a stored 执行率 (none is stored; text is checked instead).

A finding's :attr:`Finding.place_id` (entity, key, field and what distinguishes it, never a row
index) is what a :class:`~perfdesk.domain.model.Note` records in ``place``, so a 说明 stays with its
finding when rows are added or moved.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from perfdesk.domain import calc, scoring
from perfdesk.domain.model import (
    BUDGET_LINE_KEYS,
    CONTROL_LINE_KEYS,
    EXPENSE_KEYS,
    INCOME_KEYS,
    LIST_KEYS,
    PROJECT_SOURCE_KEYS,
    PUBLIC_PART_KEYS,
    THREE_PUBLIC_KEYS,
    Indicator,
    IndicatorGroup,
    Note,
    Project,
    Report,
    Section,
    SpecialFundKind,
)
from perfdesk.domain.numbers import amounts_agree, format_amount, format_percent, format_plain
from perfdesk.domain.textcheck import Reading, TextContext, TextReader, normalise_name

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


@dataclass(frozen=True)
class Rule:
    """A named check: its id, how serious its findings are, and what it checks (for the README)."""

    id: str
    severity: Severity
    title: str
    description: str
    check: Callable[[_Audit], Iterable[tuple[Place, str, str]]]


RULES: list[Rule] = []
"""Every rule, in the order the audit runs them and the README lists them."""


def _rule(rule_id: str, severity: Severity, title: str, description: str):  # noqa: ANN202
    def register(check: Callable[[_Audit], Iterable[tuple[Place, str, str]]]):  # noqa: ANN202
        RULES.append(Rule(rule_id, severity, title, description, check))
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
    def text_mismatches(self) -> list[tuple[Place, str, Reading]]:
        reader = TextReader(self.report)
        out: list[tuple[Place, str, Reading]] = []
        for place, where, text, ctx in _texts(self.report):
            if text.strip():
                out.extend((place, where, m) for m in reader.check(text, ctx))
        return out


def audit(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding on ``report``; ``previous`` is last year's report of the same unit, if known.

    Findings come in rule order; each carries the clerk's 说明 (``report.notes``) that matches its
    rule and :attr:`Finding.place_id`, if there is one with text.
    """
    run = _Audit(report, previous)
    notes = {(n.rule, n.place): n for n in report.notes if n.text.strip()}
    findings: list[Finding] = []
    for r in RULES:
        for place, message, detail in r.check(run):
            f = Finding(r.id, r.severity, place, message, detail)
            note = notes.get((f.rule, f.place_id))
            findings.append(dataclasses.replace(f, resolved_by=note) if note else f)
    return findings


def unresolved_errors(findings: Iterable[Finding]) -> list[Finding]:
    """The 错误 with no 说明: printing should ask first, ``perfdesk audit`` exits 1."""
    return [f for f in findings if f.severity == Severity.ERROR and f.resolved_by is None]


def format_findings(findings: Iterable[Finding]) -> str:
    """One line per finding: ``[错误] 规则 — message``; an explained one is marked 已说明."""
    lines = []
    for f in findings:
        if f.resolved_by is not None:
            lines.append(
                f"[{f.severity.value}·已说明] {f.rule} — {f.message}（说明：{f.resolved_by.text.strip()}）"
            )
        else:
            lines.append(f"[{f.severity.value}] {f.rule} — {f.message}")
    return "\n".join(lines)


def docs_table() -> str:
    """The rules as a Markdown table (the README copies it)."""
    rows = ["| 规则 | 级别 | 名称 | 检查内容 |", "|---|---|---|---|"]
    rows += [f"| `{r.id}` | {r.severity.value} | {r.title} | {r.description} |" for r in RULES]
    return "\n".join(rows)


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
    """The report's own self-evaluation and each project's: (who, groups, indicators, project, index)."""
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
    """Every free text of the report: (place, how a message names it, text, reading context)."""
    for i, s in enumerate(report.sections):
        yield (
            Place("text", "sections", s.key, i, "text"),
            section_label(report, s),
            s.text,
            TextContext(section=s.key),
        )
    for key, items in report.lists.items():
        for i, item in enumerate(items):
            label = f"{LIST_KEYS.get(key, key)}第 {i + 1} 条"
            yield Place("text", "lists", key, i, "text"), label, item.text, TextContext()
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
    for i, p in enumerate(report.projects):
        for name, label in TEXT_FIELDS.items():
            yield (
                _project_place(p, i, name),
                f"项目“{p.name}”的{label}",
                getattr(p, name),
                TextContext(project=i),
            )


_FUND_LABELS = {
    SpecialFundKind.GOV_FUND: "政府性基金预算",
    SpecialFundKind.STATE_CAPITAL: "国有资本经营预算",
    SpecialFundKind.SOCIAL_INSURANCE: "社会保险基金预算",
}


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
    ] = [
        (
            Place("indicators", "report", "execution_score", None, "execution_score"),
            "部门整体支出绩效自评表",
            r.execution_weight,
            score,
            line.initial_budget,
            line.full_year_budget,
            line.executed,
        ),
    ]
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


# --- completeness --------------------------------------------------------------------------------


@_rule(
    "complete.deviation_reason",
    Severity.ERROR,
    "偏差原因",
    "得分低于分值的指标须填写偏差原因分析及改进措施",
)
def _deviation_reason(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for who, _groups, indicators, project, index in _scoring_scopes(a.report):
        for row, ind in enumerate(indicators):
            value = scoring.indicator_score(ind).value
            if (
                ind.weight is None
                or value is None
                or value >= ind.weight
                or ind.deviation_reason.strip()
            ):
                continue
            yield (
                _indicator_place(ind, row, project, index, "deviation_reason"),
                f"{who}：指标{_indicator_name(ind)}得分 {format_plain(value)} 分低于分值 "
                f"{format_plain(ind.weight)} 分，但“偏差原因分析及改进措施”为空",
                "",
            )


HEADER_FIELDS = {
    "unit_name": "单位名称",
    "year": "年度",
    "report_date": "报告日期",
    "preparer": "填表人",
}


@_rule(
    "complete.header", Severity.ERROR, "报告信息", "打印前须填写单位名称、年度、报告日期和填表人"
)
def _header(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    for name, label in HEADER_FIELDS.items():
        value = getattr(r, name)
        if name == "year":
            missing = not isinstance(value, int) or not 1990 <= value <= 2100
        else:
            missing = value is None or (isinstance(value, str) and not value.strip())
        if missing:
            place = Place("staffing", "report", name, None, name)
            if name == "year":
                yield place, f"年度“{value}”不是有效的年份，打印前请改正", ""
            else:
                yield place, f"“{label}”未填写，打印前请填写", ""


# --- across years --------------------------------------------------------------------------------

_PRIOR_KEYS = (*THREE_PUBLIC_KEYS, "public", *PUBLIC_PART_KEYS)
"""附件1 rows with a 上年决算数 column (政府采购 and 预算调整 print —— there)."""


def _prior_message(what: str, current: Decimal | None, previous: Decimal, year: int) -> str:
    shown = _amt(current) if current is not None else "未填写"
    return f"{what}的上年决算数 {shown}，而 {year}年度报告中的本年决算数为 {_amt(previous)}"


@_rule(
    "years.prior_final",
    Severity.HINT,
    "上年决算数",
    "经费控制表各行和各项目的上年决算数等于上年报告中的本年决算数（项目按名称对应）",
)
def _prior_final(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r, prev = a.report, a.previous
    if prev is None or prev.year != r.year - 1:
        return

    def differs(current: Decimal | None, previous: Decimal | None) -> bool:
        if previous is None:
            return False
        if current is None:
            return previous != 0
        return not amounts_agree(current, previous)

    for key in _PRIOR_KEYS:
        current, previous = r.control_line(key).prior_final, prev.control_line(key).final
        if differs(current, previous):
            yield (
                _control_place(r, key, "prior_final"),
                _prior_message(
                    f"经费控制表“{CONTROL_LINE_KEYS[key]}”", current, previous, prev.year
                ),  # type: ignore[arg-type]
                "",
            )
    last_year = {normalise_name(p.name): p for p in prev.projects}
    for i, p in enumerate(r.projects):
        old = last_year.get(normalise_name(p.name))
        if old is not None and differs(p.prior_final, old.executed):
            yield (
                _project_place(p, i, "prior_final"),
                _prior_message(f"项目“{p.name}”", p.prior_final, old.executed, prev.year),  # type: ignore[arg-type]
                "",
            )


# --- text against figures ------------------------------------------------------------------------


def _amount_message(where: str, m: Reading) -> str:
    label, figure = m.figure  # type: ignore[misc]
    written = m.written.value
    return f"{where}：“{m.written.quote}”与{label} {_amt(figure)}不一致{_differ(written, figure)}"


@_rule(
    "text.project_amount",
    Severity.ERROR,
    "文中项目金额",
    "文字中紧跟项目名称（或其简称）写的金额等于该项目的相应数字",
)
def _text_project_amount(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, m in a.text_mismatches:
        if m.kind == "amount" and m.subject.project is not None:
            yield place, _amount_message(where, m), m.written.quote


@_rule(
    "text.total_amount",
    Severity.ERROR,
    "文中合计金额",
    "文字中紧跟合计名称（项目支出、基本支出、人员经费、公用经费、三公经费、财政拨款收入、年初预算等）写的金额等于该数字",
)
def _text_total_amount(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, m in a.text_mismatches:
        if m.kind == "amount" and m.subject.project is None:
            yield place, _amount_message(where, m), m.written.quote


@_rule(
    "text.growth_from_zero",
    Severity.ERROR,
    "从零增长",
    "上年为 0 的数字，文字中不能写增长百分比（如“增长100%”），应写“上年为0”",
)
def _text_growth_from_zero(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, m in a.text_mismatches:
        if m.kind == "growth":
            yield (
                place,
                f"{where}：“{m.written.quote}”——{m.subject.name}上年决算数为 0，从零起算没有增长率，"
                f"应写“{calc.NO_RATE_FROM_ZERO}”或只写增加额",
                m.written.quote,
            )

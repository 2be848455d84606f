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
| `sum.income_parts` | 错误 | 收入分项合计 | 按收入性质分（一般公共预算、政府性基金拨款、纳入专户管理的非税收入拨款、其他资金）之和等于年度资金总额；年初预算数、全年预算数、全年执行数逐列检查，只查填了分项的列，未填的分项视为没有该项收入 |
| `sum.expense_parts` | 错误 | 支出分项合计 | 基本支出 + 项目支出等于年度资金总额，逐列检查；只填了其中一项时，该项不能超过年度资金总额 |
| `sum.basic_expense` | 错误 | 基本支出构成 | 基本支出（全年执行数）等于人员经费 + 公用经费（本年决算数）；只填了其中一项时，该项不能超过基本支出 |
| `sum.project_rows` | 错误 | 项目合计 | 各项目全年执行数之和等于项目支出（全年执行数）；附件1的项目支出按总额填写时，各项目的上年决算数、全年预算数、全年执行数之和分别不超过它（未逐项列出的项目由 sum.parts_missing 提示） |
| `sum.project_total` | 错误 | 两表项目支出 | 附件1的项目支出（本年决算数）等于附件2的项目支出（全年执行数），两处都填了时 |
| `sum.project_sources` | 错误 | 项目资金来源 | 项目的当年财政拨款 + 上年结转资金 + 其他资金等于该项目的年度资金总额，逐列检查 |
| `sum.parts_missing` | 提示 | 分项未填 | 合计与分项只填了一部分、无法核对时请补充填写：年度资金总额未填而收入或支出分项已填；基本支出、项目支出只填了一项；人员经费、公用经费只填了一项或基本支出未填；项目资金来源已填而年度资金总额未填；项目支出的合计多于已列出（或已填数字）的项目之和 |
| `sum.group_weights` | 错误 | 一级指标分值 | 每个一级指标下各指标分值之和等于该一级指标的分值（整体自评表和每个项目自评表） |
| `sum.total_weight` | 错误 | 分值合计 | 预算执行率分值 + 全部指标分值等于 100 |
| `fund.none_contradicted` | 错误 | 基金“无”与数字矛盾 | 第三至五部分选“无”（本部门无该项预算安排），而附件2的政府性基金拨款大于 0，或该部分自己填的年初预算、决算收入、决算支出大于 0 |
| `fund.figures_missing` | 提示 | 基金情况未填 | 第三至五部分选“有”却没有填年初预算、决算收入、决算支出；或已填了数字、附件2有政府性基金拨款，而该部分“未说明”：请补充填写 |
| `formula.execution_rate_text` | 错误 | 文中执行率 | 文字中“执行率”后写的百分比等于全年执行数 ÷ 全年预算数；若它其实是按年初预算数算的，会说明 |
| `formula.execution_basis` | 提示 | 执行率口径 | 年初预算数与全年预算数不同，而录入的预算执行率得分低于按全年预算数算出的建议得分：执行率应以全年预算数为分母 |
| `formula.growth_rate_text` | 错误 | 文中增长率 | 文字中写的增长率或下降率（如“增长31.39%”）等于按上年数算出的变动率：上年数取自上年决算数（本年决算数 ÷ 上年决算数 − 1），或同一处写出的本年数和增减额（增减额 ÷ 上年数） |
| `formula.completion_rate_text` | 错误 | 文中完成率 | 文字中写的预算完成率（如三公经费“完成预算的43%”）等于本年决算数 ÷ 本年预算数（附件2的各行和项目为全年执行数 ÷ 全年预算数） |
| `range.score_above_weight` | 错误 | 得分超过分值 | 任何得分（含预算执行率得分）不超过其分值 |
| `range.qualitative_band` | 提示 | 定性得分档次 | 定性指标录入的得分落在所选评价档次之外（如“达成年度指标”却得分不足分值的 80%） |
| `range.negative` | 错误 | 负数 | 金额、分值、得分、面积不为负（部门基本支出预算调整除外） |
| `range.staff_control` | 提示 | 人员超编 | 实有在职人数超过编制数（控制率超过 100%）须有说明 |
| `range.three_public` | 提示 | 三公经费超预算 | 三公经费本年决算超过本年预算（完成率超过 100%）须有说明 |
| `range.over_budget` | 提示 | 超预算执行 | 年度资金总额、各分项或某个项目的全年执行数超过全年预算数（执行率超过 100%）须有说明 |
| `range.building` | 提示 | 楼堂馆所超标 | 楼堂馆所实际规模或实际投资超过批复规模或预算投资须有说明 |
| `range.budget_change` | 提示 | 预算调整较大 | 全年预算数与年初预算数相差、或公用经费和项目支出的本年决算数与本年预算数相差超过 20%（且至少 1 万元），而“部门基本支出预算调整”未填写：请填写调整数并说明调整原因 |
| `complete.deviation_reason` | 错误 | 偏差原因 | 得分低于分值的指标须填写偏差原因分析及改进措施 |
| `complete.header` | 错误 | 报告信息 | 打印前须填写单位名称、年度、报告日期和填表人 |
| `complete.scores` | 提示 | 未完成评分 | 自评表已填分值，而有的指标（或预算执行率）没有得分（未录入，也无法按评分规则算出建议得分）：评完之前总分和自评等级不打印（未完成评分） |
| `years.prior_final` | 提示 | 上年决算数 | 经费控制表各行和各项目的上年决算数等于上年报告中的本年决算数（项目按名称对应） |
| `text.project_amount` | 错误 | 文中项目金额 | 文字中紧跟项目名称（或其简称）写的金额等于该项目的相应数字 |
| `text.total_amount` | 错误 | 文中合计金额 | 文字中紧跟合计名称（项目支出、基本支出、人员经费、公用经费、三公经费、财政拨款收入、年初预算等）写的金额等于该数字 |
| `text.growth_from_zero` | 错误 | 从零增长 | 上年为 0 的数字，文字中不能写增长百分比（如“增长100%”），应写“上年为0” |
| `text.parts_sum` | 错误 | 文中分项合计 | 文字中“其中”后列出的金额与前面写的合计一致：逐项分配（“a万元用于…，b万元用于…”）的合计等于它，列举名目的合计不超过它（尾差 0.01 万元） |

Not rules, because the program computes the figure and so it cannot disagree: 三公经费 = its parts,
总分 = the sum of the scores, a stored 执行率 (none is stored; text is checked instead).

A finding's :attr:`Finding.place_id` (entity, key, field and what distinguishes it, never a row
index) is what a :class:`~perfdesk.domain.model.Note` records in ``place``, so a 说明 stays with its
finding when rows are added or moved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from perfdesk.domain.audit import completeness, formulas, funds, ranges, sums, text, years
from perfdesk.domain.audit.core import (
    RULES,
    TABS,
    Finding,
    Place,
    Rule,
    Severity,
    _Audit,
    _texts,
    rule,
    section_label,
)
from perfdesk.domain.model import Report, ReportKind

RULE_MODULES = (sums, funds, formulas, ranges, completeness, years, text)
"""The kinds of rule, in the order they run and the README lists them (importing registers them).
A new rule goes into the module of its kind; a new kind is a new module added here."""

RULES.sort(key=lambda r: [m.__name__ for m in RULE_MODULES].index(r.check.__module__))  # stable

__all__ = [
    "RULES",
    "RULE_MODULES",
    "TABS",
    "Finding",
    "Place",
    "Rule",
    "Severity",
    "_texts",
    "audit",
    "docs_table",
    "format_findings",
    "rule",
    "rules_for",
    "section_label",
    "unresolved_errors",
]


def audit(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding on ``report``; ``previous`` is last year's report of the same unit, if known.

    Findings come in rule order; each carries the clerk's 说明 (``report.notes``) that matches its
    rule and :attr:`Finding.place_id`, if there is one with text.
    """
    run = _Audit(report, previous)
    notes = {(n.rule, n.place): n for n in report.notes if n.text.strip()}
    findings: list[Finding] = []
    for r in rules_for(report.kind):
        for place, message, detail in r.check(run):
            f = Finding(r.id, r.severity, place, message, detail)
            note = notes.get((f.rule, f.place_id))
            findings.append(dataclasses.replace(f, resolved_by=note) if note else f)
    return findings


def rules_for(kind: ReportKind) -> list[Rule]:
    """The rules run on a report of ``kind``, in order (a 项目支出绩效自评报告 skips the department
    report's own: 附件1, 附件2's lines, sections 三–五, staffing, 三公, buildings)."""
    return [r for r in RULES if kind in r.kinds]


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

"""The cross-unit 审核 of a summary: what no single unit's report can show.

Findings are :class:`~perfdesk.domain.audit.Finding` objects, as in a report's own 审核: a 错误 must
be fixed or explained, a 提示 may be accepted, and a 说明 (a :class:`~perfdesk.domain.model.Note`
whose ``rule`` and ``place`` are the finding's rule and :attr:`~Finding.place_id`) is kept with
the database for that year's summary (``summary_note``) and marks the finding 已说明.

The rules (this table is :func:`docs_table`; a test keeps the README's copy identical):

| 规则 | 级别 | 名称 | 检查内容 |
|---|---|---|---|
| `units.missing` | 错误 | 应报未报 | 应报单位名单中的单位本年度没有部门整体支出绩效自评报告（名称写法不同或省去地名前缀的，视为已报） |
| `units.unexpected` | 提示 | 不在应报名单 | 报送了部门整体支出绩效自评报告的单位不在应报单位名单中（名单为空时不检查）：名称写法可能不同，或名单需要补充 |
| `units.duplicate` | 错误 | 疑似重复报送 | 两份部门整体支出绩效自评报告看来是同一单位以不同名称报送（判断规则见 README“同一单位的判断”），合计会重复计算 |
| `units.open_errors` | 错误 | 单位报告有未处理错误 | 单位的自评报告审核有既未改正也未说明的错误 |
| `units.unscored` | 提示 | 未完成评分 | 单位的整体支出绩效自评表还有未评分的指标：不计入平均分和等级分布 |
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from perfdesk.domain.audit import Finding, Place, Severity
from perfdesk.domain.model import Note
from perfdesk.summary.names import NameIndex, UnitIdentity, similar_pairs

if TYPE_CHECKING:
    from perfdesk.summary.table import Summary

TAB = "summary"


@dataclass(frozen=True)
class SummaryRule:
    id: str
    severity: Severity
    title: str
    description: str


SUMMARY_RULES: tuple[SummaryRule, ...] = (
    SummaryRule(
        "units.missing",
        Severity.ERROR,
        "应报未报",
        "应报单位名单中的单位本年度没有部门整体支出绩效自评报告（名称写法不同或省去地名前缀的，视为已报）",
    ),
    SummaryRule(
        "units.unexpected",
        Severity.HINT,
        "不在应报名单",
        "报送了部门整体支出绩效自评报告的单位不在应报单位名单中（名单为空时不检查）："
        "名称写法可能不同，或名单需要补充",
    ),
    SummaryRule(
        "units.duplicate",
        Severity.ERROR,
        "疑似重复报送",
        "两份部门整体支出绩效自评报告看来是同一单位以不同名称报送"
        "（判断规则见 README“同一单位的判断”），合计会重复计算",
    ),
    SummaryRule(
        "units.open_errors",
        Severity.ERROR,
        "单位报告有未处理错误",
        "单位的自评报告审核有既未改正也未说明的错误",
    ),
    SummaryRule(
        "units.unscored",
        Severity.HINT,
        "未完成评分",
        "单位的整体支出绩效自评表还有未评分的指标：不计入平均分和等级分布",
    ),
)


def summary_rule(rule_id: str) -> SummaryRule:
    for r in SUMMARY_RULES:
        if r.id == rule_id:
            return r
    raise KeyError(rule_id)


def docs_table() -> str:
    """The rules as a Markdown table (the README and this module's docstring copy it)."""
    rows = ["| 规则 | 级别 | 名称 | 检查内容 |", "|---|---|---|---|"]
    rows += [
        f"| `{r.id}` | {r.severity.value} | {r.title} | {r.description} |" for r in SUMMARY_RULES
    ]
    return "\n".join(rows)


def _finding(rule_id: str, entity: str, key: str, message: str) -> Finding:
    return Finding(rule_id, summary_rule(rule_id).severity, Place(TAB, entity, key), message)


def cross_unit_findings(summary: Summary, notes: Sequence[Note] = ()) -> list[Finding]:
    """Every cross-unit finding of ``summary`` in rule order, each with its 说明 if it has one."""
    year = summary.year
    found: dict[str, list[Finding]] = {r.id: [] for r in SUMMARY_RULES}

    names = [r.unit_name for r in summary.rows]
    reported = NameIndex(names)
    for name in summary.expected:
        if reported.find(name) is None:
            found["units.missing"].append(
                _finding(
                    "units.missing",
                    "expected_units",
                    name,
                    f"应报单位“{name}”没有{year}年度的部门整体支出绩效自评报告",
                )
            )
    if summary.expected:
        for row in summary.rows:
            if row.expected_position is None:
                found["units.unexpected"].append(
                    _finding(
                        "units.unexpected",
                        "units",
                        row.unit_name,
                        f"“{row.unit_name}”不在应报单位名单中（名称写法不同？或需把它加入名单）",
                    )
                )

    identities = [
        UnitIdentity(
            r.unit_name, r.facts.head, r.facts.phone, r.facts.full_year_budget, r.facts.executed
        )
        for r in summary.rows
    ]
    for i, j, why in similar_pairs(identities):
        a, b = sorted((names[i], names[j]))
        found["units.duplicate"].append(
            _finding(
                "units.duplicate",
                "duplicates",
                f"{a}｜{b}",
                f"“{a}”与“{b}”疑似同一单位重复报送：{why}。"
                "如确为同一单位，请删除多余的一份；如是不同单位，请添加说明",
            )
        )

    for row in summary.rows:
        f = row.facts
        if f.open_errors:
            kinds = "、".join(dict.fromkeys(f.error_titles))
            found["units.open_errors"].append(
                _finding(
                    "units.open_errors",
                    "units",
                    row.unit_name,
                    f"“{row.unit_name}”的自评报告有 {f.open_errors} 项未处理的审核错误"
                    + (f"（{kinds}）" if kinds else ""),
                )
            )
        if not f.scored:
            found["units.unscored"].append(
                _finding(
                    "units.unscored",
                    "units",
                    row.unit_name,
                    f"“{row.unit_name}”的整体支出绩效自评表"
                    + (
                        f"还有 {f.unscored_lines} 项未评分"
                        if f.unscored_lines
                        else "还没有评分的指标"
                    )
                    + "，不计入平均分",
                )
            )

    explained = {(n.rule, n.place): n for n in notes if n.text.strip()}
    out: list[Finding] = []
    for r in SUMMARY_RULES:
        for finding in found[r.id]:
            note = explained.get((finding.rule, finding.place_id))
            out.append(dataclasses.replace(finding, resolved_by=note) if note else finding)
    return out

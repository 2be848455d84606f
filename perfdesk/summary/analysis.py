"""The generated 自评结果汇总分析: a first draft the 主管部门 clerk edits, written from the figures.

Plain text, one paragraph per line; a line starting with ``一、`` is a heading, ``（一）`` a
sub-heading (the printout sets them in 黑体 and 楷体). It says how many units reported (and who is
missing), the funds and their execution, the grade distribution, the units with open 错误 or low
scores, and where points were most often lost. Every figure comes from the :class:`Summary`, so
it agrees with the table; blank figures are said to be missing, never counted as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from perfdesk.domain.numbers import format_amount, format_percent, round2
from perfdesk.domain.scoring import UNSCORED

if TYPE_CHECKING:
    from perfdesk.summary.table import Figure, Summary

LOW_SCORE = Decimal(80)
"""Scores below this (等级 中 or 差) are named as low."""
LOW_EXECUTION = Decimal("0.9")
"""执行率 below this is named."""
MAX_NAMES = 10
"""At most this many units are named in one sentence; the rest are counted."""
TOP_DEDUCTIONS = 5


def _names(items: Sequence[str]) -> str:
    if len(items) <= MAX_NAMES:
        return "、".join(items)
    return "、".join(items[:MAX_NAMES]) + f"等{len(items)}个单位"


def _over(fig: Figure, what: str = "") -> str:
    """``（按填报的298个单位）`` when not every unit gave the figure."""
    if not fig.partial:
        return ""
    return f"（{what or '按填报了该项的'}{fig.units}个单位）"


def _points(value: Decimal) -> str:
    return f"{format_amount(value)}分"


def generate(summary: Summary) -> str:
    """The 汇总分析 of ``summary`` as the program would write it."""
    lines: list[str] = []
    s = summary
    n = s.unit_count
    year = s.year

    lines.append("一、基本情况")
    who = f"{s.supervisor}" if s.supervisor else "本部门"
    first = f"{who}本次汇总{year}年度所属单位部门整体支出绩效自评报告{n}份"
    missing = [f.place.key for f in s.findings if f.rule == "units.missing"]
    if s.expected:
        first += f"，应报单位{len(s.expected)}个，" + (
            f"未报{len(missing)}个（{_names(missing)}）" if missing else "均已报送"
        )
    first += "。"
    if s.project_reports:
        first += f"另收到项目支出绩效自评报告{s.project_reports}份。"
    lines.append(first)

    lines.append("二、预算资金及执行情况")
    if n == 0:
        lines.append("本年度尚未汇集到单位的自评报告。")
        return "\n".join(lines)
    t = s.totals
    full, executed, rate = t["full_year_budget"], t["executed"], t["execution_rate"]
    money = []
    if full.value is not None:
        money.append(f"年度资金全年预算数合计{format_amount(full.value)}万元{_over(full)}")
    if executed.value is not None:
        money.append(f"全年执行数合计{format_amount(executed.value)}万元{_over(executed)}")
    text = "，".join(money) if money else "各单位均未填报年度资金"
    if rate.value is not None:
        text += f"，总体执行率{format_percent(rate.value)}"
        if rate.partial:
            text += f"（按同时填报全年预算数和全年执行数的{rate.units}个单位计算）"
    initial = t["initial_budget"]
    if initial.value is not None:
        text += f"；年初预算数合计{format_amount(initial.value)}万元{_over(initial)}"
    lines.append(text + "。")
    unfilled = [r.unit_name for r in s.rows if r.facts.executed is None]
    low = sorted(
        (r for r in s.rows if r.facts.execution_rate is not None),
        key=lambda r: r.facts.execution_rate,
    )
    low = [r for r in low if r.facts.execution_rate < LOW_EXECUTION]
    detail = []
    if low:
        detail.append(
            f"执行率低于{format_percent(LOW_EXECUTION)}的单位有{len(low)}个："
            + _names([f"{r.unit_name}（{format_percent(r.facts.execution_rate)}）" for r in low])
        )
    if unfilled:
        detail.append(f"未填报全年执行数的单位{len(unfilled)}个：{_names(unfilled)}")
    if detail:
        lines.append("；".join(detail) + "。")
    tp, tpc = t["three_public_final"], t["three_public_completion"]
    if tp.value is not None:
        sentence = f"三公经费本年决算数合计{format_amount(tp.value)}万元{_over(tp)}"
        if tpc.value is not None:
            sentence += f"，完成预算的{format_percent(tpc.value)}"
        lines.append(sentence + "。")

    lines.append("三、自评结果")
    grades = s.grades
    scored = n - grades[UNSCORED]
    avg = s.averages["score"]
    if scored:
        dist = "、".join(f"{g}{grades[g]}个" for g in ("优", "良", "中", "差"))
        text = f"已完成评分的{scored}个单位平均得分{_points(round2(avg.value))}，其中{dist}"
    else:
        text = "各单位均未完成评分"
    unscored = [r.unit_name for r in s.rows if not r.facts.scored]
    if unscored and scored:
        text += f"；{len(unscored)}个单位尚未完成评分，未计入平均分（{_names(unscored)}）"
    lines.append(text + "。")

    lines.append("四、需要关注的问题")
    with_errors = [r for r in s.rows if r.facts.open_errors]
    if with_errors:
        lines.append(
            f"（一）{len(with_errors)}个单位的自评报告有未处理的审核错误："
            + _names([f"{r.unit_name}（{r.facts.open_errors}项）" for r in with_errors])
            + "，须由单位改正或说明。"
        )
    else:
        lines.append("（一）各单位的自评报告均无未处理的审核错误。")
    lows = sorted(
        (r for r in s.rows if r.facts.score is not None and r.facts.score < LOW_SCORE),
        key=lambda r: r.facts.score,
    )
    if lows:
        lines.append(
            f"（二）自评得分低于{LOW_SCORE}分的单位有{len(lows)}个："
            + _names(
                [f"{r.unit_name}（{_points(r.facts.score)}，{r.facts.grade_text}）" for r in lows]
            )
            + "。"
        )
    else:
        lines.append(f"（二）没有自评得分低于{LOW_SCORE}分的单位。")
    lines.append("（三）" + _deductions_sentence(s))
    open_cross = [f for f in s.open_findings if f.rule in ("units.missing", "units.duplicate")]
    if open_cross:
        dup = sum(1 for f in open_cross if f.rule == "units.duplicate")
        parts = []
        if missing:
            parts.append(f"应报未报{len(missing)}个单位")
        if dup:
            parts.append(f"疑似同一单位重复报送{dup}处")
        lines.append("（四）汇总审核发现" + "、".join(parts) + "，需核实。")
    return "\n".join(lines)


def _deductions_sentence(summary: Summary) -> str:
    points: dict[str, Decimal] = {}
    units: dict[str, int] = {}
    for row in summary.rows:
        if not row.facts.scored:
            continue
        for d in row.facts.deductions:
            points[d.category] = points.get(d.category, Decimal(0)) + d.points
            units[d.category] = units.get(d.category, 0) + 1
    if not points:
        return "已完成评分的单位均未扣分。"
    ranked = sorted(points, key=lambda c: (-points[c], -units[c], c))[:TOP_DEDUCTIONS]
    items = [f"{c}（{units[c]}个单位，共扣{_points(points[c])}）" for c in ranked]
    return "扣分较多的方面依次为：" + "、".join(items) + "。"

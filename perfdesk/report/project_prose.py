"""The standard paragraphs of a 项目支出绩效自评报告, written from its project's form.

A project report's narrative restates what its 项目支出绩效自评表 holds — who runs the project,
its goal, the budget and its sources, what was spent and the 执行率, each indicator's target and
result, the score and the grade — so the program writes those sentences from the same figures the
form prints (:mod:`perfdesk.domain.calc`, :mod:`perfdesk.domain.scoring`) and text and form cannot
disagree. The clerk's own text under each heading follows them. Plain text only, tested on its own.

Which paragraph goes under which heading is keyed by the outline (``resources/templates/
national_project.json``). When the clerk has removed a sub-heading (or the report was made on an
older outline without it), its paragraphs go under the parent heading instead, so no figure is lost
with a heading.

**Blank is not zero**, as in the department report (:mod:`perfdesk.report.prose`): a clause whose
figure is not given is not written, a sentence with nothing to state is not written; a figure
given as 0 is written ``0万元``. A 其中 list names the fund sources that are given and not zero. A
form that is not fully scored gets no total and no grade but says 未完成评分.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from perfdesk.domain import calc, scoring
from perfdesk.domain.model import PROJECT_SOURCE_KEYS, Indicator, Project, Report, Section
from perfdesk.domain.numbers import format_percent, format_plain
from perfdesk.report.prose import _clause, _figures, amount, lines_of, project_label


def the_project(report: Report) -> Project | None:
    """A project report's one project (``None`` for a report made without one)."""
    return report.projects[0] if report.projects else None


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (unless it already ends a sentence)."""
    text = text.strip()
    if not text or text[-1] in "。！？!?…”）)":
        return text
    return text.rstrip("，,；;：: ") + "。"


def _text_paragraphs(lead: str, text: str) -> list[str]:
    """The clerk's form text as paragraphs, its first line after ``lead`` (nothing when empty)."""
    rest = [_sentence(line) for line in lines_of(text)]
    if not rest:
        return []
    return [lead + rest[0], *rest[1:]]


# --- 一、项目基本情况 ----------------------------------------------------------------------------------


def overview(report: Report) -> list[str]:
    """城乡最低生活保障项目主管部门为…，实施单位为…，属市级专项资金。项目资金主要用于…。"""
    p = the_project(report)
    if p is None or not p.name.strip():
        return []
    label = project_label(p.name)
    supervisor = (p.supervisor or report.supervisor).strip()
    clauses = []
    if supervisor:
        clauses.append(f"主管部门为{supervisor}")
    if p.implementer.strip():
        clauses.append(f"实施单位为{p.implementer.strip()}")
    if p.category.strip():
        clauses.append(f"属{p.category.strip()}")
    text = label + "，".join(clauses) + "。" if clauses else ""
    purpose = _clause(p.purpose, prefix="主要用于")
    if purpose:
        text += ("项目资金" if text else f"{label}资金") + f"主要用于{purpose}。"
    return [text] if text else []


def _indicator_counts(p: Project) -> list[tuple[str, int]]:
    """一级指标 in the form's order with how many named 三级指标 each has."""
    counts: dict[str, int] = {g.name: 0 for g in p.groups}
    for ind in p.indicators:
        if ind.name.strip():
            counts[ind.level1] = counts.get(ind.level1, 0) + 1
    return [(name, n) for name, n in counts.items() if n]


def goals(report: Report) -> list[str]:
    """本项目年度总体目标为：…。围绕上述目标，设置绩效指标N项，其中产出指标a项、…。"""
    p = the_project(report)
    if p is None:
        return []
    out = _text_paragraphs("本项目年度总体目标为：", p.goal_expected)
    counts = _indicator_counts(p)
    if counts:
        total = sum(n for _name, n in counts)
        text = f"设置绩效指标{total}项"
        if len(counts) > 1:
            text += "，其中" + "、".join(f"{name}{n}项" for name, n in counts)
        out.append(("围绕上述目标，" if out else "本项目") + text + "。")
    return out


# --- 二、项目资金使用及管理情况 --------------------------------------------------------------------------


def _sources(p: Project, column: str) -> list[str]:
    """``当年财政拨款X万元`` for each fund source given (and not zero) in ``column``."""
    values = {s.key: getattr(s, column) for s in p.sources}
    return [
        f"{label}{amount(value)}万元"
        for key, label in PROJECT_SOURCE_KEYS.items()
        if (value := values.get(key)) is not None and value != 0
    ]


def funds_arrival(report: Report) -> list[str]:
    """本项目年初预算数…万元，年中调增…万元，全年预算数…万元，其中：当年财政拨款…、上年结转资金…。"""
    p = the_project(report)
    if p is None:
        return []
    clauses = _figures([("年初预算数", p.initial_budget)])
    ch = calc.change(p.initial_budget, p.full_year_budget)
    if ch is not None and ch.difference != 0:
        clauses.append(
            f"年中{'调增' if ch.difference > 0 else '调减'}{amount(abs(ch.difference))}万元"
        )
    clauses += _figures([("全年预算数", p.full_year_budget)])
    if not clauses:
        return []
    text = "本项目" + "，".join(clauses)
    sources = _sources(p, "full_year_budget") if p.full_year_budget is not None else []
    if sources:
        text += "，其中：" + "、".join(sources)
    return [text + "。"]


def execution_sentence(p: Project, year: int) -> str:
    """2024年度本项目全年执行数…万元，执行率…%，结余结转…万元。 ("" when nothing is given)."""
    clauses = _figures([("全年执行数", p.executed)])
    rate = calc.project_execution_rate(p)
    if rate is not None:
        clauses.append(f"执行率{format_percent(rate)}")
    clauses += _figures([("结余结转", p.carryover)])
    if not clauses:
        return ""
    text = f"{year}年度本项目" + "，".join(clauses)
    sources = _sources(p, "executed") if p.executed is not None else []
    if len(sources) > 1:  # one source is the whole amount again: not worth a 其中
        text += "；全年执行数中" + "、".join(sources)
    return text + "。"


def funds_use(report: Report) -> list[str]:
    """The year's spending, its 执行率 (全年执行数 ÷ 全年预算数) and the carry-over."""
    p = the_project(report)
    if p is None:
        return []
    text = execution_sentence(p, report.year)
    return [text] if text else []


# --- 四、项目绩效情况 ----------------------------------------------------------------------------------


def performance_goal(report: Report) -> list[str]:
    """The 年度总体目标's 实际完成情况, as the form holds it."""
    p = the_project(report)
    if p is None:
        return []
    return _text_paragraphs("", p.goal_actual)


def _indicator_clause(ind: Indicator, said: set[str]) -> str:
    """“城乡低保人数”年度指标值≥3000人，实际完成值3450人，得分9分（分值10分），偏差原因…

    A reason already written for an earlier indicator of the paragraph (in ``said``) is not
    written again: 原因同上."""
    parts = []
    if ind.target_text.strip():
        parts.append(f"年度指标值{ind.target_text.strip()}")
    if ind.actual_text.strip():
        parts.append(f"实际完成值{ind.actual_text.strip()}")
    if not parts:
        return ""
    text = f"“{ind.name.strip()}”" + "，".join(parts)
    score = scoring.indicator_score(ind).value
    if score is not None and ind.weight is not None and score < ind.weight:
        text += f"，得分{format_plain(score)}分（分值{format_plain(ind.weight)}分）"
        reason = _clause(ind.deviation_reason)
        if reason in said:
            text += "，原因同上"
        elif reason:
            text += f"，{reason}"
            said.add(reason)
    return text


def _group_score(indicators: list[Indicator]) -> Decimal | None:
    """The 一级's score, only when every weighted indicator under it has one."""
    weighted = [scoring.indicator_score(i).value for i in indicators if i.weight is not None]
    if not weighted or any(v is None for v in weighted):
        return None
    return sum(weighted, Decimal(0))  # type: ignore[arg-type]


def _level1_names(p: Project) -> list[str]:
    names = [g.name for g in p.groups]
    for ind in p.indicators:
        if ind.level1 not in names:
            names.append(ind.level1)
    return names


def performance_indicators(report: Report) -> list[str]:
    """One numbered paragraph per 一级指标: its weight and score, each indicator's target and result."""
    p = the_project(report)
    if p is None:
        return []
    weights = {g.name: g.weight for g in p.groups}
    out = []
    for name in _level1_names(p):
        rows = [i for i in p.indicators if i.level1 == name and i.name.strip()]
        said: set[str] = set()
        clauses = [c for c in (_indicator_clause(i, said) for i in rows) if c]
        if not clauses:
            continue
        head = []
        if weights.get(name) is not None:
            head.append(f"分值{format_plain(weights[name])}分")
        score = _group_score(rows)
        if score is not None:
            head.append(f"自评得分{format_plain(score)}分")
        lead = f"{len(out) + 1}.{name}" + ("（" + "，".join(head) + "）" if head else "")
        out.append(lead + "：" + "；".join(clauses) + "。")
    return out


def performance_score(report: Report) -> list[str]:
    """预算执行率得分, then the total and the grade — or 未完成评分 while the form is not scored."""
    p = the_project(report)
    if p is None:
        return []
    out = []
    execution = scoring.project_execution_score(p).value
    rate = calc.project_execution_rate(p)
    if p.execution_weight is not None and execution is not None:
        said = f"执行率{format_percent(rate)}，" if rate is not None else ""
        out.append(
            f"预算执行率指标分值{format_plain(p.execution_weight)}分，{said}"
            f"得分{format_plain(execution)}分。"
        )
    state = scoring.project_scoring(p)
    if state.grade is not None:
        parts = []
        if p.execution_weight is not None:
            parts.append(f"预算执行率{format_plain(execution)}分")
        for name in _level1_names(p):
            score = _group_score([i for i in p.indicators if i.level1 == name])
            if score is not None:
                parts.append(f"{name}{format_plain(score)}分")
        detail = "（" + "、".join(parts) + "）" if len(parts) > 1 else ""
        out.append(
            f"综上，本项目绩效自评得分{format_plain(state.total)}分{detail}，"
            f"自评等级为“{state.grade}”。"
        )
    else:
        missing = f"尚有{state.unscored}项未评分" if state.unscored else "绩效指标尚未评分"
        out.append(f"本项目{missing}，自评得分和等级待评分完成后确定（{scoring.UNSCORED}）。")
    return out


# --- by outline heading --------------------------------------------------------------------------

WRITERS: dict[str, Callable[[Report], list[str]]] = {
    "project.overview": overview,
    "project.goals": goals,
    "project.funds.arrival": funds_arrival,
    "project.funds.use": funds_use,
    "project.performance.goal": performance_goal,
    "project.performance.indicators": performance_indicators,
    "project.performance.score": performance_score,
}
"""Outline key → the paragraphs written under that heading."""

PARENTS = {
    "project.overview": "project.basic",
    "project.goals": "project.basic",
    "project.funds.arrival": "project.funds",
    "project.funds.use": "project.funds",
    "project.performance.goal": "project.performance",
    "project.performance.indicators": "project.performance",
    "project.performance.score": "project.performance",
}
"""Where a sub-heading's paragraphs go when the outline does not have that sub-heading."""


def generated(report: Report, section: Section) -> list[str]:
    """What the program writes under ``section`` of a project report, before the clerk's text."""
    keys = [section.key] if section.key in WRITERS else []
    keys += [
        child
        for child, parent in PARENTS.items()
        if parent == section.key and report.section(child) is None
    ]
    return [p for key in keys for p in WRITERS[key](report) if p.strip()]

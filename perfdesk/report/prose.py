"""The standard paragraphs written from the entered figures (sections 一–六 of the report).

The clerk does not type these sentences: they are composed here from the same figures the
attachments print, so text and tables cannot disagree. Amounts are written with two places
(``format_amount``), rates with ``format_percent``; a blank figure reads as 0 in a sentence (the
tables keep it blank). Derived values (totals, rates, changes) come from
:mod:`perfdesk.domain.calc`. Everything here is plain text: no PDF, so it is tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perfdesk.domain import calc
from perfdesk.domain.model import FundStatus, Report, SpecialFundKind
from perfdesk.domain.numbers import format_amount, format_percent

FUND_NAMES: dict[SpecialFundKind, str] = {
    SpecialFundKind.GOV_FUND: "政府性基金预算",
    SpecialFundKind.STATE_CAPITAL: "国有资本经营预算",
    SpecialFundKind.SOCIAL_INSURANCE: "社会保险基金预算",
}
FUND_SECTION_KEYS: dict[str, SpecialFundKind] = {kind.value: kind for kind in SpecialFundKind}
"""Outline keys of sections 三、四、五 → the fund they describe."""

_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings never go further)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def heading_number(level: int, n: int) -> str:
    """一、 / （一） / 1. / （1）: the numbering of GB/T 9704 headings, by level."""
    if level <= 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def report_date(report: Report, blank: str = "　　年　　月　　日") -> str:
    """``2025年10月17日`` (no leading zeros); ``blank`` — room to write by hand — when there is none."""
    d = report.report_date
    return f"{d.year}年{d.month}月{d.day}日" if d else blank


def amount(value: Decimal | None) -> str:
    """An amount in a sentence: two places, a blank figure read as 0."""
    return format_amount(value if value is not None else Decimal(0))


def lines_of(text: str) -> list[str]:
    """A clerk's text as paragraphs: one per non-empty line, surrounding spaces dropped."""
    return [
        line.strip()
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if line.strip()
    ]


def _clause(text: str, *, prefix: str = "") -> str:
    """A clause typed by the clerk, without its closing full stop or a repeated lead-in."""
    text = " ".join(lines_of(text))
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    return text.rstrip("。；;，,. ")


def _unbracket(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] in "（(" and text[-1] in "）)":
        text = text[1:-1].strip()
    return text


def _then(paragraph: str, text: str) -> list[str]:
    """``paragraph`` with the clerk's ``text`` following on (its first line joins the paragraph)."""
    rest = lines_of(text)
    if not rest:
        return [paragraph]
    return [paragraph + rest[0], *rest[1:]]


# --- 一、（一）机构设置和人员情况 ---------------------------------------------------------------------


def organisation(report: Report) -> str:
    """本部门共有编制人数12人，其中行政编制7人、事业编制5人。实有在职人数12人。内设科室…"""
    total = calc.establishment_total(report) or 0
    text = f"本部门共有编制人数{total}人"
    posts = [f"{p.kind}{p.count}人" for p in report.posts if p.count is not None and p.kind.strip()]
    if posts:
        text += "，其中" + "、".join(posts)
    text += f"。实有在职人数{report.actual_staff or 0}人。"
    parts = []
    offices = report.list_items("offices")
    if offices:
        note = _unbracket(report.offices_note)
        part = f"内设科室{len(offices)}个"
        if note:
            part += f"（{note}）"
        parts.append(part + "，分别为：" + "、".join(offices))
    units = report.list_items("subordinate_units")
    if units:
        parts.append(f"下属单位{len(units)}个：" + "、".join(units))
    if parts:
        text += "；".join(parts) + "。"
    return text


# --- 二、（一）基本支出情况 -------------------------------------------------------------------------


def basic_expenditure(report: Report) -> list[str]:
    """The numbered figures of 基本支出, the 三公经费 and their change against last year."""
    y = report.year
    basic = report.budget_line("expense.basic")
    income = report.budget_line("income.general_public")
    public = report.control_line("public")
    paragraphs = [
        f"1.{y}年度年初预算资金{amount(basic.initial_budget)}万元。",
        f"2.{y}年度单位一般公共预算财政拨款收入{amount(income.executed)}万元。",
        f"3.{y}年度单位一般公共预算财政拨款支出{amount(report.general_public_expenditure)}万元。"
        f"其中：人员经费{amount(report.personnel_expense)}万元，公用经费{amount(public.final)}万元。",
    ]
    three = calc.three_public_line(report)
    completion = calc.three_public_completion(report)
    text = f"{y}年度三公经费预算{amount(three.budget)}万元，决算{amount(three.final)}万元"
    if completion is not None:
        text += f"，完成预算的{format_percent(completion)}"
    text += (
        f"。其中因公出国（境）费支出决算为{amount(report.control_line('three_public.overseas').final)}万元；"
        f"公务用车购置及运行费支出决算为{amount(calc.vehicle_line(report).final)}万元；"
        f"公务接待费支出决算为{amount(report.control_line('three_public.reception').final)}万元。"
    )
    paragraphs.append(text)
    paragraphs += _then(three_public_change(report), report.three_public_change_reason)
    return paragraphs


def three_public_change(report: Report) -> str:
    """三公经费 本年决算 against last year's: direction, difference and rate (none from a zero base)."""
    y = report.year
    three = calc.three_public_line(report)
    ch = calc.change(three.prior_final or Decimal(0), three.final or Decimal(0))
    assert ch is not None  # both sides are figures here
    head = f"{y}年度三公经费决算{amount(ch.current)}万元，"
    if ch.direction == "持平":
        return head + "与上年持平。"
    head += f"与{y - 1}年决算{amount(ch.previous)}万元比较{ch.direction}{amount(abs(ch.difference))}万元"
    if ch.rate is None:
        return head + "（上年为0，不计算增长率）。"
    trend = "增长" if ch.difference > 0 else "下降"
    return head + f"，{trend}{format_percent(abs(ch.rate))}。"


# --- 二、（二）项目支出情况 -------------------------------------------------------------------------


def project_expenditure(report: Report) -> str:
    """2024年度单位项目支出X万元，其中：A项目X万元、B项目Y万元。"""
    total = report.budget_line("expense.project").executed
    text = f"{report.year}年度单位项目支出{amount(total)}万元"
    items = [f"{p.name}{amount(p.executed)}万元" for p in report.projects if p.executed is not None]
    if items:
        text += "，其中：" + "、".join(items)
    return text + "。"


# --- 三、四、五 -----------------------------------------------------------------------------------


def special_fund(report: Report, kind: SpecialFundKind) -> str:
    """本部门2024年度政府性基金预算年初预算…，决算收入…，决算支出…，主要用于…。 — or 无…安排。"""
    fund = report.special_fund(kind)
    name = FUND_NAMES[kind]
    if fund.status == FundStatus.UNSTATED:
        return ""  # the report does not say: nothing is printed as if it did
    if fund.status == FundStatus.NONE:
        return f"本部门{report.year}年度无{name}安排。"
    text = (
        f"本部门{report.year}年度{name}年初预算{amount(fund.initial_budget)}万元，"
        f"决算收入{amount(fund.income)}万元，决算支出{amount(fund.expenditure)}万元"
    )
    usage = _clause(fund.usage)
    if usage:
        text += f"，{usage}"
    return text + "。"


# --- 六、（二）项目支出绩效情况 ---------------------------------------------------------------------


def projects_overview(report: Report) -> str:
    """年初预算项目专项资金…，年中执行调减…，实际支出…，结余结转…。项目实施及绩效情况如下："""
    line = report.budget_line("expense.project")
    ch = calc.change(line.initial_budget or Decimal(0), line.full_year_budget or Decimal(0))
    assert ch is not None
    adjust = "调增" if ch.difference > 0 else "调减"
    return (
        f"年初预算项目专项资金{amount(line.initial_budget)}万元，"
        f"年中执行{adjust}{amount(abs(ch.difference))}万元，"
        f"实际支出{amount(line.executed)}万元，结余结转{amount(report.project_carryover)}万元。"
        "项目实施及绩效情况如下："
    )


@dataclass(frozen=True)
class ProjectParagraphs:
    """One project of 六（二）: its numbered sub-heading and its paragraphs."""

    number: int
    name: str
    paragraphs: list[str]

    @property
    def heading(self) -> str:
        return f"{heading_number(4, self.number)}{self.name}"


def project_paragraphs(report: Report) -> list[ProjectParagraphs]:
    """项目支出X万元，主要用于…。项目实施及绩效情况：… for each project with a purpose or narrative.

    Numbered by the program from 1 without gaps (the reference skipped one by hand).
    """
    out: list[ProjectParagraphs] = []
    for project in report.projects:
        purpose = _clause(project.purpose, prefix="主要用于")
        narrative = lines_of(project.narrative)
        if not purpose and not narrative:
            continue
        text = f"项目支出{amount(project.executed)}万元"
        if purpose:
            text += f"，主要用于{purpose}"
        text += "。"
        paragraphs = [text]
        if narrative:
            first = narrative[0]
            if first.startswith("项目实施及绩效情况"):
                first = first[len("项目实施及绩效情况") :].lstrip("：: ")
            paragraphs = [text + "项目实施及绩效情况：" + first, *narrative[1:]]
        out.append(ProjectParagraphs(len(out) + 1, project.name, paragraphs))
    return out

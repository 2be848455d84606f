"""The standard paragraphs written from the entered figures (sections 一–六 of the report).

The clerk does not type these sentences: they are composed here from the same figures the
attachments print, so text and tables cannot disagree. Derived values (totals, rates, changes)
come from :mod:`perfdesk.domain.calc`. Everything here is plain text: no PDF, so it is tested on
its own.

**Blank is not zero.** A figure the report does not give is left out of the sentence — the clause
that would state it is not written, and a sentence with nothing to state is not written at all —
never printed as 0. A figure given as 0 is written ``0万元`` (the reference's wording), any other
amount with two places (``format_amount``), rates with ``format_percent``. Lists of projects name
each project with its kind and leave out those that spent nothing: ``城乡低保项目支出12.57万元``, so
a name containing 、 or ending in a digit is never run into its neighbour or its amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perfdesk.domain import calc
from perfdesk.domain.model import FundStatus, Report, SpecialFundKind
from perfdesk.domain.numbers import format_amount, format_percent
from perfdesk.domain.outline import chinese_number, heading_number  # noqa: F401 - used here and re-exported

FUND_NAMES: dict[SpecialFundKind, str] = {
    SpecialFundKind.GOV_FUND: "政府性基金预算",
    SpecialFundKind.STATE_CAPITAL: "国有资本经营预算",
    SpecialFundKind.SOCIAL_INSURANCE: "社会保险基金预算",
}
FUND_SECTION_KEYS: dict[str, SpecialFundKind] = {kind.value: kind for kind in SpecialFundKind}
"""Outline keys of sections 三、四、五 → the fund they describe."""


def report_date(report: Report, blank: str = "　　年　　月　　日") -> str:
    """``2025年10月17日`` (no leading zeros); ``blank`` — room to write by hand — when there is none."""
    d = report.report_date
    return f"{d.year}年{d.month}月{d.day}日" if d else blank


def amount(value: Decimal) -> str:
    """An amount in a sentence: ``0`` for zero (as the reference writes it), else two places.

    Callers leave blank figures out before they get here: there is no "blank" spelling.
    """
    if value == 0:
        return "0"
    return format_amount(value)


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
    if not paragraph:
        return rest
    if not rest:
        return [paragraph]
    return [paragraph + rest[0], *rest[1:]]


def _figures(parts: list[tuple[str, Decimal | None]]) -> list[str]:
    """``label X万元`` for each part that is given (blank parts are left out)."""
    return [f"{label}{amount(value)}万元" for label, value in parts if value is not None]


def project_label(name: str) -> str:
    """A project as a list names it, with its kind: ``儿童福利项目`` (``…项目`` stays as it is)."""
    name = name.strip()
    return name if name.endswith("项目") else name + "项目"


# --- 一、（一）机构设置和人员情况 ---------------------------------------------------------------------


def organisation(report: Report) -> str:
    """本部门共有编制人数12人，其中行政编制7人、事业编制5人。实有在职人数12人。内设科室…

    A count not given is not stated ("" when nothing at all is given).
    """
    sentences = []
    total = calc.establishment_total(report)
    if total is not None:
        text = f"本部门共有编制人数{total}人"
        posts = [
            f"{p.kind.strip()}{p.count}人"
            for p in report.posts
            if p.count is not None and p.kind.strip()
        ]
        given = [p for p in report.posts if p.count is not None and p.kind.strip()]
        # 均为 only when every other kind is given as 0: a blank 行政编制 is not "none".
        others_given = all(p.count is not None for p in report.posts if p.kind.strip())
        some = [p for p in given if p.count]
        if len(some) == 1 and some[0].count == total and others_given:
            text += f"，均为{some[0].kind.strip()}"
        elif posts:
            text += "，其中" + "、".join(posts)
        sentences.append(text + "。")
    if report.actual_staff is not None:
        sentences.append(f"实有在职人数{report.actual_staff}人。")
    parts = []
    offices = [o.strip() for o in report.list_items("offices") if o.strip()]
    if offices:
        note = _unbracket(report.offices_note)
        part = f"内设科室{len(offices)}个"
        if note:
            part += f"（{note}）"
        parts.append(part + "，分别为：" + "、".join(offices))
    units = [u.strip() for u in report.list_items("subordinate_units") if u.strip()]
    if units:
        parts.append(f"下属事业单位{len(units)}个：" + "、".join(units))
    if parts:
        sentences.append("；".join(parts) + "。")
    return "".join(sentences)


# --- 二、（一）基本支出情况 -------------------------------------------------------------------------


def basic_expenditure(report: Report) -> list[str]:
    """The numbered figures of 基本支出, the 三公经费 and their change against last year.

    Each numbered item is written only when its figure is given, and numbered without gaps.
    """
    y = report.year
    basic = report.budget_line("expense.basic")
    income = report.budget_line("income.general_public")
    public = report.control_line("public")
    items = []
    if basic.initial_budget is not None:
        items.append(f"{y}年度年初预算资金{amount(basic.initial_budget)}万元。")
    if income.executed is not None:
        items.append(f"{y}年度单位一般公共预算财政拨款收入{amount(income.executed)}万元。")
    parts = _figures([("人员经费", report.personnel_expense), ("公用经费", public.final)])
    spent = report.general_public_expenditure
    if spent is not None:
        text = f"{y}年度单位一般公共预算财政拨款支出{amount(spent)}万元。"
        if parts:
            text += "其中：" + "，".join(parts) + "。"
        items.append(text)
    elif parts:
        items.append(f"{y}年度单位" + "，".join(parts) + "。")
    paragraphs = [f"{i}.{text}" for i, text in enumerate(items, 1)]
    three = three_public(report)
    if three:
        paragraphs.append(three)
    paragraphs += _then(three_public_change(report), report.three_public_change_reason)
    return paragraphs


def three_public(report: Report) -> str:
    """三公经费预算…，决算…，完成预算的…。其中… — the parts given; "" when nothing is."""
    y = report.year
    three = calc.three_public_line(report)
    figures = _figures([("预算", three.budget), ("决算", three.final)])
    completion = calc.three_public_completion(report)
    if completion is not None:
        figures.append(f"完成预算的{format_percent(completion)}")
    parts = [
        (label, value)
        for label, value in (
            ("因公出国（境）费", report.control_line("three_public.overseas").final),
            ("公务用车购置及运行费", calc.vehicle_line(report).final),
            ("公务接待费", report.control_line("three_public.reception").final),
        )
        if value is not None
    ]
    if not figures and not parts:
        return ""
    text = f"{y}年度三公经费" + "，".join(figures) if figures else f"{y}年度三公经费中"
    if parts:
        listed = "；".join(f"{label}支出决算为{amount(value)}万元" for label, value in parts)
        text += ("。其中" if figures else "") + listed
    return text + "。"


def three_public_change(report: Report) -> str:
    """三公经费 本年决算 against last year's: direction, difference and rate (none from a zero base).

    "" when either year's figure is not given.
    """
    y = report.year
    three = calc.three_public_line(report)
    ch = calc.change(three.prior_final, three.final)
    if ch is None:
        return ""
    head = f"{y}年度三公经费决算{amount(ch.current)}万元，"
    if ch.direction == "持平":
        return head + "与上年持平。"
    head += f"与{y - 1}年决算{amount(ch.previous)}万元比较{ch.direction}{amount(abs(ch.difference))}万元"
    if ch.rate is None:
        return head + "（上年为0，不计算增长率）。"
    trend = "增长" if ch.difference > 0 else "下降"
    return head + f"，{trend}{format_percent(abs(ch.rate))}。"


# --- 二、（二）项目支出情况 -------------------------------------------------------------------------


def project_spending(report: Report) -> Decimal | None:
    """项目支出 of the year as the report gives it: 附件2's 全年执行数, else 附件1's total row."""
    executed = report.budget_line("expense.project").executed
    return executed if executed is not None else calc.project_total_line(report).final


def project_expenditure(report: Report) -> str:
    """2024年度单位项目支出X万元，其中：A项目支出X万元、B项目支出Y万元。

    Projects that spent nothing (or whose figure is not given) are not listed; "" when neither
    the total nor any project's figure is given.
    """
    total = project_spending(report)
    items = [
        f"{project_label(p.name)}支出{amount(p.executed)}万元"
        for p in report.projects
        if p.name.strip() and p.executed is not None and p.executed != 0
    ]
    if total is None:
        return f"{report.year}年度单位" + "、".join(items) + "。" if items else ""
    text = f"{report.year}年度单位项目支出{amount(total)}万元"
    if items:
        text += "，其中：" + "、".join(items)
    return text + "。"


# --- 三、四、五 -----------------------------------------------------------------------------------


def special_fund(report: Report, kind: SpecialFundKind) -> str:
    """本部门2024年度政府性基金预算年初预算…，决算收入…，决算支出…，主要用于…。 — or 无…安排。

    未说明 (the report does not say): "" — nothing is printed as if it did; the heading keeps only
    the clerk's own text.
    """
    fund = report.special_fund(kind)
    name = FUND_NAMES[kind]
    if fund.status == FundStatus.UNSTATED:
        return ""
    if fund.status == FundStatus.NONE:
        return f"本部门{report.year}年度无{name}安排。"
    figures = _figures(
        [
            ("年初预算", fund.initial_budget),
            ("决算收入", fund.income),
            ("决算支出", fund.expenditure),
        ]
    )
    usage = _clause(fund.usage)
    if not figures and not usage:
        return f"本部门{report.year}年度有{name}安排。"
    text = f"本部门{report.year}年度{name}" + "，".join(figures)
    if usage:
        text += ("，" if figures else "") + usage
    return text + "。"


# --- 六、（二）项目支出绩效情况 ---------------------------------------------------------------------


def projects_overview(report: Report) -> str:
    """年初预算项目专项资金…，年中执行调减…，实际支出…，结余结转…。项目实施及绩效情况如下：

    Each figure only when given; the in-year change only when both budgets are given and differ.
    """
    line = report.budget_line("expense.project")
    parts = _figures([("年初预算项目专项资金", line.initial_budget)])
    ch = calc.change(line.initial_budget, line.full_year_budget)
    if ch is not None and ch.difference != 0:
        adjust = "调增" if ch.difference > 0 else "调减"
        parts.append(f"年中执行{adjust}{amount(abs(ch.difference))}万元")
    parts += _figures([("实际支出", project_spending(report))])
    parts += _figures([("结余结转", report.project_carryover)])
    text = "，".join(parts) + "。" if parts else ""
    if project_paragraphs(report):
        text += "项目实施及绩效情况如下："
    return text


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
        clauses = _figures([("项目支出", project.executed)])
        if purpose:
            clauses.append(f"主要用于{purpose}" if clauses else f"项目主要用于{purpose}")
        text = "，".join(clauses) + "。" if clauses else ""
        paragraphs = [text] if text else []
        if narrative:
            first = narrative[0]
            if first.startswith("项目实施及绩效情况"):
                first = first[len("项目实施及绩效情况") :].lstrip("：: ")
            paragraphs = [text + "项目实施及绩效情况：" + first, *narrative[1:]]
        out.append(ProjectParagraphs(len(out) + 1, project.name, paragraphs))
    return out

"""Reading the figures a clerk wrote in prose, so the audit can set them against the tables.

A report's narrative repeats figures from its tables — ``城乡最低生活保障项目支出2030.27万元``,
``2024年度单位项目支出2913.05万元``, ``三公经费…增长100%`` — and the reference report shows how easily
they drift apart. This module finds each amount (``…万元``) and percentage in a text, works out
*what* it is the amount of, and returns the mismatches; :mod:`perfdesk.domain.audit` turns them
into findings.

What an amount is "of" is read from the words right before it, inside its clause (clauses end at
，、：；。 and line breaks), by rules rather than by a list of the sample's phrases:

1. The clause's lead is cleaned: parenthesised words (``因公出国（境）费``), list numbering
   (``1.``, ``（2）``), leading qualifiers that mean "this unit, this year" (``2024年度``, ``单位``,
   ``本部门``, the unit's own name, ``其中``) and trailing fillers (``为``, ``共计``…) are dropped.
   A year other than the report's own or the one before makes the amount unreadable.
2. What is left is read as *column words* (``年初预算``, ``全年预算``, ``决算``, ``支出``, ``收入``,
   ``结余结转``…), at most one *line name* (``项目支出``, ``基本支出``, ``人员经费``, ``公用经费``,
   ``三公经费``, ``公务接待费``, ``一般公共预算``/``财政拨款``, ``政府性基金预算``…) and fillers
   (``资金``, ``财政拨款``…), nothing else. A line name with its column is a *total*.
3. Failing that, the rest is matched against the report's projects by name: equal names, equal
   once suffixes such as 项目/补贴/救助/资金 are stripped, or a shared run of at least four Chinese
   characters that makes up most of what was written (``城乡特困供养`` ↔ ``城乡特困供养救助人员项目``).
   Two projects matching equally well is no match.
4. A lead of column words only (``决算0.13万元``, ``实际支出4175.33万元``) continues the subject of
   the sentence; in a project's own text, or under a heading line naming a project, ``项目支出``
   and bare column words are that project; in a section about one line (二（一） 基本支出, 三
   政府性基金…) they are that line's; elsewhere a bare ``年初预算``/``全年预算`` is the
   年度资金总额's. A line named without a column takes the sentence's column (``年初预算…，其中：
   基本支出258.07万元``), or, with none, may be any of this year's figures of that line.

Anything not read with confidence is left alone: an amount after 约/近/超过, a change
(增加/减少/调减…), a monthly or per-head figure, a figure "as of" a month before December, a
subject joined with 和/及/与. A missed check is better than a false alarm on a real report.

A written amount agrees with a figure within the 0.01 万元 尾差, or when it is the figure rounded to
the places written (``4175万元`` for 4175.33) and off by under 1 % — a written ``0`` only agrees
with zero.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from perfdesk.domain import calc
from perfdesk.domain.model import (
    BudgetLine,
    ControlLine,
    Project,
    Report,
    SpecialFundKind,
)
from perfdesk.domain.numbers import amounts_agree

# --- columns and lines ---------------------------------------------------------------------------


class Col(enum.Enum):
    """Which figure of a line a word asks for, most specific first."""

    PRIOR = "上年决算数"
    INITIAL = "年初预算数"
    CARRYOVER = "结余结转"
    BUDGET = "全年预算数"
    INCOME = "决算收入"
    SPENT = "全年执行数"
    ACTUAL = "决算数"


_COLUMN_WORDS: list[tuple[str, Col]] = sorted(
    [
        ("上年决算数", Col.PRIOR),
        ("上年决算", Col.PRIOR),
        ("上年支出", Col.PRIOR),
        ("年初预算数", Col.INITIAL),
        ("年初预算", Col.INITIAL),
        ("年初安排", Col.INITIAL),
        ("全年预算数", Col.BUDGET),
        ("全年预算", Col.BUDGET),
        ("调整后预算", Col.BUDGET),
        ("本年预算", Col.BUDGET),
        ("预算数", Col.BUDGET),
        ("预算", Col.BUDGET),
        ("全年执行数", Col.SPENT),
        ("执行数", Col.SPENT),
        ("实际支出", Col.SPENT),
        ("决算支出", Col.SPENT),
        ("支出", Col.SPENT),
        ("执行", Col.SPENT),
        ("决算收入", Col.INCOME),
        ("收入", Col.INCOME),
        ("决算数", Col.ACTUAL),
        ("决算", Col.ACTUAL),
        ("结余结转", Col.CARRYOVER),
        ("结转结余", Col.CARRYOVER),
        ("结余", Col.CARRYOVER),
    ],
    key=lambda w: -len(w[0]),
)
_FILLERS = sorted(
    ["财政拨款", "资金", "经费", "金额", "总额", "总计", "合计", "数"], key=len, reverse=True
)

# A figure the text may be compared with: a label for the message and the value (None = blank).
Figure = tuple[str, Decimal | None]


@dataclass(frozen=True)
class Subject:
    """What an amount was written about: a total or a project, with the figures it may mean."""

    name: str  # as a message names it: 项目支出 / 项目“城乡最低生活保障”
    figures: dict[Col, list[Figure]]  # per column: the primary figure first, then accepted others
    default: Col  # the column meant when no column word is written
    prior: Decimal | None = None  # 上年决算数, for growth rates
    rate: Decimal | None = None  # 执行率 (全年执行数 ÷ 全年预算数) where the subject has one
    initial_rate: Decimal | None = None  # 全年执行数 ÷ 年初预算数: the common mistake, to name it
    project: int | None = None  # index in report.projects

    def candidates(self, cols: list[Col]) -> list[Figure]:
        """The figures ``cols`` may mean, the most specific column's own figure first.

        With no column written, the default column's figure comes first and this year's other
        figures are accepted too (``基本支出258.07万元`` may be its 年初预算数): a phrase that
        says less is held to less.
        """
        if not cols:
            cols = [self.default, Col.INITIAL, Col.BUDGET, Col.INCOME, Col.SPENT]
            out: list[Figure] = []
            for col in cols:
                for fig in self.figures.get(col) or self.figures.get(_FALLBACK.get(col, col), []):
                    if fig not in out:
                        out.append(fig)
            return out
        if Col.PRIOR in cols:
            cols = [Col.PRIOR]
        out: list[Figure] = []
        for col in sorted(set(cols), key=list(Col).index):
            for fig in self.figures.get(col) or self.figures.get(_FALLBACK.get(col, col), []):
                if fig not in out:
                    out.append(fig)
        return out


# Where a line has no figure of its own for a column, the generic one stands in.
_FALLBACK = {Col.INCOME: Col.ACTUAL, Col.SPENT: Col.ACTUAL, Col.INITIAL: Col.BUDGET}


def _budget_figures(line: BudgetLine, label: str) -> dict[Col, list[Figure]]:
    executed = (f"{label}（全年执行数）", line.executed)
    full = (f"{label}（全年预算数）", line.full_year_budget)
    initial = (f"{label}（年初预算数）", line.initial_budget)
    return {
        Col.INITIAL: [initial],
        Col.BUDGET: [full, initial],
        Col.ACTUAL: [executed],
    }


def _control_figures(line: ControlLine, label: str) -> dict[Col, list[Figure]]:
    return {
        Col.PRIOR: [(f"{label}（上年决算数）", line.prior_final)],
        Col.BUDGET: [(f"{label}（本年预算数）", line.budget)],
        Col.ACTUAL: [(f"{label}（本年决算数）", line.final)],
    }


def _line_subjects(report: Report) -> list[tuple[tuple[str, ...], Subject]]:
    """Every total the text may name, with the names it goes by."""
    r = report
    out: list[tuple[tuple[str, ...], Subject]] = []

    def budget(
        key: str, label: str, names: tuple[str, ...], extra: dict[Col, list[Figure]] | None = None
    ) -> None:
        line = r.budget_line(key)
        figures = _budget_figures(line, label)
        figures.update(extra or {})
        out.append(
            (
                names,
                Subject(
                    label,
                    figures,
                    Col.ACTUAL,
                    rate=calc.line_execution_rate(line),
                    initial_rate=calc.execution_rate(line.initial_budget, line.executed),
                ),
            )
        )

    total = r.budget_line("total")
    budget(
        "total",
        "年度资金总额",
        ("年度资金总额", "资金总额"),
        {
            Col.ACTUAL: [
                ("年度资金总额（全年执行数）", total.executed),
                ("年度资金总额（全年预算数）", total.full_year_budget),
            ]
        },
    )
    gp = r.budget_line("income.general_public")
    budget(
        "income.general_public",
        "一般公共预算",
        ("一般公共预算",),
        {
            Col.INCOME: [("一般公共预算（全年执行数）", gp.executed)],
            Col.SPENT: [
                ("一般公共预算财政拨款支出", r.general_public_expenditure),
                ("一般公共预算（全年执行数）", gp.executed),
            ],
            Col.ACTUAL: [
                ("一般公共预算（全年执行数）", gp.executed),
                ("一般公共预算财政拨款支出", r.general_public_expenditure),
            ],
        },
    )
    fund = r.special_fund(SpecialFundKind.GOV_FUND)
    gov = r.budget_line("income.gov_fund")
    # 财政拨款 alone may be the 一般公共预算 appropriation or that plus the 政府性基金 one.
    both = {
        c: calc.total([getattr(gp, c), getattr(gov, c)])
        for c in ("initial_budget", "full_year_budget", "executed")
    }
    out.append(
        (
            ("财政拨款",),
            Subject(
                "财政拨款",
                {
                    Col.INITIAL: [
                        ("一般公共预算（年初预算数）", gp.initial_budget),
                        ("财政拨款（年初预算数）", both["initial_budget"]),
                    ],
                    Col.BUDGET: [
                        ("一般公共预算（全年预算数）", gp.full_year_budget),
                        ("财政拨款（全年预算数）", both["full_year_budget"]),
                    ],
                    Col.INCOME: [
                        ("一般公共预算（全年执行数）", gp.executed),
                        ("财政拨款（全年执行数）", both["executed"]),
                    ],
                    Col.SPENT: [
                        ("一般公共预算财政拨款支出", r.general_public_expenditure),
                        ("一般公共预算（全年执行数）", gp.executed),
                        ("财政拨款（全年执行数）", both["executed"]),
                    ],
                    Col.ACTUAL: [
                        ("一般公共预算（全年执行数）", gp.executed),
                        ("财政拨款（全年执行数）", both["executed"]),
                        ("一般公共预算财政拨款支出", r.general_public_expenditure),
                    ],
                },
                Col.ACTUAL,
            ),
        )
    )
    out.append(
        (
            ("政府性基金预算", "政府性基金拨款", "政府性基金"),
            Subject(
                "政府性基金预算",
                {
                    Col.INITIAL: [
                        ("政府性基金预算（年初预算）", fund.initial_budget),
                        ("政府性基金拨款（年初预算数）", gov.initial_budget),
                    ],
                    Col.BUDGET: [
                        ("政府性基金拨款（全年预算数）", gov.full_year_budget),
                        ("政府性基金预算（年初预算）", fund.initial_budget),
                    ],
                    Col.INCOME: [
                        ("政府性基金预算（决算收入）", fund.income),
                        ("政府性基金拨款（全年执行数）", gov.executed),
                    ],
                    Col.SPENT: [("政府性基金预算（决算支出）", fund.expenditure)],
                    Col.ACTUAL: [
                        ("政府性基金预算（决算支出）", fund.expenditure),
                        ("政府性基金预算（决算收入）", fund.income),
                        ("政府性基金拨款（全年执行数）", gov.executed),
                    ],
                },
                Col.ACTUAL,
            ),
        )
    )
    for kind, label, names in (
        (SpecialFundKind.STATE_CAPITAL, "国有资本经营预算", ("国有资本经营预算",)),
        (
            SpecialFundKind.SOCIAL_INSURANCE,
            "社会保险基金预算",
            ("社会保险基金预算", "社会保险基金"),
        ),
    ):
        f = r.special_fund(kind)
        out.append(
            (
                names,
                Subject(
                    label,
                    {
                        Col.INITIAL: [(f"{label}（年初预算）", f.initial_budget)],
                        Col.INCOME: [(f"{label}（决算收入）", f.income)],
                        Col.SPENT: [(f"{label}（决算支出）", f.expenditure)],
                        Col.ACTUAL: [
                            (f"{label}（决算支出）", f.expenditure),
                            (f"{label}（决算收入）", f.income),
                        ],
                    },
                    Col.ACTUAL,
                ),
            )
        )
    budget(
        "income.special_account",
        "纳入专户管理的非税收入拨款",
        ("纳入专户管理的非税收入拨款", "非税收入拨款"),
    )
    budget("income.other", "其他资金", ("其他资金",))
    budget("expense.basic", "基本支出", ("基本支出",))
    budget(
        "expense.project",
        "项目支出",
        ("项目支出", "项目专项资金", "项目资金", "专项资金", "项目经费"),
        {Col.CARRYOVER: [("项目结余结转", r.project_carryover)]},
    )
    out.append(
        (
            ("人员经费",),
            Subject("人员经费", {Col.ACTUAL: [("人员经费", r.personnel_expense)]}, Col.ACTUAL),
        )
    )

    def control(line: ControlLine, label: str, names: tuple[str, ...]) -> None:
        out.append(
            (
                names,
                Subject(label, _control_figures(line, label), Col.ACTUAL, prior=line.prior_final),
            )
        )

    control(r.control_line("public"), "公用经费", ("公用经费",))
    control(calc.three_public_line(r), "三公经费", ("三公经费",))
    control(
        calc.vehicle_line(r),
        "公务用车购置和维护经费",
        (
            "公务用车购置和维护经费",
            "公务用车购置及维护经费",
            "公务用车购置及运行费",
            "公务用车购置和运行费",
            "公务用车购置及运行维护费",
            "公务用车购置和运行维护费",
            "公务用车费",
        ),
    )
    control(
        r.control_line("three_public.vehicle_purchase"),
        "公车购置",
        ("公务用车购置费", "公车购置费", "公车购置"),
    )
    control(
        r.control_line("three_public.vehicle_operation"),
        "公车运行维护",
        (
            "公务用车运行维护费",
            "公车运行维护费",
            "公车运行维护",
            "公务用车运行费",
        ),
    )
    control(
        r.control_line("three_public.overseas"),
        "出国经费",
        (
            "因公出国境费",
            "因公出国费",
            "因公出国费用",
            "出国经费",
            "出国费",
        ),
    )
    control(r.control_line("three_public.reception"), "公务接待", ("公务接待费", "公务接待"))
    control(r.control_line("procurement"), "政府采购金额", ("政府采购金额", "政府采购"))
    return out


def project_subject(project: Project, index: int) -> Subject:
    label = f"项目“{project.name}”"
    return Subject(
        label,
        {
            Col.PRIOR: [(f"{label}的上年决算数", project.prior_final)],
            Col.INITIAL: [(f"{label}的年初预算数", project.initial_budget)],
            Col.BUDGET: [
                (f"{label}的全年预算数", project.full_year_budget),
                (f"{label}的年初预算数", project.initial_budget),
            ],
            Col.CARRYOVER: [(f"{label}的结余结转", project.carryover)],
            Col.ACTUAL: [(f"{label}的全年执行数", project.executed)],
        },
        Col.ACTUAL,
        prior=project.prior_final,
        rate=calc.project_execution_rate(project),
        initial_rate=calc.execution_rate(project.initial_budget, project.executed),
        project=index,
    )


# --- project names -------------------------------------------------------------------------------

_NAME_NOISE = re.compile(r"[\s　、，,。.·•\-—“”\"'‘’《》<>]|[（(][^）)]*[）)]")
_NAME_SUFFIXES = (
    "专项资金",
    "项目",
    "专项",
    "资金",
    "经费",
    "补贴",
    "补助",
    "救助",
    "救济",
    "支出",
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_JOINERS = ("和", "及", "与", "、", "以及")


def normalise_name(name: str) -> str:
    """A name without spaces, punctuation and parenthesised parts."""
    return _NAME_NOISE.sub("", name)


def core_name(name: str) -> str:
    """A name with suffixes such as 项目/补贴/救助/资金 stripped (while two characters remain)."""
    s = normalise_name(name)
    changed = True
    while changed:
        changed = False
        for suffix in _NAME_SUFFIXES:
            if s.endswith(suffix) and len(s) - len(suffix) >= 2:
                s = s[: -len(suffix)]
                changed = True
    return s


def _longest_common_run(a: str, b: str) -> str:
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


def match_project(mention: str, projects: list[Project]) -> int | None:
    """The index of the one project ``mention`` names, or ``None`` (no match, or ambiguous).

    Equal names (as written or with suffixes stripped) beat a shared core; a shared core must be at
    least four Chinese characters and most (≥ 60 %) of what was written.
    """
    m_norm, m_core = normalise_name(mention), core_name(mention)
    if not m_core:
        return None
    scored: list[tuple[tuple[int, int], int]] = []
    for i, p in enumerate(projects):
        p_norm, p_core = normalise_name(p.name), core_name(p.name)
        if not p_norm:
            continue
        if m_norm == p_norm or m_core == p_core:
            scored.append(((2, len(p_core)), i))
            continue
        if any(j in m_norm for j in _JOINERS):
            continue  # 城乡低保和特困供养: two subjects, no single figure
        run = _longest_common_run(m_core, p_core)
        cjk = len(_CJK.findall(run))
        if cjk >= 4 and len(run) * 10 >= len(m_core) * 6:
            scored.append(((1, len(run)), i))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


# --- numbers in text -----------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％：；（）", "0123456789.,%:;()")
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|%)")
_SENTENCE_END = re.compile(r"[。！？!?;；\n]")
_CLAUSE_END = re.compile(r"[，,、:：]")
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
_NUMBERING = re.compile(
    r"^(?:\d+[.、．]|[(（]\d+[)）]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])"
)
_YEAR = re.compile(r"^(\d{4})年度?")
_QUALIFIERS = ("其中", "本年度", "本年", "全年", "当年", "今年", "的", "共", "累计", "全部")
_WHOLE_UNIT = ("本单位", "我单位", "单位", "本部门", "我部门", "部门", "我局", "本局", "全局")
"""Qualifiers meaning "the whole unit": what follows is a total, never one project's figure."""
_CURRENT_QUALIFIERS = ("本年度", "本年", "全年", "当年", "今年")
_PRIOR_QUALIFIERS = ("上年度", "上年", "去年")
_TRAILING = ("达到", "共计", "合计", "总计", "累计", "为", "是", "达", "共", "计", "了", "约")
_APPROXIMATE = ("约", "近", "逾", "超过", "左右", "以上", "不到", "不足", "多万")
_CHANGE = (
    "增加",
    "减少",
    "增长",
    "下降",
    "降低",
    "上升",
    "提高",
    "调减",
    "调增",
    "比较",
    "相比",
    "同比",
    "较上年",
    "比上年",
    "节约",
    "超支",
    "差额",
    "相差",
    "压减",
    "增幅",
    "减幅",
    "变动",
    "节支",
)
_PER = ("月", "每", "人均", "户均", "平均", "季度")
_GROWTH = re.compile(r"(增长|增加|上升|提高|增幅)(了|率|幅度)?(为|达|达到|是)?$")
_RATE = re.compile(r"执行率(为|达|达到|是|了)?$")
_MONTH_AS_OF = re.compile(r"(截止|截至|截止到|截至到|至)\s*(\d{1,2}|[一二三四五六七八九十]+)\s*月")
_CN_MONTH = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}


@dataclass(frozen=True)
class Written:
    """A number as written in a text: ``2030.27万元`` or ``100%``."""

    value: Decimal
    places: int
    unit: str  # "万元" or "%"
    quote: str  # the words that carry it, as written: 城乡最低生活保障项目支出2030.27万元


@dataclass(frozen=True)
class Reading:
    """A written figure the reader understood, and whether it agrees with the report."""

    kind: str  # "amount", "rate" (a 执行率) or "growth" (a growth rate)
    written: Written
    subject: Subject
    ok: bool
    figure: Figure | None = None  # for amounts: the figure it stands for (the primary one)


UNKNOWN_PROJECT = -1
"""Context under a heading that names no project of the report: its 项目支出 is nobody's."""


@dataclass
class TextContext:
    """Where a text sits: its own project (for a project's texts), and the default subject."""

    project: int | None = None  # the project whose own text this is
    three_public: bool = False  # the 三公 change reason: growth there is 三公's
    section: str = ""  # the outline key of the section the text is under (gpb.basic…)


# What a bare 年初预算/决算… means in a section about one line; elsewhere a bare 年初预算 or
# 全年预算 is the 年度资金总额's. Keys are outline-key prefixes, values names in _line_subjects.
_SECTION_LINES = {
    "gpb.basic": "基本支出",
    "gpb.project": "项目支出",
    "performance.projects": "项目支出",
    "gov_fund": "政府性基金预算",
    "state_capital": "国有资本经营预算",
    "social_insurance": "社会保险基金预算",
}


def _month_before_december(sentence: str) -> bool:
    for m in _MONTH_AS_OF.finditer(sentence):
        raw = m.group(2)
        month = int(raw) if raw.isdigit() else _CN_MONTH.get(raw, 12)
        if month < 12:
            return True
    return False


def agrees(written: Decimal, places: int, figure: Decimal) -> bool:
    """True when a written amount stands for ``figure`` (see the module docstring)."""
    if amounts_agree(written, figure):
        return True
    if written == 0 or places >= 2:
        return False
    rounded = figure.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded == written and abs(written - figure) * 100 <= abs(figure)


def _rate_agrees(written: Decimal, places: int, rate: Decimal) -> bool:
    pct = rate * 100
    rounded = pct.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded == written or abs(pct - written) <= Decimal("0.01")


@dataclass(frozen=True)
class _Cleaned:
    text: str
    prior: bool  # 上年 / last year's date: the 上年决算数 is meant
    current: bool  # the report's year, 本年, 今年…: this year's figures, whatever came before
    whole: bool  # 单位 / 本部门 / the unit's name: the whole unit, not one project
    unreadable: bool  # another year


@dataclass
class _Lead:
    cols: list[Col] = field(default_factory=list)
    line: Subject | None = None
    rest: str = ""  # words not read as columns, fillers or a line name


class TextReader:
    """Reads the texts of one report against that report's figures."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.lines = _line_subjects(report)
        self.names: list[tuple[str, Subject]] = sorted(
            ((n, s) for names, s in self.lines for n in names), key=lambda x: -len(x[0])
        )
        self.projects = [project_subject(p, i) for i, p in enumerate(report.projects)]
        self.three_public = next(s for names, s in self.lines if "三公经费" in names)
        self.total = next(s for names, s in self.lines if "年度资金总额" in names)
        self.by_name = {s.name: s for _, s in self.lines}
        unit = normalise_name(report.unit_name)
        self.whole_unit = tuple(
            sorted((*_WHOLE_UNIT, *([unit] if unit else [])), key=len, reverse=True)
        )

    # --- reading a lead ----------------------------------------------------------------------------

    def clean(self, lead: str) -> _Cleaned:
        """The lead without parentheses, numbering, qualifiers and fillers (module docstring, 1)."""
        s = _PARENS.sub("", lead)
        s = re.sub(r"\s", "", s)
        s = _NUMBERING.sub("", s)
        prior = current = whole = False
        changed = True
        while changed:
            changed = False
            m = _YEAR.match(s)
            if m:
                year = int(m.group(1))
                if year == self.report.year - 1:
                    prior = True
                elif year == self.report.year:
                    current = True
                else:
                    return _Cleaned(s, prior, current, whole, True)
                s = s[m.end() :]
                changed = True
            for q in _PRIOR_QUALIFIERS:
                if (
                    s.startswith(q)
                    and not s.startswith("上年决算")
                    and not s.startswith("上年支出")
                ):
                    s, prior, changed = s[len(q) :], True, True
            for q in self.whole_unit:
                if s.startswith(q) and len(s) > len(q):
                    s, whole, changed = s[len(q) :], True, True
            for q in _QUALIFIERS:
                if s.startswith(q) and len(s) > len(q):
                    s, changed = s[len(q) :], True
                    current = current or q in _CURRENT_QUALIFIERS
            for t in _TRAILING:
                if s.endswith(t) and len(s) > len(t):
                    s, changed = s[: -len(t)], True
        return _Cleaned(s, prior, current, whole, False)

    def _parse(self, s: str) -> _Lead | None:
        """Columns, fillers and at most one line name, nothing else; ``None`` otherwise."""
        lead = _Lead()
        i = 0
        while i < len(s):
            for name, subject in self.names:
                if s.startswith(name, i) and lead.line is None:
                    lead.line, i = subject, i + len(name)
                    break
            else:
                for word, col in _COLUMN_WORDS:
                    if s.startswith(word, i):
                        lead.cols.append(col)
                        i += len(word)
                        break
                else:
                    for filler in _FILLERS:
                        if s.startswith(filler, i):
                            i += len(filler)
                            break
                    else:
                        return None
        return lead

    def _columns_only(self, s: str) -> list[Col] | None:
        parsed = self._parse(s)
        if parsed is None or parsed.line is not None:
            return None
        return parsed.cols

    def _self_columns(self, s: str) -> list[Col] | None:
        """``项目支出`` / ``本项目`` / bare columns: the columns asked of the text's own project."""
        for prefix in ("本项目", "该项目", "项目"):
            if s.startswith(prefix):
                return self._columns_only(s[len(prefix) :])
        return None

    def _section_subject(self, key: str, cols: list[Col]) -> Subject | None:
        """The line a bare column word means in section ``key`` (module docstring, 4)."""
        for prefix, name in _SECTION_LINES.items():
            if key == prefix or key.startswith(prefix + "."):
                return self.by_name[name]
        if set(cols) <= {Col.INITIAL, Col.BUDGET}:
            return self.total
        return None

    def _own(self, ctx: TextContext) -> Subject | None:
        if ctx.project is not None and 0 <= ctx.project < len(self.projects):
            return self.projects[ctx.project]
        return None

    def subject_of(
        self, s: str, ctx: TextContext, last: Subject | None, *, whole: bool = False
    ) -> tuple[Subject, list[Col]] | None:
        """What the cleaned lead ``s`` names, with the columns it asks for.

        ``whole``: the lead said 单位/本部门…, so 项目支出 is the unit's total, not a project's.
        """
        own = None if whole else self._own(ctx)
        if ctx.project is not None and not whole:
            cols = self._self_columns(s)
            if cols is not None:
                return (own, cols) if own is not None else None
        parsed = self._parse(s)
        if parsed is not None and parsed.line is not None:
            return parsed.line, parsed.cols
        if parsed is not None:  # columns only: the subject of the sentence, or the text's project
            if not parsed.cols:
                return None
            if last is not None:
                return last, parsed.cols
            if own is not None:
                return own, parsed.cols
            if ctx.project is None:
                section = self._section_subject(ctx.section, parsed.cols)
                if section is not None:
                    return section, parsed.cols
            return None
        # a project's name followed by columns (城乡最低生活保障项目支出, 高龄补贴年初预算…): the
        # longest run of column words is cut off first, so 年初预算 is not read into the name
        for cut in range(1, len(s) + 1):
            cols = self._columns_only(s[cut:]) if cut < len(s) else []
            if cols is None:
                continue
            if s[cut:] == "支出":
                cols = []  # "XX项目支出" names the project's line, not its 执行数 column
            index = match_project(s[:cut], self.report.projects)
            if index is not None:
                return self.projects[index], cols
        return None

    # --- reading a text ----------------------------------------------------------------------------

    @staticmethod
    def is_heading(line: str) -> bool:
        """A short line without sentence punctuation or figures: a heading such as ``（1）临时救助项目``."""
        s = _NUMBERING.sub("", line.strip().translate(_FULLWIDTH))
        return bool(s) and len(s) <= 40 and not re.search(r"[，,。；;：:!?！？]|\d", s)

    def heading_project(self, line: str) -> int | None:
        """The project a heading line names (``（1）城乡最低生活保障项目``), if any."""
        if not self.is_heading(line):
            return None
        return match_project(
            _NUMBERING.sub("", line.strip().translate(_FULLWIDTH)), self.report.projects
        )

    def check(self, text: str, ctx: TextContext | None = None) -> list[Reading]:
        """Every written figure in ``text`` that disagrees with the report."""
        return [r for r in self.read(text, ctx) if not r.ok]

    def read(self, text: str, ctx: TextContext | None = None) -> list[Reading]:
        """Every written figure in ``text`` the reader understood, agreeing or not.

        In a section's text a heading line naming a project puts the lines under it in that
        project's context; a heading naming no known project makes ``项目支出…`` under it
        unreadable rather than the total's.
        """
        ctx = ctx or TextContext()
        out: list[Reading] = []
        current = ctx.project
        for raw_line in text.translate(_FULLWIDTH).split("\n"):
            if ctx.project is None and self.is_heading(raw_line):
                heading = self.heading_project(raw_line)
                current = heading if heading is not None else UNKNOWN_PROJECT
                continue
            if ctx.project is None and _NUMBERING.match(raw_line.strip()):
                current = None  # a numbered paragraph: no longer under the project heading
            line_ctx = TextContext(current, ctx.three_public, ctx.section)
            for sentence in _SENTENCE_END.split(raw_line):
                out.extend(self._read_sentence(sentence, line_ctx))
        return out

    def _read_sentence(self, sentence: str, ctx: TextContext) -> Iterator[Reading]:
        last: Subject | None = (
            None  # the sentence's subject so far, for 决算0.13万元 after 三公经费预算…
        )
        # the sentence's column so far: in 年初预算4572.76万元，其中：基本支出258.07万元 the 基本支出
        # is its 年初预算数
        sentence_cols: list[Col] = []
        partial = _month_before_december(sentence)
        prev_end = 0
        for m in _NUMBER.finditer(sentence):
            start = prev_end
            for c in _CLAUSE_END.finditer(sentence, prev_end, m.start()):
                start = c.end()
            raw_lead = sentence[start : m.start()]
            prev_end = m.end()
            value = Decimal(m.group(1).replace(",", ""))
            places = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
            written = Written(value, places, m.group(2), (raw_lead + m.group(0)).strip())
            if m.group(2) == "%":
                yield from self._read_percent(raw_lead, written, ctx, last)
                continue
            if any(w in raw_lead for w in _APPROXIMATE + _CHANGE + _PER) or partial:
                continue
            cleaned = self.clean(raw_lead)
            if cleaned.unreadable or not cleaned.text:
                continue
            found = self.subject_of(cleaned.text, ctx, last, whole=cleaned.whole)
            if found is None:
                sentence_cols = self._columns_only(cleaned.text) or sentence_cols
                continue
            subject, cols = found
            last = subject
            if cleaned.prior:
                cols = [Col.PRIOR]
            if cols:
                sentence_cols = cols
            elif not (cleaned.current and sentence_cols == [Col.PRIOR]):
                cols = sentence_cols
            figures = subject.candidates(cols)
            if not figures or figures[0][1] is None:
                continue  # the figure it names is blank: nothing to hold it against
            ok = any(agrees(value, places, f[1]) for f in figures if f[1] is not None)
            yield Reading("amount", written, subject, ok, figures[0])

    def _read_percent(
        self, raw_lead: str, written: Written, ctx: TextContext, last: Subject | None
    ) -> Iterator[Reading]:
        lead = re.sub(r"\s", "", _PARENS.sub("", raw_lead))
        growth = _GROWTH.search(lead)
        if growth:
            subject = None
            before = self.clean(lead[: growth.start()]).text
            for cut in ("同比", "较上年", "比上年", "与上年相比", "比"):
                before = before.removesuffix(cut)
            if before:  # its own subject, or words we cannot read (服务老人增长…): no guessing
                found = self.subject_of(before, ctx, None)
                subject = found[0] if found else None
            else:
                subject = (
                    last or (self.three_public if ctx.three_public else None) or self._own(ctx)
                )
            if subject is not None and subject.prior is not None:
                # From a zero base there is no rate at all (REPORT_FORMAT §5).
                yield Reading("growth", written, subject, subject.prior != 0 or written.value == 0)
            return
        rate_m = _RATE.search(lead)
        if not rate_m:
            return
        cleaned = self.clean(lead[: rate_m.start()])
        if cleaned.unreadable:
            return
        subject: Subject | None = None
        before = bare = cleaned.text
        for word in ("预算", "资金", "整体", "总体", "部门", "支出"):
            bare = bare.removesuffix(word)
        if not bare:  # 预算执行率 / 执行率: the text's project, or the whole
            subject = (
                self._own(ctx) if ctx.project is not None and not cleaned.whole else self.total
            )
        else:
            for attempt in (before, bare):
                found = self.subject_of(attempt, ctx, None, whole=cleaned.whole)
                if found is not None:
                    subject = found[0]
                    break
        if subject is None or subject.rate is None:
            return
        yield Reading(
            "rate", written, subject, _rate_agrees(written.value, written.places, subject.rate)
        )

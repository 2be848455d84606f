"""What an amount in the text can be the amount of: the report's lines and projects, by column."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from perfdesk.domain import calc
from perfdesk.domain.model import (
    PROJECT_SOURCE_KEYS,
    BudgetLine,
    ControlLine,
    Project,
    Report,
    ReportKind,
    SpecialFundKind,
)

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
    current: Decimal | None = (
        None  # 本年决算数 / 全年执行数, set against ``prior`` for growth rates
    )
    completion: Decimal | None = None  # 完成预算% (本年决算 ÷ 本年预算, 全年执行 ÷ 全年预算)
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
    if report.kind == ReportKind.PROJECT:
        return _project_report_subjects(report)
    r = report
    out: list[tuple[tuple[str, ...], Subject]] = []

    def budget(
        key: str,
        label: str,
        names: tuple[str, ...],
        extra: dict[Col, list[Figure]] | None = None,
        prior: Decimal | None = None,
        current: Decimal | None = None,
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
                    prior=prior,
                    current=current,
                    completion=calc.line_execution_rate(line),
                    rate=calc.line_execution_rate(line),
                    initial_rate=calc.execution_rate(line.initial_budget, line.executed),
                ),
            )
        )

    total = r.budget_line("total")
    project_line = r.budget_line("expense.project")
    # 专项资金 is 项目支出 only while no project is in another group (业务工作经费…): categories are
    # the report's own words, and a 专项 group beside others is only part of 项目支出.
    project_names: tuple[str, ...] = ("项目支出", "项目资金", "项目经费")
    if all(not p.category.strip() or p.category.strip().endswith("专项资金") for p in r.projects):
        project_names += ("项目专项资金", "专项资金")
    projects = calc.project_total_line(r)
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
        project_names,
        {
            Col.CARRYOVER: [("项目结余结转", r.project_carryover)],
            # 附件1's 项目支出 row (given as a total, or the projects' sum)
            Col.PRIOR: [("项目支出（上年决算数）", projects.prior_final)],
            Col.ACTUAL: [
                ("项目支出（全年执行数）", project_line.executed)
                if project_line.executed is not None
                else ("附件1项目支出（本年决算数）", projects.final)
            ],
        },
        prior=projects.prior_final,
        current=project_line.executed if project_line.executed is not None else projects.final,
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
                Subject(
                    label,
                    _control_figures(line, label),
                    Col.ACTUAL,
                    prior=line.prior_final,
                    current=line.final,
                    completion=calc.completion_rate(line),
                ),
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
        current=project.executed,
        completion=calc.project_execution_rate(project),
        rate=calc.project_execution_rate(project),
        initial_rate=calc.execution_rate(project.initial_budget, project.executed),
        project=index,
    )


PROJECT_TOTAL_NAMES = (
    "年度资金总额",
    "资金总额",
    "项目资金总额",
    "项目资金",
    "项目经费",
    "项目支出",
    "项目专项资金",
    "专项资金",
)
"""In a project report these all name the one project's 年度资金总额 (its form's first row)."""

_SOURCE_NAMES = {
    "current_appropriation": ("当年财政拨款", "本年财政拨款", "财政拨款"),
    "prior_carryover": ("上年结转资金", "上年结转"),
    "other": ("其他资金",),
}


def _project_report_subjects(report: Report) -> list[tuple[tuple[str, ...], Subject]]:
    """A project report's totals: its project's 年度资金总额 and the fund sources under it.

    The department report's lines (基本支出, 三公经费…) are not in a project report, so a text
    naming them is not read against anything.
    """
    if not report.projects:
        return []
    project = report.projects[0]
    out: list[tuple[tuple[str, ...], Subject]] = [
        (PROJECT_TOTAL_NAMES, project_subject(project, 0))
    ]
    sources = {s.key: s for s in project.sources}
    for key, label in PROJECT_SOURCE_KEYS.items():
        line = sources.get(key, BudgetLine(key))
        out.append(
            (
                _SOURCE_NAMES[key],
                Subject(
                    label,
                    _budget_figures(line, label),
                    Col.ACTUAL,
                    completion=calc.line_execution_rate(line),
                    rate=calc.line_execution_rate(line),
                    initial_rate=calc.execution_rate(line.initial_budget, line.executed),
                ),
            )
        )
    return out

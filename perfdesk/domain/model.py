"""The data of one 部门（单位）整体支出绩效自评报告, as plain dataclasses.

This is the snapshot the report builder, the audit and the exchange file read and write: no
database session, no Qt. Amounts are ``Decimal`` in 万元 (``None`` is a blank cell, which the
printout keeps blank, unlike 0). Anything that can be computed from these fields — totals, rates,
total scores, grades — is not stored here; see :mod:`perfdesk.domain.calc`.

Row lists keep the order the clerk gave them. ``id`` fields are the database ids when the snapshot
was read from storage and ``None`` otherwise; they are never written to the exchange file.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal


class SectionKind(enum.StrEnum):
    """How a section's body is printed."""

    TEXT = "text"  # paragraphs, one per line of text
    LIST = "list"  # one numbered item per line, numbered by the program (1、 2、 …)


class Method(enum.StrEnum):
    """How an indicator is scored (docs/report-format.md §5)."""

    AT_LEAST = ">="  # 正向: the higher the better
    AT_MOST = "<="  # 反向: the lower the better
    EQUAL = "="  # 等于: hit the target
    QUALITATIVE = "qualitative"  # 定性: graded in bands


class QualitativeGrade(enum.StrEnum):
    """The three bands of a 定性 indicator."""

    ACHIEVED = "达成年度指标"
    PARTLY = "部分达成年度指标并具有一定效果"
    NOT_ACHIEVED = "未达成年度指标且效果较差"


class SpecialFundKind(enum.StrEnum):
    """The budgets of sections 三, 四 and 五."""

    GOV_FUND = "gov_fund"  # 政府性基金预算
    STATE_CAPITAL = "state_capital"  # 国有资本经营预算
    SOCIAL_INSURANCE = "social_insurance"  # 社会保险基金预算


class FundStatus(enum.StrEnum):
    """What a report says of one budget of sections 三–五: it has one, it has none, or not said."""

    HAS = "有"  # figures and what the money was for
    NONE = "无"  # prints 本部门××年度无…安排。
    UNSTATED = "未说明"  # the report does not say: nothing is printed as if it had


class ReportKind(enum.StrEnum):
    """The two kinds of self-evaluation report perfdesk makes."""

    DEPARTMENT = "department"  # 部门（单位）整体支出绩效自评报告
    PROJECT = "project"  # 项目支出绩效自评报告 (one project: its form and its narrative)


REPORT_KIND_LABELS = {
    ReportKind.DEPARTMENT: "部门（单位）整体支出绩效自评报告",
    ReportKind.PROJECT: "项目支出绩效自评报告",
}

STANDARD_PROJECT_CATEGORIES = ("业务工作经费", "运行维护经费")
"""The first two 项目支出 groups of 附件1; the third is ``{级次}专项资金`` (市级专项资金, 省级专项资金…).
A project's category is free text: these are suggestions, and a project may have none."""


AMOUNT_FIELDS = frozenset(
    {
        "initial_budget",
        "full_year_budget",
        "executed",
        "prior_final",
        "budget",
        "final",
        "carryover",
        "personnel_expense",
        "general_public_expenditure",
        "project_carryover",
        "income",
        "expenditure",
        "budget_investment",
        "actual_investment",
    }
)
"""Fields that hold amounts in 万元 (at most four places); other ``Decimal`` fields (weights,
scores, indicator values, areas) are plain decimals."""


# --- budget lines --------------------------------------------------------------------------------

BUDGET_LINE_KEYS: dict[str, str] = {
    "total": "年度资金总额",
    "income.general_public": "一般公共预算",
    "income.gov_fund": "政府性基金拨款",
    "income.special_account": "纳入专户管理的非税收入拨款",
    "income.other": "其他资金",
    "expense.basic": "基本支出",
    "expense.project": "项目支出",
}
"""附件2's 年度预算申请 rows: key → label. Each has 年初预算数, 全年预算数, 全年执行数."""

INCOME_KEYS = ("income.general_public", "income.gov_fund", "income.special_account", "income.other")
EXPENSE_KEYS = ("expense.basic", "expense.project")

CONTROL_LINE_KEYS: dict[str, str] = {
    "three_public.vehicle_purchase": "公车购置",
    "three_public.vehicle_operation": "公车运行维护",
    "three_public.overseas": "出国经费",
    "three_public.reception": "公务接待",
    "project": "项目支出",
    "public": "公用经费",
    "public.office": "办公经费",
    "public.utilities_travel": "水费、电费、差旅费",
    "public.meetings_training": "会议费、培训费",
    "procurement": "政府采购金额",
    "basic_adjustment": "部门基本支出预算调整",
}
"""附件1's 经费控制情况 rows entered directly: key → label. Each has 上年决算数, 本年预算数, 本年决算数.
The 三公经费 total and its 公务用车 subtotal are computed from the four 三公 parts. ``project`` is
项目支出 as a total, for a report that gives it without (or beside) itemised projects; where both
exist the audit checks one against the other."""

THREE_PUBLIC_KEYS = (
    "three_public.vehicle_purchase",
    "three_public.vehicle_operation",
    "three_public.overseas",
    "three_public.reception",
)
PUBLIC_PART_KEYS = ("public.office", "public.utilities_travel", "public.meetings_training")

PROJECT_SOURCE_KEYS: dict[str, str] = {
    "current_appropriation": "当年财政拨款",
    "prior_carryover": "上年结转资金",
    "other": "其他资金",
}
"""附件3's 其中 rows under a project's 年度资金总额."""


@dataclass
class BudgetLine:
    """One row with 年初预算数 / 全年预算数 / 全年执行数."""

    key: str
    initial_budget: Decimal | None = None
    full_year_budget: Decimal | None = None
    executed: Decimal | None = None


@dataclass
class ControlLine:
    """One row of 附件1 with 上年决算数 / 本年预算数 / 本年决算数."""

    key: str
    prior_final: Decimal | None = None
    budget: Decimal | None = None
    final: Decimal | None = None


# --- staffing --------------------------------------------------------------------------------------


@dataclass
class StaffPost:
    """编制 of one kind (行政编制, 事业编制, 工勤编制…)."""

    kind: str
    count: int | None = None
    id: int | None = None


@dataclass
class ListItem:
    """One line of a list: an office, a subordinate unit, a duty, a problem, a measure."""

    text: str
    id: int | None = None


LIST_KEYS: dict[str, str] = {
    "offices": "内设科室",
    "subordinate_units": "下属单位",
    "duties": "部门主要职责",
    "problems": "存在的问题及原因分析",
    "measures": "下一步改进措施",
}


# --- funds of sections 三–五 ------------------------------------------------------------------------


@dataclass
class SpecialFund:
    """政府性基金 / 国有资本经营 / 社会保险基金: figures and what the money was for, or none at all."""

    kind: SpecialFundKind
    status: FundStatus = FundStatus.UNSTATED
    initial_budget: Decimal | None = None
    income: Decimal | None = None  # 决算收入
    expenditure: Decimal | None = None  # 决算支出
    usage: str = ""  # 主要用于…


@dataclass
class Building:
    """楼堂馆所: one project completed in the previous year."""

    name: str = ""
    approved_area: Decimal | None = None  # ㎡
    actual_area: Decimal | None = None  # ㎡
    budget_investment: Decimal | None = None  # 万元
    actual_investment: Decimal | None = None  # 万元
    id: int | None = None


# --- indicators ----------------------------------------------------------------------------------


@dataclass
class IndicatorGroup:
    """一级指标 with its weight (产出指标 40…), in the order printed."""

    name: str
    weight: Decimal | None = None
    id: int | None = None


@dataclass
class Indicator:
    """One 三级指标 row (a row with an empty name keeps an empty 二级 in the table)."""

    level1: str
    level2: str
    name: str = ""
    target_text: str = ""  # 年度指标值 as printed
    actual_text: str = ""  # 实际完成值 as printed
    method: Method | None = None
    target_value: Decimal | None = None
    actual_value: Decimal | None = None
    unit: str = ""
    grade: QualitativeGrade | None = None  # for 定性 indicators
    weight: Decimal | None = None  # 分值
    score: Decimal | None = None  # 得分 as entered; None means "use the suggested score"
    deviation_reason: str = ""  # 偏差原因分析及改进措施
    id: int | None = None


# --- projects ------------------------------------------------------------------------------------


@dataclass
class Project:
    """One 项目: its money (附件1, 六（二）), its narrative and its own self-evaluation (附件3)."""

    name: str
    category: str = ""  # 附件1 group: 业务工作经费, 运行维护经费, 市级专项资金…; "" = none given
    supervisor: str = ""  # 主管部门
    implementer: str = ""  # 实施单位
    prior_final: Decimal | None = None  # 上年决算数
    initial_budget: Decimal | None = None  # 年初预算数
    full_year_budget: Decimal | None = None  # 全年预算数
    executed: Decimal | None = None  # 全年执行数 (本年决算数)
    carryover: Decimal | None = None  # 结余结转
    purpose: str = ""  # 主要用于…
    narrative: str = ""  # 项目实施及绩效情况
    goal_expected: str = ""
    goal_actual: str = ""
    execution_weight: Decimal | None = None  # 预算执行率 分值 (10)
    execution_score: Decimal | None = None  # entered; None = suggested
    sources: list[BudgetLine] = field(default_factory=list)  # keys of PROJECT_SOURCE_KEYS
    groups: list[IndicatorGroup] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    id: int | None = None


# --- narrative -----------------------------------------------------------------------------------


@dataclass
class Section:
    """One heading of the report's outline and the clerk's own text under it.

    ``key`` names the place in the outline (``basic.org``, ``performance.projects``…); where the
    program writes a standard paragraph from the figures, ``text`` follows it. A ``list`` section
    prints the list named by ``list_key`` (numbered) and then ``text``.
    """

    key: str
    heading: str
    level: int = 1  # 1: 一、 2: （一）
    kind: SectionKind = SectionKind.TEXT
    list_key: str = ""  # for a LIST section: the key in LIST_KEYS it prints
    text: str = ""
    id: int | None = None


@dataclass
class Note:
    """A 说明 with which the clerk accepts an audit 提示 (kept with the report)."""

    rule: str
    place: str
    text: str
    id: int | None = None


# --- the report ----------------------------------------------------------------------------------


@dataclass
class Report:
    """A whole self-evaluation report: one unit, one year."""

    unit_name: str
    year: int
    kind: ReportKind = ReportKind.DEPARTMENT
    unit_level: str = ""  # 市级 / 区级 … as printed before 预算部门（单位）名称
    report_date: dt.date | None = None
    preparer: str = ""  # 填表人
    phone: str = ""  # 联系电话
    head: str = ""  # 单位负责人
    supervisor: str = ""  # 主管部门
    template: str = "hunan_department"
    is_sample: bool = False  # the shipped sample: offered for removal once the clerk has their own

    # staffing
    posts: list[StaffPost] = field(default_factory=list)
    actual_staff: int | None = None  # 实有在职人数
    offices_note: str = ""  # e.g. 含1个副科级单位
    lists: dict[str, list[ListItem]] = field(default_factory=dict)  # keys of LIST_KEYS

    # funds
    budget_lines: list[BudgetLine] = field(default_factory=list)  # keys of BUDGET_LINE_KEYS
    control_lines: list[ControlLine] = field(default_factory=list)  # keys of CONTROL_LINE_KEYS
    personnel_expense: Decimal | None = None  # 人员经费
    general_public_expenditure: Decimal | None = None  # 一般公共预算财政拨款支出
    three_public_change_reason: str = ""
    project_carryover: Decimal | None = None  # 项目 结余结转
    special_funds: list[SpecialFund] = field(default_factory=list)
    buildings: list[Building] = field(default_factory=list)
    frugality_measures: str = ""  # 厉行节约保障措施

    # overall self-evaluation (附件2)
    goal_expected: str = ""
    goal_actual: str = ""
    execution_weight: Decimal | None = None  # 预算执行率 分值
    execution_score: Decimal | None = None  # entered; None = suggested
    groups: list[IndicatorGroup] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    projects: list[Project] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    id: int | None = None

    # --- lookups (read-only conveniences; the lists stay the one source) -------------------------

    def budget_line(self, key: str) -> BudgetLine:
        """The budget line ``key``, blank if the report has none."""
        for line in self.budget_lines:
            if line.key == key:
                return line
        return BudgetLine(key)

    def control_line(self, key: str) -> ControlLine:
        """The 附件1 line ``key``, blank if the report has none."""
        for line in self.control_lines:
            if line.key == key:
                return line
        return ControlLine(key)

    def special_fund(self, kind: SpecialFundKind) -> SpecialFund:
        """The section 三/四/五 data of ``kind``, "no budget" if the report has none."""
        for fund in self.special_funds:
            if fund.kind == kind:
                return fund
        return SpecialFund(kind)

    def list_items(self, key: str) -> list[str]:
        """The texts of list ``key`` in order."""
        return [item.text for item in self.lists.get(key, [])]

    def section(self, key: str) -> Section | None:
        """The outline entry ``key``, or ``None`` if the outline has no such heading."""
        for section in self.sections:
            if section.key == key:
                return section
        return None

    @property
    def project_name(self) -> str:
        """A project report's project (its one project); "" for a department report."""
        if self.kind == ReportKind.PROJECT and self.projects:
            return self.projects[0].name
        return ""

    @property
    def title(self) -> str:
        """``2024年度株洲市芦淞区民政局整体支出绩效自评报告``; a project report names its project."""
        if self.kind == ReportKind.PROJECT:
            return f"{self.year}年度{self.project_name}项目支出绩效自评报告"
        return f"{self.year}年度{self.unit_name}整体支出绩效自评报告"

"""Reports to print in tests and benchmarks: every field filled, built from the shipped templates.

``filled_report`` gives a small report shaped like the 2024 reference (figures chosen by hand, so
tests can state what a paragraph must say); ``stress_report`` scales the number of projects and
indicator rows for the benchmark.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from perfdesk.domain.model import (
    Building,
    FundStatus,
    ListItem,
    Method,
    Project,
    Report,
    SpecialFundKind,
    StaffPost,
)
from perfdesk.domain.templates import new_project, new_report


def _set_line(
    report: Report, key: str, initial: str | None, full: str | None, executed: str | None
) -> None:
    line = report.budget_line(key)
    if line not in report.budget_lines:
        report.budget_lines.append(line)
    line.initial_budget = D(initial) if initial is not None else None
    line.full_year_budget = D(full) if full is not None else None
    line.executed = D(executed) if executed is not None else None


def _set_control(
    report: Report, key: str, prior: str | None, budget: str | None, final: str | None
) -> None:
    line = report.control_line(key)
    if line not in report.control_lines:
        report.control_lines.append(line)
    line.prior_final = D(prior) if prior is not None else None
    line.budget = D(budget) if budget is not None else None
    line.final = D(final) if final is not None else None


def project(
    name: str,
    executed: str,
    *,
    indicators: int = 3,
    purpose: str = "",
    narrative: str = "",
    skeleton: bool = True,
) -> Project:
    """A project on the national template with ``indicators`` named rows under 数量指标.

    ``skeleton=False`` drops the template's empty rows, so the form has exactly ``indicators`` rows.
    """
    p = new_project(name)
    p.category = "市级专项资金"
    p.supervisor = "测试主管部门"
    p.implementer = "测试实施单位"
    p.prior_final = D("10.00")
    p.initial_budget = D(executed) + D("5")
    p.full_year_budget = D(executed) + D("1")
    p.executed = D(executed)
    p.purpose = purpose
    p.narrative = narrative
    p.goal_expected = f"{name}的年度目标"
    p.goal_actual = f"{name}的完成情况"
    for source in p.sources:
        if source.key == "current_appropriation":
            source.initial_budget, source.full_year_budget, source.executed = (
                p.initial_budget,
                p.full_year_budget,
                p.executed,
            )
    named = [i for i in p.indicators if i.level2 == "数量指标"][0]
    rows = []
    for k in range(indicators):
        ind = type(named)(
            level1=named.level1,
            level2=named.level2,
            name=f"{name}指标{k + 1}",
            target_text="≥100人",
            actual_text="120人",
            method=Method.AT_LEAST,
            target_value=D(100),
            actual_value=D(120),
            unit="人",
            weight=D(10),
        )
        rows.append(ind)
    position = p.indicators.index(named)
    p.indicators[position : position + 1] = rows
    if not skeleton:
        p.indicators = rows
    return p


def filled_report(*, year: int = 2024, projects: int = 3, indicators: int = 3) -> Report:
    """A small complete report; figures like the reference's where a test states them."""
    r = new_report("测试市民政局", year)
    r.report_date = dt.date(2025, 10, 17)
    r.preparer, r.phone, r.head = "张三", "12345678", "李四"
    r.posts = [StaffPost("行政编制", 7), StaffPost("事业编制", 5)]
    r.actual_staff = 12
    r.offices_note = "含1个副科级单位"
    r.lists = {
        "offices": [ListItem("综合办公室"), ListItem("社会救助股")],
        "subordinate_units": [ListItem("慈善事务服务中心")],
        "duties": [ListItem("贯彻执行民政工作的法律法规。"), ListItem("完成交办的其他任务。")],
        "problems": [ListItem("绩效目标不够细化、量化。")],
        "measures": [ListItem("组织开展绩效管理的学习。"), ListItem("进一步完善绩效管理。")],
    }
    _set_line(r, "total", "4572.76", "4532.05", "4532.05")
    _set_line(r, "income.general_public", None, None, "3219.95")
    _set_line(r, "income.gov_fund", None, None, "205.49")
    _set_line(r, "expense.basic", "258.07", None, "306.91")
    _set_line(r, "expense.project", "4314.69", "4175.33", "4175.33")
    _set_control(r, "three_public.reception", "0.00", "0.30", "0.13")
    _set_control(r, "public", "24.48", "21.42", "51.47")
    _set_control(r, "public.office", "2.00", "2.00", "6.73")
    _set_control(r, "procurement", None, "438.93", "0.00")
    _set_control(r, "basic_adjustment", None, "247.94", "0.00")
    r.personnel_expense = D("255.44")
    r.general_public_expenditure = D("3219.95")
    r.three_public_change_reason = "主要是接待检查组。"
    r.project_carryover = D("49.81")
    gov = r.special_fund(SpecialFundKind.GOV_FUND)
    gov.status = FundStatus.HAS
    for kind in (SpecialFundKind.STATE_CAPITAL, SpecialFundKind.SOCIAL_INSURANCE):
        r.special_fund(kind).status = FundStatus.NONE  # 本部门…无…安排
    gov.initial_budget, gov.income, gov.expenditure = D("0"), D("205.49"), D("205.49")
    gov.usage = "主要为用于社会福利的彩票公益金项目支出205.49万元"
    r.buildings = [Building("办公楼维修", D("1200"), D("1150"), D("300.00"), D("290.50"))]
    r.frugality_measures = "严格执行公务接待标准。"
    r.goal_expected = "保障全局工作正常运转。"
    r.goal_actual = "城乡低保应保尽保。"
    r.execution_score = D("9")
    for ind in r.indicators:
        if ind.level2 == "数量指标":
            ind.name, ind.target_text, ind.actual_text = "城乡低保人数", "应保尽保", "应保尽保"
            ind.method, ind.weight, ind.score = Method.QUALITATIVE, D(10), D(9)
    r.projects = [
        project(
            f"测试项目{k + 1}",
            f"{100 + k}.50",
            indicators=indicators,
            purpose=f"测试用途{k + 1}",
            narrative=f"测试项目{k + 1}的实施情况。",
        )
        for k in range(projects)
    ]
    for section in r.sections:
        if section.key == "performance.overall":
            section.text = "2024年我局整体支出总体绩效目标基本完成。\n具体开展业务情况：略。"
        if section.key == "other":
            section.text = "无。"
    return r


def stress_report(n_projects: int = 200, rows_per_project: int = 5) -> Report:
    """``n_projects`` projects, each with its own 附件3 form of exactly ``rows_per_project`` indicators."""
    r = filled_report(projects=0)
    narrative = "项目按计划实施，资金及时拨付到位，服务对象满意度较高。" * 4
    r.projects = [
        project(
            f"压力测试项目{k + 1:04d}",
            f"{10 + k % 90}.25",
            indicators=rows_per_project,
            purpose="保障困难群众基本生活",
            narrative=narrative,
            skeleton=False,
        )
        for k in range(n_projects)
    ]
    return r


PROJECT_NAMES = (
    "城乡最低生活保障",
    "特困供养基本生活补贴和护理补贴",
    "孤儿基本生活费、事实无人抚养儿童生活补贴",
    "困难群众临时生活救助及流浪乞讨人员救助",
    "养老服务体系建设",
    "高龄补贴",
    "惠民礼葬补贴",
    "精简退职人员救济",
    "残疾人两项补贴",
    "社区居家养老服务中心运营补助2024",
)


def twenty_projects() -> Report:
    """20 projects, each with its own 附件3 form: names short and long (one with 、, one ending in a
    digit), a reason for every deducted score, some long enough to wrap over several lines."""
    r = filled_report(projects=0)
    reason = "受资金拨付进度影响，部分补助于次年一季度发放；下一步将加强与财政部门的沟通，提前做好资金计划。"
    r.projects = []
    for k in range(20):
        name = PROJECT_NAMES[k % len(PROJECT_NAMES)] + (
            "（二期）" if k >= len(PROJECT_NAMES) else ""
        )
        p = project(name, f"{35 + 17 * k}.{k:02d}", indicators=2 + k % 5, purpose=f"{name}的发放")
        p.execution_weight = D(10)
        for i, ind in enumerate(i for i in p.indicators if i.name):
            if i % 2:
                ind.score = D("8.5")
                ind.deviation_reason = reason * (1 + k % 3)
        r.projects.append(p)
    return r

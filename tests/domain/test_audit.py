"""审核: every rule stays silent on a consistent report and speaks on the broken case.

``consistent_report()`` is a small report whose figures all agree (worked out by hand below); each
rule has a ``BROKEN`` entry that breaks exactly what that rule checks. The messages are checked
for the place and the figures a clerk needs to find and fix the problem.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from perfdesk.domain import audit as audit_module
from perfdesk.domain.audit import (
    RULES,
    Finding,
    Place,
    Severity,
    audit,
    docs_table,
    format_findings,
    rule,
    section_label,
    unresolved_errors,
)
from perfdesk.domain.model import (
    BudgetLine,
    Building,
    ControlLine,
    FundStatus,
    Indicator,
    IndicatorGroup,
    Method,
    Note,
    Project,
    QualitativeGrade,
    Report,
    Section,
    SpecialFund,
    SpecialFundKind,
    StaffPost,
)

D = Decimal


def _indicator(
    level1: str, level2: str, name: str, weight: str, score: str | None = None, reason: str = ""
) -> Indicator:
    return Indicator(
        level1,
        level2,
        name,
        "达成",
        "达成",
        method=Method.QUALITATIVE,
        grade=QualitativeGrade.ACHIEVED,
        weight=D(weight),
        score=D(score) if score is not None else None,
        deviation_reason=reason,
    )


def consistent_report() -> Report:
    """A report whose figures agree everywhere.

    年度资金总额 1000 / 950 / 900 = income 800+200 / 760+190 / 720+180
                                 = expense 基本 300+700 / 300+650 / 290+610.
    基本支出 290 = 人员经费 250 + 公用经费 40. Projects 400 + 210 = 项目支出 610.
    Weights: 执行率 10 + 产出 40 + 效益 20 + 满意度 10 + 成本 20 = 100.
    """
    project_a = Project(
        "城乡最低生活保障",
        prior_final=D("380"),
        initial_budget=D("420"),
        full_year_budget=D("420"),
        executed=D("400"),
        purpose="补助城乡低保对象的基本生活",
        narrative="全年共支出400万元，保障了低保对象的基本生活。",
        execution_weight=D("10"),
        sources=[
            BudgetLine("current_appropriation", D("400"), D("400"), D("380")),
            BudgetLine("prior_carryover", D("20"), D("20"), D("20")),
        ],
        groups=[
            IndicatorGroup("产出指标", D("50")),
            IndicatorGroup("效益指标", D("30")),
            IndicatorGroup("满意度指标", D("10")),
        ],
        indicators=[
            _indicator("产出指标", "数量指标", "保障人数", "30"),
            _indicator("产出指标", "时效指标", "按月发放", "20"),
            _indicator("效益指标", "社会效益指标", "基本生活得到保障", "30"),
            _indicator("满意度指标", "服务对象满意度指标", "满意度", "10"),
        ],
    )
    project_b = Project(
        "高龄补贴项目",
        prior_final=D("190"),
        initial_budget=D("200"),
        full_year_budget=D("230"),
        executed=D("210"),
        purpose="发放80岁以上老年人高龄补贴",
    )
    return Report(
        unit_name="测试县民政局",
        year=2024,
        report_date=dt.date(2025, 3, 1),
        preparer="张三",
        posts=[StaffPost("行政编制", 7), StaffPost("事业编制", 5)],
        actual_staff=12,
        budget_lines=[
            BudgetLine("total", D("1000"), D("950"), D("900")),
            BudgetLine("income.general_public", D("800"), D("760"), D("720")),
            BudgetLine("income.gov_fund", D("200"), D("190"), D("180")),
            BudgetLine("expense.basic", D("300"), D("300"), D("290")),
            BudgetLine("expense.project", D("700"), D("650"), D("610")),
        ],
        control_lines=[
            ControlLine("three_public.reception", D("0"), D("0.3"), D("0.25")),
            ControlLine("public", D("35"), D("42"), D("40")),
            ControlLine("basic_adjustment", None, D("-5"), D("0")),  # a reduction may be negative
        ],
        personnel_expense=D("250"),
        general_public_expenditure=D("720"),
        special_funds=[
            SpecialFund(SpecialFundKind.GOV_FUND, FundStatus.HAS, D("200"), D("180"), D("180"))
        ],
        buildings=[Building("办公楼维修", D("1000"), D("980"), D("50"), D("48"))],
        execution_weight=D("10"),
        groups=[
            IndicatorGroup("产出指标", D("40")),
            IndicatorGroup("效益指标", D("20")),
            IndicatorGroup("满意度指标", D("10")),
            IndicatorGroup("成本指标", D("20")),
        ],
        indicators=[
            _indicator("产出指标", "数量指标", "低保人数", "20"),
            _indicator(
                "产出指标", "质量指标", "救助对象准确率", "20", "18", reason="个别对象未及时调整。"
            ),
            _indicator("效益指标", "社会效益指标", "困难群众生活水平", "20"),
            Indicator("效益指标", "生态效益指标"),  # an empty 二级 row
            _indicator("满意度指标", "服务对象满意度指标", "政策知晓率", "10"),
            _indicator("成本指标", "经济成本指标", "低保标准", "20"),
        ],
        projects=[project_a, project_b],
        sections=[
            Section("basic", "部门（单位）基本情况"),
            Section("gpb", "一般公共预算支出情况"),
            Section(
                "gpb.basic",
                "基本支出情况",
                2,
                text=(
                    "2024年度单位一般公共预算财政拨款收入720万元，其中：人员经费250万元，公用经费40万元。\n"
                    "2024年度三公经费预算0.3万元，决算0.25万元，与2023年决算比较增加0.25万元，上年为0。"
                ),
            ),
            Section(
                "gpb.project",
                "项目支出情况",
                2,
                text=(
                    "2024年度单位项目支出610万元，其中：城乡最低生活保障项目支出400万元、高龄补贴项目支出210万元。"
                ),
            ),
            Section("performance", "部门整体支出绩效情况"),
            Section(
                "performance.overall",
                "整体支出绩效情况",
                2,
                text="预算执行率94.74%，基本完成年度目标。",
            ),
        ],
    )


def _rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def _only(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule_id]


def test_a_consistent_report_has_no_finding_at_all() -> None:
    assert audit(consistent_report()) == []


# --- one way to break each rule ------------------------------------------------------------------


def _set_line(key: str, **values: str) -> Callable[[Report], None]:
    def breaks(r: Report) -> None:
        line = r.budget_line(key)
        for name, value in values.items():
            setattr(line, name, D(value))

    return breaks


def _weights(r: Report) -> None:
    r.indicators[0].weight = D("25")  # 产出 now 45 ≠ 40, and the total 105


def _total_weight(r: Report) -> None:
    r.execution_weight = D("15")  # groups still add up, the whole is 105


def _section(r: Report, key: str) -> Section:
    section = r.section(key)
    assert section is not None
    return section


def _execution_text(r: Report) -> None:
    _section(
        r, "performance.overall"
    ).text = "预算执行率为94.74%，年初预算执行率90%，总体执行率为100%。"


def _execution_basis(r: Report) -> None:
    r.execution_score = D("9")  # 900 ÷ 950 = 94.74 % → 9.47; 年初 1000 ≠ 全年 950


def _score_above(r: Report) -> None:
    r.indicators[0].score = D("21")


def _band(r: Report) -> None:
    r.indicators[0].score = D("15")  # 达成年度指标 is 16–20 of 20


def _negative(r: Report) -> None:
    r.projects[1].carryover = D("-1")


def _staff(r: Report) -> None:
    r.actual_staff = 13


def _three_public(r: Report) -> None:
    r.control_line("three_public.reception").final = D("0.35")
    _section(r, "gpb.basic").text = ""  # the sentence quoting 0.25 would (rightly) be flagged too


def _over_budget(r: Report) -> None:
    r.projects[1].full_year_budget = D("200")


def _building(r: Report) -> None:
    r.buildings[0].actual_area = D("1100")


def _deviation(r: Report) -> None:
    r.indicators[1].deviation_reason = "  "


def _header(r: Report) -> None:
    r.preparer = ""


def _prior(r: Report) -> None:
    r.projects[0].prior_final = D("370")  # last year's report says 380


def _text_project(r: Report) -> None:
    _section(r, "gpb.project").text = _section(r, "gpb.project").text.replace(
        "高龄补贴项目支出210万元", "高龄补贴项目支出201万元"
    )


def _text_total(r: Report) -> None:
    _section(r, "gpb.basic").text = _section(r, "gpb.basic").text.replace(
        "公用经费40万元", "公用经费44万元"
    )


def _growth(r: Report) -> None:
    _section(r, "gpb.basic").text = _section(r, "gpb.basic").text.replace("上年为0", "增长100%")


def _project_sources(r: Report) -> None:
    r.projects[0].sources[1].executed = D("25")


def _project_group(r: Report) -> None:
    r.projects[0].indicators[0].weight = D("35")


def _project_total(r: Report) -> None:
    r.control_lines.append(ControlLine("project", final=D("600")))  # 附件2 says 610


def _fund_none(r: Report) -> None:
    r.special_funds[0].status = FundStatus.NONE  # while 政府性基金拨款 is 200 / 190 / 180


def _fund_empty(r: Report) -> None:
    fund = r.special_funds[0]
    fund.initial_budget = fund.income = fund.expenditure = None  # 有, but no figure


def _budget_change(r: Report) -> None:
    r.control_lines = [c for c in r.control_lines if c.key != "basic_adjustment"]
    r.control_line("public").budget = D("30")  # 30 → 40: a third more, no adjustment stated


def _growth_rate(r: Report) -> None:
    _section(r, "gpb.basic").text += "\n公用经费决算40万元，比上年增长20%。"  # 35 → 40 is 14.29 %


def _completion_rate(r: Report) -> None:
    _section(
        r, "gpb.basic"
    ).text += "\n三公经费预算0.3万元，决算0.25万元，完成预算的90%。"  # 83.33 %


def _parts_sum(r: Report) -> None:
    _section(
        r, "performance.overall"
    ).text += "\n全年支出900万元。其中:500万元用于甲;300万元用于乙。"


def _unscored(r: Report) -> None:
    r.indicators[0].method = None  # no score entered and none to suggest


BROKEN: dict[str, Callable[[Report], None]] = {
    "sum.income_parts": _set_line("income.gov_fund", executed="130"),
    "sum.expense_parts": _set_line("expense.basic", full_year_budget="320"),
    "sum.basic_expense": lambda r: setattr(r, "personnel_expense", D("255")),
    "sum.project_rows": lambda r: setattr(r.projects[1], "executed", D("200")),
    "sum.project_sources": _project_sources,
    "sum.project_total": _project_total,
    "sum.parts_missing": lambda r: setattr(r, "personnel_expense", None),
    "fund.none_contradicted": _fund_none,
    "fund.figures_missing": _fund_empty,
    "formula.growth_rate_text": _growth_rate,
    "formula.completion_rate_text": _completion_rate,
    "range.budget_change": _budget_change,
    "complete.scores": _unscored,
    "text.parts_sum": _parts_sum,
    "sum.group_weights": _weights,
    "sum.total_weight": _total_weight,
    "formula.execution_rate_text": _execution_text,
    "formula.execution_basis": _execution_basis,
    "range.score_above_weight": _score_above,
    "range.qualitative_band": _band,
    "range.negative": _negative,
    "range.staff_control": _staff,
    "range.three_public": _three_public,
    "range.over_budget": _over_budget,
    "range.building": _building,
    "complete.deviation_reason": _deviation,
    "complete.header": _header,
    "years.prior_final": _prior,
    "text.project_amount": _text_project,
    "text.total_amount": _text_total,
    "text.growth_from_zero": _growth,
}


def last_year() -> Report:
    """The 2023 report of the same unit, agreeing with consistent_report()'s 上年 columns."""
    r = Report("测试县民政局", 2023)
    r.control_lines = [
        ControlLine("three_public.reception", final=D("0")),
        ControlLine("public", final=D("35")),
    ]
    r.projects = [
        Project("城乡最低生活保障", executed=D("380")),
        Project("高龄补贴项目", executed=D("190")),
    ]
    return r


def test_every_rule_has_a_broken_case() -> None:
    assert set(BROKEN) == {r.id for r in RULES}


@pytest.mark.parametrize("rule_id", sorted(BROKEN))
def test_each_rule_finds_its_broken_case(rule_id: str) -> None:
    report = consistent_report()
    assert _only(audit(report, last_year()), rule_id) == []  # silent while consistent
    BROKEN[rule_id](report)
    found = _only(audit(report, last_year()), rule_id)
    assert found, f"{rule_id} found nothing"
    assert all(f.severity == rule(rule_id).severity for f in found)
    assert all(f.place.tab in audit_module.TABS for f in found)


def test_consistent_report_with_last_year_has_no_finding() -> None:
    assert audit(consistent_report(), last_year()) == []


# --- sums ----------------------------------------------------------------------------------------


def test_income_parts_message_names_column_and_figures() -> None:
    r = consistent_report()
    r.budget_line("income.gov_fund").executed = D("130.24")
    (f,) = _only(audit(r), "sum.income_parts")
    assert (
        f.message
        == "全年执行数：按收入性质分合计 850.24 万元 ≠ 年度资金总额 900.00 万元（相差 49.76 万元）"
    )
    assert f.place == Place("funds", "budget_lines", "total", 0, "executed")
    assert f.severity == Severity.ERROR


def test_sums_tolerate_one_cent_of_rounding() -> None:
    r = consistent_report()
    r.budget_line("income.gov_fund").executed = D("180.01")
    r.personnel_expense = D("249.99")
    assert audit(r) == []
    r.budget_line("income.gov_fund").executed = D("180.02")
    assert _rules(audit(r)) == ["sum.income_parts"]


def test_only_the_columns_with_parts_are_checked() -> None:
    r = consistent_report()
    for key in ("income.general_public", "income.gov_fund"):
        r.budget_line(key).initial_budget = None
        r.budget_line(key).full_year_budget = None
    assert audit(r) == []


def test_parts_filled_against_a_blank_total_ask_for_the_total_not_an_error() -> None:
    r = consistent_report()
    r.budget_line("total").initial_budget = None
    findings = audit(r)
    assert _only(findings, "sum.income_parts") == _only(findings, "sum.expense_parts") == []
    (hint,) = _only(findings, "sum.parts_missing")
    assert hint.severity == Severity.HINT
    assert hint.message == (
        "年度资金总额（年初预算数）未填写，而按收入性质分合计 1000.00 万元、按支出性质分合计 1000.00 万元已填："
        "请补充填写年度资金总额"
    )
    assert hint.place_id == "budget_lines/total/initial_budget#total:initial_budget"


def test_each_column_is_a_finding_of_its_own() -> None:
    r = consistent_report()
    r.budget_line("expense.basic").initial_budget = D("310")
    r.budget_line("expense.basic").executed = D("280")
    found = _only(audit(r), "sum.expense_parts")
    assert [f.place.field for f in found] == ["initial_budget", "executed"]
    assert len({f.place_id for f in found}) == 2


def test_basic_expense_message() -> None:
    r = consistent_report()
    r.control_line("public").final = D("51.47")
    (f,) = _only(audit(r), "sum.basic_expense")
    assert f.message == (
        "人员经费 250.00 万元 + 公用经费 51.47 万元 = 301.47 万元 ≠ 基本支出（全年执行数）290.00 万元（相差 11.47 万元）"
    )


def test_project_rows_message() -> None:
    r = consistent_report()
    r.projects[0].executed = D("88.25")
    (f,) = _only(audit(r), "sum.project_rows")
    assert (
        "2 个项目的全年执行数合计 298.25 万元 ≠ 项目支出（全年执行数）610.00 万元（相差 311.75 万元）"
        == f.message
    )


def test_group_and_total_weights_of_the_report_and_a_project() -> None:
    r = consistent_report()
    _weights(r)
    found = audit(r)
    assert [f.message for f in _only(found, "sum.group_weights")] == [
        "部门整体支出绩效自评表：产出指标下各指标分值合计 45 分 ≠ 产出指标分值 40 分"
    ]
    assert [f.message for f in _only(found, "sum.total_weight")] == [
        "部门整体支出绩效自评表：预算执行率分值 10 分与各指标分值合计 105 分，应为 100 分"
    ]
    r = consistent_report()
    _project_group(r)
    (f,) = _only(audit(r), "sum.group_weights")
    assert f.place.entity == "project_groups" and f.place.project == 0
    assert "项目“城乡最低生活保障”的自评表" in f.message


def test_weights_of_an_unfilled_table_are_not_checked() -> None:
    r = consistent_report()
    r.projects[1].execution_weight = D("10")  # template default, no indicator rows filled
    r.projects[1].groups = [IndicatorGroup("产出指标", D("50"))]
    r.projects[1].indicators = [Indicator("产出指标", "数量指标")]
    assert audit(r) == []


# --- formulas ------------------------------------------------------------------------------------


def test_execution_rate_in_text_computed_against_the_initial_budget_is_explained() -> None:
    r = consistent_report()
    _section(
        r, "performance.overall"
    ).text = "预算执行率为90%。"  # 900 ÷ 1000 (年初) — should be 900 ÷ 950 = 94.74 %
    (f,) = _only(audit(r), "formula.execution_rate_text")
    assert f.message == (
        "三（一）整体支出绩效情况：“预算执行率为90%”与年度资金总额的执行率 94.74%（全年执行数 ÷ 全年预算数）不一致"
        "：文中的数字是按年初预算数算的，执行率应以全年预算数为分母"
    )
    assert f.place == Place("text", "sections", "performance.overall", 5, "text")


def test_execution_basis_hint_explains_the_full_year_budget() -> None:
    r = consistent_report()
    _execution_basis(r)
    (f,) = _only(audit(r), "formula.execution_basis")
    assert f.severity == Severity.HINT
    assert f.message == (
        "部门整体支出绩效自评表预算执行率得分录入 9 分，按执行率 94.74%（全年执行数 900.00 ÷ 全年预算数 950.00）"
        "应得 9.47 分（分值 10）；年初预算数 1000.00 万元与全年预算数不同，按年初预算数算才是 90.00%"
        "——执行率应以全年预算数为分母"
    )


def test_execution_score_override_is_not_questioned_when_budgets_agree() -> None:
    r = consistent_report()
    r.budget_line("total").initial_budget = D("950")
    r.budget_line("expense.project").initial_budget = D("650")
    r.budget_line("income.general_public").initial_budget = D("760")
    r.budget_line("income.gov_fund").initial_budget = D("190")
    r.execution_score = D("9")
    assert audit(r) == []


def test_execution_basis_for_a_project() -> None:
    r = consistent_report()
    p = r.projects[1]  # 年初 200, 全年 230, 执行 210 → 91.30 % → 9.13
    p.execution_weight, p.execution_score = D("10"), D("9")
    (f,) = _only(audit(r), "formula.execution_basis")
    assert f.place.entity == "projects" and f.place.project == 1
    assert "应得 9.13 分" in f.message and "按年初预算数算才是 105.00%" in f.message


# --- ranges --------------------------------------------------------------------------------------


def test_score_above_weight_for_indicators_and_execution() -> None:
    r = consistent_report()
    r.execution_score = D("11")
    r.projects[0].indicators[0].score = D("31")
    found = _only(audit(r), "range.score_above_weight")
    assert [f.message for f in found] == [
        "部门整体支出绩效自评表：预算执行率得分 11 分超过分值 10 分",
        "项目“城乡最低生活保障”的自评表：指标“保障人数”得分 31 分超过分值 30 分",
    ]
    assert found[1].place == Place(
        "projects",
        "project_indicators",
        "城乡最低生活保障/产出指标/数量指标/保障人数",
        0,
        "score",
        0,
    )


def test_negative_amounts_and_the_one_that_may_be() -> None:
    r = consistent_report()
    r.control_line("basic_adjustment").budget = D("-247.94")
    assert audit(r) == []
    r.budget_line("expense.basic").executed = D("-290")
    found = _only(audit(r), "range.negative")
    assert [f.message for f in found] == ["基本支出的全年执行数为负数（-290），此处不能为负"]


def test_over_100_percent_hints() -> None:
    r = consistent_report()
    _staff(r)
    _three_public(r)
    _over_budget(r)
    _building(r)
    found = audit(r)
    assert all(f.severity == Severity.HINT for f in found)
    messages = [f.message for f in found]
    assert messages == [
        "实有在职人数 13 人超过编制数 12 人（控制率 108.33%），请说明原因",
        "三公经费本年决算 0.35 万元超过本年预算 0.30 万元（完成预算的 116.67%），请说明原因",
        "项目“高龄补贴项目”全年执行数 210.00 万元超过全年预算数 200.00 万元（执行率 105.00%），请说明原因",
        "楼堂馆所“办公楼维修”实际规模 1100㎡ 超过批复规模 1000㎡（规模控制率 110.00%），请说明原因",
    ]


def test_total_line_over_budget_is_a_hint_too() -> None:
    r = consistent_report()
    r.budget_line("expense.basic").executed = D("310")
    r.budget_line("expense.basic").full_year_budget = D("300")
    found = _only(audit(r), "range.over_budget")
    assert [f.place.key for f in found] == ["expense.basic"]


# --- completeness --------------------------------------------------------------------------------


def test_deducted_score_without_a_reason() -> None:
    r = consistent_report()
    r.indicators[0].score = D("19.5")
    (f,) = _only(audit(r), "complete.deviation_reason")
    assert f.message == (
        "部门整体支出绩效自评表：指标“低保人数”得分 19.5 分低于分值 20 分，但“偏差原因分析及改进措施”为空"
    )
    assert f.place == Place(
        "indicators", "indicators", "产出指标/数量指标/低保人数", 0, "deviation_reason"
    )


def test_a_suggested_score_below_the_weight_needs_a_reason_too() -> None:
    r = consistent_report()
    r.indicators[0].grade = QualitativeGrade.PARTLY  # suggested 16 of 20, nothing entered
    (f,) = _only(audit(r), "complete.deviation_reason")
    assert "得分 16 分低于分值 20 分" in f.message


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_name", " ", "“单位名称”未填写，打印前请填写"),
        ("report_date", None, "“报告日期”未填写，打印前请填写"),
        ("preparer", "", "“填表人”未填写，打印前请填写"),
        ("year", 24, "年度“24”不是有效的年份，打印前请改正"),
    ],
)
def test_required_header_fields(field: str, value: object, message: str) -> None:
    r = consistent_report()
    setattr(r, field, value)
    found = _only(audit(r), "complete.header")
    assert [f.message for f in found] == [message]
    assert found[0].place == Place("staffing", "report", field, None, field)


# --- across years --------------------------------------------------------------------------------


def test_prior_year_figures_against_last_years_report() -> None:
    r = consistent_report()
    r.control_line("public").prior_final = D("36")
    r.projects[0].prior_final = None
    found = _only(audit(r, last_year()), "years.prior_final")
    assert [f.message for f in found] == [
        "经费控制表“公用经费”的上年决算数 36.00 万元，而 2023年度报告中的本年决算数为 35.00 万元",
        "项目“城乡最低生活保障”的上年决算数 未填写，而 2023年度报告中的本年决算数为 380.00 万元",
    ]
    assert all(f.severity == Severity.HINT for f in found)


def test_prior_year_check_needs_last_years_report() -> None:
    r = consistent_report()
    _prior(r)
    assert _only(audit(r), "years.prior_final") == []
    two_years_ago = last_year()
    two_years_ago.year = 2022
    assert _only(audit(r, two_years_ago), "years.prior_final") == []


def test_projects_are_matched_by_name_across_years() -> None:
    r = consistent_report()
    old = last_year()
    old.projects = [
        Project("城乡最低生活保障 ", executed=D("380")),
        Project("别的项目", executed=D("1")),
    ]
    assert audit(r, old) == []


# --- text against figures ------------------------------------------------------------------------


def test_text_project_amount_names_section_quote_and_figure() -> None:
    r = consistent_report()
    _text_project(r)
    (f,) = _only(audit(r), "text.project_amount")
    assert f.message == (
        "二（二）项目支出情况：“高龄补贴项目支出201万元”与项目“高龄补贴项目”的全年执行数 210.00 万元不一致（相差 9.00 万元）"
    )
    assert f.place == Place("text", "sections", "gpb.project", 3, "text")
    assert f.place_id == "sections/gpb.project/text#高龄补贴项目支出201万元"


def test_text_in_a_projects_own_narrative() -> None:
    r = consistent_report()
    r.projects[0].narrative = "全年共支出420万元。"
    (f,) = _only(audit(r), "text.project_amount")
    assert f.place == Place("projects", "projects", "城乡最低生活保障", 0, "narrative", 0)
    assert f.message.startswith("项目“城乡最低生活保障”的项目实施及绩效情况：“全年共支出420万元”")


def test_text_total_amount() -> None:
    r = consistent_report()
    _section(r, "gpb.project").text = "2024年度单位项目支出2913.05万元。"
    (f,) = _only(audit(r), "text.total_amount")
    assert f.message == (
        "二（二）项目支出情况：“2024年度单位项目支出2913.05万元”与项目支出（全年执行数） 610.00 万元不一致（相差 2303.05 万元）"
    )


def test_growth_from_zero_message() -> None:
    r = consistent_report()
    _growth(r)
    (f,) = _only(audit(r), "text.growth_from_zero")
    assert f.message == (
        "二（一）基本支出情况：“增长100%”——三公经费上年决算数为 0，从零起算没有增长率，应写“上年为0”或只写增加额"
    )


def test_every_free_text_is_read() -> None:
    r = consistent_report()
    wrong = "城乡最低生活保障项目支出1万元。"
    r.lists = {"problems": []}
    from perfdesk.domain.model import ListItem

    r.lists["problems"] = [ListItem(wrong)]
    r.goal_actual = wrong
    r.frugality_measures = wrong
    r.special_funds[0].usage = wrong
    r.projects[1].goal_actual = wrong
    places = [f.place.field for f in _only(audit(r), "text.project_amount")]
    assert places == ["text", "goal_actual", "frugality_measures", "usage", "goal_actual"]


# --- notes, output, documentation ---------------------------------------------------------------


def test_a_note_resolves_its_finding_only() -> None:
    r = consistent_report()
    _staff(r)
    _header(r)
    (hint,) = _only(audit(r), "range.staff_control")
    r.notes = [Note(hint.rule, hint.place_id, "新增1名借调人员，已报编办备案。")]
    findings = audit(r)
    resolved = _only(findings, "range.staff_control")[0]
    assert resolved.resolved_by is not None and resolved.resolved
    assert [f.rule for f in unresolved_errors(findings)] == ["complete.header"]


def test_an_empty_note_resolves_nothing_and_notes_are_matched_on_rule_and_place() -> None:
    r = consistent_report()
    _deviation(r)
    (f,) = audit(r)
    r.notes = [
        Note(f.rule, f.place_id, "  "),
        Note("range.staff_control", f.place_id, "无关的说明"),
    ]
    assert unresolved_errors(audit(r)) == [f]
    r.notes.append(Note(f.rule, f.place_id, "扣分原因已在正文第六部分说明。"))
    assert unresolved_errors(audit(r)) == []


def test_place_id_is_stable_when_rows_move() -> None:
    r = consistent_report()
    _deviation(r)
    before = audit(r)[0].place_id
    r.indicators.insert(0, Indicator("产出指标", "数量指标"))
    after = audit(r)[0]
    assert (
        after.place_id == before == "indicators/产出指标/质量指标/救助对象准确率/deviation_reason"
    )
    assert after.place.row == 2  # the row moved; the note still matches


def test_format_findings_one_line_each_with_explained_marked() -> None:
    r = consistent_report()
    _header(r)
    _staff(r)
    findings = audit(r)
    hint = _only(findings, "range.staff_control")[0]
    r.notes = [Note(hint.rule, hint.place_id, "借调1人")]
    text = format_findings(audit(r))
    assert text.splitlines() == [
        "[提示·已说明] range.staff_control — 实有在职人数 13 人超过编制数 12 人（控制率 108.33%），请说明原因（说明：借调1人）",
        "[错误] complete.header — “填表人”未填写，打印前请填写",
    ]
    assert format_findings([]) == ""


def test_docs_table_is_the_module_docstring_table() -> None:
    table = docs_table()
    assert table in (audit_module.__doc__ or "")
    assert len(table.splitlines()) == len(RULES) + 2
    for r in RULES:
        assert f"| `{r.id}` | {r.severity.value} |" in table


def test_rule_ids_are_unique_and_named() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(r.title and r.description for r in RULES)
    with pytest.raises(KeyError):
        rule("no.such.rule")


def test_section_label_numbers_like_the_printout() -> None:
    r = consistent_report()
    assert [section_label(r, s) for s in r.sections] == [
        "一、部门（单位）基本情况",
        "二、一般公共预算支出情况",
        "二（一）基本支出情况",
        "二（二）项目支出情况",
        "三、部门整体支出绩效情况",
        "三（一）整体支出绩效情况",
    ]


def test_audit_does_not_change_the_report() -> None:
    r = consistent_report()
    _execution_basis(r)
    snapshot = copy.deepcopy(r)
    audit(r, last_year())
    assert r == snapshot


def test_findings_can_be_kept_in_a_set_even_when_explained() -> None:
    r = consistent_report()
    _staff(r)
    (f,) = audit(r)
    r.notes = [Note(f.rule, f.place_id, "借调1人")]
    (explained,) = audit(r)
    assert len({f, explained}) == 2 and explained.resolved and not f.resolved


def test_qualitative_score_outside_its_band() -> None:
    r = consistent_report()
    _band(r)
    r.indicators[0].deviation_reason = "部分对象未及时纳入。"
    (f,) = audit(r)
    assert f.severity == Severity.HINT
    assert f.message == (
        "部门整体支出绩效自评表：指标“低保人数”评为“达成年度指标”（16–20 分），录入得分 15 分不在此档内"
    )
    r.indicators[0].score = D("16")  # the bottom of the band is inside it
    assert audit(r) == []


# --- blank is not zero in the part-sums ----------------------------------------------------------


def test_a_blank_expense_part_asks_for_it_instead_of_an_error() -> None:
    # The case: 基本支出 simply not given must not read "X ≠ 年度资金总额".
    r = consistent_report()
    r.budget_line("expense.basic").executed = None
    findings = audit(r)
    assert _only(findings, "sum.expense_parts") == []
    (hint,) = [f for f in _only(findings, "sum.parts_missing") if f.detail == "expense:executed"]
    assert hint.message == (
        "全年执行数：项目支出 610.00 万元已填，基本支出未填写，无法与年度资金总额 900.00 万元核对："
        "请补充填写基本支出"
    )
    assert hint.place == Place("funds", "budget_lines", "expense.basic", 3, "executed")


def test_a_given_part_larger_than_the_total_is_an_error_whatever_is_blank() -> None:
    r = consistent_report()
    r.budget_line("expense.basic").executed = None
    r.budget_line("expense.project").executed = D("950")  # alone more than 900
    (error,) = _only(audit(r), "sum.expense_parts")
    assert error.message == (
        "全年执行数：项目支出 950.00 万元已超过年度资金总额 900.00 万元（相差 50.00 万元）"
    )
    # no "please fill in 基本支出" beside a real error in that column
    assert [f for f in _only(audit(r), "sum.parts_missing") if f.detail.startswith("expense")] == []


def test_income_parts_left_blank_are_none_of_that_income() -> None:
    # Many units have no 政府性基金 or 专户 income: a blank there is no reason to stay silent, and
    # the parts given must make up the total (the sample's 49.76 万元 gap stays a 错误).
    r = consistent_report()
    r.budget_line("income.gov_fund").executed = None
    (error,) = _only(audit(r), "sum.income_parts")
    assert "按收入性质分合计 720.00 万元 ≠ 年度资金总额 900.00 万元" in error.message


def test_a_blank_personnel_expense_is_asked_for() -> None:
    r = consistent_report()
    r.personnel_expense = None
    findings = audit(r)
    assert _only(findings, "sum.basic_expense") == []
    (hint,) = _only(findings, "sum.parts_missing")
    assert hint.message == (
        "基本支出（全年执行数）290.00 万元、公用经费 40.00 万元已填，人员经费未填写，无法核对基本支出的构成："
        "请补充填写人员经费"
    )
    assert hint.place.field == "personnel_expense"


def test_a_public_expense_larger_than_basic_expense_is_an_error_alone() -> None:
    r = consistent_report()
    r.personnel_expense = None
    r.control_line("public").final = D("300")
    (error,) = _only(audit(r), "sum.basic_expense")
    assert (
        error.message
        == "公用经费 300.00 万元已超过基本支出（全年执行数）290.00 万元（相差 10.00 万元）"
    )


def test_a_blank_basic_expense_with_both_parts_given_is_asked_for() -> None:
    r = consistent_report()
    for column in ("initial_budget", "full_year_budget", "executed"):
        setattr(r.budget_line("expense.basic"), column, None)
    hints = [f.message for f in _only(audit(r), "sum.parts_missing")]
    assert (
        "人员经费 + 公用经费 = 290.00 万元（本年决算数），基本支出（全年执行数）未填写：请补充填写基本支出"
        in hints
    )


def test_project_sources_against_a_blank_project_total_are_asked_for() -> None:
    r = consistent_report()
    r.projects[0].initial_budget = None
    findings = audit(r)
    assert _only(findings, "sum.project_sources") == []
    (hint,) = [f for f in _only(findings, "sum.parts_missing") if "资金来源" in f.message]
    assert hint.message == (
        "项目“城乡最低生活保障”的资金来源（年初预算数）已填 420.00 万元，而年度资金总额的年初预算数未填写：请补充填写"
    )


# --- 项目支出 as a total, and the itemised projects ------------------------------------------------


def test_projects_given_as_a_total_with_only_some_itemised_is_a_hint() -> None:
    # 附件1's 项目支出 typed as a total: the itemised projects may be a selection of them.
    r = consistent_report()
    r.control_lines.append(ControlLine("project", D("570"), D("650"), D("610")))
    r.budget_line("expense.project").executed = D("700")
    r.budget_line("expense.basic").executed = D("200")  # 200 + 700 = 900 still
    r.control_line("public").final = D("-50")  # keep 基本支出 out of this test
    findings = audit(r)
    assert _only(findings, "sum.project_rows") == []
    hints = [f.message for f in _only(findings, "sum.parts_missing")]
    assert (
        "项目支出（全年执行数）为 700.00 万元，已列出的 2 个项目的全年执行数合计 610.00 万元，其余 90.00 万元"
        "未逐项列出：如项目已全部列出，请核对" in hints
    )
    # …and 附件1 and 附件2 now disagree on 项目支出 itself: that is an error
    (error,) = _only(findings, "sum.project_total")
    assert error.message == (
        "附件1项目支出（本年决算数）610.00 万元 ≠ 附件2项目支出（全年执行数）700.00 万元（相差 90.00 万元）"
    )


def test_itemised_projects_over_a_total_are_an_error_column_by_column() -> None:
    r = consistent_report()
    r.control_lines.append(ControlLine("project", D("500"), D("650"), D("610")))  # 上年 380 + 190
    (error,) = _only(audit(r), "sum.project_rows")
    assert error.message == (
        "已列出的 2 个项目的上年决算数合计 570.00 万元已超过附件1项目支出（上年决算数）500.00 万元（相差 70.00 万元）"
    )
    assert error.place_id == "control_lines/project/prior_final#prior_final"


def test_a_project_with_a_blank_figure_makes_the_sum_a_question_not_an_error() -> None:
    r = consistent_report()
    r.projects[1].executed = None
    findings = audit(r)
    assert _only(findings, "sum.project_rows") == []
    hint = next(f for f in _only(findings, "sum.parts_missing") if "项目（" in f.message)
    assert hint.message == (
        "项目支出（全年执行数）为 610.00 万元，1 个项目（“高龄补贴项目”）的全年执行数未填写，已填的 1 个项目合计 "
        "400.00 万元，无法核对：请补充填写"
    )
    assert hint.place == Place("projects", "projects", "高龄补贴项目", 1, "executed", 1)


def test_a_complete_project_list_that_falls_short_stays_an_error() -> None:
    # The sample's case: 附件1 lists the projects (no total typed), 附件2 says more was spent.
    r = consistent_report()
    r.budget_line("expense.project").executed = D("700")
    r.budget_line("expense.basic").executed = D("200")
    (error,) = _only(audit(r), "sum.project_rows")
    assert error.severity == Severity.ERROR
    assert (
        "2 个项目的全年执行数合计 610.00 万元 ≠ 项目支出（全年执行数）700.00 万元" in error.message
    )


# --- fund sections 有 / 无 / 未说明 ----------------------------------------------------------------


def test_none_against_a_fund_appropriation_in_the_income_is_an_error() -> None:
    # The case: "本部门无政府性基金预算安排" printed beside 政府性基金拨款 118.82 万元.
    r = consistent_report()
    r.special_funds = [SpecialFund(SpecialFundKind.GOV_FUND, FundStatus.NONE)]
    r.budget_line("income.gov_fund").initial_budget = None
    r.budget_line("income.gov_fund").full_year_budget = None
    r.budget_line("income.gov_fund").executed = D("118.82")
    (error,) = _only(audit(r), "fund.none_contradicted")
    assert error.message == (
        "政府性基金预算选了“无”，打印为“本部门无政府性基金预算安排”，但附件2政府性基金拨款（全年执行数）118.82 万元："
        "请改为“有”并填写，或改正数字"
    )
    assert error.place == Place("funds", "special_funds", "gov_fund", 0, "status")


def test_none_with_figures_of_its_own_is_an_error_for_every_fund() -> None:
    r = consistent_report()
    r.special_funds.append(
        SpecialFund(SpecialFundKind.STATE_CAPITAL, FundStatus.NONE, expenditure=D("5"))
    )
    (error,) = _only(audit(r), "fund.none_contradicted")
    assert "国有资本经营预算决算支出 5.00 万元" in error.message


def test_none_without_any_such_money_is_fine_and_zero_is_no_money() -> None:
    r = consistent_report()
    r.special_funds.append(
        SpecialFund(SpecialFundKind.SOCIAL_INSURANCE, FundStatus.NONE, initial_budget=D("0"))
    )
    assert _only(audit(r), "fund.none_contradicted") == []


def test_unstated_fund_beside_a_fund_appropriation_asks_to_say_so() -> None:
    r = consistent_report()
    r.special_funds = []  # sections 三–五 say nothing
    (hint,) = _only(audit(r), "fund.figures_missing")
    assert hint.severity == Severity.HINT
    assert hint.message.startswith(
        "附件2的政府性基金拨款（全年执行数）为 180.00 万元，而第三部分政府性基金预算支出情况“未说明”"
    )


def test_has_without_any_figure_asks_for_them() -> None:
    r = consistent_report()
    r.special_funds.append(SpecialFund(SpecialFundKind.SOCIAL_INSURANCE, FundStatus.HAS))
    (hint,) = _only(audit(r), "fund.figures_missing")
    assert (
        hint.message
        == "社会保险基金预算选了“有”，但年初预算、决算收入、决算支出都未填写：请补充填写"
    )
    assert hint.place.key == "social_insurance"


# --- large in-year changes of the budget ---------------------------------------------------------


def _without_adjustment(r: Report) -> Report:
    r.control_lines = [c for c in r.control_lines if c.key != "basic_adjustment"]
    return r


@pytest.mark.parametrize(
    ("budget", "final", "large"),
    [
        ("50", "60", False),  # exactly 20 %: not above it
        ("50", "60.01", True),  # just above 20 %
        ("4", "4.9", False),  # 22.5 %, but under 1 万元
        ("0", "1", True),  # from nothing to 1 万元
        ("0", "0.5", False),
        ("60", "40", True),  # a third less
    ],
)
def test_a_large_change_is_above_a_fifth_and_at_least_one_wan_yuan(
    budget: str, final: str, large: bool
) -> None:
    r = _without_adjustment(consistent_report())
    r.control_line("public").budget, r.control_line("public").final = D(budget), D(final)
    r.personnel_expense = D("290") - D(final)  # keep 基本支出 = 人员经费 + 公用经费
    _section(r, "gpb.basic").text = ""
    found = [f for f in _only(audit(r), "range.budget_change") if f.detail == "public"]
    assert bool(found) is large


def test_budget_change_message_place_and_the_adjustment_that_answers_it() -> None:
    # 贯塘乡 2023: 年初 861.10, 全年 2030.12, 部门基本支出预算调整 left empty.
    r = _without_adjustment(consistent_report())
    r.budget_line("total").initial_budget = D("861.10")
    r.budget_line("total").full_year_budget = D("2030.12")
    (hint,) = _only(audit(r), "range.budget_change")
    assert hint.message == (
        "年度资金总额全年预算数 2030.12 万元比年初预算数 861.10 万元增加 1169.02 万元（135.76%），"
        "而“部门基本支出预算调整”未填写：请填写调整数，并在报告中说明调整原因"
    )
    assert hint.place_id == "control_lines/basic_adjustment/budget#total"
    r.control_lines.append(ControlLine("basic_adjustment", budget=D("1169.02")))
    assert _only(audit(r), "range.budget_change") == []


# --- rates written in the text -------------------------------------------------------------------


def _with_text(text: str) -> Report:
    r = consistent_report()
    _section(r, "gpb.basic").text = text
    return r


def test_growth_rate_from_last_years_figure() -> None:
    # 公用经费 上年决算 35, 本年决算 40: 增长 14.29 %
    assert (
        _only(
            audit(_with_text("公用经费决算40万元，比上年增长14.29%。")), "formula.growth_rate_text"
        )
        == []
    )
    assert (
        _only(audit(_with_text("公用经费决算40万元，比上年增长14%。")), "formula.growth_rate_text")
        == []
    )
    (error,) = _only(
        audit(_with_text("公用经费决算40万元，比上年增长20%。")), "formula.growth_rate_text"
    )
    assert error.message == (
        "二（一）基本支出情况：“比上年增长20%”与公用经费的变动不一致：本年 40.00 万元、上年 35.00 万元，"
        "增长 14.29%"
    )
    (decline,) = _only(
        audit(_with_text("公用经费决算40万元，比上年下降14.29%。")), "formula.growth_rate_text"
    )
    assert "增长 14.29%" in decline.message  # it went up, not down


def test_growth_rate_in_a_sentence_about_the_budget_is_not_held_to_the_final_figures() -> None:
    text = "公用经费预算42万元，比上年增长20%。"  # budget on last year's budget: not our figures
    assert _only(audit(_with_text(text)), "formula.growth_rate_text") == []


def test_growth_rate_against_the_change_written_beside_it() -> None:
    # 南县政协 2021: 收入792.22万元。同比上年度增加189.25万元,增加31.39% (792.22 − 189.25 = 602.97)
    good = "收入:792.22万元。同比上年度增加189.25万元,增加31.39%。"
    assert _only(audit(_with_text(good)), "formula.growth_rate_text") == []
    (error,) = _only(
        audit(_with_text(good.replace("31.39%", "39.31%"))), "formula.growth_rate_text"
    )
    assert error.message == (
        "二（一）基本支出情况：“同比上年度增加189.25万元，增加39.31%”——按写出的本年 792.22 万元、增加 189.25 万元，"
        "上年为 602.97 万元，增长率应为 31.39%"
    )
    decrease = "支出:500万元,比上年减少100万元,下降16.67%。"  # 100 ÷ 600
    assert _only(audit(_with_text(decrease)), "formula.growth_rate_text") == []


def test_completion_rate_in_the_text() -> None:
    # The reference: 三公经费预算0.3万元，决算0.13万元，完成预算的43% (0.13 ÷ 0.3 = 43.33 %)
    r = consistent_report()
    r.control_line("three_public.reception").final = D("0.13")
    _section(r, "gpb.basic").text = "2024年度三公经费预算0.3万元，决算0.13万元，完成预算的43%。"
    r.personnel_expense = D("250")
    assert _only(audit(r), "formula.completion_rate_text") == []
    _section(r, "gpb.basic").text = "2024年度三公经费预算0.3万元，决算0.13万元，完成预算的50%。"
    (error,) = _only(audit(r), "formula.completion_rate_text")
    assert error.message == (
        "二（一）基本支出情况：“完成预算的50%”与三公经费的预算完成率 43.33%（决算数 ÷ 预算数）不一致"
    )


def test_a_task_completion_rate_is_not_a_budget_completion_rate() -> None:
    text = "城乡最低生活保障项目全年任务完成率100%。"
    assert _only(audit(_with_text(text)), "formula.completion_rate_text") == []


# --- amounts in prose that must add up -----------------------------------------------------------


def test_an_allocation_after_qi_zhong_must_add_up_to_its_total() -> None:
    # 棠溪镇 委托业务项目 2022: 89.97万元。其中:30…;30…;29.99万元…
    text = "本项目共完成预算资金89.97万元。其中:30万元用于预算编制;30万元用于审计;29.99万元用于设计、规划、测绘。"
    (error,) = _only(audit(_with_text(text)), "text.parts_sum")
    assert error.message == (
        "二（一）基本支出情况：“本项目共完成预算资金89.97万元”后“其中”所列 30 + 30 + 29.99 = 89.99 万元，与合计 "
        "89.97 万元不一致（相差 0.02 万元）"
    )
    assert error.place_id == "sections/gpb.basic/text#本项目共完成预算资金89.97万元…其中"
    short = text.replace("29.99万元", "20万元")  # an allocation falling short is wrong too
    assert _only(audit(_with_text(short)), "text.parts_sum")
    exact = text.replace("29.99万元", "29.97万元")
    assert _only(audit(_with_text(exact)), "text.parts_sum") == []


def test_named_parts_after_qi_zhong_may_be_some_but_not_more_than_the_whole() -> None:
    some = "年初预算1000万元，其中：基本支出300万元。"  # only one part named: not a sum
    assert _only(audit(_with_text(some)), "text.parts_sum") == []
    fewer = "支出:900万元。其中:人员经费支出250万元,公用经费支出40万元。"
    assert _only(audit(_with_text(fewer)), "text.parts_sum") == []
    more = "支出:900万元。其中:人员经费支出650万元,公用经费支出400万元。"
    (error,) = _only(audit(_with_text(more)), "text.parts_sum")
    assert "所列 650 + 400 = 1050.00 万元，与合计 900.00 万元超过了它" in error.message


def test_parts_in_doubt_are_not_added() -> None:
    doubtful = (
        # two figures of one line
        "三公经费决算0.25万元，其中：公务接待费预算0.3万元，公务接待费决算0.25万元。",
        # the reference's repeated part
        "公务接待费支出决算为0.13万元，其中公务接待费支出决算为0.13万元，公务接待费0.13万元。",
        # a change inside the list
        "项目支出610万元，其中：低保400万元，比上年增加20万元。",
        # an approximate part
        "项目支出610万元，其中：低保约400万元，高龄补贴约300万元。",
        # 其中 not right after the amount
        "项目支出610万元，执行较好，其中：低保400万元，高龄补贴300万元。",
        # a part followed by its own parts
        "支出500万元，其中：基本支出300万元，人员经费250万元，公用经费50万元，项目支出200万元。",
    )
    for text in doubtful:
        assert _only(audit(_with_text(text)), "text.parts_sum") == [], text


def test_amounts_after_a_list_opener_are_the_listed_items() -> None:
    # 南县政协: 项目支出包括委员活动经费36.3万元,… — 36.3 is 委员活动经费's, not 项目支出's.
    r = consistent_report()
    _section(
        r, "gpb.project"
    ).text = "项目支出包括高龄补贴项目201万元，城乡最低生活保障项目支出400万元。"
    (error,) = _only(audit(r), "text.project_amount")
    assert (
        "“项目支出包括高龄补贴项目201万元”与项目“高龄补贴项目”的全年执行数 210.00 万元不一致"
        in error.message
    )
    assert _only(audit(r), "text.total_amount") == []


# --- scoring not finished ------------------------------------------------------------------------


def test_an_unscored_indicator_is_a_hint_naming_it() -> None:
    r = consistent_report()
    r.indicators[0].method = None
    (hint,) = _only(audit(r), "complete.scores")
    assert hint.message == (
        "部门整体支出绩效自评表：1 项有分值而未评分（“低保人数”），评完之前总分和自评等级不打印，显示“未完成评分”："
        "请录入得分，或填写指标值和评分方法"
    )
    assert hint.place == Place("indicators", "indicators", "产出指标/数量指标/低保人数", 0, "score")


def test_a_form_not_filled_in_is_not_asked_to_be_scored() -> None:
    r = consistent_report()
    r.projects[1].execution_weight = D("10")  # 高龄补贴项目: no indicator has a weight
    r.projects[1].full_year_budget = None  # …and no 执行率 to suggest a score from
    assert _only(audit(r), "complete.scores") == []


def test_readme_lists_the_rules_as_the_audit_does() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert docs_table() in readme


def test_a_project_report_is_not_asked_for_a_department_budget_adjustment() -> None:
    from perfdesk.domain import templates

    r = templates.new_project_report("测试县民政局", 2024, "高龄补贴")
    project = r.projects[0]
    project.initial_budget, project.full_year_budget, project.executed = D("100"), D("100"), D("60")
    assert _only(audit(r), "range.budget_change") == []
    department = consistent_report()
    department.control_lines = [c for c in department.control_lines if c.key != "basic_adjustment"]
    department.projects[0].executed = D("250")  # 项目支出 650 → 460: the department is asked
    assert _only(audit(department), "range.budget_change")


def test_unstated_fund_with_figures_of_its_own_asks_to_choose_has() -> None:
    r = consistent_report()
    r.special_funds.append(
        SpecialFund(SpecialFundKind.STATE_CAPITAL, FundStatus.UNSTATED, income=D("12"))
    )
    (hint,) = _only(audit(r), "fund.figures_missing")
    assert (
        hint.message
        == "国有资本经营预算已填决算收入 12.00 万元，却“未说明”有无该项预算，打印时不会出现：请选“有”"
    )

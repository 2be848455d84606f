"""Derived values: the totals, rates and grades the app, the PDF and the audit all print.

Expected values are worked out by hand from docs/report-format.md §5 and the reference report's figures.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfdesk.domain import calc
from perfdesk.domain.model import (
    BudgetLine,
    Building,
    ControlLine,
    IndicatorGroup,
    Project,
    Report,
    StaffPost,
)
from perfdesk.domain.numbers import format_percent

D = Decimal


def _report(**kwargs: object) -> Report:
    return Report(unit_name="测试单位", year=2024, **kwargs)  # type: ignore[arg-type]


# --- 执行率 ----------------------------------------------------------------------------------------


def test_execution_rate_uses_full_year_budget_not_initial_budget() -> None:
    # The reference: 年初 4572.76, 全年 4532.05, 执行 4532.05. It printed 99.11 % (against 年初).
    report = _report(budget_lines=[BudgetLine("total", D("4572.76"), D("4532.05"), D("4532.05"))])
    rate = calc.report_execution_rate(report)
    assert rate == D(1)
    assert format_percent(rate) == "100.00%"


def test_execution_rate_is_computed_unrounded_and_printed_half_up() -> None:
    # 2 ÷ 3 = 0.6666…: kept exact, printed 66.67 %.
    rate = calc.execution_rate(D("3"), D("2"))
    assert rate is not None and rate != D("0.6667")
    assert format_percent(rate) == "66.67%"
    # 12.345 % is a tie: half up gives 12.35 where half even (Python's default) would give 12.34.
    assert format_percent(calc.execution_rate(D("100"), D("12.345"))) == "12.35%"
    assert format_percent(calc.execution_rate(D("100"), D("12.3449"))) == "12.34%"


def test_execution_rate_is_blank_without_a_budget() -> None:
    assert calc.execution_rate(None, D("5")) is None
    assert calc.execution_rate(D("5"), None) is None
    assert calc.execution_rate(D("0"), D("5")) is None  # no division by a zero budget


def test_a_rate_from_a_zero_base_is_zero_of_zero_and_none_otherwise() -> None:
    # 棠溪镇 委托业务项目 2022 prints 年度资金总额 0 / 0 / 0 with 执行率 0: nothing budgeted,
    # nothing spent is 0 %, not a blank cell. Spending from a zero budget has no rate at all.
    assert calc.execution_rate(D("0"), D("0")) == 0
    assert format_percent(calc.execution_rate(D("0"), D("0"))) == "0.00%"
    assert calc.ratio(D("0.13"), D("0")) is None
    assert calc.staff_control_rate(_report(posts=[StaffPost("行政编制", 0)], actual_staff=0)) == 0
    # the same rule for a change: 0 → 0 is 持平 (0 %), 0 → 0.13 has no rate (上年为0)
    assert calc.change(D("0"), D("0")).rate == 0  # type: ignore[union-attr]
    assert calc.change(D("0"), D("0.13")).rate_text == "上年为0"  # type: ignore[union-attr]


def test_execution_score_of_a_zero_budget_spent_nothing_is_zero() -> None:
    from perfdesk.domain import scoring

    assert scoring.suggested_execution_score(D("10"), D("0"), D("0")) == D("0.00")
    assert scoring.suggested_execution_score(D("10"), D("0"), D("5")) is None  # no rate, no score


def test_project_and_line_execution_rates() -> None:
    project = Project("高龄补贴", full_year_budget=D("667.20"), executed=D("699.14"))
    assert format_percent(calc.project_execution_rate(project)) == "104.79%"
    assert calc.line_execution_rate(BudgetLine("x", D("9"), D("8"), D("2"))) == D("0.25")


# --- parts and totals -----------------------------------------------------------------------------


def test_income_and_expense_parts_added_per_column() -> None:
    report = _report(
        budget_lines=[
            BudgetLine("total", D("4572.76"), D("4532.05"), D("4532.05")),
            BudgetLine("income.general_public", executed=D("3219.95")),
            BudgetLine("income.gov_fund", executed=D("205.49")),
            BudgetLine("income.other", executed=D("1056.85")),
            BudgetLine("expense.basic", executed=D("306.91")),
            BudgetLine("expense.project", executed=D("4175.33")),
        ]
    )
    assert calc.income_total(report) == D("4482.29")
    assert calc.expense_total(report) == D("4482.24")
    assert calc.income_total(report, "initial_budget") is None  # blank column stays blank


def test_total_of_blank_cells_is_blank_but_zero_is_zero() -> None:
    assert calc.total([None, None]) is None
    assert calc.total([None, D("0")]) == D("0")


def test_basic_expense_parts_are_personnel_plus_public() -> None:
    report = _report(
        personnel_expense=D("255.44"), control_lines=[ControlLine("public", final=D("51.47"))]
    )
    assert calc.basic_expense_parts(report) == D("306.91")


def test_basic_expense_parts_are_blank_while_a_part_is_not_given() -> None:
    # 贯塘乡 2023 gives 公用经费 193.42 and no 人员经费: 193.42 is not "人员经费 + 公用经费".
    report = _report(control_lines=[ControlLine("public", final=D("193.42"))])
    assert calc.basic_expense_parts(report) is None
    report.personnel_expense = D("0")  # a 0 that was typed is a figure
    assert calc.basic_expense_parts(report) == D("193.42")


def test_complete_sum_needs_every_part_but_total_takes_what_is_there() -> None:
    assert calc.complete_sum([D("1"), None]) is None
    assert calc.complete_sum([]) is None
    assert calc.complete_sum([D("1"), D("0")]) == D("1")
    assert calc.total([D("1"), None]) == D("1")


def test_completion_rate_of_a_control_line() -> None:
    # the reference: 三公 预算 0.3, 决算 0.13 → "完成预算的43%"
    line = ControlLine("three_public.reception", budget=D("0.3"), final=D("0.13"))
    assert format_percent(calc.completion_rate(line)) == "43.33%"
    assert calc.completion_rate(ControlLine("public", budget=D("2"))) is None


def test_projects_line_and_executed_total() -> None:
    projects = [
        Project("甲", prior_final=D("1"), full_year_budget=D("10"), executed=D("9.5")),
        Project("乙", full_year_budget=D("5"), executed=D("5"), category="业务工作经费"),
    ]
    line = calc.projects_line(projects)
    assert (line.prior_final, line.budget, line.final) == (D("1"), D("15"), D("14.5"))
    report = _report(projects=projects)
    assert calc.project_executed_total(report) == D("14.5")
    assert [p.name for p in calc.projects_of(report, "业务工作经费")] == ["乙"]


# --- 三公 and 控制率 ------------------------------------------------------------------------------


def _three_public_report(prior: str | None, budget: str, final: str) -> Report:
    return _report(
        control_lines=[
            ControlLine(
                "three_public.reception",
                D(prior) if prior is not None else None,
                D(budget),
                D(final),
            ),
            ControlLine("three_public.vehicle_operation", None, D("0.2"), D("0.1")),
        ]
    )


def test_three_public_total_and_completion() -> None:
    report = _three_public_report("0", "0.3", "0.13")
    line = calc.three_public_line(report)
    assert (line.prior_final, line.budget, line.final) == (D("0"), D("0.5"), D("0.23"))
    assert calc.vehicle_line(report).final == D("0.1")
    assert format_percent(calc.three_public_completion(report)) == "46.00%"


def test_three_public_change_from_a_zero_base_has_no_rate() -> None:
    report = _report(
        control_lines=[ControlLine("three_public.reception", D("0"), D("0.3"), D("0.13"))]
    )
    change = calc.three_public_change(report)
    assert change is not None
    assert change.difference == D("0.13")
    assert change.direction == "增加"
    assert change.rate is None  # never 增长100%
    assert change.rate_text == "上年为0"


def test_change_rate_against_a_nonzero_base() -> None:
    change = calc.change(D("80"), D("60"))
    assert change is not None
    assert change.rate == D("-0.25")
    assert change.rate_text == "-25.00%"
    assert change.direction == "减少"
    assert calc.change(D("5"), D("5")).direction == "持平"  # type: ignore[union-attr]
    assert calc.change(None, D("5")) is None


def test_staff_control_rate() -> None:
    report = _report(posts=[StaffPost("行政编制", 7), StaffPost("事业编制", 5)], actual_staff=12)
    assert calc.establishment_total(report) == 12
    assert calc.staff_control_rate(report) == D(1)
    over = _report(posts=[StaffPost("行政编制", 8)], actual_staff=9)
    assert format_percent(calc.staff_control_rate(over)) == "112.50%"
    assert calc.staff_control_rate(_report(actual_staff=3)) is None  # no 编制 entered


def test_building_control_rates() -> None:
    b = Building("综合楼", D("1000"), D("1050"), D("500"), D("480"))
    assert format_percent(calc.building_area_rate(b)) == "105.00%"
    assert format_percent(calc.building_investment_rate(b)) == "96.00%"
    assert calc.building_area_rate(Building()) is None


# --- grades ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("89.995", "优"),  # printed 90.00: the grade follows what is printed
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_bands_at_their_boundaries(total: str, expected: str) -> None:
    assert calc.grade(D(total)) == expected


def test_no_score_no_grade() -> None:
    assert calc.grade(None) == ""


def test_group_weight_total() -> None:
    groups = [
        IndicatorGroup("产出指标", D("40")),
        IndicatorGroup("效益指标", D("20")),
        IndicatorGroup("x"),
    ]
    assert calc.group_weight_total(groups) == D("60")

"""Suggested scores by the national rules (docs/report-format.md §5) and the clerk's overrides.

Expected scores are worked out by hand: A target, B actual, W weight, rounded half up to 2 places.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfdesk.domain import scoring
from perfdesk.domain.model import (
    BudgetLine,
    Indicator,
    Method,
    Project,
    QualitativeGrade,
    Report,
)

D = Decimal


def _ind(
    method: Method, target: str | None, actual: str | None, weight: str | None = "10", **kw: object
) -> Indicator:
    return Indicator(
        level1="产出指标",
        level2="数量指标",
        name="测试指标",
        method=method,
        target_value=D(target) if target is not None else None,
        actual_value=D(actual) if actual is not None else None,
        weight=D(weight) if weight is not None else None,
        **kw,  # type: ignore[arg-type]
    )


# --- 正向 (≥) --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("100", "100", "10.00"),  # met exactly: full weight
        ("100", "120", "10.00"),  # beyond target: still only the weight
        ("100", "95", "9.50"),  # B/A × W
        ("3", "2", "6.67"),  # 6.666… half up
        ("100", "0", "0.00"),
    ],
)
def test_at_least_scores_proportionally_below_target(
    target: str, actual: str, expected: str
) -> None:
    assert scoring.suggested_indicator_score(_ind(Method.AT_LEAST, target, actual)) == D(expected)


def test_at_least_rounds_half_up_not_half_even() -> None:
    # 97/200 × 9 = 4.365 exactly: half up 4.37 (half even would give 4.36).
    assert scoring.suggested_indicator_score(_ind(Method.AT_LEAST, "200", "97", "9")) == D("4.37")


# --- 反向 (≤): all three zones ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("650", "600", "10.00"),  # B ≤ A: full weight
        ("650", "650", "10.00"),  # boundary B = A
        ("100", "125", "7.50"),  # A < B < 2A: (1 − 25/100) × 10
        ("100", "199", "0.10"),  # just below 2A
        ("100", "200", "0.00"),  # boundary B = 2A
        ("100", "300", "0.00"),  # beyond 2A
    ],
)
def test_at_most_scores_in_three_zones(target: str, actual: str, expected: str) -> None:
    assert scoring.suggested_indicator_score(_ind(Method.AT_MOST, target, actual)) == D(expected)


def test_at_most_with_a_zero_target_gives_nothing_once_exceeded() -> None:
    assert scoring.suggested_indicator_score(_ind(Method.AT_MOST, "0", "0")) == D("10.00")
    assert scoring.suggested_indicator_score(_ind(Method.AT_MOST, "0", "1")) == D("0.00")


# --- 等于 (=) --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("100", "100", "10.00"),
        ("100", "90", "9.00"),  # 10 % off below
        ("100", "110", "9.00"),  # 10 % off above: the same deduction
        ("100", "250", "0.00"),  # off by more than the target: nothing
        ("0", "1", "0.00"),
    ],
)
def test_equal_scores_by_distance_from_target(target: str, actual: str, expected: str) -> None:
    assert scoring.suggested_indicator_score(_ind(Method.EQUAL, target, actual)) == D(expected)


# --- 定性 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "expected", "band"),
    [
        (QualitativeGrade.ACHIEVED, "10.00", ("8.00", "10.00")),
        (QualitativeGrade.PARTLY, "8.00", ("6.00", "8.00")),
        (QualitativeGrade.NOT_ACHIEVED, "6.00", ("0.00", "6.00")),
    ],
)
def test_qualitative_bands(grade: QualitativeGrade, expected: str, band: tuple[str, str]) -> None:
    ind = _ind(Method.QUALITATIVE, None, None, grade=grade)
    assert scoring.suggested_indicator_score(ind) == D(expected)
    assert scoring.qualitative_range(ind) == (D(band[0]), D(band[1]))


def test_qualitative_band_of_an_odd_weight_rounds_half_up() -> None:
    ind = _ind(Method.QUALITATIVE, None, None, weight="4.5", grade=QualitativeGrade.PARTLY)
    assert scoring.qualitative_range(ind) == (D("2.70"), D("3.60"))
    assert scoring.qualitative_range(_ind(Method.AT_LEAST, "1", "1")) is None


def test_no_suggestion_without_the_needed_values() -> None:
    assert scoring.suggested_indicator_score(_ind(Method.AT_LEAST, None, "5")) is None
    assert scoring.suggested_indicator_score(_ind(Method.AT_LEAST, "5", None)) is None
    assert scoring.suggested_indicator_score(_ind(Method.AT_LEAST, "5", "5", weight=None)) is None
    assert scoring.suggested_indicator_score(_ind(Method.QUALITATIVE, None, None)) is None
    no_method = Indicator("产出指标", "数量指标", "x", weight=D("5"))
    assert scoring.suggested_indicator_score(no_method) is None


# --- 预算执行率 score -----------------------------------------------------------------------------


def test_execution_score_follows_full_year_rate_and_is_capped() -> None:
    # The reference: 执行 4532.05 of 全年 4532.05 → 100 % → the full 10 (it printed 9).
    assert scoring.suggested_execution_score(D("10"), D("4532.05"), D("4532.05")) == D("10.00")
    assert scoring.suggested_execution_score(D("10"), D("100"), D("98.765")) == D("9.88")
    assert scoring.suggested_execution_score(D("10"), D("100"), D("130")) == D("10.00")
    assert scoring.suggested_execution_score(D("10"), D("0"), D("5")) is None
    assert scoring.suggested_execution_score(None, D("10"), D("5")) is None


# --- overrides and totals -------------------------------------------------------------------------


def test_entered_score_overrides_and_is_marked() -> None:
    ind = _ind(Method.AT_LEAST, "100", "95", score=D("8"))
    s = scoring.indicator_score(ind)
    assert s.suggested == D("9.50")
    assert s.value == D("8")  # printed as entered
    assert s.overridden


def test_entered_score_equal_to_the_suggestion_is_not_an_override() -> None:
    s = scoring.indicator_score(_ind(Method.AT_LEAST, "100", "95", score=D("9.5")))
    assert s.value == D("9.5") and not s.overridden


def test_without_an_entered_score_the_suggestion_counts() -> None:
    s = scoring.indicator_score(_ind(Method.AT_LEAST, "100", "95"))
    assert s.value == D("9.50") and not s.overridden


def test_entered_score_without_a_computable_suggestion_is_simply_the_score() -> None:
    s = scoring.indicator_score(
        Indicator("产出指标", "数量指标", "x", weight=D("10"), score=D("9"))
    )
    assert s.value == D("9") and s.suggested is None and not s.overridden


def _scored_report() -> Report:
    return Report(
        unit_name="测试单位",
        year=2024,
        budget_lines=[BudgetLine("total", D("4572.76"), D("4532.05"), D("4532.05"))],
        execution_weight=D("10"),
        execution_score=D("9"),
        indicators=[
            _ind(Method.AT_LEAST, "100", "95", weight="40"),  # 38.00
            _ind(Method.QUALITATIVE, None, None, weight="30", grade=QualitativeGrade.ACHIEVED),
            Indicator(
                "满意度指标", "服务对象满意度指标", "满意度", weight=D("20"), score=D("17.5")
            ),
            Indicator("成本指标", "经济成本指标", ""),  # an empty 二级 row: no weight, no score
        ],
    )


def test_report_total_score_uses_entered_and_suggested_scores() -> None:
    report = _scored_report()
    assert scoring.report_execution_score(report).overridden  # 9 entered, 10.00 suggested
    assert scoring.report_total_score(report) == D("94.50")  # 9 + 38 + 30 + 17.5
    assert scoring.report_total_weight(report) == D("100")
    assert scoring.report_grade(report) == "优"
    report.execution_score = None
    assert scoring.report_total_score(report) == D("95.50")


def test_project_total_score_and_weight() -> None:
    project = Project(
        "高龄补贴",
        full_year_budget=D("700"),
        executed=D("630"),
        execution_weight=D("10"),
        indicators=[_ind(Method.AT_MOST, "100", "150", weight="50")],
    )
    assert scoring.project_execution_score(project).value == D("9.00")
    assert scoring.project_total_score(project) == D("34.00")  # 9 + 25
    assert scoring.project_total_weight(project) == D("60")


def test_a_report_not_yet_scored_has_no_grade_until_every_scored_line_has_a_score() -> None:
    from perfdesk.domain import templates
    from perfdesk.domain.model import Indicator, Method

    r = templates.new_report("某单位", 2025)
    state = scoring.report_scoring(r)
    assert state.total is None and not state.complete and state.grade is None
    assert scoring.report_grade(r) == scoring.UNSCORED == "未完成评分"
    r.budget_line("total").full_year_budget = Decimal("100")
    r.budget_line("total").executed = Decimal("100")  # 执行率 100 %: the 10 points are suggested
    r.indicators = [
        Indicator("产出指标", "数量指标", "甲", weight=Decimal("45")),
        Indicator("产出指标", "质量指标", "", weight=None),  # a blank row keeps the form's shape
        Indicator(
            "效益指标",
            "社会效益指标",
            "乙",
            method=Method.AT_LEAST,
            target_value=Decimal("10"),
            actual_value=Decimal("10"),
            weight=Decimal("45"),
        ),
    ]
    state = scoring.report_scoring(r)
    assert (state.lines, state.unscored, state.total) == (3, 1, Decimal("55"))
    assert scoring.report_grade(r) == "未完成评分"  # 甲 has no score yet: 55 is not a grade
    r.indicators[0].score = Decimal("40")
    assert scoring.report_scoring(r).complete and scoring.report_grade(r) == "优"


def test_the_execution_line_alone_is_no_grade() -> None:
    # 贯塘乡 2023: 预算执行率 10 of 10 entered, no indicator row with a weight in the copy. A total
    # of 10 would grade "差"; an indicator table not filled in is no grade at all.
    from perfdesk.domain import templates

    r = templates.new_report("衡山县贯塘乡人民政府", 2023)
    r.execution_score = Decimal("10")
    state = scoring.report_scoring(r)
    assert (state.lines, state.unscored, state.indicator_lines) == (1, 0, 0)
    assert not state.complete and state.grade_text == "未完成评分"


def test_unscored_indicators_are_the_weighted_rows_without_any_score() -> None:
    from perfdesk.domain.model import Indicator

    rows = [
        Indicator(
            "产出指标", "数量指标", "甲", weight=Decimal("20")
        ),  # no score, nothing to suggest
        Indicator("产出指标", "质量指标"),  # a blank row is no scored line
        Indicator("产出指标", "时效指标", "乙", weight=Decimal("20"), score=Decimal("18")),
    ]
    assert [(row, i.name) for row, i in scoring.unscored_indicators(rows)] == [(0, "甲")]

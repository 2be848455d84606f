"""One unit's line: the figures, scores and open findings its own report and 审核 give."""

from __future__ import annotations

from decimal import Decimal as D

from perfdesk.domain import model as m
from perfdesk.domain.audit import audit, unresolved_errors
from perfdesk.domain.scoring import UNSCORED
from perfdesk.summary.units import facts_from_json, facts_of, facts_to_json
from tests.summary.conftest import unit


def test_a_unit_line_has_its_funds_rate_score_grade_and_three_public() -> None:
    r = unit(
        "甲单位",
        initial="95.00",
        full="100.00",
        executed="90.00",
        score="5",
        three_public=("10.00", "8.00"),
    )
    f = facts_of(r)
    assert (f.initial_budget, f.full_year_budget, f.executed) == (
        D("95.00"),
        D("100.00"),
        D("90.00"),
    )
    assert f.execution_rate == D("0.9")
    assert f.score == D("9.00") + D("85")  # 执行率 90 % of 10 points, and the indicator's 85
    assert f.grade_text == "优"
    assert (f.three_public_budget, f.three_public_final, f.three_public_completion) == (
        D("10.00"),
        D("8.00"),
        D("0.8"),
    )


def test_an_unscored_report_is_unscored_not_graded_poor() -> None:
    f = facts_of(unit("乙单位", score=None))
    assert f.grade_text == UNSCORED
    assert f.score is None  # the 预算执行率 points alone are no 总分
    assert f.total_score == D("9.00") and f.unscored_lines == 1


def test_open_errors_and_hints_are_the_audits_and_a_note_closes_one() -> None:
    r = unit("丙单位", executed="110.00")  # over budget: a 提示
    r.report_date = None  # 报告信息: a 错误
    findings = audit(r)
    f = facts_of(r)
    assert f.open_errors == len(unresolved_errors(findings)) == 1
    assert f.open_hints == 1
    assert f.error_titles == ("报告信息",)
    hint = next(x for x in findings if x.severity.value == "提示")
    r.notes.append(m.Note(hint.rule, hint.place_id, "追加预算未及时批复"))
    assert facts_of(r).open_hints == 0


def test_project_forms_are_projects_with_a_named_indicator() -> None:
    f = facts_of(unit("丁单位", projects=3, forms=2))
    assert (f.project_count, f.project_forms) == (3, 2)


def test_deductions_are_counted_by_indicator_category() -> None:
    f = facts_of(unit("戊单位", score="5"))  # 85 of 90 on 数量指标, 9 of 10 on 预算执行率
    assert {d.category: d.points for d in f.deductions} == {
        "预算执行率": D("1.00"),
        "数量指标": D("5"),
    }


def test_facts_survive_the_cache_exactly() -> None:
    f = facts_of(unit("己单位", three_public=("1.2345", None), score=None, projects=2, forms=1))
    assert facts_from_json(facts_to_json(f)) == f

"""The 汇总表's totals and averages, against sums computed here from the reports themselves."""

from __future__ import annotations

from decimal import Decimal as D

from perfdesk.domain import calc, scoring
from perfdesk.domain.model import ReportKind
from perfdesk.domain.scoring import UNSCORED
from perfdesk.sample import load_sample
from perfdesk.services import Workspace
from tests.summary.conftest import department, row_of, unit


def test_totals_equal_the_sums_of_the_units_reports(filled: Workspace, generated: list) -> None:
    units = department(generated)
    summary = filled.summary(2024)
    assert summary.unit_count == len(units)

    def given(values: list) -> list:
        return [v for v in values if v is not None]

    for key in ("initial_budget", "full_year_budget", "executed"):
        values = given([getattr(r.budget_line("total"), key) for r in units])
        assert summary.totals[key].value == sum(values, D(0)), key
        assert summary.totals[key].units == len(values)
        assert summary.averages[key].value == sum(values, D(0)) / len(values)
    both = [
        r.budget_line("total")
        for r in units
        if r.budget_line("total").executed is not None
        and r.budget_line("total").full_year_budget is not None
    ]
    assert summary.totals["execution_rate"].value == sum(b.executed for b in both) / sum(
        b.full_year_budget for b in both
    )
    scores = [scoring.report_scoring(r).total for r in units if scoring.report_scoring(r).complete]
    assert summary.averages["score"].value == sum(scores, D(0)) / len(scores)
    assert summary.averages["score"].units == len(scores) < len(units)  # some are unscored
    finals = given([calc.three_public_line(r).final for r in units])
    assert summary.totals["three_public_final"].value == sum(finals, D(0))
    assert summary.totals["project_count"].value == sum(len(r.projects) for r in units)
    project_reports = [r for r in generated if r.kind == ReportKind.PROJECT]
    forms = sum(1 for r in units for p in r.projects if any(i.name for i in p.indicators))
    assert summary.totals["project_forms"].value == forms + len(project_reports)
    grades = [scoring.report_grade(r) for r in units]
    assert summary.grades == {g: grades.count(g) for g in ("优", "良", "中", "差", UNSCORED)}


def test_a_blank_figure_is_left_out_of_totals_and_averages_and_says_so(ws: Workspace) -> None:
    ws.add_report(unit("甲", initial="100.00", executed="80.00", score="10"))
    ws.add_report(unit("乙", initial=None, executed="90.00", score="0"))
    ws.add_report(unit("丙", initial="50.00", executed=None, score=None))
    s = ws.summary(2024)
    initial = s.totals["initial_budget"]
    assert (initial.value, initial.units, initial.of, initial.partial) == (D("150.00"), 2, 3, True)
    assert s.averages["initial_budget"].value == D("75")  # over the two that gave it, not three
    rate = s.totals["execution_rate"]
    assert rate.value == D("170.00") / D("200.00") and rate.units == 2
    avg = s.averages["score"]  # 丙 is not scored: an average over 甲 (98) and 乙 (89)
    assert (avg.value, avg.units) == ((D("98.00") + D("89.00")) / 2, 2)
    assert row_of(s, "丙").value("grade") == UNSCORED and row_of(s, "丙").value("score") is None
    assert row_of(s, "乙").value("initial_budget") is None  # blank, not 0


def test_project_reports_count_as_project_forms_of_their_unit(ws: Workspace) -> None:
    from perfdesk.domain.templates import new_project_report

    ws.add_report(unit("甲", projects=2, forms=1))
    ws.add_report(new_project_report("甲", 2024, "道路养护"))
    ws.add_report(new_project_report("乙", 2024, "学生资助"))  # no department report
    s = ws.summary(2024)
    assert [r.unit_name for r in s.rows] == ["甲"]  # only department reports are units
    assert (row_of(s, "甲").value("project_count"), row_of(s, "甲").value("project_forms")) == (
        2,
        2,
    )
    assert s.project_reports == 2 and s.orphan_project_units == ["乙"]


def test_the_sample_and_other_years_are_not_part_of_the_summary(ws: Workspace) -> None:
    ws.add_report(load_sample())  # 2024, marked as the sample
    ws.add_report(unit("甲"))
    ws.add_report(unit("甲", year=2023))
    assert [r.unit_name for r in ws.summary(2024).rows] == ["甲"]
    assert ws.summary_years() == [2024, 2023]


def test_units_follow_the_expected_list_then_the_others(ws: Workspace) -> None:
    for name in ("丙", "乙", "甲", "丁"):
        ws.add_report(unit(name))
    ws.set_expected_units(["乙", "甲", "丙", " ", "甲"])  # blanks and repeats dropped
    assert ws.expected_units() == ["乙", "甲", "丙"]
    assert [r.unit_name for r in ws.summary(2024).rows] == ["乙", "甲", "丙", "丁"]

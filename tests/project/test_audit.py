"""The 审核 of a project report: the project form's rules and its narrative's figures, nothing of a
department report's."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from perfdesk.domain.audit import RULES, Finding, audit, rules_for
from perfdesk.domain.model import BudgetLine, ControlLine, Report, ReportKind, StaffPost
from tests.project.factory import project_report


def _found(report: Report) -> set[tuple[str, str]]:
    return {(f.rule, f.place_id) for f in audit(report)}


def _only(report: Report, rule: str) -> list[Finding]:
    return [f for f in audit(report) if f.rule == rule]


def _section(report: Report, key: str, text: str) -> None:
    section = report.section(key)
    assert section is not None
    section.text = text


def test_a_complete_agreeing_project_report_has_no_finding(report: Report) -> None:
    assert audit(report) == []


def test_the_department_reports_own_rules_are_not_run_on_a_project_report() -> None:
    project_rules = {r.id for r in rules_for(ReportKind.PROJECT)}
    department_only = {r.id for r in RULES} - project_rules
    assert department_only == {
        "sum.income_parts",
        "sum.expense_parts",
        "sum.basic_expense",
        "sum.project_rows",
        "sum.project_total",
        "fund.none_contradicted",
        "fund.figures_missing",
        "range.staff_control",
        "range.three_public",
        "range.building",
        "range.budget_change",
    }
    assert {r.id for r in rules_for(ReportKind.DEPARTMENT)} == {r.id for r in RULES}


def test_department_figures_left_in_a_project_report_raise_nothing(report: Report) -> None:
    # A project report made by hand (or an old import) may carry department rows: they are not
    # printed, so they are not checked — no 附件2 sum, no 编制, no 三公, no 部门整体 form.
    report.budget_lines = [BudgetLine("total", D(100), D(100), D(100))]
    report.budget_lines.append(BudgetLine("income.general_public", D(1), D(1), D(1)))
    report.control_lines = [ControlLine("three_public.reception", D(0), D(1), D(5))]
    report.posts, report.actual_staff = [StaffPost("行政编制", 5)], 50
    report.execution_weight, report.execution_score = D(10), D(99)
    assert audit(report) == []


def test_fund_sources_are_held_to_the_projects_total(report: Report) -> None:
    # Published project forms show it: 年度资金总额 left at 0 above filled fund-source rows.
    report.projects[0].executed = D(0)
    (finding,) = _only(report, "sum.project_sources")
    assert finding.place.tab == "projects" and finding.place.field == "executed"
    assert (
        "当年财政拨款、上年结转资金、其他资金合计 699.14 万元 ≠ 年度资金总额 0.00 万元"
        in finding.message
    )
    # a blank total is asked for, not reported as a difference
    report.projects[0].executed = None
    assert _only(report, "sum.project_sources") == []
    (asked,) = _only(report, "sum.parts_missing")
    assert "资金来源（全年执行数）已填 699.14 万元" in asked.message


def test_weights_must_come_to_100_and_scores_stay_within_them(report: Report) -> None:
    p = report.projects[0]
    p.indicators[0].weight = D(20)  # 产出指标 now 55 of its 50, the form 105
    rules = {f.rule for f in audit(report)}
    assert {"sum.group_weights", "sum.total_weight"} <= rules
    p.indicators[0].weight = D(15)
    p.indicators[0].score = D(16)
    (finding,) = _only(report, "range.score_above_weight")
    assert "“高龄补贴发放人数”得分 16 分超过分值 15 分" in finding.message


def test_a_deducted_score_needs_its_reason(report: Report) -> None:
    late = next(i for i in report.projects[0].indicators if i.name == "补贴按月发放及时率")
    late.deviation_reason = ""
    (finding,) = _only(report, "complete.deviation_reason")
    assert finding.place.entity == "project_indicators"
    assert "得分 9.68 分低于分值 10 分" in finding.message


def test_an_indicator_without_a_score_or_a_way_to_suggest_one_is_asked_for(
    report: Report,
) -> None:
    quality = next(i for i in report.projects[0].indicators if i.name == "高龄老人生活质量")
    quality.score = quality.grade = None
    (finding,) = _only(report, "complete.scores")
    assert "未完成评分" in finding.message


def test_an_execution_score_taken_from_the_initial_budget_is_questioned(report: Report) -> None:
    # 699.14 ÷ 650.00 would be over 100 %; entered 9 against the 9.71 that 全年预算数 gives
    report.projects[0].execution_score = D(9)
    (finding,) = _only(report, "formula.execution_basis")
    assert "执行率应以全年预算数为分母" in finding.message


def test_amounts_in_the_narrative_must_add_up_to_the_total_they_follow(report: Report) -> None:
    _section(
        report,
        "project.funds.management",
        "全年执行699.14万元，其中：80—89周岁老人补贴586.60万元、90—99周岁老人补贴118.94万元。",
    )
    (finding,) = _only(report, "text.parts_sum")
    assert finding.place.tab == "text" and finding.place.key == "project.funds.management"
    assert finding.message.startswith("二（三）项目资金管理情况：")
    assert "586.6 + 118.94 = 705.54 万元，与合计 699.14 万元超过了它" in finding.message
    # an allocation ("a万元用于…") must share out the whole exactly
    _section(
        report,
        "project.funds.management",
        "本项目全年预算数720万元，其中：700万元用于发放补贴，30万元用于核查和宣传。",
    )
    (finding,) = _only(report, "text.parts_sum")
    assert "700 + 30 = 730.00 万元，与合计 720.00 万元不一致" in finding.message


def test_the_narratives_figures_are_read_as_the_projects(report: Report) -> None:
    _section(
        report,
        "project.performance",
        "本项目全年执行数700.14万元，执行率99%。当年财政拨款690万元。",
    )
    found = {f.rule: f for f in audit(report)}
    assert "与项目“高龄补贴”的全年执行数 699.14 万元不一致" in found["text.project_amount"].message
    assert "执行率 97.10%" in found["formula.execution_rate_text"].message
    assert "当年财政拨款（全年执行数） 680.00 万元" in found["text.total_amount"].message
    # written as the form has them, the same words raise nothing
    _section(
        report,
        "project.performance",
        "本项目全年执行数699.14万元，执行率97.10%。当年财政拨款680万元，上年结转资金19.14万元。",
    )
    assert audit(report) == []


def test_a_list_item_of_a_project_report_is_read_as_the_projects_too(report: Report) -> None:
    report.lists["problems"][0].text = "项目资金全年预算数为702万元，执行进度偏慢。"
    (finding,) = _only(report, "text.project_amount")
    assert finding.place.entity == "lists" and "全年预算数 720.00 万元" in finding.message


def test_last_years_figure_is_taken_from_last_years_report_of_the_same_project(
    report: Report, tmp_path: Path
) -> None:
    from perfdesk.services import Workspace
    from tests.ui.conftest import filled_report

    last_department = filled_report("某区民政局", 2023)
    last_department.projects[0].name, last_department.projects[0].executed = "高龄补贴", D("600")
    ws = Workspace.open(tmp_path / "a.db")
    try:
        ws.add_report(last_department)
        rid = ws.add_report(report)
        # no project report of 2023: last year's department report, its project of that name
        previous = ws.previous_report(ws.load(rid))
        assert previous is not None and previous.kind == ReportKind.DEPARTMENT
        (finding,) = [f for f in audit(report, previous) if f.rule == "years.prior_final"]
        assert (
            "项目“高龄补贴”的上年决算数 672.30 万元" in finding.message
            and "600.00" in finding.message
        )
        # a project report of 2023 for the same project is preferred
        last_project = project_report(year=2023)
        last_project.projects[0].executed = D("672.30")
        ws.add_report(last_project)
        previous = ws.previous_report(ws.load(rid))
        assert previous is not None and previous.kind == ReportKind.PROJECT
        assert audit(report, previous) == []
    finally:
        ws.close()

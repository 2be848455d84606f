"""The standard paragraphs of a project report, written from its form: what each heading says."""

from __future__ import annotations

from decimal import Decimal as D

from perfdesk.domain.model import Report, Section
from perfdesk.domain.templates import new_project_report
from perfdesk.report import standard_paragraphs


def _under(report: Report, key: str) -> list[str]:
    section = report.section(key)
    assert section is not None, key
    return standard_paragraphs(report, section)


def test_overview_names_who_runs_the_project_and_what_the_money_is_for(report: Report) -> None:
    assert _under(report, "project.overview") == [
        "高龄补贴项目主管部门为某区民政局，实施单位为某区民政局社会事务股，属区级专项资金。"
        "项目资金主要用于向辖区内80周岁以上老年人按月发放高龄补贴。"
    ]


def test_goals_restate_the_forms_goal_and_count_the_indicators(report: Report) -> None:
    assert _under(report, "project.goals") == [
        "本项目年度总体目标为：按时足额向辖区内80周岁以上老年人发放高龄补贴，保障高龄老人基本生活，"
        "提升老年人获得感和幸福感。",
        # the template's empty 经济效益 and 生态效益 rows are not indicators
        "围绕上述目标，设置绩效指标7项，其中产出指标4项、效益指标2项、满意度指标1项。",
    ]


def test_funds_give_budget_change_and_sources_then_spending_and_execution_rate(
    report: Report,
) -> None:
    assert _under(report, "project.funds.arrival") == [
        "本项目年初预算数650.00万元，年中调增70.00万元，全年预算数720.00万元，其中：当年财政拨款"
        "700.00万元、上年结转资金20.00万元。"
    ]
    # 执行率 = 全年执行数 ÷ 全年预算数 = 699.14 ÷ 720.00, never against 年初预算数.
    assert _under(report, "project.funds.use") == [
        "2024年度本项目全年执行数699.14万元，执行率97.10%，结余结转20.86万元；全年执行数中当年财政拨款"
        "680.00万元、上年结转资金19.14万元。"
    ]
    assert _under(report, "project.funds.management") == []  # the clerk's own words only


def test_performance_restates_each_indicator_and_ends_with_the_score_and_grade(
    report: Report,
) -> None:
    assert _under(report, "project.performance.goal") == [
        "全年为9398名高龄老人发放补贴699.14万元，补贴按月发放到位，高龄老人生活质量得到改善。"
    ]
    output, benefit, satisfied = _under(report, "project.performance.indicators")
    assert output.startswith(
        "1.产出指标（分值50分，自评得分49.68分）：“高龄补贴发放人数”年度指标值≥9000人，实际完成值9398人；"
    )
    # A deducted score says by how much and why (the form's 偏差原因分析及改进措施).
    assert (
        "“补贴按月发放及时率”年度指标值≥95%，实际完成值92%，得分9.68分（分值10分），"
        "个别乡镇12月补贴因系统升级延至次月发放；已与银行约定提前报送发放名册" in output
    )
    assert benefit.startswith("2.效益指标（分值30分，自评得分29分）：")
    assert (
        satisfied
        == "3.满意度指标（分值10分，自评得分10分）：“受益老人满意度”年度指标值≥90%，实际完成值96%。"
    )
    assert _under(report, "project.performance.score") == [
        "预算执行率指标分值10分，执行率97.10%，得分9.71分。",
        "综上，本项目绩效自评得分98.39分（预算执行率9.71分、产出指标49.68分、效益指标29分、满意度指标10分），"
        "自评等级为“优”。",
    ]


def test_a_form_not_fully_scored_gets_no_total_and_no_grade(report: Report) -> None:
    quality = next(i for i in report.projects[0].indicators if i.name == "高龄老人生活质量")
    quality.score = quality.grade = None  # 定性, neither scored nor graded: nothing to suggest
    score = _under(report, "project.performance.score")
    assert score[-1] == "本项目尚有1项未评分，自评得分和等级待评分完成后确定（未完成评分）。"
    assert not any("综上" in p or "自评等级" in p for p in score)
    # the 一级 with the unscored indicator states its weight but no score of its own
    benefit = _under(report, "project.performance.indicators")[1]
    assert benefit.startswith("2.效益指标（分值30分）：")


def test_blank_is_left_out_and_zero_is_written_as_zero() -> None:
    r = new_project_report("某县财政局", 2025, "乡村振兴衔接资金")
    p = r.projects[0]
    # nothing given: nothing is written where figures would be, and no 0 is invented
    for key in (
        "project.overview",
        "project.goals",
        "project.funds.arrival",
        "project.funds.use",
        "project.performance.goal",
        "project.performance.indicators",
    ):
        assert _under(r, key) == [], key
    # a budget of 0 and nothing spent: written as 0, and 0 of 0 is an 执行率 of 0 %
    p.full_year_budget, p.executed = D("0"), D("0")
    sources = {s.key: s for s in p.sources}
    sources["current_appropriation"].full_year_budget = D("0")
    assert _under(r, "project.funds.arrival") == [
        "本项目全年预算数0万元。"
    ]  # a 0 source is no 其中
    assert _under(r, "project.funds.use") == ["2025年度本项目全年执行数0万元，执行率0.00%。"]
    # spent without a budget given: no rate can be computed, so none is written
    p.full_year_budget, p.executed = None, D("12.5")
    assert _under(r, "project.funds.use") == ["2025年度本项目全年执行数12.50万元。"]


def test_a_new_report_without_scores_says_so() -> None:
    r = new_project_report("某县财政局", 2025, "乡村振兴衔接资金")
    # the template's 预算执行率 line has its 分值 10 and no budget to score it from
    assert _under(r, "project.performance.score") == [
        "本项目尚有1项未评分，自评得分和等级待评分完成后确定（未完成评分）。"
    ]
    r.projects[0].execution_weight = None
    assert _under(r, "project.performance.score") == [
        "本项目绩效指标尚未评分，自评得分和等级待评分完成后确定（未完成评分）。"
    ]


def test_a_removed_sub_heading_hands_its_paragraphs_to_its_parent(report: Report) -> None:
    arrival = _under(report, "project.funds.arrival")
    report.sections = [s for s in report.sections if s.key != "project.funds.arrival"]
    assert _under(report, "project.funds") == arrival  # 二、 states the budget itself now
    # an outline of the first release (no sub-headings under 二 and 四) loses no figure either
    old = Report(report.unit_name, report.year, kind=report.kind, projects=report.projects)
    old.sections = [
        Section("project.funds", "项目资金使用及管理情况"),
        Section("project.performance", "项目绩效情况"),
    ]
    funds = standard_paragraphs(old, old.sections[0])
    assert funds[0].startswith("本项目年初预算数650.00万元") and funds[1].startswith(
        "2024年度本项目全年执行数"
    )
    performance = standard_paragraphs(old, old.sections[1])
    assert performance[-1].startswith("综上，本项目绩效自评得分98.39分")

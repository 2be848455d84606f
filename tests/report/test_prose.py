"""The standard paragraphs are written from the figures: change a figure and the sentence changes.

Expected sentences are the reference report's (2024, 株洲市芦淞区民政局) with its figures, in the
wording the program uses: amounts with two places (a zero written 0, as the reference does), rates
from calc, a zero base without a rate. Blank is not zero: a figure not given is left out of the
sentence, never written as 0.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfdesk.domain.model import SpecialFundKind, StaffPost
from perfdesk.report import prose
from tests.report.factory import filled_report


def test_organisation_sentence_names_posts_offices_and_units() -> None:
    r = filled_report()
    assert prose.organisation(r) == (
        "本部门共有编制人数12人，其中行政编制7人、事业编制5人。实有在职人数12人。"
        "内设科室2个（含1个副科级单位），分别为：综合办公室、社会救助股；下属事业单位1个：慈善事务服务中心。"
    )


def test_organisation_leaves_out_what_is_empty() -> None:
    r = filled_report()
    r.offices_note = ""
    r.lists["subordinate_units"] = []
    r.posts = [StaffPost("行政编制", 9), StaffPost("事业编制", None)]
    r.actual_staff = None
    text = prose.organisation(r)
    # 事业编制 not given is not "none": no 均为 (that would say there is no 事业编制)
    assert (
        text
        == "本部门共有编制人数9人，其中行政编制9人。内设科室2个，分别为：综合办公室、社会救助股。"
    )
    r.posts[1].count = 0  # given as none
    assert prose.organisation(r).startswith("本部门共有编制人数9人，均为行政编制。")
    r.posts[1].count = None
    r.lists["offices"] = []
    r.posts = [StaffPost("行政编制", None)]
    assert prose.organisation(r) == ""  # nothing given: no "编制人数0人", no sentence at all
    r.actual_staff = 0  # a real zero is a figure
    assert prose.organisation(r) == "实有在职人数0人。"


def test_offices_note_typed_with_brackets_is_not_bracketed_twice() -> None:
    r = filled_report()
    r.offices_note = "（含1个副科级单位）"
    assert "内设科室2个（含1个副科级单位），" in prose.organisation(r)


def test_basic_expenditure_paragraphs_from_the_reference_figures() -> None:
    assert prose.basic_expenditure(filled_report()) == [
        "1.2024年度年初预算资金258.07万元。",
        "2.2024年度单位一般公共预算财政拨款收入3219.95万元。",
        "3.2024年度单位一般公共预算财政拨款支出3219.95万元。其中：人员经费255.44万元，公用经费51.47万元。",
        "2024年度三公经费预算0.30万元，决算0.13万元，完成预算的43.33%。其中公务接待费支出决算为0.13万元。",
        "2024年度三公经费决算0.13万元，与2023年决算0万元比较增加0.13万元（上年为0，不计算增长率）。主要是接待检查组。",
    ]


def test_changing_a_figure_changes_the_sentence() -> None:
    r = filled_report()
    r.personnel_expense = D("300.125")
    r.control_line("three_public.vehicle_operation").final = D("1.5")
    paragraphs = prose.basic_expenditure(r)
    assert "人员经费300.13万元" in paragraphs[2]  # half up
    assert "公务用车购置及运行费支出决算为1.50万元" in paragraphs[3]
    assert "决算1.63万元" in paragraphs[3]  # the 三公 total follows its parts


def test_blank_figures_are_left_out_of_a_sentence_and_the_items_renumbered() -> None:
    r = filled_report()
    r.personnel_expense = None
    r.budget_line("expense.basic").initial_budget = None
    paragraphs = prose.basic_expenditure(r)
    assert paragraphs[0] == "1.2024年度单位一般公共预算财政拨款收入3219.95万元。"
    assert paragraphs[1] == (
        "2.2024年度单位一般公共预算财政拨款支出3219.95万元。其中：公用经费51.47万元。"
    )
    assert not any("0.00" in p or "人员经费" in p for p in paragraphs)
    r.general_public_expenditure = None  # the parts alone, never "parts larger than a 0 total"
    assert prose.basic_expenditure(r)[1] == "2.2024年度单位公用经费51.47万元。"


def test_a_zero_figure_is_written_0_not_blank_and_not_0_00() -> None:
    r = filled_report()
    r.control_line("three_public.overseas").final = D("0")
    text = prose.basic_expenditure(r)[3]
    assert "因公出国（境）费支出决算为0万元；公务接待费支出决算为0.13万元" in text
    assert "0.00" not in text


def test_nothing_given_writes_no_expenditure_sentences() -> None:
    from perfdesk.domain.templates import new_report

    r = new_report("新单位", 2025)
    assert prose.basic_expenditure(r) == []
    assert prose.project_expenditure(r) == ""
    assert prose.projects_overview(r) == ""
    assert prose.organisation(r) == ""


@pytest.mark.parametrize(
    ("prior", "final", "expected"),
    [
        (
            "0.20",
            "0.13",
            "2024年度三公经费决算0.13万元，与2023年决算0.20万元比较减少0.07万元，下降35.00%。",
        ),
        (
            "0.10",
            "0.13",
            "2024年度三公经费决算0.13万元，与2023年决算0.10万元比较增加0.03万元，增长30.00%。",
        ),
        (
            "0",
            "0.13",
            "2024年度三公经费决算0.13万元，与2023年决算0万元比较增加0.13万元（上年为0，不计算增长率）。",
        ),
        ("0.13", "0.13", "2024年度三公经费决算0.13万元，与上年持平。"),
        (None, None, ""),  # neither year given: nothing said, never "0.00万元，与上年持平"
        (None, "0.13", ""),
    ],
)
def test_three_public_change_against_last_year(
    prior: str | None, final: str | None, expected: str
) -> None:
    r = filled_report()
    line = r.control_line("three_public.reception")
    line.prior_final = D(prior) if prior is not None else None
    line.final = D(final) if final is not None else None
    assert prose.three_public_change(r) == expected
    assert "100%" not in prose.three_public_change(r)  # the reference's "增长100%" from a zero base


def test_no_completion_rate_without_a_budget() -> None:
    r = filled_report()
    r.control_line("three_public.reception").budget = None
    assert "完成预算" not in prose.basic_expenditure(r)[3]


def test_project_expenditure_lists_projects_with_an_executed_figure() -> None:
    r = filled_report()
    r.projects[1].executed = None
    r.projects[2].executed = D("0")
    r.projects[0].name = "救助、安置项目007"  # a 、 in the name, a digit at its end
    assert prose.project_expenditure(r) == (
        "2024年度单位项目支出4175.33万元，其中：救助、安置项目007项目支出100.50万元。"
    )
    r.projects[0].name = "儿童福利项目"
    assert "其中：儿童福利项目支出100.50万元。" in prose.project_expenditure(r)
    r.projects = []
    assert prose.project_expenditure(r) == "2024年度单位项目支出4175.33万元。"


def test_project_expenditure_given_only_as_a_total_is_printed_once() -> None:
    r = filled_report()
    r.projects = []
    r.budget_line("expense.project").executed = None
    r.control_line("project").final = D("812.40")  # 附件1's 项目支出 total, no itemised projects
    assert prose.project_expenditure(r) == "2024年度单位项目支出812.40万元。"


def test_special_funds_print_their_figures_or_that_there_are_none() -> None:
    r = filled_report()
    assert prose.special_fund(r, SpecialFundKind.GOV_FUND) == (
        "本部门2024年度政府性基金预算年初预算0万元，决算收入205.49万元，决算支出205.49万元，"
        "主要为用于社会福利的彩票公益金项目支出205.49万元。"
    )
    assert (
        prose.special_fund(r, SpecialFundKind.STATE_CAPITAL)
        == "本部门2024年度无国有资本经营预算安排。"
    )
    assert (
        prose.special_fund(r, SpecialFundKind.SOCIAL_INSURANCE)
        == "本部门2024年度无社会保险基金预算安排。"
    )
    r.special_fund(SpecialFundKind.GOV_FUND).usage = "主要用于养老。"
    assert prose.special_fund(r, SpecialFundKind.GOV_FUND).endswith(
        "决算支出205.49万元，主要用于养老。"
    )
    fund = r.special_fund(SpecialFundKind.GOV_FUND)
    fund.initial_budget = None  # not given: left out
    assert prose.special_fund(r, SpecialFundKind.GOV_FUND).startswith(
        "本部门2024年度政府性基金预算决算收入205.49万元"
    )


def test_a_fund_the_report_does_not_speak_of_prints_nothing_invented() -> None:
    from perfdesk.domain.model import FundStatus

    r = filled_report()
    r.special_fund(SpecialFundKind.STATE_CAPITAL).status = FundStatus.UNSTATED
    assert prose.special_fund(r, SpecialFundKind.STATE_CAPITAL) == ""


def test_projects_overview_says_reduced_or_increased() -> None:
    r = filled_report()
    assert prose.projects_overview(r) == (
        "年初预算项目专项资金4314.69万元，年中执行调减139.36万元，实际支出4175.33万元，"
        "结余结转49.81万元。项目实施及绩效情况如下："
    )
    r.budget_line("expense.project").full_year_budget = D("4400.00")
    assert "年中执行调增85.31万元" in prose.projects_overview(r)
    r.budget_line("expense.project").full_year_budget = None  # no "年中执行调减0.00万元"
    r.project_carryover = None
    assert prose.projects_overview(r) == (
        "年初预算项目专项资金4314.69万元，实际支出4175.33万元。项目实施及绩效情况如下："
    )


def test_project_paragraphs_are_numbered_without_gaps() -> None:
    r = filled_report(projects=4)
    r.projects[1].purpose = ""
    r.projects[1].narrative = ""  # nothing to say: no paragraph, and no hole in the numbering
    r.projects[2].purpose = "主要用于对象的基本生活。"
    r.projects[2].narrative = "第一段。\n\n第二段。"
    items = prose.project_paragraphs(r)
    assert [i.heading for i in items] == ["（1）测试项目1", "（2）测试项目3", "（3）测试项目4"]
    assert items[0].paragraphs == [
        "项目支出100.50万元，主要用于测试用途1。项目实施及绩效情况：测试项目1的实施情况。"
    ]
    assert items[1].paragraphs == [
        "项目支出102.50万元，主要用于对象的基本生活。项目实施及绩效情况：第一段。",
        "第二段。",
    ]


def test_chinese_heading_numbers() -> None:
    assert [prose.chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]
    assert [prose.heading_number(level, 3) for level in (1, 2, 3, 4)] == [
        "三、",
        "（三）",
        "3.",
        "（3）",
    ]


def test_lines_of_keeps_one_paragraph_per_line() -> None:
    assert prose.lines_of("  甲。\r\n\n乙。 \r丙") == ["甲。", "乙。", "丙"]
    assert prose.lines_of("") == []


def test_a_project_with_a_budget_and_no_executed_figure_leaves_the_total_unsaid() -> None:
    """The sum of the projects that have a 执行数 is not 项目支出 while one with a budget has none
    yet: the sentence names what is given and states no total (and 附件1 prints it blank)."""
    from perfdesk.domain import calc

    r = filled_report()
    r.budget_line("expense.project").executed = None
    r.control_line("project").final = None
    r.projects[1].executed = None  # budgeted (全年预算) but its 执行数 not given yet
    assert r.projects[1].full_year_budget is not None
    assert calc.project_total_line(r).final is None
    assert calc.project_total_line(r).budget is not None  # the budgets are all there
    text = prose.project_expenditure(r)
    assert "单位项目支出" not in text
    r.projects[1].executed = D("0")  # given: nothing spent
    assert calc.project_total_line(r).final == sum((p.executed for p in r.projects), D(0))
    assert "单位项目支出" in prose.project_expenditure(r)

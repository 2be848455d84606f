"""Reading figures out of prose: what an amount is the amount of, and when to leave it alone.

The phrases are the kinds a clerk writes (many taken from the reference report); the figures they
are held against are set up in each test, so every expectation can be checked by eye.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfdesk.domain.model import (
    BudgetLine,
    ControlLine,
    FundStatus,
    Project,
    Report,
    SpecialFund,
    SpecialFundKind,
)
from perfdesk.domain.numbers import format_amount, format_plain
from perfdesk.domain.textcheck import (
    TextContext,
    TextReader,
    agrees,
    core_name,
    match_project,
)

D = Decimal


def _report() -> Report:
    r = Report("株洲市芦淞区民政局", 2024)
    r.budget_lines = [
        BudgetLine("total", D("4572.76"), D("4532.05"), D("4532.05")),
        BudgetLine("income.general_public", executed=D("3219.95")),
        BudgetLine("expense.basic", D("258.07"), None, D("306.91")),
        BudgetLine("expense.project", D("4314.69"), D("4175.33"), D("4175.33")),
    ]
    r.personnel_expense = D("255.44")
    r.general_public_expenditure = D("3219.95")
    r.project_carryover = D("49.81")
    r.control_lines = [
        ControlLine("public", D("24.48"), D("21.42"), D("51.47")),
        ControlLine("three_public.reception", D("0"), D("0.3"), D("0.13")),
        ControlLine("three_public.overseas", D("0"), D("0"), D("0")),
    ]
    r.special_funds = [
        SpecialFund(SpecialFundKind.GOV_FUND, FundStatus.HAS, D("0"), D("205.49"), D("205.49"))
    ]
    r.projects = [
        Project(
            "城乡最低生活保障",
            prior_final=D("2028"),
            full_year_budget=D("2600"),
            executed=D("2535.32"),
        ),
        Project("城乡特困供养救助人员项目", executed=D("172.77")),
        Project("临时救助", full_year_budget=D("1.1"), initial_budget=D("55"), executed=D("1.1")),
        Project("高龄补贴", prior_final=D("0"), full_year_budget=D("700"), executed=D("699.14")),
        Project("精简退职人员救济项目", executed=D("1.31")),
    ]
    return r


def _quotes(text: str, ctx: TextContext | None = None, report: Report | None = None) -> list[str]:
    """The written figures in ``text`` that disagree with the report."""
    return [m.written.quote for m in TextReader(report or _report()).check(text, ctx)]


def _read(text: str, ctx: TextContext | None = None) -> list[tuple[str, str, bool]]:
    return [(m.written.quote, m.subject.name, m.ok) for m in TextReader(_report()).read(text, ctx)]


# --- project names -------------------------------------------------------------------------------


def test_core_name_strips_suffixes_but_keeps_two_characters() -> None:
    assert core_name("惠民礼葬补贴项目") == "惠民礼葬"
    assert core_name("精简退职人员救济项目") == "精简退职人员"
    assert core_name("高龄补贴") == "高龄"
    assert core_name("项目") == "项目"  # nothing left to call a name otherwise


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("城乡最低生活保障", 0),  # exact
        ("城乡最低生活保障项目", 0),  # suffix stripped
        ("高龄补贴", 3),
        ("惠民礼葬", None),  # no such project
        ("城乡特困供养", 1),  # shared core of six characters, all of what was written
        ("精简退职救济", 4),  # 精简退职 shared, most of what was written
        ("月发放特困基本生活费", None),  # 特困 / 基本生活: a part, not the project
        ("共对123个家庭临时救助", None),  # the name is a small part of the words
        ("高龄长寿补贴", None),  # only 高龄 in common: too short to be sure
        ("城乡低保和特困供养", None),  # two subjects joined
        ("", None),
    ],
)
def test_match_project_by_rules(mention: str, expected: int | None) -> None:
    assert match_project(mention, _report().projects) == expected


def test_two_projects_matching_equally_is_no_match() -> None:
    projects = [Project("城乡最低生活保障（城市）"), Project("城乡最低生活保障（农村）")]
    assert match_project("城乡最低生活保障", projects) is None


# --- amounts after a project's name --------------------------------------------------------------


def test_project_amount_that_differs_is_found() -> None:
    text = "其中：城乡最低生活保障项目支出2030.27万元、高龄补贴项目支出699.14万元、城乡特困供养项目支出25.4万元。"
    assert _quotes(text) == ["城乡最低生活保障项目支出2030.27万元", "城乡特困供养项目支出25.4万元"]


def test_amounts_written_with_fewer_places_agree() -> None:
    # 1.31 written as "1.31", 1.10 as "1.1", 699.14 rounded to "699.1" (under 1 % off).
    assert (
        _quotes("精简退职救济项目支出1.31万元，临时救助项目支出1.1万元，高龄补贴699.1万元。") == []
    )


def test_a_rounded_figure_agrees_but_a_written_zero_does_not() -> None:
    assert agrees(D("4175"), 0, D("4175.33"))
    assert not agrees(D("0"), 0, D("0.13"))
    assert not agrees(D("4100"), 0, D("4175.33"))  # not the rounding of it
    assert agrees(D("0.13"), 2, D("0.125"))  # within the 0.01 尾差


def test_project_budget_column_is_read_from_the_words() -> None:
    # 年初预算 of 临时救助 is 55, 全年预算 1.1: each phrase is held against its own column.
    assert _quotes("临时救助项目年初预算55万元，全年预算1.1万元。") == []
    assert _quotes("临时救助项目年初预算1.1万元。") == ["临时救助项目年初预算1.1万元"]


def test_last_year_figure_is_read_from_the_year() -> None:
    assert _quotes("2023年城乡最低生活保障项目支出2028万元。") == []
    assert _quotes("2023年城乡最低生活保障项目支出2535.32万元。") == [
        "2023年城乡最低生活保障项目支出2535.32万元"
    ]
    assert _quotes("2021年城乡最低生活保障项目支出1万元。") == []  # another year: not checked


# --- amounts after a total's name ----------------------------------------------------------------


def test_totals_named_in_the_text() -> None:
    text = (
        "2024年度单位项目支出2913.05万元，其中：人员经费255.44万元，公用经费51.47万元。"
        "2.2024年度单位一般公共预算财政拨款收入3219.95万元。"
        "3.2024年度单位一般公共预算财政拨款支出3219.95万元。"
    )
    assert _quotes(text) == ["2024年度单位项目支出2913.05万元"]


def test_column_before_the_line_name() -> None:
    text = "年初预算项目专项资金4314.69万元，年中执行调减139.36万元，实际支出4175.33万元,结余结转49.81万元。"
    readings = _read(text)
    assert [(q, ok) for q, _, ok in readings] == [
        ("年初预算项目专项资金4314.69万元", True),
        ("实际支出4175.33万元", True),  # continues the sentence's subject, 项目支出
        ("结余结转49.81万元", True),
    ]
    assert _quotes("年初预算项目专项资金4000万元，实际支出4175.33万元。") == [
        "年初预算项目专项资金4000万元"
    ]


def test_three_public_sentence_of_the_reference() -> None:
    text = (
        "2024年度三公经费预算0.3万元，决算0.13万元，完成预算的43%。"
        "其中因公出国（境）费支出决算为0万元；公务接待费支出决算为0.13万元。\n"
        "2024年度三公经费决算0万元与2023年决算比较增加0.13万元，增长100%。"
    )
    assert _quotes(text) == ["2024年度三公经费决算0万元", "增长100%"]


def test_elliptical_column_takes_the_sentence_subject() -> None:
    assert _quotes("2024年度三公经费预算0.3万元，决算0.2万元。") == ["决算0.2万元"]


def test_special_fund_section() -> None:
    text = "本部门2024年度政府性基金预算年初预算0万元，政府性基金预算财政拨款决算收入205.49万元，决算支出205.49万元。"
    assert [ok for _, _, ok in _read(text)] == [True, True, True]
    assert _quotes("政府性基金预算财政拨款决算收入200万元。") == [
        "政府性基金预算财政拨款决算收入200万元"
    ]


# --- what is left alone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "城乡最低生活保障项目支出约2000万元。",  # approximate
        "高龄补贴项目支出比上年增加31.94万元。",  # a change, not the figure
        "月发放特困基本生活费43.95万元。",  # monthly
        "截止11月份，共发放高龄补贴463.81万元。",  # as of November
        "城乡低保和特困供养项目支出2000万元。",  # two subjects
        "补贴资金141.92万元；护理费5.7万元。",  # no known subject
        "为466位特困供养对象送上慰问物资，共计74560元。",  # 元, not 万元
    ],
)
def test_figures_not_read_with_confidence_are_left_alone(text: str) -> None:
    assert _quotes(text) == []


def test_full_width_digits_and_thousands_separators_are_read() -> None:
    assert _quotes("城乡最低生活保障项目支出２０３０．２７万元。") == [
        "城乡最低生活保障项目支出2030.27万元"
    ]
    assert _quotes("城乡最低生活保障项目支出2,535.32万元。") == []


# --- a project's own text and headings -----------------------------------------------------------


def test_in_a_projects_own_text_project_spending_is_that_project() -> None:
    ctx = TextContext(project=2)  # 临时救助
    assert _quotes("项目支出1.1万元，主要用于临时救助。全年共支出1.1万元。", ctx) == []
    assert _quotes("项目支出2万元。全年共支出3万元。", ctx) == ["项目支出2万元", "全年共支出3万元"]


def test_a_heading_naming_a_project_puts_the_paragraph_under_it() -> None:
    text = "（1）城乡最低生活保障项目\n项目支出2535.32万元，主要用于低保。\n（2）临时救助项目\n项目支出2万元。"
    assert _quotes(text) == ["项目支出2万元"]


def test_under_an_unknown_heading_project_spending_is_nobodys() -> None:
    text = "（3）孤儿基本生活费项目\n项目支出18.65万元。"
    assert _quotes(text) == []  # not read as the 项目支出 total of 4175.33


def test_the_whole_unit_is_never_a_project() -> None:
    ctx = TextContext(project=2)
    assert _quotes("本单位项目支出4175.33万元。", ctx) == []
    assert _quotes("本单位项目支出1.1万元。", ctx) == ["本单位项目支出1.1万元"]


# --- rates ---------------------------------------------------------------------------------------


def test_execution_rate_against_the_initial_budget_is_found() -> None:
    found = TextReader(_report()).check("2024年度预算执行率为99.11%。")
    assert [(m.kind, m.written.quote) for m in found] == [("rate", "2024年度预算执行率为99.11%")]
    assert found[0].subject.initial_rate is not None
    assert f"{found[0].subject.initial_rate * 100:.2f}" == "99.11"


def test_execution_rate_as_computed_is_accepted() -> None:
    assert _quotes("预算执行率100%，项目支出执行率100.00%。") == []


def test_project_execution_rate() -> None:
    # 城乡最低生活保障: 2535.32 ÷ 2600 = 97.51 %
    assert _quotes("城乡最低生活保障项目执行率97.51%。") == []
    assert _quotes("城乡最低生活保障项目执行率100%。") == ["城乡最低生活保障项目执行率100%"]
    assert _quotes("项目执行率为97.51%。", TextContext(project=0)) == []


# --- growth from zero ----------------------------------------------------------------------------


def test_growth_rate_from_a_zero_base() -> None:
    assert _quotes("公务接待费决算0.13万元，增长100%。") == ["增长100%"]
    assert _quotes("公务接待费比上年增长100%。") == ["公务接待费比上年增长100%"]
    assert _quotes("高龄补贴项目支出699.14万元，同比增长100%。") == ["同比增长100%"]


def test_growth_rate_from_a_nonzero_base_is_not_this_check() -> None:
    assert _quotes("公用经费决算51.47万元，增长110.25%。") == []


def test_growth_in_the_three_public_reason_is_about_three_public() -> None:
    assert _quotes("主要是接待检查组，增长100%。", TextContext(three_public=True)) == ["增长100%"]
    assert _quotes("主要是接待检查组，增长100%。") == []  # elsewhere: no subject, no guess


def test_a_line_without_a_column_takes_the_sentences_column() -> None:
    # The breakdown of 年初预算: 基本支出 258.07 is its 年初预算数, not its 执行数 306.91.
    assert (
        _quotes("2024年度年初预算4572.76万元，其中：基本支出258.07万元，项目支出4314.69万元。")
        == []
    )
    assert _quotes("2024年度年初预算4572.76万元，其中：基本支出306.91万元。") == [
        "基本支出306.91万元"
    ]


def test_a_line_without_any_column_may_be_any_of_this_years_figures() -> None:
    assert _quotes("基本支出258.07万元。") == []  # its 年初预算数
    assert _quotes("临时救助55万元。") == []  # its 年初预算数
    assert _quotes("城乡最低生活保障2028万元。") == ["城乡最低生活保障2028万元"]  # last year's only


def test_last_years_column_carries_on_only_until_this_year_is_named() -> None:
    assert _quotes("2023年三公经费决算0万元，其中公务接待费0万元。") == []
    assert _quotes("2023年三公经费决算0万元，2024年公务接待费0.13万元。") == []
    assert _quotes("2023年三公经费决算0万元，其中公务接待费0.13万元。") == [
        "其中公务接待费0.13万元"
    ]


def test_bare_budget_words_in_a_section_about_one_line() -> None:
    # 二（一）基本支出情况: "年初预算资金258.07万元" is 基本支出's 年初预算数.
    basic = TextContext(section="gpb.basic")
    assert _quotes("1.2024年度年初预算资金258.07万元。", basic) == []
    assert _quotes("1.2024年度年初预算资金4572.76万元。", basic) == [
        "1.2024年度年初预算资金4572.76万元"
    ]
    # elsewhere a bare 年初预算 is the 年度资金总额's
    assert (
        _quotes("2024年度年初预算4572.76万元。", TextContext(section="performance.overall")) == []
    )
    assert _quotes("2024年度年初预算4500万元。") == ["2024年度年初预算4500万元"]
    # and a bare 决算 outside any such section is not guessed
    assert _quotes("决算4000万元。") == []


def test_fiscal_appropriation_alone_may_include_the_fund_appropriation() -> None:
    report = _report()
    report.budget_lines.append(BudgetLine("income.gov_fund", executed=D("205.49")))
    assert _quotes("财政拨款收入3425.44万元。", report=report) == []  # 3219.95 + 205.49
    assert _quotes("财政拨款收入3219.95万元。", report=report) == []
    assert _quotes("财政拨款收入3000万元。", report=report) == ["财政拨款收入3000万元"]


def test_growth_of_something_else_is_not_the_sentences_subject() -> None:
    assert _quotes("高龄补贴项目支出699.14万元，服务老人增长100%。") == []
    assert _quotes("高龄补贴项目支出699.14万元，增长100%。") == ["增长100%"]


# --- property: the sentences a clerk writes from the tables never raise an alarm ------------------

NAMES = (
    "城乡最低生活保障",
    "特困供养基本生活补贴和护理补贴",
    "困难群众临时生活救助及流浪乞讨人员救助",
    "残疾人两项补贴",
    "孤儿基本生活费、事实无人抚养儿童生活补贴",
    "养老服务体系建设",
    "高龄补贴",
    "惠民礼葬补贴",
    "精简退职人员救济",
    "民政管理事务经费",
    "农村危房改造项目",
    "耕地地力保护补贴",
    "义务教育学生营养改善计划",
    "乡村公路养护专项资金",
)
amounts = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)


@settings(max_examples=60, deadline=None)
@given(
    chosen=st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True),
    figures=st.lists(amounts, min_size=6, max_size=6),
    plain=st.booleans(),
    wrong=st.integers(min_value=0, max_value=5),
)
def test_sentences_written_from_the_tables_agree_and_a_changed_figure_is_caught(
    chosen: list[str], figures: list[Decimal], plain: bool, wrong: int
) -> None:
    report = Report("某县民政局", 2024)
    report.projects = [Project(n, executed=v) for n, v in zip(chosen, figures, strict=False)]
    total = sum((p.executed for p in report.projects), D(0))  # type: ignore[misc]
    report.budget_lines = [BudgetLine("expense.project", executed=total)]
    fmt = format_plain if plain else format_amount
    parts = "、".join(f"{p.name}项目支出{fmt(p.executed)}万元" for p in report.projects)
    text = f"2024年度单位项目支出{fmt(total)}万元，其中：{parts}。"
    assert TextReader(report).check(text) == []

    target = report.projects[wrong % len(report.projects)]
    changed = text.replace(
        f"{target.name}项目支出{fmt(target.executed)}万元",
        f"{target.name}项目支出{fmt(target.executed + D('1.5'))}万元",
    )  # type: ignore[operator]
    found = TextReader(report).check(changed)
    assert [m.subject.name for m in found] == [f"项目“{target.name}”"]


# --- list openers, growth and completion rates ------------------------------------------------------


def test_an_amount_after_a_list_opener_belongs_to_the_listed_item() -> None:
    assert _read("项目支出包括城乡最低生活保障2535.32万元，高龄补贴699.14万元。") == [
        ("项目支出包括城乡最低生活保障2535.32万元", "项目“城乡最低生活保障”", True),
        ("高龄补贴699.14万元", "项目“高龄补贴”", True),
    ]
    # an item the report does not have is left alone, never read as 项目支出's total
    assert _read("项目支出包括委员活动经费36.3万元。") == []


def test_a_growth_rate_from_a_nonzero_base_is_held_to_the_figures() -> None:
    # 公用经费 上年决算 24.48, 本年决算 51.47: +110.25 %
    def growth(text: str):  # noqa: ANN202
        (reading,) = [m for m in TextReader(_report()).read(text) if m.kind == "growth_rate"]
        return reading

    assert growth("公用经费决算51.47万元，比上年增长110.25%。").ok
    assert growth("公用经费决算51.47万元，比上年增长110%。").ok  # rounded to the places written
    wrong = growth("公用经费决算51.47万元，比上年增长11.03%。")
    assert not wrong.ok and wrong.expected is not None
    assert round(wrong.expected * 100, 2) == D("110.25")
    assert not growth("公用经费决算51.47万元，比上年下降110.25%。").ok  # it went up


def test_a_growth_rate_beside_a_written_change_is_left_to_the_arithmetic() -> None:
    readings = TextReader(_report()).read(
        "公用经费决算51.47万元，比上年增加26.99万元，增长110.25%。"
    )
    assert [m.kind for m in readings] == ["amount"]


def test_a_completion_rate_is_read_for_the_sentences_subject() -> None:
    (amount_a, amount_b, reading) = TextReader(_report()).read(
        "2024年度三公经费预算0.3万元，决算0.13万元，完成预算的43%。"
    )
    assert (reading.kind, reading.subject.name, reading.ok) == ("completion", "三公经费", True)
    assert amount_a.ok and amount_b.ok


# --- arithmetic inside the prose ---------------------------------------------------------------------


def test_parts_written_rounded_may_miss_a_total_with_cents_by_their_rounding() -> None:
    from perfdesk.domain.textcheck import arithmetic

    (s,) = arithmetic.read_parts_sums("项目支出100.37万元，其中:60万元用于甲,40万元用于乙。")
    assert s.ok  # 60 + 40 written to the 万元: 0.37 is within their rounding
    (s,) = arithmetic.read_parts_sums("项目支出101.37万元，其中:60万元用于甲,40万元用于乙。")
    assert not s.ok


def test_a_change_not_said_of_the_amount_before_it_is_not_checked() -> None:
    from perfdesk.domain.textcheck import arithmetic

    texts = (
        "项目支出286.83万元，其中委员活动经费增加10万元，增长5%。",  # a part's change
        "收入792.22万元，比上年增加189.25万元，主要是人员增加，增长31.39%。",  # words between
        "收入792.22万元，比上年增加189.25万元，下降31.39%。",  # directions disagree
    )
    for text in texts:
        assert arithmetic.read_change_rates(text) == [], text


def test_special_funds_are_project_spending_only_while_every_project_is_one() -> None:
    r = _report()
    for p in r.projects:
        p.category = "市级专项资金"
    assert [q for q, _n, ok in _read_with(r, "专项资金4175.33万元。")] == ["专项资金4175.33万元"]
    r.projects[0].category = "业务工作经费"  # then 专项资金 is a part of 项目支出, not all of it
    assert _read_with(r, "专项资金4000万元。") == []


def _read_with(report: Report, text: str) -> list[tuple[str, str, bool]]:
    return [(m.written.quote, m.subject.name, m.ok) for m in TextReader(report).read(text)]


def test_a_rate_after_an_unread_amount_is_not_the_earlier_subjects() -> None:
    # 办公经费 is not a line the reader knows: its growth (2 → 6.73) is not 公用经费's (110.25 %)
    text = "公用经费决算51.47万元，其中办公经费6.73万元，比上年增长236.5%。"
    assert [m.kind for m in TextReader(_report()).read(text)] == ["amount"]
    text = "三公经费预算0.3万元，其中公务用车运行维护费预算0.1万元，完成预算的50%。"
    assert [m.kind for m in TextReader(_report()).read(text) if m.kind == "completion"] == []

"""The shipped sample report is the 2024 reference report, complete and uncorrected.

The expected figures below were read off the reference (``000_60e8eccaaf7fbdaa.txt``) by hand,
not copied from the builder, so a slip in ``tests/fixtures/build_sample.py`` shows up here. Where
the reference text itself is available (it lives outside the repository), every text of the sample
is also checked to occur in it verbatim.
"""

from __future__ import annotations

import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.domain import calc, scoring, templates
from perfdesk.domain.model import FundStatus, Method, QualitativeGrade, Report, SpecialFundKind
from perfdesk.domain.numbers import format_percent
from perfdesk.exchange import jsonfile
from perfdesk.resources import resource

BUILDER = Path(__file__).resolve().parents[1] / "fixtures" / "build_sample.py"
REFERENCE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "000_60e8eccaaf7fbdaa.txt"
)

D = Decimal


def _raw() -> bytes:
    return resource("sample", "sample_report.json").read_bytes()


@pytest.fixture(scope="module")
def report() -> Report:
    return jsonfile.loads(_raw())


@pytest.fixture(scope="module")
def reference() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def _squash(text: str) -> str:
    """The reference with table cells and line breaks run together, to find wrapped cells."""
    return re.sub(r"\s+", "", text)


# --- the file itself -------------------------------------------------------------------------------


def test_sample_file_round_trips_byte_identical():
    raw = _raw()
    assert jsonfile.dumps(jsonfile.loads(raw)).encode("utf-8") == raw


def test_builder_regenerates_the_shipped_file_byte_identical():
    spec = importlib.util.spec_from_file_location("build_sample", BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render().encode("utf-8") == _raw()


# --- header and staffing --------------------------------------------------------------------------


def test_header_is_the_reference_cover_and_sign_off(report: Report):
    assert report.unit_name == "株洲市芦淞区民政局"
    assert report.year == 2024
    assert report.title == "2024年度株洲市芦淞区民政局整体支出绩效自评报告"
    assert report.unit_level == "市级"
    assert report.report_date is not None and report.report_date.isoformat() == "2025-10-17"
    assert (report.preparer, report.phone, report.head) == ("罗莉", "22168697", "何荣")
    assert report.supervisor == ""
    assert report.template == "hunan_department"


def test_staffing_twelve_posts_all_filled(report: Report):
    assert [(p.kind, p.count) for p in report.posts] == [("行政编制", 7), ("事业编制", 5)]
    assert calc.establishment_total(report) == 12
    assert report.actual_staff == 12
    assert format_percent(calc.staff_control_rate(report)) == "100.00%"
    assert report.list_items("offices") == [
        "综合办公室",
        "社会救助股",
        "老龄工作和儿童福利股",
        "社会事务股",
    ]
    assert report.offices_note == "含1个副科级单位"
    assert report.list_items("subordinate_units") == ["慈善事务服务中心"]


def test_thirteen_duties_without_typed_numbers(report: Report):
    duties = report.list_items("duties")
    assert len(duties) == 13
    assert not any(re.match(r"^\s*\d+\s*[、.．]", d) for d in duties)
    assert duties[0].startswith("贯彻执行国家、省、市关于民政工作的法律法规和方针、政策。")
    assert "承担全区残疾人“两项”补贴发放工作" in duties[5]
    assert duties[10].endswith("承办与相邻市区（县）边界的勘界工作和边界争议的调查和处理工作。")
    assert duties[12] == "完成区委、区政府交办的其他任务。"


# --- money ---------------------------------------------------------------------------------------


def _line(report: Report, key: str) -> tuple:
    line = report.budget_line(key)
    return (line.initial_budget, line.full_year_budget, line.executed)


def test_budget_lines_of_attachment_2(report: Report):
    assert _line(report, "total") == (D("4572.76"), D("4532.05"), D("4532.05"))
    assert _line(report, "income.general_public") == (None, None, D("3219.95"))
    assert _line(report, "income.gov_fund") == (None, None, D("205.49"))
    assert _line(report, "income.special_account") == (None, None, None)
    assert _line(report, "income.other") == (None, None, D("1056.85"))
    assert _line(report, "expense.basic") == (D("258.07"), None, D("306.91"))
    assert _line(report, "expense.project") == (D("4314.69"), D("4175.33"), D("4175.33"))
    # 六（二）: 年初预算 4314.69, 年中执行调减 139.36, 实际支出 4175.33, 结余结转 49.81.
    project = report.budget_line("expense.project")
    assert project.initial_budget - project.full_year_budget == D("139.36")
    assert report.project_carryover == D("49.81")


def test_reference_inconsistencies_are_kept_not_corrected(report: Report):
    # 执行率 printed 99.11% is 全年执行数 ÷ 年初预算数; the correct rate is 100%.
    total = report.budget_line("total")
    assert format_percent(calc.ratio(total.executed, total.initial_budget)) == "99.11%"
    assert format_percent(calc.report_execution_rate(report)) == "100.00%"
    # The parts do not add up to the 年度资金总额 4532.05.
    assert calc.income_total(report) == D("4482.29")
    assert calc.expense_total(report) == D("4482.24")
    # The projects' 执行数 add up to 3863.79, not 项目支出 4175.33.
    assert calc.project_executed_total(report) == D("3863.79")
    # 人员经费 + 公用经费 = 306.91 = 基本支出, but ≠ 一般公共预算财政拨款支出 3219.95.
    assert calc.basic_expense_parts(report) == D("306.91")
    assert report.general_public_expenditure == D("3219.95")
    assert report.personnel_expense == D("255.44")


def _control(report: Report, key: str) -> tuple:
    line = report.control_line(key)
    return (line.prior_final, line.budget, line.final)


def test_control_lines_of_attachment_1_keep_blanks_and_zeros_apart(report: Report):
    for key in (
        "three_public.vehicle_purchase",
        "three_public.vehicle_operation",
        "three_public.overseas",
    ):
        assert _control(report, key) == (None, None, None)
    assert _control(report, "three_public.reception") == (D("0"), D("0.3"), D("0.13"))
    three_public = calc.three_public_line(report)
    assert (three_public.prior_final, three_public.budget, three_public.final) == (
        D("0"),
        D("0.3"),
        D("0.13"),
    )
    assert format_percent(calc.three_public_completion(report)) == "43.33%"  # printed "43%"
    change = calc.three_public_change(report)
    assert change is not None and change.rate is None  # from a zero base: no "增长100%"
    assert _control(report, "public") == (D("24.48"), D("21.42"), D("51.47"))
    assert _control(report, "public.office") == (D("2"), D("2"), D("6.73"))
    assert _control(report, "public.utilities_travel") == (D("1"), D("0.5"), D("1.28"))
    assert _control(report, "public.meetings_training") == (D("0"), D("0"), D("0"))
    assert _control(report, "procurement") == (None, D("438.93"), D("0"))
    assert _control(report, "basic_adjustment") == (None, D("247.94"), D("0"))
    assert report.three_public_change_reason == (
        "本年度主要是本年度接待省民政厅检查组开展群众身边不正之风和腐败问题集中整治"
        "暨民政资金效能监管提升行动评估工作。"
    )


def test_special_funds_of_sections_three_to_five(report: Report):
    fund = report.special_fund(SpecialFundKind.GOV_FUND)
    assert fund.status == FundStatus.HAS
    assert (fund.initial_budget, fund.income, fund.expenditure) == (
        D("0"),
        D("205.49"),
        D("205.49"),
    )
    assert fund.usage == "主要为用于社会福利的彩票公益金项目支出205.49万元"
    assert report.special_fund(SpecialFundKind.STATE_CAPITAL).status == FundStatus.NONE
    assert report.special_fund(SpecialFundKind.SOCIAL_INSURANCE).status == FundStatus.NONE
    assert report.buildings == []
    assert report.frugality_measures == ""


# --- projects ------------------------------------------------------------------------------------

# 附件1 rows (2023年决算数, 2024年预算数, 2024年决算数), then the two projects of 六（二） only.
EXPECTED_PROJECTS = [
    ("城乡最低生活保障", "2028", "2061.3", "2535.32"),
    ("特困供养基本生活补贴和护理补贴", "687.88", "602.19", "172.77"),
    ("临时价格补贴", "65", "0", "0"),
    ("困难群众临时生活救助及流浪乞讨人员救助", None, "55", "1.1"),
    ("残疾人两项补贴", "366.7", "372", "371.76"),
    ("孤儿基本生活费、事实无人抚养儿童生活补贴", "27.44", "32.18", "18.65"),
    ("收养评估", None, "4", "0"),
    ("养老服务体系建设", "260.9", "291.32", "59.2"),
    ("高龄补贴", "667.2", "667.2", "699.14"),
    ("民政管理事务经费", "10.5", "6", "0"),
    ("惠民礼葬补贴", None, None, "4.54"),
    ("精简退职人员救济", None, None, "1.31"),
]


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else D(text)


def test_every_project_amount(report: Report):
    got = [(p.name, p.prior_final, p.full_year_budget, p.executed) for p in report.projects]
    expected = [
        (name, _amount(prior), _amount(budget), _amount(final))
        for name, prior, budget, final in EXPECTED_PROJECTS
    ]
    assert got == expected
    for project in report.projects:
        assert project.category == "市级专项资金"
        assert project.initial_budget is None
        assert (project.supervisor, project.implementer) == ("", "")


# 六（二）: project → (its paragraph's 项目支出, the start of 主要用于…, the start of its narrative).
SECTION6 = {
    "城乡最低生活保障": (
        "2535.32",
        "补助辖区内城乡最低生活保障对象",
        "全年累计发放城乡低保对象42324人次",
    ),
    "困难群众临时生活救助及流浪乞讨人员救助": ("1.1", "对遭遇突发事件", "坚持凡困必帮、有难必救"),
    "特困供养基本生活补贴和护理补贴": (
        "172.77",
        "保障特困人员基本生活",
        "截止2024年12月共有特困人员483人",
    ),
    "残疾人两项补贴": ("371.76", "发放芦淞区残疾人两项补贴", "困难残疾人生活补贴标准"),
    "孤儿基本生活费、事实无人抚养儿童生活补贴": ("18.65", "孤儿生活费", "2024年将社会散居孤儿"),
    "高龄补贴": ("699.14", "芦淞区80岁-100岁以上", "通过发放高龄补贴"),
    "养老服务体系建设": ("59.2", "支持养老机构建设", "主要用于居家和社区养老服务补贴"),
    "惠民礼葬补贴": ("4.54", "芦淞区居民惠民礼葬奖补", "本区群众获得文明治丧"),
    "精简退职人员救济": ("1.31", "对六十年代精简退职老职工", "2024年12月截止发放对象25人"),
}


def test_section_six_paragraphs_are_on_their_projects(report: Report):
    by_name = {p.name: p for p in report.projects}
    for name, (amount, purpose, narrative) in SECTION6.items():
        project = by_name[name]
        assert project.executed == D(amount), name
        assert project.purpose.startswith(purpose), name
        assert not project.purpose.startswith("主要用于") and not project.purpose.endswith("。")
        assert project.narrative.startswith(narrative), name
    for name in ("临时价格补贴", "收养评估", "民政管理事务经费"):
        assert (by_name[name].purpose, by_name[name].narrative) == ("", "")
    # The nine paragraphs add up to 3863.79 (docs/report-format.md §6).
    assert sum((D(a) for a, _, _ in SECTION6.values()), D(0)) == D("3863.79")


def test_projects_are_laid_out_on_the_national_project_template(report: Report):
    blank = templates.new_project("x")
    for project in report.projects:
        assert project.groups == blank.groups
        assert project.indicators == blank.indicators  # no project indicators in the reference
        assert project.sources == blank.sources
        assert project.execution_weight == D("10")
        assert project.execution_score is None


# --- 附件2 self-evaluation -------------------------------------------------------------------------


def test_overall_weights_make_90_plus_execution_10(report: Report):
    assert [(g.name, g.weight) for g in report.groups] == [
        ("产出指标", D("40")),
        ("效益指标", D("20")),
        ("满意度指标", D("10")),
        ("成本指标", D("20")),
    ]
    assert calc.indicator_weight_total(report.indicators) == D("90")
    assert report.execution_weight == D("10")
    assert scoring.report_total_weight(report) == D("100")
    for group in report.groups:
        rows = [i for i in report.indicators if i.level1 == group.name]
        assert calc.indicator_weight_total(rows) == group.weight, group.name


def test_overall_scores_make_94(report: Report):
    assert [i.score for i in report.indicators if i.name] == [
        D(s) for s in ("9", "5", "4", "4", "5", "9", "10", "10", "9", "4", "4", "4", "4", "4")
    ]
    assert report.execution_score == D("9")
    assert scoring.report_total_score(report) == D("94")
    assert scoring.report_grade(report) == "优"


def test_indicator_rows_in_reference_order(report: Report):
    rows = [
        (i.level1, i.level2, i.name[:8], i.target_text[:8], i.actual_text[:8])
        for i in report.indicators
    ]
    assert rows == [
        ("产出指标", "数量指标", "城乡低保人数、城", "应保尽保", "应保尽保"),
        ("产出指标", "数量指标", "各乡镇定期上报各", "12次", "100%"),
        ("产出指标", "质量指标", "社会救助对象准确", "95%", "95%"),
        ("产出指标", "质量指标", "困难群众救助资金", "100%", "100%"),
        ("产出指标", "质量指标", "婚姻登记合格率", "100%", "100%"),
        ("产出指标", "时效指标", "各类补贴资金拨付", "按规定要求及时发", "已及时发放"),
        ("效益指标", "经济效益指标", "养老服务行业运行", "稳定运行", "稳定运行"),
        ("效益指标", "社会效益指标", "困难群众生活水平", "有所提升", "有所提升"),
        ("效益指标", "生态效益指标", "", "", ""),
        ("效益指标", "可持续影响指标", "", "", ""),
        ("满意度指标", "服务对象满意度指标", "政策知晓率", "85%", "85%"),
        ("成本指标", "经济成本指标", "最低生活保障线标", "650元", "700元"),
        ("成本指标", "经济成本指标", "城乡特困供养基本", "不低于最低生活保", "完成"),
        ("成本指标", "经济成本指标", "困难残疾人生活补", "每人每月100元", "完成"),
        ("成本指标", "经济成本指标", "散居孤儿每月标准", "散居孤儿每月标准", "散居孤儿每月标准"),
        ("成本指标", "经济成本指标", "80-89岁高龄", "80-89岁高龄", "完成"),
        ("成本指标", "社会成本指标", "", "", ""),
        ("成本指标", "生态环境成本指标", "", "", ""),
    ]
    for row in report.indicators:
        assert row.deviation_reason == ""  # deducted scores with an empty 偏差原因, as printed
        if not row.name:
            assert (row.weight, row.score, row.method) == (None, None, None)


def test_cost_rows_whose_name_repeats_the_target(report: Report):
    orphans, aged = report.indicators[14], report.indicators[15]
    assert (
        orphans.name
        == orphans.target_text
        == ("散居孤儿每月标准1085.2元、事实无人抚养儿童一类1085.2元、二类542.6元")
    )
    assert (
        orphans.actual_text == "散居孤儿每月标准不低于1150元、事实无人抚养儿童一类1150元、二类575元"
    )
    assert (
        aged.name
        == aged.target_text
        == ("80-89岁高龄补贴每月标准50元，90-99岁高龄补贴每月标准100元，百岁老人长寿津贴每月500元")
    )
    assert aged.actual_text == "完成"


def test_quantitative_and_qualitative_indicators(report: Report):
    by_name = {i.name: i for i in report.indicators if i.name}
    quantitative = {
        "社会救助对象准确率": ("95", "95", "%"),
        "困难群众救助资金及时足额发放到位": ("100", "100", "%"),
        "婚姻登记合格率": ("100", "100", "%"),
        "政策知晓率": ("85", "85", "%"),
        "最低生活保障线标准": ("650", "700", "元"),
    }
    for name, (target, actual, unit) in quantitative.items():
        row = by_name[name]
        assert (row.method, row.target_value, row.actual_value, row.unit) == (
            Method.AT_LEAST,
            D(target),
            D(actual),
            unit,
        ), name
    qualitative = [i for i in report.indicators if i.method == Method.QUALITATIVE]
    assert [i.actual_text for i in qualitative] == [
        "应保尽保",
        "已及时发放",
        "稳定运行",
        "有所提升",
        "完成",
        "完成",
        "完成",
    ]
    assert all(i.grade == QualitativeGrade.ACHIEVED for i in qualitative)
    assert by_name["各乡镇定期上报各类救助对象异动情况"].method is None


def test_overall_goals(report: Report):
    assert report.goal_expected.startswith("发放保障全局工作正常运转以及专项资金发放到位")
    assert report.goal_expected.endswith("不断推进全区民政事业高质量发展。")
    assert "高龄长寿补贴699.14万元" in report.goal_actual
    assert report.goal_actual.endswith(
        "提高收益人生活质量，提升幸福感"
    )  # no final 。 in the reference


# --- sections ------------------------------------------------------------------------------------


def _text(report: Report, key: str) -> str:
    section = report.section(key)
    assert section is not None, key
    return section.text


def test_outline_is_the_template_with_the_reference_heading_for_six(report: Report):
    template = templates.load_template("hunan_department").outline()
    assert [s.key for s in report.sections] == [s.key for s in template]
    for section, blank in zip(report.sections, template, strict=True):
        expected = blank.heading
        if section.key == "performance":
            expected = "资金使用及绩效情况（包含单位管理的公共专项）"
        assert section.heading == expected, section.key
        assert (section.level, section.kind, section.list_key) == (
            blank.level,
            blank.kind,
            blank.list_key,
        )


def test_section_texts(report: Report):
    for key in (
        "basic.org",
        "basic.duties",
        "gov_fund",
        "state_capital",
        "social_insurance",
        "performance.projects",
        "problems",
        "measures",
    ):
        assert _text(report, key) == "", key
    assert "2024年度三公经费决算0万元与2023年决算比较增加0.13万元，增长100%。" in _text(
        report, "gpb.basic"
    ).split("\n")
    assert report.three_public_change_reason not in _text(report, "gpb.basic")
    assert _text(report, "gpb.project") == (
        "2024年度单位项目支出2913.05万元，其中：儿童福利项目支出12.57万元、高龄补贴项目支出"
        "395.26万元、惠民礼葬项目支出4.54万元、养老服务体系建设项目支出59.2万元、残疾人两项"
        "补贴项目支出280.36万元、城乡最低生活保障项目支出2030.27万元、城乡特困供养项目支出"
        "25.4万元、临时救助项目支出104.4万元、精简退职救济项目支出1.05万元。"
    )
    assert _text(report, "other") == "无。"
    disclosure = _text(report, "disclosure").split("\n")
    assert len(disclosure) == 2
    assert disclosure[1].startswith("本单位没有独立网站")
    assert report.list_items("problems") == ["绩效目标不够细化、量化。", "绩效管理制度不够完善。"]
    measures = report.list_items("measures")
    assert len(measures) == 3 and measures[2] == "进一步完善绩效管理，提高资金使用效益。"
    assert report.notes == []


def test_long_narrative_of_six_one(report: Report):
    paragraphs = _text(report, "performance.overall").split("\n")
    assert len(paragraphs) == 10
    assert paragraphs[0].startswith("2024年我局整体支出总体绩效目标")
    assert paragraphs[4] == "具体开展业务情况："
    assert [p[:3] for p in paragraphs[5:]] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert paragraphs[-1].endswith("今年参加社工考试报名的社区工作人员有96名。")
    text = "\n".join(paragraphs)
    for phrase in (
        "城乡低保保障标准由每人每月650元提高到700元",
        "“红石榴之家·幸福时光”长者食堂",
        "针对农村养老的薄弱环节 ，芦淞区探索农村养老新路径",  # the reference's stray space
        "授权我局作为芦淞区6所公办养老场所(敬老院)经营权出让项目的实施机构",
        "复查率100％",
        "截至12月10日结婚登记584对，离婚登记411对",
        "共计74560元",
    ):
        assert phrase in text, phrase


# --- verbatim against the reference text ---------------------------------------------------------


def test_every_text_occurs_verbatim_in_the_reference(report: Report, reference: str):
    texts: list[str] = []
    for section in report.sections:
        texts.extend(p for p in section.text.split("\n") if p)
    for key in ("offices", "subordinate_units", "duties", "problems", "measures"):
        texts.extend(report.list_items(key))
    texts += [
        report.goal_expected,
        report.goal_actual,
        report.three_public_change_reason,
        report.offices_note,
        report.special_fund(SpecialFundKind.GOV_FUND).usage,
    ]
    for project in report.projects:
        texts.append(project.name)
        if project.purpose:
            texts.append(f"主要用于{project.purpose}。项目实施及绩效情况：{project.narrative}")
    for section in report.sections:
        if section.key == "performance":
            texts.append(section.heading)
    missing = [t for t in texts if t not in reference]
    assert missing == []


def test_every_indicator_cell_occurs_in_the_reference(report: Report, reference: str):
    squashed = _squash(reference)
    for row in report.indicators:
        cells = [row.level2, row.name, row.target_text, row.actual_text]
        if row.weight is not None:
            cells += [f"{row.weight}", f"{row.score}"]
        assert _squash("".join(cells)) in squashed, row.name or row.level2


def test_every_number_of_the_tables_and_project_paragraphs_is_placed(reference: str):
    # Spot-check that the hand-read expectations above are the reference's own figures.
    squashed = _squash(reference)
    for name, prior, budget, final in EXPECTED_PROJECTS[:10]:
        assert _squash(f"{name}{prior or ''}{budget or ''}{final or ''}") in squashed, name
    for name, (amount, purpose, narrative) in SECTION6.items():
        assert f"项目支出{amount}万元" in reference, name
        assert f"主要用于{purpose}" in reference and narrative in reference, name
    for figure in (
        "4572.76",
        "4532.05",
        "3219.95",
        "205.49",
        "1056.85",
        "306.91",
        "4175.33",
        "258.07",
        "255.44",
        "51.47",
        "4314.69",
        "139.36",
        "49.81",
        "438.93",
        "247.94",
        "22168697",
    ):
        assert figure in reference, figure

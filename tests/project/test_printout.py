"""The printed 项目支出绩效自评报告: cover, narrative and its one form, in the department report's layout."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal as D

import pdfplumber
import pytest
from pypdf import PdfReader

from perfdesk.domain.model import Indicator, Method, Report
from perfdesk.domain.templates import new_project_report
from perfdesk.report import BuildInfo, FontSet, build_pdf, standard_paragraphs
from perfdesk.sample import load_sample
from perfdesk.services import project_report_from
from tests.project.factory import project_report
from tests.report.conftest import PAGE_NUMBER, flat_text, page_lines, pages_text
from tests.report.test_geometry import CHECKS

Build = Callable[[Report], tuple[bytes, BuildInfo]]

DEPARTMENT_ONLY_WORDS = (
    "部门（单位）基本情况",
    "一般公共预算支出情况",
    "政府性基金预算支出情况",
    "部门整体支出绩效评价基础数据表",
    "部门整体支出绩效自评表",
    "三公经费",
    "楼堂馆所",
)


def test_cover_names_the_project_its_unit_and_the_date(build: Build, report: Report) -> None:
    pdf, _ = build(report)
    cover = page_lines(pages_text(pdf)[0])
    assert cover == [
        "2024年度项目支出",
        "绩效自评报告",
        "项目名称：高龄补贴",
        "项目单位：某区民政局（盖章）",  # the 主管部门 is the unit itself: not said twice
        "报告日期：2025年4月18日",
    ]
    report.projects[0].supervisor = "某区人民政府"
    cover = page_lines(pages_text(build(report)[0])[0])
    assert "主管部门：某区人民政府" in cover


def test_narrative_has_the_projects_outline_numbered_with_the_paragraphs_from_the_form(
    build: Build, report: Report
) -> None:
    pdf, info = build(report)
    assert info.open_errors == []  # a complete, agreeing report prints as the final copy
    text = flat_text(pdf)
    assert "2024年度高龄补贴项目支出绩效自评报告" in text
    headings = [
        "一、项目基本情况",
        "（一）项目概况",
        "（二）项目绩效目标",
        "二、项目资金使用及管理情况",
        "（一）项目资金到位情况",
        "（二）项目资金使用情况",
        "（三）项目资金管理情况",
        "三、项目组织实施情况",
        "四、项目绩效情况",
        "（一）总体绩效目标完成情况",
        "（二）绩效指标完成情况",
        "（三）绩效自评结论",
        "五、存在的问题及原因分析",
        "六、下一步改进措施",
        "七、绩效自评结果拟应用和公开情况",
        "八、其他需要说明的情况",
    ]
    at = [text.index(h) for h in headings]
    assert at == sorted(at)
    for section in report.sections:  # every standard paragraph is printed, and the clerk's text
        for paragraph in standard_paragraphs(report, section):
            assert paragraph in text, paragraph
    assert "项目资金实行专账核算、专款专用" in text
    assert "1.年底个别月份补贴发放滞后，影响按月发放及时率。" in text
    # one attachment: no number (GB/T 9704), then the unit and date signing the report
    assert "附件：2024年度项目支出绩效自评表某区民政局2025年4月18日" in text
    for word in DEPARTMENT_ONLY_WORDS:
        assert word not in text, word


def test_the_form_is_the_one_attachment_on_its_own_page_with_the_signature_line(
    build: Build, report: Report
) -> None:
    pdf, info = build(report)
    pages = pages_text(pdf)
    assert info.page_count == len(pages) == 6
    numbered = page_lines(pages[-1])
    form = [line for line in numbered if not PAGE_NUMBER.match(line)]
    assert form[:2] == ["附件", "2024年度项目支出绩效自评表"]
    last = "".join(form)
    for figure in ("650.00", "720.00", "699.14", "97.10%", "9.71", "680.00", "19.14", "98.39"):
        assert figure in last, figure
    assert "自评等级：优" in last
    assert "填表人：王五" in last and "单位负责人签字：赵六" in last
    # numbered on through the attachment, the cover not: — 1 — to — 5 —
    numbers = [[x for x in page_lines(p) if PAGE_NUMBER.match(x)] for p in pages[1:]]
    assert numbers == [[f"— {n} —"] for n in range(1, 6)]
    assert not any(PAGE_NUMBER.match(line) for line in page_lines(pages[0]))  # the cover is not


def test_pdf_says_what_kind_of_report_it_is(build: Build, report: Report) -> None:
    pdf, _ = build(report)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == "2024年度高龄补贴项目支出绩效自评报告"
    assert meta.subject == "项目支出绩效自评报告"
    outline = [o.title for o in PdfReader(io.BytesIO(pdf)).outline if not isinstance(o, list)]
    assert outline[0] == "2024年度高龄补贴项目支出绩效自评报告"
    assert outline[-1] == "附件 2024年度项目支出绩效自评表"


def test_the_same_report_gives_the_same_bytes(build: Build, report: Report) -> None:
    assert build(report)[0] == build(project_report())[0]


def test_a_project_report_from_the_samples_project_prints_no_department_page(
    build: Build,
) -> None:
    sample = load_sample()
    report = project_report_from(sample, sample.projects[0])
    pdf, info = build(report)
    text = flat_text(pdf)
    assert info.page_count <= 5
    assert "2024年度城乡最低生活保障项目支出绩效自评报告" in text
    assert "本项目全年预算数2061.30万元。" in text  # no 年初预算数 in the sample: not written
    assert "2024年度本项目全年执行数2535.32万元，执行率123.00%。" in text
    # its 项目实施及绩效情况 is the text under 四、 — printed once
    assert text.count("全年累计发放城乡低保对象42324人次") == 1
    # the sample's project form was never filled in: the form says 未完成评分, the text says so too
    assert "本项目尚有" not in text or "未完成评分" in text
    assert "未完成评分" in "".join(page_lines(pages_text(pdf)[-1]))
    for word in DEPARTMENT_ONLY_WORDS:
        assert word not in text, word


def test_a_new_report_prints_a_blank_form_and_no_invented_figure(build: Build) -> None:
    report = new_project_report("某县财政局", 2025, "乡村振兴衔接资金")
    pdf, info = build(report)
    text = flat_text(pdf)
    assert info.draft  # no 报告日期 and no 填表人 yet
    assert "0.00" not in text and "0万元" not in text
    form = "".join(page_lines(pages_text(pdf)[-1]))
    assert "项目名称 乡村振兴衔接资金" in form and "数量指标" in form and "未完成评分" in form


def _long_form() -> Report:
    """A form of 25 indicators under 数量指标, each with a reason: more than a page even set tighter."""
    report = project_report()
    p = report.projects[0]
    reason = "受资金拨付进度影响，部分补助于次年一季度发放"
    rows = [
        Indicator(
            "产出指标",
            "数量指标",
            f"发放对象核查户数{k + 1}",
            target_text="≥100户",
            actual_text="90户",
            method=Method.AT_LEAST,
            target_value=D(100),
            actual_value=D(90),
            weight=D("2"),
            deviation_reason=reason,
        )
        for k in range(25)
    ]
    p.indicators = rows + [i for i in p.indicators if i.level1 != "产出指标"]
    return report


def test_a_form_longer_than_a_page_runs_on_with_its_header_repeated(build: Build) -> None:
    pdf, info = build(_long_form())
    assert info.open_errors == []
    pages = [[x for x in page_lines(p) if not PAGE_NUMBER.match(x)] for p in pages_text(pdf)]
    start = next(i for i, lines in enumerate(pages) if lines[0] == "附件")
    assert len(pages) - start >= 2  # the form goes on over the next page
    continued = "".join(pages[start + 1])
    assert "一级指标" in continued and "产出指标" in continued  # header and 一级 label repeated
    assert "总分" in "".join(pages[-1]) and "填表人：王五" in "".join(pages[-1])  # after the form
    # the narrative names every indicator, but one reason shared by them is written once
    text = flat_text(pdf)
    text = text[: text.index("附件：")]  # the narrative (the form has a reason on every row)
    assert all(f"“发放对象核查户数{k}”" in text for k in range(1, 26))
    assert text.count("受资金拨付进度影响") == 1 and text.count("原因同上") == 24


@pytest.mark.parametrize(
    "make",
    [
        project_report,
        _long_form,
        lambda: new_project_report("某县财政局", 2025, "乡村振兴衔接资金"),
        lambda: project_report_from(load_sample(), load_sample().projects[1]),
    ],
    ids=["filled", "long_form", "blank", "from_sample"],
)
def test_printed_project_reports_have_no_table_defect(fonts: FontSet, make) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    build_pdf(make(), out, fonts=fonts)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        for check in CHECKS:
            assert check(pdf) == [], check.__name__

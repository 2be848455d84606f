"""The printed report as a whole: pages, numbering, attachments, computed cells, odd input.

Built from :func:`tests.report.factory.filled_report` (figures like the reference's) with the
shipped fonts; the sample report's own page-by-page golden text is in ``test_sample.py``.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys
import zlib
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from perfdesk.domain import calc, scoring
from perfdesk.domain.model import Indicator
from perfdesk.report.attachments import ATTACHMENTS, NO_PROJECT_FORMS
from perfdesk.report.styles import BOTTOM, FRAME_WIDTH, LEFT, PAGE_HEIGHT, PAGE_WIDTH, RIGHT, TOP
from tests.report.conftest import PAGE_NUMBER, flat_text, page_lines, pages_text
from tests.report.factory import filled_report

ROOT = Path(__file__).resolve().parents[2]


def _streams(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed appended, to search what viewers see."""
    parts = [pdf]
    for m in re.finditer(rb"stream\r?\n", pdf):
        start = m.end()
        end = pdf.find(b"endstream", start)
        try:
            parts.append(zlib.decompress(pdf[start:end]))
        except zlib.error:
            pass
    return b"\n".join(parts)


def test_pages_are_a4_and_numbered_continuously_from_the_first_page_after_the_cover(build) -> None:  # type: ignore[no-untyped-def]
    pdf, info = build(filled_report())
    reader = PdfReader(io.BytesIO(pdf))
    assert info.page_count == len(reader.pages) > 10
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
    texts = pages_text(pdf)
    assert not any(PAGE_NUMBER.match(line) for line in page_lines(texts[0]))  # the cover
    for n, text in enumerate(texts[1:], start=1):
        numbers = [line for line in page_lines(text) if PAGE_NUMBER.match(line)]
        assert numbers == [f"— {n} —"], (n, numbers)


def test_page_numbers_sit_right_on_odd_pages_and_left_on_even_pages(build) -> None:  # type: ignore[no-untyped-def]
    pdf, _ = build(filled_report())
    reader = PdfReader(io.BytesIO(pdf))
    for index, page in enumerate(reader.pages[1:5], start=1):
        xs: list[float] = []

        def visit(text, cm, tm, font, size, xs=xs):  # type: ignore[no-untyped-def]
            if text.startswith("—") and tm[5] < 100:
                xs.append(tm[4])

        page.extract_text(visitor_text=visit)
        assert xs, index
        if index % 2:
            assert xs[0] > PAGE_WIDTH / 2
        else:
            assert LEFT < xs[0] < PAGE_WIDTH / 2


def test_cover_title_headings_and_attachment_list(build) -> None:  # type: ignore[no-untyped-def]
    pdf, _ = build(filled_report())
    texts = pages_text(pdf)
    cover = "".join(page_lines(texts[0]))
    assert "2024年度部门（单位）整体支出绩效自评报告" in cover
    assert "部门（单位）名称：测试市民政局（盖章）" in cover
    assert "2025年10月17日" in cover
    text = flat_text(pdf)
    assert "2024年度测试市民政局整体支出绩效自评报告" in text
    headings = [
        "一、部门（单位）基本情况",
        "（一）机构设置和人员情况",
        "（二）部门主要职责",
        "二、一般公共预算支出情况",
        "（一）基本支出情况",
        "（二）项目支出情况",
        "三、政府性基金预算支出情况",
        "四、国有资本经营预算支出情况",
        "五、社会保险基金预算支出情况",
        "六、部门整体支出绩效情况",
        "（一）整体支出绩效情况",
        "（二）项目支出绩效情况",
        "七、存在的问题及原因分析",
        "八、下一步改进措施",
        "九、部门整体支出绩效自评结果拟应用和公开情况",
        "十、其他需要说明的情况",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "1.贯彻执行民政工作的法律法规。2.完成交办的其他任务。" in text
    assert (
        "附件：1. 2024年度部门整体支出绩效评价基础数据表2. 2024年度部门整体支出绩效自评表3. 2024年度项目支出绩效自评表"
        in text
    )
    assert text.index("附件：1.") < text.index(
        "测试市民政局2025年10月17日"
    )  # the signature follows


def test_generated_paragraph_comes_before_the_clerks_text(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    r.section("gpb.basic").text = "补充说明一。"  # type: ignore[union-attr]
    text = flat_text(build(r)[0])
    assert "主要是接待检查组。补充说明一。（二）项目支出情况" in text
    r.personnel_expense = D("111.11")
    assert "人员经费111.11万元" in flat_text(build(r)[0])


def test_attachment_pages_start_with_their_label_and_the_registry_title(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    texts = pages_text(build(r)[0])
    starts = {}
    for number, text in enumerate(texts):
        lines = [line for line in page_lines(text) if not PAGE_NUMBER.match(line)]
        if lines and re.fullmatch(r"附件\d", lines[0]):
            starts[lines[0]] = (number, lines[1])
    assert list(starts) == [a.label for a in ATTACHMENTS] == ["附件1", "附件2", "附件3"]
    for a in ATTACHMENTS:
        assert starts[a.label][1] == a.title(2024)


def test_one_project_form_per_project_with_named_indicators(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report(projects=3)
    for ind in r.projects[1].indicators:
        ind.name = ""  # the template's empty rows only: no form
    texts = pages_text(build(r)[0])
    forms = [t for t in texts if "项目名称" in t]
    assert len(forms) == 2
    assert "测试项目1" in forms[0] and "测试项目3" in forms[1]
    for p in r.projects:
        p.indicators = []
    pdf, info = build(r)
    text = flat_text(pdf)
    # No page carrying only a placeholder: the 附件 list says there is none, no 附件3 page.
    assert "3. 2024年度项目支出绩效自评表" + NO_PROJECT_FORMS in text
    assert "附件3" not in text and "项目名称" not in text
    last = [line for line in page_lines(pages_text(pdf)[-1]) if not PAGE_NUMBER.match(line)]
    assert len(last) > 5  # the last page is a form, not a lone sentence


def _page_with(texts: list[str], needle: str) -> str:
    return next(t for t in texts if needle in t)


def test_computed_cells_come_from_the_core(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    r.control_line("three_public.vehicle_purchase").final = D("1.00")
    r.control_line("three_public.vehicle_operation").final = D("2.50")
    texts = pages_text(build(r)[0])
    basic = _page_with(texts, "经费控制情况")
    three = calc.three_public_line(r)
    assert three.final == D("3.63")
    assert re.search(r"三公经费\s+0\.00\s+0\.30\s+3\.63", basic)
    assert re.search(r"1、公务用车购置和维护经费\s+3\.50", basic)
    assert re.search(
        r"项目支出：\s+30\.00\s+307\.50\s+304\.50", basic
    )  # calc.projects_line of 3 projects
    assert "100.00%" in basic  # 控制率 12 ÷ 12
    overall = _page_with(texts, "年度资金总额")
    assert re.search(r"年度资金总额\s+4572\.76\s+4532\.05\s+4532\.05\s+10\s+100\.00%\s+9", overall)
    assert "99.11%" not in overall  # the reference's rate against 年初预算数
    total = scoring.report_total_score(r)
    weight = scoring.report_total_weight(r)
    assert (weight, total) == (D(20), D(18))
    joined = "".join(texts)
    form2 = joined[joined.index("附件2") : joined.index("附件3")]
    assert re.search(r"总分\s+20\s+18\s+自评等级：\s*差", form2)


def test_scores_print_the_entered_score_else_the_suggestion(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    ind = next(i for i in r.indicators if i.name)
    ind.score = None
    ind.method, ind.target_value, ind.actual_value = ind.method.__class__.AT_LEAST, D(100), D(95)
    text = flat_text(build(r)[0])
    assert scoring.indicator_score(ind).value == D("9.50")
    assert re.search(r"城乡低保\s*人数\s*应保尽保\s*应保尽保\s*10\s*9\.5", text)


def test_blank_cells_stay_blank_and_not_applicable_cells_show_a_dash(build) -> None:  # type: ignore[no-untyped-def]
    texts = pages_text(build(filled_report())[0])
    basic = [line for line in page_lines(_page_with(texts, "经费控制情况"))]
    assert "2、出国经费" in basic  # a row with no figures prints no zeros
    assert "其中：公车购置" in basic
    assert any(re.fullmatch(r"政府采购金额\s+——\s+438\.93\s+0\.00", line) for line in basic)
    assert any(re.fullmatch(r"部门基本支出预算调整\s+——\s+247\.94\s+0\.00", line) for line in basic)


def test_same_data_gives_the_same_bytes_even_in_another_process(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, _ = build(filled_report())
    second, _ = build(filled_report())
    assert first == second
    script = (
        "import io,hashlib,sys;from tests.report.factory import filled_report;"
        "from perfdesk.report import build_pdf, shipped_fonts;b=io.BytesIO();"
        "build_pdf(filled_report(), b, fonts=shipped_fonts());print(hashlib.sha256(b.getvalue()).hexdigest())"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert out.stdout.strip() == hashlib.sha256(first).hexdigest()


def test_metadata_print_scaling_and_no_local_paths(build) -> None:  # type: ignore[no-untyped-def]
    pdf, _ = build(filled_report())
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "2024年度测试市民政局整体支出绩效自评报告"
    assert meta.author == "测试市民政局"
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"
    everything = _streams(pdf)
    for needle in (str(ROOT).encode(), b"/tmp", b"resources/fonts", b".ttc", b"/home", b"C:\\"):
        assert needle not in everything, needle


def test_markup_characters_print_as_typed(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    r.lists["offices"][0].text = "<b>办公室</b> & 股"
    r.goal_actual = "A<B && C>D <br/> &amp; 完成"
    text = flat_text(build(r)[0])
    assert "<b>办公室</b> & 股" in text
    assert "A<B && C>D <br/> &amp; 完成" in text


def test_very_long_names_wrap_and_are_never_clipped(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    long_name = "关于" + "城乡最低生活保障和特困人员救助供养资金" * 8 + "项目"
    r.unit_name = "株洲市芦淞区" + "民政事务服务中心" * 6
    r.projects[0].name = long_name
    r.projects[1].name = "X" * 150  # no break opportunity at all
    pdf, _ = build(r)
    text = flat_text(pdf)
    assert "（1）" + long_name in text
    _assert_inside_the_text_block(pdf, tmp_path)


def _assert_inside_the_text_block(pdf: bytes, tmp_path: Path) -> None:
    """Every word lies inside the 156 × 225 mm text block; only page numbers sit below it."""
    if shutil.which("pdftotext") is None:  # pragma: no cover - poppler-utils is a test requirement
        pytest.skip("pdftotext (poppler-utils) is needed to measure word boxes")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html
    )
    assert len(words) > 500
    right, top, bottom = (
        PAGE_WIDTH - RIGHT,
        TOP,
        PAGE_HEIGHT - BOTTOM,
    )  # y measured from the top here
    for x0, y0, x1, y1, word in words:
        x0, y0, x1, y1 = float(x0), float(y0), float(x1), float(y1)
        if y1 < top and y0 > top - 40:
            continue  # the draft mark's line above the text block (a report with 错误 open)
        if word == "草稿" and y0 > top:
            continue  # and its light watermark, drawn across the page
        assert LEFT - 1 <= x0 and x1 <= right + 1, (word, x0, x1)
        if y0 > bottom and re.fullmatch(r"—|\d+", word):
            continue  # the page number, 7 mm below the text block
        assert top - 1 <= y0 and y1 <= bottom + 1, (word, y0, y1)
    assert abs(FRAME_WIDTH - (right - LEFT)) < 0.01


def test_a_3000_character_narrative_runs_over_pages_whole(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    sentence = (
        "通过不断健全完善老年社会保障体系，加快养老服务体系建设，增强老年人幸福感、获得感、安全感。"
    )
    narrative = (sentence * (3000 // len(sentence) + 1))[:3000]
    r.projects[0].narrative = narrative
    r.goal_actual = narrative  # and in a table cell, which must split inside its row
    pdf, info = build(r)
    # The table's header row repeats on every page the cell runs over: read past it.
    text = re.sub(r"年度\s*总体\s*目标\s*预期目标\s*实际完成情况", "", flat_text(pdf))
    assert text.count(narrative) == 2
    assert "保障全局工作正常运转。" + narrative in text  # the short cell beside it stays at the top
    pages_with_it = [t for t in pages_text(pdf) if sentence[:10] in t]
    assert len(pages_with_it) >= 4
    _assert_inside_the_text_block(pdf, tmp_path)


def test_an_indicator_table_longer_than_a_page_repeats_its_header(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report(projects=0)
    template = next(i for i in r.indicators if i.name)
    r.indicators = [
        Indicator(
            level1=template.level1,
            level2=template.level2,
            name=f"指标{k}",
            target_text="100%",
            actual_text="100%",
            weight=D(1),
            score=D(1),
        )
        for k in range(80)
    ]
    texts = pages_text(build(r)[0])
    with_rows = [t for t in texts if "指标7" in t or "指标79" in t]
    assert len([t for t in texts if "三级指标" in t and "实际完成值" in t]) >= 3
    assert with_rows
    text = "".join(texts)
    assert all(f"指标{k}" in text for k in range(80))


def test_an_empty_new_report_prints(build) -> None:  # type: ignore[no-untyped-def]
    from perfdesk.domain.templates import new_report

    r = new_report("新单位", 2025)
    pdf, info = build(r)
    text = flat_text(pdf)
    assert info.page_count >= 5
    assert "编制人数" not in text and "0人" not in text  # blank is not zero
    assert "政府性基金预算安排" not in text  # not said in the report: not printed as 无
    assert "三公经费" not in text.split("附件1")[0] and "0.00" not in text
    assert "总分 10 未完成评分" in text or "总分10未完成评分" in text.replace(" ", "")
    assert "自评等级" not in text
    assert NO_PROJECT_FORMS in text
    assert (
        pages_text(pdf)[0].rstrip().endswith("　　年　　月　　日")
    )  # no date yet: room to write it
    r.sections = []  # an outline with nothing in it still prints the attachments
    assert "附件1" in flat_text(build(r)[0])


def test_a_sparse_attachment_1_is_set_tighter_rather_than_leave_its_end_alone_on_a_page(
    build,  # type: ignore[no-untyped-def]
) -> None:
    """A report with few rows (tests/fixtures/blanks_report.json): 附件1 overflowed its page by
    the 厉行节约 row, the 说明 and the 填表人 line, which stood alone on the next page. Like a
    附件3 form it is now set a step tighter when that keeps it on one page."""
    from perfdesk.exchange import jsonfile

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "blanks_report.json"
    report = jsonfile.loads(fixture.read_bytes())
    pdf, _info = build(report)
    pages = ["".join(page_lines(p)) for p in pages_text(pdf)]
    [first] = [
        i for i, p in enumerate(pages) if "部门整体支出绩效评价基础数据表" in p and "附件1" in p
    ]
    assert "厉行节约" in pages[first] and "填表人" in pages[first], pages[first + 1][:200]
    assert "附件2" in pages[first + 1]  # the next page starts the next attachment

"""The sample report (the 2024 reference, entered whole) printed: golden text per page, every figure.

The golden files ``golden/sample-pNN.txt`` hold the text pypdf extracts from each page of the
sample PDF built with the shipped fonts, read against the reference report
(``tests/fixtures/reference/``) page by page: headings, figures, the generated sentences and the
tables. When the layout changes on purpose: regenerate, read the diff, record it as reviewed
(:mod:`tests.report.golden`); the tests themselves never write them.

The assertions below do not depend on the golden files: every figure of the reference is in the
PDF (three exceptions, each explained), every heading 一–十, 附件1–3 with their titles.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from perfdesk.report import BuildInfo, build_pdf
from perfdesk.report.attachments import ATTACHMENTS
from perfdesk.report.fonts import FontSet
from perfdesk.sample import load_sample
from tests.report import golden
from tests.report.conftest import PAGE_NUMBER, flat_text, page_lines, pages_text

GOLDEN = golden.GOLDEN
REFERENCE_FIGURES = GOLDEN / "reference_figures.txt"
REFERENCE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "000_60e8eccaaf7fbdaa.txt"
)


@pytest.fixture(scope="module")
def sample_pdf(fonts: FontSet) -> tuple[bytes, BuildInfo]:
    out = io.BytesIO()
    info = build_pdf(load_sample(), out, fonts=fonts)
    return out.getvalue(), info


def test_the_golden_pages_were_reviewed_for_this_sample() -> None:
    """A changed sample, or regenerated pages nobody recorded as read, fail until reviewed."""
    how = "regenerate, read the diff, record: see tests/report/golden.py"
    assert golden.recorded()["sample"] == golden.sample_digest(), f"the sample changed: {how}"
    assert golden.recorded()["pages"] == golden.pages_digest(), f"golden pages not reviewed: {how}"


def test_each_page_matches_its_golden_text(sample_pdf: tuple[bytes, BuildInfo]) -> None:
    pages = ["\n".join(page_lines(text, marks=True)) + "\n" for text in pages_text(sample_pdf[0])]
    golden_text = [p.read_text(encoding="utf-8") for p in golden.golden_pages()]
    assert len(pages) == len(golden_text) == sample_pdf[1].page_count
    for number, (got, want) in enumerate(zip(pages, golden_text, strict=True), start=1):
        assert got == want, f"page {number} differs from golden/sample-p{number:02d}.txt"


# The reference's figures, as a clerk reads them: "0.3" is printed 0.30, "100%" is 100.00%.
NOT_PRINTED = {
    "43%": "三公 完成预算%: the reference rounds 0.13 ÷ 0.3 to a whole percent; printed 43.33%",
    "99.11%": "执行率 against 年初预算数 in the reference; computed against 全年预算数: 100.00%",
    "2025.10": "填报日期 2025.10.17 in the reference; printed 2025年10月17日 like every date",
}


def test_every_figure_of_the_reference_is_printed(sample_pdf: tuple[bytes, BuildInfo]) -> None:
    text = flat_text(sample_pdf[0])
    figures = REFERENCE_FIGURES.read_text(encoding="utf-8").split()
    assert len(figures) > 150
    missing = []
    for figure in figures:
        rate = figure.endswith("%")
        two_places = f"{Decimal(figure.rstrip('%')).quantize(Decimal('0.01'))}" + (
            "%" if rate else ""
        )
        if figure not in text and two_places not in text:
            missing.append(figure)
    assert sorted(missing) == sorted(NOT_PRINTED)
    assert "43.33%" in text and "100.00%" in text and "2025年10月17日" in text


def test_the_reference_figures_list_is_the_reference(sample_pdf: tuple[bytes, BuildInfo]) -> None:
    found = dict.fromkeys(re.findall(r"\d+(?:\.\d+)?%?", REFERENCE.read_text(encoding="utf-8")))
    assert REFERENCE_FIGURES.read_text(encoding="utf-8").split() == list(found)


def test_headings_and_attachments_in_order(sample_pdf: tuple[bytes, BuildInfo]) -> None:
    text = flat_text(sample_pdf[0])
    headings = [
        "一、部门（单位）基本情况",
        "二、一般公共预算支出情况",
        "三、政府性基金预算支出情况",
        "四、国有资本经营预算支出情况",
        "五、社会保险基金预算支出情况",
        "六、资金使用及绩效情况（包含单位管理的公共专项）",
        "七、存在的问题及原因分析",
        "八、下一步改进措施",
        "九、部门整体支出绩效自评结果拟应用和公开情况",
        "十、其他需要说明的情况",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    titles = [
        "2024年度部门整体支出绩效评价基础数据表",
        "2024年度部门整体支出绩效自评表",
        "2024年度项目支出绩效自评表",
    ]
    assert [a.title(2024) for a in ATTACHMENTS] == titles
    # The sample's projects have no indicators: no 附件3 page, the list says so.
    assert "附件：1. " + titles[0] + "2. " + titles[1] + "3. " + titles[2] + "（本年度无）" in text
    for n, title in enumerate(titles[:2], start=1):
        assert f"附件{n}{title}" in text
    assert "附件3" not in text
    # The reference's nine project paragraphs were numbered by hand up to (10); here (1)–(9).
    assert [
        int(n)
        for n in re.findall(r"（(\d+)）(?=\D)", text[text.index("项目实施及绩效情况如下：") :])
    ][:9] == list(range(1, 10))


def test_sample_pdf_is_a4_small_and_embeds_everything(sample_pdf: tuple[bytes, BuildInfo]) -> None:
    pdf, info = sample_pdf
    assert len(pdf) < 1_000_000
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == info.page_count
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        for ref in page["/Resources"].get_object()["/Font"].values():
            font = ref.get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
    numbers = [
        line for t in pages_text(pdf)[1:] for line in page_lines(t) if PAGE_NUMBER.match(line)
    ]
    assert numbers == [f"— {n} —" for n in range(1, info.page_count)]
    assert info.replaced == {}


def test_no_body_line_of_the_sample_breaks_the_punctuation_rule(
    sample_pdf: tuple[bytes, BuildInfo],
) -> None:
    from perfdesk.report.text import NO_LINE_END, NO_LINE_START

    texts = pages_text(sample_pdf[0])
    first_attachment = next(i for i, t in enumerate(texts) if page_lines(t)[1:2] == ["附件1"])
    lines = [
        line
        for t in texts[1:first_attachment]
        for line in page_lines(t)
        if not PAGE_NUMBER.match(line)
    ]
    assert len(lines) > 300
    for line in lines:
        assert line[0] not in NO_LINE_START and line[-1] not in NO_LINE_END, line

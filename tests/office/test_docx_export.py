"""The whole report as a Word document: the PDF's text and figures, 公文 styles Word and WPS use."""

from __future__ import annotations

import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from perfdesk.office.docx_export import docx_bytes
from tests.report.factory import filled_report


def _doc(report):
    return docx.Document(io.BytesIO(docx_bytes(report)))


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    parts.append(cell.text)
    return "\n".join(parts)


FIGURE = re.compile(r"\d+(?:\.\d+)?%?")


def _figures(text: str) -> set[str]:
    """Amounts, rates, counts and scores as printed (page numbers are not figures of the report)."""
    text = re.sub(r"—\s*\d+\s*—", "", text)
    # The PDF's draft line counts the open 错误: a mark of the printout, not a figure of the report.
    text = "\n".join(line for line in text.splitlines() if "审核未通过" not in line)
    return set(FIGURE.findall(text))


@pytest.mark.parametrize("which", ["sample", "filled"])
def test_docx_carries_every_figure_and_sentence_of_the_pdf(which):
    from pypdf import PdfReader

    from perfdesk.report import build_pdf, shipped_fonts

    if which == "sample":
        from perfdesk.sample import load_sample

        report = load_sample()
    else:
        report = filled_report()
    pdf = io.BytesIO()
    build_pdf(report, pdf, fonts=shipped_fonts())
    pdf_text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages
    )
    word_text = _all_text(_doc(report))
    figures = _figures(pdf_text)
    assert len(figures) > 40 and "4532.05" in figures or which == "filled"
    missing = figures - _figures(word_text)
    assert not missing, sorted(missing)
    flat_word = re.sub(r"\s+", "", word_text)
    for section in report.sections:  # every heading, numbered by the program
        assert section.heading.strip() in flat_word
    for sentence in ("本部门2024年度无国有资本经营预算安排。", "项目实施及绩效情况："):
        if sentence in re.sub(r"\s+", "", pdf_text):
            assert sentence in flat_word


def test_blank_figures_stay_blank_in_the_word_tables():
    report = filled_report()
    line = report.control_line("three_public.overseas")
    line.prior_final = line.budget = line.final = None
    document = _doc(report)
    row = next(r for t in document.tables for r in t.rows if r.cells[0].text == "2、出国经费")
    values = {c.text for c in row.cells[1:]}
    assert values == {""}


def _fonts_of(style) -> dict[str, str]:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in fonts.attrib.items()}


def test_styles_name_windows_fonts_for_chinese_text_without_theme_fonts():
    document = _doc(filled_report())
    expected = {"Normal": "仿宋", "Heading 1": "黑体", "Heading 2": "楷体", "Heading 3": "仿宋"}
    for name, font in expected.items():
        fonts = _fonts_of(document.styles[name])
        assert fonts["eastAsia"] == font and fonts["ascii"] == font
        assert not any(k.endswith("Theme") or k == "cstheme" for k in fonts), fonts
        assert document.styles[name].font.size.pt == 16
    assert _fonts_of(document.styles["Footer"])["eastAsia"] == "宋体"
    # every paragraph of the body is set by a style, not by direct run formatting
    assert all(not r.font.name and not r.font.size for p in document.paragraphs for r in p.runs)


def test_page_is_a4_with_the_official_margins_and_22_lines():
    document = _doc(filled_report())
    for section in document.sections:
        mm = lambda length: round(length.mm)  # noqa: E731
        assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
        margins = (
            section.top_margin,
            section.left_margin,
            section.bottom_margin,
            section.right_margin,
        )
        assert tuple(mm(m) for m in margins) == (37, 28, 35, 26)
        grid = section._sectPr.find(qn("w:docGrid"))
        assert int(grid.get(qn("w:linePitch"))) == 579  # 225 mm / 22 lines = 28.95 pt
    normal = document.styles["Normal"].paragraph_format
    assert round(normal.line_spacing.pt, 2) == 28.95
    spacing = document.styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert 28 * (16 + int(spacing.get(qn("w:val"))) / 20) <= 156 / 25.4 * 72 < 29 * 15.75


def test_page_numbers_outside_from_the_first_body_page():
    document = _doc(filled_report())
    assert document.settings.odd_and_even_pages_header_footer
    cover, body = document.sections
    assert not cover.footer.paragraphs or not cover.footer.paragraphs[0].text.strip()
    odd, even = body.footer.paragraphs[0], body.even_page_footer.paragraphs[0]
    assert odd.text.startswith("— ") and odd.text.endswith(" —")
    assert "PAGE" in odd._p.xml and "PAGE" in even._p.xml
    assert odd.alignment == 2 and even.alignment == 0  # right on odd pages, left on even
    start = body._sectPr.find(qn("w:pgNumType")).get(qn("w:start"))
    assert start == "1"


def test_attachment_tables_are_word_tables_with_repeated_header_rows():
    report = filled_report(projects=2)
    document = _doc(report)
    texts = [t.rows[0].cells[0].text for t in document.tables]
    assert "财政供养人员情况（人）" in texts and "经费控制情况（万元）" in texts
    assert texts.count("绩效指标") == 3  # 附件2 and two 附件3 forms
    headed = [t for t in document.tables if t.rows[0].cells[0].text == "绩效指标"]
    assert all("w:tblHeader" in t.rows[0]._tr.xml for t in headed)

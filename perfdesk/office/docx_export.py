"""The whole report as a Word document (.docx), written with python-docx.

Cover, inner title, sections 一 to 十 in the report's outline — the program's standard paragraphs
(the same functions the printout uses, :func:`perfdesk.report.standard_paragraphs`) followed by
the clerk's text — the 附件 list and sign-off, then the attachment tables as Word tables (the
table model of :mod:`perfdesk.office.tables`, the one the .xlsx uses too).

公文 layout as GB/T 9704 and the printout: A4, margins 37/28/35/26 mm, body 3号 (16 pt) 仿宋 on a
document grid of 22 lines × 28 characters, headings 一、 黑体 / （一） 楷体 / 1. and （1） 仿宋,
``— N —`` page numbers in 4号宋体 on the outside (odd pages right, even pages left), the cover
unnumbered. Everything is set through named paragraph styles (正文 is Word's Normal, the headings
are Word's 标题 1–4, plus 报告标题, 附件标签, 附件标题, 表格文字, 表格标题), never as direct
formatting on runs, so a person who changes a style in Word or WPS changes every paragraph of it.
Fonts are named as Windows has them (仿宋, 黑体, 楷体, 宋体) with the East-Asian font attribute set,
which is the one Word and WPS use for Chinese text; titles use 宋体 bold, since 方正小标宋 is not
on every PC (change the 报告标题 style where it is).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from perfdesk.domain.model import REPORT_KIND_LABELS, Report, ReportKind, SectionKind
from perfdesk.office.tables import (
    ATTACHMENT_TITLES,
    NO_PROJECT_FORMS,
    Block,
    Kind,
    Sheet,
    attachment_list,
    attachment_title,
    forms,
)

FANGSONG, HEITI, KAITI, SONGTI = "仿宋", "黑体", "楷体", "宋体"
BODY_PT = 16.0
LEADING_PT = 28.95  # 22 lines fill the 225 mm text block
TOP_MM, LEFT_MM, BOTTOM_MM, RIGHT_MM = 37, 28, 35, 26
TEXT_WIDTH_MM = 210 - LEFT_MM - RIGHT_MM  # 156
LINES, CHARS = 22, 28
BODY_TRACKING_TWIPS = -5
"""−0.25 pt between 16 pt characters: 28 × 15.75 pt fit the 156 mm line, 29 do not. A character
grid (``linesAndChars``) would say the same to Word, but LibreOffice lays such a grid out with
every character on two cells, so the spacing is given in the styles instead."""
TABLE_PT = 10.5
PAGE_NUMBER_PT = 14.0

STYLE_TITLE = "报告标题"
STYLE_COVER_TITLE = "封面标题"
STYLE_COVER_LINE = "封面文字"
STYLE_LABEL = "附件标签"
STYLE_ATTACHMENT_TITLE = "附件标题"
STYLE_CELL = "表格文字"
STYLE_CELL_HEAD = "表格标题"
STYLE_NOTE = "表下说明"
STYLE_SIGN = "落款"
STYLE_JOINT = "表间距"
HEADINGS = {
    1: ("Heading 1", HEITI),
    2: ("Heading 2", KAITI),
    3: ("Heading 3", FANGSONG),
    4: ("Heading 4", FANGSONG),
}


# --- low-level helpers (python-docx has no API for these attributes) -----------------------------


def _set_fonts(element: Any, name: str) -> None:
    """Name ``name`` for Latin and East-Asian text alike, dropping theme fonts that would win."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), name)


def _char_spacing(element: Any, twips: int) -> None:
    """Character spacing (字符间距) of a style, in twentieths of a point."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = rpr.makeelement(qn("w:spacing"), {})
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            fonts.addnext(spacing)
        else:
            rpr.insert(0, spacing)
    spacing.set(qn("w:val"), str(twips))


def _style_font(style: Any, name: str, size: float, *, bold: bool = False) -> None:
    from docx.shared import Pt, RGBColor

    _set_fonts(style.element, name)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.color.theme_color = None  # type: ignore[assignment]


def _first_line_chars(pformat_element: Any, chars: int) -> None:
    """First-line indent counted in characters (两个字), which follows the font size."""
    from docx.oxml.ns import qn

    ppr = pformat_element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = ppr.makeelement(qn("w:ind"), {})
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * BODY_PT * 20)))


def _paragraph_style(
    doc: Any,
    name: str,
    font: str,
    size: float,
    *,
    base: str = "Normal",
    align: str = "justify",
    indent_chars: int = 0,
    exact: float | None = LEADING_PT,
    bold: bool = False,
) -> Any:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name != "Normal":
        style.base_style = styles[base]
    style.quick_style = True
    _style_font(style, font, size, bold=bold)
    pf = style.paragraph_format
    pf.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if exact is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if indent_chars:
        _first_line_chars(style.element, indent_chars)
    else:
        pf.first_line_indent = Pt(0)
    # 28 characters a line: 3号 characters with 0.25 pt less spacing, like the printout's tracking
    _char_spacing(style.element, BODY_TRACKING_TWIPS if size == BODY_PT else 0)
    return style


def _doc_defaults(doc: Any) -> None:
    """The document's default run font: 仿宋, Chinese language, no theme fonts."""
    from docx.oxml.ns import qn

    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FANGSONG)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    # The document grid's character pitch is counted from the default font size: 3号 (16 pt).
    for tag in ("w:sz", "w:szCs"):
        size = rpr.find(qn(tag))
        if size is None:
            size = rpr.makeelement(qn(tag), {})
            rpr.append(size)
        size.set(qn("w:val"), str(int(BODY_PT * 2)))


def _styles(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    _doc_defaults(doc)
    normal = _paragraph_style(doc, "Normal", FANGSONG, BODY_PT, indent_chars=2)
    normal.paragraph_format.widow_control = True
    for level, (name, font) in HEADINGS.items():
        style = _paragraph_style(doc, name, font, BODY_PT, align="left", indent_chars=2)
        style.paragraph_format.keep_with_next = True
        linked = f"{name} Char"
        if linked in [s.name for s in doc.styles]:
            _style_font(doc.styles[linked], font, BODY_PT)
        del level
    _paragraph_style(doc, STYLE_TITLE, SONGTI, 22, align="center", exact=36, bold=True)
    _paragraph_style(doc, STYLE_COVER_TITLE, SONGTI, 26, align="center", exact=44, bold=True)
    _paragraph_style(doc, STYLE_COVER_LINE, FANGSONG, BODY_PT, align="center")
    _paragraph_style(doc, STYLE_LABEL, HEITI, BODY_PT, align="left")
    _paragraph_style(doc, STYLE_ATTACHMENT_TITLE, SONGTI, 18, align="center", bold=True)
    _paragraph_style(doc, STYLE_CELL, FANGSONG, TABLE_PT, align="left", exact=None)
    _paragraph_style(doc, STYLE_CELL_HEAD, HEITI, TABLE_PT, align="center", exact=None)
    _paragraph_style(doc, STYLE_NOTE, FANGSONG, 12, align="justify", exact=18)
    _paragraph_style(doc, STYLE_SIGN, FANGSONG, BODY_PT, align="right")
    _paragraph_style(doc, STYLE_JOINT, FANGSONG, 1, align="left", exact=1)
    footer = doc.styles["Footer"]
    _style_font(footer, SONGTI, PAGE_NUMBER_PT)
    if "Footer Char" in [s.name for s in doc.styles]:
        _style_font(doc.styles["Footer Char"], SONGTI, PAGE_NUMBER_PT)
    del WD_STYLE_TYPE


# --- page set-up and page numbers ------------------------------------------------------------------


def _page_setup(section: Any) -> None:
    """A4, the 公文 margins, and the 22 × 28 document grid."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance = Mm(15)
    # 一字线 of the number 7 mm below the text block: its foot about 7 mm + a 4号 line lower
    section.footer_distance = Mm(BOTTOM_MM - 7 - 6)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = sect.makeelement(qn("w:docGrid"), {})
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LEADING_PT * 20)))
    grid.attrib.pop(qn("w:charSpace"), None)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE) as its begin / instruction / separate / result / end runs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child: Any) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _page_number(footer: Any, odd: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.style = footer.part.document.styles["Footer"] if hasattr(footer.part, "document") else p.style
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    # 单页码居右空一字，双页码居左空一字
    if odd:
        p.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        p.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
    p.add_run("— ")
    _field(p, "PAGE")
    p.add_run(" —")


def _numbered_section(doc: Any) -> Any:
    """The body's section: a new page, page numbers from 1, odd and even footers."""
    from docx.enum.section import WD_SECTION
    from docx.oxml.ns import qn

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(section)
    sect = section._sectPr
    pg = sect.find(qn("w:pgNumType"))
    if pg is None:
        pg = sect.makeelement(qn("w:pgNumType"), {})
        # the schema's order: before w:cols (python-docx has no accessor for it)
        cols = sect.find(qn("w:cols"))
        if cols is not None:
            cols.addprevious(pg)
        else:
            sect.append(pg)
    pg.set(qn("w:start"), "1")
    pg.set(qn("w:fmt"), "decimal")
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)
    section.header.is_linked_to_previous = False
    section.even_page_header.is_linked_to_previous = False
    return section


# --- text -------------------------------------------------------------------------------------------


_STYLE_IDS: dict[tuple[int, str], str] = {}


def _style_id(doc: Any, name: str) -> str:
    key = (id(doc), name)
    if key not in _STYLE_IDS:
        _STYLE_IDS[key] = doc.styles[name].style_id
    return _STYLE_IDS[key]


def _set_style(doc: Any, p: Any, name: str | None) -> None:
    """Give paragraph ``p`` the style ``name`` by its id (python-docx's own setter searches every
    style each time, which made the export three times slower)."""
    if name is not None and name != "Normal":
        p._p.get_or_add_pPr().style = _style_id(doc, name)


def _para(doc: Any, text: str, style: str | None = None) -> Any:
    p = doc.add_paragraph(text)
    _set_style(doc, p, style)
    return p


def _blank(doc: Any, n: int = 1, style: str | None = None) -> None:
    for _ in range(n):
        _para(doc, "", style)


def _cover(doc: Any, report: Report) -> None:
    from perfdesk.report.prose import report_date

    if report.kind == ReportKind.PROJECT:
        _project_cover(doc, report)
        return
    _blank(doc, 4, STYLE_COVER_LINE)
    _para(doc, f"{report.year}年度部门（单位）整体支出", STYLE_COVER_TITLE)
    _para(doc, "绩效自评报告", STYLE_COVER_TITLE)
    _blank(doc, 8, STYLE_COVER_LINE)
    _para(doc, f"部门（单位）名称：{report.unit_name}（盖章）", STYLE_COVER_LINE)
    _blank(doc, 1, STYLE_COVER_LINE)
    _para(doc, report_date(report), STYLE_COVER_LINE)


def _project_cover(doc: Any, report: Report) -> None:
    """A project report's cover: the printout's lines (项目名称, 项目单位（盖章）…)."""
    from perfdesk.report.project_report import cover_lines

    _blank(doc, 4, STYLE_COVER_LINE)
    _para(doc, f"{report.year}年度项目支出", STYLE_COVER_TITLE)
    _para(doc, "绩效自评报告", STYLE_COVER_TITLE)
    _blank(doc, 8, STYLE_COVER_LINE)
    for label, value in cover_lines(report):
        _para(doc, f"{label}：{value}", STYLE_COVER_LINE)


def _attachment_lines(report: Report) -> list[str]:
    """The 附件 list under the text: a project report's one form is not numbered."""
    if report.kind == ReportKind.PROJECT:
        from perfdesk.report.project_report import form_title

        return [form_title(report)]
    return attachment_list(report.year)


def _body(doc: Any, report: Report) -> None:
    from perfdesk.report import standard_paragraphs
    from perfdesk.report.prose import lines_of, project_paragraphs, report_date

    title = _para(doc, "", STYLE_TITLE)
    text = report.title
    # as the printout: a title too long for one line breaks before 绩效自评报告
    if _width_chars(text) > 20 and text.endswith("绩效自评报告"):
        title.add_run(text[: -len("绩效自评报告")]).add_break()
        title.add_run("绩效自评报告")
    else:
        title.add_run(text)
    _blank(doc)
    from perfdesk.domain.outline import section_level, section_numbers

    for section, number in zip(report.sections, section_numbers(report.sections), strict=True):
        level = section_level(section)
        heading = number + section.heading.strip()
        _para(doc, heading, HEADINGS[level][0])
        for text in standard_paragraphs(report, section):
            if text.strip():
                _para(doc, text)
        if section.key == "performance.projects":
            for item in project_paragraphs(report):
                _para(doc, item.heading, HEADINGS[4][0])
                for text in item.paragraphs:
                    if text.strip():
                        _para(doc, text)
        if section.kind == SectionKind.LIST and section.list_key:
            items = [t.strip() for t in report.list_items(section.list_key) if t.strip()]
            for i, text in enumerate(items, 1):
                _para(doc, f"{i}.{text}")
        for text in lines_of(section.text):
            _para(doc, text)
    # 附件：1. … under the text, one line left blank, the list aligned after 附件：
    _blank(doc)
    for i, line in enumerate(_attachment_lines(report)):
        p = _para(doc, ("附件：" + line) if i == 0 else line)
        _hang(p, i == 0)
    _blank(doc, 2)
    unit = _para(doc, report.unit_name, STYLE_SIGN)
    date = _para(doc, report_date(report), STYLE_SIGN)
    from docx.shared import Pt

    date.paragraph_format.right_indent = Pt(4 * BODY_PT)
    unit.paragraph_format.right_indent = Pt(
        max(4 * BODY_PT + (len(report_date(report)) - len(report.unit_name)) * BODY_PT / 2, 0)
    )


def _width_chars(text: str) -> float:
    """Width in Chinese characters (a digit or Latin letter counts as half)."""
    import unicodedata

    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def _hang(p: Any, first: bool) -> None:
    """附件 list: every line starts under the first item's text (two characters plus 附件：)."""
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = ppr.makeelement(qn("w:ind"), {})
        ppr.append(ind)
    ind.set(qn("w:leftChars"), "500")
    ind.set(qn("w:left"), str(int(5 * BODY_PT * 20)))
    if first:
        ind.set(qn("w:hangingChars"), "300")
        ind.set(qn("w:hanging"), str(int(3 * BODY_PT * 20)))
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")
    else:
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")


# --- tables -----------------------------------------------------------------------------------------


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _table_width(table: Any, width_mm: float) -> None:
    from docx.oxml.ns import qn

    tblw = table._tbl.tblPr.find(qn("w:tblW"))
    if tblw is not None:
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(round(width_mm / 25.4 * 1440)))


def _table(doc: Any, block: Block, widths_mm: list[float]) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    n_rows, n_cols = len(block.rows), block.columns
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, w in enumerate(widths_mm):
        table.columns[c].width = Mm(w)
    _table_width(table, sum(widths_mm))
    grid = [row.cells for row in table.rows]
    for r in range(min(block.header_rows, n_rows)):
        _repeat_header(table.rows[r])
    for r, cells in enumerate(block.rows):
        for c, cell in enumerate(cells):
            target = grid[r][c]
            target.width = Mm(widths_mm[c])
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if cell is None:
                continue
            p = target.paragraphs[0]
            text = cell.text
            style = STYLE_CELL_HEAD if cell.kind == Kind.HEAD else STYLE_CELL
            _set_style(doc, p, style)
            if cell.kind != Kind.HEAD:
                if cell.kind in (Kind.CENTER, Kind.AMOUNT, Kind.NUMBER, Kind.COUNT, Kind.RATE):
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if cell.indent:
                    p.paragraph_format.left_indent = Pt(cell.indent * TABLE_PT)
            lines = text.split("\n") if text else []
            if lines:
                p.add_run(lines[0])
                for more in lines[1:]:
                    extra = target.add_paragraph(more)
                    _set_style(doc, extra, style)
                    extra.alignment = p.alignment
    _merge(block, grid, widths_mm)


def _merge(block: Block, grid: list[list[Any]], widths_mm: list[float]) -> None:
    """Merged cells as Word keeps them: ``gridSpan`` across, ``vMerge`` down (what python-docx's
    ``merge`` writes, without its search of the whole table for every merge)."""
    from docx.shared import Mm

    for r0, c0, r1, c1 in block.merges:
        if (r0, c0) == (r1, c1):
            continue
        for r in range(r0, r1 + 1):
            tc = grid[r][c0]._tc
            if c1 > c0:
                tc.width = Mm(sum(widths_mm[c0 : c1 + 1]))
                tc.grid_span = c1 - c0 + 1
                for c in range(c0 + 1, c1 + 1):
                    other = grid[r][c]._tc
                    other.getparent().remove(other)
            if r1 > r0:
                tc.vMerge = "restart" if r == r0 else "continue"


def _joint(doc: Any) -> None:
    """A one-point paragraph between two tables of a form: Word and LibreOffice would otherwise
    join them into one table (and repeat the first one's header rows on every page)."""

    _para(doc, "", STYLE_JOINT)


def _attachments(doc: Any, report: Report) -> None:
    from docx.enum.text import WD_BREAK

    sheets = forms(report)
    scale = TEXT_WIDTH_MM
    if report.kind == ReportKind.PROJECT:  # one form: 附件 (unnumbered), its title, the tables
        for sheet in sheets:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _para(doc, sheet.label, STYLE_LABEL)
            _blank(doc, 1, STYLE_LABEL)
            _para(doc, sheet.title, STYLE_ATTACHMENT_TITLE)
            _sheet(doc, sheet, scale)
        return
    first_project = True
    for key, _, _ in ATTACHMENT_TITLES:
        of_key = [s for s in sheets if s.key == key]
        page_break = doc.add_paragraph()
        page_break.add_run().add_break(WD_BREAK.PAGE)
        label = of_key[0].label if of_key else f"附件{len(ATTACHMENT_TITLES)}"
        _para(doc, label, STYLE_LABEL)
        _blank(doc, 1, STYLE_LABEL)
        _para(doc, attachment_title(key, report.year), STYLE_ATTACHMENT_TITLE)
        if not of_key:
            _para(doc, NO_PROJECT_FORMS, STYLE_COVER_LINE)
            continue
        for sheet in of_key:
            if sheet.key == "projects" and not first_project:
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                _para(doc, sheet.title, STYLE_ATTACHMENT_TITLE)
            if sheet.key == "projects":
                first_project = False
            _sheet(doc, sheet, scale)


def _sheet(doc: Any, sheet: Sheet, text_width: float) -> None:
    total = sum(sheet.widths)
    widths = [w / total * text_width for w in sheet.widths]
    blocks = [b for b in sheet.blocks if not b.workbook_only]  # Word shows the form as printed
    for i, block in enumerate(blocks):
        if i:
            _joint(doc)
        _table(doc, block, widths)
    for note in sheet.notes:
        _para(doc, note, STYLE_NOTE)


# --- the document -----------------------------------------------------------------------------------


def build_document(report: Report) -> Any:
    """The python-docx ``Document`` of the whole report."""
    import docx

    doc = docx.Document()
    _styles(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    cover = doc.sections[0]
    _page_setup(cover)
    _cover(doc, report)
    _numbered_section(doc)
    _body(doc, report)
    _attachments(doc, report)
    props = doc.core_properties
    props.title = report.title
    props.author = report.unit_name
    props.subject = REPORT_KIND_LABELS[report.kind]
    props.keywords = "perfdesk"
    props.comments = ""
    props.last_modified_by = "perfdesk"
    props.language = "zh-CN"
    return doc


def docx_bytes(report: Report) -> bytes:
    out = io.BytesIO()
    build_document(report).save(out)
    return out.getvalue()


def write_docx(report: Report, path: str | os.PathLike[str]) -> None:
    """Write the document to ``path`` through a temporary file (the old file survives a failure)."""
    from perfdesk.files import check_target, write_atomic

    target = Path(path)
    check_target(target)
    write_atomic(target, docx_bytes(report))

"""The printed 自评汇总: the 汇总分析报告 (portrait) and the 自评汇总表 attached to it (landscape).

Same house style as the reports (GB/T 9704, :mod:`perfdesk.report.styles`): A4, the 28 × 22 body
grid in 仿宋, 一、 headings in 黑体 and （一） in 楷体, ``— N —`` page numbers outside (odd pages
right, even pages left), continuous from the first page to the last. The 汇总表 has thirteen
columns, too many for the portrait text block, so its pages are A4 landscape; its two header rows
repeat on every page; its cells are the summary's own (:data:`perfdesk.summary.table.COLUMNS`),
blank where the unit gave nothing, and the 合计/平均 rows say over how many units they were taken.

The same summary gives the same bytes (ReportLab's ``invariant`` mode); the date under the
signature is left for the hand that seals it.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from perfdesk.domain.scoring import UNSCORED
from perfdesk.files import check_target, write_atomic
from perfdesk.report.document import BuildInfo, PdfWriteError, _build_lock
from perfdesk.report.fonts import SONGTI, FontSet, resolve_fonts
from perfdesk.report.styles import (
    ATTACHMENT_LABEL,
    ATTACHMENT_TITLE,
    BODY,
    BOTTOM,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    HEADING,
    LEADING,
    LEFT,
    NOTE,
    PAGE_NUMBER_GAP,
    PAGE_NUMBER_SIZE,
    SIGN_OFF,
    TITLE,
)
from perfdesk.report.tables import CELL, LABEL, NUM, Cell, Form, head, label, num
from perfdesk.report.text import TextBlock, TextStyle, Typesetter
from perfdesk.summary.table import COLUMNS, Summary, UnitRow, cell_text, figure_text, table_note

# Landscape pages: the same margins turned with the sheet (binding edge, now the top, 28 mm).
L_WIDTH, L_HEIGHT = landscape(A4)
L_LEFT, L_RIGHT, L_TOP, L_BOTTOM = 26 * mm, 26 * mm, 28 * mm, 30 * mm
L_FRAME_WIDTH = L_WIDTH - L_LEFT - L_RIGHT  # 245 mm
L_FRAME_HEIGHT = L_HEIGHT - L_TOP - L_BOTTOM  # 152 mm

WIDTHS = {
    "number": 1,
    "unit_name": 6,
    "initial_budget": 1,
    "full_year_budget": 1,
    "executed": 1,
    "execution_rate": 1,
    "score": 1,
    "grade": 1,
    "open_errors": 1,
    "open_hints": 1,
    "three_public_final": 1,
    "three_public_completion": 1,
    "project_count": 1,
    "project_forms": 1,
}
"""How the 汇总表's columns share the width left once every number fits (序号 first): the
unit's name takes most of it, so that names stay on one line."""

HEADERS = {
    "年初预算数": "年初|预算数",
    "全年预算数": "全年|预算数",
    "全年执行数": "全年|执行数",
    "自评总分": "自评|总分",
    "自评等级": "自评|等级",
    "本年决算（万元）": "本年决算|（万元）",
    "项目自评表": "项目|自评表",
    "未处理的审核结果": "未处理的|审核结果",
    "年度资金（万元）": "年度资金|（万元）",
}
"""Header texts with the places they may break (``|``), so a header never breaks mid-word."""

PAGE_NUMBER = TextStyle(SONGTI, PAGE_NUMBER_SIZE, PAGE_NUMBER_SIZE * 1.2, align="left")
SUB_HEADING = re.compile(r"^（[一二三四五六七八九十]+）")
TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


# --- cells ---------------------------------------------------------------------------------------


def _row_cells(number: int, row: UnitRow) -> list[Cell]:
    cells = [num(str(number))]
    for c in COLUMNS:
        text = cell_text(c.kind, row.value(c.key))
        if c.kind == "grade" and text == UNSCORED:
            text = "未完成|评分"  # two lines rather than a grade column as wide as the phrase
        cells.append(label(text) if c.kind == "text" else num(text))
    return cells


# --- the table -----------------------------------------------------------------------------------


def summary_table(ts: Typesetter, summary: Summary) -> Flowable:
    """The 汇总表: two header rows (repeated), a row per unit, then 合计 and 平均."""
    keys = ["number", *(c.key for c in COLUMNS)]
    kinds = [NUM, *(LABEL if c.kind == "text" else NUM for c in COLUMNS)]
    form = Form([WIDTHS[k] for k in keys], header_rows=2, kinds=kinds, width=L_FRAME_WIDTH)
    top: list[Cell | None] = [head("序号")]
    sub: list[Cell | None] = [None]
    group_start: dict[str, int] = {}
    for i, c in enumerate(COLUMNS, 1):
        if not c.group:
            top.append(head(HEADERS.get(c.header, c.header)))
            sub.append(None)
            form.spans.append((i, 0, i, 1))
            continue
        if c.group not in group_start:
            group_start[c.group] = i
            top.append(head(HEADERS.get(c.group, c.group)))
        else:
            top.append(None)
        sub.append(head(HEADERS.get(c.header, c.header)))
    form.spans.append((0, 0, 0, 1))
    for group, first in group_start.items():
        last = max(i for i, c in enumerate(COLUMNS, 1) if c.group == group)
        form.spans.append((first, 0, last, 0))
    form.add(*top)
    form.add(*sub)
    for number, row in enumerate(summary.rows, 1):
        form.add(*_row_cells(number, row))
    for title, figures in (("合计", summary.totals), ("平均", summary.averages)):
        cells: list[Cell | None] = [None, head(f"{title}（{summary.unit_count}个单位）")]
        for c in COLUMNS[1:]:
            cells.append(num(figure_text(c.kind, figures.get(c.key))))
        form.add(*cells)
    if not summary.rows:
        form.add(None, label("（尚无单位的自评报告）"))
    return form.build(ts)


# --- the 汇总分析 ----------------------------------------------------------------------------------


def analysis_pages(ts: Typesetter, summary: Summary) -> list[Flowable]:
    """Title, the text (一、 and （一） lines as headings), the 附件 line and the signature."""
    out: list[Flowable] = [_title(ts, summary.analysis_title)]
    for line in summary.analysis.splitlines():
        text = line.strip()
        if not text:
            continue
        # A numbered line is a heading when it is one (short, no full stop), else a paragraph.
        heading = len(text) <= 30 and "。" not in text
        if heading and TOP_HEADING.match(text):
            out.append(TextBlock(ts, text, HEADING[1], keep_with_next=True))
        elif heading and SUB_HEADING.match(text):
            out.append(TextBlock(ts, text, HEADING[2], keep_with_next=True))
        else:
            out.append(TextBlock(ts, text, BODY))
    ending: list[Flowable] = [
        Spacer(0, LEADING),
        TextBlock(ts, f"附件：{summary.title}", BODY),
        Spacer(0, 2 * LEADING),
    ]
    if summary.supervisor:
        ending.append(TextBlock(ts, f"{summary.supervisor}（盖章）", SIGN_OFF))
    ending.append(TextBlock(ts, "年　　月　　日", SIGN_OFF))
    out.append(KeepTogether(ending))
    return out


def _title(ts: Typesetter, title: str) -> Flowable:
    """The title, broken before 结果汇总分析报告 when it needs two lines (never mid-word)."""
    block = TextBlock(ts, title, TITLE)
    block.wrap(FRAME_WIDTH, FRAME_HEIGHT)
    if block.height > TITLE.leading and "结果汇总分析报告" in title:
        at = title.index("结果汇总分析报告")
        block = TextBlock(ts, title[:at] + "\n" + title[at:], TITLE)
    block.outline = (title, 0)
    return block


def attachment_pages(ts: Typesetter, summary: Summary) -> list[Flowable]:
    """附件: the 汇总表 on landscape pages."""
    line = Form([60, 40], ruled=False, width=L_FRAME_WIDTH)
    line.add(
        Cell(f"主管部门（盖章）：{summary.supervisor}", CELL),
        Cell("金额单位：万元", TextStyle(CELL.role, CELL.size, CELL.leading, align="right")),
    )
    return [
        NextPageTemplate("landscape"),
        PageBreak(),
        TextBlock(ts, "附件", ATTACHMENT_LABEL, outline=(f"附件 {summary.title}", 0)),
        TextBlock(ts, summary.title, ATTACHMENT_TITLE, keep_with_next=True),
        line.build(ts),
        summary_table(ts, summary),
        Spacer(0, 6),
        TextBlock(ts, table_note(summary), NOTE),
    ]


# --- the document --------------------------------------------------------------------------------


class _SummaryDocument(BaseDocTemplate):
    def __init__(self, out: BinaryIO, summary: Summary, ts: Typesetter) -> None:
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=LEFT,
            bottomMargin=BOTTOM,
            title=summary.analysis_title,
            author=summary.supervisor,
            subject="部门整体支出绩效自评汇总表及汇总分析报告",
            creator="perfdesk",
            producer="perfdesk (ReportLab)",
            keywords="",
            invariant=1,
            printScaling="None",
            displayDocTitle=1,
            lang="zh-CN",
            initialFontName=ts.fonts.face("fangsong").name,
            initialFontSize=16,
            initialLeading=LEADING,
        )
        self.ts = ts
        portrait = Frame(LEFT, BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="text")
        wide = Frame(L_LEFT, L_BOTTOM, L_FRAME_WIDTH, L_FRAME_HEIGHT, 0, 0, 0, 0, id="wide")
        self.addPageTemplates(
            [
                PageTemplate("portrait", [portrait], onPage=self._number, pagesize=A4),
                PageTemplate(
                    "landscape", [wide], onPage=self._number, pagesize=(L_WIDTH, L_HEIGHT)
                ),
            ]
        )

    def beforeDocument(self) -> None:  # noqa: N802 - ReportLab's hook
        self.canv.showOutline()

    def _number(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """``— N —`` 7 mm below the text block, outside: odd pages right, even pages left."""
        n = canv.getPageNumber()
        wide = doc.pageTemplate.id == "landscape"
        left, width, bottom = (
            (L_LEFT, L_FRAME_WIDTH, L_BOTTOM) if wide else (LEFT, FRAME_WIDTH, BOTTOM)
        )
        style = TextStyle(
            PAGE_NUMBER.role,
            PAGE_NUMBER.size,
            PAGE_NUMBER.leading,
            align="right" if n % 2 else "left",
            left_indent=PAGE_NUMBER_SIZE,
            right_indent=PAGE_NUMBER_SIZE,
        )
        block = TextBlock(self.ts, f"— {n} —", style)
        _, h = block.wrapOn(canv, width, PAGE_NUMBER.leading)
        block.drawOn(canv, left, bottom - PAGE_NUMBER_GAP - h)


def build_summary_pdf(
    summary: Summary, out: BinaryIO | str | os.PathLike[str], *, fonts: FontSet | None = None
) -> BuildInfo:
    """Print ``summary`` (汇总分析 and 汇总表) into a binary stream or a path."""
    fontset = fonts or resolve_fonts()
    if isinstance(out, (str, os.PathLike)):
        buffer = io.BytesIO()
        info = _build(summary, buffer, fontset)
        Path(out).write_bytes(buffer.getvalue())
        return info
    return _build(summary, out, fontset)


def _build(summary: Summary, out: BinaryIO, fontset: FontSet) -> BuildInfo:
    with _build_lock:
        ts = Typesetter(fontset)
        doc = _SummaryDocument(out, summary, ts)
        doc.build([*analysis_pages(ts, summary), *attachment_pages(ts, summary)])
        return BuildInfo(
            page_count=doc.page,
            fonts=fontset.describe(),
            fallbacks=list(fontset.notes),
            font_summary=fontset.summary(),
            replaced=dict(ts.replaced),
        )


def write_summary_pdf(
    summary: Summary, path: str | os.PathLike[str], *, fonts: FontSet | None = None
) -> BuildInfo:
    """Build the PDF and put it at ``path`` only when complete (see
    :func:`perfdesk.report.write_pdf_atomic`)."""
    target = Path(path)
    check_target(target, PdfWriteError)
    buffer = io.BytesIO()
    info = _build(summary, buffer, fonts or resolve_fonts())
    write_atomic(target, buffer.getvalue(), PdfWriteError)
    return info

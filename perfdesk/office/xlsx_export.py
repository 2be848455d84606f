"""The attachment tables as an Excel workbook (.xlsx), written with openpyxl.

One sheet per attachment (附件1 基础数据表, 附件2 整体支出绩效自评表, one 附件3 per project form),
laid out like the printed form: ``附件N``, the title, the unit, then the ruled tables with merged
header cells. Amounts are numbers with the format ``0.00`` (the exact ``Decimal`` is written, so a
figure kept to the 元 stays exact), rates are percentages, computed cells are values (no formulas:
the sheet shows what the printout shows). A blank figure is an empty cell, never 0. Column widths
are worked out from the labels so every label shows; pages are A4 portrait, fitted to the page
width, with the title rows repeated on every page.

:mod:`perfdesk.office.xlsx_import` reads the same layout back (:func:`cell_positions`).
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from perfdesk.domain.model import REPORT_KIND_LABELS, Report
from perfdesk.office.tables import NO_PROJECT_FORMS, Block, Cell, Kind, Sheet, forms

TITLE_ROWS = 3  # 附件N, the title, the unit line: repeated at the top of every printed page
MM = 1 / 25.4  # inches
FONT_NAME = "宋体"
HEAD_FONT_NAME = "黑体"
GB2312_CHARSET = 134  # tells Excel/WPS the font's script, so the Chinese face is used
ROW_HEIGHT = 15.0  # points for one line of 11 pt text
RATE_QUANTUM = Decimal("0.0001")  # a rate as printed: 99.11 %

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def display_width(text: str) -> float:
    """How many Excel width units ``text`` needs on one line (a Chinese character is about 2)."""
    return sum(2.1 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


@dataclass(frozen=True)
class Placed:
    """Where a cell of the table model lands on the worksheet (1-based row and column)."""

    row: int
    col: int
    cell: Cell
    block: Block
    block_row: int


def cell_positions(sheet: Sheet) -> tuple[list[Placed], list[tuple[int, int, int, int]], int]:
    """Every cell of ``sheet`` with its worksheet position, the merged ranges
    ``(row0, col0, row1, col1)`` (1-based, inclusive) and the first row after the tables."""
    placed: list[Placed] = []
    merges: list[tuple[int, int, int, int]] = [
        (2, 1, 2, sheet.columns),
        (3, 1, 3, sheet.columns),
    ]
    row = TITLE_ROWS + 1
    for block in sheet.blocks:
        for r, cells in enumerate(block.rows):
            for c, cell in enumerate(cells):
                if cell is not None:
                    placed.append(Placed(row + r, c + 1, cell, block, r))
        merges += [(row + r0, c0 + 1, row + r1, c1 + 1) for r0, c0, r1, c1 in block.merges]
        row += len(block.rows)
    return placed, merges, row


# --- styles ---------------------------------------------------------------------------------------


class _Styles:
    """The few fonts, alignments and borders of a form, made once per workbook."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=FONT_NAME, size=11, charset=GB2312_CHARSET)
        self.head_font = Font(name=HEAD_FONT_NAME, size=11, charset=GB2312_CHARSET)
        self.label_font = Font(name=HEAD_FONT_NAME, size=14, charset=GB2312_CHARSET)
        self.title_font = Font(name=FONT_NAME, size=18, bold=True, charset=GB2312_CHARSET)
        self.Alignment = Alignment
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.text = Alignment(horizontal="left", vertical="top", wrap_text=True)
        self.note = Alignment(horizontal="left", vertical="top", wrap_text=True)
        self._indent: dict[int, Any] = {}

    def indent(self, n: int) -> Any:
        if n not in self._indent:
            self._indent[n] = self.Alignment(
                horizontal="left", vertical="center", wrap_text=True, indent=n
            )
        return self._indent[n]


NUMBER_FORMATS = {
    Kind.AMOUNT: "0.00",
    Kind.RATE: "0.00%",
    Kind.COUNT: "0",
    Kind.NUMBER: "General",
}


def _clean(text: str) -> str:
    """openpyxl refuses control characters in a cell; a pasted one is dropped, not fatal."""
    return _ILLEGAL.sub("", text)


def _value(cell: Cell) -> Any:
    v = cell.value
    if v is None:
        return None
    if cell.kind == Kind.RATE:
        assert isinstance(v, Decimal)
        return v.quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)
    if cell.kind in (Kind.AMOUNT, Kind.NUMBER):
        return Decimal(v)  # exact: openpyxl writes the Decimal's digits
    if cell.kind == Kind.COUNT:
        return int(v)
    return _clean(str(v))


def _write_cell(ws: Any, row: int, col: int, cell: Cell, st: _Styles) -> None:
    target = ws.cell(row=row, column=col)
    value = _value(cell)
    target.value = value
    if isinstance(value, str) and value.startswith("="):
        target.data_type = "s"  # a clerk's text that begins with = is text, not a formula
    kind = cell.kind
    target.font = st.head_font if kind == Kind.HEAD else st.font
    if kind == Kind.HEAD or kind == Kind.CENTER or kind in NUMBER_FORMATS:
        target.alignment = st.center
    elif kind == Kind.LABEL:
        target.alignment = st.indent(cell.indent) if cell.indent else st.left
    else:
        target.alignment = st.text
    if kind in NUMBER_FORMATS:
        target.number_format = NUMBER_FORMATS[kind]


# --- widths and heights ---------------------------------------------------------------------------


WIDEST = {Kind.LABEL: 44.0, Kind.CENTER: 14.0}
"""How far a column is widened for one cell of a kind; beyond that the text wraps."""


def _widths(
    sheet: Sheet, placed: list[Placed], merges: list[tuple[int, int, int, int]]
) -> list[float]:
    """Column widths: the sheet's grid, widened until every row caption and number shows on one
    line (captions up to 44 units; longer ones, indicator values and free text wrap)."""
    widths = list(sheet.widths)
    spans = {(r0, c0): (c1 - c0 + 1, r1 - r0 + 1) for r0, c0, r1, c1 in merges}
    for p in placed:
        cols, _rows = spans.get((p.row, p.col), (1, 1))
        kind = p.cell.kind
        if kind in (Kind.TEXT, Kind.HEAD):
            continue  # wraps; the row grows instead
        text = p.cell.text if kind != Kind.AMOUNT else f"{p.cell.value}"
        if not text:
            continue
        limit = WIDEST.get(kind, 14.0)
        need = min(display_width(text) + 2 * p.cell.indent + 2.0, limit)
        have = sum(widths[p.col - 1 : p.col - 1 + cols])
        if need > have:
            widths[p.col - 1 + cols - 1] += need - have
    return widths


def _lines(text: str, width: float) -> int:
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def _heights(
    placed: list[Placed], merges: list[tuple[int, int, int, int]], widths: list[float]
) -> dict[int, float]:
    """Row heights for wrapped text (Excel does not grow a row for a merged cell by itself)."""
    spans = {(r0, c0): (c1 - c0 + 1, r1 - r0 + 1) for r0, c0, r1, c1 in merges}
    heights: dict[int, float] = {}
    for p in placed:
        cols, rows = spans.get((p.row, p.col), (1, 1))
        text = p.cell.text
        if not text or rows > 1:
            continue
        width = sum(widths[p.col - 1 : p.col - 1 + cols])
        lines = _lines(text, width)
        if lines > 1:
            heights[p.row] = max(heights.get(p.row, 0.0), lines * ROW_HEIGHT + 3)
    return heights


# --- one sheet ------------------------------------------------------------------------------------


def _write_sheet(wb: Any, sheet: Sheet, st: _Styles, report: Report) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    ws = wb.create_sheet(sheet.name)
    ws.sheet_view.showGridLines = False
    n = sheet.columns
    placed, merges, end = cell_positions(sheet)

    ws.cell(row=1, column=1, value=sheet.label).font = st.label_font
    title = ws.cell(row=2, column=1, value=sheet.title)
    title.font = st.title_font
    title.alignment = st.center
    sub = ws.cell(row=3, column=1, value=_clean(sheet.subtitle))
    sub.font = st.font
    sub.alignment = st.left
    ws.row_dimensions[2].height = 30

    # borders first, on every cell of a ruled block (a merged range shows the borders of its cells)
    row = TITLE_ROWS + 1
    for block in sheet.blocks:
        if block.ruled:
            for r in range(row, row + len(block.rows)):
                for c in range(1, n + 1):
                    ws.cell(row=r, column=c).border = st.border
        row += len(block.rows)
    for p in placed:
        _write_cell(ws, p.row, p.col, p.cell, st)
    for r0, c0, r1, c1 in merges:
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)

    widths = _widths(sheet, placed, merges)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = round(w, 1)
    for r, h in _heights(placed, merges, widths).items():
        ws.row_dimensions[r].height = h

    row = end + 1
    total_width = sum(widths)
    for note in sheet.notes:
        c = ws.cell(row=row, column=1, value=_clean(note))
        c.font = st.font
        c.alignment = st.note
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        lines = _lines(note, total_width)
        if lines > 1:
            ws.row_dimensions[row].height = lines * ROW_HEIGHT + 3
        row += 1

    # A4 portrait, fitted to the page width, title rows on every page, 公文 margins.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(
        left=28 * MM, right=26 * MM, top=37 * MM, bottom=35 * MM, header=15 * MM, footer=20 * MM
    )
    ws.print_title_rows = f"1:{TITLE_ROWS}"
    ws.print_area = f"A1:{get_column_letter(n)}{max(row - 1, end)}"
    ws.oddFooter.center.text = "— &P —"
    ws.oddFooter.center.size = 14
    ws.oddFooter.center.font = "宋体,常规"


def _write_empty_projects(wb: Any, report: Report, st: _Styles) -> None:
    """附件3 when no project has a form: the sheet says so instead of being missing."""
    from perfdesk.office.tables import ATTACHMENT_TITLES, attachment_number, attachment_title

    n = attachment_number("projects")
    ws = wb.create_sheet(f"附件{n} {ATTACHMENT_TITLES[n - 1][1]}")
    ws.sheet_view.showGridLines = False
    ws.cell(row=1, column=1, value=f"附件{n}").font = st.label_font
    title = ws.cell(row=2, column=1, value=attachment_title("projects", report.year))
    title.font = st.title_font
    title.alignment = st.center
    ws.cell(row=4, column=1, value=NO_PROJECT_FORMS).font = st.font
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=9)
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=9)
    ws.column_dimensions["A"].width = 8
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


# --- the workbook ---------------------------------------------------------------------------------


def build_workbook(report: Report) -> Any:
    """The openpyxl ``Workbook`` of ``report``'s attachment tables."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    st = _Styles()
    sheets = forms(report)
    for sheet in sheets:
        _write_sheet(wb, sheet, st, report)
    if not any(s.key == "projects" for s in sheets):
        _write_empty_projects(wb, report, st)
    wb.properties.title = f"{report.title}（附件表）"
    wb.properties.creator = "perfdesk"
    wb.properties.subject = f"{REPORT_KIND_LABELS[report.kind]} 附件"
    wb.properties.keywords = "perfdesk"
    return wb


def xlsx_bytes(report: Report) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    out = io.BytesIO()
    build_workbook(report).save(out)
    return out.getvalue()


def write_xlsx(report: Report, path: str | os.PathLike[str]) -> None:
    """Write the workbook to ``path`` through a temporary file (the old file survives a failure)."""
    from perfdesk.files import check_target, write_atomic

    target = Path(path)
    check_target(target)
    write_atomic(target, xlsx_bytes(report))

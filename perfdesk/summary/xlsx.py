"""The 自评汇总 as an Excel workbook (openpyxl): the table, the 汇总分析 and the cross-unit 审核.

Sheet 自评汇总表 is laid out like the printed table — title, 主管部门 and 金额单位, two merged header
rows, a row per unit, 合计 and 平均 — with amounts and scores as numbers (format ``0.00``), rates as
percentages (``0.00%``), counts as whole numbers and blanks left empty (never 0). A spreadsheet
cell holds one number, so the row 填报单位数 under 平均 says over how many units each total and
average was taken. Print setup: A4 landscape, fit to one page wide, header rows repeated, panes
frozen below the header. Sheets 汇总分析 (one paragraph a row) and 汇总审核 (the findings and their
说明) follow.
"""

from __future__ import annotations

import io
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfdesk.files import FileWriteError, check_target, write_atomic
from perfdesk.summary.table import COLUMNS, Figure, Summary, table_note

FORMATS = {"amount": "0.00", "score": "0.00", "rate": "0.00%", "count": "0"}
WIDTHS = {"amount": 14, "score": 10, "rate": 10, "count": 8, "grade": 11, "text": 34}


class WorkbookWriteError(FileWriteError):
    """The workbook could not be written where asked (a Chinese message says why)."""


def _number(value: Any) -> Any:
    # openpyxl writes a Decimal's exact digits; a whole count stays an int.
    if isinstance(value, Decimal) and value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    return value


def workbook_bytes(summary: Summary) -> bytes:
    """The .xlsx of ``summary``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "自评汇总表"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    bold = Font(bold=True)
    ncols = len(COLUMNS) + 1

    ws.cell(1, 1, summary.title).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 30
    half = ncols // 2
    ws.cell(2, 1, f"主管部门（盖章）：{summary.supervisor}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=half)
    ws.cell(2, half + 1, "金额单位：万元").alignment = Alignment(horizontal="right")
    ws.merge_cells(start_row=2, start_column=half + 1, end_row=2, end_column=ncols)

    # two header rows, merged like the printed table
    ws.cell(3, 1, "序号")
    ws.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(COLUMNS, 2):
        if c.group:
            groups.setdefault(c.group, []).append(i)
            ws.cell(4, i, c.header)
        else:
            ws.cell(3, i, c.header)
            ws.merge_cells(start_row=3, start_column=i, end_row=4, end_column=i)
    for group, cols in groups.items():
        ws.cell(3, cols[0], group)
        ws.merge_cells(start_row=3, start_column=cols[0], end_row=3, end_column=cols[-1])
    for r in (3, 4):
        for col in range(1, ncols + 1):
            cell = ws.cell(r, col)
            cell.font, cell.alignment, cell.border = bold, centre, box

    row = 5
    for number, unit in enumerate(summary.rows, 1):
        ws.cell(row, 1, number)
        for i, c in enumerate(COLUMNS, 2):
            value = unit.value(c.key)
            cell = ws.cell(row, i, _number(value) if value is not None else None)
            if c.kind in FORMATS:
                cell.number_format = FORMATS[c.kind]
        row += 1

    totals, averages = summary.totals, summary.averages
    for title, figures in (("合计", totals), ("平均", averages)):
        ws.cell(row, 2, f"{title}（{summary.unit_count}个单位）").font = bold
        for i, c in enumerate(COLUMNS[1:], 3):
            fig: Figure | None = figures.get(c.key)
            if fig is not None and fig.value is not None:
                cell = ws.cell(row, i, _number(fig.value))
                cell.number_format = FORMATS.get(c.kind, "0.00")
        row += 1
    ws.cell(row, 2, "填报单位数").font = bold
    for i, c in enumerate(COLUMNS[1:], 3):
        fig = totals.get(c.key) or averages.get(c.key)
        if fig is not None and c.kind != "count":
            ws.cell(row, i, fig.units).number_format = "0"
    last = row
    for r in range(5, last + 1):
        for col in range(1, ncols + 1):
            cell = ws.cell(r, col)
            cell.border = box
            cell.alignment = left if col == 2 else centre

    note_row = last + 2
    ws.cell(note_row, 1, table_note(summary, "“填报单位数”行为这些单位的个数"))
    ws.cell(note_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=ncols)
    ws.row_dimensions[note_row].height = 75

    ws.column_dimensions["A"].width = 6
    for i, c in enumerate(COLUMNS, 2):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS[c.kind]
    ws.freeze_panes = "C5"
    ws.print_title_rows = "3:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True

    text = wb.create_sheet("汇总分析")
    text.column_dimensions["A"].width = 100
    text.cell(1, 1, summary.analysis_title).font = Font(bold=True, size=14)
    for r, line in enumerate((x for x in summary.analysis.splitlines() if x.strip()), 2):
        cell = text.cell(r, 1, line.strip())
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    text.page_setup.paperSize = text.PAPERSIZE_A4

    audit = wb.create_sheet("汇总审核")
    for col, (header, width) in enumerate(
        (("级别", 8), ("规则", 18), ("状态", 8), ("内容", 80), ("说明", 40)), 1
    ):
        audit.cell(1, col, header).font = bold
        audit.column_dimensions[get_column_letter(col)].width = width
    for r, f in enumerate(summary.findings, 2):
        audit.cell(r, 1, f.severity.value)
        audit.cell(r, 2, f.rule)
        audit.cell(r, 3, "已说明" if f.resolved_by is not None else "未处理")
        audit.cell(r, 4, f.message).alignment = Alignment(wrap_text=True)
        if f.resolved_by is not None:
            audit.cell(r, 5, f.resolved_by.text).alignment = Alignment(wrap_text=True)

    wb.properties.title = summary.title
    wb.properties.creator = "perfdesk"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_summary_xlsx(summary: Summary, path: str | os.PathLike[str]) -> None:
    """Write the workbook to ``path`` through a temporary file (the old file survives a failure)."""
    target = Path(path)
    check_target(target, WorkbookWriteError)
    write_atomic(target, workbook_bytes(summary), WorkbookWriteError)

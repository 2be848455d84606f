"""The attachment tables as an Excel workbook: laid out like the printed form, figures as numbers."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal as D

import openpyxl
import pytest

from perfdesk.office.tables import ATTACHMENT_TITLES, Kind, forms
from perfdesk.office.xlsx_export import cell_positions, display_width, xlsx_bytes
from tests.office.conftest import cell_right_of, find_cell
from tests.report.factory import filled_report


def _book(report):
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(report)))


def test_one_sheet_per_attachment_and_per_project_form():
    report = filled_report(projects=3)
    wb = _book(report)
    names = wb.sheetnames
    assert names[:2] == ["附件1 基础数据表", "附件2 整体支出绩效自评表"]
    assert [n.split(" ", 1)[0] for n in names[2:]] == ["附件3-1", "附件3-2", "附件3-3"]
    for ws, project in zip(wb.worksheets[2:], report.projects, strict=True):
        assert ws["A2"].value == "2024年度项目支出绩效自评表"
        assert find_cell(ws, project.name)


def test_a_report_without_project_forms_still_has_an_attachment_3_sheet():
    from perfdesk.sample import load_sample

    wb = _book(load_sample())
    assert wb.sheetnames[-1] == "附件3 项目支出绩效自评表"
    assert find_cell(wb.worksheets[-1], "（本年度无填报的项目支出绩效自评表。）")


def test_amounts_are_exact_numbers_shown_with_two_places():
    report = filled_report()
    report.control_line("three_public.reception").final = D("1.2345")
    wb = _book(report)
    cell = cell_right_of(wb["附件1 基础数据表"], "3、公务接待", 3)
    assert cell.data_type == "n" and cell.number_format == "0.00"
    # the file holds the Decimal's own digits (kept to the 元), not a float's
    data = zipfile.ZipFile(io.BytesIO(xlsx_bytes(report))).read("xl/worksheets/sheet1.xml")
    assert f'<c r="{cell.coordinate}"'.encode() in data
    assert b"<v>1.2345</v>" in data


def test_a_blank_figure_is_an_empty_cell_never_zero():
    report = filled_report()
    line = report.control_line("three_public.overseas")
    line.prior_final, line.budget, line.final = None, D("0"), None
    ws = _book(report)["附件1 基础数据表"]
    assert cell_right_of(ws, "2、出国经费", 1).value is None
    assert cell_right_of(ws, "2、出国经费", 2).value == 0  # a real zero stays 0
    assert cell_right_of(ws, "2、出国经费", 3).value is None


def test_rates_are_percentages_and_computed_cells_are_values():
    report = filled_report()
    ws = _book(report)["附件2 整体支出绩效自评表"]
    total = find_cell(ws, "年度资金总额")
    row = [c for c in ws[total.row]]
    rate = row[7]  # 执行率
    assert rate.number_format == "0.00%"
    line = report.budget_line("total")
    assert D(str(rate.value)) == (line.executed / line.full_year_budget).quantize(D("0.0001"))
    assert not any(c.data_type == "f" for r in ws.iter_rows() for c in r)  # no formulas


def test_merged_header_cells_and_borders_like_the_form():
    ws = _book(filled_report())["附件2 整体支出绩效自评表"]
    merged = {r.coord for r in ws.merged_cells.ranges}
    head = find_cell(ws, "绩效指标")
    assert any(m.startswith(head.coordinate + ":") for m in merged)  # 绩效指标 runs down its rows
    assert "A2:I2" in merged  # the title across the form
    assert head.border.left.style == "thin" and head.border.top.style == "thin"


def test_print_setup_is_a4_fitted_to_width_with_title_rows_repeated():
    for ws in _book(filled_report()).worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        if not ws.title.startswith("附件3 "):
            assert ws.print_title_rows.replace("$", "") == "1:3"


def test_column_widths_show_every_row_caption():
    from openpyxl.utils import get_column_letter

    report = filled_report()
    wb = _book(report)
    for sheet in forms(report):
        ws = wb[sheet.name]
        placed, merges, _ = cell_positions(sheet)
        spans = {(r0, c0): c1 - c0 + 1 for r0, c0, r1, c1 in merges}
        for p in placed:
            if p.cell.kind != Kind.LABEL or not p.cell.text or display_width(p.cell.text) > 40:
                continue
            cols = spans.get((p.row, p.col), 1)
            width = sum(
                ws.column_dimensions[get_column_letter(c)].width for c in range(p.col, p.col + cols)
            )
            assert width >= display_width(p.cell.text) + 2 * p.cell.indent, (
                sheet.name,
                p.cell.text,
            )


def test_text_that_begins_with_equals_is_kept_as_text():
    report = filled_report()
    report.frugality_measures = "=严格执行八项规定"
    ws = _book(report)["附件1 基础数据表"]
    cell = cell_right_of(ws, "厉行节约保障措施")
    assert cell.value == "=严格执行八项规定" and cell.data_type == "s"


def test_attachment_titles_agree_with_the_printout():
    from perfdesk.report.attachments import ATTACHMENTS

    assert [(a.key, a.title_pattern) for a in ATTACHMENTS] == [
        (key, pattern) for key, _, pattern in ATTACHMENT_TITLES
    ]


@pytest.mark.parametrize("name", ["项目[一]/二:三*四?五\\六", "很" * 40])
def test_any_project_name_gives_a_valid_sheet_name(name):
    report = filled_report(projects=1)
    report.projects[0].name = name
    wb = _book(report)
    assert len(wb.sheetnames[2]) <= 31 and not set("[]:*?/\\") & set(wb.sheetnames[2])


def test_a_form_not_fully_scored_shows_no_total_score_in_excel_or_word():
    """As on the printout: the scores there are do not make a 总分 (walkthrough: Excel and Word
    showed 9.68, the 预算执行率 score alone, as the total of an unscored report)."""
    import docx

    from perfdesk.exchange import jsonfile
    from perfdesk.office.docx_export import docx_bytes
    from tests.domain.test_audit_blanks import BLANKS

    report = jsonfile.loads(BLANKS.read_bytes())
    ws = _book(report)["附件2 整体支出绩效自评表"]
    total = find_cell(ws, "总分")
    values = [c.value for c in ws[total.row] if c.value is not None]
    assert values[0] == "总分" and "未完成评分" in values
    assert not any(isinstance(v, int | float) and v not in (100,) for v in values), values
    document = docx.Document(io.BytesIO(docx_bytes(report)))
    rows = [
        [c.text for c in row.cells]
        for table in document.tables
        for row in table.rows
        if row.cells[0].text == "总分"
    ]
    assert rows and all("未完成评分" in row and "自评等级：" not in "".join(row) for row in rows)
    scored = filled_report()  # every line scored: the total and the grade are there
    ws = _book(scored)["附件2 整体支出绩效自评表"]
    row = [c.value for c in ws[find_cell(ws, "总分").row] if c.value is not None]
    assert any(str(v).startswith("自评等级：") and "未完成" not in str(v) for v in row), row

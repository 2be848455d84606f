"""The .xlsx of the summary: values as numbers (blank stays empty), formats, layout, print setup."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfdesk.cli import main
from perfdesk.services import Workspace
from perfdesk.summary.table import COLUMNS
from perfdesk.summary.xlsx import write_summary_xlsx
from tests.summary.conftest import unit


def _exact(value: object) -> D:
    assert isinstance(value, int | float), value
    return D(str(value))


def test_the_workbook_holds_every_value_of_the_table(ws: Workspace, tmp_path: Path) -> None:
    ws.add_report(
        unit(
            "甲单位",
            initial="95.50",
            full="100.00",
            executed="90.00",
            score="5",
            three_public=("10.00", "8.00"),
            projects=2,
            forms=1,
        )
    )
    ws.add_report(unit("乙单位", initial=None, full="200.00", executed="199.99", score=None))
    summary = ws.summary(2024)
    path = tmp_path / "汇总.xlsx"
    write_summary_xlsx(summary, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["自评汇总表", "汇总分析", "汇总审核"]
    sheet = wb["自评汇总表"]
    assert sheet["A1"].value == "2024年度部门整体支出绩效自评汇总表"
    assert [sheet.cell(4, i).value for i in range(3, 6)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
    ]
    assert sheet.cell(3, 3).value == "年度资金（万元）"
    assert "C3:E3" in {str(r) for r in sheet.merged_cells.ranges}
    rows = {sheet.cell(r, 2).value: r for r in range(5, 5 + summary.unit_count)}

    jia = rows["甲单位"]
    values = {c.key: sheet.cell(jia, i).value for i, c in enumerate(COLUMNS, 2)}
    assert _exact(values["initial_budget"]) == D("95.50")
    assert _exact(values["executed"]) == D("90.00")
    assert _exact(values["execution_rate"]) == D("0.9")
    assert _exact(values["score"]) == D("94.00")
    assert values["grade"] == "优"
    assert _exact(values["three_public_completion"]) == D("0.8")
    assert (values["project_count"], values["project_forms"]) == (2, 1)
    assert sheet.cell(jia, 3).number_format == "0.00"
    assert sheet.cell(jia, 6).number_format == "0.00%"

    yi = rows["乙单位"]
    assert sheet.cell(yi, 3).value is None  # 年初预算数 not given: empty, not 0
    assert sheet.cell(yi, 7).value is None and sheet.cell(yi, 8).value == "未完成评分"

    total_row = 5 + summary.unit_count
    assert sheet.cell(total_row, 2).value == "合计（2个单位）"
    assert _exact(sheet.cell(total_row, 3).value) == D("95.50")
    assert _exact(sheet.cell(total_row, 5).value) == D("289.99")
    count_row = total_row + 2
    assert sheet.cell(count_row, 2).value == "填报单位数"
    assert sheet.cell(count_row, 3).value == 1  # 年初预算数: one unit gave it
    assert sheet.print_title_rows == "$3:$4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.freeze_panes == "C5"

    analysis = wb["汇总分析"]
    assert analysis["A2"].value == "一、基本情况"
    audit = wb["汇总审核"]
    assert audit["B2"].value == "units.unscored" and audit["C2"].value == "未处理"


def test_perfdesk_summary_writes_pdf_or_xlsx_and_lists_the_table(
    ws: Workspace, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws.add_report(unit("甲单位", executed="90.00"))
    ws.add_report(unit("甲单位", year=2023))
    ws.close()
    db = ["--db", str(db_path)]
    assert main(["summary", *db]) == 2
    assert "请用 --year 指定" in capsys.readouterr().err
    assert main(["summary", "--year", "2024", *db]) == 0
    out = capsys.readouterr().out
    assert "1\t甲单位\t100.00\t100.00\t90.00\t90.00%\t97.00\t优" in out
    assert "合计（1个单位）" in out and "汇总审核：未发现问题。" in out
    units = tmp_path / "应报单位.txt"
    units.write_text("甲单位\n乙单位\n", encoding="gb18030")  # Notepad on an older Windows
    xlsx = tmp_path / "汇总.xlsx"
    assert main(["summary", "--year", "2024", "--units", str(units), "-o", str(xlsx), *db]) == 0
    out = capsys.readouterr().out
    assert "已更新应报单位名单：2 个单位" in out
    assert "[错误] units.missing — 应报单位“乙单位”没有2024年度的部门整体支出绩效自评报告" in out
    assert load_workbook(xlsx)["自评汇总表"]["B5"].value == "甲单位"
    pdf = tmp_path / "汇总.pdf"
    assert main(["summary", "--year", "2024", "-o", str(pdf), *db]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main(["summary", "--year", "2024", "-o", str(tmp_path / "汇总.docx"), *db]) == 2
    assert "应以 .pdf 或 .xlsx 结尾" in capsys.readouterr().err

"""A project report in Word and Excel: its own cover, narrative and one form, as the PDF prints
them; its workbook read back cell by cell."""

from __future__ import annotations

import io
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from perfdesk.cli import main
from perfdesk.domain.model import Report
from perfdesk.office.docx_export import docx_bytes
from perfdesk.office.xlsx_export import xlsx_bytes
from perfdesk.office.xlsx_import import read_workbook
from perfdesk.report import standard_paragraphs
from perfdesk.services import Workspace
from tests.office.conftest import cell_right_of, edited
from tests.project.factory import project_report

SHEET = "附件 项目支出绩效自评表"


@pytest.fixture
def stored(db_path: Path) -> Any:
    ws = Workspace.open(db_path)
    rid = ws.add_report(project_report())
    yield ws, rid
    ws.close()


def _docx_text(report: Report) -> tuple[list[str], str]:
    document = docx.Document(io.BytesIO(docx_bytes(report)))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return paragraphs, "\n".join(cells)


def test_word_document_has_the_project_cover_narrative_and_one_unnumbered_form(
    report: Report,
) -> None:
    paragraphs, cells = _docx_text(report)
    assert paragraphs[:5] == [
        "2024年度项目支出",
        "绩效自评报告",
        "项目名称：高龄补贴",
        "项目单位：某区民政局（盖章）",
        "报告日期：2025年4月18日",
    ]
    for section in report.sections:
        for text in standard_paragraphs(report, section):
            assert text in paragraphs, text
    assert "附件：2024年度项目支出绩效自评表" in paragraphs
    assert paragraphs.count("附件") == 1 and "2024年度项目支出绩效自评表" in paragraphs
    assert "填表人：王五" in paragraphs[-1]
    for figure in ("699.14", "97.10%", "98.39", "自评等级"):
        assert figure in cells, figure
    for department in ("附件1", "附件2", "基础数据表", "整体支出绩效自评表", "三公经费"):
        assert not any(department in p for p in paragraphs), department
    props = docx.Document(io.BytesIO(docx_bytes(report))).core_properties
    assert props.subject == "项目支出绩效自评报告"


def test_workbook_has_the_one_form_and_reads_back_unchanged(stored: Any) -> None:
    ws, rid = stored
    report = ws.load(rid)
    data = xlsx_bytes(report)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [SHEET]
    assert cell_right_of(book[SHEET], "年度资金总额", 3).value == 699.14
    assert read_workbook(data, report, name="高龄补贴.xlsx").empty


def test_a_changed_cell_of_the_form_is_imported_from_the_command_line(
    stored: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws, rid = stored
    data = edited(
        xlsx_bytes(ws.load(rid)),
        lambda wb: setattr(cell_right_of(wb[SHEET], "上年结转资金", 3), "value", 20.5),
    )
    path = tmp_path / "高龄补贴.xlsx"
    path.write_bytes(data)
    ws.close()
    db = str(ws.path)
    assert main(["import", str(path), "--db", db, "--report", str(rid), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "上年结转资金" in out and "19.14" in out and "20.50" in out
    again = Workspace.open(db)
    try:
        sources = {s.key: s for s in again.load(rid).projects[0].sources}
        assert sources["prior_carryover"].executed == D("20.50")
    finally:
        again.close()

"""The printed 汇总分析 and 汇总表: the figures read back from the PDF, landscape table pages with
their header on every page, page numbers throughout, the same bytes for the same summary."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from perfdesk.domain import calc, scoring
from perfdesk.domain.audit import audit
from perfdesk.domain.numbers import format_amount, format_percent
from perfdesk.report import FontSet, shipped_fonts
from perfdesk.report.summary import build_summary_pdf, write_summary_pdf
from perfdesk.services import Workspace
from tests.summary.conftest import department, unit


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return shipped_fonts()


def _pdf(summary, fonts: FontSet) -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    build_summary_pdf(summary, out, fonts=fonts)
    return out.getvalue()


def _pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


def test_every_units_figures_are_printed_in_its_row(ws: Workspace, fonts: FontSet) -> None:
    reports = [
        unit(
            "甲单位",
            initial="95.50",
            full="100.00",
            executed="90.00",
            score="5",
            three_public=("10.00", "8.00"),
            projects=2,
            forms=1,
        ),
        unit("乙单位", initial=None, full="200.00", executed="199.99", score=None),
        unit("丙单位", initial="1234.56", full="1300.00", executed="1170.00", score="10"),
    ]
    for r in reports:
        ws.add_report(r)
    summary = ws.summary(2024)
    text = "".join(_pages(_pdf(summary, fonts)))
    order = [row.unit_name for row in summary.rows]
    for r in reports:
        n = order.index(r.unit_name) + 1
        total = r.budget_line("total")
        state = scoring.report_scoring(r)
        three = calc.three_public_line(r)
        cells = [
            format_amount(total.initial_budget),
            format_amount(total.full_year_budget),
            format_amount(total.executed),
            format_percent(total.executed / total.full_year_budget),
            format_amount(state.total) if state.complete else "",
            state.grade_text if state.complete else "未完成评分",
            str(sum(1 for f in audit(r) if f.severity.value == "错误")),
            str(sum(1 for f in audit(r) if f.severity.value == "提示")),
            format_amount(three.final),
            format_percent(three.final / three.budget) if three.budget else "",
            str(len(r.projects)),
            str(sum(1 for p in r.projects if p.indicators)),
        ]
        assert f"{n}{r.unit_name}{''.join(cells)}" in text, r.unit_name
    executed = sum((r.budget_line("total").executed for r in reports), D(0))
    assert f"合计（3个单位）{format_amount(D('95.50') + D('1234.56'))}（2）" in text
    assert format_amount(executed) in text
    assert "乙单位200.00199.99" in text  # 年初预算数 left blank, not 0.00


def test_table_pages_are_landscape_with_the_header_on_each(
    filled: Workspace, generated: list, fonts: FontSet
) -> None:
    pdf = _pdf(filled.summary(2024), fonts)
    reader = PdfReader(io.BytesIO(pdf))
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    landscape = [i for i, s in enumerate(sizes) if s == (842, 595)]
    assert sizes[0] == (595, 842) and len(landscape) >= 2  # portrait text, landscape table
    assert landscape == list(range(landscape[0], len(sizes)))
    pages = _pages(pdf)
    for i in landscape:
        assert "年初预算数全年预算数全年执行数" in pages[i], f"page {i + 1} has no header"
    for i, page in enumerate(pages, 1):
        assert f"—{i}—" in page, f"page {i} has no page number"
    names = [r.unit_name for r in department(generated)]
    table = "".join(pages[i] for i in landscape)
    assert all(name in table for name in names)


def test_the_analysis_is_printed_before_the_table_as_edited(ws: Workspace, fonts: FontSet) -> None:
    ws.add_report(unit("甲单位"))
    ws.update_summary_settings(2024, supervisor="株洲市芦淞区财政局")
    generated = _pages(_pdf(ws.summary(2024), fonts))
    assert "2024年度部门整体支出绩效自评结果汇总分析报告" in generated[0]
    assert "一、基本情况" in generated[0]
    assert "株洲市芦淞区财政局（盖章）" in "".join(generated)
    ws.update_summary_settings(2024, analysis="一、总体情况\n全部单位已按时报送自评报告。")
    edited = "".join(_pages(_pdf(ws.summary(2024), fonts)))
    assert "全部单位已按时报送自评报告。" in edited and "二、预算资金及执行情况" not in edited


def test_the_same_summary_prints_the_same_bytes(ws: Workspace, fonts: FontSet) -> None:
    ws.add_report(unit("甲单位"))
    summary = ws.summary(2024)
    assert _pdf(summary, fonts) == _pdf(summary, fonts)


def test_pdftotext_reads_the_table(ws: Workspace, fonts: FontSet, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:  # pragma: no cover - poppler-utils is a test requirement
        pytest.skip("pdftotext (poppler-utils) is needed")
    ws.add_report(unit("甲单位", initial="95.50", full="100.00", executed="90.00"))
    path = tmp_path / "汇总.pdf"
    write_summary_pdf(ws.summary(2024), path, fonts=fonts)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"1\s+甲单位\s+95\.50\s+100\.00\s+90\.00\s+90\.00%\s+97\.00\s+优", text)

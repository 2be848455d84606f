"""The printed tables read back from the PDF's geometry (pdfplumber): what a reviewer would see.

- no amount, rate or score is split over two lines in any table;
- no header cell leaves one character alone on its last line (the vertical 绩效指标 aside);
- every page's part of a table is closed by a rule across its whole width;
- an indicator table continued on a new page labels its first rows with their 一级/二级 指标;
- no page carries a single line of content (such as a placeholder sentence).

Each check is a function returning the problems it finds, run on the sample, the corrected
fixture, a report with 20 project forms, a report built from blanks and the stress report; and each
is shown to fail when a column is narrowed by hand.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from perfdesk.domain.model import Report
from perfdesk.exchange.jsonfile import loads
from perfdesk.report import tables
from perfdesk.sample import load_sample
from tests.report.conftest import PAGE_NUMBER, is_draft_mark
from tests.report.factory import stress_report, twenty_projects

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NUMBER = re.compile(r"^[0-9][0-9.,%]*$")
HEADER_FONT = "WenQuanYi"  # 黑体 of the shipped fonts: table headers


def _fixture(name: str) -> Report:
    return loads((FIXTURES / name).read_text(encoding="utf-8"))


def _lines(chars: list[dict]) -> list[str]:
    """The text of a cell's characters, line by line (top to bottom)."""
    rows: dict[int, list[dict]] = {}
    for ch in chars:
        rows.setdefault(round(ch["top"]), []).append(ch)
    out = []
    for top in sorted(rows):
        line = "".join(c["text"] for c in sorted(rows[top], key=lambda c: c["x0"])).strip()
        if line:
            out.append(line)
    return out


def _cells(page: pdfplumber.page.Page) -> list[tuple[tuple[float, ...], list[dict]]]:
    """Every ruled cell of the page with the characters inside it."""
    found = []
    chars = [c for c in page.chars if c["text"].strip()]
    for table in page.find_tables():
        for bbox in table.cells:
            x0, top, x1, bottom = bbox
            inside = [
                c
                for c in chars
                if x0 - 0.5 <= (c["x0"] + c["x1"]) / 2 <= x1 + 0.5
                and top - 0.5 <= (c["top"] + c["bottom"]) / 2 <= bottom + 0.5
            ]
            found.append((bbox, inside))
    return found


def split_numbers(pdf: pdfplumber.PDF) -> list[str]:
    problems = []
    for n, page in enumerate(pdf.pages, 1):
        for _, chars in _cells(page):
            lines = _lines(chars)
            if len(lines) > 1 and NUMBER.match("".join(lines)):
                problems.append(f"p{n}: {'/'.join(lines)}")
    return problems


def lone_header_characters(pdf: pdfplumber.PDF) -> list[str]:
    problems = []
    for n, page in enumerate(pdf.pages, 1):
        for _, chars in _cells(page):
            if not chars or not all(HEADER_FONT in c["fontname"] for c in chars):
                continue
            lines = _lines(chars)
            if len(lines) > 1 and len(lines[-1]) == 1 and any(len(x) > 1 for x in lines):
                problems.append(f"p{n}: {'/'.join(lines)}")
    return problems


def unclosed_tables(pdf: pdfplumber.PDF) -> list[str]:
    """Each run of vertical rules ends on a horizontal rule that spans it."""
    problems = []
    for n, page in enumerate(pdf.pages, 1):
        verticals = [e for e in page.edges if e["orientation"] == "v"]
        horizontals = [e for e in page.edges if e["orientation"] == "h"]
        ends: dict[int, list[float]] = {}
        for v in verticals:
            ends.setdefault(round(v["bottom"]), []).append(v["x0"])
        for bottom, xs in ends.items():
            left, right = min(xs), max(xs)
            if right - left < 1:
                continue
            covered = sorted(
                (h["x0"], h["x1"]) for h in horizontals if abs(h["top"] - bottom) <= 1.0
            )
            reach = left
            for x0, x1 in covered:
                if x0 <= reach + 1.0:
                    reach = max(reach, x1)
            if reach < right - 1.0:
                problems.append(f"p{n}: rules from x={left:.0f} to {right:.0f} open at y={bottom}")
    return problems


def unlabelled_continuations(pdf: pdfplumber.PDF) -> list[str]:
    problems = []
    for n, page in enumerate(pdf.pages, 1):
        for table in page.find_tables():
            rows = table.extract()
            if len(rows) < 2 or not rows[0] or "一级指标" not in "".join(c or "" for c in rows[0]):
                continue
            first = rows[1]
            if len(first) > 2 and not ((first[1] or "").strip() and (first[2] or "").strip()):
                problems.append(f"p{n}: first row {first[:4]}")
    return problems


def single_line_pages(pdf: pdfplumber.PDF) -> list[str]:
    problems = []
    for n, page in enumerate(pdf.pages, 1):
        lines = [
            line.strip()
            for line in (page.extract_text() or "").splitlines()
            if line.strip() and not PAGE_NUMBER.match(line.strip())
        ]
        lines = [line for line in lines if not is_draft_mark(line)]
        if len(lines) <= 1:
            problems.append(f"p{n}: {lines}")
    return problems


CHECKS: list[Callable[[pdfplumber.PDF], list[str]]] = [
    split_numbers,
    lone_header_characters,
    unclosed_tables,
    unlabelled_continuations,
    single_line_pages,
]

REPORTS: dict[str, Callable[[], Report]] = {
    "sample": load_sample,
    "corrected": lambda: _fixture("sample_corrected.json"),
    "twenty_projects": twenty_projects,
    "blanks": lambda: _fixture("blanks_report.json"),
    "stress_40": lambda: stress_report(40, 5),
}


@pytest.fixture(scope="module")
def printed(fonts) -> Callable[[str], pdfplumber.PDF]:  # type: ignore[no-untyped-def]
    from perfdesk.report import build_pdf

    cache: dict[str, pdfplumber.PDF] = {}

    def get(name: str) -> pdfplumber.PDF:
        if name not in cache:
            out = io.BytesIO()
            build_pdf(REPORTS[name](), out, fonts=fonts)
            cache[name] = pdfplumber.open(io.BytesIO(out.getvalue()))
        return cache[name]

    return get


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("name", list(REPORTS))
def test_printed_tables_have_no_defect(printed, name: str, check) -> None:  # type: ignore[no-untyped-def]
    assert check(printed(name)) == []


def test_the_checks_read_real_tables(printed) -> None:  # type: ignore[no-untyped-def]
    pdf = printed("sample")
    cells = [cell for page in pdf.pages for cell in _cells(page)]
    assert len(cells) > 300
    numbers = [_lines(chars) for _, chars in cells if NUMBER.match("".join(_lines(chars)))]
    assert ["4532.05"] in numbers and ["94"] in numbers


@pytest.mark.slow
def test_the_full_stress_report_has_no_defect(fonts) -> None:  # type: ignore[no-untyped-def]
    from perfdesk.report import build_pdf

    out = io.BytesIO()
    build_pdf(stress_report(), out, fonts=fonts)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        for check in CHECKS:
            assert check(pdf) == [], check.__name__


def _narrowed(monkeypatch: pytest.MonkeyPatch, column: Callable[[list[str]], int]) -> None:
    """Fitted widths, then one column narrowed by hand (its width given to the first column)."""
    fit = tables.fit_widths

    def narrowed(kinds, weights, mins, wants, areas, total, typical=None):  # type: ignore[no-untyped-def]
        widths = fit(kinds, weights, mins, wants, areas, total, typical)
        i = column(list(kinds))
        if i >= 0:
            cut = widths[i] * 0.5
            widths[i] -= cut
            widths[0] += cut
        return widths

    monkeypatch.setattr(tables, "fit_widths", narrowed)


def _build(report: Report, fonts) -> pdfplumber.PDF:  # type: ignore[no-untyped-def]
    from perfdesk.report import build_pdf

    out = io.BytesIO()
    build_pdf(report, out, fonts=fonts)
    return pdfplumber.open(io.BytesIO(out.getvalue()))


def test_a_number_column_narrowed_by_hand_is_caught(fonts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The last amount/score column of every table loses half its width.
    _narrowed(
        monkeypatch, lambda kinds: max((i for i, k in enumerate(kinds) if k == "num"), default=-1)
    )
    problems = split_numbers(_build(load_sample(), fonts))
    assert problems and any("." in p for p in problems)


def test_a_header_column_narrowed_by_hand_is_caught(fonts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Headers break between their words only while the column holds the widest word.
    _narrowed(monkeypatch, lambda kinds: 1 if len(kinds) == 4 and kinds[1] == "num" else -1)
    assert lone_header_characters(_build(load_sample(), fonts))


def test_an_unclosed_or_unlabelled_page_is_caught(fonts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tables._FormTable, "_splitRows", tables.Table._splitRows)  # ReportLab's own
    style = tables.Form._style

    def without_closing_rule(self, font):  # type: ignore[no-untyped-def]
        return [c for c in style(self, font) if c[1] != (0, "splitlast")]

    monkeypatch.setattr(tables.Form, "_style", without_closing_rule)
    pdf = _build(load_sample(), fonts)
    assert unclosed_tables(pdf)
    assert unlabelled_continuations(pdf)

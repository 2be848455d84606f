"""Shared helpers for the printout tests: build with the shipped fonts, read the text back."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from perfdesk.domain.model import Report
from perfdesk.report import DRAFT_MARK, BuildInfo, FontSet, build_pdf, shipped_fonts

PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    """The shipped fonts only, so that the output does not depend on the machine's fonts."""
    return shipped_fonts()


def is_draft_mark(line: str) -> bool:
    """The draft header line or the 草稿 watermark (see perfdesk.report.document)."""
    return line.startswith(DRAFT_MARK) or line == "草稿"


def page_lines(page_text: str, *, marks: bool = False) -> list[str]:
    """A page's extracted lines, stripped, without empty lines (and without the draft marks,
    unless ``marks``: tests read the report's own text; the golden pages keep them)."""
    lines = [line.strip() for line in page_text.splitlines() if line.strip()]
    return lines if marks else [line for line in lines if not is_draft_mark(line)]


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def flat_text(pdf: bytes) -> str:
    """All text with line breaks and page numbers removed: a wrapped sentence reads whole."""
    out = []
    for text in pages_text(pdf):
        out += [line for line in page_lines(text) if not PAGE_NUMBER.match(line)]
    return "".join(out)


@pytest.fixture
def build(fonts: FontSet) -> Callable[[Report], tuple[bytes, BuildInfo]]:
    def _build(report: Report) -> tuple[bytes, BuildInfo]:
        out = io.BytesIO()
        info = build_pdf(report, out, fonts=fonts)
        return out.getvalue(), info

    return _build

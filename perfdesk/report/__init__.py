"""The printed report: the 自评报告 with its three attachments, as a PDF built with ReportLab.

Public entry points::

    build_pdf(report, out) -> BuildInfo          # into a stream or a path
    write_pdf_atomic(report, path) -> BuildInfo  # temporary file, replaced only when complete
    standard_paragraphs(report, section) -> list[str]  # what the program writes under a section

With 错误 open the PDF is a marked draft; ``final=True`` refuses (:class:`OpenErrors`).

All read a :class:`~perfdesk.domain.model.Report` snapshot; no database and no window.
"""

from perfdesk.report.body import standard_paragraphs
from perfdesk.report.document import (
    DRAFT_MARK,
    BuildInfo,
    OpenErrors,
    PdfWriteError,
    build_pdf,
    open_errors,
    write_pdf_atomic,
)
from perfdesk.report.fonts import FontSet, resolve_fonts, shipped_fonts

__all__ = [
    "DRAFT_MARK",
    "BuildInfo",
    "OpenErrors",
    "FontSet",
    "PdfWriteError",
    "build_pdf",
    "open_errors",
    "resolve_fonts",
    "shipped_fonts",
    "standard_paragraphs",
    "write_pdf_atomic",
]

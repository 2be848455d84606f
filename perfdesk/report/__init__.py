"""The printed report: the 自评报告 with its three attachments, as a PDF built with ReportLab.

Public entry points::

    build_pdf(report, out) -> BuildInfo          # into a stream or a path
    write_pdf_atomic(report, path) -> BuildInfo  # temporary file, replaced only when complete

Both read a :class:`~perfdesk.domain.model.Report` snapshot; no database and no window.
"""

from perfdesk.report.document import BuildInfo, PdfWriteError, build_pdf, write_pdf_atomic
from perfdesk.report.fonts import FontSet, resolve_fonts, shipped_fonts

__all__ = [
    "BuildInfo",
    "FontSet",
    "PdfWriteError",
    "build_pdf",
    "resolve_fonts",
    "shipped_fonts",
    "write_pdf_atomic",
]

"""The printed report: the 自评报告 with its three attachments, as a PDF built with ReportLab.

Public entry points::

    build_pdf(report, out) -> BuildInfo          # into a stream or a path
    write_pdf_atomic(report, path) -> BuildInfo  # temporary file, replaced only when complete

Both read a :class:`~perfdesk.domain.model.Report` snapshot; no database and no window.
"""

from perfdesk.domain.model import Report, Section
from perfdesk.report.document import BuildInfo, PdfWriteError, build_pdf, write_pdf_atomic
from perfdesk.report.fonts import FontSet, resolve_fonts, shipped_fonts


def standard_paragraphs(report: Report, section: Section) -> list[str]:
    """The paragraphs the program writes from the figures for this place in the outline (the
    printout's; the Word export uses them too, so both say the same)."""
    from perfdesk.report.body import _generated

    return _generated(report, section)


__all__ = [
    "BuildInfo",
    "FontSet",
    "PdfWriteError",
    "build_pdf",
    "resolve_fonts",
    "shipped_fonts",
    "standard_paragraphs",
    "write_pdf_atomic",
]

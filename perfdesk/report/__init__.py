"""The printed report: the 自评报告 with its three attachments, as a PDF built with ReportLab.

Public entry points::

    build_pdf(report, out) -> BuildInfo          # into a stream or a path
    write_pdf_atomic(report, path) -> BuildInfo  # temporary file, replaced only when complete
    standard_paragraphs(report, section) -> list[str]  # what the program writes in a section

Both read a :class:`~perfdesk.domain.model.Report` snapshot; no database and no window.
"""

from perfdesk.domain.model import Report, Section
from perfdesk.report.document import BuildInfo, PdfWriteError, build_pdf, write_pdf_atomic
from perfdesk.report.fonts import FontSet, resolve_fonts, shipped_fonts


def standard_paragraphs(report: Report, section: Section) -> list[str]:
    """The standard paragraphs the printout writes from the figures at ``section`` (may be [])."""
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

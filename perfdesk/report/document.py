"""Building the PDF: page templates, page numbers, metadata, and writing the file safely.

``build_pdf`` turns a :class:`~perfdesk.domain.model.Report` snapshot into the printed report
(no database, no window). ``write_pdf_atomic`` writes it through a temporary file in the target's
folder that replaces the target only when complete, so a failure never leaves a half-written or
missing report behind.

The PDF prints at 100 % (``PrintScaling`` None), carries the report's title and the unit as
author, contains no local file paths, and is byte-for-byte the same for the same data
(ReportLab's ``invariant`` mode fixes the dates and the document id).
"""

from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from perfdesk.domain.model import Report
from perfdesk.files import FileWriteError, check_target, write_atomic
from perfdesk.report import body
from perfdesk.report.attachments import BUILDERS
from perfdesk.report.fonts import PLACEHOLDER, FontSet, resolve_fonts
from perfdesk.report.styles import (
    BOTTOM,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    LEFT,
    PAGE_HEIGHT,
    PAGE_NUMBER_GAP,
    PAGE_NUMBER_ROLE,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    RIGHT,
)
from perfdesk.report.text import Typesetter


@dataclass
class BuildInfo:
    """What a build produced and what the clerk should know about it."""

    page_count: int
    fonts: dict[str, str]  # role (仿宋…) → the font that printed it
    fallbacks: list[str] = field(default_factory=list)  # one Chinese sentence per fallback font
    font_summary: str = ""  # the fallbacks in one line ("" when the PC's own fonts were used)
    replaced: dict[str, int] = field(default_factory=dict)  # character → times replaced by □

    @property
    def warnings(self) -> list[str]:
        """Lines the CLI and the app show after a build (empty when nothing needs saying)."""
        lines = [self.font_summary] if self.font_summary else []
        if self.replaced:
            sample = "、".join(f"“{c}”(U+{ord(c):04X})" for c in list(self.replaced)[:5])
            count = sum(self.replaced.values())
            lines.append(
                f"有 {count} 个字符没有可用的字体（如 {sample}），已以“{PLACEHOLDER}”代替打印。"
            )
        return lines


class PdfWriteError(FileWriteError):
    """The PDF could not be written where asked; the message says why in Chinese."""


# --- the document --------------------------------------------------------------------------------


class _Document(BaseDocTemplate):
    def __init__(self, out: BinaryIO, report: Report, ts: Typesetter) -> None:
        super().__init__(
            out,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=LEFT,
            rightMargin=RIGHT,
            topMargin=PAGE_HEIGHT - BOTTOM - FRAME_HEIGHT,
            bottomMargin=BOTTOM,
            title=report.title,
            author=report.unit_name,
            subject="部门（单位）整体支出绩效自评报告",
            creator="perfdesk",
            producer="perfdesk (ReportLab)",
            keywords="",
            invariant=1,
            printScaling="None",
            displayDocTitle=1,
            lang="zh-CN",
            initialFontName=ts.fonts.face("fangsong").name,
            initialFontSize=16,
            initialLeading=28.95,
        )
        self.ts = ts
        frame = Frame(
            LEFT,
            BOTTOM,
            FRAME_WIDTH,
            FRAME_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="text",
        )
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame]),
                PageTemplate("body", [frame], onPage=self._page_number),
            ]
        )

    def beforeDocument(self) -> None:  # noqa: N802 - ReportLab's hook
        self.canv.showOutline()

    def _page_number(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """``— N —`` in 4号宋体 below the text block: odd pages right, even pages left, one character in."""
        n = canv.getPageNumber() - 1  # the cover is not numbered
        text = f"— {n} —"
        shaped = self.ts.shape(text, PAGE_NUMBER_ROLE, PAGE_NUMBER_SIZE)
        width = sum(shaped.widths)
        y = BOTTOM - PAGE_NUMBER_GAP - 0.88 * PAGE_NUMBER_SIZE
        if n % 2:
            x = LEFT + FRAME_WIDTH - PAGE_NUMBER_SIZE - width
        else:
            x = LEFT + PAGE_NUMBER_SIZE
        tx = canv.beginText(x, y)
        start = 0
        for j in range(len(shaped.chars) + 1):
            if j == len(shaped.chars) or shaped.faces[j] is not shaped.faces[start]:
                if j > start:
                    tx.setFont(shaped.faces[start].name, PAGE_NUMBER_SIZE)
                    tx.textOut(shaped.chars[start:j])
                start = j
        canv.drawText(tx)


_build_lock = threading.Lock()  # ReportLab's TrueType fonts keep per-document state


def build_pdf(
    report: Report, out: BinaryIO | str | os.PathLike[str], *, fonts: FontSet | None = None
) -> BuildInfo:
    """Print ``report`` as a PDF into ``out`` (a binary stream or a path, written directly).

    ``fonts`` defaults to the PC's own fonts with the shipped ones as fallback
    (:func:`~perfdesk.report.fonts.resolve_fonts`). Use :func:`write_pdf_atomic` to write a file
    the clerk may have open.
    """
    fontset = fonts or resolve_fonts()
    if not isinstance(out, (str, os.PathLike)):
        return _build(report, out, fontset)
    buffer = io.BytesIO()
    info = _build(report, buffer, fontset)
    with open(out, "wb") as f:
        f.write(buffer.getvalue())
    return info


def _build(report: Report, out: BinaryIO, fontset: FontSet) -> BuildInfo:
    with _build_lock:
        ts = Typesetter(fontset)
        doc = _Document(out, report, ts)
        doc.build(body.story(ts, report, BUILDERS))
        return BuildInfo(
            page_count=doc.page,
            fonts=fontset.describe(),
            fallbacks=list(fontset.notes),
            font_summary=fontset.summary(),
            replaced=dict(ts.replaced),
        )


# --- writing a file safely -----------------------------------------------------------------------


def write_pdf_atomic(
    report: Report, path: str | os.PathLike[str], *, fonts: FontSet | None = None
) -> BuildInfo:
    """Build the PDF and put it at ``path`` only when complete; the old file is intact on failure.

    Raises :class:`PdfWriteError` (an ``InputError`` with a Chinese message) for a missing folder,
    a read-only file, a file held open by another program, or a full disk.
    """
    target = Path(path)
    check_target(target, PdfWriteError)  # fail before spending time on the build
    buffer = io.BytesIO()
    info = _build(report, buffer, fonts or resolve_fonts())
    write_atomic(target, buffer.getvalue(), PdfWriteError)
    return info

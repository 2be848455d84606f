"""Building the PDF: page templates, page numbers, metadata, and writing the file safely.

``build_pdf`` turns a :class:`~perfdesk.domain.model.Report` snapshot into the printed report
(no database, no window). ``write_pdf_atomic`` writes it through a temporary file in the target's
folder that replaces the target only when complete, so a failure never leaves a half-written or
missing report behind.

The PDF prints at 100 % (``PrintScaling`` None), carries the report's title and the unit as
author, contains no local file paths, and is byte-for-byte the same for the same data: its
creation and modification dates are the report's 报告日期 (deterministic and meaningful; a report
without one keeps ReportLab's fixed ``invariant`` date), and the document id is fixed.

**Draft or final.** Every build runs the 审核. While a 错误 is neither fixed nor explained, the PDF
is a *draft*: every page carries the line :data:`DRAFT_MARK` above the text block and a light
diagonal 草稿 across it, and :attr:`BuildInfo.open_errors` lists the errors. Asked for the final
copy (``final=True``) with errors open, the build refuses with :class:`OpenErrors`, naming them;
once every 错误 is fixed or explained the PDF is unmarked.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from perfdesk.domain.model import REPORT_KIND_LABELS, Report, ReportKind
from perfdesk.domain.numbers import InputError
from perfdesk.files import FileWriteError, check_target, write_atomic
from perfdesk.report import body, project_report
from perfdesk.report.attachments import BUILDERS, Later
from perfdesk.report.fonts import HEITI, PLACEHOLDER, FontSet, resolve_fonts
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
    TOP,
)
from perfdesk.report.text import Typesetter, line_code


@dataclass
class BuildInfo:
    """What a build produced and what the clerk should know about it."""

    page_count: int
    fonts: dict[str, str]  # role (仿宋…) → the font that printed it
    fallbacks: list[str] = field(default_factory=list)  # one Chinese sentence per fallback font
    font_summary: str = ""  # the fallbacks in one line ("" when the PC's own fonts were used)
    replaced: dict[str, int] = field(default_factory=dict)  # character → times replaced by □
    open_errors: list[str] = field(default_factory=list)  # the 错误 not fixed nor explained

    @property
    def draft(self) -> bool:
        """The PDF carries the draft mark (a 错误 is open)."""
        return bool(self.open_errors)

    @property
    def warnings(self) -> list[str]:
        """Lines the CLI and the app show after a build (empty when nothing needs saying)."""
        lines = []
        if self.open_errors:
            lines.append(
                f"审核还有 {len(self.open_errors)} 项错误未改正或说明，"
                f"PDF 为草稿，每页标有“{DRAFT_MARK}”。"
            )
        if self.font_summary:
            lines.append(self.font_summary)
        if self.replaced:
            sample = "、".join(f"“{c}”(U+{ord(c):04X})" for c in list(self.replaced)[:5])
            count = sum(self.replaced.values())
            lines.append(
                f"有 {count} 个字符没有可用的字体（如 {sample}），已以“{PLACEHOLDER}”代替打印。"
            )
        return lines


class PdfWriteError(FileWriteError):
    """The PDF could not be written where asked; the message says why in Chinese."""


DRAFT_MARK = "审核未通过 · 草稿"
"""Printed above the text block of every page while a 错误 is open."""


class OpenErrors(InputError):
    """The final copy was asked for while 错误 are open; ``errors`` are their messages."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        listed = "；".join(errors[:3]) + ("等" if len(errors) > 3 else "")
        super().__init__(
            f"审核还有 {len(errors)} 项错误未改正或说明（{listed}），不能打印正式版。"
            "请改正这些错误或为其添加说明后再打印；也可以先打印草稿。"
        )


def open_errors(report: Report, previous: Report | None = None) -> list[str]:
    """The 审核's 错误 that are neither fixed nor explained, as one message each."""
    from perfdesk.domain.audit import audit, unresolved_errors

    return [f.message for f in unresolved_errors(audit(report, previous))]


# --- the document --------------------------------------------------------------------------------


class _Document(BaseDocTemplate):
    def __init__(
        self, out: BinaryIO, report: Report, ts: Typesetter, errors: list[str] | None = None
    ) -> None:
        super().__init__(
            out,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=LEFT,
            rightMargin=RIGHT,
            topMargin=PAGE_HEIGHT - BOTTOM - FRAME_HEIGHT,
            bottomMargin=BOTTOM,
            title=report.title,
            author=report.unit_name,
            subject=REPORT_KIND_LABELS[report.kind],
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
        self._lines: dict[tuple, str] = {}  # a line drawn on the pages → its operators
        self.errors = errors or []
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
                PageTemplate("cover", [frame], onPage=self._draft_mark),
                PageTemplate("body", [frame], onPage=self._body_page),
            ]
        )
        self.report_date = report.report_date

    def filterFlowables(self, flowables: list[Flowable]) -> None:  # noqa: N802 - ReportLab's hook
        """What is made only now (:class:`Later`: 附件3's forms) is made before the next flowable
        is laid out — and before a flowable kept with the next is grouped with it."""
        i = 0
        while i < len(flowables):
            f = flowables[i]
            if isinstance(f, Later):
                flowables[i : i + 1] = f.make()
                continue
            if f is None or not f.getKeepWithNext():
                break
            i += 1

    def beforeDocument(self) -> None:  # noqa: N802 - ReportLab's hook
        self.canv.showOutline()
        if self.report_date is not None:
            # The PDF's dates are the report's date (ReportLab's invariant mode would say 2000).
            stamp = dt.datetime.combine(self.report_date, dt.time(0, 0)).strftime(
                "D:%Y%m%d%H%M%S+08'00'"
            )
            self.canv._doc.info._dateFormatter = lambda *_: stamp

    def _body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._page_number(canv, doc)
        self._draft_mark(canv, doc)

    def _draft_mark(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """While 错误 are open: a line above the text block and a light 草稿 across the page."""
        if not self.errors:
            return
        canv.saveState()
        size = 10.5
        text = f"{DRAFT_MARK}（审核还有 {len(self.errors)} 项错误未改正或说明，不能作为正式报告）"
        self._draw(canv, text, HEITI, size, LEFT, PAGE_HEIGHT - TOP + 9 * mm_pt)
        canv.setFillColor(Color(0, 0, 0, alpha=0.08))
        canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canv.rotate(35)
        big = 150.0
        canv.setFont(self.ts.fonts.face(HEITI).name, big)  # 草稿: in every 黑体, shipped or not
        canv.drawCentredString(0, -0.35 * big, "草稿")
        canv.restoreState()

    def _draw(self, canv: Canvas, text: str, role: str, size: float, x: float, y: float) -> None:
        shaped = self.ts.shape(text, role, size)  # (counts the characters replaced, every page)
        key = (text, role, size, x, y)  # the draft line is the same on every page: set it once
        code = self._lines.get(key)
        if code is None:
            code = self._lines[key] = line_code(canv._doc, shaped, size, x, y)
        canv._code.append(code)

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
        self._draw(canv, text, PAGE_NUMBER_ROLE, PAGE_NUMBER_SIZE, x, y)


mm_pt = 72 / 25.4  # one millimetre in points
_build_lock = threading.Lock()  # ReportLab's TrueType fonts keep per-document state


def build_pdf(
    report: Report,
    out: BinaryIO | str | os.PathLike[str],
    *,
    fonts: FontSet | None = None,
    final: bool = False,
    previous: Report | None = None,
) -> BuildInfo:
    """Print ``report`` as a PDF into ``out`` (a binary stream or a path, written directly).

    ``fonts`` defaults to the PC's own fonts with the shipped ones as fallback
    (:func:`~perfdesk.report.fonts.resolve_fonts`). With 错误 open the PDF is marked as a draft;
    ``final=True`` refuses then (:class:`OpenErrors`). ``previous`` is last year's report for the
    审核 across years. Use :func:`write_pdf_atomic` to write a file the clerk may have open.
    """
    fontset = fonts or resolve_fonts()
    errors = _checked(report, final, previous)
    if not isinstance(out, (str, os.PathLike)):
        return _build(report, out, fontset, errors)
    buffer = io.BytesIO()
    info = _build(report, buffer, fontset, errors)
    with open(out, "wb") as f:
        f.write(buffer.getvalue())
    return info


def _checked(report: Report, final: bool, previous: Report | None) -> list[str]:
    errors = open_errors(report, previous)
    if final and errors:
        raise OpenErrors(errors)
    return errors


def _build(report: Report, out: BinaryIO, fontset: FontSet, errors: list[str]) -> BuildInfo:
    with _build_lock, _collector_paused():
        ts = Typesetter(fontset)
        try:
            doc = _Document(out, report, ts, errors)
            if report.kind == ReportKind.PROJECT:
                doc.build(project_report.story(ts, report))
            else:
                doc.build(body.story(ts, report, BUILDERS))
        finally:
            ts.forget()
        return BuildInfo(
            page_count=doc.page,
            fonts=fontset.describe(),
            fallbacks=list(fontset.notes),
            font_summary=fontset.summary(),
            replaced=dict(ts.replaced),
            open_errors=list(errors),
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a PDF is built.

    A build allocates much and frees little before its end: every page's flowables and cells
    live until they are drawn, the measurements until the last page. At Python's thresholds the
    collector walks them again and again as they pile up — a fifth of the stress report's build,
    and more the longer the report, so that the time grew faster than the rows
    (tests/benchmarks/bench_pdf.py). What the build leaves is freed by reference counting (its
    caches are dropped at the end, :meth:`Typesetter.forget`); the collector is put back as it
    was, also when the build fails.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- writing a file safely -----------------------------------------------------------------------


def write_pdf_atomic(
    report: Report,
    path: str | os.PathLike[str],
    *,
    fonts: FontSet | None = None,
    final: bool = False,
    previous: Report | None = None,
) -> BuildInfo:
    """Build the PDF and put it at ``path`` only when complete; the old file is intact on failure.

    Raises :class:`PdfWriteError` (an ``InputError`` with a Chinese message) for a missing folder,
    a read-only file, a file held open by another program, or a full disk; :class:`OpenErrors`
    for ``final=True`` with 错误 open (nothing is written then).
    """
    target = Path(path)
    check_target(target, PdfWriteError)  # fail before spending time on the build
    errors = _checked(report, final, previous)
    buffer = io.BytesIO()
    info = _build(report, buffer, fonts or resolve_fonts(), errors)
    write_atomic(target, buffer.getvalue(), PdfWriteError)
    return info

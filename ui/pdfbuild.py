"""Building the report's PDF off the UI thread, and printing it at 100 %.

The builder (``perfdesk.report.build_pdf``) works on a plain snapshot, so a QRunnable can build
the bytes on a pool thread while the clerk keeps typing; only the newest result is shown.
"""

from __future__ import annotations

import io
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

BUILDER_MISSING = "打印预览暂不可用：本版本尚未包含报告排版组件（perfdesk.report.build_pdf）。"


def builder() -> Any | None:
    """``perfdesk.report.build_pdf`` if this installation has it."""
    try:
        from perfdesk import report as report_pkg
    except ImportError:
        return None
    fn = getattr(report_pkg, "build_pdf", None)
    if fn is None:
        try:
            import importlib

            fn = getattr(importlib.import_module("perfdesk.report.builder"), "build_pdf", None)
        except ImportError:
            fn = None
    return fn


def build_pdf_bytes(report: Any) -> bytes:
    fn = builder()
    if fn is None:
        raise RuntimeError(BUILDER_MISSING)
    out = io.BytesIO()
    fn(report, out)
    return out.getvalue()


class PdfSignals(QObject):
    done = Signal(int, bytes, str)  # generation, pdf bytes, error message ("" when fine)


class PdfJob(QRunnable):
    """Build the PDF of ``report`` on a pool thread; report back with ``generation``."""

    def __init__(self, report: Any, generation: int, signals: PdfSignals) -> None:
        super().__init__()
        self.report, self.generation, self.signals = report, generation, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            data = build_pdf_bytes(self.report)
            error = ""
        except Exception as exc:  # noqa: BLE001 - shown in the preview, never a crash
            data, error = b"", f"无法生成报告：{exc}"
        try:
            self.signals.done.emit(self.generation, data, error)
        except RuntimeError:  # the window closed while this build ran: nobody waits for it
            pass


def print_pdf(pdf_document: Any, printer: Any) -> int:
    """Paint every page of a loaded QPdfDocument on ``printer`` at 100 % (no fit-to-page).

    Pages are rendered at the printer's resolution (capped at 300 dpi to bound memory) and
    drawn at their own size in points, so a 10.5 pt line prints 10.5 pt tall. Returns pages printed.
    """
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPageLayout, QPainter

    printer.setFullPage(True)
    dpi = min(printer.resolution(), 300)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("无法开始打印：打印机不可用")
    try:
        count = pdf_document.pageCount()
        device_dpi = printer.resolution()
        for page in range(count):
            if page:
                printer.newPage()
            size_pt = pdf_document.pagePointSize(page)
            px = QSize(round(size_pt.width() / 72 * dpi), round(size_pt.height() / 72 * dpi))
            image = pdf_document.render(page, px)
            target = QRectF(
                0, 0, size_pt.width() / 72 * device_dpi, size_pt.height() / 72 * device_dpi
            )
            painter.drawImage(target, image)
        _ = QPageLayout  # orientation follows the printer's page layout chosen in the dialog
        return count
    finally:
        painter.end()

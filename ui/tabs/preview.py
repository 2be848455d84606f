"""打印预览: the real PDF of the current data (QtPdf), rebuilt off the UI thread after edits.

Edits restart a short debounce; when it fires (and the tab is visible) a pool thread builds the
PDF from the snapshot. Typing is never blocked, and only the newest build is shown.
"""

from __future__ import annotations

from typing import Any

from perfdesk_ui.pdfbuild import BUILDER_MISSING, PdfJob, PdfSignals, builder
from perfdesk_ui.tabs.base import EditorTab
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from perfdesk.domain import model as m

DEBOUNCE_MS = 300


class PreviewTab(EditorTab):
    title = "打印预览"
    rendered = Signal(int)  # page count of the PDF now shown

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel("")
        self.status.setStyleSheet("color: #606060; padding: 2px 8px;")
        layout.addWidget(self.status)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)
        self.placeholder = QLabel("")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #505050; font-size: 15px;")
        self.stack.addWidget(self.placeholder)
        self.pdf_document: Any = None  # QPdfDocument, made on first use (QtPdf loads lazily)
        self.view: Any = None
        self._buffer: QBuffer | None = None
        self._report: m.Report | None = None
        self._generation = 0
        self._shown_generation = -1
        self.signals = PdfSignals()
        self.signals.done.connect(self._built)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.rebuild)

    def _ensure_view(self) -> None:
        if self.view is not None:
            return
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.pdf_document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.pdf_document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.stack.addWidget(self.view)

    def refresh(self, report: m.Report | None) -> None:
        self._report = report
        self._generation += 1
        if self.isVisible():
            self.timer.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._shown_generation != self._generation:
            self.timer.start(0)

    def rebuild(self) -> None:
        """Start building the PDF of the newest snapshot on a pool thread."""
        if self._report is None:
            self._show_message("没有打开的报告。")
            return
        if builder() is None:
            self._show_message(BUILDER_MISSING)
            self._shown_generation = self._generation
            return
        self.status.setText("正在生成预览…")
        QThreadPool.globalInstance().start(PdfJob(self._report, self._generation, self.signals))

    def _show_message(self, text: str) -> None:
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)
        self.status.setText("")

    def _built(self, generation: int, data: bytes, error: str) -> None:
        if generation != self._generation:
            return  # an older build finished late; a newer one is on its way
        self._shown_generation = generation
        if error:
            self._show_message(error)
            return
        self._ensure_view()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf_document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.stack.setCurrentWidget(self.view)
        pages = self.pdf_document.pageCount()
        self.status.setText(f"共 {pages} 页（按 100% 打印；修改数据后自动更新）")
        self.rendered.emit(pages)

    def page_count(self) -> int:
        return self.pdf_document.pageCount() if self.pdf_document is not None else 0

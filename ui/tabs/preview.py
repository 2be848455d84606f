"""打印预览: the real PDF of the current data (QtPdf), rebuilt off the UI thread after edits.

Edits restart a short debounce; when it fires (and the tab is visible) a pool thread builds the
PDF from the snapshot. Typing is never blocked, and only the newest build is shown.

Reading it: zoom with Ctrl+wheel, the + and − keys or the buttons; 适合宽度 (the default) or 整页
(a whole page in view, PgDn goes a page on); the page box jumps to a page (Home/End: first/last).
A rebuild keeps the zoom and the page the clerk was reading.

The page box speaks the printed 页码: the cover (the PDF's first page, which has none) is shown as
封面, and the body's pages as they are numbered on paper, 第 1 … N 页 (``perfdesk.report.document``
numbers a page by its place in the PDF less the cover).

Memory: the view (:func:`page_view_class`) keeps the rendered images of the pages in view and one
more, not QPdfView's last 21 (a 9 MB image a page at 适合宽度 in a 1280-pixel window).
"""

from __future__ import annotations

from typing import Any

from perfdesk_ui.pdfbuild import BUILDER_MISSING, PdfJob, PdfSignals, builder
from perfdesk_ui.tabs.base import EditorTab
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QObject,
    QPointF,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from perfdesk.domain import model as m

DEBOUNCE_MS = 300
COVER_PAGES = 1
"""Pages at the front of the PDF without a 页码 (the cover): the body's 第 1 页 comes after them."""
COVER = "封面"
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)


class PreviewTab(EditorTab):
    title = "打印预览"
    rendered = Signal(int)  # page count of the PDF now shown

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 3, 6, 3)
        bar.setSpacing(4)

        def button(text: str, tip: str, slot: Any, checkable: bool = False) -> QToolButton:
            b = QToolButton(self)
            b.setText(text)
            b.setToolTip(tip)
            b.setCheckable(checkable)
            b.clicked.connect(slot)
            bar.addWidget(b)
            return b

        self.zoom_out_button = button("－", "缩小（− 键或 Ctrl+滚轮）", self.zoom_out)
        self.zoom_label = QLabel("")
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar.addWidget(self.zoom_label)
        self.zoom_in_button = button("＋", "放大（+ 键或 Ctrl+滚轮）", self.zoom_in)
        self.fit_width_button = button("适合宽度", "页面宽度占满窗口", self.fit_width, True)
        self.whole_page_button = button("整页", "一次看到一整页", self.whole_page, True)
        bar.addSpacing(16)
        self.previous_button = button("上一页", "上一页", lambda: self.go_to_page(self.page() - 1))
        self.page_prefix = QLabel("第")  # left out before 封面 (its width kept: nothing moves)
        self.page_prefix.setFixedWidth(self.page_prefix.sizeHint().width())
        bar.addWidget(self.page_prefix)
        self.page_box = QSpinBox(self)
        # the printed 页码: 0 is the cover, shown as 封面 (the box's lowest value)
        self.page_box.setRange(0, 0)
        self.page_box.setSpecialValueText(COVER)
        self.page_box.setKeyboardTracking(False)  # jump when the number is complete (Enter)
        self.page_box.setToolTip(
            "输入页码后按回车跳到该页，页码与打印出的一致，0 为封面（Home/End：封面/最后一页）"
        )
        self.page_box.setAccessibleName("页码")
        self.page_box.valueChanged.connect(lambda n: self.go_to_page(pdf_page(n)))
        bar.addWidget(self.page_box)
        self.pages_label = QLabel("页")
        bar.addWidget(self.pages_label)
        self.next_button = button("下一页", "下一页", lambda: self.go_to_page(self.page() + 1))
        bar.addSpacing(16)
        self.status = QLabel("")
        self.status.setStyleSheet("color: #606060; padding: 2px 8px;")
        bar.addWidget(self.status, 1)
        layout.addLayout(bar)
        for keys, slot in (
            (("+", "=", "Ctrl++", "Ctrl+="), self.zoom_in),
            (("-", "Ctrl+-"), self.zoom_out),
            (("Home",), lambda: self.go_to_page(0)),
            (("End",), lambda: self.go_to_page(self.page_count() - 1)),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
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
        self._ahead = -1  # the generation built ahead of being asked for
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
        self.view = page_view_class()(self)
        self.view.setDocument(self.pdf_document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.viewport().installEventFilter(self)
        self.view.zoomFactorChanged.connect(self._show_zoom)
        self.view.zoomModeChanged.connect(self._show_zoom)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.stack.addWidget(self.view)
        self._show_zoom()

    # --- zoom and pages -------------------------------------------------------------------------

    def zoom(self) -> float:
        """The zoom now in effect (1.0 = 100 %), also in 适合宽度 and 整页."""
        if self.view is None:
            return 1.0
        from PySide6.QtPdfWidgets import QPdfView

        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return float(self.view.zoomFactor())
        # a fitted page: its width on screen over its width at 100 %
        size = self.pdf_document.pagePointSize(max(0, self.page()))
        dpi = self.view.logicalDpiX() / 72.0
        margins = self.view.documentMargins()
        usable_w = self.view.viewport().width() - margins.left() - margins.right()
        usable_h = self.view.viewport().height() - margins.top() - margins.bottom()
        if size.width() <= 0 or size.height() <= 0:
            return 1.0
        fit = usable_w / (size.width() * dpi)
        if self.view.zoomMode() == QPdfView.ZoomMode.FitInView:
            fit = min(fit, usable_h / (size.height() * dpi))
        return max(0.05, fit)

    def set_zoom(self, factor: float) -> None:
        from PySide6.QtPdfWidgets import QPdfView

        if self.view is None:
            return
        page = self.page()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], factor)))
        self.go_to_page(page)
        across = self.view.horizontalScrollBar()  # the page's middle, not its left edge or beyond
        across.setValue((across.minimum() + across.maximum()) // 2)
        self._show_zoom()

    def zoom_in(self) -> None:
        now = self.zoom()
        self.set_zoom(next((z for z in ZOOM_STEPS if z > now + 0.005), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        now = self.zoom()
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < now - 0.005), ZOOM_STEPS[0]))

    def fit_width(self) -> None:
        self._fit("width")

    def whole_page(self) -> None:
        self._fit("page")

    def _fit(self, how: str) -> None:
        from PySide6.QtPdfWidgets import QPdfView

        if self.view is None:
            self._show_zoom()
            return
        page = self.page()
        self.view.setZoomMode(
            QPdfView.ZoomMode.FitToWidth if how == "width" else QPdfView.ZoomMode.FitInView
        )
        self.go_to_page(page)
        self._show_zoom()

    def page(self) -> int:
        """The page in view (0-based)."""
        return self.view.pageNavigator().currentPage() if self.view is not None else 0

    def go_to_page(self, page: int) -> None:
        if self.view is None or self.page_count() == 0:
            return
        page = max(0, min(self.page_count() - 1, page))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())
        # A jump to the page that is already current is no jump (the navigator says nothing), so
        # after a zoom the view kept its old offset — another page at the new size: scroll to the
        # page's top in the new layout ourselves.
        for number, rect in self.view.page_geometries():
            if number == page:
                self.view.verticalScrollBar().setValue(
                    rect.top() - self.view.documentMargins().top()
                )
                break
        self._page_changed(page)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(printed_number(page))
        self.page_box.blockSignals(False)
        self.page_prefix.setText("第" if printed_number(page) else "")
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < self.page_count() - 1)

    def _show_zoom(self, *_: Any) -> None:
        from PySide6.QtPdfWidgets import QPdfView

        mode = self.view.zoomMode() if self.view is not None else QPdfView.ZoomMode.FitToWidth
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.whole_page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.zoom_label.setText(f"{round(self.zoom() * 100)}%")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            self.view is not None
            and obj is self.view.viewport()
            and event.type() == QEvent.Type.Wheel
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier  # type: ignore[attr-defined]
        ):
            delta = event.angleDelta().y()  # type: ignore[attr-defined]
            if delta > 0:
                self.zoom_in()
            elif delta < 0:
                self.zoom_out()
            return True  # Ctrl+wheel zooms; it does not scroll
        if (
            self.view is not None
            and obj is self.view.viewport()
            and event.type() == QEvent.Type.Resize
        ):
            QTimer.singleShot(0, self._show_zoom)
        return super().eventFilter(obj, event)

    def refresh(self, report: m.Report | None) -> None:
        self._report = report
        self._generation += 1
        if self.isVisible():
            self.timer.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._shown_generation != self._generation:
            self.timer.start(0)

    def build_ahead(self) -> None:
        """Build the preview of the report shown now before it is asked for (the window calls
        this once it is idle after start): the first 打印预览 then shows at once, or — after
        edits — rebuilds with ReportLab, the fonts and QtPdf already loaded."""
        if self._report is None or self.isVisible():
            return
        if self._shown_generation == self._generation or self._ahead == self._generation:
            return
        self._ahead = self._generation
        self.rebuild()

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
        page = self.page()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf_document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.stack.setCurrentWidget(self.view)
        pages = self.pdf_document.pageCount()
        last = printed_number(pages - 1)
        self.page_box.setRange(0, max(0, last))
        self.pages_label.setText(f"/ {last} 页")
        self.go_to_page(min(page, pages - 1))  # a rebuild keeps the page being read
        self._show_zoom()
        numbered = f"封面和第 1–{last} 页" if last > 1 else "封面和第 1 页" if last else "封面"
        self.status.setText(f"共 {pages} 页（{numbered}）；按 100% 打印，修改数据后自动更新")
        self.rendered.emit(pages)

    def is_current(self) -> bool:
        """True when the PDF shown (or ready to be shown) is of the newest snapshot."""
        return self._shown_generation == self._generation and self.page_count() > 0

    def page_count(self) -> int:
        """Pages of the PDF, the cover counted (the pages a printer prints)."""
        return self.pdf_document.pageCount() if self.pdf_document is not None else 0

    def printed_page(self) -> int:
        """The 页码 printed on the page in view (0: the cover, which has none)."""
        return printed_number(self.page())


def printed_number(page: int) -> int:
    """The 页码 printed on the PDF's page ``page`` (0-based); 0 for the cover."""
    return max(0, page - COVER_PAGES + 1)


def pdf_page(number: int) -> int:
    """The PDF's page (0-based) that carries the 页码 ``number``; 0 (封面) is the first page."""
    return number + COVER_PAGES - 1 if number > 0 else 0


# --- the view -------------------------------------------------------------------------------------

KEEP_PAGES = 1
"""Rendered pages kept besides those in view: going back a page shows it at once."""

_view_class: Any = None


def page_view_class() -> Any:
    """:class:`QPdfView` that keeps the images of the pages in view and :data:`KEEP_PAGES` more.

    QPdfView keeps its last 21 rendered pages (a limit it does not let change): at 适合宽度 in a
    1280-pixel window a page is a 9 MB image, so reading the sample's 23 pages through held 190 MB.
    This view paints the pages itself, where QPdfView lays them out (the same layout, worked out
    the same way), with its own renderer on QtPdf's thread; QPdfView still scrolls, zooms and
    follows the current page. While a page renders anew (a rebuild, another zoom) its old image is
    shown stretched, not a blank page. Made on first use: QtPdf is loaded only for the preview.
    """
    global _view_class
    if _view_class is not None:
        return _view_class
    from collections import OrderedDict

    from PySide6.QtCore import QPoint, QRect, QSize, QSizeF
    from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPalette
    from PySide6.QtPdf import QPdfDocument, QPdfPageRenderer
    from PySide6.QtPdfWidgets import QPdfView

    class PageView(QPdfView):
        def __init__(self, parent: QWidget | None = None) -> None:
            super().__init__(parent)
            self._renderer = QPdfPageRenderer(self)
            self._renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
            self._renderer.pageRendered.connect(self._rendered)
            self._images: OrderedDict[int, QImage] = OrderedDict()  # least recently shown first
            self._current: set[int] = set()  # pages whose image is of the document now loaded
            self._asked: dict[int, tuple[int, QSize]] = {}  # page → (request id, size) pending
            self.documentChanged.connect(self._new_document)

        def _new_document(self, document: Any) -> None:
            self._renderer.setDocument(document)
            if document is not None:
                document.statusChanged.connect(self._reloaded)
            self._reloaded()

        def _reloaded(self, *_: Any) -> None:
            # the images are of the last PDF: shown until the new ones come, then replaced
            self._current.clear()
            self._asked.clear()
            document = self.document()
            if document is not None and document.status() == QPdfDocument.Status.Ready:
                for page in [p for p in self._images if p >= document.pageCount()]:
                    del self._images[page]
            self.viewport().update()

        def page_geometries(self) -> list[tuple[int, QRect]]:
            """Each page's rectangle in the document's coordinates, as QPdfView lays it out."""
            document = self.document()
            if document is None or document.status() != QPdfDocument.Status.Ready:
                return []
            screen = QGuiApplication.primaryScreen()
            resolution = screen.logicalDotsPerInch() / 72.0 if screen is not None else 1.0
            margins = self.documentMargins()
            viewport = self.viewport().size()
            spacing = self.pageSpacing()
            mode = self.zoomMode()
            count = document.pageCount()
            if self.pageMode() == QPdfView.PageMode.SinglePage:
                first = self.pageNavigator().currentPage()
                pages = range(first, min(first + 1, count))
            else:
                pages = range(count)
            sizes = []
            for page in pages:
                points = document.pagePointSize(page)
                if mode == QPdfView.ZoomMode.Custom:
                    size = QSizeF(points * resolution * self.zoomFactor()).toSize()
                elif mode == QPdfView.ZoomMode.FitToWidth:
                    size = QSizeF(points * resolution).toSize()
                    width = viewport.width() - margins.left() - margins.right()
                    size = size * (width / size.width()) if size.width() > 0 else size
                else:
                    room = QSize(
                        viewport.width() - margins.left() - margins.right(),
                        viewport.height() - spacing,
                    )
                    size = QSizeF(points * resolution).toSize()
                    size = size.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
                sizes.append(size)
            total = max((size.width() for size in sizes), default=0)
            total += margins.left() + margins.right()
            out = []
            y = margins.top()
            for page, size in zip(pages, sizes, strict=True):
                x = (max(total, viewport.width()) - size.width()) // 2
                out.append((page, QRect(QPoint(x, y), size)))
                y += size.height() + spacing
            return out

        def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's
            painter = QPainter(self.viewport())
            painter.fillRect(event.rect(), self.palette().brush(QPalette.ColorRole.Dark))
            left = self.horizontalScrollBar().value()
            top = self.verticalScrollBar().value()
            painter.translate(-left, -top)
            seen = QRect(QPoint(left, top), self.viewport().size())
            ratio = self.devicePixelRatioF()
            shown = []
            for page, rect in self.page_geometries():
                if not rect.intersects(seen):
                    continue
                shown.append(page)
                painter.fillRect(rect, Qt.GlobalColor.white)
                wanted = rect.size() * ratio
                image = self._images.get(page)
                if image is not None:
                    painter.drawImage(rect, image)
                    self._images.move_to_end(page)
                if image is None or page not in self._current or image.size() != wanted:
                    asked = self._asked.get(page)
                    if asked is None or asked[1] != wanted:
                        request = self._renderer.requestPage(page, wanted)
                        self._asked[page] = (request, wanted)
            painter.end()
            self._forget(set(shown))

        def _forget(self, shown: set[int]) -> None:
            others = [page for page in self._images if page not in shown]
            for page in others[: max(0, len(others) - KEEP_PAGES)]:  # the least recent first
                del self._images[page]
                self._current.discard(page)

        def _rendered(
            self, page: int, size: QSize, image: QImage, _options: Any, request: int
        ) -> None:
            asked = self._asked.get(page)
            if asked is None or asked[0] != request:
                return  # of an older document or size: a newer one is on its way
            del self._asked[page]
            self._images[page] = image
            self._images.move_to_end(page)
            self._current.add(page)
            self.viewport().update()

        def kept_pages(self) -> list[int]:
            """The pages whose images are kept now (least recently shown first)."""
            return list(self._images)

    _view_class = PageView
    return PageView

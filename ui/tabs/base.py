"""What every editor tab shares: the document, a message signal, finding the widget that shows
a row (after an undo, for an audit finding), scrolling page helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from perfdesk.domain import model as m


def showable(widget: QWidget, root: QWidget) -> bool:
    """True if ``widget`` is shown within ``root`` or would be once a page of a tab widget (or a
    stack) on its way up is brought forward; False if it is hidden for another reason."""
    w: QWidget | None = widget
    while w is not None and w is not root:
        parent = w.parentWidget()
        if not isinstance(parent, QStackedWidget) and w.isHidden():
            return False
        w = parent
    return w is root


def bring_forward(widget: QWidget, root: QWidget) -> None:
    """Make every stacked page (a tab of a QTabWidget) between ``root`` and ``widget`` current."""
    w: QWidget | None = widget
    while w is not None and w is not root:
        parent = w.parentWidget()
        if isinstance(parent, QStackedWidget):
            tabs = parent.parentWidget()
            if isinstance(tabs, QTabWidget):  # its tab bar must follow, not only the stack
                tabs.setCurrentWidget(w)
            else:
                parent.setCurrentWidget(w)
        w = parent


@dataclass
class Where:
    """A place shown in a tab: a table cell (``view``, ``row``, ``col``) or a field editor."""

    tab: QWidget
    widget: QWidget
    row: int = -1
    col: int = -1

    def focus(self) -> None:
        from perfdesk_ui.locate import reveal

        bring_forward(self.widget, self.tab)
        reveal(self.widget)
        self.widget.setFocus()

    def near(self) -> None:
        """Select where a removed row was: the row now in its place, else the last row."""
        from perfdesk_ui.tables import SheetView

        view = self.widget
        if isinstance(view, SheetView) and self.row >= 0:
            count = view.model().rowCount()
            if count:
                index = view.model().index(min(self.row, count - 1), max(0, self.col))
                view.setCurrentIndex(index)
                view.scrollTo(index)
        self.focus()


class EditorTab(QWidget):
    """A tab over the open report; ``refresh`` is called with every fresh snapshot."""

    message = Signal(str)
    title = ""

    def __init__(self, doc: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc

    def wire(self, widget: Any) -> Any:
        """Route a child editor's messages to the status bar; returns the widget."""
        widget.message.connect(self.message)
        return widget

    def refresh(self, report: m.Report | None) -> None:
        raise NotImplementedError

    def show_place(self, place: Any, detail: str = "") -> bool:
        """Select the cell or focus the field an audit finding names; False when it cannot."""
        from perfdesk_ui.locate import focus_field

        return focus_field(self, place.field, detail)

    def reveal(self, cells: list[Any]) -> Where | None:
        """Select the first of ``cells`` (:class:`perfdesk_ui.commands.Cell`) this tab shows.

        Tabs that show one of several things at a time (a project, a section) first bring the
        right one forward (:meth:`prepare`). Returns where, or None if this tab does not show it.
        """
        for cell in cells:
            self.prepare(cell)
            where = self.find(cell)
            if where is not None:
                return where
        return None

    def prepare(self, cell: Any) -> None:
        """Show the project or section ``cell`` belongs to (tabs that show one at a time)."""

    def find(self, cell: Any) -> Where | None:
        """The table cell or field editor of ``cell`` in this tab, selected (not yet focused)."""
        from perfdesk_ui.fields import _Bound
        from perfdesk_ui.tables import SheetView

        for view in self.findChildren(SheetView):
            if not showable(view, self):
                continue
            model = view.sheet_model()
            for row, r in enumerate(model.rows):
                if (r.entity, r.row_id) != (cell.entity, cell.row_id):
                    continue
                cols = [i for i, c in enumerate(model.columns) if c.field == cell.field]
                if not cols:
                    current = view.currentIndex().column()
                    cols = [current] if current >= 0 and model.is_editable(row, current) else []
                if not cols:
                    cols = [i for i in range(len(model.columns)) if model.is_editable(row, i)]
                col = cols[0] if cols else 0
                bring_forward(view, self)
                index = model.index(row, col)
                view.setCurrentIndex(index)
                view.scrollTo(index)
                return Where(self, view, row, col)
        for field in self.findChildren(_Bound):  # type: ignore[type-var]
            if (field.entity, field.row_id) != (cell.entity, cell.row_id):
                continue
            if cell.field is not None and field.column.field != cell.field:
                continue
            if showable(field, self):  # type: ignore[arg-type]
                return Where(self, field)  # type: ignore[arg-type]
        return None


def scrolling_page(tab: QWidget) -> QVBoxLayout:
    """Give ``tab`` a vertically scrolling page; returns the page's layout."""
    outer = QVBoxLayout(tab)
    outer.setContentsMargins(0, 0, 0, 0)
    area = QScrollArea(tab)
    area.setWidgetResizable(True)
    page = QWidget()
    area.setWidget(page)
    outer.addWidget(area)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(10, 8, 10, 8)
    layout.setSpacing(10)
    return layout


def group(title: str, parent: QWidget | None = None) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(title, parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 6, 8, 8)
    return box, layout


def form(parent: QWidget | None = None) -> QFormLayout:
    f = QFormLayout()
    f.setLabelAlignment(f.labelAlignment())
    f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return f


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("color: #606060;")
    label.setWordWrap(True)
    return label

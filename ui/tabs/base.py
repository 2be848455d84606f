"""What every editor tab shares: the document, a message signal, scrolling page helpers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from perfdesk.domain import model as m


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

"""Showing an audit finding's place: select the exact table cell or focus the exact field.

A :class:`perfdesk.domain.audit.Place` names a tab, the kind of row (``entity``), the row's key
or index and the field. Each editor tab turns that into its own widgets (``EditorTab.show_place``);
the helpers here do the common part — select a cell by row and field, focus a field editor and,
in a text, select the words the finding quotes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QPlainTextEdit, QScrollArea, QWidget


def reveal(widget: QWidget) -> None:
    """Scroll every enclosing scroll area so ``widget`` is in view."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 20, 20)
        parent = parent.parentWidget()


def column_of(view: Any, field: str | None) -> int:
    """Index of the column editing ``field`` (the first column when none does)."""
    for i, c in enumerate(view.model().columns):
        if field and c.field == field:
            return i
    return 0


def select_cell(view: Any, row: int | None, field: str | None) -> bool:
    """Make (row, field's column) the current, selected cell of a sheet view and focus it."""
    model = view.model()
    if row is None or not 0 <= row < model.rowCount():
        return False
    index = model.index(row, column_of(view, field))
    view.setCurrentIndex(index)
    view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
    reveal(view)
    view.setFocus()
    return True


def row_with_key(view: Any, key: str) -> int | None:
    """The row whose snapshot object has ``key`` (fixed grids: budget and control lines)."""
    for i, r in enumerate(view.model().rows):
        if getattr(r.obj, "key", None) == key:
            return i
    return None


def focus_field(root: QWidget, field: str | None, detail: str = "") -> bool:
    """Focus the visible field editor of ``field`` under ``root``; in a text, select ``detail``."""
    from perfdesk_ui.fields import _Bound

    if not field:
        return False
    for w in root.findChildren(QWidget):
        if isinstance(w, _Bound) and w.column.field == field and w.isVisibleTo(root):
            reveal(w)
            w.setFocus()
            if isinstance(w, QPlainTextEdit):
                select_words(w, detail)
            return True
    return False


def select_words(edit: QPlainTextEdit, words: str) -> bool:
    """Select the first occurrence of ``words`` in a text editor (the phrase a finding quotes)."""
    if not words:
        return False
    start = edit.toPlainText().find(words)
    if start < 0:
        return False
    cursor = edit.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.ensureCursorVisible()
    return True

"""Single-value editors bound to one field of one row: line, number, long text, date, checkbox.

Each editor is told which row it shows (``show(entity, row_id, obj)``) whenever the document
refreshes, and commits through :class:`perfdesk_ui.commands.SetFields` when the clerk finishes: a line on
Enter or focus-out, a long text after a short pause in typing (consecutive typing merges into one
undo step). A refused value turns the editor red and keeps what was typed, with the message beside
the field until it is corrected or Esc brings the stored value back — never silently.

Inside a text box Ctrl+Z / Ctrl+Y undo and redo the box's own typing; with nothing left there, they
undo and redo the report's steps (:class:`perfdesk_ui.feedback.BoxUndo`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from perfdesk_ui.commands import SetFields
from perfdesk_ui.feedback import BoxUndo, FloatingNote
from perfdesk_ui.tables import HINT_BACKGROUND, Column, format_cell, parse_cell
from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from perfdesk.domain.numbers import InputError

ERROR_STYLE = "background: #ffd6d6;"
HINT_STYLE = f"background: {HINT_BACKGROUND.name()};"
TEXT_IDLE_MS = 700


class _Bound:
    """What a field editor shares: the row it edits and how to commit a value."""

    message: Any  # Signal(str)

    def _init_bound(self, doc: Any, field: str, header: str, kind: str) -> None:
        self.doc = doc
        self.column = Column(field, header, kind)
        self.entity: str | None = None
        self.row_id: int | None = None
        self.value: Any = None
        self.refused = False  # the shown text was refused (kept until corrected or Esc)
        self.mark: tuple[bool, str] | None = None  # a one-cell 审核 finding on this field
        self._note: FloatingNote | None = None
        self._displayed = False  # a value was shown since the field was bound to its row

    def show_row(self, entity: str, row_id: int | None, obj: Any) -> None:
        same = (entity, row_id) == (self.entity, self.row_id)
        before = self.value
        self.entity, self.row_id = entity, row_id
        self.value = getattr(obj, self.column.field) if obj is not None else None
        self.setEnabled(row_id is not None)  # type: ignore[attr-defined]
        if self.refused and same and self.value == before:
            return  # the refused text stays in view until it is corrected or Esc is pressed
        if same and self._displayed and repr(self.value) == repr(before):
            return  # shown as it is (another field of the report changed)
        self._displayed = True
        self._display(self.value)

    def _display(self, value: Any) -> None:
        raise NotImplementedError

    def commit_value(self, value: Any) -> bool:
        if self.row_id is None or self.entity is None or value == self.value:
            return True
        try:
            self.doc.run(
                SetFields(
                    self.doc,
                    self.entity,
                    self.row_id,
                    {self.column.field: value},
                    f"修改{self.column.header}",
                )
            )
        except InputError as exc:
            self.refuse(f"“{self.column.header}”：{exc}")
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. a duplicate unit name/year
            self.refuse(f"“{self.column.header}”：未能保存（{exc}）")
            return False
        return True

    def note(self) -> FloatingNote:
        if self._note is None:
            self._note = FloatingNote(self)  # type: ignore[arg-type]
        return self._note

    def refuse(self, message: str) -> None:
        """Keep the typed text, turn the field red and say why beside it (until fixed or Esc)."""
        widget: QWidget = self  # type: ignore[assignment]
        self.refused = True
        widget.setStyleSheet(ERROR_STYLE)
        widget.setToolTip(message)
        self.message.emit(message)
        self.note().show_for(message + "（按 Esc 恢复原值）")

    def clear_error(self) -> None:
        self.refused = False
        if self._note is not None:
            self._note.dismiss()
        self._show_mark()

    def set_mark(self, mark: tuple[bool, str] | None) -> None:
        """Show (or clear) a one-cell 审核 finding on this field: pink for 错误, yellow for 提示."""
        if mark != self.mark:
            self.mark = mark
            if not self.refused:
                self._show_mark()

    def _show_mark(self) -> None:
        widget: QWidget = self  # type: ignore[assignment]
        if self.mark is None:
            widget.setStyleSheet("")
            widget.setToolTip("")
        else:
            widget.setStyleSheet(ERROR_STYLE if self.mark[0] else HINT_STYLE)
            widget.setToolTip(self.mark[1])


class LineField(BoxUndo, QLineEdit, _Bound):
    """A one-line text or number (amount/decimal/count) field."""

    message = Signal(str)

    def __init__(
        self, doc: Any, field: str, header: str, kind: str = "text", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._init_bound(doc, field, header, kind)
        if kind != "text":
            self.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.setMaximumWidth(160)
        self.editingFinished.connect(self.commit)
        self.setAccessibleName(header)

    def _display(self, value: Any) -> None:
        if self.hasFocus() and self.isModified():
            return  # the clerk is typing here: do not overwrite
        self.clear_error()
        self.setText(format_cell(self.column, value, editing=True))
        self.setModified(False)

    def commit(self) -> bool:
        try:
            value = parse_cell(self.column, self.text())
        except InputError as exc:
            self.refuse(f"“{self.column.header}”：{exc}")
            return False
        ok = self.commit_value(value)
        if ok:
            self.clear_error()
            self.setModified(False)
            self._display(self.value)  # shown as stored (12.5 → 12.50), however it was typed
        return ok

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and (self.refused or self.isModified()):
            # Esc gives back the stored value (and drops a refused one), as in Excel
            self.clear_error()
            self.setText(format_cell(self.column, self.value, editing=True))
            self.setModified(False)
            return
        super().keyPressEvent(event)


class TextField(BoxUndo, QPlainTextEdit, _Bound):
    """Several lines of text, committed after a pause in typing or when focus leaves."""

    message = Signal(str)

    def __init__(
        self,
        doc: Any,
        field: str,
        header: str,
        parent: QWidget | None = None,
        *,
        lines: int = 3,
        grow: bool = False,
        fit: bool = False,
        max_lines: int = 14,
    ) -> None:
        super().__init__(parent)
        self._init_bound(doc, field, header, "text")
        self.setTabChangesFocus(True)
        self.setPlaceholderText(header)
        self.setAccessibleName(header)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_IDLE_MS)
        self._timer.timeout.connect(self.commit)
        self._loading = False
        self.textChanged.connect(self._typed)
        self._lines, self._max_lines, self._fit = lines, max_lines, fit
        h = self._height_for(lines)
        self.setMinimumHeight(h)
        if fit:
            # on a scrolling page the box grows with its text (up to max_lines): the page
            # scrolls, not a scrollbar inside it
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
            self.setFixedHeight(h)
        elif not grow:
            self.setMaximumHeight(h * 2)

    def _height_for(self, lines: int) -> int:
        margins = self.contentsMargins()
        return (
            self.fontMetrics().lineSpacing() * lines
            + int(2 * self.document().documentMargin())
            + margins.top()
            + margins.bottom()
            + 2
        )

    def _fit_height(self, *_: Any) -> None:
        # QPlainTextEdit's layout counts the document in lines (wrapped lines included)
        lines = int(self.document().documentLayout().documentSize().height())
        lines = max(self._lines, min(self._max_lines, lines))
        self.setFixedHeight(self._height_for(lines))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._fit:
            self._fit_height()

    def _typed(self) -> None:
        if not self._loading:
            self._timer.start()

    def pending(self) -> bool:
        return self._timer.isActive()

    def _display(self, value: Any) -> None:
        if self._timer.isActive():
            return  # uncommitted typing wins; it is committed shortly
        text = value or ""
        if self.toPlainText() == text:
            return
        cursor = self.textCursor().position()
        self._loading = True
        self.setPlainText(text)
        self._loading = False
        c = self.textCursor()
        c.setPosition(min(cursor, len(text)))
        self.setTextCursor(c)

    def commit(self) -> bool:
        self._timer.stop()
        return self.commit_value(self.toPlainText())

    def focusOutEvent(self, event: Any) -> None:
        if self._timer.isActive():
            self.commit()
        super().focusOutEvent(event)


BLANK_DATE = QDate(2000, 1, 1)


class DateField(QDateEdit, _Bound):
    """A date with a calendar; the first day (2000-01-01) shows as “未填” and means blank."""

    message = Signal(str)

    def __init__(self, doc: Any, field: str, header: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_bound(doc, field, header, "date")
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy年M月d日")
        self.setMinimumDate(BLANK_DATE)
        self.setSpecialValueText("未填")
        self._loading = False
        self.dateChanged.connect(self._changed)

    def _display(self, value: Any) -> None:
        self._loading = True
        self.setDate(QDate(value.year, value.month, value.day) if value else BLANK_DATE)
        self._loading = False

    def _changed(self, qdate: QDate) -> None:
        if self._loading:
            return
        value = None if qdate == BLANK_DATE else dt.date(qdate.year(), qdate.month(), qdate.day())
        self.commit_value(value)


class CheckField(QCheckBox, _Bound):
    message = Signal(str)

    def __init__(self, doc: Any, field: str, header: str, parent: QWidget | None = None) -> None:
        super().__init__(header, parent)
        self._init_bound(doc, field, header, "bool")
        self._loading = False
        self.toggled.connect(self._toggled)

    def _display(self, value: Any) -> None:
        self._loading = True
        self.setChecked(bool(value))
        self._loading = False

    def _toggled(self, on: bool) -> None:
        if not self._loading:
            self.commit_value(on)


class ChoiceField(QComboBox, _Bound):
    """One of a few fixed values (an enumeration), committed when another one is chosen."""

    message = Signal(str)

    def __init__(
        self,
        doc: Any,
        field: str,
        header: str,
        choices: list[tuple[Any, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._init_bound(doc, field, header, "enum")
        self._loading = False
        self._values = [value for value, _label in choices]
        for _value, label in choices:
            self.addItem(label)
        self.currentIndexChanged.connect(self._chosen)

    def _display(self, value: Any) -> None:
        self._loading = True
        self.setCurrentIndex(self._values.index(value) if value in self._values else -1)
        self._loading = False

    def _chosen(self, index: int) -> None:
        if not self._loading and 0 <= index < len(self._values):
            self.commit_value(self._values[index])


class ComputedLabel(QLabel):
    """A computed figure beside the fields (grey, read-only)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setStyleSheet(
            "background: #ececec; color: #303030; padding: 2px 6px; border-radius: 2px;"
        )
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setToolTip("自动计算，不能修改")

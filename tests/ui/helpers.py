"""Driving tables as a clerk does: select a cell, type, press Enter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit


def press(qtbot: Any, keys: str, widget: Any = None) -> None:
    """Press ``keys`` (``"Ctrl+Z"``, ``"Ctrl+Y"``, ``"Ctrl+V"``…) where the keyboard focus is, as
    the clerk does: window shortcuts (撤销, 重做, 粘贴) are reached the way real keys reach them."""
    target = widget if widget is not None else QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    QTest.keySequence(target, QKeySequence(keys))
    qtbot.wait(1)  # let queued work (editor closing, refreshes) run


def paste(qtbot: Any, view: Any, text: str) -> None:
    """Put ``text`` on the real clipboard and press Ctrl+V in ``view``."""
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(text)
    view.setFocus()
    press(qtbot, "Ctrl+V", view)


def type_text(qtbot: Any, widget: Any, text: str) -> None:
    """Type ``text`` into ``widget``: ASCII as key presses, anything else (Chinese, full-width
    digits) as an input method commits it — QTest can only press keys that are ASCII."""
    run = ""
    for ch in text + "\0":
        if ch != "\0" and not ch.isascii():
            run += ch
            continue
        if run:
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
            run = ""
        if ch != "\0":
            qtbot.keyClicks(widget, ch)


def type_into_cell(
    qtbot: Any,
    view: Any,
    row: int,
    col: int,
    text: str,
    key: Any = Qt.Key.Key_Return,
    *,
    refused: bool = False,
) -> Any:
    """Select cell (row, col), type ``text`` (the first key opens the editor) and press ``key``.

    ``refused``: the value is expected to be refused, so the editor stays open (returned)."""
    view.setFocus()
    view.setCurrentIndex(view.model().index(row, col))
    type_text(qtbot, view, text[0])
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), f"typing did not open an editor ({editor!r})"
    if len(text) > 1:
        type_text(qtbot, editor, text[1:])
    qtbot.keyClick(editor, key)
    if refused:
        qtbot.wait(10)
        assert view.state() == QAbstractItemView.State.EditingState, "the editor was closed"
        return editor
    # the delegate commits Enter through a queued call: wait for the editor to close
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=2000)
    return None


def type_into_field(qtbot: Any, field: Any, text: str) -> None:
    """Replace a line field's text and press Enter."""
    field.setFocus()
    field.selectAll()
    type_text(qtbot, field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def row_of(model: Any, label: str) -> int:
    for i, r in enumerate(model.rows):
        if r.label.strip() == label:
            return i
    raise AssertionError(f"no row labelled {label}")


def col_of(model: Any, header: str) -> int:
    for i, c in enumerate(model.columns):
        if c.header == header:
            return i
    raise AssertionError(f"no column {header}")


def _text_image(font: Any, text: str) -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    image = QImage(200, 60, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(5, 40, text)
    painter.end()
    return image


def chinese_renders(font: Any) -> bool:
    """True when ``font`` (with Qt's fallbacks) draws Chinese as real, distinct glyphs."""
    first, second = _text_image(font, "恢复备份"), _text_image(font, "数据损坏")
    blank = _text_image(font, "")
    boxes = _text_image(font, "\U000f0000" * 4)  # a private-use character no font draws
    return first != second and first != blank and first != boxes and second != boxes


def audited(qtbot: Any, window: Any) -> list[Any]:
    """Wait for the 审核 that follows an edit (it runs once typing pauses); its findings."""
    qtbot.waitUntil(lambda: not window.audit_pending(), timeout=5000)
    return window.audit_dock.findings

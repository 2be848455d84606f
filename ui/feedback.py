"""What the window tells the clerk at the place of an action: notes beside cells, undo keys.

:class:`FloatingNote` is a message shown beside a table cell or a field, over the window, for as
long as it applies (a refused value: until it is corrected or Esc is pressed) — not a tooltip that
vanishes when the mouse moves, nor a status-bar line that is gone after a few seconds.

:class:`BoxUndo` gives a text box the undo a clerk expects: inside the box Ctrl+Z / Ctrl+Y undo and
redo its own typing first; when the box has nothing left, the same keys reach the window's undo
(the report's steps).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

NOTE_STYLES = {
    "error": "background: #fff0f0; color: #8a0000; border: 1px solid #c00000;",
    "info": "background: #fffbe6; color: #403000; border: 1px solid #b09000;",
}


def undo_key(event: QKeyEvent) -> str | None:
    """``"undo"``/``"redo"`` for the keys a clerk uses (Ctrl+Z; Ctrl+Y or Ctrl+Shift+Z), else None.

    Ctrl+Y is Windows' redo and what Excel/WPS users press; Qt maps it to redo only on Windows,
    so it is recognised here on every platform.
    """
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    if event.matches(QKeySequence.StandardKey.Redo):
        return "redo"
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if event.key() == Qt.Key.Key_Y and mods == Qt.KeyboardModifier.ControlModifier:
        return "redo"
    if event.key() == Qt.Key.Key_Z and mods == (
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    ):
        return "redo"
    return None


class BoxUndo:
    """Mixin for QLineEdit/QPlainTextEdit: the box's own undo first, then the window's.

    A box that can undo (or redo) claims the key (``ShortcutOverride`` accepted) and does it; one
    that cannot lets the key through to the window's 撤销/重做 action.
    """

    def box_can(self, what: str) -> bool:
        if isinstance(self, QPlainTextEdit):
            doc = self.document()
            return doc.isUndoAvailable() if what == "undo" else doc.isRedoAvailable()
        box: Any = self
        return bool(box.isUndoAvailable() if what == "undo" else box.isRedoAvailable())

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ShortcutOverride:
            what = undo_key(e)  # type: ignore[arg-type]
            if what is not None:
                if self.box_can(what) and not getattr(self, "isReadOnly", lambda: False)():
                    e.accept()
                    return True
                e.ignore()  # nothing of its own: the window's undo takes the key
                return False
        return super().event(e)  # type: ignore[misc]

    def keyPressEvent(self, e: QKeyEvent) -> None:
        what = undo_key(e)
        if what is not None:
            box: Any = self
            if self.box_can(what):
                box.undo() if what == "undo" else box.redo()
            e.accept()
            return
        super().keyPressEvent(e)  # type: ignore[misc]


class FloatingNote(QLabel):
    """A message beside a rectangle of ``anchor`` (a cell of a view's viewport, or a field).

    It is a child of the anchor's window, so it is not clipped by a small table, and it follows the
    anchor when the page scrolls or the window is resized; it hides with the anchor (another tab)
    and comes back with it. Clicks go through it.
    """

    def __init__(self, anchor: QWidget) -> None:
        super().__init__(None)
        self.anchor = anchor
        self._rect: Callable[[], QRect] | None = None
        self._wanted = False
        self._watched: list[QObject] = []
        self.setWordWrap(True)
        self.setMaximumWidth(420)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setObjectName("floatingNote")
        self.hide()
        # a tab rebuilt (another database opened) takes its cells away: the note goes with them
        anchor.destroyed.connect(self._anchor_gone)

    def _anchor_gone(self, *_: Any) -> None:
        self._wanted = False
        for obj in self._watched:
            try:
                obj.removeEventFilter(self)
            except RuntimeError:  # already deleted itself
                pass
        self._watched = []
        self.deleteLater()

    def show_for(
        self, text: str, rect: Callable[[], QRect] | None = None, kind: str = "error"
    ) -> None:
        """Show ``text`` beside ``rect()`` (anchor coordinates; the whole anchor when None)."""
        window = self.anchor.window()
        if self.parentWidget() is not window:
            self.setParent(window)
            self._watch()
        self._rect = rect
        self.setStyleSheet(f"QLabel#floatingNote {{ {NOTE_STYLES[kind]} padding: 3px 6px; }}")
        self.setText(text)
        self._wanted = True
        self._place()

    def dismiss(self) -> None:
        self._wanted = False
        self.hide()

    @property
    def showing(self) -> bool:
        return self._wanted

    def _watch(self) -> None:
        for obj in self._watched:
            obj.removeEventFilter(self)
        self._watched = []
        w: QWidget | None = self.anchor
        while w is not None:
            w.installEventFilter(self)
            self._watched.append(w)
            if w.isWindow():
                break
            w = w.parentWidget()

    def _place(self) -> None:
        window = self.parentWidget()
        if not self._wanted or window is None:
            return
        if not self.anchor.isVisible():
            self.hide()
            return
        rect = self._rect() if self._rect is not None else self.anchor.rect()
        self.setFixedWidth(min(420, max(220, rect.width())))
        self.adjustSize()
        below = self.anchor.mapTo(window, rect.bottomLeft()) + QPoint(0, 3)
        pos = below
        if below.y() + self.height() > window.height():
            pos = self.anchor.mapTo(window, rect.topLeft()) - QPoint(0, self.height() + 3)
        pos.setX(max(0, min(pos.x(), window.width() - self.width())))
        pos.setY(max(0, pos.y()))
        self.move(pos)
        self.show()
        self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._wanted and event.type() in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
            QEvent.Type.LayoutRequest,
        ):
            self._place()
        return False

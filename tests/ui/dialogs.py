"""Answering the window's modal dialogs in a test as a clerk would: type, then click a button.

A modal dialog runs its own event loop, so the test cannot act on it after the call that opens
it — that call returns only once the dialog is closed. :func:`answer` queues what to do in each
dialog that opens next, in order; a timer finds each one as it appears. Every dialog's texts are
kept (``shown``) so a test can check what the clerk was told.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QMessageBox

from tests.ui.helpers import type_text


def dialog_text(dialog: Any) -> str:
    """All the words a dialog shows (title, labels, message and informative text, buttons)."""
    parts = [dialog.windowTitle()]
    if isinstance(dialog, QMessageBox):
        parts += [dialog.text(), dialog.informativeText()]
    parts += [label.text() for label in dialog.findChildren(QLabel)]
    parts += [b.text() for b in dialog.findChildren(QAbstractButton)]
    return "\n".join(p for p in parts if p)


def button(dialog: Any, text: str) -> QAbstractButton:
    found = [b for b in dialog.findChildren(QAbstractButton) if b.text() == text and b.isVisible()]
    assert found, f"no button “{text}” in dialog “{dialog.windowTitle()}”: {dialog_text(dialog)}"
    return found[0]


def click(qtbot: Any, dialog: Any, text: str) -> None:
    """Click the button labelled ``text`` (as the clerk would, with the mouse)."""
    qtbot.mouseClick(button(dialog, text), Qt.MouseButton.LeftButton)


def type_into(qtbot: Any, field: Any, text: str) -> None:
    """Select what a field holds and type over it (ASCII as keys, Chinese through the IME)."""
    field.setFocus()
    field.selectAll()
    if text:
        type_text(qtbot, field, text)
    else:
        qtbot.keyClick(field, Qt.Key.Key_Delete)


class Answers:
    """The dialogs still to answer, and what each one said."""

    def __init__(
        self,
        qtbot: Any,
        handlers: list[Callable[[Any], None]],
        timeout: float,
        *,
        required: bool = True,
    ) -> None:
        self.qtbot = qtbot
        self.handlers = list(handlers)
        self.required = required
        self.shown: list[str] = []
        self.errors: list[BaseException] = []
        self.deadline = time.monotonic() + timeout
        self._handled: list[Any] = []  # keeps answered dialogs alive so ids are not reused
        self._stopped = False
        self._window: Any = None  # the window under the first dialog answered
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        if self._stopped:
            return
        dialog = QApplication.activeModalWidget()
        if dialog is None or any(dialog is d for d in self._handled) or not dialog.isVisible():
            if time.monotonic() < self.deadline:
                QTimer.singleShot(10, self._poll)
            elif self.handlers and self.required:
                self.errors.append(AssertionError("the expected dialog did not open"))
            return
        if not self.handlers:  # a dialog nobody expected: say so, and close it
            self._handled.append(dialog)
            self.errors.append(AssertionError(f"unexpected dialog: {dialog_text(dialog)}"))
            if isinstance(dialog, QDialog):
                dialog.reject()
            return
        self._handled.append(dialog)
        if self._window is None and dialog.parentWidget() is not None:
            self._window = dialog.parentWidget().window()
        self.shown.append(dialog_text(dialog))
        handler = self.handlers.pop(0)
        try:
            handler(dialog)
        except BaseException as exc:  # noqa: BLE001 - reported by check(); the dialog must close
            self.errors.append(exc)
            self.handlers.clear()
            if isinstance(dialog, QDialog):
                dialog.reject()
            return
        QTimer.singleShot(10, self._poll)

    def check(self) -> None:
        """Stop watching; raise what went wrong inside a dialog (or an unexpected dialog), and
        fail if a required dialog never opened."""
        self._stopped = True
        active = QApplication.activeWindow()
        if (
            self._window is not None
            and shiboken6.isValid(self._window)
            and (active is None or not active.isVisible())
        ):
            # A window manager gives activation back to the window under a closed dialog; the
            # offscreen platform does not, so do it here (keys then reach the window again).
            self._window.activateWindow()
            window = self._window
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
        if self.errors:
            raise self.errors[0]
        if self.required:
            assert not self.handlers, f"{len(self.handlers)} expected dialog(s) did not open"


def answer(qtbot: Any, *handlers: Callable[[Any], None], timeout: float = 10.0) -> Answers:
    """Queue ``handlers`` for the next modal dialogs; call before the action that opens them.

    With no handlers, any dialog that opens before :meth:`Answers.check` is an error (and is
    closed, so the test cannot hang).
    """
    return Answers(qtbot, list(handlers), timeout)


def maybe(qtbot: Any, handler: Callable[[Any], None], timeout: float = 10.0) -> Answers:
    """``handler`` for a dialog that may or may not open (e.g. a question asked only sometimes)."""
    return Answers(qtbot, [handler], timeout, required=False)


def reactivate(qtbot: Any, window: Any) -> None:
    """Give activation back to ``window`` after a popup (a suggestion list) closed.

    A window manager does this by itself; Qt's offscreen platform hands activation to every popup
    it shows and to nothing when it hides, so keys typed next would reach no window.
    """
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def no_command_line_words(texts: list[str]) -> None:
    """Messages in the window never mention command-line options or commands."""
    for text in texts:
        assert "--" not in text and "perfdesk " not in text, text

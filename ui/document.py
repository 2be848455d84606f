"""The open report: its Workspace, the current snapshot, the undo stack, and refresh.

Every edit goes through :meth:`ReportDocument.run`: the undo command calls the services (which
commit), then the views refresh from a fresh snapshot read back from the database. Nothing is
ever held unsaved, so closing the window never asks to save.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from perfdesk.domain import model as m


class ReportDocument(QObject):
    """One open database and the report shown from it."""

    changed = Signal(object)  # the fresh Report snapshot (None when no report is open)
    reportSwitched = Signal(object)  # the newly opened Report (or None)
    failed = Signal(str)  # a Chinese message for an edit that was refused

    def __init__(self, workspace: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.report_id: int | None = None
        self.report: m.Report | None = None
        self.fixed_ids: dict[tuple[Any, ...], int] = {}
        self.undo_stack = QUndoStack(self)

    # --- which report --------------------------------------------------------------------------

    def open_report(self, report_id: int | None) -> None:
        """Show ``report_id``; the undo history belongs to one report and is cleared."""
        self.undo_stack.clear()
        self.report_id = report_id
        if report_id is not None:
            self.ws.ensure_fixed_rows(report_id)
        self.refresh(switched=True)

    def refresh(self, *, switched: bool = False, structure: bool = True) -> None:
        """Read the report back from the database and tell every view."""
        if self.report_id is None:
            self.report, self.fixed_ids = None, {}
        else:
            self.report = self.ws.load(self.report_id)
            if structure and any(not p.sources for p in self.report.projects):
                # a project added as a bare row (e.g. pasted) gets its 资金来源 rows
                self.ws.ensure_fixed_rows(self.report_id)
            if structure or not self.fixed_ids:
                self.fixed_ids = self.ws.fixed_row_ids(self.report_id)
        if switched:
            self.reportSwitched.emit(self.report)
        self.changed.emit(self.report)

    def fixed_id(self, entity: str, key: str, project_id: int | None = None) -> int | None:
        """Row id of a fixed-grid row (budget line, control line, special fund, project source)."""
        return self.fixed_ids.get((entity, project_id, key))

    # --- edits ---------------------------------------------------------------------------------

    def run(self, command: QUndoCommand) -> bool:
        """Do ``command`` now (the services commit) and put it on the undo stack.

        Bad input raises :class:`~perfdesk.domain.numbers.InputError` from ``apply`` before the
        stack is touched, so a refused edit leaves no trace; the caller shows the message.
        """
        from perfdesk.errors import ReadOnlyDatabase, StorageWriteError

        try:
            command.apply()  # type: ignore[attr-defined]
        except (StorageWriteError, ReadOnlyDatabase) as exc:
            # The service rolled back: nothing was stored, so nothing goes on the undo stack and
            # the views are refreshed from what the database really holds.
            from perfdesk_ui.safety import show_save_failure

            show_save_failure(None, exc)
            self.failed.emit(str(exc))
            self.refresh()
            return False
        self.undo_stack.push(command)
        return True

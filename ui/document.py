"""The open report: its Workspace, the current snapshot, the undo history, and refresh.

Every edit goes through :meth:`ReportDocument.run`: the undo command calls the services (which
commit), then the views refresh from the snapshot — a step that only changed fields has the
committed change applied to the snapshot held here (``perfdesk.services.apply_changes``), one
that adds, removes or moves rows reads the report back. Nothing is ever held unsaved, so closing
the window never asks to save.

Each report has its own undo stack, kept for the session: switching to another report and back
finds the history as it was (a ``QUndoGroup`` whose active stack is the shown report's).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoGroup, QUndoStack

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
        # one-cell 审核 findings shown on their cells: (entity, row id, field) -> (error?, message)
        self.cell_marks: dict[tuple[str, int | None, str], tuple[bool, str]] = {}
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int | None, QUndoStack] = {}
        self._activate_stack(None)

    @property
    def undo_stack(self) -> QUndoStack:
        """The undo history of the report shown now."""
        return self.undo_group.activeStack()

    def _activate_stack(self, report_id: int | None) -> None:
        stack = self._stacks.get(report_id)
        if stack is None:
            stack = QUndoStack(self.undo_group)
            self._stacks[report_id] = stack
        self.undo_group.setActiveStack(stack)

    def forget_history(self, report_id: int | None) -> None:
        """Drop the undo history of a report that was deleted or replaced (its row ids are gone)."""
        stack = self._stacks.get(report_id)
        if stack is None:
            return
        stack.clear()
        if stack is not self.undo_stack:
            del self._stacks[report_id]
            self.undo_group.removeStack(stack)
            stack.deleteLater()

    def keep_histories_of(self, report_ids: set[int]) -> None:
        """Forget the histories of reports no longer in the database."""
        for rid in [r for r in self._stacks if r is not None and r not in report_ids]:
            self.forget_history(rid)

    # --- which report --------------------------------------------------------------------------

    def open_report(self, report_id: int | None) -> None:
        """Show ``report_id`` with its own undo history (kept while the program runs)."""
        self._activate_stack(report_id)
        self.cell_marks = {}
        self.report_id = report_id
        self.refresh(switched=True)

    def refresh(
        self, *, switched: bool = False, structure: bool = True, changes: list[Any] | None = None
    ) -> None:
        """Bring the snapshot up to date and tell every view.

        ``changes`` (the services' ``RowChange`` list of a step that only changed fields, already
        committed) are applied to the snapshot held here; without them — rows added, removed or
        moved, another report — the report is read back from the database.
        """
        patched = None
        if (
            changes is not None
            and not switched
            and self.report is not None
            and self.report.id == self.report_id
        ):
            from perfdesk.services import apply_changes

            patched = apply_changes(self.report, changes)
        if self.report_id is None:
            self.report, self.fixed_ids = None, {}
        elif patched is not None:
            self.report = patched
        else:
            from perfdesk.services import lacks_fixed_rows

            self.report = self.ws.load(self.report_id)
            if (structure or switched) and lacks_fixed_rows(self.report):
                # an old or partial import, a project added as a bare row (e.g. pasted): the
                # blank rows of the fixed grids are made (its 资金来源…), then read
                if self.ws.ensure_fixed_rows(self.report_id):
                    self.report = self.ws.load(self.report_id)
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

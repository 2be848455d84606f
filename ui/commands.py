"""Undo commands: plain before/after values, acted out through the services.

Like Orange canvas's document commands, each command holds only entity names, row ids and domain
values (Decimal, int, str, enums), never widgets or ORM rows. ``apply`` does the edit the first
time (so bad input is refused before the command reaches the stack); ``redo``/``undo`` replay it.
Rows that are deleted come back under the same id (``Workspace.restore``), so later commands
that name those ids stay valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand

SET_FIELDS_ID = 1001  # fixed id: QUndoStack only offers commands with equal ids for merging


@dataclass(frozen=True)
class Cell:
    """A cell a step changes: the row (entity, id) and the field (None: the whole row).

    After an undo or redo the window shows the first of a step's cells (as Excel selects the
    changed cell); a row that no longer exists is shown by where it was.
    """

    entity: str
    row_id: int | None
    field: str | None = None


class _ServiceCommand(QUndoCommand):
    """Base: knows the document; the first ``redo`` (from ``push``) only refreshes the views.

    A step that only changes fields of rows sets ``_changes`` (the services' ``RowChange`` list)
    when it acts: the document applies them to its snapshot instead of reading the report back.
    Steps that add, remove or move rows leave it ``None``: the report is read back.
    """

    structure = False  # whether rows appear or disappear (fixed-row ids must be re-read)

    def __init__(self, doc: Any, text: str) -> None:
        super().__init__(text)
        self.doc = doc
        self._applied = False
        self._changes: list[Any] | None = None

    def apply(self) -> None:
        self._changes = None
        self._do()
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False  # pushed right after apply(): already done
        else:
            self._changes = None
            self._redo()
        self._refresh()

    def undo(self) -> None:
        self._changes = None
        self._undo()
        self._refresh()

    def _refresh(self) -> None:
        changes, self._changes = self._changes, None
        if changes is None:
            self.doc.refresh(structure=self.structure)
        else:
            self.doc.refresh(structure=self.structure, changes=changes)

    def cells(self) -> list[Cell]:
        """The cells this step changes (for the window to show them after an undo or redo)."""
        return []

    def _do(self) -> None:
        raise NotImplementedError

    def _redo(self) -> None:
        self._do()

    def _undo(self) -> None:
        raise NotImplementedError


class SetFields(_ServiceCommand):
    """Set fields of one row. Consecutive edits of the same fields of one row merge into one step."""

    def __init__(
        self, doc: Any, entity: str, row_id: int, after: dict[str, Any], text: str = "修改"
    ) -> None:
        super().__init__(doc, text)
        self.entity, self.row_id, self.after = entity, row_id, dict(after)
        self.before: dict[str, Any] = {}

    def id(self) -> int:
        return SET_FIELDS_ID

    def cells(self) -> list[Cell]:
        return [Cell(self.entity, self.row_id, next(iter(self.after), None))]

    def _do(self) -> None:
        change = self.doc.ws.edit(self.entity, self.row_id, self.after)
        self.before, self._changes = change.before, [change]

    def _undo(self) -> None:
        self._changes = [self.doc.ws.edit(self.entity, self.row_id, self.before)]

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFields):
            return False
        if (other.entity, other.row_id, set(other.after)) != (
            self.entity,
            self.row_id,
            set(self.after),
        ):
            return False
        self.after = dict(other.after)
        if self.after == self.before:
            self.setObsolete(True)  # typed back to where it started: nothing left to undo
        return True


class InsertRows(_ServiceCommand):
    """Insert rows at a position (undo deletes them, redo restores them under the same ids)."""

    structure = True

    def __init__(
        self,
        doc: Any,
        entity: str,
        scope: dict[str, Any],
        position: int,
        rows: list[dict[str, Any]],
        text: str = "插入行",
    ) -> None:
        super().__init__(doc, text)
        self.entity, self.scope, self.position, self.rows = entity, dict(scope), position, rows
        self.ids: list[int] = []
        self.deleted: list[Any] = []

    def cells(self) -> list[Cell]:
        return [Cell(self.entity, rid) for rid in self.ids]

    def _do(self) -> None:
        self.ids = self.doc.ws.insert_many(self.entity, self.scope, self.position, self.rows)

    def _redo(self) -> None:
        self.doc.ws.restore_many(self.deleted)

    def _undo(self) -> None:
        self.deleted = self.doc.ws.delete_many(self.entity, self.ids)


class AddProject(_ServiceCommand):
    """Add a whole project (with its sources and indicator skeleton)."""

    structure = True

    def __init__(self, doc: Any, report_id: int, position: int | None, project: Any) -> None:
        super().__init__(doc, "新增项目")
        self.report_id, self.position, self.project = report_id, position, project
        self.project_id: int | None = None
        self.deleted: Any = None

    def cells(self) -> list[Cell]:
        return [Cell("project", self.project_id, "name")]

    def _do(self) -> None:
        self.project_id = self.doc.ws.add_project(self.report_id, self.position, self.project)

    def _redo(self) -> None:
        self.doc.ws.restore(self.deleted)

    def _undo(self) -> None:
        self.deleted = self.doc.ws.delete("project", self.project_id)


class DeleteRows(_ServiceCommand):
    """Delete rows (with their children); undo puts them back where they were, same ids."""

    structure = True

    def __init__(self, doc: Any, entity: str, row_ids: list[int], text: str = "删除行") -> None:
        super().__init__(doc, text)
        self.entity, self.row_ids = entity, list(row_ids)
        self.deleted: list[Any] = []

    def cells(self) -> list[Cell]:
        return [Cell(self.entity, rid) for rid in self.row_ids]

    def _do(self) -> None:
        self.deleted = self.doc.ws.delete_many(self.entity, self.row_ids)

    def _undo(self) -> None:
        self.doc.ws.restore_many(self.deleted)


class MoveRow(_ServiceCommand):
    """Move one row among its siblings."""

    structure = True

    def __init__(
        self, doc: Any, entity: str, row_id: int, new_position: int, text: str = "移动行"
    ) -> None:
        super().__init__(doc, text)
        self.entity, self.row_id, self.new_position = entity, row_id, new_position
        self.old_position = new_position

    def cells(self) -> list[Cell]:
        return [Cell(self.entity, self.row_id)]

    def _do(self) -> None:
        self.old_position = self.doc.ws.move(self.entity, self.row_id, self.new_position)

    def _undo(self) -> None:
        self.doc.ws.move(self.entity, self.row_id, self.old_position)


class PasteBlock(_ServiceCommand):
    """A pasted (or cleared) block: updates of existing rows plus rows appended, all or nothing."""

    structure = True

    def __init__(
        self,
        doc: Any,
        edits: list[tuple[str, int, dict[str, Any]]],
        insert: tuple[str, dict[str, Any], int, list[dict[str, Any]]] | None = None,
        text: str = "粘贴",
    ) -> None:
        super().__init__(doc, text)
        self.edits, self.insert = edits, insert
        self.structure = insert is not None  # rows appended: the report is read back
        self.before: list[tuple[str, int, dict[str, Any]]] = []
        self.inserted_ids: list[int] = []
        self.deleted: list[Any] = []

    def cells(self) -> list[Cell]:
        out = [Cell(e, rid, next(iter(values), None)) for e, rid, values in self.edits]
        if self.insert is not None:
            out += [Cell(self.insert[0], rid) for rid in self.inserted_ids]
        return out

    def _do(self) -> None:
        if self.insert is None:  # only cells changed: the snapshot is patched, not read back
            self._changes = self.doc.ws.edit_many(self.edits)
            before = [c.before for c in self._changes]
        else:
            before, self.inserted_ids = self.doc.ws.apply_block(self.edits, self.insert)
        self.before = [(e, rid, b) for (e, rid, _), b in zip(self.edits, before, strict=True)]

    def _redo(self) -> None:
        if self.insert is None:
            self._changes = self.doc.ws.edit_many(self.edits)
        else:
            self.doc.ws.redo_block(self.edits, self.deleted)

    def _undo(self) -> None:
        if self.insert is None:
            self._changes = self.doc.ws.edit_many(list(reversed(self.before)))
            return
        inserted = (self.insert[0], self.inserted_ids)
        self.deleted = self.doc.ws.undo_block(list(reversed(self.before)), inserted)

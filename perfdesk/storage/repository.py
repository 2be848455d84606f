"""Reading and writing reports: whole snapshots, and one row at a time.

Rows map onto the dataclasses of :mod:`perfdesk.domain.model` by field name. ``ENTITIES`` names
every kind of row the UI can edit, with the columns that place it (its *scope*) and whether its
rows are ordered; :func:`update_row`, :func:`insert_row`, :func:`delete_row`, :func:`restore_row`
and :func:`move_row` work on any of them, which is what undo/redo is built on.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from perfdesk.domain import model as m
from perfdesk.domain.limits import check_text
from perfdesk.domain.numbers import InputError, check_amount, parse_decimal
from perfdesk.storage import models as t
from perfdesk.storage import rows
from perfdesk.storage.rows import DeletedRow, ReportSummary, RowChange, RowNotFound, base_type

__all__ = [
    "DeletedRow",
    "ReportSummary",
    "RowChange",
    "RowNotFound",
]  # the light types, re-exported


@dataclass(frozen=True)
class Entity:
    """A kind of row: its table, its dataclass and how its rows are placed."""

    name: str
    table: type[t.Base]
    dataclass: type
    scope: tuple[str, ...]  # columns that say which rows are siblings
    ordered: bool

    def fields(self) -> dict[str, Any]:
        """Editable fields → type hint (worked out once per kind of row: it is on every read)."""
        return _fields_of(self)


@functools.cache
def _fields_of(entity: Entity) -> dict[str, Any]:
    hints = rows.field_hints(entity.dataclass)
    return {
        name: hint
        for name, hint in hints.items()
        if name != "id" and name in entity.table.__table__.c  # type: ignore[attr-defined]
    }


_TABLES = {mapper.class_.__tablename__: mapper.class_ for mapper in t.Base.registry.mappers}

ENTITIES: dict[str, Entity] = {
    name: Entity(name, _TABLES[name], kind.dataclass, kind.scope, kind.ordered)
    for name, kind in rows.KINDS.items()
}
"""The kinds of :data:`perfdesk.storage.rows.KINDS` with their ORM tables (the table of a kind
is named as the kind)."""

_CHILDREN: dict[str, tuple[str, ...]] = {
    "project": ("project_source", "indicator_group", "indicator"),
}
"""Rows deleted (and restored) together with their parent."""


# --- value conversion ----------------------------------------------------------------------------


def _nullable(hint: Any) -> bool:
    return type(None) in typing.get_args(hint)


@functools.cache
def _field_types(entity: Entity) -> dict[str, tuple[Any, bool]]:
    """Editable field → (its base type, may it be None), worked out once per kind of row."""
    return {name: (base_type(hint), _nullable(hint)) for name, hint in entity.fields().items()}


def to_column(entity: Entity, name: str, value: Any) -> Any:
    """Check a domain value for ``entity.name`` and turn it into what the column stores."""
    types_ = _field_types(entity)
    if name not in types_:
        raise KeyError(f"{entity.name} has no editable field {name!r}")
    base, nullable = types_[name]
    if value is None:
        if not nullable:
            raise InputError("此项不能为空")
        return None
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return base(value).value
    if base is Decimal:
        if not isinstance(value, Decimal):
            raise TypeError(f"{name} needs a Decimal")
        if name in m.AMOUNT_FIELDS:
            return check_amount(value, allow_negative=True)
        return parse_decimal(value, allow_negative=True)
    if base is bool:
        return bool(value)
    if base is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} needs an int")
        return value
    if base is str:
        if not isinstance(value, str):
            raise TypeError(f"{name} needs a str")
        return check_text(value)  # every way text enters the database passes here
    return value


def _from_column(hint: Any, value: Any) -> Any:
    base = base_type(hint)
    if value is not None and isinstance(base, type) and issubclass(base, enum.Enum):
        return base(value)
    return value


@functools.cache
def _readers(entity: Entity) -> tuple[tuple[tuple[str, Any], ...], bool]:
    """Per column, the converter from what a row holds to the domain value (``None``: as it is),
    built once per kind of row; and whether the dataclass has an ``id``."""
    readers = []
    for name, (base, _) in _field_types(entity).items():
        is_enum = isinstance(base, type) and issubclass(base, enum.Enum)
        readers.append((name, base if is_enum else None))
    has_id = "id" in {f.name for f in dataclasses.fields(entity.dataclass)}
    return tuple(readers), has_id


def _to_dataclass(entity: Entity, row: Any, **extra: Any) -> Any:
    readers, has_id = _readers(entity)
    values = {}
    for name, convert in readers:
        value = getattr(row, name)
        values[name] = convert(value) if convert is not None and value is not None else value
    if has_id:
        values["id"] = row.id
    values.update(extra)
    return entity.dataclass(**values)


@functools.cache
def _round_trips(entity: Entity) -> dict[str, Any]:
    """Per column, what storing a column value and reading it back gives (as a fresh read would
    see it: an amount in its canonical form, an enum member, a bool)."""
    out: dict[str, Any] = {}
    columns = entity.table.__table__.c  # type: ignore[attr-defined]
    for name, (base, _) in _field_types(entity).items():
        col_type = columns[name].type
        bind = getattr(col_type, "process_bind_param", None)
        result = getattr(col_type, "process_result_value", None)
        is_enum = isinstance(base, type) and issubclass(base, enum.Enum)

        def trip(value: Any, bind=bind, result=result, is_enum=is_enum, base=base) -> Any:
            if value is None:
                return None
            if bind is not None and result is not None:
                value = result(bind(value, None), None)
            elif base is bool:
                value = bool(value)
            return base(value) if is_enum else value

        out[name] = trip
    return out


def _columns_of(entity: Entity, obj: Any) -> dict[str, Any]:
    return {name: to_column(entity, name, getattr(obj, name)) for name in entity.fields()}


# --- whole snapshots -----------------------------------------------------------------------------


def save_report(session: Session, report: m.Report) -> int:
    """Insert ``report`` with all its rows; returns the new report id. Ids in ``report`` are ignored."""
    row = t.ReportRow(**_columns_of(ENTITIES["report"], report))
    session.add(row)
    session.flush()
    rid = row.id

    def add(entity_name: str, objs: list[Any], **scope: Any) -> list[Any]:
        entity = ENTITIES[entity_name]
        rows = []
        for position, obj in enumerate(objs):
            values = _columns_of(entity, obj)
            if entity.ordered:
                values["position"] = position
            r = entity.table(report_id=rid, **scope, **values)
            session.add(r)
            rows.append(r)
        return rows

    add("staff_post", report.posts)
    for key in m.LIST_KEYS:
        add("list_item", report.lists.get(key, []), list_key=key)
    add("budget_line", report.budget_lines)
    add("control_line", report.control_lines)
    add("special_fund", report.special_funds)
    add("building", report.buildings)
    add("indicator_group", report.groups, project_id=None)
    add("indicator", report.indicators, project_id=None)
    add("section", report.sections)
    add("note", report.notes)
    project_rows = add("project", report.projects)
    session.flush()
    for project, prow in zip(report.projects, project_rows, strict=True):
        add("project_source", project.sources, project_id=prow.id)
        add("indicator_group", project.groups, project_id=prow.id)
        add("indicator", project.indicators, project_id=prow.id)
    session.flush()
    return rid


def _connection(session: Session) -> Any:
    """The sqlite3 connection under ``session`` (in its transaction), for :mod:`~perfdesk.storage.rows`."""
    return session.connection().connection.driver_connection


def load_report(session: Session, report_id: int) -> m.Report:
    """The whole report ``report_id`` as a snapshot (ids filled in): :func:`rows.load_report`
    on the session's connection."""
    return rows.load_report(_connection(session), report_id)


def list_reports(session: Session) -> list[ReportSummary]:
    return rows.list_reports(_connection(session))


def find_report(
    session: Session,
    unit_name: str,
    year: int,
    kind: m.ReportKind = m.ReportKind.DEPARTMENT,
    project_name: str = "",
    *,
    exclude: int | None = None,
) -> int | None:
    """The id of the report of that unit, year and kind (and project, for a project report)."""
    # Only the reports of this unit, year and kind are read: gathering a folder of hundreds of
    # files asks this once per file, and listing every report each time grew with the square.
    ids = session.scalars(
        select(t.ReportRow.id)
        .where(
            t.ReportRow.unit_name == unit_name,
            t.ReportRow.year == year,
            t.ReportRow.kind == m.ReportKind(kind).value,
        )
        .order_by(t.ReportRow.id)
    )
    for rid in ids:
        if rid == exclude:
            continue
        if kind == m.ReportKind.PROJECT:
            first = session.scalar(
                select(t.ProjectRow.name)
                .where(t.ProjectRow.report_id == rid)
                .order_by(t.ProjectRow.position)
                .limit(1)
            )
            if (first or "") != project_name:
                continue
        return rid
    return None


# --- one row at a time ---------------------------------------------------------------------------


def _get(session: Session, entity: Entity, row_id: int) -> Any:
    row = session.get(entity.table, row_id)
    if row is None:
        raise RowNotFound(f"{entity.name} {row_id} 已不存在")
    return row


_PLACING = ("project_id", "list_key", "key", "kind")
"""Columns that say where a row sits in a snapshot (fixed rows have no id there)."""


def change_row(
    session: Session, entity_name: str, row_id: int, changes: dict[str, Any]
) -> RowChange:
    """Set fields of one row; returns the change (previous values for undo, new ones as read)."""
    entity = ENTITIES[entity_name]
    row = _get(session, entity, row_id)
    fields = entity.fields()
    trips = _round_trips(entity)
    before, after = {}, {}
    for name, value in changes.items():
        column_value = to_column(entity, name, value)
        before[name] = _from_column(fields[name], getattr(row, name))
        setattr(row, name, column_value)
        after[name] = trips[name](column_value)
    session.flush()
    where = {c: getattr(row, c) for c in _PLACING if hasattr(row, c)}
    return RowChange(entity_name, row_id, before, after, where)


def update_row(
    session: Session, entity_name: str, row_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Set fields of one row; returns their previous domain values (for undo)."""
    return change_row(session, entity_name, row_id, changes).before


def update_rows(
    session: Session, edits: list[tuple[str, int, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """:func:`update_row` for many rows (an imported workbook): each kind of row read in one query
    and everything written in one flush. Returns the previous values, edit by edit."""
    by_entity: dict[str, set[int]] = {}
    for entity_name, row_id, _changes in edits:
        by_entity.setdefault(entity_name, set()).add(row_id)
    for entity_name, ids in by_entity.items():
        table = ENTITIES[entity_name].table
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):  # SQLite's limit on bound parameters
            chunk = ordered[start : start + 500]
            session.scalars(select(table).where(table.id.in_(chunk))).all()  # type: ignore[attr-defined]
    before = []
    for entity_name, row_id, changes in edits:
        entity = ENTITIES[entity_name]
        row = _get(session, entity, row_id)  # from the identity map: no query
        fields = entity.fields()
        old = {}
        for name, value in changes.items():
            column_value = to_column(entity, name, value)
            old[name] = _from_column(fields[name], getattr(row, name))
            setattr(row, name, column_value)
        before.append(old)
    session.flush()
    return before


def read_row(session: Session, entity_name: str, row_id: int) -> Any:
    """One row as its dataclass (a project without its children)."""
    entity = ENTITIES[entity_name]
    return (
        _to_dataclass(entity, _get(session, entity, row_id))
        if entity_name != "project"
        else (
            _to_dataclass(
                entity, _get(session, entity, row_id), sources=[], groups=[], indicators=[]
            )
        )
    )


def _siblings_filter(entity: Entity, scope: dict[str, Any]) -> list[Any]:
    table = entity.table
    conds = []
    for column in entity.scope:
        col = getattr(table, column)
        value = scope.get(column)
        conds.append(col.is_(None) if value is None else col == value)
    return conds


def _scope_of(entity: Entity, row: Any) -> dict[str, Any]:
    return {column: getattr(row, column) for column in entity.scope}


def count_rows(session: Session, entity_name: str, scope: dict[str, Any]) -> int:
    entity = ENTITIES[entity_name]
    return (
        session.scalar(
            select(func.count()).select_from(entity.table).where(*_siblings_filter(entity, scope))
        )
        or 0
    )


def insert_row(
    session: Session,
    entity_name: str,
    scope: dict[str, Any],
    position: int | None = None,
    values: dict[str, Any] | None = None,
    *,
    row_id: int | None = None,
) -> int:
    """Insert a row among its siblings at ``position`` (end if ``None``); returns its id."""
    entity = ENTITIES[entity_name]
    if not entity.ordered:
        raise ValueError(f"{entity_name} rows are fixed; they cannot be inserted")
    table = entity.table
    n = count_rows(session, entity_name, scope)
    position = n if position is None else max(0, min(position, n))
    session.execute(
        update(table)
        .where(*_siblings_filter(entity, scope), table.position >= position)  # type: ignore[attr-defined]
        .values(position=table.position + 1)  # type: ignore[attr-defined]
    )
    defaults = _columns_of(entity, _blank(entity))
    for name, value in (values or {}).items():
        defaults[name] = to_column(entity, name, value)
    extra = {"id": row_id} if row_id is not None else {}
    row = table(**scope, position=position, **defaults, **extra)
    session.add(row)
    session.flush()
    return row.id


def _blank(entity: Entity) -> Any:
    required = {
        m.StaffPost: {"kind": ""},
        m.ListItem: {"text": ""},
        m.Building: {},
        m.Project: {"name": ""},
        m.IndicatorGroup: {"name": ""},
        m.Indicator: {"level1": "", "level2": ""},
        m.Section: {"key": "", "heading": ""},
        m.Note: {"rule": "", "place": "", "text": ""},
    }
    return entity.dataclass(**required.get(entity.dataclass, {}))


def _raw(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def delete_row(session: Session, entity_name: str, row_id: int) -> DeletedRow:
    """Delete one row (with its children); returns what :func:`restore_row` needs."""
    entity = ENTITIES[entity_name]
    if not entity.ordered:
        raise ValueError(f"{entity_name} rows are fixed; they cannot be deleted")
    row = _get(session, entity, row_id)
    deleted = DeletedRow(entity_name, _raw(row))
    for child_name in _CHILDREN.get(entity_name, ()):
        child = ENTITIES[child_name]
        for r in session.scalars(
            select(child.table).where(child.table.project_id == row_id).order_by(child.table.id)
        ):  # type: ignore[attr-defined]
            deleted.children.append(DeletedRow(child_name, _raw(r)))
    scope, position = _scope_of(entity, row), row.position
    session.delete(row)
    session.flush()
    session.execute(
        update(entity.table)
        .where(*_siblings_filter(entity, scope), entity.table.position > position)  # type: ignore[attr-defined]
        .values(position=entity.table.position - 1)  # type: ignore[attr-defined]
    )
    session.flush()
    return deleted


def restore_row(session: Session, deleted: DeletedRow) -> int:
    """Put back a row removed by :func:`delete_row`, under its old id and at its old position."""
    entity = ENTITIES[deleted.entity]
    columns = dict(deleted.columns)
    scope = {c: columns[c] for c in entity.scope}
    position = columns.pop("position")
    session.execute(
        update(entity.table)
        .where(*_siblings_filter(entity, scope), entity.table.position >= position)  # type: ignore[attr-defined]
        .values(position=entity.table.position + 1)  # type: ignore[attr-defined]
    )
    session.add(entity.table(position=position, **columns))
    session.flush()
    for child in deleted.children:
        session.add(ENTITIES[child.entity].table(**child.columns))
    session.flush()
    return columns["id"]


def move_row(session: Session, entity_name: str, row_id: int, new_position: int) -> int:
    """Move a row among its siblings; returns its old position."""
    entity = ENTITIES[entity_name]
    if not entity.ordered:
        raise ValueError(f"{entity_name} rows are fixed; they cannot be moved")
    row = _get(session, entity, row_id)
    scope, old = _scope_of(entity, row), row.position
    n = count_rows(session, entity_name, scope)
    new = max(0, min(new_position, n - 1))
    if new == old:
        return old
    table = entity.table
    siblings = _siblings_filter(entity, scope)
    if new < old:
        session.execute(
            update(table)
            .where(*siblings, table.position >= new, table.position < old)  # type: ignore[attr-defined]
            .values(position=table.position + 1)  # type: ignore[attr-defined]
        )
    else:
        session.execute(
            update(table)
            .where(*siblings, table.position > old, table.position <= new)  # type: ignore[attr-defined]
            .values(position=table.position - 1)  # type: ignore[attr-defined]
        )
    row.position = new
    session.flush()
    return old

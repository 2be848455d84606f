"""A report's rows and how they are read, with nothing but :mod:`sqlite3`.

Every table holds one kind of row of a report; its columns are the field names of a dataclass of
:mod:`perfdesk.domain.model`. :data:`KINDS` names each kind with the columns that place it (its
*scope*) and whether its rows are ordered. What a column stores is worked out from the field's
type: an amount (:data:`~perfdesk.domain.model.AMOUNT_FIELDS`) as an integer number of 元, any
other decimal as its canonical text, a date as ISO text, an enum as its value, a bool as 0/1,
a whole number as an integer (text or a fraction there is refused as damage, never truncated).

:func:`load_report` and :func:`list_reports` are the one way a report is read — the ORM's
repository calls them on its own connection, and the commands that only read (``pdf``, ``list``,
``export``, ``audit``) and the window's first view call them without importing SQLAlchemy at all
(issue 16: importing it costs about 0.3 s and 47 MB). This module imports nothing of SQLAlchemy;
:mod:`perfdesk.storage.models` must agree with it, which ``tests/storage/test_rows.py`` checks
column by column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import sqlite3
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from perfdesk.domain import model as m
from perfdesk.domain.numbers import AMOUNT_PLACES, canonical_amount, canonical_decimal


@dataclass(frozen=True)
class Kind:
    """A kind of row: its table (named as the kind), its dataclass and how its rows are placed."""

    name: str
    dataclass: type
    scope: tuple[str, ...]  # columns that say which rows are siblings
    ordered: bool


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("report", m.Report, (), False),
        Kind("staff_post", m.StaffPost, ("report_id",), True),
        Kind("list_item", m.ListItem, ("report_id", "list_key"), True),
        Kind("budget_line", m.BudgetLine, ("report_id",), False),
        Kind("control_line", m.ControlLine, ("report_id",), False),
        Kind("special_fund", m.SpecialFund, ("report_id",), False),
        Kind("building", m.Building, ("report_id",), True),
        Kind("project", m.Project, ("report_id",), True),
        Kind("project_source", m.BudgetLine, ("report_id", "project_id"), False),
        Kind("indicator_group", m.IndicatorGroup, ("report_id", "project_id"), True),
        Kind("indicator", m.Indicator, ("report_id", "project_id"), True),
        Kind("section", m.Section, ("report_id",), True),
        Kind("note", m.Note, ("report_id",), True),
    ]
}


class RowNotFound(LookupError):
    """The row was deleted meanwhile (e.g. by another undo)."""


# --- what a column stores ------------------------------------------------------------------------


def int_from_column(value: Any) -> int:
    """A whole number as stored; anything else (text or a fraction written into the file by
    another program, a damaged page) is refused, never truncated."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(f"stored value is not a whole number ({type(value).__name__})")


def money_from_column(value: int) -> Decimal:
    """An amount in 万元 from its stored integer number of 元."""
    return canonical_amount(Decimal(int_from_column(value)).scaleb(-AMOUNT_PLACES))


def decimal_from_column(value: str) -> Decimal:
    """A plain decimal (weight, score, value, area) from its stored canonical text."""
    return canonical_decimal(Decimal(value))


def date_from_column(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def base_type(hint: Any) -> Any:
    """``X`` for ``X | None``."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0]
    return hint


@functools.cache
def field_hints(dataclass_: type) -> dict[str, Any]:
    """Field → type hint of a model dataclass (typing.get_type_hints is slow: once per class)."""
    hints = typing.get_type_hints(dataclass_)
    return {f.name: hints[f.name] for f in dataclasses.fields(dataclass_)}


def reader_for(name: str, hint: Any) -> Callable[[Any], Any] | None:
    """The function turning the stored value of field ``name`` (not None) into its domain value;
    None where the stored value is the value (text)."""
    base = base_type(hint)
    if base is Decimal:
        return money_from_column if name in m.AMOUNT_FIELDS else decimal_from_column
    if base is dt.date:
        return date_from_column
    if base is bool:
        return bool
    if base is int:
        return int_from_column
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return base
    return None


@functools.cache
def _readers(kind: Kind, columns: tuple[str, ...]) -> tuple[tuple[int, str, Any], ...]:
    """(index in the row, field, reader) of every column of ``kind``'s dataclass in ``columns``."""
    hints = field_hints(kind.dataclass)
    return tuple(
        (i, name, reader_for(name, hints[name])) for i, name in enumerate(columns) if name in hints
    )


Rows = list[tuple[tuple[Any, ...], dict[str, Any]]]
"""Each row as it is stored (for the columns that place it) and its fields as domain values."""


def _select(
    con: sqlite3.Connection, kind: Kind, where: str, params: tuple[Any, ...], order: str = "id"
) -> tuple[tuple[str, ...], Rows]:
    cursor = con.execute(
        f"SELECT * FROM {kind.name} WHERE {where} ORDER BY {order}",  # noqa: S608 - names from KINDS
        params,
    )
    columns = tuple(d[0] for d in cursor.description)
    readers = _readers(kind, columns)
    out = []
    for row in cursor.fetchall():
        values = {}
        for i, name, read in readers:
            value = row[i]
            values[name] = read(value) if read is not None and value is not None else value
        out.append((row, values))
    return columns, out


def _rows(con: sqlite3.Connection, kind: Kind, report_id: int) -> tuple[tuple[str, ...], Rows]:
    return _select(
        con, kind, "report_id = ?", (report_id,), "position, id" if kind.ordered else "id"
    )


# --- whole snapshots -----------------------------------------------------------------------------


def load_report(con: sqlite3.Connection, report_id: int) -> m.Report:
    """The whole report ``report_id`` as a snapshot (ids filled in), read on ``con``.

    One query per table; projects' children are grouped in Python. Fixed rows (budget lines,
    control lines, special funds) come in the model's order, however late a row was added (a new
    key, an upgrade): snapshots, and so exchange files, are canonical.
    """
    _, head = _select(con, KINDS["report"], "id = ?", (report_id,))
    if not head:
        raise RowNotFound(f"没有编号为 {report_id} 的报告")

    def objs(name: str) -> list[Any]:
        kind = KINDS[name]
        return [kind.dataclass(**values) for _, values in _rows(con, kind, report_id)[1]]

    def keyed(name: str, order: list[str], attr: str = "key") -> list[Any]:
        rank = {key: i for i, key in enumerate(order)}
        return sorted(objs(name), key=lambda o: rank.get(str(getattr(o, attr)), len(rank)))

    children: dict[str, dict[int | None, list[Any]]] = {}
    for name in ("project_source", "indicator_group", "indicator"):
        kind = KINDS[name]
        columns, rows = _rows(con, kind, report_id)
        at = columns.index("project_id")
        grouped: dict[int | None, list[Any]] = {}
        for row, values in rows:
            grouped.setdefault(row[at], []).append(kind.dataclass(**values))
        children[name] = grouped

    projects = []
    columns, rows = _rows(con, KINDS["project"], report_id)
    at = columns.index("id")
    for row, values in rows:
        pid = row[at]
        projects.append(
            m.Project(
                **values,
                sources=children["project_source"].get(pid, []),
                groups=children["indicator_group"].get(pid, []),
                indicators=children["indicator"].get(pid, []),
            )
        )
    lists: dict[str, list[m.ListItem]] = {}
    columns, rows = _rows(con, KINDS["list_item"], report_id)
    at = columns.index("list_key")
    for row, values in rows:
        lists.setdefault(row[at], []).append(m.ListItem(**values))
    return m.Report(
        **head[0][1],
        posts=objs("staff_post"),
        lists=lists,
        budget_lines=keyed("budget_line", list(m.BUDGET_LINE_KEYS)),
        control_lines=keyed("control_line", list(m.CONTROL_LINE_KEYS)),
        special_funds=keyed("special_fund", [k.value for k in m.SpecialFundKind], "kind"),
        buildings=objs("building"),
        groups=children["indicator_group"].get(None, []),
        indicators=children["indicator"].get(None, []),
        projects=projects,
        sections=objs("section"),
        notes=objs("note"),
    )


@dataclass(frozen=True)
class ReportSummary:
    id: int
    unit_name: str
    year: int
    project_count: int
    kind: m.ReportKind = m.ReportKind.DEPARTMENT
    project_name: str = ""  # a project report's project
    is_sample: bool = False

    @property
    def label(self) -> str:
        """How the report is named in lists: ``2024年度 株洲市芦淞区民政局`` (+ the project)."""
        what = f"{self.year}年度 {self.unit_name}"
        if self.kind == m.ReportKind.PROJECT:
            what += f" · {self.project_name or '（未命名项目）'}项目"
        return what + ("（示例）" if self.is_sample else "")


def list_reports(con: sqlite3.Connection) -> list[ReportSummary]:
    """Every report in the file, by unit, year, kind and id; with its number of projects and, for
    a project report, the name of its (first) project."""
    counts = dict(
        con.execute("SELECT report_id, count(*) FROM project GROUP BY report_id").fetchall()
    )
    names = dict(
        con.execute(
            "SELECT p.report_id, p.name FROM project AS p JOIN "
            "(SELECT report_id, min(position) AS first FROM project GROUP BY report_id) AS f "
            "ON p.report_id = f.report_id AND p.position = f.first"
        ).fetchall()
    )
    rows = con.execute(
        "SELECT id, unit_name, year, kind, is_sample FROM report ORDER BY unit_name, year, kind, id"
    ).fetchall()
    out = []
    for rid, unit_name, year, kind, is_sample in rows:
        kind = m.ReportKind(kind)
        out.append(
            ReportSummary(
                rid,
                unit_name,
                year,
                counts.get(rid, 0),
                kind,
                names.get(rid, "") if kind == m.ReportKind.PROJECT else "",
                bool(is_sample),
            )
        )
    return out


# --- what edits hand back ------------------------------------------------------------------------


@dataclass(frozen=True)
class RowChange:
    """One row's fields changed and committed: enough for a window to apply the edit to the
    snapshot it holds instead of reading the whole report back.

    ``after`` holds the values as a fresh read gives them (canonical amounts, enum members);
    ``where`` the columns that place the row in a snapshot (its project, list, fixed key).
    """

    entity: str
    row_id: int
    before: dict[str, Any]
    after: dict[str, Any]
    where: dict[str, Any] = field(default_factory=dict)


@dataclass
class DeletedRow:
    """Everything needed to put a deleted row (and its children) back exactly where it was."""

    entity: str
    columns: dict[str, Any]  # raw column values including id, scope and position
    children: list[DeletedRow] = field(default_factory=list)

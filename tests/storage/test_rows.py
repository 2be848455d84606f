"""Reading a report with plain sqlite3 (:mod:`perfdesk.storage.rows`) gives what the ORM gives.

``perfdesk pdf``, ``list``, ``audit`` and the window's first view read reports through
``rows`` without importing SQLAlchemy; every edit goes through the ORM models. These tests hold
the two descriptions of a column — the models' column types and ``rows``' readers — against each
other, and a snapshot read by ``rows`` against every row read back one at a time by the ORM.
"""

from __future__ import annotations

import enum
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.domain import model as m
from perfdesk.errors import StorageReadError
from perfdesk.sample import load_sample
from perfdesk.services import Workspace
from perfdesk.storage import repository as repo
from perfdesk.storage import rows
from perfdesk.storage.fileformat import sqlite_uri
from perfdesk.storage.types import DateText, DecimalText, Money
from tests.storage.helpers import small_report


def _saved(tmp_path: Path) -> tuple[Path, int]:
    """A closed database holding a small report, and the report's id."""
    path = tmp_path / "p.db"
    ws = Workspace.open(path)
    rid = ws.add_report(small_report())
    ws.close()
    return path, rid


def _write(path: Path, sql: str, *params: object) -> None:
    """Change the file behind perfdesk's back, as another program would."""
    con = sqlite3.connect(sqlite_uri(path, "rw"), uri=True)
    con.execute(sql, params)
    con.commit()
    con.close()


def test_every_column_is_read_as_the_orm_model_stores_it() -> None:
    from sqlalchemy import Boolean, Integer

    expected = {Money: rows.money_from_column, DecimalText: rows.decimal_from_column}
    for name, kind in rows.KINDS.items():
        table = repo.ENTITIES[name].table.__table__  # type: ignore[attr-defined]
        assert table.name == name
        hints = rows.field_hints(kind.dataclass)
        for column in table.c:
            if column.name not in hints:
                continue
            reader = rows.reader_for(column.name, hints[column.name])
            stored = type(column.type)
            if stored in expected:
                assert reader is expected[stored], (name, column.name)
            elif stored is DateText:
                assert reader is rows.date_from_column, (name, column.name)
            elif stored is Boolean:
                assert reader is bool, (name, column.name)
            elif stored is Integer:
                assert reader is rows.int_from_column, (name, column.name)
            else:  # text is read as stored, enums by their value
                assert reader is None or issubclass(reader, enum.Enum), (name, column.name)


def _every_row_through_the_orm(ws: Workspace, report_id: int) -> dict[str, list[str]]:
    from sqlalchemy import select

    out: dict[str, list[str]] = {}
    with ws.db.reading() as session:
        for name, entity in repo.ENTITIES.items():
            table = entity.table
            query = select(table.id)  # type: ignore[attr-defined]
            if name == "report":
                query = query.where(table.id == report_id)  # type: ignore[attr-defined]
            else:
                query = query.where(table.report_id == report_id)  # type: ignore[attr-defined]
            for rid in session.scalars(query):
                out.setdefault(name, []).append(repr(repo.read_row(session, name, rid)))
    return {name: sorted(objs) for name, objs in out.items()}


def _every_row_of(report: m.Report) -> dict[str, list[str]]:
    """The snapshot's rows by kind (a report or project without its children, as read_row gives
    them; fixed rows have no id, so rows are compared as sorted lists)."""
    import dataclasses

    out: dict[str, list[str]] = {}

    def put(name: str, obj: object) -> None:
        out.setdefault(name, []).append(repr(obj))

    put("report", dataclasses.replace(report, posts=[], lists={}, budget_lines=[],
                                      control_lines=[], special_funds=[], buildings=[],
                                      groups=[], indicators=[], projects=[], sections=[],
                                      notes=[]))  # fmt: skip
    for name, objs in (
        ("staff_post", report.posts),
        ("list_item", [i for items in report.lists.values() for i in items]),
        ("budget_line", report.budget_lines),
        ("control_line", report.control_lines),
        ("special_fund", report.special_funds),
        ("building", report.buildings),
        ("indicator_group", report.groups),
        ("indicator", report.indicators),
        ("section", report.sections),
        ("note", report.notes),
    ):
        for obj in objs:
            put(name, obj)
    for project in report.projects:
        put("project", dataclasses.replace(project, sources=[], groups=[], indicators=[]))
        for name, objs in (
            ("project_source", project.sources),
            ("indicator_group", project.groups),
            ("indicator", project.indicators),
        ):
            for obj in objs:
                put(name, obj)
    return {name: sorted(objs) for name, objs in out.items()}


@pytest.mark.parametrize("which", ["sample", "small"])
def test_a_snapshot_read_with_sqlite3_equals_every_row_read_by_the_orm(
    tmp_path: Path, which: str
) -> None:
    ws = Workspace.open(tmp_path / "p.db")
    try:
        report = load_sample() if which == "sample" else small_report()
        rid = ws.add_report(report)
        snapshot = ws.load(rid)
        assert _every_row_of(snapshot) == _every_row_through_the_orm(ws, rid)
        # and it is the report that was saved (ids aside)
        assert ws.load(rid) == snapshot
        assert snapshot.unit_name == report.unit_name
        assert len(snapshot.projects) == len(report.projects)
    finally:
        ws.close()


def test_a_read_only_workspace_lists_and_reads_without_an_engine(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    ws = Workspace.open(path)
    rid = ws.add_report(load_sample())
    ws.close()

    reader = Workspace.open_for_reading(path)
    try:
        [summary] = reader.list_reports()
        assert (summary.id, summary.year, summary.project_count) == (rid, 2024, 12)
        report = reader.load(rid)
        assert report.projects[0].executed is not None
        assert reader.db._engine is None  # nothing above needed SQLAlchemy
    finally:
        reader.close()


def test_the_writer_reads_its_own_commits_on_its_plain_connection(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "p.db")
    try:
        rid = ws.add_report(small_report())
        report = ws.load(rid)
        project = report.projects[0]
        ws.edit("project", project.id, {"executed": Decimal("12.3400")})
        assert ws.load(rid).projects[0].executed == Decimal("12.34")
        ws.edit("project", project.id, {"executed": None})
        assert ws.load(rid).projects[0].executed is None  # blank read back as blank
    finally:
        ws.close()


def test_a_stored_amount_that_does_not_decode_is_a_chinese_read_error(tmp_path: Path) -> None:
    path, rid = _saved(tmp_path)
    _write(path, "UPDATE project SET executed = 'x1' WHERE report_id = ?", rid)

    reader = Workspace.open_for_reading(path)
    try:
        with pytest.raises(StorageReadError, match="无法读取的数值或日期"):
            reader.load(rid)
        assert reader.list_reports()[0].id == rid  # the connection is still usable
    finally:
        reader.close()


def test_a_missing_report_is_named(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "p.db")
    try:
        with ws.db.reading_raw() as con, pytest.raises(rows.RowNotFound, match="编号为 7"):
            rows.load_report(con, 7)
    finally:
        ws.close()


@pytest.mark.parametrize(
    ("table", "column", "bad"),
    [
        ("staff_post", "count", "abc"),  # text in a whole-number column
        ("staff_post", "count", 7.5),  # a fraction: refused, not truncated to 7
        ("project", "executed", 7.5),  # an amount is a whole number of 元
    ],
)
def test_a_stored_value_of_the_wrong_kind_is_a_chinese_read_error_not_a_crash(
    tmp_path: Path, table: str, column: str, bad: object
) -> None:
    path, rid = _saved(tmp_path)
    _write(path, f"UPDATE {table} SET {column} = ? WHERE report_id = ?", bad, rid)  # noqa: S608

    reader = Workspace.open_for_reading(path)
    try:
        with pytest.raises(StorageReadError, match="无法读取的数值或日期"):
            reader.load(rid)
    finally:
        reader.close()


def test_a_reader_sees_the_file_put_in_place_by_another_program(tmp_path: Path) -> None:
    """A read-only window keeps reading the file under its name: a backup restored by another
    perfdesk (the file replaced) is what it shows next, not the old file it still held open."""
    import os
    import shutil

    path = tmp_path / "p.db"
    ws = Workspace.open(path)
    rid = ws.add_report(small_report())
    ws.update("report", rid, {"actual_staff": 55})
    ws.close()
    shutil.copy(path, tmp_path / "other.db")
    other = Workspace.open(tmp_path / "other.db")
    other.update("report", rid, {"actual_staff": 21})
    other.close()

    reader = Workspace.open_for_reading(path)
    try:
        assert reader.load(rid).actual_staff == 55
        os.replace(tmp_path / "other.db", path)  # as a restore in another process does
        assert reader.load(rid).actual_staff == 21
    finally:
        reader.close()

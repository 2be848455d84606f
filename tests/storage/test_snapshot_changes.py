"""A committed edit applied to a snapshot gives what reading the report back gives.

The window keeps its report snapshot and applies each committed field edit to it
(``Workspace.edit`` → ``RowChange`` → ``apply_changes``) instead of reading the whole report back;
these tests hold that against ``Workspace.load`` for every editable field of every kind of row.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from perfdesk.services import Workspace, apply_changes
from perfdesk.storage import repository as repo

SKIPPED = {
    ("report", "kind"),  # a report's kind decides its tables: not a field a clerk edits
    ("report", "unit_name"),  # checked against the other reports (tested in the UI tests)
    ("report", "year"),
}


def _new_value(base: Any, current: Any, name: str, i: int) -> Any:
    """A value different from ``current``, in a form a fresh read would normalise."""
    if isinstance(base, type) and issubclass(base, enum.Enum):
        members = list(base)
        return next((m for m in members if m != current), members[0])
    if base is bool:
        return not current
    if base is int:
        return (current or 0) + 3
    if base is Decimal:
        return Decimal(f"{12 + i}.3400")  # trailing zeros: the stored form is canonical
    if base is dt.date:
        return dt.date(2025, 3, 1 + i % 27)
    if base is str:
        return f"改过的{name}第{i}稿"
    raise AssertionError(f"no test value for {base}")


def _one_row_id(ws: Workspace, entity: repo.Entity, report_id: int) -> int | None:
    table = entity.table
    with ws.db.reading() as session:
        return session.scalar(
            select(table.id)  # type: ignore[attr-defined]
            .where(
                table.report_id == report_id if entity.name != "report" else table.id == report_id
            )  # type: ignore[attr-defined]
            .order_by(table.id.desc())  # type: ignore[attr-defined]
            .limit(1)
        )


def _same(a: Any, b: Any) -> None:
    assert a == b
    assert repr(a) == repr(b)  # also 1.50 against 1.5: the figures print as a fresh read shows them


@pytest.fixture
def sample_ws(tmp_path: Path) -> Any:
    from perfdesk.sample import load_sample

    ws = Workspace.open(tmp_path / "perfdesk.db")
    rid = ws.add_report(load_sample())
    yield ws, rid
    ws.close()


def test_every_editable_field_of_every_row_kind_patches_like_a_fresh_read(sample_ws):
    ws, rid = sample_ws
    for name in ("building", "note", "staff_post"):  # rows the sample may not have
        if _one_row_id(ws, repo.ENTITIES[name], rid) is None:
            ws.insert(name, {"report_id": rid})
    snapshot = ws.load(rid)
    i = 0
    for name, entity in repo.ENTITIES.items():
        row_id = _one_row_id(ws, entity, rid)
        assert row_id is not None, f"the sample has no {name} row"
        current = ws.read(name, row_id)
        for field, (base, nullable) in repo._field_types(entity).items():
            if (name, field) in SKIPPED or (name != "section" and field in ("key", "kind")):
                continue
            i += 1
            value = _new_value(base, getattr(current, field), field, i)
            change = ws.edit(name, row_id, {field: value})
            patched = apply_changes(snapshot, [change])
            assert patched is not None, (name, field)
            _same(patched, ws.load(rid))
            snapshot = patched
            if nullable:  # and back to blank
                change = ws.edit(name, row_id, {field: None})
                snapshot = apply_changes(snapshot, [change])
                _same(snapshot, ws.load(rid))
    assert i > 60  # every kind of row, every kind of field


def test_the_snapshot_given_is_left_as_it_was(sample_ws):
    ws, rid = sample_ws
    before = ws.load(rid)
    kept = repr(before)
    project = before.projects[1]
    change = ws.edit("indicator", project.indicators[0].id, {"score": Decimal("1.5")})
    after = apply_changes(before, [change])
    assert repr(before) == kept  # a preview printing from it meanwhile sees one whole report
    assert after is not None and after.projects[1].indicators[0].score == Decimal("1.5")
    assert after.projects[0] is before.projects[0]  # only the way to the row is copied


def test_a_change_to_a_row_the_snapshot_lacks_asks_for_a_fresh_read(sample_ws):
    ws, rid = sample_ws
    stale = ws.load(rid)
    new_id = ws.insert("note", {"report_id": rid}, None, {"rule": "r", "place": "p", "text": "t"})
    change = ws.edit("note", new_id, {"text": "改"})
    assert apply_changes(stale, [change]) is None
    change = ws.edit("report", rid, {"preparer": "李四"})
    other = ws.load(rid)
    other.id = rid + 1
    assert apply_changes(other, [change]) is None


def test_the_edit_stays_one_durable_transaction(sample_ws):
    """``edit`` commits exactly as ``update`` did: a second connection sees it at once."""
    import sqlite3

    ws, rid = sample_ws
    change = ws.edit("report", rid, {"personnel_expense": Decimal("123.4500")})
    assert change.before != change.after
    with ws.db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert str(c.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() == "delete"
    other = sqlite3.connect(ws.path)
    try:
        (stored,) = other.execute(
            "SELECT personnel_expense FROM report WHERE id = ?", (rid,)
        ).fetchone()
    finally:
        other.close()
    assert stored == 1234500  # 元


def test_a_report_lacking_fixed_rows_is_seen_from_its_snapshot(sample_ws):
    """Opening a report asks its snapshot whether a fixed grid lacks rows before writing any."""
    from perfdesk.services import lacks_fixed_rows

    ws, rid = sample_ws
    assert not lacks_fixed_rows(ws.load(rid))
    for entity, table in (
        ("budget_line", "budget_line"),
        ("control_line", "control_line"),
        ("special_fund", "special_fund"),
        ("project_source", "project_source"),
    ):
        row_id = _one_row_id(ws, repo.ENTITIES[entity], rid)
        with ws.db.transaction() as session:
            session.execute(
                repo.ENTITIES[entity]
                .table.__table__.delete()
                .where(
                    repo.ENTITIES[entity].table.id == row_id  # type: ignore[attr-defined]
                )
            )
        assert lacks_fixed_rows(ws.load(rid)), table
        assert ws.ensure_fixed_rows(rid) == 1
        assert not lacks_fixed_rows(ws.load(rid))

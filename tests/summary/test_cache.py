"""The cache of unit rows is never stale: every change of a report moves its revision (SQL
triggers), and without complete tracking no cached row is trusted."""

from __future__ import annotations

import sqlite3
from decimal import Decimal as D
from pathlib import Path

from perfdesk.services import Workspace
from perfdesk.storage.revisions import ensure_tracking, tracked_tables, tracking_complete
from tests.summary.conftest import row_of, unit


def _line_id(ws: Workspace, report_id: int, key: str) -> int:
    return ws.fixed_row_ids(report_id)[("budget_line", None, key)]


def test_an_edit_of_a_units_report_is_in_the_next_summary(ws: Workspace) -> None:
    rid = ws.add_report(unit("甲", executed="90.00"))
    ws.add_report(unit("乙"))
    assert row_of(ws.summary(2024), "甲").value("executed") == D("90.00")
    ws.update("budget_line", _line_id(ws, rid, "total"), {"executed": D("95.00")})
    stale: list[int] = []
    summary = ws.summary(2024, lambda done, total: stale.append(total))
    assert row_of(summary, "甲").value("executed") == D("95.00")
    assert stale == [1]  # only the edited unit was read again


def test_a_note_deleted_or_added_in_a_units_report_changes_its_open_counts(ws: Workspace) -> None:
    r = unit("甲")
    r.report_date = None
    rid = ws.add_report(r)
    [finding] = ws.summary(2024).findings
    assert finding.rule == "units.open_errors"
    from perfdesk.domain.audit import audit

    [error] = audit(ws.load(rid))
    ws.insert(
        "note",
        {"report_id": rid},
        None,
        {"rule": error.rule, "place": error.place_id, "text": "另行补报"},
    )
    assert ws.summary(2024).findings == []


def test_last_years_report_changing_refreshes_this_years_row(ws: Workspace) -> None:
    old = unit("甲", year=2023, three_public=("5.00", "4.00"))
    old_id = ws.add_report(old)
    new = unit("甲", three_public=("5.00", "4.50"))
    new.control_line("three_public.reception").prior_final = D("4.00")
    ws.add_report(new)
    assert row_of(ws.summary(2024), "甲").facts.open_hints == 0
    line = ws.fixed_row_ids(old_id)[("control_line", None, "three_public.reception")]
    ws.update("control_line", line, {"final": D("3.00")})  # 上年决算数 no longer agrees
    assert row_of(ws.summary(2024), "甲").facts.open_hints == 1


def test_every_table_of_report_rows_is_tracked(db_path: Path) -> None:
    ws = Workspace.open(db_path)
    ws.close()
    con = sqlite3.connect(db_path)
    try:
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(db_path))
        with engine.connect() as connection:
            tables = tracked_tables(connection)
            assert {"budget_line", "indicator", "project", "note", "section"} <= set(tables)
            assert tracking_complete(connection)
            # a migration that rebuilds a table drops its triggers…
            connection.exec_driver_sql("DROP TRIGGER revision_indicator_upd")
            assert not tracking_complete(connection)
            # …and what runs after every upgrade puts them back
            assert ensure_tracking(connection) == 1
            assert tracking_complete(connection)
            connection.commit()
    finally:
        con.close()


def test_without_complete_tracking_no_cached_row_is_trusted(ws: Workspace) -> None:
    rid = ws.add_report(unit("甲", executed="90.00"))
    ws.summary(2024)  # cached
    with ws.db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER revision_budget_line_upd")
    ws.update("budget_line", _line_id(ws, rid, "total"), {"executed": D("70.00")})
    assert row_of(ws.summary(2024), "甲").value("executed") == D("70.00")

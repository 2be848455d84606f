"""Storage: exact numbers in SQLite, migrations from empty, refusal of foreign and newer files."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.domain.templates import new_project, new_report
from perfdesk.errors import DamagedDatabase, NewerDatabase, NotPerfdeskDatabase
from perfdesk.exchange.jsonfile import dumps
from perfdesk.services import DuplicateReport, Workspace, next_year_report
from perfdesk.storage import migrate
from perfdesk.storage.database import open_database
from perfdesk.storage.fileformat import APPLICATION_ID, SCHEMA_VERSION


def _report():
    r = new_report("测试单位", 2024)
    p = new_project("项目甲")
    p.executed = Decimal("9999999999.99")
    p.full_year_budget = Decimal("0.0001")
    r.projects = [p, new_project("项目乙")]
    r.budget_line("total").executed = Decimal("4532.05")
    return r


def test_new_file_is_made_by_the_migrations_with_our_ids(db_path: Path) -> None:
    Workspace.open(db_path).close()
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert (
            con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            == migrate.head_revision()
        )
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"report", "project", "indicator", "section", "budget_line"} <= tables
    finally:
        con.close()


def test_every_connection_has_foreign_keys_and_full_sync(db_path: Path) -> None:
    ws = Workspace.open(db_path)
    with ws.db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    ws.close()


def test_amounts_are_stored_as_integers_never_floats(db_path: Path) -> None:
    ws = Workspace.open(db_path)
    ws.add_report(_report())
    ws.close()
    con = sqlite3.connect(db_path)
    kinds = con.execute(
        "SELECT DISTINCT typeof(executed) FROM project WHERE executed IS NOT NULL"
    ).fetchall()
    assert kinds == [("integer",)]
    assert (
        con.execute("SELECT executed FROM project WHERE name='项目甲'").fetchone()[0]
        == 99999999999900
    )
    con.close()


def test_a_report_round_trips_through_the_database_exactly(db_path: Path) -> None:
    ws = Workspace.open(db_path)
    report = _report()
    rid = ws.add_report(report)
    loaded = ws.load(rid)
    assert loaded.projects[0].executed == Decimal("9999999999.99")
    assert loaded.projects[0].full_year_budget == Decimal("0.0001")
    assert dumps(loaded) == dumps(report)
    ws.close()


def test_the_same_unit_and_year_is_never_duplicated(db_path: Path) -> None:
    ws = Workspace.open(db_path)
    ws.add_report(_report())
    with pytest.raises(DuplicateReport, match="已有“测试单位”2024年度的部门整体支出绩效自评报告"):
        ws.add_report(_report())
    assert len(ws.list_reports()) == 1
    ws.close()


def test_edit_delete_restore_and_move_rows(db_path: Path) -> None:
    ws = Workspace.open(db_path)
    rid = ws.add_report(_report())
    report = ws.load(rid)
    first, second = report.projects
    before = ws.update("project", first.id, {"executed": Decimal("12.34")})
    assert before == {"executed": Decimal("9999999999.99")}
    assert ws.load(rid).projects[0].executed == Decimal("12.34")

    deleted = ws.delete("project", first.id)
    assert [p.name for p in ws.load(rid).projects] == ["项目乙"]
    assert ws.restore(deleted) == first.id
    again = ws.load(rid)
    assert [p.name for p in again.projects] == ["项目甲", "项目乙"]
    assert len(again.projects[0].indicators) == len(first.indicators)  # children came back

    assert ws.move("project", second.id, 0) == 1
    assert [p.name for p in ws.load(rid).projects] == ["项目乙", "项目甲"]
    ws.close()


def test_next_year_report_moves_finals_into_prior_columns() -> None:
    report = _report()
    report.control_line("public").final = Decimal("51.47")
    new = next_year_report(report)
    assert new.year == 2025
    assert new.control_line("public").prior_final == Decimal("51.47")
    assert new.control_line("public").final is None
    assert new.projects[0].prior_final == Decimal("9999999999.99")
    assert new.projects[0].executed is None
    assert [p.name for p in new.projects] == ["项目甲", "项目乙"]


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_a_text_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库", encoding="utf-8")
    before = _bytes(path)
    with pytest.raises(NotPerfdeskDatabase, match="不是 perfdesk 数据库"):
        open_database(path)
    assert _bytes(path) == before


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t(x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    con.close()
    before = _bytes(path)
    with pytest.raises(NotPerfdeskDatabase, match="其他程序"):
        open_database(path)
    assert _bytes(path) == before


def test_a_newer_perfdesk_file_is_refused_and_left_untouched(db_path: Path) -> None:
    Workspace.open(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    before = _bytes(db_path)
    with pytest.raises(NewerDatabase, match="较新版本"):
        open_database(db_path)
    assert _bytes(db_path) == before


def test_a_truncated_file_is_refused_and_left_untouched(db_path: Path) -> None:
    ws = Workspace.open(db_path)
    ws.add_report(_report())
    ws.close()
    data = _bytes(db_path)
    db_path.write_bytes(data[: len(data) // 2])
    before = _bytes(db_path)
    with pytest.raises(DamagedDatabase, match="已损坏"):
        open_database(db_path)
    assert _bytes(db_path) == before

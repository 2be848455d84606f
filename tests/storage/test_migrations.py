"""Upgrades: a real database file of every released schema version is upgraded and every figure
checked; the migrations always produce exactly the schema the models describe.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from perfdesk.exchange.jsonfile import dumps
from perfdesk.sample import load_sample
from perfdesk.services import Workspace
from perfdesk.storage import migrate
from perfdesk.storage.backup import list_backups
from perfdesk.storage.fileformat import APPLICATION_ID, SCHEMA_VERSION
from perfdesk.storage.models import Base

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"
DB_FIXTURES = sorted(FIXTURES.glob("schema-*.db"))


def _version(fixture: Path) -> int:
    match = re.fullmatch(r"schema-(\d+)\.db", fixture.name)
    assert match, fixture
    return int(match.group(1))


def _schema_diff(db: Path) -> list[object]:
    ws = Workspace.open(db)
    try:
        with ws.db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            return list(compare_metadata(context, Base.metadata))
    finally:
        ws.close()


def test_there_is_a_database_fixture_for_every_schema_version() -> None:

    assert [_version(f) for f in DB_FIXTURES] == list(range(1, SCHEMA_VERSION + 1)), (
        "make the fixture of the new schema version: python tests/fixtures/make_db_fixture.py"
    )


@pytest.mark.parametrize("fixture", DB_FIXTURES, ids=lambda f: f.name)
def test_an_old_database_is_upgraded_with_every_figure_kept(fixture: Path, tmp_path: Path) -> None:
    original = fixture.read_bytes()
    # Every fixture holds the sample report: upgraded, it reads back as the shipped sample does.
    expected = dumps(load_sample())
    db = tmp_path / "perfdesk.db"
    shutil.copyfile(fixture, db)  # never the committed file itself

    ws = Workspace.open(db)
    try:
        [summary] = ws.list_reports()
        assert dumps(ws.load(summary.id)) == expected
    finally:
        ws.close()

    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert (
            con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            == migrate.head_revision()
        )
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
    if _version(fixture) < SCHEMA_VERSION:
        assert [b.kind for b in list_backups(db)].count("premigrate") == 1, (
            "no backup before the upgrade"
        )
    assert _schema_diff(db) == [], "the upgraded file differs from what the models describe"
    assert fixture.read_bytes() == original


def test_the_migrations_make_exactly_the_schema_of_the_models(tmp_path: Path) -> None:
    assert _schema_diff(tmp_path / "new.db") == []


def test_every_migration_sets_its_schema_version_and_the_chain_is_straight() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    chain = list(reversed(list(scripts.walk_revisions())))  # oldest first
    assert len(scripts.get_heads()) == 1, "two migration heads: merge them"
    assert len(chain) == SCHEMA_VERSION, "one migration per schema version"
    for number, revision in enumerate(chain, 1):
        module = revision.module
        assert module.SCHEMA_VERSION == number, revision.path
        source = Path(revision.path).read_text(encoding="utf-8")
        assert "PRAGMA user_version = {SCHEMA_VERSION}" in source, (
            f"{revision.path} must write user_version"
        )


def test_an_upgrade_that_rebuilds_a_table_keeps_its_child_rows_and_foreign_keys_stay_on(
    tmp_path: Path,
) -> None:
    # 0002 rebuilds the report table; with foreign keys on, dropping the old one would cascade.
    db = tmp_path / "perfdesk.db"
    shutil.copyfile(FIXTURES / "schema-1.db", db)
    ws = Workspace.open(db)
    try:
        report = ws.load(ws.list_reports()[0].id)
        assert len(report.projects) == 12 and len(report.indicators) > 10
        with ws.db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        ws.close()


@pytest.mark.parametrize("start", [None, *DB_FIXTURES], ids=lambda p: p.name if p else "new")
def test_ids_are_never_reused_in_any_database_new_or_upgraded(
    start: Path | None, tmp_path: Path
) -> None:
    """Alembic's comparison does not see AUTOINCREMENT: 0002's rebuild had dropped it from report
    and special_fund, and a deleted report's number went to the next report (0004 restores it)."""
    db = tmp_path / "perfdesk.db"
    if start is not None:
        shutil.copyfile(start, db)
    Workspace.open(db).close()
    connection = sqlite3.connect(db)
    try:
        for table in Base.metadata.sorted_tables:
            if table.dialect_kwargs.get("sqlite_autoincrement"):
                (sql,) = connection.execute(
                    "SELECT sql FROM sqlite_master WHERE name = ?", (table.name,)
                ).fetchone()
                assert "AUTOINCREMENT" in sql, (table.name, sql)
    finally:
        connection.close()

"""Report revisions: a counter per report that every change of its rows moves on, kept by SQLite.

The 自评汇总 caches each unit's summary row (figures, scores, the audit's open 错误 and 提示) so that
the summary of hundreds of units opens at once; a cached row is valid while the report's revision
is the one it was computed from. The counter lives in ``report_revision`` and is moved by SQL
triggers, not by Python: every write by any path — the services, an undo, a future command — is
counted, and nothing has to remember to do it.

Triggers belong to a table: a migration that rebuilds a table (Alembic's batch mode on SQLite
copies it and drops the old one) drops its triggers. So :func:`ensure_tracking` runs after every
upgrade (``migrations/env.py``) and puts back what is missing, for every table that holds a
report's rows (any table with a ``report_id`` column, found in the live schema, so a table added
later is tracked too), and :func:`tracking_complete` is checked before a cache is trusted: with a
trigger missing the summary simply computes every row again (slower, never wrong).
"""

from __future__ import annotations

from sqlalchemy import Connection

REVISION_TABLE = "report_revision"
UNTRACKED_PREFIX = "summary_"  # the summary's own tables (its cache holds report ids too)


def tracked_tables(connection: Connection) -> list[str]:
    """The tables holding a report's rows: every table with a ``report_id`` column."""
    names = [
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    out = []
    for name in names:
        if name == REVISION_TABLE or name.startswith(UNTRACKED_PREFIX):
            continue
        columns = {row[1] for row in connection.exec_driver_sql(f'PRAGMA table_info("{name}")')}
        if "report_id" in columns:
            out.append(name)
    return out


def _triggers(tables: list[str]) -> dict[str, str]:
    """Trigger name → its ``CREATE TRIGGER IF NOT EXISTS`` statement."""
    bump = f"UPDATE {REVISION_TABLE} SET revision = revision + 1 WHERE report_id"
    out = {
        "revision_report_ins": (
            "CREATE TRIGGER IF NOT EXISTS revision_report_ins AFTER INSERT ON report BEGIN "
            f"INSERT OR IGNORE INTO {REVISION_TABLE} (report_id, revision) VALUES (NEW.id, 0); END"
        ),
        "revision_report_upd": (
            "CREATE TRIGGER IF NOT EXISTS revision_report_upd AFTER UPDATE ON report BEGIN "
            f"{bump} = NEW.id; END"
        ),
    }
    for table in tables:
        out[f"revision_{table}_ins"] = (
            f'CREATE TRIGGER IF NOT EXISTS "revision_{table}_ins" AFTER INSERT ON "{table}" '
            f"BEGIN {bump} = NEW.report_id; END"
        )
        out[f"revision_{table}_upd"] = (
            f'CREATE TRIGGER IF NOT EXISTS "revision_{table}_upd" AFTER UPDATE ON "{table}" '
            f"BEGIN {bump} IN (OLD.report_id, NEW.report_id); END"
        )
        out[f"revision_{table}_del"] = (
            f'CREATE TRIGGER IF NOT EXISTS "revision_{table}_del" AFTER DELETE ON "{table}" '
            f"BEGIN {bump} = OLD.report_id; END"
        )
    return out


def _has_revision_table(connection: Connection) -> bool:
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (REVISION_TABLE,)
    ).first()
    return found is not None


def ensure_tracking(connection: Connection) -> int:
    """Create the triggers that are missing and a revision row for every report; returns how many
    triggers were made. Does nothing on a database without ``report_revision`` (before 0003)."""
    if not _has_revision_table(connection):
        return 0
    existing = _existing_triggers(connection)
    made = 0
    for name, statement in _triggers(tracked_tables(connection)).items():
        if name not in existing:
            connection.exec_driver_sql(statement)
            made += 1
    connection.exec_driver_sql(
        f"INSERT OR IGNORE INTO {REVISION_TABLE} (report_id, revision) SELECT id, 0 FROM report"
    )
    return made


def _existing_triggers(connection: Connection) -> set[str]:
    return {
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'revision_%'"
        )
    }


def drop_tracking(connection: Connection) -> None:
    """Remove every revision trigger (the downgrade of 0003)."""
    for name in sorted(_existing_triggers(connection)):
        connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')


def tracking_complete(connection: Connection) -> bool:
    """Whether every change of every report's rows moves its revision (else trust no cache)."""
    if not _has_revision_table(connection):
        return False
    wanted = set(_triggers(tracked_tables(connection)))
    return wanted <= _existing_triggers(connection)

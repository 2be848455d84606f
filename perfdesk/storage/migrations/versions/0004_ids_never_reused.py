"""Report numbers are never given twice.

0002 rebuilt ``report`` and ``special_fund`` to add their columns, and the rebuilt tables lost
``AUTOINCREMENT`` (a rebuild copies the columns, not that keyword). SQLite then hands a new row
the highest id plus one: delete report 2 (the newest), make another, and it is report 2 again — a
``perfdesk delete --report 2`` run again from the shell's history would delete the new one. The
two tables are rebuilt once more with ``AUTOINCREMENT`` (ids kept; from now on an id once used is
never used again), and the revision triggers of 0003 that went with the old ``report`` table are
made again.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from perfdesk.storage.revisions import ensure_tracking

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 4  # the PRAGMA user_version this migration leaves

_TABLES = ("report", "special_fund")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
    ensure_tracking(op.get_bind())
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    # Without AUTOINCREMENT again (as 0003 left them); the ids stay as they are.
    for table in _TABLES:
        with op.batch_alter_table(table, recreate="always"):
            pass
    ensure_tracking(op.get_bind())
    op.execute("PRAGMA user_version = 3")

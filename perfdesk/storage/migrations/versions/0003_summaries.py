"""The 主管部门's summary of many units (自评汇总): what it keeps beside the reports.

- ``expected_unit``: the list of units a report is expected from (应报单位), in the clerk's order.
- ``summary_year``: per year, the 主管部门 as printed and the 汇总分析 text as the clerk edited it
  (NULL: the text the program writes from the figures).
- ``summary_note``: the 说明 that accept cross-unit findings (like ``note`` for one report).
- ``report_revision`` and its triggers: a counter per report that every change of its rows moves
  on (perfdesk.storage.revisions), and ``summary_unit_cache``, each unit's summary row as last
  computed, valid while the counters it was computed from are unchanged.

Existing reports get revision 0; the cache starts empty.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from perfdesk.storage.revisions import drop_tracking, ensure_tracking

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 3  # the PRAGMA user_version this migration leaves


def upgrade() -> None:
    op.create_table(
        "report_revision",
        sa.Column("report_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_report_revision_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_report_revision")),
    )
    op.create_table(
        "expected_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expected_unit")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "summary_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("supervisor", sa.String(), nullable=False),
        sa.Column("analysis", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_summary_year")),
    )
    op.create_table(
        "summary_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_note")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("summary_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_summary_note_year"), ["year"], unique=False)
    op.create_table(
        "summary_unit_cache",
        sa.Column("report_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_summary_unit_cache_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_summary_unit_cache")),
    )
    ensure_tracking(op.get_bind())  # the triggers, and revision 0 for every existing report
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    drop_tracking(op.get_bind())
    op.drop_table("summary_unit_cache")
    with op.batch_alter_table("summary_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_summary_note_year"))
    op.drop_table("summary_note")
    op.drop_table("summary_year")
    op.drop_table("expected_unit")
    op.drop_table("report_revision")
    op.execute("PRAGMA user_version = 2")

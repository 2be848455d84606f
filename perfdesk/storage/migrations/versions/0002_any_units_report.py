"""Any unit's report: two kinds of report, the sample marked, fund sections in three states.

- ``report.kind`` (department | project) and ``report.is_sample``; the unique (unit, year) index
  goes, because a unit writes one department report and several project reports a year (the
  services refuse a duplicate of the same kind and project).
- ``special_fund.status`` (有 / 无 / 未说明) replaces ``has_budget``: a report that had one keeps
  有, one that had none keeps 无 — exactly what it printed before.
- ``project.category`` becomes free text: the old ``专项资金`` becomes the unit's level word +
  专项资金 (市级专项资金…), which is what 附件1 printed for it.
- Every report gets the new 附件1 row ``project`` (项目支出 as a total), blank.
- The sample perfdesk 0.1 loaded into every new default database (2024, 株洲市芦淞区民政局, 填表人
  罗莉, 负责人 何荣) is marked as the sample, so that the program can offer to remove it; nothing
  is deleted here.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None
SCHEMA_VERSION = 2  # the PRAGMA user_version this migration leaves


def upgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(), nullable=False, server_default="department")
        )
        batch_op.add_column(
            sa.Column("is_sample", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.drop_constraint("uq_report_unit_year", type_="unique")

    with op.batch_alter_table("special_fund", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(), nullable=False, server_default="未说明")
        )
    op.execute("UPDATE special_fund SET status = CASE WHEN has_budget THEN '有' ELSE '无' END")
    with op.batch_alter_table("special_fund", schema=None) as batch_op:
        batch_op.drop_column("has_budget")

    op.execute(
        "UPDATE project SET category = "
        "(SELECT report.unit_level FROM report WHERE report.id = project.report_id) || '专项资金' "
        "WHERE category = '专项资金'"
    )
    op.execute(
        "INSERT INTO control_line (report_id, key) SELECT id, 'project' FROM report "
        "WHERE id NOT IN (SELECT report_id FROM control_line WHERE key = 'project')"
    )
    op.execute(
        "UPDATE report SET is_sample = 1 WHERE unit_name = '株洲市芦淞区民政局' AND year = 2024 "
        "AND preparer = '罗莉' AND head = '何荣'"
    )
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    with op.batch_alter_table("special_fund", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("has_budget", sa.Boolean(), nullable=False, server_default="0")
        )
    op.execute("UPDATE special_fund SET has_budget = (status = '有')")
    with op.batch_alter_table("special_fund", schema=None) as batch_op:
        batch_op.drop_column("status")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_report_unit_year", ["unit_name", "year"])
        batch_op.drop_column("is_sample")
        batch_op.drop_column("kind")
    op.execute("PRAGMA user_version = 1")

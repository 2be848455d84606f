"""First schema: a report and all its rows (amounts as INTEGER 元, decimals as TEXT).

Revision ID: 0001
Revises:
Create Date: 2026-11-27 19:08:16.336925
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None
SCHEMA_VERSION = 1  # the PRAGMA user_version this migration leaves


def upgrade() -> None:

    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_name", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_level", sa.String(), nullable=False),
        sa.Column("report_date", sa.String(), nullable=True),
        sa.Column("preparer", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("head", sa.String(), nullable=False),
        sa.Column("supervisor", sa.String(), nullable=False),
        sa.Column("template", sa.String(), nullable=False),
        sa.Column("actual_staff", sa.Integer(), nullable=True),
        sa.Column("offices_note", sa.Text(), nullable=False),
        sa.Column("personnel_expense", sa.Integer(), nullable=True),
        sa.Column("general_public_expenditure", sa.Integer(), nullable=True),
        sa.Column("three_public_change_reason", sa.Text(), nullable=False),
        sa.Column("project_carryover", sa.Integer(), nullable=True),
        sa.Column("frugality_measures", sa.Text(), nullable=False),
        sa.Column("goal_expected", sa.Text(), nullable=False),
        sa.Column("goal_actual", sa.Text(), nullable=False),
        sa.Column("execution_weight", sa.String(), nullable=True),
        sa.Column("execution_score", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("unit_name", "year", name="uq_report_unit_year"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("initial_budget", sa.Integer(), nullable=True),
        sa.Column("full_year_budget", sa.Integer(), nullable=True),
        sa.Column("executed", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_budget_line_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_line")),
        sa.UniqueConstraint("report_id", "key", name="uq_budget_line_report_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_line_report_id"), ["report_id"], unique=False)

    op.create_table(
        "building",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("approved_area", sa.String(), nullable=True),
        sa.Column("actual_area", sa.String(), nullable=True),
        sa.Column("budget_investment", sa.Integer(), nullable=True),
        sa.Column("actual_investment", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_building_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_building")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("building", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_building_report_id"), ["report_id"], unique=False)

    op.create_table(
        "control_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("prior_final", sa.Integer(), nullable=True),
        sa.Column("budget", sa.Integer(), nullable=True),
        sa.Column("final", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_control_line_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_line")),
        sa.UniqueConstraint("report_id", "key", name="uq_control_line_report_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("control_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_control_line_report_id"), ["report_id"], unique=False)

    op.create_table(
        "list_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("list_key", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_list_item_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_item")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("list_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_item_report_id"), ["report_id"], unique=False)

    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_note_report_id_report"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_report_id"), ["report_id"], unique=False)

    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("supervisor", sa.String(), nullable=False),
        sa.Column("implementer", sa.String(), nullable=False),
        sa.Column("prior_final", sa.Integer(), nullable=True),
        sa.Column("initial_budget", sa.Integer(), nullable=True),
        sa.Column("full_year_budget", sa.Integer(), nullable=True),
        sa.Column("executed", sa.Integer(), nullable=True),
        sa.Column("carryover", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("goal_expected", sa.Text(), nullable=False),
        sa.Column("goal_actual", sa.Text(), nullable=False),
        sa.Column("execution_weight", sa.String(), nullable=True),
        sa.Column("execution_score", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_project_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_report_id"), ["report_id"], unique=False)

    op.create_table(
        "section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("heading", sa.String(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("list_key", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_section_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_section")),
        sa.UniqueConstraint("report_id", "key", name="uq_section_report_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("section", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_section_report_id"), ["report_id"], unique=False)

    op.create_table(
        "special_fund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("has_budget", sa.Boolean(), nullable=False),
        sa.Column("initial_budget", sa.Integer(), nullable=True),
        sa.Column("income", sa.Integer(), nullable=True),
        sa.Column("expenditure", sa.Integer(), nullable=True),
        sa.Column("usage", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_special_fund_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_fund")),
        sa.UniqueConstraint("report_id", "kind", name="uq_special_fund_report_kind"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("special_fund", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_special_fund_report_id"), ["report_id"], unique=False)

    op.create_table(
        "staff_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_staff_post_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_post")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("staff_post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_post_report_id"), ["report_id"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level1", sa.String(), nullable=False),
        sa.Column("level2", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("target_text", sa.Text(), nullable=False),
        sa.Column("actual_text", sa.Text(), nullable=False),
        sa.Column("method", sa.String(), nullable=True),
        sa.Column("target_value", sa.String(), nullable=True),
        sa.Column("actual_value", sa.String(), nullable=True),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("grade", sa.String(), nullable=True),
        sa.Column("weight", sa.String(), nullable=True),
        sa.Column("score", sa.String(), nullable=True),
        sa.Column("deviation_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_indicator_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_indicator_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_report_id"), ["report_id"], unique=False)

    op.create_table(
        "indicator_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("weight", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_indicator_group_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_indicator_group_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_group")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("indicator_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_group_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_indicator_group_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "project_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("initial_budget", sa.Integer(), nullable=True),
        sa.Column("full_year_budget", sa.Integer(), nullable=True),
        sa.Column("executed", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_source_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_project_source_report_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_source")),
        sa.UniqueConstraint("project_id", "key", name="uq_project_source_project_key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("project_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_source_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_project_source_report_id"), ["report_id"], unique=False
        )

    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:

    with op.batch_alter_table("project_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_source_report_id"))
        batch_op.drop_index(batch_op.f("ix_project_source_project_id"))

    op.drop_table("project_source")
    with op.batch_alter_table("indicator_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_group_report_id"))
        batch_op.drop_index(batch_op.f("ix_indicator_group_project_id"))

    op.drop_table("indicator_group")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_report_id"))
        batch_op.drop_index(batch_op.f("ix_indicator_project_id"))

    op.drop_table("indicator")
    with op.batch_alter_table("staff_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_post_report_id"))

    op.drop_table("staff_post")
    with op.batch_alter_table("special_fund", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_special_fund_report_id"))

    op.drop_table("special_fund")
    with op.batch_alter_table("section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_report_id"))

    op.drop_table("section")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_report_id"))

    op.drop_table("project")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_report_id"))

    op.drop_table("note")
    with op.batch_alter_table("list_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_item_report_id"))

    op.drop_table("list_item")
    with op.batch_alter_table("control_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_control_line_report_id"))

    op.drop_table("control_line")
    with op.batch_alter_table("building", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_building_report_id"))

    op.drop_table("building")
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_line_report_id"))

    op.drop_table("budget_line")
    op.drop_table("report")

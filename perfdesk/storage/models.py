"""SQLAlchemy 2 models: one table per kind of row of a report.

Column names are the field names of the dataclasses in :mod:`perfdesk.domain.model`, so that
:mod:`perfdesk.storage.repository` maps between them generically. Every child row carries its
``report_id`` (cascade on delete); ordered rows carry a ``position``. Ids are AUTOINCREMENT so a
deleted row's id is never reused — undo restores a row under its old id.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from perfdesk.storage.types import DateText, DecimalText, Money

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _report_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)


def _project_fk(nullable: bool) -> Mapped[int | None]:
    return mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True, nullable=nullable
    )


class ReportRow(Base):
    # One department report per unit and year, one project report per unit, year and project:
    # the services keep that (a project report's name lives in its project row).
    __tablename__ = "report"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_name: Mapped[str] = mapped_column(String)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String, default="department", server_default="department")
    unit_level: Mapped[str] = mapped_column(String, default="")
    report_date: Mapped[dt.date | None] = mapped_column(DateText)
    preparer: Mapped[str] = mapped_column(String, default="")
    phone: Mapped[str] = mapped_column(String, default="")
    head: Mapped[str] = mapped_column(String, default="")
    supervisor: Mapped[str] = mapped_column(String, default="")
    template: Mapped[str] = mapped_column(String, default="hunan_department")
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    actual_staff: Mapped[int | None] = mapped_column(Integer)
    offices_note: Mapped[str] = mapped_column(Text, default="")
    personnel_expense: Mapped[Decimal | None] = mapped_column(Money)
    general_public_expenditure: Mapped[Decimal | None] = mapped_column(Money)
    three_public_change_reason: Mapped[str] = mapped_column(Text, default="")
    project_carryover: Mapped[Decimal | None] = mapped_column(Money)
    frugality_measures: Mapped[str] = mapped_column(Text, default="")
    goal_expected: Mapped[str] = mapped_column(Text, default="")
    goal_actual: Mapped[str] = mapped_column(Text, default="")
    execution_weight: Mapped[Decimal | None] = mapped_column(DecimalText)
    execution_score: Mapped[Decimal | None] = mapped_column(DecimalText)


class StaffPostRow(Base):
    __tablename__ = "staff_post"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String, default="")
    count: Mapped[int | None] = mapped_column(Integer)


class ListItemRow(Base):
    __tablename__ = "list_item"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    list_key: Mapped[str] = mapped_column(String)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")


class BudgetLineRow(Base):
    __tablename__ = "budget_line"
    __table_args__ = (
        UniqueConstraint("report_id", "key", name="uq_budget_line_report_key"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    key: Mapped[str] = mapped_column(String)
    initial_budget: Mapped[Decimal | None] = mapped_column(Money)
    full_year_budget: Mapped[Decimal | None] = mapped_column(Money)
    executed: Mapped[Decimal | None] = mapped_column(Money)


class ControlLineRow(Base):
    __tablename__ = "control_line"
    __table_args__ = (
        UniqueConstraint("report_id", "key", name="uq_control_line_report_key"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    key: Mapped[str] = mapped_column(String)
    prior_final: Mapped[Decimal | None] = mapped_column(Money)
    budget: Mapped[Decimal | None] = mapped_column(Money)
    final: Mapped[Decimal | None] = mapped_column(Money)


class SpecialFundRow(Base):
    __tablename__ = "special_fund"
    __table_args__ = (
        UniqueConstraint("report_id", "kind", name="uq_special_fund_report_kind"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    kind: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String, default="未说明", server_default="未说明")
    initial_budget: Mapped[Decimal | None] = mapped_column(Money)
    income: Mapped[Decimal | None] = mapped_column(Money)
    expenditure: Mapped[Decimal | None] = mapped_column(Money)
    usage: Mapped[str] = mapped_column(Text, default="")


class BuildingRow(Base):
    __tablename__ = "building"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String, default="")
    approved_area: Mapped[Decimal | None] = mapped_column(DecimalText)
    actual_area: Mapped[Decimal | None] = mapped_column(DecimalText)
    budget_investment: Mapped[Decimal | None] = mapped_column(Money)
    actual_investment: Mapped[Decimal | None] = mapped_column(Money)


class ProjectRow(Base):
    __tablename__ = "project"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String, default="")
    category: Mapped[str] = mapped_column(String, default="")
    supervisor: Mapped[str] = mapped_column(String, default="")
    implementer: Mapped[str] = mapped_column(String, default="")
    prior_final: Mapped[Decimal | None] = mapped_column(Money)
    initial_budget: Mapped[Decimal | None] = mapped_column(Money)
    full_year_budget: Mapped[Decimal | None] = mapped_column(Money)
    executed: Mapped[Decimal | None] = mapped_column(Money)
    carryover: Mapped[Decimal | None] = mapped_column(Money)
    purpose: Mapped[str] = mapped_column(Text, default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    goal_expected: Mapped[str] = mapped_column(Text, default="")
    goal_actual: Mapped[str] = mapped_column(Text, default="")
    execution_weight: Mapped[Decimal | None] = mapped_column(DecimalText)
    execution_score: Mapped[Decimal | None] = mapped_column(DecimalText)


class ProjectSourceRow(Base):
    __tablename__ = "project_source"
    __table_args__ = (
        UniqueConstraint("project_id", "key", name="uq_project_source_project_key"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String)
    initial_budget: Mapped[Decimal | None] = mapped_column(Money)
    full_year_budget: Mapped[Decimal | None] = mapped_column(Money)
    executed: Mapped[Decimal | None] = mapped_column(Money)


class IndicatorGroupRow(Base):
    __tablename__ = "indicator_group"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    project_id: Mapped[int | None] = _project_fk(nullable=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String, default="")
    weight: Mapped[Decimal | None] = mapped_column(DecimalText)


class IndicatorRow(Base):
    __tablename__ = "indicator"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    project_id: Mapped[int | None] = _project_fk(nullable=True)
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(String, default="")
    level2: Mapped[str] = mapped_column(String, default="")
    name: Mapped[str] = mapped_column(Text, default="")
    target_text: Mapped[str] = mapped_column(Text, default="")
    actual_text: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str | None] = mapped_column(String)
    target_value: Mapped[Decimal | None] = mapped_column(DecimalText)
    actual_value: Mapped[Decimal | None] = mapped_column(DecimalText)
    unit: Mapped[str] = mapped_column(String, default="")
    grade: Mapped[str | None] = mapped_column(String)
    weight: Mapped[Decimal | None] = mapped_column(DecimalText)
    score: Mapped[Decimal | None] = mapped_column(DecimalText)
    deviation_reason: Mapped[str] = mapped_column(Text, default="")


class SectionRow(Base):
    __tablename__ = "section"
    __table_args__ = (
        UniqueConstraint("report_id", "key", name="uq_section_report_key"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String)
    heading: Mapped[str] = mapped_column(String, default="")
    level: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String, default="text")
    list_key: Mapped[str] = mapped_column(String, default="")
    text: Mapped[str] = mapped_column(Text, default="")


class NoteRow(Base):
    __tablename__ = "note"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    position: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String)
    place: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text, default="")


# --- 自评汇总 (the 主管部门's summary of many units; migration 0003) ------------------------------


class ReportRevisionRow(Base):
    # How often each report's rows have changed: kept by SQL triggers on every table that holds a
    # report's rows (perfdesk.storage.revisions), so a cached summary row knows when it is stale.
    __tablename__ = "report_revision"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ExpectedUnitRow(Base):
    # 应报单位: the units the 主管部门 expects a report from (one list for the database).
    __tablename__ = "expected_unit"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String)


class SummaryYearRow(Base):
    # One year's summary: the 主管部门 as printed and the 汇总分析 text as edited (NULL: the text the
    # program generates from the figures).
    __tablename__ = "summary_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    supervisor: Mapped[str] = mapped_column(String, default="")
    analysis: Mapped[str | None] = mapped_column(Text)


class SummaryNoteRow(Base):
    # A 说明 accepting a cross-unit finding of one year's summary (like NoteRow for one report).
    __tablename__ = "summary_note"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String)
    place: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text, default="")


class SummaryUnitCacheRow(Base):
    # One unit's summary row as last computed (figures, scores, open 错误/提示): valid while ``key``
    # (the report's revision, last year's report's revision, the rules) still matches.
    __tablename__ = "summary_unit_cache"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    key: Mapped[str] = mapped_column(String)
    data: Mapped[str] = mapped_column(Text)

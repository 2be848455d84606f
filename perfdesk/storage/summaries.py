"""What the 自评汇总 reads and keeps: the year's reports at a glance, the cache of unit rows, the
应报单位 list, each year's settings and 汇总分析 text, and the 说明 of cross-unit findings.

Reading a year's reports here never loads whole reports: one query lists them with their
revisions and cached rows (:func:`year_listing`); only a unit whose cache is stale is read whole
(by the services, with :func:`perfdesk.storage.repository.load_report`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from perfdesk.domain import model as m
from perfdesk.storage import models as t
from perfdesk.storage.repository import RowNotFound
from perfdesk.storage.revisions import tracking_complete


@dataclass(frozen=True)
class ListedReport:
    """A report of the year (or the year before) as the summary first sees it."""

    id: int
    unit_name: str
    year: int
    kind: m.ReportKind
    is_sample: bool
    revision: int | None  # None: the report's changes are not counted (trust no cache)
    cache_key: str | None = None
    cache_data: str | None = None


@dataclass(frozen=True)
class YearListing:
    reports: list[ListedReport]  # department and project reports of the year and the year before
    tracking: bool  # every change of a report moves its revision


def year_listing(session: Session, year: int) -> YearListing:
    """The reports of ``year`` and ``year - 1`` with revisions and (for ``year``) cached rows."""
    rows = session.execute(
        select(
            t.ReportRow.id,
            t.ReportRow.unit_name,
            t.ReportRow.year,
            t.ReportRow.kind,
            t.ReportRow.is_sample,
            t.ReportRevisionRow.revision,
            t.SummaryUnitCacheRow.key,
            t.SummaryUnitCacheRow.data,
        )
        .outerjoin(t.ReportRevisionRow, t.ReportRevisionRow.report_id == t.ReportRow.id)
        .outerjoin(t.SummaryUnitCacheRow, t.SummaryUnitCacheRow.report_id == t.ReportRow.id)
        .where(t.ReportRow.year.in_((year, year - 1)))
        .order_by(t.ReportRow.id)
    ).all()
    reports = [
        ListedReport(
            rid,
            unit,
            y,
            m.ReportKind(kind),
            bool(sample),
            rev,
            key if y == year else None,
            data if y == year else None,
        )
        for rid, unit, y, kind, sample, rev, key, data in rows
    ]
    return YearListing(reports, tracking_complete(session.connection()))


def report_years(session: Session) -> list[int]:
    """Years that have a department report, newest first."""
    return list(
        session.scalars(
            select(t.ReportRow.year)
            .where(t.ReportRow.kind == m.ReportKind.DEPARTMENT.value)
            .distinct()
            .order_by(t.ReportRow.year.desc())
        )
    )


def revision_of(session: Session, report_id: int) -> int | None:
    return session.scalar(
        select(t.ReportRevisionRow.revision).where(t.ReportRevisionRow.report_id == report_id)
    )


def store_cache(session: Session, entries: list[tuple[int, str, str]]) -> None:
    """Keep ``(report id, key, data)`` rows, replacing older ones of the same reports."""
    if not entries:
        return
    ids = [rid for rid, _, _ in entries]
    session.execute(delete(t.SummaryUnitCacheRow).where(t.SummaryUnitCacheRow.report_id.in_(ids)))
    session.add_all(t.SummaryUnitCacheRow(report_id=r, key=k, data=d) for r, k, d in entries)
    session.flush()


# --- 应报单位 --------------------------------------------------------------------------------------


def expected_units(session: Session) -> list[str]:
    return list(
        session.scalars(select(t.ExpectedUnitRow.name).order_by(t.ExpectedUnitRow.position))
    )


def set_expected_units(session: Session, names: list[str]) -> list[str]:
    """Replace the list; returns the previous one (for undo)."""
    before = expected_units(session)
    session.execute(delete(t.ExpectedUnitRow))
    session.add_all(t.ExpectedUnitRow(position=i, name=n) for i, n in enumerate(names))
    session.flush()
    return before


# --- per year: the 主管部门 and the 汇总分析 ----------------------------------------------------------


@dataclass(frozen=True)
class YearSettings:
    supervisor: str = ""  # "" = the one most units wrote
    analysis: str | None = None  # None = the generated text


def year_settings(session: Session, year: int) -> YearSettings:
    row = session.get(t.SummaryYearRow, year)
    return YearSettings() if row is None else YearSettings(row.supervisor, row.analysis)


def update_year_settings(session: Session, year: int, **changes: str | None) -> dict[str, object]:
    """Set ``supervisor`` and/or ``analysis`` of ``year``; returns the previous values."""
    row = session.get(t.SummaryYearRow, year)
    if row is None:
        row = t.SummaryYearRow(year=year, supervisor="", analysis=None)
        session.add(row)
    before: dict[str, object] = {}
    for name, value in changes.items():
        if name not in ("supervisor", "analysis"):
            raise KeyError(name)
        if name == "supervisor" and value is None:
            value = ""
        before[name] = getattr(row, name)
        setattr(row, name, value)
    session.flush()
    return before


# --- 说明 of cross-unit findings ----------------------------------------------------------------------


def summary_notes(session: Session, year: int) -> list[m.Note]:
    rows = session.scalars(
        select(t.SummaryNoteRow)
        .where(t.SummaryNoteRow.year == year)
        .order_by(t.SummaryNoteRow.position)
    )
    return [m.Note(r.rule, r.place, r.text, r.id) for r in rows]


@dataclass(frozen=True)
class DeletedSummaryNote:
    id: int
    year: int
    position: int
    note: m.Note


def add_summary_note(session: Session, year: int, note: m.Note, note_id: int | None = None) -> int:
    """Add a 说明 (replacing one of the same rule and place); ``note_id`` to restore under an old id."""
    session.execute(
        delete(t.SummaryNoteRow).where(
            t.SummaryNoteRow.year == year,
            t.SummaryNoteRow.rule == note.rule,
            t.SummaryNoteRow.place == note.place,
        )
    )
    position = (
        session.scalar(
            select(func.max(t.SummaryNoteRow.position)).where(t.SummaryNoteRow.year == year)
        )
        or 0
    ) + 1
    extra = {"id": note_id} if note_id is not None else {}
    row = t.SummaryNoteRow(
        year=year, position=position, rule=note.rule, place=note.place, text=note.text, **extra
    )
    session.add(row)
    session.flush()
    return row.id


def delete_summary_note(session: Session, note_id: int) -> DeletedSummaryNote:
    row = session.get(t.SummaryNoteRow, note_id)
    if row is None:
        raise RowNotFound(f"说明 {note_id} 已不存在")
    deleted = DeletedSummaryNote(
        row.id, row.year, row.position, m.Note(row.rule, row.place, row.text, row.id)
    )
    session.delete(row)
    session.flush()
    return deleted


def update_summary_note(session: Session, note_id: int, text: str) -> str:
    row = session.get(t.SummaryNoteRow, note_id)
    if row is None:
        raise RowNotFound(f"说明 {note_id} 已不存在")
    before = row.text
    session.execute(
        update(t.SummaryNoteRow).where(t.SummaryNoteRow.id == note_id).values(text=text)
    )
    return before

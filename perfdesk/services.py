"""The use cases the UI and the CLI call: one short transaction per user action.

Each method opens a transaction, does one thing, commits and returns plain data (dataclasses,
ids, previous values). Nothing here imports Qt; the UI's undo commands call :meth:`update`,
:meth:`insert`, :meth:`delete`, :meth:`restore` and :meth:`move` with the values they hold.

A write that could not be saved raises :class:`StorageWriteError` (disk full, I/O error) or
:class:`ReadOnlyDatabase` (opened read-only); either way nothing was changed and the caller must
not show the edit as saved (an undo command is not pushed). The workspace stays usable.
"""

from __future__ import annotations

import copy
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfdesk.domain import model as m
from perfdesk.domain.numbers import InputError
from perfdesk.errors import BackupError, DatabaseError, StorageWriteError
from perfdesk.storage import rows
from perfdesk.storage.backup import BackupInfo, create_backup, list_backups
from perfdesk.storage.database import Database, open_database
from perfdesk.storage.rows import DeletedRow, ReportSummary, RowChange

if TYPE_CHECKING:
    from perfdesk.storage import repository as repo
else:

    class _Repository:
        """:mod:`perfdesk.storage.repository` (and with it SQLAlchemy), imported on first use.

        Listing and reading reports go through :mod:`perfdesk.storage.rows` with plain sqlite3,
        so ``perfdesk pdf`` and the window's first view never import SQLAlchemy (issue 16: about
        0.3 s and 47 MB); an edit imports it.
        """

        def __getattr__(self, name: str) -> Any:
            from perfdesk.storage import repository

            return getattr(repository, name)

    repo = _Repository()

DB_FILENAME = "perfdesk.db"
log = logging.getLogger(__name__)


YEAR_RANGE = range(2000, 2101)
"""The years a report may be for (a typo such as 20245 or 1024 is refused)."""


def describe_report(
    unit_name: str, year: int, kind: m.ReportKind = m.ReportKind.DEPARTMENT, project_name: str = ""
) -> str:
    """``“某单位”2024年度的部门整体支出绩效自评报告`` — how messages name a report."""
    if kind == m.ReportKind.PROJECT:
        return f"“{unit_name}”{year}年度“{project_name}”的项目支出绩效自评报告"
    return f"“{unit_name}”{year}年度的部门整体支出绩效自评报告"


class DuplicateReport(InputError):
    """A report of the same unit, year and kind (and project) is already in the database.

    The message says what exists; what to do is the caller's to add, in its own terms (the window
    names its menu, the command line its option).
    """

    def __init__(
        self,
        unit_name: str,
        year: int,
        existing_id: int,
        kind: m.ReportKind = m.ReportKind.DEPARTMENT,
        project_name: str = "",
    ) -> None:
        super().__init__(
            f"数据库中已有{describe_report(unit_name, year, kind, project_name)}（编号 {existing_id}）"
        )
        self.existing_id = existing_id


class NoSuchReport(InputError):
    pass


def check_unit_and_year(unit_name: str, year: int) -> None:
    """Refuse an empty unit name or a year outside :data:`YEAR_RANGE`, in Chinese."""
    if not unit_name.strip():
        raise InputError("单位名称不能为空")
    if isinstance(year, bool) or not isinstance(year, int) or year not in YEAR_RANGE:
        raise InputError(
            f"年度“{year}”不合理：应为 {YEAR_RANGE.start}–{YEAR_RANGE.stop - 1} 之间的四位数年份"
        )


def default_data_dir() -> Path:
    """The user's local data folder for perfdesk (PERFDESK_DATA_DIR overrides, e.g. in tests)."""
    override = os.environ.get("PERFDESK_DATA_DIR")
    if override:
        return Path(override)
    from perfdesk.system import user_data_dir

    return user_data_dir()


def default_db_path() -> Path:
    return default_data_dir() / DB_FILENAME


# --- backups (the window and the command line reach them only through here) -------------------

__all__ = ["BackupInfo", "RowChange"]  # re-exported: types of what is handed out below


def backups_of(db_path: Path) -> list[BackupInfo]:
    """The backups of the database at ``db_path``, newest first."""
    return list_backups(Path(db_path))


def backup_folder(db_path: Path) -> Path:
    """Where the backups of ``db_path`` are kept."""
    from perfdesk.storage.backup import backup_dir

    return backup_dir(Path(db_path))


def backup_database(db_path: Path) -> BackupInfo:
    """A manual backup of a database that is not open here (refused in Chinese if there is none)."""
    from perfdesk.storage.fileformat import read_header

    path = Path(db_path)
    if read_header(path) is None:  # also refuses foreign, newer, empty and truncated files
        raise BackupError(f"数据库文件“{path}”不存在，没有可备份的内容")
    return create_backup(path, "manual")


def find_backup(db_path: Path, name: str) -> BackupInfo | None:
    """The backup of ``db_path`` with that stable name (or the start of exactly one name)."""
    from perfdesk.storage.backup import find_backup as find

    return find(Path(db_path), name)


def restore_database(backup: BackupInfo | Path, db_path: Path) -> Path | None:
    """Put ``backup`` in place of the database at ``db_path`` (which must not be open for writing).

    This process's read-only connections to the file are let go first (Windows cannot replace an
    open file; they reconnect on their next read). The current file is backed up first; returns
    that copy's path (None if there was no file).
    """
    from perfdesk.storage.backup import restore_backup
    from perfdesk.storage.database import release_readers

    release_readers(Path(db_path))
    return restore_backup(backup, Path(db_path))


class Workspace:
    """The services over one open database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        readonly: bool = False,
        create: bool = True,
    ) -> Workspace:
        """Open the database (the default one when ``path`` is ``None``).

        As the writer it holds the one-writer lock until :meth:`close`; a second instance gets
        :class:`~perfdesk.errors.DatabaseLocked` and may open with ``readonly=True``. A new
        database is made only where no file exists and only with ``create=True`` (commands that
        only read pass ``False``: a mistyped path is then an error naming it, not a new file).
        """
        if path is None:
            target = default_db_path()
            if not readonly and create:
                target.parent.mkdir(parents=True, exist_ok=True)
        else:
            target = Path(path)
        return cls(open_database(target, readonly=readonly, create=create and not readonly))

    @classmethod
    def open_for_reading(cls, path: str | os.PathLike[str] | None = None) -> Workspace:
        """Open an existing database to read it, writing nothing where that is possible.

        Read-only first: no lock, no backup, no write — so a full disk, a read-only file or
        folder, a file written by a newer perfdesk or one another perfdesk is editing can still be
        listed, printed and exported. Only a file that cannot be read without writing (an older
        one to upgrade, one a crash left mid-write) is opened normally, which upgrades or
        recovers it (after a backup). A missing file is refused naming the path.
        """
        from perfdesk.errors import NeedsRecovery, NeedsUpgrade

        try:
            return cls.open(path, readonly=True)
        except (NeedsUpgrade, NeedsRecovery) as first:
            try:
                return cls.open(path, create=False)
            except DatabaseError as second:
                raise first from second

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def readonly(self) -> bool:
        return self.db.readonly

    @property
    def warnings(self) -> list[str]:
        """Messages for the clerk that did not stop the opening (e.g. a failed daily backup)."""
        return self.db.warnings

    def backups(self) -> list[BackupInfo]:
        """The backups of this database, newest first (for 恢复备份)."""
        return list_backups(self.path)

    def backup_now(self) -> BackupInfo:
        """A manual backup (raises :class:`~perfdesk.storage.backup.BackupError` in Chinese)."""
        return create_backup(self.path, "manual")

    def close(self) -> str | None:
        """Back up if anything was saved, then close and free the lock (safe to call twice).

        Returns a Chinese warning when the exit backup failed (the data itself is saved), else None.
        """
        warning = None
        try:
            if (
                self.db.dirty
                and not self.db.readonly
                and self.db.lock is not None
                and self.db.lock.held
            ):
                try:
                    create_backup(self.path, "exit")
                    self.db.dirty = False
                except BackupError as exc:
                    log.warning("exit backup failed: %s", exc)
                    warning = f"修改均已保存，但退出时的自动备份未能完成：{exc}"
        finally:
            self.db.close()
        return warning

    # --- reports ---------------------------------------------------------------------------------

    def prepare_for_edits(self) -> None:
        """Import what an edit needs (SQLAlchemy and the ORM models) ahead of the first edit.

        Listing and reading reports never need it (:mod:`perfdesk.storage.rows`); the window
        calls this in the background once it is idle after start, so that the window appears
        without waiting for it and the first edit is as quick as the next ones.
        """
        if not self.readonly:
            getattr(repo, "ENTITIES")  # noqa: B009 - importing the repository is the point

    def list_reports(self) -> list[ReportSummary]:
        with self.db.reading_raw() as con:
            return rows.list_reports(con)

    def load(self, report_id: int) -> m.Report:
        with self.db.reading_raw() as con:
            try:
                return rows.load_report(con, report_id)
            except rows.RowNotFound as exc:
                raise NoSuchReport(str(exc)) from exc

    def resolve_report_id(self, report_id: int | None) -> int:
        """``report_id`` if given and present; the only report when the database holds one."""
        reports = self.list_reports()
        if report_id is not None:
            if not any(r.id == report_id for r in reports):
                raise NoSuchReport(
                    f"数据库中没有编号为 {report_id} 的报告（用 perfdesk list 查看）"
                )
            return report_id
        if not reports:
            raise NoSuchReport("数据库中还没有报告（可用 perfdesk sample 载入示例报告）")
        if len(reports) > 1:
            raise NoSuchReport(
                f"数据库中有 {len(reports)} 份报告，请用 --report 指定编号（用 perfdesk list 查看）"
            )
        return reports[0].id

    def previous_report(self, report: m.Report) -> m.Report | None:
        """Last year's report of the same unit, for the 审核 across years: of the same kind (and
        project); for a project report without one, last year's department report (its project
        of that name gives the 上年决算数)."""
        candidates = [
            s
            for s in self.list_reports()
            if s.unit_name == report.unit_name and s.year == report.year - 1
        ]
        for summary in candidates:
            if summary.kind == report.kind and summary.project_name == report.project_name:
                return self.load(summary.id)
        for summary in candidates:
            if summary.kind == m.ReportKind.DEPARTMENT:
                return self.load(summary.id)
        return None

    def find_duplicate(self, report: m.Report, *, exclude: int | None = None) -> int | None:
        """The id of another report with the same unit, year, kind (and project), if any."""
        with self.db.reading() as session:
            return repo.find_report(
                session,
                report.unit_name,
                report.year,
                report.kind,
                report.project_name,
                exclude=exclude,
            )

    def add_report(self, report: m.Report, *, replace: bool = False) -> int:
        """Store a whole report (import, sample, new). Never silently overwrites or duplicates."""
        check_unit_and_year(report.unit_name, report.year)
        with self.db.transaction() as session:
            existing = repo.find_report(
                session, report.unit_name, report.year, report.kind, report.project_name
            )
            if existing is not None:
                if not replace:
                    raise DuplicateReport(
                        report.unit_name, report.year, existing, report.kind, report.project_name
                    )
                session.delete(session.get(repo.t.ReportRow, existing))
                session.flush()
            return repo.save_report(session, report)

    def create_report(
        self,
        unit_name: str,
        year: int,
        *,
        kind: m.ReportKind = m.ReportKind.DEPARTMENT,
        project_name: str = "",
        unit_level: str | None = None,
    ) -> int:
        """新建报告: an empty report laid out on the default template of its kind; ``unit_level``
        (市级, 县级, 乡镇…, printed before 预算部门（单位）名称 and in 附件1's 专项资金 row) replaces
        the template's."""
        from perfdesk.domain.templates import new_project_report, new_report

        unit_name = unit_name.strip()
        check_unit_and_year(unit_name, year)
        if kind == m.ReportKind.PROJECT:
            if not project_name.strip():
                raise InputError("项目名称不能为空")
            report = new_project_report(unit_name, year, project_name.strip())
        else:
            report = new_report(unit_name, year)
            if unit_level is not None:
                report.unit_level = unit_level.strip()
        return self.add_report(report)

    def create_project_report_from(self, report_id: int, project_name: str) -> int:
        """A 项目支出绩效自评报告 made from one project of a department report.

        The project's figures, fund sources, indicators and texts are copied (its 主要用于 is
        printed in 项目概况, its 项目实施及绩效情况 becomes the text under 项目绩效情况); the two
        reports are separate afterwards.
        """
        source = self.load(report_id)
        if source.kind != m.ReportKind.DEPARTMENT:
            raise InputError("只能从部门整体支出绩效自评报告的项目创建项目支出绩效自评报告")
        matches = [p for p in source.projects if p.name.strip() == project_name.strip()]
        if not matches:
            names = "、".join(p.name for p in source.projects) or "（无）"
            raise InputError(f"报告中没有名为“{project_name}”的项目；现有项目：{names}")
        return self.add_report(project_report_from(source, matches[0]))

    def delete_report(self, report_id: int) -> tuple[m.Report, BackupInfo]:
        """Delete a report after a verified backup of the whole database.

        Returns the deleted report's snapshot (so it can be added back) and the backup that still
        holds it. Nothing is deleted when the backup fails (:class:`BackupError`).
        """
        snapshot = self.load(report_id)
        backup = create_backup(self.path, "predelete")
        with self.db.transaction() as session:
            session.delete(session.get(repo.t.ReportRow, report_id))
        return snapshot, backup

    def rename_report(
        self,
        report_id: int,
        *,
        unit_name: str | None = None,
        year: int | None = None,
        unit_level: str | None = None,
    ) -> dict[str, Any]:
        """Correct a report's unit name, year and/or 级次; returns the previous values (for undo).

        Refused when another report of the same kind already has the new unit and year.
        """
        changes: dict[str, Any] = {}
        if unit_name is not None:
            changes["unit_name"] = unit_name
        if year is not None:
            changes["year"] = year
        if unit_level is not None:
            changes["unit_level"] = unit_level.strip()
        current = self.load(report_id)
        previous = {"unit_name": current.unit_name, "year": current.year}
        if unit_level is not None:
            previous["unit_level"] = current.unit_level
        self.update("report", report_id, changes)
        return previous

    def _checked_identity(self, report_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """``changes`` to a report's unit name or year, checked as :meth:`rename_report` checks them.

        Every path that edits these fields (the rename dialog, the 单位名称 field, undo) goes
        through :meth:`update`, so none can store an empty name, a year such as 20245, or a unit
        and year another report already has (SQLite's unique index would otherwise refuse it with
        an English message).
        """
        current = self.load(report_id)
        changes = dict(changes)
        if "unit_name" in changes:
            changes["unit_name"] = str(changes["unit_name"] or "").strip()
        new_unit = changes.get("unit_name", current.unit_name)
        new_year = changes.get("year", current.year)
        check_unit_and_year(new_unit, new_year)
        probe = m.Report(new_unit, new_year, kind=current.kind, projects=current.projects)
        existing = self.find_duplicate(probe, exclude=report_id)
        if existing is not None:
            raise DuplicateReport(new_unit, new_year, existing, probe.kind, probe.project_name)
        return changes

    def replace_report(self, report: m.Report, existing_id: int) -> tuple[int, BackupInfo]:
        """Put ``report`` in place of the report ``existing_id`` (an import the clerk chose to
        let replace it), after a verified backup that still holds the old one.

        One transaction: the old report is gone only if the new one is stored. Returns the new
        report's id and the backup.
        """
        check_unit_and_year(report.unit_name, report.year)
        self.load(existing_id)  # NoSuchReport if it has gone meanwhile
        backup = create_backup(self.path, "predelete")
        with self.db.transaction() as session:
            session.delete(session.get(repo.t.ReportRow, existing_id))
            session.flush()
            existing = repo.find_report(
                session, report.unit_name, report.year, report.kind, report.project_name
            )
            if existing is not None:  # the file's unit and year belong to yet another report
                raise DuplicateReport(
                    report.unit_name, report.year, existing, report.kind, report.project_name
                )
            return repo.save_report(session, report), backup

    def sample_report_ids(self) -> list[int]:
        """The reports marked as the shipped sample (offered for removal)."""
        return [r.id for r in self.list_reports() if r.is_sample]

    def create_next_year(self, report_id: int) -> int:
        """从上年报告创建: a new report for the next year with this year's structure.

        Staffing, lists, projects, indicator tree, outline and texts are copied as a draft; this
        year's 决算/执行 figures move into the 上年决算 columns; the new year's figures are blank.
        Refused when the next year's report already exists (the message names it).
        """
        old = self.load(report_id)
        new = next_year_report(old)
        return self.add_report(new)

    # --- one edit at a time (undo/redo is built on these) -----------------------------------------

    def update(self, entity: str, row_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Set fields of one row; returns the previous values.

        A report's unit name and year are checked first (see :meth:`_checked_identity`).
        """
        return self.edit(entity, row_id, changes).before

    def edit(self, entity: str, row_id: int, changes: dict[str, Any]) -> RowChange:
        """:meth:`update`, returning the whole change: the previous values and the new ones as a
        fresh :meth:`load` would give them, so a window can apply the edit to its snapshot
        (:func:`apply_changes`) instead of reading the report back. Committed as :meth:`update`."""
        if entity == "report" and {"unit_name", "year"} & changes.keys():
            changes = self._checked_identity(row_id, changes)
        with self.db.transaction() as session:
            return repo.change_row(session, entity, row_id, changes)

    def edit_many(self, edits: list[tuple[str, int, dict[str, Any]]]) -> list[RowChange]:
        """Several row updates in one transaction (a pasted block): all or nothing; the changes."""
        with self.db.transaction() as session:
            return [repo.change_row(session, e, rid, ch) for e, rid, ch in edits]

    def read(self, entity: str, row_id: int) -> Any:
        with self.db.reading() as session:
            return repo.read_row(session, entity, row_id)

    def insert(
        self,
        entity: str,
        scope: dict[str, Any],
        position: int | None = None,
        values: dict[str, Any] | None = None,
    ) -> int:
        with self.db.transaction() as session:
            return repo.insert_row(session, entity, scope, position, values)

    def insert_many(
        self, entity: str, scope: dict[str, Any], position: int, rows: list[dict[str, Any]]
    ) -> list[int]:
        """Insert several rows in one transaction (a pasted block): all or nothing."""
        with self.db.transaction() as session:
            return [
                repo.insert_row(session, entity, scope, position + i, values)
                for i, values in enumerate(rows)
            ]

    def update_many(self, edits: list[tuple[str, int, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Several row updates in one transaction (a pasted block): all or nothing."""
        with self.db.transaction() as session:
            return [repo.update_row(session, e, rid, ch) for e, rid, ch in edits]

    def delete(self, entity: str, row_id: int) -> DeletedRow:
        with self.db.transaction() as session:
            return repo.delete_row(session, entity, row_id)

    def restore(self, deleted: DeletedRow) -> int:
        with self.db.transaction() as session:
            return repo.restore_row(session, deleted)

    def move(self, entity: str, row_id: int, new_position: int) -> int:
        with self.db.transaction() as session:
            return repo.move_row(session, entity, row_id, new_position)

    def add_project(self, report_id: int, position: int | None, project: m.Project) -> int:
        """Insert a whole project (with its sources, groups and indicators); returns its id."""
        with self.db.transaction() as session:
            pid = repo.insert_row(
                session,
                "project",
                {"report_id": report_id},
                position,
                {name: getattr(project, name) for name in repo.ENTITIES["project"].fields()},
            )
            scope = {"report_id": report_id, "project_id": pid}
            for name, rows in (
                ("indicator_group", project.groups),
                ("indicator", project.indicators),
            ):
                for obj in rows:
                    repo.insert_row(
                        session,
                        name,
                        scope,
                        None,
                        {f: getattr(obj, f) for f in repo.ENTITIES[name].fields()},
                    )
            for line in project.sources:
                session.add(
                    repo.t.ProjectSourceRow(
                        report_id=report_id,
                        project_id=pid,
                        **{f: getattr(line, f) for f in repo.ENTITIES["project_source"].fields()},
                    )
                )
            return pid


# --- a snapshot kept current edit by edit ------------------------------------------------------

_ROW_LISTS = {
    "staff_post": "posts",
    "building": "buildings",
    "section": "sections",
    "note": "notes",
    "project": "projects",
}
_FIXED_LISTS = {
    "budget_line": ("budget_lines", "key"),
    "control_line": ("control_lines", "key"),
    "special_fund": ("special_funds", "kind"),
}


def _replaced(items: list[Any], match: Any, values: dict[str, Any]) -> list[Any] | None:
    """A copy of ``items`` with the one item ``match`` picks copied and given ``values``."""
    for i, obj in enumerate(items):
        if match(obj):
            changed = copy.copy(obj)
            for name, value in values.items():
                setattr(changed, name, value)
            out = list(items)
            out[i] = changed
            return out
    return None


def _by_id(row_id: int) -> Any:
    return lambda obj: obj.id == row_id


def _by(attr: str, value: Any) -> Any:
    return lambda obj: str(getattr(obj, attr)) == str(value)


def _apply_change(report: m.Report, change: RowChange) -> bool:
    """Apply ``change`` to ``report`` (a shallow copy the caller owns); False if the row is not
    in it. Only the objects on the way to the row are copied: the previous snapshot, which a
    preview may be printing from, stays as it was."""
    entity, values, where = change.entity, change.after, change.where
    if entity == "report":
        if report.id != change.row_id:
            return False
        for name, value in values.items():
            setattr(report, name, value)
        return True
    if entity in _ROW_LISTS:
        attr = _ROW_LISTS[entity]
        out = _replaced(getattr(report, attr), _by_id(change.row_id), values)
    elif entity in _FIXED_LISTS:
        attr, key = _FIXED_LISTS[entity]
        out = _replaced(getattr(report, attr), _by(key, where.get(key)), values)
    elif entity == "list_item":
        attr = "lists"
        list_key = where.get("list_key")
        items = _replaced(report.lists.get(list_key, []), _by_id(change.row_id), values)
        out = None if items is None else {**report.lists, list_key: items}
    elif entity in ("project_source", "indicator_group", "indicator"):
        project_id = where.get("project_id")
        attr = {"project_source": "sources", "indicator_group": "groups"}.get(entity, "indicators")
        match = (
            _by("key", where.get("key")) if entity == "project_source" else _by_id(change.row_id)
        )
        if project_id is None:
            if entity == "project_source":
                return False
            out = _replaced(getattr(report, attr), match, values)
        else:
            holder: dict[str, Any] = {}

            def inner(project: Any) -> bool:
                if project.id != project_id:
                    return False
                holder["rows"] = _replaced(getattr(project, attr), match, values)
                return holder["rows"] is not None

            # the project is copied with its one changed list
            for i, project in enumerate(report.projects):
                if inner(project):
                    changed = copy.copy(project)
                    setattr(changed, attr, holder["rows"])
                    projects = list(report.projects)
                    projects[i] = changed
                    report.projects = projects
                    return True
            return False
    else:
        return False
    if out is None:
        return False
    setattr(report, attr, out)
    return True


def apply_changes(report: m.Report, changes: list[RowChange]) -> m.Report | None:
    """The snapshot ``report`` with committed ``changes`` applied, as :meth:`Workspace.load`
    would now read it — or ``None`` when a change names a row the snapshot does not hold (the
    caller reads the report back then). ``report`` itself is not changed (copy on write)."""
    new = copy.copy(report)
    for change in changes:
        if not _apply_change(new, change):
            return None
    return new


def project_report_from(source: m.Report, project: m.Project) -> m.Report:
    """The project report for ``project`` of the department report ``source`` (not stored)."""
    from perfdesk.domain.templates import new_project_report

    report = new_project_report(source.unit_name, source.year, project.name)
    report.projects = [copy.deepcopy(project)]  # ids are not kept when a report is stored
    for attr in ("unit_level", "report_date", "preparer", "phone", "head", "supervisor"):
        setattr(report, attr, getattr(source, attr))
    # 主要用于 stays on the project: the overview's standard paragraph prints it. 项目实施及绩效情况
    # becomes the clerk's text under 项目绩效情况 (moved, not copied: one text, read once by the 审核).
    own = report.projects[0]
    for section in report.sections:
        if section.key == "project.performance":
            section.text, own.narrative = own.narrative, ""
    return report


def next_year_report(old: m.Report) -> m.Report:
    """The report for ``old.year + 1`` built from ``old`` (see :meth:`Workspace.create_next_year`)."""
    new = copy.deepcopy(old)
    new.year = old.year + 1
    new.is_sample = False
    new.report_date = None
    new.notes = []
    for line in new.control_lines:
        line.prior_final, line.budget, line.final = line.final, None, None
    for b in new.budget_lines:
        b.initial_budget = b.full_year_budget = b.executed = None
    new.personnel_expense = None
    new.general_public_expenditure = None
    new.project_carryover = None
    new.three_public_change_reason = ""
    new.execution_score = None
    for fund in new.special_funds:
        fund.initial_budget = fund.income = fund.expenditure = None
    new.buildings = []
    for ind in new.indicators:
        ind.actual_text, ind.actual_value, ind.grade = "", None, None
        ind.score, ind.deviation_reason = None, ""
    new.goal_actual = ""
    for p in new.projects:
        p.prior_final = p.executed
        p.initial_budget = p.full_year_budget = p.executed = p.carryover = None
        p.execution_score = None
        p.goal_actual = ""
        for s in p.sources:
            s.initial_budget = s.full_year_budget = s.executed = None
        for ind in p.indicators:
            ind.actual_text, ind.actual_value, ind.grade = "", None, None
            ind.score, ind.deviation_reason = None, ""
    return new


# --- added for the desktop app (ui/) ------------------------------------------------------------
# The rows of fixed grids (budget lines, control lines, special funds, project sources) carry no
# id in the snapshot dataclasses, yet undo commands address rows by id; these give the ids, make
# missing fixed rows, and delete/restore several rows in one transaction (all or nothing).

FIXED_ENTITIES = ("budget_line", "control_line", "special_fund", "project_source")


def lacks_fixed_rows(report: m.Report) -> bool:
    """True when the snapshot misses a row of a fixed grid that :meth:`ensure_fixed_rows` adds
    (asked of the snapshot first, so opening a complete report reads nothing more)."""
    if report.kind == m.ReportKind.DEPARTMENT:
        if not set(m.BUDGET_LINE_KEYS) <= {line.key for line in report.budget_lines}:
            return True
        if not set(m.CONTROL_LINE_KEYS) <= {line.key for line in report.control_lines}:
            return True
        if not {k.value for k in m.SpecialFundKind} <= {str(f.kind) for f in report.special_funds}:
            return True
    return any(
        not set(m.PROJECT_SOURCE_KEYS) <= {s.key for s in p.sources} for p in report.projects
    )


def _fixed_row_ids(self: Workspace, report_id: int) -> dict[tuple[Any, ...], int]:
    """``(entity, project_id or None, key) → row id`` for every fixed-grid row of a report (read
    with plain sqlite3, as the window opens a report: no SQLAlchemy before the first edit)."""
    ids: dict[tuple[Any, ...], int] = {}
    with self.db.reading_raw() as con:
        for name in FIXED_ENTITIES:
            project = "project_id" if name == "project_source" else "NULL"
            key = "kind" if name == "special_fund" else "key"
            query = f"SELECT id, {project}, {key} FROM {name} WHERE report_id = ?"  # noqa: S608
            for rid, project_id, ident in con.execute(query, (report_id,)):
                ids[(name, project_id, ident)] = rid
    return ids


def _ensure_fixed_rows(self: Workspace, report_id: int) -> int:
    """Add the blank fixed-grid rows a report lacks (an old or partial import); returns how many.

    A database opened read-only is only looked at: nothing is added (edits are refused anyway).
    """
    if self.readonly:
        return 0
    existing = self.fixed_row_ids(report_id)
    report = self.load(report_id)
    added = 0
    with self.db.transaction() as session:

        def add(entity: str, project_id: int | None, ident: str, **values: Any) -> None:
            nonlocal added
            if (entity, project_id, ident) in existing:
                return
            table = repo.ENTITIES[entity].table
            extra = {"project_id": project_id} if entity == "project_source" else {}
            session.add(table(report_id=report_id, **extra, **values))
            added += 1

        if report.kind == m.ReportKind.DEPARTMENT:  # a project report has only its form's rows
            for key in m.BUDGET_LINE_KEYS:
                add("budget_line", None, key, key=key)
            for key in m.CONTROL_LINE_KEYS:
                add("control_line", None, key, key=key)
            for kind in m.SpecialFundKind:
                add("special_fund", None, kind.value, kind=kind.value, status=m.FundStatus.UNSTATED)
        for project in report.projects:
            for key in m.PROJECT_SOURCE_KEYS:
                add("project_source", project.id, key, key=key)
    return added


def _delete_many(self: Workspace, entity: str, row_ids: list[int]) -> list[DeletedRow]:
    """Delete several rows in one transaction, last position first (restore in reverse order)."""
    with self.db.transaction() as session:
        rows = sorted(
            (repo._get(session, repo.ENTITIES[entity], rid) for rid in row_ids),
            key=lambda r: r.position,
            reverse=True,
        )
        return [repo.delete_row(session, entity, rid) for rid in [r.id for r in rows]]


def _restore_many(self: Workspace, deleted: list[DeletedRow]) -> list[int]:
    """Undo :meth:`delete_many`: put the rows back (given in the order it returned them)."""
    with self.db.transaction() as session:
        return [repo.restore_row(session, d) for d in reversed(deleted)]


def _apply_block(
    self: Workspace,
    edits: list[tuple[str, int, dict[str, Any]]],
    insert: tuple[str, dict[str, Any], int, list[dict[str, Any]]] | None = None,
) -> tuple[list[dict[str, Any]], list[int]]:
    """A pasted block in one transaction: row updates, then new rows appended; all or nothing.

    Returns the previous values of the updated rows and the ids of the inserted ones.
    """
    with self.db.transaction() as session:
        before = [repo.update_row(session, e, rid, ch) for e, rid, ch in edits]
        ids: list[int] = []
        if insert is not None:
            entity, scope, position, rows = insert
            ids = [
                repo.insert_row(session, entity, scope, position + i, values)
                for i, values in enumerate(rows)
            ]
        return before, ids


def _undo_block(
    self: Workspace,
    restore: list[tuple[str, int, dict[str, Any]]],
    inserted: tuple[str, list[int]] | None = None,
) -> list[DeletedRow]:
    """Undo :meth:`apply_block` in one transaction: delete the new rows, put back old values."""
    with self.db.transaction() as session:
        deleted: list[DeletedRow] = []
        if inserted is not None:
            entity, row_ids = inserted
            for rid in reversed(row_ids):
                deleted.append(repo.delete_row(session, entity, rid))
        for e, rid, ch in restore:
            repo.update_row(session, e, rid, ch)
        return deleted


def _redo_block(
    self: Workspace, edits: list[tuple[str, int, dict[str, Any]]], deleted: list[DeletedRow]
) -> None:
    """Redo a pasted block after an undo: the same rows come back under the same ids."""
    with self.db.transaction() as session:
        for e, rid, ch in edits:
            repo.update_row(session, e, rid, ch)
        for d in reversed(deleted):
            repo.restore_row(session, d)


def _apply_changes(
    self: Workspace,
    edits: list[tuple[str, int, dict[str, Any]]],
    inserts: list[tuple[str, dict[str, Any], int, dict[str, Any]]],
) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """An imported workbook in one transaction: row updates, then rows added (of any kind, each
    at its position); all or nothing. Returns the previous values of the updated rows and
    ``(entity, id)`` of the added ones, in the order added."""
    with self.db.transaction() as session:
        before = repo.update_rows(session, edits)
        return before, _insert_in_place(session, inserts)


def _insert_in_place(
    session: Any, inserts: list[tuple[str, dict[str, Any], int, dict[str, Any]]]
) -> list[tuple[str, int]]:
    """Rows added at their positions, as ``repo.insert_row`` one after another would place them,
    but with each table's order worked out once: 1,000 rows added to a table in the middle
    would otherwise shift the rows after them 1,000 times."""
    from sqlalchemy import select

    orders: dict[tuple[str, tuple[Any, ...]], list[Any]] = {}
    added: list[tuple[str, Any]] = []
    for entity_name, scope, position, values in inserts:
        entity = repo.ENTITIES[entity_name]
        key = (entity_name, tuple(sorted(scope.items())))
        if key not in orders:
            table = entity.table
            orders[key] = list(
                session.scalars(
                    select(table)
                    .where(*repo._siblings_filter(entity, scope))
                    .order_by(table.position)  # type: ignore[attr-defined]
                )
            )
        columns = repo._columns_of(entity, repo._blank(entity))
        columns.update({k: repo.to_column(entity, k, v) for k, v in values.items()})
        row = entity.table(**scope, position=0, **columns)
        order = orders[key]
        order.insert(max(0, min(position, len(order))), row)
        session.add(row)
        added.append((entity_name, row))
    for order in orders.values():
        for i, row in enumerate(order):
            if row.position != i:
                row.position = i
    session.flush()
    return [(name, row.id) for name, row in added]


def _undo_changes(
    self: Workspace,
    restore: list[tuple[str, int, dict[str, Any]]],
    added: list[tuple[str, int]],
) -> list[DeletedRow]:
    """Undo :meth:`apply_changes` in one transaction: the added rows go (last first), the old
    values come back. Returns the deleted rows for :meth:`redo_changes`."""
    with self.db.transaction() as session:
        deleted = [repo.delete_row(session, entity, rid) for entity, rid in reversed(added)]
        repo.update_rows(session, restore)
        return deleted


def _redo_changes(
    self: Workspace, edits: list[tuple[str, int, dict[str, Any]]], deleted: list[DeletedRow]
) -> None:
    """Redo an import after an undo: the same values, the added rows back under the same ids."""
    with self.db.transaction() as session:
        repo.update_rows(session, edits)
        for d in reversed(deleted):
            repo.restore_row(session, d)


Workspace.fixed_row_ids = _fixed_row_ids  # type: ignore[attr-defined]
Workspace.ensure_fixed_rows = _ensure_fixed_rows  # type: ignore[attr-defined]
Workspace.delete_many = _delete_many  # type: ignore[attr-defined]
Workspace.restore_many = _restore_many  # type: ignore[attr-defined]
Workspace.apply_block = _apply_block  # type: ignore[attr-defined]
Workspace.undo_block = _undo_block  # type: ignore[attr-defined]
Workspace.redo_block = _redo_block  # type: ignore[attr-defined]
Workspace.apply_changes = _apply_changes  # type: ignore[attr-defined]
Workspace.undo_changes = _undo_changes  # type: ignore[attr-defined]
Workspace.redo_changes = _redo_changes  # type: ignore[attr-defined]


# --- 自评汇总: the 主管部门's summary of many units' reports (perfdesk.summary) -------------------
# Each unit's summary row is cached in the database with the revisions it was computed from (the
# revisions are moved by SQL triggers on every change: perfdesk.storage.revisions), so the summary
# of hundreds of units opens without reading and auditing every report again.


def _facts_key(listed: Any, previous: Any | None) -> str | None:
    """What a unit's cached row was computed from; ``None`` when a revision is not counted."""
    from perfdesk.storage.fileformat import SCHEMA_VERSION
    from perfdesk.summary.units import FACTS_VERSION, rules_fingerprint

    if listed.revision is None or (previous is not None and previous.revision is None):
        return None
    import hashlib

    rules = hashlib.blake2b(rules_fingerprint().encode(), digest_size=8).hexdigest()
    before = f"{previous.id}:{previous.revision}" if previous is not None else "-"
    return f"{FACTS_VERSION}|{SCHEMA_VERSION}|{rules}|{listed.revision}|{before}"


def _summary_units(
    self: Workspace,
    year: int,
    progress: Any | None = None,
    known: dict[int, m.Report] | None = None,
) -> tuple[list[tuple[int, Any]], dict[str, int]]:
    """``[(report id, UnitFacts)]`` of the year's department reports (the sample left out) and
    the number of 项目支出绩效自评报告 per unit. Stale rows are computed (``progress(done, total)``
    is called before each) and, unless the database is read-only, cached. ``known`` holds reports
    just stored (a gathering), so they need not be read back."""
    from perfdesk.storage import summaries
    from perfdesk.summary.units import facts_from_json, facts_of, facts_to_json

    with self.db.reading() as session:
        listing = summaries.year_listing(session, year)
    current = [r for r in listing.reports if r.year == year and not r.is_sample]
    previous = {
        r.unit_name: r
        for r in listing.reports
        if r.year == year - 1 and r.kind == m.ReportKind.DEPARTMENT and not r.is_sample
    }
    projects: dict[str, int] = {}
    for r in current:
        if r.kind == m.ReportKind.PROJECT:
            projects[r.unit_name] = projects.get(r.unit_name, 0) + 1
    units: list[tuple[int, Any]] = []
    stale = []
    for r in current:
        if r.kind != m.ReportKind.DEPARTMENT:
            continue
        before = previous.get(r.unit_name)
        key = _facts_key(r, before) if listing.tracking else None
        if key is not None and r.cache_key == key and r.cache_data:
            units.append((r.id, facts_from_json(r.cache_data)))
        else:
            stale.append((r, before, key))
    fresh = []
    for done, (r, before, key) in enumerate(stale):
        if progress is not None:
            progress(done, len(stale))
        report = (known or {}).get(r.id) or self.load(r.id)
        facts = facts_of(report, self.load(before.id) if before is not None else None)
        units.append((r.id, facts))
        if key is not None:
            fresh.append((r.id, key, facts_to_json(facts)))
    if fresh and not self.readonly:
        try:
            with self.db.transaction() as session:
                summaries.store_cache(session, fresh)
        except StorageWriteError as exc:  # only a cache: the summary itself is complete
            log.warning("summary cache not stored: %s", exc)
    units.sort(key=lambda u: u[0])
    return units, projects


def _summary(self: Workspace, year: int, progress: Any | None = None) -> Any:
    """The :class:`~perfdesk.summary.table.Summary` of ``year``: every unit's row, totals,
    cross-unit findings with their 说明, the 应报单位 list and the year's 汇总分析."""
    from perfdesk.storage import summaries
    from perfdesk.summary.table import build_summary

    units, projects = self.summary_units(year, progress)
    with self.db.reading() as session:
        expected = summaries.expected_units(session)
        settings = summaries.year_settings(session, year)
        notes = summaries.summary_notes(session, year)
    return build_summary(
        year,
        units,
        project_reports=projects,
        expected=expected,
        notes=notes,
        supervisor=settings.supervisor,
        analysis=settings.analysis,
    )


def _summary_years(self: Workspace) -> list[int]:
    """Years with a department report, newest first."""
    from perfdesk.storage import summaries

    with self.db.reading() as session:
        return summaries.report_years(session)


def _expected_units(self: Workspace) -> list[str]:
    """应报单位: the units a report is expected from, in the clerk's order."""
    from perfdesk.storage import summaries

    with self.db.reading() as session:
        return summaries.expected_units(session)


def _set_expected_units(self: Workspace, names: list[str]) -> list[str]:
    """Replace the 应报单位 list (blank lines and repeats dropped); returns the previous list."""
    from perfdesk.storage import summaries
    from perfdesk.summary.names import normalise

    cleaned: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = name.strip()
        if name and normalise(name) not in seen:
            seen.add(normalise(name))
            cleaned.append(name)
    with self.db.transaction() as session:
        return summaries.set_expected_units(session, cleaned)


def _summary_settings(self: Workspace, year: int) -> Any:
    """The year's 主管部门 (as printed) and 汇总分析 as edited (``None``: generated)."""
    from perfdesk.storage import summaries

    with self.db.reading() as session:
        return summaries.year_settings(session, year)


def _update_summary_settings(self: Workspace, year: int, **changes: str | None) -> dict[str, Any]:
    """Set ``supervisor`` and/or ``analysis`` (``None``: back to the generated text) of ``year``;
    returns the previous values (for undo)."""
    from perfdesk.storage import summaries

    with self.db.transaction() as session:
        return summaries.update_year_settings(session, year, **changes)


def _summary_notes(self: Workspace, year: int) -> list[m.Note]:
    from perfdesk.storage import summaries

    with self.db.reading() as session:
        return summaries.summary_notes(session, year)


def _add_summary_note(
    self: Workspace, year: int, rule: str, place: str, text: str, note_id: int | None = None
) -> int:
    """Store a 说明 accepting a cross-unit finding of ``year`` (``note_id``: restore an old one)."""
    from perfdesk.storage import summaries

    if not text.strip():
        raise InputError("说明不能为空")
    with self.db.transaction() as session:
        return summaries.add_summary_note(session, year, m.Note(rule, place, text.strip()), note_id)


def _delete_summary_note(self: Workspace, note_id: int) -> Any:
    """Remove a 说明; returns what :meth:`add_summary_note` needs to put it back."""
    from perfdesk.storage import summaries

    with self.db.transaction() as session:
        try:
            return summaries.delete_summary_note(session, note_id)
        except rows.RowNotFound as exc:
            raise NoSuchReport(str(exc)) from exc


Workspace.summary_units = _summary_units  # type: ignore[attr-defined]
Workspace.summary = _summary  # type: ignore[attr-defined]
Workspace.summary_years = _summary_years  # type: ignore[attr-defined]
Workspace.expected_units = _expected_units  # type: ignore[attr-defined]
Workspace.set_expected_units = _set_expected_units  # type: ignore[attr-defined]
Workspace.summary_settings = _summary_settings  # type: ignore[attr-defined]
Workspace.update_summary_settings = _update_summary_settings  # type: ignore[attr-defined]
Workspace.summary_notes = _summary_notes  # type: ignore[attr-defined]
Workspace.add_summary_note = _add_summary_note  # type: ignore[attr-defined]
Workspace.delete_summary_note = _delete_summary_note  # type: ignore[attr-defined]

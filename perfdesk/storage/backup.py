"""Automatic and manual backups of a database file, and restoring one.

Backups are made with SQLite's online backup API (``sqlite3.Connection.backup``), which copies a
consistent snapshot even while the file is open, into ``backups/`` beside the database::

    perfdesk.db
    backups/perfdesk-20251017-093012-daily.db

A backup is written under a temporary name, checked with ``PRAGMA quick_check`` and perfdesk's
``application_id``, flushed to the disk and only then renamed into place — so every file that
looks like a backup is a good one, and older backups are rotated out only after the new one has
proved good.

When backups are made (see :func:`perfdesk.storage.database.open_database` and
:meth:`perfdesk.services.Workspace.close`):

- ``daily``: on the first open of a day (before anything is written);
- ``premigrate``: before a migration upgrades the file (kept until deleted by hand);
- ``exit``: on closing, when something was saved in that session;
- ``manual``: ``perfdesk backup``;
- ``prerestore``: the current file, just before a backup replaces it (kept until deleted by hand).

Rotation keeps the two newest backups, the first backup of each of the last 7 days that have
backups (the state when that day's work began) and the first of each of the last 4 calendar weeks.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from perfdesk.errors import BackupError
from perfdesk.storage.fileformat import APPLICATION_ID, SCHEMA_VERSION, SQLITE_MAGIC, sqlite_uri
from perfdesk.storage.lock import WriterLock

log = logging.getLogger(__name__)

BACKUP_DIRNAME = "backups"
KIND_LABELS = {
    "daily": "每日自动备份",
    "exit": "退出时备份",
    "manual": "手动备份",
    "predelete": "删除报告前备份",
    "premigrate": "升级前备份",
    "prerestore": "恢复前备份",
}
KEPT_KINDS = frozenset({"premigrate", "prerestore", "predelete"})
"""Never rotated out: the state before an upgrade, a restore or a deleted report."""
KEEP_NEWEST, KEEP_DAYS, KEEP_WEEKS = 2, 7, 4
_STAMP = "%Y%m%d-%H%M%S"
_PARTIAL_SUFFIX = ".partial"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the 恢复备份 list shows it."""

    path: Path
    created: dt.datetime  # local time, from the file name
    kind: str
    reports: (
        tuple[str, ...] | None
    )  # "2024年度 株洲市芦淞区民政局" …; None if the file is unreadable
    size: int

    @property
    def report_count(self) -> int | None:
        return None if self.reports is None else len(self.reports)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def created_text(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M:%S")

    @property
    def reports_text(self) -> str:
        return "无法读取" if self.report_count is None else f"{self.report_count} 份报告"

    def describe(self) -> str:
        return f"{self.created_text}  {self.kind_label}（{self.reports_text}）"


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).absolute().parent / BACKUP_DIRNAME


def _name_re(db_path: Path) -> re.Pattern[str]:
    stem = re.escape(Path(db_path).stem)
    return re.compile(rf"^{stem}-(\d{{8}}-\d{{6}})-([a-z]+)(?:-(\d+))?\.db$")


def _ro_uri(path: Path) -> str:
    return sqlite_uri(path, "ro")


def _reports_in(path: Path) -> tuple[str, ...] | None:
    """The reports a backup holds, or ``None`` when it is not a readable perfdesk file."""
    try:
        with open(path, "rb") as f:
            head = f.read(100)
        if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
            return None
        if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
            return None
        con = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            rows = con.execute(
                "SELECT year, unit_name FROM report ORDER BY unit_name, year"
            ).fetchall()
        finally:
            con.close()
    except (OSError, sqlite3.Error):
        return None
    return tuple(f"{year}年度 {unit}" for year, unit in rows)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first (an empty list when there are none)."""
    folder = backup_dir(db_path)
    pattern = _name_re(db_path)
    found: list[tuple[dt.datetime, int, int, BackupInfo]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            created = dt.datetime.strptime(match.group(1), _STAMP)
            st = entry.stat()
        except (ValueError, OSError):
            continue
        path = Path(entry.path)
        # Several in one second are told apart by when they were written, then by -1, -2 …
        sequence = int(match.group(3) or 0)
        info = BackupInfo(path, created, match.group(2), _reports_in(path), st.st_size)
        found.append((created, st.st_mtime_ns, sequence, info))
    found.sort(key=lambda item: item[:3], reverse=True)
    return [item[3] for item in found]


def verify(path: Path) -> None:
    """Raise :class:`BackupError` unless ``path`` is a sound perfdesk database this program reads."""
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise BackupError(f"无法读取备份文件“{path}”（{exc.strerror or exc}）") from exc
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise BackupError(f"备份文件“{path}”已损坏或不是数据库文件")
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        raise BackupError(f"“{path}”不是 perfdesk 数据库的备份")
    if int.from_bytes(head[60:64], "big") > SCHEMA_VERSION:
        raise BackupError(f"备份文件“{path}”由较新版本的 perfdesk 创建，请升级 perfdesk 后再恢复")
    try:
        con = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupError(f"备份文件“{path}”已损坏（{exc}）") from exc
    if not row or row[0] != "ok":
        raise BackupError(f"备份文件“{path}”未通过完整性检查（{row[0] if row else '无结果'}）")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return  # Windows has no directory handles to flush; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _target_name(db_path: Path, kind: str, when: dt.datetime) -> Path:
    folder = backup_dir(db_path)
    base = f"{Path(db_path).stem}-{when.strftime(_STAMP)}-{kind}"
    target = folder / f"{base}.db"
    n = 1
    while target.exists():
        target = folder / f"{base}-{n}.db"
        n += 1
    return target


def _clean_partials(db_path: Path) -> None:
    """Remove half-written backups left by a crash (older than a minute, so never a live one)."""
    folder = backup_dir(db_path)
    prefix = Path(db_path).stem + "-"
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefix) and entry.name.endswith(_PARTIAL_SUFFIX):
            try:
                if time.time() - entry.stat().st_mtime > 60:
                    os.unlink(entry.path)
            except OSError:
                pass


def _explain_os_error(exc: BaseException) -> str:
    text = str(exc).lower()
    if (isinstance(exc, OSError) and exc.errno == 28) or "full" in text:
        return "磁盘空间已满"
    if isinstance(exc, PermissionError) or "readonly" in text or "permission" in text:
        return "没有写入权限"
    return getattr(exc, "strerror", None) or str(exc)


def create_backup(
    db_path: Path, kind: str = "manual", *, now: dt.datetime | None = None, rotate: bool = True
) -> BackupInfo:
    """Copy ``db_path`` into ``backups/`` with the online backup API, verify it, then rotate.

    Raises :class:`BackupError` (with a Chinese message) when the copy cannot be made or fails
    its check; older backups are then left as they were.
    """
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown backup kind {kind!r}")
    db_path = Path(db_path).absolute()
    when = (now or dt.datetime.now()).replace(microsecond=0)
    folder = backup_dir(db_path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise BackupError(
            f"无法建立备份文件夹“{folder}”：{_explain_os_error(exc)}，未能备份"
        ) from exc
    _clean_partials(db_path)
    target = _target_name(db_path, kind, when)
    partial = target.with_name(f"{target.name}.{os.getpid()}{_PARTIAL_SUFFIX}")
    # Read-write when allowed, so that a journal left by a crash is rolled back (SQLite's own
    # recovery) instead of making the copy fail; a read-only connection cannot do that.
    source_mode = "rw" if os.access(db_path, os.W_OK) else "ro"
    try:
        src = sqlite3.connect(sqlite_uri(db_path, source_mode), uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        verify(partial)
        _fsync_file(partial)
        os.replace(partial, target)
        _fsync_dir(folder)
    except (OSError, sqlite3.Error, BackupError) as exc:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(exc, BackupError):
            raise BackupError(f"备份未通过检查，已丢弃：{exc}") from exc
        raise BackupError(f"未能备份数据库“{db_path}”：{_explain_os_error(exc)}") from exc
    log.info("backup %s made of %s", target.name, db_path)
    info = BackupInfo(target, when, kind, _reports_in(target), target.stat().st_size)
    if rotate:
        rotate_backups(db_path)
    return info


def backups_to_remove(backups: list[BackupInfo]) -> list[BackupInfo]:
    """Which backups rotation drops (pure: the policy in the module docstring).

    ``backups`` is newest first, as :func:`list_backups` gives them.
    """
    # Oldest first; reversing before the stable sort keeps several made in one second in order.
    rotatable = sorted(
        reversed([b for b in backups if b.kind not in KEPT_KINDS]), key=lambda b: b.created
    )
    keep: set[Path] = {b.path for b in rotatable[-KEEP_NEWEST:]}
    first_of_day: dict[dt.date, BackupInfo] = {}
    first_of_week: dict[tuple[int, int], BackupInfo] = {}
    for b in rotatable:  # oldest first, so setdefault keeps the first of each day/week
        first_of_day.setdefault(b.created.date(), b)
        first_of_week.setdefault(tuple(b.created.isocalendar())[:2], b)  # type: ignore[arg-type]
    for day in sorted(first_of_day)[-KEEP_DAYS:]:
        keep.add(first_of_day[day].path)
    for week in sorted(first_of_week)[-KEEP_WEEKS:]:
        keep.add(first_of_week[week].path)
    return [b for b in rotatable if b.path not in keep]


def rotate_backups(db_path: Path) -> list[Path]:
    """Delete the backups the policy no longer keeps; returns what was removed."""
    removed = []
    for b in backups_to_remove(list_backups(db_path)):
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:  # e.g. opened by a virus scanner: try again next time
            log.warning("could not remove old backup %s: %s", b.path, exc)
    return removed


def needs_daily_backup(db_path: Path, today: dt.date | None = None) -> bool:
    """True when no backup of ``db_path`` was made today."""
    day = today or dt.date.today()
    return not any(b.created.date() == day for b in list_backups(db_path))


def _copy_damaged(db_path: Path, when: dt.datetime) -> Path:
    """Keep the bytes of a file SQLite cannot read (and its journal) before it is replaced."""
    folder = backup_dir(db_path)
    folder.mkdir(exist_ok=True)
    target = folder / f"{db_path.stem}-{when.strftime(_STAMP)}-damaged{db_path.suffix}.bin"
    shutil.copyfile(db_path, target)
    journal = db_path.with_name(db_path.name + "-journal")
    if journal.exists():
        shutil.copyfile(journal, target.with_name(target.name + "-journal"))
    _fsync_file(target)
    return target


def restore_backup(backup: BackupInfo | Path, db_path: Path) -> Path | None:
    """Replace ``db_path`` with ``backup``, after saving the current file as a backup first.

    Takes the writer lock itself, so the workspace on ``db_path`` must be closed first (the UI
    closes its :class:`~perfdesk.services.Workspace`, restores, and opens it again). Returns where
    the previous file was saved (``None`` when there was no previous file). A current file SQLite
    cannot read is kept byte for byte as ``backups/<name>-<time>-damaged.db.bin``.
    """
    source = backup.path if isinstance(backup, BackupInfo) else Path(backup)
    db_path = Path(db_path).absolute()
    verify(source)
    when = dt.datetime.now().replace(microsecond=0)
    with WriterLock.acquire(db_path):
        saved: Path | None = None
        if db_path.exists() and db_path.stat().st_size > 0:
            try:
                verify(db_path)
                saved = create_backup(db_path, "prerestore", now=when, rotate=False).path
            except BackupError:
                try:
                    saved = _copy_damaged(db_path, when)
                except OSError as exc:
                    raise BackupError(
                        f"无法先保存当前数据库文件（{_explain_os_error(exc)}），未恢复，当前文件未改动"
                    ) from exc
        tmp = db_path.with_name(f".{db_path.name}.restore-{os.getpid()}.tmp")
        try:
            shutil.copyfile(source, tmp)
            _fsync_file(tmp)
            verify(tmp)
            # A journal left by the replaced file would be "rolled back" into the restored one.
            journal = db_path.with_name(db_path.name + "-journal")
            journal.unlink(missing_ok=True)
            os.replace(tmp, db_path)
            _fsync_dir(db_path.parent)
        except (OSError, BackupError) as exc:
            tmp.unlink(missing_ok=True)
            raise BackupError(
                f"恢复备份失败（{_explain_os_error(exc)}），当前数据库文件未被替换"
            ) from exc
    log.info("restored %s from %s (previous file kept as %s)", db_path, source, saved)
    return saved

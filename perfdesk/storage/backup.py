"""Automatic and manual backups of a database file, and restoring one.

Backups are made with SQLite's online backup API (``sqlite3.Connection.backup``), which copies a
consistent snapshot even while the file is open, into ``backups/`` beside the database::

    perfdesk.db
    backups/perfdesk-20251017-093012-daily-n42.db

The name says when (by the computer's clock), what kind, and the backup's place in the order in
which backups were made (``n42``: one more than the highest number there). That number, not the
clock, decides which backup is newest: a clock set back (a dead CMOS battery, an offline PC
corrected) can never make rotation delete the backup just made. A backup's *name* — the file name
without ``perfdesk-`` and ``.db``, e.g. ``20251017-093012-daily-n42`` — never changes, so the
command line addresses backups by name, not by a position in a list that shifts.

A backup is written under a temporary name, verified (:func:`verify`: header, ``PRAGMA
integrity_check``, and every row read back through the model so that damage inside a page that
SQLite's checks cannot see — a zeroed text page — is caught), flushed to the disk through a
writable descriptor (Windows' ``FlushFileBuffers`` needs one) and only then renamed into place — so
every file that looks like a backup is a good one, and older backups are rotated out only after
the new one has proved good. Half-written copies of killed backups are removed at the next open.

When backups are made (see :func:`perfdesk.storage.database.open_database` and
:meth:`perfdesk.services.Workspace.close`):

- ``daily``: on the first open of a day (before anything is written);
- ``premigrate``: before a migration upgrades the file (kept until deleted by hand);
- ``exit``: on closing, when something was saved in that session;
- ``manual``: ``perfdesk backup``;
- ``prerestore``: the current file, just before a backup replaces it (kept until deleted by hand).

Rotation keeps the two newest backups (in the order they were made), the first backup of each of
the last 7 days that have backups (the state when that day's work began) and the first of each of
the last 4 calendar weeks — "last" again in the order made, the clock's date only grouping them.
When the clock reads earlier than the newest backup, the clerk is told (:func:`clock_warning`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from perfdesk import system
from perfdesk.errors import BackupError
from perfdesk.storage.fileformat import APPLICATION_ID, SCHEMA_VERSION, SQLITE_MAGIC, sqlite_uri
from perfdesk.storage.lock import WriterLock, real_path

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
    sequence: int = 0
    """Its place in the order backups were made (0: named before perfdesk numbered them)."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """What the clerk should know about the making of it (a clock earlier than older backups)."""

    @property
    def name(self) -> str:
        """The stable name the clerk uses for it: ``20251017-093012-daily-n42``."""
        return backup_name(self.path)

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
    """``backups/`` beside the real file (the same folder whatever name the database was opened
    under)."""
    return real_path(Path(db_path)).parent / BACKUP_DIRNAME


def _name_re(db_path: Path) -> re.Pattern[str]:
    # {stem}-{stamp}-{kind}-n{sequence}.db; before numbering, {stem}-{stamp}-{kind}[-{k}].db.
    stem = re.escape(real_path(Path(db_path)).stem)
    return re.compile(rf"^{stem}-(\d{{8}}-\d{{6}})-([a-z]+)(?:-n(\d+)|-(\d+))?\.db$")


def backup_name(path: Path) -> str:
    """A backup file's name without the database's stem and ``.db``: what the clerk types."""
    name = Path(path).name.removesuffix(".db")
    # The stem itself may contain "-" or digits: the name is the date-time and what follows it.
    match = re.search(r"\d{8}-\d{6}-[a-z]+(?:-n?\d+)?$", name)
    return match.group(0) if match else name


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
    found: list[tuple[tuple[int, dt.datetime, int, int], BackupInfo]] = []
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
        sequence = int(match.group(3) or 0)
        info = BackupInfo(
            path, created, match.group(2), _reports_in(path), st.st_size, sequence=sequence
        )
        # The order made; unnumbered (older) ones by their date, then when written, then -1, -2 …
        found.append(((sequence, created, st.st_mtime_ns, int(match.group(4) or 0)), info))
    found.sort(key=lambda item: item[0], reverse=True)
    return [item[1] for item in found]


def find_backup(db_path: Path, choice: str) -> BackupInfo | None:
    """The backup of ``db_path`` called ``choice``: its name (``20251017-093012-daily-n42``), its
    file name, or the start of exactly one name (``20251017-093012``). ``None`` when none is
    called so; :class:`BackupError` naming the candidates when several are."""
    backups = list_backups(db_path)
    wanted = choice.strip()
    for b in backups:
        if wanted in (b.name, b.path.name):
            return b
    matches = [b for b in backups if wanted and b.name.startswith(wanted)]
    if len(matches) > 1:
        names = "、".join(b.name for b in matches[:10])
        raise BackupError(
            f"有 {len(matches)} 个备份的名称以“{wanted}”开头：{names}。请写出完整的名称"
        )
    return matches[0] if matches else None


def verify(path: Path) -> None:
    """Raise :class:`BackupError` unless ``path`` is a sound perfdesk database this program reads.

    Checked: the header (SQLite, perfdesk's ``application_id``, a schema version not newer than
    this program's), ``PRAGMA integrity_check``, and then every row read back — every text decoded
    as UTF-8, and in a file of the current schema every row of every table loaded through the model
    (amounts, decimals, dates, enumerations) and every report assembled as the program reads it.
    SQLite's checks look at the pages' structure only: a page of text zeroed by a disk or a copy
    passes them, and would be found only when the clerk prints.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise BackupError(f"无法读取备份文件“{path}”（{exc.strerror or exc}）") from exc
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise BackupError(f"备份文件“{path}”已损坏或不是数据库文件")
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        raise BackupError(f"“{path}”不是 perfdesk 数据库的备份")
    version = int.from_bytes(head[60:64], "big")
    if version > SCHEMA_VERSION:
        raise BackupError(f"备份文件“{path}”由较新版本的 perfdesk 创建，请升级 perfdesk 后再恢复")
    try:
        con = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            if rows == [("ok",)]:
                _read_every_text(con)
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupError(f"备份文件“{path}”已损坏（{_sqlite_words(exc)}）") from exc
    if rows != [("ok",)]:
        first = rows[0][0] if rows else "无结果"
        raise BackupError(f"备份文件“{path}”未通过完整性检查（{str(first)[:120]}）")
    if version == SCHEMA_VERSION:
        _read_through_the_model(path)


def _sqlite_words(exc: BaseException) -> str:
    """SQLite's message without the stored text it sometimes quotes (the clerk's data)."""
    words = str(exc).split(" with text '", 1)[0]
    if "could not decode" in words.lower():
        return f"有无法解码的文字：{words[:80]}"
    return words[:120]


def _read_every_text(con: sqlite3.Connection) -> None:
    """Fetch every row of every table: sqlite3 decodes each TEXT value as UTF-8 on the way."""
    tables = [
        name
        for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        cursor = con.execute(f"SELECT * FROM {quoted}")
        while cursor.fetchmany(500):
            pass


def _read_through_the_model(path: Path) -> None:
    """Read every report whole with perfdesk's column types (:mod:`perfdesk.storage.rows`, plain
    sqlite3: the daily backup made as the window opens does not import SQLAlchemy)."""
    from perfdesk.storage import rows

    try:
        con = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            for summary in rows.list_reports(con):
                rows.load_report(con, summary.id)
        finally:
            con.close()
    except Exception as exc:  # noqa: BLE001 - whatever fails to read, the copy cannot be trusted
        log.warning("backup %s fails to read back: %s", path, type(exc).__name__)
        raise BackupError(
            f"备份文件“{path}”中有无法读取的内容（{type(exc).__name__}），已损坏"
        ) from exc


def _target_name(db_path: Path, kind: str, when: dt.datetime, sequence: int) -> Path:
    stem = real_path(Path(db_path)).stem
    return backup_dir(db_path) / f"{stem}-{when.strftime(_STAMP)}-{kind}-n{sequence}.db"


def _next_sequence(db_path: Path) -> int:
    return max((b.sequence for b in list_backups(db_path)), default=0) + 1


_PARTIAL_RE = re.compile(r"\.(\d+)\.partial(?:-journal)?$")
_PARTIAL_AGE = 60.0
"""Seconds after which a half-written backup is removed even if its process seems to run."""


def clean_partials(db_path: Path) -> list[Path]:
    """Remove half-written backups (and their journals) left by killed processes: those whose
    process is gone, and any older than a minute (a pid may be reused). A live backup's file is
    kept: ``perfdesk backup`` may run beside the window. Returns what was removed."""
    folder = backup_dir(db_path)
    prefix = real_path(Path(db_path)).stem + "-"
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _PARTIAL_RE.search(entry.name)
        if not entry.name.startswith(prefix) or match is None:
            continue
        pid = int(match.group(1))
        try:
            old = time.time() - entry.stat().st_mtime > _PARTIAL_AGE
            if old or (pid != os.getpid() and not system.pid_alive(pid)):
                system.unlink(Path(entry.path), timeout=0.5)
                removed.append(Path(entry.path))
        except OSError as exc:
            log.warning("could not remove a half-written backup %s: %s", entry.path, exc)
    return removed


def _explain_os_error(exc: BaseException) -> str:
    if isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        if "full" in text:
            return "磁盘空间已满"
        if "readonly" in text or "permission" in text:
            return "没有写入权限"
        return _sqlite_words(exc)
    return system.explain_os_error(exc)


def create_backup(
    db_path: Path, kind: str = "manual", *, now: dt.datetime | None = None, rotate: bool = True
) -> BackupInfo:
    """Copy ``db_path`` into ``backups/`` with the online backup API, verify it, then rotate.

    Raises :class:`BackupError` (with a Chinese message) when the copy cannot be made or fails
    its check; older backups are then left as they were. The backup made is never rotated out by
    its own rotation, whatever the clock says; when the clock reads earlier than the newest
    backup, the returned info carries a warning for the clerk.
    """
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown backup kind {kind!r}")
    db_path = real_path(Path(db_path))
    when = (now or dt.datetime.now()).replace(microsecond=0)
    folder = backup_dir(db_path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise BackupError(
            f"无法建立备份文件夹“{folder}”：{_explain_os_error(exc)}，未能备份"
        ) from exc
    clean_partials(db_path)
    clock = clock_warning(db_path, when)
    sequence = _next_sequence(db_path)
    partial = folder / f"{db_path.stem}-{when.strftime(_STAMP)}-{kind}.{os.getpid()}.partial"
    try:
        # Read-write where the file allows it (SQLite falls back to reading by itself where it
        # does not), so that a journal left by a crash is rolled back — SQLite's own recovery —
        # instead of making the copy fail.
        src = sqlite3.connect(sqlite_uri(db_path, "rw"), uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        verify(partial)
        system.fsync_file(partial)
        target = _put_in_place(partial, db_path, kind, when, sequence)
        system.fsync_dir(folder)
    except (OSError, sqlite3.Error, BackupError) as exc:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            try:
                system.unlink(leftover, timeout=0.5)
            except OSError:
                pass
        if isinstance(exc, BackupError):
            raise BackupError(f"备份未通过检查，已丢弃：{exc}") from exc
        raise BackupError(f"未能备份数据库“{db_path}”：{_explain_os_error(exc)}") from exc
    log.info("backup %s made of %s", target.name, db_path)
    info = BackupInfo(
        target,
        when,
        kind,
        _reports_in(target),
        target.stat().st_size,
        sequence=int(_name_re(db_path).match(target.name).group(3)),  # type: ignore[union-attr]
        warnings=(clock,) if clock else (),
    )
    if rotate:
        rotate_backups(db_path, keep=info.path)
    return info


def _put_in_place(
    partial: Path, db_path: Path, kind: str, when: dt.datetime, sequence: int
) -> Path:
    """Rename the verified copy to its backup name — never over another backup (one made at the
    same moment by another perfdesk would take the same number: take the next one)."""
    for _ in range(100):
        target = _target_name(db_path, kind, when, sequence)
        try:
            system.rename_new(partial, target)
            return target
        except FileExistsError:
            sequence = max(sequence, _next_sequence(db_path)) + 1
    raise BackupError(f"备份文件夹“{backup_dir(db_path)}”中的文件名反复冲突，未能备份")


def clock_warning(db_path: Path, now: dt.datetime | None = None) -> str | None:
    """A warning for the clerk when the computer's clock reads earlier than the newest backup."""
    when = now or dt.datetime.now()
    newest = max((b.created for b in list_backups(db_path)), default=None)
    if newest is None or when >= newest:
        return None
    log.warning("clock %s is before the newest backup %s", when, newest)
    return (
        f"电脑的日期时间（{when:%Y-%m-%d %H:%M}）早于最新备份的时间（{newest:%Y-%m-%d %H:%M}）。"
        "请检查并改正系统日期和时间（可能是主板电池没电或时间被改回）。"
        "备份按建立的先后保存，不会因此被误删"
    )


def _made_order(b: BackupInfo) -> tuple[int, dt.datetime]:
    return (b.sequence, b.created)


def backups_to_remove(backups: list[BackupInfo], keep: Path | None = None) -> list[BackupInfo]:
    """Which backups rotation drops (pure: the policy in the module docstring).

    ``backups`` is newest first, as :func:`list_backups` gives them; ``keep`` (the backup just
    made) is never dropped. "Newest" and "last" follow the order backups were made (their
    numbers), not the clock: a date earlier than older backups' only groups it by day and week.
    """
    # Oldest first; a stable sort keeps the given order where numbers and dates are equal.
    rotatable = sorted(reversed([b for b in backups if b.kind not in KEPT_KINDS]), key=_made_order)
    kept: set[Path] = {b.path for b in rotatable[-KEEP_NEWEST:]}
    if keep is not None:
        kept.add(Path(keep))
    first_of_day: dict[dt.date, BackupInfo] = {}
    first_of_week: dict[tuple[int, int], BackupInfo] = {}
    days: list[dt.date] = []  # in the order they were last made, newest first
    weeks: list[tuple[int, int]] = []
    for b in rotatable:  # oldest first, so setdefault keeps the first of each day/week
        first_of_day.setdefault(b.created.date(), b)
        first_of_week.setdefault(_week(b), b)
    for b in reversed(rotatable):
        if b.created.date() not in days:
            days.append(b.created.date())
        if _week(b) not in weeks:
            weeks.append(_week(b))
    for day in days[:KEEP_DAYS]:
        kept.add(first_of_day[day].path)
    for week in weeks[:KEEP_WEEKS]:
        kept.add(first_of_week[week].path)
    return [b for b in rotatable if b.path not in kept]


def _week(b: BackupInfo) -> tuple[int, int]:
    iso = b.created.isocalendar()
    return (iso[0], iso[1])


def rotate_backups(db_path: Path, keep: Path | None = None) -> list[Path]:
    """Delete the backups the policy no longer keeps (never ``keep``); returns what was removed."""
    removed = []
    for b in backups_to_remove(list_backups(db_path), keep):
        try:
            system.unlink(b.path, timeout=0.5)
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
    system.fsync_file(target)
    return target


def restore_backup(backup: BackupInfo | Path, db_path: Path) -> Path | None:
    """Replace ``db_path`` with ``backup``, after saving the current file as a backup first.

    Takes the writer lock itself, so the workspace on ``db_path`` must be closed first (the UI
    closes its :class:`~perfdesk.services.Workspace`, restores, and opens it again; the services
    also let go of this process's read-only connections). Windows cannot replace a file another
    program has open: the replace is retried for a moment (another perfdesk reading, a scanner),
    then refused naming the program that holds it. Returns where the previous file was saved
    (``None`` when there was no previous file). A current file that fails verification is kept
    byte for byte as ``backups/<name>-<time>-damaged.db.bin``.
    """
    source = backup.path if isinstance(backup, BackupInfo) else Path(backup)
    db_path = real_path(Path(db_path))  # a symlink is followed: the real file is replaced
    verify(source)
    when = dt.datetime.now().replace(microsecond=0)
    with WriterLock.acquire(db_path) as lock:
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
            system.fsync_file(tmp)
            verify(tmp)
            lock.release_file()  # our own handle on the file would block the replace (Windows)
            # A journal left by the replaced file would be "rolled back" into the restored one.
            system.unlink(db_path.with_name(db_path.name + "-journal"))
            system.replace(tmp, db_path)
            system.fsync_dir(db_path.parent)
        except (OSError, BackupError) as exc:
            try:
                system.unlink(tmp, timeout=0.5)
            except OSError:
                log.warning("could not remove %s", tmp)
            if system.is_sharing_violation(exc):
                raise BackupError(
                    f"恢复备份失败：数据库文件“{db_path}”正被其他程序占用"
                    f"{system.describe_holders(db_path)}。请关闭占用它的程序（如另一个打开它的 "
                    "perfdesk 窗口、杀毒或同步软件）后重试；当前数据库文件未被替换"
                ) from exc
            raise BackupError(
                f"恢复备份失败（{_explain_os_error(exc)}），当前数据库文件未被替换"
            ) from exc
    log.info("restored %s from %s (previous file kept as %s)", db_path, source, saved)
    return saved

"""Opening a perfdesk database file safely.

A file is recognised before SQLite touches it: the 100-byte header must say SQLite, carry
perfdesk's ``application_id`` and a schema version (``user_version``) this program knows. A
foreign or newer file is refused with a Chinese message and left byte-for-byte as it was. New
files are made by running the Alembic migrations from empty; older ones are upgraded the same way.

Every connection runs with foreign keys on, a rollback journal and ``synchronous=FULL``: a commit
that returned is on the disk.

Opening for writing also: refuses a file on a network share or in a place that cannot be written
(found out by writing a small probe file — ``os.access`` misses Windows' permission lists and a
full disk), takes the one-writer lock (:mod:`perfdesk.storage.lock`), removes what killed
backups, restores and creations left behind, rolls back a journal left by a crash during the
integrity check, and backs the file up on the first open of a day and before any migration
(:mod:`perfdesk.storage.backup`). ``readonly=True`` does none of that: it takes no lock, never
writes, and every write through :meth:`Database.transaction` is refused in Chinese.

A database is only ever made where no file exists, and only when the caller asks (``create``): an
empty (0-byte) file is a damaged database — emptied by a failed copy, a sync tool or a crash —
refused untouched with its backups offered, never initialised in place. A new file is built under
a temporary name and put in place complete, so no half-made database ever carries the name.

Every refusal is a :class:`DatabaseError` whose ``backups`` lists the backups that exist, so that
the UI can offer to restore one, and whose ``readonly_possible`` says whether opening the file
read-only would work.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import struct
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfdesk import system
from perfdesk.domain.numbers import InputError
from perfdesk.errors import (
    DamagedDatabase,
    DatabaseError,
    MissingDatabase,
    NeedsRecovery,
    NeedsUpgrade,
    NetworkLocation,
    NewerDatabase,
    ReadOnlyDatabase,
    ReadOnlyLocation,
    StorageReadError,
    StorageWriteError,
)
from perfdesk.storage import backup, location
from perfdesk.storage.fileformat import (
    SCHEMA_VERSION,
    FileHeader,
    read_header,
    sqlite_uri,
)
from perfdesk.storage.lock import WriterLock, real_path

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from perfdesk.storage.backup import BackupInfo

log = logging.getLogger(__name__)


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = DELETE")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def make_engine(path: Path, *, readonly: bool = False) -> Engine:
    """An engine on ``path`` with perfdesk's pragmas on every connection.

    Connections are made from a ``file:`` URI and never create the file: ``mode=ro`` for a reader
    (SQLite itself then refuses every write), ``mode=rwc`` for the writer.
    """
    from sqlalchemy import create_engine, event

    uri = sqlite_uri(path, "ro" if readonly else "rwc")

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    # The URL only tells SQLAlchemy this is a file database (so it pools connections as for one).
    engine = create_engine("sqlite:///perfdesk.db", creator=connect)
    event.listen(engine, "connect", _on_connect)
    return engine


_SQLITE_FAULTS = (
    ("database or disk is full", "磁盘空间已满"),
    ("disk i/o error", "磁盘读写出错"),
    ("readonly", "数据库文件或所在文件夹已变为只读"),
    ("read-only", "数据库文件或所在文件夹已变为只读"),
    ("database is locked", "数据库正被其他程序占用"),
    ("malformed", "数据库文件已损坏"),
    ("unable to open", "无法访问数据库文件（U 盘、移动硬盘或网络是否已断开？）"),
    ("no such table", "数据库文件结构不完整"),
    ("could not decode", "数据库文件中有损坏的文字（无法解码），文件可能已损坏，请从备份恢复"),
)


def explain_sqlite_error(exc: BaseException) -> str:
    """A Chinese phrase for what went wrong in SQLite (falls back to SQLite's own words, cut short:
    some of SQLite's messages quote the stored text, which is the clerk's data)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).lower()
    for needle, phrase in _SQLITE_FAULTS:
        if needle in text:
            return phrase
    return short_error(orig)


def short_error(exc: BaseException) -> str:
    """An error's text for a message or the log: its first 120 characters, without data quoted in
    it (SQLite's "with text '…'", SQLAlchemy's "[parameters: …]")."""
    words = str(exc).split("\n", 1)[0]
    words = re.split(r" with text '|\[parameters:|\[SQL:", words, maxsplit=1)[0]
    return words[:120] or type(exc).__name__


_SQLITE_FAULTS_TYPES = (sqlite3.OperationalError, sqlite3.InternalError)
_SQLITE_DATABASE_ERROR = sqlite3.DatabaseError


def _is_storage_fault(exc: BaseException) -> bool:
    # IntegrityError / ProgrammingError are bugs or bad input, not the disk: let them through.
    if isinstance(exc, _SQLITE_FAULTS_TYPES) or type(exc) is _SQLITE_DATABASE_ERROR:
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")  # only an engine in use raises SQLAlchemy's errors
    return sa_exc is not None and (
        isinstance(exc, sa_exc.OperationalError | sa_exc.InternalError)
        or type(exc) is sa_exc.DatabaseError
    )


class Database:
    """An open perfdesk database file: its connections and (for the writer) its lock.

    Reading a report needs nothing but :mod:`sqlite3` (:meth:`reading_raw`, used with
    :mod:`perfdesk.storage.rows`); the SQLAlchemy engine and its sessions, which every edit goes
    through, are made on first use — so a command that only prints, and the window until its
    first edit, never pay for importing SQLAlchemy (issue 16).
    """

    def __init__(
        self,
        path: Path,
        engine: Engine | None = None,
        *,
        readonly: bool = False,
        lock: WriterLock | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.path = path
        self._engine = engine
        self._sessions: Any = None
        self._raw: sqlite3.Connection | None = None
        self._raw_file: tuple[int, int] | None = None  # the file the plain connection has open
        self._raw_lock = threading.Lock()
        self.readonly = readonly
        self.lock = lock
        self.dirty = False
        """True once anything was committed since opening (decides the backup on exit)."""
        self.warnings: list[str] = list(warnings or [])
        """Things the clerk should know that did not stop the opening (a failed daily backup)."""
        _OPEN_DATABASES.add(self)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made (and SQLAlchemy imported) on first use."""
        if self._engine is None:
            self._engine = make_engine(self.path, readonly=self.readonly)
        return self._engine

    def _session(self) -> Session:
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One short transaction: committed on success, rolled back on any error.

        A read-only database refuses with :class:`ReadOnlyDatabase`; a failing commit (disk full,
        I/O error) becomes :class:`StorageWriteError` saying the edit was not saved.
        """
        if self.readonly:
            raise ReadOnlyDatabase(
                f"数据库“{self.path}”是以只读方式打开的，刚才的修改未保存。"
                "如需修改，请关闭其他正在使用它的 perfdesk，或把文件复制到可写的本机文件夹后重新打开。"
            )
        from sqlalchemy import exc as sa_exc

        changed = False
        try:
            with self._session() as session, session.begin():
                before = _total_changes(session)
                yield session
                session.flush()
                changed = _total_changes(session) != before
        except sa_exc.SQLAlchemyError as exc:
            if not _is_storage_fault(exc):
                raise
            # The connection that failed may be left in a state SQLite advises against reusing.
            self.engine.dispose()
            log.error("commit failed on %s: %s", self.path, short_error(getattr(exc, "orig", exc)))
            raise StorageWriteError(
                f"修改未能保存：{explain_sqlite_error(exc)}。刚才的修改没有写入数据库，"
                "数据库仍是修改前的内容；请处理后重试。"
            ) from exc
        if changed:  # a transaction that changed no row (nothing to add) is no reason for a backup
            self.dirty = True

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session to read with (SQLAlchemy; :meth:`reading_raw` reads a report without it)."""
        with self._read_faults(), self._session() as session:
            yield session

    @contextmanager
    def reading_raw(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection inside one read transaction (a consistent view of the file
        across its queries), for :mod:`perfdesk.storage.rows`.

        The connection is this database's own and is kept between reads; it never writes (read-only
        URI for a reader, ``query_only`` for the writer). One reader at a time uses it.
        """
        with self._raw_lock, self._read_faults(self._drop_raw):
            if self._raw is not None and self.readonly and self._raw_file != _identity(self.path):
                # Replaced meanwhile (a backup restored by another perfdesk): read the new file,
                # not the old one this connection still holds open.
                self._drop_raw()
            if self._raw is None:
                self._raw_file = _identity(self.path)
                self._raw = self._connect_raw()
            con = self._raw
            con.execute("BEGIN")
            try:
                yield con
            finally:
                if con.in_transaction:
                    con.execute("ROLLBACK")

    def _connect_raw(self) -> sqlite3.Connection:
        con = sqlite3.connect(
            sqlite_uri(self.path, "ro" if self.readonly else "rw"),
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
        con.execute("PRAGMA busy_timeout = 5000")
        con.execute("PRAGMA query_only = 1")
        return con

    def _drop_raw(self) -> None:
        con, self._raw = self._raw, None
        if con is not None:
            con.close()

    @contextmanager
    def _read_faults(self, reset: Any = None) -> Iterator[None]:
        """Turn a failed read into :class:`StorageReadError` in Chinese (the disk, a damaged
        page, a stored value that does not decode); ``reset`` drops a connection that failed."""
        try:
            yield
        except Exception as exc:
            if _is_storage_fault(exc):
                # The connection that failed may be left in a state SQLite advises against reusing.
                if reset is not None:
                    reset()
                elif self._engine is not None:
                    self._engine.dispose()
                log.error(
                    "read failed on %s: %s", self.path, short_error(getattr(exc, "orig", exc))
                )
                raise StorageReadError(
                    f"读取数据库失败：{explain_sqlite_error(exc)}。数据库未作任何改动，请处理后重试。"
                ) from exc
            if isinstance(exc, ArithmeticError | ValueError) and not isinstance(exc, InputError):
                # A stored number or date that does not decode (decimal.InvalidOperation, a bad
                # enum value): damage inside a page that SQLite's own checks cannot see.
                log.error("undecodable value in %s: %s", self.path, type(exc).__name__)
                raise StorageReadError(
                    f"读取数据库失败：数据库“{self.path}”中有无法读取的数值或日期，文件可能已损坏，"
                    "请从备份恢复。数据库未作任何改动。"
                ) from exc
            raise

    def release_connections(self) -> None:
        """Close the open connections (they are made again on the next read or edit)."""
        with self._raw_lock:
            self._drop_raw()
        if self._engine is not None:
            self._engine.dispose()

    def close(self) -> None:
        """Close the connections, then free the writer lock (safe to call twice)."""
        _OPEN_DATABASES.discard(self)
        try:
            self.release_connections()
        finally:
            if self.lock is not None:
                self.lock.release()


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names now (device and inode; on Windows the NTFS file index)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


_OPEN_DATABASES: weakref.WeakSet[Database] = weakref.WeakSet()
"""Every database open in this process (a read-only second window, a command run in-process)."""


def release_readers(path: str | os.PathLike[str]) -> int:
    """Close the connections of this process's read-only databases on ``path`` (they reconnect on
    their next read): Windows cannot replace a file that is open, so a restore first lets go of
    the program's own readers. Returns how many databases were released."""
    target = real_path(Path(path))
    released = 0
    for db in list(_OPEN_DATABASES):
        if db.readonly and real_path(db.path) == target:
            db.release_connections()
            released += 1
    return released


def _total_changes(session: Session) -> int:
    from sqlalchemy import text

    return int(session.execute(text("SELECT total_changes()")).scalar_one())


def _check_writable(path: Path) -> None:
    """Refuse a place where SQLite could not save an edit — found out by writing, not by asking
    ``os.access`` (which ignores Windows' permission lists and a full disk)."""
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseError(f"文件夹“{folder}”不存在，无法打开或创建数据库")
    problem = system.write_problem(folder)
    if problem is not None:
        if system.is_disk_full(problem):
            raise ReadOnlyLocation(
                f"数据库所在的磁盘（文件夹“{folder}”）空间已满，无法保存修改，文件未作任何改动。"
                "可以以只读方式打开查看、打印和导出；如需修改，请先清理磁盘空间"
            )
        if system.is_no_permission(problem):
            raise ReadOnlyLocation(
                f"没有权限在文件夹“{folder}”中写入（{system.explain_os_error(problem)}）："
                "SQLite 保存修改时需要在数据库旁边建立临时的日志文件。文件未作任何改动；"
                "可以以只读方式打开查看、打印和导出，或把数据库复制到可写的文件夹"
            )
        raise DatabaseError(
            f"无法在文件夹“{folder}”中写入（{system.explain_os_error(problem)}），文件未作任何改动"
        )
    if path.exists():
        problem = system.file_write_problem(path)
        if problem is not None and system.is_no_permission(problem):
            raise ReadOnlyLocation(
                f"数据库文件“{path}”是只读的，无法保存修改，文件未作任何改动。"
                "可以以只读方式打开查看、打印和导出；如需修改，请在文件属性中取消“只读”"
            )
        if problem is not None:
            raise DatabaseError(
                f"无法以写入方式打开数据库文件“{path}”（{system.explain_os_error(problem)}），"
                "文件未作任何改动"
            )


def _header_allowing_newer(path: Path) -> FileHeader | None:
    """:func:`read_header`, but a newer perfdesk file is returned instead of refused."""
    try:
        return read_header(path)
    except NewerDatabase:
        with open(path, "rb") as f:
            head = f.read(100)
        return FileHeader(struct.unpack(">I", head[68:72])[0], struct.unpack(">I", head[60:64])[0])


def _backups_of(path: Path) -> list[BackupInfo]:
    try:
        return backup.list_backups(path)
    except Exception:  # noqa: BLE001 - the list is an offer; never hide the real error behind it
        log.exception("could not list backups of %s", path)
        return []


def open_database(
    path: str | os.PathLike[str],
    *,
    create: bool = True,
    readonly: bool = False,
    backups: bool = True,
) -> Database:
    """Open (and if needed create or upgrade) the perfdesk database at ``path``.

    ``create=True`` makes a new database when no file exists at ``path`` (never over an existing
    file, however empty); with ``create=False`` a missing file is refused naming the path.
    ``readonly=True`` opens an existing file without the lock and without writing anything (also
    a file written by a newer perfdesk). ``backups=False`` skips the automatic backups (tools and
    benchmarks only). Raises :class:`DatabaseError` subclasses with a Chinese message and the list
    of backups; a refused file is untouched.
    """
    path = Path(path).expanduser().absolute()
    try:
        return _open(path, create=create, readonly=readonly, backups=backups)
    except DatabaseError as exc:
        if not exc.backups:
            exc.backups = _backups_of(path)
        raise


def _missing(path: Path) -> DatabaseError:
    return MissingDatabase(f"数据库文件“{path}”不存在（请检查文件名和文件夹）")


def _open(path: Path, *, create: bool, readonly: bool, backups: bool) -> Database:
    if readonly:
        header = _header_allowing_newer(path)
        if header is None:
            raise _missing(path)
        if header.user_version < SCHEMA_VERSION:
            raise NeedsUpgrade(
                f"数据库“{path}”由较旧版本的 perfdesk 创建，需要先升级才能打开；以只读方式打开时无法升级。"
                "请以正常方式打开（升级前会自动备份）"
            )
        _quick_check(path, readonly=True)
        return Database(path, readonly=True)

    header = read_header(path)  # refuses foreign, newer, empty and damaged files untouched
    if header is None and not create:
        raise _missing(path)
    reason = location.network_reason(path)
    if reason is not None:
        raise NetworkLocation(
            f"数据库“{path}”位于{reason}上。SQLite 数据库在网络共享上保存修改可能损坏数据，"
            "文件未作任何改动。请把数据库复制到本机硬盘（如“文档”文件夹）后再打开；也可以以只读方式打开查看"
        )
    _check_writable(path)
    lock = WriterLock.acquire(path)
    try:
        # Read again under the lock: the file may have been made or replaced meanwhile.
        header = read_header(path)
        if header is None and not create:
            raise _missing(path)
        remove_leftovers(path)
        return _open_locked(path, header, lock, backups=backups)
    except BaseException:
        lock.release()
        raise


def _open_locked(
    path: Path, header: FileHeader | None, lock: WriterLock, *, backups: bool
) -> Database:
    warnings: list[str] = []
    if header is None:
        _create(path)
        lock.hold_file()  # the new file exists now: lock it under its own identity too
        return Database(path, lock=lock)
    needs_migration = header.user_version < SCHEMA_VERSION
    _quick_check(path)
    if backups and needs_migration:
        try:
            backup.create_backup(path, "premigrate")
        except backup.BackupError as exc:
            raise DatabaseError(
                f"升级数据库前未能备份，因此没有升级，文件未作任何改动：{exc}"
            ) from exc
    elif backups and backup.needs_daily_backup(path):
        try:
            made = backup.create_backup(path, "daily")
            warnings.extend(made.warnings)
        except backup.BackupError as exc:
            log.warning("daily backup failed: %s", exc)
            warnings.append(f"今天的自动备份未能完成：{exc}")
    elif backups:
        clock = backup.clock_warning(path)
        if clock:
            warnings.append(clock)
    if not needs_migration:
        return Database(path, lock=lock, warnings=warnings)  # the engine is made on first edit
    from sqlalchemy import exc as sa_exc

    from perfdesk.storage import migrate  # alembic is imported only when a file changes

    engine = make_engine(path)
    try:
        migrate.upgrade(engine, path=path, new=False)
    except sa_exc.SQLAlchemyError as exc:
        engine.dispose()
        if not _is_storage_fault(exc):
            raise
        raise StorageWriteError(
            f"升级数据库失败：{explain_sqlite_error(exc)}。数据库保持升级前的状态，请处理后重试"
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(path, engine, lock=lock, warnings=warnings)


_NEW_SUFFIX = ".new.tmp"


def _create(path: Path) -> None:
    """Make a new database at ``path`` (where no file is): built under a temporary name, then put
    in place complete — a crash while it is made leaves no half-made file under the name."""
    from sqlalchemy import exc as sa_exc

    from perfdesk.storage import migrate  # alembic is imported only when a file changes

    tmp = path.with_name(f".{path.name}.{os.getpid()}{_NEW_SUFFIX}")
    engine = make_engine(tmp)
    try:
        migrate.upgrade(engine, path=tmp, new=True)
    except sa_exc.SQLAlchemyError as exc:
        engine.dispose()
        _remove_quietly(tmp)
        if not _is_storage_fault(exc):
            raise
        raise StorageWriteError(
            f"建立数据库失败：{explain_sqlite_error(exc)}。没有建立数据库文件，请处理后重试"
        ) from exc
    except BaseException:
        engine.dispose()
        _remove_quietly(tmp)
        raise
    engine.dispose()
    try:
        system.fsync_file(tmp)
        system.rename_new(tmp, path)
        system.fsync_dir(path.parent)
    except OSError as exc:
        _remove_quietly(tmp)
        if isinstance(exc, FileExistsError):
            raise DatabaseError(
                f"建立数据库时“{path}”已被其他程序建立，新数据库未放入，原文件未作任何改动"
            ) from exc
        raise StorageWriteError(
            f"建立数据库失败：{system.explain_os_error(exc)}。没有建立数据库文件，请处理后重试"
        ) from exc


def _remove_quietly(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal")):
        try:
            system.unlink(p, timeout=1.0)
        except OSError:
            log.warning("could not remove %s", p)


_LEFTOVER_AGE = 60.0
"""Seconds after which a leftover of another process is removed even if its pid runs again."""


def remove_leftovers(path: Path) -> list[Path]:
    """Remove what killed perfdesk processes left beside ``path`` (called under the writer lock):
    a database being made or a file being restored (only made under the lock, so never live now),
    write probes and half-written backups with their journals (live only while their process
    runs: removed when it is gone, or after a minute). Returns what was removed."""
    removed: list[Path] = []
    own = re.compile(rf"^\.{re.escape(path.name)}\.(?:restore-)?(\d+)(?:\.new)?\.tmp(?:-journal)?$")
    probe = re.compile(r"^\.perfdesk-probe-(\d+)-[0-9a-f]+\.tmp$")
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        entries = []
    for entry in entries:
        if own.match(entry.name):
            gone = True
        else:
            match = probe.match(entry.name)
            gone = match is not None and _abandoned(entry, int(match.group(1)))
        if gone:
            try:
                system.unlink(Path(entry.path), timeout=0.5)
                removed.append(Path(entry.path))
            except OSError as exc:
                log.warning("could not remove leftover %s: %s", entry.path, exc)
    removed += backup.clean_partials(path)
    if removed:
        log.info("removed leftovers of killed processes: %s", [p.name for p in removed])
    return removed


def _abandoned(entry: os.DirEntry[str], pid: int) -> bool:
    try:
        age = time.time() - entry.stat().st_mtime
    except OSError:
        return False
    return age > _LEFTOVER_AGE or (pid != os.getpid() and not system.pid_alive(pid))


def _quick_check(path: Path, *, readonly: bool = False) -> None:
    """Refuse a damaged file before anything writes to it.

    The writer opens it read-write (never created) so that a hot journal left by a crash is rolled
    back — that recovery is what the journal is for; a read-only connection could not do it.
    """
    try:
        con = sqlite3.connect(sqlite_uri(path, "ro" if readonly else "rw"), uri=True)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if readonly and "readonly" in text:
            raise NeedsRecovery(
                f"数据库“{path}”上次未正常关闭，需要先以正常方式打开一次才能完成恢复；"
                "以只读方式打开时无法恢复。文件未作任何改动"
            ) from exc
        if "locked" in text:
            raise DatabaseError(
                f"数据库“{path}”正被其他程序占用，请稍后再试。文件未作任何改动"
            ) from exc
        if "unable to open" in text:
            raise DatabaseError(f"无法打开数据库文件“{path}”（{exc}），文件未作任何改动") from exc
        raise DamagedDatabase(
            f"数据库文件“{path}”已损坏，无法读取（{exc}），文件未作任何改动"
        ) from exc
    if not row or row[0] != "ok":
        raise DamagedDatabase(
            f"数据库文件“{path}”已损坏（完整性检查：{row[0] if row else '无结果'}），文件未作任何改动"
        )

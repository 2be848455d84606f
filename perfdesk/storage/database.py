"""Opening a perfdesk database file safely.

A file is recognised before SQLite touches it: the 100-byte header must say SQLite, carry
perfdesk's ``application_id`` and a schema version (``user_version``) this program knows. A
foreign or newer file is refused with a Chinese message and left byte-for-byte as it was. New
files are made by running the Alembic migrations from empty; older ones are upgraded the same way.

Every connection runs with foreign keys on, a rollback journal and ``synchronous=FULL``: a commit
that returned is on the disk.

Opening for writing also: refuses a file on a network share or in a place that cannot be written,
takes the one-writer lock (:mod:`perfdesk.storage.lock`), rolls back a journal left by a crash
during the integrity check, and backs the file up on the first open of a day and before any
migration (:mod:`perfdesk.storage.backup`). ``readonly=True`` does none of that: it takes no lock,
never writes, and every write through :meth:`Database.transaction` is refused in Chinese.

Every refusal is a :class:`DatabaseError` whose ``backups`` lists the backups that exist, so that
the UI can offer to restore one, and whose ``readonly_possible`` says whether opening the file
read-only would work.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from perfdesk.errors import (
    DamagedDatabase,
    DatabaseError,
    NeedsRecovery,
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
from perfdesk.storage.lock import WriterLock

if TYPE_CHECKING:
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
)


def explain_sqlite_error(exc: BaseException) -> str:
    """A Chinese phrase for what went wrong in SQLite (falls back to SQLite's own words)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).lower()
    for needle, phrase in _SQLITE_FAULTS:
        if needle in text:
            return phrase
    return str(orig)


def _is_storage_fault(exc: BaseException) -> bool:
    # IntegrityError / ProgrammingError are bugs or bad input, not the disk: let them through.
    return (
        isinstance(exc, sa_exc.OperationalError | sa_exc.InternalError)
        or type(exc) is sa_exc.DatabaseError
    )


class Database:
    """An open perfdesk database file: an engine, a session factory and (for the writer) its lock."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        *,
        readonly: bool = False,
        lock: WriterLock | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self.readonly = readonly
        self.lock = lock
        self.dirty = False
        """True once anything was committed since opening (decides the backup on exit)."""
        self.warnings: list[str] = list(warnings or [])
        """Things the clerk should know that did not stop the opening (a failed daily backup)."""
        self._sessions = sessionmaker(engine, expire_on_commit=False)

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
        try:
            with self._sessions() as session, session.begin():
                yield session
        except sa_exc.SQLAlchemyError as exc:
            if not _is_storage_fault(exc):
                raise
            # The connection that failed may be left in a state SQLite advises against reusing.
            self.engine.dispose()
            log.error("commit failed on %s: %s", self.path, getattr(exc, "orig", exc))
            raise StorageWriteError(
                f"修改未能保存：{explain_sqlite_error(exc)}。刚才的修改没有写入数据库，"
                "数据库仍是修改前的内容；请处理后重试。"
            ) from exc
        self.dirty = True

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with self._sessions() as session:
                yield session
        except sa_exc.SQLAlchemyError as exc:
            if not _is_storage_fault(exc):
                raise
            self.engine.dispose()
            log.error("read failed on %s: %s", self.path, getattr(exc, "orig", exc))
            raise StorageReadError(
                f"读取数据库失败：{explain_sqlite_error(exc)}。数据库未作任何改动，请处理后重试。"
            ) from exc

    def close(self) -> None:
        """Close the connections, then free the writer lock (safe to call twice)."""
        try:
            self.engine.dispose()
        finally:
            if self.lock is not None:
                self.lock.release()


def _check_writable(path: Path) -> None:
    folder = path.parent
    if not folder.exists():
        raise DatabaseError(f"文件夹“{folder}”不存在，无法创建数据库")
    if not os.access(folder, os.W_OK):
        raise ReadOnlyLocation(
            f"没有权限在文件夹“{folder}”中写入：SQLite 保存修改时需要在数据库旁边建立临时的日志文件。"
            "文件未作任何改动；可以以只读方式打开查看，或把数据库复制到可写的文件夹"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise ReadOnlyLocation(
            f"数据库文件“{path}”是只读的，无法保存修改，文件未作任何改动。"
            "可以以只读方式打开查看；如需修改，请在文件属性中取消“只读”"
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


def _open(path: Path, *, create: bool, readonly: bool, backups: bool) -> Database:
    header = _header_allowing_newer(path) if readonly else read_header(path)
    if header is None:
        if readonly:
            raise DatabaseError(f"数据库文件“{path}”不存在或是空文件，无法以只读方式打开")
        if not create:
            raise DatabaseError(f"数据库文件“{path}”不存在")
    if readonly:
        assert header is not None
        if header.user_version < SCHEMA_VERSION:
            raise DatabaseError(
                f"数据库“{path}”由较旧版本的 perfdesk 创建，需要先升级才能打开；以只读方式打开时无法升级。"
                "请以正常方式打开（升级前会自动备份）"
            )
        _quick_check(path, readonly=True)
        return Database(path, make_engine(path, readonly=True), readonly=True)

    reason = location.network_reason(path)
    if reason is not None:
        raise NetworkLocation(
            f"数据库“{path}”位于{reason}上。SQLite 数据库在网络共享上保存修改可能损坏数据，"
            "文件未作任何改动。请把数据库复制到本机硬盘（如“文档”文件夹）后再打开；也可以以只读方式打开查看"
        )
    _check_writable(path)
    lock = WriterLock.acquire(path)
    try:
        return _open_locked(path, header, lock, backups=backups)
    except BaseException:
        lock.release()
        raise


def _open_locked(
    path: Path, header: FileHeader | None, lock: WriterLock, *, backups: bool
) -> Database:
    warnings: list[str] = []
    needs_migration = header is None or header.user_version < SCHEMA_VERSION
    if header is not None:
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
                backup.create_backup(path, "daily")
            except backup.BackupError as exc:
                log.warning("daily backup failed: %s", exc)
                warnings.append(f"今天的自动备份未能完成：{exc}")
    engine = make_engine(path)
    try:
        if needs_migration:
            from perfdesk.storage import migrate  # alembic is imported only when a file changes

            migrate.upgrade(engine, path=path, new=header is None)
    except sa_exc.SQLAlchemyError as exc:
        engine.dispose()
        if not _is_storage_fault(exc):
            raise
        what = "建立" if header is None else "升级"
        raise StorageWriteError(
            f"{what}数据库失败：{explain_sqlite_error(exc)}。数据库保持{what}前的状态，请处理后重试"
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(path, engine, lock=lock, warnings=warnings)


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

"""Opening a perfdesk database file safely.

A file is recognised before SQLite touches it: the 100-byte header must say SQLite, carry
perfdesk's ``application_id`` and a schema version (``user_version``) this program knows. A
foreign or newer file is refused with a Chinese message and left byte-for-byte as it was. New
files are made by running the Alembic migrations from empty; older ones are upgraded the same way.

Every connection runs with foreign keys on, a rollback journal and ``synchronous=FULL``: a commit
that returned is on the disk.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

APPLICATION_ID = 0x7066646B  # "pfdk"
SCHEMA_VERSION = 1
"""``PRAGMA user_version`` written by the newest migration; bump with every new migration."""

SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A database that cannot be used; ``str(error)`` is a Chinese sentence for the user."""


class NotPerfdeskDatabase(DatabaseError):
    """Not SQLite at all, or another program's SQLite file."""


class NewerDatabase(DatabaseError):
    """Written by a newer perfdesk: this program does not know its schema."""


class DamagedDatabase(DatabaseError):
    """Truncated or corrupted."""


@dataclass(frozen=True)
class FileHeader:
    application_id: int
    user_version: int


def read_header(path: Path) -> FileHeader | None:
    """The header of an existing file, ``None`` for a missing or empty one (a new database).

    Raises :class:`NotPerfdeskDatabase` / :class:`NewerDatabase` / :class:`DamagedDatabase`.
    Only reads: the file is never opened for writing here.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise NotPerfdeskDatabase(f"“{path}”是一个文件夹，不是 perfdesk 数据库文件") from exc
    except PermissionError as exc:
        raise DatabaseError(f"没有权限读取数据库文件“{path}”") from exc
    if not head:
        return None
    if not head.startswith(SQLITE_MAGIC):
        raise NotPerfdeskDatabase(f"“{path}”不是 perfdesk 数据库（不是 SQLite 数据库文件），文件未作任何改动")
    if len(head) < 100:
        raise DamagedDatabase(f"数据库文件“{path}”已损坏（文件头不完整），文件未作任何改动")
    (user_version,) = struct.unpack(">I", head[60:64])
    (application_id,) = struct.unpack(">I", head[68:72])
    header = FileHeader(application_id, user_version)
    if application_id != APPLICATION_ID:
        raise NotPerfdeskDatabase(
            f"“{path}”是其他程序的 SQLite 数据库，不是 perfdesk 数据库，文件未作任何改动"
        )
    if user_version > SCHEMA_VERSION:
        raise NewerDatabase(
            f"数据库“{path}”由较新版本的 perfdesk 创建（结构版本 {user_version}，"
            f"本程序支持到 {SCHEMA_VERSION}），请升级 perfdesk 后再打开"
        )
    return header


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = DELETE")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def make_engine(path: Path, *, readonly: bool = False) -> Engine:
    """An engine on ``path`` with perfdesk's pragmas on every connection."""
    if readonly:
        url = f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{path.as_posix()}"
    engine = create_engine(url)
    event.listen(engine, "connect", _on_connect)
    return engine


class Database:
    """An open perfdesk database file: an engine and a session factory."""

    def __init__(self, path: Path, engine: Engine, *, readonly: bool = False) -> None:
        self.path = path
        self.engine = engine
        self.readonly = readonly
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One short transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _check_writable(path: Path) -> None:
    folder = path.parent
    if not folder.exists():
        raise DatabaseError(f"文件夹“{folder}”不存在，无法创建数据库")
    if not os.access(folder, os.W_OK):
        raise DatabaseError(f"没有权限在文件夹“{folder}”中写入，无法创建或修改数据库")
    if path.exists() and not os.access(path, os.W_OK):
        raise DatabaseError(f"数据库文件“{path}”是只读的，无法保存修改")


def open_database(path: str | os.PathLike[str], *, create: bool = True) -> Database:
    """Open (and if needed create or upgrade) the perfdesk database at ``path``.

    Raises :class:`DatabaseError` subclasses with a Chinese message; a refused file is untouched.
    """
    from perfdesk.storage import migrate  # alembic is imported only when a file is opened

    path = Path(path).expanduser().absolute()
    header = read_header(path)
    if header is None and not create:
        raise DatabaseError(f"数据库文件“{path}”不存在")
    _check_writable(path)
    if header is not None:
        _quick_check(path)
    engine = make_engine(path)
    try:
        if header is None or header.user_version < SCHEMA_VERSION:
            migrate.upgrade(engine, path=path, new=header is None)
    except Exception:
        engine.dispose()
        raise
    return Database(path, engine)


def _quick_check(path: Path) -> None:
    """Refuse a damaged file before anything writes to it.

    Opened read-write (never created) so that a hot journal left by a crash is rolled back — that
    recovery is what the journal is for; a read-only connection could not do it.
    """
    try:
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=rw", uri=True)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabase(f"数据库文件“{path}”已损坏，无法读取（{exc}），文件未作任何改动") from exc
    if not row or row[0] != "ok":
        raise DamagedDatabase(f"数据库文件“{path}”已损坏（完整性检查：{row[0] if row else '无结果'}），文件未作任何改动")

"""The facts of a perfdesk database file, read without opening it in SQLite.

A perfdesk file is an SQLite file whose header carries perfdesk's ``application_id`` and its schema
version in ``user_version``. This module knows those facts and reads them from the first 100 bytes
only, so that a foreign, newer or truncated file is refused before SQLite touches it. It sits at the
bottom of :mod:`perfdesk.storage`: every other storage module may import it; it imports none.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from perfdesk.errors import DamagedDatabase, DatabaseError, NewerDatabase, NotPerfdeskDatabase

APPLICATION_ID = 0x7066646B  # "pfdk"
SCHEMA_VERSION = 4
"""``PRAGMA user_version`` written by the newest migration; bump with every new migration."""

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileHeader:
    application_id: int
    user_version: int


def read_header(path: Path) -> FileHeader | None:
    """The header of an existing file, ``None`` when there is no file (a new database may be made).

    Raises :class:`NotPerfdeskDatabase` / :class:`NewerDatabase` / :class:`DamagedDatabase` — the
    latter also for an empty file: a database emptied by a failed copy, a sync tool or a crash is
    exactly when its backups matter, so it is never taken for a new one. Only reads: the file is
    never opened for writing here.
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
        raise DamagedDatabase(
            f"数据库文件“{path}”是空的（0 字节）：文件已损坏或被清空（如复制中断、同步软件或其他程序出错），"
            "文件未作任何改动。可以从备份恢复"
        )
    if not head.startswith(SQLITE_MAGIC):
        raise NotPerfdeskDatabase(
            f"“{path}”不是 perfdesk 数据库（不是 SQLite 数据库文件），文件未作任何改动"
        )
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


def sqlite_uri(path: Path, mode: str) -> str:
    """A ``file:`` URI for sqlite3, percent-encoded so that ``#``, ``?`` and ``%`` in names are safe.

    ``file:///C:/…`` for a Windows drive, ``file:////server/share/…`` for a UNC path (an empty
    authority: SQLite refuses any other), ``file:///home/…`` on POSIX.
    """
    return uri_from_posix(Path(path).absolute().as_posix(), mode)


def uri_from_posix(posix: str, mode: str) -> str:
    """:func:`sqlite_uri` for an absolute path in ``as_posix()`` form (testable on any system)."""
    from urllib.parse import quote

    slash = "" if posix.startswith("/") else "/"
    return f"file://{slash}{quote(posix, safe='/:')}?mode={mode}"

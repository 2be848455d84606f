"""The errors a caller of perfdesk's services must tell apart, each with a Chinese message.

They sit at the bottom of the package (this module imports nothing of perfdesk), so that storage
raises them, the services pass them on, and the window and the command line catch them without
importing :mod:`perfdesk.storage` (an import-linter contract holds that). ``str(error)`` is always
a sentence for the clerk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: importing this module imports nothing (not even pathlib)
    from pathlib import Path

    from perfdesk.storage.backup import BackupInfo
    from perfdesk.storage.lock import LockOwner


class DatabaseError(Exception):
    """A database that cannot be used; ``str(error)`` is a Chinese sentence for the user.

    ``backups`` lists the backups of the file that exist (newest first) so that the UI can offer
    to restore one; ``readonly_possible`` says whether opening read-only would work.
    """

    readonly_possible = False

    def __init__(self, message: str, *, backups: list[BackupInfo] | None = None) -> None:
        super().__init__(message)
        self.backups: list[BackupInfo] = list(backups or [])


class NotPerfdeskDatabase(DatabaseError):
    """Not SQLite at all, or another program's SQLite file."""


class NewerDatabase(DatabaseError):
    """Written by a newer perfdesk: this program does not know its schema."""

    readonly_possible = True


class DamagedDatabase(DatabaseError):
    """Truncated or corrupted."""


class MissingDatabase(DatabaseError):
    """No file at the path, and the caller did not ask for a new database (a mistyped path)."""


class NeedsUpgrade(DatabaseError):
    """An older file that a reader cannot read: opening it normally upgrades it (after a backup)."""


class ReadOnlyLocation(DatabaseError):
    """The file is read-only, or its folder or disk cannot take writes (read-only, no permission,
    full): SQLite needs the folder for its journal."""

    readonly_possible = True


class NetworkLocation(DatabaseError):
    """On a network share, where SQLite's locking cannot be trusted."""

    readonly_possible = True


class NeedsRecovery(DatabaseError):
    """A crash left a journal that only a writer can roll back; a reader must not read around it."""


class ReadOnlyDatabase(DatabaseError):
    """A write was asked of a database opened read-only; nothing was changed."""


class StorageWriteError(DatabaseError):
    """A commit failed (disk full, I/O error…): the edit is not saved, the file is as before it."""


class StorageReadError(DatabaseError):
    """Reading failed (I/O error, file gone); nothing was changed."""


class BackupError(DatabaseError):
    """A backup could not be made, verified, listed or restored; the message says why."""


class DatabaseLocked(DatabaseError):
    """Another perfdesk is writing this database; it may still be opened read-only."""

    readonly_possible = True

    def __init__(self, db_path: Path, owner: LockOwner | None) -> None:
        who = f"（{owner.describe()}）" if owner and owner.describe() else ""
        super().__init__(
            f"数据库“{db_path}”正在被另一个 perfdesk 使用{who}。同一时间只能有一个程序修改数据库，"
            "以免修改互相覆盖。请先关闭另一个 perfdesk 窗口；也可以以只读方式打开查看。"
        )
        self.owner = owner

"""One writer per database file: a lock file beside it, held with an operating-system lock.

``perfdesk.db.lock`` says who holds the database (process, computer, since when) so that a second
copy of the program can tell the clerk in Chinese. What actually excludes the second writer is not
the file's existence but an OS lock on it (:func:`perfdesk.system.try_lock`: ``fcntl.flock`` on
POSIX, ``msvcrt.locking`` on Windows) — which the operating system drops the moment the holder dies. A lock file left behind by a crash
or a power cut is therefore free and simply taken over; there is no "stale lock" guesswork based on
pids or ages, which would be wrong after a reboot or on a shared folder.

The database is identified by the real file, not by the name it was opened under: the lock
file sits beside the *resolved* path (a symlink to the database, or to its folder, finds the same
lock file), and the writer also holds an OS lock on the database file itself (``flock`` on POSIX,
a byte of SQLite's never-used lock-byte page on Windows), which a hard link — a second name of the
same file — cannot get round. The owner's text in the lock file is a courtesy for the message: a
full disk that cannot take it does not stop anyone from opening (or reading) the database.

Readers (``open_database(..., readonly=True)``) take no lock: SQLite's own locking keeps them
consistent while the one writer commits.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from perfdesk import system
from perfdesk.errors import DatabaseError, DatabaseLocked

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"


@dataclass(frozen=True)
class LockOwner:
    """What the holder wrote into the lock file (for the message only, never for the decision)."""

    pid: int | None
    host: str
    started: str  # local time, ISO, minutes

    def describe(self) -> str:
        parts = []
        if self.host:
            parts.append(f"计算机 {self.host}")
        if self.pid:
            parts.append(f"进程号 {self.pid}")
        if self.started:
            parts.append(f"自 {self.started.replace('T', ' ')} 起")
        return "，".join(parts)


def real_path(db_path: Path) -> Path:
    """``db_path`` with every symlink resolved (the folder's too): the database's one true name."""
    return Path(os.path.realpath(os.path.abspath(db_path)))


def lock_path_for(db_path: Path) -> Path:
    """The lock file of a database: beside the real file, whatever name it was opened under."""
    real = real_path(db_path)
    return real.with_name(real.name + LOCK_SUFFIX)


def _parse_owner(data: bytes) -> LockOwner | None:
    try:
        raw = json.loads(data.decode("utf-8"))
        pid = raw.get("pid")
        return LockOwner(
            pid if isinstance(pid, int) else None,
            str(raw.get("host", "")),
            str(raw.get("started", "")),
        )
    except (ValueError, AttributeError):
        return None  # being written at this very moment, or not ours: say nothing about it


def read_owner(db_path: Path) -> LockOwner | None:
    """Who the lock file says holds ``db_path`` (may be a dead process: only the OS lock counts)."""
    try:
        return _parse_owner(lock_path_for(db_path).read_bytes()[:4096])
    except OSError:
        return None


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)


class WriterLock:
    """The held lock on one database; :meth:`release` (or the process ending) frees it."""

    def __init__(self, db_path: Path, fd: int) -> None:
        self.db_path = db_path
        self.path = lock_path_for(db_path)
        self._fd: int | None = fd
        self._file_fd: int | None = None
        """An OS lock on the database file itself (see :meth:`hold_file`)."""

    @classmethod
    def acquire(cls, db_path: Path) -> WriterLock:
        """Become the one writer of ``db_path`` or raise :class:`DatabaseLocked`.

        Both locks are taken: the lock file beside the real path, then (when the database exists)
        the lock on the database file itself.
        """
        path = lock_path_for(db_path)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
        # A releasing holder deletes the file; whoever opened the old file just before that must
        # not keep a lock on a file no longer at the path, so check and retry a few times.
        for _ in range(20):
            try:
                # A virus scanner may hold a just-deleted lock file for a moment (Windows).
                fd = system.retry_while_shared(lambda: os.open(path, flags, 0o644))
            except OSError as exc:
                raise DatabaseError(
                    f"无法在“{path.parent}”中建立锁文件（{system.explain_os_error(exc)}），数据库未打开"
                ) from exc
            try:
                locked = system.try_lock(fd)
            except OSError as exc:
                os.close(fd)
                raise DatabaseError(
                    f"无法锁定数据库“{db_path}”（{exc.strerror or exc}）。"
                    "所在位置可能不支持文件锁，请把数据库放在本机硬盘上"
                ) from exc
            if not locked:
                owner = _read_fd(fd)
                os.close(fd)
                raise DatabaseLocked(db_path, owner)
            # (On Windows an open file cannot be deleted, so the race does not exist there — and
            # file ids from stat and fstat may differ in width on ReFS, so do not compare them.)
            if system.open_files_can_be_deleted() and not _same_file(fd, path):
                os.close(fd)
                continue
            lock = cls(db_path, fd)
            try:
                lock.hold_file()
            except BaseException:
                lock.release()
                raise
            lock._write_owner()
            return lock
        raise DatabaseError(f"无法锁定数据库“{db_path}”：锁文件反复被其他程序改动，请稍后再试")

    def hold_file(self) -> None:
        """Lock the database file itself, so that another name of it (a hard link) finds it taken.

        Called by :meth:`acquire`, and again after a new database file was put in place. Raises
        :class:`DatabaseLocked` when another writer holds the file under another name.
        """
        self.release_file()
        try:
            fd = system.retry_while_shared(
                lambda: os.open(real_path(self.db_path), os.O_RDONLY | getattr(os, "O_BINARY", 0))
            )
        except FileNotFoundError:
            return  # a database still to be made: nothing else can name it yet
        except OSError as exc:
            raise DatabaseError(
                f"无法打开数据库文件“{self.db_path}”（{system.explain_os_error(exc)}），文件未作任何改动"
            ) from exc
        try:
            locked = system.try_lock(fd, offset=system.WINDOWS_DATABASE_LOCK_OFFSET)
        except OSError as exc:
            os.close(fd)
            raise DatabaseError(
                f"无法锁定数据库“{self.db_path}”（{exc.strerror or exc}）。"
                "所在位置可能不支持文件锁，请把数据库放在本机硬盘上"
            ) from exc
        if not locked:
            os.close(fd)
            # Its holder's lock file is beside the name it used, which we cannot know.
            raise DatabaseLocked(self.db_path, None)
        self._file_fd = fd

    def release_file(self) -> None:
        """Drop the lock on the database file (before the file is replaced by a restore: Windows
        cannot replace a file that is open). The lock file still keeps other writers out."""
        fd, self._file_fd = self._file_fd, None
        if fd is None:
            return
        try:
            if not system.open_files_can_be_deleted():  # Windows: unlock before closing
                system.unlock(fd, offset=system.WINDOWS_DATABASE_LOCK_OFFSET)
        except OSError:
            pass
        finally:
            # POSIX: closing a descriptor of a file drops every fcntl lock this process holds on
            # it, SQLite's included; by now the database's own connections are closed.
            os.close(fd)

    def _write_owner(self) -> None:
        """Say who holds the lock — a courtesy: a full disk or a read-only lock file must not stop
        the opening (the OS lock is what counts)."""
        assert self._fd is not None
        info = {
            "program": "perfdesk",
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": dt.datetime.now().isoformat(timespec="minutes"),
        }
        data = json.dumps(info, ensure_ascii=False).encode("utf-8")
        try:
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.ftruncate(self._fd, 0)
            os.write(self._fd, data)
        except OSError as exc:
            log.warning("could not write the lock owner into %s: %s", self.path, exc)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Free the lock and remove the lock file (safe to call twice)."""
        self.release_file()
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if not system.open_files_can_be_deleted():
            # Windows cannot delete a file that is open; unlock, close, then delete if nobody
            # else has opened it meanwhile (then it is theirs and must stay).
            try:
                system.unlock(fd)
            finally:
                os.close(fd)
            try:
                os.unlink(self.path)
            except OSError:
                pass
            return
        # POSIX: delete while still holding it, so nobody can lock the file we are about to drop.
        try:
            if _same_file(fd, self.path):
                os.unlink(self.path)
        except OSError:
            pass
        finally:
            os.close(fd)  # closing the descriptor drops the flock

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:  # a forgotten lock must not outlive its owner object
        if getattr(self, "_fd", None) is not None or getattr(self, "_file_fd", None) is not None:
            try:
                self.release()
            except OSError:
                pass


def _read_fd(fd: int) -> LockOwner | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return _parse_owner(os.read(fd, 4096))
    except OSError:
        return None

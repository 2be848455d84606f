"""One writer per database file: a lock file beside it, held with an operating-system lock.

``perfdesk.db.lock`` says who holds the database (process, computer, since when) so that a second
copy of the program can tell the clerk in Chinese. What actually excludes the second writer is not
the file's existence but an OS lock on it (:func:`perfdesk.system.try_lock`: ``fcntl.flock`` on
POSIX, ``msvcrt.locking`` on Windows) — which the operating system drops the moment the holder dies. A lock file left behind by a crash
or a power cut is therefore free and simply taken over; there is no "stale lock" guesswork based on
pids or ages, which would be wrong after a reboot or on a shared folder.

Readers (``open_database(..., readonly=True)``) take no lock: SQLite's own locking keeps them
consistent while the one writer commits.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from perfdesk import system
from perfdesk.errors import DatabaseError, DatabaseLocked

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


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


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

    @classmethod
    def acquire(cls, db_path: Path) -> WriterLock:
        """Become the one writer of ``db_path`` or raise :class:`DatabaseLocked`."""
        path = lock_path_for(db_path)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
        # A releasing holder deletes the file; whoever opened the old file just before that must
        # not keep a lock on a file no longer at the path, so check and retry a few times.
        for _ in range(20):
            try:
                fd = os.open(path, flags, 0o644)
            except OSError as exc:
                raise DatabaseError(
                    f"无法在“{path.parent}”中建立锁文件（{exc.strerror or exc}），数据库未打开"
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
            lock._write_owner()
            return lock
        raise DatabaseError(f"无法锁定数据库“{db_path}”：锁文件反复被其他程序改动，请稍后再试")

    def _write_owner(self) -> None:
        assert self._fd is not None
        info = {
            "program": "perfdesk",
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": dt.datetime.now().isoformat(timespec="minutes"),
        }
        data = json.dumps(info, ensure_ascii=False).encode("utf-8")
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, data)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Free the lock and remove the lock file (safe to call twice)."""
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
        if getattr(self, "_fd", None) is not None:
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

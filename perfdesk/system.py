"""Everything that differs between Windows and POSIX, in one place.

The rest of perfdesk asks this module instead of testing ``sys.platform`` itself, so that each
difference is written once and its Windows branch can be run on any machine: the OS calls a
section uses are reached through an object of substitutable functions (for files: :data:`OS`),
and a test swaps in calls that behave as Windows documents (an ``os.fsync`` that refuses a
read-only descriptor, an ``os.replace`` that fails while another program has the file open).
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


# --- files: durable writes, replace, sharing violations --------------------------------------------
#
# What Windows does differently with files, and what perfdesk does about it:
#
# - ``os.fsync`` is ``FlushFileBuffers``, which needs a handle opened for writing: a file opened
#   read-only gives EBADF. So a file is flushed through a writable descriptor (:func:`fsync_file`).
#   Folders cannot be opened at all; NTFS journals a rename itself (:func:`fsync_dir` is a no-op).
# - A file that another program has open (without FILE_SHARE_DELETE, as SQLite, Office and most
#   virus scanners open files) cannot be replaced, renamed or deleted: ERROR_SHARING_VIOLATION (32),
#   ERROR_LOCK_VIOLATION (33) or ERROR_ACCESS_DENIED (5), all surfacing as PermissionError. Such a
#   hold is mostly brief (a scanner, a backup tool, another perfdesk reading), so those calls are
#   retried for a moment (:func:`retry_while_shared`) before the error is reported, naming the
#   programs that hold the file where Windows can tell (:func:`holders`).
# - ``os.access`` looks at the read-only attribute only, not at the folder's permission list (ACL):
#   whether a place can be written is found out by writing (:func:`write_problem`).

WINDOWS_SHARING_ERRORS = frozenset({5, 32, 33})
"""ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: "someone has it open"."""


class FileCalls:
    """The OS calls of this section; tests replace attributes to play Windows (or a full disk)."""

    def __init__(self) -> None:
        self.windows: bool = sys.platform == "win32"
        self.open: Callable[..., int] = os.open
        self.write: Callable[[int, bytes], int] = os.write
        self.fsync: Callable[[int], None] = os.fsync
        self.close: Callable[[int], None] = os.close
        self.replace: Callable[[Any, Any], None] = os.replace
        self.rename: Callable[[Any, Any], None] = os.rename
        self.link: Callable[[Any, Any], None] = os.link
        self.unlink: Callable[[Any], None] = os.unlink
        self.sleep: Callable[[float], None] = time.sleep
        self.monotonic: Callable[[], float] = time.monotonic
        self.holders: Callable[[Path], list[str]] = lambda path: _holders_of(path)


OS = FileCalls()
"""The calls every function of this section makes (substitute attributes in tests)."""

_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation on raw descriptors


def is_sharing_violation(exc: BaseException) -> bool:
    """True for Windows' "the file is open in another program" errors (never on POSIX)."""
    return isinstance(exc, OSError) and getattr(exc, "winerror", None) in WINDOWS_SHARING_ERRORS


def retry_while_shared(action: Callable[[], T], *, timeout: float = 3.0) -> T:
    """Run ``action``, retrying for up to ``timeout`` seconds while it fails with a sharing
    violation (a virus scanner or a backup tool holding the file for a moment); other errors, and
    the last sharing violation, are raised."""
    deadline = OS.monotonic() + timeout
    pause = 0.05
    while True:
        try:
            return action()
        except OSError as exc:
            if not is_sharing_violation(exc) or OS.monotonic() >= deadline:
                raise
            log.info("file held by another program, retrying: %s", exc)
            OS.sleep(pause)
            pause = min(pause * 2, 0.5)


def fsync_file(path: Path) -> None:
    """Make ``path``'s data durable. Through a writable descriptor: Windows refuses a read-only one."""
    fd = retry_while_shared(lambda: OS.open(os.fspath(path), os.O_RDWR | _BINARY))
    try:
        OS.fsync(fd)
    finally:
        OS.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new name in ``folder`` durable (POSIX; NTFS journals it on its own)."""
    if OS.windows:
        return
    fd = OS.open(os.fspath(folder), os.O_RDONLY)
    try:
        OS.fsync(fd)
    finally:
        OS.close(fd)


def replace(source: Path, target: Path, *, timeout: float = 3.0) -> None:
    """``os.replace`` that waits a moment for a program holding ``target`` open (Windows)."""
    retry_while_shared(lambda: OS.replace(os.fspath(source), os.fspath(target)), timeout=timeout)


def rename_new(source: Path, target: Path) -> None:
    """Give ``source`` the name ``target`` only if no file has it (``FileExistsError`` otherwise):
    Windows' rename never replaces; on POSIX a hard link does the same atomically (a file system
    without hard links, such as a FAT USB stick, falls back to a check and a rename)."""
    src, dst = os.fspath(source), os.fspath(target)
    if OS.windows:
        retry_while_shared(lambda: OS.rename(src, dst))
        return
    try:
        OS.link(src, dst)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "file exists", dst) from None
        OS.rename(src, dst)
        return
    OS.unlink(src)


def unlink(path: Path, *, missing_ok: bool = True, timeout: float = 3.0) -> None:
    """Delete ``path``, waiting a moment for a program that holds it open (Windows)."""

    def remove() -> None:
        try:
            OS.unlink(os.fspath(path))
        except FileNotFoundError:
            if not missing_ok:
                raise

    retry_while_shared(remove, timeout=timeout)


PROBE_BYTES = 8192
"""What :func:`write_problem` writes: two pages, about what SQLite's journal needs for one edit."""


def write_problem(folder: Path, *, probe_bytes: int = PROBE_BYTES) -> OSError | None:
    """Why nothing can be written in ``folder`` (a read-only folder or drive, a permission list
    that denies it, a full disk), found by writing a small file and deleting it; ``None`` if it
    can. ``os.access`` cannot tell: it ignores Windows' permission lists, and root's writes."""
    probe = Path(folder) / f".perfdesk-probe-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        fd = OS.open(os.fspath(probe), os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
    except OSError as exc:
        return exc
    try:
        try:
            OS.write(fd, b"\0" * probe_bytes)  # a full disk refuses the write itself
        finally:
            OS.close(fd)
    except OSError as exc:
        return exc
    finally:
        try:
            unlink(probe, timeout=1.0)
        except OSError:
            log.warning("could not remove the write probe %s", probe)
    return None


def file_write_problem(path: Path) -> OSError | None:
    """Why the existing file ``path`` cannot be opened for writing (read-only attribute, a
    permission list, a read-only drive), found by opening it so — nothing is written."""
    try:
        fd = retry_while_shared(lambda: OS.open(os.fspath(path), os.O_RDWR | _BINARY))
    except OSError as exc:
        return exc
    OS.close(fd)
    return None


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1))


def is_no_permission(exc: BaseException) -> bool:
    return isinstance(exc, PermissionError) or (
        isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
    )


def explain_os_error(exc: BaseException) -> str:
    """A short Chinese phrase for a failed file operation (never the clerk's data)."""
    if is_disk_full(exc):
        return "磁盘空间已满"
    if is_sharing_violation(exc):
        return "文件正被其他程序占用"
    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return "所在的磁盘是只读的"
    if is_no_permission(exc):
        return "没有写入权限"
    if isinstance(exc, FileNotFoundError):
        return "文件或文件夹不存在"
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return type(exc).__name__


def describe_holders(path: Path) -> str:
    """ "（占用它的程序：Microsoft Word、…）" for a file another program holds, or "" when
    nobody can be named (POSIX never blocks a replace; Windows names them via Restart Manager)."""
    try:
        names = OS.holders(Path(path))
    except Exception:  # noqa: BLE001 - naming the holder is a courtesy: never fail because of it
        log.exception("could not ask which programs hold %s", path)
        return ""
    names = [n for n in dict.fromkeys(names) if n]
    return f"（占用它的程序：{'、'.join(names)}）" if names else ""


def _holders_of(path: Path) -> list[str]:
    """The programs that have ``path`` open: Windows' Restart Manager (RmGetList), the documented
    way to ask. Elsewhere an empty list: POSIX lets a file be replaced while it is open."""
    if sys.platform != "win32":
        return []
    return _restart_manager_holders(str(path))


def _restart_manager_holders(path: str) -> list[str]:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    class UniqueProcess(ctypes.Structure):
        _fields_ = [("dwProcessId", wintypes.DWORD), ("ProcessStartTime", wintypes.FILETIME)]

    class ProcessInfo(ctypes.Structure):
        _fields_ = [
            ("Process", UniqueProcess),
            ("strAppName", wintypes.WCHAR * 256),
            ("strServiceShortName", wintypes.WCHAR * 64),
            ("ApplicationType", ctypes.c_int),
            ("AppStatus", wintypes.ULONG),
            ("TSSessionId", wintypes.DWORD),
            ("bRestartable", wintypes.BOOL),
        ]

    rm = ctypes.WinDLL("rstrtmgr")  # type: ignore[attr-defined]
    session = wintypes.DWORD()
    key = ctypes.create_unicode_buffer(64)
    if rm.RmStartSession(ctypes.byref(session), 0, key) != 0:
        return []
    try:
        files = (wintypes.LPCWSTR * 1)(path)
        if rm.RmRegisterResources(session, 1, files, 0, None, 0, None) != 0:
            return []
        needed, count, reasons = wintypes.UINT(), wintypes.UINT(0), wintypes.DWORD()
        result = rm.RmGetList(
            session, ctypes.byref(needed), ctypes.byref(count), None, ctypes.byref(reasons)
        )
        if result not in (0, 234) or needed.value == 0:  # 234: ERROR_MORE_DATA
            return []
        infos = (ProcessInfo * needed.value)()
        count = wintypes.UINT(needed.value)
        if (
            rm.RmGetList(
                session, ctypes.byref(needed), ctypes.byref(count), infos, ctypes.byref(reasons)
            )
            != 0
        ):
            return []
        return [
            f"{infos[i].strAppName}（进程号 {infos[i].Process.dwProcessId}）"
            for i in range(count.value)
        ]
    finally:
        rm.RmEndSession(session)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a reused pid also counts as running: callers add an
    age rule)."""
    if pid <= 0:
        return False
    if OS.windows:
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, it is someone else's
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        return True  # cannot ask: assume alive, the age rule decides
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)

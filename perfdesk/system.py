"""Everything that differs between Windows and Linux/macOS, behind small functions.

The rest of perfdesk does not ask which system it runs on (``tests/test_system.py`` fails when a
module outside this one reads ``sys.platform``); it asks here. Each function takes ``platform``
(``None``: this machine's ``sys.platform``) and the operating-system calls it makes as keyword
arguments (``None``: the real call, looked up when the function runs, so a test's monkeypatch of
``os`` still applies). The tests run the Windows branch on Linux and the POSIX branch anywhere by
handing in stand-ins; what only a real Windows PC can show is listed in the README's checklist.

Sections, each on its own:

- **folders**  the user's data and log folders: ``%LOCALAPPDATA%\\perfdesk`` on Windows,
  ``~/.local/share/perfdesk`` (XDG) on Linux;
- **fonts**    where the PC keeps fonts: the folders in ``resources/fonts/system_fonts.json``
  (Windows, macOS, and on Linux those of WPS Office and 统信UOS/麒麟), on Windows also the folders
  of fonts registered in the registry, on Linux also fontconfig's own folders;
- **locking**  the operating-system lock on the one-writer lock file (``msvcrt.locking`` on
  Windows, ``fcntl.flock`` on POSIX) and whether an open file can be deleted;
- **network**  whether a path is on a network share (UNC path, mapped network drive; ``//host``
  paths and NFS/SMB mounts);
- **files**    file modes (the read-only attribute);
- **files: durable writes, replace, sharing violations**  flushing through a writable descriptor,
  replacing and deleting files another program holds for a moment, write checks that write, and
  naming the program that holds a file. Its OS calls go through :data:`OS`, an object whose
  attributes a test replaces (an ``os.fsync`` that refuses a read-only descriptor as Windows
  does); ``OS.windows`` picks the branch.
- **display**  whether the window needs an X11/Wayland display (Linux) and, for the windowed
  Windows program that has no console, a message box to say why it cannot start.
"""

from __future__ import annotations

import errno
import logging
import ntpath
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

APP_NAME = "perfdesk"
WINDOWS = "win32"

log = logging.getLogger(__name__)
T = TypeVar("T")


def _platform(platform: str | None) -> str:
    return sys.platform if platform is None else platform


def is_windows(platform: str | None = None) -> bool:
    return _platform(platform) == WINDOWS


def _environ(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _home(home: Path | None) -> Path:
    return Path.home() if home is None else home


# --- folders -------------------------------------------------------------------------------------


def _local_appdata(environ: Mapping[str, str], home: Path) -> Path:
    value = environ.get("LOCALAPPDATA", "").strip()
    return Path(value) if value else home / "AppData" / "Local"


def _xdg(environ: Mapping[str, str], name: str, default: Path) -> Path:
    value = environ.get(name, "").strip()
    return Path(value) if value else default


def user_data_dir(
    *,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Path:
    """Where the database and its backups live (not roaming: SQLite files stay on this PC).

    Windows ``%LOCALAPPDATA%\\perfdesk``, macOS ``~/Library/Application Support/perfdesk``,
    Linux ``$XDG_DATA_HOME/perfdesk`` (``~/.local/share/perfdesk``).
    """
    p, env, h = _platform(platform), _environ(environ), _home(home)
    if p == WINDOWS:
        return _local_appdata(env, h) / APP_NAME
    if p == "darwin":
        return h / "Library" / "Application Support" / APP_NAME
    return _xdg(env, "XDG_DATA_HOME", h / ".local" / "share") / APP_NAME


def user_log_dir(
    *,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Path:
    """Where the log file goes: ``%LOCALAPPDATA%\\perfdesk\\Logs``, ``~/Library/Logs/perfdesk``,
    ``$XDG_STATE_HOME/perfdesk/log`` (``~/.local/state/perfdesk/log``)."""
    p, env, h = _platform(platform), _environ(environ), _home(home)
    if p == WINDOWS:
        return _local_appdata(env, h) / APP_NAME / "Logs"
    if p == "darwin":
        return h / "Library" / "Logs" / APP_NAME
    return _xdg(env, "XDG_STATE_HOME", h / ".local" / "state") / APP_NAME / "log"


def user_cache_dir(
    *,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Path:
    """Where what can be rebuilt is kept (the font metrics): ``%LOCALAPPDATA%\\perfdesk\\Cache``,
    ``~/Library/Caches/perfdesk``, ``$XDG_CACHE_HOME/perfdesk`` (``~/.cache/perfdesk``)."""
    p, env, h = _platform(platform), _environ(environ), _home(home)
    if p == WINDOWS:
        return _local_appdata(env, h) / APP_NAME / "Cache"
    if p == "darwin":
        return h / "Library" / "Caches" / APP_NAME
    return _xdg(env, "XDG_CACHE_HOME", h / ".cache") / APP_NAME


# --- fonts ---------------------------------------------------------------------------------------

FONT_TABLE = ("fonts", "system_fonts.json")
"""The table of font folders and extra file names, shipped in ``resources/``."""

WINDOWS_FONTS_KEY = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
"""Registered fonts: value name → file name (in ``%WINDIR%\\Fonts``) or a full path."""

_VARIABLE = re.compile(
    r"%([A-Za-z_][A-Za-z0-9_]*)%|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)"
)


def _font_table() -> dict[str, Any]:
    from perfdesk.resources import load_json

    return load_json(*FONT_TABLE)


def _table_key(platform: str) -> str:
    if platform == WINDOWS:
        return WINDOWS
    if platform == "darwin":
        return "darwin"
    return "linux"


def _expand(template: str, environ: Mapping[str, str], home: Path) -> str | None:
    """``~``, ``%NAME%`` and ``$NAME`` filled in; ``None`` when a variable is not set."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group(1) or match.group(2) or match.group(3)
        found = environ.get(name, "").strip()
        if not found:
            missing = True
        return found

    text = _VARIABLE.sub(value, template)
    if missing:
        return None
    if text == "~" or text.startswith(("~/", "~\\")):
        text = str(home) + text[1:]
    return text


def read_registry_fonts() -> list[str]:
    """The file of every font registered for the machine (HKLM) and for this user (HKCU).

    Fonts "installed for this user" and fonts installed as a shortcut ("安装为快捷方式", common for
    方正 font packs kept on another drive) are only found this way: the registry holds their path.
    """
    import winreg  # type: ignore[import-not-found,unused-ignore]

    found: list[str] = []
    for root in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            key = winreg.OpenKey(root, WINDOWS_FONTS_KEY)
        except OSError:
            continue
        with key:
            index = 0
            while True:
                try:
                    _name, value, _kind = winreg.EnumValue(key, index)
                except OSError:
                    break
                if isinstance(value, str) and value.strip():
                    found.append(value.strip())
                index += 1
    return found


def read_fontconfig_dirs(
    conf: Path = Path("/etc/fonts/fonts.conf"),
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> list[str]:
    """The ``<dir>`` folders of fontconfig's configuration (``fonts.conf`` and ``conf.d``).

    Desktops and office suites register extra font folders there; reading the files (no
    ``fc-list`` needed) finds them. Broken or missing files are skipped.
    """
    import xml.etree.ElementTree as ET

    env, h = _environ(environ), _home(home)
    files = [conf, *sorted((conf.parent / "conf.d").glob("*.conf"))]
    found: list[str] = []
    for file in files:
        try:
            root = ET.parse(file).getroot()
        except (OSError, ET.ParseError):
            continue
        for node in root.iter("dir"):
            text = (node.text or "").strip()
            if not text:
                continue
            if node.get("prefix") == "xdg":
                base = _xdg(env, "XDG_DATA_HOME", h / ".local" / "share")
                found.append(str(base / text))
            elif text.startswith("~"):
                found.append(str(h) + text[1:])
            elif text.startswith("/"):
                found.append(text)
    return found


def font_dirs(
    *,
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    registry_fonts: Callable[[], Iterable[str]] | None = None,
    fontconfig_dirs: Callable[[], Iterable[str]] | None = None,
) -> list[Path]:
    """Where this PC keeps fonts, best first; ``PERFDESK_FONT_DIRS`` (``;`` on Windows, ``:``
    elsewhere) before all. Folders that do not exist are left in (the lookup skips them)."""
    p, env, h = _platform(platform), _environ(environ), _home(home)
    separator = ";" if p == WINDOWS else ":"
    found: list[str] = [d for d in env.get("PERFDESK_FONT_DIRS", "").split(separator) if d.strip()]
    for entry in _font_table()["folders"][_table_key(p)]:
        folder = _expand(entry["path"], env, h)
        if folder:
            found.append(folder)
    if p == WINDOWS:
        read = registry_fonts or read_registry_fonts
        try:
            registered = list(read())
        except OSError:
            registered = []
        for value in registered:
            if ntpath.isabs(value):  # a bare file name lives in %WINDIR%\Fonts, listed above
                found.append(ntpath.dirname(value))
    elif p != "darwin":
        read_dirs = fontconfig_dirs or (lambda: read_fontconfig_dirs(environ=env, home=h))
        found += list(read_dirs())
    unique: list[Path] = []
    seen: set[str] = set()
    for folder in found:
        key = folder.rstrip("\\/")
        key = key.lower() if p == WINDOWS else key
        if key not in seen:
            seen.add(key)
            unique.append(Path(folder))
    return unique


def font_file_names(role: str) -> tuple[str, ...]:
    """More file names (lower case) that hold a font role, from the table (e.g. the CESI fonts of
    统信UOS/麒麟: ``cesi_fs_gb2312.ttf`` is 仿宋)."""
    return tuple(name.lower() for name in _font_table()["files"].get(role, ()))


# --- locking -------------------------------------------------------------------------------------

WINDOWS_LOCK_OFFSET = 1 << 30
"""Windows locks are mandatory byte ranges: lock a byte far past the text so others can read it."""
WINDOWS_DATABASE_LOCK_OFFSET = (1 << 30) + 0x400
"""The byte locked in the database file itself on Windows (the writer's lock by file identity): on
SQLite's lock-byte page, which SQLite never reads or writes, past the 512 bytes its own locks use
(PENDING_BYTE at 1 GiB, then RESERVED and the 510 SHARED bytes)."""


def try_lock(
    fd: int,
    *,
    offset: int = WINDOWS_LOCK_OFFSET,
    platform: str | None = None,
    msvcrt: Any = None,
    fcntl: Any = None,
    lseek: Callable[[int, int, int], int] | None = None,
) -> bool:
    """Take the operating system's exclusive lock on ``fd`` without waiting.

    ``False`` when another process (or handle) holds it; other errors are raised. The system
    drops the lock when the holder dies, so a crashed program leaves nothing to clean up.
    """
    if is_windows(platform):
        if msvcrt is None:
            import msvcrt  # type: ignore[import-not-found,no-redef,unused-ignore]
        (lseek or os.lseek)(fd, offset, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True
    if fcntl is None:
        import fcntl  # type: ignore[no-redef]
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def unlock(
    fd: int,
    *,
    offset: int = WINDOWS_LOCK_OFFSET,
    platform: str | None = None,
    msvcrt: Any = None,
    fcntl: Any = None,
    lseek: Callable[[int, int, int], int] | None = None,
) -> None:
    """Give back the lock :func:`try_lock` took."""
    if is_windows(platform):
        if msvcrt is None:
            import msvcrt  # type: ignore[import-not-found,no-redef,unused-ignore]
        (lseek or os.lseek)(fd, offset, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    if fcntl is None:
        import fcntl  # type: ignore[no-redef]
    fcntl.flock(fd, fcntl.LOCK_UN)


def open_files_can_be_deleted(platform: str | None = None) -> bool:
    """POSIX unlinks a file others have open; Windows refuses while any handle is open."""
    return not is_windows(platform)


# --- network -------------------------------------------------------------------------------------

DRIVE_REMOTE = 4
"""``GetDriveTypeW``'s answer for a network drive."""

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afs",
        "ncpfs",
        "coda",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "davfs",
        "fuse.sshfs",
        "fuse.davfs2",
        "fuse.glusterfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.smbnetfs",
        "gpfs",
        "ocfs2",
        "gfs2",
        "beegfs",
    }
)


def windows_drive_type(root: str) -> int:
    """``GetDriveTypeW`` of a drive root such as ``Z:\\``."""
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))  # type: ignore[attr-defined]


def windows_network_reason(path: str, drive_type: Callable[[str], int] | None = None) -> str | None:
    """Why a Windows path is on the network, or ``None``."""
    p = path.replace("/", "\\")
    if p.startswith("\\\\?\\UNC\\") or (p.startswith("\\\\") and not p.startswith("\\\\?\\")):
        return "网络共享路径"
    if p.startswith("\\\\?\\"):
        p = p[4:]
    if len(p) >= 2 and p[1] == ":":
        if (drive_type or windows_drive_type)(p[:2] + "\\") == DRIVE_REMOTE:
            return f"映射的网络驱动器 {p[:2].upper()}"
    return None


def _unescape_mount(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash in octal.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def read_mounts() -> str | None:
    """``/proc/mounts``, or ``None`` where there is none (macOS, BSD)."""
    try:
        with open("/proc/mounts", encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def posix_network_reason(path: str, mounts_text: str | None = None) -> str | None:
    """Why a POSIX path is on the network, or ``None``; ``mounts_text`` defaults to /proc/mounts."""
    if path.startswith("//"):
        return "网络共享路径"
    if mounts_text is None:
        mounts_text = read_mounts()
        if mounts_text is None:
            return None  # nothing cheap and reliable to ask
    best: tuple[int, str, str] | None = None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        source, mount_point, fstype = (
            _unescape_mount(fields[0]),
            _unescape_mount(fields[1]),
            fields[2],
        )
        prefix = mount_point.rstrip("/") + "/"
        if path == mount_point or path.startswith(prefix) or mount_point == "/":
            if best is None or len(mount_point) >= best[0]:
                best = (len(mount_point), fstype, source)
    if best is None:
        return None
    _, fstype, source = best
    if fstype.lower() in NETWORK_FILESYSTEMS or source.startswith("//"):
        return f"网络文件系统（{fstype}）"
    return None


def network_reason(
    path: Path | str,
    *,
    platform: str | None = None,
    drive_type: Callable[[str], int] | None = None,
    mounts_text: str | None = None,
) -> str | None:
    """Why ``path`` is on a network share (a Chinese phrase), or ``None`` for a local disk."""
    text = str(path)
    if is_windows(platform):
        return windows_network_reason(text, drive_type)
    try:
        text = os.path.realpath(text)
    except OSError:
        pass
    return posix_network_reason(text, mounts_text)


# --- files ---------------------------------------------------------------------------------------


def is_read_only(path: Path, *, stat_result: os.stat_result | None = None) -> bool:
    """Whether ``path`` is marked read-only: on Windows its read-only attribute (which ``stat``
    shows as the missing write bit), on POSIX its owner's write permission bit."""
    mode = (stat_result or os.stat(path)).st_mode
    return not mode & stat.S_IWRITE


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
#   programs that hold the file where Windows can tell (:func:`describe_holders`).
# - ``os.access`` looks at the read-only attribute only, not at the folder's permission list (ACL):
#   whether a place can be written is found out by writing (:func:`write_problem`).

WINDOWS_SHARING_ERRORS = frozenset({5, 32, 33})
"""ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: "someone has it open"."""


class FileCalls:
    """The OS calls of this section; tests replace attributes to play Windows (or a full disk).

    By default each looks the real call up when it runs (``os.replace`` …), so that a test's
    monkeypatch of ``os`` applies here too.
    """

    def __init__(self) -> None:
        self.windows: bool = is_windows()
        self.open: Callable[..., int] = lambda *args: os.open(*args)
        self.write: Callable[[int, bytes], int] = lambda fd, data: os.write(fd, data)
        self.fsync: Callable[[int], None] = lambda fd: os.fsync(fd)
        self.close: Callable[[int], None] = lambda fd: os.close(fd)
        self.replace: Callable[[Any, Any], None] = lambda src, dst: os.replace(src, dst)
        self.rename: Callable[[Any, Any], None] = lambda src, dst: os.rename(src, dst)
        self.link: Callable[[Any, Any], None] = lambda src, dst: os.link(src, dst)
        self.unlink: Callable[[Any], None] = lambda path: os.unlink(path)
        self.sleep: Callable[[float], None] = lambda seconds: time.sleep(seconds)
        self.monotonic: Callable[[], float] = lambda: time.monotonic()
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
    if not is_windows():
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
    if not is_windows():
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


# --- display -------------------------------------------------------------------------------------


def is_linux(platform: str | None = None) -> bool:
    """Linux: the window needs an X11 or Wayland display (``DISPLAY``/``WAYLAND_DISPLAY``)."""
    return _platform(platform).startswith("linux")


def show_error_box(text: str, title: str = APP_NAME) -> bool:
    """Show ``text`` in a Windows message box (the windowed program has no console to print
    to); False on other systems, where nothing is shown."""
    if not is_windows():
        return False
    import ctypes  # pragma: no cover - Windows only

    ctypes.windll.user32.MessageBoxW(None, text, title, 0x10)  # type: ignore[attr-defined]  # pragma: no cover
    return True  # pragma: no cover

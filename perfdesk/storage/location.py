"""Is a database file on a network share?

SQLite's locking is not reliable over SMB/NFS, so two PCs (or one PC and a flaky link) can corrupt
the file; SQLite's own documentation says not to. perfdesk therefore refuses to write to a database
on a network share: a Windows UNC path (``\\\\server\\share\\...``), a mapped network drive
(``GetDriveTypeW`` says ``DRIVE_REMOTE``), and on POSIX a ``//host/share`` path or a mount of a
network file system in ``/proc/mounts``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

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


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))  # type: ignore[attr-defined]


def windows_network_reason(
    path: str, drive_type: Callable[[str], int] = _windows_drive_type
) -> str | None:
    """Why a Windows path is on the network, or ``None``; ``drive_type`` is injectable for tests."""
    p = path.replace("/", "\\")
    if p.startswith("\\\\?\\UNC\\") or (p.startswith("\\\\") and not p.startswith("\\\\?\\")):
        return "网络共享路径"
    if p.startswith("\\\\?\\"):
        p = p[4:]
    if len(p) >= 2 and p[1] == ":":
        if drive_type(p[:2] + "\\") == DRIVE_REMOTE:
            return f"映射的网络驱动器 {p[:2].upper()}"
    return None


def _unescape_mount(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash in octal.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def posix_network_reason(path: str, mounts_text: str | None = None) -> str | None:
    """Why a POSIX path is on the network, or ``None``; ``mounts_text`` is injectable for tests."""
    if path.startswith("//"):
        return "网络共享路径"
    if mounts_text is None:
        try:
            with open("/proc/mounts", encoding="utf-8", errors="replace") as f:
                mounts_text = f.read()
        except OSError:
            return None  # not Linux (macOS, BSD): nothing cheap and reliable to ask
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


def network_reason(path: Path) -> str | None:
    """Why ``path`` is on a network share (a Chinese phrase), or ``None`` for a local disk."""
    text = str(path)
    if sys.platform == "win32":
        return windows_network_reason(text)
    try:
        text = os.path.realpath(text)
    except OSError:
        pass
    return posix_network_reason(text)

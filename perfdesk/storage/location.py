"""Is a database file on a network share?

SQLite's locking is not reliable over SMB/NFS, so two PCs (or one PC and a flaky link) can corrupt
the file; SQLite's own documentation says not to. perfdesk therefore refuses to write to a database
on a network share: a Windows UNC path (``\\\\server\\share\\...``), a mapped network drive
(``GetDriveTypeW`` says ``DRIVE_REMOTE``), and on POSIX a ``//host/share`` path or a mount of a
network file system in ``/proc/mounts``. How each system is asked lives in :mod:`perfdesk.system`;
this module is storage's door to it.
"""

from __future__ import annotations

from perfdesk.system import (
    DRIVE_REMOTE,
    NETWORK_FILESYSTEMS,
    network_reason,
    posix_network_reason,
    windows_network_reason,
)

__all__ = [
    "DRIVE_REMOTE",
    "NETWORK_FILESYSTEMS",
    "network_reason",
    "posix_network_reason",
    "windows_network_reason",
]

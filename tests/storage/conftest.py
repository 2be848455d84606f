"""Fixtures for the storage tests: a database with a report and a backup, and honest permissions."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfdesk import system
from perfdesk.services import Workspace
from tests.storage.helpers import small_report


@pytest.fixture
def saved_db(tmp_path: Path) -> Path:
    """A database holding one report, closed after saving (so one verified exit backup exists)."""
    path = tmp_path / "data" / "perfdesk.db"
    path.parent.mkdir()
    ws = Workspace.open(path)
    ws.add_report(small_report())
    assert ws.close() is None
    return path


@pytest.fixture
def honest_permissions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Permission bits that count, also for root (who ignores them): chmod, and perfdesk's write
    checks — which try to write rather than ask ``os.access`` — are refused as a clerk would be.

    Yields a list; every path appended gets its write permission back afterwards, so tmp_path can
    be cleaned up.
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        real_open = system.OS.open

        def refusing_open(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202 - os.open's
            target = Path(path)
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                checked = target if target.exists() else target.parent
                if not checked.stat().st_mode & 0o222:
                    raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(system.OS, "open", refusing_open)
    restore: list[Path] = []
    yield restore
    for path in restore:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB file system (tmpfs), mounted for the test; skipped where mounting is not
    allowed (tests that patch writes to raise ENOSPC cover those machines)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if not shutil.which("mount") or (hasattr(os, "geteuid") and os.geteuid() != 0):
        pytest.skip("mounting a tiny file system needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)

"""Fixtures for the storage tests: a database with a report and a backup, and honest permissions."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    """Permission bits that count, also for root (who ignores them): chmod and let os.access see it.

    Yields a list; every path appended gets its write permission back afterwards, so tmp_path can
    be cleaned up.
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        real_access = os.access

        def access(path, mode, *args, **kwargs):  # noqa: ANN001, ANN202 - same signature as os.access
            if mode & os.W_OK and not os.stat(path).st_mode & 0o222:
                return False
            return real_access(path, mode, *args, **kwargs)

        monkeypatch.setattr(os, "access", access)
    restore: list[Path] = []
    yield restore
    for path in restore:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)

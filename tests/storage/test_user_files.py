"""Files written for the clerk (the exported PDF and JSON) get the permissions any program would
give them — those of the user's umask, ``rw-r--r--`` typically, not the owner-only mode of a
temporary file — and a replaced file keeps its own.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfdesk import cli
from perfdesk.files import write_atomic

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


@pytest.fixture
def umask() -> Iterator[int]:
    previous = os.umask(0o022)
    yield 0o022
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_exported_pdf_and_json_follow_the_umask(
    saved_db: Path, tmp_path: Path, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """They were created 0600 whatever the umask (a colleague could not open the PDF)."""
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main(["export", "--db", str(saved_db), "-o", str(out / "报告.json")]) == 0
    assert cli.main(["pdf", "--db", str(saved_db), "-o", str(out / "报告.pdf")]) == 0
    assert _mode(out / "报告.json") == 0o644
    assert _mode(out / "报告.pdf") == 0o644
    os.umask(0o077)
    write_atomic(out / "私人.json", b"{}")
    assert _mode(out / "私人.json") == 0o600


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "报告.pdf"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and _mode(target) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["报告.pdf"]  # no temporary file left

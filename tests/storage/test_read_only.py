"""Reading needs no write: a full disk, a read-only file or folder, a file of a newer perfdesk, a
database another perfdesk is editing — each can still be listed, printed, audited and exported,
nothing is written beside it, and a command that would write says what cannot be done.

Read commands never make a database either: a mistyped path is an error naming it.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from perfdesk import cli, system
from perfdesk.errors import ReadOnlyLocation
from perfdesk.services import Workspace
from perfdesk.storage.fileformat import SCHEMA_VERSION
from perfdesk.storage.lock import lock_path_for
from tests.storage.helpers import folder_state, small_report

READ_COMMANDS = ("list", "audit", "export", "pdf")


def _run_read_commands(db: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every read command on ``db`` succeeds (audit: 0 or 1, findings are not failures)."""
    for command in READ_COMMANDS:
        args = [command, "--db", str(db)]
        if command in ("export", "pdf"):
            args += ["-o", str(out / f"报告.{'json' if command == 'export' else 'pdf'}")]
        code = cli.main(args)
        captured = capsys.readouterr()
        assert code in (
            (cli.EXIT_OK, cli.EXIT_FINDINGS) if command == "audit" else (cli.EXIT_OK,)
        ), (
            command,
            captured.err,
        )
        assert "Traceback" not in captured.err
    assert (out / "报告.json").stat().st_size > 0 and (out / "报告.pdf").stat().st_size > 0


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# --- a full disk ---------------------------------------------------------------------------------


def _fill(folder: Path) -> None:
    """Write until the file system refuses (ENOSPC)."""
    try:
        with open(folder / "filler.bin", "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    assert shutil.disk_usage(folder).free < 4096


def test_a_full_disk_still_lists_prints_audits_and_exports(
    tiny_disk: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tiny_disk / "perfdesk.db"
    ws = Workspace.open(db)
    ws.add_report(small_report())
    ws.close()
    _fill(tiny_disk)
    before = folder_state(tiny_disk)

    _run_read_commands(db, out, capsys)  # raised "文件操作失败：No space left on device" before
    # A command that writes says what cannot be done, and what still can.
    assert cli.main(["sample", "--db", str(db)]) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert "空间已满，无法保存修改" in err and "只读方式打开查看、打印和导出" in err
    with pytest.raises(ReadOnlyLocation) as info:
        Workspace.open(db)
    assert info.value.readonly_possible
    ws = Workspace.open(db, readonly=True)
    try:
        assert [r.unit_name for r in ws.list_reports()] == ["测试单位"]
    finally:
        ws.close()
    assert folder_state(tiny_disk) == before, "reading wrote to the full disk"


def test_a_full_disk_by_enospc_on_every_write(
    saved_db: Path, out: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same on any machine: every write of perfdesk's own file calls refused with ENOSPC."""
    from perfdesk.storage import lock

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(system.OS, "write", full)
    monkeypatch.setattr(lock.os, "write", full)
    _run_read_commands(saved_db, out, capsys)
    with pytest.raises(ReadOnlyLocation, match="空间已满"):
        Workspace.open(saved_db)
    assert not lock_path_for(saved_db).exists()


# --- read-only files and folders, newer files, a held file ----------------------------------------


def test_a_read_only_file_is_listed_printed_and_exported(
    saved_db: Path, out: Path, honest_permissions: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    saved_db.chmod(0o444)
    honest_permissions.append(saved_db)
    before = folder_state(saved_db.parent)
    _run_read_commands(saved_db, out, capsys)
    assert folder_state(saved_db.parent) == before
    assert cli.main(["import", str(out / "报告.json"), "--db", str(saved_db)]) == cli.EXIT_INPUT
    assert "是只读的，无法保存修改" in capsys.readouterr().err


def test_a_read_only_folder_is_listed_printed_and_exported(
    saved_db: Path, out: Path, honest_permissions: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = folder_state(saved_db.parent)
    saved_db.parent.chmod(0o555)
    honest_permissions.append(saved_db.parent)
    _run_read_commands(saved_db, out, capsys)
    assert folder_state(saved_db.parent) == before


def test_a_file_of_a_newer_perfdesk_is_listed_printed_and_exported(
    saved_db: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(saved_db)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    before = folder_state(saved_db.parent)
    _run_read_commands(saved_db, out, capsys)
    assert folder_state(saved_db.parent) == before
    assert cli.main(["sample", "--db", str(saved_db)]) == cli.EXIT_INPUT
    assert "较新版本的 perfdesk" in capsys.readouterr().err


def test_reading_a_database_another_perfdesk_is_editing_writes_nothing(
    saved_db: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = Workspace.open(saved_db)
    try:
        before = folder_state(saved_db.parent)
        _run_read_commands(saved_db, out, capsys)
        assert folder_state(saved_db.parent) == before
    finally:
        holder.close()


def test_an_older_file_is_upgraded_by_a_read_command_after_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "db" / "schema-1.db", old)
    assert cli.main(["list", "--db", str(old)]) == cli.EXIT_OK
    assert "年度" in capsys.readouterr().out
    assert any(
        p.name.endswith(".db") and "premigrate" in p.name for p in (tmp_path / "backups").iterdir()
    )


# --- read commands never make a database ---------------------------------------------------------


@pytest.mark.parametrize("command", [*READ_COMMANDS, "backups", "delete", "rename"])
def test_a_read_command_on_a_mistyped_path_names_it_and_makes_nothing(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "pefdesk.db"
    args = {
        "export": ["-o", str(tmp_path / "a.json")],
        "pdf": ["-o", str(tmp_path / "a.pdf")],
        "delete": ["--report", "1"],
        "rename": ["--unit", "新名称"],
    }.get(command, [])
    assert cli.main([command, "--db", str(missing), *args]) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert f"“{missing}”不存在" in err
    assert os.listdir(tmp_path) == [], "a read command made a file"

"""The Windows branch of the file handling, run here by substituting the OS calls with ones that
behave as Windows documents: ``FlushFileBuffers`` refusing a read-only handle, a file that cannot
be replaced while any handle to it is open (a reader, a scanner), a folder whose permission list
denies writes although ``os.access`` says yes.
"""

from __future__ import annotations

import errno
import itertools
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from perfdesk import system
from perfdesk.errors import BackupError, ReadOnlyLocation
from perfdesk.files import write_atomic
from perfdesk.services import Workspace, restore_database
from perfdesk.storage.backup import create_backup, list_backups, restore_backup
from tests.storage.helpers import folder_state, small_report

fcntl = pytest.importorskip("fcntl")  # to tell a read-only descriptor, as Windows would


def _sharing_violation(path: object) -> PermissionError:
    exc = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。", str(path))
    exc.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION
    return exc


def _windows_fsync(real: Callable[[int], None]) -> Callable[[int], None]:
    def fsync(fd: int) -> None:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "Bad file descriptor")  # FlushFileBuffers: no write access
        real(fd)

    return fsync


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> system.FileCalls:
    """Windows' file semantics for perfdesk's own calls, and no real waiting."""
    monkeypatch.setattr(system.OS, "windows", True)
    monkeypatch.setattr(system.OS, "fsync", _windows_fsync(os.fsync))
    monkeypatch.setattr(os, "fsync", _windows_fsync(os.fsync))  # any direct call as well
    clock = itertools.count(step=0.25)
    monkeypatch.setattr(system.OS, "monotonic", lambda: next(clock))
    monkeypatch.setattr(system.OS, "sleep", lambda _seconds: None)
    return system.OS


def test_backups_restores_and_new_files_flush_through_a_writable_descriptor(
    windows: system.FileCalls, tmp_path: Path
) -> None:
    db = tmp_path / "perfdesk.db"
    ws = Workspace.open(db)  # a new file is built aside, flushed, put in place
    ws.add_report(small_report())
    ws.close()  # the exit backup
    manual = create_backup(db, "manual")
    saved = restore_backup(list_backups(db)[-1], db)  # the prerestore backup, the restore
    assert saved is not None and manual.path.exists()
    assert [r.unit_name for r in Workspace.open(db, readonly=True).list_reports()] == ["测试单位"]
    write_atomic(tmp_path / "报告.json", b"{}")


def test_a_replace_waits_while_another_program_holds_the_file_for_a_moment(
    windows: system.FileCalls, saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusals = [4]
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if refusals[0]:
            refusals[0] -= 1
            raise _sharing_violation(dst)
        real_replace(src, dst)

    monkeypatch.setattr(system.OS, "replace", replace)
    [backup] = list_backups(saved_db)
    restore_backup(backup, saved_db)
    assert refusals == [0]
    refusals[0] = 2
    write_atomic(saved_db.parent / "报告.pdf", b"%PDF")  # a PDF viewer letting go
    assert (saved_db.parent / "报告.pdf").read_bytes() == b"%PDF"


def test_a_restore_refused_by_a_program_that_keeps_the_file_names_that_program(
    windows: system.FileCalls, saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def held(src: str, dst: str) -> None:
        raise _sharing_violation(dst)

    monkeypatch.setattr(system.OS, "replace", held)
    monkeypatch.setattr(system.OS, "holders", lambda path: ["WPS Office（进程号 4242）"])
    [backup] = list_backups(saved_db)
    before = saved_db.read_bytes()
    with pytest.raises(BackupError) as info:
        restore_backup(backup, saved_db)
    message = str(info.value)
    assert "正被其他程序占用（占用它的程序：WPS Office（进程号 4242））" in message
    assert "当前数据库文件未被替换" in message and "没有写入权限" not in message
    assert saved_db.read_bytes() == before
    assert not [p for p in saved_db.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see open handles")
def test_a_restore_first_lets_go_of_the_programs_own_readers(
    windows: system.FileCalls, saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only second window in the same program has the file open: Windows would refuse
    the replace (reported as "没有写入权限" before); the restore closes its connections first."""
    real_replace = os.replace

    def replace_unless_open_here(src: str, dst: str) -> None:
        for fd in os.listdir("/proc/self/fd"):
            try:
                if os.readlink(f"/proc/self/fd/{fd}") == str(Path(dst).resolve()):
                    raise _sharing_violation(dst)
            except OSError as exc:
                if getattr(exc, "winerror", None):
                    raise
        real_replace(src, dst)

    monkeypatch.setattr(system.OS, "replace", replace_unless_open_here)
    [first] = list_backups(saved_db)
    ws = Workspace.open(saved_db)
    ws.add_report(small_report("第二单位", 2025))
    ws.close()
    reader = Workspace.open(saved_db, readonly=True)  # the second window
    try:
        assert len(reader.list_reports()) == 2  # its connection stays open in the pool
        restore_database(first, saved_db)
        assert [r.unit_name for r in reader.list_reports()] == ["测试单位"]  # reads the new file
    finally:
        reader.close()


def test_an_unwritable_folder_is_found_by_trying_not_by_os_access(
    saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder whose permission list denies writing: ``os.access`` says it is writable (it
    reads the read-only attribute only), so opening went ahead and failed later, generically."""
    folder = saved_db.parent
    real_open = system.OS.open

    def acl_denies(path: str, flags: int, *args: object) -> int:
        if Path(path).parent == folder and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "拒绝访问。", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(system.OS, "open", acl_denies)
    assert os.access(folder, os.W_OK)
    before = folder_state(folder)
    with pytest.raises(ReadOnlyLocation, match="没有权限在文件夹") as info:
        Workspace.open(saved_db)
    assert info.value.readonly_possible
    assert folder_state(folder) == before
    ws = Workspace.open(saved_db, readonly=True)
    ws.close()


def test_a_read_only_file_is_found_by_opening_it_for_writing(
    saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = system.OS.open

    def read_only_attribute(path: str, flags: int, *args: object) -> int:
        if Path(path) == saved_db and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "拒绝访问。", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(system.OS, "open", read_only_attribute)
    with pytest.raises(ReadOnlyLocation, match="是只读的"):
        Workspace.open(saved_db)


def test_putting_a_new_file_in_place_never_replaces_one(tmp_path: Path) -> None:
    for windows_like in (False, True):
        source, target = tmp_path / "new.tmp", tmp_path / "taken.db"
        source.write_text("新")
        target.write_text("旧")
        saved, saved_rename = system.OS.windows, system.OS.rename
        system.OS.windows = windows_like
        try:
            if windows_like and sys.platform != "win32":

                def rename(src: str, dst: str) -> None:  # Windows' rename refuses a taken name
                    if os.path.exists(dst):
                        raise FileExistsError(errno.EEXIST, "当文件已存在时，无法创建该文件。", dst)
                    os.rename(src, dst)

                system.OS.rename = rename
            with pytest.raises(FileExistsError):
                system.rename_new(source, target)
        finally:
            system.OS.windows, system.OS.rename = saved, saved_rename
        assert target.read_text() == "旧" and source.read_text() == "新"
        source.unlink()
        target.unlink()


def test_sharing_violations_are_told_apart_from_other_errors() -> None:
    assert system.is_sharing_violation(_sharing_violation("x"))
    assert not system.is_sharing_violation(PermissionError(errno.EACCES, "denied"))
    assert system.explain_os_error(_sharing_violation("x")) == "文件正被其他程序占用"
    assert system.explain_os_error(OSError(errno.ENOSPC, "full")) == "磁盘空间已满"
    assert system.explain_os_error(OSError(errno.EROFS, "ro")) == "所在的磁盘是只读的"
    assert system.describe_holders(Path("/nonexistent")) == ""  # POSIX never names one


def test_pid_alive() -> None:
    assert system.pid_alive(os.getpid())
    assert not system.pid_alive(0)

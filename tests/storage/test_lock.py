"""One writer: a second instance is told in Chinese and may read; a crashed writer's lock is free."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from perfdesk.errors import DatabaseLocked, ReadOnlyDatabase
from perfdesk.services import Workspace
from perfdesk.storage.lock import WriterLock, lock_path_for, read_owner
from tests.storage.helpers import folder_state, small_report

REPO = Path(__file__).resolve().parents[2]

HOLDER = """
import sys
from perfdesk.services import Workspace
ws = Workspace.open(sys.argv[1])
print("holding", flush=True)
sys.stdin.readline()
ws.close()
print("closed", flush=True)
"""


def _holder(db: Path) -> subprocess.Popen[str]:
    """Another process with ``db`` open as the writer, until told to close (or killed)."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_writer_in_the_same_process_is_refused_in_chinese(saved_db: Path) -> None:
    first = Workspace.open(saved_db)
    try:
        with pytest.raises(DatabaseLocked) as info:
            Workspace.open(saved_db)
        message = str(info.value)
        assert "正在被另一个 perfdesk 使用" in message
        assert f"进程号 {os.getpid()}" in message
        assert "以只读方式打开" in message and info.value.readonly_possible
        assert info.value.backups, "the refusal lists the backups, like every other"
    finally:
        first.close()
    Workspace.open(saved_db).close()  # free again once the first one closed


def test_another_process_holding_the_database_blocks_writers_but_not_readers(
    saved_db: Path,
) -> None:
    holder = _holder(saved_db)
    try:
        owner = read_owner(saved_db)
        assert owner is not None and owner.pid == holder.pid
        with pytest.raises(DatabaseLocked, match=f"进程号 {holder.pid}"):
            Workspace.open(saved_db)
        reader = Workspace.open(saved_db, readonly=True)
        try:
            assert [r.unit_name for r in reader.list_reports()] == ["测试单位"]
        finally:
            reader.close()
        assert lock_path_for(saved_db).exists(), "the reader must not touch the writer's lock"
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
        holder.wait(timeout=30)
    assert not lock_path_for(saved_db).exists(), "a writer that closed removes its lock file"
    Workspace.open(saved_db).close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signal")
def test_the_lock_of_a_killed_writer_is_taken_over(saved_db: Path) -> None:
    holder = _holder(saved_db)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert lock_path_for(saved_db).exists()
    assert read_owner(saved_db).pid == holder.pid  # type: ignore[union-attr]
    ws = Workspace.open(saved_db)
    try:
        assert read_owner(saved_db).pid == os.getpid()  # type: ignore[union-attr]
        ws.add_report(small_report("接管后的单位", 2025))
    finally:
        ws.close()


def test_a_stale_lock_file_with_no_one_holding_it_is_taken_over(saved_db: Path) -> None:
    lock_path_for(saved_db).write_text(
        '{"pid": 999999, "host": "旧电脑", "started": "2024-01-01T08:00"}'
    )
    ws = Workspace.open(saved_db)
    try:
        owner = read_owner(saved_db)
        assert owner is not None and owner.pid == os.getpid()
    finally:
        ws.close()
    lock_path_for(saved_db).write_bytes(b"\x00garbage")
    Workspace.open(saved_db).close()


def test_a_reader_never_writes_and_refuses_every_write(saved_db: Path) -> None:
    before = folder_state(saved_db.parent)
    ws = Workspace.open(saved_db, readonly=True)
    try:
        assert ws.readonly
        rid = ws.resolve_report_id(None)
        report = ws.load(rid)
        for write in (
            lambda: ws.update("report", rid, {"preparer": "李四"}),
            lambda: ws.add_report(small_report("另一单位", 2024)),
            lambda: ws.insert(
                "note", {"report_id": rid}, None, {"rule": "", "place": "", "text": "x"}
            ),
            lambda: ws.delete("project", report.projects[0].id),
        ):
            with pytest.raises(ReadOnlyDatabase, match="只读方式打开的，刚才的修改未保存"):
                write()
        assert ws.close() is None
    finally:
        ws.close()
    assert folder_state(saved_db.parent) == before


def test_closing_twice_and_releasing_twice_are_harmless(saved_db: Path) -> None:
    ws = Workspace.open(saved_db)
    ws.close()
    ws.close()
    lock = WriterLock.acquire(saved_db)
    lock.release()
    lock.release()
    assert not lock_path_for(saved_db).exists()


def test_never_two_holders_while_locks_come_and_go(tmp_path: Path) -> None:
    """Threads race to take and drop the lock (each open is its own OS lock, as for processes):
    the file being deleted on release must never let two of them hold it at once."""
    import threading
    import time

    db = tmp_path / "race.db"
    holders: list[int] = []
    overlaps: list[int] = []
    taken = [0]
    guard = threading.Lock()

    def racer() -> None:
        for _ in range(300):
            try:
                lock = WriterLock.acquire(db)
            except DatabaseLocked:
                continue
            with guard:
                holders.append(1)
                if len(holders) > 1:
                    overlaps.append(len(holders))
                taken[0] += 1
            time.sleep(0.0002)  # hold it a moment: without the same-file check this overlaps
            with guard:
                holders.pop()
            lock.release()

    threads = [threading.Thread(target=racer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []
    assert taken[0] > 0


def test_a_symlink_to_the_database_or_its_folder_finds_the_writers_lock(
    saved_db: Path, tmp_path: Path
) -> None:
    alias = tmp_path / "桌面" / "绩效.db"
    alias.parent.mkdir()
    alias.symlink_to(saved_db)
    folder_alias = tmp_path / "link-to-data"
    folder_alias.symlink_to(saved_db.parent, target_is_directory=True)
    first = Workspace.open(saved_db)
    try:
        for other in (alias, folder_alias / saved_db.name):
            with pytest.raises(DatabaseLocked, match=f"进程号 {os.getpid()}"):
                Workspace.open(other)
        assert not (alias.parent / "绩效.db.lock").exists()
    finally:
        first.close()
    second = Workspace.open(alias)  # free again: and the alias writes the real file
    try:
        second.add_report(small_report("经别名打开的单位", 2025))
    finally:
        second.close()
    assert (saved_db.parent / "backups").is_dir() and not (alias.parent / "backups").exists()
    reader = Workspace.open(saved_db, readonly=True)
    try:
        assert "经别名打开的单位" in [r.unit_name for r in reader.list_reports()]
    finally:
        reader.close()


def test_a_hard_link_to_the_database_cannot_make_a_second_writer(
    saved_db: Path, tmp_path: Path
) -> None:
    other_name = tmp_path / "另一个文件夹" / "copy.db"
    other_name.parent.mkdir()
    os.link(saved_db, other_name)  # the same file under a second name
    holder = _holder(saved_db)  # the window, in another process
    try:
        with pytest.raises(DatabaseLocked, match="正在被另一个 perfdesk 使用"):
            Workspace.open(other_name)
        reader = Workspace.open(other_name, readonly=True)  # looking is still allowed
        reader.close()
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
        holder.wait(timeout=30)
    assert not (other_name.parent / "copy.db.lock").exists(), "a refused writer leaves no lock"
    ws = Workspace.open(other_name)  # nobody else now: allowed
    ws.close()
    # And the other way round, within one process.
    first = Workspace.open(other_name)
    try:
        with pytest.raises(DatabaseLocked):
            Workspace.open(saved_db)
    finally:
        first.close()


def test_a_full_disk_that_cannot_take_the_owners_name_does_not_stop_the_opening(
    saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk had room for the write check but not for the owner's text (or the lock file
    cannot be written): the OS lock is what counts."""
    import errno

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the lock file's descriptor")
    real_write = os.write

    def full_for_the_lock_file(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".lock"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_for_the_lock_file)
    ws = Workspace.open(saved_db)  # raised a raw OSError before
    try:
        assert [r.unit_name for r in ws.list_reports()] == ["测试单位"]
        with pytest.raises(DatabaseLocked):  # the OS lock still keeps a second writer out
            Workspace.open(saved_db)
    finally:
        ws.close()


def test_a_lock_file_held_for_a_moment_by_a_scanner_is_waited_for(
    saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows: a virus scanner opening the lock file makes opening it fail with a sharing
    violation for a moment; that is retried, not reported at once."""
    from perfdesk import system
    from perfdesk.storage import lock

    real_open = os.open
    refusals = [3]
    slept: list[float] = []

    def scanned_open(path, flags, *args):  # noqa: ANN001, ANN202 - os.open's signature
        if str(path).endswith(".lock") and refusals[0]:
            refusals[0] -= 1
            exc = PermissionError(13, "The process cannot access the file")
            exc.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION
            raise exc
        return real_open(path, flags, *args)

    monkeypatch.setattr(lock.os, "open", scanned_open)
    monkeypatch.setattr(system.OS, "sleep", slept.append)
    Workspace.open(saved_db).close()
    assert refusals == [0] and len(slept) == 3

"""Files that are not right: each is refused in Chinese, left byte-for-byte as it was (and nothing is
left beside it), and the refusal carries the backups that exist so the UI can offer to restore one.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from perfdesk.errors import (
    DamagedDatabase,
    DatabaseError,
    NetworkLocation,
    NewerDatabase,
    NotPerfdeskDatabase,
    ReadOnlyDatabase,
    ReadOnlyLocation,
)
from perfdesk.services import Workspace
from perfdesk.storage import location
from perfdesk.storage.database import open_database
from perfdesk.storage.fileformat import SCHEMA_VERSION, uri_from_posix
from tests.storage.helpers import folder_state


def _refused(
    path: Path, error: type[DatabaseError], message: str, **kwargs: object
) -> DatabaseError:
    """Open ``path``; assert the refusal, its message and that the folder is exactly as before."""
    before = folder_state(path.parent)
    with pytest.raises(error, match=message) as info:
        open_database(path, **kwargs)  # type: ignore[arg-type]
    assert folder_state(path.parent) == before, "a refused file (or its folder) was changed"
    return info.value


def _offers_the_backup(exc: DatabaseError) -> None:
    assert [b.kind for b in exc.backups] == ["exit"]
    assert exc.backups[0].reports == ("2024年度 测试单位",)


def test_a_text_file_in_place_of_the_database(saved_db: Path) -> None:
    saved_db.write_text("这不是数据库\n", encoding="utf-8")
    exc = _refused(saved_db, NotPerfdeskDatabase, "不是 SQLite 数据库文件")
    assert "文件未作任何改动" in str(exc)
    _offers_the_backup(exc)


def test_another_programs_sqlite_file(saved_db: Path) -> None:
    saved_db.unlink()
    con = sqlite3.connect(saved_db)
    con.execute("CREATE TABLE contacts(name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('张三')")
    con.commit()
    con.close()
    exc = _refused(saved_db, NotPerfdeskDatabase, "其他程序的 SQLite 数据库")
    _offers_the_backup(exc)


def test_a_truncated_file(saved_db: Path) -> None:
    data = saved_db.read_bytes()
    saved_db.write_bytes(data[: len(data) // 3])
    exc = _refused(saved_db, DamagedDatabase, "已损坏")
    _offers_the_backup(exc)


def test_a_file_cut_inside_its_header(saved_db: Path) -> None:
    saved_db.write_bytes(saved_db.read_bytes()[:60])
    exc = _refused(saved_db, DamagedDatabase, "文件头不完整")
    _offers_the_backup(exc)


def test_a_file_with_garbage_written_over_its_pages(saved_db: Path) -> None:
    data = bytearray(saved_db.read_bytes())
    page = 4096
    for n in range(1, len(data) // page):  # every page but the header page
        data[n * page + 8 : n * page + 200] = b"\xa5" * 192
    saved_db.write_bytes(bytes(data))
    exc = _refused(saved_db, DamagedDatabase, "已损坏")
    _offers_the_backup(exc)


def test_a_file_written_by_a_newer_perfdesk_is_refused_but_opens_read_only(saved_db: Path) -> None:
    con = sqlite3.connect(saved_db)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    exc = _refused(saved_db, NewerDatabase, "较新版本的 perfdesk")
    assert exc.readonly_possible
    _offers_the_backup(exc)

    before = folder_state(saved_db.parent)
    ws = Workspace.open(saved_db, readonly=True)
    try:
        [summary] = ws.list_reports()
        assert summary.unit_name == "测试单位"
        with pytest.raises(ReadOnlyDatabase, match="只读方式打开的，刚才的修改未保存"):
            ws.update("report", summary.id, {"preparer": "李四"})
    finally:
        ws.close()
    assert folder_state(saved_db.parent) == before


def test_a_read_only_file_is_refused_for_writing_and_opens_read_only(
    saved_db: Path, honest_permissions: list[Path]
) -> None:
    saved_db.chmod(0o444)
    honest_permissions.append(saved_db)
    exc = _refused(saved_db, ReadOnlyLocation, "是只读的，无法保存修改")
    assert exc.readonly_possible and "取消“只读”" in str(exc)
    _offers_the_backup(exc)
    ws = Workspace.open(saved_db, readonly=True)
    try:
        assert [r.unit_name for r in ws.list_reports()] == ["测试单位"]
    finally:
        ws.close()


@pytest.mark.skipif(sys.platform == "win32", reason="Windows ignores a folder's read-only bit")
def test_a_folder_without_write_permission(saved_db: Path, honest_permissions: list[Path]) -> None:
    saved_db.parent.chmod(0o555)
    honest_permissions.append(saved_db.parent)
    exc = _refused(saved_db, ReadOnlyLocation, "没有权限在文件夹")
    assert "日志文件" in str(exc)  # why a folder matters for one file
    _offers_the_backup(exc)


def test_a_folder_in_place_of_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "perfdesk.db"
    folder.mkdir()
    _refused(folder, NotPerfdeskDatabase, "是一个文件夹")


def test_a_file_on_a_network_share_is_refused_for_writing(
    saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mounts = f"/dev/vda / ext4 rw 0 0\nnas:/export {saved_db.parent} nfs4 rw 0 0\n"
    monkeypatch.setattr(
        location, "network_reason", lambda p: location.posix_network_reason(str(p), mounts)
    )
    exc = _refused(saved_db, NetworkLocation, "网络文件系统（nfs4）")
    assert "复制到本机硬盘" in str(exc) and exc.readonly_possible
    _offers_the_backup(exc)
    ws = Workspace.open(saved_db, readonly=True)  # reading cannot corrupt it
    ws.close()


def test_the_test_machines_own_folders_are_not_taken_for_network_shares(tmp_path: Path) -> None:
    assert location.network_reason(tmp_path / "perfdesk.db") is None


@pytest.mark.parametrize(
    ("path", "remote_drives", "expected"),
    [
        (r"\\server\财务\perfdesk.db", set(), "网络共享路径"),
        ("//server/share/perfdesk.db", set(), "网络共享路径"),
        (r"\\?\UNC\server\share\perfdesk.db", set(), "网络共享路径"),
        (r"Z:\绩效\perfdesk.db", {"Z:\\"}, "映射的网络驱动器 Z:"),
        (r"z:\绩效\perfdesk.db", {"Z:\\", "z:\\"}, "映射的网络驱动器 Z:"),
        (r"\\?\Z:\perfdesk.db", {"Z:\\"}, "映射的网络驱动器 Z:"),
        (r"C:\Users\clerk\AppData\Local\perfdesk\perfdesk.db", {"Z:\\"}, None),
        (r"D:\perfdesk.db", set(), None),
    ],
)
def test_windows_unc_paths_and_mapped_network_drives(
    path: str, remote_drives: set[str], expected: str | None
) -> None:
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return location.DRIVE_REMOTE if root in remote_drives else 3  # DRIVE_FIXED

    assert location.windows_network_reason(path, drive_type) == expected
    if path[1:2] == ":":
        assert asked == [path[:2] + "\\"]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        (
            PureWindowsPath(r"C:\Users\张三\AppData\Local\perfdesk\perfdesk.db"),
            "file:///C:/Users/%E5%BC%A0%E4%B8%89/AppData/Local/perfdesk/perfdesk.db?mode=ro",
        ),
        (
            PureWindowsPath(r"\\server\财务\perfdesk.db"),
            "file:////server/%E8%B4%A2%E5%8A%A1/perfdesk.db?mode=ro",
        ),
        (
            PurePosixPath("/home/clerk/绩效 #1?/perfdesk.db"),
            "file:///home/clerk/%E7%BB%A9%E6%95%88%20%231%3F/perfdesk.db?mode=ro",
        ),
    ],
)
def test_sqlite_uris_for_drive_unc_and_odd_names(path: PurePosixPath, uri: str) -> None:
    assert uri_from_posix(path.as_posix(), "ro") == uri


MOUNTS = "\n".join(
    [
        "/dev/sda1 / ext4 rw,relatime 0 0",
        "nas:/export /mnt/nas nfs4 rw 0 0",
        "//fileserver/财务 /mnt/smb cifs rw 0 0",
        r"/dev/sdb1 /mnt/my\040usb vfat rw 0 0",
        "nas:/export/x /mnt/nas/local-cache ext4 rw 0 0",
        "sshfs#me@host: /mnt/remote fuse.sshfs rw 0 0",
    ]
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/home/clerk/perfdesk.db", None),
        ("/mnt/nas/perfdesk.db", "网络文件系统（nfs4）"),
        ("/mnt/nasty/perfdesk.db", None),  # a longer name is not under /mnt/nas
        ("/mnt/smb/2024/perfdesk.db", "网络文件系统（cifs）"),
        ("/mnt/my usb/perfdesk.db", None),
        ("/mnt/nas/local-cache/perfdesk.db", None),  # the innermost mount decides
        ("/mnt/remote/perfdesk.db", "网络文件系统（fuse.sshfs）"),
        ("//host/share/perfdesk.db", "网络共享路径"),
    ],
)
def test_posix_network_mounts(path: str, expected: str | None) -> None:
    assert location.posix_network_reason(path, MOUNTS) == expected


def test_refusals_leave_no_lock_or_journal_behind(saved_db: Path) -> None:
    data = bytearray(saved_db.read_bytes())
    data[68:72] = struct.pack(">I", 0x12345678)  # another application id
    saved_db.write_bytes(bytes(data))
    _refused(saved_db, NotPerfdeskDatabase, "其他程序")
    assert sorted(os.listdir(saved_db.parent)) == ["backups", "perfdesk.db"]


def test_an_empty_database_file_is_refused_untouched_and_its_backups_offered(
    saved_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``: > perfdesk.db`` with good backups beside it: a damaged file, never a new database."""
    from perfdesk import cli

    saved_db.write_bytes(b"")
    exc = _refused(saved_db, DamagedDatabase, "是空的（0 字节）")
    assert "文件未作任何改动" in str(exc) and "可以从备份恢复" in str(exc)
    _offers_the_backup(exc)
    _refused(saved_db, DamagedDatabase, "是空的", readonly=True)
    with pytest.raises(DamagedDatabase):
        Workspace.open(saved_db)  # the window's way in (with create on): still refused

    before = folder_state(saved_db.parent)
    for command in (["list"], ["sample"], ["pdf", "-o", str(saved_db.parent / "x.pdf")]):
        assert cli.main([*command, "--db", str(saved_db)]) == cli.EXIT_INPUT
        err = capsys.readouterr().err
        assert "是空的（0 字节）" in err
        name = exc.backups[0].name
        assert f"可用 perfdesk restore {name} 恢复" in err, "the CLI names the backup to restore"
    assert folder_state(saved_db.parent) == before
    assert saved_db.stat().st_size == 0


def test_a_new_database_is_made_only_where_no_file_is_and_only_when_asked(tmp_path: Path) -> None:
    from perfdesk.errors import MissingDatabase

    path = tmp_path / "typo.db"
    with pytest.raises(MissingDatabase, match=f"“{path}”不存在"):
        open_database(path, create=False)
    with pytest.raises(MissingDatabase):
        Workspace.open(path, create=False)
    with pytest.raises(MissingDatabase):
        Workspace.open_for_reading(path)
    assert sorted(os.listdir(tmp_path)) == []
    Workspace.open(path).close()  # asked for: made
    assert path.stat().st_size > 0


def test_a_database_being_made_never_carries_the_name_half_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash (or an error) while a new file is made leaves no empty or partial file under the
    name, which would later be refused as damaged."""
    from perfdesk.storage import migrate

    def dies(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # as good as a kill for what is left on the disk

    monkeypatch.setattr(migrate, "upgrade", dies)
    path = tmp_path / "new.db"
    with pytest.raises(KeyboardInterrupt):
        Workspace.open(path)
    assert sorted(os.listdir(tmp_path)) == []
    monkeypatch.undo()
    Workspace.open(path).close()


def test_leftovers_of_a_killed_creation_are_removed_at_the_next_open(saved_db: Path) -> None:
    tmp = saved_db.with_name(f".{saved_db.name}.99999999.new.tmp")
    tmp.write_bytes(b"SQLite format 3\0")
    tmp.with_name(tmp.name + "-journal").write_bytes(b"journal")
    Workspace.open(saved_db).close()
    assert sorted(os.listdir(saved_db.parent)) == ["backups", "perfdesk.db"]

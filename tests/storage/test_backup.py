"""Backups: made at the right moments, verified before older ones go, listed, and restored safely."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from perfdesk import cli
from perfdesk.errors import BackupError, DatabaseError, DatabaseLocked, StorageWriteError
from perfdesk.exchange.jsonfile import dumps
from perfdesk.services import Workspace
from perfdesk.storage import backup
from perfdesk.storage.backup import (
    BackupInfo,
    backups_to_remove,
    create_backup,
    list_backups,
    restore_backup,
    verify,
)
from tests.storage.helpers import folder_state, small_report


def _report_text(path: Path) -> str:
    ws = Workspace.open(path, readonly=True)
    try:
        return "".join(dumps(ws.load(r.id)) for r in ws.list_reports())
    finally:
        ws.close()


def _set_preparer(db: Path, name: str) -> None:
    ws = Workspace.open(db)
    try:
        ws.update("report", ws.resolve_report_id(None), {"preparer": name})
    finally:
        ws.close()


def _age_backups(db: Path, days: int) -> None:
    """Pretend every backup was made ``days`` earlier (renaming is all a backup's date is)."""
    for b in list_backups(db):
        older = (b.created - dt.timedelta(days=days)).strftime("%Y%m%d-%H%M%S")
        b.path.rename(b.path.with_name(f"{db.stem}-{older}-{b.kind}.db"))


def test_the_first_open_of_a_day_backs_up_the_file_as_it_was(saved_db: Path) -> None:
    _age_backups(saved_db, 1)
    before = _report_text(saved_db)
    ws = Workspace.open(saved_db)
    try:
        [daily] = [b for b in list_backups(saved_db) if b.kind == "daily"]
        assert daily.created.date() == dt.date.today()
        ws.update("report", ws.resolve_report_id(None), {"preparer": "李四"})
    finally:
        ws.close()
    assert _report_text(daily.path) == before  # the state before the day's first edit
    assert "李四" not in before and "李四" in _report_text(saved_db)

    count = len(list_backups(saved_db))
    Workspace.open(saved_db).close()  # the second open that day: no new backup, nothing saved
    assert len(list_backups(saved_db)) == count


def test_a_session_that_saved_is_backed_up_on_exit_and_one_that_only_read_is_not(
    saved_db: Path,
) -> None:
    count = len(list_backups(saved_db))
    ws = Workspace.open(saved_db)
    ws.list_reports()
    ws.close()
    assert len(list_backups(saved_db)) == count

    _set_preparer(saved_db, "王五")
    newest = list_backups(saved_db)[0]
    assert newest.kind == "exit"
    assert "王五" in _report_text(newest.path)


def test_backups_are_listed_newest_first_with_date_kind_and_reports(saved_db: Path) -> None:
    ws = Workspace.open(saved_db)
    ws.add_report(small_report("第二单位", 2025))
    manual = ws.backup_now()
    ws.close()
    listed = list_backups(saved_db)
    assert listed[0].created >= listed[-1].created
    assert manual in listed
    assert manual.kind_label == "手动备份"
    assert manual.reports == ("2024年度 测试单位", "2025年度 第二单位")
    assert manual.report_count == 2 and manual.reports_text == "2 份报告"
    assert manual.describe().endswith("手动备份（2 份报告）")
    verify(manual.path)


def _info(when: str, kind: str) -> BackupInfo:
    created = dt.datetime.fromisoformat(when)
    return BackupInfo(Path(f"p-{created:%Y%m%d-%H%M%S}-{kind}.db"), created, kind, (), 0)


def test_rotation_keeps_the_newest_seven_days_and_four_weeks() -> None:
    start = dt.date(2025, 9, 1)  # a Monday
    backups = []
    for n in range(60):  # 2025-09-01 … 2025-10-30 (a Thursday): a daily at 8, an exit at 18
        day = start + dt.timedelta(days=n)
        backups += [_info(f"{day}T08:00", "daily"), _info(f"{day}T18:00", "exit")]
    backups += [_info("2025-09-10T09:00", "premigrate"), _info("2025-09-12T09:00", "prerestore")]

    removed = {b.path for b in backups_to_remove(backups[::-1])}
    kept = sorted(str(b.created) for b in backups if b.path not in removed)
    assert kept == sorted(
        [
            "2025-09-10 09:00:00",
            "2025-09-12 09:00:00",  # before an upgrade / a restore: always
            "2025-10-30 18:00:00",  # the newest two (the other is 10-30 08:00, also a first-of-day)
            *(f"2025-10-{d} 08:00:00" for d in range(24, 31)),  # first of each of the last 7 days
            "2025-10-20 08:00:00",
            "2025-10-13 08:00:00",
            "2025-10-06 08:00:00",  # … of 4 weeks (10-27 is above)
        ]
    )


def test_rotation_on_disk_after_a_verified_backup(saved_db: Path) -> None:
    for n in range(12):
        create_backup(saved_db, "daily", now=dt.datetime(2025, 10, 1 + n, 8, 0))
    days = sorted({b.created.date() for b in list_backups(saved_db) if b.kind == "daily"})
    assert days[-7:] == [dt.date(2025, 10, d) for d in range(6, 13)]
    assert len(days) <= 7 + 4


def test_a_backup_failing_its_check_is_discarded_and_older_ones_stay(
    saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(10):
        create_backup(saved_db, "daily", now=dt.datetime(2025, 10, 1 + n, 8, 0))
    before = folder_state(saved_db.parent / "backups")

    def broken(path: Path) -> None:
        raise BackupError(f"备份文件“{path}”已损坏（模拟）")

    monkeypatch.setattr(backup, "verify", broken)
    with pytest.raises(BackupError, match="备份未通过检查，已丢弃"):
        create_backup(saved_db, "daily", now=dt.datetime(2025, 10, 20, 8, 0))
    assert folder_state(saved_db.parent / "backups") == before  # nothing rotated, no partial left


def test_a_failed_daily_backup_does_not_stop_the_work_but_is_reported(
    saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age_backups(saved_db, 1)

    def full(*_args: object, **_kwargs: object) -> BackupInfo:
        raise BackupError("未能备份数据库：磁盘空间已满")

    monkeypatch.setattr(backup, "create_backup", full)
    ws = Workspace.open(saved_db)
    try:
        assert ws.warnings == ["今天的自动备份未能完成：未能备份数据库：磁盘空间已满"]
        ws.update("report", ws.resolve_report_id(None), {"preparer": "赵六"})
    finally:
        ws.close()


def _pretend_schema_0(db: Path) -> None:
    """Make the file look as if it was never migrated (so opening it runs migration 0001 again)."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 0")
    con.execute("DELETE FROM alembic_version")
    con.commit()
    con.close()


def test_an_upgrade_is_preceded_by_a_backup_and_a_failed_one_leaves_the_file_as_it_was(
    saved_db: Path,
) -> None:
    _pretend_schema_0(saved_db)
    data = saved_db.read_bytes()
    with pytest.raises(StorageWriteError, match="升级数据库失败.*数据库保持升级前的状态"):
        Workspace.open(saved_db)  # 0001 fails: its tables are already there
    assert saved_db.read_bytes() == data
    premigrate = [b for b in list_backups(saved_db) if b.kind == "premigrate"]
    assert len(premigrate) == 1 and premigrate[0].reports == ("2024年度 测试单位",)


def test_no_upgrade_without_a_backup_first(saved_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pretend_schema_0(saved_db)
    data = saved_db.read_bytes()

    def full(*_args: object, **_kwargs: object) -> BackupInfo:
        raise BackupError("未能备份数据库：磁盘空间已满")

    monkeypatch.setattr(backup, "create_backup", full)
    with pytest.raises(DatabaseError, match="升级数据库前未能备份，因此没有升级"):
        Workspace.open(saved_db)
    assert saved_db.read_bytes() == data


def test_restoring_backs_up_the_current_file_first(saved_db: Path) -> None:
    [original] = list_backups(saved_db)
    _set_preparer(saved_db, "李四")
    edited = _report_text(saved_db)

    saved = restore_backup(original, saved_db)
    assert _report_text(saved_db) == _report_text(original.path)
    assert "李四" not in _report_text(saved_db)
    assert saved is not None and _report_text(saved) == edited
    [prerestore] = [b for b in list_backups(saved_db) if b.kind == "prerestore"]
    assert prerestore.path == saved

    restore_backup(prerestore, saved_db)  # and back again
    assert _report_text(saved_db) == edited


def test_restoring_over_a_damaged_file_keeps_its_bytes(saved_db: Path) -> None:
    [good] = list_backups(saved_db)
    damaged = saved_db.read_bytes()[:5000]
    saved_db.write_bytes(damaged)
    saved = restore_backup(good, saved_db)
    assert saved is not None and saved.name.endswith("-damaged.db.bin")
    assert saved.read_bytes() == damaged
    assert _report_text(saved_db) == _report_text(good.path)
    assert [b.kind for b in list_backups(saved_db)] == ["exit"]  # the damaged copy is not offered


def test_restoring_is_refused_while_the_database_is_open(saved_db: Path) -> None:
    [good] = list_backups(saved_db)
    ws = Workspace.open(saved_db)
    try:
        data = saved_db.read_bytes()
        with pytest.raises(DatabaseLocked, match="正在被另一个 perfdesk 使用"):
            restore_backup(good, saved_db)
        assert saved_db.read_bytes() == data
    finally:
        ws.close()


def test_a_file_that_is_not_a_sound_backup_is_never_restored(
    saved_db: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "fake.db"
    fake.write_text("not a database")
    data = saved_db.read_bytes()
    with pytest.raises(BackupError, match="已损坏或不是数据库文件"):
        restore_backup(fake, saved_db)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="不是 perfdesk 数据库的备份"):
        restore_backup(other, saved_db)
    assert saved_db.read_bytes() == data


def test_backup_commands(saved_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(saved_db)
    assert cli.main(["backup", "--db", db]) == cli.EXIT_OK
    assert "已备份" in capsys.readouterr().out

    assert cli.main(["backups", "--db", db]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("1\t") and "手动备份\t1 份报告" in lines[0]

    _set_preparer(saved_db, "李四")
    assert cli.main(["restore", "2", "--db", db]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "已用备份" in out and "恢复前的数据库已另存为" in out
    assert "李四" not in _report_text(saved_db)

    assert cli.main(["restore", "99", "--db", db]) == cli.EXIT_INPUT
    assert "没有第 99 个备份" in capsys.readouterr().err
    assert cli.main(["backup", "--db", str(saved_db.parent / "missing.db")]) == cli.EXIT_INPUT
    assert "不存在" in capsys.readouterr().err


def test_backups_command_when_there_are_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["backups", "--db", str(tmp_path / "new.db")]) == cli.EXIT_OK
    assert "还没有备份" in capsys.readouterr().out

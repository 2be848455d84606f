"""Backups: made at the right moments, verified before older ones go, listed, and restored safely."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
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


def test_backup_commands_address_backups_by_a_name_that_never_shifts(
    saved_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(saved_db)
    assert cli.main(["backup", "--db", db]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "已备份" in out and "已通过完整性检查" in out

    assert cli.main(["backups", "--db", db]) == cli.EXIT_OK
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.startswith("名称\t时间\t类型\t报告")
    assert len(lines) == 2 and "\t手动备份\t1 份报告\t" in lines[0]
    manual_name = lines[0].split("\t")[0]
    exit_name = lines[1].split("\t")[0]
    assert manual_name.endswith("-manual-n2") and exit_name.endswith("-exit-n1")

    # Every writing command adds a backup (an exit backup here), which shifted a numbered list:
    # the names still mean the same files.
    _set_preparer(saved_db, "李四")
    assert cli.main(["backups", "--db", db]) == cli.EXIT_OK
    names = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert names[0].endswith("-exit-n3") and names[1:] == [manual_name, exit_name]

    assert cli.main(["restore", exit_name, "--db", db]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert f"已用备份“perfdesk-{exit_name}.db”" in out and "恢复前的数据库已另存为" in out
    assert "李四" not in _report_text(saved_db)

    assert cli.main(["restore", "2", "--db", db]) == cli.EXIT_INPUT
    assert "要按名称指定" in capsys.readouterr().err
    # a year is the start of a name, not an old 序号: the backups that begin so are named
    year = exit_name[:4]
    assert cli.main(["restore", year, "--db", db]) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert f"名称以“{year}”开头" in err and "序号" not in err
    assert cli.main(["restore", "20991231-235959", "--db", db]) == cli.EXIT_INPUT
    assert "找不到名为“20991231-235959”的备份" in capsys.readouterr().err
    assert cli.main(["backup", "--db", str(saved_db.parent / "missing.db")]) == cli.EXIT_INPUT
    assert "不存在" in capsys.readouterr().err


def test_restore_takes_the_start_of_a_name_when_only_one_backup_has_it(saved_db: Path) -> None:
    [first] = list_backups(saved_db)
    second = create_backup(saved_db, "manual", now=first.created.replace(year=2030))
    assert backup.find_backup(saved_db, second.name[:15]) == second  # "20300…-…" date-time
    assert backup.find_backup(saved_db, second.path.name) == second
    assert backup.find_backup(saved_db, "1999") is None
    create_backup(saved_db, "manual", now=first.created.replace(year=2030))
    with pytest.raises(BackupError, match="有 2 个备份的名称以“2030"):
        backup.find_backup(saved_db, second.name[:15])


def test_backups_command_when_there_are_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.db"
    assert cli.main(["backups", "--db", str(db)]) == cli.EXIT_INPUT
    assert f"数据库文件“{db}”不存在，也没有它的备份" in capsys.readouterr().err
    assert not db.exists()
    Workspace.open(db).close()
    assert cli.main(["backups", "--db", str(db)]) == cli.EXIT_OK
    assert "还没有备份" in capsys.readouterr().out


def test_backups_of_a_deleted_database_are_still_listed_and_restorable(
    saved_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [good] = list_backups(saved_db)
    saved_db.unlink()
    assert cli.main(["backups", "--db", str(saved_db)]) == cli.EXIT_OK
    captured = capsys.readouterr()
    assert "不存在；以下是它的备份" in captured.err and good.name in captured.out
    assert cli.main(["restore", good.name, "--db", str(saved_db)]) == cli.EXIT_OK
    assert _report_text(saved_db) == _report_text(good.path)


# --- the clock ------------------------------------------------------------------------------------


def test_a_clock_set_back_never_deletes_the_backup_just_made(saved_db: Path) -> None:
    """A week of backups dated later than the clock (a dead CMOS battery, a PC corrected back):
    a new backup is the newest by the order made, so rotation keeps it — and says so."""
    for n in range(40):  # six weeks of daily backups dated after the clock's "now"
        create_backup(saved_db, "daily", now=dt.datetime(2025, 10, 2, 8, 0) + dt.timedelta(days=n))
    _set_preparer(saved_db, "李四")  # an edit after them (its exit backup is dated today)

    made = create_backup(saved_db, "manual", now=dt.datetime(2025, 10, 1, 9, 0))
    assert made.path.exists(), "rotation deleted the backup it had just made"
    assert "李四" in _report_text(made.path)
    assert list_backups(saved_db)[0] == made  # newest: made last, whatever its date
    assert made.warnings and "早于最新备份的时间" in made.warnings[0]
    assert "不会因此被误删" in made.warnings[0]

    # The next backups (the clock still wrong) push it down in order, but the two newest made
    # are always kept, and every later one survives its own rotation too.
    for hour in (10, 11, 12):
        later = create_backup(saved_db, "exit", now=dt.datetime(2025, 10, 1, hour, 0))
        assert later.path.exists()
    newest = list_backups(saved_db)[:2]
    assert [b.created.hour for b in newest] == [12, 11]


def test_opening_with_the_clock_before_the_newest_backup_warns_the_clerk(
    saved_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    future = dt.datetime.now() + dt.timedelta(days=30)
    create_backup(saved_db, "manual", now=future)
    ws = Workspace.open(saved_db)
    try:
        assert any("早于最新备份的时间" in w for w in ws.warnings)
    finally:
        ws.close()
    assert cli.main(["backup", "--db", str(saved_db)]) == cli.EXIT_OK
    captured = capsys.readouterr()
    assert "已备份" in captured.out and "早于最新备份的时间" in captured.err
    assert list_backups(saved_db)[0].kind == "manual"  # the one just made is the newest
    assert list_backups(saved_db)[0].created < future


def test_backups_made_before_they_were_numbered_are_older_than_every_numbered_one(
    saved_db: Path,
) -> None:
    folder = saved_db.parent / "backups"
    [exit_backup] = list_backups(saved_db)
    old = folder / "perfdesk-20991231-235959-daily.db"  # an unnumbered name, dated far ahead
    old.write_bytes(exit_backup.path.read_bytes())
    made = create_backup(saved_db, "manual")
    assert [b.path for b in list_backups(saved_db)] == [made.path, exit_backup.path, old]
    assert made.sequence == exit_backup.sequence + 1


# --- verification -----------------------------------------------------------------------------------


def _long_text_db(tmp_path: Path) -> Path:
    db = tmp_path / "long.db"
    ws = Workspace.open(db)
    report = small_report()
    report.projects[0].narrative = "项目实施情况良好，绩效目标基本完成。" * 2000  # overflow pages
    ws.add_report(report)
    ws.close()
    return db


def _zero_a_text_page(db: Path, text: str) -> None:
    """Zero one overflow page holding ``text`` (all but its pointer to the next page): SQLite's
    structure checks still pass, the text no longer decodes."""
    data = bytearray(db.read_bytes())
    page = 4096
    needle = text.encode("utf-8")
    pages = sorted({i // page for i in range(0, len(data), 64) if needle in data[i : i + 64 + 60]})
    assert len(pages) > 4, "the text must span several overflow pages"
    p = pages[len(pages) // 2]
    data[p * page + 4 : (p + 1) * page] = bytes(page - 4)
    db.write_bytes(bytes(data))


def test_verify_reads_every_row_so_a_zeroed_text_page_is_caught(tmp_path: Path) -> None:
    db = _long_text_db(tmp_path)
    verify(db)
    _zero_a_text_page(db, "项目实施情况良好")
    con = sqlite3.connect(db)
    try:  # the fault as reported: SQLite's own checks see nothing wrong
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
    with pytest.raises(BackupError, match="无法解码的文字") as info:
        verify(db)
    assert "项目实施" not in str(info.value), "the message must not quote the clerk's text"


def test_a_backup_with_a_zeroed_text_page_is_never_trusted_or_restored(
    saved_db: Path, tmp_path: Path
) -> None:
    bad = _long_text_db(tmp_path)
    _zero_a_text_page(bad, "项目实施情况良好")
    data = saved_db.read_bytes()
    with pytest.raises(BackupError, match="已损坏"):
        restore_backup(bad, saved_db)
    assert saved_db.read_bytes() == data
    # Made as a backup (a page zeroed on the way to the disk): discarded, never named a backup.
    before = list_backups(bad)  # the exit backup made when it was saved, before the damage
    with pytest.raises(BackupError, match="备份未通过检查，已丢弃"):
        create_backup(bad, "manual")
    assert list_backups(bad) == before


def test_verify_refuses_a_failed_integrity_check(saved_db: Path) -> None:
    [good] = list_backups(saved_db)
    verify(good.path)
    data = bytearray(good.path.read_bytes())
    con = sqlite3.connect(good.path)
    try:
        root = con.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_budget_line_1'"
        ).fetchone()[0]
    finally:
        con.close()
    page = 4096
    at = data.index(b"income.gov_fund", (root - 1) * page, root * page)
    data[at : at + 6] = b"INCOME"  # an index entry that no longer matches its row
    good.path.write_bytes(bytes(data))
    con = sqlite3.connect(good.path)
    try:
        assert con.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    finally:
        con.close()
    with pytest.raises(BackupError, match="未通过完整性检查（row .* missing from index"):
        verify(good.path)


def test_verify_refuses_a_corrupted_page(saved_db: Path) -> None:
    [good] = list_backups(saved_db)
    data = bytearray(good.path.read_bytes())
    page = 4096
    for n in range(1, len(data) // page):
        data[n * page + 8 : n * page + 200] = b"\xa5" * 192
    good.path.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="已损坏|未通过完整性检查"):
        verify(good.path)


def test_verify_refuses_a_file_of_a_newer_perfdesk(saved_db: Path) -> None:
    from perfdesk.storage.fileformat import SCHEMA_VERSION

    [good] = list_backups(saved_db)
    con = sqlite3.connect(good.path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="较新版本的 perfdesk"):
        verify(good.path)


def test_verify_refuses_an_amount_that_does_not_decode(saved_db: Path) -> None:
    [good] = list_backups(saved_db)
    con = sqlite3.connect(good.path)
    con.execute("UPDATE indicator SET weight = 'x1' WHERE id = (SELECT min(id) FROM indicator)")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="无法读取的内容（InvalidOperation）"):
        verify(good.path)


def test_verify_of_an_older_schema_backup_still_reads_every_text(tmp_path: Path) -> None:
    import shutil

    old = tmp_path / "schema-1.db"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "db" / "schema-1.db", old)
    verify(old)  # a premigrate backup of an old file is sound although the model is newer


# --- leftovers and needless backups ---------------------------------------------------------------


def test_half_written_backups_of_killed_processes_are_removed_at_the_next_open(
    saved_db: Path,
) -> None:
    folder = saved_db.parent / "backups"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    partial = folder / f"perfdesk-20251017-093012-exit.{dead_pid}.partial"
    partial.write_bytes(b"half a backup")
    journal = partial.with_name(partial.name + "-journal")
    journal.write_bytes(b"its journal")
    restore_tmp = saved_db.with_name(f".perfdesk.db.restore-{dead_pid}.tmp")
    restore_tmp.write_bytes(b"half a restore")
    probe = saved_db.with_name(f".perfdesk-probe-{dead_pid}-abcd1234.tmp")
    probe.write_bytes(b"")
    live = folder / f"perfdesk-20251017-093013-manual.{os.getpid()}.partial"  # being written
    live.write_bytes(b"in progress")

    Workspace.open(saved_db).close()
    assert not partial.exists() and not journal.exists()
    assert not restore_tmp.exists() and not probe.exists()
    assert live.exists(), "a backup still being written by a running process must stay"
    os.utime(live, (time.time() - 120, time.time() - 120))
    Workspace.open(saved_db).close()
    assert not live.exists(), "after a minute it is a leftover whoever's it was"


def test_opening_and_closing_without_an_edit_makes_no_exit_backup(saved_db: Path) -> None:
    before = [b.path for b in list_backups(saved_db)]
    ws = Workspace.open(saved_db)
    rid = ws.resolve_report_id(None)
    assert ws.ensure_fixed_rows(rid) == 0  # what the window does when it shows a report
    ws.update("report", rid, {"preparer": ws.load(rid).preparer})  # a value set to itself
    ws.close()
    assert [b.path for b in list_backups(saved_db)] == before
    ws = Workspace.open(saved_db)
    ws.update("report", rid, {"preparer": "王五"})
    ws.close()
    assert (
        list_backups(saved_db)[0].kind == "exit" and len(list_backups(saved_db)) == len(before) + 1
    )

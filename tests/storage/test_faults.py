"""Faults while working: a commit that fails is reported as not saved, the file stays consistent,
and the workspace goes on working once the cause is gone. Unhandled exceptions are logged.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event

from perfdesk import logging_setup
from perfdesk.errors import StorageWriteError
from perfdesk.services import Workspace
from perfdesk.storage import database
from tests.storage.helpers import small_report


def _integrity(db: Path) -> list[tuple[str]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


def test_a_full_disk_during_a_commit_saves_nothing_and_says_so(saved_db: Path) -> None:
    ws = Workspace.open(saved_db)
    try:
        rid = ws.resolve_report_id(None)
        before = ws.load(rid)

        # SQLite's own "database or disk is full" (SQLITE_FULL): the file may not grow a page more.
        def no_more_pages(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        ws.db.engine.dispose()
        event.listen(ws.db.engine, "connect", no_more_pages)
        long_text = "项目实施及绩效情况" * 20000  # far more than the free space in the file
        with pytest.raises(StorageWriteError) as info:
            ws.update(
                "project",
                before.projects[0].id,
                {"narrative": long_text, "executed": Decimal("1.00")},
            )
        assert str(info.value).startswith("修改未能保存：磁盘空间已满。刚才的修改没有写入数据库")
        big = small_report("另一单位", 2025)
        big.projects[0].narrative = long_text
        with pytest.raises(StorageWriteError, match="磁盘空间已满"):
            ws.add_report(big)

        assert ws.load(rid) == before, "a failed commit left part of the edit behind"
        assert [r.unit_name for r in ws.list_reports()] == ["测试单位"]
        assert _integrity(saved_db) == [("ok",)]

        # Space again: the program never stopped, the same edit now goes through.
        event.remove(ws.db.engine, "connect", no_more_pages)
        ws.db.engine.dispose()
        ws.update(
            "project", before.projects[0].id, {"narrative": long_text, "executed": Decimal("1.00")}
        )
        assert ws.load(rid).projects[0].executed == Decimal("1.00")
    finally:
        ws.close()
    assert _integrity(saved_db) == [("ok",)]


class FailingCommits(sqlite3.Connection):
    """A connection whose commit hits a disk I/O error while ``failing`` is set."""

    failing = False

    def commit(self) -> None:
        if FailingCommits.failing:
            raise sqlite3.OperationalError("disk I/O error")
        super().commit()


def test_an_io_error_at_commit_saves_nothing_and_the_workspace_recovers(
    saved_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = sqlite3.connect

    def failing_connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        return real_connect(*args, factory=FailingCommits, **kwargs)  # type: ignore[call-overload]

    class Sqlite3:  # stands in for the sqlite3 module inside perfdesk.storage.database
        connect = staticmethod(failing_connect)

    ws = Workspace.open(saved_db)
    try:
        rid = ws.resolve_report_id(None)
        monkeypatch.setattr(database, "sqlite3", Sqlite3)
        ws.db.engine.dispose()
        FailingCommits.failing = True
        with pytest.raises(StorageWriteError, match="修改未能保存：磁盘读写出错"):
            ws.update("report", rid, {"preparer": "李四"})
        with pytest.raises(StorageWriteError, match="磁盘读写出错"):
            ws.insert_many(
                "note",
                {"report_id": rid},
                0,
                [{"rule": "", "place": "", "text": str(i)} for i in range(3)],
            )
        FailingCommits.failing = False
        assert ws.load(rid).preparer == ""
        assert ws.load(rid).notes == []
        ws.update("report", rid, {"preparer": "王五"})
        assert ws.load(rid).preparer == "王五"
    finally:
        FailingCommits.failing = False
        ws.close()
    assert _integrity(saved_db) == [("ok",)]


def test_bad_input_is_not_mistaken_for_a_disk_fault(saved_db: Path) -> None:
    from perfdesk.domain.numbers import InputError

    ws = Workspace.open(saved_db)
    try:
        rid = ws.resolve_report_id(None)
        with pytest.raises(InputError, match="金额最多保留4位小数"):
            ws.update("report", rid, {"personnel_expense": Decimal("1.23456")})
    finally:
        ws.close()


# --- the log -------------------------------------------------------------------------------------


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "logs"
    monkeypatch.setenv("PERFDESK_LOG_DIR", str(folder))
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook
    yield folder
    logging_setup.teardown_logging()
    sys.excepthook, threading.excepthook = previous_hook, previous_thread_hook


def test_the_log_goes_to_the_log_folder_and_rotates(log_dir: Path) -> None:
    path = logging_setup.setup_logging()
    assert path == log_dir / "perfdesk.log"
    assert logging_setup.setup_logging() == path  # a second call adds no second handler
    assert (
        sum(isinstance(h, logging.FileHandler) for h in logging.getLogger("perfdesk").handlers) == 1
    )
    logging.getLogger("perfdesk.storage").warning("今天的自动备份未能完成")
    handler = next(
        h for h in logging.getLogger("perfdesk").handlers if isinstance(h, logging.FileHandler)
    )
    handler.flush()
    assert "今天的自动备份未能完成" in path.read_text(encoding="utf-8")
    assert handler.maxBytes == logging_setup.MAX_BYTES and handler.backupCount == 5  # type: ignore[attr-defined]


def test_unhandled_exceptions_are_logged_with_their_traceback(log_dir: Path) -> None:
    path = logging_setup.setup_logging()
    shown: list[type[BaseException]] = []
    logging_setup._previous_hook = lambda t, e, tb: shown.append(t)  # what the console would print
    try:
        raise ZeroDivisionError("除数为零")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    worker = threading.Thread(target=lambda: 1 / 0, name="后台线程")
    worker.start()
    worker.join()
    logging_setup.teardown_logging()
    text = path.read_text(encoding="utf-8")
    assert "unhandled exception" in text and "ZeroDivisionError: 除数为零" in text
    assert "Traceback (most recent call last)" in text
    assert "unhandled exception in thread 后台线程" in text
    assert shown == [ZeroDivisionError], "the previous hook still runs"


def test_an_unwritable_log_folder_does_not_stop_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("PERFDESK_LOG_DIR", str(blocker / "logs"))
    assert logging_setup.setup_logging() is None


def test_a_crash_of_a_real_process_lands_in_the_log(tmp_path: Path) -> None:
    import os

    script = (
        "from perfdesk.logging_setup import setup_logging\n"
        "setup_logging()\n"
        "raise RuntimeError('意外错误')\n"
    )
    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PERFDESK_LOG_DIR=str(tmp_path / "logs"), PYTHONPATH=str(repo))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 1
    assert "RuntimeError: 意外错误" in (tmp_path / "logs" / "perfdesk.log").read_text(
        encoding="utf-8"
    )


# --- the log never speaks on the screen -----------------------------------------------------------


def _damaged_db(tmp_path: Path) -> Path:
    db = tmp_path / "perfdesk.db"
    db.write_text("这不是数据库", encoding="utf-8")
    return db


def test_a_full_log_disk_prints_nothing_but_the_programs_own_message(
    tiny_disk: Path, tmp_path: Path
) -> None:
    """The log folder on a full disk: "--- Logging error ---" and tracebacks (one quoting SQL
    parameters with the clerk's data) were printed twice; now only perfdesk's one line."""
    logs = tiny_disk / "logs"
    logs.mkdir()
    with open(tiny_disk / "filler.bin", "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    damaged = _damaged_db(tmp_path)
    good = tmp_path / "good.db"
    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PERFDESK_LOG_DIR=str(logs), PYTHONPATH=str(repo))
    for command, db, code, lines in (
        (["sample"], good, 0, 0),  # logs the backups it makes
        (["sample"], good, 0, 0),
        (["list"], damaged, 2, 1),
        (["import", str(tmp_path / "missing.json")], good, 2, 1),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "perfdesk", *command, "--db", str(db)],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        assert done.returncode == code, done.stderr
        assert len(done.stderr.splitlines()) == lines, done.stderr
        assert "Logging error" not in done.stderr and "Traceback" not in done.stderr
        assert all(line.startswith("perfdesk：") for line in done.stderr.splitlines())
    assert list(logs.iterdir()) in ([], [logs / "perfdesk.log"])


def test_a_log_that_cannot_be_written_is_skipped_silently(
    log_dir: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno

    from perfdesk import cli

    class FullDisk:
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self) -> None:
            pass

    logging_setup.setup_logging()
    handler = logging_setup._handler
    assert isinstance(handler, logging_setup.QuietRotatingFileHandler)
    monkeypatch.setattr(handler, "_open", lambda: FullDisk())
    failures = handler.failures
    logging.getLogger("perfdesk.storage").error("读取失败：参数 ['张三', '13800000000']")
    assert cli.main(["list", "--db", str(_damaged_db(tmp_path))]) == cli.EXIT_INPUT
    err = capfd.readouterr().err
    assert err.startswith("perfdesk：") and len(err.splitlines()) == 1, err
    assert "Logging error" not in err and "张三" not in err
    assert handler.failures > failures


def test_a_log_rotation_refused_while_another_process_holds_the_file_is_no_error(
    log_dir: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows: the window and a command share perfdesk.log; renaming it while the other has it
    open fails (WinError 32), and every later log call printed "--- Logging error ---"."""
    path = logging_setup.setup_logging()
    assert path is not None
    handler = logging_setup._handler
    assert isinstance(handler, logging_setup.QuietRotatingFileHandler)
    handler.maxBytes = 2000
    real_rename = os.rename

    def held_by_the_other_process(src: str, dst: str) -> None:
        if Path(src) == path:
            exc = PermissionError(13, "The process cannot access the file")
            exc.winerror = 32  # type: ignore[attr-defined]
            raise exc
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", held_by_the_other_process)
    log = logging.getLogger("perfdesk.test")
    for n in range(100):
        log.warning("第 %d 条记录 %s", n, "内容" * 20)
    handler.flush()
    assert capfd.readouterr().err == ""
    text = path.read_text(encoding="utf-8")
    assert "第 0 条记录" in text and "第 99 条记录" in text, "records were lost"

    monkeypatch.setattr(os, "rename", real_rename)  # the other process has let go
    handler._rotate_after = 0.0  # (the pause before retrying has passed)
    log.warning("轮换之后")
    handler.flush()
    assert path.with_name("perfdesk.log.1").exists()
    assert "轮换之后" in path.read_text(encoding="utf-8")
    assert capfd.readouterr().err == ""


def test_without_a_log_folder_nothing_is_printed_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("PERFDESK_LOG_DIR", str(blocker / "logs"))
    for name in logging_setup.LOGGERS:  # as in a fresh process
        monkeypatch.setattr(logging.getLogger(name), "handlers", [])
    assert logging_setup.setup_logging() is None
    logging.getLogger("perfdesk.storage.backup").warning("daily backup failed: 张三的报告")
    assert capfd.readouterr().err == ""


def test_an_internal_error_shows_neither_a_traceback_nor_the_clerks_data(
    log_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from perfdesk import cli
    from perfdesk.cli import reports

    def broken(args: object) -> int:
        raise RuntimeError("UPDATE report SET preparer=? [parameters: ('张三', '13800000000')]")

    monkeypatch.setitem(reports.COMMANDS, "list", (reports.COMMANDS["list"][0], broken))
    assert cli.main(["list", "--db", str(tmp_path / "a.db")]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("perfdesk：内部错误（RuntimeError），操作未完成")
    assert str(log_dir / "perfdesk.log") in err
    assert "张三" not in err and "Traceback" not in err and len(err.splitlines()) == 1
    logging_setup.teardown_logging()
    assert "张三" in (log_dir / "perfdesk.log").read_text(encoding="utf-8")  # for the maintainer

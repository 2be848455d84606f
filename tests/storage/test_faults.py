"""Faults while working: a commit that fails is reported as not saved, the file stays consistent,
and the workspace goes on working once the cause is gone. Unhandled exceptions are logged.
"""

from __future__ import annotations

import logging
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

"""Crash test: a process making edits is killed with SIGKILL at random points, again and again.

Afterwards the file passes ``PRAGMA integrity_check``, every edit the child reported as committed
before it died is in the file, a pasted block is there whole or not at all, every backup listed is
sound, and the lock the dead process held is taken over. (SIGKILL leaves the OS page cache intact,
so this tests the program's transactions, journal recovery and locking — not the disk's honesty
about fsync, which ``synchronous=FULL`` is for.)
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.domain.templates import new_report
from perfdesk.errors import NeedsRecovery
from perfdesk.services import Workspace
from perfdesk.storage.backup import list_backups, verify
from perfdesk.storage.lock import lock_path_for

pytestmark = pytest.mark.slow  # long: skipped by the quick command, run by CI

ROUNDS = 60
CHILD = Path(__file__).with_name("crash_child.py")
REPO = Path(__file__).resolve().parents[2]


class Child:
    """A running child process whose stdout lines arrive on a queue."""

    def __init__(self, args: list[str]) -> None:
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
        )
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _pump_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def next_line(self, timeout: float = 30) -> str | None:
        return self.lines.get(timeout=timeout)

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()


class Ledger:
    """What the children reported as committed."""

    def __init__(self) -> None:
        self.inserted: set[str] = set()
        self.pasted: set[str] = set()
        self.max_amount = 0
        self.edits = 0
        self.backups = 0

    def record(self, line: str) -> None:
        kind, _, value = line.partition(" ")
        if kind == "insert":
            self.inserted.add(value)
        elif kind == "paste":
            self.pasted.add(value)
        elif kind == "amount":
            self.max_amount = max(self.max_amount, int(value))
        elif kind == "backup":
            self.backups += 1
        elif kind != "text":
            raise AssertionError(f"unexpected line from the child: {line!r}")
        self.edits += 1


def _kill_delay(rng: random.Random) -> float:
    # Mostly mid-editing, sometimes during the opening (lock, journal recovery, quick_check).
    return rng.choice([0.0, 0.005, 0.02]) if rng.random() < 0.15 else rng.uniform(0.03, 0.35)


def _rounds_with_fork(db: Path, rng: random.Random, ledger: Ledger) -> int:
    zygote = Child([str(db), "zygote"])
    assert zygote.next_line() == "ready", "".join(zygote.stderr)
    try:
        for round_no in range(1, ROUNDS + 1):
            zygote.send(f"go {round_no}")
            line = zygote.next_line()
            assert line and line.startswith("pid "), (line, "".join(zygote.stderr))
            pid = int(line.split()[1])
            time.sleep(_kill_delay(rng))
            os.kill(pid, signal.SIGKILL)
            while True:
                line = zygote.next_line()
                assert line is not None, "".join(zygote.stderr)
                if line == f"reaped {pid}":
                    break
                ledger.record(line)
        zygote.send("quit")
        zygote.proc.wait(timeout=30)
    finally:
        if zygote.proc.poll() is None:
            zygote.proc.kill()
    return ROUNDS


def _rounds_with_spawn(db: Path, rng: random.Random, ledger: Ledger) -> int:
    for round_no in range(1, ROUNDS + 1):
        child = Child([str(db), "worker", str(round_no)])
        time.sleep(0.4 + _kill_delay(rng))  # Python's start-up first
        child.proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        child.proc.wait(timeout=30)
        while (line := child.next_line()) is not None:
            ledger.record(line)
    return ROUNDS


def test_edits_reported_committed_survive_sigkill_at_random_points(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    ws = Workspace.open(db)
    ws.add_report(new_report("崩溃测试单位", 2024))
    ws.close()

    rng = random.Random(int(os.environ.get("PERFDESK_CRASH_SEED", "20241017")))
    ledger = Ledger()
    run = _rounds_with_fork if hasattr(os, "fork") else _rounds_with_spawn
    rounds = run(db, rng, ledger)

    assert rounds >= 50
    # The children must really have been killed while working, not before they began.
    assert ledger.edits > rounds * 3, ledger.edits
    assert lock_path_for(db).exists(), "a killed writer cannot have removed its lock file"

    # A dead writer's lock is free: the next writer takes it over (and recovers any hot journal).
    ws = Workspace.open(db)
    try:
        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
            texts = {t for (t,) in con.execute("SELECT text FROM note WHERE rule = 'crash'")}
            pasted = [t for (t,) in con.execute("SELECT text FROM note WHERE rule = 'crash-paste'")]
            positions = [p for (p,) in con.execute("SELECT position FROM note ORDER BY position")]
        finally:
            con.close()
        missing = ledger.inserted - texts
        assert not missing, f"edits reported committed but lost: {sorted(missing)[:10]}"
        groups: dict[str, int] = {}
        for text in pasted:
            groups[text.rsplit("/", 1)[0]] = groups.get(text.rsplit("/", 1)[0], 0) + 1
        assert set(groups.values()) <= {3}, "a pasted block was saved in part"
        assert ledger.pasted <= set(groups), "a pasted block reported committed is missing"
        assert positions == list(range(len(positions))), "row order was left inconsistent"

        report = ws.load(ws.resolve_report_id(None))
        assert report.personnel_expense is not None
        assert report.personnel_expense >= Decimal(ledger.max_amount) / 100
    finally:
        ws.close()

    for backup in list_backups(db):
        verify(backup.path)  # only verified backups ever get a backup's name


SPILLER = """
import sqlite3, sys

con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA cache_size = 2")  # a tiny cache: changed pages reach the file before commit
con.execute("BEGIN")
con.execute("UPDATE note SET text = text || ?", ("半截修改" * 100,))
print("ready", flush=True)
sys.stdin.readline()
"""


def test_a_transaction_cut_off_mid_write_is_rolled_back_on_the_next_open(tmp_path: Path) -> None:
    db = tmp_path / "perfdesk.db"
    ws = Workspace.open(db)
    rid = ws.add_report(new_report("崩溃测试单位", 2024))
    ws.insert_many(
        "note",
        {"report_id": rid},
        0,
        [{"rule": "", "place": "", "text": f"第{i}条"} for i in range(1500)],
    )
    expected = ws.load(rid)
    ws.close()
    committed = db.read_bytes()

    child = subprocess.Popen(
        [sys.executable, "-c", SPILLER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    child.kill()
    child.wait(timeout=30)
    journal = db.with_name(db.name + "-journal")
    assert journal.exists() and db.read_bytes() != committed, "the child must have died mid-write"

    # A reader cannot roll the journal back: it says so and changes nothing.
    with pytest.raises(NeedsRecovery, match="上次未正常关闭"):
        Workspace.open(db, readonly=True)
    assert journal.exists()

    ws = Workspace.open(db)  # the writer's check rolls the half-written transaction back
    try:
        assert ws.load(rid) == expected
    finally:
        ws.close()
    assert not journal.exists()
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()

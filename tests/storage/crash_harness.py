"""The crash harness: a process editing through the services is killed at random points, round
after round, and what it reported as committed is checked against the file.

Used by ``tests/storage/test_crash.py`` (a short run in every test run) and by
``tests/benchmarks/crash_rounds.py`` (1,000 rounds, printing the figures). Each round a worker
(``crash_child.py``) opens the database — lock, leftovers, journal recovery, quick_check, the
daily backup — and edits until it is killed with SIGKILL (TerminateProcess on Windows) after a
random delay: mostly while editing, sometimes during the opening. Every line the worker printed
before it died is an edit it saw committed (or a backup it saw verified).

With ``check_every=N`` the file is checked every N rounds the way perfdesk opens it (the writer's
open recovers a hot journal, removes leftovers), then ``PRAGMA integrity_check`` and every
reported edit looked up; otherwise once at the end. (SIGKILL leaves the OS page cache intact, so
this tests the program's transactions, journal recovery and locking — not the disk's honesty about
fsync, which ``synchronous=FULL`` is for.)
"""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from perfdesk.domain.templates import new_report
from perfdesk.services import Workspace
from perfdesk.storage.backup import backup_dir, list_backups, verify

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


_TAG = re.compile(r"r(\d+)-e(\d+)")


def _order(tag: str) -> tuple[int, int]:
    match = _TAG.search(tag)
    assert match, tag
    return int(match.group(1)), int(match.group(2))


class Ledger:
    """What the children reported as committed."""

    def __init__(self) -> None:
        self.inserted: set[str] = set()
        self.pasted: set[str] = set()
        self.max_amount = 0
        self.last_text: str | None = None
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
        elif kind == "text":
            if self.last_text is None or _order(value) > _order(self.last_text):
                self.last_text = value
        elif kind == "backup":
            self.backups += 1
            return
        elif kind == "opened":
            return
        else:
            raise AssertionError(f"unexpected line from the child: {line!r}")
        self.edits += 1


@dataclass
class Figures:
    """What a run found."""

    rounds: int = 0
    edits_committed: int = 0
    """Edits the workers reported committed (each checked against the file)."""
    edits_lost: int = 0
    integrity_failures: int = 0
    checks: int = 0
    backups_made: int = 0
    backups_unsound: int = 0
    leftovers_after_open: int = 0
    """Half-written backups or temporary files still there after a writer's open."""
    lost: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def prepare(db: Path) -> None:
    ws = Workspace.open(db)
    ws.add_report(new_report("崩溃测试单位", 2024))
    ws.close()


def _kill_plan(rng: random.Random) -> tuple[bool, float]:
    """(during the opening?, delay): 15 % of kills within the first 20 ms of the worker's life
    (the lock, journal recovery, quick_check, leftovers, the daily backup), the rest at a random
    moment 0–0.35 s after it reported the workspace open — timed from there so that a loaded
    machine, slow to start a worker, still kills mid-editing."""
    if rng.random() < 0.15:
        return True, rng.choice([0.0, 0.005, 0.02])
    return False, rng.uniform(0.0, 0.35)


def check(db: Path, ledger: Ledger, figures: Figures) -> None:
    """Open as perfdesk does, then look: integrity, every reported edit, no leftovers."""
    figures.checks += 1
    ws = Workspace.open(db)  # the writer's open: takes over the dead lock, recovers, cleans up
    try:
        leftovers = [
            p.name
            for folder in (db.parent, backup_dir(db))
            if folder.is_dir()
            for p in folder.iterdir()
            if ".partial" in p.name or p.name.endswith((".tmp", ".tmp-journal"))
        ]
        figures.leftovers_after_open += len(leftovers)
        if leftovers:
            figures.problems.append(f"left over after an open: {leftovers}")
        con = sqlite3.connect(db)
        try:
            integrity = con.execute("PRAGMA integrity_check").fetchall()
            fk = con.execute("PRAGMA foreign_key_check").fetchall()
            texts = {t for (t,) in con.execute("SELECT text FROM note WHERE rule = 'crash'")}
            pasted = [t for (t,) in con.execute("SELECT text FROM note WHERE rule = 'crash-paste'")]
            positions = [p for (p,) in con.execute("SELECT position FROM note ORDER BY position")]
        finally:
            con.close()
        if integrity != [("ok",)] or fk:
            figures.integrity_failures += 1
            figures.problems.append(f"integrity {integrity[:3]}, foreign keys {fk[:3]}")
        groups: dict[str, int] = {}
        for text in pasted:
            groups[text.rsplit("/", 1)[0]] = groups.get(text.rsplit("/", 1)[0], 0) + 1
        if not set(groups.values()) <= {3}:
            figures.problems.append("a pasted block was saved in part")
        if positions != list(range(len(positions))):
            figures.problems.append("row order was left inconsistent")
        lost = sorted(ledger.inserted - texts) + sorted(ledger.pasted - set(groups))
        report = ws.load(ws.resolve_report_id(None))
        if ledger.max_amount and (
            report.personnel_expense is None
            or report.personnel_expense < Decimal(ledger.max_amount) / 100
        ):
            lost.append(f"amount {ledger.max_amount}")
        if ledger.last_text is not None and (
            not _TAG.search(report.goal_actual)
            or _order(report.goal_actual) < _order(ledger.last_text)
        ):
            lost.append(f"text {ledger.last_text}")
        new = [x for x in lost if x not in figures.lost]
        figures.lost += new
        figures.edits_lost = len(figures.lost)
    finally:
        ws.close()
    for b in list_backups(db):
        try:
            verify(b.path)  # only verified backups ever get a backup's name
        except Exception as exc:  # noqa: BLE001 - counted, not raised: the figures say it
            figures.backups_unsound += 1
            figures.problems.append(f"backup {b.name}: {exc}")


def _with_fork(db: Path, rounds: int, rng: random.Random, on_round) -> None:  # noqa: ANN001
    zygote = Child([str(db), "zygote"])
    assert zygote.next_line() == "ready", "".join(zygote.stderr)
    try:
        for round_no in range(1, rounds + 1):
            zygote.send(f"go {round_no}")
            line = zygote.next_line()
            assert line and line.startswith("pid "), (line, "".join(zygote.stderr))
            pid = int(line.split()[1])
            opening, delay = _kill_plan(rng)
            lines = []
            if not opening:
                while (line := zygote.next_line()) != "opened":
                    assert line is not None and not line.startswith("reaped"), (
                        line,
                        "".join(zygote.stderr),
                    )
                    lines.append(line)
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            while True:
                line = zygote.next_line()
                assert line is not None, "".join(zygote.stderr)
                if line == f"reaped {pid}":
                    break
                lines.append(line)
            on_round(round_no, lines)
        zygote.send("quit")
        zygote.proc.wait(timeout=30)
    finally:
        if zygote.proc.poll() is None:
            zygote.proc.kill()


def _with_spawn(db: Path, rounds: int, rng: random.Random, on_round) -> None:  # noqa: ANN001
    for round_no in range(1, rounds + 1):
        child = Child([str(db), "worker", str(round_no)])
        opening, delay = _kill_plan(rng)
        lines = []
        if not opening:
            while (line := child.next_line(timeout=60)) not in ("opened", None):
                lines.append(line)
        time.sleep(delay + (0.4 if opening else 0.0))  # Python's start-up first
        child.proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        child.proc.wait(timeout=30)
        while (line := child.next_line()) is not None:
            lines.append(line)
        on_round(round_no, lines)


def run_rounds(
    db: Path,
    rounds: int,
    *,
    seed: int = 20241017,
    check_every: int | None = None,
    progress=None,  # noqa: ANN001 - called with (round, figures) after each check
) -> Figures:
    """Kill a worker ``rounds`` times; check every ``check_every`` rounds and at the end."""
    rng = random.Random(seed)
    ledger = Ledger()
    figures = Figures()

    def on_round(round_no: int, lines: list[str]) -> None:
        for line in lines:
            ledger.record(line)
        figures.rounds = round_no
        figures.edits_committed = ledger.edits
        figures.backups_made = ledger.backups
        if check_every and round_no % check_every == 0 and round_no != rounds:
            check(db, ledger, figures)
            if progress is not None:
                progress(round_no, figures)

    run = _with_fork if hasattr(os, "fork") else _with_spawn
    run(db, rounds, rng, on_round)
    check(db, ledger, figures)
    if progress is not None:
        progress(rounds, figures)
    return figures

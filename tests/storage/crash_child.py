"""The process the crash test kills: scripted edits through the services, each reported once committed.

Run as ``python crash_child.py DB worker ROUND`` it opens the workspace and edits until it is
killed, printing one line per committed edit (flushed, one ``write`` each, so a line is either
wholly in the pipe or not at all):

- ``insert TAG`` — a note with text TAG was inserted;
- ``paste TAG`` — three notes TAG/0, TAG/1, TAG/2 were inserted in one transaction;
- ``amount N`` — the report's 人员经费 was set to N 万元 (N grows, so the last one reported is
  the lowest value the file may hold);
- ``backup`` — a manual backup was made and verified;
- ``opened`` — the workspace is open (the harness times most kills from here).

Run as ``python crash_child.py DB zygote`` it imports everything once and then, for every line
``go ROUND`` on stdin, forks a worker and reports ``pid N`` and, when the worker is dead,
``reaped N``: killing a forked worker is the same SIGKILL as killing a fresh process, without
paying Python's start-up for each of the fifty-odd rounds.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal

from perfdesk.services import Workspace

NOTE_SCOPE_KEYS = ("report_id",)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def worker(db: str, round_no: int) -> None:
    ws = Workspace.open(db)
    rid = ws.resolve_report_id(None)
    say("opened")
    scope = {"report_id": rid}
    i = 0
    while True:
        i += 1
        tag = f"r{round_no}-e{i}"
        step = i % 10
        if step in (1, 3, 5, 7):
            ws.insert("note", scope, None, {"rule": "crash", "place": "", "text": tag})
            say(f"insert {tag}")
        elif step in (2, 6, 9):
            amount = round_no * 100000 + i
            ws.update("report", rid, {"personnel_expense": Decimal(amount) / 100})
            say(f"amount {amount}")
        elif step in (4, 8):
            rows = [{"rule": "crash-paste", "place": "", "text": f"{tag}/{k}"} for k in range(3)]
            ws.insert_many("note", scope, 0, rows)
            say(f"paste {tag}")
        elif i % 30 == 0:
            ws.backup_now()
            say("backup")
        else:
            ws.update("report", rid, {"goal_actual": f"目标完成情况 {tag}" * 20})
            say(f"text {tag}")


def zygote(db: str) -> None:
    from sqlalchemy.orm import configure_mappers

    import perfdesk.storage.repository  # noqa: F401 - the ORM edits need (services import it lazily)

    configure_mappers()  # once here, not in every worker: more of each round is spent editing
    say("ready")
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "quit":
            return
        round_no = int(command[1])
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                worker(db, round_no)
            finally:
                os._exit(1)
        say(f"pid {pid}")
        os.waitpid(pid, 0)
        say(f"reaped {pid}")


if __name__ == "__main__":
    db_arg, mode = sys.argv[1], sys.argv[2]
    if mode == "zygote":
        zygote(db_arg)
    else:
        worker(db_arg, int(sys.argv[3]))

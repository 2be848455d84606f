"""Benchmark: 1,000 rounds of SIGKILL at random points while editing (figures, not a test).

Run from the repository root::

    python tests/benchmarks/crash_rounds.py [--rounds 1000] [--seed 20241017] [--check-every 10]
                                            [--dir FOLDER]

Each round a worker process opens the database and edits through the services — inserting notes,
pasting blocks of three, setting an amount, rewriting a paragraph, now and then a manual backup —
printing each edit once it is committed, until it is killed (SIGKILL on POSIX, TerminateProcess on
Windows) after a random delay. Every ``--check-every`` rounds and at the end the file is opened as
perfdesk opens it and checked: ``PRAGMA integrity_check`` and foreign keys, every reported edit
present, pasted blocks whole, every backup verified, no half-written backup or temporary file left.
It prints rounds, edits reported committed, edits lost and integrity failures.

The harness is :mod:`tests.storage.crash_harness` (the test suite runs 60 rounds of it). SIGKILL
leaves the operating system's page cache intact: this measures the program's transactions,
journal recovery, locking and clean-up — not a disk that lies about fsync, nor a power cut.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.storage.crash_harness import Figures, prepare, run_rounds  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20241017)
    parser.add_argument("--check-every", type=int, default=10)
    parser.add_argument("--dir", type=Path, default=None, help="folder for the database")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        db = Path(folder) / "crash.db"
        prepare(db)
        started = time.perf_counter()

        def progress(round_no: int, figures: Figures) -> None:
            if round_no % 100 == 0 or round_no == args.rounds:
                print(
                    f"  … {round_no} rounds, {figures.edits_committed} edits, "
                    f"{figures.edits_lost} lost, {figures.integrity_failures} integrity failures "
                    f"({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )

        figures = run_rounds(
            db, args.rounds, seed=args.seed, check_every=args.check_every, progress=progress
        )
        elapsed = time.perf_counter() - started
    print(f"rounds:                    {figures.rounds}")
    print(f"edits reported committed:  {figures.edits_committed}")
    print(f"edits lost:                {figures.edits_lost}")
    print(f"integrity failures:        {figures.integrity_failures} (in {figures.checks} checks)")
    print(f"backups made while killed: {figures.backups_made}, unsound: {figures.backups_unsound}")
    print(f"leftovers after an open:   {figures.leftovers_after_open}")
    print(f"time:                      {elapsed:.0f} s (seed {args.seed})")
    for problem in figures.problems[:20]:
        print(f"problem: {problem}")
    if figures.lost:
        print(f"lost: {figures.lost[:20]}")
    return 0 if not (figures.edits_lost or figures.integrity_failures or figures.problems) else 1


if __name__ == "__main__":
    sys.exit(main())

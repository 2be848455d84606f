"""Benchmark: how long one edit takes to commit with ``synchronous=FULL`` (a figure, not a test).

Run from the repository root::

    python tests/benchmarks/bench_commit.py [--edits 300] [--dir FOLDER]

It opens a workspace holding one report (the sample when it is there, else a template report) and
times ``Workspace.update`` — one cell, one transaction, committed and on the disk —, the same
through ``Workspace.edit`` (which the window calls: it returns the change to apply to its
snapshot) and, for comparison, ``insert`` of one row and ``insert_many`` of a pasted block of 20
rows. It prints p50, p90, p99 and max in milliseconds. ``--dir`` picks the disk to measure (the default is a temporary
folder, which may be on a RAM disk on some systems: use a folder on the clerk's kind of disk).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from perfdesk.services import Workspace  # noqa: E402


def _report():
    try:
        from perfdesk.sample import load_sample

        return load_sample()
    except OSError:
        from perfdesk.domain.templates import new_report

        return new_report("基准测试单位", 2024)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _line(name: str, ns: list[int]) -> str:
    ms = [n / 1e6 for n in ns]
    return (
        f"{name:<28} n={len(ms):<5} p50={_percentile(ms, 0.50):7.2f} ms  p90={_percentile(ms, 0.90):7.2f} ms  "
        f"p99={_percentile(ms, 0.99):7.2f} ms  max={max(ms):7.2f} ms  mean={statistics.fmean(ms):7.2f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        ws = Workspace.open(Path(folder) / "bench.db")
        try:
            rid = ws.add_report(_report())
            with ws.db.engine.connect() as c:
                sync = c.exec_driver_sql("PRAGMA synchronous").scalar()
                journal = c.exec_driver_sql("PRAGMA journal_mode").scalar()
            print(f"database: {ws.path}  synchronous={sync} (2 = FULL)  journal_mode={journal}")

            update, edit, insert, paste = [], [], [], []
            for i in range(args.edits):
                t = time.perf_counter_ns()
                ws.update("report", rid, {"personnel_expense": Decimal(i) / 100})
                update.append(time.perf_counter_ns() - t)
            for i in range(args.edits):  # what the window calls: the change comes back with it
                t = time.perf_counter_ns()
                ws.edit("report", rid, {"personnel_expense": Decimal(i) / 100 + 1})
                edit.append(time.perf_counter_ns() - t)
            for i in range(max(1, args.edits // 3)):
                t = time.perf_counter_ns()
                ws.insert(
                    "note", {"report_id": rid}, None, {"rule": "bench", "place": "", "text": str(i)}
                )
                insert.append(time.perf_counter_ns() - t)
            rows = [{"rule": "bench", "place": "", "text": f"行 {k}"} for k in range(20)]
            for _ in range(max(1, args.edits // 10)):
                t = time.perf_counter_ns()
                ws.insert_many("note", {"report_id": rid}, 0, rows)
                paste.append(time.perf_counter_ns() - t)
        finally:
            ws.close()
    print(_line("update one cell (commit)", update))
    print(_line("edit one cell (commit+change)", edit))
    print(_line("insert one row (commit)", insert))
    print(_line("paste 20 rows (commit)", paste))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the Excel and Word exchange: prints figures, passes or fails nothing.

Run from the repository root::

    python tests/benchmarks/bench_office.py

- the sample report → .xlsx and → .docx in a warm process (target ≤ 0.5 s each);
- an indicator sheet of 1,000 rows in the budget system's shape (target ≤ 1 s to read, compare
  and store): once into a report whose table is empty (1,000 rows added), once against a report
  that already has the 1,000 indicators (every row matched, 1,000 values changed);
- perfdesk's own workbook of a stress report (200 project forms, 1,000 indicator rows) read back.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from perfdesk.domain.templates import new_report  # noqa: E402
from perfdesk.office.docx_export import docx_bytes  # noqa: E402
from perfdesk.office.xlsx_export import xlsx_bytes  # noqa: E402
from perfdesk.office.xlsx_import import read_workbook  # noqa: E402
from perfdesk.sample import load_sample  # noqa: E402
from perfdesk.services import Workspace  # noqa: E402
from tests.report.factory import stress_report  # noqa: E402


def _median(fn: Callable[[], object], runs: int = 5) -> float:
    fn()  # warm: imports, first-use caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _indicator_sheet(rows: int, actual: bool) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效目标"
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"])
    level2 = ["数量指标", "质量指标", "时效指标", "成本指标"]
    for i in range(rows):
        ws.append(
            [
                "产出指标",
                level2[i % 4],
                f"指标{i:04d}",
                f"≥{90 + i % 10}%",
                f"{95 + i % 5}%" if actual else None,
                0.1,
                0.1 if actual else None,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(ws: Workspace, rid: int, data: bytes) -> tuple[float, int]:
    start = time.perf_counter()
    report = ws.load(rid)
    plan = read_workbook(data, report, name="bench.xlsx")
    ws.apply_changes(plan.edits(ws.fixed_row_ids(rid)), plan.inserts())
    return time.perf_counter() - start, len(plan.changes)


def main() -> None:
    sample = load_sample()
    print(f"示例报告 → .xlsx（热进程，中位数）：{_median(lambda: xlsx_bytes(sample)):.3f} s")
    print(f"示例报告 → .docx（热进程，中位数）：{_median(lambda: docx_bytes(sample)):.3f} s")

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "bench.db")
        rid = ws.add_report(new_report("测试单位", 2024))
        ws.ensure_fixed_rows(rid)
        targets = _indicator_sheet(1000, actual=False)
        seconds, changes = _import(ws, rid, targets)
        print(f"1,000 行指标表导入空表（新增 1,000 行，{changes} 处）：{seconds:.3f} s")
        seconds, changes = _import(ws, rid, _indicator_sheet(1000, actual=True))
        print(f"1,000 行指标表导入已有指标（逐行匹配，{changes} 处修改）：{seconds:.3f} s")

        stress = stress_report(200, 5)
        sid = ws.add_report(stress)
        ws.ensure_fixed_rows(sid)
        data = xlsx_bytes(ws.load(sid))
        start = time.perf_counter()
        plan = read_workbook(data, ws.load(sid), name="stress.xlsx")
        print(
            f"自身工作簿读回（200 张附件3、1,000 行指标，{len(data) // 1024} KB）："
            f"{time.perf_counter() - start:.3f} s，{len(plan.changes)} 处修改"
        )
        ws.close()


if __name__ == "__main__":
    main()

"""Benchmark of the printout: prints figures, passes or fails nothing (pytest does not collect it).

Run from the repository root::

    python tests/benchmarks/bench_pdf.py

- the sample report: time of a warm build (fonts already loaded in the process; target ≤ 0.5 s)
  and file size (target ≤ 1 MB, thanks to embedded subsets);
- a generated stress report of 200 projects × 5 indicator rows (1,000 rows, target ≤ 5 s; issue
  16: ≤ 1.0 s) at 1×, 2×, 4× and 8× its size, to show that time grows linearly with the rows
  (issue 16: 8× at most 8.5 times the 1×; the last column).

Builds use the shipped fonts, as on a PC without 仿宋/黑体/楷体 — the larger case (the shipped
明体 has more complex outlines than Windows' 仿宋).
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from perfdesk.domain.model import Report  # noqa: E402
from perfdesk.report import build_pdf, shipped_fonts  # noqa: E402
from tests.report.factory import filled_report, stress_report  # noqa: E402


def _sample() -> tuple[str, Report]:
    try:
        from perfdesk.sample import load_sample

        return "示例报告（2024年株洲市芦淞区民政局）", load_sample()
    except (ImportError, FileNotFoundError):
        return "测试报告（示例报告未随本分支提供）", filled_report()


def _time(report: Report, runs: int) -> tuple[float, int, int]:
    fonts = shipped_fonts()
    times = []
    size = pages = 0
    for _ in range(runs):
        out = io.BytesIO()
        start = time.perf_counter()
        info = build_pdf(report, out, fonts=fonts)
        times.append(time.perf_counter() - start)
        size, pages = len(out.getvalue()), info.page_count
    return statistics.median(times), pages, size


def _fitting_share(report: Report, runs: int) -> tuple[float, float]:
    """Median build time and the part of it spent fitting table columns (Form.column_widths)."""
    from perfdesk.report import tables

    fonts = shipped_fonts()
    original = tables.Form.column_widths
    spent = [0.0]

    def timed(self, blocks):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return original(self, blocks)
        finally:
            spent[0] += time.perf_counter() - start

    builds, fits = [], []
    tables.Form.column_widths = timed  # type: ignore[method-assign]
    try:
        for _ in range(runs):
            spent[0] = 0.0
            start = time.perf_counter()
            build_pdf(report, io.BytesIO(), fonts=fonts)
            builds.append(time.perf_counter() - start)
            fits.append(spent[0])
    finally:
        tables.Form.column_widths = original  # type: ignore[method-assign]
    return statistics.median(builds), statistics.median(fits)


def main() -> None:
    start = time.perf_counter()
    fonts = shipped_fonts()
    print(f"字体载入（冷启动一次）：{time.perf_counter() - start:.3f} s")
    name, sample = _sample()
    start = time.perf_counter()
    build_pdf(sample, io.BytesIO(), fonts=fonts)
    print(f"{name} 首次生成：{time.perf_counter() - start:.3f} s")
    seconds, pages, size = _time(sample, 7)
    print(
        f"{name} 热进程生成（7 次中位数）：{seconds:.3f} s，{pages} 页，{size / 1024:.0f} KB（目标 ≤ 0.5 s、≤ 1 MB）"
    )
    build, fit = _fitting_share(sample, 7)
    print(
        f"{name} 其中列宽拟合：{fit * 1000:.1f} ms / {build * 1000:.0f} ms（{fit / build:.1%}；目标 ≤ 10%）"
    )
    print()
    print("压力测试：每个项目一张附件3，5 行指标")
    print(
        f"{'倍数':<4}{'项目':>6}{'指标行':>8}{'页数':>7}{'大小 KB':>10}{'时间 s':>9}{'每千行 s':>10}{'为 1× 的倍数':>12}"
    )
    base = 200
    first = 0.0
    for factor in (1, 2, 4, 8):
        n = base * factor
        report = stress_report(n, 5)
        seconds, pages, size = _time(report, 5 if factor == 1 else 3 if factor < 4 else 1)
        first = first or seconds
        rows = n * 5
        print(
            f"{factor}×{n:>8}{rows:>8}{pages:>7}{size / 1024:>10.0f}{seconds:>9.2f}"
            f"{seconds / rows * 1000:>10.2f}{seconds / first:>12.2f}"
        )


if __name__ == "__main__":
    main()

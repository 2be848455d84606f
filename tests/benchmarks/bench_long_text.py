"""Benchmark: the printout of the longest texts perfdesk accepts (a figure, not a test).

Run from the repository root::

    python tests/benchmarks/bench_long_text.py [--sizes 25000,50000,100000,200000] [--field narrative]

A text field may hold up to 200,000 characters (:data:`perfdesk.domain.limits.MAX_TEXT_CHARS`;
the exchange reader and the services refuse more). This builds the PDF of a report whose one field
holds N characters of ordinary Chinese prose (sentences with punctuation, paragraphs every ~300
characters) for growing N and prints seconds, pages and seconds per 10,000 characters: linear
means the last column stays flat.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from perfdesk.domain.templates import new_project, new_report  # noqa: E402
from perfdesk.report import build_pdf  # noqa: E402

SENTENCE = "本年度项目资金严格按照预算执行，各项绩效目标基本完成，群众满意度较上年有所提高。"


def prose(chars: int) -> str:
    parts, size = [], 0
    while size < chars:
        paragraph = SENTENCE * 8
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts)[:chars]


def report_with(field: str, chars: int):  # noqa: ANN201
    report = new_report("基准测试单位", 2024)
    project = new_project("长文本项目")
    report.projects = [project]
    text = prose(chars)
    if field == "narrative":
        project.narrative = text
    elif field == "section":
        report.sections[1].text = text
    else:
        setattr(report, field, text)
    return report


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="25000,50000,100000,200000")
    parser.add_argument("--field", default="narrative", help="narrative | section | goal_actual")
    args = parser.parse_args()
    build_pdf(report_with(args.field, 100), io.BytesIO())  # fonts loaded once, not timed
    print(f"field: {args.field}")
    print(f"{'characters':>10}  {'seconds':>8}  {'pages':>5}  {'s per 10k chars':>15}")
    for chars in (int(s) for s in args.sizes.split(",")):
        report = report_with(args.field, chars)
        started = time.perf_counter()
        info = build_pdf(report, io.BytesIO())
        elapsed = time.perf_counter() - started
        print(
            f"{chars:>10}  {elapsed:>8.2f}  {info.page_count:>5}  {elapsed / chars * 10000:>15.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

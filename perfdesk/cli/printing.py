"""``perfdesk pdf [--report ID] [--final] -o OUT.pdf``: print a report from the database.

The file is written through a temporary file (:func:`perfdesk.report.write_pdf_atomic`), so a PDF
open in a viewer or a read-only file is reported in one Chinese line and left as it was.

While the 审核 has 错误 that are neither fixed nor explained, the PDF is a draft (every page
marked 审核未通过 · 草稿) and stderr says how many are open; ``--final`` refuses then, naming them,
and writes nothing (exit 1, as ``perfdesk audit``). Last year's report of the same unit, when it
is in the database, is used for the 审核 across years.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from perfdesk.cli.common import EXIT_FINDINGS, EXIT_OK, add_report, workspace


def _pdf_arguments(p: argparse.ArgumentParser) -> None:
    add_report(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="输出的 PDF 文件")
    p.add_argument(
        "--final",
        action="store_true",
        help="打印正式版：审核还有未改正或未说明的错误时拒绝打印（不加此项时打印带“草稿”标记的 PDF）",
    )


def cmd_pdf(args: argparse.Namespace) -> int:
    from perfdesk.report import OpenErrors, write_pdf_atomic

    ws = workspace(args, reading=True)
    try:
        rid = ws.resolve_report_id(args.report)
        report = ws.load(rid)
        previous = ws.previous_report(report)
    finally:
        ws.close()
    out = Path(args.output)
    try:
        info = write_pdf_atomic(report, out, final=args.final, previous=previous)
    except OpenErrors as exc:
        for message in exc.errors:
            print(f"perfdesk：错误：{message}", file=sys.stderr)
        print(
            f"perfdesk：审核还有 {len(exc.errors)} 项错误未改正或说明，未生成正式版 PDF。"
            "请改正或添加说明（perfdesk audit 列出全部）；不加 --final 可生成草稿。",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    for line in info.warnings:
        level = "警告" if info.draft and line == info.warnings[0] else "提示"
        print(f"perfdesk：{level}：{line}", file=sys.stderr)
    kind = "草稿" if info.draft else "正式版"
    what = f"{report.year}年度 {report.unit_name}"
    if report.project_name:
        what += f" {report.project_name}项目支出绩效自评报告"
    print(f"已生成 PDF（{kind}）：{what}，共 {info.page_count} 页 → {out}")
    return EXIT_OK


COMMANDS = {"pdf": (_pdf_arguments, cmd_pdf)}

PRELOAD = {"pdf": ("perfdesk.services", "perfdesk.report")}
"""What ``pdf`` imports in any case, imported first with the garbage collector off
(:func:`perfdesk.cli._run_command`)."""

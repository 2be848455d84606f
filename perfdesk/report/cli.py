"""``perfdesk pdf [--db PATH] [--report ID] -o OUT.pdf``: print a report from the database.

Registered with :data:`perfdesk.cli.EXTRA_COMMANDS` when ``perfdesk.cli`` loads its extensions.
The file is written through a temporary file (:func:`~perfdesk.report.write_pdf_atomic`), so a PDF
open in a viewer or a read-only file is reported in one Chinese line and left as it was.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from perfdesk import cli


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("pdf", help="把一份报告打印为 PDF（自评报告正文及三个附件）")
    cli._add_db(p)
    cli._add_report(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="输出的 PDF 文件")
    p.set_defaults(func=cmd_pdf)


def cmd_pdf(args: argparse.Namespace) -> int:
    from perfdesk.report import write_pdf_atomic

    ws = cli._workspace(args, reading=True)
    try:
        rid = ws.resolve_report_id(args.report)
        report = ws.load(rid)
    finally:
        ws.close()
    out = Path(args.output)
    info = write_pdf_atomic(report, out)
    for line in info.warnings:
        print(f"perfdesk：提示：{line}", file=sys.stderr)
    print(f"已生成 PDF：{report.year}年度 {report.unit_name}，共 {info.page_count} 页 → {out}")
    return cli.EXIT_OK


if register not in cli.EXTRA_COMMANDS:
    cli.EXTRA_COMMANDS.append(register)

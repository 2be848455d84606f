"""``perfdesk pdf [--report ID] -o OUT.pdf``: print a report from the database.

The file is written through a temporary file (:func:`perfdesk.report.write_pdf_atomic`), so a PDF
open in a viewer or a read-only file is reported in one Chinese line and left as it was.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from perfdesk.cli.common import EXIT_OK, add_report, workspace


def _pdf_arguments(p: argparse.ArgumentParser) -> None:
    add_report(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="输出的 PDF 文件")


def cmd_pdf(args: argparse.Namespace) -> int:
    from perfdesk.report import write_pdf_atomic

    ws = workspace(args, reading=True)
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
    return EXIT_OK


COMMANDS = {"pdf": (_pdf_arguments, cmd_pdf)}

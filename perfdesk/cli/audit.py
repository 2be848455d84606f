"""``perfdesk audit [--report ID]``: the 审核 from the command line.

Prints one line per finding and a summary, and exits 1 when a 错误 has no 说明, 0 otherwise — so a
script can refuse to print such a report. Last year's report of the same unit, when it is in the
database, is used for the across-years rule.
"""

from __future__ import annotations

import argparse

from perfdesk.cli.common import EXIT_FINDINGS, EXIT_OK, add_report, workspace


def cmd_audit(args: argparse.Namespace) -> int:
    from perfdesk.domain.audit import Severity, audit, format_findings, unresolved_errors

    ws = workspace(args, reading=True)
    try:
        rid = ws.resolve_report_id(args.report)
        report = ws.load(rid)
        previous = ws.previous_report(report)
    finally:
        ws.close()

    findings = audit(report, previous)
    title = f"{report.year}年度 {report.unit_name}"
    if report.project_name:
        title += f" {report.project_name}项目"
    if not findings:
        print(f"审核完成：{title} 未发现问题。")
        return EXIT_OK
    print(format_findings(findings))
    errors = [f for f in findings if f.severity == Severity.ERROR]
    open_errors = unresolved_errors(findings)
    hints = len(findings) - len(errors)
    explained = sum(1 for f in findings if f.resolved_by is not None)
    print(
        f"审核完成：{title} 共 {len(findings)} 条（错误 {len(errors)} 条，其中未说明 {len(open_errors)} 条；"
        f"提示 {hints} 条；已说明 {explained} 条）。"
        + ("请改正或说明全部错误后再打印。" if open_errors else "")
    )
    return EXIT_FINDINGS if open_errors else EXIT_OK


COMMANDS = {"audit": (add_report, cmd_audit)}

PRELOAD = {"audit": ("perfdesk.services", "perfdesk.domain.audit")}
"""What every command here imports in any case (the services, so SQLAlchemy), imported first with
the garbage collector off (:func:`perfdesk.cli._run_command`)."""

"""``perfdesk sample | list | export | import``: reports in and out of the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from perfdesk.cli.common import EXIT_OK, CliError, add_report, integer, workspace


def _no_arguments(p: argparse.ArgumentParser) -> None:
    pass


def cmd_sample(args: argparse.Namespace) -> int:
    from perfdesk.sample import load_sample
    from perfdesk.services import DuplicateReport

    ws = workspace(args)
    try:
        report = load_sample()
        try:
            rid = ws.add_report(report)
        except DuplicateReport as exc:
            print(f"示例报告已在数据库中（编号 {exc.existing_id}），未重复载入。")
            return EXIT_OK
        print(f"已载入示例报告：编号 {rid}，{report.year}年度 {report.unit_name}（{ws.path}）")
        return EXIT_OK
    finally:
        ws.close()


def cmd_list(args: argparse.Namespace) -> int:
    ws = workspace(args, reading=True)
    try:
        reports = ws.list_reports()
        if not reports:
            print("数据库中还没有报告（可用 perfdesk sample 载入示例报告）。")
        for r in reports:
            kind = (
                f"项目：{r.project_name}" if r.kind == "project" else f"项目 {r.project_count} 个"
            )
            sample = "\t示例" if r.is_sample else ""
            print(f"{r.id}\t{r.year}年度\t{r.unit_name}\t{kind}{sample}")
        return EXIT_OK
    finally:
        ws.close()


def _export_arguments(p: argparse.ArgumentParser) -> None:
    add_report(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE.json", help="输出文件")


def cmd_export(args: argparse.Namespace) -> int:
    from perfdesk.exchange import jsonfile
    from perfdesk.files import write_atomic

    ws = workspace(args, reading=True)
    try:
        rid = ws.resolve_report_id(args.report)
        report = ws.load(rid)
    finally:
        ws.close()
    out = Path(args.output)
    write_atomic(out, jsonfile.dump_bytes(report))
    print(f"已导出：{report.year}年度 {report.unit_name} → {out}")
    return EXIT_OK


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.json", help="交换文件")
    p.add_argument("--replace", action="store_true", help="同一单位同一年度的报告已存在时替换它")


def cmd_import(args: argparse.Namespace) -> int:
    from perfdesk.exchange import jsonfile

    source = Path(args.file)
    try:
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise CliError(f"找不到交换文件“{source}”") from exc
    except IsADirectoryError as exc:
        raise CliError(f"“{source}”是一个文件夹，不是交换文件") from exc
    except OSError as exc:
        raise CliError(f"无法读取“{source}”：{exc.strerror or exc}") from exc
    from perfdesk.services import DuplicateReport

    report = jsonfile.loads(data)  # refused before the database is even opened
    ws = workspace(args)
    try:
        rid = ws.add_report(report, replace=args.replace)
    except DuplicateReport as exc:
        raise CliError(f"{exc}，未导入。如需用文件中的报告替换它，请加 --replace") from exc
    finally:
        ws.close()
    print(f"已导入：编号 {rid}，{report.year}年度 {report.unit_name}")
    return EXIT_OK


def _new_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unit", required=True, metavar="单位", help="单位名称")
    p.add_argument("--year", required=True, type=integer, metavar="年度", help="报告年度，如 2025")
    p.add_argument(
        "--kind",
        choices=("department", "project"),
        default="department",
        help="department：部门整体支出绩效自评报告（默认）；project：项目支出绩效自评报告",
    )
    p.add_argument("--name", metavar="项目名称", default="", help="项目支出绩效自评报告的项目名称")


def cmd_new(args: argparse.Namespace) -> int:
    from perfdesk.domain.model import ReportKind
    from perfdesk.services import DuplicateReport, describe_report

    kind = ReportKind(args.kind)
    if kind == ReportKind.PROJECT and not args.name.strip():
        raise CliError("新建项目支出绩效自评报告须用 --name 写明项目名称")
    ws = workspace(args)
    try:
        try:
            rid = ws.create_report(args.unit, args.year, kind=kind, project_name=args.name)
        except DuplicateReport as exc:
            raise CliError(f"{exc}，未新建（可用 perfdesk list 查看）") from exc
    finally:
        ws.close()
    print(
        f"已新建：编号 {rid}，{describe_report(args.unit.strip(), args.year, kind, args.name.strip())}"
    )
    return EXIT_OK


def _delete_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--report",
        required=True,
        type=integer,
        metavar="ID",
        help="要删除的报告编号（perfdesk list 可查看）",
    )


def cmd_delete(args: argparse.Namespace) -> int:
    from perfdesk.services import describe_report

    ws = workspace(args)
    try:
        rid = ws.resolve_report_id(args.report)
        report, backup = ws.delete_report(rid)
    finally:
        ws.close()
    print(
        f"已删除：编号 {rid}，{describe_report(report.unit_name, report.year, report.kind, report.project_name)}。"
        f"删除前已备份到“{backup.path}”；如需找回，可用 perfdesk restore 恢复这个备份"
        "（会替换整个数据库），或在程序窗口中用 文件 → 恢复备份。"
    )
    return EXIT_OK


def _rename_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--report", type=integer, metavar="ID", help="报告编号（库中只有一份时可省略）")
    p.add_argument("--unit", metavar="单位", help="改正后的单位名称")
    p.add_argument("--year", type=integer, metavar="年度", help="改正后的年度")


def cmd_rename(args: argparse.Namespace) -> int:
    from perfdesk.services import DuplicateReport, describe_report

    if args.unit is None and args.year is None:
        raise CliError("请用 --unit 和/或 --year 写明改正后的单位名称或年度")
    ws = workspace(args)
    try:
        rid = ws.resolve_report_id(args.report)
        try:
            ws.rename_report(rid, unit_name=args.unit, year=args.year)
        except DuplicateReport as exc:
            raise CliError(f"{exc}，未修改") from exc
        report = ws.load(rid)
    finally:
        ws.close()
    print(
        f"已修改：编号 {rid} 现为 {describe_report(report.unit_name, report.year, report.kind, report.project_name)}"
    )
    return EXIT_OK


COMMANDS = {
    "sample": (_no_arguments, cmd_sample),
    "list": (_no_arguments, cmd_list),
    "export": (_export_arguments, cmd_export),
    "import": (_import_arguments, cmd_import),
    "new": (_new_arguments, cmd_new),
    "delete": (_delete_arguments, cmd_delete),
    "rename": (_rename_arguments, cmd_rename),
}

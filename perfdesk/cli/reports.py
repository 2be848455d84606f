"""``perfdesk sample | list | export | import``: reports in and out of the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from perfdesk.cli.common import EXIT_OK, CliError, add_report, workspace


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
            print(f"{r.id}\t{r.year}年度\t{r.unit_name}\t项目 {r.project_count} 个")
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
    report = jsonfile.loads(data)  # refused before the database is even opened
    ws = workspace(args)
    try:
        rid = ws.add_report(report, replace=args.replace)
    finally:
        ws.close()
    print(f"已导入：编号 {rid}，{report.year}年度 {report.unit_name}")
    return EXIT_OK


COMMANDS = {
    "sample": (_no_arguments, cmd_sample),
    "list": (_no_arguments, cmd_list),
    "export": (_export_arguments, cmd_export),
    "import": (_import_arguments, cmd_import),
}

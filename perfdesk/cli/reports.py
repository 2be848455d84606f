"""``perfdesk sample | list | export | import | new | delete | rename``: the reports of a database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from perfdesk.cli.common import EXIT_INPUT, EXIT_OK, CliError, add_report, integer, say, workspace

if TYPE_CHECKING:
    from perfdesk.domain.model import Report


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
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件")
    p.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help="json：交换文件；xlsx：附件表（Excel 工作簿）；docx：整份报告（Word 文档）。"
        "不写时按输出文件的扩展名，其余为 json",
    )


EXPORT_FORMATS = ("json", "xlsx", "docx")


def _export_format(args: argparse.Namespace) -> str:
    """The format asked for, else the output file's extension (none: json). Another extension
    is refused: ``-o 报告.pdf`` would otherwise write an exchange file under a PDF's name."""
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".")
    if not suffix:
        return "json"
    if suffix in EXPORT_FORMATS:
        return suffix
    hint = "打印为 PDF 请用 perfdesk pdf -o 文件.pdf；" if suffix == "pdf" else ""
    raise CliError(
        f"不能导出为 .{suffix} 文件：{hint}导出的文件须以 .json（交换文件）、.xlsx（Excel 附件表）"
        "或 .docx（Word 文档）结尾，或用 --format 指定格式。未写入任何文件"
    )


def cmd_export(args: argparse.Namespace) -> int:
    from perfdesk.files import write_atomic

    fmt = _export_format(args)
    ws = workspace(args, reading=True)
    try:
        rid = ws.resolve_report_id(args.report)
        report = ws.load(rid)
    finally:
        ws.close()
    out = Path(args.output)
    if fmt == "xlsx":
        from perfdesk.office.xlsx_export import write_xlsx

        write_xlsx(report, out)
    elif fmt == "docx":
        from perfdesk.office.docx_export import write_docx

        write_docx(report, out)
    else:
        from perfdesk.exchange import jsonfile

        write_atomic(out, jsonfile.dump_bytes(report))
    print(f"已导出：{report.year}年度 {report.unit_name} → {out}")
    return EXIT_OK


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "file",
        metavar="FILE|DIR",
        help="JSON 交换文件，或 Excel 工作簿（.xlsx：附件表或绩效指标表）；或一个文件夹：汇集其中全部交换文件",
    )
    p.add_argument("--replace", action="store_true", help="同一单位同一年度的报告已存在时替换它")
    p.add_argument(
        "--report", type=integer, metavar="ID", help="Excel：导入到哪份报告（库中只有一份时可省略）"
    )
    p.add_argument(
        "--project",
        metavar="项目名称",
        help="Excel 绩效指标表：填入这个项目的自评表（不写时按工作表名称或“项目名称”列）",
    )
    p.add_argument(
        "--yes", action="store_true", help="Excel：保存修改（不加时只列出将要修改的单元格）"
    )


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def cmd_import(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if source.is_dir():  # 汇集: a whole folder of units' files, one result per file
        from perfdesk.cli.summary import import_folder

        return import_folder(args, source)
    if source.suffix.lower() in WORKBOOK_SUFFIXES:
        return _import_workbook(args)
    from perfdesk.exchange import jsonfile

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


def _import_workbook(args: argparse.Namespace) -> int:
    """Figures or indicator tables from a workbook into an existing report: the changes are
    listed cell by cell; ``--yes`` stores them, all in one transaction."""
    from perfdesk.office.xlsx_import import WorkbookError, read_workbook

    source = Path(args.file)
    ws = workspace(args, reading=not args.yes)
    try:
        rid = ws.resolve_report_id(args.report)
        if args.yes:
            ws.ensure_fixed_rows(rid)  # rows of an old import that lacks some: blank, nothing else
        report = ws.load(rid)
        try:
            plan = read_workbook(source, report, indicator_target=args.project)
        except WorkbookError as exc:
            if len(exc.problems) < 2:
                raise
            # every bad cell, one a line (the window lists them too): the clerk fixes them at once
            say(f"工作簿不能导入，报告没有任何改动。有 {len(exc.problems)} 处问题：")
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return EXIT_INPUT
        print(f"从“{source.name}”导入到：编号 {rid}，{report.year}年度 {report.unit_name}")
        for line in plan.lines():
            print(f"  {line}")
        for note in plan.notes:
            print(f"  说明：{note}")
        print(plan.summary())
        if plan.empty:
            return EXIT_OK
        if not args.yes:
            print("以上修改尚未保存。确认无误后加 --yes 再运行一次即保存。")
            return EXIT_OK
        ws.apply_changes(plan.edits(ws.fixed_row_ids(rid)), plan.inserts())
    finally:
        ws.close()
    print(f"已保存以上 {len(plan.changes)} 处修改。")
    return EXIT_OK


def _new_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unit", metavar="单位", help="单位名称")
    p.add_argument("--year", type=integer, metavar="年度", help="报告年度，如 2025")
    p.add_argument(
        "--level",
        metavar="级次",
        help="单位级次，如 市级、县级、区级、乡镇（印在“预算部门（单位）名称”前和附件1的专项资金行）",
    )
    p.add_argument(
        "--kind",
        choices=("department", "project"),
        default="department",
        help="department：部门整体支出绩效自评报告（默认）；project：项目支出绩效自评报告",
    )
    p.add_argument("--name", metavar="项目名称", default="", help="项目支出绩效自评报告的项目名称")
    p.add_argument(
        "--from",
        dest="source",
        type=integer,
        metavar="ID",
        help="从这份部门报告的一个项目创建项目支出绩效自评报告（与 --project 一起用）",
    )
    p.add_argument("--project", metavar="项目名称", help="--from 报告中的项目名称")


def cmd_new(args: argparse.Namespace) -> int:
    from perfdesk.domain.model import ReportKind
    from perfdesk.services import DuplicateReport

    kind = ReportKind(args.kind)
    if args.source is not None or args.project is not None:
        if args.source is None or not (args.project or "").strip():
            raise CliError("从部门报告的项目创建时，须同时写 --from 报告编号 和 --project 项目名称")
        if kind != ReportKind.PROJECT:
            raise CliError("--from 只用于新建项目支出绩效自评报告（加 --kind project）")
    elif args.unit is None or args.year is None:
        raise CliError("新建报告须写明 --unit 单位名称 和 --year 年度")
    elif kind == ReportKind.PROJECT and not args.name.strip():
        raise CliError("新建项目支出绩效自评报告须用 --name 写明项目名称")
    ws = workspace(args)
    try:
        try:
            if args.source is not None:
                rid = ws.create_project_report_from(args.source, args.project)
            else:
                rid = ws.create_report(
                    args.unit, args.year, kind=kind, project_name=args.name, unit_level=args.level
                )
        except DuplicateReport as exc:
            raise CliError(f"{exc}，未新建（可用 perfdesk list 查看）") from exc
        report = ws.load(rid)
    finally:
        ws.close()
    print(f"已新建：编号 {rid}，{_describe(report)}")
    return EXIT_OK


def _describe(report: Report) -> str:
    from perfdesk.services import describe_report

    return describe_report(report.unit_name, report.year, report.kind, report.project_name)


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

    ws = workspace(args, create=False)
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
    p.add_argument(
        "--level",
        metavar="级次",
        help="改正后的单位级次，如 市级、县级、区级、乡镇（印在“预算部门（单位）名称”前和附件1的专项资金行）",
    )


def cmd_rename(args: argparse.Namespace) -> int:
    from perfdesk.services import DuplicateReport, describe_report

    if args.unit is None and args.year is None and args.level is None:
        raise CliError("请用 --unit、--year 或 --level 写明改正后的单位名称、年度或级次")
    ws = workspace(args, create=False)
    try:
        rid = ws.resolve_report_id(args.report)
        try:
            ws.rename_report(rid, unit_name=args.unit, year=args.year, unit_level=args.level)
        except DuplicateReport as exc:
            raise CliError(f"{exc}，未修改") from exc
        report = ws.load(rid)
    finally:
        ws.close()
    print(
        f"已修改：编号 {rid} 现为 {describe_report(report.unit_name, report.year, report.kind, report.project_name)}"
        + (f"（级次：{report.unit_level or '未填'}）" if args.level is not None else "")
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

PRELOAD = {name: ("perfdesk.services",) for name in COMMANDS}
"""What every command here imports in any case (the services, so SQLAlchemy), imported first with
the garbage collector off (:func:`perfdesk.cli._run_command`)."""

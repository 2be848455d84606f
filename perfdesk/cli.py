"""The ``perfdesk`` command.

``perfdesk`` alone opens the desktop program; the subcommands work without a window. Every failure
prints one Chinese line on stderr and exits non-zero — never a traceback.

Exit codes: 0 done; 1 the audit found unresolved errors; 2 bad input or a file that cannot be used;
3 an unexpected internal error (logged).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from perfdesk import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class CliError(Exception):
    """A failure to report as one line and an exit code."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own errors, in Chinese
        raise CliError(f"命令行参数有误：{message}（用 perfdesk --help 查看用法）")


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", metavar="PATH", help="数据库文件（默认为用户数据文件夹中的 perfdesk.db）"
    )


def _add_report(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--report",
        type=int,
        metavar="ID",
        help="报告编号（perfdesk list 可查看；库中只有一份时可省略）",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="perfdesk",
        description="部门（单位）整体支出绩效自评报告：录入、审核与打印。不带子命令时打开程序窗口。",
    )
    parser.add_argument("--version", action="version", version=f"perfdesk {__version__}")
    _add_db(parser)
    sub = parser.add_subparsers(dest="command", metavar="子命令", parser_class=_Parser)

    p = sub.add_parser("sample", help="把示例报告（2024年株洲市芦淞区民政局）载入数据库")
    _add_db(p)

    p = sub.add_parser("list", help="列出数据库中的报告")
    _add_db(p)

    p = sub.add_parser("export", help="把一份报告导出为 JSON 交换文件")
    _add_db(p)
    _add_report(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE.json", help="输出文件")

    p = sub.add_parser("import", help="从 JSON 交换文件导入一份报告")
    _add_db(p)
    p.add_argument("file", metavar="FILE.json", help="交换文件")
    p.add_argument("--replace", action="store_true", help="同一单位同一年度的报告已存在时替换它")

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []  # type: ignore[type-arg]
"""Subcommands registered by other modules (pdf, audit, backup…): each adds its parser and sets
``func`` with ``set_defaults``."""


def _workspace(args: argparse.Namespace, *, reading: bool = False):  # noqa: ANN202 - lazy import
    """The database of ``--db``. A command that only reads still works while the window has the
    file open: when another perfdesk holds the one-writer lock it opens the file read-only."""
    from perfdesk.services import Workspace
    from perfdesk.storage.lock import DatabaseLocked

    try:
        return Workspace.open(args.db)
    except DatabaseLocked:
        if not reading:
            raise
        return Workspace.open(args.db, readonly=True)


def cmd_sample(args: argparse.Namespace) -> int:
    from perfdesk.sample import load_sample
    from perfdesk.services import DuplicateReport

    ws = _workspace(args)
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
    ws = _workspace(args, reading=True)
    try:
        reports = ws.list_reports()
        if not reports:
            print("数据库中还没有报告（可用 perfdesk sample 载入示例报告）。")
        for r in reports:
            print(f"{r.id}\t{r.year}年度\t{r.unit_name}\t项目 {r.project_count} 个")
        return EXIT_OK
    finally:
        ws.close()


def cmd_export(args: argparse.Namespace) -> int:
    from perfdesk.exchange import jsonfile

    ws = _workspace(args, reading=True)
    try:
        rid = ws.resolve_report_id(args.report)
        report = ws.load(rid)
    finally:
        ws.close()
    from perfdesk.files import write_atomic

    out = Path(args.output)
    write_atomic(out, jsonfile.dump_bytes(report))
    print(f"已导出：{report.year}年度 {report.unit_name} → {out}")
    return EXIT_OK


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
    ws = _workspace(args)
    try:
        rid = ws.add_report(report, replace=args.replace)
    finally:
        ws.close()
    print(f"已导入：编号 {rid}，{report.year}年度 {report.unit_name}")
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    # The core never depends on the UI: the window is looked up by name only when asked for, so
    # every other command runs on a machine without Qt (import-linter holds the rest of perfdesk/).
    import importlib

    try:
        app = importlib.import_module("ui.app")
    except ImportError as exc:
        raise CliError(
            f"无法启动程序窗口：缺少图形界面组件（{exc.name or exc}）。请重新安装 perfdesk"
        ) from exc
    return int(app.run(db=args.db))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "sample": cmd_sample,
    "list": cmd_list,
    "export": cmd_export,
    "import": cmd_import,
}


def _load_extensions() -> None:
    """Import the modules that register extra subcommands (kept out of start-up otherwise)."""
    import importlib

    for name in ("perfdesk.report.cli", "perfdesk.audit_cli", "perfdesk.safety_cli"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def main(argv: Sequence[str] | None = None) -> int:
    from perfdesk.domain.numbers import InputError
    from perfdesk.storage.database import DatabaseError

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        from perfdesk.logging_setup import setup_logging

        setup_logging()
        _load_extensions()
        parser = build_parser()
        args = parser.parse_args(argv)
        func = getattr(args, "func", None) or COMMANDS.get(args.command or "", cmd_app)
        return func(args)
    except CliError as exc:
        _say(str(exc))
        return exc.code
    except (InputError, DatabaseError) as exc:
        _say(str(exc))
        return EXIT_INPUT
    except KeyboardInterrupt:
        _say("已取消。")
        return EXIT_INPUT
    except OSError as exc:
        _say(f"文件操作失败：{exc.strerror or exc}（{exc.filename or ''}）")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - last resort: a line, not a traceback
        _say(f"内部错误：{type(exc).__name__}: {exc}。请把这行信息告诉维护人员。")
        _log_exception()
        return EXIT_INTERNAL


def _say(line: str) -> None:
    print(f"perfdesk：{line}", file=sys.stderr)


def _log_exception() -> None:
    """Keep the traceback for the maintainers without showing it to the clerk."""
    import logging
    import traceback

    logging.getLogger("perfdesk").error("unexpected error\n%s", traceback.format_exc())

"""The ``perfdesk`` command.

``perfdesk`` alone opens the desktop program; the subcommands work without a window. Every failure
prints one Chinese line on stderr and exits non-zero — never a traceback.

Exit codes: 0 done; 1 the audit found unresolved errors (or ``pdf --final`` refused); 2 bad input
or a file that cannot be used; 3 an unexpected internal error (logged).

:data:`COMMANDS` is the one table of subcommands: name → the module that implements it and the
line ``perfdesk --help`` shows. A command's module is imported only when that command runs (or its
own ``--help`` is asked for), so ``perfdesk --version`` loads neither the database nor the
printout. Each command module has a ``COMMANDS`` dict: name → ``(add_arguments, run)``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any, NamedTuple

from perfdesk import __version__
from perfdesk.cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    CliError,
    Parser,
    add_db,
    say,
)

__all__ = [
    "COMMANDS",
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "CliError",
    "main",
]


class Command(NamedTuple):  # not a dataclass: ``dataclasses`` costs --version 20 ms (inspect)
    module: str  # under perfdesk.cli
    help: str


COMMANDS: dict[str, Command] = {
    "sample": Command("reports", "把示例报告（2024年株洲市芦淞区民政局）载入数据库"),
    "list": Command("reports", "列出数据库中的报告"),
    "export": Command("reports", "把一份报告导出为 JSON 交换文件、Excel 附件表或 Word 文档"),
    "import": Command(
        "reports",
        "从 JSON 交换文件导入一份报告，或从 Excel 工作簿导入数字和绩效指标，或汇集一个文件夹中的全部交换文件",
    ),
    "new": Command("reports", "新建一份空白报告（部门整体或项目支出绩效自评报告）"),
    "delete": Command("reports", "删除一份报告（删除前自动备份整个数据库）"),
    "rename": Command("reports", "改正报告的单位名称或年度"),
    "pdf": Command("printing", "把一份报告打印为 PDF（自评报告正文及三个附件）"),
    "audit": Command("audit", "审核一份报告：列出数字之间的矛盾（有未说明的错误时退出码为 1）"),
    "summary": Command(
        "summary", "自评汇总：一个年度各单位的汇总表、汇总审核，可输出 PDF 或 Excel"
    ),
    "backup": Command("backups", "立即备份数据库（备份后经完整性检查）"),
    "backups": Command("backups", "列出数据库的备份：名称、时间、类型、报告"),
    "restore": Command("backups", "用备份替换数据库（替换前先把当前数据库另存为备份）"),
}


def command_module(name: str) -> Any:
    """The module implementing subcommand ``name`` (imported now, on first use)."""
    return importlib.import_module(f"perfdesk.cli.{COMMANDS[name].module}")


class _LazySubcommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subparsers whose arguments are added only for the subcommand that is actually given."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        name = values[0]
        sub = self._name_parser_map.get(name)
        if sub is not None and not getattr(sub, "_perfdesk_ready", False):
            module = command_module(name)
            add_arguments, run = module.COMMANDS[name]
            # SUPPRESS: ``perfdesk --db X pdf`` keeps X (a subcommand's default of None would
            # overwrite it and the command would silently use the default database).
            add_db(sub, default=argparse.SUPPRESS)
            add_arguments(sub)
            sub.set_defaults(func=run, preload=getattr(module, "PRELOAD", {}).get(name, ()))
            sub._perfdesk_ready = True  # type: ignore[attr-defined]
        super().__call__(parser, namespace, values, option_string)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="perfdesk",
        description="部门（单位）整体支出绩效自评报告：录入、审核与打印。不带子命令时打开程序窗口。",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"perfdesk {__version__}",
        help="显示程序版本号并退出",
    )
    add_db(parser)
    parser.register("action", "lazy_parsers", _LazySubcommands)
    sub = parser.add_subparsers(
        dest="command", metavar="子命令", action="lazy_parsers", parser_class=Parser
    )
    for name, command in COMMANDS.items():
        sub.add_parser(name, help=command.help, description=command.help)
    return parser


def run_window(args: argparse.Namespace) -> int:
    # The core never depends on the UI: the window is looked up by name only when asked for, so
    # every other command runs on a machine without Qt (import-linter holds the rest of perfdesk/).
    try:
        app = importlib.import_module("perfdesk_ui.app")
    except ImportError as exc:
        raise CliError(
            f"无法启动程序窗口：缺少图形界面组件（{exc.name or exc}）。请重新安装 perfdesk"
        ) from exc
    return int(app.run(db=args.db))


def _console_never_fails() -> None:
    """A redirected console on a Chinese Windows writes GBK: a character it lacks must not crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or exotic stream: leave it as it is
                pass


def main(argv: Sequence[str] | None = None) -> int:
    from perfdesk.cli.zh import chinese_argparse

    _console_never_fails()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        with chinese_argparse():
            args = build_parser().parse_args(argv)
        # After parsing: ``--version`` and ``--help`` end inside parse_args and so never pay for
        # the log folder (perfdesk.system, logging.handlers); every command logs as before.
        _setup_logging()
        func = getattr(args, "func", None)
        if func is None:
            return run_window(args)
        return _run_command(func, args, getattr(args, "preload", ()))
    except SystemExit as exc:  # --help and --version end here
        return int(exc.code or 0) if isinstance(exc.code, int | None) else EXIT_INPUT
    except CliError as exc:
        say(str(exc))
        return exc.code
    except KeyboardInterrupt:
        say("已取消。")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - known errors in Chinese, the rest as one line
        return _report(exc)


YOUNG_GENERATION = 20_000
"""Allocations between two collections of the cyclic garbage collector's youngest generation
while a command runs (Python's default is 700)."""


def _run_command(func: Any, args: argparse.Namespace, preload: Sequence[str] = ()) -> int:
    """Run a subcommand with the cyclic garbage collector kept off what lives as long as it.

    A command is a short process that allocates much once — SQLAlchemy's and ReportLab's classes
    as they are imported, the report, the pages — and little of it is garbage, yet at Python's
    default threshold the collector walks those objects again and again (a fifth of ``perfdesk
    pdf``, tests/benchmarks/bench_cli.py). So the modules the command names in its module's
    ``PRELOAD`` (the ones it imports anyway) are imported with the collector off and then frozen
    (``gc.freeze``: modules and classes are never garbage), and the young generation is collected
    every 20,000 allocations instead of 700. Cycles are still collected; everything is put back
    afterwards (``main`` is called in-process by the tests; the window keeps the defaults).
    """
    import gc

    saved = gc.get_threshold()
    enabled = gc.isenabled()
    try:
        if preload:
            gc.disable()
            for name in preload:
                importlib.import_module(name)
            gc.freeze()
            if enabled:
                gc.enable()
        gc.set_threshold(YOUNG_GENERATION, *saved[1:])
        return int(func(args))
    finally:
        gc.set_threshold(*saved)
        if preload:
            gc.unfreeze()
        if enabled:
            gc.enable()
        _leave_quickly_at_exit()


def _leave_quickly_at_exit() -> None:
    """Once a command has run, the interpreter's shutdown need not walk its heap for cycles.

    At exit Python collects garbage twice more over every object left (SQLAlchemy's, ReportLab's,
    the report's): 0.1–0.15 s of ``perfdesk pdf``. An ``atexit`` function runs before those
    collections and freezes what is left (``gc.freeze``), so they skip it; everything else about
    the exit is as usual (atexit functions, logging's flush, files closed, the exit code).
    Registered once per process; the window does not use it.
    """
    global _exit_registered
    if not _exit_registered:
        import atexit
        import gc

        atexit.register(gc.freeze)
        _exit_registered = True


_exit_registered = False


def _setup_logging() -> None:
    from perfdesk.logging_setup import setup_logging

    setup_logging()


def _report(exc: Exception) -> int:
    from perfdesk.cli.common import report_failure

    _setup_logging()  # a failure while parsing (a command module that cannot load) is logged too
    return report_failure(exc)

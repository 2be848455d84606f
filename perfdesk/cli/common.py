"""What every ``perfdesk`` command shares: exit codes, the one-line error, common options.

Light on purpose: the command table and every command module import this, and ``perfdesk
--version`` must not pay for the database or the printout. Heavy imports happen inside the
functions that need them.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from perfdesk.services import Workspace

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class CliError(Exception):
    """A failure to report as one line and an exit code."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


class Parser(argparse.ArgumentParser):
    """argparse with its errors raised as :class:`CliError` (one Chinese line, exit code 2)."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"命令行参数有误：{message}（用 {self.prog} --help 查看用法）")


def add_db(p: argparse.ArgumentParser, *, default: object = None) -> None:
    p.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="数据库文件（默认为用户数据文件夹中的 perfdesk.db）",
    )


def integer(text: str) -> int:
    """An integer argument (argparse names the type by ``__name__`` in its error message)."""
    return int(text)


integer.__name__ = "整数"


def add_report(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--report",
        type=integer,
        metavar="ID",
        help="报告编号（perfdesk list 可查看；库中只有一份时可省略）",
    )


def workspace(
    args: argparse.Namespace,
    *,
    reading: bool = False,
    create: bool = True,
    may_write: bool = False,
) -> Workspace:
    """The database of ``--db``.

    A command that only reads (``reading``) opens the file read-only and writes nothing — so it
    works while the window has the file open, on a full disk, on a read-only file or folder and on
    a file of a newer perfdesk — and never makes a database: a missing file is an error naming the
    path. ``may_write`` (with ``reading``): a reader that would like to store something on the side
    (the summary's cache) opens normally where it can and read-only where it cannot. A command that
    writes makes a new database where none exists unless it passes ``create=False`` (one that
    changes an existing report: delete, rename).
    """
    from perfdesk.errors import DatabaseError
    from perfdesk.services import Workspace

    if reading and may_write:
        try:
            return Workspace.open(args.db, create=False)
        except DatabaseError as exc:
            if not exc.readonly_possible:
                raise
    if reading:
        return Workspace.open_for_reading(args.db)
    return Workspace.open(args.db, create=create)


def say(line: str) -> None:
    """One line for the clerk on stderr."""
    print(f"perfdesk：{line}", file=sys.stderr)


def report_failure(exc: Exception) -> int:
    """One Chinese line on stderr for a failed command; returns its exit code.

    Never a traceback and never the clerk's data: an unexpected error shows only its kind and
    where the log is (the traceback goes into the log). A database refused while backups exist
    names the newest one and the command that restores it.
    """
    from perfdesk.domain.numbers import InputError
    from perfdesk.errors import DatabaseError, DatabaseLocked, MissingDatabase, ReadOnlyDatabase

    if isinstance(exc, DatabaseError):
        say(str(exc) + _what_next(exc, DatabaseLocked, MissingDatabase, ReadOnlyDatabase))
        return EXIT_INPUT
    if isinstance(exc, InputError):
        say(str(exc))
        return EXIT_INPUT
    if isinstance(exc, OSError):
        from perfdesk.system import explain_os_error

        where = f"（{exc.filename}）" if exc.filename else ""
        say(f"文件操作失败：{explain_os_error(exc)}{where}")
        return EXIT_INPUT
    from perfdesk.logging_setup import log_file

    say(
        f"内部错误（{type(exc).__name__}），操作未完成。详细信息已写入日志文件“{log_file()}”，"
        "请把这行信息和日志文件交给维护人员。"
    )
    _log_exception()
    return EXIT_INTERNAL


def _what_next(exc: Exception, locked: type, missing: type, readonly: type) -> str:
    if isinstance(exc, missing):
        backups = getattr(exc, "backups", [])
        if backups:
            return (
                f"。它有 {len(backups)} 个备份，最近的是 {backups[0].name}"
                f"（{backups[0].created_text}，{backups[0].reports_text}）："
                f"可用 perfdesk restore {backups[0].name} 恢复"
            )
        return "。新建数据库可用 perfdesk sample、perfdesk new 或 perfdesk import"
    if isinstance(exc, locked | readonly):
        return ""
    backups = getattr(exc, "backups", [])
    if not backups:
        return ""
    newest = backups[0]
    return (
        f"。有 {len(backups)} 个备份，最近的是 {newest.name}（{newest.created_text}，"
        f"{newest.kind_label}，{newest.reports_text}）：可用 perfdesk restore {newest.name} "
        "恢复（恢复前会先保存当前文件），perfdesk backups 列出全部备份"
    )


def _log_exception() -> None:
    """Keep the traceback for the maintainers without showing it to the clerk."""
    import logging
    import traceback

    logging.getLogger("perfdesk").error("unexpected error\n%s", traceback.format_exc())

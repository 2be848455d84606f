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


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", metavar="PATH", help="数据库文件（默认为用户数据文件夹中的 perfdesk.db）"
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


def workspace(args: argparse.Namespace, *, reading: bool = False) -> Workspace:
    """The database of ``--db``. A command that only reads still works while the window has the
    file open: when another perfdesk holds the one-writer lock it opens the file read-only."""
    from perfdesk.errors import DatabaseLocked
    from perfdesk.services import Workspace

    try:
        return Workspace.open(args.db)
    except DatabaseLocked:
        if not reading:
            raise
        return Workspace.open(args.db, readonly=True)


def say(line: str) -> None:
    """One line for the clerk on stderr."""
    print(f"perfdesk：{line}", file=sys.stderr)

"""``perfdesk backup``, ``perfdesk backups`` and ``perfdesk restore``: backups from the command line.

Failures are :class:`~perfdesk.errors.DatabaseError` with a Chinese message, which the CLI prints
as one line (exit code 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from perfdesk.cli.common import EXIT_OK, CliError


def _no_arguments(p: argparse.ArgumentParser) -> None:
    pass


def _restore_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "backup", metavar="BACKUP", help="备份文件的路径，或 perfdesk backups 列出的序号"
    )


def _db_path(args: argparse.Namespace) -> Path:
    from perfdesk.services import default_db_path

    return Path(args.db).expanduser().absolute() if args.db else default_db_path()


def cmd_backup(args: argparse.Namespace) -> int:
    from perfdesk.services import backup_database

    info = backup_database(_db_path(args))
    print(f"已备份：{info.path}（{info.reports_text}，已通过完整性检查）")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from perfdesk.services import backup_folder, backups_of

    path = _db_path(args)
    backups = backups_of(path)
    if not backups:
        print(f"数据库“{path}”还没有备份（备份文件夹：{backup_folder(path)}）。")
        return EXIT_OK
    for number, b in enumerate(backups, 1):
        print(f"{number}\t{b.created_text}\t{b.kind_label}\t{b.reports_text}\t{b.path}")
    return EXIT_OK


def _chosen_backup(path: Path, choice: str) -> Path:
    from perfdesk.services import backups_of

    candidate = Path(choice).expanduser()
    if candidate.is_file():
        return candidate.absolute()
    if choice.isdigit():
        backups = backups_of(path)
        number = int(choice)
        if 1 <= number <= len(backups):
            return backups[number - 1].path
        raise CliError(
            f"没有第 {number} 个备份：数据库“{path}”共有 {len(backups)} 个备份（用 perfdesk backups 查看）"
        )
    raise CliError(
        f"找不到备份文件“{choice}”（可写备份文件的路径，或 perfdesk backups 列出的序号）"
    )


def cmd_restore(args: argparse.Namespace) -> int:
    from perfdesk.services import restore_database

    path = _db_path(args)
    source = _chosen_backup(path, args.backup)
    saved = restore_database(source, path)
    print(f"已用备份“{source.name}”恢复数据库“{path}”。")
    if saved is not None:
        print(f"恢复前的数据库已另存为：{saved}")
    return EXIT_OK


COMMANDS = {
    "backup": (_no_arguments, cmd_backup),
    "backups": (_no_arguments, cmd_backups),
    "restore": (_restore_arguments, cmd_restore),
}

"""``perfdesk backup``, ``perfdesk backups`` and ``perfdesk restore``: backups from the command line.

Registered into :data:`perfdesk.cli.EXTRA_COMMANDS` when :mod:`perfdesk.cli` loads its extensions.
Failures are :class:`~perfdesk.storage.database.DatabaseError` with a Chinese message, which the
CLI prints as one line (exit code 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from perfdesk import cli


def _db_path(args: argparse.Namespace) -> Path:
    from perfdesk.services import default_db_path

    return Path(args.db).expanduser().absolute() if args.db else default_db_path()


def cmd_backup(args: argparse.Namespace) -> int:
    from perfdesk.storage.backup import create_backup
    from perfdesk.storage.database import read_header

    path = _db_path(args)
    if read_header(path) is None:  # also refuses foreign, newer and truncated files in Chinese
        raise cli.CliError(f"数据库文件“{path}”不存在或是空文件，没有可备份的内容")
    info = create_backup(path, "manual")
    print(f"已备份：{info.path}（{info.reports_text}，已通过完整性检查）")
    return cli.EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from perfdesk.storage.backup import backup_dir, list_backups

    path = _db_path(args)
    backups = list_backups(path)
    if not backups:
        print(f"数据库“{path}”还没有备份（备份文件夹：{backup_dir(path)}）。")
        return cli.EXIT_OK
    for number, b in enumerate(backups, 1):
        print(f"{number}\t{b.created_text}\t{b.kind_label}\t{b.reports_text}\t{b.path}")
    return cli.EXIT_OK


def _chosen_backup(path: Path, choice: str) -> Path:
    from perfdesk.storage.backup import list_backups

    candidate = Path(choice).expanduser()
    if candidate.is_file():
        return candidate.absolute()
    if choice.isdigit():
        backups = list_backups(path)
        number = int(choice)
        if 1 <= number <= len(backups):
            return backups[number - 1].path
        raise cli.CliError(
            f"没有第 {number} 个备份：数据库“{path}”共有 {len(backups)} 个备份（用 perfdesk backups 查看）"
        )
    raise cli.CliError(
        f"找不到备份文件“{choice}”（可写备份文件的路径，或 perfdesk backups 列出的序号）"
    )


def cmd_restore(args: argparse.Namespace) -> int:
    from perfdesk.storage.backup import restore_backup

    path = _db_path(args)
    source = _chosen_backup(path, args.backup)
    saved = restore_backup(source, path)
    print(f"已用备份“{source.name}”恢复数据库“{path}”。")
    if saved is not None:
        print(f"恢复前的数据库已另存为：{saved}")
    return cli.EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help="立即备份数据库（备份后经完整性检查）")
    cli._add_db(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("backups", help="列出数据库的备份：序号、时间、类型、报告数")
    cli._add_db(p)
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser("restore", help="用备份替换数据库（替换前先把当前数据库另存为备份）")
    cli._add_db(p)
    p.add_argument(
        "backup", metavar="BACKUP", help="备份文件的路径，或 perfdesk backups 列出的序号"
    )
    p.set_defaults(func=cmd_restore)


if register not in cli.EXTRA_COMMANDS:
    cli.EXTRA_COMMANDS.append(register)

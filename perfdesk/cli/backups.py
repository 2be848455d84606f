"""``perfdesk backup``, ``perfdesk backups`` and ``perfdesk restore``: backups from the command line.

Backups are addressed by their names (``20251017-093012-daily-n42``: when, what kind, the order
made), which never change — not by a position in the list, which every new backup would shift.

Failures are :class:`~perfdesk.errors.DatabaseError` with a Chinese message, which the CLI prints
as one line (exit code 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from perfdesk.cli.common import EXIT_OK, CliError, say


def _no_arguments(p: argparse.ArgumentParser) -> None:
    pass


def _restore_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "backup",
        metavar="NAME",
        help="备份的名称（perfdesk backups 列出，如 20251017-093012-daily-n42；"
        "只写开头的日期时间也可以，只要不会混淆），或备份文件的路径",
    )


def _db_path(args: argparse.Namespace) -> Path:
    from perfdesk.services import default_db_path

    return Path(args.db).expanduser().absolute() if args.db else default_db_path()


def cmd_backup(args: argparse.Namespace) -> int:
    from perfdesk.services import backup_database

    info = backup_database(_db_path(args))
    print(f"已备份：{info.name}（{info.reports_text}，已通过完整性检查）→ {info.path}")
    for line in info.warnings:
        say(f"提示：{line}")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from perfdesk.services import backup_folder, backups_of

    path = _db_path(args)
    backups = backups_of(path)
    if not path.exists():
        if not backups:
            raise CliError(
                f"数据库文件“{path}”不存在，也没有它的备份（备份文件夹：{backup_folder(path)}）"
            )
        say(f"数据库文件“{path}”不存在；以下是它的备份，可用 perfdesk restore 名称 恢复。")
    if not backups:
        print(f"数据库“{path}”还没有备份（备份文件夹：{backup_folder(path)}）。")
        return EXIT_OK
    # Newest first, each under its own name: a name never changes meaning when backups are added.
    print("名称\t时间\t类型\t报告\t文件")
    for b in backups:
        print(f"{b.name}\t{b.created_text}\t{b.kind_label}\t{b.reports_text}\t{b.path}")
    return EXIT_OK


def _chosen_backup(path: Path, choice: str) -> Path:
    from perfdesk.services import find_backup

    candidate = Path(choice).expanduser()
    if candidate.is_file():
        return candidate.absolute()
    if choice.isdigit() and len(choice) < 4:  # a name starts with a year: 1–3 digits are a 序号
        raise CliError(
            f"备份要按名称指定（如 20251017-093012），不再按序号“{choice}”：序号会随新备份而改变。"
            "用 perfdesk backups 查看备份的名称"
        )
    found = find_backup(path, choice)  # a name, or the start of one (2026, 20261130…)
    if found is None:
        raise CliError(
            f"找不到名为“{choice}”的备份：数据库“{path}”的备份可用 perfdesk backups 查看"
            "（写名称，或备份文件的路径）"
        )
    return found.path


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

PRELOAD = {name: ("perfdesk.services",) for name in COMMANDS}
"""What every command here imports in any case (the services, so SQLAlchemy), imported first with
the garbage collector off (:func:`perfdesk.cli._run_command`)."""

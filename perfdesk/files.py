"""Writing a file so that the old one survives any failure (the PDF, the exchange file).

The data goes to a temporary file in the same folder, is flushed to the disk and then replaces
the target in one step; on any error the temporary file is removed and the old file is intact.
Every failure is an :class:`~perfdesk.domain.numbers.InputError` with a Chinese message.

A file written for the clerk gets the permissions any program would give it: a new one those of
the user's umask (``rw-r--r--`` typically — not the owner-only mode of a temporary file), a
replaced one keeps the old file's. A PDF viewer or a virus scanner holding the old file for a
moment (Windows) is waited for briefly.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from perfdesk import system
from perfdesk.domain.numbers import InputError
from perfdesk.system import is_read_only


class FileWriteError(InputError):
    """A file could not be written; the old file (if any) is unchanged."""


def check_target(path: Path, error: type[FileWriteError] = FileWriteError) -> None:
    """Refuse a target that cannot be written, before any work is spent on it."""
    folder = path.parent
    if not folder.is_dir():
        raise error(f"无法保存“{path.name}”：文件夹“{folder}”不存在。请先创建该文件夹或另选位置。")
    if path.is_dir():
        raise error(f"无法保存“{path}”：这是一个文件夹，请给出文件名。")
    if path.exists() and is_read_only(path):
        raise error(
            f"无法保存“{path}”：原文件是只读的。请取消只读属性或另存为其他文件名；原文件未改动。"
        )


def write_atomic(
    path: str | os.PathLike[str], data: bytes, error: type[FileWriteError] = FileWriteError
) -> None:
    """Put ``data`` at ``path`` only when it is completely on the disk."""
    target = Path(path)
    check_target(target, error)
    try:
        fd, tmp = _new_temporary(target)
    except OSError as exc:
        raise error(
            f"无法在文件夹“{target.parent}”中写入（{system.explain_os_error(exc)}）。请检查权限或另选位置。"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        system.replace(Path(tmp), target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, PermissionError):
            raise error(
                f"无法保存“{target}”：文件正被其他程序占用（是否在阅读器或编辑器中打开？）或没有写入权限。"
                "请关闭该文件后重试；原文件未改动。"
            ) from exc
        raise error(f"无法保存“{target}”：{system.explain_os_error(exc)}。原文件未改动。") from exc


def _new_temporary(target: Path) -> tuple[int, str]:
    """A new file beside ``target`` for writing: with the old file's permissions when one is
    replaced, else with those the umask gives a new file (``os.open`` applies it to 0o666)."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str(target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        if mode is not None and hasattr(os, "fchmod"):
            try:
                os.fchmod(fd, mode | stat.S_IWUSR)
            except OSError:
                pass  # a file system without modes (FAT): whatever it gives
        return fd, tmp
    raise FileExistsError(f"no free temporary name beside {target}")

"""argparse in Chinese: its usage lines, headings and error messages.

argparse looks its texts up through ``gettext`` at the moment it needs them (``argparse._`` and
``argparse.ngettext``); :func:`chinese_argparse` puts a Chinese lookup there while a command line is
parsed and puts the original back afterwards, so nothing outside the ``perfdesk`` command changes.
A text argparse adds in a later Python and that is not listed here stays English rather than fail.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

TEXTS: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示程序版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的%(type)s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有子命令 %(parser_name)r（可用：%(choices)s）",
}
"""argparse's English texts → Chinese."""

PLURALS: dict[str, str] = {"expected %s argument": "需要 %s 个值"}


def _translate(text: str) -> str:
    return TEXTS.get(text, text)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular in PLURALS:
        return PLURALS[singular]
    return singular if n == 1 else plural


@contextmanager
def chinese_argparse() -> Iterator[None]:
    """Within the block argparse speaks Chinese."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]

"""How much one report may hold: bounds that keep the file, the window and the printout sane.

A clerk's report has a few dozen paragraphs of a few thousand characters each; a 20 MB paragraph
is a paste gone wrong or a file that is not a report, and would make the printout run for minutes.
The same bounds are applied wherever text enters — typed in the window (the services refuse it),
read from an exchange file — each refusal a Chinese sentence saying the limit.
"""

from __future__ import annotations

from perfdesk.domain.numbers import InputError

MAX_TEXT_CHARS = 200_000
"""Characters in one text field (one paragraph, one cell): about 100 printed pages of 仿宋."""

MAX_ROWS = 5_000
"""Rows in one list of a report (projects, indicators, notes…); the stress report has 1,000."""

MAX_EXCHANGE_BYTES = 64 * 1024 * 1024
"""Size of one exchange file (the sample report's is about 0.1 MB)."""


def check_text(value: str, what: str = "文字") -> str:
    """``value`` if it is within :data:`MAX_TEXT_CHARS`, else :class:`InputError` in Chinese."""
    if len(value) > MAX_TEXT_CHARS:
        raise InputError(
            f"{what}过长：共 {len(value):,} 字，每一项最多 {MAX_TEXT_CHARS:,} 字。"
            "请检查是否粘贴了多余的内容，或把内容分到几项中"
        )
    return value

"""The numbering of the report's headings: 一、 / （一） / 1. / （1）, worked out by the program.

The clerk edits headings only; their numbers follow from the outline's order and levels, the same
in the window, the printout and the Word export (each calls :func:`section_numbers`).
"""

from __future__ import annotations

from collections.abc import Sequence

from perfdesk.domain.model import Section

_CN_DIGITS = "零一二三四五六七八九"
DEEPEST = 4  # （1） below 1. below （一） below 一、


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十; 100 and more in digits."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def heading_number(level: int, n: int) -> str:
    """一、 / （一） / 1. / （1）: the numbering of GB/T 9704 headings, by level."""
    if level <= 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def section_level(section: Section) -> int:
    """The section's level within 1–4 (a stored level outside that prints as the nearest)."""
    return min(max(section.level, 1), DEEPEST)


def section_numbers(sections: Sequence[Section]) -> list[str]:
    """Each section's number as printed: a counter per level, deeper ones reset by a shallower."""
    counters = [0] * DEEPEST
    out = []
    for section in sections:
        level = section_level(section)
        counters[level - 1] += 1
        for deeper in range(level, DEEPEST):
            counters[deeper] = 0
        out.append(heading_number(level, counters[level - 1]))
    return out

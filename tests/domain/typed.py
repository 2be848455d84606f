"""An independent reading of a typed number, to check the parsers against.

It reads a cell the slow, obvious way — character by character, with Unicode's own idea of which
characters are digits and NFKC for the full-width forms — and knows nothing of the parsers'
regular expressions. It is more lenient than the parsers; what matters is that whenever a parser
accepts a text, it agrees with this reading.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

SUFFIXES = ("万元", "万", "%", "分", "人", "个")


def typed_number(text: str) -> Decimal | None:
    """The number ``text`` spells, or ``None`` when it spells none."""
    s = "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())
    for suffix in SUFFIXES:
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    s = s.replace(",", "")
    ascii_chars = []
    for ch in s:
        if ch in "+-.":
            ascii_chars.append(ch)
            continue
        digit = unicodedata.decimal(ch, None)
        if digit is None:
            return None
        ascii_chars.append(str(digit))
    literal = "".join(ascii_chars)
    if not literal or literal in "+-." or "e" in literal.lower():
        return None
    try:
        return Decimal(literal)
    except InvalidOperation:
        return None

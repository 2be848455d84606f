"""Exact numbers: parsing what a clerk types, and formatting what the report prints.

Amounts are 万元 held as :class:`decimal.Decimal` with at most four decimal places (one 元), so a
figure copied from the accounts is kept to the 元 while the report prints two places. No binary
float is ever involved: text goes straight to ``Decimal``.

Every parser raises :class:`InputError` with a Chinese message that a clerk can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

AMOUNT_PLACES = 4
"""Decimal places kept for an amount in 万元 (0.0001 万元 = 1 元)."""
AMOUNT_QUANTUM = Decimal(1).scaleb(-AMOUNT_PLACES)
AMOUNT_LIMIT = Decimal("100000000000")  # 10^11 万元: far beyond any budget, well inside int64 元
DECIMAL_PLACES = 4
"""Places kept for other decimals: weights, scores, indicator values, areas."""
TWO_PLACES = Decimal("0.01")
TOLERANCE = Decimal("0.01")
"""尾差: sums are accepted when they differ by at most 0.01 万元."""


class InputError(ValueError):
    """Bad input from a clerk or a file; ``str(error)`` is a Chinese sentence for the user."""


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％　", "0123456789.,-+% ")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def _normalise(text: str, suffixes: tuple[str, ...]) -> str:
    s = text.translate(_FULLWIDTH).strip().replace("\u00a0", "").replace(" ", "")
    for suffix in suffixes:
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    if "," in s:
        if not _GROUPED_RE.match(s):
            raise InputError(
                f"数字“{text.strip()}”的千位分隔符位置不正确：请输入如 1,234.56 的数字"
            )
        s = s.replace(",", "")
    return s


def _to_decimal(s: str, original: str, what: str, example: str) -> Decimal:
    if not _NUMBER_RE.match(s):
        raise InputError(f"{what}格式不正确：请输入数字，如 {example}（收到“{original.strip()}”）")
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid literals
        raise InputError(f"{what}格式不正确：请输入数字，如 {example}") from exc


def parse_amount(text: str | None, *, allow_negative: bool = False) -> Decimal | None:
    """Parse an amount in 万元; an empty cell is ``None`` (blank, not zero).

    Accepts ``1,234.56``, full-width digits ``１２３４．５６`` and a trailing ``万元`` or ``万``.
    """
    if text is None:
        return None
    if isinstance(text, bool):  # True is an int to Python, never an amount to a clerk
        raise InputError("金额格式不正确：请输入数字，如 4532.05（收到的是“是/否”值）")
    if isinstance(text, Decimal):
        return check_amount(text, allow_negative=allow_negative)
    if isinstance(text, int):
        return check_amount(Decimal(text), allow_negative=allow_negative)
    if not isinstance(text, str):
        raise InputError(f"金额格式不正确：请输入数字，如 4532.05（收到 {type(text).__name__}）")
    if text.strip() == "":
        return None
    s = _normalise(text, ("万元", "万"))
    if s == "":
        raise InputError("金额格式不正确：请输入数字，如 4532.05")
    return check_amount(_to_decimal(s, text, "金额", "4532.05"), allow_negative=allow_negative)


def check_amount(value: Decimal, *, allow_negative: bool = False) -> Decimal:
    """Validate an amount already in ``Decimal`` form (range, sign and precision)."""
    if not value.is_finite():
        raise InputError("金额格式不正确：请输入数字，如 4532.05")
    if value < 0 and not allow_negative:
        raise InputError(f"金额不能为负数（收到 {value}）")
    if abs(value) >= AMOUNT_LIMIT:
        raise InputError(f"金额过大：{value} 万元超出可录入范围")
    if value != value.quantize(AMOUNT_QUANTUM, rounding=ROUND_HALF_UP):
        raise InputError(f"金额最多保留{AMOUNT_PLACES}位小数（精确到元）：收到 {value}")
    return canonical_amount(value)


def parse_decimal(
    text: str | None, *, what: str = "数值", allow_negative: bool = False, example: str = "95"
) -> Decimal | None:
    """Parse a weight, score, area or indicator value; empty is ``None``. A trailing % is kept off."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise InputError(f"{what}格式不正确：请输入数字，如 {example}（收到的是“是/否”值）")
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, str):
        if text.strip() == "":
            return None
        s = _normalise(text, ("%", "分"))
        value = _to_decimal(s, text, what, example)
    else:
        raise InputError(f"{what}格式不正确：请输入数字，如 {example}")
    if not value.is_finite():
        raise InputError(f"{what}格式不正确：请输入数字，如 {example}")
    if value < 0 and not allow_negative:
        raise InputError(f"{what}不能为负数（收到 {value}）")
    if abs(value) >= AMOUNT_LIMIT:
        raise InputError(f"{what}过大：{value}")
    if value != value.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_UP):
        raise InputError(f"{what}最多保留{DECIMAL_PLACES}位小数：收到 {value}")
    return canonical_decimal(value)


def parse_count(text: str | int | None, *, what: str = "人数") -> int | None:
    """Parse a head count or other whole number; empty is ``None``."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise InputError(f"{what}必须是整数")
    if isinstance(text, int):
        value = text
    elif isinstance(text, str):
        s = _normalise(text, ("人", "个"))
        if s == "":
            return None
        if not re.fullmatch(r"[+-]?\d+", s):
            raise InputError(f"{what}必须是整数，如 12（收到“{text.strip()}”）")
        value = int(s)
    else:
        raise InputError(f"{what}必须是整数，如 12")
    if value < 0:
        raise InputError(f"{what}不能为负数（收到 {value}）")
    if value > 10_000_000:
        raise InputError(f"{what}过大：{value}")
    return value


_DATE_FULLWIDTH = str.maketrans("０１２３４５６７８９．－／　", "0123456789.-/ ")
_DATE_PATTERNS = (
    re.compile(
        r"(?P<y>[0-9]{4})(?P<sep>[-./])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    ),  # 2025-10-17
    re.compile(r"(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日?"),  # 2025年10月17日
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),  # 20251017
)


def parse_date(text: str | dt.date | None) -> dt.date | None:
    """Parse a date as a clerk types it; an empty cell is ``None``.

    Accepts ``2025-10-17``, ``2025年10月17日``, ``2025.10.17``, ``2025/10/17`` and ``20251017``,
    with or without leading zeros and in full-width digits. A day that does not exist
    (``2025-02-30``) is refused, never moved to another day.
    """
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        raise InputError("日期格式不正确：请输入如 2025-10-17 或 2025年10月17日 的日期")
    if isinstance(text, dt.date):
        value = text
    elif isinstance(text, str):
        s = text.translate(_DATE_FULLWIDTH).strip().replace(" ", "")
        if s == "":
            return None
        for pattern in _DATE_PATTERNS:
            match = pattern.fullmatch(s)
            if match:
                break
        else:
            raise InputError(
                f"日期格式不正确：请输入如 2025-10-17 或 2025年10月17日 的日期（收到“{text.strip()}”）"
            )
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        try:
            value = dt.date(year, month, day)
        except ValueError as exc:
            raise InputError(f"日期“{text.strip()}”不存在：{year}年没有{month}月{day}日") from exc
    else:
        raise InputError("日期格式不正确：请输入如 2025-10-17 或 2025年10月17日 的日期")
    if not 1900 <= value.year <= 2999:
        raise InputError(f"日期“{value.isoformat()}”的年份不合理")
    return value


def canonical_amount(value: Decimal) -> Decimal:
    """An amount with at least two and at most four places, trailing zeros beyond two dropped.

    This is the one form an amount takes in memory, in the database and in the exchange file, so
    that export → import → export gives the same bytes.
    """
    q = value.quantize(AMOUNT_QUANTUM, rounding=ROUND_HALF_UP)
    while q.as_tuple().exponent < -2 and q == q.quantize(
        Decimal(1).scaleb(q.as_tuple().exponent + 1)
    ):  # type: ignore[operator]
        q = q.quantize(Decimal(1).scaleb(q.as_tuple().exponent + 1))  # type: ignore[operator]
    return q + 0 if q != 0 else Decimal("0.00")


def canonical_decimal(value: Decimal) -> Decimal:
    """A weight, score or value with trailing zeros dropped and no exponent (``10``, ``0.5``)."""
    if value == 0:
        return Decimal(0)
    n = value.normalize()
    if n.as_tuple().exponent > 0:  # type: ignore[operator]
        n = n.quantize(Decimal(1))
    return n


def round2(value: Decimal) -> Decimal:
    """Round half up to two places: how rates, scores and printed amounts are shown."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal | None, *, blank: str = "") -> str:
    """An amount as printed: two places, rounded half up; ``blank`` for an empty cell."""
    if value is None:
        return blank
    return f"{round2(value):f}"


def format_plain(value: Decimal | None, *, blank: str = "") -> str:
    """A number with trailing zeros dropped (``0.30`` → ``0.3``, ``12.00`` → ``12``), as prose writes it."""
    if value is None:
        return blank
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def format_entered(value: Decimal | None) -> str:
    """An amount as an editor and the exchange file show it: two to four places, nothing lost."""
    if value is None:
        return ""
    return f"{canonical_amount(value):f}"


def format_percent(rate: Decimal | None, *, blank: str = "—") -> str:
    """A rate (0.9911) as a percentage with two places (``99.11%``)."""
    if rate is None:
        return blank
    return f"{round2(rate * 100):f}%"


def amounts_agree(a: Decimal, b: Decimal) -> bool:
    """True when two amounts differ by no more than the 0.01 万元 尾差."""
    return abs(a - b) <= TOLERANCE

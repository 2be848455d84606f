"""Column types that keep numbers exact in SQLite.

SQLAlchemy's ``Numeric`` on SQLite stores a binary float, so amounts are stored as INTEGER counts
of 元 (0.0001 万元) and other decimals (weights, scores, indicator values, areas) as canonical
decimal TEXT (read back by :mod:`perfdesk.storage.rows`, which needs no SQLAlchemy). Both refuse a value that would lose a digit instead of rounding it silently.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.types import TypeDecorator

from perfdesk.domain.numbers import AMOUNT_PLACES, canonical_decimal
from perfdesk.storage.rows import date_from_column, decimal_from_column, money_from_column

_SCALE = 10**AMOUNT_PLACES


class Money(TypeDecorator[Decimal]):
    """An amount in 万元, stored as an integer number of 元."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"Money column needs a Decimal, got {type(value).__name__}")
        scaled = value.scaleb(AMOUNT_PLACES)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"amount {value} has more than {AMOUNT_PLACES} decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else money_from_column(value)


class DecimalText(TypeDecorator[Decimal]):
    """A plain decimal (weight, score, value, area), stored as its canonical text."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"DecimalText column needs a Decimal, got {type(value).__name__}")
        return f"{canonical_decimal(value):f}"

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else decimal_from_column(value)


class DateText(TypeDecorator[dt.date]):
    """A date stored as ISO text (``2025-10-17``)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, dt.date):
            raise TypeError(f"DateText column needs a date, got {type(value).__name__}")
        return value.isoformat()

    def process_result_value(self, value: Any, dialect: Any) -> dt.date | None:
        return None if value is None else date_from_column(value)

"""Exact money: what the clerk types is what is stored, summed and printed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfdesk.domain.numbers import (
    InputError,
    format_amount,
    format_entered,
    format_percent,
    parse_amount,
    parse_count,
    parse_decimal,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4532.05", "4532.05"),
        ("1,234.56", "1234.56"),
        ("１２３４．５６", "1234.56"),
        ("4532.05万元", "4532.05"),
        (" 12 万 ", "12.00"),
        ("0.1", "0.10"),
        ("12.3456", "12.3456"),
        ("9999999999.99", "9999999999.99"),
    ],
)
def test_amounts_accept_what_a_clerk_pastes(typed: str, expected: str) -> None:
    assert format_entered(parse_amount(typed)) == expected


def test_empty_amount_is_blank_not_zero() -> None:
    assert parse_amount("") is None
    assert parse_amount("  ") is None
    assert parse_amount("0") == Decimal("0")


@pytest.mark.parametrize("typed", ["abc", "12元3", "1e3", "1,23.4", "--5", "12.3.4", "NaN", "inf"])
def test_letters_and_malformed_numbers_are_refused_in_chinese(typed: str) -> None:
    with pytest.raises(InputError, match="金额|千位分隔符"):
        parse_amount(typed)


def test_over_precise_and_negative_amounts_are_refused() -> None:
    with pytest.raises(InputError, match="最多保留4位小数"):
        parse_amount("1.23456")
    with pytest.raises(InputError, match="不能为负数"):
        parse_amount("-3")
    assert parse_amount("-3", allow_negative=True) == Decimal("-3")


def test_ten_times_ten_fen_is_exactly_one() -> None:
    total = sum((parse_amount("0.10") for _ in range(10)), Decimal(0))
    assert total == Decimal("1.00")
    assert format_amount(total) == "1.00"


def test_printed_amounts_round_half_up() -> None:
    assert format_amount(Decimal("0.125")) == "0.13"
    assert format_amount(Decimal("2.005")) == "2.01"
    assert format_amount(None) == ""


def test_percent_is_rounded_half_up_from_the_unrounded_rate() -> None:
    assert format_percent(Decimal("4532.05") / Decimal("4572.76")) == "99.11%"
    assert format_percent(Decimal("0.43335")) == "43.34%"
    assert format_percent(None) == "—"


def test_counts_are_whole_non_negative_numbers() -> None:
    assert parse_count("12") == 12
    assert parse_count("１２人") == 12
    assert parse_count("") is None
    with pytest.raises(InputError, match="整数"):
        parse_count("12.5")
    with pytest.raises(InputError, match="不能为负数"):
        parse_count("-1")


def test_decimals_keep_their_value_and_drop_a_percent_sign() -> None:
    assert parse_decimal("95%") == Decimal("95")
    assert parse_decimal("0.50") == Decimal("0.5")
    with pytest.raises(InputError, match="数值格式不正确"):
        parse_decimal("九十五")

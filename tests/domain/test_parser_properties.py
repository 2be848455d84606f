"""Property tests for every parser of what a clerk types: amounts, decimals and percentages, counts
and dates. For any text at all, a parser returns a value or raises InputError (in Chinese) —
nothing else escapes — and a value it accepts is exactly what was typed: never rounded, never
truncated, never a different day.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from perfdesk.domain.numbers import (
    AMOUNT_LIMIT,
    InputError,
    check_amount,
    format_entered,
    parse_amount,
    parse_count,
    parse_date,
    parse_decimal,
)
from tests.domain.typed import typed_number

pytestmark = pytest.mark.slow  # long: skipped by the quick command, run by CI

# PERFDESK_PROPERTY_EXAMPLES=5000 for a thorough run; the default keeps the suite quick.
PROPERTY = settings(
    max_examples=int(os.environ.get("PERFDESK_PROPERTY_EXAMPLES", "300")), deadline=None
)

# Texts a clerk might plausibly produce, plus anything at all.
CELL_CHARS = list("0123456789.,-+ %万元分人个年月日/０１２３４５６７８９．，－＋％　\u00a0eE٣")
cells = st.one_of(
    st.text(alphabet=st.sampled_from(CELL_CHARS), max_size=24),
    st.text(max_size=24),
)

amounts = st.decimals(
    min_value=-(AMOUNT_LIMIT - 1),
    max_value=AMOUNT_LIMIT - 1,
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def _grouped(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):f}".partition(".")
    return sign + f"{int(whole):,}" + (f".{frac}" if frac else "")


@st.composite
def typed_amounts(draw: st.DrawFn) -> tuple[Decimal, str]:
    """An amount and one way a clerk may type it (grouping, full width, 万元, spaces)."""
    value = draw(amounts)
    text = draw(st.sampled_from([f"{value:f}", _grouped(value), format_entered(value)]))
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    text += draw(st.sampled_from(["", "万元", "万"]))
    return value, draw(st.sampled_from(["", " ", "　"])) + text + draw(
        st.sampled_from(["", " ", "\u00a0"])
    )


@PROPERTY
@given(typed_amounts())
@example((Decimal("4532.05"), "4,532.05万元"))
@example((Decimal("0.0001"), "０．０００１"))
def test_a_typed_amount_is_stored_exactly_as_typed(case: tuple[Decimal, str]) -> None:
    value, text = case
    assert parse_amount(text, allow_negative=True) == value


@PROPERTY
@given(amounts, st.integers(min_value=1, max_value=6))
def test_an_amount_with_more_than_four_places_is_refused_never_rounded(
    value: Decimal, extra: int
) -> None:
    text = f"{value:.4f}" + "0" * (extra - 1) + "7"  # a non-zero fifth (or later) decimal place
    try:
        parse_amount(text, allow_negative=True)
    except InputError as exc:
        assert "最多保留4位小数" in str(exc)
    else:
        raise AssertionError(f"{text!r} was accepted: a fifth decimal place would be lost")


@PROPERTY
@given(cells)
@example("1e5")
@example("١٢")
@example("--1")
@example("1,2345")
def test_any_text_in_an_amount_cell_is_a_value_as_typed_or_a_chinese_refusal(text: str) -> None:
    try:
        value = parse_amount(text, allow_negative=True)
    except InputError as exc:
        assert str(exc) and any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))
        return
    if value is None:
        assert text.strip() == ""
        return
    assert value == typed_number(text), f"{text!r} became {value}"
    assert check_amount(value, allow_negative=True) == value  # and it is a storable amount


@PROPERTY
@given(cells)
@example("95%")
@example("12.5分")
def test_any_text_in_a_score_or_percentage_cell(text: str) -> None:
    try:
        value = parse_decimal(text, allow_negative=True)
    except InputError as exc:
        assert str(exc)
        return
    if value is None:
        assert text.strip() == ""
        return
    assert value == typed_number(text), f"{text!r} became {value}"


@PROPERTY
@given(
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "%", "分"]),
)
def test_a_typed_score_or_percentage_is_kept_exactly(value: Decimal, suffix: str) -> None:
    assert parse_decimal(f"{value:f}{suffix}") == value


@PROPERTY
@given(
    st.integers(min_value=0, max_value=10_000_000), st.sampled_from(["", "人", "个"]), st.booleans()
)
def test_a_typed_count_is_kept_exactly(count: int, suffix: str, fullwidth: bool) -> None:
    text = str(count) + suffix
    if fullwidth:
        text = text.translate(FULLWIDTH)
    assert parse_count(text) == count


@PROPERTY
@given(cells)
@example("12.0")
@example("1,234")
def test_any_text_in_a_count_cell(text: str) -> None:
    try:
        value = parse_count(text)
    except InputError as exc:
        assert str(exc)
        return
    if value is None:
        assert typed_number(text) is None or text.strip() == ""
        return
    assert Decimal(value) == typed_number(text), f"{text!r} became {value}"


@PROPERTY
@given(
    st.one_of(
        st.integers(), st.booleans(), st.none(), st.decimals(allow_nan=True, allow_infinity=True)
    )
)
def test_values_that_are_not_text_are_checked_too(raw: object) -> None:
    """A JSON value that is not text: its own number exactly, blank for null, or a Chinese refusal."""
    for parse in (
        lambda r: parse_amount(r, allow_negative=True),  # type: ignore[arg-type]
        lambda r: parse_decimal(r, allow_negative=True),  # type: ignore[arg-type]
        parse_count,
    ):
        try:
            value = parse(raw)
        except InputError as exc:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)), str(exc)
            assert raw is not None
            continue
        if raw is None:
            assert value is None
        else:
            assert not isinstance(raw, bool), f"{raw!r} was taken as the number {value}"
            assert Decimal(value) == raw


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31))


@st.composite
def typed_dates(draw: st.DrawFn) -> tuple[dt.date, str]:
    d = draw(dates)
    padded = draw(st.booleans())
    m, day = (f"{d.month:02d}", f"{d.day:02d}") if padded else (str(d.month), str(d.day))
    text = draw(
        st.sampled_from(
            [
                f"{d.year}-{m}-{day}",
                f"{d.year}.{m}.{day}",
                f"{d.year}/{m}/{day}",
                f"{d.year}年{m}月{day}日",
                f"{d.year}年{m}月{day}",
                f"{d:%Y%m%d}",
            ]
        )
    )
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    return d, draw(st.sampled_from(["", " "])) + text + draw(st.sampled_from(["", " ", "　"]))


@PROPERTY
@given(typed_dates())
@example((dt.date(2025, 10, 17), "2025年10月17日"))
@example((dt.date(2024, 2, 29), "2024.2.29"))
def test_a_typed_date_is_that_day(case: tuple[dt.date, str]) -> None:
    day, text = case
    assert parse_date(text) == day


@PROPERTY
@given(st.integers(1900, 2999), st.integers(0, 99), st.integers(0, 99))
def test_a_day_that_does_not_exist_is_refused_not_moved(year: int, month: int, day: int) -> None:
    text = f"{year}-{month:02d}-{day:02d}"
    try:
        real = dt.date(year, month, day)
    except ValueError:
        try:
            parse_date(text)
        except InputError as exc:
            assert "不存在" in str(exc)
        else:
            raise AssertionError(f"{text} does not exist but was accepted") from None
    else:
        assert parse_date(text) == real


@PROPERTY
@given(cells)
@example("2025-10-17")
@example("2025年13月1日")
def test_any_text_in_a_date_cell(text: str) -> None:
    try:
        value = parse_date(text)
    except InputError as exc:
        assert "日期" in str(exc)
        return
    if value is None:
        assert text.strip() == ""
        return
    # The numbers in the text, read with Unicode's digits, are that day's year, month and day.
    numbers = [int(g) for g in re.findall(r"\d+", unicodedata.normalize("NFKC", text))]
    assert numbers in ([value.year, value.month, value.day], [int(f"{value:%Y%m%d}")]), (
        text,
        value,
    )

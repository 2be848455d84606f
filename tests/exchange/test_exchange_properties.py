"""Property tests for the exchange file loader: random damage to a valid file.

Whatever the bytes, :func:`loads` returns a report or raises :class:`ExchangeError` (an
``InputError`` with a Chinese message) — never anything else. And when a damaged file is still
accepted, every value in the report is what the file said: writing the report back gives the same
document, value for value (an amount typed ``"1,234.5"`` comes back as ``"1234.50"``, the same
number).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from perfdesk.domain.model import Method, QualitativeGrade
from perfdesk.domain.numbers import InputError
from perfdesk.domain.templates import new_project, new_report
from perfdesk.exchange.jsonfile import ExchangeError, dumps, loads
from perfdesk.resources import resource
from tests.domain.typed import typed_number

pytestmark = pytest.mark.slow  # long: skipped by the quick command, run by CI

# PERFDESK_PROPERTY_EXAMPLES=5000 for a thorough run; the default keeps the suite quick.
PROPERTY = settings(
    max_examples=int(os.environ.get("PERFDESK_PROPERTY_EXAMPLES", "200")), deadline=None
)


def _valid_text() -> str:
    """The shipped sample when there is one (the richest file we have), else a filled template."""
    try:
        return resource("sample", "sample_report.json").read_text(encoding="utf-8")
    except OSError:
        pass
    r = new_report("测试单位", 2024)
    r.report_date = dt.date(2025, 3, 31)
    r.actual_staff = 42
    r.personnel_expense = Decimal("1234.5678")
    p = new_project("城乡低保")
    p.full_year_budget, p.executed = Decimal("100.00"), Decimal("99.11")
    p.execution_weight = Decimal("10")
    ind = p.indicators[0]
    ind.method, ind.target_value, ind.actual_value, ind.weight = (
        Method.AT_LEAST,
        Decimal("95"),
        Decimal("96.5"),
        Decimal("5"),
    )
    graded = p.indicators[1]
    graded.method, graded.grade, graded.weight = (
        Method.QUALITATIVE,
        QualitativeGrade.ACHIEVED,
        Decimal("5"),
    )
    r.projects = [p]
    r.budget_line("total").executed = Decimal("4532.05")
    return dumps(r)


VALID = _valid_text()
VALID_DOC = json.loads(VALID, parse_float=Decimal)


def _accepts_or_refuses(data: bytes | str) -> Any:
    try:
        return loads(data)
    except ExchangeError as exc:
        assert isinstance(exc, InputError)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)), f"not Chinese: {exc}"
        return None


# --- byte-level damage ---------------------------------------------------------------------------


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]))
        if op == "flip" and pos < len(data):
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 40))]
        elif op == "insert":
            data[pos:pos] = draw(
                st.binary(min_size=1, max_size=12)
                | st.sampled_from([b'"', b",", b"[", b"{", b"\\u", b"\\ud800", b"1e999", b"NaN"])
            )
        elif op == "truncate":
            del data[pos:]
        elif op == "duplicate":
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 80))]
    return bytes(data)


@PROPERTY
@given(damaged_bytes())
@example(b"[" * 100_000)
@example(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
@example(VALID.encode("utf-16"))
def test_damaged_bytes_are_read_or_refused_in_chinese(data: bytes) -> None:
    report = _accepts_or_refuses(data)
    if report is not None:
        dumps(report).encode("utf-8")  # an accepted report can always be written out again


# --- value-level damage --------------------------------------------------------------------------


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*path, i))
    return found


ALL_PATHS = [p for p in _paths(VALID_DOC) if p]

# Raw JSON tokens, so that no binary float is ever made in this test: the loader must refuse them.
RAW_TOKENS = [
    "12.5",
    "1e400",
    "-0",
    "1E2",
    "NaN",
    "Infinity",
    "-Infinity",
    "null",
    "true",
    "false",
    "[]",
    "{}",
    "0",
    "-1",
    "99999999999999999999",
    "2024",
    '"2025-02-30"',
    '"20251017"',
    '"2025-W42-5"',
]
typed_strings = st.one_of(
    st.sampled_from(
        [
            "1,234.5",
            "１２３４．５",
            "12.3456",
            "12.34567",
            "1e5",
            "95%",
            "12分",
            "-0.00",
            "0.0001",
            " 7 ",
            "4532.05万元",
            "",
            "12a",
            "qualitative",
            ">=",
            "<=",
            "=",
            "达成年度指标",
            "special",
        ]
    ),
    st.text(max_size=12),
    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(lambda d: f"{d:f}"),
)


@st.composite
def damaged_documents(draw: st.DrawFn) -> str:
    """The valid file with one value replaced, one key removed or one key added (as JSON text)."""
    doc = json.loads(VALID, parse_float=Decimal)
    path = draw(st.sampled_from(ALL_PATHS))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    action = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
    marker = "\u0000MUTATION\u0000"
    if action == "remove":
        del parent[last]
        return json.dumps(doc, ensure_ascii=False, default=str)
    if action == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["extra", "id", "unit_name_2"]))] = marker
    else:
        parent[last] = marker
    token = draw(
        st.one_of(
            st.sampled_from(RAW_TOKENS),
            typed_strings.map(lambda t: json.dumps(t, ensure_ascii=False)),
            st.integers().map(str),
        )
    )
    text = json.dumps(doc, ensure_ascii=False, default=str)
    return text.replace(json.dumps(marker, ensure_ascii=False), token, 1)


def _same_value(given_value: Any, written: Any, path: str) -> None:
    if isinstance(given_value, dict) and isinstance(written, dict):
        for key in set(given_value) | set(written):
            if key not in given_value:  # only a list may be left out (it means no items)
                assert written[key] == [], f"{path}.{key} appeared from nowhere"
                continue
            assert key in written, f"{path}.{key} was dropped"
            _same_value(given_value[key], written[key], f"{path}.{key}")
        return
    if isinstance(given_value, list) and isinstance(written, list):
        assert len(given_value) == len(written), f"{path}: rows were lost or added"
        for i, (a, b) in enumerate(zip(given_value, written, strict=True)):
            _same_value(a, b, f"{path}[{i}]")
        return
    if given_value == written and type(given_value) is type(written):
        return
    if written is None and isinstance(given_value, str) and given_value.strip() == "":
        return  # an empty cell typed as "" is the same blank as null
    if isinstance(given_value, str) and isinstance(written, str):
        a, b = typed_number(given_value), typed_number(written)
        if a is not None and a == b:
            return
        try:
            if dt.date.fromisoformat(given_value) == dt.date.fromisoformat(written):
                return
        except ValueError:
            pass
    raise AssertionError(f"{path}: the file said {given_value!r}, the report holds {written!r}")


@PROPERTY
@given(damaged_documents())
def test_a_value_accepted_from_a_damaged_file_is_what_the_file_said(text: str) -> None:
    report = _accepts_or_refuses(text.encode("utf-8"))
    if report is None:
        return
    given_doc = json.loads(text, parse_float=Decimal)
    written_doc = json.loads(dumps(report), parse_float=Decimal)
    # Keys beside "report" (format, version, anything else) carry no figure of the report.
    _same_value(given_doc["report"], written_doc["report"], "report")


def test_the_valid_file_itself_round_trips() -> None:
    assert dumps(loads(VALID.encode("utf-8"))) == VALID


def test_a_lone_surrogate_escape_is_refused_not_stored() -> None:
    doc = json.loads(VALID)
    doc["report"]["preparer"] = "\ud800"
    try:
        loads(json.dumps(doc).encode("utf-8"))
    except ExchangeError as exc:
        assert "report.preparer" in str(exc) and "无效的字符" in str(exc)
    else:
        raise AssertionError("a text that cannot be saved was accepted")


def test_a_list_that_is_not_a_list_is_refused_not_taken_as_empty() -> None:
    doc = json.loads(VALID)
    doc["report"]["lists"]["offices"] = ""
    try:
        loads(json.dumps(doc).encode("utf-8"))
    except ExchangeError as exc:
        assert "report.lists.offices：应为列表" in str(exc)
    else:
        raise AssertionError("a text in place of a list was taken as an empty list")


def test_deeply_nested_brackets_are_refused_in_chinese() -> None:
    try:
        loads(b"[" * 100_000)
    except ExchangeError as exc:
        assert "嵌套层数过多" in str(exc)
    else:
        raise AssertionError("accepted")

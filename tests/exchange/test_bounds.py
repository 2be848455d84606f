"""Whatever an exchange file holds, reading it ends in one Chinese sentence naming the field —
never another exception — and sizes are bounded: a 20 MB paragraph is refused at the door (and by
the services, however it arrives), not printed for minutes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfdesk import cli
from perfdesk.domain import limits
from perfdesk.domain.numbers import InputError
from perfdesk.domain.templates import new_project, new_report
from perfdesk.exchange.jsonfile import ExchangeError, dumps, loads
from perfdesk.services import Workspace


def _doc() -> dict:
    report = new_report("测试单位", 2024)
    report.projects = [new_project("项目甲")]
    return json.loads(dumps(report))


def _text(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False)


def test_a_5000_digit_integer_names_its_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It ended in "内部错误：ValueError: Exceeds the limit (4300 digits)", exit 3."""
    text = _text(_doc()).replace('"year": 2024', '"year": ' + "9" * 5000)
    with pytest.raises(ExchangeError, match=r"字段 report\.year：数字过大（5000 位）"):
        loads(text)
    doc = _doc()
    doc["report"]["posts"] = [{"kind": "行政编制", "count": 1}]
    text = _text(doc).replace('"count": 1', '"count": -' + "1" * 5000)
    with pytest.raises(ExchangeError, match=r"report\.posts\[0\]\.count：数字过大"):
        loads(text)
    exchange = tmp_path / "huge.json"
    exchange.write_text(text, encoding="utf-8")
    assert cli.main(["import", str(exchange), "--db", str(tmp_path / "a.db")]) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert "数字过大" in err and "内部错误" not in err
    assert not (tmp_path / "a.db").exists()


def test_deep_nesting_anywhere_is_refused() -> None:
    for depth in (100, 100_000):
        doc = _doc()
        nested = "[" * depth + "]" * depth
        doc["report"]["unit_level"] = "@@"
        text = _text(doc).replace('"@@"', nested)
        with pytest.raises(ExchangeError):
            loads(text)


def test_a_text_over_the_limit_is_refused_at_import_naming_the_field() -> None:
    doc = _doc()
    doc["report"]["projects"][0]["narrative"] = "长" * (limits.MAX_TEXT_CHARS + 1)
    with pytest.raises(
        ExchangeError,
        match=r"report\.projects\[0\]\.narrative：文字过长：共 200,001 字，每一项最多 200,000 字",
    ):
        loads(_text(doc))
    doc["report"]["projects"][0]["narrative"] = "长" * limits.MAX_TEXT_CHARS
    assert len(loads(_text(doc)).projects[0].narrative) == limits.MAX_TEXT_CHARS


def test_too_many_rows_and_too_big_a_file_are_refused() -> None:
    doc = _doc()
    doc["report"]["notes"] = [{"rule": "", "place": "", "text": ""}] * (limits.MAX_ROWS + 1)
    with pytest.raises(
        ExchangeError, match=r"report\.notes：共 5,001 行，超过每个列表 5,000 行的上限"
    ):
        loads(_text(doc))
    with pytest.raises(ExchangeError, match="交换文件过大"):
        loads(b" " * (limits.MAX_EXCHANGE_BYTES + 1))


def test_a_message_never_quotes_a_huge_value() -> None:
    doc = _doc()
    doc["report"]["kind"] = "x" * 100_000
    doc["report"]["unknown" * 1000] = 1
    with pytest.raises(ExchangeError) as info:
        loads(_text(doc))
    assert len(str(info.value)) < 300
    doc = _doc()
    doc["report"]["kind"] = "y" * 100_000
    with pytest.raises(ExchangeError, match="取值“y{40}…”无效") as info:
        loads(_text(doc))
    assert len(str(info.value)) < 300


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(field=st.sampled_from(sorted(_doc()["report"])), value=JSON_VALUES)
def test_any_value_in_any_field_is_read_or_refused_in_chinese(field: str, value: object) -> None:
    doc = _doc()
    doc["report"][field] = value
    try:
        loads(json.dumps(doc, ensure_ascii=False))
    except ExchangeError as exc:
        assert str(exc).startswith(("交换文件", "这不是"))


# --- the same bound when text is typed or pasted (the services refuse it) --------------------------


def test_the_services_refuse_a_text_over_the_limit_in_chinese(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "a.db")
    try:
        report = new_report("测试单位", 2024)
        report.projects = [new_project("项目甲")]
        rid = ws.add_report(report)
        pid = ws.load(rid).projects[0].id
        huge = "粘" * (limits.MAX_TEXT_CHARS + 1)
        with pytest.raises(InputError, match="文字过长：共 200,001 字，每一项最多 200,000 字"):
            ws.update("project", pid, {"narrative": huge})
        with pytest.raises(InputError, match="文字过长"):
            ws.insert("note", {"report_id": rid}, None, {"rule": "", "place": "", "text": huge})
        big = new_report("另一单位", 2024)
        big.goal_actual = huge
        with pytest.raises(InputError, match="文字过长"):
            ws.add_report(big)
        assert ws.load(rid).projects[0].narrative == ""
        assert [r.unit_name for r in ws.list_reports()] == ["测试单位"]
        ws.update("project", pid, {"narrative": "粘" * limits.MAX_TEXT_CHARS})  # the limit itself
    finally:
        ws.close()

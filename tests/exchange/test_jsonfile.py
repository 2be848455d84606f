"""The JSON exchange file: canonical, exact, strict about what it accepts."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from perfdesk.domain.templates import new_project, new_report
from perfdesk.exchange.jsonfile import ExchangeError, dumps, loads


def _report():
    r = new_report("测试单位", 2024)
    r.projects = [new_project("项目甲")]
    r.projects[0].executed = Decimal("9999999999.99")
    r.budget_line("total").full_year_budget = Decimal("0.10")
    r.lists["duties"] = []
    return r


def _doc(report=None) -> dict:
    return json.loads(dumps(report or _report()))


def test_amounts_are_decimal_strings_and_the_file_is_readable_utf8() -> None:
    text = dumps(_report())
    assert '"executed": "9999999999.99"' in text
    assert "测试单位" in text  # not \\u escapes
    assert loads(text.encode("utf-8")).projects[0].executed == Decimal("9999999999.99")


def test_export_import_export_is_byte_identical() -> None:
    first = dumps(_report()).encode("utf-8")
    assert dumps(loads(first)).encode("utf-8") == first


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["report"]["projects"][0].__setitem__("executed", "12a"),
            r"report\.projects\[0\]\.executed：金额格式不正确",
        ),
        (
            lambda d: d["report"]["projects"][0].__setitem__("executed", "1.23456"),
            r"report\.projects\[0\]\.executed：金额最多保留4位小数",
        ),
        (
            lambda d: d["report"]["projects"][0].__setitem__("executed", 12.5),
            r"report\.projects\[0\]\.executed：数字须写成字符串",
        ),
        (lambda d: d["report"].pop("year"), r"report\.year：缺少此字段"),
        (lambda d: d.__setitem__("version", 99), "版本 99 不受支持"),
        (
            lambda d: d["report"]["indicators"][0].__setitem__("method", "bigger"),
            r"report\.indicators\[0\]\.method：取值“bigger”无效",
        ),
        (
            lambda d: d["report"].__setitem__("report_date", "2025-13-40"),
            r"report\.report_date：日期",
        ),
        (lambda d: d["report"].__setitem__("surprise", 1), "未知字段“surprise”"),
        (lambda d: d.__setitem__("extra", 1), "未知字段“extra”"),
    ],
)
def test_bad_fields_are_refused_naming_the_field(mutate, message) -> None:
    doc = _doc()
    mutate(doc)
    with pytest.raises(ExchangeError, match=message):
        loads(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def test_not_json_and_not_utf8_are_refused_with_the_line() -> None:
    with pytest.raises(ExchangeError, match="不是有效的 JSON：第 2 行"):
        loads(b"{\n  oops\n}")
    with pytest.raises(ExchangeError, match="不是有效的 UTF-8 文本（第 1 行）"):
        loads('{"format": "是"}'.encode("gbk"))
    with pytest.raises(ExchangeError, match="不是 perfdesk 报告交换文件"):
        loads(b'{"a": 1}')

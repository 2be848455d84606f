"""The JSON exchange file: one report, versioned, UTF-8, amounts as decimal strings.

The file is a faithful, readable dump of :class:`perfdesk.domain.model.Report` (field names as in
the model, in the model's order; database ids left out). Writing is canonical, so that export →
import → export gives the same bytes. Reading is strict: every field must be there with the right
kind of value, or the whole file is refused with a message naming the field.

Files written by an earlier perfdesk stay readable: each older version has an upgrade step here
(:data:`UPGRADES`) that turns its ``report`` object into the next version's, before the strict
reading. Version history:

1. perfdesk 0.1: the first format.
2. ``kind`` (department | project) and ``is_sample`` on the report; a fund section's ``status``
   (有 / 无 / 未说明) instead of ``has_budget``; a project's ``category`` free text (the old
   ``专项资金`` becomes the unit's level + 专项资金, what 附件1 printed for it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import json
import logging
import types
import typing
from decimal import Decimal
from typing import Any

from perfdesk.domain.limits import MAX_EXCHANGE_BYTES, MAX_ROWS, MAX_TEXT_CHARS
from perfdesk.domain.model import AMOUNT_FIELDS, LIST_KEYS, ListItem, Report, ReportKind
from perfdesk.domain.numbers import (
    InputError,
    canonical_decimal,
    format_entered,
    parse_amount,
    parse_count,
    parse_decimal,
)

FORMAT = "perfdesk-report"
VERSION = 2
MAX_DIGITS = 30
"""Digits an integer in the file may have (a count or a year needs four)."""

log = logging.getLogger(__name__)


class ExchangeError(InputError):
    """An exchange file that cannot be read; the message names the field or line."""


# --- writing -------------------------------------------------------------------------------------


def _encode(value: Any, name: str = "") -> Any:
    if dataclasses.is_dataclass(value):
        return {
            f.name: _encode(getattr(value, f.name), f.name)
            for f in dataclasses.fields(value)
            if f.name != "id"
        }
    if isinstance(value, dict):  # Report.lists
        return {key: _encode(value.get(key, []), key) for key in LIST_KEYS}
    if isinstance(value, list):
        return [_encode(v, name) for v in value]
    if isinstance(value, Decimal):
        return format_entered(value) if name in AMOUNT_FIELDS else f"{canonical_decimal(value):f}"
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dumps(report: Report) -> str:
    """The exchange file's text for ``report``."""
    doc = {"format": FORMAT, "version": VERSION, "report": _encode(report)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def dump_bytes(report: Report) -> bytes:
    return dumps(report).encode("utf-8")


# --- reading -------------------------------------------------------------------------------------


def _fail(path: str, message: str) -> typing.NoReturn:
    raise ExchangeError(f"交换文件字段 {path}：{message}")


class _HugeNumber:
    """An integer written with more than :data:`MAX_DIGITS` digits, kept as its text: Python
    refuses to make an int of over 4,300 digits, and no field of a report needs more than 30."""

    def __init__(self, text: str) -> None:
        self.digits = len(text.lstrip("-"))


def _parse_int(text: str) -> int | _HugeNumber:
    return _HugeNumber(text) if len(text) > MAX_DIGITS else int(text)


def _show(raw: Any) -> str:
    """A value as a message may quote it: short, and never the repr of a huge structure."""
    if isinstance(raw, str | int | float | bool) and not isinstance(raw, _HugeNumber):
        text = str(raw)
        return text if len(text) <= 40 else text[:40] + "…"
    return type(raw).__name__


def _names(keys: set[str]) -> str:
    shown = [k if len(k) <= 40 else k[:40] + "…" for k in sorted(keys)[:10]]
    return "、".join(shown) + ("…" if len(keys) > 10 else "")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _type_hints(tp: type) -> dict[str, Any]:
    # Worked out once per dataclass: typing.get_type_hints on every row was most of the reading
    # time (gathering a folder of hundreds of files reads thousands of rows).
    return typing.get_type_hints(tp)


def _decode(tp: Any, raw: Any, path: str, name: str) -> Any:
    if isinstance(raw, _HugeNumber):
        _fail(path, f"数字过大（{raw.digits} 位），报告中没有这么大的数")
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if raw is None:
            return None
        return _decode(args[0], raw, path, name)
    if tp is Any:
        return raw
    if origin is list:
        if not isinstance(raw, list):
            _fail(path, "应为列表")
        if len(raw) > MAX_ROWS:
            _fail(path, f"共 {len(raw):,} 行，超过每个列表 {MAX_ROWS:,} 行的上限")
        (item_tp,) = typing.get_args(tp)
        return [_decode(item_tp, v, f"{path}[{i}]", name) for i, v in enumerate(raw)]
    if origin is dict:  # Report.lists: {list key: [ListItem]}
        if not isinstance(raw, dict):
            _fail(path, "应为对象")
        unknown = set(raw) - set(LIST_KEYS)
        if unknown:
            _fail(path, f"未知的列表“{_names(unknown)}”")
        lists = {}
        for key, items in raw.items():
            if not isinstance(items, list):  # also "" or null: not silently an empty list
                _fail(f"{path}.{key}", "应为列表")
            if len(items) > MAX_ROWS:
                _fail(f"{path}.{key}", f"共 {len(items):,} 行，超过每个列表 {MAX_ROWS:,} 行的上限")
            if items:
                lists[key] = [
                    _decode(ListItem, v, f"{path}.{key}[{i}]", key) for i, v in enumerate(items)
                ]
        return lists
    if dataclasses.is_dataclass(tp):
        if not isinstance(raw, dict):
            _fail(path, "应为对象")
        hints = _type_hints(tp)
        fields = [f for f in dataclasses.fields(tp) if f.name != "id"]
        known = {f.name for f in fields}
        unknown = set(raw) - known
        if unknown:
            _fail(path, f"未知字段“{_names(unknown)}”")
        kwargs = {}
        for f in fields:
            where = f"{path}.{f.name}"
            if f.name not in raw:
                _fail(where, "缺少此字段")
            try:
                kwargs[f.name] = _decode(hints[f.name], raw[f.name], where, f.name)
            except (ExchangeError, RecursionError):
                raise
            except Exception as exc:  # noqa: BLE001 - any other failure still names the field
                log.warning("unexpected error reading %s: %r", where, type(exc))
                _fail(where, f"无法读取（{type(exc).__name__}）")
        return tp(**kwargs)
    if tp is Decimal:
        if not isinstance(raw, str):
            _fail(path, '数字须写成字符串，如 "4532.05"')
        try:
            if name in AMOUNT_FIELDS:
                return parse_amount(raw, allow_negative=True)
            return parse_decimal(raw, allow_negative=True)
        except InputError as exc:
            _fail(path, str(exc))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        try:
            return tp(raw)
        except (ValueError, TypeError):
            allowed = "、".join(str(m.value) for m in tp)
            _fail(path, f"取值“{_show(raw)}”无效，应为：{allowed}")
    if tp is bool:
        if not isinstance(raw, bool):
            _fail(path, "应为 true 或 false")
        return raw
    if tp is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            _fail(path, "应为整数")
        if name != "year":
            try:
                return parse_count(raw)
            except InputError as exc:
                _fail(path, str(exc))
        return raw
    if tp is str:
        if not isinstance(raw, str):
            _fail(path, "应为文字")
        if len(raw) > MAX_TEXT_CHARS:
            _fail(path, f"文字过长：共 {len(raw):,} 字，每一项最多 {MAX_TEXT_CHARS:,} 字")
        if not _encodable(raw):  # "\ud800" escapes decode to text no file or database can hold
            _fail(path, "含有无效的字符（不成对的 \\uD800–\\uDFFF 转义），请检查文件")
        return raw
    if tp is dt.date:
        if not isinstance(raw, str):
            _fail(path, '日期应写成 "2025-10-17"')
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            _fail(path, f'日期“{_show(raw)}”无效，应写成 "2025-10-17"')
    raise TypeError(f"unsupported field type {tp!r} at {path}")  # pragma: no cover - model bug


def _upgrade_1_to_2(report: dict[str, Any]) -> dict[str, Any]:
    report.setdefault("kind", "department")
    report.setdefault("is_sample", False)
    for i, fund in enumerate(_list_of_objects(report, "special_funds")):
        if "has_budget" in fund:
            has = fund.pop("has_budget")
            if not isinstance(has, bool):
                _fail(f"report.special_funds[{i}].has_budget", "应为 true 或 false")
            fund["status"] = "有" if has else "无"
    level = report.get("unit_level") if isinstance(report.get("unit_level"), str) else ""
    for project in _list_of_objects(report, "projects"):
        if project.get("category") == "专项资金":
            project["category"] = f"{level}专项资金"
    return report


def _list_of_objects(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """``report[name]`` when it is a list of objects (anything else is left for the strict reader)."""
    items = report.get(name)
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]


UPGRADES = {1: _upgrade_1_to_2}
"""version → the step that turns a ``report`` object of that version into the next version's."""


def loads(data: bytes | str) -> Report:
    """Parse an exchange file; raises :class:`ExchangeError` naming what is wrong.

    Whatever the file holds — invalid UTF-8 or JSON, a 5,000-digit integer, brackets nested ten
    thousand deep, a 20 MB paragraph, a field of the wrong kind — the answer is an
    :class:`ExchangeError` in Chinese (naming the field where there is one), never another
    exception; sizes are bounded (:mod:`perfdesk.domain.limits`).
    """
    size = len(data)
    if size > MAX_EXCHANGE_BYTES:
        raise ExchangeError(
            f"交换文件过大（{size / 1024 / 1024:.0f} MB），超过 {MAX_EXCHANGE_BYTES // 1024 // 1024} MB 的上限："
            "这不像一份报告，请检查文件"
        )
    try:
        return _loads(data)
    except ExchangeError:
        raise
    except RecursionError as exc:
        raise ExchangeError("交换文件不是有效的报告：括号嵌套层数过多") from exc
    except MemoryError as exc:
        raise ExchangeError("交换文件过大，内存不足以读取") from exc
    except Exception as exc:  # noqa: BLE001 - the last line of defence: still one Chinese sentence
        log.exception("unexpected error reading an exchange file")
        raise ExchangeError(f"交换文件无法读取（{type(exc).__name__}），请检查文件") from exc


def _loads(data: bytes | str) -> Report:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ExchangeError(f"交换文件不是有效的 UTF-8 文本（第 {line} 行）") from exc
    else:
        text = data
    text = text.removeprefix("\ufeff")
    try:
        doc = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            f"交换文件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列"
        ) from exc
    except RecursionError as exc:  # thousands of nested brackets: no report is shaped like that
        raise ExchangeError("交换文件不是有效的报告：括号嵌套层数过多") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ExchangeError('这不是 perfdesk 报告交换文件（缺少 "format": "perfdesk-report"）')
    version = doc.get("version")
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or version not in (*UPGRADES, VERSION)
    ):
        raise ExchangeError(
            f"交换文件版本 {_show(version)} 不受支持：本程序读取版本 1–{VERSION}，请用较新的 perfdesk 打开"
        )
    if "report" not in doc:
        raise ExchangeError("交换文件字段 report：缺少此字段")
    unknown = set(doc) - {"format", "version", "report"}
    if unknown:
        raise ExchangeError(f"交换文件中有未知字段“{_names(unknown)}”")
    raw = doc["report"]
    if not isinstance(raw, dict):
        _fail("report", "应为对象")
    while version != VERSION:  # an older file: upgraded step by step, then read strictly
        raw = UPGRADES[version](raw)
        version += 1
    report = _decode(Report, raw, "report", "report")
    if not report.unit_name.strip():
        _fail("report.unit_name", "单位名称不能为空")
    if not 2000 <= report.year <= 2100:
        _fail("report.year", f"年度 {report.year} 不合理（应为 2000–2100 之间的年份）")
    if report.kind == ReportKind.PROJECT and len(report.projects) != 1:
        _fail("report.projects", "项目支出绩效自评报告应只有一个项目")
    return report

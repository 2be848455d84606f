"""Reading figures and indicator tables back from an Excel workbook (.xlsx).

Two shapes are understood:

- **perfdesk's own workbook** (sheets ``附件1 …``, ``附件2 …``, ``附件3-N …``, as
  :mod:`perfdesk.office.xlsx_export` writes them): the layout of the current report is built again
  (:func:`perfdesk.office.tables.forms`) and every entered cell is compared with the file's cell at
  the same place. Captions must still stand where they were (a row inserted or deleted in Excel is
  refused, not guessed at); computed cells (totals, rates, 总分) are never read back. A blank cell
  here means blank: the figure is cleared.
- **an indicator table** whose header row names the columns (一级指标, 二级指标, 三级指标, 指标值 /
  年度指标值, 实际完成值, 分值, 得分, 偏差原因…, in any order, with the usual variants), as the
  budget system's 绩效目标 export has them: rows are matched to the report's indicators by their
  three names, fill the empty rows the template keeps for a 二级指标, or are added. A blank cell
  here leaves the value as it is (the export of targets has no scores yet).

Nothing is stored here: :func:`read_workbook` returns an :class:`ImportPlan` — every change, cell
by cell, old → new — which the caller shows, asks about and stores in one transaction
(``Workspace.apply_changes``). Any bad cell refuses the whole file with a Chinese message naming
the sheet and the cell (``附件1 基础数据表!D7：金额格式不正确…``).

Numbers: openpyxl gives a number cell as ``int`` or binary ``float``. A float is turned into a
``Decimal`` through its 15 significant digits — the precision Excel itself keeps and shows — so
``=0.1+0.2`` (stored as 0.30000000000000004) reads as 0.3; an amount with more than four places
after that (a division left unrounded) is refused, never rounded silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfdesk.domain import model as m
from perfdesk.domain import scoring
from perfdesk.domain.numbers import (
    InputError,
    format_entered,
    format_plain,
    parse_amount,
    parse_count,
    parse_decimal,
)
from perfdesk.office.tables import NUMERIC_KINDS, Bind, Kind, Sheet, forms

MAX_ROWS = 20_000
"""Rows with content a sheet may have; a larger sheet is refused before it is read in full."""
MAX_PROBLEMS = 20
HEADER_SEARCH_ROWS = 30
BLANK = "（空）"


class WorkbookError(InputError):
    """The workbook cannot be imported; ``problems`` lists every bad cell (Chinese, with place)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        text = problems[0]
        if len(problems) > 1:
            text += f"（另有 {len(problems) - 1} 处问题）"
        super().__init__(text)


# --- the plan ---------------------------------------------------------------------------------------


@dataclass
class CellChange:
    """One field of one row that the import would change."""

    place: str  # 附件1 基础数据表!D7
    what: str  # 公务接待 · 2024年决算数
    old: str
    new: str
    entity: str
    field: str
    value: Any
    row_id: int | None = None
    key: str | None = None
    project_id: int | None = None
    new_row: int | None = None  # index into ImportPlan.new_rows when the row is added by the import

    @property
    def line(self) -> str:
        return f"{self.place}  {self.what}：{self.old} → {self.new}"


@dataclass
class NewRow:
    """A row the import adds (an indicator, or a 一级指标 the report does not have yet)."""

    place: str
    what: str
    entity: str  # indicator | indicator_group
    scope: dict[str, Any]
    position: int
    values: dict[str, Any]


@dataclass
class ImportPlan:
    """What importing a workbook would do to a report; nothing is stored until it is applied."""

    source: str
    shape: str  # "workbook" (perfdesk's own) or "indicators"
    changes: list[CellChange] = field(default_factory=list)
    new_rows: list[NewRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.new_rows

    def lines(self) -> list[str]:
        """The changes as the command line prints them, one cell a line."""
        return [c.line for c in self.changes]

    def summary(self) -> str:
        if self.empty:
            return "没有需要修改的数据：工作簿中的数字与当前报告一致。"
        added = sum(1 for r in self.new_rows if r.entity == "indicator")
        text = f"共 {len(self.changes)} 处修改"
        if added:
            text += f"（其中新增指标 {added} 行）"
        return text

    def edits(self, fixed_ids: dict[tuple[Any, ...], int]) -> list[tuple[str, int, dict[str, Any]]]:
        """Updates of existing rows, one per row: ``(entity, row id, {field: value})``.

        ``fixed_ids`` is ``Workspace.fixed_row_ids(report_id)`` (the fixed rows carry no id in a
        snapshot). Raises ``KeyError`` for a fixed row the database lacks.
        """
        rows: dict[tuple[str, int], dict[str, Any]] = {}
        for c in self.changes:
            if c.new_row is not None:
                continue
            if c.row_id is not None:
                rid = c.row_id
            else:
                pid = c.project_id if c.entity == "project_source" else None
                rid = fixed_ids[(c.entity, pid, c.key)]
            rows.setdefault((c.entity, rid), {})[c.field] = c.value
        return [(e, rid, values) for (e, rid), values in rows.items()]

    def inserts(self) -> list[tuple[str, dict[str, Any], int, dict[str, Any]]]:
        """Rows to add, in order: ``(entity, scope, position, values)``."""
        return [(r.entity, dict(r.scope), r.position, dict(r.values)) for r in self.new_rows]


# --- opening the file -------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _read_bytes(source: str | os.PathLike[str] | bytes, name: str) -> bytes:
    if isinstance(source, bytes):
        return source
    path = Path(source)
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise WorkbookError([f"找不到文件“{path}”"]) from exc
    except IsADirectoryError as exc:
        raise WorkbookError([f"“{path}”是一个文件夹，不是 Excel 工作簿"]) from exc
    except OSError as exc:
        raise WorkbookError(
            [f"无法读取“{path}”：{exc.strerror or exc}（文件是否正在 Excel/WPS 中打开？）"]
        ) from exc


def _check_container(data: bytes, name: str) -> None:
    """Refuse what is not an .xlsx before openpyxl sees it, saying what it is instead."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            raise WorkbookError(
                [
                    f"“{name}”设有打开密码，无法读取。请在 Excel/WPS 中打开它，取消密码"
                    "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）并保存后再导入。"
                ]
            )
        raise WorkbookError(
            [
                f"“{name}”是旧版 Excel（.xls）或其他 Office 文件，不是 .xlsx 工作簿：请在 Excel/WPS 中另存为 .xlsx 后再导入。"
            ]
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookError([f"“{name}”不是 Excel 工作簿（.xlsx）：文件内容无法识别。"])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
    if "xl/workbook.xml" not in names:
        what = "Word 文档" if "word/document.xml" in names else "Excel 工作簿（.xlsx）"
        if what == "Word 文档":
            raise WorkbookError([f"“{name}”是 Word 文档，不是 Excel 工作簿（.xlsx）。"])
        raise WorkbookError([f"“{name}”不是 Excel 工作簿（.xlsx）：压缩包中没有工作簿内容。"])


def _check_sizes(data: bytes, name: str) -> None:
    """Refuse a sheet of more than :data:`MAX_ROWS` rows with content, reading no more than that."""
    from openpyxl import load_workbook

    wb = _open(lambda: load_workbook(io.BytesIO(data), read_only=True, data_only=True), name)
    try:
        for ws in wb.worksheets:
            declared = ws.max_row
            if declared is not None and declared <= MAX_ROWS:
                continue
            count = 0
            for row in ws.iter_rows(values_only=True):
                if any(v is not None and v != "" for v in row):
                    count += 1
                    if count > MAX_ROWS:
                        raise WorkbookError(
                            [
                                f"工作表“{ws.title}”的数据超过 {MAX_ROWS:,} 行，不能导入：请只保留需要导入的"
                                "指标或数字（可复制到新工作簿）后再导入。"
                            ]
                        )
    finally:
        wb.close()


def _open(load: Callable[[], Any], name: str) -> Any:
    try:
        return load()
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise WorkbookError(
            [f"“{name}”无法作为 Excel 工作簿读取（文件可能已损坏）：{type(exc).__name__}"]
        ) from exc


class _Book:
    """The workbook with formulas, and — when it has any — the values Excel cached for them."""

    def __init__(self, data: bytes, name: str) -> None:
        from openpyxl import load_workbook

        self.name = name
        self.wb = _open(lambda: load_workbook(io.BytesIO(data), data_only=False), name)
        self.values: Any = None
        if any(
            c.data_type == "f" for ws in self.wb.worksheets for row in ws.iter_rows() for c in row
        ):
            self.values = _open(lambda: load_workbook(io.BytesIO(data), data_only=True), name)

    def value(self, ws: Any, row: int, col: int, problems: list[str]) -> Any:
        cell = ws.cell(row=row, column=col)
        if cell.data_type != "f":
            return cell.value
        cached = self.values[ws.title].cell(row=row, column=col).value
        if cached is None:
            problems.append(
                f"{ws.title}!{cell.coordinate}：公式没有计算结果（{_formula_text(cell.value)}）。"
                "请在 Excel/WPS 中打开并保存一次（让公式算出结果），或把公式换成数值后再导入。"
            )
        return cached


def _formula_text(value: Any) -> str:
    text = getattr(value, "text", value)
    return str(text)[:40]


def _hidden_rows(ws: Any, first: int, last: int) -> list[int]:
    return [
        r for r, dim in ws.row_dimensions.items() if dim.hidden and first <= r <= max(last, first)
    ]


def _hidden_columns(ws: Any, columns: int) -> list[str]:
    from openpyxl.utils import column_index_from_string

    out = []
    for letter, dim in ws.column_dimensions.items():
        if not dim.hidden:
            continue
        lo = dim.min or column_index_from_string(letter)
        if lo <= columns:
            out.append(letter)
    return out


def _is_empty(ws: Any) -> bool:
    return all(c.value is None for row in ws.iter_rows() for c in row)


# --- cell values ------------------------------------------------------------------------------------


def float_to_decimal(value: float) -> Decimal:
    """A float from Excel as the ``Decimal`` Excel shows: 15 significant digits, no float tail."""
    return Decimal(format(value, ".15g"))


def _number(raw: Any) -> Any:
    """What the number parsers accept: ``Decimal``/``int``/``str``; a float becomes a ``Decimal``."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):  # NaN or ±inf from a broken file: no number at all
            raise InputError("数值格式不正确")
        return float_to_decimal(raw)
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        raise InputError(f"格式不正确：这是日期或时间（{raw}），应为数字")
    return raw


def _text(raw: Any) -> str:
    """A text cell as stored: numbers written plainly, line breaks kept, no float tails."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float):
        return format_plain(float_to_decimal(raw))
    if isinstance(raw, int | Decimal):
        return format_plain(Decimal(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).replace("\r\n", "\n").replace("\r", "\n")


def _parse(kind: Kind, raw: Any, bind: Bind | None) -> Any:
    """The domain value of a cell of ``kind`` (``None`` or "" for blank); raises InputError."""
    if kind == Kind.AMOUNT:
        negative = bind is not None and bind.key == "basic_adjustment"
        return parse_amount(_number(raw), allow_negative=negative)
    if kind == Kind.NUMBER:
        return parse_decimal(_number(raw), what="数值")
    if kind == Kind.COUNT:
        value = _number(raw)
        if isinstance(value, Decimal):
            if value != value.to_integral_value():
                raise InputError(f"人数必须是整数（收到 {value}）")
            value = int(value)
        return parse_count(value)
    text = _text(raw)
    return text if text.strip() else ""


def _show(value: Any, kind: Kind | None = None) -> str:
    if value is None or value == "":
        return BLANK
    if isinstance(value, Decimal):
        return format_entered(value) if kind == Kind.AMOUNT else format_plain(value)
    if isinstance(value, enumtypes):
        return str(value.value)
    text = str(value)
    return text if len(text) <= 60 else text[:58] + "…"


enumtypes = (m.Method, m.QualitativeGrade)


def _kind_message(kind: Kind) -> str:
    return {
        Kind.AMOUNT: "金额格式不正确",
        Kind.NUMBER: "数值格式不正确",
        Kind.COUNT: "人数格式不正确",
    }.get(kind, "内容不正确")


def _refusal(place: str, kind: Kind, what: str, reason: str) -> str:
    """``附件1!D6：金额格式不正确（年度资金总额 · 年初预算数）：请输入数字…`` — the kind of error
    said once; a reason that is not about the format (a negative amount) said as it is."""
    head = _kind_message(kind)
    if reason.startswith(head):
        return f"{place}：{head}（{what}）{reason[len(head) :]}"
    return f"{place}（{what}）：{reason}"


# --- perfdesk's own workbook -------------------------------------------------------------------------

_OWN_SHEET = re.compile(r"^附件([123]| 项目支出绩效自评表$)")  # a project report's one sheet too


def _norm_label(value: Any) -> str:
    return re.sub(r"\s+", "", _text(value))


_WEIGHT_SUFFIX = re.compile(r"[（(]\s*\d+(\.\d+)?\s*分\s*[)）]$")


def _labels_agree(expected: str, got: str) -> bool:
    if expected == got:
        return True
    # 一级指标 captions carry the group's weight (产出指标（40分）); the weight is not read back
    return bool(_WEIGHT_SUFFIX.search(expected)) and _WEIGHT_SUFFIX.sub("", expected) == (
        _WEIGHT_SUFFIX.sub("", got)
    )


class _Collector:
    """Changes found so far, with one value per field whichever sheet gives it."""

    def __init__(self, plan: ImportPlan, problems: list[str]) -> None:
        self.plan = plan
        self.problems = problems
        self.seen: dict[tuple[Any, ...], tuple[str, Any]] = {}

    def offer(self, place: str, bind: Bind, shown: Any, new: Any, kind: Kind) -> None:
        address = bind.address
        if address in self.seen:
            other_place, other = self.seen[address]
            if other != new:
                self.problems.append(
                    f"{place}：与 {other_place} 是同一个数字（{bind.what}），两处填写的值不同"
                    f"（{_show(new, kind)} 与 {_show(other, kind)}），请改为一致后再导入"
                )
            return
        self.seen[address] = (place, new)
        if _same(new, shown):
            return
        if new in (None, "") and bind.stored in (None, ""):
            return  # clearing what shows a suggestion or a default: nothing stored to clear
        if _same(new, bind.stored):
            return
        self.plan.changes.append(
            CellChange(
                place,
                bind.what,
                _show(shown, kind),
                _show(new, kind),
                bind.entity,
                bind.field,
                new,
                bind.row_id,
                bind.key,
                bind.project_id,
            )
        )


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return a == b


def _computed_differs(kind: Kind, shown: Any, raw: Any) -> bool:
    from perfdesk.office.xlsx_export import _value

    if raw is None or raw == "":
        return shown is not None and shown != ""
    try:
        value = _number(raw) if kind in NUMERIC_KINDS else _text(raw)
    except InputError:
        return True
    from perfdesk.office.tables import Cell

    expected = _value(Cell(shown, kind))
    if isinstance(value, Decimal | int) and expected is not None and not isinstance(expected, str):
        return Decimal(value) != Decimal(expected)
    return str(value).strip() != str(expected if expected is not None else "").strip()


def _read_own_sheet(book: _Book, ws: Any, sheet: Sheet, report: m.Report, out: _Collector) -> None:
    from openpyxl.utils import get_column_letter

    from perfdesk.office.xlsx_export import cell_positions

    problems = out.problems
    name = ws.title
    placed, merges, end = cell_positions(sheet)

    # whose sheet is it: the title names the year, the unit line the unit
    title = _norm_label(book.value(ws, 2, 1, problems))
    if title != _norm_label(sheet.title):
        problems.append(
            f"{name}!A2：表名为“{title or BLANK}”，当前报告应为“{sheet.title}”："
            "这张表不是从当前报告导出的（年度或表格不同）"
        )
        return
    unit_line = _text(book.value(ws, 3, 1, problems))
    if report.unit_name not in unit_line:
        problems.append(
            f"{name}!A3：{unit_line.strip() or '单位名称为空'}，与当前报告的单位“{report.unit_name}”不一致"
        )
        return

    hidden = _hidden_rows(ws, 1, max(ws.max_row, end))
    if hidden:
        problems.append(
            f"{name}!{hidden[0]}:{hidden[0]}：第 {hidden[0]} 行被隐藏。隐藏的行不会被悄悄导入或忽略："
            "请在 Excel/WPS 中取消隐藏，确认内容后再导入"
        )
    hidden_cols = _hidden_columns(ws, sheet.columns)
    if hidden_cols:
        problems.append(
            f"{name}!{hidden_cols[0]}:{hidden_cols[0]}：{hidden_cols[0]} 列被隐藏，请取消隐藏后再导入"
        )

    expected = {(r0, c0, r1, c1) for r0, c0, r1, c1 in merges}
    bound_at = {(p.row, p.col) for p in placed if p.cell.bind is not None}
    for rng in ws.merged_cells.ranges:
        box = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
        if box in expected:
            continue
        covered = [
            (r, c)
            for (r, c) in bound_at
            if box[0] <= r <= box[2] and box[1] <= c <= box[3] and (r, c) != (box[0], box[1])
        ]
        if covered:
            problems.append(
                f"{name}!{rng.coord}：合并了应分别填写的单元格，无法确定每一格的数值。"
                "请取消合并后再导入"
            )
    if problems:
        return

    for p in placed:
        cell = p.cell
        place = f"{name}!{get_column_letter(p.col)}{p.row}"
        if cell.kind in (Kind.HEAD, Kind.LABEL) and cell.bind is None:
            want = _norm_label(cell.text)
            got = _norm_label(book.value(ws, p.row, p.col, problems))
            if want and not _labels_agree(want, got):
                problems.append(
                    f"{place}：应为“{cell.text}”，文件中为“{got or BLANK}”：表格的行列与当前报告不一致"
                    "（是否插入或删除了行？）。请用当前报告重新导出后再填写"
                )
                return
            continue
        raw = book.value(ws, p.row, p.col, problems)
        if cell.bind is None:
            if cell.computed and _computed_differs(cell.kind, cell.value, raw):
                out.plan.notes.append(
                    f"{place} 是计算得出的单元格（{_row_caption(p)}），导入时不读取："
                    f"文件中为“{_text(raw) or BLANK}”，按录入的数字算出的是“{cell.text or BLANK}”"
                )
            continue
        try:
            new = _parse(cell.kind, raw, cell.bind)
        except InputError as exc:
            problems.append(_refusal(place, cell.kind, cell.bind.what, str(exc)))
            continue
        out.offer(place, cell.bind, cell.value, new, cell.kind)


def _row_caption(p: Any) -> str:
    row = p.block.rows[p.block_row]
    for c in row:
        if c is not None and c.kind == Kind.LABEL and c.text:
            return c.text
    return "合计"


def _read_own(book: _Book, report: m.Report, source: str) -> ImportPlan:
    from perfdesk.office.tables import ATTACHMENT_TITLES

    plan = ImportPlan(source, "workbook")
    problems: list[str] = []
    out = _Collector(plan, problems)
    sheets = {s.name: s for s in forms(report)}
    empty_projects = f"附件3 {ATTACHMENT_TITLES[2][1]}"
    read = []
    for ws in book.wb.worksheets:
        sheet = sheets.get(ws.title)
        if sheet is None:
            if ws.title == empty_projects or _is_empty(ws):
                continue
            known = "、".join(sheets)
            problems.append(
                f"{ws.title}!A1：当前报告没有这张表（当前报告的表为：{known}）。"
                "工作簿可能来自另一份报告，或项目已改名、增删；请用当前报告重新导出后再填写"
            )
            continue
        _read_own_sheet(book, ws, sheet, report, out)
        read.append(ws.title)
    if problems:
        raise WorkbookError(problems)
    missing = [n for n in sheets if n not in read]
    if missing:
        plan.notes.append("工作簿中没有以下表，其中的数字不变：" + "、".join(missing))
    return plan


# --- indicator tables ---------------------------------------------------------------------------

COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "project": ("项目名称", "项目"),
    "level1": ("一级指标", "一级指标名称", "一级"),
    "level2": ("二级指标", "二级指标名称", "二级"),
    "name": ("三级指标", "三级指标名称", "三级", "指标名称", "绩效指标名称", "具体指标"),
    "target_text": (
        "指标值",
        "年度指标值",
        "年度目标值",
        "目标值",
        "指标目标值",
        "绩效指标值",
        "预期指标值",
        "年度绩效指标值",
        "全年指标值",
    ),
    "actual_text": ("实际完成值", "实际值", "完成值", "全年实际完成值", "实际完成情况"),
    "weight": ("分值", "权重", "指标分值", "权重分值", "指标权重"),
    "score": ("得分", "自评得分", "评分", "实际得分"),
    "deviation_reason": (
        "偏差原因分析及改进措施",
        "偏差原因",
        "偏差原因分析",
        "偏差原因及改进措施",
        "未完成原因分析",
        "未完成原因和改进措施",
        "原因分析及改进措施",
    ),
    "unit": ("计量单位", "度量单位", "单位"),
    "direction": ("指标方向", "指标性质", "计算符号", "运算符号", "符号", "指标值符号"),
}
REQUIRED_COLUMNS = ("level1", "level2", "name", "target_text")
COLUMN_LABELS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target_text": "指标值（年度指标值）",
}
_HEADER_LOOKUP = {v: k for k, names in COLUMN_NAMES.items() for v in names}
_TOTAL_ROWS = {"合计", "总分", "总计", "小计", "分值合计"}


def _norm_header(value: Any) -> str:
    text = re.sub(r"\s+", "", _text(value))
    text = re.sub(r"[（(][^）)]*[)）]", "", text)  # 年度指标值（A）, 分值(分)
    return text.rstrip("：:*＊")


def _find_header(book: _Book, ws: Any, problems: list[str]) -> tuple[int, dict[str, int]] | None:
    best: tuple[int, dict[str, int]] | None = None
    last = min(ws.max_row, HEADER_SEARCH_ROWS)
    for r in range(1, last + 1):
        columns: dict[str, int] = {}
        for c in range(1, ws.max_column + 1):
            raw = ws.cell(row=r, column=c).value
            if raw is None:
                continue
            key = _HEADER_LOOKUP.get(_norm_header(raw))
            if key is not None and key not in columns:
                columns[key] = c
        if len(columns) >= 3 and ("name" in columns or "level1" in columns):
            if best is None or len(columns) > len(best[1]):
                best = (r, columns)
    return best


@functools.lru_cache(maxsize=4096)
def _norm_level(text: str) -> str:
    t = re.sub(r"\s+", "", text)
    t = _WEIGHT_SUFFIX.sub("", t)
    return t[: -len("指标")] if t.endswith("指标") and len(t) > 2 else t


@functools.lru_cache(maxsize=65536)
def _norm_name(text: str) -> str:
    return re.sub(r"\s+", "", text)


_DIRECTIONS = {
    m.Method.AT_LEAST: ("≥", ">=", "＞＝", "＞=", ">", "＞", "正向", "大于等于", "不低于", "大于"),
    m.Method.AT_MOST: ("≤", "<=", "＜＝", "＜=", "<", "＜", "反向", "小于等于", "不高于", "小于"),
    m.Method.EQUAL: ("=", "＝", "等于"),
    m.Method.QUALITATIVE: ("定性",),
}
_NUMERIC_TARGET = re.compile(
    r"^\s*(≥|>=|＞＝|＞=|>|＞|≤|<=|＜＝|＜=|<|＜|=|＝)?\s*([0-9]+(?:\.[0-9]+)?)\s*(.*?)\s*$"
)


def _direction(text: str) -> m.Method | None:
    t = text.strip()
    for method, words in _DIRECTIONS.items():
        if t in words:
            return method
    return None


@dataclass
class _Row:
    place: str  # sheet!D12 (the 三级指标 cell)
    sheet: str
    row: int
    project: str
    level1: str
    level2: str
    name: str
    values: dict[str, Any]  # field → value (only the cells that were filled)
    places: dict[str, str]  # field → sheet!cell
    group_weight: Decimal | None


def _read_indicator_sheet(book: _Book, ws: Any, problems: list[str]) -> list[_Row] | None:
    from openpyxl.utils import get_column_letter

    name = ws.title
    found = _find_header(book, ws, problems)
    if found is None:
        return None
    header, columns = found
    missing = [COLUMN_LABELS[k] for k in REQUIRED_COLUMNS if k not in columns]
    if missing:
        problems.append(
            f"{name}!A{header}：表头缺少“{'”“'.join(missing)}”列（第 {header} 行的表头应有一级指标、"
            "二级指标、三级指标、指标值等列）"
        )
        return []
    last = ws.max_row
    hidden = _hidden_rows(ws, header + 1, last)
    if hidden:
        problems.append(
            f"{name}!{hidden[0]}:{hidden[0]}：第 {hidden[0]} 行被隐藏。隐藏的行不会被悄悄导入或忽略："
            "请在 Excel/WPS 中取消隐藏，确认内容后再导入"
        )
    hidden_cols = _hidden_columns(ws, max(columns.values()))
    if hidden_cols:
        problems.append(
            f"{name}!{hidden_cols[0]}:{hidden_cols[0]}：{hidden_cols[0]} 列被隐藏，请取消隐藏后再导入"
        )
    # merged cells in the data: a 一级/二级/项目 caption may stand for a run of rows; any other
    # cell merged over rows or columns leaves its value's row or field in doubt
    carried_cols = {columns[k] for k in ("project", "level1", "level2") if k in columns}
    value_cols = set(columns.values()) - carried_cols
    merged_rows: set[int] = set()
    for rng in ws.merged_cells.ranges:
        if rng.max_row <= header:
            continue
        if rng.min_row == rng.max_row and rng.min_col == rng.max_col:
            continue
        if rng.min_col == rng.max_col and rng.min_col in carried_cols:
            continue
        touches = any(rng.min_col <= c <= rng.max_col for c in value_cols | carried_cols)
        if touches:
            merged_rows.update(range(rng.min_row, rng.max_row + 1))
            first = _text(ws.cell(row=rng.min_row, column=rng.min_col).value).strip()
            if rng.min_row == rng.max_row and re.sub(r"\s+", "", first) in _TOTAL_ROWS:
                continue  # a 合计 row merged across: skipped below
            problems.append(
                f"{name}!{rng.coord}：合并单元格跨越了多行或多个数值列，无法确定数值属于哪一行。"
                "请取消合并（一级、二级指标列可以合并）后再导入"
            )
    if problems:
        return []

    rows: list[_Row] = []
    level1 = level2 = project = ""
    for r in range(header + 1, last + 1):
        raw = {k: book.value(ws, r, c, problems) for k, c in columns.items()}
        texts = {k: _text(v).strip() for k, v in raw.items()}
        if not any(texts.values()):
            continue
        first_text = re.sub(r"\s+", "", next((t for t in texts.values() if t), ""))
        if first_text in _TOTAL_ROWS or texts.get("level1", "") in _TOTAL_ROWS:
            continue
        if "project" in columns and texts["project"]:
            if texts["project"] != project:
                level1 = level2 = ""
            project = texts["project"]
        if texts["level1"]:
            if texts["level1"] != level1:
                level2 = ""
            level1 = texts["level1"]
        if texts["level2"]:
            level2 = texts["level2"]
        place = f"{name}!{get_column_letter(columns['name'])}{r}"
        if not texts["name"]:
            if any(texts.get(k) for k in columns if k not in ("project", "level1", "level2")):
                problems.append(f"{place}：三级指标为空，但这一行填了数值：请写明指标名称")
            continue
        if not level1 or not level2:
            which = "一级指标" if not level1 else "二级指标"
            col = columns["level1" if not level1 else "level2"]
            problems.append(
                f"{name}!{get_column_letter(col)}{r}：{which}为空（“{texts['name']}”属于哪一类？）"
            )
            continue
        values: dict[str, Any] = {}
        places: dict[str, str] = {}
        for k in ("target_text", "actual_text", "deviation_reason", "unit", "direction"):
            if k in columns and texts.get(k):
                values[k] = _text(raw[k]).strip()
                places[k] = f"{name}!{get_column_letter(columns[k])}{r}"
        for k, what in (("weight", "分值"), ("score", "得分")):
            if k in columns and texts.get(k):
                cell_place = f"{name}!{get_column_letter(columns[k])}{r}"
                try:
                    values[k] = parse_decimal(_number(raw[k]), what=what, example="10")
                except InputError as exc:
                    problems.append(f"{cell_place}：{what}格式不正确：{exc}")
                    continue
                places[k] = cell_place
        weight_match = re.search(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$", level1)
        rows.append(
            _Row(
                place,
                name,
                r,
                project,
                _WEIGHT_SUFFIX.sub("", level1).strip(),
                level2,
                texts["name"],
                values,
                places,
                Decimal(weight_match.group(1)) if weight_match else None,
            )
        )
        if len(problems) >= MAX_PROBLEMS:
            break
    return rows


@dataclass
class _Scope:
    """One indicator table of the report (附件2, or one project's form) as the import fills it."""

    what: str
    report_id: int | None
    project_id: int | None
    groups: list[m.IndicatorGroup]
    order: list[Any]  # the table's rows in order: existing Indicators and new-row markers
    used: set[int] = field(default_factory=set)  # ids of rows already matched
    by_name: dict[tuple[str, str, str], list[m.Indicator]] = field(default_factory=dict)
    blanks: dict[tuple[str, str], list[m.Indicator]] = field(default_factory=dict)
    last2: dict[tuple[str, str], int] = field(default_factory=dict)  # last row of a 二级
    last1: dict[str, int] = field(default_factory=dict)  # last row of a 一级
    spelling: dict[tuple[str, str], str] = field(default_factory=dict)  # 二级 as the report has it

    def __post_init__(self) -> None:
        for i, r in enumerate(self.order):
            n1, n2 = _norm_level(r.level1), _norm_level(r.level2)
            if r.name.strip():
                self.by_name.setdefault((n1, n2, _norm_name(r.name)), []).append(r)
            else:
                self.blanks.setdefault((n1, n2), []).append(r)
            self.last2[(n1, n2)] = i
            self.last1[n1] = i
            self.spelling.setdefault((n1, n2), r.level2)

    def take(self, n1: str, n2: str, name: str) -> m.Indicator | None:
        """The unused row named so, else an unused empty row of that 二级 (template rows)."""
        for pool in (self.by_name.get((n1, n2, name), []), self.blanks.get((n1, n2), [])):
            for r in pool:
                if r.id is not None and r.id not in self.used:
                    self.used.add(r.id)
                    return r
        return None

    def insert(self, n1: str, n2: str, row: m.Indicator) -> int:
        """Place a new row after the last of its 二级, else of its 一级, else at the end."""
        position = self.last2.get((n1, n2), self.last1.get(n1, len(self.order) - 1)) + 1
        self.order.insert(position, row)
        for table in (self.last2, self.last1):
            for k, v in table.items():
                if v >= position:
                    table[k] = v + 1  # type: ignore[index]
        self.last2[(n1, n2)] = position
        self.last1[n1] = max(self.last1.get(n1, position), position)
        self.spelling.setdefault((n1, n2), row.level2)
        return position

    @property
    def scope(self) -> dict[str, Any]:
        return {"report_id": self.report_id, "project_id": self.project_id}


def _scopes(report: m.Report) -> tuple[_Scope, dict[str, _Scope]]:
    overall = _Scope("附件2 整体", report.id, None, list(report.groups), list(report.indicators))
    projects = {
        _norm_name(p.name): _Scope(p.name, report.id, p.id, list(p.groups), list(p.indicators))
        for p in report.projects
    }
    return overall, projects


def _pick_scope(
    row: _Row,
    report: m.Report,
    overall: _Scope,
    projects: dict[str, _Scope],
    target: str | None,
    problems: list[str],
) -> _Scope | None:
    if row.project:
        scope = projects.get(_norm_name(row.project))
        if scope is None:
            problems.append(
                f"{row.sheet}!A{row.row}：当前报告中没有名为“{row.project}”的项目"
                "（请先在“项目”页添加该项目，或改正项目名称）"
            )
        return scope
    if target is not None:
        if target == "":
            return overall
        scope = projects.get(_norm_name(target))
        if scope is None:
            problems.append(f"当前报告中没有名为“{target}”的项目")
        return scope
    by_sheet = projects.get(_norm_name(row.sheet))
    if by_sheet is not None:
        return by_sheet
    if report.kind == m.ReportKind.PROJECT and len(projects) == 1:
        return next(iter(projects.values()))
    return overall


def _ind_fields(row: _Row, current: m.Indicator | None) -> dict[str, Any]:
    """The indicator fields the row gives (blank cells give nothing), with the scoring method and
    target/actual values read from 指标值 like ``≥95%`` where they can be."""
    v = dict(row.values)
    out: dict[str, Any] = {}
    for k in ("target_text", "actual_text", "deviation_reason", "weight", "score"):
        if k in v:
            out[k] = v[k]
    method = _direction(v["direction"]) if "direction" in v else None
    target = v.get("target_text", "")
    match = _NUMERIC_TARGET.match(target) if target else None
    if match and method is None and match.group(1):
        method = _direction(match.group(1))
    if method is not None:
        out["method"] = method
    numeric = (method or (current.method if current else None)) not in (None, m.Method.QUALITATIVE)
    if match and numeric:
        out["target_value"] = Decimal(match.group(2))
        unit = v.get("unit") or match.group(3)
        if unit:
            out["unit"] = unit
    elif "unit" in v:
        out["unit"] = v["unit"]
    actual = v.get("actual_text", "")
    amatch = _NUMERIC_TARGET.match(actual) if actual else None
    if amatch and numeric:
        out["actual_value"] = Decimal(amatch.group(2))
    return out


_FIELD_CAPTIONS = {
    "name": "三级指标",
    "level1": "一级指标",
    "level2": "二级指标",
    "target_text": "年度指标值",
    "actual_text": "实际完成值",
    "deviation_reason": "偏差原因分析及改进措施",
    "weight": "分值",
    "score": "得分",
    "method": "评分方法",
    "target_value": "目标值",
    "actual_value": "实际值",
    "unit": "单位",
}
_FIELD_SOURCE = {
    "method": "target_text",
    "target_value": "target_text",
    "actual_value": "actual_text",
}


def _read_indicators(book: _Book, report: m.Report, source: str, target: str | None) -> ImportPlan:
    plan = ImportPlan(source, "indicators")
    problems: list[str] = []
    overall, projects = _scopes(report)
    rows: list[_Row] = []
    for ws in book.wb.worksheets:
        if _is_empty(ws):
            continue
        found = _read_indicator_sheet(book, ws, problems)
        if found is None:
            problems.append(
                f"{ws.title}!A1：无法识别这张工作表：既不是 perfdesk 导出的附件表（附件1、附件2、附件3），"
                "前 30 行中也没有含“一级指标”“二级指标”“三级指标”“指标值”等列名的表头行"
            )
            continue
        rows += found
    if not rows and not problems:
        problems.append(f"“{source}”中没有可导入的指标行")
    if problems:
        raise WorkbookError(problems)

    seen: dict[tuple[int, str, str, str], str] = {}
    for row in rows:
        scope = _pick_scope(row, report, overall, projects, target, problems)
        if scope is None:
            continue
        key = (id(scope), _norm_level(row.level1), _norm_level(row.level2), _norm_name(row.name))
        if key in seen:
            problems.append(
                f"{row.place}：与 {seen[key]} 是同一个指标（{row.level1} / {row.level2} / {row.name}），请删去重复的一行"
            )
            continue
        seen[key] = row.place
        _plan_row(plan, scope, row)
    if problems:
        raise WorkbookError(problems)
    return plan


def _plan_row(plan: ImportPlan, scope: _Scope, row: _Row) -> None:
    n1, n2, nn = _norm_level(row.level1), _norm_level(row.level2), _norm_name(row.name)
    what = f"{scope.what} · {row.name}"
    match = scope.take(n1, n2, nn)
    # a 一级指标 the table does not have yet
    group_names = {_norm_level(g.name): g.name for g in scope.groups}
    level1 = group_names.get(n1, row.level1)
    if n1 not in group_names:
        values = {"name": row.level1, "weight": row.group_weight}
        plan.new_rows.append(
            NewRow(
                row.place,
                f"{scope.what} · 一级指标 {row.level1}",
                "indicator_group",
                scope.scope,
                len(scope.groups),
                values,
            )
        )
        scope.groups.append(m.IndicatorGroup(row.level1, row.group_weight))
        plan.changes.append(
            CellChange(
                row.place,
                f"{scope.what} · 新增一级指标",
                BLANK,
                _group_text(row),
                "indicator_group",
                "name",
                row.level1,
                new_row=len(plan.new_rows) - 1,
            )
        )
    if match is not None:
        fields = _ind_fields(row, match)
        if not match.name.strip():
            fields = {"name": row.name, **fields}
        for f, value in fields.items():
            shown = scoring.indicator_score(match).value if f == "score" else getattr(match, f)
            if _same(value, shown):
                continue
            place = row.places.get(_FIELD_SOURCE.get(f, f), row.place)
            plan.changes.append(
                CellChange(
                    place,
                    f"{what} · {_FIELD_CAPTIONS[f]}",
                    _show(shown),
                    _show(value),
                    "indicator",
                    f,
                    value,
                    row_id=match.id,
                )
            )
        return
    level2 = scope.spelling.get((n1, n2), row.level2)
    values = {"level1": level1, "level2": level2, "name": row.name, **_ind_fields(row, None)}
    position = scope.insert(n1, n2, m.Indicator(level1, level2, row.name))
    plan.new_rows.append(NewRow(row.place, what, "indicator", scope.scope, position, values))
    index = len(plan.new_rows) - 1
    for f, value in values.items():
        if value in (None, ""):
            continue
        place = row.places.get(_FIELD_SOURCE.get(f, f), row.place)
        plan.changes.append(
            CellChange(
                place,
                f"{what}（新增行） · {_FIELD_CAPTIONS[f]}",
                BLANK,
                _show(value),
                "indicator",
                f,
                value,
                new_row=index,
            )
        )


def _group_text(row: _Row) -> str:
    if row.group_weight is None:
        return row.level1
    return f"{row.level1}（{format_plain(row.group_weight)}分）"


# --- the entry point --------------------------------------------------------------------------------


def read_workbook(
    source: str | os.PathLike[str] | bytes,
    report: m.Report,
    *,
    name: str | None = None,
    indicator_target: str | None = None,
) -> ImportPlan:
    """What importing the workbook ``source`` into ``report`` would change.

    ``report`` is a snapshot read from the database (rows carry their ids). For an indicator
    table without a 项目名称 column, ``indicator_target`` says whose table it is: ``""`` the
    report's own (附件2), a project's name that project's form; by default a sheet named like a
    project fills that project's form and any other sheet the report's own table.

    Raises :class:`WorkbookError` (every bad cell, named ``sheet!cell``) and stores nothing.
    """
    label = name or (Path(source).name if not isinstance(source, bytes) else "工作簿")
    data = _read_bytes(source, label)
    _check_container(data, label)
    _check_sizes(data, label)
    book = _Book(data, label)
    if any(_OWN_SHEET.match(ws.title) for ws in book.wb.worksheets):
        return _read_own(book, report, label)
    return _read_indicators(book, report, label, indicator_target)

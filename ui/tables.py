"""Spreadsheet-like tables: one generic model over report rows and a view with Excel keys.

A table is described by :class:`Column` specs (field, header, kind) in the Vorta manner, and fed
with :class:`Row` items (entity name, row id, the snapshot dataclass). Computed cells (totals,
rates, suggested scores) come from ``perfdesk.domain.calc``/``scoring`` through ``compute`` and are
read-only and grey. Every edit is parsed by ``perfdesk.domain.numbers`` and goes through the
document's undo stack. A refused value is never dropped: the cell's editor stays open with what was
typed and the reason beside the cell (as Excel's validation does) until the value is corrected or
Esc brings the stored one back. Typing into a grey cell says why it cannot be changed. One-cell
审核 findings (a score above its 分值, …) colour their cell as soon as the audit finds them.

Columns are sized to their contents and the width the table has: numbers and short texts get what
they need, long texts share the rest and wrap, so no column hides off the right edge at 1280×800.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from perfdesk_ui.commands import DeleteRows, InsertRows, MoveRow, PasteBlock, SetFields
from perfdesk_ui.feedback import BoxUndo, FloatingNote
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from perfdesk.domain.numbers import (
    InputError,
    format_amount,
    format_entered,
    format_plain,
    parse_amount,
    parse_count,
    parse_decimal,
)

COMPUTED_BACKGROUND = QColor("#ececec")
COMPUTED_FOREGROUND = QColor("#404040")
ERROR_BACKGROUND = QColor("#ffd6d6")
HINT_BACKGROUND = QColor("#fff0b3")
NUMERIC_KINDS = ("amount", "decimal", "count")
TEXT_SAMPLE_ROWS = 200  # rows measured when sizing a column to its contents


@dataclass(frozen=True)
class Column:
    """One column: the dataclass ``field`` it edits (empty for a computed column) and its kind.

    kind: ``amount`` (万元), ``decimal``, ``count``, ``text``, ``enum`` (``choices`` = value→label).
    ``width`` is the most a column asks for before its text wraps; ``label`` the header as shown,
    with line breaks where a long header may wrap (``header`` names the column in messages);
    ``why`` says how a computed column is worked out (shown when the clerk types into it).
    """

    field: str
    header: str
    kind: str = "text"
    width: int = 110
    choices: tuple[tuple[Any, str], ...] = ()
    compute: Callable[[Any], str] | None = None
    negative: bool = False
    nullable: bool = True  # an enum that may be blank (Delete clears it)
    stretch: bool = False  # takes the table's spare width (long names, reasons)
    label: str = ""
    why: str = ""

    @property
    def computed(self) -> bool:
        return self.compute is not None or not self.field

    @property
    def display(self) -> str:
        return self.label or self.header

    @property
    def wraps(self) -> bool:
        """A text column whose cells may wrap onto more lines (so it can be narrower)."""
        return self.kind == "text" or self.stretch


@dataclass
class Row:
    """A table row: the entity and id to edit (``entity=None``: a computed, read-only row)."""

    entity: str | None
    row_id: int | None
    obj: Any
    label: str = ""
    why: str = ""  # for a computed row: how it is worked out


@dataclass
class InsertSpec:
    """Where new rows of a row table go (the entity and its scope)."""

    entity: str
    scope: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    inherit: tuple[str, ...] = ()  # fields a new row copies from the row above (一级/二级指标)


def enum_choices(
    enum_type: type[enum.Enum], labels: dict[Any, str] | None = None, blank: bool = True
) -> tuple[tuple[Any, str], ...]:
    items: list[tuple[Any, str]] = [(None, "")] if blank else []
    for member in enum_type:
        items.append((member, (labels or {}).get(member, str(member.value))))
    return tuple(items)


def parse_cell(column: Column, text: Any) -> Any:
    """The domain value for what the clerk typed (raises InputError with a Chinese message)."""
    if column.kind == "amount":
        return parse_amount(text, allow_negative=column.negative)
    if column.kind == "decimal":
        return parse_decimal(text, what=column.header, allow_negative=column.negative)
    if column.kind == "count":
        return parse_count(text, what=column.header)
    if column.kind == "enum":
        s = "" if text is None else str(text).strip()
        for value, label in column.choices:
            if s == label or (value is not None and s == str(getattr(value, "value", value))):
                if value is None and not column.nullable:
                    break
                return value
        for value, label in column.choices:  # a short form such as 正向 for 正向（≥）
            if s and value is not None and label.startswith(s):
                return value
        options = "、".join(label for value, label in column.choices if value is not None)
        raise InputError(f"“{s}”不是可选的值：请选择 {options}")
    return "" if text is None else str(text)


def format_cell(column: Column, value: Any, *, editing: bool = False) -> str:
    if value is None:
        return ""
    if column.kind == "amount":
        return format_entered(value) if editing else format_amount(value)
    if column.kind == "decimal":
        return format_plain(value)
    if column.kind == "count":
        return str(value)
    if column.kind == "enum":
        for v, label in column.choices:
            if v == value:
                return label
        return str(value)
    return str(value)


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Ascending ``indices`` as (first, last) runs of consecutive numbers."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


class RecordTableModel(QAbstractTableModel):
    """Rows of one or more entities shown through column specs; edits go to the undo stack."""

    message = Signal(str)  # a message for the status bar

    def __init__(
        self,
        doc: Any,
        columns: Sequence[Column],
        parent: Any = None,
        insert_spec: InsertSpec | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.columns = list(columns)
        self.rows: list[Row] = []
        self.insert_spec = insert_spec
        self.errors: dict[tuple[int, int], str] = {}
        self.pinned: tuple[int, int] | None = None  # the cell whose refused editor is still open

    # --- feeding ------------------------------------------------------------------------------

    def set_rows(self, rows: list[Row]) -> None:
        """Replace the rows; same ids in the same order only repaint (selection is kept)."""
        same = len(rows) == len(self.rows) and all(
            (a.entity, a.row_id) == (b.entity, b.row_id)
            for a, b in zip(rows, self.rows, strict=True)
        )
        if same:
            old, self.rows = self.rows, rows
            # a mark of a refused value goes when the cell changes under it (undo, redo, another
            # edit); only the one whose editor still shows the refused text stays
            cleared = {r for r, _c in self.errors if (r, _c) != self.pinned}
            for cell in [c for c in self.errors if c != self.pinned]:
                del self.errors[cell]
            # Only rows that changed are repainted (and, where rows wrap, re-measured): the
            # snapshot keeps the objects of unchanged rows, so most compare by identity.
            changed = [
                i
                for i, (a, b) in enumerate(zip(old, rows, strict=True))
                if not (a.obj is b.obj or a.obj == b.obj) or a.label != b.label or i in cleared
            ]
            for first, last in _runs(changed):
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))
            if any(a.label != b.label for a, b in zip(old, rows, strict=True)):
                self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, max(0, len(rows) - 1))
        else:
            self.beginResetModel()
            self.rows = rows
            self.errors.clear()
            self.pinned = None
            self.endResetModel()

    def editable_row_count(self) -> int:
        return sum(1 for r in self.rows if r.entity is not None)

    # --- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def is_editable(self, row: int, col: int) -> bool:
        r = self.rows[row]
        return r.entity is not None and r.row_id is not None and not self.columns[col].computed

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_editable(index.row(), index.column()):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].display
        if 0 <= section < len(self.rows) and self.rows[section].label:
            return self.rows[section].label
        return str(section + 1)

    def cell_text(self, row: int, col: int, *, editing: bool = False) -> str:
        r, c = self.rows[row], self.columns[col]
        if c.compute is not None:
            return c.compute(r.obj)
        if not c.field or r.obj is None or not hasattr(r.obj, c.field):
            return ""
        return format_cell(c, getattr(r.obj, c.field), editing=editing)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        column = self.columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, col)
        if role == Qt.ItemDataRole.EditRole:
            return self.cell_text(row, col, editing=True)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind in NUMERIC_KINDS or (
                column.compute is not None and column.kind != "text"
            ):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if (row, col) in self.errors:
                return QBrush(ERROR_BACKGROUND)
            mark = self.mark(row, col)
            if mark is not None:
                return QBrush(ERROR_BACKGROUND if mark[0] else HINT_BACKGROUND)
            if not self.is_editable(row, col):
                return QBrush(COMPUTED_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and not self.is_editable(row, col):
            return QBrush(COMPUTED_FOREGROUND)
        if role == Qt.ItemDataRole.ToolTipRole:
            if (row, col) in self.errors:
                return self.errors[(row, col)]
            mark = self.mark(row, col)
            if mark is not None:
                return mark[1]
            if not self.is_editable(row, col):
                return self.why_computed(row, col)
            if column.kind == "text":
                text = self.cell_text(row, col)
                if len(text) > 12:  # a long text may be cut off in its cell: show it whole
                    return text
        return None

    def mark(self, row: int, col: int) -> tuple[bool, str] | None:
        """The one-cell 审核 finding on this cell, if any: (is an error, message)."""
        marks = getattr(self.doc, "cell_marks", None)
        if not marks:
            return None
        r, c = self.rows[row], self.columns[col]
        if r.entity is None or not c.field:
            return None
        return marks.get((r.entity, r.row_id, c.field))

    def why_computed(self, row: int, col: int) -> str:
        """Why a grey cell cannot be typed into, in the clerk's terms."""
        r, c = self.rows[row], self.columns[col]
        if c.computed:
            how = f"（{c.why}）" if c.why else ""
            return f"“{c.header}”是自动计算的{how}，不能直接修改。"
        if r.entity is None:
            name = r.label.strip() or f"第{row + 1}行"
            how = f"（{r.why}）" if r.why else "，改它的各组成行即可"
            return f"“{name}”是自动计算的合计{how}，不能直接修改。"
        return "这个单元格不能修改。"

    def clear_error(self, row: int, col: int) -> None:
        if self.errors.pop((row, col), None) is not None:
            self.dataChanged.emit(self.index(row, col), self.index(row, col))
        if self.pinned == (row, col):
            self.pinned = None

    def place(self, row: int, col: int) -> str:
        """How a message names a cell: 第3行“执行数” (or the row's label)."""
        label = self.rows[row].label.strip() if row < len(self.rows) else ""
        where = f"“{label}”行" if label else f"第{row + 1}行"
        return f"{where}“{self.columns[col].header}”"

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, col = index.row(), index.column()
        if not self.is_editable(row, col):
            return False
        r, column = self.rows[row], self.columns[col]
        try:
            parsed = parse_cell(column, value)
            if getattr(r.obj, column.field, object()) == parsed and (row, col) not in self.errors:
                return True
            self.doc.run(
                SetFields(
                    self.doc, r.entity, r.row_id, {column.field: parsed}, f"修改{column.header}"
                )
            )
        except InputError as exc:
            self._refuse(index, f"{self.place(row, col)}：{exc}")
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. a duplicate unit name: say it, keep going
            self._refuse(index, f"{self.place(row, col)}：未能保存（{exc}）")
            return False
        self.errors.pop((row, col), None)
        return True

    def _refuse(self, index: QModelIndex | QPersistentModelIndex, message: str) -> None:
        self.errors[(index.row(), index.column())] = message
        self.dataChanged.emit(index, index)
        self.message.emit(message)

    # --- blocks -------------------------------------------------------------------------------

    def paste(self, top: int, left: int, block: list[list[str]]) -> str:
        """Validate a whole block, then store it in one step; returns a message for the status bar.

        Raises InputError naming the first bad cell (nothing is stored then).
        """
        if not block:
            raise InputError("剪贴板中没有可粘贴的内容")
        width = max(len(r) for r in block)
        if left + width > len(self.columns):
            raise InputError(
                f"粘贴的内容有 {width} 列，超出表格右边界（从“{self.columns[left].header}”列起只有 "
                f"{len(self.columns) - left} 列），未粘贴"
            )
        extra = top + len(block) - len(self.rows)
        if extra > 0 and self.insert_spec is None:
            raise InputError(
                f"粘贴的内容有 {len(block)} 行，表格从第 {top + 1} 行起只有 {len(self.rows) - top} 行，"
                "未粘贴（这张表的行数是固定的）"
            )
        edits: dict[int, dict[str, Any]] = {}
        new_rows: list[dict[str, Any]] = []
        skipped = 0
        for i, cells in enumerate(block):
            row = top + i
            values: dict[str, Any] = {}
            for j, text in enumerate(cells):
                col = left + j
                column = self.columns[col]
                if row < len(self.rows) and not self.is_editable(row, col):
                    skipped += 1
                    continue
                if column.computed:
                    skipped += 1
                    continue
                try:
                    values[column.field] = parse_cell(column, text)
                except InputError as exc:
                    raise InputError(f"{self.place(row, col)}：{exc}（整块未粘贴）") from exc
            if row < len(self.rows):
                if values:
                    edits[row] = values
            else:
                new_rows.append(
                    {**(self.insert_spec.defaults if self.insert_spec else {}), **values}
                )
        edit_list = [(self.rows[r].entity, self.rows[r].row_id, v) for r, v in edits.items()]
        insert = None
        if new_rows and self.insert_spec is not None:
            insert = (
                self.insert_spec.entity,
                self.insert_spec.scope,
                self.editable_row_count(),
                new_rows,
            )
        if not edit_list and insert is None:
            raise InputError("所选位置都是自动计算的单元格，未粘贴")
        self.doc.run(PasteBlock(self.doc, edit_list, insert, "粘贴"))
        n = sum(len(v) for v in edits.values()) + sum(len(r) for r in new_rows)
        note = f"已粘贴 {n} 个单元格"
        if new_rows:
            note += f"（新增 {len(new_rows)} 行）"
        if skipped:
            note += f"，跳过 {skipped} 个自动计算的单元格"
        return note

    def clear(self, cells: list[tuple[int, int]]) -> int:
        """Empty the editable cells among ``cells`` in one undo step; returns how many."""
        edits: dict[int, dict[str, Any]] = {}
        for row, col in cells:
            if not self.is_editable(row, col):
                continue
            column = self.columns[col]
            if column.kind == "text":
                blank: Any = ""
            elif column.kind == "enum" and not column.nullable:
                continue
            else:
                blank = None
            if getattr(self.rows[row].obj, column.field, blank) != blank:
                edits.setdefault(row, {})[column.field] = blank
        if not edits:
            return 0
        edit_list = [(self.rows[r].entity, self.rows[r].row_id, v) for r, v in edits.items()]
        self.doc.run(PasteBlock(self.doc, edit_list, None, "清除"))
        return sum(len(v) for v in edits.values())


class CellEditor(BoxUndo, QLineEdit):
    """The line editor of a table cell: Ctrl+Z/Ctrl+Y undo its own typing first."""

    def __init__(self, parent: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        super().__init__(parent)
        self.index = QPersistentModelIndex(index)
        self.setFrame(False)


class SheetDelegate(QStyledItemDelegate):
    """Cell editors: a line editor (its own undo first), a drop-down for enum columns (typing the
    label or a prefix also works when pasting). Each editor knows its cell."""

    def createEditor(
        self, parent: QWidget, option: Any, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        model = index.model()
        column = model.columns[index.column()]  # type: ignore[attr-defined]
        if column.kind != "enum":
            editor: QWidget = CellEditor(parent, index)
            if column.kind in NUMERIC_KINDS:
                editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # type: ignore[attr-defined]
            return editor
        combo = QComboBox(parent)
        combo.index = QPersistentModelIndex(index)  # type: ignore[attr-defined]
        for value, label in column.choices:
            if value is None and not column.nullable:
                continue
            combo.addItem(label)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        model = index.model()
        if (index.row(), index.column()) in getattr(model, "errors", {}):
            return  # the editor shows the refused text: never overwrite what the clerk typed
        if isinstance(editor, QComboBox):
            editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or "")
            return
        if isinstance(editor, QLineEdit):
            editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")
            return
        super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
            return
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text())
            return
        super().setModelData(editor, model, index)


def tsv_rows(text: str) -> list[list[str]]:
    """Cells of a tab-separated block as Excel/WPS put it on the clipboard (quotes, CRLF)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if text == "":
        return []
    return [row for row in csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')]


def to_tsv(rows: list[list[str]]) -> str:
    def cell(s: str) -> str:
        if any(ch in s for ch in '\t\n"'):
            return '"' + s.replace('"', '""') + '"'
        return s

    return "\n".join("\t".join(cell(c) for c in r) for r in rows) + "\n"


class SheetView(QTableView):
    """A QTableView that behaves like a spreadsheet: type to edit, Enter/Tab move on, Delete
    clears, Ctrl+C/Ctrl+V copy and paste tab-separated blocks.

    ``fit``: the view is a small grid on a scrolling page; it is as tall as its rows (the page
    scrolls, not the grid: no scrollbars inside scrollbars).
    """

    message = Signal(str)

    def __init__(
        self,
        model: RecordTableModel,
        parent: QWidget | None = None,
        *,
        wrap_rows: bool = False,
        fit: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(SheetDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(False)
        self.setTabKeyNavigation(True)
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.fit = fit
        self.min_rows = 1
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setMinimumSectionSize(24)
        self.verticalHeader().setDefaultSectionSize(26)
        self.wrap_rows = wrap_rows
        if wrap_rows:
            # short tables of long texts (indicators, projects): rows grow to show up to 3 lines;
            # on a scrolling page (the page scrolls, not the table) up to 8
            lines = 8 if fit else 3
            # Rows are measured here, not by the header's ResizeToContents (which measures every
            # row on any change): all rows when the columns are fitted, only the changed rows
            # after an edit.
            self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            model.dataChanged.connect(self._remeasure)
            self.horizontalHeader().sectionResized.connect(lambda *_: self.resizeRowsToContents())
            self.verticalHeader().setMaximumSectionSize(
                lines * self.fontMetrics().lineSpacing() + 10
            )
            self.verticalHeader().setMinimumSectionSize(24)
        else:
            self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        if fit:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.note = FloatingNote(self.viewport())
        self._note_cell: QPersistentModelIndex | None = None
        self._note_kind = "error"
        self._held: QWidget | None = None  # the editor kept open with a refused value
        self._fitted_width = -1
        model.message.connect(self.message)
        model.modelAboutToBeReset.connect(self._forget_editor)
        model.modelReset.connect(self.refit)
        self.horizontalScrollBar().valueChanged.connect(self._reposition_note)
        self.verticalScrollBar().valueChanged.connect(self._reposition_note)

    def sheet_model(self) -> RecordTableModel:
        return self.model()  # type: ignore[return-value]

    # --- messages beside a cell -----------------------------------------------------------------

    def show_note(
        self, index: QModelIndex | QPersistentModelIndex, text: str, kind: str = "error"
    ) -> None:
        """Say ``text`` beside the cell ``index`` (it stays until :meth:`hide_note`)."""
        self._note_cell = QPersistentModelIndex(index)
        self._note_kind = kind
        self.note.show_for(text, self._note_rect, kind)
        self.message.emit(text)

    def hide_note(self) -> None:
        self._note_cell = None
        self.note.dismiss()

    def _note_rect(self) -> Any:
        cell = self._note_cell
        if cell is None or not cell.isValid():
            return self.viewport().rect()
        rect = self.visualRect(self.model().index(cell.row(), cell.column()))
        return (
            rect.intersected(self.viewport().rect())
            if rect.intersects(self.viewport().rect())
            else rect
        )

    def _reposition_note(self, *_: Any) -> None:
        if self.note.showing:
            self.note.show_for(self.note.text(), self._note_rect, self._note_kind)

    # --- a refused value stays in its editor ----------------------------------------------------

    def _forget_editor(self) -> None:
        self._held = None
        self.hide_note()

    def holding(self) -> bool:
        """True while an editor holds a refused value (until it is corrected or Esc)."""
        return self._held is not None

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        model = self.sheet_model()
        index = getattr(editor, "index", None)
        cell = (index.row(), index.column()) if index is not None and index.isValid() else None
        if hint == QAbstractItemDelegate.EndEditHint.RevertModelCache:
            # Esc: the stored value comes back and the refused one is dropped
            if cell is not None:
                model.clear_error(*cell)
            self._held = None
            self.hide_note()
            super().closeEditor(editor, hint)
            return
        if cell is not None and cell in model.errors:
            # refused: keep the editor open with the typed text, the reason beside the cell
            self._held = editor
            model.pinned = cell
            self.show_note(index, model.errors[cell] + "（改正后按回车；按 Esc 恢复原值）")
            editor.setFocus()
            if isinstance(editor, QLineEdit):
                editor.selectAll()
            return
        was_held = self._held is editor
        self._held = None
        if cell is not None and model.pinned == cell:
            model.pinned = None
        if was_held or (self._note_cell is not None and index is not None):
            self.hide_note()
        # Enter commits and moves down, as in Excel (Qt's default stays on the cell).
        move_down = hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
        current = self.currentIndex()
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint if move_down else hint)
        if move_down and current.isValid():
            self._move(current.row() + 1, current.column())

    def abandon_edit(self) -> None:
        """Close an open editor without storing it (as Esc does): before an undo or a jump."""
        if self.state() == QAbstractItemView.State.EditingState:
            editor = self.indexWidget(self.currentIndex())
            if editor is None:
                editor = self._held
            if editor is None:
                editor = QApplication.focusWidget()
            if editor is not None and editor is not self and self.isAncestorOf(editor):
                self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
        self._held = None
        self.hide_note()

    def _back_to_held(self) -> bool:
        """While a refused value is held, other cells wait: focus goes back to its editor."""
        if self._held is None:
            return False
        self._held.setFocus()
        self.note.raise_()
        return True

    def mousePressEvent(self, event: Any) -> None:
        if self._back_to_held():
            event.accept()
            return
        if self._note_cell is not None:
            self.hide_note()  # a note about the last action (a grey cell, a paste) has been read
        super().mousePressEvent(event)

    def _move(self, row: int, col: int) -> None:
        model = self.model()
        if 0 <= row < model.rowCount() and 0 <= col < model.columnCount():
            self.setCurrentIndex(model.index(row, col))

    def keyPressEvent(self, event: Any) -> None:
        if self._back_to_held():
            event.accept()
            return
        if self.state() != QAbstractItemView.State.EditingState:
            if self._note_cell is not None:
                self.hide_note()
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_clipboard()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                cur = self.currentIndex()
                if cur.isValid():
                    self._move(cur.row() + 1, cur.column())
                return
            if self._typed_into_grey(event.text()):
                return
        super().keyPressEvent(event)

    def _typed_into_grey(self, text: str) -> bool:
        """Typing into a computed (grey) cell: say why nothing happens instead of ignoring it."""
        cur = self.currentIndex()
        if not text or not text.isprintable() or not cur.isValid():
            return False
        model = self.sheet_model()
        if model.is_editable(cur.row(), cur.column()):
            return False
        self.show_note(cur, model.why_computed(cur.row(), cur.column()), "info")
        return True

    def inputMethodEvent(self, event: Any) -> None:
        # Qt opens the editor on an input-method commit (Chinese IME, full-width digits) but does
        # not pass the text on, so the first characters would be lost: pass them on ourselves.
        if (
            self.state() != QAbstractItemView.State.EditingState
            and self.currentIndex().isValid()
            and (event.commitString() or event.preeditString())
        ):
            if self._typed_into_grey(event.commitString() or event.preeditString()):
                return
            if self.edit(self.currentIndex(), QAbstractItemView.EditTrigger.AnyKeyPressed, event):
                editor = QApplication.focusWidget()
                if isinstance(editor, QLineEdit) and editor is not self:
                    editor.selectAll()  # typing replaces the cell, as a key press does
                    QApplication.sendEvent(editor, event)
                    return
        super().inputMethodEvent(event)

    # --- copy, paste, clear ---------------------------------------------------------------------

    def selected_cells(self) -> list[tuple[int, int]]:
        cells = {(i.row(), i.column()) for i in self.selectionModel().selectedIndexes()}
        if not cells and self.currentIndex().isValid():
            cells = {(self.currentIndex().row(), self.currentIndex().column())}
        return sorted(cells)

    def copy_selection(self) -> None:
        cells = self.selected_cells()
        if not cells:
            return
        rows = sorted({r for r, _ in cells})
        cols = sorted({c for _, c in cells})
        model = self.sheet_model()
        block = [
            [model.cell_text(r, c, editing=True) if (r, c) in set(cells) else "" for c in cols]
            for r in rows
        ]
        QGuiApplication.clipboard().setText(to_tsv(block))
        self.message.emit(f"已复制 {len(cells)} 个单元格")

    def paste_clipboard(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        cells = self.selected_cells()
        top, left = (min(r for r, _ in cells), min(c for _, c in cells)) if cells else (0, 0)
        try:
            note = self.sheet_model().paste(top, left, tsv_rows(text))
        except InputError as exc:
            self.show_note(self.model().index(top, left), str(exc))
            return False
        self.message.emit(note)
        return True

    def clear_selection(self) -> None:
        cells = self.selected_cells()
        n = self.sheet_model().clear(cells)
        if n:
            self.message.emit(f"已清除 {n} 个单元格")
        elif cells and not any(self.sheet_model().is_editable(r, c) for r, c in cells):
            r, c = cells[0]
            self.show_note(self.model().index(r, c), self.sheet_model().why_computed(r, c), "info")

    # --- size: columns to their contents, grids to their rows ----------------------------------

    def viewportEvent(self, event: Any) -> bool:
        if event.type() == QEvent.Type.Resize:
            width = self.viewport().width()
            if width != self._fitted_width:
                self._fitted_width = width
                self.fit_columns()
        return super().viewportEvent(event)

    def _remeasure(self, top: QModelIndex, bottom: QModelIndex, *_: Any) -> None:
        """Rows whose cells changed get the height their text now needs (wrapped rows)."""
        for row in range(top.row(), bottom.row() + 1):
            self.resizeRowToContents(row)

    def refit(self) -> None:
        """Size columns (and, for a fitted grid, the height) anew for new rows."""
        self.fit_columns()
        if self.fit:
            self.fit_height()

    def natural_widths(self) -> list[tuple[int, int]]:
        """(least, wanted) width of each column: the header and the contents measured.

        Numbers and short texts want their widest value; wrapping texts want up to their ``width``
        and can go down to four characters (or their header's widest line).
        """
        model = self.sheet_model()
        fm = self.fontMetrics()
        hfm = self.horizontalHeader().fontMetrics()
        char = fm.horizontalAdvance("中")
        rows = min(model.rowCount(), TEXT_SAMPLE_ROWS)
        out = []
        for col, column in enumerate(model.columns):
            head = max(hfm.horizontalAdvance(line) for line in column.display.split("\n")) + 14
            widest = 0
            for row in range(rows):
                text = model.cell_text(row, col)
                if text:
                    widest = max(widest, max(fm.horizontalAdvance(t) for t in text.split("\n")))
            widest += 14
            if column.wraps:
                least = max(head, 4 * char + 12)
                wanted = max(least, min(widest, max(column.width, least)))
            else:
                least = max(head, widest)
                wanted = least
            out.append((least, wanted))
        return out

    def fit_columns(self) -> None:
        """Give every column its width within the viewport; spare width goes to stretching
        columns, missing width is taken from wrapping text columns first."""
        model = self.sheet_model()
        n = len(model.columns)
        if n == 0:
            return
        available = self.viewport().width()
        if available <= 0:
            return
        sizes = self.natural_widths()
        widths = [wanted for _, wanted in sizes]
        total = sum(widths)
        # spare width: to the long-text columns, else shared by all (not one huge last column)
        stretch = [i for i, c in enumerate(model.columns) if c.stretch] or list(range(n))
        if total < available:
            spare = available - total
            for k, i in enumerate(stretch):
                share = spare // len(stretch) + (1 if k < spare % len(stretch) else 0)
                widths[i] += share
        elif total > available:
            excess = total - available
            shrinkable = [i for i, c in enumerate(model.columns) if c.wraps]
            room = sum(widths[i] - sizes[i][0] for i in shrinkable)
            if room > 0:
                take = min(excess, room)
                for i in shrinkable:
                    part = (widths[i] - sizes[i][0]) * take // room
                    widths[i] -= part
                excess = sum(widths) - available
                for i in shrinkable:  # rounding leftovers
                    if excess <= 0:
                        break
                    cut = min(excess, widths[i] - sizes[i][0])
                    widths[i] -= cut
                    excess -= cut
        header = self.horizontalHeader()
        header.blockSignals(True)
        for i, w in enumerate(widths):
            header.resizeSection(i, w)
        header.blockSignals(False)
        header.viewport().update()
        if self.wrap_rows:
            self.resizeRowsToContents()
        if self.fit:
            self.fit_height()

    def fit_height(self, max_rows: int | None = None) -> None:
        """Size the view to show all its rows (for grids on a scrolling page): the page scrolls,
        not the grid."""
        model = self.model()
        rows = model.rowCount() if max_rows is None else min(max_rows, model.rowCount())
        vh = self.verticalHeader()
        if self.wrap_rows:
            self.resizeRowsToContents()
        body = sum(vh.sectionSize(r) for r in range(rows))
        if rows < self.min_rows:
            body += (self.min_rows - rows) * vh.defaultSectionSize()
        h = self.horizontalHeader().sizeHint().height() + body + 2 * self.frameWidth() + 4
        if self.horizontalScrollBar().isVisible():
            h += self.horizontalScrollBar().height()
        self.setFixedHeight(h)


class RowTableEditor(QWidget):
    """A row table with buttons to insert, delete and reorder rows (an ordered entity)."""

    message = Signal(str)

    def __init__(
        self,
        doc: Any,
        columns: Sequence[Column],
        parent: QWidget | None = None,
        *,
        row_noun: str = "行",
        wrap_rows: bool = False,
        fit: bool = False,
        min_rows: int = 3,
        buttons_beside: bool = False,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.inserter: Callable[[int], None] | None = None  # replaces the plain blank-row insert
        self.model = RecordTableModel(doc, columns, self, insert_spec=None)
        self.view = SheetView(self.model, self, wrap_rows=wrap_rows, fit=fit)
        self.view.min_rows = min_rows
        self.view.message.connect(self.message)
        self.model.message.connect(self.message)
        # buttons above the table, or in a column beside it (a short table under little height)
        layout = QHBoxLayout(self) if buttons_beside else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QVBoxLayout() if buttons_beside else QHBoxLayout()
        bar.setSpacing(2 if buttons_beside else 4)
        self.buttons: dict[str, QToolButton] = {}
        for key, text, slot in (
            ("insert", f"插入{row_noun}", self.insert_row),
            ("delete", f"删除{row_noun}", self.delete_rows),
            ("up", "上移", lambda: self.move_current(-1)),
            ("down", "下移", lambda: self.move_current(1)),
        ):
            # tool buttons: compact
            button = QToolButton(self)
            button.setText(text)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(slot)
            if buttons_beside:
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch(1)
        if buttons_beside:
            layout.addWidget(self.view, 1)
            layout.addLayout(bar)
        else:
            layout.addLayout(bar)
            layout.addWidget(self.view, 1)

    def set_rows(self, rows: list[Row], spec: InsertSpec | None) -> None:
        self.model.insert_spec = spec
        self.model.set_rows(rows)
        if self.view.fit:
            self.view.fit_height()  # texts may have grown or shrunk (wrapped rows)
        for b in self.buttons.values():
            b.setEnabled(spec is not None)

    def _current_row(self) -> int | None:
        idx = self.view.currentIndex()
        return idx.row() if idx.isValid() else None

    def insert_row(self) -> None:
        """Insert a row after the current one; the cursor goes to its first editable cell, so
        the next typing fills the new row (not the column the cursor happened to be in)."""
        spec = self.model.insert_spec
        if spec is None:
            return
        self.view.abandon_edit()
        row = self._current_row()
        position = self.model.editable_row_count() if row is None else row + 1
        if self.inserter is not None:
            self.inserter(position)
        else:
            values = dict(spec.defaults)
            above = (
                self.model.rows[position - 1].obj if 0 < position <= len(self.model.rows) else None
            )
            for name in spec.inherit:  # e.g. a new indicator sits under the same 一级/二级指标
                if above is not None and getattr(above, name, None) not in (None, ""):
                    values[name] = getattr(above, name)
            self.doc.run(InsertRows(self.doc, spec.entity, spec.scope, position, [values]))
        self.select_first_editable(position, skip=spec.inherit)

    def select_first_editable(self, row: int, skip: tuple[str, ...] = ()) -> None:
        """Put the cursor in the first editable cell of ``row`` (scrolled into view, focused);
        ``skip``: fields already filled for the clerk (copied from the row above)."""
        if not 0 <= row < self.model.rowCount():
            return
        editable = [c for c in range(self.model.columnCount()) if self.model.is_editable(row, c)]
        filled = {
            c
            for c in editable
            if self.model.columns[c].field in skip and self.model.cell_text(row, c)
        }
        col = next((c for c in editable if c not in filled), editable[0] if editable else 0)
        index = self.model.index(row, col)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()

    def delete_rows(self) -> None:
        rows = sorted({r for r, _ in self.view.selected_cells()})
        targets = [self.model.rows[r] for r in rows if self.model.rows[r].entity is not None]
        if not targets:
            self.message.emit("请先选中要删除的行")
            return
        self.doc.run(
            DeleteRows(
                self.doc, targets[0].entity, [t.row_id for t in targets], f"删除 {len(targets)} 行"
            )
        )
        self.message.emit(f"已删除 {len(targets)} 行（可撤销）")

    def move_current(self, step: int) -> None:
        row = self._current_row()
        if row is None or self.model.rows[row].entity is None:
            return
        target = row + step
        if not 0 <= target < self.model.editable_row_count():
            return
        col = self.view.currentIndex().column()
        r = self.model.rows[row]
        self.doc.run(MoveRow(self.doc, r.entity, r.row_id, target, "移动行"))
        self.view.setCurrentIndex(self.model.index(target, col))

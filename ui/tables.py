"""Spreadsheet-like tables: one generic model over report rows and a view with Excel keys.

A table is described by :class:`Column` specs (field, header, kind) in the Vorta manner, and fed
with :class:`Row` items (entity name, row id, the snapshot dataclass). Computed cells (totals,
rates, suggested scores) come from ``perfdesk.domain.calc``/``scoring`` through ``compute`` and are
read-only and grey. Every edit is parsed by ``perfdesk.domain.numbers`` and goes through the
document's undo stack; a refused value is shown at the cell (red, with its message as tooltip and
on the status bar), never dropped silently.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from perfdesk_ui.commands import DeleteRows, InsertRows, MoveRow, PasteBlock, SetFields
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QToolTip,
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
NUMERIC_KINDS = ("amount", "decimal", "count")


@dataclass(frozen=True)
class Column:
    """One column: the dataclass ``field`` it edits (empty for a computed column) and its kind.

    kind: ``amount`` (万元), ``decimal``, ``count``, ``text``, ``enum`` (``choices`` = value→label).
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

    @property
    def computed(self) -> bool:
        return self.compute is not None or not self.field


@dataclass
class Row:
    """A table row: the entity and id to edit (``entity=None``: a computed, read-only row)."""

    entity: str | None
    row_id: int | None
    obj: Any
    label: str = ""


@dataclass
class InsertSpec:
    """Where new rows of a row table go (the entity and its scope)."""

    entity: str
    scope: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)


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


class RecordTableModel(QAbstractTableModel):
    """Rows of one or more entities shown through column specs; edits go to the undo stack."""

    message = Signal(str)  # a message for the status bar
    cellError = Signal(QModelIndex, str)  # a refused value: where and why

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

    # --- feeding ------------------------------------------------------------------------------

    def set_rows(self, rows: list[Row]) -> None:
        """Replace the rows; same ids in the same order only repaint (selection is kept)."""
        same = len(rows) == len(self.rows) and all(
            (a.entity, a.row_id) == (b.entity, b.row_id)
            for a, b in zip(rows, self.rows, strict=True)
        )
        if same:
            self.rows = rows
            if rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(rows) - 1, len(self.columns) - 1)
                )
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, max(0, len(rows) - 1))
        else:
            self.beginResetModel()
            self.rows = rows
            self.errors.clear()
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
            return self.columns[section].header
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
            if not self.is_editable(row, col):
                return QBrush(COMPUTED_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and not self.is_editable(row, col):
            return QBrush(COMPUTED_FOREGROUND)
        if role == Qt.ItemDataRole.ToolTipRole:
            if (row, col) in self.errors:
                return self.errors[(row, col)]
            if not self.is_editable(row, col):
                return "自动计算，不能修改"
            if column.kind == "text":
                text = self.cell_text(row, col)
                if len(text) > 12:  # a long text may be cut off in its cell: show it whole
                    return text
        return None

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
        self.cellError.emit(QModelIndex(index), message)

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


class EnumDelegate(QStyledItemDelegate):
    """A drop-down for enum columns (typing the label or a prefix also works when pasting)."""

    def createEditor(
        self, parent: QWidget, option: Any, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        model = index.model()
        column = model.columns[index.column()]  # type: ignore[attr-defined]
        if column.kind != "enum":
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for value, label in column.choices:
            if value is None and not column.nullable:
                continue
            combo.addItem(label)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or "")
            return
        super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
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
    clears, Ctrl+C/Ctrl+V copy and paste tab-separated blocks."""

    message = Signal(str)

    def __init__(
        self, model: RecordTableModel, parent: QWidget | None = None, *, wrap_rows: bool = False
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(EnumDelegate(self))
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
        header = self.horizontalHeader()
        for i, c in enumerate(model.columns):
            self.setColumnWidth(i, c.width)
        stretched = [i for i, c in enumerate(model.columns) if c.stretch]
        header.setStretchLastSection(not stretched)
        for i in stretched:
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verticalHeader().setDefaultSectionSize(26)
        if wrap_rows:
            # short tables of long texts (indicators, projects): rows grow to show up to 3 lines
            self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            self.verticalHeader().setMaximumSectionSize(3 * self.fontMetrics().lineSpacing() + 10)
            self.verticalHeader().setMinimumSectionSize(24)
        else:
            self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        model.message.connect(self.message)
        model.cellError.connect(self._show_error)

    def sheet_model(self) -> RecordTableModel:
        return self.model()  # type: ignore[return-value]

    def _show_error(self, index: QModelIndex, message: str) -> None:
        rect = self.visualRect(index)
        QToolTip.showText(
            self.viewport().mapToGlobal(rect.bottomLeft()), message, self.viewport(), rect, 8000
        )

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # Enter commits and moves down, as in Excel (Qt's default stays on the cell).
        move_down = hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
        current = self.currentIndex()
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint if move_down else hint)
        if (
            move_down
            and current.isValid()
            and (current.row(), current.column()) not in self.sheet_model().errors
        ):
            self._move(current.row() + 1, current.column())

    def _move(self, row: int, col: int) -> None:
        model = self.model()
        if 0 <= row < model.rowCount() and 0 <= col < model.columnCount():
            self.setCurrentIndex(model.index(row, col))

    def keyPressEvent(self, event: Any) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
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
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: Any) -> None:
        # Qt opens the editor on an input-method commit (Chinese IME, full-width digits) but does
        # not pass the text on, so the first characters would be lost: pass them on ourselves.
        if (
            self.state() != QAbstractItemView.State.EditingState
            and self.currentIndex().isValid()
            and (event.commitString() or event.preeditString())
        ):
            if self.edit(self.currentIndex(), QAbstractItemView.EditTrigger.AnyKeyPressed, event):
                editor = QApplication.focusWidget()
                if isinstance(editor, QLineEdit) and editor is not self:
                    editor.selectAll()  # typing replaces the cell, as a key press does
                    QApplication.sendEvent(editor, event)
                    return
        super().inputMethodEvent(event)

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
            self.message.emit(str(exc))
            index = self.model().index(top, left)
            self._show_error(index, str(exc))
            return False
        self.message.emit(note)
        return True

    def clear_selection(self) -> None:
        n = self.sheet_model().clear(self.selected_cells())
        if n:
            self.message.emit(f"已清除 {n} 个单元格")

    def fit_height(self, max_rows: int | None = None) -> None:
        """Size the view to show all its rows (for small fixed grids inside a scrolling page)."""
        rows = (
            self.model().rowCount() if max_rows is None else min(max_rows, self.model().rowCount())
        )
        h = (
            self.horizontalHeader().height()
            + rows * self.verticalHeader().defaultSectionSize()
            + 2 * self.frameWidth()
            + 2
        )
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
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.inserter: Callable[[int], None] | None = None  # replaces the plain blank-row insert
        self.model = RecordTableModel(doc, columns, self, insert_spec=None)
        self.view = SheetView(self.model, self, wrap_rows=wrap_rows)
        self.view.message.connect(self.message)
        self.model.message.connect(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        bar.setSpacing(4)
        self.buttons: dict[str, QToolButton] = {}
        for key, text, slot in (
            ("insert", f"插入{row_noun}", self.insert_row),
            ("delete", f"删除{row_noun}", self.delete_rows),
            ("up", "上移", lambda: self.move_current(-1)),
            ("down", "下移", lambda: self.move_current(1)),
        ):
            # tool buttons: compact, so three tables fit side by side next to the 审核 panel
            button = QToolButton(self)
            button.setText(text)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def set_rows(self, rows: list[Row], spec: InsertSpec | None) -> None:
        self.model.insert_spec = spec
        self.model.set_rows(rows)
        for b in self.buttons.values():
            b.setEnabled(spec is not None)

    def _current_row(self) -> int | None:
        idx = self.view.currentIndex()
        return idx.row() if idx.isValid() else None

    def insert_row(self) -> None:
        spec = self.model.insert_spec
        if spec is None:
            return
        row = self._current_row()
        position = self.model.editable_row_count() if row is None else row + 1
        col = max(0, self.view.currentIndex().column())
        if self.inserter is not None:
            self.inserter(position)
        else:
            self.doc.run(
                InsertRows(self.doc, spec.entity, spec.scope, position, [dict(spec.defaults)])
            )
        self.view.setCurrentIndex(self.model.index(position, col))
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

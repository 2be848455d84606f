"""Ruled form tables: columns fitted to their content, text wrapped inside each cell.

Cells hold :class:`~perfdesk.report.text.TextBlock` flowables, so long text wraps (with the
Chinese line-breaking rules) and tables are never clipped: every table is exactly the width of
the text block. Column widths are **fitted** (:func:`fit_widths`), measured with the real font:

- an amount, rate or score column (``NUM``) is at least as wide as its widest value and the
  widest word of its header, so a number never wraps;
- a short label column (``LABEL``) gets room for its labels on one line where the block allows;
- long text columns (``TEXT``: 偏差原因, 指标, 目标) take what is left, shared by their content.

Header labels are written with ``|`` between words (``年初|预算数``) and break only there.

Header rows repeat on every page (``repeatRows``), every page's part is closed with its bottom
rule, a row taller than a page splits inside (``splitInRow``), and the rows continued on a new
page get the 一级/二级 labels of the run they belong to. ReportLab cannot split a table between
rows that a vertical SPAN joins, so a label standing for a run of rows (产出指标, 数量指标…) is
drawn as a *visual* merge: the label in the first row and no rule between the rows of the run.
Real spans are used only in blocks too small ever to need a page break. ``keep_last`` rows (the
总分 row and the indicator rows above it) never stand apart across a page break.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reportlab import rl_config
from reportlab.lib.colors import black
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.tables import LINECOMMANDS, CellStyle, _calc_pc, spanFixDim
from reportlab.platypus.tables import _ExpandedCellTuple as _Cell

from perfdesk.report.styles import (
    CELL,
    CELL_CENTER,
    CELL_HEAD,
    CELL_PADDING,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    RULE,
)
from perfdesk.report.text import TextBlock, TextStyle, Typesetter

_LINE_OPS = frozenset(LINECOMMANDS)

NUM, LABEL, TEXT = "num", "label", "text"
"""Column kinds for :func:`fit_widths`."""

MIN_TEXT_CHARS = 4
"""A text column is never narrower than this many characters."""
LEAVE_AT_MOST = 6 * 13.5
"""A table split between rows leaves at most this much of a page empty (six lines of 5号);
more, and the row that does not fit is split inside."""
TYPICAL_CHARS = 8
"""A column asks to hold this many characters on a line first (a name, a label); beyond that
its text shares the width left with the other columns'."""


@dataclass
class Cell:
    """A cell's text and style (``None`` text: an empty cell). ``|`` marks word boundaries."""

    text: str | None
    style: TextStyle = CELL


def head(text: str) -> Cell:
    return Cell(text, CELL_HEAD)


def num(text: str) -> Cell:
    return Cell(text, CELL_CENTER)


def label(text: str, indent_chars: int = 0) -> Cell:
    return Cell(text, _indented(indent_chars) if indent_chars else CELL)


@functools.cache
def _indented(indent_chars: int) -> TextStyle:
    return replace(CELL, left_indent=indent_chars * CELL.size)


@functools.cache
def _cell_style(style: TextStyle, size: float | None) -> TextStyle:
    """A cell's style as set in a table (no widow line; the table's own size, if it has one):
    worked out once per style, not once per cell (a stress report has tens of thousands)."""
    style = replace(style, no_widow=True)
    if size is not None and size != style.size:
        scale = size / style.size
        style = replace(
            style, size=size, leading=style.leading * scale, left_indent=style.left_indent * scale
        )
    return style


@functools.lru_cache(maxsize=1024)
def _words(marked: str) -> tuple[str, frozenset[int]]:
    """``年初|预算数`` → the text without its marks and where its words begin (a header recurs
    in every form: worked out once)."""
    parts = marked.split("|")
    starts, at = set(), 0
    for part in parts[:-1]:
        at += len(part)
        starts.add(at)
    return "".join(parts), frozenset(starts)


BLANK_ROW = "\u3000"
"""An ideographic space: a row with nothing in it still has the height of a line."""


def fit_widths(
    kinds: Sequence[str],
    weights: Sequence[float],
    mins: Sequence[float],
    wants: Sequence[float],
    areas: Sequence[float],
    total: float,
    typical: Sequence[float] | None = None,
) -> list[float]:
    """Column widths that add up to ``total``, shaped to make the table as short as it can be.

    ``mins`` are what each column needs to break no word, ``wants`` what it needs to wrap nothing
    (both including the cell padding), ``areas`` how much text it holds (the one-line widths of
    its cells added up), ``typical`` the width that puts most of its cells (three in four) on one
    line. ``NUM`` columns get their ``want`` — a number never wraps. The other columns start at
    their minimum, then grow towards ``typical`` (names and labels on one line), then share the
    rest in proportion to the square root of their text (which minimises the summed height of
    rows whose cells grow as text ÷ width), none beyond its ``want``. Slack left when everything fits goes to the text columns (else labels, else all)
    by ``weights``. When even the minimums do not fit, every column is scaled down from it.
    """
    n = len(kinds)
    floor = [wants[i] if kinds[i] == NUM else mins[i] for i in range(n)]
    need = sum(floor)
    if need > total:  # nothing to do but shrink: the caller may choose a smaller type first
        return [f * total / need for f in floor]
    widths = list(floor)
    left = total - need
    if typical is not None:
        asks = [
            max(min(typical[i], wants[i]) - widths[i], 0.0) if kinds[i] != NUM else 0.0
            for i in range(n)
        ]
        asked = sum(asks)
        if asked > 0:
            share = min(1.0, left / asked)
            for i in range(n):
                widths[i] += asks[i] * share
            left -= asked * share
    open_cols = [i for i in range(n) if kinds[i] != NUM and wants[i] > widths[i] + 1e-6]
    while left > 1e-6 and open_cols:
        shares = {i: max(areas[i], 1.0) ** 0.5 for i in open_cols}
        scale = left / sum(shares.values())
        capped = [i for i in open_cols if widths[i] + shares[i] * scale >= wants[i]]
        if not capped:
            for i in open_cols:
                widths[i] += shares[i] * scale
            left = 0.0
            break
        for i in capped:
            left -= wants[i] - widths[i]
            widths[i] = wants[i]
        open_cols = [i for i in open_cols if i not in capped]
    if left > 1e-6:
        for kind in (TEXT, LABEL, NUM):
            cols = [i for i in range(n) if kinds[i] == kind]
            if cols:
                weight = sum(weights[i] for i in cols) or len(cols)
                for i in cols:
                    widths[i] += left * (weights[i] or 1) / weight
                break
    return widths


def shared_widths(ts: Typesetter, forms: Sequence[Form]) -> list[float]:
    """One set of fitted widths for forms of the same columns stacked as one (附件1's blocks)."""
    merged = Form(forms[0].widths, kinds=forms[0].kinds, size=forms[0].size)
    for f in forms:
        merged.rows += f.rows
    return merged.column_widths([[merged._block(ts, c) for c in row] for row in merged.rows])


@dataclass
class Form:
    """One ruled table: rows of cells, column kinds and weights (for the slack)."""

    widths: Sequence[float]  # relative weights: share of the slack once content is fitted
    rows: list[list[Cell | str | None]] = field(default_factory=list)
    header_rows: int = 0
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # (col0, row0, col1, row1)
    merges: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # visual: (col, first, last row)
    labels: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # (col, first, last row): a label the rows continued on a new page repeat
    ruled: bool = True
    top_rows: list[int] = field(default_factory=list)  # rows of long text: aligned to the top
    kinds: Sequence[str] | None = None  # NUM / LABEL / TEXT per column (default: all TEXT)
    keep_last: int = 0  # the last rows kept together on one page (总分 with its rows)
    size: float | None = None  # type size of the cells (None: 5号)
    padding: float = CELL_PADDING
    width: float = FRAME_WIDTH

    def add(self, *cells: Cell | str | None) -> int:
        row = list(cells) + [None] * (len(self.widths) - len(cells))
        self.rows.append(row)
        return len(self.rows) - 1

    # --- building ----------------------------------------------------------------------------

    def _block(self, ts: Typesetter, cell: Cell | str | None) -> TextBlock | None:
        # Never a plain string: ReportLab would draw it in Helvetica, a font that is not embedded.
        if cell is None:
            return None
        if isinstance(cell, str):
            cell = Cell(cell)
        if not cell.text:
            return None
        text, words = _words(cell.text) if "|" in cell.text else (cell.text, None)
        return TextBlock(ts, text, _cell_style(cell.style, self.size), words=words)

    def _spanned(self) -> set[tuple[int, int]]:
        """Cells covered by a span over several columns (not measured for a column's width)."""
        out: set[tuple[int, int]] = set()
        for c0, r0, c1, r1 in self.spans:
            if c1 > c0:
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        out.add((c, r))
        return out

    def column_widths(self, blocks: list[list[TextBlock | None]]) -> list[float]:
        """The fitted widths of the columns, in points (see :func:`fit_widths`)."""
        n = len(self.widths)
        kinds = list(self.kinds or [TEXT] * n)
        pad = 2 * self.padding
        size = self.size or CELL.size
        wide: set[tuple[int, int]] = set()  # cells spanning several columns: not measured
        tall: dict[tuple[int, int], int] = {}  # cells spanning several rows: rows spanned
        for c0, r0, c1, r1 in self.spans:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if c1 > c0:
                        wide.add((c, r))
            if c1 == c0 and r1 > r0:
                tall[(c0, r0)] = r1 - r0 + 1
        mins = [0.0] * n
        wants = [0.0] * n
        areas = [0.0] * n
        lines: list[list[float]] = [[] for _ in range(n)]
        for r, row in enumerate(blocks):
            body = r >= self.header_rows
            for c, block in enumerate(row):
                if block is None or (wide and (c, r) in wide):
                    continue
                natural = block.natural_width()
                kind = kinds[c]
                words = block.words
                if kind == NUM:
                    # A value never wraps; a header breaks between its words (年初|预算数).
                    least = block.min_width() if words else natural
                    natural = least
                elif kind == LABEL:
                    least = min(block.min_width(), natural)
                else:
                    least = min(max(block.min_width(), MIN_TEXT_CHARS * size), natural)
                spread = tall.get((c, r)) if tall else None
                if spread:  # its lines spread over the rows it spans
                    natural = max(least, natural / spread)
                if least > mins[c]:
                    mins[c] = least
                if natural > wants[c]:
                    wants[c] = natural
                areas[c] += natural
                if body and not spread:
                    # A label with marked words is at home broken between them (产出指标|（40分）).
                    lines[c].append(block.min_width() if words else natural)
        mins = [m + pad for m in mins]
        wants = [max(w + pad, m) for w, m in zip(wants, mins, strict=True)]
        typical = []
        for c in range(n):
            ordered = sorted(lines[c])
            found = ordered[(len(ordered) * 3) // 4] if ordered else 0.0
            # Only short things (names, labels) ask to stand on one line; long text shares below.
            typical.append(max(min(found, TYPICAL_CHARS * size) + pad, mins[c]))
        return fit_widths(kinds, list(self.widths), mins, wants, areas, self.width, typical)

    def build(self, ts: Typesetter, widths: Sequence[float] | None = None) -> Flowable:
        """The table; ``widths`` (points) instead of fitting its own (see :func:`shared_widths`)."""
        blocks = [[self._block(ts, c) for c in row] for row in self.rows]
        col_widths = list(widths) if widths is not None else self.column_widths(blocks)
        # Each cell a flat sequence of blocks, in the form ReportLab would first turn it into.
        data = [[_Cell((b,) if b is not None else ()) for b in row] for row in blocks]
        carry = self._carry(blocks)
        for r in carry:
            data[r][0] = _Cell((_RowTag(r), *data[r][0]))
        # Every cell's style made from one class holding what all cells share (the font, the
        # padding, centred vertically), instead of ReportLab applying six commands cell by cell.
        cell = _cell_style_class(ts.fonts.face(CELL.role).name, self.padding)
        n_cols = len(self.widths)
        table = _FormTable(
            data,
            colWidths=col_widths,
            repeatRows=self.header_rows,
            splitByRow=1,
            splitInRow=1,
            hAlign="LEFT",
            cellStyles=[[cell() for _ in range(n_cols)] for _ in data],
            normalizedData=1,  # no empty value nor string to turn into ReportLab's
        )
        table.header_rows = self.header_rows
        table.carry = carry
        style = self._style(ts.fonts.face(CELL.role).name)
        kept = len(self.rows) - self.keep_last
        if self.keep_last > 1 and kept >= self.header_rows:
            rows = range(self.header_rows) if self.header_rows else range(0)
            header = self._rows_height(blocks, col_widths, rows)
            if (
                header + self._rows_height(blocks, col_widths, range(kept, len(blocks)))
                > FRAME_HEIGHT
            ):
                # Rows to keep together that no page can hold (long 偏差原因 above the 总分)
                # are left free to split: kept together, ReportLab made page after page forever.
                style = [c for c in style if not (c[0] == "NOSPLIT" and c[1] == (0, kept))]
        if self._short_first_row(blocks, col_widths):
            # Header rows never end a page alone: they go over with the first row (when that row
            # is short; a row taller than a page must be free to split inside).
            style.append(("NOSPLIT", (0, 0), (-1, self.header_rows)))
        table.setStyle(TableStyle(style))
        return table

    def _rows_height(
        self, blocks: list[list[TextBlock | None]], widths: list[float], rows: range
    ) -> float:
        """The height of ``rows`` as set in their columns (a cell over several columns measured
        in its first: never less than it will take)."""
        pad = 2 * self.padding
        total = 0.0
        for r in rows:
            height = 0.0
            for block, width in zip(blocks[r], widths, strict=True):
                if block is not None:
                    height = max(height, block.wrap(max(width - pad, 1.0), FRAME_HEIGHT)[1])
            total += height + pad
        return total

    def _short_first_row(self, blocks: list[list[TextBlock | None]], widths: list[float]) -> bool:
        if not self.header_rows or len(blocks) <= self.header_rows:
            return False
        pad = 2 * self.padding
        height = 0.0
        for block, width in zip(blocks[self.header_rows], widths, strict=True):
            if block is not None:
                height = max(height, block.wrap(max(width - pad, 1.0), FRAME_HEIGHT)[1])
        return height + pad < FRAME_HEIGHT / 3

    def _carry(self, blocks: list[list[TextBlock | None]]) -> dict[int, dict[int, TextBlock]]:
        """Row → {column: the label of the visual merge the row belongs to} (for continued rows)."""
        carry: dict[int, dict[int, TextBlock]] = {}
        for col, first, last in [*self.merges, *self.labels]:
            block = blocks[first][col] if first < len(blocks) else None
            if block is None or first < self.header_rows:
                continue
            for r in range(first, last + 1):
                carry.setdefault(r, {})[col] = block
        return carry

    def _style(self, font: str) -> list[tuple]:
        """The table's commands beyond what every cell shares (see :func:`_cell_style_class`)."""
        n_rows, n_cols = len(self.rows), len(self.widths)
        cmds: list[tuple] = []
        for c0, r0, c1, r1 in self.spans:
            cmds.append(("SPAN", (c0, r0), (c1, r1)))
        # A row that may run over pages starts at the top: centred text would land on a later page.
        for r in self.top_rows:
            cmds.append(("VALIGN", (0, r), (-1, r), "TOP"))
        if self.keep_last > 1 and n_rows - self.keep_last >= self.header_rows:
            cmds.append(("NOSPLIT", (0, n_rows - self.keep_last), (-1, n_rows - 1)))
        if not self.ruled:
            return cmds
        cmds += [
            # Verticals everywhere; the outer box is drawn again for every part after a page break.
            ("LINEBEFORE", (0, 0), (-1, -1), RULE, black),
            ("LINEAFTER", (-1, 0), (-1, -1), RULE, black),
            ("LINEABOVE", (0, 0), (-1, 0), RULE, black),
            ("LINEBELOW", (0, -1), (-1, -1), RULE, black),
            # The part before a page break is closed across every column, merged ones included.
            ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), RULE, black),
        ]
        if self.header_rows:
            cmds.append(("LINEBELOW", (0, 0), (-1, self.header_rows - 1), RULE, black))
        # Horizontal rules between rows, except inside a span or a visual merge.
        hidden: set[tuple[int, int]] = set()  # (col, row): no rule above this cell
        for col, first, last in self.merges:
            for r in range(first + 1, last + 1):
                hidden.add((col, r))
        for c0, r0, c1, r1 in self.spans:
            for c in range(c0, c1 + 1):
                for r in range(r0 + 1, r1 + 1):
                    hidden.add((c, r))
        # Consecutive rows ruled across the same columns in one piece share one command: the
        # same rules, drawn in the same order, but a long table no longer hands a command per row
        # to each next part at every page break (see _FormTable._stretchCommands).
        run: list[int] | None = None  # [first row, last row, first col, last col]
        for r in range(1, n_rows):
            segments = []
            c = 0
            while c < n_cols:
                if (c, r) in hidden:
                    c += 1
                    continue
                start = c
                while c < n_cols and (c, r) not in hidden:
                    c += 1
                segments.append((start, c - 1))
            if run and len(segments) == 1 and segments[0] == (run[2], run[3]) and run[1] == r - 1:
                run[1] = r
                continue
            if run:
                cmds.append(("LINEABOVE", (run[2], run[0]), (run[3], run[1]), RULE, black))
                run = None
            if len(segments) == 1:
                run = [r, r, *segments[0]]
            else:
                for start, end in segments:
                    cmds.append(("LINEABOVE", (start, r), (end, r), RULE, black))
        if run:
            cmds.append(("LINEABOVE", (run[2], run[0]), (run[3], run[1]), RULE, black))
        return cmds


@functools.cache
def _cell_style_class(font: str, padding: float) -> type[CellStyle]:
    """The style every cell of a form starts from: ``font`` (ReportLab selects each cell's font
    even for flowable cells: never its Helvetica), ``padding`` on all sides, centred vertically.
    A command for some cells (``VALIGN`` of a top row) sets their own attribute over it."""

    def __init__(self) -> None:  # noqa: ANN001 - no name per cell, no parent to copy
        pass

    return type(
        "FormCellStyle",
        (CellStyle,),
        {
            "__init__": __init__,
            "name": "cell",
            "fontname": font,
            "valign": "MIDDLE",
            "leftPadding": padding,
            "rightPadding": padding,
            "topPadding": padding,
            "bottomPadding": padding,
        },
    )


class _RowTag(Flowable):
    """An invisible mark in a row's first cell: which row of the whole form the row shows."""

    def __init__(self, row: int) -> None:
        super().__init__()
        self.row = row

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        pass


def _tag(cells: list) -> int | None:  # noqa: ANN001 - a ReportLab cell value
    if isinstance(cells, list | tuple):
        for item in cells:
            if isinstance(item, _RowTag):
                return item.row
    return None


class _FormTable(Table):
    """A ReportLab table that labels the rows it continues on a new page and closes every part.

    Rows inside a visual merge carry a :class:`_RowTag`; after a split, the first row of the next
    part (or, split inside a row, the row it continues) is found by its tag and given the labels
    of its merges (``carry``) where its cells are empty.
    """

    header_rows: int = 0
    carry: dict[int, dict[int, TextBlock]]
    _measured_at: float | None = None  # the width the rows were last measured at

    def _calc(self, availWidth, availHeight):  # noqa: ANN001, ANN202, N802, N803 - ReportLab's
        # Rows are measured once per width: a 附件3 form measured to fit it to its page is not
        # measured again when it is laid out (nor when the frame then asks it to split). Its
        # columns have fixed widths: a width a rounding away measures the same. ReportLab stops
        # measuring a table once its rows overflow the height: only all rows measured are kept.
        if (
            self._measured_at is None
            or abs(self._measured_at - availWidth) > 1e-6
            or self._hmax != len(self._cellvalues)
        ):
            super()._calc(availWidth, availHeight)
            self._measured_at = availWidth

    def _addCommand(self, cmd):  # noqa: ANN001, ANN202, N802 - ReportLab's
        # A rule already in ReportLab's full form (as every split hands the rules of the rest of
        # a table to its next part: a long table's rules again at every page) is taken as it is.
        if (
            len(cmd) == 10
            and cmd[0] in _LINE_OPS
            and type(cmd[5]) is int
            and type(cmd[7]) is int
            and type(cmd[8]) is int
            and cmd[8] >= 1
            and cmd[9] is not None
            and 0 <= cmd[5] <= 2
            and 0 <= cmd[7] <= 2
        ):
            self._linecmds.append(tuple(cmd))
            return None
        return super()._addCommand(cmd)

    def setStyle(self, tblstyle):  # noqa: ANN001, ANN201, N802 - ReportLab's
        cmds = tblstyle.getCommands() if isinstance(tblstyle, TableStyle) else tblstyle or ()
        if any(not str(c[0]).startswith("LINE") for c in cmds):
            self._measured_at = None  # a rule changes no size; anything else measures again
        return super().setStyle(tblstyle)

    def _calc_height(self, availHeight, availWidth, H=None, W=None):  # noqa: ANN001, ANN202, C901, N802, N803 - ReportLab's
        """ReportLab's row heights, by its own steps, without its generic work per cell (the
        canvas's font set around each cell, the cell's blocks flattened again, a canvas lent to
        each block): the stress report measures twenty thousand cells."""
        if self._minRowHeights:
            return super()._calc_height(availHeight, availWidth, H=H, W=W)
        H = self._argH
        if not W:
            W = _calc_pc(self._argW, availWidth)
        if None in W:
            return super()._calc_height(availHeight, availWidth, H=H, W=W)
        hmax = lim = len(H)
        if None in H:
            if self._spanCmds:
                row_spanned = set(self._rowSpanCells)
                col_spanned = set(self._colSpanCells)
                span_ranges = self._spanRanges
                colpositions = self._colpositions
            else:
                row_spanned = col_spanned = set()
                span_ranges = {}
            canv = getattr(self, "canv", None)
            H0 = H
            H = H[:]
            self._rowHeights = H
            span_cons: dict[tuple[int, int], float] = {}
            for i in range(lim):
                if H[i] is not None:
                    continue
                V = self._cellvalues[i]
                S = self._cellStyles[i]
                h = 0
                for j, (v, s, w) in enumerate(zip(V, S, W, strict=False)):
                    ji = j, i
                    span = span_ranges.get(ji)
                    if ji in row_spanned and not span:
                        continue  # occluded by a span: not counted
                    if isinstance(v, tuple | list | Flowable):
                        if not isinstance(v, _Cell):
                            v = V[j] = self._cellListProcess(v, w, None)
                        if ji in col_spanned:
                            if not span:
                                continue
                            w = max(colpositions[span[2] + 1] - colpositions[span[0]], w or 0)
                        aw = w - s.leftPadding - s.rightPadding
                        if not v or aw < 0:
                            dw, t = self._listCellGeom(v, w, s)
                        else:
                            ah = 72000 - s.topPadding - s.bottomPadding
                            t = dw = 0
                            sb0 = None
                            sa = 0
                            for f in v:
                                if f.__class__ is TextBlock:
                                    fw, fh = f.wrap(aw, ah)
                                    sb, sa = f.spaceBefore, f.spaceAfter
                                else:
                                    fw, fh = f.wrapOn(canv, aw, ah)
                                    sb, sa = f.getSpaceBefore(), f.getSpaceAfter()
                                dw = max(dw, fw)
                                t += fh + sa + sb
                                if sb0 is None:
                                    sb0 = sb
                            t = t - sb0 - sa
                        dw = dw + s.leftPadding + s.rightPadding
                        if dw > (w or 0) and not rl_config.allowTableBoundsErrors & 1:
                            raise LayoutError(f"{v[0].identity(30)} too wide for cell({i},{j})")
                    else:
                        v = (v is not None and str(v) or "").split("\n")
                        t = (s.leading or 1.2 * s.fontsize) * len(v)
                    t += s.bottomPadding + s.topPadding
                    if span:
                        r0, r1 = span[1], span[3]
                        if r0 != r1:
                            x = r0, r1
                            span_cons[x] = max(span_cons.get(x, t), t)
                            t = 0
                    if t > h:
                        h = t
                H[i] = h
                # ReportLab stops once the rows overflow the height and every span is complete.
                if self._longTableOptimize:
                    hmax = i + 1
                    if sum(H[:hmax]) > availHeight and span_cons:
                        if hmax > max(x[1] for x in span_cons):
                            break
            if None not in H:
                hmax = lim
            if span_cons:
                spanFixDim(H0, H, span_cons)
        # the row positions, bottom up, summed as ReportLab sums them (compensated)
        self._rowpositions = j = []
        height = c = 0
        for i in range(hmax - 1, -1, -1):
            j.append(height)
            y = H[i] - c
            t = height + y
            c = (t - height) - y
            height = t
        j.append(height)
        self._height = height
        j.reverse()
        self._hmax = hmax
        return None

    def _listCellGeom(self, V, w, s, W=None, H=None, aH=72000):  # noqa: ANN001, ANN202, N802, N803 - ReportLab's
        """ReportLab's measure of a cell's blocks (width, height), without a canvas lent to each
        block: a text block measures itself alone."""
        if isinstance(V, str) or not V or w - s.leftPadding - s.rightPadding < 0:
            return super()._listCellGeom(V, w, s, W=W, H=H, aH=aH)
        aw = w - s.leftPadding - s.rightPadding
        ah = aH - s.topPadding - s.bottomPadding
        canv = getattr(self, "canv", None)
        t = 0
        w = 0
        sb0 = None
        sa = 0
        for v in V:
            vw, vh = v.wrap(aw, ah) if v.__class__ is TextBlock else v.wrapOn(canv, aw, ah)
            sb = v.getSpaceBefore()
            sa = v.getSpaceAfter()
            if W is not None:
                W.append(vw)
            if H is not None:
                H.append(vh)
            w = max(w, vw)
            t += vh + sa + sb
            if sb0 is None:
                sb0 = sb
        return w, t - sb0 - sa

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: ANN001, ANN202, N802 - ReportLab's
        """ReportLab's drawing of a cell of flowables, with the same operators, minus its generic
        machinery (a stress report draws tens of thousands of cells): each block's operators are
        written straight to the page in the block's own coordinates (``q … cm … Q``)."""
        if cellval.__class__ is not _Cell and (
            not isinstance(cellval, list | tuple) or hasattr(cellval, "tagType")
        ):
            return super()._drawCell(cellval, cellstyle, pos, size)
        if cellstyle.href or cellstyle.destination:
            return super()._drawCell(cellval, cellstyle, pos, size)
        canv = self.canv
        cur = self._curcellstyle
        if cur is not cellstyle:
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if (
                cur is None
                or cellstyle.leading != cur.leading
                or cellstyle.fontname != cur.fontname
                or cellstyle.fontsize != cur.fontsize
            ):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        if not cellval:
            return None
        colpos, rowpos = pos
        colwidth, rowheight = size
        left, right = cellstyle.leftPadding, cellstyle.rightPadding
        top, bottom = cellstyle.topPadding, cellstyle.bottomPadding
        aw = colwidth - left - right
        sized = []
        h = 0.0
        for v in cellval:
            if v.__class__ is TextBlock:
                sb, sa = v.spaceBefore, v.spaceAfter
                if v.width == aw:
                    vw, vh = aw, v.height  # as measured for the row, at this width
                else:
                    vw, vh = v.wrap(aw, rowheight - top - bottom)
            elif v.__class__ is _RowTag:
                vw = vh = sb = sa = 0.0
            else:
                vw, vh = v.wrapOn(canv, aw, rowheight - top - bottom)
                sb, sa = v.getSpaceBefore(), v.getSpaceAfter()
            sized.append((v, vw, vh, sb, sa))
            h += vh + sa + sb
        h = h - sized[0][3] - sized[-1][4]
        valign = cellstyle.valign
        if valign == "TOP":
            y = rowpos + rowheight - top
        elif valign == "BOTTOM":
            y = rowpos + bottom + h
        else:
            y = rowpos + (rowheight + bottom - top + h) / 2.0
        y += sized[0][3]
        just = cellstyle.alignment
        code = canv._code
        for v, vw, vh, sb, sa in sized:
            if just == "LEFT":
                x = colpos + left
            elif just == "RIGHT":
                x = colpos + colwidth - right - vw
            else:
                x = colpos + (colwidth + left - right - vw) / 2.0
            y -= sb
            y -= vh
            if v.__class__ is _RowTag:
                code.append(f"q\n1 0 0 1 {fp_str(x, y)} cm\nQ")  # its drawOn, drawing nothing
            elif v.__class__ is TextBlock and not (v.fake_bold or v.outline):
                code.append(f"q\n1 0 0 1 {fp_str(x, y)} cm\n{v.pdf_code(canv)}\nQ")
            else:
                v.drawOn(canv, x, y)
            y -= sa
        return None

    def _stretchCommands(self, n, cmds, oldrowcount):  # noqa: ANN001, ANN202, N802 - ReportLab's
        # Row n split in two: a rule above several rows is stretched by ReportLab over the new
        # row as well; cut around row n first, it is stretched as the rules of single rows are
        # (none between the two halves of the split row).
        cut = []
        for c in cmds:
            op, (sc, sr), (ec, er) = c[0:3]
            if op == "LINEABOVE" and isinstance(sr, int) and isinstance(er, int) and 0 <= sr < er:
                if sr < n <= er or sr <= n < er:
                    if sr < n:
                        cut.append((op, (sc, sr), (ec, n - 1), *c[3:]))
                    cut.append((op, (sc, n), (ec, n), *c[3:]))
                    if er > n:
                        cut.append((op, (sc, n + 1), (ec, er), *c[3:]))
                    continue
            cut.append(c)
        return super()._stretchCommands(n, cut, oldrowcount)

    def _splitRows(self, availHeight, doInRowSplit=0):  # noqa: ANN001, ANN202, N802, N803 - ReportLab's
        parts = super()._splitRows(availHeight, doInRowSplit=doInRowSplit)
        if len(parts) != 2 or not hasattr(self, "carry"):
            return parts  # (a table ReportLab made for a split inside a row: the caller fixes it)
        if not doInRowSplit:
            # A tall row that does not fit would leave the page half empty, and its part would
            # then start on this same page under a repeated header: split inside it instead.
            used = sum(self._rowHeights[: len(parts[0]._cellvalues)])
            if availHeight - used > LEAVE_AT_MOST:
                inside = super()._splitRows(availHeight, doInRowSplit=1)
                if len(inside) == 2:
                    parts = inside
        first, rest = parts
        hdr = self.header_rows
        first.header_rows = rest.header_rows = hdr
        first.carry = rest.carry = self.carry
        # Every part is closed across its whole width, merged columns included.
        first.setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), RULE, black)]))
        if len(rest._cellvalues) <= hdr:
            return parts
        row = rest._cellvalues[hdr]
        origin = _tag(row[0])
        if origin is None:  # split inside a row: the row goes on from the first part
            for cells in reversed(first._cellvalues):
                origin = _tag(cells[0])
                if origin is not None:
                    break
        for col, block in self.carry.get(origin, {}).items() if origin is not None else ():
            if not [c for c in row[col] if not isinstance(c, _RowTag)]:
                row[col] = [
                    *row[col],
                    TextBlock(block.ts, block.shaped, block.style, words=block.words),
                ]
                if isinstance(rest._argH, list):
                    rest._argH[hdr] = None  # measured again: the label may need more lines
                rest._measured_at = None
        return parts

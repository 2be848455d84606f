"""Ruled form tables: fixed column widths that fill the text block, text wrapped inside each cell.

Cells hold :class:`~perfdesk.report.text.TextBlock` flowables, so long text wraps (with the
Chinese line-breaking rules) and tables are never clipped: every table is exactly the width of
the text block. Header rows repeat on every page (``repeatRows``) and a row taller than a page
splits inside (``splitInRow``).

ReportLab cannot split a table between rows that a vertical SPAN joins, so a label standing for
a run of rows (绩效指标, 产出指标, 数量指标…) is drawn as a *visual* merge instead: the label in the
first row and no rule between the rows of the run. Real spans are used only in blocks too small
ever to need a page break.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import black
from reportlab.platypus import Flowable, Table, TableStyle

from perfdesk.report.styles import CELL, CELL_CENTER, CELL_HEAD, CELL_PADDING, FRAME_WIDTH, RULE
from perfdesk.report.text import TextBlock, TextStyle, Typesetter


@dataclass
class Cell:
    """A cell's text and style (``None`` text: an empty cell)."""

    text: str | None
    style: TextStyle = CELL


def head(text: str) -> Cell:
    return Cell(text, CELL_HEAD)


def num(text: str) -> Cell:
    return Cell(text, CELL_CENTER)


def label(text: str, indent_chars: int = 0) -> Cell:
    if indent_chars:
        from dataclasses import replace

        return Cell(text, replace(CELL, left_indent=indent_chars * CELL.size))
    return Cell(text, CELL)


@dataclass
class Form:
    """One ruled table: rows of cells, column widths in proportions of the text block."""

    widths: Sequence[float]  # relative; scaled to the text block
    rows: list[list[Cell | str | None]] = field(default_factory=list)
    header_rows: int = 0
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # (col0, row0, col1, row1)
    merges: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # visual: (col, first, last row)
    ruled: bool = True
    top_rows: list[int] = field(default_factory=list)  # rows of long text: aligned to the top

    def add(self, *cells: Cell | str | None) -> int:
        row = list(cells) + [None] * (len(self.widths) - len(cells))
        self.rows.append(row)
        return len(self.rows) - 1

    def build(self, ts: Typesetter) -> Flowable:
        total = sum(self.widths)
        col_widths = [FRAME_WIDTH * w / total for w in self.widths]
        data = [[self._cell(ts, c) for c in row] for row in self.rows]
        table = Table(
            data,
            colWidths=col_widths,
            repeatRows=self.header_rows,
            splitByRow=1,
            splitInRow=1,
            hAlign="LEFT",
        )
        table.setStyle(TableStyle(self._style(ts.fonts.face(CELL.role).name)))
        return table

    @staticmethod
    def _cell(ts: Typesetter, cell: Cell | str | None) -> list[Flowable]:
        # Never a plain string: ReportLab would draw it in Helvetica, a font that is not embedded.
        if cell is None:
            return []
        if isinstance(cell, str):
            cell = Cell(cell)
        if not cell.text:
            return []
        return [TextBlock(ts, cell.text, cell.style)]

    def _style(self, font: str) -> list[tuple]:
        n_rows, n_cols = len(self.rows), len(self.widths)
        cmds: list[tuple] = [
            # ReportLab selects each cell's font even for flowable cells: never its Helvetica.
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ]
        for c0, r0, c1, r1 in self.spans:
            cmds.append(("SPAN", (c0, r0), (c1, r1)))
        # A row that may run over pages starts at the top: centred text would land on a later page.
        for r in self.top_rows:
            cmds.append(("VALIGN", (0, r), (-1, r), "TOP"))
        if not self.ruled:
            return cmds
        cmds += [
            # Verticals everywhere; the outer box is drawn again for every part after a page break.
            ("LINEBEFORE", (0, 0), (-1, -1), RULE, black),
            ("LINEAFTER", (-1, 0), (-1, -1), RULE, black),
            ("LINEABOVE", (0, 0), (-1, 0), RULE, black),
            ("LINEBELOW", (0, -1), (-1, -1), RULE, black),
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
        for r in range(1, n_rows):
            c = 0
            while c < n_cols:
                if (c, r) in hidden:
                    c += 1
                    continue
                start = c
                while c < n_cols and (c, r) not in hidden:
                    c += 1
                cmds.append(("LINEABOVE", (start, r), (c - 1, r), RULE, black))
        return cmds

"""Fixtures for the Excel/Word tests: a database holding the sample (or a filled report), and
helpers to edit a workbook with openpyxl as a finance colleague would."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from perfdesk.domain import model as m


@pytest.fixture
def sample_ws(db_path: Path) -> Iterator[tuple[Any, int]]:
    """A workspace holding the shipped sample; yields (workspace, report id)."""
    from perfdesk.sample import load_sample
    from perfdesk.services import Workspace

    ws = Workspace.open(db_path)
    rid = ws.add_report(load_sample())
    ws.ensure_fixed_rows(rid)
    yield ws, rid
    ws.close()


@pytest.fixture
def filled_ws(db_path: Path) -> Iterator[tuple[Any, int]]:
    """A workspace holding a report with three projects that each have a 附件3 form."""
    from perfdesk.services import Workspace
    from tests.report.factory import filled_report

    ws = Workspace.open(db_path)
    rid = ws.add_report(filled_report())
    ws.ensure_fixed_rows(rid)
    yield ws, rid
    ws.close()


def exported(report: m.Report) -> bytes:
    from perfdesk.office.xlsx_export import xlsx_bytes

    return xlsx_bytes(report)


def edited(data: bytes, edit: Callable[[Any], None]) -> bytes:
    """The workbook ``data`` after ``edit(workbook)`` and a save, as Excel would leave it."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def find_cell(ws: Any, text: str) -> Any:
    """The first cell of worksheet ``ws`` whose value is ``text``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not on sheet {ws.title}")


def cell_right_of(ws: Any, text: str, steps: int = 1) -> Any:
    """The cell ``steps`` value cells to the right of the caption ``text`` (merged cells skipped)."""
    caption = find_cell(ws, text)
    row = caption.row
    col = caption.column
    merged = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}
    col = merged.get((row, col), col) + 1
    for _ in range(steps - 1):
        col = merged.get((row, col), col) + 1
    return ws.cell(row=row, column=col)

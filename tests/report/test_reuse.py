"""What the printout remembers while it builds, and what it leaves behind.

A build measures each table once, sets each recurring text once and pauses the cyclic garbage
collector (perfdesk.report.tables, text, document): none of it may change what is printed, leak
into the next build, or leave the process's collector changed.
"""

from __future__ import annotations

import gc
import io

import pytest

from perfdesk.report import build_pdf
from perfdesk.report.styles import FRAME_HEIGHT, FRAME_WIDTH
from perfdesk.report.tables import Form, head, label
from perfdesk.report.text import Typesetter
from tests.report.conftest import flat_text
from tests.report.factory import filled_report, twenty_projects


def test_a_build_in_between_changes_nothing_in_the_next(build) -> None:  # type: ignore[no-untyped-def]
    # Shapes, lines and PDF operators are kept per build (the operators name the font subsets
    # of one document): another report built in between must not show through.
    first, _ = build(filled_report())
    build(twenty_projects())
    again, _ = build(filled_report())
    assert again == first


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(fonts, enabled) -> None:  # type: ignore[no-untyped-def]
    class Broken(io.BytesIO):
        def write(self, data):  # type: ignore[no-untyped-def]
            raise OSError("磁盘已满")

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        build_pdf(filled_report(), io.BytesIO(), fonts=fonts)
        assert gc.isenabled() is enabled
        with pytest.raises(OSError):
            build_pdf(filled_report(), Broken(), fonts=fonts)
        assert gc.isenabled() is enabled  # also when the build fails
    finally:
        gc.enable() if was else gc.disable()


def _long_form() -> Form:
    form = Form([30, 120], header_rows=1)
    form.add(head("序号"), head("内容"))
    for k in range(120):
        form.add(label(str(k + 1)), label(f"第{k + 1}行的内容，长短不一。" * (1 + k % 3)))
    form.spans.append((0, 1, 0, 3))  # a label over three rows (ReportLab stops early only then)
    return form


def test_a_long_table_measured_with_little_room_is_measured_whole_with_more(fonts) -> None:  # type: ignore[no-untyped-def]
    # ReportLab stops measuring rows once they overflow the room it is given: a table measured
    # first against a short height (the bottom of a page) must not keep that partial measure
    # when it is laid out again with the room for all its rows.
    ts = Typesetter(fonts)
    fresh = _long_form().build(ts)
    _, whole = fresh.wrap(FRAME_WIDTH, 100 * FRAME_HEIGHT)
    table = _long_form().build(ts)
    _, partial = table.wrap(FRAME_WIDTH, 50)
    assert partial < whole and None in table._rowHeights  # measured in part
    assert table.wrap(FRAME_WIDTH, 100 * FRAME_HEIGHT) == (fresh._width, whole)
    assert None not in table._rowHeights
    assert table._rowHeights == fresh._rowHeights


def test_long_reasons_above_the_total_still_print(build, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The 总分 row is kept with the indicator rows above it; when those rows hold long 偏差原因
    # and together need more than a page, they must be let go: kept together, the build made
    # page after page without end.
    from reportlab.platypus import doctemplate

    begin = doctemplate.BaseDocTemplate.handle_pageBegin
    pages = []

    def counted(self):  # type: ignore[no-untyped-def]
        pages.append(1)
        assert len(pages) < 200, "页数失控"
        return begin(self)

    monkeypatch.setattr(doctemplate.BaseDocTemplate, "handle_pageBegin", counted)
    reason = "受资金拨付进度影响，部分补助于次年一季度发放；下一步将加强与财政部门的沟通，提前做好资金计划。"
    r = filled_report()
    for i, ind in enumerate(r.indicators):
        ind.deviation_reason = reason * (2 + 5 * (i % 3))
    pdf, info = build(r)
    assert info.page_count < 60
    text = flat_text(pdf)
    # every reason printed whole (a cell's lines interleave with its row's other cells in the
    # extracted text: its characters are counted, 拨 once in each sentence)
    assert text.count("拨") >= sum(2 + 5 * (i % 3) for i in range(len(r.indicators)))
    assert "总分" in text

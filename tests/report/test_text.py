"""Chinese line breaking: no line starts with ，。；：？！）》” 、 —, none ends with （《“, numbers stay whole.

ReportLab's own CJK wrapping lets ，；：？！》” and — start a line and hangs at most one character,
so :func:`perfdesk.report.text.break_lines` does it; these tests hold it to the rule, first on the
function, then on text read back from a built PDF.
"""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from perfdesk.report.text import NO_LINE_END, NO_LINE_START, break_lines
from tests.report.conftest import PAGE_NUMBER, page_lines, pages_text
from tests.report.factory import filled_report

EM = 10.0


def widths(text: str) -> list[float]:
    return [EM / 2 if ch.isascii() else EM for ch in text]


def lines(text: str, chars_per_line: int) -> list[str]:
    return [text[a:b] for a, b in break_lines(text, widths(text), chars_per_line * EM)]


def test_a_comma_that_would_start_a_line_takes_the_previous_character_with_it() -> None:
    text = "一二三四五，六七八九"
    assert lines(text, 5) == ["一二三四", "五，六七八", "九"]


def test_closing_quote_and_full_stop_never_start_a_line() -> None:
    text = "他说“一二三”。四五"
    out = lines(text, 6)
    assert out == ["他说“一二", "三”。四五"]
    for line in out[1:]:
        assert line[0] not in NO_LINE_START


def test_opening_bracket_never_ends_a_line() -> None:
    out = lines("一二三四（五六）七", 5)
    assert out[0] == "一二三四"
    assert all(line[-1] not in NO_LINE_END for line in out)


def test_a_dash_pair_is_not_split_nor_starts_a_line() -> None:
    out = lines("一二三四——五六七", 5)
    assert out == ["一二三", "四——五六", "七"]


def test_numbers_stay_whole_when_they_fit_on_a_line() -> None:
    out = lines("支出金额合计4532.05万元", 8)
    assert "4532.05" in out[1]
    assert all("4532.05" in line or not any(c.isdigit() for c in line) for line in out)


def test_a_word_longer_than_the_line_is_broken_rather_than_overflowing() -> None:
    text = "1234567890123456789012345"
    out = lines(text, 4)  # eight half-width digits per line
    assert "".join(out) == text
    assert all(len(line) <= 8 for line in out)


def test_hard_breaks_and_spaces_after_a_soft_break() -> None:
    assert lines("一二\n三", 10) == ["一二", "三"]
    assert lines("abcd efgh", 2) == ["abcd", "efgh"]


def test_a_space_before_punctuation_does_not_let_it_start_a_line() -> None:
    # The reference has "薄弱环节 ，芦淞区": breaking at the space would start a line with "，".
    assert lines("一二三四 ，五六七八", 5) == ["一二三", "四 ，五六", "七八"]


def test_first_line_indent_and_grid_tracking() -> None:
    text = "字" * 60
    # 28 characters of 16 pt with tracking fit 442.2 pt exactly; 26 after a two-character indent.
    tracking = (442.2047 - 28 * 16) / 27
    spans = break_lines(
        text, [16.0] * 60, 442.2047, first_width=442.2047 - 2 * (16 + tracking), tracking=tracking
    )
    assert [b - a for a, b in spans] == [26, 28, 6]


_cjk = st.sampled_from("部门整体支出绩效自评报告财政拨款项目")
_closers = st.text(alphabet="，。；：？！）》”、", min_size=0, max_size=2)
_space = st.sampled_from(["", "", "", " ", "  "])
_word = st.tuples(st.sampled_from(["", "（", "《", "“"]), _cjk, _space, _closers).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(_word, min_size=1, max_size=80), per_line=st.integers(min_value=5, max_value=28)
)
def test_no_line_starts_or_ends_with_a_forbidden_character(words: list[str], per_line: int) -> None:
    text = "".join(words)
    spans = break_lines(text, widths(text), per_line * EM)
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(
        " ", ""
    )  # nothing lost
    for i, (a, b) in enumerate(spans):
        line = text[a:b]
        assert sum(widths(line)) <= per_line * EM + 0.01
        if i:
            assert line[0] not in NO_LINE_START, (text, per_line, line)
        if i < len(spans) - 1:
            assert line[-1] not in NO_LINE_END, (text, per_line, line)


def test_the_printed_pdf_obeys_the_rule(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    # Punctuation-heavy text in the body and in a table cell, at every possible offset.
    text = "".join(f"第{i}项：“甲乙”，丙丁；戊己（庚）。" for i in range(40))
    for section in r.sections:
        if section.key == "performance.overall":
            section.text = "\n".join("段" + text[k:] for k in range(0, 14))
    r.goal_actual = text
    r.personnel_expense = D("1")
    pdf, _ = build(r)
    checked = 0
    for page in pages_text(pdf):
        for line in page_lines(page):
            if PAGE_NUMBER.match(line):
                continue
            for cell in line.split(" "):
                if cell and cell != "——":  # a cell holding only the 不适用 dash
                    checked += 1
                    assert cell[0] not in NO_LINE_START, line
                    assert cell[-1] not in NO_LINE_END, line
    assert checked > 300


def test_a_split_block_keeps_every_character_once_and_fits_the_height(fonts) -> None:  # type: ignore[no-untyped-def]
    from perfdesk.report.styles import BODY, CELL
    from perfdesk.report.text import TextBlock, Typesetter

    ts = Typesetter(fonts)
    text = "通过不断健全完善老年社会保障体系，加快养老服务体系建设。" * 20
    block = TextBlock(ts, text, BODY)
    block.wrap(442.2, 10_000)
    head, tail = block.split(442.2, 5 * BODY.leading + 3)
    assert head.wrap(442.2, 10_000)[1] == 5 * BODY.leading
    assert head.text + tail.text == text
    # A table cell is wrapped inside its padding but split with the column's full width: the
    # split must follow the lines as they will be drawn.
    cell = TextBlock(ts, text, CELL)
    cell.wrap(94.0, 10_000)
    head, tail = cell.split(100.0, 6 * CELL.leading)
    assert head.wrap(94.0, 10_000)[1] == 6 * CELL.leading
    assert head.text + tail.text == text
    assert block.split(442.2, BODY.leading) == []  # no lone first line at a page foot


def test_the_rest_of_a_split_block_breaks_as_if_it_were_broken_afresh(fonts) -> None:  # type: ignore[no-untyped-def]
    """A long table cell is split once per page; its rest keeps the lines already found (so the
    printout of one long text stays linear) — and they must be the lines a fresh break gives."""
    from dataclasses import replace

    from perfdesk.report.styles import BODY, CELL
    from perfdesk.report.text import TextBlock, Typesetter

    ts = Typesetter(fonts)
    pieces = [
        "资金使用率达到100%，",
        "（含2024年结转）",
        "“十四五”规划；",
        "A-12型设备，",
        "护理补贴",
    ]
    text = "\n".join("".join(pieces[(i + j) % 5] for j in range(i % 7 + 3)) for i in range(60))
    for style, width in ((CELL, 94.0), (CELL, 150.0), (BODY, 442.2)):
        block = TextBlock(ts, text, style)
        block.wrap(width, 10_000)
        rest, done = block, ""
        while True:
            parts = rest.split(width, 7 * style.leading)
            if not parts:
                break
            head, rest = parts
            done += head.text
            fresh = TextBlock(ts, rest.text, replace(style, first_indent=0.0, space_before=0.0))
            assert rest.lines(width) == fresh.lines(width), (style.role, width, len(done))
        # A hard break (\n) at the split is where the two parts meet: only it is dropped.
        assert (done + rest.text).replace("\n", "") == text.replace("\n", "")
        assert done  # it did split

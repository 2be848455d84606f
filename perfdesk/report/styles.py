"""Page geometry and type styles of GB/T 9704-2012 (党政机关公文格式), as docs/report-format.md §7 sets out.

A4; top margin (天头) 37 mm, left (订口) 28 mm, bottom 35 mm, right 26 mm: a 156 × 225 mm text
block holding 22 lines of 28 characters of 3号 (16 pt) 仿宋. Sixteen-point characters are 5.64 mm
wide, so 28 of them need slightly tighter than natural spacing; like Word's document grid, the
body is set with a small negative tracking that makes exactly 28 fit, and justified.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from perfdesk.report.fonts import FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG
from perfdesk.report.text import TextStyle

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP, LEFT, BOTTOM, RIGHT = 37 * mm, 28 * mm, 35 * mm, 26 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT  # 156 mm
FRAME_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM  # 225 mm

BODY_SIZE = 16.0  # 3号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LEADING = 28.95  # 22 lines fill the 225 mm block (Word's usual "固定值 28.95 磅")
TRACKING = (FRAME_WIDTH - CHARS_PER_LINE * BODY_SIZE) / (CHARS_PER_LINE - 1)
CHAR = BODY_SIZE + TRACKING  # one character step on the grid
TITLE_SIZE = 22.0  # 2号
COVER_TITLE_SIZE = 26.0  # 1号
ATTACHMENT_TITLE_SIZE = 18.0  # 小2: a table's title, kept to one line
PAGE_NUMBER_SIZE = 14.0  # 4号
PAGE_NUMBER_GAP = 7 * mm  # 一字线上距版心下边缘 7 mm
TABLE_SIZE = 10.5  # 5号
TABLE_LEADING = 13.5
NOTE_SIZE = 12.0  # 小4

BODY = TextStyle(FANGSONG, BODY_SIZE, LEADING, first_indent=2 * CHAR, tracking=TRACKING)
HEADING = {
    1: TextStyle(HEITI, BODY_SIZE, LEADING, first_indent=2 * CHAR, tracking=TRACKING, align="left"),
    2: TextStyle(KAITI, BODY_SIZE, LEADING, first_indent=2 * CHAR, tracking=TRACKING, align="left"),
    3: TextStyle(
        FANGSONG, BODY_SIZE, LEADING, first_indent=2 * CHAR, tracking=TRACKING, align="left"
    ),
    4: TextStyle(
        FANGSONG, BODY_SIZE, LEADING, first_indent=2 * CHAR, tracking=TRACKING, align="left"
    ),
}
TITLE = TextStyle(XIAOBIAOSONG, TITLE_SIZE, 36.0, align="center", space_after=LEADING)
COVER_TITLE = TextStyle(XIAOBIAOSONG, COVER_TITLE_SIZE, 44.0, align="center")
COVER_LINE = TextStyle(FANGSONG, BODY_SIZE, LEADING, align="center", tracking=TRACKING)
ATTACHMENT_LABEL = TextStyle(HEITI, BODY_SIZE, LEADING, align="left")
ATTACHMENT_TITLE = TextStyle(
    XIAOBIAOSONG, ATTACHMENT_TITLE_SIZE, LEADING, align="center", space_after=LEADING / 2
)
SIGN_OFF = TextStyle(FANGSONG, BODY_SIZE, LEADING, align="right", tracking=TRACKING)
PAGE_NUMBER_ROLE = SONGTI

CELL = TextStyle(FANGSONG, TABLE_SIZE, TABLE_LEADING, align="left", keep_lines=False)
CELL_CENTER = TextStyle(FANGSONG, TABLE_SIZE, TABLE_LEADING, align="center", keep_lines=False)
CELL_HEAD = TextStyle(HEITI, TABLE_SIZE, TABLE_LEADING, align="center", keep_lines=False)
NOTE = TextStyle(FANGSONG, NOTE_SIZE, 18.0, align="justify", keep_lines=False)
CELL_PADDING = 3.0
RULE = 0.6  # table rules, points

"""Chinese text set the way GB/T 9704 wants it: a character grid, justified lines, 行首禁则.

ReportLab's own ``wordWrap='CJK'`` was checked and is not enough: its list of characters that may
not start a line lacks ，；：？！》” and —, and it lets only one such character hang into the margin.
So this module breaks lines itself (:func:`break_lines`, a pure function that is tested on its
own) and draws them with :class:`TextBlock`, a flowable used for body paragraphs, headings and
table cells alike. Plain text goes in — there is no markup to parse, so ``<`` and ``&`` in a
clerk's text are printed as typed.

Each character is drawn from the first font of its role's fallback chain that has it (see
:mod:`perfdesk.report.fonts`); a character no font has becomes a visible placeholder and is
counted, so the build can report it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from perfdesk.report.fonts import PLACEHOLDER, Face, FontSet

NO_LINE_START = frozenset("，。；：？！）》”、—…’」』】〕〉〗％‰℃·,.;:?!)]}%")
"""Characters that may not begin a line (行首禁则)."""
NO_LINE_END = frozenset("（《“‘「『【〔〈〖([{")
"""Characters that may not end a line (行尾禁则)."""

EPS = 0.01  # points: tolerance when a line is exactly full (the 28-character grid is exact)


def _is_word(ch: str) -> bool:
    """Part of a run of Latin letters or digits that should not be broken (4532.05, 2024, 12%)."""
    return ch.isascii() and (ch.isalnum() or ch in ".,%-/:+_#@&'")


def _allowed(chars: str, b: int, keep_words: bool) -> bool:
    # Spaces vanish at a break, so judge by the characters that will really end and start lines.
    after = b
    while after < len(chars) and chars[after] == " ":
        after += 1
    before = b - 1
    while before > 0 and chars[before] == " ":
        before -= 1
    if (after < len(chars) and chars[after] in NO_LINE_START) or chars[before] in NO_LINE_END:
        return False
    return not (keep_words and _is_word(chars[b - 1]) and _is_word(chars[b]))


def _adjust(chars: str, start: int, end: int) -> int:
    """Move a break at ``end`` back so that no rule is broken; progress is always kept."""
    if _allowed(chars, end, True):
        return end
    # Keep numbers and words whole if that costs at most two thirds of the line…
    floor = start + max(1, (end - start) // 3)
    for b in range(end - 1, floor - 1, -1):
        if _allowed(chars, b, True):
            return b
    # …and never let punctuation start a line.
    for b in range(end - 1, start, -1):
        if _allowed(chars, b, False):
            return b
    return end


def break_lines(
    chars: str,
    widths: Sequence[float],
    width: float,
    *,
    first_width: float | None = None,
    tracking: float = 0.0,
    words: frozenset[int] | None = None,
    no_widow: bool = False,
) -> list[tuple[int, int]]:
    """Break ``chars`` into lines of at most ``width`` points: ``(start, end)`` index pairs.

    ``widths`` holds each character's advance; ``tracking`` is added between characters (negative
    on the body grid, to fit 28 characters of 16 pt into 156 mm). ``"\\n"`` forces a break. A line
    never starts with a character of :data:`NO_LINE_START` nor ends with one of
    :data:`NO_LINE_END`; runs of Latin letters and digits stay whole when reasonably possible.
    Spaces at the start of a wrapped line are dropped.

    ``words`` (positions where a word begins) limits the breaks to word boundaries — a table's
    header ``年初|预算数`` breaks only between its words — unless a word is wider than the line.
    ``no_widow`` moves a character down so that a wrapped paragraph never ends with a line of
    one character ("护理补" / "贴"), as table cells want.
    """
    lines: list[tuple[int, int]] = []
    n = len(chars)
    start = 0
    first = True
    while start < n:
        avail = first_width if (first and first_width is not None) else width
        used = 0.0
        end = start
        while end < n and chars[end] != "\n":
            extent = used + widths[end] + (tracking if end > start else 0.0)
            if extent > avail + EPS and end > start:
                break
            used = extent
            end += 1
        first = False
        if end >= n or chars[end] == "\n":
            lines.append((start, end))
            start = end + 1
            continue
        brk = _adjust(chars, start, end)
        if words:
            at_word = [b for b in words if start < b <= end]
            if at_word:
                brk = max(at_word)
        lines.append((start, brk))
        start = brk
        while start < n and chars[start] == " ":
            start += 1
    if no_widow:
        _no_widow(chars, lines)
    return lines


def _no_widow(chars: str, lines: list[tuple[int, int]]) -> None:
    """A wrapped paragraph's last line of one character takes one more from the line above."""
    for i in range(1, len(lines)):
        (a, b), (c, d) = lines[i - 1], lines[i]
        ends_paragraph = i + 1 == len(lines) or (d < len(chars) and chars[d] == "\n")
        soft = b == c  # wrapped here, not at a "\n"
        if ends_paragraph and soft and d - c == 1 and b - a >= 3 and _allowed(chars, b - 1, True):
            lines[i - 1], lines[i] = (a, b - 1), (b - 1, d)


def balanced_breaks(
    chars: str,
    widths: Sequence[float],
    width: float,
    *,
    preferred: frozenset[int] = frozenset(),
    max_lines: int = 4,
) -> list[int]:
    """Where to break a title so that its lines are balanced: the break indexes (``[]``: one line).

    Takes the fewest lines that fit; among the ways to break into that many lines, those using
    only ``preferred`` positions (word boundaries such as before 绩效自评报告) come first, then the
    one whose widest line is narrowest. Breaks follow the rules of :func:`break_lines` (行首禁则,
    numbers kept whole) and no line is a single character.
    """
    n = len(chars)
    if sum(widths) <= width + EPS or n < 4:
        return []
    allowed = [b for b in range(2, n - 1) if _allowed(chars, b, True)]
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    for lines in range(2, max_lines + 1):
        best: tuple[int, float] | None = None
        best_breaks: list[int] = []
        for breaks in _combinations(allowed, lines - 1):
            edges = [0, *breaks, n]
            spans = [prefix[b] - prefix[a] for a, b in zip(edges, edges[1:], strict=False)]
            if (
                max(spans) > width + EPS
                or min(b - a for a, b in zip(edges, edges[1:], strict=False)) < 2
            ):
                continue
            key = (sum(1 for b in breaks if b not in preferred), max(spans))
            if best is None or key < best:
                best, best_breaks = key, list(breaks)
        if best is not None:
            return best_breaks
    return []


def _combinations(items: list[int], k: int) -> Iterator[tuple[int, ...]]:
    from itertools import combinations

    return combinations(items, k)


# --- shaping: which font prints each character ---------------------------------------------------

_DROP_CATEGORIES = {
    "Cc",
    "Cf",
}  # private-use characters (造字) are kept: they get the placeholder and a report


_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _clean(text: str) -> str:
    """Line ends to ``\\n``, tabs to a space; invisible controls and variation selectors dropped."""
    if text.isprintable() and not _SELECTORS.search(text):
        return text  # nothing to clean (no control nor format character, no line end, no tab)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
            continue
        cp = ord(ch)
        if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
            continue
        if unicodedata.category(ch) in _DROP_CATEGORIES:
            continue
        out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Shaped:
    """Text ready to break and draw: each character with its font and advance."""

    chars: str
    faces: tuple[Face, ...]
    widths: tuple[float, ...]

    def __getitem__(self, s: slice) -> Shaped:
        return Shaped(self.chars[s], self.faces[s], self.widths[s])


class Typesetter:
    """Shapes text for one build and remembers the characters that had to be replaced."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.replaced: Counter[str] = Counter()
        self._pick: dict[str, dict[str, Face | None]] = {}  # role → character → face
        self._glyphs: dict[tuple[str, float], dict[str, tuple[str, Face, float, str]]] = {}
        # Tables repeat the same short texts (——, 万元, 100%, labels) thousands of times: shape
        # each once. Kept for one build; the characters replaced are counted at every use.
        self._shaped: dict[tuple[str, str, float], tuple[Shaped, tuple[str, ...]]] = {}
        # …and measure and set each once: its widths, its lines at a width, and the PDF operators
        # of a block drawn again (the same text, style, width and lines) are the same — the
        # operators for one document (they name its font subsets).
        self._measured: dict[tuple, float] = {}  # natural and least widths
        self._broken: dict[tuple, list[tuple[int, int]]] = {}  # lines at a width
        self._drawn: dict[tuple, str] = {}
        self._drawn_for: object = None
        self._bookmarks = 0

    def forget(self) -> None:
        """Drop what the build remembered (shapes, measures, operators): the build's document
        and this typesetter refer to each other, and the caches would otherwise wait for the
        cyclic garbage collector."""
        self._shaped.clear()
        self._measured.clear()
        self._broken.clear()
        self._drawn.clear()
        self._drawn_for = None

    def bookmark_key(self) -> str:
        """A name for the next PDF bookmark: numbered in drawing order, so the bytes are stable."""
        self._bookmarks += 1
        return f"h{self._bookmarks}"

    def _face_for(self, role: str, ch: str) -> Face | None:
        picked = self._pick.get(role)
        if picked is None:
            picked = self._pick[role] = {}
        try:
            return picked[ch]
        except KeyError:
            pass
        found = None
        if not 0xD800 <= ord(ch) <= 0xDFFF:  # a lone surrogate cannot be encoded at all
            for face in self.fonts.fallback(role, ch):
                if face.has(ch):
                    found = face
                    break
        picked[ch] = found
        return found

    def shape(self, text: str, role: str, size: float) -> Shaped:
        key = (text, role, size)
        known = self._shaped.get(key)
        if known is None:
            known = self._shape(text, role, size)
            if len(text) <= 200:  # long texts occur once: keeping them saves nothing
                self._shaped[key] = known
        shaped, replaced = known
        if replaced:
            self.replaced.update(replaced)
        return shaped

    def _shape(self, text: str, role: str, size: float) -> tuple[Shaped, tuple[str, ...]]:
        replaced: list[str] = []
        chars: list[str] = []
        faces: list[Face] = []
        widths: list[float] = []
        glyphs = self._glyphs.get((role, size))
        if glyphs is None:
            glyphs = self._glyphs[(role, size)] = {}
        for ch in _clean(text):
            glyph = glyphs.get(ch)
            if glyph is None:
                glyph = glyphs[ch] = self._glyph(role, size, ch)
            printed, face, width, lost = glyph
            if lost:
                replaced.append(lost)
            chars.append(printed)
            faces.append(face)
            widths.append(width)
        return Shaped("".join(chars), tuple(faces), tuple(widths)), tuple(replaced)

    def _glyph(self, role: str, size: float, ch: str) -> tuple[str, Face, float, str]:
        """The character printed for ``ch`` (the placeholder when no font has it), its face, its
        advance at ``size``, and ``ch`` again when it had to be replaced ("" otherwise)."""
        if ch == "\n":
            return ch, self.fonts.face(role), 0.0, ""
        lost = ""
        face = self._face_for(role, ch)
        if face is None:
            lost = ch
            ch = PLACEHOLDER
            face = self._face_for(role, PLACEHOLDER) or self.fonts.face(role)
        return ch, face, face.widths.get(ord(ch), face.default_width) * size / 1000.0, lost


# --- the flowable --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextStyle:
    """How a block of text is set. Lengths are in points."""

    role: str
    size: float
    leading: float
    align: str = "justify"  # justify | left | center | right
    first_indent: float = 0.0
    left_indent: float = 0.0
    right_indent: float = 0.0
    tracking: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    keep_lines: bool = True  # avoid a lone first or last line at a page break (not in table cells)
    no_widow: bool = False  # never end with a line of one character (table cells)

    def __hash__(self) -> int:
        # A style keys the build's measures and operators (tens of thousands of look-ups): its
        # hash worked out once, not from its twelve fields at every look-up.
        try:
            return self.__dict__["_hash"]
        except KeyError:
            h = hash(tuple(getattr(self, f.name) for f in fields(self)))
            object.__setattr__(self, "_hash", h)
            return h


class TextBlock(Flowable):
    """A paragraph of plain text (``\\n`` breaks a line) set with :func:`break_lines`.

    Splits between lines across pages and table-row parts; the part before a split keeps its
    last line justified, the part after has no first-line indent.
    """

    # ReportLab's defaults for every flowable, as class attributes: a table's cells are blocks
    # by the ten thousand, and ``Flowable.__init__`` would set them on each.
    hAlign = "LEFT"
    vAlign = "BOTTOM"
    wrapped = 0
    _traceInfo = None
    _showBoundary = None
    encoding = None

    def __init__(
        self,
        ts: Typesetter,
        text: str | Shaped,
        style: TextStyle,
        *,
        keep_with_next: bool = False,
        ends_paragraph: bool = True,
        outline: tuple[str, int] | None = None,
        words: frozenset[int] | None = None,
    ) -> None:
        self.ts = ts
        self.style = style
        self.words = words  # where words begin: breaks only there (see break_lines)
        self.shaped = text if isinstance(text, Shaped) else ts.shape(text, style.role, style.size)
        self.keepWithNext = keep_with_next
        self.ends_paragraph = ends_paragraph
        self.outline = outline  # (title, level) for the PDF's bookmarks
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self.fake_bold = style.role in ts.fonts.fake_bold
        self._lines: dict[float, list[tuple[int, int]]] = {}
        self.width = 0.0
        self.height = 0.0

    @property
    def text(self) -> str:
        return self.shaped.chars

    def _measure(self, which: int) -> float:
        """:meth:`natural_width` (0) or :meth:`min_width` (1) without the indents, measured once
        per text, style and words for the build (a table's short texts recur in every form)."""
        sh = self.shaped
        st = self.style
        key = (which, sh.chars, st.role, st.size, st.tracking, self.words)
        known = self.ts._measured.get(key)
        if known is None:
            known = self._least() if which else self._natural()
            if len(sh.chars) <= 200:
                self.ts._measured[key] = known
        return known

    def natural_width(self) -> float:
        """The width of the longest line when nothing wraps (lines split only at ``\\n``)."""
        return self._measure(0) + self.style.left_indent + self.style.right_indent

    def min_width(self) -> float:
        """The narrowest the block can be without breaking a word (a number, a marked word)."""
        return self._measure(1) + self.style.left_indent + self.style.right_indent

    def _natural(self) -> float:
        widest = line = 0.0
        count = 0
        track = self.style.tracking
        for ch, w in zip(self.shaped.chars, self.shaped.widths, strict=True):
            if ch == "\n":
                widest, line, count = max(widest, line), 0.0, 0
                continue
            line += w + (track if count else 0.0)
            count += 1
        return max(widest, line)

    def _least(self) -> float:
        sh = self.shaped
        n = len(sh.chars)
        chars = sh.chars
        if self.words:
            bounds = sorted({0, n, *self.words})
        elif " " in chars:
            bounds = [0] + [b for b in range(1, n) if _allowed(chars, b, True)] + [n]
        else:  # _allowed without spaces to skip, the rules read character by character
            word = [_is_word(ch) for ch in chars]
            bounds = [0]
            for b in range(1, n):
                if not (
                    chars[b] in NO_LINE_START
                    or chars[b - 1] in NO_LINE_END
                    or (word[b - 1] and word[b])
                ):
                    bounds.append(b)
            bounds.append(n)
        widest = 0.0
        for a, b in zip(bounds, bounds[1:], strict=False):
            piece = [w for ch, w in zip(sh.chars[a:b], sh.widths[a:b], strict=True) if ch != "\n"]
            widest = max(widest, sum(piece))
        return widest

    def _inner(self, avail: float) -> float:
        return max(avail - self.style.left_indent - self.style.right_indent, self.style.size)

    def lines(self, avail: float) -> list[tuple[int, int]]:
        found = self._lines.get(avail)
        if found is None:
            sh = self.shaped
            st = self.style
            key = (sh.chars, st, avail, self.words)
            found = self.ts._broken.get(key)
            if found is not None:
                self._lines[avail] = found
                return found
            inner = self._inner(avail)
            found = break_lines(
                self.shaped.chars,
                self.shaped.widths,
                inner,
                first_width=max(inner - st.first_indent, st.size),
                tracking=st.tracking,
                words=self.words,
                no_widow=st.no_widow,
            )
            if not found:
                found = [(0, 0)]  # an empty paragraph still takes its line
            self._lines[avail] = found
            if len(sh.chars) <= 200:  # short texts recur (a table's labels and figures)
                self.ts._broken[key] = found
        return found

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = len(self.lines(availWidth)) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if 0 < self.width < availWidth:
            # In a table cell ReportLab splits with the column's full width but wraps and draws
            # inside the padding: break where the lines will really be drawn.
            availWidth = self.width  # noqa: N806
        lines = self.lines(availWidth)
        st = self.style
        k = int((availHeight + EPS) // st.leading)
        if k >= len(lines):
            return []  # it fits: nothing to split (callers only ask when it does not)
        if st.keep_lines and len(lines) > 1:
            if len(lines) - k < 2:
                k = len(lines) - 2  # no lone last line on the next page
            if k < 2:
                return []  # no lone first line at the bottom of this page
        if k < 1:
            return []
        cut = lines[k][0]
        head = TextBlock(
            self.ts, self.shaped[: lines[k - 1][1]], st, ends_paragraph=False, outline=self.outline
        )
        head._lines[availWidth] = lines[:k]
        tail_style = replace(st, first_indent=0.0, space_before=0.0)
        tail_words = frozenset(b - cut for b in self.words if b > cut) if self.words else None
        tail = TextBlock(
            self.ts,
            self.shaped[cut:],
            tail_style,
            ends_paragraph=self.ends_paragraph,
            words=tail_words,
        )
        # Greedy breaking depends only on where a line starts, so the tail's lines are this
        # block's remaining ones: breaking the rest again at every page of a long table cell
        # made the printout of one long text quadratic.
        tail._lines[availWidth] = [(a - cut, b - cut) for a, b in lines[k:]]
        head.spaceAfter = 0.0
        return [head, tail]

    def draw(self) -> None:
        st = self.style
        canv = self.canv
        if self.outline:
            title, level = self.outline
            key = self.ts.bookmark_key()
            canv.bookmarkPage(key)
            canv.addOutlineEntry(title, key, level=level, closed=level > 0)
        if self.fake_bold:
            canv.setLineWidth(st.size * 0.035)  # (stroked text: see _text_code)
        canv._code.append(self.pdf_code(canv))

    def pdf_code(self, canv: Canvas) -> str:
        """The PDF operators that draw the block at the origin (what ``draw`` adds to the page)."""
        lines = self.lines(self.width)
        sh = self.shaped
        if len(sh.chars) > 200:  # long texts occur once: keeping them saves nothing
            return self._text_code(canv, lines)
        ts = self.ts
        if ts._drawn_for is not canv._doc:  # subsets are numbered per document
            ts._drawn, ts._drawn_for = {}, canv._doc
        key = (sh.chars, self.style, self.width, self.height, self.ends_paragraph, tuple(lines))
        code = ts._drawn.get(key)
        if code is None:
            code = ts._drawn[key] = self._text_code(canv, lines)
        return code

    def _text_code(self, canv: Canvas, lines: list[tuple[int, int]]) -> str:
        """The block's text object, written as ReportLab's ``PDFTextObject`` writes it (the same
        operators, byte for byte) without its generic bookkeeping: for each line its origin and
        spacing, for each run of one font the font's subset and the encoded characters."""
        st = self.style
        inner = self._inner(self.width)
        sh = self.shaped
        doc = canv._doc
        code = ["BT", "1 0 0 1 0 0 Tm"]  # canv.beginText(): the origin at 0 0
        if self.fake_bold:
            code.append("2 Tr")  # fill and stroke: 宋体 thickened to stand in for 小标宋
        tf = f"{fp_str(st.size)} Tf {fp_str(st.size * 1.2)} TL"  # ReportLab's default leading
        # CJK glyphs sit in an em box from about −0.12 to 0.88 of the size: centre it in the line.
        baseline = st.leading / 2 + 0.38 * st.size
        font: str | None = None
        subset = -1
        spacing_set = 0.0
        for i, (a, b) in enumerate(lines):
            n = b - a
            indent = st.first_indent if (i == 0 and a == 0) else 0.0
            avail = inner - indent
            natural = sum(sh.widths[a:b]) + max(n - 1, 0) * st.tracking
            last = i == len(lines) - 1 and self.ends_paragraph
            hard = b < len(sh.chars) and sh.chars[b] == "\n"
            spacing = st.tracking
            x = st.left_indent + indent
            if st.align == "justify" and not last and not hard and n > 1:
                spacing += (avail - natural) / (n - 1)
            elif st.align == "center":
                x += (avail - natural) / 2
            elif st.align == "right":
                x += avail - natural
            code.append(f"1 0 0 1 {fp_str(x, self.height - i * st.leading - baseline)} Tm")
            if spacing != spacing_set:  # operators only when something changes: big tables
                code.append(f"{fp_str(spacing)} Tc")
                spacing_set = spacing
            run_start = a
            for j in range(a, b + 1):
                if j == b or sh.faces[j] is not sh.faces[run_start]:
                    if j > run_start:
                        name = sh.faces[run_start].name
                        if name != font:  # ReportLab's setFont: the next run names its subset
                            font, subset = name, -1
                        run, subset = _run_code(doc, name, sh.chars[run_start:j], subset, tf)
                        code.append(run)
                    run_start = j
        if spacing_set:
            code.append("0 Tc")
        code.append("ET")
        return " ".join(code)


def _run_code(doc: object, name: str, chars: str, subset: int, tf: str) -> tuple[str, int]:
    """A run of one font as ReportLab's text object writes it (``textOut``): each part of it in
    one subset of the font, preceded by the subset's name when it changes; and the subset last
    used. Fonts are TrueType fonts, whose subsets ReportLab numbers per document."""
    font = getFont(name)
    out = []
    for part, piece in font.splitString(chars, doc):
        if part != subset:
            out.append(f"{font.getSubsetInternalName(part, doc)} {tf}")
            subset = part
        out.append(f"({escapePDF(piece)}) Tj")
    return " ".join(out), subset


def line_code(doc: object, shaped: Shaped, size: float, x: float, y: float) -> str:
    """One line of shaped text at ``x, y`` as a PDF text object: the operators ReportLab writes
    for ``beginText(x, y)``, then ``setFont`` and ``textOut`` for each run of one font."""
    tf = f"{fp_str(size)} Tf {fp_str(size * 1.2)} TL"
    code = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
    start = 0
    n = len(shaped.chars)
    for j in range(n + 1):
        if j == n or shaped.faces[j] is not shaped.faces[start]:
            if j > start:
                code.append(
                    _run_code(doc, shaped.faces[start].name, shaped.chars[start:j], -1, tf)[0]
                )
            start = j
    code.append("ET")
    return " ".join(code)

"""The reader: finds amounts and percentages in a text, what they are of, and the mismatches."""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from perfdesk.domain.model import (
    Report,
)
from perfdesk.domain.numbers import amounts_agree
from perfdesk.domain.textcheck.names import (
    match_project,
    normalise_name,
)
from perfdesk.domain.textcheck.subjects import (
    _COLUMN_WORDS,
    _FILLERS,
    Col,
    Figure,
    Subject,
    _line_subjects,
    project_subject,
)

# --- numbers in text -----------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％：；（）", "0123456789.,%:;()")


@functools.lru_cache(maxsize=512)
def normalised_lines(text: str) -> tuple[str, ...]:
    """``text`` with full-width digits and signs made half-width, split into lines.

    Cached: the audit re-reads the same long narratives after every edit, and ``str.translate``
    over a mapping is the slowest step of reading them."""
    return tuple(text.translate(_FULLWIDTH).split("\n"))


_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|%)")
_SENTENCE_END = re.compile(r"[。！？!?;；\n]")
_CLAUSE_END = re.compile(r"[，,、:：]")
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
_NUMBERING = re.compile(
    r"^(?:\d+[.、．]|[(（]\d+[)）]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])"
)
_YEAR = re.compile(r"^(\d{4})年度?")
_QUALIFIERS = ("其中", "本年度", "本年", "全年", "当年", "今年", "的", "共", "累计", "全部")
_WHOLE_UNIT = ("本单位", "我单位", "单位", "本部门", "我部门", "部门", "我局", "本局", "全局")
"""Qualifiers meaning "the whole unit": what follows is a total, never one project's figure."""
_CURRENT_QUALIFIERS = ("本年度", "本年", "全年", "当年", "今年")
_PRIOR_QUALIFIERS = ("上年度", "上年", "去年")
_TRAILING = ("达到", "共计", "合计", "总计", "累计", "为", "是", "达", "共", "计", "了", "约")
_APPROXIMATE = ("约", "近", "逾", "超过", "左右", "以上", "不到", "不足", "多万")
_CHANGE = (
    "增加",
    "减少",
    "增长",
    "下降",
    "降低",
    "上升",
    "提高",
    "调减",
    "调增",
    "比较",
    "相比",
    "同比",
    "较上年",
    "比上年",
    "节约",
    "超支",
    "差额",
    "相差",
    "压减",
    "增幅",
    "减幅",
    "变动",
    "节支",
)
_PER = ("月", "每", "人均", "户均", "平均", "季度")
_GROWTH = re.compile(r"(增长|增加|上升|提高|增幅)(了|率|幅度)?(为|达|达到|是)?$")
_DECLINE = re.compile(r"(下降|减少|降低|减幅)(了|率|幅度)?(为|达|达到|是)?$")
_COMPLETION = re.compile(
    r"(完成(?:了)?(?:全年|本年|年度)?预算(?:数)?的|(?:预算)完成率(?:为|达|达到|是)?|完成预算(?:比例|比率)(?:为|达|是)?)$"
)
_BUDGET_WORDS = ("预算", "安排", "计划")
"""In a sentence about a budget a growth rate may be budget on budget: not held to the 决算 figures."""
_LIST_OPENERS = ("主要包括", "具体包括", "包括", "包含", "主要有", "分别为", "分别是", "具体为")
"""``项目支出包括委员活动经费36.3万元``: what follows the opener names the amount, not what precedes."""
_RATE = re.compile(r"执行率(为|达|达到|是|了)?$")
_MONTH_AS_OF = re.compile(r"(截止|截至|截止到|截至到|至)\s*(\d{1,2}|[一二三四五六七八九十]+)\s*月")
_CN_MONTH = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}


@dataclass(frozen=True)
class Written:
    """A number as written in a text: ``2030.27万元`` or ``100%``."""

    value: Decimal
    places: int
    unit: str  # "万元" or "%"
    quote: str  # the words that carry it, as written: 城乡最低生活保障项目支出2030.27万元


@dataclass(frozen=True)
class Reading:
    """A written figure the reader understood, and whether it agrees with the report."""

    # "amount"; "rate" (a 执行率); "growth" (a growth rate from a zero base); "growth_rate" (a
    # growth or decline rate from a non-zero base); "completion" (完成预算的x%)
    kind: str
    written: Written
    subject: Subject
    ok: bool
    figure: Figure | None = None  # for amounts: the figure it stands for (the primary one)
    expected: Decimal | None = None  # for rates: the rate the figures give, as a fraction


UNKNOWN_PROJECT = -1
"""Context under a heading that names no project of the report: its 项目支出 is nobody's."""


@dataclass
class TextContext:
    """Where a text sits: its own project (for a project's texts), and the default subject."""

    project: int | None = None  # the project whose own text this is
    three_public: bool = False  # the 三公 change reason: growth there is 三公's
    section: str = ""  # the outline key of the section the text is under (gpb.basic…)


# What a bare 年初预算/决算… means in a section about one line; elsewhere a bare 年初预算 or
# 全年预算 is the 年度资金总额's. Keys are outline-key prefixes, values names in _line_subjects.
_SECTION_LINES = {
    "gpb.basic": "基本支出",
    "gpb.project": "项目支出",
    "performance.projects": "项目支出",
    "gov_fund": "政府性基金预算",
    "state_capital": "国有资本经营预算",
    "social_insurance": "社会保险基金预算",
}


def _month_before_december(sentence: str) -> bool:
    for m in _MONTH_AS_OF.finditer(sentence):
        raw = m.group(2)
        month = int(raw) if raw.isdigit() else _CN_MONTH.get(raw, 12)
        if month < 12:
            return True
    return False


def agrees(written: Decimal, places: int, figure: Decimal) -> bool:
    """True when a written amount stands for ``figure`` (see the module docstring)."""
    if amounts_agree(written, figure):
        return True
    if written == 0 or places >= 2:
        return False
    rounded = figure.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded == written and abs(written - figure) * 100 <= abs(figure)


def _rate_agrees(written: Decimal, places: int, rate: Decimal) -> bool:
    pct = rate * 100
    rounded = pct.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded == written or abs(pct - written) <= Decimal("0.01")


@dataclass(frozen=True)
class _Cleaned:
    text: str
    prior: bool  # 上年 / last year's date: the 上年决算数 is meant
    current: bool  # the report's year, 本年, 今年…: this year's figures, whatever came before
    whole: bool  # 单位 / 本部门 / the unit's name: the whole unit, not one project
    unreadable: bool  # another year


@dataclass
class _Lead:
    cols: list[Col] = field(default_factory=list)
    line: Subject | None = None
    rest: str = ""  # words not read as columns, fillers or a line name


_Pending = tuple[str, Written, int, tuple[Col, ...], bool, bool]
"""A figure read in a text before it is set against the report: (kind — amount, change,
completion or rate —, as written, the subject's index, the columns asked, a growth (not a
decline), not to be read as a rate)."""

PARSED_TEXTS = 2048
"""How many texts' readings are remembered (least recently used go first)."""
_PARSED: OrderedDict[tuple[object, ...], tuple[_Pending, ...]] = OrderedDict()
_VOCABULARIES: dict[tuple[object, ...], int] = {}
_NUMBERS = itertools.count(1)
_LOCK = threading.Lock()  # the window audits while a preview may print (with its 审核) on a thread


def _vocabulary_id(vocabulary: tuple[object, ...]) -> int:
    """A small number for the words a reading depends on (kept short: a key of every text)."""
    with _LOCK:
        found = _VOCABULARIES.get(vocabulary)
        if found is None:
            if len(_VOCABULARIES) >= 64:  # reports come and go: start afresh now and then
                _VOCABULARIES.clear()
                _PARSED.clear()
            found = _VOCABULARIES[vocabulary] = next(_NUMBERS)  # never given twice
        return found


def _remembered(key: tuple[object, ...]) -> tuple[_Pending, ...] | None:
    with _LOCK:
        parsed = _PARSED.get(key)
        if parsed is not None:
            _PARSED.move_to_end(key)
        return parsed


def _remember(key: tuple[object, ...], parsed: tuple[_Pending, ...]) -> None:
    with _LOCK:
        _PARSED[key] = parsed
        while len(_PARSED) > PARSED_TEXTS:
            _PARSED.popitem(last=False)


class TextReader:
    """Reads the texts of one report against that report's figures."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.lines = _line_subjects(report)
        self.names: list[tuple[str, Subject]] = sorted(
            ((n, s) for names, s in self.lines for n in names), key=lambda x: -len(x[0])
        )
        self.projects = [project_subject(p, i) for i, p in enumerate(report.projects)]
        # A project report has no 三公经费 (and, made without its project, no total either).
        self.three_public = next((s for names, s in self.lines if "三公经费" in names), None)
        self.total = next((s for names, s in self.lines if "年度资金总额" in names), None)
        self.by_name = {s.name: s for _, s in self.lines}
        unit = normalise_name(report.unit_name)
        self.whole_unit = tuple(
            sorted((*_WHOLE_UNIT, *([unit] if unit else [])), key=len, reverse=True)
        )
        # Reading a text (what each figure is *of*) depends on the words, not on the figures:
        # it is remembered per text under this vocabulary, with subjects as indexes into
        # ``self.subjects``, and only set against the figures on each run (see ``read``).
        self.subjects: list[Subject] = [s for _, s in self.lines] + self.projects
        self._index = {id(s): i for i, s in enumerate(self.subjects)}
        self._vocabulary = _vocabulary_id(
            (
                report.kind,
                report.year,
                self.whole_unit,
                tuple((names, s.name) for names, s in self.lines),
                tuple(p.name for p in report.projects),
            )
        )

    # --- reading a lead ----------------------------------------------------------------------------

    def clean(self, lead: str) -> _Cleaned:
        """The lead without parentheses, numbering, qualifiers and fillers (module docstring, 1)."""
        s = _PARENS.sub("", lead)
        s = re.sub(r"\s", "", s)
        s = _NUMBERING.sub("", s)
        for opener in _LIST_OPENERS:
            at = s.rfind(opener)
            if 0 < at and at + len(opener) < len(s):
                s = s[at + len(opener) :]  # 项目支出包括委员活动经费 → 委员活动经费
                break
        prior = current = whole = False
        changed = True
        while changed:
            changed = False
            m = _YEAR.match(s)
            if m:
                year = int(m.group(1))
                if year == self.report.year - 1:
                    prior = True
                elif year == self.report.year:
                    current = True
                else:
                    return _Cleaned(s, prior, current, whole, True)
                s = s[m.end() :]
                changed = True
            for q in _PRIOR_QUALIFIERS:
                if s.startswith(q) and not s.startswith(("上年决算", "上年支出", "上年结转")):
                    s, prior, changed = s[len(q) :], True, True
            for q in self.whole_unit:
                if s.startswith(q) and len(s) > len(q):
                    s, whole, changed = s[len(q) :], True, True
            for q in _QUALIFIERS:
                if s.startswith(q) and len(s) > len(q):
                    s, changed = s[len(q) :], True
                    current = current or q in _CURRENT_QUALIFIERS
            for t in _TRAILING:
                if s.endswith(t) and len(s) > len(t):
                    s, changed = s[: -len(t)], True
        return _Cleaned(s, prior, current, whole, False)

    def _parse(self, s: str) -> _Lead | None:
        """Columns, fillers and at most one line name, nothing else; ``None`` otherwise."""
        lead = _Lead()
        i = 0
        while i < len(s):
            for name, subject in self.names:
                if s.startswith(name, i) and lead.line is None:
                    lead.line, i = subject, i + len(name)
                    break
            else:
                for word, col in _COLUMN_WORDS:
                    if s.startswith(word, i):
                        lead.cols.append(col)
                        i += len(word)
                        break
                else:
                    for filler in _FILLERS:
                        if s.startswith(filler, i):
                            i += len(filler)
                            break
                    else:
                        return None
        return lead

    def _columns_only(self, s: str) -> list[Col] | None:
        parsed = self._parse(s)
        if parsed is None or parsed.line is not None:
            return None
        return parsed.cols

    def _self_columns(self, s: str) -> list[Col] | None:
        """``项目支出`` / ``本项目`` / bare columns: the columns asked of the text's own project."""
        for prefix in ("本项目", "该项目", "项目"):
            if s.startswith(prefix):
                return self._columns_only(s[len(prefix) :])
        return None

    def _section_subject(self, key: str, cols: list[Col]) -> Subject | None:
        """The line a bare column word means in section ``key`` (module docstring, 4)."""
        for prefix, name in _SECTION_LINES.items():
            if key == prefix or key.startswith(prefix + "."):
                return self.by_name.get(name)
        if set(cols) <= {Col.INITIAL, Col.BUDGET}:
            return self.total
        return None

    def _own(self, ctx: TextContext) -> Subject | None:
        if ctx.project is not None and 0 <= ctx.project < len(self.projects):
            return self.projects[ctx.project]
        return None

    def subject_of(
        self, s: str, ctx: TextContext, last: Subject | None, *, whole: bool = False
    ) -> tuple[Subject, list[Col]] | None:
        """What the cleaned lead ``s`` names, with the columns it asks for.

        ``whole``: the lead said 单位/本部门…, so 项目支出 is the unit's total, not a project's.
        """
        own = None if whole else self._own(ctx)
        if ctx.project is not None and not whole:
            cols = self._self_columns(s)
            if cols is not None:
                return (own, cols) if own is not None else None
        parsed = self._parse(s)
        if parsed is not None and parsed.line is not None:
            return parsed.line, parsed.cols
        if parsed is not None:  # columns only: the subject of the sentence, or the text's project
            if not parsed.cols:
                return None
            if last is not None:
                return last, parsed.cols
            if own is not None:
                return own, parsed.cols
            if ctx.project is None:
                section = self._section_subject(ctx.section, parsed.cols)
                if section is not None:
                    return section, parsed.cols
            return None
        # a project's name followed by columns (城乡最低生活保障项目支出, 高龄补贴年初预算…): the
        # longest run of column words is cut off first, so 年初预算 is not read into the name
        for cut in range(1, len(s) + 1):
            cols = self._columns_only(s[cut:]) if cut < len(s) else []
            if cols is None:
                continue
            if s[cut:] == "支出":
                cols = []  # "XX项目支出" names the project's line, not its 执行数 column
            index = match_project(s[:cut], self.report.projects)
            if index is not None:
                return self.projects[index], cols
        return None

    # --- reading a text ----------------------------------------------------------------------------

    @staticmethod
    def is_heading(line: str) -> bool:
        """A short line without sentence punctuation or figures: a heading such as ``（1）临时救助项目``."""
        s = _NUMBERING.sub("", line.strip().translate(_FULLWIDTH))
        return bool(s) and len(s) <= 40 and not re.search(r"[，,。；;：:!?！？]|\d", s)

    def heading_project(self, line: str) -> int | None:
        """The project a heading line names (``（1）城乡最低生活保障项目``), if any."""
        if not self.is_heading(line):
            return None
        return match_project(
            _NUMBERING.sub("", line.strip().translate(_FULLWIDTH)), self.report.projects
        )

    def check(self, text: str, ctx: TextContext | None = None) -> list[Reading]:
        """Every written figure in ``text`` that disagrees with the report."""
        return [r for r in self.read(text, ctx) if not r.ok]

    def read(self, text: str, ctx: TextContext | None = None) -> list[Reading]:
        """Every written figure in ``text`` the reader understood, agreeing or not.

        In a section's text a heading line naming a project puts the lines under it in that
        project's context; a heading naming no known project makes ``项目支出…`` under it
        unreadable rather than the total's.
        """
        ctx = ctx or TextContext()
        key = (self._vocabulary, text, ctx.project, ctx.three_public, ctx.section)
        parsed = _remembered(key)
        if parsed is None:
            parsed = tuple(self._parse_text(text, ctx))
            _remember(key, parsed)
        out: list[Reading] = []
        for item in parsed:
            reading = self._evaluate(item)
            if reading is not None:
                out.append(reading)
        return out

    def _parse_text(self, text: str, ctx: TextContext) -> Iterator[_Pending]:
        """The figures of ``text`` and what each is of — the part that needs no figure."""
        current = ctx.project
        for raw_line in normalised_lines(text):
            if ctx.project is None and self.is_heading(raw_line):
                heading = self.heading_project(raw_line)
                current = heading if heading is not None else UNKNOWN_PROJECT
                continue
            if ctx.project is None and _NUMBERING.match(raw_line.strip()):
                current = None  # a numbered paragraph: no longer under the project heading
            line_ctx = TextContext(current, ctx.three_public, ctx.section)
            for sentence in _SENTENCE_END.split(raw_line):
                yield from self._read_sentence(sentence, line_ctx)

    def _ref(self, subject: Subject) -> int:
        return self._index[id(subject)]

    def _evaluate(self, item: _Pending) -> Reading | None:
        """A parsed figure set against this report's figures (``None``: nothing to hold it to)."""
        kind, written, ref, cols, growth, skip = item
        subject = self.subjects[ref]
        if kind == "amount":
            figures = subject.candidates(list(cols))
            if not figures or figures[0][1] is None:
                return None  # the figure it names is blank: nothing to hold it against
            value, places = written.value, written.places
            ok = any(agrees(value, places, f[1]) for f in figures if f[1] is not None)
            return Reading("amount", written, subject, ok, figures[0])
        if kind == "change":
            if subject.prior is None:
                return None
            if subject.prior == 0:
                if growth:  # From a zero base there is no rate at all (docs/report-format.md §5).
                    return Reading("growth", written, subject, written.value == 0)
                return None
            if skip or subject.current is None:
                return None
            change = (subject.current - subject.prior) / subject.prior
            signed = change if growth else -change
            ok = (signed >= 0 or written.value == 0) and _rate_agrees(
                written.value, written.places, abs(change)
            )
            return Reading("growth_rate", written, subject, ok, expected=change)
        if kind == "completion":
            if subject.completion is None:
                return None
            ok = _rate_agrees(written.value, written.places, subject.completion)
            return Reading("completion", written, subject, ok, expected=subject.completion)
        if subject.rate is None:  # "rate"
            return None
        return Reading(
            "rate", written, subject, _rate_agrees(written.value, written.places, subject.rate)
        )

    @staticmethod
    def _states_change(sentence: str) -> bool:
        """The sentence writes a change as an amount (增加0.13万元)."""
        prev_end = 0
        for m in _NUMBER.finditer(sentence):
            if m.group(2) == "万元" and any(
                w in sentence[prev_end : m.start()]
                for w in ("增加", "减少", "增长", "下降", "降低")
            ):
                return True
            prev_end = m.end()
        return False

    def _read_sentence(self, sentence: str, ctx: TextContext) -> Iterator[_Pending]:
        last: Subject | None = (
            None  # the sentence's subject so far, for 决算0.13万元 after 三公经费预算…
        )
        # the sentence's column so far: in 年初预算4572.76万元，其中：基本支出258.07万元 the 基本支出
        # is its 年初预算数
        sentence_cols: list[Col] = []
        # the subject of the amount right before (None when that amount was not read): a rate
        # without a subject of its own is that amount's — 办公经费6.73万元，比上年增长… is not
        # 公用经费's growth because 办公经费 is not a line the reader knows
        last_read: Subject | None = None
        partial = _month_before_december(sentence)
        prev_end = 0
        for m in _NUMBER.finditer(sentence):
            start = prev_end
            for c in _CLAUSE_END.finditer(sentence, prev_end, m.start()):
                start = c.end()
            raw_lead = sentence[start : m.start()]
            prev_end = m.end()
            value = Decimal(m.group(1).replace(",", ""))
            places = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
            written = Written(value, places, m.group(2), (raw_lead + m.group(0)).strip())
            if m.group(2) == "%":
                yield from self._read_percent(raw_lead, written, ctx, last, sentence, last_read)
                continue
            last_read = None
            if any(w in raw_lead for w in _APPROXIMATE + _CHANGE + _PER) or partial:
                continue
            cleaned = self.clean(raw_lead)
            if cleaned.unreadable or not cleaned.text:
                continue
            found = self.subject_of(cleaned.text, ctx, last, whole=cleaned.whole)
            if found is None:
                sentence_cols = self._columns_only(cleaned.text) or sentence_cols
                continue
            subject, cols = found
            last = last_read = subject
            if cleaned.prior:
                cols = [Col.PRIOR]
            if cols:
                sentence_cols = cols
            elif not (cleaned.current and sentence_cols == [Col.PRIOR]):
                cols = sentence_cols
            yield ("amount", written, self._ref(subject), tuple(cols), False, False)

    def _read_percent(
        self,
        raw_lead: str,
        written: Written,
        ctx: TextContext,
        last: Subject | None,
        sentence: str,
        last_read: Subject | None = None,
    ) -> Iterator[_Pending]:
        lead = re.sub(r"\s", "", _PARENS.sub("", raw_lead))
        growth = _GROWTH.search(lead)
        decline = None if growth else _DECLINE.search(lead)
        if growth or decline:
            found_word = growth or decline
            subject = None
            before = self.clean(lead[: found_word.start()]).text  # type: ignore[union-attr]
            for cut in ("同比", "较上年", "比上年", "与上年相比", "比"):
                before = before.removesuffix(cut)
            own_words = bool(before)
            if before:  # its own subject, or words we cannot read (服务老人增长…): no guessing
                found = self.subject_of(before, ctx, None)
                subject = found[0] if found else None
            else:
                subject = (
                    last or (self.three_public if ctx.three_public else None) or self._own(ctx)
                )
            if subject is None:
                return
            # Not read as a rate (only a growth from zero is still checked, in _evaluate): the
            # amount right before was not this subject's, so the rate may be its; a budget's
            # change; the change written too (text.arithmetic checks the three together).
            skip = (
                (not own_words and last is not None and last_read is not last)
                or any(w in sentence for w in _BUDGET_WORDS)
                or self._states_change(sentence)
            )
            yield ("change", written, self._ref(subject), (), bool(growth), skip)
            return
        completion = _COMPLETION.search(lead)
        if completion:
            before = self.clean(lead[: completion.start()]).text
            found = self.subject_of(before, ctx, None) if before else None
            subject = found[0] if found else (None if before else last_read)
            if subject is not None:
                yield ("completion", written, self._ref(subject), (), False, False)
            return
        rate_m = _RATE.search(lead)
        if not rate_m:
            return
        cleaned = self.clean(lead[: rate_m.start()])
        if cleaned.unreadable:
            return
        subject: Subject | None = None
        before = bare = cleaned.text
        for word in ("预算", "资金", "整体", "总体", "部门", "支出"):
            bare = bare.removesuffix(word)
        if not bare:  # 预算执行率 / 执行率: the text's project, or the whole
            subject = (
                self._own(ctx) if ctx.project is not None and not cleaned.whole else self.total
            )
        else:
            for attempt in (before, bare):
                found = self.subject_of(attempt, ctx, None, whole=cleaned.whole)
                if found is not None:
                    subject = found[0]
                    break
        if subject is not None:
            yield ("rate", written, self._ref(subject), (), False, False)

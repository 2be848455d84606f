"""Arithmetic inside the prose: figures a text states that must agree with each other.

Two patterns real reports use, checked without the tables (their amounts against the tables are the
reader's business):

- **Parts after 其中.** ``本项目共完成预算资金89.97万元。其中:30万元用于…;30万元用于…;29.99万元用于…``
  — the amounts listed after 其中 against the amount stated right before it. An *allocation*
  (every part written ``a万元用于…``) shares out the whole, so its parts must add up to it. A list
  of names (``其中:人员经费支出434.89万元,公用经费支出77.4万元…``) may name only some parts, so it
  is held only to not exceeding the whole.
- **A change and its rate.** ``收入:792.22万元。同比上年度增加189.25万元,增加31.39%`` — this year's
  amount, the change and the rate written together: the rate must be change ÷ (amount − change)
  (for 减少/下降: change ÷ (amount + change)).

The reader's principle holds: a list or a change read with any doubt (an approximate or per-head
amount, a percentage inside the list, two columns of one line, words between the change and its
rate) is left alone. Sums tolerate the 0.01 万元 尾差 (more only when every part is written with
fewer decimal places than the whole).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from perfdesk.domain.textcheck.reader import (
    _APPROXIMATE,
    _CHANGE,
    _CLAUSE_END,
    _NUMBER,
    _PARENS,
    _PER,
    _SENTENCE_END,
    Written,
    _rate_agrees,
    normalised_lines,
)
from perfdesk.domain.textcheck.subjects import _COLUMN_WORDS, _FILLERS

TAIL_TOLERANCE = Decimal("0.01")

_DOUBT = _APPROXIMATE + _CHANGE + _PER
_PUNCTUATION_ONLY = re.compile(r"[\s,，。;；:：]*")
_LIST_END = re.compile(r"[。!?！？]|其中")
_ITEM_SEPARATOR = re.compile(r"[,，、;；]")
_INCREASE = ("增加", "增长", "上升", "提高", "增幅")
_DECREASE = ("减少", "下降", "降低", "减幅")
_CHANGE_AMOUNT = re.compile(r"(增加|增长|上升|提高|减少|下降|降低)(了)?$")
_RATE_AFTER_CHANGE = re.compile(
    r"[,，]?\s*(?:同比)?(增长|增加|上升|提高|增幅|减少|下降|降低|减幅)(?:了|率|幅度)?(?:为|达|达到|是)?\s*"
)
_CHANGE_THEN_RATE = re.compile(
    r"(增加|增长|上升|提高|减少|下降|降低)了?\s*[\d.,]+\s*万元[,，]?\s*(同比)?"
    r"(增长|增加|上升|提高|增幅|减少|下降|降低|减幅)"
)
_COMPARISON_WORDS = re.compile(
    r"同比|相比|比较|与|和|较|比|上年同期|上年度|上一年度?|上年|去年|同期|\d{4}年度?|决算|预算|数"
)


@dataclass(frozen=True)
class _Number:
    written: Written
    start: int  # where the number starts in the line
    end: int
    clause: int  # where its clause starts


def _numbers(line: str) -> list[_Number]:
    # where each clause starts (after ，、： and sentence ends), found once for the whole line
    starts = [m.end() for m in _CLAUSE_END.finditer(line)]
    starts += [m.end() for m in _SENTENCE_END.finditer(line)]
    starts.sort()
    out = []
    for m in _NUMBER.finditer(line):
        at = bisect.bisect_right(starts, m.start())
        start = starts[at - 1] if at else 0
        lead = line[start : m.start()]
        value = Decimal(m.group(1).replace(",", ""))
        places = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
        out.append(
            _Number(
                Written(value, places, m.group(2), (lead + m.group(0)).strip()),
                m.start(),
                m.end(),
                start,
            )
        )
    return out


def _lines(text: str) -> tuple[str, ...]:
    return normalised_lines(text)


# --- parts after 其中 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartsSum:
    """A whole and the parts listed after its 其中."""

    total: Written
    parts: tuple[Written, ...]
    allocation: bool  # every part is "a万元用于…": the parts share out the whole
    ok: bool

    @property
    def parts_sum(self) -> Decimal:
        return sum((p.value for p in self.parts), Decimal(0))

    @property
    def quote(self) -> str:
        return f"{self.total.quote}…其中"


def _tolerance(total: Written, parts: list[Written]) -> Decimal:
    if all(p.places < total.places for p in parts):
        coarsest = min(p.places for p in parts)
        return Decimal(1).scaleb(-coarsest) / 2 * len(parts)
    return TAIL_TOLERANCE


def _bare_name(lead: str) -> str:
    """A part's lead without the column words and fillers that may tell two figures of one line
    apart (预算 / 决算…): what is left names the part."""
    s = re.sub(r"\s", "", _PARENS.sub("", lead))
    for word, _col in _COLUMN_WORDS:
        s = s.replace(word, "")
    for filler in _FILLERS:
        s = s.replace(filler, "")
    return s.strip("为是共计")


def _nested(parts: list[Written]) -> bool:
    """Some part is the sum of the parts right after it: the list mixes levels."""
    values = [p.value for p in parts]
    for i, head in enumerate(values):
        running = Decimal(0)
        for value in values[i + 1 :]:
            running += value
            if abs(running - head) <= TAIL_TOLERANCE:
                return True
            if running > head:
                break
    return False


def _list_parts(body: str) -> tuple[list[Written], list[str], list[str]] | None:
    """The amounts of a 其中 list with each one's lead and tail; ``None`` when in doubt."""
    parts: list[Written] = []
    leads: list[str] = []
    tails: list[str] = []
    for item in _ITEM_SEPARATOR.split(_PARENS.sub("", body)):
        found = list(_NUMBER.finditer(item))
        if not found:
            if any(w in item for w in _CHANGE):
                return None  # a change in words (有所增加) may belong to a part: no sum
            continue
        if len(found) > 1 or found[0].group(2) != "万元":
            return None
        m = found[0]
        lead, tail = item[: m.start()].strip(" :："), item[m.end() :]
        if any(w in lead or w in tail for w in _DOUBT):
            return None
        value = Decimal(m.group(1).replace(",", ""))
        places = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
        parts.append(Written(value, places, "万元", (lead + m.group(0)).strip()))
        leads.append(lead)
        tails.append(tail.strip())
    return parts, leads, tails


def read_parts_sums(text: str) -> list[PartsSum]:
    """Every whole followed by a 其中 list the module can read, agreeing or not."""
    out: list[PartsSum] = []
    for line in _lines(text):
        candidates = [
            m
            for m in re.finditer("其中", line)
            if line[: m.start()].rstrip(" \t,，。;；:：").endswith("万元")
        ]
        if not candidates:
            continue  # (cheap first: long narratives have many 其中 after counts of people)
        numbers = _numbers(line)
        for m in candidates:
            before = [n for n in numbers if n.end <= m.start()]
            if not before:
                continue
            total = before[-1]
            if total.written.unit != "万元" or total.written.value <= 0:
                continue
            if not _PUNCTUATION_ONLY.fullmatch(line[total.end : m.start()]):
                continue  # 其中 does not qualify that amount
            if any(w in total.written.quote for w in _DOUBT):
                continue
            end = _LIST_END.search(line, m.end())
            body = line[m.end() : end.start() if end else len(line)]
            read = _list_parts(body)
            if read is None:
                continue
            parts, leads, tails = read
            if len(parts) < 2:
                continue
            allocation = all(
                not lead and tail.startswith("用于")
                for lead, tail in zip(leads, tails, strict=True)
            )
            tolerance = _tolerance(total.written, parts)
            parts_sum = sum((p.value for p in parts), Decimal(0))
            difference = parts_sum - total.written.value
            if allocation:
                ok = abs(difference) <= tolerance
            else:
                names = [_bare_name(lead) for lead in leads]
                if not all(names) or len(set(names)) < len(names):
                    continue  # a column-only or repeated part: two figures of one line
                if _nested(parts):
                    continue  # 基本支出300，人员经费250，公用经费50: a part and its own parts
                ok = difference <= tolerance
            out.append(PartsSum(total.written, tuple(parts), allocation, ok))
    return out


def check_parts_sums(text: str) -> list[PartsSum]:
    """The 其中 lists whose parts do not agree with the whole before them."""
    return list(_parts_sum_mismatches(text))


@functools.lru_cache(maxsize=2048)
def _parts_sum_mismatches(text: str) -> tuple[PartsSum, ...]:
    # the text alone decides: remembered, so the 审核 after each edit reads only changed texts
    return tuple(s for s in read_parts_sums(text) if not s.ok)


# --- a change and its rate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRate:
    """This year's amount, the change against last year and the rate, written together."""

    current: Written
    change: Written
    rate: Written
    increase: bool
    ok: bool

    @property
    def previous(self) -> Decimal:
        if self.increase:
            return self.current.value - self.change.value
        return self.current.value + self.change.value

    @property
    def expected(self) -> Decimal:
        """The rate the amounts give, as a fraction (0.3139 for 31.39 %)."""
        return self.change.value / self.previous

    @property
    def quote(self) -> str:
        return f"{self.change.quote}，{self.rate.quote}"


def read_change_rates(text: str) -> list[ChangeRate]:
    """Every amount–change–rate triple the module can read, agreeing or not."""
    out: list[ChangeRate] = []
    for line in _lines(text):
        if not _CHANGE_THEN_RATE.search(line):
            continue  # (cheap first: no "增加…万元，增长…" anywhere in the line)
        numbers = _numbers(line)
        for i in range(1, len(numbers) - 1):
            current, change, rate = numbers[i - 1], numbers[i], numbers[i + 1]
            if (current.written.unit, change.written.unit, rate.written.unit) != (
                "万元",
                "万元",
                "%",
            ):
                continue
            lead = line[change.clause : change.start]
            word = _CHANGE_AMOUNT.search(lead)
            if word is None:
                continue
            if _COMPARISON_WORDS.sub("", lead[: word.start()]).strip(" ,，:："):
                continue  # something else than "比上年" stands before the change: not its line
            between = line[change.end : rate.start]
            rate_word = _RATE_AFTER_CHANGE.fullmatch(between)
            if rate_word is None:
                continue
            increase = word.group(1) in _INCREASE
            if (rate_word.group(1) in _INCREASE) != increase:
                continue  # 增加…下降x%: not one change, no check
            gap = line[current.end : change.start]
            if any(w in current.written.quote for w in _DOUBT) or "其中" in gap:
                continue
            if len(_SENTENCE_END.findall(gap)) > 1:
                continue  # the change is not said of the amount right before it
            previous = (
                current.written.value - change.written.value
                if increase
                else current.written.value + change.written.value
            )
            if previous <= 0:
                continue  # from a zero base there is no rate (text.growth_from_zero says so)
            expected = change.written.value / previous
            ok = _rate_agrees(rate.written.value, rate.written.places, expected)
            out.append(ChangeRate(current.written, change.written, rate.written, increase, ok))
    return out


def check_change_rates(text: str) -> list[ChangeRate]:
    """The written rates that the written amount and change do not give."""
    return list(_change_rate_mismatches(text))


@functools.lru_cache(maxsize=2048)
def _change_rate_mismatches(text: str) -> tuple[ChangeRate, ...]:
    return tuple(c for c in read_change_rates(text) if not c.ok)

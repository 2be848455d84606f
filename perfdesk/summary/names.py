"""When two unit names are the same unit: the careful similarity rule of the 自评汇总.

A 主管部门 receives reports whose unit names were typed by different people: ``株洲市芦淞区民政局``,
``芦淞区民政局``, ``株洲市芦淞区民政局（本级）``, ``株洲市芦淞区 民政局``. Those are one unit; but
``株洲市芦淞区民政局`` and ``株洲市荷塘区民政局``, ``第一中学`` and ``第二中学``, ``民政局`` and
``民宗局`` are not — a rule that flags every near miss would bury the clerk. Two names are taken for
the same unit when one of these holds (:func:`same_unit`):

1. **Written alike**: equal after :func:`normalise` — full-width/half-width folded (NFKC), spaces,
   punctuation and brackets dropped, ``（盖章）`` and a trailing ``本级`` / ``机关本级`` dropped.
2. **A region prefix left out**: one is the other without its leading place names
   (``芦淞区民政局`` / ``株洲市芦淞区民政局``): the part left out is one or more place names of at
   least two characters, each ending in 省 市 州 盟 县 区 旗 镇 乡 or 街道.
3. **One character apart, and the reports agree**: the names differ by one character inserted,
   left out or replaced — never a numeral, an ordinal or direction word (第一/第二, 东/西, 大/小) or
   the word that says what kind of unit it is (局/所, 院/站…) — *and* the two reports share the
   单位负责人, the 联系电话 or the 年度资金总额 (全年预算数 and 全年执行数 both given and equal).
4. **Different names, the same report**: the 单位负责人 and the 年度资金总额 (全年预算数 and 全年执行数,
   both given) are identical.

Rules 3 and 4 need the reports' details (:class:`UnitIdentity`); matching a name of the expected
list against a report uses rules 1 and 2 only (:func:`names_match`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

REGION_ENDINGS = ("街道", "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡")
"""The last character(s) of a place name that may stand before a unit's name."""

DISTINGUISHING = frozenset(
    "0123456789一二三四五六七八九十百千零〇两壹贰叁肆伍陆柒捌玖拾"
    "东南西北中上下前后左右内外新老大小甲乙丙丁"
    "局委办院所站馆队会厅处科室校园部司署社团庭"
)
"""Characters whose difference makes two names two units (第一/第二中学, 民政局/民政所)."""

_SEAL = re.compile(r"[（(]\s*盖\s*章\s*[)）]")
_TRAILING = ("机关本级", "本级")


def normalise(name: str) -> str:
    """The name as compared: NFKC, no spaces or punctuation, no （盖章）, no trailing 本级."""
    text = _SEAL.sub("", unicodedata.normalize("NFKC", name))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZC")
    for suffix in _TRAILING:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    return text


def _region_segment_end(key: str, start: int) -> int | None:
    """Where the place name starting at ``start`` ends: the first region word at least two
    characters on (``株洲市`` of ``株洲市市场监督管理局``, never ``株洲市市``)."""
    for end in range(start + 2, len(key) + 1):
        if any(key[start:end].endswith(e) for e in REGION_ENDINGS):
            return end
    return None


def region_cores(key: str) -> set[str]:
    """``key`` (normalised) without one or more leading place names, each at least two
    characters and ending in a region word; what remains keeps at least two characters."""
    cores: set[str] = set()
    start = 0
    while (end := _region_segment_end(key, start)) is not None and len(key) - end >= 2:
        cores.add(key[end:])
        start = end
    return cores


def names_match(a: str, b: str) -> bool:
    """Rules 1 and 2: written alike, or one is the other without its leading place names."""
    ka, kb = normalise(a), normalise(b)
    return ka == kb or ka in region_cores(kb) or kb in region_cores(ka)


def one_character_apart(a: str, b: str) -> tuple[str, str] | None:
    """The differing characters (``""`` for one left out) when ``a`` and ``b`` (normalised) are
    one insertion, omission or replacement apart; ``None`` otherwise (or when they are equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return None
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return (a[diffs[0]], b[diffs[0]]) if len(diffs) == 1 else None
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1 :] == short:
            extra = long_[i]
            return ("", extra) if short is a else (extra, "")
    return None


@dataclass(frozen=True)
class UnitIdentity:
    """What tells units apart besides the name: from a unit's department report."""

    name: str
    head: str = ""  # 单位负责人
    phone: str = ""  # 联系电话
    full_year_budget: Decimal | None = None  # 年度资金总额 全年预算数
    executed: Decimal | None = None  # 年度资金总额 全年执行数

    @property
    def funds(self) -> tuple[Decimal, Decimal] | None:
        if self.full_year_budget is None or self.executed is None:
            return None
        return (self.full_year_budget, self.executed)


def _shared_detail(a: UnitIdentity, b: UnitIdentity) -> str:
    if a.head.strip() and a.head.strip() == b.head.strip():
        return "单位负责人相同"
    if a.phone.strip() and a.phone.strip() == b.phone.strip():
        return "联系电话相同"
    if a.funds is not None and a.funds == b.funds:
        return "年度资金总额相同"
    return ""


def same_unit(a: UnitIdentity, b: UnitIdentity) -> str:
    """Why ``a`` and ``b`` look like one unit (a Chinese phrase), or ``""`` when they do not."""
    ka, kb = normalise(a.name), normalise(b.name)
    return _same(a, b, ka, kb, region_cores(ka), region_cores(kb))


def _same(
    a: UnitIdentity, b: UnitIdentity, ka: str, kb: str, cores_a: set[str], cores_b: set[str]
) -> str:
    if ka == kb:
        return "两个名称只差空格、标点、全角半角或“本级”等字样"
    if ka in cores_b or kb in cores_a:
        short, long_ = (a.name, b.name) if len(ka) < len(kb) else (b.name, a.name)
        return f"“{short}”是“{long_}”省去地名前缀的写法"
    apart = one_character_apart(ka, kb)
    if apart is not None and len(ka) >= 4 and len(kb) >= 4:
        x, y = apart
        if not ({x, y} & DISTINGUISHING):
            detail = _shared_detail(a, b)
            if detail:
                what = f"“{x}”与“{y}”" if x and y else f"多一个“{x or y}”字"
                return f"两个名称只差一个字（{what}），且{detail}"
    if (
        a.head.strip()
        and a.head.strip() == b.head.strip()
        and a.funds is not None
        and a.funds == b.funds
    ):
        return "单位负责人和年度资金总额（全年预算数、全年执行数）完全相同"
    return ""


def _deletions(key: str) -> set[str]:
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


def similar_pairs(units: Sequence[UnitIdentity]) -> list[tuple[int, int, str]]:
    """Every pair ``(i, j, why)`` (i < j) of ``units`` that :func:`same_unit` takes for one unit.

    Candidates come from indexes — the normalised name, the names without their region prefixes,
    the names with one character left out (rule 3, only for pairs that share a detail), the head
    with the funds — so the cost grows with the number of units, not with the number of pairs.
    """
    keys = [normalise(u.name) for u in units]
    cores = [region_cores(k) for k in keys]
    found: dict[tuple[int, int], str] = {}
    tried: set[tuple[int, int]] = set()

    def consider(i: int, j: int) -> None:
        pair = (min(i, j), max(i, j))
        if i == j or pair in tried:
            return
        tried.add(pair)
        a, b = pair
        why = _same(units[a], units[b], keys[a], keys[b], cores[a], cores[b])
        if why:
            found[pair] = why

    def groups(index: dict[str, list[int]]) -> list[list[int]]:
        return [members for members in index.values() if len(members) > 1]

    by_name: dict[str, list[int]] = {}
    by_core: dict[str, list[int]] = {}
    by_deletion: dict[str, list[int]] = {}
    by_head: dict[str, list[int]] = {}
    for i, (u, key) in enumerate(zip(units, keys, strict=True)):
        by_name.setdefault(key, []).append(i)
        for core in cores[i]:
            by_core.setdefault(core, []).append(i)
        for k in _deletions(key):
            by_deletion.setdefault(k, []).append(i)
        if u.head.strip() and u.funds is not None:
            by_head.setdefault(f"{u.head.strip()}|{u.funds[0]}|{u.funds[1]}", []).append(i)
    for members in groups(by_name) + groups(by_head):
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                consider(i, j)
    for i, key in enumerate(keys):  # a whole name that is another's name without its prefix
        for j in by_core.get(key, ()):
            consider(i, j)
    for members in groups(by_deletion):  # one character apart: only with a shared detail
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if _shared_detail(units[i], units[j]):
                    consider(i, j)
    return [(a, b, why) for (a, b), why in sorted(found.items())]


class NameIndex:
    """Names (such as the 应报单位 list) looked up by rules 1 and 2 without comparing every pair."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self._exact: dict[str, int] = {}
        self._cores: dict[str, int] = {}
        for i, name in enumerate(self.names):
            key = normalise(name)
            self._exact.setdefault(key, i)
            for core in region_cores(key):
                self._cores.setdefault(core, i)

    def find(self, name: str) -> int | None:
        """The position of the first name that :func:`names_match` ``name``, or ``None``."""
        key = normalise(name)
        found = [self._exact.get(key), self._cores.get(key)]
        found += [self._exact.get(core) for core in region_cores(key)]
        hits = [i for i in found if i is not None]
        return min(hits) if hits else None

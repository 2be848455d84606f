"""Project names as clerks write them: normalised, cored, matched against the report's projects."""

from __future__ import annotations

import re

from perfdesk.domain.model import (
    Project,
)

# --- project names -------------------------------------------------------------------------------

_NAME_NOISE = re.compile(r"[\s　、，,。.·•\-—“”\"'‘’《》<>]|[（(][^）)]*[）)]")
_NAME_SUFFIXES = (
    "专项资金",
    "项目",
    "专项",
    "资金",
    "经费",
    "补贴",
    "补助",
    "救助",
    "救济",
    "支出",
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_JOINERS = ("和", "及", "与", "、", "以及")


def normalise_name(name: str) -> str:
    """A name without spaces, punctuation and parenthesised parts."""
    return _NAME_NOISE.sub("", name)


def core_name(name: str) -> str:
    """A name with suffixes such as 项目/补贴/救助/资金 stripped (while two characters remain)."""
    s = normalise_name(name)
    changed = True
    while changed:
        changed = False
        for suffix in _NAME_SUFFIXES:
            if s.endswith(suffix) and len(s) - len(suffix) >= 2:
                s = s[: -len(suffix)]
                changed = True
    return s


def _longest_common_run(a: str, b: str) -> str:
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


def match_project(mention: str, projects: list[Project]) -> int | None:
    """The index of the one project ``mention`` names, or ``None`` (no match, or ambiguous).

    Equal names (as written or with suffixes stripped) beat a shared core; a shared core must be at
    least four Chinese characters and most (≥ 60 %) of what was written.
    """
    m_norm, m_core = normalise_name(mention), core_name(mention)
    if not m_core:
        return None
    scored: list[tuple[tuple[int, int], int]] = []
    for i, p in enumerate(projects):
        p_norm, p_core = normalise_name(p.name), core_name(p.name)
        if not p_norm:
            continue
        if m_norm == p_norm or m_core == p_core:
            scored.append(((2, len(p_core)), i))
            continue
        if any(j in m_norm for j in _JOINERS):
            continue  # 城乡低保和特困供养: two subjects, no single figure
        run = _longest_common_run(m_core, p_core)
        cjk = len(_CJK.findall(run))
        if cjk >= 4 and len(run) * 10 >= len(m_core) * 6:
            scored.append(((1, len(run)), i))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]

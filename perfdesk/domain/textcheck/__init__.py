"""Reading the figures a clerk wrote in prose, so the audit can set them against the tables.

A report's narrative repeats figures from its tables — ``城乡最低生活保障项目支出2030.27万元``,
``2024年度单位项目支出2913.05万元``, ``三公经费…增长100%`` — and the reference report shows how easily
they drift apart. This module finds each amount (``…万元``) and percentage in a text, works out
*what* it is the amount of, and returns the mismatches; :mod:`perfdesk.domain.audit` turns them
into findings.

What an amount is "of" is read from the words right before it, inside its clause (clauses end at
，、：；。 and line breaks), by rules rather than by a list of the sample's phrases:

1. The clause's lead is cleaned: parenthesised words (``因公出国（境）费``), list numbering
   (``1.``, ``（2）``), leading qualifiers that mean "this unit, this year" (``2024年度``, ``单位``,
   ``本部门``, the unit's own name, ``其中``) and trailing fillers (``为``, ``共计``…) are dropped.
   A year other than the report's own or the one before makes the amount unreadable.
2. What is left is read as *column words* (``年初预算``, ``全年预算``, ``决算``, ``支出``, ``收入``,
   ``结余结转``…), at most one *line name* (``项目支出``, ``基本支出``, ``人员经费``, ``公用经费``,
   ``三公经费``, ``公务接待费``, ``一般公共预算``/``财政拨款``, ``政府性基金预算``…) and fillers
   (``资金``, ``财政拨款``…), nothing else. A line name with its column is a *total*.
3. Failing that, the rest is matched against the report's projects by name: equal names, equal
   once suffixes such as 项目/补贴/救助/资金 are stripped, or a shared run of at least four Chinese
   characters that makes up most of what was written (``城乡特困供养`` ↔ ``城乡特困供养救助人员项目``).
   Two projects matching equally well is no match.
4. A lead of column words only (``决算0.13万元``, ``实际支出4175.33万元``) continues the subject of
   the sentence; in a project's own text, or under a heading line naming a project, ``项目支出``
   and bare column words are that project; in a section about one line (二（一） 基本支出, 三
   政府性基金…) they are that line's; elsewhere a bare ``年初预算``/``全年预算`` is the
   年度资金总额's. A line named without a column takes the sentence's column (``年初预算…，其中：
   基本支出258.07万元``), or, with none, may be any of this year's figures of that line.

Anything not read with confidence is left alone: an amount after 约/近/超过, a change
(增加/减少/调减…), a monthly or per-head figure, a figure "as of" a month before December, a
subject joined with 和/及/与. A missed check is better than a false alarm on a real report.

A written amount agrees with a figure within the 0.01 万元 尾差, or when it is the figure rounded to
the places written (``4175万元`` for 4175.33) and off by under 1 % — a written ``0`` only agrees
with zero.
"""

from __future__ import annotations

from perfdesk.domain.textcheck import arithmetic
from perfdesk.domain.textcheck.names import (
    core_name,
    match_project,
    normalise_name,
)
from perfdesk.domain.textcheck.reader import (
    UNKNOWN_PROJECT,
    Reading,
    TextContext,
    TextReader,
    Written,
    agrees,
)
from perfdesk.domain.textcheck.subjects import (
    Col,
    Figure,
    Subject,
    project_subject,
)

__all__ = [
    "Col",
    "Figure",
    "Reading",
    "Subject",
    "TextContext",
    "TextReader",
    "UNKNOWN_PROJECT",
    "Written",
    "agrees",
    "arithmetic",
    "core_name",
    "match_project",
    "normalise_name",
    "project_subject",
]

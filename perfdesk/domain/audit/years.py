"""Across years: this year's 上年决算数 against last year's report."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfdesk.domain.audit.core import (
    Place,
    Severity,
    _amt,
    _Audit,
    _control_place,
    _project_place,
    _rule,
)
from perfdesk.domain.model import (
    CONTROL_LINE_KEYS,
    PUBLIC_PART_KEYS,
    THREE_PUBLIC_KEYS,
    ReportKind,
)
from perfdesk.domain.numbers import amounts_agree
from perfdesk.domain.textcheck import normalise_name

# --- across years --------------------------------------------------------------------------------

_PRIOR_KEYS = (*THREE_PUBLIC_KEYS, "public", *PUBLIC_PART_KEYS)
"""附件1 rows with a 上年决算数 column (政府采购 and 预算调整 print —— there)."""


def _prior_message(what: str, current: Decimal | None, previous: Decimal, year: int) -> str:
    shown = _amt(current) if current is not None else "未填写"
    return f"{what}的上年决算数 {shown}，而 {year}年度报告中的本年决算数为 {_amt(previous)}"


@_rule(
    "years.prior_final",
    Severity.HINT,
    "上年决算数",
    "经费控制表各行和各项目的上年决算数等于上年报告中的本年决算数（项目按名称对应）",
)
def _prior_final(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r, prev = a.report, a.previous
    if prev is None or prev.year != r.year - 1:
        return

    def differs(current: Decimal | None, previous: Decimal | None) -> bool:
        if previous is None:
            return False
        if current is None:
            return previous != 0
        return not amounts_agree(current, previous)

    for key in _PRIOR_KEYS if r.kind == ReportKind.DEPARTMENT else ():
        current, previous = r.control_line(key).prior_final, prev.control_line(key).final
        if differs(current, previous):
            yield (
                _control_place(r, key, "prior_final"),
                _prior_message(
                    f"经费控制表“{CONTROL_LINE_KEYS[key]}”", current, previous, prev.year
                ),  # type: ignore[arg-type]
                "",
            )
    last_year = {normalise_name(p.name): p for p in prev.projects}
    for i, p in enumerate(r.projects):
        old = last_year.get(normalise_name(p.name))
        if old is not None and differs(p.prior_final, old.executed):
            yield (
                _project_place(p, i, "prior_final"),
                _prior_message(f"项目“{p.name}”", p.prior_final, old.executed, prev.year),  # type: ignore[arg-type]
                "",
            )

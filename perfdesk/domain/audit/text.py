"""Text against figures: amounts and rates written in the prose against the entered figures."""

from __future__ import annotations

from collections.abc import Iterator

from perfdesk.domain import calc
from perfdesk.domain.audit.core import (
    Place,
    Severity,
    _amt,
    _Audit,
    _differ,
    _rule,
)
from perfdesk.domain.numbers import format_plain
from perfdesk.domain.textcheck import Reading

# --- text against figures ------------------------------------------------------------------------


def _amount_message(where: str, m: Reading) -> str:
    label, figure = m.figure  # type: ignore[misc]
    written = m.written.value
    return f"{where}：“{m.written.quote}”与{label} {_amt(figure)}不一致{_differ(written, figure)}"


@_rule(
    "text.project_amount",
    Severity.ERROR,
    "文中项目金额",
    "文字中紧跟项目名称（或其简称）写的金额等于该项目的相应数字",
)
def _text_project_amount(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, m in a.text_mismatches:
        if m.kind == "amount" and m.subject.project is not None:
            yield place, _amount_message(where, m), m.written.quote


@_rule(
    "text.total_amount",
    Severity.ERROR,
    "文中合计金额",
    "文字中紧跟合计名称（项目支出、基本支出、人员经费、公用经费、三公经费、财政拨款收入、年初预算等）写的金额等于该数字",
)
def _text_total_amount(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, m in a.text_mismatches:
        if m.kind == "amount" and m.subject.project is None:
            yield place, _amount_message(where, m), m.written.quote


@_rule(
    "text.growth_from_zero",
    Severity.ERROR,
    "从零增长",
    "上年为 0 的数字，文字中不能写增长百分比（如“增长100%”），应写“上年为0”",
)
def _text_growth_from_zero(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, m in a.text_mismatches:
        if m.kind == "growth":
            yield (
                place,
                f"{where}：“{m.written.quote}”——{m.subject.name}上年决算数为 0，从零起算没有增长率，"
                f"应写“{calc.NO_RATE_FROM_ZERO}”或只写增加额",
                m.written.quote,
            )


@_rule(
    "text.parts_sum",
    Severity.ERROR,
    "文中分项合计",
    "文字中“其中”后列出的金额与前面写的合计一致：逐项分配（“a万元用于…，b万元用于…”）的合计等于它，"
    "列举名目的合计不超过它（尾差 0.01 万元）",
)
def _text_parts_sum(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for place, where, s in a.parts_sums:
        listed = " + ".join(format_plain(p.value) for p in s.parts)
        relation = "不一致" if s.allocation else "超过了它"
        yield (
            place,
            f"{where}：“{s.total.quote}”后“其中”所列 {listed} = {_amt(s.parts_sum)}，与合计 "
            f"{_amt(s.total.value)}{relation}{_differ(s.parts_sum, s.total.value)}",
            s.quote,
        )

"""Completeness: what must be filled in before the report is printed."""

from __future__ import annotations

from collections.abc import Iterator

from perfdesk.domain import scoring
from perfdesk.domain.audit.core import (
    Place,
    Severity,
    _Audit,
    _indicator_name,
    _indicator_place,
    _rule,
    _scoring_scopes,
)
from perfdesk.domain.numbers import format_plain

# --- completeness --------------------------------------------------------------------------------


@_rule(
    "complete.deviation_reason",
    Severity.ERROR,
    "偏差原因",
    "得分低于分值的指标须填写偏差原因分析及改进措施",
)
def _deviation_reason(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    for who, _groups, indicators, project, index in _scoring_scopes(a.report):
        for row, ind in enumerate(indicators):
            value = scoring.indicator_score(ind).value
            if (
                ind.weight is None
                or value is None
                or value >= ind.weight
                or ind.deviation_reason.strip()
            ):
                continue
            yield (
                _indicator_place(ind, row, project, index, "deviation_reason"),
                f"{who}：指标{_indicator_name(ind)}得分 {format_plain(value)} 分低于分值 "
                f"{format_plain(ind.weight)} 分，但“偏差原因分析及改进措施”为空",
                "",
            )


HEADER_FIELDS = {
    "unit_name": "单位名称",
    "year": "年度",
    "report_date": "报告日期",
    "preparer": "填表人",
}


@_rule(
    "complete.header", Severity.ERROR, "报告信息", "打印前须填写单位名称、年度、报告日期和填表人"
)
def _header(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    for name, label in HEADER_FIELDS.items():
        value = getattr(r, name)
        if name == "year":
            missing = not isinstance(value, int) or not 1990 <= value <= 2100
        else:
            missing = value is None or (isinstance(value, str) and not value.strip())
        if missing:
            place = Place("staffing", "report", name, None, name)
            if name == "year":
                yield place, f"年度“{value}”不是有效的年份，打印前请改正", ""
            else:
                yield place, f"“{label}”未填写，打印前请填写", ""

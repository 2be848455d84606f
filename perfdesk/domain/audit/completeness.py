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


@_rule(
    "complete.scores",
    Severity.HINT,
    "未完成评分",
    "自评表已填分值，而有的指标（或预算执行率）没有得分（未录入，也无法按评分规则算出建议得分）："
    "评完之前总分和自评等级不打印（未完成评分）",
)
def _scores(a: _Audit) -> Iterator[tuple[Place, str, str]]:
    r = a.report
    for who, _groups, indicators, project, index in _scoring_scopes(r):
        if not any(i.weight is not None for i in indicators):
            continue  # the form is not filled in (a project's 附件3 is then not printed at all)
        missing = scoring.unscored_indicators(indicators)
        weight = r.execution_weight if project is None else project.execution_weight
        execution = (
            scoring.report_execution_score(r)
            if project is None
            else scoring.project_execution_score(project)
        )
        execution_missing = weight is not None and execution.value is None
        if not missing and not execution_missing:
            continue
        names = [_indicator_name(ind) for _row, ind in missing[:3]]
        if execution_missing:
            names.insert(0, "“预算执行率”")
        count = len(missing) + (1 if execution_missing else 0)
        if missing:
            row, first = missing[0]
            place = _indicator_place(first, row, project, index, "score")
        elif project is None:
            place = Place("indicators", "report", "execution_score", None, "execution_score")
        else:
            place = Place("projects", "projects", project.name, index, "execution_score", index)
        more = "等" if count > len(names) else ""
        yield (
            place,
            f"{who}：{count} 项有分值而未评分（{'、'.join(names)}{more}），评完之前总分和自评等级不打印，"
            f"显示“{scoring.UNSCORED}”：请录入得分，或填写指标值和评分方法",
            "",
        )

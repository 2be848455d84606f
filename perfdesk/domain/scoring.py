"""Suggested scores (docs/report-format.md §5) and the scores a report counts.

The computed score is a suggestion: local rules differ, so the clerk may enter another score. An
entered score is kept as typed and printed; :func:`effective_score` is the entered score when
there is one and the suggestion otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from perfdesk.domain.calc import execution_rate, grade, total
from perfdesk.domain.model import Indicator, Method, Project, QualitativeGrade, Report
from perfdesk.domain.numbers import round2

QUALITATIVE_BANDS: dict[QualitativeGrade, tuple[Decimal, Decimal]] = {
    QualitativeGrade.ACHIEVED: (Decimal("0.8"), Decimal("1")),
    QualitativeGrade.PARTLY: (Decimal("0.6"), Decimal("0.8")),
    QualitativeGrade.NOT_ACHIEVED: (Decimal("0"), Decimal("0.6")),
}
"""定性 bands as fractions of the weight; the suggestion is the top of the band."""


def suggested_indicator_score(indicator: Indicator) -> Decimal | None:
    """The score the national rules give, or ``None`` when it cannot be computed.

    正向 (≥): B ≥ A → W, else B/A × W. 反向 (≤): B ≤ A → W; A < B < 2A → (1 − (B−A)/A) × W;
    B ≥ 2A → 0. 等于 (=): B = A → W, otherwise scored like 反向 on the distance |B−A|.
    定性: the top of the chosen band.
    """
    w = indicator.weight
    if w is None or indicator.method is None:
        return None
    if indicator.method == Method.QUALITATIVE:
        if indicator.grade is None:
            return None
        return round2(QUALITATIVE_BANDS[indicator.grade][1] * w)
    a, b = indicator.target_value, indicator.actual_value
    if a is None or b is None:
        return None
    if indicator.method == Method.AT_LEAST:
        if b >= a:
            return round2(w)
        if a == 0:  # pragma: no cover - b < 0 is refused at entry
            return Decimal(0)
        return round2(max(b, Decimal(0)) / a * w)
    if indicator.method == Method.AT_MOST:
        if b <= a:
            return round2(w)
        if a <= 0 or b >= 2 * a:
            return Decimal("0.00")
        return round2((1 - (b - a) / a) * w)
    # EQUAL
    if b == a:
        return round2(w)
    if a == 0:
        return Decimal("0.00")
    deviation = abs(b - a) / abs(a)
    return round2(max(Decimal(0), 1 - deviation) * w)


def qualitative_range(indicator: Indicator) -> tuple[Decimal, Decimal] | None:
    """The points a 定性 indicator's band allows (达成 80–100 % of the weight…), or ``None``.

    A score the clerk enters inside this range follows the rules even when it is not the top of
    the band that :func:`suggested_indicator_score` proposes.
    """
    if (
        indicator.method != Method.QUALITATIVE
        or indicator.grade is None
        or indicator.weight is None
    ):
        return None
    low, high = QUALITATIVE_BANDS[indicator.grade]
    return round2(low * indicator.weight), round2(high * indicator.weight)


def suggested_execution_score(
    weight: Decimal | None, full_year_budget: Decimal | None, executed: Decimal | None
) -> Decimal | None:
    """预算执行率 score: 执行率 × 分值, capped at the 分值."""
    rate = execution_rate(full_year_budget, executed)
    if weight is None or rate is None:
        return None
    return round2(min(rate, Decimal(1)) * weight)


@dataclass(frozen=True)
class Score:
    """A 得分 cell: what counts, what the rules suggest, and whether the clerk overrode it."""

    entered: Decimal | None
    suggested: Decimal | None

    @property
    def value(self) -> Decimal | None:
        return self.entered if self.entered is not None else self.suggested

    @property
    def overridden(self) -> bool:
        """The clerk entered a score that differs from a computable suggestion."""
        return (
            self.entered is not None
            and self.suggested is not None
            and self.entered != self.suggested
        )


def indicator_score(indicator: Indicator) -> Score:
    return Score(indicator.score, suggested_indicator_score(indicator))


def report_execution_score(report: Report) -> Score:
    line = report.budget_line("total")
    return Score(
        report.execution_score,
        suggested_execution_score(report.execution_weight, line.full_year_budget, line.executed),
    )


def project_execution_score(project: Project) -> Score:
    return Score(
        project.execution_score,
        suggested_execution_score(
            project.execution_weight, project.full_year_budget, project.executed
        ),
    )


def _total_score(execution: Score, indicators: Iterable[Indicator]) -> Decimal | None:
    return total([execution.value, *(indicator_score(i).value for i in indicators)])


def report_total_score(report: Report) -> Decimal | None:
    """附件2 总分: 预算执行率 score plus every indicator's score."""
    return _total_score(report_execution_score(report), report.indicators)


def project_total_score(project: Project) -> Decimal | None:
    """附件3 总分 of one project."""
    return _total_score(project_execution_score(project), project.indicators)


def report_total_weight(report: Report) -> Decimal | None:
    """附件2 分值 column added up (should be 100)."""
    return total([report.execution_weight, *(i.weight for i in report.indicators)])


def project_total_weight(project: Project) -> Decimal | None:
    return total([project.execution_weight, *(i.weight for i in project.indicators)])


UNSCORED = "未完成评分"
"""Printed and shown instead of a grade while a scored line has no score yet."""


@dataclass(frozen=True)
class ScoringState:
    """Where the scoring of one form (附件2, or one 附件3) stands.

    A *scored line* is one with a 分值 (the 预算执行率 line and every indicator with a weight); it
    has a score when one was entered or the rules can suggest one. Blank rows (an empty 二级 kept
    for the form's shape) are not scored lines. A form is only complete with at least one scored
    indicator: the 预算执行率 line alone (an indicator table not filled in yet) is no grade.
    """

    total: Decimal | None  # the scores there are, added up (None: nothing scored yet)
    lines: int  # scored lines
    unscored: int  # scored lines without a score
    indicator_lines: int = 0  # scored lines that are indicators (not the 预算执行率 line)

    @property
    def complete(self) -> bool:
        return self.lines > 0 and self.unscored == 0 and self.indicator_lines > 0

    @property
    def grade(self) -> str | None:
        """优/良/中/差 once every scored line has a score, else ``None`` (print :data:`UNSCORED`)."""
        return grade(self.total) if self.complete else None

    @property
    def grade_text(self) -> str:
        return self.grade if self.grade is not None else UNSCORED


def _state(
    execution_weight: Decimal | None, execution: Score, indicators: Iterable[Indicator]
) -> ScoringState:
    scored = []
    if execution_weight is not None:
        scored.append(execution.value)
    weighted = [indicator_score(i).value for i in indicators if i.weight is not None]
    scored += weighted
    return ScoringState(
        total=total(scored),
        lines=len(scored),
        unscored=sum(1 for v in scored if v is None),
        indicator_lines=len(weighted),
    )


def unscored_indicators(indicators: Iterable[Indicator]) -> list[tuple[int, Indicator]]:
    """The indicator rows (index, row) that have a 分值 but no score, entered or suggested."""
    return [
        (row, ind)
        for row, ind in enumerate(indicators)
        if ind.weight is not None and indicator_score(ind).value is None
    ]


def report_scoring(report: Report) -> ScoringState:
    """附件2's scoring: total, and whether every scored line has its score."""
    return _state(report.execution_weight, report_execution_score(report), report.indicators)


def project_scoring(project: Project) -> ScoringState:
    """One 附件3's scoring."""
    return _state(project.execution_weight, project_execution_score(project), project.indicators)


def report_grade(report: Report) -> str:
    """The grade once the report is fully scored, else :data:`UNSCORED`."""
    return report_scoring(report).grade_text

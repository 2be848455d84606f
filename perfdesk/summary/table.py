"""The 自评汇总表 of one year: one row per unit, totals and averages, the grade distribution.

:func:`build_summary` puts the units' :class:`~perfdesk.summary.units.UnitFacts` together with the
cross-unit 审核 (:mod:`perfdesk.summary.checks`) and the generated 汇总分析
(:mod:`perfdesk.summary.analysis`). Everything the window, the printout, the workbook and the
command line show comes from here: :data:`COLUMNS` names the columns once, :meth:`Summary.cell`
gives a row's value, :attr:`Summary.totals` and :attr:`Summary.averages` the last two rows.

**Blank is not zero.** A unit that left a figure blank is left out of that column's total and
average, and each :class:`Figure` says over how many units it was taken; an average is over the
units that gave the figure (an unscored report is not an average score of 0). The total 执行率 is
the executed total over the budget total of the units that gave both, never a mix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from perfdesk.domain import calc
from perfdesk.domain.audit import Finding, Severity
from perfdesk.domain.model import Note
from perfdesk.domain.numbers import format_amount, format_percent
from perfdesk.domain.scoring import UNSCORED
from perfdesk.summary.units import UnitFacts

GRADE_ORDER = ("优", "良", "中", "差", UNSCORED)


@dataclass(frozen=True)
class Column:
    """A column of the 汇总表: its key, header, the group header above it, and its kind."""

    key: str
    header: str
    group: str  # "" when the header stands alone over both header rows
    kind: str  # text | amount | rate | score | grade | count


COLUMNS: tuple[Column, ...] = (
    Column("unit_name", "单位名称", "", "text"),
    Column("initial_budget", "年初预算数", "年度资金（万元）", "amount"),
    Column("full_year_budget", "全年预算数", "年度资金（万元）", "amount"),
    Column("executed", "全年执行数", "年度资金（万元）", "amount"),
    Column("execution_rate", "执行率", "", "rate"),
    Column("score", "自评总分", "", "score"),
    Column("grade", "自评等级", "", "grade"),
    Column("open_errors", "错误", "未处理的审核结果", "count"),
    Column("open_hints", "提示", "未处理的审核结果", "count"),
    Column("three_public_final", "本年决算（万元）", "三公经费", "amount"),
    Column("three_public_completion", "完成率", "三公经费", "rate"),
    Column("project_count", "项目数", "项目", "count"),
    Column("project_forms", "项目自评表", "项目", "count"),
)


def column(key: str) -> Column:
    for c in COLUMNS:
        if c.key == key:
            return c
    raise KeyError(key)


@dataclass(frozen=True)
class Figure:
    """A total or an average, and over how many units it was taken (of how many there are)."""

    value: Decimal | None
    units: int
    of: int

    @property
    def partial(self) -> bool:
        """Some units did not give the figure: say how many did."""
        return self.units < self.of


def cell_text(kind: str, value: Any) -> str:
    """A summary value as the table prints it ("" for a blank)."""
    if value is None:
        return ""
    if kind == "amount":
        return format_amount(value)
    if kind == "rate":
        return format_percent(value, blank="")
    if kind == "score":
        return format_amount(value)
    return str(value)


def figure_text(kind: str, fig: Figure | None) -> str:
    """A total or average: the value, and ``（n）`` units under it when not every unit gave it."""
    if fig is None or fig.value is None:
        return ""
    value = fig.value
    if kind == "count" and isinstance(value, Decimal) and value == value.to_integral_value():
        text = str(int(value))
    else:
        text = cell_text("score" if kind == "count" else kind, value)
    return f"{text}\n（{fig.units}）" if fig.partial else text


@dataclass(frozen=True)
class UnitRow:
    """One unit of the summary: its department report's facts, and its project reports."""

    report_id: int
    facts: UnitFacts
    project_reports: int = 0  # 项目支出绩效自评报告 of the unit and year
    expected_position: int | None = None  # its place in the 应报单位 list, if it is there

    @property
    def unit_name(self) -> str:
        return self.facts.unit_name

    @property
    def project_forms(self) -> int:
        """项目支出绩效自评表: the report's 附件3 forms and the unit's 项目支出绩效自评报告."""
        return self.facts.project_forms + self.project_reports

    def value(self, key: str) -> Any:
        """The cell of column ``key`` (a Decimal, an int or a str; ``None`` when blank)."""
        f = self.facts
        getters: dict[str, Callable[[], Any]] = {
            "unit_name": lambda: f.unit_name,
            "initial_budget": lambda: f.initial_budget,
            "full_year_budget": lambda: f.full_year_budget,
            "executed": lambda: f.executed,
            "execution_rate": lambda: f.execution_rate,
            "score": lambda: f.score,
            "grade": lambda: f.grade_text,
            "open_errors": lambda: f.open_errors,
            "open_hints": lambda: f.open_hints,
            "three_public_final": lambda: f.three_public_final,
            "three_public_completion": lambda: f.three_public_completion,
            "project_count": lambda: f.project_count,
            "project_forms": lambda: self.project_forms,
        }
        return getters[key]()


def _sum(values: Iterable[Decimal | int | None], of: int) -> Figure:
    present = [Decimal(v) for v in values if v is not None]
    return Figure(sum(present, Decimal(0)) if present else None, len(present), of)


def _mean(values: Iterable[Decimal | None], of: int) -> Figure:
    present = [v for v in values if v is not None]
    if not present:
        return Figure(None, 0, of)
    return Figure(sum(present, Decimal(0)) / len(present), len(present), of)


def _pooled_rate(pairs: Iterable[tuple[Decimal | None, Decimal | None]], of: int) -> Figure:
    """Σ numerator ÷ Σ denominator over the units that gave both."""
    both = [(a, b) for a, b in pairs if a is not None and b is not None]
    if not both:
        return Figure(None, 0, of)
    num = sum((a for a, _ in both), Decimal(0))
    den = sum((b for _, b in both), Decimal(0))
    return Figure(calc.ratio(num, den), len(both), of)


@dataclass
class Summary:
    """The summary of one year: rows, cross-unit findings, and what the 主管部门 keeps for it."""

    year: int
    rows: list[UnitRow]
    expected: list[str] = field(default_factory=list)  # 应报单位, in the clerk's order
    findings: list[Finding] = field(default_factory=list)  # cross-unit 审核
    supervisor: str = ""  # 主管部门 as printed
    analysis_edited: str | None = None  # the clerk's 汇总分析; None = the generated text
    project_reports: int = 0  # 项目支出绩效自评报告 of the year, all units
    orphan_project_units: list[str] = field(default_factory=list)  # project reports only

    # --- the last two rows -------------------------------------------------------------------------

    @property
    def unit_count(self) -> int:
        return len(self.rows)

    @property
    def totals(self) -> dict[str, Figure]:
        """合计: sums of amounts and counts, the pooled 执行率 and 三公 完成率."""
        n, rows = len(self.rows), [r.facts for r in self.rows]
        return {
            "initial_budget": _sum((f.initial_budget for f in rows), n),
            "full_year_budget": _sum((f.full_year_budget for f in rows), n),
            "executed": _sum((f.executed for f in rows), n),
            "execution_rate": _pooled_rate(((f.executed, f.full_year_budget) for f in rows), n),
            "open_errors": _sum((f.open_errors for f in rows), n),
            "open_hints": _sum((f.open_hints for f in rows), n),
            "three_public_final": _sum((f.three_public_final for f in rows), n),
            "three_public_completion": _pooled_rate(
                ((f.three_public_final, f.three_public_budget) for f in rows), n
            ),
            "project_count": _sum((f.project_count for f in rows), n),
            "project_forms": _sum((r.project_forms for r in self.rows), n),
        }

    @property
    def averages(self) -> dict[str, Figure]:
        """平均: per unit, over the units that gave the figure (scores: fully scored units only)."""
        n, rows = len(self.rows), [r.facts for r in self.rows]
        return {
            "initial_budget": _mean((f.initial_budget for f in rows), n),
            "full_year_budget": _mean((f.full_year_budget for f in rows), n),
            "executed": _mean((f.executed for f in rows), n),
            "execution_rate": _mean((f.execution_rate for f in rows), n),
            "score": _mean((f.score for f in rows), n),
            "three_public_final": _mean((f.three_public_final for f in rows), n),
            "three_public_completion": _mean((f.three_public_completion for f in rows), n),
        }

    @property
    def grades(self) -> dict[str, int]:
        """How many units have each grade (and how many are 未完成评分), in print order."""
        counted = Counter(r.facts.grade_text for r in self.rows)
        return {g: counted.get(g, 0) for g in GRADE_ORDER}

    # --- the cross-unit 审核 ------------------------------------------------------------------------

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.resolved_by is None]

    @property
    def open_errors(self) -> list[Finding]:
        return [f for f in self.open_findings if f.severity == Severity.ERROR]

    # --- the 汇总分析 -------------------------------------------------------------------------------

    @property
    def generated_analysis(self) -> str:
        from perfdesk.summary.analysis import generate

        return generate(self)

    @property
    def analysis(self) -> str:
        """The text printed with the table: the clerk's, or the generated one if never edited."""
        return self.analysis_edited if self.analysis_edited is not None else self.generated_analysis

    @property
    def title(self) -> str:
        return f"{self.year}年度部门整体支出绩效自评汇总表"

    @property
    def analysis_title(self) -> str:
        return f"{self.year}年度部门整体支出绩效自评结果汇总分析报告"


def table_note(summary: Summary, counts: str = "数字下括号内为这些单位的个数") -> str:
    """The note under the 汇总表: what blank, 合计, 平均 and 等级 mean. ``counts`` says where the
    number of units behind a total is shown (under the figure in print, a row in the workbook)."""
    grades = "，".join(f"{g}{n}个" for g, n in summary.grades.items())
    return (
        "注：1. 空白表示单位未填报该项，不作0计算；合计、平均只计填报了该项的单位，"
        f"{counts}。"
        "2. 执行率=全年执行数÷全年预算数；合计行为执行数合计÷预算数合计（只计两项都填报的单位），"
        "平均行为各单位执行率的平均。三公经费完成率同理。"
        "3. 自评等级：优≥90分，良80—90分，中60—80分，差<60分；未完成评分的单位不列总分，"
        f"不计入平均分。等级分布：{grades}。"
        "4. 项目自评表含报告所附项目支出绩效自评表和单位单独报送的项目支出绩效自评报告。"
    )


def default_supervisor(facts: Sequence[UnitFacts]) -> str:
    """The 主管部门 most units wrote in their reports ("" when none did)."""
    named = Counter(f.supervisor.strip() for f in facts if f.supervisor.strip())
    return named.most_common(1)[0][0] if named else ""


def build_summary(
    year: int,
    units: Sequence[tuple[int, UnitFacts]],
    *,
    project_reports: dict[str, int] | None = None,
    expected: Sequence[str] = (),
    notes: Sequence[Note] = (),
    supervisor: str = "",
    analysis: str | None = None,
) -> Summary:
    """The summary of ``year`` from each unit's ``(report id, facts)``.

    ``project_reports`` counts the 项目支出绩效自评报告 per unit name; ``expected`` is the 应报单位
    list; ``notes`` the 说明 kept for this year's cross-unit findings; ``supervisor`` and
    ``analysis`` what the clerk set ("" / ``None``: derived from the reports / generated).
    """
    from perfdesk.summary.checks import cross_unit_findings
    from perfdesk.summary.names import NameIndex

    project_reports = dict(project_reports or {})
    expected = [e for e in expected if e.strip()]
    index = NameIndex(expected)
    rows = []
    for report_id, facts in units:
        position = index.find(facts.unit_name)
        rows.append(UnitRow(report_id, facts, project_reports.pop(facts.unit_name, 0), position))
    rows.sort(
        key=lambda r: (
            r.expected_position if r.expected_position is not None else len(expected),
            r.unit_name,
        )
    )
    summary = Summary(
        year=year,
        rows=rows,
        expected=list(expected),
        supervisor=supervisor.strip() or default_supervisor([f for _, f in units]),
        analysis_edited=analysis,
        project_reports=sum(r.project_reports for r in rows) + sum(project_reports.values()),
        orphan_project_units=sorted(project_reports),
    )
    summary.findings = cross_unit_findings(summary, notes)
    return summary

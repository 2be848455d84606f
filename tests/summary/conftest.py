"""Fixtures of the 自评汇总 tests: hand-made units with figures chosen to be checked, and databases
of generated units (tests/benchmarks/make_units.py) for the tests that need many."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from perfdesk.domain import model as m
from perfdesk.domain.templates import new_project, new_report
from perfdesk.services import Workspace
from tests.benchmarks.make_units import make_units


def unit(
    name: str,
    *,
    year: int = 2024,
    initial: str | None = "100.00",
    full: str | None = "100.00",
    executed: str | None = "90.00",
    score: str | None = "8",
    head: str = "",
    phone: str = "",
    three_public: tuple[str | None, str | None] = (None, None),
    projects: int = 0,
    forms: int = 0,
) -> m.Report:
    """A department report whose summary line is known: 总分 = 执行率 score + one indicator's score.

    The 附件2 has one 分值-10 预算执行率 line and one indicator of 分值 90 scored ``score`` points
    above 80 (``score=None``: not scored yet). Header fields are filled so that the report's own
    审核 finds nothing unless a test makes it.
    """
    r = new_report(name, year)
    r.preparer, r.report_date, r.head, r.phone = "经办人", dt.date(year + 1, 3, 1), head, phone
    total = r.budget_line("total")
    total.initial_budget = D(initial) if initial is not None else None
    total.full_year_budget = D(full) if full is not None else None
    total.executed = D(executed) if executed is not None else None
    r.groups = [m.IndicatorGroup("产出指标", D("90"))]
    ind = m.Indicator("产出指标", "数量指标", "办件数量", weight=D("90"))
    if score is not None:
        ind.score = D("80") + D(score)
        ind.deviation_reason = "" if ind.score >= 90 else "部分未完成。"
    r.indicators = [ind]
    r.execution_weight = D("10")
    budget, final = three_public
    line = r.control_line("three_public.reception")
    line.budget = D(budget) if budget is not None else None
    line.final = D(final) if final is not None else None
    for i in range(projects):
        p = new_project(f"项目{i + 1}")
        p.groups = [m.IndicatorGroup("产出指标", D("90"))]
        p.indicators = [
            m.Indicator("产出指标", "数量指标", "完成数" if i < forms else "", weight=D("90"))
        ]
        if i >= forms:  # no 附件3 form: no named indicator
            p.indicators, p.groups, p.execution_weight = [], [], None
        r.projects.append(p)
    return r


@pytest.fixture
def ws(db_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(db_path)
    yield workspace
    workspace.close()


@pytest.fixture(scope="session")
def generated() -> list[m.Report]:
    """60 generated units of 2024 (and six 项目支出绩效自评报告)."""
    return make_units(60)


def department(reports: list[m.Report]) -> list[m.Report]:
    return [r for r in reports if r.kind == m.ReportKind.DEPARTMENT]


@pytest.fixture
def filled(ws: Workspace, generated: list[m.Report]) -> Workspace:
    """A database holding the generated units."""
    for r in generated:
        ws.add_report(r)
    return ws


def row_of(summary: Any, name: str) -> Any:
    for row in summary.rows:
        if row.unit_name == name:
            return row
    raise AssertionError(f"no row for {name}")

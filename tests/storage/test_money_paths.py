"""Amounts are exact to the 元 (four decimals of 万元) on every way into the database: a fifth
decimal is refused in Chinese by the services, and — should anything ever bypass them — by the
column type itself, never rounded or cut off silently.

Each test here fails when one of the two checks is removed: the services' check (the refusal would
then be the column's English ``ValueError``, not an ``InputError``), or the column's (the value
would be stored truncated).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from perfdesk.domain.numbers import InputError
from perfdesk.domain.templates import new_project
from perfdesk.services import Workspace
from perfdesk.storage import models as t
from tests.storage.helpers import small_report

FIVE = Decimal("1.23456")
MESSAGE = "金额最多保留4位小数"


@pytest.fixture
def ws(saved_db: Path):
    workspace = Workspace.open(saved_db)
    yield workspace
    workspace.close()


def _ids(ws: Workspace) -> dict[str, int]:
    rid = ws.resolve_report_id(None)
    report = ws.load(rid)
    fixed = ws.fixed_row_ids(rid)
    return {
        "report": rid,
        "project": report.projects[0].id,
        "budget_line": fixed[("budget_line", None, "total")],
        "source": fixed[("project_source", report.projects[0].id, "current_appropriation")],
    }


def _with_five_decimals() -> Any:
    report = small_report("另一单位", 2025)
    report.budget_line("total").initial_budget = FIVE
    return report


PATHS: dict[str, Callable[[Workspace, dict[str, int]], object]] = {
    "update": lambda ws, ids: ws.update("report", ids["report"], {"personnel_expense": FIVE}),
    "update a fixed line": lambda ws, ids: ws.update(
        "budget_line", ids["budget_line"], {"executed": FIVE}
    ),
    "update a project's source": lambda ws, ids: ws.update(
        "project_source", ids["source"], {"full_year_budget": FIVE}
    ),
    "insert": lambda ws, ids: ws.insert(
        "project", {"report_id": ids["report"]}, None, {"name": "新项目", "executed": FIVE}
    ),
    "insert_many (a pasted block)": lambda ws, ids: ws.insert_many(
        "project",
        {"report_id": ids["report"]},
        0,
        [{"name": "甲", "executed": Decimal("1")}, {"name": "乙", "executed": FIVE}],
    ),
    "update_many (a pasted block)": lambda ws, ids: ws.update_many(
        [
            ("report", ids["report"], {"personnel_expense": Decimal("2")}),
            ("project", ids["project"], {"carryover": FIVE}),
        ]
    ),
    "apply_block": lambda ws, ids: ws.apply_block(
        [("project", ids["project"], {"prior_final": FIVE})],
    ),
    "add_report (import, sample)": lambda ws, ids: ws.add_report(_with_five_decimals()),
    "add_project": lambda ws, ids: ws.add_project(ids["report"], None, _project_with(FIVE)),
}


def _project_with(amount: Decimal) -> Any:
    project = new_project("插入的项目")
    project.full_year_budget = amount
    return project


@pytest.mark.parametrize("path", sorted(PATHS))
def test_a_fifth_decimal_is_refused_in_chinese_on_every_way_in(ws: Workspace, path: str) -> None:
    ids = _ids(ws)
    before = ws.load(ids["report"])
    reports = ws.list_reports()
    with pytest.raises(InputError, match=MESSAGE):
        PATHS[path](ws, ids)
    assert ws.load(ids["report"]) == before and ws.list_reports() == reports
    assert not ws.db.dirty, "a refused edit counted as a change"


def test_the_column_type_refuses_a_fifth_decimal_when_the_services_are_bypassed(
    ws: Workspace,
) -> None:
    ids = _ids(ws)
    with pytest.raises(sa_exc.StatementError, match="more than 4 decimal places"):
        with ws.db.transaction() as session:
            session.get(t.BudgetLineRow, ids["budget_line"]).executed = FIVE
    with pytest.raises(sa_exc.StatementError, match="more than 4 decimal places"):
        with ws.db.transaction() as session:
            session.add(
                t.ProjectRow(report_id=ids["report"], position=9, name="绕过", executed=FIVE)
            )
    with ws.db.reading() as session:
        stored = session.scalars(select(t.ProjectRow.executed)).all()
        line = session.get(t.BudgetLineRow, ids["budget_line"]).executed
    assert Decimal("1.2345") not in stored and line == Decimal("4532.05")


def test_undoing_a_delete_cannot_bring_back_a_fifth_decimal(ws: Workspace) -> None:
    """Undo puts a deleted row back from the column values it kept: no services' check on that
    way, so the column type is what refuses a tampered value."""
    ids = _ids(ws)
    deleted = ws.delete("project", ids["project"])
    deleted.columns["executed"] = FIVE
    with pytest.raises(sa_exc.StatementError, match="more than 4 decimal places"):
        ws.restore(deleted)
    assert ws.load(ids["report"]).projects == []
    deleted.columns["executed"] = Decimal("123.45")
    ws.restore(deleted)
    assert ws.load(ids["report"]).projects[0].executed == Decimal("123.45")


def test_four_decimals_are_stored_exactly(ws: Workspace) -> None:
    ids = _ids(ws)
    ws.update("report", ids["report"], {"personnel_expense": Decimal("1234567.8901")})
    assert ws.load(ids["report"]).personnel_expense == Decimal("1234567.8901")

"""The audit on a report built from blanks (tests/fixtures/blanks_report.json, build_blanks.py).

Only some parts given, 项目支出 only as a total, fund sections 未说明, indicators unscored: a
careful reviewer would find nothing *wrong* in it, only things not yet filled in. So: no 错误 at
all, and exactly the 提示 below, each asking for something that really is missing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from perfdesk.domain import calc, scoring
from perfdesk.domain.audit import Severity, _texts, audit, unresolved_errors
from perfdesk.domain.model import FundStatus, Report
from perfdesk.domain.textcheck import TextReader
from perfdesk.exchange import jsonfile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BLANKS = FIXTURES / "blanks_report.json"


def _blanks() -> Report:
    return jsonfile.loads(BLANKS.read_bytes())


def test_a_report_of_blanks_has_no_error() -> None:
    findings = audit(_blanks())
    assert unresolved_errors(findings) == []
    assert {f.severity for f in findings} == {Severity.HINT}


def test_a_report_of_blanks_asks_for_exactly_what_is_missing() -> None:
    assert {(f.rule, f.place_id) for f in audit(_blanks())} == {
        # 项目支出 380 of 年度资金总额 600 given, 基本支出 not given at all.
        ("sum.parts_missing", "budget_lines/expense.basic/executed#expense:executed"),
        # 年初 500 → 全年 620 (+24 %) with no 部门基本支出预算调整.
        ("range.budget_change", "control_lines/basic_adjustment/budget#total"),
        # five indicators have a weight and no score yet.
        ("complete.scores", "indicators/产出指标/数量指标/完成高标准农田建设面积/score"),
    }


def test_the_blanks_stay_blank_in_the_figures() -> None:
    r = _blanks()
    assert calc.basic_expense_parts(r) is None  # neither 人员经费 nor 公用经费 决算 is given
    assert calc.three_public_line(r).final is None  # only a 预算 for 公务接待
    assert calc.staff_control_rate(r) is None  # 实有在职人数 not given
    assert calc.project_total_line(r).final == 380  # 项目支出 as a total, no projects
    assert all(f.status == FundStatus.UNSTATED for f in r.special_funds)
    state = scoring.report_scoring(r)
    assert not state.complete and state.grade_text == "未完成评分"


def test_the_figures_the_text_quotes_are_read_and_agree() -> None:
    r = _blanks()
    reader = TextReader(r)
    readings = [m for _p, _w, t, ctx in _texts(r) for m in reader.read(t, ctx)]
    assert {m.subject.name for m in readings} >= {"项目支出"}
    assert readings and all(m.ok for m in readings)


def test_blanks_fixture_is_built_from_its_builder() -> None:
    spec = importlib.util.spec_from_file_location("build_blanks", FIXTURES / "build_blanks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render() == BLANKS.read_text(encoding="utf-8"), (
        "run: PYTHONPATH=$PWD python tests/fixtures/build_blanks.py"
    )


def test_a_project_with_a_budget_and_no_executed_figure_is_asked_for_not_counted_as_zero() -> None:
    """Walkthrough: 城乡低保 with 全年预算 60 and no 执行数 beside 养老服务 executed 12.50 — the audit
    asked for nothing and compared 12.50 with the budgets as if the blank were 0."""
    from decimal import Decimal as D

    from perfdesk.domain.templates import new_project, new_report

    r = new_report("某县民政局", 2025)
    a, b = new_project("城乡低保"), new_project("养老服务")
    a.initial_budget, a.full_year_budget = D("50"), D("60")
    b.full_year_budget, b.executed = D("20"), D("12.5")
    r.projects = [a, b]
    assert calc.project_total_line(r).final is None
    findings = audit(r)
    asked = [f for f in findings if f.rule == "sum.parts_missing" and "城乡低保" in f.message]
    assert len(asked) == 1 and asked[0].severity == Severity.HINT
    assert "全年执行数未填写" in asked[0].message and "60.00 万元" in asked[0].message
    assert not any("12.50" in f.message for f in findings), [f.message for f in findings]
    a.executed = D("0")  # given: nothing spent — then it is a figure like any other
    assert calc.project_total_line(r).final == D("12.5")
    assert not any("全年执行数未填写" in f.message for f in audit(r))

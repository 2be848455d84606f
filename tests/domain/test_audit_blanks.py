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

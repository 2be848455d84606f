"""The audit on the shipped sample (the real 2024 report) and on its corrected copy.

The sample keeps the reference report's inconsistencies (docs/report-format.md §6); the audit must report
each of them. ``tests/fixtures/sample_corrected.json`` fixes them (``build_corrected.py`` says how);
on it the audit must report nothing at all — the proof that it raises no false alarm on a long,
real narrative.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.domain.audit import Severity, _texts, audit, format_findings, unresolved_errors
from perfdesk.domain.model import Report
from perfdesk.domain.textcheck import TextReader
from perfdesk.exchange import jsonfile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORRECTED = FIXTURES / "sample_corrected.json"


def _sample_bytes() -> bytes:
    from perfdesk.sample import sample_bytes

    return sample_bytes()


@pytest.fixture
def sample() -> Report:
    return jsonfile.loads(_sample_bytes())


@pytest.fixture
def corrected() -> Report:
    return jsonfile.loads(CORRECTED.read_bytes())


def _messages(report: Report, rule_id: str) -> list[str]:
    return [f.message for f in audit(report) if f.rule == rule_id]


# --- docs/report-format.md §6, one by one ---------------------------------------------------------------


def test_execution_rate_against_the_initial_budget(sample: Report) -> None:
    (message,) = _messages(sample, "formula.execution_basis")
    assert "按执行率 100.00%（全年执行数 4532.05 ÷ 全年预算数 4532.05）应得 10 分" in message
    assert "年初预算数 4572.76 万元与全年预算数不同，按年初预算数算才是 99.11%" in message


def test_income_and_expense_parts_against_the_total(sample: Report) -> None:
    assert _messages(sample, "sum.income_parts") == [
        "全年执行数：按收入性质分合计 4482.29 万元 ≠ 年度资金总额 4532.05 万元（相差 49.76 万元）"
    ]
    assert (
        "全年执行数：按支出性质分合计 4482.24 万元 ≠ 年度资金总额 4532.05 万元（相差 49.81 万元）"
        in _messages(sample, "sum.expense_parts")
    )


def test_the_samples_blank_basic_expense_budget_is_asked_for_not_an_error(sample: Report) -> None:
    # The reference gives no 全年预算数 for 基本支出: "4175.33 ≠ 4532.05" would only measure the
    # blank cell. The real differences (全年执行数 above) stay errors.
    assert not any("全年预算数" in m for m in _messages(sample, "sum.expense_parts"))
    assert _messages(sample, "sum.parts_missing") == [
        "全年预算数：项目支出 4175.33 万元已填，基本支出未填写，无法与年度资金总额 4532.05 万元核对："
        "请补充填写基本支出"
    ]


def test_the_sample_states_its_adjustment_so_its_budget_changes_are_not_asked_about(
    sample: Report,
) -> None:
    # 公用经费 21.42 → 51.47 is a large change, but 部门基本支出预算调整 247.94 is given.
    assert sample.control_line("basic_adjustment").budget is not None
    assert _messages(sample, "range.budget_change") == []


def test_project_paragraphs_against_project_spending(sample: Report) -> None:
    (message,) = _messages(sample, "sum.project_rows")
    assert (
        "全年执行数合计 3863.79 万元 ≠ 项目支出（全年执行数）4175.33 万元（相差 311.54 万元）"
        in message
    )


def test_section_two_project_amounts_against_the_projects(sample: Report) -> None:
    messages = _messages(sample, "text.project_amount")
    assert (
        "二（二）项目支出情况：“城乡最低生活保障项目支出2030.27万元”与项目“城乡最低生活保障”的全年执行数 "
        "2535.32 万元不一致（相差 505.05 万元）" in messages
    )
    quoted = {m.split("“")[1].split("”")[0] for m in messages}
    assert {
        "高龄补贴项目支出395.26万元",
        "残疾人两项补贴项目支出280.36万元",
        "城乡特困供养项目支出25.4万元",
        "精简退职救济项目支出1.05万元",
    } <= quoted
    # amounts that do agree with a project are not reported
    assert not any("养老服务体系建设" in m or "惠民礼葬" in m for m in messages)
    (total,) = [m for m in _messages(sample, "text.total_amount") if "2913.05" in m]
    assert "与项目支出（全年执行数） 4175.33 万元不一致" in total


def test_three_public_growth_from_zero(sample: Report) -> None:
    (message,) = _messages(sample, "text.growth_from_zero")
    assert message.startswith("二（一）基本支出情况：“增长100%”——三公经费上年决算数为 0")
    assert any("“2024年度三公经费决算0万元”" in m for m in _messages(sample, "text.total_amount"))


def test_deducted_scores_without_a_reason(sample: Report) -> None:
    messages = _messages(sample, "complete.deviation_reason")
    assert len(messages) == 5  # 9/10, 4/5, 4/5, 9/10 and 9/10 in 附件2
    assert any("指标“政策知晓率”得分 9 分低于分值 10 分" in m for m in messages)


def test_the_sample_cannot_be_printed_without_questions(sample: Report) -> None:
    findings = audit(sample)
    assert unresolved_errors(findings)
    assert {f.severity for f in findings} == {Severity.ERROR, Severity.HINT}
    assert len(format_findings(findings).splitlines()) == len(findings)


# --- the corrected copy -------------------------------------------------------------------------


def test_corrected_sample_has_no_finding_at_all(corrected: Report) -> None:
    assert format_findings(audit(corrected)) == ""


def test_corrected_sample_text_is_really_read(corrected: Report) -> None:
    # "No finding" would prove nothing if the reader understood nothing: it reads the corrected
    # figures of 二（一）, 二（二） and a project's narrative, and they all agree.
    reader = TextReader(corrected)
    readings = [r for _, _, text, ctx in _texts(corrected) for r in reader.read(text, ctx)]
    assert len(readings) >= 10
    assert all(r.ok for r in readings)
    assert any(
        r.subject.name == "项目支出" and r.written.value == Decimal("4175.33") for r in readings
    )


def test_corrected_fixture_is_built_from_the_current_sample() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_corrected", FIXTURES / "build_corrected.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(_sample_bytes()) == CORRECTED.read_text(encoding="utf-8"), (
        "run: PYTHONPATH=$PWD python tests/fixtures/build_corrected.py"
    )

"""``perfdesk audit``: findings on stdout, exit 1 while a 错误 has no 说明, 0 otherwise."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.cli import main
from perfdesk.domain.audit import audit
from perfdesk.domain.model import Note
from perfdesk.services import Workspace
from tests.domain.test_audit import consistent_report, last_year

ROOT = Path(__file__).resolve().parent.parent


def _store(db: Path, *reports) -> list[int]:  # noqa: ANN002
    ws = Workspace.open(db)
    try:
        return [ws.add_report(r) for r in reports]
    finally:
        ws.close()


def test_consistent_report_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "a.db"
    _store(db, consistent_report())
    assert main(["audit", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "审核完成：2024年度 测试县民政局 未发现问题。\n"


def test_unresolved_error_exits_1_with_one_line_per_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    report = consistent_report()
    report.preparer = ""  # a 错误: 填表人 is required before printing
    report.actual_staff = 13  # a 提示
    _store(db, report)
    assert main(["audit", "--db", str(db)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0]
        == "[提示] range.staff_control — 实有在职人数 13 人超过编制数 12 人（控制率 108.33%），请说明原因"
    )
    assert lines[1] == "[错误] complete.header — “填表人”未填写，打印前请填写"
    assert lines[2] == (
        "审核完成：2024年度 测试县民政局 共 2 条（错误 1 条，其中未说明 1 条；提示 1 条；已说明 0 条）。"
        "请改正或说明全部错误后再打印。"
    )


def test_explained_error_and_open_hint_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    report = consistent_report()
    report.control_line("public").final = Decimal("45")  # 基本支出 290 ≠ 250 + 45
    report.section("gpb.basic").text = ""  # type: ignore[union-attr]  # (its 公用经费40 would be flagged too)
    report.actual_staff = 13
    (error,) = [f for f in audit(report) if f.rule == "sum.basic_expense"]
    report.notes = [Note(error.rule, error.place_id, "公用经费含5万元代付的物业费，已与财政核对。")]
    _store(db, report)
    assert main(["audit", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "[错误·已说明] sum.basic_expense" in out
    assert "（说明：公用经费含5万元代付的物业费，已与财政核对。）" in out
    assert "[提示] range.staff_control" in out


def test_last_years_report_in_the_database_is_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    old = last_year()
    old.control_lines[1].final = Decimal("36")  # this year's 上年决算数 for 公用经费 says 35
    _, rid = _store(db, old, consistent_report())
    assert main(["audit", "--db", str(db), "--report", str(rid)]) == 0  # a 提示 only
    out = capsys.readouterr().out
    assert (
        "[提示] years.prior_final — 经费控制表“公用经费”的上年决算数 35.00 万元，而 2023年度报告中的本年决算数为 36.00 万元"
        in out
    )


def test_several_reports_need_report_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "a.db"
    _store(db, last_year(), consistent_report())
    assert main(["audit", "--db", str(db)]) == 2
    assert "请用 --report 指定编号" in capsys.readouterr().err


def test_audit_is_listed_in_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "perfdesk", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "", "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr
    assert "审核一份报告" in result.stdout

"""A project report's life from the command line and the services: made from scratch or from a
department report's project, edited, audited, printed, exchanged and carried into next year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from perfdesk.cli import main
from perfdesk.domain.model import ReportKind
from perfdesk.domain.numbers import InputError
from perfdesk.exchange import jsonfile
from perfdesk.services import Workspace
from tests.project.factory import project_report


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_from_scratch_edit_audit_print_and_exchange_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "a.db")
    code, out, _ = _run(
        capsys, "new", "--db", db, "--kind", "project", "--unit", "某区民政局", "--year", "2024",
        "--name", "高龄补贴",
    )  # fmt: skip
    assert (
        code == 0 and "已新建：编号 1，“某区民政局”2024年度“高龄补贴”的项目支出绩效自评报告" in out
    )

    # Edit as the window does: one row at a time through the services.
    ws = Workspace.open(db)
    try:
        report = ws.load(1)
        assert report.kind == ReportKind.PROJECT and report.budget_lines == []
        project = report.projects[0]
        ws.update(
            "report", 1, {"report_date": dt.date(2025, 4, 18), "preparer": "王五", "head": "赵六"}
        )
        ws.update(
            "project",
            project.id,  # type: ignore[arg-type]
            {"full_year_budget": D("720.00"), "executed": D("699.14"), "implementer": "社会事务股"},
        )
        ids = ws.fixed_row_ids(1)
        assert not any(key[0] == "budget_line" for key in ids)  # no department rows were added
        source = ids[("project_source", project.id, "current_appropriation")]
        ws.update("project_source", source, {"full_year_budget": D("720"), "executed": D("690")})
        section = next(s for s in report.sections if s.key == "project.funds.management")
        ws.update(
            "section",
            section.id,
            {"text": "全年执行699.14万元，其中：发放补贴690万元、核查经费19.14万元。"},
        )  # type: ignore[arg-type]
    finally:
        ws.close()

    # The 审核 finds the form's and the text's contradictions, and nothing of a department report.
    code, out, _ = _run(capsys, "audit", "--db", db)
    assert code == 1
    assert "sum.project_sources" in out and "690.00 万元 ≠ 年度资金总额 699.14 万元" in out
    assert "text.parts_sum" in out
    assert "审核完成：2024年度 某区民政局 高龄补贴项目" in out
    for department_rule in ("sum.income_parts", "sum.expense_parts", "fund.", "range.staff"):
        assert department_rule not in out

    # --final refuses while they are open; the draft prints, as a project report.
    pdf = tmp_path / "高龄补贴.pdf"
    assert _run(capsys, "pdf", "--db", db, "--final", "-o", str(pdf))[0] == 1
    assert not pdf.exists()
    code, out, _ = _run(capsys, "pdf", "--db", db, "-o", str(pdf))
    assert code == 0 and "2024年度 某区民政局 高龄补贴项目支出绩效自评报告" in out
    assert PdfReader(pdf).metadata.subject == "项目支出绩效自评报告"

    # export → import into another database → export: the same bytes
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    assert _run(capsys, "export", "--db", db, "-o", str(first))[0] == 0
    other = str(tmp_path / "b.db")
    assert _run(capsys, "import", str(first), "--db", other)[0] == 0
    assert _run(capsys, "export", "--db", other, "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert b'"kind": "project"' in first.read_bytes()
    code, out, _ = _run(capsys, "list", "--db", other)
    assert out.strip() == "1\t2024年度\t某区民政局\t项目：高龄补贴"


def test_a_full_project_report_goes_through_the_exchange_file_unchanged(tmp_path: Path) -> None:
    report = project_report()
    text = jsonfile.dumps(report)
    ws = Workspace.open(tmp_path / "a.db")
    try:
        rid = ws.add_report(jsonfile.loads(text))
        stored = ws.load(rid)
    finally:
        ws.close()
    assert jsonfile.dumps(stored) == text
    assert stored.title == "2024年度高龄补贴项目支出绩效自评报告"


def test_an_exchange_file_of_a_project_report_needs_exactly_one_project() -> None:
    report = project_report()
    two = project_report()
    two.projects.append(report.projects[0])
    with pytest.raises(InputError, match="项目支出绩效自评报告应只有一个项目"):
        jsonfile.loads(jsonfile.dumps(two))
    two.projects = []
    with pytest.raises(InputError, match="report.projects"):
        jsonfile.loads(jsonfile.dumps(two))


def test_made_from_the_samples_project_and_separate_afterwards(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "a.db")
    assert _run(capsys, "sample", "--db", db)[0] == 0
    code, out, _ = _run(
        capsys, "new", "--db", db, "--kind", "project", "--from", "1", "--project", "高龄补贴"
    )
    assert code == 0 and "“高龄补贴”的项目支出绩效自评报告" in out
    ws = Workspace.open(db)
    try:
        sample, made = ws.load(1), ws.load(2)
        source = next(p for p in sample.projects if p.name == "高龄补贴")
        own = made.projects[0]
        # figures, sources, indicators and texts copied; the unit's facts too
        assert (own.full_year_budget, own.executed) == (source.full_year_budget, source.executed)
        assert [i.level2 for i in own.indicators] == [i.level2 for i in source.indicators]
        assert own.purpose == source.purpose and made.preparer == sample.preparer
        performance = made.section("project.performance")
        assert performance is not None and performance.text == source.narrative
        assert own.narrative == ""  # moved into the text, not kept twice
        # editing the project report leaves the department report as it was
        ws.update("project", own.id, {"executed": D("1")})  # type: ignore[arg-type]
        assert (
            next(p for p in ws.load(1).projects if p.name == "高龄补贴").executed == source.executed
        )
        # a second one of the same project is refused, naming the first
        with pytest.raises(
            InputError,
            match="已有“株洲市芦淞区民政局”2024年度“高龄补贴”的项目支出绩效自评报告（编号 2）",
        ):
            ws.create_project_report_from(1, "高龄补贴")
        with pytest.raises(InputError, match="只能从部门整体支出绩效自评报告的项目创建"):
            ws.create_project_report_from(2, "高龄补贴")
    finally:
        ws.close()
    code, _, err = _run(
        capsys, "new", "--db", db, "--kind", "project", "--from", "1", "--project", "无此项目"
    )
    assert code == 2 and "报告中没有名为“无此项目”的项目" in err


def test_next_years_report_is_a_project_report_of_the_same_project(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "a.db")
    try:
        rid = ws.add_report(project_report())
        new = ws.load(ws.create_next_year(rid))
    finally:
        ws.close()
    assert new.kind == ReportKind.PROJECT and new.year == 2025
    assert new.title == "2025年度高龄补贴项目支出绩效自评报告"
    p = new.projects[0]
    assert p.prior_final == D("699.14")  # this year's spending is next year's 上年决算数
    assert (p.full_year_budget, p.executed, p.execution_score) == (None, None, None)
    assert all(i.score is None and i.actual_text == "" for i in p.indicators)
    assert [s.key for s in new.sections] == [s.key for s in project_report().sections]

"""A clerk's own reports: new, delete (after a backup), rename, correct the year — CLI and services."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.cli import main
from perfdesk.domain.model import FundStatus, ReportKind, SpecialFundKind
from perfdesk.domain.numbers import InputError
from perfdesk.exchange import jsonfile
from perfdesk.services import DuplicateReport, Workspace, backups_of

V1_SAMPLE = Path(__file__).resolve().parent / "fixtures" / "exchange" / "sample-v1.json"


def test_new_report_from_the_command_line_and_a_duplicate_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "a.db")
    assert main(["new", "--db", db, "--unit", "某县民政局", "--year", "2025"]) == 0
    assert main(["new", "--db", db, "--unit", "某县民政局", "--year", "2025"]) == 2
    err = capsys.readouterr().err
    assert "已有“某县民政局”2025年度的部门整体支出绩效自评报告（编号 1）" in err
    args = ["--unit", "某县民政局", "--year", "2025", "--kind", "project", "--name", "高龄补贴"]
    assert main(["new", "--db", db, *args]) == 0
    ws = Workspace.open(db)
    try:
        kinds = [(r.kind, r.project_name) for r in ws.list_reports()]
        project = ws.load(ws.list_reports()[1].id)
    finally:
        ws.close()
    assert kinds == [(ReportKind.DEPARTMENT, ""), (ReportKind.PROJECT, "高龄补贴")]
    assert project.title == "2025年度高龄补贴项目支出绩效自评报告"
    assert [s.heading for s in project.sections][:2] == ["项目基本情况", "项目概况"]


@pytest.mark.parametrize("year", ["1999", "2101", "20245", "二〇二五"])
def test_a_year_outside_2000_to_2100_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], year: str
) -> None:
    assert main(["new", "--db", str(tmp_path / "a.db"), "--unit", "甲", "--year", year]) == 2
    err = capsys.readouterr().err
    assert ("年度" in err or "--year" in err) and "Traceback" not in err


def test_delete_makes_a_verified_backup_first_and_says_how_to_get_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    main(["new", "--db", str(db), "--unit", "甲单位", "--year", "2025"])
    capsys.readouterr()
    assert main(["delete", "--db", str(db), "--report", "1"]) == 0
    out = capsys.readouterr().out
    assert "删除前已备份" in out and "perfdesk restore" in out
    backup = next(b for b in backups_of(db) if b.kind == "predelete")
    assert backup.report_count == 1  # the backup still holds the deleted report
    ws = Workspace.open(db)
    try:
        assert ws.list_reports() == []
    finally:
        ws.close()
    assert main(["restore", "--db", str(db), str(backup.path)]) == 0
    ws = Workspace.open(db)
    try:
        assert [r.unit_name for r in ws.list_reports()] == ["甲单位"]
    finally:
        ws.close()


def test_rename_and_correct_the_year_refuse_an_existing_unit_and_year(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "a.db")
    try:
        first = ws.create_report("甲单位", 2024)
        second = ws.create_report("甲单位", 2025)
        with pytest.raises(DuplicateReport, match="已有“甲单位”2024年度"):
            ws.rename_report(second, year=2024)
        with pytest.raises(InputError, match="单位名称不能为空"):
            ws.rename_report(first, unit_name="  ")
        before = ws.rename_report(first, unit_name="乙单位", year=2023)
        assert before == {"unit_name": "甲单位", "year": 2024}
        assert (ws.load(first).unit_name, ws.load(first).year) == ("乙单位", 2023)
    finally:
        ws.close()


def test_an_exchange_file_of_version_1_is_upgraded_on_import() -> None:
    data = V1_SAMPLE.read_bytes()
    assert b'"version": 1' in data and b'"has_budget": true' in data
    report = jsonfile.loads(data)
    assert report.kind == ReportKind.DEPARTMENT and not report.is_sample
    statuses = {f.kind: f.status for f in report.special_funds}
    assert statuses == {
        SpecialFundKind.GOV_FUND: FundStatus.HAS,
        SpecialFundKind.STATE_CAPITAL: FundStatus.NONE,
        SpecialFundKind.SOCIAL_INSURANCE: FundStatus.NONE,
    }
    # 附件1 printed 3、市级专项资金 for the old 专项资金: the category says so now.
    assert {p.category for p in report.projects} == {"市级专项资金"}
    assert report.projects[0].executed == Decimal("2535.32")
    # Written again it is a version-2 file that reads back the same.
    again = jsonfile.dumps(report)
    assert '"version": 2' in again and jsonfile.loads(again) == report


def test_a_version_1_file_with_a_wrong_has_budget_is_refused_naming_the_field() -> None:
    text = V1_SAMPLE.read_text(encoding="utf-8").replace('"has_budget": true', '"has_budget": 1', 1)
    with pytest.raises(InputError, match=r"special_funds\[0\]\.has_budget"):
        jsonfile.loads(text)


def test_the_unit_level_is_set_by_new_and_corrected_by_rename(tmp_path: Path) -> None:
    """`perfdesk new` printed every report as 市级 (walkthrough): the 级次 is the clerk's."""
    from perfdesk.domain import calc
    from perfdesk.report import build_pdf
    from tests.report.conftest import pages_text

    db = str(tmp_path / "a.db")
    assert (
        main(["new", "--db", db, "--unit", "某县民政局", "--year", "2025", "--level", "县级"]) == 0
    )
    ws = Workspace.open(db)
    try:
        report = ws.load(1)
    finally:
        ws.close()
    assert report.unit_level == "县级"
    assert "县级专项资金" in calc.project_categories(report)[-1]
    import io

    out = io.BytesIO()
    build_pdf(report, out)
    text = "".join(pages_text(out.getvalue()))
    assert "县级预算部门" in text and "市级" not in text
    assert main(["rename", "--db", db, "--report", "1", "--level", "乡镇"]) == 0
    ws = Workspace.open(db)
    try:
        again = ws.load(1)
    finally:
        ws.close()
    assert (again.unit_level, again.unit_name, again.year) == ("乡镇", "某县民政局", 2025)


def test_a_deleted_reports_number_is_never_given_to_another(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Delete the newest report and make another: it got the deleted one's number, so the same
    `delete --report 2` run again from the shell's history deleted it (walkthrough)."""
    db = str(tmp_path / "a.db")
    for unit in ("甲局", "乙局"):
        assert main(["new", "--db", db, "--unit", unit, "--year", "2025"]) == 0
    assert main(["delete", "--db", db, "--report", "2"]) == 0
    assert main(["new", "--db", db, "--unit", "丙局", "--year", "2025"]) == 0
    assert "编号 3" in capsys.readouterr().out
    assert main(["delete", "--db", db, "--report", "2"]) == 2  # gone, and stays gone
    ws = Workspace.open(db)
    try:
        assert sorted((r.id, r.unit_name) for r in ws.list_reports()) == [(1, "甲局"), (3, "丙局")]
    finally:
        ws.close()


def test_an_upgraded_database_does_not_reuse_numbers_either(tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "db" / "schema-3.db", db)
    ws = Workspace.open(db)  # upgraded to the current schema
    try:
        first = ws.list_reports()[0].id
        added = ws.create_report("某县民政局", 2025)
        ws.delete_report(added)
        again = ws.create_report("某县财政局", 2025)
        assert again not in (first, added)
        assert len(ws.load(first).projects) == 12  # the old report kept whole
    finally:
        ws.close()

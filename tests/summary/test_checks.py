"""The cross-unit 审核: each finding, and the 说明 that accepts one (kept with the database)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from perfdesk.services import Workspace
from perfdesk.summary.checks import SUMMARY_RULES, docs_table
from tests.summary.conftest import unit

ROOT = Path(__file__).resolve().parents[2]


def _rules(summary) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(f.rule, f.place.key) for f in summary.findings]


def test_an_expected_unit_without_a_report_is_missing(ws: Workspace) -> None:
    ws.add_report(unit("株洲市芦淞区民政局"))
    ws.add_report(unit("芦淞区财政局"))
    ws.set_expected_units(["株洲市芦淞区民政局", "株洲市芦淞区财政局", "株洲市芦淞区审计局"])
    s = ws.summary(2024)
    # 芦淞区财政局 is 株洲市芦淞区财政局 written without the city: reported
    assert ("units.missing", "株洲市芦淞区审计局") in _rules(s)
    assert [f for f in s.findings if f.rule == "units.missing"][0].severity.value == "错误"
    assert not [f for f in s.findings if f.rule == "units.unexpected"]


def test_a_reporting_unit_not_on_the_list_is_a_hint_only_when_there_is_a_list(
    ws: Workspace,
) -> None:
    ws.add_report(unit("株洲市芦淞区民政局"))
    ws.add_report(unit("株洲市芦淞区档案馆"))
    assert ws.summary(2024).findings == []  # no list kept: nothing is unexpected
    ws.set_expected_units(["株洲市芦淞区民政局"])
    s = ws.summary(2024)
    assert _rules(s) == [("units.unexpected", "株洲市芦淞区档案馆")]
    assert s.findings[0].severity.value == "提示"


def test_the_same_unit_reported_twice_under_different_names_is_found(ws: Workspace) -> None:
    ws.add_report(unit("株洲市芦淞区民政局"))
    ws.add_report(unit("芦淞区民政局"))  # prefix left out
    ws.add_report(unit("株洲市荷塘区教育局", head="王五"))
    ws.add_report(unit("株洲市荷塘区教肓局", head="王五"))  # a typo, the same head
    ws.add_report(unit("株洲市荷塘区民政局"))  # another district: another unit
    s = ws.summary(2024)
    dups = [f for f in s.findings if f.rule == "units.duplicate"]
    assert sorted(f.place.key for f in dups) == [
        "株洲市芦淞区民政局｜芦淞区民政局",
        "株洲市荷塘区教肓局｜株洲市荷塘区教育局",
    ]
    assert all(f.severity.value == "错误" for f in dups)
    assert "单位负责人相同" in next(f.message for f in dups if "教育局" in f.message)


def test_a_unit_whose_report_has_open_errors_is_a_finding(ws: Workspace) -> None:
    bad = unit("株洲市芦淞区民政局")
    bad.report_date = None  # 报告信息 错误
    ws.add_report(bad)
    ws.add_report(unit("株洲市芦淞区财政局"))
    s = ws.summary(2024)
    [finding] = [f for f in s.findings if f.rule == "units.open_errors"]
    assert finding.place.key == "株洲市芦淞区民政局"
    assert "1 项未处理的审核错误（报告信息）" in finding.message


def test_an_unscored_unit_is_a_hint(ws: Workspace) -> None:
    ws.add_report(unit("株洲市芦淞区民政局", score=None))
    s = ws.summary(2024)
    assert _rules(s) == [("units.unscored", "株洲市芦淞区民政局")]
    assert "1 项未评分" in s.findings[0].message


def test_a_note_accepts_a_finding_and_stays_with_the_database(db_path: Path) -> None:
    ws = Workspace.open(db_path)
    ws.add_report(unit("株洲市芦淞区民政局"))
    ws.set_expected_units(["株洲市芦淞区民政局", "株洲市芦淞区审计局"])
    [missing] = ws.summary(2024).findings
    note_id = ws.add_summary_note(2024, missing.rule, missing.place_id, "该单位2024年已撤并")
    ws.close()
    ws = Workspace.open(db_path)
    try:
        s = ws.summary(2024)
        [finding] = s.findings
        assert finding.resolved_by is not None and finding.resolved_by.text == "该单位2024年已撤并"
        assert s.open_errors == []
        later = [f for f in ws.summary(2025).findings if f.place_id == missing.place_id]
        assert later[0].resolved_by is None  # a 说明 is for its year's summary
        deleted = ws.delete_summary_note(note_id)
        assert ws.summary(2024).open_errors == [dataclasses.replace(finding, resolved_by=None)]
        ws.add_summary_note(
            2024, deleted.note.rule, deleted.note.place, deleted.note.text, deleted.id
        )
        assert ws.summary(2024).open_errors == []
    finally:
        ws.close()


def test_the_readme_lists_the_cross_unit_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs_table() in readme
    assert len(SUMMARY_RULES) == 5
    import perfdesk.summary.checks as checks

    assert docs_table() in (checks.__doc__ or "")

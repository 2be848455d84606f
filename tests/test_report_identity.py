"""A report's unit and year are checked on every edit, and an import may replace a report only
after a backup — the services the window's 改正单位名称/年度, 单位名称 field and 导入 rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfdesk.domain.numbers import InputError
from perfdesk.domain.templates import new_report
from perfdesk.services import DuplicateReport, Workspace


@pytest.fixture
def ws(tmp_path: Path):
    ws = Workspace.open(tmp_path / "a.db")
    yield ws
    ws.close()


def test_editing_the_unit_name_to_another_reports_unit_and_year_is_refused(ws) -> None:
    first = ws.create_report("甲单位", 2024)
    ws.create_report("乙单位", 2024)
    with pytest.raises(DuplicateReport, match="已有“乙单位”2024年度"):
        ws.update("report", first, {"unit_name": "乙单位"})
    with pytest.raises(InputError, match="单位名称不能为空"):
        ws.update("report", first, {"unit_name": "   "})
    with pytest.raises(InputError, match="2000–2100"):
        ws.update("report", first, {"year": 20245})
    assert (ws.load(first).unit_name, ws.load(first).year) == ("甲单位", 2024)
    before = ws.update("report", first, {"unit_name": "  丙单位 "})
    assert before == {"unit_name": "甲单位"} and ws.load(first).unit_name == "丙单位"
    # other fields of the report are not checked (nor slowed down) by this
    assert ws.update("report", first, {"preparer": "张三"}) == {"preparer": ""}


def test_replacing_a_report_backs_the_database_up_first(ws) -> None:
    old = ws.create_report("甲单位", 2024)
    ws.update("report", old, {"preparer": "张三"})
    incoming = new_report("甲单位", 2024)
    incoming.preparer = "李四"
    rid, backup = ws.replace_report(incoming, old)
    assert [r.id for r in ws.list_reports()] == [rid]
    assert ws.load(rid).preparer == "李四"
    assert backup.kind == "predelete" and backup.reports == ("2024年度 甲单位",)


def test_a_replace_that_would_still_duplicate_changes_nothing(ws) -> None:
    a = ws.create_report("甲单位", 2024)
    b = ws.create_report("乙单位", 2024)
    with pytest.raises(DuplicateReport):
        ws.replace_report(new_report("乙单位", 2024), a)  # b has that unit and year
    assert sorted(r.id for r in ws.list_reports()) == [a, b]

"""汇集: a folder of exchange files in one step — a result per file, nothing partial, nothing
overwritten, a bad file and a duplicate among the good ones."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from perfdesk.cli import main
from perfdesk.exchange.jsonfile import dump_bytes, dumps
from perfdesk.services import Workspace
from perfdesk.summary.gather import Outcome, counts, folder_files, gather_folder
from tests.benchmarks.make_units import write_exchange_files
from tests.summary.conftest import department, unit


def _folder(tmp_path: Path, generated: list) -> Path:
    folder = tmp_path / "收到的报告"
    write_exchange_files(generated[:12], folder)
    (folder / "损坏的文件.json").write_bytes(dump_bytes(generated[12])[:500])  # cut off
    (folder / "重复发送.json").write_bytes(dump_bytes(generated[0]))  # the same as file 001
    changed = generated[1]
    changed_text = dumps(changed).replace(
        str(changed.budget_line("total").full_year_budget), "1.00", 1
    )
    (folder / "第二版").mkdir()
    (folder / "第二版" / "改过的报告.json").write_text(changed_text, encoding="utf-8")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".隐藏.json").write_bytes(b"{}")  # hidden: not the clerk's file
    (folder / "~$锁定.json").write_bytes(b"")  # Office's lock file
    return folder


def test_a_folder_is_gathered_file_by_file(ws: Workspace, generated: list, tmp_path: Path) -> None:
    folder = _folder(tmp_path, generated)
    seen: list[tuple[int, int]] = []
    results = gather_folder(ws, folder, lambda done, total, path: seen.append((done, total)))
    by_name = {r.path.name: r for r in results}

    assert len(results) == 12 + 4  # hidden and lock files are not looked at
    assert seen[0] == (0, 16) and seen[-1] == (16, 16)
    assert counts(results) == {
        Outcome.IMPORTED: 12,
        Outcome.PRESENT: 1,
        Outcome.REFUSED: 2,
        Outcome.SKIPPED: 1,
    }
    assert by_name["损坏的文件.json"].outcome == Outcome.REFUSED
    assert "JSON" in by_name["损坏的文件.json"].message
    assert by_name["重复发送.json"].outcome == Outcome.PRESENT
    assert "内容相同" in by_name["重复发送.json"].message
    changed = by_name["改过的报告.json"]
    assert changed.outcome == Outcome.REFUSED and "但内容不同，未导入" in changed.message
    assert by_name["说明.pdf"].outcome == Outcome.SKIPPED

    # nothing partial: exactly the twelve good reports are stored, each whole
    stored = ws.list_reports()
    assert len(stored) == 12
    assert generated[12].unit_name not in {s.unit_name for s in stored}
    first = ws.load(by_name[results[1].path.name].report_id)
    assert dumps(first) == dumps(generated[1])  # the first version stays: never overwritten
    assert first.budget_line("total").full_year_budget != D("1.00")


def test_the_same_unit_twice_in_one_folder_with_different_content_is_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_bytes(dump_bytes(unit("甲", executed="80.00")))
    (folder / "b.json").write_bytes(dump_bytes(unit("甲", executed="85.00")))
    results = gather_folder(ws, folder)
    assert [r.outcome for r in results] == [Outcome.IMPORTED, Outcome.REFUSED]
    assert "与本次汇集的文件“a.json”同为" in results[1].message
    assert ws.load(results[0].report_id).budget_line("total").executed == D("80.00")


def test_a_report_already_stored_with_other_content_is_never_overwritten(
    ws: Workspace, tmp_path: Path
) -> None:
    rid = ws.add_report(unit("甲", executed="80.00"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "甲.json").write_bytes(dump_bytes(unit("甲", executed="99.00")))
    [result] = gather_folder(ws, folder)
    assert result.outcome == Outcome.REFUSED and result.report_id == rid
    assert "内容与文件不同，未覆盖" in result.message and "--replace" not in result.message
    assert ws.load(rid).budget_line("total").executed == D("80.00")


def test_gathering_again_finds_everything_there_even_after_a_report_was_opened(
    ws: Workspace, generated: list, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    write_exchange_files(generated[:5], folder)
    first = gather_folder(ws, folder)
    ws.ensure_fixed_rows(first[0].report_id)  # what opening it in the window does
    again = gather_folder(ws, folder)
    assert [r.outcome for r in again] == [Outcome.PRESENT] * 5
    assert len(ws.list_reports()) == 5


def test_a_cancelled_gathering_keeps_what_it_imported(
    ws: Workspace, generated: list, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    write_exchange_files(generated[:6], folder)
    results = gather_folder(ws, folder, lambda done, total, path: done < 3)
    assert [r.outcome for r in results] == [Outcome.IMPORTED] * 3 + [Outcome.SKIPPED] * 3
    assert "已取消" in results[-1].message
    assert len(ws.list_reports()) == 3


def test_not_a_folder_is_refused_in_chinese(tmp_path: Path) -> None:
    from perfdesk.domain.numbers import InputError

    with pytest.raises(InputError, match="不是文件夹"):
        folder_files(tmp_path / "没有这个文件夹")


def test_perfdesk_import_takes_a_folder(
    tmp_path: Path, generated: list, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path, generated)
    db = tmp_path / "主管部门.db"
    code = main(["import", str(folder), "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 2  # two files refused; the others are in
    assert "[ 1/16] 001-2024-" in out
    assert "[16/16] 第二版/改过的报告.json：未导入。" in out
    assert "共 16 个文件：已导入 12，已存在 1，未导入 2，已跳过 1" in out
    ws = Workspace.open(db)
    try:
        assert len(ws.list_reports()) == 12
        # the summary rows were worked out while gathering: the summary opens from the cache
        assert ws.summary(2024, lambda done, total: pytest.fail("a row was stale")).unit_count
        assert ws.summary(2024).unit_count == len(department(generated[:12]))
    finally:
        ws.close()


def test_perfdesk_import_of_a_folder_never_replaces(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    (tmp_path / "in").mkdir()
    assert main(["import", str(tmp_path / "in"), "--replace", "--db", str(tmp_path / "a.db")]) == 2
    assert "汇集文件夹时不替换已有的报告" in capsys.readouterr().err

"""``perfdesk pdf``: a report from the database printed to a file, failures in one Chinese line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from perfdesk.cli import main
from perfdesk.exchange.jsonfile import dumps
from tests.report.factory import filled_report


@pytest.fixture
def db(tmp_path: Path) -> Path:
    src = tmp_path / "report.json"
    src.write_text(dumps(filled_report()), encoding="utf-8")
    path = tmp_path / "a.db"
    assert main(["import", str(src), "--db", str(path)]) == 0
    return path


def test_pdf_command_prints_the_report(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "自评报告.pdf"
    assert main(["pdf", "--db", str(db), "-o", str(out)]) == 0
    pages = len(PdfReader(out).pages)
    captured = capsys.readouterr()
    assert f"已生成 PDF（草稿）：2024年度 测试市民政局，共 {pages} 页" in captured.out
    lines = captured.err.splitlines()
    # The draft is said first, with the number of open 错误; then notes about fonts; no traceback.
    assert lines[0].startswith("perfdesk：警告：审核还有 ")
    assert "项错误未改正或说明，PDF 为草稿" in lines[0]
    for line in lines[1:]:
        assert line.startswith("perfdesk：提示：")


def test_pdf_command_with_report_id_and_help(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pdf", "--db", str(db), "--report", "1", "-o", str(tmp_path / "x.pdf")]) == 0
    assert main(["pdf", "--db", str(db), "--report", "9", "-o", str(tmp_path / "y.pdf")]) == 2
    assert "没有编号为 9 的报告" in capsys.readouterr().err
    assert not (tmp_path / "y.pdf").exists()
    assert main(["pdf", "--db", str(db)]) == 2  # -o is required
    assert "命令行参数有误" in capsys.readouterr().err


def test_pdf_into_a_missing_folder_fails_in_one_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["pdf", "--db", str(db), "-o", str(tmp_path / "nope" / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "不存在" in err and "Traceback" not in err


def test_pdf_over_a_read_only_file_keeps_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "old.pdf"
    out.write_bytes(b"old")
    out.chmod(stat.S_IREAD)
    try:
        assert main(["pdf", "--db", str(db), "-o", str(out)]) == 2
    finally:
        out.chmod(stat.S_IREAD | stat.S_IWRITE)
    assert "只读" in capsys.readouterr().err
    assert out.read_bytes() == b"old"


def _db_of(tmp_path: Path, report_json: str, name: str) -> Path:
    src = tmp_path / f"{name}.json"
    src.write_text(report_json, encoding="utf-8")
    path = tmp_path / f"{name}.db"
    assert main(["import", str(src), "--db", str(path)]) == 0
    return path


def test_pdf_of_the_sample_is_a_marked_draft_and_final_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from perfdesk.report import DRAFT_MARK, open_errors
    from perfdesk.sample import load_sample, sample_bytes

    count = len(open_errors(load_sample()))
    assert count > 10  # the published report's own contradictions
    db = _db_of(tmp_path, sample_bytes().decode("utf-8"), "sample")
    capsys.readouterr()
    out = tmp_path / "draft.pdf"
    assert main(["pdf", "--db", str(db), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"审核还有 {count} 项错误未改正或说明" in err
    pages = PdfReader(out).pages
    assert all(DRAFT_MARK in (page.extract_text() or "") for page in pages)
    final = tmp_path / "final.pdf"
    assert main(["pdf", "--db", str(db), "--final", "-o", str(final)]) == 1
    err = capsys.readouterr().err
    assert "未生成正式版 PDF" in err and f"审核还有 {count} 项错误" in err
    assert "与项目支出（全年执行数） 4175.33 万元不一致" in err  # says which
    assert not final.exists()


def test_pdf_of_the_corrected_sample_prints_clean_even_as_final(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from perfdesk.report import DRAFT_MARK

    corrected = Path(__file__).parents[1] / "fixtures" / "sample_corrected.json"
    db = _db_of(tmp_path, corrected.read_text(encoding="utf-8"), "corrected")
    capsys.readouterr()
    out = tmp_path / "final.pdf"
    assert main(["pdf", "--db", str(db), "--final", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "已生成 PDF（正式版）" in captured.out
    assert "审核" not in captured.err
    assert not any(DRAFT_MARK in (p.extract_text() or "") for p in PdfReader(out).pages)

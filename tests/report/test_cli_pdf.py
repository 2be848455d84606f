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
    assert f"已生成 PDF：2024年度 测试市民政局，共 {pages} 页" in captured.out
    for line in captured.err.splitlines():  # only notes about fonts, never a traceback
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

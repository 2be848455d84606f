"""The `perfdesk` command: what a clerk or a script sees — one Chinese line per failure, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from perfdesk.cli import main
from perfdesk.domain.templates import new_project, new_report
from perfdesk.exchange.jsonfile import dumps
from perfdesk.services import Workspace

ROOT = Path(__file__).resolve().parent.parent


def _exchange_file(tmp_path: Path, unit: str = "测试单位", year: int = 2024) -> Path:
    r = new_report(unit, year)
    r.projects = [new_project("项目甲")]
    r.projects[0].executed = Decimal("12.34")
    path = tmp_path / f"{unit}-{year}.json"
    path.write_text(dumps(r), encoding="utf-8")
    return path


def test_import_then_list_then_export_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    src = _exchange_file(tmp_path)
    assert main(["import", str(src), "--db", str(db)]) == 0
    assert main(["list", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "2024年度\t测试单位\t项目 1 个" in out
    exported = tmp_path / "out.json"
    assert (
        main(["export", "--db", str(db), "-o", str(exported)]) == 0
    )  # --report left out: one report
    assert exported.read_bytes() == src.read_bytes()


def test_export_into_an_empty_database_and_again_is_byte_identical(tmp_path: Path) -> None:
    src = _exchange_file(tmp_path)
    first_db, second_db = tmp_path / "1.db", tmp_path / "2.db"
    main(["import", str(src), "--db", str(first_db)])
    main(["export", "--db", str(first_db), "-o", str(tmp_path / "e1.json")])
    main(["import", str(tmp_path / "e1.json"), "--db", str(second_db)])
    main(["export", "--db", str(second_db), "-o", str(tmp_path / "e2.json")])
    assert (tmp_path / "e1.json").read_bytes() == (tmp_path / "e2.json").read_bytes()


def test_importing_the_same_unit_and_year_twice_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    src = _exchange_file(tmp_path)
    main(["import", str(src), "--db", str(db)])
    assert main(["import", str(src), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "已有“测试单位”2024年度的部门整体支出绩效自评报告" in err and "--replace" in err
    assert len(Workspace.open(db).list_reports()) == 1
    assert main(["import", str(src), "--db", str(db), "--replace"]) == 0


def _db_bytes(db: Path) -> bytes:
    return db.read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "不是有效的 JSON"),
        ('{"format": "perfdesk-report"}'.encode("gbk") + "\u4e2d".encode("gbk"), "UTF-8"),
        (b'{"format": "perfdesk-report", "version": 7, "report": {}}', "版本 7 不受支持"),
    ],
)
def test_bad_exchange_files_leave_the_database_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    db = tmp_path / "a.db"
    main(["import", str(_exchange_file(tmp_path)), "--db", str(db)])
    before = _db_bytes(db)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["import", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert _db_bytes(db) == before


def test_an_over_precise_amount_is_refused_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _exchange_file(tmp_path)
    doc = json.loads(src.read_text("utf-8"))
    doc["report"]["projects"][0]["executed"] = "12.345678"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "a.db"
    assert main(["import", str(src), "--db", str(db)]) == 2
    assert "report.projects[0].executed" in capsys.readouterr().err
    assert not db.exists()  # refused before the database was even opened


def test_a_db_that_is_not_perfdesk_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "word.docx"
    db.write_bytes(b"PK\x03\x04 some zip")
    assert main(["list", "--db", str(db)]) == 2
    assert "不是 perfdesk 数据库" in capsys.readouterr().err
    assert db.read_bytes() == b"PK\x03\x04 some zip"


def test_report_must_be_named_when_there_are_several(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    main(["import", str(_exchange_file(tmp_path, year=2023)), "--db", str(db)])
    main(["import", str(_exchange_file(tmp_path, year=2024)), "--db", str(db)])
    capsys.readouterr()
    assert main(["export", "--db", str(db), "-o", str(tmp_path / "x.json")]) == 2
    assert "请用 --report 指定编号" in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--report", "99", "-o", str(tmp_path / "x.json")]) == 2
    assert "没有编号为 99 的报告" in capsys.readouterr().err


def test_export_to_a_missing_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    main(["import", str(_exchange_file(tmp_path)), "--db", str(db)])
    assert main(["export", "--db", str(db), "-o", str(tmp_path / "nope" / "x.json")]) == 2
    assert "不存在" in capsys.readouterr().err


def test_export_to_a_file_of_another_kind_is_refused_not_written_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`export -o 报告.pdf` wrote an exchange file under a PDF's name (walkthrough)."""
    db = tmp_path / "a.db"
    main(["import", str(_exchange_file(tmp_path)), "--db", str(db)])
    capsys.readouterr()
    for name, words in (("报告.pdf", "perfdesk pdf"), ("报告.txt", ".json")):
        assert main(["export", "--db", str(db), "-o", str(tmp_path / name)]) == 2
        err = capsys.readouterr().err
        assert words in err and "未写入" in err, err
        assert not (tmp_path / name).exists()
    # no extension: the exchange file, as before; --format names the format whatever the name
    assert main(["export", "--db", str(db), "-o", str(tmp_path / "交换")]) == 0
    assert json.loads((tmp_path / "交换").read_text(encoding="utf-8"))
    assert main(["export", "--db", str(db), "-o", str(tmp_path / "x.dat"), "--format", "json"]) == 0


def test_bad_arguments_are_answered_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 2
    err = capsys.readouterr().err
    assert "命令行参数有误" in err and "Traceback" not in err


def test_python_dash_m_perfdesk_is_the_same_command(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    Workspace.open(tmp_path / "m.db").close()  # an empty database (list never makes one)
    result = subprocess.run(
        [sys.executable, "-m", "perfdesk", "list", "--db", str(tmp_path / "m.db")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "还没有报告" in result.stdout


def test_an_internal_error_is_one_line_and_the_traceback_goes_to_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfdesk.cli import reports

    def broken(args):  # a bug somewhere deep in a command
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(reports.COMMANDS, "list", (reports.COMMANDS["list"][0], broken))
    assert main(["list", "--db", str(tmp_path / "a.db")]) == 3
    err = capsys.readouterr().err
    assert "内部错误" in err and "Traceback" not in err
    log = Path(os.environ["PERFDESK_LOG_DIR"]) / "perfdesk.log"
    assert "ZeroDivisionError: boom" in log.read_text("utf-8")


def test_reading_commands_work_while_the_window_holds_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.db"
    main(["import", str(_exchange_file(tmp_path)), "--db", str(db)])
    holder = Workspace.open(db)  # the window, as the one writer
    try:
        capsys.readouterr()
        assert main(["list", "--db", str(db)]) == 0
        assert "测试单位" in capsys.readouterr().out
        assert main(["import", str(_exchange_file(tmp_path, year=2030)), "--db", str(db)]) == 2
        assert "另一个 perfdesk" in capsys.readouterr().err
    finally:
        holder.close()


def test_export_over_a_read_only_file_keeps_the_old_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import stat

    db = tmp_path / "a.db"
    main(["import", str(_exchange_file(tmp_path)), "--db", str(db)])
    target = tmp_path / "old.json"
    target.write_text("旧文件", encoding="utf-8")
    target.chmod(stat.S_IREAD)
    capsys.readouterr()
    assert main(["export", "--db", str(db), "-o", str(target)]) == 2
    assert "只读" in capsys.readouterr().err
    assert target.read_text("utf-8") == "旧文件"


def test_output_never_fails_on_a_gbk_console(tmp_path: Path) -> None:
    # A redirected console on a Chinese Windows writes GBK; 𠀀 (U+20000) is not in GBK. The
    # command must still print everything else and succeed, the missing character replaced.
    db = tmp_path / "a.db"
    assert (
        main(["import", str(_exchange_file(tmp_path, unit="芦淞区𠀀村委会")), "--db", str(db)]) == 0
    )
    env = dict(os.environ, PYTHONIOENCODING="gbk", PYTHONPATH=str(ROOT))
    listed = subprocess.run(
        [sys.executable, "-m", "perfdesk", "list", "--db", str(db)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr.decode("gbk", "replace")
    assert "芦淞区?村委会".encode("gbk") in listed.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "perfdesk", "import", str(tmp_path / "𠀀.json"), "--db", str(db)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert missing.returncode == 2
    said = missing.stderr.decode("gbk")
    assert said.startswith("perfdesk：") and "?.json" in said and "Traceback" not in said


def test_a_summary_of_a_year_without_units_says_so_and_that_the_sample_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`summary --year 1999` printed an empty table and exit 0 (walkthrough)."""
    db = str(tmp_path / "a.db")
    assert main(["sample", "--db", db]) == 0
    capsys.readouterr()
    assert main(["summary", "--db", db, "--year", "2024"]) == 2
    err = capsys.readouterr().err
    assert "没有2024年度各单位" in err and "示例报告不计入汇总" in err
    assert main(["import", str(_exchange_file(tmp_path, "甲单位", 2023)), "--db", db]) == 0
    capsys.readouterr()
    assert main(["summary", "--db", db, "--year", "1999"]) == 2
    assert "有报告的年度：2023" in capsys.readouterr().err
    assert main(["summary", "--db", db, "--year", "2023"]) == 0
    assert "甲单位" in capsys.readouterr().out

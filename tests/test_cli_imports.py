"""``perfdesk --version`` and ``--help`` answer at once: they load neither the database layer
(SQLAlchemy) nor the printout (ReportLab) nor Qt, and no command loads what it does not use.

Each case runs in a fresh interpreter (this test process has long imported everything) and
reads ``sys.modules`` after ``perfdesk.cli.main`` returned. No timings: the figures are in
``tests/benchmarks/bench_cli.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import perfdesk

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("sqlalchemy", "alembic", "reportlab", "PySide6", "shiboken6", "perfdesk_ui")

PROBE = """
import contextlib, io, json, sys
from perfdesk.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(json.loads(sys.argv[1]))
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _run(argv: list[str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _heavy(modules: object) -> list[str]:
    assert isinstance(modules, list)
    return sorted({m.split(".")[0] for m in modules if m.split(".")[0] in HEAVY})


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["-h"]])
def test_version_and_help_load_neither_database_nor_printout(argv: list[str]) -> None:
    result = _run(argv)
    assert result["code"] == 0
    assert "perfdesk" in str(result["out"])
    assert _heavy(result["modules"]) == []
    # Not even the log folder: --version writes nothing anywhere.
    assert "perfdesk.logging_setup" not in result["modules"]  # type: ignore[operator]


@pytest.mark.parametrize("command", ["pdf", "list", "export", "audit", "summary", "backups"])
def test_a_commands_help_loads_only_its_own_module(command: str) -> None:
    result = _run([command, "--help"])
    assert result["code"] == 0
    assert _heavy(result["modules"]) == []
    modules = [m for m in result["modules"] if m.startswith("perfdesk.cli.")]  # type: ignore[union-attr]
    assert len(modules) <= 3  # common, zh and the command's own module


def test_printing_a_pdf_loads_neither_qt_nor_the_office_formats_nor_sqlalchemy(
    tmp_path: Path,
) -> None:
    db, pdf = tmp_path / "s.db", tmp_path / "s.pdf"
    assert _run(["sample", "--db", str(db)])["code"] == 0
    result = _run(["pdf", "--db", str(db), "-o", str(pdf)])
    assert result["code"] == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    modules = set(result["modules"])  # type: ignore[call-overload]
    # A command that only reads reads with plain sqlite3 (perfdesk.storage.rows): the ORM is for
    # edits, and importing it cost 0.3 s of the 0.7 s the command took.
    for unused in (
        "PySide6",
        "perfdesk_ui",
        "openpyxl",
        "docx",
        "alembic",
        "sqlalchemy",
        "perfdesk.storage.repository",
        "perfdesk.exchange",
    ):
        assert unused not in modules, unused


@pytest.mark.parametrize("argv", [["list"], ["audit"]])
def test_listing_and_auditing_read_without_sqlalchemy(tmp_path: Path, argv: list[str]) -> None:
    db = tmp_path / "s.db"
    assert _run(["sample", "--db", str(db)])["code"] == 0
    result = _run([*argv, "--db", str(db)])
    assert result["code"] in (0, 1)  # audit: 1 when it has findings
    assert "株洲市芦淞区民政局" in str(result["out"]) or argv == ["audit"]
    assert str(result["out"]).strip()
    assert "sqlalchemy" not in set(result["modules"])  # type: ignore[call-overload]


def test_the_version_is_the_projects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert perfdesk.__version__ == project["version"]
    assert perfdesk.__version__ == metadata.version("perfdesk")  # as installed (pip install -e)


def test_the_database_given_before_the_command_is_used(tmp_path: Path) -> None:
    db = tmp_path / "given.db"
    assert _run(["--db", str(db), "sample"])["code"] == 0
    assert db.exists()
    listed = _run(["--db", str(db), "list"])
    assert "株洲市芦淞区民政局" in str(listed["out"])


def test_a_command_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    import gc

    from perfdesk.cli import main

    db, pdf = tmp_path / "s.db", tmp_path / "s.pdf"
    assert main(["sample", "--db", str(db)]) == 0
    before = (gc.get_threshold(), gc.isenabled(), gc.get_freeze_count())
    assert main(["pdf", "--db", str(db), "-o", str(pdf)]) == 0
    assert (gc.get_threshold(), gc.isenabled(), gc.get_freeze_count()) == before
    assert main(["pdf", "--db", str(tmp_path / "missing.db"), "-o", str(pdf)]) == 2
    assert (gc.get_threshold(), gc.isenabled(), gc.get_freeze_count()) == before


def test_what_a_command_preloads_is_a_module_of_perfdesk_it_names() -> None:
    import importlib

    from perfdesk.cli import COMMANDS, command_module

    for name in COMMANDS:
        preload = getattr(command_module(name), "PRELOAD", {})
        assert set(preload) <= set(command_module(name).COMMANDS), name
        for module in preload.get(name, ()):
            assert module.startswith("perfdesk."), module
            importlib.import_module(module)

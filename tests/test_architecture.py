"""The layers hold: the headless core never imports Qt or the UI (import-linter contracts)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    # lint-imports reads the contracts from pyproject.toml; run it on this checkout.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kept, 0 broken" in result.stdout


def test_every_package_folder_is_listed_in_pyproject() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    # Installed names: the folders ui/ and resources/ are installed as perfdesk_ui, perfdesk_resources.
    folders = {"perfdesk": "perfdesk", **setuptools["package-dir"]}
    assert folders["perfdesk_ui"] == "ui" and folders["perfdesk_resources"] == "resources"
    found = {
        ".".join((name, *init.parent.relative_to(ROOT / folder).parts))
        for name, folder in folders.items()
        if name != "perfdesk_resources"  # data only: its subfolders are package data
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_no_installed_top_level_name_is_generic() -> None:
    # A distribution's top-level names share site-packages with every other distribution's.
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    tops = {name.split(".")[0] for name in packages["packages"]}
    assert tops == {"perfdesk", "perfdesk_ui", "perfdesk_resources"}


def test_the_code_is_ruff_formatted_and_lint_clean() -> None:
    # One format for every file: a diff is then always about content. ruff is pinned in pyproject.
    for args in (["format", "--check", "."], ["check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr

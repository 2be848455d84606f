"""Small helpers shared by the storage tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from perfdesk.domain.model import Report
from perfdesk.domain.templates import new_project, new_report


def small_report(unit: str = "测试单位", year: int = 2024) -> Report:
    r = new_report(unit, year)
    p = new_project("项目甲")
    p.executed = Decimal("123.45")
    r.projects = [p]
    r.budget_line("total").executed = Decimal("4532.05")
    return r


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to prove nothing was written or left behind)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }

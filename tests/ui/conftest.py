"""Fixtures for driving the desktop app: a database with a filled-in report and the main window."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from perfdesk.domain import model as m
from perfdesk.domain.templates import new_project, new_report


def filled_report(unit: str = "株洲市芦淞区民政局", year: int = 2024) -> m.Report:
    """A small report with figures in every tab (independent of the shipped sample)."""
    r = new_report(unit, year)
    r.preparer, r.phone = "张三", "0731-12345678"
    r.posts[0].count, r.posts[1].count = 20, 10
    r.actual_staff = 27
    r.lists = {
        "offices": [m.ListItem("办公室"), m.ListItem("社会救助股")],
        "duties": [m.ListItem("贯彻执行民政工作的法律法规。"), m.ListItem("负责社会救助工作。")],
    }
    r.budget_lines[0].initial_budget = D("4572.76")
    r.budget_lines[0].full_year_budget = D("4532.05")
    r.budget_lines[0].executed = D("4500.00")
    for line in r.control_lines:
        if line.key == "three_public.reception":
            line.prior_final, line.budget, line.final = D("1.20"), D("1.50"), D("1.00")
    p1 = new_project("城乡低保资金")
    p1.full_year_budget, p1.executed = D("1000.00"), D("900.00")
    p2 = new_project("养老服务补贴")
    r.projects = [p1, p2]
    ind = r.indicators[0]
    ind.name, ind.method, ind.target_value, ind.actual_value, ind.weight = (
        "低保对象人数",
        m.Method.AT_LEAST,
        D("100"),
        D("100"),
        D("20"),
    )
    r.sections[1].text = "本单位内设科室若干。"
    return r


@pytest.fixture
def workspace(db_path: Path) -> Any:
    from perfdesk.services import Workspace

    ws = Workspace.open(db_path)
    ws.add_report(filled_report())
    yield ws


def _shown_window(qtbot: Any, workspace: Any) -> Iterator[Any]:
    """The main window on ``workspace``, shown at 1280×800 as a clerk would see it."""
    from perfdesk_ui.app import application
    from perfdesk_ui.main_window import MainWindow

    application()
    w = MainWindow(workspace)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    w.close()


@pytest.fixture
def window(qtbot: Any, workspace: Any) -> Any:
    yield from _shown_window(qtbot, workspace)


@pytest.fixture
def report_id(workspace: Any) -> int:
    return workspace.list_reports()[0].id


@pytest.fixture
def sample_workspace(db_path: Path) -> Any:
    """A database holding the shipped sample report (the published 2024 report, with its faults)."""
    from perfdesk.sample import load_sample
    from perfdesk.services import Workspace

    ws = Workspace.open(db_path)
    ws.add_report(load_sample())
    yield ws


@pytest.fixture
def sample_window(qtbot: Any, sample_workspace: Any) -> Any:
    yield from _shown_window(qtbot, sample_workspace)

"""The layout at 1280×800 with the 审核 panel open (#14, point 1 and the header of point 9): every
column of the budget and scoring tables in view with its header readable, the small grids as tall
as their rows (no scrollbars inside the page's), and at 1920×1080 the tables use the room."""

from __future__ import annotations

from typing import Any

from perfdesk_ui.tabs.funds import FundsTab
from perfdesk_ui.tabs.projects import ProjectsTab
from perfdesk_ui.tabs.scores import ScoresTab
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea


def _show(window: Any, cls: type) -> Any:
    tab = window.tab(cls)
    window.tabs.setCurrentWidget(tab)
    return tab


def _settle(qtbot: Any, window: Any) -> None:
    window.layout().activate()
    qtbot.wait(50)


def assert_every_column_in_view(window: Any, view: Any) -> None:
    """No hidden column: each lies inside the view's viewport, wide enough for its header, and the
    view itself lies inside the window (not pushed off the right edge)."""
    model = view.model()
    name = model.columns[0].header
    assert view.isVisible(), name
    assert not view.horizontalScrollBar().isVisible(), f"{name}: a sideways scrollbar"
    viewport = view.viewport().width()
    header_font = view.horizontalHeader().fontMetrics()
    for col, column in enumerate(model.columns):
        x, width = view.columnViewportPosition(col), view.columnWidth(col)
        assert not view.isColumnHidden(col)
        assert x >= 0 and x + width <= viewport, f"“{column.header}” is outside the view"
        text = max(header_font.horizontalAdvance(t) for t in column.display.split("\n"))
        assert width >= text, f"the header “{column.header}” is cut off ({width} < {text})"
    left = view.mapTo(window, QPoint(0, 0)).x()
    assert left >= 0 and left + view.width() <= window.width(), f"{name}: off the window"


def assert_every_row_in_view(view: Any) -> None:
    """A grid on a scrolling page shows all its rows itself (the page scrolls, not the grid)."""
    model = view.model()
    assert not view.verticalScrollBar().isVisible(), "a scrollbar inside the page"
    last = model.rowCount() - 1
    bottom = view.rowViewportPosition(last) + view.rowHeight(last)
    assert view.rowViewportPosition(0) == 0 and bottom <= view.viewport().height()


def test_budget_and_control_grids_show_every_cell_at_1280x800_with_the_audit_panel(
    qtbot, sample_window
):
    w = sample_window
    w.run_audit()
    assert w.audit_dock.isVisible()
    assert w.dockWidgetArea(w.audit_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    tab = _show(w, FundsTab)
    _settle(qtbot, w)
    assert (w.width(), w.height()) == (1280, 800)
    for view in (tab.budget_view, tab.control_view):
        assert_every_column_in_view(w, view)
        assert_every_row_in_view(view)
    page = tab.findChild(QScrollArea)
    assert not page.horizontalScrollBar().isVisible()
    # the two grids stand side by side, each at least as wide as its columns need
    assert tab.budget_view.mapTo(w, QPoint(0, 0)).y() == tab.control_view.mapTo(w, QPoint(0, 0)).y()


def test_scoring_tables_show_every_column_at_1280x800_with_the_audit_panel(qtbot, sample_window):
    w = sample_window
    w.run_audit()
    tab = _show(w, ScoresTab)
    _settle(qtbot, w)
    assert w.audit_dock.isVisible()
    assert_every_column_in_view(w, tab.editor.indicators.view)
    assert_every_column_in_view(w, tab.editor.groups.view)
    assert_every_row_in_view(tab.editor.groups.view)
    # the table keeps enough height to work in: several rows of indicators in view
    view = tab.editor.indicators.view
    assert view.viewport().height() >= 4 * view.verticalHeader().defaultSectionSize()
    # a project's own table (附件3) too
    projects = _show(w, ProjectsTab)
    projects.detail.setCurrentIndex(1)
    _settle(qtbot, w)
    assert_every_column_in_view(w, projects.indicators.indicators.view)
    assert_every_column_in_view(w, projects.table.view)


def test_at_1920x1080_the_tables_use_the_room(qtbot, sample_window):
    w = sample_window
    w.run_audit()
    tab = _show(w, ScoresTab)
    _settle(qtbot, w)
    view = tab.editor.indicators.view
    narrow = (view.width(), view.viewport().height(), view.columnWidth(2))
    w.resize(1920, 1080)
    _settle(qtbot, w)
    assert (w.width(), w.height()) == (1920, 1080)
    assert_every_column_in_view(w, view)
    wide = (view.width(), view.viewport().height(), view.columnWidth(2))
    assert wide[0] >= w.width() - 60  # the table spans the window
    assert wide[1] > narrow[1] + 200  # and shows more rows
    assert wide[2] > narrow[2]  # 三级指标 gets the extra width: fewer wrapped lines

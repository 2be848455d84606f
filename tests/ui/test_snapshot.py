"""The window's report snapshot stays what the database holds, edit after edit.

The window no longer reads the whole report back after each edit: a step that changes fields
applies the committed change to the snapshot it holds; a step that adds, removes or moves rows
reads the report back. Whatever the mix — cells typed, blocks pasted and cleared, rows inserted,
deleted and moved, undo and redo, another report opened and back — the snapshot must equal a
fresh ``Workspace.load``, and the 审核 panel (which follows once typing pauses) must list what a
fresh audit finds.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from perfdesk_ui.commands import DeleteRows, MoveRow, SetFields
from perfdesk_ui.tabs.funds import FundsTab
from perfdesk_ui.tabs.scores import ScoresTab

from perfdesk.domain.audit import audit
from tests.ui.conftest import filled_report
from tests.ui.helpers import audited, col_of


def _same_as_stored(w: Any, ws: Any) -> None:
    stored = ws.load(w.doc.report_id)
    assert w.doc.report == stored
    assert repr(w.doc.report) == repr(stored)  # 1.50 against 1.5 too


def _same_findings(qtbot: Any, w: Any, ws: Any) -> None:
    shown = audited(qtbot, w)
    stored = ws.load(w.doc.report_id)
    assert shown == audit(stored, ws.previous_report(stored))
    assert w.audit_dock.list.count() == len(shown)


def _show(w: Any, cls: type) -> Any:
    tab = w.tab(cls)
    w.tabs.setCurrentWidget(tab)
    return tab


class Clerk:
    """Random but repeatable steps of the kinds a clerk takes."""

    def __init__(self, w: Any, seed: int) -> None:
        self.w, self.rng = w, random.Random(seed)

    def amount(self) -> str:
        return f"{self.rng.randint(0, 5000)}.{self.rng.randint(0, 99):02d}"

    def budget_cell(self) -> None:
        tab = _show(self.w, FundsTab)
        model = tab.budget_model
        cells = [
            (r, c)
            for r in range(model.rowCount())
            for c in range(model.columnCount())
            if model.is_editable(r, c)
        ]
        r, c = self.rng.choice(cells)
        assert model.setData(model.index(r, c), self.rng.choice([self.amount(), "", "12.5"]))

    def indicators(self) -> Any:
        return _show(self.w, ScoresTab).editor.indicators

    def indicator_cell(self) -> None:
        model = self.indicators().model
        if not model.editable_row_count():
            return
        r = self.rng.randrange(model.editable_row_count())
        field = self.rng.choice(["deviation_reason", "score", "name", "weight"])
        col = next(i for i, c in enumerate(model.columns) if c.field == field)
        value = {
            "deviation_reason": f"原因{self.rng.randint(0, 99)}",
            "score": str(self.rng.randint(0, 30)),
            "name": f"指标{self.rng.randint(0, 99)}",
            "weight": str(self.rng.randint(1, 20)),
        }[field]
        model.setData(model.index(r, col), value)

    def paste_cells(self) -> None:
        model = self.indicators().model
        if model.editable_row_count() < 2:
            return
        col = col_of(model, "得分")
        top = self.rng.randrange(model.editable_row_count() - 1)
        model.paste(top, col, [[str(self.rng.randint(0, 9))], [str(self.rng.randint(0, 9))]])

    def paste_rows(self) -> None:
        model = self.indicators().model
        left = next(i for i, c in enumerate(model.columns) if c.field == "name")
        model.paste(model.rowCount(), left, [["新指标甲"], ["新指标乙"]])

    def clear_cells(self) -> None:
        model = self.indicators().model
        if not model.editable_row_count():
            return
        col = next(i for i, c in enumerate(model.columns) if c.field == "deviation_reason")
        model.clear([(r, col) for r in range(min(3, model.editable_row_count()))])

    def insert_row(self) -> None:
        editor = self.indicators()
        if editor.model.rowCount():
            editor.view.setCurrentIndex(editor.model.index(0, 0))
        editor.insert_row()

    def delete_row(self) -> None:
        rows = self.w.doc.report.indicators
        if len(rows) > 2:
            victim = self.rng.choice(rows)
            self.w.doc.run(DeleteRows(self.w.doc, "indicator", [victim.id]))

    def move_row(self) -> None:
        rows = self.w.doc.report.indicators
        if len(rows) > 1:
            row = self.rng.choice(rows)
            self.w.doc.run(MoveRow(self.w.doc, "indicator", row.id, self.rng.randrange(len(rows))))

    def section_text(self) -> None:
        report = self.w.doc.report
        section = self.rng.choice([s for s in report.sections if s.id is not None])
        text = f"{section.text[:40]}项目支出{self.amount()}万元，执行率{self.rng.randint(1, 99)}%。"
        self.w.doc.run(SetFields(self.w.doc, "section", section.id, {"text": text}))

    def project_figure(self) -> None:
        report = self.w.doc.report
        if report.projects:
            p = self.rng.choice(report.projects)
            field = self.rng.choice(["executed", "full_year_budget", "prior_final"])
            value = Decimal(self.amount())
            self.w.doc.run(SetFields(self.w.doc, "project", p.id, {field: value}))

    def undo(self) -> None:
        stack = self.w.doc.undo_stack
        for _ in range(self.rng.randint(1, 3)):
            if stack.canUndo():
                stack.undo()

    def redo(self) -> None:
        stack = self.w.doc.undo_stack
        for _ in range(self.rng.randint(1, 2)):
            if stack.canRedo():
                stack.redo()

    def step(self) -> str:
        name = self.rng.choice(
            [
                "budget_cell",
                "budget_cell",
                "indicator_cell",
                "indicator_cell",
                "paste_cells",
                "paste_rows",
                "clear_cells",
                "insert_row",
                "delete_row",
                "move_row",
                "section_text",
                "project_figure",
                "undo",
                "undo",
                "redo",
            ]
        )
        getattr(self, name)()
        return name


@pytest.mark.parametrize("seed", [1, 2])
def test_the_snapshot_equals_the_database_after_many_varied_edits(
    qtbot, sample_window, sample_workspace, seed
):
    w, ws = sample_window, sample_workspace
    other = ws.add_report(filled_report(year=2025))  # last year's is the sample
    w._fill_combo(w.doc.report_id)
    sample = w.doc.report_id
    clerk = Clerk(w, seed)
    done: list[str] = []
    for i in range(70):
        done.append(clerk.step())
        _same_as_stored(w, ws)
        if i % 10 == 9:
            _same_findings(qtbot, w, ws)
        if i in (25, 50):  # another report, its own history, and back
            w.open_report(other)
            _same_as_stored(w, ws)
            for _ in range(5):
                done.append(clerk.step())
                _same_as_stored(w, ws)
            _same_findings(qtbot, w, ws)
            w.open_report(sample)
            _same_as_stored(w, ws)
    # every kind of step was taken, and the whole history still undoes and redoes exactly
    assert {"paste_rows", "insert_row", "delete_row", "move_row", "undo", "redo"} <= set(done)
    stack = w.doc.undo_stack
    while stack.canUndo():
        stack.undo()
        _same_as_stored(w, ws)
    while stack.canRedo():
        stack.redo()
        _same_as_stored(w, ws)
    _same_findings(qtbot, w, ws)


def test_a_burst_of_edits_is_audited_once_after_the_pause(qtbot, window, workspace):
    """Typing never waits for the 审核: it runs once, after the last of several quick edits."""
    w = window
    audited(qtbot, w)
    runs: list[int] = []
    real = w.audit_dock.run
    w.audit_dock.run = lambda *a: runs.append(1) or real(*a)  # type: ignore[method-assign]
    tab = _show(w, FundsTab)
    model = tab.budget_model
    col = next(i for i, c in enumerate(model.columns) if c.field == "executed")
    for value in ("4400", "4410", "4420", "4500.5"):
        assert model.setData(model.index(0, col), value)
        assert w.audit_pending()  # stored and shown; the 审核 waits for the pause
    assert runs == []
    _same_findings(qtbot, w, workspace)
    assert runs == [1]


def test_the_preview_built_ahead_is_shown_as_it_is_until_an_edit(qtbot, window, monkeypatch):
    """After start the preview is built in the background; 打印预览 then shows it at once."""
    w = window
    w.build_preview_ahead(0)
    qtbot.waitUntil(w.preview.is_current, timeout=60000)
    assert w.tabs.currentWidget() is not w.preview  # built while another tab was in view
    builds: list[int] = []
    monkeypatch.setattr(w.preview, "rebuild", lambda: builds.append(1))
    w.show_preview()
    qtbot.wait(20)
    assert builds == [] and w.preview.page_count() > 0
    tab = _show(w, FundsTab)
    assert tab.budget_model.setData(tab.budget_model.index(0, 2), "4321")
    assert not w.preview.is_current()  # the edit makes it old: shown again, it is rebuilt
    w.show_preview()
    qtbot.waitUntil(lambda: builds == [1], timeout=5000)


def test_fields_show_what_is_stored_after_other_edits_and_retyping(qtbot, window, workspace):
    """A field re-shows its value only when it changed; the same value typed another way is
    shown as stored, and an undo still brings the old value back into view."""
    from perfdesk_ui.tabs.funds import FundsTab

    from tests.ui.helpers import type_into_field

    w = window
    tab = _show(w, FundsTab)
    field = tab.amounts["personnel_expense"]
    type_into_field(qtbot, field, "12.5")
    assert field.text() == "12.50"
    type_into_field(qtbot, field, "12.500")  # the same amount: nothing stored, shown as stored
    assert field.text() == "12.50"
    assert workspace.load(w.doc.report_id).personnel_expense == Decimal("12.5")
    model = tab.budget_model
    assert model.setData(model.index(0, 2), "4444")  # another edit: the field stays as it is
    assert field.text() == "12.50"
    w.doc.undo_stack.undo()  # the 4444
    w.doc.undo_stack.undo()  # the 12.5
    assert field.text() == ""
    _same_as_stored(w, workspace)

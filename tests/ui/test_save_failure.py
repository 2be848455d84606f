"""A commit that fails (disk full, I/O error) is not shown as saved and leaves no undo step."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest


def test_a_failed_commit_is_reported_and_not_put_on_the_undo_stack(
    window: Any, workspace: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfdesk_ui import safety
    from perfdesk_ui.commands import SetFields

    doc = window.doc
    project = doc.report.projects[0]
    shown: list[str] = []
    monkeypatch.setattr(safety, "show_save_failure", lambda parent, exc: shown.append(str(exc)))

    # A real SQLITE_FULL: the file may not grow by a single page (no mocked service).
    from sqlalchemy import event

    def no_more_pages(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    workspace.db.engine.dispose()
    event.listen(workspace.db.engine, "connect", no_more_pages)
    steps = doc.undo_stack.count()
    big = {"executed": Decimal("1.00"), "narrative": "项目实施及绩效情况" * 20000}
    ok = doc.run(SetFields(doc, "project", project.id, big))
    assert ok is False
    assert shown and "磁盘空间已满" in shown[0]
    assert doc.undo_stack.count() == steps
    assert doc.report.projects[0].executed == Decimal("900.00")  # the window shows it unsaved
    # Read back through a connection of its own: nothing of the edit reached the file.
    import sqlite3

    con = sqlite3.connect(workspace.path)
    try:
        stored = con.execute("SELECT executed FROM project WHERE id = ?", (project.id,)).fetchone()
    finally:
        con.close()
    event.remove(workspace.db.engine, "connect", no_more_pages)
    workspace.db.engine.dispose()
    assert workspace.load(doc.report.id).projects[0].executed == Decimal("900.00")
    assert stored == (9_000_000,)  # 900.00 万元, kept as integer 元


def test_restore_backup_from_the_file_menu_brings_back_the_backed_up_figures(
    window: Any, workspace: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfdesk_ui import safety

    doc = window.doc
    pid = doc.report.projects[0].id
    workspace.backup_now()  # a backup holding 执行数 900.00
    workspace.update("project", pid, {"executed": Decimal("1.00")})

    def choose_newest_and_restore(dialog: Any) -> int:
        # closing took an exit backup (holding 1.00) too: pick the one made on demand
        dialog.table.selectRow(next(i for i, b in enumerate(dialog.backups) if b.kind == "manual"))
        monkeypatch.setattr(dialog, "confirm", lambda b: True)
        dialog.restore_button.click()
        return dialog.result()

    monkeypatch.setattr(safety.RestoreBackupDialog, "exec", choose_newest_and_restore)
    window.act_restore.trigger()
    assert window.doc is not None
    assert window.doc.ws.load(window.doc.report.id).projects[0].executed == Decimal("900.00")


def test_a_second_window_on_a_held_database_offers_read_only(
    qtbot: Any, workspace: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first window (``workspace``) holds the one-writer lock; a second one may only look."""
    from perfdesk_ui import app, safety

    asked: list[str] = []

    def read_only(parent: Any, error: Exception, path: Any) -> str:
        asked.append(str(error))
        return safety.READ_ONLY  # the dialog's default button (tests/ui/test_opening.py)

    monkeypatch.setattr(safety, "ask_after_refusal", read_only)
    app.application()
    second = app.create_window(str(workspace.path))
    qtbot.addWidget(second)
    assert asked and "另一个 perfdesk" in asked[0]
    assert second.doc is not None and second.doc.ws.readonly
    assert second.doc.report.unit_name == "株洲市芦淞区民政局"

    from perfdesk_ui.commands import SetFields

    refused: list[str] = []
    monkeypatch.setattr(safety, "show_save_failure", lambda parent, exc: refused.append(str(exc)))
    doc = second.doc
    assert not doc.run(
        SetFields(doc, "project", doc.report.projects[0].id, {"executed": Decimal("2.00")})
    )
    assert refused and "只读" in refused[0]
    assert doc.undo_stack.count() == 0
    second.shutdown()

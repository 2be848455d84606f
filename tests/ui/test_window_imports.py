"""The window is shown without SQLAlchemy, and its first edit still lands in the file.

Reports are read with plain sqlite3 (``perfdesk.storage.rows``); SQLAlchemy, which every edit
goes through, is imported in the background once the window is idle after start (issue 16:
about 0.3 s and 47 MB the clerk no longer waits for before seeing the report). Runs in a fresh
interpreter: this test process has long imported everything. No timings here — the figures are
in ``tests/benchmarks/bench_ui.py``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from perfdesk.services import Workspace, backup_folder, backups_of
from perfdesk.storage.fileformat import sqlite_uri
from tests.storage.helpers import small_report

ROOT = Path(__file__).resolve().parents[2]


def _probe(script: str, *args: str) -> dict:
    """Run ``script`` in a fresh interpreter; what it printed last, as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


PROBE = r"""
import json, os, sys, threading
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from decimal import Decimal
from perfdesk_ui.app import application, create_window
from perfdesk_ui.commands import SetFields
app = application()
w = create_window(sys.argv[1])
w.show()
app.processEvents()
seen = {"at_start": "sqlalchemy" in sys.modules}
w.build_preview_ahead(delay_ms=0)  # as perfdesk_ui.app.main does after showing the window
from PySide6.QtCore import QEventLoop, QTimer
loop = QEventLoop()
QTimer.singleShot(50, loop.quit)
loop.exec()
for t in threading.enumerate():
    if t.name == "prepare-edits":
        t.join(60)
seen["after_idle"] = "sqlalchemy" in sys.modules
doc = w.doc
project = doc.report.projects[0]
seen["ok"] = doc.run(SetFields(doc, "project", project.id, {"executed": Decimal("7.25")}))
w.shutdown()
print(json.dumps(seen))
"""


@pytest.mark.parametrize("first_start_of_the_day", [False, True])
def test_the_window_appears_without_sqlalchemy_and_its_first_edit_is_saved(
    tmp_path: Path, first_start_of_the_day: bool
) -> None:
    db = tmp_path / "p.db"
    ws = Workspace.open(db)
    rid = ws.add_report(small_report())
    ws.close()
    if first_start_of_the_day:  # no backup yet today: the window opens with the daily backup,
        shutil.rmtree(backup_folder(db))  # which is checked by reading it back (plain sqlite3 too)

    seen = _probe(PROBE, str(db))
    assert seen == {"at_start": False, "after_idle": True, "ok": True}

    con = sqlite3.connect(sqlite_uri(db, "ro"), uri=True)
    try:
        stored = con.execute(
            "SELECT executed FROM project WHERE report_id = ? ORDER BY position LIMIT 1", (rid,)
        ).fetchone()
    finally:
        con.close()
    assert stored == (72500,)  # 7.25 万元 in 元
    if first_start_of_the_day:
        assert any(b.kind == "daily" for b in backups_of(db))


LINECACHE_PROBE = r"""
import json, linecache, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import perfdesk_ui.app
import perfdesk_ui.main_window, perfdesk.domain.numbers
feature = sys.modules["shibokensupport.feature"]
print(json.dumps({
    "cached": sorted(f for f in linecache.cache if "perfdesk" in f or "/ui/" in f),
    "ui": feature._mod_uses_pyside(perfdesk_ui.main_window),
    "core": feature._mod_uses_pyside(perfdesk.domain.numbers),
}))
"""


def test_pyside_import_check_keeps_no_source_lines_and_answers_as_before() -> None:
    """PySide6's import hook read every later module's source through linecache, which kept it
    all in memory (about 21 MB at window start); the window's check reads the bytes instead."""
    seen = _probe(LINECACHE_PROBE)
    assert seen == {"cached": [], "ui": True, "core": False}

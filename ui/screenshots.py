"""Screenshots of every tab with the shipped sample report (for the README and for checking):

    QT_QPA_PLATFORM=offscreen python -m perfdesk_ui.screenshots [OUTDIR]   # default docs/images

Each tab at 1280×800; the first (机构与人员, what the app opens on) with the 审核 panel beside
it, plus ``ui-audit.png``: a finding double-clicked and its cell selected, and ``ui-start.png``:
the start page a new database file opens on. The preview waits
for the real PDF. Falls back to a small filled-in report if this installation lacks the sample.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

TAB_FILES = {
    "机构与人员": "organisation",
    "收支情况": "funds",
    "项目": "projects",
    "绩效指标评分": "scores",
    "报告正文": "sections",
    "打印预览": "preview",
}
WITH_AUDIT = {"organisation"}
SHOWN_SECTION = "gpb.project"  # 二（二）项目支出情况: a long text the audit has findings in


def settle(app: object, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def main(out: str = "docs/images") -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from perfdesk_ui.app import application, load_sample_into
    from perfdesk_ui.main_window import MainWindow

    from perfdesk.services import Workspace

    app = application()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "shots.db")
        if load_sample_into(ws) is None:
            from tests.ui.conftest import filled_report

            ws.add_report(filled_report())
        window = MainWindow(ws)
        window.resize(1280, 800)
        window.show()
        for i in range(window.tabs.count()):
            name = TAB_FILES.get(window.tabs.tabText(i), str(i))
            window.audit_dock.setVisible(name in WITH_AUDIT)
            window.tabs.setCurrentIndex(i)
            settle(app)
            if window.tabs.currentWidget() is window.preview:
                end = time.monotonic() + 30
                while window.preview.page_count() == 0 and time.monotonic() < end:
                    settle(app, 0.1)
                settle(app, 0.5)
            if name == "sections":  # show a section with text (the first one is only a heading)
                tab = window.tabs.currentWidget()
                rows = [i for i, s in enumerate(tab.report.sections) if s.key == SHOWN_SECTION]
                if rows:
                    tab.outline.setCurrentRow(rows[0])
                    settle(app)
            if name in WITH_AUDIT:
                window.run_audit()
                settle(app)
            save(window, folder / f"ui-{name}.png")
        # a finding double-clicked: the 绩效指标评分 tab with the indicator's empty reason selected
        window.audit_dock.show()
        finding = next(
            (f for f in window.audit_dock.findings if f.rule == "complete.deviation_reason"), None
        )
        if finding is not None:
            window.audit_dock.select(finding)
            window.jump_to_finding(finding)
            settle(app)
            save(window, folder / "ui-audit.png")
        window.close()
    start_page(folder)
    return 0


def start_page(folder: Path) -> Path:
    """``ui-start.png``: the window on a database file that does not exist yet (the start page)."""
    from perfdesk_ui.app import application, create_window

    app = application()
    # a file that is not there: the start page only names it, nothing is written
    db = Path.home() / "文档" / "民政局绩效自评.db"
    if db.exists():
        db = Path(tempfile.mkdtemp()) / "民政局绩效自评.db"
    window = create_window(str(db))
    window.resize(1280, 800)
    window.show()
    settle(app)
    path = folder / "ui-start.png"
    save(window, path)
    window.close()
    return path


def save(window: object, path: Path) -> None:
    window.grab().save(str(path))  # type: ignore[attr-defined]
    print(path)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

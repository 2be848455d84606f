"""Screenshots of every tab (for the README and for looking at the result):

    QT_QPA_PLATFORM=offscreen python -m ui.screenshots [OUTDIR]   # default docs/images

Uses the shipped sample report when this installation has it, else a small filled-in report.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

TAB_FILES = {
    "机构与人员": "organisation", "收支情况": "funds", "项目": "projects",
    "绩效指标评分": "scores", "报告正文": "sections", "打印预览": "preview",
}


def main(out: str = "docs/images") -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QThreadPool

    from perfdesk.services import Workspace
    from ui.app import application, load_sample_into
    from ui.main_window import MainWindow

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
            window.tabs.setCurrentIndex(i)
            app.processEvents()
            QThreadPool.globalInstance().waitForDone(20000)
            for _ in range(20):
                app.processEvents()
            name = TAB_FILES.get(window.tabs.tabText(i), str(i))
            path = folder / f"ui-{name}.png"
            window.grab().save(str(path))
            print(path)
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

"""Benchmarks of the desktop app (a script printing figures; pytest does not collect it).

    PYTHONPATH=. python tests/benchmarks/bench_ui.py

- launch: from a fresh interpreter to a shown main window with the report loaded (warm: the
  files are in the OS cache after the first run), the median of several runs;
- cell edit: a value typed into the budget grid committed (one transaction, synchronous=FULL)
  and the tab in view refreshed from the snapshot the edit was applied to (other tabs refresh
  when shown; the 审核 follows once typing pauses) — p50/p95 over 200 edits, and of it the
  commit; the same for a reason typed into the indicator table (changed rows re-measured);
- the 审核 following an edit: from the edit stored to the panel updated (its debounce included);
- the parts: reading the whole report back (``Workspace.load``), which an edit no longer does,
  and one audit run (p50), with the texts' readings remembered and without;
- window visible and first preview: in a fresh process, interpreter start excluded, the window
  shown with the sample; then 打印预览 asked for (at once, and after 2 s looking at the window):
  the time until its first page is shown, and the process's RSS then (Linux: its private and
  shared parts — the shared are mostly Qt's and Python's libraries — and the anonymous memory),
  and again after every page was read through.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]

# Interpreter start to the window shown and painted with the sample (the start both scripts share).
SHOW_WINDOW = r"""
import os, sys, time
t0 = time.perf_counter()
from perfdesk_ui.app import application, create_window
app = application()
w = create_window(sys.argv[1])
w.resize(1280, 800)
w.show()
app.processEvents()
assert w.doc.report is not None
"""

LAUNCH = (
    SHOW_WINDOW
    + r"""
print(time.perf_counter() - t0 + float(sys.argv[2]))
"""
)

# Interpreter start to the window shown and painted with the sample, then 打印预览 asked for:
# the time until its first page is on screen, and the process's memory (RSS) then.
PREVIEW = (
    SHOW_WINDOW
    + r"""
visible = time.perf_counter() - t0
from PySide6.QtCore import QEventLoop, QTimer
w.build_preview_ahead()  # as perfdesk_ui.app.main does after showing the window
idle = float(sys.argv[2])
if idle:  # the clerk looks at the window a moment before asking for the preview
    end = time.perf_counter() + idle
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.01)
loop = QEventLoop()
w.preview.rendered.connect(lambda pages: loop.quit())
QTimer.singleShot(20000, loop.quit)
t1 = time.perf_counter()
w.show_preview()
if not w.preview.is_current():  # else it was built ahead: shown as it is
    loop.exec()
app.processEvents()  # the first page painted
w.preview.view.viewport().repaint()
# QtPdf renders pages on its own thread: rendering page 1 at the view's size is counted too
from PySide6.QtCore import QSize
vp = w.preview.view.viewport()
w.preview.pdf_document.render(0, QSize(vp.width(), int(vp.width() * 1.414)))
shown = time.perf_counter() - t1
assert w.preview.page_count() > 0

def memory():  # RSS and its parts in MB (Linux: smaps_rollup; 0 where unknown)
    parts = dict.fromkeys(("Rss", "Private", "Shared", "Anonymous"), 0.0)
    try:
        with open("/proc/self/smaps_rollup") as f:
            for line in f:
                name, _, rest = line.partition(":")
                kb = rest.split()
                if not kb or not kb[0].isdigit():
                    continue
                mb = int(kb[0]) / 1024
                if name == "Rss" or name == "Anonymous":
                    parts[name] = mb
                elif name.startswith("Private_"):
                    parts["Private"] += mb
                elif name.startswith("Shared_"):
                    parts["Shared"] += mb
    except OSError:
        pass
    return parts

# the page as the clerk sees it: QtPdf's renderer thread has delivered the page in view
end = time.perf_counter() + 0.3
while time.perf_counter() < end:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    time.sleep(0.005)
shown_memory = memory()
# then the clerk reads the whole printout through, page by page (QtPdf renders each)
for page in range(w.preview.page_count()):
    w.preview.go_to_page(page)
    end = time.perf_counter() + 0.15  # time to render it (QtPdf says not when it has)
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.005)
read = memory()
print(
    visible, shown, shown_memory["Rss"], shown_memory["Private"], shown_memory["Shared"],
    shown_memory["Anonymous"], read["Rss"],
)
"""
)


def make_db(path: Path) -> None:
    from perfdesk.services import Workspace

    ws = Workspace.open(path)
    try:
        from perfdesk.sample import load_sample

        report = load_sample()
    except (FileNotFoundError, OSError):
        from perfdesk.domain.templates import new_project, new_report

        report = new_report("株洲市芦淞区民政局", 2024)
        report.projects = [new_project(f"项目{i}") for i in range(6)]
    ws.add_report(report)
    ws.close()


def bench_launch(db: Path, runs: int = 5) -> list[float]:
    times = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for _ in range(runs + 1):  # the first run warms the caches and is dropped
        start = time.perf_counter()
        # interpreter start-up is included: measured from here, reported by the child at "usable"
        out = subprocess.run(
            [sys.executable, "-c", LAUNCH, str(db), "0"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        wall = time.perf_counter() - start
        inner = float(out.stdout.strip().splitlines()[-1])
        times.append((wall, inner))
    return times[1:]  # type: ignore[return-value]


FLOOR = r"""
import sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
if sys.argv[1] == "orm":
    import sqlalchemy.orm  # noqa: F401
app = QApplication([])
w = QMainWindow()
w.setCentralWidget(QLabel("部门整体支出绩效自评"))
w.resize(1280, 800)
w.show()
app.processEvents()
print(time.perf_counter() - t0)
"""


def bench_floor(runs: int = 5) -> dict[str, float]:
    """What a window costs at the least, measured beside perfdesk's: a bare QMainWindow shown,
    and the same after importing SQLAlchemy's ORM (medians, from first import)."""
    out = {}
    for what in ("bare", "orm"):
        times = []
        for _ in range(runs + 1):
            res = subprocess.run(
                [sys.executable, "-c", FLOOR, what], capture_output=True, text=True, check=True
            )
            times.append(float(res.stdout.strip().splitlines()[-1]))
        out[what] = statistics.median(times[1:])
    return out


def bench_preview(db: Path, runs: int = 5, idle: float = 0.0) -> list[tuple[float, ...]]:
    """(window visible s, first preview s after it is asked for, RSS MB with it shown, of which
    private, shared and anonymous, RSS MB after reading every page through) per run, each in a
    fresh process (the first, warming the OS caches, dropped)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = []
    for _ in range(runs + 1):
        res = subprocess.run(
            [sys.executable, "-c", PREVIEW, str(db), str(idle)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        out.append(tuple(float(x) for x in res.stdout.strip().splitlines()[-1].split()))
    return out[1:]


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return times[len(times) // 2] * 1000, times[max(0, int(len(times) * 0.95) - 1)] * 1000


def bench_parts(db: Path, runs: int = 50) -> tuple[float, float, float]:
    """p50 ms of reading the report back, of one audit run after a figure changed (the texts'
    readings remembered) and of the first audit of a report (every text read)."""
    from perfdesk.domain.audit import audit
    from perfdesk.domain.textcheck import arithmetic, reader
    from perfdesk.services import Workspace, apply_changes

    ws = Workspace.open(db)
    rid = ws.list_reports()[0].id
    report = ws.load(rid)
    line_id = ws.fixed_row_ids(rid)[("budget_line", None, "total")]
    loads, audits, first = [], [], []
    for i in range(runs):
        t = time.perf_counter()
        ws.load(rid)
        loads.append(time.perf_counter() - t)
        change = ws.edit("budget_line", line_id, {"executed": Decimal(4000 + i)})
        report = apply_changes(report, [change])
        t = time.perf_counter()
        audit(report, None)
        audits.append(time.perf_counter() - t)
        reader._PARSED.clear()
        arithmetic._parts_sum_mismatches.cache_clear()
        arithmetic._change_rate_mismatches.cache_clear()
        t = time.perf_counter()
        audit(report, None)
        first.append(time.perf_counter() - t)
    ws.close()
    return percentiles(loads)[0], percentiles(audits)[0], percentiles(first)[0]


def bench_audit_follows(db: Path, edits: int = 60) -> list[float]:
    """From a cell edit stored to the 审核 panel updated (its debounce included), in the window."""
    from perfdesk_ui.app import application
    from perfdesk_ui.main_window import MainWindow
    from perfdesk_ui.tabs.funds import FundsTab
    from PySide6.QtCore import QEventLoop

    from perfdesk.services import Workspace

    app = application()
    w = MainWindow(Workspace.open(db))
    w.resize(1280, 800)
    w.show()
    tab = w.tab(FundsTab)
    w.tabs.setCurrentWidget(tab)
    app.processEvents()
    model = tab.budget_model
    index = model.index(0, 2)
    times = []
    for i in range(edits):
        assert model.setData(index, f"{3000 + i}.5")
        t = time.perf_counter()  # the keystroke stored: from here the 审核 may take its time
        while w.audit_pending():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.001)
        times.append(time.perf_counter() - t)
    w.close()
    return times


COMMITS: list[float] = []
"""Time spent in the durable commit (``Workspace.edit``) of each timed edit."""


def _time_commits(ws: object) -> None:
    real = ws.edit  # type: ignore[attr-defined]

    def timed(*args: object, **kwargs: object) -> object:
        t = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            COMMITS.append(time.perf_counter() - t)

    ws.edit = timed  # type: ignore[attr-defined]


def bench_indicator_edit(db: Path, edits: int = 100) -> list[float]:
    from perfdesk_ui.app import application
    from perfdesk_ui.main_window import MainWindow
    from perfdesk_ui.tabs.scores import ScoresTab

    app = application()
    from perfdesk.services import Workspace

    w = MainWindow(Workspace.open(db))
    _time_commits(w.doc.ws)
    w.resize(1280, 800)
    w.show()
    tab = w.tab(ScoresTab)
    w.tabs.setCurrentWidget(tab)
    app.processEvents()
    model = tab.editor.indicators.model
    col = next(i for i, c in enumerate(model.columns) if c.field == "deviation_reason")
    index = model.index(0, col)
    times = []
    for i in range(edits):
        t = time.perf_counter()
        assert model.setData(index, f"个别数据更新不及时，已建立月度核查机制（第{i}稿）")
        times.append(time.perf_counter() - t)
        app.processEvents()
    w.close()
    return times


def bench_edit(db: Path, edits: int = 200) -> list[float]:
    sys.path.insert(0, str(ROOT))
    from perfdesk_ui.app import application
    from perfdesk_ui.main_window import MainWindow
    from perfdesk_ui.tabs.funds import FundsTab

    app = application()
    from perfdesk.services import Workspace

    w = MainWindow(Workspace.open(db))
    _time_commits(w.doc.ws)
    w.resize(1280, 800)
    w.show()
    tab = w.tab(FundsTab)
    w.tabs.setCurrentWidget(tab)
    app.processEvents()
    model = tab.budget_model
    index = model.index(0, 2)
    times = []
    for i in range(edits):
        text = f"{4000 + i}.{i % 100:02d}"
        t = time.perf_counter()
        assert model.setData(index, text)
        times.append(time.perf_counter() - t)
        app.processEvents()
    assert w.doc.report.budget_line("total").executed == Decimal(text)
    w.close()
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        make_db(db)
        launch = bench_launch(db)
        walls = sorted(w for w, _ in launch)
        inner = sorted(i for _, i in launch)
        print(
            f"launch to usable window (warm, {len(launch)} runs): median {statistics.median(walls):.3f} s "
            f"wall incl. interpreter start; {statistics.median(inner):.3f} s from first import"
        )
        COMMITS.clear()
        times = bench_edit(db)
        p50, p95 = percentiles(times)
        c50, c95 = percentiles(COMMITS)
        print(
            f"cell edit committed + the visible tab refreshed ({len(times)} edits, budget grid; the "
            f"审核 follows after the pause): p50 {p50:.1f} ms, p95 {p95:.1f} ms — of which the "
            f"durable commit p50 {c50:.1f} ms, p95 {c95:.1f} ms"
        )
        COMMITS.clear()
        times = bench_indicator_edit(db)
        p50, p95 = percentiles(times)
        c50, c95 = percentiles(COMMITS)
        print(
            f"the same in the indicator table, changed rows re-measured ({len(times)} edits): "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms — of which the commit p50 {c50:.1f} ms, "
            f"p95 {c95:.1f} ms"
        )
        times = bench_audit_follows(db)
        p50, p95 = percentiles(times)
        print(
            f"edit stored to 审核 panel updated (80 ms debounce included, {len(times)} edits): "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        )
        load, audit, first = bench_parts(db)
        print(
            f"parts: reading the whole report back (Workspace.load, no longer done per edit) "
            f"p50 {load:.1f} ms; one audit run after a figure changed p50 {audit:.1f} ms "
            f"(first run, every text read: {first:.1f} ms)"
        )
        floor = bench_floor()
        print(
            f"floor measured beside it: bare QMainWindow shown {floor['bare']:.3f} s; "
            f"with SQLAlchemy's ORM imported {floor['orm']:.3f} s (medians, from first import)"
        )
        for idle in (0.0, 2.0):
            runs = bench_preview(db, idle=idle)
            vis = statistics.median(r[0] for r in runs)
            shown = statistics.median(r[1] for r in runs)
            rss, private, shared, anon, read = (
                statistics.median(r[i] for r in runs) for i in range(2, 7)
            )
            when = "at once" if not idle else f"after {idle:.0f} s"
            print(
                f"window visible {vis:.3f} s from first import; 打印预览 asked for {when}: first page "
                f"shown {shown:.3f} s later; RSS with the preview shown {rss:.0f} MB (private "
                f"{private:.0f}, shared {shared:.0f}; anonymous {anon:.0f}), after reading every "
                f"page through {read:.0f} MB (medians of {len(runs)} fresh processes)"
            )


if __name__ == "__main__":
    main()

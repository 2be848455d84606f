"""Benchmark of the ``perfdesk`` command as the clerk starts it: whole processes, wall-clock.

Prints figures, passes or fails nothing (pytest does not collect it). Run from the repository root::

    python tests/benchmarks/bench_cli.py [--runs 11]

Each figure is the median (with min–max) of ``--runs`` fresh processes after one warm-up run; the
cases take turns, round after round, so that other jobs on the machine weigh on each alike:

- ``python -c pass``: the floor, the interpreter alone;
- ``perfdesk --version`` and ``perfdesk --help`` (target ≤ 0.15 s);
- ``perfdesk pdf`` of the sample (target ≤ 0.6 s), the font metrics cache warm — the usual case;
- the same with an empty font cache in every run (the first print after installing or after a
  font changed);
- in-process phases of one ``pdf`` (with the command's handling of the garbage collector):
  imports, reading the report, fonts, building, so the whole process figure can be read.

Everything runs in a temporary folder (database, log, cache): the user's own folders are not
touched. The processes write bytecode (``PYTHONDONTWRITEBYTECODE`` is cleared for them), as an
installed perfdesk has its ``.pyc`` files; ``--as-is`` keeps the environment unchanged.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PHASES = r"""
import gc, sys, time
start = time.perf_counter()
marks = []
def mark(name):
    marks.append((name, time.perf_counter()))
import perfdesk.cli
from perfdesk.cli import YOUNG_GENERATION
mark("perfdesk.cli")
gc.disable()  # as perfdesk.cli._run_command does for pdf's PRELOAD
from perfdesk.services import Workspace
mark("import services (sqlite3 reader; no SQLAlchemy)")
import perfdesk.report
mark("import perfdesk.report (ReportLab)")
gc.freeze()
gc.enable()
gc.set_threshold(YOUNG_GENERATION)
ws = Workspace.open_for_reading(sys.argv[1])
report = ws.load(ws.resolve_report_id(None))
previous = ws.previous_report(report)
ws.close()
mark("open and read the report")
from perfdesk.report.fonts import resolve_fonts
resolve_fonts()
mark("fonts (metrics cache)")
from pathlib import Path
perfdesk.report.write_pdf_atomic(report, Path(sys.argv[2]), previous=previous)
mark("audit, build and write the PDF")
last = start
for name, t in marks:
    print(f"{name}\t{t - last:.4f}")
    last = t
print(f"total in process\t{last - start:.4f}")
"""


def perfdesk_command() -> list[str]:
    """The installed ``perfdesk`` script beside this interpreter, else ``python -m perfdesk``."""
    folder = Path(sys.executable).parent
    for name in ("perfdesk", "perfdesk.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    return [sys.executable, "-m", "perfdesk"]


def environment(work: Path, *, as_is: bool) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[name] = str(work / name.lower())
    env["PERFDESK_DATA_DIR"] = str(work / "data")
    env["PERFDESK_LOG_DIR"] = str(work / "log")
    env["PERFDESK_CACHE_DIR"] = str(work / "cache")
    if not as_is:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def rounds(cases: list[tuple[str, list[str], object]], env: dict[str, str], runs: int) -> None:
    """Each case once as a warm-up, then ``runs`` rounds of every case in turn: a busy machine
    weighs on all of them alike. ``before`` (a callable or None) runs before each timed run."""
    for _label, argv, before in cases:
        if callable(before):
            before()
        timed(argv, env)  # the OS file cache, the bytecode, the font cache
    times: dict[str, list[float]] = {label: [] for label, _argv, _before in cases}
    for _ in range(runs):
        for label, argv, before in cases:
            if callable(before):
                before()
            times[label].append(timed(argv, env))
    for label, values in times.items():
        print(
            f"{label:<44} median {statistics.median(values):6.3f} s"
            f"   min {min(values):.3f}   max {max(values):.3f}   (n={runs})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="processes per figure (default 11)")
    parser.add_argument("--as-is", action="store_true", help="keep PYTHONDONTWRITEBYTECODE")
    args = parser.parse_args()
    runs = max(1, args.runs)

    work = Path(tempfile.mkdtemp(prefix="perfdesk-bench-cli-"))
    try:
        env = environment(work, as_is=args.as_is)
        perfdesk = perfdesk_command()
        db, pdf = work / "sample.db", work / "sample.pdf"
        subprocess.run(
            [*perfdesk, "sample", "--db", str(db)], env=env, check=True, capture_output=True
        )

        print(
            f"machine: {os.cpu_count()} CPUs, load average {_load()}; Python {sys.version.split()[0]}"
        )
        print(f"command: {' '.join(perfdesk)}")
        print()
        pdf_argv = [*perfdesk, "pdf", "--db", str(db), "-o", str(pdf)]
        cache = work / "cache"
        rounds(
            [
                ("python -c pass (the floor)", [sys.executable, "-c", "pass"], None),
                ("perfdesk --version", [*perfdesk, "--version"], None),
                ("perfdesk --help", [*perfdesk, "--help"], None),
                ("perfdesk pdf (sample), font cache warm", pdf_argv, None),
                (
                    "perfdesk pdf (sample), font cache empty",
                    pdf_argv,
                    lambda: shutil.rmtree(cache, ignore_errors=True),
                ),
            ],
            env,
            runs,
        )
        print(f"\nthe PDF: {pdf.stat().st_size / 1024:.0f} KB")

        print("\nphases of one pdf in process (median of the runs):")
        phases: dict[str, list[float]] = {}
        argv = [sys.executable, "-c", PHASES, str(db), str(work / "phases.pdf")]
        subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True)
        for _ in range(max(3, runs // 2)):
            done = subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True)
            for line in done.stdout.decode("utf-8").splitlines():
                name, _, value = line.partition("\t")
                phases.setdefault(name, []).append(float(value))
        for name, values in phases.items():
            print(f"  {name:<40} {statistics.median(values):6.3f} s")
        print(f"\nload average after: {_load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (OSError, AttributeError):  # Windows
        return "n/a"


if __name__ == "__main__":
    main()

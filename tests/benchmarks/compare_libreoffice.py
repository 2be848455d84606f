"""perfdesk's printout beside LibreOffice's, on the same content, measured in the same run.

Prints figures, passes or fails nothing (pytest does not collect it; CI does not need LibreOffice).
Run from the repository root::

    python tests/benchmarks/compare_libreoffice.py [--runs 7]

Both sides start a whole process and end with a PDF of the sample report (2024年株洲市芦淞区民政局):

- perfdesk: ``perfdesk pdf`` from the database (font metrics cache warm, as after the first
  print);
- LibreOffice: ``soffice --headless --convert-to pdf`` of the Word document that
  ``perfdesk export --format docx`` writes of the same report (perfdesk/office/docx_export.py),
  with its own user profile made once beforehand.

The runs alternate (perfdesk, LibreOffice, perfdesk, …) so that a busy machine weighs on both
alike; the medians, their ratio and the PDFs' page counts and sizes are printed. Without
LibreOffice the script says how to install it and exits with code 2. ``SOFFICE`` names the
program when it is not on PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_cli import environment, perfdesk_command  # noqa: E402

INSTALL = """LibreOffice 未安装（找不到 soffice）。LibreOffice is not installed (no soffice found).
Install it, then run this script again:
  Debian/Ubuntu:  sudo apt-get install -y libreoffice-writer-nogui   (or libreoffice-writer)
  Fedora:         sudo dnf install -y libreoffice-writer
  Windows/macOS:  https://www.libreoffice.org/download/ — or set SOFFICE to soffice's path"""

WINDOWS_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice() -> str | None:
    given = os.environ.get("SOFFICE")
    if given:
        return given
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in (*WINDOWS_PLACES, "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(place).is_file():
            return place
    return None


def pages(pdf: Path) -> int:
    """Page count, by counting page objects (good enough for a figure; no PDF library needed)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each side (default 7)")
    args = parser.parse_args()
    soffice = find_soffice()
    if soffice is None:
        print(INSTALL, file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="perfdesk-vs-libreoffice-"))
    try:
        env = environment(work, as_is=False)
        perfdesk = perfdesk_command()
        db, docx = work / "sample.db", work / "sample.docx"
        ours, theirs = work / "perfdesk.pdf", work / "lo"
        subprocess.run(
            [*perfdesk, "sample", "--db", str(db)], env=env, check=True, capture_output=True
        )
        subprocess.run(
            [*perfdesk, "export", "--db", str(db), "--format", "docx", "-o", str(docx)],
            env=env,
            check=True,
            capture_output=True,
        )
        profile = (work / "lo-profile").resolve().as_uri()
        lo_argv = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(theirs),
            str(docx),
        ]
        pd_argv = [*perfdesk, "pdf", "--db", str(db), "-o", str(ours)]

        version = subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--version"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        print(f"machine: {os.cpu_count()} CPUs, load average {_load()}; {version}")
        run(lo_argv, env)  # makes LibreOffice's profile; both sides' files into the OS cache
        run(pd_argv, env)  # the font metrics cache, the bytecode

        pd_times, lo_times = [], []
        for _ in range(max(1, args.runs)):
            pd_times.append(run(pd_argv, env))
            lo_times.append(run(lo_argv, env))
        lo_pdf = theirs / "sample.pdf"
        pd_med, lo_med = statistics.median(pd_times), statistics.median(lo_times)
        print(f"\n{'':<34}{'median':>8}{'min':>8}{'max':>8}{'pages':>7}{'KB':>7}")
        for label, times, pdf in (
            ("perfdesk pdf (from the database)", pd_times, ours),
            ("LibreOffice .docx → PDF", lo_times, lo_pdf),
        ):
            print(
                f"{label:<34}{statistics.median(times):8.3f}{min(times):8.3f}{max(times):8.3f}"
                f"{pages(pdf):7d}{pdf.stat().st_size / 1024:7.0f}"
            )
        print(
            f"\nperfdesk is {lo_med / pd_med:.2f}× as fast as LibreOffice (ratio of medians, n={len(pd_times)})"
        )
        print(f"load average after: {_load()}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (OSError, AttributeError):
        return "n/a"


if __name__ == "__main__":
    raise SystemExit(main())

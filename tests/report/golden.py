"""The golden pages of the sample printout: regenerate, then review — two deliberate steps.

``golden/sample-pNN.txt`` hold the text extracted from each page of the sample PDF. When the
printout changes on purpose:

1. ``python -m tests.report.golden regenerate`` rewrites the page files from the current code;
2. read the change (``git diff tests/report/golden``) page by page against the reference report;
3. ``python -m tests.report.golden reviewed`` records the sample and the pages just read.

The tests never write these files. They fail while the sample or the pages differ from what was
recorded in step 3, so a regenerated but unread golden file cannot pass.
"""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
REVIEWED = GOLDEN / "REVIEWED"


def golden_pages() -> list[Path]:
    return sorted(GOLDEN.glob("sample-p*.txt"))


def pages_digest() -> str:
    digest = hashlib.sha256()
    for path in golden_pages():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def sample_digest() -> str:
    from perfdesk.sample import sample_bytes

    return hashlib.sha256(sample_bytes()).hexdigest()


def recorded() -> dict[str, str]:
    """What step 3 recorded: ``{"sample": sha256, "pages": sha256}``."""
    pairs = (line.split() for line in REVIEWED.read_text(encoding="utf-8").splitlines() if line)
    return {key: value for key, value in pairs}


def current_pages() -> list[str]:
    from perfdesk.report import build_pdf, shipped_fonts
    from perfdesk.sample import load_sample
    from tests.report.conftest import page_lines, pages_text

    out = io.BytesIO()
    build_pdf(load_sample(), out, fonts=shipped_fonts())
    return ["\n".join(page_lines(text, marks=True)) + "\n" for text in pages_text(out.getvalue())]


def regenerate() -> None:
    for old in golden_pages():
        old.unlink()
    pages = current_pages()
    for number, text in enumerate(pages, start=1):
        (GOLDEN / f"sample-p{number:02d}.txt").write_text(text, encoding="utf-8")
    print(
        f"{len(pages)} pages written to {GOLDEN}; read `git diff {GOLDEN}`, then run: "
        "python -m tests.report.golden reviewed"
    )


def reviewed() -> None:
    REVIEWED.write_text(f"sample {sample_digest()}\npages {pages_digest()}\n", encoding="utf-8")
    print(f"recorded in {REVIEWED}")


if __name__ == "__main__":
    commands = {"regenerate": regenerate, "reviewed": reviewed}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        raise SystemExit("usage: python -m tests.report.golden regenerate|reviewed")
    commands[sys.argv[1]]()

"""Writing the PDF: replaced only when complete; on any failure a Chinese message and the old file intact.

Windows refuses to replace a PDF held open by a viewer with a ``PermissionError``; a Linux test
machine does not lock files, so that refusal is simulated where the replace happens.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from perfdesk import files
from perfdesk.domain.numbers import InputError
from perfdesk.report import PdfWriteError, document, write_pdf_atomic
from perfdesk.report.fonts import FontSet
from tests.report.factory import filled_report

OLD = b"%PDF-1.4 the report printed last week"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_a_complete_pdf_and_replaces_the_old_one(tmp_path: Path, fonts: FontSet) -> None:
    target = tmp_path / "报告.pdf"
    target.write_bytes(OLD)
    info = write_pdf_atomic(filled_report(), target, fonts=fonts)
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert info.page_count > 10
    assert _leftovers(tmp_path) == []


def test_a_missing_folder_is_named(tmp_path: Path, fonts: FontSet) -> None:
    with pytest.raises(PdfWriteError, match="文件夹.*不存在"):
        write_pdf_atomic(filled_report(), tmp_path / "没有的文件夹" / "报告.pdf", fonts=fonts)
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_file_is_left_as_it_was(tmp_path: Path, fonts: FontSet) -> None:
    target = tmp_path / "报告.pdf"
    target.write_bytes(OLD)
    target.chmod(stat.S_IREAD)
    try:
        with pytest.raises(PdfWriteError, match="只读.*原文件未改动"):
            write_pdf_atomic(filled_report(), target, fonts=fonts)
    finally:
        target.chmod(stat.S_IREAD | stat.S_IWRITE)
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_a_file_held_open_by_a_viewer_is_left_as_it_was(
    tmp_path: Path, fonts: FontSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "报告.pdf"
    target.write_bytes(OLD)

    def locked(src: str, dst: str) -> None:
        raise PermissionError(
            errno.EACCES,
            "The process cannot access the file because it is being used by another process",
        )

    monkeypatch.setattr(files.os, "replace", locked)
    with pytest.raises(PdfWriteError, match="占用") as caught:
        write_pdf_atomic(filled_report(), target, fonts=fonts)
    assert "原文件未改动" in str(caught.value)
    assert isinstance(caught.value, InputError)  # the CLI prints it as one line, exit 2
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_a_full_disk_leaves_no_half_file(
    tmp_path: Path, fonts: FontSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "报告.pdf"
    target.write_bytes(OLD)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(PdfWriteError, match="原文件未改动"):
        write_pdf_atomic(filled_report(), target, fonts=fonts)
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_named(
    tmp_path: Path, fonts: FontSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files, "_new_temporary", refused)  # the temporary file beside the target
    with pytest.raises(PdfWriteError, match="无法在文件夹.*中写入"):
        write_pdf_atomic(filled_report(), tmp_path / "报告.pdf", fonts=fonts)


def test_a_failing_build_never_touches_the_old_file(
    tmp_path: Path, fonts: FontSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "报告.pdf"
    target.write_bytes(OLD)

    def broken(*args: object) -> list[object]:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(document.body, "story", broken)
    with pytest.raises(RuntimeError):
        write_pdf_atomic(filled_report(), target, fonts=fonts)
    assert target.read_bytes() == OLD
    assert sorted(os.listdir(tmp_path)) == ["报告.pdf"]


def test_a_folder_given_as_the_file_is_refused(tmp_path: Path, fonts: FontSet) -> None:
    with pytest.raises(PdfWriteError, match="这是一个文件夹"):
        write_pdf_atomic(filled_report(), tmp_path, fonts=fonts)

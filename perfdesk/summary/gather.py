"""汇集: import a whole folder of units' exchange files in one step, one result per file.

Every file in the folder (and its subfolders; hidden files and Office's ``~$`` lock files left
out) gets a :class:`FileResult`:

- **已导入** — the report is stored (one transaction per file: a file is stored whole or not at
  all, and a bad file does not stop the others);
- **已存在** — the same unit, year and kind is already in the database (or earlier in the folder)
  with exactly the same content: nothing to do;
- **未导入** — refused, and why: not a readable exchange file (the reader's message names the
  field or line), or the same unit × year already there *with different content* — never
  silently overwritten; the clerk decides which one is right;
- **已跳过** — not an exchange file at all (a PDF, a Word file…): named, so nothing goes unseen.

Readers are chosen by the file's suffix (:data:`READERS`): ``.json`` now; perfdesk's own .xlsx
layout can be added there when it exists. Messages are for the window and the command line alike,
so they name no menu and no command-line option.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfdesk.domain.model import Report
from perfdesk.domain.numbers import InputError

log = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    IMPORTED = "已导入"
    PRESENT = "已存在"
    REFUSED = "未导入"
    SKIPPED = "已跳过"


@dataclass(frozen=True)
class FileResult:
    """What became of one file."""

    path: Path
    outcome: Outcome
    message: str  # one Chinese sentence: which report, or why not
    report_id: int | None = None  # the stored report (imported, or the one already there)
    unit_name: str = ""
    year: int | None = None
    report: Report | None = field(default=None, repr=False, compare=False)  # as imported

    @property
    def line(self) -> str:
        """``文件名：已导入（…）`` — how a list of results shows it."""
        return f"{self.path.name}：{self.outcome.value}。{self.message}"


def _read_json(data: bytes) -> Report:
    from perfdesk.exchange import jsonfile

    return jsonfile.loads(data)


READERS: dict[str, Callable[[bytes], Report]] = {".json": _read_json}
"""Suffix (lower case) → a reader of that kind of file into a report (raising ``InputError``)."""


def folder_files(folder: Path) -> list[Path]:
    """The files the gathering looks at, in a stable order (by path, folders first level first)."""
    if not folder.is_dir():
        raise InputError(f"“{folder}”不是文件夹或不存在")
    files = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or path.name.startswith("~$"):
            continue
        if path.is_file():
            files.append(path)
    return sorted(
        files, key=lambda p: (len(p.relative_to(folder).parts), str(p.relative_to(folder)))
    )


def _what(report: Report) -> str:
    from perfdesk.services import describe_report

    return describe_report(report.unit_name, report.year, report.kind, report.project_name)


def _canonical(report: Report) -> str:
    """The report's content as compared: its exchange text, with the blank fixed rows the window
    adds when it opens a report (a budget line, a 附件1 row…) present in both, so that opening a
    gathered report does not make the same file "different" afterwards."""
    import copy

    from perfdesk.domain import model as m
    from perfdesk.exchange import jsonfile

    r = copy.deepcopy(report)
    r.budget_lines = [r.budget_line(k) for k in m.BUDGET_LINE_KEYS] + [
        b for b in r.budget_lines if b.key not in m.BUDGET_LINE_KEYS
    ]
    r.control_lines = [r.control_line(k) for k in m.CONTROL_LINE_KEYS] + [
        c for c in r.control_lines if c.key not in m.CONTROL_LINE_KEYS
    ]
    r.special_funds = [r.special_fund(k) for k in m.SpecialFundKind]
    for p in r.projects:
        given = {s.key: s for s in p.sources}
        p.sources = [given.get(k, m.BudgetLine(k)) for k in m.PROJECT_SOURCE_KEYS] + [
            s for s in p.sources if s.key not in m.PROJECT_SOURCE_KEYS
        ]
    return jsonfile.dumps(r)


def gather_folder(
    ws: Any,
    folder: str | Path,
    progress: Callable[[int, int, Path], bool | None] | None = None,
    finished: Callable[[int, FileResult], None] | None = None,
) -> list[FileResult]:
    """Import every exchange file under ``folder`` into the workspace ``ws``.

    ``progress(done, total, path)`` is called before each file (and once more with
    ``done == total`` at the end); when it returns ``False`` the gathering stops there (what was
    imported stays). ``finished(index, result)`` is called after each file. Returns one result
    per file, in the order read.
    """
    from perfdesk.services import DuplicateReport

    folder = Path(folder)
    files = folder_files(folder)
    results: list[FileResult] = []

    def record(result: FileResult) -> None:
        results.append(result)
        if finished is not None:
            finished(len(results) - 1, result)

    seen: dict[tuple[str, int, str, str], tuple[Path, Report]] = {}  # this gathering's reports
    for done, path in enumerate(files):
        if progress is not None and progress(done, len(files), path) is False:
            for rest in files[done:]:  # cancelled: the files not read are named, not lost
                record(FileResult(rest, Outcome.SKIPPED, "汇集已取消，未处理此文件"))
            break
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            why = (
                "Excel 工作簿只能把数字导入到已有的报告中（请单独导入）；汇集只收 .json 交换文件"
                if path.suffix.lower() in (".xlsx", ".xlsm", ".xls")
                else "不是报告交换文件（只汇集 perfdesk 导出的 .json 交换文件）"
            )
            record(FileResult(path, Outcome.SKIPPED, why))
            continue
        try:
            report = reader(path.read_bytes())
        except InputError as exc:
            record(FileResult(path, Outcome.REFUSED, str(exc)))
            continue
        except OSError as exc:
            record(FileResult(path, Outcome.REFUSED, f"无法读取文件：{exc.strerror or exc}"))
            continue
        what = _what(report)
        key = (report.unit_name, report.year, report.kind.value, report.project_name)
        facts = {"unit_name": report.unit_name, "year": report.year}
        earlier = seen.get(key)
        if earlier is not None and _canonical(earlier[1]) != _canonical(report):
            record(
                FileResult(
                    path,
                    Outcome.REFUSED,
                    f"与本次汇集的文件“{earlier[0].name}”同为{what}，但内容不同，未导入。"
                    "请与单位核实哪一份是最终版本",
                    **facts,
                )
            )
            continue
        try:
            rid = ws.add_report(report)
        except DuplicateReport as exc:
            same = _canonical(ws.load(exc.existing_id)) == _canonical(report)
            if earlier is not None and same:
                message = f"与本次汇集的文件“{earlier[0].name}”内容相同（编号 {exc.existing_id}）"
            elif same:
                message = f"数据库中已有{what}（编号 {exc.existing_id}），内容相同"
            else:
                record(
                    FileResult(
                        path,
                        Outcome.REFUSED,
                        f"{exc}，且内容与文件不同，未覆盖。请核实哪一份是最终版本；"
                        "如需以文件为准，可单独导入该文件并选择替换",
                        exc.existing_id,
                        **facts,
                    )
                )
                continue
            seen.setdefault(key, (path, report))
            record(FileResult(path, Outcome.PRESENT, message, exc.existing_id, **facts))
            continue
        except InputError as exc:
            record(FileResult(path, Outcome.REFUSED, str(exc), **facts))
            continue
        seen[key] = (path, report)
        record(
            FileResult(path, Outcome.IMPORTED, f"{what}，编号 {rid}", rid, **facts, report=report)
        )
    if progress is not None:
        progress(len(files), len(files), folder)
    return results


def prepare_summaries(
    ws: Any, results: list[FileResult], progress: Callable[[int, int], None] | None = None
) -> None:
    """Work out and cache the summary rows of the years just gathered, so the summary opens at
    once. Only a cache: a failure here is logged and the summary computes the rows when opened."""
    years = sorted({r.year for r in results if r.outcome == Outcome.IMPORTED and r.year})
    known = {r.report_id: r.report for r in results if r.report is not None and r.report_id}
    for year in years:
        try:
            ws.summary_units(year, progress, known)
        except Exception:  # noqa: BLE001 - the import itself is done and kept
            log.exception("summary rows of %s not prepared", year)


def counts(results: list[FileResult]) -> dict[Outcome, int]:
    """How many files had each outcome (every outcome listed, in order)."""
    return {o: sum(1 for r in results if r.outcome == o) for o in Outcome}


def tally(results: list[FileResult]) -> str:
    """``共 12 个文件：已导入 9，已存在 1，未导入 1，已跳过 1`` — the one line after a gathering."""
    c = counts(results)
    return f"共 {len(results)} 个文件：" + "，".join(f"{o.value} {n}" for o, n in c.items())

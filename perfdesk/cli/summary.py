"""``perfdesk summary --year YYYY [-o FILE.pdf|FILE.xlsx]`` and ``perfdesk import DIR``: the
主管部门's summary of many units, and gathering a folder of their exchange files.

``summary`` prints the 自评汇总表 (tab-separated, one unit a line, then 合计 and 平均) and the
cross-unit 审核; ``-o`` writes the printout (汇总分析 and 汇总表) as a PDF, or the workbook as .xlsx.
``--units FILE.txt`` first replaces the 应报单位 list with the file's lines.

``import DIR`` (see :func:`import_folder`) imports every exchange file in the folder, printing a
progress line per file and a tally; it exits 2 when any file was refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from perfdesk.cli.common import EXIT_INPUT, EXIT_OK, CliError, integer, workspace


def _summary_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--year",
        type=integer,
        metavar="年度",
        help="汇总的年度，如 2024（库中只有一个年度时可省略）",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE.pdf|FILE.xlsx",
        help="输出文件：.pdf 为汇总分析报告及汇总表，.xlsx 为 Excel 工作簿；省略时在屏幕上列出",
    )
    p.add_argument(
        "--units",
        metavar="FILE.txt",
        help="先用此文本文件（每行一个单位名称）替换应报单位名单，再汇总",
    )


def _read_lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CliError(f"找不到文件“{path}”") from exc
    except OSError as exc:
        raise CliError(f"无法读取“{path}”：{exc.strerror or exc}") from exc
    for encoding in ("utf-8-sig", "gb18030"):  # Notepad's UTF-8, or an older Chinese Windows'
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise CliError(f"“{path}”不是文本文件（应为 UTF-8 或 GBK 编码，每行一个单位名称）")


def _progress(done: int, total: int) -> None:
    if total >= 20 and done % max(1, total // 10) == 0:
        print(f"perfdesk：正在计算单位汇总行 {done}/{total}…", file=sys.stderr)


def _year(ws: Any, given: int | None) -> int:
    years = ws.summary_years()
    if given is not None:
        return given
    if len(years) == 1:
        return years[0]
    if not years:
        raise CliError("数据库中还没有部门整体支出绩效自评报告（可用 perfdesk import 文件夹 汇集）")
    listed = "、".join(str(y) for y in years)
    raise CliError(f"数据库中有多个年度（{listed}）的报告，请用 --year 指定汇总的年度")


def _nothing_to_sum(ws: Any, year: int) -> None:
    """No unit's report of ``year`` (and no list of units expected): say so, not an empty table."""
    reports = ws.list_reports()
    samples = [r for r in reports if r.is_sample and r.year == year]
    note = "（示例报告不计入汇总）" if samples else ""
    years = sorted({r.year for r in reports if not r.is_sample and r.kind == "department"})
    there = "、".join(str(y) for y in years if y != year)
    raise CliError(
        f"数据库中没有{year}年度各单位的部门整体支出绩效自评报告{note}，无可汇总"
        + (
            f"；有报告的年度：{there}"
            if there
            else "；可用 perfdesk import 文件夹 汇集各单位的报告"
        )
    )


def _cell(kind: str, value: Any) -> str:
    from perfdesk.summary.table import cell_text

    return cell_text(kind, value)


def cmd_summary(args: argparse.Namespace) -> int:
    from perfdesk.summary.table import COLUMNS

    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() not in (".pdf", ".xlsx"):
        raise CliError(f"输出文件“{output.name}”应以 .pdf 或 .xlsx 结尾")
    ws = workspace(args, reading=args.units is None, may_write=True)  # may store its cache
    try:
        if args.units is not None:
            names = _read_lines(Path(args.units))
            ws.set_expected_units(names)
            print(f"已更新应报单位名单：{len(ws.expected_units())} 个单位")
        year = _year(ws, args.year)
        summary = ws.summary(year, _progress)
        if not summary.rows and not ws.expected_units():
            _nothing_to_sum(ws, year)
    finally:
        ws.close()

    if output is None:
        from perfdesk.summary.table import figure_text

        print(summary.title)
        print("\t".join(["序号", *(c.header for c in COLUMNS)]))
        for n, row in enumerate(summary.rows, 1):
            print("\t".join([str(n), *(_cell(c.kind, row.value(c.key)) for c in COLUMNS)]))
        for title, figures in (("合计", summary.totals), ("平均", summary.averages)):
            cells = [figure_text(c.kind, figures.get(c.key)).replace("\n", "") for c in COLUMNS[1:]]
            print("\t".join(["", f"{title}（{summary.unit_count}个单位）", *cells]))
        grades = "，".join(f"{g} {n}" for g, n in summary.grades.items())
        print(f"等级分布：{grades}")
        _print_findings(summary)
        return EXIT_OK

    if output.suffix.lower() == ".pdf":
        from perfdesk.report.summary import write_summary_pdf

        info = write_summary_pdf(summary, output)
        for line in info.warnings:
            print(f"perfdesk：提示：{line}", file=sys.stderr)
        print(
            f"已生成 PDF：{summary.title}，{summary.unit_count} 个单位，共 {info.page_count} 页 → {output}"
        )
    else:
        from perfdesk.summary.xlsx import write_summary_xlsx

        write_summary_xlsx(summary, output)
        print(f"已生成 Excel 工作簿：{summary.title}，{summary.unit_count} 个单位 → {output}")
    _print_findings(summary)
    return EXIT_OK


def _print_findings(summary: Any) -> None:
    from perfdesk.domain.audit import format_findings

    if not summary.findings:
        print("汇总审核：未发现问题。")
        return
    errors = len(summary.open_errors)
    print(f"汇总审核：{len(summary.findings)} 项（未处理的错误 {errors} 项）")
    print(format_findings(summary.findings))


# --- perfdesk import DIR ---------------------------------------------------------------------------


def import_folder(args: argparse.Namespace, folder: Path) -> int:
    """汇集: every exchange file under ``folder``; a line per file as it is done, then the tally."""
    from perfdesk.summary.gather import FileResult, Outcome, gather_folder, prepare_summaries, tally

    if getattr(args, "replace", False):
        raise CliError(
            "汇集文件夹时不替换已有的报告：内容不同的文件会逐个列出，"
            "请核实后对该文件单独使用 perfdesk import 文件 --replace"
        )
    total = 0

    def progress(done: int, count: int, path: Path) -> None:
        nonlocal total
        total = count

    def finished(index: int, result: FileResult) -> None:
        where = result.path.relative_to(folder)
        print(
            f"[{index + 1:>{len(str(total))}}/{total}] {where}：{result.outcome.value}。{result.message}"
        )

    ws = workspace(args)
    try:
        results = gather_folder(ws, folder, progress, finished)
        prepare_summaries(ws, results, _progress)
    finally:
        ws.close()
    print(tally(results))
    refused = sum(1 for r in results if r.outcome == Outcome.REFUSED)
    if refused:
        print(f"有 {refused} 个文件未导入，原因见上；其余文件的结果不受影响。")
        return EXIT_INPUT
    return EXIT_OK


COMMANDS = {"summary": (_summary_arguments, cmd_summary)}

PRELOAD = {"summary": ("perfdesk.services",)}
"""What every command here imports in any case (the services, so SQLAlchemy), imported first with
the garbage collector off (:func:`perfdesk.cli._run_command`)."""

"""Figures and indicator tables read back from Excel: every change shown, nothing partial."""

from __future__ import annotations

import io
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from perfdesk.office.xlsx_import import MAX_ROWS, WorkbookError, float_to_decimal, read_workbook
from tests.office.conftest import cell_right_of, edited, exported, find_cell

S1 = "附件1 基础数据表"
S2 = "附件2 整体支出绩效自评表"


def _plan(ws, rid, data, **kw):
    return read_workbook(data, ws.load(rid), name="测试.xlsx", **kw)


def _apply(ws, rid, plan):
    return ws.apply_changes(plan.edits(ws.fixed_row_ids(rid)), plan.inserts())


# --- round trip ---------------------------------------------------------------------------------


def test_sample_exported_and_imported_back_changes_nothing(sample_ws):
    ws, rid = sample_ws
    plan = _plan(ws, rid, exported(ws.load(rid)))
    assert plan.empty and plan.changes == [] and plan.notes == []


def test_filled_report_with_project_forms_round_trips_unchanged(filled_ws):
    ws, rid = filled_ws
    assert _plan(ws, rid, exported(ws.load(rid))).empty


def test_changed_cells_are_shown_old_to_new_and_stored_in_one_step(sample_ws):
    ws, rid = sample_ws
    before = ws.load(rid)

    def edit(wb):
        cell_right_of(wb[S1], "3、公务接待", 3).value = 0.25
        cell_right_of(wb[S2], "基本支出", 2).value = "260.10"

    plan = _plan(ws, rid, edited(exported(before), edit))
    assert [(c.what, c.old, c.new) for c in plan.changes] == [
        ("3、公务接待 · 2024年决算数", "0.13", "0.25"),
        ("基本支出 · 全年预算数", "（空）", "260.10"),
    ]
    assert plan.changes[0].place.startswith(f"{S1}!F")
    _apply(ws, rid, plan)
    after = ws.load(rid)
    assert after.control_line("three_public.reception").final == D("0.25")
    assert after.budget_line("expense.basic").full_year_budget == D("260.10")


def test_undo_and_redo_of_an_import_restore_every_value(sample_ws):
    ws, rid = sample_ws
    before = ws.load(rid)

    def edit(wb):
        cell_right_of(wb[S1], "公用经费", 1).value = None  # blank is blank: cleared, not 0
        find_cell(wb[S2], "政策知晓率").offset(column=4).value = 7

    plan = _plan(ws, rid, edited(exported(before), edit))
    edits = plan.edits(ws.fixed_row_ids(rid))
    previous, added = ws.apply_changes(edits, plan.inserts())
    changed = ws.load(rid)
    assert changed.control_line("public").prior_final is None
    restore = [(e, r, b) for (e, r, _), b in zip(edits, previous, strict=True)]
    deleted = ws.undo_changes(list(reversed(restore)), added)
    assert ws.load(rid) == before
    ws.redo_changes(edits, deleted)
    assert ws.load(rid) == changed


def test_excel_float_is_read_as_the_decimal_excel_shows():
    assert float_to_decimal(0.1 + 0.2) == D("0.3")
    assert float_to_decimal(4532.05) == D("4532.05")
    assert float_to_decimal(1234567.1234) == D("1234567.1234")
    assert float_to_decimal(1.1 * 3) == D("3.3")


def test_sum_computed_in_excel_is_stored_as_an_exact_decimal(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        cell_right_of(wb[S1], "其中：办公经费", 3).value = 0.1 + 0.2  # 0.30000000000000004

    plan = _plan(ws, rid, edited(exported(ws.load(rid)), edit))
    _apply(ws, rid, plan)
    value = ws.load(rid).control_line("public.office").final
    assert value == D("0.3") and isinstance(value, D) and str(value) == "0.30"


def test_an_amount_finer_than_one_yuan_is_refused_not_rounded(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        cell_right_of(wb[S1], "其中：办公经费", 3).value = 10 / 3

    with pytest.raises(WorkbookError, match=r"办公经费.*最多保留4位小数"):
        _plan(ws, rid, edited(exported(ws.load(rid)), edit))


def test_computed_cells_are_not_read_back_but_said_so(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        cell_right_of(wb[S1], "三公经费", 3).value = 99

    plan = _plan(ws, rid, edited(exported(ws.load(rid)), edit))
    assert plan.empty
    assert "计算得出" in plan.notes[0] and "三公经费" in plan.notes[0]


def test_one_figure_given_two_values_on_two_sheets_is_refused(filled_ws):
    ws, rid = filled_ws
    report = ws.load(rid)
    name = report.projects[0].name

    def edit(wb):
        cell_right_of(wb[S1], name, 3).value = 11  # 附件1: the project's 本年决算数
        sheet = next(s for s in wb.worksheets if s.title.startswith("附件3-1"))
        cell_right_of(sheet, "年度资金总额", 3).value = 12  # 附件3: the same 全年执行数

    with pytest.raises(WorkbookError, match="两处填写的值不同"):
        _plan(ws, rid, edited(exported(report), edit))


# --- bad input: a Chinese message naming sheet and cell, and the database unchanged ----------------


def _refused(ws, rid, data, pattern):
    before = ws.load(rid)
    with pytest.raises(WorkbookError) as info:
        _plan(ws, rid, data)
    assert ws.load(rid) == before
    message = str(info.value)
    import re

    assert re.search(pattern, message), message
    return message


def test_text_in_an_amount_cell_names_sheet_and_cell(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        cell_right_of(wb[S1], "3、公务接待", 3).value = "约0.2"

    msg = _refused(ws, rid, edited(exported(ws.load(rid)), edit), rf"^{S1}!F\d+：金额格式不正确")
    assert "约0.2" in msg
    assert msg.count("格式不正确") == 1, msg  # said once (it was said twice)


def test_formula_without_a_cached_value_is_refused(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        cell_right_of(wb[S1], "3、公务接待", 3).value = "=0.1+0.2"

    _refused(ws, rid, edited(exported(ws.load(rid)), edit), rf"^{S1}!F\d+：公式没有计算结果")


def test_merged_value_cells_are_refused(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        c = cell_right_of(wb[S1], "其中：公车购置", 1)
        wb[S1].merge_cells(
            start_row=c.row, start_column=c.column, end_row=c.row + 2, end_column=c.column
        )

    _refused(
        ws,
        rid,
        edited(exported(ws.load(rid)), edit),
        rf"^{S1}!B\d+:[A-Z]+\d+：合并了应分别填写的单元格",
    )


def test_hidden_rows_are_refused(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        wb[S2].row_dimensions[find_cell(wb[S2], "政策知晓率").row].hidden = True

    _refused(ws, rid, edited(exported(ws.load(rid)), edit), rf"^{S2}!\d+:\d+：第 \d+ 行被隐藏")


def test_inserted_row_is_refused_not_guessed_at(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        wb[S1].insert_rows(find_cell(wb[S1], "公用经费").row)

    _refused(
        ws, rid, edited(exported(ws.load(rid)), edit), rf"^{S1}!A\d+：应为“.*”.*插入或删除了行"
    )


def test_unknown_sheet_is_refused(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        wb.create_sheet("附件4 其他").append(["随便写点什么"])

    _refused(ws, rid, edited(exported(ws.load(rid)), edit), r"^附件4 其他!A1：当前报告没有这张表")


def test_workbook_of_another_unit_is_refused(sample_ws):
    ws, rid = sample_ws
    other = ws.load(rid)
    other.unit_name = "株洲市荷塘区民政局"
    _refused(ws, rid, exported(other), rf"^{S1}!A3：.*株洲市荷塘区民政局.*不一致")


def test_missing_required_column_is_refused(sample_ws):
    ws, rid = sample_ws
    data = _indicator_book([["一级指标", "三级指标", "指标值"], ["产出指标", "低保人数", "100人"]])
    _refused(ws, rid, data, r"^绩效目标!A1：表头缺少“二级指标”列")


def test_sheet_that_is_no_known_table_is_refused(sample_ws):
    ws, rid = sample_ws
    data = _indicator_book([["姓名", "电话"], ["张三", "123"]])
    _refused(ws, rid, data, r"^绩效目标!A1：无法识别这张工作表")


def test_file_that_is_not_a_workbook_is_refused(sample_ws, tmp_path):
    ws, rid = sample_ws
    _refused(ws, rid, "这不是 Excel 文件".encode(), r"不是 Excel 工作簿")
    from perfdesk.office.docx_export import docx_bytes

    _refused(ws, rid, docx_bytes(ws.load(rid)), r"是 Word 文档")
    missing = tmp_path / "没有.xlsx"
    with pytest.raises(WorkbookError, match="找不到文件"):
        read_workbook(missing, ws.load(rid))


def test_password_protected_workbook_is_refused(sample_ws):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    ws, rid = sample_ws
    plain = io.BytesIO(exported(ws.load(rid)))
    locked = io.BytesIO()
    OOXMLFile(plain).encrypt("123456", locked)
    assert msoffcrypto  # the library made a real encrypted workbook
    _refused(ws, rid, locked.getvalue(), r"设有打开密码")


def test_old_xls_file_is_refused_with_what_to_do(sample_ws):
    ws, rid = sample_ws
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    _refused(ws, rid, ole, r"旧版 Excel（\.xls）.*另存为 \.xlsx")


@pytest.mark.slow
def test_sheet_of_a_hundred_thousand_rows_is_refused_quickly(sample_ws):
    import time

    ws, rid = sample_ws
    wb = openpyxl.Workbook(write_only=True)
    sheet = wb.create_sheet("绩效目标")
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值"])
    for i in range(100_000):
        sheet.append(["产出指标", "数量指标", f"指标{i}", "1"])
    out = io.BytesIO()
    wb.save(out)
    start = time.perf_counter()
    _refused(ws, rid, out.getvalue(), rf"^工作表“绩效目标”的数据超过 {MAX_ROWS:,} 行")
    assert time.perf_counter() - start < 30  # refused before the whole sheet is read in


# --- indicator tables (the budget system's 绩效目标 export) ---------------------------------------


def _indicator_book(rows, title="绩效目标", merges=()):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for m in merges:
        sheet.merge_cells(m)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_indicator_table_in_any_column_order_fills_the_report(sample_ws):
    ws, rid = sample_ws
    rows = [
        ["序号", "指标值（A）", "三级指标", "二级指标", "一级指标", "分值", "实际完成值"],
        [1, "≥95%", "社会救助对象准确率", "质量指标", "产出指标", 6, "96%"],
        [2, "≥90%", "新增一个指标", "质量指标", "产出", 2, None],
        [3, "100%", "全新的一级下的指标", "某二级指标", "管理指标（5分）", None, None],
    ]
    before = ws.load(rid)
    plan = _plan(ws, rid, _indicator_book(rows))
    whats = [c.what for c in plan.changes]
    assert "附件2 整体 · 社会救助对象准确率 · 年度指标值" in whats
    assert "附件2 整体 · 社会救助对象准确率 · 分值" in whats
    assert any("新增一个指标（新增行）" in w for w in whats)
    assert any(w.endswith("新增一级指标") for w in whats)
    _apply(ws, rid, plan)
    after = ws.load(rid)
    ind = next(i for i in after.indicators if i.name == "社会救助对象准确率")
    assert (ind.target_text, ind.weight, ind.actual_text) == ("≥95%", D("6"), "96%")
    assert ind.target_value == D("95") and ind.actual_value == D("96")
    assert (
        ind.score == next(i for i in before.indicators if i.name == ind.name).score
    )  # blank: kept
    names = [i.name for i in after.indicators]
    new = names.index("新增一个指标")
    assert after.indicators[new].level1 == "产出指标"  # spelled as the report spells it
    assert after.indicators[new - 1].level2 == "质量指标"  # after the last row of its 二级
    assert any(g.name == "管理指标" and g.weight == D("5") for g in after.groups)


def test_indicator_rows_fill_the_empty_rows_kept_for_a_project(sample_ws):
    ws, rid = sample_ws
    report = ws.load(rid)
    project = report.projects[0]
    rows = [
        ["一级指标", "二级指标", "三级指标", "年度指标值", "项目名称"],
        ["产出指标", "数量指标", "保障人数", "2000人", project.name],
        [None, "质量指标", "发放准确率", "100%", project.name],
    ]
    data = _indicator_book(rows, merges=["A2:A3"])
    plan = _plan(ws, rid, data)
    assert not plan.new_rows  # the template's empty 数量/质量 rows are filled
    _apply(ws, rid, plan)
    after = ws.load(rid).projects[0]
    named = [(i.level2, i.name, i.target_text) for i in after.indicators if i.name]
    assert named == [("数量指标", "保障人数", "2000人"), ("质量指标", "发放准确率", "100%")]
    assert len(after.indicators) == len(project.indicators)


def test_indicator_table_named_like_a_project_goes_to_that_project(sample_ws):
    ws, rid = sample_ws
    name = ws.load(rid).projects[1].name
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "对象人数", "480人"],
    ]
    plan = _plan(ws, rid, _indicator_book(rows, title=name[:31]))
    assert plan.changes[0].what.startswith(name)


def test_indicator_table_refuses_unknown_project_and_merged_values(sample_ws):
    ws, rid = sample_ws
    rows = [
        ["项目名称", "一级指标", "二级指标", "三级指标", "指标值"],
        ["不存在的项目", "产出指标", "数量指标", "人数", "1"],
    ]
    _refused(
        ws, rid, _indicator_book(rows), r"^绩效目标!A2：当前报告中没有名为“不存在的项目”的项目"
    )
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "甲", "1"],
        ["产出指标", "数量指标", "乙", None],
    ]
    _refused(
        ws, rid, _indicator_book(rows, merges=["D2:D3"]), r"^绩效目标!D2:D3：合并单元格跨越了多行"
    )


def test_indicator_score_that_is_not_a_number_names_the_cell(sample_ws):
    ws, rid = sample_ws
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值", "得分"],
        ["产出指标", "数量指标", "甲", "1", "满分"],
    ]
    _refused(ws, rid, _indicator_book(rows), r"^绩效目标!E2：得分格式不正确")


# --- the command line -------------------------------------------------------------------------


def test_cli_round_trip_ten_changed_cells(sample_ws, tmp_path, capsys):
    """export the sample → change 10 cells with openpyxl → import lists exactly those 10 →
    --yes stores them → perfdesk export (JSON) shows them."""
    import json

    from perfdesk.cli import main

    ws, rid = sample_ws
    db = ws.path
    ws.close()
    xlsx = tmp_path / "附件表.xlsx"
    assert main(["export", "--db", str(db), "--format", "xlsx", "-o", str(xlsx)]) == 0
    wb = openpyxl.load_workbook(xlsx)
    s1, s2 = wb[S1], wb[S2]
    edits = [
        (cell_right_of(s1, "其中：公车购置", 1), 0.5),
        (cell_right_of(s1, "其中：公车购置", 2), 0.6),
        (cell_right_of(s1, "2、出国经费", 3), 0),
        (cell_right_of(s1, "政府采购金额", 3), "440.00"),
        (find_cell(s1, "2024年实际在职人数").offset(row=1), 13),
        (cell_right_of(s2, "一般公共预算", 1), 3300.5),
        (cell_right_of(s2, "其他资金", 3), 1056.86),
        (find_cell(s2, "政策知晓率").offset(column=1), "90%"),
        (find_cell(s2, "政策知晓率").offset(column=4), 8),
        (find_cell(s2, "政策知晓率").offset(column=5), "宣传不够，明年加强"),
    ]
    for cell, value in edits:
        cell.value = value
    wb.save(xlsx)
    capsys.readouterr()
    assert main(["import", "--db", str(db), str(xlsx)]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("  附件")]
    assert len(lines) == 10, out
    assert {line.strip().split("  ")[0] for line in lines} == {
        f"{c.parent.title}!{c.coordinate}" for c, _ in edits
    }
    assert "尚未保存" in out
    from perfdesk.services import Workspace

    check = Workspace.open(db)
    assert check.load(rid).control_line("procurement").final == D("0.00")  # not stored yet
    check.close()
    assert main(["import", "--db", str(db), str(xlsx), "--yes"]) == 0
    assert "已保存以上 10 处修改" in capsys.readouterr().out
    out_json = tmp_path / "r.json"
    assert main(["export", "--db", str(db), "-o", str(out_json)]) == 0
    report = json.loads(out_json.read_text(encoding="utf-8"))["report"]
    lines_by_key = {c["key"]: c for c in report["control_lines"]}
    assert lines_by_key["three_public.vehicle_purchase"]["prior_final"] == "0.50"
    assert lines_by_key["three_public.vehicle_purchase"]["budget"] == "0.60"
    assert lines_by_key["three_public.overseas"]["final"] == "0.00"
    assert lines_by_key["procurement"]["final"] == "440.00"
    assert report["actual_staff"] == 13
    budget = {b["key"]: b for b in report["budget_lines"]}
    assert budget["income.general_public"]["initial_budget"] == "3300.50"
    assert budget["income.other"]["executed"] == "1056.86"
    ind = next(i for i in report["indicators"] if i["name"] == "政策知晓率")
    assert (ind["target_text"], ind["score"], ind["deviation_reason"]) == (
        "90%",
        "8",
        "宣传不够，明年加强",
    )


def test_cli_import_of_a_bad_workbook_prints_one_chinese_line_and_stores_nothing(
    sample_ws, tmp_path, capsys
):
    from perfdesk.cli import main

    ws, rid = sample_ws
    db = ws.path
    before = ws.load(rid)
    ws.close()
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    assert main(["import", "--db", str(db), str(bad), "--yes"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Excel 工作簿" in err[0]
    from perfdesk.services import Workspace

    check = Workspace.open(db)
    assert check.load(rid) == before
    check.close()


def test_cli_exports_docx_and_xlsx(sample_ws, tmp_path):
    from perfdesk.cli import main

    ws, _ = sample_ws
    db = ws.path
    ws.close()
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"报告.{fmt}"
        assert main(["export", "--db", str(db), "-o", str(out)]) == 0  # format from the name
        assert out.read_bytes()[:2] == b"PK"
    assert isinstance(Path, type)


# --- 编制数 by kind (a workbook-only table) ---------------------------------------------------


def test_the_kinds_of_bianzhi_are_filled_in_excel_and_their_sum_is_the_bianzhi(sample_ws):
    """附件1 shows 编制数 as the sum of the kinds of 编制, a computed cell that Excel cannot fill;
    the workbook lists each kind with its own cell, and a blank cell is blank, not 0."""
    ws, rid = sample_ws
    before = ws.load(rid)
    assert [(p.kind, p.count) for p in before.posts] == [("行政编制", 7), ("事业编制", 5)]

    def edit(wb):
        cell_right_of(wb[S1], "行政编制").value = 9
        cell_right_of(wb[S1], "事业编制").value = None

    plan = _plan(ws, rid, edited(exported(before), edit))
    assert [(c.what, c.old, c.new) for c in plan.changes] == [
        ("行政编制 · 编制数", "7", "9"),
        ("事业编制 · 编制数", "5", "（空）"),
    ]
    _apply(ws, rid, plan)
    after = ws.load(rid)
    assert [(p.kind, p.count) for p in after.posts] == [("行政编制", 9), ("事业编制", None)]
    from perfdesk.domain import calc

    assert calc.establishment_total(after) == 9


def test_a_kind_of_bianzhi_that_is_not_a_whole_number_is_refused(sample_ws):
    ws, rid = sample_ws

    def edit(wb):
        cell_right_of(wb[S1], "行政编制").value = 7.5

    with pytest.raises(WorkbookError, match="行政编制"):
        _plan(ws, rid, edited(exported(ws.load(rid)), edit))


def test_cli_import_names_every_bad_cell_not_only_the_first(sample_ws, tmp_path, capsys):
    from perfdesk.cli import main

    ws, rid = sample_ws
    db = ws.path
    before = ws.load(rid)
    ws.close()

    def edit(wb):
        cell_right_of(wb[S1], "行政编制").value = 7.5
        cell_right_of(wb[S1], "3、公务接待", 3).value = "abc"

    xlsx = tmp_path / "两处错.xlsx"
    xlsx.write_bytes(edited(exported(before), edit))
    assert main(["import", "--db", str(db), str(xlsx), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "有 2 处问题" in err and "行政编制" in err and "公务接待" in err
    from perfdesk.services import Workspace

    check = Workspace.open(db)
    assert check.load(rid) == before
    check.close()

"""Managing reports in the window: new, correct unit/year, delete (backed up), next year, import.

Each action is driven through its menu entry and its dialog as the clerk uses them; what ends up
stored is read back through a fresh read-only Workspace, not from the window's memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from perfdesk_ui.tabs.organisation import OrganisationTab
from PySide6.QtCore import Qt

from perfdesk.exchange import jsonfile
from perfdesk.services import Workspace
from tests.ui.conftest import filled_report
from tests.ui.dialogs import answer, click, no_command_line_words, type_into
from tests.ui.helpers import type_into_field


def stored(workspace) -> list[tuple[str, int]]:
    """(unit, year) of every report in the database file, read by a second, read-only opener."""
    ws = Workspace.open(workspace.path, readonly=True)
    try:
        return [(r.unit_name, r.year) for r in ws.list_reports()]
    finally:
        ws.close()


def combo_texts(window) -> list[str]:
    return [window.report_combo.itemText(i) for i in range(window.report_combo.count())]


# --- 新建报告 ------------------------------------------------------------------------------------


def test_new_report_pre_fills_the_unit_selected_so_typing_replaces_it(qtbot, window, workspace):
    def new_report(dialog):
        assert dialog.unit_name.text() == "株洲市芦淞区民政局"
        assert dialog.unit_name.selectedText() == "株洲市芦淞区民政局"
        type_into_typing_only(qtbot, dialog.unit_name, "某某县民政局")
        assert dialog.unit_name.text() == "某某县民政局"  # replaced, not appended
        type_into(qtbot, dialog.year, "2025")
        click(qtbot, dialog, "创建")

    answers = answer(qtbot, new_report)
    window.act_new.trigger()
    answers.check()
    assert ("某某县民政局", 2025) in stored(workspace)


def type_into_typing_only(qtbot, field, text):
    """Type without selecting first: relies on the dialog having selected the pre-filled text."""
    from tests.ui.helpers import type_text

    type_text(qtbot, field, text)


def test_new_report_for_an_existing_unit_and_year_is_refused_in_the_dialog(
    qtbot, window, workspace
):
    def new_report(dialog):
        type_into(qtbot, dialog.year, "2024")  # 株洲市芦淞区民政局 2024 exists
        click(qtbot, dialog, "创建")
        assert dialog.isVisible()  # still open, with the reason
        assert "已有报告“2024年度 株洲市芦淞区民政局”" in dialog.error.text()
        assert "切换到它" in dialog.error.text() and "删除报告" in dialog.error.text()
        click(qtbot, dialog, "取消")

    answers = answer(qtbot, new_report)
    window.act_new.trigger()
    answers.check()
    assert stored(workspace) == [("株洲市芦淞区民政局", 2024)]
    no_command_line_words(answers.shown)


@pytest.mark.parametrize("typed", ["1999", "2101", "20245", "二〇二五", ""])
def test_a_year_outside_2000_to_2100_is_refused_with_a_message(qtbot, window, workspace, typed):
    def new_report(dialog):
        type_into(qtbot, dialog.unit_name, "某某县民政局")
        type_into(qtbot, dialog.year, typed)
        click(qtbot, dialog, "创建")
        assert dialog.isVisible()
        assert "年度" in dialog.error.text() and ("2000–2100" in dialog.error.text() or not typed)
        type_into(qtbot, dialog.year, "２０２５")  # full-width digits are a year too
        click(qtbot, dialog, "创建")

    answers = answer(qtbot, new_report)
    window.act_new.trigger()
    answers.check()
    assert ("某某县民政局", 2025) in stored(workspace)


# --- 改正单位名称/年度 -------------------------------------------------------------------------------


def test_correcting_unit_and_year_shows_at_once_in_the_switcher_and_can_be_undone(
    qtbot, window, workspace, report_id
):
    def rename(dialog):
        assert dialog.unit_name.selectedText() == "株洲市芦淞区民政局"
        type_into(qtbot, dialog.unit_name, "株洲市芦淞区财政局")
        type_into(qtbot, dialog.year, "2023")
        click(qtbot, dialog, "改正")

    answers = answer(qtbot, rename)
    window.act_rename.trigger()
    answers.check()
    assert stored(workspace) == [("株洲市芦淞区财政局", 2023)]
    assert window.report_combo.currentText() == "2023年度 株洲市芦淞区财政局"
    window.tabs.setCurrentWidget(window.tab(OrganisationTab))
    assert window.tab(OrganisationTab).year_label.text() == "2023年度"
    window.act_undo.trigger()  # 编辑 → 撤销 (the toolbar's 撤销 is the same action)
    assert stored(workspace) == [("株洲市芦淞区民政局", 2024)]
    assert window.report_combo.currentText() == "2024年度 株洲市芦淞区民政局"
    window.act_redo.trigger()
    assert stored(workspace) == [("株洲市芦淞区财政局", 2023)]


def test_renaming_to_an_existing_unit_and_year_is_refused_naming_that_report(
    qtbot, window, workspace, report_id
):
    workspace.add_report(filled_report("株洲市芦淞区财政局", 2024))
    window._fill_combo(report_id)

    def rename(dialog):
        type_into(qtbot, dialog.unit_name, "株洲市芦淞区财政局")
        click(qtbot, dialog, "改正")
        assert dialog.isVisible()
        assert "已有报告“2024年度 株洲市芦淞区财政局”" in dialog.error.text()
        type_into(qtbot, dialog.year, "2100")
        click(qtbot, dialog, "改正")  # another year: allowed

    answers = answer(qtbot, rename)
    window.act_rename.trigger()
    answers.check()
    assert sorted(stored(workspace)) == [("株洲市芦淞区财政局", 2024), ("株洲市芦淞区财政局", 2100)]
    no_command_line_words(answers.shown)


def test_typing_an_existing_unit_into_the_unit_field_is_refused_in_chinese(
    qtbot, window, workspace, report_id
):
    workspace.add_report(filled_report("株洲市芦淞区财政局", 2024))
    tab = window.tab(OrganisationTab)
    window.tabs.setCurrentWidget(tab)
    field = tab.header["unit_name"]
    type_into_field(qtbot, field, "株洲市芦淞区财政局")
    assert "已有“株洲市芦淞区财政局”2024年度" in field.toolTip()
    assert "UNIQUE" not in field.toolTip() and "Integrity" not in field.toolTip()
    assert field.text() == "株洲市芦淞区财政局"  # what was typed stays there to be corrected
    assert workspace.load(report_id).unit_name == "株洲市芦淞区民政局"
    type_into_field(qtbot, field, "株洲市芦淞区民政事务局")
    assert workspace.load(report_id).unit_name == "株洲市芦淞区民政事务局"
    assert window.report_combo.currentText() == "2024年度 株洲市芦淞区民政事务局"


# --- 删除报告 ------------------------------------------------------------------------------------


def test_deleting_a_report_backs_up_first_says_how_to_get_it_back_and_can_be_undone(
    qtbot, window, workspace, report_id
):
    other = workspace.add_report(filled_report("株洲市芦淞区财政局", 2024))
    window._fill_combo(report_id)

    def confirm(box):
        assert "2024年度 株洲市芦淞区民政局" in box.text()
        assert "备份" in box.informativeText() and "文件 → 恢复备份" in box.informativeText()
        click(qtbot, box, "删除")

    def done(box):
        assert "删除前已备份" in box.text() and "文件 → 恢复备份" in box.text()
        (ok,) = box.buttons()  # the one button that closes the notice
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    answers = answer(qtbot, confirm, done)
    window.act_delete.trigger()
    answers.check()
    assert stored(workspace) == [("株洲市芦淞区财政局", 2024)]
    assert window.doc.report_id == other and combo_texts(window) == ["2024年度 株洲市芦淞区财政局"]
    backup = next(b for b in workspace.backups() if b.kind == "predelete")
    assert "2024年度 株洲市芦淞区民政局" in backup.reports
    assert window.act_undo_delete.isEnabled()
    assert "株洲市芦淞区民政局" in window.act_undo_delete.text()
    window.act_undo_delete.trigger()
    assert sorted(stored(workspace)) == [("株洲市芦淞区民政局", 2024), ("株洲市芦淞区财政局", 2024)]
    restored = Workspace.open(workspace.path, readonly=True)
    try:
        rid = next(r.id for r in restored.list_reports() if r.unit_name == "株洲市芦淞区民政局")
        again = restored.load(rid)
    finally:
        restored.close()
    assert again.list_items("duties") == ["贯彻执行民政工作的法律法规。", "负责社会救助工作。"]
    assert [p.name for p in again.projects] == ["城乡低保资金", "养老服务补贴"]
    assert not window.act_undo_delete.isEnabled()
    no_command_line_words(answers.shown)


def test_cancelling_the_delete_keeps_the_report(qtbot, window, workspace):
    answers = answer(qtbot, lambda box: click(qtbot, box, "取消"))
    window.act_delete.trigger()
    answers.check()
    assert stored(workspace) == [("株洲市芦淞区民政局", 2024)]
    assert not [b for b in workspace.backups() if b.kind == "predelete"]


def test_deleting_the_only_report_leads_to_the_start_page_with_the_way_back(
    qtbot, window, workspace
):
    def confirm(box):
        assert "开始页" in box.informativeText()
        click(qtbot, box, "删除")

    answers = answer(qtbot, confirm, lambda box: box.accept())
    window.act_delete.trigger()
    answers.check()
    assert stored(workspace) == []
    assert window.pages.currentWidget() is window.start_page
    assert "删除前已备份" in window.start_page.message.text()
    assert not window.act_delete.isEnabled() and not window.act_rename.isEnabled()
    window.act_undo_delete.trigger()
    assert stored(workspace) == [("株洲市芦淞区民政局", 2024)]
    assert window.pages.currentIndex() == 0


def test_a_failed_backup_deletes_nothing(qtbot, window, workspace, monkeypatch):
    from perfdesk.errors import BackupError

    def failing(*_a, **_k):
        raise BackupError("磁盘已满")

    monkeypatch.setattr("perfdesk.services.create_backup", failing)
    seen = []
    answers = answer(
        qtbot,
        lambda box: click(qtbot, box, "删除"),
        lambda box: (seen.append(box.text()), box.accept()),
    )
    window.act_delete.trigger()
    answers.check()
    assert "报告没有删除" in seen[0]
    assert stored(workspace) == [("株洲市芦淞区民政局", 2024)]


# --- 从上年报告创建 ---------------------------------------------------------------------------------


def test_next_year_asks_first_and_refuses_a_year_that_exists_offering_to_switch(
    qtbot, window, workspace, report_id
):
    answers = answer(qtbot, lambda box: click(qtbot, box, "取消"))
    window.act_next_year.trigger()
    answers.check()
    assert stored(workspace) == [("株洲市芦淞区民政局", 2024)]  # cancelled: nothing made

    def confirm(box):
        assert "2025年度" in box.text() and "上年决算数" in box.informativeText()
        click(qtbot, box, "创建")

    answers = answer(qtbot, confirm)
    window.act_next_year.trigger()
    answers.check()
    assert sorted(stored(workspace)) == [("株洲市芦淞区民政局", 2024), ("株洲市芦淞区民政局", 2025)]
    new_id = window.doc.report_id
    window.open_report(report_id)  # back to 2024 and once more: 2025 exists now

    def refused(box):
        assert "已有报告“2025年度 株洲市芦淞区民政局”" in box.text()
        assert "删除报告" in box.informativeText()
        click(qtbot, box, "切换到该报告")

    answers = answer(qtbot, refused)
    window.act_next_year.trigger()
    answers.check()
    assert len(stored(workspace)) == 2
    assert window.doc.report_id == new_id
    assert window.report_combo.currentText() == "2025年度 株洲市芦淞区民政局"
    no_command_line_words(answers.shown)


# --- 导入 -----------------------------------------------------------------------------------------


def test_importing_a_report_that_exists_offers_replace_or_cancel_never_a_flag(
    qtbot, window, workspace, report_id, tmp_path: Path
):
    changed = filled_report()
    changed.preparer = "李四"
    path = tmp_path / "r.json"
    path.write_bytes(jsonfile.dump_bytes(changed))

    def cancel(box):
        assert "已有的报告“2024年度 株洲市芦淞区民政局”" in box.text()
        assert "替换" in box.informativeText() and "恢复备份" in box.informativeText()
        click(qtbot, box, "取消")

    answers = answer(qtbot, cancel)
    assert window.import_file(path) is None
    answers.check()
    assert workspace.load(report_id).preparer == "张三"

    answers = answer(qtbot, lambda box: click(qtbot, box, "替换"))
    rid = window.import_file(path)
    answers.check()
    ws = Workspace.open(workspace.path, readonly=True)
    try:
        assert [r.id for r in ws.list_reports()] == [rid]
        assert ws.load(rid).preparer == "李四"
    finally:
        ws.close()
    backup = next(b for b in workspace.backups() if b.kind == "predelete")
    assert backup.reports == ("2024年度 株洲市芦淞区民政局",)
    assert "替换前已备份" in window.statusBar().currentMessage()
    no_command_line_words(answers.shown)

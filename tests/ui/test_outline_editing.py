"""报告正文's outline edited in the window: add, rename, move, change level, remove — each one
undo step — with the program's numbering (the same as the printout's) and an empty outline handled."""

from __future__ import annotations

import io

from perfdesk_ui.tabs.outline import section_numbers
from perfdesk_ui.tabs.sections import SectionsTab
from PySide6.QtCore import Qt

from perfdesk.domain import model as m
from perfdesk.domain.templates import new_report
from perfdesk.services import Workspace
from tests.ui.dialogs import answer, click, maybe, type_into
from tests.ui.helpers import type_text


def outline(workspace, report_id) -> list[tuple[str, int]]:
    """(heading, level) of every section as stored, read by a second opener."""
    ws = Workspace.open(workspace.path, readonly=True)
    try:
        return [(s.heading, s.level) for s in ws.load(report_id).sections]
    finally:
        ws.close()


def show(window) -> SectionsTab:
    tab = window.tab(SectionsTab)
    window.tabs.setCurrentWidget(tab)
    return tab


def pick(qtbot, tab, row: int) -> None:
    """Click the row-th heading of the outline."""
    lst = tab.outline
    rect = lst.visualItemRect(lst.item(row))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert lst.currentRow() == row


def press(qtbot, tab, name: str) -> None:
    qtbot.mouseClick(tab.outline_editor.buttons[name], Qt.MouseButton.LeftButton)


def test_adding_a_section_asks_its_heading_and_puts_it_after_the_selected_one(
    qtbot, window, workspace, report_id
):
    tab = show(window)
    before = outline(workspace, report_id)
    pick(qtbot, tab, 2)  # （二）部门主要职责

    def add(dialog):
        assert dialog.heading.text() == ""  # nothing pre-filled to type into by accident
        assert "部门主要职责" in dialog.findChildren(type(dialog.error))[0].text()
        click(qtbot, dialog, "添加")
        assert dialog.isVisible() and "请填写标题" in dialog.error.text()
        type_into(qtbot, dialog.heading, "机构改革情况")
        click(qtbot, dialog, "添加")

    answers = answer(qtbot, add)
    press(qtbot, tab, "add")
    answers.check()
    after = outline(workspace, report_id)
    assert after == before[:3] + [("机构改革情况", 2)] + before[3:]
    assert tab.outline.currentRow() == 3 and tab.heading.text() == "机构改革情况"
    assert tab.outline.item(3).text() == "　　（三）机构改革情况"
    # the clerk types its text straight away and it is stored under the new section
    tab.text.setFocus()
    type_text(qtbot, tab.text, "本年度完成机构改革。")
    qtbot.waitUntil(lambda: not tab.text.pending(), timeout=3000)
    stored = Workspace.open(workspace.path, readonly=True)
    try:
        section = stored.load(report_id).sections[3]
    finally:
        stored.close()
    assert section.text == "本年度完成机构改革。" and section.key.startswith("custom.")
    window.act_undo.trigger()  # the text
    window.act_undo.trigger()  # the section
    assert outline(workspace, report_id) == before
    window.act_redo.trigger()
    assert outline(workspace, report_id)[3] == ("机构改革情况", 2)


def test_rename_move_level_and_remove_each_one_undo_step(qtbot, window, workspace, report_id):
    tab = show(window)
    original = outline(workspace, report_id)
    stack = window.doc.undo_stack

    pick(qtbot, tab, 0)
    qtbot.keyClick(tab.outline, Qt.Key.Key_F2)  # rename: the heading field, its text selected
    assert tab.heading.hasFocus() and tab.heading.selectedText() == original[0][0]
    type_text(qtbot, tab.heading, "单位基本情况")
    qtbot.keyClick(tab.heading, Qt.Key.Key_Return)
    assert outline(workspace, report_id)[0] == ("单位基本情况", 1)

    pick(qtbot, tab, 1)  # （一）机构设置和人员情况
    qtbot.keyClick(tab.outline, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    moved = outline(workspace, report_id)
    assert moved[1] == original[2] and moved[2] == original[1]
    assert tab.outline.currentRow() == 2  # the selection follows the moved section

    press(qtbot, tab, "outdent")  # （二）机构设置… → 二、
    assert outline(workspace, report_id)[2] == (original[1][0], 1)
    assert tab.outline.item(2).text() == "二、" + original[1][0]
    assert tab.outline.item(3).text() == "三、" + original[3][0]  # the rest renumbered

    pick(qtbot, tab, 3)
    answers = answer(qtbot)  # an empty section is removed without a question
    qtbot.keyClick(tab.outline, Qt.Key.Key_Delete)
    answers.check()
    assert len(outline(workspace, report_id)) == len(original) - 1

    assert stack.count() == 4
    for _ in range(4):
        window.act_undo.trigger()
    assert outline(workspace, report_id) == original
    for _ in range(4):
        window.act_redo.trigger()
    redone = outline(workspace, report_id)
    assert redone[0] == ("单位基本情况", 1) and redone[2] == (original[1][0], 1)
    assert len(redone) == len(original) - 1


def test_removing_a_section_with_text_asks_first_and_undo_brings_the_text_back(
    qtbot, window, workspace, report_id
):
    tab = show(window)
    pick(qtbot, tab, 1)  # 机构设置和人员情况 holds 本单位内设科室若干。
    answers = answer(qtbot, lambda box: click(qtbot, box, "取消"))
    press(qtbot, tab, "delete")
    answers.check()
    assert "正文 10 字" in answers.shown[0]
    assert outline(workspace, report_id)[1][0] == "机构设置和人员情况"
    answers = answer(qtbot, lambda box: click(qtbot, box, "删除"))
    press(qtbot, tab, "delete")
    answers.check()
    assert "机构设置和人员情况" not in [h for h, _ in outline(workspace, report_id)]
    window.act_undo.trigger()
    assert workspace.load(report_id).sections[1].text == "本单位内设科室若干。"


def test_an_outline_with_no_sections_says_so_and_the_default_outline_can_be_put_back(
    qtbot, window, workspace, report_id
):
    tab = show(window)
    count = len(outline(workspace, report_id))
    for _ in range(count):
        pick(qtbot, tab, 0)
        answers = maybe(qtbot, lambda box: click(qtbot, box, "删除"))  # asked if it has text
        press(qtbot, tab, "delete")
        answers.check()
    assert outline(workspace, report_id) == []
    assert tab.outline_editor.empty.isVisible() and not tab.outline.isVisible()
    assert "还没有任何章节" in tab.outline_editor.empty_label.text()
    assert not tab.heading.isEnabled() and not tab.text.isEnabled()  # nothing to type into
    # the printout of an outline without sections still works (cover, attachments)
    from perfdesk.report import build_pdf, shipped_fonts

    assert build_pdf(window.doc.report, io.BytesIO(), fonts=shipped_fonts()).page_count > 0

    qtbot.mouseClick(tab.outline_editor.use_default, Qt.MouseButton.LeftButton)
    restored = workspace.load(report_id).sections
    assert [s.key for s in restored] == [s.key for s in new_report("x", 2024).sections]
    assert tab.outline.isVisible() and tab.outline.count() == len(restored)
    window.act_undo.trigger()  # one step
    assert outline(workspace, report_id) == []


def test_a_default_section_added_again_keeps_its_standard_paragraph(
    qtbot, window, workspace, report_id
):
    tab = show(window)
    keys = [s.key for s in workspace.load(report_id).sections]
    row = keys.index("gov_fund")
    pick(qtbot, tab, row)
    answers = answer(qtbot)
    press(qtbot, tab, "delete")
    answers.check()
    assert "gov_fund" not in [s.key for s in workspace.load(report_id).sections]
    pick(qtbot, tab, row - 1)

    def add(dialog):
        labels = [dialog.content.itemText(i) for i in range(dialog.content.count())]
        choice = labels.index("默认提纲中的章节：政府性基金预算支出情况")
        dialog.content.setCurrentIndex(choice)
        assert dialog.heading.text() == "政府性基金预算支出情况"
        assert dialog.heading.selectedText() == dialog.heading.text()  # typing replaces it
        click(qtbot, dialog, "添加")

    answers = answer(qtbot, add)
    press(qtbot, tab, "add")
    answers.check()
    sections = workspace.load(report_id).sections
    assert sections[row].key == "gov_fund" and sections[row].level == 1


def test_a_list_section_can_be_added_for_a_list_no_section_prints(
    qtbot, window, workspace, report_id
):
    tab = show(window)
    keys = [s.key for s in workspace.load(report_id).sections]
    pick(qtbot, tab, keys.index("problems"))
    answers = answer(qtbot)
    press(qtbot, tab, "delete")  # an empty list section: no question
    answers.check()

    def add(dialog):
        labels = [dialog.content.itemText(i) for i in range(dialog.content.count())]
        assert "列表：存在的问题及原因分析（每行一条，自动编号）" in labels
        assert not any("部门主要职责（" in t for t in labels)  # printed by 一（二） already
        dialog.content.setCurrentIndex(
            labels.index("列表：存在的问题及原因分析（每行一条，自动编号）")
        )
        type_into(qtbot, dialog.heading, "存在的主要问题")
        click(qtbot, dialog, "添加")

    answers = answer(qtbot, add)
    press(qtbot, tab, "add")
    answers.check()
    section = next(s for s in workspace.load(report_id).sections if s.heading == "存在的主要问题")
    assert section.kind == m.SectionKind.LIST and section.list_key == "problems"
    assert section.key == "problems"
    assert tab.list_editor.isVisible()


def test_the_window_numbers_headings_exactly_as_the_printout_does(
    qtbot, window, workspace, report_id
):
    from pypdf import PdfReader

    from perfdesk.report import build_pdf, shipped_fonts

    tab = show(window)
    # eleven top-level headings (十一、) and a third level (1.) to number
    pick(qtbot, tab, len(tab.report.sections) - 1)
    for heading in ("附则", "附表说明"):
        answers = answer(
            qtbot, lambda d, h=heading: (type_into(qtbot, d.heading, h), click(qtbot, d, "添加"))
        )
        press(qtbot, tab, "add")
        answers.check()
    press(qtbot, tab, "indent")
    press(qtbot, tab, "indent")  # 附表说明 → level 3
    report = workspace.load(report_id)
    out = io.BytesIO()
    build_pdf(report, out, fonts=shipped_fonts())
    reader = PdfReader(io.BytesIO(out.getvalue()))

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    # after the report's own title, before the attachments (附件1…)
    printed = [t for t in titles(reader.outline) if not t.startswith("附件")][1:]
    shown = [tab.outline.item(i).text().strip("　") for i in range(tab.outline.count())]
    bookmarked = [t for t, s in zip(shown, report.sections, strict=True) if s.level <= 2]
    assert printed == bookmarked
    assert "十一、附则" in shown and "1.附表说明" in shown
    assert section_numbers(report.sections)[-2:] == ["十一、", "1."]

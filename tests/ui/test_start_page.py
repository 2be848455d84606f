"""First run and empty files: the start page instead of an empty form, the sample marked as such."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from perfdesk.services import Workspace, default_db_path
from tests.ui.dialogs import answer, click, no_command_line_words, type_into


def _window(qtbot, db: str | None):
    from perfdesk_ui.app import application, create_window

    application()
    window = create_window(db)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def test_a_database_file_that_does_not_exist_opens_on_the_start_page_and_is_not_made(
    qtbot, tmp_path: Path
):
    db = tmp_path / "新单位.db"
    window = _window(qtbot, str(db))
    assert window.pages.currentWidget() is window.start_page
    note = window.start_page.note.text()
    assert str(db) in note and "还不存在" in note and "新建第一份报告" in note
    assert window.start_page.buttons["new"].isEnabled()
    assert not window.act_audit.isEnabled() and not window.act_delete.isEnabled()
    window.close()
    assert not db.exists()  # looking is not creating: a mistyped path leaves nothing behind
    assert not (tmp_path / "新单位.db.lock").exists()


def test_the_start_page_creates_the_file_with_the_first_report(qtbot, tmp_path: Path):
    db = tmp_path / "新单位.db"
    window = _window(qtbot, str(db))

    def new_report(dialog):
        assert "新单位.db" in dialog.intro.text()  # the dialog says where it will be stored
        assert dialog.unit_name.text() == ""
        type_into(qtbot, dialog.unit_name, "某某县民政局")
        type_into(qtbot, dialog.year, "2025")
        click(qtbot, dialog, "创建")

    answers = answer(qtbot, new_report)
    qtbot.mouseClick(window.start_page.buttons["new"], Qt.MouseButton.LeftButton)
    answers.check()
    assert db.exists()
    assert window.pages.currentIndex() == 0 and window.tabs.currentIndex() == 0
    assert window.report_combo.currentText() == "2025年度 某某县民政局"
    assert not window.sample_banner.isVisible()
    window.close()
    ws = Workspace.open(db, readonly=True)
    try:
        assert [(r.unit_name, r.year, r.is_sample) for r in ws.list_reports()] == [
            ("某某县民政局", 2025, False)
        ]
    finally:
        ws.close()
    no_command_line_words(answers.shown)


def test_cancelling_the_new_report_dialog_creates_no_file(qtbot, tmp_path: Path):
    db = tmp_path / "x.db"
    window = _window(qtbot, str(db))
    answers = answer(qtbot, lambda d: click(qtbot, d, "取消"))
    qtbot.mouseClick(window.start_page.buttons["new"], Qt.MouseButton.LeftButton)
    answers.check()
    assert not db.exists() and window.pages.currentWidget() is window.start_page


def test_an_existing_database_without_reports_shows_the_start_page_not_an_empty_form(
    qtbot, tmp_path: Path
):
    db = tmp_path / "empty.db"
    Workspace.open(db).close()
    window = _window(qtbot, str(db))
    assert window.pages.currentWidget() is window.start_page
    assert "还没有报告" in window.start_page.title.text()
    # no editor is reachable to type into: the tabs are not shown at all
    assert not window.tabs.isVisible()


def test_first_run_shows_the_sample_plainly_as_the_sample(qtbot):
    window = _window(qtbot, None)
    assert default_db_path().exists()
    assert window.doc.report.is_sample
    assert window.sample_banner.isVisible()
    assert "这是示例报告" in window.sample_banner.text.text()
    assert window.report_combo.currentText() == "2024年度 株洲市芦淞区民政局（示例）"


def test_the_sample_can_be_opened_from_the_start_page(qtbot, tmp_path: Path):
    db = tmp_path / "look.db"
    window = _window(qtbot, str(db))
    qtbot.mouseClick(window.start_page.buttons["sample"], Qt.MouseButton.LeftButton)
    assert db.exists() and window.doc.report.is_sample
    assert window.sample_banner.isVisible()
    # asked again, it switches to the same sample rather than loading a second copy
    assert window.open_sample() == window.doc.report_id
    assert len(window.doc.ws.list_reports()) == 1


def test_the_first_own_report_offers_to_delete_the_sample_and_deletes_it_after_a_backup(qtbot):
    window = _window(qtbot, None)
    sample_id = window.doc.report_id

    def new_report(dialog):
        # over the sample nothing is pre-filled: typing cannot append to 株洲市芦淞区民政局
        assert dialog.unit_name.text() == "" and dialog.unit_level == ""
        type_into(qtbot, dialog.unit_name, "某某县财政局")
        type_into(qtbot, dialog.year, "2025")
        click(qtbot, dialog, "创建")

    def remove_sample(box):
        assert "示例报告" in box.text() and "先备份" in box.informativeText()
        click(qtbot, box, "删除示例报告")

    answers = answer(qtbot, new_report, remove_sample)
    qtbot.mouseClick(window.sample_banner.new_button, Qt.MouseButton.LeftButton)
    answers.check()
    assert not window.sample_banner.isVisible()
    assert window.report_combo.count() == 1
    window.close()
    ws = Workspace.open(default_db_path(), readonly=True)
    try:
        assert [(r.unit_name, r.is_sample) for r in ws.list_reports()] == [("某某县财政局", False)]
        assert sample_id not in [r.id for r in ws.list_reports()]
        backup = next(b for b in ws.backups() if b.kind == "predelete")
        assert "2024年度 株洲市芦淞区民政局" in backup.reports  # the sample is still in the backup
    finally:
        ws.close()
    no_command_line_words(answers.shown)


def test_keeping_the_sample_is_a_choice_and_it_is_not_asked_again(qtbot):
    window = _window(qtbot, None)
    answers = answer(qtbot, lambda box: click(qtbot, box, "保留"))
    window.create_report("某某县财政局", 2025)
    window.offer_sample_removal()
    answers.check()
    assert len(window.doc.ws.sample_report_ids()) == 1
    window.create_report("某某县财政局", 2026)
    assert window.offer_sample_removal() is False  # a second own report: no question


def test_a_new_file_in_a_folder_that_does_not_exist_is_explained_and_nothing_is_lost(
    qtbot, tmp_path: Path
):
    db = tmp_path / "没有的文件夹" / "a.db"
    window = _window(qtbot, str(db))

    def new_report(dialog):
        type_into(qtbot, dialog.unit_name, "某某县民政局")
        click(qtbot, dialog, "创建")

    told = []
    answers = answer(qtbot, new_report, lambda box: (told.append(box.text()), box.accept()))
    qtbot.mouseClick(window.start_page.buttons["new"], Qt.MouseButton.LeftButton)
    answers.check()
    assert "不存在" in told[0] and "没有的文件夹" in told[0]
    assert window.pages.currentWidget() is window.start_page  # still there, another try possible
    assert window.pending_path == db and not db.parent.exists()

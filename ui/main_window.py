"""The main window: menus, toolbar, report switcher, editor tabs, status bar, 审核 dock.

It owns the :class:`~ui.document.ReportDocument` of the open database. Every edit is committed
when made (the status bar says 已保存), so closing never asks to save.

Undo is one model a clerk can predict: in a text box Ctrl+Z / Ctrl+Y first undo and redo that
box's typing (:mod:`perfdesk_ui.feedback`), then the report's steps; a report step undone or
redone brings its tab forward and selects the changed cell, as Excel does. Each report keeps its
own history for the session. The toolbar's labels never change (the step is named in the
button's tooltip and in the 编辑 menu), so 打印 and 导出PDF stay where the hand expects them.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from perfdesk_ui.audit_panel import AuditDock, cell_marks
from perfdesk_ui.document import ReportDocument
from perfdesk_ui.fields import TextField, _Bound
from perfdesk_ui.report_dialogs import (
    WHERE_IT_IS,
    NewReportDialog,
    RenameReport,
    RenameReportDialog,
    ask,
    confirm_delete,
    confirm_next_year,
    duplicate_message,
    existing_report_choice,
    report_label,
)
from perfdesk_ui.report_kinds import FIRST_TAB_HINT, kind_of, place_tab, tabs_for
from perfdesk_ui.start_page import SampleBanner, StartPage
from perfdesk_ui.tables import RowTableEditor, SheetView
from perfdesk_ui.tabs.funds import FundsTab
from perfdesk_ui.tabs.organisation import OrganisationTab
from perfdesk_ui.tabs.preview import PreviewTab
from perfdesk_ui.tabs.projects import ProjectsTab
from perfdesk_ui.tabs.scores import ScoresTab
from perfdesk_ui.tabs.sections import SectionsTab
from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from perfdesk import __version__
from perfdesk.domain.model import ReportKind
from perfdesk.domain.numbers import InputError

APP_TITLE = "部门整体支出绩效自评"
PLACE_TABS: dict[str, type] = {
    "staffing": OrganisationTab,
    "funds": FundsTab,
    "projects": ProjectsTab,
    "indicators": ScoresTab,
    "text": SectionsTab,
}
"""Which editor tab shows each ``Place.tab`` of an audit finding."""
SETTINGS = ("perfdesk", "perfdesk")
AUDIT_DELAY_MS = 80
"""The 审核 runs this long after the last edit (typing never waits for it); with its run (a few
ms on the sample) it follows within 100 ms of the last keystroke."""
PREVIEW_AHEAD_MS = 1000
"""After start, the preview is built in the background once the window has been idle this long."""


def settings() -> QSettings:
    return QSettings(*SETTINGS)


class MainWindow(QMainWindow):
    def __init__(self, workspace: Any | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.doc: ReportDocument | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self._build_pages())
        self.editor_tabs: list[Any] = []
        self._tabs_kind: ReportKind | None = None  # the kind of report the tabs are built for
        self._stale: set[Any] = set()  # tabs that missed a refresh while hidden
        self._audit_timer = QTimer(self)
        self._audit_timer.setSingleShot(True)
        self._audit_timer.setInterval(AUDIT_DELAY_MS)
        self._audit_timer.timeout.connect(self._audit_now)
        self.saved_label = QLabel("")
        self.findings_label = QLabel("")
        self.statusBar().addPermanentWidget(self.findings_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.audit_dock = AuditDock(self)
        self.audit_dock.hide()
        # Below the editors: the wide tables (scores, budget) keep the window's whole width, and a
        # finding is one line across it. The clerk may drag it to the right on a wide screen.
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.audit_dock)
        self.audit_dock.visibilityChanged.connect(self._audit_shown)
        self._dock_height: int | None = None  # the panel's height, as set or dragged by the clerk
        self._window_resizing = False
        self.audit_dock.installEventFilter(self)
        self.audit_dock.jump.connect(self.jump_to_finding)
        self.audit_dock.counted.connect(self._findings_counted)
        self.audit_dock.explain.connect(self.explain_finding)
        self.report_combo = QComboBox(self)
        self.report_combo.setMinimumWidth(300)
        self.report_combo.setToolTip("切换报告（单位、年度）")
        self.report_combo.currentIndexChanged.connect(self._combo_changed)
        self._build_actions()
        self._build_report_actions()
        self._restore_geometry()
        self.set_workspace(workspace)

    # --- set-up ---------------------------------------------------------------------------------

    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
        return action

    def _build_actions(self) -> None:
        A = self._action
        SK = QKeySequence.StandardKey
        self.act_new = A("新建报告…", self.new_report, SK.New, "为一个单位的一个年度新建空白报告")
        self.act_next_year = A(
            "从上年报告创建…",
            self.next_year_dialog,
            None,
            "以当前报告为底稿创建下一年度的报告（本年决算数移入上年决算数列）",
        )
        self.act_open_db = A("打开数据库…", self.open_database_dialog, SK.Open)
        self.act_restore = A(
            "恢复备份…", self.restore_backup, None, "从自动备份中恢复数据库（先备份当前文件）"
        )
        self.act_import = A("导入…", self.import_json, None, "从 JSON 交换文件导入一份报告")
        self.act_export = A("导出…", self.export_json, None, "把当前报告导出为 JSON 交换文件")
        self.act_quit = A("退出", self.close, SK.Quit)
        self.act_undo = A("撤销", self.undo, [QKeySequence(SK.Undo)])
        self.act_redo = A("重做", self.redo, [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        # the toolbar shows the fixed icon text; the menu shows the step (setText in _update_actions)
        self.act_undo.setIconText("撤销")
        self.act_redo.setIconText("重做")
        self.act_copy = A("复制", self.copy, SK.Copy)
        self.act_paste = A("粘贴", self.paste, SK.Paste)
        self.act_insert_row = A("插入行", self.insert_row, QKeySequence("Ctrl+I"))
        self.act_delete_row = A("删除行", self.delete_row, QKeySequence("Ctrl+Shift+Delete"))
        self.act_audit = A(
            "审核", self.run_audit, QKeySequence("F7"), "检查报告中的数据是否相互一致"
        )
        self.act_preview = A("打印预览", self.show_preview, None)
        self.act_print = A("打印…", self.print_report, SK.Print)
        self.act_pdf = A("导出PDF…", self.export_pdf, None)
        self.act_summary = A(
            "自评汇总…",
            self.show_summary,
            QKeySequence("Ctrl+Shift+H"),
            "主管部门用：汇集各单位的自评报告，汇总表、汇总审核和汇总分析",
        )
        self.act_about = A("关于", self.about, None)

        bar = self.menuBar()
        # Kept by title: QAction.menu() of a menu bar's entry is not a usable QMenu on every
        # PySide6 (6.9, which the 兼容版 for older systems ships, returns a deleted wrapper).
        self.menus: dict[str, QMenu] = {}
        for title, actions in (
            (
                "文件",
                [
                    self.act_new,
                    self.act_next_year,
                    None,
                    self.act_open_db,
                    self.act_restore,
                    None,
                    self.act_import,
                    self.act_export,
                    None,
                    self.act_quit,
                ],
            ),
            (
                "编辑",
                [
                    self.act_undo,
                    self.act_redo,
                    None,
                    self.act_copy,
                    self.act_paste,
                    None,
                    self.act_insert_row,
                    self.act_delete_row,
                ],
            ),
            (
                "报告",
                [
                    self.act_audit,
                    None,
                    self.act_preview,
                    self.act_print,
                    self.act_pdf,
                    None,
                    self.act_summary,
                ],
            ),
            ("帮助", [self.act_about]),
        ):
            menu = bar.addMenu(title)
            self.menus[title] = menu
            for a in actions:
                if a is None:
                    menu.addSeparator()
                else:
                    menu.addAction(a)
            if title == "文件":
                from perfdesk_ui.office import install_menus

                install_menus(self, menu)  # 导入 ▸ / 导出 ▸ with Excel and Word

        tb = self.addToolBar("工具栏")
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.addWidget(QLabel(" 报告："))
        tb.addWidget(self.report_combo)
        tb.addSeparator()
        for a in (
            self.act_new,
            self.act_next_year,
            None,
            self.act_undo,
            self.act_redo,
            None,
            self.act_insert_row,
            self.act_delete_row,
            None,
            self.act_audit,
            self.act_preview,
            self.act_print,
            self.act_pdf,
        ):
            if a is None:
                tb.addSeparator()
            else:
                tb.addAction(a)

    def _restore_geometry(self) -> None:
        geometry = settings().value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(geometry):
            return
        self.resize(1280, 800)

    # --- workspace and report -------------------------------------------------------------------

    def set_workspace(self, workspace: Any | None) -> None:
        """Show the database ``workspace`` (None: nothing open; the menus still work)."""
        self._deleted = None  # 撤销删除报告 belongs to the database it was deleted from
        if self.doc is not None:
            self.doc.undo_stack.clear()
            self.doc.ws.close()
            self.doc.deleteLater()
        self.doc = None
        self.audit_dock.forget_previous()
        self.tabs.clear()
        for t in self.editor_tabs:
            t.deleteLater()
        self.editor_tabs = []
        if workspace is None:
            placeholder = QLabel(
                "没有打开数据库。请用“文件 → 打开数据库”打开或新建一个数据库文件。"
            )
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(placeholder, "未打开")
            self._update_actions()
            self._fill_combo(None)
            self._show_page()
            return
        self.pending_path = None  # a database is open: nothing waits to be created
        self.doc = ReportDocument(workspace, self)
        self._tabs_kind = None
        self._build_tabs(None)
        self.doc.reportSwitched.connect(self._build_tabs)  # before `changed` refreshes them
        self.doc.changed.connect(self._report_changed)
        self.doc.changed.connect(self._sync_report_label)
        self.tabs.currentChanged.connect(self._tab_shown)
        group = self.doc.undo_group
        group.canUndoChanged.connect(self._update_actions)
        group.canRedoChanged.connect(self._update_actions)
        group.undoTextChanged.connect(self._update_actions)
        group.redoTextChanged.connect(self._update_actions)
        group.activeStackChanged.connect(self._update_actions)
        reports = workspace.list_reports()
        wanted = settings().value("report/last")
        rid = None
        if reports:
            # the clerk's own report before the sample; the one open last time before either
            rid = next((r.id for r in reports if not r.is_sample), reports[0].id)
            for r in reports:
                if str(r.id) == str(wanted):
                    rid = r.id
        self._fill_combo(rid, reports)
        self.open_report(rid)
        self._update_title()

    def _build_tabs(self, report: Any) -> None:
        """The editor tabs of the open report's kind (a project report has its own set)."""
        kind = kind_of(report)
        if kind == self._tabs_kind:
            return
        self._tabs_kind = kind
        self._stale = set()
        # 报告正文 and 打印预览 serve both kinds: they are kept (a preview may be building)
        kept = {type(t): t for t in self.editor_tabs}
        self.tabs.clear()
        self.editor_tabs = []
        for cls in tabs_for(kind):
            tab = kept.pop(cls, None)
            if tab is None:
                tab = cls(self.doc, self.tabs)
                tab.message.connect(self.show_message)
                if isinstance(tab, ProjectsTab):
                    tab.project_report_requested.connect(self.create_project_report_from)
            self.tabs.addTab(tab, cls.title)
            self.editor_tabs.append(tab)
        for tab in kept.values():
            tab.deleteLater()

    @property
    def preview(self) -> PreviewTab:
        return self.editor_tabs[-1]

    def tab(self, cls: type) -> Any:
        return next(t for t in self.editor_tabs if isinstance(t, cls))

    def _fill_combo(self, current: int | None, reports: list[Any] | None = None) -> None:
        """The report switcher anew (``reports``: the list just read, else it is read here)."""
        self.report_combo.blockSignals(True)
        self.report_combo.clear()
        if self.doc is not None and reports is None:
            reports = self.doc.ws.list_reports()
        for r in reports or []:
            self.report_combo.addItem(r.label, r.id)
            if r.id == current:
                self.report_combo.setCurrentIndex(self.report_combo.count() - 1)
        self.report_combo.blockSignals(False)
        if self.doc is not None:
            self.doc.keep_histories_of({r.id for r in reports or []})

    def _update_title(self) -> None:
        """The report and the file; Qt adds the program's name (applicationDisplayName) once."""
        if self.doc is None:
            self.setWindowTitle("没有打开数据库")
            return
        report = self.doc.report
        name = Path(str(self.doc.ws.path)).name
        if report is None:
            self.setWindowTitle(name)
        else:
            self.setWindowTitle(f"{report_label(report)} — {name}")

    def _combo_changed(self, index: int) -> None:
        rid = self.report_combo.itemData(index)
        if rid is not None and self.doc is not None and rid != self.doc.report_id:
            self.open_report(rid)

    def commit_pending(self) -> None:
        """Store text still waiting for its idle timer (before switching report or closing)."""
        for field in self.findChildren(TextField):
            if field.pending():
                field.commit()

    def open_report(self, report_id: int | None) -> None:
        if self.doc is None:
            return
        self.abandon_edits()
        self.commit_pending()
        self.audit_dock.forget_previous()
        self.findings_label.setText("")
        self.statusBar().clearMessage()  # what was said of the previous report is not of this one
        self.doc.open_report(report_id)  # the audit runs on the fresh snapshot (_report_changed)
        if report_id is not None:
            settings().setValue("report/last", report_id)
            i = self.report_combo.findData(report_id)
            if i >= 0 and i != self.report_combo.currentIndex():
                self.report_combo.blockSignals(True)
                self.report_combo.setCurrentIndex(i)
                self.report_combo.blockSignals(False)
        self._update_actions()
        self._show_page()

    def _report_changed(self, report: Any) -> None:
        # Only the tab in view is refreshed now (an edit must feel instant); the others when shown.
        current = self.tabs.currentWidget()
        self._stale = set()
        for tab in self.editor_tabs:
            if tab is current or isinstance(tab, PreviewTab):
                tab.refresh(report)
            else:
                self._stale.add(tab)
        if report is not None and self.doc is not None:
            # The 审核 follows once typing pauses (AUDIT_DELAY_MS after the last edit): an edit
            # never waits for it, and a burst of keystrokes is audited once.
            self._audit_timer.start()
            self.saved_label.setText(f"已保存 {time.strftime('%H:%M:%S')}")
            self.saved_label.setToolTip("每次修改都已立即存入数据库，关闭程序无需保存。")
        else:
            self._audit_timer.stop()
        self._update_title()
        self._update_actions()

    def audit_pending(self) -> bool:
        """True while an edit waits for its 审核 (the debounce timer runs)."""
        return self._audit_timer.isActive()

    def flush_audit(self) -> list[Any] | None:
        """Run the waiting 审核 now (before a print, an F7, a jump); returns its findings."""
        self._audit_timer.stop()
        return self._audit_now()

    def _audit_now(self) -> list[Any] | None:
        if self.doc is None or self.doc.report is None:
            return None
        report = self.doc.report
        findings = self.audit_dock.run(self.doc.ws, report)
        if findings is None:
            self.findings_label.setText("审核：不可用")
        self._show_marks(report, findings or [])
        return findings

    def _show_marks(self, report: Any, findings: list[Any]) -> None:
        """Colour the cells of one-cell findings (a score above its 分值…) at once."""
        assert self.doc is not None
        marks = cell_marks(self.doc, report, findings)
        if marks == self.doc.cell_marks:
            return
        self.doc.cell_marks = marks
        for view in self.findChildren(SheetView):
            view.viewport().update()
        for field in self.findChildren(_Bound):  # type: ignore[type-var]
            field.set_mark(marks.get((field.entity, field.row_id, field.column.field)))

    def _tab_shown(self, _index: int) -> None:
        tab = self.tabs.currentWidget()
        if tab in self._stale and self.doc is not None:
            self._stale.discard(tab)
            tab.refresh(self.doc.report)

    def _update_actions(self, *_: Any) -> None:
        has_doc = self.doc is not None
        has_report = has_doc and self.doc.report is not None  # type: ignore[union-attr]
        for a in (self.act_new, self.act_import):
            a.setEnabled(has_doc or self.pending_path is not None)
        for a in (self.act_rename, self.act_delete):
            a.setEnabled(has_report and not self.doc.ws.readonly)  # type: ignore[union-attr]
        self.act_undo_delete.setEnabled(has_doc and self._deleted is not None)
        self.act_undo_delete.setText(
            f"撤销删除报告“{self._deleted_label}”" if self._deleted is not None else "撤销删除报告"
        )
        self.act_summary.setEnabled(has_doc or self.pending_path is not None)
        for a in (
            self.act_next_year,
            self.act_export,
            self.act_audit,
            self.act_preview,
            self.act_print,
            self.act_pdf,
            self.act_insert_row,
            self.act_delete_row,
            self.act_copy,
            self.act_paste,
        ):
            a.setEnabled(has_report)
        stack = self.doc.undo_stack if has_doc else None  # type: ignore[union-attr]
        for action, name, can, text, keys in (
            (
                self.act_undo,
                "撤销",
                stack and stack.canUndo(),
                stack and stack.undoText(),
                "Ctrl+Z",
            ),
            (
                self.act_redo,
                "重做",
                stack and stack.canRedo(),
                stack and stack.redoText(),
                "Ctrl+Y",
            ),
        ):
            action.setEnabled(bool(can))
            # the menu names the step; the toolbar keeps its fixed label (iconText)
            action.setText(f"{name}“{text}”" if can and text else name)
            action.setToolTip(
                f"{name}“{text}”（{keys}）"
                if can and text
                else f"{name}（{keys}）：没有可{name}的操作"
            )

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    # --- edit menu ------------------------------------------------------------------------------

    def undo(self) -> None:
        """撤销 the report's last step and show where it was (its tab, its cell)."""
        self._step(undo=True)

    def redo(self) -> None:
        """重做 the step undone last and show where it is."""
        self._step(undo=False)

    def _step(self, *, undo: bool) -> None:
        if self.doc is None:
            return
        self.abandon_edits()
        self.commit_pending()  # typing still waiting for its pause becomes a step first
        stack = self.doc.undo_stack
        if not (stack.canUndo() if undo else stack.canRedo()):
            return
        command = stack.command(stack.index() - 1 if undo else stack.index())
        cells = list(getattr(command, "cells", list)())
        # where the step's rows are now: a row the step removes is shown by where it was
        before = self.reveal_cells(cells, focus=False)
        stack.undo() if undo else stack.redo()
        if self.reveal_cells(cells) is None and before is not None:
            self.reveal_near(before)
        # the status bar said what the step did ("已删除章节…"): now say it was undone/redone
        self.show_message(f"{'已撤销' if undo else '已重做'}：{command.text()}")

    def abandon_edits(self) -> None:
        """Close open cell editors without storing them (before an undo or a jump)."""
        for view in self.findChildren(SheetView):
            view.abandon_edit()

    def _tab_order(self) -> list[Any]:
        current = self.tabs.currentWidget()
        return [current] + [t for t in self.editor_tabs if t is not current]

    def reveal_cells(self, cells: list[Any], *, focus: bool = True) -> Any | None:
        """Bring forward the tab showing the first of ``cells`` and select it (the current tab
        is asked first); returns where it was shown, None when no tab shows it."""
        if not cells or self.doc is None:
            return None
        for tab in self._tab_order():
            if not hasattr(tab, "reveal"):
                continue
            if tab in self._stale:
                self._stale.discard(tab)
                tab.refresh(self.doc.report)
            where = tab.reveal(cells)
            if where is not None:
                self.tabs.setCurrentWidget(tab)
                if focus:
                    where.focus()
                return where
        return None

    def reveal_near(self, where: Any) -> None:
        """Show the place a removed row was at (the row now there, or the last one)."""
        self.tabs.setCurrentWidget(where.tab)
        where.near()

    def _focused(self, cls: type) -> Any | None:
        w = QApplication.focusWidget()
        while w is not None and not isinstance(w, cls):
            w = w.parentWidget()
        return w

    def copy(self) -> None:
        view = self._focused(SheetView)
        if view is not None:
            view.copy_selection()
        elif hasattr(QApplication.focusWidget(), "copy"):
            QApplication.focusWidget().copy()  # type: ignore[union-attr]

    def paste(self) -> None:
        view = self._focused(SheetView)
        if view is not None:
            view.paste_clipboard()
        elif hasattr(QApplication.focusWidget(), "paste"):
            QApplication.focusWidget().paste()  # type: ignore[union-attr]

    def insert_row(self) -> None:
        editor = self._focused(RowTableEditor)
        if editor is None:
            self.show_message("请先点击要插入行的表格")
            return
        editor.insert_row()

    def delete_row(self) -> None:
        editor = self._focused(RowTableEditor)
        if editor is None:
            self.show_message("请先选中要删除的行")
            return
        editor.delete_rows()

    # --- file menu ------------------------------------------------------------------------------

    def _guard(self, title: str, fn: Any) -> Any:
        """Run ``fn``; a refused action becomes a dialog that says why (the app stays up)."""
        from perfdesk.errors import DatabaseError

        try:
            return fn()
        except (InputError, DatabaseError) as exc:
            QMessageBox.warning(self, title, str(exc))
        except OSError as exc:
            QMessageBox.warning(self, title, f"文件操作失败：{exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - last resort: a message, not a crash
            QMessageBox.critical(self, title, f"操作未完成：{type(exc).__name__}: {exc}")
        return None

    # --- reports: the start page, new, correct, delete, next year (issue #10) ---------------------

    def _build_pages(self) -> QWidget:
        """The central area: the editor (sample banner over the tabs) or the start page."""
        self.pending_path: Path | None = None  # `--db NEW.db`: made with the first report
        self._deleted: Any = None  # the snapshot of the report last deleted (this session)
        self._deleted_label = ""
        self._start_message = ""
        self.pages = QStackedWidget(self)
        editor = QWidget(self.pages)
        column = QVBoxLayout(editor)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.sample_banner = SampleBanner(editor)
        self.sample_banner.hide()
        self.sample_banner.new_report.connect(self.new_report)
        self.sample_banner.delete_sample.connect(self.delete_current_report)
        column.addWidget(self.sample_banner)
        column.addWidget(self.tabs, 1)
        self.start_page = StartPage(self.pages)
        self.start_page.new_report.connect(self.new_report)
        self.start_page.import_file.connect(self.import_json)
        self.start_page.open_sample.connect(self.open_sample)
        self.start_page.open_database.connect(self.open_database_dialog)
        self.pages.addWidget(editor)
        self.pages.addWidget(self.start_page)
        return self.pages

    def _build_report_actions(self) -> None:
        """The 报告 menu starts with managing reports: new, next year, correct, delete, sample."""
        A = self._action
        self.act_rename = A(
            "改正单位名称/年度…",
            self.rename_report_dialog,
            None,
            "改正当前报告的单位名称或年度（报告内容不变，可撤销）",
        )
        self.act_delete = A(
            "删除报告…", self.delete_current_report, None, "先备份整个数据库，再删除当前报告"
        )
        self.act_undo_delete = A(
            "撤销删除报告", self.undo_delete, None, "找回本次打开期间最后删除的一份报告"
        )
        self.act_open_sample = A(
            "打开示例报告",
            self.open_sample,
            None,
            "2024年度 株洲市芦淞区民政局（已公开的真实报告），用于熟悉程序",
        )
        menu = self.menus["报告"]
        first = menu.actions()[0] if menu.actions() else None
        for a in (
            self.act_new,
            self.act_next_year,
            self.act_rename,
            self.act_delete,
            self.act_undo_delete,
            None,
            self.act_open_sample,
            None,
        ):
            if a is None:
                menu.insertSeparator(first)
            else:
                menu.insertAction(first, a)

    def _show_page(self) -> None:
        """The start page when there is no report to edit; else the tabs (with the banner over
        the sample)."""
        report = self.doc.report if self.doc is not None else None
        if report is None:
            path = self.pending_path
            if path is None and self.doc is not None:
                path = Path(self.doc.ws.path)
            self.start_page.show_state(
                path=path,
                exists=self.doc is not None,
                has_database=self.doc is not None and not self.doc.ws.readonly,
                message=self._start_message,
            )
            self.pages.setCurrentWidget(self.start_page)
        else:
            self._start_message = ""
            self.sample_banner.setVisible(report.is_sample)
            self.pages.setCurrentIndex(0)

    def set_pending_database(self, path: str | Path) -> None:
        """Show the start page for a database file that does not exist yet (nothing is written
        until the clerk creates, imports or opens a report)."""
        self.set_workspace(None)
        self.pending_path = Path(path)
        # Qt adds the program's name (applicationDisplayName) after it
        self.setWindowTitle(f"{self.pending_path}（尚未创建）")
        self._update_actions()
        self._show_page()

    def _ensure_database(self) -> bool:
        """Make the database waiting in :attr:`pending_path` now (the clerk asked for a report)."""
        from perfdesk.services import Workspace

        if self.doc is not None:
            return True
        if self.pending_path is None:
            return False
        path = self.pending_path
        ws = self._guard("创建数据库", lambda: Workspace.open(path))
        if ws is None:
            return False
        self.set_workspace(ws)
        self.show_message(f"已创建数据库文件 {path}")
        return True

    def _sync_report_label(self, report: Any) -> None:
        """The report switcher names the report as it is now (after a rename, its undo…)."""
        if report is None:
            return
        i = self.report_combo.findData(report.id)
        if i < 0 or self.report_combo.itemText(i) != report_label(report):
            self._fill_combo(report.id)

    def _label(self, report_id: int) -> str:
        assert self.doc is not None
        for r in self.doc.ws.list_reports():
            if r.id == report_id:
                return r.label
        return f"编号 {report_id}"

    def _duplicate_reason(
        self, unit: str, year: int, like: Any = None, probe: Any = None
    ) -> str | None:
        """Why ``unit`` × ``year`` cannot be used: another report has them (named), else None.

        ``like``: the report being renamed; ``probe``: the kind (and project) of a new one."""
        from perfdesk.domain import model as m

        if self.doc is None:
            return None
        like = like if like is not None else probe
        probe = m.Report(
            unit,
            year,
            kind=like.kind if like is not None else m.ReportKind.DEPARTMENT,
            projects=like.projects if like is not None else [],
        )
        existing = self.doc.ws.find_duplicate(probe, exclude=getattr(like, "id", None))
        if existing is None:
            return None
        return f"数据库中已有报告“{self._label(existing)}”。\n{WHERE_IT_IS}"

    def new_report(self) -> int | None:
        """新建报告…: the dialog (nothing pre-filled that typing would append to), then the report;
        the first report of the clerk's own is followed by the offer to remove the sample."""
        if self.doc is None and self.pending_path is None:
            return None
        self.commit_pending()
        current = self.doc.report if self.doc is not None else None
        own = current is not None and not current.is_sample
        note = ""
        if self.doc is None and self.pending_path is not None:
            note = f"报告将保存在新建的数据库文件“{self.pending_path}”中。"
        dialog = NewReportDialog(
            self,
            unit_name=current.unit_name if own else "",  # type: ignore[union-attr]
            level=current.unit_level if own else "",  # type: ignore[union-attr]
            check=lambda unit, year: self._duplicate_reason(unit, year, probe=dialog.probe()),
            file_note=note,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.values is None:
            return None
        unit, year = dialog.values
        rid = self.create_report(
            unit,
            year,
            unit_level=dialog.unit_level,
            kind=ReportKind(dialog.report_kind),
            project_name=dialog.project_name,
        )
        if rid is not None:
            self.offer_sample_removal()
        return rid

    def create_report(
        self,
        unit_name: str,
        year: int,
        *,
        unit_level: str | None = None,
        kind: ReportKind = ReportKind.DEPARTMENT,
        project_name: str = "",
    ) -> int | None:
        """A new empty report on the default template of its kind (the database is made first
        if pending); a project report needs its project's name."""
        if not self._ensure_database():
            return None
        assert self.doc is not None
        ws = self.doc.ws
        rid = self._guard(
            "新建报告",
            lambda: ws.create_report(
                unit_name, year, kind=kind, project_name=project_name, unit_level=unit_level
            ),
        )
        if rid is not None:
            self._fill_combo(rid)
            self.open_report(rid)
            self.tabs.setCurrentIndex(0)
            self.show_message(f"已新建“{self._label(rid)}”：{FIRST_TAB_HINT[kind]}")
        return rid

    def create_project_report_from(self, project_name: str) -> int | None:
        """为此项目创建项目支出绩效自评报告 (项目 tab): the project's figures, indicators and texts
        copied into a report of its own; one already there is offered instead."""
        from perfdesk.services import DuplicateReport

        if self.doc is None or self.doc.report_id is None:
            return None
        self.commit_pending()
        source = self.doc.report_id
        try:
            rid = self.doc.ws.create_project_report_from(source, project_name)
        except DuplicateReport as exc:
            choice = existing_report_choice(
                self,
                "创建项目支出绩效自评报告",
                f"数据库中已有报告“{self._label(exc.existing_id)}”。",
                "一个项目每年只有一份项目支出绩效自评报告。可以切换到它继续填写；"
                "若要按部门报告中的数字重新创建，先删除它（报告 → 删除报告…）。",
                ["切换到该报告"],
            )
            if choice is not None:
                self.open_report(exc.existing_id)
            return None
        except Exception as exc:  # noqa: BLE001 - e.g. a read-only database: say it, keep going
            QMessageBox.warning(self, "创建项目支出绩效自评报告", str(exc))
            return None
        self._fill_combo(rid)
        self.open_report(rid)
        self.tabs.setCurrentIndex(0)
        self.show_message(
            f"已创建“{self._label(rid)}”：数字、资金来源、指标和文字已从部门报告复制，"
            "两份报告此后各自修改"
        )
        return rid

    def offer_sample_removal(self) -> bool:
        """Once the clerk has a report of their own, offer to delete the sample (backed up first)."""
        if self.doc is None:
            return False
        reports = self.doc.ws.list_reports()
        samples = [r for r in reports if r.is_sample]
        if not samples or sum(1 for r in reports if not r.is_sample) != 1:
            return False  # asked only when the first report of the clerk's own appears
        names = "、".join(f"“{r.label}”" for r in samples)
        if not ask(
            self,
            "删除示例报告",
            f"数据库中还有示例报告{names}。要删除它吗？",
            "示例报告只用于熟悉程序，不是您的报告。删除前会先备份整个数据库；"
            "以后需要时可以用“报告 → 打开示例报告”重新载入。",
            "删除示例报告",
            "保留",
        ):
            return False
        for r in samples:
            if not self.delete_report(r.id, inform=False):
                return False
        self.show_message("示例报告已删除（删除前已备份）")
        return True

    def delete_current_report(self) -> bool:
        """删除报告…: confirm (saying how to get it back), back up, delete."""
        if self.doc is None or self.doc.report_id is None:
            return False
        self.commit_pending()
        rid = self.doc.report_id
        only = len(self.doc.ws.list_reports()) == 1
        if not confirm_delete(self, self._label(rid), only):
            return False
        return self.delete_report(rid)

    def delete_report(self, report_id: int, *, inform: bool = True) -> bool:
        """Delete ``report_id`` after a verified backup; then show another report or the start page.

        Not on the undo stack (the stack belongs to the open report): 报告 → 撤销删除报告 adds the
        snapshot back while the window stays on this database, and the backup keeps it for good.
        """
        from perfdesk.errors import BackupError

        assert self.doc is not None
        label = self._label(report_id)
        try:
            snapshot, backup = self.doc.ws.delete_report(report_id)
        except BackupError as exc:
            QMessageBox.warning(self, "删除报告", f"未能先做备份，报告没有删除。\n{exc}")
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. a read-only database: say it, keep going
            QMessageBox.warning(self, "删除报告", f"报告没有删除：{exc}")
            return False
        self._deleted, self._deleted_label = snapshot, label
        message = (
            f"已删除报告“{label}”。删除前已备份（{backup.created_text}，删除报告前备份）。"
            "要找回：报告 → 撤销删除报告；或 文件 → 恢复备份…"
        )
        if report_id == self.doc.report_id or self.doc.report_id is None:
            reports = self.doc.ws.list_reports()
            rest = [r for r in reports if not r.is_sample] or reports
            self._start_message = message
            self._fill_combo(rest[0].id if rest else None)
            self.open_report(rest[0].id if rest else None)
        else:
            self._fill_combo(self.doc.report_id)
            self._update_actions()
        self.show_message(message)
        if inform:
            QMessageBox.information(self, "删除报告", message)
        return True

    def undo_delete(self) -> int | None:
        """撤销删除报告: add the last deleted report back (the same content, a new number)."""
        from perfdesk.services import DuplicateReport

        if self.doc is None or self._deleted is None:
            return None
        snapshot = self._deleted
        try:
            rid = self.doc.ws.add_report(snapshot)
        except DuplicateReport as exc:
            QMessageBox.warning(self, "撤销删除报告", duplicate_message(exc))
            return None
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "撤销删除报告", f"未能找回：{exc}")
            return None
        self._deleted = None
        self._fill_combo(rid)
        self.open_report(rid)
        self.show_message(f"已找回报告“{self._label(rid)}”")
        return rid

    def rename_report_dialog(self) -> bool:
        """改正单位名称/年度…: the dialog refuses an existing unit × year naming that report."""
        if self.doc is None or self.doc.report is None:
            return False
        self.commit_pending()
        report = self.doc.report
        dialog = RenameReportDialog(
            self,
            self._label(report.id),  # type: ignore[arg-type]
            report.unit_name,
            report.year,
            check=lambda unit, year: self._duplicate_reason(unit, year, like=report),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.values is None:
            return False
        unit, year = dialog.values
        if (unit, year) == (report.unit_name, report.year):
            self.show_message("单位名称和年度都没有改变")
            return False
        return self.rename_report(unit, year)

    def rename_report(self, unit_name: str, year: int) -> bool:
        """Correct the open report's unit name and year (one undo step)."""
        from perfdesk.services import DuplicateReport

        assert self.doc is not None and self.doc.report_id is not None
        rid = self.doc.report_id
        try:
            done = self.doc.run(RenameReport(self.doc, rid, unit_name, year))
        except DuplicateReport as exc:
            QMessageBox.warning(self, "改正单位名称/年度", duplicate_message(exc))
            return False
        except InputError as exc:
            QMessageBox.warning(self, "改正单位名称/年度", str(exc))
            return False
        if done:
            self.show_message(f"已改正为“{self._label(rid)}”（可撤销）")
        return done

    def next_year_dialog(self) -> int | None:
        """从上年报告创建…: refuse a year that exists (offer to switch to it), else ask first."""
        from perfdesk.domain import model as m
        from perfdesk.services import YEAR_RANGE

        if self.doc is None or self.doc.report is None:
            return None
        self.commit_pending()
        report = self.doc.report
        year = report.year + 1
        if year not in YEAR_RANGE:
            QMessageBox.warning(
                self,
                "从上年报告创建",
                f"不能创建{year}年度的报告：年度应在 {YEAR_RANGE.start}–{YEAR_RANGE.stop - 1} 之间。",
            )
            return None
        probe = m.Report(report.unit_name, year, kind=report.kind, projects=report.projects)
        existing = self.doc.ws.find_duplicate(probe)
        if existing is not None:
            choice = existing_report_choice(
                self,
                "从上年报告创建",
                f"不能创建：数据库中已有报告“{self._label(existing)}”。",
                "一个单位的同一年度只能有一份报告。可以切换到它继续填写；"
                "若它是多余的，先删除它（报告 → 删除报告…），再从上年报告创建。",
                ["切换到该报告"],
            )
            if choice is not None:
                self.open_report(existing)
            return None
        if not confirm_next_year(self, self._label(report.id), year):  # type: ignore[arg-type]
            return None
        return self.create_next_year()

    def open_sample(self) -> int | None:
        """打开示例报告: switch to the sample, loading it first if the database lacks it."""
        from perfdesk_ui.app import load_sample_into

        if not self._ensure_database():
            return None
        assert self.doc is not None
        ids = self.doc.ws.sample_report_ids()
        rid = ids[0] if ids else self._guard("打开示例报告", lambda: load_sample_into(self.doc.ws))  # type: ignore[union-attr]
        if rid is None:
            if not ids:
                self.show_message("未能载入示例报告")
            return None
        self._fill_combo(rid)
        self.open_report(rid)
        return rid

    def create_next_year(self) -> int | None:
        if self.doc is None or self.doc.report_id is None:
            return None
        self.commit_pending()
        old = self.doc.report
        from perfdesk.services import DuplicateReport

        def create() -> int:
            try:
                return self.doc.ws.create_next_year(self.doc.report_id)  # type: ignore[union-attr]
            except DuplicateReport as exc:  # the bare "已有…" needs what to do in the window
                raise InputError(duplicate_message(exc)) from exc

        rid = self._guard("从上年报告创建", create)
        if rid is not None:
            self._fill_combo(rid)
            self.open_report(rid)
            self.show_message(
                f"已创建 {old.year + 1}年度报告：结构和文字沿用上年，本年决算数已移入“上年决算数”列，"
                "本年数字待填"
            )
        return rid

    def open_database_dialog(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("打开数据库")
        box.setText("打开一个已有的数据库文件，还是新建一个？")
        open_button = box.addButton("打开已有文件…", QMessageBox.ButtonRole.AcceptRole)
        new_button = box.addButton("新建数据库…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is open_button:
            path, _ = QFileDialog.getOpenFileName(
                self, "打开数据库", "", "perfdesk 数据库 (*.db);;所有文件 (*)"
            )
        elif box.clickedButton() is new_button:
            path, _ = QFileDialog.getSaveFileName(
                self, "新建数据库", "perfdesk.db", "perfdesk 数据库 (*.db)"
            )
            if path and Path(path).exists():
                QMessageBox.warning(
                    self, "新建数据库", "该文件已存在。请换一个文件名，或用“打开已有文件”。"
                )
                return
        else:
            return
        if path:
            self.open_database(path)

    def restore_backup(self) -> None:
        """恢复备份: close the database, let the clerk pick a backup, open the file again."""
        from perfdesk_ui.safety import RestoreBackupDialog

        from perfdesk.services import default_db_path

        path = Path(self.doc.ws.path) if self.doc is not None else default_db_path()
        self.shutdown()
        self.set_workspace(None)
        dialog = RestoreBackupDialog(path, self)
        restored = dialog.exec() == RestoreBackupDialog.DialogCode.Accepted
        if self.open_database(path) and restored:
            self.show_message(
                f"已从备份 {dialog.restored_from} 恢复；恢复前的文件已另存为 {dialog.saved_current}"
            )

    def open_database(self, path: str | Path) -> bool:
        """Open another database file. One that cannot be opened for editing gets the same choices
        as at start (只读打开, 恢复备份, another file…); if none is taken the current one stays."""
        from perfdesk_ui import app

        from perfdesk.errors import DatabaseError
        from perfdesk.services import Workspace

        try:
            ws = Workspace.open(path)
        except DatabaseError as exc:
            self.commit_pending()
            ws = app._recover(self, str(path), exc)
            if ws is None:
                return False
            self.set_workspace(ws)
            if ws.readonly:
                app._say_read_only(self, exc)
            return True
        except Exception:  # noqa: BLE001 - the same dialogs as every other refused action
            return self._guard("打开数据库", lambda: Workspace.open(path)) is not None
        self.commit_pending()
        self.set_workspace(ws)
        self.show_message(f"已打开数据库 {path}")
        return True

    def import_json(self) -> None:
        if self.doc is None and self.pending_path is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "导入报告", "", "JSON 交换文件 (*.json)")
        if path:
            self.import_file(path)

    def import_file(self, path: str | Path, replace: bool | None = None) -> int | None:
        """Read a report from an exchange file. One whose unit and year exist asks 替换 / 取消;
        替换 backs the database up first (the old report can be had back from that backup)."""
        from perfdesk.exchange import jsonfile
        from perfdesk.services import DuplicateReport

        report = self._guard("导入", lambda: jsonfile.loads(Path(path).read_bytes()))
        if report is None or not self._ensure_database():
            return None
        assert self.doc is not None
        self.commit_pending()
        note = ""
        try:
            rid = self.doc.ws.add_report(report)
        except DuplicateReport as exc:
            existing_id = exc.existing_id
            if replace is None:
                replace = (
                    existing_report_choice(
                        self,
                        "导入",
                        f"文件中的报告（{report.year}年度 {report.unit_name}）与数据库中已有的"
                        f"报告“{self._label(existing_id)}”单位、年度相同。",
                        "替换：用文件中的报告取代已有的这一份。替换前会先备份整个数据库，"
                        "原报告可用 文件 → 恢复备份… 找回。\n"
                        "取消：什么也不改。若两份都要保留，可先把已有的报告改正单位名称或年度"
                        "（报告 → 改正单位名称/年度…），再导入。",
                        ["替换"],
                    )
                    == "替换"
                )
            if not replace:
                self.show_message("未导入：数据库没有改动")
                return None
            result = self._guard("导入", lambda: self.doc.ws.replace_report(report, existing_id))  # type: ignore[union-attr]
            if result is None:
                return None
            rid, backup = result
            note = f"（已替换原报告；替换前已备份：{backup.created_text}）"
            for gone in {
                existing_id,
                rid,
            }:  # the replaced report's rows are gone: so is its history
                self.doc.forget_history(gone)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "导入", str(exc))
            return None
        self._fill_combo(rid)
        self.open_report(rid)
        self.show_message(f"已导入：{report.year}年度 {report.unit_name}{note}")
        if not report.is_sample:
            self.offer_sample_removal()
        return rid

    def export_json(self) -> None:
        if self.doc is None or self.doc.report is None:
            return
        r = self.doc.report
        path, _ = QFileDialog.getSaveFileName(
            self, "导出报告", f"{r.year}年度{r.unit_name}.json", "JSON 交换文件 (*.json)"
        )
        if path:
            self.export_file(path)

    def export_file(self, path: str | Path) -> bool:
        from perfdesk.exchange import jsonfile
        from perfdesk.files import write_atomic

        assert self.doc is not None and self.doc.report is not None
        self.commit_pending()
        report = self.doc.report
        done = self._guard(
            "导出", lambda: write_atomic(Path(path), jsonfile.dump_bytes(report)) or True
        )
        if done:
            self.show_message(f"已导出到 {path}")
        return bool(done)

    # --- report menu ----------------------------------------------------------------------------

    def run_audit(self) -> list[Any] | None:
        """审核: show the panel with the findings of the current data."""
        if self.doc is None or self.doc.report is None:
            return None
        self.commit_pending()
        self.audit_dock.show()
        self.audit_dock.raise_()
        return self.flush_audit()  # now, on the current data (a waiting run is not needed)

    def _dock_across(self) -> bool:
        return self.audit_dock.isVisible() and self.dockWidgetArea(self.audit_dock) in (
            Qt.DockWidgetArea.BottomDockWidgetArea,
            Qt.DockWidgetArea.TopDockWidgetArea,
        )

    def _audit_shown(self, visible: bool) -> None:
        if visible and self._dock_across():
            if self._dock_height is None:
                # about five findings: the editors keep most of the height even at 800 px
                self._dock_height = max(150, min(220, self.height() // 5))
            self._keep_dock_height()

    def _keep_dock_height(self) -> None:
        if self._dock_height is not None and self._dock_across():
            self.resizeDocks([self.audit_dock], [self._dock_height], Qt.Orientation.Vertical)

    def resizeEvent(self, event: Any) -> None:
        # a bigger window gives its room to the editors; the panel keeps its height
        self._window_resizing = True
        try:
            super().resizeEvent(event)
        finally:
            self._window_resizing = False
        QTimer.singleShot(0, self._keep_dock_height)

    def eventFilter(self, obj: Any, event: Any) -> bool:
        if (
            obj is self.audit_dock
            and event.type() == QEvent.Type.Resize
            and not self._window_resizing
            and self._dock_across()
            and self._dock_height is not None
        ):
            self._dock_height = self.audit_dock.height()  # dragged by the clerk: keep that
        return super().eventFilter(obj, event)

    def _findings_counted(self, errors: int, hints: int) -> None:
        self.findings_label.setText(f"审核：未处理错误 {errors} 项，提示 {hints} 项")
        self.findings_label.setStyleSheet("color: #a00000;" if errors else "")
        self.findings_label.setToolTip("点“审核”（F7）查看每一项；加了说明的项不再计入")

    def tab_for_place(self, place: Any) -> Any | None:
        """The editor tab a Place's ``tab`` names (staffing, funds, projects, indicators, text)."""
        cls = place_tab(self._tabs_kind, place) or PLACE_TABS.get(getattr(place, "tab", ""))
        return self.tab(cls) if cls is not None and self.editor_tabs else None

    def jump_to_finding(self, finding: Any) -> bool:
        """Show a finding's place: its tab, then the exact cell or field (a project first)."""
        place = getattr(finding, "place", None)
        self.show_message(str(getattr(finding, "message", "")))
        tab = self.tab_for_place(place)
        if tab is None:
            return False
        self.abandon_edits()
        self.commit_pending()
        self.tabs.setCurrentWidget(tab)
        detail = getattr(finding, "detail", "")
        found = tab.show_place(place, detail)
        if not found and place.entity == "lists" and self._tabs_kind == ReportKind.DEPARTMENT:
            other = self.tab(OrganisationTab)  # e.g. 内设科室 is edited on the 机构与人员 tab
            self.tabs.setCurrentWidget(other)
            found = other.show_place(place, detail)
        return found

    def explain_finding(self, finding: Any) -> None:
        """添加说明: ask for the text that accepts ``finding`` and store it."""
        text, ok = QInputDialog.getMultiLineText(
            self, "添加说明", f"{finding.message}\n\n请写明原因（随报告保存，可撤销）：", ""
        )
        if ok and text.strip():
            self.add_note(finding, text.strip())

    def add_note(self, finding: Any, text: str) -> bool:
        """Store a 说明 accepting ``finding`` (one undo step); the audit then lists it as 已说明."""
        from perfdesk_ui.commands import InsertRows

        if self.doc is None or self.doc.report is None or not text.strip():
            return False
        report = self.doc.report
        values = {"rule": finding.rule, "place": finding.place_id, "text": text.strip()}
        done = self._guard(
            "添加说明",
            lambda: self.doc.run(
                InsertRows(  # type: ignore[union-attr]
                    self.doc,
                    "note",
                    {"report_id": report.id},
                    len(report.notes),
                    [values],
                    "添加说明",
                )
            ),
        )
        if done:
            self.flush_audit()  # the panel lists it as 已说明 at once (a click, not typing)
            self.show_message("已添加说明（可撤销）")
        return bool(done)

    def build_preview_ahead(self, delay_ms: int = PREVIEW_AHEAD_MS) -> None:
        """Once the window has been idle ``delay_ms``, build the preview of the open report in the
        background (the program does this after start: the first 打印预览 is then at hand)."""

        def build() -> None:
            if self.doc is not None and self.doc.report is not None and self.editor_tabs:
                # What the first edit needs (SQLAlchemy), imported beside the preview's build:
                # the window is shown without it, and the first edit is then as quick as the rest.
                threading.Thread(
                    target=self.doc.ws.prepare_for_edits, name="prepare-edits", daemon=True
                ).start()
                self.preview.build_ahead()

        QTimer.singleShot(delay_ms, build)

    def show_preview(self) -> None:
        if self.doc is not None:
            self.tabs.setCurrentWidget(self.preview)

    def _confirm_open_errors(self, what: str) -> bool:
        """No 错误 open: the final copy, no question. Otherwise the final copy is refused (saying
        which) and a draft offered: the PDF then marks every page 审核未通过 · 草稿."""
        errors = self.audit_dock.open_errors() if self.run_audit() else []
        if not errors:
            return True
        box = self._open_errors_box(what, errors)
        box.exec()
        return box.clickedButton() is box.draft_button  # type: ignore[attr-defined]

    def _open_errors_box(self, what: str, errors: list[Any]) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, what, "", parent=self)
        box.setText(f"审核还有 {len(errors)} 项错误没有改正或说明，现在不能{what}正式报告。")
        box.setInformativeText(
            "改正这些错误，或在下方“审核结果”中为它们添加说明后，打印出的就是正式报告。\n"
            f"也可以现在{what}草稿：每页都标有“审核未通过 · 草稿”，不能盖章报送。"
        )
        box.setDetailedText("\n".join(f"{i}. {e.message}" for i, e in enumerate(errors, 1)))
        draft = box.addButton(f"{what}草稿", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.draft_button = draft  # type: ignore[attr-defined]
        return box

    def export_pdf(self) -> None:
        if self.doc is None or self.doc.report is None:
            return
        r = self.doc.report
        path, _ = QFileDialog.getSaveFileName(self, "导出PDF", f"{r.title}.pdf", "PDF 文件 (*.pdf)")
        if path and self._confirm_open_errors("导出PDF"):
            self.export_pdf_file(path)

    def export_pdf_file(self, path: str | Path) -> bool:
        from perfdesk_ui.pdfbuild import BUILDER_MISSING

        assert self.doc is not None
        self.commit_pending()
        try:
            from perfdesk.report import write_pdf_atomic  # type: ignore[attr-defined]
        except ImportError:
            QMessageBox.information(self, "导出PDF", BUILDER_MISSING)
            return False
        report = self.doc.report
        done = self._guard("导出PDF", lambda: write_pdf_atomic(report, Path(path)) or True)
        if done:
            self.show_message(f"已导出PDF：{path}")
        return bool(done)

    def print_report(self) -> None:
        from perfdesk_ui.pdfbuild import BUILDER_MISSING, build_pdf_bytes, builder, print_pdf
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.doc is None or self.doc.report is None:
            return
        if builder() is None:
            QMessageBox.information(self, "打印", BUILDER_MISSING)
            return
        if not self._confirm_open_errors("打印"):
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印报告")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return

        def do_print() -> int:
            from PySide6.QtCore import QBuffer, QByteArray, QIODevice
            from PySide6.QtPdf import QPdfDocument

            data = build_pdf_bytes(self.doc.report)  # type: ignore[union-attr]
            pdf = QPdfDocument(self)
            buffer = QBuffer(self)
            buffer.setData(QByteArray(data))
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            pdf.load(buffer)
            return print_pdf(pdf, printer)

        pages = self._guard("打印", do_print)
        if pages:
            self.show_message(f"已发送 {pages} 页到打印机（100% 比例）")

    # --- 自评汇总 (perfdesk_ui.summary_view: a window of its own over many units) ----------------

    def show_summary(self) -> Any | None:
        """报告 → 自评汇总…: the 主管部门's window over the units' reports of a year."""
        from perfdesk_ui.summary_view import SummaryWindow

        if self.doc is None and not self._ensure_database():  # a new file is made for it now
            return None
        window = getattr(self, "summary_window", None)
        if window is None:
            window = self.summary_window = SummaryWindow(self)
            window.open_report.connect(self._open_from_summary)
            window.reports_added.connect(self._reports_added)
        window.show()
        window.raise_()
        window.activateWindow()
        window.refresh()
        return window

    def _open_from_summary(self, report_id: int) -> None:
        self._fill_combo(report_id)
        self.open_report(report_id)
        self.raise_()
        self.activateWindow()

    def _reports_added(self) -> None:
        current = self.doc.report_id if self.doc is not None else None
        self._fill_combo(current)
        if current is None and self.doc is not None:
            reports = self.doc.ws.list_reports()
            if reports:
                self.open_report(reports[0].id)

    # --- help -----------------------------------------------------------------------------------

    def about(self) -> None:
        from perfdesk.services import default_data_dir

        db = self.doc.ws.path if self.doc is not None else "（未打开）"
        QMessageBox.about(
            self,
            "关于",
            f"<b>部门（单位）整体支出绩效自评报告</b><br>perfdesk 版本 {__version__}<br><br>"
            f"数据文件夹：{default_data_dir()}<br>当前数据库：{db}<br><br>"
            "每次修改都立即保存到数据库，无需手动保存。",
        )

    # --- closing --------------------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Commit typing in progress, remember the geometry, close the database (safe to repeat)."""
        self.commit_pending()
        settings().setValue("window/geometry", self.saveGeometry())
        if self.doc is not None:
            self.doc.ws.close()

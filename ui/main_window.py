"""The main window: menus, toolbar, report switcher, editor tabs, status bar, 审核 dock.

It owns the :class:`~ui.document.ReportDocument` of the open database. Every edit is committed
when made (the status bar says 已保存), so closing never asks to save.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from perfdesk_ui.audit_panel import AuditDock
from perfdesk_ui.document import ReportDocument
from perfdesk_ui.fields import TextField
from perfdesk_ui.tables import RowTableEditor, SheetView
from perfdesk_ui.tabs.funds import FundsTab
from perfdesk_ui.tabs.organisation import OrganisationTab
from perfdesk_ui.tabs.preview import PreviewTab
from perfdesk_ui.tabs.projects import ProjectsTab
from perfdesk_ui.tabs.scores import ScoresTab
from perfdesk_ui.tabs.sections import SectionsTab
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from perfdesk import __version__
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


def settings() -> QSettings:
    return QSettings(*SETTINGS)


class NewReportDialog(QDialog):
    """新建报告: unit name and year."""

    def __init__(self, parent: QWidget | None, unit_name: str = "", year: int = 2025) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        layout = QFormLayout(self)
        self.unit_name = QLineEdit(unit_name)
        self.unit_name.setPlaceholderText("如：株洲市芦淞区民政局")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setSuffix(" 年度")
        layout.addRow("单位名称", self.unit_name)
        layout.addRow("年度", self.year)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00000;")
        layout.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("创建")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _accept(self) -> None:
        if not self.unit_name.text().strip():
            self.error.setText("请填写单位名称")
            return
        self.accept()


class MainWindow(QMainWindow):
    def __init__(self, workspace: Any | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.doc: ReportDocument | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.editor_tabs: list[Any] = []
        self._stale: set[Any] = set()  # tabs that missed a refresh while hidden
        self.saved_label = QLabel("")
        self.findings_label = QLabel("")
        self.statusBar().addPermanentWidget(self.findings_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.audit_dock = AuditDock(self)
        self.audit_dock.hide()
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.audit_dock)
        self.audit_dock.jump.connect(self.jump_to_finding)
        self.audit_dock.counted.connect(self._findings_counted)
        self.audit_dock.explain.connect(self.explain_finding)
        self.report_combo = QComboBox(self)
        self.report_combo.setMinimumWidth(300)
        self.report_combo.setToolTip("切换报告（单位、年度）")
        self.report_combo.currentIndexChanged.connect(self._combo_changed)
        self._build_actions()
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
            "从上年报告创建",
            self.create_next_year,
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
        self.act_about = A("关于", self.about, None)

        bar = self.menuBar()
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
            ("报告", [self.act_audit, None, self.act_preview, self.act_print, self.act_pdf]),
            ("帮助", [self.act_about]),
        ):
            menu = bar.addMenu(title)
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
            return
        self.doc = ReportDocument(workspace, self)
        for cls in (OrganisationTab, FundsTab, ProjectsTab, ScoresTab, SectionsTab, PreviewTab):
            tab = cls(self.doc, self.tabs)
            tab.message.connect(self.show_message)
            self.tabs.addTab(tab, cls.title)
            self.editor_tabs.append(tab)
        self.doc.changed.connect(self._report_changed)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.doc.undo_stack.canUndoChanged.connect(self._update_actions)
        self.doc.undo_stack.canRedoChanged.connect(self._update_actions)
        self.doc.undo_stack.undoTextChanged.connect(self._update_actions)
        self.doc.undo_stack.redoTextChanged.connect(self._update_actions)
        reports = workspace.list_reports()
        wanted = settings().value("report/last")
        rid = None
        if reports:
            rid = reports[0].id
            for r in reports:
                if str(r.id) == str(wanted):
                    rid = r.id
        self._fill_combo(rid)
        self.open_report(rid)
        self.setWindowTitle(f"{APP_TITLE} — {workspace.path}")

    @property
    def preview(self) -> PreviewTab:
        return self.editor_tabs[-1]

    def tab(self, cls: type) -> Any:
        return next(t for t in self.editor_tabs if isinstance(t, cls))

    def _fill_combo(self, current: int | None) -> None:
        self.report_combo.blockSignals(True)
        self.report_combo.clear()
        if self.doc is not None:
            for r in self.doc.ws.list_reports():
                self.report_combo.addItem(f"{r.year}年度　{r.unit_name}", r.id)
                if r.id == current:
                    self.report_combo.setCurrentIndex(self.report_combo.count() - 1)
        self.report_combo.blockSignals(False)

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
        self.commit_pending()
        self.audit_dock.forget_previous()
        self.findings_label.setText("")
        self.doc.open_report(report_id)  # the audit runs on the fresh snapshot (_report_changed)
        if report_id is not None:
            settings().setValue("report/last", report_id)
            i = self.report_combo.findData(report_id)
            if i >= 0 and i != self.report_combo.currentIndex():
                self.report_combo.blockSignals(True)
                self.report_combo.setCurrentIndex(i)
                self.report_combo.blockSignals(False)
        self._update_actions()

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
            # the audit takes ~5 ms on the sample report: run it after every edit, no debounce
            if self.audit_dock.run(self.doc.ws, report) is None:
                self.findings_label.setText("审核：不可用")
            self.saved_label.setText(f"已保存 {time.strftime('%H:%M:%S')}")
            self.saved_label.setToolTip("每次修改都已立即存入数据库，关闭程序无需保存。")
        self._update_actions()

    def _tab_shown(self, _index: int) -> None:
        tab = self.tabs.currentWidget()
        if tab in self._stale and self.doc is not None:
            self._stale.discard(tab)
            tab.refresh(self.doc.report)

    def _update_actions(self, *_: Any) -> None:
        has_doc = self.doc is not None
        has_report = has_doc and self.doc.report is not None  # type: ignore[union-attr]
        for a in (self.act_new, self.act_import):
            a.setEnabled(has_doc)
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
        self.act_undo.setEnabled(bool(stack and stack.canUndo()))
        self.act_redo.setEnabled(bool(stack and stack.canRedo()))
        self.act_undo.setText(f"撤销 {stack.undoText()}" if stack and stack.canUndo() else "撤销")
        self.act_redo.setText(f"重做 {stack.redoText()}" if stack and stack.canRedo() else "重做")

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    # --- edit menu ------------------------------------------------------------------------------

    def undo(self) -> None:
        if self.doc is not None:
            self.commit_pending()
            self.doc.undo_stack.undo()

    def redo(self) -> None:
        if self.doc is not None:
            self.doc.undo_stack.redo()

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

    def new_report(self) -> None:
        if self.doc is None:
            return
        current = self.doc.report
        dialog = NewReportDialog(
            self,
            current.unit_name if current else "",
            (current.year + 1) if current else time.localtime().tm_year - 1,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.create_report(dialog.unit_name.text().strip(), dialog.year.value())

    def create_report(self, unit_name: str, year: int) -> int | None:
        from perfdesk.domain.templates import new_report

        assert self.doc is not None
        rid = self._guard("新建报告", lambda: self.doc.ws.add_report(new_report(unit_name, year)))  # type: ignore[union-attr]
        if rid is not None:
            self._fill_combo(rid)
            self.open_report(rid)
            self.show_message(f"已新建 {year}年度 {unit_name} 的报告")
        return rid

    def create_next_year(self) -> int | None:
        if self.doc is None or self.doc.report_id is None:
            return None
        self.commit_pending()
        old = self.doc.report
        rid = self._guard(
            "从上年报告创建", lambda: self.doc.ws.create_next_year(self.doc.report_id)
        )  # type: ignore[union-attr]
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
        """Open another database file; a file that cannot be used keeps the current one open."""
        from perfdesk.services import Workspace

        ws = self._guard("打开数据库", lambda: Workspace.open(path))
        if ws is None:
            return False
        self.commit_pending()
        self.set_workspace(ws)
        self.show_message(f"已打开数据库 {path}")
        return True

    def import_json(self) -> None:
        if self.doc is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "导入报告", "", "JSON 交换文件 (*.json)")
        if path:
            self.import_file(path)

    def import_file(self, path: str | Path, replace: bool | None = None) -> int | None:
        from perfdesk.exchange import jsonfile
        from perfdesk.services import DuplicateReport

        assert self.doc is not None
        report = self._guard("导入", lambda: jsonfile.loads(Path(path).read_bytes()))
        if report is None:
            return None
        try:
            rid = self.doc.ws.add_report(report, replace=bool(replace))
        except DuplicateReport as exc:
            if (
                replace is None
                and QMessageBox.question(
                    self,
                    "导入",
                    f"{exc}\n\n要用文件中的报告替换数据库中的这份报告吗？（替换后不能撤销）",
                )
                == QMessageBox.StandardButton.Yes
            ):
                return self.import_file(path, replace=True)
            return None
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "导入", str(exc))
            return None
        self._fill_combo(rid)
        self.open_report(rid)
        self.show_message(f"已导入：{report.year}年度 {report.unit_name}")
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
        self.commit_pending()  # may refresh (and so audit) the report already
        self.audit_dock.show()
        self.audit_dock.raise_()
        findings = self.audit_dock.run(self.doc.ws, self.doc.report)
        if findings is None:
            self.findings_label.setText("审核：不可用")
        return findings

    def _findings_counted(self, errors: int, hints: int) -> None:
        self.findings_label.setText(f"审核：未处理错误 {errors} 项，提示 {hints} 项")
        self.findings_label.setStyleSheet("color: #a00000;" if errors else "")
        self.findings_label.setToolTip("点“审核”（F7）查看每一项；加了说明的项不再计入")

    def tab_for_place(self, place: Any) -> Any | None:
        """The editor tab a Place's ``tab`` names (staffing, funds, projects, indicators, text)."""
        cls = PLACE_TABS.get(getattr(place, "tab", ""))
        return self.tab(cls) if cls is not None and self.editor_tabs else None

    def jump_to_finding(self, finding: Any) -> bool:
        """Show a finding's place: its tab, then the exact cell or field (a project first)."""
        place = getattr(finding, "place", None)
        self.show_message(str(getattr(finding, "message", "")))
        tab = self.tab_for_place(place)
        if tab is None:
            return False
        self.commit_pending()
        self.tabs.setCurrentWidget(tab)
        detail = getattr(finding, "detail", "")
        found = tab.show_place(place, detail)
        if not found and place.entity == "lists":  # e.g. 内设科室 is edited on the 机构与人员 tab
            other = self.tab(OrganisationTab)
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
            self.show_message("已添加说明（可撤销）")
        return bool(done)

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
            "改正这些错误，或在右侧“审核结果”中为它们添加说明后，打印出的就是正式报告。\n"
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

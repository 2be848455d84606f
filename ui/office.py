"""文件 → 导出 → Excel / Word and 文件 → 导入 → Excel: menus, the preview dialog, the undo command.

The window keeps only the wiring (:func:`install_menus`); everything else is here. Importing a
workbook never stores anything before the clerk has seen every change (cell, what, old → new) in
:class:`ImportPreviewDialog` and chosen 导入; then the whole import is one undo step
(:class:`ImportWorkbook`), stored in one transaction — all of it or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from perfdesk_ui.commands import _ServiceCommand
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
DOCX_FILTER = "Word 文档 (*.docx)"


class ImportWorkbook(_ServiceCommand):
    """An imported workbook: cell updates and added rows, undone and redone as one step."""

    structure = True

    def __init__(self, doc: Any, plan: Any, edits: list[Any], inserts: list[Any]) -> None:
        super().__init__(doc, f"从 Excel 导入（{len(plan.changes)} 处）")
        self.edits, self.inserts = edits, inserts
        self.before: list[tuple[str, int, dict[str, Any]]] = []
        self.added: list[tuple[str, int]] = []
        self.deleted: list[Any] = []

    def _do(self) -> None:
        before, self.added = self.doc.ws.apply_changes(self.edits, self.inserts)
        self.before = [(e, rid, b) for (e, rid, _), b in zip(self.edits, before, strict=True)]

    def _redo(self) -> None:
        self.doc.ws.redo_changes(self.edits, self.deleted)

    def _undo(self) -> None:
        self.deleted = self.doc.ws.undo_changes(list(reversed(self.before)), self.added)


class ImportPreviewDialog(QDialog):
    """What the import would change, cell by cell; 导入 stores it, 取消 leaves everything as it is."""

    COLUMNS = ("位置", "内容", "原值", "新值")

    def __init__(self, plan: Any, target: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从 Excel 导入：核对修改")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.summary = QLabel(
            f"从“{plan.source}”导入到 {target}。{plan.summary()}。请核对下列修改，"
            "确认无误后点“导入”；点“取消”则什么也不改。导入后可用“撤销”一步撤回。"
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(plan.changes), len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        for r, change in enumerate(plan.changes):
            for c, text in enumerate((change.place, change.what, change.old, change.new)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 160)
        self.table.setColumnWidth(3, 160)
        layout.addWidget(self.table, 1)
        self.notes = QPlainTextEdit("\n".join(plan.notes), self)
        self.notes.setReadOnly(True)
        self.notes.setMaximumHeight(90)
        self.notes.setVisible(bool(plan.notes))
        layout.addWidget(self.notes)
        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.cancel_button.setDefault(True)  # Enter alone does not store anything
        layout.addWidget(buttons)


# --- the actions ------------------------------------------------------------------------------------


def _report(window: Any) -> Any | None:
    doc = window.doc
    return doc.report if doc is not None else None


def export_xlsx(window: Any, path: str | Path | None = None) -> bool:
    """文件 → 导出 → Excel: the attachment tables of the current report as a workbook."""
    report = _report(window)
    if report is None:
        return False
    if path is None:
        path, _ = QFileDialog.getSaveFileName(
            window, "导出 Excel 附件表", f"{report.title}（附件表）.xlsx", XLSX_FILTER
        )
        if not path:
            return False
    window.commit_pending()
    report = _report(window)
    from perfdesk.office.xlsx_export import write_xlsx

    done = window._guard("导出 Excel", lambda: write_xlsx(report, Path(path)) or True)
    if done:
        window.show_message(f"已导出附件表到 {path}")
    return bool(done)


def export_docx(window: Any, path: str | Path | None = None) -> bool:
    """文件 → 导出 → Word: the whole report as a Word document."""
    report = _report(window)
    if report is None:
        return False
    if path is None:
        path, _ = QFileDialog.getSaveFileName(
            window, "导出 Word 文档", f"{report.title}.docx", DOCX_FILTER
        )
        if not path:
            return False
    window.commit_pending()
    report = _report(window)
    from perfdesk.office.docx_export import write_docx

    done = window._guard("导出 Word", lambda: write_docx(report, Path(path)) or True)
    if done:
        window.show_message(f"已导出 Word 文档到 {path}")
    return bool(done)


def import_xlsx(window: Any, path: str | Path | None = None) -> bool:
    """文件 → 导入 → Excel: read the workbook, show every change, store them if the clerk agrees."""
    doc = window.doc
    if doc is None or doc.report is None:
        return False
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "从 Excel 导入", "", XLSX_FILTER)
        if not path:
            return False
    window.commit_pending()
    from perfdesk.office.xlsx_import import WorkbookError, read_workbook

    report = doc.report
    try:
        plan = read_workbook(Path(path), report)
    except WorkbookError as exc:
        box = QMessageBox(QMessageBox.Icon.Warning, "从 Excel 导入", "", parent=window)
        box.setText("工作簿不能导入，报告没有任何改动：\n\n" + "\n".join(exc.problems))
        box.exec()
        return False
    if plan.empty:
        QMessageBox.information(window, "从 Excel 导入", plan.summary())
        return False
    target = f"{report.year}年度 {report.unit_name}"
    dialog = ImportPreviewDialog(plan, target, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        window.show_message("已取消导入，报告没有改动")
        return False

    def run() -> bool:
        edits = plan.edits(doc.ws.fixed_row_ids(doc.report_id))
        return doc.run(ImportWorkbook(doc, plan, edits, plan.inserts()))

    stored = window._guard("从 Excel 导入", run)
    if stored:
        window.show_message(f"已从 Excel 导入 {len(plan.changes)} 处修改（可撤销）")
    return bool(stored)


def install_menus(window: Any, menu: QMenu) -> None:
    """Put 导入 ▸ (JSON, Excel) and 导出 ▸ (JSON, Excel, Word) where 导入…/导出… stood."""
    window.act_import.setText("JSON 交换文件…")
    window.act_export.setText("JSON 交换文件…")
    window.act_import_xlsx = QAction("Excel 工作簿…", window)
    window.act_import_xlsx.setStatusTip("从 Excel 导入数字或绩效指标：先列出每处修改，确认后才保存")
    window.act_import_xlsx.triggered.connect(lambda: import_xlsx(window))
    window.act_export_xlsx = QAction("Excel 附件表…", window)
    window.act_export_xlsx.setStatusTip("把附件1–3 导出为 Excel 工作簿（每个附件一张表）")
    window.act_export_xlsx.triggered.connect(lambda: export_xlsx(window))
    window.act_export_docx = QAction("Word 文档…", window)
    window.act_export_docx.setStatusTip("把整份报告（正文和附件表）导出为 Word 文档")
    window.act_export_docx.triggered.connect(lambda: export_docx(window))

    window.import_menu = QMenu("导入", menu)
    window.import_menu.addActions([window.act_import, window.act_import_xlsx])
    window.export_menu = QMenu("导出", menu)
    window.export_menu.addActions(
        [window.act_export, window.act_export_xlsx, window.act_export_docx]
    )
    menu.insertMenu(window.act_import, window.import_menu)
    menu.insertMenu(window.act_import, window.export_menu)
    menu.removeAction(window.act_import)
    menu.removeAction(window.act_export)

    def enable() -> None:
        has_report = _report(window) is not None
        for action in (window.act_import_xlsx, window.act_export_xlsx, window.act_export_docx):
            action.setEnabled(has_report)

    menu.aboutToShow.connect(enable)
    window.import_menu.aboutToShow.connect(enable)
    window.export_menu.aboutToShow.connect(enable)
    window.import_menu.menuAction().setObjectName("menuImport")
    window.export_menu.menuAction().setObjectName("menuExport")

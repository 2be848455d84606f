"""The UI side of data safety: the unhandled-exception dialog and 恢复备份.

Storage raises, this module shows (the core never opens a dialog):

- :func:`install_excepthook` — an unhandled exception is logged with its traceback and shown in a
  Chinese message box saying the saved data is unharmed (every edit is committed on its own, so an
  exception in the UI cannot have half-saved anything). The program keeps running.
- :class:`RestoreBackupDialog` — lists the backups of a database (date, kind, reports) and
  restores the chosen one; the current file is backed up first (by
  :func:`perfdesk.services.restore_database`).
- :func:`offer_restore` — for a :class:`~perfdesk.errors.DatabaseError` raised while
  opening: the message, and the restore dialog when backups exist.
- :func:`ask_after_refusal` — what to do with a database that cannot be opened for editing:
  只读打开 (where reading works: another perfdesk is editing it, a full disk, a read-only file, a
  newer perfdesk's file), 恢复备份… (a damaged or emptied file with backups), or 取消. The safe
  choice is the default button: Enter never replaces a file.
- :func:`show_save_failure` — an edit a service refused to save (disk full, read-only…).

Nothing shown here quotes a traceback or the clerk's data: the exception dialog names the kind of
error and where the log is; the traceback is in the log.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from perfdesk.errors import BackupError, DatabaseError
from perfdesk.logging_setup import log_exception, log_file
from perfdesk.services import BackupInfo, backups_of, restore_database

_showing = False


def exception_box(
    parent: QWidget | None,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
) -> QMessageBox:
    """The message box for an unhandled exception (not yet shown)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("程序出错")
    box.setText("程序遇到了一个意外错误，刚才的操作没有完成。")
    box.setInformativeText(
        "已保存的数据没有受到影响：每一项修改在显示为已保存时就已写入数据库。\n"
        "可以继续工作；如果问题反复出现，请保存后重新启动程序，并把日志文件交给维护人员：\n"
        f"{log_file()}"
    )
    box.setDetailedText(_where(exc_type, tb))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def _where(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """For the maintainer: the kind of error and where in the program, without its message
    (which can quote the clerk's data — SQL parameters, a cell's text); the log has the rest."""
    frames = traceback.extract_tb(tb)[-3:] if tb is not None else []
    lines = [f"错误类型：{exc_type.__name__}"]
    lines += [f"  {Path(f.filename).name}:{f.lineno}，{f.name}" for f in frames]
    lines.append(f"详细信息（含调用栈）已写入日志：{log_file()}")
    return "\n".join(lines)


def install_excepthook(window: QWidget | None) -> None:
    """Log every unhandled exception and show it over ``window`` in Chinese; the program runs on.

    PySide6 hands exceptions raised in slots and event handlers to ``sys.excepthook``, so this
    covers the whole UI. Call once after the main window is made (after ``setup_logging()``).
    """

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        global _showing
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log_exception(exc_type, exc, tb)
        if _showing:  # an error while the box is up: logged, but one box at a time
            return
        _showing = True
        try:
            exception_box(window, exc_type, exc, tb).exec()
        except Exception:  # noqa: BLE001 - the dialog itself failed: the log has it, go on
            log_exception(*sys.exc_info())  # type: ignore[arg-type]
        finally:
            _showing = False

    sys.excepthook = hook


def show_save_failure(parent: QWidget | None, error: Exception) -> None:
    """Tell the clerk an edit was not saved.

    For :class:`~perfdesk.errors.StorageWriteError` (disk full, I/O error),
    :class:`~perfdesk.errors.ReadOnlyDatabase` and ``InputError`` raised by a service:
    their messages already say, in Chinese, that nothing was written. The caller does not push the
    undo command and puts the cell back to the stored value.
    """
    QMessageBox.warning(parent, "修改未保存", str(error))


class RestoreBackupDialog(QDialog):
    """恢复备份: choose a backup of ``db_path`` and put it in place of the current file.

    The workspace on ``db_path`` must be closed before :meth:`exec` (restoring takes the writer
    lock); after ``Accepted`` open it again. ``restored_from`` / ``saved_current`` say what
    happened. ``message`` (e.g. why the file could not be opened) is shown above the list.
    """

    COL_DATE, COL_KIND, COL_REPORTS, COL_FILE = range(4)

    def __init__(self, db_path: Path, parent: QWidget | None = None, *, message: str = "") -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.restored_from: Path | None = None
        self.saved_current: Path | None = None
        self.setWindowTitle("恢复备份")
        self.resize(900, 400)

        layout = QVBoxLayout(self)
        if message:
            problem = QLabel(message)
            problem.setWordWrap(True)
            problem.setObjectName("problem")
            problem.setStyleSheet("QLabel { color: #a40000; font-weight: bold; }")
            layout.addWidget(problem)
        intro = QLabel(
            f"数据库：{self.db_path}\n"
            "选择一个备份恢复。恢复前，当前的数据库文件会先另存为一个“恢复前备份”，不会丢失。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["备份时间", "类型", "报告", "文件"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)

        self.empty_label = QLabel(
            "还没有备份。perfdesk 每天第一次打开数据库时、升级前和退出时会自动备份。"
        )
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)

        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton("恢复所选备份")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._restore_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.table.itemDoubleClicked.connect(lambda _item: self._restore_clicked())

        self.backups: list[BackupInfo] = []
        self.refresh()

    def refresh(self) -> None:
        self.backups = backups_of(self.db_path)
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            reports = b.reports_text
            if b.reports:
                reports += "：" + "；".join(b.reports)
            cells = {
                self.COL_DATE: b.created_text,
                self.COL_KIND: b.kind_label,
                self.COL_REPORTS: reports,
                self.COL_FILE: b.path.name,
            }
            for col, text in cells.items():
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path) if col == self.COL_FILE else text)
                if col == self.COL_REPORTS and b.report_count is None:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)
        self.empty_label.setVisible(not self.backups)
        self.table.setVisible(bool(self.backups))
        if self.backups:
            self.table.selectRow(0)
        self._update_button()

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_button(self) -> None:
        chosen = self.selected_backup()
        self.restore_button.setEnabled(chosen is not None and chosen.report_count is not None)

    def confirm(self, backup: BackupInfo) -> bool:
        """Ask before replacing the file (tests replace this)."""
        answer = QMessageBox.question(
            self,
            "恢复备份",
            f"用 {backup.created_text} 的{backup.kind_label}（{backup.reports_text}）替换当前数据库？\n\n"
            "当前数据库会先另存为“恢复前备份”，需要时可以再恢复回来。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _restore_clicked(self) -> None:
        backup = self.selected_backup()
        if backup is None or not self.confirm(backup):
            return
        try:
            saved = restore_database(backup, self.db_path)
        except (BackupError, DatabaseError) as exc:
            QMessageBox.warning(self, "恢复备份", f"未能恢复：{exc}")
            self.refresh()
            return
        self.restored_from = backup.path
        self.saved_current = saved
        self.accept()


READ_ONLY, RESTORE, CREATE, OTHER, CANCEL = "readonly", "restore", "create", "other", "cancel"


def ask_after_refusal(parent: QWidget | None, error: Exception, db_path: Path) -> str:
    """Ask what to do with a database that could not be opened for editing.

    Returns :data:`READ_ONLY`, :data:`RESTORE`, :data:`CREATE` (a file that does not exist),
    :data:`OTHER` (open or make another file) or :data:`CANCEL`. The default button (Enter) is always a safe one — 只读打开 where reading is
    possible, else 取消 — never 恢复备份, which replaces the file; Esc is 取消.
    """
    from perfdesk.errors import DatabaseLocked, MissingDatabase

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("无法打开数据库")
    box.setText(str(error))
    choices: dict[QPushButton, str] = {}
    readonly = bool(getattr(error, "readonly_possible", False))
    backups = list(getattr(error, "backups", []) or [])
    info: list[str] = []
    default: QPushButton | None = None
    if isinstance(error, MissingDatabase):
        create = box.addButton("新建数据库", QMessageBox.ButtonRole.AcceptRole)
        choices[create] = CREATE
        info.append("可以在这个位置新建一个空的数据库，或取消后用“文件 → 打开数据库”另选文件。")
    if readonly:
        button = box.addButton("只读打开", QMessageBox.ButtonRole.AcceptRole)
        choices[button] = READ_ONLY
        default = button
        info.append(
            "只读打开：可以查看、审核、打印和导出 PDF 或 JSON；不能修改，也不会写入这个文件。"
        )
    if backups and not isinstance(error, DatabaseLocked):
        button = box.addButton("恢复备份…", QMessageBox.ButtonRole.ActionRole)
        choices[button] = RESTORE
        info.append(
            f"找到 {len(backups)} 个备份，最近的是 {backups[0].describe()}。"
            "恢复前，当前文件会先另存，不会丢失。"
        )
    other = box.addButton("打开其他文件…", QMessageBox.ButtonRole.ActionRole)
    choices[other] = OTHER
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    choices[cancel] = CANCEL
    if not isinstance(error, MissingDatabase) and "未作任何改动" not in str(error):
        info.append("原文件未作任何改动。")
    box.setDefaultButton(default or cancel)
    box.setEscapeButton(cancel)
    if info:
        box.setInformativeText("\n".join(info))
    box.exec()
    return choices.get(box.clickedButton(), CANCEL)  # type: ignore[arg-type]


def offer_restore(parent: QWidget | None, error: DatabaseError, db_path: Path) -> bool:
    """Show why ``db_path`` could not be opened and, when backups exist, offer 恢复备份.

    Returns True when a backup was restored (the caller then tries to open the file again).
    """
    if not error.backups:
        QMessageBox.critical(parent, "无法打开数据库", str(error))
        return False
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("无法打开数据库")
    box.setText(str(error))
    box.setInformativeText(
        f"找到 {len(error.backups)} 个备份，最近的是 {error.backups[0].describe()}。"
    )
    restore = box.addButton("恢复备份…", QMessageBox.ButtonRole.ActionRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)  # Enter must never replace a file
    box.setEscapeButton(cancel)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    dialog = RestoreBackupDialog(db_path, parent, message=str(error))
    return dialog.exec() == QDialog.DialogCode.Accepted

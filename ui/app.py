"""Starting the desktop program: the QApplication, a CJK font, the database, the main window.

``run(db)`` is what ``perfdesk`` (``perfdesk.cli.cmd_app``) calls. On the default database's
first run the sample report is loaded (marked as the sample: the window says so and offers its
removal once the clerk has a report of their own). A ``--db`` file that does not exist opens on
the start page and is created only with the first report. A database that cannot be opened gives
a dialog that says why and offers what is possible (:func:`perfdesk_ui.safety.ask_after_refusal`):
只读打开 — the default button — for a file another perfdesk is editing, on a full disk, read-only
or of a newer perfdesk; 恢复备份… for a damaged or emptied file. The window stays up either way.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

PREFERRED_FAMILIES = (
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimSun",
)


def _shipped_font_files() -> list[Path]:
    try:
        from perfdesk.resources import resource

        folder = Path(str(resource("fonts")))
    except Exception:  # noqa: BLE001 - no shipped fonts: the system's will do
        return []
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".ttc", ".otf"))


def setup_fonts(app: QApplication) -> str | None:
    """Make sure Chinese renders: use a system CJK font, else load the shipped one."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if not families:
        for path in _shipped_font_files():
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                families = QFontDatabase.applicationFontFamilies(font_id)
                if families:
                    break
    if not families:
        return None
    chosen = next((f for f in PREFERRED_FAMILIES if f in families), families[0])
    font = QFont(chosen)
    font.setPointSize(max(app.font().pointSize(), 10))
    app.setFont(font)
    return chosen


def application() -> QApplication:
    """The QApplication (created once), named for QSettings, Chinese, with a CJK font."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setOrganizationName("perfdesk")
    app.setApplicationName("perfdesk")
    app.setApplicationDisplayName("部门整体支出绩效自评")
    # The menu entry the Linux packages install is perfdesk.desktop: the taskbar (Wayland, UKUI,
    # DDE) takes the window's icon and name from it.
    app.setDesktopFileName("perfdesk")
    setup_fonts(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def open_workspace(db: str | None) -> tuple[Any | None, str | None]:
    """The workspace on ``db`` (or the default database, with the sample on its first run).

    Returns ``(workspace, None)`` or ``(None, message)`` when the file cannot be used.
    """
    ws, error = _open(db)
    return ws, (None if error is None else _message(error, db))


def _message(error: Exception, db: str | None) -> str:
    if isinstance(error, OSError):
        return f"无法打开数据库文件“{_path(db)}”：{error.strerror or error}"
    return str(error)


def _path(db: str | None) -> Path:
    from perfdesk.services import default_db_path

    return Path(db) if db else default_db_path()


def _open(
    db: str | None, *, readonly: bool = False, create: bool | None = None
) -> tuple[Any | None, Exception | None]:
    """Open ``db`` (the default database when None); ``create`` defaults to: only the default
    database is made by itself (on the first run, with the sample), a named file only on request."""
    from perfdesk.domain.numbers import InputError
    from perfdesk.errors import DatabaseError
    from perfdesk.services import Workspace

    path = _path(db)
    first_run = db is None and not path.exists()
    if create is None:
        create = db is None
    try:
        ws = Workspace.open(path if db else None, readonly=readonly, create=create)
    except (DatabaseError, InputError, OSError) as exc:
        return None, exc
    if first_run:
        load_sample_into(ws)
    return ws, None


def load_sample_into(ws: Any) -> int | None:
    """Put the shipped sample report into ``ws`` (nothing if this installation lacks it)."""
    try:
        from perfdesk.sample import load_sample

        report = load_sample()
    except (FileNotFoundError, ImportError, OSError):
        return None
    return ws.add_report(report)


def create_window(db: str | None = None) -> Any:
    """The main window on ``db``; an unusable file gives a dialog and an empty window.

    A ``db`` that does not exist yet is not made here: the window opens on the start page, which
    says the file is created with the first report (a mistyped path leaves nothing behind).
    """
    from perfdesk_ui.main_window import MainWindow

    if db is not None and not _path(db).exists():
        window = MainWindow(None)
        window.set_pending_database(_path(db))
        return window
    ws, error = _open(db)
    window = MainWindow(ws)
    if error is not None:
        window.show()
        ws = _recover(window, db, error)
        if ws is not None:
            window.set_workspace(ws)
            if ws.readonly:
                _say_read_only(window, error)
    elif ws is not None and getattr(ws, "warnings", None):
        window.show()
        QMessageBox.warning(window, "提示", "\n".join(ws.warnings))
    return window


def _say_read_only(window: Any, reason: Exception) -> None:
    """Mark the window as read-only, saying what cannot be done and why."""
    window.setWindowTitle(f"{window.windowTitle()}（只读）")
    window.show_message(
        "已以只读方式打开：可以查看、审核、打印和导出，修改不会保存。"
        f"原因：{str(reason).split('。')[0]}"
    )


def _recover(window: Any, db: str | None, error: Exception) -> Any | None:
    """After a refused file: what the clerk chooses — read-only, a backup, a new file, another
    file — tried in turn until one opens or the clerk cancels."""
    from perfdesk_ui import safety

    from perfdesk.errors import DatabaseError

    path = _path(db)
    if not isinstance(error, DatabaseError):
        _offer_alternatives(window, _message(error, db))
        return None
    for _ in range(5):  # each failed attempt says why and asks again
        choice = safety.ask_after_refusal(window, error, path)
        if choice == safety.READ_ONLY:
            ws, again = _open(db, readonly=True)
        elif choice == safety.RESTORE:
            dialog = safety.RestoreBackupDialog(path, window, message=str(error))
            if dialog.exec() != safety.QDialog.DialogCode.Accepted:
                continue
            ws, again = _open(db)
        elif choice == safety.CREATE:
            ws, again = _open(db, create=True)
        else:
            if choice == safety.OTHER:
                window.open_database_dialog()
            return None
        if again is None:
            return ws
        error = again
    return None


def _offer_alternatives(window: Any, error: str) -> None:
    """A file that could not even be looked at (not a database error): open or make another."""
    box = QMessageBox(QMessageBox.Icon.Warning, "无法打开数据库", error, parent=window)
    box.setInformativeText("可以打开另一个数据库文件，或新建一个。原文件未作任何改动。")
    other = box.addButton("打开或新建…", QMessageBox.ButtonRole.AcceptRole)
    close = box.addButton("关闭此提示", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close)
    box.exec()
    if box.clickedButton() is other:
        window.open_database_dialog()


def run(db: str | None = None) -> int:
    """Open the program window and run until it is closed; returns the exit code."""
    from perfdesk_ui.safety import install_excepthook

    from perfdesk.logging_setup import setup_logging

    setup_logging()
    app = application()
    window = create_window(db)
    install_excepthook(window)
    window.show()
    try:
        return app.exec()
    finally:
        # QApplication.quit() (log-off, the smoke test) skips closeEvent: still write pending text,
        # take the exit backup and free the one-writer lock.
        window.shutdown()

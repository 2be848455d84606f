"""Starting the desktop program: the QApplication, a CJK font, the database, the main window.

``run(db)`` is what ``perfdesk`` (``perfdesk.cli.cmd_app``) calls. On the default database's
first run the sample report is loaded (marked as the sample: the window says so and offers its
removal once the clerk has a report of their own). A ``--db`` file that does not exist opens on
the start page and is created only with the first report. A database
that cannot be opened gives a dialog that says why; the window stays up so another file can be
opened or a new one made.
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


def _open(db: str | None, *, readonly: bool = False) -> tuple[Any | None, Exception | None]:
    from perfdesk.domain.numbers import InputError
    from perfdesk.errors import DatabaseError
    from perfdesk.services import Workspace

    path = _path(db)
    first_run = db is None and not path.exists()
    try:
        ws = Workspace.open(path if db else None, readonly=readonly)
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
    elif ws is not None and getattr(ws, "warnings", None):
        window.show()
        QMessageBox.warning(window, "提示", "\n".join(ws.warnings))
    return window


def _recover(window: Any, db: str | None, error: Exception) -> Any | None:
    """After a refused file: offer 恢复备份 or read-only opening where possible, else another file."""
    from perfdesk_ui.safety import offer_restore

    from perfdesk.errors import DatabaseError

    path = _path(db)
    if isinstance(error, DatabaseError):
        if getattr(error, "backups", None) and offer_restore(window, error, path):
            ws, again = _open(db)
            if again is None:
                return ws
            error = again
        if getattr(error, "readonly_possible", False):
            answer = QMessageBox.question(
                window, "无法打开数据库", f"{error}\n\n要以只读方式打开查看吗？（不能修改）"
            )
            if answer == QMessageBox.StandardButton.Yes:
                ws, again = _open(db, readonly=True)
                if again is None:
                    return ws
                error = again
    _offer_alternatives(window, _message(error, db))
    return None


def _offer_alternatives(window: Any, error: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "无法打开数据库", error, parent=window)
    box.setInformativeText("可以打开另一个数据库文件，或新建一个。原文件未作任何改动。")
    other = box.addButton("打开或新建…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("关闭此提示", QMessageBox.ButtonRole.RejectRole)
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

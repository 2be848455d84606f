"""Starting the desktop program: the QApplication, Chinese, a CJK font, the database, the window.

``run(db)`` is what ``perfdesk`` (``perfdesk.cli.cmd_app``) calls. On the default database's
first run the sample report is loaded (marked as the sample: the window says so and offers its
removal once the clerk has a report of their own). A ``--db`` file that does not exist opens on
the start page and is created only with the first report. A database that cannot be opened gives
a dialog that says why and offers what is possible (:func:`perfdesk_ui.safety.ask_after_refusal`):
只读打开 — the default button — for a file another perfdesk is editing, on a full disk, read-only
or of a newer perfdesk; 恢复备份… for a damaged or emptied file. The window stays up either way.

Chinese throughout: Qt's own translations (``qtbase_zh_CN.qm``, shipped with PySide6) are loaded,
so standard buttons (是/否, 取消), the file and print dialogs speak Chinese too. When no window
can be opened at all (no display, a system library missing) the clerk gets one Chinese line
naming the real fix and exit code 2 — not Qt's English abort with its misleading hint.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QtMsgType, QTranslator, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox


def _lighter_pyside_import_check() -> None:
    """PySide6's import hook asks, of every module imported after it, whether its source mentions
    PySide6 (``shibokensupport.feature._mod_uses_pyside``, for its ``__feature__`` switches). It
    asks through ``inspect.getsource``, which keeps the lines of every such file in ``linecache``
    for the life of the process: at window start 468 files, 8.7 MB of text, about 21 MB of memory
    (issue 16). The same answer comes from the file's bytes, kept nowhere. A PySide6 without that
    private function is left as it is; a file that cannot be read gets PySide6's own answer."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "perfdesk_lighter", False):
        return

    def uses_pyside(module: Any) -> Any:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as f:
                return b"PySide6" in f.read()
        except OSError:
            return original(module)

    uses_pyside.perfdesk_lighter = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


_lighter_pyside_import_check()

EXIT_NO_DISPLAY = 2  # as the command line's "unusable input": the program could not start

# shared libraries the xcb platform plugin needs that a desktop-less Debian/Ubuntu may lack,
# with the package that has them
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

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


def translations_folder() -> Path | None:
    """Where Qt's own .qm files are (PySide6's copy; in the bundle beside Qt)."""
    candidates = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6

        root = Path(PySide6.__file__).parent
        candidates += [root / "Qt" / "translations", root / "translations"]
    except (ImportError, TypeError):
        pass
    return next((c for c in candidates if (c / "qtbase_zh_CN.qm").is_file()), None)


class QtChinese(QTranslator):
    """Qt's Chinese catalogue, also for labels it lacks only because of their shortcut letter.

    ``qtbase_zh_CN.qm`` translates "Files of type:" but not "Files of &type:" as the file dialog
    asks for it (nor "&Look in:", "Page &Set:"): such a label is looked up without its ``&`` and
    given the letter back as 文件类型(&T)：, so no English is left in the dialogs.
    """

    def __init__(self, parent: Any, base: QTranslator) -> None:
        super().__init__(parent)
        self.base = base

    def isEmpty(self) -> bool:
        return self.base.isEmpty()

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        found = self.base.translate(context, source, disambiguation, n)
        if found or "&" not in source:
            return found or None  # None: not translated here (Qt keeps the English)
        at = source.find("&")
        letter = source[at + 1 : at + 2]
        bare = self.base.translate(context, source.replace("&", "", 1), disambiguation, n)
        if not bare or not letter.isalnum():
            return None
        tail = "：" if bare.endswith(("：", ":")) else ""
        return f"{bare.rstrip('：:')}(&{letter.upper()}){tail}"


def install_translations(app: QApplication) -> bool:
    """Load Qt's Simplified Chinese messages (是/否, 取消, the file and print dialogs)."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if getattr(app, "_perfdesk_translator", None) is not None:
        return True
    folder = translations_folder()
    if folder is None:
        return False
    base = QTranslator(app)
    if not base.load("qtbase_zh_CN", str(folder)):
        return False
    translator = QtChinese(app, base)
    app.installTranslator(translator)
    app._perfdesk_translator = translator  # type: ignore[attr-defined]
    return True


def application() -> QApplication:
    """The QApplication (created once), named for QSettings, Chinese, with a CJK font.

    If Qt cannot open a window at all it would abort the process; instead the clerk is told why
    in one Chinese line and the program ends with exit code 2.
    """
    app = QApplication.instance()
    if app is None:
        app = _create_application()
    app.setOrganizationName("perfdesk")
    app.setApplicationName("perfdesk")
    app.setApplicationDisplayName("部门整体支出绩效自评")
    install_translations(app)  # type: ignore[arg-type]
    # The menu entry the Linux packages install is perfdesk.desktop: the taskbar (Wayland, UKUI,
    # DDE) takes the window's icon and name from it.
    app.setDesktopFileName("perfdesk")
    setup_fonts(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


# --- when no window can be opened ------------------------------------------------------------


def display_problem(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """Why no window can be opened, found before Qt tries (then Qt would abort): None if none.

    Only the sure case is caught here: on Linux with no display at all.
    """
    from perfdesk import system

    env = os.environ if env is None else env
    if not system.is_linux(platform):
        return None
    wanted = env.get("QT_QPA_PLATFORM", "")
    if wanted and not wanted.startswith(("xcb", "wayland")):
        return None  # offscreen, vnc, eglfs…: no desktop display needed
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return no_display_message([], env, platform)


def missing_xcb_library() -> str | None:
    """The shared library (soname) the xcb platform plugin cannot load, or None.

    Qt's own hint names libxcb-cursor0 whenever the plugin fails, even when the real cause is
    another library or no display at all; loading the plugin here tells which library it is.
    """
    import ctypes

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    plugins = sorted(folder.glob("libqxcb*.so*")) if folder.is_dir() else []
    if not plugins:
        return None
    try:
        ctypes.CDLL(str(plugins[0]))
    except OSError as exc:
        text = str(exc)
        # "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"
        name = text.split(":", 1)[0].strip()
        return Path(name).name if name and name != str(plugins[0]) else text
    return None


def no_display_message(
    qt_messages: list[str],
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    missing: str | None = None,
) -> str:
    """One Chinese line: why no window could be opened and what fixes it."""
    from perfdesk import system

    env = os.environ if env is None else env
    said = "\n".join(qt_messages)
    head = "无法打开程序窗口："
    wanted = env.get("QT_QPA_PLATFORM", "")
    if "Could not find the Qt platform plugin" in said and wanted:
        return (
            f"{head}环境变量 QT_QPA_PLATFORM={wanted} 指定的图形插件不存在。"
            "请删除这个环境变量后再运行 perfdesk。"
        )
    if system.is_linux(platform):
        if missing:
            package = XCB_PACKAGES.get(missing)
            fix = (
                f"请安装它：sudo apt install {package}（Debian/Ubuntu），然后再运行 perfdesk。"
                if package
                else "请用系统的软件包管理器安装含有它的软件包，然后再运行 perfdesk。"
            )
            return f"{head}缺少系统库 {missing}（Qt 的 X11 图形插件需要它）。{fix}"
        display, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
        if not display and not wayland:
            return (
                f"{head}没有图形显示（环境变量 DISPLAY 和 WAYLAND_DISPLAY 都没有设置）。"
                "请在桌面环境中运行 perfdesk；通过 SSH 登录时用 ssh -X 连接，"
                "或用 xvfb-run perfdesk 在虚拟显示上运行。命令行功能（如 perfdesk pdf）不需要窗口。"
            )
        if "could not connect to display" in said or display:
            return (
                f"{head}连接不上图形显示 DISPLAY={display}（该显示不存在，或不允许本程序连接）。"
                "请在这个显示的桌面里运行 perfdesk，或把 DISPLAY 改成正在使用的显示（如 :0）。"
            )
    if "Could not find the Qt platform plugin" in said or "no Qt platform plugin" in said:
        return f"{head}找不到 Qt 的图形插件，安装不完整。请重新安装 perfdesk。"
    last = qt_messages[-1].strip().splitlines()[0] if qt_messages else "未知原因"
    return f"{head}Qt 无法初始化图形界面（{last}）。"


def tell_and_exit(message: str) -> None:
    """Show ``message`` where the clerk will see it (console, else a Windows message box); exit 2."""
    line = " ".join(message.split())
    stream = sys.__stderr__ or sys.stderr
    if stream is not None:
        try:
            stream.write(line + "\n")
            stream.flush()
        except (OSError, ValueError):
            stream = None
    if stream is None:  # the windowed .exe has no console: a message box on Windows
        from perfdesk import system

        system.show_error_box(line)
    os._exit(EXIT_NO_DISPLAY)  # Qt is about to abort(): nothing else may run


def _create_application() -> QApplication:
    """QApplication(), with Qt's fatal "no platform plugin" turned into :func:`tell_and_exit`."""
    heard: list[str] = []

    def listen(mode: QtMsgType, _context: Any, message: str) -> None:
        if mode == QtMsgType.QtFatalMsg:
            from perfdesk import system

            missing = missing_xcb_library() if system.is_linux() else None
            tell_and_exit(no_display_message([*heard, message], missing=missing))
        heard.append(message)

    previous = qInstallMessageHandler(listen)
    try:
        app = QApplication(sys.argv[:1])
    finally:
        qInstallMessageHandler(previous)
    if heard:
        import logging

        logging.getLogger("perfdesk").info("Qt at start-up: %s", " | ".join(heard))
    return app


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
    try:
        window = MainWindow(ws)
    except Exception as exc:
        from perfdesk.errors import StorageReadError

        if not isinstance(exc, StorageReadError) or ws is None:
            raise
        # The file opened but its report does not read (a stored value that does not decode:
        # damage SQLite's own checks cannot see). The window opens empty and offers the backups,
        # as for a damaged file; nothing was written.
        from perfdesk.services import backups_of

        ws.close()
        exc.backups = backups_of(_path(db))
        ws, error = None, exc
        window = MainWindow(None)
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
    problem = display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_NO_DISPLAY
    app = application()
    window = create_window(db)
    install_excepthook(window)
    window.show()
    window.build_preview_ahead()  # the first 打印预览 at hand (ReportLab, fonts, QtPdf loaded)
    try:
        return app.exec()
    finally:
        # QApplication.quit() (log-off, the smoke test) skips closeEvent: still write pending text,
        # take the exit backup and free the one-writer lock.
        window.shutdown()

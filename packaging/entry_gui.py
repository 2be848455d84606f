"""Windowed entry of the frozen bundle: ``perfdesk`` (``perfdesk.exe``) opens the program window.

A windowed program has no console (on Windows ``sys.stderr`` is ``None``), so the one Chinese
line ``perfdesk.cli`` prints when something goes wrong would vanish and the clerk would see
nothing at all. This entry keeps what is written to stderr; when the program ends with an error
it writes the details (with any traceback) to the log and shows the message in a dialog. A
traceback is never shown on a console.

The details go to perfdesk's log (``perfdesk.logging_setup``: ``%LOCALAPPDATA%\\perfdesk\\Logs``
on Windows) or, where that is not available, to ``perfdesk-errors.log`` in the data folder.

Hidden hook for the CI smoke test, so nothing in ``ui/`` has to know about it: with
``PERFDESK_SMOKE_QUIT_AFTER_MS=N`` set, the program quits N ms after its main window became
visible and exits 0 — or exits 1, saying what was on screen instead, when no visible
``QMainWindow`` appeared within a minute. It never shows the error dialog (nobody would close it).
With ``PERFDESK_SMOKE_CHECKS=FOLDER`` as well, it first runs ``smoke_checks.py`` in the window
(Chinese input, ICU, Qt plugins, the preview, printing; files go to FOLDER) and exits 1 if any fails.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import threading
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

SMOKE_ENV = "PERFDESK_SMOKE_QUIT_AFTER_MS"
SMOKE_CHECKS_ENV = "PERFDESK_SMOKE_CHECKS"
SMOKE_DEADLINE_S = 60.0
SMOKE_MODAL_S = 3.0
DIALOG_TITLE = "perfdesk 无法继续运行"
LOG_NAME = "perfdesk-errors.log"


class _Tee(io.TextIOBase):
    """Stands in for stderr: remembers every line and still passes it on when there is a console."""

    def __init__(self, original: io.TextIOBase | None) -> None:
        self.original = original
        self.kept = io.StringIO()

    def write(self, text: str) -> int:
        self.kept.write(text)
        if self.original is not None:
            try:
                self.original.write(text)
            except (OSError, ValueError):
                pass  # a closed or broken console must not turn a message into a crash
        return len(text)

    def flush(self) -> None:
        if self.original is not None:
            try:
                self.original.flush()
            except (OSError, ValueError):
                pass

    def fileno(self) -> int:  # faulthandler and friends need the real descriptor
        if self.original is None:
            raise io.UnsupportedOperation("no console")
        return self.original.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.original, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        return bool(self.original is not None and self.original.isatty())


class _KeepErrors(logging.Handler):
    """Collects the error records (``perfdesk.cli`` logs the traceback of an internal error)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class _SmokeProbe:
    """Watches for the main window from inside the Qt event loop, then ends the program.

    ``perfdesk_ui.app`` creates the QApplication itself, so the probe cannot start a timer up front: a
    helper thread waits until the application exists and posts one event (posting is safe from
    any thread); from then on a QTimer in the GUI thread does the checking.
    """

    def __init__(self, quit_after_ms: int) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

        self.quit_after_s = quit_after_ms / 1000
        self.verdict: str | None = None
        self.ok = False
        self._started = time.monotonic()
        self._seen_at: float | None = None
        self._modal_since: float | None = None
        self._checks: Any = None
        self.check_lines: list[str] = []
        self.check_failed = 0
        start_type = QEvent.Type(QEvent.registerEventType())
        probe = self

        class Receiver(QObject):
            def event(self, ev: QEvent) -> bool:  # noqa: N802 - Qt's name
                if ev.type() == start_type:
                    self.timer = QTimer(self)
                    self.timer.timeout.connect(probe._check)
                    self.timer.start(100)
                    return True
                return super().event(ev)

        self._receiver = Receiver()

        def wait_for_app() -> None:
            while QCoreApplication.instance() is None:
                if time.monotonic() - self._started > SMOKE_DEADLINE_S:
                    return
                time.sleep(0.02)
            QCoreApplication.postEvent(self._receiver, QEvent(start_type))

        threading.Thread(target=wait_for_app, name="perfdesk-smoke", daemon=True).start()

    def _check(self) -> None:
        from PySide6.QtWidgets import QApplication, QMainWindow

        now = time.monotonic()
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMainWindow) and w.isVisible()
        ]
        if windows:
            if self._seen_at is None:
                self._seen_at = now
            elif now - self._seen_at >= self.quit_after_s:
                w = windows[0]
                if not self._checks_done(w):
                    return
                self.ok = not self.check_failed
                self.verdict = (
                    f"main window shown: {type(w).__name__} “{w.windowTitle()}” "
                    f"{w.width()}x{w.height()}, {now - self._started:.2f} s after start"
                )
                if self.check_failed:
                    self.verdict += f"; {self.check_failed} in-window check(s) failed"
                QApplication.exit(0 if self.ok else 1)
            return
        # A modal dialog instead of the window (an error at start) fails at once, not after a minute.
        if QApplication.activeModalWidget() is not None:
            self._modal_since = self._modal_since or now
        else:
            self._modal_since = None
        if self._modal_since is not None and now - self._modal_since > SMOKE_MODAL_S:
            self.verdict = f"a dialog instead of the main window; on screen: {_on_screen()}"
            QApplication.exit(1)
        elif now - self._started > SMOKE_DEADLINE_S:
            self.verdict = (
                f"no visible main window after {SMOKE_DEADLINE_S:.0f} s; on screen: {_on_screen()}"
            )
            QApplication.exit(1)

    def _checks_done(self, window: object) -> bool:
        """Run the in-window checks when asked for; True once they are finished (or not asked)."""
        folder = os.environ.get(SMOKE_CHECKS_ENV, "").strip()
        if not folder:
            return True
        if self._checks is None:
            from smoke_checks import Checks

            self._checks = Checks(window, Path(folder))
        lines = self._checks.step()
        if lines is None:
            return False
        self.check_lines = lines
        self.check_failed = self._checks.failed
        return True

    def finish(self, code: int, said: str, crash: str) -> int:
        for line in self.check_lines:
            print(line, flush=True)
        if self.ok:
            print(f"smoke: {self.verdict}", flush=True)
            return 0
        reason = self.verdict or "the program ended before any main window was shown"
        _to_console(f"smoke: FAILED — {reason}; exit code {code}\n{crash}")
        if sys.__stderr__ is None and said.strip():  # otherwise it is on the console already
            _to_console(f"smoke: the program said:\n{said}")
        return 1


def _to_console(text: str) -> None:
    if sys.__stderr__ is not None:
        sys.__stderr__.write(text.rstrip("\n") + "\n")
        sys.__stderr__.flush()


def _on_screen() -> str:
    from PySide6.QtWidgets import QApplication, QMessageBox

    shown = []
    for w in QApplication.topLevelWidgets():
        if w.isVisible():
            text = w.text() if isinstance(w, QMessageBox) else ""
            shown.append(f"{type(w).__name__} “{w.windowTitle()}” {text}".strip())
    return "; ".join(shown) or "nothing"


def _log_failure(message: str, details: str) -> Path | None:
    """Write the failure to perfdesk's log (in the user's folders, never beside the program).

    perfdesk's own log file when ``perfdesk.logging_setup`` is there to open it; otherwise, or
    when that cannot be written, ``perfdesk-errors.log`` in the data folder (or the temp folder).
    """
    try:
        from perfdesk.logging_setup import setup_logging
    except ImportError:
        setup_logging = None
    if setup_logging is not None:
        try:
            path = setup_logging()
        except Exception:  # noqa: BLE001 - a broken log must not hide the message itself
            path = None
        if path is not None:
            logging.getLogger("perfdesk.entry").error("%s\n%s", message.rstrip(), details.rstrip())
            return path
    try:
        from perfdesk.services import default_data_dir

        folder = default_data_dir() / "logs"
    except Exception:  # noqa: BLE001 - the core itself may be what failed to load
        import tempfile

        folder = Path(tempfile.gettempdir()) / "perfdesk-logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_NAME
        with path.open("a", encoding="utf-8") as f:
            stamp = datetime.now().isoformat(timespec="seconds")
            f.write(f"==== {stamp} perfdesk {sys.argv[1:]}\n")
            f.write(message.rstrip() + "\n")
            if details.strip():
                f.write(details.rstrip() + "\n")
        return path
    except OSError:
        return None


def _can_show_window() -> bool:
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        # Without a display Qt would abort while creating the dialog; the message is on stderr.
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _show_dialog(text: str, details: str) -> None:
    if not _can_show_window():
        return
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - must stay alive
        box = QMessageBox(QMessageBox.Icon.Critical, DIALOG_TITLE, text)
        if details.strip():
            box.setDetailedText(details)
        box.exec()
    except Exception:  # noqa: BLE001 - Qt itself is broken: fall back to the system's own box
        if sys.platform == "win32":
            import ctypes

            ctypes.windll.user32.MessageBoxW(None, text, DIALOG_TITLE, 0x10 | 0x10000)


def _report_failure(message: str, details: str) -> None:
    log = _log_failure(message, details)
    text = message.strip()
    if log is not None:
        text += f"\n\n详细信息已记录在：\n{log}"
    _show_dialog(text, details)


def _plain(stderr_text: str) -> str:
    """The CLI's lines without their ``perfdesk：`` prefix, which means nothing in a dialog."""
    lines = [line.removeprefix("perfdesk：") for line in stderr_text.splitlines() if line.strip()]
    return "\n".join(lines)


def _leave_program_folder() -> None:
    """Start in Documents when started from inside the program's own folder.

    Double-clicking ``perfdesk.exe`` in Explorer starts it there, and Qt's save dialogs open in the
    working folder: a PDF or database saved with the suggested name would land beside the
    program (and be lost with it). The installer's shortcuts already start in Documents.
    """
    if not getattr(sys, "frozen", False):
        return
    here = Path(sys.executable).resolve().parent
    try:
        cwd = Path.cwd().resolve()
    except OSError:  # the folder it was started in is gone
        cwd = here
    if cwd != here and here not in cwd.parents:
        return
    try:
        from platformdirs import user_documents_dir

        target = Path(user_documents_dir())
    except Exception:  # noqa: BLE001 - any usable folder outside the program will do
        target = Path.home()
    for folder in (target, Path.home()):
        try:
            os.chdir(folder)
            return
        except OSError:
            continue


def input_method_fallback(environ: dict[str, str], plugins: set[str]) -> dict[str, str]:
    """Environment to add so that Chinese input reaches a bundled Qt on a fcitx desktop.

    统信UOS and 麒麟 (and many Linux desktops) run fcitx and set ``QT_IM_MODULE=fcitx``. Qt's
    fcitx plugin is built against one exact Qt and is not in the bundle (PySide6 ships only
    ``ibus`` and ``compose``), so Qt would load no input method at all. fcitx 5 also speaks IBus
    through the ``org.freedesktop.portal.IBus`` portal, which the bundled ibus plugin can use:
    point Qt there. (fcitx 4 has no such portal; see the README.)
    """
    wanted = environ.get("QT_IM_MODULE", "").strip().lower()
    if not wanted.startswith("fcitx") or any("fcitx" in name for name in plugins):
        return {}
    if not any("ibus" in name for name in plugins):
        return {}
    return {
        "QT_IM_MODULE": "ibus",
        "QT_IM_MODULES": "ibus;compose",
        "IBUS_USE_PORTAL": environ.get("IBUS_USE_PORTAL", "1"),
    }


def _set_input_method() -> None:
    if not getattr(sys, "frozen", False) or not sys.platform.startswith("linux"):
        return
    folder = (
        Path(getattr(sys, "_MEIPASS", "")) / "PySide6" / "Qt" / "plugins" / "platforminputcontexts"
    )
    plugins = {p.name.lower() for p in folder.glob("*")} if folder.is_dir() else set()
    os.environ.update(input_method_fallback(dict(os.environ), plugins))


CLI_NAME = "perfdesk-cli"


def started_as_command_line(argv0: str) -> bool:
    """On Linux ``perfdesk-cli`` is a link to this program (``packaging/build.sh``: Linux has no
    console/windowed kinds of program, and a second copy would carry the code archive twice); the
    name it was started under decides."""
    return Path(argv0).name == CLI_NAME


def main() -> int:
    if started_as_command_line(sys.argv[0]):
        from perfdesk.cli import main as cli_main

        return cli_main()
    _leave_program_folder()
    _set_input_method()
    tee = _Tee(sys.stderr)
    sys.stderr = tee
    kept = _KeepErrors()
    for name in ("perfdesk", "perfdesk_ui"):
        logging.getLogger(name).addHandler(kept)

    smoke_ms = os.environ.get(SMOKE_ENV, "").strip()
    probe: _SmokeProbe | None = None
    crash = ""
    try:
        from perfdesk.cli import main as cli_main

        if smoke_ms:
            probe = _SmokeProbe(int(smoke_ms))
        code = cli_main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            tee.write(exc.code + "\n")
    except BaseException as exc:  # noqa: BLE001 - the last place that can still tell the clerk
        code = 3
        crash = traceback.format_exc()
        tee.kept.write(
            f"程序启动时发生内部错误：{type(exc).__name__}: {exc}。请把这行信息告诉维护人员。\n"
        )

    said = tee.kept.getvalue()
    if probe is not None:
        return probe.finish(code, said, crash)
    if smoke_ms:  # the probe itself could not start: report on stderr, never a dialog
        _to_console(f"smoke: FAILED — could not start the probe; exit code {code}\n{said}{crash}")
        return 1
    if code != 0 and (said.strip() or crash):
        details = "\n".join(kept.lines + ([crash] if crash else []))
        _report_failure(_plain(said) or f"程序异常退出（代码 {code}）。", details)
    return code


if __name__ == "__main__":
    sys.exit(main())

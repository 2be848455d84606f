"""What the smoke test checks inside the running, frozen program once its main window is up.

Loaded by ``entry_gui.py`` only when ``PERFDESK_SMOKE_CHECKS`` names a folder for its output
(``packaging/smoke_test.sh`` sets it); a clerk's program never imports it. The checks prove that
leaving things out of the bundle (ICU data, Pillow codecs, Qt plugins, OpenSSL, libcups) broke
nothing a clerk relies on:

- ``icu``      Chinese collation (安 before 中, by pinyin), the GB18030 and GBK decoders and the
               Chinese name of Asia/Shanghai: the ICU data Qt reads is still there;
- ``input``    Chinese text typed through an input method (a ``QInputMethodEvent`` with a preedit
               and a commit, as ibus/fcitx send it) and as key text arrives in a line edit, and is
               drawn with real glyphs (two different 汉字 must not render alike: no empty boxes);
- ``desktop``  the window names the menu entry the Linux packages install (taskbar icon);
- ``plugins``  every Qt plugin the clerk's desktop needs loads, with its libraries (xcb,
               offscreen, input methods, image formats, SVG icons, CUPS printing with the
               system's libcups);
- ``preview``  the window's own 打印预览 tab shows the report's PDF with pages drawn;
- ``print``    the report printed through the window's own print routine to a PDF printer gives
               a PDF with the same page count.

``Checks.step()`` is called every 100 ms from the GUI thread; it returns ``None`` while a check
is still waiting (the preview is built off the UI thread) and the finished lines at the end.
"""

from __future__ import annotations

import importlib
import re
import time
from pathlib import Path
from typing import Any

PREVIEW_TAB = "打印预览"
DESKTOP_FILE = "perfdesk"  # packaging/linux/perfdesk.desktop, installed under this name
PREVIEW_TIMEOUT_S = 45.0
# Plugin folders whose every plugin must load; the others (Wayland, GTK theme, portal) need
# libraries a desktop of that kind has, and are only reported.
REQUIRED_PLUGIN_DIRS = (
    "platforms",
    "platforminputcontexts",
    "imageformats",
    "iconengines",
    "printsupport",
)
OPTIONAL_PLATFORMS = ("wayland",)


def _image_ink(image: Any) -> float:
    """Share of pixels that are not (near) white."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    if image.hasAlphaChannel():  # QPdfDocument renders pages on a transparent background
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.fill(Qt.GlobalColor.white)
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        image = flat
    img = image.convertToFormat(QImage.Format.Format_RGB32).scaled(200, 280)
    dark = 0
    for y in range(img.height()):
        for x in range(img.width()):
            c = img.pixelColor(x, y)
            if c.red() + c.green() + c.blue() < 600:
                dark += 1
    return dark / max(1, img.width() * img.height())


class Checks:
    def __init__(self, window: Any, out_dir: Path) -> None:
        self.window = window
        self.out_dir = out_dir
        self.lines: list[str] = []
        self.failed = 0
        self._started = time.monotonic()
        self._queue = [self._icu, self._input, self._plugins, self._desktop, self._open_preview]
        self._waiting: Any = None  # a callable polled until it returns True

    # --- driver ---------------------------------------------------------------------------------

    def _say(self, ok: bool, name: str, detail: str) -> None:
        self.lines.append(f"smoke-check: {'ok  ' if ok else 'FAIL'} {name}: {detail}")
        if not ok:
            self.failed += 1

    def step(self) -> list[str] | None:
        if self._waiting is not None:
            try:
                done = self._waiting()
            except Exception as exc:  # noqa: BLE001 - a check that crashes has failed
                self._say(False, "preview", f"{type(exc).__name__}: {exc}")
                done = True
            if not done:
                return None
            self._waiting = None
        while self._queue:
            check = self._queue.pop(0)
            try:
                check()
            except Exception as exc:  # noqa: BLE001 - a check that crashes has failed
                self._say(False, check.__name__.strip("_"), f"{type(exc).__name__}: {exc}")
            if self._waiting is not None:
                return None
        return self.lines

    # --- ICU ------------------------------------------------------------------------------------

    def _icu(self) -> None:
        from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone

        china = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        order = QCollator(china).compare("安", "中")  # pinyin: an < zhong; code points: 中 < 安
        decoders = {name: QStringDecoder(name).isValid() for name in ("GB18030", "GBK")}
        zone = QTimeZone(b"Asia/Shanghai").displayName(
            QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, china
        )
        ok = order < 0 and all(decoders.values()) and "中国" in zone
        self._say(
            ok,
            "icu",
            f"collation 安<中 {'yes' if order < 0 else 'NO'}, decoders {decoders}, "
            f"Asia/Shanghai “{zone}”",
        )

    # --- Chinese input ----------------------------------------------------------------------------

    def _input(self) -> None:
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QInputMethodEvent, QKeyEvent
        from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

        edit = QLineEdit()
        edit.resize(300, 40)
        preedit = QInputMethodEvent("jixiao", [])
        QApplication.sendEvent(edit, preedit)
        commit = QInputMethodEvent()
        commit.setCommitString("绩效")
        QApplication.sendEvent(edit, commit)
        for ch in "自评":
            press = QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(edit, press)
        typed = edit.text()

        def drawn(text: str) -> Any:
            label = QLabel(text)
            label.setStyleSheet("background: white; color: black; font-size: 28px;")
            label.resize(60, 50)
            return label.grab().toImage()

        first, second = drawn("绩"), drawn("效")
        glyphs = first != second and _image_ink(first) > 0.01
        self._say(
            typed == "绩效自评" and glyphs,
            "input",
            f"typed “{typed}” (input method + keys), "
            + ("drawn with real glyphs" if glyphs else "drawn as empty boxes: no CJK font"),
        )

    # --- plugins --------------------------------------------------------------------------------

    def _plugins(self) -> None:
        from PySide6.QtCore import QLibraryInfo, QPluginLoader

        root = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
        loaded, failed, optional = 0, [], []
        for path in sorted(root.glob("*/*")):
            if path.suffix not in (".so", ".dll", ".dylib"):
                continue
            loader = QPluginLoader(str(path))
            if loader.load():
                loaded += 1
                continue
            where = path.parent.name
            is_optional = where not in REQUIRED_PLUGIN_DIRS or any(
                name in path.name for name in OPTIONAL_PLATFORMS
            )
            error = loader.errorString()
            missing = re.search(r"([\w.+-]+\.so[.\d]*): cannot open", error)
            why = f"needs {missing.group(1)}" if missing else error[-160:]
            (optional if is_optional else failed).append((f"{where}/{path.name}", why))
        detail = f"{loaded} loaded"
        if optional:
            wants: dict[str, int] = {}
            for _plugin, why in optional:
                wants[why] = wants.get(why, 0) + 1
            detail += "; not loadable on this machine (other desktops' libraries): " + ", ".join(
                f"{count} {why.replace('needs', 'needing', 1)}" for why, count in wants.items()
            )
        if failed:
            detail += "; FAILED: " + "; ".join(f"{plugin} ({why})" for plugin, why in failed)
        self._say(not failed and loaded > 0, "plugins", detail)

    # --- the menu entry --------------------------------------------------------------------------

    def _desktop(self) -> None:
        from PySide6.QtGui import QGuiApplication

        name = QGuiApplication.desktopFileName()
        self._say(
            name == DESKTOP_FILE,
            "desktop",
            f"the window names its menu entry “{name}.desktop” (the Linux packages install "
            f"{DESKTOP_FILE}.desktop)",
        )

    # --- the preview and printing -----------------------------------------------------------------

    def _open_preview(self) -> None:
        from PySide6.QtWidgets import QTabWidget

        for tabs in self.window.findChildren(QTabWidget):
            for i in range(tabs.count()):
                if tabs.tabText(i).replace("&", "") == PREVIEW_TAB:
                    tabs.setCurrentIndex(i)
                    deadline = time.monotonic() + PREVIEW_TIMEOUT_S
                    self._waiting = lambda deadline=deadline: self._preview_ready(deadline)
                    return
        self._say(False, "preview", f"no “{PREVIEW_TAB}” tab in the main window")

    def _preview_ready(self, deadline: float) -> bool:
        from PySide6.QtPdfWidgets import QPdfView

        views = [v for v in self.window.findChildren(QPdfView) if v.isVisible()]
        document = views[0].document() if views else None
        pages = document.pageCount() if document is not None else 0
        if pages == 0:
            if time.monotonic() > deadline:
                self._say(False, "preview", f"no page shown after {PREVIEW_TIMEOUT_S:.0f} s")
                return True
            return False
        view_ink = _image_ink(views[0].grab().toImage())
        size = document.pagePointSize(0)
        page = document.render(0, size.toSize() * 2)
        page_ink = _image_ink(page)
        self._say(
            page_ink > 0.005 and view_ink > 0.005,
            "preview",
            f"{pages} pages; page 1 rendered with {page_ink:.1%} ink, "
            f"the view shows {view_ink:.1%}",
        )
        self._print(document)
        return True

    def _print(self, document: Any) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        printers = QPrinterInfo.availablePrinterNames()  # asks CUPS through the system's libcups
        out = self.out_dir / "printed.pdf"
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        print_pdf, where = _window_print_routine()
        pages = print_pdf(document, printer)
        printed = QPdfDocument()
        printed.load(str(out))
        ink = (
            _image_ink(printed.render(0, printed.pagePointSize(0).toSize()))
            if printed.pageCount()
            else 0.0
        )
        self._say(
            pages == document.pageCount() == printed.pageCount() and ink > 0.005,
            "print",
            f"{where}: {pages} pages sent, the printed PDF has {printed.pageCount()} "
            f"(page 1 {ink:.1%} ink); printers known to CUPS here: {len(printers)}",
        )


def _window_print_routine() -> tuple[Any, str]:
    """The window's own "print the PDF at 100 %" function, wherever the UI package keeps it."""
    for name in ("perfdesk_ui.pdfbuild", "ui.pdfbuild"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        routine = getattr(module, "print_pdf", None)
        if routine is not None:
            return routine, f"{name}.print_pdf"
    raise RuntimeError("the window's print routine (pdfbuild.print_pdf) was not found")

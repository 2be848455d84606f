"""What goes into the frozen bundle, worked out from the checkout; read by ``perfdesk.spec``.

Plain Python with no PyInstaller import, so ``tests/test_packaging.py`` can check the plan in a
second without building anything. Everything is derived from the files as they are, so a new
template, font, migration or UI module is bundled without anyone editing the spec.

Where things land inside the bundle (``_internal/`` beside the executables):

- ``resources/``                  → ``perfdesk_resources/`` (``perfdesk.resources`` looks there
                                     when the checkout folder is absent: templates, sample, fonts)
- ``perfdesk/storage/migrations`` → the same path, as plain files: Alembic reads ``env.py`` and
                                     ``versions/*.py`` from disk, not from the frozen archive
- ``ui/``                        → the package ``perfdesk_ui`` (its installed name; PyInstaller
                                     finds it in a staging folder, see :func:`stage_packages`)
- every other non-Python file inside ``perfdesk/`` or ``ui/`` → its package's path
- ``packaging/licenses/*``        → ``licenses/`` (Qt's LGPL, third-party notices)
"""

from __future__ import annotations

import ast
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"

RESOURCES_DIR = ROOT / "resources"
RESOURCES_PACKAGE = "perfdesk_resources"
MIGRATIONS_DIR = ROOT / "perfdesk" / "storage" / "migrations"
SAMPLE_FILE = RESOURCES_DIR / "sample" / "sample_report.json"
CODE_PACKAGES = {"perfdesk": ROOT / "perfdesk", "perfdesk_ui": ROOT / "ui"}
"""Installed package name → its folder in the checkout (``ui/`` is installed as ``perfdesk_ui``)."""
STAGING_DIR = Path(os.environ.get("PERFDESK_STAGING_DIR") or ROOT / "build" / "pyi-packages")
"""Where :func:`stage_packages` copies them (the tests move it out of the checkout)."""

GUI_NAME = "perfdesk"
CLI_NAME = "perfdesk-cli"
ICON_ICO = PACKAGING / "icons" / "perfdesk.ico"
ICON_PNG = PACKAGING / "icons" / "perfdesk.png"

# Caches and editor droppings never belong in the bundle.
_SKIP_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
_SKIP_SUFFIXES = {".pyc", ".pyo", ".swp", ".orig", ".rej"}

# Imported by name at run time (importlib), so PyInstaller's import scan cannot see them.
QT_MODULES = (
    "PySide6.QtCore",
    "PySide6.QtGui",
    "PySide6.QtWidgets",
    "PySide6.QtPrintSupport",  # QPrinter / QPrintDialog: printing the report
    "PySide6.QtPdf",  # QPdfDocument: the print preview renders the generated PDF
    "PySide6.QtPdfWidgets",  # QPdfView
)
RUNTIME_IMPORTS = (
    "sqlalchemy.dialects.sqlite",  # SQLAlchemy loads its dialect by name from the URL
    "sqlalchemy.dialects.sqlite.pysqlite",
    "platformdirs.windows",
    "platformdirs.unix",
    "platformdirs.macos",
    "_rl_accel",  # ReportLab's C accelerator: reportlab.lib.rl_accel imports it inside exec()
)

# Heavy modules perfdesk never uses; keeping them out keeps the bundle small and the start fast.
# (Not PIL: reportlab imports Pillow as soon as it is loaded.)
EXCLUDES = (
    "tkinter",
    "_tkinter",
    "unittest",
    "pydoc",
    "doctest",
    "test",
    "lib2to3",
    "IPython",
    "numpy",
    "pytest",
    "hypothesis",
    # Pillow: reportlab imports PIL.Image, whose core (_imaging) stays; perfdesk puts no picture
    # into the PDF, so AVIF/WebP codecs, colour management, Pillow's font engine and Tk go.
    "PIL._avif",
    "PIL._webp",
    "PIL._imagingcms",
    "PIL._imagingft",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "PIL.ImageQt",
    # TLS and OpenSSL: perfdesk never opens a connection. hashlib falls back to Python's built-in
    # md5/sha1/sha256 (all that reportlab, SQLAlchemy and the font cache ask for).
    "ssl",
    "_ssl",
    "_hashlib",
    # lxml: python-docx and openpyxl use lxml.etree only; objectify, html (with its diff), the
    # schematron and SAX parts are 4 MB of nothing.
    "lxml.objectify",
    "lxml.html",
    "lxml.isoschematron",
    "lxml.sax",
    "lxml.builder",
    # Bindings PyInstaller adds only because QtPdf / QtGui link their libraries (which stay).
    "PySide6.QtNetwork",
    "PySide6.QtDBus",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation",
    "PySide6.Qt3DExtras",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickTest",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtBluetooth",
    "PySide6.QtNfc",
    "PySide6.QtPositioning",
    "PySide6.QtLocation",
    "PySide6.QtSensors",
    "PySide6.QtSerialPort",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
)

# Qt ships its own messages (button labels, print dialog) in ~30 languages; the clerk reads
# Chinese, English is Qt's built-in fallback. Other languages are dropped to save space.
QT_TRANSLATIONS_KEPT = ("zh_CN",)

# Distributions whose metadata (and so their licence files) is copied into the bundle;
# ``perfdesk``'s own is kept for tools that read it (``perfdesk --version`` reads perfdesk.__version__).
METADATA_OF = (
    "perfdesk",
    "SQLAlchemy",
    "alembic",
    "Mako",
    "MarkupSafe",
    "reportlab",
    "rl_accel",
    "platformdirs",
    "typing_extensions",
    "PySide6_Essentials",
    "PySide6_Pdf",
    "shiboken6",
)


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    description: str


def project(pyproject: Path = ROOT / "pyproject.toml") -> Project:
    """Name, version and description from ``pyproject.toml`` — the one place they are written."""
    with pyproject.open("rb") as f:
        meta = tomllib.load(f)["project"]
    return Project(meta["name"], meta["version"], meta.get("description", ""))


def windows_version(version: str) -> tuple[int, int, int, int]:
    """``0.1.0`` → ``(0, 1, 0, 0)`` for the Windows version resource (numbers only, four parts)."""
    parts: list[int] = []
    for piece in version.split("+")[0].split(".")[:4]:
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        parts.append(int(digits or 0))
    return tuple((parts + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def _files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(folder)
        if any(part in _SKIP_DIRS for part in rel.parts) or path.suffix in _SKIP_SUFFIXES:
            continue
        found.append(path)
    return found


def _placed(files: list[Path], source_root: Path, dest_root: str) -> list[tuple[str, str]]:
    """PyInstaller ``datas`` entries: (source file, destination folder inside the bundle)."""
    out = []
    for path in files:
        rel_dir = path.parent.relative_to(source_root).as_posix()
        if rel_dir == ".":
            dest = dest_root
        elif dest_root == ".":
            dest = rel_dir
        else:
            dest = f"{dest_root}/{rel_dir}"
        out.append((str(path), dest))
    return out


def resource_datas() -> list[tuple[str, str]]:
    """Every file under ``resources/`` (templates, sample, fonts and their licences)."""
    return _placed(_files(RESOURCES_DIR), RESOURCES_DIR, RESOURCES_PACKAGE)


def migration_datas() -> list[tuple[str, str]]:
    """The Alembic folder as files, at the path ``perfdesk/storage/migrate.py`` computes."""
    dest = MIGRATIONS_DIR.relative_to(ROOT).as_posix()
    return _placed(_files(MIGRATIONS_DIR), MIGRATIONS_DIR, dest)


def package_datas() -> list[tuple[str, str]]:
    """Non-Python files inside the code packages (icons, style sheets…), migrations excepted."""
    out = []
    for package, folder in CODE_PACKAGES.items():
        if not folder.is_dir():
            continue
        files = [p for p in _files(folder) if p.suffix != ".py" and MIGRATIONS_DIR not in p.parents]
        out += _placed(files, folder, package)
    return out


def licence_datas() -> list[tuple[str, str]]:
    return [(str(p), "licenses") for p in _files(PACKAGING / "licenses")]


def datas() -> list[tuple[str, str]]:
    return resource_datas() + migration_datas() + package_datas() + licence_datas()


def package_modules(packages: dict[str, Path] = CODE_PACKAGES) -> list[str]:
    """Every module of perfdesk and perfdesk_ui, by walking the files.

    The CLI loads its subcommands and the window by name (``importlib``), so the import scan
    alone would miss them; listing every module also covers whatever lands later.
    """
    modules = []
    for package, folder in packages.items():
        if not (folder / "__init__.py").is_file():
            continue
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(folder)
            # Only real packages: the migrations folder has no __init__.py and is data, not code.
            if not all(
                (folder / Path(*rel.parts[:i]) / "__init__.py").is_file()
                for i in range(1, len(rel.parts))
            ):
                continue
            parts = [package, *rel.with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            modules.append(".".join(parts))
    return modules


def stage_packages(staging: Path = STAGING_DIR) -> list[str]:
    """Copies of the code packages under their installed names, for PyInstaller's ``pathex``.

    PyInstaller looks modules up on plain paths and cannot follow the editable install's mapping
    of ``perfdesk_ui`` to ``ui/``; a fresh copy (never a link: Windows needs rights for those)
    under ``build/`` gives it the installed layout. Returns the path list for ``pathex``.
    """
    import shutil

    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    ignore = shutil.ignore_patterns(*_SKIP_DIRS, *(f"*{s}" for s in _SKIP_SUFFIXES))
    for package, folder in CODE_PACKAGES.items():
        if folder.is_dir():
            shutil.copytree(folder, staging / package, ignore=ignore)
    return [str(staging)]


def migration_imports() -> list[str]:
    """Modules the migration scripts import: they are run from files, so nothing else finds them."""
    names: set[str] = set()
    for path in _files(MIGRATIONS_DIR):
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    names.discard("__future__")
    return sorted(names)


def hidden_imports() -> list[str]:
    return sorted(
        set(package_modules()) | set(migration_imports()) | set(QT_MODULES) | set(RUNTIME_IMPORTS)
    )


# Qt plugins perfdesk never loads. The network ones go so that nothing in the bundle can even try
# to reach a network (perfdesk works offline); the others are embedded-device and VNC back-ends.
# Kept: platforms xcb / wayland / offscreen (Linux), windows / offscreen (Windows), cocoa (macOS),
# printsupport, imageformats, iconengines, platformthemes, input contexts.
DROPPED_QT_PLUGIN_DIRS = ("tls", "networkinformation", "generic", "egldeviceintegrations")
DROPPED_QT_PLATFORMS = (
    "eglfs",
    "linuxfb",
    "minimal",
    "minimalegl",
    "vkkhrdisplay",
    "vnc",
    "direct2d",
)
# Image formats perfdesk never reads (PNG is built into Qt; GIF, ICO, JPEG and SVG stay for icons
# and themes). ``qpdf`` is QtPdf's "PDF as a picture" plugin; the preview uses QPdfDocument itself.
DROPPED_QT_IMAGE_FORMATS = ("qtiff", "qwebp", "qicns", "qtga", "qwbmp", "qpdf")
# Qt's on-screen keyboard for touch screens, a Qt Quick program of its own: it comes with
# PySide6-Addons, which the 兼容版 (packaging/linux/build_compat.sh) installs for QtPdf, and pulls
# in the QML engine and Qt Quick, 17 MB that the ordinary bundle does not have either.
DROPPED_QT_INPUT_CONTEXTS = ("qtvirtualkeyboardplugin",)
# Libraries only those plugins use; opengl32sw.dll is Qt's 20 MB software OpenGL for Qt Quick,
# which a widgets program never needs.
DROPPED_LIBRARIES = (
    "libQt6EglFSDeviceIntegration",
    "libQt6EglFsKmsSupport",
    "opengl32sw.dll",
    "libQt6VirtualKeyboard",
    "libQt6Quick",
    "libQt6Qml",
)
# Linux: the printing system's own library and the TLS stack only it pulls in. Qt's CUPS plugin
# must talk to the cupsd of the PC it runs on, so it uses that system's libcups (every desktop with
# a printer dialog has it; the .deb depends on libcups2). 7.5 MB, and no TLS code in the bundle.
LEFT_TO_THE_SYSTEM = (
    "libcups.so",
    "libavahi-client.so",
    "libavahi-common.so",
    "libgnutls.so",
    "libp11-kit.so",
    "libnettle.so",
    "libhogweed.so",
    "libgmp.so",
    "libtasn1.so",
    "libidn2.so",
    "libunistring.so",
)

# The 兼容版 only (packaging/linux/build_compat.sh sets PERFDESK_COMPAT=1): libraries of the build
# tree (Debian 11) that ask for glibc 2.29 or 2.30 and that every desktop has, so they come from
# the PC (the .deb depends on libdbus-1-3 and libpng16-16) and the bundle runs on glibc 2.28
# (统信UOS V20). libdbus: QtGui links QtDBus, which links it, and it links libsystemd (gettid,
# 2.30); libpng16 (pow, 2.29) for FreeType; cairo and pixman (pow, exp) for Qt's GTK theme plugin,
# which needs the PC's GTK anyway. With them go the libraries only they pull in.
COMPAT_LEFT_TO_THE_SYSTEM = (
    "libdbus-1.so",
    "libsystemd.so",
    "libgcrypt.so",
    "libgpg-error.so",
    "liblz4.so",
    "libpng16.so",
    "libcairo.so",
    "libpixman-1.so",
    "libXrender.so",
    "libXext.so",
)
COMPAT = os.environ.get("PERFDESK_COMPAT") == "1"


def keep_binary(dest: str, compat: bool | None = None) -> bool:
    """False for the Qt plugins and libraries listed above (``compat``: the 兼容版's as well;
    by default as PERFDESK_COMPAT says)."""
    name = dest.replace("\\", "/")
    base = name.rsplit("/", 1)[-1]
    if any(base.startswith(lib) for lib in DROPPED_LIBRARIES):
        return False
    if compat is None:
        compat = COMPAT
    left = LEFT_TO_THE_SYSTEM + (COMPAT_LEFT_TO_THE_SYSTEM if compat else ())
    if "/" not in name and any(base.startswith(lib + ".") for lib in left):
        return False
    marker = "/plugins/"
    if marker not in name:
        return True
    plugin_dir, _, plugin = name.split(marker, 1)[1].partition("/")
    if plugin_dir in DROPPED_QT_PLUGIN_DIRS:
        return False
    if plugin_dir == "platforms":
        stem = plugin.split(".", 1)[0].removeprefix("lib").removeprefix("q")
        return stem not in DROPPED_QT_PLATFORMS
    if plugin_dir == "platforminputcontexts":
        return plugin.split(".", 1)[0].removeprefix("lib") not in DROPPED_QT_INPUT_CONTEXTS
    if plugin_dir == "imageformats":
        return plugin.split(".", 1)[0].removeprefix("lib") not in DROPPED_QT_IMAGE_FORMATS
    return True


def keep_qt_file(dest: str) -> bool:
    """False for Qt translation files of languages the clerk does not use."""
    name = dest.replace("\\", "/")
    if "/translations/" not in name or not name.endswith(".qm"):
        return True
    return any(name.endswith(f"_{lang}.qm") for lang in QT_TRANSLATIONS_KEPT)

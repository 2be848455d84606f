"""The frozen bundle's recipe: what a clerk's installed perfdesk would be missing if it went wrong.

A bundle without its migrations cannot create a database, one without ``resources/`` has no
templates, sample or fonts, one without the modules the CLI loads by name has no ``pdf`` or
``audit`` — and none of that shows until the program runs on the clerk's PC. These tests check
the recipe in a second without running PyInstaller: ``packaging/perfdesk.spec`` is executed
against stand-ins for PyInstaller's build steps, and what it hands them is checked against the
checkout. (``packaging/smoke_test.sh`` runs the really built program.)
"""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
import textwrap
import tomllib
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def _load(name: str, path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def plan() -> types.ModuleType:
    return _load("bundle_plan_under_test", PACKAGING / "bundle_plan.py")


def _placed(datas: list[tuple[str, str]]) -> dict[str, Path]:
    """Bundle path → source file, from PyInstaller ``(source, destination folder)`` pairs."""
    return {f"{dest}/{Path(src).name}": Path(src) for src, dest in datas}


def _tree(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


# --- the spec, run against stand-ins for PyInstaller ---------------------------------------------


class _Analysis:
    def __init__(self, scripts: list[str], **kwargs: object) -> None:
        self.kwargs = kwargs
        self.entry = scripts[0]
        self.scripts = [
            ("pyi_rth_inspect", "/pyinstaller/pyi_rth_inspect.py", "PYSOURCE"),
            (Path(scripts[0]).stem, scripts[0], "PYSOURCE"),
        ]
        self.pure = [("perfdesk.cli", str(ROOT / "perfdesk" / "cli.py"), "PYMODULE")]
        # What PyInstaller's Qt hooks would add, so the spec's filters can be seen at work.
        self.datas = [
            (f"{dest}/{Path(src).name}", src, "DATA")
            for src, dest in kwargs["datas"]  # type: ignore[union-attr]
        ] + [
            ("PySide6/Qt/translations/qtbase_zh_CN.qm", "/qt/qtbase_zh_CN.qm", "DATA"),
            ("PySide6/Qt/translations/qtbase_de.qm", "/qt/qtbase_de.qm", "DATA"),
        ]
        self.binaries = [
            ("PySide6/Qt/plugins/platforms/libqxcb.so", "/qt/libqxcb.so", "BINARY"),
            ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/qt/libqoffscreen.so", "BINARY"),
            ("PySide6/Qt/plugins/platforms/libqvnc.so", "/qt/libqvnc.so", "BINARY"),
            ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "/qt/libqopensslbackend.so", "BINARY"),
            ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "/qt/cups.so", "BINARY"),
        ]


class _Step:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args = args
        self.kwargs = kwargs


@pytest.fixture(scope="module")
def spec_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Execute packaging/perfdesk.spec the way PyInstaller does, recording every build step."""
    made: dict[str, list] = {"Analysis": [], "PYZ": [], "EXE": [], "COLLECT": []}
    staging = tmp_path_factory.mktemp("staging")  # never the checkout's build/ folder
    saved_staging = os.environ.get("PERFDESK_STAGING_DIR")
    os.environ["PERFDESK_STAGING_DIR"] = str(staging)

    def recorder(kind: str, cls: type) -> object:
        def make(*args: object, **kwargs: object) -> object:
            obj = cls(*args, **kwargs)
            made[kind].append(obj)
            return obj

        return make

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.copy_metadata = lambda dist: [(f"/site-packages/{dist}.dist-info", f"{dist}.dist-info")]
    fake = {
        "PyInstaller": types.ModuleType("PyInstaller"),
        "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
        "PyInstaller.utils.hooks": hooks,
    }
    saved_path, saved_modules = sys.path[:], {k: sys.modules.get(k) for k in [*fake, "bundle_plan"]}
    sys.modules.update(fake)
    spec = PACKAGING / "perfdesk.spec"
    namespace = {
        "SPECPATH": str(PACKAGING),
        "Analysis": recorder("Analysis", _Analysis),
        "PYZ": recorder("PYZ", _Step),
        "EXE": recorder("EXE", _Step),
        "COLLECT": recorder("COLLECT", _Step),
        "__name__": "__main__",
    }
    try:
        exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)
    finally:
        if saved_staging is None:
            os.environ.pop("PERFDESK_STAGING_DIR", None)
        else:
            os.environ["PERFDESK_STAGING_DIR"] = saved_staging
        sys.path[:] = saved_path
        for key, value in saved_modules.items():
            if value is None:
                sys.modules.pop(key, None)
            else:
                sys.modules[key] = value
    return made


def _analysis(spec_run: dict[str, object]) -> _Analysis:
    (analysis,) = spec_run["Analysis"]  # type: ignore[misc]
    return analysis


def _bundle_files(spec_run: dict[str, object]) -> set[str]:
    """Paths of the data files that end up in the bundle (after the spec's own filtering)."""
    return {dest for dest, _src, _kind in _analysis(spec_run).datas}


def test_spec_names_the_bundle_and_its_programs_from_pyproject(spec_run: dict[str, object]) -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        project = tomllib.load(f)["project"]
    (collect,) = spec_run["COLLECT"]  # type: ignore[misc]
    assert collect.kwargs["name"] == project["name"]
    exes = {exe.kwargs["name"]: exe for exe in spec_run["EXE"]}  # type: ignore[union-attr]
    assert set(exes) == {"perfdesk", "perfdesk-cli"}
    assert exes["perfdesk"].kwargs["console"] is False  # the clerk's program: no console window
    assert exes["perfdesk-cli"].kwargs["console"] is True
    # Both programs are in the one folder COLLECT makes.
    assert set(collect.args[:2]) == set(exes.values())


def test_spec_version_resource_follows_pyproject(plan: types.ModuleType) -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    assert plan.project().version == version
    assert plan.windows_version(version)[: len(version.split("."))] == tuple(
        int(x) for x in version.split(".")
    )
    assert plan.windows_version("1.2.3rc1+local") == (1, 2, 3, 0)
    assert plan.windows_version("2") == (2, 0, 0, 0)


def test_the_two_programs_start_from_their_entry_scripts(spec_run: dict[str, object]) -> None:
    analysis = _analysis(spec_run)
    assert Path(analysis.entry) == PACKAGING / "entry_gui.py"
    exes = {exe.kwargs["name"]: exe for exe in spec_run["EXE"]}  # type: ignore[union-attr]
    gui_scripts, cli_scripts = exes["perfdesk"].args[1], exes["perfdesk-cli"].args[1]
    assert gui_scripts[-1][0] == "entry_gui"
    assert cli_scripts[-1][:2] == ("entry_cli", str(PACKAGING / "entry_cli.py"))
    assert "entry_gui" not in [s[0] for s in cli_scripts]
    # PyInstaller's run-time hooks (Qt plugin path…) start both programs.
    assert cli_scripts[:-1] == gui_scripts[:-1]
    # The CLI entry needs nothing the GUI entry does not already pull into the shared archive.
    tree = ast.parse((PACKAGING / "entry_cli.py").read_text(encoding="utf-8"))
    imported = {
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert imported <= {"sys", "perfdesk.cli"}


def test_every_resource_is_in_the_bundle_where_perfdesk_looks(spec_run: dict[str, object]) -> None:
    files = _bundle_files(spec_run)
    shipped = _tree(ROOT / "resources")
    assert shipped, "resources/ is empty?"
    missing = [rel for rel in shipped if f"perfdesk_resources/{rel}" not in files]
    assert missing == []
    # perfdesk.resources falls back to the importable package perfdesk_resources when frozen.
    assert "perfdesk_resources/__init__.py" in files
    assert "perfdesk_resources" in (ROOT / "perfdesk" / "resources.py").read_text(encoding="utf-8")


def test_the_sample_lands_where_perfdesk_sample_reads_it(
    plan: types.ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfdesk.sample import SAMPLE_FILE

    # A resources folder as it will be once the sample and the fonts are in: every file is taken.
    fake = tmp_path / "resources"
    for rel in [
        "__init__.py",
        "templates/a.json",
        "/".join(SAMPLE_FILE),
        "fonts/X.ttf",
        "fonts/LICENSE.txt",
    ]:
        (fake / rel).parent.mkdir(parents=True, exist_ok=True)
        (fake / rel).write_text("x", encoding="utf-8")
    (fake / "__pycache__").mkdir()
    (fake / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"")
    monkeypatch.setattr(plan, "RESOURCES_DIR", fake)
    placed = _placed(plan.resource_datas())
    assert placed["perfdesk_resources/" + "/".join(SAMPLE_FILE)] == fake / Path(*SAMPLE_FILE)
    assert {"perfdesk_resources/fonts/X.ttf", "perfdesk_resources/fonts/LICENSE.txt"} <= set(placed)
    assert not any("__pycache__" in k for k in placed)


def test_the_real_sample_is_bundled_once_it_exists(spec_run: dict[str, object]) -> None:
    from perfdesk.sample import SAMPLE_FILE

    assert "perfdesk_resources/" + "/".join(SAMPLE_FILE) in _bundle_files(spec_run)


def test_migrations_are_files_at_the_path_alembic_is_given(spec_run: dict[str, object]) -> None:
    from perfdesk.storage.migrate import MIGRATIONS

    files = _bundle_files(spec_run)
    where = MIGRATIONS.relative_to(ROOT).as_posix()  # as computed from __file__ inside the bundle
    shipped = _tree(MIGRATIONS)
    assert {"env.py", "script.py.mako"} <= set(shipped)
    assert any(rel.startswith("versions/") and rel.endswith(".py") for rel in shipped)
    assert [rel for rel in shipped if f"{where}/{rel}" not in files] == []


def test_modules_loaded_by_name_are_bundled(
    spec_run: dict[str, object], plan: types.ModuleType
) -> None:
    hidden = set(_analysis(spec_run).kwargs["hiddenimports"])  # type: ignore[arg-type]
    # The CLI imports its command modules and the window with importlib: what it names is bundled.
    from perfdesk import cli

    named = {f"perfdesk.cli.{command.module}" for command in cli.COMMANDS.values()}
    source = ast.parse((ROOT / "perfdesk" / "cli" / "__init__.py").read_text(encoding="utf-8"))
    named |= {
        node.value
        for node in ast.walk(source)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("perfdesk_ui.")
    }
    assert "perfdesk_ui.app" in named and "perfdesk.cli.printing" in named
    assert named <= hidden, sorted(named - hidden)
    # Every module of the two packages under its installed name, but not the migration scripts.
    for package, folder in (("perfdesk", ROOT / "perfdesk"), ("perfdesk_ui", ROOT / "ui")):
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts or "__pycache__" in path.parts:
                continue
            parts = (package, *path.relative_to(folder).with_suffix("").parts)
            module = ".".join(parts).removesuffix(".__init__")
            assert module in hidden, module
    assert not any(m == "ui" or m.startswith("ui.") for m in hidden)
    assert not any("migrations" in m for m in hidden)
    # What the migration scripts import (they are run from files, so nothing else finds it).
    assert {"alembic", "sqlalchemy"} <= set(plan.migration_imports()) <= hidden
    assert "sqlalchemy.dialects.sqlite" in hidden


def test_qt_modules_the_ui_uses_are_never_excluded(
    spec_run: dict[str, object], plan: types.ModuleType
) -> None:
    excluded = set(_analysis(spec_run).kwargs["excludes"])  # type: ignore[arg-type]
    used = set(plan.QT_MODULES)
    for path in (ROOT / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("PySide6")
            ):
                used.add(node.module)
                used.update(f"PySide6.{a.name}" for a in node.names if node.module == "PySide6")
            elif isinstance(node, ast.Import):
                used.update(a.name for a in node.names if a.name.startswith("PySide6"))
    assert used & excluded == set()
    assert {"PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtPrintSupport"} <= set(
        _analysis(spec_run).kwargs["hiddenimports"]  # type: ignore[arg-type]
    )


def test_unneeded_qt_parts_are_dropped_and_needed_ones_kept(spec_run: dict[str, object]) -> None:
    analysis = _analysis(spec_run)
    kept = {dest for dest, _src, _kind in analysis.binaries}
    assert kept == {
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    }
    files = _bundle_files(spec_run)
    assert "PySide6/Qt/translations/qtbase_zh_CN.qm" in files  # Chinese buttons in Qt's dialogs
    assert "PySide6/Qt/translations/qtbase_de.qm" not in files


def test_windows_plugin_names_are_understood(plan: types.ModuleType) -> None:
    assert plan.keep_binary("PySide6\\plugins\\platforms\\qwindows.dll")
    assert plan.keep_binary("PySide6\\plugins\\platforms\\qoffscreen.dll")
    assert not plan.keep_binary("PySide6\\plugins\\platforms\\qminimal.dll")
    assert not plan.keep_binary("PySide6\\opengl32sw.dll")
    assert plan.keep_binary("PySide6\\Qt6Pdf.dll")


def test_licences_travel_with_the_bundle(spec_run: dict[str, object]) -> None:
    files = _bundle_files(spec_run)
    assert {
        "licenses/LGPL-3.0.txt",
        "licenses/GPL-3.0.txt",
        "licenses/THIRD_PARTY_NOTICES.txt",
    } <= files
    assert any(f.startswith("PySide6_Essentials.dist-info") for f in files)


# --- the installer script -------------------------------------------------------------------------


def test_installer_is_per_user_keeps_data_and_speaks_chinese() -> None:
    raw = (PACKAGING / "windows" / "perfdesk.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads UTF-8 only with a BOM"
    text = raw.decode("utf-8-sig")
    lines = [line.strip() for line in text.splitlines() if not line.strip().startswith(";")]
    assert "PrivilegesRequired=lowest" in lines
    assert "DefaultDirName={localappdata}\\Programs\\{#AppName}" in lines
    assert '#define AppName "perfdesk"' in lines
    # The version comes from the command line, never written here.
    assert "#ifndef AppVersion" in lines and "AppVersion={#AppVersion}" in lines
    # Nothing of the user's data folder is deleted on uninstall.
    assert "[UninstallDelete]" not in lines
    assert not any(
        "{localappdata}\\perfdesk" in line.lower() for line in lines if line.startswith("Type:")
    )
    assert any(line.startswith('Name: "chinesesimplified"') for line in lines)
    assert any(line.startswith('Name: "{group}\\') for line in lines)  # Start menu
    assert any(line.startswith('Name: "{userdesktop}\\') for line in lines)  # desktop
    assert 'Source: "{#BundleDir}\\*"' in text


# --- the windowed entry ---------------------------------------------------------------------------


@pytest.fixture
def entry_gui() -> types.ModuleType:
    return _load("entry_gui_under_test", PACKAGING / "entry_gui.py")


def test_a_failure_is_logged_in_the_user_folders_and_shown(
    entry_gui: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        entry_gui, "_show_dialog", lambda text, details: shown.append((text, details))
    )
    try:
        entry_gui._report_failure("数据库文件已损坏", "Traceback (most recent call last): …")
    finally:
        teardown = getattr(_optional("perfdesk.logging_setup"), "teardown_logging", None)
        if teardown is not None:
            teardown()
    ((text, details),) = shown
    assert text.startswith("数据库文件已损坏")
    log = Path(text.split("详细信息已记录在：\n", 1)[1].strip())
    content = log.read_text(encoding="utf-8")
    assert "数据库文件已损坏" in content and "Traceback" in content
    assert ROOT not in log.parents  # the user's folders, never beside the program
    assert "Traceback" in details  # only behind “Show details”, never as the message
    assert entry_gui._plain("perfdesk：命令行参数有误：x\n") == "命令行参数有误：x"


def _optional(name: str) -> types.ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _run_entry(
    tmp_path: Path, app_source: str | None, *args: str
) -> subprocess.CompletedProcess[str]:
    path = [str(ROOT)]
    if app_source is not None:  # a stand-in perfdesk_ui package, in front of the real one
        (tmp_path / "perfdesk_ui").mkdir()
        (tmp_path / "perfdesk_ui" / "__init__.py").write_text("", encoding="utf-8")
        (tmp_path / "perfdesk_ui" / "app.py").write_text(
            textwrap.dedent(app_source), encoding="utf-8"
        )
        path.insert(0, str(tmp_path))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path), QT_QPA_PLATFORM="offscreen")
    env["PERFDESK_SMOKE_QUIT_AFTER_MS"] = "200"
    return subprocess.run(
        [sys.executable, str(PACKAGING / "entry_gui.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=90,
        check=False,
    )


def test_smoke_hook_passes_when_the_main_window_shows(tmp_path: Path) -> None:
    done = _run_entry(
        tmp_path,
        """
        from PySide6.QtWidgets import QApplication, QMainWindow
        def run(db=None):
            app = QApplication([])
            w = QMainWindow(); w.setWindowTitle("主窗口"); w.show()
            return app.exec()
        """,
        "--db",
        str(tmp_path / "t.db"),
    )
    assert done.returncode == 0, done.stderr
    assert "smoke: main window shown: QMainWindow “主窗口”" in done.stdout


def test_smoke_hook_fails_without_a_window_and_never_shows_a_trace(tmp_path: Path) -> None:
    done = _run_entry(tmp_path, None, "--no-such-option")
    assert done.returncode == 1
    assert "smoke: FAILED" in done.stderr and "命令行参数有误" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_started_inside_its_own_folder_it_moves_to_documents(
    entry_gui: types.ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "Programs" / "perfdesk"
    (bundle / "_internal").mkdir(parents=True)
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # no user-dirs.dirs there
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "perfdesk"))
    for start in (bundle, bundle / "_internal"):
        monkeypatch.chdir(start)
        entry_gui._leave_program_folder()
        assert Path.cwd() == home / "Documents"
    # Started anywhere else (a terminal, a shortcut), the folder is left as it is.
    monkeypatch.chdir(tmp_path)
    entry_gui._leave_program_folder()
    assert Path.cwd() == tmp_path


# --- what is left out of the bundle ---------------------------------------------------------------


@pytest.fixture(scope="module")
def icu_trim() -> types.ModuleType:
    return _load("icu_trim_under_test", PACKAGING / "icu_trim.py")


def _qt_icu_data() -> Path | None:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


def test_icu_items_qt_reads_are_kept_and_the_rest_left_out(icu_trim: types.ModuleType) -> None:
    keep = icu_trim.keep_item
    # Collation, time zones, Chinese encodings, and the shared pools and indexes they need.
    for name in [
        "icudt73l/coll/zh.res",
        "icudt73l/coll/root.res",
        "icudt73l/coll/ucadata.icu",
        "icudt73l/zone/zh_Hans_CN.res",
        "icudt73l/zone/pool.res",
        "icudt73l/zoneinfo64.res",
        "icudt73l/metaZones.res",
        "icudt73l/gb18030.cnv",
        "icudt73l/cnvalias.icu",
        "icudt73l/pool.res",
        "icudt73l/res_index.res",
        "icudt73l/coll/res_index.res",
        "icudt73l/en.res",
        "icudt73l/supplementalData.res",
    ]:
        assert keep(name), name
    for name in [
        "icudt73l/brkitr/cjdict.dict",
        "icudt73l/translit/root.res",
        "icudt73l/curr/zh.res",
        "icudt73l/coll/de.res",
        "icudt73l/zone/ja.res",
        "icudt73l/ibm-1390_P110-2003.cnv",
        "icudt73l/unames.icu",
    ]:
        assert not keep(name), name


def test_icu_package_is_rewritten_byte_for_byte(icu_trim: types.ModuleType) -> None:
    lib = _qt_icu_data()
    if lib is None:
        pytest.skip("this PySide6 carries no ICU data library (Windows, macOS)")
    symbol = f"icudt{lib.name.rsplit('.', 1)[-1]}_dat"
    blob = icu_trim._elf_symbol(lib.read_bytes(), symbol)
    package = icu_trim.read_package(blob)
    assert icu_trim.write_package(package) == blob  # the writer lays items out as ICU does
    trimmed = icu_trim.read_package(icu_trim.trim_package(blob)[0])
    assert set(trimmed.items) == {n for n in package.items if icu_trim.keep_item(n)}
    assert all(trimmed.items[n] == package.items[n] for n in trimmed.items)
    assert sum(map(len, trimmed.items.values())) < sum(map(len, package.items.values())) / 5


def test_trimmed_icu_library_exports_the_data_under_its_soname(
    icu_trim: types.ModuleType, tmp_path: Path
) -> None:
    import shutil

    if not sys.platform.startswith("linux") or shutil.which("cc") is None:
        pytest.skip("assembling the library needs Linux and a C compiler")
    header = bytearray(32)
    header[0:4] = bytes([32, 0, 0xDA, 0x27])
    header[12:16] = b"CmnD"
    package = icu_trim.Package(
        bytes(header),
        {"icudt99l/zh.res": b"Chinese, 16 byte", "icudt99l/brkitr/cjdict.dict": b"x" * 100_000},
    )
    src = tmp_path / "src" / "libicudata.so.99"
    src.parent.mkdir()
    icu_trim.build_library(icu_trim.write_package(package), "icudt99_dat", src.name, src)
    out = tmp_path / "out" / "libicudata.so.99"
    result = icu_trim.trim_library(src, out)
    assert result.dropped == 1 and result.after < result.before
    back = icu_trim.read_package(icu_trim._elf_symbol(out.read_bytes(), "icudt99_dat"))
    assert back.items == {"icudt99l/zh.res": b"Chinese, 16 byte"}
    soname = subprocess.run(
        ["readelf", "-d", str(out)], capture_output=True, text=True, check=False
    ).stdout
    if soname:  # binutils' readelf, where installed
        assert "libicudata.so.99" in soname


def test_unused_codecs_tls_and_bindings_are_left_out(spec_run: dict[str, object]) -> None:
    excluded = set(_analysis(spec_run).kwargs["excludes"])  # type: ignore[arg-type]
    assert {"PIL._avif", "PIL._webp", "PIL._imagingft", "_ssl", "_hashlib"} <= excluded
    assert "PIL" not in excluded and "PIL.Image" not in excluded  # reportlab imports PIL.Image


def test_printing_library_comes_from_the_system_and_unused_image_formats_go(
    plan: types.ModuleType,
) -> None:
    assert not plan.keep_binary("libcups.so.2")
    assert not plan.keep_binary("libgnutls.so.30")
    assert plan.keep_binary("libgssapi_krb5.so.2")  # QtNetwork (needed by QtPdf) links it
    assert plan.keep_binary("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so")
    assert not plan.keep_binary("PySide6/Qt/plugins/imageformats/libqtiff.so")
    assert not plan.keep_binary("PySide6\\plugins\\imageformats\\qwebp.dll")
    assert plan.keep_binary("PySide6/Qt/plugins/imageformats/libqsvg.so")
    assert plan.keep_binary("PySide6/Qt/plugins/imageformats/libqjpeg.so")


def test_the_compat_build_takes_the_libraries_needing_a_newer_glibc_from_the_pc(
    plan: types.ModuleType,
) -> None:
    # Debian 11's libdbus (through libsystemd), libpng16, cairo and pixman ask for glibc 2.29/2.30;
    # the 兼容版 (PERFDESK_COMPAT=1) must run on 2.28, so they come from the PC there.
    for lib in (
        "libdbus-1.so.3",
        "libsystemd.so.0",
        "libpng16.so.16",
        "libcairo.so.2",
        "libpixman-1.so.0",
    ):
        assert not plan.keep_binary(lib, compat=True), lib
        assert plan.keep_binary(lib, compat=False), lib  # the ordinary bundle keeps them
    # FreeType, fontconfig and Qt's own libraries stay in the 兼容版 too.
    for lib in ("libfreetype.so.6", "libfontconfig.so.1", "libQt6DBus.so.6", "libxcb-render.so.0"):
        assert plan.keep_binary(lib, compat=True), lib


def test_the_touch_screen_keyboard_and_the_qml_engine_it_pulls_in_are_left_out(
    plan: types.ModuleType,
) -> None:
    # PySide6-Addons (the 兼容版's QtPdf) brings Qt's virtual keyboard: 17 MB with Qt Quick.
    inputs = "PySide6/Qt/plugins/platforminputcontexts"
    assert not plan.keep_binary(f"{inputs}/libqtvirtualkeyboardplugin.so")
    assert not plan.keep_binary("PySide6/Qt/lib/libQt6VirtualKeyboardQml.so.6")
    assert not plan.keep_binary("libQt6Quick.so.6")
    assert not plan.keep_binary("PySide6/Qt/lib/libQt6QmlModels.so.6")
    # Chinese input still goes through the desktop's input method.
    assert plan.keep_binary(f"{inputs}/libibusplatforminputcontextplugin.so")
    assert plan.keep_binary(f"{inputs}/libcomposeplatforminputcontextplugin.so")


def test_a_fcitx_desktop_gets_chinese_input_through_the_ibus_portal(
    entry_gui: types.ModuleType,
) -> None:
    bundled = {"libibusplatforminputcontextplugin.so", "libcomposeplatforminputcontextplugin.so"}
    change = entry_gui.input_method_fallback({"QT_IM_MODULE": "fcitx"}, bundled)
    assert change == {
        "QT_IM_MODULE": "ibus",
        "QT_IM_MODULES": "ibus;compose",
        "IBUS_USE_PORTAL": "1",
    }
    # Left alone: an ibus desktop, no input method asked for, or a bundle that has fcitx's plugin.
    assert entry_gui.input_method_fallback({"QT_IM_MODULE": "ibus"}, bundled) == {}
    assert entry_gui.input_method_fallback({}, bundled) == {}
    with_fcitx = bundled | {"libfcitx5platforminputcontextplugin.so"}
    assert entry_gui.input_method_fallback({"QT_IM_MODULE": "fcitx5"}, with_fcitx) == {}


def test_the_linux_command_line_is_the_one_program_under_another_name(
    entry_gui: types.ModuleType,
) -> None:
    # build.sh links perfdesk-cli to perfdesk on Linux; the name decides what it does.
    assert entry_gui.started_as_command_line("/usr/bin/perfdesk-cli")
    assert entry_gui.started_as_command_line("perfdesk-cli")
    assert not entry_gui.started_as_command_line("/opt/perfdesk/perfdesk")
    assert entry_gui.CLI_NAME == "perfdesk-cli"
    build = (PACKAGING / "build.sh").read_text(encoding="utf-8")
    assert "ln -sf perfdesk dist/perfdesk/perfdesk-cli" in build

"""Both branches of everything that differs between Windows and Linux (perfdesk/system.py).

The Windows branch runs here on Linux with the operating-system calls handed in (a registry, a
``msvcrt`` that keeps mandatory byte-range locks, ``GetDriveTypeW``); the POSIX branch the same
way with a ``fcntl``. What still needs a real Windows PC is the README's first-run checklist.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from perfdesk import system
from perfdesk.errors import DatabaseLocked
from perfdesk.report import fonts
from perfdesk.storage import lock as lock_module
from perfdesk.storage.lock import WriterLock, lock_path_for

ROOT = Path(__file__).resolve().parent.parent


def win(path: object) -> PureWindowsPath:
    return PureWindowsPath(str(path))


# --- folders -------------------------------------------------------------------------------------


def test_windows_data_and_log_folders_are_under_localappdata() -> None:
    env = {"LOCALAPPDATA": r"C:\Users\张三\AppData\Local"}
    home = Path(r"C:\Users\张三")
    assert win(system.user_data_dir(platform="win32", environ=env, home=home)) == win(
        r"C:\Users\张三\AppData\Local\perfdesk"
    )
    assert win(system.user_log_dir(platform="win32", environ=env, home=home)) == win(
        r"C:\Users\张三\AppData\Local\perfdesk\Logs"
    )
    # LOCALAPPDATA missing (a stripped-down environment): the profile's usual place.
    assert win(system.user_data_dir(platform="win32", environ={}, home=home)) == win(
        r"C:\Users\张三\AppData\Local\perfdesk"
    )


def test_linux_data_and_log_folders_follow_xdg(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert system.user_data_dir(platform="linux", environ={}, home=home) == (
        home / ".local" / "share" / "perfdesk"
    )
    assert system.user_log_dir(platform="linux", environ={}, home=home) == (
        home / ".local" / "state" / "perfdesk" / "log"
    )
    env = {"XDG_DATA_HOME": "/data/x", "XDG_STATE_HOME": "/state/y"}
    assert system.user_data_dir(platform="linux", environ=env, home=home) == Path(
        "/data/x/perfdesk"
    )
    assert system.user_log_dir(platform="linux", environ=env, home=home) == Path(
        "/state/y/perfdesk/log"
    )
    assert system.user_data_dir(platform="darwin", environ={}, home=home) == (
        home / "Library" / "Application Support" / "perfdesk"
    )


def test_the_program_uses_these_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from perfdesk.logging_setup import log_dir
    from perfdesk.services import default_data_dir

    monkeypatch.delenv("PERFDESK_DATA_DIR")
    monkeypatch.delenv("PERFDESK_LOG_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "s"))
    assert default_data_dir() == system.user_data_dir() == tmp_path / "d" / "perfdesk"
    assert log_dir() == system.user_log_dir() == tmp_path / "s" / "perfdesk" / "log"


# --- fonts ---------------------------------------------------------------------------------------


def test_windows_fonts_come_from_the_folders_and_the_registry() -> None:
    registered = [
        "simfang.ttf",  # a bare name: in %WINDIR%\Fonts
        r"C:\Users\张三\AppData\Local\Microsoft\Windows\Fonts\FZXBSJW.TTF",  # for this user
        r"D:\字体\方正\FZFSK.TTF",  # installed as a shortcut: the font stays where it was
    ]
    env = {
        "WINDIR": r"C:\WINDOWS",
        "SystemRoot": r"C:\Windows",
        "LOCALAPPDATA": r"C:\Users\张三\AppData\Local",
        "PERFDESK_FONT_DIRS": r"E:\公文字体;F:\more",
    }
    dirs = [
        win(d)
        for d in system.font_dirs(
            platform="win32", environ=env, home=Path("/unused"), registry_fonts=lambda: registered
        )
    ]
    assert dirs == [
        win(r"E:\公文字体"),
        win(r"F:\more"),
        win(r"C:\WINDOWS\Fonts"),  # %SystemRoot%\Fonts and C:\Windows\Fonts are the same folder
        win(r"C:\Users\张三\AppData\Local\Microsoft\Windows\Fonts"),
        win(r"D:\字体\方正"),
    ]


def test_windows_without_a_readable_registry_still_has_its_font_folders() -> None:
    def broken() -> list[str]:
        raise OSError("registry unavailable")

    dirs = system.font_dirs(platform="win32", environ={}, home=Path("/x"), registry_fonts=broken)
    assert [win(d) for d in dirs] == [win(r"C:\Windows\Fonts")]


def test_linux_fonts_include_wps_uos_kylin_and_fontconfig_folders(tmp_path: Path) -> None:
    dirs = system.font_dirs(
        platform="linux",
        environ={"PERFDESK_FONT_DIRS": "/a:/b"},
        home=tmp_path,
        fontconfig_dirs=lambda: ["/opt/vendor/fonts", "/usr/share/fonts"],
    )
    assert dirs[:2] == [Path("/a"), Path("/b")]
    for folder in [
        tmp_path / ".local" / "share" / "fonts",
        Path("/usr/share/fonts"),
        Path("/usr/share/fonts/wps-office"),  # WPS Office for Linux: 方正仿宋 FZFSK.TTF …
        Path("/usr/share/fonts/fonts-cesi"),  # 统信UOS: CESI仿宋 …
        Path("/opt/kingsoft/wps-office/office6/fonts"),
        Path("/opt/apps/cn.wps.wps-office-pro/files/kingsoft/wps-office/office6/fonts"),
        Path("/opt/vendor/fonts"),  # registered with fontconfig by some package
    ]:
        assert folder in dirs, folder
    assert len(dirs) == len(set(dirs))
    # $XDG_DATA_HOME unset: that entry is left out rather than guessed.
    assert Path("fonts") not in dirs and Path("/fonts") not in dirs


def test_fontconfig_folders_are_read_from_its_configuration(tmp_path: Path) -> None:
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig><dir>/usr/share/fonts</dir><dir>~/.fonts</dir>"
        '<dir prefix="xdg">fonts</dir><include>conf.d</include></fontconfig>',
        encoding="utf-8",
    )
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf.d" / "60-wps.conf").write_text(
        "<fontconfig><dir>/opt/kingsoft/wps-office/office6/fonts</dir></fontconfig>",
        encoding="utf-8",
    )
    (tmp_path / "conf.d" / "99-broken.conf").write_text("<fontconfig><dir>", encoding="utf-8")
    found = system.read_fontconfig_dirs(
        conf, environ={"XDG_DATA_HOME": "/xdg"}, home=Path("/home/clerk")
    )
    assert found == [
        "/usr/share/fonts",
        "/home/clerk/.fonts",
        "/xdg/fonts",
        "/opt/kingsoft/wps-office/office6/fonts",
    ]


def test_a_uos_pc_with_cesi_fonts_prints_in_its_own_fangsong_and_xiaobiaosong(
    tmp_path: Path,
) -> None:
    # The CESI fonts of 统信UOS/麒麟 under their real file names (stood in for by the shipped
    # 明体, which has every character the check asks for).
    cesi = tmp_path / "usr" / "share" / "fonts" / "fonts-cesi"
    cesi.mkdir(parents=True)
    shipped = ROOT / "resources" / "fonts" / "uming.ttc"
    for name in ("CESI_FS_GB2312.TTF", "CESI_XBS_GB2312.TTF"):
        (cesi / name).symlink_to(shipped)
    chosen = fonts.resolve_fonts([cesi])
    assert chosen.face(fonts.FANGSONG).file == "CESI_FS_GB2312.TTF"
    assert not chosen.face(fonts.FANGSONG).shipped
    assert chosen.face(fonts.XIAOBIAOSONG).file == "CESI_XBS_GB2312.TTF"
    assert fonts.XIAOBIAOSONG not in chosen.fake_bold  # a real 小标宋, not a thickened 宋体
    assert "cesi_fs_gb2312.ttf" in system.font_file_names(fonts.FANGSONG)


def test_every_font_table_role_is_a_role_of_the_printout() -> None:
    from perfdesk.resources import load_json

    table = load_json(*system.FONT_TABLE)
    assert set(table["files"]) <= set(fonts.ROLES)
    assert set(table["folders"]) == {"win32", "darwin", "linux"}


# --- locking -------------------------------------------------------------------------------------


class FakeMsvcrt:
    """Windows' byte-range locks: mandatory, per file, refused to any other handle."""

    LK_UNLCK, LK_NBLCK = 0, 2

    def __init__(self) -> None:
        self.held: dict[tuple[int, int], int] = {}

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        key = (os.fstat(fd).st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        if mode == self.LK_NBLCK:
            if self.held.get(key, fd) != fd:
                raise OSError(errno.EACCES, "Permission denied")
            self.held[key] = fd
        elif mode == self.LK_UNLCK:
            if self.held.pop(key, None) != fd:
                raise OSError(errno.EACCES, "not locked")


@pytest.fixture
def windows_locks(monkeypatch: pytest.MonkeyPatch) -> FakeMsvcrt:
    """perfdesk's lock as on Windows: msvcrt byte-range locks, open files not deletable."""
    fake = FakeMsvcrt()
    monkeypatch.setattr(
        system, "try_lock", functools.partial(system.try_lock, platform="win32", msvcrt=fake)
    )
    monkeypatch.setattr(
        system, "unlock", functools.partial(system.unlock, platform="win32", msvcrt=fake)
    )
    monkeypatch.setattr(system, "open_files_can_be_deleted", lambda platform=None: False)
    return fake


def test_windows_lock_excludes_a_second_writer_who_can_still_read_the_holder(
    windows_locks: FakeMsvcrt, tmp_path: Path
) -> None:
    db = tmp_path / "perfdesk.db"
    first = WriterLock.acquire(db)
    # The locked byte lies far past the owner text, so the text stays readable to others.
    ((_inode, offset),) = windows_locks.held
    assert offset == system.WINDOWS_LOCK_OFFSET
    with pytest.raises(DatabaseLocked) as refused:
        WriterLock.acquire(db)
    assert refused.value.owner is not None and refused.value.owner.pid == os.getpid()
    assert "正在被另一个 perfdesk 使用" in str(refused.value)
    first.release()
    assert windows_locks.held == {}
    assert not lock_path_for(db).exists()  # unlocked, closed, then deleted
    WriterLock.acquire(db).release()


def test_windows_lock_errors_other_than_contention_are_raised(tmp_path: Path) -> None:
    class Failing(FakeMsvcrt):
        def locking(self, fd: int, mode: int, nbytes: int) -> None:
            raise OSError(errno.EIO, "I/O error")

    fd = os.open(tmp_path / "x.lock", os.O_RDWR | os.O_CREAT)
    try:
        with pytest.raises(OSError):
            system.try_lock(fd, platform="win32", msvcrt=Failing())
    finally:
        os.close(fd)


def test_posix_lock_reports_contention_and_raises_other_errors(tmp_path: Path) -> None:
    class Fcntl:
        LOCK_EX, LOCK_NB, LOCK_UN = 2, 4, 8

        def __init__(self, error: int | None) -> None:
            self.error = error
            self.calls: list[int] = []

        def flock(self, fd: int, op: int) -> None:
            self.calls.append(op)
            if self.error is not None:
                raise OSError(self.error, os.strerror(self.error))

    assert system.try_lock(3, platform="linux", fcntl=Fcntl(None)) is True
    assert system.try_lock(3, platform="linux", fcntl=Fcntl(errno.EWOULDBLOCK)) is False
    with pytest.raises(OSError):
        system.try_lock(3, platform="linux", fcntl=Fcntl(errno.ENOLCK))
    unlocking = Fcntl(None)
    system.unlock(3, platform="linux", fcntl=unlocking)
    assert unlocking.calls == [Fcntl.LOCK_UN]
    assert system.open_files_can_be_deleted("linux") and not system.open_files_can_be_deleted(
        "win32"
    )


def test_the_lock_module_asks_the_system_module(windows_locks: FakeMsvcrt) -> None:
    assert lock_module.system.try_lock is system.try_lock  # the patched one: same module object


# --- network -------------------------------------------------------------------------------------


def test_network_paths_on_both_systems() -> None:
    def drive_type(root: str) -> int:
        return system.DRIVE_REMOTE if root.upper() == "Z:\\" else 3

    on_windows = functools.partial(system.network_reason, platform="win32", drive_type=drive_type)
    assert on_windows(r"\\server\share\perfdesk.db") == "网络共享路径"
    assert on_windows(r"z:\财务\perfdesk.db") == "映射的网络驱动器 Z:"
    assert on_windows(r"C:\Users\张三\perfdesk.db") is None
    mounts = "/dev/sda1 / ext4 rw 0 0\n//nas/share /mnt/nas cifs rw 0 0\n"
    on_linux = functools.partial(system.network_reason, platform="linux", mounts_text=mounts)
    assert on_linux("/mnt/nas/perfdesk.db") == "网络文件系统（cifs）"
    assert on_linux("/home/clerk/perfdesk.db") is None


# --- files ---------------------------------------------------------------------------------------


def test_read_only_means_the_write_bit_is_off() -> None:
    def mode(bits: int) -> os.stat_result:
        return os.stat_result((stat.S_IFREG | bits, 0, 0, 1, 0, 0, 0, 0, 0, 0))

    assert system.is_read_only(Path("x"), stat_result=mode(0o444))  # Windows: 只读 attribute
    assert not system.is_read_only(Path("x"), stat_result=mode(0o644))


# --- one module ----------------------------------------------------------------------------------

PLATFORM_CALLS = re.compile(
    r"\bsys\.platform\b|\bos\.name\b|\bimport (msvcrt|fcntl|winreg)\b|\bwindll\b"
)
STILL_ELSEWHERE: set[str] = set()
"""(Directory fsync, once in storage/backup.py, is now in the files section here.)"""


def test_only_the_system_module_asks_which_system_it_is() -> None:
    offenders = []
    for folder in ("perfdesk", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel == "perfdesk/system.py" or "migrations" in rel:
                continue
            if PLATFORM_CALLS.search(path.read_text(encoding="utf-8")):
                offenders.append(rel)
    assert sorted(set(offenders) - STILL_ELSEWHERE) == []
    assert STILL_ELSEWHERE <= set(offenders), "an exception no longer needed: drop it from the list"


def test_the_core_still_imports_on_a_system_without_fcntl() -> None:
    # Windows has no fcntl: importing the core must not need it (it is imported when locking).
    code = (
        "import sys; sys.modules['fcntl'] = None\n"
        "import perfdesk.system, perfdesk.storage.lock, perfdesk.services, perfdesk.report.fonts\n"
        "print('ok')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr

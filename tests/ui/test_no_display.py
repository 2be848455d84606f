"""When no window can be opened (#14, point 6): one Chinese line with the real fix and exit code
2 — not Qt's English abort (exit 134) with its hint about libxcb-cursor0 whatever the cause.

Run as the clerk would: ``python -m perfdesk`` in a child process with the display taken away.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="DISPLAY and the xcb plugin are Linux matters"
)


def _start(tmp_path: Path, **env: str | None) -> subprocess.CompletedProcess[str]:
    child = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    child.pop("QT_QPA_PLATFORM", None)
    for key, value in env.items():
        if value is None:
            child.pop(key, None)
        else:
            child[key] = value
    return subprocess.run(
        [sys.executable, "-m", "perfdesk", "--db", str(tmp_path / "r.db")],
        env=child,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def _one_chinese_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("无法打开程序窗口：")
    assert "qt.qpa" not in result.stderr and "Aborted" not in result.stderr
    return lines[0]


def test_without_a_display_the_clerk_gets_one_chinese_line_and_exit_code_2(tmp_path):
    result = _start(tmp_path)
    line = _one_chinese_line(result)
    assert "DISPLAY" in line and "xvfb-run" in line and "libxcb-cursor0" not in line
    assert not (tmp_path / "r.db").exists()  # nothing was created


def test_a_display_that_cannot_be_reached_is_named_with_the_fix(tmp_path):
    from perfdesk_ui.app import missing_xcb_library

    if Path("/tmp/.X11-unix/X97").exists():
        pytest.skip("display :97 exists on this machine")
    result = _start(tmp_path, DISPLAY=":97", QT_QPA_PLATFORM="xcb")
    line = _one_chinese_line(result)
    missing = missing_xcb_library()
    if missing is None:  # the plugin loads: the display is the cause, not libxcb-cursor0
        assert "DISPLAY=:97" in line and "libxcb-cursor0" not in line
    else:  # this machine lacks a library: that one is named, with its package
        assert missing in line and "sudo apt install" in line


def test_a_platform_plugin_that_does_not_exist_is_named(tmp_path):
    result = _start(tmp_path, DISPLAY=":0", QT_QPA_PLATFORM="nosuchplugin")
    line = _one_chinese_line(result)
    assert "QT_QPA_PLATFORM=nosuchplugin" in line


def test_a_missing_library_is_named_with_its_debian_package_not_qts_cursor_hint():
    from perfdesk_ui.app import no_display_message

    qt_said = [
        "qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb "
        "platform plugin.",
        'qt.qpa.plugin: Could not load the Qt platform plugin "xcb" in "" even though it was found.',
    ]
    line = no_display_message(qt_said, {"DISPLAY": ":0"}, "linux", missing="libxkbcommon-x11.so.0")
    assert "libxkbcommon-x11.so.0" in line and "sudo apt install libxkbcommon-x11-0" in line
    assert "libxcb-cursor0" not in line
    # and the cursor hint alone, with a display that is there, is not taken at its word
    line = no_display_message(qt_said, {"DISPLAY": ":0"}, "linux", missing=None)
    assert "libxcb-cursor0" not in line and "DISPLAY=:0" in line

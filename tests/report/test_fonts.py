"""Fonts: the PC's own are preferred, the shipped open fonts stand in, every glyph is embedded.

No test depends on the fonts of the machine it runs on: "the PC's fonts" are a temporary folder
holding links to the shipped files under the Windows file names.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from perfdesk.report import build_pdf, resolve_fonts
from perfdesk.report.fonts import PLACEHOLDER, ROLES, FontSet
from perfdesk.resources import resource
from tests.report.conftest import flat_text
from tests.report.factory import filled_report


def _shipped(name: str) -> Path:
    return Path(str(resource("fonts", name)))


def _embedded_fonts(pdf: bytes) -> list[tuple[str, str, bool]]:
    """(BaseFont, Subtype, has an embedded TrueType program) for every font of every page."""
    seen = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            seen.append((str(font["/BaseFont"]), str(font["/Subtype"]), embedded))
    return seen


def test_shipped_fonts_stand_in_for_every_role_and_say_so(fonts: FontSet) -> None:
    assert all(fonts.face(role).shipped for role in ROLES)
    assert fonts.face("fangsong").family == "AR PL UMing CN"  # the CN face: mainland punctuation
    assert fonts.face("kaiti").family == "AR PL UKai CN"
    assert fonts.face("heiti").family == "WenQuanYi Micro Hei"
    assert "xiaobiaosong" in fonts.fake_bold
    summary = fonts.summary()
    assert "仿宋、黑体、楷体、宋体" in summary and "方正小标宋" in summary
    assert len(fonts.notes) == 5


def test_every_font_in_the_pdf_is_an_embedded_truetype_subset(build) -> None:  # type: ignore[no-untyped-def]
    pdf, _ = build(filled_report())
    fonts = _embedded_fonts(pdf)
    assert fonts
    for base, subtype, embedded in fonts:
        assert subtype == "/TrueType" and embedded, base
        assert "+" in base  # a subset, not the whole 20 MB font
    assert not any("Helvetica" in base or "Times" in base for base, _, _ in fonts)


def test_the_pcs_own_fonts_are_preferred(tmp_path: Path) -> None:
    # Stand-ins for C:\Windows\Fonts\simkai.ttf and simhei.ttf.
    os.symlink(_shipped("ukai.ttc"), tmp_path / "SIMKAI.TTF")
    os.symlink(_shipped("wqy-microhei.ttc"), tmp_path / "simhei.ttf")
    fonts = resolve_fonts([tmp_path])
    assert not fonts.face("kaiti").shipped and fonts.face("kaiti").file == "SIMKAI.TTF"
    assert not fonts.face("heiti").shipped
    assert fonts.face("fangsong").shipped  # still none on "the PC"
    assert "楷体" not in fonts.fallback_roles and "仿宋" in fonts.fallback_roles
    assert fonts.describe()["楷体"].endswith("本机字体）")
    out = io.BytesIO()
    info = build_pdf(filled_report(), out, fonts=fonts)
    assert info.fonts["楷体"].startswith("AR PL UKai CN（SIMKAI.TTF")


def test_a_font_that_cannot_be_embedded_falls_back_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "simfang.ttf").write_bytes(b"OTTO" + b"\0" * 64)  # CFF outlines, like Noto CJK
    fonts = resolve_fonts([tmp_path])
    assert fonts.face("fangsong").shipped
    note = next(n for n in fonts.notes if n.startswith("本机未找到可用的仿宋字体"))
    assert "simfang.ttf" in note


def test_a_character_missing_from_the_body_font_comes_from_another(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    r.lists["offices"][0].text = "董家塅办公室"  # 塅 is not in the shipped 明体
    pdf, info = build(r)
    assert "董家塅办公室" in flat_text(pdf)
    assert info.replaced == {}


def test_emoji_and_unknown_glyphs_become_a_visible_placeholder_and_are_reported(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    r.unit_name = "测试局😀"
    r.goal_actual = "完成👍👍情况\U000f0001"  # two emoji and a private-use 造字
    pdf, info = build(r)
    text = flat_text(pdf)
    assert "测试局" + PLACEHOLDER in text
    assert "😀" not in text
    assert info.replaced["👍"] == 2 and "😀" in info.replaced and "\U000f0001" in info.replaced
    assert any("U+1F600" in line and PLACEHOLDER in line for line in info.warnings)


def test_a_lone_surrogate_does_not_crash_the_build(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    r.goal_expected = "目标\ud83d结束"
    pdf, info = build(r)
    assert "目标" + PLACEHOLDER + "结束" in flat_text(pdf)
    assert info.replaced == {"\ud83d": 1}


def test_build_info_names_the_fonts_and_the_fallbacks(build) -> None:  # type: ignore[no-untyped-def]
    _, info = build(filled_report())
    assert set(info.fonts) == set(ROLES.values())
    assert info.fonts["小标宋"].endswith("（加粗模拟）")
    assert len(info.fallbacks) == 5
    assert info.warnings == [info.font_summary]


@pytest.mark.parametrize("name", ["uming.ttc", "ukai.ttc", "wqy-microhei.ttc"])
def test_shipped_fonts_come_with_their_licences(name: str) -> None:
    folder = _shipped(name).parent
    assert _shipped(name).stat().st_size > 1_000_000
    licences = {
        "uming.ttc": "COPYING-uming.txt",
        "ukai.ttc": "COPYING-ukai.txt",
        "wqy-microhei.ttc": "COPYING-wqy-microhei.txt",
    }
    assert (folder / licences[name]).read_text(encoding="utf-8").strip()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert name in readme


def test_a_character_no_pc_font_has_comes_from_the_shipped_fonts(tmp_path: Path) -> None:
    # "The PC" has only one font (the 楷体 file) under every Windows name; it lacks 塅.
    for name in ("simfang.ttf", "simhei.ttf", "simkai.ttf", "simsun.ttc"):
        os.symlink(_shipped("ukai.ttc"), tmp_path / name)
    fonts = resolve_fonts([tmp_path])
    assert not any(fonts.face(role).shipped for role in ("fangsong", "heiti", "kaiti", "songti"))
    r = filled_report()
    r.lists["offices"][0].text = "董家塅办公室"
    out = io.BytesIO()
    info = build_pdf(r, out, fonts=fonts)
    assert "董家塅办公室" in flat_text(out.getvalue())
    assert info.replaced == {}
    assert any("WenQuanYi" in base for base, _, _ in _embedded_fonts(out.getvalue()))


def test_missing_shipped_fonts_are_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfdesk.domain.numbers import InputError
    from perfdesk.report import fonts as fonts_module

    monkeypatch.setattr(fonts_module, "resource", lambda *parts: tmp_path.joinpath(*parts))
    monkeypatch.setattr(fonts_module, "_faces", {})
    with pytest.raises(InputError, match="字体文件 fonts/uming.ttc 缺失.*请重新安装"):
        fonts_module._resolve([tmp_path])

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
    assert fonts.face("kaiti").family == "LXGW WenKai"
    assert fonts.face("heiti").family == "WenQuanYi Micro Hei"
    assert fonts.face("latin").family == "Liberation Serif"  # Times New Roman's metrics
    assert "xiaobiaosong" in fonts.fake_bold
    summary = fonts.summary()
    assert "仿宋、黑体、楷体、宋体、Times New Roman" in summary and "方正小标宋" in summary
    assert len(fonts.notes) == 6


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
    os.symlink(_shipped("LXGWWenKai-Regular.ttf"), tmp_path / "SIMKAI.TTF")
    os.symlink(_shipped("wqy-microhei.ttc"), tmp_path / "simhei.ttf")
    fonts = resolve_fonts([tmp_path])
    assert not fonts.face("kaiti").shipped and fonts.face("kaiti").file == "SIMKAI.TTF"
    assert not fonts.face("heiti").shipped
    assert fonts.face("fangsong").shipped  # still none on "the PC"
    assert "楷体" not in fonts.fallback_roles and "仿宋" in fonts.fallback_roles
    assert fonts.describe()["楷体"].endswith("本机字体）")
    out = io.BytesIO()
    info = build_pdf(filled_report(), out, fonts=fonts)
    assert info.fonts["楷体"].startswith("LXGW WenKai（SIMKAI.TTF")


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
    assert len(info.fallbacks) == 6
    assert info.warnings[-1] == info.font_summary  # after the draft line (错误 are open)
    assert info.warnings[0].startswith(f"审核还有 {len(info.open_errors)} 项错误")


LICENCES = {
    "uming.ttc": "COPYING-uming.txt",
    "LXGWWenKai-Regular.ttf": "COPYING-lxgw-wenkai.txt",
    "wqy-microhei.ttc": "COPYING-wqy-microhei.txt",
    "LiberationSerif-Regular.ttf": "COPYING-liberation.txt",
}


@pytest.mark.parametrize("name", sorted(LICENCES))
def test_shipped_fonts_come_with_their_licences(name: str) -> None:
    folder = _shipped(name).parent
    assert _shipped(name).stat().st_size > 300_000
    licences = LICENCES
    assert (folder / licences[name]).read_text(encoding="utf-8").strip()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert name in readme


def test_a_character_no_pc_font_has_comes_from_the_shipped_fonts(tmp_path: Path) -> None:
    # "The PC" has only one font (the 明体 file) under every Windows name; it lacks 塅.
    for name in ("simfang.ttf", "simhei.ttf", "simkai.ttf", "simsun.ttc"):
        os.symlink(_shipped("uming.ttc"), tmp_path / name)
    fonts = resolve_fonts([tmp_path])
    assert not any(fonts.face(role).shipped for role in ("fangsong", "heiti", "kaiti", "songti"))
    r = filled_report()
    r.lists["offices"][0].text = "董家塅办公室"
    out = io.BytesIO()
    info = build_pdf(r, out, fonts=fonts)
    assert "董家塅办公室" in flat_text(out.getvalue())
    assert info.replaced == {}
    # From the closest serif face (the shipped 楷体), not from a sans.
    assert any("WenKai" in base for base, _, _ in _embedded_fonts(out.getvalue()))
    assert not any("WenQuanYi" in base for base, _, _ in _embedded_fonts(out.getvalue()))


def test_missing_shipped_fonts_are_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfdesk.domain.numbers import InputError
    from perfdesk.report import fonts as fonts_module

    monkeypatch.setattr(fonts_module, "resource", lambda *parts: tmp_path.joinpath(*parts))
    monkeypatch.setattr(fonts_module, "_faces", {})
    with pytest.raises(InputError, match="字体文件 fonts/uming.ttc 缺失.*请重新安装"):
        fonts_module._resolve([tmp_path])


def test_every_shipped_font_file_is_used() -> None:
    """The repository stays lean: no font file in resources/fonts that no role uses."""
    from perfdesk.report.fonts import SHIPPED

    folder = _shipped("uming.ttc").parent
    files = {p.name for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".ttc", ".otf")}
    assert files == {spec.file for spec in SHIPPED.values()}
    assert files == set(LICENCES)


def _char_fonts(pdf: bytes) -> dict[str, set[str]]:
    import pdfplumber

    found: dict[str, set[str]] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for ch in page.chars:
                found.setdefault(ch["text"], set()).add(ch["fontname"])
    return found


def test_latin_letters_and_digits_are_set_in_a_times_metric_serif(build) -> None:  # type: ignore[no-untyped-def]
    r = filled_report()
    r.lists["offices"][0].text = "董家塅办公室ABC"
    fonts = _char_fonts(build(r)[0])
    for ch in "0123456789ABC":
        assert fonts[ch] and all("Liberation" in f or "WenQuanYi" in f for f in fonts[ch]), ch
    assert any("Liberation" in f for f in fonts["2"])  # body digits: Times-metric
    assert fonts["塅"] == {f for f in fonts["塅"] if "WenKai" in f}  # the closest serif face
    assert any("UMing" in f for f in fonts["门"])


def test_a_pc_with_times_new_roman_uses_it_for_latin(tmp_path: Path) -> None:
    os.symlink(_shipped("LiberationSerif-Regular.ttf"), tmp_path / "times.ttf")
    fonts = resolve_fonts([tmp_path])
    assert not fonts.face("latin").shipped and fonts.face("latin").file == "times.ttf"
    assert "Times New Roman" not in fonts.summary()


def test_a_cff_latin_font_is_refused_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "times.ttf").write_bytes(b"OTTO" + b"\0" * 64)  # like TeX Gyre Termes (CFF)
    fonts = resolve_fonts([tmp_path])
    assert fonts.face("latin").shipped
    assert any("times.ttf" in n and "Times New Roman" in n for n in fonts.notes)

"""The font metrics cache: a face from the cache is the face ReportLab parses, and a cache that
is damaged, stale or cannot be written is never trusted and never stops the printout."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile
from reportlab.pdfgen.canvas import Canvas

from perfdesk.report import fontcache
from perfdesk.resources import resource

FONTS = Path(str(resource("fonts")))
UMING = str(FONTS / "uming.ttc")
LIBERATION = str(FONTS / "LiberationSerif-Regular.ttf")
TEXT = "部门整体支出绩效自评报告 2024年 ABC xyz 0.5% 塅"

DESCRIPTOR = (
    "name",
    "familyName",
    "subfontNameX",
    "ascent",
    "descent",
    "capHeight",
    "bbox",
    "italicAngle",
    "stemV",
    "flags",
    "defaultWidth",
    "numGlyphs",
    "unitsPerEm",
    "_full_font",
)


def _fresh(path: str, index: int) -> TTFontFile:
    return TTFontFile(path, subfontIndex=index)


def _pdf(font: object) -> bytes:
    """A one-page PDF of TEXT in ``font`` (ReportLab's invariant mode: same input, same bytes)."""
    pdfmetrics.registerFont(font)  # type: ignore[arg-type]
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setFont(font.fontName, 14)  # type: ignore[attr-defined]
    canvas.drawString(72, 720, TEXT)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.mark.parametrize(("path", "index"), [(UMING, 0), (UMING, 1), (LIBERATION, 0)])
def test_a_face_from_the_cache_is_the_face_reportlab_parses(
    tmp_path: Path, path: str, index: int
) -> None:
    fresh = _fresh(path, index)
    cold = fontcache.load_ttfont("pd-test-cold", path, index, folder=tmp_path).face
    assert list(tmp_path.glob("*.metrics")), "the parse is kept for the next process"
    warm = fontcache.load_ttfont("pd-test-warm", path, index, folder=tmp_path).face
    for face in (cold, warm):
        for attr in DESCRIPTOR:
            assert getattr(face, attr) == getattr(fresh, attr), attr
        assert face.charToGlyph == fresh.charToGlyph
        assert face.charWidths == fresh.charWidths
        assert list(face.hmetrics) == fresh.hmetrics
        assert list(face.glyphPos) == fresh.glyphPos
    assert type(warm.name) is type(fresh.name)


def test_the_embedded_subset_is_byte_for_byte_reportlabs(tmp_path: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    expected = _pdf(TTFont("pd-test-rl", UMING, subfontIndex=0))
    fontcache.load_ttfont("pd-test-a", UMING, 0, folder=tmp_path)  # fills the cache
    got = _pdf(fontcache.load_ttfont("pd-test-rl", UMING, 0, folder=tmp_path))
    assert b"FontFile2" in got  # embedded, not referenced
    assert got == expected


def _only_cache_file(folder: Path) -> Path:
    (file,) = folder.glob("*.metrics")
    return file


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated (a crash while another process wrote)
        lambda raw: raw[:-10] + bytes(10),  # the arrays changed
        lambda raw: raw.replace(b'"numGlyphs": ', b'"numGlyphs": 1'),  # the header changed
        lambda raw: raw.replace(b'"ascent": ', b'"ascent": 1'),
        lambda raw: b"",
        lambda raw: os.urandom(4096),
        lambda raw: raw + b"more",
    ],
)
def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path: Path, damage: object) -> None:
    fresh = _fresh(LIBERATION, 0)
    fontcache.load_ttfont("pd-test", LIBERATION, 0, folder=tmp_path)
    file = _only_cache_file(tmp_path)
    sound = file.read_bytes()
    file.write_bytes(damage(sound))  # type: ignore[operator]
    face = fontcache.load_ttfont("pd-test", LIBERATION, 0, folder=tmp_path).face
    assert face.charWidths == fresh.charWidths
    assert face.numGlyphs == fresh.numGlyphs
    assert file.read_bytes() == sound  # rebuilt
    with pytest.raises(fontcache.CacheInvalid):
        fontcache.decode(damage(sound), {"other": "key"})  # type: ignore[operator]


def test_a_changed_font_file_is_parsed_again(tmp_path: Path) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(Path(LIBERATION).read_bytes())
    cache = tmp_path / "cache"
    first = fontcache.load_ttfont("pd-test", str(font), 0, folder=cache).face
    stat = font.stat()
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = fontcache.load_ttfont("pd-test", str(font), 0, folder=cache).face
    assert again.charWidths == first.charWidths
    assert len(list(cache.glob("*.metrics"))) == 2  # the new key: a second file, not the old one


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    face = fontcache.load_ttfont("pd-test", LIBERATION, 0, folder=blocker / "fonts").face
    assert face.charWidths == _fresh(LIBERATION, 0).charWidths
    assert b"FontFile2" in _pdf(fontcache.load_ttfont("pd-test-ro", LIBERATION, 0, folder=None))


def test_the_cache_folder_is_the_users_cache_folder_or_the_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PERFDESK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    from perfdesk import system

    if system.is_linux():
        assert fontcache.cache_dir() == tmp_path / "xdg" / "perfdesk" / "fonts"
    monkeypatch.setenv("PERFDESK_CACHE_DIR", str(tmp_path / "here"))
    assert fontcache.cache_dir() == tmp_path / "here" / "fonts"


@pytest.mark.parametrize("name", ["uming.ttc", "wqy-microhei.ttc"])
def test_collection_faces_are_named_from_the_header_alone(name: str) -> None:
    path = str(FONTS / name)
    expected = []
    for index in range(16):
        face = TTFontFile(path, charInfo=0, subfontIndex=index)
        expected.append(face.familyName.decode("utf-8"))
        if index + 1 >= face.numSubfonts:
            break
    assert fontcache.collection_families(path) == expected
    assert len(expected) >= 2


def test_a_file_that_is_no_collection_has_no_faces_to_pick(tmp_path: Path) -> None:
    assert fontcache.collection_families(LIBERATION) == []
    empty = tmp_path / "empty.ttc"
    empty.write_bytes(b"")
    assert fontcache.collection_families(empty) == []
    assert fontcache.collection_families(tmp_path / "missing.ttc") == []


def test_the_font_object_has_what_reportlabs_own_has(tmp_path: Path) -> None:
    """MappedTTFont repeats TTFont.__init__: a ReportLab upgrade that adds state shows here."""
    from reportlab.pdfbase.ttfonts import TTFont

    theirs = TTFont("pd-test-theirs", LIBERATION)
    ours = fontcache.load_ttfont("pd-test-ours", LIBERATION, 0, folder=tmp_path)
    assert vars(ours).keys() == vars(theirs).keys()
    assert isinstance(ours, TTFont)
    assert ours.stringWidth("Abc 123", 12) == theirs.stringWidth("Abc 123", 12)

    class Doc:  # splitString keeps its state per document (weakly)
        pass

    assert ours.splitString("Abc 部门", Doc()) == theirs.splitString("Abc 部门", Doc())


def test_the_subset_is_the_same_where_files_are_read_without_pread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no os.pread: the font file is then read with seek and read under a lock."""
    from reportlab.pdfbase.ttfonts import TTFont

    expected = _pdf(TTFont("pd-test-rl", UMING, subfontIndex=0))
    monkeypatch.setattr(fontcache, "_pread", None)
    got = _pdf(fontcache.load_ttfont("pd-test-rl", UMING, 0, folder=tmp_path))
    assert got == expected


def test_a_cache_whose_character_map_is_out_of_order_is_not_used(tmp_path: Path) -> None:
    """The character map is looked up by bisection: codes out of order would find wrong glyphs."""
    from array import array

    key = {"font": "test"}
    metrics = fontcache.parse(LIBERATION, 0)
    assert fontcache.decode(fontcache.encode(key, metrics), key)["codes"] == metrics["codes"]
    for name in ("codes", "glyphs", "widths"):
        metrics[name] = array(metrics[name].typecode, reversed(metrics[name]))
    with pytest.raises(fontcache.CacheInvalid):
        fontcache.decode(fontcache.encode(key, metrics), key)

"""The fonts of the printout: the PC's own 仿宋/黑体/楷体/宋体/小标宋 and Times New Roman, else the
shipped open fonts.

Every glyph of the PDF comes from an embedded TrueType font (ReportLab embeds subsets of
TrueType-outline fonts only; CFF fonts such as Noto CJK or TeX Gyre Termes are refused). Each
typographic *role* of GB/T 9704 is looked up among the PC's fonts by file name (``simfang.ttf``,
``simhei.ttf``, ``times.ttf``…) and, when none is usable, taken from ``resources/fonts/`` (see the
README there). Which file played which role, and every fallback, is reported so the clerk knows
why the printout looks as it does.

Latin letters and digits of the serif roles (仿宋, 楷体, 宋体, 小标宋) are set in a Times-metric
serif (:data:`LATIN`), the usual practice of 公文; 黑体 keeps its own sans digits.

A character the role's font lacks (``塅`` is missing from the shipped 明体) is taken from one
fallback chain (:meth:`FontSet.fallback`): the PC's serif faces, then the shipped serif faces, then
the sans ones — so a body paragraph never switches to a sans face for one character while a serif
face has it. A character no font has (emoji) is replaced by a visible placeholder and reported.
"""

from __future__ import annotations

import hashlib
import os
import struct
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import as_file
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from perfdesk import system
from perfdesk.domain.numbers import InputError
from perfdesk.report import fontcache
from perfdesk.resources import resource

# Every perfdesk PDF (this module is imported by each printout): page streams are Flate-compressed
# binary, not also ASCII85-encoded, which only made them a quarter larger (a PDF is binary anyway).
rl_config.useA85 = 0

FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG = (
    "fangsong",
    "heiti",
    "kaiti",
    "songti",
    "xiaobiaosong",
)
LATIN = "latin"
ROLES: dict[str, str] = {
    FANGSONG: "仿宋",  # body text, 1. and （1） headings, tables
    HEITI: "黑体",  # 一、 headings, 附件N, table headers
    KAITI: "楷体",  # （一） headings
    SONGTI: "宋体",  # page numbers
    XIAOBIAOSONG: "小标宋",  # titles
    LATIN: "西文",  # Latin letters and digits of the serif roles: Times New Roman
}

LATIN_ROLES = frozenset({FANGSONG, KAITI, SONGTI, XIAOBIAOSONG})
"""Roles whose ASCII letters, digits and signs are set in the :data:`LATIN` face."""

PREFERRED_FILES: dict[str, tuple[str, ...]] = {
    # Windows first (C:\Windows\Fonts), then the Office / macOS 华文 fonts, then 方正 retail names.
    FANGSONG: (
        "simfang.ttf",
        "仿宋_gb2312.ttf",
        "fangsong_gb2312.ttf",
        "fs_gb2312.ttf",
        "stfangso.ttf",
        "fzfsk.ttf",
        "fzfsjw.ttf",
    ),
    HEITI: ("simhei.ttf", "stheiti.ttf", "fzhtk.ttf", "fzhtjw.ttf"),
    KAITI: (
        "simkai.ttf",
        "楷体_gb2312.ttf",
        "kaiti_gb2312.ttf",
        "kt_gb2312.ttf",
        "stkaiti.ttf",
        "fzktk.ttf",
        "fzktjw.ttf",
    ),
    SONGTI: ("simsun.ttc", "simsun.ttf", "stsong.ttf", "fzssk.ttf", "fzssjw.ttf"),
    # Times New Roman (Windows, Office for Mac), then its metric-compatible open twins.
    LATIN: (
        "times.ttf",
        "times new roman.ttf",
        "timesnewroman.ttf",
        "liberationserif-regular.ttf",
        "tinos-regular.ttf",
    ),
    XIAOBIAOSONG: (
        "fzxbsjw.ttf",
        "fzxbsk.ttf",
        "方正小标宋简体.ttf",
        "方正小标宋_gbk.ttf",
        "fzxiaobiaosong-b05s.ttf",
        "fzxbsjw--gb1-0.ttf",
        "fzxbsk--gbk1-0.ttf",
    ),
}
"""File names (lower case) that hold each role on a PC, best first."""

PREFERRED_SUBFONTS = ("simsun", "宋体", "stsong")
"""In a collection (``simsun.ttc`` holds SimSun and NSimSun) the face whose family starts so."""


@dataclass(frozen=True)
class ShippedFont:
    file: str
    family: str  # the face inside the collection
    description: str


SHIPPED: dict[str, ShippedFont] = {
    FANGSONG: ShippedFont("uming.ttc", "AR PL UMing CN", "文鼎明体（AR PL UMing CN）"),
    SONGTI: ShippedFont("uming.ttc", "AR PL UMing CN", "文鼎明体（AR PL UMing CN）"),
    KAITI: ShippedFont("LXGWWenKai-Regular.ttf", "LXGW WenKai", "霞鹜文楷（LXGW WenKai）"),
    HEITI: ShippedFont(
        "wqy-microhei.ttc", "WenQuanYi Micro Hei", "文泉驿微米黑（WenQuanYi Micro Hei）"
    ),
    LATIN: ShippedFont(
        "LiberationSerif-Regular.ttf",
        "Liberation Serif",
        "Liberation Serif（与 Times New Roman 等宽）",
    ),
}
"""The open fonts in ``resources/fonts/`` standing in for each role (小标宋 borrows 宋体's)."""

SERIF_ORDER = (FANGSONG, SONGTI, KAITI)
"""The serif roles in the order a missing character is looked for (closest to the body first)."""

PLACEHOLDER = "□"
"""Printed for a character no font has (and reported)."""

PROBE = "部门整体支出绩效自评报告一二三"
"""Characters a font must have to be accepted for a Chinese role."""
LATIN_PROBE = "0123456789.%ABCXYZabcxyz"
"""Characters a font must have to be accepted for the Latin role."""


@dataclass(eq=False)
class Face:
    """One registered TrueType face: its ReportLab name, where it came from, its glyph widths."""

    name: str  # registered with ReportLab; never printed into the PDF
    family: str
    file: str  # the file's name only (no folder: BuildInfo may be shown or logged)
    index: int
    shipped: bool
    widths: dict[int, float]  # code point → width in 1/1000 em
    default_width: float

    def has(self, ch: str) -> bool:
        return ord(ch) in self.widths

    def width(self, ch: str, size: float) -> float:
        return self.widths.get(ord(ch), self.default_width) * size / 1000.0

    @property
    def label(self) -> str:
        origin = "程序附带" if self.shipped else "本机字体"
        return f"{self.family}（{self.file}，{origin}）"


@dataclass
class FontSet:
    """The face for each role, the ones drawn with simulated bold, and what fell back."""

    faces: dict[str, Face]
    fake_bold: frozenset[str] = frozenset()
    notes: list[str] = field(default_factory=list)  # one sentence per role that fell back

    def face(self, role: str) -> Face:
        return self.faces[role]

    def fallback(self, role: str, ch: str = "") -> Iterator[Face]:
        """The faces to take ``ch`` from, best first, each once: the one fallback chain.

        An ASCII character of a serif role comes from the Latin face; then the role's own face,
        the PC's serif faces (仿宋, 宋体, 楷体), the shipped serif faces, and only then the sans
        faces (黑体 tries its own kind first). Shipped faces are loaded only when reached, i.e. for
        a character none of the PC's fonts has, e.g. a rare 汉字 outside GBK.
        """
        seen: set[int] = set()
        for face in self._order(role, ch):
            if id(face) not in seen:
                seen.add(id(face))
                yield face

    def _order(self, role: str, ch: str) -> Iterator[Face]:
        if ch and " " <= ch <= "~" and role in LATIN_ROLES:
            yield self.faces[LATIN]
        yield self.faces[role]
        serif = self._serif_faces
        sans = self._sans_faces
        for group in (sans, serif) if role == HEITI else (serif, sans):
            yield from group()
        yield self.faces[LATIN]

    def _serif_faces(self) -> Iterator[Face]:
        for r in SERIF_ORDER:
            yield self.faces[r]
        for r in SERIF_ORDER:
            yield _shipped(r)

    def _sans_faces(self) -> Iterator[Face]:
        yield self.faces[HEITI]
        yield _shipped(HEITI)

    @property
    def fallback_roles(self) -> list[str]:
        """Roles (仿宋…) printed with a shipped font or a stand-in instead of the PC's own."""
        return [ROLES[r] for r in ROLES if self.faces[r].shipped or r in self.fake_bold]

    def summary(self) -> str:
        """One line for the clerk: which roles fell back to what ("" when none did)."""
        shipped = [r for r in ROLES if self.faces[r].shipped and r not in self.fake_bold]
        parts = []
        if shipped:
            names = "、".join(dict.fromkeys(SHIPPED[r].description for r in shipped))
            what = "、".join(ROLES[r] if r != LATIN else "Times New Roman" for r in shipped)
            parts.append(f"本机未找到{what}字体，已改用程序附带的开源字体：{names}")
        if XIAOBIAOSONG in self.fake_bold:
            parts.append(f"未安装方正小标宋，标题改用{self.faces[SONGTI].family}加粗模拟")
        return "；".join(parts) + "。" if parts else ""

    def describe(self) -> dict[str, str]:
        """Role name (仿宋…) → the font printing it."""
        return {
            ROLES[role]: self.faces[role].label + ("（加粗模拟）" if role in self.fake_bold else "")
            for role in ROLES
        }


# --- loading ----------------------------------------------------------------------------------

_lock = threading.RLock()
_faces: dict[tuple[str, int], Face] = {}


class FontUnusable(Exception):
    """A font file that cannot be embedded (CFF outlines, no embedding permission, damaged)."""


def _pick_index(path: Path, family: str | None) -> int:
    if not path.suffix.lower() == ".ttc":
        return 0
    families = fontcache.collection_families(path)  # header and name tables only
    wanted = [family.lower()] if family else list(PREFERRED_SUBFONTS)
    for i, fam in enumerate(families):
        if any(fam.lower().startswith(w) for w in wanted):
            return i
    return 0


def load_face(
    path: Path, *, family: str | None = None, shipped: bool = False, map_now: bool = False
) -> Face:
    """Register the face ``family`` (or the first) of ``path`` with ReportLab, once per process.

    The metrics come from :mod:`perfdesk.report.fontcache` (parsed once, kept on disk); the file
    is opened when a subset is first embedded, or at once with ``map_now`` (a file that exists
    only for the moment).
    """
    resolved = os.path.abspath(path)  # a link is its own font: where it was found is what counts
    with _lock:
        index = _pick_index(path, family)
        key = (resolved, index)
        face = _faces.get(key)
        if face is not None:
            return face
        name = "pd-" + hashlib.sha1(f"{resolved}#{index}".encode()).hexdigest()[:12]
        try:
            # The metrics from the cache on disk when they are there; the file read when embedding.
            ttf = fontcache.load_ttfont(name, resolved, index)
            if map_now:
                ttf.face.open_file()
        except (
            TTFError,
            OSError,
            ValueError,
            KeyError,
            IndexError,
            AssertionError,
            struct.error,
        ) as exc:
            raise FontUnusable(f"{path.name}：{_why(exc)}") from exc
        fam = ttf.face.familyName
        family_name = fam.decode("utf-8", "replace") if isinstance(fam, bytes) else str(fam)
        # Glyph widths in 1/1000 em, as ReportLab measures them (typesetting geometry, not money).
        default = ttf.face.defaultWidth
        char_widths, char_to_glyph = ttf.face.charWidths, ttf.face.charToGlyph
        # charWidths' characters are charToGlyph's less those mapped past the metrics: as many
        # means every mapped character has a width
        if len(char_widths) == len(char_to_glyph):
            widths = char_widths  # the same table, not a copy (ReportLab never shrinks it)
        else:
            widths = {code: char_widths.get(code, default) for code in char_to_glyph}
        pdfmetrics.registerFont(ttf)
        face = Face(
            name=name,
            family=family_name,
            file=path.name,
            index=index,
            shipped=shipped,
            widths=widths,
            default_width=default,
        )
        _faces[key] = face
        return face


def _why(exc: BaseException) -> str:
    text = str(exc)
    if "postscript outlines" in text:
        return "是 CFF（PostScript 轮廓）字体，无法嵌入 PDF"
    if "embedding" in text:
        return "字体授权不允许嵌入 PDF"
    return "无法读取（文件可能已损坏）"


# --- finding the PC's fonts -------------------------------------------------------------------


def system_font_dirs() -> list[Path]:
    """Where this PC keeps fonts (:func:`perfdesk.system.font_dirs`: ``PERFDESK_FONT_DIRS``, the
    folders of ``resources/fonts/system_fonts.json`` — WPS Office, 统信UOS/麒麟 — the Windows
    registry, fontconfig)."""
    return system.font_dirs()


@cache
def _index_dir(folder: str) -> dict[str, str]:
    """File name (lower case) → path for the fonts under ``folder`` (three levels deep)."""
    found: dict[str, str] = {}
    root = Path(folder)
    if not root.is_dir():
        return found
    base_depth = len(root.parts)
    for dirpath, dirnames, filenames in os.walk(root):
        if len(Path(dirpath).parts) - base_depth >= 3:
            dirnames[:] = []
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith((".ttf", ".ttc", ".otf")):
                found.setdefault(name.lower(), os.path.join(dirpath, name))
    return found


def _find_files(dirs: Iterable[Path], names: Sequence[str]) -> list[Path]:
    out: list[Path] = []
    indexes = [_index_dir(str(d)) for d in dirs]
    for name in names:
        for index in indexes:
            if name in index:
                out.append(Path(index[name]))
    return out


class FontsMissing(InputError):
    """The shipped fonts are not where the program expects them (a damaged installation)."""


def _shipped(role: str) -> Face:
    spec = SHIPPED[role]
    found = resource("fonts", spec.file)
    try:
        if isinstance(found, Path):  # a checkout, a wheel, the bundle: a file on disk
            return load_face(found, family=spec.family, shipped=True)
        with as_file(found) as path:  # extracted for the moment: opened before it goes
            return load_face(Path(path), family=spec.family, shipped=True, map_now=True)
    except (FileNotFoundError, FontUnusable) as exc:
        raise FontsMissing(
            f"程序附带的字体文件 fonts/{spec.file} 缺失或已损坏，本机也没有可用的{ROLES[role]}字体，"
            "无法生成 PDF。请重新安装 perfdesk。"
        ) from exc


def shipped_faces() -> tuple[Face, ...]:
    """Every shipped face, loaded once."""
    seen: list[Face] = []
    for role in SHIPPED:
        face = _shipped(role)
        if face not in seen:
            seen.append(face)
    return tuple(seen)


_sets: dict[tuple[str, ...] | None, FontSet] = {}


def resolve_fonts(search_dirs: Sequence[Path | str] | None = None) -> FontSet:
    """The fonts to print with: the PC's own where usable, the shipped ones otherwise.

    ``search_dirs`` replaces the PC's font folders (``()`` uses only the shipped fonts, which
    tests do so that the output does not depend on the machine). The result is cached.
    """
    key = None if search_dirs is None else tuple(str(d) for d in search_dirs)
    with _lock:
        found = _sets.get(key)
        if found is None:
            dirs = system_font_dirs() if search_dirs is None else [Path(d) for d in search_dirs]
            found = _sets[key] = _resolve(dirs)
        return found


def shipped_fonts() -> FontSet:
    """Only the fonts shipped in ``resources/fonts/``: the same output on every machine."""
    return resolve_fonts(())


def _accept(path: Path, probe: str = PROBE) -> Face:
    face = load_face(path)
    missing = [c for c in probe if not face.has(c)]
    if missing:
        raise FontUnusable(f"{path.name}：缺少常用汉字（如“{missing[0]}”）")
    return face


def _resolve(dirs: list[Path]) -> FontSet:
    faces: dict[str, Face] = {}
    notes: list[str] = []
    for role in (FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG, LATIN):
        problems: list[str] = []
        for path in _find_files(dirs, PREFERRED_FILES[role] + system.font_file_names(role)):
            try:
                faces[role] = _accept(path, LATIN_PROBE if role == LATIN else PROBE)
                break
            except FontUnusable as exc:
                problems.append(str(exc))
        if role in faces:
            continue
        why = f"（{'；'.join(problems)}）" if problems else ""
        if role == XIAOBIAOSONG:
            continue  # decided below, once 宋体 is known
        faces[role] = _shipped(role)
        name = "Times New Roman" if role == LATIN else ROLES[role]
        what = "西文和数字" if role == LATIN else ROLES[role]
        notes.append(
            f"本机未找到可用的{name}字体{why}，{what}改用程序附带的{SHIPPED[role].description}。"
        )
    fake_bold: frozenset[str] = frozenset()
    if XIAOBIAOSONG not in faces:
        faces[XIAOBIAOSONG] = faces[SONGTI]
        fake_bold = frozenset({XIAOBIAOSONG})
        notes.append(f"本机未安装方正小标宋，标题改用{faces[SONGTI].family}并加粗模拟。")
    return FontSet(faces=faces, fake_bold=fake_bold, notes=notes)

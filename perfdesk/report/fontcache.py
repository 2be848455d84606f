"""TrueType faces loaded from a metrics cache on disk, the font file read glyph by glyph.

ReportLab's ``TTFont`` reads the whole font file into memory and parses its character map, its
widths and its glyph locations in Python every time a process starts: 0.2–0.4 s for the printout's
three CJK faces (21 MB, 16 MB and 5 MB files). Here that parse is done once and its result kept in
the user's cache folder (:func:`cache_dir`); later processes read a few hundred KB instead.

- **The key.** A cache file belongs to one face of one font file: its absolute path, size and
  modification time (ns), the face's index in a collection, ReportLab's version and this format's
  version. Anything different is a miss, and the font is parsed again.
- **Never trusted blindly.** A cache file that cannot be read, fails its checksum (BLAKE2b; a torn
  or damaged file), has another key or has arrays of impossible lengths is ignored and rebuilt. The faces made
  from a cache and from a fresh parse are the same object state (the PDF bytes are identical;
  ``tests/report/test_fontcache.py``).
- **Best effort.** A cache folder that cannot be made or written (read-only, full, no
  permission) costs only the time: the program parses the font and goes on.
- **Read where needed.** Parsing maps the file and touches only the tables it needs (the map is
  closed after). Embedding a subset reads only the glyphs it takes, with ``pread``
  (:class:`FontFile`): ReportLab would read the whole file and copy the whole ``glyf`` table for
  every 256-character subset, and a memory-mapped file would keep every page the glyphs touched
  in the process's memory. The character map and widths are dicts, as ReportLab needs them; the
  glyph locations and metrics stay arrays.
- **Collections.** The face of a ``.ttc`` is picked from its header and ``name`` tables alone
  (:func:`collection_families`), without parsing any face.

``PERFDESK_CACHE_DIR`` replaces the cache folder (benchmarks measure a cold cache with it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import struct
import sys
import tempfile
import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from fnmatch import fnmatch
from itertools import islice
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

log = logging.getLogger(__name__)

FORMAT = 4
"""Bumped when what is stored changes: older files are then misses."""

MAGIC = b"perfdesk font metrics\n"

SCALARS = (
    "ascent",
    "bbox",
    "capHeight",
    "defaultWidth",
    "descent",
    "fileKind",
    "flags",
    "fontRevision",
    "italicAngle",
    "numGlyphs",
    "numSubfonts",
    "numTables",
    "stemV",
    "underlinePosition",
    "underlineThickness",
    "unitsPerEm",
    "version",
    "_full_font",
)
"""ReportLab's face attributes kept as they are (numbers, short lists, one string)."""

NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID", "subfontNameX")
"""Attributes that are ``bytes`` (ReportLab's ``TTFNameBytes``), kept as UTF-8 text."""

ARRAYS: dict[str, str] = {
    "codes": "I",  # the character map's keys (code points), ascending
    "glyphs": "I",  # the glyph of each code
    "widths": "d",  # each code's width in 1/1000 em (0 for the codes listed in "no_width")
    # (advance, left side bearing) of each glyph as ReportLab holds them: unscaled, except the
    # advances after the last full metric, which ReportLab keeps scaled (floats)
    "hmetrics": "d",
    "glyphPos": "I",  # the glyph locations (``loca``), numGlyphs + 1
}
"""The large parts, stored as machine arrays (native byte order, part of the key)."""


def cache_dir() -> Path:
    """``PERFDESK_CACHE_DIR``, else the user's cache folder (:func:`perfdesk.system.user_cache_dir`)
    with ``fonts`` under it."""
    override = os.environ.get("PERFDESK_CACHE_DIR", "").strip()
    if override:
        return Path(override) / "fonts"
    from perfdesk.system import user_cache_dir

    return user_cache_dir() / "fonts"


# --- mapping files --------------------------------------------------------------------------------


def map_file(path: str) -> mmap.mmap:
    """``path`` mapped read-only (an empty file cannot be mapped: ``ValueError``)."""
    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def collection_families(path: str | os.PathLike[str]) -> list[str]:
    """The family name of each face of a ``.ttc``, from its header and ``name`` tables only.

    The same name ReportLab gives ``familyName`` (name id 1, Windows Unicode US English or
    Macintosh Roman, the first record of either); ``[]`` when the file is no collection or cannot
    be read (the face is then chosen by loading, which reports what is wrong).
    """
    try:
        data = map_file(os.fspath(path))
    except (OSError, ValueError):
        return []
    try:
        if data[:4] != b"ttcf":
            return []
        (count,) = struct.unpack_from(">L", data, 8)
        families = []
        for i in range(min(count, 64)):
            (offset,) = struct.unpack_from(">L", data, 12 + 4 * i)
            families.append(_family_at(data, offset))
        return families
    except (struct.error, ValueError, IndexError):
        return []
    finally:
        data.close()


def _family_at(data: mmap.mmap, offset: int) -> str:
    (num_tables,) = struct.unpack_from(">H", data, offset + 4)
    for t in range(num_tables):
        tag, _checksum, table, _length = struct.unpack_from(">4sLLL", data, offset + 12 + 16 * t)
        if tag == b"name":
            return _name_record(data, table, 1)
    return ""


def _name_record(data: mmap.mmap, table: int, wanted: int) -> str:
    _format, count, strings = struct.unpack_from(">HHH", data, table)
    for r in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(
            ">HHHHHH", data, table + 6 + 12 * r
        )
        if name_id != wanted:
            continue
        start = table + strings + offset
        raw = data[start : start + length]
        if platform == 3 and encoding == 1 and language == 0x409:
            return _decode(raw, "utf_16_be")
        if platform == 1 and encoding == 0 and language == 0:
            return _decode(raw, "mac_roman")
    return ""


def _decode(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return raw.decode("latin1")


# --- the face -------------------------------------------------------------------------------------


class FontFile:
    """The font file read where it is asked, a few bytes at a time: ``data[a:b]`` is ``bytes``.

    Embedding a subset reads each glyph it takes (a few hundred bytes) and a few small tables.
    Read with ``pread`` they are copied and nothing else is kept: a memory-mapped file would keep
    in the process's memory (RSS) every page the glyphs touched and the pages the kernel maps
    around each (64 KB a fault): 10 MB of ``uming.ttc`` for the sample, 23 MB for its three
    faces. Safe from several threads (``pread`` has no shared position; elsewhere a lock).
    """

    def __init__(self, path: str) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - kept open as long as the face
        self._length = os.fstat(self._file.fileno()).st_size
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._length

    def read(self, start: int, count: int) -> bytes:
        if count <= 0 or start >= self._length:
            return b""
        if _pread is not None:
            return _pread(self._file.fileno(), count, start)
        with self._lock:
            self._file.seek(start)
            return self._file.read(count)

    def __getitem__(self, item: int | slice) -> Any:
        if isinstance(item, slice):
            start, stop, step = item.indices(self._length)
            if step != 1:
                raise ValueError("a font file is read forwards")
            return self.read(start, stop - start)
        index = item + self._length if item < 0 else item
        if not 0 <= index < self._length:
            raise IndexError(item)
        return self.read(index, 1)[0]

    def close(self) -> None:
        self._file.close()

    def __del__(self) -> None:  # the face went: its file with it
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()


_pread = getattr(os, "pread", None)  # not on Windows: seek and read under the file's lock


class _Window:
    """One table of the font file (``glyf``) whose slices are read on demand, never whole."""

    def __init__(self, data: FontFile, start: int, length: int) -> None:
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, item: slice) -> bytes:
        start, stop, _ = item.indices(self._length)
        return self._data.read(self._start + start, max(start, stop) - start)


class _Pairs:
    """ReportLab's ``hmetrics`` list — (advance, left side bearing) of each glyph — answered from
    the flat array as a subset asks for its glyphs, instead of a list of tuples for every glyph
    of the face (12 MB for the sample's three faces)."""

    def __init__(self, flat: array) -> None:
        self._flat = flat

    def __len__(self) -> int:
        return len(self._flat) // 2

    def __getitem__(self, glyph: int) -> tuple[float, float]:
        if glyph < 0:
            glyph += len(self)
        return self._flat[2 * glyph], self._flat[2 * glyph + 1]

    def __iter__(self) -> Iterator[tuple[float, float]]:
        flat = self._flat
        return zip(flat[0::2], flat[1::2], strict=True)


class CharMap(Mapping[int, int]):
    """ReportLab's ``charToGlyph`` (code point → glyph) answered from two arrays by bisection.

    ReportLab asks it only for a character's first use in a document (``splitString``) and for
    the characters of a subset: a few thousand lookups a printout, each a microsecond. A dict of
    Python ints would hold 6.5 MB more for the sample's faces. Characters ReportLab adds while
    shaping (with uharfbuzz) are kept beside the arrays.
    """

    def __init__(self, codes: array, glyphs: array) -> None:
        self._codes, self._glyphs = codes, glyphs
        self._added: dict[int, int] = {}

    def _find(self, code: object) -> int:
        codes = self._codes
        if type(code) is int and 0 <= code <= 0xFFFFFFFF:
            i = bisect_left(codes, code)
            if i < len(codes) and codes[i] == code:
                return i
        return -1

    def __getitem__(self, code: int) -> int:
        i = self._find(code)
        if i >= 0:
            return self._glyphs[i]
        return self._added[code]

    def __contains__(self, code: object) -> bool:
        return self._find(code) >= 0 or code in self._added

    def __setitem__(self, code: int, glyph: int) -> None:
        self._added[code] = glyph

    def __len__(self) -> int:
        return len(self._codes) + len(self._added)

    def __iter__(self) -> Iterator[int]:
        yield from self._codes
        yield from self._added


class MappedFace(TTFontFace):
    """ReportLab's face made from stored metrics; the font file is opened when a subset is made.

    Everything ReportLab reads while laying out and embedding is there: the character map, the
    widths and the PDF descriptor's numbers at once; the glyph table, read glyph by glyph from the
    file (:class:`FontFile`), when :meth:`makeSubset` needs it. The glyph locations (``loca``)
    and metrics (``hmtx``) stay in the stored arrays, looked up per glyph.
    """

    def __init__(self, filename: str, metrics: dict[str, Any]) -> None:
        from reportlab.pdfbase import pdfmetrics

        pdfmetrics.TypeFace.__init__(self, None)
        self.validate = 0
        self.filename = filename
        self._pos = 0
        for key in SCALARS:
            if key in metrics:
                setattr(self, key, metrics[key])
        for key in NAMES:
            setattr(self, key, TTFNameBytes(metrics[key].encode("utf-8")))
        self.table = {
            tag: {"tag": tag, "checksum": c, "offset": o, "length": n}
            for tag, (c, o, n) in metrics["table"].items()
        }
        self.tables = list(self.table.values())
        units = self.unitsPerEm
        mult = 1000 / units
        self._pdfScale = (lambda x: x) if units == 1000 else (lambda x: x * mult)
        # The widths a dict (ReportLab's C accelerator and Face.has ask it for every character)
        # whose equal widths share one float (a CJK face's are nearly all 1000: 2 MB less).
        codes = metrics["codes"].tolist()
        same: dict[float, float] = {}
        widths = [same.setdefault(w, w) for w in metrics["widths"].tolist()]
        self.charToGlyph = CharMap(metrics["codes"], metrics["glyphs"])
        self.charWidths = dict(zip(codes, widths, strict=True))
        for code in metrics.get("no_width", ()):  # mapped to a glyph past the metrics
            self.charWidths.pop(code, None)
        self.hmetrics = _Pairs(metrics["hmetrics"])
        self.glyphPos = metrics["glyphPos"]  # an array of ints: indexed as ReportLab's list

    def open_file(self) -> None:
        """Open the font file now (it is otherwise opened when a subset is first made)."""
        self._ttf_data  # noqa: B018 - made by __getattr__

    def __getattr__(self, name: str) -> Any:
        # Only for attributes not yet made: the font file and the inverse character map.
        if name == "_ttf_data":
            self._ttf_data = FontFile(self.filename)
            return self._ttf_data
        if name == "glyphToChar":
            inverse: dict[int, list[int]] = {}
            for code, glyph in self.charToGlyph.items():
                inverse.setdefault(glyph, []).append(code)
            self.glyphToChar = inverse
            return inverse
        raise AttributeError(name)

    def get_table(self, tag: str) -> Any:
        offset, length = self.get_table_pos(tag)
        if tag == "glyf":  # read glyph by glyph: never copied whole
            return _Window(self._ttf_data, offset, length)
        return self._ttf_data[offset : offset + length]


class MappedTTFont(TTFont):
    """ReportLab's ``TTFont`` around a :class:`MappedFace` (the rest as ``TTFont.__init__``)."""

    def __init__(self, name: str, face: MappedFace, shapable: bool = True) -> None:
        self.fontName = name
        self.face = face
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = shapable and not any(
            fnmatch(name, glob) for glob in getattr(ttfonts, "unShapedFontGlob", ())
        )


# --- parsing and the cache ------------------------------------------------------------------------


def parse(path: str, index: int) -> dict[str, Any]:
    """Parse face ``index`` of ``path`` with ReportLab, the file mapped; the metrics to keep."""
    data = map_file(path)
    try:
        face = TTFontFace.__new__(TTFontFace)
        face._ttf_data = data  # ReportLab's reader then reads from the map, not the whole file
        face.filename = path
        TTFontFace.__init__(face, path, validate=0, subfontIndex=index)
        kept: dict[str, Any] = {k: getattr(face, k) for k in SCALARS if hasattr(face, k)}
        kept["bbox"] = list(face.bbox)
        kept["fontRevision"] = list(face.fontRevision)
        for key in NAMES:
            value = getattr(face, key)
            kept[key] = getattr(value, "ustr", None) or bytes(value).decode("utf-8", "replace")
        kept["table"] = {
            tag: (t["checksum"], t["offset"], t["length"]) for tag, t in face.table.items()
        }
        codes = sorted(face.charToGlyph)  # ascending: looked up by bisection (CharMap)
        kept["no_width"] = [c for c in codes if c not in face.charWidths]
        kept["codes"] = array(ARRAYS["codes"], codes)
        kept["glyphs"] = array(ARRAYS["glyphs"], (face.charToGlyph[c] for c in codes))
        kept["widths"] = array(ARRAYS["widths"], (face.charWidths.get(c, 0) for c in codes))
        kept["hmetrics"] = array(ARRAYS["hmetrics"], (v for pair in face.hmetrics for v in pair))
        kept["glyphPos"] = array(ARRAYS["glyphPos"], face.glyphPos)
        return kept
    finally:
        data.close()


def _key(path: str, index: int, st: os.stat_result) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "path": path,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "index": index,
        "reportlab": REPORTLAB_VERSION,
        "byteorder": sys.byteorder,
    }


def _cache_file(folder: Path, key: dict[str, Any]) -> Path:
    name = _digest(json.dumps(key, sort_keys=True).encode()).hex()
    return folder / f"{name}.metrics"


def encode(key: dict[str, Any], metrics: dict[str, Any]) -> bytes:
    """The cache file: magic, header length, JSON header, the arrays, BLAKE2b of all before it."""
    blobs = [metrics[name].tobytes() for name in ARRAYS]
    header = {
        "key": key,
        "scalars": {k: v for k, v in metrics.items() if k not in ARRAYS},
        "lengths": [len(metrics[name]) for name in ARRAYS],
    }
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    payload = MAGIC + struct.pack("<L", len(head)) + head + b"".join(blobs)
    return payload + _digest(payload)


def _digest(data: bytes | memoryview) -> bytes:
    """BLAKE2b, 32 bytes: Python's own (the bundle has no OpenSSL, whose SHA-256 Python's
    built-in one would replace at a third of the speed: 16 ms for the four cache files)."""
    return hashlib.blake2b(data, digest_size=32).digest()


class CacheInvalid(ValueError):
    """A cache file to ignore (and rebuild)."""


def decode(raw: bytes, key: dict[str, Any]) -> dict[str, Any]:
    """The metrics in ``raw`` if it is a whole, sound cache file of ``key``; else CacheInvalid."""
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 4 + 32:
        raise CacheInvalid("not a perfdesk font cache")
    payload, digest = memoryview(raw)[:-32], raw[-32:]
    if _digest(payload) != digest:
        raise CacheInvalid("checksum")
    at = len(MAGIC)
    try:
        (size,) = struct.unpack_from("<L", payload, at)
        header = json.loads(bytes(payload[at + 4 : at + 4 + size]).decode("utf-8"))
    except (struct.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CacheInvalid("unreadable header") from exc
    if not isinstance(header, dict) or header.get("key") != key:
        raise CacheInvalid("another font or version")
    body = payload[at + 4 + size :]
    metrics = dict(header["scalars"])
    lengths = header["lengths"]
    pos = 0
    for (name, code), count in zip(ARRAYS.items(), lengths, strict=True):
        if not isinstance(count, int) or count < 0:
            raise CacheInvalid("lengths")
        values = array(code)
        end = pos + count * values.itemsize
        if end > len(body):
            raise CacheInvalid("truncated")
        values.frombytes(body[pos:end])
        metrics[name] = values
        pos = end
    if pos != len(body):
        raise CacheInvalid("trailing bytes")
    _check(metrics)
    return metrics


def _check(m: dict[str, Any]) -> None:
    """The shapes a face needs; a cache that breaks them is not used."""
    glyphs = m.get("numGlyphs")
    if not isinstance(glyphs, int) or glyphs <= 0 or not isinstance(m.get("unitsPerEm"), int):
        raise CacheInvalid("numbers")
    codes = m["codes"]
    if not (len(codes) == len(m["glyphs"]) == len(m["widths"])):
        raise CacheInvalid("character map")
    if any(a >= b for a, b in zip(codes, islice(codes, 1, None), strict=False)):
        raise CacheInvalid("character map order")
    if len(m["hmetrics"]) != 2 * glyphs or len(m["glyphPos"]) != glyphs + 1:
        raise CacheInvalid("glyph tables")
    if not all(type(c) is int for c in m.get("no_width", [])):
        raise CacheInvalid("no_width")
    for name in NAMES:
        if not isinstance(m.get(name), str):
            raise CacheInvalid("names")
    table = m.get("table")
    if not isinstance(table, dict) or "glyf" not in table:
        raise CacheInvalid("tables")
    for entry in table.values():
        if not (isinstance(entry, list) and len(entry) == 3 and all(type(v) is int for v in entry)):
            raise CacheInvalid("table directory")
    for key in ("ascent", "descent", "capHeight", "defaultWidth", "italicAngle", "stemV", "flags"):
        if not isinstance(m.get(key), int | float):
            raise CacheInvalid(key)


def _read(file: Path, key: dict[str, Any]) -> dict[str, Any] | None:
    try:
        raw = file.read_bytes()
    except OSError:
        return None
    try:
        return decode(raw, key)
    except (CacheInvalid, KeyError, TypeError, ValueError) as exc:
        log.info("font cache %s ignored (%s); rebuilt", file.name, exc)
        return None


def _write(file: Path, payload: bytes) -> None:
    """Write the cache file whole or not at all; a folder that cannot take it is no error."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".font-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, file)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def metrics(path: str, index: int, *, folder: Path | None = None) -> dict[str, Any]:
    """The metrics of face ``index`` of ``path``: from the cache when it holds them soundly, else
    parsed now (and stored for the next process)."""
    st = os.stat(path)
    key = _key(path, index, st)
    try:
        where = cache_dir() if folder is None else folder
    except (OSError, RuntimeError):  # no home folder to put it in
        where = None
    file = _cache_file(where, key) if where is not None else None
    found = _read(file, key) if file is not None else None
    if found is not None:
        return found
    parsed = parse(path, index)
    if file is not None:
        _write(file, encode(key, parsed))
    return parsed


def load_ttfont(name: str, path: str, index: int, *, folder: Path | None = None) -> MappedTTFont:
    """A ReportLab font named ``name`` for face ``index`` of ``path`` (an absolute path)."""
    return MappedTTFont(name, MappedFace(path, metrics(path, index, folder=folder)))

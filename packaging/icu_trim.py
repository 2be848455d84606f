"""Shrink Qt's ICU data library (``libicudata.so.NN``, 31 MB) to what Qt actually asks ICU for.

Qt 6 on Linux calls ICU for four things only (``nm -D libQt6Core.so.6 | grep _NN``): case mapping
(``u_strToUpper``: its tables are compiled into ``libicuuc``), time-zone ids and names
(``ucal_*``), collation (``ucol_*``, ``QCollator``) and legacy text encodings (``ucnv_*``,
``QStringDecoder("GB18030")``). ICU's data library also carries break-iterator dictionaries,
transliteration, number spelling, currency/unit/language names of 700 locales and 200 code pages,
none of which Qt reads. This module keeps the items those four services need, for the locales the
clerk uses (``root``, ``zh*``, ``en*``), and rebuilds the library with the same symbol and soname.

The data library is a single exported symbol ``icudtNN_dat`` holding an ICU *common data* package
("CmnD"): a header, a table of contents (name offset, data offset) sorted by name, the names, and
the items, each 16-byte aligned. Reading and writing that format is plain Python
(:func:`read_package`, :func:`write_package`); the new shared object is assembled with the C
compiler (``.incbin``), which every Linux build machine has. Nothing here runs on Windows (Qt
uses the system's ICU there) and nothing here is imported by the program.

``tests/test_packaging.py`` checks the package round trip and the choice of items; the smoke test
checks in the built program that Chinese collation, time-zone names and GB18030/GBK still work.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# --- which items Qt needs ------------------------------------------------------------------------

KEPT_LANGUAGES = ("root", "zh", "en")
"""Locale data kept (collation, zone and region names): Chinese, English and the fallback root."""

DROPPED_TREES = ("brkitr", "translit", "rbnf", "curr", "unit")
"""Break iteration, transliteration, spelled-out numbers, currency and unit names: Qt uses none."""

KEPT_CONVERTERS = (
    "gb18030.cnv",  # GB18030: the national standard encoding
    "windows-936-2000.cnv",  # CP936: what Chinese Windows writes
    "ibm-1386_P100-2001.cnv",  # GBK: the table ICU gives the IANA name "GBK"
    "ibm-1383_P110-1999.cnv",  # GB2312 (EUC-CN)
    "windows-950-2000.cnv",  # Big5 / CP950
    "ibm-5348_P100-1997.cnv",  # windows-1252
)
"""Legacy encodings kept for ``QStringDecoder``; UTF-8/16/32 and Latin-1 need no table."""

DROPPED_FILES = ("unames.icu",)
"""Unicode character names (``u_charName``): not used by Qt."""

_LOCALE_FILE = re.compile(r"^(root|[a-z]{2,3}(_[A-Za-z0-9]+)*)\.res$")


def keep_item(name: str) -> bool:
    """Whether the package item ``icudtNNl/[tree/]file`` is kept."""
    parts = name.split("/")[1:]
    if not parts:
        return True
    base = parts[-1]
    if len(parts) > 1 and parts[0] in DROPPED_TREES:
        return False
    if base in DROPPED_FILES:
        return False
    if base.endswith(".cnv"):
        return base in KEPT_CONVERTERS
    if _LOCALE_FILE.match(base) and base != "res_index.res":  # each tree's list of locales
        return base[: -len(".res")].split("_")[0] in KEPT_LANGUAGES
    return True  # pools, indexes, supplemental data, time-zone rules, normalisation, aliases…


# --- the common data package ---------------------------------------------------------------------

_MAGIC = (0xDA, 0x27)
_FILL = b"\xaa"  # what ICU's own tools (icupkg) pad with, so a round trip is byte-identical


@dataclass
class Package:
    header: bytes  # the MappedData + UDataInfo header, padded, copied as it is
    items: dict[str, bytes]  # name → data, in the package's (sorted) order


class IcuDataError(Exception):
    pass


def read_package(blob: bytes) -> Package:
    """Parse an ICU common data package ("CmnD", little-endian)."""
    if len(blob) < 24:
        raise IcuDataError("too short for an ICU data header")
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != _MAGIC:
        raise IcuDataError("not ICU data (bad magic)")
    big_endian = blob[8]
    if big_endian:
        raise IcuDataError("big-endian ICU data is not supported")
    if blob[12:16] != b"CmnD":
        raise IcuDataError(f"not a common data package ({blob[12:16]!r})")
    toc = header_size
    (count,) = struct.unpack_from("<I", blob, toc)
    entries = [struct.unpack_from("<II", blob, toc + 4 + 8 * i) for i in range(count)]
    items: dict[str, bytes] = {}
    for i, (name_offset, data_offset) in enumerate(entries):
        start = toc + name_offset
        name = blob[start : blob.index(b"\0", start)].decode("ascii")
        end = toc + entries[i + 1][1] if i + 1 < count else len(blob)
        items[name] = blob[toc + data_offset : end]
    return Package(blob[:header_size], items)


def _pad(n: int, to: int = 16) -> int:
    return (to - n % to) % to


def write_package(package: Package) -> bytes:
    """The package as bytes, in ICU's layout: ToC, names, then 16-byte aligned items."""
    names = sorted(package.items)  # ICU finds items by binary search over the names
    count = len(names)
    toc_size = 4 + 8 * count
    name_bytes = b"".join(n.encode("ascii") + b"\0" for n in names)
    name_offsets = []
    offset = toc_size
    for n in names:
        name_offsets.append(offset)
        offset += len(n) + 1
    data_start = offset + _pad(len(package.header) + offset) if names else offset
    out = bytearray(package.header)
    out += struct.pack("<I", count)
    data_offsets = []
    position = data_start
    for n in names:
        data_offsets.append(position)
        size = len(package.items[n])
        position += size + _pad(len(package.header) + position + size)
    for name_offset, data_offset in zip(name_offsets, data_offsets, strict=True):
        out += struct.pack("<II", name_offset, data_offset)
    out += name_bytes
    out += _FILL * (len(package.header) + data_start - len(out))
    for n, data_offset in zip(names, data_offsets, strict=True):
        assert len(out) == len(package.header) + data_offset
        data = package.items[n]
        out += data
        out += _FILL * _pad(len(out))
    return bytes(out)


def trim_package(blob: bytes) -> tuple[bytes, list[str]]:
    """The package with only the kept items, and the names left out."""
    package = read_package(blob)
    dropped = [n for n in package.items if not keep_item(n)]
    kept = Package(package.header, {n: d for n, d in package.items.items() if keep_item(n)})
    return write_package(kept), dropped


# --- the shared library ---------------------------------------------------------------------------


def _elf_symbol(lib: bytes, wanted: str) -> bytes:
    """The bytes of the exported data symbol ``wanted`` of an ELF64 little-endian library."""
    if lib[:4] != b"\x7fELF" or lib[4] != 2 or lib[5] != 1:
        raise IcuDataError("not a 64-bit little-endian ELF library")
    (e_shoff,) = struct.unpack_from("<Q", lib, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", lib, 0x3A)
    sections = []
    for i in range(e_shnum):
        base = e_shoff + i * e_shentsize
        (
            _name,
            sh_type,
            _flags,
            sh_addr,
            sh_offset,
            sh_size,
            sh_link,
            _info,
            _align,
            sh_entsize,
        ) = struct.unpack_from("<IIQQQQIIQQ", lib, base)
        sections.append((sh_type, sh_addr, sh_offset, sh_size, sh_link, sh_entsize))
    for sh_type, _addr, offset, size, link, entsize in sections:
        if sh_type != 11:  # SHT_DYNSYM
            continue
        strtab_offset = sections[link][2]
        for pos in range(offset, offset + size, entsize or 24):
            st_name, _st_info, _other, _shndx, st_value, st_size = struct.unpack_from(
                "<IBBHQQ", lib, pos
            )
            start = strtab_offset + st_name
            name = lib[start : lib.index(b"\0", start)].decode("ascii", "replace")
            if name != wanted:
                continue
            for _type, s_addr, s_offset, s_size, _link, _entsize in sections:
                if _type != 8 and s_addr <= st_value < s_addr + s_size:  # not SHT_NOBITS
                    file_offset = s_offset + st_value - s_addr
                    return lib[file_offset : file_offset + st_size]
    raise IcuDataError(f"symbol {wanted} not found")


def _symbol_for(lib_path: Path) -> str:
    match = re.match(r"libicudata\.so\.(\d+)", lib_path.name)
    if not match:
        raise IcuDataError(f"{lib_path.name} is not named libicudata.so.NN")
    return f"icudt{match.group(1)}_dat"


def build_library(blob: bytes, symbol: str, soname: str, out: Path, cc: str = "cc") -> None:
    """Assemble a shared library exporting ``symbol`` = ``blob`` (16-byte aligned, read-only)."""
    with tempfile.TemporaryDirectory(prefix="perfdesk-icu-") as tmp:
        data = Path(tmp) / "icudata.bin"
        data.write_bytes(blob)
        source = Path(tmp) / "icudata.S"
        source.write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n"
            "\t.balign 16\n"
            f"{symbol}:\n"
            f'\t.incbin "{data}"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        subprocess.run(
            [cc, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o", str(out), str(source)],
            check=True,
            capture_output=True,
            text=True,
        )


@dataclass(frozen=True)
class TrimResult:
    before: int
    after: int
    dropped: int


def trim_library(src: Path, out: Path, cc: str | None = None) -> TrimResult:
    """Write to ``out`` a copy of the ICU data library ``src`` holding only the kept items.

    The copy is checked before it is trusted: its package is read back and every kept item must
    be byte-for-byte the original's.
    """
    compiler = cc or shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise IcuDataError("no C compiler (cc) to assemble the trimmed library")
    symbol = _symbol_for(src)
    lib = src.read_bytes()
    original = _elf_symbol(lib, symbol)
    trimmed, dropped = trim_package(original)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_library(trimmed, symbol, src.name, out, compiler)
    check = read_package(_elf_symbol(out.read_bytes(), symbol))
    source_items = read_package(original).items
    if any(source_items[n] != d for n, d in check.items.items()) or len(check.items) != len(
        source_items
    ) - len(dropped):
        raise IcuDataError("the trimmed library does not read back as written")
    return TrimResult(len(lib), out.stat().st_size, len(dropped))

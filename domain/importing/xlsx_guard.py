"""Refuse an XLSX workbook that would cost more to read than the import limits allow — before reading it.

The reader (fastexcel on calamine) builds a *dense* grid from the first to the last cell of the
sheet, 32 bytes a cell: one value at ``XFD1048576`` asks for 512 GB and the allocation failure
aborts the whole process (the API and its in-process worker with it), not just the import. A
workbook is a ZIP of XML, so a tiny upload can also hold a 256 MB string or gigabytes of XML.

So before calamine sees a byte, this module inflates every part itself (never past the size the
ZIP directory declares, which may lie) and scans the first sheet and the shared strings as bytes:
the furthest row and column any cell reaches (the ``<dimension>`` element is ignored — calamine
does not size anything from it, and it may be absent or wrong), and the longest piece of text.
The scan is a few regular expressions and byte counts per megabyte: a sheet costs about what
calamine's own read of it costs (about a second for 200,000 rows of 7 columns), a bomb
milliseconds and a few MB. Limits derive from ``SALON_IMPORT_MAX_BYTES`` and
``SALON_IMPORT_MAX_ROWS``; every refusal is a ``FileRejected`` sentence saying what to fix.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable

from domain.importing.templates import Template

EXCEL_ROWS = 1_048_576  # Excel's own sheet limit: more rows than this cannot come from Excel
MAX_COLUMNS = 1_000  # wider is no HR export; each column costs the reader time even when empty
COLUMNS_PER_TEMPLATE_COLUMN = 2  # room for the extra columns exports carry, in the cell budget
MIN_BUDGET_COLUMNS = 16
UNCOMPRESSED_FACTOR = 10  # all parts together may inflate to 10 × the upload limit (XML packs ~5–10×)
MAX_TEXT_BYTES = 8 * 32_767  # Excel's 32,767 characters a cell, as UTF-8 XML with room for escapes
DEFAULT_MAX_BYTES = 100 * 1024 * 1024

_CHUNK = 1 << 20
_TOO_FAR = 10**10
_MAIN = "xl/workbook.xml"
_MAIN_RELS = "xl/_rels/workbook.xml.rels"
# a cell's reference (r="B7") or a row's (r="7"), as every writer spells it: a literal prefix keeps
# the scan fast; a reference spelled otherwise counts as missing, which only widens the bound
_REF_LETTERS = re.compile(rb' r="([A-Za-z]*)[0-9]+"')
_REF_NUMBER = re.compile(rb' r="[A-Za-z]*([0-9]+)"')
_PREFIXED = re.compile(rb"<[\w.-]+:(?:c|row)[\s/>]")
_SHARED_STRING = re.compile(rb"<(?:[\w.-]+:)?si[\s/>]")
_FIRST_SHEET = re.compile(rb"""<(?:[\w.-]+:)?sheet\b[^>]*?\s(?:[\w.-]+:)?id=["']([^"']+)["']""")


class Refused(Exception):
    """Why the workbook is refused: a sentence for HR users (the reader turns it into ``FileRejected``)."""


def check_xlsx(data: bytes, template: Template, *, max_rows: int | None, max_bytes: int | None) -> None:
    """Raise :class:`Refused` when reading ``data`` would exceed what the limits allow."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise Refused("the file could not be opened as an Excel workbook") from None
    budget = UNCOMPRESSED_FACTOR * (max_bytes or DEFAULT_MAX_BYTES)
    total = sum(member.file_size for member in members)
    if total > budget:
        raise Refused(
            f"the workbook unpacks to {total:,} bytes; the limit is {budget:,} "
            "(10 times the upload limit) — save only the sheet to import"
        )
    sheets, strings = _parts(data, {member.filename: member for member in members})
    rows = min(max_rows + 1 if max_rows is not None else EXCEL_ROWS, EXCEL_ROWS)
    columns = max(COLUMNS_PER_TEMPLATE_COLUMN * len(template.columns), MIN_BUDGET_COLUMNS)
    for member in members:
        scan: _Scan | None = None
        if member.filename in sheets:
            scan = _SheetScan(max_cells=rows * columns)
        elif member.filename in strings:
            scan = _StringScan()
        # every part must inflate to its declared size: calamine reads several of them
        _inflate(data, member, scan.feed if scan else lambda chunk: None)
        if scan:
            scan.finish()


def _inflate(data: bytes, member: zipfile.ZipInfo, feed: Callable[[bytes], None]) -> None:
    """Hand ``member``'s content to ``feed`` in chunks, refusing it past its declared size."""
    if member.flag_bits & 0x1:
        raise Refused("password-protected workbooks cannot be read; save it again without a password")
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Refused("the workbook is packed in a way Excel does not write; save it again from Excel")
    offset = member.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise Refused("the workbook is damaged; save it again from Excel")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    packed = memoryview(data)[start : start + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        if len(packed) != member.file_size:
            raise Refused("the workbook is damaged; save it again from Excel")
        for at in range(0, len(packed), _CHUNK):
            feed(bytes(packed[at : at + _CHUNK]))
        return
    inflater, produced, left = zlib.decompressobj(-15), 0, member.file_size
    try:
        for at in range(0, len(packed), 1 << 16):
            pending = bytes(packed[at : at + (1 << 16)])
            while pending and not inflater.eof:
                # at most a chunk at a time, and one byte past the declared size is enough to know
                chunk = inflater.decompress(pending, min(left + 1, _CHUNK))
                produced, left = produced + len(chunk), left - len(chunk)
                if left < 0:
                    raise Refused(
                        "the workbook's parts are larger than its directory says; save it again from Excel"
                    )
                feed(chunk)
                pending = inflater.unconsumed_tail
        rest = inflater.flush()
        produced += len(rest)
        if rest and produced <= member.file_size:
            feed(rest)
    except zlib.error:
        raise Refused("the workbook is damaged; save it again from Excel") from None
    if produced != member.file_size:
        raise Refused("the workbook is damaged; save it again from Excel")


def _read_small(data: bytes, member: zipfile.ZipInfo | None) -> bytes:
    if member is None:
        return b""
    if member.file_size > MAX_TEXT_BYTES * 8:
        raise Refused("the workbook's list of sheets is too large; save only the sheet to import")
    parts: list[bytes] = []
    _inflate(data, member, parts.append)
    return b"".join(parts)


def _parts(data: bytes, names: dict[str, zipfile.ZipInfo]) -> tuple[set[str], set[str]]:
    """The part calamine reads as sheet 0 (the workbook's first ``<sheet>``, through its relationship)
    and the shared strings; every worksheet when the first cannot be told."""
    workbook = _read_small(data, names.get(_MAIN))
    rels = _read_small(data, names.get(_MAIN_RELS)).decode("utf-8", "replace")
    targets = {
        _attribute(tag, "Id"): (_attribute(tag, "Type"), _attribute(tag, "Target"))
        for tag in re.findall(r"<(?:[\w.-]+:)?Relationship\b[^>]*>", rels)
    }
    first = _FIRST_SHEET.search(workbook)
    sheet = targets.get(first.group(1).decode("utf-8", "replace") if first else None, ("", None))[1]
    sheets = {_resolve(sheet)} if sheet else {name for name in names if name.startswith("xl/worksheets/")}
    strings = {"xl/sharedStrings.xml"} | {
        _resolve(target) for kind, target in targets.values() if target and kind.endswith("/sharedStrings")
    }
    return sheets, strings


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf"""\s{name}=["']([^"']*)["']""", tag)
    return found.group(1) if found else ""


def _resolve(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


class _Scan:
    """Bytes of one XML part in pieces cut just before a ``<``, so no tag spans two pieces."""

    def __init__(self) -> None:
        self._carry = b""

    def feed(self, chunk: bytes) -> None:
        buffer = self._carry + chunk
        cut = buffer.rfind(b"<")
        if cut <= 0:
            self._carry = buffer
            if len(buffer) > MAX_TEXT_BYTES:
                _too_long()
            return
        self._carry = buffer[cut:]
        self.piece(buffer[:cut])

    def finish(self) -> None:
        if self._carry:
            self.piece(self._carry)
            self._carry = b""

    def piece(self, data: bytes) -> None:
        """No run of text without a tag longer than ``MAX_TEXT_BYTES`` (give or take one window)."""
        for start in range(0, len(data) - MAX_TEXT_BYTES, MAX_TEXT_BYTES):
            if data.find(b"<", start, start + MAX_TEXT_BYTES) < 0:
                _too_long()


def _too_long() -> None:
    raise Refused(
        f"a cell of the workbook holds more than {MAX_TEXT_BYTES // 8:,} characters, Excel's own limit"
    )


class _StringScan(_Scan):
    """Shared strings: each ``<si>`` (one cell's text, however many formatted runs) stays short."""

    def __init__(self) -> None:
        super().__init__()
        self._open = 0  # bytes of the ``<si>`` still open at the end of the last piece

    def piece(self, data: bytes) -> None:
        super().piece(data)
        first, *others = _SHARED_STRING.split(data)
        self._open += len(first)
        if others:
            longest = max([self._open, *map(len, others[:-1])])
            self._open = len(others[-1])
        else:
            longest = self._open
        if max(longest, self._open) > MAX_TEXT_BYTES:
            _too_long()


class _SheetScan(_Scan):
    """The first sheet: the furthest row and column a cell reaches, and no text past a cell's limit.

    A cell or row without a reference sits one after the previous one, so counting them on top
    of the furthest reference bounds where the reader will put them.
    """

    def __init__(self, max_cells: int) -> None:
        super().__init__()
        self.max_cells = max_cells
        self.rows = self.columns = 0
        self.unreferenced = 0  # cells and rows without a reference

    def piece(self, data: bytes) -> None:
        super().piece(data)
        numbers = _REF_NUMBER.findall(data)
        tags = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>") + data.count(b"<row")
        if b":c" in data or b":row" in data:
            tags += len(_PREFIXED.findall(data))
        self.unreferenced += max(0, tags - len(numbers))
        if numbers:
            self.columns = max(self.columns, *map(_column, set(_REF_LETTERS.findall(data))))
            self.rows = max(self.rows, _largest(set(numbers)))
        self._check()

    def finish(self) -> None:
        super().finish()
        self._check()

    def _check(self) -> None:
        rows, columns = self.rows + self.unreferenced, self.columns + self.unreferenced
        if columns > MAX_COLUMNS:
            raise Refused(
                f"the sheet has cells as far as column {columns:,}; at most {MAX_COLUMNS:,} columns can be "
                "imported — delete the columns the import does not use"
            )
        if rows * columns > self.max_cells:
            raise Refused(
                f"the sheet's cells reach row {rows:,} and column {columns:,} ({rows * columns:,} cells); "
                f"at most {self.max_cells:,} fit the import limits — delete unused rows and columns"
            )


def _largest(numbers: set[bytes]) -> int:
    """The largest row number; ten digits or more is simply too far (and never parsed)."""
    return _TOO_FAR if max(map(len, numbers)) > 9 else max(map(int, numbers))


def _column(letters: bytes) -> int:
    """1 for A, 26 for Z, 27 for AA, as the letters say, even past Excel's XFD."""
    if not letters:
        return 0  # a row's reference
    if len(letters) > 4:
        return _TOO_FAR
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number

"""Read an uploaded HR export (CSV or XLSX) into a frame of strings with canonical column names.

The reader only decides what the file *says*: which column is which, what text each cell holds
and which spreadsheet row it sits on. Checking the values is the validator's job, so nothing here
is parsed or inferred beyond undoing what Excel does to typed cells (dates, ``1001.0``).

Row numbers are what a spreadsheet shows: the header is normally row 1, blank rows keep their
numbers (they are dropped from the frame afterwards), and a CSV record whose quoted field spans
several physical lines is one row, as Excel shows it. Rows before the header that are blank
shift the numbers the same way they would in Excel. Cells are stripped; empty cells are null.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import fastexcel
import polars as pl

from domain.importing.templates import (
    TEMPLATES,
    Template,
    ValueType,
    fitting_kinds,
    header_key,
    looks_like,
    recognised,
)
from domain.importing.xlsx_guard import MAX_COLUMNS, Refused, check_xlsx

SAVE_AS = "save it as .xlsx or .csv (UTF-8 or GBK)"
BATCH_ROWS = 100_000  # rows per batch: what an import holds at once, whatever the file's size
SHOWN_COLUMNS = 20  # warnings named one by one for ignored columns; the rest are counted
_DATETIME = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$"  # how fastexcel renders a date cell


class FileRejected(ValueError):
    """The file as a whole cannot be read; the message is one clear sentence for HR users (no tracebacks, no internal paths)."""


@dataclass(frozen=True)
class ReadResult:
    frame: pl.DataFrame  # "row" (Int64), then every template column in template order, all String
    warnings: list[str]
    source_format: str  # "csv" or "xlsx"
    encoding: str | None  # "utf-8", "utf-8-sig" or "gb18030" for CSV; None for XLSX


@dataclass
class TableStream:
    """A file read batch by batch: each batch is shaped like ``ReadResult.frame``.

    ``warnings`` is complete once ``batches`` is exhausted (a column without a header is only
    known to hold values when one turns up). Iterating may raise ``FileRejected`` part-way.
    """

    batches: Iterator[pl.DataFrame]
    warnings: list[str]
    source_format: str
    encoding: str | None


def open_table(
    source: bytes | Path,
    filename: str,
    template: Template,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    batch_rows: int = BATCH_ROWS,
) -> TableStream:
    """Open ``source`` (the upload, or a path to it) named ``filename`` by the user.

    CSV is parsed record by record and handed out in batches of ``batch_rows``, so a large file
    never exists as one frame; an XLSX sheet is loaded whole (Excel caps it at 1,048,576 rows),
    once :func:`check_xlsx` has found it within the limits (``max_bytes`` is the upload limit).
    """
    stream = (
        io.BytesIO(bytes(source))
        if isinstance(source, bytes | bytearray | memoryview)
        else open(source, "rb")
    )  # noqa: SIM115
    head = stream.read(8)
    stream.seek(0)
    suffix = Path(filename).suffix.lower()
    if head.startswith(b"PK\x03\x04"):  # content beats the name: a ZIP is an .xlsx workbook
        with stream:
            data = stream.read()
        try:
            check_xlsx(data, template, max_rows=max_rows, max_bytes=max_bytes)
        except Refused as refused:
            raise FileRejected(str(refused)) from None
        raw, first_row = _read_xlsx(data)
        frame, warnings = _shape(raw, first_row, template, "xlsx", max_rows)
        batches = (frame.slice(offset, batch_rows) for offset in range(0, max(frame.height, 1), batch_rows))
        return TableStream(batches, warnings, "xlsx", None)
    try:
        if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
            raise FileRejected(f"old Excel (.xls) and password-protected workbooks cannot be read; {SAVE_AS}")
        if suffix == ".xlsx":
            raise FileRejected(f"the file is not a valid .xlsx workbook; {SAVE_AS}")
        if suffix != ".csv":
            raise FileRejected(f"'{Path(filename).name}' is not a supported file type; {SAVE_AS}")
        encoding = _detect_encoding(stream)
        records = _records(stream, encoding)
        warnings: list[str] = []
        header_row, titles = _header(records)
        if len(titles) > MAX_COLUMNS:
            raise FileRejected(
                f"the header has {len(titles):,} columns; at most {MAX_COLUMNS:,} can be imported — "
                "delete the columns the import does not use"
            )
        columns, unnamed = _map_header(titles, template, warnings)
    except FileRejected:
        stream.close()
        raise
    batches = _csv_batches(
        records, header_row, len(titles), columns, unnamed, template, warnings, max_rows, batch_rows
    )
    return TableStream(batches, warnings, "csv", encoding)


def read_table(
    source: bytes | Path,
    filename: str,
    template: Template,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> ReadResult:
    """The whole file as one frame (small files, tests); large files go through :func:`open_table`."""
    table = open_table(source, filename, template, max_rows=max_rows, max_bytes=max_bytes)
    frame = pl.concat(list(table.batches))
    return ReadResult(frame, table.warnings, table.source_format, table.encoding)


def header_titles(source: bytes | Path, filename: str, *, max_rows: int | None = None) -> list[str]:
    """The header row of a file, to tell what it holds when its name does not say; raises
    :class:`FileRejected` for a file :func:`open_table` would refuse as a whole."""
    data = bytes(source) if isinstance(source, bytes | bytearray | memoryview) else Path(source).read_bytes()
    if data.startswith(b"PK\x03\x04"):
        widest = max(TEMPLATES.values(), key=lambda template: len(template.columns))
        try:
            check_xlsx(data, widest, max_rows=max_rows, max_bytes=len(data))
        except Refused as refused:
            raise FileRejected(str(refused)) from None
        raw, _ = _read_xlsx(data)
        rows = raw.filter(~raw.select(_blank()).to_series())
        return [] if rows.is_empty() else [cell or "" for cell in rows.row(0)]
    stream = io.BytesIO(data)
    _, titles = _header(_records(stream, _detect_encoding(stream)))
    return titles


def _detect_encoding(stream: BinaryIO) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as UTF-8, else GB18030 (a superset of GBK)."""
    if stream.read(3) == b"\xef\xbb\xbf":
        return "utf-8-sig"
    found = None
    for encoding in ("utf-8", "gb18030"):
        stream.seek(0)
        decoder, blank = codecs.getincrementaldecoder(encoding)(), True
        try:
            while chunk := stream.read(1 << 20):
                if chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or chunk.count(b"\x00") * 8 > len(chunk):
                    # UTF-16 ("Unicode text") or a binary file; a stray NUL is a cell's problem (a row error)
                    raise FileRejected(f"the file is not a plain-text CSV; {SAVE_AS}")
                blank = blank and chunk.isspace()
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            found = encoding
            break
        except UnicodeDecodeError:
            continue
    if found is None:
        raise FileRejected(f"the file's text is neither UTF-8 nor GBK; {SAVE_AS}")
    if blank:
        raise FileRejected("the file is empty")
    stream.seek(0)
    return found


def _records(stream: BinaryIO, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row, fields) per CSV record: a quoted field over several lines is one row."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text, strict=True)
    row = 0
    try:
        for row, fields in enumerate(reader, start=1):  # noqa: B007
            yield row, fields
    except csv.Error:  # strict mode: a stray or unclosed quote
        raise FileRejected(
            f"the CSV file has a badly quoted value in or after row {row + 1}; re-save it from Excel"
        ) from None
    finally:
        text.close()


def _is_blank(fields: list[str]) -> bool:
    return not any(field.strip() for field in fields)


def _header(records: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    for row, fields in records:
        if not _is_blank(fields):
            return row, fields
    raise FileRejected("the file is empty")


def _csv_batches(
    records: Iterator[tuple[int, list[str]]],
    header_row: int,
    width: int,
    columns: dict[str, int],
    unnamed: list[int],
    template: Template,
    warnings: list[str],
    max_rows: int | None,
    batch_rows: int,
) -> Iterator[pl.DataFrame]:
    """Batches of rows; the file is parsed strictly to its end, even past ``max_rows``."""
    names = template.names
    indexes = [columns.get(name) for name in names]
    unnamed_with_values: set[int] = set()
    count, yielded = 0, False

    def batch(rows: list[int], records: list[list[str]]) -> pl.DataFrame:
        fields = list(zip(*records, strict=True)) if records else [()] * width  # columns, transposed in C
        data = {"row": pl.Series(rows, dtype=pl.Int64)}
        for name, index in zip(names, indexes, strict=True):
            data[name] = pl.Series(
                fields[index] if index is not None else [None] * len(rows), dtype=pl.String
            )
        text = {name: pl.col(name).str.strip_chars() for name in names}
        return pl.DataFrame(data).select("row", *(pl.when(t != "").then(t).alias(n) for n, t in text.items()))

    rows: list[int] = []
    kept: list[list[str]] = []
    for row, fields in records:
        if not (fields and fields[0].strip()) and _is_blank(fields):  # the first cell decides most rows
            continue
        if len(fields) != width:
            raise FileRejected(f"row {row} has {len(fields)} values but the header has {width} columns")
        count += 1
        if max_rows is not None and count > max_rows:
            continue  # keep parsing: the message gives the real count, and a later broken row still fails
        rows.append(row)
        kept.append(fields)
        for index in unnamed:
            if index not in unnamed_with_values and fields[index].strip():
                unnamed_with_values.add(index)
        if len(rows) == batch_rows:
            yield batch(rows, kept)
            yielded, rows, kept = True, [], []
    if max_rows is not None and count > max_rows:
        raise FileRejected(f"the file has {count} rows; the limit is {max_rows}")
    warnings.extend(_unnamed_warnings([_letter(index) for index in sorted(unnamed_with_values)]))
    if rows or not yielded:
        yield batch(rows, kept)


def _map_header(
    titles: list[str], template: Template, warnings: list[str]
) -> tuple[dict[str, int], list[int]]:
    """Template column → field index; unknown headers warn, duplicates and missing required columns reject."""
    lookup = {key: column for column in template.columns for key in (column.name.lower(), column.zh)}
    found: dict[str, int] = {}
    shown: dict[str, str] = {}
    unnamed: list[int] = []
    unknown: list[str] = []
    for index, title in enumerate(titles):
        title = (title or "").replace("\ufeff", "").strip()
        column = lookup.get(header_key(title)) or lookup.get(title)
        if column is None:
            if title:
                unknown.append(title)
            else:
                unnamed.append(index)
        elif column.name in found:
            raise FileRejected(f"columns '{shown[column.name]}' and '{title}' both give {column.name}")
        else:
            found[column.name], shown[column.name] = index, title
    warnings.extend(
        _capped(
            [f"ignored column '{title}' (not part of the {template.kind} template)" for title in unknown],
            f"columns not part of the {template.kind} template",
        )
    )
    missing = [f"{c.name} ({c.zh})" for c in template.columns if c.required and c.name not in found]
    others = [kind for kind in fitting_kinds(titles) if kind is not template.kind]
    if missing:
        hint = f"; {looks_like(others[0])} (import it as {others[0].value})" if others else ""
        raise FileRejected(f"missing required columns: {', '.join(missing)}{hint}")
    better = [kind for kind in others if len(recognised(TEMPLATES[kind], titles)) > len(found)]
    if better:  # a metrics file holds a departments file's columns too: importing it as one would be wrong
        raise FileRejected(
            f"{looks_like(better[0])}, not {template.kind.value}: import it as {better[0].value}, "
            f"or remove the columns the {template.kind.value} template does not have"
        )
    return found, unnamed


def _capped(messages: list[str], more: str) -> list[str]:
    """The first ``SHOWN_COLUMNS`` messages and a count of the rest: a report stays readable (and small)."""
    if len(messages) <= SHOWN_COLUMNS:
        return messages
    return [*messages[:SHOWN_COLUMNS], f"… and {len(messages) - SHOWN_COLUMNS:,} more {more}"]


def _unnamed_warnings(letters: list[str]) -> list[str]:
    return _capped(
        [f"ignored column {letter}: it has values but no header" for letter in letters],
        "columns with values but no header",
    )


def _blank() -> pl.Expr:
    """True for a row whose cells are all empty or whitespace (Unicode, so the ideographic space too)."""
    return pl.all_horizontal(pl.all().cast(pl.String).str.strip_chars().fill_null("") == "")


def _shape(
    raw: pl.DataFrame, first_row: int, template: Template, fmt: str, max_rows: int | None
) -> tuple[pl.DataFrame, list[str]]:
    """Number a sheet's rows, find the header (first non-blank row), map it, tidy the values.

    ``raw`` has one String column per spreadsheet column, named by its letter, one row per
    spreadsheet row; its first row is spreadsheet row ``first_row``. Numbering comes before
    dropping blank rows.
    """
    blank = raw.select(_blank()).to_series()
    raw = raw.with_row_index("row", offset=first_row).with_columns(pl.col("row").cast(pl.Int64))
    raw = raw.filter(~blank) if blank.any() else raw
    if raw.height == 0:
        raise FileRejected("the file is empty")
    header, data = raw.row(0), raw.slice(1)
    if max_rows is not None and data.height > max_rows:
        raise FileRejected(f"the file has {data.height} rows; the limit is {max_rows}")
    warnings: list[str] = []
    indexes, unnamed = _map_header(list(header[1:]), template, warnings)
    letters = raw.columns[1:]
    warnings.extend(
        _unnamed_warnings(
            [
                letters[index]
                for index in unnamed
                if data.get_column(letters[index]).str.strip_chars().fill_null("").ne("").any()
            ]
        )
    )
    found = {name: letters[index] for name, index in indexes.items()}

    def value(name: str) -> pl.Expr:
        if name not in found:
            return pl.lit(None, pl.String).alias(name)
        text = pl.col(found[name]).cast(pl.String).str.strip_chars()
        kind = template.column(name).type
        if fmt == "xlsx" and kind in (ValueType.DATE, ValueType.PERIOD, ValueType.MONTH):
            # a date cell (Excel also turns a typed "2026-03" into one) → the text the user meant
            width = 10 if kind is ValueType.DATE else 7
            text = pl.when(text.str.contains(_DATETIME)).then(text.str.slice(0, width)).otherwise(text)
        return pl.when(text != "").then(text).alias(name)

    return data.select("row", *(value(name) for name in template.names)), warnings


def _letter(i: int) -> str:
    """Spreadsheet column letters, so warnings point where the user looks: 0 → A, 25 → Z, 26 → AA."""
    return (_letter(i // 26 - 1) if i >= 26 else "") + chr(65 + i % 26)


def _read_xlsx(data: bytes) -> tuple[pl.DataFrame, int]:
    """First sheet, every cell as text, row 1 first (``skip_rows=0`` keeps leading blank rows).

    Reading as strings makes a column that mixes numbers, text and dates safe: fastexcel writes
    integral numbers without ``.0`` (1001 → "1001", 12.5 → "12.5") and dates as
    ``YYYY-MM-DD HH:MM:SS``, which ``_shape`` trims for DATE/PERIOD/MONTH columns.
    """
    try:
        sheet = fastexcel.read_excel(data).load_sheet(0, header_row=None, skip_rows=0, dtypes="string")
        raw = sheet.to_polars()
    except fastexcel.FastExcelError:
        raise FileRejected(f"the file could not be opened as an Excel workbook; {SAVE_AS}") from None
    if raw.width == 0:
        raise FileRejected("the file is empty")
    start = sheet.selected_columns[0].absolute_index  # calamine starts at the first used column
    raw.columns = [_letter(start + i) for i in range(raw.width)]
    return raw, 1

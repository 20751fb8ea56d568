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
import re
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from domain.importing.templates import Template, ValueType

SAVE_AS = "save it as .xlsx or .csv (UTF-8 or GBK)"
_DATETIME = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$"  # how fastexcel renders a date cell


class FileRejected(ValueError):
    """The file as a whole cannot be read; the message is one clear sentence for HR users (no tracebacks, no internal paths)."""


@dataclass(frozen=True)
class ReadResult:
    frame: pl.DataFrame  # "row" (Int64), then every template column in template order, all String
    warnings: list[str]
    source_format: str  # "csv" or "xlsx"
    encoding: str | None  # "utf-8", "utf-8-sig" or "gb18030" for CSV; None for XLSX


def read_table(
    source: bytes | Path, filename: str, template: Template, *, max_rows: int | None = None
) -> ReadResult:
    """Read ``source`` (the upload, or a path to it) named ``filename`` by the user."""
    data = bytes(source) if isinstance(source, bytes | bytearray | memoryview) else Path(source).read_bytes()
    suffix = Path(filename).suffix.lower()
    if not data or data.isspace():  # isspace scans without copying
        raise FileRejected("the file is empty")
    if data.startswith(b"PK\x03\x04"):  # content beats the name: a ZIP is an .xlsx workbook
        (raw, first_row), encoding, fmt = _read_xlsx(data), None, "xlsx"
    elif suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(f"old Excel (.xls) and password-protected workbooks cannot be read; {SAVE_AS}")
    elif suffix == ".csv":
        raw, first_row, encoding = _read_csv(data, max_rows)
        fmt = "csv"
    elif suffix == ".xlsx":
        raise FileRejected(f"the file is not a valid .xlsx workbook; {SAVE_AS}")
    else:
        raise FileRejected(f"'{Path(filename).name}' is not a supported file type; {SAVE_AS}")
    frame, warnings = _shape(raw, first_row, template, fmt, max_rows)
    return ReadResult(frame, warnings, fmt, encoding)


def _blank() -> pl.Expr:
    """True for a row whose cells are all empty or whitespace (Unicode, so the ideographic space too)."""
    return pl.all_horizontal(pl.all().cast(pl.String).str.strip_chars().fill_null("") == "")


def _shape(
    raw: pl.DataFrame, first_row: int, template: Template, fmt: str, max_rows: int | None
) -> tuple[pl.DataFrame, list[str]]:
    """Number the rows, find the header (first non-blank row), map it onto the template, tidy the values.

    ``raw`` has one String column per spreadsheet column, named by its letter, one row per spreadsheet
    row; its first row is spreadsheet row ``first_row``. Numbering comes before dropping blank rows.
    """
    blank = raw.select(_blank()).to_series()
    raw = raw.with_row_index("row", offset=first_row).with_columns(pl.col("row").cast(pl.Int64))
    raw = raw.filter(~blank) if blank.any() else raw
    if raw.height == 0:
        raise FileRejected("the file is empty")
    header, data = raw.row(0), raw.slice(1)
    if max_rows is not None and data.height > max_rows:
        raise FileRejected(f"the file has {data.height} rows; the limit is {max_rows}")

    lookup = {key: column for column in template.columns for key in (column.name.lower(), column.zh)}
    found: dict[str, str] = {}  # template column name -> raw column (letter)
    titles: dict[str, str] = {}
    warnings: list[str] = []
    for letter, title in zip(raw.columns[1:], header[1:], strict=True):
        title = (title or "").replace("\ufeff", "").strip()
        column = lookup.get(title.lower()) or lookup.get(title)
        if column is None:
            if title:
                warnings.append(f"ignored column '{title}' (not part of the {template.kind} template)")
            elif data.get_column(letter).str.strip_chars().fill_null("").ne("").any():
                warnings.append(f"ignored column {letter}: it has values but no header")
        elif column.name in found:
            raise FileRejected(f"columns '{titles[column.name]}' and '{title}' both give {column.name}")
        else:
            found[column.name], titles[column.name] = letter, title
    missing = [f"{c.name} ({c.zh})" for c in template.columns if c.required and c.name not in found]
    if missing:
        raise FileRejected(f"missing required columns: {', '.join(missing)}")

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


def _decode(data: bytes) -> tuple[bytes, str]:
    """UTF-8 payload for polars (which only reads UTF-8) and the encoding it was found in."""
    if b"\x00" in data:  # UTF-16 ("Unicode text") or a binary file
        raise FileRejected(f"the file is not a plain-text CSV; {SAVE_AS}")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], "utf-8-sig"
    decoder, view = codecs.getincrementaldecoder("utf-8")(), memoryview(data)
    try:  # validate in slices: decoding a large file whole would hold a second, wider copy of it
        for start in range(0, len(data), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
        return data, "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030").encode("utf-8"), "gb18030"
    except UnicodeDecodeError:
        raise FileRejected(f"the file's text is neither UTF-8 nor GBK; {SAVE_AS}") from None


def _read_csv(data: bytes, max_rows: int | None) -> tuple[pl.DataFrame, int, str]:
    """Parse with polars, all columns as text; the header is parsed as data so its cells stay as written."""
    payload, encoding = _decode(data)
    if b"\n" not in payload:  # classic Mac line ends
        payload = payload.replace(b"\r", b"\n")
    body = payload.lstrip()  # polars would size the columns from a leading blank line
    first_row = 1 + payload[: len(payload) - len(body)].count(b"\n")

    def parse(n_rows: int | None = None, count: bool = False) -> pl.DataFrame:
        try:
            if count:  # the non-blank rows, streamed rather than held
                lazy = pl.scan_csv(body, has_header=False, infer_schema=False)
                return lazy.filter(~_blank()).select(pl.len()).collect()
            return pl.read_csv(body, has_header=False, infer_schema=False, n_rows=n_rows)
        except pl.exceptions.NoDataError:
            raise FileRejected("the file is empty") from None
        except pl.exceptions.PolarsError as error:
            raise _parse_error(str(error), body, first_row) from None

    cap = None if max_rows is None else max_rows + 2  # header + limit + one more
    raw = parse(cap)
    if cap is not None and raw.height == cap:  # maybe over the limit
        total = parse(count=True).item() - 1
        if total > max_rows:
            raise FileRejected(f"the file has {total} rows; the limit is {max_rows}")
        raw = parse(None)  # blank lines used up the cap
    # polars pads a short row with nulls; only a row ending in a null can be one, so look closer then
    last = raw.get_column(raw.columns[-1])
    if raw.width > 1 and (last.is_null() & ~raw.select(_blank()).to_series()).any():
        _check_widths(body, raw.width, first_row, raw.height)
    raw.columns = [_letter(i) for i in range(raw.width)]
    return raw, first_row, encoding


def _field_counts(body: bytes) -> pl.DataFrame:
    """Fields per CSV record, vectorised: polars pads short rows silently and names no row for long ones.

    A physical line starts a new record unless an odd number of quotes precedes it; separators count
    only outside quotes (polars rejects stray quotes, so every quote it accepted is structural).
    """
    lines = pl.read_csv(  # one physical line per row: no quoting, and NUL cannot occur (it was rejected)
        body,
        has_header=False,
        separator="\x00",
        quote_char=None,
        infer_schema=False,
        empty_string_is_null=False,
    ).to_series()
    quotes = lines.str.count_matches('"', literal=True)
    inside = (quotes.cum_sum() - quotes) % 2 == 1  # the line starts inside a quoted field
    commas = pl.select(
        pl.when(inside).then(0).otherwise(lines.str.count_matches(",", literal=True))
    ).to_series()
    quoted = (quotes > 0).arg_true()
    if quoted.len():  # only lines with quotes need splitting: ones outside quotes alternate with ones inside
        parts = lines.gather(quoted).str.split('"')
        even, odd = (
            parts.list.gather_every(2, k).list.join("").str.count_matches(",", literal=True) for k in (0, 1)
        )
        commas = commas.scatter(
            quoted, pl.select(pl.when(inside.gather(quoted)).then(odd).otherwise(even)).to_series()
        )
    frame = pl.DataFrame(
        {"start": ~inside, "commas": commas.cum_sum(), "blank": lines.str.strip_chars() == ""}
    )
    ends = frame.filter(frame["start"].shift(-1, fill_value=True))  # the last line of each record
    return ends.select(
        fields=pl.col("commas").diff().fill_null(pl.col("commas").first()) + 1,
        blank=pl.col("blank") & pl.col("start"),  # a single blank line
    )


def _check_widths(body: bytes, width: int | None, first_row: int, limit: int | None = None) -> None:
    """Reject the first non-blank record whose field count differs from the header's (``width``)."""
    counts = _field_counts(body).with_row_index("record")
    width = width or counts.item(0, "fields")
    if limit is not None:
        counts = counts.head(limit)
    bad = counts.filter(~pl.col("blank") & (pl.col("fields") != width)).head(1)
    if bad.height:
        record, fields, _ = bad.row(0)
        raise FileRejected(f"row {record + first_row} has {fields} values but the header has {width} columns")


def _parse_error(message: str, body: bytes, first_row: int) -> FileRejected:
    """Turn a polars parse error into one sentence, naming the row when it can be found."""
    if "more fields" in message:
        try:
            _check_widths(body, None, first_row)
        except FileRejected as rejected:
            return rejected
        return FileRejected("a row has more values than the header has columns")
    if "escaped" in message or "malformed" in message:
        field = re.search(r"Field `(.{1,40})", message, re.S)
        snippet = f" near {field.group(1).splitlines()[0]!r}" if field else ""
        return FileRejected(f"the CSV file has a badly quoted value{snippet}; re-save it from Excel")
    return FileRejected(f"the file could not be read as CSV; {SAVE_AS}")

"""Workbooks that cost more to read than they weigh are refused before the reader sees them.

The files are written part by part with ``zipfile`` (xlsxwriter will not write them cheaply).
The unguarded reader is never run on a bomb here: calamine would abort this very process.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from domain.importing.reader import FileRejected, read_table
from domain.importing.templates import TEMPLATES, ImportKind
from tests.domain.importing.conftest import do_import

DEPARTMENTS = TEMPLATES[ImportKind.DEPARTMENTS]
ROOT = Path(__file__).resolve().parents[3]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'


def workbook(rows: str, shared: tuple[str, ...] = (), dimension: str | None = None) -> bytes:
    """A one-sheet workbook whose sheet data is ``rows`` (XML); ``shared`` strings are ``<si>`` contents."""
    sheet = (
        f'<worksheet xmlns="{MAIN}">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{rows}</sheetData></worksheet>"
    )
    strings = "".join(f"<si>{text}</si>" for text in shared)
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">'
        f"{strings}</sst>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + text)
    return buffer.getvalue()


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


FAR_CORNER = workbook(HEADER + f'<row r="1048576">{cell("XFD1048576", "x")}</row>')  # 512 GB to calamine
WIDE = workbook(HEADER + f'<row r="2">{cell("XFD2", "x")}</row>')  # 7.6 s of CPU
DEEP_AND_WIDE = workbook(HEADER + f'<row r="1048576">{cell("ALL1048576", "x")}</row>')  # column 1,000
LONG_STRING = workbook(  # ~1 KB packed, a 1 MB string in the shared strings (the review's was 256 MB)
    HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', shared=(f"<t>{'a' * (1 << 20)}</t>",)
)
LONG_INLINE = workbook(HEADER + f'<row r="2">{cell("A2", "a" * (1 << 20))}</row>')
RICH_STRING = workbook(  # 400 formatted runs of 1,000 characters: one cell's text all the same
    HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
    shared=("".join(f"<r><t>{'a' * 1000}</t></r>" for _ in range(400)),),
)
UNREFERENCED = workbook(
    HEADER + '<row r="2">' + "<c><v>1</v></c>" * 1_200 + "</row>"
)  # placed one after another


def test_the_bomb_files_are_small():
    assert max(map(len, (FAR_CORNER, WIDE, DEEP_AND_WIDE))) < 2_000
    assert len(LONG_STRING) < 10_000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (FAR_CORNER, "cells as far as column 16,384; at most 1,000 columns"),
        (WIDE, "cells as far as column 16,384; at most 1,000 columns"),
        (DEEP_AND_WIDE, r"reach row 1,048,576 and column 1,000 \(1,048,576,000 cells\); at most"),
        (LONG_STRING, "more than 32,767 characters, Excel's own limit"),
        (LONG_INLINE, "more than 32,767 characters, Excel's own limit"),
        (RICH_STRING, "more than 32,767 characters, Excel's own limit"),
        (UNREFERENCED, "cells as far as column 1,20"),
    ],
)
def test_workbooks_beyond_the_limits_are_refused_before_reading(data, message):
    started = time.perf_counter()
    with pytest.raises(FileRejected, match=message) as refused:
        read_table(data, "d.xlsx", DEPARTMENTS)

    assert time.perf_counter() - started < 1
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda: FAR_CORNER,
        lambda: workbook(  # 64 MB of one string, packed in 65 KB
            HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', shared=(f"<t>{'a' * (64 << 20)}</t>",)
        ),
    ],
    ids=["far-corner", "64-MB-string"],
)
def test_a_bomb_is_refused_in_milliseconds_and_megabytes(make, tmp_path):
    """Run in a child process: its peak memory is its own, and a guard that failed would kill only it."""
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(make())
    code = (
        "import resource, sys, time\n"
        "from domain.importing.reader import FileRejected, read_table\n"
        "from domain.importing.templates import TEMPLATES, ImportKind\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "started = time.perf_counter()\n"
        "try:\n"
        "    read_table(data, 'd.xlsx', TEMPLATES[ImportKind.DEPARTMENTS])\n"
        "except FileRejected:\n"
        "    print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", code, str(bomb)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )

    assert child.returncode == 0, child.stderr[-2000:]
    seconds, grown_kb = child.stdout.split()
    assert float(seconds) < 0.5 and int(grown_kb) < 30_000


def test_a_directory_that_understates_a_part_is_refused():
    data = bytearray(workbook(HEADER + f'<row r="2">{cell("A2", "x" * 5_000)}</row>'))
    entry = data.index(b"PK\x01\x02", data.index(b"xl/worksheets/sheet1.xml") - 100)
    while data[entry + 46 : entry + 46 + 24] != b"xl/worksheets/sheet1.xml":
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = (300).to_bytes(4, "little")  # the central directory's size

    with pytest.raises(FileRejected, match="larger than its directory says"):
        read_table(bytes(data), "d.xlsx", DEPARTMENTS)


def test_a_workbook_unpacking_past_ten_times_the_upload_limit_is_refused():
    rows = "".join(f'<row r="{r}">{cell(f"A{r}", f"D{r}")}{cell(f"B{r}", "n")}</row>' for r in range(2, 400))
    data = workbook(HEADER + rows)

    assert read_table(data, "d.xlsx", DEPARTMENTS, max_bytes=len(data)).frame.height == 398
    with pytest.raises(FileRejected, match=r"unpacks to [\d,]+ bytes; the limit is 10,000"):
        read_table(data, "d.xlsx", DEPARTMENTS, max_bytes=1_000)


def test_a_wrong_dimension_and_cells_within_the_limits_are_read_as_usual():
    data = workbook(
        HEADER + f'<row r="3">{cell("A3", "D1")}{cell("B3", "R&amp;D")}</row>', dimension="A1:XFD1048576"
    )

    result = read_table(data, "d.xlsx", DEPARTMENTS)

    assert result.frame.rows() == [(3, "D1", "R&D", None, None)]


def test_the_import_reports_a_bomb_as_a_file_error(engine):
    report = do_import(engine, "departments", FAR_CORNER, name="departments.xlsx")

    assert not report.applied and report.rows_read == 0
    assert [(error.row, error.column) for error in report.errors] == [(0, None)]
    assert "at most 1,000 columns" in report.errors[0].message

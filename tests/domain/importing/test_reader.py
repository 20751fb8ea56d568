from __future__ import annotations

import io
from datetime import date, datetime

import polars as pl
import pytest
import xlsxwriter
from polars.testing import assert_frame_equal

from domain.importing.reader import FileRejected, read_table
from domain.importing.templates import TEMPLATES, ImportKind

EMPLOYEES = TEMPLATES[ImportKind.EMPLOYEES]
OBSERVATIONS = TEMPLATES[ImportKind.OBSERVATIONS]
DEPARTMENTS = TEMPLATES[ImportKind.DEPARTMENTS]


def expected(template, rows: list[int], **columns: list[str | None]) -> pl.DataFrame:
    """The frame the reader should give: every template column, absent ones all null."""
    data = {"row": pl.Series(rows, dtype=pl.Int64)}
    for name in template.names:
        data[name] = pl.Series(columns.get(name, [None] * len(rows)), dtype=pl.String)
    return pl.DataFrame(data)


def xlsx(rows: list[list[object]], start_row: int = 0) -> bytes:
    """A workbook whose first sheet holds ``rows`` as typed cells (None leaves a cell empty)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row):
            if isinstance(value, date | datetime):
                sheet.write_datetime(r, c, value, date_format)
            elif value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


# --- encodings -------------------------------------------------------------------------------


def test_utf8_csv_gives_canonical_string_columns_with_spreadsheet_rows():
    data = b"employee_id,name,department_code,hire_date\n1001,Ann,D1,2024-01-05\n1002,Bob,D2,2024-02-01\n"

    result = read_table(data, "employees.csv", EMPLOYEES)

    assert_frame_equal(
        result.frame,
        expected(
            EMPLOYEES,
            [2, 3],
            employee_id=["1001", "1002"],
            name=["Ann", "Bob"],
            department_code=["D1", "D2"],
            hire_date=["2024-01-05", "2024-02-01"],
        ),
    )
    assert (result.source_format, result.encoding, result.warnings) == ("csv", "utf-8", [])


def test_utf8_with_bom_is_detected_and_the_bom_is_not_part_of_the_first_header(tmp_path):
    path = tmp_path / "depts.csv"
    path.write_bytes("\ufeffcode,name\nD1,研发部\n".encode())

    result = read_table(path, "depts.csv", DEPARTMENTS)

    assert result.encoding == "utf-8-sig"
    assert_frame_equal(result.frame, expected(DEPARTMENTS, [2], code=["D1"], name=["研发部"]))


def test_gbk_csv_with_chinese_headers_and_values():
    data = "部门编码,部门名称,上级部门编码\nD1,研发部,\nD2,销售部,D1\n".encode("gbk")

    result = read_table(data, "部门.csv", DEPARTMENTS)

    assert result.encoding == "gb18030"
    assert_frame_equal(
        result.frame,
        expected(DEPARTMENTS, [2, 3], code=["D1", "D2"], name=["研发部", "销售部"], parent_code=[None, "D1"]),
    )


def test_gb18030_only_characters_are_decoded():
    data = "部门编码,部门名称\nD1,𠮷野家\n".encode("gb18030")

    result = read_table(data, "部门.csv", DEPARTMENTS)

    assert result.encoding == "gb18030"
    assert result.frame["name"].to_list() == ["𠮷野家"]


# --- one table, three files ------------------------------------------------------------------


def _three_files(template, english: list[list[str]], typed: list[list[object]]) -> list:
    header_en = [c.name for c in template.columns[: len(english[0])]]
    header_zh = [c.zh for c in template.columns[: len(english[0])]]
    csv_en = "\n".join(",".join(row) for row in [header_en, *english]) + "\n"
    csv_zh = "\r\n".join(",".join(row) for row in [header_zh, *english]) + "\r\n"
    book = io.BytesIO()
    pl.DataFrame(typed, schema=header_en, orient="row").write_excel(book)
    return [
        read_table(csv_en.encode(), "t.csv", template),
        read_table(csv_zh.encode("gbk"), "t.csv", template),
        read_table(book.getvalue(), "t.xlsx", template),
    ]


def test_employees_as_utf8_csv_gbk_csv_and_xlsx_give_equal_frames():
    english = [["1001", "张三", "D1", "2024-01-05"], ["1002", "李四", "D2", "2023-12-31"]]
    typed = [[1001, "张三", "D1", date(2024, 1, 5)], [1002, "李四", "D2", date(2023, 12, 31)]]

    csv_en, csv_zh, book = _three_files(EMPLOYEES, english, typed)

    assert [r.encoding for r in (csv_en, csv_zh, book)] == ["utf-8", "gb18030", None]
    assert book.source_format == "xlsx"
    assert_frame_equal(csv_en.frame, csv_zh.frame)
    assert_frame_equal(csv_en.frame, book.frame)
    assert book.frame["employee_id"].to_list() == ["1001", "1002"]  # never "1001.0"


def test_observations_with_a_period_typed_as_an_excel_date_give_equal_frames():
    english = [["M1", "2026-03", "D1", "1001", "12.5"], ["M1", "2026-04", "D1", "1002", "3"]]
    typed = [["M1", date(2026, 3, 1), "D1", 1001, 12.5], ["M1", date(2026, 4, 1), "D1", 1002, 3.0]]

    csv_en, csv_zh, book = _three_files(OBSERVATIONS, english, typed)

    assert_frame_equal(csv_en.frame, csv_zh.frame)
    assert_frame_equal(csv_en.frame, book.frame)
    assert book.frame["period"].to_list() == ["2026-03", "2026-04"]
    assert book.frame["value"].to_list() == ["12.5", "3"]


def test_xlsx_columns_that_mix_numbers_text_and_dates_come_out_as_canonical_text():
    data = xlsx(
        [
            ["employee_id", "name", "department_code", "hire_date", "team"],
            [1001, "Ann", "D1", datetime(2024, 1, 5, 13, 30), 7],
            ["E-7", "Bob", 12, "2024-02-03", date(2024, 3, 1)],
            [1003.5, "Cy", "D3", 45000, "A"],
        ]
    )

    frame = read_table(data, "e.xlsx", EMPLOYEES).frame

    assert frame["employee_id"].to_list() == ["1001", "E-7", "1003.5"]
    assert frame["department_code"].to_list() == ["D1", "12", "D3"]
    assert frame["hire_date"].to_list() == [
        "2024-01-05",
        "2024-02-03",
        "45000",
    ]  # the validator rejects 45000
    assert frame["team"].to_list() == ["7", "2024-03-01 00:00:00", "A"]  # a TEXT column keeps a date's text


def test_xlsx_blank_rows_keep_the_numbers_excel_shows():
    data = xlsx([["code", "name"], ["D1", "R&D"], [None, None], ["D2", "  Sales "]], start_row=1)

    frame = read_table(data, "d.xlsx", DEPARTMENTS).frame

    assert_frame_equal(frame, expected(DEPARTMENTS, [3, 5], code=["D1", "D2"], name=["R&D", "Sales"]))


# --- headers ---------------------------------------------------------------------------------


def test_headers_may_mix_languages_and_english_is_case_insensitive():
    data = " Employee_ID ,姓名,DEPARTMENT_CODE,入职日期,Email\nE1,Ann,D1,2024-01-05,a@x.cn\n".encode()

    frame = read_table(data, "e.csv", EMPLOYEES).frame

    assert frame.row(0, named=True) == {
        "row": 2,
        "employee_id": "E1",
        "name": "Ann",
        "department_code": "D1",
        "hire_date": "2024-01-05",
        "email": "a@x.cn",
        "team": None,
        "level": None,
        "manager_id": None,
        "locale": None,
    }


def test_two_headers_for_the_same_column_are_rejected():
    data = "employee_id,name,department_code,hire_date,姓名\nE1,Ann,D1,2024-01-05,Ann\n".encode()

    with pytest.raises(FileRejected, match="columns 'name' and '姓名' both give name"):
        read_table(data, "e.csv", EMPLOYEES)


def test_missing_required_columns_are_all_named_in_both_languages():
    data = b"employee_id,name,email\nE1,Ann,a@x.cn\n"

    with pytest.raises(FileRejected) as rejected:
        read_table(data, "e.csv", EMPLOYEES)

    assert str(rejected.value) == "missing required columns: department_code (部门编码), hire_date (入职日期)"


def test_missing_optional_columns_are_added_as_null_strings():
    frame = read_table(b"code,name\nD1,R&D\n", "d.csv", DEPARTMENTS).frame

    assert frame.columns == ["row", "code", "name", "parent_code", "timezone"]
    assert frame.schema["parent_code"] == pl.String
    assert frame["parent_code"].to_list() == [None]


def test_unknown_columns_are_dropped_with_a_warning_and_empty_headers_only_warn_with_data():
    data = b"code,remark,name,,\nD1,hello,R&D,,x\n"

    result = read_table(data, "d.csv", DEPARTMENTS)

    assert result.frame.columns == ["row", "code", "name", "parent_code", "timezone"]
    assert result.warnings == [
        "ignored column 'remark' (not part of the departments template)",
        "ignored column E: it has values but no header",
    ]


# --- rows and values -------------------------------------------------------------------------


def test_blank_lines_and_multiline_quoted_fields_keep_spreadsheet_row_numbers():
    data = b'\ncode,name\nD1,"Research\n\nand, ""Development"""\n\n  ,\nD2,Sales\n\n'

    frame = read_table(data, "d.csv", DEPARTMENTS).frame

    # row 1 blank, header row 2, D1 row 3 (one row however many lines), blank rows 4 and 5
    assert frame["row"].to_list() == [3, 6]
    assert frame["name"].to_list() == ['Research\n\nand, "Development"', "Sales"]


def test_classic_mac_line_ends_and_whitespace_lines_before_the_header_are_understood():
    data = b" \r\t\rcode,name\rD1,R&D\r\rD2,Sales\r"

    frame = read_table(data, "d.csv", DEPARTMENTS).frame

    assert frame["row"].to_list() == [4, 6]
    assert frame["code"].to_list() == ["D1", "D2"]


def test_values_are_trimmed_and_empty_cells_are_null():
    data = 'code,name,parent_code\r\n  D1 ,\u3000研发部\u3000,   \r\nD2,"",\r\n'.encode()

    frame = read_table(data, "d.csv", DEPARTMENTS).frame

    assert_frame_equal(
        frame,
        expected(DEPARTMENTS, [2, 3], code=["D1", "D2"], name=["研发部", None], parent_code=[None, None]),
    )


def test_header_only_file_gives_no_rows_but_every_column():
    result = read_table("部门编码,部门名称\n".encode(), "d.csv", DEPARTMENTS)

    assert_frame_equal(result.frame, expected(DEPARTMENTS, []))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"code,name\nD1,R&D,extra\n", "row 2 has 3 values but the header has 2 columns"),
        (b"code,name,parent_code\nD1,R&D,\nD2\n", "row 3 has 1 values but the header has 3 columns"),
        (b'code,name\n"D1,R&D\n', "badly quoted value"),
        (b'code,name\n"Q",1\n"A"B,2\n', "badly quoted value"),
    ],
)
def test_ragged_or_badly_quoted_rows_are_rejected(data, message):
    with pytest.raises(FileRejected, match=message):
        read_table(data, "d.csv", DEPARTMENTS)


def test_more_rows_than_the_limit_are_rejected_with_the_count():
    data = b"code,name\n" + b"D,n\n\n" * 6

    with pytest.raises(FileRejected, match="the file has 6 rows; the limit is 5"):
        read_table(data, "d.csv", DEPARTMENTS, max_rows=5)
    with pytest.raises(FileRejected, match="the file has 6 rows; the limit is 5"):
        read_table(xlsx([["code", "name"], *[["D", "n"]] * 6]), "d.xlsx", DEPARTMENTS, max_rows=5)
    assert read_table(data, "d.csv", DEPARTMENTS, max_rows=6).frame.height == 6  # blank lines don't count
    with pytest.raises(FileRejected, match="row 9 has 3 values"):  # past the limit, still parsed strictly
        read_table(b"code,name\n" + b"D,n\n" * 7 + b"D,n,x\n", "d.csv", DEPARTMENTS, max_rows=2)


# --- whole-file rejections -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "d.csv", "the file is empty"),
        (b"\r\n\n", "d.csv", "the file is empty"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
            "d.xls",
            r"old Excel \(\.xls\).*save it as \.xlsx or \.csv",
        ),
        (b"code,name\n", "d.xls", r"save it as \.xlsx or \.csv \(UTF-8 or GBK\)"),
        (b"code,name\n", "d.txt", r"'d.txt' is not a supported file type"),
        (b"code,name\nD1,x\n", "d.xlsx", "not a valid .xlsx workbook"),
        (b"PK\x03\x04\x8f\x00garbage", "d.xlsx", "could not be opened as an Excel workbook"),
        ("code,name\n".encode("utf-16"), "d.csv", "not a plain-text CSV"),
        (b"\x81\x30\xff\xfe\x80\x80", "d.csv", "neither UTF-8 nor GBK"),
    ],
)
def test_unreadable_files_are_rejected_with_one_clear_sentence(data, filename, message):
    with pytest.raises(FileRejected, match=message) as rejected:
        read_table(data, filename, DEPARTMENTS)

    assert "\n" not in str(rejected.value) and "Traceback" not in str(rejected.value)


# --- wide headers ----------------------------------------------------------------------------


def test_a_header_wider_than_the_column_limit_is_refused_with_its_width():
    data = (
        b"code,name,"
        + b",".join(b"x%d" % i for i in range(1_000_000))
        + b"\nD1,n"
        + b",x" * 1_000_000
        + b"\n"
    )

    with pytest.raises(FileRejected, match="the header has 1,000,002 columns; at most 1,000 can be imported"):
        read_table(data, "d.csv", DEPARTMENTS)


def test_warnings_about_ignored_columns_name_the_first_twenty_and_count_the_rest():
    extra = [f"x{i}" for i in range(500)]
    header = ",".join(["code", "name", *extra, *[""] * 300])
    data = f"{header}\nD1,n,{','.join(['v'] * 800)}\n".encode()
    rows = [["code", "name", *extra, *[None] * 300], ["D1", "n", *["v"] * 800]]

    for result in (read_table(data, "d.csv", DEPARTMENTS), read_table(xlsx(rows), "d.xlsx", DEPARTMENTS)):
        assert len(result.warnings) == 42
        assert result.warnings[:2] == [
            "ignored column 'x0' (not part of the departments template)",
            "ignored column 'x1' (not part of the departments template)",
        ]
        assert result.warnings[20] == "… and 480 more columns not part of the departments template"
        assert result.warnings[21] == "ignored column SI: it has values but no header"  # column 503
        assert result.warnings[41] == "… and 280 more columns with values but no header"

"""HR uploads an export through GraphQL (multipart request spec) and reads the report."""

from __future__ import annotations

import json

from domain.models import JobStatus
from tests.domain.importing.test_xlsx_guard import FAR_CORNER, HEADER, cell, workbook
from tests.support.jobs import wait_for_job

MUTATION = """
mutation ($kind: ImportKind!, $file: Upload!, $dryRun: Boolean, $partial: Boolean) {
  importData(kind: $kind, file: $file, dryRun: $dryRun, partial: $partial) {
    kind rowsRead inserted updated unchanged rejected applied dryRun checksum warnings
    errors { row column message }
    job { id status kind }
  }
}"""
PREFLIGHT = {"Apollo-Require-Preflight": "true"}
DEPARTMENTS = "部门编码,部门名称,上级部门编码\nHQ,总部,\nPROD,生产部,HQ\n"


def upload(client, kind: str, content: bytes, name: str, headers=PREFLIGHT, **variables) -> dict:
    operations = {"query": MUTATION, "variables": {"kind": kind, "file": None, **variables}}
    response = client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (name, content, "text/csv")},
        headers=headers,
    )
    return response


def test_an_upload_is_imported_and_its_recomputation_runs(client, engine):
    response = upload(client, "DEPARTMENTS", DEPARTMENTS.encode("gbk"), "部门.csv")

    report = response.json()["data"]["importData"]
    assert report["applied"] and report["errors"] == []
    assert (report["kind"], report["rowsRead"], report["inserted"]) == ("DEPARTMENTS", 2, 2)
    assert report["job"]["kind"] == "recompute"
    assert wait_for_job(engine, report["job"]["id"]).status == JobStatus.SUCCEEDED
    departments = client.post("/graphql", json={"query": "{ departments { code parent { code } } }"}).json()
    assert {"code": "PROD", "parent": {"code": "HQ"}} in departments["data"]["departments"]


def test_a_bad_file_gets_a_report_not_an_error_response(client):
    content = b"code,name,parent_code\nX,,HQ\nY,y,NOPE\n"

    report = upload(client, "DEPARTMENTS", content, "departments.csv").json()["data"]["importData"]

    assert not report["applied"] and report["job"] is None
    assert report["errors"] == [
        {"row": 2, "column": "name", "message": "name is required"},
        {"row": 2, "column": "parent_code", "message": "unknown parent department 'HQ'"},
        {"row": 3, "column": "parent_code", "message": "unknown parent department 'NOPE'"},
    ]


def test_a_file_of_another_kind_is_refused_saying_which(client):
    report = upload(client, "METRICS", DEPARTMENTS.encode(), "export.csv").json()["data"]["importData"]

    assert not report["applied"] and report["job"] is None
    assert [e["row"] for e in report["errors"]] == [0]
    assert "these look like a departments file (import it as departments)" in report["errors"][0]["message"]


def test_a_workbook_bomb_or_a_nul_cell_gets_a_report_and_the_server_lives_on(client):
    bomb = upload(client, "DEPARTMENTS", FAR_CORNER, "departments.xlsx").json()["data"]["importData"]
    nul = workbook(HEADER + f'<row r="2">{cell("A2", "HQ")}{cell("B2", "a_x0000_b")}</row>')
    with_nul = upload(client, "DEPARTMENTS", nul, "departments.xlsx").json()["data"]["importData"]

    assert not bomb["applied"] and bomb["errors"][0]["row"] == 0
    assert "at most 1,000 columns" in bomb["errors"][0]["message"]
    assert not with_nul["applied"] and with_nul["errors"] == [
        {"row": 2, "column": "name", "message": "contains a control character (U+0000) that cannot be stored"}
    ]
    assert upload(client, "DEPARTMENTS", DEPARTMENTS.encode(), "d.csv").json()["data"]["importData"][
        "applied"
    ]


def test_dry_run_over_graphql_writes_nothing(client):
    report = upload(client, "DEPARTMENTS", DEPARTMENTS.encode(), "d.csv", dryRun=True).json()["data"][
        "importData"
    ]

    assert report["dryRun"] and not report["applied"] and report["inserted"] == 2
    assert (
        client.post("/graphql", json={"query": "{ departments { code } }"}).json()["data"]["departments"]
        == []
    )


def test_an_upload_without_the_preflight_header_is_refused(client):
    response = upload(client, "DEPARTMENTS", DEPARTMENTS.encode(), "d.csv", headers={})

    assert response.status_code == 400
    assert "Apollo-Require-Preflight" in response.json()["errors"][0]["message"]


def test_a_request_over_the_size_limit_is_refused_before_parsing(make_client, database_url, engine):
    client = make_client(database_url, engine, SALON_IMPORT_MAX_BYTES="1000")

    response = upload(client, "DEPARTMENTS", b"code,name\n" + b"X,y\n" * 400_000, "d.csv")

    assert response.status_code == 413
    assert "limit" in response.json()["errors"][0]["message"]

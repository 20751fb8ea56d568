"""Relay connections read from SQL a page at a time: the audit log (with filters) and jobs."""

from __future__ import annotations

from tests.api.conftest import act_as, graphql

AUDIT = """query ($after: String, $subject: String, $action: String, $actor: String) {
  auditLogConnection(first: 2, after: $after, subject: $subject, action: $action, actor: $actor) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { actor actions subjects } } } }"""
JOBS = """query ($after: String) { jobsConnection(first: 2, after: $after) {
  totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id kind } } } }"""


def pages(client, query: str, field: str, **variables) -> tuple[list[dict], int]:
    nodes, after = [], None
    while True:
        connection = graphql(client, query, after=after, **variables)["data"][field]
        nodes += [edge["node"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes, connection["totalCount"]
        after = connection["pageInfo"]["endCursor"]


def test_the_audit_log_pages_through_what_the_filters_keep(company):
    for _ in range(3):
        graphql(company, '{ employee(id: "P2") { name } }')
    graphql(company, '{ employee(id: "P1") { name } }')
    graphql(act_as(company, "employee", "P2"), '{ employee(id: "P2") { name } }')

    about_p2, total = pages(company, AUDIT, "auditLogConnection", subject="employee:P2")
    assert total == len(about_p2) == 4
    assert all("employee:P2" in entry["subjects"] for entry in about_p2)

    by_p2, total = pages(company, AUDIT, "auditLogConnection", actor="employee:P2", action="read:")
    assert total == 1 and by_p2[0]["actions"] == ["read:Employee"]
    assert pages(company, AUDIT, "auditLogConnection", subject="employee:P_")[1] == 0  # no wildcards


def test_the_audit_log_and_jobs_are_hr_only(company):
    refused = graphql(act_as(company, "employee", "P2"), AUDIT)
    assert refused["data"] is None and refused["errors"]
    assert graphql(act_as(company, "employee", "P2"), JOBS)["errors"]


def test_jobs_page_newest_first_as_jobs_lists_them(company):
    for _ in range(3):
        graphql(company, "mutation { recompute { id } }")
    listed = [job["id"] for job in graphql(company, "{ jobs(first: 10) { id } }")["data"]["jobs"]]
    paged, total = pages(company, JOBS, "jobsConnection")
    assert [job["id"] for job in paged] == listed and total == len(listed) >= 3

"""The subtraction attack on a gap's drivers, run with a service token over the demo company."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlmodel import Session, select

from domain import models
from domain.disclosure import MIN_SEGMENT, STEP
from domain.models import JobStatus
from tests.api.conftest import act_as, graphql
from tests.support.jobs import wait_for_job

DRIVERS = """query ($period: Period!) {
  departments { code gaps(period: $period) { metric { code } drivers { dimension segment share } } } }"""


@pytest.mark.parametrize("demo_database_url", ["sqlite"], indirect=True)
def test_no_small_segments_share_can_be_subtracted_from_what_a_service_sees(demo_client, demo_engine):
    job = graphql(demo_client, "mutation { recompute { id } }")["data"]["recompute"]
    assert wait_for_job(demo_engine, job["id"], timeout=180).status == JobStatus.SUCCEEDED
    with Session(demo_engine) as session:
        codes = {d.id: d.code for d in session.exec(select(models.Department))}
        metrics = {m.id: m.code for m in session.exec(select(models.Metric))}
        truth: dict[tuple, dict[str, models.GapDriver]] = defaultdict(dict)
        for row in session.exec(select(models.GapDriver).where(models.GapDriver.dimension != "employee")):
            key = (codes[row.department_id], metrics[row.metric_id], row.period, row.dimension)
            truth[key][row.segment] = row
    service = act_as(demo_client, "service", "bi-export")
    seen: dict[tuple, dict[str, float]] = defaultdict(dict)
    periods = graphql(service, "{ periods }")["data"]["periods"]
    for period in periods:
        for department in graphql(service, DRIVERS, period=period)["data"]["departments"]:
            for gap in department["gaps"]:
                for driver in gap["drivers"]:
                    assert driver["dimension"] != "employee"
                    key = (department["code"], gap["metric"]["code"], period, driver["dimension"])
                    seen[key][driver["segment"]] = driver["share"]

    attacked = recovered = 0
    exact: list[tuple] = []
    for key, segments in truth.items():
        small = {name for name, row in segments.items() if row.people < MIN_SEGMENT}
        if not small:
            continue
        attacked += len(small)
        shown = seen.get(key, {})
        missing = set(segments) - set(shown)
        assert not small & set(shown), f"a segment under {MIN_SEGMENT} people is shown: {key}"
        # the attack: the one segment not shown is 1 − Σ(shown); it needs exactly one unknown
        if len(missing) == 1 or (shown and sum(segments[m].people for m in missing) < MIN_SEGMENT):
            recovered += 1
        # rounded: a sum of shown shares is uncertain by several points, never exact
        exact += [(key, share) for share in shown.values() if abs(share / STEP - round(share / STEP)) > 1e-9]
    assert attacked > 0, "the demo company has no small segments: the test proves nothing"
    assert recovered == 0, f"{recovered} of {attacked} small segments recoverable by subtraction"
    assert exact == []

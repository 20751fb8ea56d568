"""Services enqueue by actor name: importing the API, the import service or the scheduler does
not import ``workers.actors`` (whose import declares actors on a broker as a side effect)."""

from __future__ import annotations

import subprocess
import sys

from sqlmodel import Session

from domain.jobs import RECOMPUTE
from domain.models import Job
from workers.jobs import enqueue


def test_the_api_and_the_services_import_no_actor_module():
    probe = (
        "import sys, api.app, api.cli, api.schema, domain.importing.recompute, workers.jobs, workers.scheduler\n"
        "print('workers.actors' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "False"


def test_a_job_is_enqueued_by_its_actors_name(engine):
    job = enqueue(engine, RECOMPUTE, scope={"periods": ["2026-09"]})

    with Session(engine) as session:
        stored = session.get(Job, job.id)
    assert (stored.actor, stored.args) == ("recompute", {"scope": {"periods": ["2026-09"]}})

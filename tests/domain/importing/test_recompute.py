"""The import-then-recompute service lives in ``domain``: it commits the recompute job with the
import's rows and leaves the sending (Dramatiq) to its caller."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from domain.importing.recompute import import_and_recompute
from domain.importing.templates import ImportKind
from domain.jobs import RECOMPUTE
from domain.models import Job, JobStatus
from domain.settings import load_settings
from tests.domain.importing.conftest import SECRET, csv

OBSERVATIONS = (
    "metric_code,period,department_code,employee_id,value,numerator,denominator\n"
    "defect_rate,2026-09,PROD,E1,0.01,1,100\n"
)


def test_domain_imports_neither_dramatiq_nor_an_actor_module():
    probe = (
        "import importlib, pkgutil, sys, domain\n"
        "names = [m.name for m in pkgutil.walk_packages(domain.__path__, 'domain.')\n"
        "         if not m.name.startswith('domain.migrations')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print('domain.importing.recompute' in names, 'dramatiq' in sys.modules,"
        " 'workers.actors' in sys.modules, 'workers.relay' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert result.stdout.split() == ["True", "False", "False", "False"]


def test_the_recompute_job_is_committed_with_the_import_then_handed_to_send(org: Engine):
    sent: list[tuple[str, str, tuple]] = []

    def send(engine: Engine, job_id: str) -> None:
        with Session(engine) as session:  # a new connection: the job must be committed already
            job = session.get(Job, job_id)
            sent.append((job.actor, job.status, tuple(job.args["scope"]["periods"])))

    settings = load_settings({"SALON_SECRET_KEY": SECRET})
    report = import_and_recompute(
        org, settings, ImportKind.OBSERVATIONS, csv(OBSERVATIONS), "obs.csv", send=send
    )

    assert report.applied and report.job_id, report.errors
    assert sent == [(RECOMPUTE, JobStatus.QUEUED, ("2026-09",))]


def test_a_dry_run_writes_no_job_and_sends_nothing(org: Engine):
    sent: list[str] = []
    settings = load_settings({"SALON_SECRET_KEY": SECRET})

    report = import_and_recompute(
        org,
        settings,
        ImportKind.OBSERVATIONS,
        csv(OBSERVATIONS),
        "obs.csv",
        send=lambda engine, job_id: sent.append(job_id),
        dry_run=True,
    )

    assert not report.applied and report.job_id is None and sent == []
    with Session(org) as session:
        assert session.exec(select(func.count()).select_from(Job)).one() == 0

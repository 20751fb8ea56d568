"""Enqueueing: the Job row is committed first, then the message is sent.

That order means a worker never receives a job it cannot find, and a crash between the two
leaves a QUEUED row that the next start-up sends again.
"""

from __future__ import annotations

from typing import Any

import dramatiq
from sqlalchemy import Engine

from domain.db import session_scope
from domain.jobs import create_job
from domain.models import Job


def enqueue(engine: Engine, actor: dramatiq.Actor, **args: Any) -> Job:
    with session_scope(engine) as session:
        job = create_job(session, actor.actor_name, args)
    actor.send_with_options(kwargs={**args, "job_id": job.id})
    return job

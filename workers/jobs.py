"""Enqueueing through the outbox: the Job row is committed unsent, then sent once right away.

A worker never receives a job it cannot find (the row is committed first), and a refused send
or a crash between the two leaves an unsent QUEUED row that a relay sends later
(``workers.relay``): the caller gets its job either way, never an error for work accepted.
"""

from __future__ import annotations

from typing import Any

import dramatiq
from sqlalchemy import Engine

from domain.db import session_scope
from domain.jobs import create_job
from domain.models import Job
from workers.relay import send_now


def enqueue(engine: Engine, actor: str | dramatiq.Actor, **args: Any) -> Job:
    """Create the job for ``actor`` (its name, or the actor) and send it by name."""
    name = actor if isinstance(actor, str) else actor.actor_name
    with session_scope(engine) as session:
        job = create_job(session, name, args)
    send_now(engine, job.id, None if isinstance(actor, str) else actor.broker)
    return job

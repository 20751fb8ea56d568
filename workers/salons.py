"""The planning actor's body: the plugins are loaded per job, so a newly installed plugin is
used without restarting the workers, and a broken one fails the job with its name."""

from __future__ import annotations

from workers import runtime


def plan(job_id: str, month: str, department_codes: list[str] | None, formats: list[str] | None) -> dict:
    from domain.salons.planning import plan_month

    settings = runtime.settings()
    return plan_month(
        runtime.engine(), month, department_codes, formats, default_locale=settings.locale, job_id=job_id
    )

"""Planning a month: facts from the database, the plugins' policy, salons written back.

Idempotent: a department's salon for the month is rewritten in place while it is PROPOSED,
removed when nothing fits any more, and left alone once it has moved on (scheduled, held,
closed, cancelled) or people have edited it (:func:`planned_by_us`). Running twice gives the
same salons with the same ids. A re-plan restricted to some formats leaves the proposals of
other formats alone (it was not asked about them), and every proposal a plan removes or
replaces with another format is listed in its result (``removed``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import pluggy
from sqlalchemy import Engine
from sqlmodel import Session, col, delete, or_, select

from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.models import Department, DepartmentValue, Salon, SalonDepartment, SalonStatus, utcnow
from domain.periods import Period
from domain.salons.content import AgendaEntry, SalonContent, SalonTexts, StoredTopic
from domain.salons.facts import load_facts
from domain.salons.fits import TopicFits, stored_fits
from domain.salons.periods import check_plannable, data_period
from domain.salons.planner import Plan, PlannedSalon, failure_summary, plan, preparers, rebuilder
from domain.salons.sharing import share_hosted
from domain.salons.store import claim_month
from domain.salons.topics import topic_title
from plugins.context import Context
from plugins.facts import Facts
from plugins.i18n import LOCALES
from plugins.registry import get_plugin_manager, load_formats
from plugins.topics import Topic

MAX_DEPARTMENT_CODES = 2000  # more than any organisation's departments; bounds the job's payload
SHOWN_UNKNOWN = 20  # unknown codes or keys named in a refusal; the count says how many more


def check_plan(
    session: Session,
    month: Period,
    department_codes: Collection[str] | None,
    format_keys: Collection[str] | None,
    known_formats: Collection[str],
) -> None:
    """Refuse a planning request that cannot run, naming the argument at fault (``field``): a
    month planning cannot mean, unknown format keys, too many or unknown department codes.

    Checked where a plan is asked for (the API, before queuing the job) and where it runs (the
    job, which may be queued otherwise). The database is read last, and only for department
    codes: all codes are read, not an ``IN`` of the caller's (which may hold thousands)."""
    check_plannable(month)
    if format_keys is not None and (unknown := sorted(set(format_keys) - set(known_formats))):
        raise InvalidArgument(
            f"unknown format key(s) {unknown[:SHOWN_UNKNOWN]}; known: {sorted(known_formats)}",
            field="formats",
        )
    if department_codes is None:
        return
    if len(department_codes) > MAX_DEPARTMENT_CODES:
        raise InvalidArgument(
            f"at most {MAX_DEPARTMENT_CODES} codes, got {len(department_codes)}", field="department_codes"
        )
    unknown = sorted(set(department_codes) - set(session.exec(select(Department.code))))
    if unknown:
        more = f" and {len(unknown) - SHOWN_UNKNOWN} more" if len(unknown) > SHOWN_UNKNOWN else ""
        raise InvalidArgument(
            f"unknown department(s) {unknown[:SHOWN_UNKNOWN]}{more}", field="department_codes"
        )


def months_with_data(session: Session) -> list[str]:
    return list(session.exec(select(DepartmentValue.period).distinct()))


def resolve_period(session: Session, month: Period) -> Period | None:
    return data_period(month, months_with_data(session))


def topic_record(topic: Topic, facts: Facts, fits: TopicFits | None = None) -> StoredTopic:
    context = Context(facts, topic.department_code, LOCALES[0])
    return StoredTopic(
        key=topic.key,
        kind=topic.kind,
        metric_code=topic.metric_code,
        skill=topic.skill,
        severity=topic.severity,
        period=topic.period,
        titles={locale: topic_title(topic, context.in_locale(locale)) for locale in LOCALES},
        fits=stored_fits(fits),
    )


def _content(salon: PlannedSalon) -> SalonContent:
    first = next(iter(salon.drafts.values()))
    texts = {
        locale: SalonTexts(
            title=draft.title,
            agenda=tuple(AgendaEntry(title=item.title, minutes=item.minutes) for item in draft.agenda),
            questions=tuple(draft.questions),
            charts=tuple(draft.charts),
        )
        for locale, draft in salon.drafts.items()
    }
    return SalonContent(
        texts=texts,
        presenters=tuple(first.presenters),
        participants=tuple(first.participants),
        groups=tuple(tuple(group) for group in first.groups),
    )


def plan_month(
    engine: Engine,
    month: str,
    department_codes: Sequence[str] | None = None,
    format_keys: Sequence[str] | None = None,
    *,
    manager: pluggy.PluginManager | None = None,
    default_locale: str = LOCALES[0],
    job_id: str | None = None,
) -> dict[str, Any]:
    """Plan ``month`` (YYYY-MM) for the departments (default all); the summary is the Job's result."""
    target = Period.parse(month)
    manager = manager or get_plugin_manager()
    formats = load_formats(manager)
    with Session(engine) as session:
        check_plan(session, target, department_codes, format_keys, formats)
        if format_keys is not None:
            formats = {key: formats[key] for key in format_keys}
        departments = {d.code: d.id for d in session.exec(select(Department))}
        codes = sorted(departments if department_codes is None else set(department_codes))
        settled = set(
            session.exec(
                select(Salon.department_id).where(
                    Salon.month == str(target),
                    or_(Salon.status != SalonStatus.PROPOSED.value, col(Salon.edited_by).is_not(None)),
                )
            )
        )
        other_formats = _other_formats(session, str(target), format_keys)
        open_codes = [code for code in codes if departments[code] not in settled | other_formats]
        period = resolve_period(session, target)
        summary: dict[str, Any] = {
            "month": str(target),
            "period": str(period) if period else None,
            "kept": sorted(code for code in codes if departments[code] in settled),
            "other_formats": sorted(code for code in codes if departments[code] in other_formats - settled),
            "removed": [],
        }
        if period is None:
            return {
                **summary,
                "salons": [],
                "problems": [],
                "note": "no department values before this month: nothing to plan from",
            }
        facts = load_facts(session, target, period, series_departments=open_codes)
    prepare = preparers(manager)
    result: Plan = plan(facts, formats, open_codes, LOCALES, default_locale, prepare)
    rebuild = rebuilder(facts, formats, result.problems, LOCALES, default_locale, prepare)
    result.salons, joined = share_hosted(result.salons, rebuild)
    kept, removed = _store(
        engine, target, facts, result, open_codes, departments, job_id, format_keys, joined
    )
    return {
        **summary,
        "removed": removed,
        "salons": [
            {
                "department": s.department_code,
                "format": s.format_key,
                "topic": s.topic.key,
                "departments": list(next(iter(s.drafts.values())).departments),
            }
            for s in result.salons
        ],
        "problems": [p.to_json() for p in result.problems],
        **failure_summary(result.problems, kept),
    }


def planned_by_us(salon: Salon) -> bool:
    """Planning owns a salon while it is PROPOSED and nobody has edited it."""
    return salon.status == SalonStatus.PROPOSED.value and salon.edited_by is None


def _other_formats(session: Session, month: str, format_keys: Collection[str] | None) -> set[int]:
    """Departments whose proposal is of a format a restricted re-plan was not asked to plan."""
    if format_keys is None:
        return set()
    return set(
        session.exec(
            select(Salon.department_id).where(Salon.month == month, col(Salon.format_key).not_in(format_keys))
        )
    )


def _removal(code: str, salon: Salon, replaced_by: str | None) -> dict[str, Any]:
    return {
        "department": code,
        "format": salon.format_key,
        "topic": StoredTopic.from_json(salon.topic).key if salon.topic else None,
        "replaced_by": replaced_by,
    }


def _store(
    engine,
    month: Period,
    facts: Facts,
    result: Plan,
    codes,
    departments,
    job_id,
    format_keys=None,
    joined=None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Write the plan. Returns the departments whose proposal was kept because plugins failed
    there and nothing else fitted (removing it would let a broken plugin wipe a department's
    salon), and the proposals removed or replaced by another format, for the result."""
    planned = {salon.department_code: salon for salon in result.salons}
    troubled = {problem.department_code for problem in result.problems}
    kept: list[str] = []
    removed: list[dict[str, Any]] = []
    with session_scope(engine) as session:
        claim_month(session, str(month))  # a concurrent planning of the month waits here
        for code in codes:
            department_id = departments[code]
            existing = session.exec(
                select(Salon)
                .where(Salon.month == str(month), Salon.department_id == department_id)
                .with_for_update()
            ).first()
            if existing is not None and not planned_by_us(existing):
                continue  # settled by people since the plan started
            if existing is not None and format_keys is not None and existing.format_key not in format_keys:
                continue  # another format's proposal, made since the plan started
            salon = planned.get(code)
            if salon is None:
                if existing is not None and code in troubled:
                    kept.append(code)
                elif existing is not None:
                    removal = _removal(code, existing, None)
                    if joined and code in joined:  # it attends the salon it shares with others
                        removal |= {"replaced_by": planned[joined[code]].format_key, "attends": joined[code]}
                    removed.append(removal)
                    session.delete(existing)
                continue
            if existing is not None and existing.format_key != salon.format_key:
                removed.append(_removal(code, existing, salon.format_key))
            draft = next(iter(salon.drafts.values()))
            row = existing or Salon(
                month=str(month), department_id=department_id, format_key="", fit=0, data_period=""
            )
            row.format_key = salon.format_key
            row.fit = salon.fit
            row.data_period = facts.period
            row.host_department_id = departments.get(draft.host_department) if draft.host_department else None
            row.topic = topic_record(salon.topic, facts, salon.fits).to_json()
            row.content = _content(salon).to_json()
            row.job_id = job_id
            row.updated_at = utcnow()
            session.add(row)
            session.flush()
            session.exec(delete(SalonDepartment).where(col(SalonDepartment.salon_id) == row.id))
            for attending in dict.fromkeys(draft.departments):
                session.add(SalonDepartment(salon_id=row.id, department_id=departments[attending]))
    return kept, removed


def topics_for(session: Session, department_code: str, month: str) -> tuple[Facts | None, list[Topic]]:
    """The department's ranked topics for planning ``month`` (none without data before it)."""
    from domain.salons.planner import department_topics

    target = Period.parse(month)
    if not target.is_month:
        raise InvalidArgument(f"topics are planned for a month (YYYY-MM), got {month!r}", field="month")
    if session.exec(select(Department.id).where(Department.code == department_code)).first() is None:
        raise InvalidArgument(f"unknown department {department_code!r}", field="department_code")
    period = resolve_period(session, target)
    if period is None:
        return None, []
    facts = load_facts(
        session, target, period, series_departments=(department_code,)
    )  # as planning reads them
    return facts, department_topics(facts, department_code)

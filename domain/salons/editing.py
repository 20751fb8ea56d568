"""People editing a planned salon: its title, agenda, questions and who takes part.

An edited salon belongs to people from then on (``edited_by``, ``edited_at``): re-planning the
month leaves it as they wrote it (``domain.salons.planning``). Only a salon still PROPOSED or
SCHEDULED is edited: once held, its record is its outcome.

A salon is stored in every shipped locale; people edit it in one, the ``locale`` they read it
in. The rule, text by text (the title, each agenda item, each question):

- a text people changed replaces that text in *every* locale, as they wrote it: a planned
  translation of the old text would contradict them, and an edit seen in one language only
  would be lost for everyone reading another;
- a text they sent back as they read it (a form sends every field) is not an edit: each locale
  keeps its own translation of it — an agenda item matched by its title (its minutes may
  change), a question by its words;
- the charts stay as planned.

So the salon reads the same in every language wherever people changed it, and stays translated
wherever they did not.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session

from domain.models import Salon, SalonStatus, utcnow
from domain.organisation import people_in
from domain.salons.content import AgendaEntry, SalonContent, SalonTexts
from domain.salons.lifecycle import ATTENDEE_LIMIT, clean_texts, salon_people_departments
from domain.salons.store import SalonError, editable_salon, invite

TITLE_LIMIT = 200
MAX_MINUTES = 8 * 60  # one agenda item within a working day


@dataclass(frozen=True)
class SalonEdit:
    """What to change; None keeps the salon's own."""

    title: str | None = None
    agenda: Sequence[AgendaEntry] | None = None
    questions: Sequence[str] | None = None
    presenter_ids: Sequence[str] | None = None
    participant_ids: Sequence[str] | None = None
    groups: Sequence[Sequence[str]] | None = None

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


def _title(value: str) -> str:
    title = value.strip()
    if not title:
        raise SalonError("must not be empty", field="title")
    if len(title) > TITLE_LIMIT:
        raise SalonError(f"at most {TITLE_LIMIT} characters", field="title")
    return title


def _agenda(entries: Sequence[AgendaEntry]) -> tuple[AgendaEntry, ...]:
    titles = clean_texts([e.title for e in entries], "agenda", required=True)
    if len(titles) != len(entries):
        raise SalonError("two items have the same title", field="agenda")
    for index, entry in enumerate(entries):
        if not 1 <= entry.minutes <= MAX_MINUTES:
            raise SalonError(
                f"item {index + 1}: minutes must be between 1 and {MAX_MINUTES}, got {entry.minutes}",
                field="agenda",
            )
    return tuple(AgendaEntry(title, e.minutes) for title, e in zip(titles, entries, strict=True))


def _groups(groups: Sequence[Sequence[str]], participants: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Working groups of participants, each in one group at most."""
    cleaned, seen = [], set()
    for index, group in enumerate(groups):
        members = clean_texts(group, "groups", most=ATTENDEE_LIMIT, required=True)
        if stray := [m for m in members if m not in participants]:
            raise SalonError(f"group {index + 1}: not a participant: {', '.join(stray)}", field="groups")
        if twice := [m for m in members if m in seen]:
            raise SalonError(
                f"group {index + 1}: already in another group: {', '.join(twice)}", field="groups"
            )
        seen.update(members)
        cleaned.append(members)
    return tuple(cleaned)


def _people(session: Session, salon: Salon, content: SalonContent, change: SalonEdit) -> dict[str, Any]:
    presenters, participants = content.presenters, content.participants
    if change.presenter_ids is not None:
        presenters = clean_texts(change.presenter_ids, "presenter_ids", most=ATTENDEE_LIMIT)
    if change.participant_ids is not None:
        participants = clean_texts(change.participant_ids, "participant_ids", most=ATTENDEE_LIMIT)
    where = salon_people_departments(session, salon)
    whose = "the salon's departments and its host"
    if change.presenter_ids is not None:
        people_in(session, presenters, where, field="presenter_ids", whose=whose)
    if change.participant_ids is not None:
        people_in(session, participants, where, field="participant_ids", whose=whose)
    if both := sorted(set(presenters) & set(participants)):
        raise SalonError(f"both presenter and participant: {', '.join(both)}", field="participant_ids")
    if change.groups is not None:
        groups = _groups(change.groups, participants)
    else:  # who left the salon leaves their group; a group left empty goes
        kept = (tuple(m for m in group if m in participants) for group in content.groups)
        groups = tuple(group for group in kept if group)
    return {"presenters": presenters, "participants": participants, "groups": groups}


def _kept(sent: str, seen: Sequence[str], own: Sequence[str]) -> str:
    """``sent`` as this locale says it when it is a text the editor saw unchanged, else as sent."""
    if sent in seen and (index := list(seen).index(sent)) < len(own):
        return own[index]
    return sent


def _edited_texts(
    content: SalonContent,
    locale: str,
    title: str | None,
    agenda: Sequence[AgendaEntry] | None,
    questions: Sequence[str] | None,
) -> dict[str, SalonTexts]:
    """Every locale's texts after the edit made in ``locale`` (the module's rule)."""
    seen = content.texts_in(locale)
    seen_items = [entry.title for entry in seen.agenda]
    texts = {}
    for where, own in content.texts.items():
        own_items = [entry.title for entry in own.agenda]
        texts[where] = replace(
            own,
            title=own.title if title is None or title == seen.title else title,
            agenda=own.agenda
            if agenda is None
            else tuple(AgendaEntry(_kept(e.title, seen_items, own_items), e.minutes) for e in agenda),
            questions=own.questions
            if questions is None
            else tuple(_kept(q, seen.questions, own.questions) for q in questions),
        )
    return texts


def edit(
    session: Session,
    salon_id: int,
    change: SalonEdit,
    edited_by: str,
    department_ids: Collection[int] | None = None,
    locale: str | None = None,
) -> Salon:
    """Apply ``change``, made by people reading the salon in ``locale`` (default: the salon's
    default locale), to a PROPOSED or SCHEDULED salon one of ``department_ids`` attends."""
    if change.empty:
        raise SalonError("nothing to change: give at least one field", field="input")
    salon = editable_salon(session, salon_id, department_ids, "edited")
    content = SalonContent.from_json(salon.content)
    title = _title(change.title) if change.title is not None else None
    agenda = _agenda(change.agenda) if change.agenda is not None else None
    questions = clean_texts(change.questions, "questions") if change.questions is not None else None
    texts = _edited_texts(content, locale or next(iter(content.texts)), title, agenda, questions)
    content = replace(content, texts=texts, **_people(session, salon, content, change))
    now = utcnow()
    salon.content = content.to_json()
    salon.edited_by, salon.edited_at, salon.updated_at = edited_by, now, now
    session.add(salon)
    session.flush()
    if salon.status == SalonStatus.SCHEDULED.value:
        invite(session, salon)  # its people were invited: who was added or removed hears, the rest an update
    return salon

"""People editing a planned salon: texts in every locale, people checked, the salon theirs from then on."""

from __future__ import annotations

import pytest

from domain.db import session_scope
from domain.errors import InvalidArgument
from domain.models import SalonStatus
from domain.salons.content import AgendaEntry, SalonContent
from domain.salons.editing import SalonEdit, edit
from tests.support import follow_up
from tests.support.follow_up import add_salon


@pytest.fixture
def ids(engine):
    return follow_up.build(engine)


def editing(engine, salon_id, change, department_ids=None):
    with session_scope(engine) as session:
        edit(session, salon_id, change, "P1", department_ids)
    return follow_up.salon(engine, salon_id)


def test_edited_texts_replace_every_locales_and_the_charts_stay(engine, ids):
    salon_id = add_salon(engine)

    row = editing(
        engine,
        salon_id,
        SalonEdit(
            title=" 不良率复盘 ",
            agenda=[AgendaEntry("Numbers", 15), AgendaEntry("Causes", 30)],
            questions=["Why nights?", "Why nights?", "Which gauge?"],
        ),
    )

    content = SalonContent.from_json(row.content)
    for locale in ("zh-CN", "en"):
        texts = content.texts[locale]
        assert texts.title == "不良率复盘"
        assert texts.agenda == (AgendaEntry("Numbers", 15), AgendaEntry("Causes", 30))
        assert texts.questions == ("Why nights?", "Which gauge?")
        assert texts.charts == ({"title": "Defect rate", "mark": "bar"},)
    assert content.participants == ("P2",)  # people untouched
    assert row.edited_by == "P1" and row.edited_at is not None and row.status == "PROPOSED"


def test_people_are_checked_and_groups_follow_the_participants(engine, ids):
    salon_id = add_salon(engine, host="CS", participants=("P2", "A1"), groups=(("P2", "A1"),))

    row = editing(engine, salon_id, SalonEdit(presenter_ids=["C1"], participant_ids=["P2", "P1"]))

    content = SalonContent.from_json(row.content)
    assert content.presenters == ("C1",) and content.participants == ("P2", "P1")
    assert content.groups == (("P2",),)  # A1 left; P1 is in no group until people say so
    row = editing(engine, salon_id, SalonEdit(groups=[["P2"], ["P1"]]))
    assert SalonContent.from_json(row.content).groups == (("P2",), ("P1",))


@pytest.mark.parametrize(
    ("state", "change", "refusal"),
    [
        ({}, SalonEdit(), "input: nothing to change: give at least one field"),
        (
            {"status": SalonStatus.HELD},
            SalonEdit(title="x"),
            "salon_id: salon {id} is HELD and can no longer be edited",
        ),
        ({}, SalonEdit(title="  "), "title: must not be empty"),
        ({}, SalonEdit(title="x" * 201), "title: at most 200 characters"),
        (
            {},
            SalonEdit(agenda=[AgendaEntry("a", 0)]),
            "agenda: item 1: minutes must be between 1 and 480, got 0",
        ),
        (
            {},
            SalonEdit(agenda=[AgendaEntry("a", 5), AgendaEntry("a", 5)]),
            "agenda: two items have the same title",
        ),
        (
            {},
            SalonEdit(participant_ids=["P2", "C1"]),
            "participant_ids: outside the salon's departments and its host: 'C1'",
        ),
        ({}, SalonEdit(presenter_ids=["P2"]), "participant_ids: both presenter and participant: P2"),
        ({}, SalonEdit(groups=[["P2"], ["P1"]]), "groups: group 2: not a participant: P1"),
        ({}, SalonEdit(groups=[["P2"], ["P2"]]), "groups: group 2: already in another group: P2"),
    ],
)
def test_an_edit_is_refused_with_its_reason_and_nothing_changes(engine, ids, state, change, refusal):
    salon_id = add_salon(engine, **state)
    before = follow_up.salon(engine, salon_id)

    with pytest.raises(InvalidArgument) as refused:
        editing(engine, salon_id, change)

    assert str(refused.value) == refusal.format(id=salon_id)
    after = follow_up.salon(engine, salon_id)
    assert after.content == before.content and after.edited_by is None


def test_a_manager_edits_only_salons_their_departments_attend(engine, ids):
    salon_id = add_salon(engine)

    with pytest.raises(InvalidArgument, match=f"no salon {salon_id} that your departments attend"):
        editing(engine, salon_id, SalonEdit(title="x"), department_ids={ids["CS"]})
    assert editing(engine, salon_id, SalonEdit(title="x"), department_ids={ids["PROD"]}).edited_by == "P1"


def _invitation_jobs(engine) -> list[dict]:
    from sqlmodel import Session, col, select

    from domain.jobs import SYNC_INVITATIONS
    from domain.models import Job

    with Session(engine) as session:
        rows = session.exec(select(Job).where(Job.actor == SYNC_INVITATIONS).order_by(col(Job.created_at)))
        return [row.args for row in rows]


def test_editing_a_scheduled_salon_tells_its_people_and_a_proposed_one_tells_no_one(engine, ids):
    scheduled = add_salon(engine, status=SalonStatus.SCHEDULED)
    proposed = add_salon(engine, department="CS")

    editing(engine, proposed, SalonEdit(title="Complaints, again"))
    assert _invitation_jobs(engine) == []

    editing(engine, scheduled, SalonEdit(participant_ids=["P2", "P1"]))
    assert _invitation_jobs(engine) == [{"salon_id": scheduled}]


def test_an_edit_in_one_language_replaces_what_changed_everywhere_and_keeps_the_other_translations(
    engine, ids
):
    """Stored in three languages, edited by someone reading Japanese who sends the whole form
    back: the new title and the new item and question read the same in every language; the
    item and question sent back unchanged keep each language's own words (the item its new minutes)."""
    from domain.db import session_scope as scope
    from domain.models import Salon
    from domain.salons.content import SalonTexts

    salon_id = add_salon(engine)
    planned = {
        locale: SalonTexts(title=f"title {locale}", agenda=(AgendaEntry(f"numbers {locale}", 20),),
                           questions=(f"why {locale}?",), charts=({"title": "c", "mark": "bar"},))
        for locale in ("zh-CN", "en", "ja")
    }  # fmt: skip
    with scope(engine) as session:
        row = session.get(Salon, salon_id)
        row.content = SalonContent(texts=planned, participants=("P2",)).to_json()

    with scope(engine) as session:
        edit(
            session,
            salon_id,
            SalonEdit(
                title="不良率の振り返り",
                agenda=[AgendaEntry("numbers ja", 30), AgendaEntry("夜勤の話", 10)],
                questions=["why ja?", "なぜ夜勤？"],
            ),
            "P1",
            locale="ja",
        )

    content = SalonContent.from_json(follow_up.salon(engine, salon_id).content)
    for locale in ("zh-CN", "en", "ja"):
        texts = content.texts[locale]
        assert texts.title == "不良率の振り返り"
        assert texts.agenda == (AgendaEntry(f"numbers {locale}", 30), AgendaEntry("夜勤の話", 10))
        assert texts.questions == (f"why {locale}?", "なぜ夜勤？")
    assert (
        content.texts_in("de").title == "不良率の振り返り"
    )  # a language never stored: the default's, edited too


def test_a_title_sent_back_unchanged_keeps_every_languages_own(engine, ids):
    salon_id = add_salon(engine)
    with session_scope(engine) as session:
        edit(session, salon_id, SalonEdit(title="en title", questions=["Which gauge?"]), "P1", locale="en")

    content = SalonContent.from_json(follow_up.salon(engine, salon_id).content)
    assert (content.texts["en"].title, content.texts["zh-CN"].title) == ("en title", "zh-CN title")
    assert content.texts["zh-CN"].questions == content.texts["en"].questions == ("Which gauge?",)

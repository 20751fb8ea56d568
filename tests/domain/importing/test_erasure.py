"""An erased person stays erased when the EHR's exports are imported again, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from domain import privacy
from domain.importing.erasure import WITHHELD_WARNING
from domain.models import Feedback
from tests.domain.importing.conftest import EMPLOYEES, SECRET, do_import

FEEDBACK = (
    "employee_id,period,metric_code,text,tags,department_code\n"
    "E2,2026-09,defect_rate,新人培训太短,training,\n"
    "E1,2026-09,defect_rate,设备需要维护,equipment,\n"
)
GROWTH = (
    "employee_id,date,kind,skill,score,note\n"
    "E2,2026-07-01,skill_assessment,quality_control,3,李强需要更多指导\n"
    "E1,2026-07-01,skill_assessment,quality_control,4,王芳表现很好\n"
)


def erase(engine, employee_id: str) -> privacy.Erasure:
    with Session(engine) as session:
        erasure = privacy.erase_personal_data(session, employee_id, SECRET)
        session.commit()
    assert erasure is not None
    return erasure


def export(engine, employee_id: str) -> dict:
    with Session(engine) as session:
        data = privacy.export_personal_data(session, employee_id)
    assert data is not None
    return data


def test_reimport_keeps_an_erased_person_erased_and_imports_the_rest(org):
    for kind, text in (("feedback", FEEDBACK), ("growth", GROWTH)):
        assert do_import(org, kind, text).applied
    erasure = erase(org, "E2")
    erased_at = export(org, "E2")["employee"]["erasedAt"]
    assert erased_at is not None
    assert erase(org, "E2").pseudonym == erasure.pseudonym
    assert export(org, "E2")["employee"]["erasedAt"] == erased_at  # erasing again keeps the first mark

    unchanged = do_import(org, "employees", EMPLOYEES)
    moved = do_import(
        org,
        "employees",
        EMPLOYEES.replace(
            "李强,PROD,2026-06-15,e2@example.com,一组,P2", "李强,PROD,2026-06-16,e2@example.com,二组,P3"
        ),
    )
    feedback = do_import(org, "feedback", FEEDBACK.replace("training", "training;onboarding"))
    growth = do_import(org, "growth", GROWTH.replace(",3,李强", ",5,李强"))

    assert (unchanged.counts.updated, unchanged.counts.unchanged) == (0, 3)
    assert unchanged.warnings == [WITHHELD_WARNING.format(count=1)]
    assert (moved.counts.updated, moved.counts.unchanged) == (1, 2)
    assert (feedback.counts.inserted, feedback.counts.updated, feedback.counts.unchanged) == (
        0,
        1,
        1,
    )  # a new tag
    assert feedback.warnings == [WITHHELD_WARNING.format(count=1)]
    assert (growth.counts.updated, growth.counts.unchanged) == (1, 1)
    assert growth.warnings == [WITHHELD_WARNING.format(count=1)]
    for report in (unchanged, moved, feedback, growth):
        assert not any("李强" in warning or "E2" in warning for warning in report.warnings)

    person = export(org, "E2")
    assert person["employee"] | {"erasedAt": None} == {
        "employeeId": "E2",
        "name": erasure.pseudonym,
        "email": None,
        "hireDate": "2026-06-16",
        "department": "PROD",
        "team": "二组",
        "level": "P3",
        "manager": "E1",
        "erasedAt": None,
    }
    assert person["employee"]["erasedAt"] == erased_at
    assert [(f["text"], sorted(f["themes"])) for f in person["feedback"]] == [
        (privacy.ERASED_TEXT, ["onboarding", "training"])
    ]
    assert [(g["score"], g["note"]) for g in person["growth"]] == [(5.0, None)]

    other = export(org, "E1")
    assert other["employee"]["name"] == "王芳" and other["employee"]["erasedAt"] is None
    assert [f["text"] for f in other["feedback"]] == ["设备需要维护"]
    assert [g["note"] for g in other["growth"]] == ["王芳表现很好"]


def unkeyed(employee_id: str, department: str, period: str, metric: str, text: str) -> str:
    """The fingerprint as it was stored before fingerprints were keyed: what a guesser can compute."""
    return hashlib.sha256("\x1f".join((employee_id, department, period, metric, text)).encode()).hexdigest()


GUESSES = [unkeyed("E2", "PROD", "2026-09", "defect_rate", "新人培训太短")]


def fingerprints(engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(Feedback.fingerprint)).all())


@pytest.mark.parametrize("stored", ["keyed", "unkeyed before keying"])
def test_an_erased_texts_guess_matches_no_fingerprint_and_reimport_still_changes_nothing(org, stored):
    assert do_import(org, "feedback", FEEDBACK).counts.inserted == 2
    if stored == "unkeyed before keying":  # rows imported by the version that hashed without a key
        with Session(org) as session:
            for employee, text in (("E2", "新人培训太短"), ("E1", "设备需要维护")):
                old = unkeyed(employee, "PROD", "2026-09", "defect_rate", text)
                session.exec(update(Feedback).where(Feedback.text == text).values(fingerprint=old))
            session.commit()

    erase(org, "E2")
    again = do_import(org, "feedback", FEEDBACK)

    assert not set(GUESSES) & fingerprints(org), "the erased text can be confirmed from its fingerprint"
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 2)
    assert not set(GUESSES) & fingerprints(org)
    assert len(fingerprints(org)) == 2


def test_the_server_keys_fingerprints_stored_unkeyed_when_it_starts(org):
    from api.app import _rekey_fingerprints
    from domain.settings import Settings

    assert do_import(org, "feedback", FEEDBACK).counts.inserted == 2
    with Session(org) as session:  # E2's row as an earlier version stored it
        session.exec(update(Feedback).where(Feedback.text == "新人培训太短").values(fingerprint=GUESSES[0]))
        session.commit()

    _rekey_fingerprints(org, Settings(secret_key=SECRET))

    assert not set(GUESSES) & fingerprints(org)
    assert all(f.startswith("k1:") for f in fingerprints(org))
    erase(org, "E2")  # no import ran in between: the start alone keyed the row
    assert do_import(org, "feedback", FEEDBACK).counts.unchanged == 2

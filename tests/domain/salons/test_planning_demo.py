"""The default policy on the demo company reproduces its planted stories (``docs/architecture.md``)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from domain.locales import LOCALES
from domain.models import Department, Employee, Salon, SalonDepartment, SalonStatus
from domain.salons.content import SalonContent, StoredTopic
from domain.salons.planning import plan_month
from domain.salons.store import cancel, schedule, visible_salons


def salons_by_department(engine) -> dict[str, Salon]:
    with Session(engine) as session:
        codes = {d.id: d.code for d in session.exec(select(Department))}
        return {codes[s.department_id]: s for s in session.exec(select(Salon))}


def attended(engine) -> dict[str, Salon]:
    """Each department's salon: its own, or the one it attends with others."""
    with Session(engine) as session:
        codes = {d.id: d.code for d in session.exec(select(Department))}
        salons = {s.id: s for s in session.exec(select(Salon))}
        return {
            codes[link.department_id]: salons[link.salon_id] for link in session.exec(select(SalonDepartment))
        }


def test_departments_lagging_the_same_host_share_one_exchange(computed_demo):
    summary = plan_month(computed_demo, "2026-11")

    salons = attended(computed_demo)
    assert salons["SALES"].id == salons["OPS"].id  # one 跨部门投诉处理经验交换会 for both
    assert salons["SALES"].format_key == "cross_department_exchange"
    with Session(computed_demo) as session:
        cs = session.exec(select(Department).where(Department.code == "CS")).one()
    assert salons["SALES"].host_department_id == cs.id
    shared = next(s for s in summary["salons"] if "SALES" in s["departments"])
    assert shared["departments"] == ["OPS", "SALES"] and shared["department"] == "OPS"
    participants = set(SalonContent.from_json(salons["SALES"].content).participants)
    with Session(computed_demo) as session:
        ids = {d.id: d.code for d in session.exec(select(Department))}
        staff = {e.employee_id: ids[e.department_id] for e in session.exec(select(Employee))}
    assert {staff[p] for p in participants} == {"OPS", "SALES"}  # both departments' people come


def test_the_demo_stories_get_their_salons(computed_demo):
    summary = plan_month(computed_demo, "2026-11")

    assert summary["period"] == "2026-Q3"  # the latest complete quarter before November
    assert summary["problems"] == []
    salons = attended(computed_demo)
    assert salons["STORE"].format_key == "data_review_workshop"
    assert salons["PROD"].format_key == "data_review_workshop"
    assert salons["TECH"].format_key == "skill_sharing"
    assert salons["SALES"].format_key == "cross_department_exchange"
    with Session(computed_demo) as session:
        cs = session.exec(select(Department).where(Department.code == "CS")).one()
    assert salons["SALES"].host_department_id == cs.id
    topics = {code: StoredTopic.from_json(salon.topic) for code, salon in salons.items()}
    assert topics["SALES"].metric_code == "complaint_rate"
    assert topics["STORE"].metric_code == "avg_order_value"
    assert topics["PROD"].metric_code == "defect_rate"
    assert topics["TECH"].skill == "code_optimization"


def test_each_story_salon_is_complete_in_every_language(computed_demo):
    plan_month(computed_demo, "2026-11")
    salons = attended(computed_demo)

    content = {code: SalonContent.from_json(salon.content) for code, salon in salons.items()}
    for code in ("STORE", "PROD", "TECH", "SALES"):
        texts = content[code].texts
        assert list(texts) == list(LOCALES)  # all twelve, the default (SALON_LOCALE: zh-CN) first
        assert [loc for loc, t in texts.items() if t.title == texts["en"].title] == [
            "en"
        ]  # each in its own words
        assert {len(t.questions) for t in texts.values()} == {len(texts["en"].questions)} != {0}
        assert {len(t.agenda) for t in texts.values()} == {len(texts["en"].agenda)}
        assert all(item.minutes > 0 for item in texts["en"].agenda)
        topic = StoredTopic.from_json(salons[code].topic)
        assert sorted(topic.titles) == sorted(LOCALES) and all(
            f.reasons.keys() == set(LOCALES) for f in topic.fits if f.reasons
        )
    prod = content["PROD"]
    assert 4 <= min(map(len, prod.groups)) and max(map(len, prod.groups)) <= 6
    assert sorted(p for g in prod.groups for p in g) == sorted(prod.participants)
    assert [c["mark"] if "mark" in c else "layer" for c in prod.texts["en"].charts] == [
        "bar",
        "layer",
        "rect",
    ]
    assert any("不良率" in q for q in prod.texts["zh-CN"].questions)  # questions name the metric
    tech = content["TECH"]
    assert len(tech.presenters) == 5  # the top 10% of 49 with code-efficiency values
    assert not set(tech.presenters) & set(tech.participants)
    assert len(tech.participants) >= 10  # those who asked (about 30% of 50), presenters aside


def test_planning_stores_the_current_versioned_shape(computed_demo):
    plan_month(computed_demo, "2026-11")

    for salon in salons_by_department(computed_demo).values():
        assert salon.content["version"] == SalonContent.VERSION
        assert salon.topic["version"] == StoredTopic.VERSION
        assert SalonContent.from_json(salon.content).to_json() == salon.content  # nothing lost or added
        assert StoredTopic.from_json(salon.topic).to_json() == salon.topic


def test_replanning_keeps_ids_and_never_touches_later_states(computed_demo):
    plan_month(computed_demo, "2026-11")
    first = {code: (s.id, s.format_key, s.content) for code, s in salons_by_department(computed_demo).items()}
    from datetime import UTC, datetime

    with Session(computed_demo) as session:
        store_id, sales_id = first["STORE"][0], first["OPS"][0]  # OPS's exchange, SALES attending
        november = datetime(2026, 11, 1, tzinfo=UTC)  # scheduled then, for later that month
        schedule(session, store_id, datetime(2026, 11, 20, 6, tzinfo=UTC), now=november)
        cancel(session, sales_id, "holiday season")
        session.commit()
        session.get(Salon, first["PROD"][0]).content = {"texts": {}}  # would be rewritten
        session.commit()

    summary = plan_month(computed_demo, "2026-11")

    again = salons_by_department(computed_demo)
    assert {code: again[code].id for code in first} == {code: v[0] for code, v in first.items()}
    # the exchange SALES attended was cancelled: SALES, still open, gets one of its own
    assert set(again) - set(first) == {"SALES"} and again["SALES"].format_key == "cross_department_exchange"
    assert again["STORE"].status == SalonStatus.SCHEDULED and again["OPS"].status == SalonStatus.CANCELLED
    assert again["OPS"].cancel_reason == "holiday season"
    assert again["PROD"].content == first["PROD"][2]
    assert summary["kept"] == ["OPS", "STORE"]
    with Session(computed_demo) as session:
        assert len(session.exec(select(Salon)).all()) == len(first) + 1
        links = session.exec(select(SalonDepartment)).all()
    assert len(links) == len(first) + 2  # one attending department each; SALES at both exchanges


def test_formats_restrict_the_choice(computed_demo):
    plan_month(computed_demo, "2026-11", ["TECH", "STORE"], ["data_review_workshop"])

    salons = salons_by_department(computed_demo)
    assert set(salons) == {"TECH", "STORE"}
    assert {s.format_key for s in salons.values()} == {"data_review_workshop"}


def test_unknown_inputs_are_refused_by_name(computed_demo):
    with pytest.raises(ValueError, match="formats: unknown format key"):
        plan_month(computed_demo, "2026-11", None, ["karaoke"])
    with pytest.raises(ValueError, match="department_codes: unknown department"):
        plan_month(computed_demo, "2026-11", ["NOPE"])
    with pytest.raises(ValueError, match="month"):
        plan_month(computed_demo, "2026-Q4")


def test_visible_salons_filters_by_attending_or_hosting_department(computed_demo):
    plan_month(computed_demo, "2026-11")
    with Session(computed_demo) as session:
        ids = {d.code: d.id for d in session.exec(select(Department))}
        seen_by_cs = visible_salons(session, department_ids=[ids["CS"]], month="2026-11")
        everything = visible_salons(session, month="2026-11")
        nothing = visible_salons(session, department_ids=[], month="2026-11")
    hosted = {s.department_id for s in seen_by_cs}
    assert {ids["CS"], ids["OPS"]} <= hosted  # its own, and the exchange it hosts (OPS's, SALES attending)
    assert ids["PROD"] not in hosted
    assert len(everything) == 7 and nothing == []


def test_a_month_without_earlier_data_plans_nothing(computed_demo):
    summary = plan_month(computed_demo, "2024-01")

    assert summary["salons"] == [] and summary["period"] is None
    assert salons_by_department(computed_demo) == {}


def test_replanning_keeps_a_salon_people_edited_even_while_proposed(computed_demo):
    from domain.salons.editing import SalonEdit, edit

    plan_month(computed_demo, "2026-11")
    prod = salons_by_department(computed_demo)["PROD"]
    with Session(computed_demo) as session:
        edit(session, prod.id, SalonEdit(title="我们自己的复盘"), "manager-1")
        session.commit()
        session.get(Salon, prod.id).format_key = "would_be_rewritten"
        session.commit()

    summary = plan_month(computed_demo, "2026-11")

    again = salons_by_department(computed_demo)["PROD"]
    assert again.id == prod.id and again.status == SalonStatus.PROPOSED
    assert again.format_key == "would_be_rewritten" and again.edited_by == "manager-1"
    assert SalonContent.from_json(again.content).texts["en"].title == "我们自己的复盘"
    assert "PROD" in summary["kept"]


def test_a_restricted_replan_touches_only_what_it_was_asked_to_plan(computed_demo):
    plan_month(computed_demo, "2026-11")
    before = {code: (s.id, s.format_key) for code, s in salons_by_department(computed_demo).items()}

    summary = plan_month(computed_demo, "2026-11", None, ["skill_sharing"])

    after = {code: (s.id, s.format_key) for code, s in salons_by_department(computed_demo).items()}
    assert after["TECH"] == before["TECH"]  # the skill sharing it was asked to plan
    for code in ("STORE", "PROD", "OPS"):  # other formats' salons stay as they were
        assert after[code] == before[code]
    assert set(after) == set(before)
    assert summary["removed"] == []


def test_what_a_replan_removes_is_listed_in_its_result(computed_demo):
    plan_month(computed_demo, "2026-11", None, ["data_review_workshop"])
    before = salons_by_department(computed_demo)

    summary = plan_month(computed_demo, "2026-11")

    after = attended(computed_demo)
    expected = sorted(
        (code, salon.format_key, after[code].format_key if code in after else None)
        for code, salon in before.items()
        if code not in after or after[code].format_key != salon.format_key
    )
    assert ("TECH", "data_review_workshop", "skill_sharing") in expected  # the demo's skill story
    assert sorted((r["department"], r["format"], r["replaced_by"]) for r in summary["removed"]) == expected
    assert summary["other_formats"] == []


def test_a_restricted_replan_names_the_proposals_it_left_alone(computed_demo):
    plan_month(computed_demo, "2026-11")
    formats = {code: s.format_key for code, s in salons_by_department(computed_demo).items()}

    summary = plan_month(computed_demo, "2026-11", None, ["skill_sharing"])

    assert summary["other_formats"] == sorted(code for code, key in formats.items() if key != "skill_sharing")

"""Salons as stored: the API reads a row through its stored shape (``domain.salons.content``),
serves an old unversioned row as it always did, and fails a row it cannot read loudly —
an internal error whose logged cause names the key — instead of serving blanks or guesses."""

from __future__ import annotations

import copy
import logging

import pytest

from domain.db import session_scope
from domain.locales import LOCALES
from domain.models import Department, Salon, SalonDepartment
from tests.api.conftest import graphql
from tests.domain.salons.test_content import OLD_CONTENT, OLD_TOPIC

QUERY = """query($l: String) { salons(month: "2026-11", locale: $l) {
  title participantCount questions agenda { title minutes } groups { name }
  topic { kind skill severity title } charts { title }
} }"""


def store(engine, content: dict, topic: dict = OLD_TOPIC) -> None:
    with session_scope(engine) as session:
        prod = Department(code="PROD", name="生产部")
        session.add(prod)
        session.flush()
        salon = Salon(
            month="2026-11",
            department_id=prod.id,
            format_key="data_review_workshop",
            fit=1.0,
            data_period="2026-Q3",
            topic=topic,
            content=content,
        )
        session.add(salon)
        session.flush()
        session.add(SalonDepartment(salon_id=salon.id, department_id=prod.id))


def test_an_old_row_without_a_version_is_served_as_before(client, engine):
    store(engine, OLD_CONTENT)

    (english,) = graphql(client, QUERY, l="en")["data"]["salons"]
    (chinese,) = graphql(client, QUERY, l="zh-CN")["data"]["salons"]

    assert english == {
        "title": "Data-review workshop: defect rate",
        "participantCount": 2,
        "questions": ["Why?"],
        "agenda": [{"title": "The numbers", "minutes": 20}],
        "groups": [{"name": "Group 1"}, {"name": "Group 2"}],
        "topic": {
            "kind": "shortfall",
            "skill": None,
            "severity": 12.5,
            "title": "PROD: defect rate below target",
        },
        "charts": [{"title": "Defect rate"}],
    }
    assert (
        chinese["title"] == "数据复盘工作坊：不良率" and chinese["topic"]["title"] == "生产部：不良率未达标"
    )


def test_a_row_stored_in_zh_cn_and_en_only_reads_in_every_shipped_language(client, engine):
    """Salons planned before all twelve languages were stored: a reader of another language gets
    the closest stored one (zh-TW: zh-CN), else the default (the first stored), never an error."""
    store(engine, OLD_CONTENT)

    said = {locale: graphql(client, QUERY, l=locale)["data"]["salons"][0] for locale in LOCALES}

    assert (
        said["zh-TW"]["title"] == "数据复盘工作坊：不良率"
        and said["zh-TW"]["topic"]["title"] == "生产部：不良率未达标"
    )
    assert {said[locale]["title"] for locale in LOCALES if locale != "en"} == {"数据复盘工作坊：不良率"}
    assert said["ja"]["groups"] == [
        {"name": "グループ 1"},
        {"name": "グループ 2"},
    ]  # said on read, in Japanese


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"participants": "E0042"}, "content.participants: must be a list, not str"),
        ({"version": 2}, "content.version: version 2 is newer than this code reads"),
    ],
)
def test_a_row_the_api_cannot_read_is_an_internal_error_naming_the_key(client, engine, caplog, change, named):
    store(engine, {**copy.deepcopy(OLD_CONTENT), **change})

    with caplog.at_level(logging.ERROR, logger="api.errors"):
        result = graphql(client, QUERY, l="en")

    (error,) = result["errors"]
    assert error["message"] == "internal error" and "E0042" not in str(result)
    (record,) = [r for r in caplog.records if error["extensions"]["requestId"] in r.getMessage()]
    assert named in str(record.exc_info[1]) and "E0042" not in str(record.exc_info[1])

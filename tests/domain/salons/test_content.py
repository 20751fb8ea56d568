"""The stored salon shape: what planning writes is what every reader reads back, old rows
included, and a row this code cannot read fails naming the key (never showing a value)."""

from __future__ import annotations

import copy
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.salons.content import (
    AgendaEntry,
    SalonContent,
    SalonTexts,
    StoredFit,
    StoredShapeError,
    StoredTopic,
)

# What planning stored before the shape had a version: the exact keys ``planning._content`` and
# ``planning.topic_record`` wrote (employee ids and texts made up).
OLD_CONTENT = {
    "texts": {
        "zh-CN": {
            "title": "数据复盘工作坊：不良率",
            "agenda": [{"title": "看数据", "minutes": 20}],
            "questions": ["为什么？"],
            "charts": [
                {"title": "不良率", "mark": "bar", "data": {"values": [{"employee": "E0042", "v": 1.5}]}}
            ],
        },
        "en": {
            "title": "Data-review workshop: defect rate",
            "agenda": [{"title": "The numbers", "minutes": 20}],
            "questions": ["Why?"],
            "charts": [
                {"title": "Defect rate", "mark": "bar", "data": {"values": [{"employee": "E0042", "v": 1.5}]}}
            ],
        },
    },
    "presenters": ["E0007"],
    "participants": ["E0042", "E0043"],
    "groups": [["E0042"], ["E0043"]],
}
OLD_TOPIC = {
    "key": "shortfall:defect_rate:",
    "kind": "shortfall",
    "metric_code": "defect_rate",
    "skill": None,
    "severity": 12.5,
    "period": "2026-Q3",
    "titles": {"zh-CN": "生产部：不良率未达标", "en": "PROD: defect rate below target"},
}


def test_an_old_row_without_a_version_reads_as_version_1():
    content = SalonContent.from_json(OLD_CONTENT)
    topic = StoredTopic.from_json(OLD_TOPIC)

    assert content == SalonContent.from_json({**OLD_CONTENT, "version": 1})
    assert topic == StoredTopic.from_json({**OLD_TOPIC, "version": 1})
    assert content.to_json() == {**OLD_CONTENT, "version": 1}  # rewritten, it only gains the version
    assert topic.to_json() == {**OLD_TOPIC, "version": 2, "fits": []}  # version 2 adds the fits
    assert topic.fits == ()
    en = content.texts_in("en")
    assert en.title == "Data-review workshop: defect rate"
    assert en.agenda == (AgendaEntry("The numbers", 20),) and en.questions == ("Why?",)
    assert en.charts[0]["mark"] == "bar"
    assert content.participants == ("E0042", "E0043") and content.groups == (("E0042",), ("E0043",))
    assert (topic.kind, topic.metric_code, topic.skill, topic.severity) == (
        "shortfall",
        "defect_rate",
        None,
        12.5,
    )


def test_a_locale_planned_without_falls_back_to_the_first_planned_one():
    content = SalonContent.from_json(OLD_CONTENT)
    topic = StoredTopic.from_json(OLD_TOPIC)

    assert content.texts_in("fr").title == "数据复盘工作坊：不良率"
    assert topic.title_in("fr") == topic.title_in("zh-CN") == "生产部：不良率未达标"
    assert topic.title_in("en") == "PROD: defect rate below target"


def _changed(data: dict, path: tuple, value) -> dict:
    """``data`` with the value at ``path`` replaced (``...`` as the value: removed)."""
    changed = copy.deepcopy(data)
    *parents, last = path
    target = changed
    for key in parents:
        target = target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("texts",), ..., "content: missing key(s) ['texts']"),
        (("texts",), {}, "content.texts: must hold at least one locale"),
        (("texts", "en", "title"), None, "content.texts.en.title: must be a string, not null"),
        (
            ("texts", "en", "agenda", 0, "minutes"),
            "20",
            "content.texts.en.agenda[0].minutes: must be an integer",
        ),
        (
            ("texts", "en", "agenda", 0, "minutes"),
            True,
            "content.texts.en.agenda[0].minutes: must be an integer",
        ),
        (("texts", "en", "questions"), "Why?", "content.texts.en.questions: must be a list, not str"),
        (("texts", "en", "charts", 0), ["E0042"], "content.texts.en.charts[0]: must be an object, not list"),
        (("participants",), "E0042", "content.participants: must be a list, not str"),
        (("groups", 1, 0), 42, "content.groups[1][0]: must be a string, not int"),
        (("presenter",), ["E0007"], "content: unknown key(s) ['presenter']"),
        (
            ("texts", "en", "agenda", 0, "speaker"),
            "E0007",
            "content.texts.en.agenda[0]: unknown key(s) ['speaker']",
        ),
    ],
)
def test_a_malformed_content_row_names_the_key_and_no_value(path, value, named):
    with pytest.raises(StoredShapeError, match=re.escape(named)) as refused:
        SalonContent.from_json(_changed(OLD_CONTENT, path, value))

    assert isinstance(refused.value, ValueError)
    assert not re.search(r"E00\d\d|Why", str(refused.value))  # no employee id, no text


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("titles",), ..., "topic: missing key(s) ['titles']"),
        (("severity",), "12.5", "topic.severity: must be a number, not str"),
        (("severity",), False, "topic.severity: must be a number, not bool"),
        (("metric_code",), 7, "topic.metric_code: must be a string, not int"),
        (("titles", "en"), ["x"], "topic.titles.en: must be a string, not list"),
    ],
)
def test_a_malformed_topic_row_names_the_key(path, value, named):
    with pytest.raises(StoredShapeError, match=re.escape(named)):
        StoredTopic.from_json(_changed(OLD_TOPIC, path, value))


def test_not_an_object_at_all_is_refused():
    with pytest.raises(StoredShapeError, match=re.escape("content: must be an object, not list")):
        SalonContent.from_json([])
    with pytest.raises(StoredShapeError, match=re.escape("topic: must be an object, not null")):
        StoredTopic.from_json(None)


@pytest.mark.parametrize(
    ("version", "named"),
    [
        (2, "content.version: version 2 is newer than this code reads (up to 1)"),
        (0, "content.version: must be at least 1"),
        ("1", "content.version: must be an integer, not str"),
    ],
)
def test_a_version_this_code_does_not_know_is_refused(version, named):
    with pytest.raises(StoredShapeError, match=re.escape(named)):
        SalonContent.from_json({**OLD_CONTENT, "version": version})


def test_a_newer_topic_version_is_refused():
    with pytest.raises(StoredShapeError, match=re.escape("topic.version: version 3 is newer")):
        StoredTopic.from_json({**OLD_TOPIC, "version": 3})


def test_a_fit_of_the_wrong_shape_is_named_by_its_key():
    fit = {"format": "w", "score": 0.5, "planner_score": None, "reasons": {"en": 1}, "error": None}

    with pytest.raises(
        StoredShapeError, match=re.escape("topic.fits[0].reasons.en: must be a string, not int")
    ):
        StoredTopic.from_json({**OLD_TOPIC, "version": 2, "fits": [fit]})


# ---- round trips, through JSON text as the database keeps it ---------------------------------

_text = st.text(max_size=12)
_ids = st.lists(st.text(min_size=1, max_size=6), max_size=4).map(tuple)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_texts = st.builds(
    SalonTexts,
    title=_text,
    agenda=st.lists(st.builds(AgendaEntry, title=_text, minutes=st.integers()), max_size=3).map(tuple),
    questions=st.lists(_text, max_size=3).map(tuple),
    charts=st.lists(st.dictionaries(_text, _json, max_size=3), max_size=2).map(tuple),
)
_locales = st.dictionaries(st.sampled_from(["zh-CN", "en", "fr"]), _texts, min_size=1)
contents = st.builds(
    SalonContent,
    texts=_locales,
    presenters=_ids,
    participants=_ids,
    groups=st.lists(_ids, max_size=3).map(tuple),
)
topics = st.builds(
    StoredTopic,
    key=_text,
    kind=st.sampled_from(["shortfall", "growth"]),
    metric_code=st.none() | _text,
    skill=st.none() | _text,
    severity=st.floats(allow_nan=False, allow_infinity=False),
    period=_text,
    titles=st.dictionaries(st.sampled_from(["zh-CN", "en"]), _text, min_size=1),
    fits=st.lists(
        st.builds(
            StoredFit,
            format_key=_text,
            score=st.floats(allow_nan=False, allow_infinity=False),
            planner_score=st.none() | st.floats(allow_nan=False, allow_infinity=False),
            reasons=st.dictionaries(st.sampled_from(["zh-CN", "en"]), _text),
            error=st.none() | _text,
        ),
        max_size=3,
    ).map(tuple),
)


@given(contents)
def test_content_round_trips_through_stored_json(content):
    stored = json.loads(json.dumps(content.to_json()))

    assert SalonContent.from_json(stored) == content
    assert stored["version"] == SalonContent.VERSION


@given(topics)
def test_topic_round_trips_through_stored_json(topic):
    stored = json.loads(json.dumps(topic.to_json()))

    assert StoredTopic.from_json(stored) == topic
    assert stored["version"] == StoredTopic.VERSION


def test_a_locale_stored_before_every_language_was_falls_back_to_its_closest_then_the_default():
    content = SalonContent.from_json(
        {**OLD_CONTENT, "texts": {"en": OLD_CONTENT["texts"]["en"], "zh-CN": OLD_CONTENT["texts"]["zh-CN"]}}
    )
    topic = StoredTopic.from_json(
        {**OLD_TOPIC, "fits": [{"format": "f", "score": 1.0, "planner_score": 1.0, "error": None,
                                "reasons": {"zh-CN": "原因", "en": "why"}}]}
    )  # fmt: skip

    assert (
        content.texts_in("zh-TW").title == "数据复盘工作坊：不良率"
    )  # the closest language, not the first stored
    assert (
        content.texts_in("ja").title == "Data-review workshop: defect rate"
    )  # none close: the default (first)
    assert topic.title_in("zh-TW") == "生产部：不良率未达标" and topic.fits[0].reason_in("zh-TW") == "原因"
    assert topic.fits[0].reason_in("th") == "原因"  # the topic's first stored locale

"""Display names: the reader's locale, then the default locale (the templates' names count as
that), then the code made readable — never a raw snake_case code."""

from __future__ import annotations

import pytest

from domain.labels import Labels, readable


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("code_optimization", "Code optimization"),
        ("premium_recommendation", "Premium recommendation"),
        ("on-time delivery", "On time delivery"),
        ("HQ", "HQ"),
        ("STORE_EAST", "STORE EAST"),
        ("培训不足", "培训不足"),
        ("x", "X"),
    ],
)
def test_a_code_made_readable(code, shown):
    assert readable(code) == shown
    assert "_" not in readable(code)


LABELS = Labels(
    default_locale="zh-CN",
    names={
        ("metric", "defect_rate", "en"): "Defect rate",
        ("metric", "defect_rate", "zh-TW"): "不良率（繁）",
        ("skill", "quality_control", "zh-CN"): "质量控制",
        ("department", "PROD", "zh-CN"): "生产一部",
    },
    template_names={("metric", "defect_rate"): "不良率", ("department", "PROD"): "生产部"},
)


@pytest.mark.parametrize(
    ("kind", "code", "locale", "name"),
    [
        ("metric", "defect_rate", "en", "Defect rate"),  # the reader's locale
        ("metric", "defect_rate", "en-GB", "Defect rate"),  # matched to en
        ("metric", "defect_rate", "zh-Hant-TW", "不良率（繁）"),  # matched to zh-TW
        ("metric", "defect_rate", "ja", "不良率"),  # no ja label, none in zh-CN: the template's name
        ("metric", "defect_rate", None, "不良率"),
        ("skill", "quality_control", "en", "质量控制"),  # the default locale's label
        ("department", "PROD", "de", "生产一部"),  # a default-locale label before the template's name
        ("skill", "code_optimization", "en", "Code optimization"),  # nothing known: readable
        ("tag", "premium_recommendation", "zh-CN", "Premium recommendation"),
        ("metric", "defect_rate", "xx", "不良率"),  # an unknown locale reads the default
    ],
)
def test_a_name_falls_back_from_the_locale_to_the_default_to_the_code(kind, code, locale, name):
    assert LABELS.name(kind, code, locale) == name


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        LABELS.name("colour", "red", "en")

"""The points policy: the source's defaults, a company's file, and every refusal naming its key."""

from __future__ import annotations

import pytest

from domain.growth.policy import DEFAULT_CAP, PointsPolicy, PolicyError, load_policy, read_policy
from domain.settings import SettingsError, load_settings
from domain.vocabulary import ContributionKind as K


def test_the_defaults_are_the_sources_points_and_a_cap_of_five():
    policy = load_policy(None)

    assert [policy.of(kind) for kind in (K.ATTENDEE, K.SHARER, K.EXCELLENT_SHARER, K.PROBLEM_SOLVER)] == [
        0.0,
        1.0,
        2.0,
        3.0,
    ]
    assert policy.cap == DEFAULT_CAP == 5.0


def test_a_policy_file_changes_what_it_names_and_keeps_the_rest(tmp_path):
    path = tmp_path / "points.toml"
    path.write_text("cap = 4\n\n[points]\nattendee = 0.5\nPROBLEM_SOLVER = 4\n", encoding="utf-8")

    policy = read_policy(path)

    assert policy.cap == 4.0
    assert policy.of(K.ATTENDEE) == 0.5
    assert policy.of(K.PROBLEM_SOLVER) == 4.0  # the GraphQL name works as well
    assert policy.of(K.SHARER) == 1.0  # left out: the default


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("cap = -1", "cap: must be a finite number of 0 or more"),
        ("cap = 'five'", "cap: must be a number"),
        ("[points]\nsharer = true", "points.sharer: must be a number"),
        ("[points]\nmentor = 2", "points.mentor: unknown contribution kind"),
        ("bonus = 1", "unknown key(s) ['bonus']"),
        ("points = 3", "points: must be a table"),
        ("cap = inf", "cap: must be a finite number"),
        ("cap = ", "is not valid TOML"),
    ],
)
def test_a_bad_policy_file_is_refused_naming_the_key(tmp_path, text, named):
    path = tmp_path / "points.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(PolicyError) as refused:
        read_policy(path)
    assert named in str(refused.value)


def test_the_setting_checks_the_file_at_start_naming_the_variable(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text("[points]\nsharer = 1.5\n", encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text("[points]\nsharer = -1\n", encoding="utf-8")

    assert load_settings({"SALON_CONTRIBUTION_POLICY": str(good)}).contribution_policy == str(good)
    assert load_settings({}).contribution_policy is None
    with pytest.raises(SettingsError, match=r"SALON_CONTRIBUTION_POLICY: points.sharer: must be a finite"):
        load_settings({"SALON_CONTRIBUTION_POLICY": str(bad)})
    with pytest.raises(SettingsError, match=r"SALON_CONTRIBUTION_POLICY: cannot read .*missing.toml"):
        load_settings({"SALON_CONTRIBUTION_POLICY": str(tmp_path / "missing.toml")})


def test_a_policy_is_read_only():
    policy = PointsPolicy()

    with pytest.raises(TypeError):
        policy.points[K.SHARER] = 10  # type: ignore[index]

"""The guard's rule (scanner.arr.profile_guard), on profiles and formats as the client
parses them (Language ids as Sonarr v4's Language.cs numbers them)."""

from __future__ import annotations

import itertools

import pytest

from scanner.arr.profile_guard import (
    MAX_NAMES,
    Budget,
    GuardTooSlow,
    LanguageGuard,
    guard_languages,
    language_ids,
)
from scanner.arr.profiles import (
    CustomFormat,
    LanguageCondition,
    ProfileSettings,
    QualityProfile,
    parse_format,
    parse_profile,
)
from scanner.reasons import Code

SONARR_LANGUAGES = {
    -2: "Original", 0: "Unknown", 1: "English", 2: "French", 3: "Spanish", 4: "German",
    18: "Portuguese", 33: "Portuguese (Brazil)", 34: "Spanish (Latino)",
}  # fmt: skip


def _settings(formats: list[CustomFormat], scores: dict[int, int]) -> ProfileSettings:
    profile = QualityProfile(id=1, name="HD-1080p", upgrade_allowed=True, scores=scores)
    return ProfileSettings(profiles=(profile,), formats=tuple(formats), languages=SONARR_LANGUAGES)


def test_reverse_scoring_on_not_german_protects_german() -> None:
    """TRaSH's "Language: Not German" scored -10000: a release without German is pushed
    below every other."""
    not_german = CustomFormat(7, "Language: Not German", (LanguageCondition(4, negate=True),))
    [guard] = guard_languages(_settings([not_german], {7: -10000}), ["de"])
    assert guard.protected == ["HD-1080p"] and guard.exposed == []


def test_except_language_and_negated_conditions_do_not_protect() -> None:
    except_german = CustomFormat(
        8, "Anything but German", (LanguageCondition(4, except_language=True),)
    )
    not_german = CustomFormat(9, "Not German", (LanguageCondition(4, negate=True),))
    settings = _settings([except_german, not_german], {8: 100, 9: 100})
    [guard] = guard_languages(settings, ["de"])
    assert guard.exposed == ["HD-1080p"]


def test_a_plain_target_is_every_arr_language_of_it() -> None:
    assert language_ids(SONARR_LANGUAGES, "pt") == ({18, 33}, True)
    assert language_ids(SONARR_LANGUAGES, "pt-BR") == ({33}, True)
    assert language_ids(SONARR_LANGUAGES, "es-419") == ({34}, True)
    assert language_ids(SONARR_LANGUAGES, "es-ES") == ({3}, False)
    assert language_ids(SONARR_LANGUAGES, "fr-CA") == ({2}, False)


def test_a_language_the_arr_does_not_have() -> None:
    [guard] = guard_languages(_settings([], {}), ["ka"])
    assert guard.arr_languages == [] and guard.exposed == []


def test_a_condition_is_read_from_the_api_fields() -> None:
    """The API's fields are SchemaBuilder's list of {name, value}, not TRaSH's object."""
    cf = parse_format({
        "id": 3,
        "name": "German DL",
        "specifications": [
            {"implementation": "LanguageSpecification", "negate": False, "required": True,
             "fields": [{"name": "value", "value": 4}, {"name": "exceptLanguage", "value": False}]},
            {"implementation": "ReleaseTitleSpecification", "negate": False, "required": True,
             "fields": [{"name": "value", "value": "\\bGerman\\b"}]},
            {"implementation": "LanguageSpecification", "fields": {"value": 4}},  # not the API's
        ],
    })  # fmt: skip
    assert cf.languages == (LanguageCondition(4, required=True),)


def _many(count: int, name: str = "P") -> ProfileSettings:
    profiles = tuple(
        QualityProfile(id=i, name=f"{name}{i}", upgrade_allowed=True, scores={})
        for i in range(count)
    )
    german = tuple(CustomFormat(i, f"F{i}", (LanguageCondition(4),)) for i in range(count))
    return ProfileSettings(profiles=profiles, formats=german, languages=SONARR_LANGUAGES)


def test_a_guards_lists_keep_a_few_names_and_count_the_others() -> None:
    [guard] = guard_languages(_many(50), ["de"])
    assert guard.exposed == [f"P{i}" for i in range(MAX_NAMES)]
    assert guard.unscored_formats == [f"F{i}" for i in range(MAX_NAMES)]
    assert guard.more == {"exposed": 50 - MAX_NAMES, "unscored_formats": 50 - MAX_NAMES}


def test_a_long_profile_name_is_kept_cut() -> None:
    profile = parse_profile({"id": 1, "name": "x" * 300, "upgradeAllowed": False})
    assert profile.name == "x" * 99 + "\u2026"


def test_the_judgement_stops_at_its_budget() -> None:
    """A clock that moves a second per look: the budget of 3 s is spent at the fourth."""
    ticks = itertools.count()
    budget = Budget(seconds=3, clock=lambda: float(next(ticks)))
    with pytest.raises(GuardTooSlow) as caught:
        guard_languages(_many(10), ["de"], budget=budget)
    assert caught.value.said is not None and caught.value.said.code == Code.GUARD_TOO_SLOW
    assert caught.value.said.params == {"seconds": "3"}
    assert "10 quality profiles, 10 custom formats" in str(caught.value)  # the log's


def test_a_guard_within_its_budget_is_judged_whole() -> None:
    frozen = Budget(seconds=0, clock=lambda: 0.0)
    [guard] = guard_languages(_many(3), ["de"], budget=frozen)
    assert guard.exposed == ["P0", "P1", "P2"] and guard.more == {}


def test_a_guard_stored_before_the_bounds_is_read_back_bounded() -> None:
    stored = {"target": "de", "exposed": ["x" * 300] * 20_000, "more": {"exposed": 5}}
    guard = LanguageGuard.from_data(stored)
    assert guard is not None and len(guard.exposed) == MAX_NAMES
    assert {len(name) for name in guard.exposed} == {100}
    assert guard.more == {"exposed": 20_000 - MAX_NAMES + 5}


def test_only_the_first_targets_are_judged() -> None:
    assert len(guard_languages(_many(1), ["de"] * 100)) == 20

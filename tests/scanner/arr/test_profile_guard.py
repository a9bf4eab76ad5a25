"""The guard's rule (scanner.arr.profile_guard), on profiles and formats as the client
parses them (Language ids as Sonarr v4's Language.cs numbers them)."""

from __future__ import annotations

from scanner.arr.profile_guard import guard_languages, language_ids
from scanner.arr.profiles import (
    CustomFormat,
    LanguageCondition,
    ProfileSettings,
    QualityProfile,
    parse_format,
)

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

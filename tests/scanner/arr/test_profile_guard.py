"""The guard's rule (scanner.arr.profile_guard), on profiles and formats as the client
parses them (Language ids as Sonarr v4's Language.cs numbers them)."""

from __future__ import annotations

import itertools

import pytest

from scanner.arr.format_match import MAX_NESTING, Release, compiled_pattern, matches
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
    TitleCondition,
    parse_format,
    parse_profile,
)
from scanner.http.reasons import Code

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


# TRaSH's French formats, verbatim (TRaSH-Guides/Guides docs/json/sonarr/cf/, the same
# in docs/json/radarr/cf/): french-vfq.json "VFQ", french-vff.json "VFF".
NOT_BOTH = r"\b(VF2|(VF(F|Q)[ .]VF(F|Q)))\b"
TRASH_VFQ = (
    TitleCondition(r"\b(VFQ|\d{3,4}p[ .]CAN?|(?<=MULTi[ .])(FR(A|ENCH)|CAN?))\b", required=True),
    TitleCondition(NOT_BOTH, negate=True, required=True),
)
TRASH_VFF = (
    TitleCondition(r"\b(TRUEFRENCH|VFF)\b", required=True),
    TitleCondition(NOT_BOTH, negate=True, required=True),
)


def test_trashs_vfq_matches_vfq_release_names() -> None:
    """The patterns are .NET's, matched case-insensitively: Python's re reads these."""
    vfq = CustomFormat(1, "VFQ", titles=TRASH_VFQ)
    french = ("French", "English")

    def matched(title: str) -> bool:
        return matches(vfq, Release(title, french), SONARR_LANGUAGES)

    assert matched("Show.S01E01.MULTi.VFQ.1080p")
    assert matched("show.s01e01.multi.vfq.1080p.web.h264-grp")
    assert matched("Movie.2019.MULTi.FRENCH.1080p.WEB.H264-GRP")  # TRaSH's own reading
    assert not matched("Show.S01E01.MULTi.VFF.1080p")
    assert not matched("Movie.2019.MULTi.VF2.1080p.BluRay.x264-GRP")  # not VFQ alone
    assert not matched("Show.S01E01.MULTi.VFF.VFQ.1080p")


def test_a_format_named_anything_with_a_vfq_title_condition_keeps_vfq() -> None:
    quebec = CustomFormat(7, "Québec", titles=(TitleCondition(r"\bVFQ\b"),))
    [guard] = guard_languages(_settings([quebec], {7: 50}), ["fr-CA"])
    assert guard.protected == ["HD-1080p"] and guard.protecting_formats == ["Québec"]
    assert guard.variety_checked and guard.language_only_formats == []


def test_a_plain_french_format_does_not_keep_vfq() -> None:
    french = CustomFormat(2, "Language: French", (LanguageCondition(2),))
    [guard] = guard_languages(_settings([french], {2: 100}), ["fr-CA"])
    assert guard.exposed == ["HD-1080p"]
    assert guard.language_only_formats == ["Language: French"]
    assert guard.trash_formats == ["VFQ", "VQ", "VF2"]
    [plain] = guard_languages(_settings([french], {2: 100}), ["fr"])
    assert plain.protected == ["HD-1080p"]  # a plain target: the language is all


def test_trashs_vff_scored_below_zero_keeps_vfq_and_above_zero_vff() -> None:
    vff = CustomFormat(3, "VFF", titles=TRASH_VFF)
    [quebec] = guard_languages(_settings([vff], {3: -10000}), ["fr-CA"])
    assert quebec.protected == ["HD-1080p"]
    [france] = guard_languages(_settings([vff], {3: 10}), ["fr-FR"])
    assert france.protected == ["HD-1080p"]
    [quebec_scored] = guard_languages(_settings([vff], {3: 10}), ["fr-CA"])
    assert quebec_scored.exposed == ["HD-1080p"]


def test_a_vfq_condition_beside_a_french_one_keeps_vfq() -> None:
    """Groups by kind (CustomFormatCalculationService.cs): both must match."""
    cf = CustomFormat(4, "FR Québec", (LanguageCondition(2, required=True),), TRASH_VFQ)
    [guard] = guard_languages(_settings([cf], {4: 10}), ["fr-CA"])
    assert guard.protected == ["HD-1080p"]


@pytest.mark.parametrize(
    "pattern",
    [r"(a+)+$", r"(VFQ|VF)*x", r"(.)\1", r".*.*.*.*VFQ", "(" * 500 + ")" * 500, "[", "x" * 3000],
)
def test_a_pattern_that_could_backtrack_without_bound_is_not_evaluated(pattern: str) -> None:
    assert compiled_pattern(pattern) is None
    cf = CustomFormat(5, "Odd", titles=(TitleCondition(pattern),))
    [guard] = guard_languages(_settings([cf], {5: 10}), ["fr-CA"])
    assert guard.exposed == ["HD-1080p"]


def test_a_net_named_group_is_read() -> None:
    cf = CustomFormat(6, "Named", titles=(TitleCondition(r"\b(?<dub>VFQ)\b"),))
    [guard] = guard_languages(_settings([cf], {6: 10}), ["fr-CA"])
    assert guard.protected == ["HD-1080p"]


def test_a_release_title_condition_is_read_from_the_api_fields() -> None:
    cf = parse_format({
        "id": 3, "name": "VFQ",
        "specifications": [
            {"implementation": "ReleaseTitleSpecification", "negate": True, "required": True,
             "fields": [{"name": "value", "value": NOT_BOTH}]},
            {"implementation": "ReleaseTitleSpecification", "fields": [{"name": "value"}]},
        ],
    })  # fmt: skip
    assert cf.titles == (TitleCondition(NOT_BOTH, negate=True, required=True),)


@pytest.mark.parametrize(
    ("language", "original", "other"),
    [({"id": -2, "name": "Original"}, ["HD"], []), ({"id": 1, "name": "English"}, [], ["HD"]),
     ({"id": -1, "name": "Any"}, [], []), ({"id": 2, "name": "French"}, [], []),
     (None, [], []), ("Original", [], [])],
)  # fmt: skip
def test_a_radarr_profiles_language(
    language: object, original: list[str], other: list[str]
) -> None:
    """Radarr's DecisionEngine LanguageSpecification: Original wants the item's original
    language in the release, another language that one; Any takes every release."""
    row = {"id": 1, "name": "HD", "upgradeAllowed": False, "language": language}
    settings = ProfileSettings((parse_profile(row),), (), SONARR_LANGUAGES)
    [guard] = guard_languages(settings, ["fr-CA"])
    assert guard.original_language_profiles == original
    assert guard.other_language_profiles == other
    assert guard.safe == ["HD"]


def test_a_guard_stored_before_varieties_were_checked_reads_back() -> None:
    guard = LanguageGuard.from_data({"target": "fr-CA", "variety_told": False})
    assert guard is not None and not guard.variety_checked
    assert guard.original_language_profiles == []


def test_weighing_formats_on_releases_stops_at_the_budget() -> None:
    """A clock that moves a second per look: weighing release titles looks at it per
    release, so a format of many patterns cannot run far past the budget."""
    ticks = itertools.count()
    budget = Budget(seconds=3, clock=lambda: float(next(ticks)))
    titles = tuple(TitleCondition(rf"\bVF{n}\b") for n in range(100))
    settings = _settings([CustomFormat(1, "Many", titles=titles)], {1: 10})
    with pytest.raises(GuardTooSlow):
        guard_languages(settings, ["fr-CA"], budget=budget)


def test_a_pattern_nested_deeper_than_the_bound_is_refused_unread() -> None:
    """Groups nested past MAX_NESTING are refused before Python's parser recurses into
    them (escaped parentheses do not count); TRaSH's own patterns nest far less."""
    assert compiled_pattern("(" * (MAX_NESTING + 1) + "x" + ")" * (MAX_NESTING + 1)) is None
    assert compiled_pattern("(" * MAX_NESTING + "x" + ")" * MAX_NESTING) is not None
    assert compiled_pattern(r"\(" * 200 + "x") is not None

"""The judgement of a quality profile for a wish (scanner.wish_profiles.judge), on
profiles and formats as the client parses them (scanner.arr.profiles), Language ids as
Sonarr v4's and Radarr v5's Language.cs number them.

The formats are shaped like the TRaSH guides' (TRaSH-Guides/Guides
``docs/json/radarr/cf/``): french-vff.json "VFF" (TRUEFRENCH|VFF required, not VF2),
french-vfq.json "VFQ" (VFQ, not VF2), multi-audio.json "Multi-Audio" (MULTi), german.json
"German" (Language German), german-dl.json "German DL" (the title's German DL)."""

from __future__ import annotations

import itertools

import pytest

from scanner.arr.format_match import ORIGINAL
from scanner.arr.profile_guard import ANY, Budget, GuardTooSlow
from scanner.arr.profiles import (
    CustomFormat,
    LanguageCondition,
    ProfileSettings,
    QualityProfile,
    TitleCondition,
)
from scanner.wish_profiles import judge
from scanner.wish_profiles.samples import holds, samples

LANGUAGES = {
    -2: "Original", -1: "Any", 0: "Unknown", 1: "English", 2: "French", 3: "Spanish",
    4: "German", 8: "Japanese", 18: "Portuguese", 33: "Portuguese (Brazil)",
    34: "Spanish (Latino)",
}  # fmt: skip

VFF = CustomFormat(
    1,
    "VFF",
    titles=(
        TitleCondition(r"\b(TRUEFRENCH|VFF)\b", required=True),
        TitleCondition(r"\b(VF2)\b", negate=True, required=True),
    ),
)
VFQ = CustomFormat(
    2,
    "VFQ",
    titles=(
        TitleCondition(r"\b(VFQ|VQ)\b", required=True),
        TitleCondition(r"\b(VF2)\b", negate=True, required=True),
    ),
)
MULTI = CustomFormat(3, "Multi-Audio", titles=(TitleCondition(r"\b(MULTi(?![ .-]subs?))(\d|\b)"),))
GERMAN = CustomFormat(4, "German", languages=(LanguageCondition(4),))
GERMAN_DL = CustomFormat(5, "German DL", titles=(TitleCondition(r"(?i)german\s*\.?dl"),))
VF2 = CustomFormat(6, "VF2", titles=(TitleCondition(r"\bVF2\b"),))
FORMATS = (VFF, VFQ, MULTI, GERMAN, GERMAN_DL, VF2)


def _profile(
    scores: dict[int, int], *, min_format_score: int = 0, language_id: int | None = None
) -> QualityProfile:
    return QualityProfile(
        id=7,
        name="HD-1080p",
        upgrade_allowed=True,
        scores=scores,
        min_format_score=min_format_score,
        language_id=language_id,
    )


def _judge(wish: str, profile: QualityProfile, wishes: tuple[str, ...] = ()) -> judge.Judgement:
    settings = ProfileSettings(profiles=(profile,), formats=FORMATS, languages=LANGUAGES)
    return judge.judge_all(settings, (wish, *wishes))[wish][profile.id]


def test_a_quebec_profile_grabs_the_vfq_over_the_vff() -> None:
    quebec = _profile({VFQ.id: 1000, MULTI.id: 100})
    found = _judge("fr-CA", quebec)
    assert found.ok and found.code == judge.OK
    assert found.values["wanted"] == "Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP"
    assert found.values["wanted_score"] == 1100
    # MULTi.VFF and MULTi.VF2 score the Multi-Audio's 100; the VF2 holds the Quebec dub
    # too, so the best release without it is the MULTi.VFF.
    assert found.values["other"] == "Movie.2019.MULTi.VFF.1080p.WEB.H264-GRP"
    assert found.values["other_score"] == 100


def test_a_france_profile_would_grab_the_vff_for_a_quebec_family() -> None:
    france = _profile({VFF.id: 1000, MULTI.id: 100})
    found = _judge("fr-CA", france)
    assert not found.ok and found.code == judge.OTHER_FIRST
    assert found.values["other"] == "Movie.2019.MULTi.VFF.1080p.WEB.H264-GRP"
    assert found.values["other_score"] == 1100
    # The best Quebec release: the VF2 (both dubs) and the MULTi.VFQ score 100 alike, the
    # samples' order names the first.
    assert found.values["wanted"] == "Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP"
    assert found.values["wanted_score"] == 100


def test_the_same_profile_is_right_for_france() -> None:
    france = _profile({VFF.id: 1000, MULTI.id: 100})
    assert _judge("fr-FR", france).code == judge.OK


def test_a_dual_wish_needs_the_original_beside_the_dub() -> None:
    """VFQ alone and MULTi.VFQ score alike without a MULTi format: the dual wish is not
    kept (a tie is the indexer's); with it, the dual release wins."""
    no_multi = _profile({VFQ.id: 1000})
    tie = _judge("original+fr-CA", no_multi)
    assert tie.code == judge.TIE and not tie.ok
    assert tie.values["other"] == "Movie.2019.VFQ.1080p.WEB.H264-GRP"
    with_multi = _profile({VFQ.id: 1000, MULTI.id: 100})
    assert _judge("original+fr-CA", with_multi).code == judge.OK


def test_a_german_dub_profile_for_a_german_household() -> None:
    german = _profile({GERMAN_DL.id: 1100, GERMAN.id: 1000})
    found = _judge("deu", german)
    assert found.code == judge.OK
    assert found.values["wanted"] == "Movie.2019.GERMAN.DL.1080p.WEB.H264-GRP"
    assert found.values["other"] == "Movie.2019.1080p.WEB.H264-GRP"


def test_an_original_only_anime_in_a_german_profile() -> None:
    """Scoring German (a Language condition, TRaSH's german.json) takes the German dub
    alone as readily as German DL: the original is not kept."""
    german = _profile({GERMAN.id: 1000})
    found = _judge("original", german, ("deu",))
    assert found.code == judge.TIE
    assert found.values["other"] == "Movie.2019.GERMAN.1080p.WEB.H264-GRP"


def test_a_profile_that_scores_nothing() -> None:
    found = _judge("fr-CA", _profile({}))
    assert found.code == judge.NO_SCORES and not found.ok


def test_below_the_minimum_score_the_wanted_release_is_rejected() -> None:
    """CustomFormatAllowedByProfileSpecification.cs: a score below minFormatScore is
    rejected, whatever else it is."""
    picky = _profile({VFQ.id: 50, VFF.id: 500}, min_format_score=100)
    found = _judge("fr-CA", picky)
    assert found.code == judge.BELOW_MINIMUM
    assert found.values == {
        "wanted": "Movie.2019.VFQ.1080p.WEB.H264-GRP",
        "wanted_score": 50,
        "minimum": 100,
    }


def test_only_the_wanted_release_passes_the_minimum() -> None:
    picky = _profile({VFQ.id: 500}, min_format_score=100)
    found = _judge("fr-CA", picky)
    assert found.ok and found.code == judge.ONLY_WANTED


def test_radarr_profile_language_rejects_what_lacks_it() -> None:
    """Radarr's LanguageSpecification.cs: a profile whose language is German rejects
    every release without German, whatever it scores."""
    german_only = _profile({VFQ.id: 1000}, language_id=4)
    found = _judge("fr-CA", german_only, ("deu",))
    assert found.code == judge.LANGUAGE_OTHER
    assert found.values["language"] == "German"
    rows = {s.title: s.rejected for s in found.samples}
    assert rows["Movie.2019.GERMAN.1080p.WEB.H264-GRP"] == ""
    assert rows["Movie.2019.VFQ.1080p.WEB.H264-GRP"] == judge.LANGUAGE


def test_radarr_original_language_keeps_only_dual_releases_for_a_dub() -> None:
    """Language Original (Radarr v6's default) rejects the VFQ alone; the MULTi.VFQ has
    the original beside the dub, and is taken."""
    original = _profile({VFQ.id: 1000}, language_id=ORIGINAL)
    found = _judge("fr-CA", original)
    assert found.code == judge.OK
    assert found.values["wanted"] == "Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP"
    rows = {s.title: s.rejected for s in found.samples}
    assert rows["Movie.2019.VFQ.1080p.WEB.H264-GRP"] == judge.LANGUAGE
    assert _judge("fr-CA", _profile({VFQ.id: 1000}, language_id=ANY)).values["wanted"] == (
        "Movie.2019.VFQ.1080p.WEB.H264-GRP"
    )


def test_an_english_dub_assumes_a_japanese_original() -> None:
    """An English target: the samples' original is Japanese, and a profile whose
    language is English rejects the original alone; the dual release has English and
    ties with the English dub alone."""
    english = _profile({}, language_id=1)
    found = _judge("original", english, ("en",))
    rows = {s.title: s.rejected for s in found.samples}
    assert rows["Movie.2019.1080p.WEB.H264-GRP"] == judge.LANGUAGE
    assert rows["Movie.2019.ENGLISH.1080p.WEB.H264-GRP"] == ""
    assert found.code == judge.NO_SCORES
    assert found.values["wanted"] == "Movie.2019.MULTi.ENGLISH.1080p.WEB.H264-GRP"


def test_an_instance_with_no_dub_wanted_has_nothing_to_prefer() -> None:
    """The original only, and no target anywhere: the only sample is the original."""
    found = _judge("original", _profile({VFQ.id: 1000}))
    assert found.ok and found.code == judge.ALL_WANTED
    assert [s.title for s in found.samples] == ["Movie.2019.1080p.WEB.H264-GRP"]


def test_a_malformed_wish() -> None:
    assert _judge("original+xx-!!", _profile({})).code == judge.UNKNOWN_WISH


def test_samples_hold_their_varieties() -> None:
    pool = {s.title.split(".")[2] + "." + s.title.split(".")[3]: s for s in samples(["fr-CA"])}
    assert holds(pool["MULTi.VF2"], "fr-CA") and holds(pool["MULTi.VF2"], "fr-FR")
    assert not holds(pool["FRENCH.1080p"], "fr-CA")
    assert holds(pool["FRENCH.1080p"], "fra") and holds(pool["VFQ.1080p"], "fra")
    assert holds(pool["VFQ.1080p"], "fr-CA") and not holds(pool["TRUEFRENCH.1080p"], "fr-CA")


def test_a_variety_no_release_names_is_judged_as_its_language() -> None:
    """de-CH: no release word says Swiss German; the *arr can only tell German."""
    [german, german_dl] = [s for s in samples(["de-CH"]) if "GERMAN" in s.title]
    assert holds(german, "de-CH") and holds(german_dl, "de-CH")


def test_another_language_takes_its_english_name_as_the_release_word() -> None:
    titles = [s.title for s in samples(["it"])]
    assert "Movie.2019.ITALIAN.1080p.WEB.H264-GRP" in titles
    assert "Movie.2019.MULTi.ITALIAN.1080p.WEB.H264-GRP" in titles


def test_each_format_is_matched_once_per_sample_whatever_the_profiles() -> None:
    """The work is the formats times the samples: a hundred profiles and every wish
    judge in the guard's budget (no clock asked more than per format and per profile)."""
    profiles = tuple(
        QualityProfile(id=i, name=f"P{i}", upgrade_allowed=True, scores={VFQ.id: i})
        for i in range(100)
    )
    settings = ProfileSettings(profiles=profiles, formats=FORMATS, languages=LANGUAGES)
    wishes = ("original", "fr-CA", "original+fr-CA", "deu")
    found = judge.judge_all(settings, wishes)
    assert set(found) == set(wishes) and all(len(found[w]) == 100 for w in wishes)


def test_past_the_budget_nothing_is_kept() -> None:
    ticks = itertools.count()
    budget = Budget(seconds=3, clock=lambda: float(next(ticks)))
    settings = ProfileSettings(
        profiles=(_profile({VFQ.id: 1}),), formats=FORMATS, languages=LANGUAGES
    )
    with pytest.raises(GuardTooSlow):
        judge.judge_all(settings, ("fr-CA",), budget=budget)


def test_each_sample_says_its_score_formats_and_whether_wanted() -> None:
    found = _judge("fr-CA", _profile({VFQ.id: 1000}))
    first = found.samples[0]
    assert (first.title, first.score, first.formats, first.wanted, first.rejected) == (
        "Movie.2019.1080p.WEB.H264-GRP",
        0,
        (),
        False,
        "",
    )
    vfq = next(s for s in found.samples if s.title == "Movie.2019.VFQ.1080p.WEB.H264-GRP")
    assert vfq.formats == ("VFQ",) and vfq.wanted and vfq.score == 1000


# Issue 92 finding 4: a DUAL release holds the original, but Sonarr's and Radarr's
# LanguageParser.cs read no "DUAL": the *arr sees the dub's language alone.
ORIGINAL_LANGUAGE = CustomFormat(20, "Original Language", languages=(LanguageCondition(ORIGINAL),))
DUB_WORDS = {"es-419": "LATINO", "es-ES": "CASTELLANO", "pt-BR": "DUBLADO"}
DUB_FORMATS = {
    wish: CustomFormat(21 + index, word.title(), titles=(TitleCondition(rf"\b{word}\b"),))
    for index, (wish, word) in enumerate(DUB_WORDS.items())
}


def _judge_dub(
    wish: str, scores: dict[int, int], *, app: str | None = None, **values: int
) -> judge.Judgement:
    formats = (ORIGINAL_LANGUAGE, *DUB_FORMATS.values())
    profile = _profile(scores, **values)
    settings = ProfileSettings(profiles=(profile,), formats=formats, languages=LANGUAGES)
    return judge.judge_all(settings, (wish,), app=app)[wish][profile.id]


@pytest.mark.parametrize("wish", sorted(DUB_WORDS))
@pytest.mark.parametrize("app", ["sonarr", "radarr", None])
def test_a_minimum_only_a_dual_original_would_reach_grabs_no_dual_dub(
    wish: str, app: str | None
) -> None:
    """The dub's word scores 500, the original's language 500, the minimum is 1000: had
    the *arr read the original in DUAL.LATINO, it would take it alone (✓); it reads
    Spanish (Latino) alone, 500, and rejects every dubbed release."""
    scores = {DUB_FORMATS[wish].id: 500, ORIGINAL_LANGUAGE.id: 500}
    found = _judge_dub(wish, scores, min_format_score=1000, app=app)
    assert not found.ok and found.code == judge.BELOW_MINIMUM
    assert found.values["wanted_score"] == 500 and found.values["minimum"] == 1000
    rows = {s.title: (s.score, s.rejected) for s in found.samples}
    assert rows[f"Movie.2019.DUAL.{DUB_WORDS[wish]}.1080p.WEB.H264-GRP"] == (500, judge.MINIMUM)


def test_radarr_original_language_rejects_a_dual_latino() -> None:
    """Radarr's profile language Original (LanguageSpecification.cs) takes a release
    whose languages hold the movie's: a DUAL.LATINO's do not, as Radarr reads it."""
    latino = DUB_FORMATS["es-419"]
    found = _judge_dub("original+es-419", {latino.id: 1000}, language_id=ORIGINAL, app="radarr")
    assert not found.ok and found.code == judge.LANGUAGE_ORIGINAL
    rows = {s.title: s.rejected for s in found.samples}
    assert rows["Movie.2019.DUAL.LATINO.1080p.WEB.H264-GRP"] == judge.LANGUAGE


def test_a_language_word_is_judged_as_the_instance_kind_reads_it() -> None:
    """Radarr reads "TAMIL" (lowerTitle.Contains), Sonarr does not: to Sonarr the
    Tamil release alone is in the original's language (Unknown), and a Tamil format
    matches only the MULTi one (its indexer's Multi Languages setting). A profile that
    shuns MULTi keeps a Tamil wish in Radarr, not in Sonarr."""
    tamil = CustomFormat(30, "Tamil", languages=(LanguageCondition(43),))
    profile = _profile({tamil.id: 1000, MULTI.id: -2000})
    settings = ProfileSettings(
        profiles=(profile,), formats=(tamil, MULTI), languages={**LANGUAGES, 43: "Tamil"}
    )
    alone = "Movie.2019.TAMIL.1080p.WEB.H264-GRP"
    radarr = judge.judge_all(settings, ("ta",), app="radarr")["ta"][profile.id]
    assert radarr.ok and radarr.code == judge.OK and radarr.values["wanted"] == alone
    sonarr = judge.judge_all(settings, ("ta",), app="sonarr")["ta"][profile.id]
    assert not sonarr.ok and sonarr.code == judge.TIE
    assert {s.title: s.score for s in sonarr.samples}[alone] == 0

"""The fake's releases: languages read from real release names, custom formats scored as
Sonarr and Radarr score them, the release endpoint, and what a search grabs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from fakes.arr import (
    RADARR_V5,
    RADARR_V6,
    SONARR_V4,
    SONARR_V5,
    FakeArr,
    FakeArrOptions,
    build_movie,
    build_series,
)
from fakes.arr import format_samples as samples
from fakes.arr import release_names as names
from fakes.arr.profiles import custom_format, serve_formats
from fakes.arr.release_parser import parse_languages, parse_quality, release_languages
from fakes.arr.scoring import ReleaseInput, format_matches, python_pattern
from tests.fakes.arr.conftest import API_KEY

KEY = {"X-Api-Key": API_KEY}


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def start(app: str, version: str, *, original: str = "English", profile: int = 1) -> FakeArr:
    build = build_series if app == "sonarr" else build_movie
    item = {**build(1, original_language=original), "qualityProfileId": profile}
    fake = FakeArr(FakeArrOptions(app=app, version=version, api_key=API_KEY), items=[item])
    samples.seed(fake.state)
    return fake.start()


# -- the parser ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "app", "expected"),
    [
        # Sonarr LanguageParserFixture.should_parse_language_french
        (names.SONARR_FRENCH_VFQ, "sonarr", ["French"]),
        (names.SONARR_TRUEFRENCH, "sonarr", ["French"]),
        (names.SONARR_MULTI_VFI, "sonarr", ["French"]),
        # ...should_add_original_language_to_german_release_with_dl_tag
        (names.SONARR_GERMAN_DL, "sonarr", ["German", "Original"]),
        # ...should_add_original_language_and_english_to_german_release_with_ml_tag
        (names.SONARR_GERMAN_ML, "sonarr", ["German", "Original", "English"]),
        # ...should_not_add_original_language_to_german_release_when_title_contains_web_dl
        (names.SONARR_GERMAN_WEB_DL, "sonarr", ["German"]),
        # ...should_parse_original_title_from_release_name
        (names.SONARR_ORIG, "sonarr", ["Original"]),
        (names.SONARR_LATINO, "sonarr", ["Spanish (Latino)"]),
        (names.SONARR_ITALIAN, "sonarr", ["Italian"]),
        (names.SONARR_JAPANESE, "sonarr", ["Japanese"]),
        # AggregateLanguagesFixture: a bare MULTi parses to nothing
        (names.SONARR_MULTI, "sonarr", ["Unknown"]),
        # Radarr LanguageParserFixture.should_parse_language_french
        (names.RADARR_VFF, "radarr", ["French"]),
        (names.RADARR_MULTI_VF, "radarr", ["French"]),
        (names.RADARR_GERMAN_ML, "radarr", ["German", "Original", "English"]),
        (names.RADARR_ORIGINAL, "radarr", ["Original"]),
    ],
)
def test_languages_parsed_as_the_fixtures_say(title: str, app: str, expected: list[str]) -> None:
    assert parse_languages(title, app) == expected


def test_multi_takes_the_indexer_setting_and_original_becomes_the_items_language() -> None:
    """AggregateLanguagesFixture: MULTi with the indexer's Multi Languages; Original is
    replaced by the item's original language; nothing parsed: the original language."""
    multi = ("Original", "French")
    assert release_languages(names.SONARR_MULTI, "sonarr", "Japanese", multi) == [
        "French",
        "Japanese",
    ]
    assert release_languages(names.SONARR_MULTI, "sonarr", "Japanese", ()) == ["Japanese"]
    assert release_languages(names.SONARR_MULTI_VFQ, "sonarr", "English", multi) == [
        "French",
        "English",
    ]
    assert release_languages(names.SONARR_GERMAN_DL, "sonarr", "German", ()) == [
        "German",
        "Unknown",
    ]


@pytest.mark.parametrize(
    ("title", "quality", "revision"),
    [
        (names.SONARR_FRENCH_VFQ, "WEBDL-720p", 1),
        (names.SONARR_MULTI_VFI, "WEBDL-1080p", 1),  # "WEB x265": SourceRegex's webdl
        (names.RADARR_MULTI_VFQ, "Bluray-1080p", 1),
        (names.RADARR_GERMAN_DL, "Bluray-1080p", 1),
        (names.SONARR_GERMAN, "SDTV", 1),  # HDTV with no resolution
        (names.SONARR_LATINO, "Unknown", 1),
        ("Series.Title.S01E01.PROPER.1080p.WEB-DL.H264-RlsGrp", "WEBDL-1080p", 2),
    ],
)
def test_quality_parsed(title: str, quality: str, revision: int) -> None:
    """QualityParser.ParseQuality's SourceRegex, ResolutionRegex, ProperRegex."""
    parsed = parse_quality(title)
    assert (parsed.name, parsed.revision) == (quality, revision)


# -- the formats ---------------------------------------------------------------------

IDS = {"French": 2, "English": 1, "German": 4, "Japanese": 8}


def served(cf: dict[str, object]) -> dict[str, object]:
    [format_] = serve_formats([cf], "sonarr", (4, 0))  # type: ignore[list-item]
    return format_


def release(title: str, *languages: str, original: str = "English") -> ReleaseInput:
    return ReleaseInput(title, tuple(IDS[name] for name in languages), IDS[original])


def test_each_implementation_needs_its_required_conditions_and_one_match() -> None:
    """SpecificationMatchesGroup.DidMatch per implementation: VFQ (french-vfq.json) needs
    its VFQ title and not VF2; a release with both VFF and VFQ is VF2, not VFQ."""
    vfq = served(samples.VFQ)
    assert format_matches(vfq, release(names.SONARR_FRENCH_VFQ, "French"))
    assert not format_matches(vfq, release(names.SONARR_FRENCH_VFF, "French"))
    assert not format_matches(vfq, release(names.SONARR_MULTI_VFF_VFQ, "French"))
    assert format_matches(served(samples.VF2), release(names.SONARR_MULTI_VFF_VFQ, "French"))
    # (?<=MULTi[ .])FRENCH is VFQ by TRaSH's rule; MULTi.VFF.VFQ is not.
    assert format_matches(vfq, release("Movie.2019.MULTi.FRENCH.1080p.WEB.H264-GRP", "French"))


def test_no_required_condition_needs_only_one_match() -> None:
    either = served(
        custom_format(1, "Either", titles=[(r"\bVF2\b", False, False), (r"\bVFI\b", False, False)])
    )
    assert format_matches(either, release(names.SONARR_FRENCH_VF2))
    assert not format_matches(either, release(names.SONARR_FRENCH_VFQ))


def test_original_stands_for_the_items_language_negate_and_except() -> None:
    """LanguageSpecification: -2 is the item's original language; negate inverts;
    exceptLanguage: any other language present."""
    german = served(samples.GERMAN)
    german_dl = served(samples.GERMAN_DL)
    besides = served(samples.BESIDES_ORIGINAL)
    dub = release(names.SONARR_GERMAN_WEB_DL, "German")
    dual = release(names.SONARR_GERMAN_DL, "German", "English")
    assert format_matches(german, dub) and not format_matches(german_dl, dub)
    # German DL's title is refused by German's "DL" negated condition anyway.
    assert not format_matches(german, dual) and format_matches(german_dl, dual)
    assert format_matches(besides, dual)
    assert not format_matches(besides, release(names.SONARR_ORIGINAL, "English"))
    # A German film's German release is its original: not a German dub.
    assert not format_matches(
        german, release(names.SONARR_GERMAN_WEB_DL, "German", original="German")
    )


def test_a_dotnet_variable_lookbehind_is_rewritten() -> None:
    assert python_pattern(r"(?<!WEB[-_. ]?)\b(DL)\b") == r"(?<!WEB)(?<!WEB[-_. ])\b(DL)\b"


# -- the endpoint --------------------------------------------------------------------


def test_sonarr_serves_a_seasons_releases_scored_with_the_current_profile(http) -> None:
    with start("sonarr", SONARR_V4, profile=samples.VFQ_ID) as fake:
        fake.state.set_releases(1, names.SONARR_FRENCH_CHOICE)
        params = {"seriesId": 1, "seasonNumber": 1}
        answer = http.get(f"{fake.url}/api/v3/release", params=params, headers=KEY)
    assert answer.status_code == 200
    rows = answer.json()
    first = rows[0]
    assert first["title"] == names.SONARR_FRENCH_VFQ
    assert first["customFormats"] == [  # every format matched, by name; scored or not
        {"id": samples.BESIDES_ORIGINAL["id"], "name": "Language: Besides Original"},
        {"id": samples.NOT_ORIGINAL["id"], "name": "Language: Not Original"},
        {"id": samples.VFQ["id"], "name": "VFQ"},
    ]
    assert (first["customFormatScore"], first["approved"], first["rejected"]) == (1000, True, False)
    assert first["languages"] == [{"id": 2, "name": "French"}]
    assert first["quality"]["quality"]["name"] == "WEBDL-720p"
    assert first["mappedSeriesId"] == 1 and first["releaseWeight"] == 0
    by_title = {row["title"]: row for row in rows}
    vff = by_title[names.SONARR_FRENCH_VFF]
    assert vff["customFormatScore"] == -1000 and vff["rejected"] is True
    # CustomFormatAllowedByProfileSpecification's message
    assert vff["rejections"] == [
        "Custom Formats Language: Besides Original, Language: Not Original, VFF have score -1000"
        " below Series profile minimum 0"
    ]
    multi = by_title[names.SONARR_MULTI_VFF]
    assert multi["languages"] == [{"id": 2, "name": "French"}, {"id": 1, "name": "English"}]
    assert [row["releaseWeight"] for row in rows] == list(range(len(rows)))


def test_the_rss_feed_has_every_items_releases_and_v5_its_own_shape(http) -> None:
    """ReleaseController.GetReleases: neither episodeId nor seriesId + seasonNumber is
    the RSS feed. v5's ReleaseResource nests the title and the verdict."""
    with start("sonarr", SONARR_V5, profile=samples.VFQ_ID) as fake:
        fake.state.set_releases(1, [names.SONARR_FRENCH_VFF, names.SONARR_FRENCH_VFQ])
        rss = http.get(f"{fake.url}/api/v3/release?seriesId=1", headers=KEY).json()
        v5 = http.get(f"{fake.url}/api/v5/release?seriesId=1&seasonNumber=1", headers=KEY)
    assert [row["title"] for row in rss] == [names.SONARR_FRENCH_VFQ, names.SONARR_FRENCH_VFF]
    assert v5.status_code == 200
    first, second = v5.json()
    assert first["release"]["title"] == names.SONARR_FRENCH_VFQ
    assert first["decision"] == {
        "approved": True,
        "temporarilyRejected": False,
        "rejected": False,
        "rejections": [],
    }
    assert second["decision"]["rejections"][0]["reason"] == "customFormatMinimumScore"
    assert first["customFormatScore"] == 1000


def test_radarr_serves_a_movies_releases_with_the_profile_language(http) -> None:
    """Radarr's LanguageSpecification: the "Original" profile wants the original
    language: a German-only release is refused."""
    with start("radarr", RADARR_V6, profile=samples.ORIGINAL_ID) as fake:
        fake.state.set_releases(1, [names.RADARR_GERMAN, names.RADARR_ORIGINAL])
        rows = http.get(f"{fake.url}/api/v3/release?movieId=1", headers=KEY).json()
    assert [row["title"] for row in rows] == [names.RADARR_ORIGINAL, names.RADARR_GERMAN]
    assert rows[0]["approved"] is True and rows[0]["mappedMovieId"] == 1
    assert rows[1]["rejections"] == [
        "Original Language (English) is wanted, but found German",
        "Custom Formats German, Language: Besides Original, Language: Not Original have score"
        " -11000 below Movie's profile minimum 0",
    ]


def test_quality_comes_before_the_custom_format_score(http) -> None:
    """DownloadDecisionComparer: CompareQuality first; a Bluray-1080p VFF beats a WEBDL-720p
    VFQ even with the VFQ profile, as long as it is not refused."""
    with start("radarr", RADARR_V5, profile=samples.MULTI_VFQ_ID) as fake:
        fake.state.set_releases(1, [names.SONARR_FRENCH_VFQ, names.RADARR_MULTI_VF])
        rows = http.get(f"{fake.url}/api/v3/release?movieId=1", headers=KEY).json()
    assert [(row["quality"]["quality"]["name"], row["customFormatScore"]) for row in rows] == [
        ("Bluray-1080p", 1000),
        ("WEBDL-720p", 1000),
    ]
    # Radarr's QualitySource words (QualitySource.cs): "webdl" where Sonarr says "web".
    assert rows[1]["quality"]["quality"]["source"] == "webdl"


# -- the search ----------------------------------------------------------------------


def _search(http: requests.Session, fake: FakeArr, body: dict[str, object]) -> None:
    answer = http.post(f"{fake.url}/api/v3/command", json=body, headers=KEY)
    assert answer.status_code == 201


def test_the_vfq_release_is_grabbed_with_the_vfq_profile_and_loses_with_the_vff_one(http):
    with start("sonarr", SONARR_V4, profile=samples.MULTI_VFF_ID) as fake:
        fake.state.set_releases(1, names.SONARR_FRENCH_CHOICE)
        _search(http, fake, {"name": "SeriesSearch", "seriesId": 1})
        editor = {"seriesIds": [1], "qualityProfileId": samples.VFQ_ID}
        http.put(f"{fake.url}/api/v3/series/editor", json=editor, headers=KEY)
        _search(http, fake, {"name": "SeriesSearch", "seriesId": 1})
        grabs = fake.state.grabs(1)
    assert grabs == [names.SONARR_MULTI_VFF, names.SONARR_FRENCH_VFQ]


def test_an_episode_search_grabs_for_its_series_and_movies_search_for_each_movie(http):
    with start("sonarr", SONARR_V4, original="Japanese", profile=samples.ORIGINAL_ID) as fake:
        fake.state.set_releases(1, names.SONARR_ORIGINAL_CHOICE)
        fake.state.set_episodes(1, [{"id": 501, "seasonNumber": 1, "episodeNumber": 1}])
        _search(http, fake, {"name": "EpisodeSearch", "episodeIds": [501]})
        sonarr_grabs = fake.state.grabs(1)
    with start("radarr", RADARR_V6, profile=samples.GERMAN_ID) as fake:
        fake.state.set_releases(1, names.RADARR_GERMAN_CHOICE)
        _search(http, fake, {"name": "MoviesSearch", "movieIds": [1]})
        radarr_grabs = fake.state.grabs(1)
        control = http.get(f"{fake.url}/__fake__/grabs").json()
    # The dual German DL (German + Japanese) is refused by the Original profile.
    assert sonarr_grabs == [names.SONARR_UNTAGGED]
    assert radarr_grabs == [names.RADARR_GERMAN_DL]
    assert control == {"1": [names.RADARR_GERMAN_DL]}


def test_nothing_approved_grabs_nothing(http) -> None:
    with start("sonarr", SONARR_V4, profile=samples.GERMAN_ID) as fake:
        fake.state.set_releases(1, [names.SONARR_FRENCH_VFQ, names.SONARR_ORIGINAL])
        _search(http, fake, {"name": "SeriesSearch", "seriesId": 1})
        grabs = fake.state.grabs(1)
    assert grabs == []


def test_releases_are_set_over_the_control_routes_and_asked_by_episode(http) -> None:
    with start("sonarr", SONARR_V4, profile=samples.VFQ_ID) as fake:
        fake.state.set_episodes(1, [{"id": 501, "seasonNumber": 1, "episodeNumber": 1}])
        body = {"titles": [names.SONARR_FRENCH_VFQ], "quality": "WEBDL-1080p"}
        assert http.put(f"{fake.url}/__fake__/releases/1", json=body).status_code == 200
        assert http.put(f"{fake.url}/__fake__/multi-languages", json=[]).status_code == 200
        rows = http.get(f"{fake.url}/api/v3/release?episodeId=501", headers=KEY)
        unknown = http.get(f"{fake.url}/api/v3/release?episodeId=502", headers=KEY)
    assert [row["quality"]["quality"]["name"] for row in rows.json()] == ["WEBDL-1080p"]
    assert unknown.status_code == 500

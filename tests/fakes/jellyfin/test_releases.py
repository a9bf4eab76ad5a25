"""The update rules of each release the fake Jellyfin plays, from tables: what a body
changes on a stored item, what it clears by leaving it out, what it refuses, and what
a series' update does to its seasons and episodes."""

from __future__ import annotations

from typing import Any

import pytest

from fakes.jellyfin import DEFAULT_VERSION, RELEASES, FakeJellyfin, build_movie, build_series
from fakes.jellyfin.releases import release
from fakes.jellyfin.samples import build_seasons
from fakes.jellyfin.updates import UpdateRefused

SERIES = build_series(
    "s1", "Show", "/tv/Show", OriginalLanguage="ja", Status="Continuing", RunTimeTicks=10
)
JELLYFIN = ("10.8.13", "10.10.7", "10.11.11", "12.0.0")


def updated(
    version: str,
    item: dict[str, Any],
    body: dict[str, Any],
    children: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    copy: dict[str, Any] = {**item}
    saved: list[dict[str, Any]] = []
    release(version).update_item(copy, body, children or [], saved)
    return copy, saved


def test_the_releases_played_and_the_default() -> None:
    assert DEFAULT_VERSION == "12.0.0"
    assert list(RELEASES) == [*JELLYFIN, "emby-4.9.0.22"]
    assert RELEASES["emby-4.9.0.22"].version == "4.9.0.22"
    with pytest.raises(ValueError, match=r"plays 10\.8\.13, .*, not '10\.9\.11'"):
        FakeJellyfin(token="t", version="10.9.11")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Left out: cleared, OriginalLanguage too (new in 12.0) and a series' own fields.
        ({}, {"Name": None, "Overview": None, "OriginalLanguage": None, "RunTimeTicks": None}),
        ({}, {"Status": None, "CommunityRating": None, "ProductionYear": None}),
        # Left out: kept (12.0 assigns them only when present).
        ({}, {"Genres": ["Drama"], "Tags": [], "ProviderIds": {}, "LockedFields": []}),
        # Blank strings are stored as null.
        ({"OriginalLanguage": " ", "OfficialRating": ""}, {"OriginalLanguage": None}),
        ({"OfficialRating": ""}, {"OfficialRating": None}),
        # Distinct ignoring case, the first spelling kept; tags trimmed first.
        ({"Genres": ["Drama", "drama", "Anime"]}, {"Genres": ["Drama", "Anime"]}),
        ({"Tags": [" dub", "Dub ", "mine"]}, {"Tags": ["dub", "mine"]}),
        # Provider ids without a value are removed.
        ({"ProviderIds": {"Tvdb": "1", "Imdb": ""}}, {"ProviderIds": {"Tvdb": "1"}}),
        ({"LockData": None}, {"LockData": False}),
    ],
)
def test_12_0_update_of_a_series(body: dict[str, Any], expected: dict[str, Any]) -> None:
    after, _ = updated("12.0.0", SERIES, body)
    assert {name: after.get(name) for name in expected} == expected


@pytest.mark.parametrize("version", ["10.10.7", "10.11.11"])
def test_10_9_to_10_11_refuse_a_body_without_tags_after_overwriting_fields(version: str) -> None:
    """jellyfin issue 10724: Name, Overview, Genres are set before Tags is found null."""
    item = {**SERIES}
    with pytest.raises(UpdateRefused) as refused:
        release(version).update_item(item, {"Name": "New"}, [], [])
    assert refused.value.status == 400
    assert (item["Name"], item["Overview"], item["Genres"]) == ("New", None, None)
    body = {"Name": "New", "Tags": ["dub"]}  # and ProviderIds left out
    with pytest.raises(UpdateRefused, match="cannot be null"):
        release(version).update_item({**SERIES}, body, [], [])


def test_10_8_sets_every_field_from_the_body_tags_too() -> None:
    after, saved = updated("10.8.13", SERIES, {"Name": "Show", "ProviderIds": {"Tvdb": "1"}})
    assert (after["Tags"], after["Genres"], after["Overview"]) == (None, None, None)
    assert saved == []  # no season or episode is touched before 10.9


@pytest.mark.parametrize("version", ["10.11.11", "12.0.0"])
def test_a_body_with_trickplay_answers_500_from_10_11(version: str) -> None:
    movie = build_movie("m1", "Film", "/movies/Film.mkv", trickplay=True)
    with pytest.raises(UpdateRefused) as refused:
        updated(version, movie, {**movie})
    assert refused.value.status == 500 and "TrickplayInfoDto" in refused.value.text
    after, _ = updated(version, movie, {**movie, "Trickplay": {}})  # nothing to read
    assert after["Name"] == "Film"
    assert updated("10.10.7", movie, {**movie})[0]["Trickplay"] == movie["Trickplay"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("10.10.7", ["mine", "dub", "Dub"]),  # distinct exactly
        ("10.11.11", ["mine", "dub"]),  # distinct ignoring case
        ("12.0.0", ["mine", "dub"]),
    ],
)
def test_a_series_update_copies_its_added_and_removed_tags_to_each_child(
    version: str, expected: list[str]
) -> None:
    series = {**SERIES, "Tags": ["old"], "ProviderIds": {"Tvdb": "1"}}
    children = build_seasons(series, seasons=1, episodes=2)
    children[1]["Tags"] = ["old", "mine", "dub"]
    children[2]["LockedFields"] = ["Tags"]
    _, saved = updated(version, series, {**series, "Tags": ["dub", "Dub"]}, children)
    assert saved == children  # each season and episode saved, a locked one too
    assert children[0]["Tags"] == (["dub", "Dub"] if version == "10.10.7" else ["dub"])
    assert children[1]["Tags"] == expected
    assert children[2]["Tags"] == ["old"]  # its tags locked


def test_12_0_leaves_the_childrens_tags_alone_without_tags_in_the_body() -> None:
    series = {**SERIES, "Tags": ["dub"]}
    children = build_seasons(series, seasons=1, episodes=1)
    _, saved = updated("12.0.0", series, {"Name": "Show"}, children)
    assert len(saved) == 2 and all(child["Tags"] == ["dub"] for child in children)


def test_a_whole_item_sent_back_keeps_everything() -> None:
    for version in JELLYFIN:
        after, _ = updated(version, SERIES, SERIES)
        # Fields the item never had are now null, which the server leaves out of its JSON.
        kept = {name: value for name, value in after.items() if value is not None}
        assert kept == SERIES, version


def test_emby_leaves_the_tags_to_its_tag_endpoints() -> None:
    series = {**SERIES, "Tags": ["dub"]}
    after, saved = updated("emby-4.9.0.22", series, {**series, "Tags": []})
    assert after["Tags"] == ["dub"] and saved == []

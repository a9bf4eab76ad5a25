"""The update rules of the Jellyfin releases the fake plays, from tables: what a body
changes on a stored item, and what it clears by leaving it out."""

from __future__ import annotations

from typing import Any

import pytest

from fakes.jellyfin import DEFAULT_VERSION, RELEASES, FakeJellyfin, build_movie, build_series
from fakes.jellyfin.releases import update_item_12_0

SERIES = build_series(
    "s1", "Show", "/tv/Show", OriginalLanguage="ja", Status="Continuing", RunTimeTicks=10
)


def updated(item: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    copy = {**item}
    update_item_12_0(copy, body)
    return copy


def test_the_fake_reports_the_release_whose_rules_it_applies() -> None:
    assert DEFAULT_VERSION == "12.0.0"
    assert list(RELEASES) == ["12.0.0"]
    with pytest.raises(ValueError, match=r"plays 12\.0\.0, not '10\.10\.3'"):
        FakeJellyfin(token="t", version="10.10.3")


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
    after = updated(SERIES, body)
    assert {name: after.get(name) for name in expected} == expected


def test_12_0_clears_only_the_fields_of_the_items_kind() -> None:
    movie = build_movie("m1", "Film", "/movies/Film.mkv", RunTimeTicks=5, Video3DFormat="x")
    after = updated(movie, {"Name": "Film"})
    assert after["RunTimeTicks"] == 5  # "only allow this for series"
    assert after["Video3DFormat"] is None  # a Video's


def test_a_whole_item_sent_back_keeps_everything() -> None:
    after = updated(SERIES, SERIES)
    # Fields the item never had are now null, which the server leaves out of its JSON.
    assert {name: value for name, value in after.items() if value is not None} == SERIES

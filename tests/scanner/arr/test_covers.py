"""The covers of a series or movie as Sonarr and Radarr list them: ``images`` with
``coverType`` and the *arr's own ``url`` (with ``?lastWrite=`` once it holds a copy:
MediaCoverService.ConvertToLocalUrls, src/NzbDrone.Core/MediaCover/MediaCoverService.cs
in both), fetched from ``/api/v3/mediacover/{id}/{type}-{height}.jpg``
(src/Sonarr.Api.V3/MediaCovers/MediaCoverController.cs, Radarr.Api.V3's the same)."""

from __future__ import annotations

import pytest

from scanner.arr.covers import cover_path, parse_covers
from scanner.arr.payloads import parse_item

SERIES = {
    "id": 7,
    "path": "/tv/Show",
    "images": [
        {"coverType": "banner", "url": "/MediaCover/7/banner.jpg?lastWrite=1"},
        {
            "coverType": "poster",
            "url": "/sonarr/MediaCover/7/poster.jpg?lastWrite=638000000000000000",
            "remoteUrl": "https://artworks.thetvdb.com/banners/posters/7-1.jpg",
        },
        {"coverType": "fanart", "url": "/MediaCover/7/fanart.jpg"},
        {"coverType": "poster"},
        "not an image",
    ],
}


def test_the_poster_and_fanart_addresses_are_read_with_their_last_write() -> None:
    assert parse_covers(SERIES) == {
        "poster": "/sonarr/MediaCover/7/poster.jpg?lastWrite=638000000000000000",
        "fanart": "/MediaCover/7/fanart.jpg",
    }
    assert dict(parse_item(SERIES, kind="sonarr").covers) == parse_covers(SERIES)


@pytest.mark.parametrize("obj", [{}, {"images": None}, {"images": "x"}, [], None])
def test_no_images_is_no_covers(obj: object) -> None:
    assert parse_covers(obj) == {}


def test_the_scaled_copies_asked_for() -> None:
    assert cover_path(7, "poster") == "/api/v3/mediacover/7/poster-250.jpg"
    assert cover_path(7, "fanart") == "/api/v3/mediacover/7/fanart-360.jpg"

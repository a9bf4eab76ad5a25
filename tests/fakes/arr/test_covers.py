"""The fake *arr's posters and fanart, as Sonarr and Radarr serve them: the ``images``
of an item (MediaCoverService.ConvertToLocalUrls, src/NzbDrone.Core/MediaCover/
MediaCoverService.cs) and ``GET /api/v3/mediacover/{id}/{file}``, a scaled name falling
back to the full-size copy and a missing copy a 404 (src/Sonarr.Api.V3/MediaCovers/
MediaCoverController.cs; Radarr's the same)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from fakes.arr import FakeArr, FakeArrOptions

KEY = "0123456789abcdef0123456789abcdef"
SERIES = [{"id": 1, "title": "Dark", "path": "/tv/Dark"}]


def _get(fake: FakeArr, path: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(fake.url + path, headers={"X-Api-Key": KEY})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - the fake
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


@pytest.mark.parametrize("app", ["sonarr", "radarr"])
def test_items_list_their_images_and_the_route_serves_them(app: str) -> None:
    with FakeArr(FakeArrOptions(app=app, api_key=KEY), items=SERIES) as fake:
        resource = "series" if app == "sonarr" else "movie"
        (item,) = json.loads(_get(fake, f"/api/v3/{resource}")[2])
        kinds = {image["coverType"]: image["url"] for image in item["images"]}
        assert set(kinds) == {"poster", "fanart"}
        assert kinds["poster"].startswith("/MediaCover/1/poster.jpg?lastWrite=")
        status, content_type, body = _get(fake, "/api/v3/mediacover/1/poster-250.jpg")
        assert (status, content_type, body[:2]) == (200, "image/jpeg", b"\xff\xd8")
        assert _get(fake, "/api/v3/mediacover/1/fanart.jpg")[0] == 200
        assert _get(fake, "/api/v3/mediacover/1/banner.jpg")[0] == 404
        assert _get(fake, "/api/v3/mediacover/1/poster.txt")[0] == 404


def test_a_new_image_is_a_new_last_write_and_a_missing_copy_has_none() -> None:
    with FakeArr(FakeArrOptions(api_key=KEY), items=SERIES) as fake:

        def poster_url() -> str:
            (item,) = json.loads(_get(fake, "/api/v3/series")[2])
            return next(i["url"] for i in item["images"] if i["coverType"] == "poster")

        before = poster_url()
        fake.state.covers.set(1, "poster", b"\xff\xd8 another")
        assert poster_url() != before
        fake.state.covers.set(1, "poster", None)
        assert poster_url() == "/MediaCover/1/poster.jpg"
        assert _get(fake, "/api/v3/mediacover/1/poster-250.jpg")[0] == 404

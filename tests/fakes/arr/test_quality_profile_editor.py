"""The fake's editors change an item's quality profile as Sonarr's and Radarr's do.

SeriesEditorController.SaveAll (Sonarr src/Sonarr.Api.V3/Series/ and, on the
v5-develop branch, src/Sonarr.Api.V5/Series/) and MovieEditorController.SaveAll (Radarr
src/Radarr.Api.V3/Movies/) set ``QualityProfileId`` when the body has one, then
validate each item with SeriesEditorValidator / MovieEditorValidator: ``ValidId()``
(above 0) and QualityProfileExistsValidator ("Quality Profile does not exist"); the
first invalid item ends the request with 400 and the FluentValidation failures, nothing
saved. v3 answers 202 Accepted, Sonarr v5 200 (``TypedResults.Ok``).
"""

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
from fakes.arr.profiles import quality_profile
from tests.fakes.arr.conftest import API_KEY

KEY = {"X-Api-Key": API_KEY}

# (app, version, editor path, ids field, status the editor answers)
EDITORS = [
    ("sonarr", SONARR_V4, "/api/v3/series/editor", "seriesIds", 202),
    ("sonarr", SONARR_V5, "/api/v3/series/editor", "seriesIds", 202),
    ("sonarr", SONARR_V5, "/api/v5/series/editor", "seriesIds", 200),
    ("radarr", RADARR_V5, "/api/v3/movie/editor", "movieIds", 202),
    ("radarr", RADARR_V6, "/api/v3/movie/editor", "movieIds", 202),
]


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def start(app: str, version: str, **options: object) -> FakeArr:
    build = build_series if app == "sonarr" else build_movie
    items = [{**build(i), "tags": [1]} for i in (1, 2, 3)]
    fake = FakeArr(
        FakeArrOptions(app=app, version=version, api_key=API_KEY, **options),  # type: ignore[arg-type]
        items=items,
        tags=[{"id": 1, "label": "dub"}],
    )
    fake.state.set_profiles([quality_profile(1, "HD-1080p"), quality_profile(7, "VFQ")])
    return fake.start()


@pytest.mark.parametrize(("app", "version", "path", "ids", "status"), EDITORS)
def test_the_editor_sets_the_profile_and_leaves_the_rest(http, app, version, path, ids, status):
    with start(app, version) as fake:
        answer = http.put(fake.url + path, json={ids: [1, 3], "qualityProfileId": 7}, headers=KEY)
        resource = "series" if app == "sonarr" else "movie"
        read_back = http.get(f"{fake.url}/api/v3/{resource}/3", headers=KEY).json()
        profiles = {item["id"]: item["qualityProfileId"] for item in fake.state.items()}
        tags = {item["id"]: item["tags"] for item in fake.state.items()}
        edits = fake.state.profile_edits(1)
    assert answer.status_code == status
    assert [item["qualityProfileId"] for item in answer.json()] == [7, 7]
    assert read_back["qualityProfileId"] == 7
    assert profiles == {1: 7, 2: 1, 3: 7}
    assert tags == {1: [1], 2: [1], 3: [1]}  # no tags in the body: tags untouched
    assert edits == [7]


@pytest.mark.parametrize(("app", "version", "path", "ids", "status"), EDITORS)
@pytest.mark.parametrize(
    ("sent", "message", "code"),
    [
        (99, "Quality Profile does not exist", "QualityProfileExistsValidator"),
        (0, "'Quality Profile Id' must be greater than '0'.", "GreaterThanValidator"),
        (-3, "'Quality Profile Id' must be greater than '0'.", "GreaterThanValidator"),
    ],
)
def test_an_unknown_profile_is_refused_with_a_validation_array_and_nothing_saved(
    http, app, version, path, ids, status, sent, message, code
):
    with start(app, version) as fake:
        answer = http.put(
            fake.url + path, json={ids: [1, 2], "qualityProfileId": sent}, headers=KEY
        )
        profiles = [item["qualityProfileId"] for item in fake.state.items()]
    assert answer.status_code == 400
    assert answer.json() == [
        {
            "propertyName": "QualityProfileId",
            "errorMessage": message,
            "attemptedValue": sent,
            "severity": "error",
            "errorCode": code,
        }
    ]
    assert profiles == [1, 1, 1]


def test_a_profile_for_an_item_whose_own_profile_is_gone_is_taken():
    """The validator sees the item after the body is applied: a valid profile sent to
    an item whose profile was deleted mends it (invalid_ids: the item's profile gone)."""
    with start("sonarr", SONARR_V4, invalid_ids=frozenset({2})) as fake, requests.Session() as http:
        url = f"{fake.url}/api/v3/series/editor"
        tags_only = http.put(
            url, json={"seriesIds": [2], "tags": [], "applyTags": "add"}, headers=KEY
        )
        mended = http.put(url, json={"seriesIds": [2], "qualityProfileId": 7}, headers=KEY)
    assert tags_only.status_code == 400
    assert mended.status_code == 202


@pytest.mark.parametrize(("app", "resource"), [("sonarr", "series"), ("radarr", "movie")])
def test_put_by_id_keeps_a_sent_profile_and_refuses_an_unknown_one(http, app, resource):
    """SeriesController / MovieController: SharedValidator's QualityProfileId rule, the
    same ValidId + QualityProfileExistsValidator as the editors'."""
    version = SONARR_V4 if app == "sonarr" else RADARR_V5
    with start(app, version) as fake:
        url = f"{fake.url}/api/v3/{resource}/2"
        full = http.get(url, headers=KEY).json()
        kept = http.put(url, json={**full, "qualityProfileId": 7}, headers=KEY)
        refused = http.put(url, json={**full, "qualityProfileId": 8}, headers=KEY)
        stored = fake.state.item(2)
    assert kept.status_code == 202 and kept.json()["qualityProfileId"] == 7
    assert refused.status_code == 400
    assert refused.json()[0]["errorMessage"] == "Quality Profile does not exist"
    assert stored is not None and stored["qualityProfileId"] == 7


def test_tags_and_profile_in_one_request_are_both_applied(http):
    with start("sonarr", SONARR_V4) as fake:
        body = {"seriesIds": [2], "qualityProfileId": 7, "tags": [], "applyTags": "replace"}
        answer = http.put(f"{fake.url}/api/v3/series/editor", json=body, headers=KEY)
        stored = fake.state.item(2)
    assert answer.status_code == 202
    assert stored is not None
    assert (stored["qualityProfileId"], stored["tags"]) == (7, [])

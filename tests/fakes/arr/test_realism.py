"""The fake behaves like the real releases where a client can tell: language ids,
validation, tag rules and order, error shapes, version strings, editor costs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from fakes.arr import (
    RADARR_V5,
    RADARR_V6,
    SONARR_V4,
    FakeArr,
    FakeArrOptions,
    build_episode_file,
    build_movie,
    build_series,
)
from fakes.arr import languages as lang
from tests.fakes.arr.conftest import API_KEY

KEY = {"X-Api-Key": API_KEY}


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def fake(app: str = "sonarr", items=None, **options) -> FakeArr:
    if items is None:
        items = [build_series(1), build_series(2)] if app == "sonarr" else [build_movie(1)]
    return FakeArr(FakeArrOptions(app=app, api_key=API_KEY, **options), items=items)


def test_each_app_reports_a_real_release_by_default(http):
    with fake("sonarr") as sonarr, fake("radarr") as radarr:
        versions = [
            http.get(f"{f.url}/api/v3/system/status", headers=KEY).json()["version"]
            for f in (sonarr, radarr)
        ]
    assert versions == ["4.0.14.2939", "5.26.2.10099"]
    assert (SONARR_V4, RADARR_V5, RADARR_V6) == ("4.0.14.2939", "5.26.2.10099", "6.0.3.10276")


@pytest.mark.parametrize(
    ("app", "version", "name", "served"),
    [
        ("sonarr", SONARR_V4, "Japanese", {"id": 8, "name": "Japanese"}),
        ("sonarr", SONARR_V4, "Arabic", {"id": 26, "name": "Arabic"}),
        ("radarr", RADARR_V5, "Arabic", {"id": 31, "name": "Arabic"}),  # ids differ per app
        ("sonarr", SONARR_V4, "Malayalam", {"id": 29, "name": "Malayalam"}),
        ("radarr", RADARR_V6, "Malayalam", {"id": 48, "name": "Malayalam"}),
        ("radarr", "5.9.1.9070", "Malayalam", {"id": 1, "name": "English"}),  # not known yet
        ("radarr", RADARR_V5, "Mongolian", {"id": 56, "name": "Mongolian"}),  # since 5.24.0
        ("radarr", RADARR_V5, "Georgian", {"id": 1, "name": "English"}),  # since 5.27.5
        ("radarr", RADARR_V6, "Georgian", {"id": 57, "name": "Georgian"}),
        # Unmapped originals are English, whatever the sample says.
        ("sonarr", SONARR_V4, "Telugu", {"id": 1, "name": "English"}),
        ("radarr", RADARR_V6, "Telugu", {"id": 45, "name": "Telugu"}),
        ("sonarr", SONARR_V4, "Klingon", {"id": 1, "name": "English"}),
        ("sonarr", SONARR_V4, "portuguese (brazil)", {"id": 33, "name": "Portuguese (Brazil)"}),
    ],
)
def test_original_language_is_served_with_the_release_s_own_id(http, app, version, name, served):
    build = build_series if app == "sonarr" else build_movie
    resource = "series" if app == "sonarr" else "movie"
    with fake(app, items=[build(1, original_language=name)], version=version) as server:
        listed = http.get(f"{server.url}/api/v3/{resource}", headers=KEY).json()
        one = http.get(f"{server.url}/api/v3/{resource}/1", headers=KEY).json()
    assert listed[0]["originalLanguage"] == one["originalLanguage"] == served


def test_the_language_tables_agree_with_each_other():
    assert len(lang.SONARR_V4) == 46
    assert len(lang.RADARR_V5) == 45
    assert len(lang.RADARR_V6) == 57
    for table in (lang.SONARR_V4, lang.RADARR_V5, lang.RADARR_V6):
        assert sorted(table.values()) == list(range(1, len(table) + 1))
        assert table["English"] == 1
    # Radarr only ever appended: v5.9.1's ids are v6's, and the rest came in later v5s.
    assert {k: lang.RADARR_V6[k] for k in lang.RADARR_V5} == dict(lang.RADARR_V5)
    assert set(lang.RADARR_V6) - set(lang.RADARR_V5) == set(lang.RADARR_ADDED_IN)
    assert all((5, 9, 1, 9070) < since < (6,) for since in lang.RADARR_ADDED_IN.values())


@pytest.mark.parametrize(
    ("version", "label", "status", "stored"),
    [
        (RADARR_V6, "Semi-Dub", 201, "semi-dub"),  # the v6 rule ignores case
        (RADARR_V6, "semi dub", 400, None),
        (RADARR_V6, "dub!", 400, None),
        (RADARR_V5, "semi dub", 201, "semi dub"),  # v5 only wants a label
    ],
)
def test_radarr_v6_checks_tag_labels_case_insensitively_and_stores_them_lowercase(
    http, version, label, status, stored
):
    with fake("radarr", version=version) as radarr:
        answer = http.post(f"{radarr.url}/api/v3/tag", json={"label": label}, headers=KEY)
        labels = [tag["label"] for tag in radarr.state.tags()]
    assert answer.status_code == status
    if stored is None:
        assert answer.json()[0]["errorMessage"] == "Allowed characters a-z, 0-9 and -"
        assert labels == []
    else:
        assert labels == [stored]


def test_tags_are_listed_by_label(http):
    with fake() as sonarr:
        for label in ("wrong-dub", "dub", "4k", "semi-dub"):
            http.post(f"{sonarr.url}/api/v3/tag", json={"label": label}, headers=KEY)
        listed = http.get(f"{sonarr.url}/api/v3/tag", headers=KEY).json()
    assert [tag["label"] for tag in listed] == ["4k", "dub", "semi-dub", "wrong-dub"]
    assert [tag["id"] for tag in listed] == [3, 2, 4, 1]


@pytest.mark.parametrize("app", ["sonarr", "radarr"])
def test_the_samples_carry_what_a_put_must_send(app):
    item = build_series(1) if app == "sonarr" else build_movie(1)
    assert item["qualityProfileId"] > 0
    assert item["path"]


@pytest.mark.parametrize(
    ("missing", "prop", "message"),
    [
        ("path", "Path", "'Path' must not be empty."),
        ("qualityProfileId", "QualityProfileId", "'Quality Profile Id' must be greater than '0'."),
    ],
)
@pytest.mark.parametrize("app", ["sonarr", "radarr"])
def test_a_put_without_path_or_quality_profile_is_refused(http, app, missing, prop, message):
    resource = "series" if app == "sonarr" else "movie"
    with fake(app) as server:
        url = f"{server.url}/api/v3/{resource}/1"
        full = http.get(url, headers=KEY).json()
        sent = {key: value for key, value in full.items() if key != missing}
        answer = http.put(url, json={**sent, "tags": [1]}, headers=KEY)
        stored_tags = server.state.item(1)["tags"]
    assert answer.status_code == 400
    assert [(f["propertyName"], f["errorMessage"]) for f in answer.json()] == [(prop, message)]
    assert stored_tags == []  # nothing saved


def test_an_invalid_item_fails_the_whole_editor_request_with_a_validation_array(http):
    with fake(invalid_ids=frozenset({2})) as sonarr:
        body = {"seriesIds": [1, 2], "tags": [1], "applyTags": "add"}
        editor = http.put(f"{sonarr.url}/api/v3/series/editor", json=body, headers=KEY)
        single_bad = http.put(
            f"{sonarr.url}/api/v3/series/2", json=sonarr.state.item(2), headers=KEY
        )
        single_good = http.put(
            f"{sonarr.url}/api/v3/series/1", json=sonarr.state.item(1), headers=KEY
        )
        tags = [item["tags"] for item in sonarr.state.items()]
    assert editor.status_code == 400
    assert [f["propertyName"] for f in editor.json()] == ["QualityProfileId"]
    assert editor.json()[0]["errorMessage"] == "Quality Profile does not exist"
    assert tags == [[], []]  # nothing saved, not even series 1
    assert single_bad.status_code == 400
    assert single_bad.json()[0]["errorMessage"] == "Quality Profile does not exist"
    assert single_good.status_code == 202


def test_the_editor_costs_time_per_edited_item_after_saving(http):
    waited: list[float] = []
    options = FakeArrOptions(api_key=API_KEY, per_edit_latency_s=0.25)
    items = [build_series(i) for i in range(1, 5)]
    with FakeArr(options, items=items, sleep=waited.append) as sonarr:
        body = {"seriesIds": [1, 2, 3, 4], "tags": [1], "applyTags": "add"}
        http.put(f"{sonarr.url}/api/v3/series/editor", json=body, headers=KEY)
        http.get(f"{sonarr.url}/api/v3/series", headers=KEY)  # not an edit: no cost
    assert waited == [1.0]


def test_a_stalled_editor_request_is_saved_but_not_answered_in_time(http):
    with fake(stall_editor_ids=frozenset({2})) as sonarr:
        url = f"{sonarr.url}/api/v3/series/editor"
        quick = http.put(url, json={"seriesIds": [1], "tags": [1], "applyTags": "add"}, headers=KEY)
        with pytest.raises(requests.ReadTimeout):
            http.put(
                url,
                json={"seriesIds": [2], "tags": [1], "applyTags": "add"},
                headers=KEY,
                timeout=0.3,
            )
        tags = [item["tags"] for item in sonarr.state.items()]
    assert quick.status_code == 202
    assert tags == [[1], [1]]  # the stalled one was saved all the same


def test_episode_files_need_a_series_or_file_ids_and_say_so_in_an_object(http):
    series = build_series(1)
    with fake(items=[series]) as sonarr:
        files = [build_episode_file(series, 7), build_episode_file(series, 8, episode=2)]
        sonarr.state.set_episode_files(1, files)
        url = f"{sonarr.url}/api/v3/episodefile"
        bare = http.get(url, headers=KEY)
        by_ids = http.get(url, params={"episodeFileIds": [8]}, headers=KEY)
    assert bare.status_code == 400
    assert bare.json() == {
        "message": "BadRequest: seriesId or episodeFileIds must be provided",
        "content": "seriesId or episodeFileIds must be provided",
    }
    assert [f["id"] for f in by_ids.json()] == [8]


@pytest.mark.parametrize(("app", "version"), [("sonarr", "6.0.0.1"), ("radarr", "2.2.0")])
def test_a_release_the_fake_does_not_play_is_refused(app, version):
    with pytest.raises(ValueError, match=r"plays v\d"):
        FakeArrOptions(app=app, version=version)

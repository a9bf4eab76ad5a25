"""The fake Sonarr/Radarr behaves as docs/arr-api.md says, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from fakes.arr import FakeArr, FakeArrOptions, build_movie, build_series
from tests.fakes.arr.conftest import API_KEY

KEY = {"X-Api-Key": API_KEY}


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def start_fake(**options) -> FakeArr:
    options.setdefault("api_key", API_KEY)
    items = options.pop("items", [build_series(1), build_series(2)])
    tags = options.pop("tags", [{"id": 1, "label": "dub"}])
    return FakeArr(FakeArrOptions(**options), items=items, tags=tags).start()


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    fake = start_fake()
    yield fake
    fake.stop()


@pytest.mark.parametrize(
    ("headers", "params"),
    [(KEY, {}), ({}, {"apikey": API_KEY}), ({"Authorization": f"Bearer {API_KEY}"}, {})],
)
def test_the_key_is_accepted_in_header_query_or_bearer(sonarr, http, headers, params):
    answer = http.get(f"{sonarr.url}/api/v3/system/status", headers=headers, params=params)
    assert answer.status_code == 200


@pytest.mark.parametrize("headers", [{}, {"X-Api-Key": "wrong"}, {"Authorization": "Basic x"}])
def test_a_missing_or_wrong_key_gets_401_with_an_empty_body_on_v4(sonarr, http, headers):
    answer = http.get(f"{sonarr.url}/api/v3/series", headers=headers)
    assert (answer.status_code, answer.content) == (401, b"")


def test_v3_answers_401_with_a_json_body(http):
    with start_fake(version="3.0.10.1567") as fake:
        answer = http.get(f"{fake.url}/api/v3/series")
    assert (answer.status_code, answer.json()) == (401, {"error": "Unauthorized"})


def test_ping_needs_no_key_and_only_api_v3_exists(sonarr, http):
    assert http.get(f"{sonarr.url}/ping").status_code == 200
    assert http.get(f"{sonarr.url}/api/series", headers=KEY).status_code == 404
    assert http.get(f"{sonarr.url}/api/v1/series", headers=KEY).status_code == 404
    assert http.get(f"{sonarr.url}/api/v3/movie", headers=KEY).status_code == 404  # a Sonarr


def test_post_and_put_need_a_json_content_type(sonarr, http):
    url = f"{sonarr.url}/api/v3/tag"
    assert http.post(url, data='{"label": "x"}', headers=KEY).status_code == 415
    plain = {**KEY, "Content-Type": "text/plain"}
    assert http.put(f"{sonarr.url}/api/v3/series/1", data="{}", headers=plain).status_code == 415
    assert sonarr.state.tags() == [{"id": 1, "label": "dub"}]


def test_post_answers_201_and_put_202(sonarr, http):
    created = http.post(f"{sonarr.url}/api/v3/tag", json={"label": "anime"}, headers=KEY)
    series = http.get(f"{sonarr.url}/api/v3/series/1", headers=KEY).json()
    updated = http.put(f"{sonarr.url}/api/v3/series/1", json=series, headers=KEY)
    assert (created.status_code, updated.status_code) == (201, 202)


def test_the_first_requests_get_503_while_starting_up(http):
    with start_fake(startup_503=2) as fake:
        statuses = [
            http.get(f"{fake.url}/api/v3/system/status", headers=KEY).status_code for _ in range(3)
        ]
        body = fake.state.counters()
    assert statuses == [503, 503, 200]
    assert body[("GET", "/api/v3/system/status")] == 3


def test_starting_up_body_says_so(http):
    with start_fake(startup_503=1) as fake:
        answer = http.get(f"{fake.url}/api/v3/series", headers=KEY)
    assert "starting up" in answer.json()["errorMessage"]


def test_system_status_reports_app_and_version(sonarr, http):
    status = http.get(f"{sonarr.url}/api/v3/system/status", headers=KEY).json()
    assert status == {
        "appName": "Sonarr",
        "instanceName": "Sonarr",
        "version": "4.0.14.2939",
        "urlBase": "",
    }


def test_the_series_list_omits_original_language_in_v3_mode(http):
    items = [build_series(1, original_language="Japanese")]
    with (
        start_fake(version="4.0.14", items=items) as v4,
        start_fake(version="3.0.10", items=items) as v3,
    ):
        new = http.get(f"{v4.url}/api/v3/series", headers=KEY).json()
        old = http.get(f"{v3.url}/api/v3/series", headers=KEY).json()
        old_one = http.get(f"{v3.url}/api/v3/series/1", headers=KEY).json()
    assert new[0]["originalLanguage"] == {"id": 8, "name": "Japanese"}
    assert "originalLanguage" not in old[0]
    assert "originalLanguage" not in old_one


def test_radarr_lists_movies_and_has_original_language_from_4_1(http):
    items = [build_movie(1, original_language="French")]
    with (
        start_fake(app="radarr", version="4.0.5", items=items) as old,
        start_fake(app="radarr", version="4.1.0", items=items) as new,
    ):
        before = http.get(f"{old.url}/api/v3/movie", headers=KEY).json()
        after = http.get(f"{new.url}/api/v3/movie", headers=KEY).json()
        assert http.get(f"{new.url}/api/v3/series", headers=KEY).status_code == 404
    assert "originalLanguage" not in before[0]
    assert after[0]["originalLanguage"]["name"] == "French"
    assert after[0]["hasFile"] is True


def test_get_by_id_and_404_message(sonarr, http):
    assert http.get(f"{sonarr.url}/api/v3/series/2", headers=KEY).json()["id"] == 2
    missing = http.get(f"{sonarr.url}/api/v3/series/77", headers=KEY)
    assert missing.status_code == 404
    assert missing.json() == {"message": "Series with ID 77 does not exist"}


def test_a_full_put_is_saved_and_a_partial_one_is_recorded_with_its_damage(sonarr, http):
    url = f"{sonarr.url}/api/v3/series/1"
    full = http.get(url, headers=KEY).json()
    http.put(url, json={**full, "tags": [1]}, headers=KEY)
    assert sonarr.state.partial_puts() == []
    assert sonarr.state.item(1)["tags"] == [1]

    # Enough to pass validation, too little to keep the series as it was.
    partial = {"id": 1, "path": "/tv/Show 1", "qualityProfileId": 1, "tags": []}
    assert http.put(url, json=partial, headers=KEY).status_code == 202

    (recorded,) = sonarr.state.partial_puts()
    assert recorded.item_id == 1
    assert {"monitored", "seasons", "title"} <= set(recorded.missing_keys)
    assert sonarr.state.item(1)["monitored"] is False
    assert sonarr.state.item(1)["seasons"] == []


@pytest.mark.parametrize(
    ("mode", "tags", "expected"),
    [("add", [3], [1, 2, 3]), ("remove", [2, 3], [1]), ("replace", [3], [3])],
)
def test_the_editor_adds_removes_and_replaces_tags(http, mode, tags, expected):
    items = [build_series(1, tags=[1, 2]), build_series(2, tags=[1, 2])]
    with start_fake(items=items) as fake:
        body = {"seriesIds": [1, 2], "tags": tags, "applyTags": mode}
        answer = http.put(f"{fake.url}/api/v3/series/editor", json=body, headers=KEY)
        stored = [item["tags"] for item in fake.state.items()]
    assert answer.status_code == 202
    assert [item["tags"] for item in answer.json()] == [expected, expected]
    assert stored == [expected, expected]


@pytest.mark.parametrize("ids", [[1, 1], [1, 99]])
def test_the_editor_fails_whole_on_a_repeated_or_unknown_id_and_saves_nothing(sonarr, http, ids):
    body = {"seriesIds": ids, "tags": [1], "applyTags": "add"}
    answer = http.put(f"{sonarr.url}/api/v3/series/editor", json=body, headers=KEY)
    assert answer.status_code == 500
    assert set(answer.json()) == {"message", "description"}
    assert sonarr.state.item(1)["tags"] == []


def test_radarr_editor_takes_movie_ids(http):
    with start_fake(app="radarr", items=[build_movie(5)]) as fake:
        body = {"movieIds": [5], "tags": [1], "applyTags": "add"}
        answer = http.put(f"{fake.url}/api/v3/movie/editor", json=body, headers=KEY)
        assert answer.status_code == 202
        assert fake.state.item(5)["tags"] == [1]


def test_fail_put_ids_fail_single_puts_and_any_editor_request_holding_them(http):
    with start_fake(fail_put_ids=frozenset({2})) as fake:
        editor = http.put(
            f"{fake.url}/api/v3/series/editor",
            json={"seriesIds": [1, 2], "tags": [1], "applyTags": "add"},
            headers=KEY,
        )
        full = fake.state.item(2)
        single = http.put(f"{fake.url}/api/v3/series/2", json=full, headers=KEY)
        other = http.put(f"{fake.url}/api/v3/series/1", json=fake.state.item(1), headers=KEY)
    assert (editor.status_code, single.status_code, other.status_code) == (500, 500, 202)


def test_tags_are_looked_up_as_sent_and_stored_lowercase(sonarr, http):
    url = f"{sonarr.url}/api/v3/tag"
    same = http.post(url, json={"label": "dub"}, headers=KEY)
    clash = http.post(url, json={"label": "Dub"}, headers=KEY)
    new = http.post(url, json={"label": "Anime"}, headers=KEY)
    assert (same.status_code, same.json()) == (201, {"id": 1, "label": "dub"})
    assert clash.status_code == 409
    assert (new.status_code, new.json()) == (201, {"id": 2, "label": "anime"})
    # Sorted by label, as TagService.All() does, not by id.
    assert http.get(url, headers=KEY).json() == [
        {"id": 2, "label": "anime"},
        {"id": 1, "label": "dub"},
    ]


def test_strict_mode_rejects_labels_outside_the_v6_rule(http):
    with start_fake(app="radarr", version="6.0.0", strict_tag_labels=True, items=[]) as fake:
        answer = http.post(f"{fake.url}/api/v3/tag", json={"label": "semi dub"}, headers=KEY)
        fine = http.post(f"{fake.url}/api/v3/tag", json={"label": "semi-dub"}, headers=KEY)
    assert answer.status_code == 400
    assert isinstance(answer.json(), list)
    assert answer.json()[0]["propertyName"] == "Label"
    assert fine.status_code == 201


def test_episode_files_by_series(sonarr, http):
    files = [{"id": 1, "path": "/tv/Show 1/S01E01.mkv", "mediaInfo": {"audioLanguages": "jpn"}}]
    sonarr.state.set_episode_files(1, files)
    url = f"{sonarr.url}/api/v3/episodefile"
    assert http.get(url, params={"seriesId": 1}, headers=KEY).json() == files
    assert http.get(url, params={"seriesId": 2}, headers=KEY).json() == []
    assert http.get(url, params={"seriesId": 9}, headers=KEY).status_code == 404


def test_commands_are_accepted_with_201_and_recorded(sonarr, http):
    body = {"name": "RefreshSeries", "seriesId": 1}
    answer = http.post(f"{sonarr.url}/api/v3/command", json=body, headers=KEY)
    assert answer.status_code == 201
    assert sonarr.state.commands()[0]["body"] == body


def test_a_body_it_cannot_bind_is_a_500(sonarr, http):
    answer = http.put(f"{sonarr.url}/api/v3/series/editor", json=[1, 2], headers=KEY)
    assert answer.status_code == 500
    assert "message" in answer.json()


def test_list_latency_grows_with_the_list(http):
    items = [build_series(i) for i in range(1, 101)]
    options = FakeArrOptions(api_key=API_KEY, latency_s=0.02, per_item_latency_s=0.001)
    waited: list[float] = []
    with FakeArr(options, items=items, sleep=waited.append) as fake:
        http.get(f"{fake.url}/api/v3/series", headers=KEY)
    assert waited == [0.02, pytest.approx(0.1)]


def test_counters_are_kept_per_method_and_route_template(sonarr, http):
    http.get(f"{sonarr.url}/api/v3/series/1", headers=KEY)
    http.get(f"{sonarr.url}/api/v3/series/2", headers=KEY)
    http.get(f"{sonarr.url}/api/v3/series")  # no key: still a request
    http.get(f"{sonarr.url}/__fake__/counters")  # control requests are not counted
    assert sonarr.state.counters() == {
        ("GET", "/api/v3/series/{id}"): 2,
        ("GET", "/api/v3/series"): 1,
    }
    sonarr.state.reset_counters()
    assert sonarr.state.total_requests() == 0


def test_control_endpoints_read_counters_and_seed_data_without_a_key(sonarr, http):
    http.get(f"{sonarr.url}/api/v3/tag", headers=KEY)
    counters = http.get(f"{sonarr.url}/__fake__/counters").json()
    assert counters == {
        "total": 1,
        "counts": [{"method": "GET", "route": "/api/v3/tag", "count": 1}],
        "connections": 1,  # the session's, kept alive: the control request came over it too
    }
    requests.get(f"{sonarr.url}/api/v3/tag", headers=KEY, timeout=5)  # a connection of its own
    assert http.get(f"{sonarr.url}/__fake__/counters").json()["connections"] == 2
    assert http.post(f"{sonarr.url}/__fake__/counters/reset").json()["total"] == 0

    seeded = http.put(f"{sonarr.url}/__fake__/items", json=[build_series(9)]).json()
    assert seeded == {"count": 1}
    assert [item["id"] for item in http.get(f"{sonarr.url}/__fake__/items").json()] == [9]
    http.put(f"{sonarr.url}/__fake__/tags", json=[{"id": 4, "label": "x"}])
    assert http.get(f"{sonarr.url}/__fake__/tags").json() == [{"id": 4, "label": "x"}]
    assert http.get(f"{sonarr.url}/__fake__/partial-puts").json() == []
    assert http.get(f"{sonarr.url}/__fake__/nothing").status_code == 404
    assert http.put(f"{sonarr.url}/__fake__/items", data=b"{broken").status_code == 400

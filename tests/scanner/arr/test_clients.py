"""Sonarr/Radarr client methods against canned answers (`responses`)."""

from __future__ import annotations

import json
import logging

import pytest
import responses

from scanner.arr.payloads import ArrItem, ArrSeason, SystemStatus
from scanner.errors import ArrPermanentError, ConfigError
from tests.scanner.arr.conftest import RADARR_URL, SONARR_URL

TAG_URL = f"{SONARR_URL}/api/v3/tag"
COMMAND_URL = f"{SONARR_URL}/api/v3/command"


def sent_json(call_index: int) -> object:
    return json.loads(responses.calls[call_index].request.body)


@pytest.mark.parametrize(
    ("kind", "app", "version", "major", "has_original"),
    [
        ("sonarr", "Sonarr", "3.0.10.1567", 3, False),
        ("sonarr", "Sonarr", "4.0.14.2939", 4, True),
        ("radarr", "Radarr", "4.0.5.5981", 4, False),
        ("radarr", "Radarr", "4.1.0.6175", 4, True),
        ("radarr", "Radarr", "5.26.2.10099", 5, True),
    ],
)
@responses.activate
def test_system_status_tells_whether_original_language_exists(
    client_factory, kind, app, version, major, has_original
):
    url = SONARR_URL if kind == "sonarr" else RADARR_URL
    responses.get(f"{url}/api/v3/system/status", json={"appName": app, "version": version})

    status = client_factory(url, kind).system_status()

    assert status == SystemStatus(app, version, major, has_original)


@pytest.mark.parametrize(
    ("payload", "got"),
    [([], "a list"), ({"appName": "Sonarr"}, "an object"), ({"version": "banana"}, "an object")],
)
@responses.activate
def test_system_status_of_an_unexpected_shape_is_permanent(client_factory, payload, got):
    """What the answer was, never what it said (no "appName", no "banana")."""
    responses.get(f"{SONARR_URL}/api/v3/system/status", json=payload)

    with pytest.raises(ArrPermanentError, match="GET /api/v3/system/status") as caught:
        client_factory().system_status()
    assert f"(got {got})" in str(caught.value)
    assert "appName" not in str(caught.value) and "{" not in str(caught.value)


@responses.activate
def test_list_items_reads_the_library_in_one_request_and_skips_unusable_entries(
    client_factory, caplog
):
    series = [
        {
            "id": 1,
            "title": "Frieren",
            "path": "/tv/Frieren",
            "originalLanguage": {"id": 8, "name": "Japanese"},
            "genres": ["Anime", 3],
            "tags": [2, 5],
            "monitored": True,
            "seasons": [{"seasonNumber": 0, "monitored": False}, {"seasonNumber": 1}],
        },
        {"id": 2, "path": "D:\\TV\\Bare"},  # every other field omitted, as null fields are
        {"title": "No id", "path": "/tv/x"},
        {"id": 4, "title": "No path"},
        "not an object",
    ]
    responses.get(f"{SONARR_URL}/api/v3/series", json=series)
    client = client_factory()

    with caplog.at_level(logging.WARNING):
        items = client.list_items()

    assert items == [
        ArrItem(
            id=1,
            title="Frieren",
            path="/tv/Frieren",
            original_language_name="Japanese",
            genres=("Anime",),
            tag_ids=frozenset({2, 5}),
            monitored=True,
            seasons=(ArrSeason(0, False), ArrSeason(1, True)),
        ),
        ArrItem(id=2, title="", path="D:\\TV\\Bare"),
    ]
    assert len(responses.calls) == 1
    assert len([r for r in caplog.records if "skipping a listed series" in r.message]) == 3


@responses.activate
def test_radarr_items_carry_has_file_and_no_seasons(client_factory):
    movies = [{"id": 3, "title": "Akira", "path": "/movies/Akira (1988)", "hasFile": True}]
    responses.get(f"{RADARR_URL}/api/v3/movie", json=movies)

    (item,) = client_factory(RADARR_URL, "radarr").list_items()

    assert item.has_file is True
    assert item.seasons == ()
    assert item.original_language_name is None


@responses.activate
def test_list_items_that_is_not_a_list_is_permanent(client_factory):
    responses.get(f"{SONARR_URL}/api/v3/series", json={"page": 1, "records": []})

    with pytest.raises(ArrPermanentError, match="GET /api/v3/series: expected a JSON array"):
        client_factory().list_items()


@responses.activate
def test_get_item_reads_one_item_and_reports_404(client_factory):
    responses.get(f"{SONARR_URL}/api/v3/series/5", json={"id": 5, "path": "/tv/Five"})
    message = {"message": "Series with ID 6 does not exist"}
    responses.get(f"{SONARR_URL}/api/v3/series/6", status=404, json=message)
    client = client_factory()

    assert client.get_item(5).path == "/tv/Five"
    with pytest.raises(ArrPermanentError, match="Series with ID 6 does not exist") as caught:
        client.get_item(6)
    assert caught.value.status == 404


@responses.activate
def test_tags_are_keyed_by_lowercased_label(client_factory):
    responses.get(TAG_URL, json=[{"id": 1, "label": "Dub"}, {"id": 2, "label": "anime"}])

    assert client_factory().tags() == {"dub": 1, "anime": 2}


@responses.activate
def test_ensure_tags_reads_once_and_creates_only_missing_labels_in_lowercase(client_factory):
    responses.get(TAG_URL, json=[{"id": 1, "label": "dub"}])
    responses.post(TAG_URL, status=201, json={"id": 2, "label": "semi-dub"})
    responses.post(TAG_URL, status=201, json={"id": 3, "label": "wrong-dub"})

    ids = client_factory().ensure_tags(["DUB", "Semi-Dub", "wrong-dub", "dub"])

    assert ids == {"dub": 1, "semi-dub": 2, "wrong-dub": 3}
    assert [call.request.method for call in responses.calls] == ["GET", "POST", "POST"]
    assert sent_json(1) == {"label": "semi-dub"}
    assert sent_json(2) == {"label": "wrong-dub"}


@responses.activate
def test_ensure_tags_rereads_after_a_409_and_uses_the_existing_tag(client_factory):
    responses.get(TAG_URL, json=[])
    responses.post(TAG_URL, status=409, json={"message": "UNIQUE constraint failed: Tags.Label"})
    responses.get(TAG_URL, json=[{"id": 9, "label": "dub"}])

    assert client_factory().ensure_tags(["dub"]) == {"dub": 9}
    assert len(responses.calls) == 3


@responses.activate
def test_a_created_tag_of_another_shape_is_said_by_its_type(client_factory):
    responses.get(TAG_URL, json=[])
    responses.post(TAG_URL, status=201, json={"secret": "x" * 10_000})

    with pytest.raises(ArrPermanentError, match=r"returned an object, expected") as caught:
        client_factory().ensure_tags(["dub"])
    assert "secret" not in str(caught.value)


@responses.activate
def test_ensure_tags_rejects_labels_the_arr_would_refuse_before_sending(client_factory):
    with pytest.raises(ConfigError, match="must match"):
        client_factory().ensure_tags(["dub", "semi dub"])
    assert len(responses.calls) == 0


@responses.activate
def test_refresh_on_sonarr_v3_sends_one_command_per_series(client_factory):
    responses.get(
        f"{SONARR_URL}/api/v3/system/status", json={"appName": "Sonarr", "version": "3.0.10"}
    )
    responses.post(COMMAND_URL, status=201, json={"id": 1})
    client = client_factory()

    client.refresh([7, 3, 7])

    assert [sent_json(i) for i in (1, 2)] == [
        {"name": "RefreshSeries", "seriesId": 3},
        {"name": "RefreshSeries", "seriesId": 7},
    ]


@responses.activate
def test_refresh_on_sonarr_v4_sends_one_command(client_factory):
    responses.get(
        f"{SONARR_URL}/api/v3/system/status", json={"appName": "Sonarr", "version": "4.0.0"}
    )
    responses.post(COMMAND_URL, status=201, json={"id": 1})
    client = client_factory()
    client.system_status()

    client.refresh([7, 3])

    assert len(responses.calls) == 2  # the status read above is reused
    assert sent_json(1) == {"name": "RefreshSeries", "seriesIds": [3, 7]}


@responses.activate
def test_refresh_on_radarr_sends_movie_ids(client_factory):
    responses.post(f"{RADARR_URL}/api/v3/command", status=201, json={"id": 1})

    client_factory(RADARR_URL, "radarr").refresh([4, 2])

    assert sent_json(0) == {"name": "RefreshMovie", "movieIds": [2, 4]}


@responses.activate
def test_refresh_without_ids_sends_nothing(client_factory):
    # An id-less command would refresh the whole library.
    client = client_factory()
    client.refresh([])
    assert client.requests_made == 0


@responses.activate
def test_ensure_tags_of_nothing_sends_nothing(client_factory):
    client = client_factory()
    assert client.ensure_tags([]) == {}
    assert client.requests_made == 0


def test_a_saved_key_no_header_can_carry_is_a_config_error_naming_the_fix() -> None:
    from scanner.arr.config import ArrConfig
    from scanner.errors import ConfigError

    with pytest.raises(ConfigError, match="save the right key again"):
        ArrConfig(name="tv", kind="sonarr", url="http://sonarr:8989", api_key="ключ-123")


@pytest.mark.parametrize("item_id", [0, -3, 2**31, 2**63])
def test_ids_outside_the_arrs_range_are_not_items(item_id: int) -> None:
    from scanner.arr.payloads import UnusableItemError, parse_item

    with pytest.raises(UnusableItemError, match="2\\^31"):
        parse_item({"id": item_id, "path": "/tv/x"}, kind="sonarr")


@responses.activate
def test_radarr_subtitle_files_are_its_extra_files_of_type_subtitle(client_factory):
    responses.get(
        f"{RADARR_URL}/api/v3/extrafile",
        json=[
            {"relativePath": "Subs/Film.de.srt", "type": "subtitle"},
            {"relativePath": "Film.nfo", "type": "metadata"},
            {"relativePath": "Film.en.srt", "type": "subtitle"},
            {"type": "subtitle"},  # a malformed entry is left out
        ],
    )

    paths = client_factory(RADARR_URL, "radarr").subtitle_files(3)

    assert paths == ["Film.en.srt", "Subs/Film.de.srt"]
    assert responses.calls[0].request.params == {"movieId": "3"}

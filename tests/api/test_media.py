"""/api/media/: bounded pages, filters, search, ordering, the detail, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from scanner.models import Event, Instance, Media
from tests.factories import (
    InstanceFactory,
    MediaFactory,
    MediaFileFactory,
    SeasonFactory,
    doubtful_anime,
)

pytestmark = pytest.mark.django_db


def _titles(api: APIClient, query: str) -> list[str]:
    response = api.get(f"/api/media/?{query}")
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def _bulk_media(instance: Instance, count: int, start: int = 0) -> None:
    Media.objects.bulk_create(
        Media(
            instance=instance,
            kind=Media.Kind.SERIES,
            arr_id=start + n + 1,
            title=f"Bulk {start + n:05d}",
            path=f"/tv/bulk {start + n}",
            applied_tag=("dub", "none", "semi-dub")[n % 3],
            planned_tag=("dub", "semi-dub", "")[n % 3],
        )
        for n in range(count)
    )


@pytest.fixture
def library() -> dict[str, Instance]:
    tv, films = InstanceFactory(name="tv"), InstanceFactory(name="films", kind="radarr")
    MediaFactory(
        instance=tv,
        title="Akira Series",
        applied_tag="dub",
        planned_tag="dub",
        original_language="jpn",
    )
    MediaFactory(
        instance=tv,
        title="Bleach",
        applied_tag="none",
        planned_tag="semi-dub",
        original_language="jpn",
        error_file_count=2,
    )
    MediaFactory(
        instance=tv,
        title="Cosmos",
        applied_tag="none",
        planned_tag="",
        original_language="eng",
        error="could not list the folder",
    )
    MediaFactory(
        instance=films,
        kind="movie",
        title="Das Boot",
        applied_tag="wrong-dub",
        planned_tag="wrong-dub",
        original_language="deu",
    )
    return {"tv": tv, "films": films}


def test_filters(api: APIClient, library: dict[str, Instance]) -> None:
    tv = library["tv"].pk
    assert _titles(api, f"instance={tv}") == ["Akira Series", "Bleach", "Cosmos"]
    assert _titles(api, "kind=movie") == ["Das Boot"]
    assert _titles(api, "applied_tag=none") == ["Bleach", "Cosmos"]
    assert _titles(api, "planned_tag=semi-dub") == ["Bleach"]
    assert _titles(api, "planned_tag=undecided") == ["Cosmos"]
    assert _titles(api, "pending=true") == ["Bleach"]
    assert _titles(api, "pending=false") == ["Akira Series", "Cosmos", "Das Boot"]
    assert _titles(api, "original_language=ja") == ["Akira Series", "Bleach"]
    assert _titles(api, "original_language=German") == ["Das Boot"]
    assert _titles(api, "has_errors=true") == ["Bleach", "Cosmos"]
    assert _titles(api, f"instance={tv}&applied_tag=none&has_errors=true&pending=true") == [
        "Bleach"
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("original_language=notalanguage", "original_language"),
        ("applied_tag=great", "applied_tag"),
        ("instance=abc", "instance"),
        ("instance=1.5", "instance"),
        ("has_errors=maybe", "has_errors"),
        ("kind=book", "kind"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(
    api: APIClient, library: dict[str, Instance], query: str, field: str
) -> None:
    response = api.get(f"/api/media/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_search_is_data_not_sql(api: APIClient, library: dict[str, Instance]) -> None:
    assert _titles(api, "search=boot") == ["Das Boot"]
    assert _titles(api, "search=%27%20OR%201%3D1%20--") == []  # ' OR 1=1 --
    assert _titles(api, "search=%25") == []  # a literal %, not a wildcard
    assert _titles(api, "search=_") == []


def test_ordering(api: APIClient, library: dict[str, Instance]) -> None:
    assert _titles(api, "ordering=-title")[0] == "Das Boot"
    assert _titles(api, "ordering=error_file_count,title")[-1] == "Bleach"
    # Unknown fields are ignored, never passed to the database.
    assert _titles(api, "ordering=path")[0] == "Akira Series"


def test_pages_are_bounded(api: APIClient) -> None:
    _bulk_media(InstanceFactory(), 260)
    first = api.get("/api/media/").json()
    assert (first["count"], len(first["results"])) == (260, 50)
    assert first["next"].endswith("/api/media/?page=2")
    assert len(api.get("/api/media/?page_size=10000").json()["results"]) == 200
    assert len(api.get("/api/media/?page_size=7").json()["results"]) == 7
    assert len(api.get("/api/media/?page_size=-3").json()["results"]) == 50
    assert len(api.get("/api/media/?page=6").json()["results"]) == 10
    assert api.get("/api/media/?page=7").status_code == 404
    assert api.get("/api/media/?page=last").json()["results"][-1]["title"] == "Bulk 00259"


def test_detail_has_seasons_files_and_reasons(api: APIClient) -> None:
    media = MediaFactory(
        title="Anime Half",
        planned_tag="semi-dub",
        verdict_reasons={
            "summary": "semi-dub: 2 of 4 files have some of the targets (eng), 2 miss at least one",
            "seasons": [{"season": 1, "files": [{"path": "S01E01.mkv", "languages": ["jpn"]}]}],
        },
    )
    season = SeasonFactory(media=media, number=1, status="none", file_count=1)
    MediaFileFactory(
        media=media,
        season=season,
        path="Season 01/S01E01.mkv",
        result="none",
        audio_tracks=[{"position": 0, "language": "jpn"}],
        episodes=[1],
    )
    body = api.get(f"/api/media/{media.pk}/").json()
    assert body["verdict_reasons"]["summary"].startswith("semi-dub")
    assert body["seasons"][0]["number"] == 1 and body["seasons"][0]["status"] == "none"
    assert body["files"][0]["season"] == 1
    assert body["files"][0]["audio_tracks"] == [{"position": 0, "language": "jpn"}]
    assert api.get("/api/media/999999/").status_code == 404


def _count_queries(api: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_page_size_or_rows(
    token_api: APIClient, django_assert_max_num_queries
) -> None:
    instance = InstanceFactory()
    _bulk_media(instance, 30)
    query = f"instance={instance.pk}&applied_tag=dub&pending=false&search=Bulk&ordering=title"
    token_api.get("/api/media/")  # the token's last_used_at is written once a minute
    small = _count_queries(token_api, f"/api/media/?{query}&page_size=2")
    _bulk_media(instance, 600, start=30)
    large = _count_queries(token_api, f"/api/media/?{query}&page_size=200")
    # token, the user's permissions and his groups' (as the admin asks), count, page
    # (instance names joined in)
    assert small == large == 5
    with django_assert_max_num_queries(5):
        token_api.get(f"/api/media/?{query}&page_size=200&page=2")


def test_detail_queries_do_not_grow_with_files(token_api: APIClient) -> None:
    media = MediaFactory()
    token_api.get("/api/media/")
    few = _count_queries(token_api, f"/api/media/{media.pk}/")
    for number in range(1, 4):
        season = SeasonFactory(media=media, number=number)
        MediaFileFactory.create_batch(5, media=media, season=season)
    many = _count_queries(token_api, f"/api/media/{media.pk}/")
    # token, permissions (2), media + instance, seasons, files + their season
    assert few == many == 6


def test_the_original_override_redecides_the_verdict_without_probing(api: APIClient) -> None:
    media = doubtful_anime()  # its files do not exist: nothing can be probed
    listed = api.get("/api/media/?original_doubtful=true").json()["results"]
    assert [row["title"] for row in listed] == ["Unmapped Anime"]
    assert listed[0]["original_doubtful"] is True
    response = api.patch(
        f"/api/media/{media.pk}/", {"original_override": "Japanese"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["original_override"], body["planned_tag"], body["original_doubtful"]) == (
        "jpn",
        "dub",
        False,
    )
    assert body["verdict_reasons"]["original"] == "jpn"
    assert _titles(api, "original_doubtful=true") == []
    event = Event.objects.get(media=media, kind=Event.Kind.CONFIG)
    assert "original language set to Japanese" in event.message

    cleared = api.patch(f"/api/media/{media.pk}/", {"original_override": ""}, format="json")
    assert (cleared.json()["planned_tag"], cleared.json()["original_doubtful"]) == ("none", True)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"original_override": "notalanguage"}, 400),
        ({"original_override": "und"}, 400),
        ({"original_override": 5}, 400),
        ({"original_override": None}, 400),
        ({}, 400),
    ],
)
def test_a_bad_original_override_is_a_400_that_changes_nothing(
    api: APIClient, body: dict[str, object], status: int
) -> None:
    media = doubtful_anime()
    response = api.patch(f"/api/media/{media.pk}/", body, format="json")
    assert response.status_code == status
    media.refresh_from_db()
    assert (media.original_override, media.planned_tag) == ("", "none")


def test_only_the_override_is_writable(api: APIClient) -> None:
    media = doubtful_anime()
    assert api.put(f"/api/media/{media.pk}/", {"title": "x"}, format="json").status_code == 405
    response = api.patch(
        f"/api/media/{media.pk}/", {"title": "x", "original_override": "ja"}, format="json"
    )
    assert response.status_code == 200
    assert Media.objects.get(pk=media.pk).title == "Unmapped Anime"

"""``GET /api/media/{id}/keep/`` and ``GET /api/keep/?path=``: per file, which tracks the
household keeps, for a remuxer (issue 81, item 6); the path matched to an item as a
rescan by path matches it (scanner.actions.rescan_path)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from scanner.engine.tracks import make_subtitle, make_track
from scanner.models import Media, MediaFile, Person
from tests.factories import InstanceFactory, MediaFactory, MediaFileFactory

pytestmark = pytest.mark.django_db

SHOW = "/data/tv/Les Boys"
EPISODE = "Season 01/Les Boys - S01E01.mkv"
AUDIO = [
    make_track(1, "eng", None, default=True).to_dict(),
    make_track(2, "fre", "VFF").to_dict(),
    make_track(3, "fre", "VFQ").to_dict(),
    make_track(4, "eng", "Commentary").to_dict(),
]
SUBTITLES = [make_subtitle(1, "fre").to_dict(), make_subtitle(2, "ger").to_dict()]


@pytest.fixture
def show() -> Media:
    """A Quebec household's show: the *arr calls its folder /tv/Les Boys, the remuxer
    /mnt/shows/Les Boys (the instance's mapping)."""
    instance = InstanceFactory(
        name="tv",
        target_languages=["fr-CA"],
        path_mappings=[{"remote": "/mnt/shows", "local": "/data/tv"}],
    )
    media = MediaFactory(
        instance=instance,
        title="Les Boys",
        path=SHOW,
        arr_path="/tv/Les Boys",
        original_language="eng",
    )
    for number in (1, 2):
        MediaFileFactory(
            media=media,
            path=f"Season 01/Les Boys - S01E0{number}.mkv",
            size=4321,
            audio_tracks=AUDIO,
            subtitle_tracks=SUBTITLES,
        )
    Person.objects.create(name="Léa", languages=["fr-CA", "fra"])
    return media


def _tracks(answer: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (t["kind"], t["map"], t["language"], t["role"], t["keep"], t["reason"])
        for t in answer["tracks"]
    ]


EXPECTED = [
    ("audio", "0:a:0", "eng", "original", True, "original"),
    ("audio", "0:a:1", "fra", "dub", False, "not-chosen"),
    ("audio", "0:a:2", "fra", "dub", True, "chosen"),
    ("audio", "0:a:3", "eng", "commentary", False, "commentary"),
    ("subtitle", "0:s:0", "fra", "subtitle", True, "subtitle-language"),
    ("subtitle", "0:s:1", "deu", "subtitle", False, "other-language"),
]


def test_an_items_files_with_the_tracks_kept(token_api: APIClient, show: Media) -> None:
    response = token_api.get(f"/api/media/{show.pk}/keep/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["instance"], body["original_language"]) == (
        "Les Boys",
        "tv",
        "eng",
    )
    assert [f["path"] for f in body["files"]] == [EPISODE, EPISODE.replace("E01", "E02")]
    first = body["files"][0]
    assert _tracks(first) == EXPECTED
    assert first["tracks"][2]["variety"] == "fr-CA"
    assert (first["size"], first["audio_count"], first["subtitle_count"]) == (4321, 4, 2)
    assert first["removes"] is True
    assert first["tracks"][0]["index"] is None  # not stored: the module says why


@pytest.mark.parametrize(
    "given",
    [
        f"{SHOW}/{EPISODE}",  # as this host sees it
        f"/tv/Les Boys/{EPISODE}",  # as the *arr sees it
        f"/mnt/shows/Les Boys/{EPISODE}",  # through the instance's mapping
    ],
)
def test_a_file_by_its_path(token_api: APIClient, show: Media, given: str) -> None:
    response = token_api.get("/api/keep/", {"path": given})
    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    assert item["id"] == show.pk
    (file,) = item["files"]
    assert file["path"] == EPISODE
    assert _tracks(file) == EXPECTED


def test_a_file_as_a_windows_arr_names_it(token_api: APIClient, show: Media) -> None:
    Media.objects.filter(pk=show.pk).update(arr_path="D:\\TV\\Les Boys")
    given = "D:\\TV\\Les Boys\\Season 01\\Les Boys - S01E01.mkv"
    response = token_api.get("/api/keep/", {"path": given})
    assert response.status_code == 200, response.content
    assert [f["path"] for f in response.json()["items"][0]["files"]] == [EPISODE]


def test_a_folder_gives_its_files(token_api: APIClient, show: Media) -> None:
    season = token_api.get("/api/keep/", {"path": f"{SHOW}/Season 01"}).json()
    assert len(season["items"][0]["files"]) == 2
    whole = token_api.get("/api/keep/", {"path": SHOW}).json()
    assert len(whole["items"][0]["files"]) == 2


def test_tracks_from_the_arrs_media_info_are_all_kept(token_api: APIClient, show: Media) -> None:
    MediaFile.objects.filter(media=show).update(source=MediaFile.Source.ARR)
    body = token_api.get(f"/api/media/{show.pk}/keep/").json()
    file = body["files"][0]
    assert file["removes"] is False
    assert {t["reason"] for t in file["tracks"]} == {"not-read"}


def test_an_original_in_doubt_keeps_every_programme_track(
    token_api: APIClient, show: Media
) -> None:
    """The *arr's English offered to be replaced (Media.original_doubtful)."""
    Media.objects.filter(pk=show.pk).update(original_suggestion="jpn")
    body = token_api.get(f"/api/media/{show.pk}/keep/").json()
    assert body["original_language"] is None
    kept = [t["keep"] for t in body["files"][0]["tracks"] if t["kind"] == "audio"]
    assert kept == [True, True, True, False]  # the commentary still goes


@pytest.mark.parametrize(
    ("given", "status", "says"),
    [
        ({"path": "/data/tv/Unknown/x.mkv"}, 404, "no file"),
        ({"path": f"{SHOW}/Season 01/missing.mkv"}, 404, "no file"),
        ({"path": "Les Boys/x.mkv"}, 400, "is not an absolute path"),
        ({"path": ""}, 400, "a path is needed"),
        ({}, 400, "a path is needed"),
        ({"path": "/data/x\u0000.mkv"}, 400, "NUL"),
        ({"path": "/" + "x" * 5000}, 400, "1024"),
    ],
)
def test_a_path_it_cannot_answer_for(
    token_api: APIClient, show: Media, given: dict[str, str], status: int, says: str
) -> None:
    response = token_api.get("/api/keep/", given)
    assert response.status_code == status, response.content
    assert says in str(response.json()), response.json()


def test_an_unknown_item_and_an_unknown_caller(token_api: APIClient, show: Media) -> None:
    assert token_api.get(f"/api/media/{show.pk + 1000}/keep/").status_code == 404
    assert APIClient().get(f"/api/media/{show.pk}/keep/").status_code == 401
    assert APIClient().get("/api/keep/", {"path": f"{SHOW}/{EPISODE}"}).status_code == 401

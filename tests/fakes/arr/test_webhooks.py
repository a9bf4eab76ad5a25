"""Sample webhook bodies differ from the API objects where the real ones do."""

from __future__ import annotations

import pytest
import requests

from fakes.arr import (
    FakeArr,
    FakeArrOptions,
    build_episode_file,
    build_movie,
    build_series,
    radarr_download_webhook,
    sonarr_download_webhook,
)
from fakes.arr.webhooks import stored_languages
from scanner.arr.media_info import parse_audio_languages
from scanner.arr.payloads import parse_item
from tests.fakes.arr.conftest import API_KEY

LABELS = {1: "dub", 4: "anime", 9: "4k"}


def test_radarr_lists_path_and_folder_name_and_only_its_webhook_says_folder_path():
    movie = build_movie(3, title="Heat", tags=[4, 9], original_language="Japanese")
    with FakeArr(FakeArrOptions(app="radarr", api_key=API_KEY), items=[movie]) as radarr:
        listed = requests.get(
            f"{radarr.url}/api/v3/movie", headers={"X-Api-Key": API_KEY}, timeout=5
        ).json()[0]

    body = radarr_download_webhook(movie, tag_labels=LABELS)

    assert listed["path"] == "/movies/Heat (2020)"
    assert listed["folderName"] == "Heat (2020)"
    assert "folderPath" not in listed
    assert body["eventType"] == "Download"
    sent = body["movie"]
    assert sent["folderPath"] == listed["path"]
    assert "path" not in sent
    assert sent["tags"] == ["4k", "anime"]  # labels, sorted, not ids
    assert sent["originalLanguage"] == {"id": 8, "name": "Japanese"}
    assert body["movieFile"]["path"] == "/movies/Heat (2020)/Heat (2020).mkv"
    # The client reads either form of the folder.
    assert parse_item(sent, kind="radarr").path == parse_item(listed, kind="radarr").path


def test_webhook_audio_languages_are_a_deduplicated_list_where_the_api_has_a_string():
    movie = build_movie(1, audio_languages="jpn/eng/jpn")
    series = build_series(2, title="Show", tags=[1])
    episode_file = build_episode_file(series, 11, season=1, episode=3, audio_languages="eng/eng")

    radarr = radarr_download_webhook(movie)
    sonarr = sonarr_download_webhook(series, episode_file, episode_numbers=[3], tag_labels=LABELS)

    assert movie["movieFile"]["mediaInfo"]["audioLanguages"] == "jpn/eng/jpn"
    assert radarr["movieFile"]["mediaInfo"]["audioLanguages"] == ["jpn", "eng"]
    assert episode_file["mediaInfo"]["audioLanguages"] == "eng/eng"
    assert sonarr["episodeFile"]["mediaInfo"]["audioLanguages"] == ["eng"]
    assert parse_audio_languages(sonarr["episodeFile"]["mediaInfo"]["audioLanguages"]) == ["eng"]


def test_sonarr_download_webhook_carries_series_episodes_and_file():
    series = build_series(2, title="Show", tags=[1, 4], original_language="Telugu")
    episode_file = build_episode_file(series, 11, season=1, episode=3, audio_languages="tel/eng")

    body = sonarr_download_webhook(series, episode_file, episode_numbers=[3], tag_labels=LABELS)

    assert body["eventType"] == "Download"
    assert body["series"]["path"] == "/tv/Show"
    assert body["series"]["tags"] == ["anime", "dub"]
    # Sonarr maps no Telugu: the original reads English, in webhooks as in the API.
    assert body["series"]["originalLanguage"] == {"id": 1, "name": "English"}
    assert [(e["seasonNumber"], e["episodeNumber"]) for e in body["episodes"]] == [(1, 3)]
    assert body["episodeFile"]["relativePath"] == "Season 01/Show - S01E03.mkv"
    assert body["episodeFile"]["path"] == "/tv/Show/Season 01/Show - S01E03.mkv"
    assert body["episodeFile"]["mediaInfo"]["audioLanguages"] == ["tel", "eng"]
    assert body["isUpgrade"] is False


@pytest.mark.parametrize(
    ("joined", "stored"),
    [
        ("eng/jpn/eng", ["eng", "jpn", "eng"]),  # not de-duplicated: one per stream
        ("", []),  # no tagged stream
        ("English / Japanese", ["English", "Japanese"]),  # Sonarr v3's names
    ],
)
def test_the_fake_reads_its_own_api_languages_back_into_the_stored_list(joined, stored):
    """The fake's own reading (no product code): what a webhook de-duplicates."""
    assert stored_languages(joined) == stored

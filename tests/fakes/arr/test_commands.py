"""The fake *arr's episodes and commands over real HTTP, as Sonarr's EpisodeController
and the CommandController of both apps answer them."""

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
    return FakeArr(FakeArrOptions(**options), items=items).start()


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    fake = start_fake()
    yield fake
    fake.stop()


def test_episodes_are_made_from_the_files_with_ids_that_stay(sonarr, http):
    files = [
        {"id": 7, "seasonNumber": 1, "relativePath": "Season 01/Show 1 - S01E01-E02.mkv"},
        {"id": 8, "seasonNumber": 2, "relativePath": "Season 02/Show 1 - S02E01.mkv"},
    ]
    sonarr.state.set_episode_files(1, files)
    url = f"{sonarr.url}/api/v3/episode"
    episodes = http.get(url, params={"seriesId": 1}, headers=KEY).json()
    assert [(e["seasonNumber"], e["episodeNumber"], e["episodeFileId"]) for e in episodes] == [
        (1, 1, 7),
        (1, 2, 7),
        (2, 1, 8),
    ]
    assert len({e["id"] for e in episodes}) == 3
    again = http.get(url, params={"seriesId": 1, "seasonNumber": 2}, headers=KEY).json()
    assert again == [episodes[2]]
    by_id = http.get(url, params={"episodeIds": [episodes[0]["id"]]}, headers=KEY).json()
    assert by_id == [episodes[0]]
    assert http.get(url, params={"seriesId": 99}, headers=KEY).json() == []  # no 404
    answer = http.get(url, headers=KEY)
    assert answer.status_code == 400
    assert answer.json()["message"] == "BadRequest: seriesId or episodeIds must be provided"


def test_an_episode_is_monitored_as_its_season_until_a_person_changes_it(http):
    """Sonarr copies a season's flag onto its episodes (Sonarr/Sonarr
    src/NzbDrone.Core/Tv/SeriesService.cs, UpdateSeries ->
    EpisodeService.SetEpisodeMonitoredBySeason); one episode's own flag can differ after
    that (src/Sonarr.Api.V3/Episodes/EpisodeController.cs, PUT episode/monitor)."""
    series = build_series(1)  # season 0 unmonitored, seasons 1 and 2 monitored
    fake = start_fake(items=[series])
    try:
        fake.state.set_episode_files(
            1,
            [
                {"id": 5, "seasonNumber": 0, "relativePath": "Specials/Show 1 - S00E01.mkv"},
                {"id": 6, "seasonNumber": 1, "relativePath": "Season 01/Show 1 - S01E01-E02.mkv"},
            ],
        )
        fake.state.set_episode_monitored(1, 1, 2, monitored=False)
        url = f"{fake.url}/api/v3/episode"
        episodes = http.get(url, params={"seriesId": 1}, headers=KEY).json()
        assert [(e["seasonNumber"], e["episodeNumber"], e["monitored"]) for e in episodes] == [
            (0, 1, False),
            (1, 1, True),
            (1, 2, False),
        ]
    finally:
        fake.stop()


def test_search_commands_are_queued_as_the_real_controller_does(sonarr, http):
    url = f"{sonarr.url}/api/v3/command"
    answer = http.post(url, json={"name": "episodeSearch", "episodeIds": [3, 4]}, headers=KEY)
    assert answer.status_code == 201
    queued = answer.json()
    assert (queued["name"], queued["commandName"], queued["status"]) == (
        "EpisodeSearch",
        "Episode Search",
        "queued",
    )
    assert queued["body"]["episodeIds"] == [3, 4]
    assert queued["body"]["sendUpdatesToClient"] is True
    assert sonarr.state.commands()[-1]["body"] == {"name": "episodeSearch", "episodeIds": [3, 4]}
    # An unknown command is LINQ's Single failing (500); a blank name is a validation 400.
    assert http.post(url, json={"name": "MoviesSearch"}, headers=KEY).status_code == 500
    assert http.post(url, json={"name": ""}, headers=KEY).status_code == 400
    wrong = {"name": "EpisodeSearch", "episodeIds": ["a"]}
    assert http.post(url, json=wrong, headers=KEY).status_code == 500
    assert len(sonarr.state.commands()) == 1


def test_radarr_takes_movies_search_and_has_no_episodes(http):
    with start_fake(app="radarr", items=[build_movie(1)]) as radarr:
        url = f"{radarr.url}/api/v3/command"
        answer = http.post(url, json={"name": "MoviesSearch", "movieIds": [1]}, headers=KEY)
        assert answer.status_code == 201
        assert http.post(url, json={"name": "EpisodeSearch"}, headers=KEY).status_code == 500
        episodes = http.get(f"{radarr.url}/api/v3/episode?seriesId=1", headers=KEY)
        assert episodes.status_code == 404

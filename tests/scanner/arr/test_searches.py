"""The search helpers of the *arr client: episode rows and the search commands."""

from __future__ import annotations

from scanner.arr.searches import ArrEpisode, command_id, parse_episodes, search_command


def test_episode_rows_without_usable_numbers_are_left_out() -> None:
    """EpisodeResource (Sonarr/Sonarr src/Sonarr.Api.V3/Episodes/EpisodeResource.cs)
    always carries ``monitored``; a row without it is taken as monitored."""
    payload = [
        {"id": 1, "seasonNumber": 1, "episodeNumber": 2, "episodeFileId": 9},
        {"id": 2, "seasonNumber": 1, "episodeNumber": None},
        {"id": True, "seasonNumber": 1, "episodeNumber": 3},
        "not a row",
        {"id": 3, "seasonNumber": 0, "episodeNumber": 1},
        {"id": 4, "seasonNumber": 1, "episodeNumber": 4, "monitored": False},
    ]
    assert parse_episodes(payload) == [
        ArrEpisode(1, 1, 2, 9),
        ArrEpisode(3, 0, 1, 0),
        ArrEpisode(4, 1, 4, 0, monitored=False),
    ]
    assert parse_episodes({"message": "no"}) == []


def test_an_episode_s_title_and_air_date_as_its_page_keeps_them() -> None:
    """``title`` and ``airDate`` (``2024-01-31``, or null before it is known); anything
    else is no title or no date, never an error."""
    rows = [
        {"id": 1, "seasonNumber": 2, "episodeNumber": 3, "episodeFileId": 7,
         "title": "  Pilot ", "airDate": "2024-01-31", "monitored": False},
        {"id": 2, "seasonNumber": 2, "episodeNumber": 4, "title": ["no"], "airDate": None},
        {"id": 3, "seasonNumber": 2, "episodeNumber": 5, "title": "x" * 999,
         "airDate": "31.01.2024"},
    ]  # fmt: skip
    shown = [episode.shown() for episode in parse_episodes(rows)]
    assert shown == [
        [2, 3, "Pilot", "2024-01-31", False, True],
        [2, 4, "", "", True, False],
        [2, 5, "x" * 300, "", True, False],
    ]


def test_search_commands_and_their_ids() -> None:
    assert search_command("sonarr", [5, 3, 5]) == {"name": "EpisodeSearch", "episodeIds": [3, 5]}
    assert search_command("radarr", [7]) == {"name": "MoviesSearch", "movieIds": [7]}
    assert command_id({"id": 12, "name": "EpisodeSearch"}) == 12
    assert command_id(None) is None and command_id({"id": "12"}) is None

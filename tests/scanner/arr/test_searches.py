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


def test_search_commands_and_their_ids() -> None:
    assert search_command("sonarr", [5, 3, 5]) == {"name": "EpisodeSearch", "episodeIds": [3, 5]}
    assert search_command("radarr", [7]) == {"name": "MoviesSearch", "movieIds": [7]}
    assert command_id({"id": 12, "name": "EpisodeSearch"}) == 12
    assert command_id(None) is None and command_id({"id": "12"}) is None

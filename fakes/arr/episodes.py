"""Sonarr's episodes (``GET /api/v3/episode``): one row per episode, with the id a
search command names and the id of the file that holds it (0 without a file).

A test may set a series' episodes; otherwise they are made from its episode files, by
the ``SxxEyy`` of each file's name (``S01E01-E02`` and ``S01E01E02``: both episodes, one
file), each episode with an id of its own that stays the same for as long as the fake
runs, as the database ids of the real server do.

An episode's ``monitored`` is its own flag: Sonarr copies a season's flag onto each of
its episodes when the season is (un)monitored (Sonarr/Sonarr
``src/NzbDrone.Core/Tv/SeriesService.cs``, ``UpdateSeries`` calling
``EpisodeService.SetEpisodeMonitoredBySeason``), and a person may (un)monitor one
episode after that (``PUT /api/v3/episode/monitor``); ``set_monitored`` plays the latter.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

_MARKER = re.compile(r"[Ss](\d{1,4})((?:-?[Ee]\d{1,4})+)")


def episode_numbers(relative_path: str) -> tuple[int | None, list[int]]:
    found = _MARKER.search(relative_path.rsplit("/", 1)[-1])
    if found is None:
        return None, []
    return int(found.group(1)), [int(n) for n in re.findall(r"\d+", found.group(2))]


class EpisodeBook:
    """Episode ids by (series, season, episode), handed out once; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: dict[tuple[int, int, int], int] = {}
        self._set: dict[int, list[dict[str, Any]]] = {}
        self._monitored: dict[tuple[int, int, int], bool] = {}  # set one by one

    def set_episodes(self, series_id: int, episodes: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            self._set[series_id] = [dict(episode) for episode in episodes]

    def set_monitored(self, series_id: int, season: int, number: int, monitored: bool) -> None:
        with self._lock:
            self._monitored[(series_id, season, number)] = monitored

    def episodes(
        self, series: Mapping[str, Any], files: Iterable[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """The series' episodes in season and episode order."""
        series_id = int(series["id"])
        with self._lock:
            if series_id in self._set:
                return [dict(episode) for episode in self._set[series_id]]
            rows = []
            for file in files:
                season, numbers = episode_numbers(str(file.get("relativePath", "")))
                season = file.get("seasonNumber", season)
                for number in numbers if season is not None else []:
                    rows.append(self._episode(series, int(season), number, file))
        return sorted(rows, key=lambda row: (row["seasonNumber"], row["episodeNumber"]))

    def _episode(
        self, series: Mapping[str, Any], season: int, number: int, file: Mapping[str, Any]
    ) -> dict[str, Any]:
        key = (int(series["id"]), season, number)
        episode_id = self._ids.setdefault(key, len(self._ids) + 1)
        seasons = {
            row.get("seasonNumber"): row.get("monitored") is not False
            for row in series.get("seasons") or []
            if isinstance(row, Mapping)
        }
        monitored = self._monitored.get(key, seasons.get(season, True))
        return {
            "seriesId": key[0],
            "tvdbId": 0,
            "episodeFileId": int(file.get("id") or 0),
            "seasonNumber": season,
            "episodeNumber": number,
            "title": f"Episode {number}",
            "airDate": "2024-01-01",
            "airDateUtc": "2024-01-01T20:00:00Z",
            "overview": "",
            "hasFile": True,
            "monitored": monitored,
            "unverifiedSceneNumbering": False,
            "seriesTitle": series.get("title", ""),
            "id": episode_id,
        }

"""What a search for missing dubs needs from Sonarr and Radarr: the ids of a series'
episodes (with their titles and air dates, which the series page shows), and the search
commands (docs/arr-api.md, "Commands"). A command is queued by the *arr and answered at
once (201, with its id); the search itself runs later on the *arr, which grabs a release
only when its profile scores it above the file it has."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class ArrEpisode:
    id: int
    season: int
    number: int
    file_id: int  # 0: no file
    # What Sonarr's own missing search asks for (it filters on it); its season's flag is
    # copied onto every episode when a season is (un)monitored.
    monitored: bool = True
    title: str = ""
    air_date: str = ""  # ``2024-01-31``, the air date where it aired; "": not known

    def shown(self) -> list[Any]:
        """As the item keeps it for its page (Media.arr_episodes): ``[season, number,
        title, air date, monitored, has a file]``."""
        return [
            self.season,
            self.number,
            self.title,
            self.air_date,
            self.monitored,
            bool(self.file_id),
        ]


def parse_episodes(rows: Iterable[Any]) -> list[ArrEpisode]:
    """``GET /api/v3/episode?seriesId=N``'s rows, as they are decoded; rows without
    usable numbers are left out."""
    episodes = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        episode_id, season, number = (
            _whole(row.get(key)) for key in ("id", "seasonNumber", "episodeNumber")
        )
        if episode_id is not None and season is not None and number is not None:
            file_id = row.get("episodeFileId")
            episodes.append(
                ArrEpisode(
                    episode_id,
                    season,
                    number,
                    file_id=file_id if isinstance(file_id, int) else 0,
                    monitored=row.get("monitored") is not False,
                    title=_text(row.get("title"), 300),
                    air_date=_date(row.get("airDate")),
                )
            )
    return episodes


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _date(value: Any) -> str:
    """``airDate`` as Sonarr sends it (``2024-01-31``); anything else is not known."""
    text = _text(value, 10)
    return text if _DATE.fullmatch(text) else ""


def _whole(value: Any) -> int | None:
    # bool is an int in Python; a number of ``true`` is not a number.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def search_command(kind: str, ids: Iterable[int]) -> dict[str, Any]:
    """Sonarr's EpisodeSearch with episode ids, Radarr's MoviesSearch with movie ids."""
    if kind == "sonarr":
        return {"name": "EpisodeSearch", "episodeIds": sorted(set(ids))}
    return {"name": "MoviesSearch", "movieIds": sorted(set(ids))}


def command_id(payload: Any) -> int | None:
    found = payload.get("id") if isinstance(payload, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else None

"""Realistic series and movie objects for seeding the fake: the full field set,
so a client that PUTs back less than it got is caught as a partial PUT.

``originalLanguage`` is stored by name only: the fake serves it with the id of the
release it plays, or as English when that release knows no such language.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fakes.arr.languages import file_languages

LANGUAGES = ("English", "Japanese", "French", "German", "Spanish", "Korean")
GENRES = ("Animation", "Drama", "Comedy", "Documentary", "Action")


def build_series(
    series_id: int,
    *,
    title: str | None = None,
    path: str | None = None,
    tags: Iterable[int] = (),
    original_language: str | None = "English",
    seasons: int = 2,
    monitored: bool = True,
) -> dict[str, Any]:
    title = title or f"Show {series_id}"
    series: dict[str, Any] = {
        "id": series_id,
        "title": title,
        "sortTitle": title.lower(),
        "status": "continuing",
        "year": 2000 + series_id % 25,
        "overview": f"The story of {title}.",
        "path": path or f"/tv/{title}",
        "tvdbId": 100000 + series_id,
        "titleSlug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or f"show-{series_id}",
        "qualityProfileId": 1,
        "seasonFolder": True,
        "monitored": monitored,
        "monitorNewItems": "all",
        "seriesType": "standard",
        "genres": ["Drama"],
        "tags": sorted(set(tags)),
        "added": "2024-01-01T00:00:00Z",
        "seasons": [
            {"seasonNumber": number, "monitored": number > 0} for number in range(seasons + 1)
        ],
        "statistics": {"seasonCount": seasons, "episodeFileCount": 10 * seasons},
    }
    if original_language is not None:
        series["originalLanguage"] = {"name": original_language}
    return series


def build_movie(
    movie_id: int,
    *,
    title: str | None = None,
    path: str | None = None,
    tags: Iterable[int] = (),
    original_language: str | None = "English",
    has_file: bool = True,
    monitored: bool = True,
    audio_languages: str = "eng",
) -> dict[str, Any]:
    """A movie as ``GET /api/v3/movie`` lists it: ``path`` and ``folderName`` (only
    webhooks say ``folderPath``), and the file's ``mediaInfo.audioLanguages`` in the
    API's form, ``"eng/jpn"``."""
    title = title or f"Movie {movie_id}"
    folder = f"{title} (2020)"
    movie: dict[str, Any] = {
        "id": movie_id,
        "title": title,
        "sortTitle": title.lower(),
        "year": 2020,
        "path": path or f"/movies/{folder}",
        "folderName": folder,
        "tmdbId": 200000 + movie_id,
        "qualityProfileId": 1,
        "monitored": monitored,
        "minimumAvailability": "released",
        "hasFile": has_file,
        "genres": ["Drama"],
        "tags": sorted(set(tags)),
        "added": "2024-01-01T00:00:00Z",
    }
    if has_file:
        movie["movieFile"] = {
            "id": movie_id,
            "movieId": movie_id,
            "relativePath": f"{folder}.mkv",
            "path": f"{movie['path']}/{folder}.mkv",
            "size": 1_500_000_000,
            "dateAdded": "2024-01-01T00:00:00Z",
            "mediaInfo": {"audioLanguages": audio_languages},
        }
    if original_language is not None:
        movie["originalLanguage"] = {"name": original_language}
    return movie


def build_episode_file(
    series: Mapping[str, Any],
    file_id: int,
    *,
    season: int = 1,
    episode: int = 1,
    audio_languages: str = "eng",
    languages: Sequence[str] = (),
) -> dict[str, Any]:
    """An episode file as ``GET /api/v3/episodefile?seriesId=N`` lists it (v4 form:
    ``audioLanguages`` joined by "/", ``""`` when no stream is tagged), with the file's
    ``languages`` by name when given ("Portuguese (Brazil)")."""
    relative = f"Season {season:02d}/{series['title']} - S{season:02d}E{episode:02d}.mkv"
    streams = len(audio_languages.split("/")) if audio_languages else 1
    entry: dict[str, Any] = {
        "id": file_id,
        "seriesId": series["id"],
        "seasonNumber": season,
        "relativePath": relative,
        "path": f"{series['path']}/{relative}",
        "size": 700_000_000,
        "dateAdded": "2024-01-01T00:00:00Z",
        "mediaInfo": {"audioLanguages": audio_languages, "audioStreamCount": streams},
    }
    if languages:
        entry["languages"] = file_languages("sonarr", (4,), languages)
    return entry


def generate_library(app: str, count: int, *, seed: int = 1) -> list[dict[str, Any]]:
    """``count`` items with varied languages and genres, reproducible from ``seed``."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    build = build_series if app == "sonarr" else build_movie
    library = []
    for item_id in range(1, count + 1):
        item = build(item_id, original_language=rng.choice(LANGUAGES))
        item["genres"] = rng.sample(GENRES, 2)
        library.append(item)
    return library

"""Values the *arr clients hand out, and the parsing of *arr JSON into them.

The *arr leaves null fields out of its JSON, so every field is read as optional.
Language *names* stay raw (``"Japanese"``, ``"Portuguese (Brazil)"``): callers
canonicalise them with the engine, which owns the language table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from scanner import outside_text
from scanner.arr.covers import parse_covers
from scanner.arr.media_info import ArrFile, parse_file

TagAction = Literal["add", "remove"]
TAG_ACTIONS: tuple[TagAction, ...] = ("add", "remove")

_VERSION = re.compile(r"^\s*(\d+)(?:\.(\d+))?")


class UnusableItemError(ValueError):
    """A JSON object from the *arr cannot be used as an item (no id or no path)."""


class ArrSeason(NamedTuple):
    number: int
    monitored: bool


@dataclass(frozen=True)
class SystemStatus:
    app_name: str
    version: str
    major: int
    has_original_language: bool


@dataclass(frozen=True)
class ArrItem:
    """A series (Sonarr) or movie (Radarr) as listed by the *arr."""

    id: int
    title: str
    path: str  # remote, as the *arr sees it; map it with scanner.arr.paths
    original_language_name: str | None = None
    genres: tuple[str, ...] = ()
    tag_ids: frozenset[int] = frozenset()
    monitored: bool = True
    seasons: tuple[ArrSeason, ...] = ()  # Sonarr only
    has_file: bool | None = None  # Radarr only
    # Provider ids, for matching the item in Jellyfin/Emby/Plex.
    tvdb_id: int | None = None
    tmdb_id: int | None = None
    imdb_id: str = ""
    title_slug: str = ""  # Sonarr: the item's page in its web UI is /series/<slug>
    year: int | None = None  # Series.Year / Movie.Year; 0 (not known yet) is None
    # What tells a change of the item's files without listing them: Sonarr's episode
    # file count and size on disk, Radarr's movie file id, size and date.
    files_fingerprint: str = ""
    file_count: int | None = None  # None: unknown
    files: tuple[ArrFile, ...] | None = None  # Radarr embeds its file; Sonarr: ask
    # The *arr's address of its poster and fanart, lastWrite included (scanner.arr.covers).
    covers: tuple[tuple[str, str], ...] = ()
    quality_profile_id: int | None = None  # SeriesResource/MovieResource.QualityProfileId


@dataclass(frozen=True)
class TagChange:
    item_id: int
    tag_id: int
    action: TagAction

    def __post_init__(self) -> None:
        if self.action not in TAG_ACTIONS:
            raise ValueError(f"tag action must be 'add' or 'remove', not {self.action!r}")

    @classmethod
    def coerce(cls, value: TagChange | tuple[int, int, TagAction]) -> TagChange:
        if isinstance(value, TagChange):
            return value
        item_id, tag_id, action = value
        return cls(item_id, tag_id, action)


@dataclass(frozen=True)
class ApplyResult:
    """What ``apply_tag_changes`` did: an id is in ``succeeded`` only if all its changes held."""

    succeeded: frozenset[int]
    failed: Mapping[int, str] = field(default_factory=dict)
    requests: int = 0


def parse_version(version: str) -> tuple[int, int]:
    """``"4.0.14.2939"`` -> ``(4, 0)``; raises ValueError when it does not start with a number."""
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"version {version!r} does not start with a number")
    return int(match.group(1)), int(match.group(2) or 0)


def has_original_language(kind: str, version: str) -> bool:
    """Sonarr reports ``originalLanguage`` from v4, Radarr from v4.1."""
    major_minor = parse_version(version)
    return major_minor >= (4, 0) if kind == "sonarr" else major_minor >= (4, 1)


def _int_or_none(value: Any) -> int | None:
    # bool is an int in Python; an id of ``true`` is not an id.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _files(obj: Mapping[str, Any], kind: str) -> dict[str, Any]:
    if kind == "radarr":
        movie_file = obj.get("movieFile")
        parsed = parse_file(movie_file)
        if parsed is None:
            return {"files_fingerprint": "", "file_count": 0, "files": ()}
        identity = movie_file.get("id") if isinstance(movie_file, Mapping) else None
        fingerprint = f"{identity}:{parsed.size}:{parsed.date_added}"
        return {"files_fingerprint": fingerprint, "file_count": 1, "files": (parsed,)}
    statistics = obj.get("statistics")
    if not isinstance(statistics, Mapping):
        return {}
    count = _int_or_none(statistics.get("episodeFileCount"))
    size = _int_or_none(statistics.get("sizeOnDisk"))
    return {"files_fingerprint": f"{count}:{size}", "file_count": count}


def _positive_or_none(value: Any) -> int | None:
    number = _int_or_none(value)
    return number if number is not None and 0 < number < 2**31 else None


def _imdb_id(value: Any) -> str:
    return value if isinstance(value, str) and re.fullmatch(r"tt\d{1,12}", value) else ""


def _title_slug(value: Any) -> str:
    """Sonarr's slugs are lowercase words and digits joined by dashes; anything else is
    not kept (the admin builds a link from it)."""
    ok = isinstance(value, str) and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value)
    return value if ok and len(value) <= 200 else ""


def _year(value: Any) -> int | None:
    """A release year people read on the item's page; Sonarr and Radarr send 0 before
    their metadata source answered."""
    number = _int_or_none(value)
    return number if number is not None and 1800 <= number <= 2200 else None


def _language_name(value: Any) -> str | None:
    if isinstance(value, Mapping):
        name = value.get("name")
        if isinstance(name, str) and (cleaned := outside_text.line(name)).strip():
            return cleaned
    return None


def _seasons(value: Any) -> tuple[ArrSeason, ...]:
    if not isinstance(value, list):
        return ()
    seasons = []
    for season in value:
        if not isinstance(season, Mapping):
            continue
        number = _int_or_none(season.get("seasonNumber"))
        if number is not None:
            seasons.append(ArrSeason(number, season.get("monitored", True) is not False))
    return tuple(seasons)


# What is kept of an item's title: what the database keeps (Media.title, 500). A list is
# no longer bounded as a whole (scanner.http.bounds): one item's title of a megabyte,
# a hundred thousand times, would otherwise be held whole until the sync cut it.
MAX_ITEM_TITLE = 500


def parse_item(obj: Any, *, kind: str) -> ArrItem:
    """One series/movie object -> ArrItem. Raises UnusableItemError when id or path is missing.

    Webhook bodies name the movie folder ``folderPath``; the API says ``path``.
    """
    if not isinstance(obj, Mapping):
        raise UnusableItemError(f"expected an object, got {type(obj).__name__}")
    item_id = _int_or_none(obj.get("id"))
    if item_id is None or not 0 < item_id < 2**31:
        raise UnusableItemError("it has no id from 1 to 2^31-1 (Sonarr's and Radarr's ids)")
    path = obj.get("path") or obj.get("folderPath")
    if not isinstance(path, str) or not path.strip():
        raise UnusableItemError(f"item {item_id} has no path")
    title = obj.get("title")
    genres = obj.get("genres")
    tags = obj.get("tags")
    has_file = obj.get("hasFile")
    return ArrItem(
        id=item_id,
        title=outside_text.line(title)[:MAX_ITEM_TITLE] if isinstance(title, str) else "",
        path=outside_text.path(path),
        original_language_name=_language_name(obj.get("originalLanguage")),
        genres=tuple(outside_text.line(g) for g in genres if isinstance(g, str))
        if isinstance(genres, list)
        else (),
        tag_ids=frozenset(t for t in tags if _int_or_none(t) is not None)
        if isinstance(tags, list)
        else frozenset(),
        monitored=obj.get("monitored", True) is not False,
        seasons=_seasons(obj.get("seasons")) if kind == "sonarr" else (),
        has_file=has_file if kind == "radarr" and isinstance(has_file, bool) else None,
        **_files(obj, kind),
        tvdb_id=_positive_or_none(obj.get("tvdbId")),
        tmdb_id=_positive_or_none(obj.get("tmdbId")),
        imdb_id=_imdb_id(obj.get("imdbId")),
        covers=tuple(sorted(parse_covers(obj).items())),
        title_slug=_title_slug(obj.get("titleSlug")),
        year=_year(obj.get("year")),
        quality_profile_id=_positive_or_none(obj.get("qualityProfileId")),
    )

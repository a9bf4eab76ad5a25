"""Which NFO files the players read for an item, where a new one goes, and the links a
new one carries (docs/media-servers.md, "NFO files": the rules, read from the players'
sources).

A series: ``tvshow.nfo`` in its folder (Jellyfin and Kodi alike).

A movie in its own folder, the main video directly in it or in a subfolder:

* ``movie.nfo`` is read first by Jellyfin (for a movie not sharing its folder) and by
  Kodi when the source says "movies are in separate folders";
* ``<video name>.nfo`` next to the video is read by Jellyfin when there is no
  ``movie.nfo``, and by Kodi in either mode (in folder mode after ``movie.nfo``);
* for a Blu-ray folder (the video under ``BDMV``) Jellyfin reads ``<folder>.nfo`` instead;
* Kodi in folder mode (and for a disc folder) falls back on the folder's only NFO,
  whatever its name (so a lone ``<folder>.nfo`` is read by Kodi, never by Jellyfin for a
  single video file).

Each player, in each mode, reads the first of its names that exists; when they pick
different files (``movie.nfo`` and ``<video name>.nfo`` both there: Kodi without folder
mode reads the latter), the tags go into each file picked, and into no other. A new NFO
goes where every player, in every mode, reads it: ``<video name>.nfo`` (``movie.nfo`` for
a Blu-ray folder, whose video has no NFO of its own that anyone reads).

A new NFO is never a "full" one: Kodi takes any NFO whose root element parses as the
whole metadata of the item and asks no scraper, unless a scraper finds the item's link
in it (then it scrapes and lays the NFO's fields over the result). So a new NFO holds the
managed tags and the item's links (TMDB, TVDB, IMDb) after the root element, which both
Kodi's bundled scrapers and Jellyfin read; without a link, none is created.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Literal

NfoKind = Literal["series", "movie"]

SERIES_NFO = "tvshow.nfo"
MOVIE_NFO = "movie.nfo"


def item_nfos(folder: Path, kind: NfoKind, main_video: str | None) -> list[Path]:
    """The existing NFO files a player reads for the item: per player and mode, the first
    of its names that exists (module docstring); [] if none.

    ``main_video``: the movie's main file, relative to ``folder`` (None: not known, then
    only the names that do not depend on it count)."""
    if kind == "series":
        return [path] if (path := folder / SERIES_NFO).is_file() else []
    if kind != "movie":
        raise ValueError(f"unknown NFO kind {kind!r}")
    disc = bool(main_video) and _is_bluray(main_video or "")
    own = (folder / main_video).with_suffix(".nfo") if main_video and not disc else None
    movie, only = folder / MOVIE_NFO, _only_nfo(folder)
    picks = (
        _first(movie, folder / f"{folder.name}.nfo" if disc else own),  # Jellyfin
        _first(only) if disc else _first(movie, own, only),  # Kodi, a folder per movie
        _first(only) if disc else _first(own),  # Kodi, movies side by side
    )
    return list(dict.fromkeys(pick for pick in picks if pick is not None))


def _first(*candidates: Path | None) -> Path | None:
    return next((c for c in candidates if c is not None and c.is_file()), None)


def new_nfo_path(folder: Path, kind: NfoKind, main_video: str | None) -> Path | None:
    """Where a new NFO goes (module docstring); None for a movie whose video is not known."""
    if kind == "series":
        return folder / SERIES_NFO
    if not main_video:
        return None
    if _is_bluray(main_video):
        return folder / MOVIE_NFO
    return (folder / main_video).with_suffix(".nfo")


def item_links(
    kind: NfoKind, *, tmdb_id: int | None, tvdb_id: int | None, imdb_id: str
) -> list[str]:
    """The item's pages, in the forms Jellyfin's NFO reader and Kodi's bundled TMDB
    scrapers find after the root element; [] when no id is known."""
    links = []
    if kind == "movie" and tmdb_id:
        links.append(f"https://www.themoviedb.org/movie/{tmdb_id}")
    if kind == "series" and tmdb_id:
        links.append(f"https://www.themoviedb.org/tv/{tmdb_id}")
    if kind == "series" and tvdb_id:
        links.append(f"https://thetvdb.com/?tab=series&id={tvdb_id}")
    if imdb_id:
        links.append(f"https://www.imdb.com/title/{imdb_id}/")
    return links


def _is_bluray(main_video: str) -> bool:
    return "bdmv" in (part.casefold() for part in PurePosixPath(main_video).parts[:-1])


def _only_nfo(folder: Path) -> Path | None:
    """The folder's NFO when it holds exactly one (Kodi's last resort in folder mode)."""
    try:
        with os.scandir(folder) as entries:
            nfos = [
                entry.name
                for entry in entries
                if entry.name.lower().endswith(".nfo") and not entry.name.startswith(".")
            ]
    except OSError:
        return None
    return folder / nfos[0] if len(nfos) == 1 else None

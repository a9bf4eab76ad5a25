"""Which NFO files Taggarr writes, against the ones the players read: real folders on disk,
and each player's rule applied as its source states it.

* Jellyfin: ``jellyfin/jellyfin MediaBrowser.XbmcMetadata/Providers/BaseVideoNfoProvider.cs``
  (``GetXmlFile``: the first existing path of ``MovieNfoSaver.GetMovieSavePaths``), and
  ``MediaBrowser.XbmcMetadata/Savers/MovieNfoSaver.cs`` (``GetMovieSavePaths``:
  ``VIDEO_TS/VIDEO_TS.nfo`` for a DVD; ``movie.nfo`` unless the movie shares its folder;
  ``<folder>.nfo`` for a DVD or Blu-ray, else the video's path with ``.nfo``);
  ``Providers/SeriesNfoProvider.cs`` (``tvshow.nfo`` in the series folder).
* Kodi: ``xbmc/xbmc xbmc/video/tags/VideoTagLoaderNFO.cpp`` (``FindNFO``: with "movies are
  in separate folders" ``movie.nfo`` first; then the video's name with ``.nfo``; for a disc,
  the parent folder; at last, in folder mode or for a disc, the folder's NFO when it is
  the only one; a TV show folder: ``tvshow.nfo``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.engine.nfo import create_nfo
from scanner.engine.nfo_paths import item_links, item_nfos, new_nfo_path

VIDEO = "Film (2020).mkv"
BLURAY = "BDMV/STREAM/00001.m2ts"


def jellyfin_reads(folder: Path, video: str) -> Path | None:
    """MovieNfoSaver.GetMovieSavePaths, first existing (a movie alone in its folder)."""
    disc = video.startswith("BDMV/")
    names = [folder / "movie.nfo"]
    names.append(folder / f"{folder.name}.nfo" if disc else (folder / video).with_suffix(".nfo"))
    return next((path for path in names if path.is_file()), None)


def kodi_reads(folder: Path, video: str, *, movie_folders: bool) -> Path | None:
    """VideoTagLoaderNFO::FindNFO for the movie folder's own files (a Blu-ray's item is
    BDMV/index.bdmv: its own folder holds no NFO here, so the parent folder is searched)."""
    disc = video.startswith("BDMV/")
    if not disc:
        if movie_folders and (folder / "movie.nfo").is_file():
            return folder / "movie.nfo"
        if (own := (folder / video).with_suffix(".nfo")).is_file():
            return own
    if movie_folders or disc:
        nfos = [path for path in folder.iterdir() if path.suffix.lower() == ".nfo"]
        if len(nfos) == 1 and nfos[0].is_file():
            return nfos[0]
    return None


def every_reader(folder: Path, video: str) -> set[Path]:
    picks = {
        jellyfin_reads(folder, video),
        kodi_reads(folder, video, movie_folders=True),
        kodi_reads(folder, video, movie_folders=False),
    }
    return {pick for pick in picks if pick is not None}


def _movie_folder(tmp_path: Path, video: str, nfos: list[str]) -> Path:
    folder = tmp_path / "Film (2020)"
    (folder / video).parent.mkdir(parents=True, exist_ok=True)
    (folder / video).write_bytes(b"")
    for name in nfos:
        (folder / name).write_text("<movie/>")
    return folder


# Folder layout -> the files Taggarr writes (every file a player or mode reads, no other).
LAYOUTS = [
    (VIDEO, ["movie.nfo"], ["movie.nfo"]),
    (VIDEO, ["Film (2020).nfo"], ["Film (2020).nfo"]),
    (VIDEO, ["movie.nfo", "Film (2020).nfo"], ["movie.nfo", "Film (2020).nfo"]),
    (VIDEO, ["movie.nfo", "Film (2020) - other name.nfo"], ["movie.nfo"]),
    # a lone <folder>.nfo: Kodi's last resort in folder mode, never Jellyfin's
    ("Film.2020.1080p.mkv", ["Film (2020).nfo"], ["Film (2020).nfo"]),
    # <folder>.nfo beside the video's own: nobody reads it (the old pick: movie.nfo,
    # then <folder>.nfo, wrote it and left the one every player reads)
    ("Film.2020.1080p.mkv", ["Film (2020).nfo", "Film.2020.1080p.nfo"], ["Film.2020.1080p.nfo"]),
    ("Film.2020.1080p.mkv", [], []),
    (BLURAY, ["Film (2020).nfo"], ["Film (2020).nfo"]),
    (BLURAY, ["movie.nfo", "Film (2020).nfo"], ["movie.nfo"]),
]


@pytest.mark.parametrize(("video", "present", "written"), LAYOUTS)
def test_the_nfos_written_are_the_ones_the_players_read(
    tmp_path: Path, video: str, present: list[str], written: list[str]
) -> None:
    folder = _movie_folder(tmp_path, video, present)
    found = item_nfos(folder, "movie", video)
    assert set(found) == every_reader(folder, video)
    assert found == [folder / name for name in written]


@pytest.mark.parametrize("video", [VIDEO, "Film.2020.1080p.mkv", BLURAY])
def test_a_new_nfo_is_read_by_every_player_in_every_mode(tmp_path: Path, video: str) -> None:
    folder = _movie_folder(tmp_path, video, [])
    path = new_nfo_path(folder, "movie", video)
    assert path is not None
    path.write_text("<movie/>")
    assert jellyfin_reads(folder, video) == path
    assert kodi_reads(folder, video, movie_folders=True) == path
    if not video.startswith("BDMV/"):
        assert kodi_reads(folder, video, movie_folders=False) == path
    assert item_nfos(folder, "movie", video) == [path]


def test_series_read_tvshow_nfo_only(tmp_path: Path) -> None:
    """SeriesNfoProvider.GetXmlFile and Kodi's TV show folder: tvshow.nfo, nothing else."""
    (tmp_path / "Show.nfo").write_text("<tvshow/>")
    assert item_nfos(tmp_path, "series", None) == []
    (tmp_path / "tvshow.nfo").write_text("<tvshow/>")
    assert item_nfos(tmp_path, "series", None) == [tmp_path / "tvshow.nfo"]
    assert new_nfo_path(tmp_path, "series", None) == tmp_path / "tvshow.nfo"


def test_genres_without_the_video_come_from_movie_nfo_or_the_only_nfo(tmp_path: Path) -> None:
    folder = _movie_folder(tmp_path, VIDEO, ["Film (2020).nfo"])
    assert item_nfos(folder, "movie", None) == [folder / "Film (2020).nfo"]  # the only one
    (folder / "movie.nfo").write_text("<movie/>")
    assert item_nfos(folder, "movie", None) == [folder / "movie.nfo"]
    assert new_nfo_path(folder, "movie", None) is None


# The patterns each reader looks for in an NFO's text (their sources, in the docstring).
JELLYFIN_MOVIE = (r"themoviedb\.org/movie/(\d+)", r"(tt\d+)")
JELLYFIN_SERIES = (r"themoviedb\.org/tv/(\d+)", r"thetvdb\.com/\?tab=series&id=(\d+)")
KODI_MOVIE = (r"themoviedb.org/movie/([0-9]+)", r"imdb....?/title/(tt[0-9]+)")
KODI_SERIES = (r"(?:themoviedb)\.org/tv/(\d+)", r"(?:thetvdb)\.com.+&id=(\d+)")


def _found(patterns: tuple[str, ...], text: str) -> list[str]:
    return [match.group(1) for p in patterns if (match := re.search(p, text, re.I))]


def test_a_new_nfo_carries_links_its_readers_find(tmp_path: Path) -> None:
    """Jellyfin: ``MediaBrowser.Common/Providers/ProviderIdParsers.cs`` (TryFindImdbId,
    TryFindTmdbMovieId, TryFindTmdbSeriesId, TryFindTvdbId), read after the root element by
    ``MediaBrowser.XbmcMetadata/Parsers/BaseNfoParser.cs`` (ParseProviderLinks). Kodi's
    bundled scrapers, asked by ``xbmc/NfoFile.cpp`` (SearchNfoForScraperUrls: a link found
    makes the NFO "combined", scraped, not "full"): ``addons/metadata.themoviedb.org.python/
    python/scraper_datahelper.py`` (find_uniqueids_in_text) and ``addons/metadata.tvshows.
    themoviedb.org.python/libs/data_utils.py`` (SHOW_ID_REGEXPS)."""
    movie = tmp_path / "movie.nfo"
    links = item_links("movie", tmdb_id=603, tvdb_id=None, imdb_id="tt0133093")
    create_nfo(movie, "movie", ["dub"], links)
    text = movie.read_text()
    assert _found(JELLYFIN_MOVIE, text) == ["603", "tt0133093"]
    assert _found(KODI_MOVIE, text) == ["603", "tt0133093"]
    series = tmp_path / "tvshow.nfo"
    create_nfo(
        series, "series", ["dub"], item_links("series", tmdb_id=1399, tvdb_id=121361, imdb_id="")
    )
    text = series.read_text()
    assert _found(JELLYFIN_SERIES, text) == ["1399", "121361"]
    assert _found(KODI_SERIES, text) == ["1399", "121361"]
    assert item_links("movie", tmdb_id=None, tvdb_id=121361, imdb_id="") == []  # no movie id

"""A small TV/movie library of real files, with the Sonarr/Radarr items that describe it.

Each show or movie carries the tag the rules give it with target English, so
tests compare what the pipeline wrote against an expectation stated here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fakes.arr import FakeArr
from fakes.arr.samples import build_movie, build_series
from tests.media import MediaFactory, layout

REMOTE_TV = "/data/tv"  # where the fake Sonarr thinks the shows are
REMOTE_MOVIES = "/data/movies"


@dataclass(frozen=True)
class Show:
    title: str
    original: str  # the *arr's language name
    seasons: dict[int, list[tuple[str | None, ...]]]  # season -> episodes' audio languages
    expected: str  # dub / semi-dub / wrong-dub / none
    nfo: bool = True


@dataclass(frozen=True)
class Movie:
    title: str
    original: str
    audio: tuple[str | None, ...]
    expected: str
    nfo: bool = True


SHOWS = (
    Show("Anime Dubbed", "Japanese", {1: [("jpn", "eng")] * 2, 2: [("jpn", "eng")] * 2}, "dub"),
    Show("Anime Half", "Japanese", {1: [("jpn", "eng")] * 2, 2: [("jpn",)] * 2}, "semi-dub"),
    Show("Anime Wrong", "Japanese", {1: [("jpn", "fre")] * 2}, "wrong-dub"),
    Show("Plain English", "English", {1: [("eng",)] * 2}, "none"),
    Show("Never Dubbed", "Japanese", {1: [("jpn",)] * 3}, "none", nfo=False),
    Show("Señorita Ünïcode", "Spanish", {1: [("spa", "eng")] * 2}, "dub"),
)
MOVIES = (
    Movie("Dubbed Film", "French", ("fre", "eng"), "dub"),
    Movie("Original Film", "German", ("ger",), "none"),
    Movie("Wrong Film", "Korean", ("kor", "ita"), "wrong-dub"),
)


@dataclass
class Library:
    root: Path
    arr_items: list[dict[str, Any]] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)  # title -> tag
    files: dict[str, list[Path]] = field(default_factory=dict)  # title -> video files
    # series id -> its episode files as Sonarr serves them, media info included
    episode_files: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    def load_episode_files(self, fake: FakeArr) -> None:
        for series_id, files in self.episode_files.items():
            fake.state.set_episode_files(series_id, files)

    def folder(self, title: str) -> Path:
        return self.root / title


def build_tv(root: Path, media: MediaFactory, shows: tuple[Show, ...] = SHOWS) -> Library:
    library = Library(root)
    for number, show in enumerate(shows, start=1):
        folder = root / show.title
        paths = []
        episode_files = []
        for season, episodes in show.seasons.items():
            for episode, languages in enumerate(episodes, start=1):
                name = f"{show.title} - S{season:02d}E{episode:02d}.mkv"
                path = folder / f"Season {season:02d}" / name
                paths.append(media.make_video(path, layout(*languages)))
                episode_files.append(arr_file(path, folder, languages, season=season))
        if show.nfo:
            _write_nfo(folder / "tvshow.nfo", "tvshow", show.title)
        item = build_series(
            number,
            title=show.title,
            path=f"{REMOTE_TV}/{show.title}",
            original_language=show.original,
            seasons=max(show.seasons),
        )
        item["statistics"] = {
            "seasonCount": max(show.seasons),
            "episodeFileCount": len(episode_files),
            "sizeOnDisk": sum(file["size"] for file in episode_files),
        }
        library.episode_files[number] = episode_files
        library.arr_items.append(item)
        library.expected[show.title] = show.expected
        library.files[show.title] = paths
    return library


def build_movies(root: Path, media: MediaFactory, movies: tuple[Movie, ...] = MOVIES) -> Library:
    library = Library(root)
    for number, movie in enumerate(movies, start=1):
        folder = root / f"{movie.title} (2020)"
        path = media.make_video(folder / f"{movie.title} (2020).mkv", layout(*movie.audio))
        media.make_video(folder / "Sample" / "sample.mkv", layout("eng"))  # never counted
        if movie.nfo:
            _write_nfo(folder / "movie.nfo", "movie", movie.title)
        item = build_movie(
            number,
            title=movie.title,
            path=f"{REMOTE_MOVIES}/{movie.title} (2020)",
            original_language=movie.original,
        )
        item["movieFile"] = {"id": number, **arr_file(path, folder, movie.audio)}
        library.arr_items.append(item)
        library.expected[movie.title] = movie.expected
        library.files[movie.title] = [path]
    return library


def arr_file(
    path: Path, folder: Path, languages: tuple[str | None, ...], *, season: int | None = None
) -> dict[str, Any]:
    """The file as Sonarr/Radarr serve it: what ffprobe read at import. The languages are
    the streams' own tags joined by "/", untagged streams left out (Sonarr v4), and the
    file was imported a moment after it was written."""
    stat = path.stat()
    added = datetime.fromtimestamp(stat.st_mtime + 1, tz=UTC)
    entry: dict[str, Any] = {
        "relativePath": path.relative_to(folder).as_posix(),
        "path": f"/data/{path.relative_to(folder.parent).as_posix()}",
        "size": stat.st_size,
        "dateAdded": added.isoformat().replace("+00:00", "Z"),
        "mediaInfo": {
            "audioLanguages": "/".join(language for language in languages if language),
            "audioStreamCount": len(languages),
            "subtitles": "",
        },
    }
    if season is not None:
        entry["seasonNumber"] = season
    return entry


def _write_nfo(path: Path, root: str, title: str) -> None:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<!-- written by the test library -->\n"
        f"<{root}>\n  <title>{title}</title>\n  <genre>Drama</genre>\n"
        f"  <tag>user-tag</tag>\n</{root}>\n",
        encoding="utf-8",
    )

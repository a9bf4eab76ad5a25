"""A TV and movie library of real tiny video files at any scale, with a manifest.

    .venv/bin/python bench/make_library.py /tmp/lib --series 2000 --episodes 15 --movies 500

Every distinct layout (container + audio tracks, bench/layouts.py) is made once
by ffmpeg (tests/media.py) into ``<root>/templates`` and hard-linked everywhere
else, so 32,500 files cost a few MB and a few seconds. Writes:

* ``<root>/tv/<series>/Season NN/<series> - SxxEyy.<ext>`` and
  ``<root>/movies/<movie> (2020)/<movie> (2020).<ext>`` (every 5th movie also
  has a ``Sample/sample.mkv`` that must not count);
* ``<root>/manifest.json``: every item with its *arr id, folder, counted files
  and expected tag (target English, derived from the layouts by the rules);
* ``<root>/sonarr-items.json`` / ``radarr-items.json``: the fake *arr's library,
  with the folders under ``/data/tv`` and ``/data/movies`` (remote paths), the
  series' ``statistics`` and the movies' ``movieFile`` with its ``mediaInfo``;
* ``<root>/sonarr-episodefiles.json``: every series' episode files as Sonarr lists
  them, with ``mediaInfo`` (bench/arr_data.py).

Hard links share one inode, hence one mtime: to change one file, replace it
(bench/changes.py), never ``touch`` it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.arr_data import write_arr_data
from bench.layouts import (
    MOVIE_PROFILES,
    SERIES_PROFILES,
    audio_specs,
    check_profiles,
    episode_layouts,
    expected_tag,
)
from bench.manifest import EPISODES_PER_SEASON, LOCAL, Item, Manifest
from tests.media import MediaFactory

SAMPLE_EVERY = 5


def build_library(
    root: Path, *, series: int, episodes: int, movies: int, factory: MediaFactory | None = None
) -> Manifest:
    check_profiles()
    factory = factory or MediaFactory(root / "templates")
    items = [_make_series(root, number, episodes, factory) for number in range(1, series + 1)]
    items += [_make_movie(root, number, factory) for number in range(1, movies + 1)]
    manifest = Manifest(root=root, series=series, episodes=episodes, movies=movies, items=items)
    manifest.save()
    write_arr_data(manifest)
    return manifest


def series_item(number: int, episodes: int) -> Item:
    """The ``number``-th series of the library as the manifest holds it (no file made)."""
    profile = SERIES_PROFILES[(number - 1) % len(SERIES_PROFILES)]
    title = f"Bench Show {number:05d}"
    layouts = episode_layouts(profile, episodes)
    files = []
    for index in range(len(layouts)):
        season, episode = divmod(index, EPISODES_PER_SEASON)
        name = f"Season {season + 1:02d}/{title} - S{season + 1:02d}E{episode + 1:02d}"
        files.append(f"{name}.{profile.container}")
    return Item(
        app="sonarr",
        arr_id=number,
        title=title,
        folder=(Path(LOCAL["sonarr"]) / title).as_posix(),
        original=profile.original,
        profile=profile.name,
        expected=expected_tag(profile.original, layouts),
        seasons=max(1, -(-episodes // EPISODES_PER_SEASON)),
        files=files,
    )


def _make_series(root: Path, number: int, episodes: int, factory: MediaFactory) -> Item:
    item = series_item(number, episodes)
    profile = SERIES_PROFILES[(number - 1) % len(SERIES_PROFILES)]
    for relpath, layout in zip(item.files, episode_layouts(profile, episodes), strict=True):
        factory.make_video(
            root / item.folder / relpath, audio_specs(layout), profile.container, hardlink=True
        )
    return item


def movie_item(number: int) -> Item:
    """The ``number``-th movie of the library as the manifest holds it (no file made)."""
    profile = MOVIE_PROFILES[(number - 1) % len(MOVIE_PROFILES)]
    title = f"Bench Movie {number:05d}"
    return Item(
        app="radarr",
        arr_id=number,
        title=title,
        folder=(Path(LOCAL["radarr"]) / f"{title} (2020)").as_posix(),
        original=profile.original,
        profile=profile.name,
        expected=expected_tag(profile.original, [profile.episodes[0]]),
        files=[f"{title} (2020).{profile.container}"],
    )


def _make_movie(root: Path, number: int, factory: MediaFactory) -> Item:
    item = movie_item(number)
    profile = MOVIE_PROFILES[(number - 1) % len(MOVIE_PROFILES)]
    layout = profile.episodes[0]
    folder = root / item.folder
    factory.make_video(
        folder / item.files[0], audio_specs(layout), profile.container, hardlink=True
    )
    if number % SAMPLE_EVERY == 0:  # a sample in its folder: never the movie's file
        factory.make_video(
            folder / "Sample" / "sample.mkv", audio_specs(((layout[0]),)), hardlink=True
        )
    return item


def disk_usage(root: Path) -> int:
    """Bytes used under root, each inode once (hard links are counted once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in root.rglob("*"):
        info = path.lstat()
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            total += info.st_blocks * 512
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="folder to create the library in (emptied)")
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--episodes", type=int, default=15, help="per series")
    parser.add_argument("--movies", type=int, default=500)
    options = parser.parse_args(argv)
    if options.root.exists() and any(options.root.iterdir()):
        parser.error(f"{options.root} is not empty")
    start = time.perf_counter()
    manifest = build_library(
        options.root, series=options.series, episodes=options.episodes, movies=options.movies
    )
    files = len(manifest.counted_paths())
    print(
        f"{options.series} series x {options.episodes} episodes + {options.movies} movies: "
        f"{files} counted files, {disk_usage(options.root) / 2**20:.1f} MiB on disk, "
        f"{time.perf_counter() - start:.1f} s; manifest: {options.root / 'manifest.json'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What Sonarr and Radarr serve about the benchmark library, made from the files on disk:
each series' episode files (``GET /api/v3/episodefile?seriesId=N``) with their
``mediaInfo`` from the layouts, sizes from disk and ``dateAdded`` a second after the
file's mtime (as tests/library.py's ``arr_file``), the series' ``statistics``
{episodeFileCount, sizeOnDisk}, and each movie's ``movieFile``. Built again whenever
the benchmark needs the *arrs to match the disk (the files change between phases).
"""

from __future__ import annotations

import json
import random
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.expect import FileKey, item_layouts
from bench.layouts import Layout
from bench.manifest import EPISODES_PER_SEASON, Item, Manifest
from fakes.arr.samples import build_movie, build_series
from fakes.arr.webhooks import sonarr_download_webhook

EPISODE_FILES = "sonarr-episodefiles.json"


def media_info(layout: Layout) -> dict[str, Any]:
    """Sonarr v4's mediaInfo: the streams' own tags joined by "/", untagged ones left out."""
    return {
        "audioBitrate": 128000,
        "audioChannels": 2.0,
        "audioCodec": "AAC",
        "audioLanguages": "/".join(track.language for track in layout if track.language),
        "audioStreamCount": len(layout),
        "videoBitDepth": 8,
        "videoBitrate": 0,
        "videoCodec": "h264",
        "videoFps": 25.0,
        "videoDynamicRange": "",
        "videoDynamicRangeType": "",
        "resolution": "320x240",
        "runTime": "00:00:01",
        "scanType": "Progressive",
        "subtitles": "",
    }


def _file(path: Path, relative: str, remote: str, layout: Layout, drop: bool) -> dict[str, Any]:
    info = path.stat()
    return file_object(relative, remote, layout, drop, size=info.st_size, mtime=info.st_mtime)


def file_object(
    relative: str, remote: str, layout: Layout, drop: bool, *, size: int, mtime: float
) -> dict[str, Any]:
    """A file as the *arr lists it, of ``size`` bytes modified at ``mtime``."""
    added = datetime.fromtimestamp(int(mtime) + 1, tz=UTC)
    file: dict[str, Any] = {
        "relativePath": relative,
        "path": f"{remote}/{relative}",
        "size": size,
        "dateAdded": added.isoformat().replace("+00:00", "Z"),
        "quality": {"quality": {"id": 7, "name": "Bluray-1080p"}, "revision": {"version": 1}},
        "languages": [{"id": 1, "name": "English"}],
        "releaseGroup": "BENCH",
    }
    if not drop:  # "Analyse video files" off, or ffprobe failed: no mediaInfo at all
        file["mediaInfo"] = media_info(layout)
    return file


def episode_file_id(item: Item, index: int) -> int:
    return item.arr_id * 1000 + index + 1


def episode_files(
    manifest: Manifest, item: Item, dropped: Collection[FileKey] = ()
) -> list[dict[str, Any]]:
    files = []
    for index, (name, layout) in enumerate(zip(item.files, item_layouts(item), strict=True)):
        drop = (item.app, item.arr_id, name) in dropped
        file = _file(manifest.root / item.folder / name, name, item.remote_folder, layout, drop)
        season = int(name.split("/", 1)[0].removeprefix("Season "))
        file.update(id=episode_file_id(item, index), seriesId=item.arr_id, seasonNumber=season)
        files.append(file)
    return files


def all_episode_files(
    manifest: Manifest, dropped: Collection[FileKey] = ()
) -> list[dict[str, Any]]:
    return [
        file for item in manifest.of("sonarr") for file in episode_files(manifest, item, dropped)
    ]


def series_object(item: Item, files: list[dict[str, Any]]) -> dict[str, Any]:
    series = build_series(
        item.arr_id,
        title=item.title,
        path=item.remote_folder,
        original_language=item.original,
        seasons=item.seasons,
    )
    series["statistics"] = {
        "seasonCount": item.seasons,
        "episodeFileCount": len(files),
        "episodeCount": len(files),
        "totalEpisodeCount": len(files),
        "sizeOnDisk": sum(file["size"] for file in files),
        "percentOfEpisodes": 100.0,
    }
    return series


def movie_object(
    manifest: Manifest, item: Item, dropped: Collection[FileKey] = ()
) -> dict[str, Any]:
    movie = build_movie(
        item.arr_id, title=item.title, path=item.remote_folder, original_language=item.original
    )
    name, layout = item.files[0], item_layouts(item)[0]
    drop = (item.app, item.arr_id, name) in dropped
    file = _file(manifest.root / item.folder / name, name, item.remote_folder, layout, drop)
    movie["movieFile"] = {"id": item.arr_id, "movieId": item.arr_id, **file}
    movie["sizeOnDisk"] = file["size"]
    return movie


def arr_items(
    manifest: Manifest, app: str, dropped: Collection[FileKey] = ()
) -> list[dict[str, Any]]:
    """The series or movie list, untagged."""
    if app == "radarr":
        return [movie_object(manifest, item, dropped) for item in manifest.of(app)]
    return [series_object(item, episode_files(manifest, item)) for item in manifest.of(app)]


def write_arr_data(manifest: Manifest) -> None:
    """``sonarr-items.json``, ``radarr-items.json``, ``sonarr-episodefiles.json``: what the
    fake *arrs start with (``--items``, ``--episode-files``)."""
    for app in ("sonarr", "radarr"):
        path = manifest.root / f"{app}-items.json"
        path.write_text(json.dumps(arr_items(manifest, app)), encoding="utf-8")
    episodes = json.dumps(all_episode_files(manifest))
    (manifest.root / EPISODE_FILES).write_text(episodes, encoding="utf-8")


def choose_dropped(manifest: Manifest, share: float, *, seed: int) -> frozenset[FileKey]:
    """``share`` of the counted files (episodes and movies), chosen at random, seeded."""
    keys = [(item.app, item.arr_id, name) for item in manifest.items for name in item.files]
    return frozenset(random.Random(seed).sample(keys, max(1, round(len(keys) * share))))


def sonarr_webhook(manifest: Manifest, item: Item, index: int) -> dict[str, Any]:
    """Sonarr's Download body for the item's ``index``-th file as it is now on disk: its
    real languages (a list), size and dateAdded; an upgrade of the file at that path
    (``isUpgrade``, the replaced file in ``deletedFiles``)."""
    files = episode_files(manifest, item)
    return sonarr_download_webhook(
        series_object(item, files),
        files[index],
        episode_numbers=(index % EPISODES_PER_SEASON + 1,),
        version="4.0.0.0",
        deleted_files=[files[index]],  # an upgrade in place: the same path replaced
    )

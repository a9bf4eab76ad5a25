"""The library of bench/regional_reads.py: real tiny Matroska files, a share of them with
French tracks as real releases label them, and what Sonarr and Radarr serve about them.

Every item follows one profile of ``PROFILES`` in turn (series and movies alike). Four of
the ten have French: a track titled ``VFQ``, one titled ``VFF``, one untitled, and two
untitled French tracks in a release named ``MULTi.VF2`` (both French dubs). The *arrs'
media info is what the real ones serve (bench/arr_data.py's ``media_info``: ffprobe's
plain codes joined by "/", never a title or a BCP-47 element), and each file's
``languages`` what their LanguageParser reads from such a name (French, and the
other languages by name). So with a regional target the files whose variety only the
file tells (the titled and untitled ones) are read once; a ``VF2`` name settles it.

The expected tags and reads come from the profiles' own ``expected`` table, written from
docs/tagging-rules.md by hand, never from Taggarr's code. Every distinct layout is made
once by ffmpeg (tests/media.py) and hard-linked everywhere, as bench/make_library.py does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.arr_data import EPISODE_FILES, media_info, series_object
from bench.expect import Expectation
from bench.layouts import Layout, Track, audio_specs
from bench.manifest import EPISODES_PER_SEASON, LOCAL, Item, Manifest
from fakes.arr.languages import file_languages
from fakes.arr.samples import build_movie
from tests.media import MediaFactory

PLAIN, REGIONAL = "fr", "fr-CA"
NAMES = {"eng": "English", "fre": "French", "jpn": "Japanese", "kor": "Korean", "ger": "German"}
VERSIONS = {"sonarr": (4,), "radarr": (5,)}


@dataclass(frozen=True)
class Profile:
    name: str
    original: str  # the *arr's originalLanguage name
    layout: Layout  # every file of the item
    release: str  # what the file's name says after the item and episode ("" nothing)
    expected: dict[str, str]  # target -> the item's tag
    read_for: frozenset[str] = frozenset()  # targets whose first scan reads its files


def _t(language: str, title: str | None = None) -> Track:
    return Track(language, title)


_NONE = {PLAIN: "none", REGIONAL: "none"}
_WRONG = {PLAIN: "wrong-dub", REGIONAL: "wrong-dub"}
_READ = frozenset({REGIONAL})
PROFILES: tuple[Profile, ...] = (
    Profile("english", "English", (_t("eng"),), "", _NONE),
    Profile("korean", "Korean", (_t("kor"),), "", _NONE),
    Profile("anime-english", "Japanese", (_t("jpn"), _t("eng")), "", _WRONG),
    # The Quebec dub, which only the track's title tells.
    Profile("vfq-title", "English", (_t("eng"), _t("fre", "VFQ")), "MULTi",
            {PLAIN: "dub", REGIONAL: "dub"}, _READ),
    # The France dub: French, so never wrong-dub; not the Quebec one.
    Profile("vff-title", "Japanese", (_t("jpn"), _t("fre", "VFF")), "MULTi",
            {PLAIN: "dub", REGIONAL: "none"}, _READ),
    # French of a variety nothing names, even once read.
    Profile("french-untitled", "English", (_t("eng"), _t("fre")), "",
            {PLAIN: "dub", REGIONAL: "none"}, _READ),
    # Both French dubs, by the release's name alone: nothing to read.
    Profile("multi-vf2", "Korean", (_t("kor"), _t("eng"), _t("fre"), _t("fre")), "MULTi.VF2",
            {PLAIN: "dub", REGIONAL: "dub"}),
    Profile("german-english", "German", (_t("ger"), _t("eng")), "", _WRONG),
    Profile("english-2", "English", (_t("eng"),), "", _NONE),
    Profile("japanese", "Japanese", (_t("jpn"),), "", _NONE),
)  # fmt: skip
BY_NAME = {profile.name: profile for profile in PROFILES}


def _name(title: str, episode: str, release: str) -> str:
    """``Bench.Show.00001.S01E01.MULTi.VF2.1080p.mkv``: words as release groups write them."""
    words = [*title.split(), episode, *release.split("."), "1080p"]
    return ".".join(word for word in words if word) + ".mkv"


def build(root: Path, *, series: int, episodes: int, movies: int) -> Manifest:
    factory = MediaFactory(root / "templates")
    items = []
    for number in range(1, series + 1):
        profile = PROFILES[(number - 1) % len(PROFILES)]
        title = f"Bench Show {number:05d}"
        files = []
        for index in range(episodes):
            season, episode = divmod(index, EPISODES_PER_SEASON)
            name = _name(title, f"S{season + 1:02d}E{episode + 1:02d}", profile.release)
            files.append(f"Season {season + 1:02d}/{name}")
        items.append(_item(root, "sonarr", number, title, Path(LOCAL["sonarr"]) / title,
                           profile, files, factory))  # fmt: skip
    for number in range(1, movies + 1):
        profile = PROFILES[(number - 1) % len(PROFILES)]
        title = f"Bench Movie {number:05d}"
        files = [_name(title, "2020", profile.release)]
        folder = Path(LOCAL["radarr"]) / f"{title} (2020)"
        items.append(_item(root, "radarr", number, title, folder, profile, files, factory))
    manifest = Manifest(root=root, series=series, episodes=episodes, movies=movies, items=items)
    manifest.save()
    write_arr_data(manifest)
    return manifest


def _item(
    root: Path, app: str, number: int, title: str, folder: Path, profile: Profile,
    files: list[str], factory: MediaFactory,
) -> Item:  # fmt: skip
    for relpath in files:
        factory.make_video(root / folder / relpath, audio_specs(profile.layout), hardlink=True)
    return Item(
        app=app, arr_id=number, title=title, folder=folder.as_posix(), original=profile.original,
        profile=profile.name, expected=profile.expected[PLAIN],
        seasons=max(1, -(-len(files) // EPISODES_PER_SEASON)) if app == "sonarr" else 0,
        files=files,
    )  # fmt: skip


def _arr_file(manifest: Manifest, item: Item, relpath: str) -> dict[str, Any]:
    """As Sonarr v4 / Radarr v5 serve a file: media info of plain codes, the release
    name's languages by name (fakes/arr/languages.py: the real ids)."""
    profile = BY_NAME[item.profile]
    info = (manifest.root / item.folder / relpath).stat()
    added = datetime.fromtimestamp(int(info.st_mtime) + 1, tz=UTC)
    names = dict.fromkeys(NAMES[track.language or ""] for track in profile.layout)
    return {
        "relativePath": relpath,
        "path": f"{item.remote_folder}/{relpath}",
        "size": info.st_size,
        "dateAdded": added.isoformat().replace("+00:00", "Z"),
        "quality": {"quality": {"id": 7, "name": "Bluray-1080p"}, "revision": {"version": 1}},
        "languages": file_languages(item.app, VERSIONS[item.app], names),
        "releaseGroup": "BENCH",
        "mediaInfo": media_info(profile.layout),
    }


def arr_data(manifest: Manifest) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """The fakes' libraries (app -> items, untagged) and Sonarr's episode files."""
    items: dict[str, list[dict[str, Any]]] = {"sonarr": [], "radarr": []}
    episode_files = []
    for item in manifest.of("sonarr"):
        files = []
        for index, relpath in enumerate(item.files):
            file = _arr_file(manifest, item, relpath)
            season = int(relpath.split("/", 1)[0].removeprefix("Season "))
            file.update(id=item.arr_id * 1000 + index + 1, seriesId=item.arr_id,
                        seasonNumber=season)  # fmt: skip
            files.append(file)
        items["sonarr"].append(series_object(item, files))
        episode_files += files
    for item in manifest.of("radarr"):
        movie = build_movie(
            item.arr_id, title=item.title, path=item.remote_folder, original_language=item.original
        )
        file = _arr_file(manifest, item, item.files[0])
        movie["movieFile"] = {"id": item.arr_id, "movieId": item.arr_id, **file}
        movie["sizeOnDisk"] = file["size"]
        items["radarr"].append(movie)
    return items, episode_files


def write_arr_data(manifest: Manifest) -> None:
    """What the fake *arrs start with (bench/run.py's ``Bench.start`` loads these)."""
    items, episode_files = arr_data(manifest)
    for app, listed in items.items():
        (manifest.root / f"{app}-items.json").write_text(json.dumps(listed), encoding="utf-8")
    (manifest.root / EPISODE_FILES).write_text(json.dumps(episode_files), encoding="utf-8")


@dataclass(frozen=True)
class RegionalExpectation(Expectation):
    """The tags with ``target`` on the default audio source (auto: hybrid here)."""

    target: str = PLAIN

    def tag(self, item: Item) -> str:
        return BY_NAME[item.profile].expected[self.target]

    def reads(self, manifest: Manifest, root: Path) -> list[str]:
        """The files a scan that meets this target for the first time reads."""
        return [
            str(root / item.folder / name)
            for item in manifest.items
            if self.target in BY_NAME[item.profile].read_for
            for name in item.files
        ]

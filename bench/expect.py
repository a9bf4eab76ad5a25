"""What each audio source must give on the benchmark library, derived from the files'
audio layouts (bench/layouts.py) by the benchmark's own rules, never by Taggarr's.

* ``files``: every file read; the layouts as written.
* ``arr``: every file judged from what Sonarr/Radarr know of it, ``arr_view``: the
  streams' language tags, no titles (a commentary track counts), the untagged streams
  put first as unknown.
* ``hybrid``: the *arr's view, except for the files whose *arr info is in doubt,
  which are read: a stream without a language tag (``audioStreamCount`` above the
  languages listed), or no media info at all (``dropped``: the benchmark removes it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.layouts import (
    FLIP_LAYOUTS,
    MOVIE_PROFILES,
    SERIES_PROFILES,
    Layout,
    Track,
    episode_layouts,
    expected_tag,
)
from bench.manifest import Item, Manifest

PROFILES = {profile.name: profile for profile in SERIES_PROFILES + MOVIE_PROFILES}
FILES, ARR, HYBRID = "files", "arr", "hybrid"

FileKey = tuple[str, int, str]  # (app, *arr id, file relative to the item's folder)


def item_layouts(item: Item) -> list[Layout]:
    """Each counted file's layout: its profile's, or the one a change gave it."""
    base = episode_layouts(PROFILES[item.profile], len(item.files))
    return [
        FLIP_LAYOUTS[item.overrides[name]] if name in item.overrides else layout
        for name, layout in zip(item.files, base, strict=True)
    ]


def arr_view(layout: Layout) -> Layout:
    """The layout as the *arr's media info tells it (and tracks_from_arr reads it)."""
    untagged = sum(1 for track in layout if track.language is None)
    return (Track(None),) * untagged + tuple(Track(t.language) for t in layout if t.language)


def arr_in_doubt(layout: Layout) -> bool:
    """hybrid reads such a file whatever else the *arr says: a stream without a tag."""
    return any(track.language is None for track in layout)


@dataclass(frozen=True)
class Expectation:
    source: str = FILES
    dropped: frozenset[FileKey] = frozenset()  # files the *arr has no media info for

    def read(self, item: Item, name: str, layout: Layout) -> bool:
        """Whether a first scan with this source reads the file."""
        if self.source == FILES:
            return True
        if self.source == ARR:
            return False
        return arr_in_doubt(layout) or (item.app, item.arr_id, name) in self.dropped

    def tag(self, item: Item) -> str:
        views = [
            layout if self.read(item, name, layout) else arr_view(layout)
            for name, layout in zip(item.files, item_layouts(item), strict=True)
        ]
        return expected_tag(item.original, views)

    def first_scan_reads(self, manifest: Manifest, root: Path) -> list[str]:
        """The files a first scan reads, under ``root`` (the library or the share)."""
        return [
            str(root / item.folder / name)
            for item in manifest.items
            for name, layout in zip(item.files, item_layouts(item), strict=True)
            if self.read(item, name, layout)
        ]


def translate(paths: Iterable[Path | str], library: Path, root: Path) -> list[str]:
    """Paths under the library as the same files under ``root`` (the share)."""
    return [str(root / Path(path).relative_to(library)) for path in paths]

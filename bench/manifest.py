"""The benchmark library's manifest: every item with its *arr id, folder, counted files
and the audio layout of each file (its profile's, or the one a change gave it), from
which the tag each audio source must give is derived (bench/expect.py)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

REMOTE = {"sonarr": "/data/tv", "radarr": "/data/movies"}  # the folders as the *arrs say
LOCAL = {"sonarr": "tv", "radarr": "movies"}  # under the library root (or the share)
EPISODES_PER_SEASON = 10


@dataclass
class Item:
    app: str  # "sonarr" | "radarr"
    arr_id: int
    title: str
    folder: str  # relative to the library root
    original: str  # the *arr's language name
    profile: str
    expected: str  # dub / semi-dub / wrong-dub / none, reading the files
    seasons: int = 0
    files: list[str] = field(default_factory=list)  # counted files, relative to the folder
    # file -> a key of layouts.FLIP_LAYOUTS: the file was replaced by one of that layout
    overrides: dict[str, str] = field(default_factory=dict)

    @property
    def remote_folder(self) -> str:
        return f"{REMOTE[self.app]}/{Path(self.folder).name}"


@dataclass
class Manifest:
    root: Path
    series: int
    episodes: int
    movies: int
    items: list[Item]

    def save(self) -> None:
        data = {
            "series": self.series,
            "episodes": self.episodes,
            "movies": self.movies,
            "items": [asdict(item) for item in self.items],
        }
        (self.root / "manifest.json").write_text(json.dumps(data), encoding="utf-8")

    @classmethod
    def load(cls, root: Path) -> Manifest:
        data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        items = [Item(**item) for item in data.pop("items")]
        return cls(root=root, items=items, **data)

    def of(self, app: str) -> list[Item]:
        return [item for item in self.items if item.app == app]

    def local_root(self, app: str) -> Path:
        return self.root / LOCAL[app]

    def counted_paths(self) -> list[Path]:
        return [self.root / item.folder / name for item in self.items for name in item.files]

    @property
    def episode_count(self) -> int:
        return sum(len(item.files) for item in self.of("sonarr"))

"""Changes to the library between scans: new files, the way a download lands.

Library files are hard links to one template per layout, so they share one
inode and one mtime: ``touch`` on one would change them all. A changed file is
written as a new file and renamed over the old one (new inode, new mtime),
which is what an *arr import does too.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from bench.expect import Expectation, item_layouts
from bench.layouts import FLIP_LAYOUTS, FLIP_PROFILE, SERIES_PROFILES, audio_specs
from bench.manifest import Item, Manifest
from tests.media import MediaFactory


def replace_file(path: Path, source: Path) -> None:
    partial = path.with_name(f".{path.name}.bench-partial")
    shutil.copyfile(source, partial)
    os.replace(partial, path)


def touch_episodes(manifest: Manifest, share: float, *, seed: int) -> list[Path]:
    """Rewrite ``share`` of the episode files with the same content (new mtime only)."""
    episodes = [
        manifest.root / item.folder / name for item in manifest.of("sonarr") for name in item.files
    ]
    count = max(1, round(len(episodes) * share))
    chosen = sorted(random.Random(seed).sample(episodes, count))
    for path in chosen:
        replace_file(path, path)
    return chosen


def flip_candidates(manifest: Manifest) -> list[Item]:
    return [item for item in manifest.of("sonarr") if item.profile == FLIP_PROFILE]


def _replace(
    manifest: Manifest, item: Item, names: list[str], layout: str, factory: MediaFactory
) -> None:
    container = next(p.container for p in SERIES_PROFILES if p.name == FLIP_PROFILE)
    template = factory.template(audio_specs(FLIP_LAYOUTS[layout]), container)
    for name in names:
        replace_file(manifest.root / item.folder / name, template)
        item.overrides[name] = layout
    item.expected = Expectation().tag(item)  # reading the files


def flip_series(manifest: Manifest, item: Item, factory: MediaFactory) -> None:
    """Give every episode of ``item`` the other flip layout: "none" <-> "dub"."""
    _replace(manifest, item, item.files, "dub" if item.expected == "none" else "none", factory)


def flip_episode(manifest: Manifest, item: Item, factory: MediaFactory) -> None:
    """Give the first episode of ``item`` the other flip layout (Korean alone <-> with
    English): one import, and the series' tag changes whatever the others are."""
    other = "none" if item_layouts(item)[0] == FLIP_LAYOUTS["dub"] else "dub"
    _replace(manifest, item, item.files[:1], other, factory)

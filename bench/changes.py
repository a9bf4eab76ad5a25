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

from bench.layouts import FLIP_LAYOUTS, FLIP_PROFILE, SERIES_PROFILES, audio_specs
from bench.make_library import Item, Manifest
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


def flip_series(manifest: Manifest, item: Item, factory: MediaFactory) -> str:
    """Give every episode of ``item`` the other flip layout; returns the new expected tag."""
    new_tag = "dub" if item.expected == "none" else "none"
    container = next(p.container for p in SERIES_PROFILES if p.name == FLIP_PROFILE)
    template = factory.template(audio_specs(FLIP_LAYOUTS[new_tag]), container)
    for name in item.files:
        replace_file(manifest.root / item.folder / name, template)
    item.expected = new_tag
    return new_tag

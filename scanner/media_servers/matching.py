"""Which server item is which Taggarr item: provider ids first (TVDB, TMDb, IMDb), then
the path, after the connection's path mappings (server prefix -> Taggarr prefix).

Pure: plain values in, plain values out. A Taggarr item may match several server
items (the same show in two libraries): each gets the tags.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.arr.paths import PathMapper
from scanner.media_servers.base import ItemKind, ServerItem

# The id each kind of item is best known by comes first.
PROVIDER_ORDER: dict[str, tuple[str, ...]] = {
    "series": ("tvdb", "tmdb", "imdb"),
    "movie": ("tmdb", "imdb", "tvdb"),
}
PROVIDER_NAMES = {"tvdb": "TVDB", "tmdb": "TMDb", "imdb": "IMDb"}


@dataclass(frozen=True)
class LocalItem:
    key: int  # the Media pk
    kind: ItemKind
    title: str
    path: str  # Taggarr's folder of the item
    provider_ids: tuple[tuple[str, str], ...] = ()  # (tvdb, "81189") ...


@dataclass(frozen=True)
class Match:
    local: LocalItem
    server: tuple[ServerItem, ...]
    how: str  # tvdb / tmdb / imdb / path


@dataclass(frozen=True)
class Unmatched:
    local: LocalItem
    reason: str


def match_items(
    local_items: Iterable[LocalItem], server_items: Iterable[ServerItem], mapper: PathMapper
) -> tuple[list[Match], list[Unmatched]]:
    by_id: dict[tuple[str, str, str], list[ServerItem]] = defaultdict(list)
    by_path: dict[tuple[str, str], list[ServerItem]] = defaultdict(list)
    for item in server_items:
        for provider, value in item.provider_ids.items():
            by_id[(item.kind, provider, _id_key(value))].append(item)
        if item.path:
            for path in _local_paths(item, mapper):
                by_path[(item.kind, path)].append(item)
    matches, unmatched = [], []
    for local in local_items:
        found = _match_one(local, by_id, by_path)
        if isinstance(found, Match):
            matches.append(found)
        else:
            unmatched.append(Unmatched(local, found))
    return matches, unmatched


def _match_one(
    local: LocalItem,
    by_id: dict[tuple[str, str, str], list[ServerItem]],
    by_path: dict[tuple[str, str], list[ServerItem]],
) -> Match | str:
    ids = dict(local.provider_ids)
    for provider in PROVIDER_ORDER[local.kind]:
        value = ids.get(provider)
        if value and by_id.get((local.kind, provider, _id_key(value))):
            return Match(local, tuple(by_id[(local.kind, provider, _id_key(value))]), provider)
    path = posixpath.normpath(local.path) if local.path else ""
    if path and by_path.get((local.kind, path)):
        return Match(local, tuple(by_path[(local.kind, path)]), "path")
    named = ", ".join(
        f"{PROVIDER_NAMES[p]} {ids[p]}" for p in PROVIDER_ORDER[local.kind] if p in ids
    )
    what = f"no server {local.kind} has {named}" if named else "no provider ids"
    return f"{what}, and none is at {path or '(no path)'} after the path mappings"


def _local_paths(item: ServerItem, mapper: PathMapper) -> list[str]:
    """The item's folder as Taggarr sees it; a movie's path is its file (or folder)."""
    mapped = posixpath.normpath(mapper.to_local(item.path))
    if item.kind == "movie":
        return [mapped, posixpath.dirname(mapped)]
    return [mapped]


def _id_key(value: str) -> str:
    return str(value).strip().casefold()

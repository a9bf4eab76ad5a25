"""Which server item is which Taggarr item: by provider id (TVDB, TMDb, IMDb) and by
folder, after the connection's path mappings (server prefix -> Taggarr prefix).

Two copies of one film (an HD and a 4K Radarr over separate folders, one server
listing both) carry the same ids, so an id alone would give each instance both copies
and their scans would undo each other's tags. So, per Taggarr item:

1. the server items an id matches whose folder is the item's folder;
2. else the server items at the item's folder (ids missing or wrong on the server);
3. else the server items an id matches, elsewhere: *ambiguous* when there are several
   (they get the tags all the same; the connection test counts them, so that the
   path mappings can be fixed).

Pure: plain values in, plain values out. One Taggarr item may match several server
items (the same show in two libraries, same folder): each gets the tags.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.arr.paths import PathMapper
from scanner.http.reasons import Code, Said
from scanner.media_servers.clients.base import ItemKind, ServerItem

# The id each kind of item is best known by comes first.
PROVIDER_ORDER: dict[str, tuple[str, ...]] = {
    "series": ("tvdb", "tmdb", "imdb"),
    "movie": ("tmdb", "imdb", "tvdb"),
}
PROVIDER_NAMES = {"tvdb": "TVDB", "tmdb": "TMDb", "imdb": "IMDb"}
FOLDER = "path"  # Match.how of a match by folder alone


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
    how: str  # tvdb / tmdb / imdb (the id, and the folder when it agrees) or "path"
    ambiguous: bool = False  # by id alone, on several server items: none at the folder

    @property
    def by_id(self) -> bool:
        return self.how != FOLDER


@dataclass(frozen=True)
class Unmatched:
    local: LocalItem
    reason: str


@dataclass(frozen=True)
class _Index:
    by_id: dict[tuple[str, str, str], list[ServerItem]]
    by_path: dict[tuple[str, str], list[ServerItem]]
    folders: dict[str, set[str]]  # server item id -> its folders, as Taggarr sees them


def match_items(
    local_items: Iterable[LocalItem], server_items: Iterable[ServerItem], mapper: PathMapper
) -> tuple[list[Match], list[Unmatched]]:
    index = _Index(defaultdict(list), defaultdict(list), {})
    for item in server_items:
        for provider, value in item.provider_ids.items():
            index.by_id[(item.kind, provider, _id_key(value))].append(item)
        folders = set(_local_paths(item, mapper)) if item.path else set()
        index.folders[item.id] = folders
        for path in folders:
            index.by_path[(item.kind, path)].append(item)
    matches, unmatched = [], []
    for local in local_items:
        found = _match_one(local, index)
        if isinstance(found, Match):
            matches.append(found)
        else:
            unmatched.append(Unmatched(local, found))
    return matches, unmatched


def _match_one(local: LocalItem, index: _Index) -> Match | str:
    ids = dict(local.provider_ids)
    path = posixpath.normpath(local.path) if local.path else ""
    at_folder = index.by_path.get((local.kind, path), []) if path else []
    for provider in PROVIDER_ORDER[local.kind]:
        value = ids.get(provider)
        by_id = index.by_id.get((local.kind, provider, _id_key(value))) if value else None
        if not by_id:
            continue
        here = [item for item in by_id if path and path in index.folders[item.id]]
        if here:
            return Match(local, tuple(here), provider)
        if at_folder:
            break  # the folder says which copy is this item's: see below
        return Match(local, tuple(by_id), provider, ambiguous=len(by_id) > 1)
    if at_folder:
        return Match(local, tuple(at_folder), FOLDER)
    named = ", ".join(
        f"{PROVIDER_NAMES[p]} {ids[p]}" for p in PROVIDER_ORDER[local.kind] if p in ids
    )
    what = f"no server {local.kind} has {named}" if named else "no provider ids"
    english = f"{what}, and none is at {path or '(no path)'} after the path mappings"
    if not named:
        return Said(english, Code.UNMATCHED_NO_IDS, {"path": path or "-"})
    code = Code.UNMATCHED_SERIES if local.kind == "series" else Code.UNMATCHED_MOVIE
    return Said(english, code, {"ids": named, "path": path or "-"})


def local_path(server_path: str, mapper: PathMapper) -> str:
    """A path the server gives, as Taggarr sees it (after the path mappings)."""
    return posixpath.normpath(mapper.to_local(server_path))


def local_file(server_path: str, folder: str, mapper: PathMapper) -> str:
    """A server's file as a MediaFile's path: relative to its item's ``folder`` (Taggarr's),
    else the whole path as Taggarr sees it (a movie's server path may be the folder's
    file)."""
    local = local_path(server_path, mapper)
    base = posixpath.normpath(folder)
    if local.startswith(base + "/"):
        return local[len(base) + 1 :]
    return local


def _local_paths(item: ServerItem, mapper: PathMapper) -> list[str]:
    """The item's folder as Taggarr sees it; a movie's path is its file (or folder)."""
    mapped = local_path(item.path, mapper)
    if item.kind == "movie":
        return [mapped, posixpath.dirname(mapped)]
    return [mapped]


def _id_key(value: str) -> str:
    return str(value).strip().casefold()

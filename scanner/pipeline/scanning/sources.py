"""Where a scan's items come from: the *arr's library (one list request) or the
sub-folders of a library instance's root folders. Items are resolved to local
folders and filtered by root folders and genres here, before anything is stored."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, fields, replace
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Any

from scanner import names, outside_text
from scanner.arr import ArrClient, ArrItem, FolderResolver, PathMapper, in_scope
from scanner.arr.media_info import ArrFile
from scanner.connect.arr import arr_client
from scanner.engine import nfo, nfo_paths
from scanner.engine.languages import canonical
from scanner.errors import ArrPermanentError, StorageError
from scanner.models import Instance, Media
from scanner.pipeline.scanning.spool import Spool
from scanner.runtime.hold import call_within_hold

logger = logging.getLogger(__name__)

# Up to this many scoped ids (webhooks) are fetched one by one; more, and the
# whole list is cheaper.
SCOPED_FETCH_LIMIT = 20


@dataclass(frozen=True, slots=True)
class SourceItem:
    arr_id: int | None
    title: str
    local_path: str
    arr_path: str
    original_language: str
    genres: tuple[str, ...]
    monitored: bool
    unmonitored_seasons: tuple[int, ...]
    tag_ids: frozenset[int]
    tvdb_id: int | None = None
    tmdb_id: int | None = None
    imdb_id: str = ""
    title_slug: str = ""
    year: int | None = None
    files_fingerprint: str = ""
    file_count: int | None = None
    arr_files: tuple[ArrFile, ...] | None = None  # Radarr's embedded file; Sonarr: ask
    covers: tuple[tuple[str, str], ...] = ()  # kind -> the *arr's address (scanner.arr.covers)
    quality_profile_id: int | None = None  # the *arr's qualityProfileId (scanner.wish_profiles)

    def __reduce__(self) -> tuple[type[SourceItem], tuple[Any, ...]]:
        """Pickled as its fields in order (spool.py), a third faster than the
        dataclass's own way."""
        return (SourceItem, _source_item_fields(self))


_source_item_fields = attrgetter(*(field.name for field in fields(SourceItem)))


@dataclass
class SourceListing:
    # Past a few thousand items, kept on disk (spool.py): memory does not grow with the list.
    items: Spool[SourceItem] = field(default_factory=Spool)
    complete: bool = True  # the whole library was listed: absent items are orphans
    gone_arr_ids: set[int] = field(default_factory=set)  # scoped ids the *arr no longer has
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    tag_ids: dict[str, int] = field(default_factory=dict)  # every *arr tag: label -> id
    requests: int = 0

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def check_root_folders(instance: Instance) -> None:
    """A missing or empty root folder is an unmounted share, not a library that
    lost every item: stop before anything is judged an orphan."""
    for folder in instance.root_folders:
        call_within_hold(partial(_check_root_folder, folder), folder)


def _check_root_folder(folder: str) -> None:
    try:
        with os.scandir(folder) as entries:
            if next(entries, None) is None:
                raise StorageError(folder, "root folder is empty (is the share mounted?)")
    except FileNotFoundError:
        raise StorageError(folder, "root folder does not exist (is the share mounted?)") from None
    except PermissionError:
        raise StorageError(folder, "root folder is not readable") from None


def list_sources(instance: Instance, scope: list[int], *, needs_folders: bool) -> SourceListing:
    """``needs_folders``: false for the *arr audio source, where no folder is opened
    (they may not be mounted here at all)."""
    if needs_folders:
        check_root_folders(instance)
    if instance.is_arr:
        return _list_arr(instance, scope, needs_folders=needs_folders)
    return _list_library(instance, scope)


def _list_arr(instance: Instance, scope: list[int], *, needs_folders: bool) -> SourceListing:
    """The *arr's list read as it arrives (``iter_items``): each item is made a compact
    ``SourceItem`` at once and its parsed ``ArrItem`` (seasons, statistics) dropped, and
    past a few thousand the items wait on disk (``Spool``), so the list is never held
    whole. Folders that must be found on disk are resolved once the list is read (the
    answer's socket is not held open while the root folders are listed); the mapped
    path of the *arr source is resolved as each item arrives."""
    listing = SourceListing(complete=not scope)
    client = arr_client(instance)
    mapper = PathMapper(instance.path_mappings)
    unresolved: Spool[SourceItem] = Spool()
    wanted = set(scope)
    listed_ids: set[int] = set()
    try:
        if scope and len(scope) <= SCOPED_FETCH_LIMIT:
            arriving = iter(_fetch_scoped(client, scope, listing))
        else:
            arriving = (item for item in client.iter_items() if not wanted or item.id in wanted)
        for item in arriving:
            if wanted:
                listed_ids.add(item.id)
            if needs_folders:
                unresolved.append(_unresolved(item))
            else:  # nothing is opened: the mapped path names the item (it need not exist)
                source = _unresolved(item, mapper.to_local(item.path))
                _keep(instance, source, source.local_path, listing)
        if wanted and not (scope and len(scope) <= SCOPED_FETCH_LIMIT):
            listing.gone_arr_ids = wanted - listed_ids
        # Every tag, to tell which of an item's tags are ours; the apply step creates the
        # labels it needs that do not exist yet (a dry run creates none).
        listing.tag_ids = client.tags()
    finally:
        listing.requests = client.requests_made
        client.close()
    if needs_folders:
        resolver = FolderResolver(mapper, instance.root_folders, instance_name=instance.name)
        for source in unresolved:
            local = resolver.resolve(source.arr_path, label=source.title).local_path
            _keep(instance, source, local, listing)
        unresolved.close()
    return listing


def _keep(
    instance: Instance, source: SourceItem, local_path: str | None, listing: SourceListing
) -> None:
    kept = _arr_source(instance, source, local_path, listing)
    if kept is not None:
        listing.items.append(kept)


def _fetch_scoped(client: ArrClient, scope: list[int], listing: SourceListing) -> list[ArrItem]:
    items = []
    for item_id in dict.fromkeys(scope):
        try:
            items.append(client.get_item(item_id))
        except ArrPermanentError as exc:
            if exc.status != 404:
                raise
            listing.gone_arr_ids.add(item_id)
    return items


def _unresolved(item: ArrItem, local_path: str = "") -> SourceItem:
    """The listing's item as planning keeps it, its local folder not resolved yet (or
    ``local_path``, where the mapped path names it)."""
    return SourceItem(
        arr_id=item.id,
        title=item.title,
        local_path=local_path,
        arr_path=item.path,
        original_language=canonical(item.original_language_name) or "",
        genres=tuple(item.genres),
        monitored=item.monitored,
        unmonitored_seasons=tuple(sorted(s.number for s in item.seasons if not s.monitored)),
        tag_ids=frozenset(item.tag_ids),
        tvdb_id=item.tvdb_id,
        tmdb_id=item.tmdb_id,
        imdb_id=item.imdb_id,
        title_slug=item.title_slug,
        year=item.year,
        files_fingerprint=item.files_fingerprint,
        file_count=item.file_count,
        arr_files=item.files,
        covers=item.covers,
        quality_profile_id=item.quality_profile_id,
    )


def _arr_source(
    instance: Instance, source: SourceItem, local_path: str | None, listing: SourceListing
) -> SourceItem | None:
    if local_path is None:
        listing.skip("folder not found locally")
        return None
    if not in_scope(local_path, instance.root_folders):
        listing.skip("outside the root folders")
        return None
    if not _genre_matches(instance, source.genres):
        listing.skip("genre filter")
        return None
    if source.local_path == local_path:
        return source
    return replace(source, local_path=local_path)


def _item_folders(root: str) -> list[str]:
    with os.scandir(root) as entries:
        return sorted(e.path for e in entries if e.is_dir() and not e.name.startswith("."))


def _list_library(instance: Instance, scope: list[int]) -> SourceListing:
    """Every folder under the root folders; for a scoped run, only its items' folders
    (their media ids), and none is judged gone."""
    listing = SourceListing(complete=not scope)
    kind: nfo_paths.NfoKind = "series" if instance.media_kind == Media.Kind.SERIES else "movie"
    wanted = set(instance.media.filter(pk__in=scope).values_list("path", flat=True))
    for root in instance.root_folders:
        # On a thread of its own, within the plan's hold limit (scanner.runtime.hold).
        folders = call_within_hold(partial(_item_folders, root), root)
        for folder in folders:
            if scope and folder not in wanted:
                continue
            genres = (
                call_within_hold(partial(_nfo_genres, Path(folder), kind), folder)
                if instance.genre_filter
                else ()
            )
            if not _genre_matches(instance, genres):
                listing.skip("genre filter")
                continue
            listing.items.append(
                SourceItem(
                    arr_id=None,
                    # A folder's name may hold CR/LF: a title is one line (logs, feeds).
                    title=outside_text.line(names.display(Path(folder).name)),
                    local_path=folder,
                    arr_path="",
                    original_language=instance.original_language,
                    genres=genres,
                    monitored=True,
                    unmonitored_seasons=(),
                    tag_ids=frozenset(),
                )
            )
    return listing


def _nfo_genres(folder: Path, kind: nfo_paths.NfoKind) -> tuple[str, ...]:
    found = nfo_paths.item_nfos(folder, kind, None)
    if not found:
        return ()
    path = found[0]  # the one the players read first
    try:
        return tuple(nfo.read_genres(path))
    except StorageError as exc:  # not well-formed (NfoError), too big, no regular file
        logger.warning("cannot read genres: %s", exc)
        return ()


def _genre_matches(instance: Instance, genres: tuple[str, ...] | list[str]) -> bool:
    if not instance.genre_filter:
        return True
    wanted = {genre.casefold() for genre in instance.genre_filter}
    return any(genre.casefold() in wanted for genre in genres)

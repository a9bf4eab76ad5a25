"""Jellyfin's and Emby's items as Taggarr reads and writes them: a listed row as a
``ServerItem``, a library's options, and the body of a write-back.

A write-back (``POST /Items/{itemId}``, ItemUpdateController) replaces the item's
editable fields with the body's, clearing on 10.9 to 10.11 what the body leaves out.
So the item is read with every editable field (``EDIT_FIELDS``: DtoService fills
Overview, Genres, People ... only when ``Fields`` names them) and sent back with only
its tags changed, less the read-only bulk fields: from 10.11 a body carrying
``Trickplay`` answers 500 (TrickplayInfoDto cannot be read from JSON), and the others
are large and never read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner import outside_text
from scanner.media_servers.clients.base import ItemKind, ServerItem, ServerLibrary, ServerSeason

ITEM_TYPES: dict[str, ItemKind] = {"Series": "series", "Movie": "movie"}
LIBRARY_KINDS: dict[str, ItemKind] = {"tvshows": "series", "movies": "movie"}
PROVIDERS = ("tvdb", "tmdb", "imdb")
LIST_FIELDS = "ProviderIds,Path,Tags"
EDIT_FIELDS = (
    "Overview,Genres,People,Studios,Tags,ProviderIds,Path,Taglines,ProductionLocations,"
    "DateCreated,CustomRating,OriginalTitle,SortName,Settings"
)
READ_ONLY_FIELDS = (
    "Trickplay", "MediaSources", "MediaStreams", "Chapters", "UserData", "ImageTags",
    "BackdropImageTags", "ParentBackdropImageTags", "ImageBlurHashes", "TagItems",
)  # fmt: skip


def parse_item(row: Any, library_id: str) -> ServerItem | None:
    """A series or movie of ``GET /Items``; None for other rows. Emby lists the tags as
    ``TagItems`` and leaves ``Tags`` null."""
    if not isinstance(row, Mapping):
        return None
    kind = ITEM_TYPES.get(str(row.get("Type") or ""))
    if kind is None or not row.get("Id"):
        return None
    raw_ids = row.get("ProviderIds")
    pairs = raw_ids.items() if isinstance(raw_ids, Mapping) else ()
    # Jellyfin's provider-id dictionary ignores case; its keys are MetadataProvider names.
    ids = {str(key).lower(): outside_text.line(str(value)) for key, value in pairs if value}
    return ServerItem(
        id=str(row["Id"]),
        kind=kind,
        title=outside_text.line(str(row.get("Name") or "")),
        path=outside_text.path(str(row.get("Path") or "")),
        provider_ids={key: ids[key] for key in PROVIDERS if key in ids},
        tags=frozenset(item_tags(row)),
        library_id=library_id,
        original_language=outside_text.line(str(row.get("OriginalLanguage") or "")).strip(),
    )


def parse_season(row: Mapping[str, Any]) -> ServerSeason | None:
    """A Season of ``GET /Items``: its Id, SeriesId and IndexNumber (BaseItemDto); None
    for another row or one lacking them (ids are text of at most 100 characters)."""
    number = row.get("IndexNumber")
    item_id, series_id = str(row.get("Id") or ""), str(row.get("SeriesId") or "")
    if row.get("Type") != "Season" or not item_id or not series_id or len(item_id) > 100:
        return None
    if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < 10_000:
        return None
    return ServerSeason(item_id, series_id, number)


def item_tags(row: Mapping[str, Any]) -> list[str]:
    """The item's tags: ``Tags`` (Jellyfin), else the names of ``TagItems`` (Emby),
    storable (scanner.outside_text): the managed ones compare the same."""
    named = row.get("Tags")
    if not isinstance(named, list):
        named = [tag.get("Name") for tag in _list(row.get("TagItems")) if isinstance(tag, Mapping)]
    return [outside_text.line(str(tag)) for tag in named if tag]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def parse_library(folder: Any) -> ServerLibrary | None:
    """A library of ``GET /Library/VirtualFolders``, with what its options say of the
    cost of a write: the NFO saver (MetadataSavers naming "Nfo"; with none named, the
    library's "save local metadata") and trickplay image extraction."""
    if not isinstance(folder, Mapping):
        return None
    options = folder.get("LibraryOptions")
    nfo_saver = trickplay = None
    if isinstance(options, Mapping):
        savers = options.get("MetadataSavers")
        nfo_saver = (
            any(str(saver).casefold() == "nfo" for saver in savers)
            if savers is not None
            else bool(options.get("SaveLocalMetadata"))
        )
        if "EnableTrickplayImageExtraction" in options:
            trickplay = bool(options["EnableTrickplayImageExtraction"])
    return ServerLibrary(
        id=str(folder.get("ItemId") or ""),
        name=outside_text.line(str(folder.get("Name") or "")),
        kind=LIBRARY_KINDS.get(str(folder.get("CollectionType") or "").lower()),
        locations=tuple(outside_text.path(str(where)) for where in _list(folder.get("Locations"))),
        nfo_saver=nfo_saver,
        trickplay=trickplay,
    )


def updated_tags(current: list[str], add: set[str], remove: set[str]) -> list[str]:
    """``current`` without ``remove`` and with ``add``; Jellyfin compares tags ignoring
    case (ItemUpdateController), so do we. Order kept, additions sorted at the end."""
    gone = {tag.casefold() for tag in remove}
    kept = [tag for tag in current if tag.casefold() not in gone]
    have = {tag.casefold() for tag in kept}
    return kept + [tag for tag in sorted(add) if tag.casefold() not in have]


def write_body(item: Mapping[str, Any], tags: list[str]) -> dict[str, Any]:
    """The item as read, less the read-only bulk fields, with ``tags``."""
    body = {key: value for key, value in item.items() if key not in READ_ONLY_FIELDS}
    return {**body, "Tags": tags}

"""A stored item as a BaseItemDto: which members an answer carries.

DtoService (Emby.Server.Implementations/Dto/DtoService.cs) fills some members only
when the request's ``Fields`` names their ItemFields value; ``GET /Items`` passes the
request's Fields, the single-item routes (``/Users/{userId}/Items/{itemId}``,
``/Items/{itemId}``) a ``new DtoOptions()``, which means every field. So an item read
through ``/Items?Ids=`` without ``Fields=Overview`` has no Overview, and sending it
back clears it (updates.py); an item read whole carries its Trickplay.

Emby (*inferred*) gives an item's tags as ``TagItems`` (``[{"Name", "Id"}]``) and
leaves ``Tags`` null.
"""

from __future__ import annotations

import copy
import zlib
from collections.abc import Collection, Mapping
from typing import Any

# ItemFields value -> the BaseItemDto members it brings.
GATED: dict[str, tuple[str, ...]] = {
    "overview": ("Overview",),
    "genres": ("Genres", "GenreItems"),
    "people": ("People",),
    "studios": ("Studios",),
    "tags": ("Tags",),
    "providerids": ("ProviderIds",),
    "path": ("Path",),
    "parentid": ("ParentId",),
    "taglines": ("Taglines",),
    "productionlocations": ("ProductionLocations",),
    "datecreated": ("DateCreated",),
    "customrating": ("CustomRating",),
    "originaltitle": ("OriginalTitle",),
    "sortname": ("SortName",),
    "externalurls": ("ExternalUrls",),
    "settings": (
        "LockedFields", "LockData", "ForcedSortName", "PreferredMetadataCountryCode",
        "PreferredMetadataLanguage",
    ),
    "trickplay": ("Trickplay",),
    "mediasources": ("MediaSources",),
    "mediastreams": ("MediaStreams",),
    "chapters": ("Chapters",),
}  # fmt: skip
GATED_MEMBERS = {member for members in GATED.values() for member in members}
EVERY_FIELD: frozenset[str] = frozenset(GATED)


def item_dto(
    item: Mapping[str, Any], fields: Collection[str], *, server_id: str, emby: bool
) -> dict[str, Any]:
    """``item`` as the server answers it with ``fields`` (lowercased ItemFields names;
    EVERY_FIELD for the single-item routes). Members the item lacks stay out, as null
    members do in Jellyfin's JSON."""
    shown = {member for field in fields for member in GATED.get(field, ())}
    dto = {
        name: copy.deepcopy(value)
        for name, value in item.items()
        if not name.startswith("_") and (name not in GATED_MEMBERS or name in shown)
    }
    if emby:
        dto.pop("Tags", None)
        dto["Tags"] = None
        if "Tags" in shown or "tagitems" in fields:
            dto["TagItems"] = tag_items(item.get("Tags") or [])
    return {**dto, "ServerId": server_id}


def tag_items(tags: list[str]) -> list[dict[str, str]]:
    """Emby's ``TagItems``: each tag with the id of its tag item (stable per name)."""
    return [{"Name": tag, "Id": tag_id(tag)} for tag in tags]


def tag_id(tag: str) -> str:
    return str(100000 + zlib.crc32(tag.casefold().encode()) % 900000)

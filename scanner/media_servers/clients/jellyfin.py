"""The Jellyfin client (and the reading half of Emby's, emby.py): Jellyfin's answers
as ``ServerItem`` values, its items' tags changed by a write-back of the whole item.

Routes, as Jellyfin's controllers declare them (Jellyfin.Api/Controllers/), the same
from 10.8 to 12 unless said: ``GET /System/Info`` (SystemController),
``GET /System/Configuration`` (ConfigurationController: EnableLegacyAuthorization
from 10.11), ``GET /Library/VirtualFolders`` (LibraryStructureController),
``GET /Items`` (ItemsController: with an API key and no ``userId`` it reads every
library, whatever any user's folder or parental limits; ``Ids=`` reads given items),
``POST /Items/{itemId}`` (ItemUpdateController: the whole BaseItemDto, jellyfin_items.py),
``POST /Items/{itemId}/Refresh`` (ItemRefreshController: queues a metadata refresh,
204), ``GET /Users`` and ``GET /Users/{userId}`` (UserController: the accounts and a
user's playback settings, jellyfin_users.py). Items are never read through a user:
``/Users/{userId}/Items/{itemId}`` applies that user's limits (404 outside his
folders) and is obsolete in 12, and ``/Items/{itemId}`` without a user answers 400 to an API key.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Mapping
from typing import Any, Literal
from urllib.parse import quote

from scanner.media_servers.clients.base import (
    ALL_KINDS,
    ItemGone,
    ItemKind,
    MediaServerError,
    ServerAccount,
    ServerAuthError,
    ServerInfo,
    ServerItem,
    ServerSeason,
)
from scanner.media_servers.clients.jellyfin_http import JellyfinTransport, NotFound, ServerConfig
from scanner.media_servers.clients.jellyfin_images import (
    ServerPoster,
    image_type_of,
    primary_image,
    set_primary_image,
)
from scanner.media_servers.clients.jellyfin_items import (
    EDIT_FIELDS,
    ITEM_TYPES,
    LIST_FIELDS,
    parse_item,
    parse_library,
    parse_season,
    updated_tags,
    write_body,
)
from scanner.media_servers.clients.jellyfin_original import original_language_value
from scanner.media_servers.clients.jellyfin_users import (
    UserPlayback,
    parse_account,
    parse_playback,
)

__all__ = ["JellyfinClient", "ServerConfig"]

logger = logging.getLogger(__name__)

# The users read at most: a household's server has a few; a public one is not one.
MAX_ACCOUNTS = 500

REFRESH_PARAMS = {
    "metadataRefreshMode": "Default",
    "imageRefreshMode": "None",
    "replaceAllMetadata": "false",
    "replaceAllImages": "false",
}


class JellyfinClient:
    """One connection to a Jellyfin server. Not for concurrent use."""

    # The product when the server does not name it (every Jellyfin says "Jellyfin Server";
    # Emby, as far as its clients show, says nothing).
    product = ""
    list_fields = LIST_FIELDS
    account_kind: Literal["jellyfin", "emby"] = "jellyfin"

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.http = JellyfinTransport(config)

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    def accounts(self) -> list[ServerAccount]:
        """The server's users but the disabled ones (``GET /Users``), in its order."""
        rows = self.http.send_list("GET", "/Users")
        found = (parse_account(row, self.account_kind) for row in rows[:MAX_ACCOUNTS])
        return [account for account in found if account is not None]

    def user_playback(self, account_id: str) -> UserPlayback:
        """The playback settings of one user (``GET /Users/{userId}``); MediaServerError
        when the server has no such user (404)."""
        try:
            row = self.http.send_object("GET", f"/Users/{quote(account_id, safe='')}")
        except NotFound as exc:
            raise MediaServerError(
                f"{self.config.name}: no user {account_id!r}", said=exc.said
            ) from None
        return parse_playback(row)

    def set_original_language(
        self, item: ServerItem, language: str, *, ours: str | None = None
    ) -> bool:
        """Set the item's original language (Jellyfin 12+: ``OriginalLanguage`` of
        ItemUpdateController's body; check ``original_language_settable`` first) where
        the item has none, or has ``ours`` (the value Taggarr set last) and it changed:
        a provider's or a person's value is kept (the server keeps no trace of who set
        it). False when nothing was sent. ``language`` is an ISO 639 code, sent as the
        two letters the server stores (BaseItem.OriginalLanguage keeps the culture's
        TwoLetterISOLanguageName); the item goes back whole, as for tags. Only the
        server's database changes, never a media file."""
        wanted = original_language_value(language)
        full = self.read_item(item, EDIT_FIELDS)
        current = str(full.get("OriginalLanguage") or "").strip()
        if current.casefold() == wanted.casefold():
            return False
        if current and (ours is None or current.casefold() != ours.casefold()):
            return False
        timeout = self.config.series_write_timeout if item.kind == "series" else None
        tags = [str(tag) for tag in self.listed(item, full.get("Tags"), "Tags")]
        body = {**write_body(full, tags), "OriginalLanguage": wanted}
        self.post(item, f"/Items/{item.id}", body, read_timeout=timeout)
        return True

    def poster(self, item_id: str, *, max_bytes: int) -> ServerPoster | None:
        """The item's primary image (jellyfin_images.py), None when it has none."""
        return primary_image(self.http, item_id, max_bytes=max_bytes)

    def set_poster(self, item_id: str, data: bytes) -> None:
        """Replace the item's primary image with ``data`` (JPEG, PNG or WebP)."""
        set_primary_image(self.http, item_id, data, image_type_of(data))

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> JellyfinClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- what the pipeline uses ---------------------------------------------------

    def info(self) -> ServerInfo:
        system = self.http.send_object("GET", "/System/Info")
        folders = self.http.send_list("GET", "/Library/VirtualFolders")
        libraries = tuple(library for library in map(parse_library, folders) if library is not None)
        return ServerInfo(
            name=str(system.get("ServerName") or self.config.name),
            version=str(system.get("Version") or "?"),
            libraries=libraries,
            product=str(system.get("ProductName") or self.product),
            auth=self.http.auth,
            legacy_auth=self._legacy_auth(),
        )

    def items(
        self, library_ids: list[str] | None = None, kinds: Collection[ItemKind] = ALL_KINDS
    ) -> Iterator[ServerItem]:
        types = ",".join(name for name, kind in ITEM_TYPES.items() if kind in kinds)
        if not types:
            return
        for library_id in library_ids if library_ids is not None else [None]:
            yield from self._library_items(library_id, types)

    def set_tags(self, item: ServerItem, add: set[str], remove: set[str]) -> bool:
        """Read the whole item, change only these tags, send it back (less its read-only
        fields). False when the server already had them (nothing sent)."""
        full = self.read_item(item, EDIT_FIELDS)
        current = [str(tag) for tag in self.listed(item, full.get("Tags"), "Tags")]
        tags = updated_tags(current, add, remove)
        if tags == current:
            return False
        # A series' update saves every season and episode too (10.9+): give it time.
        timeout = self.config.series_write_timeout if item.kind == "series" else None
        self.post(item, f"/Items/{item.id}", write_body(full, tags), read_timeout=timeout)
        return True

    def refresh(self, item: ServerItem) -> None:
        """Queue a metadata refresh that re-reads local metadata (the NFO) when its file
        changed (ItemRefreshController; mode None, its default, reads nothing); images
        are left alone and nothing is replaced."""
        try:
            self.http.send("POST", f"/Items/{item.id}/Refresh", params=REFRESH_PARAMS)
        except NotFound:
            raise self.gone(item, "404") from None

    # -- helpers ------------------------------------------------------------------

    def read_item(self, item: ServerItem, fields: str) -> dict[str, Any]:
        """The item with ``fields`` as the server has it now, read by id with the key
        alone (no user's limits); ItemGone when the server no longer lists it."""
        params = {"Ids": item.id, "Fields": fields, "EnableImages": "false"}
        page = self.http.send_object("GET", "/Items", params={**params, "EnableUserData": "false"})
        rows = page.get("Items")
        listed = rows if isinstance(rows, list) else []
        found = [row for row in listed if isinstance(row, dict) and row.get("Id") == item.id]
        if not found:
            raise self.gone(item, "not found by its id")
        return found[0]

    def post(
        self, item: ServerItem, path: str, body: Any, *, read_timeout: float | None = None
    ) -> None:
        try:
            self.http.send("POST", path, body=body, read_timeout=read_timeout)
        except NotFound:
            raise self.gone(item, "404") from None

    def listed(self, item: ServerItem, value: Any, field: str) -> list[Any]:
        """An item's list field ([] for null); another kind is the server's failure,
        never read as "no tags" (its write-back would drop the user's own)."""
        if value is None or isinstance(value, list):
            return value or []
        raise MediaServerError(f"{self.config.name}: {item.title!r} has {field} that is not a list")

    def gone(self, item: ServerItem, why: str) -> ItemGone:
        return ItemGone(f"{self.config.name}: {item.title!r} is gone ({why})")

    def _legacy_auth(self) -> bool | None:
        """EnableLegacyAuthorization, where the server has it (10.11+)."""
        try:
            config = self.http.send("GET", "/System/Configuration")
        except ServerAuthError:
            raise
        except MediaServerError as exc:
            logger.debug("%s: no server configuration: %s", self.config.name, exc)
            return None
        value = config.get("EnableLegacyAuthorization") if isinstance(config, Mapping) else None
        return value if isinstance(value, bool) else None

    def _library_items(self, library_id: str | None, types: str) -> Iterator[ServerItem]:
        for row in self._rows(library_id, types, self.list_fields):
            item = parse_item(row, library_id or "")
            if item is not None:
                yield item

    def seasons(self, library_ids: list[str] | None = None) -> Iterator[ServerSeason]:
        """Every season of the series of the given libraries (all when None), paged:
        its Id, its series' Id and its number (IndexNumber; a season without one, a
        folder the server could not number, is left out)."""
        for library_id in library_ids if library_ids is not None else [None]:
            for row in self._rows(library_id, "Season", "Path"):
                season = parse_season(row)
                if season is not None:
                    yield season

    def _rows(self, library_id: str | None, types: str, fields: str) -> Iterator[Mapping[str, Any]]:
        start = 0
        while True:
            params: dict[str, Any] = {
                "Recursive": "true",
                "IncludeItemTypes": types,
                "Fields": fields,
                "StartIndex": start,
                "Limit": self.config.page_size,
                "EnableImages": "false",
                "EnableUserData": "false",
            }
            if library_id is not None:
                params["ParentId"] = library_id
            page = self.http.send_object("GET", "/Items", params=params)
            rows = page.get("Items") or []
            total = page.get("TotalRecordCount") or 0
            if not isinstance(rows, list) or not isinstance(total, int):
                raise MediaServerError(
                    f"{self.config.name}: GET /Items answered Items or TotalRecordCount "
                    "of another kind than Jellyfin's (a list, a number)"
                )
            yield from (row for row in rows if isinstance(row, Mapping))
            start += len(rows)
            if not rows or start >= total:
                return

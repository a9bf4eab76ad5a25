"""The Jellyfin (and Emby) client: one session, the token in headers only, retries of
transient failures, and Jellyfin's answers as ``ServerItem`` values.

Routes, as Jellyfin's controllers declare them (Jellyfin.Api/Controllers/):
``GET /System/Info`` (SystemController), ``GET /Library/VirtualFolders``
(LibraryStructureController), ``GET /Items`` (ItemsController: works with an API key
and no user), ``GET /Users`` (UserController), ``GET /Users/{userId}/Items/{itemId}``
(UserLibraryController: the full item; ``GET /Items/{itemId}`` without a userId
answers 404 to an API key, as it looks the user up), ``POST /Items/{itemId}``
(ItemUpdateController: the whole BaseItemDto; Name, Overview, ratings ... are set
from the body, so a field left out is cleared), ``POST /Items/{itemId}/Refresh``
(ItemRefreshController: queues a metadata refresh, 204). Emby has the same routes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt
from tenacity import wait_exponential_jitter as backoff
from tenacity.wait import wait_base

from scanner.http.sessions import settle_environment, short_reason
from scanner.media_servers.base import (
    ALL_KINDS,
    ItemGone,
    ItemKind,
    MediaServerError,
    ServerAuthError,
    ServerErrorStatus,
    ServerInfo,
    ServerItem,
    ServerLibrary,
    ServerUnreachable,
)

logger = logging.getLogger(__name__)

ITEM_TYPES: dict[str, ItemKind] = {"Series": "series", "Movie": "movie"}
LIBRARY_KINDS: dict[str, ItemKind] = {"tvshows": "series", "movies": "movie"}
PROVIDERS = ("tvdb", "tmdb", "imdb")
REFRESH_PARAMS = {
    "metadataRefreshMode": "Default",
    "imageRefreshMode": "None",
    "replaceAllMetadata": "false",
    "replaceAllImages": "false",
}
_SNIPPET = 200


@dataclass(frozen=True)
class ServerConfig:
    name: str
    url: str
    token: str
    kind: str = "jellyfin"  # or "emby": the same API
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    page_size: int = 200
    client_version: str = "dev"


class _NotFound(MediaServerError):
    pass


class JellyfinClient:
    """One connection to a Jellyfin or Emby server. Not for concurrent use."""

    def __init__(
        self,
        config: ServerConfig,
        *,
        attempts: int = 3,
        wait: wait_base | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.config = config
        self.base_url = config.url.rstrip("/")
        self.requests_made = 0
        self._attempts = attempts
        self._wait = wait if wait is not None else backoff(multiplier=0.5, max=8, jitter=0.5)
        self._sleep = sleep if sleep is not None else time.sleep
        self._user_id: str | None = None
        self._session = requests.Session()
        settle_environment(self._session, self.base_url)
        self._session.headers.update(
            {
                # Jellyfin reads the token from either (AuthorizationContext.cs); Emby
                # from X-Emby-Token.
                "Authorization": (
                    f'MediaBrowser Client="Taggarr", Device="Taggarr", DeviceId="taggarr", '
                    f'Version="{config.client_version}", Token="{config.token}"'
                ),
                "X-Emby-Token": config.token,
                "Accept": "application/json",
                "User-Agent": f"Taggarr/{config.client_version}",
            }
        )

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> JellyfinClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- what the pipeline uses ---------------------------------------------------

    def info(self) -> ServerInfo:
        system = self._request("GET", "/System/Info") or {}
        folders = self._request("GET", "/Library/VirtualFolders") or []
        libraries = tuple(
            ServerLibrary(
                id=str(folder.get("ItemId") or ""),
                name=str(folder.get("Name") or ""),
                kind=LIBRARY_KINDS.get(str(folder.get("CollectionType") or "").lower()),
            )
            for folder in folders
            if isinstance(folder, Mapping)
        )
        return ServerInfo(
            name=str(system.get("ServerName") or self.config.name),
            version=str(system.get("Version") or "?"),
            libraries=libraries,
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
        """Read the whole item, change only these tags, send the whole item back. False
        when the server already had them (nothing sent)."""
        path = f"/Users/{self._admin_user_id()}/Items/{item.id}"
        try:
            full = self._request("GET", path)
        except _NotFound:
            raise ItemGone(f"{self.config.name}: {item.title!r} is gone (404)") from None
        if not isinstance(full, dict):
            raise MediaServerError(f"{self.config.name}: GET item {item.id} gave no item")
        current = [str(tag) for tag in full.get("Tags") or []]
        tags = updated_tags(current, add, remove)
        if tags == current:
            return False
        try:
            self._request("POST", f"/Items/{item.id}", body={**full, "Tags": tags})
        except _NotFound:
            raise ItemGone(f"{self.config.name}: {item.title!r} is gone (404)") from None
        return True

    def refresh(self, item: ServerItem) -> None:
        """Queue a metadata refresh that re-reads local metadata (the NFO) when its file
        changed (ItemRefreshController; mode None, its default, reads nothing); images
        are left alone and nothing is replaced."""
        try:
            self._request("POST", f"/Items/{item.id}/Refresh", params=REFRESH_PARAMS)
        except _NotFound:
            raise ItemGone(f"{self.config.name}: {item.title!r} is gone (404)") from None

    # -- helpers ------------------------------------------------------------------

    def _library_items(self, library_id: str | None, types: str) -> Iterator[ServerItem]:
        start = 0
        while True:
            params: dict[str, Any] = {
                "Recursive": "true",
                "IncludeItemTypes": types,
                "Fields": "ProviderIds,Path,Tags",
                "StartIndex": start,
                "Limit": self.config.page_size,
                "EnableImages": "false",
                "EnableUserData": "false",
            }
            if library_id is not None:
                params["ParentId"] = library_id
            page = self._request("GET", "/Items", params=params) or {}
            rows = page.get("Items") or []
            for row in rows:
                item = parse_item(row, library_id or "")
                if item is not None:
                    yield item
            start += len(rows)
            if not rows or start >= int(page.get("TotalRecordCount") or 0):
                return

    def _admin_user_id(self) -> str:
        """An administrator's id: the full item is read through a user (see above)."""
        if self._user_id is None:
            users = self._request("GET", "/Users") or []
            admins = [u for u in users if (u.get("Policy") or {}).get("IsAdministrator")]
            chosen = (admins or users or [None])[0]
            if not chosen:
                raise MediaServerError(f"{self.config.name}: the server lists no user")
            self._user_id = str(chosen["Id"])
        return self._user_id

    def _request(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, body: Any = None
    ) -> Any:
        retrying = Retrying(
            stop=stop_after_attempt(self._attempts),
            wait=self._wait,
            sleep=self._sleep,
            retry=retry_if_exception_type(ServerUnreachable),
            reraise=True,
        )
        return retrying(self._send_once, method, path, params, body)

    def _send_once(
        self, method: str, path: str, params: Mapping[str, Any] | None, body: Any
    ) -> Any:
        self.requests_made += 1
        where = f"{self.config.name}: {method} {path}"
        try:
            response = self._session.request(
                method,
                self.base_url + path,
                params=params,
                json=body,
                timeout=(self.config.connect_timeout, self.config.read_timeout),
                allow_redirects=False,  # would carry the token to another host
            )
        except requests.Timeout:
            raise ServerUnreachable(self._redact(f"{where} timed out")) from None
        except requests.RequestException as exc:
            reason = short_reason(exc)
            raise ServerUnreachable(self._redact(f"{where} failed: {reason}")) from None
        except OSError as exc:  # a CA bundle that is not there: requests raises it bare
            raise ServerUnreachable(self._redact(f"{where} failed: {exc}")) from None
        status = response.status_code
        if status in (401, 403):
            raise ServerAuthError(f"{self.config.name} refused the token ({status})")
        if status == 404:
            raise _NotFound(f"{where} answered 404")
        if status >= 500:
            raise ServerErrorStatus(f"{where} answered {status}")
        if status >= 300:
            snippet = self._redact(response.text[:_SNIPPET])
            raise MediaServerError(f"{where} answered {status}: {snippet}")
        if not response.content.strip():
            return None
        try:
            return response.json()
        except ValueError:
            raise MediaServerError(f"{where} answered with a body that is not JSON") from None

    def _redact(self, text: str) -> str:
        return text.replace(self.config.token, "<token>") if self.config.token else text


def updated_tags(current: list[str], add: set[str], remove: set[str]) -> list[str]:
    """``current`` without ``remove`` and with ``add``; Jellyfin compares tags ignoring
    case (ItemUpdateController), so do we. Order kept, additions sorted at the end."""
    gone = {tag.casefold() for tag in remove}
    kept = [tag for tag in current if tag.casefold() not in gone]
    have = {tag.casefold() for tag in kept}
    return kept + [tag for tag in sorted(add) if tag.casefold() not in have]


def parse_item(row: Any, library_id: str) -> ServerItem | None:
    """A series or movie of ``GET /Items``; None for other rows."""
    if not isinstance(row, Mapping):
        return None
    kind = ITEM_TYPES.get(str(row.get("Type") or ""))
    if kind is None or not row.get("Id"):
        return None
    raw_ids = row.get("ProviderIds") or {}
    # Jellyfin's provider-id dictionary ignores case; its keys are MetadataProvider names.
    ids = {str(key).lower(): str(value) for key, value in raw_ids.items() if value}
    return ServerItem(
        id=str(row["Id"]),
        kind=kind,  # type: ignore[arg-type]
        title=str(row.get("Name") or ""),
        path=str(row.get("Path") or ""),
        provider_ids={key: ids[key] for key in PROVIDERS if key in ids},
        tags=frozenset(str(tag) for tag in row.get("Tags") or []),
        library_id=library_id,
    )

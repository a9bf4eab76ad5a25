"""The fake Jellyfin's library and its answers, as Jellyfin's sources define them
(12.0 unless a route says otherwise; releases.py has the version and its update):

- auth (Jellyfin.Server.Implementations/Security/AuthorizationContext.cs): the token
  from ``Authorization: MediaBrowser ..., Token="..."``, and the legacy ways
  ``X-Emby-Token``, ``X-MediaBrowser-Token`` or the ``ApiKey`` / ``api_key`` query,
  as with ``EnableLegacyAuthorization`` on (10.11's default; 12.0 has it off by
  default); 401 otherwise;
- ``GET /System/Info`` (SystemController): ``ServerName``, ``Version``, ``Id`` ...;
- ``GET /Library/VirtualFolders`` (LibraryStructureController): ``Name``,
  ``Locations``, ``CollectionType``, ``ItemId``;
- ``GET /Items`` (ItemsController): ``Items`` and ``TotalRecordCount``, paged by
  ``StartIndex`` / ``Limit``; ``ProviderIds``, ``Path``, ``Tags`` only when ``Fields``
  names them (DtoService adds them on request);
- ``GET /Users`` (UserController) and ``GET /Users/{userId}/Items/{itemId}``
  (UserLibraryController, obsolete in 12.0 but served): the full item, 404 when it
  is gone;
- ``POST /Items/{itemId}/Refresh`` (ItemRefreshController): 204, the refresh queued
  (recorded with its ``metadataRefreshMode``, ``None`` when not given); 404 when the
  item is gone;
- ``POST /Items/{itemId}`` (ItemUpdateController.UpdateItem): 204, the body applied
  as the release does (releases.py: in 12.0, Name, Overview, OriginalLanguage,
  ratings, dates are taken as they are, left out: cleared; Genres, Tags, Studios,
  ProviderIds only when present; tags trimmed and made distinct ignoring case). 404
  when the item is gone.

Every other route answers 404. Routes and query names ignore case, as ASP.NET's do.
Emby's clients may put ``/emby`` before every route (Jellyfin 12.0 no longer
accepts it): the fake answers both.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from fakes.http import Request, Response
from fakes.jellyfin.releases import DEFAULT_VERSION, release
from fakes.jellyfin.samples import DEFAULT_LIBRARIES

USER_ID = "5a7c1e0f9b2d4e6f8a1b3c5d7e9f0a2b"
SERVER_ID = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
LIST_FIELDS = ("ProviderIds", "Path", "Tags", "Overview", "Genres")
_TOKEN = re.compile(r'Token="([^"]*)"')
_USER_ITEM = re.compile(r"^/users/([^/]+)/items/([^/]+)$")
_ITEM = re.compile(r"^/items/([^/]+)$")
_REFRESH = re.compile(r"^/items/([^/]+)/refresh$")


class FakeJellyfinState:
    def __init__(
        self,
        *,
        token: str,
        items: Iterable[Mapping[str, Any]] = (),
        libraries: Iterable[Mapping[str, Any]] = DEFAULT_LIBRARIES,
        version: str = DEFAULT_VERSION,
    ) -> None:
        self.token = token
        self.release = release(version)  # ValueError for a version it does not play
        self.version = version
        self._lock = threading.Lock()
        self._items = {str(item["Id"]): copy.deepcopy(dict(item)) for item in items}
        self._libraries = [dict(library) for library in libraries]
        self._counters: Counter[tuple[str, str]] = Counter()
        self._vanished: set[str] = set()
        self._failing: dict[str, int] = {}  # item id -> the status its requests get
        self._listed_types: list[str] = []
        self._refreshed: list[tuple[str, str]] = []

    # -- for tests ------------------------------------------------------------------

    def items(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(list(self._items.values()))

    def item(self, item_id: str) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._items[item_id])

    def tags(self) -> dict[str, set[str]]:
        """Name -> tags."""
        return {item["Name"]: set(item.get("Tags") or []) for item in self.items()}

    def update(self, item_id: str, **fields: Any) -> None:
        """Change an item as a person would in the server's editor."""
        with self._lock:
            self._items[item_id].update(copy.deepcopy(fields))

    def delete(self, item_id: str) -> None:
        with self._lock:
            del self._items[item_id]

    def vanish(self, item_id: str) -> None:
        """Still listed by ``GET /Items``, gone (404) when read or written: deleted
        between the listing and the write."""
        with self._lock:
            self._vanished.add(item_id)

    def fail_item(self, item_id: str, status: int | None) -> None:
        """Answer ``status`` (500, 400, 401 ...) to every read, update and refresh of the
        item, still listed by ``GET /Items``: a server failing on that one item. None
        ends it."""
        with self._lock:
            if status is None:
                self._failing.pop(item_id, None)
            else:
                self._failing[item_id] = status

    def counters(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counters)

    def listed_types(self) -> list[str]:
        """The ``IncludeItemTypes`` of every ``GET /Items``, in order ("" when none)."""
        with self._lock:
            return list(self._listed_types)

    def refreshed(self) -> list[tuple[str, str]]:
        """(item id, metadataRefreshMode) of every refresh queued, in order."""
        with self._lock:
            return list(self._refreshed)

    def writes(self) -> int:
        """Item updates received (refreshes are not writes)."""
        return self.counters().get(("POST", "/items/{itemId}"), 0)

    def reset_counters(self) -> None:
        with self._lock:
            self._counters.clear()
            self._listed_types.clear()
            self._refreshed.clear()

    # -- answers ----------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        path = request.path.rstrip("/").lower()
        path = path.removeprefix("/emby")
        query = {key.lower(): values[-1] for key, values in request.query.items() if values}
        route = _route_template(path)
        with self._lock:
            self._counters[(request.method, route)] += 1
        if not self._authorised(request, query):
            return Response(401)
        method = request.method
        if method == "GET" and path == "/system/info":
            return Response.json(200, self._system_info())
        if method == "GET" and path == "/library/virtualfolders":
            return Response.json(200, self._libraries)
        if method == "GET" and path == "/users":
            policy = {"IsAdministrator": True, "IsDisabled": False}
            return Response.json(200, [{"Name": "admin", "Id": USER_ID, "Policy": policy}])
        if method == "GET" and path == "/items":
            return Response.json(200, self._query(query))
        failing = self._failing_status(path)
        if failing is not None:
            return Response.json(failing, {"title": "failing on purpose"})
        user_item = _USER_ITEM.match(path)
        if method == "GET" and user_item:
            return self._get_item(user_item.group(1), user_item.group(2))
        item = _ITEM.match(path)
        if method == "POST" and item:
            return self._update(item.group(1), request.body)
        refresh = _REFRESH.match(path)
        if method == "POST" and refresh:
            return self._refresh(refresh.group(1), query.get("metadatarefreshmode", "None"))
        return Response(404)

    def _failing_status(self, path: str) -> int | None:
        """The status set by ``fail_item`` for a request on that item, if any."""
        found = _USER_ITEM.match(path) or _ITEM.match(path) or _REFRESH.match(path)
        item_id = found.group(found.lastindex or 1) if found else None
        with self._lock:
            return self._failing.get(item_id) if item_id is not None else None

    def _authorised(self, request: Request, query: Mapping[str, str]) -> bool:
        headers = request.headers
        auth = headers.get("authorization") or headers.get("x-emby-authorization") or ""
        scheme, _, rest = auth.partition(" ")
        found = _TOKEN.search(rest) if scheme.lower() in ("mediabrowser", "emby") else None
        candidates = [
            found.group(1) if found else None,
            headers.get("x-emby-token"),
            headers.get("x-mediabrowser-token"),
            query.get("apikey"),
            query.get("api_key"),
        ]
        return any(token == self.token for token in candidates if token)

    def _system_info(self) -> dict[str, Any]:
        return {
            "ServerName": "fake-jellyfin", "Version": self.version,
            "ProductName": "Jellyfin Server", "Id": SERVER_ID, "OperatingSystem": "Linux",
            "StartupWizardCompleted": True,
        }  # fmt: skip

    def _query(self, query: Mapping[str, str]) -> dict[str, Any]:
        types = {t.strip().lower() for t in query.get("includeitemtypes", "").split(",") if t}
        parent = query.get("parentid")
        fields = {f.strip().lower() for f in query.get("fields", "").split(",") if f}
        start = int(query.get("startindex") or 0)
        limit = int(query["limit"]) if query.get("limit") else None
        with self._lock:
            self._listed_types.append(query.get("includeitemtypes", ""))
            rows = sorted(self._items.values(), key=lambda item: (item["Name"], item["Id"]))
            rows = [r for r in rows if not types or r["Type"].lower() in types]
            rows = [r for r in rows if parent is None or r.get("ParentId") == parent]
            page = rows[start : None if limit is None else start + limit]
            return {
                "Items": [_listed(row, fields) for row in page],
                "TotalRecordCount": len(rows),
                "StartIndex": start,
            }

    def _get_item(self, user_id: str, item_id: str) -> Response:
        with self._lock:
            item = self._items.get(item_id)
            if user_id != USER_ID or item is None or item_id in self._vanished:
                return Response(404)
            return Response.json(200, {**item, "ServerId": SERVER_ID})

    def _refresh(self, item_id: str, mode: str) -> Response:
        with self._lock:
            if item_id not in self._items or item_id in self._vanished:
                return Response(404)
            self._refreshed.append((item_id, mode))
        return Response(204)

    def _update(self, item_id: str, body: bytes) -> Response:
        try:
            request = json.loads(body or b"null")
        except ValueError:
            return Response.json(400, {"title": "the body is not JSON"})
        if not isinstance(request, dict):
            return Response.json(400, {"title": "a BaseItemDto is required"})
        with self._lock:
            item = self._items.get(item_id)
            if item is None or item_id in self._vanished:
                return Response(404)
            updated = copy.deepcopy(item)
            try:
                self.release.update_item(updated, request)
            except (AttributeError, TypeError, ValueError):
                # A field of the wrong shape: the real server's model binding refuses it.
                return Response.json(400, {"title": "one or more validation errors occurred"})
            self._items[item_id] = updated
        return Response(204)


def _listed(row: Mapping[str, Any], fields: set[str]) -> dict[str, Any]:
    listed = {key: row[key] for key in ("Id", "Name", "Type", "ParentId") if key in row}
    for name in LIST_FIELDS:
        if name.lower() in fields and name in row:
            listed[name] = copy.deepcopy(row[name])
    return {**listed, "ServerId": SERVER_ID}


def _route_template(path: str) -> str:
    if _USER_ITEM.match(path):
        return "/users/{userId}/items/{itemId}"
    if _ITEM.match(path):
        return "/items/{itemId}"
    if _REFRESH.match(path):
        return "/items/{itemId}/refresh"
    return path

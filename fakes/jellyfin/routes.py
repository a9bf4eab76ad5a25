"""The fake Jellyfin's answers, route by route (Jellyfin.Api/Controllers/), as the
release the state plays gives them (releases.py says what differs):

- auth (auth.py): 401 without a token it reads, or with another;
- ``GET /System/Info`` (SystemController): ServerName, Version, ProductName (not Emby's);
- ``GET /System/Configuration`` (ConfigurationController): EnableLegacyAuthorization
  where the release has it;
- ``GET /Library/VirtualFolders`` (LibraryStructureController): Name, ItemId,
  CollectionType, Locations, LibraryOptions;
- ``GET /Users`` (UserController): one administrator and his Policy (folder limits),
  and the users ``add_user`` made (their parental tag limits, parental.py), each with
  his Configuration (users.py: the playback settings); ``GET /Users/{userId}`` one of
  them, 404 for another id;
- ``GET /Items`` (ItemsController): by ``Ids``, or ``IncludeItemTypes``/``ParentId``
  paged by ``StartIndex``/``Limit`` with ``TotalRecordCount``; members as ``Fields``
  asks (dto.py); an API key without ``userId`` sees every library, with one the
  user's folder limits or parental tag limits apply;
- ``GET /Shows/{seriesId}/Episodes?userId=`` (TvShowsController ``GetEpisodes``):
  the series' episodes the user gets (parental.py), 404 for no such series;
- ``GET /Users/{userId}/Items/{itemId}`` (UserLibraryController, obsolete in 12): the
  whole item, 404 outside the user's folders; ``GET /Items/{itemId}?userId=`` the same
  from 10.9, 400 without a userId (an API key has no user), 405 on 10.8;
- ``POST /Items/{itemId}`` (ItemUpdateController): 204 and the release's update, or its
  refusal (updates.py); 404 when the item is gone;
- ``POST /Items/{itemId}/Refresh`` (ItemRefreshController): 204, recorded;
- ``GET``/``POST /Items/{itemId}/PlaybackInfo?userId=`` (MediaInfoController): the
  item's media sources with the audio and subtitle stream the server starts for that
  user (playback.py, stream_selection.py);
- Emby only: ``POST /Items/{Id}/Tags/Add`` and ``/Tags/Delete``, body
  ``{"Tags": [{"Name": ..., "Id": ...}]}``: 204;
- ``GET``, ``POST`` (the image base64-encoded), ``DELETE
  /Items/{itemId}/Images/{imageType}`` and ``/{imageIndex}``, ``GET
  /Items/{itemId}/Images`` (ImageController; images.py, image_routes.py): an item's
  images, held in the state (``set_image``, ``image``, ``image_writes``), their tags in
  the item's ``ImageTags``. Reading an image needs no token; the others take a user's
  token too (``state.user_token``), and writing wants an administrator (403 for another).

Every other route answers 404. Routes and query names ignore case, as ASP.NET's do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fakes.http import Request, Response
from fakes.jellyfin import image_routes
from fakes.jellyfin.auth import request_token
from fakes.jellyfin.dto import EVERY_FIELD, item_dto, tag_id
from fakes.jellyfin.playback import playback_info
from fakes.jellyfin.state import SERVER_ID, USER_ID, FakeJellyfinState
from fakes.jellyfin.updates import UpdateRefused
from fakes.jellyfin.users import configuration

_ROUTES = (
    ("/shows/{seriesId}/episodes", re.compile(r"^/shows/([^/]+)/episodes$")),
    ("/users/{userId}/items/{itemId}", re.compile(r"^/users/([^/]+)/items/([^/]+)$")),
    ("/users/{userId}", re.compile(r"^/users/([^/]+)$")),
    ("/items/{itemId}/refresh", re.compile(r"^/items/([^/]+)/refresh$")),
    ("/items/{itemId}/playbackinfo", re.compile(r"^/items/([^/]+)/playbackinfo$")),
    ("/items/{itemId}/tags/add", re.compile(r"^/items/([^/]+)/tags/add$")),
    ("/items/{itemId}/tags/delete", re.compile(r"^/items/([^/]+)/tags/delete$")),
    ("/items/{itemId}", re.compile(r"^/items/([^/]+)$")),
)


def handle(state: FakeJellyfinState, request: Request) -> Response:
    release = state.release
    path = request.path.rstrip("/").lower()
    if release.emby_prefix:  # LegacyEmbyRouteRewriteMiddleware
        for prefix in ("/emby", "/mediabrowser"):
            if path.startswith(prefix):
                path = path[len(prefix) :]
                break
    query = {key.lower(): values[-1] for key, values in request.query.items() if values}
    route, item_id = _route(path)
    found = request_token(release, state.legacy_auth, request.headers, query)
    if route in image_routes.ROUTES:  # a user's token too, and reading an image needs none
        caller = state.caller(found[0] if found else None)
        state.count(request.method, route, found[1] if caller and found else None)
        knob = _knob(state, item_id) if caller is not None else None
        return knob or image_routes.handle(
            state, request.method, path, query, request.headers, request.body, caller
        )
    accepted = found is not None and found[0] == state.token
    state.count(request.method, route, found[1] if accepted and found else None)
    if not accepted:
        return Response(401)
    if (knob := _knob(state, item_id)) is not None:
        return knob
    method = request.method
    if method == "GET" and route == "/system/info":
        return Response.json(200, _system_info(state))
    if method == "GET" and route == "/system/configuration":
        return Response.json(200, _configuration(state))
    if method == "GET" and route == "/library/virtualfolders":
        return Response.json(200, state.libraries)
    if method == "GET" and route == "/users":
        return Response.json(200, [_user(state), *state.users()])
    if method == "GET" and route == "/users/{userId}":
        users = [user for user in [_user(state), *state.users()] if user["Id"] == item_id]
        return Response.json(200, users[0]) if users else Response(404)
    if method == "GET" and route == "/items":
        return _items(state, query)
    if method == "GET" and route == "/shows/{seriesId}/episodes":
        return _episodes(state, str(item_id), query)
    if method == "GET" and route == "/users/{userId}/items/{itemId}":
        user_id = re.match(r"^/users/([^/]+)/", path).group(1)  # type: ignore[union-attr]
        return _whole_item(state, item_id, user_id)
    if method == "GET" and route == "/items/{itemId}":
        if not release.item_by_query_user:
            return Response(405 if not release.is_emby else 404)
        if not query.get("userid"):
            return Response(400, b"Guid can't be empty (Parameter 'id')", "text/plain")
        return _whole_item(state, item_id, query["userid"])
    if method == "POST" and route == "/items/{itemId}":
        return _update(state, item_id, request.body)
    if route == "/items/{itemId}/playbackinfo" and method in ("GET", "POST"):
        return _playback_info(state, str(item_id), method, query, request.body)
    if method == "POST" and route == "/items/{itemId}/refresh":
        mode = query.get("metadatarefreshmode", "None")
        return Response(204 if state.record_refresh(str(item_id), mode) else 404)
    if method == "POST" and route.startswith("/items/{itemId}/tags/") and release.emby_tags:
        return _emby_tags(state, str(item_id), request.body, route.endswith("/add"))
    return Response(404)


def _knob(state: FakeJellyfinState, item_id: str | None) -> Response | None:
    """The answer a test's ``garble_requests`` or ``fail_requests``/``fail_item`` left."""
    if (garbled := state.garbled_body()) is not None:
        return Response(200, garbled)
    if (failing := state.failing_status(item_id)) is not None:
        return Response.json(failing, {"title": "failing on purpose"})
    return None


def _route(path: str) -> tuple[str, str | None]:
    """The route template of a path, and the item id it names."""
    if found := image_routes.PATTERN.match(path):
        return image_routes.route_of(path), found.group(1)
    for template, pattern in _ROUTES:
        found = pattern.match(path)
        if found:
            return template, found.group(found.lastindex or 1)
    return path, None


def _system_info(state: FakeJellyfinState) -> dict[str, Any]:
    info = {
        "ServerName": "fake-jellyfin" if not state.release.is_emby else "fake-emby",
        "Version": state.version, "Id": SERVER_ID, "OperatingSystem": "Linux",
        "StartupWizardCompleted": True,
    }  # fmt: skip
    if not state.release.is_emby:
        info["ProductName"] = state.release.product
    return info


def _configuration(state: FakeJellyfinState) -> dict[str, Any]:
    config: dict[str, Any] = {"ServerName": _system_info(state)["ServerName"]}
    if state.release.has_legacy_switch:
        config["EnableLegacyAuthorization"] = state.legacy_auth
    return config


def _user(state: FakeJellyfinState) -> dict[str, Any]:
    folders = state.user_folders
    policy = {
        "IsAdministrator": True, "IsDisabled": False, "EnableAllFolders": folders is None,
        "EnabledFolders": list(folders or []),
    }  # fmt: skip
    return {"Name": "admin", "Id": USER_ID, "Policy": policy, "Configuration": configuration()}


def _items(state: FakeJellyfinState, query: Mapping[str, str]) -> Response:
    fields = {f.strip().lower() for f in query.get("fields", "").split(",") if f.strip()}
    user_id = query.get("userid") or None
    emby = state.release.is_emby
    ids = [i.strip() for i in query.get("ids", "").split(",") if i.strip()]
    try:
        if ids:
            rows = state.by_ids(ids)
        else:
            rows = state.listing(query.get("includeitemtypes", ""), query.get("parentid"))
    except UpdateRefused as refused:
        return Response.json(refused.status, {"title": refused.text})
    types = {t.strip().lower() for t in query.get("includeitemtypes", "").split(",") if t.strip()}
    with state.lock:
        rows = [row for row in rows if state.visible(row, user_id, types)]
        start = int(query.get("startindex") or 0)
        limit = int(query["limit"]) if query.get("limit") else None
        page = rows[start : None if limit is None else start + limit]
        answer = [item_dto(row, fields, server_id=SERVER_ID, emby=emby) for row in page]
    return Response.json(200, {"Items": answer, "TotalRecordCount": len(rows), "StartIndex": start})


def _episodes(state: FakeJellyfinState, series_id: str, query: Mapping[str, str]) -> Response:
    fields = {f.strip().lower() for f in query.get("fields", "").split(",") if f.strip()}
    emby = state.release.is_emby
    with state.lock:
        rows = state.episodes(series_id, query.get("userid") or None)
        if rows is None:
            return Response.json(404, {"title": "Series not found"})
        answer = [item_dto(row, fields, server_id=SERVER_ID, emby=emby) for row in rows]
    return Response.json(200, {"Items": answer, "TotalRecordCount": len(rows), "StartIndex": 0})


def _whole_item(state: FakeJellyfinState, item_id: str | None, user_id: str) -> Response:
    with state.lock:
        item = state.existing(str(item_id))
        if user_id != USER_ID or item is None or not state.visible(item, user_id):
            return Response(404)
        emby = state.release.is_emby
        return Response.json(200, item_dto(item, EVERY_FIELD, server_id=SERVER_ID, emby=emby))


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(body or b"null")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _update(state: FakeJellyfinState, item_id: str | None, body: bytes) -> Response:
    request = _json_object(body)
    if request is None:
        return Response.json(400, {"title": "One or more validation errors occurred."})
    try:
        found = state.apply_update(str(item_id), request)
    except UpdateRefused as refused:
        return Response(refused.status, refused.text.encode(), "text/plain")
    except (AttributeError, TypeError, ValueError):
        # A member of the wrong shape: the real server's model binding refuses it.
        return Response.json(400, {"title": "One or more validation errors occurred."})
    return Response(204 if found else 404)


def _emby_tags(state: FakeJellyfinState, item_id: str, body: bytes, add: bool) -> Response:
    request = _json_object(body)
    tags = request.get("Tags") if request is not None else None
    if not isinstance(tags, list) or not all(isinstance(tag, dict) for tag in tags):
        return Response.json(400, {"title": "Tags is required"})
    names = [str(tag.get("Name") or "") for tag in tags]
    if not add:  # by Id, or else by Name
        with state.lock:
            item = state.existing(item_id)
            current = {tag.casefold(): tag for tag in (item or {}).get("Tags") or []}
        ids = {str(tag.get("Id")) for tag in tags if tag.get("Id")}
        names += [name for name in current.values() if tag_id(name) in ids]
    changed = state.change_tags(item_id, names if add else [], [] if add else names)
    return Response(204 if changed else 404)


def _playback_info(
    state: FakeJellyfinState, item_id: str, method: str, query: Mapping[str, str], body: bytes
) -> Response:
    user_id = query.get("userid") or None
    if method == "POST" and user_id is None:
        posted = _json_object(body) if body else {}
        if posted is None:
            return Response.json(400, {"title": "One or more validation errors occurred."})
        user_id = str(posted.get("UserId") or "") or None
    if method == "GET" and user_id is None and state.release.key == "10.8.13":
        return Response.json(400, {"title": "The userId field is required."})
    answer = playback_info(state, item_id, user_id.replace("-", "").lower() if user_id else None)
    return Response(404) if answer is None else Response.json(200, answer)

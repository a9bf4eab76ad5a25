"""The item image routes of ImageController (jellyfin/jellyfin v10.10.7,
aefb9b2cffca3ccb7a95d89af0d9fb2040de6ed3, ``Jellyfin.Api/Controllers/ImageController.cs``;
v10.8.13 where it differs): images.py says what each answers and why, and holds the
images the state keeps."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

from fakes.http import Response
from fakes.jellyfin.images import (
    MAX_BODY_BYTES,
    MULTIPLE,
    TICKS_AT_EPOCH,
    Caller,
    extension,
    image_info,
    image_type,
)
from fakes.jellyfin.state import FakeJellyfinState

_INVALID_TYPE = {"title": "One or more validation errors occurred.", "status": 400}
_ERROR = b"Error processing request."


ROUTES = (
    "/items/{itemId}/images",
    "/items/{itemId}/images/{imageType}",
    "/items/{itemId}/images/{imageType}/{imageIndex}",
)
PATTERN = re.compile(r"^/items/([^/]+)/images(?:/[^/]+){0,2}$")


def route_of(path: str) -> str:
    return ROUTES[path.count("/") - 3]


def handle(
    state: FakeJellyfinState,
    method: str,
    path: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    body: bytes,
    caller: Caller | None,
) -> Response:
    """The answer to an image route (``path`` lower case, without ``/emby``)."""
    parts = path.split("/")  # "", "items", id, "images", type, index
    item_id = parts[2]
    if len(parts) == 4:
        if method != "GET":
            return Response(405)
        if caller is None:
            return Response(401)
        return _infos(state, item_id, caller)
    kind = image_type(parts[4])
    index_text = parts[5] if len(parts) == 6 else query.get("imageindex")
    if kind is None or (index_text is not None and not _is_int(index_text)):
        return Response.json(400, _INVALID_TYPE)
    index = int(index_text) if index_text is not None else None
    if method == "GET":
        return _get(state, item_id, kind, index or 0, headers, query, caller)
    if method not in ("POST", "DELETE"):
        return Response(405)
    if caller is None:
        return Response(401)
    if not caller.admin:
        return Response(403)
    if _item(state, item_id, caller) is None:
        return Response(404)
    if method == "DELETE":
        state.delete_image(item_id, kind, index or 0, record=True)
        return Response(204)
    return _post(state, item_id, kind, headers.get("content-type"), body)


def _is_int(text: str) -> bool:
    return re.fullmatch(r"-?\d{1,9}", text) is not None


def _item(state: FakeJellyfinState, item_id: str, caller: Caller | None) -> Any:
    """The item, as GetItemById(id, user) finds it for the caller."""
    with state.lock:
        item = state.existing(item_id)
        checks_user = state.release.key != "10.8.13" and not state.release.is_emby
        if item is not None and caller is not None and caller.user_id and checks_user:
            return item if state.visible(item, caller.user_id) else None
        return item


def _infos(state: FakeJellyfinState, item_id: str, caller: Caller) -> Response:
    if _item(state, item_id, caller) is None:
        return Response(404)
    images = state.images(item_id)
    single = [image_info(image, None) for image in images if image.image_type not in MULTIPLE]
    kinds = dict.fromkeys(image.image_type for image in images if image.image_type in MULTIPLE)
    multiple = [
        image_info(image, index)
        for kind in kinds
        for index, image in enumerate(i for i in images if i.image_type == kind)
    ]
    return Response.json(200, single + multiple)


def _get(
    state: FakeJellyfinState,
    item_id: str,
    kind: str,
    index: int,
    headers: Mapping[str, str],
    query: Mapping[str, str],
    caller: Caller | None,
) -> Response:
    item = _item(state, item_id, caller)
    if item is None:
        return Response(404)
    image = state.image(item_id, kind, index)
    if image is None:
        text = f"{item.get('Name')} does not have an image of type {kind}"
        return Response(404, text.encode(), "text/plain; charset=utf-8")
    cache = "public, max-age=31536000" if query.get("tag") else "public"
    sent = (
        ("Cache-Control", cache), ("Last-Modified", image.last_modified), ("Vary", "Accept"),
        ("Content-Disposition", "attachment"),
    )  # fmt: skip
    since = _date(headers.get("if-modified-since"))
    if since is not None and image.ticks // 10_000_000 <= since:
        return Response(304, headers=sent)
    return Response(200, image.data, image.content_type, sent)


def _date(text: str | None) -> int | None:
    """An HTTP date as whole seconds since 1970 in ticks' scale, or None."""
    try:
        when = parsedate_to_datetime(text) if text else None
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return TICKS_AT_EPOCH // 10_000_000 + int(when.timestamp())


def _post(
    state: FakeJellyfinState, item_id: str, kind: str, content_type: str | None, body: bytes
) -> Response:
    legacy = state.release.key == "10.8.13" or state.release.is_emby
    ext = extension(content_type)
    if ext is None and not legacy:
        return Response(400, b"Incorrect ContentType.", "text/plain; charset=utf-8")
    if len(body) > MAX_BODY_BYTES:
        return Response(413)
    data = _from_base64(body)
    if data is None:
        return Response(500, _ERROR, "text/plain")
    if ext is None:  # 10.8: the saver's ArgumentException
        return Response(400, _ERROR, "text/plain")
    state.save_image(item_id, kind, data, ext)
    return Response(204)


def _from_base64(body: bytes) -> bytes | None:
    """The bytes a base64 body (whitespace ignored) holds; None when it is not base64."""
    text = re.sub(rb"[ \t\r\n]", b"", body)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None

"""An item's poster on Jellyfin and Emby: its primary image read and replaced through the
image API (issue 95, the dub badges), as ``Jellyfin.Api/Controllers/ImageController.cs``
declares it, the same from 10.8 to 12 (jellyfin/jellyfin v10.10.7 aefb9b2c, v10.8.13
e93d03d8 where it differs; the fake: fakes/jellyfin/images.py):

- ``GET /Items/{itemId}/Images`` (GetItemImageInfos): the item's ``ImageInfo`` list, its
  ``Primary``'s ``Path`` (where the server reads it: its metadata folder, or the poster
  file beside the item when the library saves artwork there) and ``Size``;
- ``GET /Items/{itemId}/Images/Primary`` (GetItemImage): the stored bytes, unchanged
  when nothing is asked of them and the format is one the client takes
  (``ImageProcessor.ProcessImage`` keeps the original for default options; the formats
  taken come from ``Accept``, hence ``image/webp,image/*``);
- ``POST /Items/{itemId}/Images/Primary`` (SetItemImage, administrators): the image
  **base64-encoded** in the body (``GetFromBase64Stream``) with its own
  ``Content-Type`` (a type the server knows, else 400); 204, saved as given.

Emby's routes are the same (*inferred*: its published API, "ImageService"). A poster
larger than the bound given is never read whole (scanner.http.bounds)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from scanner.media_servers.clients.base import ItemGone, MediaServerError
from scanner.media_servers.clients.jellyfin_http import JellyfinTransport, NotFound

__all__ = ["ServerPoster", "image_type_of", "primary_image", "set_primary_image"]

PRIMARY = "Primary"
ACCEPT = "image/webp,image/*"
ANSWER_MAX = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ServerPoster:
    """The item's primary image as the server has it now."""

    data: bytes
    path: str  # where the server reads it, as the server sees it ("" when not said)
    media_type: str  # image/jpeg ...


def image_type_of(data: bytes) -> str:
    """The image type of a poster's bytes, as the server is told it (JPEG, PNG, WebP)."""
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


def _route(item_id: str) -> str:
    return f"/Items/{quote(item_id, safe='')}/Images"


def _primary_path(infos: list[Any]) -> str | None:
    """The Primary image's Path from GetItemImageInfos; None when it has none."""
    for info in infos:
        if isinstance(info, Mapping) and info.get("ImageType") == PRIMARY:
            return str(info.get("Path") or "")
    return None


def primary_image(http: JellyfinTransport, item_id: str, *, max_bytes: int) -> ServerPoster | None:
    """The item's primary image, None when it has none; ItemGone when the server no
    longer has the item; MediaServerError for one larger than ``max_bytes``."""
    try:
        path = _primary_path(http.send_list("GET", _route(item_id)))
        if path is None:
            return None
        response = http.send_bytes(
            "GET", f"{_route(item_id)}/{PRIMARY}", max_bytes=max_bytes, headers={"Accept": ACCEPT}
        )
    except NotFound:
        raise ItemGone(f"{http.config.name}: item {item_id} is gone (404)") from None
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if not media_type.startswith("image/"):
        raise MediaServerError(
            f"{http.config.name}: the primary image of item {item_id} is not an image "
            f"({media_type or 'no Content-Type'})"
        )
    return ServerPoster(response.content, path, media_type)


def set_primary_image(http: JellyfinTransport, item_id: str, data: bytes, media_type: str) -> None:
    """Replace the item's primary image with ``data`` (of ``media_type``)."""
    try:
        http.send_bytes(
            "POST",
            f"{_route(item_id)}/{PRIMARY}",
            max_bytes=ANSWER_MAX,  # 204, no body: an error's JSON at most
            data=base64.b64encode(data),
            headers={"Content-Type": media_type},
        )
    except NotFound:
        raise ItemGone(f"{http.config.name}: item {item_id} is gone (404)") from None

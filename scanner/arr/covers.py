"""Posters and fanart as Sonarr and Radarr keep them (docs/arr-api.md, "Covers").

A series or movie lists its ``images`` (``coverType`` and ``url``); the *arr rewrites
``url`` to its own copy, ``/MediaCover/{id}/poster.jpg?lastWrite=<ticks>``, the ticks
those of the file it downloaded (MediaCoverService.ConvertToLocalUrls): a new image,
a new address. The copies it scaled are served by ``/api/v3/mediacover/{id}/{file}``
(MediaCoverController), a poster 500 and 250 high, fanart 360 and 180.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner import outside_text
from scanner.arr.base import BaseArrClient
from scanner.http.bounds import MB, Bounds

# The kinds Taggarr shows, and the scaled copy it asks for (Sonarr's and Radarr's
# MediaCoverService: EnsureResizedCovers' heights).
COVER_HEIGHTS: dict[str, int] = {"poster": 250, "fanart": 360}
# A scaled copy is tens of kilobytes; a full-size fanart at worst a few megabytes.
COVER_MAX_BYTES = 4 * MB
COVER_DEADLINE_SECONDS = 30.0


def parse_covers(obj: Any) -> dict[str, str]:
    """``{"poster": url, "fanart": url}`` from a series/movie object's ``images``: the
    *arr's own address of each (with ``lastWrite``: what tells a new image)."""
    images = obj.get("images") if isinstance(obj, Mapping) else None
    if not isinstance(images, list):
        return {}
    covers = {}
    for image in images:
        if not isinstance(image, Mapping):
            continue
        kind = image.get("coverType")
        url = image.get("url")
        if kind in COVER_HEIGHTS and isinstance(url, str) and url.strip():
            covers[kind] = outside_text.line(url)[:900]
    return covers


def cover_path(item_id: int, kind: str) -> str:
    """``/api/v3/mediacover/12/poster-250.jpg``: the *arr's scaled copy (the controller
    answers with the full-size file when the scaled one is missing)."""
    return f"/api/v3/mediacover/{item_id}/{kind}-{COVER_HEIGHTS[kind]}.jpg"


def fetch_cover(client: BaseArrClient, item_id: int, kind: str) -> tuple[bytes, str]:
    """The image's bytes and Content-Type, within a small size bound. Raises the
    client's errors (scanner.errors), a 404 as ArrPermanentError."""
    bounds = Bounds(COVER_MAX_BYTES, COVER_DEADLINE_SECONDS)
    return client.get_bytes(cover_path(item_id, kind), bounds)

"""Posters and fanart as Sonarr and Radarr serve them (docs/arr-api.md, "Covers").

Every item has a poster and a fanart unless a test says otherwise. The item's JSON lists
them in ``images``: ``coverType``, ``url`` (the *arr's own copy,
``/MediaCover/{id}/{type}.jpg?lastWrite={ticks}``, the ticks of the copy's last write;
no ``lastWrite`` while it has no copy: MediaCoverService.ConvertToLocalUrls in
Sonarr's src/NzbDrone.Core/MediaCover/MediaCoverService.cs) and ``remoteUrl`` (where
the *arr got it). ``GET /api/v3/mediacover/{id}/{file}`` answers the copy
(src/Sonarr.Api.V3/MediaCovers/MediaCoverController.cs, the same in Radarr): a scaled
name (``poster-250.jpg``) falls back to the full-size file, a missing one is a 404.

The images are tiny real JPEGs, made beforehand (the fakes are standard library only).
"""

from __future__ import annotations

import base64
import re
import threading
from dataclasses import dataclass

from fakes.http import Response

_POSTER = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+"
    "MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09P"
    "T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAyACIDASIAAhEBAxEB/8QAHwAAAQUBAQEB"
    "AQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKB"
    "kaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1"
    "dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl"
    "5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcF"
    "BAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0"
    "tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDJooroP+EZ"
    "/wDnz/yF/wDXrvrYmlQt7R2uYwpyn8Jz9FdB/wAIz/0+f+Qv/r1j39t9jvJLffv2Y+bGM5AP9amji6NaXLTd"
    "38wlSlBXaK9FFFdJAV6BXn9egV4ec/Y+f6HXheoVx+vf8hif/gP/AKCK7CuP17/kMT/8B/8AQRWGUfx36fqi"
    "8V8C9TPooor6M4QrsP7b07/n5/8AHG/wrj6K5MVg4Ym3O3p2NKdV072Ow/tvTv8An5/8cb/Cub1aeO51KWaF"
    "tyNjBwR2A71ToqcNgKeHnzwb7a/8MOpWlNWYUUUV2mQUUUUAFFFFABRRRQB//9k="
)
_FANART = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+"
    "MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09P"
    "T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAkAEADASIAAhEBAxEB/8QAHwAAAQUBAQEB"
    "AQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKB"
    "kaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1"
    "dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl"
    "5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcF"
    "BAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0"
    "tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDNoooriPVC"
    "iu0+xWf/AD6wf9+xR9is/wDn1g/79iub6yuxHOcXRXafYrP/AJ9YP+/Yo+xWf/PrB/37FH1ldg5zi6KnvVC3"
    "1wqgBRIwAA4HNQV0p3VywooooA7yisH/AISP/p0/8if/AFqP+Ej/AOnT/wAif/Wrz/YVOxlys3qKwf8AhI/+"
    "nT/yJ/8AWo/4SP8A6dP/ACJ/9aj2FTsHKzJv/wDkIXP/AF1b+ZqvUk8nnXEkuNu9y2M5xk1HXetjVBRRRTAK"
    "KKKACiiigAooooA//9k="
)
DEFAULT_IMAGES = {"poster": _POSTER, "fanart": _FANART}
# The controller's route: {id:int}/{filename:regex((.+)\.(jpg|png|gif))}.
FILENAME = re.compile(r"^(?P<type>[a-z]+)(?:-(?P<height>\d+))?\.(?:jpg|png|gif)$", re.IGNORECASE)
FIRST_TICKS = 638_000_000_000_000_000  # .NET ticks: 100 ns since year 1


@dataclass(frozen=True)
class Cover:
    data: bytes | None  # None: listed in images, but the *arr holds no copy (404)
    ticks: int
    content_type: str = "image/jpeg"


class CoverStore:
    """Covers set by tests (``set``, ``remove``); every other item has the defaults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._covers: dict[tuple[int, str], Cover | None] = {}
        self._ticks = FIRST_TICKS

    def set(
        self, item_id: int, kind: str, data: bytes | None, content_type: str = "image/jpeg"
    ) -> None:
        """A new image for the item (a new lastWrite); ``data`` None: listed, not held."""
        with self._lock:
            self._ticks += 10_000_000
            self._covers[(item_id, kind)] = Cover(data, self._ticks, content_type)

    def remove(self, item_id: int, kind: str) -> None:
        """The item has no such image at all (not in its ``images``)."""
        with self._lock:
            self._covers[(item_id, kind)] = None

    def get(self, item_id: int, kind: str) -> Cover | None:
        with self._lock:
            if (item_id, kind) in self._covers:
                return self._covers[(item_id, kind)]
        default = DEFAULT_IMAGES.get(kind)
        return Cover(default, FIRST_TICKS) if default is not None else None

    def images(self, item_id: int, url_base: str = "") -> list[dict[str, str]]:
        """The item's ``images`` as the *arr's API lists them."""
        listed = []
        for kind in DEFAULT_IMAGES:
            cover = self.get(item_id, kind)
            if cover is None:
                continue
            url = f"{url_base}/MediaCover/{item_id}/{kind}.jpg"
            if cover.data is not None:
                url += f"?lastWrite={cover.ticks}"
            remote = f"https://artworks.thetvdb.com/banners/{kind}s/{item_id}-1.jpg"
            listed.append({"coverType": kind, "url": url, "remoteUrl": remote})
        return listed

    def answer(self, item_id: int, filename: str) -> Response:
        """``GET /api/v3/mediacover/{id}/{filename}``."""
        match = FILENAME.match(filename)
        cover = self.get(item_id, match.group("type").lower()) if match else None
        if cover is None or cover.data is None:
            return Response(404)
        return Response(200, cover.data, content_type=cover.content_type)

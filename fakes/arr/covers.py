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
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcv"
    "Jik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7"
    "Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAA8ACgDASIAAhEBAxEB/8QAHwAAAQUBAQEB"
    "AQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKB"
    "kaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1"
    "dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl"
    "5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcF"
    "BAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0"
    "tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDi8UYp+2nJ"
    "E8sixxqXdiAqqMkk9gK9fnMeQixRitxPCGuyRq62BAYAjdIin8QTkVlTW8tvKYp4nikXqjqVI/A1lDEUqjtC"
    "SfoxulJbogxRT9tFa8wuQk213fgjRoIrIarIoeeUsIjnOxRwfoSQfw/GuI213/grUIZtIFjkLNblvlzyyk53"
    "fmcf/rrws2nP6t7nfX0PRoQSnqdJWB4t0aDUNLlugoW5tkLq+cZUclT68Zx7/U1v1keJ9QhsdFnRyDJcI0Ua"
    "ZwWyME/gDn9O9fMYSU414unvc7JpOLueX7aKk20V95zHm8hJtqS2nmtLhLi3kMcsZyrDtRijFczaaszs5DeT"
    "xtqqoqmK2cgYLMjZPucHFYl7eXOo3BuLuUyyEAZIxgegA4FMxRisadCjSfNCKTG03uR7aKkxRW/MLkH7aNtS"
    "YoxXPzHXyoj20bakxRijmDlRHtoqTFFHMHKj/9k="
)
_FANART = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcv"
    "Jik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7"
    "Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAAkAEADASIAAhEBAxEB/8QAHwAAAQUBAQEB"
    "AQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKB"
    "kaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1"
    "dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl"
    "5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcF"
    "BAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0"
    "tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDlfKo8qrnl"
    "e1Hle1b+2OX2BT8qjyqueV7UeV7Ue2D2BT8qrFlpN5qMpjtLd5WHUjgL9SeB0PWpPK9q9O03T4dMsY7WFQAo"
    "+ZgMb27sfrXFjcweHguVXbN6GDVR67HmF9ol/puPtdq8Ybo3BXvxkcZ4PFVPKr1+4t4bu3eCeMSROMMp715j"
    "dWf2a8mt927ypGTdjGcHGajBZk8QmpKzRVfBqm/d2J/Ko8qrvlUeVXP7Y9L2BS8qjyqu+VR5VHtg9gUvKrr9"
    "G1+GW3SC8kEcyDbvc8OAOpJ6H1zXO+VR5VYV1CtG0i4U3F6HU6jr9raQn7PIk8xHyqpyo9yR/Lr/ADri3Rnc"
    "u7FmY5JJySat+VR5VKhGFFWiE6bnuW9oo2iiiuc77BtFG0UUUBYNoo2iiigLBtFG0UUUBY//2Q=="
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

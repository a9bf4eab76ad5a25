"""Where an item's poster is read and written for its badges (issue 95): the poster file
beside the item (Kodi, and Jellyfin and Emby with local images: poster_file.py), or
the item's primary image on a Jellyfin or Emby server, through its image API
(scanner.media_servers.clients.jellyfin_images). Each is one ``Place`` with the same
two acts: ``look`` (the poster as it is now, or None when there is none) and
``replace`` (the new bytes, only over the poster of digest ``expected``, then read back
and compared). Both refuse with PosterFileRefused, whose code the pages say
(scanner.badges.refusals); a share or a server that does not answer within its bound
leaves the poster as it was."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from scanner.arr.covers import COVER_MAX_BYTES
from scanner.arr.paths import PathMapper
from scanner.badges import poster_file, refusals
from scanner.badges.poster_file import PosterFileRefused, Seen, sha256
from scanner.errors import ConfigError
from scanner.http.reasons import to_data
from scanner.media_servers.clients.base import (
    TRANSIENT_ERRORS,
    ItemGone,
    MediaServerClient,
    MediaServerError,
)
from scanner.media_servers.clients.jellyfin import JellyfinClient
from scanner.media_servers.clients.jellyfin_images import primary_image, set_primary_image
from scanner.media_servers.connect import server_client
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.models import BadgeChange, MediaServer

__all__ = ["FOLDER", "FolderPlace", "Place", "ServerPlace", "Target", "media_type_of"]

T = TypeVar("T")
FOLDER = BadgeChange.Where.FOLDER
SERVER = BadgeChange.Where.SERVER


@dataclass(frozen=True, slots=True)
class Target:
    """Where one of an item's rows writes: its folder, or one server item."""

    where: str = FOLDER
    server_id: int | None = None
    item_id: str = ""
    season: int | None = None  # a season's poster; None: the item's own

    @classmethod
    def of(cls, change: BadgeChange) -> Target:
        if change.where == SERVER:
            return cls(SERVER, change.server_id, change.server_item, change.season)
        return cls(season=change.season)


class Place(Protocol):
    label: str  # what a row's ``path`` says: the file, or the server's name

    def look(self) -> Seen | None: ...

    def replace(self, data: bytes, *, expected: str) -> None: ...


class FolderPlace:
    """The poster file at ``path``, or the first one found in the item's folder (the
    ``season``'s in the series folder: poster_file.season_names)."""

    def __init__(
        self, folder: str, root: str, path: str | None = None, season: int | None = None
    ) -> None:
        self.folder, self.root, self.path, self.season = folder, root, path, season
        self.label = path or folder

    def look(self) -> Seen | None:
        if self.path is None:
            if self.season is None:
                self.path = poster_file.find(self.folder, self.root)
            else:
                self.path = poster_file.find_season(self.folder, self.season, self.root)
            if self.path is None:
                return None
            self.label = self.path
        return poster_file.look(self.path, self.root)

    def replace(self, data: bytes, *, expected: str) -> None:
        assert self.path is not None  # noqa: S101 - looked at first
        poster_file.replace(self.path, data, expected=expected, root=self.root)


def media_type_of(data: bytes) -> str:
    """The image type of a poster's bytes, as the server is told it (draw.py writes
    JPEG, PNG or WebP)."""
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


class ServerPlace:
    """The primary image of one item of a Jellyfin or Emby server."""

    def __init__(self, server: MediaServer, item_id: str) -> None:
        self.server, self.item_id = server, item_id
        self.label = server.name
        self.server_path = ""  # where the server reads the poster, once looked at
        self._client: MediaServerClient | None = None

    def look(self) -> Seen | None:
        poster = self._call(lambda c: primary_image(c.http, self.item_id, max_bytes=_MAX))
        if poster is None:
            return None
        self.server_path = poster.path
        return Seen(self.label, poster.data, len(poster.data), 0, 1)

    def local_path(self) -> str:
        """Where the server reads the poster, as Taggarr sees it ("" when not said)."""
        if not self.server_path:
            return ""
        return posixpath.normpath(PathMapper(self.server.path_mappings).to_local(self.server_path))

    def replace(self, data: bytes, *, expected: str) -> None:
        before = self.look()
        if before is None or before.digest != expected:
            raise PosterFileRefused(refusals.CHANGED)
        kind = media_type_of(data)
        self._call(lambda c: set_primary_image(c.http, self.item_id, data, kind, max_bytes=_MAX))
        after = self.look()
        if after is None or after.digest != sha256(data):
            why = "the poster read back from the server differs"
            raise PosterFileRefused(refusals.WRITE_FAILED, why)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _call(self, call: Callable[[JellyfinClient], T]) -> T:
        """``call`` with the client, its transient failures retried; every failure as
        the refusal that says it."""
        name = self.server.name
        try:
            if self._client is None:
                self._client = server_client(self.server)
            client = self._client
            if not isinstance(client, JellyfinClient):
                raise MediaServerError(f"{name}: no image API Taggarr writes to")
            policy = server_retry_policy()
            return retried(lambda: call(client), policy, f"media server {name}")
        except ItemGone:
            raise PosterFileRefused(refusals.GONE) from None
        except TRANSIENT_ERRORS:
            raise PosterFileRefused(refusals.SERVER_UNANSWERED, server=name) from None
        except (MediaServerError, ConfigError) as exc:
            said = getattr(exc, "said", None) or str(exc)
            raise PosterFileRefused(
                refusals.SERVER_FAILED, server=name, said=json.dumps(to_data(said))
            ) from None


_MAX = COVER_MAX_BYTES

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
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from scanner.arr.covers import COVER_MAX_BYTES
from scanner.arr.paths import PathMapper
from scanner.badges import poster_file, refusals
from scanner.badges.poster_file import PosterFileRefused, Seen, sha256
from scanner.errors import ConfigError
from scanner.http.reasons import to_data
from scanner.media_servers.clients.base import (
    TRANSIENT_ERRORS,
    ItemGone,
    MediaServerError,
)
from scanner.media_servers.clients.jellyfin_images import ServerPoster
from scanner.media_servers.connect import server_client
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.models import BadgeChange, MediaServer
from scanner.runtime.hold import call_within_hold

__all__ = ["FOLDER", "FolderPlace", "Place", "ServerPlace", "Target"]

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

    def tidy(self) -> None:
        """Remove what a write cut short left beside the poster (its new file)."""
        if self.path is not None:
            folder, name = os.path.split(self.path)
            call_within_hold(lambda: poster_file.forget_cut_short(folder, name), self.path)


class PosterClient(Protocol):
    """What a media-server client offers for an item's poster (Jellyfin's and Emby's
    primary image: clients/jellyfin_images.py; Plex's poster: clients/plex_posters.py)."""

    def poster(self, item_id: str, *, max_bytes: int) -> ServerPoster | None: ...

    def set_poster(self, item_id: str, data: bytes) -> None: ...

    def close(self) -> None: ...


class ServerPlace:
    """The poster of one item of a media server: Jellyfin's and Emby's primary image,
    Plex's selected poster. Plex locks a poster it is given (its field's lock, which
    keeps an agent's refresh from choosing another): ``unlock`` gives the field back as
    it was when Taggarr found it."""

    def __init__(self, server: MediaServer, item_id: str) -> None:
        self.server, self.item_id = server, item_id
        self.label = server.name
        self.server_path = ""  # where the server reads the poster, once looked at
        self._client: PosterClient | None = None

    def look(self) -> Seen | None:
        poster = self._call(lambda c: c.poster(self.item_id, max_bytes=_MAX))
        if poster is None:
            return None
        self.server_path = poster.path
        return Seen(self.label, poster.data, len(poster.data), 0, 1)

    def local_path(self) -> str:
        """Where the server reads the poster, as Taggarr sees it ("" when it is not a
        file: Plex's thumb, or not said)."""
        if not self.server_path.startswith("/") or self.server.kind == MediaServer.Kind.PLEX:
            return ""
        return posixpath.normpath(PathMapper(self.server.path_mappings).to_local(self.server_path))

    def locked(self) -> bool | None:
        """Plex: whether the item's poster is locked now; None on another server."""
        return self._call(lambda c: c.poster_locked(self.item_id) if _plex(c) else None)

    def unlock(self) -> None:
        """Plex: the item's poster field unlocked (an undo, where it was so)."""
        self._call(lambda c: c.unlock_poster(self.item_id) if _plex(c) else None)

    def replace(self, data: bytes, *, expected: str) -> None:
        before = self.look()
        if before is None or before.digest != expected:
            raise PosterFileRefused(refusals.CHANGED)
        self._call(lambda c: c.set_poster(self.item_id, data))
        after = self.look()
        if after is None or after.digest != sha256(data):
            why = "the poster read back from the server differs"
            raise PosterFileRefused(refusals.WRITE_FAILED, why)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _call(self, call: Callable[[Any], T]) -> T:
        """``call`` with the client, its transient failures retried; every failure as
        the refusal that says it."""
        name = self.server.name
        try:
            if self._client is None:
                self._client = cast(PosterClient, server_client(self.server))
            client = self._client
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


def _plex(client: object) -> bool:
    return hasattr(client, "unlock_poster")


_MAX = COVER_MAX_BYTES

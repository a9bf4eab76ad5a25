"""What every media-server client offers, as plain values, and its errors.

Jellyfin and Emby call them item *tags*, Plex calls them *labels*; here both are
``tags``. A client reads the server's series and movies once per write step
(``items``), then changes only the tags Taggarr manages on the matched ones
(``set_tags``), leaving the user's own tags untouched.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

ItemKind = Literal["series", "movie"]
ALL_KINDS: tuple[ItemKind, ...] = ("series", "movie")


class MediaServerError(Exception):
    """A media server could not do what was asked; the message is for people and
    never contains the token."""


class ServerAuthError(MediaServerError):
    """The server refused the token (HTTP 401/403)."""


class ServerUnreachable(MediaServerError):
    """No answer: DNS, refused connection, timeout, TLS, or a 5xx after retries."""


class ServerErrorStatus(ServerUnreachable):
    """A 5xx answer (after retries). Retried as a server that is down, but it did answer:
    a write of one item that gets it is that item's failure, not the server's."""


class LibraryNotFound(MediaServerError):
    """A library the connection names is not on the server."""


class ItemGone(MediaServerError):
    """The item was deleted between matching and writing (HTTP 404)."""


@dataclass(frozen=True)
class ServerLibrary:
    id: str
    name: str
    kind: ItemKind | None  # None for libraries of other content (music, photos)


@dataclass(frozen=True)
class ServerItem:
    id: str  # Jellyfin/Emby item Id, Plex ratingKey
    kind: ItemKind
    title: str
    path: str  # the series folder or the movie file/folder, as the server sees it
    provider_ids: dict[str, str] = field(default_factory=dict)  # keys: tvdb, tmdb, imdb
    tags: frozenset[str] = frozenset()
    library_id: str = ""


@dataclass(frozen=True)
class ServerInfo:
    name: str
    version: str
    libraries: tuple[ServerLibrary, ...]


class MediaServerClient(Protocol):
    """One connection. Not for concurrent use."""

    requests_made: int

    def info(self) -> ServerInfo:
        """Name, version and libraries; raises ServerAuthError / ServerUnreachable."""

    def items(
        self, library_ids: list[str] | None = None, kinds: Collection[ItemKind] = ALL_KINDS
    ) -> Iterator[ServerItem]:
        """Every series and movie of the given libraries (all when None), paged; only
        the ``kinds`` asked for (a Sonarr instance's step needs no movie)."""

    def set_tags(self, item: ServerItem, add: set[str], remove: set[str]) -> bool:
        """Add and remove tags on one item, keeping every other tag as it is; false when
        the server had them already. Raises ItemGone when the item no longer exists."""

    def refresh(self, item: ServerItem) -> None:
        """Ask the server to refresh the item's metadata (re-read its NFO)."""

    def close(self) -> None:
        """Release the connection pool."""

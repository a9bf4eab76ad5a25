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

from scanner.http.reasons import Said

ItemKind = Literal["series", "movie"]
ALL_KINDS: tuple[ItemKind, ...] = ("series", "movie")


def item_kind(value: str) -> ItemKind:
    """``value`` (a Media's kind) as an item kind; ValueError for another."""
    for kind in ALL_KINDS:
        if value == kind:
            return kind
    raise ValueError(f"{value!r} is neither a series nor a movie")


# Who failed: the server itself, or plex.tv, which a Plex client asks for the server's
# people and their tokens with the server's token (clients/plex_people.py).
Source = Literal["server", "plex.tv"]
AT_SERVER: Source = "server"
AT_PLEX_TV: Source = "plex.tv"


class MediaServerError(Exception):
    """A media server could not do what was asked; the message is for the log and the
    run's record, ``said`` the same fact for a person (scanner.http.reasons). Neither ever
    contains the token. ``source``: who failed, the server or plex.tv."""

    def __init__(
        self, message: str, *, said: Said | None = None, source: Source = AT_SERVER
    ) -> None:
        super().__init__(message)
        self.said = said
        self.source: Source = source


class ServerAuthError(MediaServerError):
    """The server refused the token (HTTP 401/403)."""


class ServerUnreachable(MediaServerError):
    """No answer: DNS, refused connection, timeout, TLS. Transient: the pipeline retries
    it (the clients send each request once)."""


class ServerErrorStatus(MediaServerError):
    """A 5xx answer: the server answered, so a write of one item that gets it is that
    item's failure, not the server's (Jellyfin answers 500 to a body it cannot read)."""

    def __init__(
        self, message: str, status: int, *, said: Said | None = None, source: Source = AT_SERVER
    ) -> None:
        super().__init__(message, said=said, source=source)
        self.status = status


class ServerBusy(ServerErrorStatus):
    """502, 503 or 504: a proxy whose server is down, or a server that is starting.
    Transient, like ServerUnreachable."""


TRANSIENT_STATUSES = frozenset({502, 503, 504})
# What the pipeline retries (scanner.media_servers.writes.retries) before it gives up on a
# server for the run.
TRANSIENT_ERRORS: tuple[type[MediaServerError], ...] = (ServerUnreachable, ServerBusy)


def status_error(
    message: str, status: int, said: Said | None = None, source: Source = AT_SERVER
) -> ServerErrorStatus:
    """The error of a 5xx answer: ServerBusy when it is transient."""
    kind = ServerBusy if status in TRANSIENT_STATUSES else ServerErrorStatus
    return kind(message, status, said=said, source=source)


class LibraryNotFound(MediaServerError):
    """A library the connection names is not on the server."""


class ItemGone(MediaServerError):
    """The item was deleted between matching and writing (HTTP 404)."""


@dataclass(frozen=True)
class ServerLibrary:
    id: str
    name: str
    kind: ItemKind | None  # None for libraries of other content (music, photos)
    locations: tuple[str, ...] = ()
    # What makes a write of its items expensive (None: the server does not say):
    nfo_saver: bool | None = None  # each save rewrites the item's NFO (Jellyfin/Emby)
    trickplay: bool | None = None  # trickplay images extracted (Jellyfin 10.9+)


@dataclass(frozen=True)
class ServerItem:
    id: str  # Jellyfin/Emby item Id, Plex ratingKey
    kind: ItemKind
    title: str
    path: str  # the series folder or the movie file/folder, as the server sees it
    provider_ids: dict[str, str] = field(default_factory=dict)  # keys: tvdb, tmdb, imdb
    tags: frozenset[str] = frozenset()
    library_id: str = ""
    # The id the server has but Taggarr cannot read as a TVDB, TMDb or IMDb id (a Plex
    # HAMA "anidb-123" or XBMCnfo guid): the item can match by folder only.
    unread_id: str = ""
    # Jellyfin 12's OriginalLanguage as listed (DtoService sends it whatever the Fields,
    # null when unset: ""); "" on every other server (jellyfin_original.py).
    original_language: str = ""


@dataclass(frozen=True)
class ServerSeason:
    """A season of a series, as the server lists it (Jellyfin's and Emby's Season items)."""

    id: str
    series_id: str
    number: int


@dataclass(frozen=True)
class ServerInfo:
    name: str
    version: str
    libraries: tuple[ServerLibrary, ...]
    product: str = ""  # "Jellyfin Server", "Emby Server", "Plex Media Server"
    auth: str = ""  # how the client sends the token
    # Jellyfin's EnableLegacyAuthorization (X-Emby-Token, api_key ...; 10.11+, off by
    # default from 12); None where the server has no such setting or does not say.
    legacy_auth: bool | None = None


AccountKind = Literal["plex-admin", "plex-home", "plex-managed", "plex-shared", "jellyfin", "emby"]


@dataclass(frozen=True)
class ServerAccount:
    """A person's account on a media server, as the server lists it (issue 70: a person
    of the household is linked to one per server). Plex: the plex.tv user id of the
    server's admin, a Plex Home member, a managed user or a friend the server is shared
    with; Jellyfin and Emby: the user's ``Id``."""

    id: str
    name: str  # as the server shows it
    kind: AccountKind


class MediaServerClient(Protocol):
    """One connection. Not for concurrent use."""

    @property
    def requests_made(self) -> int:
        """The requests it has sent so far."""

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

    def accounts(self) -> list[ServerAccount]:
        """The server's user accounts a person of the household can be linked to."""

    def close(self) -> None:
        """Release the connection pool."""

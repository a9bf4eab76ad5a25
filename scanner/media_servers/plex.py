"""The Plex client: Taggarr's tags are Plex item *labels*. Built on python-plexapi.

Requests per operation (``requests_made`` counts them all):

- the first call of a client connects: ``GET /`` (identity); the first that needs the
  sections (``info()``, ``items()``, a ``set_tags()`` that changes something: plexapi
  edits through the section) reads ``GET /library`` and ``GET /library/sections``
  once (plexapi caches them);
- ``info()``: 3 requests on a fresh client, none after;
- ``items()``: per series/movie library of N items, ``ceil(N / page_size)`` listing
  pages (``/library/sections/{id}/all?includeGuids=1``) plus as many bulk metadata
  requests (``/library/metadata/{key},{key},...``): the listing lacks a show's folder
  (Plex gives ``Location`` on metadata only), and the metadata has every label;
- ``set_tags()``: 1 ``GET /library/metadata/{key}`` (the labels *now*: an add resends
  the full list, so a stale list would drop labels the user added meanwhile) plus one
  ``PUT`` to add and one to remove, each only when something is to change;
- ``refresh()``: 1 ``PUT /library/metadata/{key}/refresh``.

Each request is sent once: the write step retries what is transient (no answer, 502,
503, 504: ServerUnreachable, ServerBusy). Ids come from the guids of every agent Plex
has (plex_guids.py).

Messages never contain the token: plexapi sends it as the ``X-Plex-Token`` header,
redirects are not followed (the header would go along to the new host), exceptions are
raised ``from None`` with a message of our own, and every message is scrubbed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.etree.ElementTree import ParseError

import requests
from plexapi.exceptions import BadRequest, NotFound, PlexApiException, Unauthorized
from plexapi.library import LibrarySection
from plexapi.server import PlexServer

from scanner.http.sessions import errno_reason, settle_environment
from scanner.media_servers.base import (
    ALL_KINDS,
    ItemGone,
    ItemKind,
    LibraryNotFound,
    MediaServerError,
    ServerAuthError,
    ServerInfo,
    ServerItem,
    ServerLibrary,
    ServerUnreachable,
    status_error,
)
from scanner.media_servers.plex_guids import provider_ids

__all__ = ["DEFAULT_PAGE_SIZE", "DEFAULT_TIMEOUT", "PlexClient", "provider_ids"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_PAGE_SIZE = 100
_KINDS: dict[str, ItemKind] = {"show": "series", "movie": "movie"}
# What the bulk metadata answer need not carry: cast, genres and the like. Media stays
# (a movie's file), and so do Guid, Label and Location.
_LEAN_METADATA = {
    "excludeElements": (
        "Genre,Country,Rating,Collection,Director,Writer,Role,Producer,Similar,Style,"
        "Mood,Format,Review,Extras,Related,OnDeck,Chapter,Marker"
    ),
    "excludeFields": "summary,tagline",
}


class _CountingSession(requests.Session):
    """Counts requests, remembers the last status, never follows a redirect."""

    def __init__(self) -> None:
        super().__init__()
        self.requests_made = 0
        self.last_status: int | None = None
        self.last_location = ""

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs["allow_redirects"] = False
        self.requests_made += 1
        self.last_status = None
        self.last_location = ""
        response = super().request(method, url, *args, **kwargs)
        self.last_status = response.status_code
        self.last_location = response.headers.get("Location", "")
        return response


class PlexClient:
    """One Plex server, by base URL and token. Not for concurrent use."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        self._url = url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._page_size = max(1, page_size)
        self._session = _CountingSession()
        settle_environment(self._session, self._url)
        self._plex: PlexServer | None = None
        self._display = _display_url(self._url)

    @property
    def requests_made(self) -> int:
        """Every HTTP request sent by this client."""
        return self._session.requests_made

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> PlexClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<PlexClient {self._display}>"

    # -- the protocol -------------------------------------------------------------

    def info(self) -> ServerInfo:
        server = self._server()
        libraries = tuple(
            ServerLibrary(
                id=str(section.key),
                name=section.title or "",
                kind=_KINDS.get(section.type),
                locations=tuple(section.locations or ()),
            )
            for section in self._sections()
        )
        return ServerInfo(
            name=server.friendlyName or "",
            version=server.version or "",
            libraries=libraries,
            product="Plex Media Server",
            auth="the X-Plex-Token header",
        )

    def items(
        self, library_ids: list[str] | None = None, kinds: Collection[ItemKind] = ALL_KINDS
    ) -> Iterator[ServerItem]:
        """Every show and movie of the given libraries (all when None) whose kind is
        asked for; a library of other content (music, photos) yields nothing. Raises
        LibraryNotFound before yielding anything when an id is not on the server."""
        sections = self._sections()
        by_id = {str(section.key): section for section in sections}
        if library_ids is None:
            wanted = list(sections)
        else:
            missing = [str(key) for key in library_ids if str(key) not in by_id]
            if missing:
                known = ", ".join(f"{key} ({s.title})" for key, s in by_id.items()) or "none"
                raise LibraryNotFound(
                    self._say(f"no library with id {', '.join(missing)}; it has {known}")
                )
            wanted = [by_id[str(key)] for key in library_ids]
        for section in wanted:
            if _KINDS.get(section.type) in kinds:
                yield from self._section_items(section)

    def set_tags(self, item: ServerItem, add: set[str], remove: set[str]) -> bool:
        """Add and remove labels, case-insensitively as Plex matches them, leaving every
        other label as it is; false when the item had them already. Raises ItemGone when
        the item no longer exists."""
        add = {tag for tag in add if tag}
        added = {tag.casefold() for tag in add}
        remove = {tag for tag in remove if tag and tag.casefold() not in added}
        if not add and not remove:
            return False
        server = self._server()
        doing = f"reading the labels of {item.title!r} ({item.id})"
        with self._errors(doing, not_found=ItemGone):
            current = server.fetchItem(_rating_key(item))
        current._autoReload = False  # what we read is in the answer; never reload
        labels = {label.tag.casefold(): label.tag for label in current.labels if label.tag}
        to_add = sorted(tag for tag in add if tag.casefold() not in labels)
        to_remove = sorted(labels[tag.casefold()] for tag in remove if tag.casefold() in labels)
        doing = f"changing the labels of {item.title!r} ({item.id})"
        with self._errors(doing, not_found=ItemGone):
            if to_add:  # plexapi sends the current labels along: Plex replaces the list
                current.addLabel(to_add)
            if to_remove:
                current.removeLabel(to_remove)
        return bool(to_add or to_remove)

    def refresh(self, item: ServerItem) -> None:
        server = self._server()
        doing = f"refreshing {item.title!r} ({item.id})"
        with self._errors(doing, not_found=ItemGone):
            server.query(f"/library/metadata/{_rating_key(item)}/refresh", method=self._session.put)

    # -- plexapi ------------------------------------------------------------------

    def _server(self) -> PlexServer:
        if self._plex is None:
            with self._errors("connecting"):
                server = PlexServer(
                    self._url, self._token, session=self._session, timeout=self._timeout
                )
            if not getattr(server, "machineIdentifier", None):  # every Plex says it
                raise MediaServerError(
                    self._say("answered without a server identity; is this Plex?")
                )
            self._plex = server
        return self._plex

    def _sections(self) -> list[LibrarySection]:
        server = self._server()
        with self._errors("listing the libraries"):
            return server.library.sections()

    def _section_items(self, section: LibrarySection) -> Iterator[ServerItem]:
        kind = _KINDS[section.type]
        doing = f"listing library {section.title!r} ({section.key})"
        with self._errors(doing, not_found=LibraryNotFound):
            listed = section.all(container_size=self._page_size, includeGuids=True)
        server = self._server()
        for start in range(0, len(listed), self._page_size):
            batch = listed[start : start + self._page_size]
            keys = [obj.ratingKey for obj in batch]
            with self._errors(f"reading items of library {section.title!r} ({section.key})"):
                try:
                    details = server.fetchItems(
                        keys, container_size=self._page_size, params=_LEAN_METADATA
                    )
                except NotFound:  # all of this batch deleted since the listing
                    details = []
            by_key = {obj.ratingKey: obj for obj in details}
            for key in keys:
                detail = by_key.get(key)
                if detail is not None:  # None: deleted since the listing
                    yield self._server_item(detail, kind, str(section.key))

    @staticmethod
    def _server_item(obj: Any, kind: ItemKind, library_id: str) -> ServerItem:
        # Fields missing from an answer would make plexapi fetch the item again, one
        # request per item: everything read here came with the bulk answer.
        obj._autoReload = False
        locations = obj.locations or [""]
        ids, unread = provider_ids([guid.id for guid in obj.guids], obj.guid)
        return ServerItem(
            id=str(obj.ratingKey),
            kind=kind,
            title=obj.title or "",
            path=locations[0] or "",
            provider_ids=ids,
            tags=frozenset(label.tag for label in obj.labels if label.tag),
            library_id=library_id,
            unread_id=unread,
        )

    # -- errors -------------------------------------------------------------------

    @contextmanager
    def _errors(
        self, doing: str, *, not_found: type[MediaServerError] = MediaServerError
    ) -> Iterator[None]:
        """plexapi's and requests' failures as MediaServerErrors with our own messages
        ("from None": theirs quote URLs and answers)."""
        try:
            yield
        except MediaServerError:
            raise
        except Unauthorized:
            raise ServerAuthError(self._say(f"rejected the token (401) while {doing}")) from None
        except NotFound:
            status = " (404)" if self._session.last_status == 404 else ""
            raise not_found(self._say(f"not found{status} while {doing}")) from None
        except requests.Timeout:
            raise ServerUnreachable(
                self._say(f"no answer within {self._timeout:g} s while {doing}")
            ) from None
        except requests.ConnectionError as exc:
            raise ServerUnreachable(
                self._say(f"could not connect while {doing}: {_reason(exc)}")
            ) from None
        except requests.RequestException as exc:
            raise MediaServerError(self._say(f"{doing} failed: {_reason(exc)}")) from None
        except OSError as exc:  # a CA bundle that is not there: requests raises it bare
            raise MediaServerError(self._say(f"{doing} failed: {exc}")) from None
        except ParseError:
            raise MediaServerError(
                self._say(f"answered {doing} with something that is not Plex XML; is this Plex?")
            ) from None
        except (BadRequest, PlexApiException, AttributeError, TypeError) as exc:
            # plexapi raises BadRequest for any other status (TypeError for a status
            # requests has no name for) and stumbles on an answer that is not Plex's
            # (AttributeError, TypeError); the session saw which.
            status = self._session.last_status
            if status in (None, 200, 201, 204):
                if isinstance(exc, PlexApiException):
                    raise MediaServerError(self._say(f"{doing} failed: {exc}")) from None
                raise MediaServerError(
                    self._say(f"could not read the answer while {doing}; is this Plex?")
                ) from None
            raise self._status_error(status, doing) from None

    def _status_error(self, status: int | None, doing: str) -> MediaServerError:
        if status in (401, 403):
            return ServerAuthError(self._say(f"rejected the token ({status}) while {doing}"))
        if status is not None and 300 <= status < 400:
            where = _display_url(self._session.last_location) or "?"
            return MediaServerError(
                self._say(f"redirected ({status}) to {where} while {doing}; use that URL")
            )
        if status is not None and status >= 500:
            return status_error(self._say(f"answered {status} while {doing}"), status)
        return MediaServerError(self._say(f"answered {status} while {doing}"))

    def _say(self, text: str) -> str:
        """Belt and braces: no message we build may ever contain the token."""
        message = f"Plex at {self._display}: {text}"
        return message.replace(self._token, "<token>") if self._token else message


def _rating_key(item: ServerItem) -> int:
    try:
        return int(item.id)
    except ValueError:
        raise ItemGone(f"Plex has no item {item.id!r}: its ids are numbers") from None


def _display_url(url: str) -> str:
    """The URL without credentials, query or fragment (a token may hide in either)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port:
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _reason(exc: BaseException) -> str:
    """``Connection refused`` out of urllib3's nested messages, else the error's kind
    (those messages quote URLs)."""
    return errno_reason(exc) or type(exc).__name__

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

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from plexapi.exceptions import NotFound
from plexapi.library import LibrarySection
from plexapi.server import PlexServer

from scanner import outside_text
from scanner.http.bounds import DEFAULT_DEADLINE_SECONDS, DEFAULT_PAGE_MB, MB
from scanner.http.reasons import Code, Said
from scanner.http.sessions import settle_environment
from scanner.media_servers.clients import plex_posters
from scanner.media_servers.clients.base import (
    ALL_KINDS,
    ItemGone,
    ItemKind,
    LibraryNotFound,
    MediaServerError,
    ServerAccount,
    ServerInfo,
    ServerItem,
    ServerLibrary,
)
from scanner.media_servers.clients.plex_errors import (
    DEFAULT_TIMEOUT,
    PLEX_TV,
    CountingSession,
    PlexErrors,
)
from scanner.media_servers.clients.plex_guids import provider_ids
from scanner.media_servers.clients.plex_parts import episode_files, read_parts, select_streams
from scanner.media_servers.clients.plex_people import PlexPeople
from scanner.media_servers.clients.plex_posters import ServerPoster
from scanner.media_servers.clients.plex_streams import PlexPart

__all__ = ["DEFAULT_PAGE_SIZE", "DEFAULT_TIMEOUT", "PlexClient", "provider_ids"]

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


class PlexClient:
    """One Plex server, by base URL and token. Not for concurrent use."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_answer_mb: int = DEFAULT_PAGE_MB,
        deadline: float = DEFAULT_DEADLINE_SECONDS,
        plex_tv_url: str = PLEX_TV,
    ) -> None:
        self._url = url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._page_size = max(1, page_size)
        self._session = CountingSession(max_answer_mb * MB, deadline, plex_tv_url)
        settle_environment(self._session, self._url)
        self._plex: PlexServer | None = None
        self._errors = PlexErrors(self._session, self._url, token, timeout)
        # plex.tv gets a session of its own: its proxy, CA bundle and ~/.netrc entry are
        # plex.tv's, never the server's.
        self._tv_session = CountingSession(max_answer_mb * MB, deadline, plex_tv_url)
        settle_environment(self._tv_session, plex_tv_url)
        tv_errors = PlexErrors(self._tv_session, plex_tv_url, token, timeout, plex_tv=True)
        self._people = PlexPeople(self._tv_session, token, timeout, tv_errors)

    @property
    def batch_size(self) -> int:
        """The most items one listing page or one read of metadata asks for."""
        return self._page_size

    @property
    def requests_made(self) -> int:
        """Every HTTP request sent by this client (to the server and to plex.tv)."""
        return self._session.requests_made + self._tv_session.requests_made

    # -- each person's streams (issue 70; plex_people.py, plex_parts.py) -------------

    def accounts(self) -> list[ServerAccount]:
        """The admin, the Plex Home members, the managed users and the friends this
        server is shared with, from plex.tv (2 requests on a fresh client, plus the
        server's identity)."""
        return self._people.accounts(self._server().machineIdentifier)

    def account_token(self, account: ServerAccount, *, pin: str = "") -> str:
        """The token ``account`` reads this server with, as plex.tv hands it to the
        admin (1 request for every shared account, then 1 switch per home member the
        server is not shared with). A secret: scrubbed from this client's messages.
        Raises plex_people.AccountTokenUnavailable (``reason``) when there is none."""
        token = self._people.token(account, self._server().machineIdentifier, pin)
        self._errors.hide(token)
        return token

    def episode_files(self, show_id: str) -> dict[str, str]:
        """file -> episode id, for every episode of the show (1 request)."""
        return episode_files(self._server(), self._errors, show_id)

    def parts(self, item_ids: Sequence[str], *, token: str | None = None) -> list[PlexPart]:
        """The parts (files) of these movies and episodes and their streams as the
        account of ``token`` sees them (None: the admin); ``selected`` is that
        account's. ``ceil(len(item_ids) / page_size)`` requests (more only when the ids
        pass plex_parts.MAX_IDS_CHARS characters a request)."""
        return read_parts(self._server(), self._errors, item_ids, token, self._page_size)

    def select_streams(
        self,
        part_id: int,
        *,
        token: str | None,
        audio: int | None = None,
        subtitle: int | None = None,
    ) -> None:
        """Set the account's audio and/or subtitle stream of a part (None: leave it;
        plex_streams.SUBTITLES_OFF: none) in one PUT, ``allParts=1``; none sent when
        both are None. Raises ItemGone when the part is gone."""
        if token:
            self._errors.hide(token)
        select_streams(
            self._server(),
            self._session,
            self._errors,
            part_id,
            token=token,
            audio=audio,
            subtitle=subtitle,
        )

    # -- posters (issue 95, the dub badges; plex_posters.py) ------------------------

    def poster(self, rating_key: str, *, max_bytes: int) -> ServerPoster | None:
        """The item's selected poster (``path``: its thumb path), None when it has none
        (2 requests, 1 without). Raises ItemGone when the item is gone,
        MediaServerError for a poster larger than ``max_bytes`` (never read whole)."""
        return plex_posters.read_poster(
            self._server(),
            self._session,
            self._errors,
            rating_key,
            base_url=self._url,
            timeout=self._timeout,
            max_bytes=max_bytes,
        )

    def poster_locked(self, rating_key: str) -> bool:
        """Whether the item's poster field is locked (1 request)."""
        return plex_posters.poster_locked(self._server(), self._errors, rating_key)

    def set_poster(self, rating_key: str, data: bytes) -> None:
        """Upload ``data`` as the item's poster, which Plex selects and locks (1
        request). Raises ItemGone when the item is gone."""
        plex_posters.upload_poster(self._server(), self._session, self._errors, rating_key, data)

    def unlock_poster(self, rating_key: str) -> None:
        """Unlock the item's poster field (2 requests, and the libraries once)."""
        plex_posters.unlock_poster(self._server(), self._errors, rating_key)

    def close(self) -> None:
        self._session.close()
        self._tv_session.close()

    def __enter__(self) -> PlexClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<PlexClient {self._errors.display}>"

    # -- the protocol -------------------------------------------------------------

    def info(self) -> ServerInfo:
        server = self._server()
        libraries = tuple(
            ServerLibrary(
                id=str(section.key),
                name=outside_text.line(section.title or ""),
                kind=_KINDS.get(section.type),
                locations=tuple(map(outside_text.path, section.locations or ())),
            )
            for section in self._sections()
        )
        return ServerInfo(
            name=server.friendlyName or "",
            version=server.version or "",
            libraries=libraries,
            product="Plex Media Server",
            auth=Said("the X-Plex-Token header", Code.AUTH_PLEX),
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
                    self._errors.say(f"no library with id {', '.join(missing)}; it has {known}")
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
        with self._errors.handling(doing, not_found=ItemGone):
            current = server.fetchItem(_rating_key(item))
        current._autoReload = False  # what we read is in the answer; never reload
        labels = {label.tag.casefold(): label.tag for label in current.labels if label.tag}
        to_add = sorted(tag for tag in add if tag.casefold() not in labels)
        to_remove = sorted(labels[tag.casefold()] for tag in remove if tag.casefold() in labels)
        doing = f"changing the labels of {item.title!r} ({item.id})"
        with self._errors.handling(doing, not_found=ItemGone):
            if to_add:  # plexapi sends the current labels along: Plex replaces the list
                current.addLabel(to_add)
            if to_remove:
                current.removeLabel(to_remove)
        return bool(to_add or to_remove)

    def refresh(self, item: ServerItem) -> None:
        server = self._server()
        doing = f"refreshing {item.title!r} ({item.id})"
        with self._errors.handling(doing, not_found=ItemGone):
            server.query(f"/library/metadata/{_rating_key(item)}/refresh", method=self._session.put)

    # -- plexapi ------------------------------------------------------------------

    def _server(self) -> PlexServer:
        if self._plex is None:
            with self._errors.handling("connecting"):
                server = PlexServer(
                    self._url, self._token, session=self._session, timeout=self._timeout
                )
            if not getattr(server, "machineIdentifier", None):  # every Plex says it
                raise MediaServerError(
                    self._errors.say("answered without a server identity; is this Plex?")
                )
            self._plex = server
        return self._plex

    def _sections(self) -> list[LibrarySection]:
        server = self._server()
        with self._errors.handling("listing the libraries"):
            sections: list[LibrarySection] = server.library.sections()
            return sections

    def _section_items(self, section: LibrarySection) -> Iterator[ServerItem]:
        kind = _KINDS[section.type]
        doing = f"listing library {section.title!r} ({section.key})"
        with self._errors.handling(doing, not_found=LibraryNotFound):
            listed = section.all(container_size=self._page_size, includeGuids=True)
        server = self._server()
        for start in range(0, len(listed), self._page_size):
            batch = listed[start : start + self._page_size]
            keys = [obj.ratingKey for obj in batch]
            reading = f"reading items of library {section.title!r} ({section.key})"
            with self._errors.handling(reading):
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
            title=outside_text.line(obj.title or ""),
            path=outside_text.path(locations[0] or ""),
            provider_ids=ids,
            tags=frozenset(outside_text.line(label.tag) for label in obj.labels if label.tag),
            library_id=library_id,
            unread_id=unread,
        )


def _rating_key(item: ServerItem) -> int:
    try:
        return int(item.id)
    except ValueError:
        raise ItemGone(f"Plex has no item {item.id!r}: its ids are numbers") from None

"""What the fake Plex holds: its identity, token, library sections, items with their
guids and labels, and counters of the requests it received. Thread-safe: the HTTP
server answers on many threads.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from fakes.plex.posters import FakePoster, PosterStore, PosterUpload
from fakes.plex.sharing import PlexUser, filter_string, passes
from fakes.plex.streams import StreamStore

SectionType = Literal["show", "movie", "artist", "photo"]
# The releases the fake plays (see the package's docstring): one, so that it never
# reports a release whose behaviour it does not have.
PLEX_VERSION = "1.41.3.9314-a0bfb8370"
PLEX_RELEASES = (PLEX_VERSION,)

__all__ = [
    "PLEX_RELEASES",
    "PLEX_VERSION",
    "FakePlexState",
    "Override",
    "PlexEdit",
    "PlexEpisode",
    "PlexItem",
    "PlexSection",
    "SectionType",
]


@dataclass(frozen=True)
class PlexSection:
    key: str
    title: str
    type: SectionType
    locations: tuple[str, ...] = ()
    agent: str = ""  # "": the new agent of its type (agents.NEW_AGENTS)


@dataclass(frozen=True)
class PlexItem:
    """A show (``path`` is its folder) or a movie (``path`` is its file)."""

    rating_key: int
    section_key: str
    title: str
    path: str
    guids: tuple[str, ...] = ()  # "tvdb://123", "tmdb://45", "imdb://tt67"
    labels: tuple[str, ...] = ()
    year: int | None = None
    # The item guid of a legacy agent ("com.plexapp.agents.thetvdb://81189?lang=en");
    # such items have no Guid elements. None: a "plex://" guid.
    agent_guid: str | None = None


@dataclass(frozen=True)
class PlexEpisode:
    """An episode of a show (``show_key``: the show's rating key)."""

    rating_key: int
    show_key: int
    season: int
    index: int
    title: str


@dataclass(frozen=True)
class Override:
    """What the fake answers instead of serving the request."""

    status: int
    body: bytes = b""
    content_type: str = "text/html"
    location: str | None = None  # a redirect's Location


@dataclass(frozen=True)
class PlexEdit:
    """One label edit (PUT /library/sections/{id}/all) as the server understood it."""

    section_key: str
    ids: tuple[int, ...]
    type: str
    set_to: tuple[str, ...] | None  # label[0..n].tag.tag: the new full list
    removed: tuple[str, ...]  # label[].tag.tag-
    locked: str | None  # label.locked
    thumb_locked: str | None = None  # thumb.locked (lockPoster / unlockPoster)


@dataclass
class _Store:
    sections: dict[str, PlexSection] = field(default_factory=dict)
    items: dict[int, PlexItem] = field(default_factory=dict)
    episodes: dict[int, PlexEpisode] = field(default_factory=dict)
    users: dict[str, PlexUser] = field(default_factory=dict)  # token -> user
    edits: list[PlexEdit] = field(default_factory=list)
    refreshed: list[int] = field(default_factory=list)
    pages: list[tuple[str, int, int]] = field(default_factory=list)
    # (account, rating keys) of every ``/library/metadata/{ids}`` asked (record_metadata)
    metadata: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)


class FakePlexState:
    def __init__(
        self,
        *,
        token: str,
        name: str = "Fake Plex",
        machine_identifier: str = "f4k3p13x0000000000000000000000000000000",
        version: str = PLEX_VERSION,
    ) -> None:
        if version not in PLEX_RELEASES:
            raise ValueError(f"the fake Plex plays {', '.join(PLEX_RELEASES)}, not {version!r}")
        self._lock = threading.RLock()
        self.token = token
        self.name = name
        self.version = version
        self.machine_identifier = machine_identifier
        self._store = _Store()
        self._counters: Counter[tuple[str, str]] = Counter()
        self._by_account: Counter[tuple[str, str, str]] = Counter()
        self._next_key = 100
        self._override: Override | None = None
        self._override_left: int | None = None
        # Requests held back (stall_route): their route, how many more, how many so far.
        self._stalling = threading.Condition()
        self._stalled_route: tuple[str, str] | None = None
        self._stalls_left: int | None = None
        self._stalled = 0
        self._stalls_released = threading.Event()
        self.stall_s = 120.0  # the longest a request is held back
        # Parts, streams and each account's selected ones (streams.py).
        self.streams = StreamStore()
        # Each item's posters, the selected one and the thumb's lock (posters.py).
        self.poster_store = PosterStore(token)

    # -- knobs and counters -----------------------------------------------------

    def fail_with(self, status: int | None, times: int | None = None) -> None:
        """Answer the next ``times`` requests (all when None) with ``status``, e.g. 503;
        ``None`` ends it."""
        self.answer_with(None if status is None else Override(status), times)

    def answer_with(self, override: Override | None, times: int | None = None) -> None:
        """Answer the next ``times`` authorised requests (all when None) with
        ``override`` (a redirect, a body that is not Plex's); ``None`` ends it."""
        with self._lock:
            self._override = override
            self._override_left = times

    def take_override(self) -> Override | None:
        """The override for this request, if any (counts one of its ``times``)."""
        with self._lock:
            override = self._override
            if override is not None and self._override_left is not None:
                self._override_left -= 1
                if self._override_left <= 0:
                    self._override = None
            return override

    def stall_route(self, method: str, route: str, times: int | None = None) -> None:
        """Hold back the next ``times`` authorised requests (all when None) of one route
        template, e.g. ("PUT", "/library/parts/{id}"), before they are served, until
        release_stalls() (FakePlex.stop() calls it) or ``stall_s`` passes: a server that
        hangs while a client waits."""
        with self._stalling:
            self._stalled_route, self._stalls_left = (method, route), times
        self._stalls_released.clear()

    def stall(self, method: str, route: str) -> None:
        """Hold this request back if its route is stalled (the handler calls it)."""
        with self._stalling:
            if self._stalled_route != (method, route) or self._stalls_left == 0:
                return
            if self._stalls_left is not None:
                self._stalls_left -= 1
            self._stalled += 1
            self._stalling.notify_all()
        self._stalls_released.wait(self.stall_s)

    def wait_stalled(self, count: int, timeout: float) -> bool:
        """Block until ``count`` requests have been held back; false after ``timeout``."""
        with self._stalling:
            return self._stalling.wait_for(lambda: self._stalled >= count, timeout)

    def release_stalls(self) -> None:
        """Every request held back is served, and no other is held back."""
        with self._stalling:
            self._stalled_route = None
        self._stalls_released.set()

    def count(self, method: str, route: str) -> None:
        with self._lock:
            self._counters[(method, route)] += 1

    def counters(self) -> dict[tuple[str, str], int]:
        """Requests received per (method, route template), e.g.
        ("GET", "/library/sections/{id}/all")."""
        with self._lock:
            return dict(self._counters)

    def count_as(self, method: str, route: str, account: str) -> None:
        with self._lock:
            self._by_account[(method, route, account)] += 1

    def counters_by_account(self) -> dict[tuple[str, str, str], int]:
        """Requests received per (method, route template, account): "owner" for the
        server's token, a user's account id for theirs, "?" for no known token."""
        with self._lock:
            return dict(self._by_account)

    def total_requests(self) -> int:
        with self._lock:
            return sum(self._counters.values())

    def reset_counters(self) -> None:
        with self._lock:
            self._counters.clear()
            self._by_account.clear()
            self._store.pages.clear()
            self._store.metadata.clear()

    def record_page(self, route: str, start: int, size: int) -> None:
        with self._lock:
            self._store.pages.append((route, start, size))

    def pages(self) -> list[tuple[str, int, int]]:
        """(route, X-Plex-Container-Start, X-Plex-Container-Size) of every paged GET."""
        with self._lock:
            return list(self._store.pages)

    def record_metadata(self, account: str, keys: tuple[int, ...]) -> None:
        with self._lock:
            self._store.metadata.append((account, keys))

    def metadata_asked(self) -> list[tuple[str, tuple[int, ...]]]:
        """(account, rating keys) of every ``/library/metadata/{ids}`` asked since the
        counters were reset, in order: "owner" for the server's token, a user's account
        id for theirs, "?" for no known token."""
        with self._lock:
            return list(self._store.metadata)

    # -- library ----------------------------------------------------------------

    def add_section(
        self,
        key: str,
        title: str,
        type: SectionType,
        locations: Iterable[str] = (),
        agent: str = "",
    ) -> PlexSection:
        """A library section; ``agent``: a legacy agent (agents.py), else the new one."""
        section = PlexSection(
            key=str(key), title=title, type=type, locations=tuple(locations), agent=agent
        )
        with self._lock:
            self._store.sections[section.key] = section
        return section

    def sections(self) -> list[PlexSection]:
        with self._lock:
            return list(self._store.sections.values())

    def section(self, key: str) -> PlexSection | None:
        with self._lock:
            return self._store.sections.get(key)

    def add_item(
        self,
        section_key: str,
        title: str,
        path: str,
        *,
        guids: Iterable[str] = (),
        labels: Iterable[str] = (),
        year: int | None = None,
        rating_key: int | None = None,
        agent_guid: str | None = None,
    ) -> PlexItem:
        with self._lock:
            if str(section_key) not in self._store.sections:
                raise KeyError(f"no section {section_key}")
            if rating_key is None:
                self._next_key += 1
                rating_key = self._next_key
            item = PlexItem(
                rating_key=rating_key,
                section_key=str(section_key),
                title=title,
                path=path,
                guids=tuple(guids),
                labels=tuple(labels),
                year=year,
                agent_guid=agent_guid,
            )
            self._store.items[rating_key] = item
            return item

    def items(self, section_key: str | None = None) -> list[PlexItem]:
        with self._lock:
            return [
                item
                for item in self._store.items.values()
                if section_key is None or item.section_key == section_key
            ]

    def item(self, rating_key: int) -> PlexItem | None:
        with self._lock:
            return self._store.items.get(rating_key)

    def add_episode(self, show_key: int, season: int, index: int) -> PlexEpisode:
        with self._lock:
            show = self._store.items[show_key]
            self._next_key += 1
            episode = PlexEpisode(
                self._next_key, show_key, season, index, f"{show.title} S{season:02d}E{index:02d}"
            )
            self._store.episodes[episode.rating_key] = episode
            return episode

    def entry(self, rating_key: int) -> PlexItem | PlexEpisode | None:
        """The show, movie or episode of that rating key."""
        with self._lock:
            return self._store.items.get(rating_key) or self._store.episodes.get(rating_key)

    def episode(self, rating_key: int) -> PlexEpisode | None:
        with self._lock:
            return self._store.episodes.get(rating_key)

    def episodes(self, show_key: int) -> list[PlexEpisode]:
        with self._lock:
            found = [e for e in self._store.episodes.values() if e.show_key == show_key]
        return sorted(found, key=lambda e: (e.season, e.index))

    # -- users ------------------------------------------------------------------

    def add_user(
        self,
        title: str,
        token: str,
        *,
        filter_movies: dict[str, list[str]] | None = None,
        filter_television: dict[str, list[str]] | None = None,
        account_id: int = 0,
    ) -> PlexUser:
        """A managed user (or friend) whose token reads this server, with the share
        filters python-plexapi's ``updateFriend`` takes (sharing.py); ``account_id``:
        the plex.tv account the token is of (plex_tv.py)."""
        user = PlexUser(
            title,
            token,
            filter_string(filter_movies or {}),
            filter_string(filter_television or {}),
            account_id,
        )
        with self._lock:
            self._store.users[token] = user
        return user

    def user(self, token: str | None) -> PlexUser | None:
        with self._lock:
            return self._store.users.get(token or "")

    def account(self, token: str | None) -> str | None:
        """Whose selections ``token`` reads: "owner", a user's account, None: unknown."""
        if token is not None and token == self.token:
            return "owner"
        user = self.user(token)
        return user.account if user is not None else None

    def gets(self, user: PlexUser | None, item: PlexItem) -> bool:
        """Whether ``user`` (None: the owner) gets the show or movie (sharing.py)."""
        section = self.section(item.section_key)
        if user is None or section is None:
            return True
        return passes(user.filter_for(section.type), item.labels)

    def delete_item(self, rating_key: int) -> None:
        with self._lock:
            self._store.items.pop(rating_key, None)

    def labels(self, rating_key: int) -> list[str]:
        with self._lock:
            return list(self._store.items[rating_key].labels)

    def set_labels(self, rating_key: int, labels: Iterable[str]) -> None:
        """As a user would, in Plex's own UI."""
        with self._lock:
            item = self._store.items[rating_key]
            self._store.items[rating_key] = replace(item, labels=tuple(labels))

    # -- posters (posters.py) ----------------------------------------------------

    def add_poster(
        self, rating_key: int, data: bytes, provider: str = "local", selected: bool = True
    ) -> FakePoster:
        """A poster the show or movie has from its folder (``"local"``) or an agent
        (``provider``: the agent's identifier), selected unless ``selected`` is false."""
        if self.item(rating_key) is None:
            raise KeyError(f"no item {rating_key}")
        return self.poster_store.add(rating_key, data, provider, selected)

    def poster(self, rating_key: int) -> bytes | None:
        """The selected poster's bytes; None when the item has none."""
        found = self.poster_store.selected(rating_key)
        return found.data if found is not None else None

    def posters(self, rating_key: int) -> list[FakePoster]:
        """The item's posters as Plex lists them (newest first)."""
        return self.poster_store.posters(rating_key)

    def poster_uploads(self) -> list[PosterUpload]:
        """Every upload taken (``POST .../posters``), in order."""
        return self.poster_store.uploads()

    # -- writes -----------------------------------------------------------------

    def apply_edit(self, edit: PlexEdit) -> None:
        """Replace the labels when a full list came (label[n].tag.tag), then remove
        those named in label[].tag.tag- (case-insensitively, as Plex matches tags)."""
        with self._lock:
            self._store.edits.append(edit)
            gone = {label.casefold() for label in edit.removed}
            for rating_key in edit.ids:
                item = self._store.items[rating_key]
                labels = list(item.labels) if edit.set_to is None else _unique(edit.set_to)
                labels = [label for label in labels if label.casefold() not in gone]
                self._store.items[rating_key] = replace(item, labels=tuple(labels))

    def edits(self) -> list[PlexEdit]:
        with self._lock:
            return list(self._store.edits)

    def record_refresh(self, rating_key: int) -> None:
        with self._lock:
            self._store.refreshed.append(rating_key)

    def refreshed(self) -> list[int]:
        with self._lock:
            return list(self._store.refreshed)


def _unique(labels: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for label in labels:
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            result.append(label)
    return result

"""A fake plex.tv for the admin's token: the account, its users, and the tokens plex.tv
hands the admin for them. Serves on its own URL (``FakePlexTv(fake_plex.state).url``);
a client points plex.tv's ``https://plex.tv`` there. Standard library only.

Written from what python-plexapi 4.18 sends and reads (``plexapi/myplex.py``):

- ``MyPlexAccount(token=...)`` reads ``GET /api/v2/user`` (``_loadData``: ``id``,
  ``uuid``, ``username``, ``title``, ``email``, ``authToken``, ``scrobbleTypes``, a
  ``subscription`` and a ``profile`` element);
- ``users()`` reads ``GET /api/users/`` (``MyPlexUser.key``): one ``User`` per Plex Home
  member (``home="1"``), managed user (``home="1" restricted="1"``, no username nor
  email) and friend (``home="0"``), each with a ``Server`` per server shared with it
  (``MyPlexServerShare``: ``machineIdentifier``, ``name``, ``numLibraries`` ...);
- ``MyPlexUser.get_token(machineIdentifier)`` reads
  ``GET /api/servers/{machineId}/shared_servers`` (``FRIENDINVITE``) and takes the
  ``accessToken`` of the ``SharedServer`` whose ``userID`` is the user's;
- ``switchHomeUser(user, pin)`` posts ``/api/home/users/{id}/switch`` (``pin`` as a
  query parameter) and reads ``authenticationToken`` from the answer.

plex.tv's rules of 2026 (``PlexTvState.withhold_friend_tokens``): from March 2026 plex.tv
hands the admin no server token for an invited friend (arabcoders/watchstate#793: "no
longer possible to generate auth tokens scoped to the server for invited users"; #794
kept home and managed users only, whose tokens come by ``switch``). The friend's
``SharedServer`` is still listed, without ``accessToken``: python-plexapi's
``MyPlexUser.get_token`` returns ``item.attrib.get('accessToken')``, None. WatchState
supported friends again from 2026-04-23 ("Plex appears to have backtracked"), so the
fake hands friends' tokens out unless told to withhold them. The friend's own token
still reads the server (only plex.tv no longer gives it to the admin).

Who appears in ``shared_servers``: friends and managed users the server is shared
with (``shared=True``, their default); a Plex Home member reaches the admin's server
through the home and gets a token by switching only (their default ``shared=False``).
What plex.tv answers to a wrong PIN is not documented: the fake answers 403 (plexapi
raises ``BadRequest`` for it). An unknown token is 401, as plexapi expects
(``query`` raises ``Unauthorized``).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Literal
from xml.etree.ElementTree import Element, SubElement

from fakes.http import FakeServer, Request, Response
from fakes.plex.media_container import error_answer, xml_answer
from fakes.plex.state import FakePlexState

__all__ = ["FakePlexTv", "PlexTvState", "PlexTvUser", "UserKind"]

UserKind = Literal["home", "managed", "shared"]


@dataclass(frozen=True)
class PlexTvUser:
    id: int
    title: str
    kind: UserKind
    server_token: str  # the accessToken of its share of the server ("" when not shared)
    home_token: str  # what switching to it hands out ("" for a friend)
    username: str = ""
    email: str = ""
    pin: str = ""


class PlexTvState:
    """plex.tv as the admin of one fake Plex server sees it. Thread-safe."""

    def __init__(self, server: FakePlexState, *, admin_id: int = 1, admin_title: str = "Admin"):
        self.server = server
        self.admin_id = admin_id
        self.admin_title = admin_title
        self._lock = threading.RLock()
        self._users: dict[int, PlexTvUser] = {}
        self._next_id = 1000
        self._counters: Counter[tuple[str, str]] = Counter()
        self._failing: tuple[int, int | None] | None = None
        # The switches to a home user that fail: (status, times left or None).
        self._failing_switches: tuple[int, int | None] | None = None
        self._friend_tokens_withheld = False

    def fail_with(self, status: int | None, times: int | None = None) -> None:
        """Answer the next ``times`` requests (all when None) with ``status``, e.g. 503;
        ``None`` ends it."""
        with self._lock:
            self._failing = None if status is None else (status, times)

    def take_failure(self) -> int | None:
        with self._lock:
            if self._failing is None:
                return None
            status, left = self._failing
            if left is not None:
                self._failing = (status, left - 1) if left > 1 else None
            return status

    def fail_switches(self, status: int | None, times: int | None = None) -> None:
        """Answer the next ``times`` switches to a home user (all when None) with
        ``status`` (one person's token failing); the other routes answer. ``None``
        ends it."""
        with self._lock:
            self._failing_switches = None if status is None else (status, times)

    def take_switch_failure(self) -> int | None:
        with self._lock:
            if self._failing_switches is None:
                return None
            status, left = self._failing_switches
            if left is not None:
                self._failing_switches = (status, left - 1) if left > 1 else None
            return status

    def withhold_friend_tokens(self, withheld: bool = True) -> None:
        """plex.tv's rules of March 2026: friends' shares listed without their token."""
        with self._lock:
            self._friend_tokens_withheld = withheld

    def friend_tokens_withheld(self) -> bool:
        with self._lock:
            return self._friend_tokens_withheld

    def add_user(
        self, title: str, kind: UserKind, *, shared: bool | None = None, pin: str = ""
    ) -> PlexTvUser:
        """A Plex Home member, managed user or friend of the admin; ``shared``: whether
        the server is shared with it (``shared_servers`` lists its token; default: all
        but home members). Its tokens read the fake server as that account."""
        with self._lock:
            self._next_id += 1
            user_id = self._next_id
        is_shared = kind != "home" if shared is None else shared
        named = kind != "managed"  # managed users have no plex.tv login
        user = PlexTvUser(
            id=user_id,
            title=title,
            kind=kind,
            server_token=f"server-token-{user_id}" if is_shared else "",
            home_token=f"home-token-{user_id}" if kind != "shared" else "",
            username=title.casefold().replace(" ", "") if named else "",
            email=f"{title.casefold().replace(' ', '.')}@example.org" if named else "",
            pin=pin,
        )
        for token in (user.server_token, user.home_token):
            if token:
                self.server.add_user(title, token, account_id=user_id)
        with self._lock:
            self._users[user_id] = user
        return user

    def users(self) -> list[PlexTvUser]:
        with self._lock:
            return list(self._users.values())

    def user(self, user_id: int) -> PlexTvUser | None:
        with self._lock:
            return self._users.get(user_id)

    def count(self, method: str, route: str) -> None:
        with self._lock:
            self._counters[(method, route)] += 1

    def counters(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counters)


class FakePlexTv(FakeServer):
    """plex.tv on 127.0.0.1 for the admin of ``server`` (a FakePlex's state)::

    with FakePlex(token=T) as plex, FakePlexTv(plex.state) as tv:
        kid = tv.state.add_user("Kid", "managed")
    """

    name = "fake-plex-tv"

    def __init__(self, server: FakePlexState, *, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host=host, port=port)
        self.state = PlexTvState(server)

    def handle(self, request: Request) -> Response:
        return _handle(self.state, request)


_SWITCH = re.compile(r"^/api/home/users/(\d+)/switch$")
_SHARED = re.compile(r"^/api/servers/([^/]+)/shared_servers$")


def _handle(state: PlexTvState, request: Request) -> Response:
    token = request.headers.get("x-plex-token") or (request.query.get("X-Plex-Token") or [""])[0]
    path = request.path
    failing = state.take_failure()
    if failing is not None:
        state.count(request.method, "failed")
        return error_answer(failing, "Failing")
    if request.method == "GET" and path == "/api/v2/user":
        state.count("GET", "/api/v2/user")
        return _account(state, token)
    if request.method == "GET" and path == "/api/users/":
        state.count("GET", "/api/users/")
        return _users(state) if token == state.server.token else _unauthorized()
    if request.method == "GET" and (found := _SHARED.match(path)):
        state.count("GET", "/api/servers/{machineId}/shared_servers")
        if token != state.server.token:
            return _unauthorized()
        return _shared_servers(state, found.group(1))
    if request.method == "POST" and (found := _SWITCH.match(path)):
        state.count("POST", "/api/home/users/{id}/switch")
        failing = state.take_switch_failure()
        if failing is not None:
            return error_answer(failing, "Failing")
        if token != state.server.token:
            return _unauthorized()
        return _switch(state, int(found.group(1)), (request.query.get("pin") or [""])[0])
    state.count(request.method, "?")
    return error_answer(404, "Not Found")


def _unauthorized() -> Response:
    return error_answer(401, "Unauthorized")


def _account(state: PlexTvState, token: str) -> Response:
    if token == state.server.token:
        user_id, title, auth = state.admin_id, state.admin_title, token
    else:
        user = next((u for u in state.users() if token and u.home_token == token), None)
        if user is None:
            return _unauthorized()
        user_id, title, auth = user.id, user.title, token
    element = Element(
        "user",
        id=str(user_id),
        uuid=f"{user_id:016x}",
        username=title.casefold(),
        title=title,
        email=f"{title.casefold()}@example.org",
        authToken=auth,
        scrobbleTypes="",
        home="1",
        homeAdmin="1" if user_id == state.admin_id else "0",
    )
    SubElement(element, "subscription", active="1", status="Active", plan="lifetime")
    SubElement(element, "profile", autoSelectAudio="1", autoSelectSubtitle="0")
    return xml_answer(element)


def _users(state: PlexTvState) -> Response:
    users = state.users()
    container = Element(
        "MediaContainer",
        friendlyName="myPlex",
        identifier="com.plexapp.plugins.myplex",
        machineIdentifier="fake-plex-tv",
        totalSize=str(len(users)),
        size=str(len(users)),
    )
    for user in users:
        element = SubElement(
            container,
            "User",
            id=str(user.id),
            title=user.title,
            username=user.username,
            email=user.email,
            thumb=f"https://plex.tv/users/{user.id:016x}/avatar",
            protected="1" if user.pin else "0",
            home="1" if user.kind != "shared" else "0",
            restricted="1" if user.kind == "managed" else "0",
            allowSync="1",
            allowCameraUpload="0",
            allowChannels="0",
            filterAll="",
            filterMovies="",
            filterMusic="",
            filterPhotos="",
            filterTelevision="",
        )
        if user.server_token:
            SubElement(
                element,
                "Server",
                id=str(user.id * 10),
                serverId=str(user.id * 10 + 1),
                machineIdentifier=state.server.machine_identifier,
                name=state.server.name,
                lastSeenAt="1700000000",
                numLibraries=str(len(state.server.sections())),
                allLibraries="1",
                owned="0",
                pending="0",
            )
    return xml_answer(container)


def _shared_servers(state: PlexTvState, machine_id: str) -> Response:
    shared = [u for u in state.users() if u.server_token]
    if machine_id != state.server.machine_identifier:
        shared = []
    container = Element(
        "MediaContainer",
        friendlyName="myPlex",
        identifier="com.plexapp.plugins.myplex",
        machineIdentifier=machine_id,
        size=str(len(shared)),
    )
    withheld = state.friend_tokens_withheld()
    for user in shared:
        element = SubElement(
            container,
            "SharedServer",
            id=str(user.id * 10),
            username=user.username,
            email=user.email,
            userID=str(user.id),
            name=state.server.name,
            acceptedAt="1600000000",
            invitedAt="1600000000",
            allowSync="1",
            owned="0",
            allLibraries="1",
        )
        if not (withheld and user.kind == "shared"):  # March 2026: none for a friend
            element.set("accessToken", user.server_token)
    return xml_answer(container)


def _switch(state: PlexTvState, user_id: int, pin: str) -> Response:
    user = state.user(user_id)
    if user is None or not user.home_token:
        return error_answer(404, "Not Found")
    if user.pin and pin != user.pin:
        return error_answer(403, "Forbidden")
    return xml_answer(Element("user", id=str(user.id), authenticationToken=user.home_token))

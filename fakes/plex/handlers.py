"""The routes of the fake Plex: what python-plexapi reads and writes for Taggarr, as
XML ``MediaContainer`` answers shaped like Plex Media Server's.

Realism that matters to the client:

- the token comes as the ``X-Plex-Token`` header or query parameter; 401 without it;
- ``/library/sections/{id}/all`` pages by ``X-Plex-Container-Start``/``-Size``
  (headers or query) and says ``totalSize``; it leaves out a show's ``Location``
  (Plex only gives it on ``/library/metadata/{ids}``) and gives ``Guid`` elements
  only with ``includeGuids=1``;
- a label edit with ``label[n].tag.tag`` replaces the whole label list (which is why
  plexapi resends the current labels on add); ``label[].tag.tag-`` removes labels;
- a user's token (``add_user``: a managed user or a friend) reads only what its share
  filters let through (sharing.py), a show's episodes by
  ``/library/metadata/{id}/allLeaves`` included; it changes nothing (401, the fake's
  choice: Plex lets no managed user edit metadata) but its own selected streams;
- ``/library/metadata/{ids}`` takes one rating key or a comma-separated list of them,
  as python-plexapi asks for a list of keys (``plexapi/base.py``,
  ``PlexObject.fetchItems``: "If a list of ints is passed in, the key will be
  translated to /library/metadata/<key1,key2,key3>", pkkid/python-plexapi a8d051f;
  Taggarr's client reads parts so, scanner/media_servers/clients/plex_parts.py): the
  items in the order asked, those unknown or hidden from the token's account left out,
  404 when none is left; it pages by ``X-Plex-Container-Start``/``-Size`` like a
  listing (plexapi's fetchItems sends them for a list too);
- an item's metadata (a movie's or an episode's, ``/library/metadata/{ids}``) carries
  its parts' streams with ``selected`` as the token's account plays them, listings
  the parts alone; ``PUT /library/parts/{id}`` sets the token's account's audio and
  subtitle stream (streams.py);
- a show's or movie's posters: its ``thumb`` in listings and metadata, the poster
  routes (poster_routes.py, posters.py), and ``thumb.locked`` in a section edit
  (plexapi's ``lockPoster``/``unlockPoster``), shown as ``<Field name="thumb">``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import unquote
from xml.etree.ElementTree import Element, SubElement

from fakes.http import Request, Response
from fakes.plex import poster_routes
from fakes.plex.agents import NEW_AGENTS
from fakes.plex.media_container import (
    episode_element,
    error_answer,
    item_element,
    library_container,
    xml_answer,
)
from fakes.plex.sharing import PlexUser
from fakes.plex.state import FakePlexState, PlexEdit, PlexEpisode, PlexItem
from fakes.plex.streams import AUDIO, SUBTITLE, PartWrite

__all__ = ["handle"]

T = TypeVar("T")
_SEARCH_TYPES = {"movie": "1", "show": "2"}
_LABEL_SET = re.compile(r"^label\[(\d+)\]\.tag\.tag$")
_UNAUTHORIZED = b"<html><body><h1>401 Unauthorized</h1></body></html>"


Handler = Callable[[FakePlexState, Request, re.Match[str]], Response]
_ROUTES: list[tuple[str, re.Pattern[str], str, Handler]] = []


def _route(method: str, pattern: str, template: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _ROUTES.append((method, re.compile(pattern), template, handler))
        return handler

    return register


def handle(state: FakePlexState, request: Request) -> Response:
    found: tuple[Handler, re.Match[str]] | None = None
    template = "?"
    for method, pattern, route, handler in _ROUTES:
        match = pattern.match(request.path)
        if match and method == request.method:
            found, template = (handler, match), route
            break
    state.count(request.method, template)
    token = _token(request)
    user = state.user(token)
    state.count_as(request.method, template, state.account(token) or "?")
    own_choice = template == "/library/parts/{id}"  # a user sets its own streams
    if token != state.token and (user is None or (request.method != "GET" and not own_choice)):
        return Response(401, _UNAUTHORIZED, "text/html")
    state.stall(request.method, template)
    override = state.take_override()
    if override is not None:
        if override.body or override.location:
            headers = (("Location", override.location),) if override.location else ()
            return Response(override.status, override.body, override.content_type, headers)
        return error_answer(override.status, "Failing")
    if found is None:
        return error_answer(404, "Not Found")
    handler, match = found
    return handler(state, request, match)


def _token(request: Request) -> str | None:
    header = request.headers.get("x-plex-token")
    if header:
        return header
    values = request.query.get("X-Plex-Token")
    return values[0] if values else None


def _param(request: Request, name: str) -> str | None:
    """A query parameter, or the header of that name (Plex reads both)."""
    values = request.query.get(name)
    if values:
        return values[0]
    return request.headers.get(name.lower())


# -- server -------------------------------------------------------------------


@_route("GET", r"^/$", "/")
def _root(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    container = Element(
        "MediaContainer",
        size="0",
        friendlyName=state.name,
        machineIdentifier=state.machine_identifier,
        version=state.version,
        platform="Linux",
        platformVersion="6.1.0",
        myPlex="0",
        multiuser="1",
        allowMediaDeletion="1",
        transcoderVideo="1",
    )
    return xml_answer(container)


@_route("GET", r"^/identity/?$", "/identity")
def _identity(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    container = Element(
        "MediaContainer",
        size="0",
        claimed="1",
        machineIdentifier=state.machine_identifier,
        version=state.version,
    )
    return xml_answer(container)


@_route("GET", r"^/library/?$", "/library")
def _library(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    container = Element(
        "MediaContainer",
        size="2",
        allowSync="0",
        identifier="com.plexapp.plugins.library",
        mediaTagPrefix="/system/bundle/media/flags/",
        mediaTagVersion="1700000000",
        title1="Plex Library",
    )
    SubElement(container, "Directory", key="sections", title="Library Sections")
    SubElement(container, "Directory", key="recentlyAdded", title="Recently Added Content")
    return xml_answer(container)


@_route("GET", r"^/library/sections/?$", "/library/sections")
def _sections(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    sections = state.sections()
    container = Element("MediaContainer", size=str(len(sections)), allowSync="0")
    container.set("title1", "Plex Library")
    for section in sections:
        directory = SubElement(
            container,
            "Directory",
            allowSync="1",
            key=section.key,
            type=section.type,
            title=section.title,
            agent=section.agent or NEW_AGENTS.get(section.type, "com.plexapp.agents.none"),
            scanner="Plex Scanner",
            language="en-US",
            uuid=f"fake-section-{section.key}",
            refreshing="0",
            filters="1",
            updatedAt="1700000000",
            createdAt="1600000000",
        )
        for index, path in enumerate(section.locations, start=1):
            SubElement(directory, "Location", id=str(index), path=path)
    return xml_answer(container)


# -- library listing and metadata -----------------------------------------------


@_route("GET", r"^/library/sections/([^/]+)/all$", "/library/sections/{id}/all")
def _section_all(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    section = state.section(match.group(1))
    if section is None:
        return error_answer(404, "Not Found")
    wanted_type = _param(request, "type")
    user = state.user(_token(request))
    items = [item for item in state.items(section.key) if state.gets(user, item)]
    if wanted_type is not None and wanted_type != _SEARCH_TYPES.get(section.type):
        items = []
    items.sort(key=lambda item: (item.title.casefold(), item.rating_key))
    with_guids = _param(request, "includeGuids") == "1"
    page, start = _page(state, request, "/library/sections/{id}/all", items)
    container = library_container(section, len(page), totalSize=str(len(items)), offset=str(start))
    container.set("viewGroup", section.type)
    for item in page:
        thumb = state.poster_store.thumb(item.rating_key)
        item_element(container, section, item, guids=with_guids, location=False, thumb=thumb)
    return xml_answer(container)


@_route("GET", r"^/library/metadata/([0-9,]+)$", "/library/metadata/{ids}")
def _metadata(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    keys = [int(key) for key in match.group(1).split(",") if key]
    token = _token(request)
    state.record_metadata(state.account(token) or "?", tuple(keys))
    user = state.user(token)
    found = [
        entry for entry in map(state.entry, keys) if entry is not None and _gets(state, user, entry)
    ]
    if not found:
        return error_answer(404, "Not Found")
    page, start = _page(state, request, "/library/metadata/{ids}", found)
    sections = {_section_key(state, entry) for entry in found}
    first = state.section(_section_key(state, found[0]))
    container = library_container(
        first if len(sections) == 1 else None, len(page), offset=str(start)
    )
    container.set("totalSize", str(len(found)))
    account = state.account(token) or "owner"

    def selection(part_id: int) -> tuple[int | None, int]:
        return state.streams.selected(account, part_id)

    for entry in page:
        section = state.section(_section_key(state, entry))
        if section is None:
            continue
        parts = state.streams.parts_of(entry.rating_key)
        if isinstance(entry, PlexEpisode):
            show = state.item(entry.show_key)
            if show is not None:
                episode_element(container, section, show, entry, parts, selection)
            continue
        item_element(
            container,
            section,
            entry,
            guids=True,
            location=True,
            full=True,
            parts=parts,
            selection=selection,
            thumb=state.poster_store.thumb(entry.rating_key),
            thumb_locked=state.poster_store.locked(entry.rating_key),
        )
    return xml_answer(container)


def _section_key(state: FakePlexState, entry: PlexItem | PlexEpisode) -> str:
    if isinstance(entry, PlexEpisode):
        show = state.item(entry.show_key)
        return show.section_key if show is not None else ""
    return entry.section_key


def _gets(state: FakePlexState, user: PlexUser | None, entry: PlexItem | PlexEpisode) -> bool:
    """Whether the token's user gets the item (an episode: its show; sharing.py)."""
    item = state.item(entry.show_key) if isinstance(entry, PlexEpisode) else entry
    return item is not None and state.gets(user, item)


@_route("GET", r"^/library/metadata/(\d+)/allLeaves$", "/library/metadata/{id}/allLeaves")
def _all_leaves(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    show = state.item(int(match.group(1)))
    section = state.section(show.section_key) if show is not None else None
    if show is None or section is None or section.type != "show":
        return error_answer(404, "Not Found")
    if not state.gets(state.user(_token(request)), show):
        return error_answer(404, "Not Found")
    episodes = state.episodes(show.rating_key)
    container = library_container(section, len(episodes), totalSize=str(len(episodes)))
    container.set("key", str(show.rating_key))
    container.set("viewGroup", "episode")
    for episode in episodes:
        episode_element(
            container, section, show, episode, state.streams.parts_of(episode.rating_key)
        )
    return xml_answer(container)


@_route("PUT", r"^/library/parts/(\d+)$", "/library/parts/{id}")
def _select_streams(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    """plexapi's ``setSelectedAudioStream`` / ``setSelectedSubtitleStream`` /
    ``resetSelectedSubtitleStream``: the token's account's choice; 400 for a stream
    that is not this part's of that kind, or for nothing to set (the fake's answers:
    Plex's are not documented)."""
    part = state.streams.part(int(match.group(1)))
    if part is None:
        return error_answer(404, "Not Found")
    failing = state.streams.take_failure(part.id)
    if failing is not None:
        return error_answer(failing, "Failing")
    account = state.account(_token(request)) or "owner"
    try:
        audio = _stream_id(_param(request, "audioStreamID"))
        subtitle = _stream_id(_param(request, "subtitleStreamID"))
    except ValueError:
        return error_answer(400, "Bad Request")
    if audio is None and subtitle is None:
        return error_answer(400, "Bad Request")
    if audio is not None and audio not in {s.id for s in part.of_type(AUDIO)}:
        return error_answer(400, "Bad Request")
    if subtitle not in (None, 0) and subtitle not in {s.id for s in part.of_type(SUBTITLE)}:
        return error_answer(400, "Bad Request")
    all_parts = _param(request, "allParts") == "1"
    state.streams.write(PartWrite(account, part.id, audio, subtitle, all_parts))
    return Response(200)


def _stream_id(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    return int(text)


@_route("PUT", r"^/library/metadata/(\d+)/refresh$", "/library/metadata/{id}/refresh")
def _refresh(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    rating_key = int(match.group(1))
    if state.item(rating_key) is None:
        return error_answer(404, "Not Found")
    state.record_refresh(rating_key)
    return Response(200)


@_route("PUT", r"^/library/sections/([^/]+)/all$", "/library/sections/{id}/all")
def _edit(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    section = state.section(match.group(1))
    if section is None:
        return error_answer(404, "Not Found")
    try:
        ids = tuple(int(key) for key in (_param(request, "id") or "").split(",") if key)
    except ValueError:
        return error_answer(400, "Bad Request")
    edit_type = _param(request, "type") or ""
    if not ids or edit_type != _SEARCH_TYPES.get(section.type):
        return error_answer(400, "Bad Request")
    for rating_key in ids:
        item = state.item(rating_key)
        if item is None or item.section_key != section.key:
            return error_answer(404, "Not Found")
    numbered = sorted(
        (int(found.group(1)), values[0])
        for name, values in request.query.items()
        if (found := _LABEL_SET.match(name))
    )
    removed = _param(request, "label[].tag.tag-")
    state.apply_edit(
        PlexEdit(
            section_key=section.key,
            ids=ids,
            type=edit_type,
            set_to=tuple(value for _, value in numbered) if numbered else None,
            # plexapi quotes each name before joining them with commas
            removed=tuple(unquote(name) for name in removed.split(",")) if removed else (),
            locked=_param(request, "label.locked"),
            thumb_locked=(thumb_locked := _param(request, "thumb.locked")),
        )
    )
    if thumb_locked is not None:  # plexapi's lockPoster / unlockPoster
        for rating_key in ids:
            state.poster_store.set_locked(rating_key, thumb_locked == "1")
    return Response(200)


# -- posters (poster_routes.py) -------------------------------------------------

_POSTERS = r"^/library/metadata/(\d+)/posters$"
_route("GET", _POSTERS, "/library/metadata/{id}/posters")(poster_routes.list_posters)
_route("POST", _POSTERS, "/library/metadata/{id}/posters")(poster_routes.upload_poster)
_route("PUT", r"^/library/metadata/(\d+)/poster$", "/library/metadata/{id}/poster")(
    poster_routes.select_poster
)
_route("GET", r"^/library/metadata/(\d+)/thumb(?:/\d+)?$", "/library/metadata/{id}/thumb/{n}")(
    poster_routes.get_thumb
)
_route("GET", r"^/library/metadata/(\d+)/file$", "/library/metadata/{id}/file")(
    poster_routes.get_file
)
_route("DELETE", r"^/library/metadata/(\d+)/thumb$", "/library/metadata/{id}/thumb")(
    poster_routes.delete_thumb
)


def _page(
    state: FakePlexState, request: Request, route: str, items: list[T]
) -> tuple[list[T], int]:
    start_text = _param(request, "X-Plex-Container-Start")
    size_text = _param(request, "X-Plex-Container-Size")
    start = int(start_text) if start_text and start_text.isdigit() else 0
    size = int(size_text) if size_text and size_text.isdigit() else len(items)
    if start_text is not None or size_text is not None:
        state.record_page(route, start, size)
    return items[start : start + size], start

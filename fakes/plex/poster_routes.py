"""The fake Plex's poster routes (posters.py says what each rests on); handlers.py
routes to them, after its token check (a user's token writes nothing: 401) and counts:

- ``GET /library/metadata/{id}/posters``: a ``MediaContainer`` of ``Photo`` elements
  (``key``, ``ratingKey``, ``thumb``, ``selected``, ``provider``), newest first, paged
  like a listing; 404 for an item that is not there (or hidden from the token's user);
- ``POST /library/metadata/{id}/posters``: the body (``uploadPoster(filepath=...)``) or
  what ``?url=`` gives (``uploadPoster(url=...)``) becomes an upload, selected, the
  field locked: 200 with no body; 400 with neither (*inferred*), 406 for a url the fake
  cannot fetch, 413 for a body over ``MAX_BODY_BYTES``;
- ``PUT /library/metadata/{id}/poster?url=<ratingKey or key>``: plexapi's ``select()``:
  200 with the new thumb path as text (PR #437); 400 without ``url``, 404 for a poster
  the item does not have (*inferred*);
- ``GET /library/metadata/{id}/thumb/{n}`` (any ``n``: the number only busts caches,
  *inferred*; also without it) and ``GET /library/metadata/{id}/file?url=<ratingKey>``
  (a poster's ``key``): the bytes, Content-Type from the image; 404 when there are none;
- ``DELETE /library/metadata/{id}/thumb`` (plexapi 4.18's ``deletePoster()``): the
  selected poster is dropped and the item has no ``thumb`` until another is selected or
  uploaded (*inferred*); 200, also when it had none.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement

from fakes.http import Request, Response
from fakes.plex.media_container import error_answer, xml_answer
from fakes.plex.posters import MAX_BODY_BYTES, content_type
from fakes.plex.state import FakePlexState, PlexItem

__all__ = [
    "delete_thumb",
    "get_file",
    "get_thumb",
    "list_posters",
    "select_poster",
    "upload_poster",
]


def _token(request: Request) -> str | None:
    values = request.query.get("X-Plex-Token")
    return request.headers.get("x-plex-token") or (values[0] if values else None)


def _param(request: Request, name: str) -> str | None:
    values = request.query.get(name)
    return values[0] if values else None


def _item(state: FakePlexState, request: Request, match: re.Match[str]) -> PlexItem | None:
    """The show or movie of the path, if the token's account gets it."""
    item = state.item(int(match.group(1)))
    if item is None or not state.gets(state.user(_token(request)), item):
        return None
    return item


def list_posters(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    item = _item(state, request, match)
    if item is None:
        return error_answer(404, "Not Found")
    posters = state.posters(item.rating_key)
    start_text = request.headers.get("x-plex-container-start") or _param(
        request, "X-Plex-Container-Start"
    )
    size_text = request.headers.get("x-plex-container-size") or _param(
        request, "X-Plex-Container-Size"
    )
    start = int(start_text) if start_text and start_text.isdigit() else 0
    size = int(size_text) if size_text and size_text.isdigit() else len(posters)
    page = posters[start : start + size]
    selected = state.poster_store.selected(item.rating_key)
    container = Element(
        "MediaContainer",
        size=str(len(page)),
        totalSize=str(len(posters)),
        offset=str(start),
        identifier="com.plexapp.plugins.library",
        mediaTagPrefix="/system/bundle/media/flags/",
        mediaTagVersion="1700000000",
    )
    for poster in page:
        SubElement(
            container,
            "Photo",
            key=poster.key,
            ratingKey=poster.rating_key,
            thumb=poster.key,
            selected="1" if selected is not None and poster == selected else "0",
            provider=poster.provider,
        )
    return xml_answer(container)


def upload_poster(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    item = _item(state, request, match)
    if item is None:
        return error_answer(404, "Not Found")
    if len(request.body) > MAX_BODY_BYTES:
        return error_answer(413, "Request Entity Too Large")
    url = _param(request, "url")
    if url:
        data = state.poster_store.fetch(url)
        if data is None:
            return error_answer(406, "Not Acceptable")
    elif request.body:
        data = request.body
    else:
        return error_answer(400, "Bad Request")
    state.poster_store.upload(item.rating_key, data, url=url or None)
    return Response(200)


def select_poster(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    item = _item(state, request, match)
    if item is None:
        return error_answer(404, "Not Found")
    url = _param(request, "url")
    if not url:
        return error_answer(400, "Bad Request")
    if state.poster_store.select(item.rating_key, url) is None:
        return error_answer(404, "Not Found")
    thumb = state.poster_store.thumb(item.rating_key) or ""
    return Response(200, thumb.encode(), "text/plain;charset=utf-8")


def get_thumb(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    item = _item(state, request, match)
    poster = state.poster_store.selected(item.rating_key) if item is not None else None
    if poster is None:
        return error_answer(404, "Not Found")
    return Response(200, poster.data, content_type(poster.data))


def get_file(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    item = _item(state, request, match)
    url = _param(request, "url") or ""
    poster = state.poster_store.by_rating_key(item.rating_key, url) if item is not None else None
    if poster is None:
        return error_answer(404, "Not Found")
    return Response(200, poster.data, content_type(poster.data))


def delete_thumb(state: FakePlexState, request: Request, match: re.Match[str]) -> Response:
    item = _item(state, request, match)
    if item is None:
        return error_answer(404, "Not Found")
    state.poster_store.delete_selected(item.rating_key)
    return Response(200)

"""An item's poster on Plex: the selected one read, an upload that replaces it, and its
lock (issue 95, the dub badges), as python-plexapi 4.18.3 (the pinned release) does it
in ``plexapi/mixins/resources.py``; the fake plays the same (fakes/plex/posters.py,
poster_routes.py):

- ``PosterUrlMixin.thumbUrl``: the item's ``thumb`` attribute
  (``/library/metadata/{ratingKey}/thumb/{n}``, absent when the item has no poster),
  whose ``GET`` answers the selected poster's bytes with their own Content-Type. Read
  here without plexapi (``query`` parses every answer as XML) on the client's session,
  with the X-Plex-Token header plexapi sends (never in the URL), within ``max_bytes``
  (scanner.http.bounds: a poster larger than that is never read whole);
- ``PosterMixin.uploadPoster(filepath=...)``: ``POST /library/metadata/{ratingKey}/posters``
  with the image's bytes as the body; Plex selects the upload and locks the ``thumb``
  field (plexapi's ``tests/test_mixins.py``; *inferred* for posters, as the fake does);
- ``PosterLockMixin.unlockPoster``: ``thumb.locked=0`` through the section's edit
  (``PUT /library/sections/{id}/all``); the lock shows as the item's ``Field`` named
  ``thumb`` with ``locked`` (``item.fields``).

Requests: ``read_poster`` 2 (the item, its thumb; 1 when it has none), ``poster_locked``
1, ``upload_poster`` 1, ``unlock_poster`` 2 (the item, the edit) plus the libraries once
per client (plexapi edits through the section). Failures are PlexErrors' (plex_errors.py):
a gone item is ItemGone, and no message carries the token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from plexapi.exceptions import BadRequest
from plexapi.server import PlexServer

from scanner.media_servers.clients.base import ItemGone, MediaServerError
from scanner.media_servers.clients.jellyfin_images import ServerPoster
from scanner.media_servers.clients.plex_errors import CountingSession, PlexErrors

__all__ = ["ServerPoster", "poster_locked", "read_poster", "unlock_poster", "upload_poster"]

ACCEPT = "image/webp,image/*"
THUMB = "thumb"  # the poster's field: its lock is ``thumb.locked``


def read_poster(
    server: PlexServer,
    session: CountingSession,
    errors: PlexErrors,
    rating_key: str,
    *,
    base_url: str,
    timeout: float,
    max_bytes: int,
) -> ServerPoster | None:
    """The item's selected poster, None when it has none (or its thumb answers 404:
    gone since the item was read); ItemGone when the item is gone; MediaServerError for
    one larger than ``max_bytes`` or not an image."""
    item = _item(server, errors, rating_key, f"reading item {rating_key}")
    path = item.thumb
    if not path:
        return None
    path = str(path)
    if not path.startswith("/") or path.startswith("//"):  # the token goes nowhere else
        raise MediaServerError(errors.say(f"item {rating_key} has a poster elsewhere than Plex"))
    doing = f"reading the poster of item {rating_key}"
    headers = server._headers(Accept=ACCEPT)  # plexapi's own, the token among them
    with errors.handling(doing, not_found=ItemGone), _answers_within(session, max_bytes):
        response = session.get(base_url + path, headers=headers, timeout=timeout)
        if response.status_code not in (200, 404):
            raise BadRequest  # PlexErrors says which status the session saw
    if response.status_code == 404:  # the poster went since it was read (or the item)
        return None
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if not media_type.startswith("image/"):
        kind = media_type or "no Content-Type"
        english = f"the poster of item {rating_key} is not an image ({kind})"
        raise MediaServerError(errors.say(english))
    return ServerPoster(response.content, path, media_type)


def poster_locked(server: PlexServer, errors: PlexErrors, rating_key: str) -> bool:
    """Whether the item's poster field is locked (an upload or a selection locks it)."""
    item = _item(server, errors, rating_key, f"reading item {rating_key}")
    return any(field.name == THUMB and field.locked for field in item.fields)


def upload_poster(
    server: PlexServer, session: CountingSession, errors: PlexErrors, rating_key: str, data: bytes
) -> None:
    """``data`` as the item's poster, which Plex selects (and locks): plexapi's
    ``uploadPoster(filepath=...)`` without its reading of the item first."""
    key = _key(errors, rating_key)
    with errors.handling(f"uploading a poster for item {rating_key}", not_found=ItemGone):
        server.query(f"/library/metadata/{key}/posters", method=session.post, data=data)


def unlock_poster(server: PlexServer, errors: PlexErrors, rating_key: str) -> None:
    """Unlock the item's poster field (plexapi's ``unlockPoster``)."""
    item = _item(server, errors, rating_key, f"reading item {rating_key}")
    with errors.handling(f"unlocking the poster of item {rating_key}", not_found=ItemGone):
        item.unlockPoster()


def _item(server: PlexServer, errors: PlexErrors, rating_key: str, doing: str) -> Any:
    key = _key(errors, rating_key)
    with errors.handling(doing, not_found=ItemGone):
        item = server.fetchItem(key)
    item._autoReload = False  # what is read is in the answer; never reload
    return item


def _key(errors: PlexErrors, rating_key: str) -> int:
    if not (rating_key.isascii() and rating_key.isdigit()):
        raise ItemGone(errors.say(f"no item {rating_key!r}: its ids are numbers"))
    return int(rating_key)


@contextmanager
def _answers_within(session: CountingSession, max_bytes: int) -> Iterator[None]:
    """The session's answers bounded to ``max_bytes`` in the block: CountingSession has
    one size bound for every answer (a page of items), a poster has the caller's."""
    before = session._max_bytes
    session._max_bytes = max_bytes
    try:
        yield
    finally:
        session._max_bytes = before

"""An item's posters in the fake Plex: what python-plexapi's ``PosterMixin`` reads and
writes and what Kometa does with it, held here; poster_routes.py answers the routes.

Read from pkkid/python-plexapi at a8d051f29bbadca28dc9bd4bf50f1fb76d0fb77a (the routes
and parsing are the same in the pinned 4.18.3):

- ``plexapi/mixins.py`` ``PosterMixin``: ``posters()`` lists
  ``/library/metadata/{ratingKey}/posters`` as ``media.Poster`` (``Photo`` elements);
  ``uploadPoster(filepath=...)`` POSTs the file's bytes as the body there,
  ``uploadPoster(url=...)`` POSTs ``?url=``; both parse the answer as XML (no
  ``ParseError`` caught), so Plex's answer is empty or XML (*inferred*: the fake's is
  empty). ``PosterLockMixin`` locks with ``_edit(**{'thumb.locked': 1})``, the section's
  ``PUT /library/sections/{id}/all?thumb.locked=1&type=..&id=..`` (``plexapi/base.py``
  ``_edit``, ``plexapi/library.py`` ``LibrarySection._edit``). ``PosterUrlMixin.thumbUrl``
  is the item's ``thumb`` attribute with the token;
- ``plexapi/media.py`` ``BaseResource``: a poster's ``key``, ``provider``,
  ``ratingKey``, ``selected``, ``thumb``; ``select()`` PUTs
  ``/library/metadata/{ratingKey}/poster?url=<quoted ratingKey>`` (its list's path less
  its last letter) and swallows a ``ParseError``: the answer is not XML. Its PR #437
  (pushingkarmaorg/python-plexapi, as the repository was named in 2020) says what it
  is: the new thumb path, ``/library/metadata/80584/thumb/1584129784`` (the fake
  answers that, as text).
  ``resourceFilepath``: ``upload://`` posters are files under the item's ``Uploads``;
- ``tests/test_mixins.py``: an upload's ratingKey starts ``upload://`` and ends with the
  SHA-1 of the file's bytes (``CUTE_CAT_SHA1`` is ``tests/data/cute_cat.jpg``'s); an agent
  poster (not ``upload://``, ``media://``...) has a ``provider``; selecting another poster
  flips ``selected`` in place (the list keeps its order); after ``lockPoster`` the item's
  ``fields`` hold ``thumb``, after ``unlockPoster`` not; the upload test ends by
  unlocking, and the theme test finds ``theme`` locked right after an upload: an upload
  or a selection locks the field (*inferred* for posters from those);
- pushingkarmaorg/python-plexapi issue #179 (2017) shows Plex's list after
  ``POST ...posters?url=``: the upload first, ``selected="1"``, ``ratingKey="upload://posters/..."``,
  ``key``/``thumb`` ``/library/metadata/{id}/file?url=<the ratingKey quoted, '.' as
  %2E>``, ``provider=""``; a local one ``metadata://.../com.plexapp.agents.localmedia_<hash>``.
  So a url upload is fetched by Plex and stored as an upload too (named by the SHA-1 of
  the fetched bytes, *inferred*);
- plexapi 4.18.3 (the pinned release, from PyPI: the mixins moved to
  ``plexapi/mixins/resources.py``, the same requests) adds ``deletePoster()``:
  ``DELETE /library/metadata/{ratingKey}/thumb``.

Kometa (kometa-team/Kometa at 27674ef4dfe3905188d9780d5394726f6e9a46d4):
``modules/plex.py`` ``item_posters`` downloads a poster whose ``key`` starts with ``/`` as
``{url}{poster.key}&X-Plex-Token=..`` (the key has a query) and hands that URL back to
``uploadPoster(url=...)`` to restore an original (``modules/overlays.py``
``remove_overlay``): Plex fetches from itself; ``modules/overlays.py`` downloads
``item.posterUrl`` as the current poster and keeps ``item.thumb`` to see a change.

*Inferred* (Plex is closed source): the thumb's number is the time of the last poster
change (PR #437's ``1584129784`` is a Unix time; ``clock`` plays it, a counter by
default so that each change gives a new number: set ``clock`` to a fixed time to play
two changes in one second sharing one); a url Plex cannot fetch is answered 406 Not
Acceptable (as a user reports, bbrown430/plex-poster-set-helper issue #32); the fake
fetches only its own poster URLs (with the server's token) and those ``serve()`` gave;
bodies over ``MAX_BODY_BYTES`` are refused (413); a poster uploaded twice is one poster;
the list is newest first; the image's Content-Type is sniffed from its bytes. Not
played: agent posters with remote keys (``https://image.tmdb.org/...``), seasons' and
episodes' posters, art, transcoding.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

__all__ = ["MAX_BODY_BYTES", "FakePoster", "PosterStore", "PosterUpload", "content_type"]

MAX_BODY_BYTES = 20 * 1024 * 1024  # the fake's choice: Plex's limit is not known
LOCAL_AGENT = "com.plexapp.agents.localmedia"
_OWN_URL = re.compile(r"^/library/metadata/(\d+)/(?:file|thumb(?:/\d+)?)$")


@dataclass(frozen=True)
class FakePoster:
    """One of an item's posters: ``rating_key`` ("upload://posters/<sha1>",
    "metadata://posters/<agent>_<sha1>"), its bytes, its ``provider`` ("" for uploads)."""

    item_key: int
    rating_key: str
    data: bytes
    provider: str

    @property
    def key(self) -> str:
        """``/library/metadata/{id}/file?url=...``, quoted as Plex does (issue #179)."""
        quoted = quote(self.rating_key, safe="").replace(".", "%2E")
        return f"/library/metadata/{self.item_key}/file?url={quoted}"


@dataclass(frozen=True)
class PosterUpload:
    """One ``POST /library/metadata/{id}/posters`` the fake took: ``url`` for ``?url=``."""

    item_key: int
    rating_key: str
    size: int
    url: str | None


def content_type(data: bytes) -> str:
    """The image's type from its first bytes (JPEG, PNG, WebP, GIF)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return "application/octet-stream"


class PosterStore:
    """Each item's posters, the selected one, its thumb's number and its lock."""

    def __init__(self, token: str) -> None:
        self._lock = threading.RLock()
        self._token = token
        self._posters: dict[int, list[FakePoster]] = {}  # newest first
        self._selected: dict[int, str] = {}
        self._stamps: dict[int, int] = {}
        self._locked: set[int] = set()
        self._uploads: list[PosterUpload] = []
        self._remote: dict[str, bytes] = {}
        self._tick = 1_700_000_000
        self.clock: Callable[[], int] = self._next_tick

    def _next_tick(self) -> int:
        with self._lock:
            self._tick += 1
            return self._tick

    def add(
        self, item_key: int, data: bytes, provider: str = "local", selected: bool = True
    ) -> FakePoster:
        """An agent's (``provider``: its identifier) or a local (``"local"``) poster."""
        agent = LOCAL_AGENT if provider == "local" else provider
        digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - a name, as Plex's
        return self._put(
            FakePoster(item_key, f"metadata://posters/{agent}_{digest}", data, provider),
            selected,
        )

    def upload(self, item_key: int, data: bytes, url: str | None = None) -> FakePoster:
        """An upload (the body, or what ``url`` gave): selected, and the field locked."""
        digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - as plexapi's tests check
        poster = FakePoster(item_key, f"upload://posters/{digest}", data, "")
        with self._lock:
            self._uploads.append(PosterUpload(item_key, poster.rating_key, len(data), url))
            self._locked.add(item_key)
            return self._put(poster, True)

    def _put(self, poster: FakePoster, selected: bool) -> FakePoster:
        with self._lock:
            posters = self._posters.setdefault(poster.item_key, [])
            posters[:] = [p for p in posters if p.rating_key != poster.rating_key]
            posters.insert(0, poster)
            if selected:
                self._selected[poster.item_key] = poster.rating_key
                self._stamps[poster.item_key] = self.clock()
            return poster

    def select(self, item_key: int, url: str) -> FakePoster | None:
        """Select the poster whose ratingKey or key is ``url`` (locks the field); None
        when the item has none such."""
        with self._lock:
            found = next(
                (p for p in self._posters.get(item_key, []) if url in (p.rating_key, p.key)),
                None,
            )
            if found is not None:
                self._selected[item_key] = found.rating_key
                self._stamps[item_key] = self.clock()
                self._locked.add(item_key)
            return found

    def delete_selected(self, item_key: int) -> FakePoster | None:
        """``deletePoster()``: the selected poster is gone and none is selected
        (*inferred*); None when none was."""
        with self._lock:
            found = self.selected(item_key)
            if found is not None:
                self._posters[item_key].remove(found)
                del self._selected[item_key], self._stamps[item_key]
            return found

    def posters(self, item_key: int) -> list[FakePoster]:
        with self._lock:
            return list(self._posters.get(item_key, []))

    def selected(self, item_key: int) -> FakePoster | None:
        with self._lock:
            chosen = self._selected.get(item_key)
            return next((p for p in self.posters(item_key) if p.rating_key == chosen), None)

    def by_rating_key(self, item_key: int, rating_key: str) -> FakePoster | None:
        return next((p for p in self.posters(item_key) if p.rating_key == rating_key), None)

    def thumb(self, item_key: int) -> str | None:
        """The item's ``thumb``: ``/library/metadata/{id}/thumb/{n}``, None without one."""
        with self._lock:
            if item_key not in self._selected:
                return None
            return f"/library/metadata/{item_key}/thumb/{self._stamps[item_key]}"

    def stamp(self, item_key: int) -> int | None:
        with self._lock:
            return self._stamps.get(item_key)

    def set_locked(self, item_key: int, locked: bool) -> None:
        with self._lock:
            (self._locked.add if locked else self._locked.discard)(item_key)

    def locked(self, item_key: int) -> bool:
        with self._lock:
            return item_key in self._locked

    def uploads(self) -> list[PosterUpload]:
        with self._lock:
            return list(self._uploads)

    def serve(self, url: str, data: bytes) -> None:
        """What Plex gets when it fetches ``url`` for ``uploadPoster(url=...)``."""
        with self._lock:
            self._remote[url] = data

    def fetch(self, url: str) -> bytes | None:
        """The image at ``url`` as Plex would fetch it: one ``serve()`` gave, or one of
        the fake's own posters (its ``key`` or an item's thumb, with the server's token
        as Kometa sends it); None when it cannot be had."""
        with self._lock:
            if url in self._remote:
                return self._remote[url]
        parts = urlsplit(url)
        own = _OWN_URL.match(parts.path)
        query = parse_qs(parts.query)
        if own is None or query.get("X-Plex-Token") != [self._token]:
            return None
        item_key = int(own.group(1))
        if parts.path.endswith("/file"):
            found = self.by_rating_key(item_key, (query.get("url") or [""])[0])
        else:
            found = self.selected(item_key)
        return found.data if found is not None else None

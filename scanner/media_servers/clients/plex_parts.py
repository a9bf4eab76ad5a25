"""Reading an item's parts as one account sees them, and setting that account's audio
and subtitle stream, on a Plex server (plex_streams.py has the values).

Both send the account's token in place of the admin's (``X-Plex-Token``, plexapi's
``PlexServer.query(headers=...)``): the request plexapi's ``switchUser`` would have
the new ``PlexServer`` send, without its ``GET /`` per account.

- reading: ``GET /library/metadata/{id},{id},...`` (up to ``page_size`` ids a request,
  and at most ``MAX_IDS_CHARS`` characters of ids: the URL stays short whatever the
  ids; an item's metadata carries its streams, a listing does not); the list is what
  plexapi's ``PlexObject.fetchItems`` asks for a list of keys (``plexapi/base.py``:
  ``ekey = f'/library/metadata/{",".join(str(key) for key in ekey)}'``, commit
  a8d051f of pkkid/python-plexapi); ``selected`` in the answer is that account's;
- writing: ``PUT /library/parts/{id}?audioStreamID=…&subtitleStreamID=…&allParts=1``,
  what plexapi's ``MediaPart.setSelectedAudioStream`` and
  ``setSelectedSubtitleStream`` send (``subtitleStreamID=0``: none, as
  ``resetSelectedSubtitleStream``), both in one request; ``allParts=1`` makes Plex
  apply the choice to the item's other parts.
"""

from __future__ import annotations

from collections.abc import Sequence

from plexapi.exceptions import NotFound
from plexapi.server import PlexServer

from scanner import outside_text
from scanner.media_servers.clients.base import ItemGone
from scanner.media_servers.clients.plex_errors import CountingSession, PlexErrors
from scanner.media_servers.clients.plex_streams import PlexPart, parts_of

__all__ = ["MAX_IDS_CHARS", "batches", "episode_files", "read_parts", "select_streams"]

# The longest list of ids one request carries: with the path, the query and the
# headers, far under the 8 KiB request line that common HTTP servers and proxies take.
MAX_IDS_CHARS = 2000


def read_parts(
    server: PlexServer,
    errors: PlexErrors,
    item_ids: Sequence[str],
    token: str | None,
    page_size: int,
) -> list[PlexPart]:
    """The parts of the movies and episodes ``item_ids`` as ``token``'s account sees
    them (None: the admin); an item gone or hidden from that account has none."""
    headers = {"X-Plex-Token": token} if token else {}
    keys = [key for key in dict.fromkeys(_key(item_id) for item_id in item_ids)]
    found: list[PlexPart] = []
    for batch in batches(keys, page_size):
        with errors.handling(f"reading the streams of {batch}"):
            try:
                data = server.query(f"/library/metadata/{batch}", headers=headers)
            except NotFound:  # all gone (or hidden from that account)
                continue
            found.extend(parts_of(server.findItems(data) if data is not None else []))
    return found


def batches(keys: Sequence[int], size: int, max_chars: int = MAX_IDS_CHARS) -> list[str]:
    """``keys`` as comma-separated lists of at most ``size`` ids and ``max_chars``
    characters each (an id longer than that alone in its list), in order."""
    found: list[str] = []
    batch: list[str] = []
    length = 0  # of ",".join(batch)
    for text in map(str, keys):
        if batch and (len(batch) >= size or length + 1 + len(text) > max_chars):
            found.append(",".join(batch))
            batch, length = [], 0
        length += len(text) + (1 if batch else 0)
        batch.append(text)
    if batch:
        found.append(",".join(batch))
    return found


def episode_files(server: PlexServer, errors: PlexErrors, show_id: str) -> dict[str, str]:
    """file -> the rating key of its episode, for every episode of a show (one
    ``/library/metadata/{id}/allLeaves``: the listing carries the parts' files)."""
    with errors.handling(f"listing the episodes of {show_id}", not_found=ItemGone):
        episodes = server.fetchItems(f"/library/metadata/{_key(show_id)}/allLeaves")
    files: dict[str, str] = {}
    for episode in episodes:
        episode._autoReload = False
        for media in episode.media or ():
            for part in media.parts or ():
                if part.file:
                    files[outside_text.path(part.file)] = str(episode.ratingKey)
    return files


def select_streams(
    server: PlexServer,
    session: CountingSession,
    errors: PlexErrors,
    part_id: int,
    *,
    token: str | None,
    audio: int | None,
    subtitle: int | None,
) -> None:
    """One PUT setting ``token``'s account's audio and/or subtitle stream (None: leave
    it; plex_streams.SUBTITLES_OFF: no subtitles)."""
    params: dict[str, int] = {"allParts": 1}
    if audio is not None:
        params["audioStreamID"] = audio
    if subtitle is not None:
        params["subtitleStreamID"] = subtitle
    if len(params) == 1:
        return
    headers = {"X-Plex-Token": token} if token else {}
    with errors.handling(f"selecting the streams of part {part_id}", not_found=ItemGone):
        server.query(
            f"/library/parts/{int(part_id)}", method=session.put, params=params, headers=headers
        )


def _key(item_id: str) -> int:
    try:
        return int(item_id)
    except ValueError:
        raise ItemGone(f"Plex has no item {item_id!r}: its ids are numbers") from None

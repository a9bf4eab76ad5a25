""" "Test connection" of a media server, for the admin and the API: what the server is
(product, version, how Taggarr sends the key and whether the server's legacy token
headers are on), the libraries it has and which of their settings make a write
expensive, how many series and movies it lists, and how the items of each instance
it feeds match (by id, by folder, or ambiguously; with a sample, and why some do not).
"""

from __future__ import annotations

import logging
import re

from django.conf import settings

from scanner.arr.checks import ConnectionReport
from scanner.arr.paths import PathMapper
from scanner.errors import ConfigError
from scanner.http.bounds import overall_deadline
from scanner.http.sessions import unanswered
from scanner.media_servers.clients.base import (
    MediaServerError,
    ServerInfo,
    ServerItem,
    ServerLibrary,
    ServerUnreachable,
)
from scanner.media_servers.clients.jellyfin_http import SERIES_WRITE_TIMEOUT
from scanner.media_servers.connect import server_client
from scanner.media_servers.matching import match_items
from scanner.media_servers.writes.tags import library_ids, local_item
from scanner.models import MediaServer

logger = logging.getLogger(__name__)

UNMATCHED_SHOWN = 3
MEDIA_FIELDS = ("id", "kind", "title", "path", "tvdb_id", "tmdb_id", "imdb_id")
JELLYFIN = "Jellyfin Server"
WRONG_KIND: dict[str, str] = {
    MediaServer.Kind.JELLYFIN: "the server does not call itself Jellyfin Server: if it is "
    "Emby, set the kind to emby (Emby's tags are written through its own tag routes)",
    MediaServer.Kind.EMBY: "the server calls itself Jellyfin Server: set the kind to "
    "jellyfin (Jellyfin has none of Emby's tag routes)",
}


def server_report(server: MediaServer) -> ConnectionReport:
    """Never raises for a bad setting or an unreachable server: the report says why. A
    web request waits for it: all its calls end within TAGGARR_WEB_DEADLINE_SECONDS."""
    with overall_deadline(settings.WEB_DEADLINE_SECONDS):
        return _server_report(server)


def _server_report(server: MediaServer) -> ConnectionReport:
    try:
        client = server_client(server)
    except ConfigError as exc:
        return ConnectionReport(
            ok=False, version=None, has_original_language=None, lines=(str(exc),)
        )
    lines: list[str] = []
    version = None
    try:
        info = client.info()
        version = info.version
        lines.extend(server_lines(server, info))
        items = list(client.items(library_ids(client, server)))
        lines.append(f"{len(items)} series and movies seen")
        lines.extend(unread_id_lines(items))
        lines.extend(_match_lines(server, items))
        ok = True
    except ServerUnreachable as exc:
        # One sentence whatever the socket error (scanner.http.sessions.unanswered).
        ok = False
        logger.info("connection test: %s", exc)
        lines.append(unanswered(f"{server.name} at {server.url}", exc))
    except MediaServerError as exc:
        ok = False
        lines.append(str(exc))
    finally:
        client.close()
    return ConnectionReport(ok=ok, version=version, has_original_language=None, lines=tuple(lines))


def server_lines(server: MediaServer, info: ServerInfo) -> list[str]:
    product = info.product or server.get_kind_display()
    lines = [f"{product} {info.version} ({info.name})"]
    if server.kind != MediaServer.Kind.PLEX and (product == JELLYFIN) != (
        server.kind == MediaServer.Kind.JELLYFIN
    ):
        lines.append(WRONG_KIND[server.kind])
    lines.append(f"key sent in {info.auth}")
    if info.legacy_auth is not None:
        state = "on" if info.legacy_auth else "off"
        lines[-1] += f"; the server's legacy token headers are {state} (Taggarr needs none)"
    shown = ", ".join(_library_text(library) for library in info.libraries)
    lines.append(f"libraries: {shown or 'none'}")
    lines.extend(_cost_lines(product, info))
    return lines


def _library_text(library: ServerLibrary) -> str:
    notes: list[str] = [library.kind or "other"]
    if library.nfo_saver:
        notes.append("NFO saver on")
    if library.trickplay:
        notes.append("trickplay on")
    return f"{library.name} ({', '.join(notes)})"


def _cost_lines(product: str, info: ServerInfo) -> list[str]:
    """What the libraries' settings do to Taggarr's writes, where the sources say."""
    if product != JELLYFIN:
        return []
    release = _release(info.version)
    lines = []
    nfo = [lib.name for lib in info.libraries if lib.kind == "series" and lib.nfo_saver]
    if release >= (10, 9):
        saver = f" and rewrites their NFOs ({', '.join(nfo)}: NFO saver on)" if nfo else ""
        lines.append(
            f"a series' tag change saves each of its seasons and episodes too{saver}: a long "
            f"show's write takes long (Taggarr waits up to {SERIES_WRITE_TIMEOUT:.0f} s for it)"
        )
    trickplay = [lib.name for lib in info.libraries if lib.trickplay]
    if trickplay and release >= (10, 11):
        lines.append(
            f"trickplay images on ({', '.join(trickplay)}): Taggarr leaves the items' "
            "Trickplay field out of its writes (this release answers 500 to it)"
        )
    return lines


def _release(version: str) -> tuple[int, ...]:
    numbers = re.findall(r"\d+", version)[:2]
    return tuple(int(number) for number in numbers) if numbers else (0,)


def unread_id_lines(items: list[ServerItem]) -> list[str]:
    unread = [item for item in items if item.unread_id and not item.provider_ids]
    if not unread:
        return []
    sample = unread[0]
    return [
        f"{len(unread)} of them carry an id Taggarr cannot read as TVDB, TMDb or IMDb "
        f"(e.g. {sample.title!r}: {sample.unread_id}): they match by folder only"
    ]


def _match_lines(server: MediaServer, items: list[ServerItem]) -> list[str]:
    instances = list(server.instances.all())
    if not instances:
        return ["no instance feeds it yet: choose the instances whose tags it gets"]
    lines = []
    mapper = PathMapper(server.path_mappings)
    for instance in instances:
        media = [local_item(m) for m in instance.media.only(*MEDIA_FIELDS)]
        if not media:
            lines.append(f"{instance.name}: nothing scanned yet to match")
            continue
        matches, unmatched = match_items(media, items, mapper)
        by_id = sum(1 for m in matches if m.by_id and not m.ambiguous)
        ambiguous = sum(1 for m in matches if m.ambiguous)
        line = (
            f"{instance.name}: {len(matches)} of {len(media)} items matched: {by_id} by id, "
            f"{len(matches) - by_id - ambiguous} by folder, {ambiguous} ambiguously"
        )
        if matches:
            sample = matches[0]
            line += f"; e.g. {sample.local.title!r} = {sample.server[0].title!r} by {sample.how}"
        lines.append(line)
        if ambiguous:
            lines.append(
                f"{instance.name}: ambiguous: an id on several server items, none at the "
                "item's folder: each gets the tags (check the path mappings)"
            )
        for row in unmatched[:UNMATCHED_SHOWN]:
            lines.append(f"{instance.name}: not found: {row.local.title!r}: {row.reason}")
    return lines

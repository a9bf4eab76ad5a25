""" "Test connection" of a media server, for the admin and the API: what the server is
(product, version, how Taggarr sends the key and whether the server's legacy token
headers are on), the libraries it has and which of their settings make a write
expensive, how many series and movies it lists, and how the items of each instance
it feeds match (by id, by folder, or ambiguously; with a sample, and why some do not).
A Plex server whose people are linked to their accounts: what plex.tv answers its
token, and the invited friends it hands out no token for (plex.tv's rules of 2026:
scanner.media_servers.clients.plex_people), as plex.tv's, never the server's.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings

from scanner.arr.checks import ConnectionReport
from scanner.arr.paths import PathMapper
from scanner.connect.sentences import said_of
from scanner.errors import ConfigError
from scanner.http.bounds import overall_deadline
from scanner.http.reasons import Code
from scanner.http.sessions import unanswered
from scanner.media_servers.clients.base import (
    MediaServerClient,
    MediaServerError,
    ServerAccount,
    ServerInfo,
    ServerItem,
    ServerLibrary,
    ServerUnreachable,
)
from scanner.media_servers.clients.jellyfin_http import SERIES_WRITE_TIMEOUT
from scanner.media_servers.clients.jellyfin_original import original_language_settable
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.clients.plex_people import AccountTokenUnavailable
from scanner.media_servers.connect import server_client
from scanner.media_servers.matching import PROVIDER_NAMES, match_items
from scanner.media_servers.writes.tags import library_ids, local_item
from scanner.models import MediaServer, PersonAccount

logger = logging.getLogger(__name__)

UNMATCHED_SHOWN = 3
MEDIA_FIELDS = ("id", "kind", "title", "path", "tvdb_id", "tmdb_id", "imdb_id")
JELLYFIN = "Jellyfin Server"
WRONG_KIND: dict[str, Code] = {
    MediaServer.Kind.JELLYFIN: Code.MS_NOT_JELLYFIN,
    MediaServer.Kind.EMBY: Code.MS_NOT_EMBY,
}
LIBRARY_KINDS = {"series": Code.LIBRARY_SERIES, "movie": Code.LIBRARY_MOVIES}
LEGACY = {None: Code.MS_KEY_SENT, True: Code.MS_KEY_SENT_LEGACY_ON,
          False: Code.MS_KEY_SENT_LEGACY_OFF}  # fmt: skip


def server_report(server: MediaServer) -> ConnectionReport:
    """Never raises for a bad setting or an unreachable server: the report says why. A
    web request waits for it: all its calls end within TAGGARR_WEB_DEADLINE_SECONDS.
    Each line a fact (scanner.http.reasons) that scanner.connect.sentences says in the
    reader's language."""
    with overall_deadline(settings.WEB_DEADLINE_SECONDS):
        return _server_report(server)


def _server_report(server: MediaServer) -> ConnectionReport:
    try:
        client = server_client(server)
    except ConfigError as exc:
        return ConnectionReport(
            ok=False, version=None, has_original_language=None, lines=(exc.said or str(exc),)
        )
    lines: list[str] = []
    warnings: list[str] = []
    version = None
    try:
        info = client.info()
        version = info.version
        lines.extend(server_lines(server, info))
        items = list(client.items(library_ids(client, server)))
        lines.append(said_of(Code.MS_SEEN, count=len(items)))
        lines.extend(unread_id_lines(items))
        lines.extend(_match_lines(server, items))
        warnings = plex_tv_lines(server, client)
        lines.extend(warnings)
        ok = True
    except ServerUnreachable as exc:
        # One sentence whatever the socket error (scanner.http.sessions.unanswered).
        ok = False
        logger.info("connection test: %s", exc)
        who = f"{server.name} at {server.url}"
        lines.append(unanswered(who, exc, server=server.name, url=server.url))
    except MediaServerError as exc:
        ok = False
        lines.append(exc.said or str(exc))
    finally:
        client.close()
    return ConnectionReport(
        ok=ok,
        version=version,
        has_original_language=None,
        lines=tuple(lines),
        warnings=tuple(warnings),
    )


def plex_tv_lines(server: MediaServer, client: MediaServerClient) -> list[str]:
    """A Plex server with people linked to their accounts: plex.tv's failure (its
    refusal of the token the server just accepted, its silence, its 5xx), or the
    invited friends among them it hands out no token for; nothing when all is well.
    Each a warning: the server's own connection is fine. 2 or 3 requests to plex.tv."""
    if not isinstance(client, PlexClient):
        return []
    linked = list(
        PersonAccount.objects.filter(media_server=server)
        .exclude(account_kind=PersonAccount.Kind.PLEX_ADMIN)
        .order_by("account_name")
    )
    if not linked:
        return []
    withheld: list[str] = []
    try:
        client.accounts()
        for account in linked:
            if account.account_kind != PersonAccount.Kind.PLEX_SHARED:
                continue  # a home or managed user's token needs a switch (and maybe a PIN)
            try:
                client.account_token(
                    ServerAccount(account.account_id, account.account_name, "plex-shared")
                )
            except AccountTokenUnavailable as exc:
                if exc.reason == "friend-no-token":
                    withheld.append(account.account_name)
    except MediaServerError as exc:
        logger.info("connection test: %s", exc)
        return [exc.said or str(exc)]
    return [said_of(Code.PLEX_TV_FRIENDS_NO_TOKEN, people=withheld)] if withheld else []


def server_lines(server: MediaServer, info: ServerInfo) -> list[str]:
    product = info.product or server.get_kind_display()
    lines: list[str] = [
        said_of(Code.MS_VERSION, product=product, version=info.version, name=info.name)
    ]
    if server.kind != MediaServer.Kind.PLEX and (product == JELLYFIN) != (
        server.kind == MediaServer.Kind.JELLYFIN
    ):
        lines.append(said_of(WRONG_KIND[server.kind]))
    lines.append(said_of(LEGACY[info.legacy_auth], auth=info.auth))
    if info.libraries:
        libraries = [_library_text(library) for library in info.libraries]
        lines.append(said_of(Code.MS_LIBRARIES, libraries=libraries))
    else:
        lines.append(said_of(Code.MS_NO_LIBRARIES))
    lines.extend(_cost_lines(product, info))
    if product == JELLYFIN and server.write_tags:  # what the tag writes set beside the tags
        settable = original_language_settable(info)
        code = Code.MS_ORIGINAL_LANGUAGE if settable else Code.MS_NO_ORIGINAL_LANGUAGE
        lines.append(said_of(code))
    return lines


def _library_text(library: ServerLibrary) -> str:
    notes: list[str] = [said_of(LIBRARY_KINDS.get(library.kind or "", Code.LIBRARY_OTHER))]
    if library.nfo_saver:
        notes.append(said_of(Code.LIBRARY_NFO_SAVER))
    if library.trickplay:
        notes.append(said_of(Code.LIBRARY_TRICKPLAY))
    return said_of(Code.LIBRARY, name=library.name, notes=notes)


def _cost_lines(product: str, info: ServerInfo) -> list[str]:
    """What the libraries' settings do to Taggarr's writes, where the sources say."""
    if product != JELLYFIN:
        return []
    release = _release(info.version)
    lines: list[str] = []
    nfo = [lib.name for lib in info.libraries if lib.kind == "series" and lib.nfo_saver]
    if release >= (10, 9):
        seconds = f"{SERIES_WRITE_TIMEOUT:.0f}"
        if nfo:
            lines.append(said_of(Code.MS_SERIES_WRITES_NFO, libraries=nfo, seconds=seconds))
        else:
            lines.append(said_of(Code.MS_SERIES_WRITES, seconds=seconds))
    trickplay = [lib.name for lib in info.libraries if lib.trickplay]
    if trickplay and release >= (10, 11):
        lines.append(said_of(Code.MS_TRICKPLAY, libraries=trickplay))
    return lines


def _release(version: str) -> tuple[int, ...]:
    numbers = re.findall(r"\d+", version)[:2]
    return tuple(int(number) for number in numbers) if numbers else (0,)


def unread_id_lines(items: list[ServerItem]) -> list[str]:
    unread = [item for item in items if item.unread_id and not item.provider_ids]
    if not unread:
        return []
    sample = unread[0]
    said = {"count": len(unread), "title": sample.title, "id": sample.unread_id}
    return [said_of(Code.MS_UNREAD_IDS, **said)]


def _match_lines(server: MediaServer, items: list[ServerItem]) -> list[str]:
    instances = list(server.instances.all())
    if not instances:
        return [said_of(Code.MS_NO_INSTANCE)]
    lines: list[str] = []
    mapper = PathMapper(server.path_mappings)
    for instance in instances:
        media = [local_item(m) for m in instance.media.only(*MEDIA_FIELDS)]
        if not media:
            lines.append(said_of(Code.MS_NOTHING_SCANNED, instance=instance.name))
            continue
        matches, unmatched = match_items(media, items, mapper)
        by_id = sum(1 for m in matches if m.by_id and not m.ambiguous)
        ambiguous = sum(1 for m in matches if m.ambiguous)
        by_folder = len(matches) - by_id - ambiguous
        counts = {"matched": len(matches), "count": len(media), "by_id": by_id,
                  "by_folder": by_folder, "ambiguous": ambiguous}  # fmt: skip
        lines.append(said_of(Code.MS_MATCHED, instance=instance.name, **counts))
        if matches:
            sample = matches[0]
            said = {"instance": instance.name, "title": sample.local.title,
                    "found": sample.server[0].title}  # fmt: skip
            if sample.by_id:
                provider = PROVIDER_NAMES.get(sample.how, sample.how)
                lines.append(said_of(Code.MS_MATCHED_BY_ID, provider=provider, **said))
            else:
                lines.append(said_of(Code.MS_MATCHED_BY_FOLDER, **said))
        if ambiguous:
            lines.append(said_of(Code.MS_AMBIGUOUS, instance=instance.name))
        for row in unmatched[:UNMATCHED_SHOWN]:
            said = {"instance": instance.name, "title": row.local.title, "reason": row.reason}
            lines.append(said_of(Code.MS_UNMATCHED, **said))
    return lines

"""Tag writes to media servers (Jellyfin, Emby, Plex), after the *arr and the NFOs.

Per enabled connection fed by the run's instance: the server's items of the kinds the
run holds (series for a Sonarr, movies for a Radarr) are read once, matched to the
run's items (scanner.media_servers.matching), and only the items whose managed tags
differ from the wanted ones are written, one at a time. The user's own tags are kept.
A connection set to refresh after NFO writes also asks the server to refresh each
matched item whose NFO this run changed (so Jellyfin/Emby re-read it).
A connection that fails (token refused, server down, library missing) or an item that
fails (deleted meanwhile) is an event and a log line, never a failure of the run: its
*arr and NFO writes stand.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scanner.arr.paths import PathMapper
from scanner.errors import ConfigError
from scanner.media_servers.base import (
    ItemGone,
    LibraryNotFound,
    MediaServerClient,
    MediaServerError,
    ServerAuthError,
    ServerItem,
    ServerUnreachable,
)
from scanner.media_servers.matching import LocalItem, match_items
from scanner.models import Event, Media, MediaServer, ScanRun
from scanner.pipeline.writes import ApplyReport, TagWrite
from scanner.progress import media_server_text
from scanner.server_access import server_client

logger = logging.getLogger(__name__)

UNMATCHED_LISTED = 100  # in the event's data; the count is always whole
WRITTEN, SAME, FAILED, REFRESHED = "written", "same", "errors", "refreshed"


def write_server_tags(run: ScanRun, writes: list[TagWrite], report: ApplyReport) -> None:
    instance = run.instance
    servers = list(MediaServer.objects.filter(enabled=True, instances=instance))
    targets = [w for w in writes if w.media.pk not in report.failed]
    if not servers or not targets:
        return
    # Every label the instance could write is managed on the server too: a label from
    # older settings still goes when the server missed the run that dropped it.
    every = instance.label_set().every_label(instance.target_languages)
    for server in servers:
        refresh = report.nfo_written if server.refresh_after_nfo else set()
        report.media_servers[server.name] = _write_to(server, run, targets, every, refresh)


def local_item(media: Media) -> LocalItem:
    ids = (("tvdb", media.tvdb_id), ("tmdb", media.tmdb_id), ("imdb", media.imdb_id))
    return LocalItem(
        key=media.pk,
        kind=media.kind,  # type: ignore[arg-type]
        title=media.title,
        path=media.path,
        provider_ids=tuple((name, str(value)) for name, value in ids if value),
    )


def library_ids(client: MediaServerClient, server: MediaServer) -> list[str] | None:
    """The ids of the connection's libraries; None (every library) when it names none."""
    if not server.libraries:
        return None
    found = {library.name.casefold(): library.id for library in client.info().libraries}
    missing = [name for name in server.libraries if name.casefold() not in found]
    if missing:
        raise LibraryNotFound(f"{server.name}: no library named {', '.join(missing)}")
    return [found[name.casefold()] for name in server.libraries]


def _write_to(
    server: MediaServer, run: ScanRun, writes: list[TagWrite], every: set[str], refresh: set[int]
) -> dict[str, Any]:
    """``refresh``: the media whose NFO this run changed (refreshed when matched)."""
    outcome: dict[str, Any] = {"matched": 0, "unmatched": 0, "written": 0, "errors": 0}
    if refresh:
        outcome[REFRESHED] = 0
    if not server.write_tags and not refresh:
        return outcome  # refresh only, and no NFO changed: nothing to ask the server
    try:
        client = server_client(server)
    except ConfigError as exc:
        return _connection_failed(server, run, outcome, str(exc))
    try:
        ids = library_ids(client, server)
        kinds = {w.media.kind for w in writes}  # a Sonarr's run lists no movie
        server_items = list(client.items(ids, kinds))
        by_pk = {w.media.pk: w for w in writes}
        mapper = PathMapper(server.path_mappings)
        matches, unmatched = match_items(
            (local_item(w.media) for w in writes), server_items, mapper
        )
        outcome["matched"], outcome["unmatched"] = len(matches), len(unmatched)
        if unmatched:
            _record_unmatched(server, run, [(u.local.title, u.reason) for u in unmatched])
        for match in matches:
            write = by_pk[match.local.key]
            for item in match.server:
                if server.write_tags:
                    result = _write_item(client, server, run, write, item, every)
                    if result != SAME:
                        outcome[result] += 1
                if write.media.pk in refresh:
                    outcome[_refresh_item(client, server, run, write, item)] += 1
    except (MediaServerError, ConfigError) as exc:
        outcome["requests"] = client.requests_made
        return _connection_failed(server, run, outcome, str(exc))
    finally:
        outcome["requests"] = client.requests_made
        client.close()
    logger.info("scan #%s: media server %s: %s", run.pk, server.name, media_server_text(outcome))
    return outcome


def _write_item(
    client: MediaServerClient,
    server: MediaServer,
    run: ScanRun,
    write: TagWrite,
    item: ServerItem,
    every: set[str],
) -> str:
    """WRITTEN, SAME (nothing sent) or FAILED (recorded here). The token refused or the
    server gone end the connection's writes: raised."""
    add, remove = tag_edits(item.tags, write.wanted, write.managed | every)
    if not add and not remove:
        return SAME
    try:
        return WRITTEN if client.set_tags(item, add, remove) else SAME
    except (ServerAuthError, ServerUnreachable):
        raise
    except (ItemGone, MediaServerError) as exc:
        _item_failed(server, run, write, item, f"tags not written: {exc}")
        return FAILED


def _item_failed(
    server: MediaServer, run: ScanRun, write: TagWrite, item: ServerItem, what: str
) -> None:
    message = f"{server.name}: {write.media.title}: {what}"
    logger.warning("scan #%s: media server %s", run.pk, message)
    Event.objects.create(
        instance=run.instance,
        media=write.media,
        run=run,
        kind=Event.Kind.MEDIA_SERVER,
        message=message,
        data={"server": server.name, "item": item.id, "error": what},
    )


def _refresh_item(
    client: MediaServerClient, server: MediaServer, run: ScanRun, write: TagWrite, item: ServerItem
) -> str:
    """REFRESHED or FAILED (recorded); the token refused or the server gone: raised."""
    try:
        client.refresh(item)
    except (ServerAuthError, ServerUnreachable):
        raise
    except (ItemGone, MediaServerError) as exc:
        _item_failed(server, run, write, item, f"not refreshed: {exc}")
        return FAILED
    return REFRESHED


def tag_edits(
    have: Iterable[str], wanted: Iterable[str], managed: Iterable[str]
) -> tuple[set[str], set[str]]:
    """(add, remove) to make the managed tags among ``have`` the ``wanted`` ones; tags
    compared ignoring case, as Jellyfin does. Tags that are not managed never appear."""
    managed_cf = {tag.casefold() for tag in managed} | {tag.casefold() for tag in wanted}
    current = {tag for tag in have if tag.casefold() in managed_cf}
    current_cf = {tag.casefold() for tag in current}
    wanted_cf = {tag.casefold() for tag in wanted}
    add = {tag for tag in wanted if tag.casefold() not in current_cf}
    remove = {tag for tag in current if tag.casefold() not in wanted_cf}
    return add, remove


def _connection_failed(
    server: MediaServer, run: ScanRun, outcome: dict[str, Any], error: str
) -> dict[str, Any]:
    logger.warning("scan #%s: media server %s: tags not written: %s", run.pk, server.name, error)
    Event.objects.create(
        instance=run.instance,
        run=run,
        kind=Event.Kind.MEDIA_SERVER,
        message=f"{server.name}: tags not written: {error}",
        data={"server": server.name, "error": error},
    )
    return {**outcome, "error": error}


def _record_unmatched(server: MediaServer, run: ScanRun, rows: list[tuple[str, str]]) -> None:
    logger.info(
        "scan #%s: media server %s: %d items not found there, e.g. %s: %s",
        run.pk, server.name, len(rows), rows[0][0], rows[0][1],
    )  # fmt: skip
    Event.objects.create(
        instance=run.instance,
        run=run,
        kind=Event.Kind.MEDIA_SERVER,
        message=f"{server.name}: {len(rows)} items not found on the server",
        data={
            "server": server.name,
            "unmatched": [
                {"title": title, "reason": reason} for title, reason in rows[:UNMATCHED_LISTED]
            ],
        },
    )

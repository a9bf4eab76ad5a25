"""Tag writes to media servers (Jellyfin, Emby, Plex), after the *arr and the NFOs.

Per enabled connection fed by the run's instance: the server's items of the kinds the
run holds (series for a Sonarr, movies for a Radarr) are read once, matched to the
run's items (scanner.media_servers.matching), and only the items whose managed tags
differ from the wanted ones are written, one at a time. The user's own tags are kept.
A connection set to refresh after NFO writes also asks the server to refresh each
matched item whose NFO is to be re-read (``ApplyReport.nfo_to_reread``).

A write that fails never undoes the run's *arr and NFO writes; it is an event and a
log line, and the run ends partial (its error says which server and how many). An
item that fails (deleted meanwhile, a 4xx or 5xx answer) is that item's failure and
the others go on; a refused key (401/403) or no answer at all stops the connection,
and the updates it did not send are counted as not tried. The next scan sends them
again: the server's tags are read and compared on every scan, like the *arr's, and a
refresh that did not happen leaves the item's NFO due (Media.nfo_due).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scanner.arr.paths import PathMapper
from scanner.clients.media_servers import server_client
from scanner.errors import ConfigError
from scanner.media_servers.base import (
    LibraryNotFound,
    MediaServerClient,
    MediaServerError,
    ServerAuthError,
    ServerErrorStatus,
    ServerItem,
    ServerUnreachable,
)
from scanner.media_servers.matching import LocalItem, Match, match_items
from scanner.models import Event, Media, MediaServer, ScanRun
from scanner.pipeline.writes import ApplyReport, TagWrite
from scanner.reports.progress import media_server_text

logger = logging.getLogger(__name__)

UNMATCHED_LISTED = 100  # in the event's data; the count is always whole
WRITTEN, SAME, FAILED, REFRESHED = "written", "same", "errors", "refreshed"
NOT_TRIED = "not_tried"  # after the connection stopped


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
        reread = report.nfo_to_reread if server.refresh_after_nfo else set()
        outcome, unread = _write_to(server, run, targets, every, reread)
        report.media_servers[server.name] = outcome
        report.reread_failed |= unread


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


@dataclass(frozen=True, slots=True)
class _Update:
    """One request to send: a tag write (``add``/``remove``) or a refresh."""

    write: TagWrite
    item: ServerItem
    refresh: bool = False
    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()


def _write_to(
    server: MediaServer, run: ScanRun, writes: list[TagWrite], every: set[str], reread: set[int]
) -> tuple[dict[str, Any], set[int]]:
    """The connection's outcome, and the media of ``reread`` (to be refreshed when matched)
    whose refresh failed or was never sent."""
    outcome: dict[str, Any] = {"matched": 0, "unmatched": 0, "written": 0, "errors": 0}
    if reread:
        outcome[REFRESHED] = 0
    if not server.write_tags and not reread:
        return outcome, set()  # refresh only, and no NFO changed: nothing to ask the server
    unread = reread & {w.media.pk for w in writes}  # until the server's items are read
    try:
        client = server_client(server)
    except ConfigError as exc:
        return _connection_failed(server, run, outcome, str(exc)), unread
    updates: list[_Update] = []
    sent = 0
    try:
        ids = library_ids(client, server)
        kinds = {w.media.kind for w in writes}  # a Sonarr's run lists no movie
        server_items = list(client.items(ids, kinds))
        mapper = PathMapper(server.path_mappings)
        matches, unmatched = match_items(
            (local_item(w.media) for w in writes), server_items, mapper
        )
        outcome["matched"], outcome["unmatched"] = len(matches), len(unmatched)
        if unmatched:
            _record_unmatched(server, run, [(u.local.title, u.reason) for u in unmatched])
        updates = _updates(server, writes, matches, every, reread)
        unread = set()
        for update in updates:
            result = _send(client, server, run, update)
            sent += 1
            if result != SAME:
                outcome[result] += 1
            if result == FAILED and update.refresh:
                unread.add(update.write.media.pk)
    except (MediaServerError, ConfigError) as exc:
        # The key refused or no answer: the update in hand failed, the rest were not
        # sent. The next scan sends them (the tags differ still; the re-reads are due).
        left = updates[sent:]
        if left:
            outcome[FAILED] += 1
            outcome[NOT_TRIED] = len(left) - 1
            unread |= {u.write.media.pk for u in left if u.refresh}
        outcome["requests"] = client.requests_made
        return _connection_failed(server, run, outcome, str(exc)), unread
    finally:
        outcome["requests"] = client.requests_made
        client.close()
    logger.info("scan #%s: media server %s: %s", run.pk, server.name, media_server_text(outcome))
    return outcome, unread


def _updates(
    server: MediaServer,
    writes: list[TagWrite],
    matches: list[Match],
    every: set[str],
    reread: set[int],
) -> list[_Update]:
    """What to send, in order: per matched server item, its tag write when its managed
    tags differ (as listed) and its refresh when its NFO is to be re-read."""
    by_pk = {w.media.pk: w for w in writes}
    updates = []
    for match in matches:
        write = by_pk[match.local.key]
        for item in match.server:
            add, remove = tag_edits(item.tags, write.wanted, write.managed | every)
            if server.write_tags and (add or remove):
                updates.append(_Update(write, item, add=frozenset(add), remove=frozenset(remove)))
            if write.media.pk in reread:
                updates.append(_Update(write, item, refresh=True))
    return updates


def _send(client: MediaServerClient, server: MediaServer, run: ScanRun, update: _Update) -> str:
    """WRITTEN, SAME (the server had them meanwhile), REFRESHED or FAILED (recorded
    here). The key refused or no answer at all: raised, and the connection stops."""
    item = update.item
    what = "not refreshed" if update.refresh else "tags not written"
    try:
        if update.refresh:
            client.refresh(item)
            return REFRESHED
        return WRITTEN if client.set_tags(item, set(update.add), set(update.remove)) else SAME
    except ServerErrorStatus as exc:  # it answered 5xx: this item's failure
        _item_failed(server, run, update.write, item, f"{what}: {exc}")
        return FAILED
    except (ServerAuthError, ServerUnreachable):
        raise
    except MediaServerError as exc:  # gone meanwhile (404), another 4xx ...
        _item_failed(server, run, update.write, item, f"{what}: {exc}")
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

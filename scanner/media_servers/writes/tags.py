"""Tag writes to media servers (Jellyfin, Emby, Plex), after the *arr and the NFOs.

Per enabled connection fed by the run's instance: the server's items of the kinds the
run holds (series for a Sonarr, movies for a Radarr) are read once, matched to the
run's items (scanner.media_servers.matching: by id and folder, so that the HD and the
4K copy of a film each get their own instance's tags), and only the items whose
managed tags differ from the wanted ones are written, one at a time
(updates.py). The user's own tags are kept. On a Jellyfin 12 server each matched
item's original language is set too (originals.py). A connection set to refresh after
NFO writes also asks the server to refresh each matched item whose NFO is to be
re-read (``NfoResult.to_reread``).

A write that fails never undoes the run's *arr and NFO writes; it is an event and a
log line, and the run ends partial (its error says which server and how many). An
item that fails (deleted meanwhile, a 4xx or 5xx answer) is that item's failure and
the others go on; a server that does not answer is retried (retries.py), and
a refused key (401/403) or no answer once the retries are spent stops the
connection: the updates it did not send are counted as not tried. The next scan sends
them again: the server's tags are read and compared on every scan, like the *arr's,
and a refresh that did not happen leaves the item's NFO due (Media.nfo_due).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import Any

from scanner.arr.paths import PathMapper
from scanner.errors import ConfigError
from scanner.media_servers.clients.base import (
    LibraryNotFound,
    MediaServerClient,
    MediaServerError,
    ServerInfo,
    item_kind,
)
from scanner.media_servers.connect import server_client
from scanner.media_servers.matching import LocalItem, Match, match_items
from scanner.media_servers.writes.events import connection_failed, record_unmatched
from scanner.media_servers.writes.originals import (
    ItemOriginal,
    Originals,
    any_to_set,
    changed_owned,
    owned_after,
    owned_originals,
    sets_originals,
    wanted_value,
)
from scanner.media_servers.writes.outcomes import outcome_line
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.media_servers.writes.updates import (
    FAILED,
    ORIGINAL_SET,
    REFRESHED,
    SAME,
    WRITTEN,
    Sent,
    ServerUpdate,
    plan_updates,
    send_update,
    tag_edits,
)
from scanner.models import Media, MediaServer, ScanRun
from scanner.pipeline.writers.writes import ServerResult, TagWrite

__all__ = ["library_ids", "local_item", "tag_edits", "write_server_tags"]

logger = logging.getLogger(__name__)

NOT_TRIED = "not_tried"  # after the connection stopped


def write_server_tags(
    run: ScanRun,
    writes: list[TagWrite],
    *,
    failed: Collection[int] = (),
    to_reread: Collection[int] = (),
    on_server: Callable[[int, int], None] | None = None,
) -> ServerResult:
    """The writes but those of the media pks in ``failed`` (their tags were not written
    where they live); ``to_reread``: the media pks whose NFO the servers that refresh
    after NFO writes are to re-read. ``on_server(done, total)``: told before the first
    server and after each one (a callback that raises stops the writes there)."""
    instance = run.instance
    report = ServerResult()
    servers = list(MediaServer.objects.filter(enabled=True, instances=instance))
    targets = [w for w in writes if w.media.pk not in failed]
    if not servers or not targets:
        return report
    told = on_server or (lambda done, total: None)
    told(0, len(servers))
    # Every label the instance could write is managed on the server too: a label from
    # older settings still goes when the server missed the run that dropped it.
    every = instance.label_set().every_label(instance.target_languages)
    for done, server in enumerate(servers, start=1):
        reread = set(to_reread) if server.refresh_after_nfo else set()
        owned: dict[int, str] = {}
        outcome, unread, carried = _write_to(server, run, targets, every, reread, owned)
        report.originals.update(((server.pk, pk), value) for pk, value in owned.items())
        report.outcomes[server.name] = outcome
        report.reread_failed.update(unread)
        report.carried.update(carried)
        told(done, len(servers))
    return report


def local_item(media: Media) -> LocalItem:
    ids = (("tvdb", media.tvdb_id), ("tmdb", media.tmdb_id), ("imdb", media.imdb_id))
    return LocalItem(
        key=media.pk,
        kind=item_kind(media.kind),
        title=media.title,
        path=media.path,
        provider_ids=tuple((name, str(value)) for name, value in ids if value),
    )


def library_ids(client: MediaServerClient, server: MediaServer) -> list[str] | None:
    """The ids of the connection's libraries; None (every library) when it names none."""
    if not server.libraries:
        return None
    return libraries_of(client.info(), server)


def libraries_of(info: ServerInfo, server: MediaServer) -> list[str] | None:
    """``library_ids`` from the server's answer already read."""
    if not server.libraries:
        return None
    found = {library.name.casefold(): library.id for library in info.libraries}
    missing = [name for name in server.libraries if name.casefold() not in found]
    if missing:
        raise LibraryNotFound(f"{server.name}: no library named {', '.join(missing)}")
    return [found[name.casefold()] for name in server.libraries]


def _write_to(
    server: MediaServer,
    run: ScanRun,
    writes: list[TagWrite],
    every: set[str],
    reread: set[int],
    owned: dict[int, str],
) -> tuple[dict[str, Any], set[int], set[int]]:
    """The connection's outcome, the media of ``reread`` (to be refreshed when matched)
    whose refresh failed or was never sent, and the media whose tags the server holds
    now (matched, and no tag write of theirs failed; none when it writes no tags).
    ``owned`` gets the original languages Taggarr owns on the server where that changed
    (media pk -> value, "" none; originals.py)."""
    outcome: dict[str, Any] = {"matched": 0, "unmatched": 0, WRITTEN: 0, FAILED: 0}
    if reread:
        outcome[REFRESHED] = 0
    if not server.write_tags and not reread:
        return outcome, set(), set()  # refresh only, no NFO changed: nothing to ask
    unread = reread & {w.media.pk for w in writes}  # until the server's items are read
    try:
        client = server_client(server)
    except ConfigError as exc:
        return connection_failed(server, run, outcome, exc), unread, set()
    policy = server_retry_policy()
    doing = f"media server {server.name}"
    updates: list[ServerUpdate] = []
    sent = 0
    matched: set[int] = set()
    failed: set[int] = set()
    originals: Originals | None = None
    matches: list[Match] = []
    results: dict[int, Sent] = {}  # index in updates -> how it ended
    try:
        info = retried(client.info, policy, doing) if server.libraries else None
        ids = libraries_of(info, server) if info is not None else None
        kinds = {item_kind(w.media.kind) for w in writes}  # a Sonarr's run lists no movie
        server_items = retried(lambda: list(client.items(ids, kinds)), policy, doing)
        mapper = PathMapper(server.path_mappings)
        matches, unmatched = match_items(
            (local_item(w.media) for w in writes), server_items, mapper
        )
        outcome["matched"], outcome["unmatched"] = len(matches), len(unmatched)
        matched = {match.local.key for match in matches}
        if ambiguous := sum(1 for match in matches if match.ambiguous):
            outcome["ambiguous"] = ambiguous
        if unmatched:
            record_unmatched(server, run, [(u.local.title, u.reason) for u in unmatched])
        if server.write_tags and server.kind == MediaServer.Kind.JELLYFIN:
            originals = Originals(
                wanted={
                    w.media.pk: wanted_value(w, remove=run.mode == ScanRun.Mode.REMOVE)
                    for w in writes
                },
                ours=owned_originals(server, writes),
            )
            if any_to_set(originals, matches):  # only then is the server's version read
                info = info or retried(client.info, policy, doing)
                if not sets_originals(server, client, info):
                    originals = None  # 10.x: nothing to set, nothing failed
        if originals is not None:
            outcome[ORIGINAL_SET] = 0
        updates = plan_updates(server, writes, matches, every, reread, originals)
        unread = set()
        broken: set[str] = set()  # the server items whose tag write failed
        for update in updates:
            if update.original and update.item.id in broken:
                sent += 1  # the item failed already (gone, a 500): its failure, once
                continue
            result = send_update(client, server, run, update, policy)
            results[sent] = result
            sent += 1
            if result != SAME:
                outcome[result] += 1
            if result == FAILED and not update.refresh:
                broken.add(update.item.id)
            if result == FAILED and update.refresh:
                unread.add(update.write.media.pk)
            elif result == FAILED and not update.original:  # its tags are not there
                failed.add(update.write.media.pk)
    except (MediaServerError, ConfigError) as exc:
        # The key refused or no answer: the update in hand failed, the rest were not
        # sent. The next scan sends them (the tags differ still; the re-reads are due).
        left = updates[sent:]
        if left:
            outcome[FAILED] += 1
            outcome[NOT_TRIED] = len(left) - 1
            unread |= {u.write.media.pk for u in left if u.refresh}
        outcome["requests"] = client.requests_made
        if originals is not None:
            owned.update(owned_changes(originals, matches, updates, results))
        carried = matched - failed - {u.write.media.pk for u in left}
        return (
            connection_failed(server, run, outcome, exc),
            unread,
            carried if server.write_tags else set(),
        )
    finally:
        outcome["requests"] = client.requests_made
        client.close()
    if originals is not None:
        owned.update(owned_changes(originals, matches, updates, results))
    # The log speaks English, whoever reads the pages (their words: reports/).
    logger.info("scan #%s: media server %s: %s", run.pk, server.name, outcome_line(outcome))
    return outcome, unread, (matched - failed) if server.write_tags else set()


def owned_changes(
    originals: Originals,
    matches: list[Match],
    updates: list[ServerUpdate],
    results: dict[int, Sent],
) -> dict[int, str]:
    """What Taggarr owns of each matched media's original language on the server after
    the sends (originals.owned_after), where it changed. An update not sent (the
    connection stopped) leaves its item as listed."""
    reached = {
        (update.write.media.pk, update.item.id)
        for index, update in enumerate(updates)
        if update.original and results.get(index) in (ORIGINAL_SET, SAME)
    }
    after: dict[int, str | None] = {}
    for match in matches:
        pk = match.local.key
        wanted, ours = originals.wanted.get(pk), originals.ours.get(pk)
        held = [
            ItemOriginal(value=wanted or "", sent=True)
            if (pk, item.id) in reached
            else ItemOriginal(value=item.original_language)
            for item in match.server
        ]
        after[pk] = owned_after(wanted, ours, held)
    return changed_owned(originals.ours, after)

"""What the media-server write step sends, and how one send ends: per matched server
item its tag edit (only when its managed tags differ from the wanted ones), its
original language (Jellyfin 12: originals.py) and its refresh (when its NFO is to be
re-read), each sent under the retry policy.

One item's failure (gone meanwhile, a 4xx or 5xx answer: Jellyfin answers 500 to a
body it cannot read) is that item's: recorded, and the others go on. A refused key,
or no answer once the retries are spent, is the server's: raised, and the connection
stops for this run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from scanner.media_servers.clients.base import (
    TRANSIENT_ERRORS,
    MediaServerClient,
    MediaServerError,
    ServerAuthError,
    ServerItem,
)
from scanner.media_servers.clients.jellyfin import JellyfinClient
from scanner.media_servers.matching import Match
from scanner.media_servers.writes.events import item_failed
from scanner.media_servers.writes.originals import Originals, to_set
from scanner.media_servers.writes.retries import retried
from scanner.models import MediaServer, ScanRun
from scanner.pipeline.retries import Budget
from scanner.pipeline.writers.writes import TagWrite


class Sent(StrEnum):
    """What became of one update sent to a media server; its value is the key the
    server's outcome counts it under in the run's summary (``"errors"``: its failures)."""

    WRITTEN = "written"
    SAME = "same"  # the server had the tags meanwhile
    FAILED = "errors"
    REFRESHED = "refreshed"
    ORIGINAL_SET = "originals"  # an item's original language (Jellyfin 12)


WRITTEN, SAME, FAILED, REFRESHED = Sent.WRITTEN, Sent.SAME, Sent.FAILED, Sent.REFRESHED
ORIGINAL_SET = Sent.ORIGINAL_SET

# The server's failures, not the item's: raised, and its connection stops for the run.
SERVERS_OWN: tuple[type[MediaServerError], ...] = (ServerAuthError, *TRANSIENT_ERRORS)


@dataclass(frozen=True, slots=True)
class ServerUpdate:
    """One request to send: a tag write (``add``/``remove``), an original language
    (``original``, replacing ``ours``, the value Taggarr set last) or a refresh."""

    write: TagWrite
    item: ServerItem
    refresh: bool = False
    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()
    original: str = ""
    ours: str | None = None


def plan_updates(
    server: MediaServer,
    writes: list[TagWrite],
    matches: list[Match],
    every: set[str],
    reread: set[int],
    originals: Originals | None = None,
) -> list[ServerUpdate]:
    """What to send, in order: per matched server item, its tag write when its managed
    tags differ (as listed), its original language when ``originals`` (a Jellyfin 12
    connection) wants one it does not hold, and its refresh when its NFO is to be
    re-read."""
    by_pk = {w.media.pk: w for w in writes}
    updates = []
    for match in matches:
        write = by_pk[match.local.key]
        for item in match.server:
            add, remove = tag_edits(item.tags, write.wanted, write.managed | every)
            if server.write_tags and (add or remove):
                updates.append(
                    ServerUpdate(write, item, add=frozenset(add), remove=frozenset(remove))
                )
            if originals is not None:
                wanted = originals.wanted.get(write.media.pk)
                ours = originals.ours.get(write.media.pk)
                if wanted is not None and to_set(item, wanted, ours):
                    updates.append(ServerUpdate(write, item, original=wanted, ours=ours))
            if write.media.pk in reread:
                updates.append(ServerUpdate(write, item, refresh=True))
    return updates


def send_update(
    client: MediaServerClient,
    server: MediaServer,
    run: ScanRun,
    update: ServerUpdate,
    policy: Budget,
) -> Sent:
    """WRITTEN, SAME (the server had them meanwhile), REFRESHED, ORIGINAL_SET or FAILED
    (recorded here). The key refused, or no answer once retried: raised."""
    item = update.item
    doing = f"media server {server.name}: {update.write.media.title}"
    try:
        if update.refresh:
            retried(lambda: client.refresh(item), policy, doing)
            return REFRESHED
        if update.original:
            if not isinstance(client, JellyfinClient):  # planned for Jellyfin 12 only
                return SAME
            jellyfin, value, ours = client, update.original, update.ours
            changed = retried(
                lambda: jellyfin.set_original_language(item, value, ours=ours), policy, doing
            )
            return ORIGINAL_SET if changed else SAME
        changed = retried(
            lambda: client.set_tags(item, set(update.add), set(update.remove)), policy, doing
        )
        return WRITTEN if changed else SAME
    except SERVERS_OWN:
        raise
    except MediaServerError as exc:  # gone meanwhile (404), another 4xx, a 5xx ...
        item_failed(
            server, run, update.write, item, exc,
            refresh=update.refresh, original=bool(update.original),
        )  # fmt: skip
        return FAILED


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

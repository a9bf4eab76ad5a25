"""After a file's flags changed (written or undone), the rest of the stack follows (issue
81, item 4): the *arr is asked to refresh the item (its media info is read again), and
each enabled media server the instance feeds is asked to refresh its matched items (its
streams' default flags are read again). One request per item, never per file.

A refresh that fails is a log line, not a failure of the change: the file is right, and
the next scan that writes the item's tags refreshes it again where the server is set to.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

from scanner.arr.paths import PathMapper
from scanner.connect.arr import arr_client
from scanner.errors import ArrError, ConfigError
from scanner.media_servers.clients.base import MediaServerError, item_kind
from scanner.media_servers.connect import server_client
from scanner.media_servers.matching import match_items
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.media_servers.writes.tags import libraries_of, local_item
from scanner.models import Instance, Media, MediaServer

logger = logging.getLogger(__name__)


def refresh_items(instance: Instance, media_ids: Iterable[int]) -> dict[str, int]:
    """Ask the *arr and the media servers to read these items again; what was asked of
    each ("arr": items, "<server name>": items refreshed)."""
    items = list(Media.objects.filter(instance=instance, pk__in=set(media_ids)))
    asked: dict[str, int] = {}
    if not items:
        return asked
    if instance.is_arr:
        arr_ids = [m.arr_id for m in items if m.arr_id is not None]
        try:
            arr_client(instance).refresh(arr_ids)
            asked["arr"] = len(arr_ids)
        except (ArrError, ConfigError) as exc:
            logger.warning(
                "%s: the *arr was not asked to refresh %d items: %s",
                instance.name,
                len(arr_ids),
                exc,
            )
    for server in MediaServer.objects.filter(enabled=True, instances=instance):
        asked[server.name] = _refresh_on(server, items)
    return asked


def _refresh_on(server: MediaServer, items: list[Media]) -> int:
    """The items matched on ``server`` refreshed; how many of its items."""
    policy = server_retry_policy()
    doing = f"media server {server.name}"
    try:
        client = server_client(server)
    except ConfigError as exc:
        logger.warning("%s: not refreshed: %s", doing, exc)
        return 0
    refreshed = 0
    try:
        info = retried(client.info, policy, doing) if server.libraries else None
        ids = libraries_of(info, server) if info is not None else None
        kinds = {item_kind(m.kind) for m in items}
        found = retried(lambda: list(client.items(ids, kinds)), policy, doing)
        matches, _unmatched = match_items(
            (local_item(m) for m in items), found, PathMapper(server.path_mappings)
        )
        for match in matches:
            for item in match.server:
                try:
                    retried(functools.partial(client.refresh, item), policy, doing)
                    refreshed += 1
                except MediaServerError as exc:
                    logger.warning("%s: %s not refreshed: %s", doing, match.local.title, exc)
    except (MediaServerError, ConfigError) as exc:
        logger.warning("%s: not refreshed: %s", doing, exc)
    finally:
        client.close()
    return refreshed

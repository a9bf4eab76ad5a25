"""The media-server write step's events and log lines: an item that failed, a
connection that failed, the items the server does not have."""

from __future__ import annotations

import logging
from typing import Any

from scanner.media_servers.clients.base import ServerItem
from scanner.models import Event, MediaServer, ScanRun
from scanner.pipeline.writers.writes import TagWrite

logger = logging.getLogger("scanner.media_servers.writes.tags")

UNMATCHED_LISTED = 100  # in the event's data; the count is always whole


def item_failed(
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


def connection_failed(
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


def record_unmatched(server: MediaServer, run: ScanRun, rows: list[tuple[str, str]]) -> None:
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

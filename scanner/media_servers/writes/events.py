"""The media-server write step's events and log lines: an item that failed, a
connection that failed, the items the server does not have."""

from __future__ import annotations

import logging
from typing import Any

from scanner.errors import ConfigError
from scanner.media_servers.clients.base import (
    AT_PLEX_TV,
    ItemGone,
    LibraryNotFound,
    ServerAuthError,
    ServerErrorStatus,
    ServerItem,
    ServerUnreachable,
)
from scanner.models import Event, MediaServer, ScanRun
from scanner.models.event_data import (
    PLEX_TV_KEY,
    PLEX_TV_OTHER,
    PLEX_TV_UNREACHABLE,
    SERVER_CONFIG,
    SERVER_CONNECTION,
    SERVER_GONE,
    SERVER_KEY,
    SERVER_LIBRARY,
    SERVER_NOT_REFRESHED,
    SERVER_ORIGINAL_NOT_SET,
    SERVER_OTHER,
    SERVER_TAGS_NOT_WRITTEN,
    SERVER_UNMATCHED,
    SERVER_UNREACHABLE,
)
from scanner.pipeline.writers.writes import TagWrite

logger = logging.getLogger("scanner.media_servers.writes.tags")

UNMATCHED_LISTED = 100  # in the event's data; the count is always whole


def problem_of(error: Exception) -> str:
    """Why a server's write failed, as a code the pages tell (scanner.models.event_data):
    plex.tv's failures are plex.tv's, never the server's."""
    if getattr(error, "source", None) == AT_PLEX_TV:
        if isinstance(error, ServerAuthError):
            return PLEX_TV_KEY
        if isinstance(error, ServerUnreachable | ServerErrorStatus):
            return PLEX_TV_UNREACHABLE
        return PLEX_TV_OTHER
    if isinstance(error, ServerAuthError):
        return SERVER_KEY
    if isinstance(error, ServerUnreachable | ServerErrorStatus):
        return SERVER_UNREACHABLE
    if isinstance(error, LibraryNotFound):
        return SERVER_LIBRARY
    if isinstance(error, ItemGone):
        return SERVER_GONE
    if isinstance(error, ConfigError):
        return SERVER_CONFIG
    return SERVER_OTHER


def item_failed(
    server: MediaServer,
    run: ScanRun,
    write: TagWrite,
    item: ServerItem,
    error: Exception,
    *,
    refresh: bool,
    original: bool = False,
) -> None:
    what, code = (
        ("not refreshed", SERVER_NOT_REFRESHED)
        if refresh
        else ("original language not set", SERVER_ORIGINAL_NOT_SET)
        if original
        else ("tags not written", SERVER_TAGS_NOT_WRITTEN)
    )
    message = f"{server.name}: {write.media.title}: {what}: {error}"
    logger.warning("scan #%s: media server %s", run.pk, message)
    Event.objects.create(
        instance=run.instance,
        media=write.media,
        run=run,
        kind=Event.Kind.MEDIA_SERVER,
        message=message,
        data={
            "server": server.name,
            "item": item.id,
            "title": write.media.title,
            "what": code,
            "problem": problem_of(error),
            "error": f"{what}: {error}",
        },
    )


def connection_failed(
    server: MediaServer, run: ScanRun, outcome: dict[str, Any], error: Exception
) -> dict[str, Any]:
    logger.warning("scan #%s: media server %s: tags not written: %s", run.pk, server.name, error)
    Event.objects.create(
        instance=run.instance,
        run=run,
        kind=Event.Kind.MEDIA_SERVER,
        message=f"{server.name}: tags not written: {error}",
        data={
            "server": server.name,
            "what": SERVER_CONNECTION,
            "problem": problem_of(error),
            "error": str(error),
        },
    )
    return {**outcome, "error": str(error)}


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
            "what": SERVER_UNMATCHED,
            "count": len(rows),
            "unmatched": [
                {"title": title, "reason": reason} for title, reason in rows[:UNMATCHED_LISTED]
            ],
        },
    )

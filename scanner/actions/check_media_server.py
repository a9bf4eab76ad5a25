""" "Test connection" of a media server, for the admin and the API: its version, the
libraries it has, how many series and movies it lists, and how many items of each
instance it feeds are matched (with a sample, and why some are not)."""

from __future__ import annotations

from scanner.arr.checks import ConnectionReport
from scanner.arr.paths import PathMapper
from scanner.clients.media_servers import server_client
from scanner.errors import ConfigError
from scanner.media_servers.base import MediaServerError, ServerItem
from scanner.media_servers.matching import match_items
from scanner.models import MediaServer
from scanner.pipeline.server_writes import library_ids, local_item

UNMATCHED_SHOWN = 3
MEDIA_FIELDS = ("id", "kind", "title", "path", "tvdb_id", "tmdb_id", "imdb_id")


def server_report(server: MediaServer) -> ConnectionReport:
    """Never raises for a bad setting or an unreachable server: the report says why."""
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
        lines.append(f"{server.get_kind_display()} {info.version} ({info.name})")
        shown = ", ".join(f"{lib.name} ({lib.kind or 'other'})" for lib in info.libraries)
        lines.append(f"libraries: {shown or 'none'}")
        items = list(client.items(library_ids(client, server)))
        lines.append(f"{len(items)} series and movies seen")
        lines.extend(_match_lines(server, items))
        ok = True
    except MediaServerError as exc:
        ok = False
        lines.append(str(exc))
    finally:
        client.close()
    return ConnectionReport(ok=ok, version=version, has_original_language=None, lines=tuple(lines))


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
        line = f"{instance.name}: {len(matches)} of {len(media)} items matched"
        if matches:
            sample = matches[0]
            line += f", e.g. {sample.local.title!r} = {sample.server[0].title!r} by {sample.how}"
        lines.append(line)
        for row in unmatched[:UNMATCHED_SHOWN]:
            lines.append(f"{instance.name}: not found: {row.local.title!r}: {row.reason}")
    return lines

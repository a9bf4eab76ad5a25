"""Which item of each media server is which of an instance's items, for the badges
written through a server's image API (issue 95): before a run's badges are planned,
each enabled Jellyfin or Emby connection of the instance with its badges on is listed
once, matched as the tag writes match (scanner.media_servers.matching: by id and
folder, after its path mappings), and the links kept (ServerItemLink) for the item
tasks, which may run on other machines and address one server item at a time.

A server that does not answer, or refuses the key, keeps the links of its last listing
(its items' writes are refused one by one and planned again); its failure is logged
once, never its token."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction

from scanner.arr.paths import PathMapper
from scanner.errors import ConfigError
from scanner.media_servers.clients.base import MediaServerError, item_kind
from scanner.media_servers.connect import server_client
from scanner.media_servers.matching import match_items
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.media_servers.writes.tags import library_ids, local_item
from scanner.models import Instance, Media, MediaServer, ServerItemLink

logger = logging.getLogger(__name__)

# The servers whose posters Taggarr writes through their image API.
KINDS = (MediaServer.Kind.JELLYFIN, MediaServer.Kind.EMBY)
ITEM_FIELDS = ("pk", "kind", "title", "path", "tvdb_id", "tmdb_id", "imdb_id")

__all__ = ["KINDS", "badge_servers", "refresh_links"]


def badge_servers(instance: Instance) -> list[MediaServer]:
    """The instance's connections that get its badges."""
    servers = MediaServer.objects.filter(
        enabled=True, write_badges=True, instances=instance, kind__in=KINDS
    )
    return list(servers.order_by("pk"))


def refresh_links(instance: Instance) -> dict[str, int]:
    """List each of the instance's badge servers, match its items, keep the links; per
    server name, the items linked (-1: not listed, its links kept)."""
    linked: dict[str, int] = {}
    servers = badge_servers(instance)
    if not servers:
        return linked
    media = list(Media.objects.filter(instance=instance).only(*ITEM_FIELDS))
    for server in servers:
        try:
            found = _listed(server, media)
        except (MediaServerError, ConfigError) as exc:
            logger.warning("badges: media server %s not listed: %s", server.name, exc)
            linked[server.name] = -1
            continue
        _keep(server, [m.pk for m in media], found)
        linked[server.name] = sum(len(ids) for ids in found.values())
    return linked


def _listed(server: MediaServer, media: list[Media]) -> dict[int, set[str]]:
    """Media pk -> the server's item ids matched to it."""
    client = server_client(server)
    try:
        policy, doing = server_retry_policy(), f"media server {server.name}"
        ids = retried(lambda: library_ids(client, server), policy, doing)
        kinds = {item_kind(item.kind) for item in media}
        items = retried(lambda: list(client.items(ids, kinds)), policy, doing)
    finally:
        client.close()
    matches, _unmatched = match_items(
        (local_item(item) for item in media), items, PathMapper(server.path_mappings)
    )
    found: dict[int, set[str]] = defaultdict(set)
    for match in matches:
        found[match.local.key].update(item.id for item in match.server)
    return found


def _keep(server: MediaServer, media_ids: list[int], found: dict[int, set[str]]) -> None:
    """The links of the instance's items on ``server`` made those found: the others
    removed, the new added."""
    with transaction.atomic():
        kept = ServerItemLink.objects.filter(server=server, media_id__in=media_ids)
        rows = {(media_id, item_id): pk for pk, media_id, item_id in
                kept.values_list("pk", "media_id", "item_id")}  # fmt: skip
        have = set(rows)
        wanted = {(pk, item_id) for pk, ids in found.items() for item_id in ids}
        gone = [rows[key] for key in have - wanted]
        ServerItemLink.objects.filter(pk__in=gone).delete()
        ServerItemLink.objects.bulk_create(
            [ServerItemLink(server=server, media_id=pk, item_id=i) for pk, i in wanted - have],
            ignore_conflicts=True,
        )

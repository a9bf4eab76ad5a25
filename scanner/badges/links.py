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
from scanner.media_servers.clients.jellyfin import JellyfinClient
from scanner.media_servers.connect import server_client
from scanner.media_servers.matching import match_items
from scanner.media_servers.writes.retries import retried, server_retry_policy
from scanner.media_servers.writes.tags import library_ids, local_item
from scanner.models import Instance, Media, MediaServer, ServerItemLink

logger = logging.getLogger(__name__)

# The servers whose posters Taggarr writes through their API.
KINDS = (MediaServer.Kind.JELLYFIN, MediaServer.Kind.EMBY, MediaServer.Kind.PLEX)
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
        linked[server.name] = sum(1 for _pk, _item, season in found if season is None)
    return linked


# (media pk, the server's item id, its season number or None for the series or film)
Link = tuple[int, str, int | None]


def _listed(server: MediaServer, media: list[Media]) -> set[Link]:
    """The server's items matched to the instance's, and the seasons of its series."""
    client = server_client(server)
    try:
        policy, doing = server_retry_policy(), f"media server {server.name}"
        ids = retried(lambda: library_ids(client, server), policy, doing)
        kinds = {item_kind(item.kind) for item in media}
        items = retried(lambda: list(client.items(ids, kinds)), policy, doing)
        seasons = (
            retried(lambda: list(client.seasons(ids)), policy, doing)
            if "series" in kinds and isinstance(client, JellyfinClient)
            else []
        )
    finally:
        client.close()
    matches, _unmatched = match_items(
        (local_item(item) for item in media), items, PathMapper(server.path_mappings)
    )
    found: set[Link] = set()
    series: dict[str, set[int]] = defaultdict(set)  # the server's series id -> media pks
    for match in matches:
        for item in match.server:
            found.add((match.local.key, item.id, None))
            series[item.id].add(match.local.key)
    for season in seasons:
        found.update((pk, season.id, season.number) for pk in series.get(season.series_id, ()))
    return found


def _keep(server: MediaServer, media_ids: list[int], found: set[Link]) -> None:
    """The links of the instance's items on ``server`` made those found: the others
    removed, the new added."""
    with transaction.atomic():
        kept = ServerItemLink.objects.filter(server=server, media_id__in=media_ids)
        rows = {(media_id, item_id, season): pk for pk, media_id, item_id, season in
                kept.values_list("pk", "media_id", "item_id", "season")}  # fmt: skip
        have = set(rows)
        gone = [rows[key] for key in have - found]
        ServerItemLink.objects.filter(pk__in=gone).delete()
        ServerItemLink.objects.bulk_create(
            [
                ServerItemLink(server=server, media_id=pk, item_id=item_id, season=season)
                for pk, item_id, season in found - have
            ],
            ignore_conflicts=True,
        )

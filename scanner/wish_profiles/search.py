"""The one search after a change asked in Seerr (issue 82, "From a request to the right
grab": "right after, followed by one search"), so that the *arr grabs with the profile
it was just given.

An item with files that lack a target is searched for them by the searches' own rule
(scanner.searches.send.search_missing: the missing dub). An item with no file yet (the
usual request: Seerr just added it, and the *arr's own first search may have run under
the old profile) is searched as the *arr searches a new item: Radarr's MoviesSearch of
the movie, Sonarr's EpisodeSearch of its monitored episodes without a file. Both go
under the searches' daily bound and interval (a MissingSearch row, the instance's row
locked while it is reserved): an item searched within the interval, Seerr's own
reserved search among them, is not searched again. True when the *arr took a search.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from scanner.arr.clients import ArrClient, SonarrClient
from scanner.connect.arr import arr_client
from scanner.errors import ArrError, ArrUnconfirmedError, ConfigError
from scanner.models import Instance, Media, MissingSearch
from scanner.searches.plan import searched_today
from scanner.searches.send import search_missing

logger = logging.getLogger(__name__)


def search_after(media_id: int, asked_by: str) -> bool:
    """One search of the item now; whether the *arr took one."""
    try:
        report = search_missing([media_id], trigger=MissingSearch.Trigger.WEBHOOK, user=asked_by)
    except (ArrError, ConfigError) as exc:
        logger.warning("item %s: the search after its profile change failed: %s", media_id, exc)
        return False
    if report.asked:
        return True
    media = Media.objects.select_related("instance").filter(pk=media_id).first()
    if media is None or media.arr_id is None or media.files.exists():
        return False  # its files have the dub, or the bound or the interval said no
    return _search_new(media, asked_by)


def _search_new(media: Media, asked_by: str) -> bool:
    """An item with no file searched as the *arr searches a new one, under the bound."""
    instance = media.instance
    try:
        client = arr_client(instance)
    except ConfigError:
        return False
    with client:
        try:
            ids = _wanted_ids(client, media)
        except ArrError as exc:
            logger.warning("%s: its episodes could not be read: %s", media.title, exc)
            return False
        row = _reserve(media, ids, asked_by)
        if row is None:
            return False
        try:
            command = client.search(row.arr_ids)
        except ArrUnconfirmedError:
            return True  # it may have been queued: the reservation stands
        except ArrError as exc:
            logger.warning("%s: the *arr refused the search: %s", media.title, exc)
            row.delete()
            return False
    row.command_id = command
    row.save(update_fields=["command_id"])
    return True


def _wanted_ids(client: ArrClient, media: Media) -> list[int]:
    """What to ask for: the movie, or the series' monitored episodes without a file."""
    arr_id = media.known_arr_id
    if not isinstance(client, SonarrClient):
        return [arr_id]
    return [e.id for e in client.episodes(arr_id) if e.monitored and not e.file_id]


def _reserve(media: Media, ids: list[int], asked_by: str) -> MissingSearch | None:
    """The search reserved under the daily bound and the interval (the instance's row
    locked, as the searches reserve theirs); None when they say no."""
    if not ids:
        return None
    now = timezone.now()
    with transaction.atomic():
        instance = Instance.objects.select_for_update().get(pk=media.instance_id)
        since = now - timedelta(days=instance.search_interval_days)
        if MissingSearch.objects.filter(media=media, created_at__gt=since).exists():
            return None
        left = instance.search_daily_limit - searched_today(instance, now)
        if left <= 0:
            return None
        wanted = ids[:left]
        return MissingSearch.objects.create(
            instance=instance,
            media=media,
            title=media.title[:500],
            arr_ids=wanted,
            searched=len(wanted),
            trigger=MissingSearch.Trigger.WEBHOOK,
            user=asked_by[:150],
        )

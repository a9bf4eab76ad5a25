"""Asking the *arr to search: the plan is taken and reserved in the database first (one
process at a time per instance, so two searches never spend the same daily bound), then
the commands are sent; a command the *arr refused frees what it had reserved. The admin
and the API reserve in the request (their answer tells what was reserved) and a worker
asks; the schedule does both on the worker.

One command per item: Sonarr's EpisodeSearch with the ids of the episodes whose files
lack a target and that Sonarr monitors (one request for the series' episodes first),
Radarr's MoviesSearch with the movie's id. Each item asked for is an event.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import translation

from scanner.connect.arr import arr_client
from scanner.engine.dub_news import episode_list
from scanner.errors import ArrError, ArrUnconfirmedError, ConfigError
from scanner.models import Event, Instance, Media, MissingSearch
from scanner.searches.monitored import monitored_ids
from scanner.searches.plan import (
    ItemSearch,
    SearchPlan,
    Skipped,
    describe_missing,
    missing_targets,
    plan_search,
)

logger = logging.getLogger(__name__)


@dataclass
class SearchReport:
    asked: list[MissingSearch] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # per instance: why nothing more was asked


def search_missing(
    media_ids: Iterable[int],
    *,
    season: int | None = None,
    trigger: str,
    user: str = "",
    now: datetime | None = None,
    episodes: Collection[tuple[int, int]] | None = None,
) -> SearchReport:
    """Search for the missing dubs of these items (of ``season`` only, when given;
    of those ``episodes`` only, when given); ``now`` is when the daily bound and the
    intervals are counted from."""
    plan, rows = reserve_searches(
        media_ids, season=season, trigger=trigger, user=user, now=now, episodes=episodes
    )
    report = ask_reserved(rows)
    report.skipped[:0] = plan.skipped
    return report


def reserve_searches(
    media_ids: Iterable[int],
    *,
    season: int | None = None,
    trigger: str,
    user: str = "",
    now: datetime | None = None,
    episodes: Collection[tuple[int, int]] | None = None,
) -> tuple[SearchPlan, list[int]]:
    """Plan and reserve the searches under the daily bound and the intervals (one
    process at a time per instance: the instance's row is locked while its plan is read
    and its reservations written). Returns what was reserved (``plan.searches``, their
    counts: what an answer may promise) with what was left out, and the reservations'
    ids for ``ask_reserved``."""
    reserved = SearchPlan()
    rows: list[int] = []
    chosen = Media.objects.filter(pk__in=set(media_ids)).select_related("instance")
    by_instance: dict[int, list[int]] = defaultdict(list)
    for item in chosen.order_by("title", "pk"):
        by_instance[item.instance_id].append(item.pk)
    for instance_id, ids in by_instance.items():
        with transaction.atomic():
            instance = Instance.objects.select_for_update().get(pk=instance_id)
            items = list(
                Media.objects.filter(pk__in=ids).select_related("instance").order_by("title", "pk")
            )
            plan = plan_search(items, season=season, now=now, episodes=episodes)
            rows += [
                _reserve(instance, search, season, trigger, user).pk for search in plan.searches
            ]
        reserved.searches += plan.searches
        reserved.skipped += plan.skipped
        reserved.left_today.update(plan.left_today)
    return reserved, rows


def ask_reserved(row_ids: Iterable[int]) -> SearchReport:
    """Ask the *arr for the reserved searches not asked yet (a task run again asks for
    none twice): their episodes, or the movie."""
    report = SearchReport()
    pending = (
        MissingSearch.objects.filter(pk__in=set(row_ids), command_id__isnull=True)
        .select_related("instance", "media__instance")
        .order_by("pk")
    )
    by_instance: dict[int, list[tuple[ItemSearch, MissingSearch]]] = defaultdict(list)
    gone: list[MissingSearch] = []
    for row in pending:
        if row.arr_ids:
            continue  # asked already; the *arr did not confirm it: the reservation stands
        if row.media is None:
            gone.append(row)
            continue
        episodes = [(int(pair[0]), int(pair[1])) for pair in row.episodes]
        search = ItemSearch(row.media, episodes, missing_targets(row.media))
        by_instance[row.instance_id].append((search, row))
    if gone:
        _free(gone, report, "the item was deleted before it was asked for")
    for searches in by_instance.values():
        _ask(searches[0][1].instance, searches, report)
    return report


def _reserve(
    instance: Instance, search: ItemSearch, season: int | None, trigger: str, user: str
) -> MissingSearch:
    return MissingSearch.objects.create(
        instance=instance,
        media=search.media,
        title=search.media.title[:500],
        season=season,
        episodes=[list(pair) for pair in search.episodes],
        searched=search.count,
        trigger=trigger,
        user=user[:150],
    )


def _ask(
    instance: Instance, searches: list[tuple[ItemSearch, MissingSearch]], report: SearchReport
) -> None:
    try:
        client = arr_client(instance)
    except ConfigError as exc:
        _free([row for _, row in searches], report, f"{instance.name}: {exc}")
        return
    app = "Sonarr" if instance.kind == Instance.Kind.SONARR else "Radarr"
    with client:
        for index, (search, row) in enumerate(searches):
            try:
                ids, why_none = monitored_ids(client, search)
                if not ids:
                    row.delete()
                    report.skipped.append(Skipped(search.media, why_none))
                    continue
                row.arr_ids = ids
                row.episodes = [list(pair) for pair in search.episodes]
                row.searched = search.count
                row.command_id = client.search(ids)
            except ArrUnconfirmedError as exc:
                # It may have been queued: the reservation stands (the bound stays honest).
                row.save(update_fields=_ASKED)
                rest = [later for _, later in searches[index + 1 :]]
                _free(rest, report, f"{instance.name}: {exc}")
                return
            except ArrError as exc:
                _free([later for _, later in searches[index:]], report, f"{instance.name}: {exc}")
                return
            row.save(update_fields=[*_ASKED, "command_id"])
            _record(instance, app, search, row)
            report.asked.append(row)


_ASKED = ["arr_ids", "episodes", "searched"]


def free_reserved(row_ids: Iterable[int]) -> None:
    """Reservations nothing will ask for (the broker is down): the bound gets them back."""
    MissingSearch.objects.filter(pk__in=set(row_ids), command_id__isnull=True, arr_ids=[]).delete()


def _free(rows: list[MissingSearch], report: SearchReport, why: str) -> None:
    """Not asked: the reservations go, so the bound and the intervals do not count them."""
    MissingSearch.objects.filter(pk__in=[row.pk for row in rows]).delete()
    logger.warning("search for missing dubs stopped: %s", why)
    report.failed.append(why)


def _record(instance: Instance, app: str, search: ItemSearch, row: MissingSearch) -> None:
    seasons: dict[int, list[int]] = defaultdict(list)
    for season, number in search.episodes:
        seasons[season].append(number)
    what = ", ".join(episode_list(s, numbers) for s, numbers in sorted(seasons.items()))
    with translation.override("en"):  # the history's record is English (scanner.engine)
        missing = describe_missing(search.missing)
    message = (
        f"{search.media.title}: asked {app} to search {what or 'the movie'} ({missing} missing)"
    )
    if search.bound:
        message += f"; {search.bound[0]} of {search.bound[1]} episodes today (the daily bound)"
    Event.objects.create(
        instance=instance,
        media=search.media,
        kind=Event.Kind.SEARCH,
        message=message[:2000],
        data={
            "arr_ids": row.arr_ids, "episodes": row.episodes, "command": row.command_id,
            "missing": search.missing, "trigger": row.trigger, "user": row.user,
            **({"bound": list(search.bound)} if search.bound else {}),
        },
    )  # fmt: skip

"""Searching for missing dubs from the admin and the API: the preview is read from the
database at once (scanner.searches.plan); the search itself is reserved in the request,
under the daily bound (scanner.searches.send), and a worker asks the *arr."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings

from scanner.http.bounds import overall_deadline
from scanner.models import Media, MissingSearch
from scanner.searches.monitored import as_sent
from scanner.searches.plan import SearchPlan, Skipped, plan_search
from scanner.searches.send import reserve_searches

NOT_QUEUED = "not queued: the message broker is unreachable; try again when it is back"


def preview_search(media_ids: Iterable[int], *, season: int | None = None) -> SearchPlan:
    """What the search would ask for: planned from the database as the search plans it,
    then narrowed to the episodes Sonarr monitors as the search narrows it (the same
    rule: scanner.searches.monitored; Sonarr is asked within a web request's deadline)."""
    items = Media.objects.filter(pk__in=set(media_ids)).select_related("instance")
    plan = plan_search(list(items.order_by("title", "pk")), season=season)
    with overall_deadline(settings.WEB_DEADLINE_SECONDS):
        return as_sent(plan)


def queue_search(
    media_ids: Iterable[int],
    *,
    season: int | None,
    trigger: str,
    user: str,
    send: Callable[[list[int]], None],
) -> SearchPlan:
    """Reserve the searches under the daily bound now, and queue the asking for a
    worker. Returns what was reserved (``searches``: none, nothing is queued), and what
    was left out and why: an answer promises only what will be asked for. ``send`` queues
    the reserved ids (the caller's ``scanner.tasks.send_missing_search``: the tasks import
    the searches, never the reverse)."""
    plan, reserved = reserve_searches(media_ids, season=season, trigger=trigger, user=user)
    if not reserved:
        return plan
    send(reserved)  # at once, outside a transaction
    if not MissingSearch.objects.filter(pk__in=reserved).exists():
        # The broker was down: nothing will ask, the reservations were given back.
        for search in plan.searches:
            plan.left_today[search.media.instance.name] += search.count
            plan.skipped.append(Skipped(search.media, NOT_QUEUED))
        plan.searches = []
    return plan

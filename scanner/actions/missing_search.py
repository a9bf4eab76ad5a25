"""Searching for missing dubs from the admin and the API: the preview is read from the
database at once (scanner.searches.plan), the search itself is queued for a worker,
which takes the plan again in the database and asks the *arr (scanner.searches.send)."""

from __future__ import annotations

from collections.abc import Iterable

from scanner import tasks
from scanner.models import Media
from scanner.searches.plan import SearchPlan, plan_search


def preview_search(media_ids: Iterable[int], *, season: int | None = None) -> SearchPlan:
    items = Media.objects.filter(pk__in=set(media_ids)).select_related("instance")
    return plan_search(list(items.order_by("title", "pk")), season=season)


def queue_search(plan: SearchPlan, *, season: int | None, trigger: str, user: str) -> int:
    """Queue the plan's searches; how many items it asks for (0: nothing is queued)."""
    ids = [search.media.pk for search in plan.searches]
    if ids:
        tasks.send_missing_search(ids, season, trigger=trigger, user=user)
    return len(ids)

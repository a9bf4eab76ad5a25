"""Dub arrivals and losses as people read them: the latest (the dashboard, the feed) and
how many per instance lately; read from the events the apply step records
(scanner.pipeline.scanning.dub_news), in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from scanner.engine.dub_news import episode_list
from scanner.language_names import language_name
from scanner.models import Event, Instance, Media

NEWS_KINDS = (Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST)


def latest_dub_news(*, instance_id: int | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The newest arrivals and losses (of one instance, or of all), newest first."""
    # The item is shown by its title: its scanned JSON (2 KB and more a row) is not read.
    wide = (*Media.LIST_DEFERRED, "verdict_reasons")
    events = (
        Event.objects.filter(kind__in=NEWS_KINDS)
        .select_related("instance", "media")
        .defer(*(f"media__{name}" for name in wide))
    )
    if instance_id is not None:
        events = events.filter(instance_id=instance_id)
    return [news_of(event) for event in events.order_by("-created_at", "-id")[:limit]]


def news_of(event: Event) -> dict[str, Any]:
    """One arrival or loss event, as the pages and the feed read it."""
    data = event.data if isinstance(event.data, dict) else {}
    language = str(data.get("language") or "")
    season = data.get("season")
    episodes = [n for n in data.get("episodes") or [] if isinstance(n, int)]
    return {
        "id": event.pk,
        "kind": event.kind,
        "arrived": event.kind == Event.Kind.DUB_ARRIVED,
        "created_at": event.created_at,
        "instance": event.instance_id,
        "instance_name": event.instance.name if event.instance else "",
        "media": event.media_id,
        "title": event.media.title if event.media else event.message.partition(":")[0],
        "language": language,
        "language_name": language_name(language) if language else "",
        "season": season if isinstance(season, int) else None,
        "episodes": _where(season, episodes),
        "episode_numbers": episodes,
        "season_complete": bool(data.get("season_complete")),
        "files": [f for f in data.get("files") or [] if isinstance(f, dict)],
        "message": event.message,
    }


def _where(season: Any, episodes: list[int]) -> str:
    """``S02E01-E03``; a season without episode numbers in the reader's words; "" for a
    film."""
    if not isinstance(season, int):
        return ""
    if not episodes:
        return gettext("season %(season)d") % {"season": season}
    return episode_list(season, episodes)


def dub_news_counts(*, days: int = 7) -> list[dict[str, Any]]:
    """Per instance: arrivals and losses of the last ``days`` days."""
    since = timezone.now() - timedelta(days=days)
    recent = Q(events__created_at__gte=since)
    rows = (
        Instance.objects.order_by("name")
        .values("id", "name")
        .annotate(
            arrived=Count("events", filter=recent & Q(events__kind=Event.Kind.DUB_ARRIVED)),
            lost=Count("events", filter=recent & Q(events__kind=Event.Kind.DUB_LOST)),
        )
    )
    return [
        {"instance": r["id"], "name": r["name"], "arrived": r["arrived"], "lost": r["lost"]}
        for r in rows
    ]

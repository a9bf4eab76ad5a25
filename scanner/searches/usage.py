"""Searches for missing dubs in numbers, per *arr instance: whether it searches on a
schedule, what the daily bound leaves today, and the last search (one query)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Max, Q, Sum
from django.utils import timezone

from scanner.models import Instance


def search_usage() -> list[dict[str, Any]]:
    since = timezone.now() - timedelta(hours=24)
    rows = (
        Instance.objects.exclude(kind=Instance.Kind.LIBRARY)
        .order_by("name")
        .annotate(
            today=Sum(
                "missing_searches__searched", filter=Q(missing_searches__created_at__gt=since)
            ),
            last=Max("missing_searches__created_at"),
        )
    )
    return [
        {
            "instance": row.pk,
            "name": row.name,
            "scheduled": row.search_missing_scheduled,
            "searched_today": int(row.today or 0),
            "daily_limit": row.search_daily_limit,
            "left_today": max(0, row.search_daily_limit - int(row.today or 0)),
            "last_search_at": row.last,
        }
        for row in rows
    ]

"""The scheduled search for missing dubs: for each instance that asks for it (off by
default), the items whose files lack a target language and that were not searched within
the instance's interval, those never searched first, as many as the daily bound leaves.
Beat sends it every hour; a bound spent today waits for tomorrow."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from scanner.models import Instance, Media, MediaFile, MissingSearch
from scanner.searches.plan import LACKING, searched_today
from scanner.searches.send import SearchReport, search_missing
from scanner.searches.wanted import DUB_WANTED


def search_due(now: datetime | None = None) -> list[SearchReport]:
    now = now or timezone.now()
    instances = Instance.objects.filter(
        enabled=True, search_missing_scheduled=True, first_scan_at__isnull=False
    ).exclude(kind=Instance.Kind.LIBRARY)
    reports = []
    for instance in instances:
        left = instance.search_daily_limit - searched_today(instance, now)
        if left <= 0:
            continue
        ids = list(candidates(instance, now).values_list("pk", flat=True)[:left])
        if ids:
            reports.append(search_missing(ids, trigger=MissingSearch.Trigger.SCHEDULE, now=now))
    return reports


def candidates(instance: Instance, now: datetime) -> QuerySet[Media]:
    since = now - timedelta(days=instance.search_interval_days)
    lacking = MediaFile.objects.filter(media=OuterRef("pk"), result__in=LACKING)
    recent = MissingSearch.objects.filter(media=OuterRef("pk"), created_at__gt=since)
    last = MissingSearch.objects.filter(media=OuterRef("pk")).order_by("-created_at")
    return (
        instance.media.filter(Exists(lacking), DUB_WANTED, arr_id__isnull=False, monitored=True)
        .exclude(Exists(recent))
        .annotate(last_search=Subquery(last.values("created_at")[:1]))
        .order_by(F("last_search").asc(nulls_first=True), "title", "pk")
    )

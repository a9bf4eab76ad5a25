"""The instance list: per instance its last scan, its health and its counts, all from
annotations on the list's one query (scanner.reports.stats.with_last_run)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from scanner.engine.verdict import Tag
from scanner.models import Instance, Media, ScanRun
from scanner.reports.stats import with_last_run

OK_STATUSES = frozenset({ScanRun.Status.SUCCEEDED})
ACTIVE_STATUSES = frozenset(
    {ScanRun.Status.QUEUED, ScanRun.Status.RUNNING, ScanRun.Status.APPLYING}
)


def _media_count(**conditions: Any) -> Coalesce:
    rows = (
        Media.objects.filter(instance=OuterRef("pk"), **conditions)
        .order_by()
        .values("instance")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows[:1], output_field=IntegerField()), Value(0))


class InstanceListColumns:
    """Columns of InstanceAdmin's list (mixed in)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Instance]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return with_last_run(queryset).annotate(
            media_count=_media_count(), dubbed_count=_media_count(applied_tag=Tag.DUB)
        )

    @admin.display(description="last scan", ordering="last_run_created")
    def last_scan(self, instance: Instance) -> SafeString | str:
        if instance.last_run_id is None:
            return "never"
        when = instance.last_run_finished or instance.last_run_created
        return format_html(
            '<a href="{}">{}</a>, {}',
            reverse("admin:scanner_scanrun_change", args=[instance.last_run_id]),
            ScanRun.Status(instance.last_run_status).label,
            date_filter(when, "Y-m-d H:i"),
        )

    @admin.display(description="health")
    def health(self, instance: Instance) -> SafeString:
        status = instance.last_run_status
        if not instance.enabled:
            return format_html('<span class="taggarr-quiet">{}</span>', "disabled")
        if status is None:
            waiting = "waiting for its first scan" if instance.first_scan_at is None else "-"
            return format_html('<span class="taggarr-quiet">{}</span>', waiting)
        if status in OK_STATUSES:
            return format_html('<span class="taggarr-ok">{}</span>', "✔ last scan OK")
        if status in ACTIVE_STATUSES:
            return format_html('<span class="taggarr-quiet">{}</span>', "scanning")
        error = instance.last_run_error or ScanRun.Status(status).label
        return format_html(
            '<span class="taggarr-bad" title="{}">✘ {}</span>', error, truncatechars(error, 60)
        )

    @admin.display(description="items", ordering="media_count")
    def items(self, instance: Instance) -> SafeString:
        return _media_link(instance, instance.media_count)

    @admin.display(description="dubbed", ordering="dubbed_count")
    def dubbed(self, instance: Instance) -> SafeString:
        return _media_link(instance, instance.dubbed_count, applied_tag__exact=Tag.DUB.value)


def _media_link(instance: Instance, count: int, **filters: str) -> SafeString:
    query = urlencode({"instance__id__exact": instance.pk, **filters})
    return format_html(
        '<a href="{}?{}">{}</a>', reverse("admin:scanner_media_changelist"), query, count
    )

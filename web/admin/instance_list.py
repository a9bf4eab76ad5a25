"""The instance list: per instance its last scan, its health and its counts, all from
annotations on the list's one query (scanner.reports.stats.with_last_run). The last scan
and the health refresh themselves (taggarr/live.js: each cell is a [data-live-key]),
quickly while a scan of the instance runs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

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
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from scanner.connect.sentences import said
from scanner.engine.verdict import Tag
from scanner.models import Instance, Media, ScanRun
from scanner.reports.stats import LastRun, with_last_connection_test, with_last_run
from web.admin.secrets import KEY_CHANGED_TEXT
from web.labelled import label_value
from web.templatetags.taggarr import status_word


class ListRow(LastRun):
    """What the list's query adds to each instance besides its last run
    (scanner.reports.stats.with_last_connection_test, the counts)."""

    last_test_ok: bool | None
    last_test_at: datetime | None
    last_test_line: str | None
    media_count: int
    dubbed_count: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ListedInstance = WithAnnotations[Instance, ListRow]

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
        return with_last_connection_test(with_last_run(queryset)).annotate(
            media_count=_media_count(), dubbed_count=_media_count(applied_tag=Tag.DUB)
        )

    # Not "state" nor "mode": the health column is the instance's state, and a run's mode
    # is normal or rescan. What the instance does with tags: none, plans them, writes them.
    @admin.display(description=_("tag writing"), ordering="enabled")
    def state(self, instance: Instance) -> SafeString:
        if not instance.enabled:
            return format_html('<span class="taggarr-quiet">{}</span>', gettext("disabled"))
        return format_html(
            "{}", gettext("plans only") if instance.dry_run else gettext("writes tags")
        )

    @admin.display(description=_("schedule"), ordering="scan_interval_minutes")
    def schedule(self, instance: Instance) -> str:
        minutes = instance.scan_interval_minutes
        if not minutes:
            return gettext("by hand only")
        if minutes % 60 == 0:
            hours = minutes // 60
            return ngettext("every hour", "every %(hours)d hours", hours) % {"hours": hours}
        return ngettext("every minute", "every %(minutes)d minutes", minutes) % {"minutes": minutes}

    @admin.display(description=_("last scan"), ordering="last_run_created")
    def last_scan(self, instance: ListedInstance) -> SafeString:
        return _live(instance, "last-scan", self._last_scan(instance))

    def _last_scan(self, instance: ListedInstance) -> SafeString | str:
        if instance.last_run_id is None:
            return gettext("never")
        when = instance.last_run_finished or instance.last_run_created
        return format_html(
            '<a href="{}">{}</a>, <span class="taggarr-date">{}</span>',
            reverse("admin:scanner_scanrun_change", args=[instance.last_run_id]),
            status_word(instance.last_run_status),
            date_filter(when, "Y-m-d H:i"),
        )

    @admin.display(description=_("health"))
    def health(self, instance: ListedInstance) -> SafeString:
        return _live(instance, "health", self._health(instance))

    def _health(self, instance: ListedInstance) -> SafeString:
        status = instance.last_run_status
        if not instance.enabled:
            return format_html('<span class="taggarr-quiet">{}</span>', gettext("disabled"))
        if not Instance.api_key.readable(instance):
            return format_html(
                '<span class="taggarr-bad">✘ {}</span>',
                gettext("API key: %(problem)s") % {"problem": KEY_CHANGED_TEXT},
            )
        # A failed connection test newer than the last scan is the news (a 401 is not
        # "waiting for its first scan").
        if instance.last_test_ok is False and (
            status is None or _later(instance.last_test_at, instance.last_run_created)
        ):
            line = said(instance.last_test_line or "")
            failed = gettext("connection test failed")
            shown = label_value(failed, truncatechars(line, 60)) if line else failed
            return format_html('<span class="taggarr-bad" title="{}">✘ {}</span>', line, shown)
        if status is None:
            waiting = (
                gettext("waiting for its first scan") if instance.first_scan_at is None else "-"
            )
            return format_html('<span class="taggarr-quiet">{}</span>', waiting)
        if status in OK_STATUSES:
            return format_html('<span class="taggarr-ok">✔ {}</span>', gettext("last scan OK"))
        if status in ACTIVE_STATUSES:
            return format_html('<span class="taggarr-quiet">{}</span>', gettext("scanning"))
        error = instance.last_run_error or str(ScanRun.Status(status).label)
        return format_html(
            '<span class="taggarr-bad" title="{}">✘ {}</span>', error, truncatechars(error, 60)
        )

    @admin.display(description=_("items"), ordering="media_count")
    def items(self, instance: ListedInstance) -> SafeString:
        return _media_link(instance, instance.media_count)

    @admin.display(description=_("dubbed"), ordering="dubbed_count")
    def dubbed(self, instance: ListedInstance) -> SafeString:
        return _media_link(instance, instance.dubbed_count, applied_tag__exact=Tag.DUB.value)


def _later(tested: datetime | None, run: datetime | None) -> bool:
    """Whether the test is newer than the run (both are known where it is asked)."""
    return tested is not None and run is not None and tested > run


def _live(instance: ListedInstance, what: str, shown: SafeString | str) -> SafeString:
    """A cell live.js refreshes; fast while the instance's scan is active."""
    active = "true" if instance.last_run_status in ACTIVE_STATUSES else "false"
    return format_html(
        '<span data-live-key="{}-{}" data-live-active="{}">{}</span>',
        what,
        instance.pk,
        active,
        shown,
    )


def _media_link(instance: Instance, count: int, **filters: str) -> SafeString:
    params: dict[str, int | str] = {"instance__id__exact": instance.pk, **filters}
    query = urlencode(params)
    return format_html(
        '<a href="{}?{}">{}</a>', reverse("admin:scanner_media_changelist"), query, count
    )

"""The dashboard (linked from the admin index): tags per instance, scan history,
instance health and recent events. Reachability is asked for by the page's script
(POST /api/instances/{id}/test/), so a slow *arr never holds up the page."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone

from scanner.models import Event, ScanRun
from scanner.reports import stats
from web.admin.charts import HistoryPoint, StackedRow, history_bars, stacked_bars

HISTORY_DAYS = 30
HISTORY_RUNS = 40
RECENT_EVENTS = 15


def dashboard(request: HttpRequest) -> HttpResponse:
    distribution = stats.tag_distribution()
    history = stats.scan_history(days=HISTORY_DAYS, limit=HISTORY_RUNS)
    applied = [
        StackedRow(row["name"], [(tag, row["applied"][tag]) for tag in stats.TAGS])
        for row in distribution
    ]
    planned = [
        StackedRow(
            row["name"],
            [(tag, row["planned"][tag]) for tag in stats.TAGS]
            + [(stats.UNDECIDED, row["planned"][stats.UNDECIDED])],
        )
        for row in distribution
    ]
    points = [
        HistoryPoint(
            label=f"#{run['id']} {run['instance_name']}",
            duration=run["duration_seconds"] or 0.0,
            items=run["items"],
            changes=run["tags_changed"] or run["planned_changes"],
            failed=run["status"] != ScanRun.Status.SUCCEEDED,
            day=dateformat.format(
                timezone.localtime(run["finished_at"] or run["created_at"]), "M j"
            ),
        )
        for run in history
    ]
    health = stats.instance_health()
    for row in health:
        row["test_url"] = reverse("instance-test", args=[row["instance"].pk])
    context = {
        **admin.site.each_context(request),
        "title": "Dashboard",
        "distribution": distribution,
        "totals": stats.totals(distribution),
        "languages": stats.language_coverage(),
        "applied_chart": stacked_bars(applied, title="Applied tags per instance"),
        "planned_chart": stacked_bars(planned, title="Planned tags per instance"),
        "history_chart": history_bars(points, title=f"Scans of the last {HISTORY_DAYS} days"),
        "history": history[-10:][::-1],
        "health": health,
        "events": Event.objects.select_related("instance", "media")[:RECENT_EVENTS],
    }
    return render(request, "admin/taggarr_dashboard.html", context)

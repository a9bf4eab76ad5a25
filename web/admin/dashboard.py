"""The dashboard (linked from the main menu): tags per instance, what needs a person's
review, the latest dubs that arrived or were lost, scan history, instance health, each
person's track on the Plex servers (when a household exists) and recent events. Health
is what the database knows (the last scan, the last connection test): rendering the
page never contacts an *arr. While a scan runs the page refreshes itself
(taggarr/live.js)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from scanner.engine.verdict import Tag
from scanner.history.event_text import event_message
from scanner.household.track_results import household_track_results, track_result_sentence
from scanner.models import Event, Instance, Media, Person, ScanRun
from scanner.reports import stats
from scanner.reports.dub_news import latest_dub_news
from scanner.reports.profile_guard_text import profile_guard_rows
from scanner.reports.track_run_text import TOKEN
from scanner.searches.usage import search_usage
from web.admin.charts import HistoryPoint, StackedRow, day_label, history_bars, stacked_bars
from web.admin.media_filters import language_query

HISTORY_DAYS = 30
HISTORY_RUNS = 40
RECENT_EVENTS = 15
RECENT_DUB_NEWS = 10
NARROW = {"width": 360, "label_width": 100}  # a phone's copy of each bar chart
# An event's item is shown by its title: not its scanned JSON (2 KB and more a row).
WIDE_MEDIA = tuple(f"media__{name}" for name in (*Media.LIST_DEFERRED, "verdict_reasons"))


def dashboard(request: HttpRequest) -> HttpResponse:
    distribution, coverage = stats.library_counts()  # one pass over the items
    totals = stats.totals(distribution)
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
            label="#{} {}".format(run["id"], run["instance_name"]),
            duration=run["duration_seconds"] or 0.0,
            items=run["items"],
            changes=run["tags_changed"] or run["planned_changes"],
            failed=run["status"] != ScanRun.Status.SUCCEEDED,
            day=day_label(timezone.localtime(run["finished_at"] or run["created_at"])),
        )
        for run in history
    ]
    history_title = ngettext(
        "Scans of the last %(days)d day", "Scans of the last %(days)d days", HISTORY_DAYS
    ) % {"days": HISTORY_DAYS}
    events = list(
        Event.objects.select_related("instance", "media").defer(*WIDE_MEDIA)[:RECENT_EVENTS]
    )
    context = {
        **admin.site.each_context(request),
        "title": gettext("Dashboard"),
        "distribution": distribution,
        "totals": totals,
        "languages": language_rows(coverage),
        "media_url": reverse("admin:scanner_media_changelist"),
        "charts": {
            "applied": _both(stacked_bars, applied, title=gettext("Applied tags per instance")),
            "planned": _both(stacked_bars, planned, title=gettext("Planned tags per instance")),
            "history": (
                history_bars(points, title=history_title),
                history_bars(points, title=history_title, width=NARROW["width"]),
            ),
        },
        "history": history[-10:][::-1],
        "health": stats.instance_health(),
        "profile_guards": profile_guard_rows(),
        "person_tracks": person_track_servers() if Person.objects.exists() else None,
        "events": [(event, event_message(event)) for event in events],
        "dub_news": latest_dub_news(limit=RECENT_DUB_NEWS),
        "searches": [row for row in search_usage() if row["scheduled"] or row["searched_today"]],
        "primary": primary_action(totals),
        "scanning": ScanRun.objects.filter(status__in=ScanRun.ACTIVE).exists(),
    }
    return render(request, "admin/taggarr_dashboard.html", context)


# The language table's buckets (stats.language_coverage) and the state each one counts.
BUCKET_STATES = {"full": Tag.DUB.value, "partial": Tag.SEMI_DUB.value, "none": Tag.NONE.value}


def language_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row with, per bucket, the media list of exactly the items it counts."""
    media_url = reverse("admin:scanner_media_changelist")
    return [
        {
            **row,
            "links": {
                bucket: f"{media_url}?instance__id__exact={row['instance']}&"
                + language_query(row["language"], state)
                for bucket, state in BUCKET_STATES.items()
            },
        }
        for row in rows
    ]


def _both(draw: Any, rows: list[StackedRow], *, title: str) -> tuple[str, str]:
    """The chart for a laptop and for a phone (the page shows one, by its width)."""
    return draw(rows, title=title), draw(rows, title=title, **NARROW)


def primary_action(totals: dict[str, Any]) -> dict[str, str]:
    """The dashboard's one primary action: review what waits, else add or scan."""
    pending = totals["pending_changes"]
    if pending:
        url = reverse("admin:scanner_media_changelist") + "?pending=yes"
        text = ngettext(
            "Review the %(count)d planned change", "Review the %(count)d planned changes", pending
        ) % {"count": pending}
        return {"url": url, "text": text}
    if not Instance.objects.exists():
        return {"url": reverse("admin:scanner_instance_add"), "text": gettext("Add an instance")}
    return {
        "url": reverse("admin:scanner_instance_changelist"),
        "text": gettext("Scan an instance"),
    }


def person_track_servers() -> list[dict[str, Any]]:
    """Each Plex server of the household with, per account, the last run of the step
    that sets each person's track, said as its event says it, and the person's page."""
    servers = []
    for server in household_track_results():
        rows = []
        for line in server.accounts:
            result = line.result
            if result is None:
                state = "never"
            elif result.problem == TOKEN:
                state = "token"
            elif result.problem:
                state = "stopped"
            else:
                state = "dry-run" if result.dry_run else "set"
            rows.append(
                {
                    "person": line.person,
                    "account": line.account,
                    "url": reverse("admin:scanner_person_tracks", args=[line.person_pk]),
                    "state": state,
                    "when": (result.ended_at or result.started_at) if result else None,
                    "sentence": track_result_sentence(result) if result else "",
                }
            )
        servers.append(
            {"name": server.server, "enabled": server.enabled, "applies": server.applies,
             "rows": rows}
        )  # fmt: skip
    return servers

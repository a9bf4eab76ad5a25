"""Review, then apply: the tag changes a run planned that are not written yet (a dry
run's, or a run's whose writes failed), each with where it goes from and to and why;
**Apply** writes all or the selected ones (a run that reads no file), **Read the files
again** reads one item's files again and writes as its page's button does.

Pending is a fact of the database (planned differs from applied), so the list is
what Apply would write now, whichever run planned it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from scanner.actions.scans import ScanAlreadyActive, apply_planned, rescan_media
from scanner.errors import ConfigError
from scanner.models import Instance, Media, ScanRun
from scanner.reports.progress import run_name
from scanner.reports.tag_change_text import same_tag
from scanner.reports.verdict_text import reason_sentence

REVIEW_LIMIT = 100  # rows on the run page; the media list (filtered) shows them all


@dataclass(frozen=True)
class PlannedChange:
    media: Media
    gained: list[str]  # labels it gets
    lost: list[str]  # labels it loses
    why: str

    @property
    def tag_changes(self) -> bool:
        planned = self.media.planned_tag
        return bool(planned) and not same_tag(self.media.applied_tag, planned)


@dataclass(frozen=True)
class Review:
    run: ScanRun
    changes: list[PlannedChange]
    total: int
    all_url: str  # the media list, filtered to these items

    @property
    def more(self) -> int:
        return self.total - len(self.changes)


def pending_media(run: ScanRun) -> QuerySet[Media]:
    """The run's items (all of the instance's, for an unscoped run) with a planned change."""
    media = run.instance.media.filter(Media.PENDING_CHANGE)
    if run.scope:
        media = media.filter(run.instance.scope_filter(run.scope))
    return media


def review_of(run: ScanRun) -> Review | None:
    """None while the run is active, or when it is not one to review (a run that
    planned nothing and left nothing pending)."""
    if run.is_active:
        return None
    pending = pending_media(run)
    total = pending.count()
    if not total and not (run.dry_run and run.summary.get("planned_changes")):
        return None
    rows = pending.only(
        "pk",
        "title",
        "applied_tag",
        "planned_tag",
        "applied_labels",
        "planned_labels",
        "verdict_reasons",
    ).order_by("title", "pk")[:REVIEW_LIMIT]
    changes = [
        PlannedChange(
            media=media,
            gained=sorted(set(media.planned_labels) - set(media.applied_labels)),
            lost=sorted(set(media.applied_labels) - set(media.planned_labels)),
            why=reason_sentence(media.verdict_reasons),
        )
        for media in rows
    ]
    query = f"?instance__id__exact={run.instance_id}&pending=yes"
    return Review(run, changes, total, reverse("admin:scanner_media_changelist") + query)


# --- starting runs from the admin: one way, one set of messages ----------------------


def start_and_report(
    model_admin: admin.ModelAdmin[Media],
    request: HttpRequest,
    instance: Instance,
    start: Callable[[], ScanRun],
) -> ScanRun | None:
    """Start a run, and say what happened in the admin's messages."""
    try:
        run = start()
    except ScanAlreadyActive as exc:
        active = run_link(exc.run, gettext("scan")) if exc.run else gettext("another scan")
        text = gettext("{instance}: not started, {active} is still active.")
        message = format_html(text, instance=instance.name, active=active)
        model_admin.message_user(request, message, messages.WARNING)
        return None
    except ConfigError as exc:
        text = gettext("%(instance)s: not started, %(error)s.")
        model_admin.message_user(
            request, text % {"instance": instance.name, "error": exc}, messages.ERROR
        )
        return None
    text = gettext("{run} of {instance} queued.")
    message = format_html(text, run=run_link(run, run_name(run)), instance=instance.name)
    model_admin.message_user(request, message, messages.SUCCESS)
    return run


def run_link(run: ScanRun, what: str) -> SafeString:
    url = reverse("admin:scanner_scanrun_change", args=[run.pk])
    return format_html('<a href="{}">{} #{}</a>', url, what, run.pk)


def apply_selected(
    model_admin: admin.ModelAdmin[Media], request: HttpRequest, media: QuerySet[Media]
) -> list[ScanRun]:
    """Apply the planned changes of these media: one run per instance."""
    started = []
    for instance, ids in _by_instance(media).items():
        run = start_and_report(
            model_admin,
            request,
            instance,
            partial(apply_planned, instance, trigger=ScanRun.Trigger.MANUAL, media_ids=ids),
        )
        if run is not None:
            started.append(run)
    return started


def rescan_selected(
    model_admin: admin.ModelAdmin[Media],
    request: HttpRequest,
    media: QuerySet[Media],
    *,
    dry_run: bool | None,
) -> list[ScanRun]:
    """Read these media's files again: one run per instance."""
    started = []
    for instance, ids in _by_instance(media).items():
        run = start_and_report(
            model_admin,
            request,
            instance,
            partial(rescan_media, instance, ids, trigger=ScanRun.Trigger.MANUAL, dry_run=dry_run),
        )
        if run is not None:
            started.append(run)
    return started


def _by_instance(media: QuerySet[Media]) -> dict[Instance, list[int]]:
    grouped: dict[int, list[int]] = {}
    for media_id, instance_id in media.values_list("pk", "instance_id"):
        grouped.setdefault(instance_id, []).append(media_id)
    instances = Instance.objects.in_bulk(list(grouped))
    return {instances[key]: ids for key, ids in grouped.items()}

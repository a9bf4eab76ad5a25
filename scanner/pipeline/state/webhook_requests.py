"""Items webhooks asked to scan: remembered, then scanned by one run of their instance
as soon as it has no active run. Nothing asked for is ever lost: a request stays
until a run takes it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from scanner.models import Instance, Media, RunRequest, ScanRequest, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import NOTHING, Next, Plan, StartRequested


def remember_requests(
    instance: Instance,
    arr_ids: Iterable[int],
    event_type: str,
    file_changes: list[dict[str, Any]] | None = None,
) -> None:
    """One waiting request per item; the file changes of several events add up (one
    without them means: ask the *arr for the item's files)."""
    with transaction.atomic():
        for arr_id in arr_ids:
            request, created = ScanRequest.objects.select_for_update().get_or_create(
                instance=instance,
                arr_id=arr_id,
                defaults={"event_type": event_type, "file_changes": file_changes},
            )
            if created:
                continue
            known = request.file_changes
            request.file_changes = (
                None if known is None or file_changes is None else known + file_changes
            )
            request.event_type = event_type
            request.save(update_fields=["file_changes", "event_type"])


def remember_upgrade(instance: Instance, arr_id: int, paths: Iterable[str]) -> None:
    """An upgrade's delete (its import follows): any scan before the import keeps these
    files of the item (``Media.upgrading``); marks older than ``Media.UPGRADE_WAIT`` go."""
    now = timezone.now()
    with transaction.atomic():
        media = (
            Media.objects.select_for_update()
            .filter(instance=instance, arr_id=arr_id)
            .only("pk", "upgrading")
            .first()
        )
        if media is None:
            return  # never scanned: no tag to keep
        since = now - Media.UPGRADE_WAIT
        marks = {
            path: when
            for path, when in (media.upgrading or {}).items()
            if (parse_datetime(str(when)) or since) > since
        }
        marks.update({path: now.isoformat() for path in paths})
        Media.objects.filter(pk=media.pk).update(upgrading=marks)


def start_requested_scan(instance_id: int) -> Next:
    """A webhook run for every waiting request of the instance, unless a run is active
    (its end asks again). The requests are taken in the run's transaction."""
    instance = Instance.objects.filter(
        pk=instance_id, enabled=True, first_scan_at__isnull=False
    ).first()
    if instance is None:
        return NOTHING  # disabled, or waiting for its first scan: the requests wait too
    with transaction.atomic():
        requests = list(ScanRequest.objects.select_for_update().filter(instance=instance))
        if not requests:
            return NOTHING
        changes = {
            str(request.arr_id): request.file_changes
            for request in requests
            if request.file_changes is not None
        }
        try:
            run = runs.create_run(
                instance,
                RunRequest(ScanRun.Trigger.WEBHOOK, scope=tuple(r.arr_id for r in requests)),
                summary={"file_changes": changes} if changes else None,
            )
        except runs.ScanAlreadyActive:
            return NOTHING  # the active run's end asks again
        ScanRequest.objects.filter(pk__in=[request.pk for request in requests]).delete()
    return (Plan(run.pk),)


def waiting_instances() -> Next:
    """Every instance with waiting requests (beat's tick: in case an end was missed)."""
    ids = ScanRequest.objects.values_list("instance_id", flat=True).distinct()
    return tuple(StartRequested(instance_id) for instance_id in sorted(set(ids)))

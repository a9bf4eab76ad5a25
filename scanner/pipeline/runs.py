"""The life of a ScanRun: start, cancel, resume, stall detection, finish.

State changes are compare-and-set UPDATEs (``filter(status=...).update(...)``
and a check of the row count), so two workers, a web request and beat can act
on the same run without locks and without doing anything twice. "One active run
per instance" is a partial unique index: creating a second one fails in the
database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from scanner.errors import ConfigError, TaggarrError
from scanner.models import Event, Instance, ScanItem, ScanRequest, ScanRun
from scanner.pipeline.dispatch import Dispatcher, default_dispatcher

logger = logging.getLogger(__name__)

Status = ScanRun.Status


class ScanAlreadyActive(TaggarrError):
    def __init__(self, run: ScanRun | None) -> None:
        self.run = run
        which = f"scan #{run.pk} ({run.status})" if run else "another scan"
        super().__init__(f"{which} is already active for this instance")


class RunStateError(TaggarrError):
    """The run is not in a state that allows the action (e.g. resuming a finished run)."""


def start_scan(
    instance: Instance,
    *,
    trigger: str,
    dry_run: bool | None = None,
    mode: str = ScanRun.Mode.NORMAL,
    scope: Iterable[int] = (),
    quick_mode: bool | None = None,
    dispatcher: Dispatcher | None = None,
) -> ScanRun:
    """Create a queued run and enqueue its plan step once the row is committed."""
    if not instance.enabled:
        raise ConfigError(f"instance {instance.name!r} is disabled")
    if mode not in ScanRun.Mode.values:
        raise ConfigError(f"unknown scan mode {mode!r}")
    mark_stalled_runs()
    try:
        with transaction.atomic():
            run = ScanRun.objects.create(
                instance=instance,
                trigger=trigger,
                mode=mode,
                dry_run=instance.dry_run if dry_run is None else dry_run,
                quick_mode=quick_mode,
                scope=sorted(set(scope)),
                heartbeat_at=timezone.now(),
            )
    except IntegrityError:
        raise ScanAlreadyActive(active_run(instance)) from None
    (dispatcher or default_dispatcher()).plan(run.pk)
    logger.info("scan #%s of %s queued (%s, %s)", run.pk, instance.name, trigger, mode)
    return run


def active_run(instance: Instance) -> ScanRun | None:
    return ScanRun.objects.filter(instance=instance, status__in=ScanRun.ACTIVE).first()


def cancel_run(run: ScanRun) -> ScanRun:
    """Remaining item tasks stop at their first check; nothing is applied."""
    cancelled = ScanRun.objects.filter(
        pk=run.pk, status__in=[Status.QUEUED, Status.RUNNING, Status.INTERRUPTED]
    ).update(
        status=Status.CANCELLED,
        cancel_requested=True,
        finished_at=timezone.now(),
        error="cancelled",
    )
    run.refresh_from_db()
    if not cancelled:
        raise RunStateError(f"scan #{run.pk} is {run.status}: it cannot be cancelled any more")
    _ended_without_applying(run, f"scan #{run.pk} cancelled")
    return run


def resume_run(run: ScanRun, *, dispatcher: Dispatcher | None = None) -> ScanRun:
    """Re-queue what an interrupted run had not done yet; done items stay done."""
    dispatcher = dispatcher or default_dispatcher()
    planned = run.planned_at is not None
    try:
        with transaction.atomic():
            resumed = ScanRun.objects.filter(pk=run.pk, status=Status.INTERRUPTED).update(
                status=Status.RUNNING if planned else Status.QUEUED,
                heartbeat_at=timezone.now(),
                finished_at=None,
                error="",
            )
    except IntegrityError:
        raise ScanAlreadyActive(active_run(run.instance)) from None
    run.refresh_from_db()
    if not resumed:
        raise RunStateError(f"scan #{run.pk} is {run.status}: only an interrupted scan resumes")
    if not planned:
        dispatcher.plan(run.pk)
        return run
    pending = list(
        ScanItem.objects.filter(run=run, status=ScanItem.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    logger.info("scan #%s resumed with %d items left", run.pk, len(pending))
    if pending:
        dispatcher.items(run.pk, pending)
    else:
        dispatcher.barrier(run.pk)
    return run


def mark_stalled_runs() -> int:
    """Active runs with no progress are interrupted, but only when no run at all made
    progress for that long: a run queued behind another one's items is waiting,
    not dead."""
    cutoff = timezone.now() - timedelta(minutes=settings.SCAN_STALL_MINUTES)
    active = ScanRun.objects.filter(status__in=ScanRun.ACTIVE).annotate(
        last_progress=Coalesce("heartbeat_at", "created_at")
    )
    if active.filter(last_progress__gte=cutoff).exists():
        return 0
    stalled = list(active.filter(last_progress__lt=cutoff))
    count = 0
    for run in stalled:
        count += ScanRun.objects.filter(pk=run.pk, status=run.status).update(
            status=Status.INTERRUPTED,
            error=f"no progress for {settings.SCAN_STALL_MINUTES} minutes "
            "(was the worker stopped?); resume it to finish",
        )
        logger.warning("scan #%s of instance %s interrupted: no progress", run.pk, run.instance_id)
    return count


def claim_apply(run_id: int) -> bool:
    """The counter barrier: true for exactly one caller once every item is done or failed."""
    run = (
        ScanRun.objects.filter(pk=run_id)
        .values("status", "planned_at", "cancel_requested", "items_total", "items_done",
                "items_failed")
        .first()
    )  # fmt: skip
    if (
        run is None
        or run["status"] != Status.RUNNING
        or run["planned_at"] is None
        or run["cancel_requested"]
        or run["items_done"] + run["items_failed"] < run["items_total"]
    ):
        return False
    return (
        ScanRun.objects.filter(pk=run_id, status=Status.RUNNING).update(
            status=Status.APPLYING, heartbeat_at=timezone.now()
        )
        == 1
    )


def heartbeat(run_id: int) -> None:
    ScanRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now())


def fail_run(run_id: int, reason: str) -> None:
    updated = ScanRun.objects.filter(pk=run_id, status__in=ScanRun.ACTIVE).update(
        status=Status.FAILED, finished_at=timezone.now(), error=reason[:2000]
    )
    if not updated:
        return
    run = ScanRun.objects.select_related("instance").get(pk=run_id)
    logger.error("scan #%s of %s failed: %s", run_id, run.instance.name, reason)
    _ended_without_applying(run, f"scan #{run_id} failed: {reason[:500]}")


def _ended_without_applying(run: ScanRun, message: str) -> None:
    """The history line of a cancelled or failed run; then webhook requests get their turn."""
    Event.objects.create(
        instance_id=run.instance_id, run=run, kind=Event.Kind.SCAN_FINISHED, message=message
    )
    kick_requested_scans(run.instance)


def request_item_scan(
    instance: Instance, arr_ids: Iterable[int], event_type: str
) -> ScanRun | None:
    """Webhooks: remember the items, then start a run for them unless one is active
    (the active run's end starts it). Nothing asked for is ever lost."""
    ScanRequest.objects.bulk_create(
        [
            ScanRequest(instance=instance, arr_id=arr_id, event_type=event_type)
            for arr_id in arr_ids
        ],
        ignore_conflicts=True,
    )
    return kick_requested_scans(instance)


def kick_requested_scans(
    instance: Instance, *, dispatcher: Dispatcher | None = None
) -> ScanRun | None:
    if not instance.enabled:
        return None
    with transaction.atomic():
        requests = list(ScanRequest.objects.select_for_update().filter(instance=instance))
        if not requests:
            return None
        try:
            run = start_scan(
                instance,
                trigger=ScanRun.Trigger.WEBHOOK,
                scope=[request.arr_id for request in requests],
                dispatcher=dispatcher,
            )
        except ScanAlreadyActive:
            return None  # the active run's end kicks again
        ScanRequest.objects.filter(pk__in=[request.pk for request in requests]).delete()
    return run

"""Items webhooks asked to scan: remembered, then scanned by one run of their instance
as soon as it has no active run. Nothing asked for is ever lost: a request stays
until a run takes it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from scanner.models import Instance, ScanRequest, ScanRun
from scanner.pipeline import runs
from scanner.pipeline.work import NOTHING, Next, Plan, StartRequested


def remember_requests(instance: Instance, arr_ids: Iterable[int], event_type: str) -> None:
    ScanRequest.objects.bulk_create(
        [
            ScanRequest(instance=instance, arr_id=arr_id, event_type=event_type)
            for arr_id in arr_ids
        ],
        ignore_conflicts=True,
    )


def start_requested_scan(instance_id: int) -> Next:
    """A webhook run for every waiting request of the instance, unless a run is active
    (its end asks again). The requests are taken in the run's transaction."""
    instance = Instance.objects.filter(pk=instance_id, enabled=True).first()
    if instance is None:
        return NOTHING
    with transaction.atomic():
        requests = list(ScanRequest.objects.select_for_update().filter(instance=instance))
        if not requests:
            return NOTHING
        try:
            run = runs.create_run(
                instance,
                trigger=ScanRun.Trigger.WEBHOOK,
                scope=[request.arr_id for request in requests],
            )
        except runs.ScanAlreadyActive:
            return NOTHING  # the active run's end asks again
        ScanRequest.objects.filter(pk__in=[request.pk for request in requests]).delete()
    return (Plan(run.pk),)


def waiting_instances() -> Next:
    """Every instance with waiting requests (beat's tick: in case an end was missed)."""
    ids = ScanRequest.objects.values_list("instance_id", flat=True).distinct()
    return tuple(StartRequested(instance_id) for instance_id in sorted(set(ids)))

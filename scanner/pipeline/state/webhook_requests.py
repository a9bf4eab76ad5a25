"""Items webhooks asked to scan: remembered, then scanned by one run of their instance
as soon as it has no active run. Nothing asked for is ever lost: a request stays
until a run takes it.

What others send is bounded per instance (issue 59): while an instance waits for its
first scan, or for its active run to end, a flood of webhooks must not grow a row or
the table without end, nor make each request slower than the last.

- An item's file changes are kept up to ``MAX_CHANGES_CHARS`` (as JSON); past that the
  item forgets them and asks the *arr for its files, as an event without changes does.
- An instance keeps up to ``MAX_WAITING_ITEMS`` waiting items; past that, one request
  for the whole instance (``WHOLE_INSTANCE``) stands for every other item: its run is
  an ordinary scan of the whole library (the *arr's lists say what changed), in which
  the items that were named are scanned whatever their lists say.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from scanner.models import Instance, Media, RunRequest, ScanRequest, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import NOTHING, Next, Plan, StartRequested

MAX_CHANGES_CHARS = 256 * 1024  # about 600 files with their media info
MAX_WAITING_ITEMS = 250
WHOLE_INSTANCE = 0  # the arr_id of "scan the whole instance": no *arr id is 0


def remember_requests(
    instance: Instance,
    arr_ids: Iterable[int],
    event_type: str,
    file_changes: list[dict[str, Any]] | None = None,
) -> None:
    """One waiting request per item; the file changes of several events add up (one
    without them means: ask the *arr for the item's files). Each request's work is
    bounded (the module's docstring), however many came before it."""
    if file_changes is not None and _chars(file_changes) > MAX_CHANGES_CHARS:
        file_changes = None
    with transaction.atomic():
        _one_at_a_time(instance)
        waiting = ScanRequest.objects.filter(instance=instance)
        for arr_id in arr_ids:
            request = waiting.select_for_update().filter(arr_id=arr_id).first()
            if request is not None:
                _add_changes(request, event_type, file_changes)
            elif waiting.filter(arr_id=WHOLE_INSTANCE).exists():
                continue  # the whole instance's scan reads it
            elif waiting.count() >= MAX_WAITING_ITEMS:
                remember_whole_instance(instance, event_type)
            else:
                _create(instance, arr_id, event_type, file_changes)


def remember_whole_instance(instance: Instance, event_type: str) -> None:
    """A scan of the whole instance, for more items than are remembered one by one."""
    with transaction.atomic():
        _one_at_a_time(instance)
        if not ScanRequest.objects.filter(instance=instance, arr_id=WHOLE_INSTANCE).exists():
            _create(instance, WHOLE_INSTANCE, event_type, None)


def _one_at_a_time(instance: Instance) -> None:
    """The instance's webhooks take turns (until the transaction ends), so that two at
    once cannot both count one place left. FOR NO KEY UPDATE: a run inserted meanwhile
    (its key share on the instance) does not wait for it, nor it for the run."""
    list(Instance.objects.select_for_update(no_key=True).filter(pk=instance.pk).values("pk"))


def _create(
    instance: Instance, arr_id: int, event_type: str, file_changes: list[dict[str, Any]] | None
) -> None:
    try:
        with transaction.atomic():  # a savepoint: a request that came at the same time won
            ScanRequest.objects.create(
                instance=instance, arr_id=arr_id, event_type=event_type, file_changes=file_changes
            )
    except IntegrityError:
        request = ScanRequest.objects.select_for_update().get(instance=instance, arr_id=arr_id)
        _add_changes(request, event_type, file_changes)


def _add_changes(
    request: ScanRequest, event_type: str, file_changes: list[dict[str, Any]] | None
) -> None:
    known = request.file_changes
    if known is None or file_changes is None:
        request.file_changes = None
    else:
        added = known + file_changes
        request.file_changes = added if _chars(added) <= MAX_CHANGES_CHARS else None
    request.event_type = event_type
    request.save(update_fields=["file_changes", "event_type"])


def _chars(changes: list[dict[str, Any]]) -> int:
    return len(json.dumps(changes, ensure_ascii=False))


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
        named = [r.arr_id for r in requests if r.arr_id != WHOLE_INSTANCE]
        whole = len(named) < len(requests)
        try:
            run = runs.create_run(
                instance,
                RunRequest(ScanRun.Trigger.WEBHOOK, scope=() if whole else tuple(named)),
                webhook_file_changes=changes,
                webhook_items=named if whole else (),
            )
        except runs.ScanAlreadyActive:
            return NOTHING  # the active run's end asks again
        ScanRequest.objects.filter(pk__in=[request.pk for request in requests]).delete()
    return (Plan(run.pk),)


def requested(instance: Instance) -> tuple[int, bool]:
    """What webhooks and decisions asked of the instance and no run has taken yet: the
    items named, and whether its whole library was asked for (past their rate)."""
    ids = list(ScanRequest.objects.filter(instance=instance).values_list("arr_id", flat=True))
    named = sum(1 for arr_id in ids if arr_id != WHOLE_INSTANCE)
    return named, named < len(ids)


def waiting_instances() -> Next:
    """Every instance with waiting requests (beat's tick: in case an end was missed)."""
    ids = ScanRequest.objects.values_list("instance_id", flat=True).distinct()
    return tuple(StartRequested(instance_id) for instance_id in sorted(set(ids)))

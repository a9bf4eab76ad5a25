"""What beat's one-minute tick does: start due scans, start webhook-requested scans
whose instance is free, notice stalled runs, and forget old history."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from scanner.errors import ConfigError
from scanner.models import Event, Instance, MissingSearch, RunRequest, ScanRun
from scanner.pipeline.state import runs, webhook_requests
from scanner.pipeline.work import Next, Plan

logger = logging.getLogger(__name__)


def start_due_scans(queued: int | None = None) -> Next:
    """Lost work of stalled runs, runs for every instance whose scan is due, then the
    waiting webhook requests. ``queued``: the messages the broker holds (None: unknown),
    see runs.recover_stalled."""
    recovered = runs.recover_stalled(queued)
    now = timezone.now()
    # No next_scan_at: never scheduled (waiting for its first scan, or interval 0).
    due = Q(next_scan_at__lte=now, first_scan_at__isnull=False)
    started: list[Plan] = []
    for instance in Instance.objects.filter(due, enabled=True, scan_interval_minutes__gt=0):
        # Claim this slot (compare-and-set): the next one counts from now, so a beat that
        # was down for a day starts one scan, not a backlog of them.
        next_at = now + timedelta(minutes=instance.scan_interval_minutes)
        if not Instance.objects.filter(due, pk=instance.pk).update(next_scan_at=next_at):
            continue
        try:
            run = runs.create_run(instance, RunRequest(ScanRun.Trigger.SCHEDULE))
        except runs.ScanAlreadyActive as exc:
            logger.info("scheduled scan of %s skipped: %s", instance.name, exc)
            continue
        except ConfigError as exc:
            logger.warning("scheduled scan of %s not started: %s", instance.name, exc)
            continue
        started.append(Plan(run.pk))
    forget_old_history()
    return (*recovered, *started, *webhook_requests.waiting_instances())


def forget_old_history() -> None:
    now = timezone.now()
    cutoff = now - timedelta(days=settings.HISTORY_DAYS)
    Event.objects.filter(created_at__lt=cutoff).delete()
    ScanRun.objects.filter(finished_at__lt=cutoff).exclude(status__in=ScanRun.ACTIVE).delete()
    # Kept as long as the longest search interval may still count them.
    searches = now - timedelta(days=max(settings.HISTORY_DAYS, 366))
    MissingSearch.objects.filter(created_at__lt=searches).delete()

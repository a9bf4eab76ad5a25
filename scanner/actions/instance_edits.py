"""The rules every edit of an instance follows, in the admin and in the API: limits,
rescheduling, and the history line that names what changed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from scanner.models import Event, Instance

# Seconds. Larger values only hide a dead *arr (and overflow the socket's timeout).
MAX_CONNECT_TIMEOUT = 300.0
MAX_READ_TIMEOUT = 3600.0


def reschedule_if_interval_changed(instance: Instance, previous_interval: int | None) -> None:
    """A new scan interval counts from now (the scheduler reads ``next_scan_at``); an
    instance waiting for its first scan stays unscheduled."""
    interval = instance.scan_interval_minutes
    if previous_interval is None or interval == previous_interval:
        return
    if instance.waits_for_first_scan:
        return
    instance.next_scan_at = timezone.now() + timedelta(minutes=interval) if interval else None


def record_instance_change(
    instance: Instance, fields: Iterable[str], *, created: bool, user: str, via: str
) -> Event:
    """A history line naming what changed; never a value (one of them is the API key)."""
    names = sorted(set(fields))
    if created:
        message = f"instance {instance.name!r} created by {user} ({via})"
    else:
        message = f"instance {instance.name!r} changed by {user} ({via}): {', '.join(names)}"
    return Event.objects.create(
        instance=instance,
        kind=Event.Kind.CONFIG,
        message=message,
        data={"fields": names, "user": user, "via": via},
    )

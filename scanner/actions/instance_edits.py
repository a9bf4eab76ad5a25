"""The rules every edit of an instance follows, in the admin and in the API: limits,
rescheduling, and the history line that names what changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
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


# Settings that are not model fields (a secret's form field).
OTHER_NAMES = {"api_key": "API key", "webhook_token": "webhook token"}

# Never written into the history as a value: secrets, and what is derived from them.
SECRET_FIELDS = frozenset({"api_key", "webhook_token"})


def record_instance_change(
    instance: Instance,
    fields: Iterable[str],
    *,
    created: bool,
    user: str,
    via: str,
    before: Mapping[str, Any] | None = None,
    decides_again: bool = False,
) -> Event:
    """A history line naming what changed, each setting from its old value to its new one
    (``before``: the old values); a secret is named, never shown. ``decides_again``: the
    change alters what the verdicts depend on (the pages say a dry run shows it)."""
    names = sorted(set(fields))
    changes = {
        name: [_shown(before.get(name)), _shown(getattr(instance, name, None))]
        for name in names
        if before is not None and name not in SECRET_FIELDS and name in before
    }
    labels = ", ".join(_label(name) for name in names)
    if created:
        message = f"instance {instance.name!r} created by {user} ({via})"
    else:
        message = f"instance {instance.name!r} changed by {user} ({via}): {labels}"
    data: dict[str, Any] = {"fields": names, "user": user, "via": via}
    if created:
        data["created"] = True
    if changes:
        data["changes"] = changes
    if decides_again:
        data["decides_again"] = True
    return Event.objects.create(
        instance=instance, kind=Event.Kind.CONFIG, message=message, data=data
    )


def _label(name: str) -> str:
    """A setting as the form names it: ``target_languages`` is "target languages"."""
    try:
        field = Instance._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if isinstance(field, Field):
        return str(field.verbose_name)
    return OTHER_NAMES.get(name, name.replace("_", " "))


def _shown(value: Any) -> Any:
    """A value as JSON keeps it: lists and plain values; anything else as text."""
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)


def decided_again_since_last_scan(instance: Instance) -> bool:
    """Whether settings that decide the tags changed after the instance's last scan."""
    changed = (
        Event.objects.filter(instance=instance, kind=Event.Kind.CONFIG, data__decides_again=True)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if changed is None:
        return False
    last_run = instance.scan_runs.order_by("-created_at").values_list("created_at", flat=True)
    started = last_run.first()
    return started is None or started < changed

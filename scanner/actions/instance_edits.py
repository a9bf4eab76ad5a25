"""Every edit of an instance, in the admin and in the API, is saved here (save_instance):
limits, rescheduling, the history line that names what changed from what to what, and
whether every item's tag will be decided again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from scanner.models import Event, Instance
from scanner.models.choices import Via
from scanner.models.instance_option_list import OPTIONS, SECRET_OPTIONS, Option

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


@dataclass(frozen=True)
class Edit:
    """What saving an instance did: the history line, and whether every item's tag will
    be decided again (the pages say a dry run shows the new tags)."""

    event: Event | None  # None: nothing changed
    decides_again: bool


def save_instance(instance: Instance, *, user: str, via: Via) -> Edit:
    """Saves an instance created or edited in memory (the admin's form, the API's
    serializer): the new scan interval counts from now, and a history line names every
    option that changed (instance_option_list), from its stored value to its new one; a
    secret is named, never shown. Never contacts the *arr."""
    stored = Instance.objects.filter(pk=instance.pk).first() if instance.pk else None
    if stored is not None:
        reschedule_if_interval_changed(instance, stored.scan_interval_minutes)
    with transaction.atomic():
        instance.save()
        before = stored if stored is not None else Instance()
        changed = [
            option.name for option in OPTIONS if _value(before, option) != _value(instance, option)
        ]
        decides_again = (
            stored is not None
            and stored.verdict_settings_hash() != instance.verdict_settings_hash()
            and instance.media.exists()
        )
        if stored is not None and not changed:
            return Edit(None, decides_again=False)
        event = _record(
            instance,
            changed,
            created=stored is None,
            user=user,
            via=via,
            before={name: getattr(before, name) for name in changed if name not in SECRET_OPTIONS},
            decides_again=decides_again,
        )
    return Edit(event, decides_again)


def new_webhook_token(instance: Instance, *, user: str, via: Via) -> str:
    """Makes the instance a new webhook token and returns it, for the one answer that
    shows its URL (README, "Security": a token is shown once, when made). The URL the
    *arr had stops working; a history line names the change, never the token."""
    with transaction.atomic():
        token = instance.rotate_webhook_token()
        instance.save(update_fields=["webhook_token_encrypted", "webhook_token_hash", "updated_at"])
        _record(instance, ["webhook_token"], created=False, user=user, via=via)
    return token


def _value(instance: Instance, option: Option) -> Any:
    """An option's stored value; a secret's encrypted column (set again: changed)."""
    if option.secret:
        secret = getattr(Instance, option.name)
        return getattr(instance, secret.column)
    return getattr(instance, option.name)


def _record(
    instance: Instance,
    fields: Iterable[str],
    *,
    created: bool,
    user: str,
    via: Via,
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
        if before is not None and name not in SECRET_OPTIONS and name in before
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

"""The rate limit: at most one message per notifier and kind per its window, counted in
the database so that workers on every machine share it (no process-local state).

A sender claims the slot before it sends (so that two workers never both send) and
releases it when the message was not sent: only a sent message holds the next back."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from scanner.models import Notifier, NotifierThrottle


def claim(notifier: Notifier, kind: str, now: datetime) -> bool:
    """True for exactly one caller per window: a compare-and-set on the last send time,
    or the insert of the first one (the unique constraint refuses a second)."""
    window = timedelta(minutes=notifier.rate_limit_minutes)
    rows = NotifierThrottle.objects.filter(notifier=notifier, kind=kind)
    if rows.filter(sent_at__lte=now - window).update(sent_at=now):
        return True
    try:
        with transaction.atomic():
            NotifierThrottle.objects.create(notifier=notifier, kind=kind, sent_at=now)
    except IntegrityError:
        return False  # sent within the window (by this or another worker)
    return True


def release(notifier: Notifier, kind: str, claimed_at: datetime) -> None:
    """Give back the slot claimed at ``claimed_at``: its message was not sent. The row is
    deleted rather than set back to the previous send time, which frees the window just
    as well: that time was outside the window, or the claim would have failed. A row a
    later claim wrote is left alone."""
    NotifierThrottle.objects.filter(notifier=notifier, kind=kind, sent_at=claimed_at).delete()

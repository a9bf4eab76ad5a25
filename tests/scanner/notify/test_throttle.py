"""The rate limit: one message per notifier and kind per window, in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scanner.notify.throttle import claim, release
from tests.factories import NotifierFactory

pytestmark = pytest.mark.django_db


def test_one_message_per_kind_per_window() -> None:
    notifier = NotifierFactory(rate_limit_minutes=15)
    other = NotifierFactory(rate_limit_minutes=15)
    now = timezone.now()
    assert claim(notifier, "scan_failed", now)
    assert not claim(notifier, "scan_failed", now)
    assert not claim(notifier, "scan_failed", now + timedelta(minutes=14, seconds=59))
    assert claim(notifier, "unreachable", now)  # another kind has its own window
    assert claim(other, "scan_failed", now)  # another notifier too
    assert claim(notifier, "scan_failed", now + timedelta(minutes=15))
    assert not claim(notifier, "scan_failed", now + timedelta(minutes=16))


def test_a_released_claim_frees_the_window_unless_claimed_again() -> None:
    notifier = NotifierFactory(rate_limit_minutes=15)
    now = timezone.now()
    assert claim(notifier, "scan_failed", now)
    release(notifier, "scan_failed", now)  # the message was not sent
    assert claim(notifier, "scan_failed", now + timedelta(seconds=1))
    release(notifier, "scan_failed", now)  # a stale release: the new claim stays
    assert not claim(notifier, "scan_failed", now + timedelta(seconds=2))


def test_no_limit_with_zero_minutes() -> None:
    notifier = NotifierFactory(rate_limit_minutes=0)
    now = timezone.now()
    assert all(claim(notifier, "wrong_dub", now) for _ in range(3))


def test_the_window_is_read_from_the_notifier_each_time() -> None:
    notifier = NotifierFactory(rate_limit_minutes=60)
    now = timezone.now()
    assert claim(notifier, "scan_failed", now)
    notifier.rate_limit_minutes = 5
    assert claim(notifier, "scan_failed", now + timedelta(minutes=5))


@pytest.mark.django_db(transaction=True)
def test_racing_workers_send_once() -> None:
    """Eight threads, each with its own database connection (as workers on other
    machines have), claim the same kind at the same moment: exactly one wins."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    notifier = NotifierFactory(rate_limit_minutes=15)
    now = timezone.now()
    start = Barrier(8)

    def race(_: int) -> bool:
        try:
            start.wait(timeout=30)
            return claim(notifier, "scan_failed", now)
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(race, range(8)))
    assert results.count(True) == 1

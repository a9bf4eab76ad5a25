"""The images' leases (scanner.artwork.leases): of two refreshes over the same images,
one holds each; a lapsed lease is taken over; a task delivered again takes back its
own; only the holder releases, and a failure is remembered at its address."""

from __future__ import annotations

import pytest
from django.utils import timezone

from scanner.artwork import leases
from scanner.models import ArtworkFetch
from tests.factories import MediaFactory

pytestmark = pytest.mark.django_db


def test_one_refresh_holds_an_image_the_other_skips_it_until_released() -> None:
    first, second = MediaFactory(), MediaFactory()
    keys = [(first.pk, "poster"), (first.pk, "fanart")]
    assert leases.take(keys, token=1) == set(keys)
    more = [*keys, (second.pk, "poster")]
    assert leases.take(more, token=2) == {(second.pk, "poster")}
    assert leases.take(keys, token=1) == set(keys)  # its own again (a redelivered task)

    leases.release(2, [])  # not the holder of the first's: they stay held
    assert leases.take(keys, token=3) == set()
    leases.release(1, [leases.Failure((first.pk, "poster"), "/MediaCover/1/poster.jpg", "404")])
    assert leases.take(keys, token=3) == set(keys)
    assert leases.failed_sources([first.pk]) == {(first.pk, "poster"): "/MediaCover/1/poster.jpg"}


def test_a_lapsed_lease_is_taken_over() -> None:
    media = MediaFactory()
    keys = [(media.pk, "poster")]
    assert leases.take(keys, token=1) == set(keys)
    ArtworkFetch.objects.update(leased_until=timezone.now() - leases.LEASE)
    assert leases.take(keys, token=2) == set(keys)


def test_a_task_keeps_its_token_when_delivered_again() -> None:
    task_id = "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b"
    assert leases.token_of(task_id) == leases.token_of(task_id) > 0
    assert leases.token_of(task_id) != leases.token_of("0a2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b")

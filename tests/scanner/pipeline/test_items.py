"""The item step's claims: one statement takes the items asked for and, on a worker, more
of the run's items that nobody holds; an item held by a live worker or waiting for its
retry is left alone (but for that retry)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scanner.models import ScanItem, ScanRun
from scanner.pipeline import runs
from scanner.pipeline.items import claim, extend_leases, release
from scanner.pipeline.work import ScanItems
from tests.factories import InstanceFactory, MediaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_ids() -> list[int]:
    """Six pending items of a running run, in id order."""
    instance = InstanceFactory()
    run = ScanRun.objects.create(instance=instance, trigger="api", status="running")
    items = [
        ScanItem.objects.create(run=run, media=MediaFactory(instance=instance)) for _ in range(6)
    ]
    return [item.pk for item in items]


def _run_id(item_ids: list[int]) -> int:
    return ScanItem.objects.get(pk=item_ids[0]).run_id


def test_a_claim_takes_the_items_asked_for_and_counts_a_start(item_ids) -> None:
    run_id = _run_id(item_ids)
    assert claim(run_id, item_ids[:2]) == item_ids[:2]
    taken = ScanItem.objects.filter(pk__in=item_ids[:2])
    assert {(item.attempts, item.leased_until is not None) for item in taken} == {(1, True)}
    assert claim(run_id, item_ids[:2]) == []  # held: nobody takes them again


def test_a_workers_claim_takes_more_items_nobody_holds_in_id_order(item_ids) -> None:
    run_id = _run_id(item_ids)
    claim(run_id, [item_ids[1]])  # another worker holds the second
    assert claim(run_id, [item_ids[4]], more=3) == sorted(
        [item_ids[4], *item_ids[0:1], *item_ids[2:4]]
    )
    assert claim(run_id, [item_ids[4]], more=10) == [item_ids[5]]


def test_more_means_other_items_than_those_asked_for(item_ids) -> None:
    run_id = _run_id(item_ids)
    assert claim(run_id, [item_ids[0]], more=1) == item_ids[:2]


def test_done_items_and_items_of_other_runs_are_never_taken(item_ids) -> None:
    run_id = _run_id(item_ids)
    ScanItem.objects.filter(pk=item_ids[0]).update(status=ScanItem.Status.DONE)
    assert claim(run_id, [item_ids[0]]) == []
    assert claim(run_id + 1000, [item_ids[1]], more=5) == []


def test_a_lease_that_ran_out_is_free_again_and_a_beat_keeps_it(item_ids) -> None:
    run_id = _run_id(item_ids)
    claim(run_id, item_ids[:2])
    ScanItem.objects.filter(pk=item_ids[0]).update(leased_until=timezone.now() - timedelta(1))
    extend_leases(item_ids[1:2])  # the other holder is alive
    assert claim(run_id, item_ids[:2]) == [item_ids[0]]


def test_an_item_waiting_for_its_retry_is_taken_only_by_that_retry(item_ids) -> None:
    run_id = _run_id(item_ids)
    due = timezone.now() + timedelta(minutes=1)
    ScanItem.objects.filter(pk=item_ids[0]).update(retry_at=due)
    assert claim(run_id, [item_ids[0]]) == []  # its first message, come late
    assert item_ids[0] not in claim(run_id, [item_ids[1]], more=5)  # another batch
    assert claim(run_id, [item_ids[0]], retry=True) == [item_ids[0]]
    assert ScanItem.objects.get(pk=item_ids[0]).retry_at is None


def test_a_release_frees_the_items_and_takes_their_start_back(item_ids) -> None:
    run_id = _run_id(item_ids)
    claim(run_id, item_ids[:2])
    release(item_ids[:2])
    assert {(i.attempts, i.leased_until) for i in ScanItem.objects.filter(pk__in=item_ids[:2])} == {
        (0, None)
    }


def test_a_stalled_runs_lost_work_sends_the_waiting_items_as_their_retry(item_ids) -> None:
    run = ScanRun.objects.get(pk=_run_id(item_ids))
    ScanRun.objects.filter(pk=run.pk).update(planned_at=timezone.now())
    ScanItem.objects.filter(pk=item_ids[0]).update(retry_at=timezone.now() + timedelta(seconds=30))
    run.refresh_from_db()
    free, waiting = runs.lost_work(run)
    assert free == ScanItems(run.pk, tuple(item_ids[1:]))
    assert (waiting.item_ids, waiting.retry) == ((item_ids[0],), True)
    assert 0 < waiting.delay <= 30

"""What becomes of a step the watchdog finds past its hold limit
(scanner.pipeline.runtime.overdue): a poison item is failed the first time with a reason
the pages tell, and its message delivered again scans nothing; a run's plan or apply is
forgiven once (sent again by the recovery) and fails the run the second time. The real
worker's side: tests/scanner/pipeline/test_worker_watchdog.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scanner import errors
from scanner.models import Event, Instance, RunRequest, ScanItem, ScanRun
from scanner.pipeline.runtime import item_step
from scanner.pipeline.runtime.item_desk import ItemDesk
from scanner.pipeline.runtime.overdue import end_overdue
from scanner.pipeline.state import leases, runs
from scanner.pipeline.work import NOTHING, Apply, RunEnded
from scanner.reports.event_sentences import item_failed
from scanner.runtime import running
from scanner.runtime.running import Kind, Step
from tests.helpers import planned_run
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_item_past_its_hold_limit_is_failed_once_and_not_scanned_again(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    run, items = planned_run(sonarr_instance)
    poison = items["Anime Dubbed"]
    follows = end_overdue(Step(Kind.ITEM, run.pk, poison, hold=600.0))
    item = ScanItem.objects.get(pk=poison)
    assert item.status == ScanItem.Status.FAILED
    assert "did not end within the hold limit (600 s" in item.error
    event = Event.objects.get(run=run, kind=Event.Kind.ITEM_FAILED)
    assert event.data["cause"] == errors.CAUSE_HELD
    assert "stopped making progress" in item_failed(event, event.data)
    assert follows == NOTHING  # the other items are still to scan
    # The message delivered again after the restart: nothing is scanned.
    desk = ItemDesk()
    try:
        again = item_step.scan_item(run.pk, poison, on=desk)
    finally:
        desk.close()
    assert isinstance(again, item_step.NotTaken)
    assert ScanItem.objects.get(pk=poison).status == ScanItem.Status.FAILED
    assert not running.steps()


def test_an_item_past_its_hold_limit_that_another_task_took_over_is_not_failed(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    """Issue 79: a worker paused past its lease wakes with its item step past the hold
    limit, and the item another task's (its lease ran out, beat sent it again). Its
    fencing token says so: the watchdog fails nothing; while the item is still the step's,
    it is failed as before."""
    run, items = planned_run(sonarr_instance)
    pk = items["Anime Dubbed"]
    paused, other = leases.new_token(), leases.new_token()
    assert leases.claim([pk], paused) == [pk]
    past = timezone.now() - timedelta(seconds=1)
    ScanItem.objects.filter(pk=pk).update(leased_until=past)  # its lease ran out
    assert leases.claim([pk], other) == [pk]  # another task took the item

    assert end_overdue(Step(Kind.ITEM, run.pk, pk, hold=600.0, token=paused)) == NOTHING
    item = ScanItem.objects.get(pk=pk)
    assert (item.status, item.lease_token) == (ScanItem.Status.PENDING, other)
    assert not Event.objects.filter(kind=Event.Kind.ITEM_FAILED).exists()

    end_overdue(Step(Kind.ITEM, run.pk, pk, hold=600.0, token=other))  # its own: failed
    assert ScanItem.objects.get(pk=pk).status == ScanItem.Status.FAILED


def test_an_item_taken_over_between_the_watchdogs_check_and_its_failure_is_not_failed(
    sonarr_instance: Instance, tv_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 92: the check (``leases.taken_over``) and the failure are one statement's
    fence: another task that takes the item right after the check keeps it, unfailed."""
    run, items = planned_run(sonarr_instance)
    pk = items["Anime Dubbed"]
    paused, other = leases.new_token(), leases.new_token()
    assert leases.claim([pk], paused) == [pk]
    checked = leases.taken_over

    def then_taken(item_id: int, token: int | None) -> str | None:
        found = checked(item_id, token)
        ScanItem.objects.filter(pk=pk).update(leased_until=timezone.now() - timedelta(seconds=1))
        assert leases.claim([pk], other) == [pk]  # its lease ran out: another took it now
        return found

    monkeypatch.setattr(leases, "taken_over", then_taken)
    assert end_overdue(Step(Kind.ITEM, run.pk, pk, hold=600.0, token=paused)) == NOTHING
    item = ScanItem.objects.get(pk=pk)
    assert (item.status, item.lease_token) == (ScanItem.Status.PENDING, other)
    assert not Event.objects.filter(kind=Event.Kind.ITEM_FAILED).exists()


def test_the_last_item_past_its_hold_limit_sends_the_apply_step(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    run, items = planned_run(sonarr_instance)
    *others, last = items.values()
    for pk in others:
        end_overdue(Step(Kind.ITEM, run.pk, pk, hold=5.0))
    assert end_overdue(Step(Kind.ITEM, run.pk, last, hold=5.0)) == (Apply(run.pk),)


@pytest.mark.parametrize("kind", [Kind.PLAN, Kind.APPLY])
def test_a_runs_step_past_its_hold_limit_is_sent_again_once_then_fails_the_run(
    sonarr_instance: Instance, kind: Kind
) -> None:
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    assert end_overdue(Step(kind, run.pk, None, hold=30.0)) == NOTHING
    run.refresh_from_db()
    assert run.is_active and run.steps_held == 1
    follows = end_overdue(Step(kind, run.pk, None, hold=30.0))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED
    assert f"its {kind} step did not end within the hold limit (30 s" in run.error
    assert RunEnded(run.pk) in follows
    end = Event.objects.get(run=run, kind=Event.Kind.SCAN_FINISHED)
    assert end.data["cause"] == errors.CAUSE_STEP_HELD


def test_other_steps_past_their_hold_limit_are_left_to_the_broker(
    sonarr_instance: Instance,
) -> None:
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    assert end_overdue(Step(Kind.ARTWORK, None, None, hold=1.0)) == NOTHING
    assert end_overdue(Step(Kind.LOST_DUBS, run.pk, None, hold=1.0)) == NOTHING
    run.refresh_from_db()
    assert run.is_active and run.steps_held == 0

"""Every ScanRun transition is a compare-and-set: a run that one actor moved on is never
moved again by a late step of another (scanner/pipeline/state/runs.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from scanner.models import Event, RunRequest, ScanItem, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.state.apply_lease import Superseded
from scanner.pipeline.work import Apply, Plan, RunEnded, ScanItems, StartRequested
from scanner.pipeline.writers.apply import apply_run
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

Status = ScanRun.Status


def _applying_run() -> ScanRun:
    run = ScanRunFactory(status=Status.RUNNING, planned_at=timezone.now())
    assert runs.claim_apply(run.pk)
    return run


def test_a_run_moved_to_interrupted_is_not_finished_by_a_late_apply() -> None:
    run = _applying_run()
    ScanRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert runs.interrupt_stalled(run.instance) == 1
    done = ScanItem.objects.create(
        run=run, media=MediaFactory(instance=run.instance), status=ScanItem.Status.DONE
    )

    # It sees the run is no longer applying.
    assert apply_run(run.pk, 7) == Superseded(f"not applied: scan #{run.pk} is interrupted")
    assert not runs.finish(run.pk, 7, status=Status.SUCCEEDED)  # nor can anything else
    run.refresh_from_db()
    assert run.status == Status.INTERRUPTED
    assert run.finished_at is None
    assert ScanItem.objects.filter(pk=done.pk).exists()  # kept for the resume
    assert not Event.objects.filter(run=run, kind=Event.Kind.SCAN_FINISHED).exists()


def test_finish_after_a_late_interrupt_records_nothing() -> None:
    """The interrupt lands between the apply step's check and its finish."""
    run = _applying_run()
    ScanRun.objects.filter(pk=run.pk).update(status=Status.INTERRUPTED)
    assert not runs.finish(run.pk, 7, status=Status.SUCCEEDED, error="")
    assert ScanRun.objects.get(pk=run.pk).status == Status.INTERRUPTED


def test_the_apply_step_is_claimed_once() -> None:
    run = ScanRunFactory(status=Status.RUNNING, planned_at=timezone.now(), items_total=2)
    assert not runs.claim_apply(run.pk)  # items are still pending
    ScanRun.objects.filter(pk=run.pk).update(items_done=1, items_failed=1)
    assert runs.ready_to_apply(run.pk) == (Apply(run.pk),)
    assert runs.ready_to_apply(run.pk) == ()  # the second caller gets nothing
    assert ScanRun.objects.get(pk=run.pk).status == Status.APPLYING


def test_an_unplanned_or_cancelled_run_never_applies() -> None:
    unplanned = ScanRunFactory(status=Status.RUNNING)
    cancelled = ScanRunFactory(
        status=Status.RUNNING, planned_at=timezone.now(), cancel_requested=True
    )
    assert not runs.claim_apply(unplanned.pk)
    assert not runs.claim_apply(cancelled.pk)


def test_the_count_of_the_last_item_closes_the_barrier() -> None:
    run = ScanRunFactory(status=Status.RUNNING, planned_at=timezone.now(), items_total=3)
    assert runs.count_items_done(run.pk, items=1, files_probed=2, file_errors=0) == ()
    assert runs.count_item_failed(run.pk) == ()
    assert ScanRun.objects.get(pk=run.pk).status == Status.RUNNING
    assert runs.count_items_done(run.pk, items=1, files_probed=3, file_errors=1) == (Apply(run.pk),)
    run.refresh_from_db()
    assert (run.status, run.items_done, run.items_failed) == (Status.APPLYING, 2, 1)
    assert (run.files_probed, run.file_errors) == (5, 1)
    assert runs.ready_to_apply(run.pk) == ()  # closed once


@pytest.mark.parametrize("state", ["unplanned", "cancelled", "interrupted"])
def test_the_last_count_of_a_run_that_may_not_apply_only_counts(state: str) -> None:
    run = ScanRunFactory(
        status=Status.INTERRUPTED if state == "interrupted" else Status.RUNNING,
        planned_at=None if state == "unplanned" else timezone.now(),
        cancel_requested=state == "cancelled",
        items_total=1,
    )
    assert runs.count_items_done(run.pk, items=1, files_probed=1, file_errors=0) == ()
    run.refresh_from_db()
    assert run.items_done == 1 and run.status != Status.APPLYING
    if state == "unplanned":  # the plan, when it ends, finds the barrier closable
        ScanRun.objects.filter(pk=run.pk).update(plan_token=5)  # its plan's holder
        assert runs.mark_planned(run.pk, 5, items_total=1, items_skipped=0)
        assert runs.ready_to_apply(run.pk) == (Apply(run.pk),)


def test_the_plan_is_claimed_once_and_not_after_a_cancel() -> None:
    run = ScanRunFactory()
    assert runs.claim_plan(run.pk, 1)
    assert runs.mark_planned(run.pk, 1, items_total=0, items_skipped=0)
    assert not runs.claim_plan(run.pk, 1)  # planned already: a redelivered plan does nothing
    cancelled = ScanRunFactory()
    runs.cancel(cancelled)
    assert not runs.claim_plan(cancelled.pk, 2)


def test_a_queued_run_is_planned_by_the_one_that_took_it() -> None:
    """A worker and ``scan --inline`` take the same queued run at once (issue 79): one
    claim wins; the other steps aside, now and when it tries again, and cannot store a
    plan; the winner's retries keep the run."""
    run = ScanRunFactory()
    assert runs.claim_plan(run.pk, 11)  # scan --inline took it
    assert not runs.claim_plan(run.pk, 22)  # the worker's plan, a moment later
    assert not runs.mark_planned(run.pk, 22, items_total=0, items_skipped=0)
    assert runs.claim_plan(run.pk, 11)  # the winner's retry
    assert runs.mark_planned(run.pk, 11, items_total=0, items_skipped=0)
    assert not runs.claim_plan(run.pk, 22)


def test_a_plan_lost_with_its_holder_goes_back_to_the_queue() -> None:
    """Its holder died (no beat for the stall window): the run is queued again and the
    plan sent again takes it; the old holder, back, stores nothing."""
    run = ScanRunFactory()
    assert runs.claim_plan(run.pk, 11)
    _silent_for(run, 3600)
    assert runs.recover_stalled() == (Plan(run.pk),)
    run.refresh_from_db()
    assert (run.status, run.plan_token) == (Status.QUEUED, None)
    assert runs.claim_plan(run.pk, 22)
    assert not runs.mark_planned(run.pk, 11, items_total=0, items_skipped=0)
    assert runs.mark_planned(run.pk, 22, items_total=0, items_skipped=0)


def test_a_plan_that_lost_its_run_meanwhile_is_not_stored() -> None:
    run = ScanRunFactory()
    assert runs.claim_plan(run.pk, 1)
    runs.cancel(run)
    assert not runs.mark_planned(run.pk, 1, items_total=3, items_skipped=0)
    assert ScanRun.objects.get(pk=run.pk).planned_at is None


def test_fail_ends_only_an_active_run_and_hands_on_the_waiting_requests() -> None:
    run = ScanRunFactory(status=Status.RUNNING)
    assert runs.fail(run.pk, "the *arr said no") == (
        RunEnded(run.pk),
        StartRequested(run.instance_id),
    )
    assert runs.fail(run.pk, "again") == ()  # already failed: nothing changes
    run.refresh_from_db()
    assert (run.status, run.error) == (Status.FAILED, "the *arr said no")
    finished = ScanRunFactory(instance=run.instance, status=Status.SUCCEEDED)
    assert runs.fail(finished.pk, "late") == ()
    assert ScanRun.objects.get(pk=finished.pk).status == Status.SUCCEEDED


@pytest.mark.parametrize("status", [Status.APPLYING, Status.SUCCEEDED, Status.FAILED])
def test_cancel_refuses_runs_past_the_point_of_no_return(status: str) -> None:
    run = ScanRunFactory(status=status)
    with pytest.raises(runs.RunStateError, match="cannot be cancelled any more"):
        runs.cancel(run)
    assert ScanRun.objects.get(pk=run.pk).status == status


def test_resume_hands_back_exactly_what_is_left() -> None:
    instance = InstanceFactory()
    never_planned = ScanRunFactory(instance=instance, status=Status.INTERRUPTED)
    assert runs.resume(never_planned) == (Plan(never_planned.pk),)
    assert never_planned.status == Status.QUEUED
    runs.cancel(never_planned)

    planned = ScanRunFactory(
        instance=instance, status=Status.INTERRUPTED, planned_at=timezone.now(), items_total=2
    )
    _done, pending = (
        ScanItem.objects.create(run=planned, media=MediaFactory(instance=instance), status=s)
        for s in (ScanItem.Status.DONE, ScanItem.Status.PENDING)
    )
    ScanRun.objects.filter(pk=planned.pk).update(items_done=1)
    assert runs.resume(planned) == (ScanItems(planned.pk, (pending.pk,)),)
    assert planned.status == Status.RUNNING
    with pytest.raises(runs.RunStateError, match="only an interrupted or stalled scan resumes"):
        runs.resume(planned)


def test_resume_of_a_run_with_nothing_left_goes_to_apply() -> None:
    run = ScanRunFactory(status=Status.INTERRUPTED, planned_at=timezone.now(), items_total=0)
    assert runs.resume(run) == (Apply(run.pk),)


def test_a_run_is_created_as_its_request_asks() -> None:
    instance = InstanceFactory(dry_run=True)
    request = RunRequest(
        ScanRun.Trigger.API, mode=ScanRun.Mode.REWRITE, scope=[7, 3, 7], quick_mode=True
    )
    assert request.scope == (3, 7)
    run = runs.create_run(instance, request)
    assert (run.trigger, run.mode, run.dry_run, run.scope, run.quick_mode) == (
        "api", "rewrite", True, [3, 7], True,
    )  # fmt: skip
    run.status = Status.SUCCEEDED
    run.save()
    applying = runs.create_run(instance, RunRequest(ScanRun.Trigger.API, mode=ScanRun.Mode.APPLY))
    assert applying.dry_run is False  # asking to apply is asking to write


def test_a_second_active_run_is_refused_by_the_database() -> None:
    first = ScanRunFactory(status=Status.RUNNING)
    with pytest.raises(runs.ScanAlreadyActive, match=f"scan #{first.pk} \\(running\\)"):
        runs.create_run(first.instance, RunRequest(ScanRun.Trigger.API))


# --- a run whose work was lost (its worker died) heals by itself ----------------------


def _silent_for(run: ScanRun, seconds: float) -> None:
    """Time passes with no heartbeat (injected: the beat is moved back)."""
    ScanRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_a_silent_run_has_its_pending_items_sent_again(settings) -> None:
    settings.SCAN_STALL_SECONDS = 90
    run = ScanRunFactory(status=Status.RUNNING, planned_at=timezone.now(), items_total=2)
    done, pending = (
        ScanItem.objects.create(run=run, media=MediaFactory(instance=run.instance), status=s)
        for s in (ScanItem.Status.DONE, ScanItem.Status.PENDING)
    )
    ScanRun.objects.filter(pk=run.pk).update(items_done=1)
    assert done.status == ScanItem.Status.DONE
    _silent_for(run, 60)
    assert runs.recover_stalled() == ()  # not silent long enough
    _silent_for(run, 91)
    assert runs.recover_stalled() == (ScanItems(run.pk, (pending.pk,)),)
    assert runs.recover_stalled() == ()  # sent once: the send itself counts as a beat
    assert ScanRun.objects.get(pk=run.pk).resends == 1


@pytest.mark.parametrize(
    ("status", "planned", "expected"),
    [
        (Status.QUEUED, False, "plan"),
        (Status.RUNNING, False, "plan"),
        (Status.APPLYING, True, "apply"),
    ],
)
def test_the_lost_step_is_what_is_sent_again(status: str, planned: bool, expected: str) -> None:
    run = ScanRunFactory(status=status, planned_at=timezone.now() if planned else None)
    _silent_for(run, 3600)
    work = Plan(run.pk) if expected == "plan" else Apply(run.pk)
    assert runs.recover_stalled() == (work,)


def test_a_silent_run_is_recovered_while_another_run_makes_progress() -> None:
    """Per run: another run's beats do not hide this one's lost step."""
    lost = ScanRunFactory(status=Status.QUEUED)
    _silent_for(lost, 3600)
    ScanRunFactory(status=Status.RUNNING, heartbeat_at=timezone.now())  # busy, alive
    assert runs.recover_stalled() == (Plan(lost.pk),)
    assert ScanRun.objects.get(pk=lost.pk).resends == 1


def test_a_silent_run_waits_while_the_broker_holds_messages() -> None:
    """Its work may be queued behind another run's: neither sent again nor counted."""
    waiting = ScanRunFactory(status=Status.QUEUED)
    _silent_for(waiting, 3600)
    assert runs.recover_stalled(queued=2500) == ()
    assert ScanRun.objects.get(pk=waiting.pk).resends == 0
    assert runs.recover_stalled(queued=0) == (Plan(waiting.pk),)


def test_an_item_whose_lease_ran_out_is_sent_again_at_once_while_its_run_beats(settings) -> None:
    """A worker killed (or stopped past its lease) holding an item: the item is sent
    again on the next tick, though the run's other items keep it beating."""
    run = ScanRunFactory(status=Status.RUNNING, planned_at=timezone.now(), items_total=3)
    lapsed, held, _never_claimed = (
        ScanItem.objects.create(run=run, media=MediaFactory(instance=run.instance))
        for _ in range(3)
    )
    now = timezone.now()
    ScanItem.objects.filter(pk=lapsed.pk).update(
        leased_until=now - timedelta(seconds=1), lease_token=7
    )
    ScanItem.objects.filter(pk=held.pk).update(
        leased_until=now + timedelta(seconds=60), lease_token=8
    )
    assert runs.recover_stalled(queued=10) == (ScanItems(run.pk, (lapsed.pk,)),)
    assert ScanItem.objects.get(pk=lapsed.pk).lease_token is None  # its old holder's is void
    assert runs.recover_stalled(queued=10) == ()  # sent once
    assert ScanRun.objects.get(pk=run.pk).resends == 0  # not a lost run


def test_an_item_whose_retry_is_overdue_is_sent_again(settings) -> None:
    settings.SCAN_STALL_SECONDS = 90
    run = ScanRunFactory(status=Status.RUNNING, planned_at=timezone.now(), items_total=2)
    overdue, due_soon = (
        ScanItem.objects.create(run=run, media=MediaFactory(instance=run.instance))
        for _ in range(2)
    )
    now = timezone.now()
    ScanItem.objects.filter(pk=overdue.pk).update(retry_at=now - timedelta(seconds=91))
    ScanItem.objects.filter(pk=due_soon.pk).update(retry_at=now - timedelta(seconds=30))
    assert runs.recover_stalled(queued=0) == (ScanItems(run.pk, (overdue.pk,)),)


def test_after_three_sends_without_progress_the_run_is_interrupted() -> None:
    run = ScanRunFactory(status=Status.QUEUED)
    for _ in range(runs.MAX_RESENDS):
        _silent_for(run, 3600)
        assert runs.recover_stalled() == (Plan(run.pk),)
    _silent_for(run, 3600)
    assert runs.recover_stalled() == ()
    run.refresh_from_db()
    assert run.status == Status.INTERRUPTED
    assert "is a worker running?" in run.error


def test_progress_resets_the_count_of_sends() -> None:
    run = ScanRunFactory(status=Status.RUNNING, planned_at=timezone.now(), items_total=3)
    ScanRun.objects.filter(pk=run.pk).update(resends=2)
    runs.count_items_done(run.pk, items=1, files_probed=1, file_errors=0)
    assert ScanRun.objects.get(pk=run.pk).resends == 0


def test_a_stalled_running_run_can_be_resumed_by_hand() -> None:
    run = ScanRunFactory(status=Status.RUNNING, planned_at=timezone.now(), items_total=1)
    pending = ScanItem.objects.create(run=run, media=MediaFactory(instance=run.instance))
    with pytest.raises(runs.RunStateError):
        runs.resume(run)  # alive: its heartbeat is fresh
    _silent_for(run, 3600)
    assert runs.resume(run) == (ScanItems(run.pk, (pending.pk,)),)
    assert run.status == Status.RUNNING


def test_inline_interrupts_only_its_own_instance_s_silent_runs() -> None:
    mine = ScanRunFactory(status=Status.RUNNING)
    other = ScanRunFactory(status=Status.RUNNING)
    fresh = ScanRunFactory(status=Status.QUEUED)
    for run in (mine, other):
        _silent_for(run, 3600)
    assert runs.interrupt_stalled(mine.instance) == 1
    assert runs.interrupt_stalled(fresh.instance) == 0
    statuses = dict(ScanRun.objects.values_list("pk", "status"))
    assert (statuses[mine.pk], statuses[other.pk], statuses[fresh.pk]) == (
        Status.INTERRUPTED,
        Status.RUNNING,
        Status.QUEUED,
    )

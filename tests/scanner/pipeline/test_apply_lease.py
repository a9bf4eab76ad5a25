"""The apply step's fencing token (scanner.pipeline.state.apply_lease): one holder at a
time, taken back after its lease ran out, and a holder whose token is gone writes no
event, no dub news, no applied tag and no end of its run."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from scanner.models import Event, Media, ScanRun
from scanner.pipeline.scanning.dub_news import announce_dub_changes
from scanner.pipeline.state import apply_lease, runs
from scanner.pipeline.state.apply_lease import ApplyLost, Superseded
from scanner.pipeline.work import Apply, RunEnded
from scanner.pipeline.writers.apply import apply_run
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory

pytestmark = pytest.mark.django_db

Status = ScanRun.Status
MINE, THEIRS = 11, 22


def _applying(**values: object) -> ScanRun:
    run = ScanRunFactory(status=Status.RUNNING, planned_at=timezone.now(), **values)
    assert runs.claim_apply(run.pk)
    return run


def _lease_runs_out(run: ScanRun) -> None:
    past = timezone.now() - timedelta(seconds=1)
    ScanRun.objects.filter(pk=run.pk).update(apply_leased_until=past)


def test_one_holder_at_a_time_and_a_lapsed_lease_is_taken() -> None:
    run = _applying()
    assert apply_lease.take(run.pk, MINE)
    assert apply_lease.take(run.pk, MINE)  # its own retry takes it back
    assert not apply_lease.take(run.pk, THEIRS)  # held, and the lease runs
    _lease_runs_out(run)
    assert apply_lease.take(run.pk, THEIRS)
    assert not apply_lease.extend(run.pk, MINE)  # the first holder's beats extend nothing
    with pytest.raises(ApplyLost, match=f"another apply took scan #{run.pk}"):
        apply_lease.hold(run.pk, MINE)
    apply_lease.hold(run.pk, THEIRS)  # the new holder's writes go on


def test_a_holder_whose_token_is_gone_neither_tells_dub_news_nor_ends_the_run() -> None:
    run = _applying()
    flagged = MediaFactory(instance=run.instance, dubs_due=True)
    assert apply_lease.take(run.pk, MINE)
    _lease_runs_out(run)
    assert apply_lease.take(run.pk, THEIRS)  # another task took the step

    with pytest.raises(ApplyLost):
        announce_dub_changes(run, partial(apply_lease.hold, run.pk, MINE))
    assert not runs.finish(run.pk, MINE, status=Status.SUCCEEDED)
    assert Media.objects.get(pk=flagged.pk).dubs_due  # left for the holder to tell
    assert not Event.objects.filter(run=run).exists()
    assert ScanRun.objects.get(pk=run.pk).status == Status.APPLYING
    assert runs.finish(run.pk, THEIRS, status=Status.SUCCEEDED)


def test_an_apply_whose_step_another_task_holds_writes_nothing() -> None:
    instance = InstanceFactory()
    run = _applying(instance=instance, dry_run=True)
    MediaFactory(instance=instance, planned_tag="dub")  # a change it would record
    assert apply_lease.take(run.pk, THEIRS)

    assert apply_run(run.pk, MINE) == Superseded(f"superseded: another apply took scan #{run.pk}")
    assert not Event.objects.filter(run=run).exists()
    assert ScanRun.objects.get(pk=run.pk).status == Status.APPLYING

    _lease_runs_out(run)  # the holder stopped: this one takes the step and ends the run
    assert apply_run(run.pk, MINE) == (RunEnded(run.pk), runs.ended(run)[1])
    kinds = sorted(Event.objects.filter(run=run).values_list("kind", flat=True))
    assert kinds == [Event.Kind.SCAN_FINISHED, Event.Kind.TAG_PLANNED]
    finished = ScanRun.objects.get(pk=run.pk)
    assert (finished.status, finished.apply_token) == (Status.SUCCEEDED, None)
    late = apply_run(run.pk, THEIRS)  # the late holder finds it ended
    assert late == Superseded(f"not applied: scan #{run.pk} is succeeded")
    assert Event.objects.filter(run=run).count() == 2


def test_a_run_that_becomes_applying_again_has_its_step_free() -> None:
    """Interrupted while applying and resumed: the silent holder's token no longer
    holds the step."""
    run = _applying()
    assert apply_lease.take(run.pk, MINE)
    old = timezone.now() - timedelta(hours=1)
    ScanRun.objects.filter(pk=run.pk).update(heartbeat_at=old)
    assert runs.resume(run) == (Apply(run.pk),)
    assert ScanRun.objects.get(pk=run.pk).apply_token is None
    with pytest.raises(ApplyLost):
        apply_lease.hold(run.pk, MINE)
    assert apply_lease.take(run.pk, THEIRS)

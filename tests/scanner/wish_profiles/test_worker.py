"""On real Celery workers: two tasks for one item at once (a run's end and a Seerr request)
send its profile once; a worker killed after its PUT was saved, before the answer came,
leaves a lease that runs out, and the next task records the write without sending it
again.

The fake Radarr saves an editor request and holds its answer back (``stall_editor``), so
that a task is caught in the middle of its write. No test waits for time to pass: each
waits for what a worker logs or the fake holds."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from fakes.arr import RADARR_V5, FakeArr
from scanner import tasks
from scanner.models import ItemProfile, ProfileChange, ProfileLease
from tests.scanner.wish_profiles.helpers import (
    VFQ,
    fake_arr,
    listed,
    mapped_instance,
    stored_item,
)
from tests.worker import LOG_TIMEOUT, celery_worker, task_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
State = ProfileChange.State


@pytest.fixture
def radarr() -> Iterator[FakeArr]:
    with fake_arr("radarr", RADARR_V5) as fake:
        yield fake


def test_two_tasks_for_one_item_at_once_send_its_profile_once(radarr: FakeArr) -> None:
    media = stored_item(mapped_instance(radarr.url))
    radarr.state.stall_editor([1])
    with celery_worker() as holder:
        tasks.follow_wish_profile.delay(media.pk)
        assert radarr.state.wait_stalled(1, LOG_TIMEOUT)  # its PUT saved, unanswered
        with celery_worker() as other:
            tasks.follow_wish_profile.delay(media.pk)
            other.wait_for(f"the quality profile of item {media.pk} is held by another task")
            other.wait_for(task_done("follow_wish_profile"))
        assert ProfileLease.objects.get(media=media).asked_again
        radarr.state.release_stalls()
        holder.wait_for("asked for again meanwhile: once more")
        holder.wait_for(task_done("follow_wish_profile"))
        said = "".join(holder.output + other.output)
    assert "Traceback" not in said
    assert radarr.state.profile_edits(1) == [VFQ]
    assert ProfileChange.objects.get().state == State.WRITTEN
    assert ProfileLease.objects.get(media=media).token is None


def test_a_worker_killed_after_its_put_leaves_it_to_the_next_task_which_sends_nothing_again(
    radarr: FakeArr,
) -> None:
    media = stored_item(mapped_instance(radarr.url))
    radarr.state.stall_editor([1])
    with celery_worker() as killed:
        tasks.follow_wish_profile.delay(media.pk)
        assert radarr.state.wait_stalled(1, LOG_TIMEOUT)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.process.wait(LOG_TIMEOUT)
    radarr.state.release_stalls()
    assert ProfileLease.objects.get(media=media).token is not None  # the dead task's
    assert ProfileChange.objects.get().state == State.PLANNED
    # Time passes past its lease (injected, as the other leases' tests do).
    ProfileLease.objects.filter(media=media).update(
        leased_until=timezone.now() - timedelta(seconds=1)
    )
    with celery_worker() as after:
        tasks.follow_wish_profile.delay(media.pk)
        after.wait_for(task_done("follow_wish_profile"))
    assert radarr.state.profile_edits(1) == [VFQ]  # the dead task's PUT, and no other
    change = ProfileChange.objects.get()
    assert change.state == State.WRITTEN
    assert ItemProfile.objects.get(media=media).set_profile_id == VFQ


def test_a_runs_end_sends_a_task_per_item_whose_plan_may_change(radarr: FakeArr) -> None:
    instance = mapped_instance(radarr.url)
    first, second = stored_item(instance, arr_id=1), stored_item(instance, arr_id=2)
    second.quality_profile_id = VFQ  # has its wish's profile already: no task
    second.save()
    run = listed(instance)
    with celery_worker() as worker:
        tasks.plan_run_wish_profiles.delay(run.pk)
        worker.wait_for(r"plan_run_wish_profiles\[[^\]]+\] succeeded in [0-9.e-]+s: 1")
        worker.wait_for(task_done("follow_wish_profile"))
    assert radarr.state.profile_edits(1) == [VFQ]
    assert radarr.state.profile_edits(2) == []
    change = ProfileChange.objects.get()
    assert (change.media_id, change.run_id, change.state) == (first.pk, run.pk, State.WRITTEN)

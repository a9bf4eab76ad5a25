"""The worker's watchdog (scanner.worker.health), on a real worker process: the threads
pool has no time limits and no memory recycling, so the watchdog shuts the worker down
when a task thread is held past TAGGARR_ITEM_HOLD_SECONDS (a read that hangs) or the
process grows past TAGGARR_WORKER_MAX_MEMORY_MB; ``restart:`` brings it back, and the
hung item is sent again once its lease lapses. The health command answers too."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from fakes.arr import FakeArr
from scanner import tasks
from scanner.models import Instance, RunRequest, ScanItem, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan
from tests.helpers import arr_source_instance, arr_tags
from tests.library import Library
from tests.worker import LOG_TIMEOUT, celery_worker, run_finished

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _start(instance: Instance) -> ScanRun:
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
    tasks.send((Plan(run.pk),))
    return run


def test_a_worker_past_its_memory_bound_shuts_down_warm_saying_why() -> None:
    """A bound below any Python process's size: the watchdog's first look finds it, and
    the worker stops by Celery's own warm shutdown (exit 0: nothing was in hand)."""
    bound = {"TAGGARR_WORKER_MAX_MEMORY_MB": "1", "TAGGARR_ITEM_HOLD_SECONDS": "8"}
    with celery_worker(extra_env=bound) as worker:
        code = worker.process.wait(LOG_TIMEOUT)
        line = worker.wait_for("worker watchdog: memory")
    assert "past TAGGARR_WORKER_MAX_MEMORY_MB (1 MB)" in line
    assert "shuts down" in line
    assert code == 0
    assert worker.count("did not stop within") == 0  # warm: it ended by itself


def test_a_hung_item_past_the_hold_limit_restarts_the_worker_and_is_sent_again(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """An item's read hangs (its *arr holds the answer longer than the hold limit, and
    the instance's read timeout is longer still): the watchdog names it, the worker
    stops taking tasks, and as the hung thread never ends the process exits after the
    grace. The item's lease lapses, beat's tick sends it again, and another worker
    finishes the run with every tag right."""
    instance = arr_source_instance(sonarr)
    Instance.objects.filter(pk=instance.pk).update(read_timeout=600)
    sonarr.state.stall_episode_files({item["id"] for item in tv_library.arr_items})
    hold = {"TAGGARR_ITEM_HOLD_SECONDS": "3"}
    with celery_worker(extra_env=hold) as worker:
        run = _start(instance)
        assert sonarr.state.wait_stalled(1, LOG_TIMEOUT)
        code = worker.process.wait(LOG_TIMEOUT)
        worker.wait_for(r"worker watchdog: an item task has run for \d+ s, past")
        worker.wait_for("did not stop within 3 s")
    assert code == 1
    sonarr.state.release_stalls()
    # Time passes past the lease of the item held (injected), then beat ticks.
    past = timezone.now() - timedelta(seconds=1)
    held = ScanItem.objects.filter(run=run, leased_until__isnull=False)
    assert held.count() == 1
    held.update(leased_until=past)
    tasks.start_due_scans()
    with celery_worker(concurrency=2) as other:
        other.wait_for(run_finished(run.pk))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert arr_tags(sonarr) == tv_library.expected


def test_the_health_command_answers_for_a_worker_whose_desk_runs(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """``manage.py worker_health`` (the compose healthcheck) asks the worker itself:
    after a scan its desk runs and nothing is held past the limit."""
    from scanner.worker.health import ask

    instance = arr_source_instance(sonarr)
    with celery_worker() as worker:
        run = _start(instance)
        worker.wait_for(run_finished(run.pk))
        reply = ask(f"test-{os.getpid()}@{socket.gethostname()}", timeout=30)
    assert reply is not None
    assert reply["ok"], reply
    assert reply["desk_idle_s"] is not None  # the desk that scanned answered

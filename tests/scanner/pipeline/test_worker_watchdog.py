"""The worker's watchdog (scanner.worker.health), on a real worker process: the threads
pool has no time limits and no memory recycling, so the watchdog shuts the worker down
when a step is held past TAGGARR_HOLD_SECONDS (a read that hangs) or the process grows
past TAGGARR_WORKER_MAX_MEMORY_MB; ``restart:`` brings it back. A hung item is failed
with that reason first, so that it never loops. The health command answers too."""

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
from scanner.pipeline.work import Plan, ScanItems
from tests.helpers import arr_source_instance, arr_tags
from tests.library import Library
from tests.worker import LOG_TIMEOUT, celery_worker, run_finished

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

# The shortest hold limit the start check allows: longer than the stall window (its
# shortest, 10 s), which is longer than the longest wait between retries (budgets of 8 s).
SHORT_HOLD = {
    "TAGGARR_HOLD_SECONDS": "11",
    "TAGGARR_SCAN_STALL_SECONDS": "10",
    "TAGGARR_ARR_RETRY_SECONDS": "8",
    "TAGGARR_STORAGE_RETRY_SECONDS": "8",
}


def _start(instance: Instance) -> ScanRun:
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
    tasks.send((Plan(run.pk),))
    return run


def test_a_worker_past_its_memory_bound_shuts_down_warm_saying_why() -> None:
    """A bound below any Python process's size: the watchdog's first look finds it, and
    the worker stops by Celery's own warm shutdown (exit 0: nothing was in hand)."""
    bound = {"TAGGARR_WORKER_MAX_MEMORY_MB": "1", **SHORT_HOLD}
    with celery_worker(extra_env=bound) as worker:
        code = worker.process.wait(LOG_TIMEOUT)
        line = worker.wait_for("worker watchdog: memory")
    assert "past TAGGARR_WORKER_MAX_MEMORY_MB (1 MB)" in line
    assert "shuts down" in line
    assert code == 0
    assert worker.count("did not stop within") == 0  # warm: it ended by itself


def test_a_hung_item_is_failed_after_the_first_hold_limit_and_never_loops(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """One item's read hangs (its *arr holds its episode files longer than the hold
    limit, and the instance's read timeout is longer still); the other items scan on the
    worker's other thread. The watchdog names the item, fails it with the hold limit's
    reason BEFORE it restarts the worker (issue 69: four kills in seven minutes for one
    item, never failed), and the process exits after the grace as the hung thread never
    ends. Restarted, the worker takes the item's message again (sent here as the broker
    would) and scans nothing: no second restart; the run ends partial naming the item,
    every other tag right."""
    instance = arr_source_instance(sonarr)
    Instance.objects.filter(pk=instance.pk).update(read_timeout=600)
    poison = tv_library.arr_items[0]
    sonarr.state.stall_episode_files({poison["id"]})
    hold = SHORT_HOLD
    with celery_worker(concurrency=2, extra_env=hold) as worker:
        run = _start(instance)
        assert sonarr.state.wait_stalled(1, LOG_TIMEOUT)
        code = worker.process.wait(LOG_TIMEOUT)
        line = worker.wait_for(rf"worker watchdog: item step \(item \d+ of scan #{run.pk}\)")
        worker.wait_for("did not stop within 11 s")
        # The other items scanned meanwhile: the run may have ended on this worker
        # already (the poison item failed, its apply sent before the restart).
        ended_here = worker.count(run_finished(run.pk)) > 0
    assert code == 1
    assert "past TAGGARR_HOLD_SECONDS (11 s)" in line
    item = ScanItem.objects.get(run=run, media__title=poison["title"])
    assert item.status == ScanItem.Status.FAILED
    assert "did not end within the hold limit (11 s" in item.error
    # The restart: the poison item's message comes again (acks_late), and beat's tick
    # sends what the killed process held (its other items' leases lapse, injected).
    ScanItem.objects.filter(run=run, status=ScanItem.Status.PENDING).update(
        leased_until=timezone.now() - timedelta(seconds=1)
    )
    tasks.send((ScanItems(run.pk, (item.pk,)),))
    tasks.start_due_scans()
    with celery_worker(concurrency=2, extra_env=hold) as restarted:
        restarted.wait_for(r"scan_item\[[^\]]+\] succeeded .*already failed")
        if not ended_here:
            restarted.wait_for(run_finished(run.pk))
        assert restarted.process.poll() is None
        assert restarted.count("worker watchdog") == 0
    assert sonarr.state.stalled == 1  # its read was never tried again
    run.refresh_from_db()
    assert run.status == ScanRun.Status.PARTIAL, run.error
    assert run.items_failed == 1
    assert f"held past the hold limit: {poison['title']}" in run.error
    expected = {title: tag for title, tag in tv_library.expected.items()}
    got = arr_tags(sonarr)
    del expected[poison["title"]], got[poison["title"]]
    assert got == expected


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

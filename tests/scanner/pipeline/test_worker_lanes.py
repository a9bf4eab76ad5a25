"""The control lane (taggarr/celery.py): beat's tick, sent as beat sends it, overtakes a
backlog of item messages on a real worker, and sends a killed worker's items again at
once; on the project's broker (Redis when REDIS_URL is set, else the embedded one)."""

from __future__ import annotations

import os
import re
import signal
from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from fakes.arr import FakeArr
from scanner import tasks
from scanner.models import RunRequest, ScanItem, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan
from tests.helpers import arr_source_instance, arr_tags
from tests.library import Library
from tests.worker import LOG_TIMEOUT, celery_worker, run_finished, task_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

# Item messages queued before the tick: on one shared queue the tick waits behind all
# of them (and expires unseen when they take longer than its expiry). Forty are plenty
# to tell "after at most one" from "after the backlog"; the run's end still waits for
# them all (its item sent again queues behind them), so a larger one only costs time.
BACKLOG = 40
NO_SUCH_ITEM = 10**9  # the backlog's items: ids no scan has, each a quick task


def _done_before(lines: list[str], pattern: str, until: str) -> int:
    """Item tasks the worker ended before it logged ``until``."""
    seen = 0
    for line in lines:
        if re.search(until, line):
            return seen
        seen += bool(re.search(pattern, line))
    raise AssertionError(f"never logged {until!r}")


def test_beats_tick_overtakes_an_item_backlog_and_sends_a_killed_workers_items_again(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """Worker A (one thread) holds an item (its *arr hangs) and is killed (kill -9);
    a backlog of item messages is queued, then beat's tick with its expiry. Worker B
    (one thread) runs the tick after at most one item, not after the backlog; the tick
    sends A's item again at once (its lease ran out, injected), and the run succeeds."""
    instance = arr_source_instance(sonarr)
    sonarr.state.stall_episode_files({item["id"] for item in tv_library.arr_items})
    with celery_worker(concurrency=1) as killed:
        run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
        tasks.send((Plan(run.pk),))
        assert sonarr.state.wait_stalled(1, LOG_TIMEOUT)  # its one thread holds an item
        os.killpg(killed.pid, signal.SIGKILL)
        killed.stop()
    sonarr.state.release_stalls()
    held = list(
        ScanItem.objects.filter(run=run, leased_until__isnull=False).values_list("pk", flat=True)
    )
    assert len(held) == 1
    for n in range(BACKLOG):
        tasks.scan_item.apply_async((run.pk, NO_SUCH_ITEM + n))
    # The lease runs out (time passing, injected), and beat's tick comes, as beat sends it.
    past = timezone.now() - timedelta(seconds=1)
    ScanItem.objects.filter(pk__in=held).update(leased_until=past)
    tick = current_app.conf.beat_schedule["start-due-scans"]
    current_app.send_task(tick["task"], **tick["options"])

    with celery_worker(concurrency=1) as worker:
        ticked = task_done("start_due_scans")
        expired = r"Discarding revoked task: scanner\.tasks\.start_due_scans"
        line = worker.wait_for(f"{ticked}|{expired}")
        assert "succeeded" in line, line
        worker.wait_for(run_finished(run.pk))
    items_done = task_done("scan_item")
    assert _done_before(worker.output, items_done, ticked) <= 1
    resent = rf"scan #{run.pk} of .*: 1 items whose holder stopped beating .* sent again"
    assert _done_before(worker.output, items_done, resent) <= 1
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.items_done, run.items_failed) == (len(tv_library.arr_items), 0)
    assert arr_tags(sonarr) == tv_library.expected

"""A real worker with TAGGARR_ITEM_FANOUT=direct (issue 69 item 3): Celery's prefork pool,
one item per child, each item task committing its own writes, no desk. A scan tags
everything; a worker killed (SIGKILL, its children with it) while its children hold
items leaves them to another worker, and the run ends with every tag right, nothing
counted twice."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from fakes.arr import FakeArr
from scanner import tasks
from scanner.models import RunRequest, ScanItem, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan
from tests.helpers import arr_source_instance, arr_tags
from tests.library import Library
from tests.worker import LOG_TIMEOUT, celery_worker, run_finished

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

DIRECT = {"TAGGARR_ITEM_FANOUT": "direct"}


def test_a_direct_worker_killed_mid_scan_leaves_its_items_to_another(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """Both children of worker A hold an item (their *arr hangs) when A is killed; once
    their leases ran out (injected) beat's tick sends them again and worker B, on the
    same fan-out, scans them and the rest: the run succeeds with every tag."""
    instance = arr_source_instance(sonarr)
    sonarr.state.stall_episode_files({item["id"] for item in tv_library.arr_items})
    with celery_worker(concurrency=2, extra_env=DIRECT) as killed:
        killed.wait_for(r"\(prefork\)")  # the banner: the pool is Celery's prefork
        run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
        tasks.send((Plan(run.pk),))
        assert sonarr.state.wait_stalled(2, LOG_TIMEOUT)  # one item in each child
        held = list(
            ScanItem.objects.filter(run=run, leased_until__isnull=False).values_list(
                "pk", flat=True
            )
        )
        assert len(held) == 2
        os.killpg(killed.pid, signal.SIGKILL)
        killed.stop()
    past = timezone.now() - timedelta(seconds=1)
    ScanItem.objects.filter(pk__in=held).update(leased_until=past)
    sonarr.state.release_stalls()
    queued = tasks.queued_messages()
    with celery_worker(concurrency=2, extra_env=DIRECT) as other:
        if queued:  # the tasks the killed worker left queued run first
            other.wait_for(r"scan_item\[[^\]]+\] (succeeded|raised)", count=queued)
        ScanRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(days=1))
        tasks.start_due_scans()  # beat's tick: the held items and any lost message
        other.wait_for(run_finished(run.pk))
        # A scanned nothing (every item's *arr hung); B scanned each item once, the two
        # A held among them, each in its own task.
        assert other.count(r"scan_item\[[^\]]+\] succeeded in [0-9.]+s: 'scanned: ") == len(
            tv_library.arr_items
        )
        assert other.count("item desk") == 0  # no desk in this fan-out
    assert killed.count("scanned: ") == 0
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.items_done, run.items_failed) == (len(tv_library.arr_items), 0)
    assert arr_tags(sonarr) == tv_library.expected

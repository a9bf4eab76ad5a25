"""The plan stores and judges the listed items in batches (scanner.pipeline.scanning.sync,
``BATCH``): with batches of two, a library of several series plans, tags and rescans as
with one batch, each batch's stored rows read in one statement."""

from __future__ import annotations

import math
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fakes.arr import FakeArr
from scanner.models import Instance, Media, RunRequest, ScanItem, ScanRun
from scanner.pipeline.scanning import sync as sync_module
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
from scanner.pipeline.work import ScanItems
from tests.helpers import arr_tags, scan_inline
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def short_batches(monkeypatch) -> int:
    monkeypatch.setattr(sync_module, "BATCH", 2)
    return 2


def test_batches_of_two_tag_and_rescan_as_one_batch_does(
    short_batches: int, sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    assert len(tv_library.expected) > 2 * short_batches  # more than two batches
    first = scan_inline(sonarr_instance)
    assert first.status == ScanRun.Status.SUCCEEDED, first.error
    assert arr_tags(sonarr) == tv_library.expected
    assert first.items_total == len(tv_library.expected)

    again = scan_inline(sonarr_instance)
    assert (again.items_total, again.items_skipped) == (0, len(tv_library.expected))
    assert again.summary["listed"] == len(tv_library.expected)
    assert again.summary["removed"] == 0

    touched = tv_library.files["Anime Half"][1]
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    third = scan_inline(sonarr_instance)
    assert (third.items_total, third.files_probed) == (1, 1)
    assert Media.objects.filter(instance=sonarr_instance).count() == len(tv_library.expected)


def test_each_batch_reads_its_stored_rows_in_one_statement(
    short_batches: int, sonarr_instance: Instance, tv_library: Library
) -> None:
    scan_inline(sonarr_instance)
    rescan = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))

    with CaptureQueriesContext(connection) as queries:
        plan_run(rescan.pk)

    batch_reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT")
        and 'FROM "scanner_media"' in q["sql"]
        and '"scanner_media"."arr_id" IN' in q["sql"]
    ]
    assert len(batch_reads) == math.ceil(len(tv_library.expected) / short_batches)
    rescan.refresh_from_db()
    assert (rescan.items_total, rescan.items_skipped) == (0, len(tv_library.expected))


def test_a_first_plan_stores_each_batchs_items_as_it_goes(
    short_batches: int, sonarr_instance: Instance, tv_library: Library
) -> None:
    """Of a batch only its ids are kept: its items to scan are stored before the next
    batch is read, so a first plan of 70,000 items never holds 70,000 rows."""
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))

    with CaptureQueriesContext(connection) as queries:
        plan_run(run.pk)

    order = [
        "read" if '"scanner_media"."arr_id" IN' in q["sql"] else "store"
        for q in queries
        if (q["sql"].startswith("INSERT") and 'INTO "scanner_scanitem"' in q["sql"])
        or (q["sql"].startswith("SELECT") and '"scanner_media"."arr_id" IN' in q["sql"])
    ]
    batches = math.ceil(len(tv_library.expected) / short_batches)
    assert order == ["read", "store"] * batches
    run.refresh_from_db()
    assert run.items_total == len(tv_library.expected)
    assert ScanItem.objects.filter(run=run).count() == len(tv_library.expected)


def test_a_plan_tried_again_drops_what_a_lost_try_stored(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    """A try that stored some batches and was lost (its worker killed) sent none of them:
    the next try of the plan stores its own, and sends only those."""
    scan_inline(sonarr_instance)
    rescan = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    unchanged = Media.objects.filter(instance=sonarr_instance).first()
    assert unchanged is not None
    ScanItem.objects.create(run=rescan, media=unchanged)  # the lost try's

    sent = plan_run(rescan.pk)

    rescan.refresh_from_db()
    assert (rescan.items_total, rescan.items_skipped) == (0, len(tv_library.expected))
    assert not ScanItem.objects.filter(run=rescan).exists()
    assert not any(isinstance(work, ScanItems) for work in sent)

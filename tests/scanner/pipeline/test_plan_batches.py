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
from scanner.models import Instance, Media, RunRequest, ScanRun
from scanner.pipeline.scanning import sync as sync_module
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
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

"""The plan step reads the database while the *arr answers its list request."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scanner.errors import ArrTransientError
from scanner.models import Instance, RunRequest, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.scanning import plan as plan_module
from scanner.pipeline.scanning import sync as sync_module
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan

pytestmark = pytest.mark.django_db(transaction=True)


def _listing_waits_for_the_stored_folders(monkeypatch) -> list[str]:
    """The listing goes on only once the plan has read the stored folders (a listing done
    before that, on the plan's own thread, would wait in vain until its wait times out);
    returns the threads that listed."""
    read = threading.Event()
    listed_on: list[str] = []
    real_list, real_stored = sync_module.list_sources, plan_module.FolderPrefetch

    def listing(*args, **kwargs):
        listed_on.append(threading.current_thread().name)
        assert read.wait(timeout=30), "the plan did not read the database while it listed"
        return real_list(*args, **kwargs)

    def stored(*args, **kwargs):
        found = real_stored(*args, **kwargs)
        read.set()
        return found

    monkeypatch.setattr(sync_module, "list_sources", listing)
    monkeypatch.setattr(plan_module, "FolderPrefetch", stored)
    return listed_on


def test_the_arr_lists_while_the_plan_reads_what_it_stored(sonarr_instance: Instance, monkeypatch):
    first = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    run_inline((Plan(first.pk),))
    listed_on = _listing_waits_for_the_stored_folders(monkeypatch)

    rescan = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    run_inline((Plan(rescan.pk),))

    rescan.refresh_from_db()
    assert listed_on == ["taggarr-list_0"]
    assert rescan.status == ScanRun.Status.SUCCEEDED
    assert (rescan.items_total, rescan.items_skipped) == (0, sonarr_instance.media.count())


def test_a_failed_list_request_fails_the_plan_as_before(sonarr_instance: Instance, sonarr):
    sonarr.stop()  # connection refused: raised from the listing thread to the plan
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))

    with pytest.raises(ArrTransientError, match="refused"):
        plan_run(run.pk)


def test_a_rescan_plan_reads_each_stored_item_in_one_query_not_one_each(
    sonarr_instance: Instance, tv_library
) -> None:
    # Planning loads only some of an item's fields (stored.PLANNED_FIELDS); reading any
    # other would load it with a query of its own, per item.
    first = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    run_inline((Plan(first.pk),))
    touched = next(iter(tv_library.files.values()))[0]
    touched.write_bytes(touched.read_bytes() + b"\0")  # one item needs a scan again
    rescan = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))

    with CaptureQueriesContext(connection) as queries:
        plan_run(rescan.pk)

    media_reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and 'FROM "scanner_media"' in q["sql"]
    ]
    assert not [sql for sql in media_reads if '"scanner_media"."id" = ' in sql]  # one item
    assert len(media_reads) <= 3, media_reads  # the rows, the folders ahead, the orphans
    rescan.refresh_from_db()
    assert rescan.items_total == 1

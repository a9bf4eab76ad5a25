"""End to end through a real Celery worker process, the project's broker (Redis when
REDIS_URL is set, else the embedded one), the test database and the fake Sonarr."""

from __future__ import annotations

import os
import re
import signal
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from fakes.arr import FakeArr
from scanner import tasks
from scanner.actions.scans import cancel_scan, start_scan
from scanner.models import Event, Instance, Media, RunRequest, ScanItem, ScanRun
from scanner.pipeline.runtime import item_step
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
from tests.helpers import arr_tags, arr_writes, manage, nfo_tags
from tests.library import Library
from tests.media import layout
from tests.worker import (
    WorkerProcess,
    celery_worker,
    database_write_lock,
    live_database_url,
    run_finished,
    task_done,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _planned_run(instance: Instance) -> tuple[ScanRun, list[int]]:
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))  # nothing sent yet
    tasks.send(plan_run(run.pk))  # the test planned it; its item tasks are on the broker
    items = list(ScanItem.objects.filter(run=run).order_by("pk").values_list("pk", flat=True))
    return run, items


def test_worker_tags_then_rescans_in_nothing_flat(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    with celery_worker() as worker:
        run = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(run.pk))
        run.refresh_from_db()
        assert run.status == ScanRun.Status.SUCCEEDED, run.error
        assert arr_tags(sonarr) == tv_library.expected
        assert nfo_tags(tv_library.folder("Anime Half") / "tvshow.nfo") == ["user-tag", "semi-dub"]

        sonarr.state.reset_counters()
        again = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(again.pk))
        again.refresh_from_db()
        assert (again.files_probed, again.items_total, arr_writes(sonarr)) == (0, 0, 0)

        touched = tv_library.files["Anime Dubbed"][0]
        stat = touched.stat()
        os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        third = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(third.pk))
        third.refresh_from_db()
        assert (third.items_total, third.files_probed) == (1, 1)


def test_each_items_task_scans_its_own_item(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """One Celery task per item, and each ends having scanned its own item (its result
    names it): no task ends "done" while another task did its item."""
    run, items = _planned_run(sonarr_instance)
    titles = list(ScanItem.objects.filter(run=run).values_list("media__title", flat=True))
    with celery_worker(concurrency=4) as worker:
        worker.wait_for(run_finished(run.pk))
        worker.wait_for(task_done("scan_item"), count=len(items))
    results = re.findall(
        r"Task scanner\.tasks\.scan_item\[[^\]]+\] succeeded in [0-9.]+s: '([^']*)'",
        "".join(worker.output),
    )
    assert sorted(results) == sorted(f"scanned: {title}" for title in titles)
    run.refresh_from_db()
    assert (run.status, run.items_done) == (ScanRun.Status.SUCCEEDED, len(items))
    assert arr_tags(sonarr) == tv_library.expected


def test_dry_run_then_normal_run_through_the_worker(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    with celery_worker() as worker:
        dry = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API, dry_run=True))
        worker.wait_for(run_finished(dry.pk))
        assert arr_writes(sonarr) == 0
        assert Media.objects.get(title="Anime Dubbed").planned_tag == "dub"
        real = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(real.pk))
    assert arr_tags(sonarr) == tv_library.expected


def test_cancel_mid_run_applies_nothing(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    nfo = tv_library.folder("Anime Dubbed") / "tvshow.nfo"
    before = nfo.read_bytes()
    run, items = _planned_run(sonarr_instance)
    for item_id in items[:2]:  # two items are done when the cancel comes
        item_step.scan_item(run.pk, item_id)
    cancel_scan(run)
    with celery_worker() as worker:
        worker.wait_for(task_done("scan_item"), count=len(items))  # the queue drains
    run.refresh_from_db()
    assert run.status == ScanRun.Status.CANCELLED
    assert run.items_done == 2
    assert (
        ScanItem.objects.filter(run=run, status=ScanItem.Status.PENDING).count() == len(items) - 2
    )
    assert arr_writes(sonarr) == 0  # tags are created only by the apply step
    assert set(arr_tags(sonarr).values()) == {"none"}
    assert nfo.read_bytes() == before


def _in_hand(worker: WorkerProcess, run: ScanRun) -> None:
    """The worker has taken items and cannot finish them: on PostgreSQL it claimed them
    and waits to store them (a lock on the first item's media row); SQLite can only
    lock the whole database, so there it waits to claim them."""
    if connection.vendor == "postgresql":
        worker.wait_for(rf"scan #{run.pk}: \d+ items claimed")
    else:
        worker.wait_for(r"claiming items")


def test_a_worker_killed_with_items_in_hand_loses_nothing(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, settings
) -> None:
    """kill -9 of a worker that holds items: their messages stay unacknowledged on the
    broker for the visibility timeout (an hour) and the items stay leased for the stall
    window. Once their leases have run out (injected) beat's tick sends them again; the
    run ends right, and no tag is written twice."""
    run, items = _planned_run(sonarr_instance)
    first_media = ScanItem.objects.get(pk=items[0]).media_id
    debug = {"TAGGARR_LOG_LEVEL": "debug"}
    with (
        database_write_lock("scanner_media", first_media),
        celery_worker(extra_env=debug) as worker,
    ):
        _in_hand(worker, run)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.stop()
    assert ScanRun.objects.get(pk=run.pk).items_done == 0  # nothing half-stored
    # Time passes without a heartbeat (injected): the leases run out, then beat ticks.
    past = timezone.now() - timedelta(seconds=settings.SCAN_STALL_SECONDS + 1)
    ScanItem.objects.filter(run=run).update(leased_until=past)
    ScanRun.objects.filter(pk=run.pk).update(heartbeat_at=past)
    tasks.start_due_scans()
    with celery_worker() as worker:
        worker.wait_for(run_finished(run.pk))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.items_done, run.items_failed) == (len(items), 0)
    assert run.files_probed == sum(len(files) for files in tv_library.files.values())
    assert arr_tags(sonarr) == tv_library.expected
    editor = {route: n for (method, route), n in sonarr.state.counters().items() if method == "PUT"}
    assert editor == {"/api/v3/series/editor": 3}  # one bulk add per managed tag, once
    changed = Event.objects.filter(run=run, kind=Event.Kind.TAG_CHANGED).count()
    assert changed == sum(1 for tag in tv_library.expected.values() if tag != "none")


def test_sigterm_lets_the_worker_finish_the_items_in_hand(sonarr_instance: Instance) -> None:
    run, items = _planned_run(sonarr_instance)
    first_media = ScanItem.objects.get(pk=items[0]).media_id
    env = {"TAGGARR_LOG_LEVEL": "debug"}
    with celery_worker(concurrency=2, extra_env=env) as worker:
        with database_write_lock("scanner_media", first_media):
            _in_hand(worker, run)
            worker.request_stop(signal.SIGTERM)
            worker.wait_for("Warm shutdown")
        # the lock is gone: the items in hand finish, then the worker exits
        assert worker.stop() == 0
    rows = {pk: (status, attempts) for pk, status, attempts in ScanItem.objects.filter(
        run=run).values_list("pk", "status", "attempts")}  # fmt: skip
    assert rows[items[0]] == (ScanItem.Status.DONE, 1)
    # nothing half-written: every item is done, or pending and never started
    assert all(
        row in {(ScanItem.Status.DONE, 1), (ScanItem.Status.PENDING, 0)} for row in rows.values()
    )
    done = sum(1 for status, _ in rows.values() if status == ScanItem.Status.DONE)
    assert 1 <= done < len(items)  # the items in hand, then it stopped
    run.refresh_from_db()
    assert run.items_done == done


def test_webhook_download_rescans_and_retags_that_one_series(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, media
) -> None:
    client = Client()
    token = sonarr_instance.get_webhook_token()
    with celery_worker() as worker:
        first = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(first.pk))
        assert arr_tags(sonarr)["Anime Half"] == "semi-dub"
        for path in tv_library.files["Anime Half"][2:]:  # season 2 gets its English dub
            path.unlink()
            media.make_video(path, layout("jpn", "eng"))
        series_id = Media.objects.get(title="Anime Half").arr_id
        response = client.post(
            f"/api/webhooks/{token}/",
            {"eventType": "Download", "series": {"id": series_id, "title": "Anime Half"}},
            content_type="application/json",
        )
        assert response.status_code == 202
        run_id = response.json()["scan"]
        if run_id is None:
            # The first run's end, which starts what waits, took the request first: the
            # series' run is the one that end started (one run either way).
            worker.wait_for(r"scan #\d+ of tv: 1 items listed")
            run_id = ScanRun.objects.get(trigger=ScanRun.Trigger.WEBHOOK).pk
        worker.wait_for(run_finished(run_id))
    assert arr_tags(sonarr)["Anime Half"] == "dub"
    run = ScanRun.objects.get(pk=run_id)
    assert (run.trigger, run.scope, run.items_total) == ("webhook", [series_id], 1)


def test_inline_cli_without_redis_gives_the_worker_result(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    with celery_worker() as worker:
        run = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API))
        worker.wait_for(run_finished(run.pk))
    by_worker = {m.title: (m.planned_tag, m.verdict_reasons) for m in Media.objects.all()}
    Media.objects.all().delete()
    sonarr.state.set_items(tv_library.arr_items)  # untagged again
    env = {**os.environ, "DATABASE_URL": live_database_url()}
    env.pop("REDIS_URL", None)
    result = manage("scan", "--inline", "--instance", sonarr_instance.name, env=env)
    assert result.returncode == 0, result.stderr
    assert "succeeded" in result.stdout
    by_cli = {m.title: (m.planned_tag, m.verdict_reasons) for m in Media.objects.all()}
    assert by_cli == by_worker
    assert arr_tags(sonarr) == tv_library.expected

"""The failure paths through a real worker process: each task that gives up (its
on_failure hook, the give-up after repeated starts, the storage retry), the apply
step after a failed last item, and a task delivered twice."""

from __future__ import annotations

import shutil

import pytest
from django.utils import timezone

from fakes.arr import FakeArr
from scanner import tasks
from scanner.models import Instance, Media, MediaFile, RunRequest, ScanItem, ScanRun
from scanner.pipeline.runtime.item_step import MAX_ITEM_STARTS
from scanner.pipeline.state import runs
from scanner.pipeline.work import Apply, Plan, ScanItems
from tests.factories import InstanceFactory
from tests.helpers import arr_tags, planned_run
from tests.library import Library
from tests.worker import WorkerProcess, celery_worker, run_finished, task_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _send_items(run: ScanRun, item_ids: list[int]) -> None:
    tasks.send((ScanItems(run.pk, tuple(item_ids)),))


def test_a_plan_task_that_raises_fails_its_run(worker: WorkerProcess, tmp_path) -> None:
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(tmp_path)], library_content="series"
    )
    (tmp_path / "Show").mkdir()
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
    ScanRun.objects.filter(pk=run.pk).update(scope=["not an id"])
    tasks.send((Plan(run.pk),))
    worker.wait_for(r"Task scanner\.tasks\.plan_scan\[.*\] raised unexpected: ValueError")
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED
    assert run.error.startswith("ValueError")


def test_an_item_task_that_raises_fails_its_item_and_the_run_goes_on(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, worker: WorkerProcess
) -> None:
    run, items = planned_run(sonarr_instance, ScanRun.Trigger.API)
    # A stored file whose size and mtime match is reused: broken tracks break the step.
    # (Stored by an earlier scan, which stamps the item as scanned.)
    first = tv_library.files["Anime Dubbed"][0]
    stat = first.stat()
    Media.objects.filter(title="Anime Dubbed").update(last_scanned_at=timezone.now())
    MediaFile.objects.create(
        media=Media.objects.get(title="Anime Dubbed"),
        path=f"{first.parent.name}/{first.name}",
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        result=MediaFile.Result.ALL,
        audio_tracks=[{"bad": 1}],
    )
    _send_items(run, list(items.values()))
    worker.wait_for(run_finished(run.pk))
    failed = ScanItem.objects.get(pk=items["Anime Dubbed"])
    assert (failed.status, failed.error[:8]) == (ScanItem.Status.FAILED, "KeyError")
    run.refresh_from_db()
    assert (run.items_done, run.items_failed) == (len(items) - 1, 1)
    assert run.finished_at is not None
    assert arr_tags(sonarr)["Anime Half"] == "semi-dub"  # the others were applied


def test_an_apply_task_that_raises_fails_its_run(
    sonarr_instance: Instance, worker: WorkerProcess
) -> None:
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.API))
    ScanRun.objects.filter(pk=run.pk).update(
        status=ScanRun.Status.APPLYING,
        planned_at=timezone.now(),
        arr_tag_ids=["dub"],  # not the label -> id mapping apply reads
    )
    Media.objects.create(
        instance=sonarr_instance, kind="series", arr_id=1, title="x", path="/x", planned_tag="dub"
    )
    tasks.send((Apply(run.pk),))
    worker.wait_for(run_finished(run.pk))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED
    assert run.error.startswith("AttributeError")


def test_an_item_started_too_often_is_given_up(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, worker: WorkerProcess
) -> None:
    run, items = planned_run(sonarr_instance, ScanRun.Trigger.API)
    ScanItem.objects.filter(pk=items["Anime Wrong"]).update(attempts=MAX_ITEM_STARTS)
    _send_items(run, list(items.values()))
    worker.wait_for(run_finished(run.pk))
    item = ScanItem.objects.get(pk=items["Anime Wrong"])
    assert (item.status, item.error) == (ScanItem.Status.FAILED, "gave up after 5 starts")
    assert arr_tags(sonarr) == {**tv_library.expected, "Anime Wrong": "none"}


def test_a_folder_that_comes_back_is_retried_by_the_worker(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """The batch stores the others; the item whose folder is gone waits for its retry
    alone, and is scanned once the folder is back."""
    run, items = planned_run(sonarr_instance, ScanRun.Trigger.API)
    folder = tv_library.folder("Anime Half")
    away = folder.with_name("unmounted")
    folder.rename(away)
    with celery_worker(extra_env={"TAGGARR_STORAGE_RETRY_SECONDS": "30"}) as worker:
        _send_items(run, list(items.values()))
        worker.wait_for(rf"scan #{run.pk}: Anime Half: .*; trying again in")
        away.rename(folder)  # the share is back
        worker.wait_for(run_finished(run.pk))
    run.refresh_from_db()
    assert (run.items_done, run.items_failed) == (len(items), 0)
    assert arr_tags(sonarr) == tv_library.expected


def test_apply_runs_after_the_last_item_failed(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, worker: WorkerProcess
) -> None:
    """The batch stores five items, then fails the sixth: that failure is the run's last
    count, and it starts the apply step."""
    run, items = planned_run(sonarr_instance, ScanRun.Trigger.API)
    *others, (last_title, _) = items.items()
    shutil.rmtree(tv_library.folder(last_title))  # gone since the plan
    _send_items(run, list(items.values()))
    worker.wait_for(run_finished(run.pk))
    run.refresh_from_db()
    assert (run.items_done, run.items_failed) == (len(others), 1)
    assert arr_tags(sonarr) == {**tv_library.expected, last_title: "none"}


def test_an_item_delivered_twice_is_counted_once(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, worker: WorkerProcess
) -> None:
    run, items = planned_run(sonarr_instance, ScanRun.Trigger.API)
    ids = list(items.values())
    _send_items(run, [ids[0]])
    _send_items(run, ids)  # the first item again, as acks_late redelivers it
    worker.wait_for(run_finished(run.pk))
    worker.wait_for(task_done("scan_item"), count=len(ids) + 1)
    run.refresh_from_db()
    assert run.items_done == len(ids)
    assert run.files_probed == sum(len(files) for files in tv_library.files.values())
    assert arr_tags(sonarr) == tv_library.expected


def test_a_rejected_api_key_is_one_log_line_and_a_failed_run(
    sonarr_instance: Instance, worker: WorkerProcess
) -> None:
    """An expected failure: reported on the run and logged once, without a traceback."""
    sonarr_instance.set_api_key("wrong-key-0000000000000000")
    sonarr_instance.save()
    tasks.send((Plan(runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.API)).pk),))
    worker.wait_for(task_done("plan_scan"))
    run = ScanRun.objects.get(instance=sonarr_instance)
    assert run.status == ScanRun.Status.FAILED
    assert "rejected the API key (401)" in run.error
    output = "".join(worker.output)
    assert "Traceback" not in output
    assert "raised unexpected" not in output
    assert worker.count("rejected the API key") == 1

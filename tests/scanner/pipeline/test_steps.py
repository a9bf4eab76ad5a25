"""The one retry and give-up policy (scanner/pipeline/runtime/steps.py), run in this process by
the inline runner with its waits recorded instead of slept: transient *arr errors are
ridden out for the budget, expected failures give up in one way, an item that keeps
killing workers is given up, a second delivery changes nothing."""

from __future__ import annotations

import logging
import os
import shutil
from types import SimpleNamespace

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from scanner.errors import ArrTransientError
from scanner.models import Instance, Media, MediaFile, RunRequest, ScanItem, ScanRun
from scanner.pipeline.runtime import inline, item_step, steps
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.runtime.item_step import MAX_ITEM_STARTS
from scanner.pipeline.state import runs
from scanner.pipeline.work import Apply, Plan, ScanItems
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, arr_tags, free_port, planned_run
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)


def _point(instance: Instance, url: str) -> None:
    Instance.objects.filter(pk=instance.pk).update(url=url)
    instance.refresh_from_db()


def test_inline_rides_out_a_minute_of_503s(
    sonarr_instance: Instance, tv_library: Library, settings
) -> None:
    """Sonarr answers 503 "starting up" for tens of seconds after a restart."""
    settings.ARR_RETRY_SECONDS = 120
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY, startup_503=5)
    sleeps: list[float] = []
    with FakeArr(options, items=tv_library.arr_items) as starting:
        _point(sonarr_instance, starting.url)
        run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
        run_inline((Plan(run.pk),), sleep=sleeps.append)
        run.refresh_from_db()
        assert run.status == ScanRun.Status.SUCCEEDED, run.error
        assert len(sleeps) == 5  # one wait per 503, the sixth try got through
        assert sum(sleeps) >= 60
        assert arr_tags(starting) == tv_library.expected


def test_inline_gives_up_when_the_budget_is_spent(sonarr_instance: Instance, settings) -> None:
    settings.ARR_RETRY_SECONDS = 30
    _point(sonarr_instance, f"http://127.0.0.1:{free_port()}")  # nothing listens there
    sleeps: list[float] = []
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    run_inline((Plan(run.pk),), sleep=sleeps.append)
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED
    assert "refused" in run.error
    # Doubling waits (from a 60th of the budget), the last cut so that the deadline,
    # 30 s after the first try, is never waited past.
    assert len(sleeps) >= 5 and sleeps[:-1] == sorted(sleeps[:-1])
    assert sum(sleeps) <= 30


def test_the_budget_is_a_deadline_that_counts_the_tries_own_time(
    sonarr_instance: Instance, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An *arr that accepts and never answers: each try costs a 30 s read timeout. The
    step gives up once 120 s have passed since its first try (four tries: at 0, 32, 66
    and 104 s), within the budget plus one timeout; not after 2 + 4 + ... + 58 s of
    waits plus a timeout per try (seven tries, about 330 s)."""
    settings.ARR_RETRY_SECONDS = 120
    clock = [1000.0]  # the runner's clock, moved by the tries and the waits alone
    monkeypatch.setattr(inline, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    tries: list[float] = []

    def hanging(work: object) -> object:
        tries.append(clock[0] - 1000.0)
        clock[0] += 30.0
        raise ArrTransientError("Sonarr 'tv': GET /api/v3/series got no answer within 30 s")

    def waited(seconds: float) -> None:
        clock[0] += seconds

    monkeypatch.setattr(steps, "perform", hanging)
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    run_inline((Plan(run.pk),), sleep=waited)
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED
    assert run.error.endswith("(still so after 120 s of retries)")
    assert len(tries) == 4 and tries[0] == 0
    assert clock[0] - 1000.0 <= 120 + 30  # the budget and the try under way at its end


def test_a_tasks_retries_keep_the_same_deadline(
    sonarr_instance: Instance, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Celery tasks' path (``attempt``, once per delivery, with the first try's time):
    a try that hangs for its 30 s timeout counts towards the deadline as inline."""
    settings.ARR_RETRY_SECONDS = 120
    clock = [5000.0]

    def hanging(work: object) -> object:
        clock[0] += 30.0
        raise ArrTransientError("Sonarr 'tv': GET /api/v3/series got no answer within 30 s")

    monkeypatch.setattr(steps, "perform", hanging)
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    since, tries = clock[0], 0
    while True:
        tries += 1
        outcome = steps.attempt(Plan(run.pk), tries - 1, since, clock=lambda: clock[0])
        if not isinstance(outcome, steps.RetryLater):
            break
        clock[0] += outcome.delay  # Celery's countdown
    assert tries == 4
    assert clock[0] - since <= 120 + 30
    assert ScanRun.objects.get(pk=run.pk).status == ScanRun.Status.FAILED


def test_an_arr_that_comes_back_within_the_budget_is_waited_for(
    sonarr_instance: Instance, tv_library: Library, settings
) -> None:
    """Connections refused while the *arr restarts: the third wait finds it up again."""
    settings.ARR_RETRY_SECONDS = 120
    port = free_port()
    _point(sonarr_instance, f"http://127.0.0.1:{port}")
    fake = FakeArr(
        FakeArrOptions(app="sonarr", api_key=ARR_KEY), items=tv_library.arr_items, port=port
    )
    sleeps: list[float] = []

    def wait(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 3:
            fake.start()  # the restart is over

    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    try:
        run_inline((Plan(run.pk),), sleep=wait)
    finally:
        fake.stop()
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert len(sleeps) == 3
    assert arr_tags(fake) == tv_library.expected


def test_an_item_started_too_often_is_given_up_and_the_run_goes_on(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    run, items = planned_run(sonarr_instance)
    ScanItem.objects.filter(pk=items["Anime Wrong"]).update(attempts=MAX_ITEM_STARTS)
    run_inline(tuple(ScanItems(run.pk, (item_id,)) for item_id in items.values()))
    run.refresh_from_db()
    assert (run.items_done, run.items_failed) == (len(items) - 1, 1)
    assert ScanItem.objects.get(pk=items["Anime Wrong"]).error == "gave up after 5 starts"
    assert run.finished_at is not None  # the apply step ran after the last item
    expected = {**tv_library.expected, "Anime Wrong": "none"}  # never decided: no tag
    assert arr_tags(sonarr) == expected


def test_a_batch_whose_worn_item_is_the_last_still_applies(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """The inline scan stores its items in batches; the failure of a worn item counted
    after the others closes the barrier, and the batch hands on the apply step."""
    run, items = planned_run(sonarr_instance)
    ScanItem.objects.filter(pk=items["Anime Wrong"]).update(attempts=MAX_ITEM_STARTS)
    run_inline((ScanItems(run.pk, tuple(items.values())),))
    run.refresh_from_db()
    assert (run.items_done, run.items_failed) == (len(items) - 1, 1)
    assert run.status == ScanRun.Status.PARTIAL and run.finished_at is not None
    assert arr_tags(sonarr) == {**tv_library.expected, "Anime Wrong": "none"}


def test_a_second_delivery_of_an_item_changes_nothing(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    run, items = planned_run(sonarr_instance)
    first = item_step.scan_item(run.pk, items["Anime Dubbed"])
    counters = ScanRun.objects.values("items_done", "files_probed").get(pk=run.pk)
    probed_at = list(MediaFile.objects.values_list("probed_at", flat=True))
    again = item_step.scan_item(run.pk, items["Anime Dubbed"])
    assert again == item_step.NotTaken("already scanned (by another task of this item)")
    assert ScanRun.objects.values("items_done", "files_probed").get(pk=run.pk) == counters
    assert list(MediaFile.objects.values_list("probed_at", flat=True)) == probed_at
    assert counters == {"items_done": 1, "files_probed": 4}
    assert first == item_step.Scanned("Anime Dubbed", ())  # others pending: no apply yet


def test_the_last_item_failing_still_starts_the_apply_step(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    run, items = planned_run(sonarr_instance)
    *others, last = items.items()
    for _title, item_id in others:
        assert item_step.scan_item(run.pk, item_id).next == ()  # type: ignore[union-attr]
    shutil.rmtree(tv_library.folder(last[0]))  # vanished since the plan
    run_inline((ScanItems(run.pk, (last[1],)),))
    run.refresh_from_db()
    assert run.finished_at is not None
    assert (run.items_done, run.items_failed) == (len(others), 1)
    assert "folder not found" in Media.objects.get(title=last[0]).error
    assert arr_tags(sonarr) == {**tv_library.expected, last[0]: "none"}


def test_the_item_whose_folder_failed_is_the_only_one_failed(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    run, items = planned_run(sonarr_instance)
    shutil.rmtree(tv_library.folder("Anime Half"))
    run_inline(tuple(ScanItems(run.pk, (item_id,)) for item_id in items.values()))
    failed = ScanItem.objects.filter(run=run, status=ScanItem.Status.FAILED)
    assert [item.media.title for item in failed] == ["Anime Half"]
    run.refresh_from_db()
    assert run.items_done == len(items) - 1
    assert {t: tag for t, tag in arr_tags(sonarr).items() if t != "Anime Half"} == {
        t: tag for t, tag in tv_library.expected.items() if t != "Anime Half"
    }


def test_a_folder_that_comes_back_is_retried(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, settings
) -> None:
    settings.STORAGE_RETRY_SECONDS = 14
    run, items = planned_run(sonarr_instance)
    folder = tv_library.folder("Anime Half")
    away = folder.with_name("unmounted")
    folder.rename(away)
    sleeps: list[float] = []

    def wait(seconds: float) -> None:
        sleeps.append(seconds)
        away.rename(folder)  # the share is back

    run_inline(tuple(ScanItems(run.pk, (item_id,)) for item_id in items.values()), sleep=wait)
    run.refresh_from_db()
    assert (run.items_done, run.items_failed) == (len(items), 0)
    assert len(sleeps) == 1
    assert arr_tags(sonarr) == tv_library.expected


def test_an_unexpected_error_in_an_item_fails_that_item(
    sonarr_instance: Instance, tv_library: Library, caplog
) -> None:
    """What a task's on_failure does on a worker, the inline runner does here."""
    run, items = planned_run(sonarr_instance)
    run_inline(tuple(ScanItems(run.pk, (item_id,)) for item_id in items.values()))
    # One file of the show changed; the stored tracks of the others are reused, and
    # broken ones break the step.
    first, *_, last = tv_library.files["Anime Dubbed"]
    stat = last.stat()
    os.utime(last, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    MediaFile.objects.filter(media__title="Anime Dubbed", path__endswith=first.name).update(
        audio_tracks=[{"bad": 1}]
    )
    again = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    with caplog.at_level(logging.ERROR):
        run_inline((Plan(again.pk),))
    item = ScanItem.objects.get(run=again)
    assert (item.media.title, item.status) == ("Anime Dubbed", ScanItem.Status.FAILED)
    assert item.error.startswith("KeyError")
    assert "Traceback" in caplog.text  # unexpected: logged with its traceback
    again.refresh_from_db()
    assert again.finished_at is not None  # the run went on to apply


def test_an_unexpected_error_in_the_plan_fails_the_run(db, tmp_path) -> None:
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", root_folders=[str(tmp_path)], library_content="series"
    )
    (tmp_path / "Show").mkdir()
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
    ScanRun.objects.filter(pk=run.pk).update(scope=["not an id"])
    run_inline((Plan(run.pk),))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED
    assert run.error.startswith("ValueError")


def test_apply_is_not_run_twice(sonarr_instance: Instance, sonarr: FakeArr) -> None:
    run, items = planned_run(sonarr_instance)
    run_inline(tuple(ScanItems(run.pk, (item_id,)) for item_id in items.values()))
    sonarr.state.reset_counters()
    run_inline((Apply(run.pk),))  # a redelivered apply task
    assert sonarr.state.total_requests() == 0
    assert ScanRun.objects.get(pk=run.pk).status == ScanRun.Status.SUCCEEDED

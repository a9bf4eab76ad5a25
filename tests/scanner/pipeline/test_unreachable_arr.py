"""An *arr that stops answering a run's items ends the run in bounded time, inline and on
a real worker; a permanent answer about one item fails that item at once.

The hanging *arr is the fake Sonarr with its episode files held back (it accepts the
request and never answers: ``stall_episode_files``) while its series list answers, so
the plan lists 32 series and every item must ask. The bound is the issue's: the run
ends failed, cause unreachable, within TAGGARR_ARR_RETRY_SECONDS + one read timeout of
the first unanswered request, as the database records both times.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_series
from scanner import tasks
from scanner.errors import CAUSE_UNREACHABLE
from scanner.models import Event, Instance, RunRequest, ScanItem, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.runtime.steps import run_retried
from scanner.pipeline.scanning.arr_files import CONCURRENT_REQUESTS
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan
from tests.helpers import ARR_KEY, arr_source_instance, scan_inline
from tests.library import REMOTE_TV, Library
from tests.worker import celery_worker, run_finished

pytestmark = pytest.mark.django_db(transaction=True)

SERIES = 32
BUDGET = 6  # TAGGARR_ARR_RETRY_SECONDS
READ_TIMEOUT = 2.0  # the instance's
RECORDING = 0.5  # seconds
EPISODE_FILES = ("GET", "/api/v3/episodefile")


def _series_files(series_id: int) -> list[dict[str, object]]:
    name = f"Show {series_id} - S01E01.mkv"
    return [
        {
            "id": series_id * 10,
            "seriesId": series_id,
            "seasonNumber": 1,
            "relativePath": f"Season 01/{name}",
            "path": f"{REMOTE_TV}/Show {series_id}/Season 01/{name}",
            "size": 1000,
            "dateAdded": "2024-01-01T00:00:00Z",
            "mediaInfo": {"audioLanguages": "jpn/eng", "audioStreamCount": 2, "subtitles": ""},
        }
    ]


@pytest.fixture
def hanging_sonarr() -> Iterator[FakeArr]:
    """32 series whose episode files Sonarr never answers (until the fake stops)."""
    items = [
        build_series(n, path=f"{REMOTE_TV}/Show {n}", original_language="Japanese", seasons=1)
        for n in range(1, SERIES + 1)
    ]
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY, stall_s=120.0)
    with FakeArr(options, items=items) as fake:
        for n in range(1, SERIES + 1):
            fake.state.set_episode_files(n, _series_files(n))
        fake.state.stall_episode_files(set(range(1, SERIES + 1)))
        yield fake


def _hanging_instance(fake: FakeArr) -> Instance:
    instance = arr_source_instance(fake)
    instance.read_timeout = READ_TIMEOUT
    instance.save(update_fields=["read_timeout"])
    return instance


def _assert_ended_unreachable_within_the_bound(run: ScanRun, fake: FakeArr) -> None:
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED, (run.status, run.error)
    ended = Event.objects.get(run=run, kind=Event.Kind.SCAN_FINISHED)
    assert ended.data["cause"] == CAUSE_UNREACHABLE
    assert "got no answer within 2 s" in run.error and "unanswered since" in run.error
    # Every item failed with the one reason, none left pending or waiting for a retry.
    items = ScanItem.objects.filter(run=run)
    assert items.count() == SERIES
    assert set(items.values_list("status", flat=True)) == {ScanItem.Status.FAILED}
    assert set(items.values_list("error", flat=True)) == {run.error}
    assert (run.items_done, run.items_failed) == (0, SERIES)
    # The bound, on the times the database recorded: the first unanswered request was
    # sent at arr_unanswered_since, the run ended at finished_at.
    assert run.arr_unanswered_since is not None and run.finished_at is not None
    # The last request may start a moment before the deadline and end a read timeout
    # later: RECORDING is the time its item takes to record the end after that.
    took = run.finished_at - run.arr_unanswered_since
    bound = timedelta(seconds=BUDGET + READ_TIMEOUT + RECORDING)
    assert timedelta(seconds=BUDGET) <= took <= bound, took
    # The *arr was asked a bounded number of times: the requests that went out before
    # the first came back unanswered (one per connection slot), then one at a time.
    asked = fake.state.counters().get(EPISODE_FILES, 0)
    assert asked <= CONCURRENT_REQUESTS + (BUDGET + READ_TIMEOUT) / READ_TIMEOUT, asked


def test_a_hanging_arr_ends_an_inline_run_unreachable_within_the_bound(
    hanging_sonarr: FakeArr, settings
) -> None:
    settings.ARR_RETRY_SECONDS = BUDGET
    run = scan_inline(_hanging_instance(hanging_sonarr))
    _assert_ended_unreachable_within_the_bound(run, hanging_sonarr)


@pytest.mark.worker
def test_a_hanging_arr_ends_a_workers_run_unreachable_within_the_bound(
    hanging_sonarr: FakeArr,
) -> None:
    instance = _hanging_instance(hanging_sonarr)
    env = {"TAGGARR_ARR_RETRY_SECONDS": str(BUDGET)}
    with celery_worker(concurrency=8, extra_env=env) as worker:
        run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
        tasks.send((Plan(run.pk),))
        worker.wait_for(run_finished(run.pk))
        output = "".join(worker.output)
    _assert_ended_unreachable_within_the_bound(run, hanging_sonarr)
    assert "Traceback" not in output


def test_a_series_deleted_after_the_plan_fails_its_item_after_one_request(
    sonarr: FakeArr, tv_library: Library, settings
) -> None:
    """Sonarr answers 404 for the episode files of a series it no longer has:
    src/Sonarr.Api.V3/EpisodeFiles/EpisodeFileController.cs ``GetEpisodeFiles`` looks the
    series up first (``_seriesService.GetSeries(seriesId.Value)``), whose repository
    throws ModelNotFoundException for an unknown id, answered 404 by
    src/Sonarr.Http/ErrorManagement/SonarrErrorPipeline.cs (the fake answers so,
    fakes/arr/handlers.py ``episode_files``). A permanent answer: that item fails at
    once with it, and the other series are scanned (it was retried as an unreadable
    folder: 7 requests over the default 14 s)."""
    settings.STORAGE_RETRY_SECONDS = 14  # the defaults
    settings.ARR_RETRY_SECONDS = 120
    instance = arr_source_instance(sonarr)
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
    items = run_retried(Plan(run.pk))  # the plan lists every series
    gone = tv_library.arr_items[0]
    sonarr.state.set_items([i for i in sonarr.state.items() if i["id"] != gone["id"]])
    sonarr.state.reset_counters()
    run_inline(items)
    run.refresh_from_db()
    failed = ScanItem.objects.get(run=run, media__arr_id=gone["id"])
    assert failed.status == ScanItem.Status.FAILED
    assert "answered 404" in failed.error and f"Series with ID {gone['id']}" in failed.error
    assert failed.retries == 0
    # The others scanned (their done items are dropped at the run's end: only the
    # failed one is kept, with its reason).
    assert list(ScanItem.objects.filter(run=run)) == [failed]
    assert run.status == ScanRun.Status.PARTIAL, run.error
    assert (run.items_done, run.items_failed) == (len(tv_library.arr_items) - 1, 1)
    # One request per series, the deleted one's included: never asked again.
    assert sonarr.state.counters()[EPISODE_FILES] == len(tv_library.arr_items)

"""Real Celery workers fetch the posters and fanart after a run ends, from the fake
Sonarr over HTTP (src/Sonarr.Api.V3/MediaCovers/MediaCoverController.cs: the route
counted here): the web process never asks the *arr for an image, each image is asked
for once however many refreshes run at once, and not again while its address
(MediaCoverService.ConvertToLocalUrls: the lastWrite) is unchanged."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command

from fakes.arr import FakeArr, FakeArrOptions, build_series
from scanner.actions.scans import start_scan
from scanner.arr.payloads import parse_item
from scanner.models import Artwork, Instance, RunRequest, ScanRun
from scanner.tasks import refresh_run_artwork
from tests.factories import InstanceFactory, MediaFactory, ScanRunFactory
from tests.helpers import ARR_KEY, arr_tags, free_port, manage
from tests.library import Library
from tests.worker import WorkerProcess, celery_worker, live_database_url, task_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
COVER_ROUTE = ("GET", "/api/v3/mediacover/{id}/{file}")
SERIES = 12


def test_the_worker_fetches_the_artwork_after_the_run(
    sonarr: FakeArr, sonarr_instance: Instance
) -> None:
    with celery_worker() as worker:
        run = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API, dry_run=True))
        _refreshed(worker, count=1)
    scanned = sonarr_instance.media.count()
    assert scanned > 0
    assert ScanRun.objects.get(pk=run.pk).status == ScanRun.Status.SUCCEEDED
    stored = Artwork.objects.filter(media__instance=sonarr_instance)
    assert stored.filter(kind="poster").count() == scanned
    assert stored.filter(kind="fanart").count() == scanned
    asked = sonarr.state.counters()[COVER_ROUTE]
    assert asked == 2 * scanned


def test_an_inline_scan_ends_with_its_tags_and_a_worker_fetches_the_artwork(
    sonarr: FakeArr, sonarr_instance: Instance
) -> None:
    out = StringIO()
    call_command("scan", "--inline", "--instance", sonarr_instance.name, stdout=out)
    assert "Posters and fanart: sent to the workers" in out.getvalue()
    assert sonarr.state.counters().get(COVER_ROUTE, 0) == 0  # none while the person waits
    assert not Artwork.objects.exists()
    with celery_worker() as worker:  # the message waited on the broker for a worker
        _refreshed(worker, count=1)
    scanned = sonarr_instance.media.count()
    assert sonarr.state.counters()[COVER_ROUTE] == 2 * scanned > 0
    assert Artwork.objects.filter(media__instance=sonarr_instance).count() == 2 * scanned


def test_an_inline_scan_with_the_broker_down_ends_with_its_tags_and_says_so(
    sonarr: FakeArr, sonarr_instance: Instance, tv_library: Library
) -> None:
    nothing_listens = f"redis://127.0.0.1:{free_port()}/7"
    env = {**os.environ, "DATABASE_URL": live_database_url(), "REDIS_URL": nothing_listens}
    result = manage("scan", "--inline", "--instance", sonarr_instance.name, env=env)
    assert result.returncode == 0, result.stderr
    assert "the broker is unreachable; they come after the next scan" in result.stdout
    assert "Traceback" not in result.stderr
    assert arr_tags(sonarr) == tv_library.expected
    assert sonarr.state.counters().get(COVER_ROUTE, 0) == 0


@pytest.fixture
def slow_sonarr() -> Iterator[FakeArr]:
    """Each answer 0.2 s late: two refreshes started together overlap."""
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY, latency_s=0.2)
    items = [build_series(n) for n in range(1, SERIES + 1)]
    with FakeArr(options, items=items) as server:
        yield server


def test_two_refreshes_at_once_ask_for_each_image_once_and_a_third_for_none(
    slow_sonarr: FakeArr,
) -> None:
    instance = InstanceFactory(kind=Instance.Kind.SONARR, url=slow_sonarr.url, api_key=ARR_KEY)
    for arr_id in range(1, SERIES + 1):
        served = slow_sonarr.state.served(slow_sonarr.state.item(arr_id))
        covers = dict(parse_item(served, kind="sonarr").covers)
        MediaFactory(instance=instance, arr_id=arr_id, arr_covers=covers)
    ended = [ScanRunFactory(instance=instance, status=ScanRun.Status.SUCCEEDED) for _ in range(3)]
    with celery_worker(concurrency=4) as worker:
        # Two runs' ends at once (a scan and a webhook's, say), over the same items.
        refresh_run_artwork.delay(ended[0].pk)
        refresh_run_artwork.delay(ended[1].pk)
        _refreshed(worker, count=2)
        assert slow_sonarr.state.counters()[COVER_ROUTE] == 2 * SERIES
        assert Artwork.objects.filter(media__instance=instance).count() == 2 * SERIES
        # A third with nothing changed sends no chunk and asks for nothing.
        refresh_run_artwork.delay(ended[2].pk)
        assert _refreshed(worker, count=3) == 0
    assert slow_sonarr.state.counters()[COVER_ROUTE] == 2 * SERIES


def _refreshed(worker: WorkerProcess, *, count: int) -> int:
    """Wait for ``count`` refresh_run_artwork tasks and every chunk they sent; the
    chunks the last one sent."""
    sent = [
        int(_result(worker.wait_for(task_done("refresh_run_artwork"), count=n)))
        for n in range(1, count + 1)
    ]
    worker.wait_for(task_done("refresh_artwork_chunk"), count=sum(sent)) if sum(sent) else None
    return sent[-1]


def _result(line: str) -> str:
    found = re.search(r"succeeded in [0-9.e-]+s: (\d+)", line)
    assert found, line
    return found.group(1)

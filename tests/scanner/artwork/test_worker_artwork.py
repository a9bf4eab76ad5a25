"""A real Celery worker fetches the posters and fanart after a run ends, from the fake
Sonarr over HTTP: the web process never asks the *arr for an image."""

from __future__ import annotations

import pytest

from fakes.arr import FakeArr
from scanner.actions.scans import start_scan
from scanner.models import Artwork, Instance, RunRequest, ScanRun
from tests.worker import celery_worker, task_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_the_worker_fetches_the_artwork_after_the_run(
    sonarr: FakeArr, sonarr_instance: Instance
) -> None:
    with celery_worker() as worker:
        run = start_scan(sonarr_instance, RunRequest(ScanRun.Trigger.API, dry_run=True))
        worker.wait_for(task_done("refresh_run_artwork"))
    scanned = sonarr_instance.media.count()
    assert scanned > 0
    assert ScanRun.objects.get(pk=run.pk).status == ScanRun.Status.SUCCEEDED
    stored = Artwork.objects.filter(media__instance=sonarr_instance)
    assert stored.filter(kind="poster").count() == scanned
    assert stored.filter(kind="fanart").count() == scanned
    asked = sonarr.state.counters()[("GET", "/api/v3/mediacover/{id}/{file}")]
    assert asked == 2 * scanned

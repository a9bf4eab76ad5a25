"""While a step waits to retry an unreachable *arr, the run's page says so, why and
until when; once it tries again or ends, it says no more (scanner.reports.progress)."""

from __future__ import annotations

import pytest

from scanner.models import Instance, RunRequest, ScanRun
from scanner.pipeline.runtime.inline import run_inline
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan
from scanner.reports.progress import Progress, live_view, summary_lines
from tests.helpers import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_page_says_it_waits_to_retry_and_why(sonarr_instance: Instance, settings) -> None:
    settings.ARR_RETRY_SECONDS = 6
    Instance.objects.filter(pk=sonarr_instance.pk).update(url=f"http://127.0.0.1:{free_port()}")
    sonarr_instance.refresh_from_db()
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    phases: list[str] = []

    def wait(seconds: float) -> None:
        phases.append(live_view(ScanRun.objects.get(pk=run.pk))["phase"])

    run_inline((Plan(run.pk),), sleep=wait)
    assert phases and all(phase.startswith("waiting to retry: ") for phase in phases)
    assert "refused" in phases[0] and "; next try at " in phases[0]
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED
    view = live_view(run)
    assert not view["phase"].startswith("waiting")  # ended: no more waiting
    assert view["items"] == "not listed: the scan stopped before it listed the library"
    assert summary_lines(run) == []  # nothing was listed or read: no final figures


def test_a_new_beat_ends_the_waiting_note(sonarr_instance: Instance) -> None:
    from datetime import timedelta

    from django.utils import timezone

    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.CLI))
    runs.waiting_to_retry(run.pk, "Sonarr answered 503", timezone.now() + timedelta(seconds=8))
    run.refresh_from_db()
    assert live_view(run)["phase"].startswith("waiting to retry: Sonarr answered 503")
    runs.heartbeat(run.pk)  # the step runs again
    run.refresh_from_db()
    assert live_view(run)["phase"] == "waiting for a worker"
    assert Progress.of(run).phase == "queued"

"""Progress to the end (issue 51): while tags are written, the run's page says which
step runs, m of n, a rate over that step's own work and a time left; the reading
phase's rate stops counting when writing begins, so it does not keep falling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fakes.arr import FakeArr
from scanner.models import Instance, ScanRun
from scanner.pipeline.state import apply_steps
from scanner.pipeline.state.apply_lease import ApplyHold
from scanner.reports.progress import Progress, live_view
from tests.factories import InstanceFactory, ScanRunFactory
from tests.helpers import scan_inline
from tests.library import Library

pytestmark = pytest.mark.django_db


def _applying(**values: object) -> ScanRun:
    return ScanRunFactory(
        instance=InstanceFactory(name="tv"), status=ScanRun.Status.APPLYING, **values
    )


def test_the_reading_rate_stops_at_the_writing_and_does_not_fall() -> None:
    now = timezone.now()
    run = _applying(
        started_at=now - timedelta(seconds=600),
        planned_at=now - timedelta(seconds=500),
        items_total=100, items_done=100, files_probed=1000,
        apply_progress={"step": "nfo", "done": 0, "total": 100,
                        "apply_at": (now - timedelta(seconds=400)).isoformat(),
                        "step_at": (now - timedelta(seconds=400)).isoformat()},
    )  # fmt: skip
    # 1000 files in the 100 s from the plan to the writing; not 1000 in 500 s.
    assert Progress.of(run, now).files_per_second == 10.0
    later = now + timedelta(seconds=300)
    assert Progress.of(run, later).files_per_second == 10.0


def test_writing_nfo_files_shows_counts_rate_and_time_left() -> None:
    now = timezone.now()
    run = _applying(
        planned_at=now - timedelta(seconds=100), items_total=4800, items_done=4800,
        apply_progress={"step": "nfo", "done": 1200, "total": 4800,
                        "apply_at": (now - timedelta(seconds=60)).isoformat(),
                        "step_at": (now - timedelta(seconds=30)).isoformat()},
    )  # fmt: skip
    view = live_view(run, now)
    assert view["phase"] == "writing NFO files: item 1200 of 4800"
    # 1200 in the step's own 30 s: 40 a second, 3600 left: 90 s.
    assert (view["rate"], view["eta"]) == ("40 items/s", "1:30")
    assert (view["percent"], view["bar_value"], view["bar_max"]) == ("25%", 1200, 4800)
    # The command line's one line says the same.
    assert (
        Progress.of(run, now)
        .line()
        .endswith("; writing NFO files: item 1200 of 4800, 40 items/s, ETA 1:30")
    )


@pytest.mark.parametrize(
    ("step", "phase"),
    [
        ("arr", "writing tags to Sonarr: item 0 of 12"),
        ("servers", "updating the media servers: server 0 of 2"),
    ],
)
def test_each_step_names_what_it_does(step: str, phase: str) -> None:
    now = timezone.now()
    run = _applying(
        apply_progress={"step": step, "done": 0, "total": 12 if step == "arr" else 2,
                        "apply_at": now.isoformat(), "step_at": now.isoformat()},
    )  # fmt: skip
    view = live_view(run, now)
    assert view["phase"] == phase
    assert (view["rate"], view["eta"]) == ("-", "-")  # nothing done yet: no guess


def test_a_run_no_longer_writing_shows_no_step() -> None:
    now = timezone.now()
    moment = now.isoformat()
    progress = {"step": "nfo", "done": 5, "total": 5, "step_at": moment, "apply_at": moment}
    run = _applying(apply_progress=progress)
    ScanRun.objects.filter(pk=run.pk).update(status=ScanRun.Status.SUCCEEDED, finished_at=now)
    run.refresh_from_db()
    assert "writing" not in live_view(run, now)["phase"]


def test_the_steps_are_stored_only_while_the_run_applies_and_by_its_holder() -> None:
    run = _applying(apply_token=7)
    held = ApplyHold(run.pk, 7)
    apply_steps.begin_step(held, apply_steps.NFO, 10)
    apply_steps.step_done(held, 4)
    run.refresh_from_db()
    assert {k: run.apply_progress[k] for k in ("step", "done", "total")} == {
        "step": "nfo",
        "done": 4,
        "total": 10,
    }
    began = run.apply_progress["apply_at"]
    apply_steps.begin_step(held, apply_steps.SERVERS, 2)
    run.refresh_from_db()
    assert run.apply_progress["apply_at"] == began  # the writing began with the first step
    apply_steps.step_done(ApplyHold(run.pk, 8), 1)  # a task that holds it no more
    run.refresh_from_db()
    assert run.apply_progress["done"] == 0
    ScanRun.objects.filter(pk=run.pk).update(status=ScanRun.Status.CANCELLED)
    apply_steps.step_done(held, 2)
    run.refresh_from_db()
    assert run.apply_progress["done"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_real_scan_records_its_writing_steps_to_the_end(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    sonarr_instance.create_nfo = True
    sonarr_instance.save()
    run = scan_inline(sonarr_instance)
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    progress = run.apply_progress
    # The last step it ran (the NFO files; no media server here) counted to its end.
    assert progress["step"] == "nfo" and progress["done"] == progress["total"] > 0
    assert progress["apply_at"] <= progress["step_at"]

"""A first scan's apply step killed between its chunks, in a real worker (issue 92).

The worker writes three movies a chunk (tests/chunk_kill.py) and is killed (SIGKILL)
once Radarr has answered the second chunk's tag writes, before the step stored that
answer: Radarr holds the tags of six movies, the run has stored three. Then either the
run's work is sent again (beat's recovery after its lease ran out) and another worker
finishes it, or ``scan --inline`` finds it stalled, interrupts it and runs a scan of its
own. Either way every tag Radarr holds is told once (an event), by the run that wrote
it, and each run's count is what it wrote: before issue 92 the resumed run counted only
its own chunks (4 of 7), and the next scan read the second chunk's tags as applied from
Radarr's list, so that nothing ever told them.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_movie
from scanner import tasks
from scanner.models import Event, Instance, Media, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import Apply
from tests.factories import InstanceFactory, ScanRunFactory
from tests.helpers import ARR_KEY, scan_inline
from tests.scanner.pipeline.applying import stored_movies
from tests.worker import celery_worker, run_finished

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

MOVIES = 7  # chunks of 3, 3 and 1
KILLED = {"TAGGARR_TEST_CHUNK_KILL": json.dumps({"chunk": 3, "answered": 2})}
SAVED = set(range(1, 7))  # the movies whose tags Radarr saved before the kill
KILL_POINT = r"chunk kill: the \*arr answered chunk 2"


@pytest.fixture
def radarr() -> Iterator[FakeArr]:
    items = [build_movie(number) for number in range(1, MOVIES + 1)]
    with FakeArr(
        FakeArrOptions(app="radarr", version="5.2.0.0", api_key=ARR_KEY), items=items
    ) as fake:
        yield fake


def _first_scan_killed_between_chunks(radarr: FakeArr) -> ScanRun:
    """A first scan of the movies, every one decided dub and none tagged yet, its apply
    step run by a worker killed after Radarr answered the second chunk."""
    instance = InstanceFactory(
        kind=Instance.Kind.RADARR,
        url=radarr.url,
        api_key=ARR_KEY,
        audio_source=Instance.AudioSource.ARR,
    )
    stored_movies(instance, MOVIES, planned="dub", applied="")
    run = ScanRunFactory(
        instance=instance, status=ScanRun.Status.RUNNING, planned_at=timezone.now()
    )
    assert runs.claim_apply(run.pk)
    with celery_worker(extra_env=KILLED, include=("tests.chunk_kill",)) as worker:
        tasks.send((Apply(run.pk),))
        worker.wait_for(KILL_POINT)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.process.wait(timeout=60)  # killed: never waits for ever
    assert _tagged(radarr) == SAVED
    assert ScanRun.objects.get(pk=run.pk).status == ScanRun.Status.APPLYING
    return run


def _tagged(radarr: FakeArr) -> set[int]:
    (dub,) = [tag["id"] for tag in radarr.state.tags() if tag["label"] == "dub"]
    return {item["id"] for item in radarr.state.items() if dub in item["tags"]}


def _silent_since_the_stall_window(run: ScanRun) -> None:
    """Time passes past the apply step's lease and the stall window (injected)."""
    past = timezone.now() - timedelta(seconds=settings.SCAN_STALL_SECONDS + 1)
    ScanRun.objects.filter(pk=run.pk).update(heartbeat_at=past, apply_leased_until=past)


def _told(instance: Instance) -> dict[int, list[int]]:
    """Each movie's (*arr id) tag events, by the run that told them."""
    told: dict[int, list[int]] = {}
    events = Event.objects.filter(instance=instance, kind=Event.Kind.TAG_CHANGED)
    for arr_id, run_id in events.order_by("pk").values_list("media__arr_id", "run_id"):
        told.setdefault(arr_id, []).append(run_id)
    return told


def test_the_run_sent_again_finishes_and_counts_every_chunk(radarr: FakeArr) -> None:
    run = _first_scan_killed_between_chunks(radarr)
    _silent_since_the_stall_window(run)
    resent = runs.recover_stalled(queued=0)  # beat's tick, nothing queued
    assert resent == (Apply(run.pk),)
    with celery_worker() as other:
        tasks.send(resent)
        other.wait_for(run_finished(run.pk))

    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert _tagged(radarr) == set(range(1, MOVIES + 1))
    assert run.tags_changed == MOVIES
    assert run.summary["planned_changes"] == MOVIES
    assert run.summary["tags_set"] == {"dub": MOVIES}
    assert _told(run.instance) == {arr_id: [run.pk] for arr_id in range(1, MOVIES + 1)}
    finished = Event.objects.get(run=run, kind=Event.Kind.SCAN_FINISHED)
    assert finished.data["written"] == MOVIES
    assert set(Media.objects.values_list("applied_tag", flat=True)) == {"dub"}


def test_the_next_scan_tells_what_the_killed_run_wrote_and_writes_the_rest(
    radarr: FakeArr,
) -> None:
    run = _first_scan_killed_between_chunks(radarr)
    _silent_since_the_stall_window(run)

    after = scan_inline(run.instance, mode=ScanRun.Mode.APPLY)  # interrupts it first

    run.refresh_from_db()
    assert run.status == ScanRun.Status.INTERRUPTED
    assert after.status == ScanRun.Status.SUCCEEDED, after.error
    assert _tagged(radarr) == set(range(1, MOVIES + 1))
    told = _told(run.instance)
    assert told == {
        **{arr_id: [run.pk] for arr_id in SAVED},  # what the killed run wrote, its own
        MOVIES: [after.pk],
    }
    assert run.tags_changed == len(SAVED)
    assert after.tags_changed == 1
    assert set(Media.objects.values_list("applied_tag", flat=True)) == {"dub"}

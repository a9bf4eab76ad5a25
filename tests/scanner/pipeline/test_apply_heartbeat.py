"""The apply step's heartbeat at its run's end (issue 92): the step lets its lease go with
the run's end (runs.finish frees the token), then its block ends and the beats stop. A
beat that comes between the two finds the lease gone: the step's own doing, never "the
apply step's lease is lost", which a successful run logged two seconds after its end.

The race is made certain, not waited for: the run's end is held open (runs.ended, called
after the end's transaction, still inside the step's block) until a beat has found the
lease gone; the beats come every hundredth of a second meanwhile."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest

from fakes.arr import FakeArr, FakeArrOptions
from fakes.arr.samples import build_movie
from scanner.models import Instance, ScanRun
from scanner.pipeline.runtime import heartbeat
from scanner.pipeline.runtime.steps import perform
from scanner.pipeline.state import apply_lease, runs
from scanner.pipeline.work import Apply, Next
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY
from tests.scanner.pipeline.applying import applying_run, stored_movies

pytestmark = pytest.mark.django_db(transaction=True)  # the beats have a connection of their own

TOKEN = 7
BEAT = 0.01  # seconds between two beats: many during the step, one certain after its end
GENEROUS = 120.0  # a bound for a loaded machine, never waited out


@pytest.fixture
def radarr() -> Iterator[FakeArr]:
    items = [build_movie(number) for number in range(1, 4)]
    with FakeArr(
        FakeArrOptions(app="radarr", version="5.2.0.0", api_key=ARR_KEY), items=items
    ) as fake:
        yield fake


def test_a_beat_that_meets_the_runs_end_is_no_lost_lease(
    radarr: FakeArr, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    instance = InstanceFactory(kind=Instance.Kind.RADARR, url=radarr.url, api_key=ARR_KEY)
    stored_movies(instance, 3, planned="dub", applied="")
    run = applying_run(instance, TOKEN)
    gone = threading.Event()  # a beat found the step's lease gone
    extend = apply_lease.extend

    def extended(run_id: int, token: int) -> bool:
        held = extend(run_id, token)
        if not held:
            gone.set()
        return held

    ended = runs.ended

    def ended_after_a_beat(ended_run: ScanRun) -> Next:
        assert gone.wait(GENEROUS), "no beat came after the run's end"
        return ended(ended_run)

    monkeypatch.setattr(apply_lease, "extend", extended)
    monkeypatch.setattr(runs, "ended", ended_after_a_beat)
    monkeypatch.setattr(heartbeat, "beat_interval", lambda: BEAT)

    with caplog.at_level(logging.WARNING, logger=heartbeat.__name__):
        perform(Apply(run.pk, token=TOKEN))
        for beats in threading.enumerate():  # whatever it had to say, said
            if beats.name == f"heartbeat-{run.pk}":
                beats.join(GENEROUS)

    assert gone.is_set()
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert run.tags_changed == 3
    assert "lease is lost" not in caplog.text

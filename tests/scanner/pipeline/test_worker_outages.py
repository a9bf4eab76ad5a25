"""An *arr that restarts or stays away while real workers scan: the steps on the workers
keep retrying for TAGGARR_ARR_RETRY_SECONDS as the inline runner does (Celery's own
limit, 3 retries, used to cut that short), and a give-up is one log line."""

from __future__ import annotations

import pytest

from fakes.arr import FakeArr
from scanner import tasks
from scanner.errors import CAUSE_UNREACHABLE
from scanner.models import Event, Instance, RunRequest, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan
from tests.helpers import arr_source_instance, arr_tags
from tests.library import Library
from tests.worker import celery_worker, run_finished

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

# An 8 s deadline: waits of 0.13 s doubling (a 60th of the budget first), 2 s of waits
# before the fifth try, so that a loaded machine (each retry a round trip through the
# broker and a worker's pool) still makes more tries than Celery's default of three
# retries allows. (3 s failed so once on CI's two busy cores: 4 tries.)
BUDGET = "8"
# A restart's four refusals, retried after 0.5, 1, 2 and 4 s, well within this deadline
# even when the item's retry waits behind the others on a one-thread worker.
RESTART_BUDGET = "30"


def _start(instance: Instance) -> ScanRun:
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
    tasks.send((Plan(run.pk),))
    return run


def _served(fake: FakeArr, route: str) -> int:
    return fake.state.counters().get(("GET", route), 0)


def test_a_restart_while_the_workers_scan_is_ridden_out_by_plan_items_and_apply(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """The plan's series list, every item's files and the apply step's tag edits each
    get four 503s "starting up" before their answer (the steps' budget is in retries:
    each step retries four times)."""
    instance = arr_source_instance(sonarr)
    for route in ("/api/v3/series", "/api/v3/episodefile", "/api/v3/series/editor"):
        sonarr.state.restarting(route, answers=4)
    with celery_worker(extra_env={"TAGGARR_ARR_RETRY_SECONDS": RESTART_BUDGET}) as worker:
        run = _start(instance)
        worker.wait_for(run_finished(run.pk))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.items_done, run.items_failed) == (len(tv_library.arr_items), 0)
    assert arr_tags(sonarr) == tv_library.expected
    assert run.arr_unanswered_since is None  # recorded at the first 503, cleared by an answer
    series = len(tv_library.arr_items)
    assert _served(sonarr, "/api/v3/episodefile") == 5 * series  # 4 refused, then answered
    assert sonarr.state.counters()[("PUT", "/api/v3/series/editor")] >= 5
    # The plan and the apply step retry as Celery tasks; each item waits for its own
    # retry (a message of its own); four each.
    assert worker.count(r"Task scanner\.tasks\.(plan|apply)_scan\[.*\] retry") == 4 * 2
    assert worker.count(r"scan #\d+: .*: .*; trying again in") == 4 * series
    assert "Traceback" not in "".join(worker.output)


def test_an_arr_that_stays_away_fails_the_run_after_the_budget_in_one_line(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """The apply step meets a Sonarr that answers 503 to the end of the budget: the run
    fails as unreachable after every retry the budget holds, told in one line."""
    instance = arr_source_instance(sonarr)
    sonarr.state.restarting("/api/v3/series/editor", answers=1000)
    with celery_worker(extra_env={"TAGGARR_ARR_RETRY_SECONDS": BUDGET}) as worker:
        run = _start(instance)
        worker.wait_for(run_finished(run.pk))
    run.refresh_from_db()
    assert run.status == ScanRun.Status.FAILED
    assert "(still so after 8 s of retries)" in run.error
    edits = sonarr.state.counters()[("PUT", "/api/v3/series/editor")]
    # The first try and a retry after each wait until the deadline (0.13, 0.27, 0.53,
    # 1.07, 2.13 s and what is left): more than Celery's default of three retries.
    assert edits >= 5
    ended = Event.objects.get(run=run, kind=Event.Kind.SCAN_FINISHED)
    assert ended.data["cause"] == CAUSE_UNREACHABLE  # what the notification tells
    output = "".join(worker.output)
    assert "Traceback" not in output and "raised unexpected" not in output
    assert worker.count(rf"scan #{run.pk} of .* failed") == 1

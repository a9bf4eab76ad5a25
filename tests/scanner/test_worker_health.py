"""What the worker's health check and watchdog find (scanner.worker.health), in this
process: a desk whose thread is gone is replaced, a desk whose loop stopped turning, an
item task held past the hold limit and memory past the bound are each a problem. The
watchdog acting on them in a real worker: tests/scanner/pipeline/test_worker_watchdog.py."""

from __future__ import annotations

import threading

import pytest

from scanner.pipeline.runtime import item_desk
from scanner.pipeline.runtime.desk_messages import Stop
from scanner.runtime import running
from scanner.runtime.running import Kind
from scanner.worker import health as worker_health

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _room_for_this_process(settings) -> None:  # type: ignore[no-untyped-def]
    """The memory bound above what this test process holds (a whole suite's worth, on
    its machine): only the test of the bound itself meets it."""
    settings.WORKER_MAX_MEMORY_MB = worker_health.memory_mb() + 4096


def test_a_worker_that_has_not_scanned_is_healthy() -> None:
    item_desk.close_desk()
    found = worker_health.health()
    assert found.ok, found.problems
    assert found.desk_idle_s is None and found.memory_mb > 0


def test_a_desk_whose_thread_is_gone_is_replaced(caplog: pytest.LogCaptureFixture) -> None:
    gone = item_desk.desk()
    stop = Stop()
    gone._put(stop)  # its thread ends, as if it had died
    stop.done.result(30)
    gone._thread.join(30)
    assert not gone.alive
    found = worker_health.health()
    replaced = item_desk.current_desk()
    assert replaced is not None and replaced is not gone and replaced.alive
    assert found.ok, found.problems
    assert "item desk: its thread is gone; starting another" in caplog.text


def test_a_desk_whose_loop_stopped_turning_is_a_problem(settings) -> None:
    settings.SCAN_STALL_SECONDS = 10
    current = item_desk.desk()
    current.last_loop -= 60  # as if it had hung on a database that never answers
    found = worker_health.health()
    assert any("the item desk's loop has not turned for" in p for p in found.problems)


def test_an_item_task_held_past_the_hold_limit_is_a_problem(settings) -> None:
    settings.HOLD_SECONDS = -1
    current = item_desk.desk()
    inside, leave = threading.Event(), threading.Event()

    def hung_task() -> None:
        with current.working(), running.step(Kind.ITEM, run_id=3, item_id=12):
            inside.set()
            leave.wait(30)

    thread = threading.Thread(target=hung_task)
    thread.start()
    try:
        assert inside.wait(30)
        found = worker_health.health()
    finally:
        leave.set()
        thread.join(30)
    assert any(
        p.startswith("item step (item 12 of scan #3) has made no progress for")
        and "past TAGGARR_HOLD" in p
        for p in found.problems
    ), found.problems
    assert found.item_tasks == 1
    assert found.overdue[0]["kind"] == "item" and found.overdue[0]["item"] == 12


@pytest.mark.parametrize("kind", [Kind.ARTWORK, Kind.APPLY, Kind.SEARCH])
def test_a_step_of_any_kind_past_its_hold_limit_is_a_problem(kind: Kind) -> None:
    """Not only items: an artwork chunk behind a hanging *arr, an apply writing on a
    share that stopped answering... the one registry shows them all, the health answer
    names the kind and the run."""
    inside, leave = threading.Event(), threading.Event()

    def hung_step() -> None:
        with running.step(kind, run_id=7, hold=0.0):
            inside.set()
            leave.wait(30)

    thread = threading.Thread(target=hung_step)
    thread.start()
    try:
        assert inside.wait(30)
        found = worker_health.health()
        answer = worker_health.taggarr_health(None)
    finally:
        leave.set()
        thread.join(30)
    assert [
        p for p in found.problems if p.startswith(f"{kind} step (scan #7) has made no progress for")
    ]
    assert answer["ok"] is False
    assert answer["overdue"] == ({"kind": str(kind), "run": 7, "item": None, "held_s": 0},)
    assert answer["item_tasks"] == 0
    assert not running.steps()  # let go when it ended
    assert worker_health.health().ok


def test_a_step_within_its_hold_limit_is_no_problem() -> None:
    with running.step(Kind.PLAN, run_id=7, hold=3600.0):
        found = worker_health.health()
    assert found.ok, found.problems
    assert found.steps == 1


def test_memory_past_the_bound_is_a_problem(settings) -> None:
    settings.WORKER_MAX_MEMORY_MB = 1
    found = worker_health.health()
    assert any("past TAGGARR_WORKER_MAX_MEMORY_MB (1 MB)" in p for p in found.problems)

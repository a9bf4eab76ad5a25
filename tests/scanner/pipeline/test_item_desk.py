"""The desk: the claims and stores of items scanned side by side in one process go to
the database together, and each item's task still gets its own item's outcome; a store
that fails is split until the item that causes it fails alone; a holder that lost its
lease writes nothing; the heartbeat extends only the leases the desk holds."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from scanner.models import Instance, Media, ScanItem, ScanRun
from scanner.pipeline.runtime import desk_messages, desk_work, item_desk, item_step
from scanner.pipeline.runtime.item_desk import ItemDesk
from scanner.pipeline.state import leases, runs
from scanner.pipeline.work import Apply, ScanItems
from tests.helpers import planned_run
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)

GENEROUS = 120.0  # seconds: a bound for a loaded machine, never waited out


def _side_by_side(desk: ItemDesk, run: ScanRun, item_ids: list[int]) -> list[object]:
    """Every item scanned on a thread of its own; their claims gathered by a desk that
    starts once all of them are queued; the outcomes in ``item_ids``' order."""

    def one(item_id: int) -> object:
        try:
            return item_step.scan_item(run.pk, item_id, on=desk)
        finally:
            connection.close()

    with ThreadPoolExecutor(len(item_ids)) as pool:
        futures = [pool.submit(one, item_id) for item_id in item_ids]
        assert desk.wait_queued(len(item_ids), GENEROUS)
        desk.start()
        return [future.result(GENEROUS) for future in futures]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many claim statements and store transactions the desk ran."""
    calls = {"claim": 0, "store": 0}
    claim, mark_done = leases.claim, leases.mark_done

    def counted_claim(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["claim"] += 1
        return claim(*args, **kwargs)

    def counted_store(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["store"] += 1
        return mark_done(*args, **kwargs)

    monkeypatch.setattr(leases, "claim", counted_claim)
    monkeypatch.setattr(leases, "mark_done", counted_store)
    return calls


def test_items_side_by_side_are_claimed_and_stored_together_each_with_its_outcome(
    sonarr_instance: Instance, tv_library: Library, counted: dict[str, int]
) -> None:
    run, items = planned_run(sonarr_instance)
    desk = ItemDesk(linger=GENEROUS, start=False)  # the linger ends when all tasks wait
    try:
        outcomes = _side_by_side(desk, run, list(items.values()))
    finally:
        desk.close()
    assert all(isinstance(outcome, item_step.Scanned) for outcome in outcomes)
    assert [o.title for o in outcomes] == list(items)  # type: ignore[attr-defined]
    assert counted == {"claim": 1, "store": 1}  # six items, one claim, one transaction
    run.refresh_from_db()
    assert (run.items_done, run.status) == (len(items), ScanRun.Status.APPLYING)
    # The apply step is handed on once, by one of the items' tasks.
    assert sum(len(o.next) for o in outcomes) == 1  # type: ignore[attr-defined]


def test_a_store_that_fails_is_split_until_the_item_that_causes_it_fails_alone(
    sonarr_instance: Instance, tv_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, items = planned_run(sonarr_instance)
    poison = Media.objects.get(title="Anime Half").pk
    store_many = desk_work.store_many

    def refusing(stores, options):  # type: ignore[no-untyped-def]
        if any(media.pk == poison for media, _ in stores):
            raise ValueError("a value the database refuses")
        return store_many(stores, options)

    monkeypatch.setattr(desk_work, "store_many", refusing)
    desk = ItemDesk(linger=GENEROUS, start=False)
    try:
        outcomes = dict(zip(items, _side_by_side(desk, run, list(items.values())), strict=True))
    finally:
        desk.close()
    failed = outcomes.pop("Anime Half")
    assert isinstance(failed, item_step.ItemFailed)
    assert (
        failed.reason == "its results could not be stored: ValueError: a value the database refuses"
    )
    assert all(isinstance(outcome, item_step.Scanned) for outcome in outcomes.values())
    statuses = dict(ScanItem.objects.filter(run=run).values_list("media__title", "status"))
    assert statuses.pop("Anime Half") == ScanItem.Status.FAILED
    assert set(statuses.values()) == {ScanItem.Status.DONE}
    run.refresh_from_db()
    assert (run.items_done, run.items_failed) == (len(items) - 1, 1)


def test_a_holder_that_lost_its_lease_writes_nothing_and_says_so_once(
    sonarr_instance: Instance,
    tv_library: Library,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The worker paused while it read the item (its lease ran out) and another claimed
    the item meanwhile: the first one's result is not stored."""
    run, items = planned_run(sonarr_instance)
    item_id = items["Anime Dubbed"]
    read = item_step.read

    def paused_read(claimed):  # type: ignore[no-untyped-def]
        scanned = read(claimed)
        ScanItem.objects.filter(pk=item_id).update(leased_until=timezone.now())
        assert leases.claim([item_id], 999) == [item_id]  # another worker took it
        return scanned

    monkeypatch.setattr(item_step, "read", paused_read)
    caplog.set_level(logging.WARNING)
    desk = ItemDesk()
    try:
        outcome = item_step.scan_item(run.pk, item_id, on=desk)
    finally:
        desk.close()
    assert outcome == item_step.Lost(item_step.LOST_WHY)
    row = ScanItem.objects.get(pk=item_id)
    assert (row.status, row.lease_token) == (ScanItem.Status.PENDING, 999)
    assert Media.objects.get(title="Anime Dubbed").planned_tag == ""  # nothing stored
    assert ScanRun.objects.get(pk=run.pk).items_done == 0
    told = [r for r in caplog.records if "lease ran out and another took the item" in r.message]
    assert len(told) == 1


def test_the_beat_extends_what_the_desk_holds_and_never_an_item_waiting_for_its_retry(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    run, items = planned_run(sonarr_instance)
    waiting_id, held_id = items["Anime Dubbed"], items["Anime Half"]
    desk = ItemDesk()
    try:
        waiting = desk.claim(run.pk, waiting_id)
        held = desk.claim(run.pk, held_id)
        assert isinstance(waiting, item_desk.Claimed) and isinstance(held, item_desk.Claimed)
        due = timezone.now() + timedelta(seconds=30)
        answer = desk.wait_for_retry(waiting, due, "the share did not answer")
        assert answer == desk_messages.WAITING_FOR_RETRY
        long_ago = timezone.now() - timedelta(seconds=5)
        ScanItem.objects.filter(pk=held_id).update(leased_until=long_ago)
        desk.beat_now()
    finally:
        desk.close()
    waiting_row, held_row = ScanItem.objects.get(pk=waiting_id), ScanItem.objects.get(pk=held_id)
    assert (waiting_row.leased_until, waiting_row.lease_token) == (None, None)
    assert waiting_row.retry_at == due
    assert held_row.leased_until > timezone.now()  # extended
    assert ScanRun.objects.get(pk=run.pk).retry_why == "the share did not answer"


def test_an_item_held_past_the_hold_limit_is_let_go(
    sonarr_instance: Instance, tv_library: Library, settings
) -> None:
    """A read that hangs (a dead share): its lease is no longer extended, so the
    stalled-work recovery sends the item again once it runs out."""
    run, items = planned_run(sonarr_instance)
    settings.HOLD_SECONDS = -1
    desk = ItemDesk()
    try:
        assert isinstance(desk.claim(run.pk, items["Anime Dubbed"]), item_desk.Claimed)
        long_ago = timezone.now() - timedelta(seconds=5)
        ScanItem.objects.filter(pk=items["Anime Dubbed"]).update(leased_until=long_ago)
        desk.beat_now()
    finally:
        desk.close()
    assert ScanItem.objects.get(pk=items["Anime Dubbed"]).leased_until == long_ago
    assert runs.recover_stalled(queued=0)[0] == ScanItems(run.pk, (items["Anime Dubbed"],))


def test_a_second_task_for_an_item_in_hand_is_not_taken(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    run, items = planned_run(sonarr_instance)
    desk = ItemDesk()
    try:
        assert isinstance(desk.claim(run.pk, items["Anime Dubbed"]), item_desk.Claimed)
        second = item_step.scan_item(run.pk, items["Anime Dubbed"], on=desk)
    finally:
        desk.close()
    assert second == item_step.NotTaken("not scanned here: another task holds the item")


def test_a_database_outage_at_the_store_lets_go_of_the_item_for_its_retry(
    sonarr_instance: Instance, tv_library: Library, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    """The store meets the database down: the task waits for its retry (within the
    budget) and the item is let go, so that the retry can take it at once rather than
    find it held, its lease kept alive by this process's beat."""
    from django.db import OperationalError

    settings.ARR_RETRY_SECONDS = 60  # the database's outage is ridden out as the *arr's
    run, items = planned_run(sonarr_instance)
    item_id = items["Anime Dubbed"]
    mark_done = leases.mark_done

    def down_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(leases, "mark_done", mark_done)
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(leases, "mark_done", down_once)
    desk = ItemDesk()
    try:
        outcome = item_step.scan_item(run.pk, item_id, on=desk)
        desk.beat_now()
    finally:
        desk.close()
    assert isinstance(outcome, item_step.WaitForRetry)
    assert "shutting down" in str(outcome.error)
    row = ScanItem.objects.get(pk=item_id)
    assert (row.status, row.lease_token, row.leased_until) == (ScanItem.Status.PENDING, None, None)
    retried = item_step.scan_item(run.pk, item_id, retry=True)
    assert retried == item_step.Scanned("Anime Dubbed", ())


# --- the desk never dies, and no task waits on it for ever ------------------------------


def _read_only_error() -> Exception:
    """What Django raises on PostgreSQL for an UPDATE in a read-only database: an
    InternalError whose psycopg cause carries SQLSTATE 25006 (the real one is made by
    test_worker_database_faults on PostgreSQL)."""
    import psycopg
    from django.db import InternalError

    error = InternalError("cannot execute UPDATE in a read-only transaction")
    error.__cause__ = psycopg.errors.ReadOnlySqlTransaction(
        "cannot execute UPDATE in a read-only transaction"
    )
    return error


def test_a_read_only_database_at_the_beat_is_an_outage_and_the_desk_goes_on(
    sonarr_instance: Instance,
    tv_library: Library,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    run, items = planned_run(sonarr_instance)
    extend = leases.extend

    def read_only_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(leases, "extend", extend)
        raise _read_only_error()

    monkeypatch.setattr(leases, "extend", read_only_once)
    caplog.set_level(logging.WARNING)
    desk = ItemDesk()
    try:
        assert isinstance(desk.claim(run.pk, items["Anime Dubbed"]), item_desk.Claimed)
        desk.beat_now()  # meets the read-only database: logged, not raised
        assert desk.alive
        assert isinstance(desk.claim(run.pk, items["Anime Half"]), item_desk.Claimed)
    finally:
        desk.close()
    assert any("heartbeat not written: cannot execute UPDATE" in r.message for r in caplog.records)


def test_an_unexpected_error_in_the_desk_is_logged_its_task_meets_it_and_the_desk_goes_on(
    sonarr_instance: Instance,
    tv_library: Library,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    run, items = planned_run(sonarr_instance)
    extend = leases.extend

    def broken_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(leases, "extend", extend)
        raise RuntimeError("a bug in the beat")

    monkeypatch.setattr(leases, "extend", broken_once)
    desk = ItemDesk()
    try:
        assert isinstance(desk.claim(run.pk, items["Anime Dubbed"]), item_desk.Claimed)
        with pytest.raises(RuntimeError, match="a bug in the beat"):
            desk.beat_now()
        assert desk.alive
        outcome = item_step.scan_item(run.pk, items["Anime Half"], on=desk)
    finally:
        desk.close()
    assert isinstance(outcome, item_step.Scanned)


def test_a_desk_that_does_not_answer_ends_the_items_wait_in_its_retry(
    sonarr_instance: Instance, tv_library: Library, settings
) -> None:
    """A desk stuck (here: never started) answers nothing: the task waits at most a
    lease's length, then its item waits for its retry as for a database outage."""
    settings.SCAN_STALL_SECONDS = 1
    settings.ARR_RETRY_SECONDS = 60
    run, items = planned_run(sonarr_instance)
    desk = ItemDesk(start=False)
    outcome = item_step.scan_item(run.pk, items["Anime Dubbed"], on=desk)
    assert isinstance(outcome, item_step.WaitForRetry)
    assert "did not answer within 1 s" in str(outcome.error)
    desk.start()  # the claim it was asked for is dropped: nobody waits for it
    desk.close()
    assert ScanItem.objects.get(pk=items["Anime Dubbed"]).lease_token is None


def test_a_task_whose_claim_was_not_answered_steps_aside_when_another_holds_the_item(
    sonarr_instance: Instance,
    tv_library: Library,
    settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Issue 79: a worker paused while its item task waited for its claim; the item was
    sent again and another worker holds it. The task's wait ends (DeskUnanswered) with
    no budget left: it holds no claim and the item is another's, so it steps aside in
    one log line and fails nothing (it failed the other worker's item)."""
    settings.SCAN_STALL_SECONDS = 1
    settings.ARR_RETRY_SECONDS = 0  # no retry left: only the fence keeps the item
    run, items = planned_run(sonarr_instance)
    pk = items["Anime Dubbed"]
    other = leases.new_token()
    assert leases.claim([pk], other) == [pk]  # another worker's task holds it
    desk = ItemDesk(start=False)
    caplog.set_level(logging.WARNING)
    try:
        outcome = item_step.scan_item(run.pk, pk, on=desk)
    finally:
        desk.start()
        desk.close()
    assert outcome == item_step.Lost("stepped aside: another task holds the item now")
    item = ScanItem.objects.get(pk=pk)
    assert (item.status, item.lease_token) == (ScanItem.Status.PENDING, other)
    told = [r.getMessage() for r in caplog.records if "stepped aside" in r.getMessage()]
    assert len(told) == 1
    assert told[0].startswith(f"scan #{run.pk}: item {pk}: stepped aside (DeskUnanswered: ")


@pytest.mark.parametrize(
    ("meanwhile", "why"),
    [("scanned", "the item is scanned already"), ("held", "another task holds the item now")],
)
def test_a_task_whose_item_another_took_while_it_gave_up_steps_aside_as_a_success(
    sonarr_instance: Instance,
    tv_library: Library,
    settings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    meanwhile: str,
    why: str,
) -> None:
    """Issue 92: the task's wait for its desk ends with no budget left; its fence says
    the item is free (its own outage to ride out), then, before it gives up, another
    task takes the item (and scans it). The give-up fails nothing of the other's: the
    task steps aside and ends SUCCESS saying so (it ended FAILURE, raising ItemFailed,
    or failed the item the other held)."""
    from scanner.tasking.steps import scan_item

    settings.SCAN_STALL_SECONDS = 1
    settings.ARR_RETRY_SECONDS = 0  # no retry left: the task gives up at once
    run, items = planned_run(sonarr_instance)
    pk = items["Anime Dubbed"]
    other = leases.new_token()
    fence = leases.taken_over

    def another_takes_it_after_the_fence(item_id: int, token: int | None) -> str | None:
        monkeypatch.setattr(leases, "taken_over", fence)
        found = fence(item_id, token)
        assert found is None  # free: the outage is this task's to ride out
        assert leases.claim([pk], other) == [pk]
        if meanwhile == "scanned":
            assert leases.mark_done([(pk, other)]) == [pk]
        return found

    monkeypatch.setattr(leases, "taken_over", another_takes_it_after_the_fence)
    desk = ItemDesk(start=False)  # answers nothing: the claim's wait meets its bound
    monkeypatch.setattr(item_step, "desk", lambda: desk)
    caplog.set_level(logging.WARNING)
    try:
        result = scan_item.apply((run.pk, pk))
    finally:
        desk.start()
        desk.close()
    assert result.state == "SUCCESS", result.traceback
    assert result.result.startswith("superseded: ")
    item = ScanItem.objects.get(pk=pk)
    if meanwhile == "scanned":
        assert item.status == ScanItem.Status.DONE
    else:
        assert (item.status, item.lease_token) == (ScanItem.Status.PENDING, other)
    run.refresh_from_db()
    assert run.items_failed == 0
    told = [r.getMessage() for r in caplog.records if "stepped aside" in r.getMessage()]
    assert len(told) == 1
    assert told[0].startswith(f"scan #{run.pk}: item {pk}: stepped aside (DeskUnanswered: ")
    assert f"): {why}, " in told[0]


def test_an_item_whose_desk_outlasts_its_budget_fails_in_one_line_not_a_traceback(
    sonarr_instance: Instance, tv_library: Library, settings
) -> None:
    """Issue 79, every step's end is one line: the item is its own (free: its claim was
    never answered) and no retry is left, so it fails with the reason, recorded by the
    step (its task then ends "raised expected: ItemFailed", one line), not by raising the
    desk's error for Celery to log with a traceback."""
    settings.SCAN_STALL_SECONDS = 1
    settings.ARR_RETRY_SECONDS = 0
    run, items = planned_run(sonarr_instance)
    pk = items["Anime Dubbed"]
    desk = ItemDesk(start=False)
    try:
        outcome = item_step.scan_item(run.pk, pk, on=desk)
    finally:
        desk.start()
        desk.close()
    reason = "DeskUnanswered: the item desk did not answer within 1 s"
    assert isinstance(outcome, item_step.ItemFailed)
    assert outcome.reason == reason
    item = ScanItem.objects.get(pk=pk)
    assert (item.status, item.error) == (ScanItem.Status.FAILED, reason)


def test_the_wait_for_a_desk_that_does_not_answer_does_not_spend_the_retry_budget(
    sonarr_instance: Instance, tv_library: Library, settings
) -> None:
    """Issue 69 measured it: a budget shorter than the stall window (allowed: a 10 s
    window with 8 s budgets) was spent in the one wait for the desk, and the item failed
    for good. That wait is not the budget's: the item waits for its retry with its whole
    budget left, its first try counted from the wait's end."""
    settings.SCAN_STALL_SECONDS = 1
    settings.ARR_RETRY_SECONDS = 0.5
    settings.STORAGE_RETRY_SECONDS = 0.5
    run, items = planned_run(sonarr_instance)
    desk = ItemDesk(start=False)
    before = timezone.now()
    outcome = item_step.scan_item(run.pk, items["Anime Dubbed"], on=desk)
    desk.start()
    desk.close()
    assert isinstance(outcome, item_step.WaitForRetry), outcome
    assert outcome.since >= before + timedelta(seconds=1)  # the wait not counted


def test_the_apply_step_of_a_store_its_task_stopped_waiting_for_is_handed_on_not_dropped(
    sonarr_instance: Instance,
    tv_library: Library,
    monkeypatch: pytest.MonkeyPatch,
    settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The last item's store hangs past the task's wait (a database that hangs), then
    goes through: the run's apply step it decided is not lost with the task that gave
    up. One line says so, naming the run, and the next item step of the process (here
    the item's own retry, which finds the item scanned) hands the step on."""
    settings.SCAN_STALL_SECONDS = 1
    settings.ARR_RETRY_SECONDS = 60
    run, items = planned_run(sonarr_instance)
    *others, last = items.values()
    desk = ItemDesk()
    hang = threading.Event()
    mark_done = leases.mark_done

    def hanging(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert hang.wait(GENEROUS)  # until the task has stopped waiting
        return mark_done(*args, **kwargs)

    caplog.set_level(logging.WARNING)
    try:
        for item_id in others:
            assert isinstance(item_step.scan_item(run.pk, item_id, on=desk), item_step.Scanned)
        monkeypatch.setattr(leases, "mark_done", hanging)
        gave_up = item_step.scan_item(run.pk, last, on=desk)
        assert isinstance(gave_up, item_step.WaitForRetry)
        assert "did not answer within 1 s" in str(gave_up.error)
        assert gave_up.next == ()
        hang.set()  # the store goes through; its answer finds nobody waiting
        # The retry's claim is answered after the store (the desk's queue is in order).
        retried = item_step.scan_item(run.pk, last, retry=True, on=desk)
    finally:
        hang.set()
        desk.close()
    assert isinstance(retried, item_step.NotTaken)
    assert retried.next == (Apply(run.pk),)
    assert desk.unsent() == ()  # handed on once
    told = [
        r.getMessage()
        for r in caplog.records
        if "stopped waiting for the item desk" in r.getMessage()
    ]
    assert len(told) == 1
    assert told[0].startswith(f"scan #{run.pk}: its next step (apply)")
    assert "recovery sends it again" in told[0]


def test_a_claim_that_fails_fails_only_its_own_item(
    sonarr_instance: Instance,
    tv_library: Library,
    radarr_instance: Instance,
    movie_library: Library,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two runs' items claimed in one batch; what the claim loads for one run fails
    (not the database being down): the batch is split, the other run's item is claimed."""
    from scanner.pipeline.scanning.options import ScanOptions

    tv_run, tv_items = planned_run(sonarr_instance)
    movie_run, movie_items = planned_run(radarr_instance)
    for_run = ScanOptions.for_run

    def refusing(instance, run):  # type: ignore[no-untyped-def]
        if run.pk == tv_run.pk:
            raise ValueError("options that cannot be read")
        return for_run(instance, run)

    monkeypatch.setattr(ScanOptions, "for_run", staticmethod(refusing))
    desk = ItemDesk(linger=GENEROUS, start=False)
    wanted = [
        (tv_run.pk, next(iter(tv_items.values()))),
        (movie_run.pk, next(iter(movie_items.values()))),
    ]
    try:
        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(desk.claim, run_id, item_id) for run_id, item_id in wanted]
            assert desk.wait_queued(2, GENEROUS)
            desk.start()
            tv = futures[0].exception(GENEROUS)
            movie = futures[1].result(GENEROUS)
    finally:
        desk.close()
    assert isinstance(tv, ValueError)
    assert isinstance(movie, item_desk.Claimed)
    tv_row = ScanItem.objects.get(pk=wanted[0][1])
    assert tv_row.lease_token is None  # its claim was rolled back with its half

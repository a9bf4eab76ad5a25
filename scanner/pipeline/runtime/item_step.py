"""The item step: one media item of a run, claimed, read and stored; the same code for
a Celery task (scanner.tasks.scan_item) and for the inline runner.

Its outcome is the item's own: scanned, failed (with the reason), waiting for its retry,
or not taken (a late second delivery of an item already done, a scan cancelled) or lost
(its lease ran out and another task took the item: nothing written). A task that meets
an outage (its desk did not answer: a worker paused past its lease, a frozen container)
asks its fence first: when the item is no longer its own it steps aside, in one log
line, and fails nothing (issue 79: it failed the item another worker held). Its give-up,
once the outage outlasts its budget, is fenced too: the item is failed only while it is
still the task's own or free; one that another task took over or scanned meanwhile (while
this task waited to let go of it) is left to that task, and this one steps aside, its
state SUCCESS, not FAILURE (issue 92). The claims and stores of the items a process runs
at once are gathered by its desk (scanner.pipeline.runtime.item_desk).

A database that is down, read-only or recovering, or a desk that does not answer in
time, is an outage: the item waits for its retry within the *arr's budget. The retry
carries the token of the claim it made (``token``): an item this task could not let
go of while the database was down is still leased with it, and the retry takes it
back at once instead of finding it held by "another task".

An error the retry policy names (the item's folder could not be read, its *arr did not
answer) leaves the item waiting for its retry, within its budget (a deadline from the
first try that met it, ``ScanItem.retrying_since``; for the *arr, from the item's first
request), then fails it. An *arr that leaves the run's requests unanswered ends the run
(scanner.pipeline.state.unreachable): no retry waits past the run's deadline, and the
item that meets the silence after it fails the run with every pending item. Any other
error of the item fails it, a permanent answer of the *arr (a 404 for a series deleted
meanwhile) too; the run goes on. A refused API key is raised: the run fails.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from scanner.errors import (
    CAUSE_GAVE_UP,
    ArrAuthError,
    ArrNotAsked,
    ArrPermanentError,
    ArrTransientError,
    ArrUnanswered,
    cause_of,
    describe,
)
from scanner.models import ScanRun
from scanner.pipeline.retries import (
    ITEM_RETRIED,
    budget_for,
    database_down,
    item_budget,
    spent_note,
)
from scanner.pipeline.runtime.desk_messages import (
    Claimed,
    DeskUnanswered,
    FailRecorded,
    LeaseLost,
    NotClaimed,
    StoreFailed,
    answer_bound,
)
from scanner.pipeline.runtime.item_desk import ItemDesk, desk
from scanner.pipeline.scanning.arr_files import clients_for, fetched, needs_fetch
from scanner.pipeline.scanning.decide import ScannedItem
from scanner.pipeline.scanning.media_scan import scan_media
from scanner.pipeline.state import leases, unreachable
from scanner.pipeline.state.failures import record_own_failure
from scanner.pipeline.work import NOTHING, Next, ScanItems
from scanner.runtime import running
from scanner.runtime.hold import holding
from scanner.runtime.running import Kind

logger = logging.getLogger(__name__)

# A worker that dies on an item (a file that crashes MediaInfo) leaves it to be taken
# again; after this many starts the item is failed instead of killing more workers.
MAX_ITEM_STARTS = 5


@dataclass(frozen=True, slots=True)
class Scanned:
    title: str
    next: Next


@dataclass(frozen=True, slots=True)
class ItemFailed:
    reason: str
    next: Next


@dataclass(frozen=True, slots=True)
class WaitForRetry:
    wait: float
    error: BaseException
    since: datetime  # when the first try that met the error began
    token: int | None = None  # of this try's claim: its retry may take the item back
    next: Next = NOTHING  # other items' work this step hands on (ItemDesk.unsent)


@dataclass(frozen=True, slots=True)
class NotTaken:
    why: str
    next: Next = NOTHING  # as WaitForRetry's


@dataclass(frozen=True, slots=True)
class Lost:
    why: str
    next: Next = NOTHING  # as WaitForRetry's


ItemOutcome = Scanned | ItemFailed | WaitForRetry | NotTaken | Lost

LOST_WHY = "lease lost: another task took the item after this one's lease ran out; nothing written"


class _HeldOutage(Exception):
    """An outage met while the item was claimed with ``token``."""

    def __init__(self, error: Exception, token: int) -> None:
        super().__init__(str(error))
        self.error, self.token = error, token


def scan_item(
    run_id: int,
    item_id: int,
    *,
    retry: bool = False,
    since: datetime | None = None,
    token: int | None = None,
    on: ItemDesk | None = None,
) -> ItemOutcome:
    """The item, claimed, read and stored. ``retry``: this is the item's retry, which may
    take it although its wait is not quite over; ``since``: when the first try of the
    error being retried began (a database outage: the item's own errors keep theirs in
    the item); ``token``: the earlier try's claim, which this one may take back. A
    database that is down is a ``WaitForRetry`` too, within its budget."""
    counter = on or desk()
    outcome = _scan_or_wait(counter, run_id, item_id, retry, since, token)
    # What the desk answered after other tasks stopped waiting (their runs' apply
    # steps): handed on with this outcome, so that it is not left to recovery.
    unsent = counter.unsent()
    return replace(outcome, next=outcome.next + unsent) if unsent else outcome


def _scan_or_wait(
    counter: ItemDesk,
    run_id: int,
    item_id: int,
    retry: bool,
    since: datetime | None,
    token: int | None,
) -> ItemOutcome:
    started = timezone.now()
    with counter.working(), running.step(Kind.ITEM, run_id=run_id, item_id=item_id):
        try:
            return _scan(counter, run_id, item_id, retry, token)
        except _HeldOutage as held:
            return _outage(run_id, item_id, held.error, since or started, held.token)
        except Exception as exc:
            if not database_down(exc):
                raise
            aside = _stepped_aside(run_id, item_id, token, exc)
            return aside or _outage(run_id, item_id, exc, since or started, token)


def _stepped_aside(run_id: int, item_id: int, token: int | None, error: Exception) -> Lost | None:
    """The task met ``error`` (an outage) holding the item with ``token`` (None: it
    holds no claim): if its fence says another task took the item over, or it ended
    meanwhile, it steps aside, saying so in one line: nothing written or failed by it.
    None when the item is still its own or free, or the database cannot say."""
    try:
        why = leases.taken_over(item_id, token)
    except DatabaseError:
        return None  # the database is down: the outage is ridden out as before
    if why is None:
        return None
    return _aside(run_id, item_id, error, why)


def _aside(run_id: int, item_id: int, error: Exception, why: str) -> Lost:
    logger.warning(
        "scan #%s: item %s: stepped aside (%s): %s, its fencing token is no longer the "
        "item's; this task writes and fails nothing",
        run_id,
        item_id,
        describe(error),
        why,
    )
    return Lost(f"stepped aside: {why}")


def _outage(
    run_id: int, item_id: int, error: Exception, first: datetime, token: int | None
) -> WaitForRetry | ItemFailed | Lost:
    budget = budget_for(ScanItems(run_id, (item_id,)), error)
    if isinstance(error, DeskUnanswered):
        # The whole stall window spent waiting for the desk is not the budget's: with a
        # window longer than a budget (both allowed), that one wait would spend it and
        # the item would fail for good on the first hiccup (issue 69 measured it). The
        # desk that does not answer is the watchdog's (scanner.worker.health).
        first += timedelta(seconds=answer_bound())
    elapsed = (timezone.now() - first).total_seconds()
    wait = None if budget is None else budget.next_wait(0, elapsed)
    if wait is None:
        reason = spent_note(error, budget) if budget else describe(error)
        return _gave_up(run_id, item_id, error, reason, token)
    logger.warning("scan #%s: item %s: %s; trying again in %.1f s", run_id, item_id, error, wait)
    return WaitForRetry(wait, error, first, token)


def _gave_up(
    run_id: int, item_id: int, error: Exception, reason: str, token: int | None
) -> ItemFailed | Lost:
    """The outage outlasted the item's budget, and the item was its own or free when its
    fence was asked: it fails with ``reason``, told in one line (the failure's own), not
    raised with a traceback, if it still is (held with ``token``, or by nobody). Since
    that read the task may have waited (to let go of the item, on a desk that did not
    answer) while another task took the item and scanned it: then it steps aside as
    ``_stepped_aside`` does, failing nothing (issue 92: it raised ItemFailed, a FAILURE
    in Flower, for an item scanned). A database still down cannot record it: the error
    is raised, and the task's give-up records it (scanner.tasks, ``on_failure``)."""
    try:
        after = record_own_failure(item_id, token, reason, cause_of(error))
    except DatabaseError:
        raise error from None
    if after is None:
        aside = _stepped_aside(run_id, item_id, token, error)
        return aside or _aside(run_id, item_id, error, "the item is no longer this task's")
    return ItemFailed(reason, after)


def _scan(
    counter: ItemDesk, run_id: int, item_id: int, retry: bool, token: int | None
) -> ItemOutcome:
    claimed = counter.claim(run_id, item_id, retry=retry, token=token)
    if isinstance(claimed, NotClaimed):
        return NotTaken(claimed.why)
    running.fenced(claimed.token)
    try:
        return _scan_claimed(counter, claimed)
    except Exception as exc:
        if not database_down(exc):
            raise
        aside = _stepped_aside(run_id, item_id, claimed.token, exc)
        if aside is not None:
            return aside  # not its own any more: nothing to let go of
        # Let go of it (the beat no longer extends it), so that another worker takes
        # it once the database is back; if that fails too, the item stays leased with
        # this claim's token, which the retry carries to take it back at once.
        with suppress(Exception):
            counter.release(claimed)
        raise _HeldOutage(exc, claimed.token) from exc


def _scan_claimed(counter: ItemDesk, claimed: Claimed) -> ItemOutcome:
    run_id = claimed.item.run_id
    if claimed.item.attempts > MAX_ITEM_STARTS:
        return _failed(counter, claimed, f"gave up after {MAX_ITEM_STARTS} starts", CAUSE_GAVE_UP)
    try:
        with holding():  # its reads end by the hold limit (scanner.runtime.hold)
            scanned, requests = read(claimed)
    except ArrAuthError:
        counter.release(claimed)
        raise  # the *arr refuses the key: every item would fail alike (the run fails)
    except (*ITEM_RETRIED, ArrPermanentError) as exc:  # permanent: no budget, fails at once
        return _retry_or_fail(counter, claimed, exc)
    except Exception as exc:  # one item's bug or bad data: that item fails
        if database_down(exc):
            raise  # not the item's: ridden out as an outage
        logger.exception("scan #%s: %s stopped on an unexpected error", run_id, claimed.item.media)
        return _failed(counter, claimed, describe(exc), cause_of(exc))
    except BaseException:
        counter.release(claimed)
        raise
    stored = counter.store(claimed, scanned, requests)
    if isinstance(stored, LeaseLost):
        return Lost(LOST_WHY)
    if isinstance(stored, StoreFailed):
        return ItemFailed(stored.reason, stored.next)
    return Scanned(claimed.item.media.title, stored.next)


def read(claimed: Claimed) -> tuple[ScannedItem, int]:
    """What the item's files say (asking the *arr for them first when the plan could
    not list them), and the *arr requests that took. Writes nothing."""
    item = claimed.item
    arr_files, requests = item.arr_files, 0
    if needs_fetch(arr_files):
        clients = clients_for(item.run.instance)
        arr_files, requests = fetched(clients, item.media, arr_files, item.run)
    scanned = scan_media(
        item.media,
        claimed.options,
        rewrite=item.run.mode == ScanRun.Mode.REWRITE,
        arr_files=arr_files,
        stored=claimed.stored,
        listen_budget=_listen_budget(claimed),
    )
    return scanned, requests


def _listen_budget(claimed: Claimed) -> int | None:
    """The audio tracks the run may still listen to (``TAGGARR_LISTEN_MAX_TRACKS`` per
    run, less what its items stored so far: items read at the same time may together
    go past it by their own tracks); None when the instance does not listen."""
    if claimed.options.listen_mode == "off":
        return None
    heard = ScanRun.objects.filter(pk=claimed.item.run_id).values_list("tracks_heard", flat=True)
    return max(0, settings.LISTEN_MAX_TRACKS - (heard.first() or 0))


def _failed(counter: ItemDesk, claimed: Claimed, reason: str, cause: str) -> ItemFailed | Lost:
    after = counter.fail(claimed, reason, cause)
    if isinstance(after, FailRecorded):
        return ItemFailed(reason, after.next)
    return Lost(LOST_WHY)


def _retry_or_fail(counter: ItemDesk, claimed: Claimed, error: Exception) -> ItemOutcome:
    item = claimed.item
    budget = item_budget(error)
    since = item.retrying_since or claimed.claimed_at
    now = timezone.now()
    run_left = None
    if isinstance(error, ArrUnanswered | ArrNotAsked):  # the run's record of a silent *arr
        ended = _unreachable(counter, claimed, error, now)
        if not isinstance(ended, float | None):
            return ended
        run_left = ended
        # The item's budget counts from its first request, not from its claim (nor from
        # its wait for a connection slot); the desk stores it as the retry's start.
        since = item.retrying_since = item.retrying_since or unreachable.first_request(error, now)
    elapsed = (now - since).total_seconds()
    wait = None if budget is None else budget.next_wait(item.retries, elapsed)
    if wait is not None and run_left is not None:
        wait = min(wait, run_left)  # no retry waits past the run's deadline
    if wait is None:
        reason = spent_note(error, budget) if budget is not None else describe(error)
        return _failed(counter, claimed, reason, cause_of(error))
    logger.warning("scan #%s: %s: %s; trying again in %.1f s", item.run_id, item.media, error, wait)
    waiting = counter.wait_for_retry(claimed, now + timedelta(seconds=wait), describe(error))
    if isinstance(waiting, LeaseLost):
        return Lost(LOST_WHY)
    return WaitForRetry(wait, error, since)


def _unreachable(
    counter: ItemDesk, claimed: Claimed, error: ArrTransientError, now: datetime
) -> ItemOutcome | float | None:
    """The run's record of the *arr's silence, with this item's: the run's outcome when
    it ends here (its deadline passed) or ended already; else the seconds left to its
    deadline (None: the *arr answered since)."""
    run_id = claimed.item.run_id
    silence = unreachable.note(run_id, error)
    if not silence.running:
        counter.release(claimed)  # failed with the run (or the run stopped): nothing to do
        return NotTaken(f"scan #{run_id} ended meanwhile")
    left = silence.left(now)
    if left is None or left > 0 or silence.since is None:
        return left
    why = unreachable.reason(error, silence.since)
    ended = unreachable.give_up(run_id, why)
    counter.release(claimed)  # failed with every pending item, by give_up
    return ItemFailed(why, ended)

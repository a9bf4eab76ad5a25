"""The desk's database work: claims that came in together as one statement, stores as
one transaction (group commit), and the single requests (fail, retry, release).

A batch that fails on something other than the database being down is split in halves
until the request that causes it is alone: a store's item then fails with the error, a
claim's task meets it; the others go on. A database that is down or read-only fails
the whole batch: every task rides it out (scanner.pipeline.retries.database_down).
Run rows are locked in the order of their ids within one store, so that two processes'
stores never wait on each other's rows in a cycle.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from scanner.errors import CAUSE_STORE, describe
from scanner.models import MediaFile, ScanItem
from scanner.pipeline.retries import database_down
from scanner.pipeline.runtime.desk_beat import Holdings
from scanner.pipeline.runtime.desk_messages import (
    LEASE_LOST,
    RELEASED,
    WAITING_FOR_RETRY,
    Claim,
    Claimed,
    Fail,
    FailRecorded,
    NotClaimed,
    Release,
    Request,
    Store,
    Stored,
    StoreFailed,
    WaitRetry,
    answer_bound,
)
from scanner.pipeline.scanning.decide import store_many
from scanner.pipeline.scanning.options import ScanOptions
from scanner.pipeline.state import leases, runs
from scanner.pipeline.state.failures import record_held_failure
from scanner.pipeline.work import NOTHING, Apply, Next, Plan, RunEnded, ScanItems, Work

logger = logging.getLogger(__name__)

R = TypeVar("R", bound=Request[Any])


def answer_all(requests: Sequence[R], handler: Callable[[Sequence[R]], None]) -> None:
    """``handler(requests)``; each request it left unanswered meets its error."""
    try:
        handler(requests)
    except BaseException as exc:
        for request in requests:
            request.refuse(exc)
        if not isinstance(exc, Exception):
            raise


def split_on_error(
    requests: Sequence[R],
    handler: Callable[[Sequence[R]], None],
    alone: Callable[[R, Exception], None],
) -> None:
    """``handler(requests)``; on an error that is not the database being down, the
    batch split in halves until the request that causes it is alone (``alone``)."""
    try:
        handler(requests)
    except Exception as exc:
        if database_down(exc):
            raise  # every task retries, as for any outage
        if len(requests) > 1:
            middle = len(requests) // 2
            answer_all(requests[:middle], lambda part: split_on_error(part, handler, alone))
            answer_all(requests[middle:], lambda part: split_on_error(part, handler, alone))
            return
        alone(requests[0], exc)


class Unsent:
    """The next work of answers whose tasks stopped waiting (``DeskUnanswered``).

    A store the desk ran after its task gave up still moved its run on: when it was the
    run's last item, its answer carries the run's apply step, and the task that would
    have sent it is gone. It is kept here, and the next item step of this process hands
    it on with its own outcome (scanner.pipeline.runtime.item_step.scan_item): most often
    the waiter's own retry. Else recovery sends it again once the run has been still for
    the stall window (runs.recover_stalled); the log line says which run waits so.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._work: list[Work] = []

    def keep(self, run_id: int, work: Next) -> None:
        if not work:
            return
        with self._lock:
            self._work.extend(work)
        logger.warning(
            "scan #%s: its next step (%s) was decided after its task stopped waiting for "
            "the item desk: the next item task of this process sends it; if none runs, "
            "recovery sends it again at beat's first tick after the run has been still for "
            "%.0f s",
            run_id,
            ", ".join(_named(each) for each in work),
            answer_bound(),
        )

    def take(self) -> Next:
        with self._lock:
            work, self._work = tuple(self._work), []
        return work


_NAMES: dict[type, str] = {Apply: "apply", RunEnded: "the run's end", Plan: "plan"}


def _named(work: Work) -> str:
    """A piece of work in the log's words: its kind (and its items' count)."""
    if isinstance(work, ScanItems):
        return f"scan {len(work.item_ids)} items"
    return _NAMES.get(type(work), type(work).__name__)


class DeskWork:
    def __init__(self, holdings: Holdings) -> None:
        self.holdings = holdings
        self.unsent = Unsent()

    # --- claims ------------------------------------------------------------------------

    def claims(self, requests: Sequence[Claim]) -> None:
        split_on_error(requests, self._claim, self._claim_failed)

    @staticmethod
    def _claim_failed(request: Claim, error: Exception) -> None:
        logger.exception(
            "scan #%s: item %s could not be claimed: %s",
            request.run_id,
            request.item_id,
            describe(error),
            exc_info=error,
        )
        request.refuse(error)

    def _claim(self, requests: Sequence[Claim]) -> None:
        """One transaction (a batch that fails claims nothing, and is split): the items
        leased with a fresh token, loaded with what their reads need; the tasks are
        answered once it committed."""
        token = leases.new_token()
        logger.debug("claiming items %s", [request.item_id for request in requests])
        with transaction.atomic():
            answers = self._claimed(requests, token)
        held: set[int] = set()
        runs_held: set[int] = set()
        abandoned: list[leases.Held] = []
        for request, answer in zip(requests, answers, strict=True):
            if request.answer(answer):
                if isinstance(answer, Claimed):
                    held.add(answer.item.pk)
                    runs_held.add(answer.item.run_id)
            elif isinstance(answer, Claimed):
                abandoned.append(answer.held)  # its task stopped waiting: let go at once
        self.holdings.add(token, runs_held, held)
        if abandoned:
            logger.warning(
                "items %s claimed after their tasks stopped waiting: released", abandoned
            )
            leases.release(abandoned)

    @staticmethod
    def _claimed(requests: Sequence[Claim], token: int) -> list[Claimed | NotClaimed]:
        wanted = [request.item_id for request in requests]
        retries = [request.item_id for request in requests if request.retry]
        own = [(r.item_id, r.token) for r in requests if r.token is not None]
        now = timezone.now()
        claimed_ids = set(leases.claim(wanted, token, retries=retries, own=own))
        items = {
            item.pk: item
            for item in ScanItem.objects.filter(pk__in=claimed_ids).select_related(
                "media", "run", "run__instance"
            )
        }
        stored: dict[int, dict[str, MediaFile]] = defaultdict(dict)
        # Only a scan stores an item's files, and it stamps last_scanned_at beside them
        # (decide.store_many): an item never scanned has none to load (a first scan).
        scanned_before = [i.media_id for i in items.values() if i.media.last_scanned_at]
        for row in MediaFile.objects.filter(media_id__in=scanned_before) if scanned_before else ():
            stored[row.media_id][row.path] = row
        options: dict[int, ScanOptions] = {}
        why = (
            leases.why_not_taken([pk for pk in wanted if pk not in items])
            if len(items) < len(set(wanted))
            else {}
        )
        answers: list[Claimed | NotClaimed] = []
        taken: set[int] = set()
        for request in requests:
            item = items.get(request.item_id)
            if item is None or request.item_id in taken:
                answers.append(NotClaimed(why.get(request.item_id, "another task took it")))
                continue
            taken.add(item.pk)
            if item.run_id not in options:
                options[item.run_id] = ScanOptions.for_run(item.run.instance, item.run)
            answers.append(Claimed(item, token, options[item.run_id], stored[item.media_id], now))
        for run_id in sorted({item.run_id for item in items.values()}):
            ids = sorted(pk for pk, item in items.items() if item.run_id == run_id)
            logger.debug("scan #%s: %d items claimed: %s", run_id, len(ids), ids)
        return answers

    # --- stores ------------------------------------------------------------------------

    def stores(self, requests: Sequence[Store]) -> None:
        split_on_error(requests, self._store, self._store_failed)

    def _store_failed(self, request: Store, error: Exception) -> None:
        claimed = request.claimed
        reason = f"its results could not be stored: {describe(error)}"
        logger.error(
            "scan #%s: %s: %s", claimed.item.run_id, claimed.item.media, reason, exc_info=error
        )
        outcome = record_held_failure(claimed.held, claimed.item, reason, CAUSE_STORE)
        self.holdings.forget(claimed)
        if not request.answer(LEASE_LOST if outcome is None else StoreFailed(reason, outcome)):
            self.unsent.keep(claimed.item.run_id, outcome or NOTHING)

    def _store(self, requests: Sequence[Store]) -> None:
        """One transaction: first the items still held become done (nothing else is
        written for the others), then their files, seasons and verdicts, then the runs'
        counters, run by run in the order of their ids."""
        answers: dict[int, Stored] = {}
        with transaction.atomic():
            done = set(leases.mark_done([request.claimed.held for request in requests]))
            by_run: dict[int, list[Store]] = defaultdict(list)
            for request in requests:
                if request.claimed.item.pk in done:
                    by_run[request.claimed.item.run_id].append(request)
            for run_id in sorted(by_run):
                stores = by_run[run_id]
                store_many(
                    [(s.claimed.item.media, s.scanned) for s in stores], stores[0].claimed.options
                )
                after = runs.count_items_done(
                    run_id,
                    items=len(stores),
                    files_probed=sum(s.scanned.files_probed for s in stores),
                    file_errors=sum(s.scanned.file_errors for s in stores),
                    arr_requests=sum(s.requests for s in stores),
                    tracks_to_hear=sum(s.scanned.tracks_to_hear for s in stores),
                    tracks_heard=sum(s.scanned.tracks_heard for s in stores),
                    tracks_unheard=sum(s.scanned.tracks_unheard for s in stores),
                    unheard_reason=next(
                        (s.scanned.unheard_reason for s in stores if s.scanned.unheard_reason), ""
                    ),
                )
                for number, store in enumerate(stores):
                    answers[store.claimed.item.pk] = Stored(after if number == 0 else NOTHING)
        for request in requests:
            claimed = request.claimed
            self.holdings.forget(claimed)
            if claimed.item.pk not in answers:
                logger.warning(
                    "scan #%s: %s: this worker's lease ran out and another took the item: "
                    "its result is not stored",
                    claimed.item.run_id,
                    claimed.item.media,
                )
            answer = answers.get(claimed.item.pk, LEASE_LOST)
            if not request.answer(answer) and isinstance(answer, Stored):
                self.unsent.keep(claimed.item.run_id, answer.next)

    # --- one at a time -----------------------------------------------------------------

    def fail(self, request: Fail) -> None:
        outcome = record_held_failure(
            request.claimed.held, request.claimed.item, request.reason, request.cause
        )
        self.holdings.forget(request.claimed)
        if not request.answer(LEASE_LOST if outcome is None else FailRecorded(outcome)):
            self.unsent.keep(request.claimed.item.run_id, outcome or NOTHING)

    def wait_retry(self, request: WaitRetry) -> None:
        claimed = request.claimed
        since = claimed.item.retrying_since or claimed.claimed_at
        waiting = leases.wait_for_retry(claimed.held, request.retry_at, since)
        self.holdings.forget(claimed)
        if waiting:
            runs.waiting_to_retry(claimed.item.run_id, request.why, request.retry_at)
        request.answer(WAITING_FOR_RETRY if waiting else LEASE_LOST)

    def release(self, request: Release) -> None:
        self.holdings.forget(request.claimed)  # first: no beat extends it, whatever follows
        leases.release([request.claimed.held])
        request.answer(RELEASED)

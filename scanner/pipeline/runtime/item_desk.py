"""The database work of the item tasks running in one process, gathered.

Each item is one Celery task (or one inline job) that claims its item, reads its files
and stores what it found. Read alone, 2,500 items would cost 2,500 claims, 2,500 loads
and 2,500 store transactions. Here the tasks of one process hand their claims and
stores to one thread (the desk), which runs the claims that came in together as one
statement and the stores as one transaction (group commit, desk_work), and answers
each task with its own item's outcome: the task still ends in its own item's state.
The desk also beats for the items it holds (desk_beat).

The desk never dies: an error in its loop or a handler is logged, its database
connection dropped, the tasks waiting on that work meet the error (an outage: their
items' retries), and it goes on. A task waits for one answer at most a lease's length
(desk_messages.answer_bound), then its item waits for its retry. A desk thread gone
anyway is replaced by the next ``desk()``; ``health()`` tells the worker's health check
and watchdog (scanner.worker.health) when the loop has not turned for a bound.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connection

from scanner.pipeline.retries import database_down
from scanner.pipeline.runtime.desk_beat import Holdings
from scanner.pipeline.runtime.desk_messages import (
    GATHERED,
    STOPPED,
    Answer,
    Beat,
    Beaten,
    Claim,
    ClaimAnswer,
    Claimed,
    DeskUnanswered,
    Fail,
    FailAnswer,
    Release,
    Released,
    Request,
    RetryAnswer,
    Stop,
    Store,
    StoreAnswer,
    WaitRetry,
    Wake,
    answer_bound,
)
from scanner.pipeline.runtime.desk_work import DeskWork, answer_all
from scanner.pipeline.scanning.decide import ScannedItem
from scanner.pipeline.work import Next
from scanner.runtime.running import beat_interval

logger = logging.getLogger(__name__)

# How long the desk waits for more tasks' claims or stores to go with the first, unless
# every task in the process is already waiting on it. Short beside an item's read.
LINGER = 0.25

A = TypeVar("A", bound=Answer)


@dataclass(frozen=True, slots=True)
class DeskHealth:
    alive: bool  # the desk's thread runs
    idle_for: float  # seconds since its loop last turned
    longest_task: float  # seconds the longest-running item task has run so far
    tasks: int  # item tasks running now


class ItemDesk:
    def __init__(self, *, linger: float = LINGER, start: bool = True) -> None:
        self.linger = linger
        self._requests: queue.SimpleQueue[Request[Any]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._queued = threading.Condition()
        self._tasks: dict[int, float] = {}  # thread id: when its item task began
        self._waiting = 0  # of those, waiting on the desk right now
        self.holdings = Holdings()
        self._work = DeskWork(self.holdings)
        self._own_connection = True  # served on a thread of its own (not ``serve``)
        self.last_loop = time.monotonic()
        self._thread = threading.Thread(target=self._serve, name="taggarr-item-desk", daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        """Start serving (a desk made with ``start=False`` gathers requests until then)."""
        self._thread.start()

    def wait_queued(self, count: int, timeout: float) -> bool:
        """Block until ``count`` requests wait for the desk's thread (a desk not started
        yet: tests gather a batch so); false if they did not within ``timeout``."""
        with self._queued:
            return self._queued.wait_for(lambda: self._requests.qsize() >= count, timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def health(self) -> DeskHealth:
        now = time.monotonic()
        with self._lock:
            started = list(self._tasks.values())
        return DeskHealth(
            alive=self.alive or not self._own_connection,
            idle_for=now - self.last_loop,
            longest_task=max((now - since for since in started), default=0.0),
            tasks=len(started),
        )

    # --- what the tasks call -------------------------------------------------------

    @contextmanager
    def working(self) -> Iterator[None]:
        """An item task runs in this thread (for the linger, and the watchdog)."""
        me = threading.get_ident()
        with self._lock:
            self._tasks[me] = time.monotonic()
        try:
            yield
        finally:
            with self._lock:
                self._tasks.pop(me, None)

    def claim(
        self, run_id: int, item_id: int, *, retry: bool = False, token: int | None = None
    ) -> ClaimAnswer:
        """The item, held; or why not. ``token``: the task's own earlier claim's, which
        its retry may take back while it still holds the item."""
        return self._ask(Claim(run_id, item_id, retry, token))

    def store(self, claimed: Claimed, scanned: ScannedItem, requests: int) -> StoreAnswer:
        return self._ask(Store(claimed, scanned, requests))

    def fail(self, claimed: Claimed, reason: str, cause: str = "") -> FailAnswer:
        """The item failed with ``reason`` (its code: ``cause``): what follows, or LEASE_LOST."""
        return self._ask(Fail(claimed, reason, cause))

    def wait_for_retry(self, claimed: Claimed, retry_at: datetime, why: str) -> RetryAnswer:
        return self._ask(WaitRetry(claimed, retry_at, why))

    def release(self, claimed: Claimed) -> Released:
        return self._ask(Release(claimed))

    def beat_now(self) -> Beaten:
        """The heartbeat, written now rather than at its next interval."""
        return self._ask(Beat())

    def unsent(self) -> Next:
        """The next work of answers whose tasks stopped waiting, taken: the caller
        hands it on (desk_work.Unsent)."""
        return self._work.unsent.take()

    def close(self) -> None:
        """Stop the desk's thread (its database connection closed); for the tests and a
        process that ends."""
        if self._thread.is_alive():
            self._put(Stop())
            self._thread.join(answer_bound())

    def _put(self, request: Request[Any]) -> None:
        with self._queued:
            self._requests.put(request)
            self._queued.notify_all()

    def _ask(self, request: Request[A]) -> A:
        # A task stops counting as waiting the moment its answer is set (the future's
        # callback runs in the desk's thread, as it answers), not when the task's thread
        # next runs: on a busy machine a task answered a claim long ago still looked as
        # if it waited, and the desk stored one item alone instead of the batch.
        pending = [True]

        def answered(_: object) -> None:
            with self._lock:
                if pending[0]:
                    pending[0] = False
                    self._waiting -= 1

        # Counted as waiting and queued at once, under the lock the desk's gather reads
        # both under: it never sees a task waiting whose request is not queued yet (it
        # stored a batch without the last item's request, then that one alone).
        with self._lock:
            self._waiting += 1
            self._put(request)
        request.done.add_done_callback(answered)  # at once if answered already
        try:
            try:
                return request.done.result(timeout=answer_bound())
            except FutureTimeout:
                # Abandoned: the desk, if it answers later, hands back what it took.
                if request.done.cancel():
                    raise DeskUnanswered(
                        f"the item desk did not answer within {answer_bound():.0f} s"
                    ) from None
                return request.done.result()  # answered meanwhile
        finally:
            answered(None)

    # --- the desk's thread ---------------------------------------------------------

    def serve(self, until: Callable[[], bool]) -> None:
        """Serve in the calling thread, on its database connection, until ``until()``
        (checked whenever a request or ``wake()`` comes): the inline runner's way, so
        that its scan sees what its own connection sees (a test's open transaction)."""
        self._own_connection = False
        self._serve(until)

    def wake(self) -> None:
        """Have a serving ``serve`` check its condition."""
        self._requests.put(Wake())

    def _serve(self, until: Callable[[], bool] | None = None) -> None:
        next_beat = time.monotonic() + beat_interval()
        while until is None or not until():
            self.last_loop = time.monotonic()
            batch: list[Request[Any]] = []
            try:
                try:
                    first = self._requests.get(timeout=max(0.0, next_beat - time.monotonic()))
                except queue.Empty:
                    first = None
                if isinstance(first, Stop):
                    self._drop_connection()
                    first.answer(STOPPED)
                    return
                if first is not None and not isinstance(first, Wake):
                    batch = self._gather(first)
                    self._handle(batch)
                if time.monotonic() >= next_beat:
                    next_beat = time.monotonic() + beat_interval()
                    if not self.holdings.beat():
                        self._drop_connection()
            except BaseException as exc:  # the desk never dies (but see below)
                self._survive(exc, batch)
                if not self._own_connection and not isinstance(exc, Exception):
                    raise  # Ctrl-C of ``scan --inline``, whose thread serves the desk

    def _survive(self, error: BaseException, batch: list[Request[Any]]) -> None:
        """An error in the loop: logged, the connection dropped, the waiting tasks of
        the batch meet it; the loop goes on."""
        if database_down(error):
            logger.warning("item desk: the database is unavailable: %s", error)
        else:
            logger.error("item desk: unexpected error; it goes on", exc_info=error)
        self._drop_connection()
        for request in batch:
            request.refuse(error)

    def _beat_now(self, requests: Sequence[Beat]) -> None:
        written = self.holdings.beat()
        if not written:
            self._drop_connection()
        requests[0].answer(Beaten(written))

    def _drop_connection(self) -> None:
        if self._own_connection:
            with suppress(Exception):
                connection.close()

    def _gather(self, first: Request[Any]) -> list[Request[Any]]:
        """``first`` and what comes in within the linger (or until every working task
        waits on the desk)."""
        batch = [first]
        if not isinstance(first, GATHERED):
            return batch
        until = time.monotonic() + self.linger
        while len(batch) < settings.ITEM_BATCH and not isinstance(batch[-1], Stop):
            with self._lock:
                everyone = self._waiting >= len(self._tasks) and self._requests.empty()
            if everyone:
                break
            left = until - time.monotonic()
            if left <= 0:
                break
            try:
                more = self._requests.get(timeout=min(left, 0.01))
            except queue.Empty:
                continue
            if not isinstance(more, Wake):
                batch.append(more)
        return batch

    def _handle(self, batch: list[Request[Any]]) -> None:
        if self._own_connection:
            with suppress(Exception):  # a broken connection is closed by it; else met below
                close_old_connections()
        stops = [request for request in batch if isinstance(request, Stop)]
        if stops:
            self._requests.put(stops[0])  # after this batch
        claims = [r for r in batch if isinstance(r, Claim) and not r.done.cancelled()]
        stores = [r for r in batch if isinstance(r, Store)]
        if claims:
            answer_all(claims, self._work.claims)
        if stores:
            answer_all(stores, self._work.stores)
        for request in batch:
            if isinstance(request, Fail):
                answer_all([request], lambda one: self._work.fail(one[0]))
            elif isinstance(request, WaitRetry):
                answer_all([request], lambda one: self._work.wait_retry(one[0]))
            elif isinstance(request, Release):
                answer_all([request], lambda one: self._work.release(one[0]))
            elif isinstance(request, Beat):
                answer_all([request], self._beat_now)


_desk: ItemDesk | None = None
_desk_pid = 0
_desk_lock = threading.Lock()


def desk() -> ItemDesk:
    """This process's desk (a forked child makes its own; a desk whose thread is gone
    is replaced, saying so)."""
    global _desk, _desk_pid
    with _desk_lock:
        if _desk is not None and _desk_pid == os.getpid() and not _desk.alive:
            logger.error("item desk: its thread is gone; starting another")
            _desk = None
        if _desk is None or _desk_pid != os.getpid():
            _desk, _desk_pid = ItemDesk(), os.getpid()
        return _desk


def current_desk() -> ItemDesk | None:
    """This process's desk if it has one (a worker that has not scanned has none)."""
    with _desk_lock:
        return _desk if _desk is not None and _desk_pid == os.getpid() else None


def close_desk() -> None:
    """This process's desk stopped, if it runs (the next ``desk()`` starts another)."""
    global _desk
    with _desk_lock:
        if _desk is not None and _desk_pid == os.getpid():
            _desk.close()
        _desk = None

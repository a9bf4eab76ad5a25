"""The database work of the item tasks running in one process, gathered.

Each item is one Celery task (or one inline job) that claims its item, reads its files
and stores what it found. Read alone, 2,500 items would cost 2,500 claims, 2,500 loads
and 2,500 store transactions. Here the tasks of one process hand their claims and
stores to one thread (the desk), which runs the claims that came in together as one
statement and the stores as one transaction (group commit), and answers each task
with its own item's outcome: the task still ends in its own item's state.

The desk also beats: every TAGGARR_SCAN_STALL_SECONDS / 6 it writes the heartbeat of
the runs whose items it holds and extends exactly the leases it holds (by token), so an
item released for its retry is never extended. An item held longer than HOLD_LIMIT (a
read that hangs on a dead share) is no longer extended: its lease runs out, the
stalled-work recovery sends it again, and the hung task, if it ever comes back, has lost
its lease and writes nothing.

A store that fails on something other than the database being down is split in halves
until the item that causes it is alone; that item fails with the error, the others are
stored.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from scanner.errors import describe
from scanner.models import MediaFile, ScanItem, ScanRun
from scanner.pipeline.retries import DATABASE_DOWN
from scanner.pipeline.scanning.decide import ScannedItem, store_many
from scanner.pipeline.scanning.options import ScanOptions
from scanner.pipeline.state import leases, runs
from scanner.pipeline.state.failures import record_held_failure
from scanner.pipeline.work import NOTHING, Next

logger = logging.getLogger(__name__)

# How long the desk waits for more tasks' claims or stores to go with the first, unless
# every task in the process is already waiting on it. Short beside an item's read.
LINGER = 0.25
HOLD_LIMIT = 600.0  # seconds an item may be held by one task before it is let go


@dataclass
class Claimed:
    """An item this process holds, with what its read needs."""

    item: ScanItem  # with its media, run and instance
    token: int
    options: ScanOptions
    stored: dict[str, MediaFile]
    claimed_at: datetime

    @property
    def held(self) -> leases.Held:
        return (self.item.pk, self.token)


@dataclass
class Stored:
    next: Next


@dataclass
class StoreFailed:
    reason: str  # the item failed with it (already recorded)
    next: Next


LOST = "lost"  # the lease ran out and another holder took the item: nothing written


@dataclass
class _Request:
    kind: str
    payload: Any
    done: Future[Any] = field(default_factory=Future)


class ItemDesk:
    def __init__(self, *, linger: float = LINGER, start: bool = True) -> None:
        self.linger = linger
        self._requests: queue.SimpleQueue[_Request] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._queued = threading.Condition()
        self._working = 0  # tasks between their claim and their last answer
        self._waiting = 0  # of those, waiting on the desk right now
        self._held: dict[int, tuple[set[int], set[int], float]] = {}  # token: runs, ids, since
        self._own_connection = True  # served on a thread of its own (not ``serve``)
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

    # --- what the tasks call -------------------------------------------------------

    @contextmanager
    def working(self) -> Iterator[None]:
        with self._lock:
            self._working += 1
        try:
            yield
        finally:
            with self._lock:
                self._working -= 1

    def claim(self, run_id: int, item_id: int, *, retry: bool = False) -> Claimed | str:
        """The item, held; or why not (in words)."""
        return self._ask("claim", (run_id, item_id, retry))

    def store(
        self, claimed: Claimed, scanned: ScannedItem, requests: int
    ) -> Stored | StoreFailed | str:
        return self._ask("store", (claimed, scanned, requests))

    def fail(self, claimed: Claimed, reason: str) -> Next | str:
        """The item failed with ``reason``: what follows, or LOST."""
        return self._ask("fail", (claimed, reason))

    def wait_for_retry(self, claimed: Claimed, retry_at: datetime, why: str) -> bool:
        return self._ask("retry", (claimed, retry_at, why))

    def release(self, claimed: Claimed) -> None:
        self._ask("release", claimed)

    def beat_now(self) -> None:
        """The heartbeat, written now rather than at its next interval."""
        self._ask("beat", None)

    def close(self) -> None:
        """Stop the desk's thread (its database connection closed); for the tests and a
        process that ends."""
        if self._thread.is_alive():
            self._requests.put(_Request("stop", None))
            self._thread.join()

    def _ask(self, kind: str, payload: Any) -> Any:
        request = _Request(kind, payload)
        with self._lock:
            self._waiting += 1
        try:
            with self._queued:
                self._requests.put(request)
                self._queued.notify_all()
            return request.done.result()
        finally:
            with self._lock:
                self._waiting -= 1

    # --- the desk's thread ---------------------------------------------------------

    def serve(self, until: Callable[[], bool]) -> None:
        """Serve in the calling thread, on its database connection, until ``until()``
        (checked whenever a request or ``wake()`` comes): the inline runner's way, so
        that its scan sees what its own connection sees (a test's open transaction)."""
        self._own_connection = False
        self._serve(until)

    def wake(self) -> None:
        """Have a serving ``serve`` check its condition."""
        self._requests.put(_Request("wake", None))

    def _serve(self, until: Callable[[], bool] | None = None) -> None:
        next_beat = time.monotonic() + beat_interval()
        while until is None or not until():
            try:
                first = self._requests.get(timeout=max(0.0, next_beat - time.monotonic()))
            except queue.Empty:
                first = None
            if first is not None and first.kind == "stop":
                connection.close()
                first.done.set_result(None)
                return
            if first is not None and first.kind != "wake":
                self._handle(self._gather(first))
            if time.monotonic() >= next_beat:
                self._beat()
                next_beat = time.monotonic() + beat_interval()

    def _gather(self, first: _Request) -> list[_Request]:
        """``first`` and what comes in within the linger (or until every working task
        waits on the desk)."""
        batch = [first]
        if first.kind not in ("claim", "store"):
            return batch
        until = time.monotonic() + self.linger
        while len(batch) < settings.ITEM_BATCH and batch[-1].kind != "stop":
            with self._lock:
                everyone = self._waiting >= self._working
            if everyone and self._requests.empty():
                break
            left = until - time.monotonic()
            if left <= 0:
                break
            try:
                more = self._requests.get(timeout=min(left, 0.01))
            except queue.Empty:
                continue
            if more.kind != "wake":
                batch.append(more)
        return batch

    def _handle(self, batch: list[_Request]) -> None:
        if self._own_connection:
            with suppress(*DATABASE_DOWN):
                close_old_connections()
        by_kind: dict[str, list[_Request]] = defaultdict(list)
        for request in batch:
            by_kind[request.kind].append(request)
        handlers: dict[str, Callable[[list[_Request]], None]] = {
            "claim": self._claims,
            "store": self._stores,
        }
        by_kind.pop("wake", None)
        stop = by_kind.pop("stop", None)
        if stop:
            self._requests.put(stop[0])  # after this batch
        for kind, requests in by_kind.items():
            batched = handlers.get(kind)
            if batched is not None:
                self._answer_all(requests, batched)
            else:
                for request in requests:
                    self._answer_all([request], self._one)

    @staticmethod
    def _answer_all(requests: list[_Request], handler: Callable[[list[_Request]], None]) -> None:
        try:
            handler(requests)
        except BaseException as exc:  # noqa: BLE001 - each task meets its error
            for request in requests:
                if not request.done.done():
                    request.done.set_exception(exc)

    def _one(self, requests: list[_Request]) -> None:
        request = requests[0]
        if request.kind == "fail":
            claimed, reason = request.payload
            outcome = record_held_failure(claimed.held, claimed.item, reason)
            self._forget(claimed)
            request.done.set_result(LOST if outcome is None else outcome)
        elif request.kind == "retry":
            claimed, retry_at, why = request.payload
            since = claimed.item.retrying_since or claimed.claimed_at
            waiting = leases.wait_for_retry(claimed.held, retry_at, since)
            self._forget(claimed)
            if waiting:
                runs.waiting_to_retry(claimed.item.run_id, why, retry_at)
            request.done.set_result(waiting)
        elif request.kind == "beat":
            self._beat()
            request.done.set_result(None)
        elif request.kind == "release":
            self._forget(request.payload)  # first: no beat extends it, whatever follows
            leases.release([request.payload.held])
            request.done.set_result(None)

    def _claims(self, requests: list[_Request]) -> None:
        token = leases.new_token()
        wanted = [request.payload[1] for request in requests]
        retries = [request.payload[1] for request in requests if request.payload[2]]
        now = timezone.now()
        logger.debug("claiming items %s", wanted)
        claimed_ids = set(leases.claim(wanted, token, retries=retries))
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
        held = set()
        why = (
            leases.why_not_taken([pk for pk in wanted if pk not in items])
            if len(items) < len(set(wanted))
            else {}
        )
        for request in requests:
            item = items.get(request.payload[1])
            if item is None or request.payload[1] in held:
                request.done.set_result(why.get(request.payload[1], "another task took it"))
                continue
            held.add(item.pk)
            if item.run_id not in options:
                options[item.run_id] = ScanOptions.for_run(item.run.instance, item.run)
            request.done.set_result(
                Claimed(item, token, options[item.run_id], stored[item.media_id], now)
            )
        for run_id in sorted({item.run_id for item in items.values()}):
            ids = sorted(pk for pk, item in items.items() if item.run_id == run_id)
            logger.debug("scan #%s: %d items claimed: %s", run_id, len(ids), ids)
        if held:
            run_ids = {items[pk].run_id for pk in held}
            self._held[token] = (run_ids, held, time.monotonic())

    def _stores(self, requests: list[_Request]) -> None:
        try:
            self._store(requests)
        except DATABASE_DOWN:
            raise  # every task retries, as for any outage
        except Exception as exc:
            if len(requests) > 1:
                middle = len(requests) // 2
                self._answer_all(requests[:middle], self._stores)
                self._answer_all(requests[middle:], self._stores)
                return
            claimed = requests[0].payload[0]
            reason = f"its results could not be stored: {describe(exc)}"
            logger.exception("scan #%s: %s: %s", claimed.item.run_id, claimed.item.media, reason)
            outcome = record_held_failure(claimed.held, claimed.item, reason)
            self._forget(claimed)
            requests[0].done.set_result(LOST if outcome is None else StoreFailed(reason, outcome))

    def _store(self, requests: list[_Request]) -> None:
        """One transaction: first the items still held become done (nothing else is
        written for the others), then their files, seasons and verdicts, then the runs'
        counters."""
        answers: dict[int, Any] = {}
        with transaction.atomic():
            done = set(leases.mark_done([request.payload[0].held for request in requests]))
            kept = [request for request in requests if request.payload[0].item.pk in done]
            by_run: dict[int, list[tuple[Claimed, ScannedItem, int]]] = defaultdict(list)
            for request in kept:
                claimed, scanned, asked = request.payload
                by_run[claimed.item.run_id].append((claimed, scanned, asked))
            for run_id, stores in by_run.items():
                options = stores[0][0].options
                store_many(
                    [(claimed.item.media, scanned) for claimed, scanned, _ in stores], options
                )
                after = runs.count_items_done(
                    run_id,
                    items=len(stores),
                    files_probed=sum(scanned.files_probed for _, scanned, _ in stores),
                    file_errors=sum(scanned.file_errors for _, scanned, _ in stores),
                    arr_requests=sum(asked for _, _, asked in stores),
                    tracks_to_hear=sum(scanned.tracks_to_hear for _, scanned, _ in stores),
                    tracks_heard=sum(scanned.tracks_heard for _, scanned, _ in stores),
                )
                for number, (claimed, _, _) in enumerate(stores):
                    answers[claimed.item.pk] = Stored(after if number == 0 else NOTHING)
        for request in requests:
            claimed = request.payload[0]
            self._forget(claimed)
            if claimed.item.pk not in answers:
                logger.warning(
                    "scan #%s: %s: this worker's lease ran out and another took the item: "
                    "its result is not stored",
                    claimed.item.run_id,
                    claimed.item.media,
                )
            request.done.set_result(answers.get(claimed.item.pk, LOST))

    def _forget(self, claimed: Claimed) -> None:
        entry = self._held.get(claimed.token)
        if entry is None:
            return
        entry[1].discard(claimed.item.pk)
        if not entry[1]:
            del self._held[claimed.token]

    def _beat(self) -> None:
        """The heartbeat of the runs whose items this process holds, and their leases."""
        now = time.monotonic()
        for token, (_, ids, since) in list(self._held.items()):
            if now - since > HOLD_LIMIT:
                logger.warning(
                    "items %s held for more than %d s: no longer extended, sent again by "
                    "the stalled-work recovery once their leases run out",
                    sorted(ids),
                    HOLD_LIMIT,
                )
                del self._held[token]
        if not self._held:
            return
        held = [(pk, token) for token, (_, ids, _) in self._held.items() for pk in ids]
        try:
            if self._own_connection:
                close_old_connections()
            leases.extend(held)
            run_ids = {run for run_ids, _, _ in self._held.values() for run in run_ids}
            ScanRun.objects.filter(pk__in=run_ids).update(heartbeat_at=timezone.now())
        except DATABASE_DOWN as exc:  # the tasks will meet it too; keep beating
            logger.warning("heartbeat not written: %s", exc)
            if self._own_connection:
                connection.close()


def beat_interval() -> float:
    return max(1.0, settings.SCAN_STALL_SECONDS / 6)


_desk: ItemDesk | None = None
_desk_pid = 0
_desk_lock = threading.Lock()


def desk() -> ItemDesk:
    """This process's desk (a forked child makes its own)."""
    global _desk, _desk_pid
    with _desk_lock:
        if _desk is None or _desk_pid != os.getpid():
            _desk, _desk_pid = ItemDesk(), os.getpid()
        return _desk


def close_desk() -> None:
    """This process's desk stopped, if it runs (the next ``desk()`` starts another)."""
    global _desk
    with _desk_lock:
        if _desk is not None and _desk_pid == os.getpid():
            _desk.close()
        _desk = None

"""``scan --inline``: the pipeline's steps, run one after another in this process.

The same step functions and the same retry and give-up policy as the Celery tasks
(scanner.pipeline.steps), with the waits slept here. Items go in batches of
TAGGARR_ITEM_BATCH through the item step's two halves (scanner.pipeline.items): the next
batch is claimed and read while this one is stored. Items handed back for a retry wait
their turn; the runner sleeps only when nothing else is left to do. Nothing goes to the
broker: webhook requests that come due meanwhile stay waiting for beat's next tick, and
the end of a run goes to the caller's ``on_ended`` (``scan --inline`` notifies from
there, as there may be no worker at all).
"""

from __future__ import annotations

import heapq
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from itertools import count

from scanner.errors import TaggarrError
from scanner.pipeline.heartbeat import beating
from scanner.pipeline.items import StartedItems, batch_size, finish_items, start_items
from scanner.pipeline.retries import retry_policy
from scanner.pipeline.steps import RetryLater, after_error, attempt, give_up
from scanner.pipeline.work import Next, RunEnded, ScanItems, StartRequested, Work

logger = logging.getLogger(__name__)


def run_inline(
    work: Next,
    *,
    on_item: Callable[[int], None] | None = None,
    on_ended: Callable[[int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run ``work`` and everything it leads to. ``on_item(run_id)`` after each batch of
    items, ``on_ended(run_id)`` when a run has ended."""
    queue: deque[Work] = deque(work)
    # Work that waits (an item's retry): (due, order, work), on a clock of its own that
    # only the waits move forward (``sleep`` may be a test's, which does not wait).
    later: list[tuple[float, int, Work]] = []
    order = count()
    clock = 0.0
    while queue or later:
        if not queue:
            due = later[0][0]
            sleep(max(0.0, due - clock))
            clock = max(clock, due)
            while later and later[0][0] <= clock:
                queue.append(heapq.heappop(later)[2])
        current = queue.popleft()
        if isinstance(current, ScanItems) and current.delay > 0:
            waiting = ScanItems(current.run_id, current.item_ids, retry=current.retry)
            heapq.heappush(later, (clock + current.delay, next(order), waiting))
            continue
        if isinstance(current, RunEnded):
            if on_ended is not None:
                on_ended(current.run_id)
            continue
        if isinstance(current, StartRequested):
            continue  # left to beat: this process runs only what it was given
        if isinstance(current, ScanItems):
            queue.extend(_batches(current, on_item, sleep))
            continue
        queue.extend(_run_to_end(current, sleep))


def _batches(
    work: ScanItems, on_item: Callable[[int], None] | None, sleep: Callable[[float], None]
) -> Next:
    """Every batch's next work. Each batch is claimed and its reading started before the
    one before it is stored."""
    run_id, ids, retry = work.run_id, list(work.item_ids), work.retry
    size = batch_size()
    chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
    after: list[Work] = []
    holding: list[int] = []
    with (
        beating(run_id, holding),
        ThreadPoolExecutor(1, thread_name_prefix="taggarr-read") as reader,
    ):
        ahead = _start(run_id, chunks[0], retry, reader, holding)
        for number, chunk in enumerate(chunks):
            started = ahead
            if number + 1 < len(chunks):
                ahead = _start(run_id, chunks[number + 1], retry, reader, holding)
            after.extend(_finish(run_id, chunk, started, sleep))
            if on_item is not None:
                on_item(run_id)
    return tuple(after)


def _start(
    run_id: int, chunk: list[int], retry: bool, reader: Executor, holding: list[int]
) -> StartedItems | BaseException | None:
    try:
        return start_items(run_id, chunk, retry=retry, reader=reader, holding=holding)
    except Exception as exc:  # noqa: BLE001 - _finish decides, as the step's policy says
        return exc


def _finish(
    run_id: int,
    chunk: list[int],
    started: StartedItems | BaseException | None,
    sleep: Callable[[float], None],
) -> Next:
    """The batch stored; or, when it could not be started or stored, what the step's
    policy says: a retry of the whole batch (the database restarts), the run failed (the
    *arr refuses the key), or, for an unexpected error, its items failed."""
    if started is None:
        return ()  # the run stopped: nothing more to do
    work = ScanItems(run_id, tuple(chunk), retry=True)
    if isinstance(started, StartedItems):
        try:
            return finish_items(started)
        except Exception as exc:  # noqa: BLE001 - as below
            started = exc
    if not isinstance(started, (*retry_policy(work).errors, TaggarrError)):
        logger.error("%s stopped on an unexpected error", work, exc_info=started)
        return give_up(work, started)
    outcome = after_error(work, started, 0)
    if not isinstance(outcome, RetryLater):
        return outcome
    logger.warning("%s: %s; trying again in %.0f s", work, outcome.error, outcome.delay)
    sleep(outcome.delay)
    return _run_to_end(work, sleep, retries=1)


def _run_to_end(work: Work, sleep: Callable[[float], None], *, retries: int = 0) -> Next:
    while True:
        try:
            outcome = attempt(work, retries)
        except Exception as exc:
            logger.exception("%s stopped on an unexpected error", work)
            return give_up(work, exc)
        if not isinstance(outcome, RetryLater):
            return outcome
        logger.warning("%s: %s; trying again in %.0f s", work, outcome.error, outcome.delay)
        sleep(outcome.delay)
        retries += 1

"""``scan --inline``: the pipeline's steps, run one after another in this process.

The same step functions and the same retry and give-up policy as the Celery tasks
(scanner.pipeline.steps), with the waits slept here. Items go in batches
(scanner.pipeline.batch: their I/O overlapped, their writes together; the next batch is
read while this one is stored); an item the batch hands back goes through the
one-at-a-time step and its retry policy. Nothing
goes to the broker: webhook requests that come due meanwhile stay waiting for beat's
next tick, and the end of a run goes to the caller's ``on_ended`` (``scan --inline``
notifies from there, as there may be no worker at all).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor

from scanner.pipeline.batch import BATCH_SIZE, StartedBatch, finish_batch, start_batch
from scanner.pipeline.heartbeat import beating
from scanner.pipeline.steps import RetryLater, attempt, give_up
from scanner.pipeline.work import Next, RunEnded, ScanItems, StartRequested, Work

logger = logging.getLogger(__name__)


def run_inline(
    work: Next,
    *,
    on_item: Callable[[int], None] | None = None,
    on_ended: Callable[[int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run ``work`` and everything it leads to. ``on_item(run_id)`` after each item (or
    batch of items), ``on_ended(run_id)`` when a run has ended."""
    queue: deque[Work] = deque(work)
    while queue:
        current = queue.popleft()
        if isinstance(current, RunEnded):
            if on_ended is not None:
                on_ended(current.run_id)
            continue
        if isinstance(current, StartRequested):
            continue  # left to beat: this process runs only what it was given
        if isinstance(current, ScanItems) and len(current.item_ids) > 1:
            queue.extend(_batches(current.run_id, list(current.item_ids), on_item))
            continue
        queue.extend(_run_to_end(current, sleep))
        if isinstance(current, ScanItems) and on_item is not None:
            on_item(current.run_id)


def _batches(run_id: int, ids: list[int], on_item: Callable[[int], None] | None) -> Next:
    """Every batch's next work, and the items they handed back, one at a time. Each
    batch is started (its reading under way) before the one before it is stored."""
    chunks = [ids[start : start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE)]
    after: list[Work] = []
    with beating(run_id), ThreadPoolExecutor(1, thread_name_prefix="taggarr-read") as reader:
        ahead = _start(run_id, chunks[0], reader)
        for number, chunk in enumerate(chunks):
            started = ahead
            if number + 1 < len(chunks):
                ahead = _start(run_id, chunks[number + 1], reader)
            after.extend(_finish(run_id, chunk, started))
            if on_item is not None:
                on_item(run_id)
    return tuple(after)


_STOPPED = object()  # a batch that raised: each item meets the one-at-a-time step


def _start(run_id: int, chunk: list[int], reader: Executor) -> StartedBatch | object | None:
    try:
        return start_batch(run_id, chunk, reader)
    except Exception:
        logger.exception("scan #%s: a batch of %d items stopped", run_id, len(chunk))
        return _STOPPED


def _finish(run_id: int, chunk: list[int], started: StartedBatch | object | None) -> Next:
    if started is None:
        return ()  # the run stopped: nothing more to do
    after: Next
    left: list[int]
    if isinstance(started, StartedBatch):
        try:
            after, left = finish_batch(started)
        except Exception:
            logger.exception("scan #%s: a batch of %d items stopped", run_id, len(chunk))
            after, left = (), chunk
    else:
        after, left = (), chunk
    return (*(ScanItems(run_id, (item_id,)) for item_id in left), *after)


def _run_to_end(work: Work, sleep: Callable[[float], None]) -> Next:
    retries = 0
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

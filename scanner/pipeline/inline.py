"""``scan --inline``: the pipeline's steps, run one after another in this process.

The same step functions and the same retry and give-up policy as the Celery tasks
(scanner.pipeline.steps), with the waits slept here. Items go in batches
(scanner.pipeline.batch: their I/O overlapped, their writes together); an item the
batch hands back goes through the one-at-a-time step and its retry policy. Nothing
goes to the broker: webhook requests that come due meanwhile stay waiting for beat's
next tick, and the end of a run goes to the caller's ``on_ended`` (``scan --inline``
notifies from there, as there may be no worker at all).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

from scanner.pipeline.batch import BATCH_SIZE, scan_batch
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
            ids = list(current.item_ids)
            for start in range(0, len(ids), BATCH_SIZE):
                queue.extend(_batch(current.run_id, ids[start : start + BATCH_SIZE]))
                if on_item is not None:
                    on_item(current.run_id)
            continue
        queue.extend(_run_to_end(current, sleep))
        if isinstance(current, ScanItems) and on_item is not None:
            on_item(current.run_id)


def _batch(run_id: int, item_ids: list[int]) -> Next:
    """A batch's next work, and the items it handed back, one at a time."""
    try:
        with beating(run_id):
            after, left = scan_batch(run_id, item_ids)
    except Exception:  # each item then meets the one-at-a-time step and its policy
        logger.exception("scan #%s: a batch of %d items stopped", run_id, len(item_ids))
        after, left = (), item_ids
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

"""``scan --inline``: the pipeline's steps, run in this process.

The same steps as the Celery tasks, under the same retry budgets: the plan and apply
steps wait for their retries here (tenacity, steps.run_retried); the items run as
the workers run them, each through the item step (scanner.pipeline.runtime.item_step), up to
TAGGARR_ITEM_BATCH at once on threads, their claims and stores gathered by this
process's desk. An item that waits for its retry waits its turn while the others go
on; the runner sleeps only when nothing else is left to do. Nothing goes to the
broker: webhook requests that come due meanwhile stay waiting for beat's next tick
(or are run here, when the caller asks: ``scan --inline`` runs what waited for the
instance before its own run, scanner.actions.scans), and the end of a run goes to the
caller's ``on_ended`` (``scan --inline`` notifies from there, as there may be no
worker at all).
"""

from __future__ import annotations

import heapq
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import count, islice
from queue import SimpleQueue

from django.conf import settings
from django.db import connection

from scanner.pipeline.runtime import item_step
from scanner.pipeline.runtime.item_desk import ItemDesk
from scanner.pipeline.runtime.steps import give_up, run_retried
from scanner.pipeline.state.webhook_requests import start_requested_scan
from scanner.pipeline.work import Apply, Next, Plan, RunEnded, ScanItems, StartRequested, Work

logger = logging.getLogger(__name__)


def run_inline(
    work: Next,
    *,
    on_item: Callable[[int], None] | None = None,
    on_ended: Callable[[int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    requested: bool = False,
) -> None:
    """Run ``work`` and everything it leads to. ``on_item(run_id)`` after each item (in
    this thread),
    ``on_ended(run_id)`` when a run has ended. ``sleep`` may be a test's that does not
    wait: the runner's clock moves with the waits it asked for. ``requested``: the runs
    that webhooks and decisions asked for while the instance was busy are started and
    run here too when their turn comes (else they are left to beat)."""
    queue: deque[Work] = deque(work)
    later: list[tuple[float, int, Work]] = []  # (due, order, work): items' retries
    order = count()
    # The runner's clock: real time, moved on by any wait that ``sleep`` did not
    # really wait (a test's). The retry deadlines count the tries' own time too.
    skipped = [0.0]

    def now() -> float:
        return time.monotonic() + skipped[0]

    def wait(seconds: float) -> None:
        before = time.monotonic()
        sleep(seconds)
        skipped[0] += max(0.0, seconds - (time.monotonic() - before))

    while queue or later:
        if not queue:
            wait(max(0.0, later[0][0] - now()))
            while later and later[0][0] <= now():
                queue.append(heapq.heappop(later)[2])
        current = queue.popleft()
        if isinstance(current, ScanItems) and current.delay > 0:
            due = ScanItems(
                current.run_id,
                current.item_ids,
                retry=current.retry,
                since=current.since,
                token=current.token,
            )
            heapq.heappush(later, (now() + current.delay, next(order), due))
        elif isinstance(current, RunEnded):
            if on_ended is not None:
                on_ended(current.run_id)
        elif isinstance(current, StartRequested):
            if requested:
                queue.extend(start_requested_scan(current.instance_id))
            # else left to beat: this process runs only what it was given
        elif isinstance(current, ScanItems):
            queue.extend(_items(current, on_item))
        elif isinstance(current, Plan | Apply):
            queue.extend(run_retried(current, sleep=wait, clock=now))


def _items(work: ScanItems, on_item: Callable[[int], None] | None) -> Next:
    """Every item of ``work``, side by side on threads; this thread serves their desk
    (on its own database connection). What follows them (retries as delayed work).

    At most twice as many items as threads are handed to the pool at once, more as they
    end: a run of 40,000 items neither holds 40,000 futures nor looks through them at
    each of the desk's turns (which made a large first scan's desk quadratic)."""
    after: list[Work] = []
    desk = ItemDesk(start=False)  # served by this thread, below
    threads = min(int(settings.ITEM_BATCH), len(work.item_ids)) or 1
    waiting = iter(work.item_ids)
    ended: SimpleQueue[Future[item_step.ItemOutcome]] = SimpleQueue()  # by the pool's threads
    running: dict[Future[item_step.ItemOutcome], int] = {}

    def on_end(future: Future[item_step.ItemOutcome]) -> None:
        ended.put(future)
        desk.wake()

    with ThreadPoolExecutor(threads, thread_name_prefix="taggarr-item") as pool:

        def hand_on() -> None:
            for item_id in islice(waiting, 2 * threads - len(running)):
                future = pool.submit(_one, desk, work, item_id)
                running[future] = item_id
                future.add_done_callback(on_end)

        def all_done() -> bool:
            while not ended.empty():
                finished = ended.get()
                after.extend(_followed(work, running.pop(finished), finished))
                if on_item is not None:
                    on_item(work.run_id)
            hand_on()
            return not running

        desk.serve(until=all_done)
    # Answered after every task ended, to a task that had stopped waiting: handed on.
    return (*after, *desk.unsent())


def _followed(work: ScanItems, item_id: int, finished: Future[item_step.ItemOutcome]) -> Next:
    """What follows an ended item: its outcome's next steps, its retry, or its giving up."""
    try:
        outcome = finished.result()
    except Exception as exc:  # the item's task would give up alike
        logger.error("scan #%s: item %s stopped", work.run_id, item_id, exc_info=exc)
        return give_up(ScanItems(work.run_id, (item_id,)), exc)
    if not isinstance(outcome, item_step.WaitForRetry):
        return outcome.next
    retry = ScanItems(
        work.run_id,
        (item_id,),
        delay=outcome.wait,
        retry=True,
        since=outcome.since.timestamp(),
        token=outcome.token,
    )
    return (*outcome.next, retry)


def _one(desk: ItemDesk, work: ScanItems, item_id: int) -> item_step.ItemOutcome:
    first = datetime.fromtimestamp(work.since, tz=UTC) if work.since is not None else None
    try:
        return item_step.scan_item(
            work.run_id, item_id, retry=work.retry, since=first, token=work.token, on=desk
        )
    finally:
        connection.close()  # this thread's own, if it opened one

"""``TAGGARR_ITEM_FANOUT=direct``: each item task does its own database work, in its own
transactions, in its own thread; no desk. A measurement beside the desk (issue 69 item 3;
bench/RESULTS.md, "Fan-out: prefork vs desk"), kept apart so that either can go whole.

The same requests as the desk's and the same handlers (desk_work: the claim, the store
under the claim's token, so a task whose lease was taken writes nothing), each handled
at once in the asking thread instead of gathered with other tasks'. A thread beside the
item beats for it as the desk does (desk_beat: its lease and its run's heartbeat, no
longer past TAGGARR_ITEM_HOLD_SECONDS). On the workers it goes with Celery's prefork
pool, whose time limits and memory limit bound a task and a child
(taggarr.celery.fanout_settings) where the desk's worker needs its own watchdog.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection

from scanner.pipeline.runtime.desk_beat import beat_interval
from scanner.pipeline.runtime.desk_messages import Request
from scanner.pipeline.runtime.item_desk import ItemDesk

logger = logging.getLogger(__name__)


def direct() -> bool:
    """Items fan out as one task per prefork child, each storing its own."""
    return str(settings.ITEM_FANOUT) == "direct"


class DirectItems(ItemDesk):
    """The desk's interface for one item task, each request done in the caller's thread
    on its connection (one task's: nothing to gather)."""

    def __init__(self) -> None:
        super().__init__(start=False)
        self._own_connection = False  # the task's: Celery's signals recycle it
        self._one_at_a_time = threading.Lock()  # the task and its beat share the holdings

    def _ask(self, request: Request) -> Any:
        with self._one_at_a_time:
            self._handle([request])
        return request.done.result(timeout=0)  # answered or refused by now

    @contextmanager
    def working(self) -> Iterator[None]:
        """The item's beat runs while its task does (a daemon: it dies with the child)."""
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(stop,), name="taggarr-item-beat")
        beat.daemon = True
        beat.start()
        try:
            yield
        finally:
            stop.set()
            beat.join(beat_interval())  # bounded: a beat stuck on the database is left

    def _beat(self, stop: threading.Event) -> None:
        try:
            while not stop.wait(beat_interval()):
                try:
                    with self._one_at_a_time:
                        written = self.holdings.beat()
                except Exception:  # never dies silently: logged, and it beats on
                    logger.exception("item beat: not written")
                    written = False
                if not written:
                    connection.close()  # a broken or read-only session: a new one next
        finally:
            connection.close()  # this thread's own, if it opened one

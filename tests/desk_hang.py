"""An item desk that stops answering its stores, inside a real worker process: loaded by
the tests only (``celery_worker(include=("tests.desk_hang",))``, Celery's ``--include``),
never by the product. Once the worker is ready, every store the desk runs
(scanner.pipeline.runtime.desk_work.DeskWork._store, before its transaction begins: no
lock is held) first opens the FIFO that TAGGARR_TEST_DESK_HANG names for reading: the
kernel blocks that open until a writer opens it, as a database that stopped answering
this one worker holds its desk (a network cut to one container). The item task waiting
on the store meets the desk's own bound (``DeskUnanswered``), as it does on a worker
paused past it. The desk answers again when the test holds the FIFO open
(tests.share_hang.answer_again). Each block logs ``desk hang: store blocked`` first; a
task that asks the desk to let go of its item (ItemDesk.release: after an outage, the
item still its own) logs ``desk hang: release asked for item N`` as it asks (it then
waits on the hung desk, up to the desk's bound). With TAGGARR_TEST_DESK_RELEASE_GATE, a
second FIFO, the release waits there first, until the test opens it: the test, not a race
with the desk's bound, decides when the task goes on (a paused worker's own clock).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from celery import signals

_fifo = os.environ.get("TAGGARR_TEST_DESK_HANG", "")
_release_gate = os.environ.get("TAGGARR_TEST_DESK_RELEASE_GATE", "")


@signals.worker_ready.connect
def _hang_the_desk(**kwargs: Any) -> None:
    if not _fifo:
        return
    from scanner.pipeline.runtime.desk_messages import Claimed, Released
    from scanner.pipeline.runtime.desk_work import DeskWork
    from scanner.pipeline.runtime.item_desk import ItemDesk

    real_store = DeskWork._store
    real_release = ItemDesk.release

    def _store(self: DeskWork, requests: Sequence[Any]) -> None:
        items = [request.claimed.item.pk for request in requests]
        print(f"desk hang: store blocked for items {items}", file=sys.stderr, flush=True)
        with open(_fifo, "rb"):  # blocks until a writer opens it
            pass
        real_store(self, requests)

    def release(self: ItemDesk, claimed: Claimed) -> Released:
        print(f"desk hang: release asked for item {claimed.item.pk}", file=sys.stderr, flush=True)
        if _release_gate:
            with open(_release_gate, "rb"):  # blocks until the test opens the gate
                pass
        return real_release(self, claimed)

    DeskWork._store = _store  # type: ignore[method-assign]
    ItemDesk.release = release  # type: ignore[method-assign]

"""An item desk that stops answering its stores, inside a real worker process: loaded by
the tests only (``celery_worker(include=("tests.desk_hang",))``, Celery's ``--include``),
never by the product. Once the worker is ready, every store the desk runs
(scanner.pipeline.runtime.desk_work.DeskWork._store, before its transaction begins: no
lock is held) first opens the FIFO that TAGGARR_TEST_DESK_HANG names for reading: the
kernel blocks that open until a writer opens it, as a database that stopped answering
this one worker holds its desk (a network cut to one container). The item task waiting
on the store meets the desk's own bound (``DeskUnanswered``), as it does on a worker
paused past it. The desk answers again when the test holds the FIFO open
(tests.share_hang.answer_again). Each block logs ``desk hang: store blocked`` first.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from celery import signals

_fifo = os.environ.get("TAGGARR_TEST_DESK_HANG", "")


@signals.worker_ready.connect
def _hang_the_desk(**kwargs: Any) -> None:
    if not _fifo:
        return
    from scanner.pipeline.runtime.desk_work import DeskWork

    real_store = DeskWork._store

    def _store(self: DeskWork, requests: Sequence[Any]) -> None:
        items = [request.claimed.item.pk for request in requests]
        print(f"desk hang: store blocked for items {items}", file=sys.stderr, flush=True)
        with open(_fifo, "rb"):  # blocks until a writer opens it
            pass
        real_store(self, requests)

    DeskWork._store = _store  # type: ignore[method-assign]

"""``celery -A taggarr worker`` with every SQL statement its processes send counted: the
benchmark's worker (bench/workers.py), so that the product carries no counting code.

    python bench/counted_worker.py COUNTS_DIR worker --concurrency 2 ...

Before Celery starts, Django's ``connection_created`` signal is hooked so that each new
database connection, in the main process and in every prefork child (they inherit the
hook), gets an execute wrapper that adds one to a counter by kind (SELECT, INSERT, ...).
Each process keeps its counters in a small file of its own, ``COUNTS_DIR/<pid>.counts``,
mapped into memory: a count is a memory write, no system call, and the benchmark reads
the files whenever it likes (bench/sql_counts.py), before and after a scan. A child
that Celery replaces leaves its file behind, so nothing it counted is lost. psycopg's
``COPY`` is counted too (``count_copies``); what the driver sends by itself (BEGIN and
COMMIT around a transaction, the connection's health check) is not, as with
``bench/django_steps.py scan --inline``'s counter.
"""

from __future__ import annotations

import mmap
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sql_counts import KINDS, SLOT, count_copies, kind_of


class ProcessCounter:
    """Counts by kind into ``<dir>/<pid>.counts``; opens a new file after a fork."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pid = 0
        self._map: mmap.mmap | None = None
        self._lock = threading.Lock()

    def _counts(self) -> mmap.mmap:
        pid = os.getpid()
        if self._pid != pid or self._map is None:  # first statement, or a forked child
            path = self.folder / f"{pid}.counts"
            with open(path, "w+b") as handle:
                handle.truncate(SLOT * len(KINDS))
                self._map = mmap.mmap(handle.fileno(), SLOT * len(KINDS))
            self._pid = pid
        return self._map

    def record(self, kind: str) -> None:
        at = KINDS.index(kind) * SLOT
        with self._lock:
            counts = self._counts()
            value = int.from_bytes(counts[at : at + SLOT], "little") + 1
            counts[at : at + SLOT] = value.to_bytes(SLOT, "little")

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.record(kind_of(sql))
        return execute(sql, params, many, context)


def main() -> None:
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    counter = ProcessCounter(folder)

    from django.db.backends.signals import connection_created

    def counted(sender: Any, connection: Any, **kwargs: Any) -> None:
        if counter not in connection.execute_wrappers:
            connection.execute_wrappers.append(counter)

    connection_created.connect(counted, weak=False)
    count_copies(counter.record)
    from celery.__main__ import main as celery_main

    sys.argv = ["celery", "-A", "taggarr", *sys.argv[2:]]
    celery_main()


if __name__ == "__main__":
    main()

"""The SQL statement counts the benchmark's worker processes leave in their files
(bench/counted_worker.py), read from the benchmark: a snapshot before a scan, one after."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

KINDS = (
    "SELECT", "INSERT", "UPDATE", "DELETE", "COPY", "CREATE", "DROP", "WITH", "SAVEPOINT",
    "RELEASE", "ROLLBACK", "OTHER",
)  # fmt: skip
SLOT = 8  # bytes per counter, little-endian


def kind_of(sql: str) -> str:
    words = sql.lstrip().split(None, 1)
    kind = words[0].upper() if words else ""
    return kind if kind in KINDS else "OTHER"


def count_copies(record: Callable[[str], None]) -> None:
    """Count psycopg's ``COPY`` too (scanner/models/bulk.py writes rows with it): Django's
    cursor passes ``cursor.copy`` straight to psycopg, past the execute wrappers. For this
    process only (the benchmark's worker and scan steps), never the product's code."""
    from django.db.backends.utils import CursorWrapper

    def copy(self: CursorWrapper, statement: Any, *args: Any, **kwargs: Any) -> Any:
        record("COPY")
        return self.cursor.copy(statement, *args, **kwargs)

    CursorWrapper.copy = copy  # type: ignore[attr-defined]


def read_counts(folder: Path) -> Counter[str]:
    """The statements every process that wrote into ``folder`` has sent so far, by kind."""
    total: Counter[str] = Counter()
    for path in folder.glob("*.counts"):
        data = path.read_bytes()
        for index, kind in enumerate(KINDS):
            value = int.from_bytes(data[index * SLOT : (index + 1) * SLOT], "little")
            if value:
                total[kind] += value
    return total


def settled_counts(folder: Path, quiet: float = 0.3, limit: float = 5.0) -> Counter[str]:
    """The counts once they have not changed for ``quiet`` seconds (at most ``limit``):
    a run's last tasks (its notification) may still be running as the scan returns."""
    last = read_counts(folder)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = read_counts(folder)
        if now == last:
            break
        last = now
    return last

"""The SQL statement counts the benchmark's worker processes leave in their files
(bench/counted_worker.py), read from the benchmark: a snapshot before a scan, one after."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

KINDS = (
    "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "WITH", "SAVEPOINT", "RELEASE",
    "ROLLBACK", "OTHER",
)  # fmt: skip
SLOT = 8  # bytes per counter, little-endian


def kind_of(sql: str) -> str:
    words = sql.lstrip().split(None, 1)
    kind = words[0].upper() if words else ""
    return kind if kind in KINDS else "OTHER"


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

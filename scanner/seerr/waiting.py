"""Whether any Seerr ask waits: one query, asked after every run (a worker's and ``scan
--inline``'s), before the answering and its modules are imported (scanner.seerr.answering:
a run of a library without Seerr never loads them)."""

from __future__ import annotations

from scanner.models import SeerrAsk


def due() -> bool:
    """Whether any ask waits (one query): after a run, only then is a task sent."""
    return SeerrAsk.objects.filter(done=False, connection__enabled=True).exists()

"""What the desk holds, and its heartbeat.

Every heartbeat interval (scanner.runtime.running.beat_interval) the desk
writes the heartbeat of the runs whose items it holds and extends exactly the leases it
holds (by token), so an item released for its retry is never extended. An item held
longer than the hold limit (TAGGARR_HOLD_SECONDS: a read that hangs on a dead share) is
no longer extended: its lease runs out, the
stalled-work recovery sends it again, and the hung task, if it ever comes back, has
lost its lease and writes nothing (the worker's watchdog restarts the process,
scanner.worker.health).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from django.db import DatabaseError
from django.utils import timezone

from scanner.models import ScanRun
from scanner.pipeline.retries import database_down
from scanner.pipeline.runtime.desk_messages import Claimed
from scanner.pipeline.state import leases
from scanner.runtime.running import hold_limit

logger = logging.getLogger(__name__)


@dataclass
class Holding:
    runs: set[int]
    ids: set[int]
    since: float = field(default_factory=time.monotonic)


class Holdings:
    """The items this process holds, by the token of the claim that took them."""

    def __init__(self) -> None:
        self._by_token: dict[int, Holding] = {}

    def add(self, token: int, runs: set[int], ids: set[int]) -> None:
        if ids:
            self._by_token[token] = Holding(runs, ids)

    def forget(self, claimed: Claimed) -> None:
        entry = self._by_token.get(claimed.token)
        if entry is None:
            return
        entry.ids.discard(claimed.item.pk)
        if not entry.ids:
            del self._by_token[claimed.token]

    def held(self) -> list[leases.Held]:
        return [(pk, token) for token, entry in self._by_token.items() for pk in entry.ids]

    def beat(self) -> bool:
        """The heartbeat of the runs whose items this process holds, and their leases;
        false when the database is down or read-only (logged: the tasks meet it too).
        Any other error is raised to the desk's loop, which logs it and goes on."""
        now = time.monotonic()
        for token, entry in list(self._by_token.items()):
            if now - entry.since > hold_limit():
                logger.warning(
                    "items %s held for more than %d s: no longer extended, sent again by "
                    "the stalled-work recovery once their leases run out",
                    sorted(entry.ids),
                    hold_limit(),
                )
                del self._by_token[token]
        if not self._by_token:
            return True
        run_ids = {run for entry in self._by_token.values() for run in entry.runs}
        try:
            leases.extend(self.held())
            ScanRun.objects.filter(pk__in=run_ids).update(heartbeat_at=timezone.now())
        except DatabaseError as exc:
            if not database_down(exc):
                raise
            logger.warning("heartbeat not written: %s", exc)
            return False
        return True

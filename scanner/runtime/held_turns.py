"""One thing held by one task at a time, asked again rather than waited for: an item's
default tracks (scanner.default_tracks), an item's quality profile
(scanner.wish_profiles), a person account's tracks in Plex
(scanner.media_servers.writes.track_lease).

Two tasks for the same thing (two runs ending close together; an apply asked on a page
while a run's own plan runs) must never plan or write it at once. ``take`` is one
compare-and-set statement (``scanner.leases.Lease.take``), so one of them holds it; a
task delivered again keeps its token (``scanner.leases.token_of``) and takes back its
own. The other does not wait: it marks the holder's row ``asked_again`` and ends; the
holder, when it releases the thing, learns so and runs once more (``take_turns``), so
what the second task came for is read. Each write is fenced: ``hold`` extends the lease
only while the token still holds it (first in each write's transaction, and before each
request that changes something outside), else it raises the kind's own "lost" error and
nothing more is written. A holder that died leaves its lease to run out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q
from django.utils import timezone

from scanner.leases import Lease

__all__ = ["HeldBy", "held_once", "take_turns"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

TURNS = 3  # a holder runs at most twice more when asked again meanwhile


@dataclass(frozen=True)
class HeldBy:
    """``lease``'s rows, one per value of ``key`` (``media_id``, ``account_id``), each with
    an ``asked_again`` flag; ``lost`` is raised by ``hold`` when the token lost its row,
    with ``what`` (a log's words, ``%s`` the key's value) as its message."""

    lease: Lease
    key: str
    lost: type[Exception]
    what: str

    def _where(self, value: int, **also: object) -> Q:
        return Q(**{self.key: value}, **also)

    def take(self, value: int, token: int) -> bool:
        """The row of ``value`` for ``token``: when free, ran out, or the token's own
        already. One statement: of two takers, one gets it."""
        model = self.lease.model
        model._default_manager.bulk_create([model(**{self.key: value})], ignore_conflicts=True)
        return bool(self.lease.take(token, self._where(value), asked_again=False))

    def ask_again(self, value: int, token: int) -> bool:
        """Another token holds the row: ask it to run once more when it ends. False when
        nobody holds it any more (it ended meanwhile): then take it."""
        held = self.lease.held_by_another(token, timezone.now())
        rows = self.lease.model._default_manager.filter(held, self._where(value))
        return bool(rows.update(asked_again=True))

    def hold(self, value: int, token: int) -> None:
        """The fence: extends the lease, or raises ``lost`` when the token is gone."""
        if not self.lease.hold(token, self._where(value)):
            raise self.lost(f"another task took {self.what % value}")

    def release(self, value: int, token: int) -> bool:
        """The holder ended: the lease is freed, unless another task asked meanwhile; then
        it stays held (extended) and True says to run once more."""
        if self.lease.release(token, self._where(value, asked_again=False)):
            return False
        return bool(self.lease.hold(token, self._where(value, asked_again=True), asked_again=False))

    def let_go(self, value: int, token: int) -> None:
        """The holder stops (its turns spent, or it failed): the lease is freed, whatever
        was asked (the next run reads what changed)."""
        self.lease.release(token, self._where(value), asked_again=False)


def take_turns(
    held_by: HeldBy, value: int, token: int, turn: Callable[[], bool], *, ask: bool = True
) -> bool:
    """``turn`` run while ``token`` holds ``value``: once, and again (at most ``TURNS``
    times in all) while another task asked meanwhile; ``turn`` returns False to stop
    (what it works on is gone). The lease is let go at the end, and when ``turn`` raises
    (a no-op when another task took it meanwhile). False when another task held it: then
    that task was asked to run once more (not when ``ask`` is False: a dry run's task,
    whose ask would make the holder write) or took it meanwhile, and nothing ran here."""
    if not held_by.take(value, token):
        if not ask:
            logger.info("%s is held by another task: a dry run asks nothing", held_by.what % value)
            return False
        if held_by.ask_again(value, token):
            logger.info("%s is held by another task: it runs once more", held_by.what % value)
            return False
        if not held_by.take(value, token):
            return False
    freed = False
    try:
        for _ in range(TURNS):
            if not turn():
                break
            if not held_by.release(value, token):
                freed = True
                break
            logger.info("%s asked for again meanwhile: once more", held_by.what % value)
    finally:
        if not freed:
            held_by.let_go(value, token)
    return True


def held_once(held_by: HeldBy, value: int, token: int, work: Callable[[], T]) -> T | None:
    """``work`` done once while ``token`` holds ``value`` (an apply or an undo asked on a
    page); None when another task holds it: what was planned stays planned, and is
    asked for again by whoever holds it or by the next run."""
    if not held_by.take(value, token):
        logger.info("%s is held by another task: it stays as planned", held_by.what % value)
        return None
    try:
        return work()
    finally:
        held_by.let_go(value, token)

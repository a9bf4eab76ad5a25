"""The step that sets a person's tracks in Plex (person_tracks.py), held per account with
a fencing token, as an artwork image is (scanner.artwork.leases) and a scan's item
(scanner.pipeline.state.leases).

Two runs that end close together send two tasks for the same account. ``take`` is one
``UPDATE … WHERE`` the lease is free, ran out, or is the token's own (a task delivered
again keeps its token: ``scanner.leases.token_of``), so one of them holds the
step. The other does not wait: it marks the step ``asked_again`` (another
compare-and-set, on the holder's row) and ends, saying so in a log line; the holder,
when its run ends, runs the step once more (``release`` says so), so that what the
second run changed is read. The holder's every write is fenced: ``hold`` extends the
lease only while its token holds it, first in the transaction of each write (the
TrackSetting rows, the TrackRun) and before each request that changes a selection in
Plex. A holder paused past its lease whose step another task took writes nothing more
(``TrackLeaseLost``). A holder that died (a worker killed) leaves its lease to run out
(``LEASE``, scanner.leases.PERSON_TRACKS): the next task takes the step.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from scanner.leases import PERSON_TRACKS
from scanner.models import TrackLease

__all__ = ["LEASE", "TrackLeaseLost", "ask_again", "hold", "release", "take"]

LEASE = PERSON_TRACKS.length()  # declared once, with every kind's lease (scanner.leases)


class TrackLeaseLost(Exception):
    """The token no longer holds the account's step: nothing more is written."""


def take(account_id: int, token: int) -> bool:
    """The account's step for ``token``: when free, ran out, or the token's own already.
    One statement: of two takers, one gets it."""
    TrackLease.objects.bulk_create([TrackLease(account_id=account_id)], ignore_conflicts=True)
    return bool(PERSON_TRACKS.take(token, Q(account_id=account_id), asked_again=False))


def ask_again(account_id: int, token: int) -> bool:
    """Another token holds the step: ask it to run once more when it ends. False when
    nobody holds it any more (it ended meanwhile): then take it."""
    held = PERSON_TRACKS.held_by_another(token, timezone.now())
    return bool(TrackLease.objects.filter(held, account_id=account_id).update(asked_again=True))


def hold(account_id: int, token: int) -> None:
    """The fence, first in the transaction of each write (and before each selection sent
    to Plex): extends the lease, or raises TrackLeaseLost when the token is gone."""
    if not PERSON_TRACKS.hold(token, Q(account_id=account_id)):
        raise TrackLeaseLost(f"another task took the tracks of account {account_id}")


def release(account_id: int, token: int) -> bool:
    """The holder's run ended: the lease is freed, unless another task asked for the step
    meanwhile; then it stays held (extended) and True says to run it once more."""
    if PERSON_TRACKS.release(token, Q(account_id=account_id, asked_again=False)):
        return False
    return bool(
        PERSON_TRACKS.hold(token, Q(account_id=account_id, asked_again=True), asked_again=False)
    )


def let_go(account_id: int, token: int) -> None:
    """The holder stops (its rounds spent, or it failed): the lease is freed, whatever
    was asked (the next run reads what changed: the step reads what it has not)."""
    PERSON_TRACKS.release(token, Q(account_id=account_id), asked_again=False)

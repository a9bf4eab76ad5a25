"""An item's quality profile held by one task at a time (scanner.leases.WISH_PROFILES),
as an item's default tracks are (scanner.default_tracks.lease).

Two tasks for the same item (a run's end and a Seerr request close together; an apply
asked on the page while the run's own plan runs) must never plan or write its profile at
once: ``take`` is one compare-and-set statement, so one holds the item. The other does
not wait: it marks the item ``asked_again`` and ends; the holder, when it releases the
item, learns so and plans it once more. Each write is fenced: ``hold`` extends the lease
only while the token still holds it, before the *arr's PUT and first in each transaction
that records one.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from scanner.leases import WISH_PROFILES
from scanner.models import ProfileLease

__all__ = ["LeaseLost", "ask_again", "hold", "release", "take"]


class LeaseLost(Exception):
    """The token no longer holds the item: nothing more is written."""


def take(media_id: int, token: int) -> bool:
    """The item for ``token``: when free, ran out, or the token's own already."""
    ProfileLease.objects.bulk_create([ProfileLease(media_id=media_id)], ignore_conflicts=True)
    return bool(WISH_PROFILES.take(token, Q(media_id=media_id), asked_again=False))


def ask_again(media_id: int, token: int) -> bool:
    """Another token holds the item: ask it to plan once more when it ends. False when
    nobody holds it any more (then take it)."""
    held = WISH_PROFILES.held_by_another(token, timezone.now())
    return bool(ProfileLease.objects.filter(held, media_id=media_id).update(asked_again=True))


def hold(media_id: int, token: int) -> None:
    """The fence: extends the lease, or raises LeaseLost when the token is gone."""
    if not WISH_PROFILES.hold(token, Q(media_id=media_id)):
        raise LeaseLost(f"another task took the quality profile of item {media_id}")


def release(media_id: int, token: int) -> bool:
    """The holder ended: the lease is freed, unless another task asked for the item
    meanwhile; then it stays held (extended) and True says to plan it once more."""
    if WISH_PROFILES.release(token, Q(media_id=media_id, asked_again=False)):
        return False
    return bool(
        WISH_PROFILES.hold(token, Q(media_id=media_id, asked_again=True), asked_again=False)
    )


def let_go(media_id: int, token: int) -> None:
    """The holder stops (it failed): the lease is freed, whatever was asked."""
    WISH_PROFILES.release(token, Q(media_id=media_id), asked_again=False)

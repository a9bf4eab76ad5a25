"""The user's hand (issue 82, "The user's hand wins"): an item whose quality profile was
changed in the *arr after Taggarr set it, or whose change a person undid, is left alone
(ItemProfile.hand) until a person gives it back to its wish on the item.

The hand is seen two ways: the scan's listing stores the item's profile
(Media.quality_profile_id) and the plan compares it with what Taggarr last wrote
(ItemProfile.set_profile_id), when that listing began after the write; the write reads
the item from the *arr first and compares too.
"""

from __future__ import annotations

import functools
import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from scanner.models import ItemProfile, Media, ProfileChange, ScanRun
from scanner.models import event_data as codes
from scanner.wish_profiles import events

logger = logging.getLogger(__name__)

State = ProfileChange.State
FOLLOW_TASK = "scanner.tasks.follow_wish_profile"  # scanner.wish_profiles.tasks


def taken_by_hand(item: ItemProfile | None, current: int | None) -> bool:
    """Whether the item's profile now (``current``, as the *arr said last) is no longer
    the one Taggarr wrote: a person changed it in the *arr."""
    return (
        item is not None
        and item.set_profile_id is not None
        and current is not None
        and current != item.set_profile_id
    )


def listed_since(media: Media, item: ItemProfile) -> bool:
    """Whether a listing of the item began after Taggarr last changed it: only such a
    listing can show a person's change. One begun before (a run that listed the library
    while a Seerr request's profile was written) stores what the item had then, which is
    no hand; so does a later run whose scope left the item out."""
    scopes = ScanRun.objects.filter(
        instance_id=media.instance_id, started_at__gt=item.updated_at, planned_at__isnull=False
    ).values_list("scope", flat=True)
    return any(not scope or media.scope_key in scope for scope in scopes)


def mark_hand(media: Media, profile_id: int | None, *, by: str = "", via: str = "") -> None:
    """The item is the user's: left alone until released; its open plans stale; one
    event (none when it was already so)."""
    with transaction.atomic():
        item, _ = ItemProfile.objects.select_for_update().get_or_create(media=media)
        ProfileChange.objects.filter(media=media, state=State.PLANNED).update(
            state=State.STALE, updated_at=timezone.now()
        )
        if item.hand:
            return
        item.hand = True
        item.hand_profile_id = profile_id
        item.hand_at = timezone.now()
        item.save(update_fields=["hand", "hand_profile_id", "hand_at", "updated_at"])
        events.record_hand(media, codes.PROFILE_HAND, profile_id, by=by, via=via)


def release(media: Media, *, by: str = "", via: str = "") -> bool:
    """The item follows its wish again (ItemProfile.hand off; what Taggarr wrote last is
    forgotten, so that the profile the person chose is not taken for a new hand); one
    event. False when it was not the user's."""
    with transaction.atomic():
        item = ItemProfile.objects.select_for_update().filter(media=media).first()
        if item is None or not item.hand:
            return False
        item.hand = False
        item.hand_profile_id = None
        item.hand_at = None
        item.set_profile_id = None
        item.save(
            update_fields=["hand", "hand_profile_id", "hand_at", "set_profile_id", "updated_at"]
        )
        events.record_hand(media, codes.PROFILE_RELEASED, by=by, via=via)
    return True


def release_hand(media: Media, by: str, *, via: str = "") -> bool:
    """``release``, then the item planned again (and on "set" written) by a worker, once
    this transaction commits. False when it was not the user's (nothing sent)."""
    if not release(media, by=by, via=via):
        return False
    transaction.on_commit(functools.partial(send_follow, media.pk))
    return True


def send_follow(media_id: int) -> None:
    """One task that plans (and on "set" writes) the item, by its name (the tasks sit on
    top of this package). A broker that is down loses nothing: one log line, and the next
    run's end plans the item (an ask waits on its lease row)."""
    try:
        current_app.send_task(FOLLOW_TASK, args=[media_id])
    except OperationalError as exc:
        logger.warning(
            "the broker is unreachable (%s): item %s's quality profile is planned after the "
            "next scan",
            exc,
            media_id,
        )

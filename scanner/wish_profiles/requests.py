"""One item's quality profile followed now, not after the next run: what Seerr calls when
a request gives an item its asker's languages (issue 82, "From a request to the right
grab"), so that the profile is set before the *arr's first search when it can be; and
an item given back to its wish by a person (the page, the API).

The ask (its reason and who asked) is kept on the item's lease row, never in a task's
arguments (ids only): the task that plans the item takes it with the plan.
"""

from __future__ import annotations

from django.db import transaction

from scanner.models import Media, ProfileChange, ProfileLease
from scanner.wish_profiles import hand
from scanner.wish_profiles.act import ACT

Reason = ProfileChange.Reason


def follow(
    media_id: int, *, reason: str = "seerr", asked_by: str = "", inline: bool = False
) -> None:
    """Plan (and on "set" write) item ``media_id``'s quality profile now: on a worker (one
    task, sent once the caller's transaction commits), or in this process when
    ``inline``. ``reason``: a ProfileChange.Reason ("seerr": one search of the item
    follows the write); ``asked_by`` is shown with the change ("Seerr (alice)")."""
    kept = Reason(reason)  # ValueError for another
    if not Media.objects.filter(pk=media_id).exists():
        return
    ProfileLease.objects.bulk_create([ProfileLease(media_id=media_id)], ignore_conflicts=True)
    if kept != Reason.WISH or asked_by:
        ProfileLease.objects.filter(media_id=media_id).update(
            asked_reason=kept.value, asked_by=asked_by[:150]
        )
    if inline:
        ACT.run_item(media_id)
    else:
        transaction.on_commit(lambda: hand.send_follow(media_id))


def release_hand(media: Media, by: str, *, via: str = "", inline: bool = False) -> bool:
    """The item follows its wish again (hand.release), then is planned (and on "set"
    written) at once: on a worker, or here when ``inline``. False when it was not the
    user's (nothing planned)."""
    if not hand.release(media, by=by, via=via):
        return False
    follow(media.pk, reason=Reason.WISH, inline=inline)
    return True

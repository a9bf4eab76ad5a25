"""One item's quality profile followed now, not after the next run: what Seerr calls when
a request gives an item its asker's languages (issue 82, "From a request to the right
grab"), so that the profile is set before the *arr's first search when it can be.

The ask (its reason and who asked) is kept on the item's lease row, never in a task's
arguments (ids only): the task that plans the item takes it with the plan.
"""

from __future__ import annotations

from scanner.models import ProfileChange, ProfileLease

Reason = ProfileChange.Reason


def follow(
    media_id: int, *, reason: str = "seerr", asked_by: str = "", inline: bool = False
) -> None:
    """Plan (and on "set" write) item ``media_id``'s quality profile now: on a worker (one
    task), or in this process when ``inline``. ``reason``: a ProfileChange.Reason
    ("seerr": one search of the item follows the write); ``asked_by`` is shown with the
    change ("Seerr (alice)")."""
    kept = Reason(reason)  # ValueError for another
    ProfileLease.objects.bulk_create([ProfileLease(media_id=media_id)], ignore_conflicts=True)
    ProfileLease.objects.filter(media_id=media_id).update(
        asked_reason=kept.value, asked_by=asked_by[:150]
    )
    from scanner.wish_profiles import runner

    if inline:
        runner.run_item(media_id)
    else:
        runner.send_item(media_id)

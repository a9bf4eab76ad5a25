"""Plan again (issue 93): an item whose change was undone or refused planned once more, as
a person asks on the quality profiles' page or in the API.

An undone change left the item to the user's hand (undo.py), and a change refused because
the profile was changed in the *arr may have too (hand.py): asking to plan it again is
saying it follows its wish again, so the hand is released (its event), then the item is
planned (plan.plan_item, from the database alone: no request to the *arr). Each item is
held by its lease throughout, and one another task holds is left as it is ("busy": ask
again in a moment). Nothing is written to the *arr: the person applies what was planned.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from scanner.leases import new_token
from scanner.models import Media, ProfileChange
from scanner.runtime.held_turns import held_once
from scanner.runtime.journal_work import by_item, selected
from scanner.wish_profiles import hand, plan
from scanner.wish_profiles import lease as item_lease

__all__ = ["AGAIN", "Again", "plan_again"]

State = ProfileChange.State
AGAIN = (State.UNDONE, State.REFUSED)  # the rows a person may have planned again


@dataclass
class Again:
    """What planning again did, by item: planned (their rows), held by another task,
    nothing to change."""

    planned: list[int] = field(default_factory=list)  # the rows planned (or kept)
    busy: list[int] = field(default_factory=list)  # items another task holds
    nothing: list[int] = field(default_factory=list)  # items planned with nothing to change


def plan_again(change_ids: Iterable[int], *, by: str = "", via: str = "") -> Again:
    """The items of the undone or refused rows among ``change_ids`` planned again, here."""
    result = Again()
    items = by_item(selected(ProfileChange, AGAIN, change_ids=change_ids))
    for media_id in sorted(items):
        token = new_token()
        planning = functools.partial(_plan, media_id, token, by=by, via=via)
        done = held_once(item_lease.ITEM, media_id, token, planning)
        if done is None:
            result.busy.append(media_id)
        elif done.change_id is not None:
            result.planned.append(done.change_id)
        else:
            result.nothing.append(media_id)
    return result


def _plan(media_id: int, token: int, *, by: str, via: str) -> plan.ItemPlan:
    media = Media.objects.filter(pk=media_id).first()
    if media is None:
        return plan.ItemPlan(media_id)
    item_lease.hold(media_id, token)  # the fence, before the hand is released
    hand.release(media, by=by, via=via)
    return plan.plan_item(media_id, run_id=None, token=token)

"""Undo: an item's earlier quality profile given back (issue 82, "every change is an event
with undo").

A row "written" is undone when the item still has the profile it was given (read from the
*arr first): one editor PUT of the profile before, read back; the row "undone", the event,
and the item is the user's from then on (ItemProfile.hand: the person said which profile
it has; left alone until released on the item). An item whose profile changed since is
refused ("changed") and left as it is. Each item is held by its lease while it is undone:
one another task plans or writes is refused "busy" (try again in a moment). Once the
*arr has left one row unanswered after its retries, the rows after it are refused so at
once, not asked: each would wait the whole retry budget (breaker.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from scanner.changes.act import Outcomes
from scanner.connect.arr import arr_client
from scanner.errors import ArrError, ConfigError
from scanner.leases import new_token
from scanner.models import ItemProfile, Media, ProfileChange
from scanner.models import event_data as codes
from scanner.runtime.hold import holding
from scanner.runtime.journal_work import selected, send_on_commit
from scanner.wish_profiles import arr_calls, events, refusals
from scanner.wish_profiles import lease as item_lease
from scanner.wish_profiles.apply import UNDO_TASK

logger = logging.getLogger(__name__)

State = ProfileChange.State
UNDONE, REFUSED = "undone", "refused"


@dataclass
class UndoResult(Outcomes):
    """What an undo did (a line per item), and each refused row's refusal."""

    refusals: dict[int, str] = field(default_factory=dict)  # row id -> refusal code


def undo(
    *,
    change_ids: Iterable[int] | None = None,
    media_ids: Iterable[int] | None = None,
    run_id: int | None = None,
    by: str = "",
    via: str = "",
) -> UndoResult:
    """Undo the written rows named (by id, item or run), here."""
    result = UndoResult()
    rows = selected(
        ProfileChange, (State.WRITTEN,), change_ids=change_ids, media_ids=media_ids, run_id=run_id
    )
    silent: set[int] = set()  # the instances that left a row unanswered after its retries
    with holding():
        for change in rows.select_related("media__instance").order_by("-pk"):
            if change.instance_id in silent:
                code = refusals.ARR_UNANSWERED
            else:
                code = _undo_one(change, by=by, via=via)
            if code == refusals.ARR_UNANSWERED:
                silent.add(change.instance_id)
            if code:
                result.count(REFUSED)
                result.refusals[change.pk] = code
                result.lines.append(f"{change.title}: refused, {code}")
            else:
                result.count(UNDONE)
                result.lines.append(f"{change.title}: undone")
    return result


def _undo_one(change: ProfileChange, *, by: str, via: str) -> str:
    """One row undone; "" when it was, else the refusal's code."""
    media = change.media
    if media is None:
        return refusals.GONE
    if change.profile_before is None:
        return refusals.NO_EARLIER
    token = new_token()
    if not item_lease.take(media.pk, token):
        return refusals.BUSY
    try:
        client = arr_client(media.instance)
        with client:
            current = arr_calls.current_profile(client, change.arr_id)
            if current != change.profile_after:
                return refusals.CHANGED
            item_lease.hold(media.pk, token)
            found = arr_calls.write_profile(client, change.arr_id, change.profile_before)
        if found != change.profile_before:
            return refusals.NOT_KEPT
        _undone(change, media, token, by=by, via=via)
        return ""
    except ConfigError:
        return refusals.NO_ARR
    except ArrError as exc:
        logger.warning("%s: the quality profile change was not undone: %s", change.title, exc)
        return (
            refusals.ARR_UNANSWERED
            if exc.status is None or exc.status >= 500
            else refusals.ARR_REFUSED
        )
    finally:
        item_lease.let_go(media.pk, token)


def _undone(change: ProfileChange, media: Media, token: int, *, by: str, via: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        item_lease.hold(media.pk, token)
        change.state = State.UNDONE
        change.undone_at = now
        change.undone_by = by[:150]
        change.save(update_fields=["state", "undone_at", "undone_by", "updated_at"])
        item, _ = ItemProfile.objects.select_for_update().get_or_create(media=media)
        item.set_profile_id = change.profile_before
        item.hand = True
        item.hand_profile_id = change.profile_before
        item.hand_at = now
        item.save()
        Media.objects.filter(pk=media.pk).update(quality_profile_id=change.profile_before)
        ProfileChange.objects.filter(media=media, state=State.PLANNED).update(
            state=State.STALE, updated_at=now
        )
        events.record(change, codes.PROFILE_UNDONE, by=by, via=via)


def queue(change_ids: Iterable[int], *, by: str = "", via: str = "") -> int:
    """Undo written rows on a worker (the admin's and the API's undo), once the caller's
    transaction commits; how many rows it will try."""
    ids = list(
        selected(ProfileChange, (State.WRITTEN,), change_ids=change_ids).values_list(
            "pk", flat=True
        )
    )
    if ids:
        send_on_commit(UNDO_TASK, ids, by, via)
    return len(ids)

"""Writing exactly what was planned (issue 82, "Each item's profile follows its wish"): an
item's planned row, one PUT of the *arr's own editor, read back.

Per item, held by its lease (lease.py), each request retried within the *arr's budget
(arr_calls.py):

1. the item is read (GET): gone (404) -> refused "gone"; its profile is no longer the
   one planned from -> refused "changed" (and, when it is no longer the one Taggarr
   wrote, the user's hand: hand.py);
2. the fence (the lease still held), then ONE editor PUT
   (ArrClient.set_quality_profile), and the item read back;
   An item found with the planned profile already (the row's own write, whose answer a
   killed worker never read) is recorded as written, nothing sent again.
3. read back as planned: in one transaction the row "written", the item's ItemProfile
   (what Taggarr set; the profile before its first change, kept), Media.quality_profile_id
   (so the next scan finds nothing to change), the event with undo. A 400 is refused
   "arr-refused" with the *arr's own words; no answer after the retries "failed",
   "arr-unanswered" (the row kept: the next run plans it again; nothing is lost), and
   the run's other rows then fail so at once, not asked (breaker.py);
4. a change asked in Seerr is followed by one search of the item (search.py: under the
   searches' daily bound and interval, never a second search of an item searched
   already, Seerr's own included).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from scanner.arr.clients import ArrClient
from scanner.changes.act import Outcomes
from scanner.changes.checks import Check, Refusal, first_refusal
from scanner.connect.arr import arr_client
from scanner.errors import (
    ArrError,
    ArrPermanentError,
    ArrTransientError,
    ArrValidationError,
    ConfigError,
)
from scanner.models import ItemProfile, Media, ProfileChange
from scanner.models import event_data as codes
from scanner.runtime.hold import holding
from scanner.runtime.journal_work import selected, send_by_item
from scanner.wish_profiles import arr_calls, breaker, events, hand, refusals
from scanner.wish_profiles import lease as item_lease
from scanner.wish_profiles.search import search_after

logger = logging.getLogger(__name__)

State = ProfileChange.State
Reason = ProfileChange.Reason
WRITTEN, REFUSED, FAILED = "written", "refused", "failed"
# What a refusal or a failure saves of its row (the write may have filled the names).
_KEPT = [
    "state",
    "refusal",
    "detail",
    "profile_before",
    "profile_before_name",
    "profile_after_name",
]


ItemApply = Outcomes  # what writing one item's planned row did


class Read(NamedTuple):
    change: ProfileChange
    current: int | None  # the item's profile, as the *arr says now


def _unchanged(read: Read) -> Refusal | None:
    if read.current == read.change.profile_before:
        return None
    return Refusal(refusals.CHANGED, {"found": read.current})


# Refused once the item is read and not found written already (the read's own refusals,
# "gone" or "arr-refused": by the *arr's errors).
WRITE_CHECKS = (Check("unchanged since planned", _unchanged, frozenset({refusals.CHANGED})),)


def apply_item(
    media_id: int,
    *,
    token: int,
    change_ids: Iterable[int] | None = None,
    by: str = "",
    via: str = "",
) -> ItemApply:
    """Write the item's planned row (the newest, or the newest of ``change_ids``); the
    caller holds the item's lease with ``token``."""
    result = ItemApply(media_id)
    rows = ProfileChange.objects.filter(media_id=media_id, state=State.PLANNED)
    if change_ids is not None:
        rows = rows.filter(pk__in=list(change_ids))
    change = rows.select_related("media__instance").order_by("-pk").first()
    if change is None or change.media is None:
        return result
    try:
        client = arr_client(change.media.instance)
    except ConfigError as exc:
        outcome = _refuse(change, token, refusals.NO_ARR, {"error": str(exc)[:300]})
        result.count(outcome)
        result.lines.append(f"{change.title}: {outcome}, {refusals.NO_ARR}")
        return result
    with client, holding():
        outcome = write_one(change, client, token=token, by=by, via=via)
    result.count(outcome)
    result.lines.append(
        f"{change.title}: {outcome}" + (f", {change.refusal}" if change.refusal else "")
    )
    return result


def write_one(
    change: ProfileChange, client: ArrClient, *, token: int, by: str = "", via: str = ""
) -> str:
    """Write one planned row; what became of it (WRITTEN, REFUSED, FAILED)."""
    media = change.media
    assert media is not None  # noqa: S101 - apply_item's rows have their item
    silent = breaker.tripped(change)
    if silent is not None:  # the run's *arr left another item unanswered after its retries
        detail = {"error": silent[:300], breaker.NOT_ASKED: True}
        return _fail(change, token, refusals.ARR_UNANSWERED, detail, by=by, via=via)
    try:
        current = arr_calls.current_profile(client, change.arr_id)
    except ArrError as exc:
        return _arr_error(change, token, exc, by=by, via=via)
    if change.profile_before is None:  # never listed: planned from what the *arr says now
        change.profile_before = current
    _name(change, client)
    if current == change.profile_after != change.profile_before:
        # Written already: this row's write, its answer lost (a worker killed after the
        # PUT; the task sent again): recorded as it is, nothing sent twice.
        _written(change, media, token, by=by, via=via)
        if change.reason == Reason.SEERR:
            _search(change)  # the interval keeps it one, if the first task searched
        return WRITTEN
    if (refused := first_refusal(WRITE_CHECKS, Read(change, current))) is not None:
        return _changed(change, media, token, current, refused)
    item_lease.hold(media.pk, token)  # the fence: nothing is sent for a lost lease
    try:
        found = arr_calls.write_profile(client, change.arr_id, change.profile_after)
    except ArrError as exc:
        return _arr_error(change, token, exc, by=by, via=via)
    if found != change.profile_after:
        return _fail(change, token, refusals.NOT_KEPT, {"found": found}, by=by, via=via)
    _written(change, media, token, by=by, via=via)
    if change.reason == Reason.SEERR:
        _search(change)
    return WRITTEN


def _name(change: ProfileChange, client: ArrClient) -> None:
    """The profiles' names as the *arr calls them now, where the plan knew none."""
    if change.profile_before_name and change.profile_after_name:
        return
    names = arr_calls.profile_names(client)
    if not change.profile_before_name and change.profile_before is not None:
        change.profile_before_name = names.get(change.profile_before, "")[:100]
    if not change.profile_after_name:
        change.profile_after_name = names.get(change.profile_after, "")[:100]


def _changed(
    change: ProfileChange, media: Media, token: int, current: int | None, refused: Refusal
) -> str:
    """Refused once read (its profile no longer the one planned from): the item's stored
    profile the *arr's; the user's hand when Taggarr had set the one it had."""
    item = ItemProfile.objects.filter(media=media).first()
    with transaction.atomic():
        item_lease.hold(media.pk, token)
        Media.objects.filter(pk=media.pk).update(quality_profile_id=current)
        outcome = _refuse(change, token, refused.code, refused.detail)
        if hand.taken_by_hand(item, current):
            hand.mark_hand(media, current)
    return outcome


def _arr_error(change: ProfileChange, token: int, exc: ArrError, *, by: str, via: str) -> str:
    """The *arr's error, named: 404 gone, 4xx refused with its words, no answer failed."""
    if isinstance(exc, ArrTransientError):
        logger.warning("%s: the *arr did not answer: %s", change.title, exc)
        return _fail(
            change, token, refusals.ARR_UNANSWERED, {"error": str(exc)[:300]}, by=by, via=via
        )
    if isinstance(exc, ArrPermanentError) and exc.status == 404:
        return _refuse(change, token, refusals.GONE, {})
    messages = list(exc.failures[:5]) if isinstance(exc, ArrValidationError) else []
    detail: dict[str, Any] = {"messages": messages} if messages else {"error": str(exc)[:300]}
    logger.warning("%s: the *arr refused the quality profile: %s", change.title, exc)
    return _refuse(change, token, refusals.ARR_REFUSED, detail)


def _refuse(change: ProfileChange, token: int, code: str, detail: Mapping[str, Any]) -> str:
    with transaction.atomic():
        item_lease.hold(change.media_id or 0, token)
        change.state = State.REFUSED
        change.refusal = code
        change.detail = {**change.detail, **detail}
        change.save(update_fields=[*_KEPT, "updated_at"])
    return REFUSED


def _fail(
    change: ProfileChange, token: int, code: str, detail: dict[str, Any], *, by: str, via: str
) -> str:
    with transaction.atomic():
        item_lease.hold(change.media_id or 0, token)
        change.state = State.FAILED
        change.refusal = code
        change.detail = {**change.detail, **detail}
        change.save(update_fields=[*_KEPT, "updated_at"])
        events.record(change, codes.PROFILE_FAILED, by=by, via=via)
    return FAILED


def _written(change: ProfileChange, media: Media, token: int, *, by: str, via: str) -> None:
    with transaction.atomic():
        item_lease.hold(media.pk, token)
        change.state = State.WRITTEN
        change.written_at = timezone.now()
        change.save()
        item, _ = ItemProfile.objects.select_for_update().get_or_create(media=media)
        if item.earlier_profile_id is None and change.reason != Reason.ARRIVED:
            item.earlier_profile_id = change.profile_before
            item.earlier_profile_name = change.profile_before_name
        item.wish = change.wish
        item.set_profile_id = change.profile_after
        item.save()
        Media.objects.filter(pk=media.pk).update(quality_profile_id=change.profile_after)
        events.record(change, codes.PROFILE_WRITTEN, by=by, via=via)


def _search(change: ProfileChange) -> None:
    """One search of the item after a change asked in Seerr (search.py)."""
    if search_after(change.media_id or 0, change.asked_by):
        change.search_sent = True
        change.save(update_fields=["search_sent", "updated_at"])


def queue(
    *,
    change_ids: Iterable[int] | None = None,
    media_ids: Iterable[int] | None = None,
    run_id: int | None = None,
    by: str = "",
    via: str = "",
) -> int:
    """Write planned rows on a worker (the admin's and the API's apply): the rows of
    ``change_ids``, or the planned rows of ``media_ids``' items, or of run ``run_id``.
    A task per item (sent by its name: the tasks sit on top of this module), once the
    caller's transaction commits; how many items."""
    rows = selected(
        ProfileChange,
        (State.PLANNED,),
        change_ids=change_ids,
        media_ids=media_ids,
        run_id=run_id,
    )
    items = send_by_item(APPLY_TASK, rows, by, via)
    return len(items)


APPLY_TASK = "scanner.tasks.apply_wish_profiles"  # scanner.wish_profiles.tasks
UNDO_TASK = "scanner.tasks.undo_wish_profiles"
